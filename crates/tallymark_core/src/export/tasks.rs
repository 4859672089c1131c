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
//! between. Label Studio (region ids `t5`, `t5.2`…) and doccano (a `tallymark_fragment`
//! relation from the first part to each other) read it back as one annotation; spaCy has
//! no way to say the parts belong together. Label Studio also carries Tallymark's own
//! attributes, note, annotator and times, in per-region controls named `tallymark_…`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use unicode_segmentation::UnicodeSegmentation as _;

use super::ExportError;
use super::imported::{ImportReport, Reason, Target, TypeMap};
use crate::annotation::{Annotation, AnnotationId, Field, Kind, Link};
use crate::document::Document;
use crate::span::Span;

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

/// The task's text: `data.text`, else the first string in `data`.
fn task_text(task: &Value) -> Option<&str> {
    task["data"]["text"].as_str().or_else(|| {
        task["data"]
            .as_object()
            .and_then(|o| o.values().find_map(Value::as_str))
    })
}

/// Reads a Label Studio JSON export: every task's annotations (one document per annotator)
/// and predictions (one per model version). `labels` results become annotations (regions
/// `ID.2`, `ID.3`… with the label of a region `ID` are its further parts); Tallymark's own
/// per-region controls (`tallymark_…`) its attributes, note, annotator and times; other
/// per-region `choices`, `number` and `datetime` results its fields and `textarea` results
/// its notes; `relation` results links. The annotation's `created_at` and `updated_at` are
/// every region's times, unless a region says its own.
///
/// # Errors
/// JSON that does not parse.
pub fn from_label_studio(
    input: &str,
    stem: &str,
    map: &TypeMap,
    report: &mut ImportReport,
) -> Result<Vec<Named>, ExportError> {
    let v: Value = serde_json::from_str(crate::persist::strip_bom(input))?;
    let tasks: Vec<&Value> = match &v {
        Value::Array(a) => a.iter().collect(),
        one => vec![one],
    };
    let mut out = Vec::new();
    for (t, task) in tasks.iter().enumerate() {
        let task_id = task.get("id").map_or_else(|| (t + 1).to_string(), key);
        let Some(raw) = task_text(task) else {
            report.skip(Reason::NonTextTarget, || {
                format!("task {task_id}: no text in its data")
            });
            continue;
        };
        let sets = [("annotations", "annotator"), ("predictions", "prediction")];
        for (field, what) in sets {
            for (i, set) in task[field].as_array().into_iter().flatten().enumerate() {
                if set["was_cancelled"] == true {
                    continue;
                }
                let who = match what {
                    "annotator" => set
                        .get("completed_by")
                        .map(|c| c["email"].as_str().map_or_else(|| key(c), str::to_owned))
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| format!("annotation-{}", i + 1)),
                    _ => set["model_version"]
                        .as_str()
                        .map_or_else(|| format!("prediction-{}", i + 1), str::to_owned),
                };
                let name = format!("{stem}.task{task_id}.{}", crate::text::slug(&who));
                let source = format!("{stem} task {task_id} ({what} {who})");
                let doc = label_studio_set(raw, &source, set, map, report, &who);
                out.push((name, doc));
            }
        }
    }
    Ok(out)
}

/// Tallymark's own discontinuous annotations in a Label Studio result: regions `ID.2`,
/// `ID.3`… of a region `ID` with the same label, in the order of their number.
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

