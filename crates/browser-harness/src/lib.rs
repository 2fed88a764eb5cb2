//! The browser-test harness: the reference server on a free port with a fresh database and the
//! release build of the app, and headless Chromium through chromedriver, with helpers that read
//! the page the way a user does.

mod console;
pub mod soak;
use test_support::temp_folder;

use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

use hunts_model::{Hunt, Role};
use hunts_server::access::Access;
use hunts_server::secrets;
use hunts_server::store::Lifetimes;
use hunts_server::store::{AccountKind, Store};
use serde_json::json;
use temp_folder::TempFolder;

/// Browsers are heavy on two cores: the scenarios take turns. A harness holds the turn from its
/// start until it is gone, so a test never names it.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
pub const PATIENCE: Duration = Duration::from_secs(15);

pub struct Harness {
    pub base: String,
    pub address: SocketAddr,
    pub store: Store,
    /// Who may do what on the server (sign-in is off unless started with users).
    pub access: Arc<Access>,
    pub browser: Client,
    /// What the browser's console may show in this test (see `expect_in_console`).
    expected_in_console: Mutex<Vec<String>>,
    /// Console errors read by `console_errors`, for `stop` to check.
    console_seen: Mutex<Vec<String>>,
    driver: Child,
    /// chromedriver's port, where `another_browser` starts a second session.
    driver_port: u16,
    /// The harness's folder (the database, files a test chooses, and the browser's temporary
    /// files), removed when the harness goes, after chromedriver (fields drop after `drop`).
    folder: TempFolder,
    /// This test's turn (`ONE_AT_A_TIME`), given back last.
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Harness {
    pub async fn start(hunts: Vec<Hunt>) -> Harness {
        Harness::start_with(hunts, |router| router).await
    }

    /// Like `start`, with sign-in on and these users (name, role, password). The app's first
    /// requests, before anyone has signed in, are refused (401): expected.
    pub async fn start_signed_in(hunts: Vec<Hunt>, users: &[(&str, Role, &str)]) -> Harness {
        let harness = Harness::start_as(hunts, users, |router| router).await;
        harness.expect_failed_request(401);
        harness
    }

    /// Like `start`, with the server's router wrapped (to play a platform that differs).
    pub async fn start_with(
        hunts: Vec<Hunt>,
        wrap: impl FnOnce(axum::Router) -> axum::Router,
    ) -> Harness {
        Harness::start_as(hunts, &[], wrap).await
    }

    async fn start_as(
        hunts: Vec<Hunt>,
        users: &[(&str, Role, &str)],
        wrap: impl FnOnce(axum::Router) -> axum::Router,
    ) -> Harness {
        let turn = ONE_AT_A_TIME.lock().await;
        // The app as `cargo xtask test` builds it, in the workspace root's `dist/`.
        let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist");
        assert!(
            dist.join("index.html").exists(),
            "no built app in {}: run `cargo xtask test`, which builds it before the tests",
            dist.display()
        );
        let folder = TempFolder::new("browser");
        let store = Store::open(&folder.path().join("hunts.db")).unwrap();
        for hunt in hunts {
            store.create(hunt).await.unwrap();
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address: SocketAddr = listener.local_addr().unwrap();
        for (name, role, password) in users {
            let hash = secrets::hash_password(password);
            store
                .put_account(AccountKind::User, (*name).to_owned(), *role, hash)
                .await
                .unwrap();
        }
        let access = if users.is_empty() {
            Access::open_on_loopback(store.clone())
        } else {
            Access::signed_in(store.clone(), Lifetimes::default())
        };
        let app = wrap(hunts_server::app_with_access(
            store.clone(),
            &dist,
            access.clone(),
        ));
        tokio::spawn(async move { axum::serve(listener, app).await });

        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            // A group of its own, which the Chromium it starts joins: see `Drop`.
            .process_group(0)
            // Chromium's profile and its singleton socket go in the harness's folder, so a run
            // leaves none of them in the machine's temporary folder.
            .env("TMPDIR", folder.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (`cargo xtask test` installs it)");
        let browser = connect(port).await;
        Harness {
            base: format!("http://{address}"),
            address,
            store,
            access,
            browser,
            expected_in_console: Mutex::new(Vec::new()),
            console_seen: Mutex::new(Vec::new()),
            driver,
            driver_port: port,
            folder,
            _turn: turn,
        }
    }

    /// A second Chromium, with its own profile, on the same server: another admin. Closed by the
    /// test (`Client::close`) before `stop`.
    pub async fn another_browser(&self) -> Client {
        connect(self.driver_port).await
    }

    /// Declares that the browser's console may show errors holding `text` in this test (a test
    /// that provokes a refusal on purpose: `expect_failed_request(412)`). Everything else the
    /// console shows as an error fails the test at `stop`.
    pub fn expect_in_console(&self, text: &str) {
        self.expected_in_console
            .lock()
            .unwrap()
            .push(text.to_owned());
    }

    /// Declares that requests answered with `status` are expected (Chromium logs each one as
    /// "Failed to load resource: the server responded with a status of 412").
    pub fn expect_failed_request(&self, status: u16) {
        self.expect_in_console(&format!("status of {status} "));
    }

    /// The errors the browser's console has shown since the last call that no declaration
    /// expects: panics, uncaught errors and failed requests (with those `console_errors` read
    /// before).
    pub async fn unexpected_console_errors(&self) -> Vec<String> {
        let expected = self.expected_in_console.lock().unwrap().clone();
        let mut seen = std::mem::take(&mut *self.console_seen.lock().unwrap());
        seen.extend(console::severe_entries(&self.browser).await);
        seen.into_iter()
            .filter(|entry| !expected.iter().any(|text| entry.contains(text)))
            .collect()
    }

    /// Every error the console has shown so far, expected or not (`stop` still checks them).
    pub async fn console_errors(&self) -> Vec<String> {
        let fresh = console::severe_entries(&self.browser).await;
        let mut seen = self.console_seen.lock().unwrap();
        seen.extend(fresh);
        seen.clone()
    }

    /// Signs in through the dialog, which must be open, and waits for it to close.
    pub async fn sign_in(&self, name: &str, password: &str) {
        self.type_into("#sign-in-name", name).await;
        self.type_into("#sign-in-password", password).await;
        self.click_text("Sign in").await;
        self.eventually(
            "the sign-in dialog to close",
            async |harness| {
                harness
                    .browser
                    .find(Locator::Css(".dialog.sign-in"))
                    .await
                    .is_ok()
            },
            |open| !open,
        )
        .await;
    }

    /// Whether an element matching `css` is on the page now.
    pub async fn has(&self, css: &str) -> bool {
        self.browser.find(Locator::Css(css)).await.is_ok()
    }

    pub async fn open(&self, path: &str) {
        self.browser
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    pub async fn find(&self, css: &str) -> Element {
        self.browser
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|error| panic!("no element {css}: {error}"))
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let input = self.find(css).await;
        input.clear().await.unwrap();
        input.send_keys(text).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
    }

    pub async fn click_text(&self, text: &str) {
        let xpath =
            format!("//*[self::button or self::a or self::summary][normalize-space()='{text}']");
        let element = self
            .browser
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap();
        element.click().await.unwrap();
    }

    /// A DOM property of the element (`value`, `disabled`), as WebDriver reports it.
    pub async fn prop_of(&self, css: &str, property: &str) -> Option<String> {
        self.find(css).await.prop(property).await.unwrap()
    }

    pub async fn text_of(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    pub async fn path(&self) -> String {
        let url = self.browser.current_url().await.unwrap();
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits until `check` holds for what the page shows, failing with the last value seen.
    pub async fn eventually<T: std::fmt::Debug>(
        &self,
        what: &str,
        mut read: impl AsyncFnMut(&Harness) -> T,
        check: impl Fn(&T) -> bool,
    ) -> T {
        let start = Instant::now();
        loop {
            let value = read(self).await;
            if check(&value) {
                return value;
            }
            if start.elapsed() > PATIENCE {
                panic!("{what}: still {value:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the element with id `id` has the keyboard focus.
    pub async fn wait_for_focus_on(&self, id: &str) {
        self.eventually(
            &format!("focus on #{id}"),
            async |harness| {
                harness
                    .browser
                    .execute("return document.activeElement?.id ?? '';", vec![])
                    .await
                    .unwrap()
            },
            |focused| focused == id,
        )
        .await;
    }

    /// Waits until the address (path and query, as `path` reads it) holds `part`: the list's
    /// address follows a change of view once its rows are on screen.
    pub async fn wait_for_address_with(&self, part: &str) {
        self.eventually(
            &format!("the address to hold {part:?}"),
            async |harness| harness.path().await,
            |path| path.contains(part),
        )
        .await;
    }

    pub async fn wait_for_text(&self, css: &str, expected: &str) {
        self.eventually(
            &format!("{css} to show {expected:?}"),
            async |harness| match harness.browser.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            },
            |text| text.contains(expected),
        )
        .await;
    }

    /// The codes in the list's rows, top to bottom.
    pub async fn listed_codes(&self) -> Vec<String> {
        self.texts_of("table.hunts tbody tr td a").await
    }

    /// The text of each element `css` finds, in the page's order.
    pub async fn texts_of(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self.browser.find_all(Locator::Css(css)).await.unwrap() {
            texts.push(element.text().await.unwrap_or_default());
        }
        texts
    }

    pub async fn wait_for_codes(&self, expected: &[&str]) {
        self.eventually(
            "the listed codes",
            async |harness| harness.listed_codes().await,
            |codes| codes == expected,
        )
        .await;
    }

    /// The stored hunts' ids, in creation order.
    pub async fn hunt_ids(&self) -> Vec<String> {
        let (_, hunts) = self.store.list_hunts(Default::default()).await.unwrap();
        hunts.into_iter().map(|hunt| hunt.id).collect()
    }

    /// The id of the stored hunt with `code`.
    pub async fn id_of(&self, code: &str) -> String {
        let (_, hunts) = self.store.list_hunts(Default::default()).await.unwrap();
        hunts.into_iter().find(|hunt| hunt.code == code).unwrap().id
    }

    /// Gives the file input `css` a file `name` holding `text`, as choosing it in the browser's
    /// file dialog does. The file is written into the harness's folder, removed with the harness.
    pub async fn choose_file(&self, css: &str, name: &str, text: &str) {
        let path = self.folder.path().join(name);
        std::fs::write(&path, text).unwrap();
        self.find(css)
            .await
            .send_keys(path.to_str().unwrap())
            .await
            .unwrap();
    }

    /// Picks `value` in the select `css`, as a user does (the select's change event).
    pub async fn choose(&self, css: &str, value: &str) {
        self.find(css).await;
        self.browser
            .execute(
                "const select = document.querySelector(arguments[0]); select.value = arguments[1]; \
                 select.dispatchEvent(new Event('change', {bubbles: true}));",
                vec![css.into(), value.into()],
            )
            .await
            .unwrap();
    }

    /// Keeps every file an export makes (each Blob the page makes a URL of), for `exported_text`.
    pub async fn keep_exported_files(&self) {
        self.browser
            .execute(
                "window.exported = []; const make = URL.createObjectURL; \
                 URL.createObjectURL = (blob) => { window.exported.push(blob); return make(blob); };",
                vec![],
            )
            .await
            .unwrap();
    }

    /// The text of the last file an export made, once it has made `count` of them.
    pub async fn exported_text(&self, count: usize) -> String {
        self.eventually(
            "the exported file",
            async |harness| {
                harness
                    .browser
                    .execute_async(
                        "const [count, done] = arguments; const files = window.exported; \
                         if (files.length < count) done(null); else files[count - 1].text().then(done);",
                        vec![count.into()],
                    )
                    .await
                    .unwrap()
            },
            |text| text.is_string(),
        )
        .await
        .as_str()
        .unwrap()
        .to_owned()
    }

    /// Fails the test if the browser's console showed an error it did not declare (a panic, an
    /// uncaught error, a failed request), then ends the browser's session (Chromium quits); the
    /// rest goes with the harness.
    pub async fn stop(self) {
        let unexpected = self.unexpected_console_errors().await;
        let _ = self.browser.clone().close().await;
        assert!(
            unexpected.is_empty(),
            "the browser's console showed errors this test did not expect:\n{}",
            unexpected.join("\n")
        );
    }
}

/// Also when a test fails before `stop`: neither chromedriver nor the Chromium it started
/// outlives the test (a failed test cannot end the browser's session, which is async; killing
/// chromedriver alone left Chromium running), and the harness's folder goes after them.
impl Drop for Harness {
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

async fn connect(port: u16) -> Client {
    let mut capabilities = serde_json::Map::new();
    let mut options = json!({
        "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--window-size=1280,800",
            // For the soak benchmark: a forced collection, and heap figures that are not rounded.
            "--js-flags=--expose-gc", "--enable-precise-memory-info",
            // Chromium ignores history changes past 200 in 10 s unless told otherwise.
            "--disable-ipc-flooding-protection"
        ]
    });
    if Path::new("/usr/bin/chromium").exists() {
        options["binary"] = json!("/usr/bin/chromium");
    }
    capabilities.insert("goog:chromeOptions".to_owned(), options);
    // The console's errors, for `stop` to check.
    capabilities.insert("goog:loggingPrefs".to_owned(), json!({ "browser": "ALL" }));
    // A command that meets an open confirm() fails and leaves it open for the test to answer
    // (the default dismisses it, so a key that makes the page ask could not be tested).
    capabilities.insert("unhandledPromptBehavior".to_owned(), json!("ignore"));
    let start = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return client,
            Err(error) if start.elapsed() < PATIENCE => {
                let _ = error;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(error) => panic!("cannot start a Chromium session through chromedriver: {error}"),
        }
    }
}

pub fn hunt(code: &str, phonenumber: &str, priority: u32) -> Hunt {
    Hunt {
        code: code.to_owned(),
        phonenumber: phonenumber.to_owned(),
        priority,
        ..Hunt::default()
    }
}
