//! The reference server at scale: N hunts (default 100,000; `HUNTS_BENCH_N` sets it), the
//! server running as its own process as `cargo xtask run` builds it, measured from this
//! separate process. Beside it, in the same run and on the same data: json-server 0.17.4 and
//! nginx serving the same page as a file. Prints the issue's table; asserts nothing.
//!
//! `cargo xtask bench` installs wrk, nginx and json-server when missing and runs this; a tool
//! that is still missing leaves its column out. The seeded database is kept in
//! `target/bench-scale/` so later runs skip the seeding.

use test_support::http;

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hunts_model::encode_component;
use serde_json::{Value, json};

use http::{Connection, free_port, get, get_with, wait_for, with_body};
use hunts_server::store::ORDER_INDEXES;

const HUNTS_PATH: &str = "/rest/v1/uc/hunts";

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(bench());
}

struct Server {
    child: Child,
    address: SocketAddr,
}

impl Server {
    fn start(db: &Path, dist: &Path) -> Server {
        Server::start_on(db.as_os_str(), dist)
    }

    /// On a database named by path or by `postgres://` URL.
    fn start_on(db: &std::ffi::OsStr, dist: &Path) -> Server {
        Server::start_with(db, dist, &[])
    }

    /// With more of the server's options.
    fn start_with(db: &std::ffi::OsStr, dist: &Path, options: &[&str]) -> Server {
        let address: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_hunts-server"))
            .args(["--addr", &address.to_string(), "--db"])
            .arg(db)
            .arg("--dist")
            .arg(dist)
            .args(options)
            .env("RUST_LOG", "warn")
            .spawn()
            .expect("the server starts");
        wait_for(address);
        Server { child, address }
    }

    /// The most memory the server has held since it started (VmHWM), in MB.
    fn peak_memory_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        kilobytes(&status, "VmHWM:") / 1024.0
    }

    fn memory_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        kilobytes(&status, "VmRSS:") / 1024.0
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn kilobytes(status: &str, key: &str) -> f64 {
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|number| number.parse().ok())
        .unwrap_or(0.0)
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A deterministic stream of numbers, so every run seeds the same hunts.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % sides
    }

    fn pick<'a>(&mut self, weighted: &[(&'a str, u64)]) -> &'a str {
        let total: u64 = weighted.iter().map(|(_, weight)| weight).sum();
        let mut roll = self.roll(total);
        for (value, weight) in weighted {
            if roll < *weight {
                return value;
            }
            roll -= weight;
        }
        weighted[0].0
    }
}

const TEAMS: &[&str] = &[
    "sales", "support", "billing", "claims", "helpdesk", "returns", "vip", "partners",
];

/// Hunt number `index`: shaped like the demo set, spread so that every filter and order has
/// work to do (few types, many priorities, unique codes and numbers in no particular order).
fn hunt_body(index: u64, dice: &mut Dice) -> Value {
    let team = TEAMS[dice.roll(TEAMS.len() as u64) as usize];
    let resources: Vec<Value> = (0..2 + dice.roll(5))
        .map(|rank| json!({"id": format!("res-{}", (index * 7 + rank * 131) % 5000), "priority": 100 - 10 * rank}))
        .collect();
    let strategy = if dice.roll(10) < 3 {
        json!({"mode": "timers", "seconds": [15, 30, 60]})
    } else {
        json!({"mode": "simple"})
    };
    json!({
        "code": format!("{team}_{:05x}_{index}", dice.roll(1 << 20)),
        "phonenumber": format!("+1555{:07}", (index * 7_919) % 10_000_000),
        "priority": dice.roll(100),
        "type": dice.pick(&[("sipuser", 80), ("queue", 10), ("group", 7), ("ivr", 3)]),
        "resources": resources,
        "strategy": strategy,
        "resmode": dice.pick(&[("priorityrandom", 60), ("roundrobin", 25), ("linear", 15)]),
        "objmode": dice.pick(&[("spq", 70), ("spqwfq", 30)]),
        "weight": 1 + dice.roll(10),
        "wivrscript": format!("welcome_{team}"),
        "timeout": 30 * dice.roll(5),
        "timeouttrannumber": format!("+1555{:07}", dice.roll(10_000_000)),
        "displayname": format!("{} {} line {}", team, ["day", "night", "overflow"][dice.roll(3) as usize], index % 997),
        "huntblock": {"enabled": dice.roll(20) == 0, "expires": 0, "reason": ""},
        "opts": {"title": format!("{team} queue {index}"), "comment": "", "exit_no_resource": dice.roll(2) == 0},
    })
}

