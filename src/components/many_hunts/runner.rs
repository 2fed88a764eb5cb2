//! Work on many hunts, a few at a time (`each`), with its progress and Cancel; what became of
//! each hunt (`Line`, `Sent`); and the Undo of any such work, guarded as every write is.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use futures::StreamExt;
use hunts_model::{Hunt, reverse_patch};
use leptos::prelude::*;
use serde_json::Value;

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

    pub fn start(self, total: usize) {
        self.done.set(0);
        self.total.set(total);
        self.cancelled.set(false);
    }
}

/// Runs `job` on every item, `AT_ONCE` at a time, in order; `None` for what Cancel stopped.
/// Each job is boxed, so the stream that runs them exists once in the wasm, not once for each
/// kind of job (reads, writes, Undo, the import's steps).
pub async fn each<I, T, F>(
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

/// One hunt's result in a run, an import or an undo: its id (empty for a hunt an import could
/// not create), the code it is shown by, and what became of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub id: String,
    pub code: String,
    pub sent: Sent,
}

/// What became of one hunt when the change was sent (or undone).
#[derive(Clone, Debug, PartialEq)]
pub enum Sent {
    /// Written; the hunt before and after, the patch sent and the new ETag, for Undo (which
    /// puts back only the fields the patch touched).
    Changed {
        before: Box<Hunt>,
        after: Box<Hunt>,
        patch: Value,
        etag: Option<String>,
    },
    /// Deleted; the hunt as it was, for Undo (which creates it again).
    Deleted(Box<Hunt>),
    /// Created (by an import); as the server made it, for Undo (which deletes it if unchanged).
    /// `new_id`: the file gave an id, and the platform, which keeps none, gave another.
    Created {
        hunt: Box<Hunt>,
        new_id: bool,
    },
    /// Created again by an Undo of its delete; as the server made it, as for `Created`.
    /// `new_id`: the platform keeps no ids, so it is back under a new one.
    Restored {
        hunt: Box<Hunt>,
        new_id: bool,
    },
    Unchanged,
    /// The server refused it, saying why.
    Refused(String),
    /// Someone changed the hunt after it was read: left as they wrote it.
    Conflicted,
    /// No answer (the network, the server): it may be tried again.
    Failed(String),
    /// A change sent that got no answer: the server may have written it before it went. Kept
    /// with the hunt as read and the patch, so that a retry that finds the change already in
    /// place counts it as changed by the run (and its Undo puts it back; see `merged`).
    Unanswered {
        why: String,
        before: Box<Hunt>,
        patch: Value,
    },
    /// Cancel came before it was sent.
    Cancelled,
}

impl Sent {
    pub fn of_error(error: ApiError) -> Sent {
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
            Sent::Created { new_id: false, .. } => "created".to_owned(),
            Sent::Created { new_id: true, .. } => {
                "created under a new id (this platform does not take the file's id)".to_owned()
            }
            Sent::Restored { new_id: false, .. } => "restored".to_owned(),
            Sent::Restored { new_id: true, .. } => {
                "restored under a new id (this platform does not keep ids: links and \
                 references to the old id no longer lead to it)"
                    .to_owned()
            }
            Sent::Unchanged => "nothing to change".to_owned(),
            Sent::Refused(why) => format!("refused: {why}"),
            Sent::Conflicted => "not changed: someone else changed it after it was read".to_owned(),
            Sent::Failed(why) | Sent::Unanswered { why, .. } => format!("not changed: {why}"),
            Sent::Cancelled => "not sent (cancelled)".to_owned(),
        }
    }

    /// Written, so Undo has something to put back.
    pub fn undoable(&self) -> bool {
        matches!(
            self,
            Sent::Changed { .. } | Sent::Deleted(_) | Sent::Created { .. } | Sent::Restored { .. }
        )
    }

    /// Worth another try, after a fresh preview.
    pub fn may_retry(&self) -> bool {
        matches!(
            self,
            Sent::Conflicted | Sent::Failed(_) | Sent::Unanswered { .. } | Sent::Cancelled
        )
    }

    /// Worth sending again as it was (an Undo that got no answer or was cancelled: what it
    /// puts back has not changed; one that met someone else's change is left to them).
    pub fn may_resend(&self) -> bool {
        matches!(self, Sent::Failed(_) | Sent::Cancelled)
    }
}

/// Each hunt's result beside its id and code; what Cancel stopped is `Cancelled`.
pub fn labelled(labels: Vec<(String, String)>, results: Vec<Option<Sent>>) -> Vec<Line> {
    labels
        .into_iter()
        .zip(results)
        .map(|((id, code), sent)| Line {
            id,
            code,
            sent: sent.unwrap_or(Sent::Cancelled),
        })
        .collect()
}

