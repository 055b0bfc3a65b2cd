/* Dossier: tables. Plain JavaScript, no network: works from file:// and from a server.
 *
 * What the pages mark up at build time (see the Writing-content page):
 * - `<div class="dossier-filter" data-filter="table" hidden>` before an index table: its
 *   headings become sort buttons (aria-sort on the heading) and its search box shows only
 *   the rows holding every word typed. A cell sorts by the `data-sort` of the element
 *   inside it when the column has one (ISO dates: "2019" < "2019-04" < "2019-04-25"),
 *   else as a number when every cell is one, else by its text; empty cells go last.
 * - `<div class="dossier-filter" data-filter="timeline" hidden>` over a timeline: each
 *   `<select data-filter-key="K">` keeps the rows whose `.dossier-date` has `data-K` equal
 *   to the chosen value; a year whose rows are all hidden hides its heading too.
 * Without JavaScript the bars stay hidden and every row shows. Text from content is only
 * moved or compared here, never parsed as markup (no innerHTML).
 */
(function () {
  "use strict";

  /** The text used to match words: lower case, accents dropped ("Chávez" = "chavez"). */
  function folded(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }

  /** The table a bar belongs to: the next element, or the table inside it (Material
   *  wraps tables in a scrolling box). */
  function tableAfter(bar) {
    for (var el = bar.nextElementSibling; el; el = el.nextElementSibling) {
      if (el.tagName === "TABLE") return el;
      var inside = el.querySelector("table");
      if (inside) return inside;
    }
    return null;
  }

  function bodyRows(table) {
    return Array.prototype.slice.call(table.tBodies.length ? table.tBodies[0].rows : []);
  }

  function countText(output, shown, total, noun) {
    output.textContent = shown === total ? total + " " + noun : shown + " of " + total + " " + noun + " shown";
  }

  // --- sorting ---------------------------------------------------------------------------

  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  function cellKey(row, column) {
    var cell = row.cells[column];
    if (!cell) return { text: "", keyed: null };
    var keyed = cell.querySelector("[data-sort]");
    return { text: cell.textContent.trim(), keyed: keyed ? keyed.getAttribute("data-sort") : null };
  }

  /** How a column compares: by data-sort keys, as numbers, or as text. */
  function comparer(rows, column) {
    var keys = rows.map(function (row) { return cellKey(row, column); });
    var keyed = keys.some(function (k) { return k.keyed !== null; });
    var values = keys.map(function (k) { return keyed ? (k.keyed || "") : k.text; });
    var numeric = values.every(function (v) { return v === "" || isFinite(Number(v)); });
    return {
      value: function (i) { return values[i]; },
      compare: function (a, b) {
        if (keyed) return a < b ? -1 : a > b ? 1 : 0;
        if (numeric) return Number(a) - Number(b);
        return collator.compare(a, b);
      }
    };
  }

  function sortBy(table, header, column) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = bodyRows(table);
    var how = comparer(rows, column);
    var order = rows.map(function (row, i) { return i; });
    order.sort(function (a, b) {
      var va = how.value(a), vb = how.value(b);
      if (va === "" || vb === "") {
        if (va !== vb) return va === "" ? 1 : -1; // empty cells last, either way
        return a - b;
      }
      var c = how.compare(va, vb);
      return (ascending ? c : -c) || a - b; // stable: equal rows keep their order
    });
    var body = table.tBodies[0];
    order.forEach(function (i) { body.appendChild(rows[i]); });
    Array.prototype.forEach.call(header.parentNode.cells, function (th) {
      if (th !== header) th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function makeSortable(table) {
    if (!table.tHead || !table.tBodies.length) return;
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "dossier-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, th, column); });
    });
  }

  // --- filtering -------------------------------------------------------------------------

  function filterTable(bar, table) {
    var input = bar.querySelector("input");
    var output = bar.querySelector("output");
    var rows = bodyRows(table);
    var texts = rows.map(function (row) { return folded(row.textContent); });
    function apply() {
      var words = folded(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var keep = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      countText(output, shown, rows.length, "rows");
    }
    input.addEventListener("input", apply);
    apply();
  }

  /** The block a table sits in at the top of the article (Material's scrolling box). */
  function blockOf(table) {
    var el = table;
    while (el.parentElement && !el.parentElement.classList.contains("md-typeset")) el = el.parentElement;
    return el;
  }

  function headingBefore(block) {
    for (var el = block.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return el.tagName === "H2" ? el : null;
      if (el.classList.contains("dossier-filter")) return null;
    }
    return null;
  }

  function filterTimeline(bar) {
    var scope = bar.closest("article") || document;
    var selects = Array.prototype.slice.call(bar.querySelectorAll("select[data-filter-key]"));
    var output = bar.querySelector("output");
    var rows = [];
    scope.querySelectorAll("tr .dossier-date[data-kind]").forEach(function (date) {
      rows.push({ row: date.closest("tr"), date: date });
    });
    // a timeline page: one heading and table per year, hidden when all its rows are
    var tables = [];
    rows.forEach(function (r) {
      var table = r.row.closest("table");
      if (tables.indexOf(table) === -1) tables.push(table);
    });
    function apply() {
      var shown = 0;
      rows.forEach(function (r) {
        var keep = selects.every(function (s) {
          return !s.value || r.date.getAttribute("data-" + s.getAttribute("data-filter-key")) === s.value;
        });
        r.row.hidden = !keep;
        if (keep) shown += 1;
      });
      tables.forEach(function (table) {
        var empty = bodyRows(table).every(function (row) { return row.hidden; });
        var block = blockOf(table);
        var heading = tables.length > 1 ? headingBefore(block) : null;
        block.classList.toggle("dossier-filtered-out", empty);
        if (heading) heading.classList.toggle("dossier-filtered-out", empty);
      });
      countText(output, shown, rows.length, "entries");
    }
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    apply();
  }

  function setUp() {
    document.querySelectorAll(".dossier-filter[data-filter]").forEach(function (bar) {
      if (bar.dataset.ready) return;
      bar.dataset.ready = "1";
      if (bar.getAttribute("data-filter") === "timeline") {
        filterTimeline(bar);
      } else {
        var table = tableAfter(bar);
        if (!table) return;
        makeSortable(table);
        filterTable(bar, table);
      }
      bar.hidden = false;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
  // Material's instant navigation swaps the page without a new load: set up again then
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(setUp);
})();
