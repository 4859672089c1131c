//! Interchange with other annotation tools (issue 14): imports that count what they do not
//! bring in, brat corpora with foreign types, relations, events, attributes,
//! normalisations, notes, a byte-order mark, CRLF and an article edited after annotation,
//! W3C files in the layouts the model allows, and output names. The fixtures in
//! `tests/data/interop/` are written for these tests in each format's exact shape.

use std::path::{Path, PathBuf};

use tallymark::core::annotation::{Attributes, Kind};
use tallymark::core::document::Document;
use tallymark::core::export::imported::{Reason, TypeMap};
use tallymark::core::export::{self, Format, ImportFormat, brat, import_with, w3c};
use tallymark::core::persist;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/interop")
        .join(name)
}

fn article(name: &str) -> Document {
    persist::load_article(&data(name)).expect("fixture article loads")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(data(name)).expect("fixture reads")
}

mod common;
use common::tallymark;

fn varnhold_map() -> TypeMap {
    TypeMap::parse(&[
        "premise=claim",
        "COUNT=figure",
        "Flooding=claim",
        "location=Quote",
    ])
    .unwrap()
}

/// The text column of each `T` line of a `.ann`, by id.
/// The varnhold corpus file imported with [`varnhold_map`].
fn varnhold_imported() -> tallymark::core::export::Imported {
    import_with(
        &article("varnhold.txt"),
        &read("varnhold.ann"),
        ImportFormat::Brat,
        &varnhold_map(),
    )
    .unwrap()
}

/// The app on `editor` in a kittest harness, with its settings and saves in `scratch`.
fn app_on(
    editor: tallymark::core::editor::Editor,
    scratch: &Path,
) -> egui_kittest::Harness<'static, tallymark::ui::TallymarkApp> {
    use tallymark::core::settings::{Dirs, Settings};
    use tallymark::ui::TallymarkApp;
    let dirs = Dirs {
        config: scratch.join("config"),
        saves: scratch.join("saves"),
    };
    let app = TallymarkApp::new(editor, Settings::default(), dirs, false);
    let mut h = egui_kittest::Harness::builder()
        .with_size(eframe::egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut TallymarkApp| app.frame_ui(ui), app);
    h.run();
    h
}

fn columns(ann: &str) -> std::collections::BTreeMap<u64, String> {
    ann.lines()
        .filter(|l| l.starts_with('T'))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0][1..].parse().unwrap(), f[2].to_owned())
        })
        .collect()
}

#[test]
fn brat_import_counts_everything_it_leaves_out_and_moves_nothing_onto_other_words() {
    let imported = varnhold_imported();
    let r = &imported.report;
    assert_eq!(
        r.imported,
        [2, 2, 2],
        "claims T1 T8, quotes T3 T9, figures T4 T5: {}",
        r.summary()
    );
    let reasons: Vec<(Reason, usize)> = r.not_imported.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(
        reasons,
        [
            (Reason::UnknownType, 1),
            (Reason::Relation, 1),
            (Reason::Attribute, 1),
            (Reason::Note, 1),
            (Reason::Normalisation, 1),
            (Reason::Unsupported, 1),
        ],
        "{}",
        r.summary()
    );
    assert_eq!(r.unknown_types.get("Person"), Some(&1));
    // The .txt gained a sentence after annotation: everything after it moved; "more than
    // 200" became "more than 230" and is kept as an orphan, not put on the new number.
    assert_eq!(r.moved, 6, "{}", r.summary());
    assert_eq!(r.orphans, 1);
    assert_eq!(imported.doc.orphans()[0].exact, "more than 200");
    let cols = columns(&read("varnhold.ann"));
    for a in imported.doc.annotations() {
        assert_eq!(imported.doc.text().slice(a.span), cols[&a.id], "T{}", a.id);
    }
    assert_eq!(r.links, 2, "R1 and E1's argument");
}

#[test]
fn brat_notes_attributes_normalisations_and_links_are_kept_and_written_back() {
    let imported = varnhold_imported();
    let d = &imported.doc;
    let t1 = d.get(1).unwrap();
    assert_eq!(t1.label.as_deref(), Some("Premise"));
    assert_eq!(
        t1.notes,
        [
            "Governor's statement; see also | other=thing",
            "second note, kept after the first"
        ],
        "verbatim, in order, not split at = or |"
    );
    assert!(t1.note.is_empty());
    assert_eq!(t1.fields[0].name, "Negated");
    assert!(
        t1.created.is_none() && t1.modified.is_none(),
        "no invented times"
    );
    let t4 = d.get(4).unwrap();
    assert_eq!(
        t4.figure().unwrap().qualifier.key(),
        "at_least",
        "Tallymark's own attribute is read"
    );
    assert_eq!(
        (t4.fields[0].name.as_str(), t4.fields[0].value.as_str()),
        ("Confidence", "High")
    );
    let t9 = d.get(9).unwrap();
    assert_eq!(t9.fields[0].normalised.as_deref(), Some("Tesk"));
    let t3 = d.get(3).unwrap();
    assert_eq!((t3.links[0].label.as_str(), t3.links[0].to), ("Support", 1));

    let (_, ann) = brat::to_brat(d);
    for line in [
        "T1\tPremise ",
        "\tNegated T1\n",
        "\tConfidence T4 High\n",
        "\tWikidata T9 Wikidata:Q000001\tTesk\n",
        "\tSupport Arg1:T3 Arg2:T1\n",
        "\tFlooding:T8 Place:T9\n",
        "\tAnnotatorNotes T1\tGovernor's statement; see also | other=thing\n",
        "\tAnnotatorNotes T1\tsecond note, kept after the first\n",
    ] {
        assert!(ann.contains(line), "{line:?} in\n{ann}");
    }
    assert!(!ann.contains("Status"), "no invented claim status:\n{ann}");
    assert!(!ann.contains("created="), "no invented time:\n{ann}");
    assert!(
        !ann.contains("Qualifier T5"),
        "no invented qualifier:\n{ann}"
    );
    // Back in: what brat carries comes back the same.
    let back = import_with(d, &ann, ImportFormat::Brat, &varnhold_map()).unwrap();
    assert_eq!(back.doc.annotations(), d.annotations());
    assert_eq!(back.report.moved, 0);

    let conf = brat::annotation_conf(d);
    for line in [
        "[entities]\n",
        "Premise\n",
        "Support\tArg1:<ANY>, Arg2:<ANY>\n",
        "Flooding\tPlace*:<ANY>\n",
        "Confidence\tArg:<ANY>, Value:High\n",
        "Negated\tArg:<ANY>\n",
    ] {
        assert!(conf.contains(line), "{line:?} in\n{conf}");
    }
    let entities = conf.split("[relations]").next().unwrap();
    assert!(
        !entities.contains("Flooding"),
        "an event trigger type is an event"
    );
}

