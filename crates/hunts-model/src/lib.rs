//! The hunt entity and every rule about it that the admin app and the reference server share:
//! its fields and their defaults, strict parsing of input with errors that name the field,
//! masks, filters and ordering in their query-string forms, the flat form and JSON Merge Patch.
//!
//! No I/O lives here, so the crate compiles for `wasm32-unknown-unknown` and the host alike.

pub mod bulk;
pub mod csv;
pub mod duration;
mod error;
mod fields;
mod filter;
mod flat;
pub mod history;
mod hunt;
pub mod import;
mod input;
mod mask;
pub mod merge;
mod order;
mod patch;
pub mod priorities;
mod query;
pub mod routing;
mod strict_json;
mod wire;

pub use error::{ModelError, labelled};
pub use fields::{FIELDS, Field, FieldPath, Kind, Section};
pub use filter::Filter;
pub use flat::{flatten, unflatten};
pub use hunt::{Ext, Hunt, HuntBlock, Opts, Resource, Strategy};
pub use input::{is_uuid, validate_input};
pub use mask::Mask;
pub use order::{Direction, Order};
pub use patch::{check_patch, merge_diff, merge_patch, reverse_patch};
pub use query::{ItemQuery, ListQuery, decode_component, decode_segment, encode_component};
pub use strict_json::{BodyError, parse_strict_json};
pub use wire::{
    ErrorBody, HUNTS_PATH, LOOKUP_METHOD, REQUEST_ID_HEADER, REQUESTED_WITH_HEADER,
    REQUESTED_WITH_VALUE, Role, SESSION_PATH, SessionInfo, SignIn, TOTAL_COUNT_HEADER,
};
