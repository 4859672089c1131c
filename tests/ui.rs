//! UI behaviour through `egui_kittest` (AccessKit, no GPU): the annotating loop end to end.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::{Harness, kittest::Queryable as _};
use tallymark::core::annotation::Kind;
use tallymark::core::editor::Editor;
use tallymark::core::persist;
use tallymark::core::settings::{Dirs, Settings};
use tallymark::ui::TallymarkApp;
use tallymark::ui::annotation_list::row_label;
use tallymark::ui::file_dialog::{DialogAnswer, ScriptedDialogs};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn app_for(path: &Path, scratch: &Path) -> TallymarkApp {
    let editor = Editor::open(path).expect("fixture opens");
    let dirs = Dirs {
        config: scratch.join("config"),
        saves: scratch.join("saves"),
    };
    TallymarkApp::new(editor, Settings::default(), dirs, false)
}

fn harness(app: TallymarkApp) -> Harness<'static, TallymarkApp> {
    // Autosave and the suggester run off the UI thread and ask for repaints while they work: a frame
    // may take a few more steps to settle than kittest's default of 4.
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(16)
        .build_ui_state(|ui, app: &mut TallymarkApp| app.frame_ui(ui), app);
    h.run();
    h
}

/// Drags the mouse across the article from char `start` to just before char `end`.
fn drag_select(h: &mut Harness<'static, TallymarkApp>, start: usize, end: usize) {
    drag_select_with(h, start, end, Modifiers::NONE);
}

/// [`drag_select`] with `modifiers` held through the drag.
fn drag_select_with(
    h: &mut Harness<'static, TallymarkApp>,
    start: usize,
    end: usize,
    modifiers: Modifiers,
) {
    h.event(egui::Event::ModifiersChanged(modifiers));
    // Laid out is not on screen: paragraphs near the view keep their layout too.
    let on_screen = |h: &Harness<'static, TallymarkApp>, offset: usize| {
        h.state()
            .article
            .char_screen_pos(offset)
            .is_some_and(|p| (80.0..760.0).contains(&p.y))
    };
    if !on_screen(h, start) {
        // Scrolled to first, as a user would; the second run lets the scroll settle.
        h.state_mut().article.scroll_to = Some(start);
        h.run();
        h.run();
    }
    // A scroll to the passage may still be moving (egui animates it): let it settle until
    // both ends are on screen, as a user would wait before dragging.
    for _ in 0..30 {
        if on_screen(h, start) && on_screen(h, end - 1) {
            break;
        }
        h.step();
    }
    let a = h
        .state()
        .article
        .char_screen_pos(start)
        .expect("start visible");
    let b = h
        .state()
        .article
        .char_screen_pos(end - 1)
        .expect("end visible");
    // Start at the left edge of the first char and end at the right edge of the last.
    let a = a - egui::vec2(3.0, 0.0);
    let b = b + egui::vec2(3.0, 0.0);
    h.hover_at(a);
    h.run();
    h.drag_at(a);
    h.run();
    h.hover_at(a + (b - a) * 0.5);
    h.run();
    h.hover_at(b);
    h.run();
    h.drop_at(b);
    h.run();
    h.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    h.run();
}

/// The app on the file at `rel` (from the project root), in a harness.
fn open_app(rel: &str, scratch: &Path) -> Harness<'static, TallymarkApp> {
    harness(app_for(&fixture(rel), scratch))
}

/// The app on the bundled article without annotations, and the article's text.
fn on_seed_article(scratch: &Path) -> (Harness<'static, TallymarkApp>, String) {
    let h = harness(app_for(
        &fixture("seeds/kazakhstan-protests-2022.txt"),
        scratch,
    ));
    let text = h.state().editor().doc().text().as_str().to_owned();
    (h, text)
}

fn char_offset(text: &str, needle: &str) -> usize {
    let byte = text.find(needle).expect("needle in text");
    text[..byte].chars().count()
}

