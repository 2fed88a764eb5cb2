//! End-to-end tests of the list, detail, form, lookup and delete, in headless Chromium.
//!
//! Run through `cargo xtask test`, which builds the app and installs the browser first.

use browser_harness as common;

use common::{Harness, PATIENCE, hunt};
use std::time::Duration;

use fantoccini::Locator;
use fantoccini::actions::{
    Actions, InputSource, KeyAction, KeyActions, MOUSE_BUTTON_LEFT, MouseActions, PointerAction,
};
use fantoccini::key::Key;
use hunts_model::{Hunt, HuntBlock};
use serde_json::{Value, json};

#[tokio::test]
async fn create_through_the_form_then_find_it_in_the_list() {
    let harness = Harness::start(vec![hunt("existing", "100", 1)]).await;
    harness.open("/hunts/new").await;
    harness.type_into("#f-code", "browser_queue").await;
    harness.type_into("#f-phonenumber", "7001").await;
    harness
        .type_into("#f-displayname", "Made in the browser")
        .await;
    harness.click("#f-strategy-timers").await;
    harness.type_into("#f-strategy-seconds", "5, 10").await;
    harness.click_text("Create hunt").await;

    harness
        .wait_for_text(".notice", "Created hunt browser_queue")
        .await;
    let path = harness
        .eventually(
            "the saved hunt's page",
            async |h| h.path().await,
            |path| path.starts_with("/hunts/") && path.len() > 20,
        )
        .await;
    let id = path.trim_start_matches("/hunts/").to_owned();
    harness.wait_for_text(".groups", "timers: 5 s, 10 s").await;
    let stored = harness.store.get(id).await.unwrap().hunt;
    assert_eq!(stored.phonenumber, "7001");
    assert_eq!(stored.displayname, "Made in the browser");

    harness.click_text("Hunts").await;
    harness.wait_for_codes(&["existing", "browser_queue"]).await;
    harness.stop().await;
}

#[tokio::test]
async fn chosen_columns_are_requested_shown_and_remembered() {
    let harness = Harness::start(vec![Hunt {
        weight: 42,
        ..hunt("weighty", "1", 1)
    }])
    .await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["weighty"]).await;
    assert!(
        harness
            .browser
            .find(Locator::Css("th[data-column='weight']"))
            .await
            .is_err()
    );
    harness.click_text("Columns").await;
    harness.click("#column-weight").await;
    harness.find("th[data-column='weight']").await;
    harness.wait_for_text("table.hunts tbody", "42").await;
    // The address follows once the new page is on screen.
    harness.wait_for_address_with("weight").await;
    // Code and phone number cannot be hidden.
    assert_eq!(
        harness.prop_of("#column-code", "disabled").await.as_deref(),
        Some("true")
    );

    // A plain visit later shows the remembered columns.
    harness.open("/hunts").await;
    harness.wait_for_codes(&["weighty"]).await;
    harness.find("th[data-column='weight']").await;
    harness.stop().await;
}

