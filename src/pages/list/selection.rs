//! The hunts selected on the list, by id: kept across pages and orders (the list page keeps one
//! selection however its URL changes), with Shift-click ranges.

use std::collections::BTreeSet;

use leptos::prelude::*;

/// The id of the list table's header checkbox, where focus goes when the selection is cleared.
pub const SELECT_PAGE: &str = "select-page";

#[derive(Clone, Copy)]
pub struct Selection {
    ids: RwSignal<BTreeSet<String>>,
    /// The row last clicked without Shift, where a Shift-click range starts.
    anchor: RwSignal<Option<String>>,
}

/// Called once by the list page, which keeps it however its URL changes.
///
/// The rows' checkboxes are drawn with the state they have when drawn and then kept in step
/// by one effect here, rather than each watching the selection: a row of a page that has been
/// replaced must leave nothing behind that watches (see the soak test).
pub fn provide_selection() -> Selection {
    let selection = Selection {
        ids: RwSignal::new(BTreeSet::new()),
        anchor: RwSignal::new(None),
    };
    provide_context(selection);
    Effect::new(move |_| selection.ids.with(show_in_checkboxes));
    selection
}

/// Ticks the checkbox of every selected row on show, and the page's own when all are.
fn show_in_checkboxes(ids: &BTreeSet<String>) {
    use wasm_bindgen::JsCast;
    let Ok(boxes) = document().query_selector_all("input[data-select]") else {
        return;
    };
    let mut all = boxes.length() > 0;
    for index in 0..boxes.length() {
        let Some(input) = boxes
            .item(index)
            .and_then(|node| node.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            continue;
        };
        let on = input
            .get_attribute("data-select")
            .is_some_and(|id| ids.contains(&id));
        input.set_checked(on);
        all &= on;
    }
    if let Ok(Some(page)) = document().query_selector("input[data-select-page]")
        && let Ok(page) = page.dyn_into::<web_sys::HtmlInputElement>()
    {
        page.set_checked(all);
    }
}

pub fn use_selection() -> Selection {
    expect_context::<Selection>()
}

impl Selection {
    pub fn count(self) -> usize {
        self.ids.with(BTreeSet::len)
    }

    pub fn is_empty(self) -> bool {
        self.ids.with(BTreeSet::is_empty)
    }

    /// Whether `id` is selected now (read once, when a row is drawn).
    pub fn contains_now(self, id: &str) -> bool {
        self.ids.with_untracked(|ids| ids.contains(id))
    }

    /// The selection now, to compare with later (see `is`).
    pub fn snapshot(self) -> BTreeSet<String> {
        self.ids.get_untracked()
    }

    /// Whether the selection is `ids` (tracked: a change of it is news).
    pub fn is(self, ids: &BTreeSet<String>) -> bool {
        self.ids.with(|selected| selected == ids)
    }

    pub fn ids(self) -> Vec<String> {
        self.ids.with_untracked(|ids| ids.iter().cloned().collect())
    }

    /// A row's checkbox: alone it toggles the row; with Shift, every row from the last one
    /// clicked to this one takes this one's new state.
    pub fn click(self, id: &str, on: bool, shift: bool, page: &[String]) {
        let anchor = self.anchor.get_untracked();
        let range = anchor.filter(|_| shift).and_then(|anchor| {
            let from = page.iter().position(|row| *row == anchor)?;
            let to = page.iter().position(|row| row == id)?;
            Some(page[from.min(to)..=from.max(to)].to_vec())
        });
        match range {
            Some(rows) => self.set_many(&rows, on),
            None => self.set_many(&[id.to_owned()], on),
        }
        self.anchor.set(Some(id.to_owned()));
    }

    pub fn set_many(self, ids: &[String], on: bool) {
        self.ids.update(|selected| {
            for id in ids {
                if on {
                    selected.insert(id.clone());
                } else {
                    selected.remove(id);
                }
            }
        });
    }

    /// `set_many`, unless the list (and its selection) is gone: a run that ends after the user
    /// left the list has no selection to change.
    pub fn try_set_many(self, ids: &[String], on: bool) {
        if !ids.is_empty() && self.ids.try_get_untracked().is_some() {
            self.set_many(ids, on);
        }
    }

    /// (`try_`: set by a task, which the list may not outlive.)
    pub fn replace(self, ids: Vec<String>) {
        self.ids.try_set(ids.into_iter().collect());
    }

    pub fn clear(self) {
        self.ids.set(BTreeSet::new());
        self.anchor.set(None);
    }
}
