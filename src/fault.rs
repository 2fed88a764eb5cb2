//! A fault (a Rust panic: a bug of ours) is never silent. The release build aborts on a panic,
//! so the call that hit it is torn down halfway and the app's state can no longer be trusted:
//! the panic hook logs it to the console as before, and puts one line on top of the page saying
//! so, with a link that loads the app again. A form's unsaved draft is kept across that reload.
//!
//! Nothing here goes through Leptos: after a fault its state is what is in doubt. The line is
//! made with the DOM alone, and the draft waits in the tab's session storage.
//!
//! A session that ends on the server takes the page away (its hunts are not to be read by
//! whoever comes to the screen next); the draft is kept the same way for the user who was
//! signed in, and taken by the form when they sign in again. Sign out forgets it.

use std::cell::Cell;

use serde_json::{Map, Value, json};
use wasm_bindgen::prelude::wasm_bindgen;

/// The draft of the form on show while it has unsaved changes: `{"at": <path>, "draft": {...}}`.
const DRAFT_KEY: &str = "hunts-admin.draft";
/// The draft of the form that was on show when the app hit a fault, for the reload to take.
const KEPT_KEY: &str = "hunts-admin.draft-after-fault";

thread_local! {
    static FAULTED: Cell<bool> = const { Cell::new(false) };
}

/// Called once, before the app mounts.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        FAULTED.with(|faulted| faulted.set(true));
        let kept = keep_draft_for_reload();
        show_line(kept);
    }));
}

/// Whether the app has hit a fault since it was loaded (leaving then asks nothing: the draft
/// is kept).
pub fn has_faulted() -> bool {
    FAULTED.with(Cell::get)
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn path_here() -> String {
    web_sys::window()
        .and_then(|window| window.location().pathname().ok())
        .unwrap_or_default()
}

/// Remembers the draft (the form's values, in the flat form) of the form on show with the hunt
/// it started from (`base`, so that only what the user changed is sent once it is taken back),
/// or forgets it (`None`: nothing unsaved, or the form is gone).
pub fn remember_draft(draft: Option<(&Map<String, Value>, &Value)>) {
    let Some(storage) = session_storage() else {
        return;
    };
    let _ = match draft {
        Some((draft, base)) => {
            let entry = json!({ "at": path_here(), "draft": draft, "base": base });
            storage.set_item(DRAFT_KEY, &entry.to_string())
        }
        None => storage.remove_item(DRAFT_KEY),
    };
}

/// A draft taken back: the form's values, and the hunt they were typed over.
pub struct KeptDraft {
    pub draft: Map<String, Value>,
    pub base: Value,
}

/// The draft kept when the app hit a fault on this page, or when the session ended while it was
/// typed, taken once (a later load starts from the hunt as stored).
pub fn take_kept_draft() -> Option<KeptDraft> {
    let storage = session_storage()?;
    let entry = storage.get_item(KEPT_KEY).ok().flatten()?;
    let _ = storage.remove_item(KEPT_KEY);
    match serde_json::from_str::<Value>(&entry).ok()? {
        Value::Object(mut entry) if entry.get("at") == Some(&Value::from(path_here())) => {
            match (entry.remove("draft")?, entry.remove("base")?) {
                (Value::Object(draft), base @ Value::Object(_)) => Some(KeptDraft { draft, base }),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Moves the draft on show to where the reload looks; whether there was one.
fn keep_draft_for_reload() -> bool {
    let Some(storage) = session_storage() else {
        return false;
    };
    match storage.get_item(DRAFT_KEY).ok().flatten() {
        Some(entry) => storage.set_item(KEPT_KEY, &entry).is_ok(),
        None => false,
    }
}

/// The session of `name` ended on the server: the draft on show waits for them to sign in
/// again (see `keep_only_for`).
pub fn keep_draft_for(name: &str) {
    let Some(storage) = session_storage() else {
        return;
    };
    if let Some(Value::Object(mut entry)) = storage
        .get_item(DRAFT_KEY)
        .ok()
        .flatten()
        .and_then(|entry| serde_json::from_str::<Value>(&entry).ok())
    {
        entry.insert("by".to_owned(), Value::from(name));
        let _ = storage.set_item(KEPT_KEY, &Value::Object(entry).to_string());
    }
}

/// `name` has signed in: a draft kept for anyone else is forgotten.
pub fn keep_only_for(name: &str) {
    let Some(storage) = session_storage() else {
        return;
    };
    let by = storage
        .get_item(KEPT_KEY)
        .ok()
        .flatten()
        .and_then(|entry| serde_json::from_str::<Value>(&entry).ok())
        .map(|entry| entry.get("by").cloned());
    if let Some(by) = by
        && by != Some(Value::from(name))
    {
        let _ = storage.remove_item(KEPT_KEY);
    }
}

/// Sign out: no draft is kept for anyone.
pub fn forget_drafts() {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(DRAFT_KEY);
        let _ = storage.remove_item(KEPT_KEY);
    }
}

/// "The app hit a fault … Reload", once, on top of the page. The link is a real one (marked
/// external, so the app's router leaves it to the browser): it loads the app again.
fn show_line(draft_kept: bool) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if document.get_element_by_id("fault").is_some() {
        return;
    }
    let (Ok(line), Ok(reload), Some(body)) = (
        document.create_element("p"),
        document.create_element("a"),
        document.body(),
    ) else {
        return;
    };
    let href = web_sys::window()
        .and_then(|window| window.location().href().ok())
        .unwrap_or_else(|| "/".to_owned());
    let _ = reload.set_attribute("href", &href);
    let _ = reload.set_attribute("rel", "external");
    reload.set_text_content(Some("Reload the app"));
    let _ = line.set_attribute("id", "fault");
    let _ = line.set_attribute("class", "fault");
    let _ = line.set_attribute("role", "alert");
    line.set_text_content(Some(if draft_kept {
        "The app hit a fault and may not work as it should; what you typed in the form is kept. "
    } else {
        "The app hit a fault and may not work as it should. "
    }));
    let _ = line.append_with_node_1(&reload);
    let _ = body.prepend_with_node_1(&line);
}

/// A fault on purpose, for the browser test of the line above (called from the test's script as
/// the module's export `drill_fault`): the app has no other way to panic that is not a bug.
#[wasm_bindgen]
pub fn drill_fault() {
    panic!("a fault drill");
}
