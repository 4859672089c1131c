//! A document: one article and the annotations made on it.

use time::OffsetDateTime;

use super::annotation::{Annotation, AnnotationId, Attributes, FigureAttrs, Kind};
use super::figure::parse_figure;
use super::span::Span;
use super::text::{self, Normalization, Text};

/// Where an article came from and what was done to it on load.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArticleMeta {
    /// Display title (first line of the article unless set).
    pub title: String,
    /// The file the text was read from, as given.
    pub source: Option<String>,
    /// A web address for the article, when known.
    pub url: Option<String>,
    /// What normalisation changed.
    pub normalization: Normalization,
    /// The encoding the article was read in (`UTF-8`, `windows-1251`…), when read from a
    /// file in this session.
    pub encoding: Option<String>,
}

/// A suggestion the user rejected, remembered in the file so it does not come back.
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Rejected {
    /// What was suggested.
    pub kind: Kind,
    /// Where.
    pub span: Span,
    /// The text it covered (for a reader of the file).
    pub exact: String,
}

/// An article with its annotations, kept sorted in text order.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// Title, source and normalisation of the article.
    pub meta: ArticleMeta,
    text: Text,
    annotations: Vec<Annotation>,
    /// Rejected suggestions, sorted.
    rejected: Vec<Rejected>,
    /// Annotations that could not be placed on a changed article (see `reanchor`); their
    /// spans refer to the old text. Kept until the user places or deletes them.
    orphans: Vec<Annotation>,
}

impl Document {
    /// A document for raw article text (normalised here), without annotations.
    #[must_use]
    pub fn from_article(raw: &str, source: Option<String>) -> Self {
        let (normalized, normalization) = text::normalize(raw);
        let title = text::guess_title(&normalized);
        Self {
            meta: ArticleMeta {
                title,
                source,
                url: None,
                normalization,
                encoding: None,
            },
            text: Text::new(normalized),
            annotations: Vec::new(),
            rejected: Vec::new(),
            orphans: Vec::new(),
        }
    }

    /// A document from already normalised text and annotations (used by the loader).
    #[must_use]
    pub fn from_parts(meta: ArticleMeta, text: String, mut annotations: Vec<Annotation>) -> Self {
        sort_annotations(&mut annotations);
        Self {
            meta,
            text: Text::new(text),
            annotations,
            rejected: Vec::new(),
            orphans: Vec::new(),
        }
    }

    /// Sets the orphaned annotations (used by the loader and by re-anchoring).
    #[must_use]
    pub fn with_orphans(mut self, mut orphans: Vec<Annotation>) -> Self {
        orphans.sort_by_key(|a| a.id);
        self.orphans = orphans;
        self
    }

    /// Annotations that could not be placed on this text, by id.
    #[must_use]
    pub fn orphans(&self) -> &[Annotation] {
        &self.orphans
    }

    pub(crate) fn remove_orphan(&mut self, id: AnnotationId) -> Option<Annotation> {
        let at = self.orphans.iter().position(|a| a.id == id)?;
        Some(self.orphans.remove(at))
    }

    pub(crate) fn add_orphan(&mut self, a: Annotation) {
        let at = self.orphans.partition_point(|o| o.id < a.id);
        self.orphans.insert(at, a);
    }

    /// Sets the rejected suggestions (used by the loader); ones that do not fit the text or
    /// no longer match it are dropped, as they are only hints.
    #[must_use]
    pub fn with_rejected(mut self, mut rejected: Vec<Rejected>) -> Self {
        let len = self.text.len_chars();
        rejected.retain(|r| {
            !r.span.is_empty() && r.span.fits(len) && self.text.slice(r.span) == r.exact
        });
        rejected.sort();
        rejected.dedup();
        self.rejected = rejected;
        self
    }

    /// Suggestions the user rejected, sorted.
    #[must_use]
    pub fn rejected(&self) -> &[Rejected] {
        &self.rejected
    }

    /// True when a suggestion of `kind` over `span` was rejected.
    #[must_use]
    pub fn is_rejected(&self, kind: Kind, span: Span) -> bool {
        self.rejected
            .iter()
            .any(|r| r.kind == kind && r.span == span)
    }

    pub(crate) fn add_rejected(&mut self, r: Rejected) -> bool {
        match self.rejected.binary_search(&r) {
            Ok(_) => false,
            Err(at) => {
                self.rejected.insert(at, r);
                true
            }
        }
    }

