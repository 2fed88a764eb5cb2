//! The contract suite with sign-in off (see `contract/suite.rs`).

use test_support::postgres;
#[path = "contract/suite.rs"]
mod suite;
use test_support::temp_folder;

const MODE: suite::Mode = suite::Mode::Open;
