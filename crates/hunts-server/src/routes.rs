//! The router: the API under `/rest/v1/uc/hunts`, and the built app with its SPA fallback.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{FromRef, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use tower::util::MapRequestLayer;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use hunts_model::history::{HISTORY_PATH, HUNT_HISTORY_SEGMENT};
use hunts_model::routing::ROUTING_PATH;

use crate::access::{self, Access};
use crate::error::ApiError;
use crate::events::{self, EVENTS_SEGMENT, Events};
use crate::handlers;
use crate::page_cache::PageCache;
use crate::routing_check::{self, RoutingCheck};
use crate::store::Store;
use crate::{request_id, security_headers};

/// What the handlers share: the store, and the list answers remembered until the next write.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub pages: Arc<PageCache>,
    pub access: Arc<Access>,
    pub events: Events,
    pub routing: Arc<RoutingCheck>,
}

impl FromRef<AppState> for Arc<RoutingCheck> {
    fn from_ref(state: &AppState) -> Arc<RoutingCheck> {
        state.routing.clone()
    }
}

impl FromRef<AppState> for Events {
    fn from_ref(state: &AppState) -> Events {
        state.events.clone()
    }
}

impl FromRef<AppState> for Arc<Access> {
    fn from_ref(state: &AppState) -> Arc<Access> {
        state.access.clone()
    }
}

impl FromRef<AppState> for Store {
    fn from_ref(state: &AppState) -> Store {
        state.store.clone()
    }
}

impl FromRef<AppState> for Arc<PageCache> {
    fn from_ref(state: &AppState) -> Arc<PageCache> {
        state.pages.clone()
    }
}

pub use hunts_model::{HUNTS_PATH, SESSION_PATH};

const REQUEST_ID: HeaderName = HeaderName::from_static(hunts_model::REQUEST_ID_HEADER);

/// How long any one request may take to be answered (the body may stream on after).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// API answers smaller than this go out as they are: compressing them saves less than it costs.
const COMPRESS_ABOVE_BYTES: u16 = 2048;

/// The whole service with sign-in off (it answers loopback `Host` names only): what the tests of
/// the contract and the app start.
pub fn app(store: Store, dist: &Path) -> Router {
    let access = Access::open_on_loopback(store.clone());
    app_with_access(store, dist, access)
}

/// The whole service. `dist` is the app's built files: any GET that is neither an API path nor a
/// file there answers its `index.html`, so the app's own routes survive a reload. The build
/// leaves brotli and gzip copies beside each file, chosen by `Accept-Encoding`. `access` says
/// who may do what.
pub fn app_with_access(store: Store, dist: &Path, access: Arc<Access>) -> Router {
    let events = Events::start(store.clone(), events::DEFAULT_MAX_STREAMS);
    app_with_events(store, dist, access, events)
}