#[test]
fn brat_offsets_counting_a_bom_and_crlf_are_placed_on_their_words() {
    let doc = article("harbour.txt");
    // The article as Tallymark reads it: no BOM, LF line endings; the .ann counts both.
    assert!(!doc.text().as_str().starts_with('\u{feff}') && !doc.text().as_str().contains('\r'));
    assert!(read("harbour.txt").starts_with('\u{feff}') && read("harbour.txt").contains("\r\n"));
    let map = TypeMap::parse(&["speaker=quote"]).unwrap();
    let imported = import_with(&doc, &read("harbour.ann"), ImportFormat::Brat, &map).unwrap();
    let r = &imported.report;
    assert_eq!(r.imported, [0, 2, 2], "{}", r.summary());
    assert_eq!(
        r.moved,
        4,
        "every entity sits after the BOM: {}",
        r.summary()
    );
    assert_eq!(r.orphans, 0);
    let text = |id| {
        imported
            .doc
            .text()
            .slice(imported.doc.get(id).unwrap().span)
    };
    assert_eq!(text(1), "“Nobody sails today,”");
    assert_eq!(text(3), "38");
    assert_eq!(text(4), "2");
    assert!(text(2).starts_with("the") && text(2).ends_with("master"));
    assert!(
        r.examples
            .iter()
            .any(|(_, e)| e.contains("byte-order mark and CRLF")),
        "{:?}",
        r.examples
    );
}

#[test]
fn a_brat_file_of_only_unknown_types_fails_naming_them_and_a_map_brings_them_in() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("people.ron");
    let report = dir.path().join("report.json");
    let ann = data("people-only.ann");
    let ann = ann.to_str().unwrap();
    let (ok, _, err) = tallymark(&[
        "import",
        ann,
        "-o",
        out.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert!(!ok, "nothing imported is a failure: {err}");
    assert!(err.contains("Person ×2") && err.contains("GPE ×1"), "{err}");
    assert!(err.contains("nothing imported"), "{err}");
    assert!(!out.exists());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "imported": {"claim": 0, "quote": 0, "figure": 0},
            "not_imported": {"unknown_type": 3, "relation": 1},
            "moved": 0,
            "orphans": 0,
            "unknown_types": {"GPE": 1, "Person": 2},
        })
    );

    let (ok, _, err) = tallymark(&[
        "import",
        ann,
        "--map",
        "person=quote",
        "--map",
        "gpe=SKIP",
        "-o",
        out.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
        "--force",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(v["imported"]["quote"], 2);
    assert_eq!(v["not_imported"], serde_json::json!({"skipped_type": 1}));
    let doc = persist::load(&out).unwrap();
    assert_eq!(doc.annotations().len(), 2);
    assert_eq!(doc.get(1).unwrap().links[0].label, "Met");

    let (ok, _, err) = tallymark(&["import", ann, "--map", "person"]);
    assert!(!ok && err.contains("TYPE=KIND"), "{err}");
}

#[test]
fn tallymark_own_files_still_round_trip_exactly_through_brat_and_w3c() {
    let seed = persist::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/kazakhstan-protests-2022.ron"),
    )
    .unwrap();
    // Every bundled file: the story's carry places, parts, exclusions and date sources.
    let mut bundled: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("saves"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "ron")
                    && !p.to_string_lossy().ends_with(".workspace.ron")
            })
            .collect();
    bundled.sort();
    assert!(bundled.len() >= 6, "{bundled:?}");
    for path in &bundled {
        let doc = persist::load(path).unwrap();
        let (_, ann) = brat::to_brat(&doc);
        let back = import_with(&doc, &ann, ImportFormat::Brat, &TypeMap::default()).unwrap();
        assert_eq!(
            back.doc.annotations(),
            doc.annotations(),
            "{} through brat",
            path.display()
        );
        assert_eq!(
            back.report.total_not_imported(),
            0,
            "{}",
            back.report.summary()
        );
        assert_eq!(back.report.moved + back.report.orphans, 0);
        let json = w3c::to_json(&doc).unwrap();
        let back = import_with(&doc, &json, ImportFormat::W3c, &TypeMap::default()).unwrap();
        assert_eq!(
            back.doc.annotations(),
            doc.annotations(),
            "{} through W3C",
            path.display()
        );
        assert_eq!(
            back.report.total_not_imported(),
            0,
            "{}",
            back.report.summary()
        );
    }
    // The RON of a file with the new optional fields absent is what it was.
    let ron = persist::to_ron(&seed).unwrap();
    assert!(!ron.contains("label:") && !ron.contains("links:"));
    let original = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/kazakhstan-protests-2022.ron"),
    )
    .unwrap();
    assert_eq!(
        ron, original,
        "the bundled file is written back byte for byte"
    );
}

#[test]
fn imported_fields_survive_a_save() {
    let imported = varnhold_imported();
    let ron = persist::to_ron(&imported.doc).unwrap();
    let back = persist::parse(Path::new("x.ron"), &ron).unwrap();
    assert_eq!(back.annotations(), imported.doc.annotations());
    assert_eq!(back.orphans(), imported.doc.orphans());
    assert!(!ron.contains("created:"), "absent stays absent");
    assert!(matches!(
        back.get(1).unwrap().attributes,
        Attributes::Claim(_)
    ));
    assert_eq!(back.get(9).unwrap().kind(), Kind::Quote);
}

/// What W3C can carry of brat's extras comes back from a W3C round trip: the other tool's
/// type, the notes (the note apart), tags, fragments; brat attributes, normalisations and
/// links are not carried (documented).
#[test]
fn w3c_round_trip_keeps_the_type_notes_and_tags() {
    let mut d = varnhold_imported().doc;
    let mut t1 = d.get(1).unwrap().clone();
    t1.note = "the note".into();
    t1.fields.push(tallymark::core::annotation::Field {
        name: "tag".into(),
        value: "toll".into(),
        normalised: None,
    });
    tallymark::core::edit::Edit::Replace(t1)
        .apply(&mut d)
        .unwrap();
    let json = w3c::to_json(&d).unwrap();
    let back = import_with(&d, &json, ImportFormat::W3c, &TypeMap::default())
        .unwrap()
        .doc;
    let (a, b) = (d.get(1).unwrap(), back.get(1).unwrap());
    assert_eq!(b.label.as_deref(), Some("Premise"));
    assert_eq!(b.note, "the note");
    assert_eq!(b.notes, a.notes);
    assert_eq!(
        b.fields
            .iter()
            .map(|f| f.value.as_str())
            .collect::<Vec<_>>(),
        ["toll"],
        "the tag; Negated is brat's only"
    );
    for (x, y) in d.annotations().iter().zip(back.annotations()) {
        assert_eq!((x.span, x.kind(), &x.label), (y.span, y.kind(), &y.label));
    }
}

