//! No lost update: sixteen clients each read a hunt, add 1 to its weight and write it back with
//! `If-Match`, reading again after a 412. However they interleave, the final weight is the
//! number of writes the server acknowledged.

use test_support::http;

use std::net::SocketAddr;

use http::{Connection, get, with_body, with_body_and};
use hunts_server::app;
use hunts_server::store::Store;
use serde_json::{Value, json};

const CLIENTS: usize = 16;
const WRITES_EACH: usize = 15;
const HUNTS: &str = "/rest/v1/uc/hunts";

async fn start() -> SocketAddr {
    let store = Store::open_temporary().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let dist = std::env::temp_dir().join("hunts-no-dist");
    tokio::spawn(async move { axum::serve(listener, app(store, &dist)).await });
    address
}

/// Adds 1 to the weight until `WRITES_EACH` writes are acknowledged; how many 412s it met.
async fn client(address: SocketAddr, path: String) -> usize {
    let mut connection = Connection::open(address).await;
    let (mut acknowledged, mut conflicts) = (0, 0);
    while acknowledged < WRITES_EACH {
        let read = connection.exchange(&get(&path)).await;
        assert_eq!(read.status, 200);
        let etag = read.header("etag").expect("an ETag").to_owned();
        let hunt: Value = serde_json::from_slice(&read.body).unwrap();
        let weight = hunt["weight"].as_u64().unwrap();
        let patch = json!({ "weight": weight + 1 }).to_string();
        let if_match = format!("If-Match: {etag}\r\n");
        let request = with_body_and("PATCH", &path, &patch, &if_match);
        let written = connection.exchange(&request).await;
        match written.status {
            200 => acknowledged += 1,
            412 => conflicts += 1,
            other => panic!("PATCH answered {other}"),
        }
    }
    conflicts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_read_modify_writes_lose_nothing() {
    let address = start().await;
    let mut connection = Connection::open(address).await;
    let created = connection
        .exchange(&with_body(
            "POST",
            HUNTS,
            r#"{"code": "contended", "weight": 0}"#,
        ))
        .await;
    assert_eq!(created.status, 200);
    let id = serde_json::from_slice::<Value>(&created.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("{HUNTS}/{id}");

    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| tokio::spawn(client(address, path.clone())))
        .collect();
    let mut conflicts = 0;
    for client in clients {
        conflicts += client.await.unwrap();
    }
    let last = connection.exchange(&get(&path)).await;
    let weight = serde_json::from_slice::<Value>(&last.body).unwrap()["weight"].clone();
    assert_eq!(
        weight,
        json!(CLIENTS * WRITES_EACH),
        "after {conflicts} conflicts"
    );
    // The clients did contend: otherwise this proves nothing about If-Match.
    assert!(conflicts > 0, "no client ever met a 412");
    eprintln!(
        "{} acknowledged PATCHes, {conflicts} refused with 412 and retried",
        CLIENTS * WRITES_EACH
    );
}
