//! Live changes: one stream of the server's events per tab (`GET /rest/v1/uc/hunts/events`),
//! shared by every page, open while someone may read hunts and closed while nobody is signed
//! in. The browser's `EventSource` reconnects by itself after a drop, sending the last event's
//! id, so nothing is missed; a server without the extension answers 404 once and the stream
//! stays closed (the app then works as it always did). Pages derive what they show from
//! `latest`: the newest change heard.

use hunts_model::history::HistoryQuery;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::api::{self, Session};

/// One change another tab, admin or script made (or this tab: pages treat both alike).
#[derive(Clone, Debug, PartialEq)]
pub struct LiveChange {
    pub seq: i64,
    pub id: String,
    pub code: String,
    pub action: String,
    pub by: Option<String>,
}

impl LiveChange {
    fn of(data: &str) -> Option<LiveChange> {
        let value: serde_json::Value = serde_json::from_str(data).ok()?;
        let text = |name: &str| value[name].as_str().map(str::to_owned);
        Some(LiveChange {
            seq: value["seq"].as_i64()?,
            id: text("id")?,
            code: text("code").unwrap_or_default(),
            action: text("action").unwrap_or_default(),
            by: text("by"),
        })
    }

    /// What a `reset` stands for: any hunt may have changed.
    fn reset() -> LiveChange {
        LiveChange {
            // Each reset news of its own.
            seq: -(js_sys::Date::now() as i64),
            id: String::new(),
            code: String::new(),
            action: "reset".to_owned(),
            by: None,
        }
    }

    /// Whether it may concern the hunt `id`.
    pub fn concerns(&self, id: &str) -> bool {
        self.action == "reset" || self.id == id
    }

    /// "ann changed sales_main", as a line says it.
    pub fn words(&self) -> String {
        let who = self.by.as_deref().unwrap_or("Someone");
        let did = match self.action.as_str() {
            "create" => "created",
            "delete" => "deleted",
            _ => "changed",
        };
        format!("{who} {did} {}", self.code)
    }
}

/// The newest change heard.
#[derive(Clone, Copy)]
pub struct Live {
    pub latest: RwSignal<Option<LiveChange>>,
}

/// Changes heard that `concerns` says matter: how many so far and the newest one's words.
/// Each change is counted once, however often what `concerns` reads changes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Heard {
    pub count: u32,
    /// Of them, the changes that leave the hunt there to read again (not its delete).
    pub still_there: u32,
    pub words: Option<String>,
    seq: i64,
}

/// What a page reads to follow the changes that concern it (`Heard`).
pub fn use_heard(concerns: impl Fn(&LiveChange) -> bool + Send + Sync + 'static) -> Memo<Heard> {
    let live = expect_context::<Live>();
    Memo::new(move |previous: Option<&Heard>| {
        let mut heard = previous.cloned().unwrap_or_default();
        live.latest.with(|latest| {
            if let Some(change) = latest.as_ref().filter(|change| change.seq != heard.seq) {
                heard.seq = change.seq;
                // What was heard before the page was made is not news to it.
                if previous.is_some() && concerns(change) {
                    heard.count += 1;
                    heard.still_there += u32::from(change.action != "delete");
                    heard.words = Some(change.words());
                }
            }
        });
        heard
    })
}

/// The quiet between two announcements of the list's status line.
const QUIET_MS: f64 = 5_000.0;

