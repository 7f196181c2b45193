// Merge-field picker: a button inserts "{{ field }}" at the cursor of the subject or body last
// used (the body when neither was), and htmx refreshes the preview as the recruiter types.
// Used by the template editors and by the compose drawer, whose form arrives later by htmx:
// each form is wired once, when it appears.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!window.htmx && script && script.dataset.htmxSrc) {
    var loader = document.createElement("script");
    loader.src = script.dataset.htmxSrc;
    document.head.appendChild(loader);
  }

  function wire(root) {
    var scope = root.closest ? (root.closest("form") || root) : root;
    var targets = scope.querySelectorAll("[data-merge-target]");
    if (!targets.length) return;
    var last = targets[targets.length - 1];
    targets.forEach(function (field) {
      field.addEventListener("focus", function () { last = field; });
    });
    scope.querySelectorAll("[data-merge-field]").forEach(function (button) {
      if (button.dataset.mergeWired) return;
      button.dataset.mergeWired = "1";
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

  function start() {
    wire(document);
    document.body.addEventListener("htmx:load", function (event) { wire(event.target); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
