//! The list page: a dense table of hunts whose columns, filters, order and page all live in the
//! URL, so a view can be bookmarked or shared and back/forward walk through it.

use std::sync::Arc;

use hunts_model::FieldPath;
use leptos::prelude::*;

use crate::api;
use crate::components::load_error::LoadError;
use crate::components::sign_in::use_auth;
use crate::dom;
use crate::list_view::{ListView, SortClick};
use crate::live::{use_announcement, use_heard};
use crate::newest::newest_answer_into;
use crate::router::use_router;
use bulk::{BulkWork, ImportWork, ReloadList};
use column_chooser::ColumnChooser;
use export::Export;
use filter_bar::FilterBar;
use hunt_table::{HuntTable, TablePage};
use pager::Pager;
use saved_views::SavedViews;
use selection::{Selection, provide_selection};
pub use use_list_view::ask_for_the_first_page;
use use_list_view::{ListViewState, use_list_view};

mod bulk;
mod column_chooser;
mod export;
mod filter_bar;
mod hunt_table;
mod pager;
mod saved_views;
mod selection;
mod use_list_view;

/// The toolbar's Import button, where focus goes back to when the import panel is closed.
const IMPORT_BUTTON: &str = "import-open";

#[component]
pub fn HuntList() -> impl IntoView {
    let auth = use_auth();
    // One selection for the page however its URL changes: it survives paging and sorting.
    let selection = provide_selection();

    // The address names the view; one the model cannot read is shown as such, with a way out.
    let list_view: ListViewState = use_list_view();
    let (parsed, view_state, go) = (list_view.parsed, list_view.view, list_view.go);
    let sort_by = Callback::new(move |(column, click): (FieldPath, SortClick)| {
        go.run(list_view.latest().sorted_by(column, click));
    });
    let to_offset = Callback::new(move |offset| go.run(list_view.latest().at_offset(offset)));
    let to_page_size = Callback::new(move |limit| go.run(list_view.latest().with_page_size(limit)));
    // A new filter asks before it clears a selection; Cancel changes nothing (the filter is
    // not applied, the selection stays).
    let to_filter = Callback::new(move |filter| {
        if !selection.is_empty() {
            let question = format!(
                "The new filter shows other hunts: apply it and clear the selection of {}?",
                crate::format::counted(selection.count() as u64, "hunt")
            );
            if !crate::dom::confirm(&question) {
                return false;
            }
            selection.clear();
        }
        go.run(list_view.latest().with_filter(filter));
        true
    });
    let to_columns = Callback::new(move |chosen| go.run(list_view.latest().with_columns(chosen)));

    // Each page remembers the request it answers. The page on show stays while the next loads,
    // and "loading" is simply that the page on show answers another request than the view's.
    // Retry asks again for the same page: a new attempt is a new request.
    // A sign-in is a new attempt too: what a lost session refused loads again.
    let (attempt, set_attempt) = signal(0u32);
    // Work on many hunts loads the page again once it has written.
    provide_context(ReloadList(set_attempt));
    let page: RwSignal<Option<Answered>> = RwSignal::new(None);
    // The loaded page in the table's shape, made once per page. The table stays while pages
    // change (the rows on show take the next page's text in place); what is below it (why the page
    // is empty, the pager) is drawn for each page. Drawn from the loaded page alone: a
    // `Suspend` inside a `Transition` here left a little of every page it drew alive (see the
    // soak test).
    let shown = Memo::new_with_compare(
        move |before: Option<&Option<Result<Shown, api::ApiError>>>| {
            page.with(|loaded| {
                loaded.as_ref().map(|((_, reads), result)| {
                    result
                        .as_ref()
                        .map(|list| {
                            let view = view_state.get_untracked();
                            // The row past the page only says that another page follows.
                            let on_page = list.rows.len().min(view.limit as usize);
                            let mut table = TablePage::new(
                                &list.rows[..on_page],
                                view.columns.clone(),
                                view.order.clone(),
                            );
                            // Read again on a live change alone: drawn beside the page on show.
                            if let Some(Some(Ok(before))) = before
                                && before.view == view
                                && before.reads.0 == reads.0
                                && before.reads.1 != reads.1
                            {
                                table = table.following(&before.table);
                            }
                            Shown {
                                table: Arc::new(table),
                                more: list.rows.len() > on_page,
                                view,
                                total: list.total,
                                reads: *reads,
                            }
                        })
                        .map_err(Clone::clone)
                })
            })
        },
        // It runs only when a page loads, and each load is news (even the same rows again).
        |_, _| true,
    );
    // Someone's change to a hunt on the page on show (one kept though gone too) reads the page
    // again (the selection and the scroll stay); a line says politely who changed what.
    let heard = use_heard(move |change| {
        change.action == "reset"
            || shown.with_untracked(|shown| {
                matches!(shown, Some(Ok(shown))
                    if shown.table.rows.iter().any(|row| *row.id == *change.id))
            })
    });
    // Which reads: the attempts and sign-ins, and the live changes heard (told apart: a page
    // read again on a live change is drawn beside the one before it).
    let reads = move || {
        (
            attempt.get() + auth.sign_ins.get(),
            heard.with(|heard| heard.count),
        )
    };
    newest_answer_into(
        page,
        move || (view_state.get().api_query(), reads()),
        |request, _| async move {
            let result = api::list(&request.0).await;
            (request, result)
        },
    );
    let announced = use_announcement(heard);
    let loading = Signal::derive(move || {
        let wanted = (view_state.get().api_query(), reads());
        page.with(|loaded| {
            loaded
                .as_ref()
                .is_none_or(|(answered, _)| *answered != wanted)
        })
    });
    let columns = Signal::derive(move || view_state.get().columns);
    let filter = Signal::derive(move || view_state.get().filter);

    let table = Signal::derive(move || {
        shown.with(|shown| match shown {
            Some(Ok(shown)) => shown.table.clone(),
            _ => Arc::default(),
        })
    });
    let has_rows = move || table.with(|table| !table.is_empty());
    // Its error drawn here, not by an `<ErrorBoundary/>` (see `components/load_error.rs`).
    let below_table = move || {
        shown.get().map(|result| match result {
            Ok(Shown {
                table,
                view,
                total,
                more,
                ..
            }) => view! {
                <BelowTable shown=table.rows.len() more=more view=view total=total go=go to_offset=to_offset to_page_size=to_page_size/>
            }
            .into_any(),
            Err(error) => view! {
                <LoadError
                    reason=error.to_string()
                    lead="The hunts could not be loaded: "
                    on_retry=Callback::new(move |()| set_attempt.update(|attempt| *attempt += 1))
                />
            }
            .into_any(),
        })
    };

    let importing = RwSignal::new(false);

    view! {
            <section class="list-page">
                <div class="toolbar">
                    <h1>"Hunts"</h1>
                    <span class="loading" role="status" aria-live="polite" data-testid="loading">
                        {move || loading.get().then_some("Loading…")}
                    </span>
                    <ColumnChooser columns=columns on_change=to_columns/>
                    <SavedViews current=Signal::derive(move || view_state.get().to_url())/>
                    <Export view=view_state.into()/>
                    <Show when=move || auth.can_write()>
                        <button type="button" id=IMPORT_BUTTON aria-expanded=move || importing.get().to_string()
                            on:click=move |_| importing.update(|open| *open = !*open)>"Import"</button>
                        <a href="/hunts/new">"New hunt"</a>
                    </Show>
                </div>
                <FilterBar filter=filter on_change=to_filter/>
                <p class="subtle live-news" role="status" data-testid="live-news">{announced}</p>
                <Show when=move || importing.get() && auth.can_write()>
                    <ImportWork on_close=Callback::new(move |()| {
                        importing.set(false);
                        crate::dom::focus_by_id(IMPORT_BUTTON.to_owned());
                    })/>
                </Show>
                // On show while hunts are selected, or while it has a report to show.
                <Show when=move || auth.can_write()>
                    <BulkWork/>
                </Show>
                {move || parsed.get().err().map(|message| view! {
                    <p class="error-state" role="alert">
                        "This view's address is not valid: " {message} " " <a href="/hunts">"Show all hunts"</a>
                    </p>
                })}
                <Show when=move || page.with(Option::is_some)>
                    <Show when=has_rows>
                        // Drawn again only if the session's answer changes who may select hunts:
                        // a viewer gets no checkboxes, since nothing can be done with a selection.
                        {move || {
                            let selectable = auth.can_write();
                            view! { <HuntTable page=table on_sort=sort_by selectable=selectable/> }
                        }}
                    </Show>
    {below_table}
                </Show>
                <Show when=move || page.with(Option::is_none)>
                    <p class="loading-block">"Loading hunts…"</p>
                </Show>
            </section>
        }
}

