// Search first: as the question is typed, matching publications and published answers
// appear under it (GET /advisory/suggest). Results are built with textContent only.
(function () {
  "use strict";
  function init() {
    var box = document.getElementById("suggestions");
    var input = document.querySelector("input[data-suggest]");
    if (!box || !input || !window.fetch) { return; }
    var timer = null;
    var last = "";
    var seq = 0;

    function render(items) {
      box.textContent = "";
      if (!items.length) {
        var none = document.createElement("p");
        none.className = "help";
        none.textContent = box.getAttribute("data-none");
        box.appendChild(none);
        return;
      }
      var h = document.createElement("h2");
      h.textContent = box.getAttribute("data-heading");
      box.appendChild(h);
      var ul = document.createElement("ul");
      items.forEach(function (item) {
        var li = document.createElement("li");
        var badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = box.getAttribute(item.kind === "faq" ? "data-faq" : "data-pub");
        var a = document.createElement("a");
        a.href = item.url;
        a.textContent = item.title;
        a.target = "_blank";
        a.rel = "noopener";
        li.appendChild(badge);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(a);
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }

    function lookup() {
      var q = input.value.trim();
      if (q === last) { return; }
      last = q;
      if (q.length < 3) { box.textContent = ""; return; }
      var mine = ++seq;
      fetch(box.getAttribute("data-url") + "?q=" + encodeURIComponent(q), {
        headers: { "Accept": "application/json" }, credentials: "same-origin"
      }).then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) { if (mine === seq) { render(data.items || []); } })
        .catch(function () { /* offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 250);
    });
    if (input.value) { lookup(); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
