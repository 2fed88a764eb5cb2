//! End-to-end tests of reordering a hunt's resources: a real pointer drag (mouse and touch)
//! through WebDriver actions, the keyboard path with its live-region announcements, the move
//! buttons, and add/remove/priority editing with Undo; each order checked after save and reload.

use browser_harness as common;

use std::time::Duration;

use common::Harness;
use fantoccini::actions::{
    InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction, TouchActions,
};
use fantoccini::key::Key;
use hunts_model::{Hunt, Resource};
use serde_json::Value;

fn resources(items: &[(&str, i32)]) -> Vec<Resource> {
    items
        .iter()
        .map(|(id, priority)| Resource {
            id: (*id).to_owned(),
            priority: *priority,
        })
        .collect()
}

/// The reference's own example shape: 100, 99, then a third at 95.
async fn start_editing() -> (Harness, String) {
    let hunt = Hunt {
        code: "ringing".to_owned(),
        resources: resources(&[("agent-a", 100), ("agent-b", 99), ("agent-c", 95)]),
        ..Hunt::default()
    };
    let harness = Harness::start(vec![hunt]).await;
    let id = harness.hunt_ids().await[0].clone();
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness.find(".ring").await;
    (harness, id)
}

/// The ring editor's helpers, on the harness.
trait Ring {
    /// The resource ids as the editor lists them, top to bottom.
    async fn ring_ids(&self) -> Vec<String>;

    async fn wait_for_ring(&self, expected: &[&str]);

    /// A rectangle in viewport coordinates, after scrolling the element to the middle.
    async fn viewport_rect(&self, css: &str) -> (f64, f64, f64, f64);

    async fn rect_now(&self, css: &str) -> (f64, f64, f64, f64);

    /// A real drag in one gesture, as a mouse or as a finger: press on the handle, lift it, move
    /// to the point `target` gives (measured before the drag: the list keeps its layout while
    /// dragging, the dragged row leaving a placeholder) and release.
    async fn drag(
        &self,
        resource: &str,
        touch: bool,
        target: impl AsyncFnOnce(&Harness) -> (f64, f64),
    );

    async fn perform(&self, touch: bool, steps: &[PointerAction]);

    async fn save_and_reload(&self, id: &str) -> Vec<Resource>;

    /// Presses a key on the focused element once focus is back on the handle: the list is redrawn
    /// after each move, and the handle must keep the keyboard focus through it.
    async fn press_on_handle(&self, handle_id: &str, key: &str);

    async fn announced(&self, expected: &str);
}

impl Ring for Harness {
    async fn ring_ids(&self) -> Vec<String> {
        let ids: Value = self
            .browser
            .execute("return [...document.querySelectorAll('.ring .resource')].map(row => row.dataset.resource)", vec![])
            .await
            .unwrap();
        serde_json::from_value(ids).unwrap()
    }

    async fn wait_for_ring(&self, expected: &[&str]) {
        self.eventually(
            "the ring order",
            async |harness| harness.ring_ids().await,
            |ids| ids == expected,
        )
        .await;
    }

    async fn viewport_rect(&self, css: &str) -> (f64, f64, f64, f64) {
        let script = "const e = document.querySelector(arguments[0]); \
                      if (arguments[1]) e.scrollIntoView({block: 'center'}); \
                      const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height];";
        self.find(css).await;
        let rect: Vec<f64> = serde_json::from_value(
            self.browser
                .execute(script, vec![css.into(), true.into()])
                .await
                .unwrap(),
        )
        .unwrap();
        (rect[0], rect[1], rect[2], rect[3])
    }

    async fn rect_now(&self, css: &str) -> (f64, f64, f64, f64) {
        let script = "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return [r.left, r.top, r.width, r.height];";
        let rect: Vec<f64> = serde_json::from_value(
            self.browser
                .execute(script, vec![css.into(), false.into()])
                .await
                .unwrap(),
        )
        .unwrap();
        (rect[0], rect[1], rect[2], rect[3])
    }

