//! The contract, rule by rule, over HTTP against the real router and a fresh SQLite database.
//! Every refusal checks its status, its error body and that nothing was written. The suite runs
//! three times: with sign-in off (`tests/contract.rs`), signed in as an admin through a session
//! cookie (`tests/contract_signed_in.rs`), and on PostgreSQL (`tests/contract_postgres.rs`);
//! its root says which in `MODE`.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request};
use hunts_model::Role;
use hunts_server::access::Access;
use hunts_server::app_with_access;
use hunts_server::secrets;
use hunts_server::store::Lifetimes;
use hunts_server::store::{AccountKind, PgOptions, Store};
use serde_json::{Value, json};
use tower::ServiceExt;

use super::temp_folder::TempFolder;

const HUNTS: &str = "/rest/v1/uc/hunts";

/// The reference's POST example, verbatim.
const REFERENCE_HUNT: &str = r#"{
  "id": "a9667bcc-016c-cd71-6d06-50e54938780c",
  "code": "hunt_4",
  "phonenumber": "402",
  "priority": 5,
  "type": "sipuser",
  "resources": [
    { "id": "65ac9beb-016c-b372-e769-50e54938780c", "priority": 100 },
    { "id": "0007f945-016c-b373-2772-50e54938780c", "priority": 99 }
  ],
  "strategy": { "mode": "timers", "seconds": [5] },
  "resmode": "priorityrandom",
  "objmode": "spqwfq",
  "weight": 10,
  "wivrscript": "welcome",
  "qivrscript": "queue_bob_marley",
  "preivrscript": "notify",
  "reslimit": 0,
  "maxattempts": 10,
  "maxattemptstrannumber": "401",
  "timeout": 0,
  "timeouttrannumber": "401",
  "resdialtimeout": 0,
  "displayname": "",
  "huntblock": { "enabled": true, "expires": 30, "reason": "simple_pause" },
  "resbansec": 20,
  "opts": { "title": "", "comment": "", "exit_no_resource": false },
  "ext": { "ct": "2019-08-26T10:20:58.50Z", "lwt": "2019-08-26T10:20:58.50Z" }
}"#;

/// The reference's PATCH example (its response body, which is a whole hunt), verbatim.
const REFERENCE_PATCH: &str = r#"{
  "id": "a9667bcc-016c-cd71-6d06-50e54938780c",
  "code": "hunt_4",
  "phonenumber": "402",
  "priority": 5,
  "type": "sipuser",
  "resources": [
    { "id": "65ac9beb-016c-b372-e769-50e54938780c", "priority": 100 },
    { "id": "0007f945-016c-b373-2772-50e54938780c", "priority": 99 },
    { "id": "66297232-9f5b-371a-2202-394fa940f3882", "priority": 95 }
  ],
  "strategy": { "mode": "timers", "seconds": [5, 10] },
  "resmode": "priorityrandom",
  "objmode": "spqwfq",
  "weight": 10,
  "wivrscript": "welcome",
  "qivrscript": "queue_bob_marley",
  "preivrscript": "notify",
  "reslimit": 0,
  "maxattempts": 10,
  "maxattemptstrannumber": "401",
  "timeout": 0,
  "timeouttrannumber": "401",
  "resdialtimeout": 0,
  "displayname": "",
  "huntblock": { "enabled": true, "expires": 30, "reason": "simple_pause" },
  "resbansec": 20,
  "opts": { "title": "", "comment": "", "exit_no_resource": false },
  "ext": { "ct": "2019-08-26T10:20:58.50Z", "lwt": "2019-09-09T17:46:31.25Z" }
}"#;

struct Reply {
    status: u16,
    headers: HeaderMap,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.text))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// Asserts the contract's error body: the status, `1000 + status`, and the field if named.
    fn assert_error(&self, status: u16, field: Option<&str>) -> String {
        assert_eq!(self.status, status, "{}", self.text);
        let body = self.json();
        assert_eq!(body["error_code"], json!(1000 + status), "{body}");
        assert_eq!(body["field"].as_str(), field, "{body}");
        body["error_message"]
            .as_str()
            .expect("error_message is a string")
            .to_owned()
    }
}

/// How the suite reaches the server.
/// A stream's events, read as they come: `(event, id, data)`, comments (heartbeats) skipped.
struct Listener {
    body: axum::body::BodyDataStream,
    text: String,
}

impl Listener {
    /// The next event within two seconds; `None` when the stream ends (or nothing comes).
    async fn next(&mut self) -> Option<(String, String, Value)> {
        use futures_util::StreamExt;
        loop {
            if let Some(end) = self.text.find("\n\n") {
                let block: String = self.text.drain(..end + 2).collect();
                let mut event = ("message".to_owned(), String::new(), Value::Null);
                let mut comment = true;
                for line in block.lines() {
                    if let Some(value) = line.strip_prefix("event:") {
                        event.0 = value.trim().to_owned();
                        comment = false;
                    } else if let Some(value) = line.strip_prefix("id:") {
                        event.1 = value.trim().to_owned();
                    } else if let Some(value) = line.strip_prefix("data:") {
                        event.2 = serde_json::from_str(value.trim()).unwrap();
                        comment = false;
                    }
                }
                if comment {
                    continue;
                }
                return Some(event);
            }
            let chunk = tokio::time::timeout(std::time::Duration::from_secs(2), self.body.next())
                .await
                .ok()??
                .ok()?;
            self.text.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }
}

#[allow(dead_code)] // each root uses one
pub enum Mode {
    /// Sign-in off: requests addressed to a loopback name, with no credentials.
    Open,
    /// Sign-in off, on a fresh PostgreSQL database instead of SQLite.
    Postgres,
    /// Sign-in on: an admin's session cookie and `X-Requested-With` on every request.
    SignedInAdmin,
}

struct Api {
    router: Router,
    store: Store,
    /// The folder of the app's stand-in files, removed with the `Api`.
    _dist: TempFolder,
    /// The `Cookie` header of the admin's session, when signed in.
    cookie: Option<String>,
}

impl Api {
    async fn new() -> Api {
        let store = match super::MODE {
            Mode::Postgres => {
                let url = super::postgres::fresh_database("contract").await;
                Store::connect(&url, PgOptions::default()).await.unwrap()
            }
            _ => Store::open_temporary().unwrap(),
        };
        Api::on(store).await
    }

    async fn on(store: Store) -> Api {
        let dist = TempFolder::new("contract-dist");
        std::fs::write(
            dist.path().join("index.html"),
            "<!doctype html><title>Hunts Admin</title>",
        )
        .unwrap();
        std::fs::write(dist.path().join("app.css"), "body{}").unwrap();
        // As trunk names a file by its hash, here one whose hash had a leading zero.
        std::fs::write(dist.path().join("main-3a19b8259f0ed12.css"), "a{}").unwrap();
        let access = match super::MODE {
            Mode::Open | Mode::Postgres => Access::open_on_loopback(store.clone()),
            Mode::SignedInAdmin => {
                let hash = secrets::hash_password("contract-suite-password");
                store
                    .put_account(
                        AccountKind::User,
                        "suite-admin".to_owned(),
                        Role::Admin,
                        hash,
                    )
                    .await
                    .unwrap();
                Access::signed_in(store.clone(), Lifetimes::default())
            }
        };
        let mut api = Api {
            router: app_with_access(store.clone(), dist.path(), access),
            store,
            cookie: None,
            _dist: dist,
        };
        if let Mode::SignedInAdmin = super::MODE {
            let reply = api
                .json(
                    "POST",
                    "/rest/v1/session",
                    r#"{"name": "suite-admin", "password": "contract-suite-password"}"#,
                )
                .await;
            assert_eq!(reply.status, 204, "{}", reply.text);
            let set_cookie = reply.header("set-cookie").expect("a session cookie");
            api.cookie = Some(set_cookie.split(';').next().unwrap().to_owned());
        }
        api
    }

