//! Live changes in the app: another admin's change shows up without a reload, on the hunt's page
//! (read again, with who changed it) and on the list (its page read again, said politely).

use browser_harness as common;

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use common::{Harness, hunt};
use fantoccini::Locator;
use futures::StreamExt;
use hunts_model::Hunt;
use hunts_server::store::{Origin, Precondition};
use tokio::sync::watch;

/// A change to `code`'s hunt as `who` makes it elsewhere (another browser, a script).
async fn changed_elsewhere(harness: &Harness, code: &str, who: &str, change: fn(&Hunt) -> Hunt) {
    let id = harness.id_of(code).await;
    let origin = Origin {
        by: Some(who.to_owned()),
        change_set: None,
    };
    harness
        .store
        .update_as(origin, id, Precondition::any(), move |hunt| {
            Ok(change(hunt))
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn the_hunt_s_page_shows_another_admin_s_change_as_it_comes() {
    let harness = Harness::start(vec![hunt("q1", "101", 1)]).await;
    let id = harness.id_of("q1").await;
    harness.open(&format!("/hunts/{id}")).await;
    harness
        .wait_for_text("[data-testid='history']", "created it")
        .await;
    assert!(
        !harness.has("[data-testid='live-news']").await,
        "nothing said before anything happens"
    );
    changed_elsewhere(&harness, "q1", "ann", |hunt| Hunt {
        weight: 70,
        ..hunt.clone()
    })
    .await;
    harness
        .wait_for_text("[data-testid='live-news']", "ann changed q1 just now")
        .await;
    // The page is the hunt as it now is: its history has the change, field by field.
    harness
        .wait_for_text("[data-testid='history']", "Weight: 1 → 70")
        .await;
    harness.stop().await;
}

#[tokio::test]
async fn the_list_reads_its_page_again_when_a_hunt_on_it_changes() {
    let harness = Harness::start(vec![hunt("sales", "4001", 1), hunt("support", "4002", 2)]).await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["sales", "support"]).await;
    harness.click("input[aria-label='Select support']").await;
    changed_elsewhere(&harness, "sales", "bob", |hunt| Hunt {
        code: "sales_main".to_owned(),
        ..hunt.clone()
    })
    .await;
    harness.wait_for_codes(&["sales_main", "support"]).await;
    harness
        .wait_for_text(
            "[data-testid='live-news']",
            "bob changed sales_main just now",
        )
        .await;
    assert_eq!(
        harness.text_of("[data-testid='selected-count']").await,
        "1 selected",
        "the selection is kept"
    );
    harness.stop().await;
}

/// Each listed row's code and mark (its class: "changed", "gone" or none).
async fn marked_rows(harness: &Harness) -> Vec<(String, String)> {
    let rows = harness
        .browser
        .execute(
            "return [...document.querySelectorAll('table.hunts tbody tr')]\
             .map(row => [row.querySelector('td a').textContent, row.className]);",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(rows).unwrap()
}

#[tokio::test]
async fn the_list_marks_changed_and_gone_rows_and_says_a_burst_of_changes_once() {
    let harness = Harness::start(vec![
        hunt("billing", "4000", 1),
        hunt("sales", "4001", 2),
        hunt("support", "4002", 3),
    ])
    .await;
    harness.open("/hunts").await;
    harness
        .wait_for_codes(&["billing", "sales", "support"])
        .await;
    harness.click("input[aria-label='Select support']").await;

    // One change: its row is marked for a moment, and the line says it at once.
    changed_elsewhere(&harness, "sales", "bob", |hunt| Hunt {
        code: "sales_main".to_owned(),
        ..hunt.clone()
    })
    .await;
    harness
        .wait_for_text(
            "[data-testid='live-news']",
            "bob changed sales_main just now",
        )
        .await;
    harness
        .eventually(
            "sales_main marked changed",
            async |harness| marked_rows(harness).await,
            |rows| rows.contains(&("sales_main".to_owned(), "changed".to_owned())),
        )
        .await;

    // After the quiet, three more at once: the first is said at once; the others wait out the
    // quiet, then the newest is said with how many came with it. The deleted hunt stays where
    // it was, marked gone.
    tokio::time::sleep(std::time::Duration::from_millis(5_500)).await;
    changed_elsewhere(&harness, "support", "ann", |hunt| Hunt {
        weight: 9,
        ..hunt.clone()
    })
    .await;
    changed_elsewhere(&harness, "sales_main", "ann", |hunt| Hunt {
        weight: 9,
        ..hunt.clone()
    })
    .await;
    let billing = harness.id_of("billing").await;
    let origin = Origin {
        by: Some("ann".to_owned()),
        change_set: None,
    };
    harness
        .store
        .delete_as(origin, billing, Precondition::any())
        .await
        .unwrap();
    harness
        .wait_for_text("[data-testid='live-news']", "ann changed support just now")
        .await;
    let rows = harness
        .eventually(
            "billing kept in place, marked gone",
            async |harness| marked_rows(harness).await,
            |rows| rows.first() == Some(&("billing".to_owned(), "gone".to_owned())),
        )
        .await;
    assert_eq!(rows.len(), 3, "nothing pulled from the page: {rows:?}");
    harness
        .wait_for_text(
            "[data-testid='live-news']",
            "ann deleted billing just now, with 1 other change",
        )
        .await;
    assert_eq!(
        harness.text_of("[data-testid='selected-count']").await,
        "1 selected",
        "the selection is kept"
    );

    // A page read again for another reason (the order changed) is the view as it now is.
    harness.click("th[data-column='code'] button").await;
    harness.wait_for_codes(&["sales_main", "support"]).await;
    harness.stop().await;
}

/// In `browser` (another admin's), the form at `address` with `input` set to `value`, saved.
async fn saved_in(browser: &fantoccini::Client, address: &str, input: &str, value: &str) {
    let find = async |css: &str| {
        browser
            .wait()
            .at_most(common::PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap()
    };
    browser.goto(address).await.unwrap();
    let field = find(input).await;
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
    find("form.hunt-form button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn two_browsers_one_saves_and_the_other_s_list_marks_the_row_and_its_form_merges() {
    let harness = Harness::start(vec![hunt("q1", "101", 1), hunt("q2", "102", 2)]).await;
    let id = harness.id_of("q1").await;
    let other = harness.another_browser().await;

    // This browser's list is open; the other admin saves a new code for q2 in theirs.
    harness.open("/hunts").await;
    harness.wait_for_codes(&["q1", "q2"]).await;
    let q2 = harness.id_of("q2").await;
    saved_in(
        &other,
        &format!("{}/hunts/{q2}/edit", harness.base),
        "#f-code",
        "q2_main",
    )
    .await;
    harness
        .eventually(
            "q2_main marked changed in this browser's list",
            async |harness| marked_rows(harness).await,
            |rows| rows.contains(&("q2_main".to_owned(), "changed".to_owned())),
        )
        .await;

    // Both edit q1: this one its display name; the other its timeout, and saves first. This
    // form takes their timeout in, keeps the display name, and saves both.
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness.type_into("#f-displayname", "Mine").await;
    saved_in(
        &other,
        &format!("{}/hunts/{id}/edit", harness.base),
        "#f-timeout",
        "90",
    )
    .await;
    harness
        .wait_for_text("[data-testid='merge-news']", "changed q1 just now: Timeout")
        .await;
    assert_eq!(
        harness.prop_of("#f-timeout", "value").await.as_deref(),
        Some("1 min 30 s")
    );
    harness.click_text("Save changes").await;
    harness
        .eventually(
            "the saved hunt",
            async |harness| {
                let hunt = harness.store.get(id.clone()).await.unwrap().hunt;
                (hunt.timeout, hunt.displayname)
            },
            |saved| *saved == (90, "Mine".to_owned()),
        )
        .await;
    other.close().await.unwrap();
    harness.stop().await;
}

#[tokio::test]
async fn an_open_form_merges_another_admin_s_change_and_asks_about_a_clash() {
    let harness = Harness::start(vec![hunt("q1", "101", 1)]).await;
    let id = harness.id_of("q1").await;
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness.type_into("#f-weight", "5").await;
    harness.type_into("#f-displayname", "Mine").await;
    changed_elsewhere(&harness, "q1", "ann", |hunt| Hunt {
        timeout: 60,
        displayname: "Theirs".to_owned(),
        ..hunt.clone()
    })
    .await;
    harness
        .wait_for_text(
            "[data-testid='merge-news']",
            "ann changed q1 just now: Timeout, Display name",
        )
        .await;
    // Their timeout is taken in; your weight stays; the display name both changed is asked.
    assert_eq!(
        harness.prop_of("#f-timeout", "value").await.as_deref(),
        Some("1 min")
    );
    assert_eq!(
        harness.prop_of("#f-weight", "value").await.as_deref(),
        Some("5")
    );
    harness
        .wait_for_text(
            "#form-clashes",
            "Display name: theirs Theirs Keep theirs · yours Mine Keep yours",
        )
        .await;
    // Save waits for the choice.
    harness.click_text("Save changes").await;
    harness.wait_for_focus_on("form-clashes").await;
    assert_eq!(
        harness.path().await,
        format!("/hunts/{id}/edit"),
        "nothing sent yet"
    );
    harness.click_text("Keep yours").await;
    assert_eq!(
        harness.prop_of("#form-clashes", "hidden").await.as_deref(),
        Some("true"),
        "nothing left to choose"
    );
    harness.click_text("Save changes").await;
    harness
        .eventually(
            "the saved hunt",
            async |harness| {
                let hunt = harness
                    .store
                    .get(harness.id_of("q1").await)
                    .await
                    .unwrap()
                    .hunt;
                (hunt.weight, hunt.timeout, hunt.displayname)
            },
            |saved| *saved == (5, 60, "Mine".to_owned()),
        )
        .await;
    harness.stop().await;
}

/// The `Last-Event-ID` each request for the stream came with, in order (`None`: a first one).
type Resumes = Arc<Mutex<Vec<Option<String>>>>;

/// Cuts every open stream of live changes when `cut` is sent, as a network drop would (the
/// browser's `EventSource` then connects again by itself, with the last event's id), and notes
/// what each request for the stream resumed from.
fn with_cuttable_streams(
    cuts: watch::Receiver<()>,
    resumes: Resumes,
) -> impl FnOnce(axum::Router) -> axum::Router {
    move |router| {
        router.layer(axum::middleware::from_fn(
            move |request: Request, next: Next| {
                let (mut cuts, resumes) = (cuts.clone(), resumes.clone());
                async move {
                    if !request.uri().path().ends_with("/events") {
                        return next.run(request).await;
                    }
                    let resumed = request
                        .headers()
                        .get("last-event-id")
                        .and_then(|id| id.to_str().ok())
                        .map(str::to_owned);
                    resumes.lock().unwrap().push(resumed);
                    cuts.mark_unchanged();
                    let (parts, body) = next.run(request).await.into_parts();
                    let body = body.into_data_stream().take_until(async move {
                        let _ = cuts.changed().await;
                    });
                    Response::from_parts(parts, Body::from_stream(body))
                }
            },
        ))
    }
}

#[tokio::test]
async fn a_network_drop_in_the_middle_loses_no_change() {
    let (cut, cuts) = watch::channel(());
    let resumes = Resumes::default();
    let harness = Harness::start_with(
        vec![hunt("sales", "4001", 1)],
        with_cuttable_streams(cuts, resumes.clone()),
    )
    .await;
    harness.open("/hunts").await;
    harness.wait_for_codes(&["sales"]).await;
    changed_elsewhere(&harness, "sales", "bob", |hunt| Hunt {
        code: "sales_1".to_owned(),
        ..hunt.clone()
    })
    .await;
    harness.wait_for_codes(&["sales_1"]).await;
    // The stream drops, and a change is made before the browser is back.
    cut.send(()).unwrap();
    changed_elsewhere(&harness, "sales_1", "bob", |hunt| Hunt {
        code: "sales_2".to_owned(),
        ..hunt.clone()
    })
    .await;
    harness.wait_for_codes(&["sales_2"]).await;
    let resumes = resumes.lock().unwrap().clone();
    // The hunt's create was revision 1, the first change 2: the browser came back after it.
    assert_eq!(
        resumes.iter().flatten().collect::<Vec<_>>(),
        ["2"],
        "resumed once, after the last event it had: {resumes:?}"
    );
    harness.stop().await;
}
