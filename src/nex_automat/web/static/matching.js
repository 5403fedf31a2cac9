// The invoice page's catalogue matching and prices, no dependencies.
// Product search: typing in a line's search box asks /catalogue/products/search and lists
// what it finds; ↓/↑ move through the list, Enter or a click chooses (the form is sent with
// the product's id), Esc closes it. In the matches table (a row focused): ↑/↓ move between
// lines, Enter confirms the proposed product, "/" searches, N opens the new-product card,
// A confirms all sure matches. After a decision the page comes back at the next line to decide.
// Prices: margin %, sale price without VAT and with VAT follow each other as you type,
// rounded half-up to cents (margin = markup on the purchase price). The server stores only
// the sale price without VAT, and checks it again.
"use strict";

(function () {
  var section = document.querySelector("[data-matching]");
  if (!section) return;
  var parse = window.nex.parseNumber;
  var mark = document.documentElement.lang === "en" ? "." : ",";
  var DELAY = 120;

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || tag === "BUTTON";
  }

  // --- product search
  function setupSearch(form) {
    var input = form.querySelector("[data-search-input]");
    var list = form.querySelector("[data-results]");
    var chosen = form.querySelector("[data-product-id]");
    var timer = null, asked = 0, active = -1;

    function options() { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      active = -1;
    }
    function highlight(index) {
      var items = options();
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }
    function choose(item) {
      chosen.value = item.getAttribute("data-id");
      close();
      form.submit();
    }
    function show(products, query) {
      if (query !== input.value.trim()) return;
      list.textContent = "";
      products.forEach(function (product, i) {
        var item = document.createElement("li");
        item.id = input.id + "-option-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("data-id", String(product.id));
        var code = document.createElement("strong");
        code.textContent = product.code;
        item.appendChild(code);
        item.appendChild(document.createTextNode(" " + product.name + (product.unit ? " (" + product.unit + ")" : "")));
        if (product.discontinued) item.className = "discontinued";
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
        list.appendChild(item);
      });
      if (!products.length) {
        var empty = document.createElement("li");
        empty.className = "hint";
        empty.textContent = section.getAttribute("data-no-results");
        list.appendChild(empty);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }
    function ask() {
      var query = input.value.trim();
      if (query.length < 2) { close(); return; }
      var ticket = ++asked;
      var url = section.getAttribute("data-search-url") + "?q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { products: [] }; })
        .then(function (data) { if (ticket === asked) show(data.products, query); })
        .catch(function () { close(); });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) ask(); else highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") {
        event.preventDefault();
        close();
        var row = form.closest("[data-match-row]");
        if (row) row.focus();
      } else if (event.key === "Enter") {
        var items = options();
        var pick = active >= 0 ? items[active] : (items.length === 1 ? items[0] : null);
        event.preventDefault();
        if (pick) choose(pick);
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    form.addEventListener("submit", function (event) {
      if (!chosen.value) event.preventDefault();
    });
  }
  Array.prototype.forEach.call(section.querySelectorAll("[data-product-search]"), setupSearch);

  // --- keyboard over the matches table
  var rows = Array.prototype.slice.call(section.querySelectorAll("[data-match-row]"));
  function undecided(row) {
    var band = row.getAttribute("data-band");
    return band !== "confirmed" && band !== "new";
  }
  section.addEventListener("keydown", function (event) {
    var row = event.target;
    if (!row.hasAttribute || !row.hasAttribute("data-match-row")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var index = rows.indexOf(row);
    var button;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = rows[index + (event.key === "ArrowDown" ? 1 : -1)];
      if (next) next.focus();
    } else if (event.key === "Enter") {
      button = row.querySelector("[data-confirm]");
      if (button) { event.preventDefault(); button.click(); }
    } else if (event.key === "/") {
      var search = row.querySelector("[data-search-input]");
      if (search) { event.preventDefault(); search.focus(); }
    } else if (event.key === "n" || event.key === "N") {
      var card = row.querySelector("details.new-product");
      if (card) {
        event.preventDefault();
        card.open = true;
        card.querySelector("input[name=name]").focus();
      }
    } else if (event.key === "a" || event.key === "A") {
      button = section.querySelector("[data-confirm-all]");
      if (button && !button.disabled) { event.preventDefault(); button.click(); }
    }
  });
  // Back from a decision: on to the next line still to decide. After the page has loaded,
  // because the browser focuses the line named in the address (#match-<id>) itself.
  function nextToDecide() {
    var anchored = /^#match-(\d+)$/.exec(window.location.hash);
    if (!anchored || typing(document.activeElement)) return;
    var from = rows.findIndex(function (row) { return row.getAttribute("data-match-row") === anchored[1]; });
    var target = rows.slice(Math.max(from, 0)).filter(undecided)[0] || rows.filter(undecided)[0] || rows[from];
    if (target) {
      target.focus();
      target.scrollIntoView({ block: "center" });
    }
  }
  window.addEventListener("load", function () { setTimeout(nextToDecide, 0); });

  // --- prices: margin % ↔ sale price ↔ sale price with VAT
  function cents(value) { return Math.round(value * 100 + (value >= 0 ? 1e-9 : -1e-9)) / 100; }
  function shown(value) { return value === null || !isFinite(value) ? "" : cents(value).toFixed(2).replace(".", mark); }
  Array.prototype.forEach.call(document.querySelectorAll("[data-price-row]"), function (row) {
    var purchase = parse(row.getAttribute("data-purchase"));
    var vat = parse(row.getAttribute("data-vat")) || 0;
    var margin = row.querySelector("[data-margin]");
    var sale = row.querySelector("[data-sale]");
    var gross = row.querySelector("[data-gross]");
    function fromSale(value, skip) {
      if (skip !== gross) gross.value = value === null ? "" : shown(value * (1 + vat / 100));
      if (skip !== margin && purchase) margin.value = value === null ? "" : shown((value - purchase) / purchase * 100);
    }
    margin.addEventListener("input", function () {
      var value = parse(margin.value);
      if (value === null || purchase === null) return;
      var price = cents(purchase * (1 + value / 100));
      sale.value = shown(price);
      fromSale(price, margin);
    });
    sale.addEventListener("input", function () { fromSale(parse(sale.value), sale); });
    gross.addEventListener("input", function () {
      var value = parse(gross.value);
      if (value === null) return;
      var price = cents(value / (1 + vat / 100));
      sale.value = shown(price);
      fromSale(price, gross);
    });
  });
})();
