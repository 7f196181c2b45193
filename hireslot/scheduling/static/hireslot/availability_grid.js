// "None of these times work": the candidate paints the times they could do on a week grid.
// It enhances the plain availability form, whose rows of day + from/to stay below it (the way
// to type times, and the whole form without a script). Half-hour cells in the candidate's
// zone; drag or tap with a mouse, pen or finger (pointer events; only the cells refuse the
// browser's panning), or move with the arrow keys and press Space. Painted cells and typed
// rows merge into windows, sent as JSON, and the grid shows both, so it never disagrees with
// the list: a row left on the half hours (or painted over) becomes painted cells. The light
// shading is where the booker already offers times (/s/<token>/slots): nothing else about the
// interviewers reaches the page.
(function () {
  "use strict";
  var doc = document;
  var host = doc.querySelector("[data-availability-grid]");
  var dataNode = doc.getElementById("availability-grid-data");
  if (!host || !dataNode || !window.Intl || !window.fetch) return;

  var MINUTE = 60000, CELL = 30 * MINUTE, DAY = 86400000, ROWS = 48;
  var data = JSON.parse(dataNode.textContent);
  var S = data.strings;
  var locale = data.locale;
  var rtl = doc.documentElement.dir === "rtl";
  var form = doc.getElementById(host.getAttribute("data-form"));
  var nowMs = Date.now();
  // The candidate may say when they could do up to some weeks ahead, past the link's expiry:
  // the recruiter books from their windows later.
  var until = Math.max(Date.parse(data.until), Date.now() + data.horizonDays * DAY);
  var duration = data.duration * MINUTE;
  var zone = zoneNow();
  var hourCycle = clockNow();
  var chosen = new Set(); // start instants (ms) of the chosen half-hour cells
  var offered = data.slots.map(Date.parse);
  var loaded = [Date.parse(data.loaded[0]), Date.parse(data.loaded[1])];
  var first = null; // the first day shown, "YYYY-MM-DD" in the zone
  var wholeDay = false;
  var focus = { day: 0, row: 18 }; // 09:00
  var drag = null;
  var submitted = false;

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  function el(tag, attrs, text) {
    var node = doc.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : value);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The booker's zone and clock when it is on the page (it may have detected or been told
  // another zone than the server's guess), else the browser's own zone.
  function zoneNow() {
    var field = doc.querySelector("#confirm-form input[name=tz]");
    if (field && field.value) return field.value;
    if (!data.zoneFixed) {
      try { return Intl.DateTimeFormat().resolvedOptions().timeZone || data.zone; } catch (e) { /* old browser */ }
    }
    return data.zone;
  }

  function clockNow() {
    var field = doc.querySelector("#confirm-form input[name=hc]");
    return field && (field.value === "h12" || field.value === "h23") ? field.value : data.hourCycle;
  }

  // --- Time arithmetic in the candidate's zone -------------------------------------------------

  var formats = {};
  function format(kind) {
    var key = kind + "|" + zone + "|" + hourCycle;
    if (formats[key]) return formats[key];
    var o = { timeZone: zone };
    if (kind === "parts") {
      formats[key] = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric",
        month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });
      return formats[key];
    }
    if (kind === "time" || kind === "when") {
      o.hour = hourCycle === "h23" ? "2-digit" : "numeric"; o.minute = "2-digit"; o.hourCycle = hourCycle;
    }
    if (kind === "when" || kind === "day") { o.weekday = "short"; o.day = "numeric"; o.month = "short"; }
    if (kind === "dayLong") { o.weekday = "long"; o.day = "numeric"; o.month = "long"; }
    if (kind === "weekday") o.weekday = "short";
    if (kind === "dayNumber") o.day = "numeric";
    if (kind === "range") { o.day = "numeric"; o.month = "short"; o.year = "numeric"; }
    if (kind === "zone") o.timeZoneName = "longGeneric";
    formats[key] = new Intl.DateTimeFormat(locale, o);
    return formats[key];
  }

  function wall(ms) {
    var p = {};
    format("parts").formatToParts(ms).forEach(function (x) { p[x.type] = +x.value; });
    return p;
  }

  function offset(ms) {
    var p = wall(ms);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute) - Math.floor(ms / MINUTE) * MINUTE;
  }

  function keyOf(ms) {
    var p = wall(ms);
    return p.year + "-" + String(p.month).padStart(2, "0") + "-" + String(p.day).padStart(2, "0");
  }

  function keyUTC(key) { var p = key.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]); }
  function addDays(key, n) { return new Date(keyUTC(key) + n * DAY).toISOString().slice(0, 10); }

  // The instant of a wall-clock half hour on a local day; null when the clock skips it
  // (spring forward). A repeated half hour (fall back) is its first occurrence, as the engine does.
  var starts = {};
  function cellStart(key, row) {
    var id = zone + key + row;
    if (!(id in starts)) starts[id] = instantOf(key, row * 30);
    return starts[id];
  }

  function instantOf(key, minutes) {
    var local = keyUTC(key) + minutes * MINUTE;
    var guess = local - offset(local);
    var earlier = local - offset(guess - 3 * 3600000);
    var found = null;
    [earlier, guess, local - offset(guess)].forEach(function (ms) {
      var p = wall(ms);
      var back = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute);
      if (back === local && (found === null || ms < found)) found = ms;
    });
    return found;
  }

  function timeText(ms) { return format("time").format(ms); }
  function rowLabel(row) {
    // Row labels are wall-clock times, not instants: formatted in UTC for one fixed day.
    var o = { timeZone: "UTC", hour: hourCycle === "h23" ? "2-digit" : "numeric", minute: "2-digit", hourCycle: hourCycle };
    return new Intl.DateTimeFormat(locale, o).format(Date.UTC(2024, 0, 1, 0, row * 30));
  }
  function dayText(key, kind) { return new Intl.DateTimeFormat(locale, Object.assign({ timeZone: "UTC" }, kind === "long" ? { weekday: "long", day: "numeric", month: "long" } : { weekday: "short", day: "numeric", month: "short" })).format(keyUTC(key)); }

  // --- Windows ---------------------------------------------------------------------------------

  // The painted half hours and the typed rows, joined where they touch or overlap.
  function windows() {
    var all = Array.from(chosen).map(function (ms) { return { start: ms, end: ms + CELL }; })
      .concat(typed().windows);
    all.sort(function (a, b) { return a.start - b.start; });
    var list = [];
    all.forEach(function (w) {
      var last = list[list.length - 1];
      if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
      else list.push({ start: w.start, end: w.end });
    });
    return list;
  }

  // The form's rows as instants in the grid's zone, as the server reads them: "to" at or
  // before "from" ends the next day; a half-filled row is a problem to show.
  function typed() {
    var found = { windows: [], problem: "" };
    if (!rowsBox) return found;
    rowsBox.querySelectorAll(".window-row").forEach(function (row, i) {
      var day = row.querySelector("[name=day]").value, from = row.querySelector("[name=from]").value,
        to = row.querySelector("[name=to]").value;
      if (!day && !from && !to) return;
      if (!day || !from || !to) { found.problem = found.problem || fill(S.row_incomplete, { row: i + 1 }); return; }
      var a = +from.slice(0, 2) * 60 + +from.slice(3, 5), b = +to.slice(0, 2) * 60 + +to.slice(3, 5);
      var start = instantOf(day, a), end = instantOf(b > a ? day : addDays(day, 1), b);
      if (start === null || end === null) { found.problem = found.problem || fill(S.row_incomplete, { row: i + 1 }); return; }
      found.windows.push({ start: start, end: end, row: row });
    });
    return found;
  }

  function windowText(w) {
    var end = w.end;
    if (keyOf(w.start) === keyOf(end - 1) && keyOf(end) !== keyOf(w.start)) {
      // Until midnight: "Tue 8 Dec, 21:00–24:00" reads better than the next day's 00:00.
      return fill(S.window, { day: dayText(keyOf(w.start)), from: timeText(w.start), to: hourCycle === "h23" ? "24:00" : timeText(end) });
    }
    if (keyOf(w.start) === keyOf(end)) return fill(S.window, { day: dayText(keyOf(w.start)), from: timeText(w.start), to: timeText(end) });
    return fill(S.window_days, { from: format("when").format(w.start), to: format("when").format(end) });
  }

  function problem(list) {
    var rows = typed().problem;
    if (rows) return rows;
    if (!list.length) return S.none_chosen;
    if (list.length > data.maxWindows) return fill(S.too_many, { max: data.maxWindows, count: list.length });
    var long = list.filter(function (w) { return w.end - w.start > data.maxHours * 3600000; })[0];
    if (long) return fill(S.too_long, { hours: data.maxHours, window: windowText(long) });
    return "";
  }

  // The half hours a typed row covers, widened to whole cells (a quarter past paints its cell).
  function cellsOf(w) {
    var cells = [], lead = (((w.start + offset(w.start)) % CELL) + CELL) % CELL;
    for (var ms = w.start - lead; ms < w.end; ms += CELL) cells.push(ms);
    return cells;
  }
  function onHalfHours(w) { return cellsOf(w)[0] === w.start && (w.end - w.start) % CELL === 0; }

  // Typed rows that pass the test become painted cells and their row is emptied, so the grid
  // edits them like any painted time. A row with a past half hour stays, for the server to refuse.
  function absorb(test) {
    var added = [];
    typed().windows.forEach(function (w) {
      var cells = cellsOf(w);
      if (!test(w) || !cells.every(open)) return;
      cells.forEach(function (ms) { chosen.add(ms); added.push(ms); });
      w.row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    });
    return added;
  }

  // Before the grid is edited: rows on the half hours, and any row under the cells touched.
  function absorbFor(from, to) {
    return absorb(function (w) { return onHalfHours(w) || (w.start < to && w.end > from); });
  }

  // What the grid shows as chosen: painted cells and every half hour a typed row touches.
  function shownSet() {
    var set = new Set(chosen);
    typed().windows.forEach(function (w) { cellsOf(w).forEach(function (ms) { set.add(ms); }); });
    return set;
  }

  function iso(ms) { return new Date(ms).toISOString().replace(".000Z", "Z"); }

  // --- Interviewers' likely free times (the booker's own offer) -------------------------------

  function likelyFree(ms) {
    for (var i = 0; i < offered.length; i++) {
      if (offered[i] < ms + CELL && offered[i] + duration > ms) return true;
    }
    return false;
  }

  function ensureOffered(fromKey, days) {
    var need = [cellStart(fromKey, 0) || keyUTC(fromKey) - DAY, keyUTC(addDays(fromKey, days)) + DAY];
    if (!data.slotsUrl || need[1] <= loaded[1] || loaded[1] >= until) return Promise.resolve(false);
    var from = new Date(Math.max(loaded[1], need[0])).toISOString().slice(0, 10);
    var to = new Date(Math.min(need[1] + 7 * DAY, until + DAY)).toISOString().slice(0, 10);
    return fetch(data.slotsUrl + "?tz=UTC&from=" + from + "&to=" + to, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (body) {
        body.slots.forEach(function (s) { var ms = Date.parse(s.start); if (offered.indexOf(ms) < 0) offered.push(ms); });
        loaded[1] = keyUTC(to) + DAY;
        return true;
      }, function () { return false; });
  }

  // --- The page's parts ------------------------------------------------------------------------

  host.textContent = "";
  host.hidden = false;
  var intro = el("p", { class: "ag-intro", id: "ag-intro" }, S.intro + " ");
  intro.appendChild(el("span", { class: "visually-hidden" }, S.keys));
  var zoneLine = el("p", { class: "ag-zone" });
  var zoneText = el("span");
  zoneLine.appendChild(zoneText);
  var bar = el("div", { class: "ag-bar" });
  var prev = el("button", { type: "button", class: "ag-nav", "aria-label": S.previous }, "");
  prev.appendChild(el("span", { "aria-hidden": "true" }, "‹"));
  var next = el("button", { type: "button", class: "ag-nav", "aria-label": S.next }, "");
  next.appendChild(el("span", { "aria-hidden": "true" }, "›"));
  var range = el("h3", { id: "ag-range", class: "ag-range", "aria-live": "polite" });
  var whole = el("button", { type: "button", class: "ag-whole", "aria-pressed": "false" }, S.whole_day);
  bar.append(prev, range, next);
  var legend = el("ul", { class: "ag-legend" });
  var legendFree = el("li");
  legendFree.append(el("span", { class: "ag-swatch free", "aria-hidden": "true" }), doc.createTextNode(S.legend_free));
  var legendMine = el("li");
  legendMine.append(el("span", { class: "ag-swatch mine", "aria-hidden": "true" }), doc.createTextNode(S.legend_mine));
  legend.append(legendMine, legendFree);
  var tools = el("div", { class: "ag-tools" });
  tools.append(legend, whole);
  var scroller = el("div", { class: "ag-scroll" });
  var table = el("table", { role: "grid", class: "ag-grid", "aria-label": S.grid, "aria-describedby": "ag-intro ag-range", "aria-multiselectable": "true" });
  var head = el("thead");
  var body = el("tbody");
  table.append(head, body);
  scroller.appendChild(table);

  var summary = el("section", { class: "ag-summary", "aria-labelledby": "ag-chosen-heading" });
  var chosenHeading = el("h3", { id: "ag-chosen-heading" }, S.chosen_heading);
  var list = el("ul", { class: "ag-list" });
  var empty = el("p", { class: "ag-empty" }, S.none_yet);
  summary.append(chosenHeading, empty, list);

  var status = el("p", { class: "visually-hidden", role: "status", id: "ag-status" });
  var alert = el("div", { class: "alert error ag-error", role: "alert", tabindex: "-1", id: "ag-error", hidden: true });
  var main = el("div", { class: "ag-main" });
  main.append(intro, zoneLine, bar, tools, scroller);
  var side = el("div", { class: "ag-side" });
  side.append(summary);
  host.append(main, side, status);
  var send = form.querySelector("[type=submit]");
  var actions = send.closest(".actions") || send;
  actions.parentNode.insertBefore(alert, actions);
  // The zone sentence moves into the grid, keeping its link to the zone page when no booker
  // is on the page; the rows stay for typing.
  form.classList.add("ag-enhanced");
  var rowsBox = form.querySelector(".availability-rows");
  if (rowsBox) {
    // The rows were filled with what was shared before: the grid shows that now, and the
    // rows are for typing more.
    rowsBox.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    var legendNode = rowsBox.querySelector("legend");
    if (legendNode) legendNode.textContent = S.add_heading;
    rowsBox.addEventListener("input", function () { renderSummary(); paint(); });
    rowsBox.addEventListener("focusout", function (event) {
      var row = event.target.closest(".window-row");
      if (!row || (event.relatedTarget && row.contains(event.relatedTarget))) return;
      if (absorb(function (w) { return w.row === row && onHalfHours(w); }).length) paint();
    });
  }
  // The rows are read in the grid's zone, which is the one sent.
  var zoneField = form.querySelector("[name=time_zone]");
  if (zoneField) zoneField.value = zone;
  var zoneLink = form.querySelector(".zone-now a");
  if (zoneLink && !doc.getElementById("zone-input")) zoneLine.append(" ", zoneLink.cloneNode(true));
  // What was shared before: on the zone's half hours it is painted; a window typed at a
  // quarter past goes back into a row as it was (rounded to half hours only if rows run out).
  var spare = rowsBox ? Array.from(rowsBox.querySelectorAll(".window-row")) : [];
  function clock(ms) { var p = wall(ms); return String(p.hour % 24).padStart(2, "0") + ":" + String(p.minute).padStart(2, "0"); }
  (data.windows || []).forEach(function (w) {
    var start = Date.parse(w.start), end = Date.parse(w.end);
    var lead = (((start + offset(start)) % CELL) + CELL) % CELL;
    var tail = (((end + offset(end)) % CELL) + CELL) % CELL;
    if ((lead || tail) && spare.length) {
      var row = spare.shift();
      row.querySelector("[name=day]").value = keyOf(start);
      row.querySelector("[name=from]").value = clock(start);
      row.querySelector("[name=to]").value = clock(end);
      return;
    }
    for (var ms = start - lead; ms < end; ms += CELL) chosen.add(ms);
  });

  function announce(text) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 30);
  }

  function showError(text) {
    alert.textContent = text;
    alert.hidden = !text;
    if (text) alert.focus();
  }

  // --- Rendering -------------------------------------------------------------------------------

  // A phone shows four days at a time, big enough for a finger; wider screens a week.
  function perView() { return window.innerWidth < 600 ? 4 : 7; }
  function today() { return keyOf(nowMs); }
  function lastDay() { return keyOf(until - 1); }
  // The hours shown: 07:00-21:00, widened to every hour the interviewers are likely free
  // (a candidate in Tokyo for interviewers in New York needs the night and the early morning).
  var span = null;
  function freeSpan() {
    if (span && span.zone === zone && span.count === offered.length) return span;
    span = { zone: zone, count: offered.length, from: data.firstRow, to: data.lastRow };
    offered.forEach(function (ms) {
      var a = wall(ms), b = wall(ms + duration - 1);
      var from = a.hour % 24 * 2 + Math.floor(a.minute / 30), to = b.hour % 24 * 2 + Math.floor(b.minute / 30) + 1;
      if (to <= from) { span.from = 0; span.to = ROWS; return; }
      span.from = Math.min(span.from, from);
      span.to = Math.max(span.to, to);
    });
    return span;
  }
  function rowsShown() {
    var from = wholeDay ? 0 : freeSpan().from, to = wholeDay ? ROWS : freeSpan().to;
    var rows = [];
    for (var r = from; r < to; r++) rows.push(r);
    return rows;
  }
  // A half hour already begun is closed: the server takes only times still to come.
  function open(ms) { return ms !== null && ms > Date.now() && ms < until; }

  var days = [];
  function render() {
    var n = perView();
    days = [];
    for (var i = 0; i < n; i++) days.push(addDays(first, i));
    range.textContent = new Intl.DateTimeFormat(locale, { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" })
      .formatRange(keyUTC(days[0]), keyUTC(days[n - 1]));
    prev.disabled = first <= today();
    next.disabled = addDays(first, n) > lastDay();
    zoneText.textContent = fill(S.zone, { zone: zoneName() });
    whole.hidden = freeSpan().from === 0 && freeSpan().to === ROWS;
    var row = el("tr");
    row.appendChild(el("th", { scope: "col", class: "ag-corner" }, "")).appendChild(el("span", { class: "visually-hidden" }, S.time));
    days.forEach(function (key) {
      var th = el("th", { scope: "col", abbr: dayText(key, "long") });
      th.append(el("span", { class: "ag-wd" }, new Intl.DateTimeFormat(locale, { timeZone: "UTC", weekday: "short" }).format(keyUTC(key))),
        el("span", { class: "ag-dn" }, new Intl.DateTimeFormat(locale, { timeZone: "UTC", day: "numeric" }).format(keyUTC(key))));
      if (key === today()) th.classList.add("today");
      row.appendChild(th);
    });
    head.textContent = "";
    head.appendChild(row);
    body.textContent = "";
    var rows = rowsShown();
    var shown = shownSet();
    if (focus.row < rows[0]) focus.row = rows[0];
    if (focus.row > rows[rows.length - 1]) focus.row = rows[rows.length - 1];
    if (focus.day >= n) focus.day = n - 1;
    rows.forEach(function (r) {
      var tr = el("tr", { class: r % 2 ? "half" : "hour" });
      var label = rowLabel(r);
      var th = el("th", { scope: "row" });
      th.appendChild(el("span", r % 2 ? { class: "visually-hidden" } : null, label));
      tr.appendChild(th);
      days.forEach(function (key, d) {
        var ms = cellStart(key, r);
        var usable = open(ms);
        var td = el("td", {
          role: "gridcell",
          "data-day": String(d), "data-row": String(r),
          "data-ms": ms === null ? null : String(ms),
          tabindex: d === focus.day && r === focus.row ? "0" : "-1",
          "aria-selected": usable ? String(shown.has(ms)) : null,
          "aria-disabled": usable ? null : "true",
          "aria-label": fill(S.cell, { day: dayText(key), time: label }) + (usable && likelyFree(ms) ? ", " + S.likely_free : ""),
          class: (usable ? "" : "off") + (usable && likelyFree(ms) ? " free" : ""),
        });
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function paint() {
    var shown = shownSet();
    body.querySelectorAll("td[data-ms]").forEach(function (td) {
      if (td.getAttribute("aria-disabled")) return;
      td.setAttribute("aria-selected", String(shown.has(+td.getAttribute("data-ms"))));
    });
  }

  function renderSummary() {
    var ws = windows();
    list.textContent = "";
    empty.hidden = ws.length > 0;
    ws.forEach(function (w) {
      var text = windowText(w);
      var li = el("li");
      li.appendChild(el("span", { class: "ag-when" }, text));
      var remove = el("button", { type: "button", class: "ag-remove", "data-start": String(w.start), "data-end": String(w.end), "aria-label": fill(S.remove_one, { window: text }) }, S.remove);
      li.appendChild(remove);
      list.appendChild(li);
    });
    var wrong = ws.length ? problem(ws) : "";
    if (!wrong && alert.getAttribute("data-local")) { alert.hidden = true; alert.removeAttribute("data-local"); }
    return ws;
  }

  function changed(before) {
    var after = windows();
    renderSummary();
    var added = after.filter(function (w) { return !before.some(function (b) { return b.start === w.start && b.end === w.end; }); });
    var words = after.length ? fill(S.count, { count: after.length }) : S.none_yet;
    if (added.length) words = fill(S.added, { window: windowText(added[0]) }) + " " + words;
    else if (after.length < before.length) words = S.removed + " " + words;
    var wrong = after.length ? problem(after) : "";
    announce(wrong ? wrong + " " + words : words);
  }

  function zoneName() {
    var found = format("zone").formatToParts(nowMs).filter(function (p) { return p.type === "timeZoneName"; })[0];
    var city = zone.split("/").pop().replace(/_/g, " ");
    return found ? found.value + " (" + city + ")" : zone;
  }

  function show(key, thenFocus) {
    first = key < today() ? today() : key;
    render();
    if (thenFocus) focusCell();
    ensureOffered(first, perView()).then(function (more) {
      if (!more) return;
      // The offered times can arrive after the candidate has moved into the grid.
      var hadFocus = body.contains(doc.activeElement);
      render();
      if (thenFocus || hadFocus) focusCell();
    });
  }

  function cellAt(d, r) { return body.querySelector("td[data-day='" + d + "'][data-row='" + r + "']"); }

  function focusCell() {
    var td = cellAt(focus.day, focus.row);
    if (!td) return;
    body.querySelectorAll("td[tabindex='0']").forEach(function (c) { c.setAttribute("tabindex", "-1"); });
    td.setAttribute("tabindex", "0");
    td.focus({ preventScroll: drag !== null });
  }

  // --- Painting with a pointer -----------------------------------------------------------------

  function posOf(td) { return { day: +td.getAttribute("data-day"), row: +td.getAttribute("data-row") }; }

  function applyRect(a, b) {
    var rect = new Set();
    for (var d = Math.min(a.day, b.day); d <= Math.max(a.day, b.day); d++) {
      for (var r = Math.min(a.row, b.row); r <= Math.max(a.row, b.row); r++) {
        var ms = cellStart(days[d], r);
        if (open(ms)) rect.add(ms);
      }
    }
    // Erasing across a typed row makes it painted cells first, so the eraser takes them too.
    if (!drag.add) {
      absorb(function (w) { return cellsOf(w).some(function (c) { return rect.has(c); }); })
        .forEach(function (c) { drag.before.add(c); });
    }
    chosen = new Set(drag.before);
    rect.forEach(function (c) { if (drag.add) chosen.add(c); else chosen.delete(c); });
    paint();
  }

  table.addEventListener("pointerdown", function (event) {
    var td = event.target.closest("td[data-ms]");
    if (!td || event.button > 0 || td.getAttribute("aria-disabled")) return;
    event.preventDefault();
    var ms = +td.getAttribute("data-ms");
    var was = windows();
    absorbFor(ms, ms + CELL);
    drag = { windows: was, id: event.pointerId, anchor: posOf(td), add: !chosen.has(ms), before: new Set(chosen) };
    focus = posOf(td);
    focusCell();
    applyRect(drag.anchor, drag.anchor);
  });

  doc.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.id) return;
    var node = doc.elementFromPoint(event.clientX, event.clientY);
    var td = node && node.closest ? node.closest("td[data-ms]") : null;
    if (!td || !table.contains(td)) return;
    var at = posOf(td);
    if (at.day === focus.day && at.row === focus.row) return;
    focus = at;
    focusCell();
    applyRect(drag.anchor, at);
  });

  function dragEnd(event) {
    if (!drag || event.pointerId !== drag.id) return;
    var before = drag.windows;
    drag = null;
    changed(before);
  }
  doc.addEventListener("pointerup", dragEnd);
  doc.addEventListener("pointercancel", dragEnd);

  // --- The keyboard ----------------------------------------------------------------------------

  table.addEventListener("keydown", function (event) {
    var td = event.target.closest("td[data-day]");
    if (!td) return;
    var at = posOf(td);
    var rows = rowsShown();
    var step = { ArrowLeft: rtl ? 1 : -1, ArrowRight: rtl ? -1 : 1 }[event.key];
    if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      var ms = td.getAttribute("data-ms");
      if (ms === null || td.getAttribute("aria-disabled")) return;
      var before = windows();
      absorbFor(+ms, +ms + CELL);
      if (chosen.has(+ms)) chosen.delete(+ms); else chosen.add(+ms);
      paint();
      changed(before);
      return;
    }
    if (step) {
      var day = at.day + step;
      if (day < 0 || day >= days.length) {
        var to = addDays(first, step * days.length);
        if ((step < 0 && first <= today()) || (step > 0 && to > lastDay())) { event.preventDefault(); return; }
        focus = { day: step < 0 ? days.length - 1 : 0, row: at.row };
        event.preventDefault();
        show(to, true);
        return;
      }
      focus = { day: day, row: at.row };
    } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      var row = at.row + (event.key === "ArrowUp" ? -1 : 1);
      if (row < rows[0] || row > rows[rows.length - 1]) { event.preventDefault(); return; }
      focus = { day: at.day, row: row };
    } else if (event.key === "Home") focus = { day: event.ctrlKey ? 0 : at.day, row: rows[0] };
    else if (event.key === "End") focus = { day: event.ctrlKey ? days.length - 1 : at.day, row: rows[rows.length - 1] };
    else if (event.key === "PageUp" || event.key === "PageDown") {
      event.preventDefault();
      focus = at;
      if (event.key === "PageUp" ? !prev.disabled : !next.disabled) show(addDays(first, (event.key === "PageUp" ? -1 : 1) * days.length), true);
      return;
    } else return;
    event.preventDefault();
    var target = cellAt(focus.day, focus.row);
    if (event.shiftKey && target && !target.getAttribute("aria-disabled") && td.getAttribute("aria-selected")) {
      // Shift with an arrow carries the cell's state along: a range painted from the keyboard.
      var was = windows(), ms2 = +target.getAttribute("data-ms");
      absorbFor(ms2, ms2 + CELL);
      if (td.getAttribute("aria-selected") === "true") chosen.add(ms2); else chosen.delete(ms2);
      paint();
      changed(was);
    }
    focusCell();
  });

  // --- Buttons ---------------------------------------------------------------------------------

  prev.addEventListener("click", function () { show(addDays(first, -days.length)); });
  next.addEventListener("click", function () { show(addDays(first, days.length)); });
  whole.addEventListener("click", function () {
    wholeDay = !wholeDay;
    whole.setAttribute("aria-pressed", String(wholeDay));
    render();
  });

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button.ag-remove");
    if (!button) return;
    var before = windows();
    var index = Array.prototype.indexOf.call(list.children, button.closest("li"));
    var from = +button.getAttribute("data-start"), to = +button.getAttribute("data-end");
    Array.from(chosen).forEach(function (ms) { if (ms >= from && ms < to) chosen.delete(ms); });
    typed().windows.forEach(function (w) {
      if (w.start < to && w.end > from) w.row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    });
    paint();
    changed(before);
    var items = list.querySelectorAll("button.ag-remove");
    (items[Math.min(index, items.length - 1)] || chosenHeading).focus();
  });
  chosenHeading.setAttribute("tabindex", "-1");

  // --- Sending ---------------------------------------------------------------------------------

  form.removeAttribute("data-busy-form"); // this script shows its own busy state
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    var ws = windows();
    var wrong = problem(ws);
    if (wrong) { showError(wrong); alert.setAttribute("data-local", "1"); return; }
    var button = form.querySelector("[type=submit]");
    var label = button ? button.textContent : "";
    form.setAttribute("aria-busy", "true");
    if (button) { button.textContent = S.sending; button.disabled = true; }
    announce(S.sending);
    var note = form.querySelector("[name=note]");
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    fetch(form.getAttribute("action"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify({
        time_zone: zone,
        windows: ws.map(function (w) { return { start: iso(w.start), end: iso(w.end) }; }),
        note: note ? note.value : "",
      }),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) { return [response, answer]; });
    }).then(function (result) {
      form.removeAttribute("aria-busy");
      if (button) { button.textContent = label; button.disabled = false; }
      if (result[0].ok && result[1].status === "availability_received") {
        // Auto-scheduling may have booked a time: the page says which.
        if (data.autoSchedule) { window.location.assign(window.location.pathname + "?tz=" + encodeURIComponent(zone) + "&done=booked"); return; }
        done(ws);
        return;
      }
      showError(result[1].error || result[1].reason || S.failed);
    }, function () {
      form.removeAttribute("aria-busy");
      if (button) { button.textContent = label; button.disabled = false; }
      showError(S.failed);
    });
  });

  var receipt = null;
  function done(ws) {
    submitted = true;
    alert.hidden = true;
    form.hidden = true;
    host.hidden = true;
    // The page's card of what was shared before is out of date now: this one replaces it.
    var before = doc.getElementById("availability-heading");
    if (before && before.closest("section")) before.closest("section").remove();
    receipt = el("section", { class: "card result ag-done", "aria-labelledby": "ag-done-heading" });
    var heading = el("h2", { id: "ag-done-heading", tabindex: "-1" }, S.done_heading);
    var words = el("p", null, S.done_text);
    var listed = el("ul", { class: "ag-list done" });
    ws.forEach(function (w) { listed.appendChild(el("li", null, windowText(w))); });
    var again = el("button", { type: "button", class: "secondary" }, S.change);
    again.addEventListener("click", function () {
      receipt.remove();
      receipt = null;
      submitted = false;
      form.hidden = false;
      host.hidden = false;
      render();
      focusCell();
    });
    receipt.append(heading, words, listed, again);
    form.parentNode.insertBefore(receipt, form);
    heading.focus();
    announce(S.done_heading);
  }

  // --- Following the booker's zone and clock ---------------------------------------------------

  doc.addEventListener("hireslot:zone", function (event) {
    zone = event.detail.zone;
    if (zoneField) zoneField.value = zone;
    if (!submitted) show(first);
  });
  doc.addEventListener("hireslot:clock", function (event) {
    hourCycle = event.detail.hourCycle;
    render();
    renderSummary();
  });

  var resized = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resized);
    resized = window.setTimeout(function () { if (days.length !== perView()) render(); }, 150);
  });

  show(today());
  renderSummary();
})();
