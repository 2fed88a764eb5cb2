//! Work on many hunts at once: which hunts are selected on the list, a change made to all of
//! them, or a file of hunts imported; always previewed hunt by hunt before anything is sent,
//! applied a few at a time with If-Match, reported hunt by hunt, and undone the same way. The
//! rules of each change and of an import are the model's (`hunts_model::bulk`, `::import`).

mod bulk_run;
mod bulk_work;
mod change_form;
mod import_work;
mod importer;
mod overflow_check;

pub use bulk_work::{BulkWork, ReloadList};
pub use import_work::ImportWork;
