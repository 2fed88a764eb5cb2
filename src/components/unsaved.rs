//! Unsaved form changes are not lost by leaving: closing or reloading the tab, the header's links,
//! the lookup box and the form's own Cancel all ask first while a form has changes.
//!
//! A form registers its own "has unsaved changes" signal for as long as it is on show; the guard
//! reads it when someone is about to leave, so nothing has to copy it anywhere.

use leptos::ev;
use leptos::prelude::*;

use crate::dom;

/// The registered form's "has unsaved changes", tagged so a form's cleanup never clears the
/// registration of the form that replaced it.
#[derive(Clone, Copy)]
pub struct Unsaved(StoredValue<(u64, Option<Signal<bool>>)>);

/// Called once by the app: the registry, and the browser's own prompt on close or reload.
pub fn provide_unsaved_guard() {
    let unsaved = Unsaved(StoredValue::new((0, None)));
    provide_context(unsaved);
    let handle = window_event_listener(ev::beforeunload, move |event| {
        if unsaved.is_dirty() {
            event.prevent_default();
            event.set_return_value("unsaved changes");
        }
    });
    on_cleanup(move || handle.remove());
}

pub fn use_unsaved() -> Unsaved {
    expect_context::<Unsaved>()
}

impl Unsaved {
    /// Watches `dirty` until the calling component is gone.
    pub fn watch(self, dirty: Signal<bool>) {
        let tag = self.0.with_value(|(tag, _)| tag + 1);
        self.0.set_value((tag, Some(dirty)));
        on_cleanup(move || {
            self.0.update_value(|(current, watched)| {
                if *current == tag {
                    *watched = None;
                }
            });
        });
    }

    fn is_dirty(self) -> bool {
        self.0
            .with_value(|(_, dirty)| dirty.is_some_and(|dirty| dirty.get_untracked()))
    }

    /// Whether the user may leave the form: nothing unsaved, or they said so.
    pub fn confirm_leave(self) -> bool {
        if !self.is_dirty() {
            return true;
        }
        let leave = dom::confirm("You have unsaved changes. Leave without saving?");
        if leave {
            self.0.update_value(|(_, watched)| *watched = None);
        }
        leave
    }

    /// For a click handler around links: stops the router from following one the user declines.
    pub fn guard_link_click(self, event: &ev::MouseEvent) {
        let on_link = dom::target_element(event)
            .and_then(|element| element.closest("a[href]").ok().flatten())
            .is_some();
        if on_link && !self.confirm_leave() {
            event.prevent_default();
        }
    }
}
