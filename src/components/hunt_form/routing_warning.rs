//! The routing check before Save: where the hunt as entered would send calls (and what sends
//! calls to it), checked by the model's rules against the hunts around it, so that a loop or a
//! dead end the change would make, or leave in place, is said by the Save button before anything
//! is sent. A warning, not a refusal: Save still works.

use hunts_model::Hunt;
use leptos::prelude::*;
use serde_json::Value;

use crate::components::routing_findings::{RoutingFindings, use_routing};

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
    let graph = use_routing(
        move || {
            // Read, not only tracked: a memo no one has read has no sources of its own yet,
            // so a change to the form would never reach it (an effect's first run, unlike a
            // resource's, computes nothing it tracks).
            key.with(|_| ());
            let mut hunt: Hunt = entered
                .with_untracked(|entered| serde_json::from_value(entered.clone()))
                .unwrap_or_default();
            hunt.id.clone_from(&id);
            hunt
        },
        std::time::Duration::from_millis(300),
    );
    view! {
        <RoutingFindings graph=graph testid="routing-warning"
            lead="Before you save: where calls go" tail="You can still save: this is a warning."/>
    }
}