#[test]
fn select_a_range_and_press_q_creates_a_quote() {
    let scratch = tempfile::tempdir().unwrap();
    let (mut h, text) = on_seed_article(scratch.path());
    let needle = "These are ordinary citizens";
    let start = char_offset(&text, needle);
    let end = start + needle.chars().count();
    drag_select(&mut h, start, end);
    assert_eq!(
        h.state().article.selected_span().map(|s| (s.start, s.end)),
        Some((start, end)),
        "the drag selected exactly the words"
    );
    h.key_press(Key::Q);
    h.run();
    let doc = h.state().editor().doc();
    assert_eq!(doc.annotations().len(), 1);
    let a = &doc.annotations()[0];
    assert_eq!(a.kind(), Kind::Quote);
    assert_eq!(a.exact, needle);
    assert!(
        h.state().title().starts_with('●'),
        "title shows unsaved: {}",
        h.state().title()
    );
    // The new annotation is listed and selected.
    h.get_by_label(&row_label(a));
}

#[test]
fn pressing_f_on_a_selection_parses_the_figure() {
    let scratch = tempfile::tempdir().unwrap();
    let (mut h, text) = on_seed_article(scratch.path());
    let start = char_offset(&text, "more than 10,000");
    h.state_mut().article.scroll_to = Some(start);
    h.run();
    h.run();
    drag_select(&mut h, start, start + "more than 10,000".len());
    h.key_press(Key::F);
    h.run();
    let a = &h.state().editor().doc().annotations()[0];
    let f = a.figure().expect("a figure");
    assert_eq!(a.exact, "more than 10,000");
    assert_eq!(f.value_low, Some(10_000.0));
    assert_eq!(
        f.qualifier,
        tallymark::core::annotation::Qualifier::MoreThan
    );
}

#[test]
fn click_in_list_delete_then_undo_restores() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = open_app("saves/kazakhstan-protests-2022.ron", scratch.path());
    let before = h.state().editor().doc().annotations().to_vec();
    assert!(!before.is_empty());
    let target = Arc::clone(&before[0]);
    h.get_by_label(&row_label(&target)).click();
    h.run();
    assert_eq!(h.state().view.selected, Some(target.id));
    h.key_press(Key::Delete);
    h.run();
    let after = h.state().editor().doc().annotations().to_vec();
    assert_eq!(after.len(), before.len() - 1);
    assert!(h.state().editor().doc().get(target.id).is_none());
    assert!(
        h.query_by_label(&row_label(&target)).is_none(),
        "row gone from the list"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().editor().doc().annotations(), before.as_slice());
    assert!(
        !h.state().editor().is_dirty(),
        "undo back to the saved state is clean"
    );
    // Redo with Ctrl+Y deletes again.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(
        h.state().editor().doc().annotations().len(),
        before.len() - 1
    );
}

#[test]
fn save_reopen_and_annotations_are_identical() {
    let scratch = tempfile::tempdir().unwrap();
    let (mut h, text) = on_seed_article(scratch.path());
    for (needle, key) in [
        ("2,000", Key::Num3),
        ("Only this vile government is to blame", Key::Num2),
    ] {
        let start = char_offset(&text, needle);
        h.state_mut().article.scroll_to = Some(start);
        h.run();
        h.run();
        drag_select(&mut h, start, start + needle.chars().count());
        h.key_press(key);
        h.run();
    }
    assert_eq!(h.state().editor().doc().annotations().len(), 2);
    let out = scratch.path().join("out.ron");
    h.state_mut().editor_mut().save_path = Some(out.clone());
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.step();
    // Saves are written on a background thread: wait for it.
    h.state_mut().finish_saves();
    h.run();
    assert!(!h.state().editor().is_dirty());
    assert!(!h.state().title().starts_with('●'));
    let reopened = persist::load(&out).expect("saved file loads");
    assert_eq!(
        reopened.annotations(),
        h.state().editor().doc().annotations()
    );
    assert_eq!(reopened.text().as_str(), text);
}

#[test]
fn plain_keys_do_not_fire_while_typing_in_the_filter() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = open_app("saves/kazakhstan-protests-2022.ron", scratch.path());
    let n = h.state().editor().doc().annotations().len();
    h.state_mut().article.selection =
        Some(tallymark::ui::article_view::Selection { anchor: 0, head: 5 });
    let filter = h.get_by_label("Filter");
    filter.click();
    h.run();
    h.get_by_label("Filter").type_text("qf");
    h.run();
    assert_eq!(
        h.state().editor().doc().annotations().len(),
        n,
        "typing q and f marked nothing"
    );
    assert_eq!(h.state().view.filter.search, "qf");
}

