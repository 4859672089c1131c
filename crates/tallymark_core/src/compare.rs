//! Comparing figures: group them by metric family, detect where they cannot both be true.
//!
//! Every figure is read as an interval of values it allows:
//!
//! | qualifier | interval |
//! |---|---|
//! | exact 2,000 | [2000, 2000] |
//! | about 164 | [147.6, 180.4] (±10 %) |
//! | more than / at least 160 | [160, ∞) |
//! | nearly 10,000 | [9000, 10000] |
//! | up to / fewer than 50 | [0, 50] |
//! | range 200–300 | [200, 300] |
//! | vague "hundreds" (200) | [200, 999] (up to the next order of magnitude) |
//!
//! Two figures of one family **conflict** when they count the same population and their
//! intervals do not overlap — unless both are dated and the later one is the larger, which is
//! a toll growing over time, not a contradiction. A figure for a specific group ("18
//! policemen") is a **subtotal** of one for people in general: it conflicts with the total
//! only if it exceeds it. Figures for two different specific groups are never compared.

use std::fmt::Write as _;

use serde::Serialize;

use super::annotation::{AnnotationId, FigureAttrs, Qualifier, format_date, format_number};
use super::document::Document;
use super::metrics::{Family, Taxonomy};
use super::span::Span;

/// The values a figure allows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Smallest value allowed.
    pub lo: f64,
    /// Largest value allowed (may be infinite).
    pub hi: f64,
}

impl Interval {
    /// The interval a figure's attributes allow, or `None` without a value.
    #[must_use]
    pub fn of(f: &FigureAttrs) -> Option<Self> {
        let v = f.value_low?;
        let (lo, hi) = match f.qualifier {
            Qualifier::Exact => match f.value_high {
                Some(h) => (v.min(h), v.max(h)),
                None => (v, v),
            },
            Qualifier::About => (v * 0.9, f.value_high.unwrap_or(v) * 1.1),
            Qualifier::MoreThan | Qualifier::AtLeast => (v, f64::INFINITY),
            Qualifier::Nearly => (v * 0.9, v),
            Qualifier::UpTo | Qualifier::FewerThan => (0.0, v),
            Qualifier::Range => (v, f.value_high.unwrap_or(v).max(v)),
            Qualifier::Vague => {
                let order = if v >= 1.0 { v.log10().floor() } else { 0.0 };
                (v, 10f64.powf(order + 1.0) - 1.0)
            }
        };
        Some(Self { lo, hi })
    }

    /// True when some value lies in both.
    #[must_use]
    pub fn overlaps(self, other: Self) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }
}

/// One figure placed for comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FigureEntry {
    /// Title of the document it is in, shared by every figure of the document (a copy per
    /// figure would cost gigabytes on a book-length report).
    pub document: std::sync::Arc<str>,
    /// Index of the document in the compared list.
    #[serde(skip)]
    pub doc_index: usize,
    /// The annotation's id in its document.
    pub id: AnnotationId,
    /// First char.
    pub start: usize,
    /// End char (exclusive).
    pub end: usize,
    /// The covered text. (a discontinuous one's parts joined by ` … `).
    pub exact: String,
    /// The stated value or floor.
    pub value_low: Option<f64>,
    /// Top of a range.
    pub value_high: Option<f64>,
    /// Qualifier key (`more_than`).
    pub qualifier: String,
    /// Metric as annotated (`arrested`).
    pub metric: String,
    /// Who is counted.
    pub who: String,
    /// Who reported it.
    pub source: String,
    /// Date reported, `YYYY-MM-DD`.
    pub reported: Option<String>,
    /// True when it counts a specific group (a part of a total).
    pub subtotal: bool,
    /// The place it is for ("Cadder Bridge"), empty for the whole (absent in JSON then).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub place: String,
    /// The sentence it appears in.
    pub context: String,
    /// Values it allows.
    #[serde(skip)]
    pub interval: Option<Interval>,
}

impl FigureEntry {
    /// The value alone, for tables: `2,000`, `200–300`, or `—` when there is none.
    #[must_use]
    pub fn value_text(&self) -> String {
        self.value_low.map_or_else(
            || "—".to_owned(),
            |v| match self.value_high {
                Some(h) if (h - v).abs() > f64::EPSILON => {
                    format!("{}–{}", format_number(v), format_number(h))
                }
                _ => format_number(v),
            },
        )
    }

