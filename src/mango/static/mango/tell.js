// Live character counter for the story box; the server checks the limit too.
document.addEventListener("DOMContentLoaded", function () {
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
