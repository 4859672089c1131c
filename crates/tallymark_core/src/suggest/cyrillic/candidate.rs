//! Preparing a candidate: its sentence, the word it counts and the casualty words near.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::is_number_token;
use super::numbers::norm;
use super::{Candidate, NounKind, Reading};
use crate::suggest::lexicon::{Lexicon, matches};
use crate::suggest::{Lang, Tok};

/// Endings of adjectives and participles, skipped between a number and its noun
/// ("трое местных жителей", "12 пожилых людей").
const ADJECTIVE_ENDINGS: &[&str] = &["ых", "их", "ые", "ие", "ыми", "ими", "іх", "ні"];

/// Endings of verbs (past tense, present plural, passive forms), and of Kazakh verbs.
const VERB_ENDINGS: &[&str] = &[
    "ли", "ло", "ла", "лись", "лось", "лася", "лися", "ются", "ятся", "ет", "ит", "ут", "ют", "ят",
    "ат", "ся", "ть", "ено", "ано", "ото", "ено", "ють", "ять", "ды", "ді", "ты", "ті", "ған",
    "ген", "қан", "кен", "ады", "еді", "йды", "йді", "уда", "уде", "ып", "іп", "ең",
];

/// Short words that sit between a number and what follows without being its noun.
const FUNCTION_WORDS: &[&str] = &[
    "в",
    "во",
    "на",
    "из",
    "за",
    "по",
    "с",
    "со",
    "к",
    "у",
    "о",
    "об",
    "от",
    "до",
    "и",
    "а",
    "но",
    "или",
    "ещё",
    "еще",
    "уже",
    "также",
    "тоже",
    "не",
    "них",
    "их",
    "том",
    "числе",
    "—",
    "з",
    "із",
    "зі",
    "й",
    "та",
    "але",
    "ще",
    "вже",
    "також",
    "їх",
    "тому",
    "числі",
    "серед",
    "среди",
    "және",
    "мен",
    "да",
    "де",
    "тағы",
    "ал",
    "бұл",
    "оның",
    "олардың",
    "ішінде",
    "соның",
    "бойынша",
    "как",
    "так",
    "что",
    "що",
    "было",
    "було",
    "был",
    "были",
    "були",
    "был",
    "человека",
    "чем",
    "ніж",
    "при",
    "під",
    "под",
    "над",
    "для",
    "після",
    "после",
    "около",
    "біля",
    "возле",
    "ходе",
    "ході",
    "время",
    "час",
    "кезінде",
    "кезде",
    "тек",
    "только",
    "лише",
    "лишь",
    "всего",
    "всього",
    "барлығы",
    "мерзімде",
];

