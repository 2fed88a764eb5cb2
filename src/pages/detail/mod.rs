//! The detail page: every field of one hunt, grouped by the catalog's sections, with edit and
//! delete (delete asks first, naming the hunt's code), and where its calls go.

mod history;
mod where_calls_go;

use hunts_model::priorities::{self, Ties};
use hunts_model::{FieldPath, Hunt, Section, Strategy, encode_component, flatten};
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::api::{self, Fetched};
use crate::components::hunt_loader::HuntLoader;
use crate::components::notice::use_notice;
use crate::components::routing_findings::{RoutingFindings, use_routing};
use crate::components::sign_in::use_auth;
use crate::router::use_router;
use crate::{dom, format};

#[component]
pub fn HuntDetail() -> impl IntoView {
    view! { <HuntLoader page_class="detail-page" follow_live=true render=|fetched| view! { <HuntView fetched=fetched/> }.into_any()/> }
}

#[component]
fn HuntView(fetched: Fetched) -> impl IntoView {
    let Fetched { hunt, etag } = fetched;
    let Value::Object(values) = flatten(&hunt.to_json()) else {
        unreachable!("a hunt flattens to an object")
    };
    let (id, for_actions, etag_for_history) = (hunt.id.clone(), hunt.clone(), etag.clone());
    let routing = {
        let hunt = hunt.clone();
        use_routing(move || hunt.clone(), std::time::Duration::ZERO)
    };
    // Read here, not in the closure: a closure that runs as the page goes (the session ended)
    // finds no context there.
    let auth = use_auth();
    view! {
        <div class="detail-head">
            <h1>
                {hunt.code.clone()}
                {(!hunt.displayname.is_empty()).then(|| view! { <span class="subtle">" " {hunt.displayname.clone()}</span> })}
            </h1>
            <Changed hunt=hunt.clone()/>
            <RoutingFindings graph=routing testid="routing-findings"/>
            <Show when=move || auth.can_write()>
                <div class="actions">
                    <a href=format!("/hunts/{id}/edit") aria-keyshortcuts="e">"Edit"</a>
                    <a href=format!("/hunts/new?from={id}")>"Duplicate"</a>
                    <DeleteButton hunt=for_actions.clone() etag=etag.clone()/>
                </div>
            </Show>
        </div>
        <div class="groups">
            {Section::ALL
                .into_iter()
                .map(|section| view! { <DetailSection section=section hunt=hunt.clone() values=values.clone()/> })
                .collect_view()}
        </div>
        <where_calls_go::WhereCallsGo graph=routing/>
        <history::HuntHistory hunt=hunt.clone() etag=etag_for_history/>
    }
}

/// "changed 5 minutes ago", with the exact time on hover.
#[component]
fn Changed(hunt: Hunt) -> impl IntoView {
    let written = hunt.ext.lwt.clone();
    format::ago(&written).map(|ago| {
        let exact = format::when(&written).map(|when| when.exact);
        view! { <p class="subtle changed" title=exact>{format!("changed {ago}")}</p> }
    })
}

/// "Delete…", then a confirmation naming the code; once deleted, a notice with Undo (which
/// creates the hunt again, with its id and every field) and the list.
#[component]
fn DeleteButton(hunt: Hunt, etag: Option<String>) -> impl IntoView {
    let (confirming, set_confirming) = signal(false);
    let notice = use_notice();
    let router = use_router();
    let code = hunt.code.clone();
    let undo = {
        let hunt = hunt.clone();
        move || {
            let (hunt, code) = (hunt.clone(), hunt.code.clone());
            leptos::task::spawn_local(async move {
                match api::restore(&hunt).await {
                    Ok(restored) => {
                        notice.show(match restored.same_id {
                            true => format!("Restored hunt {code}"),
                            false => format!(
                                "Restored hunt {code} under a new id: this platform does not keep \
                                 ids, so links and references to its old id no longer lead to it"
                            ),
                        });
                        router.navigate(&format!("/hunts/{}", restored.hunt.id));
                    }
                    Err(error) => {
                        notice.show(format!("Hunt {code} could not be restored: {error}"));
                    }
                }
            });
        }
    };
    // Why the delete failed, if it did; whether one is on its way. (A task and two signals
    // rather than an `Action`: the same in less wasm, 360 kB being the budget, docs/size.md.)
    let delete_error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let remove = {
        let code = code.clone();
        let (id, read) = (hunt.id.clone(), hunt.clone());
        Callback::new(move |()| {
            let (id, etag, code, undo) = (id.clone(), etag.clone(), code.clone(), undo.clone());
            let read = read.clone();
            pending.set(true);
            leptos::task::spawn_local(async move {
                match api::delete_if(&id, etag.as_deref(), &|now| *now == read).await {
                    Ok(()) => {
                        notice.show_with_undo(format!("Deleted hunt {code}"), undo);
                        // Once this task is over: leaving disposes this page.
                        dom::after_this_task(move || router.navigate("/hunts"));
                    }
                    Err(error) => {
                        delete_error.try_set(Some(error.to_string()));
                        pending.try_set(false);
                    }
                }
            });
        })
    };
    view! {
        <button class="danger" on:click=move |_| set_confirming.set(true)>"Delete…"</button>
        <Show when=move || confirming.get()>
            <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
                <p id="confirm-text">
                    "Delete hunt " <strong>{code.clone()}</strong> "? Calls to it will no longer queue."
                    {(!api::keeps_ids()).then_some(" Undo brings it back under a new id: this platform does not keep ids.")}
                </p>
                <button
                    class="danger"
                    id="confirm-delete"
                    disabled=move || pending.get()
                    on:click=move |_| remove.run(())
                >
                    {format!("Delete {code}")}
                </button>
                <button on:click=move |_| set_confirming.set(false)>"Cancel"</button>
                <p class="field-error">{delete_error}</p>
            </div>
        </Show>
    }
}

