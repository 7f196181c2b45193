// "Copy" buttons: put a scheduling link (or a secret shown once) on the clipboard and say so.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.copy-link");
  if (!button || !navigator.clipboard) return;
  navigator.clipboard.writeText(button.dataset.link).then(function () {
    var label = button.textContent;
    button.textContent = "Copied";
    setTimeout(function () { button.textContent = label; }, 2000);
  });
});
