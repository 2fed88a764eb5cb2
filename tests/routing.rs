//! Where calls go, in headless Chromium: each kind of finding on the hunt's page (in words at
//! the top, the path hop by hop, the hunts that send calls here) and on the routing check page
//! across all hunts, with counts (the server's check, or the app's own next to a platform
//! without it).

use browser_harness as common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Harness, hunt};
use hunts_model::routing::ROUTING_PATH;
use hunts_model::{Hunt, HuntBlock, Resource};
use hunts_server::reference_only::{self, ReferenceOnly};

fn ringing(code: &str, phone: &str) -> Hunt {
    Hunt {
        resources: vec![Resource {
            id: "agent".to_owned(),
            priority: 1,
        }],
        ..hunt(code, phone, 1)
    }
}

fn on_timeout(hunt: Hunt, seconds: u32, number: &str) -> Hunt {
    Hunt {
        timeout: seconds,
        timeouttrannumber: number.to_owned(),
        ..hunt
    }
}

/// Sales overflows to support, which overflows back (by code); billing gives up into a blocked
/// night service; idle has a transfer number with its timer off; exit sends calls outside.
fn routed() -> Vec<Hunt> {
    vec![
        on_timeout(ringing("sales", "100"), 300, "200"),
        on_timeout(ringing("support", "200"), 60, "sales"),
        Hunt {
            maxattempts: 3,
            maxattemptstrannumber: "night".to_owned(),
            ..ringing("billing", "300")
        },
        Hunt {
            huntblock: HuntBlock {
                enabled: true,
                ..HuntBlock::default()
            },
            ..ringing("night", "400")
        },
        Hunt {
            timeouttrannumber: "+15550100".to_owned(),
            ..ringing("idle", "500")
        },
        on_timeout(ringing("exit", "600"), 30, "+15550100"),
    ]
}

#[tokio::test]
async fn each_finding_on_the_hunts_page() {
    let harness = Harness::start(routed()).await;
    // LOOKUP of an outside number, which no hunt has, is answered 404.
    harness.expect_failed_request(404);
    let open = async |code: &str| {
        let id = harness.id_of(code).await;
        harness.open(&format!("/hunts/{id}")).await;
        harness.wait_for_text(".detail-head h1", code).await;
    };

    open("sales").await;
    harness
        .wait_for_text(
            "[data-testid='routing-findings']",
            "Calls loop: sales -> support -> sales",
        )
        .await;
    let hops = harness.text_of(".where-calls-go .hops").await;
    assert!(
        hops.contains("after 5 min: to support")
            && hops.contains("after 1 min: to sales again: calls loop"),
        "{hops}"
    );
    harness
        .wait_for_text("[data-testid='calls-come-from']", "support after 1 min")
        .await;

    open("billing").await;
    harness
        .wait_for_text(
            "[data-testid='routing-findings']",
            "Dead end: billing sends calls after 3 attempts to night, which is blocked",
        )
        .await;
    open("night").await;
    harness
        .wait_for_text(
            "[data-testid='calls-come-from']",
            "billing after 3 attempts",
        )
        .await;

    open("idle").await;
    harness
        .wait_for_text(
            "[data-testid='routing-findings']",
            "Never fires: idle has the transfer number +15550100, but its timeout is 0 (off)",
        )
        .await;

    open("exit").await;
    harness
        .wait_for_text(
            ".where-calls-go .hops",
            "after 30 s: to +15550100, outside the hunts",
        )
        .await;
    assert!(
        !harness.has("[data-testid='routing-findings']").await,
        "a way out is not a fault"
    );
    harness.stop().await;
}

/// The routing check page lists every finding, grouped by kind with counts, each hunt a link.
async fn lists_every_finding(harness: &Harness) {
    harness.open("/hunts").await;
    harness.click_text("Routing check").await;
    harness
        .wait_for_text(
            "[data-testid='routing-summary']",
            "6 hunts checked: 3 to fix, 1 ways out of the hunts.",
        )
        .await;
    for (kind, heading, says) in [
        ("loops", "Loops: 1", "Calls loop: sales -> support -> sales"),
        (
            "dead-ends",
            "Dead ends: 1",
            "billing sends calls after 3 attempts to night",
        ),
        (
            "never-fires",
            "Transfers that never fire: 1",
            "idle has the transfer number",
        ),
        (
            "leaves",
            "Ways out of the hunts: 1",
            "exit sends calls after 30 s to +15550100",
        ),
    ] {
        let section = harness
            .text_of(&format!("section[data-kind='{kind}']"))
            .await;
        // (Headings are drawn in capitals.)
        let heading_shown = section.to_lowercase().contains(&heading.to_lowercase());
        assert!(heading_shown && section.contains(says), "{kind}: {section}");
    }
    harness.click_text("billing").await;
    harness.wait_for_text(".detail-head h1", "billing").await;
}

/// The server answers the check (its extension): the app asks it once and reads no hunts.
#[tokio::test]
async fn the_routing_check_lists_every_finding_across_all_hunts() {
    let asked = Arc::new(AtomicUsize::new(0));
    let counted = asked.clone();
    let harness = Harness::start_with(routed(), move |router| {
        router.layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                if request.uri().path() == ROUTING_PATH {
                    counted.fetch_add(1, Ordering::SeqCst);
                }
                next.run(request)
            },
        ))
    })
    .await;
    lists_every_finding(&harness).await;
    assert_eq!(
        asked.load(Ordering::SeqCst),
        1,
        "the server's check, asked once"
    );
    harness.stop().await;
}

