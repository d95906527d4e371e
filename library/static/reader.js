// The online reader: go to a page, find words inside the publication and jump to the
// pages that hold them. Without JavaScript the forms still work (server round trips).
(function () {
  "use strict";
  function pageItem(n) { return document.getElementById("page-" + n); }
  function show(n, highlight) {
    var item = pageItem(n);
    if (!item) { return; }
    if (highlight) {
      document.querySelectorAll(".reader-page.hit").forEach(function (el) { el.classList.remove("hit"); });
      item.classList.add("hit");
    }
    item.scrollIntoView({ block: "start" });
    history.replaceState(null, "", "#page-" + n);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var list = document.querySelector(".reader-pages");
    if (!list) { return; }
    var start = parseInt(list.getAttribute("data-start"), 10);
    var fromHash = /^#page-(\d+)$/.exec(location.hash);
    if (fromHash) { show(parseInt(fromHash[1], 10), false); } else if (start > 1) { show(start, false); }

    var goto = document.querySelector("form[data-goto]");
    if (goto) {
      goto.addEventListener("submit", function (event) {
        var n = parseInt(goto.querySelector("input[name=page]").value, 10);
        if (pageItem(n)) { event.preventDefault(); show(n, false); }
      });
    }
    var find = document.querySelector("form[data-find]");
    var results = document.getElementById("find-results");
    if (find && results) {
      find.addEventListener("submit", function (event) {
        event.preventDefault();
        var q = find.querySelector("input[name=q]").value.trim();
        if (!q) { return; }
        fetch(find.getAttribute("data-find") + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (data) {
            results.innerHTML = "";
            results.hidden = false;
            if (!data.hits.length) {
              var none = document.createElement("li");
              none.className = "empty";
              none.textContent = data.message;
              results.appendChild(none);
              return;
            }
            data.hits.forEach(function (hit) {
              var li = document.createElement("li");
              var link = document.createElement("a");
              link.href = "#page-" + hit.page;
              link.textContent = hit.page;
              link.addEventListener("click", function (e) { e.preventDefault(); show(hit.page, true); });
              var text = document.createElement("span");
              text.innerHTML = " — " + hit.snippet_html;  // escaped by the server; <mark> only
              li.appendChild(link);
              li.appendChild(text);
              results.appendChild(li);
            });
            show(data.hits[0].page, true);
          });
      });
    }
  });
})();
