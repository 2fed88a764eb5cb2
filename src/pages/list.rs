//! The list page: a dense table of hunts whose columns, filters, order and page all live in the
//! URL, so a view can be bookmarked or shared and back/forward walk through it.

use hunts_model::{Direction, FieldPath, Kind, ListQuery};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use serde_json::Value;

use crate::api;
use crate::components::column_chooser::{self, ColumnChooser};
use crate::components::filter_bar::FilterBar;
use crate::components::pager::Pager;
use crate::format;
use crate::list_view::ListView;

#[component]
pub fn HuntList() -> impl IntoView {
    let query_map = use_query_map();
    let navigate = use_navigate();

    // The URL is the state; a URL the model cannot parse is shown as such, with a way out.
    let parsed = Memo::new(move |_| {
        let params = query_map.get();
        let pairs: Vec<(String, String)> = params
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect();
        ListQuery::from_pairs(
            pairs
                .iter()
                .map(|(key, value)| (key.as_str(), value.as_str())),
        )
        .map(|query| ListView::from_query(query, column_chooser::remembered()))
        .map_err(|error| error.to_string())
    });
    let view_state = Memo::new(move |_| {
        parsed
            .get()
            .unwrap_or_else(|_| ListView::from_query(ListQuery::default(), None))
    });
    let go =
        Callback::new(move |view: ListView| navigate(&view.to_url(), NavigateOptions::default()));
    // Made once for the page, not once per page of hunts drawn.
    let sort_by = Callback::new(move |(column, add): (FieldPath, bool)| {
        go.run(view_state.get_untracked().sorted_by(column, add))
    });
    let to_offset =
        Callback::new(move |offset| go.run(view_state.get_untracked().at_offset(offset)));
    let to_page_size =
        Callback::new(move |limit| go.run(view_state.get_untracked().with_page_size(limit)));

    // Each page remembers the request it answers. The page on show stays while the next loads,
    // and "loading" is simply that the page on show answers another request than the URL's.
    // Retry asks again for the same page: a new attempt is a new request.
    let (attempt, set_attempt) = signal(0u32);
    let page = LocalResource::new(move || {
        let request = (view_state.get().api_query(), attempt.get());
        async move {
            let result = api::list(&request.0).await;
            (request, result)
        }
    });
    let loading = Signal::derive(move || {
        let wanted = (view_state.get().api_query(), attempt.get());
        page.with(|loaded| {
            loaded
                .as_ref()
                .is_none_or(|(answered, _)| *answered != wanted)
        })
    });

    let columns = Signal::derive(move || view_state.get().columns);
    let filter = Signal::derive(move || view_state.get().filter);

    // Drawn from the loaded page alone: a `Suspend` inside a `Transition` here left a little of
    // every page it drew alive (see the soak test).
    let table = move || {
        page.get().map(|(_, result)| {
            let view = view_state.get_untracked();
            result.map(|list| {
                let shown = list.rows.len();
                let total = list.total;
                let columns = view.columns.clone();
                let body = if list.rows.is_empty() {
                    let clear = view.with_filter(Default::default());
                    let has_filter = !view.filter.is_empty();
                    view! {
                        <div class="empty" data-testid="empty">
                            <p>{if has_filter { "No hunt matches these filters." } else { "There are no hunts yet." }}</p>
                            {has_filter.then(|| view! { <button on:click=move |_| go.run(clear.clone())>"Clear the filters"</button> })}
                            <a href="/hunts/new">"Create a hunt"</a>
                        </div>
                    }
                        .into_any()
                } else {
                    view! {
                        <div class="table-wrap">
                        <table class="hunts">
                            <thead>
                                <tr>
                                    {columns.iter().map(|column| {
                                        let column = *column;
                                        let several = view.order.keys().len() > 1;
                                        view! { <SortHeader column=column sort=view.sort_of(column) several=several on_sort=sort_by/> }
                                    }).collect_view()}
                                </tr>
                            </thead>
                            <tbody>
                                <For
                                    each=move || list.rows.clone()
                                    key=|row| row.get("id").and_then(Value::as_str).unwrap_or_default().to_owned()
                                    let:row
                                >
                                    <HuntRow row=row columns=columns.clone()/>
                                </For>
                            </tbody>
                        </table>
                        </div>
                    }
                        .into_any()
                };
                view! {
                    {body}
                    <Pager
                        offset=view.offset
                        limit=view.limit
                        shown=shown
                        total=total
                        on_offset=to_offset
                        on_limit=to_page_size
                    />
                }
            })
        })
    };

    view! {
        <section class="list-page">
            <div class="toolbar">
                <h1>"Hunts"</h1>
                <span class="loading" role="status" aria-live="polite" data-testid="loading">
                    {move || loading.get().then_some("Loading…")}
                </span>
                <ColumnChooser
                    columns=columns
                    on_change=Callback::new(move |chosen| go.run(view_state.get_untracked().with_columns(chosen)))
                />
                <A href="/hunts/new">"New hunt"</A>
            </div>
            <FilterBar filter=filter on_change=Callback::new(move |filter| go.run(view_state.get_untracked().with_filter(filter)))/>
            {move || {
                parsed
                    .get()
                    .err()
                    .map(|message| {
                        view! {
                            <p class="error-state" role="alert">
                                "This view's address is not valid: " {message} " " <A href="/hunts">"Show all hunts"</A>
                            </p>
                        }
                    })
            }}
            <Show when=move || page.with(Option::is_some)>
                <ErrorBoundary fallback=move |errors| {
                    view! {
                        <div class="error-state" role="alert">
                            <p>
                                "The hunts could not be loaded: "
                                {move || errors.get().into_iter().map(|(_, error)| error.to_string()).collect::<Vec<_>>().join("; ")}
                            </p>
                            <button on:click=move |_| set_attempt.update(|attempt| *attempt += 1)>"Retry"</button>
                        </div>
                    }
                }>{table}</ErrorBoundary>
            </Show>
            <Show when=move || page.with(Option::is_none)>
                <p class="loading-block">"Loading hunts…"</p>
            </Show>
        </section>
    }
}

