//! Reviewing several annotators' files of one article: annotations are grouped into
//! clusters (same kind, overlapping spans); a cluster where every annotator made the same
//! annotation is agreed, any other is disputed and needs a decision. The adjudicated file
//! keeps the agreed annotations and the decided versions, and records in each note who
//! annotated what and who decided. The input files are never changed.

use std::fmt::Write as _;

use time::OffsetDateTime;

use super::annotation::{Annotation, Kind};
use super::document::Document;
use super::edit::Edit;
use super::span::Span;

/// One annotator's annotation in a cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    /// Index of the document (annotator) it comes from.
    pub doc: usize,
    /// The annotation as that annotator made it.
    pub annotation: Annotation,
}

/// Annotations of one kind whose spans overlap, across annotators.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// Their kind.
    pub kind: Kind,
    /// From the first start to the last end.
    pub span: Span,
    /// Every annotator's version, in document order.
    pub versions: Vec<Version>,
    /// True when every annotator made exactly the same annotation (span and attributes).
    pub agreed: bool,
}

/// What the reviewer decided for a disputed cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Keep this version (index into the cluster's versions).
    Take(usize),
    /// Keep none.
    Drop,
}

/// Groups the annotations of `docs` (one per annotator, same article) into clusters, in
/// text order.
#[must_use]
pub fn clusters(docs: &[&Document]) -> Vec<Cluster> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let mut items: Vec<Version> = docs
            .iter()
            .enumerate()
            .flat_map(|(d, doc)| {
                doc.annotations()
                    .iter()
                    .filter(move |a| a.kind() == kind)
                    .map(move |a| Version {
                        doc: d,
                        annotation: Annotation::clone(a),
                    })
            })
            .collect();
        items.sort_by_key(|v| (v.annotation.span.start, v.annotation.span.end, v.doc));
        // Sweep: a cluster grows while the next span starts before its end.
        let mut current: Option<Cluster> = None;
        for v in items {
            match &mut current {
                Some(c) if v.annotation.span.start < c.span.end => {
                    c.span.end = c.span.end.max(v.annotation.span.end);
                    c.versions.push(v);
                }
                _ => {
                    if let Some(c) = current.take() {
                        out.push(c);
                    }
                    current = Some(Cluster {
                        kind,
                        span: v.annotation.span,
                        versions: vec![v],
                        agreed: false,
                    });
                }
            }
        }
        if let Some(c) = current {
            out.push(c);
        }
    }
    for c in &mut out {
        c.versions.sort_by_key(|v| (v.doc, v.annotation.span.start));
        let first = &c.versions[0].annotation;
        c.agreed = c.versions.len() == docs.len()
            && c.versions.iter().enumerate().all(|(i, v)| {
                v.doc == i
                    && v.annotation.span == first.span
                    && v.annotation.attributes == first.attributes
            });
    }
    out.sort_by_key(|c| (c.span.start, std::cmp::Reverse(c.span.end), c.kind));
    out
}

