// The scanning pages: while a scan runs, thumbnails appear as pages arrive and the
// progress bar follows; while a scan is being added to the catalogue, its progress
// shows and the link to the publication appears at the end. Without JavaScript the
// pages refresh themselves (<noscript> meta refresh) and every action is a plain form.
(function () {
  "use strict";
  var POLL_MS = 1000;

  function poll(url, onState) {
    var stopped = false;
    function tick() {
      if (stopped) { return; }
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (state) {
          if (onState(state) === false) { stopped = true; return; }
          setTimeout(tick, POLL_MS);
        })
        .catch(function () { setTimeout(tick, POLL_MS * 3); });
    }
    tick();
  }

  function setProgress(root, value) {
    var bar = root.querySelector("[data-progress]");
    var text = root.querySelector("[data-progress-text]");
    if (bar) { bar.value = value; }
    if (text) { text.textContent = value + "%"; }
  }

  function scanPage(app) {
    var list = app.querySelector("[data-pages]");
    var count = app.querySelector("[data-count]");
    var empty = app.querySelector("[data-empty]");
    var progress = document.getElementById("scan-progress");
    var pageLabel = app.getAttribute("data-label-page") || "Page {n}";
    var known = {};
    list.querySelectorAll("li[id^='page-']").forEach(function (li) { known[li.id.slice(5)] = true; });
    if (progress) { progress.hidden = false; }

    poll(app.getAttribute("data-state-url"), function (state) {
      state.pages.forEach(function (page, index) {
        if (known[page.id]) { return; }
        known[page.id] = true;
        var li = document.createElement("li");
        li.className = "card";
        li.id = "page-" + page.id;
        var img = document.createElement("img");
        img.src = page.thumb;
        img.width = 120;
        img.alt = pageLabel.replace("{n}", String(index + 1));
        var caption = document.createElement("p");
        caption.textContent = pageLabel.replace("{n}", String(index + 1));
        li.appendChild(img);
        li.appendChild(caption);
        list.appendChild(li);
      });
      if (count) { count.textContent = String(state.pages.length); }
      if (empty && state.pages.length) { empty.hidden = true; }
      if (state.scan) { setProgress(app, state.scan.progress); }
      if (!state.scan || !state.scan.active) {
        // Finished (or failed): reload for the page controls and the message.
        window.location.reload();
        return false;
      }
      return true;
    });
  }

  function jobPage(box) {
    var stateLabel = box.querySelector("[data-state]");
    var message = box.querySelector("[data-message]");
    poll(box.getAttribute("data-state-url"), function (state) {
      setProgress(box, state.progress);
      if (message) { message.textContent = state.message || ""; }
      if (state.state === "done" && state.result_url) {
        var done = box.querySelector("[data-done]");
        var link = box.querySelector("[data-publication]");
        if (link) { link.href = state.result_url; }
        if (done) { done.hidden = false; }
        var note = box.querySelector("[data-reload-note]");
        if (note) { note.hidden = true; }
        if (stateLabel) { stateLabel.className = "badge state-done"; }
        window.location.reload();
        return false;
      }
      if (state.state === "failed") {
        window.location.reload();
        return false;
      }
      return true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var app = document.getElementById("scan-app");
    if (app && app.getAttribute("data-scanning") === "1") { scanPage(app); }
    var job = document.getElementById("scan-job");
    if (job && job.getAttribute("data-active") === "1") { jobPage(job); }
  });
})();
