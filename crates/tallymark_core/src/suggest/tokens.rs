//! Tokens: the text cut into words, numbers and punctuation, with the word lists each
//! word belongs to, and sentence bounds.

use crate::calendar;

use super::{
    AUX, DEPLOYABLE, DETERMINERS, FIGURE_STARTS, METRIC_WORDS, MONEY, NOT_NAMES, ORG_WORDS,
    PEOPLE_NOUNS, POSSESSIVES, PRONOUNS, SAY, THINGS, TITLES, UNITS, VAGUE_STARTS,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TokKind {
    /// Letters or digits (with inner hyphens, apostrophes and digit separators).
    Word,
    /// One punctuation char.
    Punct,
    /// A line break (paragraph boundary).
    Break,
}

#[derive(Clone, Debug)]
pub(super) struct Tok<'a> {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) kind: TokKind,
    /// Lower-cased text (a slice of the lower-cased copy of the whole text).
    pub(super) lower: &'a str,
    /// First char is upper-case.
    pub(super) capital: bool,
    /// Which word lists the word is in (`class::*` bits), looked up once.
    pub(super) class: u32,
}

impl Tok<'_> {
    pub(super) fn has(&self, c: u32) -> bool {
        self.class & c != 0
    }
    pub(super) fn is(&self, w: &str) -> bool {
        self.lower == w
    }
    pub(super) fn is_any(&self, ws: &[&str]) -> bool {
        ws.contains(&self.lower)
    }
    pub(super) fn is_word(&self) -> bool {
        self.kind == TokKind::Word
    }
    /// Starts with an ASCII digit: a number written in figures (`12`, `3,500`, `51-летний`).
    pub(super) fn starts_with_digit(&self) -> bool {
        self.lower
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_digit)
    }
    /// Ends a sentence: `.`, `!`, `?` or a line break.
    pub(super) fn ends_sentence(&self) -> bool {
        self.kind == TokKind::Break
            || (self.kind == TokKind::Punct
                && self.is_any(&[".", "!", "?"])
                && !self.has(class::ABBREVIATION_DOT))
    }
}

/// Bits for the word lists a token can belong to.
pub(super) mod class {
    pub const PEOPLE_NOUNS: u32 = 1;
    pub const THINGS: u32 = 1 << 1;
    pub const AUX: u32 = 1 << 2;
    pub const NOT_NAMES: u32 = 1 << 3;
    pub const TITLES: u32 = 1 << 4;
    pub const ORG_WORDS: u32 = 1 << 5;
    pub const MONEY: u32 = 1 << 6;
    pub const UNITS: u32 = 1 << 7;
    pub const MONTHS: u32 = 1 << 8;
    pub const POSSESSIVES: u32 = 1 << 9;
    pub const SAY: u32 = 1 << 10;
    pub const DEPLOYABLE: u32 = 1 << 11;
    pub const PRONOUNS: u32 = 1 << 12;
    pub const DETERMINERS: u32 = 1 << 13;
    pub const FIGURE_STARTS: u32 = 1 << 14;
    pub const VAGUE_STARTS: u32 = 1 << 15;
    /// First word of a casualty phrase in `METRIC_WORDS`.
    pub const METRIC_HEAD: u32 = 1 << 16;
    /// A `.` that ends an abbreviation inside a sentence (`6,1 тыс. человек`), not the
    /// sentence.
    pub const ABBREVIATION_DOT: u32 = 1 << 17;
}

/// Word → list bits, hashed with FNV-1a: the keys are short words, where the default
/// hasher's `DoS` protection costs more than the lookup (and the keys are our own).
pub(super) type ClassTable =
    std::collections::HashMap<&'static str, u32, std::hash::BuildHasherDefault<Fnv>>;

/// FNV-1a, 64 bits.
pub(super) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Word → list bits, built once. Looking a word up once per token keeps the suggester
/// linear in the text and fast on book-length articles (see `benches/suggest.rs`).
pub(super) fn classes() -> &'static ClassTable {
    static TABLE: std::sync::OnceLock<ClassTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m = ClassTable::default();
        let lists: [(&[&str], u32); 18] = [
            (PEOPLE_NOUNS, class::PEOPLE_NOUNS),
            (THINGS, class::THINGS),
            (AUX, class::AUX),
            (NOT_NAMES, class::NOT_NAMES),
            (TITLES, class::TITLES),
            (ORG_WORDS, class::ORG_WORDS),
            (MONEY, class::MONEY),
            (UNITS, class::UNITS),
            (&calendar::MONTHS_EN, class::MONTHS),
            (&calendar::MONTH_ABBREVIATIONS_EN, class::MONTHS),
            (&calendar::WEEKDAYS_EN, class::NOT_NAMES),
            (POSSESSIVES, class::POSSESSIVES),
            (SAY, class::SAY),
            (DEPLOYABLE, class::DEPLOYABLE),
            (PRONOUNS, class::PRONOUNS),
            (DETERMINERS, class::DETERMINERS),
            (FIGURE_STARTS, class::FIGURE_STARTS),
            (VAGUE_STARTS, class::VAGUE_STARTS),
        ];
        for (words, bit) in lists {
            for w in words {
                *m.entry(*w).or_insert(0) |= bit;
            }
        }
        for (words, _) in METRIC_WORDS {
            *m.entry(words[0]).or_insert(0) |= class::METRIC_HEAD;
        }
        m
    })
}

