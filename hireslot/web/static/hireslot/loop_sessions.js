// The loop sessions page: "Move up" and "Move down" on each session reorder the rows and
// rewrite their Position fields, so saving keeps the order shown (without JavaScript the
// Position numbers do the same). A blank row keeps a blank position: the server leaves an
// untouched blank row out, and a number would make it look filled in.
(function () {
  "use strict";
  var list = document.querySelector("[data-sessions]");
  if (!list) return;
  var announce = document.getElementById("sessions-moved");

  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll("fieldset[data-session]"));
  }
  function chosen(row) {
    var kind = row.querySelector("select[name$='-interview_template']");
    return kind && kind.value !== "" ? kind.options[kind.selectedIndex].text : "";
  }
  function movable(row) { return Boolean(row.querySelector("[data-move]")); }
  function renumber() {
    var all = rows();
    all.forEach(function (row, index) {
      var number = index + 1;
      row.querySelector("legend").textContent =
        movable(row) || chosen(row) ? "Session " + number : "New session";
      var position = row.querySelector("input[name$='-ORDER']");
      if (position) position.value = chosen(row) ? String(number) : "";
    });
    // Saved sessions come first and move among themselves; the blank row stays last.
    var moving = all.filter(movable);
    moving.forEach(function (row, index) {
      var number = all.indexOf(row) + 1;
      var up = row.querySelector("[data-move=up]");
      var down = row.querySelector("[data-move=down]");
      up.setAttribute("aria-label", "Move session " + number + " up");
      down.setAttribute("aria-label", "Move session " + number + " down");
      up.disabled = index === 0;
      down.disabled = index === moving.length - 1;
    });
  }
  function button(direction, words) {
    var made = document.createElement("button");
    made.type = "button";
    made.className = "secondary small";
    made.dataset.move = direction;
    made.textContent = words;
    return made;
  }

  // A page shown again after a refusal lists the rows as sent: put them in their positions
  // first (blank ones after, as the server reads them) so nothing moved is lost.
  function positionOf(row) {
    var position = row.querySelector("input[name$='-ORDER']");
    var number = position ? parseInt(position.value, 10) : NaN;
    return isNaN(number) ? Infinity : number;
  }
  rows()
    .map(function (row, index) { return { row: row, index: index }; })
    .sort(function (a, b) {
      return positionOf(a.row) - positionOf(b.row) || a.index - b.index;
    })
    .forEach(function (item) { list.appendChild(item.row); });

  rows().forEach(function (row) {
    var position = row.querySelector("input[name$='-ORDER']");
    // The buttons replace the typed positions, which they keep up to date.
    if (position) position.closest(".field").hidden = true;
    if (!chosen(row)) return; // the blank row adds a session: nothing to move yet
    var moves = document.createElement("div");
    moves.className = "session-moves";
    moves.appendChild(button("up", "Move up"));
    moves.appendChild(button("down", "Move down"));
    row.querySelector("legend").after(moves);
  });
  renumber();

  list.addEventListener("change", function (event) {
    if (event.target.matches("select[name$='-interview_template']")) renumber();
  });
  list.addEventListener("click", function (event) {
    var pressed = event.target.closest("[data-move]");
    if (!pressed) return;
    var row = pressed.closest("fieldset[data-session]");
    var up = pressed.dataset.move === "up";
    var other = up ? row.previousElementSibling : row.nextElementSibling;
    if (!other) return;
    list.insertBefore(row, up ? other : other.nextElementSibling);
    renumber();
    var number = rows().indexOf(row) + 1;
    announce.textContent = (chosen(row) || "The empty session") + " is now session " + number + ".";
    // Keep the keyboard where it was; at either end, on the button that still works.
    (pressed.disabled ? row.querySelector("[data-move]:not([disabled])") : pressed).focus();
  });
})();
