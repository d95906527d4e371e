// Front desk: the display board and the status of a number follow the server by
// polling (every DESK_BOARD_POLL_MS); the board can chime on a new call; kiosk pages
// go back to the start after a while. Without JavaScript the pages still show the
// state at load time.
(function () {
  "use strict";

  function poll(url, every, handle) {
    var busy = false;
    function tick() {
      if (busy) { return; }
      busy = true;
      fetch(url, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { handle(data); } })
        .catch(function () { /* offline for a moment: try again next tick */ })
        .then(function () { busy = false; });
    }
    setInterval(tick, every);
  }

  var audio = null;
  function chime() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      [660, 880].forEach(function (freq, i) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.frequency.value = freq;
        osc.connect(gain);
        gain.connect(audio.destination);
        var start = audio.currentTime + i * 0.35;
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.4, start + 0.03);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.6);
        osc.start(start);
        osc.stop(start + 0.65);
      });
    } catch (e) { /* no audio on this device */ }
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function board(root) {
    var calls = root.querySelector("[data-calls]");
    var clock = root.querySelector("[data-clock]");
    var button = root.querySelector("[data-chime]");
    var onText = root.querySelector("[data-chime-on]").textContent;
    var offText = root.querySelector("[data-chime-off]").textContent;
    var emptyText = root.querySelector("[data-empty-text]").textContent;
    var deskLabel = calls.getAttribute("data-label-desk");
    var signal = root.getAttribute("data-signal");
    var chimeOn = window.localStorage && localStorage.getItem("pst-board-chime") === "1";
    function showChime() {
      button.textContent = chimeOn ? onText : offText;
      button.setAttribute("aria-pressed", chimeOn ? "true" : "false");
    }
    showChime();
    button.addEventListener("click", function () {
      chimeOn = !chimeOn;
      if (window.localStorage) { localStorage.setItem("pst-board-chime", chimeOn ? "1" : "0"); }
      showChime();
      if (chimeOn) { chime(); }
    });
    poll(root.getAttribute("data-board"), parseInt(root.getAttribute("data-poll"), 10) || 2000, function (data) {
      clock.textContent = data.clock + " WIB";
      calls.innerHTML = "";
      if (!data.calls.length) { calls.appendChild(el("li", "board-call empty", emptyText)); }
      data.calls.forEach(function (call, i) {
        var li = el("li", "board-call" + (i === 0 ? " latest" : ""));
        li.appendChild(el("span", "board-number", call.number));
        li.appendChild(el("span", "board-desk", deskLabel + " " + (call.desk || "")));
        calls.appendChild(li);
      });
      data.queues.forEach(function (q) {
        var item = root.querySelector('[data-service="' + q.service + '"] [data-waiting]');
        if (item) { item.textContent = q.waiting; }
      });
      if (data.signal && data.signal !== signal) {
        var first = calls.querySelector(".board-call");
        if (first) { first.classList.add("flash"); }
        if (chimeOn) { chime(); }
      }
      signal = data.signal;
      root.setAttribute("data-signal", signal || "");
    });
  }

  function ticket(root) {
    var status = document.getElementById("ticket-status");
    var ahead = document.getElementById("ticket-ahead");
    var desk = document.getElementById("ticket-desk");
    var rate = document.getElementById("ticket-rate");
    var number = document.getElementById("ticket-number");
    var service = document.getElementById("ticket-service");
    var moved = document.getElementById("ticket-transferred");
    var kiosk = root.hasAttribute("data-return-after");
    poll(root.getAttribute("data-ticket-status"), parseInt(root.getAttribute("data-poll"), 10) || 4000, function (data) {
      // After a transfer the page follows the visitor's new number.
      number.textContent = data.number;
      service.textContent = data.service_label;
      moved.textContent = data.transferred_note || "";
      moved.hidden = !data.transferred_from;
      status.textContent = data.status_label;
      ahead.hidden = data.status !== "waiting";
      ahead.querySelector("[data-ahead]").textContent = data.ahead;
      desk.hidden = !(data.desk && (data.status === "called" || data.status === "serving"));
      desk.querySelector("[data-desk]").textContent = data.desk || "";
      if (data.rate_url) {
        rate.querySelector("[data-rate-link]").href = data.rate_url + (kiosk ? "?kiosk=1" : "");
        rate.hidden = false;
      } else {
        rate.hidden = true;
      }
    });
  }

  function returnAfter(root) {
    var seconds = parseInt(root.getAttribute("data-return-after"), 10);
    var target = root.getAttribute("data-return-to");
    var timer = null;
    function arm() {
      clearTimeout(timer);
      timer = setTimeout(function () { window.location.assign(target); }, seconds * 1000);
    }
    ["click", "keydown", "touchstart"].forEach(function (name) { document.addEventListener(name, arm); });
    arm();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var b = document.querySelector("[data-board]");
    if (b) { board(b); }
    var t = document.querySelector("[data-ticket-status]");
    if (t) { ticket(t); }
    var r = document.querySelector("[data-return-after]");
    if (r) { returnAfter(r); }
  });
})();