    async fn drag(
        &self,
        resource: &str,
        touch: bool,
        target: impl AsyncFnOnce(&Harness) -> (f64, f64),
    ) {
        let handle = format!(".resource[data-resource='{resource}'] .handle");
        let (x, y, width, height) = self.viewport_rect(&handle).await;
        let (to_x, to_y) = target(self).await;
        let gesture = [
            PointerAction::MoveTo {
                duration: None,
                x: x + width / 2.0,
                y: y + height / 2.0,
            },
            PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            },
            PointerAction::MoveBy {
                duration: Some(Duration::from_millis(50)),
                x: 0.0,
                y: 4.0,
            },
            PointerAction::MoveTo {
                duration: Some(Duration::from_millis(300)),
                x: to_x,
                y: to_y,
            },
            PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            },
        ];
        self.perform(touch, &gesture).await;
        self.browser.release_actions().await.unwrap();
    }

    async fn perform(&self, touch: bool, steps: &[PointerAction]) {
        if touch {
            let mut actions = TouchActions::new("finger".to_owned());
            for step in steps {
                actions = actions.then(step.clone()).pause(Duration::from_millis(30));
            }
            self.browser.perform_actions(actions).await.unwrap();
        } else {
            let mut actions = MouseActions::new("mouse".to_owned());
            for step in steps {
                actions = actions.then(step.clone()).pause(Duration::from_millis(30));
            }
            self.browser.perform_actions(actions).await.unwrap();
        }
    }

    async fn save_and_reload(&self, id: &str) -> Vec<Resource> {
        self.click_text("Save changes").await;
        self.wait_for_text(".notice", "Saved hunt ringing").await;
        self.open(&format!("/hunts/{id}/edit")).await;
        self.find(".ring").await;
        self.store.get(id.to_owned()).await.unwrap().hunt.resources
    }

    async fn press_on_handle(&self, handle_id: &str, key: &str) {
        self.wait_for_focus_on(handle_id).await;
        self.browser
            .active_element()
            .await
            .unwrap()
            .send_keys(key)
            .await
            .unwrap();
    }

    async fn announced(&self, expected: &str) {
        self.wait_for_text("[data-testid='announcer']", expected)
            .await;
    }
}

#[tokio::test]
async fn a_mouse_drag_to_the_top_survives_save_and_reload() {
    let (harness, id) = start_editing().await;
    harness
        .wait_for_ring(&["agent-a", "agent-b", "agent-c"])
        .await;
    // Drop just above the first tier: a gap, so agent-c rings first, above 100.
    harness
        .drag("agent-c", false, async |h| {
            let (x, y, width, _) = h.rect_now("[data-tier='0']").await;
            (x + width / 2.0, y + 2.0)
        })
        .await;
    harness
        .wait_for_ring(&["agent-c", "agent-a", "agent-b"])
        .await;
    harness
        .announced("Resource agent-c dropped, position 1 of 3")
        .await;
    harness
        .wait_for_text(
            "[data-testid='ring-preview']",
            "1st: agent-c; then agent-a; then agent-b",
        )
        .await;
    harness
        .wait_for_text(
            "[data-testid='saved-preview']",
            "1st: agent-a; then agent-b; then agent-c",
        )
        .await;
    let saved = harness.save_and_reload(&id).await;
    assert_eq!(
        saved,
        resources(&[("agent-c", 110), ("agent-a", 100), ("agent-b", 99)]),
        "only agent-c changed"
    );
    harness
        .wait_for_ring(&["agent-c", "agent-a", "agent-b"])
        .await;
    harness.stop().await;
}

