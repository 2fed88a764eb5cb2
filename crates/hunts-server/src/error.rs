//! The server's one error type, and the contract's error body it becomes:
//! `{"error_code": 1000 + status, "error_message": "…", "field": "…"}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hunts_model::{ErrorBody, ModelError};

use crate::store::{StoreError, UniqueField};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Input the model refused: a body, a patch or a query parameter.
    #[error(transparent)]
    Invalid(#[from] ModelError),
    #[error("the body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("the LOOKUP body must be a JSON string, such as \"hunt_4\"")]
    LookupNotAString,
    #[error("no hunt with id {0}")]
    NotFound(String),
    #[error("Lookup failed")]
    LookupFailed,
    #[error("no such API path")]
    NoSuchPath,
    #[error("{method} is not allowed here; allowed: {allow}")]
    MethodNotAllowed { method: String, allow: &'static str },
    /// A unique field already taken by another hunt.
    #[error("{message}")]
    Conflict {
        field: &'static str,
        message: String,
    },
    /// A patch that is well formed but cannot apply to the hunt as it is now (RFC 5789's
    /// "conflicting state"): a timers strategy without seconds, say.
    #[error("{0} (given this hunt's current values)")]
    PatchConflict(ModelError),
    #[error("the hunt has changed since it was read (If-Match does not match its ETag)")]
    PreconditionFailed,
    /// No credentials, or ones that are no longer valid.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// A sign-in whose name or password is wrong: which of the two is not said.
    #[error("the name or the password is wrong")]
    WrongSignIn,
    #[error("too many failed sign-ins: try again in {} s", retry_after.as_secs())]
    TooManyAttempts { retry_after: std::time::Duration },
    #[error("{0}")]
    Forbidden(String),
    #[error("the body is larger than 1 MiB")]
    TooLarge,
    #[error("the body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    #[error("the server took too long to answer; try again")]
    TimedOut,
    #[error("the database is busy; try again in a moment")]
    Busy,
    #[error("too many live change streams are open; try again shortly")]
    TooManyStreams,
    #[error("database error: {0}")]
    Database(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::NotFound(id) => ApiError::NotFound(id),
            StoreError::PreconditionFailed => ApiError::PreconditionFailed,
            StoreError::Taken { field, value } => ApiError::Conflict {
                field: field.path(),
                message: match field {
                    UniqueField::Id => format!("a hunt with id {value} exists already"),
                    UniqueField::Code => format!("a hunt with code {value} exists already"),
                    UniqueField::PhoneNumber => {
                        format!("a hunt with phone number {value} exists already")
                    }
                },
            },
            StoreError::Refused(error) => ApiError::Invalid(error),
            error @ StoreError::TooNew { .. } => ApiError::Internal(error.to_string()),
            StoreError::Busy => ApiError::Busy,
            StoreError::Database(message) => ApiError::Database(message),
        }
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Invalid(_) | ApiError::MalformedJson(_) | ApiError::LookupNotAString => {
                StatusCode::BAD_REQUEST
            }
            ApiError::NotFound(_) | ApiError::LookupFailed | ApiError::NoSuchPath => {
                StatusCode::NOT_FOUND
            }
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unauthorized(_) | ApiError::WrongSignIn => StatusCode::UNAUTHORIZED,
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict { .. } | ApiError::PatchConflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Database(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::TimedOut | ApiError::Busy | ApiError::TooManyStreams => {
                StatusCode::SERVICE_UNAVAILABLE
            }
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            ApiError::Invalid(error) | ApiError::PatchConflict(error) => error.field(),
            ApiError::Conflict { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// Marks an error answer whose body the reference gives word for word (LOOKUP's "Lookup
/// failed"): nothing is added to it, not even the request id (which its header still has).
#[derive(Clone, Copy)]
pub struct ExactBody;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let body = ErrorBody::new(
            status.as_u16(),
            self.to_string(),
            self.field().map(str::to_owned),
        );
        let mut response = (status, axum::Json(body)).into_response();
        match self {
            ApiError::LookupFailed => {
                response.extensions_mut().insert(ExactBody);
            }
            ApiError::MethodNotAllowed { allow, .. } => {
                response
                    .headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static(allow));
            }
            ApiError::TooManyStreams => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            }
            ApiError::TooManyAttempts { retry_after } => {
                response.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(retry_after.as_secs().max(1)),
                );
            }
            _ => {}
        }
        response
    }
}
