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
//! Entity types are `Claim`, `Quote` and `Figure` (or, for an annotation imported from
//! another brat corpus, its own type). Attributes carry the values that are single words
//! (qualifier, metric, claim status, numbers, reported date and how it was found, and the
//! binary `Excluded`); free text (who, source, place, claim, part of, speaker, claimant,
//! note) goes into `AnnotatorNotes` as `key=value` pairs joined by ` | `,
//! with `|`, `\` and line breaks escaped. A span that crosses a line break is written as
//! fragments (`start end;start end`), as brat requires. What an annotation brought from
//! another tool (notes, attributes, normalisations, relations, events) is written back as
//! it was read. [`annotation_conf`] declares every type, attribute and relation used.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::scope::DateSource;

use super::imported::{ImportReport, Reason, Target, TypeMap};
use super::{ExportError, Read};
use crate::annotation::{
    Annotation, AnnotationId, Attributes, ClaimAttrs, ClaimStatus, Field, FigureAttrs, Kind, Link,
    Qualifier, QuoteAttrs, format_date, parse_date,
};
use crate::document::Document;
use crate::span::Span;

fn rfc3339(t: Option<OffsetDateTime>) -> String {
    t.and_then(|t| t.format(&Rfc3339).ok()).unwrap_or_default()
}

/// The brat type of `a`: the other tool's type it came with, else its kind's name. brat
/// types are one token: whitespace becomes `_`.
fn entity_type(a: &Annotation) -> String {
    a.label
        .as_deref()
        .unwrap_or_else(|| a.kind().label())
        .replace(char::is_whitespace, "_")
}

