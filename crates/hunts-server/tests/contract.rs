//! The contract suite with sign-in off (see `contract/suite.rs`).

#[allow(dead_code)]
#[path = "support/postgres.rs"]
mod postgres;
#[path = "contract/suite.rs"]
mod suite;
#[path = "support/temp_folder.rs"]
mod temp_folder;

const MODE: suite::Mode = suite::Mode::Open;
