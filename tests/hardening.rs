//! Hardening of the command line (issue 16): closed pipes, terminal escapes, long input in
//! messages, outputs that exist, the app's lock, and workspace entries outside their folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tallymark::core::annotation::{Attributes, FigureAttrs, Kind};
use tallymark::core::document::Document;
use tallymark::core::edit::Edit;
use tallymark::core::persist;
use tallymark::core::span::Span;

const REFERENCE: &str = "saves/kazakhstan-protests-2022.ron";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn tallymark(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tallymark"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A copy of the bundled reference in `dir`.
fn reference_copy(dir: &Path, name: &str) -> PathBuf {
    let copy = dir.join(name);
    std::fs::copy(root().join(REFERENCE), &copy).unwrap();
    copy
}

/// `tallymark … | head -1`: the reader goes away; the command stops quietly with success
/// instead of panicking with "failed printing to stdout".
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let commands: &[&[&str]] = &[
        &["check", REFERENCE],
        &["check", REFERENCE, "--format", "json"],
        &["compare", REFERENCE],
        &["compare", REFERENCE, "--format", "csv"],
        &["compare", "saves/marrow-valley-flood.workspace.ron"],
        &["suggest", REFERENCE],
        &[
            "agree",
            REFERENCE,
            "saves/kazakhstan-protests-2022.annotator-b.ron",
        ],
        &["fmt", REFERENCE],
        &["export", REFERENCE, "--to", "w3c"],
        &["export", REFERENCE, "--to", "md"],
    ];
    for args in commands {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tallymark"))
            .args(*args)
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader closes its end before (or while) the command writes.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.status.success(), "{args:?}: {:?} {err}", out.status);
    }
}

const ESCAPES: [char; 5] = ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{2066}'];

/// A document whose title, figure text, who and source carry terminal escapes (and a
/// right-to-left override and isolate, which reorder what a terminal shows).
fn escaping_document() -> Document {
    let text = "Officials said \u{1b}[31m12\u{7} people died. \
                \u{201c}We saw \u{1b}]0;pwned\u{7}it,\u{201d} said \u{1b}[2JAli.\n";
    let mut doc = Document::from_article(text, None);
    "Red \u{1b}[31mtitle\u{7} \u{9b}2J".clone_into(&mut doc.meta.title);
    let start = text.chars().position(|c| c == '\u{1b}').unwrap();
    let span = Span {
        start,
        end: start + "\u{1b}[31m12\u{7}".chars().count(),
    };
    let mut a = doc.new_annotation(
        Kind::Figure,
        span,
        "a\u{1b}[5mnnotator",
        time::OffsetDateTime::UNIX_EPOCH,
    );
    a.attributes = Attributes::Figure(FigureAttrs {
        value_low: Some(12.0),
        metric: "killed".into(),
        who: "people \u{1b}[31m \u{202e}deliah\u{2066}".into(),
        source: "officials\u{7}".into(),
        ..FigureAttrs::default()
    });
    Edit::Insert(a).apply(&mut doc).unwrap();
    doc
}

fn assert_no_escape(what: &str, out: &str) {
    assert!(
        !out.contains(ESCAPES),
        "{what} printed a control character: {out:?}"
    );
}

/// Text from articles printed in tables (check, compare, suggest, agree, annotate) never
/// carries control characters to the terminal.
#[test]
fn table_output_never_carries_terminal_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("esc.ron");
    let other = dir.path().join("esc-b.ron");
    persist::save(&escaping_document(), &file).unwrap();
    persist::save(&escaping_document(), &other).unwrap();
    let article = dir.path().join("esc.txt");
    std::fs::write(&article, escaping_document().text().as_str()).unwrap();
    let out_dir = dir.path().join("out");
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("check", vec!["check", s(&file)]),
        ("compare", vec!["compare", s(&file), s(&other)]),
        ("suggest", vec!["suggest", s(&file)]),
        ("agree", vec!["agree", s(&file), s(&other)]),
        (
            "annotate",
            vec![
                "annotate",
                s(&article),
                "-o",
                s(&out_dir),
                "--workspace",
                "W\u{1b}[31m",
            ],
        ),
    ];
    let mut shown = false;
    for (what, args) in runs {
        let (_, out, err) = tallymark(&args);
        assert!(!out.trim().is_empty(), "{what} printed nothing: {err}");
        assert_no_escape(what, &out);
        assert_no_escape(what, &err);
        shown |= out.contains('\u{fffd}');
    }
    assert!(shown, "the escapes are shown as U+FFFD");
}

