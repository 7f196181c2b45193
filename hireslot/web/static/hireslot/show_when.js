// Fields that apply only to one choice (data-show-when="conferencing:phone") are shown only
// while that choice is made; without JavaScript every field shows.
(function () {
  "use strict";
  function refresh() {
    document.querySelectorAll("[data-show-when]").forEach(function (field) {
      var rule = field.dataset.showWhen.split(":");
      var control = document.querySelector('[name="' + rule[0] + '"]');
      if (control) field.hidden = control.value !== rule[1];
    });
  }
  document.addEventListener("change", refresh);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
})();
