//! Reviewing suggestions in the app, through `egui_kittest`: N, Enter, X, accept all, undo,
//! and rejections that survive a save.

use std::path::{Path, PathBuf};

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::{Harness, kittest::Queryable as _};
use tallymark::core::annotation::{Attributes, Kind};
use tallymark::core::editor::Editor;
use tallymark::core::persist;
use tallymark::core::settings::{Dirs, Settings};
use tallymark::ui::TallymarkApp;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn harness_for(path: &Path, scratch: &Path) -> Harness<'static, TallymarkApp> {
    let editor = Editor::open(path).expect("fixture opens");
    let dirs = Dirs {
        config: scratch.join("config"),
        saves: scratch.join("saves"),
    };
    let app = TallymarkApp::new(editor, Settings::default(), dirs, false);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut TallymarkApp| app.frame_ui(ui), app);
    h.run();
    h
}

#[test]
fn the_seed_article_opens_with_suggestions_and_enter_accepts_one() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = harness_for(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch.path(),
    );
    let open = h.state().suggest.open().len();
    assert!(open >= 20, "figures and quotes suggested on open: {open}");
    assert!(h.state().editor().doc().annotations().is_empty());

    h.key_press(Key::N);
    h.run();
    let focused = h
        .state()
        .suggest
        .focused()
        .cloned()
        .expect("N focuses the first");
    assert_eq!(focused.span, h.state().suggest.open()[0].span);
    h.key_press(Key::Enter);
    h.run();
    let doc = h.state().editor().doc();
    assert_eq!(doc.annotations().len(), 1);
    let a = &doc.annotations()[0];
    assert_eq!((a.kind(), a.span), (focused.kind, focused.span));
    assert_eq!(
        a.attributes, focused.attributes,
        "parsed attributes filled in"
    );
    assert_eq!(
        h.state().suggest.open().len(),
        open - 1,
        "no longer suggested"
    );
    // The focus moved on to the next suggestion.
    assert_ne!(
        h.state().suggest.focused().map(|c| c.span),
        Some(focused.span)
    );

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h.state().editor().doc().annotations().is_empty());
    assert_eq!(
        h.state().suggest.open().len(),
        open,
        "undo brings the suggestion back"
    );
}

#[test]
fn x_rejects_and_the_file_remembers_it() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = harness_for(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch.path(),
    );
    let open = h.state().suggest.open().len();
    h.key_press(Key::N);
    h.run();
    let rejected = h.state().suggest.focused().cloned().unwrap();
    h.key_press(Key::X);
    h.run();
    assert_eq!(h.state().suggest.open().len(), open - 1);
    assert!(
        h.state().editor().doc().annotations().is_empty(),
        "nothing annotated"
    );
    assert!(
        h.state().editor().is_dirty(),
        "a rejection is a change to save"
    );

    let saved = scratch.path().join("reviewed.ron");
    h.state_mut().editor_mut().save_path = Some(saved.clone());
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.step();
    // Saves are written on a background thread: wait for it.
    h.state_mut().finish_saves();
    h.run();
    assert!(!h.state().editor().is_dirty());
    let reopened = persist::load(&saved).unwrap();
    assert_eq!(reopened.rejected().len(), 1);
    assert_eq!(reopened.rejected()[0].span, rejected.span);

    // Reopened, the rejected suggestion does not come back.
    let h2 = harness_for(&saved, scratch.path());
    assert_eq!(h2.state().suggest.open().len(), open - 1);
    assert!(
        !h2.state()
            .suggest
            .open()
            .iter()
            .any(|c| c.span == rejected.span && c.kind == rejected.kind)
    );
}

#[test]
fn accept_all_figures_is_one_undo_step() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = harness_for(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch.path(),
    );
    let figures: Vec<_> = h
        .state()
        .suggest
        .open()
        .iter()
        .filter(|c| c.kind == Kind::Figure)
        .cloned()
        .collect();
    assert!(figures.len() >= 10, "{figures:?}");
    h.get_by_label("Accept all figures").click();
    h.run();
    let doc = h.state().editor().doc();
    assert_eq!(doc.count(Kind::Figure), figures.len());
    let ten_thousand = doc
        .annotations()
        .iter()
        .find(|a| a.exact == "more than 10,000")
        .expect("the 10,000 figure");
    match &ten_thousand.attributes {
        Attributes::Figure(f) => {
            assert_eq!(f.value_low, Some(10_000.0));
            assert_eq!(f.metric, "arrested");
            assert_eq!(f.source, "previous official estimates");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        !h.state()
            .suggest
            .open()
            .iter()
            .any(|c| c.kind == Kind::Figure)
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().editor().doc().count(Kind::Figure),
        0,
        "one undo step"
    );
}

#[test]
fn suggestion_keys_do_nothing_while_typing() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = harness_for(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch.path(),
    );
    h.get_by_label("Filter").click();
    h.run();
    h.get_by_label("Filter").type_text("nxa");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().suggest.focus, None);
    assert!(h.state().editor().doc().annotations().is_empty());
    assert!(!h.state().editor().is_dirty());
}

#[test]
fn delete_rejects_the_focused_suggestion_when_no_annotation_is_selected() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = harness_for(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch.path(),
    );
    let open = h.state().suggest.open().len();
    h.key_press(Key::P);
    h.run();
    let last = h.state().suggest.focused().cloned().unwrap();
    assert_eq!(
        Some(&last),
        h.state().suggest.open().last().map(AsRef::as_ref),
        "P from the top wraps to the end"
    );
    h.key_press(Key::Delete);
    h.run();
    assert_eq!(h.state().suggest.open().len(), open - 1);
    assert_eq!(h.state().editor().doc().rejected()[0].span, last.span);
}

#[test]
fn a_book_length_text_is_searched_off_the_ui_thread() {
    let seed = std::fs::read_to_string(fixture("seeds/kazakhstan-protests-2022.txt")).unwrap();
    let book = std::iter::repeat_n(seed.as_str(), 40)
        .collect::<Vec<_>>()
        .join("\n\n");
    assert!(book.chars().count() > tallymark::ui::suggestions::BACKGROUND_THRESHOLD_CHARS);
    let doc = tallymark::core::document::Document::from_article(&book, None);
    let editor = Editor::new(doc, tallymark::core::editor::Origin::Builtin);
    let scratch = tempfile::tempdir().unwrap();
    let dirs = Dirs {
        config: scratch.path().join("config"),
        saves: scratch.path().join("saves"),
    };
    let app = TallymarkApp::new(editor, Settings::default(), dirs, false);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut TallymarkApp| app.frame_ui(ui), app);
    h.run_steps(1);
    assert!(
        h.state().suggest.running(),
        "the first frame does not wait for the search"
    );
    // Frames keep coming while it runs; the result arrives on a later one.
    for _ in 0..2_000 {
        h.run_steps(1);
        if !h.state().suggest.running() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(
        !h.state().suggest.running(),
        "the background search finished"
    );
    let figures = h
        .state()
        .suggest
        .open()
        .iter()
        .filter(|c| c.kind == Kind::Figure)
        .count();
    assert_eq!(
        figures % 40,
        0,
        "every copy of the article gives the same figures: {figures}"
    );
    assert!(figures >= 400);
}