#[tokio::test]
async fn sorting_by_two_keys_from_the_headers() {
    let harness = Harness::start(vec![
        hunt("delta", "1", 5),
        hunt("alpha", "2", 9),
        hunt("charlie", "3", 5),
        hunt("bravo", "4", 9),
    ])
    .await;
    harness.open("/hunts").await;
    harness
        .wait_for_codes(&["delta", "alpha", "charlie", "bravo"])
        .await;

    harness.click("th[data-column='priority'] button").await;
    harness
        .wait_for_codes(&["delta", "charlie", "alpha", "bravo"])
        .await;
    // The click asks for the sorted page once: sent at the click, and taken up by the page.
    let asked = harness
        .browser
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name) \
               .filter(name => name.includes('/rest/v1/uc/hunts?') && name.includes('order='));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        asked.as_array().map(Vec::len),
        Some(1),
        "one request for the sorted page: {asked}"
    );
    harness.click("th[data-column='priority'] button").await;
    harness
        .wait_for_codes(&["alpha", "bravo", "delta", "charlie"])
        .await;
    // Shift-click (a real Shift key held while the mouse clicks) adds code as the second key.
    let code_header = harness.find("th[data-column='code'] button").await;
    let shift = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down {
            value: Key::Shift.into(),
        })
        .pause(Duration::ZERO)
        .pause(Duration::ZERO)
        .pause(Duration::ZERO)
        .then(KeyAction::Up {
            value: Key::Shift.into(),
        });
    let click = MouseActions::new("mouse".to_owned())
        .pause(Duration::ZERO)
        .then(PointerAction::MoveToElement {
            element: code_header,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    harness
        .browser
        .perform_actions(Actions::from(shift).and(click))
        .await
        .unwrap();
    harness.browser.release_actions().await.unwrap();
    harness
        .wait_for_codes(&["alpha", "bravo", "charlie", "delta"])
        .await;
    assert_eq!(
        harness
            .text_of("th[data-column='priority'] .sort-marker")
            .await
            .trim(),
        "▼1"
    );
    assert_eq!(
        harness
            .text_of("th[data-column='code'] .sort-marker")
            .await
            .trim(),
        "▲2"
    );
    harness.wait_for_address_with("order=").await;
    harness.stop().await;
}

/// Two clicks on a header before the first one's page has come: the second goes on from the
/// view the first asked for (ascending, then descending), as it would from the address, and
/// the page and the address end on that view.
#[tokio::test]
async fn a_second_click_before_the_page_comes_goes_on_from_the_first() {
    let harness = Harness::start(vec![
        hunt("m", "1", 2),
        hunt("z", "2", 1),
        hunt("a", "3", 3),
    ])
    .await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["m", "z", "a"]).await;
    harness
        .browser
        .execute(
            "const button = document.querySelector(\"th[data-column='priority'] button\"); \
             button.click(); button.click();",
            vec![],
        )
        .await
        .unwrap();
    harness.wait_for_codes(&["a", "m", "z"]).await;
    assert_eq!(
        harness
            .text_of("th[data-column='priority'] .sort-marker")
            .await
            .trim(),
        "▼"
    );
    harness.wait_for_address_with("desc").await;
    harness.stop().await;
}

/// A sort from the keyboard: the focus stays on the header's button, screen readers hear the
/// new `aria-sort`, and the rows on show are redrawn in place (the same row elements, with the
/// new hunts' text), which is what keeps a re-sort quick (see `benches/render.rs`).
#[tokio::test]
async fn a_keyboard_sort_keeps_the_focus_and_redraws_rows_in_place() {
    let harness = Harness::start(vec![
        hunt("delta", "1", 5),
        hunt("alpha", "2", 9),
        hunt("charlie", "3", 1),
    ])
    .await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["delta", "alpha", "charlie"]).await;
    let button = "th[data-column='priority'] button";
    harness
        .browser
        .execute(
            "document.querySelector('table.hunts tbody tr').dataset.drawnBefore = 'yes'; \
             document.querySelector(arguments[0]).focus();",
            vec![button.into()],
        )
        .await
        .unwrap();
    harness
        .find(button)
        .await
        .send_keys("\u{E007}")
        .await
        .unwrap(); // Enter
    harness.wait_for_codes(&["charlie", "delta", "alpha"]).await;
    let (focused, first_row) = (
        harness
            .browser
            .execute(
                "return document.activeElement === document.querySelector(arguments[0]);",
                vec![button.into()],
            )
            .await
            .unwrap(),
        harness
            .browser
            .execute(
                "const row = document.querySelector('table.hunts tbody tr'); \
                 return [row.dataset.drawnBefore || null, row.dataset.id];",
                vec![],
            )
            .await
            .unwrap(),
    );
    assert_eq!(
        focused,
        serde_json::json!(true),
        "the focus stays on the sort button"
    );
    assert_eq!(
        first_row[0], "yes",
        "the first row is the same element, redrawn"
    );
    assert_eq!(
        first_row[1],
        harness.id_of("charlie").await,
        "the redrawn row carries its new hunt's id"
    );
    assert_eq!(
        harness
            .prop_of("th[data-column='priority']", "ariaSort")
            .await
            .as_deref(),
        Some("ascending")
    );
    // Enter again (the focus is still there) reverses it.
    harness
        .find(button)
        .await
        .send_keys("\u{E007}")
        .await
        .unwrap();
    harness.wait_for_codes(&["alpha", "delta", "charlie"]).await;
    assert_eq!(
        harness
            .prop_of("th[data-column='priority']", "ariaSort")
            .await
            .as_deref(),
        Some("descending")
    );
    harness.stop().await;
}

