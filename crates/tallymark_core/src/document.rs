//! A document: one article and the annotations made on it.

use std::sync::Arc;

use time::OffsetDateTime;

use super::annotation::{Annotation, AnnotationId, Attributes, FigureAttrs, Kind};
use super::figure::parse_figure;
use super::span::Span;
use super::text::{self, Normalization, Text};

/// Where an article came from and what was done to it on load.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleMeta {
    /// Display title (first line of the article unless set).
    pub title: String,
    /// The file the text was read from, as given.
    pub source: Option<String>,
    /// A web address for the article, when known.
    pub url: Option<String>,
    /// The publication (site, paper, agency), when known.
    pub outlet: Option<String>,
    /// When it was published, when known.
    pub published: Option<crate::provenance::Published>,
    /// Who wrote it, when known.
    pub author: Option<String>,
    /// Its language, a BCP 47 tag (`en`, `ru`, `kk`…), when known.
    pub language: Option<String>,
    /// What was read from the article's tags but not used, and why (this session only:
    /// shown when the article opens, not saved).
    pub notes: Vec<String>,
    /// What normalisation changed.
    pub normalization: Normalization,
    /// The encoding the article was read in (`UTF-8`, `windows-1251`…), when read from a
    /// file in this session.
    pub encoding: Option<String>,
}

/// The article's title and provenance: what the Article panel edits, one undo step per
/// change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleInfo {
    /// Display title.
    pub title: String,
    /// The publication.
    pub outlet: Option<String>,
    /// The article's address.
    pub url: Option<String>,
    /// When it was published.
    pub published: Option<crate::provenance::Published>,
    /// Who wrote it.
    pub author: Option<String>,
    /// Its language (BCP 47).
    pub language: Option<String>,
}

impl ArticleMeta {
    /// The editable part.
    #[must_use]
    pub fn info(&self) -> ArticleInfo {
        ArticleInfo {
            title: self.title.clone(),
            outlet: self.outlet.clone(),
            url: self.url.clone(),
            published: self.published,
            author: self.author.clone(),
            language: self.language.clone(),
        }
    }

    /// Replaces the editable part.
    pub fn set_info(&mut self, info: ArticleInfo) {
        self.title = info.title;
        self.outlet = info.outlet;
        self.url = info.url;
        self.published = info.published;
        self.author = info.author;
        self.language = info.language;
    }

    /// Takes what `p` knows; the title only where it has one (else the first line stays).
    pub fn apply_provenance(&mut self, p: crate::provenance::Provenance) {
        if let Some(title) = p.title {
            self.title = title;
        }
        self.outlet = p.outlet.or_else(|| self.outlet.take());
        self.url = p.url.or_else(|| self.url.take());
        self.published = p.published.or(self.published);
        self.author = p.author.or_else(|| self.author.take());
        self.language = p.language.or_else(|| self.language.take());
        self.notes.extend(p.notes);
    }

