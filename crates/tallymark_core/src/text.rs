//! The article text: normalisation, hashing, lines and context around spans.

use sha2::{Digest, Sha256};

use super::span::{CharIndex, Span};

/// How many chars of context are stored before and after an annotation.
pub const CONTEXT_CHARS: usize = 32;

/// What [`normalize`] did to a text, recorded in the annotation file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Normalization {
    /// Number of CRLF or lone CR line endings turned into LF.
    pub line_endings_fixed: usize,
    /// True when a leading byte-order mark was dropped.
    pub bom_removed: bool,
}

/// Lower-cases one char into one char (the first of its lower-case form), so that char
/// offsets in a text folded this way are the offsets in the original: used wherever matches
/// found case-insensitively are reported as spans of the article.
#[must_use]
pub fn fold_char(c: char) -> char {
    // ASCII first: the same result, much faster on the commonest chars.
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else if ('\u{0430}'..='\u{045F}').contains(&c) {
        // Lower-case Cyrillic, the commonest letters of Russian and Ukrainian text.
        c
    } else if ('\u{0410}'..='\u{042F}').contains(&c) {
        // А–Я: the lower-case letter is 32 code points on.
        char::from_u32(c as u32 + 0x20).unwrap_or(c)
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// A char of the Cyrillic block (U+0400–U+04FF): Russian, Kazakh and Ukrainian letters.
#[must_use]
pub fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// A letter or digit. ASCII and Cyrillic answer from their ranges: the general Unicode
/// lookup is a binary search, which took a fifth of the suggester's time on Russian text.
#[must_use]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if is_cyrillic(c) {
        // All of the block but the thousands sign and the combining marks (U+0482–U+0489).
        !('\u{0482}'..='\u{0489}').contains(&c)
    } else {
        c.is_alphanumeric()
    }
}

/// Normalises a freshly read article: drops a BOM and turns CRLF and lone CR into LF.
///
/// Offsets are only meaningful on normalised text, so every text goes through here once,
/// when it is read from outside.
#[must_use]
pub fn normalize(raw: &str) -> (String, Normalization) {
    let mut info = Normalization::default();
    let raw = match raw.strip_prefix('\u{feff}') {
        Some(rest) => {
            info.bom_removed = true;
            rest
        }
        None => raw,
    };
    if !raw.contains('\r') {
        return (raw.to_owned(), info);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            info.line_endings_fixed += 1;
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    (out, info)
}

/// Lower-case hex SHA-256 of the text's UTF-8 bytes.
#[must_use]
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        use std::fmt::Write as _;
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// A title for a text: its first non-empty line, shortened.
#[must_use]
pub fn guess_title(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    shorten(line, 120)
}

/// Cuts `s` to at most `max` chars, ending with an ellipsis when cut.
#[must_use]
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `s` made safe to print on a terminal: every control character (C0, DEL and C1, which
/// start escape sequences that recolour, retitle or rewrite the screen) except the line
/// break and the tab becomes U+FFFD, and so do the bidirectional embeddings, overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069), which make a terminal that honours them show a
/// line's words in another order than they are ("Trojan source"), and the line and
/// paragraph separators. Text of articles and annotation files is anyone's to write; a
/// table printed from it must not drive the terminal or disguise itself.
#[must_use]
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
    };
    if s.chars().any(unsafe_char) {
        std::borrow::Cow::Owned(
            s.chars()
                .map(|c| if unsafe_char(c) { '\u{fffd}' } else { c })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Longest piece of user input an error message quotes (chars); see [`quote_input`].
pub const MAX_QUOTED: usize = 100;

/// `s` cut to at most [`MAX_QUOTED`] chars, for an error message that quotes user input (an
/// identifier, a value, a path): a 200 MB identifier must not become a 200 MB message.
#[must_use]
pub fn quote_input(s: &str) -> String {
    shorten(s, MAX_QUOTED)
}

/// A parser's message (RON, JSON) with every `` `quoted` `` piece of input cut to
/// [`MAX_QUOTED`] chars, so that a message naming an unknown 200 MB identifier stays short
/// while the parser's own words (what it expected, where) are kept.
#[must_use]
pub fn tame_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    for (i, piece) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd pieces lie between backticks: input the parser quotes.
        if i % 2 == 1 {
            out.push_str(&quote_input(piece));
        } else {
            out.push_str(&shorten(piece, 10 * MAX_QUOTED));
        }
    }
    out
}

/// A file-name-safe slug of a title: lower-case letters and digits joined by single
/// hyphens, at most 48 chars; `annotations` when nothing is left.
#[must_use]
pub fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s: String = s.trim_end_matches('-').chars().take(48).collect();
    let s = s.trim_end_matches('-');
    if s.is_empty() {
        "annotations".to_owned()
    } else {
        s.to_owned()
    }
}

