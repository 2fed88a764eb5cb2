//! A hunt's ETag and the `ext` timestamps a write gives it.

use std::time::{Duration, SystemTime};

/// The ETag of a hunt's version: its row number and its version there.
pub fn etag(seq: i64, version: i64) -> String {
    format!("\"{seq}.{version}\"")
}

/// Now, as `ext` timestamps are written (RFC 3339, UTC, milliseconds).
pub fn now_timestamp() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}

/// Now, or a millisecond past the previous write when the clock has not moved on by a whole
/// millisecond (timestamps keep milliseconds) or went back, so `ext.lwt` always advances.
pub fn advanced_timestamp(previous: &str) -> String {
    let now = whole_millis(SystemTime::now());
    let next = match humantime::parse_rfc3339(previous) {
        Ok(previous) if previous >= now => whole_millis(previous) + Duration::from_millis(1),
        _ => now,
    };
    humantime::format_rfc3339_millis(next).to_string()
}

/// Milliseconds since 1970: a first version no earlier ETag of a reused `seq` carried.
pub fn millis_now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| since.as_millis() as i64)
}

fn whole_millis(time: SystemTime) -> SystemTime {
    let since_epoch = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    SystemTime::UNIX_EPOCH + Duration::from_millis(since_epoch.as_millis() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_written_always_advances_by_at_least_a_millisecond() {
        // Within the same millisecond, in the future (clock went back), and in the past.
        let now = humantime::format_rfc3339_millis(SystemTime::now()).to_string();
        let future =
            humantime::format_rfc3339_millis(SystemTime::now() + Duration::from_secs(3600))
                .to_string();
        for previous in [now.as_str(), future.as_str(), "2019-08-26T10:20:58.50Z"] {
            for _ in 0..1000 {
                let next = advanced_timestamp(previous);
                assert!(next.as_str() > previous, "{next} after {previous}");
            }
        }
    }
}
