//! Property tests (proptest): span arithmetic, edits and undo, re-anchoring after edits
//! outside the annotated spans, and save then load.

use proptest::prelude::*;
use tallymark::core::annotation::{Annotation, Kind};
use tallymark::core::document::Document;
use tallymark::core::edit::{Edit, History};
use tallymark::core::persist;
use tallymark::core::reanchor::reanchor;
use tallymark::core::span::{CharIndex, Span};
use time::OffsetDateTime;

/// Words with non-ASCII letters, quotes and digits, as in real articles.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Almaty".to_owned()),
        Just("Kazakhstan’s".to_owned()),
        Just("“without".to_owned()),
        Just("warning”".to_owned()),
        Just("10,000".to_owned()),
        Just("©".to_owned()),
        Just("people".to_owned()),
        Just("Жаңаөзен".to_owned()),
        "[a-z]{1,8}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 5..60).prop_map(|w| w.join(" "))
}

/// A document with annotations on distinct word spans chosen by `picks`.
fn annotated(text: &str, picks: &[(usize, usize)]) -> Document {
    let mut doc = Document::from_article(text, None);
    let words: Vec<Span> = word_spans(doc.text().as_str());
    for (i, (w, len)) in picks.iter().enumerate() {
        if words.is_empty() {
            break;
        }
        let first = words[w % words.len()];
        let last = words[(w % words.len() + len % 3).min(words.len() - 1)];
        let span = Span::between(first.start, last.end);
        let kind = Kind::ALL[i % 3];
        let a = doc.new_annotation(kind, span, "p", OffsetDateTime::UNIX_EPOCH);
        let _ = Edit::Insert(a).apply(&mut doc);
    }
    doc
}

fn word_spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.chars().enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push(Span { start: s, end: i });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Span {
            start: s,
            end: text.chars().count(),
        });
    }
    out
}

