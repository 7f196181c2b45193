// The candidate's page. Every part works without this script (see the "fallback" list and
// the plain forms); with it: the month calendar and the chosen day's times, the zone chooser,
// the 12/24-hour clock, busy states on every action and focus moved to results.
// Times come embedded in the page as UTC instants (#booker-data) and from /s/<token>/slots;
// the browser's Intl formats them in the candidate's zone and the page's locale.
(function () {
  "use strict";
  var doc = document;
  var DAY = 86400000;

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  function el(tag, attrs, text) {
    var node = doc.createElement(tag);
    for (var name in attrs) {
      if (attrs[name] !== null && attrs[name] !== undefined && attrs[name] !== false) {
        node.setAttribute(name, attrs[name] === true ? "" : attrs[name]);
      }
    }
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // --- Every page: busy states, results in focus, the language switcher ---------------------

  var status = doc.getElementById("live");

  function announce(text) {
    if (!status) return;
    status.textContent = "";
    // A fresh text node is announced even when the words repeat.
    window.setTimeout(function () { status.textContent = text; }, 30);
  }

  doc.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-busy-form")) return;
    if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
    var button = event.submitter || form.querySelector("[type=submit]");
    var booker = doc.getElementById("booker");
    var label = (button && button.getAttribute("data-busy-label")) ||
      (booker && booker.getAttribute("data-busy-label")) || "…";
    form.setAttribute("aria-busy", "true");
    if (booker && booker.contains(button)) booker.setAttribute("aria-busy", "true");
    if (button) {
      button.setAttribute("data-label", button.textContent);
      button.textContent = label;
      // Disabled after the browser has taken the form's data (a disabled submitter is dropped).
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
    announce(label);
  });

  // Back from the next page (bfcache): the form is usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    doc.querySelectorAll("[aria-busy=true]").forEach(function (node) {
      node.removeAttribute("aria-busy");
    });
    doc.querySelectorAll("[data-label]").forEach(function (button) {
      button.textContent = button.getAttribute("data-label");
      button.disabled = false;
    });
  });

  var result = doc.querySelector("[data-focus]");
  if (result) result.focus();

  var languageForm = doc.querySelector("[data-lang-form]");
  if (languageForm) {
    languageForm.addEventListener("change", function () {
      var tz = languageForm.querySelector("input[name=tz]");
      if (tz && booker) tz.value = booker.zone;
      languageForm.submit();
    });
  }

  var dataNode = doc.getElementById("booker-data");
  var root = doc.getElementById("booker");
  var booker = null;
  if (!dataNode || !root) return;

  // --- The booker ------------------------------------------------------------------------------

  var data = JSON.parse(dataNode.textContent);
  var S = data.strings;
  var locale = data.locale;
  var rtl = doc.documentElement.dir === "rtl";
  var duration = data.duration * 60000;
  // The last moment a time may start (the booking horizon): how far the calendar looks.
  var until = Date.parse(data.lastStart);
  var exhausted = false; // every time up to the horizon is loaded, and none is left
  var nowMs = Date.now();
  var current = data.current ? Date.parse(data.current) : null;
  var retired = { "Asia/Calcutta": "Asia/Kolkata", "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Saigon": "Asia/Ho_Chi_Minh", "Europe/Kiev": "Europe/Kyiv", "Asia/Rangoon": "Asia/Yangon" };

  function detectedZone() {
    try {
      var name = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
      return retired[name] || name;
    } catch (e) { return ""; }
  }

  var params = new URLSearchParams(window.location.search);
  var zone = data.zoneFixed ? data.zone : (detectedZone() || data.zone);
  var stored = null;
  try { stored = window.localStorage.getItem("hireslot.hc"); } catch (e) { stored = null; }
  var hourCycle = params.get("hc") || stored || data.hourCycle;
  if (hourCycle !== "h12" && hourCycle !== "h23") hourCycle = data.hourCycle;

  var slots = new Set(data.slots.map(Date.parse));
  // A loop's times carry their sessions (ms -> [{name, start, end, with}]): the agenda shown
  // before confirming.
  var agenda = {};
  Object.keys(data.agenda || {}).forEach(function (start) { agenda[Date.parse(start)] = data.agenda[start]; });
  var loaded = [Date.parse(data.loaded[0]), Date.parse(data.loaded[1])];
  var byDay = {};
  var view = null; // {y, m}: the month shown (m from 0)
  var selected = null; // "YYYY-MM-DD" in the zone
  var focusKey = null;
  var chosen = null; // the chosen instant (ms)
  var zones = null;
  var zonesLoading = null;

  var grid = root.querySelector(".cal-grid");
  var monthHeading = doc.getElementById("cal-month");
  var timesHeading = doc.getElementById("times-day");
  var timeList = root.querySelector(".time-list");
  var form = doc.getElementById("confirm-form");
  // Fields outside the forms (a reason, text consent) belong to the plain time list until
  // the booker takes over; then they go with its confirm form.
  Array.prototype.forEach.call(doc.querySelectorAll("[data-booker-field]"), function (field) {
    field.setAttribute("form", "confirm-form");
  });
  var zoneInput = doc.getElementById("zone-input");
  var zoneList = doc.getElementById("zone-list");
  var navButtons = root.querySelectorAll(".cal-nav");
  var clockButtons = root.querySelectorAll("[data-hc]");

  booker = { get zone() { return zone; } };

  // Intl formatters are costly to build: one per (kind, zone, clock).
  var formatters = {};
  function formatter(kind, tz) {
    var key = kind + "|" + tz + "|" + hourCycle;
    if (formatters[key]) return formatters[key];
    var options = { timeZone: tz };
    if (kind === "key") {
      formatters[key] = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" });
      return formatters[key];
    }
    if (kind === "time" || kind === "when") {
      // A 24-hour clock reads 08:30, as in the emails (CLDR's "HH:mm"); Intl's "numeric"
      // hour with an explicit hourCycle would write 8:30 and 0:30.
      options.hour = hourCycle === "h23" ? "2-digit" : "numeric";
      options.minute = "2-digit"; options.hourCycle = hourCycle;
    }
    if (kind === "when") {
      options.weekday = "long"; options.year = "numeric"; options.month = "long"; options.day = "numeric";
    }
    if (kind === "zone") options.timeZoneName = "longGeneric";
    if (kind === "offset") options.timeZoneName = "shortOffset";
    if (kind === "date") {
      options.weekday = "long"; options.year = "numeric"; options.month = "long"; options.day = "numeric";
    }
    if (kind === "month") { options.month = "long"; options.year = "numeric"; }
    if (kind === "weekday") options.weekday = "short";
    if (kind === "dayNumber") options.day = "numeric";
    if (kind === "weekdayLong") options.weekday = "long";
    formatters[key] = new Intl.DateTimeFormat(locale, options);
    return formatters[key];
  }

  function part(kind, tz, ms, type) {
    var found = formatter(kind, tz).formatToParts(ms).filter(function (p) { return p.type === type; })[0];
    return found ? found.value : "";
  }

  function dayKey(ms) { return formatter("key", zone).format(ms); }
  function keyUTC(key) { var p = key.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]); }
  function utcKey(ms) { return new Date(ms).toISOString().slice(0, 10); }
  function addDays(key, days) { return utcKey(keyUTC(key) + days * DAY); }
  function dayLabel(key) { return formatter("date", "UTC").format(keyUTC(key)); }
  function timeText(ms, tz) { return formatter("time", tz || zone).format(ms); }
  function zoneName(tz) { return part("zone", tz, nowMs, "timeZoneName") || tz; }
  function offsetText(tz) { return part("offset", tz, nowMs, "timeZoneName"); }

  function whenText(ms) {
    var format = formatter("when", zone);
    var text = format.formatRange ? format.formatRange(ms, ms + duration) : format.format(ms);
    return fill(S.when, { when: text, zone: zoneName(zone) });
  }

  function group() {
    byDay = {};
    Array.from(slots).sort(function (a, b) { return a - b; }).forEach(function (ms) {
      if (ms < nowMs) return;
      var key = dayKey(ms);
      (byDay[key] = byDay[key] || []).push(ms);
    });
  }

  function firstDayWithTimes(fromKey) {
    var keys = Object.keys(byDay).sort();
    for (var i = 0; i < keys.length; i++) if (!fromKey || keys[i] >= fromKey) return keys[i];
    return null;
  }

  // --- Loading more times ---------------------------------------------------------------------

  function monthRange(y, m) {
    return [Math.max(nowMs, Date.UTC(y, m, 1) - DAY), Math.min(Date.UTC(y, m + 1, 1) + DAY, until + DAY)];
  }

  function fetchDays(fromMs, toMs) {
    var url = data.slotsUrl + "?tz=UTC&from=" + utcKey(fromMs) + "&to=" + utcKey(toMs - 1);
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (body) {
        body.slots.forEach(function (slot) {
          slots.add(Date.parse(slot.start));
          if (slot.sessions) agenda[Date.parse(slot.start)] = slot.sessions;
        });
      });
  }

  function ensureLoaded(y, m) {
    var need = monthRange(y, m);
    var steps = Promise.resolve();
    if (need[0] < loaded[0]) {
      var from = Date.UTC(new Date(need[0]).getUTCFullYear(), new Date(need[0]).getUTCMonth(), new Date(need[0]).getUTCDate());
      var to = loaded[0];
      steps = steps.then(function () { return fetchDays(from, to); }).then(function () { loaded[0] = from; });
    }
    function more() {
      if (need[1] <= loaded[1]) return null;
      var start = Date.UTC(new Date(loaded[1]).getUTCFullYear(), new Date(loaded[1]).getUTCMonth(), new Date(loaded[1]).getUTCDate());
      var end = Math.min(start + 60 * DAY, Math.ceil(need[1] / DAY) * DAY);
      return fetchDays(start, end).then(function () { loaded[1] = end; return more(); });
    }
    return steps.then(more);
  }

  // --- The calendar ---------------------------------------------------------------------------

  function renderHead() {
    var row = grid.querySelector("thead tr");
    row.textContent = "";
    for (var i = 0; i < 7; i++) {
      var weekday = Date.UTC(2023, 0, 1 + ((data.firstDay + i) % 7)); // 1 Jan 2023: a Sunday
      var th = el("th", { scope: "col", abbr: formatter("weekdayLong", "UTC").format(weekday) },
        formatter("weekday", "UTC").format(weekday));
      row.appendChild(th);
    }
  }

  function todayKey() { return dayKey(nowMs); }

  function renderCalendar() {
    var body = grid.querySelector("tbody");
    body.textContent = "";
    monthHeading.textContent = formatter("month", "UTC").format(Date.UTC(view.y, view.m, 1));
    var first = Date.UTC(view.y, view.m, 1);
    var lead = (new Date(first).getUTCDay() - data.firstDay + 7) % 7;
    var days = new Date(Date.UTC(view.y, view.m + 1, 0)).getUTCDate();
    var today = todayKey();
    var currentKey = current ? dayKey(current) : null;
    var row = null;
    for (var cell = 0; cell < lead + days || cell % 7; cell++) {
      if (cell % 7 === 0) { row = el("tr"); body.appendChild(row); }
      var day = cell - lead + 1;
      if (day < 1 || day > days) { row.appendChild(el("td", { role: "gridcell" })); continue; }
      var key = utcKey(first + (day - 1) * DAY);
      var times = byDay[key] || [];
      var td = el("td", {
        role: "gridcell",
        "data-key": key,
        tabindex: key === focusKey ? "0" : "-1",
        "aria-selected": key === selected ? "true" : "false",
        "aria-disabled": times.length ? null : "true",
        "aria-current": key === today ? "date" : null,
        "aria-label": fill(times.length ? S.day_times : S.day_none, { day: dayLabel(key), count: times.length }),
        class: (times.length ? "open" : "closed") + (key === currentKey ? " has-current" : ""),
      });
      // The locale's own digits, as in every other date on the page (Arabic-Indic in ar).
      td.appendChild(el("span", { "aria-hidden": "true" }, formatter("dayNumber", "UTC").format(first + (day - 1) * DAY)));
      row.appendChild(td);
    }
    var todayParts = today.split("-");
    navButtons[0].disabled = view.y * 12 + view.m <= +todayParts[0] * 12 + (+todayParts[1] - 1);
    var end = new Date(until);
    navButtons[1].disabled = view.y * 12 + view.m >= end.getUTCFullYear() * 12 + end.getUTCMonth();
  }

  function renderTimes() {
    timeList.textContent = "";
    if (!selected) {
      // Not "try the next month" when every time up to the horizon was looked at.
      timesHeading.textContent = exhausted
        ? fill(S.no_times_left, { day: dayLabel(dayKey(until)) })
        : S.no_times_month;
      return;
    }
    timesHeading.textContent = fill(S.times_of, { day: dayLabel(selected) });
    var list = byDay[selected] || [];
    if (!list.length) timeList.appendChild(el("li", { class: "none" }, S.no_times_day));
    var shown = list.slice();
    if (current && dayKey(current) === selected && shown.indexOf(current) < 0) {
      shown.push(current);
      shown.sort(function (a, b) { return a - b; });
    }
    shown.forEach(function (ms) {
      var li = el("li");
      var isCurrent = ms === current;
      var button = el("button", {
        type: "button",
        class: "time" + (isCurrent ? " current" : ""),
        "data-ms": String(ms),
        "aria-pressed": ms === chosen ? "true" : "false",
        disabled: isCurrent,
      }, timeText(ms));
      if (isCurrent) button.appendChild(el("span", { class: "tag" }, S.current));
      li.appendChild(button);
      timeList.appendChild(li);
      if (ms === chosen) timeList.appendChild(confirmItem(ms));
    });
  }

  function confirmItem(ms) {
    var li = el("li", { class: "confirm" });
    li.appendChild(el("p", { id: "confirm-when", class: "confirm-when" }, whenText(ms)));
    var other = data.interviewer;
    var differs = other && other.zone && (timeText(ms, other.zone) !== timeText(ms) ||
      formatter("key", other.zone).format(ms) !== dayKey(ms));
    if (differs) {
      li.appendChild(el("p", { class: "other-zone" }, fill(S.both_zones, {
        mine: timeText(ms), theirs: timeText(ms, other.zone), name: other.name,
      })));
    }
    var sessions = agenda[ms];
    if (sessions) {
      li.appendChild(el("p", { id: "confirm-agenda-heading", class: "small-heading" }, S.agenda));
      var list = el("ol", { class: "agenda", id: "confirm-agenda", "aria-labelledby": "confirm-agenda-heading" });
      sessions.forEach(function (session) {
        var from = Date.parse(session.start), to = Date.parse(session.end);
        var item = el("li");
        item.appendChild(el("strong", null, timeText(from) + " – " + timeText(to)));
        var text = " " + fill(S.session, { name: session.name, minutes: Math.round((to - from) / 60000) });
        if (session["with"] && session["with"].length) text += ", " + fill(S.session_with, { people: session["with"].join(", ") });
        item.appendChild(doc.createTextNode(text));
        list.appendChild(item);
      });
      li.appendChild(list);
    }
    li.appendChild(el("button", {
      type: "submit", form: "confirm-form", class: "primary",
      "aria-describedby": sessions ? "confirm-when confirm-agenda" : "confirm-when",
    }, root.getAttribute("data-confirm-label") || S.confirm));
    return li;
  }

  // A month's times can arrive after the candidate has already moved on (tabbed into the
  // calendar, picked a time): drawing them again must not drop focus to the page's top.
  function render() {
    var active = doc.activeElement;
    var inGrid = active && grid.contains(active);
    var inTimes = active && timeList.contains(active);
    var timeMs = inTimes && active.classList.contains("time") ? active.getAttribute("data-ms") : null;
    renderCalendar();
    renderTimes();
    if (inGrid && !grid.contains(doc.activeElement)) focusDay();
    if (inTimes && !timeList.contains(doc.activeElement)) {
      var again = timeMs
        ? timeList.querySelector("button.time[data-ms='" + timeMs + "']")
        : timeList.querySelector(".confirm button");
      if (again) again.focus();
    }
  }

  function focusDay() {
    var cell = grid.querySelector("td[data-key='" + focusKey + "']");
    if (cell) cell.focus();
  }

  function showMonth(y, m, keyToFocus, thenFocus) {
    var date = new Date(Date.UTC(y, m, 1));
    view = { y: date.getUTCFullYear(), m: date.getUTCMonth() };
    focusKey = keyToFocus || null;
    grid.setAttribute("aria-busy", "true");
    render();
    var want = view;
    return ensureLoaded(view.y, view.m).then(function () {
      if (want !== view) return;
      group();
      grid.removeAttribute("aria-busy");
      var monthStart = utcKey(Date.UTC(view.y, view.m, 1));
      if (!focusKey) {
        var firstOpen = firstDayWithTimes(monthStart);
        focusKey = firstOpen && firstOpen.slice(0, 7) === monthStart.slice(0, 7) ? firstOpen : monthStart;
      }
      render();
      if (thenFocus) focusDay();
    }, function () {
      grid.removeAttribute("aria-busy");
      announce(S.load_failed);
      timesHeading.textContent = S.load_failed;
    });
  }

  function choose(key) {
    if (!byDay[key]) return;
    selected = key;
    focusKey = key;
    chosen = null;
    form.elements.start.value = "";
    render();
  }

  grid.addEventListener("click", function (event) {
    var cell = event.target.closest("td[data-key]");
    if (!cell) return;
    focusKey = cell.getAttribute("data-key");
    choose(focusKey);
    focusDay();
  });

  grid.addEventListener("keydown", function (event) {
    var cell = event.target.closest("td[data-key]");
    if (!cell) return;
    var key = cell.getAttribute("data-key");
    var step = { ArrowLeft: rtl ? 1 : -1, ArrowRight: rtl ? -1 : 1, ArrowUp: -7, ArrowDown: 7 }[event.key];
    var target = null;
    var date = new Date(keyUTC(key));
    var weekday = (date.getUTCDay() - data.firstDay + 7) % 7;
    if (step) target = addDays(key, step);
    else if (event.key === "Home") target = addDays(key, -weekday);
    else if (event.key === "End") target = addDays(key, 6 - weekday);
    else if (event.key === "PageUp" || event.key === "PageDown") {
      var months = (event.key === "PageUp" ? -1 : 1) * (event.shiftKey ? 12 : 1);
      var moved = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
      var last = new Date(Date.UTC(moved.getUTCFullYear(), moved.getUTCMonth() + 1, 0)).getUTCDate();
      moved.setUTCDate(Math.min(date.getUTCDate(), last));
      target = utcKey(moved.getTime());
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      choose(key);
      focusDay();
      return;
    } else return;
    event.preventDefault();
    if (target < todayKey()) target = todayKey();
    var targetDate = new Date(keyUTC(target));
    if (targetDate.getUTCFullYear() !== view.y || targetDate.getUTCMonth() !== view.m) {
      showMonth(targetDate.getUTCFullYear(), targetDate.getUTCMonth(), target, true);
    } else {
      focusKey = target;
      renderCalendar();
      focusDay();
    }
  });

  navButtons.forEach(function (button) {
    button.addEventListener("click", function () {
      showMonth(view.y, view.m + Number(button.getAttribute("data-step")));
    });
  });

  timeList.addEventListener("click", function (event) {
    var button = event.target.closest("button.time");
    if (!button || button.disabled) return;
    chosen = Number(button.getAttribute("data-ms"));
    form.elements.start.value = new Date(chosen).toISOString().replace(".000Z", "Z");
    renderTimes();
    announce(fill(S.chosen, { when: whenText(chosen) }));
    var confirm = timeList.querySelector(".confirm button");
    if (confirm) confirm.focus();
  });

  // --- The clock ------------------------------------------------------------------------------

  function renderClock() {
    clockButtons.forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-hc") === hourCycle ? "true" : "false");
    });
    form.elements.hc.value = hourCycle;
  }

  clockButtons.forEach(function (button) {
    button.addEventListener("click", function () {
      hourCycle = button.getAttribute("data-hc");
      try { window.localStorage.setItem("hireslot.hc", hourCycle); } catch (e) { /* private mode */ }
      renderClock();
      renderTimes();
      // The availability grid (availability_grid.js) follows the booker's clock and zone.
      doc.dispatchEvent(new CustomEvent("hireslot:clock", { detail: { hourCycle: hourCycle } }));
    });
  });

  // --- The zone chooser -----------------------------------------------------------------------

  function loadZones() {
    if (!zonesLoading) {
      zonesLoading = fetch(data.zonesUrl, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          zones = body.zones;
          Object.keys(body.aliases).forEach(function (alias) { retired[alias] = body.aliases[alias]; });
          return zones;
        });
    }
    return zonesLoading;
  }

  function zoneEntry(id) {
    id = retired[id] || id;
    return zones ? zones.filter(function (z) { return z[0] === id; })[0] : null;
  }

  function zoneLabel(id) {
    var entry = zoneEntry(id);
    var name = entry ? entry[1] : zoneName(id);
    var city = entry ? entry[2] : id.split("/").pop().replace(/_/g, " ");
    var offset = offsetText(id);
    return (name === city ? city : name + " — " + city) + (offset ? " (" + offset + ")" : "");
  }

  var matches = [];
  var active = -1;

  function search(query) {
    var needle = query.trim().toLocaleLowerCase();
    if (!needle) return [];
    var ranked = [];
    zones.forEach(function (z) {
      var abbreviations = z[4].toLocaleLowerCase().split(" ");
      var city = z[2].toLocaleLowerCase();
      var rank = abbreviations.indexOf(needle) >= 0 || city === needle ? 0 :
        city.indexOf(needle) === 0 ? 1 :
        (z[1] + " " + z[3] + " " + z[0].replace(/_/g, " ")).toLocaleLowerCase().indexOf(needle) >= 0 || city.indexOf(needle) >= 0 ? 2 : -1;
      if (rank >= 0) ranked.push([rank, z]);
    });
    ranked.sort(function (a, b) { return a[0] - b[0] || a[1][2].localeCompare(b[1][2], locale); });
    return ranked.slice(0, 8).map(function (r) { return r[1]; });
  }

  function closeZones(restore) {
    zoneList.hidden = true;
    zoneInput.setAttribute("aria-expanded", "false");
    zoneInput.removeAttribute("aria-activedescendant");
    active = -1;
    if (restore) zoneInput.value = zoneLabel(zone);
  }

  function renderZones() {
    zoneList.textContent = "";
    active = matches.length ? 0 : -1;
    if (!matches.length) {
      zoneList.appendChild(el("li", { role: "option", "aria-disabled": "true", id: "zone-none", "aria-selected": "false" },
        fill(S.zone_none, { query: zoneInput.value })));
    }
    matches.forEach(function (z, i) {
      var li = el("li", { role: "option", id: "zone-option-" + i, "data-zone": z[0], "aria-selected": i === active ? "true" : "false" });
      li.appendChild(el("span", { class: "zone-city" }, z[2] + (z[3] ? ", " + z[3] : "")));
      li.appendChild(el("span", { class: "zone-meta" }, z[1] + " · " + timeText(nowMs, z[0])));
      zoneList.appendChild(li);
    });
    zoneList.hidden = false;
    zoneInput.setAttribute("aria-expanded", "true");
    if (active >= 0) zoneInput.setAttribute("aria-activedescendant", "zone-option-" + active);
    announce(fill(S.zone_results, { count: matches.length }));
  }

  function moveActive(step) {
    if (!matches.length) return;
    active = (active + step + matches.length) % matches.length;
    zoneList.querySelectorAll("[role=option]").forEach(function (option, i) {
      option.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    zoneInput.setAttribute("aria-activedescendant", "zone-option-" + active);
    var option = doc.getElementById("zone-option-" + active);
    if (option) option.scrollIntoView({ block: "nearest" });
  }

  function zoneChoose(id) {
    zone = id;
    closeZones(true);
    form.elements.tz.value = id;
    var url = new URL(window.location.href);
    url.searchParams.set("tz", id);
    window.history.replaceState(null, "", url.toString());
    var keep = selected;
    group();
    selected = keep && byDay[keep] ? keep : firstDayWithTimes(todayKey());
    chosen = null;
    form.elements.start.value = "";
    focusKey = selected;
    var key = selected || todayKey();
    showMonth(+key.slice(0, 4), +key.slice(5, 7) - 1, selected);
    announce(fill(S.zone_changed, { zone: zoneLabel(id) }));
    doc.dispatchEvent(new CustomEvent("hireslot:zone", { detail: { zone: id } }));
  }

  zoneInput.addEventListener("focus", function () {
    zoneInput.select();
    loadZones();
  });
  zoneInput.addEventListener("input", function () {
    loadZones().then(function () {
      matches = search(zoneInput.value);
      renderZones();
    });
  });
  zoneInput.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (zoneList.hidden && zones) { matches = search(zoneInput.value); renderZones(); } else moveActive(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!zoneList.hidden && active >= 0) zoneChoose(matches[active][0]);
    } else if (event.key === "Escape") {
      closeZones(true);
    }
  });
  zoneInput.addEventListener("blur", function () {
    window.setTimeout(function () { if (doc.activeElement !== zoneInput) closeZones(true); }, 150);
  });
  // mousedown, not click: choosing must happen before the input's blur closes the list.
  zoneList.addEventListener("mousedown", function (event) {
    var option = event.target.closest("[data-zone]");
    event.preventDefault();
    if (option) zoneChoose(option.getAttribute("data-zone"));
  });

  // --- First paint ----------------------------------------------------------------------------

  form.elements.tz.value = zone;
  if (languageForm && languageForm.querySelector("input[name=tz]")) languageForm.querySelector("input[name=tz]").value = zone;
  renderHead();
  renderClock();
  group();
  // Rescheduling opens on the day of the current time, where it is marked.
  selected = current ? dayKey(current) : firstDayWithTimes(todayKey());
  focusKey = selected;
  var start = selected || todayKey();
  view = { y: +start.slice(0, 4), m: +start.slice(5, 7) - 1 };
  render();
  zoneInput.value = zoneLabel(zone);
  // The rest of the first month (the page embeds two weeks), then the zone names.
  showMonth(view.y, view.m, focusKey).then(function () {
    if (selected) return null;
    selected = firstDayWithTimes(todayKey());
    if (selected) { focusKey = selected; render(); return null; }
    // Nothing this month: look ahead to the horizon and open on the first day with times
    // (or say plainly that there is none), rather than leave the candidate paging through
    // empty months.
    var last = new Date(until);
    return ensureLoaded(last.getUTCFullYear(), last.getUTCMonth()).then(function () {
      group();
      var first = firstDayWithTimes(todayKey());
      if (first) {
        selected = first;
        return showMonth(+first.slice(0, 4), +first.slice(5, 7) - 1, first);
      }
      exhausted = true;
      render();
      return null;
    });
  });
  loadZones().then(function () {
    if (doc.activeElement !== zoneInput) zoneInput.value = zoneLabel(zone);
  }, function () { /* the chooser still works by IANA name */ });
})();
