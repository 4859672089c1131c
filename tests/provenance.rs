//! Where every figure comes from: a saved web page's provenance, and each figure's date,
//! place and group read from its sentence, as a user opening the page would get them.

use tallymark::core::annotation::Kind;
use tallymark::core::editor::Editor;
use tallymark::core::scope::{DateSource, Groups};
use tallymark::core::span::Span;
use tallymark::core::suggest::{Options, suggest};

/// A page in the style of a small publishing system: Open Graph tags and a `<time>`.
/// 2024-03-12 is a Tuesday.
const PAGE: &str = r#"<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Flood toll rises to 31 | The Valley Courier</title>
<meta property="og:title" content="Flood toll rises to 31 in Brennport">
<meta property="og:site_name" content="The Valley Courier">
<meta property="og:url" content="https://valley-courier.example/news/flood-toll-31">
<meta property="article:published_time" content="2024-03-12T08:15:00+00:00">
<meta name="author" content="Mara Lindqvist">
</head><body>
<header><nav>Home · News · Weather</nav></header>
<article>
<h1>Flood toll rises to 31 in Brennport</h1>
<p>Regional officials said on Sunday that 31 people died in Brennport, including four children.</p>
<p>Of the 40 people injured, 11 of them police officers, most were taken to hospital.</p>
</article>
<footer>© The Valley Courier</footer>
</body></html>"#;

fn span_of(text: &str, needle: &str) -> Span {
    let byte = text.find(needle).expect("needle in the text");
    let start = text[..byte].chars().count();
    Span {
        start,
        end: start + needle.chars().count(),
    }
}

#[test]
fn opening_a_saved_page_fills_its_provenance_and_figures_their_scope() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flood-toll.html");
    std::fs::write(&path, PAGE).unwrap();
    let editor = Editor::open(&path).unwrap();
    let doc = editor.doc();
    let meta = &doc.meta;
    assert_eq!(meta.title, "Flood toll rises to 31 in Brennport");
    assert_eq!(meta.outlet.as_deref(), Some("The Valley Courier"));
    assert_eq!(
        meta.url.as_deref(),
        Some("https://valley-courier.example/news/flood-toll-31")
    );
    assert_eq!(meta.published.unwrap().to_string(), "2024-03-12T08:15Z");
    assert_eq!(meta.author.as_deref(), Some("Mara Lindqvist"));
    assert_eq!(meta.language.as_deref(), Some("en"));
    assert!(meta.notes.is_empty(), "{:?}", meta.notes);

    // What the suggester makes of each figure, with the publication date.
    let text = doc.text().as_str();
    let found = suggest(
        text,
        Options {
            published: meta.published.map(|p| p.date),
            ..Options::default()
        },
    );
    // The body's figures (the headline repeats the toll).
    let body = span_of(text, "Regional officials").start;
    let figure = |exact: &str| {
        found
            .figures
            .iter()
            .find(|f| f.exact == exact && f.span.start >= body)
            .unwrap_or_else(|| panic!("{exact} suggested: {:?}", found.figures))
            .figure
            .clone()
    };
    let sunday = time::macros::date!(2024 - 03 - 10);
    let toll = figure("31");
    assert_eq!(
        toll.reported,
        Some(sunday),
        "“said on Sunday” in a Tuesday article"
    );
    assert_eq!(toll.reported_from, Some(DateSource::Sentence));
    assert_eq!(toll.place, "Brennport");
    assert_eq!(toll.metric, "killed");
    let children = figure("four");
    assert_eq!(children.place, "Brennport");
    let groups = Groups::builtin();
    assert!(
        groups.is_part_of(&children.who, "people"),
        "“including four children” counts a part of the people: {}",
        children.who
    );
    assert_eq!(groups.resolve(&children.who).unwrap().id, "children");
    let police = figure("11");
    assert_eq!(groups.resolve(&police.who).unwrap().id, "police");
    assert!(groups.is_part_of(&police.who, "security forces"));
    let injured = figure("40");
    assert_eq!(
        injured.reported,
        Some(time::macros::date!(2024 - 03 - 12)),
        "no day in its sentence: the article's"
    );
    assert_eq!(injured.reported_from, Some(DateSource::Article));

    // Pressing F on a selection reads the sentence the same way.
    let a = doc.new_annotation(
        Kind::Figure,
        span_of(text, "31 people"),
        "me",
        time::OffsetDateTime::UNIX_EPOCH,
    );
    let f = a.figure().unwrap();
    assert_eq!(f.value_low, Some(31.0));
    assert_eq!(f.metric, "killed");
    assert_eq!(f.who, "people");
    assert_eq!(f.place, "Brennport");
    assert_eq!(f.reported, Some(sunday));
    assert_eq!(f.source, "Regional officials");
}

