//! Re-anchoring annotations onto a changed article (corrected, reformatted, a paragraph
//! added): every annotation is looked for in the new text from its exact text and context.
//!
//! For each annotation, in this order:
//! 1. **same**: the exact text is still at the old position;
//! 2. **moved**: the exact text occurs elsewhere; the occurrence whose context (prefix and
//!    suffix) matches best wins, then the one nearest the old position;
//! 3. **fuzzy**: the context still brackets a similar text ("more than 10,000" became
//!    "more than 11,000"): the prefix is found, the suffix after it within twice the old
//!    length, and what lies between is at least 60 % similar to the old exact text;
//! 4. **orphan**: none of these; the annotation is kept, unplaced, for the user to place or
//!    delete. Nothing is ever dropped silently.

use serde::Serialize;

use super::annotation::Annotation;
use super::document::Document;
use super::span::{CharIndex, Span};
use super::text::CONTEXT_CHARS;

/// How one annotation was placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// At its old position.
    Same,
    /// Its exact text, elsewhere.
    Moved,
    /// A similar text between its old context.
    Fuzzy,
    /// Not found.
    Orphan,
}

/// What re-anchoring did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Annotations found at their old position.
    pub same: usize,
    /// Annotations whose exact text moved.
    pub moved: usize,
    /// Annotations placed by a fuzzy match (their exact text was updated).
    pub fuzzy: usize,
    /// Annotations that could not be placed.
    pub orphaned: usize,
}

impl Report {
    /// One line for people.
    #[must_use]
    pub fn summary(&self) -> String {
        format!(
            "{} at the same place, {} moved, {} matched fuzzily, {} orphaned",
            self.same, self.moved, self.fuzzy, self.orphaned
        )
    }
}

/// Most occurrences of a text weighed for one annotation (the nearest to where it is
/// expected): in repeated text ("12 died." a thousand times) weighing them all made
/// re-anchoring hang.
pub const MAX_OCCURRENCES: usize = 64;

/// Most cells of edit-distance tables one annotation's fuzzy search may fill (about 20 ms);
/// past it the annotation is orphaned (kept, for the user to place) rather than searched on.
pub const FUZZY_BUDGET: usize = 4_000_000;

/// The new text with its char index and the occurrences of every needle looked for so far:
/// the text is scanned once per distinct needle, not once per annotation.
struct Haystack<'t> {
    text: &'t str,
    index: &'t CharIndex,
    found: std::collections::HashMap<String, std::rc::Rc<[usize]>>,
}

impl Haystack<'_> {
    /// Char offsets of every occurrence of `needle`, in order.
    fn occurrences(&mut self, needle: &str) -> std::rc::Rc<[usize]> {
        if needle.is_empty() {
            return std::rc::Rc::from(Vec::new());
        }
        if let Some(found) = self.found.get(needle) {
            return std::rc::Rc::clone(found);
        }
        let found: std::rc::Rc<[usize]> = self
            .text
            .match_indices(needle)
            .map(|(b, _)| self.index.char_at_byte(b))
            .collect();
        self.found
            .insert(needle.to_owned(), std::rc::Rc::clone(&found));
        found
    }
}

/// The at most [`MAX_OCCURRENCES`] offsets of `all` (sorted) nearest to `near`, in order.
fn nearest(all: &[usize], near: usize) -> &[usize] {
    if all.len() <= MAX_OCCURRENCES {
        return all;
    }
    let at = all.partition_point(|&o| o < near);
    let lo = at
        .saturating_sub(MAX_OCCURRENCES / 2)
        .min(all.len() - MAX_OCCURRENCES);
    &all[lo..lo + MAX_OCCURRENCES]
}

/// Similarity in [0, 1]: 1 − Levenshtein distance / longer length (over chars).
#[must_use]
pub fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    #[expect(clippy::cast_precision_loss, reason = "annotation texts are short")]
    let d = prev[b.len()] as f64 / longest as f64;
    1.0 - d
}

/// How much of an annotation's old context surrounds `span` in the new text (0 to 2).
/// Only the [`CONTEXT_CHARS`] chars either side count (a file may hold longer ones).
fn context_score(text: &str, index: &CharIndex, span: Span, a: &Annotation) -> f64 {
    let (prefix, suffix) = bounded_context(a);
    let (before, after) = around(text, index, span, prefix, suffix);
    similarity(before, prefix) + similarity(after, suffix)
}

