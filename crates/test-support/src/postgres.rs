//! The throwaway PostgreSQL the tests use: `cargo xtask test` starts a cluster in a temporary
//! folder and names it in `HUNTS_TEST_POSTGRES`; each test takes a database of its own there.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The cluster's URL (its `postgres` database). Without one the test fails, saying how to get
/// one: a test that quietly skipped would pass without having tested anything.
pub fn cluster_url() -> String {
    std::env::var("HUNTS_TEST_POSTGRES").unwrap_or_else(|_| {
        panic!(
            "no PostgreSQL to test against: run `cargo xtask test`, which starts a throwaway \
             one, or set HUNTS_TEST_POSTGRES=postgres://user@host:port/postgres"
        )
    })
}

/// A new, empty database on the test cluster; its URL.
pub async fn fresh_database(name: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let url = cluster_url();
    let database = format!(
        "hunts_{}_{}_{}",
        name,
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .expect("the test cluster answers");
    tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE DATABASE {database}"))
        .await
        .unwrap();
    let base = url.rsplit_once('/').expect("a URL with a database").0;
    format!("{base}/{database}")
}
