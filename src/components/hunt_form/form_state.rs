//! The form's state: the draft in the flat form, what the user has touched, the model's
//! messages, and the server's refusal placed on the field it names.

use std::collections::HashSet;

use hunts_model::{FieldPath, Hunt, ModelError, duration, flatten, unflatten};
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::api::ApiError;

#[derive(Clone, Copy)]
pub struct FormState {
    pub draft: RwSignal<Map<String, Value>>,
    /// Fields typed in since the form opened: their model messages show before Save.
    pub touched: RwSignal<HashSet<FieldPath>>,
    /// Fields typed in since the last Save: a server refusal about one of them is answered.
    pub edited_since_save: RwSignal<HashSet<FieldPath>>,
    pub submitted: RwSignal<bool>,
    pub errors: Memo<Vec<ModelError>>,
    /// The last save's refusals (several where more than one unique field is taken).
    pub server_errors: Signal<Vec<ApiError>>,
}

/// The input's id for a field: `f-opts-title`.
pub fn input_id(path: FieldPath) -> String {
    format!("f-{}", path.as_str().replace('.', "-"))
}

/// Whether an error about `field` (`resources[2].id`, say) belongs under the input for `path`.
pub fn concerns(field: &str, path: FieldPath) -> bool {
    let path = path.as_str();
    field == path
        || field
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('['))
}

/// The entered field an error names, if the form has an input for it.
pub fn field_of(error_field: &str) -> Option<FieldPath> {
    FieldPath::entered().find(|path| concerns(error_field, *path))
}

impl FormState {
    /// The message to show under the input for `path`: the server's refusal until the field is
    /// edited, else the model's once the field is touched or Save was pressed.
    pub fn message_for(self, path: FieldPath) -> Option<String> {
        if !self.edited_since_save.with(|edited| edited.contains(&path))
            && let Some(message) = self.server_errors.with(|errors| {
                errors.iter().find_map(|error| {
                    let field = error.field().filter(|field| concerns(field, path))?;
                    Some(hunts_model::labelled(field, &error.to_string()))
                })
            })
        {
            return Some(message);
        }
        if !self.submitted.get() && !self.touched.with(|touched| touched.contains(&path)) {
            return None;
        }
        // A duration typed in no form it takes: say what it takes (the model's own message
        // speaks of the stored number only).
        if path.takes_units() && matches!(self.value(path), Some(Value::String(_))) {
            return Some(format!("{} takes {}", path.label(), duration::ACCEPTED));
        }
        self.errors.with(|errors| {
            errors
                .iter()
                .find(|error| error.field().is_some_and(|field| concerns(field, path)))
                .map(ModelError::in_words)
        })
    }

    pub fn set(self, path: FieldPath, value: Value) {
        self.draft.update(|draft| {
            draft.insert(path.as_str().to_owned(), value);
        });
        for marks in [self.touched, self.edited_since_save] {
            marks.update(|marks| {
                marks.insert(path);
            });
        }
    }

    pub fn value(self, path: FieldPath) -> Option<Value> {
        self.draft.with(|draft| draft.get(path.as_str()).cloned())
    }
}

/// A draft's value as the text an input shows.
pub fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A number as typed: a JSON number when it reads as one, else the text itself, which the model
/// then refuses with its own message ("weight must be a whole number of 0 or more").
pub fn number_or_text(text: &str) -> Value {
    let trimmed = text.trim();
    if let Ok(whole) = trimmed.parse::<i64>() {
        return Value::from(whole);
    }
    // serde_json's own number reading (in the bundle already) rather than `f64::from_str`.
    match serde_json::from_str::<serde_json::Number>(trimmed) {
        Ok(real) => Value::Number(real),
        Err(_) => Value::String(text.to_owned()),
    }
}

/// The draft (flat form) as the hunt JSON it stands for. A simple strategy has no seconds.
pub fn draft_to_hunt(draft: &Map<String, Value>) -> Value {
    let mut flat = draft.clone();
    if flat.get("strategy.mode").and_then(Value::as_str) != Some("timers") {
        flat.remove("strategy.seconds");
    }
    unflatten(&flat)
}

/// A hunt as the form's draft: the fields an administrator enters, in the flat form.
pub fn hunt_to_draft(hunt: &Hunt) -> Map<String, Value> {
    value_to_draft(&hunt.to_json())
}

/// A hunt as JSON (as `draft_to_hunt` gives it, say) as the form's draft.
pub fn value_to_draft(hunt: &Value) -> Map<String, Value> {
    let Value::Object(mut draft) = flatten(hunt) else {
        return Map::new();
    };
    draft.retain(|path, _| FieldPath::lookup(path).is_none_or(|path| !path.field().server_set));
    if draft.get("strategy.mode").and_then(Value::as_str) != Some("timers") {
        draft.insert("strategy.seconds".to_owned(), Value::Array(Vec::new()));
    }
    draft
}
