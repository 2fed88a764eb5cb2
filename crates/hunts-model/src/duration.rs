//! Durations in whole seconds as people read and type them: "45 s", "2 min", "1 h 30 min".
//! The platform stores seconds; the pages show and take these.

const UNITS: [(u64, &str); 3] = [(3600, "h"), (60, "min"), (1, "s")];

/// What a seconds field takes wherever it is typed (form, bulk change, filter, import), in
/// words for its message.
pub const ACCEPTED: &str = "a number of seconds, or 90 s, 2 min, 1 h 30 min";

/// The seconds in the largest units that say them exactly: 45 → "45 s", 120 → "2 min",
/// 5400 → "1 h 30 min", 90 → "1 min 30 s", 0 → "0 s".
pub fn format_seconds(seconds: u64) -> String {
    if seconds == 0 {
        return "0 s".to_owned();
    }
    let mut rest = seconds;
    let mut parts = Vec::new();
    for (size, unit) in UNITS {
        if rest >= size {
            parts.push(format!("{} {unit}", rest / size));
            rest %= size;
        }
    }
    parts.join(" ")
}

/// What someone typed for a duration: a bare number of seconds ("30"), or numbers with units
/// ("2 min", "90s", "1 h 30 min", "1hour"), units in any case and any order. `None` for anything
/// else (the model then refuses the text with its own message) and for more than fits in `u32`
/// seconds, the platform's largest count.
pub fn parse_seconds(text: &str) -> Option<u64> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return (seconds <= u64::from(u32::MAX)).then_some(seconds);
    }
    let mut total: u64 = 0;
    let mut rest = text;
    let mut any = false;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let number: u64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let letters = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let size = unit_size(&rest[..letters].to_ascii_lowercase())?;
        total = total.checked_add(number.checked_mul(size)?)?;
        rest = rest[letters..].trim_start();
        any = true;
    }
    (any && total <= u64::from(u32::MAX)).then_some(total)
}

fn unit_size(unit: &str) -> Option<u64> {
    match unit {
        "s" | "sec" | "secs" | "second" | "seconds" => Some(1),
        "m" | "min" | "mins" | "minute" | "minutes" => Some(60),
        "h" | "hr" | "hrs" | "hour" | "hours" => Some(3600),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_as_people_write_it() {
        assert_eq!(format_seconds(45), "45 s");
        assert_eq!(format_seconds(120), "2 min");
        assert_eq!(format_seconds(90), "1 min 30 s");
        assert_eq!(format_seconds(5400), "1 h 30 min");
        assert_eq!(format_seconds(7200), "2 h");
        assert_eq!(format_seconds(0), "0 s");
        for (typed, seconds) in [
            ("30", Some(30)),
            (" 2 min ", Some(120)),
            ("90s", Some(90)),
            ("1 h 30 min", Some(5400)),
            ("1hour", Some(3600)),
            ("2 MIN 5 S", Some(125)),
            ("2 weeks", None),
            ("min", None),
            ("2.5 min", None),
            ("-3 s", None),
            ("", None),
            ("99999999999 h", None),
        ] {
            assert_eq!(parse_seconds(typed), seconds, "{typed:?}");
        }
    }
}
