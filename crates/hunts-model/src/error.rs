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
