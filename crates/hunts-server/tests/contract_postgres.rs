//! The contract suite on PostgreSQL, each test on a database of its own (see `contract/suite.rs`).

#[path = "support/postgres.rs"]
mod postgres;
#[path = "contract/suite.rs"]
mod suite;
#[path = "support/temp_folder.rs"]
mod temp_folder;

const MODE: suite::Mode = suite::Mode::Postgres;
