//! Every acknowledged write survives a kill -9: the server runs as its own process under write
//! load, is killed without warning, and started again on the same database.

use test_support::http;

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use http::{Connection, free_port, get, wait_for, with_body};
use serde_json::Value;

const HUNTS: &str = "/rest/v1/uc/hunts";
const ROUNDS: usize = 20;
const WRITERS: usize = 4;

fn start(db: &Path) -> (Child, SocketAddr) {
    let port = free_port();
    let address: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_hunts-server"))
        .args(["--addr", &address.to_string(), "--dist", "no-dist", "--db"])
        .arg(db)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(address);
    (child, address)
}

/// What one writer had acknowledged: the codes it created, and the weight it last set on its
/// own hunt (weights only go up, so the stored one may be higher, never lower).
#[derive(Default)]
struct Acknowledged {
    codes: Vec<String>,
    patched: Option<(String, u64)>,
}

async fn write_until_stopped(
    address: SocketAddr,
    writer: usize,
    round: usize,
    stop: Arc<AtomicBool>,
) -> Acknowledged {
    let mut acknowledged = Acknowledged::default();
    let mut connection = Connection::open(address).await;
    let mut own_id = None;
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let request = match &own_id {
            Some(id) if n.is_multiple_of(2) => with_body(
                "PATCH",
                &format!("{HUNTS}/{id}"),
                &format!("{{\"weight\": {n}}}"),
            ),
            _ => with_body(
                "POST",
                HUNTS,
                &format!("{{\"code\": \"w{writer}-r{round}-{n}\"}}"),
            ),
        };
        let Ok(answer) =
            tokio::time::timeout(Duration::from_secs(5), connection.exchange(&request)).await
        else {
            break;
        };
        if answer.status != 200 {
            break;
        }
        let body: Value = serde_json::from_slice(&answer.body).unwrap();
        let id = body["id"].as_str().unwrap().to_owned();
        if own_id.is_some() && n.is_multiple_of(2) {
            acknowledged.patched = Some((id, n));
        } else {
            acknowledged
                .codes
                .push(body["code"].as_str().unwrap().to_owned());
            own_id.get_or_insert(id);
        }
    }
    acknowledged
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9() {
    let folder = std::env::temp_dir().join(format!("hunts-crash-{}", std::process::id()));
    // A folder left by an earlier run whose process had the same id starts empty.
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let db = folder.join("hunts.db");
    let mut all = Vec::new();
    for round in 0..ROUNDS {
        let (mut child, address) = start(&db);
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..WRITERS)
            .map(|writer| tokio::spawn(write_until_stopped(address, writer, round, stop.clone())))
            .collect();
        tokio::time::sleep(Duration::from_millis(700)).await;
        // kill -9, in the middle of the writes.
        child.kill().unwrap();
        child.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        for writer in writers {
            // A writer's last exchange fails when its server dies mid-answer; that is expected.
            if let Ok(acknowledged) = writer.await {
                all.push(acknowledged);
            }
        }
    }
    let (mut child, address) = start(&db);
    let mut connection = Connection::open(address).await;
    let listed: Vec<Value> = serde_json::from_slice(
        &connection
            .exchange(&get(&format!("{HUNTS}?mask=id,code,weight")))
            .await
            .body,
    )
    .unwrap();
    // Every revision, newest first, a page at a time.
    let mut revisions: Vec<Value> = Vec::new();
    loop {
        let before = revisions
            .last()
            .map(|revision| format!("&before={}", revision["seq"]))
            .unwrap_or_default();
        let page: Vec<Value> = serde_json::from_slice(
            &connection
                .exchange(&get(&format!("/rest/v1/uc/history?limit=1000{before}")))
                .await
                .body,
        )
        .unwrap();
        if page.is_empty() {
            break;
        }
        revisions.extend(page);
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&folder);

    // No write without its revision, no revision without its write: each hunt's newest
    // revision is the hunt as stored, and every revision is of a stored hunt; `seq` has no gaps.
    let mut newest: std::collections::HashMap<&str, &Value> = std::collections::HashMap::new();
    for revision in &revisions {
        newest
            .entry(revision["id"].as_str().unwrap())
            .or_insert(revision);
    }
    for hunt in &listed {
        let newest = newest
            .get(hunt["id"].as_str().unwrap())
            .unwrap_or_else(|| panic!("no revision of {hunt}"));
        assert_eq!(newest["hunt"]["weight"], hunt["weight"], "{newest}");
    }
    assert_eq!(
        newest.len(),
        listed.len(),
        "revisions of writes that were lost"
    );
    let seqs: Vec<i64> = revisions
        .iter()
        .map(|revision| revision["seq"].as_i64().unwrap())
        .collect();
    assert!(
        seqs.windows(2).all(|pair| pair[0] == pair[1] + 1),
        "{seqs:?}"
    );

    let codes: std::collections::HashSet<&str> = listed
        .iter()
        .map(|hunt| hunt["code"].as_str().unwrap())
        .collect();
    let mut creates = 0;
    for acknowledged in &all {
        for code in &acknowledged.codes {
            assert!(
                codes.contains(code.as_str()),
                "acknowledged create {code} was lost"
            );
            creates += 1;
        }
        if let Some((id, weight)) = &acknowledged.patched {
            let stored = listed
                .iter()
                .find(|hunt| hunt["id"] == id.as_str())
                .unwrap();
            assert!(
                stored["weight"].as_u64().unwrap() >= *weight,
                "acknowledged weight {weight} of {id} was lost: {stored}"
            );
        }
    }
    assert!(
        creates > ROUNDS * WRITERS,
        "the load wrote too little to prove anything: {creates}"
    );
}
