//! The table's rows, drawn by a few lines of JavaScript (`draw_rows.js`) from one string per
//! page. Drawn from wasm, element by element, a re-sort of 100 rows made about 2,700 calls
//! across to JS, each carrying a string, 9-15 ms in all; this crosses once and lets the
//! browser's own DOM calls do the rest. The rows on show take the next page's text
//! in place (Chromium lays out changed text far faster than new rows), rows are added or taken
//! off at the end, nothing in a row watches a signal, and the table's one click handler takes
//! the checkboxes' clicks (the router takes the links').

use wasm_bindgen::prelude::*;

use super::table_page::TablePage;

/// Separates the fields of the page's string: hunts' text may not hold control characters
/// (the model refuses them), and any that a platform sends anyway are dropped.
const SEPARATOR: char = '\u{1f}';

#[wasm_bindgen]
extern "C" {
    /// `draw_rows.js`, which `index.html` loads before the app.
    #[wasm_bindgen(js_name = huntsDrawRows)]
    fn draw_rows(tbody: &web_sys::HtmlElement, data: &str, columns: u32, selectable: bool);
}

/// Draws `page` into `tbody`; `selected` says which rows are ticked when drawn (the selection's
/// own effect keeps them in step after, see `selection`).
pub fn draw(
    tbody: &web_sys::HtmlElement,
    page: &TablePage,
    selectable: bool,
    selected: impl Fn(&str) -> bool,
) {
    let mut data = String::with_capacity(page.rows.len() * 256);
    // Each field followed by the separator; the last one's is taken off.
    let mut field = |text: &str| {
        data.extend(text.chars().filter(|c| *c != SEPARATOR));
        data.push(SEPARATOR);
    };
    for row in &page.rows {
        field(&row.id);
        field(&row.code);
        field(if selectable && selected(&row.id) {
            "1"
        } else {
            ""
        });
        for cell in row.cells.iter() {
            let kind = if cell.column.as_str() == "code" {
                "code"
            } else if cell.column.kind() == hunts_model::Kind::Count {
                "num"
            } else {
                ""
            };
            field(kind);
            field(&cell.text);
            field(cell.title.as_deref().unwrap_or_default());
        }
    }
    data.pop();
    draw_rows(tbody, &data, page.columns.len() as u32, selectable);
}
