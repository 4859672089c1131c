//! Label Studio JSON: tasks with their annotations and predictions, read and written.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{
    Named, Region, Units, build, join_parts, key, label_of, link, own, part_groups, part_key,
};
use crate::annotation::{Annotation, AnnotationId, Field, Kind};
use crate::document::Document;
use crate::export::ExportError;
use crate::export::imported::{ImportReport, Reason, TypeMap};
use crate::export::report::html_escape;

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
    let rid = |id: AnnotationId| part_key(id, 0);
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
            let id = part_key(a.id, k);
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
    // Each kind's labels: its own name and every label its annotations came with.
    let mut kind_labels: BTreeMap<Kind, BTreeSet<&str>> = Kind::ALL
        .iter()
        .map(|&k| (k, BTreeSet::from([k.label()])))
        .collect();
    let mut relations = BTreeSet::new();
    let mut choices: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for a in doc.annotations() {
        kind_labels.entry(a.kind()).or_default().insert(label_of(a));
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
    let labels: BTreeSet<&str> = kind_labels.values().flatten().copied().collect();
    let mut out = String::from("<View>\n  <Labels name=\"label\" toName=\"text\">\n");
    for l in labels {
        let _ = writeln!(out, "    <Label value=\"{}\"/>", html_escape(l));
    }
    out.push_str("  </Labels>\n  <Text name=\"text\" value=\"$text\"/>\n");
    if !relations.is_empty() {
        out.push_str("  <Relations>\n");
        for r in relations {
            let _ = writeln!(out, "    <Relation value=\"{}\"/>", html_escape(r));
        }
        out.push_str("  </Relations>\n");
    }
    for (name, values) in choices {
        let _ = writeln!(
            out,
            "  <Choices name=\"{}\" toName=\"text\" perRegion=\"true\" choice=\"multiple\">",
            html_escape(name)
        );
        for v in values {
            let _ = writeln!(out, "    <Choice value=\"{}\"/>", html_escape(v));
        }
        out.push_str("  </Choices>\n");
    }
    // Tallymark's own, shown for the selected region only, and those of one kind only for a
    // region with one of that kind's labels (Label Studio splits `whenLabelValue` at commas,
    // so a kind with a label holding a comma shows its controls for every region).
    let kind_of = |what: &str| {
        what.split_once(": ").and_then(|(k, _)| {
            Kind::ALL
                .iter()
                .copied()
                .find(|kind| kind.label().eq_ignore_ascii_case(k))
        })
    };
    let groups = std::iter::once(None).chain(Kind::ALL.iter().copied().map(Some));
    for group in groups {
        let controls: Vec<_> = own::CONTROLS
            .iter()
            .filter(|(_, _, what)| kind_of(what) == group)
            .collect();
        if controls.is_empty() {
            continue;
        }
        let when = group
            .and_then(|k| kind_labels.get(&k))
            .filter(|labels| !labels.iter().any(|l| l.contains(',')))
            .map(|labels| {
                let joined: Vec<&str> = labels.iter().copied().collect();
                format!(" whenLabelValue=\"{}\"", html_escape(&joined.join(",")))
            })
            .unwrap_or_default();
        let _ = writeln!(out, "  <View visibleWhen=\"region-selected\"{when}>");
        own_controls(&mut out, &controls);
        out.push_str("  </View>\n");
    }
    out.push_str("</View>\n");
    out
}

/// Writes Tallymark's own `controls`, each under a header naming what it holds.
fn own_controls(out: &mut String, controls: &[&(&str, own::Tag, &str)]) {
    for (name, tag, what) in controls {
        let _ = writeln!(
            out,
            "    <Header value=\"{}\" size=\"6\"/>",
            html_escape(what)
        );
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
}