/// One section: its fields as label and value, in the catalog's words. The strategy and the
/// block read as one sentence each; the resources as the ring.
#[component]
fn DetailSection(section: Section, hunt: Hunt, values: Map<String, Value>) -> impl IntoView {
    let body = match section {
        Section::Resources if hunt.resources.is_empty() => {
            view! { <p class="subtle">"No resources: calls wait until one is added."</p> }
                .into_any()
        }
        Section::Resources => {
            view! { <ol class="resources" inner_html=ring_html(&hunt)></ol> }.into_any()
        }
        Section::Block => view! { <p data-testid="block">{block_text(&hunt)}</p> }.into_any(),
        Section::Notes => {
            view! { <p class="notes">{format::or_dash(&hunt.opts.comment)}</p> }.into_any()
        }
        _ => {
            // HTML text, one string: less wasm than a `view!` per field.
            let rows: String = FieldPath::in_section(section)
                .filter(|path| path.as_str() != "strategy.seconds")
                .map(|path| {
                    let value = values.get(path.as_str());
                    let (text, title) = match path.as_str() {
                        "strategy.mode" => (strategy_text(&hunt.strategy), None),
                        _ => format::detail_and_hover(path, value),
                    };
                    let title = title
                        .map(|title| format!(" title=\"{}\"", format::escaped(&title)))
                        .unwrap_or_default();
                    format!(
                        "<dt>{}</dt><dd{title}>{}</dd>",
                        format::escaped(path.label()),
                        format::escaped(&text)
                    )
                })
                .collect();
            view! { <dl inner_html=rows></dl> }.into_any()
        }
    };
    view! {
        <section>
            <h2>{section.title()}</h2>
            {body}
        </section>
    }
}

/// The ring as calls try it (by priority; the array's order only among equal ones, as the
/// editor, the bulk preview and the resource view show it), a priority a line: resources of
/// equal priority share one ("a or b at random", as the editor says), so the numbering is the
/// order calls go in. HTML text, one string (less wasm: the budget is 360 kB, docs/size.md).
fn ring_html(hunt: &Hunt) -> String {
    let ring = priorities::ring_order(&hunt.resources);
    let (between, tail) = match Ties::of_resmode(&hunt.resmode) {
        Ties::Random => (" or ", " at random"),
        Ties::InOrder => (", then ", ""),
    };
    priorities::tiers(&ring)
        .iter()
        .map(|tier| {
            let members = &ring[tier.start..tier.start + tier.len];
            let links: Vec<String> = members
                .iter()
                .map(|resource| {
                    format!(
                        "<a href=\"/resources/{}\"><code>{}</code></a>",
                        format::escaped(&encode_component(&resource.id)),
                        format::escaped(&resource.id)
                    )
                })
                .collect();
            let tail = if members.len() > 1 { tail } else { "" };
            format!(
                "<li>{}{tail}<span class=\"subtle\"> priority {}</span></li>",
                links.join(between),
                tier.priority
            )
        })
        .collect()
}

fn strategy_text(strategy: &Strategy) -> String {
    match strategy {
        Strategy::Simple => "simple".to_owned(),
        Strategy::Timers { seconds } => {
            let seconds: Vec<String> = seconds
                .iter()
                .map(|s| format::seconds(u64::from(*s)))
                .collect();
            format!("timers: {}", seconds.join(", "))
        }
    }
}

fn block_text(hunt: &Hunt) -> String {
    let block = &hunt.huntblock;
    if !block.enabled {
        return "Not blocked".to_owned();
    }
    let expires = if block.expires == 0 {
        "until unblocked".to_owned()
    } else {
        format!("for {}", format::seconds(u64::from(block.expires)))
    };
    let reason = if block.reason.is_empty() {
        String::new()
    } else {
        format!(" ({})", block.reason)
    };
    format!("Blocked {expires}{reason}")
}
