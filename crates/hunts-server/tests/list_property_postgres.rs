//! The list and LOOKUP properties on PostgreSQL, a fresh database per case (see
//! `list_property/cases.rs`).

#[path = "list_property/cases.rs"]
mod cases;
use test_support::postgres;

async fn open_store() -> hunts_server::store::Store {
    let url = postgres::fresh_database("property").await;
    hunts_server::store::Store::connect(&url, Default::default())
        .await
        .unwrap()
}
