//! The app shell as a new user meets it: saving without a file-dialog service, recovery,
//! re-anchoring, notices, panels, the shortcut list, find, duplicate marks and the small
//! things around them. Each test here failed before its fix.

use std::path::{Path, PathBuf};

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::{Harness, kittest::Queryable as _};
use tallymark::core::editor::Editor;
use tallymark::core::settings::{Dirs, Settings};
use tallymark::ui::TallymarkApp;
use tallymark::ui::app::dialogs::Modal;
use tallymark::ui::command::{Action, Command};
use tallymark::ui::file_dialog::{DialogAnswer, Purpose, ScriptedDialogs};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn dirs(scratch: &Path) -> Dirs {
    Dirs {
        config: scratch.join("config"),
        saves: scratch.join("saves"),
    }
}

/// The app on `path`, with file dialogs that give `answers` in turn (then none).
fn app_with(path: &Path, scratch: &Path, dialogs: ScriptedDialogs) -> TallymarkApp {
    let editor = Editor::open(path).expect("fixture opens");
    TallymarkApp::new(editor, Settings::default(), dirs(scratch), false)
        .with_file_dialogs(Box::new(dialogs))
}

fn harness_sized(app: TallymarkApp, size: egui::Vec2) -> Harness<'static, TallymarkApp> {
    let mut h = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut TallymarkApp| app.frame_ui(ui), app);
    h.run();
    h
}

fn harness(app: TallymarkApp) -> Harness<'static, TallymarkApp> {
    harness_sized(app, egui::vec2(1280.0, 800.0))
}

fn apply(h: &mut Harness<'static, TallymarkApp>, c: impl Into<Command>) {
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, c);
    h.run();
}

fn select_text(h: &mut Harness<'static, TallymarkApp>, needle: &str) {
    let text = h.state().editor().doc().text().as_str().to_owned();
    let byte = text.find(needle).expect("needle in the article");
    let start = text[..byte].chars().count();
    h.state_mut().article.selection = Some(tallymark::ui::article_view::Selection {
        anchor: start,
        head: start + needle.chars().count(),
    });
    h.run();
}

#[test]
fn ctrl_s_on_a_new_article_saves_where_the_status_bar_said_without_any_dialog() {
    let scratch = tempfile::tempdir().unwrap();
    // No dialog service at all: every question would come back "unavailable".
    let dialogs = ScriptedDialogs::new([]);
    let asked = dialogs.clone();
    let app = app_with(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch.path(),
        dialogs,
    );
    let mut h = harness(app);
    let promised = scratch
        .path()
        .join("saves/kazakhstan-protests-2022.ron")
        .display()
        .to_string();
    h.get_by_label_contains(&format!("Ctrl+S saves to {promised}"));
    select_text(&mut h, "More than 160 people");
    h.key_press(Key::F);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    // One frame starts the save on its thread; no settling while it writes.
    h.step();
    h.state_mut().finish_saves();
    h.run();
    assert!(Path::new(&promised).is_file(), "saved to the promised path");
    assert!(!h.state().editor().is_dirty());
    assert!(asked.questions().is_empty(), "no dialog was needed");
    h.get_by_label(&promised);
}

#[test]
fn without_a_dialog_service_save_as_shows_the_in_app_prompt_at_that_path() {
    let scratch = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::new([DialogAnswer::Unavailable]);
    let asked = dialogs.clone();
    let app = app_with(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch.path(),
        dialogs,
    );
    let mut h = harness(app);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    h.run();
    let questions = asked.questions();
    assert_eq!(questions.len(), 1);
    assert_eq!(questions[0].purpose, Purpose::SaveAs);
    assert_eq!(questions[0].dir, scratch.path().join("saves"));
    let Some(Modal::PathPrompt(prompt, _)) = h.state().modal() else {
        panic!("the in-app prompt is shown: {:?}", h.state().modal());
    };
    let proposed = scratch.path().join("saves/kazakhstan-protests-2022.ron");
    assert_eq!(PathBuf::from(&prompt.text), proposed);
    h.get_by_label("Save").click();
    h.step();
    h.state_mut().finish_saves();
    h.run();
    assert!(proposed.is_file(), "Save writes to the prefilled path");
    assert!(h.state().modal().is_none());
}

