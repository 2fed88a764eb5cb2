//! The list's dense table: a sortable header cell per column, a row per hunt whose code links
//! to it. The table stays while its pages change: the rows on show take the new page's text in
//! place (the first row the new first hunt, and so on; rows are added or taken off at the end),
//! and the header buttons (and the focus on them) stay. In Chromium, moving or replacing the
//! rows of a long table costs its layout two to three times what changing their text does (see
//! `benches/render.rs`). The rows are drawn from one string per page (see `hunt_row`).

mod hunt_row;
mod sort_header;
mod table_page;

use std::sync::Arc;

use hunts_model::FieldPath;
use leptos::prelude::*;

use crate::dom;
use crate::list_view::SortClick;
use crate::pages::list::selection::{SELECT_PAGE, Selection, use_selection};
use sort_header::SortHeader;
pub use table_page::TablePage;

#[component]
pub fn HuntTable(
    page: Signal<Arc<TablePage>>,
    on_sort: Callback<(FieldPath, SortClick)>,
    /// Whether rows have a checkbox for work on many hunts (not for viewers).
    selectable: bool,
) -> impl IntoView {
    let page_ids = Signal::derive(move || page.with(|page| page.ids()));
    let order = Signal::derive(move || page.with(|page| page.order.clone()));
    let columns = Memo::new(move |_| page.with(|page| page.columns.clone()));
    let selection = use_selection();
    let select_page = selectable.then(|| view! { <SelectPage page_ids=page_ids/> });
    // The rows are drawn by the page's own DOM calls, once per page (see `hunt_row`).
    let tbody = NodeRef::<leptos::html::Tbody>::new();
    Effect::new(move |_| {
        let Some(tbody) = tbody.get() else {
            return;
        };
        page.with(|page| {
            hunt_row::draw(&tbody, page, selectable, |id| selection.contains_now(id));
        });
    });
    // The rows' checkboxes are drawn ticked as the selection is when drawn, and then kept in
    // step here, by the table: nothing in a row watches the selection (a row of a page that was
    // replaced must leave nothing behind that watches; see the soak test).
    Effect::new(move |_| {
        let Some(tbody) = tbody.get() else {
            return;
        };
        selection.with(|ids| hunt_row::tick(&tbody, |id| ids.contains(id)));
    });
    view! {
        <div class="table-wrap">
            <table class="hunts">
                <thead>
                    <tr>
                        {select_page}
                        {move || {
                            columns.get().into_iter().map(|column| {
                                view! { <SortHeader column=column order=order on_sort=on_sort/> }
                            }).collect_view()
                        }}
                    </tr>
                </thead>
                <tbody node_ref=tbody on:click=move |event| select_row(&event, selection, page_ids)></tbody>
            </table>
        </div>
    }
}

/// A click on a row's checkbox: alone it toggles the row; with Shift, the range from the last
/// row clicked. One handler for every row, so a row redrawn for a new page brings no listener.
fn select_row(event: &leptos::ev::MouseEvent, selection: Selection, page_ids: Signal<Vec<String>>) {
    use wasm_bindgen::JsCast;
    let Some(input) = dom::target_element(event)
        .and_then(|element| element.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    if let Some(id) = input.get_attribute("data-select") {
        page_ids.with_untracked(|page| {
            selection.click(&id, input.checked(), event.shift_key(), page);
        });
    }
}

/// The header's checkbox: every hunt on this page selected, or none of them; ticked while every
/// hunt on the page is selected (its one writer).
#[component]
fn SelectPage(page_ids: Signal<Vec<String>>) -> impl IntoView {
    let selection = use_selection();
    let all_selected = move || {
        page_ids.with(|page| {
            selection.with(|ids| !page.is_empty() && page.iter().all(|id| ids.contains(id)))
        })
    };
    view! {
        <th scope="col" class="select">
            <input
                type="checkbox"
                id=SELECT_PAGE
                aria-label="Select every hunt on this page"
                data-select-page=""
                prop:checked=all_selected
                on:change:target=move |event| {
                    page_ids.with_untracked(|ids| selection.set_many(ids, event.target().checked()));
                }
            />
        </th>
    }
}
