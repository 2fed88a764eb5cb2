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
pub fn provide_selection() -> Selection {
    let selection = Selection {
        ids: RwSignal::new(BTreeSet::new()),
        anchor: RwSignal::new(None),
    };
    provide_context(selection);
    selection
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

    /// Reads the selected ids (tracked: the table keeps its checkboxes in step).
    pub fn with<T>(self, read: impl FnOnce(&BTreeSet<String>) -> T) -> T {
        self.ids.with(read)
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
