//! Never lose work: recovery copies after a crash, backups, and saves that fail.

use std::path::{Path, PathBuf};

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::{Harness, kittest::Queryable as _};
use tallymark::core::annotation::Kind;
use tallymark::core::edit::Edit;
use tallymark::core::editor::Editor;
use tallymark::core::settings::{Dirs, Settings};
use tallymark::core::span::Span;
use tallymark::ui::TallymarkApp;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn dirs(scratch: &Path) -> Dirs {
    Dirs {
        config: scratch.join("config"),
        saves: scratch.join("data").join("saves"),
    }
}

fn harness(app: TallymarkApp) -> Harness<'static, TallymarkApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut TallymarkApp| app.frame_ui(ui), app);
    h.run();
    h
}

/// Presses Ctrl+S and waits for the save, which is written on a background thread.
fn save_and_wait(h: &mut Harness<'static, TallymarkApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.step();
    h.state_mut().finish_saves();
    h.run();
}

/// An app on a copy of the reference annotations, with one unsaved new figure.
fn app_with_unsaved_work(scratch: &Path) -> (TallymarkApp, PathBuf) {
    let file = scratch.join("mine.ron");
    std::fs::copy(fixture("saves/kazakhstan-protests-2022.ron"), &file).unwrap();
    let mut app = TallymarkApp::new(
        Editor::open(&file).unwrap(),
        Settings::default(),
        dirs(scratch),
        false,
    );
    let doc = app.editor().doc();
    let a = doc.new_annotation(
        Kind::Figure,
        Span {
            start: 255,
            end: 257,
        },
        "me",
        time::OffsetDateTime::UNIX_EPOCH,
    );
    app.editor_mut().apply(vec![Edit::Insert(a)], None).unwrap();
    (app, file)
}

/// Another program rewrites `file` (a different, valid version); returns it and its bytes.
fn rewritten_elsewhere(file: &Path) -> (tallymark::core::document::Document, Vec<u8>) {
    let mut theirs = tallymark::core::persist::load(file).unwrap();
    let first = theirs.annotations()[0].id;
    Edit::Remove(first).apply(&mut theirs).unwrap();
    let bytes = tallymark::core::persist::to_ron(&theirs)
        .unwrap()
        .into_bytes();
    tallymark::core::persist::write_atomic(file, &bytes).unwrap();
    (theirs, bytes)
}

#[test]
fn a_crash_leaves_a_recovery_copy_that_the_next_start_offers_to_restore() {
    let scratch = tempfile::tempdir().unwrap();
    let (mut app, file) = app_with_unsaved_work(scratch.path());
    let on_disk = std::fs::read(&file).unwrap();
    let unsaved = app.editor().doc().annotations().len();
    app.autosave_now();
    assert_eq!(
        std::fs::read(&file).unwrap(),
        on_disk,
        "never written over the user's file"
    );
    drop(app); // the crash: no clean exit

    let app = TallymarkApp::new(
        Editor::open(&file).unwrap(),
        Settings::default(),
        dirs(scratch.path()),
        false,
    );
    assert_eq!(app.recoverable.len(), 1);
    let mut h = harness(app);
    h.get_by_label("Recover unsaved work?");
    h.get_by_label("Restore").click();
    h.run();
    let st = h.state();
    assert!(st.recoverable.is_empty());
    assert_eq!(
        st.editor().doc().annotations().len(),
        unsaved,
        "the unsaved figure is back"
    );
    assert!(st.editor().is_dirty(), "restored work still needs saving");
    assert_eq!(st.editor().save_path.as_deref(), Some(file.as_path()));
    // Saving it writes the user's file and leaves a backup of the old one.
    save_and_wait(&mut h);
    assert!(!h.state().editor().is_dirty());
    assert_eq!(
        std::fs::read(tallymark::core::persist::backup_path(&file)).unwrap(),
        on_disk
    );
    h.state_mut().autosave_now();
    assert!(
        tallymark::core::recovery::list(&h.state().recovery_dir()).is_empty(),
        "saved: nothing to recover"
    );
}

#[test]
fn discarding_the_recovery_copy_removes_it() {
    let scratch = tempfile::tempdir().unwrap();
    let (mut app, file) = app_with_unsaved_work(scratch.path());
    app.autosave_now();
    drop(app);
    let app = TallymarkApp::new(
        Editor::open(&file).unwrap(),
        Settings::default(),
        dirs(scratch.path()),
        false,
    );
    let mut h = harness(app);
    h.get_by_label("Discard").click();
    h.run();
    assert!(h.state().recoverable.is_empty());
    assert!(tallymark::core::recovery::list(&h.state().recovery_dir()).is_empty());
    assert_eq!(h.state().editors().len(), 1);
}

#[test]
fn a_save_that_fails_keeps_the_old_file_and_the_work() {
    let scratch = tempfile::tempdir().unwrap();
    let (app, file) = app_with_unsaved_work(scratch.path());
    let on_disk = std::fs::read(&file).unwrap();
    let mut h = harness(app);
    // The target is now a directory: the write must fail.
    let blocked = scratch.path().join("blocked.ron");
    std::fs::create_dir(&blocked).unwrap();
    h.state_mut().editor_mut().save_path = Some(blocked.clone());
    save_and_wait(&mut h);
    assert!(
        h.state().editor().is_dirty(),
        "the unsaved work stays in the app"
    );
    assert!(
        h.state()
            .notices()
            .iter()
            .any(|n| n.is_error && n.text.contains("Not saved"))
    );
    assert!(blocked.is_dir());
    assert_eq!(std::fs::read(&file).unwrap(), on_disk);
}

