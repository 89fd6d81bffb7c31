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
// The person/family picker (people/fields.py, templates/people/_picker.html): the search box asks the server with
// htmx as one types; a match chosen (click, Enter or Space on it) puts its id into the hidden input and its name
// into the box. Typing again clears the choice until another is picked. Keys: ↓ from the box to the matches, ↑/↓
// between them, Esc back to the box; Enter in the box picks the only (or first) match instead of submitting.
(function () {
  function pickerOf(el) { return el.closest ? el.closest("[data-picker]") : null; }
  function choices(picker) { return Array.prototype.slice.call(picker.querySelectorAll("button.picker-choice")); }
  function setOpen(picker, open) {
    var box = picker.querySelector(".picker-search");
    if (box) { box.setAttribute("aria-expanded", open ? "true" : "false"); }
  }
  function choose(picker, button) {
    picker.querySelector("[data-picker-value]").value = button.getAttribute("data-pick");
    var box = picker.querySelector(".picker-search");
    box.value = button.getAttribute("data-label");
    box.setAttribute("data-chosen", box.value);
    picker.querySelector(".picker-results").innerHTML = "";
    setOpen(picker, false);
    box.focus();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.picker-choice") : null;
    var picker = button && pickerOf(button);
    if (picker) { event.preventDefault(); choose(picker, button); }
  });
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("picker-search")) { return; }
    var picker = pickerOf(box);
    if (picker && box.value !== box.getAttribute("data-chosen")) {
      picker.querySelector("[data-picker-value]").value = "";
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var picker = pickerOf(event.target);
    if (!picker) { return; }
    setOpen(picker, choices(picker).length > 0);
    // On a phone the matches may fall below the screen: bring the box to the top so that they show under it.
    var results = picker.querySelector(".picker-results");
    if (results.getBoundingClientRect().bottom > window.innerHeight) {
      picker.querySelector(".picker-search").scrollIntoView({block: "start"});
    }
  });
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    var picker = pickerOf(el);
    if (!picker) { return; }
    var list = choices(picker);
    var box = picker.querySelector(".picker-search");
    var at = list.indexOf(el);
    if (el === box) {
      if (event.key === "ArrowDown" && list.length) { event.preventDefault(); list[0].focus(); }
      else if (event.key === "Enter") { event.preventDefault(); if (list.length) { choose(picker, list[0]); } }
      else if (event.key === "Escape") { picker.querySelector(".picker-results").innerHTML = ""; setOpen(picker, false); }
    } else if (at >= 0) {
      if (event.key === "ArrowDown") { event.preventDefault(); (list[at + 1] || list[at]).focus(); }
      else if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? list[at - 1] : box).focus(); }
      else if (event.key === "Escape") { event.preventDefault(); box.focus(); }
    }
  });
  // A box showing a name already chosen (a form shown again) keeps its choice until its text is changed.
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-picker] .picker-search"), function (box) {
      if (box.value) { box.setAttribute("data-chosen", box.value); }
    });
  });
})();
