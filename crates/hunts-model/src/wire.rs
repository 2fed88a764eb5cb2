//! The wire format both sides speak beyond the entity: where the API lives, the names of its
//! extension header and custom method, and the contract's error body. Defined once here, so the
//! app reads exactly what the server writes.

use serde::{Deserialize, Serialize};

/// The collection's path; one hunt is `{HUNTS_PATH}/{id}`.
pub const HUNTS_PATH: &str = "/rest/v1/uc/hunts";

/// The extension header with the number of hunts a list's filter matches (lower case, as HTTP/2
/// and the `http` crate spell header names).
pub const TOTAL_COUNT_HEADER: &str = "x-total-count";

/// The custom method that finds hunts by id, code or phone number.
pub const LOOKUP_METHOD: &str = "LOOKUP";

/// Sign-in (the contract's "Who may do what" extension): `POST` signs in, `GET` says who is
/// signed in, `DELETE` signs out. A server without sign-in answers 404 here.
pub const SESSION_PATH: &str = "/rest/v1/session";

/// The header that carries a request's id, in both directions.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The header an unsafe request carried by a session cookie must have, and its value: a form on
/// another site cannot set it, so it cannot change a hunt.
pub const REQUESTED_WITH_HEADER: &str = "x-requested-with";
pub const REQUESTED_WITH_VALUE: &str = "hunts-admin";

/// What a user or a token may do: an admin everything, a viewer only read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Viewer => "viewer",
        }
    }

    pub fn may_write(self) -> bool {
        self == Role::Admin
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(text: &str) -> Result<Role, String> {
        match text {
            "admin" => Ok(Role::Admin),
            "viewer" => Ok(Role::Viewer),
            other => Err(format!("{other:?} is not a role: admin or viewer")),
        }
    }
}

/// `GET /rest/v1/session`: who is signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub name: String,
    pub role: Role,
}

/// `POST /rest/v1/session`'s body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    pub name: String,
    pub password: String,
}

/// The contract's error body: `{"error_code": 1000 + status, "error_message": "…", "field": "…"}`.
/// `field` names the input at fault, when there is one; `request_id` (our extension) the
/// request, as the server's log line for it does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error_code: u32,
    pub error_message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ErrorBody {
    /// The body for an answer with HTTP status `status`.
    pub fn new(status: u16, message: String, field: Option<String>) -> ErrorBody {
        ErrorBody {
            error_code: 1000 + u32::from(status),
            error_message: message,
            field,
            request_id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_body_reads_back_as_written() {
        let body = ErrorBody::new(409, "taken".to_owned(), Some("code".to_owned()));
        let text = serde_json::to_string(&body).unwrap();
        assert_eq!(
            text,
            r#"{"error_code":1409,"error_message":"taken","field":"code"}"#
        );
        assert_eq!(serde_json::from_str::<ErrorBody>(&text).unwrap(), body);
        // Without a field, the key is left out, and a body without it still reads.
        let plain = ErrorBody::new(404, "gone".to_owned(), None);
        let text = serde_json::to_string(&plain).unwrap();
        assert!(!text.contains("field"), "{text}");
        assert_eq!(serde_json::from_str::<ErrorBody>(&text).unwrap(), plain);
    }
}
