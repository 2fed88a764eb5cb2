//! Which page the address shows, and moving between pages without loading the app again: a
//! link's click, the browser's Back and Forward, and the app's own `navigate`.
//!
//! The app has eight pages and one parameter; a router of its own is a page of code where
//! `leptos_router` and its generic route tree were 47.5 kB of the gzipped wasm (issue 9).

use hunts_model::{decode_component, decode_segment};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A page of the app, with the hunt or resource it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    List,
    New,
    Detail(String),
    Edit(String),
    Resource(String),
    Routing,
    Changes,
    Deleted,
    NotFound,
}

impl Page {
    /// The page a path shows (`/hunts/:id/edit` and the like).
    pub fn of(path: &str) -> Page {
        let segments: Vec<&str> = path
            .trim_matches('/')
            .split('/')
            .filter(|segment| !segment.is_empty())
            .collect();
        match segments.as_slice() {
            [] | ["hunts"] => Page::List,
            ["hunts", "new"] => Page::New,
            ["hunts", hunt] => Page::Detail(decode_segment(hunt)),
            ["hunts", hunt, "edit"] => Page::Edit(decode_segment(hunt)),
            ["resources", resource] => Page::Resource(decode_segment(resource)),
            ["routing"] => Page::Routing,
            ["changes"] => Page::Changes,
            ["changes", "deleted"] => Page::Deleted,
            _ => Page::NotFound,
        }
    }

    /// The hunt's or resource's id the page is about, if any.
    pub fn id(&self) -> Option<&str> {
        match self {
            Page::Detail(id) | Page::Edit(id) | Page::Resource(id) => Some(id),
            _ => None,
        }
    }
}

/// The page the browser's address shows now, and its query (before the app has started).
pub fn current_page() -> (Page, Vec<(String, String)>) {
    let address = Address::current();
    (Page::of(&address.path), address.query)
}

/// The address: its path and its query's pairs, decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Address {
    path: String,
    query: Vec<(String, String)>,
}

impl Address {
    fn current() -> Address {
        let location = window().location();
        Address {
            path: location.pathname().unwrap_or_default(),
            query: query_pairs(&location.search().unwrap_or_default()),
        }
    }
}

/// `?a=1&b=x%20y` as `[("a", "1"), ("b", "x y")]`.
fn query_pairs(search: &str) -> Vec<(String, String)> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_component(key), decode_component(value))
        })
        .collect()
}

#[derive(Clone, Copy)]
pub struct Router {
    address: RwSignal<Address>,
    page: Memo<Page>,
    query: Memo<Vec<(String, String)>>,
}

/// Called once by the app: the address as it is, and the listeners that follow it.
pub fn provide_router() -> Router {
    let address = RwSignal::new(Address::current());
    let router = Router {
        address,
        page: Memo::new(move |_| address.with(|address| Page::of(&address.path))),
        query: Memo::new(move |_| address.with(|address| address.query.clone())),
    };
    provide_context(router);
    // Back and Forward. (The unsaved-changes guard listens before this, on the capture phase,
    // and keeps a move the user declined from reaching it.)
    let moved = window_event_listener(leptos::ev::popstate, move |_| {
        address.set(Address::current());
    });
    // Links: followed here unless the browser should (another window, a download, elsewhere).
    let clicked = window_event_listener(leptos::ev::click, move |event| {
        if let Some(url) = followed_here(&event) {
            event.prevent_default();
            router.navigate(&url);
        }
    });
    on_cleanup(move || {
        moved.remove();
        clicked.remove();
    });
    router
}

pub fn use_router() -> Router {
    expect_context::<Router>()
}

impl Router {
    /// The page the address shows; it changes only when the page does, not with its query.
    pub fn page(self) -> Memo<Page> {
        self.page
    }

    /// The id of the hunt or resource the page is about ("" on a page about none).
    pub fn page_id(self) -> String {
        self.page
            .with(|page| page.id().unwrap_or_default().to_owned())
    }

    /// The address's query, decoded.
    pub fn query(self) -> Memo<Vec<(String, String)>> {
        self.query
    }

    /// A query parameter's value, read without tracking (for what a page reads once).
    pub fn query_value_untracked(self, key: &str) -> Option<String> {
        self.query.with_untracked(|query| {
            query
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value.clone())
        })
    }

    /// Goes to `url` (a path with its query): a new history entry, the top of the page. Going
    /// where the address already is adds no entry (as a browser does), so Back is never a step
    /// that changes nothing.
    pub fn navigate(self, url: &str) {
        let location = window().location();
        let here = format!(
            "{}{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default(),
            location.hash().unwrap_or_default()
        );
        if let Ok(history) = window().history() {
            let _ = if url == here {
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
            } else {
                history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
            };
        }
        self.address.set(Address::current());
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    /// Goes to `url` in place of the address on show (no new history entry): an address that
    /// cannot be shown as asked (a page past the list's end) corrected.
    pub fn replace(self, url: &str) {
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
        }
        self.address.set(Address::current());
    }

    /// Whether the address is at `href` or below it (for a navigation link's `aria-current`).
    pub fn is_at(self, href: &str) -> bool {
        self.address
            .with(|address| address.path == href || address.path.starts_with(&format!("{href}/")))
    }
}

/// The same-origin address a click on a link should go to in the app, if it should.
fn followed_here(event: &web_sys::MouseEvent) -> Option<String> {
    if event.default_prevented()
        || event.button() != 0
        || event.meta_key()
        || event.ctrl_key()
        || event.shift_key()
        || event.alt_key()
    {
        return None;
    }
    let link = crate::dom::target_element(event)?
        .closest("a[href]")
        .ok()??
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .ok()?;
    let elsewhere = !matches!(link.target().as_str(), "" | "_self")
        || link.has_attribute("download")
        || link
            .get_attribute("rel")
            .is_some_and(|rel| rel.contains("external"));
    let origin = window().location().origin().ok()?;
    if elsewhere || link.origin() != origin {
        return None;
    }
    Some(format!(
        "{}{}{}",
        link.pathname(),
        link.search(),
        link.hash()
    ))
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn each_path_names_its_page() {
        assert_eq!(Page::of("/"), Page::List);
        assert_eq!(Page::of("/hunts"), Page::List);
        assert_eq!(Page::of("/hunts/"), Page::List);
        assert_eq!(Page::of("/hunts/new"), Page::New);
        assert_eq!(Page::of("/hunts/abc"), Page::Detail("abc".into()));
        assert_eq!(Page::of("/hunts/abc/edit"), Page::Edit("abc".into()));
        assert_eq!(
            Page::of("/resources/agent-7"),
            Page::Resource("agent-7".into())
        );
        assert_eq!(
            Page::of("/resources/agent+1%2F2"),
            Page::Resource("agent+1/2".into())
        );
        assert_eq!(Page::of("/hunts/abc/other"), Page::NotFound);
        assert_eq!(Page::of("/elsewhere"), Page::NotFound);
    }
}
