//! `--reference-only`: the server as a platform that offers what
//! `../shared/api/hunts-api-reference.txt` describes and none of the contract's extensions, for
//! trying the app next to such a platform (and for the browser tests that do). A layer in front
//! of the full server takes the extensions away: no `ETag` (and `If-Match` ignored), no
//! `X-Total-Count`, no `/rest/v1/session`, no history and no routing check (404), `resources.id` in a filter a 400 naming the
//! path, and an `id` in a create's body ignored or refused, as platforms differ there; with
//! strict masks, a list's `mask` limited to the reference's "available fields for output"
//! (no `resources`, scripts or `opts.comment`).

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hunts_model::history::{HISTORY_PATH, HUNT_HISTORY_SEGMENT};
use hunts_model::routing::ROUTING_PATH;
use hunts_model::{SESSION_PATH, TOTAL_COUNT_HEADER};
use serde_json::{Value, json};

use crate::HUNTS_PATH;

/// What a platform does with an `id` in a create's body (the contract's create-with-id).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum CreateWithId {
    /// Takes no notice of it: the hunt gets an id of the platform's.
    #[default]
    Ignored,
    /// Answers 400.
    Refused,
}

/// Where reference-only platforms differ.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReferenceOnly {
    pub create_with_id: CreateWithId,
    /// A list's mask may name only the reference's fields for output.
    pub strict_masks: bool,
}

/// The reference's "available fields for output" of a list.
const OUTPUT_FIELDS: &[&str] = &[
    "id",
    "code",
    "phonenumber",
    "priority",
    "type",
    "strategy",
    "resmode",
    "objmode",
    "weight",
    "reslimit",
    "maxattempts",
    "maxattemptstrannumber",
    "resdialtimeout",
    "timeout",
    "timeouttrannumber",
    "displayname",
    "huntblock",
    "resbansec",
    "opts.title",
    "opts.exit_no_resource",
    "ext.lwt",
    "ext.ct",
];

/// The reference-only platform, in front of `router`.
pub fn layer(router: Router, platform: ReferenceOnly) -> Router {
    router.layer(axum::middleware::from_fn(
        move |request: Request, next: Next| answer(platform, request, next),
    ))
}

/// A path of a list's `mask` that the reference does not output, if one is named.
fn beyond_output(query: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|pair| pair.strip_prefix("mask="))
        .flat_map(|mask| {
            hunts_model::decode_component(mask)
                .split(',')
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .find(|path| !OUTPUT_FIELDS.contains(&path.as_str()))
}

fn refused(status: StatusCode, message: &str, field: Option<&str>) -> Response {
    let mut body = json!({"error_code": 1000 + status.as_u16(), "error_message": message});
    if let Some(field) = field {
        body["field"] = Value::from(field);
    }
    (status, axum::Json(body)).into_response()
}

async fn answer(platform: ReferenceOnly, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let history = path.starts_with(HISTORY_PATH)
        || (path.starts_with(HUNTS_PATH) && path.ends_with(&format!("/{HUNT_HISTORY_SEGMENT}")))
        // No live changes either: there, `events` is just an id no hunt has.
        || path == format!("{HUNTS_PATH}/{}", crate::events::EVENTS_SEGMENT);
    if path == SESSION_PATH || path == ROUTING_PATH || history {
        return refused(StatusCode::NOT_FOUND, "Lookup failed", None);
    }
    if !path.starts_with(HUNTS_PATH) {
        return next.run(request).await;
    }
    request.headers_mut().remove(header::IF_MATCH);
    let query = request.uri().query().unwrap_or_default();
    if request.method() == Method::GET
        && path == HUNTS_PATH
        && hunts_model::decode_component(query).contains("\"resources.id\"")
    {
        return refused(
            StatusCode::BAD_REQUEST,
            "filter: unknown field resources.id",
            Some("resources.id"),
        );
    }
    if platform.strict_masks
        && request.method() == Method::GET
        && path == HUNTS_PATH
        && let Some(unknown) = beyond_output(query)
    {
        return refused(
            StatusCode::BAD_REQUEST,
            &format!("mask: unknown field {unknown}"),
            Some("mask"),
        );
    }
    if request.method() == Method::POST && path == HUNTS_PATH {
        request = match without_id(request, platform.create_with_id).await {
            Ok(request) => request,
            Err(response) => return response,
        };
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.remove(header::ETAG);
    headers.remove(TOTAL_COUNT_HEADER);
    response
}

/// A create's request without the `id` of its body (ignored), or the 400 that refuses it.
async fn without_id(request: Request, create_with_id: CreateWithId) -> Result<Request, Response> {
    let (mut parts, body) = request.into_parts();
    let bytes = to_bytes(body, 16 << 20)
        .await
        .map_err(|_| refused(StatusCode::PAYLOAD_TOO_LARGE, "body too large", None))?;
    let mut hunt = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(hunt)) if hunt.contains_key("id") => hunt,
        // Anything else is the server's to answer as it is.
        _ => return Ok(Request::from_parts(parts, Body::from(bytes))),
    };
    if create_with_id == CreateWithId::Refused {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "id: not allowed on create",
            Some("id"),
        ));
    }
    hunt.remove("id");
    hunt.remove("ext");
    let bytes = Value::Object(hunt).to_string();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    Ok(Request::from_parts(parts, Body::from(bytes)))
}
