// A text selection inside an element, as start/end offsets for a form: used to redact a story
// (moderation.js) and to code a transcript segment (segments.js). Offsets count Unicode code
// points, as Python's str does (an emoji is one), not the UTF-16 units JavaScript strings
// count. Forms may be swapped by htmx, so the elements are looked up on every change.
window.mangoWatchSelection = function (boxId, formSelector, onSelect) {
  function codePoints(s) { return Array.from(s).length; }
  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    return codePoints(range.toString());
  }
  document.addEventListener("selectionchange", function () {
    var box = document.getElementById(boxId);
    var form = document.querySelector(formSelector);
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
    onSelect(form, r.toString());
  });
};
