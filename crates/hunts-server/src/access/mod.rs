//! Who may do what (the contract's extension): with no users or tokens, sign-in is off and the
//! server answers only requests addressed to a loopback name (so a web page elsewhere cannot
//! reach it through DNS rebinding); with them, every hunts request needs a session cookie or a
//! bearer token, a viewer may only read, and an unsafe request carried by a cookie must say
//! `X-Requested-With: hunts-admin`. Every write is logged with the name that made it.

mod endpoints;
mod limiter;
mod sessions;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hunts_model::history::HISTORY_PATH;
use hunts_model::routing::ROUTING_PATH;
use hunts_model::{HUNTS_PATH, REQUESTED_WITH_HEADER, REQUESTED_WITH_VALUE, Role};

use crate::error::ApiError;
use crate::secrets;
use crate::store::{Lifetimes, Store, StoreError};
pub use endpoints::{sign_in, sign_out, who_am_i};
use limiter::Limiter;
use sessions::Sessions;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "hunts_session";

/// How requests are let in: openly on loopback, or by sign-in.
pub struct Access {
    store: Store,
    sign_in: Option<SignInState>,
}

struct SignInState {
    sessions: Sessions,
    limiter: Limiter,
}

impl Access {
    /// Sign-in off: everything is allowed, to requests addressed to a loopback name only.
    pub fn open_on_loopback(store: Store) -> Arc<Access> {
        Arc::new(Access {
            store,
            sign_in: None,
        })
    }

    /// Sign-in on, with sessions lasting `lifetimes` (shared by every instance on PostgreSQL).
    pub fn signed_in(store: Store, lifetimes: Lifetimes) -> Arc<Access> {
        Arc::new(Access {
            sign_in: Some(SignInState {
                sessions: Sessions::new(store.clone(), lifetimes),
                limiter: Limiter::default(),
            }),
            store,
        })
    }

    /// Sign-in on exactly when the database has a user or a token.
    pub async fn for_store(store: Store, lifetimes: Lifetimes) -> Result<Arc<Access>, StoreError> {
        Ok(if store.has_accounts().await? {
            Access::signed_in(store, lifetimes)
        } else {
            Access::open_on_loopback(store)
        })
    }

    /// Ends every session of `name` at once, as removing the user does: their next request is
    /// a 401 and the app asks them to sign in again.
    pub async fn end_sessions_of(&self, name: &str) -> Result<(), StoreError> {
        match &self.sign_in {
            Some(state) => state.sessions.end_all_of(name).await,
            None => Ok(()),
        }
    }

    pub fn sign_in_is_on(&self) -> bool {
        self.sign_in.is_some()
    }

    /// Who sent a request, by its bearer token or its session cookie; `None` for no credentials.
    async fn identify(&self, state: &SignInState, headers: &HeaderMap) -> Result<Who, ApiError> {
        if let Some(token) = bearer_token(headers) {
            let found = self.store.token(secrets::token_digest(token)).await?;
            let (name, role) = found.ok_or(ApiError::Unauthorized(
                "this token is not valid (unknown or revoked)",
            ))?;
            return Ok(Who {
                name,
                role,
                by_cookie: false,
            });
        }
        let Some(session) = session_cookie(headers) else {
            return Err(ApiError::Unauthorized("sign in first"));
        };
        let name = state
            .sessions
            .touch(session)
            .await?
            .ok_or(ApiError::Unauthorized(
                "your session has ended: sign in again",
            ))?;
        // The user's role now: a user removed or changed since sign-in is held to that.
        let Some(role) = self.store.user_role(name.clone()).await? else {
            state.sessions.end_all_of(&name).await?;
            return Err(ApiError::Unauthorized(
                "your session has ended: sign in again",
            ));
        };
        Ok(Who {
            name,
            role,
            by_cookie: true,
        })
    }
}

/// The caller of a request that sign-in let in.
#[derive(Clone, Debug)]
pub struct Who {
    pub name: String,
    pub role: Role,
    /// Carried by the session cookie (which a browser sends by itself), not a token.
    by_cookie: bool,
}