    /// The value in words: `more than 10,000`.
    #[must_use]
    pub fn describe(&self) -> String {
        let attrs = FigureAttrs {
            value_low: self.value_low,
            value_high: self.value_high,
            qualifier: Qualifier::ALL
                .into_iter()
                .find(|q| q.key() == self.qualifier)
                .unwrap_or_default(),
            ..FigureAttrs::default()
        };
        attrs.describe_value()
    }

    /// The qualifier in words (`more than`).
    #[must_use]
    pub fn describe_qualifier(&self) -> &'static str {
        Qualifier::ALL
            .into_iter()
            .find(|q| q.key() == self.qualifier)
            .unwrap_or_default()
            .label()
    }

    /// The figure with its attribution, for explanations.
    fn cite(&self) -> String {
        let mut s = format!("“{}”", self.exact);
        let mut who = Vec::new();
        if !self.source.is_empty() {
            who.push(self.source.clone());
        }
        if let Some(d) = &self.reported {
            who.push(d.clone());
        }
        if !who.is_empty() {
            let _ = write!(s, " ({})", who.join(", "));
        }
        s
    }
}

/// Two figures that cannot both be true.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Conflict {
    /// Index of the lower figure in the family's list.
    pub a: usize,
    /// Index of the higher figure.
    pub b: usize,
    /// How many times larger the higher figure's floor is than the lower one's ceiling.
    pub ratio: f64,
    /// Why they were flagged, in words.
    pub reason: String,
}

/// All figures of one metric family.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FamilyComparison {
    /// Family id (`detentions`).
    pub metric: String,
    /// Family label.
    pub label: String,
    /// Smallest stated value.
    pub min: Option<f64>,
    /// Largest stated value.
    pub max: Option<f64>,
    /// `max / min`.
    pub spread: Option<f64>,
    /// True when at least two figures conflict.
    pub conflict: bool,
    /// Figures sorted by value.
    pub figures: Vec<FigureEntry>,
    /// The conflicting pairs, in figure order; at most [`MAX_CONFLICTS`], the widest gaps
    /// first when there are more.
    pub conflicts: Vec<Conflict>,
    /// True when more pairs conflict than are listed (absent from JSON when false).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub more_conflicts: bool,
}

/// Conflicts listed per family at most. Pairs grow with the square of the figures: a
/// book-length report with 15,000 counts of one kind would otherwise list millions, and
/// nobody reads past the first few hundred.
pub const MAX_CONFLICTS: usize = 200;

/// The comparison of every family that has figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Families in taxonomy order (unknown metrics last, by name).
    pub families: Vec<FamilyComparison>,
}

/// A document to compare, with the title to show for it.
pub struct Source<'a> {
    /// Display title.
    pub title: String,
    /// The document.
    pub doc: &'a Document,
}

/// Words that make a `who` mean "people in general" rather than a specific group.
fn is_generic(who: &str) -> bool {
    let w = who.trim().to_lowercase();
    w.is_empty()
        || w.starts_with("people")
        || w.starts_with("person")
        || w.starts_with("total")
        || w == "all"
}

fn same_group(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim().to_lowercase();
        // "policemen" and "police officers" are one group; plural "s" is ignored.
        let s = s
            .replace("police officers", "policemen")
            .replace("police", "policemen");
        s.trim_end_matches('s').to_owned()
    };
    norm(a) == norm(b)
}

