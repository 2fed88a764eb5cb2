//! Requests per second of the reference server over loopback: list pages (sorted, filtered),
//! single reads, LOOKUP and PATCH (each PATCH a durable, fsynced transaction), from a few
//! keep-alive connections for a few seconds each. Prints figures; asserts nothing.
//!
//! `cargo bench -p hunts-server` (or `cargo xtask bench`, which also prints the app's size).

use std::time::{Duration, Instant};

use hunts_model::{Hunt, Resource, encode_component};
use hunts_server::app;
use hunts_server::store::Store;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const HUNTS: usize = 1_000;
const CONNECTIONS: usize = 8;
const DURATION: Duration = Duration::from_secs(3);

/// One HTTP/1.1 exchange on a kept-alive connection; returns the status.
async fn exchange(stream: &mut BufReader<TcpStream>, request: &[u8]) -> u16 {
    stream.get_mut().write_all(request).await.unwrap();
    let mut line = String::new();
    stream.read_line(&mut line).await.unwrap();
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let mut length = 0;
    loop {
        line.clear();
        stream.read_line(&mut line).await.unwrap();
        if line == "\r\n" {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.unwrap();
    status
}

/// Runs `CONNECTIONS` clients sending requests made by `request(n)` for `DURATION`.
async fn measure(
    name: &str,
    address: std::net::SocketAddr,
    request: impl Fn(usize) -> Vec<u8> + Clone + Send + 'static,
) {
    let start = Instant::now();
    let mut clients = Vec::new();
    for client in 0..CONNECTIONS {
        let request = request.clone();
        clients.push(tokio::spawn(async move {
            let mut stream = BufReader::new(TcpStream::connect(address).await.unwrap());
            let mut done = 0usize;
            while start.elapsed() < DURATION {
                let status = exchange(&mut stream, &request(client * 1_000_000 + done)).await;
                assert!(status < 300, "{status}");
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for client in clients {
        total += client.await.unwrap();
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{name:<44} {:>8.0} req/s  ({total} requests, {CONNECTIONS} connections)",
        total as f64 / seconds
    );
}

fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").into_bytes()
}

fn with_body(method: &str, path: &str, body: &str) -> Vec<u8> {
    format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("hunts-bench-{}", std::process::id()));
    let store = Store::open(&dir.join("hunts.db")).unwrap();
    let seeding = Instant::now();
    let mut ids = Vec::new();
    for index in 0..HUNTS {
        let hunt = Hunt {
            code: format!("queue_{index:04}"),
            phonenumber: format!("{}", 10_000 + index),
            priority: (index * 37 % 100) as u32,
            objmode: if index % 3 == 0 { "spqwfq" } else { "spq" }.to_owned(),
            resources: (0..4)
                .map(|r| Resource {
                    id: format!("agent-{index}-{r}"),
                    priority: 100 - r,
                })
                .collect(),
            ..Hunt::default()
        };
        ids.push(store.create(hunt).await.unwrap().hunt.id);
    }
    println!(
        "seeded {HUNTS} hunts in {:.2} s ({:.0} creates/s, one transaction each)",
        seeding.elapsed().as_secs_f64(),
        HUNTS as f64 / seeding.elapsed().as_secs_f64()
    );

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = app(store, &dir);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let list = format!(
        "/rest/v1/uc/hunts?mask={}&order={}&limit=25&flat=true",
        encode_component(
            "id,code,phonenumber,priority,type,strategy,objmode,displayname,huntblock,ext.lwt"
        ),
        encode_component(r#"[{"priority":"desc"},"code"]"#)
    );
    measure(
        "list: page of 25, two sort keys, flat",
        address,
        move |_| get(&list),
    )
    .await;
    let filtered = format!(
        "/rest/v1/uc/hunts?filter={}&limit=25",
        encode_component(r#"{"objmode":"spqwfq","priority":[1,2,3]}"#)
    );
    measure("list: filtered, default mask", address, move |_| {
        get(&filtered)
    })
    .await;
    let read_ids = ids.clone();
    measure("get one hunt", address, move |n| {
        get(&format!("/rest/v1/uc/hunts/{}", read_ids[n % HUNTS]))
    })
    .await;
    measure("LOOKUP by phone number", address, move |n| {
        with_body(
            "LOOKUP",
            "/rest/v1/uc/hunts",
            &format!("\"{}\"", 10_000 + n % HUNTS),
        )
    })
    .await;
    measure("PATCH weight (durable write)", address, move |n| {
        with_body(
            "PATCH",
            &format!("/rest/v1/uc/hunts/{}", ids[n % HUNTS]),
            &format!("{{\"weight\": {}}}", n % 50),
        )
    })
    .await;
    let _ = std::fs::remove_dir_all(dir);
}
