//! Counts of matching hunts this instance has made, each with the number of committed changes
//! (`hunts_changes.n`, read in the list's own snapshot) it was counted at: good while that
//! number holds, whichever instance wrote since.

/// Counts of matching hunts this instance has made, each with the number of changes
/// (`hunts_changes.n`) it was counted at: good while that number holds.
#[derive(Default)]
pub struct Counts(pub std::collections::HashMap<String, (i64, i64)>);

/// Filters remembered at most; past it the memory is simply cleared.
pub const MAX_COUNTS: usize = 4096;
