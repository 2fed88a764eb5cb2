//! The requests of an import: its dry run reads who holds the file's codes, phone numbers and
//! ids (a few list requests, each asking for many values at once) and each hunt it would update
//! (for its ETag); the model plans every record from that; then each write is sent, a few at a
//! time, creates as they are and updates with If-Match.

use std::collections::{BTreeSet, HashMap};

use hunts_model::import::{self, Holder, Plan, Record};
use hunts_model::{FieldPath, Filter, Hunt, ListQuery, Mask};
use serde_json::Value;

use crate::api::{self, ApiError};
use crate::components::many_hunts::runner::{self, Line, Progress, Sent};
use crate::routing;

/// Values asked for in one list request: a URL far below any server's limit.
const VALUES_PER_REQUEST: usize = 40;

/// One record of the file and what the import will do with it.
#[derive(Clone, Debug)]
pub struct Planned {
    pub number: usize,
    pub code: String,
    pub plan: Plan,
    /// The ETag of the hunt an update was planned on.
    pub etag: Option<String>,
}

impl Planned {
    /// The code the file gives the hunt, or where it is in the file when it gives none.
    pub fn label(&self) -> String {
        if self.code.is_empty() {
            format!("hunt {} of the file", self.number)
        } else {
            self.code.clone()
        }
    }
}

/// Every record planned against the server as it is now; nothing is written.
pub async fn dry_run(records: Vec<Record>, progress: Progress) -> Result<Vec<Planned>, ApiError> {
    let holders = holders_of(&records, progress).await?;
    let codes: BTreeSet<&str> = records.iter().filter_map(Record::code).collect();
    let matched: Vec<String> = holders
        .iter()
        .filter(|holder| codes.contains(holder.code.as_str()))
        .map(|holder| holder.id.clone())
        .collect();
    let reads = runner::each(matched, progress, |id| async move { api::get(&id).await }).await;
    let mut by_code = HashMap::new();
    let mut etags = HashMap::new();
    for read in reads {
        let fetched = read.ok_or_else(cancelled)??;
        etags.insert(fetched.hunt.code.clone(), fetched.etag);
        by_code.insert(fetched.hunt.code.clone(), fetched.hunt);
    }
    let plans = import::plan(&records, &by_code, &holders);
    Ok(records
        .iter()
        .zip(plans)
        .map(|(record, plan)| {
            // A refused record is still called by the code it gives, if it gives one.
            let code = record.label.clone().unwrap_or_default();
            Planned {
                number: record.number,
                etag: etags.get(&code).cloned().flatten(),
                code,
                plan,
            }
        })
        .collect())
}

/// A routing fault the import would leave (`hunts_model::routing`): its words, and the numbers
/// of the file's records it concerns.
pub type RoutingFault = (String, Vec<usize>);

/// The loops and dead ends the import would leave that concern the file's hunts, as the hunts
/// would be after it (a file can make a loop across two of its own rows): the rules run over
/// those hunts and the server's hunts around them.
pub async fn routing_faults(rows: &[Planned]) -> Result<Vec<RoutingFault>, ApiError> {
    let mut numbers = Vec::new();
    let mut after = Vec::new();
    for row in rows {
        let hunt = match &row.plan {
            // A new hunt without an id of the file's is still one hunt of the graph.
            Plan::Create { hunt, .. } if hunt.id.is_empty() => Hunt {
                id: format!("(record {})", row.number),
                ..(**hunt).clone()
            },
            Plan::Create { hunt, .. } => (**hunt).clone(),
            Plan::Update { after, .. } => (**after).clone(),
            _ => continue,
        };
        numbers.push(row.number);
        after.push(hunt);
    }
    if after.is_empty() {
        return Ok(Vec::new());
    }
    let graph = routing::around_all(after).await?;
    Ok(graph
        .findings()
        .iter()
        .filter(|finding| finding.is_fault())
        .filter_map(|finding| {
            let records: Vec<usize> = finding
                .hunts()
                .into_iter()
                .filter_map(|index| numbers.get(index).copied())
                .collect();
            (!records.is_empty()).then(|| (graph.describe(finding), records))
        })
        .collect())
}

