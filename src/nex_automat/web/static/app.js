// Keyboard use of the workspace, no dependencies.
// In a list marked data-keyboard-list: ↑/↓ move the selection, Enter opens the selected row.
// Anywhere outside a text field: "/" focuses the search box (data-search).
// window.nex.parseNumber reads a number typed in either language's style for the pages' scripts.
"use strict";

window.nex = {
  // The last "," or "." is the decimal mark, other marks and spaces group thousands.
  parseNumber: function (text) {
    var cleaned = String(text || "").replace(/[\s\u00a0]/g, "");
    if (!cleaned) return null;
    var mark = Math.max(cleaned.lastIndexOf(","), cleaned.lastIndexOf("."));
    if (mark >= 0) {
      cleaned = cleaned.slice(0, mark).replace(/[.,]/g, "") + "." + cleaned.slice(mark + 1);
    }
    if (!/^-?\d*\.?\d+$|^-?\d+\.$/.test(cleaned)) return null;
    return Number(cleaned);
  }
};

(function () {
  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function rowsOf(list) {
    return Array.prototype.slice.call(list.querySelectorAll("tbody tr[data-href]"));
  }

  function select(list, index) {
    var rows = rowsOf(list);
    if (!rows.length) return;
    index = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) {
      row.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    rows[index].focus();
    rows[index].scrollIntoView({ block: "nearest" });
  }

  function selectedIndex(list) {
    var rows = rowsOf(list);
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("aria-selected") === "true") return i;
    }
    return -1;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "/" && !typing(event.target)) {
      var search = document.querySelector("[data-search]");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
      return;
    }
    var list = document.querySelector("[data-keyboard-list]");
    if (!list || typing(event.target)) return;
    var current = selectedIndex(list);
    if (event.key === "ArrowDown") {
      event.preventDefault();
      select(list, current + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      select(list, current < 0 ? 0 : current - 1);
    } else if (event.key === "Enter" && current >= 0 && event.target.tagName !== "A" && event.target.tagName !== "BUTTON") {
      event.preventDefault();
      window.location.assign(rowsOf(list)[current].getAttribute("data-href"));
    }
  });

  document.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest("[data-keyboard-list] tbody tr[data-href]");
    if (!row || event.target.closest("a, button, input, select")) return;
    window.location.assign(row.getAttribute("data-href"));
  });
})();
