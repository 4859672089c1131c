//! Articles in Russian, Kazakh and Ukrainian: suggestions, the language menu, comparison
//! with English reports of the same event, and hostile text.

use std::process::Command;

use eframe::egui;
use egui_kittest::{Harness, kittest::Queryable as _};
use tallymark::core::annotate::{Accept, accept_suggestions};
use tallymark::core::compare::{Source, compare};
use tallymark::core::document::Document;
use tallymark::core::metrics::Taxonomy;
use tallymark::core::settings::{Dirs, Settings};
use tallymark::core::suggest::{Lang, Options, explain, suggest};
use tallymark::ui::TallymarkApp;

const RUSSIAN: &str = "Алматы. 7 января. НОВОСТИ-ВОСТОК — В ходе беспорядков погибли \
                       164 человека, в том числе трое детей, сообщило министерство \
                       здравоохранения. По данным МВД, задержаны более 5,8 тысячи человек. \
                       Ранения получили свыше 2 200 человек.\n";
const ENGLISH: &str = "ALMATY, Jan 8 (Wire) - At least 225 people were killed in the unrest, \
                       the prosecutor's office said on Saturday. Nearly 10,000 people were \
                       detained, the interior ministry said.\n";
const KAZAKH: &str = "Алматы, 7 қаңтар. Тәртіпсіздік кезінде 87 адам қаза тапты, 3 мыңнан \
                      астам адам ұсталды, деп хабарлады ІІМ.\n";
const UKRAINIAN: &str = "Унаслідок обстрілу загинули 64 людини, ще понад 300 поранені, \
                         повідомили в обласній адміністрації.\n";

fn accepted(text: &str) -> Document {
    let mut doc = Document::from_article(text, None);
    let now = time::OffsetDateTime::UNIX_EPOCH;
    accept_suggestions(&mut doc, Accept::default(), now).expect("suggestions fit");
    doc
}

#[test]
fn each_language_is_detected_and_read() {
    for (text, lang, figures) in [
        (
            RUSSIAN,
            Lang::Ru,
            vec!["164", "трое", "более 5,8 тысячи", "свыше 2 200"],
        ),
        (KAZAKH, Lang::Kk, vec!["87", "3 мыңнан астам"]),
        (UKRAINIAN, Lang::Uk, vec!["64", "понад 300"]),
        (ENGLISH, Lang::En, vec!["At least 225", "Nearly 10,000"]),
    ] {
        let s = suggest(text, Options::default());
        assert_eq!(s.language, lang, "{text}");
        let found: Vec<&str> = s.figures.iter().map(|f| f.exact.as_str()).collect();
        assert_eq!(found, figures, "{text}");
    }
    // The metric is the same word in every language, so families line up.
    let ru = suggest(RUSSIAN, Options::default());
    let metrics: Vec<&str> = ru
        .figures
        .iter()
        .map(|f| f.figure.metric.as_str())
        .collect();
    assert_eq!(metrics, ["killed", "killed", "detained", "injured"]);
}

#[test]
fn a_russian_and_an_english_report_compare_in_one_family_per_metric() {
    let ru = accepted(RUSSIAN);
    let en = accepted(ENGLISH);
    let c = compare(
        &[
            Source {
                title: "Новости-Восток".into(),
                doc: &ru,
            },
            Source {
                title: "Wire".into(),
                doc: &en,
            },
        ],
        &Taxonomy::builtin(),
    );
    let family = |id: &str| {
        c.families
            .iter()
            .find(|f| f.metric == id)
            .unwrap_or_else(|| panic!("family {id} in {:?}", c.families))
    };
    let killed = family("killed");
    let titles: std::collections::BTreeSet<&str> =
        killed.figures.iter().map(|f| f.document.as_ref()).collect();
    assert_eq!(titles.len(), 2, "both reports in Killed: {killed:?}");
    assert!(killed.conflict, "164 against at least 225 is a conflict");
    let detentions = family("detentions");
    let values: Vec<f64> = detentions
        .figures
        .iter()
        .filter_map(|f| f.value_low)
        .collect();
    assert!(
        values.contains(&5800.0) && values.contains(&10000.0),
        "{values:?}"
    );
    assert_eq!(
        c.families.iter().filter(|f| f.metric == "killed").count(),
        1,
        "one family, not one per language"
    );
}

