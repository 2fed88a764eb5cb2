//! The API's handlers, one per operation of the contract.

use std::sync::Arc;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, Path, Query, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt, stream};
use hunts_model::history::HistoryQuery;
use hunts_model::{Hunt, ItemQuery, ListQuery, Mask, ModelError, flatten};
use serde_json::Value;
use tokio::sync::mpsc;

use crate::error::ApiError;
use crate::extract::{IfMatch, JsonBody, WriteOrigin};
use crate::page_cache::{CachedPage, PageCache};
use crate::store::{HistoryPage, RenderRow, Store, StoreError, Stored};

type Pairs = Vec<(String, String)>;

/// The extension header carrying the number of hunts that match a list's filter.
pub const TOTAL_COUNT: HeaderName = HeaderName::from_static(hunts_model::TOTAL_COUNT_HEADER);

fn query_pairs(query: Result<Query<Pairs>, QueryRejection>) -> Result<Pairs, ApiError> {
    query.map(|Query(pairs)| pairs).map_err(|rejection| {
        ApiError::Invalid(ModelError::BadParameter {
            param: "query",
            reason: rejection.body_text(),
        })
    })
}

fn shape(hunt: &Hunt, mask: &Mask, flat: bool) -> Value {
    flat_if(mask.apply(&hunt.to_json()), flat)
}

/// A masked hunt as asked for: nested, or with dotted keys (`flat`).
fn flat_if(masked: Value, flat: bool) -> Value {
    if flat { flatten(&masked) } else { masked }
}

pub async fn list(
    State(store): State<Store>,
    State(pages): State<Arc<PageCache>>,
    RawQuery(raw_query): RawQuery,
    query: Result<Query<Pairs>, QueryRejection>,
) -> Result<Response, ApiError> {
    let raw_query = raw_query.unwrap_or_default();
    // A remembered answer is served only while no write has committed since it was made,
    // through this instance or any other (`generation_now`: one read on PostgreSQL).
    let generation = store.generation_now().await?;
    if let Some(page) = pages.get(&raw_query, generation) {
        return Ok(list_answer(page.total, Body::from(page.body)));
    }
    let pairs = query_pairs(query)?;
    let query = ListQuery::from_pairs(pairs)?;
    let mask = query.mask.clone().unwrap_or_else(Mask::list_default);
    let flat = query.flat;
    // Each stored body is read as plain JSON (not into a `Hunt` and back), only the members the
    // mask reaches into values, masked and written straight into the answer, on the store's
    // blocking thread.
    let render: RenderRow = Box::new(move |index, body, out| {
        if index > 0 {
            out.push(b',');
        }
        let masked = mask
            .apply_to_text(body)
            .map_err(|error| error.to_string())?;
        serde_json::to_writer(&mut *out, &flat_if(masked, flat)).map_err(|error| error.to_string())
    });
    let listing = store.list(query, render).await?;
    let body = match list_body(listing.chunks).await? {
        ListBody::Whole(bytes) => {
            let page = CachedPage {
                total: listing.total,
                body: bytes.clone(),
            };
            pages.put(raw_query, listing.made_at.unwrap_or(generation), page);
            Body::from(bytes)
        }
        ListBody::Streamed(body) => body,
    };
    Ok(list_answer(listing.total, body))
}

fn list_answer(total: u64, body: Body) -> Response {
    (
        [
            (TOTAL_COUNT, total.to_string()),
            (header::CONTENT_TYPE, JSON_UTF8.to_owned()),
        ],
        body,
    )
        .into_response()
}

enum ListBody {
    Whole(Bytes),
    Streamed(Body),
}

const JSON_UTF8: &str = "application/json; charset=utf-8";

/// A page that fits in one chunk goes out whole, with its length; a longer one streams, so a
/// list of every hunt never sits in memory at once. An error before the first chunk is an
/// error answer; one later cuts the connection, so a client never takes a short list for whole.
async fn list_body(
    mut chunks: mpsc::Receiver<Result<Vec<u8>, StoreError>>,
) -> Result<ListBody, ApiError> {
    let Some(first) = chunks.recv().await.transpose()? else {
        return Ok(ListBody::Whole(Bytes::from_static(b"[]")));
    };
    let mut head = Vec::with_capacity(first.len() + 2);
    head.push(b'[');
    head.extend_from_slice(&first);
    let Some(second) = chunks.recv().await else {
        head.push(b']');
        return Ok(ListBody::Whole(Bytes::from(head)));
    };
    let rest = stream::unfold(chunks, |mut chunks| async move {
        chunks.recv().await.map(|chunk| (chunk, chunks))
    });
    let parts = stream::iter([Ok(head), second])
        .chain(rest)
        .chain(stream::iter([Ok(b"]".to_vec())]))
        .map(|part| part.map(Bytes::from));
    Ok(ListBody::Streamed(Body::from_stream(parts)))
}

