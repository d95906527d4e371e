// The online reader: go to a page, zoom without losing the page, find words inside the
// publication and jump to the pages that hold them, each page's text (the words found
// marked) a click away. Without JavaScript the links and forms still work (round trips).
(function () {
  "use strict";
  var list, current = 1;

  function pageItem(n) { return document.getElementById("page-" + n); }

  function setUrl(params) {
    var url = new URL(location.href);
    Object.keys(params).forEach(function (key) {
      if (params[key] === null) { url.searchParams.delete(key); } else { url.searchParams.set(key, params[key]); }
    });
    url.hash = "page-" + current;
    history.replaceState(null, "", url.toString());
  }

  // The text of page n (its words q marked) into its <details>, fetched once per query.
  function loadText(item, q, open) {
    var details = item.querySelector("details.page-text");
    if (!details) { return; }
    var n = item.getAttribute("data-page");
    if (details.getAttribute("data-loaded") !== q) {
      details.setAttribute("data-loaded", q);
      var url = list.getAttribute("data-text").replace("/pages/0/text", "/pages/" + n + "/text");
      fetch(url + (q ? "?q=" + encodeURIComponent(q) : ""), { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
        .then(function (html) {
          var summary = details.querySelector("summary");
          details.innerHTML = "";
          details.appendChild(summary);
          details.insertAdjacentHTML("beforeend", html);  // escaped by the server; <mark> only
        })
        .catch(function () { details.removeAttribute("data-loaded"); });
    }
    if (open) { details.open = true; }
  }

  function show(n, q) {
    var item = pageItem(n);
    if (!item) { return; }
    current = n;
    if (q !== undefined) {
      document.querySelectorAll(".reader-page.hit").forEach(function (el) { el.classList.remove("hit"); });
      item.classList.add("hit");
      loadText(item, q, true);
    }
    item.scrollIntoView({ block: "start" });
    syncPage();
  }

  // The page in view: the go-to box, the zoom links and the address follow it.
  function syncPage() {
    var goto = document.getElementById("goto");
    if (goto && document.activeElement !== goto) { goto.value = current; }
    document.querySelectorAll("a[data-zoom]").forEach(function (a) {
      var url = new URL(a.href);
      url.searchParams.set("page", current);
      url.hash = "page-" + current;
      a.href = url.toString();
    });
    document.querySelectorAll("form.find input[name=page]").forEach(function (input) { input.value = current; });
    setUrl({ page: current });
  }

  function zoomTo(level) {
    var keep = current;
    var sizes = list.getAttribute("data-sizes").split("|")[level];  // the width shown
    list.className = list.className.replace(/\bzoom-\d+\b/, "zoom-" + level);
    list.setAttribute("data-zoom", level);
    list.querySelectorAll("img").forEach(function (img) { img.sizes = sizes; });
    document.querySelectorAll("a[data-zoom]").forEach(function (a) {
      var on = a.getAttribute("data-zoom") === String(level);
      a.classList.toggle("secondary", !on);
      if (on) { a.setAttribute("aria-current", "true"); } else { a.removeAttribute("aria-current"); }
    });
    document.querySelectorAll(".reader-tools form").forEach(function (form) {
      var input = form.querySelector("input[name=zoom]");
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = "zoom";
        form.appendChild(input);
      }
      input.value = level;
    });
    current = keep;
    pageItem(keep).scrollIntoView({ block: "start" });
    setUrl({ zoom: String(level) === list.getAttribute("data-default-zoom") ? null : String(level) });
  }

  document.addEventListener("DOMContentLoaded", function () {
    list = document.querySelector(".reader-pages");
    if (!list) { return; }
    var q = list.getAttribute("data-q") || "";
    var fromHash = /^#page-(\d+)$/.exec(location.hash);
    current = fromHash ? parseInt(fromHash[1], 10) : parseInt(list.getAttribute("data-start"), 10);
    if (!pageItem(current)) { current = 1; }
    if (current > 1) { pageItem(current).scrollIntoView({ block: "start" }); }

    // The topmost page in view is the current one (once the jump above has settled).
    if ("IntersectionObserver" in window) {
      var visible = {};
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) { visible[e.target.getAttribute("data-page")] = e.isIntersecting; });
        var shown = Object.keys(visible).filter(function (k) { return visible[k]; }).map(Number);
        if (shown.length) {
          var top = Math.min.apply(null, shown);
          if (top !== current) { current = top; syncPage(); }
        }
      }, { rootMargin: "-20% 0px -60% 0px" });
      setTimeout(function () { list.querySelectorAll(".reader-page").forEach(function (li) { observer.observe(li); }); }, 300);
    }

    list.querySelectorAll("details.page-text").forEach(function (details) {
      details.addEventListener("toggle", function () {
        if (details.open) { loadText(details.closest(".reader-page"), q, false); }
      });
    });
    list.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-text-link]");
      if (link) { event.preventDefault(); loadText(link.closest(".reader-page"), q, true); }
    });
    document.querySelectorAll("a[data-zoom]").forEach(function (a) {
      a.addEventListener("click", function (event) {
        event.preventDefault();
        zoomTo(parseInt(a.getAttribute("data-zoom"), 10));
      });
    });
    var goto = document.querySelector("form[data-goto]");
    if (goto) {
      goto.addEventListener("submit", function (event) {
        var n = parseInt(goto.querySelector("input[name=page]").value, 10);
        if (pageItem(n)) { event.preventDefault(); show(n); }
      });
    }
    var results = document.getElementById("find-results");
    function hitLinks() {
      results.querySelectorAll("a[data-page]").forEach(function (a) {
        a.addEventListener("click", function (e) { e.preventDefault(); show(parseInt(a.getAttribute("data-page"), 10), q); });
      });
    }
    if (results) { hitLinks(); }
    var find = document.querySelector("form[data-find]");
    if (find && results) {
      find.addEventListener("submit", function (event) {
        event.preventDefault();
        var words = find.querySelector("input[name=q]").value.trim();
        if (!words) { return; }
        fetch(find.getAttribute("data-find") + "?q=" + encodeURIComponent(words), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (data) {
            q = words;
            list.setAttribute("data-q", q);
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
              link.setAttribute("data-page", hit.page);
              link.textContent = hit.label;
              var text = document.createElement("span");
              text.innerHTML = " — " + hit.snippet_html;  // escaped by the server; <mark> only
              li.appendChild(link);
              li.appendChild(text);
              results.appendChild(li);
            });
            hitLinks();
            setUrl({ q: q });
            show(data.hits[0].page, q);
          });
      });
    }
  });
})();
