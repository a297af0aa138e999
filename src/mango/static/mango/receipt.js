// The thank-you page: copy the receipt code, print the page, or e-mail it to oneself. The buttons appear only when
// scripts run (they need them); the code stays on screen either way.
document.addEventListener("DOMContentLoaded", function () {
  var bar = document.querySelector(".receipt-actions");
  if (!bar) return;
  bar.hidden = false;
  var status = document.getElementById("receipt-status");
  var copy = bar.querySelector("[data-copy]");
  if (copy) {
    copy.addEventListener("click", function () {
      var code = document.getElementById(copy.dataset.copy).textContent.trim();
      var done = function () { status.textContent = copy.dataset.copied + ": " + code; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(code).then(done, function () {
          window.getSelection().selectAllChildren(document.getElementById(copy.dataset.copy));
        });
      } else {
        window.getSelection().selectAllChildren(document.getElementById(copy.dataset.copy));
      }
    });
  }
  var print = bar.querySelector("[data-print]");
  if (print) print.addEventListener("click", function () { window.print(); });
  // The e-mail form sends once: a second press while it is on its way does nothing.
  var mail = document.querySelector("form.receipt-mail");
  if (mail) {
    mail.addEventListener("submit", function (event) {
      if (mail.dataset.sending) { event.preventDefault(); return; }
      mail.dataset.sending = "1";
      var button = mail.querySelector("button[type=submit]");
      if (button) button.setAttribute("aria-disabled", "true");
    });
  }
});
