//! The app under a failing server: unreachable, a 500, an answer that is not JSON, an answer
//! that takes 10 s. The app says what happened in words, offers Retry, keeps working once the
//! server does, and a form keeps every typed value. Faults are made by a layer in front of the
//! reference server that the test switches.

use browser_harness as common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use common::{Harness, hunt};
use hunts_model::ListQuery;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    None,
    /// The connection is dropped without an answer, as when the server is down.
    Down,
    ServerError,
    NotJson,
    Slow,
}

type Switch = Arc<Mutex<Fault>>;

fn faulty(switch: Switch) -> impl FnOnce(axum::Router) -> axum::Router {
    move |router| {
        router.layer(axum::middleware::from_fn(
            move |request: Request, next: Next| {
                let fault = *switch.lock().unwrap();
                async move { answer(fault, request, next).await }
            },
        ))
    }
}

async fn answer(fault: Fault, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/rest/v1/uc/hunts") {
        return next.run(request).await;
    }
    match fault {
        Fault::None => next.run(request).await,
        // The task serving the connection ends without answering: the browser sees the
        // connection go, as with a server that stopped.
        Fault::Down => std::panic::resume_unwind(Box::new("the test's server is down")),
        Fault::ServerError => (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(serde_json::json!({"error_code": 1500, "error_message": "database error: disk I/O error"})),
        )
            .into_response(),
        Fault::NotJson => (
            StatusCode::OK,
            [("content-type", "text/html")],
            "<html><body>Gateway login</body></html>",
        )
            .into_response(),
        Fault::Slow => {
            tokio::time::sleep(Duration::from_secs(10)).await;
            next.run(request).await
        }
    }
}

async fn start(switch: &Switch) -> Harness {
    let harness = Harness::start_with(
        vec![hunt("q1", "101", 1), hunt("q2", "102", 2)],
        faulty(switch.clone()),
    )
    .await;
    // The faults these tests switch on, as the browser logs them.
    harness.expect_in_console("net::ERR_EMPTY_RESPONSE");
    harness.expect_failed_request(500);
    // The live changes stream meets the same faults (and the browser says so as it retries).
    harness.expect_in_console("EventSource's response");
    harness
}

#[tokio::test]
async fn the_list_says_what_went_wrong_and_retry_recovers() {
    let switch: Switch = Arc::new(Mutex::new(Fault::None));
    let harness = start(&switch).await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["q1", "q2"]).await;

    let cases = [
        (Fault::Down, "The server could not be reached"),
        (Fault::ServerError, "database error: disk I/O error"),
        (
            Fault::NotJson,
            "The server sent an answer this app cannot read",
        ),
    ];
    for (fault, said) in cases {
        *switch.lock().unwrap() = fault;
        // A new view of the list asks the server again.
        harness.open("/hunts?limit=50").await;
        harness.wait_for_text(".error-state", said).await;
        harness
            .wait_for_text(".error-state", "The hunts could not be loaded")
            .await;
        *switch.lock().unwrap() = Fault::None;
        harness.click_text("Retry").await;
        harness.wait_for_codes(&["q1", "q2"]).await;
    }

    // A slow answer: the page says it is loading, stays usable, and shows the answer when it
    // comes.
    harness.open("/hunts").await;
    harness.wait_for_codes(&["q1", "q2"]).await;
    harness.click("th[data-column='priority'] button").await;
    harness.wait_for_codes(&["q1", "q2"]).await;
    *switch.lock().unwrap() = Fault::Slow;
    let asked = Instant::now();
    // The second click sorts by priority descending: the answer, when it comes, reorders.
    harness.click("th[data-column='priority'] button").await;
    harness
        .wait_for_text("[data-testid='loading']", "Loading…")
        .await;
    // Still answering the user meanwhile: the filter form takes input.
    harness
        .type_into("#filter-value", "typed while waiting")
        .await;
    *switch.lock().unwrap() = Fault::None;
    harness
        .eventually(
            "the slow answer",
            async |harness| harness.listed_codes().await,
            |codes| codes == &["q2".to_owned(), "q1".to_owned()],
        )
        .await;
    assert!(
        asked.elapsed() >= Duration::from_secs(10),
        "the answer was the slow one"
    );
    assert_eq!(
        harness.prop_of("#filter-value", "value").await.as_deref(),
        Some("typed while waiting")
    );
    harness.stop().await;
}

#[tokio::test]
async fn a_form_keeps_every_value_whatever_the_server_does() {
    let switch: Switch = Arc::new(Mutex::new(Fault::None));
    let harness = start(&switch).await;
    let id = harness.hunt_ids().await[0].clone();
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness
        .type_into("#f-displayname", "Survives failures")
        .await;
    harness.type_into("#f-weight", "17").await;

    for (fault, said) in [
        (Fault::Down, "The server could not be reached"),
        (Fault::ServerError, "database error: disk I/O error"),
        (Fault::NotJson, "cannot read"),
    ] {
        *switch.lock().unwrap() = fault;
        harness.click_text("Save changes").await;
        harness.wait_for_text("#form-refusals", said).await;
        assert!(
            harness.path().await.ends_with("/edit"),
            "{fault:?}: still on the form"
        );
        for (input, typed) in [("#f-displayname", "Survives failures"), ("#f-weight", "17")] {
            assert_eq!(
                harness.prop_of(input, "value").await.as_deref(),
                Some(typed),
                "{fault:?}"
            );
        }
    }
    *switch.lock().unwrap() = Fault::None;
    harness.click_text("Save changes").await;
    harness.wait_for_text(".notice", "Saved hunt q1").await;
    let (_, hunts) = harness
        .store
        .list_hunts(ListQuery::default())
        .await
        .unwrap();
    assert_eq!(hunts[0].displayname, "Survives failures");
    assert_eq!(hunts[0].weight, 17);
    harness.stop().await;
}