#[tokio::test]
async fn filters_are_chips_that_narrow_the_list() {
    let blocked = Hunt {
        huntblock: HuntBlock {
            enabled: true,
            ..HuntBlock::default()
        },
        ..hunt("blocked_one", "1", 1)
    };
    let harness = Harness::start(vec![
        hunt("open_one", "2", 1),
        blocked,
        Hunt {
            objmode: "spqwfq".into(),
            ..hunt("fair", "3", 1)
        },
    ])
    .await;
    harness.open("/hunts").await;
    harness
        .wait_for_codes(&["open_one", "blocked_one", "fair"])
        .await;

    harness
        .find("#filter-field")
        .await
        .select_by_value("huntblock.enabled")
        .await
        .unwrap();
    harness
        .find("#filter-value")
        .await
        .select_by_value("true")
        .await
        .unwrap();
    harness.click_text("Add filter").await;
    harness.wait_for_codes(&["blocked_one"]).await;
    harness.wait_for_text(".chips", "Blocked = yes").await;

    harness
        .click("button[aria-label='Remove filter Blocked = yes']")
        .await;
    harness
        .wait_for_codes(&["open_one", "blocked_one", "fair"])
        .await;

    harness
        .find("#filter-field")
        .await
        .select_by_value("objmode")
        .await
        .unwrap();
    harness.type_into("#filter-value", "spqwfq").await;
    harness.click_text("Add filter").await;
    harness.wait_for_codes(&["fair"]).await;
    harness.type_into("#filter-value", "spq").await;
    harness.click_text("Add filter").await;
    harness
        .wait_for_codes(&["open_one", "blocked_one", "fair"])
        .await;
    harness
        .wait_for_text(".chips", "Queue mode = spqwfq or spq")
        .await;
    harness.stop().await;
}

/// On a phone the list's table scrolls sideways: the checkboxes and the codes stay in view,
/// the checkbox left of the code, neither under the other.
#[tokio::test]
async fn on_a_phone_the_checkboxes_and_codes_stay_in_view_as_the_table_scrolls() {
    let harness = Harness::start(vec![
        Hunt {
            displayname: "The sales line for every region, night and day".to_owned(),
            ..hunt("sales_main", "100", 1)
        },
        hunt("support", "200", 1),
    ])
    .await;
    harness.browser.set_window_size(390, 844).await.unwrap();
    harness.open("/hunts").await;
    harness.wait_for_codes(&["sales_main", "support"]).await;
    let seen = harness
        .browser
        .execute(
            "const wrap = document.querySelector('.table-wrap');
             wrap.scrollLeft = wrap.scrollWidth;
             const row = document.querySelector('table.hunts tbody tr');
             const shown = element => {
                 const box = element.getBoundingClientRect();
                 const at = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
                 return box.left >= wrap.getBoundingClientRect().left - 1 && element.contains(at);
             };
             const box = row.querySelector('input[type=checkbox]');
             const code = row.querySelector('td.code a');
             return [wrap.scrollLeft > 0, shown(box), shown(code),
                     box.getBoundingClientRect().right <= code.getBoundingClientRect().left + 1];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        seen,
        json!([true, true, true, true]),
        "[scrolled, checkbox in view, code in view, checkbox left of the code]"
    );
    harness.browser.set_window_size(1280, 800).await.unwrap();
    harness.stop().await;
}

