//! The work on each selected hunt, a few hunts at a time: reading them for the preview,
//! sending each one's patch with the If-Match of the preview's read, and sending the inverse
//! patches for Undo. Progress is a signal; Cancel stops what has not started.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use futures::StreamExt;
use hunts_model::bulk::{BulkChange, Outcome};
use hunts_model::{Hunt, merge_diff};
use leptos::prelude::*;

use crate::api::{self, ApiError};

/// Requests in flight at once: enough to keep the server busy, few enough to stay polite.
const AT_ONCE: usize = 4;

/// How far a run is: done of total, and whether the user asked it to stop.
#[derive(Clone, Copy)]
pub struct Progress {
    pub done: RwSignal<usize>,
    pub total: RwSignal<usize>,
    pub cancelled: RwSignal<bool>,
}

impl Progress {
    pub fn new() -> Progress {
        Progress {
            done: RwSignal::new(0),
            total: RwSignal::new(0),
            cancelled: RwSignal::new(false),
        }
    }

    pub(super) fn start(self, total: usize) {
        self.done.set(0);
        self.total.set(total);
        self.cancelled.set(false);
    }
}

/// Runs `job` on every item, `AT_ONCE` at a time, in order; `None` for what Cancel stopped.
/// Each job is boxed, so the stream that runs them exists once in the wasm, not once for each
/// kind of job (reads, writes, Undo, the import's steps).
pub(super) async fn each<I, T, F>(
    items: Vec<I>,
    progress: Progress,
    job: impl Fn(I) -> F,
) -> Vec<Option<T>>
where
    T: 'static,
    F: Future<Output = T> + 'static,
{
    let results: Rc<RefCell<Vec<Option<T>>>> =
        Rc::new(RefCell::new(items.iter().map(|_| None).collect()));
    let jobs: Vec<Job> = items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let (results, work) = (results.clone(), job(item));
            Box::pin(async move {
                let outcome = work.await;
                results.borrow_mut()[index] = Some(outcome);
            }) as Job
        })
        .collect();
    run(jobs, progress).await;
    results.take()
}

type Job = Pin<Box<dyn Future<Output = ()>>>;

/// Polls the jobs `AT_ONCE` at a time, in order, counting each; one not yet started when
/// Cancel is pressed is dropped unpolled (an async job does nothing until polled).
async fn run(jobs: Vec<Job>, progress: Progress) {
    progress.start(jobs.len());
    futures::stream::iter(jobs)
        .map(|job| {
            // A panel that is gone (the user left the list mid-run) counts as Cancel: nothing
            // more is sent, and nothing reads its disposed signals (a panic).
            let started = !progress.cancelled.try_get_untracked().unwrap_or(true);
            async move {
                if started {
                    job.await;
                }
                progress.done.try_update(|done| *done += 1);
            }
        })
        .buffered(AT_ONCE)
        .collect::<()>()
        .await;
}

/// One hunt in the preview: as read (with the ETag the change will be sent with) and what the
/// change does to it.
#[derive(Clone, Debug)]
pub struct Previewed {
    pub id: String,
    pub read: Result<(Hunt, Option<String>), ApiError>,
    pub outcome: Option<Outcome>,
}

impl Previewed {
    pub fn code(&self) -> String {
        match &self.read {
            Ok((hunt, _)) => hunt.code.clone(),
            Err(_) => self.id.clone(),
        }
    }

    pub fn will_change(&self) -> bool {
        matches!(
            self.outcome,
            Some(Outcome::Changes { .. } | Outcome::Deletes)
        )
    }
}

pub async fn preview(ids: Vec<String>, change: BulkChange, progress: Progress) -> Vec<Previewed> {
    let results = each(
        ids.clone(),
        progress,
        |id| async move { api::get(&id).await },
    )
    .await;
    let mut rows: Vec<Previewed> = ids
        .into_iter()
        .zip(results)
        .map(|(id, read)| {
            let read = read.unwrap_or_else(|| Err(ApiError::Network("cancelled".to_owned())));
            let read = read.map(|fetched| (fetched.hunt, fetched.etag));
            let outcome = read.as_ref().ok().map(|(hunt, _)| change.apply(hunt));
            Previewed { id, read, outcome }
        })
        .collect();
    // By code, as an admin scans them (the selection is kept by id): the hunts that could not
    // be read first, since they need a look.
    rows.sort_unstable_by_key(|row| (row.read.is_ok(), row.code()));
    rows
}

/// What became of one hunt when the change was sent (or undone).
#[derive(Clone, Debug, PartialEq)]
pub enum Sent {
    /// Written; the hunt before and after, and the new ETag, for Undo.
    Changed {
        before: Box<Hunt>,
        after: Box<Hunt>,
        etag: Option<String>,
    },
    /// Deleted; the hunt as it was, for Undo (which creates it again).
    Deleted(Box<Hunt>),
    /// Created (by an import); as the server made it, for Undo (which deletes it if unchanged).
    Created(Box<Hunt>),
    Unchanged,
    /// The server refused it, saying why.
    Refused(String),
    /// Someone changed the hunt after it was read: left as they wrote it.
    Conflicted,
    /// No answer (the network, the server): it may be tried again.
    Failed(String),
    /// Cancel came before it was sent.
    Cancelled,
}

impl Sent {
    pub(super) fn of_error(error: ApiError) -> Sent {
        match error.status() {
            Some(412) => Sent::Conflicted,
            Some(status) if status < 500 => Sent::Refused(error.to_string()),
            _ => Sent::Failed(error.to_string()),
        }
    }

