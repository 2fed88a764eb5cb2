//! Times that read naturally and durations with units (issue 9): the list shows when a hunt
//! was last written as "today 14:03" with the exact time on hover, the detail page says how
//! long ago it changed, durations read "2 min", and the form takes "1 h 30 min" for a timeout.

use browser_harness as common;

use common::{Harness, hunt};
use hunts_model::{Hunt, HuntBlock, Strategy};

#[tokio::test]
async fn times_read_as_days_and_durations_as_units() {
    let harness = Harness::start(vec![Hunt {
        timeout: 120,
        resdialtimeout: 45,
        huntblock: HuntBlock {
            enabled: true,
            expires: 28_800,
            reason: "night".to_owned(),
        },
        strategy: Strategy::Timers {
            seconds: vec![30, 90],
        },
        ..hunt("timed", "1", 1)
    }])
    .await;
    let id = harness.hunt_ids().await[0].clone();

    // The list: the last write is today, with hours and minutes; the hover has the seconds too.
    harness.open("/hunts").await;
    harness.wait_for_codes(&["timed"]).await;
    let written = harness.find("tbody tr td[title]").await;
    let text = written.text().await.unwrap();
    assert!(text.starts_with("today "), "{text}");
    let exact = written.attr("title").await.unwrap().unwrap_or_default();
    assert!(
        exact.matches(':').count() == 2,
        "the hover shows the exact time, to the second: {exact}"
    );

    // The detail: how long ago it changed, and durations in units.
    harness.open(&format!("/hunts/{id}")).await;
    let changed = harness.text_of(".changed").await;
    assert!(changed.starts_with("changed "), "{changed}");
    let details = harness.text_of(".groups").await;
    assert!(details.contains("2 min"), "timeout reads 2 min: {details}");
    assert!(details.contains("45 s"), "{details}");
    // The block's expiry and the timers read in the same units as the form takes.
    assert_eq!(
        harness.text_of("[data-testid='block']").await,
        "Blocked for 8 h (night)"
    );
    assert!(details.contains("timers: 30 s, 1 min 30 s"), "{details}");

    // The form shows the timeout with its unit and takes one typed with units.
    harness.open(&format!("/hunts/{id}/edit")).await;
    assert_eq!(
        harness.prop_of("#f-timeout", "value").await.as_deref(),
        Some("2 min")
    );
    // A screen reader reads the hint with the input (and would read a message too).
    let description = harness
        .browser
        .execute(
            "return document.getElementById('f-timeout').getAttribute('aria-describedby') \
             .split(' ').map(id => document.getElementById(id).textContent).join('|');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        description.as_str(),
        Some("0 = off; in seconds, or with units: 45 s, 2 min|"),
        "the timeout's hint, then its (empty) message"
    );
    let input = harness.find("#f-timeout").await;
    input.clear().await.unwrap();
    input.send_keys("1 h 30 min").await.unwrap();
    harness.click_text("Save changes").await;
    harness
        .eventually(
            "the saved timeout",
            async |harness| harness.store.get(id.clone()).await.unwrap().hunt.timeout,
            |timeout| *timeout == 5400,
        )
        .await;
    harness.wait_for_text(".groups", "1 h 30 min").await;

    // A duration the form does not take: the message says what it takes, by the field's label.
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness.type_into("#f-timeout", "2 weeks").await;
    harness
        .wait_for_text(
            "#f-timeout-error",
            "Timeout takes a number of seconds, or 90 s, 2 min, 1 h 30 min",
        )
        .await;
    harness.stop().await;
}

/// Units in one place (issue 30): the filter and a bulk block take durations as the form does.
#[tokio::test]
async fn the_filter_and_a_bulk_block_take_durations_with_units() {
    let blocked_for = |code: &str, phone: &str, expires: u32| Hunt {
        huntblock: HuntBlock {
            enabled: true,
            expires,
            reason: String::new(),
        },
        ..hunt(code, phone, 1)
    };
    let harness = Harness::start(vec![
        blocked_for("night", "1", 28_800),
        blocked_for("lunch", "2", 3_600),
    ])
    .await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["night", "lunch"]).await;
    harness
        .find("#filter-field")
        .await
        .select_by_value("huntblock.expires")
        .await
        .unwrap();
    harness.type_into("#filter-value", "8 parsecs").await;
    harness.click_text("Add filter").await;
    harness
        .wait_for_text(
            ".filter-bar .field-error",
            "Block expires after takes a number of seconds, or 90 s, 2 min, 1 h 30 min",
        )
        .await;
    harness.type_into("#filter-value", "8 h").await;
    harness.click_text("Add filter").await;
    harness.wait_for_codes(&["night"]).await;
    harness
        .wait_for_text(".chips", "Block expires after = 8 h")
        .await;

    // A bulk block for 1 h 30 min: the preview reads it, and the hunt gets 5,400 s.
    harness.click("input[aria-label='Select night']").await;
    harness.choose("#bulk-kind", "block").await;
    harness.type_into("#bulk-reason", "maintenance").await;
    harness.type_into("#bulk-expires", "1 h 30 min").await;
    harness.click_text("Preview").await;
    harness
        .wait_for_text(
            "[data-testid='bulk-summary']",
            "Preview: block for 1 h 30 min (maintenance). 1 will change",
        )
        .await;
    harness.click_text("Apply to 1 hunt").await;
    harness
        .wait_for_text("[data-testid='bulk-report']", "1 changed")
        .await;
    let id = harness.id_of("night").await;
    assert_eq!(
        harness.store.get(id).await.unwrap().hunt.huntblock.expires,
        5_400
    );
    harness.stop().await;
}
