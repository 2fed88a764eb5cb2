//! Pieces shared by the pages.

pub mod column_chooser;
pub mod export;
pub mod filter_bar;
pub mod hunt_form;
pub mod hunt_loader;
pub mod hunt_table;
pub mod load_error;
pub mod lookup;
pub mod notice;
pub mod pager;
pub mod resource_editor;
pub mod ring_words;
pub mod routing_findings;
pub mod saved_views;
pub mod shortcuts;
pub mod sign_in;
pub mod theme_toggle;
pub mod unguarded_note;
pub mod unsaved;