/// One annotation (or prediction) of a Label Studio task as a document.
fn label_studio_set(
    raw: &str,
    source: &str,
    set: &Value,
    map: &TypeMap,
    report: &mut ImportReport,
    who: &str,
) -> Document {
    let results: Vec<&Value> = set["result"].as_array().into_iter().flatten().collect();
    let mut regions = Vec::new();
    let mut relations = Vec::new();
    let mut extras: Vec<&Value> = Vec::new();
    for r in &results {
        match r["type"].as_str().unwrap_or_default() {
            "labels" | "hypertextlabels" => {
                let value = &r["value"];
                let labels: Vec<&str> = value["labels"]
                    .as_array()
                    .or_else(|| value["hypertextlabels"].as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let (Some(s), Some(e)) = (value["start"].as_u64(), value["end"].as_u64()) else {
                    report.skip(Reason::NonTextTarget, || {
                        format!(
                            "{source}: region {} has no character offsets",
                            key(&r["id"])
                        )
                    });
                    continue;
                };
                // The first label that maps names the kind; a region without one is counted
                // under its first label.
                let label = labels
                    .iter()
                    .copied()
                    .find(|l| map.get(l).is_some())
                    .or_else(|| labels.first().copied())
                    .unwrap_or("(no label)");
                regions.push(Region {
                    key: key(&r["id"]),
                    start: usize::try_from(s).unwrap_or(usize::MAX),
                    end: usize::try_from(e).unwrap_or(usize::MAX),
                    text: value["text"].as_str(),
                    label,
                });
            }
            "relation" => {
                let label = r["labels"]
                    .as_array()
                    .and_then(|l| l.first())
                    .and_then(Value::as_str)
                    .unwrap_or("relation");
                relations.push((key(&r["from_id"]), key(&r["to_id"]), label.to_owned()));
            }
            "choices" | "textarea" | "number" | "datetime" => extras.push(r),
            other => report.skip(Reason::Unsupported, || {
                format!("{source}: a {other} result is not read")
            }),
        }
    }
    let (doc, mut ids, mut orphans) = build(
        raw,
        source,
        &regions,
        &[Units::CodePoints, Units::Utf16],
        map,
        report,
    );
    let (doc, _) = join_parts(&doc, &mut ids, part_groups(&regions), report);
    // Per-region results, on the region they share an id with (a discontinuous
    // annotation's further parts share its annotation).
    let mut on: BTreeMap<AnnotationId, Vec<&Value>> = BTreeMap::new();
    for r in extras {
        match ids.get(&key(&r["id"])) {
            Some(&id) => on.entry(id).or_default().push(r),
            None => report.skip(Reason::Attribute, || {
                format!(
                    "{source}: {} {} is not on an imported region",
                    r["type"].as_str().unwrap_or_default(),
                    r["from_name"].as_str().unwrap_or_default()
                )
            }),
        }
    }
    // The set's annotator and times are each region's unless it carries its own; where
    // some regions carry their own annotator, the set named none for the others.
    let own_annotators = on
        .values()
        .flatten()
        .any(|r| r["from_name"] == own::ANNOTATOR);
    let created = set_time(set, "created_at", source, report);
    let modified = set_time(set, "updated_at", source, report);
    let fill = |a: &mut Annotation| {
        if !own_annotators {
            who.clone_into(&mut a.annotator);
        }
        a.created = created;
        a.modified = modified;
        for r in on.get(&a.id).into_iter().flatten() {
            read_result(a, r);
        }
    };
    let annotations: Vec<Annotation> = doc
        .annotations()
        .iter()
        .map(|a| {
            let mut a = (**a).clone();
            fill(&mut a);
            a
        })
        .collect();
    for o in &mut orphans {
        fill(o);
    }
    let doc = Document::from_parts(
        doc.meta.clone(),
        doc.text().as_str().to_owned(),
        annotations,
    );
    link(&doc, orphans, &ids, &relations, source, report)
}

/// A Label Studio annotation's (or prediction's) `created_at` or `updated_at`, when it
/// has one; one that is not a time is counted, never guessed at.
fn set_time(
    set: &Value,
    field: &str,
    source: &str,
    report: &mut ImportReport,
) -> Option<OffsetDateTime> {
    let text = set.get(field)?.as_str()?;
    let t = parse_time(text);
    if t.is_none() {
        report.skip(Reason::Malformed, || {
            format!(
                "{source}: {field} {} is not a time",
                crate::text::quote_input(text)
            )
        });
    }
    t
}

/// An RFC 3339 time; Label Studio's, which may lack the zone, as UTC (its server's).
fn parse_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339))
        .ok()
}

/// Reads one per-region result into `a`: Tallymark's own controls into its attributes,
/// note, annotator and times; any other `choices`, `number` or `datetime` result (or one
/// of Tallymark's that does not fit the kind or does not parse) as fields named by the
/// control; any other `textarea` as notes.
fn read_result(a: &mut Annotation, r: &Value) {
    let name = r["from_name"].as_str().unwrap_or_default();
    let ty = r["type"].as_str().unwrap_or_default();
    let value = &r["value"];
    if own::read(a, name, ty, value) {
        return;
    }
    let strings = |k: &str| -> Vec<String> {
        value[k]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect()
    };
    let values = match ty {
        "choices" => strings("choices"),
        "textarea" => strings("text"),
        "number" => vec![number_text(&value["number"])],
        _ => vec![
            value["datetime"]
                .as_str()
                .map_or_else(|| value["datetime"].to_string(), str::to_owned),
        ],
    };
    if (ty == "textarea" && !name.starts_with(own::PREFIX)) || name == own::NOTES {
        a.notes.extend(values);
    } else {
        a.fields.extend(values.into_iter().map(|value| Field {
            name: name.to_owned(),
            value,
            normalised: None,
        }));
    }
}

/// A JSON number as text (`12`, `2.5`), as written.
fn number_text(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
}

/// Tallymark's own per-region controls in Label Studio: its attributes, note, annotator
/// and times. Every name starts with `tallymark_`, a prefix no other tool's control is
/// expected to use; each is read back only as the control type it is written as.
mod own {
    use serde_json::{Value, json};
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    use crate::annotation::{
        Annotation, Attributes, ClaimStatus, Qualifier, format_date, parse_date,
    };
    use crate::scope::DateSource;

    /// The prefix of every control Tallymark writes.
    pub const PREFIX: &str = "tallymark_";
    /// Notes that came from other tools (`notes`), one text per note.
    pub const NOTES: &str = "tallymark_notes";
    /// The annotation's own note.
    pub const NOTE: &str = "tallymark_note";
    /// Who made it, where the regions of one export do not share one annotator.
    pub const ANNOTATOR: &str = "tallymark_annotator";
    /// When it was made, where that is not the export's `created_at`.
    pub const CREATED: &str = "tallymark_created";
    /// When it was last changed, where that is not the export's `updated_at`.
    pub const MODIFIED: &str = "tallymark_modified";

