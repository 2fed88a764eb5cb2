//! One hunt as a table row: a cell per column, the code linking to the hunt.

use hunts_model::{FieldPath, Kind};
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::bulk::use_selection;
use crate::format;

#[component]
pub fn HuntRow(
    row: Map<String, Value>,
    columns: Vec<FieldPath>,
    selectable: bool,
    /// The page's ids in order, for Shift-click ranges.
    page_ids: StoredValue<Vec<String>>,
) -> impl IntoView {
    let id = row
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let href = format!("/hunts/{id}");
    let cells = columns
        .into_iter()
        .map(|column| {
            let text = format::cell(column, row.get(column.as_str()));
            let class = if column.kind() == Kind::Count {
                "num"
            } else {
                ""
            };
            if column.as_str() == "code" {
                // A plain link: the router still takes its click, and, unlike `<A/>`, it keeps no
                // effect watching the location after its page is gone.
                view! { <td class="code"><a href=href.clone()>{text}</a></td> }.into_any()
            } else {
                view! { <td class=class>{text}</td> }.into_any()
            }
        })
        .collect_view();
    let code = row
        .get("code")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let select =
        selectable.then(|| view! { <SelectRow id=id.clone() code=code page_ids=page_ids/> });
    view! { <tr data-id=id>{select}{cells}</tr> }
}

/// A row's checkbox; Shift-click selects (or clears) the range from the last row clicked.
#[component]
fn SelectRow(id: String, code: String, page_ids: StoredValue<Vec<String>>) -> impl IntoView {
    let selection = use_selection();
    // Drawn as it is now; the selection's own effect keeps it in step after (see `selection`).
    let checked = selection.contains_now(&id);
    view! {
        <td class="select">
            <input
                type="checkbox"
                aria-label=format!("Select {code}")
                data-select=id.clone()
                prop:checked=checked
                on:click=move |event| {
                    let on = event_target_checked(&event);
                    page_ids.with_value(|page| selection.click(&id, on, event.shift_key(), page));
                }
            />
        </td>
    }
}
