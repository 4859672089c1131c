//! W3C Web Annotation Data Model (<https://www.w3.org/TR/annotation-model/>), JSON-LD.
//!
//! The export is an `AnnotationCollection` whose first page holds one `Annotation` per span:
//!
//! ```text
//! { "@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:tallymark:<sha256>:12",
//!   "type": "Annotation", "motivation": "classifying",
//!   "body": [ {"type": "TextualBody", "purpose": "tagging", "value": "figure"},
//!             {"type": "TextualBody", "purpose": "describing", "value": "more than 10,000 · …"},
//!             {"type": "TextualBody", "purpose": "classifying", "format": "application/json",
//!              "value": "{\"Figure\":{\"value_low\":10000.0,…}}"},
//!             {"type": "TextualBody", "purpose": "commenting", "value": "the note"} ],
//!   "target": { "source": "urn:tallymark:sha256:<hex>",
//!               "selector": [ {"type": "TextQuoteSelector", "exact": …, "prefix": …, "suffix": …},
//!                             {"type": "TextPositionSelector", "start": 1453, "end": 1469} ] } }
//! ```
//!
//! Positions count Unicode code points, as the model specifies. Figures are `classifying`,
//! quotes `highlighting`, claims `assessing` (their status is an assessment). The structured
//! attributes travel as a JSON `TextualBody`, which the importer reads back.

use serde::Serialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use std::collections::HashMap;

use super::ExportError;
use super::imported::{ImportReport, Reason, Target, TypeMap};
use crate::annotation::{Annotation, Attributes, Kind};
use crate::document::Document;
use crate::span::Span;
use crate::text::sha256_hex;

/// The JSON-LD context of the Web Annotation vocabulary.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

fn motivation(kind: Kind) -> &'static str {
    match kind {
        Kind::Figure => "classifying",
        Kind::Quote => "highlighting",
        Kind::Claim => "assessing",
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// The identity of an annotation file in annotation IRIs: the SHA-256 of the article's
/// hash, `name` (the annotation file's name, when known) and the file's annotators. Two
/// annotators' files of one article get different IRIs; exporting the same file again gives
/// the same ones.
#[must_use]
pub fn file_identity(doc: &Document, name: &str) -> String {
    let annotators: std::collections::BTreeSet<&str> = doc
        .annotations()
        .iter()
        .map(|a| a.annotator.as_str())
        .collect();
    let mut key = format!("{}\n{name}", sha256_hex(doc.text().as_str()));
    for a in annotators {
        key.push('\n');
        key.push_str(a);
    }
    sha256_hex(&key)
}

/// The IRI the annotations target: the article's URL when it is a plain web address, else
/// its hash. The URL comes from the annotation file, which anyone can edit: a
/// `javascript:` or `data:` address, or one with spaces, quotes or control characters, is
/// never passed on to the viewers that open the export.
#[must_use]
pub fn target_source(doc: &Document) -> String {
    doc.meta
        .url
        .as_deref()
        .filter(|u| is_web_address(u))
        .map_or_else(
            || format!("urn:tallymark:sha256:{}", sha256_hex(doc.text().as_str())),
            str::to_owned,
        )
}

/// True for an absolute `http` or `https` URL with a host and no character that an IRI
/// may not hold raw (whitespace, control characters, quotes, angle brackets, backslash,
/// caret, backtick, braces and the vertical bar).
#[must_use]
pub fn is_web_address(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    let host_present = rest
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|h| !h.is_empty());
    host_present
        && url.len() <= 4096
        && !url.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
        })
}

/// One annotation as a W3C `Annotation`.
///
/// # Errors
/// Only if the attributes cannot be serialised.
pub fn annotation_json(doc: &Document, a: &Annotation) -> Result<Value, ExportError> {
    annotation_json_in(&file_identity(doc, ""), &target_source(doc), doc, a)
}

