//! The contract suite with sign-in off (see `contract/suite.rs`).

#[path = "contract/suite.rs"]
mod suite;

const MODE: suite::Mode = suite::Mode::Open;
