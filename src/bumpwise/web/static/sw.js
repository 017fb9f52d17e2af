/* bumpwise service worker: keeps this week's plan pages, the player and this week's figures so a
   session can be played without a connection. Pages come from the network first (the plan can
   change) and from the cache when there is none; figures and the app's own files from the cache
   first. Posts are never touched here: unsent ones wait in IndexedDB (outbox.js). */
"use strict";

var CACHE = "bumpwise-v1";
var LIST = "/today/play/offline.json";

function refresh() {
  return fetch(LIST, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok || response.redirected) { return; }
    return response.json().then(function (list) {
      return caches.open(CACHE).then(function (cache) {
        return Promise.all(list.urls.map(function (url) {
          return fetch(url, { credentials: "same-origin" }).then(function (answer) {
            if (answer.ok && !answer.redirected) { return cache.put(url, answer); }
          }).catch(function () { /* keep what we had */ });
        }));
      });
    });
  }).catch(function () { /* offline: keep what we had */ });
}

self.addEventListener("install", function (event) {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); }).then(refresh)
  );
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "refresh") { event.waitUntil(refresh()); }
});

function fromCache(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) { return hit || cache.match(request, { ignoreSearch: true }); });
  });
}

function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return fromCache(request).then(function (hit) { return hit || Response.error(); });
  });
}

function cacheFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
    });
  });
}

var PAGES = ["/today", "/today/play", "/week", "/check-in"];

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0 || /^\/api\/v1\/exercises\/[^/]+\/figure\.svg$/.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (PAGES.indexOf(url.pathname) !== -1) {
    event.respondWith(networkFirst(request));
  }
});
