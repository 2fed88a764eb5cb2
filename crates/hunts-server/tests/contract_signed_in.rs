//! The contract suite signed in as an admin, through a session cookie (see `contract/suite.rs`).

#[path = "contract/suite.rs"]
mod suite;

const MODE: suite::Mode = suite::Mode::SignedInAdmin;
