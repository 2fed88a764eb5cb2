//! `/changes`: Recent changes, every hunt's revisions newest first, filtered by who, by hunt and
//! by time (the filters and the page in the address, so Back, Forward and a shared link show
//! the same), a change set (a bulk run, an import, an undo) as one entry that opens to its
//! hunts and can be undone as a whole; and `/changes/deleted`, Recently deleted, each hunt
//! restorable with its id and last fields. Both read the History extension; where the server
//! keeps none, one line says so.

mod deleted;
mod entry_html;
mod set_undo;

pub use deleted::RecentlyDeleted;

use hunts_model::encode_component;
use hunts_model::history::{HistoryQuery, entries};
use leptos::prelude::*;

use crate::api;
use crate::components::sign_in::use_auth;
use crate::dom;
use crate::newest::newest_answer;
use crate::router::use_router;
use set_undo::SetUndoWork;

/// Revisions read for one page of Recent changes.
const PAGE: u64 = 100;

/// The time filter: its label and how far back it reaches, in hours (`0`: any time).
const SINCE: [(&str, u64); 5] = [
    ("Any time", 0),
    ("The last hour", 1),
    ("The last 24 hours", 24),
    ("The last 7 days", 7 * 24),
    ("The last 30 days", 30 * 24),
];

/// The filters and the page, as the address gives them.
#[derive(Clone, Default, PartialEq)]
struct Filters {
    by: String,
    /// A hunt's code, id or phone number.
    hunt: String,
    since_hours: u64,
    /// One change set's revisions, each alone.
    set: String,
    /// The page: revisions before this seq.
    before: Option<i64>,
}

impl Filters {
    fn of(query: &[(String, String)]) -> Filters {
        let value = |key: &str| {
            query
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value.trim().to_owned())
                .unwrap_or_default()
        };
        Filters {
            by: value("by"),
            hunt: value("hunt"),
            since_hours: value("since").parse().unwrap_or(0),
            set: value("set"),
            before: value("before").parse().ok(),
        }
    }

    /// The address that shows these filters, at the page before `before`.
    fn address(&self, before: Option<i64>) -> String {
        let since = self.since_hours.to_string();
        let before = before.map(|before| before.to_string()).unwrap_or_default();
        let pairs = [
            ("by", self.by.as_str()),
            ("hunt", self.hunt.as_str()),
            ("since", if since == "0" { "" } else { since.as_str() }),
            ("set", self.set.as_str()),
            ("before", before.as_str()),
        ];
        let query: Vec<String> = pairs
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(key, value)| format!("{key}={}", encode_component(value)))
            .collect();
        match query.is_empty() {
            true => "/changes".to_owned(),
            false => format!("/changes?{}", query.join("&")),
        }
    }
}

/// A page as read: its entries as HTML, how many, and where the next older page begins.
#[derive(Clone)]
struct Read {
    html: String,
    count: usize,
    older: Option<i64>,
}

/// What the page shows: reading, why it could not, no history kept (`Ok(None)`), or a page.
type Shown = Option<Result<Option<Read>, String>>;

