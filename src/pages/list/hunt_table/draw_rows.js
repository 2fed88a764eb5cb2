// The list's rows, drawn from one string per page, whose record `ROW`, `CELL`, `KIND`, `MARK`
// and `TICKED` name: `hunt_row.rs` declares it (a test there checks that line) and calls this.
// A classic script that trunk names by its content (so browsers keep it without asking
// again), not a module snippet of the wasm's: the app's module imported that, and every load
// waited for it to be asked for again before the wasm could start.
(function () {
  "use strict";
  const ROW = { id: 0, code: 1, ticked: 2, mark: 3, width: 4 }, CELL = { kind: 0, text: 1, title: 2, width: 3 }, KIND = { link: "code", count: "num" }, MARK = { changed: "changed", gone: "gone" }, TICKED = "1";

  globalThis.huntsDrawRows = function (tbody, data, columns, selectable) {
    const fields = data === "" ? [] : data.split("\x1f");
    const width = ROW.width + CELL.width * columns;
    const count = fields.length / width;
    const rows = tbody.rows;
    while (rows.length > count) tbody.deleteRow(-1);
    for (let r = 0; r < count; r++) {
      const at = r * width;
      const [id, code, ticked] = [fields[at + ROW.id], fields[at + ROW.code], fields[at + ROW.ticked]];
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
      // A mark is the row's class. A row marked changed again starts its moment again.
      const mark = fields[at + ROW.mark];
      if (mark === MARK.changed && row.className === mark) { row.className = ""; void row.offsetWidth; }
      row.className = mark;
      if (mark === MARK.gone) row.title = "No longer in this view: deleted, or changed so that it no longer matches";
      else row.removeAttribute("title");
      let cell = 0;
      if (selectable) {
        const box = row.cells[0].firstChild;
        box.setAttribute("aria-label", "Select " + code);
        box.dataset.select = id;
        box.checked = ticked === TICKED;
        cell = 1;
      }
      for (let c = 0; c < columns; c++, cell++) {
        const cellAt = at + ROW.width + CELL.width * c;
        const [kind, text, title] = [fields[cellAt + CELL.kind], fields[cellAt + CELL.text], fields[cellAt + CELL.title]];
        const td = row.cells[cell];
        if (kind === KIND.link) {
          td.className = "code";
          let link = td.firstChild;
          if (!link || link.nodeName !== "A") { td.textContent = ""; link = document.createElement("a"); td.append(link); }
          link.href = "/hunts/" + id;
          link.textContent = text;
        } else {
          td.className = kind === KIND.count ? "num" : "";
          if (td.firstChild && td.firstChild.nodeName === "A") td.textContent = "";
          td.textContent = text;
        }
        if (title === "") td.removeAttribute("title"); else td.title = title;
      }
    }
  };
})();
