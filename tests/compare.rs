//! Comparing figures on the bundled fixtures: the seed article and the fictional pair.

use std::path::{Path, PathBuf};
use std::process::Command;

use eframe::egui;
use egui_kittest::{Harness, kittest::Queryable as _};
use tallymark::core::compare::{Comparison, Source, compare};
use tallymark::core::metrics::Taxonomy;
use tallymark::core::persist;
use tallymark::core::settings::{Dirs, Settings};
use tallymark::ui::TallymarkApp;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_tallymark"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn family<'a>(v: &'a serde_json::Value, metric: &str) -> &'a serde_json::Value {
    v["families"]
        .as_array()
        .expect("families")
        .iter()
        .find(|f| f["metric"] == metric)
        .unwrap_or_else(|| panic!("family {metric} in {v}"))
}

#[test]
fn seed_detentions_conflict_and_killed_family_is_listed() {
    let v = json(&[
        "compare",
        "saves/kazakhstan-protests-2022.ron",
        "--format",
        "json",
    ]);
    let det = family(&v, "detentions");
    assert_eq!(det["conflict"], true);
    let figs = det["figures"].as_array().unwrap();
    let has = |value: f64, q: &str| {
        figs.iter()
            .any(|f| f["value_low"].as_f64() == Some(value) && f["qualifier"] == q)
    };
    assert!(has(10_000.0, "more_than"), "{det}");
    assert!(has(2_000.0, "exact"), "{det}");
    // The 2,000 vs more than 10,000 pair is among the conflicts, at 5x.
    let conflicts = det["conflicts"].as_array().unwrap();
    assert!(
        conflicts.iter().any(|c| {
            let a = &figs[c["a"].as_u64().unwrap() as usize];
            let b = &figs[c["b"].as_u64().unwrap() as usize];
            a["value_low"].as_f64() == Some(2_000.0)
                && b["value_low"].as_f64() == Some(10_000.0)
                && (c["ratio"].as_f64().unwrap() - 5.0).abs() < 1e-9
        }),
        "{conflicts:?}"
    );
    for key in ["min", "max", "spread"] {
        assert!(det[key].is_number(), "{key} in {det}");
    }
    for f in figs {
        for key in [
            "document",
            "start",
            "end",
            "exact",
            "value_low",
            "value_high",
            "qualifier",
            "who",
            "source",
            "reported",
        ] {
            assert!(f.get(key).is_some(), "{key} in {f}");
        }
    }

    let killed = family(&v, "killed");
    let kf = killed["figures"].as_array().unwrap();
    let has_k = |value: f64, q: &str| {
        kf.iter()
            .any(|f| f["value_low"].as_f64() == Some(value) && f["qualifier"] == q)
    };
    assert!(has_k(160.0, "more_than"));
    assert!(has_k(164.0, "about"));
    assert!(
        has_k(26.0, "exact") && has_k(18.0, "exact"),
        "the 7 January partial counts"
    );
    let partial: Vec<_> = kf
        .iter()
        .filter(|f| f["reported"] == "2022-01-07")
        .collect();
    assert!(
        partial.iter().all(|f| f["subtotal"] == true),
        "26 protesters and 18 policemen are subtotals"
    );
    // More than 160 and about 164 are consistent with each other.
    let pair_conflicts = killed["conflicts"].as_array().unwrap().iter().any(|c| {
        let a = kf[c["a"].as_u64().unwrap() as usize]["value_low"].as_f64();
        let b = kf[c["b"].as_u64().unwrap() as usize]["value_low"].as_f64();
        matches!(
            (a, b),
            (Some(160.0), Some(164.0)) | (Some(164.0), Some(160.0))
        )
    });
    assert!(!pair_conflicts);
}

