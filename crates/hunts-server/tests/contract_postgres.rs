//! The contract suite on PostgreSQL, each test on a database of its own (see `contract/suite.rs`).

#[path = "support/postgres.rs"]
mod postgres;
#[path = "contract/suite.rs"]
mod suite;

const MODE: suite::Mode = suite::Mode::Postgres;