/// An address with no page says so and links back; a link is followed inside the app (no new
/// page load: what the page holds stays), the header marks the page on show, and Back returns.
#[tokio::test]
async fn links_and_back_move_between_pages_without_loading_the_app_again() {
    let harness = Harness::start(vec![hunt("alpha", "100", 1)]).await;
    harness.open("/nowhere").await;
    harness
        .wait_for_text("main", "There is no page here.")
        .await;
    harness
        .browser
        .execute("window.loadedOnce = true;", vec![])
        .await
        .unwrap();
    harness.click_text("Back to the hunts").await;
    harness.wait_for_codes(&["alpha"]).await;
    assert_eq!(harness.path().await, "/hunts");
    assert_eq!(
        harness.text_of(".topbar nav a[aria-current='page']").await,
        "Hunts"
    );
    // The page on show again is no new step back.
    harness.click(".topbar nav a[href='/hunts']").await;
    harness.click("table.hunts tbody a").await;
    harness.wait_for_text(".detail-page h1", "alpha").await;
    assert!(harness.path().await.starts_with("/hunts/"));
    harness.browser.back().await.unwrap();
    harness.wait_for_codes(&["alpha"]).await;
    assert_eq!(harness.path().await, "/hunts");
    harness.browser.back().await.unwrap();
    harness
        .wait_for_text("main", "There is no page here.")
        .await;
    assert_eq!(harness.path().await, "/nowhere");
    harness.browser.forward().await.unwrap();
    harness.wait_for_codes(&["alpha"]).await;
    let same_page = harness
        .browser
        .execute("return window.loadedOnce === true;", vec![])
        .await
        .unwrap();
    assert_eq!(
        same_page,
        serde_json::Value::Bool(true),
        "the app was not loaded again"
    );
    harness.stop().await;
}

#[tokio::test]
async fn paging_shows_the_range_and_back_walks_through_pages() {
    let hunts = (0..30)
        .map(|index| hunt(&format!("q{index:02}"), &format!("{}", 5000 + index), 1))
        .collect();
    let harness = Harness::start(hunts).await;
    harness.open("/hunts").await;
    harness
        .wait_for_text("[data-testid='range']", "1–25 of 30")
        .await;
    harness.click_text("Next ›").await;
    harness
        .wait_for_text("[data-testid='range']", "26–30 of 30")
        .await;
    assert_eq!(
        harness.listed_codes().await,
        ["q25", "q26", "q27", "q28", "q29"]
    );
    // The address follows once the page is on screen; Back then walks to the first page.
    harness.wait_for_address_with("offset=25").await;
    harness.browser.back().await.unwrap();
    harness
        .wait_for_text("[data-testid='range']", "1–25 of 30")
        .await;
    harness
        .find(".pager select")
        .await
        .select_by_value("50")
        .await
        .unwrap();
    harness
        .wait_for_text("[data-testid='range']", "1–30 of 30")
        .await;
    harness.stop().await;
}

#[tokio::test]
async fn edit_save_and_reload_shows_the_change() {
    let harness = Harness::start(vec![hunt("editable", "300", 1)]).await;
    let id = harness.hunt_ids().await[0].clone();
    harness.open(&format!("/hunts/{id}")).await;
    harness.click_text("Edit").await;
    harness.type_into("#f-weight", "abc").await;
    harness
        .wait_for_text(
            "#f-weight-error",
            "Weight must be a whole number of 0 or more",
        )
        .await;
    // Save with the bad value: nothing is sent, and the count reads as English.
    harness.click_text("Save changes").await;
    harness
        .wait_for_text(
            "form.hunt-form > p.form-error",
            "1 field needs attention before saving.",
        )
        .await;
    harness.type_into("#f-weight", "42").await;
    harness
        .type_into("#f-opts-comment", "Checked by the browser test")
        .await;
    harness.click_text("Save changes").await;
    harness
        .wait_for_text(".notice", "Saved hunt editable")
        .await;
    harness.browser.refresh().await.unwrap();
    harness
        .wait_for_text(".groups", "Checked by the browser test")
        .await;
    let weight = harness
        .browser
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::XPath(
            "//dt[normalize-space()='Weight']/following-sibling::dd[1]",
        ))
        .await
        .unwrap();
    assert_eq!(weight.text().await.unwrap(), "42");
    harness.stop().await;
}

