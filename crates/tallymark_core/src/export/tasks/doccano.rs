//! doccano JSONL, both shapes, read and written.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{
    FRAGMENT_RELATION, Group, Named, Offsets, Region, Units, build, join_parts, jsonl, key,
    label_of, link,
};
use crate::annotation::AnnotationId;
use crate::document::Document;
use crate::export::ExportError;
use crate::export::imported::{ImportReport, Reason, TypeMap};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
