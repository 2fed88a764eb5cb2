//! Keyboard shortcuts. `?` lists them. A control that has one says so with `aria-keyshortcuts`
//! (New hunt "n", Edit "e", Save "Control+S", Cancel "Escape"), so screen readers announce it,
//! and one listener presses whichever of them is on show. The list's rows take `j` and `k` (the
//! cursor is the focus on a row's code link, so Enter opens it as any focused link does) and `x`
//! (ticks the row's checkbox). `/` (the lookup) lives with the lookup box.
//!
//! Single keys never fire while typing in a field; Control+S and Escape do, for the form the
//! field is in. Nothing fires under the sign-in dialog (the page is inert) or the list itself.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

use crate::components::popovers;
use crate::dom;

/// Every shortcut, as `?` lists them.
const SHORTCUTS: [(&str, &str); 11] = [
    ("?", "Show these shortcuts"),
    ("/", "Go to a hunt by code, phone number or id"),
    ("n", "New hunt"),
    ("j / k", "Next / previous row of the list"),
    ("Enter", "Open the row"),
    ("x", "Select the row, or clear it"),
    (
        "Shift+Enter",
        "On a column's header: sort by it as well, as the next key",
    ),
    (
        "Space, arrows",
        "On a resource's handle: lift it, move it up or down the ring, drop it (Escape puts it back)",
    ),
    ("e", "Edit the hunt on show"),
    ("Ctrl+S", "Save the form"),
    ("Escape", "Cancel the form (asks first if it has changes)"),
];

#[component]
pub fn Shortcuts() -> impl IntoView {
    let list: NodeRef<html::Dialog> = NodeRef::new();
    let handle = window_event_listener(ev::keydown, move |event| {
        let open = list.get_untracked().is_some_and(|dialog| dialog.open());
        if !open && !event.default_prevented() && !event.is_composing() {
            on_key(&event, list);
        }
    });
    on_cleanup(move || handle.remove());
    let close = move |_| {
        if let Some(dialog) = list.get() {
            dialog.close();
        }
    };
    // Static text: one string, less wasm than a `view!` per line.
    let listed: String = SHORTCUTS
        .iter()
        .map(|(keys, what)| format!("<dt><kbd>{keys}</kbd></dt><dd>{what}</dd>"))
        .collect();
    view! {
        <dialog node_ref=list class="dialog shortcuts" aria-labelledby="shortcuts-title">
            <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
            <dl inner_html=listed></dl>
            <button type="button" class="primary" on:click=close>"Close"</button>
        </dialog>
    }
}

fn on_key(event: &KeyboardEvent, list: NodeRef<html::Dialog>) {
    let Some(key) = key_name(event) else {
        return;
    };
    let target = dom::target_element(event);
    let typing = target.as_ref().is_some_and(dom::is_field);
    let handled = match key.as_str() {
        _ if typing && !works_in_fields(&key) => false,
        // An open popover first: Escape closes it, and does nothing else.
        "Escape" if popovers::close_the_open_one() => true,
        "?" => list
            .get_untracked()
            .is_some_and(|dialog| dialog.show_modal().is_ok()),
        "j" => move_row_cursor(1),
        "k" => move_row_cursor(-1),
        "x" => tick_row(),
        _ => press(&key, target.as_ref().filter(|_| typing)),
    };
    if handled {
        event.prevent_default();
    }
}

/// The key as `aria-keyshortcuts` writes it: "n", "?", "Escape", "Control+S" (Cmd is Control).
fn key_name(event: &KeyboardEvent) -> Option<String> {
    let key = event.key();
    if event.alt_key() {
        return None;
    }
    if event.ctrl_key() || event.meta_key() {
        return (key.chars().count() == 1).then(|| format!("Control+{}", key.to_ascii_uppercase()));
    }
    Some(key)
}

fn works_in_fields(key: &str) -> bool {
    key == "Escape" || key.starts_with("Control+")
}

/// Clicks the control on show whose `aria-keyshortcuts` has `key`; from a field, only one in
/// the field's own form.
fn press(key: &str, field: Option<&Element>) -> bool {
    let Ok(candidates) = document().query_selector_all("[aria-keyshortcuts]") else {
        return false;
    };
    let form_of = |element: &Element| element.closest("form").ok().flatten();
    let control = (0..candidates.length())
        .filter_map(|index| candidates.item(index)?.dyn_into::<HtmlElement>().ok())
        .find(|control| {
            let has_key = control
                .get_attribute("aria-keyshortcuts")
                .is_some_and(|keys| keys.split(' ').any(|one| one == key));
            let reachable = control.closest("[inert]").ok().flatten().is_none()
                && !control.has_attribute("disabled");
            let same_form = field.is_none_or(|field| form_of(field) == form_of(control));
            has_key && reachable && same_form
        });
    control.inspect(HtmlElement::click).is_some()
}

/// Moves the focus to the code link of the next (`1`) or previous (`-1`) row of the list; from
/// outside the rows, to the first.
fn move_row_cursor(step: i32) -> bool {
    let Ok(links) = document().query_selector_all("table.hunts tbody td.code a") else {
        return false;
    };
    let count = links.length() as i32;
    if count == 0 {
        return false;
    }
    let focused_row = focused_row();
    let current = (0..count).find(|index| {
        let row = links
            .item(*index as u32)
            .and_then(|link| link.dyn_into::<Element>().ok())
            .and_then(|link| link.closest("tr").ok().flatten());
        row.is_some() && row == focused_row
    });
    let next = current.map_or(0, |current| (current + step).clamp(0, count - 1));
    links
        .item(next as u32)
        .and_then(|link| link.dyn_into::<HtmlElement>().ok())
        .is_some_and(|link| link.focus().is_ok())
}

/// Ticks (or clears) the checkbox of the row the cursor is on.
fn tick_row() -> bool {
    focused_row()
        .and_then(|row| row.query_selector("input[data-select]").ok().flatten())
        .and_then(|input| input.dyn_into::<HtmlElement>().ok())
        .inspect(HtmlElement::click)
        .is_some()
}

fn focused_row() -> Option<Element> {
    document()
        .active_element()?
        .closest("table.hunts tbody tr")
        .ok()
        .flatten()
}
