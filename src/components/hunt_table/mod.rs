//! One page of hunts as a dense table: a sortable header cell per column, a row per hunt whose
//! code links to it. What is on show is fixed for the page drawn: a new order or page loads a
//! new page, which draws a new table.

mod hunt_row;
mod sort_header;

use hunts_model::{FieldPath, Order};
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::bulk::use_selection;
use crate::list_view::SortClick;
use hunt_row::HuntRow;
use sort_header::SortHeader;

#[component]
pub fn HuntTable(
    rows: Vec<Map<String, Value>>,
    columns: Vec<FieldPath>,
    order: Order,
    on_sort: Callback<(FieldPath, SortClick)>,
    /// Whether rows have a checkbox for work on many hunts (not for viewers).
    selectable: bool,
) -> impl IntoView {
    let several = order.keys().len() > 1;
    let page_ids: Vec<String> = rows
        .iter()
        .filter_map(|row| row.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect();
    let page_ids = StoredValue::new(page_ids);
    let select_page = selectable.then(|| view! { <SelectPage page_ids=page_ids/> });
    let headers = columns
        .iter()
        .map(|column| {
            let column = *column;
            view! { <SortHeader column=column sort=order.rank_of(column) several=several on_sort=on_sort/> }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="hunts">
                <thead>
                    <tr>{select_page}{headers}</tr>
                </thead>
                <tbody>
                    <For
                        each=move || rows.clone()
                        key=|row| row.get("id").and_then(Value::as_str).unwrap_or_default().to_owned()
                        let:row
                    >
                        <HuntRow row=row columns=columns.clone() selectable=selectable page_ids=page_ids/>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// The header's checkbox: every hunt on this page selected, or none of them.
#[component]
fn SelectPage(page_ids: StoredValue<Vec<String>>) -> impl IntoView {
    let selection = use_selection();
    let all_selected = page_ids
        .with_value(|ids| !ids.is_empty() && ids.iter().all(|id| selection.contains_now(id)));
    view! {
        <th scope="col" class="select">
            <input
                type="checkbox"
                aria-label="Select every hunt on this page"
                data-select-page=""
                prop:checked=all_selected
                on:change:target=move |event| {
                    page_ids.with_value(|ids| selection.set_many(ids, event.target().checked()));
                }
            />
        </th>
    }
}
