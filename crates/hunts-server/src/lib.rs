//! The reference server for the hunts REST API: the whole contract on embedded SQLite, and the
//! admin app's built files beside it.

pub mod access;
pub mod accounts_cli;
pub mod config;
pub mod demo;
mod error;
pub mod events;
mod extract;
mod handlers;
pub mod history;
pub mod openapi;
mod page_cache;
pub mod reference_only;
mod request_id;
mod routes;
mod routing_check;
pub mod secrets;
mod security_headers;
pub mod serve;
pub mod store;

pub use error::ApiError;
pub use extract::IfMatch;
pub use routes::{HUNTS_PATH, app, app_with_access, app_with_events};
