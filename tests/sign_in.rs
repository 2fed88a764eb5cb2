//! Sign-in in the app, in headless Chromium against the reference server with sign-in on: a
//! viewer reads only; a session lost mid-edit loses nothing; signing out ends the session on
//! the server.

use browser_harness as common;
use test_support::http;

use axum::response::IntoResponse;
use common::{Harness, hunt};
use hunts_model::{ListQuery, Role};
use serde_json::{Value, json};

const USERS: &[(&str, Role, &str)] = &[
    ("ann", Role::Admin, "ann-password-1"),
    ("vic", Role::Viewer, "vic-password-1"),
];

async fn stored_hunts(harness: &Harness) -> Vec<hunts_model::Hunt> {
    harness
        .store
        .list_hunts(ListQuery::default())
        .await
        .unwrap()
        .1
}

#[tokio::test]
async fn a_viewer_sees_no_write_controls_and_cannot_write() {
    let harness = Harness::start_signed_in(vec![hunt("q1", "101", 1)], USERS).await;
    harness.open("/hunts").await;
    // Nobody is signed in: the dialog asks first.
    harness.sign_in("vic", "vic-password-1").await;
    harness.wait_for_codes(&["q1"]).await;
    harness
        .wait_for_text("[data-testid='signed-in-as']", "vic (viewer)")
        .await;
    harness
        .wait_for_text("[data-testid='read-only']", "viewer")
        .await;
    assert!(!harness.has("a[href='/hunts/new']").await, "no New hunt");
    assert!(
        !harness.has("input[data-select]").await,
        "no checkboxes: a selection would lead nowhere"
    );

    harness.click_text("q1").await;
    harness.wait_for_text(".detail-head h1", "q1").await;
    assert!(
        !harness.has(".detail-head .actions").await,
        "no Edit or Delete"
    );

    // The server holds the line too: a PATCH from the viewer's page is a 403, nothing written.
    harness.expect_failed_request(403);
    let before = stored_hunts(&harness).await;
    let id = before[0].id.clone();
    let status = harness
        .browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/rest/v1/uc/hunts/' + arguments[0], {
                 method: 'PATCH', credentials: 'include',
                 headers: {'Content-Type': 'application/json', 'X-Requested-With': 'hunts-admin'},
                 body: JSON.stringify({weight: 99})
             }).then(response => done(response.status), error => done(String(error)));",
            vec![json!(id)],
        )
        .await
        .unwrap();
    assert_eq!(status, json!(403));
    assert_eq!(stored_hunts(&harness).await, before, "nothing written");

    // The edit page says why there is no form.
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness
        .wait_for_text(".error-state", "Viewers cannot create or change hunts")
        .await;
    harness.stop().await;
}

#[tokio::test]
async fn a_session_lost_mid_edit_loses_nothing() {
    let harness = Harness::start_signed_in(vec![hunt("q1", "101", 1)], USERS).await;
    harness.open("/hunts").await;
    harness.sign_in("ann", "ann-password-1").await;
    harness
        .wait_for_text("[data-testid='signed-in-as']", "ann (admin)")
        .await;
    harness.click_text("q1").await;
    harness.click_text("Edit").await;
    harness
        .type_into("#f-displayname", "Kept through sign-in")
        .await;
    harness.type_into("#f-weight", "42").await;

    // The session ends on the server while the form is open; Save meets a 401.
    harness.access.end_sessions_of("ann").await.unwrap();
    save_unless_asked(&harness).await;
    harness.find(".dialog.sign-in").await;
    // Nothing of the hunt is left to read behind the dialog, nor its draft in the page.
    assert!(!harness.has("#f-displayname").await, "the form is gone");
    assert_eq!(main_text(&harness).await, "");
    harness.sign_in("ann", "ann-password-1").await;

    // Back on the form with every value as typed; this time Save goes through.
    assert!(harness.path().await.ends_with("/edit"));
    for (input, typed) in [
        ("#f-displayname", "Kept through sign-in"),
        ("#f-weight", "42"),
    ] {
        assert_eq!(
            harness.prop_of(input, "value").await.as_deref(),
            Some(typed)
        );
    }
    harness.click_text("Save changes").await;
    harness.wait_for_text(".notice", "Saved hunt q1").await;
    let saved = &stored_hunts(&harness).await[0];
    assert_eq!(saved.displayname, "Kept through sign-in");
    assert_eq!(saved.weight, 42);
    harness.stop().await;
}

