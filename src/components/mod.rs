//! Pieces shared by the pages.

pub mod hunt_form;
pub mod hunt_loader;
pub mod load_error;
pub mod lookup;
pub mod many_hunts;
pub mod notice;
pub mod popovers;
pub mod resource_editor;
pub mod ring_words;
pub mod routing_findings;
pub mod shortcuts;
pub mod sign_in;
pub mod theme_toggle;
pub mod unguarded_note;
pub mod unsaved;
