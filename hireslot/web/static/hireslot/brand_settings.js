// The organization's brand form: keep the colour picker and the hex box in step and show the
// accent on the preview button with the text colour HireSlot would use on it (the server
// checks the contrast again and refuses what cannot be read).
(function () {
  var form = document.querySelector("form.brand-form");
  if (!form) return;
  var picker = form.querySelector("input[name=accent_picker]");
  var text = form.querySelector("input[name=accent_color]");
  var preview = document.getElementById("brand-preview");
  var note = document.getElementById("brand-preview-note");

  function channel(v) {
    var c = v / 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
  function luminance(hex) {
    var n = parseInt(hex.slice(1), 16);
    return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
  }
  function contrast(a, b) {
    var x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  function normal(value) {
    var v = (value || "").trim();
    if (v && v[0] !== "#") v = "#" + v;
    return /^#[0-9a-fA-F]{6}$/.test(v) ? v.toLowerCase() : "";
  }
  function show(hex) {
    if (!hex || !preview) return;
    var onWhite = contrast(hex, "#ffffff"), onDark = contrast(hex, "#111827");
    var ink = onWhite >= onDark ? "#ffffff" : "#111827";
    var best = Math.max(onWhite, onDark);
    preview.style.background = hex;
    preview.style.borderColor = hex;
    preview.style.color = ink;
    if (note) {
      note.textContent = "Accent " + hex + " with " + (ink === "#ffffff" ? "white" : "dark") +
        " text, contrast " + (Math.floor(best * 100) / 100).toFixed(2) + ":1" +
        (best < 4.5 ? " — too low: buttons need 4.5:1." : ".");
    }
  }
  if (picker && text) {
    picker.addEventListener("input", function () { text.value = picker.value; show(picker.value); });
    text.addEventListener("input", function () {
      var hex = normal(text.value);
      if (hex) { picker.value = hex; show(hex); }
    });
  }
})();
