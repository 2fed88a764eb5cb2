//! The routing check of a bulk preview: hunts the change would block, leave without resources
//! or delete, that other hunts overflow into. Each such hunt's row says how many send calls to
//! it, and the summary counts them: the admin sees the dead ends before Apply.

use std::collections::HashMap;

use hunts_model::Hunt;
use hunts_model::bulk::Outcome;
use hunts_model::routing::Graph;

use super::bulk_run::Previewed;
use crate::routing;

/// A hunt no call can be answered in.
fn closed(hunt: &Hunt) -> bool {
    hunt.huntblock.enabled || hunt.resources.is_empty()
}

/// For each previewed hunt the change closes (blocks, empties or deletes) while it was open, the
/// codes of the hunts whose transfers reach it. Empty where the senders cannot be read: the
/// preview then simply says nothing of them.
pub async fn overflowing_into(rows: &[Previewed]) -> HashMap<String, Vec<String>> {
    let closing: Vec<Hunt> = rows
        .iter()
        .filter_map(|row| match (&row.read, &row.outcome) {
            (Ok((before, _)), Some(Outcome::Changes { after, .. }))
                if closed(after) && !closed(before) =>
            {
                Some(before.clone())
            }
            (Ok((before, _)), Some(Outcome::Deletes)) => Some(before.clone()),
            _ => None,
        })
        .collect();
    if closing.is_empty() {
        return HashMap::new();
    }
    let Ok(senders) = routing::senders_to(&closing).await else {
        return HashMap::new();
    };
    closing
        .into_iter()
        .filter_map(|target| {
            // Resolved by the model's rule, among the target and its senders.
            let mut hunts = vec![target.clone()];
            hunts.extend(
                senders
                    .iter()
                    .filter(|sender| sender.id != target.id)
                    .cloned(),
            );
            let graph = Graph::new(hunts);
            let mut codes: Vec<String> = graph
                .transfers_into(0)
                .iter()
                .map(|transfer| graph.hunts[transfer.from].code.clone())
                .collect();
            codes.dedup();
            (!codes.is_empty()).then_some((target.id, codes))
        })
        .collect()
}
