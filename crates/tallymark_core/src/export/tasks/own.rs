//! Tallymark's own per-region controls in Label Studio: its attributes, note, annotator
//! and times. Every name starts with `tallymark_`, a prefix no other tool's control is
//! expected to use; each is read back only as the control type it is written as.

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::annotation::{Annotation, Attributes, ClaimStatus, Qualifier, format_date, parse_date};
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_label_studio_choices_are_the_values_tallymark_knows() {
        let choices = |name: &str| match CONTROLS.iter().find(|c| c.0 == name) {
            Some((_, Tag::Choices(v), _)) => v.to_vec(),
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
