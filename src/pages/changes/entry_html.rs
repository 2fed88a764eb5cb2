//! The entries of Recent changes and Recently deleted as HTML text, set as the list's
//! `innerHTML`. These lists are read-only text and links with one kind of button, and one
//! string is far less wasm than a `view!` per entry (the budget is 360 kB, docs/size.md); the
//! router takes the links' clicks, and the page one click handler for the buttons.

use hunts_model::encode_component;
use hunts_model::history::without_server_fields;
use hunts_model::import::changed_labels;
use serde_json::Value;

use crate::format::{self, escaped};

/// What a revision did, in a word, and the fields a change wrote (" (Weight, Blocked)").
fn did(revision: &Value) -> (&'static str, String) {
    match revision["action"].as_str() {
        Some("create") => ("created", String::new()),
        Some("delete") => ("deleted", String::new()),
        _ => match changed_labels(&without_server_fields(revision["patch"].clone())) {
            labels if labels.is_empty() => ("changed", String::new()),
            labels => ("changed", format!(" ({labels})")),
        },
    }
}

fn text(revision: &Value, name: &str) -> String {
    escaped(revision[name].as_str().unwrap_or_default())
}

/// A hunt as an entry names it: its code, a link while it exists.
fn hunt_link(revision: &Value) -> String {
    match revision["action"].as_str() {
        Some("delete") => text(revision, "code"),
        _ => format::hunt_link_html(
            revision["id"].as_str().unwrap_or_default(),
            revision["code"].as_str().unwrap_or_default(),
        ),
    }
}

/// "ann · 5 minutes ago · in a bulk change": who, when (exact on hover) and how.
pub fn who_when_how(revision: &Value) -> String {
    let at = revision["at"].as_str().unwrap_or_default();
    let exact = format::when(at).map(|when| when.exact).unwrap_or_default();
    format!(
        "<strong>{}</strong> · <span title=\"{}\">{}</span> · {}",
        escaped(&format::who(revision)),
        escaped(&exact),
        escaped(&format::ago(at).unwrap_or_else(|| at.to_owned())),
        escaped(&format::how(revision["change_set"].as_str()))
    )
}

/// One revision alone: who, when, how, and what it did to which hunt.
pub fn single(revision: &Value) -> String {
    let (verb, fields) = did(revision);
    format!(
        "<li class=\"revision\" data-seq=\"{}\"><p>{}: {verb} {}{}</p></li>",
        revision["seq"],
        who_when_how(revision),
        hunt_link(revision),
        escaped(&fields)
    )
}

/// What a change set did, from its newest revision and its count: "changed 60 hunts (Weight)".
pub fn set_words(newest: &Value, count: u64) -> String {
    let (verb, fields) = did(newest);
    let hunts = if count == 1 { "hunt" } else { "hunts" };
    format!("{verb} {count} {hunts}{fields}")
}

/// A change set as one entry: who, when, how, what it did to how many hunts; a link to its
/// hunts and (`can_undo`) its Undo.
pub fn set(newest: &Value, count: u64, can_undo: bool) -> String {
    let set = newest["change_set"].as_str().unwrap_or_default();
    let words = escaped(&set_words(newest, count));
    let undo = match can_undo {
        true => format!(
            " <button type=\"button\" data-undo=\"{}\" data-what=\"{words}\">Undo this change set</button>",
            escaped(set)
        ),
        false => String::new(),
    };
    format!(
        "<li class=\"revision change-set\" data-change-set=\"{}\"><p>{}: <span data-testid=\"set-headline\">{words}</span></p>\
         <p><a href=\"/changes?set={}\">Its hunts</a>{undo}</p></li>",
        escaped(set),
        who_when_how(newest),
        escaped(&encode_component(set)),
    )
}

/// A deleted hunt: its code, who deleted it and when, and Restore (`can_restore`) or what the
/// restore came to (`outcome`: `Ok(id)` where it is back, `Err(why)`); `index` names the line
/// that takes focus once it is drawn again.
pub fn deleted(
    revision: &Value,
    index: usize,
    outcome: Option<&Result<String, String>>,
    can_restore: bool,
) -> String {
    let id = escaped(revision["id"].as_str().unwrap_or_default());
    let after = match outcome {
        Some(Ok(new_id)) => format!(
            "<p id=\"deleted-{index}\" tabindex=\"-1\" role=\"status\">Restored: <a href=\"/hunts/{}\">open it</a></p>",
            escaped(&encode_component(new_id))
        ),
        Some(Err(why)) => format!(
            "<p id=\"deleted-{index}\" tabindex=\"-1\" class=\"field-error\" role=\"alert\">Not restored: {}</p>",
            escaped(why)
        ),
        None => String::new(),
    };
    let button = match can_restore && !matches!(outcome, Some(Ok(_))) {
        true => format!(" <button type=\"button\" data-restore=\"{id}\">Restore</button>"),
        false => String::new(),
    };
    format!(
        "<li class=\"revision\" data-id=\"{id}\"><p><strong>{}</strong> deleted: {}{button}</p>{after}</li>",
        text(revision, "code"),
        who_when_how(revision)
    )
}
