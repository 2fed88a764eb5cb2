//! axe-core in every page of the app, in both themes, wide and on a phone: no violation. The
//! sign-in dialog too. (`cargo xtask test` installs axe-core into `.tools/`.)

use browser_harness as common;

use common::{Harness, hunt};
use hunts_model::{Hunt, Resource, Role};
use serde_json::Value;

fn axe_source() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".tools/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no axe-core at {}: `cargo xtask test` installs it",
            path.display()
        )
    })
}

/// The violations axe finds in the page as it is now, as "rule: target, target".
async fn violations(harness: &Harness, axe: &str) -> Vec<String> {
    harness
        .browser
        .execute(&format!("{axe}\n;return true;"), vec![])
        .await
        .unwrap();
    let found: Value = harness
        .browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']})
                .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

async fn set_theme(harness: &Harness, theme: &str) {
    harness
        .browser
        .execute(
            "localStorage.setItem('hunts-admin.theme', arguments[0]);",
            vec![Value::String(theme.to_owned())],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn every_page_in_both_themes_wide_and_narrow_has_no_violation() {
    let ringing = Hunt {
        resources: vec![
            Resource {
                id: "agent-a".to_owned(),
                priority: 100,
            },
            Resource {
                id: "agent-b".to_owned(),
                priority: 100,
            },
        ],
        // Overflowing to a hunt with no resources: the page's routing shows a dead end.
        timeout: 300,
        timeouttrannumber: "4002".to_owned(),
        ..hunt("ringing", "4001", 1)
    };
    let harness = Harness::start(vec![
        ringing,
        hunt("quiet", "4002", 2),
        hunt("gone", "4003", 3),
    ])
    .await;
    let id = harness.hunt_ids().await[0].clone();
    // Recent changes with a change set (its Undo button) and Recently deleted with a hunt.
    let (_, stored) = harness
        .store
        .list_hunts(hunts_model::ListQuery::default())
        .await
        .unwrap();
    let id_of = |code: &str| {
        stored
            .iter()
            .find(|hunt| hunt.code == code)
            .unwrap()
            .id
            .clone()
    };
    let bulk = hunts_server::store::Origin {
        by: None,
        change_set: Some("bulk 2026-12-04T09:00:00.000Z 0000a11e".to_owned()),
    };
    harness
        .store
        .update_as(
            bulk,
            id_of("quiet"),
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
    harness
        .store
        .delete_as(
            hunts_server::store::Origin::default(),
            id_of("gone"),
            hunts_server::store::Precondition::any(),
        )
        .await
        .unwrap();
    let axe = axe_source();
    let pages = [
        ("/hunts", "table.hunts"),
        (&format!("/hunts/{id}") as &str, ".where-calls-go .hops"),
        (&format!("/hunts/{id}/edit"), ".ring"),
        ("/hunts/new", "#f-code"),
        ("/resources/agent-a", "[data-testid='used-in']"),
        ("/routing", "[data-testid='routing-summary']"),
        ("/changes", "[data-testid='changes'] [data-change-set]"),
        ("/changes/deleted", "[data-testid='deleted'] li"),
    ];
    let mut found = Vec::new();
    harness.open("/hunts").await;
    for theme in ["light", "dark"] {
        set_theme(&harness, theme).await;
        for (width, height) in [(1280, 800), (390, 844)] {
            harness
                .browser
                .set_window_size(width, height)
                .await
                .unwrap();
            for (page, ready) in &pages {
                harness.open(page).await;
                harness.find(ready).await;
                for violation in violations(&harness, &axe).await {
                    found.push(format!("{page} ({theme}, {width} px): {violation}"));
                }
            }
        }
    }
    // The list with hunts selected (the bulk bar) and the preview of a change.
    harness.browser.set_window_size(1280, 800).await.unwrap();
    harness.open("/hunts").await;
    harness.click("input[aria-label='Select ringing']").await;
    harness.type_into("#bulk-resource", "agent-c").await;
    harness.click_text("Preview").await;
    harness.find(".bulk-preview").await;
    for violation in violations(&harness, &axe).await {
        found.push(format!("bulk preview: {violation}"));
    }
    // The import's dry run, with a refused row, in both themes.
    let file = "code,weight\r\nringing,3\r\nfresh,1\r\nbad,-1\r\n";
    for theme in ["light", "dark"] {
        harness.open("/hunts").await;
        set_theme(&harness, theme).await;
        harness.open("/hunts").await;
        harness.click_text("Import").await;
        harness
            .choose_file("#import-file", "changes.csv", file)
            .await;
        harness.find("[data-testid='import-summary']").await;
        for violation in violations(&harness, &axe).await {
            found.push(format!("import dry run ({theme}): {violation}"));
        }
    }
    assert!(found.is_empty(), "axe-core found:\n{}", found.join("\n"));
    harness.stop().await;
}

#[tokio::test]
async fn the_sign_in_dialog_has_no_violation() {
    let harness = Harness::start_signed_in(vec![], &[("ann", Role::Admin, "ann-password-1")]).await;
    harness.open("/hunts").await;
    harness.find(".dialog.sign-in").await;
    let found = violations(&harness, &axe_source()).await;
    assert!(found.is_empty(), "axe-core found:\n{}", found.join("\n"));
    harness.stop().await;
}

#[tokio::test]
async fn the_shortcuts_list_has_no_violation_in_either_theme() {
    let harness = Harness::start(vec![hunt("quiet", "4002", 2)]).await;
    let axe = axe_source();
    for theme in ["light", "dark"] {
        harness.open("/hunts").await;
        set_theme(&harness, theme).await;
        harness.open("/hunts").await;
        harness.find("table.hunts").await;
        harness.find("body").await.send_keys("?").await.unwrap();
        harness.find("dialog.shortcuts[open]").await;
        let found = violations(&harness, &axe).await;
        assert!(
            found.is_empty(),
            "{theme}: axe-core found:\n{}",
            found.join("\n")
        );
    }
    harness.stop().await;
}
