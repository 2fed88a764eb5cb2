//! Work on many hunts, by real clicks, checked in the database: a resource added to three
//! selected hunts after a preview; a hunt changed by someone else after the preview reported
//! as conflicted and left as they wrote it; Undo of the batch; Duplicate; Undo of a delete.

use browser_harness as common;

use common::{Harness, hunt};
use hunts_model::{FieldPath, Hunt, ListQuery, Resource, csv, flatten};
use serde_json::Value;

async fn stored(harness: &Harness) -> Vec<Hunt> {
    harness
        .store
        .list_hunts(ListQuery::default())
        .await
        .unwrap()
        .1
}

fn with_ring(code: &str, ring: &[(&str, i32)]) -> Hunt {
    Hunt {
        resources: ring
            .iter()
            .map(|(id, priority)| Resource {
                id: (*id).to_owned(),
                priority: *priority,
            })
            .collect(),
        ..hunt(code, "", 1)
    }
}

/// The change sets the server's history holds, with how many revisions each.
async fn change_sets(harness: &Harness) -> Vec<(String, usize)> {
    let history = harness
        .store
        .history(hunts_model::history::HistoryQuery::default())
        .await
        .unwrap();
    let mut sets: Vec<(String, usize)> = Vec::new();
    for set in history
        .revisions
        .into_iter()
        .filter_map(|revision| revision.change_set)
    {
        match sets.iter_mut().find(|(known, _)| *known == set) {
            Some((_, count)) => *count += 1,
            None => sets.push((set, 1)),
        }
    }
    sets
}

/// Selects the list's page of 12 hunts and previews adding resource `newbie` to each.
async fn preview_newbie_for_the_page_of_12(harness: &Harness) {
    harness.click("input[data-select-page]").await;
    harness
        .wait_for_text("[data-testid='selected-count']", "12 selected")
        .await;
    harness.type_into("#bulk-resource", "newbie").await;
    harness.click_text("Preview").await;
    harness
        .wait_for_text("[data-testid='bulk-summary']", "12 will change")
        .await;
}

fn has_resource(hunt: &Hunt, id: &str) -> bool {
    hunt.resources.iter().any(|resource| resource.id == id)
}

#[tokio::test]
async fn a_resource_added_to_three_hunts_after_a_preview_and_undone() {
    let hunts = vec![
        with_ring("north", &[("a", 100)]),
        with_ring("south", &[("a", 100), ("b", 90)]),
        with_ring("east", &[]),
        with_ring("west", &[("a", 100)]),
    ];
    let harness = Harness::start(hunts).await;
    harness.expect_failed_request(412); // the hunt changed after the preview
    harness.open("/hunts").await;
    harness
        .wait_for_codes(&["north", "south", "east", "west"])
        .await;

    // Select north, then Shift-click east: north, south and east.
    harness.click("input[aria-label='Select north']").await;
    let east = harness.find("input[aria-label='Select east']").await;
    harness
        .browser
        .execute(
            "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true, shiftKey: true}));",
            vec![serde_json::to_value(&east).unwrap()],
        )
        .await
        .unwrap();
    harness
        .wait_for_text("[data-testid='selected-count']", "3 selected")
        .await;

    // The change, previewed: three will change, nothing sent yet.
    harness.type_into("#bulk-resource", "newbie").await;
    harness.click_text("Preview").await;
    harness
        .wait_for_text("[data-testid='bulk-summary']", "3 will change, 0 unchanged")
        .await;
    harness
        .wait_for_text(".bulk-preview", "1st: a; then b; then newbie")
        .await;
    // Each resource in the ring words is a link to where else it rings, in a new tab.
    let link = harness
        .find(".bulk-preview a[href='/resources/newbie']")
        .await;
    assert_eq!(
        link.attr("target").await.unwrap().as_deref(),
        Some("_blank")
    );
    assert!(
        stored(&harness)
            .await
            .iter()
            .all(|hunt| !has_resource(hunt, "newbie")),
        "a preview sends nothing"
    );

    // Someone changes south after the preview; then Apply.
    let south = stored(&harness).await[1].clone();
    harness
        .store
        .update(south.id.clone(), Default::default(), |hunt| {
            Ok(Hunt {
                weight: 42,
                ..hunt.clone()
            })
        })
        .await
        .unwrap();
    harness.click_text("Apply to 3 hunts").await;
    harness
        .wait_for_text(
            "[data-testid='bulk-report']",
            "3 hunts: 2 changed, 1 conflicted",
        )
        .await;
    let after = stored(&harness).await;
    let codes_with = |hunts: &[Hunt]| -> Vec<String> {
        hunts
            .iter()
            .filter(|hunt| has_resource(hunt, "newbie"))
            .map(|hunt| hunt.code.clone())
            .collect()
    };
    assert_eq!(codes_with(&after), ["north", "east"]);
    assert_eq!(after[1].weight, 42, "south is as the other client left it");
    assert!(!has_resource(&after[3], "newbie"), "west was not selected");
    let run = change_sets(&harness).await;
    assert_eq!(
        run.len(),
        1,
        "the run's writes name one change set: {run:?}"
    );
    assert!(run[0].0.starts_with("bulk ") && run[0].1 == 2, "{run:?}");

    // Undo puts the two back, as a change set of its own.
    harness.click_text("Undo this change").await;
    harness
        .wait_for_text("[data-testid='bulk-report']", "Undone: 2 hunts: 2 changed")
        .await;
    assert!(codes_with(&stored(&harness).await).is_empty());
    let sets = change_sets(&harness).await;
    assert_eq!(sets.len(), 2, "{sets:?}");
    assert!(
        sets.iter()
            .any(|(set, count)| set.starts_with("undo ") && *count == 2),
        "{sets:?}"
    );
    harness.stop().await;
}