/// Builds the adjudicated document: agreed clusters and the decided versions.
///
/// # Errors
/// When some disputed cluster has no decision (the message says how many).
pub fn adjudicate(
    base: &Document,
    clusters: &[Cluster],
    decisions: &[Option<Decision>],
    names: &[String],
    reviewer: &str,
    now: OffsetDateTime,
) -> Result<Document, String> {
    let undecided = clusters
        .iter()
        .zip(decisions.iter().chain(std::iter::repeat(&None)))
        .filter(|(c, d)| !c.agreed && d.is_none())
        .count();
    if undecided > 0 {
        return Err(format!(
            "{undecided} disputed annotation{} still need{} a decision",
            if undecided == 1 { "" } else { "s" },
            if undecided == 1 { "s" } else { "" }
        ));
    }
    let mut doc = Document::from_parts(
        base.meta.clone(),
        base.text().as_str().to_owned(),
        Vec::<Annotation>::new(),
    );
    let name = |d: usize| names.get(d).map_or("?", String::as_str);
    let date = crate::annotation::format_date(now.date());
    let mut id = 1;
    for (c, d) in clusters
        .iter()
        .zip(decisions.iter().chain(std::iter::repeat(&None)))
    {
        let (chosen, record) = if c.agreed {
            let who: Vec<&str> = c.versions.iter().map(|v| name(v.doc)).collect();
            (&c.versions[0], format!("Agreed by {}.", who.join(", ")))
        } else {
            match d {
                Some(Decision::Take(i)) if *i < c.versions.len() => {
                    let v = &c.versions[*i];
                    let others: Vec<String> = c
                        .versions
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| j != i)
                        .map(|(_, o)| {
                            format!(
                                "{} marked “{}” ({})",
                                name(o.doc),
                                o.annotation.exact,
                                o.annotation.summary()
                            )
                        })
                        .collect();
                    let missing: Vec<&str> = (0..names.len())
                        .filter(|n| !c.versions.iter().any(|v| v.doc == *n))
                        .map(name)
                        .collect();
                    let mut rec = format!(
                        "Adjudicated by {reviewer} on {date}: took {}'s version.",
                        name(v.doc)
                    );
                    if !others.is_empty() {
                        let _ = write!(rec, " Also: {}.", others.join("; "));
                    }
                    if !missing.is_empty() {
                        let _ = write!(rec, " Not marked by {}.", missing.join(", "));
                    }
                    (v, rec)
                }
                _ => continue,
            }
        };
        let mut a = chosen.annotation.clone();
        a.id = id;
        id += 1;
        a.note = if a.note.is_empty() {
            record
        } else {
            format!("{}\n{record}", a.note)
        };
        Edit::Insert(a).apply(&mut doc).map_err(|e| e.to_string())?;
    }
    Ok(doc)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The sentence both test modules annotate, marked by `who` (shared with agreement's).
    pub(crate) fn doc(spans: &[(Kind, usize, usize)], who: &str) -> Document {
        let mut d = Document::from_article(
            "More than 10,000 people were arrested, he said, and 2,000 detained.",
            None,
        );
        for (k, s, e) in spans {
            let a = d.new_annotation(
                *k,
                Span { start: *s, end: *e },
                who,
                OffsetDateTime::UNIX_EPOCH,
            );
            Edit::Insert(a).apply(&mut d).unwrap();
        }
        d
    }

    #[test]
    fn agreed_and_disputed_clusters_and_the_adjudicated_file() {
        let a = doc(&[(Kind::Figure, 0, 16), (Kind::Figure, 52, 57)], "ana");
        let b = doc(
            &[
                (Kind::Figure, 0, 23),
                (Kind::Figure, 52, 57),
                (Kind::Quote, 0, 38),
            ],
            "ben",
        );
        let cs = clusters(&[&a, &b]);
        assert_eq!(cs.len(), 3);
        let agreed: Vec<bool> = cs.iter().map(|c| c.agreed).collect();
        assert_eq!(agreed.iter().filter(|x| **x).count(), 1, "{cs:?}");
        let names = ["ana".to_owned(), "ben".to_owned()];
        let now = OffsetDateTime::UNIX_EPOCH;
        let mut decisions = vec![None; cs.len()];
        assert!(
            adjudicate(&a, &cs, &decisions, &names, "rev", now).is_err(),
            "undecided"
        );
        for (i, c) in cs.iter().enumerate() {
            if !c.agreed {
                decisions[i] = Some(if c.kind == Kind::Quote {
                    Decision::Drop
                } else {
                    Decision::Take(1)
                });
            }
        }
        let out = adjudicate(&a, &cs, &decisions, &names, "rev", now).unwrap();
        assert_eq!(out.annotations().len(), 2, "the quote was dropped");
        let taken = out
            .annotations()
            .iter()
            .find(|x| x.span.start == 0)
            .unwrap();
        assert_eq!(taken.span.end, 23, "ben's span");
        assert_eq!(taken.annotator, "ben", "who annotated it stays recorded");
        assert!(taken.note.contains("Adjudicated by rev") && taken.note.contains("ana marked"));
        let agreed = out
            .annotations()
            .iter()
            .find(|x| x.span.start == 52)
            .unwrap();
        assert!(agreed.note.contains("Agreed by ana, ben"));
        assert_eq!(a.annotations().len(), 2, "inputs untouched");
    }
}
