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

/// A quote whose speaker, note and text carry tabs, line breaks and separators.
fn broken_lines_document() -> Document {
    let mut doc = Document::from_article("Title\n\nShe\tsaid\u{2028}so\u{85}here.", None);
    doc.meta.title = "Line one\r\n# Not a heading\u{2028}| not a cell |".into();
    let mut a = doc.new_annotation(
        Kind::Quote,
        Span { start: 7, end: 20 },
        "t",
        OffsetDateTime::UNIX_EPOCH,
    );
    a.attributes = Attributes::Quote(tallymark_core::annotation::QuoteAttrs {
        speaker: "Ann\r\n| x | y |\u{2028}## z\u{b}\u{c}".into(),
    });
    a.note = "a\tb\nc\u{2029}d\u{0}e".into();
    Edit::Insert(a).apply(&mut doc).unwrap();
    let mut f = doc.new_annotation(
        Kind::Figure,
        Span { start: 7, end: 10 },
        "t",
        OffsetDateTime::UNIX_EPOCH,
    );
    f.attributes = Attributes::Figure(FigureAttrs {
        value_low: Some(3.0),
        metric: "kil\u{0}led\u{1b}".into(),
        ..FigureAttrs::default()
    });
    Edit::Insert(f).apply(&mut doc).unwrap();
    doc
}

#[test]
fn markdown_report_keeps_each_cell_and_heading_on_its_line() {
    let doc = broken_lines_document();
    let md = tallymark_core::export::report::to_markdown(&doc);
    let first = md.lines().next().unwrap();
    assert!(first.starts_with("# Review: Line one"), "{md}");
    assert!(
        first.contains("Not a heading"),
        "the title stays on one line: {md}"
    );
    assert!(!md.contains('\r') && !md.contains('\u{2028}') && !md.contains('\u{b}'));
    let quote_rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| Q")).collect();
    assert_eq!(quote_rows.len(), 1, "{md}");
    assert!(quote_rows[0].contains("Ann"), "{md}");
    assert!(quote_rows[0].ends_with(" |"), "{md}");
    assert!(!md.lines().any(|l| l.starts_with("## z")), "{md}");
}

#[test]
fn brat_lines_never_carry_a_raw_tab_or_line_break_inside_a_field() {
    let doc = broken_lines_document();
    let (txt, ann) = tallymark_core::export::brat::to_brat(&doc);
    assert_eq!(txt, doc.text().as_str(), "the .txt is the article exactly");
    for line in ann.split('\n').filter(|l| !l.is_empty()) {
        let tabs = line.matches('\t').count();
        let expected = if line.starts_with('A') { 1 } else { 2 };
        assert_eq!(tabs, expected, "{line:?}");
        assert!(
            !line
                .chars()
                .any(|c| c != '\t' && (c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))),
            "{line:?}"
        );
    }
    // Still reads back onto the article.
    let back = export::import_onto(&doc, &ann, export::ImportFormat::Brat).unwrap();
    assert_eq!(back.annotations().len(), 2);
    let q = back
        .annotations()
        .iter()
        .find(|a| a.kind() == Kind::Quote)
        .unwrap();
    assert!(q.note.starts_with("a\tb\nc"), "{:?}", q.note);
}

#[test]
fn w3c_target_source_is_only_a_web_address() {
    let mut doc = article();
    for (url, kept) in [
        ("https://news.example/story?id=1#p2", true),
        ("HTTP://news.example/", true),
        ("javascript:alert(1)", false),
        ("data:text/html,<script>x</script>", false),
        ("https://", false),
        ("https://x.example/\"><script>", false),
        ("https://x.example/a b", false),
        ("https://x.example/\u{0}", false),
        ("file:///etc/passwd", false),
    ] {
        doc.meta.url = Some(url.into());
        let source = tallymark_core::export::w3c::target_source(&doc);
        assert_eq!(source == url, kept, "{url:?} gave {source:?}");
        if !kept {
            assert!(source.starts_with("urn:tallymark:sha256:"), "{source}");
        }
    }
}

#[test]
fn huge_prefix_or_suffix_in_a_file_is_refused() {
    use tallymark_core::persist;
    let doc = figures(&[3.0]);
    let ron = persist::to_ron(&doc).unwrap();
    assert!(persist::parse(std::path::Path::new("ok.ron"), &ron).is_ok());
    let a = (*doc.annotations()[0]).clone();
    let long = "y".repeat(persist::MAX_CONTEXT_CHARS + 1);
    let hostile = ron.replacen(
        &format!("prefix: \"{}\"", a.prefix),
        &format!("prefix: \"{long}\""),
        1,
    );
    assert_ne!(hostile, ron);
    let err = persist::parse(std::path::Path::new("p.ron"), &hostile).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("annotation {}: prefix is", a.id)),
        "{msg}"
    );
}

/// A folder prepared by someone else: links planted under every name a save or a lock
/// uses. Opening, locking and saving write only the annotation file and its backup.
#[cfg(unix)]
#[test]
fn a_prepared_folder_cannot_redirect_any_write() {
    use std::os::unix::fs::symlink;
    use tallymark_core::editor::Editor;
    use tallymark_core::lock::{Lock, lock_path};
    use tallymark_core::persist::{self, backup_path};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("story.ron");
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    persist::save(&figures(&[3.0, 4.0]), &file).unwrap();
    symlink(&victim, backup_path(&file)).unwrap();
    symlink(&victim, lock_path(&file)).unwrap();
    symlink(
        &victim,
        dir.path()
            .join(format!(".story.ron.{}.tmp", std::process::id())),
    )
    .unwrap();
    let lock = Lock::acquire(&file).unwrap().expect("a lock");
    let mut editor = Editor::open(&file).unwrap();
    let id = editor.doc().annotations()[0].id;
    editor.apply(vec![Edit::Remove(id)], None).unwrap();
    editor.save_to(&file).unwrap();
    drop(lock);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(persist::load(&file).unwrap().annotations().len(), 1);
    assert_eq!(
        persist::load(&backup_path(&file))
            .unwrap()
            .annotations()
            .len(),
        2
    );
}

