//! Tallymark: read news articles and mark the claims, quotes and figures in them, then
//! compare the figures where reports disagree.
//!
//! The crate has three parts:
//! - [`core`]: the domain (documents, spans, annotations, edits with their inverses, figure
//!   parsing, persistence), the `tallymark_core` crate, which cannot reach a GUI crate.
//! - [`ui`]: the egui face, which reads state and returns [`ui::command::Command`]s that one
//!   `apply` carries out.
//! - [`cli`]: the command line, which runs the app or headless commands on the same core.
//!
//! ```
//! use tallymark::core::{document::Document, annotation::Kind, span::Span, edit::Edit};
//! let mut doc = Document::from_article("“More than 10,000” were arrested.", None);
//! let span = Span { start: 1, end: 17 };
//! let figure = doc.new_annotation(Kind::Figure, span, "me", time::OffsetDateTime::UNIX_EPOCH);
//! Edit::Insert(figure).apply(&mut doc).unwrap();
//! let f = doc.annotations()[0].figure().unwrap();
//! assert_eq!(f.value_low, Some(10_000.0));
//! ```

pub mod bench;
pub mod bench_story;
pub mod cli;
/// The domain lives in its own crate (`crates/tallymark_core`) so that it cannot import the
/// GUI; it keeps its old path here so that `tallymark::core::…` still names it.
pub use tallymark_core as core;
pub mod ui;