/// Builds the comparison over several documents.
#[must_use]
pub fn compare(sources: &[Source<'_>], taxonomy: &Taxonomy) -> Comparison {
    let mut by_family: Vec<(Family, Vec<FigureEntry>)> = Vec::new();
    for (doc_index, src) in sources.iter().enumerate() {
        let title: std::sync::Arc<str> = std::sync::Arc::from(src.title.as_str());
        for a in src.doc.annotations() {
            let Some(f) = a.figure() else { continue };
            if f.excluded {
                continue;
            }
            let family = taxonomy.family_of(if f.metric.is_empty() {
                "other"
            } else {
                &f.metric
            });
            let context = src
                .doc
                .text()
                .slice(src.doc.text().sentence_around(a.span))
                .to_owned();
            let entry = FigureEntry {
                document: std::sync::Arc::clone(&title),
                doc_index,
                id: a.id,
                start: a.span.start,
                end: a.span.end,
                exact: a.marked_text().into_owned(),
                value_low: f.value_low,
                value_high: f.value_high,
                qualifier: f.qualifier.key().to_owned(),
                metric: f.metric.clone(),
                who: f.who.clone(),
                source: f.source.clone(),
                reported: f.reported.map(format_date),
                // A count for one town is part of the count for the whole valley, as a
                // count of children is part of the count of people.
                subtotal: !is_generic(&f.who) || !f.place.is_empty(),
                place: f.place.clone(),
                context: context.replace('\n', " "),
                interval: Interval::of(f),
            };
            match by_family.iter_mut().find(|(fam, _)| fam.id == family.id) {
                Some((_, list)) => list.push(entry),
                None => by_family.push((family, vec![entry])),
            }
        }
    }
    let order = |id: &str| {
        taxonomy
            .families
            .iter()
            .position(|f| f.id == id)
            .unwrap_or(usize::MAX)
    };
    by_family.sort_by(|(a, _), (b, _)| order(&a.id).cmp(&order(&b.id)).then(a.id.cmp(&b.id)));
    Comparison {
        families: by_family
            .into_iter()
            .map(|(family, figures)| compare_family(&family, figures))
            .collect(),
    }
}

fn compare_family(family: &Family, mut figures: Vec<FigureEntry>) -> FamilyComparison {
    figures.sort_by(|a, b| {
        let key = |f: &FigureEntry| {
            (
                f.value_low.unwrap_or(f64::INFINITY),
                f.value_high.unwrap_or(0.0),
            )
        };
        // A total order: a NaN that slipped past the loader must not make the sort panic.
        let ((a_low, a_high), (b_low, b_high)) = (key(a), key(b));
        a_low
            .total_cmp(&b_low)
            .then(a_high.total_cmp(&b_high))
            .then_with(|| a.reported.cmp(&b.reported))
            .then_with(|| a.document.cmp(&b.document))
            .then(a.start.cmp(&b.start))
    });
    let values: Vec<f64> = figures
        .iter()
        .flat_map(|f| f.value_low.into_iter().chain(f.value_high))
        .collect();
    let min = values.iter().copied().reduce(f64::min);
    let max = values.iter().copied().reduce(f64::max);
    // A count of zero ("no arrests") has no ratio to anything; the spread is over the
    // positive values, and is absent when fewer than one of them exists.
    let min_positive = values.iter().copied().filter(|v| *v > 0.0).reduce(f64::min);
    let spread = match (min_positive, max) {
        (Some(lo), Some(hi)) => Some(hi / lo),
        _ => None,
    };
    // "Other" lumps unrelated counts together; listing them is useful, comparing is not.
    let (conflicts, more_conflicts) = if family.id == "other" {
        (Vec::new(), false)
    } else {
        find_conflicts(&figures)
    };
    FamilyComparison {
        metric: family.id.clone(),
        label: family.label.clone(),
        min,
        max,
        spread,
        conflict: !conflicts.is_empty(),
        figures,
        conflicts,
        more_conflicts,
    }
}

fn find_conflicts(figures: &[FigureEntry]) -> (Vec<Conflict>, bool) {
    // A figure repeated in one document (the headline and the body both say 47) is one
    // report: only its first occurrence takes part, so each disagreement is listed once.
    let repeat_key = |f: &FigureEntry| {
        (
            f.interval.map(|iv| (iv.lo.to_bits(), iv.hi.to_bits())),
            f.who.trim().to_lowercase(),
            f.source.trim().to_lowercase(),
            f.reported.clone(),
            f.doc_index,
        )
    };
    let mut seen = std::collections::HashSet::new();
    let reports: Vec<usize> = (0..figures.len())
        .filter(|&i| seen.insert(repeat_key(&figures[i])))
        .collect();
    // Figures are sorted by value: pairing the lowest with the highest first finds the
    // widest gaps first, which are the ones kept when there are too many to list.
    let mut out = Vec::new();
    let mut more = false;
    'pairs: for (n, &i) in reports.iter().enumerate() {
        for &j in reports[n + 1..].iter().rev() {
            if let Some(c) = conflict_between(figures, i, j) {
                if out.len() == MAX_CONFLICTS {
                    more = true;
                    break 'pairs;
                }
                out.push(c);
            }
        }
    }
    // Listed in figure order.
    out.sort_by_key(|c| (c.a.min(c.b), c.a.max(c.b)));
    (out, more)
}

