// "Select all in this stage" also ticks (or clears) the stage's boxes, so what is sent is
// what is shown; without JavaScript the server reads the box itself as "everyone here".
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
});