#[test]
fn clicking_a_highlight_selects_it_and_clicking_again_walks_outwards() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = open_app("saves/kazakhstan-protests-2022.ron", scratch.path());
    // Find a figure nested inside another annotation.
    let doc = h.state().editor().doc().clone();
    let (inner, outer) = doc
        .annotations()
        .iter()
        .find_map(|a| {
            let outer = doc
                .annotations_at(a.span.start)
                .into_iter()
                .find(|o| o.id != a.id && o.span.covers(a.span) && o.span != a.span)?;
            (a.kind() == Kind::Figure).then(|| (Arc::clone(a), outer.clone()))
        })
        .expect("the reference nests a figure in a claim or quote");
    h.state_mut().article.scroll_to = Some(inner.span.start);
    h.run();
    h.run();
    let p = h
        .state()
        .article
        .char_screen_pos(inner.span.start + inner.span.len() / 2)
        .unwrap();
    for expected in [inner.id, outer.id] {
        h.hover_at(p);
        h.run();
        h.drag_at(p);
        h.run();
        h.drop_at(p);
        h.run();
        assert_eq!(h.state().view.selected, Some(expected));
    }
}

#[test]
fn opening_another_file_with_unsaved_changes_asks_first() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = open_app("saves/kazakhstan-protests-2022.ron", scratch.path());
    let first = Arc::clone(&h.state().editor().doc().annotations()[0]);
    h.get_by_label(&row_label(&first)).click();
    h.run();
    h.key_press(Key::Delete);
    h.run();
    assert!(h.state().editor().is_dirty());
    let n = h.state().editor().doc().annotations().len();
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        &ctx,
        tallymark::ui::command::Command::OpenPath(fixture("seeds/kazakhstan-protests-2022.txt")),
    );
    h.run();
    h.get_by_label("Unsaved changes");
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(
        h.state().editor().doc().annotations().len(),
        n,
        "still the same document"
    );
    assert!(h.query_by_label("Unsaved changes").is_none());
    h.state_mut().apply(
        &ctx,
        tallymark::ui::command::Command::OpenPath(fixture("seeds/kazakhstan-protests-2022.txt")),
    );
    h.run();
    h.get_by_label("Discard changes").click();
    h.run();
    assert!(
        h.state().editor().doc().annotations().is_empty(),
        "the article opened"
    );
}

#[test]
fn editing_a_field_is_one_undo_step() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = open_app("saves/kazakhstan-protests-2022.ron", scratch.path());
    let first = Arc::clone(&h.state().editor().doc().annotations()[0]);
    h.get_by_label(&row_label(&first)).click();
    h.run();
    h.get_by_label("Note").click();
    h.run();
    h.get_by_label("Note").type_text(" checked");
    h.run();
    let edited = h.state().editor().doc().get(first.id).unwrap().note.clone();
    assert!(
        edited.contains(" checked"),
        "typed into the note: {edited:?}"
    );
    assert_eq!(edited.len(), first.note.len() + " checked".len());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().editor().doc().get(first.id).unwrap().note,
        first.note,
        "one undo reverts the whole burst"
    );
}

#[test]
fn ctrl_plus_and_minus_zoom_the_article_text() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = open_app("seeds/kazakhstan-protests-2022.txt", scratch.path());
    let size = h.state().settings().text_size;
    h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    h.run();
    assert!(h.state().settings().text_size > size);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    h.run();
    assert!(h.state().settings().text_size < size);
    assert!(
        (h.ctx.zoom_factor() - 1.0).abs() < f32::EPSILON,
        "the interface itself did not zoom"
    );
}

#[test]
fn a_pasted_article_starts_a_new_document() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = open_app("seeds/kazakhstan-protests-2022.txt", scratch.path());
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("New article from clipboard")
        .click();
    h.run();
    let field =
        h.get_by_label("Paste the article's text here (Ctrl+V). Its first line becomes the title.");
    field.click();
    h.run();
    h.get_by_label("Paste the article's text here (Ctrl+V). Its first line becomes the title.")
        .type_text("Flood toll rises\n\nAt least 31 people died, officials said.");
    h.run();
    h.get_by_label("Start annotating").click();
    h.run();
    assert_eq!(h.state().editors().len(), 2);
    let doc = h.state().editor().doc();
    assert_eq!(doc.meta.title, "Flood toll rises");
    assert!(doc.text().as_str().contains("At least 31 people died"));
    assert!(
        h.state()
            .suggest
            .open()
            .iter()
            .any(|c| c.exact == "At least 31"),
        "suggestions run on the new article"
    );
}