#[test]
fn export_output_names_keep_their_dots_and_are_not_replaced_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kz.annotator-b.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/kazakhstan-protests-2022.ron"),
        &file,
    )
    .unwrap();
    let stem = dir.path().join("kazakhstan-protests-2022.annotator-b");
    let reference = dir.path().join("kazakhstan-protests-2022.ann");
    std::fs::write(&reference, "the reference annotator's export").unwrap();
    let (ok, _, err) = tallymark(&[
        "export",
        file.to_str().unwrap(),
        "--to",
        "brat",
        "-o",
        stem.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    for name in [
        "kazakhstan-protests-2022.annotator-b.ann",
        "kazakhstan-protests-2022.annotator-b.txt",
        "annotation.conf",
    ] {
        assert!(dir.path().join(name).is_file(), "{name}: {err}");
    }
    assert_eq!(
        std::fs::read_to_string(&reference).unwrap(),
        "the reference annotator's export",
        "never cut at a dot onto another file"
    );
    // Again: the .ann exists now and is not replaced without --force.
    std::fs::write(
        dir.path().join("kazakhstan-protests-2022.annotator-b.ann"),
        "mine",
    )
    .unwrap();
    let (ok, _, err) = tallymark(&[
        "export",
        file.to_str().unwrap(),
        "--to",
        "brat",
        "-o",
        stem.to_str().unwrap(),
    ]);
    assert!(!ok && err.contains("--force"), "{err}");
    // A W3C name with dots is written as given.
    let w3c_out = dir.path().join("kz.annotator-b.export");
    let (ok, _, err) = tallymark(&[
        "export",
        file.to_str().unwrap(),
        "--to",
        "w3c",
        "-o",
        w3c_out.to_str().unwrap(),
    ]);
    assert!(ok && w3c_out.is_file(), "{err}");
    // `-o NAME.ann` names the pair by its stem.
    let paths = export::output_paths(
        &export::export(&persist::load(&file).unwrap(), Format::Brat).unwrap(),
        Format::Brat,
        Path::new("out/a.b.ann"),
    );
    assert_eq!(
        paths,
        [
            PathBuf::from("out/a.b.txt"),
            PathBuf::from("out/a.b.ann"),
            PathBuf::from("out/annotation.conf")
        ]
    );
}

#[test]
fn w3c_layouts_of_other_tools_are_read_and_what_selects_no_text_is_counted() {
    let doc = article("lakeshore.txt");
    let json = read("lakeshore-w3c.json");
    let nothing = import_with(&doc, &json, ImportFormat::W3c, &TypeMap::default()).unwrap();
    assert!(nothing.report.brought_nothing());
    assert_eq!(
        nothing.report.unknown_types.keys().collect::<Vec<_>>(),
        ["commenting", "highlighting", "quoting", "tagging"]
    );
    let map = TypeMap::parse(&[
        "highlighting=figure",
        "commenting=claim",
        "quoting=quote",
        "workers=figure",
    ])
    .unwrap();
    let imported = import_with(&doc, &json, ImportFormat::W3c, &map).unwrap();
    let r = &imported.report;
    assert_eq!(r.imported, [1, 1, 2], "{}", r.summary());
    let reasons: Vec<(Reason, usize)> = r.not_imported.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(
        reasons,
        [
            (Reason::NonTextTarget, 2),
            (Reason::LinkedPage, 1),
            (Reason::Unsupported, 1)
        ],
        "an image region and an XPath range; page 3 is linked, not in the file; a body \
         that is an IRI: {}",
        r.summary()
    );
    assert!(r.summary().contains("c1/p3"), "{}", r.summary());
    assert_eq!(r.orphans, 1, "“closed for repairs” is not in the article");
    let d = &imported.doc;
    let by_text = |t: &str| {
        d.annotations()
            .iter()
            .find(|a| a.exact == t)
            .unwrap_or_else(|| panic!("{t} imported"))
    };
    // A quote alone, in a target array; a position alone; each under refinedBy.
    assert_eq!(by_text("120 cars").kind(), Kind::Figure);
    assert_eq!(
        by_text("120 cars").notes,
        ["Traffic count from the council."],
        "a body without a purpose is kept as a note"
    );
    let claim = by_text("Police counted 120 cars in the first hour.");
    assert_eq!(claim.kind(), Kind::Claim);
    assert_eq!(claim.note, "Check with the police log.");
    assert_eq!(claim.fields[0].value, "traffic", "a tag is kept");
    assert_eq!(claim.label.as_deref(), Some("commenting"));
    assert_eq!(by_text("“It took nine days,”").kind(), Kind::Quote);
    assert_eq!(by_text("About 40 workers").kind(), Kind::Figure);
    for a in d.annotations() {
        assert_eq!(d.text().slice(a.span), a.exact);
        assert!(a.created.is_none(), "no invented time");
    }
}

#[test]
fn w3c_annotation_iris_differ_between_files_and_stay_put_across_exports() {
    let seed = persist::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/kazakhstan-protests-2022.ron"),
    )
    .unwrap();
    let ids = |json: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        v["first"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let a = ids(&w3c::to_json_named(&seed, "kz.ron").unwrap());
    let again = ids(&w3c::to_json_named(&seed, "kz.ron").unwrap());
    let b = ids(&w3c::to_json_named(&seed, "kz.annotator-b.ron").unwrap());
    assert_eq!(a, again, "stable across exports of the same file");
    assert!(
        a.iter().all(|id| !b.contains(id)),
        "two files of one article mint different IRIs"
    );
    let mut other = seed.clone();
    other = Document::from_parts(
        other.meta.clone(),
        other.text().as_str().to_owned(),
        other
            .annotations()
            .iter()
            .map(|x| {
                let mut x = (**x).clone();
                x.annotator = "someone else".into();
                x
            })
            .collect::<Vec<_>>(),
    );
    let c = ids(&w3c::to_json_named(&other, "kz.ron").unwrap());
    assert!(
        a.iter().all(|id| !c.contains(id)),
        "another annotator mints other IRIs"
    );
}

/// What a format can carry of one annotation: start, end, kind, label, fields, notes and
/// links (label, target's start).
type Carried = (
    usize,
    usize,
    Kind,
    String,
    Vec<String>,
    Vec<String>,
    Vec<(String, usize)>,
);

/// What a format can carry of an annotation, links resolved to their target's span (ids
/// may be renumbered by a tool that has its own).
fn carried(doc: &Document) -> Vec<Carried> {
    doc.annotations()
        .iter()
        .map(|a| {
            (
                a.span.start,
                a.span.end,
                a.kind(),
                a.label.clone().unwrap_or_default(),
                a.fields
                    .iter()
                    .map(|f| format!("{}={}", f.name, f.value))
                    .collect(),
                a.notes.clone(),
                a.links
                    .iter()
                    .map(|l| (l.label.clone(), doc.get(l.to).unwrap().span.start))
                    .collect(),
            )
        })
        .collect()
}

fn documents(
    name: &str,
    format: ImportFormat,
    map: &TypeMap,
) -> (
    Vec<(String, Document)>,
    tallymark::core::export::imported::ImportReport,
) {
    let input = read(name);
    assert_eq!(ImportFormat::detect(&data(name), &input), format);
    export::import_documents(&input, format, "t", map).unwrap()
}

#[test]
fn label_studio_annotators_and_predictions_become_documents_with_offsets_checked() {
    let map = TypeMap::parse(&["count=figure"]).unwrap();
    let (docs, r) = documents("dunmere-label-studio.json", ImportFormat::LabelStudio, &map);
    assert_eq!(docs.len(), 3, "two annotators and one prediction");
    assert!(docs.iter().all(|(n, _)| n.starts_with("t.task41.")));
    assert_eq!(r.imported, [0, 2, 3], "{}", r.summary());
    let reasons: Vec<(Reason, usize)> = r.not_imported.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(
        reasons,
        [(Reason::UnknownType, 1), (Reason::Attribute, 1)],
        "Person; a task-level choice: {}",
        r.summary()
    );
    assert_eq!((r.moved, r.orphans, r.links), (0, 0, 1));
    let ana = &docs[0].1;
    let figure = ana
        .annotations()
        .iter()
        .find(|a| a.kind() == Kind::Figure)
        .unwrap();
    assert_eq!(figure.exact, "3 crossings");
    assert_eq!(figure.annotator, "ana@example.org");
    assert_eq!(
        (
            figure.fields[0].name.as_str(),
            figure.fields[0].value.as_str()
        ),
        ("certainty", "sure")
    );
    let quote = ana
        .annotations()
        .iter()
        .find(|a| a.kind() == Kind::Quote)
        .unwrap();
    assert_eq!(quote.exact, "“We missed our customers 🙂,”");
    assert_eq!(quote.notes, ["Emoji inside the quote."]);
    assert_eq!(quote.links[0].label, "mentions");
    assert_eq!(quote.links[0].to, figure.id);
    // The older export's UTF-16 offsets, told by the region text, land on the same words.
    let older = &docs[1].1;
    let texts: Vec<&str> = older
        .annotations()
        .iter()
        .map(|a| a.exact.as_str())
        .collect();
    assert_eq!(
        texts,
        ["“We missed our customers 🙂,”", "About 150 passengers"]
    );
    assert_eq!(docs[2].1.annotations()[0].annotator, "counter-v2");

    // Out and back in: what Label Studio carries comes back.
    let json = export::tasks::to_label_studio(ana).unwrap();
    let (back, r2) = export::import_documents(&json, ImportFormat::LabelStudio, "b", &map).unwrap();
    assert_eq!(r2.total_not_imported(), 0, "{}", r2.summary());
    assert_eq!(carried(&back[0].1), carried(ana));
    let config = export::tasks::label_studio_config(ana);
    for needle in [
        "<Label value=\"Count\"/>",
        "<Relation value=\"mentions\"/>",
        "<Choices name=\"certainty\"",
        "<Choice value=\"sure\"/>",
        "<Text name=\"text\" value=\"$text\"/>",
    ] {
        assert!(config.contains(needle), "{needle} in\n{config}");
    }
    // Each of Tallymark's own controls shows for the regions it fits: a figure's for a
    // region labelled Count (read as a figure) or Figure, a quote's for a Quote.
    let view_of = |control: &str| {
        let at = config.find(&format!("name=\"{control}\"")).unwrap();
        let view = config[..at].rfind("<View visibleWhen").unwrap();
        config[view..at].lines().next().unwrap().to_owned()
    };
    assert_eq!(
        view_of("tallymark_value_low"),
        "<View visibleWhen=\"region-selected\" whenLabelValue=\"Count,Figure\">"
    );
    assert_eq!(
        view_of("tallymark_speaker"),
        "<View visibleWhen=\"region-selected\" whenLabelValue=\"Quote\">"
    );
    assert_eq!(
        view_of("tallymark_note"),
        "<View visibleWhen=\"region-selected\">"
    );
}

#[test]
fn doccano_utf16_offsets_both_shapes_and_relations() {
    let map = TypeMap::parse(&["count=figure", "source=claim", "place=skip"]).unwrap();
    let (docs, r) = documents("kelby-doccano.jsonl", ImportFormat::Doccano, &map);
    assert_eq!(docs.len(), 2);
    assert_eq!(r.imported, [1, 0, 3], "{}", r.summary());
    assert_eq!(r.not_imported.get(&Reason::SkippedType), Some(&1));
    let first: Vec<&str> = docs[0]
        .1
        .annotations()
        .iter()
        .map(|a| a.exact.as_str())
        .collect();
    assert_eq!(
        first,
        ["12 homes", "4 people hurt"],
        "after the emoji, UTF-16 offsets converted"
    );
    let second = &docs[1].1;
    let figure = second
        .annotations()
        .iter()
        .find(|a| a.kind() == Kind::Figure)
        .unwrap();
    assert_eq!(figure.exact, "30 volunteers");
    assert_eq!(
        second.get(figure.links[0].to).unwrap().exact,
        "Officials in Kelby"
    );
    for (_, d) in &docs {
        let line = export::tasks::to_doccano(d).unwrap();
        let (back, r2) = export::import_documents(&line, ImportFormat::Doccano, "b", &map).unwrap();
        assert_eq!(r2.total_not_imported(), 0);
        assert_eq!(carried(&back[0].1), carried(d));
    }
}

#[test]
fn spacy_spans_in_code_points_and_rejected_examples_counted() {
    let map = TypeMap::parse(&["COUNT=figure", "duration=skip"]).unwrap();
    let (docs, r) = documents("oranport-spacy.jsonl", ImportFormat::Spacy, &map);
    assert_eq!(docs.len(), 1);
    assert_eq!(r.imported, [0, 0, 1]);
    assert_eq!(
        r.not_imported.get(&Reason::Unsupported),
        Some(&1),
        "the rejected line"
    );
    assert_eq!(r.not_imported.get(&Reason::SkippedType), Some(&1));
    assert_eq!(docs[0].1.annotations()[0].exact, "900 travellers");
    let line = export::tasks::to_spacy(&docs[0].1).unwrap();
    let (back, _) = export::import_documents(&line, ImportFormat::Spacy, "b", &map).unwrap();
    assert_eq!(carried(&back[0].1), carried(&docs[0].1));
}

#[test]
fn cli_imports_a_label_studio_file_into_a_folder_and_exports_with_its_config() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dunmere");
    let file = data("dunmere-label-studio.json");
    let (ok, _, err) = tallymark(&[
        "import",
        file.to_str().unwrap(),
        "--map",
        "Count=figure",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let mut written: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    written.sort();
    assert_eq!(written.len(), 3, "{written:?}");
    let (ok, _, err) = tallymark(&["import", file.to_str().unwrap(), "--map", "Count=figure"]);
    assert!(!ok && err.contains("-o DIR"), "{err}");
    let target = dir.path().join("ana.export.json");
    let (ok, _, err) = tallymark(&[
        "export",
        written[0].to_str().unwrap(),
        "--to",
        "label-studio",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(target.is_file());
    assert!(
        dir.path().join("ana.export.label-config.xml").is_file(),
        "{err}"
    );
    for to in ["doccano", "spacy"] {
        let (ok, out, err) = tallymark(&["export", written[0].to_str().unwrap(), "--to", to]);
        assert!(ok, "{to}: {err}");
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert!(v["text"].is_string(), "{to}: {out}");
    }
}

/// The app imports a brat file with unknown types: a mapping step lists them with counts
/// and a sample before anything is imported; the mapping chosen is remembered for the
/// folder, and the report opens in a dialog (Esc closes it). A file without unknown types
/// goes straight to the report.
#[test]
fn the_app_maps_unknown_types_first_then_shows_the_import_report() {
    use egui_kittest::kittest::Queryable as _;
    use tallymark::core::editor::Editor;

    use tallymark::ui::app::dialogs::Modal;
    use tallymark::ui::command::Command;
    let scratch = tempfile::tempdir().unwrap();
    let mut h = app_on(Editor::open(&data("varnhold.txt")).unwrap(), scratch.path());
    h.state_mut().import_annotations(&data("varnhold.ann"));
    h.run();
    let Some(Modal::ImportMapping(path, rows)) = h.state().modal() else {
        panic!("the mapping step comes first: {:?}", h.state().modal());
    };
    let listed: Vec<(&str, usize)> = rows.iter().map(|r| (r.ty.as_str(), r.count)).collect();
    assert_eq!(
        listed,
        [
            ("Count", 2),
            ("Flooding", 1),
            ("Location", 1),
            ("Person", 1),
            ("Premise", 1)
        ]
    );
    assert_eq!(rows[3].sample, "Ilse Marrow");
    assert_eq!(h.state().editors().len(), 1, "nothing imported yet");
    h.get_by_label("Map the file's types");
    let path = path.clone();
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        &ctx,
        Command::ImportMapped(
            path,
            vec![
                ("Count".into(), "figure".into()),
                ("Premise".into(), "claim".into()),
                ("Person".into(), "skip".into()),
            ],
        ),
    );
    h.run();
    let Some(Modal::ImportReport(_, report)) = h.state().modal() else {
        panic!("the report is shown: {:?}", h.state().modal());
    };
    assert_eq!(report.imported, [1, 1, 2], "{}", report.summary());
    assert_eq!(
        report.unknown_types.keys().collect::<Vec<_>>(),
        ["Flooding", "Location"],
        "left unmapped in the step: still counted and named"
    );
    assert_eq!(report.not_imported[&Reason::SkippedType], 1);
    assert_eq!(
        h.state().editors().len(),
        2,
        "the import opens as a new document"
    );
    h.get_by_label("Import report");
    assert!(
        h.query_by_label_contains("Unknown types, not imported")
            .is_some()
    );
    // The Close button closes it. (The pointer arrives on it first, as a user's does: a
    // click that jumps onto a modal opened the frame before is not taken by egui.)
    h.get_by_label("Close").hover();
    h.run();
    h.get_by_label("Close").click();
    h.run();
    assert!(h.state().modal().is_none());
    let remembered = h
        .state()
        .settings()
        .import_maps
        .values()
        .next()
        .unwrap()
        .clone();
    assert_eq!(remembered.get("premise").map(String::as_str), Some("claim"));

    // The next import from that folder asks only about what is still unknown.
    h.state_mut().import_annotations(&data("varnhold.ann"));
    h.run();
    let Some(Modal::ImportMapping(_, rows)) = h.state().modal() else {
        panic!("{:?}", h.state().modal());
    };
    let listed: Vec<&str> = rows.iter().map(|r| r.ty.as_str()).collect();
    assert_eq!(listed, ["Flooding", "Location"]);
}

/// brat's discontinuous spans (`50 53;62 68`) are kept as fragments: exported back with
/// `;`, saved in RON, moved with the text by re-anchoring, refused on load when they do not
/// make up their span. A span split at a line break (brat's rule) stays one piece.
#[test]
fn discontinuous_brat_spans_keep_their_fragments() {
    let doc = article("harbour.txt");
    let map = TypeMap::parse(&["speaker=quote"]).unwrap();
    let imported = import_with(&doc, &read("harbour.ann"), ImportFormat::Brat, &map).unwrap();
    let d = &imported.doc;
    let speaker = d.get(2).unwrap();
    let parts: Vec<&str> = speaker
        .fragments
        .iter()
        .map(|f| d.text().slice(*f))
        .collect();
    assert_eq!(parts, ["the", "master"]);
    assert_eq!(
        speaker.marked_text(),
        "the … master",
        "shown without the words between"
    );
    // A click on the words between the parts does not land on it; one on a part does.
    let gap = speaker.fragments[0].end + 1;
    assert!(
        d.annotations_at(gap).iter().all(|a| a.id != 2),
        "the gap is not the annotation's"
    );
    let on_part = speaker.fragments[1].start;
    assert!(d.annotations_at(on_part).iter().any(|a| a.id == 2));
    let (_, ann) = brat::to_brat(d);
    let line = ann.lines().find(|l| l.starts_with("T2\t")).unwrap();
    let (first, second) = (speaker.fragments[0], speaker.fragments[1]);
    assert_eq!(
        line,
        format!(
            "T2\tSpeaker {} {};{} {}\tthe master",
            first.start, first.end, second.start, second.end
        )
    );
    let back = import_with(d, &ann, ImportFormat::Brat, &map).unwrap();
    assert_eq!(back.doc.annotations(), d.annotations());
    // W3C: one target per fragment, read back as the same fragments.
    let json = w3c::to_json(d).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let item = v["first"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["target"].is_array())
        .expect("the discontinuous annotation has a target per fragment");
    let quotes: Vec<&str> = item["target"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["selector"][0]["exact"].as_str().unwrap())
        .collect();
    assert_eq!(quotes, ["the", "master"]);
    let back = import_with(d, &json, ImportFormat::W3c, &TypeMap::default()).unwrap();
    assert_eq!(back.doc.annotations(), d.annotations());

    let ron = persist::to_ron(d).unwrap();
    assert!(ron.contains("fragments: ["), "{ron}");
    let loaded = persist::parse(Path::new("h.ron"), &ron).unwrap();
    assert_eq!(loaded.get(2).unwrap().fragments, speaker.fragments);
    let broken = ron.replacen(
        &format!(
            "start: {},\n                    end: {},",
            second.start, second.end
        ),
        &format!(
            "start: {},\n                    end: {},",
            second.start,
            second.end + 1
        ),
        1,
    );
    assert_ne!(broken, ron, "the second fragment was edited");
    let err = persist::parse(Path::new("h.ron"), &broken).unwrap_err();
    assert!(err.to_string().contains("fragments"), "{err}");

    let new_text = format!("Update.\n\n{}", d.text().as_str());
    let (moved, report) = tallymark::core::reanchor::reanchor(d, &new_text);
    assert_eq!(report.orphaned, 0);
    let m = moved.get(2).unwrap();
    let parts: Vec<&str> = m.fragments.iter().map(|f| moved.text().slice(*f)).collect();
    assert_eq!(parts, ["the", "master"], "the parts move with the text");

    // Tallymark's own span across a blank line is written as two fragments (brat's
    // rule) and comes back as one piece.
    let mut own = article("harbour.txt");
    let text = own.text().as_str().to_owned();
    let start = text[..text.find("storm").unwrap()].chars().count();
    let end = text[..text.find(" sails").unwrap()].chars().count();
    let a = own.new_annotation(
        Kind::Quote,
        tallymark::core::span::Span::between(start, end),
        "t",
        time::OffsetDateTime::UNIX_EPOCH,
    );
    tallymark::core::edit::Edit::Insert(a)
        .apply(&mut own)
        .unwrap();
    let (_, ann) = brat::to_brat(&own);
    assert!(ann.lines().next().unwrap().contains(';'), "{ann}");
    let back = import_with(&own, &ann, ImportFormat::Brat, &TypeMap::default()).unwrap();
    assert_eq!(back.doc.annotations(), own.annotations());
    assert!(back.doc.annotations()[0].fragments.is_empty());
}

/// The inspector shows what an annotation brought from brat: its type, attributes,
/// normalisations, notes, and its links, which select the annotation they link to.
#[test]
fn the_inspector_shows_what_another_tool_attached() {
    use egui_kittest::kittest::Queryable as _;
    use tallymark::core::editor::{Editor, Origin};

    use tallymark::ui::command::Command;
    let imported = varnhold_imported();
    let scratch = tempfile::tempdir().unwrap();
    let mut h = app_on(Editor::new(imported.doc, Origin::Builtin), scratch.path());
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        &ctx,
        Command::Select {
            id: Some(1),
            scroll: true,
        },
    );
    h.run();
    h.get_by_label("From another tool");
    h.get_by_label("type Premise");
    h.get_by_label("Negated");
    h.get_by_label("Governor's statement; see also | other=thing");
    h.state_mut().apply(
        &ctx,
        Command::Select {
            id: Some(3),
            scroll: true,
        },
    );
    h.run();
    assert_eq!(h.state().view.selected, Some(3));
    h.get_by_label("→ Support (Arg2) of #1").click();
    // Selecting scrolls the article to it: a few frames of animation.
    h.run_steps(8);
    assert_eq!(
        h.state().view.selected,
        Some(1),
        "the link selects its target"
    );
    h.get_by_label("type Premise");
}

/// doccano offsets counted in grapheme clusters (a family emoji, a flag, `é` as e + U+0301
/// before the regions) are told by the regions' text and converted, per document: the next
/// line of the same file counts UTF-16 units. Nothing is found by searching (`moved`).
#[test]
fn doccano_grapheme_offsets_are_detected_per_document_by_the_region_text() {
    let map = TypeMap::parse(&["count=figure", "speaker=quote"]).unwrap();
    let (docs, r) = documents(
        "porthavel-doccano-graphemes.jsonl",
        ImportFormat::Doccano,
        &map,
    );
    assert_eq!(docs.len(), 2);
    assert_eq!(r.imported, [0, 1, 2], "{}", r.summary());
    assert_eq!(
        (r.moved, r.orphans, r.total_not_imported()),
        (0, 0, 0),
        "placed at their converted offsets, not searched for: {}",
        r.summary()
    );
    let texts =
        |d: &Document| -> Vec<String> { d.annotations().iter().map(|a| a.exact.clone()).collect() };
    assert_eq!(
        texts(&docs[0].1),
        ["Rene\u{301}e Solberg", "14 households"],
        "grapheme offsets"
    );
    assert_eq!(texts(&docs[1].1), ["9 anglers"], "UTF-16 offsets");
    let count = docs[0]
        .1
        .annotations()
        .iter()
        .find(|a| a.kind() == Kind::Figure)
        .unwrap();
    assert_eq!(
        docs[0].1.get(count.links[0].to).unwrap().exact,
        "Rene\u{301}e Solberg"
    );
}

/// The regions (start, end in code points, label) of a Label Studio, doccano or spaCy
/// export of `doc`.
fn exported_regions(
    format: ImportFormat,
    out: &str,
    doc: &Document,
) -> Vec<(usize, usize, String)> {
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let text = doc.text().as_str();
    // doccano counts UTF-16 units: back to chars.
    let char_of_utf16 = |u: u64| {
        let mut units = 0;
        for (i, c) in text.chars().enumerate() {
            if units == u {
                return i;
            }
            units += c.len_utf16() as u64;
        }
        assert_eq!(units, u, "a UTF-16 offset inside a char or past the end");
        text.chars().count()
    };
    let n = |x: &serde_json::Value| usize::try_from(x.as_u64().unwrap()).unwrap();
    match format {
        ImportFormat::LabelStudio => v[0]["annotations"][0]["result"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["type"] == "labels")
            .map(|r| {
                let x = &r["value"];
                (
                    n(&x["start"]),
                    n(&x["end"]),
                    x["labels"][0].as_str().unwrap().to_owned(),
                )
            })
            .collect(),
        ImportFormat::Doccano => v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    char_of_utf16(e["start_offset"].as_u64().unwrap()),
                    char_of_utf16(e["end_offset"].as_u64().unwrap()),
                    e["label"].as_str().unwrap().to_owned(),
                )
            })
            .collect(),
        _ => v["spans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    n(&s["start"]),
                    n(&s["end"]),
                    s["label"].as_str().unwrap().to_owned(),
                )
            })
            .collect(),
    }
}