/// A list page's answer, with the request it answers: the query and the reads (see `reads`).
type Answered = (
    (hunts_model::ListQuery, (u32, u32)),
    Result<api::ListPage, api::ApiError>,
);

/// A loaded page in the table's shape, with the view and the reads it answers.
#[derive(Clone)]
struct Shown {
    table: Arc<TablePage>,
    view: ListView,
    total: Option<u64>,
    /// Another page follows (the server sent a row past this page).
    more: bool,
    reads: (u32, u32),
}

/// What follows a loaded page's table: why it is empty, "select all that match", the pager.
#[component]
fn BelowTable(
    shown: usize,
    /// Another page follows (the server sent a row past this page).
    more: bool,
    view: ListView,
    total: Option<u64>,
    go: Callback<ListView>,
    to_offset: Callback<u64>,
    to_page_size: Callback<u64>,
) -> impl IntoView {
    let can_write = use_auth().can_write();
    // A page past the end (its hunts deleted, or an old link) steps back to the last page with
    // hunts, in place of the address; without a total, the way back is offered.
    let past_end = shown == 0 && view.offset > 0;
    if past_end && let Some(total) = total.filter(|total| *total > 0) {
        let last = view.at_offset((total - 1) / view.limit * view.limit);
        let router = use_router();
        dom::after_this_task(move || router.replace(&last.to_url()));
    }
    let empty = (shown == 0).then(|| {
        let has_filter = !view.filter.is_empty();
        let clear = view.with_filter(Default::default());
        let first = view.at_offset(0);
        let words = match (past_end, has_filter) {
            (true, _) => "There are no hunts on this page.",
            (false, true) => "No hunt matches these filters.",
            (false, false) => "There are no hunts yet.",
        };
        view! {
            <div class="empty" data-testid="empty">
                <p>{words}</p>
                {past_end.then(|| view! { <button on:click=move |_| go.run(first.clone())>"Go to the first page"</button> })}
                {(has_filter && !past_end).then(|| view! { <button on:click=move |_| go.run(clear.clone())>"Clear the filters"</button> })}
                {(can_write && !past_end).then(|| view! { <a href="/hunts/new">"Create a hunt"</a> })}
            </div>
        }
    });
    // Without a total (an extension) it is offered all the same, and counts as it reads.
    let select_all = (can_write && total.map_or(shown > 0, |total| total > 0))
        .then(|| view! { <SelectAllMatching view=view.clone() total=total/> });
    view! {
        {empty}
        {select_all}
        <Pager offset=view.offset limit=view.limit shown=shown more=more total=total on_offset=to_offset on_limit=to_page_size/>
    }
}

