//! Hostile inputs: files and values made to crash, hang or mislead Tallymark. Each case
//! must end in a clear error or a correct result, never a panic, a hang or a write outside
//! the file asked for.

use tallymark_core::annotation::{Attributes, FigureAttrs, Kind, Qualifier};
use tallymark_core::compare::{Source, compare};
use tallymark_core::document::Document;
use tallymark_core::edit::Edit;
use tallymark_core::export::{self, Format};
use tallymark_core::metrics::Taxonomy;
use tallymark_core::span::Span;
use time::OffsetDateTime;

/// A document with one figure per value, all counting people killed.
fn figures(values: &[f64]) -> Document {
    let text = "x ".repeat(values.len() * 3 + 2);
    let mut doc = Document::from_article(&text, None);
    for (i, v) in values.iter().enumerate() {
        let mut a = doc.new_annotation(
            Kind::Figure,
            Span {
                start: i * 4,
                end: i * 4 + 1,
            },
            "t",
            OffsetDateTime::UNIX_EPOCH,
        );
        a.attributes = Attributes::Figure(FigureAttrs {
            value_low: Some(*v),
            value_high: (i % 3 == 0).then_some(*v * 2.0),
            qualifier: if i % 2 == 0 {
                Qualifier::Exact
            } else {
                Qualifier::About
            },
            metric: "killed".into(),
            who: "people".into(),
            ..FigureAttrs::default()
        });
        Edit::Insert(a).apply(&mut doc).unwrap();
    }
    doc
}

/// NaN and infinities slipped into a document (by an older build, or a caller that skips the
/// loader) do not crash the comparison or the reports.
#[test]
fn non_finite_values_never_crash_compare_or_reports() {
    let mut values: Vec<f64> = Vec::new();
    for i in 0..60 {
        values.push(match i % 5 {
            0 => f64::NAN,
            1 => f64::INFINITY,
            2 => f64::NEG_INFINITY,
            3 => -f64::NAN,
            _ => f64::from(i) * 7.0,
        });
    }
    let doc = figures(&values);
    let c = compare(
        &[Source {
            title: "t".into(),
            doc: &doc,
        }],
        &Taxonomy::builtin(),
    );
    let _ = tallymark_core::compare::to_table(&c);
    for format in Format::ALL {
        export::export(&doc, format).unwrap();
    }
}

/// An article to import onto: "Title" then a sentence with a count.
fn article() -> Document {
    Document::from_article("Title\n\n12 people were killed.", None)
}

#[test]
fn brat_import_refuses_non_finite_values_naming_the_line() {
    let doc = article();
    for bad in ["NaN", "inf", "-infinity", "1e400"] {
        let ann = format!("T1\tFigure 7 9\t12\nA1\tValueLow T1 {bad}\n");
        let err = export::import_onto(&doc, &ann, export::ImportFormat::Brat).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(".ann line 2"), "{bad}: {msg}");
        assert!(msg.contains("finite"), "{bad}: {msg}");
    }
    let ok = "T1\tFigure 7 9\t12\nA1\tValueLow T1 12\n";
    let imported = export::import_onto(&doc, ok, export::ImportFormat::Brat).unwrap();
    assert_eq!(
        imported.annotations()[0].figure().unwrap().value_low,
        Some(12.0)
    );
}

#[test]
fn w3c_import_refuses_non_finite_values() {
    let doc = article();
    let mut good = figures(&[12.0]);
    good = Document::from_parts(
        doc.meta.clone(),
        doc.text().as_str().to_owned(),
        good.annotations()
            .iter()
            .map(|a| {
                let mut a = (**a).clone();
                a.span = Span { start: 7, end: 9 };
                a.exact = "12".into();
                a
            })
            .collect::<Vec<_>>(),
    );
    let json = tallymark_core::export::w3c::to_json(&good).unwrap();
    assert!(export::import_onto(&doc, &json, export::ImportFormat::W3c).is_ok());
    let needle = "\\\"value_low\\\":12.0";
    assert!(json.contains(needle), "{json}");
    let err = export::import_onto(
        &doc,
        &json.replace(needle, "\\\"value_low\\\":1e400"),
        export::ImportFormat::W3c,
    )
    .unwrap_err();
    assert!(!err.to_string().is_empty());
    // A byte-order mark before the JSON is accepted.
    assert!(
        export::import_onto(&doc, &format!("\u{feff}{json}"), export::ImportFormat::W3c).is_ok()
    );
}
