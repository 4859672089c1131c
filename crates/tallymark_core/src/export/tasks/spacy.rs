//! spaCy/Prodigy JSONL `spans`, read and written.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::{
    Named, Region, Units, build, is_part_key, join_parts, jsonl, label_of, part_groups, part_key,
};
use crate::document::Document;
use crate::export::ExportError;
use crate::export::imported::{ImportReport, Reason, TypeMap};

/// Reads spaCy/Prodigy JSONL: one document per line (`"answer": "reject"` and `"ignore"`
/// lines are counted and skipped), `spans: [{start, end, label}]` in code points. Spans
/// with Tallymark's own `tallymark_id` `ID`, `ID.2`… are read as one annotation's parts.
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
        let mut keys = HashSet::new();
        for (i, s) in v["spans"].as_array().into_iter().flatten().enumerate() {
            let (Some(start), Some(end), Some(label)) =
                (s["start"].as_u64(), s["end"].as_u64(), s["label"].as_str())
            else {
                report.skip(Reason::Malformed, || {
                    format!("{source}: span {} is incomplete", i + 1)
                });
                continue;
            };
            // Tallymark's own `tallymark_id` (`t5`, `t5.2`) says which spans are the parts
            // of one annotation; one of another shape, or repeated, is ignored rather than
            // guessed at. Spans without one get a key no id can be (`#3`).
            let key = match s["tallymark_id"].as_str() {
                Some(id) if is_part_key(id) && keys.insert(id.to_owned()) => id.to_owned(),
                _ => format!("#{i}"),
            };
            regions.push(Region {
                key,
                start: usize::try_from(start).unwrap_or(usize::MAX),
                end: usize::try_from(end).unwrap_or(usize::MAX),
                text: s["text"].as_str(),
                label,
            });
        }
        let (doc, mut ids, orphans) = build(
            raw,
            &source,
            &regions,
            &[Units::CodePoints, Units::Utf16],
            map,
            report,
        );
        let (doc, _) = join_parts(&doc, &mut ids, part_groups(&regions), report);
        out.push((format!("{stem}.line{n}"), doc.with_orphans(orphans)));
    }
    Ok(out)
}

/// `doc` as one spaCy/Prodigy JSONL line: `spans` in code points, one per part of a
/// discontinuous annotation. spaCy has no way to say that parts belong together, so they
/// carry an extra key of Tallymark's own, `tallymark_id` (`t5` on the first, `t5.2`, `t5.3`…
/// on the others, as Label Studio's region ids), which other readers ignore.
///
/// # Errors
/// Only if serialisation fails.
pub fn to_spacy(doc: &Document) -> Result<String, ExportError> {
    // One span per part: a discontinuous annotation never covers the words between.
    let spans: Vec<Value> = doc
        .annotations()
        .iter()
        .flat_map(|a| {
            let parts = a.parts();
            let several = parts.len() > 1;
            parts.iter().enumerate().map(move |(n, p)| {
                let mut span = json!({"start": p.start, "end": p.end, "label": label_of(a), "text": doc.text().slice(*p)});
                if several {
                    span["tallymark_id"] = json!(part_key(a.id, n));
                }
                span
            })
        })
        .collect();
    let line = json!({"text": doc.text().as_str(), "spans": spans, "answer": "accept"});
    Ok(format!("{}\n", serde_json::to_string(&line)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Vec<Vec<(usize, usize)>> {
        let mut report = ImportReport::default();
        let docs = from_spacy(line, "x", &TypeMap::default(), &mut report).unwrap();
        docs[0]
            .1
            .annotations()
            .iter()
            .map(|a| a.parts().iter().map(|p| (p.start, p.end)).collect())
            .collect()
    }

    #[test]
    fn spans_with_one_tallymark_id_are_one_annotation_and_nothing_else_is_joined() {
        let text = "The toll, officials said, rose to 40.";
        let line = |ids: [&str; 2], labels: [&str; 2]| {
            serde_json::json!({"text": text, "spans": [
                {"start": 0, "end": 8, "label": labels[0], "tallymark_id": ids[0]},
                {"start": 26, "end": 36, "label": labels[1], "tallymark_id": ids[1]},
            ]})
            .to_string()
        };
        assert_eq!(
            read(&line(["t1", "t1.2"], ["Figure", "Figure"])),
            [vec![(0, 8), (26, 36)]]
        );
        let apart = [vec![(0, 8)], vec![(26, 36)]];
        assert_eq!(
            read(&line(["t1", "t1.2"], ["Figure", "Quote"])),
            apart,
            "labels differ"
        );
        assert_eq!(
            read(&line(["t1", "t1"], ["Figure", "Figure"])),
            apart,
            "a repeated id"
        );
        assert_eq!(
            read(&line(["t1", "t2.2"], ["Figure", "Figure"])),
            apart,
            "no first part"
        );
        assert_eq!(
            read(&line(["span0", "span0.2"], ["Figure", "Figure"])),
            apart,
            "not an id of Tallymark's shape"
        );
    }
}
