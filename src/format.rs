//! How values read to an administrator: timestamps in the user's local time and days ("today
//! 14:03"), flags as words, durations in units ("2 min"), counts with what 0 means, all as the
//! field catalog describes the field.

use hunts_model::{FieldPath, Kind};
use serde_json::Value;

/// When something happened, as an administrator reads it, in the browser's locale and time
/// zone: "today 14:03", "yesterday 09:12", else the date; and the exact local time (to the
/// second) for a hover. Read by the browser's `Date.parse` (chrono cost the bundle its parser
/// and calendar for what the browser already has); `None` if the text is not a time.
pub struct When {
    pub text: String,
    pub exact: String,
}

pub fn when(timestamp: &str) -> Option<When> {
    let date = js_sys::Date::new(&at_millis(timestamp)?.into());
    let days = ((today() - local_midnight(&date)) / 86_400_000.0).round();
    let text = match days as i64 {
        0 => format!("today {}", formatted(&TIME, &date)),
        1 => format!("yesterday {}", formatted(&TIME, &date)),
        _ => formatted(&DATE, &date),
    };
    Some(When {
        text,
        exact: formatted(&EXACT, &date),
    })
}

/// How long ago, in words: "now", "5 minutes ago", "yesterday", "3 days ago".
pub fn ago(timestamp: &str) -> Option<String> {
    let seconds = ((js_sys::Date::now() - at_millis(timestamp)?).max(0.0) / 1000.0) as i64;
    let (value, unit) = match seconds {
        0..60 => (seconds, "second"),
        60..3_600 => (seconds / 60, "minute"),
        3_600..86_400 => (seconds / 3_600, "hour"),
        _ => (seconds / 86_400, "day"),
    };
    Some(AGO.with(|format| format.format(-(value as f64), unit).into()))
}

/// A timestamp's milliseconds since the epoch; `None` if it is not a time.
fn at_millis(timestamp: &str) -> Option<f64> {
    Some(js_sys::Date::parse(timestamp)).filter(|millis| millis.is_finite())
}

/// A timestamp's text for a cell; the raw text if it is not one.
pub fn local_time(timestamp: &str) -> String {
    when(timestamp).map_or_else(|| timestamp.to_owned(), |when| when.text)
}

/// Today's local midnight, read from the clock at most once a second (a page of timestamps
/// asks for it once per cell).
fn today() -> f64 {
    thread_local! {
        static TODAY: std::cell::Cell<(f64, f64)> =
            const { std::cell::Cell::new((f64::NEG_INFINITY, 0.0)) };
    }
    let now = js_sys::Date::now();
    TODAY.with(|today| {
        let (read_at, midnight) = today.get();
        if now - read_at < 1_000.0 {
            return midnight;
        }
        let midnight = local_midnight(&js_sys::Date::new_0());
        today.set((now, midnight));
        midnight
    })
}

/// The local midnight that began `date`'s day (days differ by 24 h, give or take an hour of
/// daylight saving: whole days are rounded).
fn local_midnight(date: &js_sys::Date) -> f64 {
    js_sys::Date::new_with_year_month_day(
        date.get_full_year(),
        date.get_month() as i32,
        date.get_date() as i32,
    )
    .get_time()
}

fn formatted(
    format: &'static std::thread::LocalKey<js_sys::Function>,
    date: &js_sys::Date,
) -> String {
    format
        .with(|format| format.call1(&wasm_bindgen::JsValue::UNDEFINED, date))
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

fn intl_options(pairs: &[(&str, &str)]) -> js_sys::Object {
    let options = js_sys::Object::new();
    for (key, value) in pairs {
        let _ = js_sys::Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    options
}

fn date_format(pairs: &[(&str, &str)]) -> js_sys::Function {
    js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &intl_options(pairs)).format()
}

thread_local! {
    // One formatter each for the page's life: making an `Intl` formatter per cell (which
    // `toLocaleString` with options does) cost more than the rest of drawing a row.
    static TIME: js_sys::Function = date_format(&[("timeStyle", "short")]);
    static DATE: js_sys::Function = date_format(&[("dateStyle", "medium")]);
    static EXACT: js_sys::Function = date_format(&[("dateStyle", "medium"), ("timeStyle", "medium")]);
    static AGO: js_sys::Intl::RelativeTimeFormat =
        js_sys::Intl::RelativeTimeFormat::new(&js_sys::Array::new(), &intl_options(&[("numeric", "auto")]));
}

/// Seconds as "45 s", "2 min", "1 h 30 min".
pub fn seconds(seconds: u64) -> String {
    hunts_model::duration::format_seconds(seconds)
}

/// "1 hunt", "2 hunts": a count with its noun, singular for one.
pub fn counted(count: impl Into<u64>, noun: &str) -> String {
    let count = count.into();
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {noun}{plural}")
}

pub fn yes_no(flag: bool) -> &'static str {
    if flag { "yes" } else { "no" }
}