pub async fn get_one(
    State(store): State<Store>,
    Path(id): Path<String>,
    query: Result<Query<Pairs>, QueryRejection>,
) -> Result<Response, ApiError> {
    let pairs = query_pairs(query)?;
    let query = ItemQuery::from_pairs(pairs)?;
    let stored = store.get(id).await?;
    let body = match &query.mask {
        Some(mask) => shape(&stored.hunt, mask, query.flat),
        None if query.flat => flatten(&stored.hunt.to_json()),
        None => stored.hunt.to_json(),
    };
    Ok(with_etag(&stored.etag, Json(body)))
}

pub async fn create(
    State(store): State<Store>,
    WriteOrigin(origin): WriteOrigin,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let mut hunt = Hunt::from_input(&body)?;
    // The contract's extension: a create with an id (a restore) may keep its created time.
    if !hunt.id.is_empty()
        && let Some(created) = body.pointer("/ext/ct")
    {
        hunt.ext.ct = created_time(created)?;
    }
    let stored = store.create_as(origin, hunt).await?;
    Ok(whole(stored))
}

/// An `ext.ct` given with a create, as the server writes timestamps (RFC 3339, UTC,
/// milliseconds); anything else is a 400 naming the field.
fn created_time(given: &Value) -> Result<String, ApiError> {
    let refused = || {
        ApiError::Invalid(hunts_model::ModelError::WrongType {
            field: "ext.ct".to_owned(),
            expected: "an RFC 3339 timestamp",
        })
    };
    let time = given
        .as_str()
        .and_then(|text| humantime::parse_rfc3339(text).ok())
        .ok_or_else(refused)?;
    Ok(humantime::format_rfc3339_millis(time).to_string())
}

pub async fn patch(
    State(store): State<Store>,
    Path(id): Path<String>,
    if_match: IfMatch,
    WriteOrigin(origin): WriteOrigin,
    JsonBody(patch): JsonBody,
) -> Result<Response, ApiError> {
    // A patch that no hunt could take is refused as such, before If-Match is looked at: a bad
    // body is a 400 whatever version it names.
    hunts_model::check_patch(&id, &patch)?;
    // What check_patch let through and the hunt still refuses depends on the hunt's state.
    let stored = store
        .update_as(origin, id, if_match.precondition(), move |hunt| {
            hunt.patched(&patch)
        })
        .await
        .map_err(|error| match error {
            StoreError::Refused(error) => ApiError::PatchConflict(error),
            other => ApiError::from(other),
        })?;
    Ok(whole(stored))
}

pub async fn delete(
    State(store): State<Store>,
    Path(id): Path<String>,
    if_match: IfMatch,
    WriteOrigin(origin): WriteOrigin,
) -> Result<StatusCode, ApiError> {
    store.delete_as(origin, id, if_match.precondition()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The collection path's other methods: `LOOKUP` (which axum has no filter for), else 405.
/// A hunt's revisions, newest first; 404 for an id with no history (never a hunt, or all of
/// it expired).
pub async fn hunt_history(
    State(store): State<Store>,
    Path(id): Path<String>,
    query: Result<Query<Pairs>, QueryRejection>,
) -> Result<Response, ApiError> {
    if !store.keeps_history() {
        return Err(ApiError::NoSuchPath);
    }
    let mut query = HistoryQuery::from_pairs(query_pairs(query)?, true)?;
    query.id = Some(id.clone());
    let page = store.history(query).await?;
    if page.total == 0 {
        return Err(StoreError::NotFound(id).into());
    }
    Ok(history_answer(page))
}

/// Revisions across all hunts, newest first.
pub async fn history(
    State(store): State<Store>,
    query: Result<Query<Pairs>, QueryRejection>,
) -> Result<Response, ApiError> {
    if !store.keeps_history() {
        return Err(ApiError::NoSuchPath);
    }
    let query = HistoryQuery::from_pairs(query_pairs(query)?, false)?;
    Ok(history_answer(store.history(query).await?))
}

fn history_answer(page: HistoryPage) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(TOTAL_COUNT, HeaderValue::from(page.total));
    (headers, Json(page.revisions)).into_response()
}

pub async fn collection_other(
    State(store): State<Store>,
    request: Request,
) -> Result<Response, ApiError> {
    if request.method().as_str() != hunts_model::LOOKUP_METHOD {
        return Err(ApiError::MethodNotAllowed {
            method: request.method().to_string(),
            allow: "GET, POST, LOOKUP",
        });
    }
    let JsonBody(body) = JsonBody::from_request(request, &store).await?;
    let Value::String(key) = body else {
        return Err(ApiError::LookupNotAString);
    };
    let ids = store.lookup(key).await?;
    if ids.is_empty() {
        return Err(ApiError::LookupFailed);
    }
    Ok(Json(ids).into_response())
}

pub async fn item_other(method: Method) -> ApiError {
    ApiError::MethodNotAllowed {
        method: method.to_string(),
        allow: "GET, PATCH, DELETE",
    }
}

pub async fn no_such_path() -> ApiError {
    ApiError::NoSuchPath
}

fn whole(stored: Stored) -> Response {
    with_etag(&stored.etag, Json(stored.hunt.to_json()))
}

fn with_etag(etag: &str, body: impl IntoResponse) -> Response {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    (headers, body).into_response()
}