/// A hand-edited `value_low: NaN` is refused with the file's name and the annotation's id.
#[test]
fn a_nan_in_a_file_is_named_with_file_and_annotation() {
    use tallymark_core::persist;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hand-edited.ron");
    let doc = figures(&[3.0]);
    let id = doc.annotations()[0].id;
    let ron = persist::to_ron(&doc).unwrap();
    std::fs::write(&path, ron.replacen("value_low: 3.0", "value_low: NaN", 1)).unwrap();
    let msg = persist::load(&path).unwrap_err().to_string();
    assert!(msg.contains("hand-edited.ron"), "{msg}");
    assert!(
        msg.contains(&format!("annotation {id}: value_low is NaN")),
        "{msg}"
    );
}

/// A saved web page nested 200,000 elements deep, opened as an article on a thread with a
/// 256 KiB stack.
#[test]
fn a_deeply_nested_page_opens_on_a_small_stack() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.html");
    let mut html = String::from("<html><head><title>Deep</title></head><body><article>");
    for _ in 0..200_000 {
        html.push_str("<span>");
    }
    html.push_str("12 people were killed.");
    std::fs::write(&path, html).unwrap();
    let text = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            tallymark_core::persist::load_article(&path)
                .unwrap()
                .text()
                .as_str()
                .to_owned()
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert_eq!(text, "Deep\n\n12 people were killed.");
}

/// Every control character typed into a field survives save and open.
#[test]
fn control_characters_survive_save_and_open() {
    use tallymark_core::editor::Editor;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.ron");
    let mut chars: Vec<char> = (0u8..0x20).map(char::from).collect();
    chars.extend(['\u{7f}', '\u{85}', '\u{2028}']);
    let all: String = chars.iter().collect();
    let mut doc = figures(&[3.0]);
    doc.meta.title = format!("T{all}");
    let mut a = (*doc.annotations()[0]).clone();
    a.note = all.clone();
    if let Attributes::Figure(f) = &mut a.attributes {
        f.who = all.clone();
        f.source = all.clone();
    }
    Edit::Replace(a).apply(&mut doc).unwrap();
    let mut editor = Editor::new(doc.clone(), tallymark_core::editor::Origin::Builtin);
    editor.save_to(&path).unwrap();
    let back = Editor::open(&path).unwrap();
    assert_eq!(back.doc().meta, doc.meta);
    assert_eq!(back.doc().annotations(), doc.annotations());
}

/// `/dev/zero` and a FIFO as an article, an annotation file or a workspace: refused at
/// once, never read forever.
#[cfg(unix)]
#[test]
fn endless_and_blocking_inputs_are_refused() {
    use tallymark_core::persist::{self, FileError};
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.ron");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for path in [std::path::Path::new("/dev/zero"), fifo.as_path()] {
        assert!(matches!(
            persist::load_article(path),
            Err(FileError::NotRegular { .. })
        ));
        assert!(matches!(
            persist::load(path),
            Err(FileError::NotRegular { .. })
        ));
        assert!(tallymark_core::workspace::Workspace::load(path).is_err());
        assert!(tallymark_core::editor::Editor::open(path).is_err());
    }
    // Nor written: `-o /dev/null` would replace the device node.
    let err = persist::save(&figures(&[1.0]), std::path::Path::new("/dev/null")).unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

/// Import inputs go through the same reader: a FIFO is refused at once, and a bad line is
/// reported with the file's name.
#[cfg(unix)]
#[test]
fn import_files_are_read_with_the_same_limits() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("in.ann");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let err =
        export::import_file(&article(), &fifo, &export::imported::TypeMap::default()).unwrap_err();
    assert!(err.to_string().contains("FIFO"), "{err}");
    let bad = dir.path().join("bad.ann");
    std::fs::write(&bad, "T1\tFigure 7 9\t12\nA1\tValueLow T1 NaN\n").unwrap();
    let msg = export::import_file(&article(), &bad, &export::imported::TypeMap::default())
        .unwrap_err()
        .to_string();
    assert!(msg.contains("bad.ann: .ann line 2"), "{msg}");
}

/// A scraped page on one line, without a stop: every figure used to read the whole line
/// (sentence, paragraph, the quote's line), which made a 500 KB line take over a minute and
/// a 20 MB one hours. Now each reads only its neighbourhood; this line would not finish in
/// a test run before.
#[test]
fn a_long_line_without_stops_is_read_near_each_figure_only() {
    let words = [
        "police",
        "said",
        "that",
        "more",
        "than",
        "160",
        "people",
        "were",
        "killed",
        "and",
        "“we",
        "are",
        "searching”",
        "said",
        "officials",
        "in",
        "Almaty",
        "on",
        "Sunday",
        "2,000",
        "detained",
    ];
    let mut rng = 7u64;
    let mut line = String::with_capacity(400_000);
    while line.len() < 400_000 {
        rng = rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        line.push_str(words[(rng >> 33) as usize % words.len()]);
        line.push(' ');
    }
    let text = format!("Title\n\n{line}\n");
    let found =
        tallymark_core::suggest::suggest(&text, tallymark_core::suggest::Options::default());
    assert!(found.figures.len() > 1_000, "{}", found.figures.len());
    let n = text.chars().count();
    assert!(found.figures.iter().all(|f| f.span.end <= n));
}
