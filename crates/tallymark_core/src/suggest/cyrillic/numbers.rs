//! Reading a number phrase: digits, number words in every case, scale words, vague
//! amounts, ranges and qualifiers.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::Reading;
use crate::annotation::Qualifier;
use crate::span::Span;
use crate::suggest::lexicon::{Lexicon, NumWord, matches};
use crate::suggest::{Lang, Tok};

/// Number words of a lexicon, hashed once.
fn number_table(lex: &'static Lexicon) -> &'static HashMap<&'static str, NumWord> {
    static TABLES: [OnceLock<HashMap<&'static str, NumWord>>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let slot = match lex.lang {
        Lang::Kk => 1,
        Lang::Uk => 2,
        _ => 0,
    };
    TABLES[slot].get_or_init(|| lex.numbers.iter().copied().collect())
}

/// Ukrainian writes its apostrophe three ways (`'`, `’`, `ʼ`); the lexicon uses `'`.
pub(super) fn norm(w: &str) -> std::borrow::Cow<'_, str> {
    if w.contains(['’', 'ʼ']) {
        std::borrow::Cow::Owned(w.replace(['’', 'ʼ'], "'"))
    } else {
        std::borrow::Cow::Borrowed(w)
    }
}

/// The number word `w` is, with the length in chars of the ending it carries (Kazakh
/// `мыңнан` is `мың` + `нан`; `жетеуі` is `жетеу` + `і`).
pub(super) fn number_word(lex: &'static Lexicon, w: &str) -> Option<(NumWord, usize)> {
    let table = number_table(lex);
    let w = norm(w);
    if let Some(n) = table.get(w.as_ref()) {
        return Some((*n, 0));
    }
    if lex.lang == Lang::Kk && !KK_NOT_NUMBERS.contains(&w.as_ref()) {
        // Only the number stems that begin the word can carry an ending: a handful, found
        // by the word's first letter, rather than every ending tried on every word.
        let first = w.chars().next()?;
        for (stem, n) in kk_stems(first) {
            if let Some(ending) = w.strip_prefix(stem)
                && lex.suffixes.contains(&ending)
            {
                return Some((*n, ending.chars().count()));
            }
        }
    }
    None
}