#[tokio::test]
async fn a_touch_drag_onto_a_tier_joins_it() {
    let (harness, id) = start_editing().await;
    // The middle of agent-c's tier (the third shown) joins it.
    harness
        .drag("agent-a", true, async |h| {
            let (x, y, width, height) = h.rect_now("[data-tier='2']").await;
            (x + width / 2.0, y + height / 2.0)
        })
        .await;
    harness
        .wait_for_ring(&["agent-b", "agent-c", "agent-a"])
        .await;
    harness
        .wait_for_text(".tier.together", "rung together, at random")
        .await;
    harness
        .wait_for_text(
            "[data-testid='ring-preview']",
            "1st: agent-b; then agent-c or agent-a at random",
        )
        .await;
    let saved = harness.save_and_reload(&id).await;
    assert_eq!(
        saved,
        resources(&[("agent-b", 99), ("agent-c", 95), ("agent-a", 95)])
    );
    harness.stop().await;
}

#[tokio::test]
async fn the_keyboard_lifts_moves_drops_and_cancels_with_announcements() {
    let (harness, id) = start_editing().await;
    let handle = "handle-agent_c";
    harness
        .find(&format!("#{handle}"))
        .await
        .send_keys(" ")
        .await
        .unwrap();
    harness
        .announced("Resource agent-c lifted, position 3 of 3")
        .await;
    // First step up joins agent-b's tier at 99 (the position is the same: the words say the
    // tier); the next goes between 100 and 99, where no whole number fits, so every tier is
    // respaced and the form says so.
    harness.press_on_handle(handle, &Key::Up.to_string()).await;
    harness
        .announced(
            "Resource agent-c moved to position 3 of 3 at priority 99, rung together with agent-b",
        )
        .await;
    harness.press_on_handle(handle, &Key::Up.to_string()).await;
    harness
        .announced("Resource agent-c moved to position 2 of 3")
        .await;
    harness
        .wait_for_ring(&["agent-a", "agent-c", "agent-b"])
        .await;
    harness.wait_for_text(".status", "respaced").await;
    harness.press_on_handle(handle, " ").await;
    harness
        .announced("Resource agent-c dropped, position 2 of 3")
        .await;

    // Escape puts a lifted resource back where it was lifted from.
    harness.press_on_handle(handle, " ").await;
    harness.announced("lifted, position 2 of 3").await;
    harness
        .press_on_handle(handle, &Key::Down.to_string())
        .await;
    harness.announced("moved to position 3 of 3").await;
    harness
        .press_on_handle(handle, &Key::Escape.to_string())
        .await;
    harness
        .announced("Move cancelled. Resource agent-c is back at position 2 of 3")
        .await;
    harness
        .wait_for_ring(&["agent-a", "agent-c", "agent-b"])
        .await;

    let saved = harness.save_and_reload(&id).await;
    assert_eq!(
        saved,
        resources(&[("agent-a", 30), ("agent-c", 20), ("agent-b", 10)])
    );
    harness
        .wait_for_ring(&["agent-a", "agent-c", "agent-b"])
        .await;
    harness.stop().await;
}

#[tokio::test]
async fn the_move_buttons_reorder_without_dragging() {
    let (harness, id) = start_editing().await;
    assert_eq!(
        harness
            .prop_of("button[aria-label='Move agent-a up']", "disabled")
            .await
            .as_deref(),
        Some("true")
    );
    harness
        .click("button[aria-label='Move agent-a down']")
        .await;
    harness
        .announced("Resource agent-a moved to position 2 of 3")
        .await;
    harness
        .wait_for_text(".tier.together", "rung together")
        .await;
    harness
        .click("button[aria-label='Move agent-a down']")
        .await;
    harness
        .wait_for_ring(&["agent-b", "agent-a", "agent-c"])
        .await;
    let saved = harness.save_and_reload(&id).await;
    assert_eq!(
        saved,
        resources(&[("agent-b", 99), ("agent-a", 97), ("agent-c", 95)])
    );
    harness.stop().await;
}