fn conflict_between(figures: &[FigureEntry], i: usize, j: usize) -> Option<Conflict> {
    let (first, second) = (figures[i].interval?, figures[j].interval?);
    if first.overlaps(second) {
        return None;
    }
    // Order so that `lo` is the figure with the lower values.
    let (lo_i, hi_i) = if first.hi < second.lo { (i, j) } else { (j, i) };
    let (lo, hi) = (&figures[lo_i], &figures[hi_i]);
    let (lo_iv, hi_iv) = (lo.interval?, hi.interval?);
    // Two different places are never compared; a place is a part of the whole.
    if !lo.place.is_empty() && !hi.place.is_empty() && !lo.place.eq_ignore_ascii_case(&hi.place) {
        return None;
    }
    match (lo.subtotal, hi.subtotal) {
        (true, true) if !same_group(&lo.who, &hi.who) => return None,
        // A group smaller than the total is a part of it, not a contradiction.
        (true, false) => return None,
        _ => {}
    }
    // Tolls grow: an earlier, smaller count and a later, larger one are both true.
    if let (Some(d_lo), Some(d_hi)) = (&lo.reported, &hi.reported)
        && d_lo < d_hi
    {
        return None;
    }
    let ratio = if lo_iv.hi > 0.0 {
        hi_iv.lo / lo_iv.hi
    } else {
        f64::INFINITY
    };
    let why = if hi.subtotal && !lo.subtotal && !hi.place.is_empty() {
        format!("{} alone ({}) exceeds the total", hi.place, hi.describe())
    } else if hi.subtotal && !lo.subtotal {
        format!("the {} alone ({}) exceed the total", hi.who, hi.describe())
    } else {
        let dates = match (&lo.reported, &hi.reported) {
            (Some(a), Some(b)) if a == b => format!(" on the same day ({a})"),
            (Some(a), Some(b)) => format!("; the larger was reported earlier ({b} before {a})"),
            // Without both dates the count may simply have grown; say so rather than hide it.
            _ => "; one is undated, so a toll that grew over time is not ruled out".to_owned(),
        };
        format!(
            "one allows at most {}, the other at least {}{dates}",
            format_bound(lo_iv.hi),
            format_bound(hi_iv.lo)
        )
    };
    Some(Conflict {
        a: lo_i,
        b: hi_i,
        ratio,
        reason: format!(
            "{} and {} cannot both be true: {why} ({}×).",
            lo.cite(),
            hi.cite(),
            format_ratio(ratio)
        ),
    })
}

/// A derived bound for people to read: "about 12,000" allows at most 13,200, not
/// 13200.000000000002.
fn format_bound(v: f64) -> String {
    if v.is_finite() && v.fract() != 0.0 {
        let rounded = if v.abs() >= 10.0 {
            v.round()
        } else {
            (v * 100.0).round() / 100.0
        };
        return format_number(rounded);
    }
    format_number(v)
}