pub(super) fn prepare<'t, 'a>(
    tokens: &'t [Tok<'a>],
    lex: &'static Lexicon,
    r: Reading,
    s_start: usize,
    s_end: usize,
    options: crate::suggest::Options,
) -> Candidate<'t, 'a> {
    // The counted word: past up to two adjectives.
    let mut noun = None;
    let mut noun_kind = NounKind::Nothing;
    let mut k = r.next;
    let mut skipped = 0;
    // "двое из восьми ворот": a count out of a count, of whatever the second counts.
    if tokens.get(k).is_some_and(|t| t.is_any(&["из", "із", "з"]))
        && tokens
            .get(k + 1)
            .is_some_and(|_| is_number_token(tokens, k + 1, lex))
    {
        k += 2;
    }
    while k < s_end && tokens[k].is_word() {
        let w = tokens[k].lower;
        if is_people(lex, w) {
            noun = Some(k);
            noun_kind = NounKind::People;
            // Kazakh "тұрғын үй" is a dwelling, not residents.
            if lex.lang == Lang::Kk
                && w == "тұрғын"
                && tokens.get(k + 1).is_some_and(|n| n.lower.starts_with("үй"))
            {
                noun_kind = NounKind::Thing;
            }
            break;
        }
        if metric_of(lex, tokens, k).is_some() {
            // "11 эвакуационных автобусов": a casualty word used as an adjective of a thing.
            let adjective = ADJECTIVE_ENDINGS.iter().any(|e| w.ends_with(e))
                && tokens.get(k + 1).is_some_and(|n| {
                    n.is_word()
                        && is_cyrillic_word(n.lower)
                        && !is_people(lex, n.lower)
                        && !FUNCTION_WORDS.contains(&n.lower)
                        && metric_of(lex, tokens, k + 1).is_none()
                        && !VERB_ENDINGS.iter().any(|e| n.lower.ends_with(e))
                });
            if adjective && skipped < 2 {
                skipped += 1;
                k += 1;
                continue;
            }
            noun = Some(k);
            noun_kind = NounKind::Verb;
            break;
        }
        if lex.skippable.contains(&w) {
            k += 1;
            continue;
        }
        if FUNCTION_WORDS.contains(&w) || tokens[k].capital || !is_cyrillic_word(w) {
            break;
        }
        if skipped < 2 && ADJECTIVE_ENDINGS.iter().any(|e| w.ends_with(e)) && w.chars().count() > 3
        {
            skipped += 1;
            k += 1;
            continue;
        }
        if VERB_ENDINGS.iter().any(|e| w.ends_with(e)) {
            noun_kind = NounKind::Verb;
            noun = Some(k);
            break;
        }
        noun = Some(k);
        noun_kind = NounKind::Thing;
        break;
    }
    if matches!(noun_kind, NounKind::Thing | NounKind::Nothing)
        && (partitive(tokens, &r, s_start, lex)
            || (r.collective
                && !noun.is_some_and(|n| matches(lex.units, tokens[n].lower))
                // The word right after it, not one past "из восьми" ("двое из восьми ворот").
                && noun.is_none_or(|n| n == r.next)))
    {
        // "олардың 38-і", "из них 9", "двоих суд …": the number counts the people named
        // before it; the word after it starts the rest of the sentence.
        noun = None;
        noun_kind = NounKind::People;
    }
    // The metric: the counted noun itself, else the nearest casualty word after the
    // number (the verb usually follows: "трое погибли"), else before it.
    let own = noun.and_then(|nk| metric_of(lex, tokens, nk));
    let (mut metric, mut metric_close) = (own, own.is_some());
    if metric.is_none() {
        let after_to = (r.next + 10).min(s_end);
        for k in r.next..after_to {
            if let Some(m) = metric_of(lex, tokens, k) {
                metric = Some(m);
                metric_close = k <= r.next + 3;
                break;
            }
        }
    }
    if metric.is_none() {
        for k in (s_start..r.first).rev() {
            if let Some(m) = metric_of(lex, tokens, k) {
                metric = Some(m);
                metric_close = k + 3 >= r.first;
                break;
            }
        }
    }
    Candidate {
        tokens,
        lex,
        r,
        s_start,
        s_end,
        noun,
        noun_kind,
        metric,
        metric_close,
        options,
    }
}

/// "N of them": Kazakh `олардың 38-і`, `зардап шеккендердің жетеуі` (a genitive, then the
/// number with a possessive ending); Russian and Ukrainian `из них 9`, `9 из них`, `з них`.
fn partitive(tokens: &[Tok], r: &Reading, s_start: usize, lex: &Lexicon) -> bool {
    let before = |n: usize| {
        r.first
            .checked_sub(n)
            .filter(|&k| k >= s_start)
            .map(|k| &tokens[k])
    };
    let of_them = |a: Option<&Tok>, b: Option<&Tok>| {
        a.is_some_and(|a| a.is_any(&["из", "з", "із"]))
            && b.is_some_and(|b| b.is_any(&["них", "которых", "яких", "їх"]))
    };
    if of_them(before(2), before(1)) || of_them(tokens.get(r.next), tokens.get(r.next + 1)) {
        return true;
    }
    lex.lang == Lang::Kk
        && before(1).is_some_and(|p| {
            ["дың", "дің", "тың", "тің", "ның", "нің"]
                .iter()
                .any(|e| p.lower.ends_with(e))
        })
        && {
            let last = tokens[r.next - 1].lower;
            ["і", "ы", "сі", "сы", "еуі", "ауы", "інің", "ының"]
                .iter()
                .any(|e| last.ends_with(e))
        }
}