#[tokio::test]
async fn add_remove_edit_a_priority_and_undo() {
    let (harness, id) = start_editing().await;
    // Each resource links to where else it rings, in a new tab (the form stays).
    let link = harness
        .find(".resource[data-resource='agent-a'] a.resource-id")
        .await;
    assert!(
        link.prop("href")
            .await
            .unwrap()
            .unwrap_or_default()
            .ends_with("/resources/agent-a")
    );
    assert_eq!(
        link.attr("target").await.unwrap().as_deref(),
        Some("_blank")
    );
    harness.click_text("Add").await;
    harness
        .wait_for_text(".add-resource .field-error", "Type the resource's id")
        .await;
    harness.type_into("#new-resource-id", "agent-a").await;
    harness.click_text("Add").await;
    harness
        .wait_for_text(
            ".add-resource .field-error",
            "Resource agent-a is already in this hunt",
        )
        .await;
    harness.type_into("#new-resource-id", "agent-d").await;
    harness.type_into("#new-resource-priority", "200").await;
    harness.click_text("Add").await;
    harness
        .wait_for_ring(&["agent-d", "agent-a", "agent-b", "agent-c"])
        .await;
    harness
        .announced("Resource agent-d added at position 1 of 4")
        .await;

    // A priority typed as a number re-sorts the list.
    let input = harness
        .find(".resource[data-resource='agent-a'] .priority-input")
        .await;
    input.clear().await.unwrap();
    input.send_keys(&format!("1{}", Key::Tab)).await.unwrap();
    harness
        .wait_for_ring(&["agent-d", "agent-b", "agent-c", "agent-a"])
        .await;

    harness
        .click("button[aria-label='Remove resource agent-b']")
        .await;
    harness
        .wait_for_ring(&["agent-d", "agent-c", "agent-a"])
        .await;

    harness.click_text("Undo: restore the saved order").await;
    harness
        .wait_for_ring(&["agent-a", "agent-b", "agent-c"])
        .await;
    harness
        .click("button[aria-label='Remove resource agent-b']")
        .await;
    let saved = harness.save_and_reload(&id).await;
    assert_eq!(saved, resources(&[("agent-a", 100), ("agent-c", 95)]));
    harness.stop().await;
}

/// The server's own policy, with a `report-uri` added so the test hears of every violation.
fn reporting_csp_violations(
    reports: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) -> impl FnOnce(axum::Router) -> axum::Router {
    move |router| {
        let add_report_uri =
            axum::middleware::map_response(|mut response: axum::response::Response| async move {
                let headers = response.headers_mut();
                if let Some(policy) = headers.get("content-security-policy") {
                    let policy = format!("{}; report-uri /csp-report", policy.to_str().unwrap());
                    headers.insert("content-security-policy", policy.parse().unwrap());
                }
                response
            });
        let report = axum::routing::post(move |body: axum::body::Bytes| async move {
            reports
                .lock()
                .unwrap()
                .push(String::from_utf8_lossy(&body).into_owned());
            axum::http::StatusCode::NO_CONTENT
        });
        axum::Router::new()
            .route("/csp-report", report)
            .merge(router.layer(add_report_uri))
    }
}

#[tokio::test]
async fn the_app_runs_under_its_content_security_policy() {
    let reports = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let hunt = Hunt {
        code: "guarded".to_owned(),
        resources: resources(&[("agent-a", 100), ("agent-b", 99)]),
        ..Hunt::default()
    };
    let harness = Harness::start_with(vec![hunt], reporting_csp_violations(reports.clone())).await;
    // The injected inline script at the end is refused on purpose.
    harness.expect_in_console("violates the following Content Security Policy");
    let id = harness.hunt_ids().await[0].clone();
    // Every page, and a drag (its floating row is placed by a style attribute).
    harness.open("/hunts").await;
    harness.wait_for_codes(&["guarded"]).await;
    harness.click_text("guarded").await;
    harness.wait_for_text(".detail-head h1", "guarded").await;
    harness.open("/hunts/new").await;
    harness.find("#f-code").await;
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness.wait_for_ring(&["agent-a", "agent-b"]).await;
    harness
        .drag("agent-b", false, async |h| {
            let (x, y, width, _) = h.rect_now("[data-tier='0']").await;
            (x + width / 2.0, y + 2.0)
        })
        .await;
    harness.wait_for_ring(&["agent-b", "agent-a"]).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        *reports.lock().unwrap(),
        Vec::<String>::new(),
        "no violations"
    );

    // The policy is on and reports reach the test: an injected inline script is refused.
    harness
        .browser
        .execute(
            "const s = document.createElement('script'); s.textContent = 'window.injected = 1'; \
             document.body.appendChild(s); return window.injected === undefined;",
            vec![],
        )
        .await
        .unwrap();
    harness
        .eventually(
            "the injected script's violation report",
            async |_| reports.lock().unwrap().len(),
            |count| *count > 0,
        )
        .await;
    harness.stop().await;
}