/// "Select all 312 that match": every hunt of the view across its pages ("Select all that
/// match" where the server gives no total).
#[component]
fn SelectAllMatching(view: ListView, total: Option<u64>) -> impl IntoView {
    let selection = use_context::<Selection>().expect("the list provides a selection");
    // Why the last try failed, if it did; whether one is on its way. (A task and signals
    // rather than an `Action`: less wasm, 360 kB being the budget; see docs/size.md.)
    let problem = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let query = StoredValue::new(view.api_query());
    let select = move || {
        let query = query.get_value();
        pending.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            match api::matching_ids(&query).await {
                Ok(ids) => selection.replace(ids),
                Err(error) => {
                    problem.try_set(Some(error.to_string()));
                }
            }
            pending.try_set(false);
        });
    };
    // Not on offer once they all are.
    let all_selected = move || total.is_some_and(|total| selection.count() as u64 >= total);
    let words = match total {
        Some(total) => format!("Select all {total} that match"),
        None => "Select all that match".to_owned(),
    };
    view! {
        <Show when=move || !all_selected()>
            <p class="select-all">
                <button type="button" class="link" disabled=move || pending.get() on:click=move |_| select()>
                    {words.clone()}
                </button>
                <span class="field-error" role="alert">{problem}</span>
            </p>
        </Show>
    }
}
