//! The routing check extension (`GET /rest/v1/uc/routing`): every loop, dead end, transfer that
//! never fires and way out of the hunts, across all hunts, as `hunts_model::routing` finds them
//! (`Graph::report`). The app asks for it first and reads every hunt itself where a platform
//! has no such path; the answer is the same either way.
//!
//! Each hunt's stored body is read into the few fields the rules need (a `Node`, not a `Hunt`:
//! 100,000 of them hold a few tens of MB, not a hundred). One check runs at a time, and its
//! answer is remembered until the next write: admins asking together wait for the same one.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use hunts_model::routing::{Graph, Node};
use hunts_model::{ListQuery, ModelError};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex, PoisonError};

use crate::error::ApiError;
use crate::store::{RenderRow, Store, StoreError};

/// The last answer, with the write generation it was read at.
#[derive(Default)]
pub struct RoutingCheck {
    last: tokio::sync::Mutex<Option<(u64, Bytes)>>,
}

pub async fn answer(
    State(store): State<Store>,
    State(check): State<Arc<RoutingCheck>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    if let Some(query) = query.filter(|query| !query.is_empty()) {
        return Err(ApiError::Invalid(ModelError::BadParameter {
            param: "query",
            reason: format!("the routing check takes no parameters; {query:?} was given"),
        }));
    }
    let generation = store.generation_now().await?;
    let mut last = check.last.lock().await;
    let body = match &*last {
        Some((made_at, body)) if *made_at == generation => body.clone(),
        _ => {
            let (made_at, nodes) = read_nodes(&store, generation).await?;
            let body = tokio::task::spawn_blocking(move || answer_body(&Graph::of(nodes)))
                .await
                .map_err(|error| ApiError::Internal(error.to_string()))?;
            *last = Some((made_at, body.clone()));
            body
        }
    };
    Ok((
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response())
}

/// The answer: how many hunts were checked, and the model's report of every finding.
fn answer_body(graph: &Graph) -> Bytes {
    let findings: Vec<Value> = graph
        .report()
        .into_iter()
        .map(|reported| {
            let hunts: Vec<Value> = reported
                .hunts
                .into_iter()
                .map(|(id, code)| json!({"id": id, "code": code}))
                .collect();
            json!({"kind": reported.kind, "words": reported.words, "hunts": hunts})
        })
        .collect();
    let answer = json!({"checked": graph.hunts.len(), "findings": findings});
    Bytes::from(answer.to_string())
}

/// Every hunt's routing fields, in the list's default order (the order the app reads them in
/// where it checks by itself), with the generation they were read at.
async fn read_nodes(store: &Store, generation: u64) -> Result<(u64, Vec<Node>), ApiError> {
    let nodes = Arc::new(Mutex::new(Vec::new()));
    let into = nodes.clone();
    let render: RenderRow = Box::new(move |_, body, _| {
        let routed: Routed = serde_json::from_str(body).map_err(|error| error.to_string())?;
        into.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(routed.into());
        Ok(())
    });
    let mut listing = store.list(ListQuery::default(), render).await?;
    while let Some(chunk) = listing.chunks.recv().await {
        chunk.map_err(|error: StoreError| ApiError::from(error))?;
    }
    let nodes = std::mem::take(&mut *nodes.lock().unwrap_or_else(PoisonError::into_inner));
    Ok((listing.made_at.unwrap_or(generation), nodes))
}

/// A stored hunt as the rules read it; every other member is skipped unread.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Routed {
    id: String,
    code: String,
    phonenumber: String,
    timeout: u32,
    timeouttrannumber: String,
    maxattempts: u32,
    maxattemptstrannumber: String,
    huntblock: Block,
    resources: Vec<serde::de::IgnoredAny>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Block {
    enabled: bool,
}

impl From<Routed> for Node {
    fn from(hunt: Routed) -> Node {
        Node {
            id: hunt.id,
            code: hunt.code,
            phonenumber: hunt.phonenumber,
            timeout: hunt.timeout,
            timeouttrannumber: hunt.timeouttrannumber,
            maxattempts: hunt.maxattempts,
            maxattemptstrannumber: hunt.maxattemptstrannumber,
            blocked: hunt.huntblock.enabled,
            rings: !hunt.resources.is_empty(),
        }
    }
}