    /// `Title — Outlet, 2022-01-11` as far as known: how the article list and the
    /// comparison name an article.
    #[must_use]
    pub fn label(&self) -> String {
        let mut out = self.title.clone();
        let origin: Vec<String> = [
            self.outlet.clone(),
            self.published.map(|p| p.date.to_string()),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !origin.is_empty() {
            out.push_str(" — ");
            out.push_str(&origin.join(", "));
        }
        out
    }
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
///
/// Annotations are shared (`Arc`) and the text is shared, so cloning a document (the
/// snapshot a background save writes from) copies pointers, not 50,000 annotations, and
/// inserting one moves 8-byte pointers rather than whole records.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// Title, source and normalisation of the article.
    pub meta: ArticleMeta,
    text: Text,
    annotations: Vec<Arc<Annotation>>,
    /// The spans of `annotations`, same order: the interval index reads these, packed
    /// together, instead of following a pointer per annotation.
    spans: Vec<Span>,
    /// The annotations by id, for `get` and `remove` without a scan.
    by_id: std::collections::HashMap<AnnotationId, Arc<Annotation>>,
    /// Counts kept up to date by every insert and removal (see [`Tally`]).
    tally: Tally,
    /// Bumped by every change to the annotations or the rejected suggestions.
    revision: u64,
    /// The spans the last changes touched, newest last, with the revision each made (at
    /// most [`CHANGE_LOG`]): caches built from the document update just those places.
    changes: std::collections::VecDeque<(u64, Span)>,
    /// Interval index over `annotations`: the largest span end in each bucket of
    /// [`BUCKET`] consecutive annotations (text order). A lookup skips every bucket whose
    /// spans all end before the range it asks about, so finding what a paragraph or a char
    /// holds costs about `n / BUCKET` comparisons plus the hits, not a scan of everything.
    bucket_ends: Vec<usize>,
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
                ..ArticleMeta::default()
            },
            text: Text::new(normalized),
            annotations: Vec::new(),
            spans: Vec::new(),
            by_id: std::collections::HashMap::new(),
            tally: Tally::default(),
            revision: 0,
            changes: std::collections::VecDeque::new(),
            bucket_ends: Vec::new(),
            rejected: Vec::new(),
            orphans: Vec::new(),
        }
    }

    /// A document from already normalised text and annotations (used by the loader).
    #[must_use]
    pub fn from_parts<A: Into<Arc<Annotation>>>(
        meta: ArticleMeta,
        text: String,
        annotations: Vec<A>,
    ) -> Self {
        let mut annotations: Vec<Arc<Annotation>> =
            annotations.into_iter().map(Into::into).collect();
        annotations.sort_by_key(|a| sort_key(a));
        let spans = annotations.iter().map(|a| a.span).collect();
        let by_id = annotations.iter().map(|a| (a.id, Arc::clone(a))).collect();
        let mut tally = Tally::default();
        for a in &annotations {
            tally.add(a, 1);
        }
        let mut doc = Self {
            meta,
            text: Text::new(text),
            annotations,
            spans,
            by_id,
            tally,
            revision: 0,
            changes: std::collections::VecDeque::new(),
            bucket_ends: Vec::new(),
            rejected: Vec::new(),
            orphans: Vec::new(),
        };
        doc.reindex_from(0);
        doc
    }

    /// Recomputes the interval index from annotation `at` on (everything after an insert
    /// or removal shifts by one, so later buckets change too; this is a max over ends,
    /// about 20 µs for 50,000 annotations).
    fn reindex_from(&mut self, at: usize) {
        let first = at / BUCKET;
        self.bucket_ends.truncate(first);
        self.bucket_ends.extend(
            self.spans[(first * BUCKET).min(self.spans.len())..]
                .chunks(BUCKET)
                .map(|c| c.iter().map(|s| s.end).max().unwrap_or(0)),
        );
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
        // Sorted by kind, then span: the matches sit together.
        let from = self
            .rejected
            .partition_point(|r| (r.kind, r.span) < (kind, span));
        self.rejected
            .get(from)
            .is_some_and(|r| r.kind == kind && r.span == span)
    }

    pub(crate) fn add_rejected(&mut self, r: Rejected) -> bool {
        match self.rejected.binary_search(&r) {
            Ok(_) => false,
            Err(at) => {
                self.changed(r.span);
                self.rejected.insert(at, r);
                true
            }
        }
    }

    pub(crate) fn remove_rejected(&mut self, r: &Rejected) -> bool {
        match self.rejected.binary_search(r) {
            Ok(at) => {
                self.changed(r.span);
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
    pub fn annotations(&self) -> &[Arc<Annotation>] {
        &self.annotations
    }

    /// The annotation with `id`.
    #[must_use]
    pub fn get(&self, id: AnnotationId) -> Option<&Annotation> {
        self.by_id.get(&id).map(AsRef::as_ref)
    }

    /// Position of the annotation with `id` in [`Self::annotations`] (a lookup and a
    /// binary search, not a scan).
    #[must_use]
    pub fn index_of(&self, id: AnnotationId) -> Option<usize> {
        let key = sort_key(self.by_id.get(&id)?.as_ref());
        let at = self.annotations.partition_point(|a| sort_key(a) < key);
        (self.annotations.get(at)?.id == id).then_some(at)
    }

    /// An id not used yet.
    #[must_use]
    pub fn next_id(&self) -> AnnotationId {
        self.annotations
            .iter()
            .map(|a| a.id)
            .chain(self.orphans.iter().map(|a| a.id))
            .max()
            .unwrap_or(0)
            + 1
    }

    /// Number of annotations of `kind`.
    #[must_use]
    pub fn count(&self, kind: Kind) -> usize {
        self.tally.kinds[kind.index()]
    }

    /// Counts per kind and of missing attributes, kept current on every edit.
    #[must_use]
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// A number bumped by every change to the annotations or the rejected suggestions.
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The spans changed since revision `since`, or `None` when that is too far back to
    /// tell (then rebuild from scratch).
    #[must_use]
    pub fn changes_since(&self, since: u64) -> Option<Vec<Span>> {
        if since == self.revision {
            return Some(Vec::new());
        }
        let oldest = self.changes.front().map_or(self.revision, |c| c.0);
        // Each logged change made one revision: `since` must be no older than the
        // revision just before the oldest logged one.
        if since > self.revision || since + 1 < oldest {
            return None;
        }
        Some(
            self.changes
                .iter()
                .filter(|(rev, _)| *rev > since)
                .map(|(_, span)| *span)
                .collect(),
        )
    }

    fn changed(&mut self, span: Span) {
        self.revision += 1;
        if self.changes.len() == CHANGE_LOG {
            self.changes.pop_front();
        }
        self.changes.push_back((self.revision, span));
    }

    /// Builds (but does not insert) a new annotation of `kind` over `span`, filling in the
    /// exact text, its context and, for figures, the parsed number with what its sentence
    /// says of it (metric, who, source, place, date).
    #[must_use]
    pub fn new_annotation(
        &self,
        kind: Kind,
        span: Span,
        annotator: &str,
        now: OffsetDateTime,
    ) -> Annotation {
        let attributes = match kind {
            Kind::Figure => {
                let mut f = FigureAttrs::default();
                set_value(&mut f, self.value_in(&[span]));
                self.read_scope(span, &mut f);
                Attributes::Figure(f)
            }
            other => Attributes::empty(other),
        };
        self.annotation_with(span, attributes, annotator, now)
    }

    /// `parts` made fit to be an annotation's parts: each trimmed of the whitespace around
    /// it (a sloppy drag still gives clean parts), empty ones dropped, in text order, and
    /// overlapping ones, or ones with only whitespace between them, merged into one.
    #[must_use]
    pub fn tidy_parts(&self, parts: &[Span]) -> Vec<Span> {
        let len = self.text.len_chars();
        let mut out: Vec<Span> = parts
            .iter()
            .filter(|p| p.fits(len))
            .map(|p| crate::text::trim_span(&self.text, *p))
            .filter(|p| !p.is_empty())
            .collect();
        out.sort_by_key(|p| (p.start, p.end));
        let mut merged: Vec<Span> = Vec::with_capacity(out.len());
        for p in out {
            match merged.last_mut() {
                Some(last)
                    if p.start <= last.end
                        || self
                            .text
                            .slice(Span::between(last.end, p.start))
                            .chars()
                            .all(char::is_whitespace) =>
                {
                    last.end = last.end.max(p.end);
                }
                _ => merged.push(p),
            }
        }
        merged
    }

    /// Puts `a` on `parts` (tidied as by [`Self::tidy_parts`]): its span runs from the first
    /// part's start to the last one's end, its fragments are the parts when there are two
    /// or more, and its text and context are read again. False, and `a` unchanged, when no
    /// part is left.
    pub fn place_on(&self, a: &mut Annotation, parts: &[Span]) -> bool {
        let parts = self.tidy_parts(parts);
        let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
            return false;
        };
        a.span = Span {
            start: first.start,
            end: last.end,
        };
        self.text.slice(a.span).clone_into(&mut a.exact);
        let (prefix, suffix) = self.text.context(a.span);
        a.prefix = prefix;
        a.suffix = suffix;
        a.fragments = if parts.len() > 1 { parts } else { Vec::new() };
        true
    }

    /// A new annotation of `kind` on `parts` (see [`Self::place_on`]); a figure's value is
    /// read from the marked words only, never from the words left out between them. None
    /// when no part is left.
    #[must_use]
    pub fn new_annotation_on(
        &self,
        kind: Kind,
        parts: &[Span],
        annotator: &str,
        now: OffsetDateTime,
    ) -> Option<Annotation> {
        let tidy = self.tidy_parts(parts);
        let outer = Span {
            start: tidy.first()?.start,
            end: tidy.last()?.end,
        };
        let mut a = self.new_annotation(kind, outer, annotator, now);
        if tidy.len() > 1 {
            self.place_on(&mut a, &tidy);
            if let Attributes::Figure(f) = &mut a.attributes {
                set_value(f, self.value_in(&tidy));
            }
        }
        Some(a)
    }

    /// The figures that have no value yet but whose marked words read as one (imported from
    /// a tool that only marked where figures are), each with its value and qualifier read
    /// as marking it here would: ready to replace the ones in the document.
    #[must_use]
    pub fn figures_valued_from_text(&self) -> Vec<Annotation> {
        self.annotations
            .iter()
            .filter(|a| a.figure().is_some_and(|f| f.value_low.is_none()))
            .filter_map(|a| {
                let parsed = self.value_in(a.parts())?;
                let mut a = Annotation::clone(a);
                if let Attributes::Figure(f) = &mut a.attributes {
                    set_value(f, Some(parsed));
                }
                Some(a)
            })
            .collect()
    }

    /// The figure the words of `parts` state (joined by a space: never the words between
    /// the parts of a discontinuous annotation), as marking a figure reads it.
    fn value_in(&self, parts: &[Span]) -> Option<crate::figure::ParsedFigure> {
        let words: Vec<&str> = parts.iter().map(|p| self.text.slice(*p)).collect();
        parse_figure(&words.join(" "))
    }

    /// A new annotation over `span` with the `attributes` given (an accepted suggestion
    /// brings its own: nothing is read again).
    #[must_use]
    pub fn annotation_with(
        &self,
        span: Span,
        attributes: Attributes,
        annotator: &str,
        now: OffsetDateTime,
    ) -> Annotation {
        let exact = self.text.slice(span).to_owned();
        let (prefix, suffix) = self.text.context(span);
        Annotation {
            id: self.next_id(),
            span,
            exact,
            prefix,
            suffix,
            attributes,
            note: String::new(),
            annotator: annotator.to_owned(),
            created: Some(now),
            modified: Some(now),
            label: None,
            notes: Vec::new(),
            fields: Vec::new(),
            links: Vec::new(),
            fragments: Vec::new(),
        }
    }

    /// Fills what the figure's paragraph says of it, as the suggester reads it: metric, who
    /// and source from the suggestion on the same number, place and reported date from its
    /// sentence (see [`crate::scope`]). Only the paragraph is read, so marking a figure in a
    /// book costs what it costs in a short article.
    fn read_scope(&self, span: Span, f: &mut FigureAttrs) {
        const SIDE: usize = 2_000;
        let first = self.text.line_of(span.start);
        let last = self
            .text
            .line_of(span.end.saturating_sub(1).max(span.start));
        // The paragraph, or what of it lies within a couple of thousand chars of the figure
        // (a paragraph of megabytes is no paragraph).
        let para = Span {
            start: self
                .text
                .line_span(first)
                .start
                .max(span.start.saturating_sub(SIDE)),
            end: self
                .text
                .line_span(last)
                .end
                .min(span.end.saturating_add(SIDE)),
        };
        let text = self.text.slice(para);
        let local = Span {
            start: span.start - para.start,
            end: span.end - para.start,
        };
        let published = self.meta.published.map(|p| p.date);
        let options = crate::suggest::Options {
            deployments: true,
            published,
            language: self
                .meta
                .language
                .as_deref()
                .and_then(crate::suggest::Lang::from_code),
            ..crate::suggest::Options::default()
        };
        let found = crate::suggest::suggest(text, options);
        if let Some(s) = found.figures.iter().find(|s| s.span.overlaps(local)) {
            f.metric.clone_from(&s.figure.metric);
            f.who.clone_from(&s.figure.who);
            f.source.clone_from(&s.figure.source);
        }
        let chars: Vec<char> = text.chars().collect();
        crate::scope::enrich(&chars, local, published, f);
    }

    /// Annotations covering char `offset`, innermost (shortest) first. A discontinuous
    /// annotation covers its parts, not the gaps between them.
    #[must_use]
    pub fn annotations_at(&self, offset: usize) -> Vec<&Annotation> {
        let mut hits: Vec<&Annotation> = self
            .annotations_in(Span {
                start: offset,
                end: offset + 1,
            })
            .filter(|a| a.parts().iter().any(|p| p.contains(offset)))
            .collect();
        hits.sort_by_key(|a| (a.span.len(), a.id));
        hits
    }

    /// Annotations overlapping `span`, in text order.
    pub fn annotations_in(&self, span: Span) -> impl Iterator<Item = &Annotation> {
        // Sorted by start, so everything from the first start >= span.end can be skipped;
        // before that, buckets whose spans all end at or before span.start.
        let end = self.spans.partition_point(|s| s.start < span.end);
        let buckets = end.div_ceil(BUCKET);
        self.bucket_ends[..buckets]
            .iter()
            .enumerate()
            .filter(move |(_, max_end)| **max_end > span.start)
            .flat_map(move |(b, _)| b * BUCKET..((b + 1) * BUCKET).min(end))
            .filter(move |&i| self.spans[i].overlaps(span))
            .map(move |i| &*self.annotations[i])
    }

    pub(crate) fn insert(&mut self, annotation: Annotation) {
        let key = sort_key(&annotation);
        let at = self.annotations.partition_point(|a| sort_key(a) < key);
        let shared = Arc::new(annotation);
        self.tally.add(&shared, 1);
        self.changed(shared.span);
        self.spans.insert(at, shared.span);
        self.by_id.insert(shared.id, Arc::clone(&shared));
        self.annotations.insert(at, shared);
        self.reindex_from(at);
    }

    pub(crate) fn remove(&mut self, id: AnnotationId) -> Option<Annotation> {
        // A scan stays as the fallback should a caller ever have built a document with
        // duplicate ids (then the id map knows only one of them).
        let at = self
            .index_of(id)
            .or_else(|| self.annotations.iter().position(|a| a.id == id))?;
        self.by_id.remove(&id);
        let removed = self.annotations.remove(at);
        self.tally.add(&removed, -1);
        self.changed(removed.span);
        self.spans.remove(at);
        self.reindex_from(at);
        Some(Arc::unwrap_or_clone(removed))
    }
}

/// How many recent changes a document remembers for [`Document::changes_since`].
const CHANGE_LOG: usize = 256;

/// Counts of a document's annotations, kept current on every insert and removal so the
/// status bar and the list header cost nothing per frame or per edit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Annotations per kind: claims, quotes, figures.
    pub kinds: [usize; 3],
    /// Figures without a value.
    pub figures_without_value: usize,
    /// Quotes without a speaker.
    pub quotes_without_speaker: usize,
    /// Claims without a claimant.
    pub claims_without_claimant: usize,
}

