// The pipeline's selection: "Select all in <stage>" also ticks (or clears) the stage's boxes,
// so what is sent is what is shown (without JavaScript the server reads that box itself as
// "everyone here"), and the bulk bar appears once anyone is ticked, saying how many.
(function () {
  "use strict";
  function picks() {
    return document.querySelectorAll('input[form="bulk"][name="application"]');
  }
  function refresh() {
    var bar = document.querySelector("[data-bulk-bar]");
    if (!bar) return;
    var count = Array.prototype.filter.call(picks(), function (box) { return box.checked; }).length;
    bar.hidden = count === 0;
    bar.querySelector("[data-bulk-count]").textContent =
      count === 1 ? "1 candidate selected" : count + " candidates selected";
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.dataset && box.dataset.selectAll) {
      document.querySelectorAll('input[data-stage="' + box.dataset.selectAll + '"]').forEach(function (pick) {
        pick.checked = box.checked;
      });
    } else if (box.dataset && box.dataset.stage && !box.checked) {
      var all = document.getElementById("all-" + box.dataset.stage);
      if (all) { all.checked = false; }
    }
    refresh();
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-bulk-clear]")) return;
    document.querySelectorAll('input[form="bulk"]').forEach(function (box) { box.checked = false; });
    refresh();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
})();
