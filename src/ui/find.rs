//! Find in the article (Ctrl+F): every match of the query, case-insensitive, with the
//! current one selected so it can be marked right away (F, Q, C).

use crate::core::document::Document;
use crate::core::span::{CharIndex, Span};

/// The find bar's state.
#[derive(Default)]
pub struct FindState {
    /// What to look for.
    pub query: String,
    /// Char spans of every match, in text order.
    pub matches: Vec<Span>,
    /// Index of the current match.
    pub current: usize,
    /// The query and document the matches were computed for.
    computed_for: Option<(String, u64)>,
    /// The document lower-cased char for char (so offsets carry over), per generation.
    lowered: Option<(u64, String, CharIndex)>,
    /// Give the field keyboard focus on the next frame.
    pub focus: bool,
}

impl FindState {
    /// Recomputes the matches when the query or the document changed.
    pub fn refresh(&mut self, doc: &Document, generation: u64) {
        if self
            .computed_for
            .as_ref()
            .is_some_and(|(q, g)| *q == self.query && *g == generation)
        {
            return;
        }
        if self
            .lowered
            .as_ref()
            .is_none_or(|(g, _, _)| *g != generation)
        {
            let lower: String = doc
                .text()
                .as_str()
                .chars()
                .map(crate::core::text::fold_char)
                .collect();
            let index = CharIndex::new(&lower);
            self.lowered = Some((generation, lower, index));
        }
        self.matches.clear();
        let needle: String = self
            .query
            .chars()
            .map(crate::core::text::fold_char)
            .collect();
        if let (false, Some((_, hay, index))) = (needle.trim().is_empty(), &self.lowered) {
            let n = needle.chars().count();
            self.matches = hay
                .match_indices(&needle)
                .map(|(b, _)| {
                    let start = index.char_at_byte(b);
                    Span {
                        start,
                        end: start + n,
                    }
                })
                .collect();
        }
        self.current = self.current.min(self.matches.len().saturating_sub(1));
        self.computed_for = Some((self.query.clone(), generation));
    }

    /// Moves to the next (or previous) match and returns it.
    pub fn step(&mut self, forward: bool) -> Option<Span> {
        if self.matches.is_empty() {
            return None;
        }
        let n = self.matches.len();
        self.current = if forward {
            (self.current + 1) % n
        } else {
            (self.current + n - 1) % n
        };
        self.matches.get(self.current).copied()
    }
}
