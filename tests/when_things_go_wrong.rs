//! The app when things go wrong, by real clicks, checked in the database: a preview withdrawn
//! by any edit of its change; one Undo for a whole run across a server that stopped mid-run and
//! a retry of its failed part (and an undo that stopped midway, sent again); Cancel that stops
//! at once and a report whose counts add up; refusals of a save said where the user is; a page
//! past the end; no control that does nothing. The server's outages are made by a layer in
//! front of the reference server that the test switches.

use browser_harness as common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use common::{Harness, hunt};
use hunts_model::{Hunt, ListQuery};
use serde_json::Value;

/// What the test's server does with the hunts requests it gets.
#[derive(Default)]
struct Outage {
    /// Writes let through before the server goes down (`None`: all of them).
    writes_before_down: Option<usize>,
    /// Down: every hunts request gets its connection dropped, as from a stopped server.
    down: bool,
    /// No live changes stream (404), as on a platform without the extension: someone else's
    /// change is met by a save, as a 412, not merged into the form beforehand.
    no_live: bool,
    /// Writes that reached the server (answered or not).
    writes_seen: usize,
    /// A pause before each write is answered.
    slow: Option<Duration>,
    /// The write that finds the server going down is written, and only its answer is lost.
    written_as_it_goes: bool,
}

type Switch = Arc<Mutex<Outage>>;

fn with_outage(switch: Switch) -> impl FnOnce(axum::Router) -> axum::Router {
    move |router| {
        router.layer(axum::middleware::from_fn(
            move |request: Request, next: Next| {
                let switch = switch.clone();
                async move { answer(&switch, request, next).await }
            },
        ))
    }
}

async fn answer(switch: &Switch, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/rest/v1/uc/hunts") {
        return next.run(request).await;
    }
    if request.uri().path().ends_with("/events") && switch.lock().unwrap().no_live {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    }
    let writes = [Method::PATCH, Method::POST, Method::DELETE].contains(request.method());
    let (down, slow, written_then_lost) = {
        let mut outage = switch.lock().unwrap();
        let mut written_then_lost = false;
        if writes {
            outage.writes_seen += 1;
            match outage.writes_before_down {
                Some(0) => {
                    written_then_lost = outage.written_as_it_goes && !outage.down;
                    outage.down = true;
                }
                Some(left) => outage.writes_before_down = Some(left - 1),
                None => {}
            }
        }
        (
            outage.down,
            outage.slow.filter(|_| writes),
            written_then_lost,
        )
    };
    if written_then_lost {
        let _ = next.run(request).await;
        std::panic::resume_unwind(Box::new("the test's server went down after writing"));
    }
    if down {
        // The task serving the connection ends without answering: the browser sees the
        // connection go, as with a server that stopped.
        std::panic::resume_unwind(Box::new("the test's server is down"));
    }
    if let Some(pause) = slow {
        tokio::time::sleep(pause).await;
    }
    next.run(request).await
}

/// The server back up, writing everything.
fn back_up(switch: &Switch) {
    let mut outage = switch.lock().unwrap();
    outage.down = false;
    outage.writes_before_down = None;
    outage.written_as_it_goes = false;
}

async fn start(hunts: Vec<Hunt>, switch: &Switch) -> Harness {
    let harness = Harness::start_with(hunts, with_outage(switch.clone())).await;
    harness.expect_in_console("net::ERR_EMPTY_RESPONSE");
    harness
}

async fn stored(harness: &Harness) -> Vec<Hunt> {
    harness
        .store
        .list_hunts(ListQuery::default())
        .await
        .unwrap()
        .1
}

/// Opens the list of `count` hunts and selects every one of them.
async fn select_all(harness: &Harness, count: usize) {
    harness.open("/hunts").await;
    harness.find("table.hunts").await;
    harness
        .click_text(&format!("Select all {count} that match"))
        .await;
    harness
        .wait_for_text(
            "[data-testid='selected-count']",
            &format!("{count} selected"),
        )
        .await;
}

/// Whether the page shows an element `css` whose text holds `text`.
async fn shows(harness: &Harness, css: &str, text: &str) -> bool {
    harness
        .texts_of(css)
        .await
        .iter()
        .any(|shown| shown.contains(text))
}

fn numbered(count: usize, reslimit: u32) -> Vec<Hunt> {
    (0..count)
        .map(|n| Hunt {
            reslimit,
            ..hunt(&format!("q{n:02}"), "", 1)
        })
        .collect()
}

