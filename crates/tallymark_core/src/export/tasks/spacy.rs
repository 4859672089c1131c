//! spaCy/Prodigy JSONL `spans`, read and written.

use serde_json::{Value, json};

use super::{Named, Region, Units, build, jsonl, label_of};
use crate::document::Document;
use crate::export::ExportError;
use crate::export::imported::{ImportReport, Reason, TypeMap};

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
