/* bumpwise outbox: logs and check-ins that cannot be sent (no connection) wait on this phone in
   IndexedDB and go out, each with its Idempotency-Key, when the connection returns, so a retry
   never stores twice. Used by the session player and by the plain forms marked data-outbox (the
   Today page's log, the check-in page). Without JavaScript those forms post as they always did.
   Our own code: no framework, nothing from a CDN. */
(function () {
  "use strict";

  var DB_NAME = "bumpwise", STORE = "outbox";
  var SAVED = "Saved on this phone: it will be sent when you are back online.";

  function $(selector, root) { return (root || document).querySelector(selector); }
  function setStatus(text) { var el = $("[data-status]"); if (el) { el.textContent = text; } }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function queue(item) { return withStore("readwrite", function (store) { return store.put(item); }); }
  function queued() { return withStore("readonly", function (store) { return store.getAll(); }); }
  function unqueue(key) { return withStore("readwrite", function (store) { return store.delete(key); }); }

  // Resolves to the Response, or rejects when there is no connection.
  function send(item) {
    return fetch(item.url, {
      method: "POST",
      body: item.body,
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": item.key }
    });
  }

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine || !window.indexedDB) { return Promise.resolve(); }
    flushing = true;
    return queued().then(function (items) {
      return items.reduce(function (done, item) {
        return done.then(function () {
          return send(item).then(function (response) {
            if (response.url.indexOf("/signin") !== -1) {
              setStatus("Sign in again to send what you saved offline.");
              return;
            }
            if (response.ok || (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429)) {
              setStatus(response.ok ? "Sent what you saved while offline." : "Something saved offline could not be stored: open Today to check.");
              return unqueue(item.key);
            }
          }, function () { /* still offline: keep it */ });
        });
      }, Promise.resolve());
    }).finally(function () { flushing = false; });
  }

  // The form's fields with a fresh key (a page kept for offline use carries an old one).
  // The button that sent the form counts too ("Yes, I did it twice" is name="again").
  function formBody(form, submitter) {
    var body = new URLSearchParams(new FormData(form));
    var pressed = submitter && submitter.name ? { name: submitter.name, value: submitter.value } : null;
    if (pressed) { body.set(pressed.name, pressed.value); }
    var key = newKey();
    body.set("idempotency_key", key);
    return { url: form.getAttribute("action"), body: body.toString(), key: key, pressed: pressed };
  }

  // Sends now, or keeps it for later when there is no connection. Resolves to the Response,
  // or to null when it was kept; rejects when it can neither be sent nor kept.
  function post(item) {
    return send(item).catch(function () {
      if (!window.indexedDB) { throw new Error("offline"); }
      return queue({ url: item.url, body: item.body, key: item.key, saved_at: new Date().toISOString() })
        .then(function () { return null; });
    });
  }

  // What the server answered, shown as if the form had been posted: a stored post goes where the
  // server sent it; a refused one stores nothing, so the form itself goes, with the same key, to
  // show the error next to its field.
  // A fetch's final URL has no fragment, so a form names the place to land on in data-outbox-anchor.
  function follow(form, item, response) {
    if (response.ok && response.url.indexOf("/signin") === -1) {
      location.assign(response.url + (form.getAttribute("data-outbox-anchor") || ""));
      return;
    }
    $("input[name=idempotency_key]", form).value = item.key;
    if (item.pressed) {
      var carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = item.pressed.name;
      carried.value = item.pressed.value;
      form.appendChild(carried);
    }
    form.submit();
  }

  // A warning sign is answered at once, before anything is sent: offline too.
  function showOfflineStop(form) {
    var stop = $("[data-offline-stop]");
    if (!stop || !$("input[name=warning_signs]:checked", form)) { return; }
    stop.hidden = false;
    stop.setAttribute("tabindex", "-1");
    stop.focus();
  }

  function wire(form) {
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.indexedDB) { return; }
      event.preventDefault();
      var item = formBody(form, event.submitter), button = $("button[type=submit]", form);
      button.disabled = true;
      post(item).then(function (response) {
        if (response !== null) { follow(form, item, response); return; }
        form.hidden = true;
        setStatus(SAVED);
        showOfflineStop(form);
      }, function () {
        button.disabled = false;
        setStatus("No connection, and this browser cannot keep it: try again when you are online.");
      });
    });
  }

  window.bumpwiseOutbox = { post: post, flush: flush, formBody: formBody, follow: follow, setStatus: setStatus };

  document.addEventListener("DOMContentLoaded", function () {
    window.addEventListener("online", function () { flush(); });
    flush();
    Array.prototype.forEach.call(document.querySelectorAll("form[data-outbox]"), wire);
  });
}());
