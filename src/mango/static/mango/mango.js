// Site-wide behaviour. No inline scripts anywhere: the Content-Security-Policy forbids them.
// After a failed submit, focus the error summary so screen readers announce it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});
