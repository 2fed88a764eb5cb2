//! "Where calls go" on a hunt's page: the path a call takes from this hunt when nobody answers,
//! hop by hop with each hop's condition, each hunt a link; and the hunts whose calls come here.
//! (What the rules find is said at the top of the page: `components::routing_findings`.)

use hunts_model::routing::{Graph, Target};
use leptos::prelude::*;

use crate::components::routing_findings::Routing;
use crate::format::{escaped, hunt_link_html};
use crate::routing;

#[component]
pub fn WhereCallsGo(graph: Routing) -> impl IntoView {
    let body = move || {
        // Drawn here while it is read, not by a `<Suspense/>`, which keeps its children alive a
        // turn after the page goes (see `components/load_error.rs`).
        match graph.get() {
            None => view! { <p class="subtle">"Following the transfers…"</p> }.into_any(),
            Some(Err(error)) => view! {
                <p class="field-error" role="alert">{format!("Where calls go could not be read: {error}")}</p>
            }
            .into_any(),
            Some(Ok(graph)) => {
                let sources = graph.transfers_into(0);
                let from = (!sources.is_empty()).then(|| {
                    let rows: String = sources
                        .iter()
                        .map(|transfer| {
                            let hunt = &graph.hunts[transfer.from];
                            format!(
                                "<li>{} {}</li>",
                                hunt_link_html(&hunt.id, &hunt.code),
                                escaped(&transfer.trigger.words())
                            )
                        })
                        .collect();
                    view! { <h3>"Calls come here from"</h3><ul data-testid="calls-come-from" inner_html=rows></ul> }
                });
                view! {
                    <Hops graph=graph.clone()/>
                    {from}
                }
                .into_any()
            }
        }
    };
    view! {
        <section class="where-calls-go" aria-labelledby="where-calls-go">
            <h2 id="where-calls-go">"Where calls go"</h2>
            {body}
        </section>
    }
}

/// One line of the path: how deep, the condition, where to (a hunt's id and code, or a number
/// outside), and what is said of it.
struct Hop {
    depth: usize,
    when: String,
    to: Option<(String, String)>,
    words: String,
}

/// The ways calls leave `hunt`, and from each hunt reached the same, until the calls leave the
/// hunts, come back (a loop), or `routing::MOST_HOPS` is reached; `path`: the hunts so far.
/// Plain data, drawn by one view (a component per hop cost the bundle far more).
fn hops(graph: &Graph, hunt: usize, path: &mut Vec<usize>, out: &mut Vec<Hop>) {
    for transfer in &graph.transfers[hunt] {
        let when = format!("{}: ", transfer.trigger.words());
        let depth = path.len() - 1;
        match &transfer.to {
            Target::Outside(number) => out.push(Hop {
                depth,
                when,
                to: None,
                words: format!("to {number}, outside the hunts"),
            }),
            Target::Hunt(to) => {
                let target = &graph.hunts[*to];
                let again = path.contains(to);
                let words = match (again, target.blocked, !target.rings) {
                    (true, ..) => " again: calls loop",
                    (false, true, _) => " (blocked: a dead end)",
                    (false, false, true) => " (no resources: a dead end)",
                    _ => "",
                };
                out.push(Hop {
                    depth,
                    when,
                    to: Some((target.id.clone(), target.code.clone())),
                    words: words.to_owned(),
                });
                if !again && path.len() < routing::MOST_HOPS {
                    path.push(*to);
                    hops(graph, *to, path, out);
                    path.pop();
                }
            }
        }
    }
}

#[component]
fn Hops(graph: Graph) -> impl IntoView {
    let mut out = Vec::new();
    hops(&graph, 0, &mut vec![0], &mut out);
    if out.is_empty() {
        return view! { <p class="subtle">"Calls stay in this hunt: no transfer is set to fire."</p> }
            .into_any();
    }
    // One string, not a `view!` per hop (less wasm: the budget is 360 kB, docs/size.md).
    let rows: String = out
        .into_iter()
        .map(|hop| {
            let link = hop.to.map_or_else(String::new, |(id, code)| {
                format!("to {}", hunt_link_html(&id, &code))
            });
            format!(
                "<li style=\"margin-left: {}rem\"><span class=\"hop-when\">{}</span>{link}{}</li>",
                hop.depth * 2,
                escaped(&hop.when),
                escaped(&hop.words)
            )
        })
        .collect();
    view! { <ol class="hops" inner_html=rows></ol> }.into_any()
}