/// `5.0` → `5`, `1.25` → `1.3`, and a ratio just above one keeps its decimal (`1.0`), so a
/// near miss does not read as "1×".
#[must_use]
pub fn format_ratio(r: f64) -> String {
    if !r.is_finite() {
        return "∞".to_owned();
    }
    let rounded = (r * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 && rounded >= 2.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

impl FamilyComparison {
    /// `2,000 to 10,000`, or `no values`.
    #[must_use]
    pub fn range_text(&self) -> String {
        match (self.min, self.max) {
            (Some(lo), Some(hi)) => format!("{} to {}", format_number(lo), format_number(hi)),
            _ => "no values".to_owned(),
        }
    }

    /// `, spread 5×`, or nothing when there is no spread.
    #[must_use]
    pub fn spread_text(&self) -> String {
        self.spread
            .map(|s| format!(", spread {}×", format_ratio(s)))
            .unwrap_or_default()
    }
}

/// The comparison as an aligned plain-text table.
#[must_use]
pub fn to_table(c: &Comparison) -> String {
    let mut out = String::new();
    for fam in &c.families {
        let (range, spread) = (fam.range_text(), fam.spread_text());
        let flag = if fam.conflict {
            "CONFLICT"
        } else {
            "consistent"
        };
        let _ = writeln!(
            out,
            "{} ({}): {range}{spread} — {flag}",
            fam.label, fam.metric
        );
        let rows: Vec<[String; 5]> = fam
            .figures
            .iter()
            .map(|f| {
                let or_dash = |s: &str| {
                    if s.is_empty() {
                        "—".to_owned()
                    } else {
                        s.to_owned()
                    }
                };
                [
                    f.describe(),
                    or_dash(&f.who),
                    or_dash(&f.source),
                    f.reported.clone().unwrap_or_else(|| "—".to_owned()),
                    format!(
                        "{}{}",
                        f.document,
                        if f.subtotal { "  [subtotal]" } else { "" }
                    ),
                ]
            })
            .collect();
        // Columns as wide as their widest cell in this family, counted in chars.
        let mut widths = [0usize; 4];
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        for row in &rows {
            let mut line = String::from(" ");
            for (w, cell) in widths.iter().zip(row) {
                let pad = w - cell.chars().count();
                let _ = write!(line, " {cell}{:pad$}", "");
            }
            let _ = writeln!(out, "{line} {}", row[4]);
        }
        for k in &fam.conflicts {
            let _ = writeln!(out, "  ! {}", k.reason);
        }
        out.push('\n');
    }
    out
}

/// The comparison as CSV, one row per figure (the columns of `tallymark compare --format
/// csv`), every cell made safe to open in a spreadsheet with
/// [`crate::export::spreadsheet_cell`].
///
/// # Errors
/// Only if the CSV writer fails.
pub fn to_csv(c: &Comparison) -> Result<String, csv::Error> {
    let header = [
        "family",
        "document",
        "exact",
        "value_low",
        "value_high",
        "qualifier",
        "metric",
        "who",
        "source",
        "reported",
        "start",
        "end",
        "subtotal",
        "conflict",
        "place",
    ];
    let rows = c.families.iter().flat_map(|fam| {
        fam.figures.iter().enumerate().map(move |(i, f)| {
            let in_conflict = fam.conflicts.iter().any(|k| k.a == i || k.b == i);
            vec![
                fam.metric.clone(),
                f.document.to_string(),
                f.exact.clone(),
                crate::export::csv_number(f.value_low),
                crate::export::csv_number(f.value_high),
                f.qualifier.clone(),
                f.metric.clone(),
                f.who.clone(),
                f.source.clone(),
                f.reported.clone().unwrap_or_default(),
                f.start.to_string(),
                f.end.to_string(),
                f.subtotal.to_string(),
                in_conflict.to_string(),
                f.place.clone(),
            ]
        })
    });
    crate::export::safe_csv(&header, rows)
}

/// Range of the document covered by a figure entry.
#[must_use]
pub fn entry_span(f: &FigureEntry) -> Span {
    Span {
        start: f.start,
        end: f.end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{Attributes, Kind};
    use crate::edit::Edit;
    use time::OffsetDateTime;

    fn fig(v: f64, q: Qualifier, who: &str, reported: Option<&str>) -> FigureAttrs {
        FigureAttrs {
            value_low: Some(v),
            qualifier: q,
            metric: "killed".into(),
            who: who.into(),
            reported: reported.map(|d| crate::annotation::parse_date(d).unwrap()),
            ..FigureAttrs::default()
        }
    }

    fn doc_with(figs: Vec<FigureAttrs>) -> Document {
        let text = "x ".repeat(figs.len() * 3 + 2);
        let mut doc = Document::from_article(&text, None);
        for (i, f) in figs.into_iter().enumerate() {
            let mut a = doc.new_annotation(
                Kind::Figure,
                Span {
                    start: i * 4,
                    end: i * 4 + 1,
                },
                "t",
                OffsetDateTime::UNIX_EPOCH,
            );
            a.attributes = Attributes::Figure(f);
            Edit::Insert(a).apply(&mut doc).unwrap();
        }
        doc
    }

    /// Thousands of exact, same-day counts that all disagree: the list stops at the cap,
    /// keeps the widest gap, says there are more, and stays in figure order.
    #[test]
    fn conflicts_are_capped_with_the_widest_gaps_kept() {
        let figs: Vec<FigureAttrs> = (1..=400)
            .map(|v| {
                fig(
                    f64::from(v) * 10.0,
                    Qualifier::Exact,
                    "people",
                    Some("2022-01-10"),
                )
            })
            .collect();
        let fam = run(figs);
        assert_eq!(fam.conflicts.len(), MAX_CONFLICTS);
        assert!(fam.more_conflicts);
        let widest = fam
            .conflicts
            .iter()
            .map(|c| c.ratio)
            .fold(0.0_f64, f64::max);
        assert!((widest - 400.0).abs() < 1e-9, "10 against 4,000 is listed");
        let order: Vec<_> = fam
            .conflicts
            .iter()
            .map(|c| (c.a.min(c.b), c.a.max(c.b)))
            .collect();
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(order, sorted);
        // A few figures: every pair listed, nothing more.
        let few = run(vec![
            fig(10.0, Qualifier::Exact, "people", Some("2022-01-10")),
            fig(20.0, Qualifier::Exact, "people", Some("2022-01-10")),
            fig(30.0, Qualifier::Exact, "people", Some("2022-01-10")),
        ]);
        assert_eq!(few.conflicts.len(), 3);
        assert!(!few.more_conflicts);
    }

    fn run(figs: Vec<FigureAttrs>) -> FamilyComparison {
        let doc = doc_with(figs);
        let c = compare(
            &[Source {
                title: "t".into(),
                doc: &doc,
            }],
            &Taxonomy::builtin(),
        );
        c.families.into_iter().next().unwrap()
    }

    #[test]
    fn intervals() {
        let i = |v, q| Interval::of(&fig(v, q, "", None)).unwrap();
        assert_eq!(
            i(164.0, Qualifier::Exact),
            Interval {
                lo: 164.0,
                hi: 164.0
            }
        );
        assert!(i(160.0, Qualifier::MoreThan).hi.is_infinite());
        assert_eq!(
            i(200.0, Qualifier::Vague),
            Interval {
                lo: 200.0,
                hi: 999.0
            }
        );
        assert_eq!(i(24.0, Qualifier::Vague), Interval { lo: 24.0, hi: 99.0 });
        assert_eq!(i(50.0, Qualifier::UpTo), Interval { lo: 0.0, hi: 50.0 });
    }

    #[test]
    fn two_thousand_against_more_than_ten_thousand_conflicts_five_times() {
        let mut a = fig(2_000.0, Qualifier::Exact, "people", Some("2022-01-14"));
        a.metric = "detained".into();
        let mut b = fig(10_000.0, Qualifier::MoreThan, "people", None);
        b.metric = "arrested".into();
        let fam = run(vec![b, a]);
        assert_eq!(fam.metric, "detentions");
        assert!(fam.conflict);
        assert_eq!(fam.conflicts.len(), 1);
        let k = &fam.conflicts[0];
        assert_eq!(
            fam.figures[k.a].value_low,
            Some(2_000.0),
            "sorted by value, lower first"
        );
        assert!((k.ratio - 5.0).abs() < 1e-9);
        assert!(k.reason.contains("cannot both be true"), "{}", k.reason);
        assert!(k.reason.contains("(5×)"), "{}", k.reason);
        assert_eq!(fam.spread, Some(5.0));
    }

    #[test]
    fn more_than_160_and_about_164_are_consistent() {
        let fam = run(vec![
            fig(160.0, Qualifier::MoreThan, "people", None),
            fig(164.0, Qualifier::About, "people", Some("2022-01-08")),
        ]);
        assert!(!fam.conflict, "{:?}", fam.conflicts);
    }

    #[test]
    fn a_place_is_part_of_the_whole_and_places_are_not_compared() {
        let placed = |v: f64, place: &str| FigureAttrs {
            place: place.into(),
            ..fig(v, Qualifier::Exact, "people", Some("2025-03-14"))
        };
        // 9 in one town and 31 across the valley, the same day: both true.
        let fam = run(vec![
            placed(9.0, "Cadder Bridge"),
            fig(31.0, Qualifier::Exact, "people", Some("2025-03-14")),
        ]);
        assert!(!fam.conflict, "{:?}", fam.conflicts);
        // Two towns are not compared with each other.
        let fam = run(vec![placed(9.0, "Cadder Bridge"), placed(40.0, "Ferrow")]);
        assert!(!fam.conflict, "{:?}", fam.conflicts);
        // One town's count larger than the whole is a conflict, and says so.
        let fam = run(vec![
            placed(40.0, "Ferrow"),
            fig(31.0, Qualifier::Exact, "people", Some("2025-03-14")),
        ]);
        assert!(fam.conflict);
        assert!(
            fam.conflicts[0]
                .reason
                .contains("Ferrow alone (40) exceeds the total"),
            "{}",
            fam.conflicts[0].reason
        );
        // The same town twice is compared as usual.
        let fam = run(vec![
            placed(9.0, "Cadder Bridge"),
            placed(40.0, "cadder bridge"),
        ]);
        assert!(fam.conflict);
    }

    #[test]
    fn subtotals_are_not_contradictions() {
        let fam = run(vec![
            fig(160.0, Qualifier::MoreThan, "people", None),
            fig(26.0, Qualifier::Exact, "protesters", Some("2022-01-07")),
            fig(18.0, Qualifier::Exact, "policemen", Some("2022-01-07")),
        ]);
        assert!(!fam.conflict, "{:?}", fam.conflicts);
        assert_eq!(fam.figures.iter().filter(|f| f.subtotal).count(), 2);
    }

    #[test]
    fn a_group_larger_than_the_total_conflicts() {
        let fam = run(vec![
            fig(20.0, Qualifier::Exact, "people", Some("2022-01-07")),
            fig(26.0, Qualifier::Exact, "protesters", Some("2022-01-07")),
        ]);
        assert!(fam.conflict);
        assert!(
            fam.conflicts[0].reason.contains("exceed the total"),
            "{}",
            fam.conflicts[0].reason
        );
    }

    #[test]
    fn a_toll_growing_over_time_is_consistent_but_shrinking_is_not() {
        let grow = run(vec![
            fig(8.0, Qualifier::Exact, "policemen", Some("2022-01-04")),
            fig(18.0, Qualifier::Exact, "policemen", Some("2022-01-07")),
        ]);
        assert!(!grow.conflict);
        let shrink = run(vec![
            fig(18.0, Qualifier::Exact, "policemen", Some("2022-01-04")),
            fig(8.0, Qualifier::Exact, "police officers", Some("2022-01-07")),
        ]);
        assert!(shrink.conflict, "same group, later count smaller");
        assert!(shrink.conflicts[0].reason.contains("reported earlier"));
    }

    #[test]
    fn a_figure_repeated_in_one_document_is_compared_once() {
        let fam = run(vec![
            fig(47.0, Qualifier::Exact, "people", Some("2025-03-16")),
            fig(47.0, Qualifier::Exact, "people", Some("2025-03-16")),
            fig(38.0, Qualifier::Exact, "people", Some("2025-03-16")),
        ]);
        assert_eq!(fam.figures.len(), 3, "both mentions are listed");
        assert_eq!(fam.conflicts.len(), 1, "{:?}", fam.conflicts);
    }

    #[test]
    fn bounds_are_rounded_for_reading() {
        assert_eq!(format_bound(12_000.0 * 1.1), "13,200");
        assert_eq!(format_bound(2.345), "2.35");
    }

    #[test]
    fn ratio_formatting() {
        assert_eq!(format_ratio(5.0), "5");
        assert_eq!(format_ratio(1.25), "1.3");
        assert_eq!(format_ratio(10_000.0 / 9_999.0), "1.0");
        assert_eq!(format_ratio(f64::INFINITY), "∞");
    }
}
