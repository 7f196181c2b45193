// Email template editor: the merge-field picker inserts "{{ field }}" at the cursor of the
// subject or body last used, and htmx (loaded here unless the page already has it) refreshes
// the preview as the recruiter types.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!window.htmx && script && script.dataset.htmxSrc) {
    var loader = document.createElement("script");
    loader.src = script.dataset.htmxSrc;
    document.head.appendChild(loader);
  }

  function start() {
    var targets = document.querySelectorAll("[data-merge-target]");
    if (!targets.length) return;
    var last = targets[targets.length - 1];
    targets.forEach(function (field) {
      field.addEventListener("focus", function () { last = field; });
    });
    document.querySelectorAll("[data-merge-field]").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = "{{ " + button.dataset.mergeField + " }}";
        var start = last.selectionStart == null ? last.value.length : last.selectionStart;
        var end = last.selectionEnd == null ? start : last.selectionEnd;
        last.setRangeText(text, start, end, "end");
        last.focus();
        last.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