/// A brat name (attribute, relation, role): one token, never empty.
fn token(s: &str) -> String {
    let t = s.replace(char::is_whitespace, "_");
    if t.is_empty() { "_".to_owned() } else { t }
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
    let mut norm_n = 0;
    let mut written: BTreeSet<AnnotationId> = BTreeSet::new();
    for a in doc.annotations() {
        // A discontinuous annotation's own parts (each still split at line breaks).
        let frags: Vec<(usize, usize)> = if a.fragments.is_empty() {
            fragments(&text, a.span)
        } else {
            a.fragments
                .iter()
                .flat_map(|f| fragments(&text, *f))
                .collect()
        };
        if frags.is_empty() {
            continue;
        }
        written.insert(a.id);
        let offsets: Vec<String> = frags.iter().map(|(s, e)| format!("{s} {e}")).collect();
        let covered: Vec<String> = frags
            .iter()
            .map(|(s, e)| text[*s..*e].iter().collect())
            .collect();
        let t = format!("T{}", a.id);
        let _ = writeln!(
            ann,
            "{t}\t{} {}\t{}",
            entity_type(a),
            offsets.join(";"),
            flatten(&covered.join(" "))
        );
        // An annotation from another tool never had Tallymark's defaults (an unverified
        // status, an exact qualifier): they are not written as if it had.
        let foreign = a.label.is_some();
        let defaults = Attributes::empty(a.kind());
        let mut attr = |name: &str, value: &str, default: bool| {
            if !(value.is_empty() || foreign && default) {
                attr_n += 1;
                let _ = writeln!(ann, "A{attr_n}\t{name} {t} {}", flatten(value));
            }
        };
        let mut notes: Vec<(&str, String)> = Vec::new();
        match (&a.attributes, &defaults) {
            (Attributes::Figure(f), Attributes::Figure(d)) => {
                attr("Qualifier", f.qualifier.key(), f.qualifier == d.qualifier);
                attr("Metric", &f.metric.replace(char::is_whitespace, "_"), false);
                attr(
                    "ValueLow",
                    &f.value_low.map(|v| v.to_string()).unwrap_or_default(),
                    false,
                );
                attr(
                    "ValueHigh",
                    &f.value_high.map(|v| v.to_string()).unwrap_or_default(),
                    false,
                );
                attr(
                    "Reported",
                    &f.reported.map(format_date).unwrap_or_default(),
                    false,
                );
                attr(
                    "ReportedFrom",
                    f.reported_from.map_or("", date_source_key),
                    false,
                );
                // Binary: present when set.
                if f.excluded {
                    attr_n += 1;
                    let _ = writeln!(ann, "A{attr_n}\tExcluded {t}");
                }
                notes.push(("who", f.who.clone()));
                notes.push(("source", f.source.clone()));
                notes.push(("place", f.place.clone()));
                notes.push(("claim", f.claim.clone()));
                notes.push(("part_of", f.part_of.clone()));
            }
            (Attributes::Quote(q), _) => notes.push(("speaker", q.speaker.clone())),
            (Attributes::Claim(c), Attributes::Claim(d)) => {
                attr("Status", c.status.key(), c.status == d.status);
                notes.push(("claimant", c.claimant.clone()));
            }
            _ => {}
        }
        for f in &a.fields {
            if let Some(named) = &f.normalised {
                norm_n += 1;
                let _ = writeln!(
                    ann,
                    "N{norm_n}\t{} {t} {}\t{}",
                    token(&f.name),
                    token(&f.value),
                    flatten(named)
                );
            } else {
                attr_n += 1;
                // brat's attribute values are one token (a Label Studio choice may not be).
                let value = if f.value.is_empty() {
                    String::new()
                } else {
                    format!(" {}", token(&flatten(&f.value)))
                };
                let _ = writeln!(ann, "A{attr_n}\t{} {t}{value}", token(&f.name));
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
        for note in &a.notes {
            note_n += 1;
            let _ = writeln!(ann, "#{note_n}\tAnnotatorNotes {t}\t{}", flatten(note));
        }
    }
    write_links(doc, &written, &mut ann);
    (doc.text().as_str().to_owned(), ann)
}

/// Relations (`R`) and events (`E`) between the annotations written, after the entities.
fn write_links(doc: &Document, written: &BTreeSet<AnnotationId>, ann: &mut String) {
    let mut rel_n = 0;
    let mut event_n = 0;
    for a in doc.annotations() {
        if !written.contains(&a.id) {
            continue;
        }
        let mut events: Vec<(&str, &str, Vec<&Link>)> = Vec::new();
        for l in &a.links {
            if !written.contains(&l.to) {
                continue;
            }
            if l.event.is_empty() {
                rel_n += 1;
                let _ = writeln!(
                    ann,
                    "R{rel_n}\t{} {}:T{} {}:T{}",
                    token(&l.label),
                    token(&l.from_role),
                    a.id,
                    token(&l.role),
                    l.to
                );
            } else if let Some(e) = events
                .iter_mut()
                .find(|(name, label, _)| *name == l.event && *label == l.label)
            {
                e.2.push(l);
            } else {
                events.push((&l.event, &l.label, vec![l]));
            }
        }
        for (_, label, args) in events {
            event_n += 1;
            let mut line = format!("E{event_n}\t{}:T{}", token(label), a.id);
            for l in args.iter().filter(|l| !l.role.is_empty()) {
                let _ = write!(line, " {}:T{}", token(&l.role), l.to);
            }
            let _ = writeln!(ann, "{line}");
        }
    }
}

/// brat's `annotation.conf` for the export of `doc`: every entity type used, the event
/// types (with their roles), the relations (with their roles), and every attribute with
/// the values used, so that brat's checker accepts the `.ann`. Overlapping spans are
/// allowed (`<OVERLAP>`), as Tallymark's spans overlap and nest.
#[must_use]
pub fn annotation_conf(doc: &Document) -> String {
    let (_, ann) = to_brat(doc);
    let mut entities: BTreeSet<String> = BTreeSet::new();
    let mut triggers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut relations: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut attributes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut types_of: HashMap<String, String> = HashMap::new();
    for line in ann.lines() {
        let mut cols = line.split('\t');
        let id = cols.next().unwrap_or_default();
        let mid = cols.next().unwrap_or_default();
        match id.chars().next() {
            Some('T') => {
                let ty = mid.split(' ').next().unwrap_or_default().to_owned();
                types_of.insert(id.to_owned(), ty.clone());
                entities.insert(ty);
            }
            Some('A') => {
                let mut parts = mid.splitn(3, ' ');
                let name = parts.next().unwrap_or_default().to_owned();
                let _target = parts.next();
                let values = attributes.entry(name).or_default();
                if let Some(v) = parts.next() {
                    values.insert(v.to_owned());
                }
            }
            Some('R') => {
                let mut parts = mid.split(' ');
                let label = parts.next().unwrap_or_default().to_owned();
                let roles = relations.entry(label).or_default();
                for p in parts {
                    roles.insert(p.split(':').next().unwrap_or_default().to_owned());
                }
            }
            Some('E') => {
                let mut parts = mid.split(' ');
                let (label, trigger) = parts
                    .next()
                    .and_then(|p| p.split_once(':'))
                    .unwrap_or_default();
                if let Some(ty) = types_of.get(trigger) {
                    entities.remove(ty);
                }
                let roles = triggers.entry(label.to_owned()).or_default();
                for p in parts {
                    roles.insert(p.split(':').next().unwrap_or_default().to_owned());
                }
            }
            _ => {}
        }
    }
    let mut out = String::from(
        "# Written by Tallymark with the .ann beside it: the types, relations, events and\n\
         # attributes it uses (see docs/interop.md).\n[entities]\n",
    );
    for e in &entities {
        let _ = writeln!(out, "{e}");
    }
    out.push_str("[relations]\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n");
    for (label, roles) in &relations {
        let args: Vec<String> = roles.iter().map(|r| format!("{r}:<ANY>")).collect();
        let _ = writeln!(out, "{label}\t{}", args.join(", "));
    }
    out.push_str("[events]\n");
    for (label, roles) in &triggers {
        let args: Vec<String> = roles.iter().map(|r| format!("{r}*:<ANY>")).collect();
        if args.is_empty() {
            let _ = writeln!(out, "{label}");
        } else {
            let _ = writeln!(out, "{label}\t{}", args.join(", "));
        }
    }
    out.push_str("[attributes]\n");
    for (name, values) in &attributes {
        if values.is_empty() {
            let _ = writeln!(out, "{name}\tArg:<ANY>");
        } else {
            let v: Vec<&str> = values.iter().map(String::as_str).collect();
            let _ = writeln!(out, "{name}\tArg:<ANY>, Value:{}", v.join("|"));
        }
    }
    out
}

/// Placing a brat entity: the stated fragments checked against the text column.
struct Placer<'d> {
    doc: &'d Document,
    /// Char offsets of the article's line breaks (for CRLF counted as two).
    newlines: Vec<usize>,
    locator: crate::reanchor::Locator<'d>,
}

/// A brat entity's fragments, `(start, end)` each.
type Fragments = Vec<(usize, usize)>;

/// Where an entity went.
enum Placed {
    /// At its stated offsets (its fragments, as placed).
    Here(Span, Fragments),
    /// Elsewhere (with its fragments), and why.
    Moved(Span, Fragments, &'static str),
    /// Nowhere: kept as an orphan.
    Orphan,
    /// Outside the article, with no text to find it by.
    Outside,
}

impl<'d> Placer<'d> {
    fn new(doc: &'d Document) -> Self {
        let newlines = doc
            .text()
            .as_str()
            .chars()
            .enumerate()
            .filter_map(|(i, c)| (c == '\n').then_some(i))
            .collect();
        Self {
            doc,
            newlines,
            locator: crate::reanchor::Locator::new(doc.text()),
        }
    }

    /// The article's offset of `o`, an offset in the same text with every line break
    /// written as CRLF (two chars): `p` with `p + newlines before p == o`.
    fn offset_of_crlf(&self, o: usize) -> Option<usize> {
        let f = |p: usize| p + self.newlines.partition_point(|&n| n < p);
        let (mut lo, mut hi) = (0, self.doc.text().len_chars());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if f(mid) < o {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (f(lo) == o).then_some(lo)
    }

    /// True when `frags` fit the article and cover `column` (fragments joined by a space,
    /// as brat writes them; any whitespace matches any whitespace, as a line break is
    /// flattened in the column).
    fn covers(&self, frags: &[(usize, usize)], column: Option<&str>) -> bool {
        let len = self.doc.text().len_chars();
        if frags.iter().any(|&(s, e)| s >= e || e > len) {
            return false;
        }
        let Some(column) = column else {
            return true;
        };
        let covered: Vec<&str> = frags
            .iter()
            .map(|&(s, e)| self.doc.text().slice(Span::between(s, e)))
            .collect();
        let ws = |c: char| if c.is_whitespace() { ' ' } else { c };
        covered.join(" ").chars().map(ws).eq(column.chars().map(ws))
    }

    /// The fragments worth keeping: none when the gaps between them are only whitespace
    /// (a span split at line breaks, as brat requires: its hull is the same words).
    fn parts(&self, frags: &[(usize, usize)]) -> Vec<Span> {
        let gaps_blank = frags.windows(2).all(|w| {
            self.doc
                .text()
                .slice(Span::between(w[0].1, w[1].0))
                .chars()
                .all(char::is_whitespace)
        });
        let mut parts: Vec<Span> = frags.iter().map(|&(s, e)| Span::between(s, e)).collect();
        parts.sort_by_key(|p| (p.start, p.end));
        // Overlapping or out-of-order parts are not a discontinuous span Tallymark can
        // keep; the hull covers them all.
        let disjoint = parts.windows(2).all(|w| w[0].end <= w[1].start);
        if parts.len() < 2 || gaps_blank || !disjoint {
            Vec::new()
        } else {
            parts
        }
    }

    /// Tries, in order: the stated offsets, a byte-order mark counted as a character,
    /// CRLF counted as two, both, then the nearest occurrence of the text.
    fn place(&mut self, frags: &[(usize, usize)], column: Option<&str>) -> Placed {
        let hull = |f: &[(usize, usize)]| {
            Span::between(
                f.iter().map(|x| x.0).min().unwrap_or(0),
                f.iter().map(|x| x.1).max().unwrap_or(0),
            )
        };
        if self.covers(frags, column) {
            return Placed::Here(hull(frags), frags.to_vec());
        }
        let Some(text) = column.filter(|c| !c.trim().is_empty()) else {
            return Placed::Outside;
        };
        let shift = |f: &dyn Fn(usize) -> Option<usize>| -> Option<Vec<(usize, usize)>> {
            frags.iter().map(|&(s, e)| Some((f(s)?, f(e)?))).collect()
        };
        let tries: [(&'static str, Option<Fragments>); 3] = [
            (
                "the .ann counts a byte-order mark as a character",
                shift(&|o| o.checked_sub(1)),
            ),
            (
                "the .ann counts CRLF line endings as two characters",
                shift(&|o| self.offset_of_crlf(o)),
            ),
            (
                "the .ann counts a byte-order mark and CRLF line endings",
                shift(&|o| self.offset_of_crlf(o.checked_sub(1)?)),
            ),
        ];
        for (why, f) in tries {
            if let Some(f) = f
                && self.covers(&f, Some(text))
            {
                return Placed::Moved(hull(&f), f, why);
            }
        }
        if frags.len() == 1 {
            let probe = Annotation {
                span: hull(frags),
                exact: text.to_owned(),
                ..Annotation::bare(0, Kind::Quote)
            };
            if let Some(span) = self.locator.locate(&probe) {
                return Placed::Moved(
                    span,
                    vec![(span.start, span.end)],
                    "its text is elsewhere in the article",
                );
            }
        }
        Placed::Orphan
    }
}

/// One entity read, before ids are settled.
struct Entity {
    tid: String,
    annotation: Annotation,
    orphan: bool,
}

/// The keys of Tallymark's own `AnnotatorNotes` (`who=… | source=…`) for `kind`.
fn own_note_key(kind: Kind, key: &str) -> bool {
    matches!(key, "note" | "annotator" | "created" | "modified")
        || matches!(
            (kind, key),
            (
                Kind::Figure,
                "who" | "source" | "place" | "claim" | "part_of"
            ) | (Kind::Quote, "speaker")
                | (Kind::Claim, "claimant")
        )
}

/// Reads a brat `.ann` onto `doc` (whose text is the `.txt` it was made for), with entity
/// types mapped by `map`. Each entity's text column is checked at its offsets (then with a
/// byte-order mark or CRLF counted, then nearby); what cannot be placed is kept as an
/// orphan. Everything not imported is counted in `report` by reason.
///
/// # Errors
/// Only a figure value that is not a finite number (naming the line); every other problem
/// is counted in the report.
#[expect(
    clippy::too_many_lines,
    reason = "one pass over the line kinds of the format, each a few lines"
)]
pub fn from_brat(
    doc: &Document,
    ann: &str,
    map: &TypeMap,
    report: &mut ImportReport,
) -> Result<Read, ExportError> {
    let ann = crate::persist::strip_bom(ann);
    let mut placer = Placer::new(doc);
    let mut entities: Vec<Entity> = Vec::new();
    // Attribute, note and relation lines name their entity: a map, not a search per line
    // (50,000 entities made that quadratic).
    let mut by_tid: HashMap<String, usize> = HashMap::new();
    let mut rest: Vec<(usize, &str)> = Vec::new();
    for (n, line) in ann.lines().enumerate().map(|(n, l)| (n + 1, l)) {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        if !line.starts_with('T') {
            rest.push((n, line));
            continue;
        }
        report.items += 1;
        let mut cols = line.splitn(3, '\t');
        let tid = cols.next().unwrap_or_default();
        let malformed = |report: &mut ImportReport, what: &str| {
            report.skip(Reason::Malformed, || {
                format!(".ann line {n}: {what}: {}", crate::text::quote_input(line))
            });
        };
        let Some((type_name, offsets)) = cols.next().and_then(|m| m.split_once(' ')) else {
            malformed(report, "expected a type and offsets after a tab");
            continue;
        };
        let column = cols.next();
        let frags: Option<Vec<(usize, usize)>> = offsets
            .split(';')
            .map(|f| {
                let (s, e) = f.trim().split_once(' ')?;
                Some((s.trim().parse().ok()?, e.trim().parse().ok()?))
            })
            .collect();
        let Some(frags) = frags.filter(|f| f.iter().all(|(s, e)| s < e)) else {
            malformed(report, "offsets are not `start end[;start end]…`");
            continue;
        };
        let kind = match map.get(type_name) {
            Some(Target::Kind(k)) => k,
            Some(Target::Skip) => {
                report.skip(Reason::SkippedType, || format!("{tid} {type_name}"));
                continue;
            }
            None => {
                report.unknown_type(type_name, column.unwrap_or_default(), || {
                    format!(
                        "{tid} {type_name} “{}”",
                        crate::text::quote_input(column.unwrap_or_default())
                    )
                });
                continue;
            }
        };
        let mut a = Annotation::bare(0, kind);
        // Tallymark's own types keep no label; another tool's is kept to write back.
        if !Kind::ALL.iter().any(|k| k.label() == type_name) {
            a.label = Some(type_name.to_owned());
        }
        let orphan = match placer.place(&frags, column) {
            Placed::Here(span, parts) => {
                a.span = span;
                a.fragments = placer.parts(&parts);
                false
            }
            Placed::Moved(span, parts, why) => {
                a.fragments = placer.parts(&parts);
                report.moved(|| {
                    format!(
                        "{tid} “{}” at {offsets} moved to {span}: {why}",
                        crate::text::quote_input(column.unwrap_or_default())
                    )
                });
                a.span = span;
                false
            }
            Placed::Orphan => {
                let column = column.unwrap_or_default();
                report.orphan(|| {
                    format!(
                        "{tid} “{}” at {offsets}: not in the article",
                        crate::text::quote_input(column)
                    )
                });
                let (s, e) = (frags[0].0, frags[frags.len() - 1].1);
                a.span = Span::between(s, e.max(s + 1));
                column.clone_into(&mut a.exact);
                true
            }
            Placed::Outside => {
                report.skip(Reason::OutsideText, || {
                    format!(
                        "{tid} at {offsets}: past the article's end ({} chars) and no text to find it by",
                        doc.text().len_chars()
                    )
                });
                continue;
            }
        };
        if !orphan {
            doc.text().slice(a.span).clone_into(&mut a.exact);
            (a.prefix, a.suffix) = doc.text().context(a.span);
        }
        by_tid.insert(tid.to_owned(), entities.len());
        entities.push(Entity {
            tid: tid.to_owned(),
            annotation: a,
            orphan,
        });
    }
    settle_ids(&mut entities);
    for (n, line) in rest {
        read_other(n, line, &by_tid, &mut entities, report)?;
    }
    let mut read = Read::default();
    for e in entities {
        if e.orphan {
            read.orphans.push(e.annotation);
        } else {
            report.imported(e.annotation.kind());
            read.placed.push(e.annotation);
        }
    }
    Ok(read)
}

/// Ids from the `T` numbers where they are numbers and unique; the others get the next
/// free ones, in file order.
fn settle_ids(entities: &mut [Entity]) {
    let mut used = std::collections::BTreeSet::new();
    let mut pending = Vec::new();
    for (i, e) in entities.iter_mut().enumerate() {
        match e.tid[1..].parse::<AnnotationId>() {
            Ok(id) if id > 0 && used.insert(id) => e.annotation.id = id,
            _ => pending.push(i),
        }
    }
    let first = used.last().copied().unwrap_or(0) + 1;
    for (id, i) in (first..).zip(pending) {
        entities[i].annotation.id = id;
    }
}

/// One line that is not an entity: attribute, normalisation, note, relation, event,
/// equivalence.
#[expect(clippy::too_many_lines, reason = "one arm per line kind of the format")]
fn read_other(
    n: usize,
    line: &str,
    by_tid: &HashMap<String, usize>,
    entities: &mut [Entity],
    report: &mut ImportReport,
) -> Result<(), ExportError> {
    let bad = |what: &str| ExportError::Invalid(format!(".ann line {n}: {what}"));
    let mut cols = line.splitn(3, '\t');
    let id = cols.next().unwrap_or_default();
    let mid = cols.next().unwrap_or_default();
    let third = cols.next();
    let short = || crate::text::quote_input(line);
    match id.chars().next() {
        Some('A' | 'M') => {
            let mut parts = mid.split(' ');
            let name = parts.next().unwrap_or_default();
            let target = parts.next().unwrap_or_default();
            let value = parts.collect::<Vec<_>>().join(" ");
            let Some(&i) = by_tid.get(target) else {
                report.skip(Reason::Attribute, || {
                    format!(".ann line {n}: {} (on {target}, not imported)", short())
                });
                return Ok(());
            };
            let a = &mut entities[i].annotation;
            if !set_attribute(a, name, &value).map_err(|what| bad(&what))? {
                a.fields.push(Field {
                    name: name.to_owned(),
                    value,
                    normalised: None,
                });
            }
        }
        Some('N') => {
            let mut parts = mid.splitn(3, ' ');
            let name = parts.next().unwrap_or_default();
            let target = parts.next().unwrap_or_default();
            let reference = parts.next().unwrap_or_default();
            let Some(&i) = by_tid.get(target) else {
                report.skip(Reason::Normalisation, || {
                    format!(".ann line {n}: {} (on {target}, not imported)", short())
                });
                return Ok(());
            };
            entities[i].annotation.fields.push(Field {
                name: name.to_owned(),
                value: reference.to_owned(),
                normalised: Some(third.unwrap_or_default().to_owned()),
            });
        }
        Some('#') => {
            let target = mid.split(' ').nth(1).unwrap_or_default();
            let Some(&i) = by_tid.get(target) else {
                report.skip(Reason::Note, || {
                    format!(".ann line {n}: {} (on {target}, not imported)", short())
                });
                return Ok(());
            };
            read_note(&mut entities[i].annotation, third.unwrap_or_default());
        }
        Some('R') => {
            let mut parts = mid.split(' ').filter(|p| !p.is_empty());
            let label = parts.next().unwrap_or_default();
            let args: Vec<(&str, &str)> = parts.filter_map(|p| p.split_once(':')).collect();
            let ends: Option<Vec<(&str, usize)>> = args
                .iter()
                .map(|(role, t)| by_tid.get(*t).map(|&i| (*role, i)))
                .collect();
            match ends.as_deref() {
                Some([(from_role, from), (role, to)]) => {
                    let to_id = entities[*to].annotation.id;
                    entities[*from].annotation.links.push(Link {
                        label: label.to_owned(),
                        from_role: (*from_role).to_owned(),
                        role: (*role).to_owned(),
                        to: to_id,
                        event: String::new(),
                    });
                    report.links += 1;
                }
                _ => report.skip(Reason::Relation, || {
                    format!(".ann line {n}: {} (an end was not imported)", short())
                }),
            }
        }
        Some('E') => {
            let mut parts = mid.split(' ').filter(|p| !p.is_empty());
            let trigger = parts.next().and_then(|p| p.split_once(':'));
            let args: Vec<(&str, &str)> = parts.filter_map(|p| p.split_once(':')).collect();
            let Some((label, Some(&t))) = trigger.map(|(l, t)| (l, by_tid.get(t))) else {
                report.skip(Reason::Event, || {
                    format!(".ann line {n}: {} (its trigger was not imported)", short())
                });
                return Ok(());
            };
            let ends: Option<Vec<(&str, usize)>> = args
                .iter()
                .map(|(role, a)| by_tid.get(*a).map(|&i| (*role, i)))
                .collect();
            let Some(ends) = ends else {
                report.skip(Reason::Event, || {
                    format!(".ann line {n}: {} (an argument was not imported)", short())
                });
                return Ok(());
            };
            let self_id = entities[t].annotation.id;
            let links: Vec<Link> = if ends.is_empty() {
                vec![Link {
                    label: label.to_owned(),
                    from_role: String::new(),
                    role: String::new(),
                    to: self_id,
                    event: id.to_owned(),
                }]
            } else {
                ends.iter()
                    .map(|(role, i)| Link {
                        label: label.to_owned(),
                        from_role: String::new(),
                        role: (*role).to_owned(),
                        to: entities[*i].annotation.id,
                        event: id.to_owned(),
                    })
                    .collect()
            };
            report.links += links.len();
            entities[t].annotation.links.extend(links);
        }
        Some('*') => report.skip(Reason::Unsupported, || {
            format!(".ann line {n}: {} (equivalences are not kept)", short())
        }),
        _ => report.skip(Reason::Malformed, || {
            format!(".ann line {n}: {} (not a brat annotation line)", short())
        }),
    }
    Ok(())
}

/// A `#` note: Tallymark's own (`key=value` pairs of its fields joined by ` | `, every key
/// one of the kind's) fills those fields; any other note is kept verbatim.
fn read_note(a: &mut Annotation, text: &str) {
    let kind = a.kind();
    let pairs: Option<Vec<(&str, &str)>> = text
        .split(" | ")
        .map(|p| p.split_once('=').filter(|(k, _)| own_note_key(kind, k)))
        .collect();
    match pairs {
        Some(pairs) if !text.is_empty() => {
            for (k, v) in pairs {
                set_note(a, k, &unescape(v));
            }
        }
        _ => a.notes.push(text.to_owned()),
    }
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

/// Sets one of Tallymark's own attributes; `false` when `name` is not one of the kind's or
/// `value` is not one of its values (the caller keeps it as a foreign field).
fn set_attribute(a: &mut Annotation, name: &str, value: &str) -> Result<bool, String> {
    match (&mut a.attributes, name) {
        (Attributes::Figure(f), "Qualifier") => {
            match Qualifier::ALL.iter().copied().find(|q| q.key() == value) {
                Some(q) => f.qualifier = q,
                None => return Ok(false),
            }
        }
        (Attributes::Figure(f), "Metric") => f.metric = value.replace('_', " "),
        (Attributes::Figure(f), "ValueLow") => match finite_value(name, value)? {
            Some(v) => f.value_low = Some(v),
            None => return Ok(false),
        },
        (Attributes::Figure(f), "ValueHigh") => match finite_value(name, value)? {
            Some(v) => f.value_high = Some(v),
            None => return Ok(false),
        },
        (Attributes::Figure(f), "Reported") => match parse_date(value) {
            Ok(d) => f.reported = Some(d),
            Err(_) => return Ok(false),
        },
        (Attributes::Figure(f), "ReportedFrom") => {
            match [DateSource::Article, DateSource::Sentence, DateSource::Typed]
                .into_iter()
                .find(|d| date_source_key(*d) == value)
            {
                Some(d) => f.reported_from = Some(d),
                None => return Ok(false),
            }
        }
        (Attributes::Figure(f), "Excluded") if value.is_empty() => f.excluded = true,
        (Attributes::Claim(c), "Status") => {
            match ClaimStatus::ALL.iter().copied().find(|s| s.key() == value) {
                Some(s) => c.status = s,
                None => return Ok(false),
            }
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// How a figure's reported date was found, as one brat token (the RON key).
fn date_source_key(d: DateSource) -> &'static str {
    match d {
        DateSource::Article => "article",
        DateSource::Sentence => "sentence",
        DateSource::Typed => "typed",
    }
}

fn set_note(a: &mut Annotation, key: &str, value: &str) {
    match (&mut a.attributes, key) {
        (Attributes::Figure(FigureAttrs { who, .. }), "who") => value.clone_into(who),
        (Attributes::Figure(FigureAttrs { source, .. }), "source") => value.clone_into(source),
        (Attributes::Figure(FigureAttrs { place, .. }), "place") => value.clone_into(place),
        (Attributes::Figure(FigureAttrs { claim, .. }), "claim") => value.clone_into(claim),
        (Attributes::Figure(FigureAttrs { part_of, .. }), "part_of") => value.clone_into(part_of),
        (Attributes::Quote(QuoteAttrs { speaker }), "speaker") => value.clone_into(speaker),
        (Attributes::Claim(ClaimAttrs { claimant, .. }), "claimant") => {
            value.clone_into(claimant);
        }
        (_, "annotator") => value.clone_into(&mut a.annotator),
        (_, "created") => {
            if let Ok(t) = OffsetDateTime::parse(value, &Rfc3339) {
                a.created = Some(t);
            }
        }
        (_, "modified") => {
            if let Ok(t) = OffsetDateTime::parse(value, &Rfc3339) {
                a.modified = Some(t);
            }
        }
        _ => value.clone_into(&mut a.note),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_field_goes_to_brat_and_back() {
        let mut doc = Document::from_article("Officials said 12 | people died.", None);
        let mut a = doc.new_annotation(
            Kind::Figure,
            crate::span::Span::between(15, 17),
            "ana",
            OffsetDateTime::UNIX_EPOCH,
        );
        a.attributes = Attributes::Figure(FigureAttrs {
            value_low: Some(12.0),
            metric: "killed".into(),
            who: "people".into(),
            source: "officials".into(),
            reported: Some(time::macros::date!(2025 - 03 - 14)),
            reported_from: Some(DateSource::Sentence),
            place: "Cadder Bridge | lower town".into(),
            claim: "the official toll".into(),
            part_of: "the flood toll".into(),
            excluded: true,
            ..FigureAttrs::default()
        });
        crate::edit::Edit::Insert(a).apply(&mut doc).unwrap();
        let (_, ann) = to_brat(&doc);
        let back = super::super::import_with(
            &doc,
            &ann,
            super::super::ImportFormat::Brat,
            &TypeMap::default(),
        )
        .unwrap();
        assert_eq!(back.doc.annotations(), doc.annotations(), "{ann}");
        assert!(annotation_conf(&doc).contains("Excluded\tArg:<ANY>\n"));
    }

    #[test]
    fn crlf_offsets_map_back_and_blank_gaps_make_one_piece() {
        let doc = Document::from_article("ab\ncd\n\nef", None);
        let placer = Placer::new(&doc);
        // With CRLF: a0 b1 \r2 \n3 c4 d5 \r6 \n7 \r8 \n9 e10.
        assert_eq!(placer.offset_of_crlf(4), Some(3));
        assert_eq!(placer.offset_of_crlf(10), Some(7));
        assert_eq!(placer.offset_of_crlf(3), None, "between CR and LF");
        assert!(
            placer.parts(&[(0, 2), (3, 5)]).is_empty(),
            "split at a line"
        );
        assert_eq!(
            placer.parts(&[(3, 4), (0, 1)]),
            [Span::between(0, 1), Span::between(3, 4)],
            "a real gap, put in order"
        );
        assert!(placer.parts(&[(0, 3), (2, 5)]).is_empty(), "overlapping");
    }
}