/// Goal 1: a preview is applied only while it matches the change on screen.
#[tokio::test]
async fn a_preview_is_withdrawn_by_any_edit_of_its_change() {
    let switch = Switch::default();
    let harness = start(numbered(4, 0), &switch).await;
    select_all(&harness, 4).await;
    harness.choose("#bulk-kind", "block").await;
    harness.type_into("#bulk-reason", "x").await;
    harness.type_into("#bulk-expires", "60").await;
    harness.click_text("Preview").await;
    harness
        .wait_for_text("[data-testid='bulk-summary']", "4 will change")
        .await;

    // Typing into the change takes the preview away at once, before anything else is clicked.
    harness.type_into("#bulk-expires", "2 weeks").await;
    assert!(
        !harness.has(".bulk-preview").await,
        "the preview is withdrawn"
    );
    assert!(!shows(&harness, "button", "Apply to").await, "no Apply");
    // A refusal of the new values shows no preview either.
    harness.click_text("Preview").await;
    harness
        .wait_for_text(
            ".bulk-change .field-error",
            "Block expires after takes a number of seconds, or 90 s, 2 min, 1 h 30 min",
        )
        .await;
    assert!(!harness.has(".bulk-preview").await);

    // Another kind of change: the block's preview does not stay under it.
    harness.type_into("#bulk-expires", "60").await;
    harness.click_text("Preview").await;
    harness
        .wait_for_text("[data-testid='bulk-summary']", "4 will change")
        .await;
    harness.choose("#bulk-kind", "delete").await;
    assert!(!harness.has(".bulk-preview").await, "withdrawn by the kind");
    assert!(!shows(&harness, "button", "Apply to").await);

    // Nor under another selection.
    harness.click_text("Preview").await;
    harness
        .wait_for_text(".bulk-preview", "will be deleted")
        .await;
    harness.click("input[aria-label='Select q00']").await;
    harness
        .wait_for_text("[data-testid='selected-count']", "3 selected")
        .await;
    assert!(
        !harness.has(".bulk-preview").await,
        "withdrawn by the selection"
    );
    assert_eq!(stored(&harness).await.len(), 4, "nothing was sent");
    harness.stop().await;
}

/// Goal 2: the server stops mid-run; its failed part is previewed again and applied; one Undo
/// then covers every hunt the run changed, and an Undo that the server cut short is sent again.
#[tokio::test]
async fn one_undo_restores_every_hunt_a_run_changed_across_a_stopped_server() {
    let switch = Switch::default();
    let harness = start(numbered(40, 1), &switch).await;
    let reslimits = async |harness: &Harness| -> Vec<u32> {
        stored(harness)
            .await
            .iter()
            .map(|hunt| hunt.reslimit)
            .collect()
    };
    select_all(&harness, 40).await;
    harness.choose("#bulk-kind", "set-field").await;
    harness.choose("#bulk-field", "reslimit").await;
    harness.type_into("#bulk-value", "4").await;
    harness.click_text("Preview").await;
    harness
        .wait_for_text("[data-testid='bulk-summary']", "40 will change")
        .await;

    // Ten writes answered; the eleventh written as the server goes, its answer lost.
    {
        let mut outage = switch.lock().unwrap();
        outage.writes_before_down = Some(10);
        outage.written_as_it_goes = true;
    }
    harness.click_text("Apply to 40 hunts").await;
    harness
        .wait_for_text(
            "[data-testid='bulk-report']",
            "40 hunts: 10 changed, 30 failed",
        )
        .await;
    let changed = reslimits(&harness).await;
    assert_eq!(changed.iter().filter(|limit| **limit == 4).count(), 11);

    back_up(&switch);
    harness.click_text("Preview again the 30 not changed").await;
    harness
        .wait_for_text(
            "[data-testid='bulk-summary']",
            "29 will change, 1 unchanged",
        )
        .await;
    harness.click_text("Apply to 29 hunts").await;
    harness
        .wait_for_text("[data-testid='bulk-report']", "40 hunts: 40 changed")
        .await;
    assert_eq!(reslimits(&harness).await, vec![4; 40]);

    switch.lock().unwrap().writes_before_down = Some(15);
    harness.click_text("Undo this change").await;
    harness
        .wait_for_text(
            "[data-testid='bulk-report']",
            "Undone: 40 hunts: 15 changed, 25 failed",
        )
        .await;
    back_up(&switch);
    harness.click_text("Undo again the 25 not undone").await;
    harness
        .wait_for_text(
            "[data-testid='bulk-report']",
            "Undone: 40 hunts: 40 changed",
        )
        .await;
    assert_eq!(
        reslimits(&harness).await,
        vec![1; 40],
        "every hunt the run changed is back"
    );
    harness.stop().await;
}

