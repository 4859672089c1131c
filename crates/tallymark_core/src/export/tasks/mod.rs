//! Formats that carry their own text, one or more documents per file: Label Studio JSON
//! (tasks with annotations and predictions), doccano JSONL (`label: [[s, e, "L"]]` and the
//! `entities`/`relations` shapes) and spaCy/Prodigy JSONL (`spans`). Each annotator's result
//! (and each prediction) of each task becomes one Tallymark document, so Review can compare
//! them.
//!
//! Offsets: Label Studio counts code points (older exports UTF-16 code units: detected per
//! region by its `text`); doccano counts UTF-16 code units (its browser's string indices;
//! read as code points when that is the only reading that fits) or, in some setups,
//! grapheme clusters (detected per document where the regions carry their text); spaCy and
//! Prodigy count code points (Python `str` indices). Every offset is of the text as the
//! tool holds it; Tallymark's article drops a byte-order mark and turns CRLF into LF, and
//! the offsets are converted accordingly.
//!
//! A discontinuous annotation is written as one region per part, never over the words
//! between. Label Studio (region ids `t5`, `t5.2`…), doccano (a `tallymark_fragment`
//! relation from the first part to each other) and spaCy (a `tallymark_id` key on each
//! part, as Label Studio's ids) read it back as one annotation. Label Studio also carries
//! Tallymark's own
//! attributes, note, annotator and times, in per-region controls named `tallymark_…`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;
use unicode_segmentation::UnicodeSegmentation as _;

use super::ExportError;
use super::imported::{ImportReport, Reason, Target, TypeMap};
use crate::annotation::{Annotation, AnnotationId, Kind, Link};
use crate::document::Document;
use crate::span::Span;

mod doccano;
mod label_studio;
mod own;
mod spacy;

pub use doccano::{from_doccano, to_doccano};
pub use label_studio::{from_label_studio, label_studio_config, to_label_studio};
pub use spacy::{from_spacy, to_spacy};

/// One document read from a multi-document file: its name (task and annotator) and the
/// document.
pub type Named = (String, Document);

/// The offsets of one text as another tool counts them.
struct Offsets {
    /// For each char of the raw text (and its end), its offset in UTF-16 code units.
    utf16: Vec<usize>,
    /// For each char of the raw text (and its end), its offset in the normalised text.
    norm: Vec<usize>,
    /// The raw char offset of each grapheme cluster boundary (extended clusters, as a
    /// browser's segmenter counts them), from 0 to the end.
    graphemes: Vec<usize>,
}

impl Offsets {
    fn new(raw: &str) -> Self {
        let mut utf16 = Vec::with_capacity(raw.len() + 1);
        let mut norm = Vec::with_capacity(raw.len() + 1);
        let (mut u, mut n) = (0, 0);
        let chars: Vec<char> = raw.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            utf16.push(u);
            norm.push(n);
            u += c.len_utf16();
            // What `text::normalize` drops or merges: a leading BOM, the LF of a CRLF.
            let dropped =
                (i == 0 && c == '\u{feff}') || (c == '\n' && i > 0 && chars[i - 1] == '\r');
            if !dropped {
                n += 1;
            }
        }
        utf16.push(u);
        norm.push(n);
        let mut graphemes = Vec::new();
        let mut at = 0;
        for g in raw.graphemes(true) {
            graphemes.push(at);
            at += g.chars().count();
        }
        graphemes.push(at);
        Self {
            utf16,
            norm,
            graphemes,
        }
    }

    /// The raw char index of offset `o` counted in `units`: none inside a surrogate pair,
    /// past the end, or (for graphemes) past the last cluster.
    fn char_of(&self, units: Units, o: usize) -> Option<usize> {
        match units {
            Units::CodePoints => (o < self.utf16.len()).then_some(o),
            Units::Utf16 => self.utf16.binary_search(&o).ok(),
            Units::Graphemes => self.graphemes.get(o).copied(),
        }
    }

    /// The raw char offsets of `start..end` counted in `units`, when both fit and the
    /// range is not empty.
    fn chars(&self, units: Units, start: usize, end: usize) -> Option<(usize, usize)> {
        let (s, e) = (self.char_of(units, start)?, self.char_of(units, end)?);
        (s < e).then_some((s, e))
    }

    /// The normalised span of raw char offsets `s..e`.
    fn span(&self, s: usize, e: usize) -> Option<Span> {
        let (s, e) = (*self.norm.get(s)?, *self.norm.get(e)?);
        (s < e).then(|| Span::between(s, e))
    }
}

