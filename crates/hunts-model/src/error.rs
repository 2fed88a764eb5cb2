//! The one error type of the model: every refusal of input, worded for the person who typed it.

/// Why a hunt, a patch or a list query was refused. `field()` names the offending field path,
/// so a form can show the message under the right input and the server can report it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("a hunt must be a JSON object")]
    NotAnObject,
    #[error("{0} is not a field of a hunt")]
    UnknownField(String),
    #[error("{field} must be {expected}")]
    WrongType {
        field: String,
        expected: &'static str,
    },
    #[error("{0} is required")]
    Required(String),
    #[error("{0} must not be empty")]
    Empty(String),
    #[error("{0} must not start or end with a space")]
    Untrimmed(String),
    #[error("{0} must not hold control characters or bidirectional controls")]
    BadText(String),
    #[error("{0} is given twice")]
    DuplicateKey(String),
    #[error("{field} must be one of: {allowed}")]
    NotOneOf {
        field: String,
        allowed: &'static str,
    },
    #[error("resource {id} is listed twice")]
    DuplicateResource { field: String, id: String },
    #[error("{0} must be a well-formed UUID such as 142e6187-016c-cd70-0da4-50e54938780c")]
    NotUuid(String),
    #[error("id cannot be modified")]
    IdChanged,
    #[error("{param} is not valid: {reason}")]
    BadParameter { param: &'static str, reason: String },
    #[error("{0} is not a query parameter here")]
    UnknownParameter(String),
    #[error("{field} cannot be used in {param}: {reason}")]
    NotAllowedIn {
        field: String,
        param: &'static str,
        reason: &'static str,
    },
}

impl ModelError {
    /// The field path the error is about, where there is one (`huntblock.expires`, `resources[1].id`).
    pub fn field(&self) -> Option<&str> {
        match self {
            ModelError::UnknownField(field)
            | ModelError::WrongType { field, .. }
            | ModelError::Required(field)
            | ModelError::Empty(field)
            | ModelError::Untrimmed(field)
            | ModelError::BadText(field)
            | ModelError::DuplicateKey(field)
            | ModelError::NotOneOf { field, .. }
            | ModelError::DuplicateResource { field, .. }
            | ModelError::NotUuid(field)
            | ModelError::NotAllowedIn { field, .. } => Some(field),
            ModelError::IdChanged => Some("id"),
            ModelError::BadParameter { param, .. } => Some(param),
            ModelError::UnknownParameter(param) => Some(param),
            ModelError::NotAnObject => None,
        }
    }
}

impl ModelError {
    /// The message with its field named as the pages name it, by the catalog's label: "Weight
    /// must be a whole number of 0 or more", "Timers (seconds), item 2 must be ...".
    pub fn in_words(&self) -> String {
        let message = self.to_string();
        match self.field() {
            Some(field) => labelled(field, &message),
            None => message,
        }
    }
}

/// `message` with its leading field path (`weight`, `strategy.seconds[1]`,
/// `resources[3].priority`) put in the catalog's words; as it is if it does not start with one.
pub fn labelled(field: &str, message: &str) -> String {
    let Some(rest) = message.strip_prefix(field) else {
        return message.to_owned();
    };
    let (base, index) = match field.split_once('[') {
        Some((base, after)) => (base, after.split_once(']')),
        None => (field, None),
    };
    let Some(path) = crate::FieldPath::lookup(base) else {
        return message.to_owned();
    };
    let mut words = path.label().to_owned();
    if let Some((number, member)) = index {
        if let Ok(number) = number.parse::<usize>() {
            words += &format!(", item {}", number + 1);
        }
        if let Some(member) = member.strip_prefix('.') {
            words += &format!(" ({member})");
        }
    }
    words + rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_fields_by_their_labels() {
        let wrong = |field: &str| ModelError::WrongType {
            field: field.to_owned(),
            expected: "a whole number of 0 or more",
        };
        assert_eq!(
            wrong("weight").in_words(),
            "Weight must be a whole number of 0 or more"
        );
        assert_eq!(
            wrong("resources[3].priority").in_words(),
            "Resources, item 4 (priority) must be a whole number of 0 or more"
        );
        assert_eq!(ModelError::IdChanged.in_words(), "Id cannot be modified");
        let twice = ModelError::DuplicateResource {
            field: "resources[1].id".to_owned(),
            id: "agent-a".to_owned(),
        };
        assert_eq!(
            twice.in_words(),
            "resource agent-a is listed twice",
            "a message that does not start with its field stays as it is"
        );
        assert_eq!(
            ModelError::NotAnObject.in_words(),
            "a hunt must be a JSON object"
        );
    }
}
