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

use super::ExportError;
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
    let hash = sha256_hex(doc.text().as_str());
    annotation_json_in(&hash, &target_source(doc), a)
}

/// [`annotation_json`] with the article's hash and target IRI worked out once by the caller:
/// hashing a 5 MB article for each of 50,000 annotations took minutes.
fn annotation_json_in(hash: &str, source: &str, a: &Annotation) -> Result<Value, ExportError> {
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
    let mut out = json!({
        "@context": CONTEXT,
        "id": format!("urn:tallymark:{hash}:{}", a.id),
        "type": "Annotation",
        "motivation": motivation(a.kind()),
        "created": rfc3339(a.created),
        "modified": rfc3339(a.modified),
        "body": body,
        "target": {
            "source": source,
            "selector": [
                {"type": "TextQuoteSelector", "exact": a.exact, "prefix": a.prefix, "suffix": a.suffix},
                {"type": "TextPositionSelector", "start": a.span.start, "end": a.span.end},
            ],
        },
    });
    if !a.annotator.is_empty() {
        out["creator"] = json!({"type": "Person", "name": a.annotator});
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
    let hash = sha256_hex(doc.text().as_str());
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
            let item = annotation_json_in(self.hash, self.source, a).map_err(S::Error::custom)?;
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
}

/// Reads annotations back from this tool's W3C export (a collection, a page, an array or a
/// single annotation) onto `doc`'s article. Positions are checked against the quote; an
/// annotation whose quote is not at its position is refused.
///
/// # Errors
/// Malformed JSON, missing selectors, or annotations that do not fit the article.
pub fn from_json(doc: &Document, json_text: &str) -> Result<Vec<Annotation>, ExportError> {
    let v: Value = serde_json::from_str(crate::persist::strip_bom(json_text))?;
    let items: Vec<&Value> = match &v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) if o.get("type") == Some(&json!("AnnotationCollection")) => o
            .get("first")
            .and_then(|f| f.get("items"))
            .or_else(|| o.get("items"))
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        Value::Object(o) if o.get("type") == Some(&json!("AnnotationPage")) => o
            .get("items")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        other => vec![other],
    };
    let mut out = Vec::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        out.push(read_one(doc, item, n + 1)?);
    }
    super::check_imported(doc, &out)?;
    Ok(out)
}

fn read_one(doc: &Document, item: &Value, fallback_id: usize) -> Result<Annotation, ExportError> {
    let bad = |what: &str| ExportError::Invalid(format!("annotation {fallback_id}: {what}"));
    let selectors: Vec<&Value> = match &item["target"]["selector"] {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    };
    let position = selectors
        .iter()
        .find(|s| s["type"] == "TextPositionSelector")
        .ok_or_else(|| bad("no TextPositionSelector"))?;
    let quote = selectors.iter().find(|s| s["type"] == "TextQuoteSelector");
    let start = position["start"]
        .as_u64()
        .ok_or_else(|| bad("start is not a number"))?;
    let end = position["end"]
        .as_u64()
        .ok_or_else(|| bad("end is not a number"))?;
    let span = Span::between(start as usize, end as usize);
    let kind = match item["body"]
        .as_array()
        .and_then(|b| b.iter().find(|x| x["purpose"] == "tagging"))
        .and_then(|x| x["value"].as_str())
    {
        Some("figure") => Kind::Figure,
        Some("quote") => Kind::Quote,
        Some("claim") => Kind::Claim,
        _ => match item["motivation"].as_str() {
            Some("classifying") => Kind::Figure,
            Some("assessing") => Kind::Claim,
            _ => Kind::Quote,
        },
    };
    let body = item["body"].as_array().cloned().unwrap_or_default();
    let attributes = body
        .iter()
        .find(|x| x["purpose"] == "classifying" && x["format"] == "application/json")
        .and_then(|x| x["value"].as_str())
        .map(serde_json::from_str::<Attributes>)
        .transpose()?
        .unwrap_or_else(|| Attributes::empty(kind));
    if let Attributes::Figure(f) = &attributes
        && let Some((field, v)) = f.non_finite()
    {
        return Err(bad(&format!(
            "{field} is {v}; a figure's value must be a finite number"
        )));
    }
    let note = body
        .iter()
        .find(|x| x["purpose"] == "commenting")
        .and_then(|x| x["value"].as_str())
        .unwrap_or_default()
        .to_owned();
    let id = item["id"]
        .as_str()
        .and_then(|s| s.rsplit(':').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(fallback_id as u64);
    let time = |key: &str| {
        item[key]
            .as_str()
            .and_then(|s| OffsetDateTime::parse(s, &Rfc3339).ok())
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    };
    let exact = quote
        .and_then(|q| q["exact"].as_str())
        .map_or_else(|| doc.text().slice(span).to_owned(), str::to_owned);
    let (prefix, suffix) = doc.text().context(span);
    Ok(Annotation {
        id,
        span,
        exact,
        prefix,
        suffix,
        attributes,
        note,
        annotator: item["creator"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        created: time("created"),
        modified: time("modified"),
    })
}
