//! Work on many hunts at once, as the list's bulk change and import and the Recent changes
//! page's undo of a change set do it: a few hunts at a time with progress and Cancel, each
//! write guarded, every result reported hunt by hunt, and all of it undoable.

pub mod report;
pub mod runner;
pub mod work;
