// Live character counter for the story box (the server checks the limit too), and focus on
// the error summary after a failed submit so screen readers announce it. No inline scripts:
// the Content-Security-Policy forbids them.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  var box = document.getElementById("id_text");
  var out = document.getElementById("id_text_count");
  if (!box || !out) return;
  var max = parseInt(box.dataset.max, 10);
  function update() {
    var n = box.value.length;
    out.textContent = out.dataset.template.replace("%n", n).replace("%max", max);
    out.classList.toggle("over", n > max);
  }
  box.addEventListener("input", update);
  update();
});
