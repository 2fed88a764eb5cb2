//! "Where calls go" on a hunt's page: the path a call takes from this hunt when nobody answers,
//! hop by hop with each hop's condition, each hunt a link; the hunts whose calls come here; and
//! what the routing rules find on the way, said at the top of the page in words.

use hunts_model::Hunt;
use hunts_model::routing::{Graph, Target};
use leptos::prelude::*;

use crate::routing;

/// Reads the hunt's neighbourhood, then draws the findings' line (`FindingsLine`, for the top
/// of the page) and the section.
pub fn use_routing(hunt: Hunt) -> LocalResource<Result<Graph, String>> {
    LocalResource::new(move || {
        let hunt = hunt.clone();
        async move {
            routing::around(hunt)
                .await
                .map_err(|error| error.to_string())
        }
    })
}

/// What the rules find that concerns this hunt, in words, at the top of its page.
#[component]
pub fn FindingsLine(graph: LocalResource<Result<Graph, String>>) -> impl IntoView {
    move || {
        graph.get().and_then(Result::ok).and_then(|graph| {
            let words: Vec<String> = graph
                .findings_for(0)
                .iter()
                .filter(|finding| finding.is_fault())
                .map(|finding| graph.describe(finding))
                .collect();
            (!words.is_empty()).then(|| {
                view! {
                    <ul class="routing-findings" data-testid="routing-findings">
                        {words.into_iter().map(|words| view! { <li>{words}</li> }).collect_view()}
                    </ul>
                }
            })
        })
    }
}

#[component]
pub fn WhereCallsGo(graph: LocalResource<Result<Graph, String>>) -> impl IntoView {
    let body = move || {
        graph.get().map(|graph| match graph {
            Err(error) => view! {
                <p class="field-error" role="alert">{format!("Where calls go could not be read: {error}")}</p>
            }
            .into_any(),
            Ok(graph) => {
                let sources = graph.transfers_into(0);
                let from = (!sources.is_empty()).then(|| {
                    let rows = sources
                        .iter()
                        .map(|transfer| {
                            let hunt = &graph.hunts[transfer.from];
                            view! {
                                <li><a href=format!("/hunts/{}", hunt.id)>{hunt.code.clone()}</a>
                                    {format!(" {}", transfer.trigger.words())}</li>
                            }
                        })
                        .collect_view();
                    view! { <h3>"Calls come here from"</h3><ul data-testid="calls-come-from">{rows}</ul> }
                });
                view! {
                    <Hops graph=graph.clone() hunt=0 path=vec![0]/>
                    {from}
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="where-calls-go" aria-labelledby="where-calls-go">
            <h2 id="where-calls-go">"Where calls go"</h2>
            <Suspense fallback=|| view! { <p class="subtle">"Following the transfers…"</p> }>{body}</Suspense>
        </section>
    }
}

/// The ways calls leave `hunt`, and from each hunt reached the same, until the calls leave the
/// hunts, come back (a loop), or `routing::MOST_HOPS` is reached. `path`: the hunts so far.
#[component]
fn Hops(graph: Graph, hunt: usize, path: Vec<usize>) -> impl IntoView {
    let transfers = graph.transfers[hunt].clone();
    if transfers.is_empty() {
        return view! { <p class="subtle">{if path.len() == 1 { "Calls stay in this hunt: no transfer is set to fire." } else { "Calls stay there." }}</p> }
            .into_any();
    }
    let rows = transfers
        .into_iter()
        .map(|transfer| {
            let when = transfer.trigger.words();
            let next = match &transfer.to {
                Target::Outside(number) => view! {
                    <span>{format!("to {number}, outside the hunts")}</span>
                }
                .into_any(),
                Target::Hunt(to) if path.contains(to) => {
                    let target = &graph.hunts[*to];
                    view! {
                        <span>"to " <a href=format!("/hunts/{}", target.id)>{target.code.clone()}</a>
                            <strong class="routing-loop">" again: calls loop"</strong></span>
                    }
                    .into_any()
                }
                Target::Hunt(to) => {
                    let target = &graph.hunts[*to];
                    let mut further = path.clone();
                    further.push(*to);
                    let state = match (target.huntblock.enabled, target.resources.is_empty()) {
                        (true, _) => Some(" (blocked: a dead end)"),
                        (false, true) => Some(" (no resources: a dead end)"),
                        _ => None,
                    };
                    let deeper = if further.len() <= routing::MOST_HOPS {
                        view! { <Hops graph=graph.clone() hunt=*to path=further/> }.into_any()
                    } else {
                        view! { <p class="subtle">"…and on."</p> }.into_any()
                    };
                    view! {
                        <span>"to " <a href=format!("/hunts/{}", target.id)>{target.code.clone()}</a>
                            {state.map(|state| view! { <strong>{state}</strong> })}</span>
                        {deeper}
                    }
                    .into_any()
                }
            };
            view! { <li><span class="hop-when">{format!("{when}: ")}</span>{next}</li> }
        })
        .collect_view();
    view! { <ol class="hops">{rows}</ol> }.into_any()
}