    pub fn words(&self) -> String {
        match self {
            Sent::Changed { .. } => "changed".to_owned(),
            Sent::Deleted(_) => "deleted".to_owned(),
            Sent::Created(_) => "created".to_owned(),
            Sent::Unchanged => "nothing to change".to_owned(),
            Sent::Refused(why) => format!("refused: {why}"),
            Sent::Conflicted => "not changed: someone else changed it after the preview".to_owned(),
            Sent::Failed(why) => format!("not changed: {why}"),
            Sent::Cancelled => "not sent (cancelled)".to_owned(),
        }
    }

    /// Written, so Undo has something to put back.
    pub fn undoable(&self) -> bool {
        matches!(
            self,
            Sent::Changed { .. } | Sent::Deleted(_) | Sent::Created(_)
        )
    }

    /// Worth another try, after a fresh preview.
    pub fn may_retry(&self) -> bool {
        matches!(self, Sent::Conflicted | Sent::Failed(_) | Sent::Cancelled)
    }
}

/// Each hunt's result beside its id and code; what Cancel stopped is `Cancelled`.
pub(super) fn labelled(
    labels: Vec<(String, String)>,
    results: Vec<Option<Sent>>,
) -> Vec<(String, String, Sent)> {
    labels
        .into_iter()
        .zip(results)
        .map(|((id, code), sent)| (id, code, sent.unwrap_or(Sent::Cancelled)))
        .collect()
}

/// Sends each previewed change with the If-Match of its read.
pub async fn apply(rows: Vec<Previewed>, progress: Progress) -> Vec<(String, String, Sent)> {
    let labels: Vec<(String, String)> = rows
        .iter()
        .map(|row| (row.id.clone(), row.code()))
        .collect();
    let results = each(rows, progress, |row| async move {
        let (before, etag) = match row.read {
            Ok(read) => read,
            Err(error) => return Sent::Failed(error.to_string()),
        };
        match row.outcome {
            Some(Outcome::Changes { patch, .. }) => {
                match api::patch(&row.id, &patch, etag.as_deref()).await {
                    Ok(written) => Sent::Changed {
                        before: Box::new(before),
                        after: Box::new(written.hunt),
                        etag: written.etag,
                    },
                    Err(error) => Sent::of_error(error),
                }
            }
            Some(Outcome::Deletes) => match api::delete(&row.id, etag.as_deref()).await {
                Ok(()) => Sent::Deleted(Box::new(before)),
                Err(error) => Sent::of_error(error),
            },
            Some(Outcome::Refused(error)) => Sent::Refused(error.to_string()),
            Some(Outcome::Unchanged) | None => Sent::Unchanged,
        }
    })
    .await;
    labelled(labels, results)
}

/// What Undo does to one hunt.
enum Reversal {
    /// Patch it back from `after` (with its ETag) to `before`.
    Patch {
        before: Box<Hunt>,
        after: Box<Hunt>,
        etag: Option<String>,
    },
    /// Create it again, with its id and every field.
    Create(Box<Hunt>),
    /// Delete what an import created, if nobody changed it since.
    Delete(Box<Hunt>),
}

/// Puts each changed hunt back as it was before, if nobody changed it since.
pub async fn undo(
    sent: Vec<(String, String, Sent)>,
    progress: Progress,
) -> Vec<(String, String, Sent)> {
    let changed: Vec<(String, String, Reversal)> = sent
        .into_iter()
        .filter_map(|(id, code, sent)| match sent {
            Sent::Changed {
                before,
                after,
                etag,
            } => Some((
                id,
                code,
                Reversal::Patch {
                    before,
                    after,
                    etag,
                },
            )),
            Sent::Deleted(before) => Some((id, code, Reversal::Create(before))),
            Sent::Created(created) => Some((id, code, Reversal::Delete(created))),
            _ => None,
        })
        .collect();
    let labels: Vec<(String, String)> = changed
        .iter()
        .map(|(id, code, _)| (id.clone(), code.clone()))
        .collect();
    let results = each(changed, progress, |(id, _, reversal)| async move {
        match reversal {
            Reversal::Patch {
                before,
                after,
                etag,
            } => {
                let patch = merge_diff(&after.to_json(), &before.to_json());
                match api::patch(&id, &patch, etag.as_deref()).await {
                    Ok(written) => Sent::Changed {
                        before: after,
                        after: Box::new(written.hunt),
                        etag: written.etag,
                    },
                    Err(error) => Sent::of_error(error),
                }
            }
            // A hunt made meanwhile with its code or number is a 409: reported, not forced.
            Reversal::Create(hunt) => match api::create(&hunt.to_json()).await {
                Ok(created) => Sent::Changed {
                    before: hunt,
                    after: Box::new(created),
                    etag: None,
                },
                Err(error) => Sent::of_error(error),
            },
            // Read first for the ETag: a hunt changed since its import is reported, not deleted.
            Reversal::Delete(created) => match api::get(&id).await {
                Ok(read) if read.hunt == *created => {
                    match api::delete(&id, read.etag.as_deref()).await {
                        Ok(()) => Sent::Deleted(created),
                        Err(error) => Sent::of_error(error),
                    }
                }
                Ok(_) => Sent::Conflicted,
                Err(error) => Sent::of_error(error),
            },
        }
    })
    .await;
    labelled(labels, results)
}
