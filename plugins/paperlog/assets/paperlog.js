/* paperlog: filter and sort for paper tables. Runs on every page view,
   including Material's instant navigation (document$), and without it. */
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var marked = cell.querySelector("[data-sort]");
    if (marked) return Number(marked.getAttribute("data-sort"));
    var text = cell.textContent.trim();
    var number = Number(text);
    return text !== "" && !isNaN(number) ? number : text.toLowerCase();
  }

  function setUpTable(container) {
    var table = container.querySelector("table");
    if (!table || container.hasAttribute("data-pl-ready")) return;
    container.setAttribute("data-pl-ready", "");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);

    var tools = document.createElement("div");
    tools.className = "pl-table__tools";
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = "Filter by title, author, topic\u2026";
    search.setAttribute("aria-label", "Filter papers");
    var status = document.createElement("select");
    status.setAttribute("aria-label", "Filter by status");
    var seen = {};
    var all = document.createElement("option");
    all.value = "";
    all.textContent = "All statuses";
    status.appendChild(all);
    rows.forEach(function (row) {
      var badge = row.querySelector(".pl-status");
      if (badge && !seen[badge.textContent]) {
        seen[badge.textContent] = true;
        var option = document.createElement("option");
        option.value = badge.textContent;
        option.textContent = badge.textContent;
        status.appendChild(option);
      }
    });
    var count = document.createElement("span");
    count.className = "pl-table__count";
    count.setAttribute("aria-live", "polite");
    tools.appendChild(search);
    tools.appendChild(status);
    tools.appendChild(count);
    container.insertBefore(tools, container.firstChild);

    function applyFilter() {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var wanted = status.value;
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var badge = row.querySelector(".pl-status");
        var ok = words.every(function (w) { return text.indexOf(w) !== -1; }) &&
          (!wanted || (badge && badge.textContent === wanted));
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + rows.length;
    }
    search.addEventListener("input", applyFilter);
    status.addEventListener("change", applyFilter);
    applyFilter();

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(th.parentNode.cells, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          if (x === y) return 0;
          if (x === "") return 1;
          if (y === "") return -1;
          return (x < y ? -1 : 1) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function init() {
    document.querySelectorAll("[data-pl-table]").forEach(setUpTable);
  }

  window.paperlog = window.paperlog || {};
  window.paperlog.init = init;
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