/// A workspace entry of 200,000 chars is named at most ~100 chars long.
#[test]
fn a_huge_workspace_entry_is_quoted_short() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.workspace.ron");
    let long = format!("{}.ron", "a".repeat(200_000));
    std::fs::write(
        &ws,
        format!("(format: \"tallymark-workspace\", version: 1, documents: [\"{long}\"])"),
    )
    .unwrap();
    let (ok, _, err) = tallymark(&["compare", s(&ws)]);
    assert!(!ok);
    assert!(err.len() < 2_000, "{} bytes of message", err.len());
    assert!(err.contains("aaaa"), "{err}");
}

/// `export --to brat -o story` does not replace an existing `story.txt` (often the very
/// article) or `story.ann` without `--force`, and says which file.
#[test]
fn export_never_replaces_an_existing_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let file = reference_copy(dir.path(), "kz.ron");
    let stem = dir.path().join("story");
    std::fs::write(stem.with_extension("txt"), "the article, by hand").unwrap();
    let (ok, _, err) = tallymark(&["export", s(&file), "--to", "brat", "-o", s(&stem)]);
    assert!(!ok);
    assert!(
        err.contains("story.txt exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(stem.with_extension("txt")).unwrap(),
        "the article, by hand"
    );
    assert!(!stem.with_extension("ann").exists(), "nothing half-written");
    let (ok, _, err) = tallymark(&[
        "export",
        s(&file),
        "--to",
        "brat",
        "-o",
        s(&stem),
        "--force",
    ]);
    assert!(ok, "{err}");
    assert!(
        std::fs::read_to_string(stem.with_extension("ann"))
            .unwrap()
            .starts_with('T')
    );

    // One file formats too.
    let html = dir.path().join("r.html");
    std::fs::write(&html, "mine").unwrap();
    let (ok, _, err) = tallymark(&["export", s(&file), "--to", "html", "-o", s(&html)]);
    assert!(!ok && err.contains("r.html exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&html).unwrap(), "mine");
}

/// `import -o` onto an existing file needs `--force` (and keeps a `.bak`); onto the input
/// it is refused even with it.
#[test]
fn import_never_replaces_an_existing_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let file = reference_copy(dir.path(), "kz.ron");
    let stem = dir.path().join("story");
    let (ok, _, err) = tallymark(&["export", s(&file), "--to", "brat", "-o", s(&stem)]);
    assert!(ok, "{err}");
    let ann = stem.with_extension("ann");
    let target = dir.path().join("mine.ron");
    std::fs::write(&target, "precious").unwrap();
    let (ok, _, err) = tallymark(&["import", s(&ann), "-o", s(&target)]);
    assert!(!ok && err.contains("mine.ron exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
    let (ok, _, err) = tallymark(&["import", s(&ann), "-o", s(&target), "--force"]);
    assert!(ok, "{err}");
    assert_eq!(
        std::fs::read_to_string(persist::backup_path(&target)).unwrap(),
        "precious"
    );
    let (ok, _, err) = tallymark(&["import", s(&ann), "-o", s(&ann), "--force"]);
    assert!(!ok && err.contains("is an input"), "{err}");
}

/// `reanchor a.ron a.ron -o a.ron`: `-o` naming the input is refused (only `--in-place`
/// replaces it, keeping a `.bak`).
#[test]
fn reanchor_output_onto_the_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = reference_copy(dir.path(), "kz.ron");
    let before = std::fs::read(&file).unwrap();
    let (ok, _, err) = tallymark(&["reanchor", s(&file), s(&file), "-o", s(&file)]);
    assert!(!ok && err.contains("is an input"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
    let (ok, _, err) = tallymark(&["reanchor", s(&file), s(&file), "--in-place"]);
    assert!(ok, "{err}");
    assert_eq!(std::fs::read(persist::backup_path(&file)).unwrap(), before);
    assert!(persist::load(&file).is_ok());
}

/// A file open in the app (another process holds its lock) is not written by the command
/// line; the message names the holder's pid.
#[cfg(target_os = "linux")]
#[test]
fn a_file_locked_by_another_process_is_not_written() {
    use tallymark::core::lock::{Lock, lock_path};
    let dir = tempfile::tempdir().unwrap();
    let file = reference_copy(dir.path(), "kz.ron");
    let before = std::fs::read(&file).unwrap();
    let lock = Lock::acquire(&file).unwrap().expect("a lock");
    let pid = std::process::id().to_string();
    let runs: [Vec<&str>; 3] = [
        vec!["fmt", s(&file), "-o", s(&file)],
        vec!["reanchor", s(&file), s(&file), "--in-place"],
        vec!["export", s(&file), "--to", "w3c", "-o", s(&file), "--force"],
    ];
    for args in &runs {
        let (ok, _, err) = tallymark(args);
        assert!(!ok, "{args:?}");
        assert!(err.contains(&format!("process {pid}")), "{args:?}: {err}");
        assert_eq!(std::fs::read(&file).unwrap(), before, "{args:?}");
    }
    drop(lock);
    assert!(!lock_path(&file).exists());
    let (ok, _, err) = tallymark(&["fmt", s(&file), "-o", s(&file)]);
    assert!(ok, "{err}");
    assert!(
        !lock_path(&file).exists(),
        "the command line's lock is released"
    );
}

/// A workspace listing files outside its folder's tree that are not annotation files: they
/// are named, never opened nor quoted, and the others are compared.
#[test]
fn workspace_entries_outside_its_folder_are_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("story");
    let folder = story.join("review");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::create_dir_all(story.join("saves")).unwrap();
    reference_copy(&story.join("saves"), "kz.ron");
    let secret = dir.path().join("secret");
    std::fs::write(&secret, "SECRETWORD:x:0:0:root:/root:/bin/sh\n").unwrap();
    let ws = folder.join("w.workspace.ron");
    std::fs::write(
        &ws,
        format!(
            "(format: \"tallymark-workspace\", version: 1, documents: [\"../saves/kz.ron\", \"../../secret\", {:?}])",
            s(&secret)
        ),
    )
    .unwrap();
    let (ok, out, err) = tallymark(&["compare", s(&ws)]);
    assert!(ok, "{err}");
    assert!(!out.is_empty());
    assert!(
        err.contains("secret is outside the workspace's folder; not opened"),
        "{err}"
    );
    assert!(
        !err.contains("SECRETWORD") && !out.contains("SECRETWORD"),
        "{err}"
    );

    // Nothing left to compare: a failure, still without the content.
    std::fs::write(
        &ws,
        "(format: \"tallymark-workspace\", version: 1, documents: [\"../../secret\"])",
    )
    .unwrap();
    let (ok, _, err) = tallymark(&["compare", s(&ws)]);
    assert!(!ok);
    assert!(
        err.contains("not opened") && !err.contains("SECRETWORD"),
        "{err}"
    );
}

/// A bad argument is quoted back without its escapes or direction overrides (a file name
/// from anywhere can be one), with clap's exit code for a usage error.
#[test]
fn a_bad_argument_is_echoed_without_escapes() {
    let bad = "x\u{1b}]0;pwned\u{7}\u{202e}y";
    let out = Command::new(env!("CARGO_BIN_EXE_tallymark"))
        .args(["compare", "--format", bad, "a.ron"])
        .output()
        .expect("binary runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty());
    assert!(err.contains("invalid value"), "{err}");
    assert_no_escape("a usage error", &err);
}