/// A fixed-value field offers the catalog's known values; another value is said, not refused
/// (the platform may know more), and saves.
#[tokio::test]
async fn an_unknown_queue_mode_is_said_and_still_saved() {
    let harness = Harness::start(vec![hunt("alpha", "100", 1)]).await;
    let id = harness.id_of("alpha").await;
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness.find("#f-objmode-choices").await;
    let offered = harness
        .browser
        .execute(
            "return [...document.querySelectorAll('#f-objmode-choices option')].map(o => o.value);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(offered, json!(["spq", "spqwfq"]));
    harness.type_into("#f-objmode", "fifo").await;
    harness
        .wait_for_text(
            ".unknown-value",
            "fifo is not a value this app knows (spq, spqwfq): the platform may still take it.",
        )
        .await;
    harness.type_into("#f-objmode", "spqwfq").await;
    harness
        .eventually(
            "no word for a known value",
            async |harness| harness.has(".unknown-value").await,
            |shown| !*shown,
        )
        .await;
    harness.type_into("#f-objmode", "fifo").await;
    harness.click_text("Save changes").await;
    harness.wait_for_text(".notice", "Saved hunt alpha").await;
    assert_eq!(harness.store.get(id).await.unwrap().hunt.objmode, "fifo");
    harness.stop().await;
}

#[tokio::test]
async fn a_server_refusal_lands_on_its_field_and_keeps_the_input() {
    let harness = Harness::start(vec![hunt("taken", "555", 1)]).await;
    harness.expect_failed_request(409); // a phone number taken
    harness.open("/hunts/new").await;
    harness.type_into("#f-code", "taken").await;
    harness.type_into("#f-phonenumber", "7777").await;
    harness.type_into("#f-opts-comment", "do not lose me").await;
    harness.click_text("Create hunt").await;
    harness
        .wait_for_text("#f-code-error", "a hunt with code taken exists already")
        .await;
    assert_eq!(
        harness.prop_of("#f-code", "value").await.as_deref(),
        Some("taken")
    );
    assert_eq!(
        harness.prop_of("#f-phonenumber", "value").await.as_deref(),
        Some("7777")
    );
    assert_eq!(
        harness.prop_of("#f-opts-comment", "value").await.as_deref(),
        Some("do not lose me")
    );
    assert!(harness.path().await.ends_with("/hunts/new"));
    assert_eq!(harness.hunt_ids().await.len(), 1, "nothing was written");
    harness.stop().await;
}

#[tokio::test]
async fn lookup_by_code_by_phone_and_a_miss() {
    let harness = Harness::start(vec![hunt("sales", "4001", 1), hunt("support", "4002", 1)]).await;
    harness.expect_failed_request(404); // LOOKUP of a key no hunt has (the contract's answer)
    let ids = harness.hunt_ids().await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["sales", "support"]).await;

    // `/` focuses the box from anywhere on the page.
    harness.find("body").await.send_keys("/").await.unwrap();
    let focused: Value = harness
        .browser
        .execute("return document.activeElement.id", vec![])
        .await
        .unwrap();
    assert_eq!(focused, json!("lookup-key"));

    for (key, id) in [("sales", &ids[0]), ("4002", &ids[1])] {
        harness.type_into("#lookup-key", &format!("{key}\n")).await;
        harness
            .eventually(
                &format!("lookup {key}"),
                async |h| h.path().await,
                |path| path == &format!("/hunts/{id}"),
            )
            .await;
    }
    harness.type_into("#lookup-key", "4021\n").await;
    harness
        .wait_for_text(".lookup-message", "No hunt with code or number 4021")
        .await;
    harness.stop().await;
}

#[tokio::test]
async fn delete_asks_with_the_code_then_returns_to_the_list() {
    let harness = Harness::start(vec![hunt("doomed", "666", 1), hunt("kept", "667", 1)]).await;
    let id = harness.hunt_ids().await[0].clone();
    harness.open(&format!("/hunts/{id}")).await;
    harness.click_text("Delete…").await;
    harness
        .wait_for_text(".confirm", "Delete hunt doomed?")
        .await;
    harness.click_text("Delete doomed").await;
    harness
        .wait_for_text(".notice", "Deleted hunt doomed")
        .await;
    harness.wait_for_codes(&["kept"]).await;
    assert!(
        harness.store.get(id).await.is_err(),
        "the hunt is gone from the database"
    );
    harness.stop().await;
}

/// The platform may send neither `X-Total-Count` nor `ETag`, and may know fields this app does
/// not: a hunt read with one must save without losing it or sending it back.
async fn like_a_lean_platform(response: axum::response::Response) -> axum::response::Response {
    let (mut parts, body) = response.into_parts();
    parts.headers.remove("x-total-count");
    parts.headers.remove("etag");
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let body = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(mut hunt)) if hunt.contains_key("code") => {
            hunt.insert("recording".to_owned(), json!({"enabled": true}));
            parts.headers.remove("content-length");
            serde_json::to_vec(&hunt).unwrap()
        }
        _ => bytes.to_vec(),
    };
    axum::response::Response::from_parts(parts, axum::body::Body::from(body))
}

