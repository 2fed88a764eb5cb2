//! What the routing rules find about one hunt, in words: at the top of its page, and by the
//! form's Save button before a change is sent (a warning: Save still works). The hunt is the
//! first of the graph read around it (`routing::around`).

use hunts_model::Hunt;
use hunts_model::routing::Graph;
use leptos::prelude::*;

use crate::format::escaped;
use crate::newest::newest_answer;
use crate::{dom, routing};

/// A routing graph as read: not yet, why not, or the graph.
pub type Routing = RwSignal<Option<Result<Graph, String>>>;

/// The graph around `hunt`, read again whenever `hunt` changes, after `settle` (so typing
/// settles first: one check per pause; a read overtaken while it waits is not sent).
pub fn use_routing(hunt: impl Fn() -> Hunt + 'static, settle: std::time::Duration) -> Routing {
    newest_answer(hunt, move |hunt, turn| async move {
        if !settle.is_zero() {
            dom::sleep(settle).await;
        }
        if !turn.is_newest() {
            // Dropped unread: a newer read is on its way.
            return Err(String::new());
        }
        routing::around(hunt)
            .await
            .map_err(|error| error.to_string())
    })
}

/// The faults found that concern the hunt, as a list (nothing while none, or unread).
/// `lead` and `tail`: the words around it, if any.
#[component]
pub fn RoutingFindings(
    graph: Routing,
    testid: &'static str,
    #[prop(optional)] lead: Option<&'static str>,
    #[prop(optional)] tail: Option<&'static str>,
) -> impl IntoView {
    move || {
        graph.get().and_then(Result::ok).and_then(|graph| {
            let items: String = graph
                .findings_for(0)
                .iter()
                .filter(|finding| finding.is_fault())
                .map(|finding| format!("<li>{}</li>", escaped(&graph.describe(finding))))
                .collect();
            (!items.is_empty()).then(|| {
                view! {
                    <div class="routing-findings" role="status" data-testid=testid>
                        {lead.map(|lead| view! { <p>{lead}</p> })}
                        <ul inner_html=items></ul>
                        {tail.map(|tail| view! { <p class="subtle">{tail}</p> })}
                    </div>
                }
            })
        })
    }
}