impl Tally {
    fn add(&mut self, a: &Annotation, sign: isize) {
        let bump = |n: &mut usize| *n = n.saturating_add_signed(sign);
        bump(&mut self.kinds[a.kind().index()]);
        match &a.attributes {
            Attributes::Figure(f) if f.value_low.is_none() => {
                bump(&mut self.figures_without_value);
            }
            Attributes::Quote(q) if q.speaker.trim().is_empty() => {
                bump(&mut self.quotes_without_speaker);
            }
            Attributes::Claim(c) if c.claimant.trim().is_empty() => {
                bump(&mut self.claims_without_claimant);
            }
            _ => {}
        }
    }
}

/// Annotations per bucket of the interval index. Small enough that a bucket holding one
/// long span (a claim over a whole section) costs little to scan; large enough that the
/// bucket list of 50,000 annotations is short (1,600 entries).
/// Sets `f`'s value, high end and qualifier to what `parsed` read: none, and the default
/// qualifier, when it read nothing.
fn set_value(f: &mut FigureAttrs, parsed: Option<crate::figure::ParsedFigure>) {
    f.value_low = parsed.as_ref().map(|p| p.low);
    f.value_high = parsed.as_ref().and_then(|p| p.high);
    f.qualifier = parsed.map(|p| p.qualifier).unwrap_or_default();
}

