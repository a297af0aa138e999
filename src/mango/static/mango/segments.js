// The coding screen of a transcript: a text selection inside #transcript-text fills the
// segment form's start and end. Offsets count Unicode code points, as Python's str does (an
// emoji is one), not the UTF-16 units JavaScript strings count. The form is swapped by htmx
// after each save, so the listener looks the elements up every time.
(function () {
  function codePoints(s) { return Array.from(s).length; }
  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    return codePoints(range.toString());
  }
  document.addEventListener("selectionchange", function () {
    var box = document.getElementById("transcript-text");
    var form = document.querySelector("form.segment-form");
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
    var note = document.getElementById("selection-note");
    if (note) {
      var text = r.toString();
      note.textContent = "“" + (text.length > 200 ? text.slice(0, 200) + "…" : text) + "”";
    }
  });
})();
