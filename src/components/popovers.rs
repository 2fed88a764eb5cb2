//! The toolbar's popovers (`<details class="popover">`: Columns, Views, Export) close as menus
//! do: Escape closes the open one and puts focus back on its button; a click outside it closes
//! it, so opening another closes the first (they never stack).

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, Node};

const OPEN: &str = "details.popover[open]";

/// Closes the open popover, if any, and puts focus back on its button: what Escape does
/// first (see `shortcuts`). Whether there was one.
pub fn close_the_open_one() -> bool {
    let Some(open) = open_popovers().into_iter().next() else {
        return false;
    };
    close(&open);
    if let Some(summary) = open
        .query_selector("summary")
        .ok()
        .flatten()
        .and_then(|summary| summary.dyn_into::<HtmlElement>().ok())
    {
        let _ = summary.focus();
    }
    true
}

/// Called once by the app's frame: a click outside an open popover closes it.
pub fn close_popovers_on_outside_clicks() {
    let outside = window_event_listener(ev::click, |event| {
        // A click on something the click itself took away (a saved view's Delete) is not
        // outside.
        let Some(target) = event
            .target()
            .and_then(|target| target.dyn_into::<Node>().ok())
            .filter(Node::is_connected)
        else {
            return;
        };
        let target = Some(target);
        for open in open_popovers() {
            if !open.contains(target.as_ref()) {
                close(&open);
            }
        }
    });
    on_cleanup(move || outside.remove());
}

fn open_popovers() -> Vec<Element> {
    let Ok(open) = document().query_selector_all(OPEN) else {
        return Vec::new();
    };
    (0..open.length())
        .filter_map(|index| open.item(index)?.dyn_into::<Element>().ok())
        .collect()
}

fn close(popover: &Element) {
    let _ = popover.remove_attribute("open");
}