/// A discontinuous annotation goes to Label Studio, doccano and spaCy as one region per
/// part, never over the words between; Label Studio (region ids `t2`, `t2.2`) and doccano
/// (a `tallymark_fragment` relation) bring it back as one annotation with its fragments,
/// spaCy as one annotation per part.
#[test]
fn discontinuous_annotations_are_exported_part_by_part_never_over_the_gap() {
    let map = TypeMap::parse(&["speaker=quote"]).unwrap();
    let mut d = import_with(
        &article("harbour.txt"),
        &read("harbour.ann"),
        ImportFormat::Brat,
        &map,
    )
    .unwrap()
    .doc;
    // A link to the discontinuous annotation, which must still find it.
    let mut t1 = d.get(1).unwrap().clone();
    t1.links.push(tallymark::core::annotation::Link {
        label: "said_by".to_owned(),
        from_role: String::new(),
        role: String::new(),
        to: 2,
        event: String::new(),
    });
    tallymark::core::edit::Edit::Replace(t1)
        .apply(&mut d)
        .unwrap();
    let speaker = d.get(2).unwrap().clone();
    let parts: Vec<(usize, usize)> = speaker.fragments.iter().map(|f| (f.start, f.end)).collect();
    assert_eq!(parts.len(), 2);
    let gap = parts[0].1..parts[1].0;
    for (format, out) in [
        (
            ImportFormat::LabelStudio,
            export::tasks::to_label_studio(&d).unwrap(),
        ),
        (
            ImportFormat::Doccano,
            export::tasks::to_doccano(&d).unwrap(),
        ),
        (ImportFormat::Spacy, export::tasks::to_spacy(&d).unwrap()),
    ] {
        let regions = exported_regions(format, &out, &d);
        let speakers: Vec<(usize, usize)> = regions
            .iter()
            .filter(|r| r.2 == "Speaker")
            .map(|r| (r.0, r.1))
            .collect();
        assert_eq!(speakers, parts, "{format:?}: one region per part\n{out}");
        assert!(
            regions
                .iter()
                .all(|r| r.2 != "Speaker" || r.1 <= gap.start || r.0 >= gap.end),
            "{format:?}: nothing over the gap"
        );
        let (back, r) = export::import_documents(&out, format, "b", &map).unwrap();
        assert_eq!(r.total_not_imported(), 0, "{format:?}: {}", r.summary());
        let b = &back[0].1;
        let marked: Vec<Vec<(usize, usize)>> = b
            .annotations()
            .iter()
            .filter(|a| a.label.as_deref() == Some("Speaker"))
            .map(|a| a.parts().iter().map(|p| (p.start, p.end)).collect())
            .collect();
        assert_eq!(
            marked,
            std::slice::from_ref(&parts),
            "{format:?}: one annotation, its parts"
        );
        assert_eq!(r.imported, [0, 2, 2], "{format:?}: {}", r.summary());
        // spaCy's spans carry no links, so only the others' link is followed.
        if format != ImportFormat::Spacy {
            let quote = b
                .annotations()
                .iter()
                .find(|a| a.exact.contains("Nobody"))
                .unwrap();
            assert_eq!(
                b.get(quote.links[0].to).unwrap().fragments,
                speaker.fragments,
                "{format:?}: the link finds the joined annotation"
            );
            assert!(
                b.annotations()
                    .iter()
                    .all(|a| a.links.iter().all(|l| l.label == "said_by")),
                "{format:?}: what tied the parts is not a link"
            );
        }
    }
}