/// A column's header cell: its label, and for a sortable column a button that sorts by it (with
/// Shift, adds it as another key), with the arrow and rank of the order the rows on show are in.
///
/// Everything here is fixed for the page it heads (a new order loads a new page, which draws
/// new headers), so nothing in it watches a signal: effects made inside a `Suspend`'s view and
/// watching the list's state outlived the page they were drawn for, a few kB a change.
#[component]
fn SortHeader(
    column: FieldPath,
    sort: Option<(usize, Direction)>,
    several: bool,
    on_sort: Callback<(FieldPath, bool)>,
) -> impl IntoView {
    let aria_sort = match sort {
        Some((_, Direction::Asc)) => "ascending",
        Some((_, Direction::Desc)) => "descending",
        None => "none",
    };
    let marker = sort.map(|(rank, direction)| {
        let arrow = if direction == Direction::Asc {
            "▲"
        } else {
            "▼"
        };
        if several {
            format!(" {arrow}{rank}")
        } else {
            format!(" {arrow}")
        }
    });
    let label = if column.kind().is_scalar() {
        view! {
            <button
                class="sort"
                title="Sort; Shift-click to add as another key"
                on:click=move |event| on_sort.run((column, event.shift_key()))
            >
                {column.label()}
                <span class="sort-marker">{marker}</span>
            </button>
        }
        .into_any()
    } else {
        view! { <span>{column.label()}</span> }.into_any()
    };
    view! {
        <th scope="col" aria-sort=aria_sort data-column=column.as_str()>
            {label}
        </th>
    }
}

#[component]
fn HuntRow(row: serde_json::Map<String, Value>, columns: Vec<FieldPath>) -> impl IntoView {
    let id = row
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let href = format!("/hunts/{id}");
    let cells = columns
        .into_iter()
        .map(|column| {
            let text = format::cell(column.as_str(), row.get(column.as_str()));
            let class = if column.kind() == Kind::Count {
                "num"
            } else {
                ""
            };
            if column.as_str() == "code" {
                // A plain link: the router still takes its click, and, unlike `<A/>`, it keeps no
                // effect watching the location after its page is gone.
                view! { <td class=class><a href=href.clone()>{text}</a></td> }.into_any()
            } else {
                view! { <td class=class>{text}</td> }.into_any()
            }
        })
        .collect_view();
    view! { <tr data-id=id>{cells}</tr> }
}