/// The status line's words for the changes `heard` counts: "ann changed sales_main just now",
/// said politely, and at most once every few seconds (a screen reader is not made to read a
/// burst of changes one by one); what came meanwhile is said at the end of the quiet, as the
/// newest change and how many others came with it.
///
/// (A timer writes the words, as only a timer can end a quiet: they cannot be derived.)
pub fn use_announcement(heard: Memo<Heard>) -> ReadSignal<Option<String>> {
    let (said, say) = signal(None::<String>);
    // When the last announcement was made, the count it covered, and whether one is waiting.
    let last = StoredValue::new((f64::MIN, 0u32, false));
    let announce = move || {
        let (Some(heard), Some((_, covered, _))) =
            (heard.try_get_untracked(), last.try_get_value())
        else {
            return;
        };
        let Some(words) = heard.words else {
            return;
        };
        let others = heard.count.saturating_sub(covered + 1);
        let more = match others {
            0 => String::new(),
            _ => format!(
                ", with {}",
                crate::format::counted(u64::from(others), "other change")
            ),
        };
        say.try_set(Some(format!("{words} just now{more}")));
        last.try_set_value((js_sys::Date::now(), heard.count, false));
    };
    // Only a change counted is news (`heard` moves with every change heard).
    let count = Memo::new(move |_| heard.with(|heard| heard.count));
    Effect::new(move |_| {
        if count.get() == 0 {
            return;
        }
        let (at, _, waiting) = last.get_value();
        let quiet = at + QUIET_MS - js_sys::Date::now();
        if waiting {
            // The waiting announcement says this change too.
        } else if quiet <= 0.0 {
            announce();
        } else {
            last.update_value(|last| last.2 = true);
            set_timeout(announce, std::time::Duration::from_millis(quiet as u64));
        }
    });
    said
}

/// Called once by the app: the stream follows `session` (open while it is known and nobody
/// has to sign in first).
pub fn provide_live(session: Signal<Option<Session>>) {
    let live = Live {
        latest: RwSignal::new(None),
    };
    provide_context(live);
    // The stream and its listener, kept together: closed and let go together. (A network
    // drop or a server restart reconnects by itself, with the last event's id.)
    let source = StoredValue::new_local(None::<(web_sys::EventSource, Listener)>);
    // Which opening is the newest: one overtaken while it asked is dropped.
    let openings = StoredValue::new(0u64);
    // A page the browser puts away (its back-forward cache, a tab discarded) lets its stream
    // go: each open stream holds one of the six connections the browser allows a server, and
    // a page kept with one open would starve the next; brought back, it opens one again.
    let away = RwSignal::new(false);
    for (kind, is_away) in [("pagehide", true), ("pageshow", false)] {
        let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
            away.try_set(is_away);
        });
        let _ = window().add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
        // Listens as long as the app runs.
        listener.forget();
    }
    // Reaches outside Leptos only: opens or closes the browser's stream.
    Effect::new(move |_| {
        let open =
            !away.get() && matches!(session.get(), Some(Session::SignedIn(_) | Session::NotHere));
        if let Some((old, ..)) = source.try_update_value(Option::take).flatten() {
            old.close();
        }
        let this = openings.get_value() + 1;
        openings.set_value(this);
        if !open || api::keeps_no_history() {
            return;
        }
        leptos::task::spawn_local(async move {
            // A platform without the extension answers 404 for history (said once, and known
            // after): no stream is opened there, so nothing retries against it.
            let asked = HistoryQuery {
                limit: Some(1),
                ..HistoryQuery::default()
            };
            if !matches!(api::history(&asked).await, Ok(Some(_)))
                || openings.try_get_value() != Some(this)
            {
                return;
            }
            if let Some(opened) = open_stream(live) {
                source.try_set_value(Some(opened));
            }
        });
    });
}

type Listener = Closure<dyn Fn(web_sys::Event)>;

/// The browser's stream, its events put in `live`.
fn open_stream(live: Live) -> Option<(web_sys::EventSource, Listener)> {
    let stream = web_sys::EventSource::new(&api::events_url()).ok()?;
    let heard = Listener::new(move |event: web_sys::Event| {
        let data = event
            .dyn_ref::<web_sys::MessageEvent>()
            .and_then(|message| message.data().as_string());
        let change = match event.type_().as_str() {
            // History no longer holds what was missed: every page reads again.
            "reset" => Some(LiveChange::reset()),
            _ => data.as_deref().and_then(LiveChange::of),
        };
        if change.is_some() {
            live.latest.try_set(change);
        }
    });
    for kind in ["hunt", "reset"] {
        let _ = stream.add_event_listener_with_callback(kind, heard.as_ref().unchecked_ref());
    }
    Some((stream, heard))
}