#[component]
pub fn RecentChanges() -> impl IntoView {
    let router = use_router();
    let auth = use_auth();
    // The change set being undone, if any: one undo at a time, above the list.
    let undoing = RwSignal::new(None::<(String, String)>);
    let filters = Memo::new(move |_| Filters::of(&router.query().get()));
    // Each address is read when shown (a link, the form, Back or Forward); the page on show
    // stays while the next is read.
    let shown: RwSignal<Shown> = newest_answer(
        move || (filters.get(), auth.can_write()),
        |(filters, can_undo), _| async move { read_page(&filters, can_undo).await },
    );
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let field = |name: &str| dom::form_value(&event, name);
        let chosen = Filters {
            by: field("by"),
            hunt: field("hunt"),
            since_hours: field("since").parse().unwrap_or(0),
            ..Filters::default()
        };
        router.navigate(&chosen.address(None));
    };
    // The entries' buttons: "Undo this change set".
    let on_click = move |event: leptos::ev::MouseEvent| {
        let Some(button) = dom::target_element(&event)
            .and_then(|at| at.closest("button[data-undo]").ok().flatten())
        else {
            return;
        };
        let data = |name: &str| button.get_attribute(name).unwrap_or_default();
        undoing.set(Some((data("data-undo"), data("data-what"))));
    };
    let body = move || {
        match shown.get() {
        None => view! { <p class="subtle">"Reading the changes…"</p> }.into_any(),
        Some(Err(error)) => view! {
            <p class="field-error" role="alert">{format!("The changes could not be read: {error}")}</p>
        }
        .into_any(),
        Some(Ok(None)) => view! {
            <p class="subtle" data-testid="no-history">"This server keeps no history of changes."</p>
        }
        .into_any(),
        Some(Ok(Some(read))) => {
            let filters = filters.get_untracked();
            let newest = filters.before.is_some().then(|| filters.address(None));
            let older = read.older.map(|before| filters.address(Some(before)));
            view! {
                <p role="status">{match read.count {
                    0 => "No change matches.".to_owned(),
                    count => format!("{}, newest first.", crate::format::counted(count as u64, "change")),
                }}</p>
                <ol class="history changes" data-testid="changes" inner_html=read.html on:click=on_click></ol>
                <p class="pager">
                    {newest.map(|href| view! { <a href=href>"Newest"</a> " " })}
                    {older.map(|href| view! { <a href=href>"Older"</a> })}
                </p>
            }
            .into_any()
        }
    }
    };
    let since_options = move || {
        let chosen = filters.with_untracked(|filters| filters.since_hours);
        SINCE
            .iter()
            .map(|(label, hours)| view! { <option value=hours.to_string() selected=*hours == chosen>{*label}</option> })
            .collect_view()
    };
    let now = filters.get_untracked();
    view! {
        <section class="changes-page">
            <h1>"Recent changes"</h1>
            <p class="subtle">
                "Every change to every hunt, newest first: who made it, when and how. A bulk change or an import is one entry. "
                <a href="/changes/deleted">"Recently deleted hunts"</a>
            </p>
            <form class="filters" role="search" aria-label="Filter the changes" on:submit=on_submit>
                <label>"Who " <input type="text" name="by" autocomplete="off" value=now.by/></label>
                <label>"Hunt (code, id or phone number) " <input type="text" name="hunt" autocomplete="off" value=now.hunt/></label>
                <label>"When " <select name="since">{since_options}</select></label>
                <button type="submit">"Show"</button>
            </form>
            {move || undoing.get().map(|(set, what)| view! { <SetUndoWork set=set what=what undoing=undoing/> })}
            {body}
        </section>
    }
}

/// One page of entries as `filters` select them. A hunt is named by code, id or phone number
/// (a deleted hunt's code leads nowhere: Recently deleted lists those); the time filter ends
/// the list at the first revision older than it. Each change set on the page is one entry,
/// with its whole count read from the server (it may reach beyond the page).
async fn read_page(filters: &Filters, can_undo: bool) -> Result<Option<Read>, String> {
    let nonempty = |text: &str| Some(text.to_owned()).filter(|text| !text.is_empty());
    let id = match nonempty(&filters.hunt) {
        None => None,
        Some(key) => match api::lookup(&key)
            .await
            .map_err(|error| error.to_string())?
            .first()
        {
            Some(id) => Some(id.clone()),
            None => return Err(format!("no hunt has the code, id or phone number {key:?}")),
        },
    };
    let query = HistoryQuery {
        before: filters.before,
        by: nonempty(&filters.by),
        change_set: nonempty(&filters.set),
        id,
        limit: Some(PAGE),
        ..Default::default()
    };
    let Some((mut revisions, total)) = api::history(&query)
        .await
        .map_err(|error| error.to_string())?
    else {
        return Ok(None);
    };
    let mut older = (total > revisions.len() as u64)
        .then(|| revisions.last().and_then(|last| last["seq"].as_i64()))
        .flatten();
    if filters.since_hours > 0 {
        let since = js_sys::Date::now() - (filters.since_hours * 60 * 60 * 1000) as f64;
        let read = revisions.len();
        revisions.retain(|revision| {
            let at = revision["at"].as_str().unwrap_or_default();
            js_sys::Date::parse(at) >= since
        });
        if revisions.len() < read {
            older = None;
        }
    }
    let mut html = String::new();
    let mut header = String::new();
    if !filters.set.is_empty() {
        // One change set, each of its revisions alone, under what it did as a whole.
        if let Some(newest) = revisions.first() {
            header = entry_html::set(newest, total, can_undo);
        }
        for revision in &revisions {
            html.push_str(&entry_html::single(revision));
        }
    } else {
        for entry in entries(&revisions) {
            let newest = &revisions[entry[0]];
            match newest["change_set"].as_str() {
                // What history found when it began is no change to undo.
                Some(set) => {
                    let undoable = can_undo && set != hunts_model::history::BEFORE_HISTORY;
                    html.push_str(&entry_html::set(newest, set_count(set).await, undoable));
                }
                None => html.push_str(&entry_html::single(newest)),
            }
        }
    }
    Ok(Some(Read {
        html: header + &html,
        count: revisions.len(),
        older,
    }))
}

/// How many revisions a change set holds in all (its page may show part of it).
async fn set_count(set: &str) -> u64 {
    let query = HistoryQuery {
        change_set: Some(set.to_owned()),
        limit: Some(1),
        ..Default::default()
    };
    match api::history(&query).await {
        Ok(Some((_, total))) => total,
        _ => 0,
    }
}
