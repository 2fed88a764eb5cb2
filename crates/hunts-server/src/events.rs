//! Live changes: `GET /rest/v1/uc/hunts/events`, each committed revision as one Server-Sent
//! Event in `seq` order (CONTRACT.md, "Live changes").
//!
//! One follower task per server reads the history table past the last `seq` it sent on, a
//! window at a time, whenever the store may have committed (SQLite: its write generation moved;
//! PostgreSQL: every `POLL_SHARED`, so a write through another instance arrives too), and
//! broadcasts each revision's event. A stream subscribes first, then catches up from the table
//! past the client's `Last-Event-ID` (or `?after=`), then follows the broadcast, skipping what
//! it already sent: nothing is missed and nothing comes twice. A revision retention has dropped
//! since then makes the first event `reset`. A write never waits for a stream: a stream that
//! falls a broadcast's length behind (a slow reader) is ended, and its client resumes from
//! history. Streams past `max_streams` are refused with 503 and `Retry-After`; all end at once
//! on shutdown (`Events::stop`).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};

use hunts_model::ModelError;
use hunts_model::history::{HistoryQuery, MOST_LIMIT, Revision};
use serde_json::json;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, broadcast, watch};

use crate::error::ApiError;
use crate::store::{Nudges, Store};

/// The path of the stream, under the hunts collection.
pub const EVENTS_SEGMENT: &str = "events";
/// How often the follower looks for a commit on SQLite (a counter's read, no query).
const POLL_LOCAL: Duration = Duration::from_millis(5);
/// How often it asks PostgreSQL, where another instance may have written.
const POLL_SHARED: Duration = Duration::from_millis(50);
/// Events a stream may fall behind before it is ended (its client resumes from history).
const BEHIND_AT_MOST: usize = 4096;
/// A comment this often keeps a stream open through proxies (the contract's 15 s at most).
const HEARTBEAT: Duration = Duration::from_secs(10);
/// Streams open at once per instance, by default.
pub const DEFAULT_MAX_STREAMS: usize = 256;

/// One revision as an event carries it: no field values (a reader fetches the hunt).
#[derive(Clone, Debug)]
struct Change {
    seq: i64,
    data: String,
}

impl Change {
    fn of(revision: &Revision) -> Change {
        let data = json!({
            "seq": revision.seq,
            "id": revision.id,
            "code": revision.code,
            "revision": revision.revision,
            "action": revision.action.as_str(),
            "by": revision.by,
            "change_set": revision.change_set,
        });
        Change {
            seq: revision.seq,
            data: data.to_string(),
        }
    }

    fn event(&self) -> Event {
        Event::default()
            .id(self.seq.to_string())
            .event("hunt")
            .data(&self.data)
    }
}

/// The live changes of one server: the follower's broadcast, the cap on streams, and the
/// switch that ends them all.
#[derive(Clone)]
pub struct Events {
    changes: broadcast::Sender<Arc<Change>>,
    slots: Arc<Semaphore>,
    stop: watch::Sender<bool>,
}

impl Events {
    /// Starts following `store` (from its newest revision) for at most `max_streams` streams.
    pub fn start(store: Store, max_streams: usize) -> Events {
        let (changes, _) = broadcast::channel(BEHIND_AT_MOST);
        let (stop, _) = watch::channel(false);
        let events = Events {
            changes,
            slots: Arc::new(Semaphore::new(max_streams.max(1))),
            stop,
        };
        tokio::spawn(follow(
            store,
            events.changes.clone(),
            events.stop.subscribe(),
        ));
        events
    }

    /// Ends every stream and the follower (the server is shutting down).
    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }
}

/// The newest revision's `seq` (0 with none).
async fn head(store: &Store) -> Result<i64, ApiError> {
    head_above(store, 0).await
}

/// The newest revision's `seq` if it is above `floor`, else `floor`: asked with `after`, so the
/// page's total counts only the revisions above it (PostgreSQL counts a total each time: the
/// whole table, every 50 ms, when asked without one).
async fn head_above(store: &Store, floor: i64) -> Result<i64, ApiError> {
    let newest = store
        .history(HistoryQuery {
            after: Some(floor),
            limit: Some(1),
            ..HistoryQuery::default()
        })
        .await?;
    Ok(newest
        .revisions
        .first()
        .map_or(floor, |revision| revision.seq))
}

/// The revisions after `after`, oldest first: one window of `MOST_LIMIT` seqs at most.
async fn after(store: &Store, after: i64) -> Result<Vec<Revision>, ApiError> {
    let window = MOST_LIMIT as i64;
    let mut page = store
        .history(HistoryQuery {
            after: Some(after),
            before: Some(after.saturating_add(window + 1)),
            limit: Some(MOST_LIMIT),
            ..HistoryQuery::default()
        })
        .await?;
    page.revisions.reverse();
    Ok(page.revisions)
}

