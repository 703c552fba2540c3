// The scenario editor: a click on a step of the vocabulary inserts it as a new line at the cursor
// (with an empty | 字段 | 值 | table when the step takes one). Without it the list is still readable.
(function () {
  "use strict";
  var text = document.getElementById("scenario-text");
  if (!text) { return; }
  document.querySelectorAll("button.insert-step").forEach(function (button) {
    button.addEventListener("click", function () {
      var line = "    " + button.dataset.step;
      if (button.dataset.table) { line += "\n      | 字段 | 值 |\n      |  |  |"; }
      var at = text.selectionEnd || text.value.length;
      var before = text.value.slice(0, at);
      var glue = before && !before.endsWith("\n") ? "\n" : "";
      text.value = before + glue + line + "\n" + text.value.slice(at);
      var caret = (before + glue + line).length;
      text.focus();
      text.setSelectionRange(caret, caret);
    });
  });
}());