/// A bundled file with what its annotations do not all show yet: on the first, a note,
/// another tool's notes and field and a link; on the second, times of its own; the first
/// annotation with two words made discontinuous (its first word, its last); a figure with
/// a range, a claim, a part-of and excluded. `mixed`: the
/// second has another annotator too, and the third neither times nor annotator (so that
/// no time or annotator is every annotation's).
fn enriched(name: &str, mixed: bool) -> Document {
    use tallymark::core::annotation::{Field, Link};
    use tallymark::core::edit::Edit;
    use tallymark::core::span::Span;
    let mut doc = persist::load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("saves")
            .join(name),
    )
    .unwrap();
    let ids: Vec<u64> = doc.annotations().iter().map(|a| a.id).collect();
    let mut first = doc.get(ids[0]).unwrap().clone();
    "Checked against the wire copy.".clone_into(&mut first.note);
    first.notes = vec!["from the desk".to_owned(), "second | note=kept".to_owned()];
    first.fields.push(Field {
        name: "certainty".to_owned(),
        value: "high".to_owned(),
        normalised: None,
    });
    first.links.push(Link {
        label: "cites".to_owned(),
        from_role: String::new(),
        role: String::new(),
        to: ids[1],
        event: String::new(),
    });
    Edit::Replace(first).apply(&mut doc).unwrap();
    let mut second = doc.get(ids[1]).unwrap().clone();
    let hour = time::Duration::hours(1);
    second.created = second.created.map(|t| t + hour);
    second.modified = second.modified.map(|t| t + hour + hour);
    if mixed {
        "desk-b".clone_into(&mut second.annotator);
        let mut third = doc.get(ids[2]).unwrap().clone();
        third.created = None;
        third.modified = None;
        third.annotator = String::new();
        Edit::Replace(third).apply(&mut doc).unwrap();
    }
    Edit::Replace(second).apply(&mut doc).unwrap();
    // A figure with what the bundled files leave empty: a range, the claim it is, the claim
    // it is part of, left out of the comparison.
    let mut figure = doc
        .annotations()
        .iter()
        .find(|a| a.kind() == Kind::Figure && !ids[..3].contains(&a.id))
        .unwrap()
        .as_ref()
        .clone();
    if let Attributes::Figure(f) = &mut figure.attributes {
        f.value_high = f.value_low.map(|v| v * 2.0 + 0.5);
        f.qualifier = tallymark::core::annotation::Qualifier::Range;
        "valley toll".clone_into(&mut f.claim);
        "regional toll".clone_into(&mut f.part_of);
        f.excluded = true;
        "the regional emergency service".clone_into(&mut f.source);
    }
    Edit::Replace(figure).apply(&mut doc).unwrap();
    let mut split = doc
        .annotations()
        .iter()
        .find(|a| a.exact.trim().contains(' ') && a.exact.trim() == a.exact)
        .unwrap()
        .as_ref()
        .clone();
    let chars: Vec<char> = split.exact.chars().collect();
    let first_space = chars.iter().position(|c| *c == ' ').unwrap();
    let last_space = chars.iter().rposition(|c| *c == ' ').unwrap();
    split.fragments = vec![
        Span::between(split.span.start, split.span.start + first_space),
        Span::between(split.span.start + last_space + 1, split.span.end),
    ];
    Edit::Replace(split).apply(&mut doc).unwrap();
    doc
}

