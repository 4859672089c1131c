//! brat standoff (<https://brat.nlplab.org/standoff.html>): the article as `NAME.txt` and the
//! annotations as `NAME.ann`, offsets in characters of the `.txt`.
//!
//! ```text
//! T3<TAB>Figure 1453 1469<TAB>more than 10,000
//! A1<TAB>Qualifier T3 more_than
//! A2<TAB>Metric T3 arrested
//! A3<TAB>ValueLow T3 10000
//! #1<TAB>AnnotatorNotes T3<TAB>who=people | source=previous official estimates
//! ```
//!
//! Entity types are `Claim`, `Quote` and `Figure`. Attributes carry the values that are
//! single words (qualifier, metric, claim status, numbers, reported date); free text (who,
//! source, speaker, claimant, note) goes into `AnnotatorNotes` as `key=value` pairs joined by
//! ` | `, with `|`, `\` and line breaks escaped. A span that crosses a line break is written
//! as fragments (`start end;start end`), as brat requires.

use std::fmt::Write as _;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::ExportError;
use crate::annotation::{
    Annotation, Attributes, ClaimAttrs, ClaimStatus, FigureAttrs, Kind, Qualifier, QuoteAttrs,
    format_date, parse_date,
};
use crate::document::Document;
use crate::span::Span;

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn entity(kind: Kind) -> &'static str {
    kind.label()
}

fn escape(s: &str) -> String {
    flatten(
        &s.replace('\\', "\\\\")
            .replace('|', "\\p")
            .replace('\n', "\\n")
            .replace('\t', "\\t")
            .replace('\r', ""),
    )
}