#[test]
fn the_system_dialog_answer_is_used_and_starts_in_the_saves_folder() {
    let scratch = tempfile::tempdir().unwrap();
    let chosen = scratch.path().join("elsewhere.ron");
    let dialogs = ScriptedDialogs::new([DialogAnswer::Chosen(chosen.clone())]);
    let asked = dialogs.clone();
    let app = app_with(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch.path(),
        dialogs,
    );
    let mut h = harness(app);
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, Action::SaveAs);
    h.state_mut().finish_saves();
    h.run();
    assert!(chosen.is_file());
    let q = &asked.questions()[0];
    assert_eq!(q.dir, scratch.path().join("saves"));
    assert_eq!(q.file_name.as_deref(), Some("kazakhstan-protests-2022.ron"));
    assert!(
        h.state().modal().is_none(),
        "no prompt when the dialog answered"
    );
}

#[test]
fn restoring_a_recovered_copy_replaces_the_open_file_instead_of_adding_a_twin() {
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("story.ron");
    std::fs::copy(fixture("saves/kazakhstan-protests-2022.ron"), &file).unwrap();
    // A recovery copy of that file with one annotation fewer, as a crash would leave.
    let mut doc = tallymark::core::persist::load(&file).unwrap();
    let first = doc.annotations()[0].id;
    tallymark::core::edit::Edit::Remove(first)
        .apply(&mut doc)
        .unwrap();
    let on_disk = Editor::open(&file).unwrap();
    let recovery = tallymark::core::recovery::dir_for(&scratch.path().join("saves"));
    tallymark::core::recovery::write(&recovery, &on_disk.recovery_key(), &doc, Some(&file))
        .unwrap();
    let app = app_with(&file, scratch.path(), ScriptedDialogs::new([]));
    let mut h = harness(app);
    assert!(matches!(h.state().modal(), Some(Modal::Recover(_))));
    h.get_by_label("Restore").click();
    h.run();
    assert_eq!(h.state().editors().len(), 1, "one document for one file");
    assert!(h.state().editor().is_dirty());
    assert_eq!(
        h.state().editor().doc().annotations().len(),
        doc.annotations().len()
    );
    assert!(
        h.query_by_label("Review").is_none(),
        "no review of a file against itself"
    );
}

#[test]
fn a_reanchored_document_is_unsaved_so_quitting_asks() {
    let scratch = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(fixture("seeds/kazakhstan-protests-2022.txt")).unwrap();
    let article = scratch.path().join("changed.txt");
    std::fs::write(&article, seed.replace("More than 160", "More than 170")).unwrap();
    let dialogs = ScriptedDialogs::new([DialogAnswer::Chosen(article)]);
    let app = app_with(
        &fixture("saves/kazakhstan-protests-2022.ron"),
        scratch.path(),
        dialogs,
    );
    let mut h = harness(app);
    apply(&mut h, Action::Reanchor);
    assert_eq!(h.state().editors().len(), 2);
    assert!(h.state().editor().is_dirty(), "only in memory: unsaved");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    h.run();
    assert!(
        matches!(h.state().modal(), Some(Modal::Unsaved { .. })),
        "Ctrl+Q asks before losing it"
    );
    // And the idle autosave keeps a recovery copy meanwhile.
    h.state_mut().autosave_now();
    let recovery = h.state().recovery_dir();
    assert!(!tallymark::core::recovery::list(&recovery).is_empty());
}

