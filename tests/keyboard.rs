//! The keyboard throughout (issue 9): `?` lists the shortcuts, `n` opens a new hunt, `j`/`k`
//! move the list's row cursor, Enter opens the row and `x` selects it, `e` edits the hunt on
//! show, Ctrl+S saves the form and Escape cancels it (asking first); single keys do nothing
//! while typing. And the browser's Back asks before leaving unsaved changes. Real key presses
//! through WebDriver actions, results checked on the page and in the database.

use browser_harness as common;

use common::{Harness, hunt};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;

/// Presses each of `keys` in turn, with Control held for all of them if `control`.
async fn press(harness: &Harness, keys: &[char], control: bool) {
    let mut actions = KeyActions::new("keyboard".to_owned());
    if control {
        actions = actions.then(KeyAction::Down {
            value: Key::Control.into(),
        });
    }
    for key in keys {
        actions = actions
            .then(KeyAction::Down { value: *key })
            .then(KeyAction::Up { value: *key });
    }
    if control {
        actions = actions.then(KeyAction::Up {
            value: Key::Control.into(),
        });
    }
    // A key that makes the page ask (Escape with changes) ends the actions with the question
    // open; the test then answers it.
    let asked = |error: &fantoccini::error::CmdError| {
        matches!(error, fantoccini::error::CmdError::Standard(error)
            if error.error == fantoccini::error::ErrorStatus::UnexpectedAlertOpen)
    };
    if let Err(error) = harness.browser.perform_actions(actions).await {
        assert!(asked(&error), "{error}");
        return;
    }
    if let Err(error) = harness.browser.release_actions().await {
        assert!(asked(&error), "{error}");
    }
}