#[test]
fn the_workspace_compares_across_the_fictional_outlets() {
    let v = json(&[
        "compare",
        "saves/marrow-valley-flood.workspace.ron",
        "--format",
        "json",
    ]);
    let killed = family(&v, "killed");
    let docs: std::collections::BTreeSet<&str> = killed["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["document"].as_str().unwrap())
        .collect();
    assert_eq!(docs.len(), 4, "figures from the four outlets: {docs:?}");
    assert_eq!(killed["conflict"], true, "the outlets' tolls disagree");
    // The conflict pairs a figure of one outlet with a figure of the other.
    let figs = killed["figures"].as_array().unwrap();
    assert!(killed["conflicts"].as_array().unwrap().iter().any(|c| {
        figs[c["a"].as_u64().unwrap() as usize]["document"]
            != figs[c["b"].as_u64().unwrap() as usize]["document"]
    }));
}

#[test]
fn table_and_csv_formats() {
    let out = Command::new(env!("CARGO_BIN_EXE_tallymark"))
        .args(["compare", "saves/kazakhstan-protests-2022.ron"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("Arrested and detained (detentions)"),
        "{table}"
    );
    assert!(table.contains("CONFLICT"), "{table}");
    let out = Command::new(env!("CARGO_BIN_EXE_tallymark"))
        .args([
            "compare",
            "saves/kazakhstan-protests-2022.ron",
            "--format",
            "csv",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "family");
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert!(
        rows.iter()
            .any(|row| &row[2] == "more than 10,000" && &row[3] == "10000")
    );
}

fn seed_comparison() -> Comparison {
    let doc = persist::load(&fixture("saves/kazakhstan-protests-2022.ron")).unwrap();
    compare(
        &[Source {
            title: "seed".into(),
            doc: &doc,
        }],
        &Taxonomy::builtin(),
    )
}

#[test]
fn library_and_cli_agree() {
    let lib = serde_json::to_value(seed_comparison()).unwrap();
    let cli = json(&[
        "compare",
        "saves/kazakhstan-protests-2022.ron",
        "--format",
        "json",
    ]);
    assert_eq!(
        lib["families"].as_array().unwrap().len(),
        cli["families"].as_array().unwrap().len()
    );
}

#[test]
fn compare_view_lists_families_and_jumps_to_a_figure() {
    let scratch = tempfile::tempdir().unwrap();
    let mut app = TallymarkApp::new(
        tallymark::core::editor::Editor::open(&fixture("saves/kazakhstan-protests-2022.ron"))
            .unwrap(),
        Settings::default(),
        Dirs {
            config: scratch.path().join("c"),
            saves: scratch.path().join("s"),
        },
        false,
    );
    app.open_path(&fixture("saves/marrow-valley-flood.workspace.ron"));
    assert_eq!(app.editors().len(), 4, "{:?}", app.notices());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut TallymarkApp| app.frame_ui(ui), app);
    h.run();
    // Two articles listed; switching is one click.
    let second = h.state().editors()[1].doc().meta.title.clone();
    h.get_all_by_label_contains(&second[..20.min(second.len())])
        .next()
        .expect("the article's row")
        .click();
    h.run();
    assert_eq!(h.state().active(), 1);
    h.get_by_label("Compare figures").click();
    h.run();
    assert_eq!(h.state().tab, tallymark::ui::app::Tab::Compare);
    assert!(
        h.get_all_by_label("Killed").count() >= 2,
        "in the ledger and the figures"
    );
    assert!(
        !h.get_all_by_label_contains("conflict")
            .collect::<Vec<_>>()
            .is_empty()
    );
    // Click the first figure of the killed family: back to its article, selected.
    let fam = h
        .state_mut()
        .comparison()
        .families
        .iter()
        .find(|f| f.metric == "killed")
        .unwrap()
        .clone();
    let first = &fam.figures[0];
    let label = tallymark::core::annotation::format_number(first.value_low.unwrap());
    // Below the ledger, in a table whose rows are laid out only in view: scroll to the
    // table first, as a user would.
    h.get_all_by_label("In context")
        .next()
        .expect("the figures table")
        .scroll_to_me();
    h.run();
    h.get_all_by_label(&label)
        .next()
        .expect("value link")
        .scroll_to_me();
    h.run();
    h.get_all_by_label(&label)
        .next()
        .expect("value link")
        .click();
    h.run();
    assert_eq!(h.state().tab, tallymark::ui::app::Tab::Article);
    assert_eq!(h.state().active(), first.doc_index);
    assert_eq!(h.state().view.selected, Some(first.id));
}