/// The target of a span: the source with a quote and a position selector.
fn text_target(source: &str, doc: &Document, span: Span) -> Value {
    let (prefix, suffix) = doc.text().context(span);
    json!({
        "source": source,
        "selector": [
            {"type": "TextQuoteSelector", "exact": doc.text().slice(span), "prefix": prefix, "suffix": suffix},
            {"type": "TextPositionSelector", "start": span.start, "end": span.end},
        ],
    })
}

/// [`annotation_json`] with the article's hash and target IRI worked out once by the caller:
/// hashing a 5 MB article for each of 50,000 annotations took minutes.
fn annotation_json_in(
    hash: &str,
    source: &str,
    doc: &Document,
    a: &Annotation,
) -> Result<Value, ExportError> {
    let mut body = vec![
        json!({"type": "TextualBody", "purpose": "tagging", "value": a.kind().key()}),
        json!({"type": "TextualBody", "purpose": "describing", "value": a.summary()}),
        json!({
            "type": "TextualBody",
            "purpose": "classifying",
            "format": "application/json",
            "value": serde_json::to_string(&a.attributes)?,
        }),
    ];
    if !a.note.is_empty() {
        body.push(json!({"type": "TextualBody", "purpose": "commenting", "value": a.note}));
    }
    // What came from another tool and the model can say: its type (a plain-text
    // classification), further comments, and tags.
    if let Some(label) = &a.label {
        body.push(json!({
            "type": "TextualBody", "purpose": "classifying", "format": "text/plain", "value": label,
        }));
    }
    // Marked as plain text, which the note's body is not, so that an import tells them
    // apart.
    for n in &a.notes {
        body.push(json!({
            "type": "TextualBody", "purpose": "commenting", "format": "text/plain", "value": n,
        }));
    }
    for f in a
        .fields
        .iter()
        .filter(|f| f.name == "tag" && f.normalised.is_none())
    {
        body.push(json!({"type": "TextualBody", "purpose": "tagging", "value": f.value}));
    }
    let mut out = json!({
        "@context": CONTEXT,
        "id": format!("urn:tallymark:{hash}:{}", a.id),
        "type": "Annotation",
        "motivation": motivation(a.kind()),
        "body": body,
        "target": {
            "source": source,
            "selector": [
                {"type": "TextQuoteSelector", "exact": a.exact, "prefix": a.prefix, "suffix": a.suffix},
                {"type": "TextPositionSelector", "start": a.span.start, "end": a.span.end},
            ],
        },
    });
    // A discontinuous span: one target per fragment (the model's way to say that an
    // annotation is about several passages), each with its own quote and position.
    if !a.fragments.is_empty() {
        out["target"] = Value::Array(
            a.fragments
                .iter()
                .map(|f| text_target(source, doc, *f))
                .collect(),
        );
    }
    if !a.annotator.is_empty() {
        out["creator"] = json!({"type": "Person", "name": a.annotator});
    }
    // Absent stays absent: an imported annotation without times gets none invented.
    if let Some(t) = a.created {
        out["created"] = json!(rfc3339(t));
    }
    if let Some(t) = a.modified {
        out["modified"] = json!(rfc3339(t));
    }
    Ok(out)
}

/// The whole document as an `AnnotationCollection` with one page, pretty-printed.
///
/// Written as it is built: each annotation becomes a JSON value, is printed and dropped,
/// rather than one tree of 50,000 annotations being built and then printed (keys come out
/// in the same sorted order as before, so the bytes are the same).
///
/// # Errors
/// Only if serialisation fails.
pub fn to_json(doc: &Document) -> Result<String, ExportError> {
    to_json_named(doc, "")
}

