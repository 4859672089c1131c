//! Spans: half-open ranges of character offsets into an article.
//!
//! Every offset in Tallymark counts **Unicode scalar values** (Rust `char`s) of the article
//! text after line endings were normalised to `\n`. A span is half-open, `[start, end)`:
//!
//! ```text
//!   text:    “ 2 , 0 0 0 ”
//!   offset:  0 1 2 3 4 5 6 7
//!                ^         ^
//!            start=1     end=6      exact = "2,000"   len = 5
//! ```
//!
//! The curly quote at offset 0 is one char (three UTF-8 bytes), so it shifts nothing.
//! An empty span (`start == end`) is a caret position; annotations never have one.
//! Two spans *overlap* when they share at least one char; touching spans (`[0,3)` and
//! `[3,5)`) do not overlap. Spans may nest freely.
//!
//! Conversion to byte offsets (which `str` slicing and egui's layout want) happens in
//! [`CharIndex`], at the boundary, never inside the model.

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of char offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// First char inside the span.
    pub start: usize,
    /// First char after the span.
    pub end: usize,
}

impl Span {
    /// Builds a span from two offsets in any order.
    #[must_use]
    pub fn between(a: usize, b: usize) -> Self {
        Self {
            start: a.min(b),
            end: a.max(b),
        }
    }

    /// Number of chars covered.
    #[must_use]
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True for a caret (no chars covered).
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// True when `offset` is one of the covered chars.
    #[must_use]
    pub fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// True when `other` lies entirely inside `self`.
    #[must_use]
    pub fn covers(self, other: Self) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when both spans share at least one char.
    #[must_use]
    pub fn overlaps(self, other: Self) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The shared part of two spans, if any char is shared.
    #[must_use]
    pub fn intersection(self, other: Self) -> Option<Self> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start < end).then_some(Self { start, end })
    }

    /// True when the span lies inside a text of `len` chars.
    #[must_use]
    pub fn fits(self, len: usize) -> bool {
        self.start <= self.end && self.end <= len
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}, {})", self.start, self.end)
    }
}

/// Maps char offsets to byte offsets (and back) for one text.
///
/// Built once per text in O(n); lookups are O(1) for char → byte and O(log n) for
/// byte → char. ASCII-only texts skip the table altogether.
#[derive(Clone, Debug, Default)]
pub struct CharIndex {
    /// Byte offset of every char, plus one trailing entry for the text length.
    /// Empty when the text is pure ASCII (then chars and bytes coincide).
    byte_of_char: Vec<usize>,
    len_chars: usize,
    len_bytes: usize,
}

impl CharIndex {
    /// Indexes `text`.
    #[must_use]
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Self {
                byte_of_char: Vec::new(),
                len_chars: text.len(),
                len_bytes: text.len(),
            };
        }
        let mut byte_of_char: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        let len_chars = byte_of_char.len();
        byte_of_char.push(text.len());
        Self {
            byte_of_char,
            len_chars,
            len_bytes: text.len(),
        }
    }

    /// Number of chars in the text.
    #[must_use]
    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    /// Byte offset of char `offset`, clamped to the text's end.
    #[must_use]
    pub fn byte(&self, offset: usize) -> usize {
        if self.byte_of_char.is_empty() {
            offset.min(self.len_bytes)
        } else {
            self.byte_of_char[offset.min(self.len_chars)]
        }
    }

    /// Char offset of the char that contains byte `byte` (clamped to the text's end).
    #[must_use]
    pub fn char_at_byte(&self, byte: usize) -> usize {
        if self.byte_of_char.is_empty() {
            return byte.min(self.len_chars);
        }
        match self.byte_of_char.binary_search(&byte) {
            Ok(i) => i.min(self.len_chars),
            Err(i) => i.saturating_sub(1),
        }
    }

    /// The slice of `text` covered by `span` (clamped to the text).
    #[must_use]
    pub fn slice<'t>(&self, text: &'t str, span: Span) -> &'t str {
        let start = self.byte(span.start);
        let end = self.byte(span.end).max(start);
        text.get(start..end).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn between_orders_offsets() {
        assert_eq!(Span::between(7, 3), Span { start: 3, end: 7 });
        assert_eq!(Span::between(7, 3).len(), 4);
    }

    #[test]
    fn overlap_is_half_open() {
        let a = Span { start: 0, end: 3 };
        let b = Span { start: 3, end: 5 };
        assert!(!a.overlaps(b), "touching spans share no char");
        assert!(a.overlaps(Span { start: 2, end: 4 }));
        assert_eq!(a.intersection(b), None);
        assert_eq!(
            a.intersection(Span { start: 1, end: 9 }),
            Some(Span { start: 1, end: 3 })
        );
        assert!(a.contains(0) && a.contains(2) && !a.contains(3));
        assert!(Span { start: 0, end: 10 }.covers(b));
        assert!(!b.covers(a));
    }

    #[test]
    fn fits_rejects_inverted_and_overlong() {
        assert!(Span { start: 2, end: 5 }.fits(5));
        assert!(!Span { start: 2, end: 6 }.fits(5));
        assert!(!Span { start: 4, end: 2 }.fits(5));
    }

    #[test]
    fn char_index_non_ascii() {
        let text = "“2,000” — ©AFP";
        let idx = CharIndex::new(text);
        assert_eq!(idx.len_chars(), text.chars().count());
        let span = Span { start: 1, end: 6 };
        assert_eq!(idx.slice(text, span), "2,000");
        // The em-dash is 3 bytes but one char.
        let dash = text.chars().position(|c| c == '—').unwrap();
        assert_eq!(
            idx.slice(
                text,
                Span {
                    start: dash,
                    end: dash + 1
                }
            ),
            "—"
        );
        assert_eq!(idx.char_at_byte(idx.byte(dash)), dash);
        // A byte in the middle of a multi-byte char maps to that char.
        assert_eq!(idx.char_at_byte(idx.byte(dash) + 1), dash);
        assert_eq!(idx.slice(text, Span { start: 10, end: 14 }), "©AFP");
    }

    #[test]
    fn char_index_ascii_fast_path_clamps() {
        let idx = CharIndex::new("hello");
        assert_eq!(idx.byte(99), 5);
        assert_eq!(idx.slice("hello", Span { start: 1, end: 99 }), "ello");
    }
}
