//! A hunt's history on its page: who changed what, each field before and after, and a version
//! restored in one step; next to a platform without history, one line says so.

mod common;

use common::{Harness, ONE_AT_A_TIME, hunt};
use hunts_model::{Hunt, ListQuery};
use hunts_server::reference_only::{self, ReferenceOnly};
use hunts_server::store::{Origin, Precondition};

/// The one hunt the test's server holds, as stored.
async fn only_hunt(harness: &Harness) -> Hunt {
    let (_, mut hunts) = harness
        .store
        .list_hunts(ListQuery::default())
        .await
        .unwrap();
    assert_eq!(hunts.len(), 1);
    hunts.remove(0)
}

#[tokio::test]
async fn a_change_is_shown_field_by_field_and_an_older_version_restored() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let harness = Harness::start(vec![hunt("q1", "101", 1)]).await;
    let id = only_hunt(&harness).await.id;
    // Someone changes the weight in a bulk run.
    let bulk = Origin {
        by: None,
        change_set: Some("bulk 2026-12-04T05:00:00.000Z 0000beef".to_owned()),
    };
    harness
        .store
        .update_as(bulk, id.clone(), Precondition::any(), |hunt| {
            Ok(Hunt {
                weight: 70,
                ..hunt.clone()
            })
        })
        .await
        .unwrap();
    harness.open(&format!("/hunts/{id}")).await;
    harness
        .wait_for_text("[data-testid='history']", "Weight: 1 → 70")
        .await;
    let items = harness.texts_of(".revision").await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        items[0].contains("changed it") && items[0].contains("in a bulk change"),
        "{items:?}"
    );
    assert!(items[1].contains("created it"), "{items:?}");

    // Restore the first version: what goes back is shown before anything is sent.
    harness.click_text("Restore this version").await;
    harness
        .wait_for_text(".restore-preview", "Weight: 70 → 1")
        .await;
    assert_eq!(
        only_hunt(&harness).await.weight,
        70,
        "nothing sent before Restore"
    );
    harness.click_text("Restore").await;
    harness
        .wait_for_text(".notice", "Restored hunt q1 to revision 1")
        .await;
    harness
        .wait_for_text("[data-testid='history'] .revision", "by hand")
        .await;
    assert_eq!(harness.texts_of(".revision").await.len(), 3);
    let stored = only_hunt(&harness).await;
    assert_eq!(stored.weight, 1);
    assert_eq!(stored.code, "q1");
    harness.stop().await;
}

#[tokio::test]
async fn next_to_a_platform_without_history_the_page_says_it_keeps_none() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let harness = Harness::start_with(vec![hunt("q1", "101", 1)], |router| {
        reference_only::layer(router, ReferenceOnly::default())
    })
    .await;
    // The session resource and the history are both missing there.
    harness.expect_failed_request(404);
    let id = only_hunt(&harness).await.id;
    harness.open(&format!("/hunts/{id}")).await;
    harness
        .wait_for_text(
            "[data-testid='no-history']",
            "This server keeps no history of changes.",
        )
        .await;
    assert!(!harness.has("[data-testid='history']").await);
    harness.stop().await;
}