#[test]
fn saving_over_a_file_changed_elsewhere_asks_first() {
    let scratch = tempfile::tempdir().unwrap();
    let (app, file) = app_with_unsaved_work(scratch.path());
    let mut h = harness(app);
    // Another program rewrites the file (here: a different, valid version).
    let (_, their_bytes) = rewritten_elsewhere(&file);

    save_and_wait(&mut h);
    assert!(
        h.state().disk_conflict().is_some(),
        "the save stopped to ask"
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        their_bytes,
        "nothing overwritten yet"
    );
    h.get_by_label("The file changed on disk");
    h.get_by_label("Keep mine").click();
    h.step();
    h.state_mut().finish_saves();
    h.run();
    assert!(!h.state().editor().is_dirty());
    assert_eq!(
        tallymark::core::persist::load(&file).unwrap().annotations(),
        h.state().editor().doc().annotations(),
        "mine is on disk now"
    );
    assert_eq!(
        std::fs::read(tallymark::core::persist::backup_path(&file)).unwrap(),
        their_bytes,
        "theirs is kept as .bak"
    );
}

#[test]
fn reload_from_disk_takes_the_other_version() {
    let scratch = tempfile::tempdir().unwrap();
    let (app, file) = app_with_unsaved_work(scratch.path());
    let mut h = harness(app);
    let (theirs, _) = rewritten_elsewhere(&file);
    save_and_wait(&mut h);
    h.get_by_label("Reload from disk").click();
    h.run();
    assert_eq!(h.state().editor().doc().annotations(), theirs.annotations());
    assert!(!h.state().editor().is_dirty());
}

#[test]
fn a_very_large_file_opens_in_the_background_and_cancel_works() {
    let scratch = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(fixture("seeds/kazakhstan-protests-2022.txt")).unwrap();
    let big = scratch.path().join("book.txt");
    let copies = (tallymark::ui::loading::BACKGROUND_BYTES as usize / seed.len()) + 2;
    std::fs::write(
        &big,
        std::iter::repeat_n(seed.as_str(), copies)
            .collect::<Vec<_>>()
            .join("\n\n"),
    )
    .unwrap();
    let app = TallymarkApp::new(
        Editor::open(&fixture("saves/kazakhstan-protests-2022.ron")).unwrap(),
        Settings::default(),
        dirs(scratch.path()),
        false,
    );
    let mut h = harness(app);

    // Cancel.
    h.state_mut().open_path(&big);
    assert!(h.state().loading.is_some(), "read in the background");
    // What the dialog's Cancel button does (clicking it would race the reader thread).
    h.state().loading.as_ref().unwrap().cancel();
    for _ in 0..3_000 {
        h.run_steps(1);
        if h.state().loading.is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(h.state().loading.is_none());
    assert_eq!(h.state().editors().len(), 1);
    assert!(
        h.state().editor().doc().text().len_chars() < 10_000,
        "what was open stays open"
    );

    // And to the end.
    h.state_mut().open_path(&big);
    for _ in 0..6_000 {
        h.run_steps(1);
        if h.state().loading.is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(h.state().loading.is_none(), "finished");
    assert!(h.state().editor().doc().text().len_chars() > 16_000_000);
}

#[test]
fn a_file_open_in_another_window_gives_a_warning() {
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("shared.ron");
    std::fs::copy(fixture("saves/kazakhstan-protests-2022.ron"), &file).unwrap();
    // Another live process holds it (pid 1 always runs on Linux).
    std::fs::write(tallymark::core::lock::lock_path(&file), "1").unwrap();
    let app = TallymarkApp::new(
        Editor::open(&file).unwrap(),
        Settings::default(),
        dirs(scratch.path()),
        false,
    );
    let mut h = harness(app);
    h.run();
    if cfg!(target_os = "linux") {
        let warnings: Vec<_> = h
            .state()
            .notices()
            .iter()
            .filter(|n| n.text.contains("another Tallymark window"))
            .collect();
        assert_eq!(warnings.len(), 1, "warned once");
    }
    // Our own lock is taken on a file nobody else has, and released when it closes.
    let mine = scratch.path().join("mine.ron");
    std::fs::copy(fixture("saves/kazakhstan-protests-2022.ron"), &mine).unwrap();
    h.state_mut().open_path(&mine);
    h.run();
    assert!(tallymark::core::lock::lock_path(&mine).exists());
    drop(h);
    assert!(
        !tallymark::core::lock::lock_path(&mine).exists(),
        "released with the app"
    );
}

#[test]
fn a_background_save_writes_the_snapshot_and_later_edits_stay_unsaved() {
    let scratch = tempfile::tempdir().unwrap();
    let (app, file) = app_with_unsaved_work(scratch.path());
    let mut h = harness(app);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.step();
    // What a synchronous save of the state at Ctrl+S writes.
    let expected = tallymark::core::persist::to_ron(h.state().editor().doc()).unwrap();
    // An edit while the writer may still be running: it is not in the snapshot.
    let first = h.state().editor().doc().annotations()[0].id;
    h.state_mut()
        .editor_mut()
        .apply(vec![Edit::Remove(first)], None)
        .unwrap();
    h.state_mut().finish_saves();
    h.run();
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        expected,
        "the file is exactly what a synchronous save writes"
    );
    assert!(
        h.state().editor().is_dirty(),
        "the edit made during the save still needs saving"
    );
    assert!(!h.state().saving());
    // Undoing it returns to the saved state: clean again.
    h.state_mut().editor_mut().undo();
    assert!(!h.state().editor().is_dirty());
    // Saving once more writes nothing new and keeps the file as it is.
    save_and_wait(&mut h);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);
}