#[test]
fn provenance_survives_save_and_load_and_old_files_are_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("p.html");
    std::fs::write(&page, PAGE).unwrap();
    let mut editor = Editor::open(&page).unwrap();
    let out = dir.path().join("p.ron");
    editor.save_to(&out).unwrap();
    let saved = std::fs::read_to_string(&out).unwrap();
    assert!(saved.contains("outlet: \"The Valley Courier\""), "{saved}");
    assert!(
        saved.contains("published: \"2024-03-12T08:15Z\""),
        "{saved}"
    );
    let back = tallymark::core::persist::load(&out).unwrap();
    assert_eq!(back.meta.outlet, editor.doc().meta.outlet);
    assert_eq!(back.meta.published, editor.doc().meta.published);
    assert_eq!(back.meta.author, editor.doc().meta.author);
    assert_eq!(back.meta.language, editor.doc().meta.language);

    // A file from before provenance loads and saves back byte for byte.
    let bundled =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/kazakhstan-protests-2022.ron");
    let before = std::fs::read_to_string(&bundled).unwrap();
    let doc = tallymark::core::persist::load(&bundled).unwrap();
    let copy = dir.path().join("old.ron");
    tallymark::core::persist::save(&doc, &copy).unwrap();
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), before);
}

#[test]
fn a_page_with_broken_tags_opens_with_what_it_could_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.html");
    std::fs::write(
        &path,
        r#"<html lang="xx yy"><head><meta property="og:site_name" content="Steppe Wire">
        <meta property="article:published_time" content="2099-01-01">
        <meta name="date" content="Tuesday">
        <script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>
        </head><body><p>Police said 12 people were detained.</p></body></html>"#,
    )
    .unwrap();
    let editor = Editor::open(&path).unwrap();
    let meta = &editor.doc().meta;
    assert_eq!(meta.outlet.as_deref(), Some("Steppe Wire"));
    assert_eq!(meta.published, None);
    assert_eq!(meta.notes.len(), 4, "{:?}", meta.notes);
    assert!(
        editor
            .doc()
            .text()
            .as_str()
            .contains("12 people were detained")
    );
}

#[test]
fn the_article_panel_edits_provenance_one_undo_step_per_field() {
    use eframe::egui::{self, Key, Modifiers};
    use egui_kittest::{Harness, kittest::Queryable as _};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flood-toll.html");
    std::fs::write(&path, PAGE).unwrap();
    let app = tallymark::ui::TallymarkApp::new(
        Editor::open(&path).unwrap(),
        tallymark::core::settings::Settings::default(),
        tallymark::core::settings::Dirs {
            config: dir.path().join("config"),
            saves: dir.path().join("saves"),
        },
        false,
    );
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, app: &mut tallymark::ui::TallymarkApp| app.frame_ui(ui),
            app,
        );
    h.run();
    // The summary under the heading names outlet, date and language.
    h.get_by_label("The Valley Courier · 2024-03-12 · en");
    h.get_by_label("Article details").click();
    h.run();
    let author = h.get_by_label("Author");
    author.click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("Author")
        .type_text("M. Lindqvist and P. Arslan");
    h.run();
    assert_eq!(
        h.state().editor().doc().meta.author.as_deref(),
        Some("M. Lindqvist and P. Arslan")
    );
    assert!(h.state().editor().is_dirty());
    // Leave the field, then one undo brings the page's author back.
    h.key_press(Key::Escape);
    h.run();
    let ctx = h.ctx.clone();
    h.state_mut()
        .apply(&ctx, tallymark::ui::command::Command::SealUndo);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().editor().doc().meta.author.as_deref(),
        Some("Mara Lindqvist")
    );
    assert!(!h.state().editor().is_dirty());
}
