//! `/rest/v1/session`: sign in (`POST`), who is signed in (`GET`), sign out (`DELETE`). A server
//! with sign-in off has no sessions: `GET` answers 204 (nobody needs to sign in; a request the
//! app makes on every load, so not a 404 that the browser's console would show as a failure),
//! and signing in or out is a 404.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hunts_model::{SessionInfo, SignIn};

use super::{Access, SESSION_COOKIE, SignInState, client_address, secrets, session_cookie};
use crate::error::ApiError;
use crate::extract::JsonBody;

fn sign_in_state(access: &Access) -> Result<&SignInState, ApiError> {
    access.sign_in.as_ref().ok_or(ApiError::NoSuchPath)
}

/// The cookie that carries session `id`, or (with `None`) the one that clears it.
fn session_cookie_header(id: Option<&str>, headers: &HeaderMap) -> HeaderValue {
    // Behind a proxy that ends TLS, the cookie must not travel over plain HTTP either.
    let secure = headers
        .get("x-forwarded-proto")
        .is_some_and(|proto| proto == "https");
    let value = match id {
        Some(id) => format!("{SESSION_COOKIE}={id}; HttpOnly; SameSite=Strict; Path=/"),
        None => format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    };
    let value = if secure { value + "; Secure" } else { value };
    HeaderValue::from_str(&value).expect("session ids are hex")
}

pub async fn sign_in(
    State(access): State<Arc<Access>>,
    request: Request,
) -> Result<Response, ApiError> {
    let state = sign_in_state(&access)?;
    let address = client_address(request.extensions());
    let headers = request.headers().clone();
    let JsonBody(body) = JsonBody::from_request_inner(request).await?;
    let SignIn { name, password } = serde_json::from_value(body).map_err(|error| {
        ApiError::MalformedJson(format!(
            "a sign-in is {{\"name\": …, \"password\": …}}: {error}"
        ))
    })?;
    if let Some(wait) = state.limiter.wait(&name, &address) {
        return Err(ApiError::TooManyAttempts {
            retry_after: wait.max(Duration::from_secs(1)),
        });
    }
    let stored = access.store.user(name.clone()).await?;
    let (role, hash) = match stored {
        Some((role, hash)) => (Some(role), Some(hash)),
        None => (None, None),
    };
    // Hashing takes tens of milliseconds of one core: off the async threads.
    let matches =
        tokio::task::spawn_blocking(move || secrets::verify_password(&password, hash.as_deref()))
            .await
            .map_err(|error| ApiError::Internal(error.to_string()))?;
    if !matches {
        state.limiter.failed(&name, &address);
        tracing::warn!(user = %name, %address, "sign-in refused");
        return Err(ApiError::WrongSignIn);
    }
    state.limiter.succeeded(&name);
    let role = role.expect("a matching password has a user");
    tracing::info!(user = %name, role = role.as_str(), %address, "signed in");
    let id = state.sessions.start(name).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            session_cookie_header(Some(&id), &headers),
        )],
    )
        .into_response())
}

pub async fn who_am_i(
    State(access): State<Arc<Access>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Some(state) = access.sign_in.as_ref() else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let who = access.identify(state, &headers).await?;
    Ok(Json(SessionInfo {
        name: who.name,
        role: who.role,
    })
    .into_response())
}

pub async fn sign_out(
    State(access): State<Arc<Access>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let state = sign_in_state(&access)?;
    if let Some(id) = session_cookie(&headers) {
        state.sessions.end(id).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, session_cookie_header(None, &headers))],
    )
        .into_response())
}
