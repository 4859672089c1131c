//! The headless commands, run as a user would run the binary.

use std::path::Path;

mod common;
use common::tallymark;

#[test]
fn check_passes_on_the_bundled_reference_and_prints_counts() {
    let (ok, out, err) = tallymark(&["check", "saves/kazakhstan-protests-2022.ron"]);
    assert!(ok, "{err}");
    assert!(out.contains(": ok"), "{out}");
    for kind in ["claim: ", "quote: ", "figure: "] {
        let line = out
            .lines()
            .find(|l| l.starts_with(kind))
            .unwrap_or_else(|| panic!("{kind} in {out}"));
        let n: usize = line[kind.len()..]
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(
            n >= 5,
            "at least five of each kind in the reference: {line}"
        );
        assert!(
            !line.contains("without"),
            "every annotation is complete: {line}"
        );
    }
}

#[test]
fn check_rejects_a_malformed_file_with_line_and_column_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    let good = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/kazakhstan-protests-2022.ron"),
    )
    .unwrap();
    let broken = good.replacen("version: 1,", "version: 1,,", 1);
    std::fs::write(&path, &broken).unwrap();
    let (ok, _, err) = tallymark(&["check", path.to_str().unwrap()]);
    assert!(!ok);
    let line = broken.lines().position(|l| l.contains("1,,")).unwrap() + 1;
    assert!(
        err.contains(&format!("broken.ron: line {line}, column")),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        broken,
        "input untouched"
    );
}

#[test]
fn check_reports_a_shifted_span() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shifted.ron");
    let good = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/kazakhstan-protests-2022.ron"),
    )
    .unwrap();
    // Move the first annotation's start by one char: the exact text no longer matches.
    let at = good.find("start: ").unwrap() + "start: ".len();
    let end = at + good[at..].find(',').unwrap();
    let n: usize = good[at..end].parse().unwrap();
    let shifted = format!("{}{}{}", &good[..at], n + 1, &good[end..]);
    std::fs::write(&path, &shifted).unwrap();
    let (ok, _, err) = tallymark(&["check", path.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("does not match the article"), "{err}");
}

#[test]
fn check_on_a_missing_file_names_it() {
    let (ok, _, err) = tallymark(&["check", "no/such/file.ron"]);
    assert!(!ok);
    assert!(err.contains("no/such/file.ron"), "{err}");
}

#[test]
fn fmt_is_idempotent_on_the_reference() {
    let (ok, out, err) = tallymark(&["fmt", "saves/kazakhstan-protests-2022.ron"]);
    assert!(ok, "{err}");
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/kazakhstan-protests-2022.ron"),
    )
    .unwrap();
    assert_eq!(
        out, committed,
        "the committed reference is in canonical form"
    );
}

#[test]
fn the_seed_article_is_the_unchanged_bundled_copy() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/kazakhstan-protests-2022.txt"),
    )
    .unwrap();
    // The file keeps its messy parts: unclosed quotes, the timeline's "6 months 1", © credits.
    assert!(text.contains("6 months 1"));
    assert!(text.contains("© AFP/Getty"));
    assert_eq!(
        tallymark::core::text::sha256_hex(&text),
        tallymark::core::persist::load(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/kazakhstan-protests-2022.ron")
        )
        .map(|d| tallymark::core::text::sha256_hex(d.text().as_str()))
        .unwrap(),
        "the reference annotations embed exactly the seed text"
    );
}

#[test]
fn the_example_in_the_format_doc_loads() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md"))
        .unwrap();
    let start = doc.find("```ron\n").expect("an example") + "```ron\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let parsed = tallymark::core::persist::parse(Path::new("docs/format.md"), &doc[start..end])
        .unwrap_or_else(|e| panic!("{e}"));
    let a = &parsed.annotations()[0];
    assert_eq!(a.exact, "More than 10,000");
    assert_eq!(a.figure().and_then(|f| f.value_low), Some(10_000.0));
}

