//! The contract suite on PostgreSQL, each test on a database of its own (see `contract/suite.rs`).

use test_support::postgres;
#[path = "contract/suite.rs"]
mod suite;
use test_support::temp_folder;

const MODE: suite::Mode = suite::Mode::Postgres;