/// The annotation's context, at most [`CONTEXT_CHARS`] chars each side.
fn bounded_context(a: &Annotation) -> (&str, &str) {
    (
        tail(&a.prefix, CONTEXT_CHARS),
        head(&a.suffix, CONTEXT_CHARS),
    )
}

/// The new text's chars before and after `span`, as many as `prefix` and `suffix` hold.
fn around<'t>(
    text: &'t str,
    index: &CharIndex,
    span: Span,
    prefix: &str,
    suffix: &str,
) -> (&'t str, &'t str) {
    let len = index.len_chars();
    let before = index.slice(
        text,
        Span::between(
            span.start.saturating_sub(prefix.chars().count()),
            span.start,
        ),
    );
    let after = index.slice(
        text,
        Span::between(span.end, (span.end + suffix.chars().count()).min(len)),
    );
    (before, after)
}

/// The last `n` chars of `s`.
fn tail(s: &str, n: usize) -> &str {
    let count = s.chars().count();
    let skip = count.saturating_sub(n);
    s.char_indices().nth(skip).map_or("", |(b, _)| &s[b..])
}

/// The first `n` chars of `s`.
fn head(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(b, _)| &s[..b])
}

/// Places one annotation in the new text. `shift` is how far the annotation placed before
/// it moved: after an inserted paragraph every later one moved by as much, and is found
/// there at once (with its whole context unchanged) instead of by a search of the text.
fn place(
    hay: &mut Haystack<'_>,
    a: &Annotation,
    shift: isize,
    fuzzy_too: bool,
) -> (Placement, Option<Span>) {
    let (text, index) = (hay.text, hay.index);
    let len = index.len_chars();
    if a.span.fits(len) && index.slice(text, a.span) == a.exact {
        return (Placement::Same, Some(a.span));
    }
    let n = a.exact.chars().count();
    let expected = a.span.start.saturating_add_signed(shift);
    let (prefix, suffix) = bounded_context(a);
    let shifted = Span {
        start: expected,
        end: expected.saturating_add(n),
    };
    if shift != 0
        && shifted.fits(len)
        && index.slice(text, shifted) == a.exact
        && around(text, index, shifted, prefix, suffix) == (prefix, suffix)
    {
        return (Placement::Moved, Some(shifted));
    }
    let candidates = hay.occurrences(&a.exact);
    let spans = |starts: &[usize]| -> Vec<Span> {
        starts
            .iter()
            .map(|&s| Span {
                start: s,
                end: s + n,
            })
            .collect()
    };
    // An occurrence with its whole context unchanged is the best there is; only when
    // none has it are the nearest ones weighed by similarity.
    let perfect: Vec<Span> = spans(&candidates)
        .into_iter()
        .filter(|s| around(text, index, *s, prefix, suffix) == (prefix, suffix))
        .collect();
    let weighed = if perfect.is_empty() {
        spans(nearest(&candidates, expected))
    } else {
        perfect
    };
    if let Some(best) = weighed.into_iter().max_by(|x, y| {
        let (cx, cy) = (
            context_score(text, index, *x, a),
            context_score(text, index, *y, a),
        );
        cx.total_cmp(&cy).then_with(|| {
            // Nearer the old position is better: compare distances reversed.
            y.start
                .abs_diff(a.span.start)
                .cmp(&x.start.abs_diff(a.span.start))
        })
    }) {
        return (Placement::Moved, Some(best));
    }
    if !fuzzy_too {
        return (Placement::Orphan, None);
    }
    fuzzy(hay, a, expected)
}

/// Finds annotations from another tool by their text, for imports: steps 1 and 2 of
/// re-anchoring only (the exact text at its stated span, else the occurrence whose context
/// matches best, then the nearest). Never the fuzzy step: an import puts nothing on words
/// that are not the ones the other tool marked.
pub struct Locator<'t> {
    hay: Haystack<'t>,
}

