//! The ledger on the bundled Marrow Valley story and on small cases: claims with their
//! citations, series, and exactly the conflicts a careful reader would flag.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tallymark::core::annotation::{Kind, Qualifier};
use tallymark::core::document::Document;
use tallymark::core::edit::Edit;
use tallymark::core::ledger::{Article, FamilyLedger, Ledger, Options, ledger};
use tallymark::core::metrics::Taxonomy;
use tallymark::core::scope::Groups;
use tallymark::core::span::Span;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn of(docs: &[Document]) -> Ledger {
    of_with(docs, &Options::default())
}

fn of_with(docs: &[Document], options: &Options) -> Ledger {
    let articles: Vec<Article<'_>> = docs
        .iter()
        .map(|d| Article {
            title: d.meta.title.clone(),
            doc: d,
        })
        .collect();
    ledger(&articles, &Taxonomy::builtin(), &Groups::builtin(), options)
}

fn family<'a>(l: &'a Ledger, metric: &str) -> &'a FamilyLedger {
    l.families
        .iter()
        .find(|f| f.metric == metric)
        .unwrap_or_else(|| {
            panic!(
                "{metric} in {:?}",
                l.families.iter().map(|f| &f.metric).collect::<Vec<_>>()
            )
        })
}

/// The conflicts as pairs of stated values, lower first.
fn conflict_values(f: &FamilyLedger) -> BTreeSet<(u64, u64)> {
    f.conflicts
        .iter()
        .map(|c| {
            let v = |i: usize| f.claims[i].value_low.unwrap() as u64;
            (v(c.a), v(c.b))
        })
        .collect()
}

#[test]
fn the_bundled_story_reads_as_a_careful_reader_would() {
    let ws = fixture("saves/marrow-valley-flood.workspace.ron");
    let list = tallymark::core::workspace::Workspace::load(&ws).unwrap();
    let docs: Vec<Document> = list
        .resolved(&ws)
        .iter()
        .map(|p| tallymark::core::persist::load(p).unwrap())
        .collect();
    let l = of(&docs);
    let killed = family(&l, "killed");
    // Exactly these: the governor's 38 against the emergency service's 47 the same day, and
    // both official tolls against the relief coalition's count (its "at least 117" and
    // "nearly 120" the same day are one disagreement per source, the wider kept). The town
    // paper's 9 for Cadder Bridge, the charity's 11 children and the service's 31 two days
    // earlier conflict with nothing.
    assert_eq!(
        conflict_values(killed),
        BTreeSet::from([(38, 47), (38, 117), (47, 117)]),
        "{:#?}",
        killed.conflicts
    );
    // The emergency service's 47 is one claim cited by two outlets (three places).
    let toll = killed
        .claims
        .iter()
        .find(|c| c.value_low == Some(47.0))
        .unwrap();
    let outlets: BTreeSet<&str> = toll
        .citations
        .iter()
        .filter_map(|c| c.outlet.as_deref())
        .collect();
    assert_eq!(
        outlets,
        BTreeSet::from(["Marrow Valley Herald", "Tarn Radio"])
    );
    // Its series: 31 on Friday, 47 on Sunday.
    let series = killed
        .series
        .iter()
        .find(|s| s.source == "regional emergency service")
        .unwrap();
    let values: Vec<f64> = series
        .claims
        .iter()
        .map(|&i| killed.claims[i].value_low.unwrap())
        .collect();
    assert_eq!(values, [31.0, 47.0]);
    assert_eq!(killed.best, Some(47.0));
    assert!(
        killed.best_rule.contains("regional emergency service"),
        "{}",
        killed.best_rule
    );
    // Displacement: the council's 12,000 against the coalition's more than 20,000.
    assert_eq!(
        conflict_values(family(&l, "displaced")),
        BTreeSet::from([(12000, 20000)])
    );
}

/// A one-article story with figures at the given places of `text`, published `date`.
fn story(text: &str, outlet: &str, date: &str, figures: &[(&str, &str, &str, &str)]) -> Document {
    let mut doc = Document::from_article(text, None);
    doc.meta.outlet = Some(outlet.to_owned());
    doc.meta.published = Some(date.parse().unwrap());
    for (exact, who, place, source) in figures {
        let byte = text.find(exact).unwrap();
        let start = text[..byte].chars().count();
        let span = Span {
            start,
            end: start + exact.chars().count(),
        };
        let mut a = doc.new_annotation(Kind::Figure, span, "t", time::OffsetDateTime::UNIX_EPOCH);
        if let tallymark::core::annotation::Attributes::Figure(f) = &mut a.attributes {
            "killed".clone_into(&mut f.metric);
            (*who).clone_into(&mut f.who);
            (*place).clone_into(&mut f.place);
            (*source).clone_into(&mut f.source);
            f.reported = None;
            f.qualifier = Qualifier::Exact;
        }
        Edit::Insert(a).apply(&mut doc).unwrap();
    }
    doc
}

