//! The browser's console, read through chromedriver's log endpoint: what the page logged as an
//! error (`console.error`, which a Rust panic goes to), what it threw and nobody caught, and the
//! requests that failed.

use fantoccini::Client;
use fantoccini::wd::WebDriverCompatibleCommand;

/// chromedriver's `POST /session/{id}/se/log` for the browser's log: the entries since the last
/// read, each `{level, message, source, timestamp}`.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// The log's entries at level SEVERE since the last read, as "source: message".
pub async fn severe_entries(browser: &Client) -> Vec<String> {
    let entries = browser
        .issue_cmd(BrowserLog)
        .await
        .expect("chromedriver gives the browser's log");
    entries
        .as_array()
        .into_iter()
        .flatten()
        .filter(|entry| entry["level"] == "SEVERE")
        .map(|entry| {
            format!(
                "{}: {}",
                entry["source"].as_str().unwrap_or("?"),
                entry["message"].as_str().unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
}