/// The follower: every committed revision, in `seq` order, broadcast once.
async fn follow(
    store: Store,
    changes: broadcast::Sender<Arc<Change>>,
    mut stop: watch::Receiver<bool>,
) {
    let mut sent = loop {
        match head(&store).await {
            Ok(seq) => break seq,
            Err(error) => {
                tracing::warn!(%error, "live changes: the history cannot be read; trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    };
    let mut generation = store.write_generation();
    let nudges = store.revision_nudges();
    let poll = if generation.is_some() {
        POLL_LOCAL
    } else {
        POLL_SHARED
    };
    loop {
        tokio::select! {
            () = tokio::time::sleep(poll) => {}
            () = nudged(nudges.as_ref()) => {}
            _ = stop.changed() => return,
        }
        let now = store.write_generation();
        if now.is_some() && now == generation {
            continue;
        }
        generation = now;
        // With no stream open nobody needs the revisions: only the newest `seq` is noted. A
        // stream that subscribes after the second look at the count reads the table itself
        // past this head; one that subscribed before it is seen here, and the revisions are
        // read and sent as usual. (Reading and parsing every revision for nobody cost writes a
        // share of the two cores.)
        if changes.receiver_count() == 0 {
            match head_above(&store, sent).await {
                Ok(newest) if changes.receiver_count() == 0 => {
                    sent = sent.max(newest);
                    continue;
                }
                Ok(_) => {}
                Err(_) => {
                    generation = None;
                    continue;
                }
            }
        }
        // Every window past what was sent, until none is left: a burst is sent at once.
        loop {
            let revisions = match after(&store, sent).await {
                Ok(revisions) => revisions,
                Err(error) => {
                    // Caught up from history once the database answers again: nothing missed.
                    tracing::warn!(%error, "live changes: the history cannot be read");
                    generation = None;
                    break;
                }
            };
            if revisions.is_empty() {
                // A gap retention left (or none at all): the head says whether more follow.
                match head_above(&store, sent).await {
                    Ok(newest) if newest > sent + MOST_LIMIT as i64 => {
                        sent += MOST_LIMIT as i64;
                        continue;
                    }
                    _ => break,
                }
            }
            for revision in &revisions {
                sent = revision.seq;
                // No stream listening is no error.
                let _ = changes.send(Arc::new(Change::of(revision)));
            }
        }
    }
}

/// Once another instance's revision is announced (PostgreSQL); never where none can be.
async fn nudged(nudges: Option<&Nudges>) {
    match nudges {
        Some(nudges) => nudges.next().await,
        None => std::future::pending().await,
    }
}

/// Where a stream resumes: `Last-Event-ID`, else `?after=`, else the newest revision.
fn resume_point(headers: &HeaderMap, query: &[(String, String)]) -> Result<Option<i64>, ApiError> {
    let given = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            query
                .iter()
                .find(|(key, _)| key == "after")
                .map(|(_, value)| value.clone())
        });
    match given {
        None => Ok(None),
        Some(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|seq| *seq >= 0)
            .map(Some)
            .ok_or_else(|| {
                ApiError::Invalid(ModelError::BadParameter {
                    param: "after",
                    reason: format!(
                        "{text:?} is not a revision's seq (a whole number of 0 or more)"
                    ),
                })
            }),
    }
}

/// One stream's state: what it still has to send, where it is, and what it follows.
struct Stream {
    store: Store,
    changes: broadcast::Receiver<Arc<Change>>,
    stop: watch::Receiver<bool>,
    queued: VecDeque<Event>,
    last: i64,
    catching_up: bool,
    _slot: OwnedSemaphorePermit,
}

impl Stream {
    /// The next event, or `None` when the stream ends (shutdown, a slow reader, an error).
    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.queued.pop_front() {
                return Some(event);
            }
            if *self.stop.borrow() {
                return None;
            }
            if self.catching_up {
                // Boxed: the read's future is the largest this stream awaits, and inline it
                // would be held by every open stream, all the time it follows (3.4 kB).
                let revisions = Box::pin(after(&self.store, self.last)).await.ok()?;
                if revisions.is_empty() {
                    self.catching_up = false;
                }
                for revision in &revisions {
                    self.last = revision.seq;
                    self.queued.push_back(Change::of(revision).event());
                }
                continue;
            }
            tokio::select! {
                received = self.changes.recv() => match received {
                    Ok(change) if change.seq > self.last => {
                        self.last = change.seq;
                        return Some(change.event());
                    }
                    Ok(_) => {}
                    // Fallen behind: ended; the client resumes from history with its last id.
                    Err(_) => return None,
                },
                _ = self.stop.changed() => return None,
            }
        }
    }
}

/// `GET /rest/v1/uc/hunts/events`.
pub async fn stream(
    State(store): State<Store>,
    State(events): State<Events>,
    headers: HeaderMap,
    query: axum::extract::Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let asked = resume_point(&headers, &query.0)?;
    let Ok(slot) = events.slots.clone().try_acquire_owned() else {
        return Err(ApiError::TooManyStreams);
    };
    // Subscribed before the catch-up is read: what commits meanwhile is in the queue.
    let changes = events.changes.subscribe();
    let newest = head(&store).await?;
    let mut queued = VecDeque::new();
    let last = match asked {
        None => newest,
        Some(asked) if asked >= newest => newest,
        Some(asked) => {
            // Every revision after `asked` still held, or the client must reload.
            let held = store
                .history(HistoryQuery {
                    after: Some(asked),
                    before: Some(newest + 1),
                    limit: Some(1),
                    ..HistoryQuery::default()
                })
                .await?
                .total;
            if held < (newest - asked) as u64 {
                queued.push_back(Event::default().event("reset").data("{}"));
                newest
            } else {
                asked
            }
        }
    };
    let stream = Stream {
        store,
        changes,
        stop: events.stop.subscribe(),
        queued,
        last,
        catching_up: true,
        _slot: slot,
    };
    let body = futures_util::stream::unfold(stream, |mut stream| async move {
        let event = stream.next().await?;
        Some((Ok::<Event, Infallible>(event), stream))
    });
    Ok(Sse::new(body)
        .keep_alive(KeepAlive::new().interval(HEARTBEAT).text("keep-alive"))
        .into_response())
}