#[test]
fn syndicated_copies_merge_and_rising_tolls_are_series() {
    let wire = "The health ministry said 52 people died.";
    let a = story(
        wire,
        "Wire One",
        "2024-03-16",
        &[("52", "people", "", "the health ministry")],
    );
    let b = story(
        wire,
        "Daily Two",
        "2024-03-16",
        &[("52", "people", "", "Health Ministry")],
    );
    let earlier = story(
        "The Ministry of Health said 31 people died.",
        "Wire One",
        "2024-03-14",
        &[("31", "people", "", "Ministry of Health")],
    );
    let l = of(&[a, b, earlier]);
    let killed = family(&l, "killed");
    assert_eq!(killed.claims.len(), 2, "{:#?}", killed.claims);
    assert_eq!(
        killed.series.len(),
        1,
        "“health ministry” and “Ministry of Health” are one"
    );
    assert_eq!(killed.series[0].claims.len(), 2);
    let latest = &killed.claims[killed.series[0].claims[1]];
    assert_eq!(latest.value_low, Some(52.0));
    assert_eq!(latest.citations.len(), 2, "one claim, two outlets");
    assert!(killed.conflicts.is_empty(), "an update is no conflict");
}

#[test]
fn parts_conflict_with_their_whole_only_when_larger_and_same_day_counts_do() {
    let text = "Officials said 40 died, including four children, 12 in Brennport and 45 in Ashford. \
                Relief workers said 38 had died.";
    let doc = story(
        text,
        "Wire",
        "2024-03-12",
        &[
            ("40", "people", "", "officials"),
            ("four", "children", "", "officials"),
            ("12", "people", "Brennport", "officials"),
            ("45", "people", "Ashford", "officials"),
            ("38", "people", "", "relief workers"),
        ],
    );
    let killed_doc = [doc];
    let l = of(&killed_doc);
    let killed = family(&l, "killed");
    let pairs = conflict_values(killed);
    assert!(
        !pairs.contains(&(4, 40)),
        "four children are part of the 40"
    );
    assert!(
        !pairs.contains(&(12, 40)),
        "12 in Brennport are part of the 40"
    );
    assert!(
        pairs.contains(&(38, 40)),
        "38 and 40 the same day: {pairs:?}"
    );
    assert!(
        pairs.contains(&(38, 45)),
        "Ashford alone (45) exceeds the relief workers' 38"
    );
    let ashford = killed
        .conflicts
        .iter()
        .find(|c| {
            killed.claims[c.b].value_low == Some(45.0) && killed.claims[c.a].value_low == Some(40.0)
        })
        .expect("a part larger than its whole conflicts");
    assert!(
        ashford
            .reason
            .contains("Ashford alone (45) exceeds the total"),
        "{}",
        ashford.reason
    );
}

#[test]
fn files_without_provenance_still_give_a_ledger_and_say_what_is_missing() {
    let doc =
        tallymark::core::persist::load(&fixture("saves/kazakhstan-protests-2022.ron")).unwrap();
    let l = of(&[doc]);
    assert!(!l.families.is_empty());
    assert_eq!(l.missing.len(), 1);
    assert!(
        l.missing[0].contains("has no outlet and no publication date"),
        "{}",
        l.missing[0]
    );
}

/// The app in a window, switched to the Compare tab (Ctrl+2), where the ledger is.
fn on_compare_tab(
    app: tallymark::ui::TallymarkApp,
) -> egui_kittest::Harness<'static, tallymark::ui::TallymarkApp> {
    use eframe::egui::{self, Key, Modifiers};
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(
            |ui, app: &mut tallymark::ui::TallymarkApp| app.frame_ui(ui),
            app,
        );
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    h.run();
    h
}

