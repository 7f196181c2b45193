// Weekly hours as rows: each day has an on/off switch and time ranges picked with time
// inputs ("+ add interval" for a second range). The text field the server reads
// ("09:00-12:00, 13:00-17:00") is kept, hidden, and written from the rows; a day whose text
// cannot be read as ranges (a mistake the server is explaining) stays a text field.
(function () {
  "use strict";
  var RANGE = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/;

  function parse(text) {
    var parts = text.split(",").map(function (p) { return p.trim(); }).filter(Boolean);
    var ranges = [];
    for (var i = 0; i < parts.length; i++) {
      var m = RANGE.exec(parts[i]);
      if (!m) return null;
      ranges.push([m[1], m[2] === "24:00" ? "00:00" : m[2]]);
    }
    return ranges;
  }

  function make(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text) el.textContent = text;
    return el;
  }

  function enhance(input) {
    var ranges = parse(input.value);
    if (ranges === null) return;
    var field = input.closest(".field");
    var day = input.dataset.weeklyHours;
    var label = field.querySelector("label[for='" + input.id + "']");
    var help = field.querySelector(".help");
    var row = make("div", { class: "day-row" });
    var toggle = make("input", { type: "checkbox", id: input.id + "_on", class: "day-toggle" });
    var toggleLabel = make("label", { for: toggle.id, class: "day-name" }, day);
    var list = make("div", { class: "intervals", role: "group", "aria-label": day + " hours" });
    var add = make("button", { type: "button", class: "link add-interval" }, "+ add interval");
    add.setAttribute("aria-label", "Add an interval on " + day);
    var off = make("span", { class: "muted day-off" }, "Unavailable");

    function sync() {
      var values = [];
      list.querySelectorAll(".interval").forEach(function (item) {
        var times = item.querySelectorAll("input[type=time]");
        var end = times[1].value === "00:00" ? "24:00" : times[1].value;
        if (times[0].value && end) values.push(times[0].value + "-" + end);
      });
      input.value = toggle.checked ? values.join(", ") : "";
      list.hidden = add.hidden = !toggle.checked;
      off.hidden = toggle.checked;
    }

    function addInterval(start, end) {
      var item = make("div", { class: "interval" });
      var from = make("input", { type: "time", value: start, "aria-label": day + " from", step: "300" });
      var until = make("input", { type: "time", value: end, "aria-label": day + " until", step: "300" });
      var remove = make("button", { type: "button", class: "icon-button remove-interval" }, "×");
      remove.setAttribute("aria-label", "Remove this " + day + " interval");
      item.append(from, make("span", { "aria-hidden": "true" }, "–"), until, remove);
      list.appendChild(item);
      [from, until].forEach(function (t) { t.addEventListener("input", sync); t.addEventListener("change", sync); });
      remove.addEventListener("click", function () {
        item.remove();
        if (!list.querySelector(".interval")) toggle.checked = false;
        sync();
        toggle.focus();
      });
      return from;
    }

    ranges.forEach(function (r) { addInterval(r[0], r[1]); });
    toggle.checked = ranges.length > 0;
    toggle.addEventListener("change", function () {
      if (toggle.checked && !list.querySelector(".interval")) addInterval("09:00", "17:00");
      sync();
    });
    add.addEventListener("click", function () {
      var last = list.querySelectorAll(".interval input[type=time]");
      var start = last.length ? last[last.length - 1].value || "13:00" : "09:00";
      addInterval(start, start < "23:00" ? String(Number(start.slice(0, 2)) + 1).padStart(2, "0") + start.slice(2) : "00:00").focus();
      sync();
    });
    row.append(toggle, toggleLabel, off, list, add);
    if (label) label.remove();
    if (help) help.remove();
    input.removeAttribute("aria-describedby");
    input.type = "hidden";
    field.insertBefore(row, field.firstChild);
    field.classList.add("weekly-day");
    sync();
  }

  function start() {
    document.querySelectorAll("input[data-weekly-hours]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