/// Reads change nothing; everything else is a write (`LOOKUP` is a read by another name).
fn is_write(method: &Method) -> bool {
    !matches!(method.as_str(), "GET" | "HEAD" | "OPTIONS" | "LOOKUP")
}

/// The middleware in front of every route.
pub async fn guard(State(access): State<Arc<Access>>, request: Request, next: Next) -> Response {
    let Some(state) = &access.sign_in else {
        if !addressed_to_loopback(request.headers()) {
            return ApiError::Forbidden(
                "sign-in is off, so this server answers only requests addressed to localhost"
                    .to_owned(),
            )
            .into_response();
        }
        return next.run(request).await;
    };
    let path = request.uri().path();
    if !path.starts_with(HUNTS_PATH) && !path.starts_with(HISTORY_PATH) && path != ROUTING_PATH {
        return next.run(request).await;
    }
    let who = match access.identify(state, request.headers()).await {
        Ok(who) => who,
        Err(error) => return error.into_response(),
    };
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD && who.by_cookie {
        let said = request
            .headers()
            .get(REQUESTED_WITH_HEADER)
            .is_some_and(|value| value == REQUESTED_WITH_VALUE);
        if !said {
            return ApiError::Forbidden(format!(
                "a request changing hunts with a session cookie must carry \
                 {REQUESTED_WITH_HEADER}: {REQUESTED_WITH_VALUE}"
            ))
            .into_response();
        }
    }
    if is_write(&method) && !who.role.may_write() {
        return ApiError::Forbidden(format!(
            "{} is a viewer: viewers may read hunts but not change them",
            who.name
        ))
        .into_response();
    }
    let path = request.uri().path().to_owned();
    let mut request = request;
    request
        .extensions_mut()
        .insert(crate::extract::SignedIn(who.name.clone()));
    let response = next.run(request).await;
    if is_write(&method) {
        tracing::info!(
            user = %who.name,
            role = who.role.as_str(),
            %method,
            path,
            status = response.status().as_u16(),
            "write"
        );
    }
    response
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE).then_some(value)
        })
}

/// Whether `Host` names this machine's loopback: `localhost`, `127.0.0.1` or `[::1]`, with or
/// without a port.
fn addressed_to_loopback(headers: &HeaderMap) -> bool {
    let Some(host) = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
    else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "::1"
}

/// The address a request came from, for counting failed sign-ins ("unknown" when the server
/// was started without connection info, as some tests do).
fn client_address(request_extensions: &axum::http::Extensions) -> String {
    request_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |info| info.0.ip().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_only() {
        let rows = [
            ("localhost", true),
            ("localhost:8080", true),
            ("LOCALHOST:8080", true),
            ("127.0.0.1:8080", true),
            ("127.0.0.1", true),
            ("[::1]:8080", true),
            ("evil.example", false),
            ("evil.example:8080", false),
            ("localhost.evil.example", false),
            ("127.0.0.1.evil.example:80", false),
            ("[::2]:8080", false),
        ];
        for (host, expected) in rows {
            let mut headers = HeaderMap::new();
            headers.insert(header::HOST, host.parse().unwrap());
            assert_eq!(addressed_to_loopback(&headers), expected, "{host}");
        }
        assert!(!addressed_to_loopback(&HeaderMap::new()), "no Host");
    }

    #[test]
    fn credentials_are_read_from_their_headers() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "theme=dark; hunts_session=abc123".parse().unwrap(),
        );
        assert_eq!(session_cookie(&headers), Some("abc123"));
        headers.insert(header::AUTHORIZATION, "Bearer tok".parse().unwrap());
        assert_eq!(bearer_token(&headers), Some("tok"));
        headers.insert(header::AUTHORIZATION, "Basic dXNlcg==".parse().unwrap());
        assert_eq!(bearer_token(&headers), None);
    }
}