/// Kazakh number words by first letter, for [`number_word`].
fn kk_stems(first: char) -> &'static [(&'static str, NumWord)] {
    static BY_FIRST: OnceLock<HashMap<char, Vec<(&'static str, NumWord)>>> = OnceLock::new();
    BY_FIRST
        .get_or_init(|| {
            let mut m: HashMap<char, Vec<(&'static str, NumWord)>> = HashMap::new();
            for &(w, n) in crate::suggest::lexicon::kk::LEXICON.numbers {
                if let Some(c) = w.chars().next() {
                    m.entry(c).or_default().push((w, n));
                }
            }
            m
        })
        .get(&first)
        .map_or(&[], Vec::as_slice)
}

/// Kazakh words that look like a number with an ending but are not: "үшін" (for), "оны"
/// (him), "онда" (there), "ондай" (such), "бірдей" (the same), "біреу" (someone).
const KK_NOT_NUMBERS: &[&str] = &[
    "үшін",
    "бірге",
    "біреу",
    "біреуге",
    "біреудің",
    "бірер",
    "бірақ",
    "бірден",
    "бірде",
    "бірдей",
    "онда",
    "оны",
    "онымен",
    "ондағы",
    "ондай",
    "ондайда",
    "онша",
];

/// True when a qualifier of `lex` starts at token `i`: its length in tokens and meaning.
pub(super) fn qualifier_at(tokens: &[Tok], i: usize, lex: &Lexicon) -> Option<(usize, Qualifier)> {
    let first = tokens.get(i)?.lower;
    if !lex.before.iter().any(|(words, _)| words[0] == first) {
        return None;
    }
    lex.before.iter().find_map(|(words, q)| {
        words
            .iter()
            .enumerate()
            .all(|(n, w)| tokens.get(i + n).is_some_and(|t| t.is(w)))
            .then_some((words.len(), *q))
    })
}

/// Reads the digits of token `k` (`12`, `3,5`, `1.2`, `12-15`, `200-ден`): value, the high
/// end of a joined range, and whether a hyphenated ending is no case ending.
fn digits(t: &Tok, lex: &Lexicon) -> Option<(f64, Option<f64>, bool, bool)> {
    let (head, suffix) = match t.lower.split_once('-') {
        Some((h, s)) => (h, Some(s)),
        None => (t.lower, None),
    };
    if !head
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
    {
        return None;
    }
    let leading_zero =
        head.len() > 1 && head.starts_with('0') && !head.contains([',', '.']) || head == "0";
    let value = decimal(head)?;
    let mut high = None;
    let mut bad = false;
    if let Some(s) = suffix {
        if s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() {
            high = decimal(s);
        } else if !lex.suffixes.contains(&s) {
            bad = true;
        }
    }
    Some((value, high, bad, leading_zero))
}

/// `12`, `3,5`, `1.2`, `10,000`: a comma or dot followed by exactly three digits is a
/// thousands separator, else a decimal mark (these languages write `3,5`).
fn decimal(s: &str) -> Option<f64> {
    if s.is_empty() {
        return None;
    }
    let groups: Vec<&str> = s.split([',', '.']).collect();
    if groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3) && groups[0].len() <= 3 {
        return groups.concat().parse().ok();
    }
    if groups.len() == 2 {
        return format!("{}.{}", groups[0], groups[1]).parse().ok();
    }
    if groups.len() == 1 {
        return s.parse().ok();
    }
    None
}

/// True when tokens `a` and `b` are separated by exactly one space (plain, no-break,
/// narrow no-break or thin): a thousands separator, not a line break or two spaces.
fn one_space(chars: &[char], a: &Tok, b: &Tok) -> bool {
    b.start == a.end + 1 && matches!(chars[a.end], ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Reads the number (without qualifiers) at token `k`: value, whether collective or vague,
/// the token after it and the char end. Takes a scale word after digits or words.
#[expect(
    clippy::too_many_lines,
    clippy::many_single_char_names,
    reason = "one straight reading of digits, groups, words and scale; order matters"
)]
fn number_at(chars: &[char], tokens: &[Tok], k: usize, lex: &'static Lexicon) -> Option<Number> {
    let t = tokens.get(k)?;
    if !t.is_word() {
        return None;
    }
    let mut n = Number {
        low: 0.0,
        high: None,
        collective: false,
        vague: false,
        next: k + 1,
        end: t.end,
        bad_suffix: false,
        leading_zero: false,
        year: false,
        scaled: false,
        more: false,
    };
    if t.starts_with_digit() {
        let (mut value, high, bad, zero) = digits(t, lex)?;
        n.bad_suffix = bad;
        n.leading_zero = zero;
        n.high = high;
        // Thousands groups: "12 000", "1 200 000", "1 200-ден".
        let mut last = k;
        if t.lower.len() <= 3 && !t.lower.contains([',', '.', '-']) {
            while let Some(g) = tokens.get(last + 1) {
                let head = g.lower.split_once('-').map_or(g.lower, |(h, _)| h);
                if head.len() == 3
                    && head.bytes().all(|b| b.is_ascii_digit())
                    && one_space(chars, &tokens[last], g)
                {
                    let (gv, _, gbad, _) = digits(g, lex)?;
                    value = value * 1000.0 + gv;
                    n.bad_suffix = gbad;
                    last += 1;
                } else {
                    break;
                }
            }
        }
        n.year =
            last == k && t.lower.len() == 4 && (1800.0..=2100.0).contains(&value) && high.is_none();
        n.low = value;
        n.next = last + 1;
        n.end = tokens[last].end;
    } else {
        // Number words.
        let (mut total, mut current) = (0.0_f64, 0.0_f64);
        let mut j = k;
        let mut any = false;
        while let Some(w) = tokens.get(j).filter(|w| w.is_word()) {
            let Some((word, _)) = number_word(lex, w.lower) else {
                break;
            };
            match word {
                NumWord::Add(v) => current += v,
                NumWord::Hundred => current = current.max(1.0) * 100.0,
                NumWord::Scale(s) => {
                    if !any {
                        // "тысячи людей": a plural scale word alone is a vague amount;
                        // "тысяча" alone is a thousand.
                        let vague =
                            !matches!(w.lower, "тысяча" | "тысячу" | "тисяча" | "тисячу" | "мың");
                        if vague && s < 1e6 {
                            n.low = 2000.0;
                            n.vague = true;
                            n.next = j + 1;
                            n.end = w.end;
                            return Some(n);
                        }
                    }
                    total += current.max(1.0) * s;
                    current = 0.0;
                    n.scaled = true;
                }
                NumWord::Collective(v) => {
                    if any {
                        break;
                    }
                    n.low = v;
                    n.collective = true;
                    n.next = j + 1;
                    n.end = w.end;
                    return Some(n);
                }
                NumWord::Vague(v) => {
                    if any && (v - 200.0).abs() < f64::EPSILON {
                        // "полутора сотен", "півтори сотні": hundreds after a number.
                        total += current.max(1.0) * 100.0;
                        current = 0.0;
                        n.scaled = true;
                        any = true;
                        j += 1;
                        continue;
                    }
                    if any {
                        break;
                    }
                    return vague_at(tokens, j, v, lex, n);
                }
            }
            any = true;
            j += 1;
        }
        if !any {
            return None;
        }
        n.low = total + current;
        n.next = j;
        n.end = tokens[j - 1].end;
        return Some(n);
    }
    // "6 с лишним тысяч": more than six thousand.
    if tokens.get(n.next).is_some_and(|t| t.is("с"))
        && tokens.get(n.next + 1).is_some_and(|t| t.is("лишним"))
        && tokens
            .get(n.next + 2)
            .is_some_and(|t| matches!(number_word(lex, t.lower), Some((NumWord::Scale(_), _))))
    {
        n.next += 2;
        n.more = true;
    }
    // A scale word after digits: "3,5 тысячи", "6,1 тыс.", "15 тыс.", "3 мыңнан".
    if let Some(w) = tokens.get(n.next).filter(|w| w.is_word())
        && let Some((NumWord::Scale(s), _)) = number_word(lex, w.lower)
    {
        n.low *= s;
        n.high = n.high.map(|h| h * s);
        n.scaled = true;
        n.end = w.end;
        n.next += 1;
        // The abbreviation's dot belongs to it ("тыс.").
        if let Some(dot) = tokens.get(n.next)
            && dot.is(".")
            && dot.start == w.end
            && matches!(w.lower, "тыс" | "тис" | "млн" | "млрд")
        {
            n.end = dot.end;
            n.next += 1;
        }
    }
    Some(n)
}

/// A vague amount at token `j` with floor `v` (0 for "несколько"/"кілька", which need a
/// scale word): "десятки тысяч" (20,000), "сотни", "нескольких тысячах" (2,000).
fn vague_at(
    tokens: &[Tok],
    j: usize,
    v: f64,
    lex: &'static Lexicon,
    mut n: Number,
) -> Option<Number> {
    n.vague = true;
    n.next = j + 1;
    n.end = tokens[j].end;
    let after = tokens
        .get(j + 1)
        .filter(|w| w.is_word())
        .and_then(|w| number_word(lex, w.lower));
    let value = match (v, after) {
        (0.0, Some((NumWord::Scale(s), _))) => 2.0 * s,
        (0.0, Some((NumWord::Vague(w), _))) => w,
        (0.0, Some((NumWord::Hundred, _))) => 200.0,
        (0.0, _) => return None,
        (v, Some((NumWord::Scale(s), _))) => {
            // "десятки тысяч" = tens of thousands = 20,000; "сотни тысяч" = 200,000.
            if v < 100.0 { 20.0 * s } else { v * s }
        }
        (v, _) => {
            n.low = v;
            return Some(n);
        }
    };
    n.low = value;
    n.next = j + 2;
    n.end = tokens[j + 1].end;
    Some(n)
}

/// A number as read by [`number_at`].
#[derive(Clone, Copy, Debug)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent facts about one number, each asked by one rule"
)]
struct Number {
    low: f64,
    high: Option<f64>,
    collective: bool,
    vague: bool,
    next: usize,
    end: usize,
    bad_suffix: bool,
    leading_zero: bool,
    year: bool,
    scaled: bool,
    /// "с лишним": more than.
    more: bool,
}