#[test]
fn notices_expire_stack_at_most_three_stay_below_the_text_and_belong_to_their_document() {
    let scratch = tempfile::tempdir().unwrap();
    let app = app_with(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch.path(),
        ScriptedDialogs::new([]),
    );
    let mut h = harness(app);
    let article_top = h.get_by_label("Article").rect().top();
    // "Select some text first" is informational: press F with no selection five times.
    for _ in 0..5 {
        h.key_press(Key::F);
        h.run();
    }
    let shown = h.state().visible_notices().count();
    assert!(shown <= 3, "at most three at once, not {shown}");
    assert!(shown >= 1);
    let top = h.get_by_label("Article").rect().top();
    assert!(
        (top - article_top).abs() < 0.5,
        "the article does not move down"
    );
    let status = h.get_by_label_contains("Ctrl+S saves to").rect();
    for n in h.get_all_by_label_contains("Select some text first") {
        assert!(
            n.rect().top() >= article_top + 40.0,
            "below the article's top"
        );
        assert!(
            n.rect().bottom() <= status.top() + 1.0,
            "above the status bar"
        );
    }
    // Six seconds later (kittest steps a quarter second) they are gone by themselves.
    for _ in 0..30 {
        h.step();
    }
    assert_eq!(h.state().visible_notices().count(), 0);
    // A notice of one document is not shown on another.
    h.key_press(Key::F);
    h.run();
    assert_eq!(h.state().visible_notices().count(), 1);
    apply(&mut h, Action::NewFromClipboard);
    apply(
        &mut h,
        Command::CreateFromText("Second story\n\nNothing here.".to_owned()),
    );
    assert_eq!(h.state().active(), 1);
    assert_eq!(h.state().visible_notices().count(), 0);
    // Errors stay until dismissed.
    h.state_mut().notify_error("Disk full");
    for _ in 0..30 {
        h.step();
    }
    assert_eq!(h.state().visible_notices().count(), 1);
    h.get_by_label("×").click();
    h.run();
    assert_eq!(h.state().visible_notices().count(), 0);
}

#[test]
fn a_long_suggestion_does_not_widen_the_side_panel() {
    let scratch = tempfile::tempdir().unwrap();
    let long = format!(
        "Flood toll rises\n\n“{}” said the regional governor.\n",
        "We will rebuild every bridge and every road and every school in the valley ".repeat(6)
    );
    let article = scratch.path().join("long.txt");
    std::fs::write(&article, long).unwrap();
    let app = app_with(&article, scratch.path(), ScriptedDialogs::new([]));
    let mut h = harness(app);
    let before = h.get_by_label("Annotations").rect().left();
    h.key_press(Key::N);
    h.run();
    h.run();
    assert!(
        h.state().suggest.focused().is_some(),
        "a quote is suggested"
    );
    let after = h.get_by_label("Annotations").rect().left();
    assert!(
        (after - before).abs() < 1.0,
        "the side panel kept its width: {before} then {after}"
    );
}

#[test]
fn the_shortcut_list_fits_an_800_px_window_scrolls_and_closes_with_escape() {
    let scratch = tempfile::tempdir().unwrap();
    let app = app_with(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch.path(),
        ScriptedDialogs::new([]),
    );
    let mut h = harness_sized(app, egui::vec2(1024.0, 800.0));
    h.key_press(Key::F1);
    h.run();
    assert_eq!(h.state().modal(), Some(&Modal::Shortcuts));
    let close = h.get_by_label("Close").rect();
    assert!(
        close.bottom() <= 800.0,
        "the Close button is on screen: {close:?}"
    );
    // The last rows are there to scroll to.
    h.get_by_label("Reject suggestion");
    h.key_press(Key::Escape);
    h.run();
    assert!(h.state().modal().is_none(), "Esc closes it");
}

#[test]
fn after_find_and_enter_the_next_key_marks_the_match() {
    let scratch = tempfile::tempdir().unwrap();
    let app = app_with(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch.path(),
        ScriptedDialogs::new([]),
    );
    let mut h = harness(app);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.get_by_label("Find").type_text("2,000 people");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    h.run();
    // No Escape: F marks the match straight away.
    h.key_press(Key::F);
    h.run();
    let marked = h
        .state()
        .editor()
        .doc()
        .annotations()
        .iter()
        .any(|a| a.exact == "2,000 people");
    assert!(
        marked,
        "F marked the match instead of typing into the field"
    );
    let query = &h.state().find.as_ref().unwrap().query;
    assert_eq!(query, "2,000 people", "nothing typed into the find field");
}

#[test]
fn marking_the_same_text_twice_selects_the_first_mark_instead() {
    let scratch = tempfile::tempdir().unwrap();
    let app = app_with(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch.path(),
        ScriptedDialogs::new([]),
    );
    let mut h = harness(app);
    select_text(&mut h, "More than 160 people");
    h.key_press(Key::F);
    h.run();
    let first = h.state().view.selected;
    select_text(&mut h, "More than 160 people");
    h.key_press(Key::F);
    h.run();
    let figures = h
        .state()
        .editor()
        .doc()
        .annotations()
        .iter()
        .filter(|a| a.exact == "More than 160 people")
        .count();
    assert_eq!(figures, 1, "no second identical annotation");
    assert_eq!(h.state().view.selected, first);
    h.get_by_label_contains("already marked as a figure");
}

