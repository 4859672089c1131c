//! Exports of the bundled reference annotations: W3C Web Annotation, brat standoff, CSV and
//! the HTML and Markdown reports; imports back where an importer exists.

use std::path::{Path, PathBuf};
use std::process::Command;

use tallymark::core::annotation::Kind;
use tallymark::core::document::Document;
use tallymark::core::export::{self, Format, ImportFormat, brat, import_onto, report, w3c};
use tallymark::core::persist;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn seed() -> Document {
    persist::load(&fixture("saves/kazakhstan-protests-2022.ron")).expect("reference loads")
}

#[test]
fn w3c_export_has_the_required_fields_for_every_annotation_and_round_trips() {
    let doc = seed();
    let json = w3c::to_json(&doc).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(v["type"], "AnnotationCollection");
    let items = v["first"]["items"].as_array().unwrap();
    assert_eq!(items.len(), doc.annotations().len());
    let text: Vec<char> = doc.text().as_str().chars().collect();
    let mut ids = std::collections::BTreeSet::new();
    for item in items {
        assert_eq!(item["@context"], "http://www.w3.org/ns/anno.jsonld");
        assert_eq!(item["type"], "Annotation");
        assert!(
            ids.insert(item["id"].as_str().unwrap().to_owned()),
            "unique ids"
        );
        assert!(
            ["classifying", "highlighting", "assessing"]
                .contains(&item["motivation"].as_str().unwrap())
        );
        let body = item["body"].as_array().unwrap();
        assert!(
            body.iter()
                .all(|b| b["type"] == "TextualBody" && b["value"].is_string())
        );
        assert!(body.iter().any(|b| b["purpose"] == "tagging"));
        let target = &item["target"];
        assert!(target["source"].as_str().unwrap().starts_with("urn:"));
        let selectors = target["selector"].as_array().unwrap();
        let quote = selectors
            .iter()
            .find(|s| s["type"] == "TextQuoteSelector")
            .unwrap();
        let pos = selectors
            .iter()
            .find(|s| s["type"] == "TextPositionSelector")
            .unwrap();
        let (s, e) = (
            pos["start"].as_u64().unwrap() as usize,
            pos["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            text[s..e].iter().collect::<String>(),
            quote["exact"].as_str().unwrap()
        );
        for key in ["prefix", "suffix"] {
            assert!(quote[key].is_string());
        }
    }
    let back = import_onto(&doc, &json, ImportFormat::W3c).unwrap();
    assert_eq!(
        back.annotations(),
        doc.annotations(),
        "export then import is the identity"
    );
}

/// A reader written from brat's published description of the standoff format
/// (<https://brat.nlplab.org/standoff.html>), independent of the exporter: text-bound
/// annotations `T<id>\t<type> <start> <end>[;<start> <end>]*\t<text>`, attributes
/// `A<id>\t<name> <target> [<value>]`, notes `#<id>\tAnnotatorNotes <target>\t<text>`.
#[derive(Debug)]
struct BratEntity {
    id: String,
    kind: String,
    fragments: Vec<(usize, usize)>,
    text: String,
}

fn read_brat(ann: &str) -> (Vec<BratEntity>, Vec<(String, String, String)>, usize) {
    let mut entities = Vec::new();
    let mut attributes = Vec::new();
    let mut notes = 0;
    for line in ann.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match line.chars().next() {
            Some('T') => {
                assert_eq!(
                    fields.len(),
                    3,
                    "T line has three tab-separated fields: {line}"
                );
                let (kind, offsets) = fields[1].split_once(' ').unwrap();
                let fragments = offsets
                    .split(';')
                    .map(|f| {
                        let (s, e) = f.split_once(' ').unwrap();
                        (s.parse().unwrap(), e.parse().unwrap())
                    })
                    .collect();
                entities.push(BratEntity {
                    id: fields[0].to_owned(),
                    kind: kind.to_owned(),
                    fragments,
                    text: fields[2].to_owned(),
                });
            }
            Some('A') => {
                assert_eq!(fields.len(), 2, "{line}");
                let parts: Vec<&str> = fields[1].split(' ').collect();
                assert_eq!(parts.len(), 3, "name, target, value: {line}");
                attributes.push((
                    parts[0].to_owned(),
                    parts[1].to_owned(),
                    parts[2].to_owned(),
                ));
            }
            Some('#') => {
                assert_eq!(fields.len(), 3, "{line}");
                assert!(fields[1].starts_with("AnnotatorNotes T"));
                notes += 1;
            }
            other => panic!("unexpected line {other:?}: {line}"),
        }
    }
    (entities, attributes, notes)
}