#[test]
fn the_ledger_heads_the_compare_tab_and_a_citation_jumps_to_its_article() {
    use egui_kittest::kittest::Queryable as _;
    let scratch = tempfile::tempdir().unwrap();
    let mut app = tallymark::ui::TallymarkApp::new(
        tallymark::core::editor::Editor::open(&fixture("saves/marrow-valley-flood-herald.ron"))
            .unwrap(),
        tallymark::core::settings::Settings::default(),
        tallymark::core::settings::Dirs {
            config: scratch.path().join("c"),
            saves: scratch.path().join("s"),
        },
        false,
    );
    app.open_path(&fixture("saves/marrow-valley-flood.workspace.ron"));
    let mut h = on_compare_tab(app);
    h.get_by_label("Ledger");
    h.get_by_label_contains("5 real conflicts");
    let killed_claims = h
        .get_all_by_label_contains("claims with their citations")
        .next()
        .expect("the killed family's claims");
    killed_claims.click();
    h.run();
    let radio = h
        .state()
        .editors()
        .iter()
        .position(|e| e.doc().meta.outlet.as_deref() == Some("Tarn Radio"))
        .unwrap();
    h.get_all_by_label("Tarn Radio")
        .next()
        .expect("a citation link")
        .click();
    h.run();
    assert_eq!(h.state().tab, tallymark::ui::app::Tab::Article);
    assert_eq!(h.state().active(), radio);
    assert!(h.state().view.selected.is_some());
}

#[test]
fn the_users_same_claim_part_of_and_exclude_survive_save_reload_and_undo() {
    use tallymark::core::annotation::Attributes;
    use tallymark::core::editor::{Editor, Origin};
    let text = "Officials said 40 died. Relief workers said 38 had died in the camps. \
                A hospital said 52 died.";
    let doc = story(
        text,
        "Wire",
        "2024-03-12",
        &[
            ("40", "people", "", "officials"),
            ("38", "people", "", "relief workers"),
            ("52", "people", "", "a hospital"),
        ],
    );
    let before = of(std::slice::from_ref(&doc));
    assert_eq!(family(&before, "killed").conflicts.len(), 3);

    let mut editor = Editor::new(doc, Origin::Builtin);
    let edit_figure =
        |editor: &mut Editor,
         value: f64,
         change: &dyn Fn(&mut tallymark::core::annotation::FigureAttrs)| {
            let mut a = editor
                .doc()
                .annotations()
                .iter()
                .find(|a| a.figure().and_then(|f| f.value_low) == Some(value))
                .unwrap()
                .as_ref()
                .clone();
            if let Attributes::Figure(f) = &mut a.attributes {
                change(f);
            }
            editor.apply(vec![Edit::Replace(a)], None).unwrap();
        };
    // The 38 is for the camps only: a part of the officials' toll. The hospital's 52 is
    // left out (a count of all patients, say).
    edit_figure(&mut editor, 40.0, &|f| {
        "official toll".clone_into(&mut f.claim);
    });
    edit_figure(&mut editor, 38.0, &|f| {
        "official toll".clone_into(&mut f.part_of);
    });
    edit_figure(&mut editor, 52.0, &|f| f.excluded = true);
    let after = of(std::slice::from_ref(editor.doc()));
    let killed = family(&after, "killed");
    assert!(killed.conflicts.is_empty(), "{:#?}", killed.conflicts);
    assert_eq!(killed.claims.len(), 2, "the 52 is left out");

    // Saved and reloaded, the decisions hold.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("story.ron");
    editor.save_to(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("claim: \"official toll\""), "{text}");
    assert!(text.contains("part_of: \"official toll\""), "{text}");
    assert!(text.contains("excluded: true"), "{text}");
    let reloaded = tallymark::core::persist::load(&path).unwrap();
    assert_eq!(of(&[reloaded]), after);
    // Undone, the rules decide again.
    for _ in 0..3 {
        editor.undo();
    }
    assert_eq!(of(std::slice::from_ref(editor.doc())), before);
}

#[test]
fn names_of_one_source_in_other_words_and_languages_are_one_source() {
    let a = story(
        "Minzdrav said 31 people died.",
        "Wire",
        "2024-03-14",
        &[("31", "people", "", "Минздрав")],
    );
    let b = story(
        "The health ministry said 52 people died.",
        "Daily",
        "2024-03-16",
        &[("52", "people", "", "the Ministry of Health")],
    );
    let l = of(&[a, b]);
    let killed = family(&l, "killed");
    assert_eq!(killed.series.len(), 1, "{:#?}", killed.series);
    assert!(killed.conflicts.is_empty(), "an update of one source");
    // The user's own list is read from the config folder.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sources.ron"),
        "(aliases: [[\"valley relief coalition\", \"the coalition\", \"VRC\"]])",
    )
    .unwrap();
    let (aliases, error) = tallymark::core::ledger::SourceAliases::from_config(dir.path());
    assert!(error.is_none(), "{error:?}");
    assert_eq!(aliases.aliases[0].len(), 3);
    std::fs::write(dir.path().join("sources.ron"), "(aliases: [[").unwrap();
    let (fallback, error) = tallymark::core::ledger::SourceAliases::from_config(dir.path());
    assert!(error.unwrap().contains("sources.ron"));
    assert_eq!(fallback, tallymark::core::ledger::SourceAliases::builtin());
}

