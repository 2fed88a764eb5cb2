//! Paging controls: previous and next, page size, and "41–60 of 312".

use leptos::prelude::*;

use crate::list_view::{PAGE_SIZES, range_text};

#[component]
pub fn Pager(
    offset: u64,
    limit: u64,
    shown: usize,
    /// Another page follows: the server sent a row past this one (used without a total).
    more: bool,
    total: Option<u64>,
    on_offset: Callback<u64>,
    on_limit: Callback<u64>,
) -> impl IntoView {
    let has_next = match total {
        Some(total) => offset + (shown as u64) < total,
        None => more,
    };
    // A size the address gives that is not among the usual ones (`?limit=10`) is shown too,
    // after them.
    let sizes = PAGE_SIZES
        .into_iter()
        .chain((!PAGE_SIZES.contains(&limit)).then_some(limit));
    view! {
        <nav class="pager" aria-label="Pages">
            <button disabled=offset == 0 on:click=move |_| on_offset.run(offset.saturating_sub(limit))>
                "‹ Previous"
            </button>
            <span class="range" data-testid="range">{range_text(offset, shown, total)}</span>
            <button disabled=!has_next on:click=move |_| on_offset.run(offset + limit)>
                "Next ›"
            </button>
            <label>
                "Per page "
                <select on:change:target=move |event| {
                    if let Ok(size) = event.target().value().parse() {
                        on_limit.run(size);
                    }
                }>
                    {sizes
                        .map(|size| view! { <option value=size.to_string() selected=size == limit>{size.to_string()}</option> })
                        .collect_view()}
                </select>
            </label>
        </nav>
    }
}
