//! What the editor can do to the ring, each change announced for screen readers: steps, drops,
//! priority edits, adds, removes and restores. Shared by the rows, the keyboard and the pointer.

use hunts_model::Resource;
use hunts_model::priorities::{self, Moved, Step, Target};
use leptos::prelude::*;

use crate::dom;

/// The editor's state and its changes; `Copy`, so every row and handler holds it whole.
#[derive(Clone, Copy)]
pub struct RingEdits {
    /// The resources as the form holds them (any order).
    pub resources: Signal<Vec<Resource>>,
    /// The same in ring order.
    pub ring: Memo<Vec<Resource>>,
    /// Whatever the last change wants read out ("Resource a moved to position 2 of 3").
    pub announcement: RwSignal<String>,
    /// A note that stays on screen about the last move (the respace), if any.
    pub status: RwSignal<Option<String>>,
    on_change: Callback<Vec<Resource>>,
}

/// The id of a resource's drag handle, which keeps focus across moves.
pub fn handle_id(id: &str) -> String {
    format!(
        "handle-{}",
        id.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    )
}

/// "position 2 of 3 at priority 95, rung together with agent-b": where resource `id` stands
/// in the ring and whether it shares its tier, for announcements (a step may join a tier or
/// leave it with the position unchanged: the words say which).
pub fn position_text(ring: &[Resource], id: &str) -> String {
    let Some(place) = priorities::place_of(ring, id) else {
        return String::new();
    };
    let mut text = format!(
        "position {} of {} at priority {}",
        place.position, place.of, place.priority
    );
    if !place.together_with.is_empty() {
        let names: Vec<String> = place
            .together_with
            .iter()
            .map(|id| priorities::short_id(id))
            .collect();
        text += &format!(", rung together with {}", names.join(" and "));
    }
    text
}

impl RingEdits {
    pub fn new(resources: Signal<Vec<Resource>>, on_change: Callback<Vec<Resource>>) -> RingEdits {
        RingEdits {
            resources,
            ring: Memo::new(move |_| priorities::ring_order(&resources.get())),
            announcement: RwSignal::new(String::new()),
            status: RwSignal::new(None),
            on_change,
        }
    }

    pub fn announce(self, text: impl Into<String>) {
        self.announcement.set(text.into());
    }

    fn apply(self, moved: Moved) {
        self.status.set(moved.respaced.then(|| {
            "There was no whole number between those priorities, so every tier was respaced by \
             10, keeping the order and the ties."
                .to_owned()
        }));
        self.on_change.run(moved.resources);
    }

    /// Whether `id` can take a step `way` (not at that end already).
    pub fn can_step(self, id: &str, way: Step) -> bool {
        self.ring
            .with(|ring| priorities::step(ring, id, way).is_some())
    }

    /// One step up or down (keyboard and move buttons); focus stays on the moved handle.
    pub fn step(self, id: &str, way: Step) {
        let Some(moved) = priorities::step(&self.ring.get_untracked(), id, way) else {
            return;
        };
        let text = format!(
            "Resource {} moved to {}",
            priorities::short_id(id),
            position_text(&moved.resources, id)
        );
        self.apply(moved);
        self.announce(text);
        dom::focus_by_id(handle_id(id));
    }

    /// The end of a pointer drag: onto `target`, or nowhere (cancelled).
    pub fn drop_at(self, id: &str, target: Option<Target>) {
        let moved =
            target.and_then(|target| priorities::move_to(&self.ring.get_untracked(), id, target));
        let Some(moved) = moved else {
            return self.announce("Move cancelled");
        };
        let text = format!(
            "Resource {} dropped, {}",
            priorities::short_id(id),
            position_text(&moved.resources, id)
        );
        self.apply(moved);
        self.announce(text);
    }

    pub fn set_priority(self, id: &str, priority: i32) {
        let mut updated = self.resources.get_untracked();
        if let Some(resource) = updated.iter_mut().find(|resource| resource.id == id) {
            resource.priority = priority;
        }
        self.on_change.run(priorities::ring_order(&updated));
    }

    pub fn remove(self, id: &str) {
        let kept = self
            .resources
            .get_untracked()
            .into_iter()
            .filter(|resource| resource.id != id)
            .collect();
        self.on_change.run(kept);
        self.announce(format!("Resource {} removed", priorities::short_id(id)));
    }

    /// Adds a resource, refusing an id already in the ring.
    pub fn add(self, resource: Resource) -> Result<(), String> {
        let id = resource.id.clone();
        if self
            .ring
            .with_untracked(|ring| ring.iter().any(|r| r.id == id))
        {
            return Err(format!("Resource {id} is already in this hunt"));
        }
        let mut updated = self.resources.get_untracked();
        updated.push(resource);
        let updated = priorities::ring_order(&updated);
        self.announce(format!(
            "Resource {} added at {}",
            priorities::short_id(&id),
            position_text(&updated, &id)
        ));
        self.on_change.run(updated);
        Ok(())
    }

    /// Puts `resources` back as they were (Escape after a lift, Undo), without a move's note.
    pub fn restore(self, resources: Vec<Resource>) {
        self.status.set(None);
        self.on_change.run(resources);
    }
}