#[test]
fn brat_export_reopens_with_a_reader_written_to_the_format_description() {
    let doc = seed();
    let (txt, ann) = brat::to_brat(&doc);
    assert_eq!(txt, doc.text().as_str(), "the .txt is the article, exactly");
    let chars: Vec<char> = txt.chars().collect();
    let (entities, attributes, notes) = read_brat(&ann);
    assert_eq!(entities.len(), doc.annotations().len());
    for (e, a) in entities.iter().zip(doc.annotations()) {
        assert_eq!(e.kind, a.kind().label());
        let covered: Vec<String> = e
            .fragments
            .iter()
            .map(|(s, t)| chars[*s..*t].iter().collect())
            .collect();
        assert_eq!(
            covered.join(" "),
            e.text,
            "offsets are characters of the .txt"
        );
        assert_eq!(e.fragments.first().unwrap().0, a.span.start);
        assert_eq!(e.fragments.last().unwrap().1, a.span.end);
    }
    assert!(attributes.iter().any(|(n, t, v)| n == "Qualifier"
        && v == "more_than"
        && entities.iter().any(|e| &e.id == t)));
    assert!(notes > 0);
    let back = import_onto(&doc, &ann, ImportFormat::Brat).unwrap();
    assert_eq!(
        back.annotations(),
        doc.annotations(),
        "export then import is the identity"
    );
}

#[test]
fn csv_parses_to_the_same_figures() {
    let doc = seed();
    let out = export::figures_csv(&doc).unwrap();
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let headers = r.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "document",
            "exact",
            "value_low",
            "value_high",
            "qualifier",
            "metric",
            "who",
            "source",
            "reported",
            "start",
            "end",
            "note"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let figures: Vec<_> = doc
        .annotations()
        .iter()
        .filter(|a| a.kind() == Kind::Figure)
        .collect();
    assert_eq!(rows.len(), figures.len());
    for (row, a) in rows.iter().zip(figures) {
        let f = a.figure().unwrap();
        assert_eq!(&row[1], a.exact);
        assert_eq!(row[2].parse::<f64>().ok(), f.value_low);
        assert_eq!(row[3].parse::<f64>().ok(), f.value_high);
        assert_eq!(&row[4], f.qualifier.key());
        assert_eq!(&row[5], f.metric);
        assert_eq!(&row[6], f.who);
        assert_eq!(&row[7], f.source);
        assert_eq!(row[9].parse::<usize>().unwrap(), a.span.start);
        assert_eq!(row[10].parse::<usize>().unwrap(), a.span.end);
        assert_eq!(&row[11], a.note);
    }
}

#[test]
fn markdown_report_has_the_article_and_tables() {
    let md = report::to_markdown(&seed());
    assert!(md.contains("**more than 10,000**<sup>F"), "{}", &md[..400]);
    assert!(md.contains("### Arrested and detained — **conflict**"));
    assert!(md.contains("| Tag | Speaker | Quote |"));
}

fn browser() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|b| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(b))
                    .find(|p| p.is_file())
            })
        })
}

#[test]
fn html_report_renders_highlights_and_the_comparison_in_a_real_browser() {
    let html = report::to_html(&seed());
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no network needed"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    std::fs::write(&path, &html).unwrap();
    let Some(chromium) = browser() else {
        // scripts/test installs Chromium and sets this, so CI never skips.
        assert!(
            std::env::var_os("TALLYMARK_REQUIRE_BROWSER").is_none(),
            "Chromium is required (scripts/test installs it)"
        );
        eprintln!("skipped: no Chromium on PATH");
        return;
    };
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg("--dump-dom")
        .arg(format!("file://{}", path.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("<mark class=\"figure\""),
        "highlights in the DOM: {}",
        &dom[..dom.len().min(300)]
    );
    assert!(dom.contains("id=\"comparison\""));
    assert!(dom.contains("Arrested and detained"));
    assert!(
        dom.contains("class=\"conflict-reason\""),
        "the 2,000 vs 10,000 conflict is explained"
    );
    assert!(dom.contains("id=\"quotes\"") && dom.contains("id=\"claims\""));
}

#[test]
fn every_format_exports_and_is_deterministic() {
    let doc = seed();
    for f in Format::ALL {
        let a = export::export(&doc, f).unwrap();
        let b = export::export(&doc, f).unwrap();
        assert_eq!(a, b, "{f:?} is deterministic");
        assert!(a.iter().all(|o| !o.contents.is_empty()));
    }
}

fn tallymark(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tallymark"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_export_and_import_round_trip_through_files() {
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("kz");
    let (ok, _, err) = tallymark(&[
        "export",
        "saves/kazakhstan-protests-2022.ron",
        "--to",
        "brat",
        "-o",
        stem.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let out = dir.path().join("back.ron");
    let (ok, _, err) = tallymark(&[
        "import",
        stem.with_extension("ann").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert_eq!(
        persist::load(&out).unwrap().annotations(),
        seed().annotations()
    );

    let (ok, _, err) = tallymark(&[
        "export",
        "saves/kazakhstan-protests-2022.ron",
        "--to",
        "brat",
    ]);
    assert!(
        !ok && err.contains("-o"),
        "brat needs an output path: {err}"
    );
    let (ok, _, err) = tallymark(&[
        "export",
        "saves/kazakhstan-protests-2022.ron",
        "--to",
        "html",
        "-o",
        "saves/kazakhstan-protests-2022.ron",
    ]);
    assert!(!ok && err.contains("input"), "never over the input: {err}");
    let (ok, html, _) = tallymark(&[
        "export",
        "saves/kazakhstan-protests-2022.ron",
        "--to",
        "html",
    ]);
    assert!(ok && html.starts_with("<!DOCTYPE html>"));
}
