//! The contract suite signed in as an admin, through a session cookie (see `contract/suite.rs`).

use test_support::postgres;
#[path = "contract/suite.rs"]
mod suite;
use test_support::temp_folder;

const MODE: suite::Mode = suite::Mode::SignedInAdmin;
