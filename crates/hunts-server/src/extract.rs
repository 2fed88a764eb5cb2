//! Request extractors that enforce the contract's rules on bodies and headers, answering with
//! the contract's error bodies rather than axum's plain-text rejections.

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use hunts_model::history::{CHANGE_SET_HEADER, parse_change_set};
use hunts_model::{BodyError, ModelError, parse_strict_json};
use serde_json::Value;

use crate::error::ApiError;
use crate::store::{Origin, Precondition};

/// The largest body the API accepts.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A JSON request body: `Content-Type: application/json` or `application/merge-patch+json`
/// (415 otherwise), at most 1 MiB (413),
/// well-formed and without a key given twice (400).
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, _state: &S) -> Result<JsonBody, ApiError> {
        JsonBody::from_request_inner(request).await
    }
}

impl JsonBody {
    /// The body of `request`, for a handler that needs the request's other parts too.
    pub async fn from_request_inner(request: Request) -> Result<JsonBody, ApiError> {
        let headers = request.headers();
        let is_json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .map(str::trim)
            .is_some_and(|mime| {
                // RFC 7396's own type for a merge patch is JSON too.
                mime.eq_ignore_ascii_case("application/json")
                    || mime.eq_ignore_ascii_case("application/merge-patch+json")
            });
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let declared_length = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<usize>().ok());
        if declared_length.is_some_and(|length| length > MAX_BODY_BYTES) {
            return Err(ApiError::TooLarge);
        }
        let bytes = read_limited(request.into_body()).await?;
        // Strict: an object naming the same key twice is refused, never read as its last value.
        parse_strict_json(&bytes)
            .map(JsonBody)
            .map_err(|error| match error {
                BodyError::Malformed(message) => ApiError::MalformedJson(message),
                BodyError::Refused(error) => ApiError::Invalid(error),
            })
    }
}

/// Reads the body, stopping past the limit even when no Content-Length announced the size.
async fn read_limited(body: Body) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| ApiError::TooLarge)
}

/// The `If-Match` header, when the client sent one.
pub struct IfMatch(pub Option<String>);

impl IfMatch {
    /// Which versions the write may replace (RFC 9110: `*` or any listed tag).
    pub fn precondition(&self) -> Precondition {
        match &self.0 {
            None => Precondition::any(),
            Some(header) => {
                Precondition::one_of(header.split(',').map(|tag| tag.trim().to_owned()).collect())
            }
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<IfMatch, ApiError> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        // RFC 9110: `*` or one or more entity tags. An empty or unreadable header names no
        // version at all, which is a malformed request rather than a failed precondition.
        match value.to_str().map(str::trim) {
            Ok(tags) if !tags.is_empty() => Ok(IfMatch(Some(tags.to_owned()))),
            _ => Err(ApiError::Invalid(ModelError::BadParameter {
                param: "If-Match",
                reason: "it must be * or the ETag of the version the change is based on".to_owned(),
            })),
        }
    }
}

/// Who makes a write (the name sign-in let in, `SignedIn`) and the `X-Change-Set` it carries
/// (400 if not 1 to 64 printable ASCII characters): what its revision records.
pub struct WriteOrigin(pub Origin);

/// The name of whoever sign-in let in, put in the request by the guard.
#[derive(Clone, Debug)]
pub struct SignedIn(pub String);

impl<S: Send + Sync> FromRequestParts<S> for WriteOrigin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<WriteOrigin, ApiError> {
        let change_set = match parts.headers.get(CHANGE_SET_HEADER) {
            None => None,
            Some(value) => Some(parse_change_set(value.to_str().unwrap_or_default())?),
        };
        Ok(WriteOrigin(Origin {
            by: parts
                .extensions
                .get::<SignedIn>()
                .map(|signed_in| signed_in.0.clone()),
            change_set,
        }))
    }
}