    /// A Label Studio control tag.
    #[derive(Clone, Copy, PartialEq, Eq)]
    pub enum Tag {
        /// `TextArea`, one text (or several, for notes).
        TextArea,
        /// `Number`.
        Number,
        /// `Choices`, one of the values listed.
        Choices(&'static [&'static str]),
        /// `DateTime` with `only="date"`.
        Date,
    }

    const QUALIFIERS: &[&str] = &[
        "exact",
        "about",
        "more_than",
        "at_least",
        "nearly",
        "up_to",
        "fewer_than",
        "range",
        "vague",
    ];
    const STATUSES: &[&str] = &["unverified", "supported", "disputed", "false"];
    const DATE_SOURCES: &[&str] = &["article", "sentence", "typed"];

    /// Every control, in the order written: (name, tag, what it holds, for the config's
    /// headers).
    pub const CONTROLS: &[(&str, Tag, &str)] = &[
        (NOTE, Tag::TextArea, "note"),
        (NOTES, Tag::TextArea, "notes from other tools"),
        (
            "tallymark_value_low",
            Tag::Number,
            "figure: value (or low end)",
        ),
        (
            "tallymark_value_high",
            Tag::Number,
            "figure: high end of a range",
        ),
        (
            "tallymark_qualifier",
            Tag::Choices(QUALIFIERS),
            "figure: qualifier",
        ),
        ("tallymark_metric", Tag::TextArea, "figure: what is counted"),
        ("tallymark_who", Tag::TextArea, "figure: who is counted"),
        ("tallymark_source", Tag::TextArea, "figure: said by"),
        ("tallymark_reported", Tag::Date, "figure: reported on"),
        (
            "tallymark_reported_from",
            Tag::Choices(DATE_SOURCES),
            "figure: where the date came from",
        ),
        ("tallymark_place", Tag::TextArea, "figure: place"),
        ("tallymark_claim", Tag::TextArea, "figure: the claim it is"),
        (
            "tallymark_part_of",
            Tag::TextArea,
            "figure: part of the claim",
        ),
        (
            "tallymark_excluded",
            Tag::Choices(&["excluded"]),
            "figure: left out of the comparison",
        ),
        ("tallymark_speaker", Tag::TextArea, "quote: speaker"),
        ("tallymark_claimant", Tag::TextArea, "claim: claimant"),
        ("tallymark_status", Tag::Choices(STATUSES), "claim: status"),
        (ANNOTATOR, Tag::TextArea, "annotator"),
        (CREATED, Tag::TextArea, "created (RFC 3339)"),
        (MODIFIED, Tag::TextArea, "modified (RFC 3339)"),
    ];

    /// The result type and value of `tag` holding `v` (a text, number or date).
    fn value(tag: Tag, v: &str) -> (&'static str, Value) {
        match tag {
            Tag::TextArea => ("textarea", json!({"text": [v]})),
            Tag::Choices(_) => ("choices", json!({"choices": [v]})),
            Tag::Date => ("datetime", json!({"datetime": v})),
            Tag::Number => ("number", Value::Null),
        }
    }

    /// A number as Label Studio's `Number` holds it: whole numbers without `.0`.
    fn number(v: f64) -> Value {
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if v.fract() == 0.0 && v.abs() < EXACT {
            #[expect(
                clippy::cast_possible_truncation,
                reason = "a whole number below 2^53, exactly an i64"
            )]
            let whole = v as i64;
            json!(whole)
        } else {
            json!(v)
        }
    }

    /// What `a` carries in Tallymark's controls: (control name, result type, value).
    /// Empty texts, absent values and, for an annotation from another tool, Tallymark's
    /// defaults (an exact qualifier, an unverified status) are not written; `annotator`,
    /// `created` and `modified` are written when the export's annotation does not say
    /// them for every region.
    pub fn results(
        a: &Annotation,
        annotator: bool,
        created: bool,
        modified: bool,
    ) -> Vec<(&'static str, &'static str, Value)> {
        let foreign = a.label.is_some();
        let rfc =
            |t: Option<OffsetDateTime>| t.and_then(|t| t.format(&Rfc3339).ok()).unwrap_or_default();
        let mut texts: Vec<(&'static str, String)> = vec![(NOTE, a.note.clone())];
        let mut numbers: Vec<(&'static str, Option<f64>)> = Vec::new();
        match &a.attributes {
            Attributes::Figure(f) => {
                numbers.push(("tallymark_value_low", f.value_low));
                numbers.push(("tallymark_value_high", f.value_high));
                if !(foreign && f.qualifier == Qualifier::default()) {
                    texts.push(("tallymark_qualifier", f.qualifier.key().to_owned()));
                }
                texts.push(("tallymark_metric", f.metric.clone()));
                texts.push(("tallymark_who", f.who.clone()));
                texts.push(("tallymark_source", f.source.clone()));
                texts.push((
                    "tallymark_reported",
                    f.reported.map(format_date).unwrap_or_default(),
                ));
                let from = f
                    .reported_from
                    .and_then(|d| serde_json::to_value(d).ok())
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                texts.push(("tallymark_reported_from", from));
                texts.push(("tallymark_place", f.place.clone()));
                texts.push(("tallymark_claim", f.claim.clone()));
                texts.push(("tallymark_part_of", f.part_of.clone()));
                if f.excluded {
                    texts.push(("tallymark_excluded", "excluded".to_owned()));
                }
            }
            Attributes::Quote(q) => texts.push(("tallymark_speaker", q.speaker.clone())),
            Attributes::Claim(c) => {
                texts.push(("tallymark_claimant", c.claimant.clone()));
                if !(foreign && c.status == ClaimStatus::default()) {
                    texts.push(("tallymark_status", c.status.key().to_owned()));
                }
            }
        }
        if annotator {
            texts.push((ANNOTATOR, a.annotator.clone()));
        }
        if created {
            texts.push((CREATED, rfc(a.created)));
        }
        if modified {
            texts.push((MODIFIED, rfc(a.modified)));
        }
        let tag = |name: &str| {
            CONTROLS
                .iter()
                .find(|(n, _, _)| *n == name)
                .map_or(Tag::TextArea, |c| c.1)
        };
        let mut out: Vec<(&'static str, &'static str, Value)> = numbers
            .into_iter()
            .filter_map(|(name, v)| Some((name, "number", json!({"number": number(v?)}))))
            .collect();
        out.extend(
            texts
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(name, v)| {
                    let (ty, value) = value(tag(name), &v);
                    (name, ty, value)
                }),
        );
        // In the controls' order, whatever the kind.
        out.sort_by_key(|(name, _, _)| CONTROLS.iter().position(|(n, _, _)| n == name));
        out
    }

    /// Reads one of Tallymark's controls into `a`; false when `name` is not one, is not
    /// of its type, does not fit `a`'s kind or its value does not parse (the caller keeps
    /// it as a field or note).
    pub fn read(a: &mut Annotation, name: &str, ty: &str, value: &Value) -> bool {
        let Some((_, tag, _)) = CONTROLS.iter().find(|(n, _, _)| *n == name) else {
            return false;
        };
        let expected = match tag {
            Tag::TextArea => "textarea",
            Tag::Number => "number",
            Tag::Choices(_) => "choices",
            Tag::Date => "datetime",
        };
        if ty != expected || name == NOTES {
            return false;
        }
        // A text area may hold several submissions: one text, a line each.
        let text = value["text"]
            .as_array()
            .map(|t| {
                t.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        let choice = match value["choices"].as_array().map(Vec::as_slice) {
            Some([one]) => one.as_str(),
            _ => None,
        };
        let number = value["number"].as_f64().filter(|v| v.is_finite());
        // Only the date of a date-and-time (a config without `only="date"`).
        let date = value["datetime"]
            .as_str()
            .and_then(|d| parse_date(d.split('T').next().unwrap_or(d)).ok());
        let time = || OffsetDateTime::parse(&text, &Rfc3339).ok();
        match (name, &mut a.attributes) {
            (NOTE, _) => a.note = text,
            (ANNOTATOR, _) => a.annotator = text,
            (CREATED, _) => match time() {
                Some(t) => a.created = Some(t),
                None => return false,
            },
            (MODIFIED, _) => match time() {
                Some(t) => a.modified = Some(t),
                None => return false,
            },
            ("tallymark_value_low", Attributes::Figure(f)) => match number {
                Some(v) => f.value_low = Some(v),
                None => return false,
            },
            ("tallymark_value_high", Attributes::Figure(f)) => match number {
                Some(v) => f.value_high = Some(v),
                None => return false,
            },
            ("tallymark_qualifier", Attributes::Figure(f)) => {
                match Qualifier::ALL.into_iter().find(|q| Some(q.key()) == choice) {
                    Some(q) => f.qualifier = q,
                    None => return false,
                }
            }
            ("tallymark_metric", Attributes::Figure(f)) => f.metric = text,
            ("tallymark_who", Attributes::Figure(f)) => f.who = text,
            ("tallymark_source", Attributes::Figure(f)) => f.source = text,
            ("tallymark_reported", Attributes::Figure(f)) => match date {
                Some(d) => f.reported = Some(d),
                None => return false,
            },
            ("tallymark_reported_from", Attributes::Figure(f)) => {
                match choice.and_then(|c| serde_json::from_value::<DateSource>(json!(c)).ok()) {
                    Some(d) => f.reported_from = Some(d),
                    None => return false,
                }
            }
            ("tallymark_place", Attributes::Figure(f)) => f.place = text,
            ("tallymark_claim", Attributes::Figure(f)) => f.claim = text,
            ("tallymark_part_of", Attributes::Figure(f)) => f.part_of = text,
            ("tallymark_excluded", Attributes::Figure(f)) if choice == Some("excluded") => {
                f.excluded = true;
            }
            ("tallymark_speaker", Attributes::Quote(q)) => q.speaker = text,
            ("tallymark_claimant", Attributes::Claim(c)) => c.claimant = text,
            ("tallymark_status", Attributes::Claim(c)) => {
                match ClaimStatus::ALL
                    .into_iter()
                    .find(|s| Some(s.key()) == choice)
                {
                    Some(s) => c.status = s,
                    None => return false,
                }
            }
            _ => return false,
        }
        true
    }
}

/// Reads doccano JSONL: one document per line, `label: [[s, e, "L"], …]` or
/// `entities: [{id, start_offset, end_offset, label}]` with `relations: [{from_id, to_id,
/// type}]`. Offsets are UTF-16 code units (read as code points when only that fits).
///
/// # Errors
/// A line that is not JSON (naming it).
pub fn from_doccano(
    input: &str,
    stem: &str,
    map: &TypeMap,
    report: &mut ImportReport,
) -> Result<Vec<Named>, ExportError> {
    let mut out = Vec::new();
    for line in jsonl(input) {
        let (n, v) = line?;
        let name = v
            .get("id")
            .map_or_else(|| format!("line{n}"), |id| format!("id{}", key(id)));
        let source = format!("{stem} line {n}");
        let Some(raw) = v["text"].as_str().or_else(|| v["data"].as_str()) else {
            report.skip(Reason::Malformed, || format!("{source}: no text"));
            continue;
        };
        let mut regions = Vec::new();
        for (i, l) in v["label"].as_array().into_iter().flatten().enumerate() {
            let (Some(s), Some(e), Some(label)) = (l[0].as_u64(), l[1].as_u64(), l[2].as_str())
            else {
                report.skip(Reason::Malformed, || {
                    format!("{source}: label {} is not [start, end, \"LABEL\"]", i + 1)
                });
                continue;
            };
            regions.push(Region {
                key: format!("label{i}"),
                start: usize::try_from(s).unwrap_or(usize::MAX),
                end: usize::try_from(e).unwrap_or(usize::MAX),
                text: None,
                label,
            });
        }
        for e in v["entities"].as_array().into_iter().flatten() {
            let (Some(s), Some(end), Some(label)) = (
                e["start_offset"].as_u64(),
                e["end_offset"].as_u64(),
                e["label"].as_str(),
            ) else {
                report.skip(Reason::Malformed, || {
                    format!("{source}: entity {} is incomplete", key(&e["id"]))
                });
                continue;
            };
            regions.push(Region {
                key: key(&e["id"]),
                start: usize::try_from(s).unwrap_or(usize::MAX),
                end: usize::try_from(end).unwrap_or(usize::MAX),
                // doccano's own exports carry none; a converter's `text` says how the
                // offsets count.
                text: e["text"].as_str(),
                label,
            });
        }
        let relations: Vec<(String, String, String)> = v["relations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                (
                    key(&r["from_id"]),
                    key(&r["to_id"]),
                    r["type"].as_str().unwrap_or("relation").to_owned(),
                )
            })
            .collect();
        let units = doccano_units(raw, &regions);
        let (doc, mut ids, orphans) = build(raw, &source, &regions, &units, map, report);
        // Tallymark's own discontinuous annotations: parts tied to the first part.
        let (fragment_links, mut relations): (Vec<_>, Vec<_>) = relations
            .into_iter()
            .partition(|(_, _, ty)| ty == FRAGMENT_RELATION);
        let mut groups: Vec<Group> = Vec::new();
        for (from, to, _) in &fragment_links {
            match groups.iter_mut().find(|(f, _)| f == from) {
                Some((_, rest)) => rest.push(to.clone()),
                None => groups.push((from.clone(), vec![to.clone()])),
            }
        }
        let (doc, left) = join_parts(&doc, &mut ids, groups, report);
        // Parts that could not be joined stay apart, and so does what tied them.
        relations.extend(
            fragment_links.into_iter().filter(|(from, to, _)| {
                left.iter().any(|(f, rest)| f == from && rest.contains(to))
            }),
        );
        out.push((
            format!("{stem}.{name}"),
            link(&doc, orphans, &ids, &relations, &source, report),
        ));
    }
    Ok(out)
}