/// "—" for empty text, which reads better than a blank.
pub fn or_dash(text: &str) -> String {
    if text.is_empty() {
        "—".to_owned()
    } else {
        text.to_owned()
    }
}

/// A table cell's (or a filter chip's) text for a value of the flat form.
pub fn cell(path: FieldPath, value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) if path.kind() == Kind::Timestamp => local_time(text),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) if path.field().unit == "s" && number.is_u64() => {
            seconds(number.as_u64().unwrap_or_default())
        }
        Some(Value::Bool(flag)) => yes_no(*flag).to_owned(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| cell(path, Some(item)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// A value of a timestamp field, read: its text and its exact time (what a hover shows).
fn timestamp(path: FieldPath, value: Option<&Value>) -> Option<When> {
    match value {
        Some(Value::String(text)) if path.kind() == Kind::Timestamp => when(text),
        _ => None,
    }
}

/// A table cell's text and its hover, with a timestamp read once for both.
pub fn cell_and_hover(path: FieldPath, value: Option<&Value>) -> (String, Option<String>) {
    match timestamp(path, value) {
        Some(when) => (when.text, Some(when.exact)),
        None => (cell(path, value), None),
    }
}

/// The detail page's text for a field and its hover, with a timestamp read once for both.
pub fn detail_and_hover(path: FieldPath, value: Option<&Value>) -> (String, Option<String>) {
    match timestamp(path, value) {
        Some(when) => (when.text, Some(when.exact)),
        None => (detail_value(path, value), None),
    }
}

/// The detail page's text for a field: a dash for nothing, what 0 means where it switches
/// something off ("no limit"), else the value with its unit ("30 s").
pub fn detail_value(path: FieldPath, value: Option<&Value>) -> String {
    let field = path.field();
    match value {
        Some(Value::Number(number)) if number.as_u64() == Some(0) && field.zero_means.is_some() => {
            field.zero_means.unwrap_or_default().to_owned()
        }
        Some(Value::Number(number)) if field.unit == "s" && number.is_u64() => {
            seconds(number.as_u64().unwrap_or_default())
        }
        Some(Value::Number(number)) if !field.unit.is_empty() => {
            format!("{number} {}", field.unit)
        }
        _ => or_dash(&cell(path, value)),
    }
}

/// A field's value as the detail page shows it, the ring in words (`hunt` says how ties ring).
pub fn field_words(path: FieldPath, value: Option<&Value>, hunt: &Value) -> String {
    if path.as_str() != "resources" {
        return detail_value(path, value);
    }
    let ring: Vec<hunts_model::Resource> = value
        .and_then(|ring| serde_json::from_value(ring.clone()).ok())
        .unwrap_or_default();
    if ring.is_empty() {
        return "none".to_owned();
    }
    let resmode = hunt.get("resmode").and_then(Value::as_str).unwrap_or("");
    hunts_model::priorities::ring_preview(&ring, hunts_model::priorities::Ties::of_resmode(resmode))
}

/// Who wrote a revision, in words.
pub fn who(revision: &Value) -> String {
    revision["by"]
        .as_str()
        .unwrap_or("Someone (sign-in off)")
        .to_owned()
}

/// How a revision was written, from its change set.
pub fn how(change_set: Option<&str>) -> String {
    match change_set {
        None => "by hand".to_owned(),
        Some(hunts_model::history::BEFORE_HISTORY) => "before history was kept".to_owned(),
        Some(set) if set.starts_with("bulk ") => "in a bulk change".to_owned(),
        Some(set) if set.starts_with("import ") => "by an import".to_owned(),
        Some(set) if set.starts_with("undo ") => "by an undo".to_owned(),
        Some(set) => format!("in change set {set}"),
    }
}

/// A link to a hunt's page as HTML text, named by its code (for lists drawn as one string; the
/// router takes the click).
pub fn hunt_link_html(id: &str, code: &str) -> String {
    format!(
        "<a href=\"/hunts/{}\">{}</a>",
        escaped(&hunts_model::encode_component(id)),
        escaped(code)
    )
}

/// `text` safe inside HTML text or a quoted attribute.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}
