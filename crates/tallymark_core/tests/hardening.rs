//! Hardening (issue 16): error messages that quote user input quote at most ~100 chars of it.

use tallymark_core::document::Document;
use tallymark_core::export::imported::TypeMap;
use tallymark_core::export::{ImportFormat, import_onto, import_with};

fn article() -> Document {
    Document::from_article("Officials said 12 people died in the flood.\n", None)
}

/// A W3C import naming a 1 MB attribute variant, or quoting 1 MB of text that is not in the
/// article: the message stays short.
#[test]
fn a_huge_identifier_in_an_import_is_quoted_short() {
    let huge = "X".repeat(1_000_000);
    let attributes = format!("{{\"{huge}\":{{}}}}");
    let json = serde_json::json!([{
        "type": "Annotation",
        "body": [{"purpose": "classifying", "format": "application/json", "value": attributes}],
        "target": {"selector": [{"type": "TextPositionSelector", "start": 15, "end": 17}]},
    }])
    .to_string();
    let err = import_onto(&article(), &json, ImportFormat::W3c)
        .unwrap_err()
        .to_string();
    assert!(err.len() < 1_000, "{} bytes: {}", err.len(), &err[..200]);
    assert!(err.contains("XXXX"), "{err}");

    // A quote that is not in the article is kept as an orphan, and the report's example
    // of it is short.
    let json = serde_json::json!([{
        "type": "Annotation",
        "body": [{"purpose": "tagging", "value": "figure"}],
        "target": {"selector": [
            {"type": "TextPositionSelector", "start": 15, "end": 17},
            {"type": "TextQuoteSelector", "exact": huge},
        ]},
    }])
    .to_string();
    let imported = import_with(&article(), &json, ImportFormat::W3c, &TypeMap::default()).unwrap();
    assert_eq!(imported.report.orphans, 1);
    let summary = imported.report.summary();
    assert!(summary.len() < 1_000, "{} bytes", summary.len());
    assert!(summary.contains("“XXXX"), "{summary}");
}

/// A brat value of a million digits (an infinity) is named short.
#[test]
fn a_huge_brat_value_is_quoted_short() {
    let ann = format!(
        "T1\tFigure 15 17\t12\nA1\tValueLow T1 {}\n",
        "9".repeat(1_000_000)
    );
    let err = import_onto(&article(), &ann, ImportFormat::Brat)
        .unwrap_err()
        .to_string();
    assert!(err.len() < 1_000, "{} bytes", err.len());
    assert!(err.contains(".ann line 2"), "{err}");
}

/// A RON file whose unknown field name is 1 MB long.
#[test]
fn a_huge_identifier_in_an_annotation_file_is_quoted_short() {
    let text = format!(
        "(format: \"tallymark\", version: 1, {}: 1)",
        "y".repeat(1_000_000)
    );
    let err = tallymark_core::persist::parse(std::path::Path::new("a.ron"), &text)
        .unwrap_err()
        .to_string();
    assert!(err.len() < 2_000, "{} bytes", err.len());
    assert!(err.starts_with("a.ron: line 1"), "{err}");
}

/// Wire copy that repeats one 300-char sentence 2,000 times, every copy of the annotated
/// text changed a little: the fuzzy step weighs the nearest occurrences of the context
/// within a budget, and ends (weighing all 2,000, with every start before each of them,
/// took some 40 billion steps).
#[test]
fn reanchoring_repeated_text_ends() {
    use tallymark_core::annotation::Kind;
    use tallymark_core::edit::Edit;
    use tallymark_core::span::Span;
    let unit = format!(
        "Officials said that {}people died in the district on Monday. ",
        "many ".repeat(48)
    );
    let old_text = format!("Title\n\n{}", unit.repeat(2_000));
    let mut doc = Document::from_article(&old_text, None);
    let start =
        "Title\n\n".chars().count() + 1_000 * unit.chars().count() + "Officials said that ".len();
    let span = Span {
        start,
        end: start + 240,
    };
    let a = doc.new_annotation(Kind::Quote, span, "t", time::OffsetDateTime::UNIX_EPOCH);
    Edit::Insert(a).apply(&mut doc).unwrap();
    let new_text = format!(
        "Title\n\nA new paragraph.\n\n{}",
        unit.replace("many", "mani").repeat(2_000)
    );
    let (out, report) = tallymark_core::reanchor::reanchor(&doc, &new_text);
    assert_eq!(report.fuzzy, 1, "{}", report.summary());
    let a = &out.annotations()[0];
    assert_eq!(out.text().slice(a.span), a.exact);
    assert!(a.exact.starts_with("mani mani"), "{}", a.exact);
}

/// After a paragraph is inserted, annotations on repeated text land on their own copy
/// (the one with their context), not on the first or the nearest.
#[test]
fn reanchoring_after_an_insert_keeps_each_copy() {
    use tallymark_core::annotation::Kind;
    use tallymark_core::edit::Edit;
    use tallymark_core::span::Span;
    let para = |i: usize| format!("In town {i}, 12 people died on Monday.\n\n");
    let old_text: String = (0..500).map(para).collect();
    let mut doc = Document::from_article(&old_text, None);
    let mut at = 0;
    for i in 0..500 {
        let p = para(i);
        let start = at + p.find("12 people").unwrap();
        let a = doc.new_annotation(
            Kind::Figure,
            Span {
                start,
                end: start + 9,
            },
            "t",
            time::OffsetDateTime::UNIX_EPOCH,
        );
        Edit::Insert(a).apply(&mut doc).unwrap();
        at += p.chars().count();
    }
    let new_text = format!("A correction.\n\n{old_text}");
    let (out, report) = tallymark_core::reanchor::reanchor(&doc, &new_text);
    assert_eq!(report.moved, 500, "{}", report.summary());
    let shift = "A correction.\n\n".chars().count();
    for (a, b) in doc.annotations().iter().zip(out.annotations()) {
        assert_eq!(b.span.start, a.span.start + shift);
        assert_eq!(b.exact, "12 people");
    }
}
