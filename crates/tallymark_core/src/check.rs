//! Summaries of a loaded annotation file, for `tallymark check` and the status bar.

use std::fmt::Write as _;

use super::annotation::{AnnotationId, FigureAttrs, Kind};
use super::document::Document;

/// Pairs of annotations of the same kind on the same span: the second mark of the same
/// text, never meant (the app refuses it; files written elsewhere may have it). Each pair
/// is `(first, repeat)` in file order.
#[must_use]
pub fn duplicates(doc: &Document) -> Vec<(AnnotationId, AnnotationId)> {
    let mut seen = std::collections::HashMap::new();
    let mut out = Vec::new();
    for a in doc.annotations() {
        let key = (a.span.start, a.span.end, a.kind());
        match seen.get(&key) {
            Some(&first) => out.push((first, a.id)),
            None => {
                seen.insert(key, a.id);
            }
        }
    }
    out
}

/// What `tallymark check` says of the duplicates, one line each.
#[must_use]
pub fn duplicate_problems(doc: &Document) -> Vec<String> {
    duplicates(doc)
        .into_iter()
        .filter_map(|(first, repeat)| {
            let a = doc.get(repeat)?;
            Some(format!(
                "problem: #{repeat} repeats #{first}: the same {} on chars {}–{} (“{}”)",
                a.kind().label().to_lowercase(),
                a.span.start,
                a.span.end,
                crate::text::shorten(&a.exact, 40)
            ))
        })
        .collect()
}

/// Per-kind counts and a few facts for the one-line summaries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// `(kind, count)` in display order.
    pub counts: Vec<(Kind, usize)>,
    /// Figures without a value.
    pub figures_without_value: usize,
    /// Quotes without a speaker.
    pub quotes_without_speaker: usize,
    /// Claims without a claimant.
    pub claims_without_claimant: usize,
    /// Figures whose value is NaN or infinite. The loader and the importers refuse them, so
    /// this is zero for any document read from a file; it guards documents built otherwise.
    pub figures_not_finite: usize,
}

impl Summary {
    /// Summarises a document from its running tally, in constant time (the status bar
    /// asks after every edit); `figures_not_finite` is left at zero (see [`Self::full`]).
    #[must_use]
    pub fn of(doc: &Document) -> Self {
        let t = doc.tally();
        Self {
            counts: Kind::ALL.iter().map(|k| (*k, doc.count(*k))).collect(),
            figures_without_value: t.figures_without_value,
            quotes_without_speaker: t.quotes_without_speaker,
            claims_without_claimant: t.claims_without_claimant,
            figures_not_finite: 0,
        }
    }

    /// [`Self::of`] plus the checks that pass over every annotation (`tallymark check`).
    #[must_use]
    pub fn full(doc: &Document) -> Self {
        Self {
            figures_not_finite: doc
                .annotations()
                .iter()
                .filter(|a| a.figure().and_then(FigureAttrs::non_finite).is_some())
                .count(),
            ..Self::of(doc)
        }
    }

    /// One line per kind, e.g. `figure: 14 (all with a value)`.
    #[must_use]
    pub fn lines(&self) -> Vec<String> {
        self.counts
            .iter()
            .map(|(kind, n)| {
                let (missing, what) = match kind {
                    Kind::Claim => (self.claims_without_claimant, "claimant"),
                    Kind::Quote => (self.quotes_without_speaker, "speaker"),
                    Kind::Figure => (self.figures_without_value, "value"),
                };
                let name = kind.label().to_lowercase();
                let mut line = if missing == 0 {
                    format!("{name}: {n}")
                } else {
                    format!("{name}: {n} ({missing} without a {what})")
                };
                if *kind == Kind::Figure && self.figures_not_finite > 0 {
                    let _ = write!(
                        line,
                        " ({} with a value that is not a finite number)",
                        self.figures_not_finite
                    );
                }
                line
            })
            .collect()
    }

    /// Short form for the status bar: `14 figures · 11 quotes · 5 claims`.
    #[must_use]
    pub fn short(&self) -> String {
        self.counts
            .iter()
            .rev()
            .map(|(k, n)| {
                let name = k.label().to_lowercase();
                if *n == 1 {
                    format!("1 {name}")
                } else {
                    format!("{n} {name}s")
                }
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Attributes;
    use crate::edit::Edit;
    use crate::span::Span;

    #[test]
    fn the_same_kind_on_the_same_span_is_a_duplicate() {
        let mut doc = Document::from_article("Police said 164 people died.", None);
        let span = Span { start: 12, end: 15 };
        let t = time::OffsetDateTime::UNIX_EPOCH;
        for kind in [Kind::Figure, Kind::Figure, Kind::Claim] {
            let a = doc.new_annotation(kind, span, "me", t);
            Edit::Insert(a).apply(&mut doc).unwrap();
        }
        let d = duplicates(&doc);
        assert_eq!(d.len(), 1, "a claim on the same span is no duplicate");
        assert_eq!(duplicate_problems(&doc).len(), 1);
        assert!(duplicate_problems(&doc)[0].contains("the same figure on chars 12–15"));
    }

    #[test]
    fn a_non_finite_value_is_reported() {
        let mut doc = Document::from_article("Title\n\n12 people were killed.", None);
        let mut a = doc.new_annotation(
            Kind::Figure,
            Span { start: 7, end: 9 },
            "t",
            time::OffsetDateTime::UNIX_EPOCH,
        );
        a.attributes = Attributes::Figure(FigureAttrs {
            value_low: Some(f64::NAN),
            ..FigureAttrs::default()
        });
        crate::edit::Edit::Insert(a).apply(&mut doc).unwrap();
        let s = Summary::full(&doc);
        assert_eq!(s.figures_not_finite, 1);
        let figure_line = s.lines().pop().unwrap();
        assert!(
            figure_line.contains("1 with a value that is not a finite number"),
            "{figure_line}"
        );
    }
}
