// The transcript coding screen (qualitative/_coding.html). Selecting a passage in
// #transcript-text fills the form's start and end; a code's button or its key (shown next to
// it) applies that code through the form, which htmx posts and swaps.
// Offsets count Unicode code points, as Python's str does (an emoji is one, where JavaScript
// counts two UTF-16 units), over the transcript's text only: the code labels shown in the
// margin are left out. The server stores "\n" line ends, as the page shows them.
(function () {
  var box = function () { return document.getElementById("transcript-text"); };
  var form = function () { return document.querySelector("form.segment-form"); };

  function codePoints(s) { return Array.from(s).length; }
  function textBefore(container, node, offset) {
    var range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    var part = range.cloneContents();
    part.querySelectorAll(".segment-label").forEach(function (l) { l.remove(); });
    return part.textContent;
  }
  function selected() {
    var b = box();
    var sel = document.getSelection();
    if (!b || !sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var r = sel.getRangeAt(0);
    if (!b.contains(r.startContainer) || !b.contains(r.endContainer)) return null;
    var before = textBefore(b, r.startContainer, r.startOffset);
    var upToEnd = textBefore(b, r.endContainer, r.endOffset);
    var text = upToEnd.slice(before.length);
    // Leave out white space at either end (a double-click may take the space after a word).
    var lead = text.length - text.replace(/^\s+/, "").length;
    var trail = text.length - text.replace(/\s+$/, "").length;
    if (lead + trail >= text.length) return null;
    text = text.slice(lead, text.length - trail);
    var start = codePoints(before) + codePoints(upToEnd.slice(before.length, before.length + lead));
    return { start: start, end: start + codePoints(text), text: text };
  }

  var last = null; // the last passage selected, kept while the focus moves to the panel
  function show(f, passage) {
    var note = document.getElementById("selection-note");
    f.querySelector("[name=start]").value = passage.start;
    f.querySelector("[name=end]").value = passage.end;
    if (note) {
      var t = passage.text;
      note.classList.remove("warning");
      note.textContent = "“" + (t.length > 200 ? t.slice(0, 200) + "…" : t) + "”";
    }
  }
  document.addEventListener("selectionchange", function () {
    var f = form();
    var passage = selected();
    if (!f || !passage) return;
    last = passage;
    show(f, passage);
  });

  function apply(codeId) {
    var f = form();
    if (!f) return;
    var start = f.querySelector("[name=start]").value, end = f.querySelector("[name=end]").value;
    if (start === "" || end === "") {
      var note = document.getElementById("selection-note");
      if (note) { note.textContent = note.dataset.empty; note.classList.add("warning"); }
      var b = box();
      if (b) b.focus();
      return;
    }
    f.querySelector("[name=code]").value = codeId;
    f.requestSubmit();
  }
  document.addEventListener("click", function (event) {
    var pick = event.target.closest && event.target.closest("button.code-pick");
    if (pick) apply(pick.dataset.code);
  });
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key.length !== 1) return;
    var pick = document.querySelector('#code-picks button[data-hotkey="' + CSS.escape(event.key.toLowerCase()) + '"]');
    if (!pick) return;
    event.preventDefault();
    apply(pick.dataset.code);
  });

  // Margin labels: one below the other where passages start on the same line.
  function layout() {
    var b = box();
    if (!b) return;
    var labels = b.querySelectorAll(".segment-label");
    var bottom = -Infinity;
    labels.forEach(function (label) {
      label.style.marginTop = "";
      if (getComputedStyle(label).position !== "absolute") return;
      var rect = label.getBoundingClientRect();
      if (rect.top < bottom + 2) {
        label.style.marginTop = (parseFloat(getComputedStyle(label).marginTop) + bottom + 2 - rect.top) + "px";
        rect = label.getBoundingClientRect();
      }
      bottom = rect.bottom;
    });
  }
  // The enhanced panel: code buttons with their keys (the select and number boxes remain for
  // use without JavaScript).
  function enhance() {
    var picks = document.getElementById("code-picks");
    var keys = document.getElementById("code-keys");
    if (picks) picks.hidden = false;
    if (keys) keys.hidden = false;
    var b = box();
    if (b && !b.hasAttribute("tabindex")) b.setAttribute("tabindex", "-1");
    layout();
  }
  function ready() {
    enhance();
    // After a refused post the form comes back with its positions; show the passage again.
    var f = form();
    if (f && last && f.querySelector(".error-summary")) show(f, last);
    else last = null;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  // A refused segment comes back as 400 with the form and its errors: show it (htmx swaps
  // only 2xx answers by itself).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.id === "coding") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!document.getElementById("coding")) return;
    ready();
    // The focus was on a control that is gone: back to the error, or to the transcript.
    var error = document.querySelector("#coding .error-summary");
    var b = box();
    if (error) error.focus();
    else if (b) b.focus({ preventScroll: true });
  });
  window.addEventListener("resize", layout);
})();
