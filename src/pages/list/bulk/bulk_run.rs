//! The bulk change's two steps: reading each selected hunt for the preview (with what the change
//! does to it), then sending each one's patch with the If-Match of the preview's read.

use hunts_model::Hunt;
use hunts_model::bulk::{BulkChange, Outcome};

use crate::api::{self, ApiError};
use crate::components::many_hunts::runner::{Line, Progress, Sent, each, labelled};

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

/// Sends each previewed change with the If-Match of its read.
pub async fn apply(rows: Vec<Previewed>, progress: Progress) -> Vec<Line> {
    let labels: Vec<(String, String)> = rows
        .iter()
        .map(|row| (row.id.clone(), row.code()))
        .collect();
    let change_set = api::new_change_set("bulk");
    let results = each(rows, progress, |row| {
        api::as_part_of(change_set.clone(), async move {
            let (before, etag) = match row.read {
                Ok(read) => read,
                Err(error) => return Sent::Failed(error.to_string()),
            };
            match row.outcome {
                // Where the platform has no ETag, the hunt is read again first: as previewed, or
                // it is reported as conflicted (see `api::guard`).
                Some(Outcome::Changes { patch, .. }) => {
                    match api::patch_if(&row.id, &patch, etag.as_deref(), &|now| *now == before)
                        .await
                    {
                        Ok(written) => Sent::Changed {
                            before: Box::new(before),
                            after: Box::new(written.hunt),
                            patch,
                            etag: written.etag,
                        },
                        Err(error) => match Sent::of_error(error) {
                            Sent::Failed(why) => Sent::Unanswered {
                                why,
                                before: Box::new(before),
                                patch,
                            },
                            sent => sent,
                        },
                    }
                }
                Some(Outcome::Deletes) => {
                    match api::delete_if(&row.id, etag.as_deref(), &|now| *now == before).await {
                        Ok(()) => Sent::Deleted(Box::new(before)),
                        Err(error) => Sent::of_error(error),
                    }
                }
                Some(Outcome::Refused(error)) => Sent::Refused(error.in_words()),
                Some(Outcome::Unchanged) | None => Sent::Unchanged,
            }
        })
    })
    .await;
    labelled(labels, results)
}