/// `s` on one line of one field: every control character (a tab would split the field,
/// a line break the line) and the Unicode line separators become spaces. The number of
/// chars stays the same, so covered text still lines up with its offsets.
fn flatten(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('p') => out.push('|'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The fragments of `span` that do not cross a line break.
fn fragments(text: &[char], span: Span) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = span.start;
    for (i, c) in text.iter().enumerate().take(span.end).skip(span.start) {
        if *c == '\n' {
            if i > start {
                out.push((start, i));
            }
            start = i + 1;
        }
    }
    if span.end > start {
        out.push((start, span.end));
    }
    out
}

/// The `.txt` (the article, exactly) and `.ann` of `doc`.
#[must_use]
pub fn to_brat(doc: &Document) -> (String, String) {
    let text: Vec<char> = doc.text().as_str().chars().collect();
    let mut ann = String::new();
    let mut attr_n = 0;
    let mut note_n = 0;
    for a in doc.annotations() {
        let frags = fragments(&text, a.span);
        if frags.is_empty() {
            continue;
        }
        let offsets: Vec<String> = frags.iter().map(|(s, e)| format!("{s} {e}")).collect();
        let covered: Vec<String> = frags
            .iter()
            .map(|(s, e)| text[*s..*e].iter().collect())
            .collect();
        let t = format!("T{}", a.id);
        let _ = writeln!(
            ann,
            "{t}\t{} {}\t{}",
            entity(a.kind()),
            offsets.join(";"),
            flatten(&covered.join(" "))
        );
        let mut attr = |name: &str, value: &str| {
            if !value.is_empty() {
                attr_n += 1;
                let _ = writeln!(ann, "A{attr_n}\t{name} {t} {}", flatten(value));
            }
        };
        let mut notes: Vec<(&str, String)> = Vec::new();
        match &a.attributes {
            Attributes::Figure(f) => {
                attr("Qualifier", f.qualifier.key());
                attr("Metric", &f.metric.replace(char::is_whitespace, "_"));
                attr(
                    "ValueLow",
                    &f.value_low.map(|v| v.to_string()).unwrap_or_default(),
                );
                attr(
                    "ValueHigh",
                    &f.value_high.map(|v| v.to_string()).unwrap_or_default(),
                );
                attr("Reported", &f.reported.map(format_date).unwrap_or_default());
                notes.push(("who", f.who.clone()));
                notes.push(("source", f.source.clone()));
            }
            Attributes::Quote(q) => notes.push(("speaker", q.speaker.clone())),
            Attributes::Claim(c) => {
                attr("Status", c.status.key());
                notes.push(("claimant", c.claimant.clone()));
            }
        }
        notes.push(("note", a.note.clone()));
        notes.push(("annotator", a.annotator.clone()));
        notes.push(("created", rfc3339(a.created)));
        notes.push(("modified", rfc3339(a.modified)));
        let pairs: Vec<String> = notes
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", escape(v)))
            .collect();
        if !pairs.is_empty() {
            note_n += 1;
            let _ = writeln!(ann, "#{note_n}\tAnnotatorNotes {t}\t{}", pairs.join(" | "));
        }
    }
    (doc.text().as_str().to_owned(), ann)
}

/// Reads a brat `.ann` onto `doc` (whose text must be the `.txt` it was made for). Entity
/// types other than Claim, Quote and Figure are skipped; so are relations and events.
///
/// # Errors
/// A line that is not valid standoff, or spans that do not fit the article.
pub fn from_brat(doc: &Document, ann: &str) -> Result<Vec<Annotation>, ExportError> {
    let text: Vec<char> = doc.text().as_str().chars().collect();
    let mut out: Vec<Annotation> = Vec::new();
    // Attribute and note lines name their entity: a map, not a search per line (50,000
    // entities made that quadratic).
    let mut by_tid: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let now = OffsetDateTime::UNIX_EPOCH;
    let bad = |n: usize, what: &str| ExportError::Invalid(format!(".ann line {n}: {what}"));
    for (n, line) in ann.lines().enumerate().map(|(n, l)| (n + 1, l)) {
        if line.trim().is_empty() {
            continue;
        }
        let mut cols = line.splitn(3, '\t');
        let id = cols.next().unwrap_or_default();
        let mid = cols
            .next()
            .ok_or_else(|| bad(n, "expected tab-separated fields"))?;
        if let Some(number) = id.strip_prefix('T') {
            let (kind_name, offsets) = mid
                .split_once(' ')
                .ok_or_else(|| bad(n, "expected a type and offsets"))?;
            let kind = match kind_name {
                "Figure" => Kind::Figure,
                "Quote" => Kind::Quote,
                "Claim" => Kind::Claim,
                _ => continue,
            };
            let mut lo = usize::MAX;
            let mut hi = 0;
            for frag in offsets.split(';') {
                let (s, e) = frag
                    .trim()
                    .split_once(' ')
                    .ok_or_else(|| bad(n, "expected start and end"))?;
                let s: usize = s
                    .parse()
                    .map_err(|e| bad(n, &format!("start is not a number ({e})")))?;
                let e: usize = e
                    .parse()
                    .map_err(|e| bad(n, &format!("end is not a number ({e})")))?;
                lo = lo.min(s);
                hi = hi.max(e);
            }
            if lo >= hi || hi > text.len() {
                return Err(bad(n, &format!("span {lo}..{hi} does not fit the article")));
            }
            let span = Span::between(lo, hi);
            // Built here, not by `new_annotation`, which reads the sentence of a figure and
            // looks for a free id among the article's annotations: both per line, for
            // values the lines after replace anyway.
            let (prefix, suffix) = doc.text().context(span);
            let a = Annotation {
                id: number.parse().unwrap_or(out.len() as u64 + 1),
                span,
                exact: doc.text().slice(span).to_owned(),
                prefix,
                suffix,
                attributes: Attributes::empty(kind),
                note: String::new(),
                annotator: String::new(),
                created: now,
                modified: now,
            };
            by_tid.insert(id.to_owned(), out.len());
            out.push(a);
        } else if id.starts_with('A') || id.starts_with('M') {
            let mut parts = mid.split(' ');
            let name = parts.next().unwrap_or_default();
            let target = parts.next().unwrap_or_default();
            let value = parts.next().unwrap_or_default();
            let Some(&i) = by_tid.get(target) else {
                continue;
            };
            set_attribute(&mut out[i], name, value).map_err(|what| bad(n, &what))?;
        } else if id.starts_with('#') {
            let target = mid.split(' ').nth(1).unwrap_or_default();
            let notes = cols.next().unwrap_or_default();
            let Some(&i) = by_tid.get(target) else {
                continue;
            };
            for pair in notes.split(" | ") {
                if let Some((k, v)) = pair.split_once('=') {
                    set_note(&mut out[i], k, &unescape(v));
                } else if !pair.is_empty() {
                    set_note(&mut out[i], "note", &unescape(pair));
                }
            }
        }
    }
    super::check_imported(doc, &out)?;
    Ok(out)
}

/// A figure value from a file: a finite number, or nothing when the field is not a number
/// (as before); NaN and infinities are refused, since they would poison every comparison.
fn finite_value(name: &str, value: &str) -> Result<Option<f64>, String> {
    match value.parse::<f64>() {
        Ok(v) if !v.is_finite() => Err(format!(
            "{name} {} is not a finite number; a figure's value must be one",
            crate::text::quote_input(value)
        )),
        Ok(v) => Ok(Some(v)),
        Err(_) => Ok(None),
    }
}

fn set_attribute(a: &mut Annotation, name: &str, value: &str) -> Result<(), String> {
    match (&mut a.attributes, name) {
        (Attributes::Figure(f), "Qualifier") => {
            f.qualifier = Qualifier::ALL
                .iter()
                .copied()
                .find(|q| q.key() == value)
                .unwrap_or_default();
        }
        (Attributes::Figure(f), "Metric") => f.metric = value.replace('_', " "),
        (Attributes::Figure(f), "ValueLow") => f.value_low = finite_value(name, value)?,
        (Attributes::Figure(f), "ValueHigh") => f.value_high = finite_value(name, value)?,
        (Attributes::Figure(f), "Reported") => f.reported = parse_date(value).ok(),
        (Attributes::Claim(c), "Status") => {
            c.status = ClaimStatus::ALL
                .iter()
                .copied()
                .find(|s| s.key() == value)
                .unwrap_or_default();
        }
        _ => {}
    }
    Ok(())
}

fn set_note(a: &mut Annotation, key: &str, value: &str) {
    match (&mut a.attributes, key) {
        (Attributes::Figure(FigureAttrs { who, .. }), "who") => value.clone_into(who),
        (Attributes::Figure(FigureAttrs { source, .. }), "source") => value.clone_into(source),
        (Attributes::Quote(QuoteAttrs { speaker }), "speaker") => value.clone_into(speaker),
        (Attributes::Claim(ClaimAttrs { claimant, .. }), "claimant") => {
            value.clone_into(claimant);
        }
        (_, "annotator") => value.clone_into(&mut a.annotator),
        (_, "created") => {
            if let Ok(t) = OffsetDateTime::parse(value, &Rfc3339) {
                a.created = t;
            }
        }
        (_, "modified") => {
            if let Ok(t) = OffsetDateTime::parse(value, &Rfc3339) {
                a.modified = t;
            }
        }
        _ => value.clone_into(&mut a.note),
    }
}