/// How a tool counted a region's offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Units {
    /// Unicode scalar values (Python `str` indices; current Label Studio).
    CodePoints,
    /// UTF-16 code units (JavaScript string indices; doccano, older Label Studio).
    Utf16,
    /// Extended grapheme clusters (what a reader sees as one character: a family emoji, a
    /// flag, `e` with a combining accent); doccano in some setups.
    Graphemes,
}

/// One region read from a task, before it is placed.
struct Region<'v> {
    /// The tool's id of the region (Label Studio's `id`, doccano's entity id).
    key: String,
    start: usize,
    end: usize,
    /// The region's text as the tool recorded it, when it did.
    text: Option<&'v str>,
    label: &'v str,
}

/// Builds one document from `raw` and its regions: each region's offsets are converted
/// (by `units[0]`, then by the others in order where the region's text says so), placed,
/// or found by its text nearby, or kept as an orphan. Returns the document, the annotation
/// ids given by region key, and the orphans.
fn build(
    raw: &str,
    source: &str,
    regions: &[Region<'_>],
    units: &[Units],
    map: &TypeMap,
    report: &mut ImportReport,
) -> (Document, HashMap<String, AnnotationId>, Vec<Annotation>) {
    let article = Document::from_article(raw, Some(source.to_owned()));
    let offsets = Offsets::new(raw);
    let raw_chars: Vec<char> = raw.chars().collect();
    let mut locator = crate::reanchor::Locator::new(article.text());
    let mut ids = HashMap::new();
    let mut placed = Vec::new();
    let mut orphans = Vec::new();
    let mut next: AnnotationId = 1;
    for r in regions {
        report.items += 1;
        let kind = match map.get(r.label) {
            Some(Target::Kind(k)) => k,
            Some(Target::Skip) => {
                report.skip(Reason::SkippedType, || format!("{source}: {}", r.label));
                continue;
            }
            None => {
                let sample = r
                    .text
                    .map_or_else(|| raw_text_of(raw, r.start, r.end), str::to_owned);
                report.unknown_type(r.label, &sample, || {
                    format!(
                        "{source}: {} “{}”",
                        r.label,
                        crate::text::quote_input(r.text.unwrap_or_default())
                    )
                });
                continue;
            }
        };
        let raw_text = |(s, e): (usize, usize)| raw_chars[s..e].iter().collect::<String>();
        // The stated reading when it fits (and matches the region's text, if any), else
        // another reading where the region's text says so.
        let chosen = units.iter().enumerate().find_map(|(i, &u)| {
            let c = offsets.chars(u, r.start, r.end)?;
            match r.text {
                Some(t) if raw_text(c) != t => None,
                None if i > 0 => None,
                _ => Some(c),
            }
        });
        let mut a = Annotation {
            label: (!Kind::ALL.iter().any(|k| k.label() == r.label)).then(|| r.label.to_owned()),
            ..Annotation::bare(next, kind)
        };
        next += 1;
        let span = chosen.and_then(|(s, e)| offsets.span(s, e)).or_else(|| {
            // Not at its offsets in either reading: its text, nearest where it was said.
            let t = r.text?;
            let probe = Annotation {
                span: Span::between(r.start, r.end.max(r.start)),
                exact: t.to_owned(),
                ..a.clone()
            };
            let found = locator.locate(&probe)?;
            report.moved(|| {
                format!(
                    "{source}: “{}” at {}..{} found at {found}",
                    crate::text::quote_input(t),
                    r.start,
                    r.end
                )
            });
            Some(found)
        });
        match span {
            Some(span) => {
                a.span = span;
                article.text().slice(span).clone_into(&mut a.exact);
                (a.prefix, a.suffix) = article.text().context(span);
                report.imported(kind);
                ids.insert(r.key.clone(), a.id);
                placed.push(a);
            }
            None => match r.text.filter(|t| !t.is_empty()) {
                Some(t) => {
                    report.orphan(|| {
                        format!(
                            "{source}: “{}” at {}..{} is not in the text",
                            crate::text::quote_input(t),
                            r.start,
                            r.end
                        )
                    });
                    a.span = Span::between(r.start, r.end.max(r.start + 1));
                    t.clone_into(&mut a.exact);
                    ids.insert(r.key.clone(), a.id);
                    orphans.push(a);
                }
                None => report.skip(Reason::OutsideText, || {
                    format!(
                        "{source}: {} at {}..{} does not fit the text ({} chars)",
                        r.label,
                        r.start,
                        r.end,
                        raw_chars.len()
                    )
                }),
            },
        }
    }
    let doc = Document::from_parts(
        article.meta.clone(),
        article.text().as_str().to_owned(),
        placed,
    );
    (doc, ids, orphans)
}

/// The raw text's chars `s..e` (empty when they do not fit), a sample for the mapping
/// step.
fn raw_text_of(raw: &str, s: usize, e: usize) -> String {
    raw.chars()
        .skip(s)
        .take(e.saturating_sub(s).min(200))
        .collect()
}

/// The regions another tool wrote for the parts of one discontinuous annotation: the first
/// part's region key and the keys of the others.
type Group = (String, Vec<String>);

/// The relation type, in doccano, that ties a discontinuous annotation's further parts to
/// its first (Tallymark's own: doccano has no discontinuous entity).
const FRAGMENT_RELATION: &str = "tallymark_fragment";

/// The key Tallymark writes for part `part` (from 0) of annotation `id`, as a Label Studio
/// region id or a spaCy `tallymark_id`: `t5` for the first part (and for the annotation),
/// `t5.2`, `t5.3`… for the others. [`part_groups`] reads them back.
fn part_key(id: AnnotationId, part: usize) -> String {
    match part {
        0 => format!("t{id}"),
        n => format!("t{id}.{}", n + 1),
    }
}

/// Whether `key` is of the shape [`part_key`] writes: `t5` or `t5.2`.
fn is_part_key(key: &str) -> bool {
    let Some(rest) = key.strip_prefix('t') else {
        return false;
    };
    let (n, part) = rest.split_once('.').unwrap_or((rest, "1"));
    [n, part]
        .iter()
        .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Tallymark's own discontinuous annotations among the regions read from a Label Studio
/// result or a spaCy line: regions `ID.2`, `ID.3`… of a region `ID` with the same label,
/// in the order of their number.
fn part_groups(regions: &[Region<'_>]) -> Vec<Group> {
    let labels: HashMap<&str, &str> = regions.iter().map(|r| (r.key.as_str(), r.label)).collect();
    let mut groups: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
    for r in regions {
        let Some((base, n)) = r.key.rsplit_once('.') else {
            continue;
        };
        if let Ok(n) = n.parse::<usize>()
            && n >= 2
            && labels.get(base) == Some(&r.label)
        {
            groups.entry(base).or_default().push((n, &r.key));
        }
    }
    groups
        .into_iter()
        .map(|(base, mut parts)| {
            parts.sort_unstable();
            (
                base.to_owned(),
                parts.into_iter().map(|(_, k)| k.to_owned()).collect(),
            )
        })
        .collect()
}

/// Joins each group's regions into one annotation with fragments, the first part's, when
/// every part was placed (not an orphan, not joined already), all have one kind and label,
/// and they do not overlap: nothing is guessed. Joined region keys map to the joined
/// annotation's id in `ids`, and the parts joined into another no longer count as imported
/// annotations. Returns the document and the groups left as they were (their regions stay
/// separate annotations).
fn join_parts(
    doc: &Document,
    ids: &mut HashMap<String, AnnotationId>,
    groups: Vec<Group>,
    report: &mut ImportReport,
) -> (Document, Vec<Group>) {
    let mut by_id: BTreeMap<AnnotationId, Annotation> = doc
        .annotations()
        .iter()
        .map(|a| (a.id, (**a).clone()))
        .collect();
    let mut left = Vec::new();
    for (first, rest) in groups {
        let parts: Option<Vec<AnnotationId>> = std::iter::once(&first)
            .chain(&rest)
            .map(|k| ids.get(k).copied())
            .collect();
        let joinable = parts.and_then(|parts| {
            let base = by_id.get(parts.first()?)?;
            let mut seen = BTreeSet::new();
            let mut spans = Vec::with_capacity(parts.len());
            for id in &parts {
                let a = by_id.get(id)?;
                let same = a.kind() == base.kind() && a.label == base.label;
                if !seen.insert(*id) || !same || !a.fragments.is_empty() {
                    return None;
                }
                spans.push(a.span);
            }
            spans.sort_by_key(|s| (s.start, s.end));
            let disjoint = spans.windows(2).all(|w| w[0].end <= w[1].start);
            (spans.len() >= 2 && disjoint).then_some((parts, spans))
        });
        let Some((parts, spans)) = joinable else {
            left.push((first, rest));
            continue;
        };
        let (base, others) = parts.split_first().unwrap_or((&0, &[]));
        for id in others {
            if let Some(a) = by_id.remove(id) {
                let n = &mut report.imported[a.kind().index()];
                *n = n.saturating_sub(1);
            }
        }
        if let Some(a) = by_id.get_mut(base) {
            a.span = Span::between(
                spans.first().map_or(a.span.start, |s| s.start),
                spans.last().map_or(a.span.end, |s| s.end),
            );
            doc.text().slice(a.span).clone_into(&mut a.exact);
            (a.prefix, a.suffix) = doc.text().context(a.span);
            a.fragments = spans;
        }
        for k in rest {
            ids.insert(k, *base);
        }
    }
    let joined = Document::from_parts(
        doc.meta.clone(),
        doc.text().as_str().to_owned(),
        by_id.into_values().collect(),
    );
    (joined, left)
}

/// Adds `links` (from region key, to region key, label) to `doc` and its orphans, counting
/// those whose ends were not both imported.
fn link(
    doc: &Document,
    mut orphans: Vec<Annotation>,
    ids: &HashMap<String, AnnotationId>,
    links: &[(String, String, String)],
    source: &str,
    report: &mut ImportReport,
) -> Document {
    let mut by_from: BTreeMap<AnnotationId, Vec<Link>> = BTreeMap::new();
    for (from, to, label) in links {
        match (ids.get(from), ids.get(to)) {
            (Some(&f), Some(&t)) => {
                by_from.entry(f).or_default().push(Link {
                    label: label.clone(),
                    from_role: String::new(),
                    role: String::new(),
                    to: t,
                    event: String::new(),
                });
                report.links += 1;
            }
            _ => report.skip(Reason::Relation, || {
                format!("{source}: {label} from {from} to {to} (an end was not imported)")
            }),
        }
    }
    let annotations: Vec<Annotation> = doc
        .annotations()
        .iter()
        .map(|a| {
            let mut a = (**a).clone();
            a.links.extend(by_from.remove(&a.id).unwrap_or_default());
            a
        })
        .collect();
    for o in &mut orphans {
        o.links.extend(by_from.remove(&o.id).unwrap_or_default());
    }
    Document::from_parts(
        doc.meta.clone(),
        doc.text().as_str().to_owned(),
        annotations,
    )
    .with_orphans(orphans)
}

/// A JSON id (number or string) as text.
fn key(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The non-empty lines of a JSONL file, numbered from 1, each read as JSON; a line that is
/// not JSON is an error naming it.
fn jsonl(input: &str) -> impl Iterator<Item = Result<(usize, Value), ExportError>> {
    crate::persist::strip_bom(input)
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line).map(|v| (n, v)).map_err(|e| {
                ExportError::Invalid(format!(
                    "line {n}: {}",
                    crate::text::tame_message(&e.to_string())
                ))
            })
        })
}

/// The label another tool sees for `a`: the one it came with, else its kind's name.
fn label_of(a: &Annotation) -> &str {
    a.label.as_deref().unwrap_or_else(|| a.kind().label())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_convert_utf16_and_follow_the_normalised_text() {
        // BOM, an emoji (two UTF-16 units), CRLF.
        let raw = "\u{feff}a🙂b\r\nc";
        let o = Offsets::new(raw);
        // Raw chars: BOM 0, a 1, 🙂 2, b 3, \r 4, \n 5, c 6.
        assert_eq!(
            o.char_of(Units::Utf16, 2),
            Some(2),
            "the emoji starts at unit 2"
        );
        assert_eq!(
            o.char_of(Units::Utf16, 3),
            None,
            "inside the surrogate pair"
        );
        assert_eq!(
            o.char_of(Units::Utf16, 4),
            Some(3),
            "b, after two units of emoji"
        );
        // Normalised: a 0, 🙂 1, b 2, \n 3, c 4.
        assert_eq!(o.span(1, 2), Some(Span::between(0, 1)));
        assert_eq!(o.span(6, 7), Some(Span::between(4, 5)), "after CRLF");
        assert_eq!(o.span(4, 6), Some(Span::between(3, 4)), "CRLF is one char");
        assert_eq!(o.span(0, 1), None, "the BOM alone is nothing");
    }
}
