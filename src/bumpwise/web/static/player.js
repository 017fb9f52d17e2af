/* bumpwise session player: one exercise at a time, set counter, hold and rest timers, skip with
   a reason, the symptom check-in in a dialog, and the log filled in at the end. Logs and
   check-ins that cannot be sent (no connection) go to the outbox (outbox.js).
   Our own code: no framework, nothing from a CDN. Without JavaScript the page is a plain list
   of the exercises and the log form. */
(function () {
  "use strict";

  // A test sets window.BUMPWISE_TIME_SCALE (or opens the page with ?clock=fast) so that a
  // 30-second hold takes half a second; people always get real seconds.
  var SCALE = Number(window.BUMPWISE_TIME_SCALE) ||
    (new URLSearchParams(location.search).get("clock") === "fast" ? 60 : 1);
  var SKIP_WORDS = { too_hard: "too hard today", no_equipment: "no equipment" };

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function clock(seconds) {
    var s = Math.max(0, Math.ceil(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  // The outbox (outbox.js, loaded first) keeps what cannot be sent and sends it later.
  var outbox = window.bumpwiseOutbox;
  var post = outbox.post, formBody = outbox.formBody, setStatus = outbox.setStatus;

  /* ---------- speech (off unless the person turns it on) ---------- */

  var speech = { on: false };
  function say(text) {
    if (!speech.on || !window.speechSynthesis) { return; }
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }

  /* ---------- the player ---------- */

  function Player(root) {
    this.root = root;
    this.form = $("[data-log-form]", root);
    this.steps = $all("[data-step]", root);
    this.controls = $("[data-controls]", root);
    this.mainButton = $('[data-action="main"]', root);
    this.index = 0;
    this.sets = this.steps.map(function () { return 0; });
    this.skipped = [];
    this.timer = null;
    this.started = Date.now();
    this.stopped = false;
  }

  Player.prototype.start = function () {
    var self = this;
    $all(".player-done-box", this.root).forEach(function (box) { box.hidden = true; });
    $("[data-log]", this.root).hidden = true;
    $("[data-progress]", this.root).hidden = false;
    this.controls.hidden = false;
    this.mainButton.addEventListener("click", function () { self.main(); });
    $('[data-action="next"]', this.root).addEventListener("click", function () { self.next(); });
    $('[data-action="skip"]', this.root).addEventListener("click", function () { self.askSkip(); });
    $('[data-action="wrong"]', this.root).addEventListener("click", function (event) {
      event.preventDefault();
      self.openCheckIn();
    });
    $('[data-action="close-check"]', this.root).addEventListener("click", function () {
      $("[data-check-dialog]", self.root).close();
    });
    $("[data-skip-dialog]", this.root).addEventListener("close", function (event) {
      self.skip(event.target.returnValue);
    });
    $("[data-check-form]", this.root).addEventListener("submit", function (event) {
      event.preventDefault();
      self.checkIn(event.target);
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submitLog();
    });
    var speak = $("[data-speech]", this.root);
    speak.checked = speech.on = localStorage.getItem("bumpwise-speech") === "on";
    speak.addEventListener("change", function () {
      speech.on = speak.checked;
      localStorage.setItem("bumpwise-speech", speech.on ? "on" : "off");
      if (speech.on) { self.announce(); } else if (window.speechSynthesis) { window.speechSynthesis.cancel(); }
    });
    this.show(0);
  };

  Player.prototype.step = function () { return this.steps[this.index]; };
  Player.prototype.dose = function () {
    var d = this.step().dataset;
    return {
      sets: Number(d.sets) || 1,
      hold: Number(d.hold) || 0,
      minutes: Number(d.minutes) || 0,
      reps: Number(d.reps) || 0,
      rest: Number(d.rest) || 0,
      sides: d.perSide ? 2 : 1,
      name: d.name
    };
  };

  Player.prototype.show = function (index) {
    this.stopTimer();
    this.index = index;
    this.side = 0;
    this.phase = "ready";
    this.steps.forEach(function (step, i) { step.hidden = i !== index; });
    // The timer and buttons sit under the figure, above the cues: what matters at arm's length.
    // An exercise from the coach's library has no figure: they sit under its dose.
    ($(".player-figure", this.step()) || $(".player-dose", this.step())).after(this.controls);
    $("[data-progress]", this.root).textContent = "Exercise " + (index + 1) + " of " + this.steps.length;
    this.render();
    var heading = $(".player-name", this.step());
    if (heading) { heading.focus(); }
    this.announce();
  };

  Player.prototype.announce = function () {
    var step = this.step();
    if (!step) { return; }
    var cues = $all(".player-cues dd", step).slice(0, 3).map(function (dd) { return dd.textContent; });
    say([this.dose().name, $(".player-dose", step).textContent].concat(cues).join(". "));
  };

  Player.prototype.workSeconds = function () {
    var dose = this.dose();
    return dose.hold || dose.minutes * 60;
  };

  Player.prototype.render = function () {
    var dose = this.dose(), done = this.sets[this.index];
    var set = Math.min(done + 1, dose.sets);
    var side = dose.sides > 1 && this.workSeconds() ? (this.side === 0 ? ", first side" : ", other side") : "";
    $("[data-set]", this.root).textContent = done >= dose.sets
      ? "All " + dose.sets + " set" + (dose.sets > 1 ? "s" : "") + " done"
      : "Set " + set + " of " + dose.sets + side;
    var timer = $("[data-timer]", this.root), phase = $("[data-phase]", this.root);
    var label;
    if (this.phase === "work" || this.phase === "rest") {
      label = this.paused ? "Resume" : (this.phase === "rest" ? "Skip the rest" : "Pause");
    } else if (done >= dose.sets) {
      label = this.index + 1 < this.steps.length ? "Next exercise" : "Finish";
      timer.textContent = "✓";
      phase.textContent = "Well done.";
    } else if (this.workSeconds()) {
      label = "Start " + (dose.hold ? dose.hold + " s hold" : dose.minutes + " min");
      timer.textContent = clock(this.workSeconds());
      phase.textContent = "";
    } else {
      label = "Set done";
      timer.textContent = dose.reps ? dose.reps + "×" : "";
      phase.textContent = dose.reps ? dose.reps + " reps" + (dose.sides > 1 ? " each side" : "") + ", then press Set done." : "";
    }
    this.mainButton.textContent = label;
    $('[data-action="next"]', this.root).hidden = done >= dose.sets;
  };

  Player.prototype.main = function () {
    var dose = this.dose();
    if (this.phase === "work") { this.paused = !this.paused; this.render(); return; }
    if (this.phase === "rest") { this.endRest(); return; }
    if (this.sets[this.index] >= dose.sets) { this.next(); return; }
    if (this.workSeconds()) { this.countdown("work", this.workSeconds()); return; }
    this.setDone();
  };

  Player.prototype.countdown = function (phase, seconds) {
    var self = this, left = seconds, last = Date.now();
    this.stopTimer();
    this.phase = phase;
    this.paused = false;
    var timerEl = $("[data-timer]", this.root);
    $("[data-phase]", this.root).textContent = phase === "rest" ? "Rest" : "Go";
    say(phase === "rest" ? "Rest" : "Go");
    timerEl.textContent = clock(left);
    this.render();
    this.timer = setInterval(function () {
      var now = Date.now();
      if (!self.paused) { left -= (now - last) / 1000 * SCALE; }
      last = now;
      timerEl.textContent = clock(left);
      if (left <= 0) {
        self.stopTimer();
        if (phase === "rest") { self.endRest(); } else { self.workDone(); }
      }
    }, Math.max(20, Math.min(250, 1000 / SCALE)));
  };

  Player.prototype.stopTimer = function () {
    if (this.timer) { clearInterval(this.timer); this.timer = null; }
  };

  Player.prototype.workDone = function () {
    var dose = this.dose();
    if (dose.sides > 1 && this.side === 0) {
      this.side = 1;
      this.phase = "ready";
      say("Other side");
      this.countdown("work", this.workSeconds());
      return;
    }
    this.setDone();
  };

  Player.prototype.setDone = function () {
    var dose = this.dose();
    this.stopTimer();
    this.sets[this.index] += 1;
    this.side = 0;
    $("input[name=items_done]", this.step()).checked = true;
    if (this.sets[this.index] < dose.sets && dose.rest) {
      this.countdown("rest", dose.rest);
      return;
    }
    this.phase = "ready";
    if (this.sets[this.index] >= dose.sets) { say("Well done"); }
    this.render();
  };

  Player.prototype.endRest = function () {
    this.stopTimer();
    this.phase = "ready";
    say("Next set");
    this.render();
  };

  Player.prototype.next = function () {
    if (this.index + 1 < this.steps.length) { this.show(this.index + 1); } else { this.finish(); }
  };

  Player.prototype.askSkip = function () {
    this.paused = true;
    var dialog = $("[data-skip-dialog]", this.root);
    dialog.returnValue = "";
    dialog.showModal();
  };

  Player.prototype.skip = function (reason) {
    if (!reason || reason === "cancel") { this.paused = false; this.render(); return; }
    if (reason === "pain") { this.openCheckIn(); return; }
    var box = $("input[name=items_done]", this.step());
    if (!this.sets[this.index]) { box.checked = false; }
    this.skipped.push(this.dose().name + " (" + SKIP_WORDS[reason] + ")");
    this.next();
  };

  Player.prototype.openCheckIn = function () {
    this.paused = true;
    var dialog = $("[data-check-dialog]", this.root);
    dialog.showModal();
  };

  // A warning sign stops the session at once, before anything is sent: offline too.
  Player.prototype.stop = function () {
    this.stopTimer();
    this.stopped = true;
    this.form.hidden = true;
    $(".player-wrong-line", this.root).hidden = true;
    var stopped = $("[data-stopped]", this.root);
    stopped.hidden = false;
    stopped.focus && stopped.setAttribute("tabindex", "-1");
    stopped.focus();
    say($("h2", stopped).textContent + ". " + $("p", stopped).textContent);
  };

  Player.prototype.checkIn = function (checkForm) {
    var self = this, dialog = $("[data-check-dialog]", this.root);
    var warning = $all("input[name=warning_signs]:checked", checkForm).length > 0;
    var symptom = $all("input[name=symptoms]:checked", checkForm).length > 0;
    dialog.close();
    if (warning) { this.stop(); }
    post(formBody(checkForm)).then(function (response) {
      if (response === null) {
        setStatus("Your check-in is saved on this phone and will be sent when you are back online.");
        if (!warning && symptom) { self.endAfterSymptom(false); }
        return;
      }
      if (!response.ok) {
        setStatus("Your check-in could not be stored: please use Check in in the menu.");
        return;
      }
      if (warning) {
        $("[data-stop-link]", self.root).innerHTML = "";
        var link = document.createElement("a");
        link.href = response.url;
        link.textContent = "What to do now, and mark it resolved later";
        $("[data-stop-link]", self.root).appendChild(link);
        return;
      }
      if (symptom) { self.endAfterSymptom(true); return; }
      setStatus("Thank you for checking in.");
      self.paused = false;
      self.render();
    });
  };

  // After a symptom the plan is adapted on the server: today's exercises may have changed, so
  // the player ends here and the log keeps what was done so far.
  Player.prototype.endAfterSymptom = function (sent) {
    setStatus(sent
      ? "Thank you. Your plan has been adapted to what you told us: log what you did, then look at Today."
      : "Stop here if you are unsure. Your plan adapts when your check-in is sent.");
    this.finish();
  };

  Player.prototype.finish = function () {
    this.stopTimer();
    var done = $all("input[name=items_done]:checked", this.form).length;
    var sets = this.sets.reduce(function (a, b) { return a + b; }, 0);
    var minutes = Math.max(1, Math.round((Date.now() - this.started) / 1000 * SCALE / 60));
    this.steps.forEach(function (step) { step.hidden = true; });
    this.controls.hidden = true;
    $("[data-progress]", this.root).hidden = true;
    $("[data-log-hint]", this.root).hidden = true;
    var summary = $("[data-summary]", this.root);
    summary.hidden = false;
    summary.textContent = "You did " + done + " of " + this.steps.length + " exercises, " + sets + " set" +
      (sets === 1 ? "" : "s") + ", in about " + minutes + " minute" + (minutes === 1 ? "" : "s") + ". How did it feel?";
    $("#minutes", this.form).value = String(minutes);
    $("#sets_done", this.form).value = String(sets);
    if (this.skipped.length) { $("#notes", this.form).value = "Skipped: " + this.skipped.join("; ") + "."; }
    $("[data-log]", this.root).hidden = false;
    $("#rpe", this.form).focus();
    say("Session done. How hard did it feel?");
  };

  Player.prototype.submitLog = function () {
    var self = this, item = formBody(this.form);
    var button = $("button[type=submit]", this.form);
    button.disabled = true;
    post(item).then(function (response) {
      if (response === null) {
        self.form.hidden = true;
        setStatus("Logged on this phone: it will be sent when you are back online.");
        return;
      }
      outbox.follow(self.form, item, response);
    }, function () {
      button.disabled = false;
      setStatus("No connection, and this browser cannot keep the log: try again when you are online.");
    });
  };

  /* ---------- start ---------- */

  function registerWorker() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register("/sw.js").then(function (registration) {
      var worker = registration.active || registration.waiting || registration.installing;
      if (worker && navigator.onLine) { worker.postMessage({ type: "refresh" }); }
    }).catch(function () { /* the player works without it */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = $("[data-player]");
    registerWorker();
    if (root && $("[data-step]", root)) {
      var player = new Player(root);
      window.bumpwisePlayer = player;
      player.start();
    }
  });
}());