/// [`to_json`] for the annotation file called `name` (its file name): the file's name
/// goes into the annotation IRIs ([`file_identity`]), so two files of one article never
/// mint the same IRIs.
///
/// # Errors
/// Only if serialisation fails.
pub fn to_json_named(doc: &Document, name: &str) -> Result<String, ExportError> {
    let hash = file_identity(doc, name);
    let source = target_source(doc);
    let collection = Collection {
        context: CONTEXT,
        first: Page {
            id: format!("urn:tallymark:{hash}:page1"),
            items: Items {
                doc,
                hash: &hash,
                source: &source,
            },
            start_index: 0,
            kind: "AnnotationPage",
        },
        id: format!("urn:tallymark:{hash}"),
        label: &doc.meta.title,
        total: doc.annotations().len(),
        kind: "AnnotationCollection",
    };
    Ok(format!("{}\n", serde_json::to_string_pretty(&collection)?))
}

/// The collection, its fields in the order a `serde_json` map sorts them.
#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'a str,
    first: Page<'a>,
    id: String,
    label: &'a str,
    total: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The one page, its fields in sorted order too.
#[derive(Serialize)]
struct Page<'a> {
    id: String,
    items: Items<'a>,
    #[serde(rename = "startIndex")]
    start_index: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// Every annotation of `doc`, made into JSON one at a time while printing.
struct Items<'a> {
    doc: &'a Document,
    hash: &'a str,
    source: &'a str,
}

impl Serialize for Items<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq as _};
        let mut seq = serializer.serialize_seq(Some(self.doc.annotations().len()))?;
        for a in self.doc.annotations() {
            let item = annotation_json_in(self.hash, self.source, self.doc, a)
                .map_err(S::Error::custom)?;
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
}

/// Reads Web Annotations onto `doc`'s article: Tallymark's own export and the layouts the
/// model allows. The file may be a single annotation, an array (of annotations, pages or
/// collections), an `AnnotationPage`, or an `AnnotationCollection` whose pages are
/// embedded or linked (`first`/`next` by id): pages found in the file are read, the others
/// are counted as [`Reason::LinkedPage`]. A `target` is an object, an array or a bare IRI;
/// selectors (`TextQuoteSelector`, `TextPositionSelector`) may stand alone or under
/// `refinedBy`. An annotation that selects no text is counted and skipped.
///
/// # Errors
/// JSON that does not parse, or a figure value that is not a finite number.
pub fn from_json(
    doc: &Document,
    json_text: &str,
    map: &TypeMap,
    report: &mut ImportReport,
) -> Result<super::Read, ExportError> {
    let v: Value = serde_json::from_str(crate::persist::strip_bom(json_text))?;
    let items = annotations_in(&v, report);
    let mut locator = crate::reanchor::Locator::new(doc.text());
    let mut read = super::Read::default();
    for (n, item) in items.iter().enumerate() {
        report.items += 1;
        read_one(doc, item, n + 1, map, report, &mut locator, &mut read)?;
    }
    Ok(read)
}

/// Every annotation in the file, in order: the pages of each collection followed through
/// `first` and `next` where they are in the file.
fn annotations_in<'v>(v: &'v Value, report: &mut ImportReport) -> Vec<&'v Value> {
    let tops: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    // Pages anywhere at the top of the file, by id, for collections that link to them.
    let mut pages: HashMap<&str, &Value> = HashMap::new();
    for t in &tops {
        if is_type(t, "AnnotationPage")
            && let Some(id) = t["id"].as_str()
        {
            pages.insert(id, t);
        }
    }
    let mut out = Vec::new();
    let mut read_pages: std::collections::HashSet<*const Value> = std::collections::HashSet::new();
    for t in &tops {
        if is_type(t, "AnnotationCollection") {
            let mut next = Some(&t["first"]);
            let mut hops = 0;
            while let Some(page) = next.filter(|p| !p.is_null()) {
                hops += 1;
                if hops > 10_000 {
                    break;
                }
                let resolved = match page {
                    Value::String(id) => pages.get(id.as_str()).copied(),
                    Value::Object(o) if o.get("items").is_none() => o
                        .get("id")
                        .and_then(Value::as_str)
                        .and_then(|id| pages.get(id).copied()),
                    other => Some(other),
                };
                let Some(resolved) = resolved else {
                    let id = page
                        .as_str()
                        .or_else(|| page["id"].as_str())
                        .unwrap_or("(no id)")
                        .to_owned();
                    report.skip(Reason::LinkedPage, || {
                        format!("page {id} is linked, not in the file")
                    });
                    break;
                };
                if !read_pages.insert(std::ptr::from_ref(resolved)) {
                    break;
                }
                out.extend(resolved["items"].as_array().into_iter().flatten());
                next = resolved.get("next");
            }
            // A collection with its items inline (not the model's layout, but seen).
            out.extend(t["items"].as_array().into_iter().flatten());
        } else if is_type(t, "AnnotationPage") {
            if read_pages.insert(std::ptr::from_ref(*t)) {
                out.extend(t["items"].as_array().into_iter().flatten());
            }
        } else {
            out.push(*t);
        }
    }
    out
}