#[test]
fn status_menus_and_counts_read_right() {
    let scratch = tempfile::tempdir().unwrap();
    let article = scratch.path().join("one.txt");
    std::fs::write(
        &article,
        "Flood\n\nAt least 31 people died, officials said.\n",
    )
    .unwrap();
    let app = app_with(&article, scratch.path(), ScriptedDialogs::new([]));
    let mut h = harness(app);
    // A never-saved document is "not saved yet", never also "saved".
    assert!(h.query_by_label("saved").is_none());
    // One figure is "1 figure".
    h.get_by_label_contains("1 figure ·");
    assert!(h.query_by_label_contains("1 figures").is_none());
    // The View menu lists Review.
    h.get_by_label("View").click();
    h.run();
    h.get_by_label_contains("Review");
}

#[test]
fn accept_all_quotes_is_one_undo_step_and_undo_brings_back_the_selection() {
    let scratch = tempfile::tempdir().unwrap();
    let app = app_with(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch.path(),
        ScriptedDialogs::new([]),
    );
    let mut h = harness(app);
    let quotes = h
        .state()
        .suggest
        .open()
        .iter()
        .filter(|c| c.kind == tallymark::core::annotation::Kind::Quote)
        .count();
    assert!(quotes >= 3, "the seed has quotes to suggest");
    apply(&mut h, Action::AcceptAllQuotes);
    assert_eq!(h.state().editor().doc().annotations().len(), quotes);
    // Select one, delete it, undo: it comes back selected.
    let id = h.state().editor().doc().annotations()[1].id;
    apply(
        &mut h,
        Command::Select {
            id: Some(id),
            scroll: true,
        },
    );
    h.key_press(Key::Delete);
    h.run();
    assert_eq!(h.state().view.selected, None);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().view.selected,
        Some(id),
        "undo restores the selection"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(
        h.state().editor().doc().annotations().is_empty(),
        "one step"
    );
}

#[test]
fn the_metric_takes_a_value_of_ones_own() {
    let scratch = tempfile::tempdir().unwrap();
    let app = app_with(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch.path(),
        ScriptedDialogs::new([]),
    );
    let mut h = harness(app);
    select_text(&mut h, "More than 160 people");
    h.key_press(Key::F);
    h.run();
    let field = h.get_by_label("Metric");
    field.click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("Metric").type_text("evacuated");
    h.run();
    let id = h.state().view.selected.unwrap();
    let a = h.state().editor().doc().get(id).unwrap().clone();
    assert_eq!(a.figure().unwrap().metric, "evacuated");
}

#[test]
fn saving_a_workspace_asks_its_name_and_closing_an_article_removes_it() {
    let scratch = tempfile::tempdir().unwrap();
    let ws = scratch.path().join("story/marrow.workspace.ron");
    std::fs::create_dir_all(ws.parent().unwrap()).unwrap();
    let dialogs = ScriptedDialogs::new([
        DialogAnswer::Chosen(fixture("saves/marrow-valley-flood-herald.ron")),
        DialogAnswer::Chosen(ws.clone()),
    ]);
    let asked = dialogs.clone();
    let app = app_with(
        &fixture("saves/marrow-valley-flood-courier.ron"),
        scratch.path(),
        dialogs,
    );
    let mut h = harness(app);
    apply(&mut h, Action::AddDocument);
    assert_eq!(h.state().editors().len(), 2);
    apply(&mut h, Action::SaveWorkspace);
    assert!(matches!(h.state().modal(), Some(Modal::WorkspaceName(_))));
    h.get_by_label("Name of the story (it names the file too)")
        .type_text("Marrow Valley flood");
    h.run();
    h.get_by_label("Choose where…").click();
    h.run();
    let q = asked.questions();
    assert_eq!(q[1].purpose, Purpose::SaveWorkspace);
    assert_eq!(
        q[1].file_name.as_deref(),
        Some("marrow-valley-flood.workspace.ron")
    );
    let saved = tallymark::core::workspace::Workspace::load(&ws).unwrap();
    assert_eq!(saved.name, "Marrow Valley flood");
    assert!(saved.documents.iter().all(|d| d.is_relative()), "{saved:?}");

    // Ctrl+W closes the article shown; saving the workspace then drops it from the file.
    h.key_press_modifiers(Modifiers::COMMAND, Key::W);
    h.run();
    assert_eq!(h.state().editors().len(), 1);
    h.get_by_label_contains("Save the workspace to remove it");
    apply(&mut h, Action::SaveWorkspace);
    let saved = tallymark::core::workspace::Workspace::load(&ws).unwrap();
    assert_eq!(saved.documents.len(), 1);
    assert_eq!(saved.name, "Marrow Valley flood", "the name stays");
    // The last article cannot be closed.
    h.key_press_modifiers(Modifiers::COMMAND, Key::W);
    h.run();
    assert_eq!(h.state().editors().len(), 1);
}

