// Asks before destructive actions: any submit button carrying data-confirm.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = button && button.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Disclosures: a button[data-disclosure] folds the region it controls (aria-controls)
// away while its media query matches (a small screen) and opens it on a click; elsewhere
// the button is hidden and the region shown. Escape closes it and focus goes back.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-disclosure][aria-controls]").forEach(function (button) {
    var region = document.getElementById(button.getAttribute("aria-controls"));
    if (!region) { return; }
    var folds = window.matchMedia(button.getAttribute("data-disclosure"));
    function update() {
      button.hidden = !folds.matches;
      region.hidden = folds.matches && button.getAttribute("aria-expanded") !== "true";
    }
    function toggle(open) {
      button.setAttribute("aria-expanded", String(open));
      update();
    }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      toggle(open);
      if (open) { region.focus(); }
    });
    region.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && folds.matches) { toggle(false); button.focus(); }
    });
    folds.addEventListener("change", update);
    update();
  });
});