impl<'t> Locator<'t> {
    /// A locator over `text` (each distinct needle is searched for once).
    #[must_use]
    pub fn new(text: &'t crate::text::Text) -> Self {
        Self {
            hay: Haystack {
                text: text.as_str(),
                index: text.index(),
                found: std::collections::HashMap::new(),
            },
        }
    }

    /// Where `a.exact` is: at `a.span` if it is there, else the best occurrence (context
    /// `a.prefix`/`a.suffix`, then nearness to `a.span`); `None` when it occurs nowhere.
    pub fn locate(&mut self, a: &Annotation) -> Option<Span> {
        if a.exact.is_empty() {
            return None;
        }
        match place(&mut self.hay, a, 0, false) {
            (Placement::Same | Placement::Moved, span) => span,
            _ => None,
        }
    }
}

/// The fuzzy step: the old context brackets a text at least 60 % similar to the old exact
/// text. Bounded: the [`MAX_OCCURRENCES`] nearest occurrences of the context, lengths that
/// can reach 60 %, and at most [`FUZZY_BUDGET`] cells of edit distance.
fn fuzzy(hay: &mut Haystack<'_>, a: &Annotation, expected: usize) -> (Placement, Option<Span>) {
    let (text, index) = (hay.text, hay.index);
    let len = index.len_chars();
    let n = a.exact.chars().count();
    let pre = tail(&a.prefix, 16);
    let suf = head(&a.suffix, 16);
    if pre.chars().count() < 4 || suf.chars().count() < 4 {
        return (Placement::Orphan, None);
    }
    let mut budget = FUZZY_BUDGET;
    let mut best: Option<(f64, Span)> = None;
    let mut consider = |s: Span, budget: &mut usize| {
        let cells = s.len().max(1) * n.max(1);
        if cells > *budget {
            *budget = 0;
            return;
        }
        *budget -= cells;
        let sim = similarity(index.slice(text, s), &a.exact);
        if sim >= 0.6 && best.is_none_or(|(bs, _)| sim > bs) {
            best = Some((sim, s));
        }
    };
    let pre_len = pre.chars().count();
    for &p in nearest(&hay.occurrences(pre), expected.saturating_sub(pre_len)) {
        let start = p + pre_len;
        let window_end = (start + 2 * n.max(8)).min(len);
        let window = index.slice(text, Span::between(start, window_end));
        if let Some(b) = window.find(suf) {
            let end = start + window[..b].chars().count();
            if end > start {
                consider(Span { start, end }, &mut budget);
            }
        }
    }
    // The suffix alone (a paragraph was inserted before the span, moving its prefix
    // away): try the starts before it, keep the most similar. Only lengths from 60 % to
    // 167 % of the old one can be 60 % similar.
    if n <= 400 {
        for &q in nearest(&hay.occurrences(suf), expected.saturating_add(n)) {
            let lo = q.saturating_sub(n * 5 / 3);
            let hi = q.saturating_sub((n * 3).div_ceil(5)).max(lo);
            for start in lo..=hi {
                if start >= q || budget == 0 {
                    break;
                }
                consider(Span { start, end: q }, &mut budget);
            }
        }
    }
    match best {
        Some((_, s)) => (Placement::Fuzzy, Some(s)),
        None => (Placement::Orphan, None),
    }
}