/// Names the ledger keeps apart that look like one source are offered; the user's answer
/// joins them (or keeps them apart) from then on, remembered in `sources.ron`.
#[test]
fn the_ledger_offers_names_that_look_like_one_source_and_remembers_the_answer() {
    use egui_kittest::kittest::Queryable as _;
    use tallymark::core::editor::{Editor, Origin};
    let docs = [
        story(
            "President Tokayev said 164 people died.",
            "Wire",
            "2022-01-10",
            &[("164", "people", "", "President Tokayev")],
        ),
        story(
            "President Tokaev said 225 people died.",
            "Daily",
            "2022-01-15",
            &[("225", "people", "", "President Tokaev")],
        ),
        story(
            "The ICRC said 230 people died, and the International Committee of the Red Cross \
             later said 238.",
            "Radio",
            "2022-01-16",
            &[
                ("230", "people", "", "ICRC"),
                (
                    "238",
                    "people",
                    "",
                    "International Committee of the Red Cross",
                ),
            ],
        ),
        story(
            "The Interior Ministry said 40 people died; police said 41.",
            "Gazette",
            "2022-01-08",
            &[
                ("40", "people", "", "Interior Ministry"),
                ("41", "people", "", "police"),
            ],
        ),
    ];
    let offered = |l: &Ledger| -> Vec<(String, String, &'static str)> {
        l.maybe_same
            .iter()
            .map(|m| (m.a.clone(), m.b.clone(), m.why))
            .collect()
    };
    let l = of(&docs);
    assert_eq!(
        offered(&l),
        [
            (
                "ICRC".to_owned(),
                "International Committee of the Red Cross".to_owned(),
                "initials"
            ),
            (
                "President Tokaev".to_owned(),
                "President Tokayev".to_owned(),
                "spelling"
            ),
        ],
        "not the ministry and the police"
    );
    assert!(tallymark::core::ledger::to_table(&l).contains("maybe one source (spelling)"));

    // In the app: one answer each, remembered in the config folder's sources.ron.
    let scratch = tempfile::tempdir().unwrap();
    let config = scratch.path().join("c");
    let mut app = tallymark::ui::TallymarkApp::new(
        Editor::new(docs[0].clone(), Origin::Builtin),
        tallymark::core::settings::Settings::default(),
        tallymark::core::settings::Dirs {
            config: config.clone(),
            saves: scratch.path().join("s"),
        },
        false,
    );
    for d in &docs[1..] {
        app.add_editor(Editor::new(d.clone(), Origin::Builtin));
    }
    let mut h = on_compare_tab(app);
    h.get_by_label_contains("One source? “President Tokaev” and “President Tokayev”");
    // The first offer (ICRC) is answered "two sources", then the other "same source".
    let two = h.get_all_by_label("Two sources").next().expect("a button");
    two.hover();
    h.run();
    h.get_all_by_label("Two sources")
        .next()
        .expect("a button")
        .click();
    h.run();
    h.get_by_label_contains("One source? “President Tokaev” and “President Tokayev”");
    h.get_by_label("Same source").hover();
    h.run();
    h.get_by_label("Same source").click();
    h.run();
    assert!(
        h.query_by_label_contains("One source?").is_none(),
        "both answered"
    );
    let (saved, error) = tallymark::core::ledger::SourceAliases::from_config(&config);
    assert!(error.is_none(), "{error:?}");
    let l = of_with(
        &docs,
        &Options {
            aliases: std::sync::Arc::new(saved),
            ..Options::default()
        },
    );
    assert!(l.maybe_same.is_empty(), "{:?}", l.maybe_same);
    let tokayev = family(&l, "killed")
        .series
        .iter()
        .filter(|s| s.source.contains("Toka"))
        .count();
    assert_eq!(tokayev, 1, "one source, its toll a series");
}