#[tokio::test]
async fn duplicate_then_create_and_undo_a_delete() {
    let original = Hunt {
        weight: 7,
        displayname: "Sales desk".to_owned(),
        ..with_ring("sales", &[("a", 100), ("b", 90)])
    };
    let harness = Harness::start(vec![Hunt {
        phonenumber: "4001".to_owned(),
        ..original
    }])
    .await;
    // Duplicate looks a free code up (LOOKUP answers 404 for one no hunt has).
    harness.expect_failed_request(404);
    let id = harness.hunt_ids().await[0].clone();
    harness.open(&format!("/hunts/{id}")).await;
    harness.click_text("Duplicate").await;
    harness
        .eventually(
            "the copy's code",
            async |harness| harness.prop_of("#f-code", "value").await,
            |code| code.as_deref() == Some("sales_copy"),
        )
        .await;
    assert_eq!(
        harness.prop_of("#f-phonenumber", "value").await.as_deref(),
        Some("")
    );
    harness.click_text("Create hunt").await;
    harness
        .wait_for_text(".notice", "Created hunt sales_copy")
        .await;
    let hunts = stored(&harness).await;
    assert_eq!(hunts.len(), 2);
    let (first, copy) = (&hunts[0], &hunts[1]);
    assert_ne!(first.id, copy.id);
    assert_eq!(copy.phonenumber, "");
    let same = |hunt: &Hunt| Hunt {
        id: String::new(),
        code: String::new(),
        phonenumber: String::new(),
        ext: Default::default(),
        ..hunt.clone()
    };
    assert_eq!(
        same(first),
        same(copy),
        "they differ only in id, code and number"
    );

    // Delete the original; Undo brings it back with its id and every field.
    harness.open(&format!("/hunts/{id}")).await;
    harness.click_text("Delete…").await;
    harness.click_text("Delete sales").await;
    harness.wait_for_text(".notice", "Deleted hunt sales").await;
    assert_eq!(stored(&harness).await.len(), 1);
    harness.click_text("Undo").await;
    harness
        .wait_for_text(".notice", "Restored hunt sales")
        .await;
    let restored = harness.store.get(id.clone()).await.unwrap().hunt;
    assert_eq!(
        Hunt {
            ext: Default::default(),
            ..restored
        },
        Hunt {
            ext: Default::default(),
            ..first.clone()
        }
    );
    harness.stop().await;
}

