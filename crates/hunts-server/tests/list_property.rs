//! The list and LOOKUP properties on SQLite (see `list_property/cases.rs`).

#[path = "list_property/cases.rs"]
mod cases;

async fn open_store() -> hunts_server::store::Store {
    hunts_server::store::Store::open_temporary().unwrap()
}
