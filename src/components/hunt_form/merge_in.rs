//! Someone else's change met while editing: merged into the draft by the model's three-way
//! merge (their changes to fields this admin has not touched are taken in, each field both
//! changed is put side by side to choose), said in one line, and Save from then on measured
//! from their version.

use hunts_model::FieldPath;
use hunts_model::merge::{Clash, Side, merge_edits, settle};
use leptos::prelude::*;
use serde_json::{Map, Value};

use super::form_state::{draft_to_hunt, hunt_to_draft, value_to_draft};
use crate::api::Fetched;
use crate::components::hunt_loader::Newest;
use crate::dom;
use crate::format::{self, escaped};

/// The merge's state, for the form: the version the draft's changes are measured from, what
/// the last merge took in, and the fields still to choose.
#[derive(Clone, Copy)]
pub struct MergeIn {
    pub base: RwSignal<Value>,
    news: RwSignal<Option<(String, Vec<FieldPath>)>>,
    pub clashes: RwSignal<Vec<Clash>>,
    draft: RwSignal<Map<String, Value>>,
}

impl MergeIn {
    /// Settles the clash at `at` on their side or on yours.
    fn choose(self, at: usize, theirs: bool) {
        let Some(clash) = self
            .clashes
            .with_untracked(|clashes| clashes.get(at).cloned())
        else {
            return;
        };
        self.draft
            .update(|draft| settle(draft, if theirs { &clash.theirs } else { &clash.yours }));
        self.clashes.update(|clashes| {
            clashes.remove(at);
        });
    }
}

/// Merges each newer version of the hunt into `draft`, whose changes are measured from `base`
/// (the hunt as opened, at first): where the form is under a loader that reads it again when
/// someone changes it (`Newest`: the edit page), which hands over each newer read.
pub fn use_merge_in(
    base: Value,
    draft: RwSignal<Map<String, Value>>,
    pending: Signal<bool>,
) -> MergeIn {
    let merge = MergeIn {
        base: RwSignal::new(base),
        news: RwSignal::new(None),
        clashes: RwSignal::new(Vec::new()),
        draft,
    };
    let Some(Newest {
        heard, merge_into, ..
    }) = use_context::<Newest>()
    else {
        return merge;
    };
    // Each newer read the loader makes, handed over from its task. Every read and write here
    // is a `try_` one: the form may be gone by then. Nothing is merged while a save is on its
    // way or done: its own echo is no news, and writes as the page goes would wake views
    // being taken down.
    let merge_newer = Callback::new(move |Fetched { hunt, .. }: Fetched| {
        if pending.try_get_untracked() != Some(false) {
            return;
        }
        let theirs = hunt_to_draft(&hunt);
        let Some(old) = merge.base.try_with_untracked(value_to_draft) else {
            return;
        };
        if theirs == old {
            return;
        }
        let Some(merged) = draft.try_with_untracked(|yours| merge_edits(&old, &theirs, yours))
        else {
            return;
        };
        draft.try_set(merged.hunt);
        merge.base.try_set(draft_to_hunt(&theirs));
        let words = heard
            .try_with_untracked(|heard| heard.words.clone())
            .flatten();
        let words = words.unwrap_or_else(|| format!("Someone changed {}", hunt.code));
        merge.news.try_set(Some((words, merged.theirs_changed)));
        merge.clashes.try_set(merged.clashes);
    });
    merge_into.set_value(Some(merge_newer));
    merge
}

/// The id of the list of fields to choose, where Save sends focus while any is left.
pub const CLASHES: &str = "form-clashes";

/// The merge said: who changed what, and each field both changed with a choice of sides. The
/// fields to choose are HTML text with one click handler: far less wasm than a `view!` per
/// field (360 kB is the budget, docs/size.md).
#[component]
pub fn MergeNews(merge: MergeIn) -> impl IntoView {
    let news = move || {
        merge.news.get().map(|(words, changed)| {
            let fields = changed
                .iter()
                .map(|path| path.label())
                .collect::<Vec<_>>()
                .join(", ");
            format!("{words} just now: {fields}. Their changes are in the form; yours are kept.")
        })
    };
    // Drawn again when the clashes change, not with every keystroke (the draft is read for how
    // tied agents ring, its resource mode, untracked).
    let html = move || {
        let hunt = merge
            .draft
            .with_untracked(|draft| Value::Object(draft.clone()));
        let rows: String = merge.clashes.with(|clashes| {
            clashes
                .iter()
                .enumerate()
                .map(|(at, clash)| {
                    format!(
                        "<li><span class=\"field-label\">{}</span>: theirs <b>{}</b> <button \
                         type=\"button\" data-at=\"{at}\" data-theirs>Keep theirs</button> · yours \
                         <b>{}</b> <button type=\"button\" data-at=\"{at}\">Keep yours</button></li>",
                        clash.path.label(),
                        escaped(&side(&clash.theirs, &hunt)),
                        escaped(&side(&clash.yours, &hunt)),
                    )
                })
                .collect()
        });
        format!(
            "<p id=\"form-clashes-lead\">You both changed these. Choose which to keep before \
             saving:</p><ul>{rows}</ul>"
        )
    };
    let on_click = move |event: leptos::ev::MouseEvent| {
        let Some(button) =
            dom::target_element(&event).and_then(|at| at.closest("button[data-at]").ok().flatten())
        else {
            return;
        };
        let at = button
            .get_attribute("data-at")
            .and_then(|at| at.parse().ok());
        if let Some(at) = at {
            merge.choose(at, button.has_attribute("data-theirs"));
        }
    };
    view! {
        <p class="subtle live-news" role="status" data-testid="merge-news">{news}</p>
        <div
            id=CLASHES
            class="form-error refusals"
            role="group"
            tabindex="-1"
            aria-labelledby="form-clashes-lead"
            hidden=move || merge.clashes.with(Vec::is_empty)
            inner_html=html
            on:click=on_click
        ></div>
    }
}

/// One side of a clash in the detail page's words (`hunt`'s resource mode says how tied agents
/// ring).
fn side(side: &Side, hunt: &Value) -> String {
    side.iter()
        // A simple strategy's seconds are no words.
        .filter(|(_, value)| {
            value
                .as_ref()
                .is_some_and(|value| value != &Value::Array(Vec::new()))
        })
        .filter_map(|(key, value)| {
            Some(format::field_words(
                FieldPath::lookup(key)?,
                value.as_ref(),
                hunt,
            ))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