/// Next to a platform without the extension (404), the app reads every hunt and finds the same.
#[tokio::test]
async fn without_the_servers_check_the_app_finds_the_same_itself() {
    let platform = ReferenceOnly::default();
    let harness = Harness::start_with(routed(), move |router| {
        reference_only::layer(router, platform)
    })
    .await;
    // The app asks whether the server has sign-in, and the routing check, once each: 404.
    harness.expect_failed_request(404);
    lists_every_finding(&harness).await;
    harness.stop().await;
}

/// The form says, before Save sends anything, that the change makes calls loop; Save still
/// works (a warning, not a refusal).
#[tokio::test]
async fn the_form_warns_before_a_change_makes_calls_loop() {
    let harness = Harness::start(vec![
        on_timeout(ringing("sales", "100"), 300, "200"),
        ringing("support", "200"),
    ])
    .await;
    let id = harness.id_of("support").await;
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness.type_into("#f-timeout", "60").await;
    harness.type_into("#f-timeouttrannumber", "sales").await;
    harness
        .wait_for_text(
            "[data-testid='routing-warning']",
            "Calls loop: support -> sales -> support",
        )
        .await;
    harness.click_text("Save changes").await;
    harness.wait_for_text(".notice", "Saved hunt support").await;
    let (_, hunts) = harness.store.list_hunts(Default::default()).await.unwrap();
    assert_eq!(hunts[1].timeouttrannumber, "sales");
    harness.stop().await;
}

/// The bulk preview flags a hunt the change would block while others overflow into it, and
/// counts them in its summary.
#[tokio::test]
async fn the_bulk_preview_flags_blocking_a_hunt_others_overflow_into() {
    let harness = Harness::start(vec![
        on_timeout(ringing("sales", "100"), 300, "400"),
        Hunt {
            maxattempts: 5,
            maxattemptstrannumber: "night".to_owned(),
            ..ringing("support", "200")
        },
        ringing("night", "400"),
        ringing("spare", "500"),
    ])
    .await;
    harness.open("/hunts").await;
    harness.click("input[aria-label='Select night']").await;
    harness.click("input[aria-label='Select spare']").await;
    harness
        .wait_for_text("[data-testid='selected-count']", "2 selected")
        .await;
    harness.choose("#bulk-kind", "block").await;
    harness.click_text("Preview").await;
    harness
        .wait_for_text(
            "[data-testid='bulk-summary']",
            "2 other hunts overflow into these: their calls would reach a dead end",
        )
        .await;
    let night = harness.id_of("night").await;
    harness
        .wait_for_text(
            &format!(".bulk-preview tr[data-id='{night}']"),
            "2 overflow into it (sales, support): a dead end after this change",
        )
        .await;
    let spare = harness.id_of("spare").await;
    let spare_row = harness
        .text_of(&format!(".bulk-preview tr[data-id='{spare}']"))
        .await;
    assert!(!spare_row.contains("overflow"), "{spare_row}");
    harness.stop().await;
}

/// The lookup, given a number no hunt has, finds the hunts whose transfers name it.
#[tokio::test]
async fn the_lookup_finds_the_hunts_that_transfer_to_a_number() {
    let harness = Harness::start(routed()).await;
    harness.expect_failed_request(404); // LOOKUP of a number no hunt has
    harness.open("/hunts").await;
    harness.find("table.hunts").await;
    harness.type_into("#lookup-key", "+15550100").await;
    harness.click(".lookup button[type=submit]").await;
    harness
        .wait_for_text(
            ".lookup-message",
            "No hunt has +15550100; 2 hunts transfer to it",
        )
        .await;
    harness.click_text("2 hunts transfer to it").await;
    harness.wait_for_codes(&["idle", "exit"]).await;
    harness.stop().await;
}

/// The import's dry run checks the file as a whole, as the hunts would be after it: a loop
/// across two of its own records, and a dead end into a blocked hunt of the server's, each said
/// in the summary and on the records concerned; faults among the server's hunts alone are not
/// the file's. A warning: the import still runs.
#[tokio::test]
async fn the_imports_dry_run_flags_a_loop_across_its_own_records_and_a_dead_end() {
    let harness = Harness::start(routed()).await;
    harness.open("/hunts").await;
    harness
        .wait_for_codes(&["sales", "support", "billing", "night", "idle", "exit"])
        .await;
    harness.click_text("Import").await;
    let csv = "code,phonenumber,timeout,timeouttrannumber,resources\r\n\
               alpha,700,60,beta,agent:1\r\n\
               beta,800,60,alpha,agent:1\r\n\
               gamma,900,30,night,agent:1\r\n\
               calm,950,0,,agent:1\r\n";
    harness
        .choose_file("#import-file", "routing.csv", csv)
        .await;
    harness
        .wait_for_text(
            "[data-testid='import-summary']",
            "It would leave 2 faults in the routing: Calls loop: alpha -> beta -> alpha; \
             Dead end: gamma sends calls after 30 s to night, which is blocked.",
        )
        .await;
    let flagged = harness
        .browser
        .execute(
            "return [...document.querySelectorAll('.import tbody tr[data-routing]')]\
             .map(row => row.cells[1].textContent);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(flagged, serde_json::json!(["alpha", "beta", "gamma"]));
    harness.click_text("Import 4 hunts").await;
    harness
        .wait_for_text("[data-testid='import-report']", "4 created")
        .await;
    harness.stop().await;
}