/// The resource view's rows: (code, priority there, place in words).
async fn used_in(harness: &Harness) -> Vec<(String, String, String)> {
    let rows: serde_json::Value = harness
        .browser
        .execute(
            "return [...document.querySelectorAll('.resource-page tbody tr')]
                .map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value::<Vec<Vec<String>>>(rows)
        .unwrap()
        .into_iter()
        .map(|cells| (cells[0].clone(), cells[1].clone(), cells[2].clone()))
        .collect()
}

/// A platform without the `resources.id` filter: it answers that filter with a 400.
async fn without_resource_filter(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let asks = request
        .uri()
        .query()
        .is_some_and(|query| query.contains("resources.id"));
    if asks {
        let body = serde_json::json!({"error_code": 1400, "error_message": "filter: no such field resources.id", "field": "filter"});
        return (axum::http::StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
    }
    next.run(request).await
}

#[tokio::test]
async fn where_a_resource_is_used_with_and_without_the_filter() {
    let hunts = || {
        vec![
            with_ring("north", &[("agent-a", 100), ("agent-b", 90)]),
            with_ring("south", &[("agent-b", 100), ("agent-a", 100)]),
            with_ring("east", &[("agent-c", 100)]),
        ]
    };
    let expected = [
        ("north".to_owned(), "100".to_owned(), "1st of 2".to_owned()),
        (
            "south".to_owned(),
            "100".to_owned(),
            "2nd of 2, rung together with agent-b".to_owned(),
        ),
    ];
    let harness = Harness::start(hunts()).await;
    let north = harness.hunt_ids().await[0].clone();
    harness.open(&format!("/hunts/{north}")).await;
    harness
        .click("ol.resources a[href='/resources/agent-a']")
        .await;
    harness
        .wait_for_text("[data-testid='used-in']", "In 2 hunts.")
        .await;
    assert_eq!(used_in(&harness).await, expected);
    harness.stop().await;

    // Behind a platform without the filter, the app reads the pages itself: the same hunts.
    let harness = Harness::start_with(hunts(), |router| {
        router.layer(axum::middleware::from_fn(without_resource_filter))
    })
    .await;
    harness.expect_failed_request(400); // the platform without the resources.id filter
    harness.open("/resources/agent-a").await;
    harness
        .wait_for_text("[data-testid='used-in']", "In 2 hunts.")
        .await;
    assert_eq!(used_in(&harness).await, expected);
    harness.open("/resources/nobody").await;
    harness
        .wait_for_text("[data-testid='used-in']", "No hunt rings this resource.")
        .await;
    harness.stop().await;
}

/// The detail page lists a hunt's resources in the order calls try them, as the editor and
/// the bulk preview do: by priority, the array's order only among equal ones, whatever order
/// a script wrote the array in.
#[tokio::test]
async fn the_detail_lists_the_ring_in_the_order_calls_try_it_ties_on_one_line() {
    let harness = Harness::start(vec![with_ring(
        "west",
        &[("late", 10), ("first", 100), ("tie", 100)],
    )])
    .await;
    let west = harness.hunt_ids().await[0].clone();
    harness.open(&format!("/hunts/{west}")).await;
    harness.wait_for_text("ol.resources", "late").await;
    assert_eq!(
        harness.texts_of("ol.resources li a").await,
        ["first", "tie", "late"]
    );
    // Tied resources share a line, in the editor's words: the numbering is the order calls go.
    let lines = harness.texts_of("ol.resources li").await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].contains("first or tie at random") && lines[0].contains("priority 100"),
        "{lines:?}"
    );
    harness.stop().await;
}