/// Presses Save, which meets the 401 of the ended session, unless a request the page makes of
/// itself (the form's routing check) met it first and the dialog already took the page away.
async fn save_unless_asked(harness: &Harness) {
    harness
        .browser
        .execute(
            "const save = [...document.querySelectorAll('button')] \
                 .find(button => button.textContent.trim() === 'Save changes'); \
             if (save) save.click();",
            vec![],
        )
        .await
        .unwrap();
}

/// What the page's `main` shows, as text.
async fn main_text(harness: &Harness) -> String {
    harness.text_of("main").await.trim().to_owned()
}

/// Sign out takes every hunt off the page and out of the app, and neither Back (the browser's
/// back-forward cache included) nor someone else signing in next brings any of it back.
#[tokio::test]
async fn after_sign_out_nothing_of_the_hunts_comes_back() {
    let secret = hunts_model::Hunt {
        displayname: "Night escalation".to_owned(),
        ..hunt("q1", "101", 1)
    };
    let harness = Harness::start_signed_in(vec![secret], USERS).await;
    let id = harness.hunt_ids().await[0].clone();
    harness.open("/hunts").await;
    harness.sign_in("vic", "vic-password-1").await;
    harness.wait_for_codes(&["q1"]).await;
    // The hunt's page, loaded as a page of its own (a document the browser may keep for Back).
    harness.open(&format!("/hunts/{id}")).await;
    harness.wait_for_text(".detail-head h1", "q1").await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["q1"]).await;
    harness.click_text("Sign out").await;
    harness.find(".dialog.sign-in").await;
    assert_eq!(
        main_text(&harness).await,
        "",
        "nothing left behind the dialog"
    );
    assert!(!harness.has("[data-testid='signed-in-as']").await);

    harness.browser.back().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    harness.find(".dialog.sign-in").await;
    let body = harness.text_of("body").await;
    assert!(
        !body.contains("Night escalation") && !body.contains("vic (viewer)"),
        "Back brought back: {body}"
    );
    harness.browser.forward().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    harness.find(".dialog.sign-in").await;
    assert_eq!(main_text(&harness).await, "");
    harness.stop().await;
}

/// A draft kept through a lost session is its author's: someone else who signs in next at that
/// screen starts from the hunt as stored.
#[tokio::test]
async fn a_draft_kept_through_a_lost_session_is_only_its_authors() {
    let users: &[(&str, Role, &str)] = &[
        ("ann", Role::Admin, "ann-password-1"),
        ("bob", Role::Admin, "bob-password-1"),
    ];
    let harness = Harness::start_signed_in(vec![hunt("q1", "101", 1)], users).await;
    let id = harness.hunt_ids().await[0].clone();
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness.sign_in("ann", "ann-password-1").await;
    harness.type_into("#f-displayname", "Ann's draft").await;
    harness.access.end_sessions_of("ann").await.unwrap();
    save_unless_asked(&harness).await;
    harness.find(".dialog.sign-in").await;
    harness.sign_in("bob", "bob-password-1").await;
    harness.find("#f-displayname").await;
    assert_eq!(
        harness.prop_of("#f-displayname", "value").await.as_deref(),
        Some(""),
        "bob does not get ann's draft"
    );
    harness.stop().await;
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let harness = Harness::start_signed_in(vec![hunt("q1", "101", 1)], USERS).await;
    harness.open("/hunts").await;
    harness.sign_in("ann", "ann-password-1").await;
    harness.wait_for_codes(&["q1"]).await;
    let cookie = harness
        .browser
        .get_named_cookie("hunts_session")
        .await
        .expect("signed in with a session cookie");
    assert_eq!(cookie.http_only(), Some(true), "scripts cannot read it");
    let old = format!("hunts_session={}", cookie.value());

    harness.click_text("Sign out").await;
    harness.find(".dialog.sign-in").await;
    let request =
        format!("GET /rest/v1/uc/hunts HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {old}\r\n\r\n");
    let answer = http::Connection::open(harness.address)
        .await
        .exchange(request.as_bytes())
        .await;
    assert_eq!(answer.status, 401, "the old cookie no longer works");
    let body: Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(body["error_code"], json!(1401));
    harness.stop().await;
}

