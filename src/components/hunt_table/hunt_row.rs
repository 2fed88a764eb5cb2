//! One hunt as a table row: a cell per column, the code linking to the hunt.

use hunts_model::Kind;
use leptos::either::Either;
use leptos::prelude::*;

use super::table_page::TableRow;
use crate::bulk::use_selection;

/// One hunt's row: plain elements, nothing in it watches a signal, so the table's one effect
/// redraws it in place for the next page.
pub fn hunt_row(row: &TableRow, selectable: bool) -> impl IntoView + use<> {
    let href = format!("/hunts/{}", row.id);
    let cells = row
        .cells
        .iter()
        .map(|cell| {
            let (column, text, title) = (cell.column, cell.text.clone(), cell.title.clone());
            if column.as_str() == "code" {
                // A plain link: the router still takes its click, and, unlike `<A/>`, it keeps no
                // effect watching the location after its page is gone.
                Either::Left(view! { <td class="code"><a href=href.clone()>{text}</a></td> })
            } else {
                let class = (column.kind() == Kind::Count).then_some("num");
                Either::Right(view! { <td class=class title=title>{text}</td> })
            }
        })
        .collect_view();
    let select = selectable.then(|| select_cell(row));
    view! { <tr data-id=row.id.to_string()>{select}{cells}</tr> }
}

/// A row's checkbox, drawn ticked if its hunt is selected now; the selection's own effect keeps
/// it in step after (see `selection`), and the table's one click handler takes its clicks.
fn select_cell(row: &TableRow) -> impl IntoView + use<> {
    let checked = use_selection().contains_now(&row.id);
    view! {
        <td class="select">
            <input
                type="checkbox"
                aria-label=format!("Select {}", row.code)
                data-select=row.id.to_string()
                prop:checked=checked
            />
        </td>
    }
}
