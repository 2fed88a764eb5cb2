//! The few things the app asks of the page outside Leptos's views: moving keyboard focus,
//! asking a yes/no question, the browser's storage.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Focuses the element with this id once the next frame is drawn, so an element a change is
/// about to draw (or move) is there to take it.
pub fn focus_by_id(id: String) {
    request_animation_frame(move || {
        if let Some(element) = document()
            .get_element_by_id(&id)
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
}

/// Runs `then` once the next frame is on screen, at the start of the one after it: work that
/// can wait until what a change drew has been seen.
pub fn after_next_paint(then: impl FnOnce() + 'static) {
    request_animation_frame(move || request_animation_frame(then));
}

/// Runs `then` in a task of its own, once this one is over and every effect it woke has run.
///
/// For what takes down the component that is running: an action's future that navigates away
/// (or closes the dialog it belongs to) disposes the action's owner, and Leptos then writes the
/// action's value and pending count (reactive_graph 0.2 `ArcAction::dispatch_local`, after the
/// future), which wakes effects of the disposed component; a woken render effect still runs once
/// and reads its disposed signals: a panic ("you tried to access a reactive value which was
/// defined at src/pages/edit.rs…, but it has already been disposed"). Effects are microtasks;
/// a timer's task comes after all of them, so the owner is gone only once nothing of it is due.
pub fn after_this_task(then: impl FnOnce() + 'static) {
    set_timeout(then, std::time::Duration::ZERO);
}

/// Ready after `duration` (a browser timer).
pub fn sleep(duration: std::time::Duration) -> impl Future<Output = ()> + Unpin {
    use futures::FutureExt;
    let (done, wait) = futures::channel::oneshot::channel();
    set_timeout(
        move || {
            let _ = done.send(());
        },
        duration,
    );
    wait.map(|_| ())
}

/// The browser's own yes/no question; `false` where the browser will not ask.
pub fn confirm(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}

/// The element an event happened on, for events that always start on one (pointer, key, click).
pub fn target_element(event: &web_sys::Event) -> Option<web_sys::Element> {
    event.target()?.dyn_into::<web_sys::Element>().ok()
}

/// Whether keys pressed on `element` are typing: a text field, a list to choose from, or
/// editable content. Single-key shortcuts leave those alone.
pub fn is_field(element: &web_sys::Element) -> bool {
    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || element
            .dyn_ref::<web_sys::HtmlElement>()
            .is_some_and(web_sys::HtmlElement::is_content_editable)
}

/// The browser's storage for this origin; `None` where it is switched off.
pub fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Calls `then` each time the browser shows this page again from its back-forward cache (the
/// page as it was when left, which may be from before a sign-out in another page).
pub fn on_page_restored(then: impl Fn() + 'static) {
    let listener = Closure::<dyn Fn(web_sys::PageTransitionEvent)>::new(
        move |event: web_sys::PageTransitionEvent| {
            if event.persisted() {
                then();
            }
        },
    );
    let _ = web_sys::window()
        .expect("a window")
        .add_event_listener_with_callback("pageshow", listener.as_ref().unchecked_ref());
    // Listens as long as the app runs.
    listener.forget();
}

/// Loads the app again from the server.
pub fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// The value of the control named `name` in the form `event` was sent from (empty if none).
pub fn form_value(event: &web_sys::Event, name: &str) -> String {
    let Some(form) = event.target() else {
        return String::new();
    };
    js_sys::Reflect::get(&form, &name.into())
        .and_then(|control| js_sys::Reflect::get(&control, &"value".into()))
        .ok()
        .and_then(|value| value.as_string())
        .unwrap_or_default()
        .trim()
        .to_owned()
}
