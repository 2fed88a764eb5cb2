//! The history's retention: revisions older than the server keeps them are dropped in the
//! background, once at start and then every hour, never a live hunt's latest (`--history-days`).

use std::time::{Duration, SystemTime};

use crate::store::Store;

/// How often old revisions are looked for.
const EVERY: Duration = Duration::from_secs(60 * 60);

/// Drops, for as long as the server runs, the revisions older than `keep`.
pub async fn keep_for(store: Store, keep: Duration) {
    loop {
        let cutoff = SystemTime::now()
            .checked_sub(keep)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        let cutoff = humantime::format_rfc3339_millis(cutoff).to_string();
        match store.drop_history_before(cutoff.clone()).await {
            Ok(0) => {}
            Ok(dropped) => tracing::info!(dropped, %cutoff, "dropped revisions past retention"),
            Err(error) => tracing::warn!(%error, "revisions past retention could not be dropped"),
        }
        tokio::time::sleep(EVERY).await;
    }
}
