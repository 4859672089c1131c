//! Agreement between annotators of one article: per kind, span-level precision, recall and
//! F1 with exact and with overlapping matches, and for matched figures how often the values
//! and metrics agree.
//!
//! With two files, A is the reference and B is scored against it (F1 is symmetric, precision
//! and recall swap). With more, every pair is scored.

use serde::Serialize;

use super::annotation::{Annotation, Kind};
use super::document::Document;
use super::text::sha256_hex;

/// Scores of one kind for one pair of annotators.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct KindAgreement {
    /// `claim`, `quote` or `figure`.
    pub kind: &'static str,
    /// Annotations of this kind in A and in B.
    pub count_a: usize,
    /// See `count_a`.
    pub count_b: usize,
    /// Same span exactly.
    pub exact: Prf,
    /// Spans overlap (matched one to one, best overlap first).
    pub overlap: Prf,
    /// Figures only: of the overlapping pairs, how many have the same value (low and high).
    pub same_value: Option<Ratio>,
    /// Figures only: of the overlapping pairs, how many have the same metric.
    pub same_metric: Option<Ratio>,
}

/// Precision, recall and F1 of B against A.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Matches.
    pub matched: usize,
    /// matched / B's count.
    pub precision: f64,
    /// matched / A's count.
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
}

/// `n` of `of`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Ratio {
    /// How many agree.
    pub n: usize,
    /// Out of how many.
    pub of: usize,
}

/// Agreement of one pair of annotators.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairAgreement {
    /// Name of A (the file's annotator, or its file name).
    pub a: String,
    /// Name of B.
    pub b: String,
    /// One entry per kind.
    pub kinds: Vec<KindAgreement>,
}

fn prf(matched: usize, count_a: usize, count_b: usize) -> Prf {
    #[expect(clippy::cast_precision_loss, reason = "annotation counts are small")]
    let ratio = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    let precision = ratio(matched, count_b);
    let recall = ratio(matched, count_a);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Prf {
        matched,
        precision,
        recall,
        f1,
    }
}

/// How many overlapping counterparts in B each annotation of A is matched among: its best
/// ones by overlap. Real coding gives a handful; a file where thousands of spans cover the
/// same text would otherwise make the candidate list quadratic.
pub const MAX_CANDIDATES: usize = 16;

/// Pairs `(index in a, index in b)` of overlapping annotations, one to one, largest overlap
/// first (ties by position, so the result is deterministic). Each annotation of A is
/// matched among its [`MAX_CANDIDATES`] best-overlapping annotations of B.
///
/// The overlapping pairs are found by a sweep over B sorted by start, in blocks that know
/// their largest end, so a long span does not make every lookup scan the whole file: about
/// `n log n` plus the overlaps, where comparing every pair took 2.5 billion steps for two
/// files of 50,000.
#[must_use]
pub fn overlap_pairs(a: &[&Annotation], b: &[&Annotation]) -> Vec<(usize, usize)> {
    const BLOCK: usize = 64;
    let mut order: Vec<usize> = (0..b.len()).collect();
    order.sort_by_key(|&j| (b[j].span.start, j));
    let starts: Vec<usize> = order.iter().map(|&j| b[j].span.start).collect();
    let block_end: Vec<usize> = order
        .chunks(BLOCK)
        .map(|c| c.iter().map(|&j| b[j].span.end).max().unwrap_or(0))
        .collect();
    let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
    let mut mine: Vec<(usize, usize, usize)> = Vec::new();
    for (i, x) in a.iter().enumerate() {
        mine.clear();
        // B's spans starting before x ends, scanned backwards block by block; a block whose
        // largest end is at or before x's start holds no overlap.
        let upto = starts.partition_point(|&st| st < x.span.end);
        let mut hi = upto;
        while hi > 0 {
            let blk = (hi - 1) / BLOCK;
            let lo = blk * BLOCK;
            if block_end[blk] > x.span.start {
                for &j in &order[lo..hi] {
                    // The outer spans find the candidates; the parts decide, so spans that
                    // meet only in the gap of a discontinuous one do not match.
                    let common = x.common_len(b[j]);
                    if common > 0 {
                        mine.push((common, i, j));
                    }
                }
            }
            hi = lo;
        }
        mine.sort_by(|p, q| q.0.cmp(&p.0).then(p.2.cmp(&q.2)));
        candidates.extend(mine.iter().take(MAX_CANDIDATES));
    }
    candidates.sort_by(|p, q| q.0.cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
    let mut used_a = vec![false; a.len()];
    let mut used_b = vec![false; b.len()];
    let mut out = Vec::new();
    for (_, i, j) in candidates {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            out.push((i, j));
        }
    }
    out.sort_unstable();
    out
}

