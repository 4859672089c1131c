//! The domain: articles, spans, annotations, edits, figure parsing and persistence.
//!
//! Nothing in here knows about egui, eframe or rfd (a test in `tests/architecture.rs`
//! checks it), so every rule is testable without a window and shared by the app and the
//! headless commands.

pub mod agree;
pub mod annotate;
pub mod annotation;
mod calendar;
pub mod check;
pub mod clock;
pub mod compare;
pub mod document;
pub mod edit;
pub mod editor;
pub mod export;
pub mod figure;
pub mod html;
pub mod ledger;
pub mod lock;
pub mod metrics;
pub mod persist;
pub mod provenance;
pub mod reanchor;
pub mod recovery;
pub mod review;
pub mod scope;
pub mod settings;
pub mod span;
pub mod suggest;
pub mod synth;
pub mod synth_story;
pub mod text;
pub mod workspace;