#[test]
fn reanchoring_lists_orphans_that_can_be_placed_or_undone() {
    let scratch = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(fixture("seeds/kazakhstan-protests-2022.txt")).unwrap();
    let changed = seed.replace("About 164 people were killed", "A toll of 170 was given");
    let article = scratch.path().join("changed.txt");
    std::fs::write(&article, &changed).unwrap();
    let app = app_for(
        &fixture("saves/kazakhstan-protests-2022.ron"),
        scratch.path(),
    )
    .with_file_dialogs(Box::new(ScriptedDialogs::new([DialogAnswer::Chosen(
        article,
    )])));
    let mut h = harness(app);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Re-anchor onto a changed article")
        .click();
    h.run();
    assert_eq!(h.state().editors().len(), 2);
    let doc = h.state().editor().doc();
    assert_eq!(doc.orphans().len(), 1, "About 164 cannot be found");
    assert_eq!(doc.orphans()[0].exact, "About 164");
    let text = doc.text().as_str().to_owned();
    let start = char_offset(&text, "170");
    h.state_mut().article.selection = Some(tallymark::ui::article_view::Selection {
        anchor: start,
        head: start + 3,
    });
    h.run();
    h.get_by_label("Place at selection").click();
    h.run();
    let doc = h.state().editor().doc();
    assert!(doc.orphans().is_empty());
    let placed = doc
        .annotations()
        .iter()
        .find(|a| a.exact == "170")
        .expect("placed");
    assert_eq!(
        placed.figure().and_then(|f| f.value_low),
        Some(164.0),
        "attributes kept"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().editor().doc().orphans().len(),
        1,
        "undo puts it back"
    );
}

#[test]
fn find_selects_the_match_so_it_can_be_marked() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = open_app("seeds/kazakhstan-protests-2022.txt", scratch.path());
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.get_by_label("Find").type_text("about 164");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    h.run();
    let text = h.state().editor().doc().text().as_str().to_owned();
    let start = char_offset(&text, "About 164");
    assert_eq!(
        h.state().article.selected_span(),
        Some(tallymark::core::span::Span {
            start,
            end: start + 9
        }),
        "case-insensitive match selected"
    );
    // Leave the field, then mark the selection as a figure.
    h.key_press(Key::Escape);
    h.run();
    h.key_press(Key::F);
    h.run();
    let doc = h.state().editor().doc();
    let f = doc
        .annotations()
        .iter()
        .find(|a| a.exact == "About 164")
        .expect("marked");
    assert_eq!(f.figure().and_then(|x| x.value_low), Some(164.0));
}

/// The app, not yet run, on a synthetic annotated document (see `core::synth`) saved in
/// `scratch`: long texts need stepping rather than `run` while their layout settles.
fn synthetic_harness(
    scratch: &Path,
    bytes: usize,
    annotations: usize,
    seed: u64,
) -> Harness<'static, TallymarkApp> {
    let doc = tallymark::core::synth::generate(tallymark::core::synth::Spec {
        bytes,
        annotations,
        seed,
    });
    let file = scratch.join("synthetic.ron");
    persist::save(&doc, &file).unwrap();
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, app: &mut TallymarkApp| app.frame_ui(ui),
            app_for(&file, scratch),
        )
}

/// A long annotated text: paragraphs are measured in the background, only those near the
/// viewport keep a galley, and jumping to the end still lands on laid-out text.
#[test]
fn a_long_document_keeps_galleys_only_near_the_viewport() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = synthetic_harness(scratch.path(), 300_000, 3_000, 5);
    let mut frames = 0;
    while !h.state().article.settled() || h.state().suggest.running() {
        h.step();
        frames += 1;
        assert!(frames < 5_000, "the layout never settled");
    }
    let paragraphs = h.state().article.paragraphs();
    assert!(paragraphs > 300, "{paragraphs} paragraphs");
    let held = h.state().article.galleys_held();
    assert!(
        held > 0 && held * 10 < paragraphs,
        "{held} galleys held for {paragraphs} paragraphs"
    );
    // Jump to the last annotation, as a click in the list does.
    let last = Arc::clone(h.state().editor().doc().annotations().last().unwrap());
    h.state_mut().article.scroll_to = Some(last.span.start);
    for _ in 0..30 {
        h.step();
    }
    let at = h
        .state()
        .article
        .char_screen_pos(last.span.start)
        .expect("the target paragraph is laid out");
    assert!((0.0..800.0).contains(&at.y), "scrolled into view: {at:?}");
    assert!(h.state().article.galleys_held() * 10 < paragraphs);
}

