//! Moving a resource with the keyboard, on its drag handle: Space or Enter lifts and drops, the
//! arrow keys step, Escape puts it back where it was lifted from.

use hunts_model::Resource;
use hunts_model::priorities::{self, Step};
use leptos::ev;
use leptos::prelude::*;

use super::edits::{RingEdits, handle_id, position_text};
use crate::dom;

/// What the keyboard hook gives the editor: which resource is lifted, and the handles' key handler.
#[derive(Clone, Copy)]
pub struct UseRingKeyboardReturn {
    pub lifted: Memo<Option<String>>,
    pub on_key: Callback<(String, ev::KeyboardEvent)>,
}

pub fn use_ring_keyboard(edits: RingEdits) -> UseRingKeyboardReturn {
    // The lifted resource, with the resources as they were when it was lifted (for Escape).
    let lift = RwSignal::new(None::<(String, Vec<Resource>)>);
    let lifted = Memo::new(move |_| lift.with(|lift| lift.as_ref().map(|(id, _)| id.clone())));

    let on_key = Callback::new(move |(id, event): (String, ev::KeyboardEvent)| {
        let name = priorities::short_id(&id);
        let position = edits.ring.with_untracked(|ring| position_text(ring, &id));
        let is_lifted = lifted.with_untracked(|lifted| lifted.as_deref() == Some(id.as_str()));
        let key = event.key();
        match key.as_str() {
            " " | "Enter" if !is_lifted => {
                event.prevent_default();
                lift.set(Some((id.clone(), edits.resources.get_untracked())));
                edits.announce(format!(
                    "Resource {name} lifted, {position}. Arrow keys move it, Space drops it, Escape cancels."
                ));
            }
            " " | "Enter" => {
                event.prevent_default();
                lift.set(None);
                edits.announce(format!("Resource {name} dropped, {position}"));
            }
            "ArrowUp" | "ArrowDown" if is_lifted => {
                event.prevent_default();
                let way = if key == "ArrowUp" {
                    Step::Up
                } else {
                    Step::Down
                };
                edits.step(&id, way);
            }
            "Escape" if is_lifted => {
                event.prevent_default();
                let Some((_, before)) = lift.get_untracked() else {
                    return;
                };
                let back = position_text(&priorities::ring_order(&before), &id);
                lift.set(None);
                edits.restore(before);
                edits.announce(format!("Move cancelled. Resource {name} is back at {back}"));
                dom::focus_by_id(handle_id(&id));
            }
            _ => {}
        }
    });
    UseRingKeyboardReturn { lifted, on_key }
}
