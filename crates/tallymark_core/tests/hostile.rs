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

/// A document whose strings try formula injection, with a negative value.
fn formula_document() -> Document {
    let mut doc = Document::from_article("=1+1\n\n-5 people were killed.", None);
    doc.meta.title = "=HYPERLINK(\"http://evil\",\"click\")".into();
    let mut a = doc.new_annotation(
        Kind::Figure,
        Span { start: 6, end: 8 },
        "t",
        OffsetDateTime::UNIX_EPOCH,
    );
    a.attributes = Attributes::Figure(FigureAttrs {
        value_low: Some(-5.0),
        metric: "killed".into(),
        who: "@SUM(A1:A9)".into(),
        source: "+cmd|' /C calc'!A0".into(),
        ..FigureAttrs::default()
    });
    a.note = "\tnote".into();
    Edit::Insert(a).apply(&mut doc).unwrap();
    doc
}

/// Reads CSV text back into rows of cells.
fn rows(csv_text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_defused_but_numbers_stay() {
    let doc = formula_document();
    let out = export::figures_csv(&doc).unwrap();
    let table = rows(&out);
    let (head, row) = (&table[0], &table[1]);
    let cell = |name: &str| row[head.iter().position(|h| h == name).unwrap()].as_str();
    assert_eq!(cell("document"), "'=HYPERLINK(\"http://evil\",\"click\")");
    assert_eq!(cell("exact"), "-5", "a number in a text column is harmless");
    assert_eq!(cell("value_low"), "-5", "a number stays a number");
    assert_eq!(cell("who"), "'@SUM(A1:A9)");
    assert_eq!(cell("source"), "'+cmd|' /C calc'!A0");
    assert_eq!(cell("note"), "'\tnote");
    for row in &table {
        for c in row {
            let risky = c.starts_with(['=', '+', '-', '@', '\t', '\r']);
            assert!(!risky || c.parse::<f64>().is_ok(), "{c:?}");
        }
    }
    // The comparison's CSV follows the same rule.
    let c = compare(
        &[Source {
            title: doc.meta.title.clone(),
            doc: &doc,
        }],
        &Taxonomy::builtin(),
    );
    let table = rows(&tallymark_core::compare::to_csv(&c).unwrap());
    let row = &table[1];
    assert_eq!(row[1], "'=HYPERLINK(\"http://evil\",\"click\")");
    assert_eq!(row[3], "-5");
    assert_eq!(row[7], "'@SUM(A1:A9)");
}
