// The coding screen of a transcript: a text selection inside #transcript-text fills the
// segment form's start and end (see selection.js).
window.mangoWatchSelection("transcript-text", "form.segment-form", function (form, text) {
  var note = document.getElementById("selection-note");
  if (note) {
    note.textContent = "“" + (text.length > 200 ? text.slice(0, 200) + "…" : text) + "”";
  }
});