/// `span` without the white space at either end (a sloppy drag still gives a clean span);
/// empty, at its start, when it is all white space.
#[must_use]
pub fn trim_span(text: &Text, span: crate::span::Span) -> crate::span::Span {
    let s = text.slice(span);
    let lead = s.chars().take_while(|c| c.is_whitespace()).count();
    if lead == span.len() {
        return crate::span::Span {
            start: span.start,
            end: span.start,
        };
    }
    let trail = s.chars().rev().take_while(|c| c.is_whitespace()).count();
    crate::span::Span {
        start: span.start + lead,
        end: span.end - trail,
    }
}

/// `n` and the noun, plural unless `n` is 1: `1 figure`, `3 figures`, `0 quotes`.
#[must_use]
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `s` between typographic quotation marks, unless it already stands between quotation
/// marks of its own (a quote's span usually includes them): never “«doubled»”.
#[must_use]
pub fn quoted(s: &str) -> String {
    const OPENING: [char; 7] = ['“', '"', '«', '„', '‘', '\'', '‹'];
    const CLOSING: [char; 7] = ['”', '"', '»', '“', '’', '\'', '›'];
    let opens = s.chars().next().is_some_and(|c| OPENING.contains(&c));
    // A shortened quote ends in an ellipsis after its mark was cut off.
    let closes = s
        .trim_end_matches('…')
        .chars()
        .last()
        .is_some_and(|c| CLOSING.contains(&c));
    if opens && (closes || s.ends_with('…')) {
        s.to_owned()
    } else {
        format!("“{s}”")
    }
}

/// An article held in memory with its char index. Cloning is cheap (the text is shared),
/// so a snapshot of a document for a background save costs no copy of a book.
#[derive(Clone, Debug, Default)]
pub struct Text {
    inner: std::sync::Arc<TextInner>,
}

#[derive(Debug, Default)]
struct TextInner {
    content: String,
    index: CharIndex,
    /// Char offset where each line starts; lines are separated by `\n`.
    line_starts: Vec<usize>,
}

impl Text {
    /// Wraps an already normalised text.
    #[must_use]
    pub fn new(text: String) -> Self {
        let index = CharIndex::new(&text);
        let mut line_starts = vec![0];
        for (i, c) in text.chars().enumerate() {
            if c == '\n' {
                line_starts.push(i + 1);
            }
        }
        Self {
            inner: std::sync::Arc::new(TextInner {
                content: text,
                index,
                line_starts,
            }),
        }
    }