/// Creates hunts 0..`count` through POST on `writers` connections; the seconds it took.
async fn seed_through(address: SocketAddr, count: u64, writers: u64) -> f64 {
    let start = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|writer| {
            tokio::spawn(async move {
                let mut connection = Connection::open(address).await;
                let mut dice = Dice(writer);
                let mut index = writer;
                while index < count {
                    let body = hunt_body(index, &mut dice).to_string();
                    let answer = connection
                        .exchange(&with_body("POST", HUNTS_PATH, &body))
                        .await;
                    assert_eq!(
                        answer.status,
                        200,
                        "{}",
                        String::from_utf8_lossy(&answer.body)
                    );
                    index += writers;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    start.elapsed().as_secs_f64()
}

/// A database of `count` hunts, made once through POST and kept for later runs.
async fn seeded_database(count: u64, dist: &Path) -> PathBuf {
    let folder = workspace().join("target/bench-scale");
    std::fs::create_dir_all(&folder).unwrap();
    let kept = folder.join(format!(
        "hunts-{count}-v{}.db",
        hunts_server::store::SCHEMA_VERSION
    ));
    if !kept.exists() {
        let making = folder.join("making.db");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", making.display()));
        }
        let server = Server::start(&making, dist);
        let seconds = seed_through(server.address, count, 4).await;
        println!(
            "seeded {count} hunts through POST in {seconds:.1} s ({:.0} creates/s, 4 connections, each durable)",
            count as f64 / seconds
        );
        drop(server);
        for suffix in ["", "-wal"] {
            let from = format!("{}{suffix}", making.display());
            if Path::new(&from).exists() {
                std::fs::rename(&from, format!("{}{suffix}", kept.display())).unwrap();
            }
        }
    }
    // Each run works on a copy, so its writes never change the kept set.
    let copy = folder.join("run.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
        let from = format!("{}{suffix}", kept.display());
        if suffix != "-shm" && Path::new(&from).exists() {
            std::fs::copy(&from, format!("{}{suffix}", copy.display())).unwrap();
        }
    }
    copy
}

struct Latency {
    p50: Duration,
    p99: Duration,
    count: usize,
}

/// Sends `request(n)` one after another on one connection for about `budget`, at least 100
/// times, and reports the spread of the answer times.
async fn latency(
    address: SocketAddr,
    budget: Duration,
    mut request: impl FnMut(usize) -> Vec<u8>,
) -> Latency {
    let mut connection = Connection::open(address).await;
    // Warm up: the first answers of a fresh statement are not the steady state.
    for n in 0..5 {
        connection.exchange(&request(n)).await;
    }
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 100 || (start.elapsed() < budget && times.len() < 20_000) {
        let request = request(times.len());
        let sent = Instant::now();
        let answer = connection.exchange(&request).await;
        times.push(sent.elapsed());
        assert!(
            answer.status < 300 || answer.status == 404,
            "{}: {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
    }
    times.sort();
    Latency {
        p50: times[times.len() / 2],
        p99: times[times.len() * 99 / 100],
        count: times.len(),
    }
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

#[derive(Default)]
struct Report {
    text: String,
    misses: Vec<String>,
}

impl Report {
    fn row(&mut self, what: &str, latency: &Latency, goal: Duration) {
        let verdict = if latency.p99 <= goal { "ok" } else { "MISSED" };
        if latency.p99 > goal {
            self.misses.push(format!("{what}: p99 {}", ms(latency.p99)));
        }
        let _ = writeln!(
            self.text,
            "| {what} | {} | {} | {} | {} {verdict} |",
            ms(latency.p50),
            ms(latency.p99),
            latency.count,
            ms(goal)
        );
        println!(
            "{what:<70} p50 {:>9}  p99 {:>9}  (n={}, goal p99 <= {}) {verdict}",
            ms(latency.p50),
            ms(latency.p99),
            latency.count,
            ms(goal)
        );
    }
}

fn list_path(filter: Option<&str>, order: Option<&str>, offset: u64, limit: u64) -> String {
    let mut path = format!("{HUNTS_PATH}?offset={offset}&limit={limit}");
    if let Some(filter) = filter {
        path += &format!("&filter={}", encode_component(filter));
    }
    if let Some(order) = order {
        path += &format!("&order={}", encode_component(order));
    }
    path
}

/// wrk's figures for one URL: requests per second, p50 and p99, and errors.
struct Wrk {
    requests_per_second: f64,
    p50: String,
    p99: String,
    errors: String,
}

fn wrk(url: &str, connections: usize, seconds: u64) -> Option<Wrk> {
    wrk_with(url, connections, seconds, &[])
}

/// One wrk, its two threads each on an instance of its own (wrk's `setup` gives a thread its
/// address): the same load generator as `wrk` on one, spread over both.
fn wrk_across(first: SocketAddr, second: SocketAddr, path: &str, seconds: u64) -> Option<Wrk> {
    let script =
        std::env::temp_dir().join(format!("hunts-bench-across-{}.lua", std::process::id()));
    std::fs::write(
        &script,
        format!(
            "local ports = {{ \"{}\", \"{}\" }}\nlocal n = 0\nfunction setup(thread)\n  n = n + 1\n  thread.addr = wrk.lookup(\"127.0.0.1\", ports[(n - 1) % 2 + 1])[1]\nend\n",
            first.port(),
            second.port()
        ),
    )
    .ok()?;
    let run = wrk_with(
        &format!("http://{first}{path}"),
        32,
        seconds,
        &["-s", &script.to_string_lossy()],
    );
    let _ = std::fs::remove_file(script);
    run
}

fn wrk_with(url: &str, connections: usize, seconds: u64, extra: &[&str]) -> Option<Wrk> {
    let threads = connections.min(2);
    let out = Command::new("wrk")
        .args([
            &format!("-t{threads}"),
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
        ])
        .args(extra)
        .arg(url)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find(|line| line.starts_with(prefix))
            .and_then(|line| line.split_whitespace().nth(1))
            .unwrap_or("?")
            .to_owned()
    };
    let errors = text
        .lines()
        .filter(|line| line.contains("Socket errors") || line.contains("Non-2xx"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("; ");
    Some(Wrk {
        requests_per_second: field("Requests/sec:").parse().unwrap_or(0.0),
        p50: field("50%"),
        p99: field("99%"),
        errors: if errors.is_empty() {
            "no errors".to_owned()
        } else {
            errors
        },
    })
}

fn has(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

async fn bench() {
    let count: u64 = std::env::var("HUNTS_BENCH_N")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(100_000);
    let dist = workspace().join("dist");
    if std::env::var_os("HUNTS_BENCH_ONLY_POSTGRES").is_some() {
        let url =
            std::env::var("HUNTS_BENCH_POSTGRES").expect("HUNTS_BENCH_POSTGRES names the cluster");
        let mut report = Report::default();
        on_postgres(&url, count, &dist, &mut report).await;
        println!("\n--- Markdown for the README ---\n{}", report.text);
        return;
    }
    if std::env::var_os("HUNTS_BENCH_ONLY_PATCHES").is_some() {
        let mut report = Report::default();
        seeded_database(count, &dist).await;
        history_write_cost(count, &dist, &mut report).await;
        return;
    }
    if std::env::var_os("HUNTS_BENCH_ONLY_LIVE").is_some() {
        let mut report = Report::default();
        live_figures(count, &dist, &mut report).await;
        println!("\n--- Markdown for the README ---\n{}", report.text);
        return;
    }
    if std::env::var_os("HUNTS_BENCH_ONLY_HISTORY").is_some() {
        let mut report = Report::default();
        seeded_database(count, &dist).await;
        history_figures(count, &dist, &mut report).await;
        live_figures(count, &dist, &mut report).await;
        println!("\n--- Markdown for the README ---\n{}", report.text);
        return;
    }
    let db = seeded_database(count, &dist).await;
    let server = Server::start(&db, &dist);
    let address = server.address;
    let mut report = Report {
        text: String::new(),
        misses: Vec::new(),
    };
    println!(
        "\n{count} hunts; the server started with {:.1} MB resident",
        server.memory_mb()
    );
    let budget = Duration::from_millis(1500);
    let list_goal = Duration::from_millis(5);
    let point_goal = Duration::from_millis(1);

    // Values the filters look for, read from the data itself.
    let mut connection = Connection::open(address).await;
    let sample: Value = serde_json::from_slice(
        &connection
            .exchange(&get(&format!(
                "{HUNTS_PATH}?offset={}&limit=1&mask=id,code,phonenumber,resources,timeouttrannumber",
                count / 2
            )))
            .await
            .body,
    )
    .unwrap();
    let sample = &sample[0];
    let (id, code, phone) = (
        sample["id"].as_str().unwrap().to_owned(),
        sample["code"].as_str().unwrap().to_owned(),
        sample["phonenumber"].as_str().unwrap().to_owned(),
    );
    let resource = sample["resources"][0]["id"].as_str().unwrap().to_owned();
    let transfer = sample["timeouttrannumber"].as_str().unwrap().to_owned();

    let headline_filter = r#"{"type":"sipuser","objmode":"spq"}"#;
    let headline_order = r#"[{"priority":"desc"},"code"]"#;
    let headline = list_path(Some(headline_filter), Some(headline_order), 50, 50);

    let _ = writeln!(
        report.text,
        "| request (1 connection, one after another) | p50 | p99 | requests | goal |\n|---|---|---|---|---|"
    );
    type Case = (String, Option<String>, Option<String>, u64);
    let mut list_cases: Vec<Case> = vec![(
        "list: the issue's request (filter type+objmode, order priority desc+code, offset 50)"
            .to_owned(),
        Some(headline_filter.to_owned()),
        Some(headline_order.to_owned()),
        50,
    )];
    for offset in [0, count / 2, count.saturating_sub(50)] {
        list_cases.push((
            format!("list: creation order, offset {offset}"),
            None,
            None,
            offset,
        ));
    }
    for (path, value) in [
        ("code", json!(code)),
        ("phonenumber", json!(phone)),
        ("priority", json!(42)),
        ("type", json!("queue")),
        ("objmode", json!("spqwfq")),
        ("resmode", json!("linear")),
        ("weight", json!(3)),
        ("huntblock.enabled", json!(true)),
        ("strategy.mode", json!("timers")),
        // Issue 31: the hunts that send calls to a number (served from indexes).
        ("timeouttrannumber", json!(transfer)),
        ("maxattemptstrannumber", json!("+15550100")),
    ] {
        let filter = json!({ path: value }).to_string();
        list_cases.push((format!("list: filter {filter}"), Some(filter), None, 0));
    }
    // The goal's sortable fields are exactly those with an index.
    let orderable: Vec<&str> = ORDER_INDEXES.iter().map(|(path, _)| *path).collect();
    for &path in &orderable {
        for direction in ["asc", "desc"] {
            let order = json!([{ path: direction }]).to_string();
            list_cases.push((
                format!("list: order {order}, offset 1000"),
                None,
                Some(order),
                1000,
            ));
        }
    }
    for (index, first) in orderable.iter().enumerate() {
        let second = orderable[(index + 1) % orderable.len()];
        let order = json!([first, { second: "desc" }]).to_string();
        list_cases.push((
            format!("list: order {order}, offset 1000"),
            None,
            Some(order),
            1000,
        ));
    }
    let resource_filter = json!({ "resources.id": resource }).to_string();
    list_cases.push((
        format!("list: filter {resource_filter}"),
        Some(resource_filter),
        None,
        0,
    ));
    // Every request a different page (the offset walks over 5,000 positions around the one
    // named), so none is answered from the server's memory of earlier answers: these figures are
    // the database's work. The same page asked again is measured once, below.
    for (what, filter, order, offset) in &list_cases {
        let (filter, order, offset) = (filter.clone(), order.clone(), *offset);
        let measured = latency(address, budget, move |n| {
            let step = (n % 5000) as u64;
            let offset = if offset + step + 50 <= count {
                offset + step
            } else {
                offset - step
            };
            get(&list_path(filter.as_deref(), order.as_deref(), offset, 50))
        })
        .await;
        report.row(what, &measured, list_goal);
    }
    let again = headline.clone();
    let measured = latency(address, budget, move |_| get(&again)).await;
    report.row(
        "list: the issue's request asked again (answered from memory until a write)",
        &measured,
        list_goal,
    );
    let lookups = [
        ("code", code.clone()),
        ("phone number", phone.clone()),
        ("id", id.clone()),
    ];
    for (what, key) in lookups {
        let body = json!(key).to_string();
        let measured = latency(address, budget, move |_| {
            with_body("LOOKUP", HUNTS_PATH, &body)
        })
        .await;
        report.row(&format!("LOOKUP by {what}"), &measured, point_goal);
    }
    let one = format!("{HUNTS_PATH}/{id}");
    let measured = latency(address, budget, move |_| get(&one)).await;
    report.row("GET one hunt by id", &measured, point_goal);

    // Paths without an index still work, at the cost of reading every hunt.
    let _ = writeln!(report.text, "\nNot indexed (work, not in the goals):\n");
    for (what, filter, order) in [
        (
            "list: filter on opts.title",
            Some(r#"{"opts.title":"sales queue 77"}"#),
            None,
        ),
        ("list: order by wivrscript", None, Some(r#"["wivrscript"]"#)),
    ] {
        let measured = latency(address, Duration::from_millis(500), move |n| {
            get(&list_path(filter, order, n as u64 % 5000, 50))
        })
        .await;
        let _ = writeln!(
            report.text,
            "- {what}: p50 {}, p99 {}",
            ms(measured.p50),
            ms(measured.p99)
        );
        println!(
            "{what:<70} p50 {:>9}  p99 {:>9}",
            ms(measured.p50),
            ms(measured.p99)
        );
    }

    // The count after a write: every list then counts again, once per filter.
    let patch_path = format!("{HUNTS_PATH}/{id}");
    let mut writer = Connection::open(address).await;
    let mut reader = Connection::open(address).await;
    let mut after_write = Vec::new();
    for n in 0..100 {
        writer
            .exchange(&with_body(
                "PATCH",
                &patch_path,
                &format!("{{\"weight\": {}}}", n % 10 + 1),
            ))
            .await;
        let sent = Instant::now();
        reader.exchange(&get(&headline)).await;
        after_write.push(sent.elapsed());
    }
    after_write.sort();
    let _ = writeln!(
        report.text,
        "- the issue's request right after a write (nothing remembered serves it): p50 {}, p99 {}",
        ms(after_write[50]),
        ms(after_write[99])
    );
    println!(
        "{:<70} p50 {:>9}  p99 {:>9}",
        "list right after a write (nothing remembered serves it)",
        ms(after_write[50]),
        ms(after_write[99])
    );

    // Writes, and reads while they commit.
    let writing = tokio::spawn(patches_per_second(address, Duration::from_secs(3)));
    let during = {
        let path = headline.clone();
        latency(address, Duration::from_millis(2500), move |_| get(&path)).await
    };
    let patches_per_second = writing.await.unwrap();
    let _ = writeln!(
        report.text,
        "- durable PATCH, 8 connections: {patches_per_second:.0}/s; the issue's request meanwhile: p50 {}, p99 {}",
        ms(during.p50),
        ms(during.p99)
    );
    println!(
        "{:<70} {patches_per_second:>8.0}/s; list meanwhile p50 {} p99 {}",
        "durable PATCH, 8 connections",
        ms(during.p50),
        ms(during.p99)
    );

    // Throughput beside json-server and nginx.
    let page = Connection::open(address)
        .await
        .exchange(&get(&headline))
        .await
        .body;
    let _ = writeln!(
        report.text,
        "\n| the issue's request | 1 connection | 32 connections |\n|---|---|---|"
    );
    if has("wrk") {
        let ours_1 = wrk(&server.url(&headline), 1, 5);
        let ours_32 = wrk(&server.url(&headline), 32, 5);
        let nginx = start_nginx(&page);
        let nginx_1 = nginx.as_ref().and_then(|nginx| wrk(&nginx.url, 1, 5));
        let nginx_32 = nginx.as_ref().and_then(|nginx| wrk(&nginx.url, 32, 5));
        let json_server = start_json_server(address, count).await;
        let json_server_query = "/hunts?type=sipuser&objmode=spq&_sort=priority,code&_order=desc,asc&_start=50&_limit=50";
        let json_1 = json_server
            .as_ref()
            .and_then(|server| wrk(&format!("{}{json_server_query}", server.url), 1, 5));
        let json_32 = json_server
            .as_ref()
            .and_then(|server| wrk(&format!("{}{json_server_query}", server.url), 32, 5));
        let cell = |figures: &Option<Wrk>| match figures {
            Some(w) => format!(
                "{:.1} req/s, p50 {}, p99 {} ({})",
                w.requests_per_second, w.p50, w.p99, w.errors
            ),
            None => "not measured (tool missing)".to_owned(),
        };
        for (name, one, many) in [
            ("reference server", &ours_1, &ours_32),
            ("json-server 0.17.4, same data", &json_1, &json_32),
            ("nginx, the same page as a file", &nginx_1, &nginx_32),
        ] {
            let _ = writeln!(report.text, "| {name} | {} | {} |", cell(one), cell(many));
            println!(
                "{name:<34} 1 conn: {}\n{:<34} 32 conn: {}",
                cell(one),
                "",
                cell(many)
            );
        }
        if let (Some(ours), Some(nginx)) = (&ours_32, &nginx_32) {
            let ratio = ours.requests_per_second / nginx.requests_per_second;
            let verdict = if ratio >= 0.2 { "ok" } else { "MISSED" };
            if ratio < 0.2 {
                report
                    .misses
                    .push(format!("32 connections: {:.0}% of nginx", ratio * 100.0));
            }
            let _ = writeln!(
                report.text,
                "\n32 connections: {:.1}% of nginx (goal at least 20%) {verdict}",
                ratio * 100.0
            );
            println!(
                "32 connections: {:.1}% of nginx (goal at least 20%) {verdict}",
                ratio * 100.0
            );
        }
        if let (Some(ours), Some(json)) = (&ours_1, &json_1) {
            let _ = writeln!(
                report.text,
                "1 connection: {:.1}x json-server",
                ours.requests_per_second / json.requests_per_second
            );
            println!(
                "1 connection: {:.1}x json-server",
                ours.requests_per_second / json.requests_per_second
            );
        }
    } else {
        println!("wrk is missing: throughput not measured (`cargo xtask bench` installs it)");
    }

    // The largest list, streamed.
    let sent = Instant::now();
    let all = Connection::open(address)
        .await
        .exchange(&get(&format!("{HUNTS_PATH}?limit={count}")))
        .await;
    let _ = writeln!(
        report.text,
        "\n- `limit={count}`: {:.1} MB in {:.2} s",
        all.body.len() as f64 / 1e6,
        sent.elapsed().as_secs_f64()
    );
    println!(
        "list of all {count}: {:.1} MB in {:.2} s",
        all.body.len() as f64 / 1e6,
        sent.elapsed().as_secs_f64()
    );
    drop(all);
    let peak = server.peak_memory_mb();
    let verdict = if peak <= 128.0 { "ok" } else { "MISSED" };
    if peak > 128.0 {
        report.misses.push(format!("peak memory {peak:.0} MB"));
    }
    let _ = writeln!(
        report.text,
        "- the server's peak memory over the whole run: {peak:.1} MB (goal at most 128 MB) {verdict}"
    );
    println!("server peak memory over the whole run: {peak:.1} MB (goal <= 128 MB) {verdict}");

    delivery(&server, &mut report).await;
    drop(server);

    history_figures(count, &dist, &mut report).await;
    live_figures(count, &dist, &mut report).await;

    match std::env::var("HUNTS_BENCH_POSTGRES") {
        Ok(url) => on_postgres(&url, count, &dist, &mut report).await,
        Err(_) => {
            println!("\nno PostgreSQL named (HUNTS_BENCH_POSTGRES): its figures are left out");
        }
    }

    println!("\n--- Markdown for the README ---\n{}", report.text);
    if report.misses.is_empty() {
        println!("every goal met");
    } else {
        println!("missed: {}", report.misses.join("; "));
    }
}

/// The same table on PostgreSQL: seeded through POST, then list and LOOKUP at one connection,
/// throughput at 32 connections with one instance and with two, and an instance's memory.
async fn on_postgres(cluster: &str, count: u64, dist: &Path, report: &mut Report) {
    let (client, connection) = tokio_postgres::connect(cluster, tokio_postgres::NoTls)
        .await
        .expect("the bench cluster answers");
    tokio::spawn(connection);
    let database = format!("hunts_bench_{}", std::process::id());
    client
        .batch_execute(&format!("CREATE DATABASE {database}"))
        .await
        .unwrap();
    let url = format!("{}/{database}", cluster.rsplit_once('/').unwrap().0);
    let first = Server::start_on(std::ffi::OsStr::new(&url), dist);
    let writers = 8;
    let seconds = seed_through(first.address, count, writers).await;
    println!(
        "\nPostgreSQL: seeded {count} hunts through POST in {seconds:.1} s ({:.0} creates/s, {writers} connections)",
        count as f64 / seconds
    );
    // The statistics, on the bench's own database (the server analyses at start, before the
    // seeding).
    let (bench_client, bench_connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(bench_connection);
    bench_client.batch_execute("VACUUM ANALYZE").await.ok();
    let second = Server::start_on(std::ffi::OsStr::new(&url), dist);

    let mut connection = Connection::open(first.address).await;
    let sample: Value = serde_json::from_slice(
        &connection
            .exchange(&get(&format!(
                "{HUNTS_PATH}?offset={}&limit=1&mask=code",
                count / 2
            )))
            .await
            .body,
    )
    .unwrap();
    let code = sample[0]["code"].as_str().unwrap().to_owned();
    let headline_filter = r#"{"type":"sipuser","objmode":"spq"}"#;
    let headline_order = r#"[{"priority":"desc"},"code"]"#;
    let headline = list_path(Some(headline_filter), Some(headline_order), 50, 50);
    let budget = Duration::from_millis(1500);
    let _ = writeln!(
        report.text,
        "\nOn PostgreSQL ({count} hunts, seeded at {:.0} creates/s):\n\n| request (1 connection) | p50 | p99 | requests | goal |\n|---|---|---|---|---|",
        count as f64 / seconds
    );
    let headline_request = headline.clone();
    let measured = latency(first.address, budget, |_| get(&headline_request)).await;
    // Issue 28's goal: 5 ms (remembered answers, checked against the change counter).
    report.row(
        "PostgreSQL list: the issue's request",
        &measured,
        Duration::from_millis(5),
    );
    let plain = list_path(None, None, count / 2, 50);
    let measured = latency(first.address, budget, |_| get(&plain)).await;
    report.row(
        "PostgreSQL list: creation order, offset N/2",
        &measured,
        Duration::from_millis(10),
    );
    let lookup_body = Value::String(code).to_string();
    let measured = latency(first.address, budget, |_| {
        format!(
            "LOOKUP {HUNTS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{lookup_body}",
            lookup_body.len()
        )
        .into_bytes()
    })
    .await;
    report.row(
        "PostgreSQL LOOKUP by code",
        &measured,
        Duration::from_millis(2),
    );

    if has("wrk") {
        // One instance, then both, five times in turn, the same wrk (two threads, 32
        // connections) either way; the median of each, since one 5-second run swings by 10%.
        let rate = |run: &Option<Wrk>| run.as_ref().map_or(0.0, |run| run.requests_per_second);
        let (mut ones, mut boths) = (Vec::new(), Vec::new());
        let mut one = None;
        for _ in 0..5 {
            let run = wrk(&first.url(&headline), 32, 5);
            ones.push(rate(&run));
            one = one.or(run);
            boths.push(rate(&wrk_across(
                first.address,
                second.address,
                &headline,
                5,
            )));
        }
        let median = |mut rates: Vec<f64>| {
            rates.sort_by(f64::total_cmp);
            rates[rates.len() / 2]
        };
        let (one_rate, both) = (median(ones.clone()), median(boths.clone()));
        // Issue 28's goals: 5,000 req/s on one instance; two at least as fast together (both
        // share these two cores with the database and wrk, so a second instance adds no core).
        let verdict = |ok: bool, what: &str, report: &mut Report| {
            if !ok {
                report.misses.push(what.to_owned());
            }
            if ok { "ok" } else { "MISSED" }
        };
        let one_ok = verdict(one_rate >= 5000.0, "PostgreSQL req/s, one instance", report);
        // Two instances on the cores one already fills can at best match it: the ratio of the
        // medians is printed, and one instance's runs beside it, for their spread.
        let two_ok = verdict(both >= one_rate, "PostgreSQL req/s, two instances", report);
        let _ = writeln!(
            report.text,
            "\n- 32 connections on the issue's list, one wrk: one instance {one_rate:.0} req/s (median of {ones:.0?}; p99 {}; goal at least 5,000) {one_ok}; two instances, a wrk thread on each, {both:.0} req/s together (median of {boths:.0?}, {:.1}% of one; goal: at least as fast as one; the database, both instances and wrk share these two cores, so a second instance adds no core) {two_ok}",
            one.as_ref().map_or("?".to_owned(), |run| run.p99.clone()),
            both / one_rate * 100.0,
        );
        println!(
            "PostgreSQL, 32 connections: one instance {one_rate:.0} req/s {ones:.0?} (goal >= 5,000) {one_ok}; two instances {both:.0} req/s {boths:.0?}, {:.1}% of one (goal: at least as one) {two_ok}",
            both / one_rate * 100.0
        );
    }
    // Issue 27: a write through one instance, its event at clients of the other.
    let mut streams = Vec::new();
    for _ in 0..TIMED {
        streams.push(open_stream(second.address, true).await);
    }
    let mut delays = event_delays(first.address, &mut streams).await;
    delays.sort();
    let (p50, p99) = (delays[delays.len() / 2], delays[delays.len() * 99 / 100]);
    let met = p99 <= Duration::from_millis(250);
    if !met {
        report
            .misses
            .push("live changes across two instances: event p99".to_owned());
    }
    let line = format!(
        "- live changes across two instances: a write through one, its event at {TIMED} clients of the other p50 {}, p99 {} (goal at most 250 ms) {}",
        ms(p50),
        ms(p99),
        if met { "ok" } else { "MISSED" }
    );
    println!("{line}");
    let _ = writeln!(report.text, "{line}");
    drop(streams);
    let peak = first.peak_memory_mb();
    let _ = writeln!(report.text, "- an instance's peak memory: {peak:.1} MB");
    println!("PostgreSQL: an instance's peak memory {peak:.1} MB");
    drop(first);
    drop(second);
    client
        .batch_execute(&format!("DROP DATABASE {database}"))
        .await
        .ok();
}

async fn ids_of(address: SocketAddr, count: usize) -> Vec<String> {
    let answer = Connection::open(address)
        .await
        .exchange(&get(&format!("{HUNTS_PATH}?mask=id&limit={count}")))
        .await;
    let hunts: Vec<Value> = serde_json::from_slice(&answer.body).unwrap();
    hunts
        .iter()
        .map(|hunt| hunt["id"].as_str().unwrap().to_owned())
        .collect()
}

/// What a browser transfers: a first visit (index.html and every file it names, compressed as
/// the browser accepts) and a repeat visit (index.html revalidated; hashed files from cache).
async fn delivery(server: &Server, report: &mut Report) {
    let mut connection = Connection::open(server.address).await;
    let accept = "Accept-Encoding: br, gzip\r\n";
    let index = connection.exchange(&get_with("/", accept)).await;
    let plain = connection.exchange(&get("/")).await;
    let html = String::from_utf8_lossy(&plain.body).into_owned();
    let mut first = index.body.len();
    let mut lines = vec![format!(
        "index.html {} B ({})",
        index.body.len(),
        index.header("cache-control").unwrap_or("no cache-control")
    )];
    let mut assets = Vec::new();
    for piece in html.split(['"', '\'']) {
        if (piece.ends_with(".js") || piece.ends_with(".wasm") || piece.ends_with(".css"))
            && piece.starts_with('/')
            && !assets.contains(&piece.to_owned())
        {
            assets.push(piece.to_owned());
        }
    }
    let mut all_immutable = true;
    for asset in &assets {
        let answer = connection.exchange(&get_with(asset, accept)).await;
        first += answer.body.len();
        let cache = answer.header("cache-control").unwrap_or("none").to_owned();
        all_immutable &= cache.contains("immutable");
        lines.push(format!(
            "{asset} {} B ({}, {cache})",
            answer.body.len(),
            answer.header("content-encoding").unwrap_or("identity")
        ));
    }
    // A repeat visit: the browser revalidates index.html; hashed files it keeps.
    let last_modified = index.header("last-modified").unwrap_or("").to_owned();
    let mut repeat_request = accept.to_owned();
    if !last_modified.is_empty() {
        repeat_request += &format!("If-Modified-Since: {last_modified}\r\n");
    }
    let repeat = connection.exchange(&get_with("/", &repeat_request)).await;
    let mut repeat_bytes = repeat.body.len();
    if !all_immutable {
        for asset in &assets {
            repeat_bytes += connection
                .exchange(&get_with(asset, accept))
                .await
                .body
                .len();
        }
    }
    let _ = writeln!(
        report.text,
        "\nDelivery: a first visit transfers {:.1} kB of bodies, a repeat visit {:.1} kB (index.html answered {}).",
        first as f64 / 1000.0,
        repeat_bytes as f64 / 1000.0,
        repeat.status
    );
    println!(
        "first visit: {:.1} kB; repeat visit: {:.1} kB (index.html {})",
        first as f64 / 1000.0,
        repeat_bytes as f64 / 1000.0,
        repeat.status
    );
    for line in lines {
        println!("  {line}");
    }
}

struct Other {
    url: String,
    child: Child,
    folder: PathBuf,
}

impl Drop for Other {
    fn drop(&mut self) {
        // SIGTERM first: nginx's master then stops its workers, which a SIGKILL of the master
        // left running (and loading the machine through every later run).
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline && matches!(self.child.try_wait(), Ok(None)) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// nginx (Debian's) serving the page as a file, from a folder of its own.
fn start_nginx(page: &[u8]) -> Option<Other> {
    let nginx = ["/usr/sbin/nginx", "nginx"].into_iter().find(|program| {
        Command::new(program)
            .arg("-v")
            .stderr(Stdio::null())
            .status()
            .is_ok()
    })?;
    let folder = std::env::temp_dir().join(format!("hunts-bench-nginx-{}", std::process::id()));
    std::fs::create_dir_all(folder.join("www")).ok()?;
    std::fs::write(folder.join("www/page.json"), page).ok()?;
    let port = free_port();
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .ok()
        .is_some_and(|out| out.stdout.starts_with(b"0\n"));
    let config = format!(
        "{user}daemon off; worker_processes auto; pid {dir}/nginx.pid; error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; client_body_temp_path {dir}/tmp; proxy_temp_path {dir}/tmp;
  fastcgi_temp_path {dir}/tmp; uwsgi_temp_path {dir}/tmp; scgi_temp_path {dir}/tmp;
  server {{ listen 127.0.0.1:{port}; root {dir}/www; default_type application/json; }} }}",
        user = if is_root { "user root; " } else { "" },
        dir = folder.display()
    );
    std::fs::create_dir_all(folder.join("tmp")).ok()?;
    std::fs::write(folder.join("nginx.conf"), config).ok()?;
    let mut nginx = Command::new(nginx);
    nginx
        .args(["-p"])
        .arg(&folder)
        .arg("-c")
        .arg(folder.join("nginx.conf"));
    serve(nginx, port, "/page.json", folder)
}

/// Starts `command`, which listens on `port`, and waits until it does.
fn serve(mut command: Command, port: u16, path: &str, folder: PathBuf) -> Option<Other> {
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let address: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    wait_for(address);
    Some(Other {
        url: format!("http://{address}{path}"),
        child,
        folder,
    })
}

/// json-server 0.17.4 (installed into `.tools/` by `cargo xtask bench`) over the same hunts.
async fn start_json_server(address: SocketAddr, count: u64) -> Option<Other> {
    let program = workspace().join(".tools/node_modules/.bin/json-server");
    if !program.exists() {
        println!(
            "json-server is missing: its column is left out (`cargo xtask bench` installs it)"
        );
        return None;
    }
    let folder = std::env::temp_dir().join(format!("hunts-bench-json-{}", std::process::id()));
    std::fs::create_dir_all(&folder).ok()?;
    let all = Connection::open(address)
        .await
        .exchange(&get(&format!("{HUNTS_PATH}?limit={count}&mask={}", encode_component("id,code,phonenumber,priority,type,resources,strategy,resmode,objmode,weight,wivrscript,qivrscript,preivrscript,reslimit,maxattempts,maxattemptstrannumber,timeout,timeouttrannumber,resdialtimeout,displayname,huntblock,resbansec,opts,ext"))))
        .await;
    let mut db = b"{\"hunts\":".to_vec();
    db.extend_from_slice(&all.body);
    db.extend_from_slice(b"}");
    std::fs::write(folder.join("db.json"), db).ok()?;
    let port = free_port();
    let mut json_server = Command::new(program);
    json_server
        .arg(folder.join("db.json"))
        .args(["--port", &port.to_string(), "--quiet"]);
    serve(json_server, port, "", folder)
}

/// Revisions in the history figures' database: the seeded hunts' own, and changes to them.
const REVISIONS: u64 = 1_000_000;

/// The seeded hunts with `REVISIONS` revisions in all, made once from the seeded database by
/// SQL (changes by four people, a fifth of them in bulk change sets of 50) and kept.
fn history_database(count: u64) -> PathBuf {
    let folder = workspace().join("target/bench-scale");
    let kept = folder.join(format!(
        "hunts-{count}-revisions-{REVISIONS}-v{}.db",
        hunts_server::store::SCHEMA_VERSION
    ));
    if kept.exists() {
        return kept;
    }
    let hunts = folder.join(format!(
        "hunts-{count}-v{}.db",
        hunts_server::store::SCHEMA_VERSION
    ));
    let making = folder.join("making-revisions.db");
    std::fs::copy(&hunts, &making).unwrap();
    let _ = std::fs::remove_file(folder.join("making-revisions.db-wal"));
    let start = Instant::now();
    let connection = rusqlite::Connection::open(&making).unwrap();
    let rounds = REVISIONS.div_ceil(count).saturating_sub(1);
    for round in 1..=rounds {
        connection
            .execute(
                "INSERT INTO revisions (id, code, revision, at, by, action, change_set, patch, hunt)
                 SELECT id, code, revision + ?1, at,
                     CASE seq % 4 WHEN 0 THEN 'ann' WHEN 1 THEN 'bob' WHEN 2 THEN 'cho' ELSE 'dee' END,
                     'change',
                     CASE WHEN seq % 5 = 0 THEN 'bulk ' || ?1 || ' ' || (seq / 250) ELSE NULL END,
                     '{\"weight\":' || (?1 % 9 + 1) || '}', hunt
                 FROM revisions WHERE revision = 1 ORDER BY seq",
                [round as i64],
            )
            .unwrap();
    }
    // Each hunt is held by its newest revision (`hunts.head`), as the store's writes keep it.
    connection
        .execute(
            "UPDATE hunts SET head = (SELECT max(seq) FROM revisions r WHERE r.id = hunts.id)",
            [],
        )
        .unwrap();
    drop(connection);
    std::fs::rename(&making, &kept).unwrap();
    println!(
        "made {REVISIONS} revisions by SQL in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    kept
}

/// Issue 26's figures: a hunt's history and pages of Recent changes at `REVISIONS` revisions,
/// and durable PATCHes with history beside the same run without it.
async fn history_figures(count: u64, dist: &Path, report: &mut Report) {
    let db = history_database(count);
    let server = Server::start(&db, dist);
    let address = server.address;
    let _ = writeln!(
        report.text,
        "\nHistory ({count} hunts, {REVISIONS} revisions):\n\n| request (1 connection) | p50 | p99 | requests | goal |\n|---|---|---|---|---|"
    );
    println!("\nHistory: {count} hunts, {REVISIONS} revisions");
    let ids = ids_of(address, 1000).await;
    let budget = Duration::from_millis(1500);
    let hunt_goal = Duration::from_millis(5);
    let page_goal = Duration::from_millis(10);
    let measured = latency(address, budget, |n| {
        get(&format!(
            "{HUNTS_PATH}/{}/history?limit=21",
            ids[n % ids.len()]
        ))
    })
    .await;
    report.row(
        "a hunt's history page (its newest 21 revisions)",
        &measured,
        hunt_goal,
    );
    let middle = REVISIONS / 2;
    let set = format!("bulk 3 {}", count / 500);
    for (what, query) in [
        ("Recent changes: the newest 100", "limit=100".to_owned()),
        (
            "Recent changes: 100 older than the middle",
            format!("before={middle}&limit=100"),
        ),
        (
            "Recent changes: by one person",
            "by=bob&limit=100".to_owned(),
        ),
        (
            "Recent changes: by one person, older than the middle",
            format!("by=bob&before={middle}&limit=100"),
        ),
        (
            "Recent changes: one hunt",
            format!("id={}&limit=100", ids[7]),
        ),
        (
            "Recent changes: one change set",
            format!("change_set={}&limit=100", encode_component(&set)),
        ),
        (
            "Recent changes: a change set's count (limit 1)",
            format!("change_set={}&limit=1", encode_component(&set)),
        ),
    ] {
        let path = format!("/rest/v1/uc/history?{query}");
        let measured = latency(address, budget, |_| get(&path)).await;
        report.row(what, &measured, page_goal);
    }
    let path = "/rest/v1/uc/history?limit=1000".to_owned();
    let measured = latency(address, budget, |_| get(&path)).await;
    let _ = writeln!(
        report.text,
        "\n- Recently deleted's step (1,000 revisions, no goal): p50 {}, p99 {}",
        ms(measured.p50),
        ms(measured.p99)
    );
    println!(
        "{:<70} p50 {:>9}  p99 {:>9}",
        "Recently deleted's step (1,000 revisions, no goal)",
        ms(measured.p50),
        ms(measured.p99)
    );
    let peak = server.peak_memory_mb();
    let verdict = if peak <= 128.0 { "ok" } else { "MISSED" };
    if peak > 128.0 {
        report
            .misses
            .push(format!("history peak memory {peak:.1} MB"));
    }
    let _ = writeln!(
        report.text,
        "- the server's peak memory with {REVISIONS} revisions: {peak:.1} MB (goal at most 128 MB) {verdict}"
    );
    println!("history: server peak memory {peak:.1} MB (goal <= 128 MB) {verdict}");
    drop(server);
    history_write_cost(count, dist, report).await;
}

/// What history costs a write: durable PATCHes, 8 connections, with history and without, in six
/// pairs run back to back (which goes first alternates), each pair giving a ratio; the median
/// ratio is the figure, since the machine's pace drifts between pairs more than within one
/// (`HUNTS_BENCH_ONLY_PATCHES=1` runs this alone).
async fn history_write_cost(count: u64, dist: &Path, report: &mut Report) {
    const PAIRS: usize = 6;
    let mut pairs = Vec::new();
    for pair in 0..PAIRS {
        let mut rates = [0.0; 2];
        for turn in 0..2 {
            let keeps = (pair + turn) % 2 == 0;
            let copy = seeded_database(count, dist).await;
            let server = match keeps {
                true => Server::start(&copy, dist),
                false => Server::start_with(copy.as_os_str(), dist, &["--without-history"]),
            };
            rates[usize::from(!keeps)] =
                patches_per_second(server.address, Duration::from_secs(4)).await;
        }
        pairs.push(rates);
    }
    let mut fewer: Vec<f64> = pairs
        .iter()
        .map(|[with, without]| (1.0 - with / without) * 100.0)
        .collect();
    fewer.sort_by(f64::total_cmp);
    let median = (fewer[PAIRS / 2 - 1] + fewer[PAIRS / 2]) / 2.0;
    let mean = |at: usize| pairs.iter().map(|rates| rates[at]).sum::<f64>() / PAIRS as f64;
    let (with, without) = (mean(0), mean(1));
    let (low, high) = (fewer[0], fewer[PAIRS - 1]);
    let verdict = if median <= 10.0 { "ok" } else { "MISSED" };
    if median > 10.0 {
        report
            .misses
            .push(format!("PATCH/s with history {median:.1}% fewer"));
    }
    let _ = writeln!(
        report.text,
        "- durable PATCH, 8 connections: {with:.0}/s with history, {without:.0}/s without; {median:.1}% fewer, the median of {PAIRS} pairs ({low:.1} to {high:.1}%; goal at most 10%) {verdict}"
    );
    println!(
        "durable PATCH/s, 8 connections: {with:.0} with history, {without:.0} without; {median:.1}% fewer, median of {PAIRS} pairs ({low:.1} to {high:.1}%), goal <= 10% {verdict}"
    );
}

/// Durable PATCHes per second, 8 connections each changing its own hunts, for `time`.
async fn patches_per_second(address: SocketAddr, time: Duration) -> f64 {
    let ids = ids_of(address, 1000).await;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..8 {
        let ids = ids.clone();
        tasks.push(tokio::spawn(async move {
            let mut connection = Connection::open(address).await;
            let mut done = 0;
            while start.elapsed() < time {
                let id = &ids[(client * 997 + done) % ids.len()];
                let answer = connection
                    .exchange(&with_body(
                        "PATCH",
                        &format!("{HUNTS_PATH}/{id}"),
                        &format!("{{\"weight\": {}}}", done % 10 + 1),
                    ))
                    .await;
                assert_eq!(answer.status, 200);
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    total as f64 / start.elapsed().as_secs_f64()
}

/// Writes through `writer` one at a time, each answered before the next, while the `timed`
/// streams follow (the k-th event is the k-th write's): each event's delay from its write's
/// answer. Every stream must have every event, once.
async fn event_delays(
    writer: SocketAddr,
    timed: &mut [tokio::sync::mpsc::UnboundedReceiver<Instant>],
) -> Vec<Duration> {
    let ids = ids_of(writer, 200).await;
    let mut connection = Connection::open(writer).await;
    let mut committed = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let answer = connection
            .exchange(&with_body(
                "PATCH",
                &format!("{HUNTS_PATH}/{id}"),
                &format!("{{\"weight\": {}}}", n % 9 + 1),
            ))
            .await;
        assert_eq!(answer.status, 200);
        committed.push(Instant::now());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut delays = Vec::new();
    for arrivals in timed {
        let mut at = 0;
        while let Ok(arrived) = arrivals.try_recv() {
            if let Some(write) = committed.get(at) {
                delays.push(arrived.saturating_duration_since(*write));
            }
            at += 1;
        }
        assert_eq!(at, committed.len(), "every stream had every event, once");
    }
    delays
}

/// Streams of live changes the live figures hold open.
const STREAMS: usize = 1000;
/// Of them, how many time each event's arrival (the rest read and drop).
const TIMED: usize = 50;

/// One stream of live changes, open: each event's arrival time, in order, while `timed`.
async fn open_stream(
    address: SocketAddr,
    timed: bool,
) -> tokio::sync::mpsc::UnboundedReceiver<Instant> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(
            format!("GET {HUNTS_PATH}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes(),
        )
        .await
        .unwrap();
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = stream.read(&mut buffer).await.unwrap();
        assert!(read > 0, "the stream closed before its headers");
        head.extend_from_slice(&buffer[..read]);
    }
    assert!(
        head.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&head)
    );
    let (arrived, arrivals) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok(read) = stream.read(&mut buffer).await else {
                return;
            };
            if read == 0 {
                return;
            }
            if timed {
                let now = Instant::now();
                let events = buffer[..read]
                    .windows(6)
                    .filter(|window| window == b"event:")
                    .count();
                for _ in 0..events {
                    let _ = arrived.send(now);
                }
            }
        }
    });
    arrivals
}

/// Issue 27's figures: from a committed write to its event at a client with `STREAMS` open,
/// the memory a stream holds, and the list's p99 with them open.
async fn live_figures(count: u64, dist: &Path, report: &mut Report) {
    let copy = seeded_database(count, dist).await;
    let server = Server::start_with(copy.as_os_str(), dist, &["--max-streams", "1100"]);
    let address = server.address;
    let list = list_path(None, None, 0, 50);
    let budget = Duration::from_millis(1500);
    let quiet = latency(address, budget, |_| get(&list)).await;
    let before = server.memory_mb();
    let mut timed = Vec::new();
    let mut untimed = Vec::new();
    for n in 0..STREAMS {
        let arrivals = open_stream(address, n < TIMED).await;
        if n < TIMED {
            timed.push(arrivals);
        } else {
            untimed.push(arrivals);
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let per_stream_kb = (server.memory_mb() - before) * 1024.0 / STREAMS as f64;
    let busy = latency(address, budget, |_| get(&list)).await;

    let mut delays = event_delays(address, &mut timed).await;
    delays.sort();
    let p99 = delays[delays.len() * 99 / 100];
    let p50 = delays[delays.len() / 2];
    let delay_goal = Duration::from_millis(50);
    let grew = busy.p99.as_secs_f64() / quiet.p99.as_secs_f64() - 1.0;
    let verdicts = [
        (p99 <= delay_goal, "event p99"),
        (per_stream_kb <= 16.0, "memory per stream"),
        (grew <= 0.10, "list p99 with streams open"),
    ];
    for (met, what) in verdicts {
        if !met {
            report.misses.push(format!("live changes: {what}"));
        }
    }
    let verdict = |met: bool| if met { "ok" } else { "MISSED" };
    let lines = [
        format!(
            "- live changes, {STREAMS} streams open (SQLite): a committed write's event at a client p50 {}, p99 {} (goal at most 50 ms) {}",
            ms(p50),
            ms(p99),
            verdict(verdicts[0].0)
        ),
        format!(
            "- memory per open stream {per_stream_kb:.1} kB (goal at most 16 kB) {}",
            verdict(verdicts[1].0)
        ),
        format!(
            "- the list's p99 {} with the streams open, {} without ({:+.1}%, goal at most +10%) {}",
            ms(busy.p99),
            ms(quiet.p99),
            grew * 100.0,
            verdict(verdicts[2].0)
        ),
    ];
    for line in lines {
        println!("{line}");
        let _ = writeln!(report.text, "{line}");
    }
    drop(untimed);
    drop(server);
}