#[test]
fn suggest_prints_figures_and_quotes_as_json_with_char_offsets() {
    let (ok, out, err) = tallymark(&[
        "suggest",
        "seeds/kazakhstan-protests-2022.txt",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/kazakhstan-protests-2022.txt"),
    )
    .unwrap();
    let chars: Vec<char> = text.chars().collect();
    let slice = |e: &serde_json::Value| -> String {
        let s = e["start"].as_u64().unwrap() as usize;
        let t = e["end"].as_u64().unwrap() as usize;
        chars[s..t].iter().collect()
    };
    let figures = v["figures"].as_array().expect("figures");
    let quotes = v["quotes"].as_array().expect("quotes");
    for f in figures {
        assert_eq!(slice(f), f["exact"].as_str().unwrap(), "offsets are chars");
        for key in [
            "value_low",
            "value_high",
            "qualifier",
            "metric",
            "who",
            "source",
        ] {
            assert!(f.get(key).is_some(), "{key} in {f}");
        }
    }
    let ten = figures
        .iter()
        .find(|f| f["exact"] == "more than 10,000")
        .expect("more than 10,000 is suggested");
    assert_eq!(ten["value_low"], 10_000.0);
    assert_eq!(ten["qualifier"], "more_than");
    assert_eq!(ten["metric"], "arrested");
    assert!(
        !figures
            .iter()
            .any(|f| f["exact"] == "1937" || f["exact"] == "20"),
        "years and ages are not figures"
    );
    for q in quotes {
        assert_eq!(slice(q), q["exact"].as_str().unwrap());
        assert!(q.get("speaker").is_some());
    }
    let tweet = quotes
        .iter()
        .find(|q| {
            q["exact"] == "Those who commit serious crimes will be punished according to the law."
        })
        .expect("the quote inside the marks");
    assert_eq!(tweet["speaker"], "Kassym-Jomart Tokayev");
    assert!(v.get("claims").is_none(), "claims only when asked for");
}

#[test]
fn a_saved_web_page_opens_as_its_readable_text() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("story.html");
    std::fs::write(
        &page,
        "<html><head><title>Site</title><script>var more_than = 10000;</script></head><body>\
         <nav>Home World</nav><article><h1>Toll rises</h1><p>More than 160 people were \
         killed, police said.</p></article><footer>24/7</footer></body></html>",
    )
    .unwrap();
    let (ok, out, err) = tallymark(&["suggest", page.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("“More than 160”"), "{out}");
    assert!(
        !out.contains("10000") && !out.contains("10,000"),
        "scripts are dropped: {out}"
    );
}

#[test]
fn reanchor_places_annotations_on_a_corrected_article_and_never_overwrites_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/kazakhstan-protests-2022.txt"),
    )
    .unwrap();
    let changed = seed
        .replace(
            "The largest and most violent protests",
            "CORRECTION: an earlier version misstated a date.\n\nThe largest and most violent protests",
        )
        .replace("More than 160 people", "More than 170 people")
        .replace("About 164 people were killed and ", "");
    let article = dir.path().join("changed.txt");
    std::fs::write(&article, &changed).unwrap();
    let reference =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/kazakhstan-protests-2022.ron");
    let copy = dir.path().join("kz.ron");
    std::fs::copy(&reference, &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    let out = dir.path().join("re.ron");
    let (ok, _, err) = tallymark(&[
        "reanchor",
        copy.to_str().unwrap(),
        article.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(
        err.contains("moved") && err.contains("matched fuzzily") && err.contains("1 orphaned"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        before,
        "the input is untouched"
    );
    let doc = tallymark::core::persist::load(&out).expect("the result loads");
    assert!(
        doc.annotations().iter().any(|a| a.exact == "More than 170"),
        "fuzzy match updated"
    );
    assert_eq!(
        doc.orphans().len(),
        1,
        "About 164 is kept as an orphan, not dropped"
    );
    assert_eq!(doc.annotations().len() + doc.orphans().len(), 51);

    let (ok, _, err) = tallymark(&[
        "reanchor",
        copy.to_str().unwrap(),
        article.to_str().unwrap(),
        "--in-place",
    ]);
    assert!(ok, "{err}");
    assert_eq!(
        std::fs::read(tallymark::core::persist::backup_path(&copy)).unwrap(),
        before,
        "--in-place keeps the old file as .bak"
    );
}

/// `tallymark bench --json --quick` prints one object with every documented field for each
/// of its sizes. (A debug build: this checks the contract and that every phase runs, not the
/// speed; the figures in the README come from a release build.)
#[test]
fn bench_quick_json_reports_every_field_for_each_size() {
    let (ok, out, err) = tallymark(&["bench", "--json", "--quick"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    let sizes = v["sizes"].as_array().expect("sizes");
    let bytes: Vec<u64> = sizes.iter().map(|s| s["bytes"].as_u64().unwrap()).collect();
    assert_eq!(bytes.len(), 3);
    for (got, want) in bytes.iter().zip([50_000, 250_000, 1_000_000]) {
        assert!((want..want + 2_000).contains(got), "{got} bytes for {want}");
    }
    for (s, want) in sizes.iter().zip([500, 2_500, 10_000]) {
        assert_eq!(
            s["annotations"].as_u64(),
            Some(want),
            "one per 100 bytes asked for"
        );
        for field in [
            "open_ms",
            "first_frame_ms",
            "frame_p50_ms",
            "frame_p95_ms",
            "baseline_frame_p95_ms",
            "edit_ms",
            "save_ms",
        ] {
            let x = s[field].as_f64().unwrap_or(-1.0);
            assert!(x > 0.0 && x.is_finite(), "{field} = {}", s[field]);
        }
        assert!(s["frame_p95_ms"].as_f64() >= s["frame_p50_ms"].as_f64());
        assert!(s["frames"].as_u64().unwrap() >= 100);
        assert_eq!(s["save_identical"], serde_json::Value::Bool(true));
        if cfg!(target_os = "linux") {
            assert!(s["peak_rss_mb"].as_f64().unwrap() > 1.0);
        }
    }
}

#[test]
fn check_reports_a_duplicate_mark_as_a_problem_and_fails() {
    use tallymark::core::{annotation::Kind, document::Document, edit::Edit, span::Span};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twice.ron");
    let mut doc = Document::from_article("Flood\n\nAt least 31 people died.\n", None);
    let span = Span { start: 7, end: 18 };
    for _ in 0..2 {
        let a = doc.new_annotation(Kind::Figure, span, "me", time::OffsetDateTime::UNIX_EPOCH);
        Edit::Insert(a).apply(&mut doc).unwrap();
    }
    tallymark::core::persist::save(&doc, &path).unwrap();
    let (ok, out, err) = tallymark(&["check", path.to_str().unwrap()]);
    assert!(!ok, "a duplicate fails the check: {out}{err}");
    assert!(out.contains("twice.ron: 1 problem"), "{out}");
    assert!(
        out.contains("problem: #2 repeats #1: the same figure on chars 7–18"),
        "{out}"
    );
    // It is a problem of the content, not a file that fails to load: the counts are there.
    assert!(out.contains("figure: 2"), "{out}");
}

#[test]
fn annotate_writes_one_checked_file_per_article_and_a_portable_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("story");
    let missing = dir.path().join("missing.txt");
    let (ok, stdout, stderr) = tallymark(&[
        "annotate",
        "seeds/marrow-valley-flood-courier.html",
        "seeds/marrow-valley-flood-herald.html",
        missing.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--workspace",
        "Marrow Valley",
    ]);
    assert!(!ok, "one article failed, so the exit code says so");
    assert!(stderr.contains("missing.txt"), "{stderr}");
    assert!(stderr.contains("1 of 3 articles not annotated"), "{stderr}");
    assert_eq!(stdout.matches("wrote ").count(), 2, "{stdout}");
    assert!(stdout.contains(" figures"), "{stdout}");
    for name in [
        "marrow-valley-flood-courier.ron",
        "marrow-valley-flood-herald.ron",
    ] {
        let file = out.join(name);
        let (ok, report, err) = tallymark(&["check", file.to_str().unwrap()]);
        assert!(ok, "{report}{err}");
        let doc = tallymark::core::persist::load(&file).unwrap();
        assert!(!doc.annotations().is_empty());
        assert!(
            doc.annotations()
                .iter()
                .all(|a| a.annotator == tallymark::core::annotate::SUGGESTER)
        );
    }
    // The workspace lists relative paths and opens from another folder after a move.
    let ws = out.join("marrow-valley.workspace.ron");
    let text = std::fs::read_to_string(&ws).unwrap();
    assert!(
        text.contains("\"marrow-valley-flood-courier.ron\""),
        "{text}"
    );
    assert!(
        !text.contains(dir.path().to_str().unwrap()),
        "no absolute path: {text}"
    );
    let moved = dir.path().join("handed-over");
    std::fs::rename(&out, &moved).unwrap();
    let (ok, table, err) = tallymark(&[
        "compare",
        moved.join("marrow-valley.workspace.ron").to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(table.contains("killed"), "{table}");
    // Nothing is replaced without --force.
    let (ok, _, err) = tallymark(&[
        "annotate",
        "seeds/marrow-valley-flood-courier.html",
        "-o",
        moved.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(err.contains("exists; not replaced (use --force)"), "{err}");
    let (ok, _, err) = tallymark(&[
        "annotate",
        "seeds/marrow-valley-flood-courier.html",
        "-o",
        moved.to_str().unwrap(),
        "--force",
        "--accept",
        "quotes",
    ]);
    assert!(ok, "{err}");
    let doc =
        tallymark::core::persist::load(&moved.join("marrow-valley-flood-courier.ron")).unwrap();
    assert!(
        doc.annotations()
            .iter()
            .all(|a| a.kind() == tallymark::core::annotation::Kind::Quote)
    );
}

#[test]
fn check_prints_provenance_counts_and_problems_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        r#"<html lang="en"><head><meta property="og:site_name" content="Steppe Wire">
        <meta property="og:title" content="Toll reaches 164">
        <meta property="article:published_time" content="2022-01-10">
        </head><body><p>Officials said 164 people were killed.</p></body></html>"#,
    )
    .unwrap();
    let (ok, _, err) = tallymark(&[
        "annotate",
        page.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let file = dir.path().join("page.ron");
    let (ok, out, err) = tallymark(&["check", file.to_str().unwrap(), "--format", "json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["article"]["title"], "Toll reaches 164");
    assert_eq!(v["article"]["outlet"], "Steppe Wire");
    assert_eq!(v["article"]["published"], "2022-01-10");
    assert_eq!(v["article"]["language"], "en");
    assert_eq!(v["article"]["url"], serde_json::Value::Null);
    assert_eq!(v["counts"]["figure"], 1);
    assert_eq!(v["counts"]["quote"], 0);
    assert_eq!(v["problems"], serde_json::json!([]));
}

#[test]
fn bench_story_reports_open_ledger_and_compare_frames() {
    let (ok, out, err) = tallymark(&["bench", "--story", "40", "--quick", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["articles"], 40);
    for field in [
        "figures",
        "open_ms",
        "ledger_ms",
        "claims",
        "conflicts",
        "compare_first_frame_ms",
        "compare_frame_p50_ms",
        "compare_frame_p95_ms",
    ] {
        assert!(v[field].is_number(), "{field} in {out}");
    }
    assert!(v["claims"].as_u64().unwrap() > 0);
}

/// Writing into a folder that does not exist says so, naming the folder.
#[test]
fn an_output_in_a_missing_folder_names_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nowhere").join("x.json");
    let (ok, _, err) = tallymark(&[
        "export",
        "saves/kazakhstan-protests-2022.ron",
        "--to",
        "w3c",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        err.contains(&format!(
            "the folder {} does not exist",
            dir.path().join("nowhere").display()
        )),
        "{err}"
    );
}
