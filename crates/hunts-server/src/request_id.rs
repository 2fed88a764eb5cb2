//! Request ids: each request's log line names it (with method and path), and an error's body
//! carries it, so an administrator's report of an error finds its line in the server's log.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use hunts_model::{ErrorBody, REQUEST_ID_HEADER};
use tracing::Span;

use crate::error::ExactBody;

/// Gives a request without an id one (a proxy's is kept), in its `x-request-id`; `routes::finish`
/// sends it back in the answer's. A plain function, for tower's `MapRequest` layer: an axum
/// `from_fn` layer would clone the boxed service below it for every request.
pub fn assign(mut request: Request) -> Request {
    if !request.headers().contains_key(REQUEST_ID_HEADER) {
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let id = next_id().hyphenated().encode_lower(&mut text);
        let id = HeaderValue::from_str(id).expect("a UUID is a valid header value");
        request.headers_mut().insert(REQUEST_ID_HEADER, id);
    }
    request
}

/// A new request id: a UUID (version 4 in form) unique among this server's requests and, with
/// overwhelming likelihood, among those of other instances. An id only has to find a log line,
/// not to be unguessable, so it is not drawn from the operating system's random source (a
/// system call per request, 1-2% of the server's throughput): two random numbers drawn
/// once per process, each advanced by one per request and spread over its 64 bits by
/// SplitMix64's finaliser, a bijection: two requests of a process get the same id only if
/// their 128 bits differ in nothing but the six the UUID's version and variant take (for a
/// pair, about one chance in 2^58).
fn next_id() -> uuid::Uuid {
    use std::sync::LazyLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static START: LazyLock<[u64; 2]> = LazyLock::new(|| {
        let id = crate::secrets::new_uuid().as_u64_pair();
        [id.0, id.1]
    });
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let count = COUNT.fetch_add(1, Ordering::Relaxed);
    let [high, low] = START.map(|start| spread(start.wrapping_add(count)));
    let bytes = (u128::from(high) << 64 | u128::from(low)).to_be_bytes();
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// SplitMix64's finaliser: every bit of the result depends on every bit of `x`.
fn spread(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
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

/// Writes the request's id (`id`, the request's `x-request-id`) into the contract's error body
/// of an error answer.
pub async fn into_error_body(id: Option<&HeaderValue>, response: Response) -> Response {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_4_uuids_and_never_repeat_in_a_process() {
        let ids: std::collections::HashSet<uuid::Uuid> = (0..100_000).map(|_| next_id()).collect();
        assert_eq!(ids.len(), 100_000);
        assert!(
            ids.iter()
                .all(|id| id.get_version_num() == 4 && id.get_variant() == uuid::Variant::RFC4122)
        );
    }
}
