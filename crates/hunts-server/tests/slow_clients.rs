//! Slow and greedy clients: a thousand connections that each send half a request's headers do
//! not keep a normal request waiting, and are closed once the header deadline passes.

use test_support::http;
use test_support::temp_folder;

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use http::{Connection, free_port, get, wait_for};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const HALF_SENT: usize = 1000;
const HEADER_TIMEOUT: Duration = Duration::from_secs(2);

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn half_sent_requests_neither_block_others_nor_stay_open() {
    let dir = temp_folder::TempFolder::new("slow");
    let port = free_port();
    let address: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let _server = Running(
        Command::new(env!("CARGO_BIN_EXE_hunts-server"))
            .args(["--addr", &address.to_string(), "--dist", "no-dist"])
            .args(["--header-timeout", "2s", "--db"])
            .arg(dir.path().join("hunts.db"))
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(address);

    let mut stalled = Vec::with_capacity(HALF_SENT);
    for _ in 0..HALF_SENT {
        let mut stream = TcpStream::connect(address).await.unwrap();
        stream
            .write_all(b"GET /rest/v1/uc/hunts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            .await
            .unwrap();
        stalled.push(stream);
    }
    let opened = Instant::now();

    // A normal request is answered at once all the same.
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let answer = Connection::open(address)
            .await
            .exchange(&get("/rest/v1/uc/hunts"))
            .await;
        times.push(started.elapsed());
        assert_eq!(answer.status, 200);
    }
    times.sort();
    eprintln!("a normal request beside {HALF_SENT} half-sent ones: {times:?}");
    assert!(
        times[2] < Duration::from_millis(50),
        "a normal request waited {times:?} beside {HALF_SENT} half-sent ones"
    );
    assert!(
        opened.elapsed() < HEADER_TIMEOUT,
        "the check ran inside the deadline"
    );

    // Past the deadline every half-sent connection has been closed by the server.
    tokio::time::sleep(HEADER_TIMEOUT + Duration::from_millis(500)).await;
    let mut still_open = 0;
    for stream in &mut stalled {
        let mut byte = [0u8; 512];
        let closed = matches!(
            tokio::time::timeout(Duration::from_millis(200), async {
                loop {
                    match stream.read(&mut byte).await {
                        Ok(0) | Err(_) => return true,
                        // An answer (a 408, say) before closing is fine; keep reading.
                        Ok(_) => continue,
                    }
                }
            })
            .await,
            Ok(true)
        );
        if !closed {
            still_open += 1;
        }
    }
    assert_eq!(still_open, 0, "of {HALF_SENT} half-sent connections");
}
