//! Unsaved form changes are not lost by leaving: closing or reloading the tab, the header's links
//! and the lookup box all ask first while a form has changes.

use leptos::ev;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Unsaved(RwSignal<bool>);

/// Called once by the app: one flag, and the browser's own prompt on close or reload.
pub fn provide_unsaved_guard() {
    let dirty = RwSignal::new(false);
    provide_context(Unsaved(dirty));
    let handle = window_event_listener(ev::beforeunload, move |event| {
        if dirty.get_untracked() {
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
    pub fn set(self, dirty: bool) {
        self.0.set(dirty);
    }

    /// Whether the user may leave the page: nothing unsaved, or they said so.
    pub fn confirm_leave(self) -> bool {
        if !self.0.get_untracked() {
            return true;
        }
        let leave = window()
            .confirm_with_message("You have unsaved changes. Leave without saving?")
            .unwrap_or(false);
        if leave {
            self.0.set(false);
        }
        leave
    }

    /// For a click handler around links: stops the router from following one the user declines.
    pub fn guard_link_click(self, event: &ev::MouseEvent) {
        let on_link = event
            .target()
            .and_then(|target| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(target).ok())
            .and_then(|element| element.closest("a[href]").ok().flatten())
            .is_some();
        if on_link && !self.confirm_leave() {
            event.prevent_default();
        }
    }
}
