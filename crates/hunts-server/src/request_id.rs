//! Request ids: each request's log line names it (with method and path), and an error's body
//! carries it, so an administrator's report of an error finds its line in the server's log.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use hunts_model::{ErrorBody, REQUEST_ID_HEADER};
use tracing::Span;

use crate::error::ExactBody;

/// Gives the request an id (or keeps the one a proxy gave it) and sends it back in the answer's
/// `x-request-id`. The ids are random UUIDs from the same source as secrets.
pub async fn assign(mut request: Request, next: Next) -> Response {
    let id = match request.headers().get(REQUEST_ID_HEADER) {
        Some(given) => given.clone(),
        None => {
            let made = crate::access::secrets::new_uuid().to_string();
            let made = HeaderValue::from_str(&made).expect("a UUID is a valid header value");
            request
                .headers_mut()
                .insert(REQUEST_ID_HEADER, made.clone());
            made
        }
    };
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .entry(REQUEST_ID_HEADER)
        .or_insert(id);
    response
}

/// The span each request's log line is written in.
pub fn span(request: &Request) -> Span {
    let id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|id| id.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        id,
    )
}

/// Error bodies are small; anything larger is left as it is.
const MAX_ERROR_BYTES: usize = 64 * 1024;

/// Writes the request's id into the contract's error body of an error answer.
pub async fn into_error_body(request: Request, next: Next) -> Response {
    let id = request.headers().get(REQUEST_ID_HEADER).cloned();
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    let Some(id) = id.and_then(|id| id.to_str().ok().map(str::to_owned)) else {
        return response;
    };
    let is_error = response.status().is_client_error() || response.status().is_server_error();
    if !is_error || !is_json || response.extensions().get::<ExactBody>().is_some() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BYTES).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let body = match serde_json::from_slice::<ErrorBody>(&bytes) {
        Ok(mut error) => {
            error.request_id = Some(id);
            serde_json::to_vec(&error).map_or(bytes, Into::into)
        }
        Err(_) => bytes,
    };
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    Response::from_parts(parts, Body::from(body))
}
