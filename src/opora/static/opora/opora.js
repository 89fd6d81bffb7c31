// Opora's own script (the Content-Security-Policy allows no inline script): a <select data-autosubmit>
// submits its form when changed (the organisation and language switches).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});

// On a phone the menu folds behind a «Меню» button (opora.css hides the menu only when this script runs, so a
// browser without scripts still shows every link).
document.documentElement.classList.add("js");
document.addEventListener("click", function (event) {
  var button = event.target instanceof Element ? event.target.closest(".nav-toggle") : null;
  if (!button) { return; }
  var header = button.closest("header");
  var open = header.classList.toggle("nav-open");
  button.setAttribute("aria-expanded", open ? "true" : "false");
});
