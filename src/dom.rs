//! The few things the app asks of the page outside Leptos's views: moving keyboard focus and
//! asking a yes/no question.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

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
