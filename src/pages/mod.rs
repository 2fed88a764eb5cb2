//! One module per page of the app.

pub mod changes;
pub mod detail;
pub mod edit;
pub mod list;
pub mod resource;
pub mod routing;
