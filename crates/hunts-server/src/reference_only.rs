//! `--reference-only`: the server as a platform that offers what
//! `../shared/api/hunts-api-reference.txt` describes and none of the contract's extensions, for
//! trying the app next to such a platform (and for the browser tests that do). A layer in front
//! of the full server takes the extensions away: no `ETag` (and `If-Match` ignored), no
//! `X-Total-Count`, no `/rest/v1/session` (404), `resources.id` in a filter a 400 naming the
//! path, and an `id` in a create's body ignored or refused, as platforms differ there.

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
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

/// The reference-only platform, in front of `router`.
pub fn layer(router: Router, create_with_id: CreateWithId) -> Router {
    router.layer(axum::middleware::from_fn(
        move |request: Request, next: Next| answer(create_with_id, request, next),
    ))
}

fn refused(status: StatusCode, message: &str, field: Option<&str>) -> Response {
    let mut body = json!({"error_code": 1000 + status.as_u16(), "error_message": message});
    if let Some(field) = field {
        body["field"] = Value::from(field);
    }
    (status, axum::Json(body)).into_response()
}

async fn answer(create_with_id: CreateWithId, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if path == SESSION_PATH {
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
    if request.method() == Method::POST && path == HUNTS_PATH {
        request = match without_id(request, create_with_id).await {
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