/// End, Home and Page Down move through a long article from the keyboard.
#[test]
fn keyboard_scrolling_reaches_both_ends_of_a_long_article() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = synthetic_harness(scratch.path(), 60_000, 300, 9);
    let settle = |h: &mut Harness<'static, TallymarkApp>| {
        for _ in 0..60 {
            h.step();
        }
    };
    settle(&mut h);
    let last = h.state().editor().doc().text().len_chars() - 1;
    let on_screen = |h: &Harness<'static, TallymarkApp>, offset: usize| {
        h.state()
            .article
            .char_screen_pos(offset)
            .is_some_and(|p| (60.0..780.0).contains(&p.y))
    };
    assert!(on_screen(&h, 10) && !on_screen(&h, last));
    h.key_press(Key::End);
    settle(&mut h);
    assert!(on_screen(&h, last), "End shows the last line");
    assert!(!on_screen(&h, 10));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Home);
    settle(&mut h);
    assert!(on_screen(&h, 10), "Ctrl+Home goes back to the start");
    let top = |h: &Harness<'static, TallymarkApp>| {
        h.state()
            .article
            .char_screen_pos(0)
            .expect("a page away, the first paragraph is still laid out")
            .y
    };
    let before = top(&h);
    h.key_press(Key::PageDown);
    settle(&mut h);
    let moved = before - top(&h);
    assert!(moved > 400.0, "a page is most of a screen: moved {moved}");
}

/// "Save" in the unsaved-changes question writes the file (in the background) and then
/// does what was asked: here, open another article.
#[test]
fn save_in_the_unsaved_changes_question_saves_then_opens() {
    let scratch = tempfile::tempdir().unwrap();
    let mine = scratch.path().join("mine.ron");
    std::fs::copy(fixture("saves/kazakhstan-protests-2022.ron"), &mine).unwrap();
    let mut h = harness(app_for(&mine, scratch.path()));
    let first = Arc::clone(&h.state().editor().doc().annotations()[0]);
    h.get_by_label(&row_label(&first)).click();
    h.run();
    h.key_press(Key::Delete);
    h.run();
    let n = h.state().editor().doc().annotations().len();
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        &ctx,
        tallymark::ui::command::Command::OpenPath(fixture("seeds/kazakhstan-protests-2022.txt")),
    );
    h.run();
    h.get_by_label("Save").click();
    h.step();
    h.state_mut().finish_saves();
    h.run();
    assert_eq!(persist::load(&mine).unwrap().annotations().len(), n);
    assert!(
        h.state().editor().doc().annotations().is_empty(),
        "then the article opened"
    );
}

/// A family with many figures is one virtual table: only the rows in view are laid out.
#[test]
fn the_compare_table_lays_out_only_the_rows_in_view() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = synthetic_harness(scratch.path(), 200_000, 2_000, 3);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    for _ in 0..5 {
        h.step();
    }
    let comparison = h.state_mut().comparison().clone();
    let fam = comparison
        .families
        .iter()
        .find(|f| f.figures.len() > 100)
        .expect("a family of more than 100 figures");
    // A long table is folded until opened.
    h.get_by_label(&format!(
        "{} figures with their sentences",
        fam.figures.len()
    ))
    .click_accesskit();
    for _ in 0..3 {
        h.step();
    }
    let contexts: Vec<&str> = fam.figures.iter().map(|f| f.context.as_str()).collect();
    let laid_out = |h: &Harness<'static, TallymarkApp>| {
        contexts
            .iter()
            .filter(|c| h.query_by_label(c).is_some())
            .count()
    };
    let shown = laid_out(&h);
    assert!(shown > 0, "the first rows are there");
    assert!(
        shown < 60,
        "only the rows in view of {} figures: {shown}",
        fam.figures.len()
    );
}

