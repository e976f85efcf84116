// A form sent back with errors: the keyboard and the screen reader start at the error summary, whose links lead
// to each field (WCAG 3.3.1; GOV.UK's pattern), instead of at the top of the page.
(function () {
  var summary = document.querySelector(".fejlopsummering");
  if (!summary || location.hash) { return; }
  if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
  summary.focus();
})();