/// A view saved under a name comes back from the menu with its filter, order and page size,
/// after a reload too (the browser keeps it); its entry is a link to the view's URL; removing
/// it takes it off the menu.
#[tokio::test]
async fn a_saved_view_is_picked_again_from_the_menu() {
    let harness = Harness::start(vec![
        hunt("low_a", "1", 1),
        hunt("high_b", "2", 9),
        hunt("high_c", "3", 9),
        hunt("low_d", "4", 1),
    ])
    .await;
    let view = format!(
        "/hunts?filter={}&order={}&limit=2",
        hunts_model::encode_component(r#"{"priority":9}"#),
        hunts_model::encode_component(r#"[{"code":"desc"}]"#)
    );
    harness.open(&view).await;
    harness.wait_for_codes(&["high_c", "high_b"]).await;
    harness.click(".saved-views summary").await;
    harness.click(".saved-views button[type=submit]").await;
    harness
        .wait_for_text(".saved-views .field-error", "Give the view a name")
        .await;
    harness.type_into("#view-name", "Busy queues").await;
    harness.click(".saved-views button[type=submit]").await;
    harness
        .wait_for_text(".saved-views li a", "Busy queues")
        .await;

    // Elsewhere, after a reload, the menu brings the view back.
    harness.open("/hunts").await;
    harness
        .wait_for_codes(&["low_a", "high_b", "high_c", "low_d"])
        .await;
    harness.click(".saved-views summary").await;
    harness.click_text("Busy queues").await;
    harness.wait_for_codes(&["high_c", "high_b"]).await;
    let path = harness.path().await;
    assert!(
        path.contains("limit=2") && path.contains("filter="),
        "{path}"
    );

    harness.click(".saved-views summary").await;
    harness
        .click("button[aria-label='Remove the view Busy queues']")
        .await;
    harness
        .wait_for_text(".saved-views .panel", "No saved views yet.")
        .await;
    harness.stop().await;
}

/// The lookup box finds resources: a resource id alone opens where it is used; a key that is
/// both a hunt's code and a resource offers both.
#[tokio::test]
async fn the_lookup_finds_resources() {
    let harness = Harness::start(vec![
        with_ring("sales", &[("agent-7", 10), ("agent-8", 5)]),
        with_ring("support", &[("agent-7", 3)]),
        with_ring("agent-8", &[]),
    ])
    .await;
    harness.expect_failed_request(404); // LOOKUP of a resource's id, which no hunt's code is
    harness.open("/hunts").await;
    harness.type_into("#lookup-key", "agent-7").await;
    harness.click(".lookup button[type=submit]").await;
    harness
        .eventually(
            "the resource's page",
            async |harness| harness.path().await,
            |path| path == "/resources/agent-7",
        )
        .await;
    harness
        .wait_for_text(".resource-page table", "support")
        .await;

    harness.type_into("#lookup-key", "agent-8").await;
    harness.click(".lookup button[type=submit]").await;
    harness
        .wait_for_text(".lookup-message", "agent-8: in 1 hunt")
        .await;
    harness.click_text("agent-8: in 1 hunt").await;
    harness
        .eventually(
            "the resource's page",
            async |harness| harness.path().await,
            |path| path == "/resources/agent-8",
        )
        .await;
    harness.wait_for_text(".resource-page table", "sales").await;
    harness.stop().await;
}

/// Keeps each file the page makes (the CSP does not let a page fetch `blob:` addresses back).
/// Export of a filtered, ordered view with chosen columns: the CSV reads back as the API's data
/// for exactly those hunts in that order, resources as `id:priority;…`; the JSON is the whole
/// hunts as the server holds them.
#[tokio::test]
async fn a_filtered_view_exports_to_csv_and_json() {
    let harness = Harness::start(vec![
        Hunt {
            displayname: "Sales, \"main\" line".into(),
            ..with_ring("sales", &[("agent-a", 10), ("agent-b", 5)])
        },
        Hunt {
            priority: 9,
            ..with_ring("support", &[("agent-c", 1)])
        },
        with_ring("billing", &[]),
    ])
    .await;
    let view = format!(
        "/hunts?mask={}&filter={}&order={}",
        hunts_model::encode_component("code,displayname,resources"),
        hunts_model::encode_component(r#"{"priority":1}"#),
        hunts_model::encode_component(r#"[{"code":"desc"}]"#)
    );
    harness.open(&view).await;
    harness.wait_for_codes(&["sales", "billing"]).await;
    harness.keep_exported_files().await;
    harness.click(".export summary").await;
    harness.click_text("CSV (the columns on show)").await;
    let csv = harness.exported_text(1).await;

    let mut expected: Vec<Hunt> = stored(&harness)
        .await
        .into_iter()
        .filter(|hunt| hunt.priority == 1)
        .collect();
    expected.sort_by(|a, b| b.code.cmp(&a.code));
    // The id, then the columns the table shows, in its order (the code and phone number are
    // always shown).
    let columns: Vec<FieldPath> = ["id", "code", "phonenumber", "resources", "displayname"]
        .iter()
        .map(|path| FieldPath::lookup(path).unwrap())
        .collect();
    let mut want = csv::header(&columns);
    for hunt in &expected {
        let Value::Object(flat) = flatten(&hunt.to_json()) else {
            unreachable!()
        };
        want.push_str(&csv::row(&columns, &flat));
    }
    assert_eq!(csv::parse(&csv), csv::parse(&want));
    assert!(csv.contains("agent-a:10;agent-b:5"), "{csv}");
    harness
        .wait_for_text(".export [role=status]", "2 hunts exported")
        .await;

    harness.click_text("JSON (whole hunts)").await;
    let json: Value = serde_json::from_str(&harness.exported_text(2).await).unwrap();
    let want: Vec<Value> = expected.iter().map(Hunt::to_json).collect();
    assert_eq!(json, Value::Array(want));
    harness.stop().await;
}

/// Delete as a bulk change: previewed, then each selected hunt deleted with If-Match; the list
/// loads again without them; Undo creates them again with their ids and every field.
#[tokio::test]
async fn selected_hunts_deleted_after_a_preview_and_undone() {
    let harness = Harness::start(Vec::new()).await;
    // Created a few milliseconds apart: a restored hunt goes back after the last one created
    // no later than it, so hunts created in the same millisecond have no one order to go back to.
    for hunt in [
        Hunt {
            weight: 7,
            ..with_ring("old_a", &[("agent-a", 10)])
        },
        with_ring("old_b", &[]),
        with_ring("keep", &[]),
    ] {
        harness.store.create(hunt).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    }
    let before = stored(&harness).await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["old_a", "old_b", "keep"]).await;
    harness.click("input[aria-label='Select old_a']").await;
    harness.click("input[aria-label='Select old_b']").await;
    harness
        .wait_for_text("[data-testid='selected-count']", "2 selected")
        .await;
    harness
        .browser
        .execute(
            "const kind = document.querySelector('#bulk-kind'); kind.value = 'delete'; \
             kind.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![],
        )
        .await
        .unwrap();
    harness.click_text("Preview").await;
    harness
        .wait_for_text("[data-testid='bulk-summary']", "2 will change")
        .await;
    harness
        .wait_for_text(".bulk-preview", "will be deleted")
        .await;
    assert_eq!(stored(&harness).await.len(), 3, "a preview deletes nothing");

    harness.click_text("Apply to 2 hunts").await;
    harness
        .wait_for_text("[data-testid='bulk-report']", "2 hunts: 2 deleted")
        .await;
    let left = stored(&harness).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].code, "keep");
    harness.wait_for_codes(&["keep"]).await;

    harness.click_text("Undo this change").await;
    harness
        .wait_for_text("[data-testid='bulk-report']", "Undone: 2 hunts: 2 restored")
        .await;
    // Back with their created times, in their places of the default (creation) order.
    harness.wait_for_codes(&["old_a", "old_b", "keep"]).await;
    let mut again = stored(&harness).await;
    let created =
        |hunts: &[Hunt]| -> Vec<String> { hunts.iter().map(|hunt| hunt.ext.ct.clone()).collect() };
    assert_eq!(created(&again), created(&before));
    let mut want = before.clone();
    let key = |hunt: &Hunt| hunt.id.clone();
    again.sort_by_key(key);
    want.sort_by_key(key);
    let without_times = |hunts: Vec<Hunt>| -> Vec<Hunt> {
        hunts
            .into_iter()
            .map(|hunt| Hunt {
                ext: Default::default(),
                ..hunt
            })
            .collect()
    };
    assert_eq!(without_times(again), without_times(want));
    harness.stop().await;
}

/// The element with keyboard focus: its id, and whether all of it is in the window.
async fn focused(harness: &Harness) -> (String, bool) {
    let answer = harness
        .browser
        .execute(
            "const e = document.activeElement; const r = e.getBoundingClientRect(); \
             return [e.id, r.top >= 0 && r.bottom <= window.innerHeight];",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(answer).unwrap()
}

/// On a phone, a preview of twelve hunts is long and Apply is at its end: the report that
/// replaces it is shown and read out (keyboard focus moves to its first line), not left
/// above the window with focus lost; Close goes back to the choice of change, Clear selection
/// to the page's checkbox. The preview lists the hunts by code, whatever order they were
/// selected in.
#[tokio::test]
async fn a_bulk_result_is_brought_into_view_with_focus_on_a_phone() {
    let codes: Vec<String> = (1..=12).rev().map(|n| format!("queue_{n:02}")).collect();
    let hunts = codes
        .iter()
        .map(|code| with_ring(code, &[("agent-a", 10), ("agent-b", 5), ("agent-c", 1)]))
        .collect();
    let harness = Harness::start(hunts).await;
    harness.browser.set_window_size(390, 844).await.unwrap();
    harness.open("/hunts").await;
    harness.wait_for_text("table.hunts tbody", "queue_01").await;
    preview_newbie_for_the_page_of_12(&harness).await;
    let mut by_code = codes.clone();
    by_code.sort();
    assert_eq!(
        harness.texts_of(".bulk-preview tbody td:first-child").await,
        by_code
    );

    harness.click_text("Apply to 12 hunts").await;
    harness
        .wait_for_text("[data-testid='bulk-report']", "12 changed")
        .await;
    harness
        .eventually(
            "focus on the report's line, in the window",
            focused,
            |focus| *focus == ("bulk-result".to_owned(), true),
        )
        .await;
    harness.click_text("Close").await;
    harness
        .eventually("focus back on the choice of change", focused, |focus| {
            focus.0 == "bulk-kind"
        })
        .await;
    // Clearing the selection takes the bar away: focus goes to the page's own checkbox.
    harness.click_text("Clear selection").await;
    harness
        .eventually("focus on the page's checkbox", focused, |focus| {
            focus.0 == "select-page"
        })
        .await;
    harness.stop().await;
}

/// Opens the import (if it is not open) and chooses a file holding `text`.
async fn import_file(harness: &Harness, name: &str, text: &str) {
    if !harness.has("#import-file").await {
        harness.click_text("Import").await;
    }
    harness.choose_file("#import-file", name, text).await;
}

fn without_times(mut hunts: Vec<Hunt>) -> Vec<Hunt> {
    hunts.sort_by(|a, b| a.code.cmp(&b.code));
    hunts
        .into_iter()
        .map(|hunt| Hunt {
            ext: Default::default(),
            ..hunt
        })
        .collect()
}

/// The JSON export of a server, imported into the same server emptied: a dry run says each
/// hunt will be created and sends nothing; the import recreates every hunt with its id and
/// every field.
#[tokio::test]
async fn a_json_export_imported_into_an_empty_server_after_a_dry_run() {
    let harness = Harness::start(vec![
        Hunt {
            weight: 7,
            strategy: hunts_model::Strategy::Timers {
                seconds: vec![10, 20],
            },
            ..with_ring("sales", &[("agent-a", 10), ("agent-b", 5)])
        },
        Hunt {
            huntblock: hunts_model::HuntBlock {
                enabled: true,
                expires: 3600,
                reason: "holiday".into(),
            },
            ..with_ring("support", &[("agent-c", 1)])
        },
        with_ring("billing", &[]),
    ])
    .await;
    let originals = stored(&harness).await;
    harness.open("/hunts").await;
    harness
        .wait_for_codes(&["sales", "support", "billing"])
        .await;
    harness.keep_exported_files().await;
    harness.click(".export summary").await;
    harness.click_text("JSON (whole hunts)").await;
    let export = harness.exported_text(1).await;

    for hunt in &originals {
        harness
            .store
            .delete(hunt.id.clone(), hunts_server::store::Precondition::any())
            .await
            .unwrap();
    }
    harness.open("/hunts").await;
    harness.wait_for_codes(&[]).await;
    import_file(&harness, "hunts.json", &export).await;
    harness
        .wait_for_text(
            "[data-testid='import-summary']",
            "3 to create, 0 to change, 0 unchanged, 0 refused. Nothing is sent yet.",
        )
        .await;
    assert!(
        stored(&harness).await.is_empty(),
        "a dry run writes nothing"
    );

    harness.click_text("Import 3 hunts").await;
    harness
        .wait_for_text("[data-testid='import-report']", ": 3 created")
        .await;
    assert_eq!(
        without_times(stored(&harness).await),
        without_times(originals)
    );
    // Created a few at a time, so in any order.
    harness
        .eventually(
            "the listed codes",
            async |harness| {
                let mut codes = harness.listed_codes().await;
                codes.sort();
                codes
            },
            |codes| codes == &["billing", "sales", "support"],
        )
        .await;
    harness.stop().await;
}

/// A CSV with a hunt to change (matched by code), one as it is, a new one and one with a bad
/// value: the dry run says which is which and why, with the field's own message; the import
/// writes the change and the new hunt and nothing of the refused one; Undo puts the changed
/// hunt back and deletes the new one.
#[tokio::test]
async fn a_csv_import_creates_updates_and_refuses_row_by_row() {
    let harness = Harness::start(vec![
        with_ring("sales", &[("agent-a", 10)]),
        Hunt {
            weight: 4,
            ..with_ring("support", &[("agent-c", 1)])
        },
    ])
    .await;
    let before = stored(&harness).await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["sales", "support"]).await;
    let csv = "code,weight,resources\r\n\
               sales,5,agent-a:10;agent-b:5\r\n\
               support,4,agent-c:1\r\n\
               newq,2,\r\n\
               bad,-1,\r\n";
    import_file(&harness, "changes.csv", csv).await;
    harness
        .wait_for_text(
            "[data-testid='import-summary']",
            "1 to create, 1 to change, 1 unchanged, 1 refused",
        )
        .await;
    let plans = harness
        .browser
        .execute(
            "return [...document.querySelectorAll('.import tbody tr')]\
             .map(row => [row.dataset.plan, row.cells[1].textContent, row.cells[2].textContent]);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        plans,
        serde_json::json!([
            ["update", "sales", "will change: Resources, Weight"],
            ["unchanged", "support", "unchanged"],
            ["create", "newq", "will be created"],
            // Refused as it was read, and still called by its code.
            [
                "refused",
                "bad",
                "refused: Weight must be a whole number of 0 or more"
            ],
        ])
    );

    harness.click_text("Import 2 hunts").await;
    harness
        .wait_for_text(
            "[data-testid='import-report']",
            "4 hunts: 1 created, 1 changed, 1 unchanged, 1 refused",
        )
        .await;
    let after = stored(&harness).await;
    let sales = after.iter().find(|hunt| hunt.code == "sales").unwrap();
    assert_eq!(sales.weight, 5);
    assert_eq!(sales.resources.len(), 2);
    assert!(
        after
            .iter()
            .any(|hunt| hunt.code == "newq" && hunt.weight == 2)
    );
    assert!(!after.iter().any(|hunt| hunt.code == "bad"));
    harness.wait_for_codes(&["sales", "support", "newq"]).await;

    harness.click_text("Undo this import").await;
    harness
        .wait_for_text(
            "[data-testid='import-report']",
            "Undone: 2 hunts: 1 changed, 1 deleted",
        )
        .await;
    assert_eq!(without_times(stored(&harness).await), without_times(before));
    harness.stop().await;
}

/// Each write answered after a pause, so a run is still going when the user leaves.
async fn slow_writes(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if request.method() == axum::http::Method::PATCH {
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    }
    next.run(request).await
}

/// Leaving the list while a change to many hunts is sent: no fault (the run read its panel's
/// disposed signals), nothing more is sent, and the notice says what the run came to.
#[tokio::test]
async fn leaving_the_list_mid_run_stops_sending_and_says_what_was_sent() {
    let hunts = (0..12)
        .map(|n| with_ring(&format!("slow_{n:02}"), &[("a", 100)]))
        .collect();
    let harness = Harness::start_with(hunts, |router| {
        router.layer(axum::middleware::from_fn(slow_writes))
    })
    .await;
    harness.open("/hunts").await;
    harness.wait_for_text("table.hunts", "slow_11").await;
    preview_newbie_for_the_page_of_12(&harness).await;
    harness.click_text("Apply to 12 hunts").await;
    harness.click_text("slow_00").await;
    harness.wait_for_text(".detail-head h1", "slow_00").await;
    harness
        .wait_for_text(
            ".notice",
            "You left the page while changes to many hunts were sent",
        )
        .await;
    let notice = harness.text_of(".notice").await;
    let changed = stored(&harness)
        .await
        .iter()
        .filter(|hunt| has_resource(hunt, "newbie"))
        .count();
    assert!(
        changed < 12 && notice.contains(&format!("{changed} changed")),
        "{changed} changed; the notice says {notice:?}"
    );
    harness.stop().await;
}

/// Which of the list's checkboxes are ticked: the page's own first, then each row's in order.
async fn ticked(harness: &Harness) -> Vec<bool> {
    let ticked = harness
        .browser
        .execute(
            "return [document.querySelector('input[data-select-page]'), \
             ...document.querySelectorAll('tbody input[data-select]')].map(box => box.checked);",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(ticked).unwrap()
}

async fn wait_for_ticked(harness: &Harness, expected: &[bool]) {
    harness
        .eventually(
            &format!("the checkboxes to read {expected:?}"),
            async |harness| ticked(harness).await,
            |now| now == expected,
        )
        .await;
}

#[tokio::test]
async fn the_checkboxes_follow_the_selection_row_by_row_and_across_pages() {
    let hunts = vec![
        hunt("a1", "", 1),
        hunt("a2", "", 2),
        hunt("b1", "", 3),
        hunt("b2", "", 4),
    ];
    let harness = Harness::start(hunts).await;
    harness.open("/hunts?limit=2").await;
    harness.wait_for_codes(&["a1", "a2"]).await;

    // Both rows ticked one by one: the page's own box is ticked with the second.
    harness.click("input[aria-label='Select a1']").await;
    wait_for_ticked(&harness, &[false, true, false]).await;
    harness.click("input[aria-label='Select a2']").await;
    wait_for_ticked(&harness, &[true, true, true]).await;
    // One taken off: the page's box is no longer ticked.
    harness.click("input[aria-label='Select a1']").await;
    wait_for_ticked(&harness, &[false, false, true]).await;
    harness.click("input[data-select-page]").await;
    wait_for_ticked(&harness, &[true, true, true]).await;

    // The next page has none of them; back again, both are still ticked.
    harness.click_text("Next ›").await;
    harness.wait_for_codes(&["b1", "b2"]).await;
    wait_for_ticked(&harness, &[false, false, false]).await;
    harness
        .wait_for_text("[data-testid='selected-count']", "2 selected")
        .await;
    harness.click_text("‹ Previous").await;
    harness.wait_for_codes(&["a1", "a2"]).await;
    wait_for_ticked(&harness, &[true, true, true]).await;

    // Clear selection unticks every box.
    harness.click_text("Clear selection").await;
    wait_for_ticked(&harness, &[false, false, false]).await;
    harness.stop().await;
}