#[test]
fn shift_drag_adds_a_part_and_the_inspector_edits_the_parts() {
    let scratch = tempfile::tempdir().unwrap();
    let (mut h, text) = on_seed_article(scratch.path());
    let (one, two) = (
        "Only this vile government is to blame",
        "What is happening is terrible",
    );
    let (a0, b0) = (char_offset(&text, one), char_offset(&text, two));
    let (a1, b1) = (a0 + one.chars().count(), b0 + two.chars().count());
    drag_select(&mut h, a0, a1);
    drag_select_with(&mut h, b0, b1, Modifiers::SHIFT);
    let parts: Vec<(usize, usize)> = h
        .state()
        .article
        .selected_parts()
        .iter()
        .map(|p| (p.start, p.end))
        .collect();
    assert_eq!(
        parts,
        vec![(a0, a1), (b0, b1)],
        "shift-drag added a second part"
    );
    h.get_by_label(&format!(
        "{} chars selected in 2 parts",
        (a1 - a0) + (b1 - b0)
    ));

    h.key_press(Key::Q);
    h.run();
    let a = Arc::clone(&h.state().editor().doc().annotations()[0]);
    assert_eq!(a.kind(), Kind::Quote);
    assert_eq!(a.parts().len(), 2);
    assert_eq!(a.marked_text(), format!("{one} … {two}"));
    assert!(
        h.state().article.selected_parts().is_empty(),
        "marking used the selection up"
    );

    // A plain drag starts afresh: the earlier parts are gone.
    drag_select(&mut h, a0, a1);
    assert_eq!(h.state().article.selected_parts().len(), 1);

    // The inspector removes a part; what is left is an ordinary span.
    h.get_by_label("Remove part 2").click();
    h.run();
    let a = Arc::clone(&h.state().editor().doc().annotations()[0]);
    assert!(a.fragments.is_empty());
    assert_eq!((a.span.start, a.span.end), (a0, a1));
    // Undo brings the part back, in one step.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().editor().doc().annotations()[0].parts().len(), 2);

    // A selection elsewhere can be added to the selected annotation as a part.
    let three = "They are switching places in the government";
    let c0 = char_offset(&text, three);
    drag_select(&mut h, c0, c0 + three.chars().count());
    h.get_by_label("Add the selection as a part").hover();
    h.run();
    h.get_by_label("Add the selection as a part").click();
    h.run();
    let a = Arc::clone(&h.state().editor().doc().annotations()[0]);
    assert_eq!(a.parts().len(), 3, "{:?}", a.parts());
    assert_eq!(a.parts()[2].start, c0);
}

#[test]
fn escape_lets_go_of_the_text_then_of_the_annotation() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = open_app("saves/kazakhstan-protests-2022.ron", scratch.path());
    let first = Arc::clone(&h.state().editor().doc().annotations()[0]);
    h.get_by_label(&row_label(&first)).click();
    h.run();
    h.state_mut()
        .article
        .set_selection(Some(tallymark::core::span::Span::between(0, 5)));
    h.run();
    h.key_press(Key::Escape);
    h.run();
    assert!(
        h.state().article.selected_parts().is_empty(),
        "the text first"
    );
    assert_eq!(
        h.state().view.selected,
        Some(first.id),
        "the annotation stays"
    );
    // Escape that leaves a text field is only that.
    h.get_by_label("Note").click();
    h.run();
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(
        h.state().view.selected,
        Some(first.id),
        "leaving the note field keeps the annotation"
    );
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().view.selected, None, "then the annotation");
}

#[test]
fn escape_closes_an_open_menu_and_nothing_else() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = open_app("saves/kazakhstan-protests-2022.ron", scratch.path());
    let id = h.state().editor().doc().annotations()[0].id;
    h.state_mut().view.selected = Some(id);
    h.run();
    h.get_by_label("File").click();
    h.run();
    assert!(
        h.query_by_label_contains("Re-anchor onto a changed article")
            .is_some(),
        "menu open"
    );
    h.key_press(Key::Escape);
    h.run();
    assert!(
        h.query_by_label_contains("Re-anchor onto a changed article")
            .is_none(),
        "Escape closed the menu"
    );
    assert_eq!(h.state().view.selected, Some(id), "and kept the annotation");
}

#[test]
fn one_escape_in_the_find_field_closes_the_find_bar() {
    let scratch = tempfile::tempdir().unwrap();
    let mut h = open_app("seeds/kazakhstan-protests-2022.txt", scratch.path());
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.get_by_label("Find").type_text("164");
    h.run();
    assert!(h.state().find.is_some());
    h.key_press(Key::Escape);
    h.run();
    assert!(h.state().find.is_none(), "one Escape closes it");
}
