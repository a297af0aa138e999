// The coder screen, from the keyboard: j / → next story, k / ← previous, a code's number or
// letter switches it (the button posts through htmx and the panel is swapped), d finishes the
// story and moves on. Keys typed into a field, or with a modifier, are left alone.
(function () {
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  function follow(id) {
    var link = document.getElementById(id);
    if (link) { window.location.href = link.href; return true; }
    return false;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key.toLowerCase();
    var handled = false;
    if (key === "j" || key === "arrowright") handled = follow("next-link");
    else if (key === "k" || key === "arrowleft") handled = follow("prev-link");
    else if (key === "d") {
      var done = document.getElementById("done-button");
      if (done) { done.click(); handled = true; }
    } else if (key.length === 1) {
      var panel = document.getElementById("code-panel");
      var button = panel && panel.querySelector('button[data-hotkey="' + CSS.escape(key) + '"]');
      if (button && !button.disabled) { button.click(); handled = true; }
    }
    if (handled) event.preventDefault();
  });
  // Keep the focus on the code just switched after htmx swaps the panel.
  var lastKey = null;
  document.addEventListener("click", function (event) {
    var b = event.target.closest && event.target.closest("button.code-toggle");
    lastKey = b ? b.value : null;
  }, true);
  document.addEventListener("htmx:afterSwap", function () {
    if (!lastKey) return;
    var again = document.querySelector('button.code-toggle[value="' + CSS.escape(lastKey) + '"]');
    if (again) again.focus();
  });
})();
