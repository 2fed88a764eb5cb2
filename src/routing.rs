//! Reading what the routing rules (`hunts_model::routing`) need from the server: the check
//! across all hunts (the server's answer, or every hunt's routing fields where it has none), or
//! one hunt's neighbourhood for its page (where its transfers lead, hop by hop, and which hunts
//! transfer to it).

use hunts_model::routing::{Finding, Graph, Node, Reported};
use hunts_model::{FieldPath, Filter, Hunt, ListQuery, Mask};
use serde_json::Value;

use crate::api::{self, ApiError};

/// The fields the rules read.
const ROUTING_FIELDS: [&str; 9] = [
    "id",
    "code",
    "phonenumber",
    "timeout",
    "timeouttrannumber",
    "maxattempts",
    "maxattemptstrannumber",
    "huntblock",
    "resources",
];

/// The hunts whose `field` is any of `values`, with their routing fields.
async fn having(field: &str, values: Vec<Value>) -> Result<Vec<Hunt>, ApiError> {
    let path = FieldPath::lookup(field).expect("a field of the catalog");
    let filter = Filter::default()
        .with(path, values)
        .map_err(|error| ApiError::Unreadable(error.to_string()))?;
    let query = ListQuery {
        mask: routing_mask(),
        filter,
        ..ListQuery::default()
    };
    api::hunts_of(api::whole_page(&query).await?.0)
}

/// Hops followed from a hunt at most: past them its page says the path goes on.
pub const MOST_HOPS: usize = 12;

fn routing_mask() -> Option<Mask> {
    Mask::new(
        ROUTING_FIELDS
            .iter()
            .filter_map(|name| FieldPath::lookup(name)),
    )
}

/// How many hunts were checked, and what the check found (`Graph::report`).
pub type Checked = (u64, Vec<Reported>);

/// The routing check across all hunts: the server's answer where it has the extension, else
/// every hunt's routing fields read a page at a time and checked here; `read` counts the hunts
/// read so far (for a progress bar).
pub async fn whole_report(read: impl Fn(usize, Option<u64>)) -> Result<Checked, ApiError> {
    if let Some(answer) = api::routing_report().await? {
        return Ok(read_answer(&answer));
    }
    const PAGE: u64 = 1000;
    // What the rules read of each hunt, kept as each page comes (the hunts themselves would
    // hold several times the memory at 100,000).
    let mut nodes: Vec<Node> = Vec::new();
    loop {
        let query = ListQuery {
            mask: routing_mask(),
            offset: nodes.len() as u64,
            limit: Some(PAGE),
            ..ListQuery::default()
        };
        let (rows, total) = api::whole_page(&query).await?;
        let count = rows.len() as u64;
        nodes.extend(api::hunts_of(rows)?.iter().map(Node::from));
        read(nodes.len(), total);
        if count < PAGE {
            return Ok((nodes.len() as u64, Graph::of(nodes).report()));
        }
    }
}

/// The server's answer in the model's form; a finding of a kind this app does not know (a
/// newer server's) is left out.
fn read_answer(answer: &Value) -> Checked {
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    fn items(value: &Value) -> &[Value] {
        value.as_array().map_or(&[], Vec::as_slice)
    }
    let mut findings = Vec::new();
    for finding in items(&answer["findings"]) {
        if let Some(kind) = Finding::KINDS
            .into_iter()
            .find(|kind| finding["kind"] == *kind)
        {
            findings.push(Reported {
                kind,
                words: text(&finding["words"]),
                hunts: items(&finding["hunts"])
                    .iter()
                    .map(|hunt| (text(&hunt["id"]), text(&hunt["code"])))
                    .collect(),
            });
        }
    }
    (answer["checked"].as_u64().unwrap_or_default(), findings)
}

/// Hunt `hunt` with the hunts its transfers reach (followed up to `MOST_HOPS`), and those that
/// transfer to it: enough for the rules to find every loop through it, and what its calls
/// meet. Its index in the graph is 0.
pub async fn around(hunt: Hunt) -> Result<Graph, ApiError> {
    around_all(vec![hunt]).await
}

/// `around` for several hunts at once (an import's hunts as it would leave them): they come
/// first in the graph, in their order, and stand for the server's hunts of the same ids.
pub async fn around_all(hunts: Vec<Hunt>) -> Result<Graph, ApiError> {
    // A few dozen hunts around each: a list.
    let mut known: Vec<Hunt> = hunts.clone();
    let mut looked_up: Vec<String> = Vec::new();
    let mut frontier = hunts.clone();
    for _ in 0..MOST_HOPS {
        let mut numbers: Vec<Value> = Vec::new();
        for number in frontier
            .iter()
            .flat_map(|hunt| [&hunt.timeouttrannumber, &hunt.maxattemptstrannumber])
        {
            if !number.is_empty() && !looked_up.contains(number) {
                looked_up.push(number.clone());
                numbers.push(Value::from(number.as_str()));
            }
        }
        if numbers.is_empty() {
            break;
        }
        let mut next = Vec::new();
        // Every hunt the numbers name, by phone number or code (the keys LOOKUP matches, asked
        // as filters, both at once: a number no hunt has is an empty list, not a 404), so the
        // rules pick the same one as across all hunts. A few dozen values per request keep
        // each address short.
        for chunk in numbers.chunks(40) {
            let (by_phone, by_code) = futures::future::join(
                having("phonenumber", chunk.to_vec()),
                having("code", chunk.to_vec()),
            )
            .await;
            for found in by_phone?.into_iter().chain(by_code?) {
                if add_new(&mut known, &found) {
                    next.push(found);
                }
            }
        }
        frontier = next;
    }
    // Those that transfer to them, by a phone number or a code of theirs.
    for source in senders_to(&hunts).await? {
        add_new(&mut known, &source);
    }
    Ok(Graph::new(known))
}

/// Adds `hunt` to `known` unless a hunt with its id is there; whether it was new.
fn add_new(known: &mut Vec<Hunt>, hunt: &Hunt) -> bool {
    let new = !known.iter().any(|seen| seen.id == hunt.id);
    if new {
        known.push(hunt.clone());
    }
    new
}

/// The hunts whose transfers can reach any of `hunts` (by a phone number or code of theirs),
/// with their routing fields: who overflows into hunts a change would block, empty or delete.
pub async fn senders_to(hunts: &[Hunt]) -> Result<Vec<Hunt>, ApiError> {
    let keys: Vec<Value> = hunts
        .iter()
        .flat_map(|hunt| [&hunt.phonenumber, &hunt.code])
        .filter(|key| !key.is_empty())
        .map(|key| Value::from(key.as_str()))
        .collect();
    let mut found: Vec<Hunt> = Vec::new();
    // A few dozen keys per request keep each address short.
    for chunk in keys.chunks(40) {
        for sender in transferring_to(chunk.to_vec()).await? {
            add_new(&mut found, &sender);
        }
    }
    Ok(found)
}

/// The hunts whose either transfer number is one of `keys`, both asked at once.
async fn transferring_to(keys: Vec<Value>) -> Result<Vec<Hunt>, ApiError> {
    let (on_timeout, on_attempts) = futures::future::join(
        having("timeouttrannumber", keys.clone()),
        having("maxattemptstrannumber", keys),
    )
    .await;
    Ok(on_timeout?.into_iter().chain(on_attempts?).collect())
}
