// Show times in the candidate's own zone: when the address names none, reload once with the
// zone the browser reports. The zone menu stays available to change it.
(function () {
  var form = document.querySelector("form.zone-form");
  if (!form) return;
  var params = new URLSearchParams(window.location.search);
  var detected = "";
  try { detected = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
  // Some browsers still report retired names; show the one people know today.
  var current = { "Asia/Calcutta": "Asia/Kolkata", "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Saigon": "Asia/Ho_Chi_Minh", "Europe/Kiev": "Europe/Kyiv", "Asia/Rangoon": "Asia/Yangon" };
  detected = current[detected] || detected;
  var select = form.querySelector("select[name=tz]");
  var known = select && Array.prototype.some.call(select.options, function (o) { return o.value === detected; });
  if (!params.has("tz") && known && detected !== form.dataset.currentZone) {
    params.set("tz", detected);
    window.location.replace(window.location.pathname + "?" + params.toString());
  }
  var error = document.getElementById("error");
  if (error) error.focus();
})();
