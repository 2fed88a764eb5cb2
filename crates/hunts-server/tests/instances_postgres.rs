//! Several server instances on one PostgreSQL, as a platform behind one address runs them:
//! nothing is lost between them, a write through one is seen through the other at once, the
//! unique rules hold across them, and a server whose database is not up says so and stops.

use test_support::http;
use test_support::postgres;

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use http::{Connection, free_port, get, wait_for, with_body, with_body_and};
use serde_json::{Value, json};

const HUNTS: &str = "/rest/v1/uc/hunts";
const CLIENTS: usize = 16;
const WRITES_EACH: usize = 10;

struct Instance {
    child: Child,
    address: SocketAddr,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(url: &str) -> Instance {
    let port = free_port();
    let address: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_hunts-server"))
        .args([
            "--addr",
            &address.to_string(),
            "--dist",
            "no-dist",
            "--db",
            url,
        ])
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(address);
    Instance { child, address }
}

/// Two instances on one fresh database.
async fn two_instances(name: &str) -> (Instance, Instance) {
    let url = postgres::fresh_database(name).await;
    // The first migrates; the second finds the schema made.
    let first = start(&url);
    let second = start(&url);
    (first, second)
}

fn json_of(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap_or(Value::Null)
}

fn lookup(key: &str) -> Vec<u8> {
    let body = Value::String(key.to_owned()).to_string();
    format!(
        "LOOKUP {HUNTS} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Adds 1 to the weight through `address` until `WRITES_EACH` writes are acknowledged.
async fn add_ones(address: SocketAddr, path: String) -> usize {
    let mut connection = Connection::open(address).await;
    let (mut acknowledged, mut conflicts) = (0, 0);
    while acknowledged < WRITES_EACH {
        let read = connection.exchange(&get(&path)).await;
        assert_eq!(read.status, 200);
        let etag = read.header("etag").unwrap().to_owned();
        let weight = json_of(&read.body)["weight"].as_u64().unwrap();
        let patch = json!({ "weight": weight + 1 }).to_string();
        let if_match = format!("If-Match: {etag}\r\n");
        let request = with_body_and("PATCH", &path, &patch, &if_match);
        match connection.exchange(&request).await.status {
            200 => acknowledged += 1,
            412 => conflicts += 1,
            other => panic!("PATCH answered {other}"),
        }
    }
    conflicts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn read_modify_writes_through_two_instances_lose_nothing() {
    let (a, b) = two_instances("updates").await;
    let created = Connection::open(a.address)
        .await
        .exchange(&with_body(
            "POST",
            HUNTS,
            r#"{"code": "shared", "weight": 0}"#,
        ))
        .await;
    assert_eq!(created.status, 200);
    let path = format!("{HUNTS}/{}", json_of(&created.body)["id"].as_str().unwrap());
    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let address = if n % 2 == 0 { a.address } else { b.address };
            tokio::spawn(add_ones(address, path.clone()))
        })
        .collect();
    let mut conflicts = 0;
    for client in clients {
        conflicts += client.await.unwrap();
    }
    for instance in [&a, &b] {
        let last = Connection::open(instance.address)
            .await
            .exchange(&get(&path))
            .await;
        assert_eq!(
            json_of(&last.body)["weight"],
            json!(CLIENTS * WRITES_EACH),
            "after {conflicts} conflicts"
        );
    }
    assert!(conflicts > 0, "the clients never contended");
    // Every write through either instance recorded one revision, `seq` rising by one in commit
    // order across both: read back newest first, the weights count down one by one.
    let history = Connection::open(a.address)
        .await
        .exchange(&get(&format!("{path}/history?limit=1000")))
        .await;
    assert_eq!(history.status, 200);
    let revisions = json_of(&history.body);
    let revisions = revisions.as_array().unwrap();
    assert_eq!(revisions.len(), 1 + CLIENTS * WRITES_EACH);
    for (pair, newer_weight) in revisions.windows(2).zip((1..=CLIENTS * WRITES_EACH).rev()) {
        assert_eq!(
            pair[0]["seq"].as_i64().unwrap(),
            pair[1]["seq"].as_i64().unwrap() + 1
        );
        assert_eq!(pair[0]["hunt"]["weight"], json!(newer_weight));
    }
    eprintln!(
        "{} acknowledged PATCHes over two instances, {conflicts} retried after 412",
        CLIENTS * WRITES_EACH
    );
}

#[tokio::test]
async fn what_one_instance_writes_the_other_serves_at_once() {
    let (a, b) = two_instances("reads").await;
    let mut through_a = Connection::open(a.address).await;
    let mut through_b = Connection::open(b.address).await;
    // A create through one is found by LOOKUP and listed through the other.
    let created = through_a
        .exchange(&with_body(
            "POST",
            HUNTS,
            r#"{"code": "fresh", "phonenumber": "700"}"#,
        ))
        .await;
    assert_eq!(created.status, 200);
    let id = json_of(&created.body)["id"].as_str().unwrap().to_owned();
    let found = through_b.exchange(&lookup("700")).await;
    assert_eq!(json_of(&found.body), json!([id]));
    // A list read twice through B (so anything it could remember is remembered), a change
    // through A, then the list through B shows the change and the new total.
    let list = format!("{HUNTS}?mask=code,weight");
    for _ in 0..2 {
        let listed = through_b.exchange(&get(&list)).await;
        assert_eq!(
            json_of(&listed.body),
            json!([{"code": "fresh", "weight": 1}])
        );
    }
    let path = format!("{HUNTS}/{id}");
    let patched = through_a
        .exchange(&with_body("PATCH", &path, r#"{"weight": 9}"#))
        .await;
    assert_eq!(patched.status, 200);
    through_a
        .exchange(&with_body("POST", HUNTS, r#"{"code": "second"}"#))
        .await;
    let listed = through_b.exchange(&get(&list)).await;
    assert_eq!(listed.header("x-total-count"), Some("2"));
    assert_eq!(
        json_of(&listed.body),
        json!([{"code": "fresh", "weight": 9}, {"code": "second", "weight": 1}])
    );
}

/// Issue 28: an instance remembers list answers, and still never serves one after a write
/// through the other instance has committed: B answers the page (and remembers it), A changes
/// the hunt, B's next answer has the change; a thousand times over, while four other clients
/// keep B's shared read of the change counter busy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_answer_is_never_served_after_a_write_through_the_other_instance() {
    let (a, b) = two_instances("remembered").await;
    let mut through_a = Connection::open(a.address).await;
    let mut through_b = Connection::open(b.address).await;
    let created = through_a
        .exchange(&with_body(
            "POST",
            HUNTS,
            r#"{"code": "kept", "weight": 1}"#,
        ))
        .await;
    let path = format!("{HUNTS}/{}", json_of(&created.body)["id"].as_str().unwrap());
    let list = format!("{HUNTS}?mask=weight");
    // Others keep asking B all along, so a read of the change counter is nearly always under way
    // there when A's write commits: B must not answer from a read that began before it.
    let others_stop = Arc::new(AtomicBool::new(false));
    let others: Vec<_> = (0..4)
        .map(|_| {
            let (stop, list) = (Arc::clone(&others_stop), list.clone());
            let address = b.address;
            tokio::spawn(async move {
                let mut connection = Connection::open(address).await;
                let mut asked = 0_u64;
                while !stop.load(Ordering::Relaxed) {
                    assert_eq!(connection.exchange(&get(&list)).await.status, 200);
                    asked += 1;
                }
                asked
            })
        })
        .collect();
    for weight in 2..=1001 {
        for _ in 0..2 {
            let listed = through_b.exchange(&get(&list)).await;
            assert_eq!(json_of(&listed.body), json!([{"weight": weight - 1}]));
        }
        let patched = through_a
            .exchange(&with_body(
                "PATCH",
                &path,
                &format!(r#"{{"weight": {weight}}}"#),
            ))
            .await;
        assert_eq!(patched.status, 200);
        let listed = through_b.exchange(&get(&list)).await;
        assert_eq!(
            json_of(&listed.body),
            json!([{"weight": weight}]),
            "the answer B gave after A's write {weight}"
        );
    }
    others_stop.store(true, Ordering::Relaxed);
    for other in others {
        assert!(other.await.unwrap() > 0, "the others asked B all along");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_code_created_through_both_at_once_is_taken_once() {
    let (a, b) = two_instances("unique").await;
    for round in 0..10 {
        let body = format!(r#"{{"code": "race_{round}"}}"#);
        let requests = [a.address, b.address].map(|address| {
            let body = body.clone();
            tokio::spawn(async move {
                Connection::open(address)
                    .await
                    .exchange(&with_body("POST", HUNTS, &body))
                    .await
            })
        });
        let mut statuses = Vec::new();
        for request in requests {
            let answer = request.await.unwrap();
            if answer.status == 409 {
                assert_eq!(json_of(&answer.body)["field"], json!("code"));
            }
            statuses.push(answer.status);
        }
        statuses.sort();
        assert_eq!(statuses, [200, 409], "round {round}");
    }
}

#[test]
fn a_database_that_is_not_up_is_said_and_the_server_stops() {
    let closed = free_port();
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_hunts-server"))
        .args([
            "--addr",
            "127.0.0.1:0",
            "--dist",
            "no-dist",
            "--db-wait",
            "2s",
            "--db",
        ])
        .arg(format!("postgres://postgres@127.0.0.1:{closed}/hunts"))
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(started.elapsed() < Duration::from_secs(20));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("cannot reach the database after 2 s"),
        "{said}"
    );
    assert!(
        said.contains("not reachable yet"),
        "it said it was retrying: {said}"
    );
}

#[tokio::test]
async fn a_session_made_through_one_instance_works_through_the_other() {
    use std::io::Write;
    let url = postgres::fresh_database("sessions").await;
    let mut add = Command::new(env!("CARGO_BIN_EXE_hunts-server"))
        .args(["--db", &url, "user", "add", "ann", "--role", "admin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(b"ann-password-1\n")
        .unwrap();
    assert!(add.wait().unwrap().success());
    let (a, b) = (start(&url), start(&url));

    let signed_in = Connection::open(a.address)
        .await
        .exchange(&with_body(
            "POST",
            "/rest/v1/session",
            r#"{"name": "ann", "password": "ann-password-1"}"#,
        ))
        .await;
    assert_eq!(signed_in.status, 204);
    let cookie = signed_in
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let with_cookie = |method: &str, path: &str| {
        format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nX-Requested-With: hunts-admin\r\nContent-Length: 0\r\n\r\n"
        )
        .into_bytes()
    };
    let read = Connection::open(b.address)
        .await
        .exchange(&with_cookie("GET", HUNTS))
        .await;
    assert_eq!(
        read.status, 200,
        "the session made through A works through B"
    );
    let out = Connection::open(b.address)
        .await
        .exchange(&with_cookie("DELETE", "/rest/v1/session"))
        .await;
    assert_eq!(out.status, 204);
    let after = Connection::open(a.address)
        .await
        .exchange(&with_cookie("GET", HUNTS))
        .await;
    assert_eq!(after.status, 401, "signed out through B, refused through A");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_free_connection_in_time_is_said_not_waited_out() {
    use hunts_server::store::{PgOptions, Precondition, Store, StoreError};
    let url = postgres::fresh_database("pool").await;
    let options = PgOptions {
        pool_size: 1,
        acquire_timeout: Duration::from_millis(200),
        ..PgOptions::default()
    };
    let store = Store::connect(&url, options).await.unwrap();
    let hunt = hunts_model::Hunt {
        code: "held".to_owned(),
        ..hunts_model::Hunt::default()
    };
    let id = store.create(hunt).await.unwrap().hunt.id;
    // One slow write holds the only connection for a second.
    let holder = {
        let store = store.clone();
        let id = id.clone();
        tokio::spawn(async move {
            store
                .update(id, Precondition::any(), |hunt| {
                    // Blocking on purpose, and saying so to tokio, so its timers run on.
                    tokio::task::block_in_place(|| std::thread::sleep(Duration::from_secs(1)));
                    Ok(hunt.clone())
                })
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let waited = store.get(id.clone()).await;
    assert!(
        matches!(waited, Err(StoreError::Busy)),
        "{:?}",
        waited.map(|_| ())
    );
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "{:?}",
        started.elapsed()
    );
    holder.await.unwrap().unwrap();
    assert!(
        store.get(id).await.is_ok(),
        "free again once the write is done"
    );
}

/// Creates hunts through `address` until stopped or the instance is gone; the codes it was
/// told were created.
async fn create_until_gone(
    address: SocketAddr,
    writer: usize,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Vec<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut acknowledged = Vec::new();
    for n in 0.. {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        let code = format!("w{writer}_{n}");
        let request = with_body("POST", HUNTS, &format!(r#"{{"code": "{code}"}}"#));
        // One connection a request, so a killed instance shows as a refused connection.
        let Ok(mut stream) = tokio::net::TcpStream::connect(address).await else {
            break;
        };
        if stream.write_all(&request).await.is_err() {
            break;
        }
        let mut answer = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(5), async {
            let mut buffer = [0u8; 4096];
            loop {
                match stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => return,
                    Ok(count) => {
                        answer.extend_from_slice(&buffer[..count]);
                        let text = String::from_utf8_lossy(&answer);
                        if text.contains("\r\n\r\n") && text.ends_with('}') {
                            return;
                        }
                    }
                }
            }
        })
        .await;
        if read.is_err() || !answer.starts_with(b"HTTP/1.1 200") {
            // No answer, or not a success: not acknowledged, so not counted.
            if answer.is_empty() {
                break;
            }
            continue;
        }
        acknowledged.push(code);
    }
    acknowledged
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killing_one_instance_under_load_loses_nothing_and_the_other_answers() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let (mut a, b) = two_instances("kill").await;
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let address = if writer % 2 == 0 {
                a.address
            } else {
                b.address
            };
            tokio::spawn(create_until_gone(address, writer, stop.clone()))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(800)).await;
    // kill -9: no shutdown, no goodbye.
    a.child.kill().unwrap();
    a.child.wait().unwrap();
    let killed_at = Instant::now();
    tokio::time::sleep(Duration::from_millis(800)).await;
    stop.store(true, Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await.unwrap());
    }
    assert!(killed_at.elapsed() >= Duration::from_millis(800));
    // B answered throughout, and holds every acknowledged hunt, through either instance.
    let mut through_b = Connection::open(b.address).await;
    let listed = through_b
        .exchange(&get(&format!("{HUNTS}?mask=code")))
        .await;
    assert_eq!(listed.status, 200);
    let stored: std::collections::HashSet<String> = json_of(&listed.body)
        .as_array()
        .unwrap()
        .iter()
        .map(|hunt| hunt["code"].as_str().unwrap().to_owned())
        .collect();
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|code| !stored.contains(*code))
        .collect();
    assert!(
        missing.is_empty(),
        "acknowledged but not stored: {missing:?}"
    );
    let writer_of = |code: &str| -> usize { code[1..code.find('_').unwrap()].parse().unwrap() };
    let through_a = acknowledged
        .iter()
        .filter(|code| writer_of(code) % 2 == 0)
        .count();
    assert!(
        through_a > 0 && acknowledged.len() > through_a,
        "both instances took writes"
    );
    eprintln!(
        "{} acknowledged creates ({through_a} through the killed instance), all stored",
        acknowledged.len()
    );
}

/// The `data:` lines of the live changes stream through `address`, as they come, until `count`
/// have come (or five seconds pass).
async fn events_through(address: SocketAddr, count: usize) -> tokio::task::JoinHandle<Vec<Value>> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(
            format!("GET {HUNTS}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                .as_bytes(),
        )
        .await
        .unwrap();
    // The headers first: the stream is open before anything is written.
    let mut text = String::new();
    let mut buffer = [0u8; 4096];
    while !text.contains("\r\n\r\n") {
        let read = stream.read(&mut buffer).await.unwrap();
        text.push_str(&String::from_utf8_lossy(&buffer[..read]));
    }
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    tokio::spawn(async move {
        let mut data = Vec::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while data.len() < count {
            let Ok(Ok(read)) = tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await
            else {
                break;
            };
            text.push_str(&String::from_utf8_lossy(&buffer[..read]));
            data = text
                .lines()
                .filter_map(|line| line.strip_prefix("data: "))
                .filter_map(|line| serde_json::from_str(line).ok())
                .collect();
        }
        data
    })
}

#[tokio::test]
async fn a_write_through_one_instance_reaches_the_other_s_live_changes() {
    let (a, b) = two_instances("events").await;
    let listening = events_through(b.address, 3).await;
    let mut through_a = Connection::open(a.address).await;
    for code in ["ev1", "ev2", "ev3"] {
        let created = through_a
            .exchange(&with_body(
                "POST",
                HUNTS,
                &format!(r#"{{"code": "{code}"}}"#),
            ))
            .await;
        assert_eq!(created.status, 200);
    }
    let data = listening.await.unwrap();
    let codes: Vec<&str> = data
        .iter()
        .filter_map(|data| data["code"].as_str())
        .collect();
    assert_eq!(codes, ["ev1", "ev2", "ev3"], "in seq order, each once");
    let seqs: Vec<i64> = data
        .iter()
        .filter_map(|data| data["seq"].as_i64())
        .collect();
    assert!(
        seqs.windows(2).all(|pair| pair[1] == pair[0] + 1),
        "{seqs:?}"
    );
}

/// Ends every connection to the database behind `url` but this one: a restart, a failover.
async fn drop_every_connection(url: &str) {
    let database = url.rsplit_once('/').unwrap().1.to_owned();
    let (client, connection) =
        tokio_postgres::connect(&postgres::cluster_url(), tokio_postgres::NoTls)
            .await
            .unwrap();
    tokio::spawn(connection);
    let ended = client
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = $1 AND pid <> pg_backend_pid()",
            &[&database],
        )
        .await
        .unwrap();
    assert!(ended >= 2, "both instances were connected: {ended}");
}

/// Issue 27: the database ends every connection of both instances (their pools and B's
/// `LISTEN`) while a stream is open on B; the writes through A after it, asked again until the
/// database is reached again, all reach B's stream with the one before, in order, once each.
#[tokio::test]
async fn live_changes_survive_the_database_dropping_every_connection() {
    let url = postgres::fresh_database("dropped").await;
    let (a, b) = (start(&url), start(&url));
    let listening = events_through(b.address, 4).await;
    let mut through_a = Connection::open(a.address).await;
    for (index, code) in ["before", "after1", "after2", "after3"]
        .into_iter()
        .enumerate()
    {
        if index == 1 {
            drop_every_connection(&url).await;
        }
        let body = format!(r#"{{"code": "{code}"}}"#);
        let mut tries = 0;
        // 409: an earlier try was written though its answer was lost.
        while !matches!(
            through_a
                .exchange(&with_body("POST", HUNTS, &body))
                .await
                .status,
            200 | 409
        ) {
            tries += 1;
            assert!(tries < 50, "{code} was never written");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let data = listening.await.unwrap();
    let codes: Vec<&str> = data
        .iter()
        .filter_map(|data| data["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        ["before", "after1", "after2", "after3"],
        "in order, each once"
    );
}
