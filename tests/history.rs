//! A hunt's history on its page: who changed what, each field before and after, and a version
//! restored in one step; next to a platform without history, one line says so.

use browser_harness as common;

use common::{Harness, hunt};
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
    // Once the app knows, the header offers no Recent changes; the address says why.
    harness.open("/hunts").await;
    harness.wait_for_codes(&["q1"]).await;
    assert!(!harness.has("a[href='/changes']").await);
    harness.open("/changes").await;
    harness
        .wait_for_text(
            "[data-testid='no-history']",
            "This server keeps no history of changes.",
        )
        .await;
    harness.stop().await;
}

/// The stored hunts by code, with their weights.
async fn weights(harness: &Harness) -> Vec<(String, u32)> {
    let (_, hunts) = harness
        .store
        .list_hunts(ListQuery::default())
        .await
        .unwrap();
    let mut weights: Vec<(String, u32)> = hunts
        .into_iter()
        .map(|hunt| (hunt.code, hunt.weight))
        .collect();
    weights.sort();
    weights
}

#[tokio::test]
async fn a_bulk_change_set_is_undone_from_a_fresh_tab_leaving_a_hunt_changed_since() {
    let harness = Harness::start(vec![
        hunt("q1", "101", 1),
        hunt("q2", "102", 2),
        hunt("q3", "103", 3),
    ])
    .await;
    // Days ago, in another browser: a bulk run set every weight to 70.
    let set = "bulk 2026-11-30T09:00:00.000Z 00c0ffee";
    let (_, hunts) = harness
        .store
        .list_hunts(ListQuery::default())
        .await
        .unwrap();
    for stored in &hunts {
        let bulk = Origin {
            by: None,
            change_set: Some(set.to_owned()),
        };
        harness
            .store
            .update_as(bulk, stored.id.clone(), Precondition::any(), |hunt| {
                Ok(Hunt {
                    weight: 70,
                    ..hunt.clone()
                })
            })
            .await
            .unwrap();
    }
    // Since then, someone set q2's weight by hand.
    let q2 = hunts
        .iter()
        .find(|hunt| hunt.code == "q2")
        .unwrap()
        .id
        .clone();
    harness
        .store
        .update_as(Origin::default(), q2, Precondition::any(), |hunt| {
            Ok(Hunt {
                weight: 5,
                ..hunt.clone()
            })
        })
        .await
        .unwrap();

    harness.open("/changes").await;
    harness
        .wait_for_text(
            "[data-change-set] [data-testid='set-headline']",
            "changed 3 hunts (Weight)",
        )
        .await;
    let entries = harness.texts_of("[data-testid='changes'] > li").await;
    assert!(
        entries[0].contains("changed q2 (Weight)") && entries[0].contains("by hand"),
        "the newest first: {entries:?}"
    );
    assert!(entries[1].contains("in a bulk change"), "{entries:?}");
    harness.click_text("Undo this change set").await;
    harness
        .wait_for_text(
            "[data-testid='set-undo-summary']",
            "2 will be put back as the change set found them, 1 changed since by someone else",
        )
        .await;
    assert_eq!(
        weights(&harness).await,
        [
            ("q1".to_owned(), 70),
            ("q2".to_owned(), 5),
            ("q3".to_owned(), 70)
        ],
        "nothing sent before the undo is applied"
    );
    harness.click_text("Undo 2 hunts").await;
    harness
        .wait_for_text(
            "[data-testid='set-undo-report']",
            "Undone: 3 hunts: 2 changed, 1 conflicted.",
        )
        .await;
    assert_eq!(
        weights(&harness).await,
        [
            ("q1".to_owned(), 1),
            ("q2".to_owned(), 5),
            ("q3".to_owned(), 1)
        ],
        "q2 left as it was written since; the others as the set found them"
    );
    harness.stop().await;
}

#[tokio::test]
async fn a_deleted_hunt_is_restored_with_its_id_and_a_taken_code_is_refused() {
    let harness = Harness::start(vec![hunt("q1", "101", 1), hunt("q2", "102", 2)]).await;
    let (_, hunts) = harness
        .store
        .list_hunts(ListQuery::default())
        .await
        .unwrap();
    let id_of = |code: &str| {
        hunts
            .iter()
            .find(|hunt| hunt.code == code)
            .unwrap()
            .id
            .clone()
    };
    let (q1, q2) = (id_of("q1"), id_of("q2"));
    for id in [&q1, &q2] {
        harness
            .store
            .delete_as(Origin::default(), id.clone(), Precondition::any())
            .await
            .unwrap();
    }
    // Since, another hunt took q2's code.
    harness.store.create(hunt("q2", "202", 5)).await.unwrap();

    // The refused restore's answer.
    harness.expect_failed_request(409);
    harness.open("/changes/deleted").await;
    harness
        .wait_for_text(
            "[data-testid='deleted-status']",
            "2 deleted hunts in the whole history",
        )
        .await;
    harness.click(&format!("li[data-id='{q2}'] button")).await;
    harness
        .wait_for_text(
            &format!("li[data-id='{q2}'] [role='alert']"),
            "Not restored",
        )
        .await;
    let refused = harness
        .text_of(&format!("li[data-id='{q2}'] [role='alert']"))
        .await;
    assert!(refused.contains("code"), "the field is named: {refused}");
    harness.click(&format!("li[data-id='{q1}'] button")).await;
    harness.wait_for_text(".notice", "Restored hunt q1").await;
    let restored = harness.store.get(q1.clone()).await.unwrap().hunt;
    assert_eq!(
        (
            restored.code.as_str(),
            restored.phonenumber.as_str(),
            restored.id
        ),
        ("q1", "101", q1),
        "back with its id and its last fields"
    );
    assert_eq!(weights(&harness).await.len(), 2, "q2 was not half-written");
    harness.stop().await;
}