/// True when `v`'s `type` is `ty` (a string, or an array holding it).
fn is_type(v: &Value, ty: &str) -> bool {
    match &v["type"] {
        Value::String(s) => s == ty,
        Value::Array(a) => a.iter().any(|x| x == ty),
        _ => false,
    }
}

/// The selectors of one target, with those under `refinedBy` (any depth).
fn selectors_of(target: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    let mut stack: Vec<&Value> = match &target["selector"] {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    };
    while let Some(s) = stack.pop() {
        out.push(s);
        match &s["refinedBy"] {
            Value::Array(a) => stack.extend(a),
            Value::Null => {}
            one => stack.push(one),
        }
    }
    out
}

/// The bodies of an annotation: an array, one object, or a bare string (an IRI).
fn bodies_of(item: &Value) -> Vec<&Value> {
    match &item["body"] {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one annotation: target, kind, bodies, place, in the model's order"
)]
fn read_one(
    doc: &Document,
    item: &Value,
    n: usize,
    map: &TypeMap,
    report: &mut ImportReport,
    locator: &mut crate::reanchor::Locator<'_>,
    read: &mut super::Read,
) -> Result<(), ExportError> {
    let name = || {
        item["id"].as_str().map_or_else(
            || format!("annotation {n}"),
            |id| format!("annotation {n} ({id})"),
        )
    };
    let bad = |what: &str| ExportError::Invalid(format!("{}: {what}", name()));
    let targets: Vec<&Value> = match &item["target"] {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    };
    // The targets that select text: the first places the annotation, the others are its
    // further fragments (an image beside them is not read).
    let mut text_targets = targets.iter().map(|t| selectors_of(t)).filter(|s| {
        s.iter()
            .any(|x| is_type(x, "TextPositionSelector") || is_type(x, "TextQuoteSelector"))
    });
    let Some(selectors) = text_targets.next() else {
        report.skip(Reason::NonTextTarget, || {
            format!("{}: no TextQuoteSelector or TextPositionSelector", name())
        });
        return Ok(());
    };
    let position = selectors
        .iter()
        .find(|s| is_type(s, "TextPositionSelector"))
        .and_then(|p| Some((p["start"].as_u64()?, p["end"].as_u64()?)))
        .and_then(|(s, e)| Some((usize::try_from(s).ok()?, usize::try_from(e).ok()?)));
    let quote = selectors.iter().find(|s| is_type(s, "TextQuoteSelector"));
    let exact = quote.and_then(|q| q["exact"].as_str());
    let bodies = bodies_of(item);
    let tags: Vec<&str> = bodies
        .iter()
        .filter(|b| b["purpose"] == "tagging")
        .filter_map(|b| b["value"].as_str())
        .collect();
    let motivation = match &item["motivation"] {
        Value::String(m) => Some(m.as_str()),
        Value::Array(a) => a.first().and_then(Value::as_str),
        _ => None,
    };
    // A tag that names a kind (Tallymark's own `figure`, or one mapped), else the
    // motivation as mapped.
    let mut label = None;
    let mut kind = None;
    for t in tags.iter().copied().chain(motivation) {
        match map.get(t) {
            Some(Target::Kind(k)) => {
                kind = Some(k);
                label = Some(t);
                break;
            }
            Some(Target::Skip) => {
                report.skip(Reason::SkippedType, || format!("{}: {t}", name()));
                return Ok(());
            }
            None => {}
        }
    }
    // Tallymark's own structured body names its kind too.
    let own = bodies
        .iter()
        .find(|x| x["purpose"] == "classifying" && x["format"] == "application/json")
        .and_then(|x| x["value"].as_str())
        .map(serde_json::from_str::<Attributes>)
        .transpose()?;
    let kind = kind.or_else(|| own.as_ref().map(Attributes::kind));
    let Some(kind) = kind else {
        let ty = motivation.unwrap_or("(no motivation)");
        report.unknown_type(ty, exact.unwrap_or_default(), || {
            format!(
                "{}: “{}”",
                name(),
                crate::text::quote_input(exact.unwrap_or_default())
            )
        });
        return Ok(());
    };
    let mut a = Annotation {
        id: item["id"]
            .as_str()
            .and_then(|s| s.rsplit(':').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or(n as u64),
        annotator: item["creator"]["name"]
            .as_str()
            .or_else(|| item["creator"].as_str())
            .unwrap_or_default()
            .to_owned(),
        created: time(item, "created"),
        modified: time(item, "modified"),
        label: label
            .filter(|l| !Kind::ALL.iter().any(|k| k.key() == l.to_lowercase()))
            .map(str::to_owned),
        ..Annotation::bare(0, kind)
    };
    if let Some(attributes) = own.filter(|at| at.kind() == kind) {
        if let Attributes::Figure(f) = &attributes
            && let Some((field, v)) = f.non_finite()
        {
            return Err(bad(&format!(
                "{field} is {v}; a figure's value must be a finite number"
            )));
        }
        a.attributes = attributes;
    }
    // Tallymark's own export carries a summary (`describing`) derived from its
    // attributes, and the attributes as JSON: neither is a note.
    let tallymark_own = bodies
        .iter()
        .any(|x| x["purpose"] == "classifying" && x["format"] == "application/json");
    for b in &bodies {
        let Some(value) = b["value"].as_str() else {
            // An IRI, an image, a SpecificResource: nothing Tallymark can keep.
            report.skip(Reason::Unsupported, || {
                format!("{}: a body that is not text", name())
            });
            continue;
        };
        let purpose = b["purpose"].as_str().unwrap_or_default();
        match purpose {
            "commenting" if tallymark_own && b["format"] == "text/plain" => {
                a.notes.push(value.to_owned());
            }
            "commenting" => {
                // The first comment is the note (Tallymark's own export marks the others).
                if a.note.is_empty() && (tallymark_own || a.notes.is_empty()) {
                    value.clone_into(&mut a.note);
                } else {
                    a.notes.push(value.to_owned());
                }
            }
            "tagging" => {
                if Some(value) != label {
                    a.fields.push(crate::annotation::Field {
                        name: "tag".to_owned(),
                        value: value.to_owned(),
                        normalised: None,
                    });
                }
            }
            // Tallymark's own export says the other tool's type as plain text.
            "classifying" if tallymark_own && b["format"] != "application/json" => {
                a.label = Some(value.to_owned());
            }
            "describing" | "classifying" if tallymark_own => {}
            // Any other text (a description, a reply, a body without a purpose) is kept
            // verbatim as a note.
            _ => a.notes.push(value.to_owned()),
        }
    }
    let len = doc.text().len_chars();
    let stated = position
        .filter(|(s, e)| s < e && *e <= len)
        .map(|(s, e)| Span::between(s, e));
    let at_position = stated.filter(|s| exact.is_none_or(|x| doc.text().slice(*s) == x));
    let span = if let Some(s) = at_position {
        Some(s)
    } else if let Some(x) = exact {
        let q = quote.copied().unwrap_or(&Value::Null);
        let probe = Annotation {
            span: position.map_or_else(|| Span::between(0, 0), |(s, e)| Span::between(s, e.max(s))),
            exact: x.to_owned(),
            prefix: q["prefix"].as_str().unwrap_or_default().to_owned(),
            suffix: q["suffix"].as_str().unwrap_or_default().to_owned(),
            ..a.clone()
        };
        let found = locator.locate(&probe);
        if let (Some(at), Some(_)) = (found, position) {
            report.moved(|| {
                format!(
                    "{}: “{}” not at its position; found at {at}",
                    name(),
                    crate::text::quote_input(x),
                )
            });
        }
        found
    } else {
        None
    };
    match span {
        Some(span) => {
            a.span = span;
            let mut parts = vec![span];
            for more in text_targets {
                match place_selectors(doc, &more, locator, &a) {
                    Some(p) => parts.push(p),
                    None => report.skip(Reason::TextMismatch, || {
                        format!("{}: a further target's text is not in the article", name())
                    }),
                }
            }
            parts.sort_by_key(|p| (p.start, p.end));
            parts.dedup();
            if parts.len() > 1 && parts.windows(2).all(|w| w[0].end <= w[1].start) {
                a.span = Span::between(parts[0].start, parts[parts.len() - 1].end);
                a.fragments = parts;
            }
            let span = a.span;
            doc.text().slice(span).clone_into(&mut a.exact);
            (a.prefix, a.suffix) = doc.text().context(span);
            report.imported(kind);
            read.placed.push(a);
        }
        None => {
            if let Some(x) = exact.filter(|x| !x.is_empty()) {
                report.orphan(|| {
                    format!(
                        "{}: “{}” is not in the article",
                        name(),
                        crate::text::quote_input(x)
                    )
                });
                let (s, e) = position.unwrap_or_else(|| (0, x.chars().count()));
                a.span = Span::between(s, e.max(s + 1));
                x.clone_into(&mut a.exact);
                read.orphans.push(a);
            } else {
                report.skip(Reason::OutsideText, || {
                    format!(
                        "{}: position {:?} outside the article ({len} chars), no quote to find it by",
                        name(),
                        position
                    )
                });
            }
        }
    }
    Ok(())
}

/// Where one further target's selectors put its text: at its position when its quote is
/// there (or it has none), else its quote by exact, prefix and suffix; `None` when not found.
fn place_selectors(
    doc: &Document,
    selectors: &[&Value],
    locator: &mut crate::reanchor::Locator<'_>,
    like: &Annotation,
) -> Option<Span> {
    let len = doc.text().len_chars();
    let position = selectors
        .iter()
        .find(|s| is_type(s, "TextPositionSelector"))
        .and_then(|p| Some((p["start"].as_u64()?, p["end"].as_u64()?)))
        .and_then(|(s, e)| Some((usize::try_from(s).ok()?, usize::try_from(e).ok()?)));
    let quote = selectors.iter().find(|s| is_type(s, "TextQuoteSelector"));
    let exact = quote.and_then(|q| q["exact"].as_str());
    let stated = position
        .filter(|(s, e)| s < e && *e <= len)
        .map(|(s, e)| Span::between(s, e));
    if let Some(s) = stated.filter(|s| exact.is_none_or(|x| doc.text().slice(*s) == x)) {
        return Some(s);
    }
    let q = quote?;
    let probe = Annotation {
        span: position.map_or_else(|| Span::between(0, 0), |(s, e)| Span::between(s, e.max(s))),
        exact: exact?.to_owned(),
        prefix: q["prefix"].as_str().unwrap_or_default().to_owned(),
        suffix: q["suffix"].as_str().unwrap_or_default().to_owned(),
        ..like.clone()
    };
    locator.locate(&probe)
}

/// An RFC 3339 time of `item`, absent when missing or unreadable (never invented).
fn time(item: &Value, key: &str) -> Option<OffsetDateTime> {
    item[key]
        .as_str()
        .and_then(|s| OffsetDateTime::parse(s, &Rfc3339).ok())
}