/// How a doccano document counts its offsets, the likeliest reading first (the others
/// follow, tried per region where its text says so). Where regions carry their text, the
/// first of UTF-16 code units, code points and grapheme clusters under which every region
/// fits and every text matches; otherwise (or when none does) UTF-16 code units unless a
/// region only fits as code points (it splits a surrogate pair or ends past the UTF-16
/// length otherwise). Without region text, grapheme clusters cannot be told from the
/// others and are never chosen.
fn doccano_units(raw: &str, regions: &[Region<'_>]) -> [Units; 3] {
    const ORDER: [Units; 3] = [Units::Utf16, Units::CodePoints, Units::Graphemes];
    let o = Offsets::new(raw);
    let raw_chars: Vec<char> = raw.chars().collect();
    let reads = |u: Units, with_text: bool| {
        regions.iter().all(|r| {
            o.chars(u, r.start, r.end).is_some_and(|(s, e)| {
                !with_text
                    || r.text.is_none_or(|t| {
                        raw_chars
                            .get(s..e)
                            .is_some_and(|c| c.iter().copied().eq(t.chars()))
                    })
            })
        })
    };
    let first = if regions.iter().any(|r| r.text.is_some())
        && let Some(u) = ORDER.into_iter().find(|&u| reads(u, true))
    {
        u
    } else if reads(Units::Utf16, false) {
        Units::Utf16
    } else {
        Units::CodePoints
    };
    let mut out = [first; 3];
    for (slot, u) in out[1..]
        .iter_mut()
        .zip(ORDER.into_iter().filter(|&u| u != first))
    {
        *slot = u;
    }
    out
}

/// Reads spaCy/Prodigy JSONL: one document per line (`"answer": "reject"` and `"ignore"`
/// lines are counted and skipped), `spans: [{start, end, label}]` in code points.
///
/// # Errors
/// A line that is not JSON (naming it).
pub fn from_spacy(
    input: &str,
    stem: &str,
    map: &TypeMap,
    report: &mut ImportReport,
) -> Result<Vec<Named>, ExportError> {
    let mut out = Vec::new();
    for line in jsonl(input) {
        let (n, v) = line?;
        let source = format!("{stem} line {n}");
        if matches!(v["answer"].as_str(), Some("reject" | "ignore")) {
            report.skip(Reason::Unsupported, || {
                format!("{source}: answer {} (not an accepted example)", v["answer"])
            });
            continue;
        }
        let Some(raw) = v["text"].as_str() else {
            report.skip(Reason::Malformed, || format!("{source}: no text"));
            continue;
        };
        let mut regions = Vec::new();
        for (i, s) in v["spans"].as_array().into_iter().flatten().enumerate() {
            let (Some(start), Some(end), Some(label)) =
                (s["start"].as_u64(), s["end"].as_u64(), s["label"].as_str())
            else {
                report.skip(Reason::Malformed, || {
                    format!("{source}: span {} is incomplete", i + 1)
                });
                continue;
            };
            regions.push(Region {
                key: format!("span{i}"),
                start: usize::try_from(start).unwrap_or(usize::MAX),
                end: usize::try_from(end).unwrap_or(usize::MAX),
                text: s["text"].as_str(),
                label,
            });
        }
        let (doc, _, orphans) = build(
            raw,
            &source,
            &regions,
            &[Units::CodePoints, Units::Utf16],
            map,
            report,
        );
        out.push((format!("{stem}.line{n}"), doc.with_orphans(orphans)));
    }
    Ok(out)
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

/// The UTF-16 offset of every char offset of `text` (and its end).
fn utf16_offsets(text: &str) -> Vec<usize> {
    let mut out = Vec::with_capacity(text.len() + 1);
    let mut u = 0;
    for c in text.chars() {
        out.push(u);
        u += c.len_utf16();
    }
    out.push(u);
    out
}

/// `doc` as a Label Studio task (an array of one), with one annotation holding every
/// span (`labels`, one region per part of a discontinuous annotation), Tallymark's own
/// attributes, note, annotator and times (per-region controls named `tallymark_…`, see
/// [`label_studio_config`]), its fields from other tools (`choices`), its notes from other
/// tools (`textarea` `tallymark_notes`) and its links (`relation`). The annotator is
/// `completed_by` and the times `created_at` (the earliest) and `updated_at` (the latest)
/// where every region has them; a region whose own differ says so itself. Offsets are code
/// points.
///
/// # Errors
/// Only if serialisation fails.
pub fn to_label_studio(doc: &Document) -> Result<String, ExportError> {
    let mut result = Vec::new();
    let rid = |id: AnnotationId| format!("t{id}");
    let annotations = doc.annotations();
    let ids: BTreeSet<AnnotationId> = annotations.iter().map(|a| a.id).collect();
    // What the export's annotation says for every region, when it can.
    let annotators: BTreeSet<&str> = annotations.iter().map(|a| a.annotator.as_str()).collect();
    let annotator = match annotators.iter().collect::<Vec<_>>().as_slice() {
        [one] if !one.is_empty() => Some(**one),
        _ => None,
    };
    let created: Option<Vec<OffsetDateTime>> = annotations.iter().map(|a| a.created).collect();
    let created = created.and_then(|t| t.into_iter().min());
    let modified: Option<Vec<OffsetDateTime>> = annotations.iter().map(|a| a.modified).collect();
    let modified = modified.and_then(|t| t.into_iter().max());
    for a in annotations {
        // One region per part, so that nothing lands on the words between; the further
        // parts' ids are the first's with `.2`, `.3`…, and the per-region results go on
        // the first.
        for (k, p) in a.parts().iter().enumerate() {
            let id = match k {
                0 => rid(a.id),
                k => format!("{}.{}", rid(a.id), k + 1),
            };
            result.push(json!({
                "id": id, "from_name": "label", "to_name": "text", "type": "labels",
                "value": {
                    "start": p.start, "end": p.end, "text": doc.text().slice(*p),
                    "labels": [label_of(a)],
                },
            }));
        }
        let first = a.parts().first().copied().unwrap_or(a.span);
        let on_region = |mut value: Value| {
            value["start"] = json!(first.start);
            value["end"] = json!(first.end);
            value
        };
        let own = own::results(
            a,
            annotator.is_none(),
            a.created.is_some() && a.created != created,
            a.modified.is_some() && a.modified != modified,
        );
        for (name, ty, value) in own {
            result.push(json!({
                "id": rid(a.id), "from_name": name, "to_name": "text", "type": ty,
                "value": on_region(value),
            }));
        }
        let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for f in a.fields.iter().filter(|f| f.normalised.is_none()) {
            by_name.entry(&f.name).or_default().push(&f.value);
        }
        for (name, values) in by_name {
            result.push(json!({
                "id": rid(a.id), "from_name": name, "to_name": "text", "type": "choices",
                "value": on_region(json!({"choices": values})),
            }));
        }
        if !a.notes.is_empty() {
            result.push(json!({
                "id": rid(a.id), "from_name": own::NOTES, "to_name": "text",
                "type": "textarea", "value": on_region(json!({"text": a.notes})),
            }));
        }
    }
    for a in annotations {
        for l in a
            .links
            .iter()
            .filter(|l| ids.contains(&l.to) && l.to != a.id)
        {
            result.push(json!({
                "from_id": rid(a.id), "to_id": rid(l.to), "type": "relation",
                "direction": "right", "labels": [l.label],
            }));
        }
    }
    let mut annotation = json!({"id": 1, "result": result});
    if let Some(who) = annotator {
        annotation["completed_by"] = json!({"email": who});
    }
    let rfc = |t: OffsetDateTime| t.format(&Rfc3339).ok();
    if let Some(t) = created.and_then(rfc) {
        annotation["created_at"] = json!(t);
    }
    if let Some(t) = modified.and_then(rfc) {
        annotation["updated_at"] = json!(t);
    }
    let task = json!([{
        "id": 1,
        "data": {"text": doc.text().as_str(), "title": doc.meta.title},
        "annotations": [annotation],
    }]);
    Ok(format!("{}\n", serde_json::to_string_pretty(&task)?))
}

/// Label Studio's labelling configuration for [`to_label_studio`]'s export of `doc`: the
/// labels, relations and the per-region controls it uses: the other tools' fields as
/// `Choices` with the values used, and Tallymark's own controls, all named `tallymark_…`
/// (`Number` for a figure's values, `Choices` for its qualifier, a claim's status and the
/// like, `DateTime` for the reported date, `TextArea` for the rest).
#[must_use]
pub fn label_studio_config(doc: &Document) -> String {
    let xml = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut labels: BTreeSet<&str> = Kind::ALL.iter().map(|k| k.label()).collect();
    let mut relations = BTreeSet::new();
    let mut choices: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for a in doc.annotations() {
        labels.insert(label_of(a));
        for l in &a.links {
            relations.insert(l.label.as_str());
        }
        // A field named as one of Tallymark's controls came from one that did not fit;
        // the control is declared once, as Tallymark's.
        for f in a.fields.iter().filter(|f| {
            f.normalised.is_none() && !own::CONTROLS.iter().any(|(n, _, _)| *n == f.name)
        }) {
            choices.entry(&f.name).or_default().insert(&f.value);
        }
    }
    let mut out = String::from("<View>\n  <Labels name=\"label\" toName=\"text\">\n");
    for l in labels {
        let _ = writeln!(out, "    <Label value=\"{}\"/>", xml(l));
    }
    out.push_str("  </Labels>\n  <Text name=\"text\" value=\"$text\"/>\n");
    if !relations.is_empty() {
        out.push_str("  <Relations>\n");
        for r in relations {
            let _ = writeln!(out, "    <Relation value=\"{}\"/>", xml(r));
        }
        out.push_str("  </Relations>\n");
    }
    for (name, values) in choices {
        let _ = writeln!(
            out,
            "  <Choices name=\"{}\" toName=\"text\" perRegion=\"true\" choice=\"multiple\">",
            xml(name)
        );
        for v in values {
            let _ = writeln!(out, "    <Choice value=\"{}\"/>", xml(v));
        }
        out.push_str("  </Choices>\n");
    }
    // Tallymark's own, shown for the selected region only.
    out.push_str("  <View visibleWhen=\"region-selected\">\n");
    for (name, tag, what) in own::CONTROLS {
        let _ = writeln!(out, "    <Header value=\"{}\" size=\"6\"/>", xml(what));
        let common = format!("name=\"{name}\" toName=\"text\" perRegion=\"true\"");
        match tag {
            own::Tag::TextArea if *name == own::NOTES => {
                let _ = writeln!(out, "    <TextArea {common} editable=\"true\"/>");
            }
            own::Tag::TextArea => {
                let _ = writeln!(
                    out,
                    "    <TextArea {common} editable=\"true\" maxSubmissions=\"1\"/>"
                );
            }
            own::Tag::Number => {
                let _ = writeln!(out, "    <Number {common}/>");
            }
            own::Tag::Date => {
                let _ = writeln!(out, "    <DateTime {common} only=\"date\"/>");
            }
            own::Tag::Choices(values) => {
                let _ = writeln!(out, "    <Choices {common} choice=\"single\">");
                for v in *values {
                    let _ = writeln!(out, "      <Choice value=\"{v}\"/>");
                }
                out.push_str("    </Choices>\n");
            }
        }
    }
    out.push_str("  </View>\n</View>\n");
    out
}

/// `doc` as one doccano JSONL line: `entities` (UTF-16 offsets, doccano's) and
/// `relations`. A discontinuous annotation is one entity per part, the further parts tied
/// to the first by a `tallymark_fragment` relation (read back as one annotation).
///
/// # Errors
/// Only if serialisation fails.
pub fn to_doccano(doc: &Document) -> Result<String, ExportError> {
    let u = utf16_offsets(doc.text().as_str());
    let ids: BTreeSet<AnnotationId> = doc.annotations().iter().map(|a| a.id).collect();
    // Further parts of discontinuous annotations get ids after every annotation's.
    let mut next_id = ids.last().copied().unwrap_or(0) + 1;
    let mut entities = Vec::new();
    let mut relations: Vec<Value> = Vec::new();
    let mut relation = |from: AnnotationId, to: AnnotationId, ty: &str| {
        let id = relations.len() + 1;
        relations.push(json!({"id": id, "from_id": from, "to_id": to, "type": ty}));
    };
    for a in doc.annotations() {
        for (k, p) in a.parts().iter().enumerate() {
            let id = if k == 0 {
                a.id
            } else {
                next_id += 1;
                relation(a.id, next_id - 1, FRAGMENT_RELATION);
                next_id - 1
            };
            entities.push(json!({
                "id": id, "label": label_of(a),
                "start_offset": u.get(p.start), "end_offset": u.get(p.end),
            }));
        }
    }
    for a in doc.annotations() {
        for l in a
            .links
            .iter()
            .filter(|l| ids.contains(&l.to) && l.to != a.id)
        {
            relation(a.id, l.to, &l.label);
        }
    }
    let line = json!({"text": doc.text().as_str(), "entities": entities, "relations": relations});
    Ok(format!("{}\n", serde_json::to_string(&line)?))
}

/// `doc` as one spaCy/Prodigy JSONL line: `spans` in code points, one per part of a
/// discontinuous annotation (spaCy has no way to say they belong together).
///
/// # Errors
/// Only if serialisation fails.
pub fn to_spacy(doc: &Document) -> Result<String, ExportError> {
    // One span per part: a discontinuous annotation never covers the words between.
    let spans: Vec<Value> = doc
        .annotations()
        .iter()
        .flat_map(|a| {
            a.parts().iter().map(|p| {
                json!({"start": p.start, "end": p.end, "label": label_of(a), "text": doc.text().slice(*p)})
            })
        })
        .collect();
    let line = json!({"text": doc.text().as_str(), "spans": spans, "answer": "accept"});
    Ok(format!("{}\n", serde_json::to_string(&line)?))
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

    #[test]
    fn doccano_offsets_are_utf16_unless_only_code_points_fit() {
        let raw = "🙂 12 dead";
        let region = |start, end| Region {
            key: String::new(),
            start,
            end,
            text: None,
            label: "Count",
        };
        assert_eq!(doccano_units(raw, &[region(3, 5)])[0], Units::Utf16);
        assert_eq!(
            doccano_units(raw, &[region(1, 2)])[0],
            Units::CodePoints,
            "unit 1 is inside the emoji"
        );
    }

    #[test]
    fn doccano_grapheme_offsets_are_told_by_the_region_text() {
        // A family (five code points, eight UTF-16 units, one grapheme), a flag (two code
        // points, four units, one grapheme), and é written as e + U+0301.
        let raw = "👨\u{200d}👩\u{200d}👧 🇰🇿 cafe\u{301}: 40 hurt";
        let o = Offsets::new(raw);
        assert_eq!(o.char_of(Units::Graphemes, 1), Some(5), "after the family");
        assert_eq!(o.char_of(Units::Graphemes, 3), Some(8), "after the flag");
        let region = |start, end, text| Region {
            key: String::new(),
            start,
            end,
            text: Some(text),
            label: "Count",
        };
        // "40 hurt" is at graphemes 10..17, code points 16..23, UTF-16 units 21..28.
        for (start, units) in [
            (10, Units::Graphemes),
            (16, Units::CodePoints),
            (21, Units::Utf16),
        ] {
            assert_eq!(
                doccano_units(raw, &[region(start, start + 7, "40 hurt")])[0],
                units
            );
        }
        // "café" is four graphemes, five code points or units: graphemes 4..8.
        assert_eq!(
            doccano_units(raw, &[region(4, 8, "cafe\u{301}")])[0],
            Units::Graphemes
        );
        // Where every reading matches, UTF-16 comes first.
        assert_eq!(
            doccano_units("plain text", &[region(0, 5, "plain")]),
            [Units::Utf16, Units::CodePoints, Units::Graphemes]
        );
    }

    #[test]
    fn own_label_studio_choices_are_the_values_tallymark_knows() {
        let choices = |name: &str| match own::CONTROLS.iter().find(|c| c.0 == name) {
            Some((_, own::Tag::Choices(v), _)) => v.to_vec(),
            _ => Vec::new(),
        };
        let qualifiers: Vec<&str> = crate::annotation::Qualifier::ALL
            .iter()
            .map(|q| q.key())
            .collect();
        assert_eq!(choices("tallymark_qualifier"), qualifiers);
        let statuses: Vec<&str> = crate::annotation::ClaimStatus::ALL
            .iter()
            .map(|s| s.key())
            .collect();
        assert_eq!(choices("tallymark_status"), statuses);
        for d in choices("tallymark_reported_from") {
            assert!(serde_json::from_value::<crate::scope::DateSource>(json!(d)).is_ok());
        }
    }
}
