//! Unsaved form changes are not lost by leaving: closing or reloading the tab, the browser's Back
//! and Forward, the header's links, the lookup box and the form's own Cancel all ask first while
//! a form has changes.
//!
//! A form registers its own "has unsaved changes" signal for as long as it is on show; the guard
//! reads it when someone is about to leave, so nothing has to copy it anywhere.

use leptos::ev;
use leptos::prelude::*;

use crate::{dom, fault};

/// The registered form's "has unsaved changes", tagged so a form's cleanup never clears the
/// registration of the form that replaced it.
#[derive(Clone, Copy)]
pub struct Unsaved(
    StoredValue<(u64, Option<Signal<bool>>)>,
    StoredValue<String>,
);

/// Called once by the app: the registry, and the browser's own prompt on close or reload.
pub fn provide_unsaved_guard() {
    let unsaved = Unsaved(StoredValue::new((0, None)), StoredValue::new(String::new()));
    provide_context(unsaved);
    let handle = window_event_listener(ev::beforeunload, move |event| {
        if unsaved.is_dirty() {
            event.prevent_default();
            event.set_return_value("unsaved changes");
        }
    });
    on_cleanup(move || handle.remove());
    guard_history(unsaved);
}

/// Back and Forward: the browser has already moved to the other entry when `popstate` comes, so
/// a declined move is undone by going the other way again. This listener is on the capture
/// phase, which runs before the router's own, and keeps both moves from the router: for it, the
/// page never changed.
fn guard_history(unsaved: Unsaved) {
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    // While undoing a declined move: 1 after going forward again, 2 after finding that was the
    // wrong way (the user had pressed Forward) and going back two instead.
    let undoing = Rc::new(Cell::new(0u8));
    let listener =
        Closure::<dyn Fn(web_sys::PopStateEvent)>::new(move |event: web_sys::PopStateEvent| {
            let history = window().history();
            match undoing.get() {
                0 if unsaved.confirm_leave() => return,
                0 => {
                    undoing.set(1);
                    let _ = history.and_then(|history| history.forward());
                }
                1 if window().location().href().ok() != Some(unsaved.1.get_value()) => {
                    undoing.set(2);
                    let _ = history.and_then(|history| history.go_with_delta(-2));
                }
                _ => undoing.set(0),
            }
            event.stop_immediate_propagation();
        });
    let options = web_sys::AddEventListenerOptions::new();
    options.set_capture(true);
    let _ = window().add_event_listener_with_callback_and_add_event_listener_options(
        "popstate",
        listener.as_ref().unchecked_ref(),
        &options,
    );
    // The app's own life: the guard is there for as long as the page is.
    listener.forget();
}

pub fn use_unsaved() -> Unsaved {
    expect_context::<Unsaved>()
}

impl Unsaved {
    /// Watches `dirty` until the calling component is gone.
    pub fn watch(self, dirty: Signal<bool>) {
        let tag = self.0.with_value(|(tag, _)| tag + 1);
        self.0.set_value((tag, Some(dirty)));
        // Where the form is, for Back and Forward to return to when the user stays.
        self.1
            .set_value(window().location().href().unwrap_or_default());
        on_cleanup(move || {
            self.0.update_value(|(current, watched)| {
                if *current == tag {
                    *watched = None;
                }
            });
        });
    }

    /// After a fault the draft is kept for the reload (`fault.rs`), and the form's signals are
    /// not to be trusted: leaving asks nothing.
    fn is_dirty(self) -> bool {
        !fault::has_faulted()
            && self
                .0
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
