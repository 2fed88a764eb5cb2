//! The router: the API under `/rest/v1/uc/hunts`, and the built app with its SPA fallback.

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{any, get};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::handlers;
use crate::store::Store;

pub const HUNTS_PATH: &str = "/rest/v1/uc/hunts";

/// The whole service. `dist` is the app's built files: any GET that is neither an API path nor a
/// file there answers its `index.html`, so the app's own routes survive a reload.
pub fn app(store: Store, dist: &Path) -> Router {
    let spa = ServeDir::new(dist).fallback(ServeFile::new(dist.join("index.html")));
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
        .route("/rest", any(handlers::no_such_path))
        .route("/rest/{*rest}", any(handlers::no_such_path))
        .fallback_service(spa)
        .layer(axum::middleware::map_response(json_charset))
        .layer(
            // One line per request, at INFO: the span (method and URI) and the response's status
            // and latency.
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(store)
}

/// JSON answers name their charset, as the reference's examples do.
async fn json_charset(mut response: Response) -> Response {
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
    response
}