    /// The whole text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.inner.content
    }

    /// Length in chars.
    #[must_use]
    pub fn len_chars(&self) -> usize {
        self.inner.index.len_chars()
    }

    /// The char ↔ byte index.
    #[must_use]
    pub fn index(&self) -> &CharIndex {
        &self.inner.index
    }

    /// The text covered by `span` (clamped).
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.inner.index.slice(&self.inner.content, span)
    }

    /// Number of lines (a text without `\n` has one).
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.inner.line_starts.len()
    }

    /// The chars of line `line`, without its `\n`.
    #[must_use]
    pub fn line_span(&self, line: usize) -> Span {
        let start = self
            .inner
            .line_starts
            .get(line)
            .copied()
            .unwrap_or_else(|| self.len_chars());
        let end = self
            .inner
            .line_starts
            .get(line + 1)
            .map_or_else(|| self.len_chars(), |next| next - 1);
        Span { start, end }
    }

    /// The line holding char `offset`.
    #[must_use]
    pub fn line_of(&self, offset: usize) -> usize {
        match self.inner.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Up to [`CONTEXT_CHARS`] chars before and after `span`.
    #[must_use]
    pub fn context(&self, span: Span) -> (String, String) {
        let before = Span {
            start: span.start.saturating_sub(CONTEXT_CHARS),
            end: span.start,
        };
        let after = Span {
            start: span.end,
            end: (span.end + CONTEXT_CHARS).min(self.len_chars()),
        };
        (self.slice(before).to_owned(), self.slice(after).to_owned())
    }

    /// The word around char `offset` (letters, digits, and joiners inside a word such as
    /// `,` in `10,000` or `’` in `Kazakhstan’s`). Returns an empty span on whitespace.
    #[must_use]
    pub fn word_at(&self, offset: usize) -> Span {
        let line = self.line_span(self.line_of(offset));
        let chars: Vec<char> = self.slice(line).chars().collect();
        let local = offset.saturating_sub(line.start);
        let is_word = |c: char| c.is_alphanumeric() || c == '_';
        let is_joiner = |c: char| matches!(c, ',' | '.' | '\'' | '’' | '-');
        if chars.get(local).is_none_or(|c| !is_word(*c)) {
            return Span {
                start: offset,
                end: offset,
            };
        }
        let mut start = local;
        while start > 0 {
            let prev = chars[start - 1];
            if is_word(prev) || (is_joiner(prev) && start >= 2 && is_word(chars[start - 2])) {
                start -= 1;
            } else {
                break;
            }
        }
        let mut end = local;
        while end < chars.len() {
            let c = chars[end];
            if is_word(c) || (is_joiner(c) && chars.get(end + 1).is_some_and(|n| is_word(*n))) {
                end += 1;
            } else {
                break;
            }
        }
        Span {
            start: line.start + start,
            end: line.start + end,
        }
    }

    /// The sentence around `span`, for showing a figure in context.
    #[must_use]
    pub fn sentence_around(&self, span: Span) -> Span {
        // Only the neighbourhood of the span is read: a line of megabytes without stops
        // would otherwise be read whole for every span in it.
        const SIDE: usize = 600;
        let whole = self.line_span(self.line_of(span.start));
        let line = Span {
            start: whole.start.max(span.start.saturating_sub(SIDE)),
            end: whole.end.min(span.end.saturating_add(SIDE)).max(span.start),
        };
        let chars: Vec<char> = self.slice(line).chars().collect();
        let local_start = span.start.saturating_sub(line.start).min(chars.len());
        let local_end = span.end.saturating_sub(line.start).min(chars.len());
        let is_stop = |i: usize| {
            matches!(chars[i], '.' | '!' | '?')
                && chars.get(i + 1).is_none_or(|c| c.is_whitespace())
        };
        let mut start = local_start;
        while start > 0 && !is_stop(start - 1) {
            start -= 1;
        }
        while start < local_start && chars[start].is_whitespace() {
            start += 1;
        }
        let mut end = local_end;
        while end < chars.len() && !is_stop(end) {
            end += 1;
        }
        let end = (end + 1).min(chars.len());
        Span {
            start: line.start + start,
            end: line.start + end.max(local_end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_trimmed_spans() {
        assert_eq!(
            slug("Kazakhstan: 225 dead, 4,353 hurt"),
            "kazakhstan-225-dead-4-353-hurt"
        );
        assert_eq!(slug("Алматы — итоги"), "алматы-итоги");
        assert_eq!(slug("…"), "annotations");
        let text = Text::new("  a word \n".to_owned());
        let span = crate::span::Span { start: 0, end: 10 };
        assert_eq!(
            trim_span(&text, span),
            crate::span::Span { start: 2, end: 8 }
        );
        let blank = crate::span::Span { start: 0, end: 2 };
        assert!(trim_span(&text, blank).is_empty());
    }

    #[test]
    fn counts_and_quotes_read_naturally() {
        assert_eq!(count(1, "figure"), "1 figure");
        assert_eq!(count(0, "figure"), "0 figures");
        assert_eq!(count(2, "quote"), "2 quotes");
        assert_eq!(quoted("“We will not leave”"), "“We will not leave”");
        assert_eq!(quoted("«Мы не уйдём»"), "«Мы не уйдём»");
        assert_eq!(quoted("“We will not leave and…"), "“We will not leave and…");
        assert_eq!(quoted("We will not leave"), "“We will not leave”");
    }

    #[test]
    fn crlf_and_cr_become_lf() {
        let (text, info) = normalize("\u{feff}a\r\nb\rc\nd");
        assert_eq!(text, "a\nb\nc\nd");
        assert_eq!(info.line_endings_fixed, 2);
        assert!(info.bom_removed);
        let (same, info) = normalize("plain\n");
        assert_eq!(same, "plain\n");
        assert_eq!(info, Normalization::default());
    }

    #[test]
    fn sha_is_stable() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn lines_and_context() {
        let t = Text::new("first line\n“second” line\n\nlast".to_owned());
        assert_eq!(t.line_count(), 4);
        assert_eq!(t.slice(t.line_span(1)), "“second” line");
        assert_eq!(t.slice(t.line_span(2)), "");
        assert_eq!(t.slice(t.line_span(3)), "last");
        assert_eq!(t.line_of(11), 1);
        assert_eq!(t.line_of(10), 0);
        let second = Span { start: 12, end: 18 };
        assert_eq!(t.slice(second), "second");
        let (pre, post) = t.context(second);
        assert_eq!(pre, "first line\n“");
        assert_eq!(post, "” line\n\nlast");
    }

    #[test]
    fn word_at_keeps_numbers_and_apostrophes() {
        let t = Text::new("more than 10,000 people in Kazakhstan’s city.".to_owned());
        let at = |s: &str| {
            t.as_str().chars().count() - t.as_str()[t.as_str().find(s).unwrap()..].chars().count()
        };
        assert_eq!(t.slice(t.word_at(at("0,000"))), "10,000");
        assert_eq!(t.slice(t.word_at(at("stan’s"))), "Kazakhstan’s");
        assert_eq!(t.slice(t.word_at(at("city") + 2)), "city");
        assert!(t.word_at(at(" people")).is_empty());
    }

    #[test]
    fn sentence_around_a_figure() {
        let t = Text::new("It began. More than 160 people were killed. Then calm.".to_owned());
        let span = Span { start: 20, end: 23 };
        assert_eq!(t.slice(span), "160");
        assert_eq!(
            t.slice(t.sentence_around(span)),
            "More than 160 people were killed."
        );
    }

    #[test]
    fn shorten_adds_ellipsis() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }
}
