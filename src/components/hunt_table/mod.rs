//! One page of hunts as a dense table: a sortable header cell per column, a row per hunt whose
//! code links to it. What is on show is fixed for the page drawn: a new order or page loads a
//! new page, which draws a new table.

mod hunt_row;
mod sort_header;

use hunts_model::{FieldPath, Order};
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::list_view::SortClick;
use hunt_row::HuntRow;
use sort_header::SortHeader;

#[component]
pub fn HuntTable(
    rows: Vec<Map<String, Value>>,
    columns: Vec<FieldPath>,
    order: Order,
    on_sort: Callback<(FieldPath, SortClick)>,
) -> impl IntoView {
    let several = order.keys().len() > 1;
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
                    <tr>{headers}</tr>
                </thead>
                <tbody>
                    <For
                        each=move || rows.clone()
                        key=|row| row.get("id").and_then(Value::as_str).unwrap_or_default().to_owned()
                        let:row
                    >
                        <HuntRow row=row columns=columns.clone()/>
                    </For>
                </tbody>
            </table>
        </div>
    }
}