/// Scores B against A.
#[must_use]
pub fn pair(a_name: &str, a: &Document, b_name: &str, b: &Document) -> PairAgreement {
    let kinds = Kind::ALL
        .iter()
        .map(|&kind| {
            let xs: Vec<&Annotation> = a
                .annotations()
                .iter()
                .filter(|x| x.kind() == kind)
                .map(AsRef::as_ref)
                .collect();
            let ys: Vec<&Annotation> = b
                .annotations()
                .iter()
                .filter(|y| y.kind() == kind)
                .map(AsRef::as_ref)
                .collect();
            // A set of B's parts: a search through B for each of A was quadratic. Exact
            // means the same parts, so a discontinuous span matches only the same parts.
            let spans_b: std::collections::HashSet<&[crate::span::Span]> =
                ys.iter().map(|y| y.parts()).collect();
            let exact = xs.iter().filter(|x| spans_b.contains(x.parts())).count();
            let pairs = overlap_pairs(&xs, &ys);
            let (same_value, same_metric) = if kind == Kind::Figure {
                let (mut v, mut m) = (0, 0);
                for &(i, j) in &pairs {
                    let (fx, fy) = (xs[i].figure(), ys[j].figure());
                    if let (Some(fx), Some(fy)) = (fx, fy) {
                        v += usize::from(
                            fx.value_low == fy.value_low && fx.value_high == fy.value_high,
                        );
                        m += usize::from(fx.metric == fy.metric);
                    }
                }
                let of = pairs.len();
                (Some(Ratio { n: v, of }), Some(Ratio { n: m, of }))
            } else {
                (None, None)
            };
            KindAgreement {
                kind: kind.key(),
                count_a: xs.len(),
                count_b: ys.len(),
                exact: prf(exact, xs.len(), ys.len()),
                overlap: prf(pairs.len(), xs.len(), ys.len()),
                same_value,
                same_metric,
            }
        })
        .collect();
    PairAgreement {
        a: a_name.to_owned(),
        b: b_name.to_owned(),
        kinds,
    }
}

/// A name for the annotator of `doc`: the most common `annotator` in it, else `fallback`.
#[must_use]
pub fn annotator_name(doc: &Document, fallback: &str) -> String {
    // Count and first appearance per name (a map: one name per annotation must not make
    // this quadratic); among equal counts the name that appeared last first wins, as ever.
    let mut counts: std::collections::HashMap<&str, (usize, usize)> =
        std::collections::HashMap::new();
    for (i, a) in doc.annotations().iter().enumerate() {
        counts.entry(&a.annotator).or_insert((0, i)).0 += 1;
    }
    counts
        .into_iter()
        .filter(|(n, _)| !n.is_empty())
        .max_by_key(|(_, (c, first))| (*c, *first))
        .map_or_else(|| fallback.to_owned(), |(n, _)| n.to_owned())
}

/// Every pair of the given documents, which must annotate the same text.
///
/// # Errors
/// When a document's text differs from the first one's (named in the message).
pub fn all_pairs(docs: &[(String, &Document)]) -> Result<Vec<PairAgreement>, String> {
    if let Some((first_name, first)) = docs.first() {
        let hash = sha256_hex(first.text().as_str());
        for (name, d) in &docs[1..] {
            if sha256_hex(d.text().as_str()) != hash {
                return Err(format!(
                    "{name} annotates a different text than {first_name} (the article's SHA-256 differs)"
                ));
            }
        }
    }
    Ok(pairs_of(docs))
}

