//! The app next to a platform with only the reference API (the server's `--reference-only`
//! layer): no ETag, so the app guards its own writes and says so; an Undo puts back only what
//! its change touched; a hunt restored where the platform keeps no ids says where it now is.

use browser_harness as common;

use common::{Harness, hunt};
use hunts_model::{Hunt, ListQuery, Resource};
use hunts_server::reference_only::{self, CreateWithId, ReferenceOnly};
use hunts_server::store::Precondition;
use serde_json::Value;

async fn start(hunts: Vec<Hunt>, create_with_id: CreateWithId) -> Harness {
    start_as(
        hunts,
        ReferenceOnly {
            create_with_id,
            strict_masks: false,
        },
    )
    .await
}

async fn start_as(hunts: Vec<Hunt>, platform: ReferenceOnly) -> Harness {
    let harness =
        Harness::start_with(hunts, move |router| reference_only::layer(router, platform)).await;
    // The app asks once whether the server has sign-in of its own: here it has not.
    harness.expect_failed_request(404);
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

/// Someone else writes `change` to the stored hunt `code`.
async fn someone_else(
    harness: &Harness,
    code: &str,
    change: impl FnOnce(&mut Hunt) + Send + 'static,
) {
    let id = harness.id_of(code).await;
    harness
        .store
        .update(id, Precondition::any(), move |hunt| {
            let mut hunt = hunt.clone();
            change(&mut hunt);
            Ok(hunt)
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn an_edit_over_someone_elses_change_is_stopped_and_merged_without_etags() {
    let harness = start(vec![hunt("q1", "101", 1)], CreateWithId::Ignored).await;
    let id = harness.id_of("q1").await;
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness
        .wait_for_text("[data-testid='unguarded']", "does not version hunts")
        .await;
    harness.type_into("#f-displayname", "Mine").await;
    someone_else(&harness, "q1", |hunt| hunt.weight = 77).await;
    harness.click_text("Save changes").await;
    harness
        .wait_for_text("#form-refusals", "Someone else changed this hunt")
        .await;
    let now = &stored(&harness).await[0];
    assert_eq!(
        (now.weight, now.displayname.as_str()),
        (77, ""),
        "theirs stays"
    );
    assert_eq!(
        harness.prop_of("#f-displayname", "value").await.as_deref(),
        Some("Mine"),
        "the edit is kept"
    );
    // Their version is read and merged in: Save again keeps both.
    harness
        .wait_for_text(
            "[data-testid='merge-news']",
            "Someone changed q1 just now: Weight",
        )
        .await;
    assert_eq!(
        harness.prop_of("#f-weight", "value").await.as_deref(),
        Some("77")
    );
    harness.click_text("Save changes").await;
    harness
        .eventually(
            "the saved hunt",
            async |harness| {
                let now = &stored(harness).await[0];
                (now.weight, now.displayname.clone())
            },
            |saved| *saved == (77, "Mine".to_owned()),
        )
        .await;
    harness.stop().await;
}

/// Bulk Apply meets a change made after the preview: conflicted, as with ETags. Undo puts back
/// only the fields its change touched (another client's weight stays), and skips a hunt whose
/// touched field someone changed since.
#[tokio::test]
async fn bulk_apply_and_undo_leave_other_peoples_changes_alone() {
    let hunts = ["a", "b", "c"]
        .iter()
        .map(|code| Hunt {
            reslimit: 1,
            weight: 10,
            ..hunt(code, "", 1)
        })
        .collect();
    let harness = start(hunts, CreateWithId::Ignored).await;
    harness.open("/hunts").await;
    harness.click("input[data-select-page]").await;
    harness
        .wait_for_text("[data-testid='selected-count']", "3 selected")
        .await;
    harness.choose("#bulk-kind", "set-field").await;
    harness.choose("#bulk-field", "reslimit").await;
    harness.type_into("#bulk-value", "4").await;
    harness.click_text("Preview").await;
    harness
        .wait_for_text("[data-testid='bulk-summary']", "3 will change")
        .await;
    harness
        .wait_for_text("[data-testid='unguarded']", "does not version hunts")
        .await;
    someone_else(&harness, "c", |hunt| {
        hunt.resources = vec![Resource {
            id: "added-meanwhile".to_owned(),
            priority: 1,
        }];
    })
    .await;
    harness.click_text("Apply to 3 hunts").await;
    harness
        .wait_for_text(
            "[data-testid='bulk-report']",
            "3 hunts: 2 changed, 1 conflicted",
        )
        .await;
    let c = stored(&harness).await[2].clone();
    assert_eq!((c.reslimit, c.resources.len()), (1, 1), "c as they left it");

    // Meanwhile: a's weight (a field the change did not touch), b's reslimit (one it did).
    someone_else(&harness, "a", |hunt| hunt.weight = 77).await;
    someone_else(&harness, "b", |hunt| hunt.reslimit = 9).await;
    harness.click_text("Undo this change").await;
    harness
        .wait_for_text(
            "[data-testid='bulk-report']",
            "Undone: 2 hunts: 1 changed, 1 conflicted",
        )
        .await;
    let now = stored(&harness).await;
    assert_eq!(
        (now[0].reslimit, now[0].weight),
        (1, 77),
        "a: back, their weight kept"
    );
    assert_eq!(now[1].reslimit, 9, "b: their change stays");
    harness.stop().await;
}

/// Where the platform ignores an id on create, or refuses one, a deleted hunt still comes back
/// (never "refused" and gone), and the app says it has a new id and links to where it is.
#[tokio::test]
async fn a_restore_without_create_with_id_says_where_the_hunt_now_is() {
    for mode in [CreateWithId::Ignored, CreateWithId::Refused] {
        let harness = start(vec![hunt("q1", "101", 1), hunt("q2", "102", 2)], mode).await;
        harness.expect_failed_request(400);
        let old = harness.id_of("q1").await;
        harness.open(&format!("/hunts/{old}")).await;
        harness.click_text("Delete…").await;
        harness.click_text("Delete q1").await;
        harness.wait_for_text(".notice", "Deleted hunt q1").await;
        harness.click_text("Undo").await;
        harness
            .wait_for_text(".notice", "Restored hunt q1 under a new id")
            .await;
        let new = harness.id_of("q1").await;
        assert_ne!(new, old, "{mode:?}");
        harness.wait_for_address_with(&new).await;

        // A bulk delete's Undo, row by row; said before it runs, now that the app knows.
        harness.open("/hunts").await;
        harness.click("input[data-select-page]").await;
        harness
            .wait_for_text("[data-testid='selected-count']", "2 selected")
            .await;
        harness.choose("#bulk-kind", "delete").await;
        harness
            .wait_for_text("[data-testid='delete-note']", "under new ids")
            .await;
        harness.click_text("Preview").await;
        harness
            .wait_for_text(".bulk-preview", "will be deleted")
            .await;
        harness.click_text("Apply to 2 hunts").await;
        harness
            .wait_for_text("[data-testid='bulk-report']", "2 hunts: 2 deleted")
            .await;
        harness.click_text("Undo this change").await;
        harness
            .wait_for_text("[data-testid='bulk-report']", "Undone: 2 hunts: 2 restored")
            .await;
        harness
            .wait_for_text(".bulk-report", "restored under a new id")
            .await;
        assert_eq!(stored(&harness).await.len(), 2, "{mode:?}: both are back");
        let links: Vec<String> = {
            let mut links = Vec::new();
            for link in harness
                .browser
                .find_all(fantoccini::Locator::Css(".bulk-report a"))
                .await
                .unwrap()
            {
                links.push(link.attr("href").await.unwrap().unwrap_or_default());
            }
            links
        };
        let ids = harness.hunt_ids().await;
        for link in &links {
            assert!(
                ids.iter().any(|id| link.ends_with(id.as_str())),
                "{mode:?}: {link} leads to a hunt"
            );
        }
        assert_eq!(links.len(), 2);
        harness.stop().await;
    }
}

/// Without `X-Total-Count`: a last page that is exactly full leaves no Next to an empty page,
/// and "Select all that match" is still offered. Without the `resources.id` filter: the lookup
/// finds a resource by reading the hunts, as the resource page does; the filter refused once
/// is not asked for again in this tab.
#[tokio::test]
async fn paging_selecting_and_finding_resources_without_the_extensions() {
    let hunts = (0..50)
        .map(|n| Hunt {
            resources: if n % 7 == 0 {
                vec![Resource {
                    id: "agent-7".to_owned(),
                    priority: 1,
                }]
            } else {
                Vec::new()
            },
            ..hunt(&format!("p{n:02}"), "", 1)
        })
        .collect();
    let harness = start(hunts, CreateWithId::Ignored).await;
    harness.expect_failed_request(400); // the `resources.id` filter, refused once
    harness.open("/hunts").await;
    harness.wait_for_text("[data-testid='range']", "1–25").await;
    harness.click_text("Next ›").await;
    harness
        .wait_for_text("[data-testid='range']", "26–50")
        .await;
    assert_eq!(
        harness
            .prop_of("nav.pager button:last-of-type", "disabled")
            .await
            .as_deref(),
        Some("true"),
        "no Next past an exactly full last page"
    );
    harness.click_text("Select all that match").await;
    harness
        .wait_for_text("[data-testid='selected-count']", "50 selected")
        .await;
    harness.click_text("Clear selection").await;

    harness.type_into("#lookup-key", "agent-7").await;
    harness.click(".lookup button[type=submit]").await;
    harness.wait_for_address_with("/resources/agent-7").await;
    harness
        .wait_for_text("[data-testid='used-in']", "In 8 hunts.")
        .await;
    harness.open("/hunts").await;
    harness.wait_for_text("[data-testid='range']", "1–25").await;
    harness.type_into("#lookup-key", "agent-7").await;
    harness.click(".lookup button[type=submit]").await;
    harness.wait_for_address_with("/resources/agent-7").await;
    harness
        .wait_for_text("[data-testid='used-in']", "In 8 hunts.")
        .await;
    let errors = harness.console_errors().await;
    let refused = |text: &str| errors.iter().filter(|entry| entry.contains(text)).count();
    assert_eq!(
        refused("status of 400"),
        1,
        "the filter is asked for once: {errors:?}"
    );
    assert_eq!(
        refused("/rest/v1/session"),
        1,
        "the session is asked for once: {errors:?}"
    );
    harness.stop().await;
}

/// A list that gives only the reference's output fields (no `resources`): the resource page and
/// the JSON export read the hunts whole one by one, and an import with ids says which hunts
/// the platform gave new ids.
#[tokio::test]
async fn resources_export_and_import_where_the_list_gives_only_some_fields() {
    let ringing = Hunt {
        resources: vec![Resource {
            id: "agent-7".to_owned(),
            priority: 1,
        }],
        ..hunt("sales", "101", 1)
    };
    let harness = start_as(
        vec![ringing, hunt("support", "102", 2)],
        ReferenceOnly {
            create_with_id: CreateWithId::Ignored,
            strict_masks: true,
        },
    )
    .await;
    // The filter and the whole mask, each refused once.
    harness.expect_failed_request(400);
    harness.open("/resources/agent-7").await;
    harness
        .wait_for_text("[data-testid='used-in']", "In 1 hunt.")
        .await;
    harness.wait_for_text(".resource-page table", "sales").await;

    // The JSON export of the list: whole hunts, resources included.
    harness.open("/hunts").await;
    harness.find("table.hunts").await;
    harness.keep_exported_files().await;
    harness.click(".export summary").await;
    harness.click_text("JSON (whole hunts)").await;
    let text = harness.exported_text(1).await;
    let exported: Value = serde_json::from_str(&text).unwrap();
    let want: Vec<Value> = stored(&harness).await.iter().map(Hunt::to_json).collect();
    assert_eq!(
        exported,
        Value::Array(want),
        "whole hunts, resources included"
    );

    // An import of two new hunts with ids of their own.
    harness.click("#import-open").await;
    let file = serde_json::json!([
        {"id": "0007f945-016c-b373-2772-50e54938780c", "code": "new_a"},
        {"id": "a9667bcc-016c-cd71-6d06-50e54938780c", "code": "new_b"}
    ]);
    harness
        .choose_file("#import-file", "ids.json", &file.to_string())
        .await;
    harness.click_text("Import 2 hunts").await;
    harness
        .wait_for_text("[data-testid='import-report']", "2 hunts: 2 created")
        .await;
    harness
        .wait_for_text(".bulk-report", "created under a new id")
        .await;
    let codes: Vec<String> = stored(&harness)
        .await
        .into_iter()
        .map(|hunt| hunt.code)
        .collect();
    assert_eq!(codes, ["sales", "support", "new_a", "new_b"]);
    harness.stop().await;
}