/// Re-anchors `doc`'s annotations (and orphans from an earlier run) onto `new_text`.
/// Returns the new document (same title, source and rejections where they still fit) and
/// what happened to each annotation.
#[must_use]
pub fn reanchor(doc: &Document, new_text: &str) -> (Document, Report) {
    let mut out = Document::from_article(new_text, doc.meta.source.clone());
    out.meta.title.clone_from(&doc.meta.title);
    out.meta.url.clone_from(&doc.meta.url);
    let text = out.text().as_str().to_owned();
    let index = CharIndex::new(&text);
    let mut hay = Haystack {
        text: &text,
        index: &index,
        found: std::collections::HashMap::new(),
    };
    let mut shift = 0isize;
    let mut report = Report::default();
    let mut placed = Vec::new();
    let mut orphans = Vec::new();
    for a in doc
        .annotations()
        .iter()
        .map(AsRef::as_ref)
        .chain(doc.orphans())
    {
        let (how, span) = place(&mut hay, a, shift, true);
        if let (Placement::Same | Placement::Moved, Some(span)) = (how, span) {
            shift = span.start.cast_signed() - a.span.start.cast_signed();
        }
        match (how, span) {
            (Placement::Orphan, _) | (_, None) => {
                report.orphaned += 1;
                orphans.push(a.clone());
            }
            (how, Some(span)) => {
                match how {
                    Placement::Same => report.same += 1,
                    Placement::Moved => report.moved += 1,
                    _ => report.fuzzy += 1,
                }
                let mut b = a.clone();
                // The parts of a discontinuous span move with it while its text is the
                // same; a fuzzy match changed the text, and the parts no longer apply.
                if how == Placement::Fuzzy {
                    b.fragments.clear();
                } else {
                    let delta = span.start.cast_signed() - a.span.start.cast_signed();
                    for f in &mut b.fragments {
                        f.start = f.start.saturating_add_signed(delta);
                        f.end = f.end.saturating_add_signed(delta);
                    }
                }
                b.span = span;
                index.slice(&text, span).clone_into(&mut b.exact);
                let (prefix, suffix) = out.text().context(span);
                b.prefix = prefix;
                b.suffix = suffix;
                placed.push(b);
            }
        }
    }
    let meta = out.meta.clone();
    let rejected = doc.rejected().to_vec();
    let out = Document::from_parts(meta, text, placed)
        .with_rejected(rejected)
        .with_orphans(orphans);
    (out, report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Kind;
    use crate::edit::Edit;
    use time::OffsetDateTime;

    fn doc_with(text: &str, marks: &[&str]) -> Document {
        let mut d = Document::from_article(text, None);
        for m in marks {
            let start = text[..text.find(m).unwrap()].chars().count();
            let span = Span {
                start,
                end: start + m.chars().count(),
            };
            let a = d.new_annotation(Kind::Figure, span, "t", OffsetDateTime::UNIX_EPOCH);
            Edit::Insert(a).apply(&mut d).unwrap();
        }
        d
    }

    #[test]
    fn same_moved_fuzzy_and_orphan() {
        let old = doc_with(
            "Title\n\nMore than 10,000 people were arrested. The president said 2,000 were detained. About 164 died.",
            &["More than 10,000", "2,000", "About 164"],
        );
        let new = "Title\n\nA new first paragraph.\n\nMore than 11,000 people were arrested. The president said 2,000 were detained.";
        let (doc, report) = reanchor(&old, new);
        assert_eq!(
            report,
            Report {
                same: 0,
                moved: 1,
                fuzzy: 1,
                orphaned: 1
            },
            "{}",
            report.summary()
        );
        let texts: Vec<&str> = doc.annotations().iter().map(|a| a.exact.as_str()).collect();
        assert_eq!(texts, ["More than 11,000", "2,000"]);
        assert_eq!(doc.orphans().len(), 1);
        assert_eq!(doc.orphans()[0].exact, "About 164");
        for a in doc.annotations() {
            assert_eq!(doc.text().slice(a.span), a.exact);
        }
    }

    #[test]
    fn unchanged_text_keeps_every_annotation_in_place() {
        let old = doc_with(
            "Title\n\n26 protesters and 18 policemen were killed.",
            &["26", "18"],
        );
        let (doc, report) = reanchor(&old, old.text().as_str());
        assert_eq!(report.same, 2);
        assert_eq!(doc.annotations(), old.annotations());
    }

    #[test]
    fn repeated_text_goes_to_the_occurrence_with_the_same_context() {
        let old = doc_with("Title\n\nOn Monday 12 died. On Tuesday 12 were hurt.", &[]);
        let mut old = old;
        let start = "Title\n\nOn Monday 12 died. On Tuesday ".chars().count();
        let a = old.new_annotation(
            Kind::Figure,
            Span {
                start,
                end: start + 2,
            },
            "t",
            OffsetDateTime::UNIX_EPOCH,
        );
        Edit::Insert(a).apply(&mut old).unwrap();
        let new = "Title\n\nUpdated.\n\nOn Monday 12 died. On Tuesday 12 were hurt.";
        let (doc, report) = reanchor(&old, new);
        assert_eq!(report.moved, 1);
        let a = &doc.annotations()[0];
        assert_eq!(a.suffix.split_whitespace().next(), Some("were"));
    }
}