/// Reads a figure phrase starting at token `i`: qualifier, number, range, postposed
/// qualifier.
pub(super) fn read(
    chars: &[char],
    tokens: &[Tok],
    i: usize,
    lex: &'static Lexicon,
) -> Option<Reading> {
    let (range_open, mut qualifier, num) = if !lex.range.0.is_empty() && tokens[i].is(lex.range.0) {
        (true, Qualifier::Exact, i + 1)
    } else if let Some((len, q)) = qualifier_at(tokens, i, lex) {
        (false, q, i + len)
    } else {
        (false, Qualifier::Exact, i)
    };
    let mut n = number_at(chars, tokens, num, lex)?;
    // "возросло до 131": "до" after a verb of growth is where the count got to, not a bound.
    let grew_to = qualifier == Qualifier::UpTo
        && tokens[i].is("до")
        && i > 0
        && matches(lex.growth, tokens[i - 1].lower);
    let mut first = if grew_to { num } else { i };
    if grew_to {
        qualifier = Qualifier::Exact;
    }
    if n.more {
        qualifier = Qualifier::MoreThan;
    }
    let mut high = n.high;
    if high.is_some() {
        qualifier = Qualifier::Range;
    }
    // Ranges: "от 200 до 300", "12–15 тыс.", "12 — 15".
    let closes = |k: usize| {
        tokens.get(k).is_some_and(|t| {
            (range_open && !lex.range.1.is_empty() && t.is(lex.range.1))
                || (t.is_any(&["–", "—", "-"]) && t.start <= tokens[k - 1].end + 1)
        })
    };
    // A collective numeral never opens a range ("төртеуі – 70 жастан асқан": four, aged
    // over seventy), and a dash with spaces round it is a clause break, not a range.
    let tight = |k: usize| {
        tokens.get(k + 1).is_some_and(|m| {
            tokens[k].is(lex.range.1)
                || m.start <= tokens[k].end + 1 && tokens[k].start <= tokens[k - 1].end
                || m.start == tokens[k].end
        })
    };
    if !n.collective
        && closes(n.next)
        && tight(n.next)
        && let Some(m) = number_at(chars, tokens, n.next + 1, lex)
        && !m.vague
        && !m.collective
    {
        let mut low = n.low;
        if m.scaled && !n.scaled {
            // "12–15 тыс.": the scale word covers both ends.
            if let Some(s) = scale_of(tokens, n.next + 1, m.next, lex) {
                low *= s;
            }
        }
        if m.low > low {
            n.low = low;
            high = Some(m.low);
            qualifier = Qualifier::Range;
            n.next = m.next;
            n.end = m.end;
            n.bad_suffix |= m.bad_suffix;
        }
    } else if range_open {
        // "от" without "до": no range; read the number alone.
        first = num;
    }
    // Kazakh postposed qualifiers: "3 мыңнан астам", "60-қа жуық", "100-ден кем емес".
    if let Some((len, q)) = lex.after.iter().find_map(|(words, q)| {
        words
            .iter()
            .enumerate()
            .all(|(k, w)| tokens.get(n.next + k).is_some_and(|t| t.is(w)))
            .then_some((words.len(), *q))
    }) {
        // "7 жылға дейін" is left to the unit rule: keep the number's own next word.
        if !(q == Qualifier::UpTo
            && tokens
                .get(n.next + 1)
                .is_some_and(|t| matches(lex.growth, t.lower)))
        {
            qualifier = q;
        }
        n.end = tokens[n.next + len - 1].end;
        n.next += len;
    }
    if lex.lang == Lang::Kk
        && qualifier == Qualifier::Exact
        && ["дай", "дей", "тай", "тей"]
            .iter()
            .any(|s| tokens[n.next - 1].lower.ends_with(s))
    {
        // "100-дей адам": about a hundred people.
        qualifier = Qualifier::About;
    }
    if n.vague && qualifier == Qualifier::Exact {
        qualifier = Qualifier::Vague;
    }
    Some(Reading {
        first,
        num,
        next: n.next,
        low: n.low,
        high,
        qualifier,
        collective: n.collective,
        span: Span::between(tokens[first].start, n.end),
        bad_suffix: n.bad_suffix,
        leading_zero: n.leading_zero,
        year: n.year && qualifier == Qualifier::Exact,
    })
}

/// The scale word between tokens `from..to`, if any (for "12–15 тыс.").
fn scale_of(tokens: &[Tok], from: usize, to: usize, lex: &'static Lexicon) -> Option<f64> {
    tokens[from..to]
        .iter()
        .find_map(|t| match number_word(lex, t.lower) {
            Some((NumWord::Scale(s), _)) => Some(s),
            _ => None,
        })
}