/// Goal 3: Cancel stops sending at once, the report's counts add up and agree with its rows,
/// and the progress line with Cancel is in the window after Apply at the bottom of a preview.
#[tokio::test]
async fn cancel_stops_sending_and_the_report_adds_up() {
    let switch = Switch::default();
    let harness = start(numbered(60, 0), &switch).await;
    select_all(&harness, 60).await;
    harness.type_into("#bulk-resource", "newbie").await;
    harness.click_text("Preview").await;
    harness
        .wait_for_text("[data-testid='bulk-summary']", "60 will change")
        .await;
    switch.lock().unwrap().slow = Some(Duration::from_millis(300));
    harness
        .browser
        .execute("window.scrollTo(0, document.body.scrollHeight);", vec![])
        .await
        .unwrap();
    harness.click_text("Apply to 60 hunts").await;
    harness.wait_for_text("#bulk-running", "Changing").await;
    let in_view = harness
        .eventually(
            "Cancel in the window",
            async |harness| {
                harness
                    .browser
                    .execute(
                        "const b = document.querySelector('#bulk-running button'); \
                         if (!b) return false; const r = b.getBoundingClientRect(); \
                         return r.top >= 0 && r.bottom <= window.innerHeight;",
                        vec![],
                    )
                    .await
                    .unwrap()
            },
            |in_view| *in_view == Value::Bool(true),
        )
        .await;
    assert_eq!(in_view, Value::Bool(true));
    harness
        .wait_for_text("#bulk-running", "Changing 4 of 60")
        .await;
    harness.click("#bulk-running button").await;
    let sent_at_cancel = switch.lock().unwrap().writes_seen;
    harness
        .wait_for_text("[data-testid='bulk-report']", "Done")
        .await;
    let sent = switch.lock().unwrap().writes_seen;
    // What was in flight when Cancel was pressed is finished; nothing is started after it.
    assert!(
        sent <= sent_at_cancel + 4 && sent < 20,
        "{sent} sent, {sent_at_cancel} when Cancel was pressed"
    );
    let changed = stored(&harness)
        .await
        .iter()
        .filter(|hunt| {
            hunt.resources
                .iter()
                .any(|resource| resource.id == "newbie")
        })
        .count();
    assert_eq!(changed, sent);
    let report = harness.text_of("[data-testid='bulk-report']").await;
    assert!(
        report.contains(&format!(
            "60 hunts: {changed} changed, {} not sent (cancelled)",
            60 - changed
        )),
        "{report}"
    );
    let cancelled_rows = harness
        .texts_of(".bulk-report td:nth-child(2)")
        .await
        .iter()
        .filter(|row| *row == "not sent (cancelled)")
        .count();
    assert_eq!(cancelled_rows, 60 - changed);
    harness.stop().await;
}

/// Goal 5: every refusal of a save is said by the Save button, in a summary that has the focus
/// and names every taken unique field at once, and under each field it concerns.
#[tokio::test]
async fn every_refusal_of_a_save_is_said_where_the_user_is() {
    let switch = Switch::default();
    let harness = start(
        vec![hunt("sales", "101", 1), hunt("support", "102", 2)],
        &switch,
    )
    .await;
    harness.expect_failed_request(409);
    harness.expect_failed_request(412);
    switch.lock().unwrap().no_live = true;
    harness.expect_failed_request(404);
    let id = harness.id_of("support").await;
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness.type_into("#f-code", "sales").await;
    harness.type_into("#f-phonenumber", "101").await;
    harness.click_text("Save changes").await;
    harness
        .wait_for_text(
            "#form-refusals",
            "a hunt with phone number 101 exists already",
        )
        .await;
    let summary = harness.text_of("#form-refusals").await;
    assert!(
        summary.contains("a hunt with code sales exists already"),
        "{summary}"
    );
    let focus_in_view = async |harness: &Harness| {
        harness
            .browser
            .execute(
                "const e = document.activeElement; const r = e.getBoundingClientRect(); \
                 return [e.id, r.top >= 0 && r.bottom <= window.innerHeight];",
                vec![],
            )
            .await
            .unwrap()
    };
    let focused = harness
        .eventually("the summary to take focus", focus_in_view, |focused| {
            focused[0] == "form-refusals"
        })
        .await;
    assert_eq!(focused[1], Value::Bool(true), "in the window");
    for input in ["#f-code-error", "#f-phonenumber-error"] {
        let under = harness.text_of(input).await;
        assert!(under.contains("exists already"), "{input}: {under}");
    }

    // Someone else's change since the form opened.
    harness.type_into("#f-code", "support_2").await;
    harness.type_into("#f-phonenumber", "").await;
    harness
        .store
        .update(
            id.clone(),
            hunts_server::store::Precondition::any(),
            |hunt| {
                Ok(Hunt {
                    weight: 9,
                    ..hunt.clone()
                })
            },
        )
        .await
        .unwrap();
    harness.click_text("Save changes").await;
    harness
        .wait_for_text("#form-refusals", "Someone else changed this hunt")
        .await;
    harness
        .eventually("focus on the summary", focus_in_view, |focused| {
            focused[0] == "form-refusals"
        })
        .await;

    // The server is down.
    switch.lock().unwrap().down = true;
    harness.click_text("Save changes").await;
    harness
        .wait_for_text("#form-refusals", "The server could not be reached")
        .await;
    assert_eq!(
        harness.prop_of("#f-code", "value").await.as_deref(),
        Some("support_2"),
        "nothing typed is lost"
    );
    harness.stop().await;
}