/// Everything of an annotation Label Studio carries: all but its id, role and event of
/// links, and the other tool's roles (links by their target's span), in span order.
fn everything(doc: &Document) -> Vec<String> {
    doc.annotations()
        .iter()
        .map(|a| {
            let links: Vec<(String, usize, usize)> = a
                .links
                .iter()
                .map(|l| {
                    let to = doc.get(l.to).unwrap().span;
                    (l.label.clone(), to.start, to.end)
                })
                .collect();
            format!(
                "{:?} {:?} {:?} label={:?} note={:?} notes={:?} fields={:?} links={links:?} \
                 by={:?} created={:?} modified={:?}",
                a.span,
                a.fragments,
                a.attributes,
                a.label,
                a.note,
                a.notes,
                a.fields,
                a.annotator,
                a.created,
                a.modified
            )
        })
        .collect()
}

/// The bundled files, enriched, out to each task format and back: Label Studio gives back
/// every annotation whole (spans, fragments, kinds, figure values, qualifier, metric, who,
/// source, reported date and its origin, place, speaker, claimant, status, note, notes,
/// fields, links, annotator, times); doccano spans, fragments, labels and links; spaCy the
/// spans (one per part) and labels. Nothing is counted as not imported, moved or orphaned.
#[test]
fn bundled_files_round_trip_through_label_studio_doccano_and_spacy() {
    let none = TypeMap::default();
    for (name, mixed) in [
        ("kazakhstan-protests-2022.ron", false),
        ("kazakhstan-protests-2022.annotator-b.ron", true),
        ("marrow-valley-flood-gazette.ron", false),
        ("marrow-valley-flood-herald.ron", true),
    ] {
        let seed = enriched(name, mixed);
        assert!(seed.annotations().iter().any(|a| !a.fragments.is_empty()));
        let clean = |r: &tallymark::core::export::imported::ImportReport, what: &str| {
            assert_eq!(
                (r.total_not_imported(), r.moved, r.orphans),
                (0, 0, 0),
                "{name} via {what}: {}",
                r.summary()
            );
        };

        let json = export::tasks::to_label_studio(&seed).unwrap();
        let (back, r) =
            export::import_documents(&json, ImportFormat::LabelStudio, "b", &none).unwrap();
        clean(&r, "Label Studio");
        assert_eq!(back.len(), 1);
        let (came, went) = (everything(&back[0].1), everything(&seed));
        for (b, s) in came.iter().zip(&went) {
            assert_eq!(b, s, "{name} via Label Studio");
        }
        assert_eq!(came.len(), went.len(), "{name} via Label Studio");
        assert_eq!(
            r.imported,
            [Kind::Claim, Kind::Quote, Kind::Figure].map(|k| seed
                .annotations()
                .iter()
                .filter(|a| a.kind() == k)
                .count()),
            "{name}: joined parts are one annotation"
        );

        let line = export::tasks::to_doccano(&seed).unwrap();
        let (back, r) = export::import_documents(&line, ImportFormat::Doccano, "b", &none).unwrap();
        clean(&r, "doccano");
        // What doccano carries: spans, kinds, labels and links (not fields or notes).
        let spans_labels_links = |d: &Document| -> Vec<Carried> {
            carried(d)
                .into_iter()
                .map(|(s, e, k, l, _, _, links)| (s, e, k, l, Vec::new(), Vec::new(), links))
                .collect()
        };
        assert_eq!(
            spans_labels_links(&back[0].1),
            spans_labels_links(&seed),
            "{name} via doccano"
        );
        assert!(
            seed.annotations().iter().any(|a| !a.links.is_empty()),
            "{name}: a link to carry"
        );
        let parts = |d: &Document| -> Vec<Vec<tallymark::core::span::Span>> {
            d.annotations().iter().map(|a| a.parts().to_vec()).collect()
        };
        assert_eq!(parts(&back[0].1), parts(&seed), "{name}: doccano fragments");

        let line = export::tasks::to_spacy(&seed).unwrap();
        let (back, r) = export::import_documents(&line, ImportFormat::Spacy, "b", &none).unwrap();
        clean(&r, "spaCy");
        let kinds =
            |d: &Document| -> Vec<Kind> { d.annotations().iter().map(|a| a.kind()).collect() };
        assert_eq!(parts(&back[0].1), parts(&seed), "{name}: spaCy fragments");
        assert_eq!(kinds(&back[0].1), kinds(&seed), "{name}: spaCy kinds");
    }
}

