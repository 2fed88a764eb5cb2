//! The routing check before Save: where the hunt as entered would send calls (and what sends
//! calls to it), checked by the model's rules against the hunts around it, so that a loop or a
//! dead end the change would make, or leave in place, is said by the Save button before anything
//! is sent. A warning, not a refusal: Save still works.

use hunts_model::Hunt;
use leptos::prelude::*;
use serde_json::Value;

use crate::{dom, routing};

/// The fields a routing finding depends on, as entered: the check runs again only when they
/// change.
fn routing_key(entered: &Value) -> Value {
    let field = |pointer: &str| entered.pointer(pointer).cloned().unwrap_or(Value::Null);
    Value::Array(vec![
        field("/code"),
        field("/phonenumber"),
        field("/timeout"),
        field("/timeouttrannumber"),
        field("/maxattempts"),
        field("/maxattemptstrannumber"),
        field("/huntblock/enabled"),
        Value::from(
            entered
                .get("resources")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty),
        ),
    ])
}

#[component]
pub fn RoutingWarning(entered: Memo<Value>, id: String) -> impl IntoView {
    let key = Memo::new(move |_| entered.with(routing_key));
    let check = LocalResource::new(move || {
        key.track();
        let mut hunt: Hunt = entered
            .with_untracked(|entered| serde_json::from_value(entered.clone()))
            .unwrap_or_default();
        hunt.id.clone_from(&id);
        async move {
            // Typing settles first: one check per pause, not per key.
            dom::sleep(std::time::Duration::from_millis(300)).await;
            let graph = routing::around(hunt).await.ok()?;
            let faults: Vec<String> = graph
                .findings_for(0)
                .iter()
                .filter(|finding| finding.is_fault())
                .map(|finding| graph.describe(finding))
                .collect();
            Some(faults)
        }
    });
    move || {
        check.get().flatten().filter(|faults| !faults.is_empty()).map(|faults| {
            view! {
                <div class="routing-warning" role="status" data-testid="routing-warning">
                    <p>"Before you save: where calls go"</p>
                    <ul>{faults.into_iter().map(|fault| view! { <li>{fault}</li> }).collect_view()}</ul>
                    <p class="subtle">"You can still save: this is a warning."</p>
                </div>
            }
        })
    }
}