/// Every pair of `docs`, which the caller knows annotate the same text.
#[must_use]
pub fn pairs_of(docs: &[(String, &Document)]) -> Vec<PairAgreement> {
    let mut out = Vec::new();
    for i in 0..docs.len() {
        for j in i + 1..docs.len() {
            out.push(pair(&docs[i].0, docs[i].1, &docs[j].0, docs[j].1));
        }
    }
    out
}

/// The agreement as an aligned table.
#[must_use]
pub fn to_table(pairs: &[PairAgreement]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for p in pairs {
        let _ = writeln!(out, "{} (A) vs {} (B)", p.a, p.b);
        let _ = writeln!(
            out,
            "  {:<7} {:>4} {:>4}   {:>21}   {:>21}   {:>11} {:>11}",
            "kind",
            "A",
            "B",
            "exact  P / R / F1",
            "overlap  P / R / F1",
            "same value",
            "same metric"
        );
        for k in &p.kinds {
            let ratio = |r: Option<Ratio>| {
                r.map_or_else(|| "—".to_owned(), |r| format!("{}/{}", r.n, r.of))
            };
            let _ = writeln!(
                out,
                "  {:<7} {:>4} {:>4}   {:>5.2} / {:>4.2} / {:>4.2}   {:>5.2} / {:>4.2} / {:>4.2}   {:>11} {:>11}",
                k.kind,
                k.count_a,
                k.count_b,
                k.exact.precision,
                k.exact.recall,
                k.exact.f1,
                k.overlap.precision,
                k.overlap.recall,
                k.overlap.f1,
                ratio(k.same_value),
                ratio(k.same_metric),
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(spans: &[(Kind, usize, usize)]) -> Document {
        crate::review::tests::doc(spans, "x")
    }

    #[test]
    fn exact_and_overlap_scores() {
        let a = doc(&[
            (Kind::Figure, 0, 16),
            (Kind::Figure, 52, 57),
            (Kind::Quote, 0, 38),
        ]);
        let b = doc(&[(Kind::Figure, 0, 23), (Kind::Figure, 52, 57)]);
        let p = pair("a", &a, "b", &b);
        let fig = &p.kinds[2];
        assert_eq!(fig.kind, "figure");
        assert_eq!(fig.exact.matched, 1);
        assert_eq!(fig.overlap.matched, 2);
        assert!((fig.overlap.f1 - 1.0).abs() < 1e-9);
        assert!((fig.exact.f1 - 0.5).abs() < 1e-9);
        assert_eq!(
            fig.same_value,
            Some(Ratio { n: 2, of: 2 }),
            "both parse to the same values"
        );
        let quote = &p.kinds[1];
        assert_eq!((quote.count_a, quote.count_b), (1, 0));
        assert!((quote.exact.recall - 0.0).abs() < 1e-9);
    }

    #[test]
    fn different_texts_are_refused() {
        let a = doc(&[]);
        let b = Document::from_article("Another article.", None);
        let err = all_pairs(&[("a.ron".into(), &a), ("b.ron".into(), &b)]).unwrap_err();
        assert!(err.contains("b.ron"), "{err}");
    }

    #[test]
    fn discontinuous_spans_match_by_their_parts() {
        use crate::review::tests::add_parts;
        let quote = [(0, 37), (52, 67)];
        let mut a = doc(&[]);
        add_parts(&mut a, Kind::Quote, &quote, "a");
        let score = |spans: &[(usize, usize)]| {
            let mut b = doc(&[]);
            add_parts(&mut b, Kind::Quote, spans, "b");
            let q = pair("a", &a, "b", &b).kinds[1].clone();
            (q.exact.matched, q.overlap.matched)
        };
        assert_eq!(score(&quote), (1, 1), "the same parts");
        assert_eq!(
            score(&[(0, 67)]),
            (0, 1),
            "the outer span overlaps, not exactly"
        );
        assert_eq!(
            score(&[(39, 47)]),
            (0, 0),
            "only the gap: no overlap at all"
        );
    }
}