/// As `app_with_access`, with the live changes `events` (which the caller ends on shutdown).
pub fn app_with_events(store: Store, dist: &Path, access: Arc<Access>, events: Events) -> Router {
    let index = ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let spa = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    Router::new()
        .route(
            HUNTS_PATH,
            get(handlers::list)
                .post(handlers::create)
                .fallback(handlers::collection_other),
        )
        .route(
            &format!("{HUNTS_PATH}/{{id}}"),
            get(handlers::get_one)
                .patch(handlers::patch)
                .delete(handlers::delete)
                .fallback(handlers::item_other),
        )
        .route(
            &format!("{HUNTS_PATH}/{EVENTS_SEGMENT}"),
            get(events::stream),
        )
        .route(
            &format!("{HUNTS_PATH}/{{id}}/{HUNT_HISTORY_SEGMENT}"),
            get(handlers::hunt_history),
        )
        .route(HISTORY_PATH, get(handlers::history))
        .route(ROUTING_PATH, get(routing_check::answer))
        .route(
            SESSION_PATH,
            get(access::who_am_i)
                .post(access::sign_in)
                .delete(access::sign_out),
        )
        .route(
            crate::openapi::OPENAPI_PATH,
            get(|| async { axum::Json(crate::openapi::document()) }),
        )
        .route("/rest", any(handlers::no_such_path))
        .route("/rest/{*rest}", any(handlers::no_such_path))
        .fallback_service(spa)
        .layer(axum::middleware::from_fn_with_state(
            access.clone(),
            access::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            security_headers::content_security_policy(dist),
            finish,
        ))
        .layer(
            // Files already compressed at build time carry Content-Encoding and are left alone.
            CompressionLayer::new()
                .quality(CompressionLevel::Precise(4))
                // A stream of live changes goes out as each event is written, never buffered.
                .compress_when(
                    SizeAbove::new(COMPRESS_ABOVE_BYTES)
                        .and(NotForContentType::IMAGES)
                        .and(NotForContentType::SSE),
                ),
        )
        .layer(
            // One line per request, at INFO: the span (method, path and request id) and the
            // response's status and latency.
            TraceLayer::new_for_http()
                .make_span_with(request_id::span)
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        // Each request gets an id (or keeps the one a proxy gave it), sent back in
        // `x-request-id` and in any error body, so a report can be matched to its log line.
        .layer(MapRequestLayer::new(request_id::assign))
        .with_state(AppState {
            store,
            pages: Arc::default(),
            access,
            events,
            routing: Arc::default(),
        })
}

/// What every answer gets, in one layer (each `from_fn` layer clones the boxed service below it
/// for every request: as five layers, these cost the server about a fifth of its throughput):
/// a deadline (a request not answered within `REQUEST_TIMEOUT` gets a 503 saying so, and its
/// work stops), the request's id (in `x-request-id`, and in an error's body), JSON's charset,
/// how long a browser may keep it, and the security headers.
async fn finish(State(policy): State<HeaderValue>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let id = request.headers().get(REQUEST_ID).cloned();
    let response = match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::TimedOut.into_response(),
    };
    let mut response = request_id::into_error_body(id.as_ref(), response).await;
    if let Some(id) = id {
        response.headers_mut().entry(REQUEST_ID).or_insert(id);
    }
    json_charset(&mut response);
    cache_control(&path, &mut response);
    security_headers::add(&policy, response.headers_mut());
    response
}

/// JSON answers name their charset, as the reference's examples do.
fn json_charset(response: &mut Response) {
    let headers = response.headers_mut();
    if headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value == "application/json")
    {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
    }
}

/// Files whose names carry trunk's content hash never change: browsers keep them for a year
/// without asking. Everything else the app is made of (`index.html`, and the client routes
/// that answer it) is asked for again each visit, so a new build is seen at once.
fn cache_control(path: &str, response: &mut Response) {
    if path.starts_with("/rest") || !response.status().is_success() {
        return;
    }
    // The app's page itself is never a hashed file, even at a client route whose last
    // segment happens to look like one (a resource id such as `sip-12345678.example`).
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
    let value = if is_hashed(path) && !is_page {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
}

/// Whether a file name holds trunk's hash: `-`, then the hash in hexadecimal digits, then the
/// extension or `_bg.wasm` (`app-0123…cdef_bg.wasm`, `main-3a19…f0ed.css`). Trunk writes the
/// 64-bit hash without leading zeros, so one name in sixteen has 15 digits, fewer still more
/// rarely; a client route's last segment (a hunt's UUID ends in 12 digits, with no `.`) is not
/// a file of the build.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.split('-').skip(1).any(|part| {
        let digits = part.chars().take_while(char::is_ascii_hexdigit).count();
        (8..=16).contains(&digits) && matches!(part[digits..].chars().next(), Some('.' | '_'))
    })
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn hashed_names_are_trunks() {
        for (path, hashed) in [
            ("/hunts-admin-1a2b3c4d5e6f7a8b_bg.wasm", true),
            ("/hunts-admin-1a2b3c4d5e6f7a8b.js", true),
            ("/main-00ff00ff00ff00ff.css", true),
            // A hash with a leading zero, written without it.
            ("/favicon-353a19b8259f0ed.svg", true),
            ("/hunts-admin-82deaf33ba5785d_bg.wasm", true),
            ("/hunts/e4bacea5-c4b9-4499-bf4a-a7cabeb88997", false),
            ("/resources/agent-0123456789abcdef", false),
            ("/", false),
            ("/index.html", false),
            ("/hunts/some-id", false),
            ("/app.css", false),
        ] {
            assert_eq!(is_hashed(path), hashed, "{path}");
        }
    }
}
