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
        let items: Vec<Version> = docs
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
        out.extend(group(kind, items));
    }
    for c in &mut out {
        c.versions.sort_by_key(|v| (v.doc, v.annotation.span.start));
        let first = &c.versions[0].annotation;
        c.agreed = c.versions.len() == docs.len()
            && c.versions.iter().enumerate().all(|(i, v)| {
                v.doc == i
                    && v.annotation.parts() == first.parts()
                    && v.annotation.attributes == first.attributes
            });
    }
    out.sort_by_key(|c| (c.span.start, std::cmp::Reverse(c.span.end), c.kind));
    out
}

/// Groups one kind's versions into clusters: versions whose marked parts overlap, directly
/// or through others. Parts, not outer spans, so two annotations that meet only in the
/// gap of a discontinuous one are not put side by side as rivals.
fn group(kind: Kind, mut items: Vec<Version>) -> Vec<Cluster> {
    items.sort_by_key(|v| (v.annotation.span.start, v.annotation.span.end, v.doc));
    // Every part with its version, swept in text order; a part starting before the
    // furthest end seen so far joins that run's versions (union-find keeps it linear).
    let mut parts: Vec<(Span, usize)> = items
        .iter()
        .enumerate()
        .flat_map(|(i, v)| v.annotation.parts().iter().map(move |p| (*p, i)))
        .collect();
    parts.sort_by_key(|(p, i)| (p.start, p.end, *i));
    let mut parent: Vec<usize> = (0..items.len()).collect();
    let mut run: Option<(usize, usize)> = None; // (furthest end, a version in the run)
    for (p, i) in parts {
        match run {
            Some((end, j)) if p.start < end => {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[ri.max(rj)] = ri.min(rj);
                run = Some((end.max(p.end), j));
            }
            _ => run = Some((p.end, i)),
        }
    }
    let mut by_root: std::collections::BTreeMap<usize, Cluster> = std::collections::BTreeMap::new();
    for (i, v) in items.into_iter().enumerate() {
        let r = root(&mut parent, i);
        let span = v.annotation.span;
        let c = by_root.entry(r).or_insert_with(|| Cluster {
            kind,
            span,
            versions: Vec::new(),
            agreed: false,
        });
        c.span = Span {
            start: c.span.start.min(span.start),
            end: c.span.end.max(span.end),
        };
        c.versions.push(v);
    }
    by_root.into_values().collect()
}

/// The representative of `x`'s group in a union-find forest (halving the path as it goes).
fn root(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
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

    /// `spans` as one discontinuous annotation of `kind` in `d`.
    pub(crate) fn add_parts(d: &mut Document, kind: Kind, spans: &[(usize, usize)], who: &str) {
        let parts: Vec<Span> = spans
            .iter()
            .map(|&(s, e)| Span { start: s, end: e })
            .collect();
        let outer = Span {
            start: parts[0].start,
            end: parts[parts.len() - 1].end,
        };
        let mut a = d.new_annotation(kind, outer, who, OffsetDateTime::UNIX_EPOCH);
        if parts.len() > 1 {
            a.fragments = parts;
        }
        Edit::Insert(a).apply(d).unwrap();
    }

    #[test]
    fn discontinuous_annotations_are_clustered_and_agreed_by_their_parts() {
        // The quote around "he said," (38..47), marked in two parts by ana and cy.
        let quote = [(0, 37), (52, 67)];
        let mut a = doc(&[], "ana");
        add_parts(&mut a, Kind::Quote, &quote, "ana");
        let mut c = doc(&[], "cy");
        add_parts(&mut c, Kind::Quote, &quote, "cy");
        let cs = clusters(&[&a, &c]);
        assert_eq!(cs.len(), 1);
        assert!(cs[0].agreed, "same parts: agreed");

        // ben marks the whole sentence as one span: it overlaps, but is not the same.
        let mut b = doc(&[], "ben");
        add_parts(&mut b, Kind::Quote, &[(0, 67)], "ben");
        let cs = clusters(&[&a, &b]);
        assert_eq!(cs.len(), 1);
        assert!(!cs[0].agreed, "the outer span is not the parts");

        // dan marks only "he said," which lies in the gap: no rival of ana's quote.
        let mut d = doc(&[], "dan");
        add_parts(&mut d, Kind::Quote, &[(39, 47)], "dan");
        let cs = clusters(&[&a, &d]);
        assert_eq!(cs.len(), 2, "{cs:?}");
        assert!(cs.iter().all(|c| c.versions.len() == 1));
    }
}
