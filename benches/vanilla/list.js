// The hand-written page the render benchmark sets beside the app: the same API request (mask,
// flat=true, limit, order), the same table markup and stylesheet, the same local-time text.
// It is as a careful JS developer would write it: one Intl formatter, the rows built with the
// DOM API and put in at once, a header click fetching again with the new order.
// `window.BENCH` (set by the benchmark) holds the columns and the two query strings.
"use strict";
(function () {
  const { columns, queries } = window.BENCH;
  const formatter = new Intl.DateTimeFormat("default", { dateStyle: "medium", timeStyle: "short" });

  function cellText(column, value) {
    if (value === undefined || value === null) return "";
    if (typeof value === "string") {
      if (column.timestamp && value !== "") {
        const date = new Date(value);
        return isNaN(date.getTime()) ? value : formatter.format(date);
      }
      return value;
    }
    if (typeof value === "boolean") return value ? "yes" : "no";
    if (Array.isArray(value)) return value.map((item) => cellText(column, item)).join(", ");
    return String(value);
  }

  function header(order) {
    const row = document.createElement("tr");
    const select = document.createElement("th");
    select.scope = "col";
    select.className = "select";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.setAttribute("aria-label", "Select every hunt on this page");
    select.appendChild(box);
    row.appendChild(select);
    for (const column of columns) {
      const th = document.createElement("th");
      th.scope = "col";
      th.dataset.column = column.path;
      const direction = order[column.path];
      th.setAttribute("aria-sort", direction === "asc" ? "ascending" : direction === "desc" ? "descending" : "none");
      const button = document.createElement("button");
      button.className = "sort";
      button.title = "Sort; Shift-click to add as another key";
      button.append(column.label);
      const marker = document.createElement("span");
      marker.className = "sort-marker";
      if (direction) marker.textContent = direction === "asc" ? " ▲" : " ▼";
      button.appendChild(marker);
      button.addEventListener("click", () => load(queries.resorted, { [column.path]: direction === "asc" ? "desc" : "asc" }));
      th.appendChild(button);
      row.appendChild(th);
    }
    return row;
  }

  function body(rows) {
    const tbody = document.createElement("tbody");
    for (const hunt of rows) {
      const tr = document.createElement("tr");
      tr.dataset.id = hunt.id;
      const select = document.createElement("td");
      select.className = "select";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.setAttribute("aria-label", "Select " + hunt.code);
      select.appendChild(box);
      tr.appendChild(select);
      for (const column of columns) {
        const td = document.createElement("td");
        const text = cellText(column, hunt[column.path]);
        if (column.path === "code") {
          td.className = "code";
          const link = document.createElement("a");
          link.href = "/hunts/" + hunt.id;
          link.textContent = text;
          td.appendChild(link);
        } else {
          if (column.numeric) td.className = "num";
          td.textContent = text;
        }
        tr.appendChild(td);
      }
      tbody.appendChild(tr);
    }
    return tbody;
  }

  const table = document.querySelector("table.hunts");
  async function load(query, order) {
    const response = await fetch("/rest/v1/uc/hunts?" + query, { credentials: "same-origin" });
    const rows = await response.json();
    const thead = document.createElement("thead");
    thead.appendChild(header(order));
    table.replaceChildren(thead, body(rows));
  }
  load(queries.initial, { priority: "asc" });
})();
