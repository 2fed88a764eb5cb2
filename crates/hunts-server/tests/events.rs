//! The live changes stream's limits: past the cap on streams, a 503 with `Retry-After` (and a
//! slot freed when a stream goes); on shutdown every stream ends at once, so none holds the
//! server's drain. (Order, resume and reset are in the contract suite, on every store.)

use test_support::temp_folder;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use futures_util::StreamExt;
use hunts_model::{HUNTS_PATH, Hunt};
use hunts_server::access::Access;
use hunts_server::app_with_events;
use hunts_server::events::Events;
use hunts_server::store::Store;
use temp_folder::TempFolder;
use tower::ServiceExt;

async fn open(router: &Router) -> axum::response::Response {
    let request = Request::get(format!("{HUNTS_PATH}/events"))
        .header("host", "127.0.0.1")
        .body(Body::empty())
        .unwrap();
    router.clone().oneshot(request).await.unwrap()
}

/// Everything the stream sends within `wait`, and whether it ended.
async fn read_for(body: &mut axum::body::BodyDataStream, wait: Duration) -> (String, bool) {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, body.next()).await {
            Err(_) => return (text, false),
            Ok(None) => return (text, true),
            Ok(Some(chunk)) => text.push_str(std::str::from_utf8(&chunk.unwrap()).unwrap()),
        }
    }
}

#[tokio::test]
async fn streams_past_the_cap_are_refused_and_all_end_on_shutdown() {
    let dist = TempFolder::new("events-dist");
    let store = Store::open_temporary().unwrap();
    let events = Events::start(store.clone(), 2);
    let access = Access::open_on_loopback(store.clone());
    let router = app_with_events(store.clone(), dist.path(), access, events.clone());

    let first = open(&router).await;
    let second = open(&router).await;
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (200, 200)
    );
    let refused = open(&router).await;
    assert_eq!(refused.status(), 503);
    assert_eq!(
        refused
            .headers()
            .get("retry-after")
            .unwrap()
            .to_str()
            .unwrap(),
        "5"
    );
    drop(second);
    let again = open(&router).await;
    assert_eq!(again.status(), 200, "a stream that went freed its slot");

    let mut body = first.into_body().into_data_stream();
    store
        .create(Hunt {
            code: "e1".to_owned(),
            ..Hunt::default()
        })
        .await
        .unwrap();
    let (text, ended) = read_for(&mut body, Duration::from_secs(2)).await;
    assert!(
        text.contains("event: hunt") && text.contains("\"e1\""),
        "{text}"
    );
    assert!(!ended);

    events.stop();
    let (_, ended) = read_for(&mut body, Duration::from_secs(2)).await;
    assert!(ended, "shutdown ends the stream");
}