/// A platform that signs people in its own way: no session resource of ours, and a 401 on the
/// hunts until its own cookie is sent.
async fn platform_sign_in(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let signed_in = request
        .headers()
        .get("cookie")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("platform=ok"));
    // A platform without our session resource.
    if request.uri().path() == "/rest/v1/session" {
        let body = json!({"error_code": 1404, "error_message": "no such path"});
        return (axum::http::StatusCode::NOT_FOUND, axum::Json(body)).into_response();
    }
    if request.uri().path().starts_with("/rest/v1/uc/hunts") && !signed_in {
        let body = json!({"error_code": 1401, "error_message": "platform sign-in needed"});
        return (axum::http::StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    }
    next.run(request).await
}

#[tokio::test]
async fn behind_a_platform_its_own_sign_in_is_asked_for() {
    let harness = Harness::start_with(vec![hunt("q1", "101", 1)], |router| {
        router.layer(axum::middleware::from_fn(platform_sign_in))
    })
    .await;
    // The platform's 401 until its sign-in, and its 404 for our session resource.
    harness.expect_failed_request(401);
    harness.expect_failed_request(404);
    harness.open("/hunts").await;
    harness
        .wait_for_text(".notice.warning", "Your sign-in to the platform has ended")
        .await;
    assert!(
        !harness.has(".dialog.sign-in").await,
        "no sign-in page of ours"
    );
    harness
        .wait_for_text(".error-state", "platform sign-in needed")
        .await;

    // With the page naming the platform's sign-in, the notice links to it.
    harness
        .browser
        .execute(
            "const meta = document.createElement('meta'); meta.name = 'hunts-sign-in'; \
             meta.content = '/platform/sign-in'; document.head.appendChild(meta);",
            vec![],
        )
        .await
        .unwrap();
    harness.click(".notice.warning button").await;
    harness.click_text("Retry").await;
    harness
        .find(".notice.warning a[href='/platform/sign-in']")
        .await;

    // Signed in to the platform (its cookie rides along with the app's requests): Retry works.
    harness
        .browser
        .execute("document.cookie = 'platform=ok; path=/';", vec![])
        .await
        .unwrap();
    harness.click_text("Retry").await;
    harness.wait_for_codes(&["q1"]).await;
    harness.stop().await;
}

#[tokio::test]
async fn a_failed_sign_in_says_why_and_puts_focus_in_the_password() {
    let harness = Harness::start_signed_in(vec![hunt("q1", "101", 1)], USERS).await;
    harness.expect_failed_request(401);
    harness.open("/hunts").await;
    harness
        .eventually(
            "the sign-in page's title",
            async |harness| {
                harness
                    .browser
                    .execute("return document.title;", vec![])
                    .await
                    .unwrap()
            },
            |title| title == "Sign in · Hunts Admin",
        )
        .await;
    harness.type_into("#sign-in-name", "ann").await;
    harness
        .type_into("#sign-in-password", "not-her-password")
        .await;
    harness.click_text("Sign in").await;
    harness
        .wait_for_text(".sign-in .field-error", "name or the password is wrong")
        .await;
    harness.wait_for_focus_on("sign-in-password").await;
    harness.stop().await;
}