fn exact_holds(doc: &Document, a: &Annotation) -> bool {
    doc.text().slice(a.span) == a.exact
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 200,
        // Failures are printed with their minimal input; no regression files in the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn span_arithmetic(a in 0usize..50, b in 0usize..50, c in 0usize..50, d in 0usize..50) {
        let x = Span::between(a, b);
        let y = Span::between(c, d);
        prop_assert_eq!(x.overlaps(y), y.overlaps(x));
        match x.intersection(y) {
            Some(i) => {
                prop_assert!(x.covers(i) && y.covers(i) && !i.is_empty());
                prop_assert!(x.overlaps(y));
            }
            None => prop_assert!(!x.overlaps(y) || x.is_empty() || y.is_empty()),
        }
        prop_assert_eq!(x.len(), x.end - x.start);
    }

    #[test]
    fn char_index_round_trips_on_any_text(t in "\\PC{0,80}") {
        let index = CharIndex::new(&t);
        let n = t.chars().count();
        prop_assert_eq!(index.len_chars(), n);
        for i in 0..=n {
            prop_assert_eq!(index.char_at_byte(index.byte(i)), i.min(n));
        }
        let whole = index.slice(&t, Span { start: 0, end: n });
        prop_assert_eq!(whole, t.as_str());
    }

    #[test]
    fn any_edits_then_as_many_undos_restore_the_original(
        t in text(),
        picks in prop::collection::vec((0usize..100, 0usize..3), 0..8),
        ops in prop::collection::vec((0u8..3, 0usize..100, 0usize..3), 1..15),
    ) {
        let mut doc = annotated(&t, &picks);
        let original = doc.annotations().to_vec();
        let mut history = History::default();
        let words = word_spans(doc.text().as_str());
        let mut steps = 0;
        for (op, w, len) in ops {
            let edit = match op {
                0 if !words.is_empty() => {
                    let first = words[w % words.len()];
                    let last = words[(w % words.len() + len).min(words.len() - 1)];
                    let a = doc.new_annotation(Kind::ALL[len % 3], Span::between(first.start, last.end), "p", OffsetDateTime::UNIX_EPOCH);
                    Edit::Insert(a)
                }
                1 if !doc.annotations().is_empty() => {
                    Edit::Remove(doc.annotations()[w % doc.annotations().len()].id)
                }
                2 if !doc.annotations().is_empty() => {
                    let mut a = (*doc.annotations()[w % doc.annotations().len()]).clone();
                    a.note = format!("note {w}");
                    Edit::Replace(a)
                }
                _ => continue,
            };
            if history.apply(&mut doc, vec![edit], None).is_ok() {
                steps += 1;
            }
        }
        for _ in 0..steps {
            prop_assert!(history.undo(&mut doc));
        }
        prop_assert_eq!(doc.annotations(), original.as_slice());
    }

    #[test]
    fn reanchoring_after_edits_outside_the_spans_keeps_every_annotation(
        t in text(),
        picks in prop::collection::vec((0usize..100, 0usize..3), 1..8),
        inserts in prop::collection::vec((0usize..100, "[A-Za-z ,.]{1,20}"), 0..5),
        deletion in (0usize..100, 1usize..12),
    ) {
        let doc = annotated(&t, &picks);
        let chars: Vec<char> = doc.text().as_str().chars().collect();
        // Positions not inside any annotated span are safe to edit.
        let covered = |i: usize| doc.annotations().iter().any(|a| a.span.start < i && i < a.span.end);
        let free: Vec<usize> = (0..=chars.len()).filter(|&i| !covered(i)).collect();
        let mut edits: Vec<(usize, String)> = inserts
            .into_iter()
            .map(|(p, s)| (free[p % free.len()], format!(" {s} ")))
            .collect();
        edits.sort_by_key(|(p, _)| std::cmp::Reverse(*p));
        let mut new: Vec<char> = chars.clone();
        // One deletion of chars that no annotation touches (applied first, from the end side,
        // so the insert positions computed below stay valid for the untouched prefix).
        let (at, len) = deletion;
        let start = free[at % free.len()];
        let end = (start..=(start + len).min(chars.len()))
            .take_while(|&e| !doc.annotations().iter().any(|a| a.span.start < e && start < a.span.end))
            .last()
            .unwrap_or(start);
        let edits: Vec<(usize, String)> = edits.into_iter().filter(|(p, _)| *p <= start || *p >= end).collect();
        for (p, s) in &edits {
            if *p >= end {
                new.splice(*p..*p, s.chars());
            }
        }
        new.drain(start..end);
        for (p, s) in &edits {
            if *p <= start {
                new.splice(*p..*p, s.chars());
            }
        }
        let new_text: String = new.iter().collect();
        let shifted = Document::from_article(&new_text, None);
        let (mid, report) = reanchor(&doc, shifted.text().as_str());
        prop_assert_eq!(report.orphaned, 0, "{}", report.summary());
        prop_assert_eq!(mid.annotations().len(), doc.annotations().len());
        for a in mid.annotations() {
            prop_assert!(exact_holds(&mid, a));
        }
        // The same annotations (by id), each on its own exact text; repeated words may
        // trade places, which is why they are compared by id and not by position.
        for old in doc.annotations() {
            let moved = mid.annotations().iter().find(|a| a.id == old.id);
            prop_assert!(moved.is_some());
            let moved = moved.unwrap();
            prop_assert_eq!(&old.exact, &moved.exact);
            prop_assert_eq!(&old.attributes, &moved.attributes);
        }
    }

    #[test]
    fn save_then_load_is_the_identity(
        t in text(),
        picks in prop::collection::vec((0usize..100, 0usize..3), 0..10),
        note in "\\PC{0,30}",
    ) {
        let mut doc = annotated(&t, &picks);
        if let Some(first) = doc.annotations().first() {
            let mut a = (**first).clone();
            a.note = note;
            Edit::Replace(a).apply(&mut doc).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        persist::save(&doc, &path).unwrap();
        let back = persist::load(&path).unwrap();
        prop_assert_eq!(back.annotations(), doc.annotations());
        prop_assert_eq!(back.text().as_str(), doc.text().as_str());
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// The same checks as the cargo-fuzz targets, run on every test run.
    #[test]
    fn the_figure_parser_and_the_suggester_never_panic_and_stay_in_bounds(t in "\\PC{0,120}") {
        let _ = tallymark::core::figure::parse_figure(&t);
        let n = t.chars().count();
        let s = tallymark::core::suggest::suggest(&t, tallymark::core::suggest::Options { claims: true, deployments: true, ..Default::default() });
        for f in &s.figures {
            prop_assert!(f.span.start < f.span.end && f.span.end <= n);
        }
        for q in &s.quotes {
            prop_assert!(q.span.start < q.span.end && q.span.end <= n);
        }
    }

    /// Russian, Kazakh and Ukrainian number phrases cut and shuffled: qualifiers without
    /// numbers, scale words without digits, ranges without ends, endings on nothing.
    #[test]
    fn the_cyrillic_rules_never_panic_and_stay_in_bounds(
        words in prop::collection::vec(prop::sample::select(vec![
            "более", "не", "менее", "чем", "около", "до", "от", "12", "000", "3,5", "тыс", ".",
            "тысячи", "десятки", "человек", "погибли", "задержаны", "—", "–", "«", "»", "„", "“",
            "мыңнан", "астам", "жуық", "60-қа", "жетеуі", "олардың", "п’ятеро", "понад", "тисяч",
            "\n", ",", "\u{a0}", "с", "лишним", "2019", "0", "№", "статьи", "рублей", "трое",
        ]), 0..60),
        glue in prop::sample::select(vec![" ", "", "\u{a0}", "\n"]),
    ) {
        let t = words.join(glue);
        let chars: Vec<char> = t.chars().collect();
        let s = tallymark::core::suggest::suggest(&t, tallymark::core::suggest::Options::default());
        for f in &s.figures {
            prop_assert!(f.span.start < f.span.end && f.span.end <= chars.len());
            prop_assert_eq!(&f.exact, &chars[f.span.start..f.span.end].iter().collect::<String>());
            prop_assert!(f.figure.value_low.is_some_and(f64::is_finite));
            prop_assert!(f.figure.value_high.is_none_or(|h| h.is_finite() && Some(h) > f.figure.value_low));
        }
        for q in &s.quotes {
            prop_assert!(q.span.start < q.span.end && q.span.end <= chars.len());
        }
        for (span, _) in tallymark::core::suggest::explain(&t, tallymark::core::suggest::Options::default()) {
            prop_assert!(span.start < span.end && span.end <= chars.len());
        }
    }

    #[test]
    fn reanchoring_onto_any_text_keeps_every_annotation_somewhere(t in "\\PC{0,200}") {
        let doc = persist::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/saves/marrow-valley-flood-herald.ron"))).unwrap();
        let (out, _) = reanchor(&doc, &t);
        prop_assert_eq!(out.annotations().len() + out.orphans().len(), doc.annotations().len());
        for a in out.annotations() {
            prop_assert!(exact_holds(&out, a));
        }
    }
}
