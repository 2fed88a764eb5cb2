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
    let Some(open) = document().query_selector(OPEN).ok().flatten() else {
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
        let Ok(open) = document().query_selector_all(OPEN) else {
            return;
        };
        for index in 0..open.length() {
            if let Some(popover) = open
                .item(index)
                .and_then(|node| node.dyn_into::<Element>().ok())
                && !popover.contains(Some(&target))
            {
                close(&popover);
            }
        }
    });
    on_cleanup(move || outside.remove());
}

fn close(popover: &Element) {
    let _ = popover.remove_attribute("open");
}
