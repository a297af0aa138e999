// Turn a text selection inside the original story into start/end offsets for the redaction
// form. Offsets count Unicode code points, as Python's str does (not UTF-16 units).
(function () {
  function codePoints(s) { return Array.from(s).length; }
  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    return codePoints(range.toString());
  }
  document.addEventListener("selectionchange", function () {
    var box = document.getElementById("story-original");
    var form = document.querySelector("form.redact-form");
    if (!box || !form) return;
    var sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    var r = sel.getRangeAt(0);
    if (!box.contains(r.startContainer) || !box.contains(r.endContainer)) return;
    var start = offsetIn(box, r.startContainer, r.startOffset);
    var end = offsetIn(box, r.endContainer, r.endOffset);
    if (end <= start) return;
    form.querySelector("[name=start]").value = start;
    form.querySelector("[name=end]").value = end;
    form.querySelector("[name=phrase]").value = "";
    var note = document.getElementById("selection-note");
    if (note) note.textContent = "“" + r.toString() + "”";
  });
})();
