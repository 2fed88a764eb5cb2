//! Work on many hunts at once: which hunts are selected on the list, and a change made to all
//! of them, always previewed hunt by hunt before anything is sent, applied a few at a time with
//! If-Match, reported hunt by hunt, and undone the same way. The rules of each change are the
//! model's (`hunts_model::bulk`).

mod bulk_work;
mod change_form;
mod runner;
mod selection;

pub use bulk_work::{BulkWork, ReloadList};
pub use selection::{Selection, provide_selection, use_selection};
