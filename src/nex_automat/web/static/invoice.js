// The invoice page: the document beside the fields, corrections with the keyboard.
// Hovering or focusing a field highlights where on the page it was read (data-box:
// "page;left;top;width;height" in % of the page). The lines grid recomputes line
// amounts, totals and the VAT recap as you type and shows the difference to the
// printed totals. Ctrl+S saves, Esc discards, Enter moves down a column,
// Alt+↑/↓ moves a line. The server checks and stores everything again.
"use strict";

(function () {
  var form = document.querySelector("[data-edit-form]");
  var viewer = document.querySelector("[data-viewer]");
  var lang = { cs: "cs-CZ", en: "en-GB" }[document.documentElement.lang] || "sk-SK";
  var money = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var newLines = 0;

  // --- numbers typed in either style (app.js)
  var parse = window.nex.parseNumber;
  function cents(value) { return Math.round(value * 100 + (value >= 0 ? 1e-9 : -1e-9)) / 100; }
  function show(value) { return value === null || isNaN(value) ? "" : money.format(value); }

  // --- pages and highlights
  var pages = viewer ? Array.prototype.slice.call(viewer.querySelectorAll("figure.page")) : [];
  var current = 1;
  function showPage(number) {
    if (!pages.length) return;
    current = Math.max(1, Math.min(pages.length, number));
    pages.forEach(function (page, i) { page.hidden = i + 1 !== current; });
    var label = viewer.querySelector("[data-page-label]");
    if (label) label.textContent = label.getAttribute("data-template").replace("{n}", String(current));
  }
  function clearHighlight() {
    Array.prototype.forEach.call(document.querySelectorAll(".overlay .highlight"), function (box) {
      box.remove();
    });
  }
  function highlight(element) {
    clearHighlight();
    var holder = element && element.closest && element.closest("[data-box]");
    if (!holder || !pages.length) return;
    var parts = holder.getAttribute("data-box").split(";").map(Number);
    showPage(parts[0]);
    var overlay = pages[parts[0] - 1].querySelector(".overlay");
    var box = document.createElement("div");
    box.className = "highlight" + (holder.hasAttribute("data-ocr") ? " ocr" : "");
    box.style.left = parts[1] + "%";
    box.style.top = parts[2] + "%";
    box.style.width = parts[3] + "%";
    box.style.height = parts[4] + "%";
    overlay.appendChild(box);
    if (box.scrollIntoView) box.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
  if (viewer) {
    showPage(1);
    var prev = viewer.querySelector("[data-page-prev]");
    var next = viewer.querySelector("[data-page-next]");
    if (prev) prev.addEventListener("click", function () { showPage(current - 1); });
    if (next) next.addEventListener("click", function () { showPage(current + 1); });
  }
  document.addEventListener("focusin", function (event) { highlight(event.target); });
  document.addEventListener("mouseover", function (event) {
    if (event.target.closest && event.target.closest("[data-box]")) highlight(event.target);
  });

  if (!form) return;
  var body = form.querySelector("[data-lines] tbody");
  var deleted = [];

  // --- live totals
  function rows() {
    return body ? Array.prototype.slice.call(body.querySelectorAll("tr[data-line]")) : [];
  }
  function cell(row, col) {
    var input = row.querySelector('[data-col="' + col + '"]');
    return input ? parse(input.value) : null;
  }
  function recompute() {
    var net = 0, vat = 0, byRate = {};
    rows().forEach(function (row, index) {
      var number = row.querySelector("[data-number]");
      if (number) number.textContent = String(index + 1);
      var quantity = cell(row, "quantity"), price = cell(row, "unit_price");
      var discount = cell(row, "discount_percent") || 0, rate = cell(row, "vat_rate");
      var lineNet = quantity !== null && price !== null
        ? cents(quantity * price * (1 - discount / 100))
        : parse(row.getAttribute("data-net"));
      var lineVat = lineNet !== null && rate !== null ? cents(lineNet * rate / 100) : null;
      row.querySelector("[data-line-net]").textContent = show(lineNet);
      row.querySelector("[data-line-gross]").textContent =
        lineNet !== null && lineVat !== null ? show(lineNet + lineVat) : "";
      if (lineNet !== null) {
        net += lineNet;
        if (rate !== null) byRate[rate] = (byRate[rate] || 0) + lineNet;
      }
    });
    Object.keys(byRate).forEach(function (rate) { vat += cents(byRate[rate] * Number(rate) / 100); });
    var computed = { total_net: cents(net), total_vat: cents(vat), total_gross: cents(net + vat) };
    Array.prototype.forEach.call(form.querySelectorAll("[data-total]"), function (row) {
      var name = row.getAttribute("data-total");
      row.querySelector("[data-computed]").textContent = show(computed[name]);
      var printed = parse(row.querySelector("input").value);
      var out = row.querySelector("[data-difference]");
      var difference = printed === null ? null : cents(printed - computed[name]);
      out.textContent = difference === null ? "" : show(difference);
      out.className = difference !== null && Math.abs(difference) >= 0.01 ? "diff bad" : "diff ok";
    });
    var recap = form.querySelector("[data-recap] tbody");
    if (recap) {
      var printedRows = {};
      (recap.parentNode.getAttribute("data-printed") || "").split(";").forEach(function (item) {
        if (!item) return;
        var bits = item.split(":");
        printedRows[Number(bits[0])] = [bits[1] ? Number(bits[1]) : null, bits[2] ? Number(bits[2]) : null];
      });
      var rates = Object.keys(byRate).map(Number);
      Object.keys(printedRows).forEach(function (r) { if (rates.indexOf(Number(r)) < 0) rates.push(Number(r)); });
      rates.sort(function (a, b) { return a - b; });
      recap.textContent = "";
      rates.forEach(function (rate) {
        var base = byRate[rate] || 0, printed = printedRows[rate] || [null, null];
        var tr = document.createElement("tr");
        [rate.toLocaleString(lang) + " %", show(cents(base)), show(cents(base * rate / 100)),
          show(printed[0]), show(printed[1])].forEach(function (text) {
          var td = document.createElement("td");
          td.className = "num";
          td.textContent = text;
          tr.appendChild(td);
        });
        recap.appendChild(tr);
      });
    }
  }

  function markDirty() {
    form.setAttribute("data-dirty-form", "1");
    var flag = form.querySelector("[data-dirty]");
    if (flag) flag.hidden = false;
  }
  form.addEventListener("input", function () { markDirty(); recompute(); });

  // --- lines: add, delete, move
  function addLine() {
    var template = form.querySelector("template[data-new-line]");
    if (!template) return;
    newLines += 1;
    var html = template.innerHTML.replace(/__KEY__/g, "n" + newLines);
    var holder = document.createElement("tbody");
    holder.innerHTML = html;
    var row = holder.querySelector("tr");
    body.appendChild(row);
    markDirty();
    recompute();
    row.querySelector("input").focus();
  }
  function move(row, step) {
    var list = rows(), index = list.indexOf(row), target = list[index + step];
    if (!target) return;
    if (step < 0) body.insertBefore(row, target); else body.insertBefore(target, row);
    markDirty();
    recompute();
  }
  function remove(row) {
    var key = row.getAttribute("data-line");
    if (key.charAt(0) !== "n") deleted.push(key);
    var next = row.nextElementSibling;
    if (next && next.classList.contains("line-warnings")) next.remove();
    row.remove();
    markDirty();
    recompute();
  }
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var row = button.closest("tr[data-line]");
    if (button.hasAttribute("data-add-line")) addLine();
    else if (row && button.hasAttribute("data-move")) move(row, Number(button.getAttribute("data-move")));
    else if (row && button.hasAttribute("data-delete")) remove(row);
  });
  form.addEventListener("submit", function () {
    form.querySelector("[data-order]").value = rows().map(function (row) {
      return row.getAttribute("data-line");
    }).join(",");
    form.querySelector("[data-deleted]").value = deleted.join(",");
    form.removeAttribute("data-dirty-form");
  });

  // --- keyboard
  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (input.tagName !== "INPUT") return;
    var row = input.closest("tr[data-line]");
    if (event.key === "Enter") {
      event.preventDefault();
      if (!row) return;
      var list = rows(), below = list[list.indexOf(row) + 1];
      var column = input.getAttribute("data-col");
      if (below) {
        var target = below.querySelector('[data-col="' + column + '"]');
        target.focus();
        target.select();
      }
    } else if (event.altKey && row && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      move(row, event.key === "ArrowUp" ? -1 : 1);
      input.focus();
    }
  });
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S")) {
      event.preventDefault();
      if (form.querySelector("[data-save]")) form.requestSubmit();
    } else if (event.key === "Escape" && form.hasAttribute("data-dirty-form")) {
      event.preventDefault();
      form.removeAttribute("data-dirty-form");
      window.location.replace(window.location.pathname);
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (form.hasAttribute("data-dirty-form")) event.preventDefault();
  });

  recompute();
})();
