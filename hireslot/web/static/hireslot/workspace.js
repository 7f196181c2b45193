// The recruiter pages' few behaviours that need a browser API: menus that close like menus,
// the side drawer, confirmations before destructive actions, Undo, and the phone menu.
// Every control works without this file (menus are <details>, forms post normally).
(function () {
  "use strict";

  // Menus (<details class="menu">): one open at a time; a click outside or Escape closes.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = event.target.closest && event.target.closest("details.menu[open]");
    if (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });

  // The drawer: a link marked data-drawer-open loads into #drawer-body (htmx) and opens it.
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-drawer-open]");
    var drawer = document.getElementById("drawer");
    if (opener && drawer && window.htmx) {
      var menu = opener.closest("details.menu");
      if (menu) menu.open = false;
      document.getElementById("drawer-title").textContent = opener.dataset.drawerOpen;
      if (!drawer.open) drawer.showModal();
    }
    if (event.target.closest("[data-drawer-close]")) {
      event.target.closest("dialog").close();
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "drawer-body") return;
    var first = event.target.querySelector("textarea, input:not([type=hidden]), select");
    if (first) first.focus();
  });

  // Confirmations: a form with data-confirm asks first, in a dialog naming what will happen.
  var confirmed = new WeakSet();
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.confirm || confirmed.has(form)) return;
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog) return;
    event.preventDefault();
    dialog.querySelector("[data-confirm-text]").textContent = form.dataset.confirm;
    var yes = dialog.querySelector("[data-confirm-yes]");
    yes.textContent = form.dataset.confirmYes || "Confirm";
    // Red for what undoes something (the default); a booking's "yes" is the page's usual button.
    yes.className = form.dataset.confirmTone === "constructive" ? "" : "danger";
    dialog.returnValue = "";
    dialog.onclose = function () {
      if (dialog.returnValue !== "yes") return;
      confirmed.add(form);
      // Tells the server it was asked (without JavaScript it asks on a page of its own).
      var flag = document.createElement("input");
      flag.type = "hidden";
      flag.name = "confirmed";
      flag.value = "1";
      form.appendChild(flag);
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    };
    dialog.showModal();
    dialog.querySelector("[data-confirm-no]").focus();
  });

  // Undo: a message with an Undo button counts down, then the button goes away.
  function undoCountdown(root) {
    root.querySelectorAll("[data-undo-seconds]").forEach(function (form) {
      if (form.dataset.undoStarted) return;
      form.dataset.undoStarted = "1";
      var left = parseInt(form.dataset.undoSeconds, 10);
      var count = form.querySelector("[data-undo-count]");
      var timer = setInterval(function () {
        left -= 1;
        if (count) count.textContent = String(left);
        if (left <= 0) {
          clearInterval(timer);
          form.remove();
        }
      }, 1000);
    });
  }

  // The phone menu: the button shows and hides the navigation under 640 px.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-nav-toggle]");
    if (!toggle) return;
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    document.getElementById(toggle.getAttribute("aria-controls")).classList.toggle("open", open);
  });

  // Tables read as cards on a phone (CSS under 640 px): each cell is labelled with its
  // column's heading, unless the template labelled it already.
  function tablesAsCards(root) {
    root.querySelectorAll("main table:not(.no-cards):not([role=grid])").forEach(function (table) {
      var heads = Array.prototype.map.call(
        table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); }
      );
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (!cell.hasAttribute("data-label") && heads[index]) {
            cell.setAttribute("data-label", heads[index]);
          }
        });
      });
      table.classList.add("cards");
    });
  }

  function start() {
    // An error summary takes focus, so the first thing read and seen is what to fix.
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) {
      summary.focus();
      summary.scrollIntoView({ block: "start" });
    }
    undoCountdown(document);
    tablesAsCards(document);
    document.body.addEventListener("htmx:load", function (event) {
      if (event.target.querySelectorAll) tablesAsCards(event.target);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