/// Whether the page scrolls sideways, and where an element sits, at the window's size now.
async fn fits_the_width(harness: &Harness) -> bool {
    let wide: Value = harness
        .browser
        .execute(
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth",
            vec![],
        )
        .await
        .unwrap();
    wide == Value::Bool(false)
}

#[tokio::test]
async fn on_a_phone_nothing_scrolls_sideways_and_a_touch_drag_works() {
    let (harness, id) = start_editing().await;
    harness.browser.set_window_size(390, 844).await.unwrap();
    let width: Value = harness
        .browser
        .execute("return window.innerWidth", vec![])
        .await
        .unwrap();
    assert!(width.as_f64().unwrap() <= 400.0, "a phone's width: {width}");
    for page in [
        "/hunts",
        &format!("/hunts/{id}"),
        &format!("/hunts/{id}/edit"),
        "/hunts/new",
    ] {
        harness.open(page).await;
        harness.find("main h1").await;
        assert!(fits_the_width(&harness).await, "{page} scrolls sideways");
        // The lookup is on show at the top, one tap away.
        let (x, y, width, _) = harness.rect_now("#lookup-key").await;
        assert!(
            x >= 0.0 && x + width <= 390.0 && y < 200.0,
            "{page}: lookup at {x},{y}"
        );
    }
    // Handles and move buttons are big enough for a finger, and a touch drag still reorders.
    harness.open(&format!("/hunts/{id}/edit")).await;
    harness.find(".ring").await;
    for control in [".handle", ".move"] {
        let (_, _, width, height) = harness.rect_now(control).await;
        assert!(
            width >= 44.0 && height >= 44.0,
            "{control}: {width} x {height}"
        );
    }
    harness
        .drag("agent-c", true, async |h| {
            let (x, y, width, _) = h.rect_now("[data-tier='0']").await;
            (x + width / 2.0, y + 2.0)
        })
        .await;
    harness
        .wait_for_ring(&["agent-c", "agent-a", "agent-b"])
        .await;
    harness.stop().await;
}

#[tokio::test]
async fn the_dark_theme_is_chosen_and_remembered() {
    let harness = Harness::start(vec![]).await;
    harness.open("/hunts").await;
    let background = async |harness: &Harness| -> String {
        let value: Value = harness
            .browser
            .execute(
                "return getComputedStyle(document.documentElement).backgroundColor",
                vec![],
            )
            .await
            .unwrap();
        value.as_str().unwrap_or_default().to_owned()
    };
    // Headless Chromium prefers light.
    assert_eq!(background(&harness).await, "rgb(255, 255, 255)");
    harness.click_text("Dark theme").await;
    assert_eq!(background(&harness).await, "rgb(21, 24, 31)");
    assert_eq!(
        harness
            .prop_of(".theme-toggle", "ariaPressed")
            .await
            .as_deref(),
        Some("true")
    );
    harness.open("/hunts").await;
    harness.find(".theme-toggle").await;
    assert_eq!(background(&harness).await, "rgb(21, 24, 31)", "remembered");
    harness.stop().await;
}