/// The text a script returns (empty for anything else).
async fn text_of_script(harness: &Harness, script: &str) -> String {
    harness
        .browser
        .execute(script, vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn focused_text(harness: &Harness) -> String {
    text_of_script(harness, "return document.activeElement.textContent;").await
}

async fn wait_for_path(harness: &Harness, ending: &str) {
    harness
        .eventually(
            &format!("the path ending {ending}"),
            async |harness| harness.path().await,
            |path| path.ends_with(ending),
        )
        .await;
}

#[tokio::test]
async fn shortcuts_on_the_list_the_detail_and_the_form() {
    let harness = Harness::start(vec![
        hunt("alpha", "1", 1),
        hunt("bravo", "2", 2),
        hunt("charlie", "3", 3),
    ])
    .await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["alpha", "bravo", "charlie"]).await;

    // `?` lists the shortcuts; Escape closes the list.
    press(&harness, &['?'], false).await;
    assert!(harness.has("dialog.shortcuts[open]").await);
    let listed = harness.text_of("dialog.shortcuts").await;
    assert!(
        listed.contains("Next / previous row")
            && listed.contains("sort by it as well")
            && listed.contains("On a resource's handle"),
        "{listed}"
    );
    press(&harness, &[Key::Escape.into()], false).await;
    assert!(!harness.has("dialog.shortcuts[open]").await);

    // j, j, k: the cursor is on the second row, then the first; x selects that row.
    press(&harness, &['j', 'j'], false).await;
    assert_eq!(focused_text(&harness).await, "bravo");
    press(&harness, &['k'], false).await;
    assert_eq!(focused_text(&harness).await, "alpha");
    press(&harness, &['x'], false).await;
    assert_eq!(
        harness
            .prop_of("tr[data-id] input[data-select]", "checked")
            .await
            .as_deref(),
        Some("true")
    );
    harness.find(".bulk").await;

    // j then Enter opens bravo; e edits it.
    press(&harness, &['j', Key::Enter.into()], false).await;
    let bravo = harness.id_of("bravo").await;
    wait_for_path(&harness, &format!("/hunts/{bravo}")).await;
    press(&harness, &['e'], false).await;
    wait_for_path(&harness, &format!("/hunts/{bravo}/edit")).await;

    // Typing "n" and "e" in a field types them; Ctrl+S from the field saves.
    harness.type_into("#f-displayname", "Keyed in").await;
    assert!(
        harness.path().await.ends_with("/edit"),
        "typing is not a shortcut"
    );
    press(&harness, &['s'], true).await;
    wait_for_path(&harness, &format!("/hunts/{bravo}")).await;
    let saved = harness.store.get(bravo.clone()).await.unwrap();
    assert_eq!(saved.hunt.displayname, "Keyed in");

    // n opens a new hunt; Escape with changes asks first, and staying keeps the value.
    press(&harness, &['n'], false).await;
    wait_for_path(&harness, "/hunts/new").await;
    harness.type_into("#f-code", "half_typed").await;
    press(&harness, &[Key::Escape.into()], false).await;
    let question = harness.browser.get_alert_text().await.unwrap();
    assert!(question.contains("unsaved changes"), "{question}");
    harness.browser.dismiss_alert().await.unwrap();
    assert!(harness.path().await.ends_with("/hunts/new"));
    assert_eq!(
        harness.prop_of("#f-code", "value").await.as_deref(),
        Some("half_typed")
    );
    harness.stop().await;
}

#[tokio::test]
async fn the_browser_back_button_asks_before_leaving_unsaved_changes() {
    let harness = Harness::start(vec![hunt("careful", "1", 1)]).await;
    let id = harness.id_of("careful").await;
    harness.open(&format!("/hunts/{id}")).await;
    harness.click_text("Edit").await;
    wait_for_path(&harness, &format!("/hunts/{id}/edit")).await;
    harness.type_into("#f-displayname", "Not yet saved").await;

    // Back, then stay: the form and its value are still there.
    harness
        .browser
        .execute("history.back();", vec![])
        .await
        .unwrap();
    let question = harness
        .eventually(
            "the question",
            async |harness| harness.browser.get_alert_text().await.ok(),
            Option::is_some,
        )
        .await
        .unwrap();
    assert!(question.contains("unsaved changes"), "{question}");
    harness.browser.dismiss_alert().await.unwrap();
    wait_for_path(&harness, &format!("/hunts/{id}/edit")).await;
    assert_eq!(
        harness.prop_of("#f-displayname", "value").await.as_deref(),
        Some("Not yet saved")
    );

    // Back again, and leave: the detail page, with nothing saved.
    harness
        .browser
        .execute("history.back();", vec![])
        .await
        .unwrap();
    harness
        .eventually(
            "the question again",
            async |harness| harness.browser.get_alert_text().await.ok(),
            Option::is_some,
        )
        .await;
    harness.browser.accept_alert().await.unwrap();
    wait_for_path(&harness, &format!("/hunts/{id}")).await;
    harness.find(".detail-head").await;
    let stored = harness.store.get(id).await.unwrap();
    assert_eq!(stored.hunt.displayname, "");
    harness.stop().await;
}

/// Which of the toolbar's popovers are open, by class.
async fn open_popovers(harness: &Harness) -> Vec<String> {
    let open = harness
        .browser
        .execute(
            "return [...document.querySelectorAll('details.popover[open]')].map(open => open.className);",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(open).unwrap()
}

#[tokio::test]
async fn popovers_close_on_escape_and_outside_clicks_and_never_stack() {
    let harness = Harness::start(vec![hunt("alpha", "1", 1), hunt("bravo", "2", 2)]).await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["alpha", "bravo"]).await;

    // Escape closes the open one, and focus is back on its button.
    harness.click(".column-chooser summary").await;
    assert_eq!(open_popovers(&harness).await, ["column-chooser popover"]);
    press(&harness, &[Key::Escape.into()], false).await;
    assert!(open_popovers(&harness).await.is_empty());
    let focused = harness
        .browser
        .execute(
            "return document.activeElement.closest('details')?.className ?? '';",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focused, "column-chooser popover");

    // Opening another closes the first: they never stack.
    harness.click(".export summary").await;
    harness.click(".saved-views summary").await;
    assert_eq!(open_popovers(&harness).await, ["saved-views popover"]);
    // A click inside keeps it open; one outside closes it.
    harness.click(".saved-views input").await;
    assert_eq!(open_popovers(&harness).await, ["saved-views popover"]);
    harness.click("h1").await;
    assert!(open_popovers(&harness).await.is_empty());
    harness.stop().await;
}

#[tokio::test]
async fn a_page_size_from_the_address_is_shown_and_a_cancelled_filter_changes_nothing() {
    let hunts = (0..12)
        .map(|index| hunt(&format!("q{index:02}"), &format!("{}", 100 + index), 1))
        .collect();
    let harness = Harness::start(hunts).await;
    harness.open("/hunts?limit=10").await;
    harness.wait_for_text("[data-testid='range']", "1–10").await;
    assert_eq!(
        harness.prop_of(".pager select", "value").await.as_deref(),
        Some("10"),
        "the select says the page size on show"
    );

    // With hunts selected, a new filter asks first; Cancel applies nothing and keeps them.
    harness.click("input[aria-label='Select q00']").await;
    harness
        .find("#filter-field")
        .await
        .select_by_value("code")
        .await
        .unwrap();
    harness.type_into("#filter-value", "q01").await;
    harness.click_text("Add filter").await;
    let question = harness
        .eventually(
            "the question",
            async |harness| harness.browser.get_alert_text().await.ok(),
            Option::is_some,
        )
        .await
        .unwrap();
    assert!(
        question.contains("clear the selection of 1 hunt"),
        "{question}"
    );
    harness.browser.dismiss_alert().await.unwrap();
    assert!(
        !harness.path().await.contains("filter"),
        "no filter applied"
    );
    assert_eq!(
        harness.text_of("[data-testid='selected-count']").await,
        "1 selected"
    );
    assert_eq!(harness.listed_codes().await.len(), 10);

    // OK applies it and clears the selection.
    harness.click_text("Add filter").await;
    harness
        .eventually(
            "the question again",
            async |harness| harness.browser.get_alert_text().await.ok(),
            Option::is_some,
        )
        .await;
    harness.browser.accept_alert().await.unwrap();
    harness.wait_for_codes(&["q01"]).await;
    assert!(!harness.has("[data-testid='selected-count']").await);
    harness.stop().await;
}

async fn title(harness: &Harness) -> String {
    text_of_script(harness, "return document.title;").await
}

#[tokio::test]
async fn each_page_has_its_title_and_n_puts_focus_in_the_new_hunt_s_code() {
    let harness = Harness::start(vec![hunt("alpha", "1", 1)]).await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["alpha"]).await;
    assert_eq!(title(&harness).await, "Hunts · Hunts Admin");
    press(&harness, &['n'], false).await;
    wait_for_path(&harness, "/hunts/new").await;
    harness.wait_for_focus_on("f-code").await;
    assert_eq!(title(&harness).await, "New hunt · Hunts Admin");
    harness.open("/routing").await;
    harness
        .eventually(
            "the routing check's title",
            async |harness| title(harness).await,
            |title| title == "Routing check · Hunts Admin",
        )
        .await;
    harness.stop().await;
}
