//! Who may do what, end to end: the real binary, its `user` and `token` commands, and requests
//! over TCP. Sign-in, sessions, roles, tokens, the `X-Requested-With` rule, the failed sign-in
//! limit, and the server that will not run open on a network.

use test_support::http;
use test_support::temp_folder;

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use http::{Answer, Connection, free_port, wait_for};
use serde_json::{Value, json};
use temp_folder::TempFolder;

const HUNTS: &str = "/rest/v1/uc/hunts";
const SESSION: &str = "/rest/v1/session";

fn server() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hunts-server"))
}

/// A folder for a database, and the database's path in it.
fn temp_db(name: &str) -> (TempFolder, PathBuf) {
    let folder = TempFolder::new(&format!("sign-in-{name}"));
    let db = folder.path().join("hunts.db");
    (folder, db)
}

/// Runs `hunts-server --db DB ARGS…` with `stdin` as its standard input; its standard output.
fn command(db: &Path, args: &[&str], stdin: &str) -> String {
    let mut child = server()
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{args:?}: {text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    text
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Serves `db` on `listen` (port chosen here); requests go to 127.0.0.1 on that port.
fn serve(db: &Path, listen_ip: &str) -> (Running, SocketAddr) {
    let port = free_port();
    let child = server()
        .args([
            "--addr",
            &format!("{listen_ip}:{port}"),
            "--dist",
            "no-dist",
            "--db",
        ])
        .arg(db)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let address: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    wait_for(address);
    (Running(child), address)
}

async fn send(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> Answer {
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    let body = body.map(Value::to_string).unwrap_or_default();
    if !body.is_empty() {
        request.push_str("Content-Type: application/json\r\n");
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    Connection::open(address)
        .await
        .exchange(request.as_bytes())
        .await
}

fn json_of(answer: &Answer) -> Value {
    serde_json::from_slice(&answer.body).unwrap_or(Value::Null)
}

/// An error body without its request id, which differs from request to request.
fn error_of(answer: &Answer) -> Value {
    let mut body = json_of(answer);
    if let Some(object) = body.as_object_mut() {
        assert!(
            object.remove("request_id").is_some(),
            "an error names its request"
        );
    }
    body
}

/// Signs in; the `Cookie` header value of the new session.
async fn sign_in(address: SocketAddr, name: &str, password: &str) -> String {
    let answer = send(
        address,
        "POST",
        SESSION,
        &[],
        Some(&json!({"name": name, "password": password})),
    )
    .await;
    assert_eq!(
        answer.status,
        204,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let cookie = answer.header("set-cookie").expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    cookie.split(';').next().unwrap().to_owned()
}

fn hunt(code: &str) -> Value {
    json!({"code": code, "phonenumber": "", "resources": []})
}

#[test]
fn without_users_it_will_not_listen_on_the_network() {
    let (_folder, db) = temp_db("open");
    let port = free_port();
    let started = Instant::now();
    let output = server()
        .args([
            "--addr",
            &format!("0.0.0.0:{port}"),
            "--dist",
            "no-dist",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("user add NAME --role admin"), "{said}");
}

#[tokio::test]
async fn without_users_it_answers_only_loopback_names() {
    let (_folder, db) = temp_db("loopback");
    let (_server, address) = serve(&db, "127.0.0.1");
    let answer = send(address, "GET", HUNTS, &[], None).await;
    assert_eq!(answer.status, 200);
    // Sign-in off: nobody needs to sign in (204), and there is no signing in or out (404).
    assert_eq!(send(address, "GET", SESSION, &[], None).await.status, 204);
    for host in [
        "evil.example",
        "evil.example:8080",
        "localhost.evil.example",
    ] {
        let request = format!("GET {HUNTS} HTTP/1.1\r\nHost: {host}\r\n\r\n");
        let answer = Connection::open(address)
            .await
            .exchange(request.as_bytes())
            .await;
        assert_eq!(answer.status, 403, "{host}");
        assert_eq!(json_of(&answer)["error_code"], 1403);
    }
}

/// A server with sign-in on: ann (admin), vic (viewer), a viewer token `report` and an admin
/// token `robot`, all added through the command line, serving any address.
struct SignedIn {
    db: PathBuf,
    address: SocketAddr,
    viewer_token: String,
    admin_token: String,
    _server: Running,
    _folder: TempFolder,
}

impl SignedIn {
    fn start(name: &str) -> SignedIn {
        let (folder, db) = temp_db(name);
        let said = command(
            &db,
            &["user", "add", "ann", "--role", "admin"],
            "ann-password-1\n",
        );
        assert!(said.contains("user ann (admin) added"), "{said}");
        command(
            &db,
            &["user", "add", "vic", "--role", "viewer"],
            "vic-password-1\n",
        );
        let token_of = |said: String| said.lines().last().unwrap().trim().to_owned();
        let viewer_token = token_of(command(
            &db,
            &["token", "add", "report", "--role", "viewer"],
            "",
        ));
        let admin_token = token_of(command(
            &db,
            &["token", "add", "robot", "--role", "admin"],
            "",
        ));
        // With users it serves any address.
        let (server, address) = serve(&db, "0.0.0.0");
        SignedIn {
            db,
            address,
            viewer_token,
            admin_token,
            _server: server,
            _folder: folder,
        }
    }

    /// ann's session, with the header a write needs.
    async fn ann(&self) -> [(&'static str, String); 2] {
        let cookie = sign_in(self.address, "ann", "ann-password-1").await;
        [
            ("Cookie", cookie),
            ("X-Requested-With", "hunts-admin".to_owned()),
        ]
    }
}

fn borrowed<'a>(headers: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    headers
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect()
}

#[tokio::test]
async fn users_and_tokens_are_added_listed_and_kept_hashed() {
    let signed_in = SignedIn::start("accounts");
    assert_eq!(
        signed_in.viewer_token.len(),
        64,
        "{}",
        signed_in.viewer_token
    );
    let listed = command(&signed_in.db, &["user", "list"], "");
    assert!(
        listed.contains("ann\tadmin") && listed.contains("vic\tviewer"),
        "{listed}"
    );
    // The password is stored hashed, never as typed.
    let file = std::fs::read(&signed_in.db).unwrap();
    assert!(!file.windows(14).any(|bytes| bytes == b"ann-password-1"));
}

#[tokio::test]
async fn nothing_is_served_without_a_session_and_a_wrong_name_looks_like_a_wrong_password() {
    let SignedIn { address, .. } = &SignedIn::start("anonymous");
    let anonymous = send(*address, "GET", HUNTS, &[], None).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(json_of(&anonymous)["error_code"], 1401);

    // A wrong password and an unknown name: the same answer, in about the same time.
    let mut times = [Duration::ZERO; 2];
    let mut answers = Vec::new();
    for _ in 0..3 {
        for (slot, name) in ["ann", "nobody"].into_iter().enumerate() {
            let started = Instant::now();
            let answer = send(
                *address,
                "POST",
                SESSION,
                &[],
                Some(&json!({"name": name, "password": "not-the-password"})),
            )
            .await;
            times[slot] += started.elapsed();
            answers.push((answer.status, error_of(&answer)));
        }
    }
    assert!(
        answers.iter().all(|answer| *answer == answers[0]),
        "{answers:?}"
    );
    assert_eq!(answers[0].0, 401);
    let ratio = times[0].as_secs_f64() / times[1].as_secs_f64();
    assert!(
        (0.5..2.0).contains(&ratio),
        "wrong password {times:?} unknown name"
    );
}

#[tokio::test]
async fn an_admins_session_writes_only_with_x_requested_with() {
    let signed_in = SignedIn::start("admin");
    let address = signed_in.address;
    let ann = signed_in.ann().await;
    let who = send(address, "GET", SESSION, &borrowed(&ann[..1]), None).await;
    assert_eq!(json_of(&who), json!({"name": "ann", "role": "admin"}));
    let forged = send(
        address,
        "POST",
        HUNTS,
        &borrowed(&ann[..1]),
        Some(&hunt("forged")),
    )
    .await;
    assert_eq!(forged.status, 403, "a cookie alone does not write");
    let created = send(address, "POST", HUNTS, &borrowed(&ann), Some(&hunt("q1"))).await;
    assert_eq!(created.status, 200);
}

#[tokio::test]
async fn a_viewer_reads_and_is_refused_a_change_with_nothing_written() {
    let signed_in = SignedIn::start("viewer");
    let address = signed_in.address;
    let ann = signed_in.ann().await;
    let created = send(address, "POST", HUNTS, &borrowed(&ann), Some(&hunt("q1"))).await;
    let item = format!("{HUNTS}/{}", json_of(&created)["id"].as_str().unwrap());
    let vic = sign_in(address, "vic", "vic-password-1").await;
    let vic_headers = [
        ("Cookie", vic.as_str()),
        ("X-Requested-With", "hunts-admin"),
    ];
    let before = send(address, "GET", &item, &vic_headers, None).await;
    assert_eq!(before.status, 200);
    let refused = send(
        address,
        "PATCH",
        &item,
        &vic_headers,
        Some(&json!({"weight": 77})),
    )
    .await;
    assert_eq!(refused.status, 403);
    assert_eq!(json_of(&refused)["error_code"], 1403);
    let stored = send(address, "GET", &item, &borrowed(&ann), None).await;
    assert_eq!(json_of(&stored), json_of(&before), "nothing written");
}

#[tokio::test]
async fn tokens_carry_their_role_and_a_revoked_one_no_longer_works() {
    let signed_in = SignedIn::start("tokens");
    let address = signed_in.address;
    let viewer = [(
        "Authorization",
        format!("Bearer {}", signed_in.viewer_token),
    )];
    let robot = [("Authorization", format!("Bearer {}", signed_in.admin_token))];
    // (role, token, method, body, status)
    let cases = [
        ("viewer reads", &viewer, "GET", None, 200),
        ("viewer writes", &viewer, "POST", Some(hunt("q2")), 403),
        ("admin writes", &robot, "POST", Some(hunt("q3")), 200),
    ];
    for (what, headers, method, body, status) in cases {
        let answer = send(address, method, HUNTS, &borrowed(headers), body.as_ref()).await;
        assert_eq!(answer.status, status, "{what}");
    }
    command(&signed_in.db, &["token", "remove", "report"], "");
    let revoked = send(address, "GET", HUNTS, &borrowed(&viewer), None).await;
    assert_eq!(revoked.status, 401);
}

#[tokio::test]
async fn signing_out_or_being_removed_ends_a_session_at_once() {
    let signed_in = SignedIn::start("sessions");
    let address = signed_in.address;
    let ann = signed_in.ann().await;
    let vic = sign_in(address, "vic", "vic-password-1").await;
    let vic_headers = [("Cookie", vic.as_str())];
    // Signing out ends the session on the server: the old cookie is refused.
    let out = send(address, "DELETE", SESSION, &borrowed(&ann), None).await;
    assert_eq!(out.status, 204);
    let after = send(address, "GET", HUNTS, &borrowed(&ann), None).await;
    assert_eq!(after.status, 401);
    // A user removed while signed in is refused at once.
    assert_eq!(
        send(address, "GET", HUNTS, &vic_headers, None).await.status,
        200
    );
    command(&signed_in.db, &["user", "remove", "vic"], "");
    assert_eq!(
        send(address, "GET", HUNTS, &vic_headers, None).await.status,
        401
    );
}

#[tokio::test]
async fn the_sixth_failure_for_one_name_is_held_off_with_how_long_to_wait() {
    let SignedIn { address, .. } = &SignedIn::start("limits");
    let wrong = json!({"name": "ann", "password": "guess"});
    for _ in 0..5 {
        let answer = send(*address, "POST", SESSION, &[], Some(&wrong)).await;
        assert_eq!(answer.status, 401);
    }
    let held = send(*address, "POST", SESSION, &[], Some(&wrong)).await;
    assert_eq!(held.status, 429);
    assert_eq!(json_of(&held)["error_code"], 1429);
    let wait: u64 = held.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Even the right password waits: the limit is checked first.
    let right = json!({"name": "ann", "password": "ann-password-1"});
    assert_eq!(
        send(*address, "POST", SESSION, &[], Some(&right))
            .await
            .status,
        429
    );
}
