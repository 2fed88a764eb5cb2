// The list's rows, drawn from one string per page: see `hunt_row.rs`, which calls this.
// A classic script that trunk names by its content (so browsers keep it without asking
// again), not a module snippet of the wasm's: the app's module imported that, and every load
// waited for it to be asked for again before the wasm could start.
"use strict";

globalThis.huntsDrawRows = function (tbody, data, columns, selectable) {
  const fields = data === "" ? [] : data.split("\x1f");
  const width = 3 + 3 * columns;
  const count = fields.length / width;
  const rows = tbody.rows;
  while (rows.length > count) tbody.deleteRow(-1);
  for (let r = 0; r < count; r++) {
    const at = r * width;
    const [id, code, checked] = [fields[at], fields[at + 1], fields[at + 2]];
    let row = rows[r];
    if (!row || row.cells.length !== columns + (selectable ? 1 : 0)) {
      const fresh = document.createElement("tr");
      if (selectable) {
        const box = document.createElement("input");
        box.type = "checkbox";
        fresh.insertCell().className = "select";
        fresh.cells[0].append(box);
      }
      for (let c = 0; c < columns; c++) fresh.insertCell();
      if (row) row.replaceWith(fresh); else tbody.append(fresh);
      row = fresh;
    }
    row.dataset.id = id;
    let cell = 0;
    if (selectable) {
      const box = row.cells[0].firstChild;
      box.setAttribute("aria-label", "Select " + code);
      box.dataset.select = id;
      box.checked = checked === "1";
      cell = 1;
    }
    for (let c = 0; c < columns; c++, cell++) {
      const [kind, text, title] = [fields[at + 3 + 3 * c], fields[at + 4 + 3 * c], fields[at + 5 + 3 * c]];
      const td = row.cells[cell];
      if (kind === "code") {
        td.className = "code";
        let link = td.firstChild;
        if (!link || link.nodeName !== "A") { td.textContent = ""; link = document.createElement("a"); td.append(link); }
        link.href = "/hunts/" + id;
        link.textContent = text;
      } else {
        td.className = kind === "num" ? "num" : "";
        if (td.firstChild && td.firstChild.nodeName === "A") td.textContent = "";
        td.textContent = text;
      }
      if (title === "") td.removeAttribute("title"); else td.title = title;
    }
  }
};