/// A run as a whole after part of it was sent again: `earlier`, each hunt's line replaced by
/// its line in `later` where it has one. So a report, and its Undo, cover every hunt the run
/// changed across its retries.
///
/// A change that got no answer and that the retry finds already in place ("nothing to change")
/// was written by the run: it is counted as changed, and its Undo (guarded by a read, as it has
/// no ETag) puts it back.
pub fn merged(earlier: Vec<Line>, later: Vec<Line>) -> Vec<Line> {
    let mut later: std::collections::HashMap<String, Line> = later
        .into_iter()
        .map(|line| (line.id.clone(), line))
        .collect();
    earlier
        .into_iter()
        .map(|line| match later.remove(&line.id) {
            None => line,
            Some(again) => match (line.sent, again.sent) {
                (Sent::Unanswered { before, patch, .. }, Sent::Unchanged) => {
                    let after = before.patched(&patch).unwrap_or_else(|_| (*before).clone());
                    Line {
                        sent: Sent::Changed {
                            before,
                            after: Box::new(after),
                            patch,
                            etag: None,
                        },
                        ..again
                    }
                }
                (_, sent) => Line { sent, ..again },
            },
        })
        .collect()
}

/// Puts each hunt the lines changed back as it was, if nobody changed it since; each result is
/// itself undoable (an Undo can be undone).
pub async fn undo(lines: Vec<Line>, progress: Progress) -> Vec<Line> {
    let undoable: Vec<Line> = lines
        .into_iter()
        .filter(|line| line.sent.undoable())
        .collect();
    let labels: Vec<(String, String)> = undoable
        .iter()
        .map(|line| (line.id.clone(), line.code.clone()))
        .collect();
    let change_set = api::new_change_set("undo");
    let results = each(undoable, progress, |line| {
        api::as_part_of(change_set.clone(), async move {
            let id = line.id;
            match line.sent {
                // Only the fields the change wrote go back, to their values before it.
                Sent::Changed {
                    before,
                    after,
                    patch,
                    etag,
                } => {
                    let reverse = reverse_patch(&patch, &before.to_json());
                    // Skipped (conflicted) where someone changed a field the change touched since.
                    let touched = |hunt: &Hunt| reverse_patch(&patch, &hunt.to_json());
                    let untouched_since = |now: &Hunt| touched(now) == touched(&after);
                    match api::patch_if(&id, &reverse, etag.as_deref(), &untouched_since).await {
                        Ok(written) => Sent::Changed {
                            before: after,
                            after: Box::new(written.hunt),
                            patch: reverse,
                            etag: written.etag,
                        },
                        Err(error) => Sent::of_error(error),
                    }
                }
                // Created again with its id and every field, its created time included (under a
                // new id where the platform keeps none, said so). A hunt made meanwhile with its
                // code or number is a 409: reported, not forced.
                Sent::Deleted(hunt) => match api::restore(&hunt).await {
                    Ok(restored) => Sent::Restored {
                        hunt: Box::new(restored.hunt),
                        new_id: !restored.same_id,
                    },
                    Err(error) => Sent::of_error(error),
                },
                // Read first for the ETag: a hunt changed since it was made is reported, not deleted.
                Sent::Created { hunt: created, .. } | Sent::Restored { hunt: created, .. } => {
                    match api::get(&id).await {
                        Ok(read) if read.hunt == *created => {
                            match api::delete(&id, read.etag.as_deref()).await {
                                Ok(()) => Sent::Deleted(created),
                                Err(error) => Sent::of_error(error),
                            }
                        }
                        Ok(_) => Sent::Conflicted,
                        Err(error) => Sent::of_error(error),
                    }
                }
                other => other,
            }
        })
    })
    .await;
    // A hunt back under a new id is linked where it now is.
    labelled(labels, results)
        .into_iter()
        .map(|line| match &line.sent {
            Sent::Restored { hunt, .. } if hunt.id != line.id => Line {
                id: hunt.id.clone(),
                ..line
            },
            _ => line,
        })
        .collect()
}

/// An undo of `asked`, or, after one that came to `earlier`, of what it has still to send; its
/// lines cover all of `asked` either way.
pub async fn undo_again(
    asked: &[Line],
    earlier: Option<Vec<Line>>,
    progress: Progress,
) -> Vec<Line> {
    match earlier {
        None => undo(asked.to_vec(), progress).await,
        Some(earlier) => {
            let lines = undo(to_resend(asked, &earlier), progress).await;
            merged(earlier, lines)
        }
    }
}

/// What of `asked` an undo that came to `done` has still to send: each line whose undo got no
/// answer or was cancelled, as it was first asked.
pub fn to_resend(asked: &[Line], done: &[Line]) -> Vec<Line> {
    let again: std::collections::HashSet<&str> = done
        .iter()
        .filter(|line| line.sent.may_resend())
        .map(|line| line.id.as_str())
        .collect();
    asked
        .iter()
        .filter(|line| again.contains(line.id.as_str()))
        .cloned()
        .collect()
}