/// Another tool's Label Studio export: the annotation's `created_at` is every region's
/// (a time without a zone read as UTC), an `updated_at` that is no time is counted, not
/// guessed; per-region `number` and `datetime` results become fields, a rating is counted;
/// one of Tallymark's own controls that does not fit the region's kind is kept as a field;
/// regions `k3` and `k3.2` with different labels are not joined.
#[test]
fn label_studio_times_and_controls_of_other_tools_are_kept_or_counted() {
    let map = TypeMap::parse(&["count=figure"]).unwrap();
    let (docs, r) = documents("skarnes-label-studio.json", ImportFormat::LabelStudio, &map);
    assert_eq!(r.imported, [1, 2, 1], "{}", r.summary());
    let reasons: Vec<(Reason, usize)> = r.not_imported.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(
        reasons,
        [(Reason::Malformed, 1), (Reason::Unsupported, 1)],
        "updated_at, the rating: {}",
        r.summary()
    );
    let d = &docs[0].1;
    let by_text = |t: &str| {
        d.annotations()
            .iter()
            .find(|a| a.exact == t)
            .map(|a| a.as_ref().clone())
            .unwrap()
    };
    let figure = by_text("All 212 passengers");
    assert_eq!(
        figure.created,
        Some(time::macros::datetime!(2024-05-03 08:12:44.123456 UTC))
    );
    assert_eq!(figure.modified, None, "absent stays absent");
    assert_eq!(figure.annotator, "lene@example.org");
    let fields: Vec<(&str, &str)> = figure
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(fields, [("estimate", "212"), ("seen_on", "2024-05-02")]);
    let quote = by_text("“The crew did everything right,”");
    assert!(matches!(&quote.attributes, Attributes::Quote(q) if q.speaker == "Ola Brekke"));
    assert_eq!(quote.fields[0].name, "tallymark_metric", "not a quote's");
    assert_eq!(quote.fields[0].value, "rescued");
    assert!(by_text("harbourmaster").fragments.is_empty());
    assert_eq!(by_text("Ola Brekke").kind(), Kind::Claim);
    let config = export::tasks::label_studio_config(d);
    assert_eq!(
        config.matches("name=\"tallymark_metric\"").count(),
        1,
        "declared once, as Tallymark's"
    );
}

