// Tapis console: the few things a page does in the browser. Everything
// works without it; with it, a regency or district chosen in a filter
// applies at once, and destructive buttons ask first.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.classList && el.classList.contains("autosubmit") && el.form) {
    if (el.name === "regency") {
      var d = el.form.querySelector("select[name=district]");
      if (d) d.value = "";
    }
    if (el.name === "regency" || el.name === "district") {
      var v = el.form.querySelector("select[name=village]");
      if (v) v.value = "";
    }
    el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
  }
});
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = button && button.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener("click", function (event) {
  var el = event.target;
  if (el && el.getAttribute && el.getAttribute("data-select-all") !== null) {
    var boxes = document.querySelectorAll("input[type=checkbox][name=" + el.getAttribute("data-select-all") + "]");
    boxes.forEach(function (b) { b.checked = el.checked; });
  }
});