/// Goal 6: a page past the end steps back to the last page with hunts, and hunts deleted from
/// it leave the selection.
#[tokio::test]
async fn a_page_past_the_end_steps_back_to_the_last_page() {
    let switch = Switch::default();
    let harness = start(numbered(30, 0), &switch).await;
    harness.open("/hunts?offset=25").await;
    harness
        .wait_for_text("[data-testid='range']", "26–30 of 30")
        .await;
    harness.click("input[data-select-page]").await;
    harness
        .wait_for_text("[data-testid='selected-count']", "5 selected")
        .await;
    harness.choose("#bulk-kind", "delete").await;
    harness.click_text("Preview").await;
    harness
        .wait_for_text(".bulk-preview", "will be deleted")
        .await;
    harness.click_text("Apply to 5 hunts").await;
    harness
        .wait_for_text("[data-testid='bulk-report']", "5 deleted")
        .await;
    // Back on the last page with hunts, in place of the empty one.
    harness
        .wait_for_text("[data-testid='range']", "1–25 of 25")
        .await;
    harness.wait_for_address_with("/hunts").await;
    assert!(
        !harness.path().await.contains("offset"),
        "{}",
        harness.path().await
    );
    assert!(!harness.has("[data-testid='empty']").await);
    assert!(
        !harness.has("[data-testid='selected-count']").await,
        "the deleted hunts left the selection"
    );
    // The report and its Undo stay.
    harness.click_text("Undo this change").await;
    harness
        .wait_for_text("[data-testid='bulk-report']", "Undone: 5 hunts: 5 restored")
        .await;
    assert_eq!(stored(&harness).await.len(), 30);

    for address in ["/hunts?offset=100", "/hunts?offset=30&limit=10"] {
        harness.open(address).await;
        harness
            .wait_for_text("[data-testid='range']", "of 30")
            .await;
        assert!(
            !harness.has("[data-testid='empty']").await,
            "{address}: not an empty page"
        );
    }
    harness.open("/hunts?limit=0").await;
    harness
        .wait_for_text("[data-testid='range']", "1–25 of 30")
        .await;
    harness.stop().await;
}

/// Goal 8: no control that does nothing, and words that count what happened.
#[tokio::test]
async fn no_control_does_nothing() {
    let switch = Switch::default();
    let harness = start(numbered(3, 0), &switch).await;
    select_all(&harness, 3).await;
    // All three are selected: selecting them all is no longer on offer.
    assert!(!shows(&harness, "button", "Select all").await);
    // Unblocking open hunts changes nothing: Apply is off, and says why.
    harness.choose("#bulk-kind", "unblock").await;
    harness.click_text("Preview").await;
    harness
        .wait_for_text("[data-testid='bulk-summary']", "0 will change")
        .await;
    assert_eq!(
        harness
            .prop_of(
                "button.primary[aria-describedby='bulk-nothing']",
                "disabled"
            )
            .await
            .as_deref(),
        Some("true")
    );
    harness
        .wait_for_text("#bulk-nothing", "nothing to apply")
        .await;
    harness.click_text("Clear selection").await;

    // An import that would change nothing: Import is off, and says why.
    harness.click("#import-open").await;
    let export: Vec<Value> = stored(&harness)
        .await
        .iter()
        .map(|hunt| hunt.to_json())
        .collect();
    harness
        .choose_file(
            "#import-file",
            "same.json",
            &serde_json::to_string(&export).unwrap(),
        )
        .await;
    harness
        .wait_for_text("[data-testid='import-summary']", "3 unchanged")
        .await;
    assert_eq!(
        harness
            .prop_of(
                "button.primary[aria-describedby='import-nothing']",
                "disabled"
            )
            .await
            .as_deref(),
        Some("true")
    );
    // An import that creates three: its Undo says they were deleted, not "changed".
    let new: Vec<Value> = ["n1", "n2", "n3"]
        .iter()
        .map(|code| serde_json::json!({"code": code}))
        .collect();
    harness
        .choose_file(
            "#import-file",
            "new.json",
            &serde_json::to_string(&new).unwrap(),
        )
        .await;
    harness.click_text("Import 3 hunts").await;
    harness
        .wait_for_text("[data-testid='import-report']", "3 hunts: 3 created")
        .await;
    harness.click_text("Undo this import").await;
    harness
        .wait_for_text(
            "[data-testid='import-report']",
            "Undone: 3 hunts: 3 deleted",
        )
        .await;
    assert_eq!(stored(&harness).await.len(), 3);
    harness.stop().await;
}