    pub(crate) fn remove_rejected(&mut self, r: &Rejected) -> bool {
        match self.rejected.binary_search(r) {
            Ok(at) => {
                self.rejected.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// The article text.
    #[must_use]
    pub fn text(&self) -> &Text {
        &self.text
    }

    /// Annotations in text order (start, then longer first, then id).
    #[must_use]
    pub fn annotations(&self) -> &[Annotation] {
        &self.annotations
    }

    /// The annotation with `id`.
    #[must_use]
    pub fn get(&self, id: AnnotationId) -> Option<&Annotation> {
        self.annotations.iter().find(|a| a.id == id)
    }

    /// An id not used yet.
    #[must_use]
    pub fn next_id(&self) -> AnnotationId {
        self.annotations
            .iter()
            .chain(&self.orphans)
            .map(|a| a.id)
            .max()
            .unwrap_or(0)
            + 1
    }

    /// Number of annotations of `kind`.
    #[must_use]
    pub fn count(&self, kind: Kind) -> usize {
        self.annotations.iter().filter(|a| a.kind() == kind).count()
    }

    /// Builds (but does not insert) a new annotation of `kind` over `span`, filling in the
    /// exact text, its context and, for figures, the parsed number.
    #[must_use]
    pub fn new_annotation(
        &self,
        kind: Kind,
        span: Span,
        annotator: &str,
        now: OffsetDateTime,
    ) -> Annotation {
        let exact = self.text.slice(span).to_owned();
        let (prefix, suffix) = self.text.context(span);
        let attributes = match kind {
            Kind::Figure => {
                let mut f = FigureAttrs::default();
                if let Some(parsed) = parse_figure(&exact) {
                    f.value_low = Some(parsed.low);
                    f.value_high = parsed.high;
                    f.qualifier = parsed.qualifier;
                }
                Attributes::Figure(f)
            }
            other => Attributes::empty(other),
        };
        Annotation {
            id: self.next_id(),
            span,
            exact,
            prefix,
            suffix,
            attributes,
            note: String::new(),
            annotator: annotator.to_owned(),
            created: now,
            modified: now,
        }
    }

    /// Annotations covering char `offset`, innermost (shortest) first.
    #[must_use]
    pub fn annotations_at(&self, offset: usize) -> Vec<&Annotation> {
        let mut hits: Vec<&Annotation> = self
            .annotations
            .iter()
            .take_while(|a| a.span.start <= offset)
            .filter(|a| a.span.contains(offset))
            .collect();
        hits.sort_by_key(|a| (a.span.len(), a.id));
        hits
    }

    /// Annotations overlapping `span`, in text order.
    pub fn annotations_in(&self, span: Span) -> impl Iterator<Item = &Annotation> {
        // Sorted by start, so everything from the first start >= span.end can be skipped.
        let end = self
            .annotations
            .partition_point(|a| a.span.start < span.end);
        self.annotations[..end]
            .iter()
            .filter(move |a| a.span.overlaps(span))
    }

    pub(crate) fn insert(&mut self, annotation: Annotation) {
        let key = sort_key(&annotation);
        let at = self.annotations.partition_point(|a| sort_key(a) < key);
        self.annotations.insert(at, annotation);
    }

    pub(crate) fn remove(&mut self, id: AnnotationId) -> Option<Annotation> {
        let at = self.annotations.iter().position(|a| a.id == id)?;
        Some(self.annotations.remove(at))
    }
}

fn sort_key(a: &Annotation) -> (usize, std::cmp::Reverse<usize>, AnnotationId) {
    (a.span.start, std::cmp::Reverse(a.span.end), a.id)
}

/// Sorts annotations in the canonical text order used in memory and in files.
pub fn sort_annotations(annotations: &mut [Annotation]) {
    annotations.sort_by_key(sort_key);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::Qualifier;

    fn doc() -> Document {
        Document::from_article(
            "Title\r\n\r\nMore than 160 people were killed, “including police”.\r\n",
            None,
        )
    }

    #[test]
    fn article_is_normalised_and_titled() {
        let d = doc();
        assert_eq!(d.meta.title, "Title");
        assert_eq!(d.meta.normalization.line_endings_fixed, 3);
        assert!(!d.text().as_str().contains('\r'));
    }

    #[test]
    fn new_figure_parses_its_number() {
        let d = doc();
        let start = d.text().as_str().find("More").unwrap();
        let span = Span {
            start,
            end: start + "More than 160".len(),
        };
        let a = d.new_annotation(Kind::Figure, span, "me", OffsetDateTime::UNIX_EPOCH);
        assert_eq!(a.exact, "More than 160");
        assert_eq!(a.prefix, "Title\n\n");
        let f = a.figure().unwrap();
        assert_eq!(f.value_low, Some(160.0));
        assert_eq!(f.qualifier, Qualifier::MoreThan);
    }

    #[test]
    fn nested_lookups_find_innermost_first() {
        let mut d = doc();
        let now = OffsetDateTime::UNIX_EPOCH;
        let outer = d.new_annotation(Kind::Claim, Span { start: 7, end: 40 }, "", now);
        d.insert(outer);
        let inner = d.new_annotation(Kind::Figure, Span { start: 17, end: 20 }, "", now);
        d.insert(inner);
        let hits = d.annotations_at(18);
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].kind(), Kind::Figure);
        assert_eq!(d.annotations_at(8).len(), 1);
        assert_eq!(d.annotations_in(Span { start: 0, end: 8 }).count(), 1);
        assert_eq!(d.annotations_in(Span { start: 19, end: 25 }).count(), 2);
        assert_eq!(d.next_id(), 3);
    }
}