#[test]
fn a_mixed_text_is_read_sentence_by_sentence() {
    let text = format!("{ENGLISH}{RUSSIAN}{UKRAINIAN}");
    for lang in [None, Some(Lang::En), Some(Lang::Ru)] {
        let s = suggest(
            &text,
            Options {
                language: lang,
                ..Options::default()
            },
        );
        let found: Vec<&str> = s.figures.iter().map(|f| f.exact.as_str()).collect();
        assert_eq!(
            found,
            [
                "At least 225",
                "Nearly 10,000",
                "164",
                "трое",
                "более 5,8 тысячи",
                "свыше 2 200",
                "64",
                "понад 300"
            ],
            "language {lang:?}"
        );
    }
}

#[test]
fn hostile_cyrillic_text_neither_panics_nor_invents() {
    // Latin look-alike letters inside Cyrillic words ("Пoгибли" with a Latin o): the word is
    // not the verb, and nothing is made of it.
    let lookalike = "Пoгибли 12 чeлoвeк.";
    let _ = suggest(lookalike, Options::default());
    // A number split by a line break is two numbers, not twelve thousand.
    let split = "Эвакуированы 12\n000 жителей.";
    let s = suggest(split, Options::default());
    assert!(
        s.figures
            .iter()
            .all(|f| f.figure.value_low != Some(12000.0)),
        "{:?}",
        s.figures
    );
    // One sentence of a megabyte, and a megabyte of qualifiers with no number.
    let sentence = "более около почти 12 000 человек, ".repeat(30_000);
    let s = suggest(&sentence, Options::default());
    assert!(!s.figures.is_empty());
    let qualifiers = "не менее чем ".repeat(80_000);
    assert!(suggest(&qualifiers, Options::default()).figures.is_empty());
    // Every rule that rejects names itself.
    let why = explain(
        "Штраф до 300 тыс. рублей, статья 212, в 2021 году.",
        Options::default(),
    );
    let rules: Vec<&str> = why.iter().map(|(_, r)| *r).collect();
    assert_eq!(rules, ["unit-money-duration", "label", "year"]);
}

#[test]
fn suggest_json_names_the_language() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ru.txt");
    std::fs::write(&path, RUSSIAN).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tallymark"))
        .args(["suggest", path.to_str().unwrap(), "--format", "json"])
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["language"], "ru");
    assert_eq!(v["figures"][0]["exact"], "164");
    assert_eq!(v["figures"][0]["metric"], "killed");
    assert!(
        v.get("not_figures").is_none(),
        "the shape is unchanged without --explain"
    );

    // --explain names the rule that turned each other number down, in either language.
    let mixed = dir.path().join("mixed.txt");
    std::fs::write(
        &mixed,
        "In 2019 the army sent 2,500 troops to the city. В 2021 году штраф составил до 300 тыс. \
         рублей.\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tallymark"))
        .args([
            "suggest",
            mixed.to_str().unwrap(),
            "--format",
            "json",
            "--explain",
        ])
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<(&str, &str)> = v["not_figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["exact"].as_str().unwrap(), n["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rules,
        [
            ("2,500", "deployment"),
            ("2021", "year"),
            ("до 300 тыс.", "unit-money-duration")
        ]
    );
}

#[test]
fn the_status_bar_shows_the_language_and_changes_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ru.txt");
    std::fs::write(&path, RUSSIAN).unwrap();
    let app = TallymarkApp::new(
        tallymark::core::editor::Editor::open(&path).unwrap(),
        Settings::default(),
        Dirs {
            config: dir.path().join("config"),
            saves: dir.path().join("saves"),
        },
        false,
    );
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut TallymarkApp| app.frame_ui(ui), app);
    h.run();
    // Opening the text read its language, which the article now records.
    assert_eq!(
        h.state().editor().doc().meta.language.as_deref(),
        Some("ru")
    );
    h.get_by_label("Russian (ru)").click();
    h.run();
    h.get_by_label("Kazakh (kk)").click();
    h.run();
    assert_eq!(
        h.state().editor().doc().meta.language.as_deref(),
        Some("kk")
    );
    h.get_by_label("Kazakh (kk)");
    assert!(
        h.state().editor().is_dirty(),
        "a change to the article, saved with it"
    );
    // Back to detection: the language is no longer set.
    h.get_by_label("Kazakh (kk)").click();
    h.run();
    h.get_by_label("Detect from the text").click();
    h.run();
    assert_eq!(h.state().editor().doc().meta.language, None);
    h.get_by_label("Russian (detected)");
}