#[test]
#[cfg(unix)]
fn a_workspace_listing_a_file_outside_its_folder_does_not_open_it() {
    let scratch = tempfile::tempdir().unwrap();
    let story = scratch.path().join("a/b/story");
    std::fs::create_dir_all(&story).unwrap();
    std::fs::copy(
        fixture("saves/marrow-valley-flood-herald.ron"),
        story.join("herald.ron"),
    )
    .unwrap();
    // A private file far away, named by a planted entry.
    let secret = scratch.path().join("secret.txt");
    std::fs::write(&secret, "token=hunter2\n").unwrap();
    let ws = story.join("story.workspace.ron");
    std::fs::write(
        &ws,
        format!(
            "(format: \"tallymark-workspace\", version: 1, name: \"x\", documents: [\"herald.ron\", {:?}])",
            secret.display().to_string()
        ),
    )
    .unwrap();
    let app = app_with(
        &fixture("saves/marrow-valley-flood-courier.ron"),
        scratch.path(),
        ScriptedDialogs::new([]),
    );
    let mut h = harness(app);
    apply(&mut h, Command::OpenPath(ws));
    assert_eq!(
        h.state().editors().len(),
        1,
        "only the annotation file inside"
    );
    let notices: Vec<String> = h.state().notices().iter().map(|n| n.text.clone()).collect();
    assert!(
        notices
            .iter()
            .any(|n| n.contains("outside the workspace's folder")),
        "{notices:?}"
    );
    assert!(
        notices.iter().all(|n| !n.contains("hunter2")),
        "nothing of it is quoted"
    );
}

#[test]
fn opening_another_tools_annotation_file_imports_it() {
    use tallymark::core::export::ImportFormat;
    let interop = |name: &str| fixture(&format!("tests/data/interop/{name}"));
    // What is and is not taken for another tool's file.
    assert_eq!(
        ImportFormat::of_file(&interop("harbour.ann")),
        Some(ImportFormat::Brat)
    );
    assert_eq!(
        ImportFormat::of_file(&interop("dunmere-label-studio.json")),
        Some(ImportFormat::LabelStudio)
    );
    assert_eq!(
        ImportFormat::of_file(&interop("lakeshore-w3c.json")),
        Some(ImportFormat::W3c)
    );
    assert_eq!(ImportFormat::of_file(&interop("harbour.txt")), None);
    assert_eq!(
        ImportFormat::of_file(&fixture("tests/data/suggest/ardessa-earthquake.json")),
        None,
        "JSON that is no annotation file opens as before"
    );

    let scratch = tempfile::tempdir().unwrap();
    let app = app_with(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch.path(),
        ScriptedDialogs::new(Vec::new()),
    );
    let mut h = harness(app);
    // Opened as a user would (the Open dialog, a drop or the recent list all come here).
    h.state_mut()
        .open_path(&interop("dunmere-label-studio.json"));
    h.run();
    assert!(
        matches!(
            h.state().modal(),
            Some(Modal::ImportReport(..) | Modal::ImportMapping(..))
        ),
        "the import's report or mapping step: {:?}",
        h.state().modal()
    );
    assert!(
        h.state()
            .editors()
            .iter()
            .all(|e| !e.doc().text().as_str().trim_start().starts_with('[')),
        "never shown as an article of JSON"
    );
}
