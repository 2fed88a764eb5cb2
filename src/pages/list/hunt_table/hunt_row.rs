//! The table's rows, drawn by a few lines of JavaScript (`draw_rows.js`) from one string per
//! page. Drawn from wasm, element by element, a re-sort of 100 rows made about 2,700 calls
//! across to JS, each carrying a string, 9-15 ms in all; this crosses once and lets the
//! browser's own DOM calls do the rest. The rows on show take the next page's text
//! in place (Chromium lays out changed text far faster than new rows), rows are added or taken
//! off at the end, nothing in a row watches a signal, and the table's one click handler takes
//! the checkboxes' clicks (the router takes the links').

use wasm_bindgen::prelude::*;

use super::table_page::{Mark, TablePage};

/// Separates the fields of the page's string: hunts' text may not hold control characters
/// (the model refuses them), and any that a platform sends anyway are dropped.
const SEPARATOR: char = '\u{1f}';

/// The page's string, declared here once: for each row its `ROW` fields, then for each column
/// its `CELL` fields, every field ended by `SEPARATOR` (the last one's taken off). A cell's
/// kind is one of `KIND`'s codes, or empty for plain text; a ticked row's `ticked` is `TICKED`;
/// a row's mark is one of `MARK`'s codes (the row's class), or empty.
/// `draw_rows.js` reads it by these names, declared there in one line (`record_line()`, which a
/// test checks): the two cannot drift apart.
const ROW: [&str; 4] = ["id", "code", "ticked", "mark"];
const CELL: [&str; 3] = ["kind", "text", "title"];
#[cfg(test)]
const KIND: [(&str, &str); 2] = [("link", LINK), ("count", COUNT)];
#[cfg(test)]
const MARK: [(&str, &str); 2] = [("changed", CHANGED), ("gone", GONE)];
const CHANGED: &str = "changed";
const GONE: &str = "gone";
const TICKED: &str = "1";
/// The hunt's code, drawn as a link to the hunt.
const LINK: &str = "code";
/// A number, aligned right.
const COUNT: &str = "num";

/// The line of `draw_rows.js` that declares the record: where each field is in a row's and a
/// cell's fields, and the codes of the kinds and marks.
#[cfg(test)]
fn record_line() -> String {
    let offsets = |names: &[&str]| {
        let fields: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(at, name)| format!("{name}: {at}"))
            .collect();
        format!("{{ {}, width: {} }}", fields.join(", "), names.len())
    };
    let codes = |codes: &[(&str, &str)]| {
        let codes: Vec<String> = codes
            .iter()
            .map(|(name, code)| format!("{name}: \"{code}\""))
            .collect();
        format!("{{ {} }}", codes.join(", "))
    };
    format!(
        "const ROW = {}, CELL = {}, KIND = {}, MARK = {}, TICKED = \"{TICKED}\";",
        offsets(&ROW),
        offsets(&CELL),
        codes(&KIND),
        codes(&MARK)
    )
}

#[wasm_bindgen]
extern "C" {
    /// `draw_rows.js`, which `index.html` loads before the app.
    #[wasm_bindgen(js_name = huntsDrawRows)]
    fn draw_rows(tbody: &web_sys::HtmlElement, data: &str, columns: u32, selectable: bool);
}

/// Draws `page` into `tbody`; `selected` says which rows are ticked when drawn (the table's
/// own effect keeps them in step after, see `tick`).
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
        let ticked = if selectable && selected(&row.id) {
            TICKED
        } else {
            ""
        };
        let mark = match row.mark {
            Mark::Unmarked => "",
            Mark::Changed => CHANGED,
            Mark::Gone => GONE,
        };
        let fields: [&str; ROW.len()] = [&row.id, &row.code, ticked, mark];
        fields.into_iter().for_each(&mut field);
        for cell in row.cells.iter() {
            let kind = if cell.column.as_str() == "code" {
                LINK
            } else if cell.column.kind() == hunts_model::Kind::Count {
                COUNT
            } else {
                ""
            };
            let title = cell.title.as_deref().unwrap_or_default();
            let fields: [&str; CELL.len()] = [kind, &cell.text, title];
            fields.into_iter().for_each(&mut field);
        }
    }
    data.pop();
    draw_rows(tbody, &data, page.columns.len() as u32, selectable);
}

/// Ticks the checkbox of each row of `tbody` whose hunt `selected` holds, and no other.
pub fn tick(tbody: &web_sys::HtmlElement, selected: impl Fn(&str) -> bool) {
    use wasm_bindgen::JsCast;
    let Ok(boxes) = tbody.query_selector_all("input[data-select]") else {
        return;
    };
    for index in 0..boxes.length() {
        if let Some(input) = boxes
            .item(index)
            .and_then(|node| node.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            let on = input
                .get_attribute("data-select")
                .is_some_and(|id| selected(&id));
            input.set_checked(on);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_script_reads_the_record_declared_here() {
        let script = include_str!("draw_rows.js");
        let line = super::record_line();
        assert!(
            script.lines().any(|written| written.trim() == line),
            "draw_rows.js must declare the record as hunt_row.rs does:\n{line}"
        );
    }
}
