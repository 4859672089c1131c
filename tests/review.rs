//! Review mode and `tallymark agree` on the bundled second annotator's file.

use std::path::{Path, PathBuf};
use std::process::Command;

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::{Harness, kittest::Queryable as _};
use tallymark::core::editor::Editor;
use tallymark::core::persist;
use tallymark::core::review::Decision;
use tallymark::core::settings::{Dirs, Settings};
use tallymark::ui::TallymarkApp;
use tallymark::ui::app::Tab;
use tallymark::ui::file_dialog::{DialogAnswer, ScriptedDialogs};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn agree_prints_the_table_and_json() {
    let out = Command::new(env!("CARGO_BIN_EXE_tallymark"))
        .args([
            "agree",
            "saves/kazakhstan-protests-2022.ron",
            "saves/kazakhstan-protests-2022.annotator-b.ron",
            "--format",
            "json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pair = &v["pairs"][0];
    assert!(pair["a"].as_str().unwrap().starts_with("reference"));
    assert!(pair["b"].as_str().unwrap().starts_with("annotator-b"));
    let figure = pair["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "figure")
        .unwrap();
    let exact = figure["exact"]["f1"].as_f64().unwrap();
    let overlap = figure["overlap"]["f1"].as_f64().unwrap();
    assert!(
        exact < 1.0 && overlap >= exact,
        "b differs on purpose: {figure}"
    );
    assert!(figure["same_value"]["n"].as_u64() < figure["same_value"]["of"].as_u64());

    let different = Command::new(env!("CARGO_BIN_EXE_tallymark"))
        .args([
            "agree",
            "saves/kazakhstan-protests-2022.ron",
            "saves/marrow-valley-flood-herald.ron",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(!different.status.success());
    assert!(String::from_utf8_lossy(&different.stderr).contains("different text"));
}

#[test]
fn review_tab_lists_disputes_and_saves_an_adjudicated_file_without_touching_inputs() {
    let scratch = tempfile::tempdir().unwrap();
    let dirs = Dirs {
        config: scratch.path().join("config"),
        saves: scratch.path().join("saves"),
    };
    let reference = fixture("saves/kazakhstan-protests-2022.ron");
    let other = fixture("saves/kazakhstan-protests-2022.annotator-b.ron");
    let before = (
        std::fs::read(&reference).unwrap(),
        std::fs::read(&other).unwrap(),
    );
    let out = scratch.path().join("adjudicated.ron");
    // The file dialogs answer as a user would: the second annotator's file, then where the
    // adjudicated file goes, first (wrongly) one of the reviewed files, then a new one.
    let dialogs = ScriptedDialogs::new([
        DialogAnswer::Chosen(other.clone()),
        DialogAnswer::Chosen(reference.clone()),
        DialogAnswer::Chosen(out.clone()),
    ]);
    let app = TallymarkApp::new(
        Editor::open(&reference).unwrap(),
        Settings::default(),
        dirs,
        false,
    )
    .with_file_dialogs(Box::new(dialogs));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut TallymarkApp| app.frame_ui(ui), app);
    h.run();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Add article to workspace").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    h.run();
    assert_eq!(h.state().tab, Tab::Review);
    assert_eq!(h.state().review.group.len(), 2);
    let disputed = h.state().review.disputed();
    assert!(disputed >= 10, "annotator-b differs on purpose: {disputed}");
    assert_eq!(h.state().review.decided(), 0);

    // Take a version by clicking, as a reviewer would.
    h.get_all_by_label("Take")
        .next()
        .expect("a Take button")
        .click();
    h.run();
    assert_eq!(h.state().review.decided(), 1);

    // Decide the rest: the reference's version where there is one, else the other's.
    let decisions: Vec<Option<Decision>> = h
        .state()
        .review
        .clusters
        .iter()
        .zip(&h.state().review.decisions)
        .map(|(c, d)| {
            if c.agreed {
                None
            } else {
                d.or(Some(Decision::Take(
                    c.versions.iter().position(|v| v.doc == 0).unwrap_or(0),
                )))
            }
        })
        .collect();
    h.state_mut().review.decisions = decisions;
    h.run();
    assert_eq!(h.state().review.decided(), disputed);

    // Refuses to write over a reviewed file.
    let n = h.state().editors().len();
    h.get_by_label("Save adjudicated file…").click();
    h.run();
    assert_eq!(h.state().editors().len(), n);
    assert!(h.state().notices().iter().any(|x| x.is_error));
    h.get_by_label("Save adjudicated file…").click();
    h.run();
    let saved = persist::load(&out).expect("the adjudicated file loads");
    assert!(
        saved.annotations().iter().all(|a| !a.note.is_empty()),
        "who decided is recorded"
    );
    assert!(
        saved
            .annotations()
            .iter()
            .any(|a| a.note.contains("Agreed by reference, annotator-b"))
    );
    assert!(
        saved
            .annotations()
            .iter()
            .any(|a| a.note.contains("Adjudicated by reviewer"))
    );
    assert!(
        saved
            .annotations()
            .iter()
            .any(|a| a.annotator == "annotator-b"),
        "who annotated what"
    );
    assert_eq!(
        (
            std::fs::read(&reference).unwrap(),
            std::fs::read(&other).unwrap()
        ),
        before,
        "the reviewed files are unchanged"
    );
}
