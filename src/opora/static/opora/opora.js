// Opora's own script (the Content-Security-Policy allows no inline script): a <select data-autosubmit>
// submits its form when changed (the organisation and language switches).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});