/// Figures from a tool that only marked where they are get their values from their words in
/// one step, which one undo takes back; figures with a value are left alone.
#[test]
fn figures_imported_without_values_read_them_from_their_words() {
    use tallymark::core::editor::{Editor, Origin};

    use tallymark::ui::command::{Action, Command};
    let imported = import_with(
        &article("harbour.txt"),
        &read("harbour.ann"),
        ImportFormat::Brat,
        &TypeMap::default(),
    )
    .unwrap();
    let values = |doc: &Document| -> Vec<Option<f64>> {
        doc.annotations()
            .iter()
            .filter_map(|a| a.figure().map(|f| f.value_low))
            .collect()
    };
    assert_eq!(values(&imported.doc), [None, None], "absent on import");
    let scratch = tempfile::tempdir().unwrap();
    let mut h = app_on(Editor::new(imported.doc, Origin::Builtin), scratch.path());
    let ctx = h.ctx.clone();
    h.state_mut()
        .apply(&ctx, Command::Action(Action::ValuesFromText));
    h.run();
    assert_eq!(values(h.state().editor().doc()), [Some(38.0), Some(2.0)]);
    h.state_mut().apply(&ctx, Command::Action(Action::Undo));
    h.run();
    assert_eq!(
        values(h.state().editor().doc()),
        [None, None],
        "one undo step"
    );

    // The command line does the same with --read-values, and nothing without it.
    for (flag, want) in [
        (None, [None, None]),
        (Some("--read-values"), [Some(38.0), Some(2.0)]),
    ] {
        let mut args = vec!["import", "tests/data/interop/harbour.ann"];
        args.extend(flag);
        let (ok, out, err) = tallymark(&args);
        assert!(ok, "{err}");
        let doc = persist::parse(Path::new("harbour.ron"), &out).unwrap();
        assert_eq!(values(&doc), want, "{flag:?}: {err}");
        assert_eq!(
            err.contains("read the values of 2 figures"),
            flag.is_some(),
            "{err}"
        );
    }
}