pub(super) fn is_cyrillic_word(w: &str) -> bool {
    w.chars().next().is_some_and(crate::text::is_cyrillic)
}

fn is_people(lex: &Lexicon, w: &str) -> bool {
    matches(lex.people, &norm(w))
        // Kazakh names people by trade with -шы/-ші: мұнайшы, кенші, жұмысшы.
        || (lex.lang == Lang::Kk
            && ["шы", "ші", "шылар", "шілер", "шыларды", "шілерді", "шының", "шінің"]
                .iter()
                .any(|e| w.ends_with(e)))
}

/// Casualty words per language, from `assets/metrics.ron` (`stems`), hashed once.
/// Stems with their metric, per language, listed under their first letter so that a word
/// is compared with the few stems that can match it.
type StemTable = Vec<(Lang, HashMap<char, Vec<(String, &'static str)>>)>;

fn metric_stems(lang: Lang, first: char) -> &'static [(String, &'static str)] {
    static STEMS: OnceLock<StemTable> = OnceLock::new();
    let all = STEMS.get_or_init(|| {
        let tax = crate::metrics::Taxonomy::builtin();
        [Lang::Ru, Lang::Kk, Lang::Uk]
            .into_iter()
            .map(|l| {
                let mut by_first: HashMap<char, Vec<(String, &'static str)>> = HashMap::new();
                for m in &tax.metrics {
                    let id: &'static str = match m.id.as_str() {
                        "killed" => "killed",
                        "injured" => "injured",
                        "arrested" => "arrested",
                        "detained" => "detained",
                        "missing" => "missing",
                        "displaced" => "displaced",
                        "evacuated" => "evacuated",
                        "protesters" => "protesters",
                        _ => "other",
                    };
                    for stem in m.stems.get(l.code()).into_iter().flatten() {
                        let stem = stem.to_lowercase();
                        if let Some(c) = stem.chars().next() {
                            by_first.entry(c).or_default().push((stem, id));
                        }
                    }
                }
                // Longest first: "без вести" before "без".
                for v in by_first.values_mut() {
                    v.sort_by_key(|(s, _)| std::cmp::Reverse(s.chars().count()));
                }
                (l, by_first)
            })
            .collect()
    });
    all.iter()
        .find(|(l, _)| *l == lang)
        .and_then(|(_, m)| m.get(&first))
        .map_or(&[], Vec::as_slice)
}

/// The metric a casualty word at token `k` signals (`погибли` → killed, `қаза` → killed).
/// A stem may be two words ("без вести", "під вартою").
fn metric_of(lex: &Lexicon, tokens: &[Tok], k: usize) -> Option<&'static str> {
    let t = tokens.get(k)?;
    if !t.is_word() {
        return None;
    }
    let w = norm(t.lower);
    let first = w.chars().next()?;
    metric_stems(lex.lang, first).iter().find_map(|(stem, id)| {
        let mut parts = stem.split(' ');
        let head = parts.next()?;
        if !word_matches(head, &w) {
            return None;
        }
        let mut j = k;
        for p in parts {
            j += 1;
            let next = tokens.get(j).filter(|n| n.is_word())?;
            if !word_matches(p, &norm(next.lower)) {
                return None;
            }
        }
        Some(*id)
    })
}

fn word_matches(entry: &str, w: &str) -> bool {
    match entry.strip_suffix('*') {
        Some(stem) => w.starts_with(stem),
        None => entry == w,
    }
}