fn cancelled() -> ApiError {
    ApiError::Network("cancelled".to_owned())
}

/// The server's hunts holding any code, phone number or id the file gives.
async fn holders_of(records: &[Record], progress: Progress) -> Result<Vec<Holder>, ApiError> {
    let mut asks: Vec<(FieldPath, Vec<Value>)> = Vec::new();
    for field in ["code", "phonenumber", "id"] {
        let path = FieldPath::lookup(field).expect("a field of the catalog");
        let values: BTreeSet<&str> = records
            .iter()
            .filter_map(|record| record.text(field))
            .filter(|value| !value.is_empty() && (field != "id" || hunts_model::is_uuid(value)))
            .collect();
        let values: Vec<Value> = values.into_iter().map(Value::from).collect();
        for chunk in values.chunks(VALUES_PER_REQUEST) {
            asks.push((path, chunk.to_vec()));
        }
    }
    let mask = Mask::new(
        ["id", "code", "phonenumber"]
            .into_iter()
            .filter_map(FieldPath::lookup),
    );
    let pages = runner::each(asks, progress, |(path, values)| {
        let mask = mask.clone();
        async move {
            let filter = Filter::default()
                .with(path, values)
                .map_err(|error| ApiError::Unreadable(error.to_string()))?;
            let query = ListQuery {
                mask,
                filter,
                flat: true,
                ..ListQuery::default()
            };
            api::list(&query).await
        }
    })
    .await;
    let mut holders: Vec<Holder> = Vec::new();
    // A hunt may hold a code, a phone number and an id of the file: listed once.
    let mut listed: BTreeSet<String> = BTreeSet::new();
    for page in pages {
        for row in page.ok_or_else(cancelled)??.rows {
            let text = |field: &str| {
                row.get(field)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let holder = Holder {
                id: text("id"),
                code: text("code"),
                phonenumber: text("phonenumber"),
            };
            if listed.insert(holder.id.clone()) {
                holders.push(holder);
            }
        }
    }
    Ok(holders)
}

/// Sends each planned write; what was not to be written is in the report as it was planned.
pub async fn apply(planned: Vec<Planned>, progress: Progress) -> Vec<Line> {
    let labels: Vec<(String, String)> = planned
        .iter()
        .map(|row| {
            let id = match &row.plan {
                Plan::Update { before, .. } => before.id.clone(),
                _ => String::new(),
            };
            (id, row.label())
        })
        .collect();
    let change_set = api::new_change_set("import");
    let results = runner::each(planned, progress, |row| {
        api::as_part_of(change_set.clone(), async move {
            match row.plan {
                // With the file's id where it gives one and the platform takes it (see
                // `api::create_with_its_id`).
                Plan::Create { body, .. } => match api::create_with_its_id(body).await {
                    Ok(created) => Sent::Created {
                        new_id: !created.same_id,
                        hunt: Box::new(created.hunt),
                    },
                    Err(error) => Sent::of_error(error),
                },
                Plan::Update { before, patch, .. } => {
                    let read = before.clone();
                    let still = move |now: &Hunt| *now == *read;
                    match api::patch_if(&before.id, &patch, row.etag.as_deref(), &still).await {
                        Ok(written) => Sent::Changed {
                            before,
                            after: Box::new(written.hunt),
                            patch,
                            etag: written.etag,
                        },
                        Err(error) => Sent::of_error(error),
                    }
                }
                Plan::Unchanged => Sent::Unchanged,
                Plan::Refused(refusal) => Sent::Refused(refusal.message),
            }
        })
    })
    .await;
    // A created hunt's id is known once it is made: its report row links to it.
    runner::labelled(labels, results)
        .into_iter()
        .map(|line| match &line.sent {
            Sent::Created { hunt, .. } => Line {
                id: hunt.id.clone(),
                ..line
            },
            _ => line,
        })
        .collect()
}
