//! A fault (a panic in the app) is not silent: one line says so and offers to reload, and the
//! form's draft survives that reload. The fault is the app's own drill (`fault::drill_fault`),
//! called from the test's script, since the app has no panic left to provoke.
//!
//! Run through `cargo xtask test`, which builds the app and installs the browser first.

use browser_harness as common;

use common::{Harness, hunt};

/// Calls the app's fault drill as a bug would panic: the page's module, imported again, is the
/// same instance the app runs in.
const DRILL: &str = r#"
    const done = arguments[arguments.length - 1];
    const preload = document.querySelector('link[rel=modulepreload]');
    import(preload.href).then((module) => {
        try { module.drill_fault(); } catch (trap) { /* the abort's RuntimeError */ }
        done(true);
    });
"#;

async fn drill(harness: &Harness) {
    harness.expect_in_console("a fault drill");
    harness.browser.execute_async(DRILL, vec![]).await.unwrap();
}

async fn wait_for_display_name(harness: &Harness, expected: &str) {
    harness
        .eventually(
            &format!("the form's display name to be {expected:?}"),
            async |harness| harness.prop_of("#f-displayname", "value").await,
            |value| value.as_deref() == Some(expected),
        )
        .await;
}

#[tokio::test]
async fn a_fault_says_so_and_a_reload_keeps_the_forms_draft() {
    let harness = Harness::start(vec![hunt("faulty", "300", 1)]).await;
    let id = harness.hunt_ids().await[0].clone();
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness
        .type_into("#f-displayname", "Typed before the fault")
        .await;
    harness
        .wait_for_text(".form-actions", "Unsaved changes")
        .await;

    drill(&harness).await;
    harness.wait_for_text("#fault", "The app hit a fault").await;
    assert!(
        harness.text_of("#fault").await.contains("what you typed"),
        "the line says the draft is kept"
    );
    // The line's link loads the app again, without asking about unsaved changes (they are kept).
    harness.click_text("Reload the app").await;
    // The reloaded form shows the draft.
    wait_for_display_name(&harness, "Typed before the fault").await;
    assert!(!harness.has("#fault").await, "a fresh load has no fault");
    harness
        .wait_for_text(".form-actions", "Unsaved changes")
        .await;
    harness.click_text("Save changes").await;
    harness.wait_for_text(".notice", "Saved hunt faulty").await;
    let stored = harness.store.get(id.clone()).await.unwrap().hunt;
    assert_eq!(stored.displayname, "Typed before the fault");

    // Kept once: a later visit to the form starts from the hunt as stored.
    harness.open(&format!("/hunts/{id}/edit")).await;
    // The form shows the stored hunt.
    wait_for_display_name(&harness, "Typed before the fault").await;
    assert!(!harness.text_of(".form-actions").await.contains("Unsaved"));
    harness.stop().await;
}

#[tokio::test]
async fn a_fault_away_from_a_form_offers_the_reload_alone() {
    let harness = Harness::start(vec![hunt("listed", "300", 1)]).await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["listed"]).await;
    drill(&harness).await;
    harness.wait_for_text("#fault", "The app hit a fault").await;
    assert!(!harness.text_of("#fault").await.contains("what you typed"));
    harness.click_text("Reload the app").await;
    harness
        .eventually(
            "the app loaded again",
            async |harness| harness.has("#fault").await,
            |fault| !fault,
        )
        .await;
    harness.wait_for_codes(&["listed"]).await;
    harness.stop().await;
}