    async fn send(
        &self,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        if !headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("host"))
        {
            request = request.header("host", "127.0.0.1:8080");
        }
        if let Some(cookie) = &self.cookie {
            request = request
                .header("cookie", cookie)
                .header("x-requested-with", "hunts-admin");
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(body.into()).unwrap())
            .await
            .unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        Reply {
            status,
            headers,
            text: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    async fn json(&self, method: &str, uri: &str, body: &str) -> Reply {
        self.send(
            method,
            uri,
            &[("content-type", "application/json; charset=utf-8")],
            body.to_owned(),
        )
        .await
    }

    /// A stream of live changes opened with `headers`: its status, and its events as they come.
    async fn listen(&self, uri: &str, headers: &[(&str, &str)]) -> (u16, Listener) {
        let mut request = Request::builder()
            .method("GET")
            .uri(uri)
            .header("host", "127.0.0.1:8080");
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        if status == 200 {
            assert!(kind.starts_with("text/event-stream"), "{kind}");
        }
        (
            status,
            Listener {
                body: response.into_body().into_data_stream(),
                text: String::new(),
            },
        )
    }

    async fn get(&self, uri: &str) -> Reply {
        self.send("GET", uri, &[], Body::empty()).await
    }

    async fn create(&self, body: Value) -> Value {
        let reply = self.json("POST", HUNTS, &body.to_string()).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json()
    }

    /// Every stored hunt, whole, in creation order: what "nothing was written" is checked against.
    async fn everything(&self) -> Value {
        let mask = "id,code,phonenumber,priority,type,resources,strategy,resmode,objmode,weight,wivrscript,qivrscript,preivrscript,reslimit,maxattempts,maxattemptstrannumber,timeout,timeouttrannumber,resdialtimeout,displayname,huntblock,resbansec,opts,ext";
        self.get(&format!("{HUNTS}?mask={mask}")).await.json()
    }
}

fn list_uri(params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .map(|(key, value)| format!("{key}={}", hunts_model::encode_component(value)))
        .collect();
    format!("{HUNTS}?{}", query.join("&"))
}

fn codes(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|hunt| hunt["code"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn create_stores_the_reference_example_and_sets_ext() {
    let api = Api::new().await;
    let reply = api.json("POST", HUNTS, REFERENCE_HUNT).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let stored = reply.json();
    let mut expected: Value = serde_json::from_str(REFERENCE_HUNT).unwrap();
    // ext.lwt is the server's: set now, not taken from the body. The example carries an id,
    // so (the contract's extension) it keeps the created time it gives.
    // (Written as the server writes every timestamp: with milliseconds.)
    assert_eq!(expected["ext"]["ct"], "2019-08-26T10:20:58.50Z");
    assert_eq!(stored["ext"]["ct"], "2019-08-26T10:20:58.500Z");
    assert_ne!(stored["ext"]["lwt"], expected["ext"]["lwt"]);
    expected["ext"] = stored["ext"].clone();
    assert_eq!(stored, expected);
    // And GET returns the very same hunt, every field, with an ETag.
    let read = api
        .get(&format!("{HUNTS}/a9667bcc-016c-cd71-6d06-50e54938780c"))
        .await;
    assert_eq!(read.json(), stored);
    assert!(
        read.header("etag")
            .is_some_and(|etag| etag.starts_with('"'))
    );
}

#[tokio::test]
async fn create_fills_the_documented_defaults_and_assigns_an_id() {
    let api = Api::new().await;
    let stored = api.create(json!({"code": "minimal"})).await;
    assert!(uuid::Uuid::try_parse(stored["id"].as_str().unwrap()).is_ok());
    let mut defaults = stored.clone();
    defaults.as_object_mut().unwrap().remove("id");
    defaults.as_object_mut().unwrap().remove("ext");
    assert_eq!(
        defaults,
        json!({
            "code": "minimal", "phonenumber": "", "priority": 0, "type": "sipuser", "resources": [],
            "strategy": {"mode": "simple"}, "resmode": "priorityrandom", "objmode": "spq", "weight": 1,
            "wivrscript": "", "qivrscript": "", "preivrscript": "", "reslimit": 0, "maxattempts": 0,
            "maxattemptstrannumber": "", "timeout": 0, "timeouttrannumber": "", "resdialtimeout": 0,
            "displayname": "", "huntblock": {"enabled": false, "expires": 0, "reason": ""}, "resbansec": 0,
            "opts": {"title": "", "comment": "", "exit_no_resource": false}
        })
    );
}

#[tokio::test]
async fn bad_creates_are_refused_whole_and_write_nothing() {
    let api = Api::new().await;
    api.create(json!({"code": "taken", "phonenumber": "4000"}))
        .await;
    let before = api.everything().await;
    let big = format!(
        r#"{{"code": "big", "displayname": "{}"}}"#,
        "x".repeat(1024 * 1024)
    );
    let rows: Vec<(&str, String, u16, Option<&str>, &str)> = vec![
        ("malformed JSON", r#"{"code": "x","#.to_owned(), 400, None, "not valid JSON"),
        ("wrong type", r#"{"code": "x", "weight": "10"}"#.to_owned(), 400, Some("weight"), "whole number"),
        ("unknown field", r#"{"code": "x", "colour": "red"}"#.to_owned(), 400, Some("colour"), "not a field"),
        ("unknown nested field", r#"{"code": "x", "huntblock": {"until": 5}}"#.to_owned(), 400, Some("huntblock.until"), "not a field"),
        ("out of range", r#"{"code": "x", "timeout": -5}"#.to_owned(), 400, Some("timeout"), "0 or more"),
        ("too large a number", r#"{"code": "x", "weight": 4294967296}"#.to_owned(), 400, Some("weight"), "0 or more"),
        ("missing code", r#"{"phonenumber": "1"}"#.to_owned(), 400, Some("code"), "required"),
        ("empty code", r#"{"code": ""}"#.to_owned(), 400, Some("code"), "empty"),
        ("timers without seconds", r#"{"code": "x", "strategy": {"mode": "timers"}}"#.to_owned(), 400, Some("strategy.seconds"), "required"),
        ("duplicate resource", r#"{"code": "x", "resources": [{"id": "a", "priority": 1}, {"id": "a", "priority": 2}]}"#.to_owned(), 400, Some("resources[1].id"), "twice"),
        ("malformed id", r#"{"code": "x", "id": "42"}"#.to_owned(), 400, Some("id"), "UUID"),
        ("not an object", "[1, 2]".to_owned(), 400, None, "JSON object"),
        ("duplicate code", r#"{"code": "taken"}"#.to_owned(), 409, Some("code"), "taken"),
        ("duplicate phone number", r#"{"code": "x", "phonenumber": "4000"}"#.to_owned(), 409, Some("phonenumber"), "4000"),
        ("oversized body", big, 413, None, "1 MiB"),
    ];
    for (what, body, status, field, needle) in rows {
        let reply = api.json("POST", HUNTS, &body).await;
        let message = reply.assert_error(status, field);
        assert!(message.contains(needle), "{what}: {message}");
        assert_eq!(api.everything().await, before, "{what} wrote something");
    }
    let wrong_type = api
        .send(
            "POST",
            HUNTS,
            &[("content-type", "text/plain")],
            r#"{"code": "x"}"#,
        )
        .await;
    wrong_type.assert_error(415, None);
    let no_type = api.send("POST", HUNTS, &[], r#"{"code": "x"}"#).await;
    no_type.assert_error(415, None);
    assert_eq!(api.everything().await, before);
}

#[tokio::test]
async fn taken_id_is_a_conflict_and_empty_phone_numbers_may_repeat() {
    let api = Api::new().await;
    let first = api.create(json!({"code": "a"})).await;
    api.create(json!({"code": "b"})).await;
    let reply = api
        .json(
            "POST",
            HUNTS,
            &json!({"id": first["id"], "code": "c"}).to_string(),
        )
        .await;
    reply.assert_error(409, Some("id"));
    assert_eq!(api.everything().await.as_array().unwrap().len(), 2);
}

/// The extension: a hunt deleted and created again with its id and `ext.ct` (an Undo) keeps its
/// created time and its place in creation order, with an ETag no copy of the old one matches.
#[tokio::test]
async fn a_restore_with_its_created_time_keeps_its_place() {
    let api = Api::new().await;
    // A few milliseconds apart: a restored hunt goes back after the last hunt created no later
    // than it, and hunts created in one millisecond have no order among themselves.
    for code in ["a", "b", "c"] {
        api.create(json!({"code": code})).await;
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    }
    let everything = api.everything().await;
    let b = everything[1].clone();
    let old_etag = api
        .get(&format!("{HUNTS}/{}", b["id"].as_str().unwrap()))
        .await;
    let old_etag = old_etag.header("etag").unwrap().to_owned();
    let gone = api
        .send(
            "DELETE",
            &format!("{HUNTS}/{}", b["id"].as_str().unwrap()),
            &[],
            "",
        )
        .await;
    assert_eq!(gone.status, 204);
    let restored = api.json("POST", HUNTS, &b.to_string()).await;
    assert_eq!(restored.status, 200);
    let restored_body = restored.json();
    assert_eq!(
        restored_body["ext"]["ct"], b["ext"]["ct"],
        "its created time"
    );
    assert_ne!(restored.header("etag"), Some(old_etag.as_str()));
    assert_eq!(codes(&api.get(HUNTS).await.json()), ["a", "b", "c"]);
    // A created time that is not a timestamp is refused, naming it; without an id, ignored.
    let bad = api
        .json(
            "POST",
            HUNTS,
            &json!({"id": "0007f945-016c-b373-2772-50e54938780c", "code": "d", "ext": {"ct": "yesterday"}}).to_string(),
        )
        .await;
    bad.assert_error(400, Some("ext.ct"));
    let without_id = api
        .create(json!({"code": "e", "ext": {"ct": "2001-01-01T00:00:00.000Z"}}))
        .await;
    assert_ne!(without_id["ext"]["ct"], json!("2001-01-01T00:00:00.000Z"));
}

#[tokio::test]
async fn list_default_mask_matches_the_reference_list() {
    let api = Api::new().await;
    api.json("POST", HUNTS, REFERENCE_HUNT).await;
    let reply = api.get(&format!("{HUNTS}?offset=0&limit=2")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("x-total-count"), Some("1"));
    let listed = &reply.json()[0];
    let mut expected: Value = serde_json::from_str(REFERENCE_HUNT).unwrap();
    expected.as_object_mut().unwrap().remove("resources");
    expected["opts"].as_object_mut().unwrap().remove("comment");
    expected["ext"] = listed["ext"].clone();
    assert_eq!(listed, &expected);
}

#[tokio::test]
async fn mask_and_flat_shape_lists_and_single_reads() {
    let api = Api::new().await;
    let stored = api
        .create(json!({"code": "m", "opts": {"title": "T"}, "huntblock": {"enabled": true}}))
        .await;
    let list = api
        .get(&list_uri(&[("mask", "opts.title,code,huntblock.enabled")]))
        .await
        .json();
    assert_eq!(
        list,
        json!([{"code": "m", "huntblock": {"enabled": true}, "opts": {"title": "T"}}])
    );
    let flat = api
        .get(&list_uri(&[
            ("mask", "code,strategy,opts.title"),
            ("flat", "true"),
        ]))
        .await
        .json();
    assert_eq!(
        flat,
        json!([{"code": "m", "strategy.mode": "simple", "opts.title": "T"}])
    );
    let one = api
        .get(&format!(
            "{HUNTS}/{}?mask=id,resources&flat=true",
            stored["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(one.json(), json!({"id": stored["id"], "resources": []}));
    let unknown = api.get(&list_uri(&[("mask", "code,colour")])).await;
    assert!(unknown.assert_error(400, Some("colour")).contains("colour"));
    let unknown_param = api.get(&format!("{HUNTS}?ordr=[]")).await;
    unknown_param.assert_error(400, Some("ordr"));
}

async fn seeded() -> Api {
    let api = Api::new().await;
    for (code, priority, kind, objmode, blocked) in [
        ("delta", 5, "sipuser", "spq", false),
        ("alpha", 10, "sipuser", "spqwfq", true),
        ("Charlie", 5, "queue", "spq", true),
        ("bravo", 10, "sipuser", "wfq", false),
        ("echo", 1, "sipuser", "spq", false),
    ] {
        api.create(json!({"code": code, "priority": priority, "type": kind, "objmode": objmode, "huntblock": {"enabled": blocked}}))
            .await;
    }
    api
}

#[tokio::test]
async fn filter_matches_every_named_field_and_arrays_mean_any_of() {
    let api = seeded().await;
    let rows = [
        (
            r#"{"type":"sipuser"}"#,
            vec!["delta", "alpha", "bravo", "echo"],
        ),
        (
            r#"{"type":"sipuser","huntblock.enabled":true}"#,
            vec!["alpha"],
        ),
        (
            r#"{"type":"sipuser","huntblock.enabled":true,"objmode":["spq","spqwfq"]}"#,
            vec!["alpha"],
        ),
        (
            r#"{"objmode":["spq","wfq"]}"#,
            vec!["delta", "Charlie", "bravo", "echo"],
        ),
        (r#"{"priority":5}"#, vec!["delta", "Charlie"]),
        (r#"{"code":"nobody"}"#, vec![]),
    ];
    for (filter, expected) in rows {
        let reply = api.get(&list_uri(&[("filter", filter)])).await;
        assert_eq!(codes(&reply.json()), expected, "{filter}");
        assert_eq!(
            reply.header("x-total-count"),
            Some(expected.len().to_string().as_str()),
            "{filter}"
        );
    }
    for (filter, field) in [
        (r#"{"priority":"5"}"#, "filter"),
        (r#"{"colour":"red"}"#, "colour"),
        ("[1]", "filter"),
    ] {
        api.get(&list_uri(&[("filter", filter)]))
            .await
            .assert_error(400, Some(field));
    }
}

#[tokio::test]
async fn order_sorts_by_every_key_then_creation() {
    let api = seeded().await;
    let rows = [
        (
            r#"["priority",{"code":"desc"}]"#,
            vec!["echo", "delta", "Charlie", "bravo", "alpha"],
        ),
        (
            r#"[{"priority":"desc"}]"#,
            vec!["alpha", "bravo", "delta", "Charlie", "echo"],
        ),
        (
            r#"["code"]"#,
            vec!["alpha", "bravo", "Charlie", "delta", "echo"],
        ),
        ("[]", vec!["delta", "alpha", "Charlie", "bravo", "echo"]),
    ];
    for (order, expected) in rows {
        assert_eq!(
            codes(&api.get(&list_uri(&[("order", order)])).await.json()),
            expected,
            "{order}"
        );
    }
    for (order, field) in [
        (r#"["resources"]"#, "resources"),
        (r#"[{"code":"up"}]"#, "order"),
        (r#""code""#, "order"),
    ] {
        api.get(&list_uri(&[("order", order)]))
            .await
            .assert_error(400, Some(field));
    }
}

#[tokio::test]
async fn offset_and_limit_page_through_with_the_total() {
    let api = seeded().await;
    let page = api
        .get(&list_uri(&[
            ("order", r#"["code"]"#),
            ("offset", "1"),
            ("limit", "2"),
        ]))
        .await;
    assert_eq!(codes(&page.json()), vec!["bravo", "Charlie"]);
    assert_eq!(page.header("x-total-count"), Some("5"));
    let past_the_end = api.get(&list_uri(&[("offset", "10")])).await;
    assert_eq!(past_the_end.json(), json!([]));
    assert_eq!(past_the_end.header("x-total-count"), Some("5"));
    api.get(&list_uri(&[("limit", "-1")]))
        .await
        .assert_error(400, Some("limit"));
}

#[tokio::test]
async fn patch_applies_the_reference_example() {
    let api = Api::new().await;
    let created = api.json("POST", HUNTS, REFERENCE_HUNT).await.json();
    let reply = api
        .json(
            "PATCH",
            &format!("{HUNTS}/a9667bcc-016c-cd71-6d06-50e54938780c"),
            REFERENCE_PATCH,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let patched = reply.json();
    assert_eq!(
        patched["resources"][2],
        json!({"id": "66297232-9f5b-371a-2202-394fa940f3882", "priority": 95})
    );
    assert_eq!(
        patched["strategy"],
        json!({"mode": "timers", "seconds": [5, 10]})
    );
    assert_eq!(patched["ext"]["ct"], created["ext"]["ct"]);
    assert!(
        patched["ext"]["lwt"].as_str() > created["ext"]["lwt"].as_str(),
        "lwt advanced"
    );
    assert_eq!(
        api.get(&format!("{HUNTS}/a9667bcc-016c-cd71-6d06-50e54938780c"))
            .await
            .json(),
        patched
    );
}

#[tokio::test]
async fn patch_merges_objects_replaces_arrays_and_refuses_bad_changes() {
    let api = Api::new().await;
    let hunt = api.json("POST", HUNTS, REFERENCE_HUNT).await.json();
    api.create(json!({"code": "other", "phonenumber": "999"}))
        .await;
    let uri = format!("{HUNTS}/{}", hunt["id"].as_str().unwrap());
    let merged = api
        .json(
            "PATCH",
            &uri,
            r#"{"huntblock": {"enabled": false}, "resources": []}"#,
        )
        .await
        .json();
    assert_eq!(
        merged["huntblock"],
        json!({"enabled": false, "expires": 30, "reason": "simple_pause"})
    );
    assert_eq!(merged["resources"], json!([]));

    let before = api.everything().await;
    let rows = [
        (
            r#"{"id": "0007f945-016c-b373-2772-50e54938780c"}"#,
            400,
            Some("id"),
            "id cannot be modified",
        ),
        (r#"{"weight": -1}"#, 400, Some("weight"), "0 or more"),
        (r#"{"code": null}"#, 400, Some("code"), "required"),
        (r#"{"nonsense": 1}"#, 400, Some("nonsense"), "not a field"),
        (r#"{"code": "other"}"#, 409, Some("code"), "other"),
        (r#"{"phonenumber": "999"}"#, 409, Some("phonenumber"), "999"),
        (r#"{"code": "#, 400, None, "not valid JSON"),
    ];
    for (patch, status, field, needle) in rows {
        let message = api
            .json("PATCH", &uri, patch)
            .await
            .assert_error(status, field);
        assert!(message.contains(needle), "{patch}: {message}");
        assert_eq!(api.everything().await, before, "{patch} wrote something");
    }
    let missing = api
        .json(
            "PATCH",
            &format!("{HUNTS}/00000000-0000-0000-0000-000000000000"),
            "{}",
        )
        .await;
    missing.assert_error(404, None);
}

#[tokio::test]
async fn if_match_guards_patch_and_delete() {
    let api = Api::new().await;
    let hunt = api.create(json!({"code": "guarded"})).await;
    let uri = format!("{HUNTS}/{}", hunt["id"].as_str().unwrap());
    let etag = api.get(&uri).await.header("etag").unwrap().to_owned();
    let first = api
        .send(
            "PATCH",
            &uri,
            &[("content-type", "application/json"), ("if-match", &etag)],
            r#"{"weight": 7}"#,
        )
        .await;
    assert_eq!(first.status, 200);
    let new_etag = first.header("etag").unwrap().to_owned();
    assert_ne!(new_etag, etag);
    let stale = api
        .send(
            "PATCH",
            &uri,
            &[("content-type", "application/json"), ("if-match", &etag)],
            r#"{"weight": 8}"#,
        )
        .await;
    stale.assert_error(412, None);
    assert_eq!(api.get(&uri).await.json()["weight"], json!(7));
    api.send("DELETE", &uri, &[("if-match", &etag)], Body::empty())
        .await
        .assert_error(412, None);
    let deleted = api
        .send("DELETE", &uri, &[("if-match", &new_etag)], Body::empty())
        .await;
    assert_eq!(deleted.status, 204);
    assert!(deleted.text.is_empty());
}

#[tokio::test]
async fn delete_removes_and_unknown_ids_are_404() {
    let api = Api::new().await;
    let hunt = api.create(json!({"code": "gone"})).await;
    let uri = format!("{HUNTS}/{}", hunt["id"].as_str().unwrap());
    assert_eq!(
        api.send("DELETE", &uri, &[], Body::empty()).await.status,
        204
    );
    api.get(&uri).await.assert_error(404, None);
    api.send("DELETE", &uri, &[], Body::empty())
        .await
        .assert_error(404, None);
    assert_eq!(api.everything().await, json!([]));
}

#[tokio::test]
async fn lookup_finds_by_id_code_or_phone_number() {
    let api = Api::new().await;
    let reference = api.json("POST", HUNTS, REFERENCE_HUNT).await.json();
    let id = reference["id"].as_str().unwrap();
    for key in ["\"hunt_4\"", "\"402\"", &format!("\"{id}\"")] {
        let reply = api.json("LOOKUP", HUNTS, key).await;
        assert_eq!(reply.status, 200, "{key}");
        assert_eq!(reply.json(), json!([id]), "{key}");
    }
    let miss = api.json("LOOKUP", HUNTS, "\"4021\"").await;
    assert_eq!(miss.status, 404);
    assert_eq!(
        miss.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        miss.json(),
        json!({"error_code": 1404, "error_message": "Lookup failed"})
    );
    api.json("LOOKUP", HUNTS, "\"\"")
        .await
        .assert_error(404, None);
    for body in ["402", "{\"code\": \"hunt_4\"}", "[\"hunt_4\"]"] {
        api.json("LOOKUP", HUNTS, body)
            .await
            .assert_error(400, None);
    }
    api.send(
        "LOOKUP",
        HUNTS,
        &[("content-type", "text/plain")],
        "\"hunt_4\"",
    )
    .await
    .assert_error(415, None);
}

#[tokio::test]
async fn lookup_returns_every_hunt_that_matches() {
    let api = Api::new().await;
    let first = api.create(json!({"code": "5000"})).await;
    let second = api
        .create(json!({"code": "sales", "phonenumber": "5000"}))
        .await;
    assert_eq!(
        api.json("LOOKUP", HUNTS, "\"5000\"").await.json(),
        json!([first["id"], second["id"]])
    );
}

#[tokio::test]
async fn other_methods_are_405_with_allow() {
    let api = Api::new().await;
    let reply = api.send("PUT", HUNTS, &[], Body::empty()).await;
    reply.assert_error(405, None);
    assert_eq!(reply.header("allow"), Some("GET, POST, LOOKUP"));
    let reply = api
        .send("POST", &format!("{HUNTS}/x"), &[], Body::empty())
        .await;
    reply.assert_error(405, None);
    assert_eq!(reply.header("allow"), Some("GET, PATCH, DELETE"));
}

#[tokio::test]
async fn the_app_is_served_with_a_spa_fallback_but_api_paths_stay_json() {
    let api = Api::new().await;
    for path in ["/", "/hunts/42", "/hunts?order=%5B%5D"] {
        let reply = api.get(path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(reply.text.contains("Hunts Admin"), "{path}");
    }
    assert_eq!(api.get("/app.css").await.text, "body{}");
    // Files named by their content are kept a year without asking; the rest, the page at
    // every client route among them, is asked for again each visit.
    for (path, kept) in [
        (
            "/main-3a19b8259f0ed12.css",
            "public, max-age=31536000, immutable",
        ),
        ("/app.css", "no-cache"),
        ("/", "no-cache"),
        ("/hunts/42", "no-cache"),
        ("/resources/sip-12345678.example", "no-cache"),
    ] {
        let reply = api.get(path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("cache-control"), Some(kept), "{path}");
    }
    api.get("/rest/v1/uc/other").await.assert_error(404, None);
    api.get("/rest/v1/uc/hunts/").await.assert_error(404, None);
}

#[tokio::test]
async fn the_database_survives_a_restart_with_its_schema_version() {
    let folder = TempFolder::new("contract-db");
    let path = folder.path().join("hunts.db");
    let id = {
        let api = Api::on(Store::open(&path).unwrap()).await;
        api.create(json!({"code": "durable"})).await["id"].clone()
    };
    let api = Api::on(Store::open(&path).unwrap()).await;
    assert_eq!(
        api.get(&format!("{HUNTS}/{}", id.as_str().unwrap()))
            .await
            .json()["code"],
        json!("durable")
    );
    let connection = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(
        version,
        hunts_server::store::SCHEMA_VERSION as i64,
        "the schema version lives in user_version, so later releases know what to migrate"
    );
}

#[tokio::test]
async fn a_list_asked_again_follows_every_write_with_its_total() {
    let api = Api::new().await;
    let first = api.create(json!({"code": "alpha", "type": "queue"})).await;
    api.create(json!({"code": "bravo", "type": "queue"})).await;
    let uri = list_uri(&[("filter", r#"{"type":"queue"}"#), ("mask", "code,weight")]);
    let listed = |reply: &Reply| {
        (
            reply.header("x-total-count").map(str::to_owned),
            reply.json(),
        )
    };
    // The same question twice, then after each kind of write.
    for _ in 0..2 {
        assert_eq!(
            listed(&api.get(&uri).await),
            (
                Some("2".to_owned()),
                json!([{"code": "alpha", "weight": 1}, {"code": "bravo", "weight": 1}])
            )
        );
    }
    let path = format!("{HUNTS}/{}", first["id"].as_str().unwrap());
    assert_eq!(
        api.json("PATCH", &path, r#"{"weight": 7}"#).await.status,
        200
    );
    assert_eq!(
        listed(&api.get(&uri).await),
        (
            Some("2".to_owned()),
            json!([{"code": "alpha", "weight": 7}, {"code": "bravo", "weight": 1}])
        )
    );
    assert_eq!(
        api.json("PATCH", &path, r#"{"type": "sipuser"}"#)
            .await
            .status,
        200
    );
    assert_eq!(
        listed(&api.get(&uri).await),
        (
            Some("1".to_owned()),
            json!([{"code": "bravo", "weight": 1}])
        )
    );
    api.create(json!({"code": "charlie", "type": "queue"}))
        .await;
    assert_eq!(listed(&api.get(&uri).await).0.as_deref(), Some("2"));
    assert_eq!(
        api.send("DELETE", &path, &[], Body::empty()).await.status,
        204
    );
    let bravo = api
        .get(&list_uri(&[
            ("filter", r#"{"code":"bravo"}"#),
            ("mask", "id"),
        ]))
        .await
        .json();
    let bravo = format!("{HUNTS}/{}", bravo[0]["id"].as_str().unwrap());
    assert_eq!(
        api.send("DELETE", &bravo, &[], Body::empty()).await.status,
        204
    );
    assert_eq!(
        listed(&api.get(&uri).await),
        (
            Some("1".to_owned()),
            json!([{"code": "charlie", "weight": 1}])
        )
    );
}

#[tokio::test]
async fn bad_text_and_repeated_keys_are_refused_and_write_nothing() {
    let api = Api::new().await;
    let hunt = api
        .create(json!({"code": "clean", "phonenumber": "4021"}))
        .await;
    let path = format!("{HUNTS}/{}", hunt["id"].as_str().unwrap());
    let before = api.everything().await;
    let rows: Vec<(&str, &str, &str, &str)> = vec![
        ("NUL in a code", "POST", r#"{"code": "a\u0000b"}"#, "code"),
        (
            "escape sequence in a code",
            "POST",
            r#"{"code": "a\u001b[31m"}"#,
            "code",
        ),
        (
            "C1 control in a code",
            "POST",
            r#"{"code": "a\u0085b"}"#,
            "code",
        ),
        (
            "right-to-left override in a phone number",
            "POST",
            r#"{"code": "x", "phonenumber": "\u202e1234"}"#,
            "phonenumber",
        ),
        (
            "isolate in a code",
            "POST",
            r#"{"code": "\u2067abc\u2069"}"#,
            "code",
        ),
        (
            "the same key twice",
            "POST",
            r#"{"code": "a", "code": "b"}"#,
            "code",
        ),
        (
            "the same nested key twice",
            "POST",
            r#"{"code": "a", "huntblock": {"reason": "x", "reason": "y"}}"#,
            "huntblock.reason",
        ),
        (
            "bad text in a patch",
            "PATCH",
            r#"{"code": "clean\u200e"}"#,
            "code",
        ),
        (
            "the same key twice in a patch",
            "PATCH",
            r#"{"weight": 2, "weight": 3}"#,
            "weight",
        ),
    ];
    for (what, method, body, field) in rows {
        let uri = if method == "POST" {
            HUNTS
        } else {
            path.as_str()
        };
        let reply = api.json(method, uri, body).await;
        let message = reply.assert_error(400, Some(field));
        assert!(message.contains(field), "{what}: {message}");
        assert_eq!(api.everything().await, before, "{what} wrote something");
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_a_request_id() {
    let api = Api::new().await;
    let created = api.create(json!({"code": "h1"})).await;
    let item = format!("{HUNTS}/{}", created["id"].as_str().unwrap());
    let answers = [
        api.get(HUNTS).await,
        api.get(&item).await,
        api.get("/").await,
        api.get("/hunts/some/client/route").await,
        api.get("/app.css").await,
        api.get(&format!("{HUNTS}/no-such-hunt")).await,
        api.json("POST", HUNTS, "{").await,
    ];
    for reply in &answers {
        let policy = reply.header("content-security-policy").expect("a CSP");
        for directive in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        ] {
            assert!(policy.contains(directive), "{directive} in {policy}");
        }
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
        assert!(
            reply
                .header("x-request-id")
                .is_some_and(|id| id.len() >= 16)
        );
    }
    // An error's body names its request, as the log line does.
    let missing = &answers[5];
    missing.assert_error(404, None);
    assert_eq!(
        missing.json()["request_id"].as_str(),
        missing.header("x-request-id")
    );
    // An id given by a proxy in front is kept.
    let traced = api
        .send(
            "GET",
            &item,
            &[("x-request-id", "from-the-proxy-1")],
            Body::empty(),
        )
        .await;
    assert_eq!(traced.header("x-request-id"), Some("from-the-proxy-1"));
}

// History (the contract's extension).

/// Who the suite's writes are by, as their revisions say.
fn suite_author() -> Value {
    match super::MODE {
        Mode::SignedInAdmin => json!("suite-admin"),
        Mode::Open | Mode::Postgres => Value::Null,
    }
}

fn seqs(revisions: &Value) -> Vec<i64> {
    revisions
        .as_array()
        .unwrap()
        .iter()
        .map(|revision| revision["seq"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn every_write_records_a_revision_and_a_deleted_hunt_comes_back_from_its_last() {
    let api = Api::new().await;
    let created = api
        .send(
            "POST",
            HUNTS,
            &[
                ("content-type", "application/json"),
                ("x-change-set", "import 7"),
            ],
            r#"{"code": "kept", "weight": 10}"#,
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    let hunt = created.json();
    let id = hunt["id"].as_str().unwrap().to_owned();
    let uri = format!("{HUNTS}/{id}");
    let patched = api.json("PATCH", &uri, r#"{"weight": 7}"#).await;
    assert_eq!(patched.status, 200);
    let deleted = api.send("DELETE", &uri, &[], Body::empty()).await;
    assert_eq!(deleted.status, 204);

    // Served for a deleted hunt too, newest first, seq rising by one.
    let history = api.get(&format!("{uri}/history")).await;
    assert_eq!(history.status, 200, "{}", history.text);
    assert_eq!(history.header("x-total-count"), Some("3"));
    let revisions = history.json();
    let seqs = seqs(&revisions);
    assert_eq!(seqs, vec![seqs[2] + 2, seqs[2] + 1, seqs[2]]);
    let [delete, change, create] = revisions.as_array().unwrap().as_slice() else {
        panic!("three revisions: {revisions}");
    };
    assert_eq!(
        (
            &create["action"],
            &create["revision"],
            &create["change_set"]
        ),
        (&json!("create"), &json!(1), &json!("import 7"))
    );
    assert_eq!(create["patch"], hunt);
    assert_eq!(create["hunt"], hunt);
    assert_eq!(change["action"], json!("change"));
    assert_eq!(change["revision"], json!(2));
    assert_eq!(change["change_set"], Value::Null);
    assert_eq!(change["patch"]["weight"], json!(7));
    assert!(
        change["patch"].get("code").is_none(),
        "only what changed: {}",
        change["patch"]
    );
    assert_eq!(change["hunt"], patched.json());
    assert_eq!(
        (&delete["action"], &delete["patch"], &delete["hunt"]),
        (&json!("delete"), &Value::Null, &Value::Null)
    );
    assert_eq!(delete["code"], json!("kept"));
    for revision in [delete, change, create] {
        assert_eq!(revision["id"], json!(id));
        assert_eq!(revision["by"], suite_author());
        assert!(humantime::parse_rfc3339(revision["at"].as_str().unwrap()).is_ok());
    }

    // Restoring is a create with the last revision's hunt; its history goes on.
    let restored = api.json("POST", HUNTS, &change["hunt"].to_string()).await;
    assert_eq!(restored.status, 200, "{}", restored.text);
    assert_eq!(api.get(&uri).await.json()["weight"], json!(7));
    let history = api.get(&format!("{uri}/history?limit=1")).await;
    assert_eq!(history.header("x-total-count"), Some("4"));
    let newest = &history.json()[0];
    assert_eq!(
        (&newest["action"], &newest["revision"]),
        (&json!("create"), &json!(4))
    );
}

#[tokio::test]
async fn history_across_hunts_filters_by_hunt_change_set_and_seq_and_pages() {
    let api = Api::new().await;
    let first = api.create(json!({"code": "h_a"})).await;
    let second = api.create(json!({"code": "h_b"})).await;
    for hunt in [&first, &second] {
        let uri = format!("{HUNTS}/{}", hunt["id"].as_str().unwrap());
        let reply = api
            .send(
                "PATCH",
                &uri,
                &[
                    ("content-type", "application/json"),
                    ("x-change-set", "bulk 9"),
                ],
                r#"{"huntblock": {"enabled": true, "expires": 60, "reason": "x"}}"#,
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let all = api.get("/rest/v1/uc/history").await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(all.header("x-total-count"), Some("4"));
    let all_seqs = seqs(&all.json());
    assert!(
        all_seqs.windows(2).all(|pair| pair[0] == pair[1] + 1),
        "{all_seqs:?}"
    );
    let newest = all_seqs[0];

    let bulk = api.get("/rest/v1/uc/history?change_set=bulk%209").await;
    assert_eq!(bulk.header("x-total-count"), Some("2"));
    assert_eq!(seqs(&bulk.json()), vec![newest, newest - 1]);
    let one = api
        .get(&format!(
            "/rest/v1/uc/history?id={}",
            first["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(one.header("x-total-count"), Some("2"));
    let after = api
        .get(&format!("/rest/v1/uc/history?after={}", newest - 2))
        .await;
    assert_eq!(seqs(&after.json()), vec![newest, newest - 1]);
    let between = api
        .get(&format!(
            "/rest/v1/uc/history?after={}&before={newest}",
            newest - 3
        ))
        .await;
    assert_eq!(seqs(&between.json()), vec![newest - 1, newest - 2]);
    let paged = api.get("/rest/v1/uc/history?offset=1&limit=2").await;
    assert_eq!(paged.header("x-total-count"), Some("4"));
    assert_eq!(seqs(&paged.json()), vec![newest - 1, newest - 2]);
    let by = match suite_author() {
        Value::String(name) => name,
        _ => "nobody".to_owned(),
    };
    let expected = if suite_author().is_null() { "0" } else { "4" };
    let mine = api.get(&format!("/rest/v1/uc/history?by={by}")).await;
    assert_eq!(mine.header("x-total-count"), Some(expected));
}

#[tokio::test]
async fn bad_change_sets_and_history_parameters_are_refused_and_write_nothing() {
    let api = Api::new().await;
    let long = "x".repeat(65);
    for bad in ["", long.as_str(), "tab\there"] {
        let reply = api
            .send(
                "POST",
                HUNTS,
                &[("content-type", "application/json"), ("x-change-set", bad)],
                r#"{"code": "refused"}"#,
            )
            .await;
        reply.assert_error(400, Some("x-change-set"));
    }
    assert_eq!(api.everything().await, json!([]));
    assert_eq!(
        api.get("/rest/v1/uc/history").await.header("x-total-count"),
        Some("0")
    );
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("after=-1", "after"),
        ("order=seq", "order"),
    ] {
        api.get(&format!("/rest/v1/uc/history?{query}"))
            .await
            .assert_error(400, Some(field));
    }
    api.get(&format!("{HUNTS}/never-was/history"))
        .await
        .assert_error(404, None);
}

#[tokio::test]
async fn a_database_from_before_history_gives_each_hunt_a_first_revision() {
    if !matches!(super::MODE, Mode::Open) {
        return; // The migration is the SQLite file's; PostgreSQL's runs the same rule in SQL.
    }
    let folder = TempFolder::new("contract-history-db");
    let path = folder.path().join("hunts.db");
    // As a database the first server wrote, before history was kept: schema version 1, each
    // hunt whole in its row.
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "CREATE TABLE hunts (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
                code TEXT NOT NULL UNIQUE, phonenumber TEXT NOT NULL, version INTEGER NOT NULL,
                body TEXT NOT NULL);
            PRAGMA user_version = 1;",
        )
        .unwrap();
    let mut ids = Vec::new();
    for code in ["old_1", "old_2"] {
        let mut hunt = hunts_model::Hunt {
            id: format!("id-{code}"),
            code: code.to_owned(),
            ..hunts_model::Hunt::default()
        };
        hunt.ext.ct = "2026-01-01T00:00:00.000Z".to_owned();
        hunt.ext.lwt = hunt.ext.ct.clone();
        connection
            .execute(
                "INSERT INTO hunts (id, code, phonenumber, version, body) VALUES (?1, ?2, '', 1, ?3)",
                rusqlite::params![hunt.id, hunt.code, hunt.to_json().to_string()],
            )
            .unwrap();
        ids.push(json!(hunt.id));
    }
    drop(connection);
    let api = Api::on(Store::open(&path).unwrap()).await;
    let all = api.get("/rest/v1/uc/history").await.json();
    let revisions = all.as_array().unwrap();
    assert_eq!(revisions.len(), 2);
    for (revision, id) in revisions.iter().rev().zip(&ids) {
        assert_eq!(&revision["id"], id);
        assert_eq!(revision["action"], json!("create"));
        assert_eq!(revision["revision"], json!(1));
        assert_eq!(revision["by"], Value::Null);
        assert_eq!(revision["change_set"], json!("before-history"));
        assert_eq!(revision["hunt"], revision["patch"]);
        assert_eq!(revision["hunt"]["id"], *id);
        let read = api
            .get(&format!("{HUNTS}/{}", id.as_str().unwrap()))
            .await
            .json();
        assert_eq!(
            read, revision["hunt"],
            "the hunt reads back as its revision holds it"
        );
    }
}

#[tokio::test]
async fn live_changes_come_in_seq_order_once_each_and_resume_after_the_last_id() {
    let api = Api::new().await;
    let (status, mut live) = api.listen(&format!("{HUNTS}/events"), &[]).await;
    assert_eq!(status, 200);
    let first = api
        .create(json!({"code": "live1", "phonenumber": "5001"}))
        .await;
    let second = api
        .create(json!({"code": "live2", "phonenumber": "5002"}))
        .await;
    let id = first["id"].as_str().unwrap();
    let patched = api
        .json("PATCH", &format!("{HUNTS}/{id}"), r#"{"weight": 4}"#)
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let gone = api
        .send(
            "DELETE",
            &format!("{HUNTS}/{}", second["id"].as_str().unwrap()),
            &[],
            Body::empty(),
        )
        .await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    let mut seen = Vec::new();
    for _ in 0..4 {
        let (event, seq, data) = live.next().await.expect("an event for each write");
        assert_eq!(event, "hunt");
        assert_eq!(seq, data["seq"].to_string(), "the event's id is its seq");
        assert!(
            data.get("hunt").is_none() && data.get("patch").is_none(),
            "{data}"
        );
        seen.push(data);
    }
    let actions: Vec<&str> = seen
        .iter()
        .map(|data| data["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "create", "change", "delete"]);
    let seqs: Vec<i64> = seen
        .iter()
        .map(|data| data["seq"].as_i64().unwrap())
        .collect();
    assert!(
        seqs.windows(2).all(|pair| pair[1] == pair[0] + 1),
        "{seqs:?}"
    );
    assert_eq!(seen[2]["id"], first["id"]);
    assert_eq!(seen[2]["code"], json!("live1"));
    assert_eq!(seen[2]["revision"], json!(2));
    assert_eq!(seen[2]["by"], suite_author());
    assert!(live.next().await.is_none(), "each revision once");

    // Resumed after the first: the other three, in order, then what comes next.
    let after = seqs[0].to_string();
    for (uri, headers) in [
        (
            format!("{HUNTS}/events"),
            vec![("last-event-id", after.as_str())],
        ),
        (format!("{HUNTS}/events?after={after}"), vec![]),
    ] {
        let (status, mut resumed) = api.listen(&uri, &headers).await;
        assert_eq!(status, 200);
        for expected in &seqs[1..] {
            let (_, _, data) = resumed.next().await.expect("caught up from history");
            assert_eq!(data["seq"].as_i64(), Some(*expected));
        }
        drop(resumed);
    }
    let bad = api
        .send(
            "GET",
            &format!("{HUNTS}/events"),
            &[("last-event-id", "x")],
            Body::empty(),
        )
        .await;
    assert!(bad.assert_error(400, Some("after")).contains("after"));
}

#[tokio::test]
async fn a_stream_resumed_past_what_history_holds_begins_with_reset() {
    let api = Api::new().await;
    for n in 0..3 {
        let hunt = api
            .create(json!({"code": format!("r{n}"), "phonenumber": format!("60{n}")}))
            .await;
        let id = hunt["id"].as_str().unwrap();
        api.json("PATCH", &format!("{HUNTS}/{id}"), r#"{"weight": 2}"#)
            .await;
    }
    // Retention drops every revision but each live hunt's latest.
    api.store
        .drop_history_before("9999-01-01T00:00:00Z".to_owned())
        .await
        .unwrap();
    let (status, mut live) = api
        .listen(&format!("{HUNTS}/events"), &[("last-event-id", "1")])
        .await;
    assert_eq!(status, 200);
    let (event, ..) = live.next().await.expect("an event");
    assert_eq!(event, "reset", "the client must reload what it shows");
    api.create(json!({"code": "after-reset", "phonenumber": "699"}))
        .await;
    let (event, _, data) = live.next().await.expect("then live again");
    assert_eq!(
        (event.as_str(), data["code"].as_str()),
        ("hunt", Some("after-reset"))
    );
}

#[tokio::test]
async fn history_totals_stay_exact_across_the_gaps_retention_leaves() {
    let api = Api::new().await;
    let mut ids = Vec::new();
    for n in 0..4 {
        let hunt = api
            .create(json!({"code": format!("g{n}"), "phonenumber": format!("80{n}")}))
            .await;
        ids.push(hunt["id"].as_str().unwrap().to_owned());
    }
    for id in &ids {
        api.json("PATCH", &format!("{HUNTS}/{id}"), r#"{"weight": 3}"#)
            .await;
    }
    // Gaps: every revision but each live hunt's latest goes; then more writes after them.
    api.store
        .drop_history_before("9999-01-01T00:00:00Z".to_owned())
        .await
        .unwrap();
    for id in &ids[..2] {
        api.json("PATCH", &format!("{HUNTS}/{id}"), r#"{"weight": 5}"#)
            .await;
    }
    let all = api.get("/rest/v1/uc/history?limit=1000").await.json();
    let held = seqs(&all);
    let newest = held[0];
    for after in 0..=newest + 1 {
        for before in [after + 1, after + 3, newest, newest + 2] {
            let answer = api
                .get(&format!(
                    "/rest/v1/uc/history?after={after}&before={before}&limit=1"
                ))
                .await;
            let expected = held
                .iter()
                .filter(|seq| **seq > after && **seq < before)
                .count();
            assert_eq!(
                answer.header("x-total-count"),
                Some(expected.to_string().as_str()),
                "after {after}, before {before}: {held:?}"
            );
        }
    }
}

/// The `X-Total-Count` of a history read.
async fn history_total(api: &Api, query: &str) -> String {
    let answer = api.get(&format!("/rest/v1/uc/history?{query}")).await;
    answer.header("x-total-count").unwrap().to_owned()
}

#[tokio::test]
async fn a_filtered_history_total_asked_again_follows_every_write() {
    let api = Api::new().await;
    let set = [("x-change-set", "bulk kept-total")];
    let hunt = api
        .create(json!({"code": "t1", "phonenumber": "901"}))
        .await;
    let path = format!("{HUNTS}/{}", hunt["id"].as_str().unwrap());
    for weight in 2..4 {
        let patched = api
            .send(
                "PATCH",
                &path,
                &[set[0], ("content-type", "application/json")],
                format!(r#"{{"weight": {weight}}}"#),
            )
            .await;
        assert_eq!(patched.status, 200, "{}", patched.text);
        // Asked twice, so a kept total would serve the second; each write moves it.
        for _ in 0..2 {
            assert_eq!(
                history_total(&api, "change_set=bulk%20kept-total").await,
                (weight - 1).to_string()
            );
        }
    }
    let by_hand = api.json("PATCH", &path, r#"{"weight": 9}"#).await;
    assert_eq!(by_hand.status, 200);
    assert_eq!(
        history_total(&api, "change_set=bulk%20kept-total").await,
        "2",
        "not of the set"
    );
    assert_eq!(
        history_total(&api, "change_set=bulk%20kept-total&after=1000000").await,
        "0"
    );
    let id = format!("id={}", hunt["id"].as_str().unwrap());
    assert_eq!(history_total(&api, &id).await, "4");
    api.store
        .drop_history_before("9999-01-01T00:00:00Z".to_owned())
        .await
        .unwrap();
    assert_eq!(
        history_total(&api, &id).await,
        "1",
        "retention drops what was kept"
    );
    assert_eq!(
        history_total(&api, "change_set=bulk%20kept-total").await,
        "0"
    );
}

/// The routing check extension answers what the model finds across every hunt as the list
/// gives them (the app's own check where a platform has no such path), follows every write,
/// and takes no parameters.
#[tokio::test]
async fn the_routing_check_finds_what_the_model_finds_across_all_hunts_and_follows_writes() {
    let api = Api::new().await;
    let ringing = |code: &str, phone: &str| json!({"code": code, "phonenumber": phone, "resources": [{"id": "agent-1", "priority": 1}]});
    let mut sales = ringing("sales", "100");
    sales["timeout"] = json!(300);
    sales["timeouttrannumber"] = json!("200");
    api.create(sales).await;
    let mut support = ringing("support", "200");
    support["maxattempts"] = json!(3);
    support["maxattemptstrannumber"] = json!("night");
    let support = api.create(support).await;
    let mut night = ringing("night", "300");
    night["huntblock"] = json!({"enabled": true});
    api.create(night).await;
    let mut idle = ringing("idle", "400");
    idle["timeouttrannumber"] = json!("+15550100");
    api.create(idle).await;

    let everything = api.everything().await;
    let hunts: Vec<hunts_model::Hunt> = serde_json::from_value(everything).unwrap();
    let graph = hunts_model::routing::Graph::new(hunts);
    let findings: Vec<Value> = graph
        .report()
        .into_iter()
        .map(|reported| {
            let hunts: Vec<Value> = reported
                .hunts
                .iter()
                .map(|(id, code)| json!({"id": id, "code": code}))
                .collect();
            json!({"kind": reported.kind, "words": reported.words, "hunts": hunts})
        })
        .collect();
    let expected = json!({"checked": 4, "findings": findings});
    let reply = api.get("/rest/v1/uc/routing").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json(), expected);
    let kinds = |report: &Value| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|finding| finding["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(kinds(&expected), ["dead-end", "never-fires"]);
    assert_eq!(expected["checked"], 4);
    assert_eq!(
        expected["findings"][0]["words"],
        "Dead end: support sends calls after 3 attempts to night, which is blocked"
    );

    // support now sends calls back to sales on timeout: a loop, seen at once.
    let path = format!("{HUNTS}/{}", support["id"].as_str().unwrap());
    let patch = r#"{"timeout": 60, "timeouttrannumber": "sales"}"#;
    assert_eq!(api.json("PATCH", &path, patch).await.status, 200);
    let after = api.get("/rest/v1/uc/routing").await.json();
    assert_eq!(kinds(&after), ["loop", "dead-end", "never-fires"]);
    assert_eq!(
        after["findings"][0]["words"],
        "Calls loop: sales -> support -> sales"
    );
    assert_eq!(after["findings"][0]["hunts"][1]["id"], support["id"]);

    let refused = api.get("/rest/v1/uc/routing?limit=5").await;
    refused.assert_error(400, Some("query"));
}