/// The text lower-cased char by char (one char for one, so offsets carry over), with the
/// byte offset of every char in it. Tokens borrow their lower-case form from here instead of
/// allocating one string each. (Not `CharIndex`: its `usize` table, built in a second pass,
/// costs about 15 % of the suggester's speed on news text, which is never pure ASCII.)
pub(super) struct Lowered {
    pub(super) text: String,
    pub(super) byte_of_char: Vec<u32>,
}

impl Lowered {
    pub(super) fn new(chars: &[char]) -> Self {
        let mut text = String::with_capacity(chars.len() + chars.len() / 8);
        let mut byte_of_char = Vec::with_capacity(chars.len() + 1);
        for &c in chars {
            byte_of_char.push(text.len() as u32);
            text.push(crate::text::fold_char(c));
        }
        byte_of_char.push(text.len() as u32);
        Self { text, byte_of_char }
    }

    pub(super) fn slice(&self, start: usize, end: usize) -> &str {
        &self.text[self.byte_of_char[start] as usize..self.byte_of_char[end] as usize]
    }
}

use crate::text::is_word_char;

pub(super) fn tokenize<'a>(chars: &[char], lowered: &'a Lowered) -> Vec<Tok<'a>> {
    let table = classes();
    let mut out = Vec::with_capacity(chars.len() / 5);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            out.push(Tok {
                start: i,
                end: i + 1,
                kind: TokKind::Break,
                lower: lowered.slice(i, i + 1),
                capital: false,
                class: 0,
            });
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if is_word_char(c) {
            let start = i;
            i += 1;
            while i < chars.len() {
                let d = chars[i];
                if is_word_char(d) {
                    i += 1;
                    continue;
                }
                let next_alnum = chars.get(i + 1).is_some_and(|n| is_word_char(*n));
                let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
                let prev_digit = chars[i - 1].is_ascii_digit();
                // Inside a word: twenty-six, year-old, Kazakhstan’s; inside a number: 10,000, 1.7.
                let joins = match d {
                    '-' | '’' | '\'' => next_alnum,
                    ',' | '.' => prev_digit && next_digit,
                    _ => false,
                };
                if joins {
                    i += 1;
                } else {
                    break;
                }
            }
            let lower = lowered.slice(start, i);
            let class = table.get(lower).copied().unwrap_or(0);
            out.push(Tok {
                start,
                end: i,
                kind: TokKind::Word,
                lower,
                capital: c.is_uppercase(),
                class,
            });
            continue;
        }
        out.push(Tok {
            start: i,
            end: i + 1,
            kind: TokKind::Punct,
            lower: lowered.slice(i, i + 1),
            capital: false,
            class: if c == '%' {
                class::UNITS
            } else if c == '.' && is_abbreviation_dot(chars, &out, i) {
                class::ABBREVIATION_DOT
            } else {
                0
            },
        });
        i += 1;
    }
    out
}

/// Russian and Ukrainian abbreviations that take a dot inside a sentence: thousand, rouble,
/// hryvnia, article, part, year, region.
pub(super) const ABBREVIATIONS: &[&str] = &[
    "тыс", "тис", "руб", "грн", "ст", "ч", "п", "г", "гг", "обл", "ул", "им", "р", "млн", "млрд",
];

/// True when the `.` at char `i` ends an abbreviation (the token before it, just read) and
/// the sentence goes on: a lower-case word or a digit follows.
pub(super) fn is_abbreviation_dot(chars: &[char], out: &[Tok], i: usize) -> bool {
    let Some(prev) = out.last() else {
        return false;
    };
    if prev.end != i || !ABBREVIATIONS.contains(&prev.lower) {
        return false;
    }
    chars[i + 1..]
        .iter()
        .take(4)
        .find(|c| !c.is_whitespace() || **c == '\n')
        .is_some_and(|c| {
            c.is_lowercase() || c.is_ascii_digit() || matches!(c, ',' | ';' | ')' | '—' | '–')
        })
}

/// Index of the first token of the sentence containing token `i`.
pub(super) fn sentence_start(tokens: &[Tok], i: usize) -> usize {
    let floor = i.saturating_sub(MAX_SENTENCE_TOKENS);
    let mut j = i;
    while j > floor && !tokens[j - 1].ends_sentence() {
        j -= 1;
    }
    j
}

/// How far a sentence is read on either side of a token: news sentences are a few dozen
/// tokens; a run of text without stops (a scraped page on one line) must not make every
/// figure read the whole of it, which made a 20 MB line take minutes.
pub(super) const MAX_SENTENCE_TOKENS: usize = 200;

/// Index one past the last token of the sentence containing token `i`.
pub(super) fn sentence_end(tokens: &[Tok], i: usize) -> usize {
    let ceiling = i.saturating_add(MAX_SENTENCE_TOKENS).min(tokens.len());
    let mut j = i;
    while j < ceiling && !tokens[j].ends_sentence() {
        j += 1;
    }
    j
}

pub(super) fn text_of(chars: &[char], start: usize, end: usize) -> String {
    chars[start..end].iter().collect()
}
