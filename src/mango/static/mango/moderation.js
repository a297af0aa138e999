// Turn a text selection inside the original story into start/end offsets for the redaction
// form (see selection.js).
window.mangoWatchSelection("story-original", "form.redact-form", function (form, text) {
  form.querySelector("[name=phrase]").value = "";
  var note = document.getElementById("selection-note");
  if (note) note.textContent = "“" + text + "”";
});
