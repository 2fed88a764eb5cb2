//! How values read to an administrator: timestamps in the user's local time, flags as words,
//! counts with their unit or what 0 means, all as the field catalog describes the field.

use hunts_model::{FieldPath, Kind};
use serde_json::Value;

/// An RFC 3339 timestamp in the browser's locale and time zone; the raw text if it is not one.
pub fn local_time(timestamp: &str) -> String {
    if timestamp.is_empty() {
        return String::new();
    }
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(timestamp));
    if date.get_time().is_nan() {
        return timestamp.to_owned();
    }
    LOCAL_TIME
        .with(|format| format.call1(&wasm_bindgen::JsValue::UNDEFINED, &date))
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| timestamp.to_owned())
}

thread_local! {
    /// One formatter for the page's life: making an `Intl` formatter per cell (which
    /// `toLocaleString` with options does) cost more than the rest of drawing a row.
    static LOCAL_TIME: js_sys::Function = {
        let options = js_sys::Object::new();
        for (key, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
        }
        js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options).format()
    };
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
        Some(Value::Bool(flag)) => yes_no(*flag).to_owned(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| cell(path, Some(item)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
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
        Some(Value::Number(number)) if !field.unit.is_empty() => {
            format!("{number} {}", field.unit)
        }
        _ => or_dash(&cell(path, value)),
    }
}