const BUCKET: usize = 32;

fn sort_key(a: &Annotation) -> (usize, std::cmp::Reverse<usize>, AnnotationId) {
    (a.span.start, std::cmp::Reverse(a.span.end), a.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Qualifier;

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
    fn parts_are_tidied_and_a_discontinuous_figure_reads_only_its_parts() {
        let d = Document::from_article(
            "The toll, officials said on Monday, rose to 225 dead.",
            None,
        );
        let t = d.text().as_str();
        let at = |w: &str| {
            let s = t.find(w).unwrap();
            Span::between(s, s + w.len())
        };
        let (toll, rose) = (at("The toll"), at("rose to 225 dead"));
        // Whitespace trimmed, order restored, touching and overlapping parts merged.
        let sloppy = [
            Span::between(rose.start - 1, rose.end),
            Span::between(toll.start, toll.start + 4),
            Span::between(toll.start + 4, toll.end),
            Span::between(3, 3),
        ];
        assert_eq!(d.tidy_parts(&sloppy), vec![toll, rose]);
        let a = d
            .new_annotation_on(Kind::Figure, &sloppy, "me", OffsetDateTime::UNIX_EPOCH)
            .unwrap();
        assert_eq!(a.fragments, vec![toll, rose]);
        assert_eq!(a.span, Span::between(toll.start, rose.end));
        assert_eq!(a.marked_text(), "The toll … rose to 225 dead");
        assert_eq!(a.fragment_problem(), None);
        assert_eq!(
            a.figure().unwrap().value_low,
            Some(225.0),
            "not Monday's date"
        );
        // One part left: an ordinary span, no fragments.
        let one = d
            .new_annotation_on(Kind::Quote, &[toll, toll], "me", OffsetDateTime::UNIX_EPOCH)
            .unwrap();
        assert!(one.fragments.is_empty());
        assert_eq!(one.span, toll);
        assert!(
            d.new_annotation_on(
                Kind::Quote,
                &[Span::between(3, 4)],
                "me",
                OffsetDateTime::UNIX_EPOCH
            )
            .is_none(),
            "only a space"
        );
    }

    /// The interval index, the id map, the tally and the change log agree with a plain
    /// scan after many inserts and removals (long and short, nested and overlapping spans).
    #[test]
    fn index_matches_a_plain_scan_through_edits() {
        let text = "word ".repeat(600);
        let mut d = Document::from_article(&text, None);
        let len = d.text().len_chars();
        let mut rng = crate::synth::Rng::new(12_345);
        let mut next = |n: usize| rng.below(n);
        let now = OffsetDateTime::UNIX_EPOCH;
        let mut since = d.revision();
        for step in 0..700 {
            if step % 3 == 2 && !d.annotations().is_empty() {
                let id = d.annotations()[next(d.annotations().len())].id;
                assert!(d.remove(id).is_some());
                assert!(d.get(id).is_none());
            } else {
                let start = next(len - 1);
                // Mostly short spans, some very long ones (a claim over a section).
                let max = if next(10) == 0 { 2_000 } else { 30 };
                let end = (start + 1 + next(max)).min(len);
                let kind = Kind::ALL[next(3)];
                let mut a = d.new_annotation(kind, Span { start, end }, "t", now);
                a.id = 1_000 + step as u64;
                d.insert(a);
            }
            if step % 50 == 0 {
                let changed = d.changes_since(since).expect("recent changes are logged");
                assert!(!changed.is_empty());
                since = d.revision();
            }
        }
        assert!(d.changes_since(0).is_none(), "too old to tell");
        for probe in 0..300 {
            let start = next(len);
            let span = Span {
                start,
                end: (start + next(80)).min(len),
            };
            let fast: Vec<u64> = d.annotations_in(span).map(|a| a.id).collect();
            let slow: Vec<u64> = d
                .annotations()
                .iter()
                .filter(|a| a.span.overlaps(span))
                .map(|a| a.id)
                .collect();
            assert_eq!(fast, slow, "probe {probe} at {span}");
            let at = next(len);
            let mut slow_at: Vec<&Annotation> = d
                .annotations()
                .iter()
                .filter(|a| a.parts().iter().any(|p| p.contains(at)))
                .map(AsRef::as_ref)
                .collect();
            slow_at.sort_by_key(|a| (a.span.len(), a.id));
            assert_eq!(d.annotations_at(at), slow_at);
        }
        for (i, a) in d.annotations().iter().enumerate() {
            assert_eq!(d.get(a.id), Some(a.as_ref()));
            assert_eq!(d.index_of(a.id), Some(i));
        }
        let rebuilt = Document::from_parts(
            d.meta.clone(),
            d.text().as_str().to_owned(),
            d.annotations().to_vec(),
        );
        assert_eq!(d.tally(), rebuilt.tally());
        for k in Kind::ALL {
            assert_eq!(
                d.count(k),
                d.annotations().iter().filter(|a| a.kind() == k).count()
            );
        }
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
