//! The list's view and how it changes: the address names the view (so a view can be bookmarked
//! or shared, and Back and Forward walk through views), and a change of view is drawn first
//! and put in the address after.
//!
//! A change asks for its page at once and does nothing else until the answer is in (or a
//! moment has passed, when "Loading…" shows); the page then shows the new view, and the
//! address follows once its rows are on screen. A history entry (3-6 ms in this machine's
//! Chromium) and the page's work after an address change would otherwise stand between the
//! answer and the rows, and a fast answer shows no flash of "Loading…".

use std::time::Duration;

use hunts_model::ListQuery;
use leptos::prelude::*;

use crate::api;
use crate::dom;
use crate::list_view::ListView;
use crate::router::{self, Page, use_router};

/// How long a change of view waits for its page before it shows "Loading…".
const LOADING_AFTER: Duration = Duration::from_millis(150);

#[derive(Clone, Copy)]
pub struct ListViewState {
    /// The view the address names, or why the model cannot read it.
    pub parsed: Memo<Result<ListView, String>>,
    /// The view on show: the address's, or one changed to whose address has not followed yet.
    pub view: Memo<ListView>,
    /// Changes the view (see the module's comment); the same view again asks nothing.
    pub go: Callback<ListView>,
    /// The view asked for last, while its page is on its way.
    asked: StoredValue<Option<ListView>>,
}

impl ListViewState {
    /// The view a change is made from: the one asked for last while its page is on its way
    /// (so a second click on a header goes on from the order the first asked for), else the
    /// one on show.
    pub fn latest(self) -> ListView {
        self.asked
            .get_value()
            .unwrap_or_else(|| self.view.get_untracked())
    }
}

pub fn use_list_view() -> ListViewState {
    let router = use_router();
    let parsed = Memo::new(move |_| router.query().with(|params| view_at(params)));
    let url_view = Memo::new(move |_| {
        parsed
            .get()
            .unwrap_or_else(|_| ListView::from_query(ListQuery::default(), None))
    });
    // From the moment a change's page is in until the address has followed it.
    let changed = RwSignal::new(None::<ListView>);
    let view = Memo::new(move |_| changed.get().unwrap_or_else(|| url_view.get()));
    // The page's first hunts are asked for as the page is made (when the app started on the
    // list, that request is already on its way, and is not sent again).
    drop(api::list_ahead(&view.get_untracked().api_query()));
    let asked = StoredValue::new(None::<ListView>);
    let go = Callback::new(move |next: ListView| {
        if asked.get_value().as_ref() == Some(&next) {
            return;
        }
        if asked.get_value().is_none() && next == view.get_untracked() {
            router.navigate(&next.to_url());
            return;
        }
        let answered = api::list_ahead(&next.api_query());
        asked.set_value(Some(next.clone()));
        leptos::task::spawn_local(async move {
            futures::future::select(answered.clone(), dom::sleep(LOADING_AFTER)).await;
            // Another change asked for since takes over; a page left meanwhile (a link
            // followed) has nothing more to do: the address is another page's now.
            if asked.try_get_value().flatten().as_ref() != Some(&next) {
                return;
            }
            changed.set(Some(next.clone()));
            asked.set_value(None);
            // Read or failed, the answer is the page's to show; the address follows it.
            let _ = answered.await;
            dom::after_next_paint(move || {
                if changed.try_get_untracked().is_none() {
                    return;
                }
                router.navigate(&next.to_url());
                // A later change already on show keeps its view.
                changed.update(|changed| {
                    if changed.as_ref() == Some(&next) {
                        *changed = None;
                    }
                });
            });
        });
    });
    ListViewState {
        parsed,
        view,
        go,
        asked,
    }
}

/// The list's view at an address with this query, as the page reads it.
fn view_at(query: &[(String, String)]) -> Result<ListView, String> {
    ListQuery::from_pairs(query.iter().map(|(key, value)| (key, value)))
        .map(|query| ListView::from_query(query, crate::list_view::remembered_columns()))
        .map_err(|error| error.to_string())
}

/// Called as the app starts, before it draws anything: where the address is the list's, its
/// first page is asked for at once, and is on its way while the app draws its frame (the page,
/// when made, takes up that request).
pub fn ask_for_the_first_page() {
    if let (Page::List, query) = router::current_page()
        && let Ok(view) = view_at(&query)
    {
        drop(api::list_ahead(&view.api_query()));
    }
}