#[tokio::test]
async fn without_total_count_or_etag_paging_and_saving_still_work() {
    let hunts = (0..30)
        .map(|index| hunt(&format!("q{index:02}"), &format!("{}", 5000 + index), 1))
        .collect();
    let harness = Harness::start_with(hunts, |router| {
        router.layer(axum::middleware::map_response(like_a_lean_platform))
    })
    .await;
    harness.open("/hunts").await;
    harness.wait_for_text("[data-testid='range']", "1–25").await;
    assert!(
        !harness
            .text_of("[data-testid='range']")
            .await
            .contains("of"),
        "no total is claimed"
    );
    harness.click_text("Next ›").await;
    harness
        .wait_for_text("[data-testid='range']", "26–30")
        .await;
    assert_eq!(
        harness
            .prop_of(".pager button:last-of-type", "disabled")
            .await
            .as_deref(),
        Some("true")
    );

    // The read carries a field this app does not know; saving sends only what changed.
    harness.click_text("q25").await;
    harness.click_text("Edit").await;
    harness.type_into("#f-displayname", "Still saves").await;
    harness.click_text("Save changes").await;
    harness.wait_for_text(".notice", "Saved hunt q25").await;
    harness.wait_for_text(".groups", "Still saves").await;
    harness.stop().await;
}

#[tokio::test]
async fn leaving_a_form_with_changes_asks_first() {
    let harness = Harness::start(vec![hunt("careful", "1", 1)]).await;
    harness.open("/hunts/new").await;
    harness.type_into("#f-code", "half_typed").await;
    harness.click_text("Hunts").await;
    let question = harness.browser.get_alert_text().await.unwrap();
    assert!(question.contains("unsaved changes"), "{question}");
    harness.browser.dismiss_alert().await.unwrap();
    assert!(harness.path().await.ends_with("/hunts/new"));
    assert_eq!(
        harness.prop_of("#f-code", "value").await.as_deref(),
        Some("half_typed")
    );
    harness.click_text("Hunts").await;
    harness.browser.accept_alert().await.unwrap();
    harness.wait_for_codes(&["careful"]).await;
    harness.stop().await;
}

#[tokio::test]
async fn a_hunt_changed_meanwhile_is_not_overwritten_and_the_edit_is_kept() {
    let harness = Harness::start(vec![hunt("shared", "1", 1)]).await;
    harness.expect_failed_request(412); // the save of a hunt changed meanwhile
    let id = harness.hunt_ids().await[0].clone();
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness.type_into("#f-displayname", "Mine").await;
    // Someone else saves first.
    harness
        .store
        .update(
            id.clone(),
            hunts_server::store::Precondition::any(),
            |hunt| {
                Ok(Hunt {
                    displayname: "Theirs".into(),
                    ..hunt.clone()
                })
            },
        )
        .await
        .unwrap();
    // Met by the save (a 412) or heard first on the live stream: either way their version is
    // merged in and the field both changed is asked, never overwritten.
    harness.click_text("Save changes").await;
    harness
        .wait_for_text("#form-clashes", "Display name: theirs Theirs")
        .await;
    assert_eq!(
        harness.prop_of("#f-displayname", "value").await.as_deref(),
        Some("Mine")
    );
    assert_eq!(
        harness.store.get(id).await.unwrap().hunt.displayname,
        "Theirs"
    );
    harness.stop().await;
}

#[tokio::test]
async fn a_lookup_with_several_matches_lists_them() {
    let harness = Harness::start(vec![
        hunt("5000", "", 1),
        hunt("other", "4", 1),
        hunt("sales", "5000", 1),
    ])
    .await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["5000", "other", "sales"]).await;
    harness.type_into("#lookup-key", "5000\n").await;
    harness.wait_for_codes(&["5000", "sales"]).await;
    assert!(harness.path().await.contains("filter="));
    harness.stop().await;
}
