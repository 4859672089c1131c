//! Suggesting figures, quotes and (optionally) claims in an article.
//!
//! The suggester is a set of rules over words, not a statistical model: it knows what a
//! casualty figure looks like in news prose. A figure is a number (digits, words, scale words,
//! ranges, vague amounts, with its qualifier, all read by [`parse_figure`]) that counts
//! **people**: it is followed by a people noun ("protesters", "people of the village"), by a
//! casualty verb ("were killed", "are still missing"), or it is the value of a toll ("the toll
//! rose to 47"). Numbers that are dates, ages, times, money, percentages, measurements, counts
//! of things, deployments, capacities, workforces, family members in an anecdote or
//! hypotheticals are left alone. The span is the number with its qualifier and scale word; the
//! counted noun goes into `who`, the metric comes from the nearest casualty word, the source
//! from the sentence's attribution ("according to X", "X said", or the quote it sits in).
//!
//! A quote is the text inside double quotation marks, straight or curly. A quote left open
//! ends at its paragraph's end (newspapers continue a quote in the next paragraph by opening
//! it again); a stray opening mark inside an open quote starts a new one. The speaker comes
//! from the attribution next to the quote ("said X", "X told", "she added"), pronouns resolve
//! to the last person named, titles ("the president") to the person who held them.
//!
//! ```
//! use tallymark_core::suggest::{suggest, Options};
//! let s = suggest("More than 160 people were killed, police said.", Options::default());
//! assert_eq!(s.figures[0].exact, "More than 160");
//! assert_eq!(s.figures[0].figure.metric, "killed");
//! assert_eq!(s.figures[0].figure.source, "police");
//! ```

use serde::Serialize;

use time::OffsetDateTime;

mod cyrillic;
pub mod lexicon;

use super::annotation::{
    Annotation, Attributes, ClaimAttrs, FigureAttrs, Kind, Qualifier, QuoteAttrs,
};
use super::document::{Document, Rejected};
use super::figure::parse_figure;
use super::span::Span;

/// What to look for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Suggest claims (sentences reporting an assertion). Off by default: they are noisier.
    pub claims: bool,
    /// Suggest counts of deployed troops, police and rescuers as figures.
    pub deployments: bool,
    /// The article's publication date: a figure's `reported` date is the day its sentence
    /// names ("on Sunday"), resolved against it, else this day.
    pub published: Option<time::Date>,
    /// The article's language; `None` detects it from the text. Sentences in another script
    /// are read in their own language whatever this says (a text that mixes English and
    /// Russian is read sentence by sentence).
    pub language: Option<Lang>,
}

/// The languages the suggester reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum Lang {
    /// English.
    #[default]
    #[serde(rename = "en")]
    En,
    /// Russian.
    #[serde(rename = "ru")]
    Ru,
    /// Kazakh, in Cyrillic script.
    #[serde(rename = "kk")]
    Kk,
    /// Ukrainian.
    #[serde(rename = "uk")]
    Uk,
}

impl Lang {
    /// All languages, in menu order.
    pub const ALL: [Self; 4] = [Self::En, Self::Ru, Self::Kk, Self::Uk];

    /// The ISO 639-1 code: `en`, `ru`, `kk`, `uk`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ru => "ru",
            Self::Kk => "kk",
            Self::Uk => "uk",
        }
    }

    /// The language's name, in English (the interface's language).
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Ru => "Russian",
            Self::Kk => "Kazakh",
            Self::Uk => "Ukrainian",
        }
    }

    /// The language of an ISO 639-1 code or a BCP 47 tag (`ru`, `kk-KZ`, `uk_UA`;
    /// case-insensitive), if the suggester reads it.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or("");
        Self::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// The language of a text, as the article's provenance detects it
    /// ([`crate::provenance::detect_language`]: Kazakh by its own letters, the others by
    /// `whatlang`), or English when that is none of these four. Sentences in Cyrillic are
    /// read in their own language whatever this says.
    #[must_use]
    pub fn detect(text: &str) -> Self {
        crate::provenance::detect_language(text)
            .as_deref()
            .and_then(Self::from_code)
            .unwrap_or(Self::En)
    }
}

/// A suggested figure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FigureSuggestion {
    /// Chars of the number with its qualifier, half-open.
    pub span: Span,
    /// The text of the span.
    pub exact: String,
    /// Parsed value, metric, who, source, place and reported date.
    pub figure: FigureAttrs,
}

/// A suggested quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuoteSuggestion {
    /// Chars inside the quotation marks, half-open.
    pub span: Span,
    /// The text of the span.
    pub exact: String,
    /// Who said it, or empty when nothing in the text says.
    pub speaker: String,
}

/// A suggested claim: a sentence that reports an assertion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClaimSuggestion {
    /// Chars of the sentence (or clause), half-open.
    pub span: Span,
    /// The text of the span.
    pub exact: String,
    /// Who makes the claim, when the sentence says.
    pub claimant: String,
}

/// Everything suggested for one text, each list in text order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Suggestions {
    /// The language the text was read in (given, or detected).
    pub language: Lang,
    /// Figures.
    pub figures: Vec<FigureSuggestion>,
    /// Quotes.
    pub quotes: Vec<QuoteSuggestion>,
    /// Claims (empty unless [`Options::claims`]).
    pub claims: Vec<ClaimSuggestion>,
}

/// Suggests figures, quotes and (if asked) claims in `text`; offsets are chars of `text`.
#[must_use]
pub fn suggest(text: &str, options: Options) -> Suggestions {
    let chars: Vec<char> = text.chars().collect();
    let lowered = Lowered::new(&chars);
    let tokens = tokenize(&chars, &lowered);
    let people = People::scan(&chars, &tokens);
    let language = options.language.unwrap_or_else(|| Lang::detect(text));
    let quotes = find_quotes(&chars, &tokens, &people);
    let mut figures = find_figures(&chars, &tokens, &people, &quotes, options, None);
    let cyrillic: Vec<FigureSuggestion> =
        cyrillic::judge_all(&chars, &tokens, &quotes, options, language)
            .into_iter()
            .filter_map(|v| match v {
                cyrillic::Verdict::Figure(f) => Some(f),
                cyrillic::Verdict::Rejected(..) => None,
            })
            .collect();
    if !cyrillic.is_empty() {
        // A Cyrillic sentence is read by its own rules: drop what the English rules made of
        // its digits, then merge in text order.
        figures.retain(|f| !cyrillic.iter().any(|c| c.span.overlaps(f.span)));
        figures.extend(cyrillic);
        figures.sort_by_key(|f| (f.span.start, f.span.end));
    }
    // Place and date come from the figure's sentence (see `scope`).
    for f in &mut figures {
        crate::scope::enrich(&chars, f.span, options.published, &mut f.figure);
    }
    let claims = if options.claims {
        find_claims(&chars, &tokens, &people, &quotes)
    } else {
        Vec::new()
    };
    Suggestions {
        language,
        figures,
        quotes,
        claims,
    }
}

/// The number phrases that were judged not to be figures, each with the name of the rule
/// that said so, in text order (for the quality test's list of misses, and for anyone asking
/// why a number was left alone). English rules are named after what they reject
/// (`deployment`, `capacity-built-for`, `no-people`); the rules for Russian, Kazakh and
/// Ukrainian are the table in `cyrillic.rs`.
#[must_use]
pub fn explain(text: &str, options: Options) -> Vec<(Span, &'static str)> {
    let chars: Vec<char> = text.chars().collect();
    let lowered = Lowered::new(&chars);
    let tokens = tokenize(&chars, &lowered);
    let people = People::scan(&chars, &tokens);
    let quotes = find_quotes(&chars, &tokens, &people);
    let language = options.language.unwrap_or_else(|| Lang::detect(text));
    let mut out = Vec::new();
    find_figures(&chars, &tokens, &people, &quotes, options, Some(&mut out));
    out.extend(
        cyrillic::judge_all(&chars, &tokens, &quotes, options, language)
            .into_iter()
            .filter_map(|v| match v {
                cyrillic::Verdict::Rejected(span, rule) => Some((span, rule)),
                cyrillic::Verdict::Figure(_) => None,
            }),
    );
    out.sort_by_key(|(span, _)| (span.start, span.end));
    out
}

// ---------------------------------------------------------------------------------------
// Tokens

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokKind {
    /// Letters or digits (with inner hyphens, apostrophes and digit separators).
    Word,
    /// One punctuation char.
    Punct,
    /// A line break (paragraph boundary).
    Break,
}

#[derive(Clone, Debug)]
struct Tok<'a> {
    start: usize,
    end: usize,
    kind: TokKind,
    /// Lower-cased text (a slice of the lower-cased copy of the whole text).
    lower: &'a str,
    /// First char is upper-case.
    capital: bool,
    /// Which word lists the word is in (`class::*` bits), looked up once.
    class: u32,
}

impl Tok<'_> {
    fn has(&self, c: u32) -> bool {
        self.class & c != 0
    }
    fn is(&self, w: &str) -> bool {
        self.lower == w
    }
    fn is_any(&self, ws: &[&str]) -> bool {
        ws.contains(&self.lower)
    }
    fn is_word(&self) -> bool {
        self.kind == TokKind::Word
    }
    /// Ends a sentence: `.`, `!`, `?` or a line break.
    fn ends_sentence(&self) -> bool {
        self.kind == TokKind::Break
            || (self.kind == TokKind::Punct
                && self.is_any(&[".", "!", "?"])
                && !self.has(class::ABBREVIATION_DOT))
    }
}

/// Bits for the word lists a token can belong to.
mod class {
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
type ClassTable = std::collections::HashMap<&'static str, u32, std::hash::BuildHasherDefault<Fnv>>;

/// FNV-1a, 64 bits.
struct Fnv(u64);

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
fn classes() -> &'static ClassTable {
    static TABLE: std::sync::OnceLock<ClassTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m = ClassTable::default();
        let lists: [(&[&str], u32); 16] = [
            (PEOPLE_NOUNS, class::PEOPLE_NOUNS),
            (THINGS, class::THINGS),
            (AUX, class::AUX),
            (NOT_NAMES, class::NOT_NAMES),
            (TITLES, class::TITLES),
            (ORG_WORDS, class::ORG_WORDS),
            (MONEY, class::MONEY),
            (UNITS, class::UNITS),
            (MONTHS, class::MONTHS),
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
struct Lowered {
    text: String,
    byte_of_char: Vec<u32>,
}

impl Lowered {
    fn new(chars: &[char]) -> Self {
        let mut text = String::with_capacity(chars.len() + chars.len() / 8);
        let mut byte_of_char = Vec::with_capacity(chars.len() + 1);
        for &c in chars {
            byte_of_char.push(text.len() as u32);
            text.push(super::text::fold_char(c));
        }
        byte_of_char.push(text.len() as u32);
        Self { text, byte_of_char }
    }

    fn slice(&self, start: usize, end: usize) -> &str {
        &self.text[self.byte_of_char[start] as usize..self.byte_of_char[end] as usize]
    }
}

use super::text::is_word_char;

fn tokenize<'a>(chars: &[char], lowered: &'a Lowered) -> Vec<Tok<'a>> {
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
const ABBREVIATIONS: &[&str] = &[
    "тыс", "тис", "руб", "грн", "ст", "ч", "п", "г", "гг", "обл", "ул", "им", "р", "млн", "млрд",
];

/// True when the `.` at char `i` ends an abbreviation (the token before it, just read) and
/// the sentence goes on: a lower-case word or a digit follows.
fn is_abbreviation_dot(chars: &[char], out: &[Tok], i: usize) -> bool {
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
fn sentence_start(tokens: &[Tok], i: usize) -> usize {
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
const MAX_SENTENCE_TOKENS: usize = 200;

/// Index one past the last token of the sentence containing token `i`.
fn sentence_end(tokens: &[Tok], i: usize) -> usize {
    let ceiling = i.saturating_add(MAX_SENTENCE_TOKENS).min(tokens.len());
    let mut j = i;
    while j < ceiling && !tokens[j].ends_sentence() {
        j += 1;
    }
    j
}

fn text_of(chars: &[char], start: usize, end: usize) -> String {
    chars[start..end].iter().collect()
}

// ---------------------------------------------------------------------------------------
// People: names, titles and who was mentioned where, to resolve "she said" and "Zhanay".

/// Words that start a capitalised run but are not names (month names too: see `MONTHS`).
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "on",
    "in",
    "at",
    "but",
    "and",
    "or",
    "as",
    "by",
    "for",
    "from",
    "of",
    "to",
    "with",
    "after",
    "before",
    "when",
    "while",
    "if",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "there",
    "then",
    "they",
    "he",
    "she",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "my",
    "however",
    "meanwhile",
    "despite",
    "although",
    "according",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "reporting",
    "editing",
    "updated",
    "source",
    "related",
    "back",
    "smoke",
    "protesters",
    "police",
    "government",
    "officials",
    "residents",
    "activists",
    "groups",
    "people",
    "hospitals",
    "relief",
    "aid",
    "rescue",
    "rescuers",
];

/// Titles that may precede a name ("President Kassym-Jomart Tokayev").
const TITLES: &[&str] = &[
    "president",
    "prime",
    "minister",
    "governor",
    "mayor",
    "dr",
    "mr",
    "mrs",
    "ms",
    "general",
    "gen",
    "colonel",
    "col",
    "captain",
    "capt",
    "chief",
    "commander",
    "senator",
    "judge",
    "sheikh",
    "king",
    "queen",
    "prince",
    "pope",
    "father",
    "sister",
    "deputy",
    "interior",
    "foreign",
    "defence",
    "defense",
    "health",
    "secretary",
    "spokesman",
    "spokeswoman",
    "professor",
    "prof",
    "sergeant",
    "lieutenant",
    "inspector",
    "superintendent",
    "director",
];

/// Words that make a capitalised run an organisation or a place, not a person.
const ORG_WORDS: &[&str] = &[
    "parliament",
    "times",
    "ministry",
    "council",
    "union",
    "crescent",
    "cross",
    "organization",
    "organisation",
    "service",
    "services",
    "agency",
    "police",
    "army",
    "forces",
    "court",
    "party",
    "group",
    "radio",
    "news",
    "press",
    "square",
    "city",
    "street",
    "province",
    "republic",
    "river",
    "treaty",
    "security",
    "nations",
    "office",
    "department",
    "committee",
    "coalition",
    "authority",
    "fund",
    "bank",
    "company",
    "corporation",
    "university",
    "hospital",
    "school",
    "stadium",
    "airport",
    "port",
    "guard",
    "red",
    "choice",
    "europe",
    "reuters",
    "afp",
    "ap",
    "getty",
    "epa",
    "efe",
    "shutterstock",
    "bbc",
    "ft",
    "cnn",
    "federation",
    "association",
    "institute",
    "network",
    "watch",
    "international",
    "world",
    "united",
    "states",
    "kingdom",
    "valley",
    "delta",
    "district",
    "region",
    "county",
    "bridge",
    "island",
    "islands",
    "mountains",
    "sea",
    "lake",
    "coast",
    "camp",
    "village",
    "town",
    "station",
    "centre",
    "center",
    "media",
    "television",
    "tv",
    "daily",
    "herald",
    "courier",
    "post",
    "journal",
    "agence",
    "commission",
    "brigade",
    "battalion",
    "regiment",
    "church",
    "mosque",
    "cathedral",
    "hall",
    "palace",
    "house",
    "building",
    "mine",
    "collective",
    "organisation’s",
    "ministry’s",
];

#[derive(Clone, Debug)]
struct Mention {
    /// Char offset of the mention.
    at: usize,
    /// Index into `People::names`.
    person: usize,
}

#[derive(Clone, Debug, Default)]
struct People {
    /// Full names, in order of first appearance.
    names: Vec<String>,
    /// Every mention (full name, surname or title), in text order.
    mentions: Vec<Mention>,
    /// Title (lower-case, e.g. "president") → person.
    titles: Vec<(String, usize)>,
    /// First or last name (lower-case) → the latest person registered with it.
    by_word: std::collections::HashMap<String, usize>,
    /// Full name → person.
    by_name: std::collections::HashMap<String, usize>,
}

impl People {
    #[expect(
        clippy::many_single_char_names,
        reason = "i..j is the run, k walks it, t is the token: a scanner's usual names"
    )]
    fn scan(chars: &[char], tokens: &[Tok]) -> Self {
        let mut people = Self::default();
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            if !(t.is_word() && t.capital) {
                i += 1;
                continue;
            }
            // A run of capitalised words.
            let mut j = i;
            while j < tokens.len() && tokens[j].is_word() && tokens[j].capital {
                j += 1;
            }
            let run = &tokens[i..j];
            let mut k = 0;
            while k < run.len() && run[k].has(class::NOT_NAMES | class::MONTHS) {
                k += 1;
            }
            let mut title = Vec::new();
            while k < run.len() && run[k].has(class::TITLES) {
                title.push(run[k].lower);
                k += 1;
            }
            let name_toks = &run[k..];
            let is_org = run.iter().any(|w| w.has(class::ORG_WORDS));
            if !is_org
                && name_toks.len() >= 2
                && name_toks
                    .iter()
                    .all(|w| !w.has(class::NOT_NAMES | class::MONTHS))
            {
                let name = text_of(
                    chars,
                    name_toks[0].start,
                    name_toks[name_toks.len() - 1].end,
                );
                let name = name
                    .trim_end_matches("’s")
                    .trim_end_matches("'s")
                    .to_owned();
                let person = people.register(&name);
                people.mentions.push(Mention {
                    at: name_toks[0].start,
                    person,
                });
                if let Some(last) = title.last() {
                    let key = if title.len() > 1 {
                        title.join(" ")
                    } else {
                        (*last).to_owned()
                    };
                    people.titles.push((key, person));
                    if title.len() > 1 {
                        people.titles.push(((*last).to_owned(), person));
                    }
                }
            } else if !is_org && name_toks.len() == 1 {
                // A surname alone ("Zhanay", "Tokayev’s") refers to a person named before.
                let w = name_toks[0]
                    .lower
                    .trim_end_matches("’s")
                    .trim_end_matches("'s")
                    .to_owned();
                if let Some(person) = people.by_surname(&w) {
                    people.mentions.push(Mention {
                        at: name_toks[0].start,
                        person,
                    });
                }
            }
            i = j.max(i + 1);
        }
        people
    }

    fn register(&mut self, name: &str) -> usize {
        if let Some(&p) = self.by_name.get(name) {
            return p;
        }
        self.names.push(name.to_owned());
        let p = self.names.len() - 1;
        self.by_name.insert(name.to_owned(), p);
        let mut words = name.split_whitespace();
        if let Some(first) = words.next() {
            self.by_word.insert(first.to_lowercase(), p);
        }
        if let Some(last) = name.split_whitespace().last() {
            self.by_word.insert(last.to_lowercase(), p);
        }
        p
    }

    /// The person a lone first or last name refers to ("Zhanay", "Tokayev’s").
    fn by_surname(&self, word: &str) -> Option<usize> {
        self.by_word.get(word).copied()
    }

    /// The mention starting at char `at` (mentions are in text order: binary search, so
    /// book-length texts stay linear overall).
    fn mention_at(&self, at: usize) -> Option<&Mention> {
        self.mentions
            .binary_search_by_key(&at, |m| m.at)
            .ok()
            .map(|i| &self.mentions[i])
    }

    /// The last person mentioned before char `at`.
    fn last_before(&self, at: usize) -> Option<&str> {
        let idx = self.mentions.partition_point(|m| m.at < at);
        idx.checked_sub(1)
            .map(|i| self.names[self.mentions[i].person].as_str())
    }

    /// Resolves a title ("president", "prime minister") to the person who held it.
    fn by_title(&self, title: &str) -> Option<&str> {
        self.titles
            .iter()
            .rev()
            .find(|(t, _)| t == title)
            .map(|(_, p)| self.names[*p].as_str())
    }
}

// ---------------------------------------------------------------------------------------
// Attribution: who said it, from the words around a quote or a figure.

/// Verbs of saying.
const SAY: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "asked",
    "explained",
    "wrote",
    "tweeted",
    "recalled",
    "continued",
    "insisted",
    "warned",
    "shouted",
    "stated",
    "reported",
    "announced",
    "claimed",
    "alleged",
    "estimated",
    "estimates",
    "confirmed",
    "noted",
    "declared",
    "urged",
    "replied",
    "posted",
    "argued",
    // Russian, Ukrainian and Kazakh ("— сказал он", "— деді ол").
    "сказал",
    "сказала",
    "сказали",
    "заявил",
    "заявила",
    "заявили",
    "отметил",
    "отметила",
    "отметили",
    "добавил",
    "добавила",
    "добавили",
    "сообщил",
    "сообщила",
    "сообщили",
    "подчеркнул",
    "подчеркнула",
    "подчеркнули",
    "пояснил",
    "пояснила",
    "пояснили",
    "рассказал",
    "рассказала",
    "рассказали",
    "признал",
    "признала",
    "признался",
    "призналась",
    "уточнил",
    "уточнила",
    "уточнили",
    "написал",
    "написала",
    "написали",
    "говорит",
    "говорил",
    "говорила",
    "говорят",
    "считает",
    "призвал",
    "призвала",
    "заверил",
    "заверила",
    "пообещал",
    "пообещала",
    "констатировал",
    "ответил",
    "ответила",
    "вспоминает",
    "рассказывает",
    "добавляет",
    "пожаловалась",
    "пожаловался",
    "жалуется",
    "крикнул",
    "крикнула",
    "объяснил",
    "объяснила",
    "продолжил",
    "продолжила",
    "заключил",
    "заключила",
    "уверяет",
    "сказав",
    "заявив",
    "зазначив",
    "зазначила",
    "зазначили",
    "додав",
    "додала",
    "додали",
    "повідомив",
    "повідомила",
    "повідомили",
    "наголосив",
    "наголосила",
    "наголосили",
    "розповів",
    "розповіла",
    "розповіли",
    "пояснив",
    "уточнив",
    "написав",
    "каже",
    "кажуть",
    "говорить",
    "запевнив",
    "запевнила",
    "пообіцяв",
    "пообіцяла",
    "відповів",
    "відповіла",
    "визнав",
    "визнала",
    "підкреслив",
    "підкреслила",
    "деді",
    "деп",
    "айтты",
    "мәлімдеді",
    "хабарлады",
    "түсіндірді",
    "жазды",
    "сендірді",
    "қосты",
];

const PRONOUNS: &[&str] = &[
    "he", "she", "they", "i", "we", "он", "она", "они", "ол", "олар", "він", "вона", "вони",
];
const DETERMINERS: &[&str] = &["the", "a", "an", "its", "his", "her", "their"];

/// Resolves a subject noun phrase (tokens `from..to`) to a speaker name.
fn resolve_subject(
    chars: &[char],
    tokens: &[Tok],
    from: usize,
    to: usize,
    people: &People,
) -> Option<String> {
    if from >= to {
        return None;
    }
    let phrase = &tokens[from..to];
    if phrase.len() == 1 && phrase[0].has(class::PRONOUNS) {
        return people.last_before(phrase[0].start).map(str::to_owned);
    }
    // A known person named in the phrase.
    for t in phrase.iter().rev() {
        if let Some(m) = people.mention_at(t.start) {
            return Some(people.names[m.person].clone());
        }
    }
    // A title ("the president").
    let words: Vec<&str> = phrase
        .iter()
        .filter(|t| t.is_word())
        .map(|t| t.lower)
        .collect();
    if words.first().is_some_and(|w| DETERMINERS.contains(w))
        && let Some(p) = people.by_title(&words[1..].join(" "))
    {
        return Some(p.to_owned());
    }
    let mut s = from;
    while s < to && tokens[s].has(class::DETERMINERS) {
        s += 1;
    }
    if s >= to {
        return None;
    }
    let text = text_of(chars, tokens[s].start, tokens[to - 1].end);
    Some(text.trim_end_matches("’s").to_owned())
}

/// The subject before a verb of saying at token `verb`: up to five words back, stopping at
/// punctuation, a closing quote or a conjunction.
fn subject_before(tokens: &[Tok], verb: usize) -> (usize, usize) {
    let mut s = verb;
    while s > 0 && verb - s < 5 {
        let t = &tokens[s - 1];
        if !t.is_word()
            || t.is_any(&[
                "and", "but", "that", "which", "who", "as", "while", "although", "also", "had",
                "has", "have", "was", "then", "later", "on", "earlier",
            ])
        {
            break;
        }
        s -= 1;
    }
    // Adverbs between subject and verb ("police also said") are skipped above by stopping;
    // when the word right before the verb is an adverb, look past it.
    (s, verb)
}

/// The name after a verb of saying at token `verb` ("said Dana Zhanay, an activist").
fn name_after(chars: &[char], tokens: &[Tok], verb: usize, people: &People) -> Option<String> {
    let first = tokens.get(verb + 1)?;
    if !first.is_word() {
        return None;
    }
    if first.has(class::PRONOUNS) {
        return people.last_before(first.start).map(str::to_owned);
    }
    if let Some(m) = people.mention_at(first.start) {
        return Some(people.names[m.person].clone());
    }
    // "сказала жительница города Айнура Бекова", "деп сендірді Асқар Төлеуов": in these
    // languages a description often stands between the verb and the name.
    if tokens[verb]
        .lower
        .chars()
        .next()
        .is_some_and(super::text::is_cyrillic)
    {
        for t in tokens[verb + 1..].iter().take(7) {
            if t.ends_sentence() || (t.kind == TokKind::Punct && !t.is_any(&["-", "–"])) {
                break;
            }
            if let Some(m) = people.mention_at(t.start) {
                return Some(people.names[m.person].clone());
            }
        }
    }
    // "said the interior ministry", "said a military spokesman", "said Reuters".
    let mut e = verb + 1;
    while e < tokens.len() && tokens[e].is_word() && e - verb <= 5 {
        e += 1;
    }
    let from = verb + 1;
    if first.capital || first.has(class::DETERMINERS) {
        // Titles: "said President X" is caught by the mention lookup; stop at lower-case
        // verbs like "on" or "in".
        let mut stop = from;
        while stop < e
            && !tokens[stop].is_any(&[
                "on", "in", "at", "after", "before", "when", "that", "to", "by", "during",
            ])
        {
            stop += 1;
        }
        return resolve_subject(chars, tokens, from, stop, people);
    }
    None
}

/// Who a sentence (tokens `from..to`) attributes itself to: "X said", "said X",
/// "according to X", "X told Y". Returns the speaker and the token index of the verb.
fn attribution_in(
    chars: &[char],
    tokens: &[Tok],
    from: usize,
    to: usize,
    people: &People,
) -> Option<(String, usize)> {
    for i in from..to {
        let t = &tokens[i];
        if t.is("according") && tokens.get(i + 1).is_some_and(|n| n.is("to")) {
            let mut e = i + 2;
            while e < to && tokens[e].is_word() {
                e += 1;
            }
            if let Some(s) = resolve_subject(chars, tokens, i + 2, e, people) {
                return Some((s, i));
            }
        }
    }
    for i in from..to {
        let t = &tokens[i];
        if !t.has(class::SAY) {
            continue;
        }
        // "X said" first, then "said X".
        let (s, e) = subject_before(tokens, i);
        if s < e
            && s >= from
            && let Some(name) = resolve_subject(chars, tokens, s, e, people)
        {
            return Some((name, i));
        }
        if let Some(name) = name_after(chars, tokens, i, people) {
            return Some((name, i));
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// Quotes

fn is_open_mark(c: char) -> bool {
    matches!(c, '“' | '"' | '„' | '«')
}

fn is_close_mark(c: char) -> bool {
    matches!(c, '”' | '"' | '»')
}

/// Finds the quotes of every paragraph (line) and their speakers.
fn find_quotes(chars: &[char], tokens: &[Tok], people: &People) -> Vec<QuoteSuggestion> {
    let mut spans: Vec<(usize, usize, bool)> = Vec::new(); // (start, end, closed)
    // Where each line starts, for finding a quote's line by search rather than by walking
    // back through a line that may be megabytes long.
    let mut line_starts: Vec<usize> = Vec::new();
    let mut line_start = 0;
    while line_start < chars.len() {
        line_starts.push(line_start);
        let line_end = chars[line_start..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(chars.len(), |p| line_start + p);
        let before = spans.len();
        quotes_in_line(chars, line_start, line_end, &mut spans);
        if spans.len() == before {
            dash_speech(chars, line_start, line_end, &mut spans);
        }
        line_start = line_end + 1;
    }
    spans.retain(|&(start, end, _)| !is_guillemet_name(chars, start, end));
    let mut out: Vec<QuoteSuggestion> = Vec::with_capacity(spans.len());
    let mut last_speaker = String::new();
    let mut prev_unclosed_line: Option<usize> = None;
    for (start, end, closed) in spans {
        let line = line_starts[line_starts
            .partition_point(|&l| l <= start)
            .saturating_sub(1)];
        let continues = prev_unclosed_line.is_some_and(|l| l < line) && starts_line(chars, start);
        let speaker = quote_speaker(chars, tokens, people, start, end)
            .or_else(|| continues.then(|| last_speaker.clone()))
            .unwrap_or_else(|| last_speaker.clone());
        if !speaker.is_empty() {
            last_speaker.clone_from(&speaker);
        }
        prev_unclosed_line = (!closed).then_some(line);
        out.push(QuoteSuggestion {
            span: Span::between(start, end),
            exact: text_of(chars, start, end),
            speaker,
        });
    }
    out
}

/// Direct speech introduced by a dash, as Russian, Ukrainian and Kazakh print dialogue:
/// `— Мы ушли ночью, — рассказала Зарина. — Наш дом сожгли.` Each spoken segment is a
/// quote; a segment cut by an attribution (`, — сказала …`) ends before its comma, one that
/// runs to the end of the paragraph keeps its full stop.
fn dash_speech(chars: &[char], from: usize, to: usize, out: &mut Vec<(usize, usize, bool)>) {
    let is_dash = |c: char| matches!(c, '—' | '–');
    let mut i = from;
    while i < to && chars[i].is_whitespace() {
        i += 1;
    }
    if !(i + 1 < to && is_dash(chars[i]) && chars[i + 1].is_whitespace()) {
        return;
    }
    let mut seg = i + 2;
    while seg < to {
        // The next " — " followed by a lower-case word is an attribution.
        let mut k = seg;
        let mut cut = None;
        while k + 3 < to {
            if chars[k].is_whitespace()
                && is_dash(chars[k + 1])
                && chars[k + 2].is_whitespace()
                && chars[k + 3].is_lowercase()
                && k > seg
                && matches!(chars[k - 1], ',' | '!' | '?' | '…')
            {
                cut = Some(k);
                break;
            }
            k += 1;
        }
        let Some(cut) = cut else {
            push_quote(chars, seg, to, true, out);
            return;
        };
        let end = if chars[cut - 1] == ',' { cut - 1 } else { cut };
        push_quote(chars, seg, end, true, out);
        // After the attribution: ". — " and a capital letter open the next segment.
        let mut j = cut + 3;
        let mut next = None;
        while j + 3 < to {
            if chars[j] == '.'
                && chars[j + 1].is_whitespace()
                && is_dash(chars[j + 2])
                && chars[j + 3].is_whitespace()
            {
                next = Some(j + 4);
                break;
            }
            j += 1;
        }
        match next {
            Some(n) => seg = n,
            None => return,
        }
    }
}

/// A name in guillemets (`«Глубокая»`, `компания «Степь-Тур»`, `«Канал 31»`), which these
/// languages print where English uses capitals, is no quote: a few capitalised words with
/// no sentence punctuation, not introduced as words written or shouted (`с надписью`,
/// `скандировали`, a colon, the start of a sentence) and not followed by an attribution.
fn is_guillemet_name(chars: &[char], start: usize, end: usize) -> bool {
    /// Kinds of thing a name names, after it.
    const KINDS: &[&str] = &[
        "ұйым",
        "қозғалыс",
        "компания",
        "серіктестік",
        "жшс",
        "қор",
        "партия",
        "орталық",
        "агенттік",
        "арна",
        "телеарна",
        "кәсіпорн",
        "зауыт",
        "шахта",
    ];
    /// Words before a quote that say it was written or shouted, not named.
    const WRITTEN: &[&str] = &[
        "надпис",
        "написа",
        "табличк",
        "записк",
        "скандир",
        "кричал",
        "лозунг",
        "плакат",
        "баннер",
        "транспарант",
        "ұран",
        "жазыл",
        "жазу",
        "назвал",
        "словами",
        "фраз",
        "напис",
        "скандува",
        "гасл",
        "вигукува",
    ];
    let Some(open) = start.checked_sub(1) else {
        return false;
    };
    if !matches!(chars[open], '«' | '„') {
        return false;
    }
    let inner = &chars[start..end];
    let words = inner
        .split(|c| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .count();
    if words > 4
        || !inner[0].is_uppercase() && !inner[0].is_ascii_digit()
        || inner
            .iter()
            .any(|c| matches!(c, '.' | ',' | '!' | '?' | ':' | ';' | '…'))
    {
        return false;
    }
    // What follows the closing mark: an attribution makes it speech.
    let after: String = chars[(end + 1).min(chars.len())..(end + 12).min(chars.len())]
        .iter()
        .collect();
    let after = after.trim_start();
    if after.starts_with(", —")
        || after.starts_with(", –")
        || after.starts_with("деп")
        || after.starts_with("— ")
    {
        return false;
    }
    // A name followed by the kind of thing it names: "«Жаңа дауыс» қозғалысының".
    if KINDS.iter().any(|k| after.to_lowercase().starts_with(k)) {
        return true;
    }
    // What precedes the opening mark.
    let mut p = open;
    while p > 0 && chars[p - 1] == ' ' {
        p -= 1;
    }
    if p == 0 || matches!(chars[p - 1], '.' | ':' | '\n' | '!' | '?') {
        return false;
    }
    let mut w = p;
    while w > 0 && chars[w - 1].is_alphabetic() {
        w -= 1;
    }
    let prev = chars[w..p].iter().collect::<String>().to_lowercase();
    !WRITTEN.iter().any(|s| prev.starts_with(s))
}

/// True when the quote opening just before `start` is the first thing on its line.
fn starts_line(chars: &[char], start: usize) -> bool {
    chars[..start.saturating_sub(1)]
        .iter()
        .rev()
        .take_while(|&&c| c != '\n')
        .all(|c| c.is_whitespace())
}

/// Scans one line for quotes: `(start, end, closed)` of the text inside the marks.
fn quotes_in_line(chars: &[char], from: usize, to: usize, out: &mut Vec<(usize, usize, bool)>) {
    let mut open: Option<usize> = None;
    let mut i = from;
    while i < to {
        let c = chars[i];
        let prev = if i > from { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied().filter(|_| i + 1 < to);
        let space_before = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p));
        let space_after = next.is_none_or(char::is_whitespace);
        match open {
            None => {
                let opens = match c {
                    '“' | '„' | '«' => !space_after,
                    // A straight mark opens after a space (or at the line's start) before words.
                    '"' => space_before && !space_after,
                    _ => false,
                };
                if opens {
                    open = Some(i + 1);
                }
            }
            Some(s) => {
                // A curly opening mark inside an open quote closes it too: when it ends the
                // line or stands after the words ("body. “"); it starts a new quote when words
                // follow it (“It has to change.).
                // A quote in guillemets closes only with », so that a „nested“ one inside
                // it stays inside; „ closes with “ or ”.
                let opener = chars[s - 1];
                let closes = match c {
                    '»' => true,
                    '”' | '“' => opener != '«',
                    '"' => opener != '«' && (!space_before || space_after),
                    _ => false,
                };
                if closes {
                    push_quote(chars, s, i, true, out);
                    open = None;
                    // “ after words reopens (the seed's “It has to change.), except where it
                    // closes a German-style „…“ quote, as Ukrainian prints them.
                    if c == '“' && !space_after && chars[s - 1] != '„' {
                        open = Some(i + 1);
                    }
                }
            }
        }
        i += 1;
    }
    if let Some(s) = open {
        // Left open: the quote ends where the speaker's words end, which is the line's end
        // unless an attribution ("…,’ said X") shows they ended earlier.
        let end = unclosed_end(chars, s, to);
        push_quote(chars, s, end, false, out);
    }
}

/// Where an unclosed quote ends: at a closing single quote followed by a verb of saying,
/// or at the last non-space char of the line.
fn unclosed_end(chars: &[char], start: usize, line_end: usize) -> usize {
    let mut i = start;
    while i < line_end {
        if matches!(chars[i], '’' | '\'')
            && i > start
            && matches!(chars[i - 1], ',' | '.' | '?' | '!')
        {
            let rest: String = chars[i + 1..line_end.min(i + 16)].iter().collect();
            let rest = rest.trim_start();
            if SAY.iter().any(|v| rest.starts_with(&format!("{v} ")))
                || ["she ", "he ", "they "].iter().any(|p| rest.starts_with(p))
            {
                return i + 1;
            }
        }
        i += 1;
    }
    let mut end = line_end;
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    end
}

fn push_quote(
    chars: &[char],
    start: usize,
    end: usize,
    closed: bool,
    out: &mut Vec<(usize, usize, bool)>,
) {
    let mut s = start;
    let mut e = end;
    while s < e && chars[s].is_whitespace() {
        s += 1;
    }
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    if e > s && chars[s..e].iter().any(|c| c.is_alphanumeric()) {
        out.push((s, e, closed));
    }
}

/// The speaker of the quote `start..end`, from the attribution after it (same sentence) or
/// before it ("He added: “…").
fn quote_speaker(
    chars: &[char],
    tokens: &[Tok],
    people: &People,
    start: usize,
    end: usize,
) -> Option<String> {
    let first_in = tokens.partition_point(|t| t.start < start);
    let after = tokens.partition_point(|t| t.start < end);
    // After the quote: skip its closing mark and punctuation, read to the next mark or sentence end.
    let mut j = after;
    while j < tokens.len() && tokens[j].kind == TokKind::Punct && !tokens[j].ends_sentence() {
        j += 1;
    }
    let mut stop = j;
    while stop < tokens.len()
        && !tokens[stop].ends_sentence()
        && !(tokens[stop].kind == TokKind::Punct && tokens[stop].lower.chars().all(is_open_mark))
    {
        stop += 1;
    }
    if stop > j
        && let Some((name, _)) = attribution_in(chars, tokens, j, stop.min(j + 14), people)
    {
        return Some(name);
    }
    // Before the quote, in its sentence: "Tokayev said on Twitter: “…”", "He added: “…".
    let mut b = first_in.saturating_sub(1);
    while b > 0 && !tokens[b - 1].ends_sentence() && !is_close_tok(&tokens[b - 1]) {
        b -= 1;
    }
    let before_end = first_in.saturating_sub(1);
    if before_end > b
        && let Some((name, _)) = attribution_in(chars, tokens, b, before_end, people)
    {
        return Some(name);
    }
    // A phrase quoted inside a sentence about someone ("the president ordered … “without
    // warning”"): the sentence's subject.
    let s = sentence_start(tokens, first_in.saturating_sub(1));
    // Short phrases only: a long quote without attribution is not a scare quote.
    if end - start < 60 && s < first_in {
        for t in &tokens[s..first_in.saturating_sub(1)] {
            if let Some(m) = people.mention_at(t.start) {
                return Some(people.names[m.person].clone());
            }
        }
        for k in s..first_in.saturating_sub(1) {
            if tokens[k].has(class::DETERMINERS)
                && let Some(next) = tokens.get(k + 1)
                && let Some(p) = people.by_title(next.lower)
            {
                return Some(p.to_owned());
            }
        }
    }
    None
}

fn is_close_tok(t: &Tok) -> bool {
    t.kind == TokKind::Punct && t.lower.chars().all(is_close_mark)
}

// ---------------------------------------------------------------------------------------
// Figures

/// Words other than number words that can begin a figure: vague amounts, qualifiers, "a".
const FIGURE_STARTS: &[&str] = &[
    "low",
    "high",
    "hundred",
    "dozens",
    "scores",
    "hundreds",
    "thousands",
    "millions",
    "tens",
    "several",
    "more",
    "over",
    "above",
    "upwards",
    "at",
    "nearly",
    "almost",
    "close",
    "about",
    "around",
    "some",
    "roughly",
    "approximately",
    "an",
    "estimated",
    "up",
    "fewer",
    "less",
    "under",
    "no",
    "as",
    "between",
    "a",
    "dozen",
    "half",
    "in",
    "well",
];

/// Nouns that count people. The noun found becomes `who`.
const PEOPLE_NOUNS: &[&str] = &[
    "minors",
    "juveniles",
    "ministers",
    "hikers",
    "climbers",
    "skiers",
    "divers",
    "seekers",
    "guides",
    "strikers",
    "pickets",
    "people",
    "persons",
    "person",
    "residents",
    "civilians",
    "protesters",
    "demonstrators",
    "policemen",
    "police",
    "officers",
    "officer",
    "policeman",
    "soldiers",
    "soldier",
    "troops",
    "servicemen",
    "children",
    "child",
    "women",
    "men",
    "man",
    "woman",
    "students",
    "workers",
    "miners",
    "passengers",
    "migrants",
    "refugees",
    "villagers",
    "victims",
    "bodies",
    "fans",
    "spectators",
    "journalists",
    "reporters",
    "activists",
    "detainees",
    "prisoners",
    "inmates",
    "patients",
    "pilgrims",
    "tourists",
    "crew",
    "fighters",
    "militants",
    "terrorists",
    "rebels",
    "insurgents",
    "firefighters",
    "rescuers",
    "staff",
    "employees",
    "casualties",
    "deaths",
    "dead",
    "lives",
    "survivors",
    "teenagers",
    "infants",
    "babies",
    "girls",
    "boys",
    "adults",
    "citizens",
    "nationals",
    "foreigners",
    "guards",
    "sailors",
    "seafarers",
    "fishermen",
    "farmers",
    "members",
    "supporters",
    "opponents",
    "voters",
    "worshippers",
    "pupils",
    "teachers",
    "doctors",
    "nurses",
    "medics",
    "paramedics",
    "volunteers",
    "evacuees",
    "stewards",
    "asylum-seekers",
    "cases",
    "life",
    "others",
    "individuals",
    "suspects",
    "gunmen",
    "attackers",
    "combatants",
    "troopers",
    "personnel",
    "wounded",
    "injured",
    "fatalities",
    "homeless",
    "hostages",
    "captives",
    "displaced",
    "missing",
    "elderly",
    "residents’",
    "youths",
    "protestors",
    "marchers",
    "rioters",
    "looters",
    "peacekeepers",
    "occupants",
    "guests",
    "visitors",
    "inhabitants",
    "dwellers",
    "squatters",
    "labourers",
    "laborers",
    "daughters",
    "sons",
    "grandchildren",
    "relatives",
    "mourners",
    "crewmen",
    "crewmembers",
    "tenants",
    "shoppers",
    "commuters",
    "drivers",
    "truckers",
];

/// People who are deployed rather than affected: not figures unless a casualty word is near.
const DEPLOYABLE: &[&str] = &[
    "troops",
    "soldiers",
    "police",
    "policemen",
    "officers",
    "rescuers",
    "doctors",
    "nurses",
    "medics",
    "paramedics",
    "firefighters",
    "personnel",
    "peacekeepers",
    "servicemen",
    "troopers",
    "surgeons",
];

/// People who are deployed only when the sentence says so ("sent 40 volunteers"); otherwise
/// they may be the affected ("180 workers were asleep inside").
const DEPLOYABLE_IN_CONTEXT: &[&str] = &[
    "volunteers",
    "staff",
    "stewards",
    "guards",
    "teachers",
    "employees",
    "workers",
];

/// Verbs that make a count of staff or volunteers a deployment.
const DEPLOY_VERBS: &[&str] = &[
    "deployed",
    "sent",
    "dispatched",
    "mobilised",
    "mobilized",
    "drafted",
    "hired",
    "assigned",
    "flown",
    "employs",
    "employed",
    "serving",
    "distributed",
    "loaded",
    "helping",
    "hiring",
    "hire",
    "recruited",
    "recruiting",
];

/// Things counted in casualty sentences that are not people: "37 homes", "three shelters".
const THINGS: &[&str] = &[
    "homes",
    "houses",
    "buildings",
    "barns",
    "sheds",
    "shelters",
    "gates",
    "vehicles",
    "cars",
    "trucks",
    "lorries",
    "buses",
    "carriages",
    "wagons",
    "coaches",
    "boats",
    "ships",
    "helicopters",
    "planes",
    "aircraft",
    "ambulances",
    "bridges",
    "roads",
    "schools",
    "hospitals",
    "clinics",
    "villages",
    "towns",
    "districts",
    "provinces",
    "states",
    "countries",
    "floors",
    "storeys",
    "tents",
    "beds",
    "tonnes",
    "tons",
    "rounds",
    "shells",
    "rockets",
    "missiles",
    "drones",
    "households",
    "families",
    "cattle",
    "animals",
    "livestock",
    "camps",
    "exits",
    "doors",
    "flats",
    "apartments",
    "shops",
    "stalls",
    "businesses",
    "farms",
    "wells",
    "sites",
    "centres",
    "centers",
    "kits",
    "doses",
    "meals",
    "litres",
    "liters",
    "crowns",
    "euros",
    "dollars",
    "times",
    "violations",
];

/// Casualty words → metric. Multi-word entries are matched on consecutive tokens.
const METRIC_WORDS: &[(&[&str], &str)] = &[
    (&["killed"], "killed"),
    (&["dead"], "killed"),
    (&["died"], "killed"),
    (&["die"], "killed"),
    (&["dying"], "killed"),
    (&["deaths"], "killed"),
    (&["death"], "killed"),
    (&["toll"], "killed"),
    (&["fatalities"], "killed"),
    (&["lives"], "killed"),
    (&["life"], "killed"),
    (&["bodies"], "killed"),
    (&["drowned"], "killed"),
    (&["perished"], "killed"),
    (&["killing"], "killed"),
    (&["kills"], "killed"),
    (&["kill"], "killed"),
    (&["shot", "dead"], "killed"),
    (&["injured"], "injured"),
    (&["wounds"], "injured"),
    (&["intensive", "care"], "injured"),
    (&["critical", "condition"], "injured"),
    (&["serious", "condition"], "injured"),
    (&["stable", "condition"], "injured"),
    (&["injuring"], "injured"),
    (&["injures"], "injured"),
    (&["injuries"], "injured"),
    (&["wounded"], "injured"),
    (&["wounding"], "injured"),
    (&["hurt"], "injured"),
    (&["hospitalised"], "injured"),
    (&["hospitalized"], "injured"),
    (&["treated"], "injured"),
    (&["arrested"], "arrested"),
    (&["arrests"], "arrested"),
    (&["charged"], "arrested"),
    (&["rounded", "up"], "arrested"),
    (&["detained"], "detained"),
    (&["detention"], "detained"),
    (&["held"], "detained"),
    (&["custody"], "detained"),
    (&["jailed"], "detained"),
    (&["imprisoned"], "detained"),
    (&["captured"], "detained"),
    (&["hold"], "detained"),
    (&["taken", "prisoner"], "detained"),
    (&["holds"], "detained"),
    (&["holding"], "detained"),
    (&["prisoners"], "detained"),
    (&["missing"], "missing"),
    (&["unaccounted"], "missing"),
    (&["disappeared"], "missing"),
    (&["displaced"], "displaced"),
    (&["homeless"], "displaced"),
    (&["fled"], "displaced"),
    (&["flee"], "displaced"),
    (&["fleeing"], "displaced"),
    (&["flight"], "displaced"),
    (&["refugees"], "displaced"),
    (&["sheltering"], "displaced"),
    (&["shelter"], "displaced"),
    (&["sheltered"], "displaced"),
    (&["shelters"], "displaced"),
    (&["forced", "from"], "displaced"),
    (&["from", "their", "homes"], "displaced"),
    (&["from", "homes"], "displaced"),
    (&["lost", "their", "homes"], "displaced"),
    (&["evacuated"], "evacuated"),
    (&["evacuate"], "evacuated"),
    (&["evacuation"], "evacuated"),
    (&["evacuees"], "evacuated"),
    (&["protesters"], "protesters"),
    (&["demonstrators"], "protesters"),
    (&["marched"], "protesters"),
    (&["rallied"], "protesters"),
    (&["protested"], "protesters"),
    (&["rally"], "protesters"),
    (&["march"], "protesters"),
    (&["marchers"], "protesters"),
];

/// Words allowed between a figure and its casualty verb: "were still", "have been".
const AUX: &[&str] = &[
    "were",
    "was",
    "have",
    "has",
    "had",
    "been",
    "are",
    "is",
    "be",
    "still",
    "reportedly",
    "believed",
    "to",
    "also",
    "later",
    "being",
    "feared",
    "thought",
    "confirmed",
    "now",
    "already",
    "more",
    "others",
    "remain",
    "remained",
    "remains",
    "so",
    "far",
    "in",
    "total",
    "all",
    "of",
    "them",
    "whom",
    "said",
    "say",
    "says",
    "who",
    "they",
    "seriously",
    "critically",
    "badly",
    "slightly",
    "fatally",
    "people",
];

/// Currency words after a number make it money.
const MONEY: &[&str] = &[
    "dollars",
    "euros",
    "pounds",
    "crowns",
    "tenge",
    "rubles",
    "roubles",
    "yuan",
    "francs",
    "lira",
    "rupees",
    "yen",
    "usd",
    "eur",
    "gbp",
    "kronor",
    "krona",
    "dinars",
    "shillings",
    "pesos",
    "rand",
    "naira",
    "hryvnias",
];

/// Units after a number make it a measurement, time or other non-count.
const UNITS: &[&str] = &[
    "cubic",
    "square",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "mile",
    "metres",
    "meters",
    "metre",
    "meter",
    "mm",
    "millimetres",
    "millimeters",
    "cm",
    "centimetres",
    "kg",
    "kilograms",
    "tonnes",
    "tons",
    "tonne",
    "ton",
    "hectares",
    "acres",
    "degrees",
    "feet",
    "foot",
    "ft",
    "inches",
    "litres",
    "liters",
    "percent",
    "per",
    "%",
    "minutes",
    "minute",
    "hours",
    "hour",
    "days",
    "day",
    "weeks",
    "week",
    "months",
    "month",
    "years",
    "year",
    "decades",
    "decade",
    "centuries",
    "nautical",
    "seconds",
    "km/h",
    "mph",
    "times",
    "floors",
    "storeys",
    "stories",
    "am",
    "pm",
    "a.m",
    "p.m",
    "gmt",
    "utc",
    "kph",
    "points",
    "goals",
    "magnitude",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

const POSSESSIVES: &[&str] = &["her", "his", "my", "their", "our", "your", "its"];

// One pass of readable rules; splitting it would scatter the order they apply in.
/// Figures read by the English rules. When `rejected` is given, every number phrase they
/// turned down is added to it with the name of the rule (for [`explain`]).
fn find_figures(
    chars: &[char],
    tokens: &[Tok],
    people: &People,
    quotes: &[QuoteSuggestion],
    options: Options,
    mut rejected: Option<&mut Vec<(Span, &'static str)>>,
) -> Vec<FigureSuggestion> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        // Digits in a sentence in Cyrillic are read by `cyrillic`, not by the English rules.
        let trigger = t.is_word()
            && !(t.lower.as_bytes()[0].is_ascii_digit() && next_to_cyrillic(tokens, i))
            && is_trigger(tokens, i);
        if !trigger {
            i += 1;
            continue;
        }
        let Some((span, parsed, next)) = figure_at(chars, tokens, i) else {
            i += 1;
            continue;
        };
        let earlier = out.last().cloned();
        let verdict = judge_figure(
            chars, tokens, people, quotes, options, i, next, span, &parsed,
        );
        if let Some(rejected) = rejected.as_deref_mut()
            && let Err(rule) = verdict
        {
            rejected.push((span, rule));
        }
        if let Ok(fig) = verdict {
            out.push(fig);
        } else if let Some(prev) = earlier
            && i >= 2
            && is_another_value(tokens, i)
            && sentence_start(tokens, i) <= tokens.partition_point(|t| t.start < prev.span.start)
        {
            // "about 300 elderly people …, up from 120 in the spring", "from three patients
            // on a Monday to more than 200": another value of the count just given in this
            // sentence.
            out.push(FigureSuggestion {
                span,
                exact: text_of(chars, span.start, span.end),
                figure: FigureAttrs {
                    value_low: Some(parsed.low),
                    value_high: parsed.high,
                    qualifier: parsed.qualifier,
                    ..prev.figure
                },
            });
        }
        i = next.max(i + 1);
    }
    out
}

/// True when a word next to token `i` (one of the two before, or the one after it) is in
/// Cyrillic.
fn next_to_cyrillic(tokens: &[Tok], i: usize) -> bool {
    let cyr = |t: &Tok| {
        t.kind == TokKind::Word && t.lower.chars().next().is_some_and(super::text::is_cyrillic)
    };
    tokens[i.saturating_sub(2)..(i + 2).min(tokens.len())]
        .iter()
        .any(cyr)
}

/// "up from N", "down from N", or "to N" after a "from" in the same sentence: a second value
/// of a count already given.
fn is_another_value(tokens: &[Tok], i: usize) -> bool {
    let from_before = || {
        tokens[sentence_start(tokens, i)..i]
            .iter()
            .any(|t| t.is("from"))
    };
    (tokens[i - 1].is("from")
        && tokens[i - 2].is_any(&[
            "up", "down", "rising", "falling", "risen", "fallen", "rose", "fell",
        ]))
        || (tokens[i - 1].is("to") && from_before())
        // "…, compared with at least 14 in 2019": the same count at another time.
        || (tokens[i - 1].is_any(&["with", "to"]) && tokens[i - 2].is("compared"))
}

/// Whether token `i` can begin a figure. Cheap on purpose: "a", "at", "about" and "some"
/// are among the commonest words, so a qualifier only counts when a number follows soon.
fn is_trigger(tokens: &[Tok], i: usize) -> bool {
    let t = &tokens[i];
    let first = t.lower.as_bytes()[0];
    if first.is_ascii_digit() {
        // A bare year ("in 2019") is never a count unless qualified, and then the
        // qualifier is the trigger: skip the parse, the commonest number in news.
        let year = t.lower.len() == 4
            && t.lower.bytes().all(|b| b.is_ascii_digit())
            && (b"18".as_slice()..=b"21".as_slice()).contains(&&t.lower.as_bytes()[..2]);
        return !year;
    }
    if is_number_word(t.lower) || t.has(class::VAGUE_STARTS) {
        return true;
    }
    // "fifty-odd", "two-dozen" start with a number word; "no", "at", "a" start qualifiers.
    let hyphenated_start = || {
        t.lower
            .split_once('-')
            .is_some_and(|(head, _)| is_number_word(head))
    };
    if !(t.has(class::FIGURE_STARTS) || hyphenated_start()) {
        return false;
    }
    // A qualifier or "a": a number (or vague amount) within the next four words.
    tokens[i + 1..(i + 5).min(tokens.len())].iter().any(|n| {
        n.lower.as_bytes()[0].is_ascii_digit()
            || is_number_word(n.lower)
            || n.has(class::VAGUE_STARTS)
            || n.is_any(&["dozen", "hundred", "thousand", "million"])
    })
}

/// Words that open a vague amount ("dozens", "tens of thousands").
const VAGUE_STARTS: &[&str] = &[
    "dozens",
    "scores",
    "hundreds",
    "thousands",
    "millions",
    "tens",
    "several",
    "handful",
];

/// A number word: "eight", "twenty-six", "hundred" (the parser's own list).
fn is_number_word(w: &str) -> bool {
    super::figure::unit_word(w).is_some() || matches!(w, "hundred" | "dozen")
}

/// Reads a figure phrase starting exactly at token `i`: its char span, the parse and the
/// index of the first token after it.
fn figure_at(
    chars: &[char],
    tokens: &[Tok],
    i: usize,
) -> Option<(Span, super::figure::ParsedFigure, usize)> {
    let t = &tokens[i];
    // Page furniture and times: 24/7, 14:05.
    if tokens
        .get(i + 1)
        .is_some_and(|n| n.is_any(&["/", ":"]) && n.start == t.end)
    {
        return None;
    }
    let mut last = i;
    // The longest figure phrases ("no fewer than one hundred and twelve") are seven words.
    while last + 1 < tokens.len() && last - i < 7 && !tokens[last + 1].ends_sentence() {
        last += 1;
    }
    let phrase = text_of(chars, t.start, tokens[last].end);
    let parsed = parse_figure(&phrase)?;
    if parsed.start != 0 {
        return None;
    }
    let span = Span::between(t.start + parsed.start, t.start + parsed.end);
    let next = tokens.partition_point(|k| k.start < span.end);
    Some((span, parsed, next))
}

#[expect(
    clippy::too_many_arguments,
    clippy::too_many_lines,
    reason = "the rules read the figure in its sentence; the arguments are that context"
)]
fn judge_figure(
    chars: &[char],
    tokens: &[Tok],
    people: &People,
    quotes: &[QuoteSuggestion],
    options: Options,
    first: usize,
    next: usize,
    span: Span,
    parsed: &super::figure::ParsedFigure,
) -> Result<FigureSuggestion, &'static str> {
    let head = &tokens[first];
    let prev = |k: usize| first.checked_sub(k).map(|p| &tokens[p]);
    let after = |k: usize| tokens.get(next + k);
    let s_start = sentence_start(tokens, first);
    let s_end = sentence_end(tokens, first);

    // --- Not counts: money, percentages, dates, ages, times, years, measurements.
    if span.start > 0
        && matches!(
            chars[span.start - 1],
            '$' | '€' | '£' | '¥' | '₸' | '₽' | '#'
        )
    {
        return Err("currency-sign");
    }
    if prev(1).is_some_and(|p| {
        p.is_any(&[
            "$",
            "€",
            "£",
            "¥",
            "us$",
            "usd",
            "eur",
            "no",
            "number",
            "page",
            "route",
            "flight",
            "article",
            "paragraph",
        ]) && !head.is("no")
    }) {
        return Err("label-before");
    }
    if tokens[first..next].iter().any(|t| {
        t.lower.contains("year-old")
            || t.lower.contains("-month")
            || t.lower.contains("-week")
            || t.lower.contains("-day")
            || t.lower.contains("-year")
            || t.lower.contains("-storey")
            || t.lower.contains("-hour")
            || t.lower.contains("-minute")
            || t.lower.contains("-metre")
            || t.lower.contains("-kilometre")
    }) {
        return Err("age-or-size-compound");
    }
    if after(0).is_some_and(|a| {
        a.has(class::MONEY)
            || a.has(class::UNITS)
            || a.lower.starts_with("year-")
            || a.lower.starts_with("month-")
            || a.lower.starts_with("-year")
            || a.lower == "-" && after(1).is_some_and(|b| b.lower.starts_with("year"))
    }) {
        return Err("unit-money-after");
    }
    if after(0).is_some_and(|a| a.is("million") || a.is("billion"))
        && after(1).is_some_and(|b| b.has(class::MONEY))
    {
        return Err("money-in-millions");
    }
    if prev(1).is_some_and(|p| p.has(class::MONTHS))
        || after(0).is_some_and(|a| a.has(class::MONTHS))
    {
        return Err("date");
    }
    if prev(1).is_some_and(|p| {
        p.is_any(&[
            "aged",
            "age",
            "ages",
            "magnitude",
            "since",
            "in",
            "until",
            "of",
            "by",
            "from",
            "to",
        ])
    }) && is_year_or_age_context(tokens, first, next)
    {
        return Err("year");
    }
    if prev(1).is_some_and(|p| p.is_any(&["aged", "age", "ages", "magnitude"])) {
        return Err("age-or-magnitude");
    }
    if head.is("one")
        && after(0).is_some_and(|a| a.is_any(&["of", "another", "day", "time", "side", "way"]))
        && !after(1).is_some_and(|b| b.is_any(&["them", "whom", "those"]))
    {
        return Err("one-of-something");
    }
    if head.is("a")
        && !tokens[first..next]
            .iter()
            .any(|t| t.is_any(&["dozen", "hundred", "thousand", "million", "handful"]))
    {
        return Err("a-without-scale");
    }
    // Ratios: "1 in 5 surviving patients", "one in four".
    if after(0).is_some_and(|a| a.is("in"))
        && after(1).is_some_and(|b| {
            b.lower.starts_with(|c: char| c.is_ascii_digit()) || is_number_word(b.lower)
        })
        || prev(1).is_some_and(|p| p.is("in"))
            && prev(2).is_some_and(|p| {
                p.lower.starts_with(|c: char| c.is_ascii_digit()) || is_number_word(p.lower)
            })
    {
        return Err("ratio-in");
    }
    // Relative amounts: "three times", "twice", "half".
    if after(0)
        .is_some_and(|a| a.is_any(&["times", "fold", "percent", "per", "%", "halves", "quarters"]))
    {
        return Err("relative-amount");
    }

    // --- Counts of people: a people noun, a casualty verb, or a toll.
    let mut who: Option<String> = None;
    let mut noun_at: Option<usize> = None;
    let mut metric: Option<&'static str> = None;
    // Past a closing quote mark: "‘Dozens’ feared dead".
    let next = {
        let mut k = next;
        while tokens.get(k).is_some_and(|t| {
            t.kind == TokKind::Punct
                && t.lower
                    .chars()
                    .all(|c| is_open_mark(c) || is_close_mark(c) || matches!(c, '’' | '‘'))
        }) {
            k += 1;
        }
        k
    };
    // "4:15 p.m.", "aged 8 and 11".
    if prev(1).is_some_and(|p| p.is(":") && p.end == head.start)
        || (1..=3).any(|k| prev(k).is_some_and(|p| p.is_any(&["aged", "ages"])))
    {
        return Err("time-or-clock");
    }
    // "two deaths per 10,000 people": a rate.
    if prev(1).is_some_and(|p| p.is_any(&["per", "every"])) {
        return Err("rate-per");
    }
    // "78 deaths per million": a rate.
    if tokens[next..(next + 3).min(tokens.len())]
        .iter()
        .any(|t| t.is("per"))
    {
        return Err("rate-per-after");
    }
    // "between two groups": a range needs two ends.
    if parsed.qualifier == Qualifier::Range && parsed.high.is_none() {
        return Err("range-without-end");
    }
    // "26 protesters", "Hundreds of people", "10 people in Balaclavas", "“20,000 terrorists”".
    let mut k = next;
    let mut skipped = 0;
    while k < tokens.len() && skipped <= 4 {
        let w = &tokens[k];
        if !w.is_word() {
            if w.is_any(&["-", "–"]) || w.lower.chars().all(|c| is_open_mark(c) || is_close_mark(c))
            {
                k += 1;
                continue;
            }
            break;
        }
        // A people noun, or a nationality ("11 Dravonians", "three Britons").
        let demonym = w.capital
            && k == next
            && ["ians", "ans", "ese", "ons", "ites", "is"]
                .iter()
                .any(|e| w.lower.ends_with(e));
        if w.has(class::PEOPLE_NOUNS) || demonym {
            who = Some(w.lower.to_owned());
            noun_at = Some(k);
            break;
        }
        if w.has(class::AUX)
            && !w.is_any(&[
                "of",
                "more",
                "all",
                "people",
                "seriously",
                "critically",
                "badly",
                "slightly",
                "fatally",
            ])
        {
            // A verb: "4,300 are sheltering in schools" — the verb scan below reads it.
            break;
        }
        if w.has(class::THINGS) {
            // "at least 37 homes", "its three shelters": counted, but not people.
            return Err("counts-a-thing");
        }
        if w.is_any(&["of"])
            && tokens
                .get(k + 1)
                .is_some_and(|n| n.is_any(&["them", "whom", "those"]))
        {
            // "twenty-six of them children", "90 of them seriously injured" — but not "six of
            // them were open" about gates: a people noun or casualty word must follow.
            let tail = &tokens[(k + 2).min(tokens.len())..(k + 6).min(tokens.len())];
            if let Some(n) = tail.iter().take(2).find(|n| n.has(class::PEOPLE_NOUNS)) {
                who = Some(n.lower.to_owned());
            } else if (k + 2..(k + 6).min(tokens.len())).any(|j| metric_at(tokens, j).is_some())
                || sentence_has_metric(tokens, s_start, first)
                || s_start > 0
                    && sentence_has_metric(tokens, sentence_start(tokens, s_start - 1), s_start)
            {
                // "…were wounded, four of them critically": "them" are the casualties.
                who = Some("people".into());
            }
            break;
        }
        // "About 3,500 of Sarrik's 22,000 residents": look past the possessive and its number.
        let after_possessive = k > next
            && (tokens[k - 1].lower.ends_with("’s") || tokens[k - 1].lower.ends_with("'s"));
        if w.has(class::UNITS)
            || w.has(class::MONEY)
            || w.lower.starts_with(|c: char| c.is_ascii_digit()) && !after_possessive
        {
            break;
        }
        if w.is_any(&[
            "and", "or", "but", "while", "which", "that", "after", "before", "since", "when", "at",
            "on", "from", "as",
        ]) {
            break;
        }
        skipped += 1;
        k += 1;
    }
    // "Hundreds were arrested", "up to 20 were still unaccounted for", "killing 12".
    let mut verb_metric: Option<&'static str> = None;
    {
        // After the noun when there is one: "eight policemen are believed to have been killed".
        // A few other words may stand between ("police officers from his unit were hurt",
        // "were among the injured"), but not a new clause.
        let mut k = noun_at.map_or(next, |n| n + 1);
        let (mut n, mut others) = (0, 0);
        while k < tokens.len() && n < 9 && tokens[k].is_word() {
            if let Some(m) = metric_at(tokens, k) {
                verb_metric = Some(m);
                break;
            }
            let t = &tokens[k];
            if t.is_any(&[
                "and", "but", "while", "which", "as", "when", "who", "after", "because",
            ]) {
                break;
            }
            if !(t.has(class::AUX)
                || t.has(class::PEOPLE_NOUNS)
                || t.is_any(&["among", "the", "his", "her", "their", "its"]))
            {
                others += 1;
                if others > 2 {
                    break;
                }
            }
            k += 1;
            n += 1;
        }
    }
    // The verb before it: "kills 41", "had killed “no fewer than five”", "hold 412".
    let prev_word = (0..first)
        .rev()
        .take(2)
        .find(|&k| {
            tokens[k].is_word()
                || !tokens[k]
                    .lower
                    .chars()
                    .all(|c| is_open_mark(c) || is_close_mark(c))
        })
        .filter(|&k| tokens[k].is_word());
    if verb_metric.is_none()
        && let Some(pk) = prev_word
        && tokens[pk].is_any(&[
            "killing",
            "killed",
            "kills",
            "kill",
            "injuring",
            "injured",
            "injures",
            "wounding",
            "wounded",
            "wounds",
            "evacuated",
            "evacuating",
            "arrested",
            "arresting",
            "detained",
            "detaining",
            "displacing",
            "displaced",
            // "it is holding four" (captives); "holds 14,000" is a capacity, not here.
            "holding",
            "held",
        ])
    {
        verb_metric = metric_at(tokens, pk);
    }
    // An appositive after a people noun: "we passed bodies, more than twenty, I did not count".
    // Or right after one: "Confirmed cases in excess of 1,000" — but "children under five"
    // and "people over 65" are ages.
    if who.is_none()
        && first >= 1
        && tokens[first - 1].has(class::PEOPLE_NOUNS)
        && !head.is_any(&["under", "over", "aged", "above", "below"])
    {
        who = Some(tokens[first - 1].lower.to_owned());
    }
    if who.is_none()
        && first >= 2
        && tokens[first - 1].is(",")
        && tokens[first - 2].has(class::PEOPLE_NOUNS)
    {
        who = Some(tokens[first - 2].lower.to_owned());
    }
    // "the toll rose to 47", "put the toll at 38", "it had climbed to at least 71",
    // "the number of refugees … to over 60,000", "police put the crowd at 15,000".
    let count_noun = if who.is_none() && verb_metric.is_none() {
        count_value(tokens, first, s_start)
    } else {
        None
    };
    let toll_value = count_noun.is_some();
    if count_noun == Some("toll") {
        metric = Some("killed");
    }
    if count_noun == Some("crowd") && !sentence_has_metric(tokens, s_start, s_end) {
        metric = Some("protesters");
    }
    // "About 400,000 without clean water": a count of people left without something.
    let without = who.is_none()
        && verb_metric.is_none()
        && tokens.get(next).is_some_and(|t| t.is("without"))
        && tokens
            .get(next + 1..(next + 4).min(tokens.len()))
            .is_some_and(|ws| {
                ws.iter().any(|w| {
                    w.is_any(&[
                        "water",
                        "power",
                        "electricity",
                        "food",
                        "shelter",
                        "homes",
                        "aid",
                        "access",
                    ])
                })
            });
    // "as many as 400 inside when the fire started", "a further 1.4 million across the north".
    let inside = who.is_none()
        && verb_metric.is_none()
        && (after(0)
            .is_some_and(|a| a.is_any(&["inside", "aboard", "onboard", "trapped", "stranded"]))
            || !head.is("one")
                && prev(1).is_some_and(|p| p.is_any(&["further", "additional", "another"]))
                && !after(0).is_some_and(|a| a.has(class::THINGS) || a.has(class::UNITS)));
    // "Among the dead were 11 Dravonians, two tour guides and one of the drivers".
    let among = tokens[s_start..first].windows(3).any(|w| {
        w[0].is("among")
            && w[1].is("the")
            && metric_at(tokens, s_start).is_none()
            && METRIC_WORDS
                .iter()
                .any(|(ws, _)| ws.len() == 1 && ws[0] == w[2].lower)
    });
    // "Hundreds more were arriving", "about 48,000 remain in shelters": the number is the
    // subject of a clause in a sentence about casualties.
    let subject_count = who.is_none() && verb_metric.is_none() && !toll_value && {
        let mut k = next;
        if tokens.get(k).is_some_and(|t| t.is("more")) {
            k += 1;
        }
        tokens.get(k).is_some_and(|t| {
            t.is_any(&[
                "were", "are", "remain", "remained", "remains", "have", "had", "was", "is",
            ])
        }) && (sentence_has_metric(tokens, s_start, s_end)
            || s_start > 0
                && sentence_has_metric(tokens, sentence_start(tokens, s_start - 1), s_start))
    };
    if who.is_none()
        && verb_metric.is_none()
        && !toll_value
        && !subject_count
        && !without
        && !among
        && !inside
    {
        return Err("no-people");
    }
    let who_word = who.clone().unwrap_or_else(|| "people".to_owned());

    // --- People, but not affected ones.
    let window_before = |n: usize| tokens[first.saturating_sub(n).max(s_start)..first].iter();
    // "her two grandchildren", "in front of her and two other children" — but not "his
    // staff received 50-odd wounded".
    let possessive = prev(1).is_some_and(|p| p.has(class::POSSESSIVES))
        || prev(2).is_some_and(|p| p.has(class::POSSESSIVES))
            && prev(1).is_some_and(|p| p.is_any(&["and", "own", "other"]));
    if possessive && !toll_value {
        return Err("possessive-family");
    }
    if window_before(8).any(|p| p.is_any(&["would", "could", "might"])) {
        return Err("hypothetical");
    }
    let before_text: String = window_before(4)
        .map(|t| t.lower)
        .collect::<Vec<_>>()
        .join(" ");
    if [
        "built for",
        "designed for",
        "capacity",
        "capacity of",
        "seats",
        "holds",
        "home to",
        "for every",
        "every",
        "employs",
        "employ",
        "employing",
        "workforce",
        "employed",
        "staff of",
        "to hold",
        "to house",
        "enough for",
        "can carry",
        "carry",
        "to accommodate",
        "family of",
        "families of",
        "household of",
        "households of",
        "gatherings of",
        "gathering of",
        // A place's population: "a market town of some 4,000 people".
        "town of",
        "city of",
        "village of",
        "district of",
        "community of",
        "country of",
        "nation of",
        "population of",
        // A unit's size: "a patrol of about 30 men".
        "patrol of",
        "unit of",
        "squad of",
        "platoon of",
        "team of",
        "contingent of",
        "detachment of",
        "force of",
        "convoy of",
    ]
    .iter()
    .any(|w| before_text.ends_with(w))
    {
        return Err("capacity-workforce-population");
    }
    // "built in 1968 for 600 inmates": a capacity with the year between.
    if before_text.ends_with(" for") && before_text.contains("built") {
        return Err("capacity-built-for");
    }
    // "one officer for 40 prisoners": a ratio, neither side a count.
    let number_tok = |t: &Tok| t.lower.as_bytes()[0].is_ascii_digit() || is_number_word(t.lower);
    if (prev(1).is_some_and(|p| p.is("for"))
        && prev(3).is_some_and(|p| p.is_any(&["one", "a", "an", "1", "each", "every"])))
        || (after(1).is_some_and(|a| a.is("for")) && after(2).is_some_and(number_tok))
    {
        return Err("ratio-for");
    }

    // "the 4 million residents of the province": a population, not people affected.
    let resident_noun = who
        .as_deref()
        .is_some_and(|w| matches!(w, "residents" | "inhabitants" | "citizens" | "population"));
    let noun_then_of = after(0).is_some_and(|a| a.has(class::PEOPLE_NOUNS))
        && after(1).is_some_and(|b| b.is_any(&["of", "in"]));
    if resident_noun
        && (prev(1).is_some_and(|p| p.is("the")) && noun_then_of
            || prev(1).is_some_and(|p| p.is_any(&["has", "have", "had", "with"]))
                && !sentence_has_metric(tokens, s_start, s_end))
    {
        return Err("residents-population");
    }
    // "The school, which has about 900 pupils", "Sarrik's 22,000 residents": a roll or a
    // population, whatever the noun.
    if prev(1).is_some_and(|p| p.is_any(&["has", "have", "had"]))
        && prev(2).is_some_and(|p| p.is_any(&["which", "that", "once"]))
        || resident_noun
            && prev(1).is_some_and(|p| p.lower.ends_with("’s") || p.lower.ends_with("'s"))
    {
        return Err("roll-or-population");
    }
    // "About 7.1 million people are registered to vote": an electorate, not people affected.
    if tokens[next..(next + 6).min(tokens.len())]
        .windows(3)
        .any(|w| w[0].is_any(&["registered", "eligible"]) && w[1].is("to") && w[2].is("vote"))
        || after(0).is_some_and(|a| a.is_any(&["voters", "electorate"]))
    {
        return Err("electorate");
    }
    // "She has two daughters", "Ms. Ferrand’s two sons": family in an anecdote.
    let family_owner = prev(1).is_some_and(|p| {
        p.is_any(&["has", "have", "had", "with", "raising", "of"])
            || p.lower.ends_with("’s")
            || p.lower.ends_with("'s")
    }) || (1..=4).any(|k| prev(k).is_some_and(|p| p.has(class::POSSESSIVES)));
    if family_owner
        && who.as_deref().is_some_and(|w| {
            matches!(
                w,
                "daughters"
                    | "sons"
                    | "children"
                    | "grandchildren"
                    | "brothers"
                    | "sisters"
                    | "siblings"
                    | "kids"
                    | "wives"
                    | "husbands"
            )
        })
        && !sentence_has_metric(tokens, s_start, s_end)
    {
        return Err("family-anecdote");
    }

    // --- Metric: the nearest casualty word after the figure in its sentence, else before it.
    if metric.is_none() {
        metric = verb_metric;
    }
    if metric.is_none() {
        let mut k = next;
        while k < s_end && k < next + 12 {
            // A new clause about something else: "…, while Dravonia says 388 are missing".
            if tokens[k].is_any(&[";", "while", "whereas", "although", "but"]) {
                break;
            }
            if let Some(m) = metric_at(tokens, k) {
                metric = Some(m);
                break;
            }
            k += 1;
        }
    }
    if metric.is_none() {
        let mut k = first;
        while k > s_start && first - k < 14 {
            k -= 1;
            if let Some(m) = metric_at(tokens, k) {
                metric = Some(m);
                break;
            }
        }
    }
    if metric.is_none()
        && who.as_deref().is_some_and(|w| {
            w == "deaths"
                || w == "dead"
                || w == "bodies"
                || w == "fatalities"
                || w == "lives"
                || w == "casualties"
        })
    {
        metric = Some("killed");
    }
    if metric.is_none()
        && who
            .as_deref()
            .is_some_and(|w| w == "protesters" || w == "demonstrators" || w == "marchers")
    {
        metric = Some("protesters");
    }
    let metric = metric.unwrap_or("other");
    let deploy_verb = || {
        tokens[s_start..s_end]
            .iter()
            .any(|t| t.is_any(DEPLOY_VERBS))
    };
    // Deployed people are counted only when a casualty word says what happened to them
    // ("12 soldiers were killed").
    if metric == "other"
        && !options.deployments
        && who.as_deref().is_some_and(|w| {
            DEPLOYABLE.contains(&w) || DEPLOYABLE_IN_CONTEXT.contains(&w) && deploy_verb()
        })
    {
        return Err("deployment");
    }
    // A figure whose metric is a kind of people already ("deaths", "refugees") counts people.
    let who_word = match who_word.as_str() {
        "deaths" | "dead" | "bodies" | "fatalities" | "lives" | "casualties" | "wounded"
        | "injured" | "displaced" | "missing" | "homeless" | "evacuees" | "refugees" => {
            "people".to_owned()
        }
        _ => who_word,
    };

    // --- Source: the quote it sits in, else the sentence's attribution.
    let source = quote_covering(quotes, span)
        .map(|q| q.speaker.clone())
        .or_else(|| attribution_in(chars, tokens, s_start, s_end, people).map(|(s, _)| s))
        .unwrap_or_default();

    Ok(FigureSuggestion {
        span,
        exact: text_of(chars, span.start, span.end),
        figure: FigureAttrs {
            value_low: Some(parsed.low),
            value_high: parsed.high,
            qualifier: parsed.qualifier,
            metric: metric.to_owned(),
            who: who_word,
            source,
            ..FigureAttrs::default()
        },
    })
}

/// The quote that contains `span`. Quotes are in text order and never overlap, so only the
/// last one starting at or before the span can: a binary search, not a scan per figure.
fn quote_covering(quotes: &[QuoteSuggestion], span: Span) -> Option<&QuoteSuggestion> {
    let idx = quotes.partition_point(|q| q.span.start <= span.start);
    quotes[..idx].last().filter(|q| q.span.covers(span))
}

/// The casualty metric signalled by the word(s) at token `k`, if any.
fn metric_at(tokens: &[Tok], k: usize) -> Option<&'static str> {
    if !tokens.get(k)?.has(class::METRIC_HEAD) {
        return None;
    }
    METRIC_WORDS.iter().find_map(|(words, metric)| {
        words
            .iter()
            .enumerate()
            .all(|(n, w)| tokens.get(k + n).is_some_and(|t| t.is(w)))
            .then_some(*metric)
    })
}

/// "in 1971", "since 2019", "by 2030": a bare four-digit number after a preposition.
fn is_year_or_age_context(tokens: &[Tok], first: usize, next: usize) -> bool {
    next == first + 1
        && tokens[first].lower.len() == 4
        && tokens[first].lower.chars().all(|c| c.is_ascii_digit())
}

/// The value of a count: "toll rose to N", "the number of refugees … to N", "the crowd at
/// N", or "climbed to N" after a sentence about the toll. Returns which kind of count.
fn count_value(tokens: &[Tok], first: usize, s_start: usize) -> Option<&'static str> {
    let before: Vec<&str> = tokens[s_start..first]
        .iter()
        .filter(|t| t.is_word())
        .map(|t| t.lower)
        .collect();
    let &last = before.last()?;
    if !matches!(
        last,
        "to" | "at"
            | "of"
            | "stood"
            | "reached"
            | "was"
            | "is"
            | "hit"
            | "from"
            | "the"
            | "reaches"
            | "hits"
            | "tops"
            | "passes"
            | "nears"
            | "exceeds"
            | "stands"
    ) {
        return None;
    }
    for noun in [
        "toll",
        "tolls",
        "number",
        "population",
        "total",
        "tally",
        "count",
        "crowd",
        "turnout",
        "figure",
        "estimate",
        "losses",
    ] {
        if before.contains(&noun) {
            return Some(match noun {
                "toll" | "tolls" | "losses" => "toll",
                "crowd" | "turnout" => "crowd",
                _ => "count",
            });
        }
    }
    is_toll_value(&before, tokens, s_start).then_some("toll")
}

/// True when any casualty word appears in tokens `from..to`.
fn sentence_has_metric(tokens: &[Tok], from: usize, to: usize) -> bool {
    (from..to).any(|k| metric_at(tokens, k).is_some())
}

fn is_toll_value(before: &[&str], tokens: &[Tok], s_start: usize) -> bool {
    // "By Wednesday evening it had climbed to at least 71." after a sentence about the toll.
    let grows = before.iter().any(|w| {
        matches!(
            *w,
            "climbed" | "rose" | "risen" | "increased" | "jumped" | "reached"
        )
    });
    if grows && s_start > 0 {
        let p_start = sentence_start(tokens, s_start - 1);
        return tokens[p_start..s_start].iter().any(|t| t.is("toll"));
    }
    false
}

// ---------------------------------------------------------------------------------------
// Claims

const CLAIM_VERBS: &[&str] = &[
    "alleged",
    "allegedly",
    "blamed",
    "claimed",
    "claims",
    "accused",
    "denied",
    "insisted",
    "alleges",
    "accuses",
    "denies",
    "blames",
    "maintained",
    "asserted",
];

fn find_claims(
    chars: &[char],
    tokens: &[Tok],
    people: &People,
    quotes: &[QuoteSuggestion],
) -> Vec<ClaimSuggestion> {
    let mut out = Vec::new();
    let mut s = 0;
    while s < tokens.len() {
        let e = sentence_end(tokens, s);
        let has_verb = tokens[s..e].iter().enumerate().any(|(n, t)| {
            t.is_any(CLAIM_VERBS)
                || (t.is_any(&["said", "says"])
                    && tokens.get(s + n + 1).is_some_and(|x| x.is("that")))
        });
        if has_verb && e > s {
            let span = Span::between(tokens[s].start, tokens[e - 1].end.max(tokens[s].end));
            let inside_quote = quote_covering(quotes, span).is_some();
            if !inside_quote {
                let claimant = attribution_in(chars, tokens, s, e, people)
                    .map(|(n, _)| n)
                    .or_else(|| {
                        tokens[s..e].iter().find_map(|t| {
                            people
                                .mention_at(t.start)
                                .map(|m| people.names[m.person].clone())
                        })
                    })
                    .unwrap_or_default();
                out.push(ClaimSuggestion {
                    span,
                    exact: text_of(chars, span.start, span.end),
                    claimant,
                });
            }
        }
        s = e + 1;
    }
    out
}

/// A suggestion ready to become an annotation: what the app shows with a dashed outline.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// Claim, quote or figure.
    pub kind: Kind,
    /// Where.
    pub span: Span,
    /// The text covered.
    pub exact: String,
    /// Parsed attributes, filled into the annotation on accept.
    pub attributes: Attributes,
}

impl Candidate {
    /// The record kept in the file when the user rejects it.
    #[must_use]
    pub fn rejected(&self) -> Rejected {
        Rejected {
            kind: self.kind,
            span: self.span,
            exact: self.exact.clone(),
        }
    }

    /// The annotation made when the user accepts it, with the next free id of `doc`.
    #[must_use]
    pub fn to_annotation(
        &self,
        doc: &Document,
        annotator: &str,
        now: OffsetDateTime,
    ) -> Annotation {
        doc.annotation_with(self.span, self.attributes.clone(), annotator, now)
    }

    /// One line for people: `Figure · more than 10,000 · arrested · per police`.
    #[must_use]
    pub fn describe(&self) -> String {
        let detail = match &self.attributes {
            Attributes::Figure(f) => {
                let mut parts = vec![f.describe_value()];
                for p in [&f.metric, &f.who] {
                    if !p.is_empty() {
                        parts.push(p.clone());
                    }
                }
                if !f.source.is_empty() {
                    parts.push(format!("per {}", f.source));
                }
                parts.join(" · ")
            }
            Attributes::Quote(q) if q.speaker.is_empty() => "speaker unknown".to_owned(),
            Attributes::Quote(q) => format!("— {}", q.speaker),
            Attributes::Claim(c) if c.claimant.is_empty() => "claimant unknown".to_owned(),
            Attributes::Claim(c) => format!("claimed by {}", c.claimant),
        };
        format!("{} · {detail}", self.kind.label())
    }
}

impl Suggestions {
    /// Every suggestion as a [`Candidate`], in text order.
    #[must_use]
    pub fn candidates(&self) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = Vec::with_capacity(self.figures.len() + self.quotes.len());
        out.extend(self.figures.iter().map(|f| Candidate {
            kind: Kind::Figure,
            span: f.span,
            exact: f.exact.clone(),
            attributes: Attributes::Figure(f.figure.clone()),
        }));
        out.extend(self.quotes.iter().map(|q| Candidate {
            kind: Kind::Quote,
            span: q.span,
            exact: q.exact.clone(),
            attributes: Attributes::Quote(QuoteAttrs {
                speaker: q.speaker.clone(),
            }),
        }));
        out.extend(self.claims.iter().map(|c| Candidate {
            kind: Kind::Claim,
            span: c.span,
            exact: c.exact.clone(),
            attributes: Attributes::Claim(ClaimAttrs {
                claimant: c.claimant.clone(),
                ..ClaimAttrs::default()
            }),
        }));
        out.sort_by_key(|c| (c.span.start, c.kind, c.span.end));
        out
    }
}

/// The candidates still open in `doc`: not rejected, and not already annotated (an
/// annotation of the same kind overlaps it).
#[must_use]
pub fn open_candidates(all: &[Candidate], doc: &Document) -> Vec<Candidate> {
    let mask = open_mask(all.iter(), doc);
    all.iter()
        .zip(mask)
        .filter(|(_, open)| *open)
        .map(|(c, _)| c.clone())
        .collect()
}

/// For each candidate, whether it is still open in `doc` (see [`open_candidates`]).
#[must_use]
pub fn open_mask<'a>(all: impl Iterator<Item = &'a Candidate>, doc: &Document) -> Vec<bool> {
    // One pass over the annotations builds, per kind, their starts in order and the
    // furthest end reached so far; a candidate is handled when some annotation of its kind
    // starting before its end reaches past its start. That is O(n + c log n), a few hundred
    // microseconds for 50,000 annotations and 20,000 suggestions, rather than one interval
    // lookup per suggestion.
    let mut starts: [Vec<usize>; 3] = Default::default();
    let mut reach: [Vec<usize>; 3] = Default::default();
    for a in doc.annotations() {
        let k = a.kind().index();
        let furthest = reach[k].last().copied().unwrap_or(0).max(a.span.end);
        starts[k].push(a.span.start);
        reach[k].push(furthest);
    }
    all.map(|c| {
        let k = c.kind.index();
        let before = starts[k].partition_point(|s| *s < c.span.end);
        let covered = before > 0 && reach[k][before - 1] > c.span.start;
        !covered && !doc.is_rejected(c.kind, c.span)
    })
    .collect()
}

/// Whether one candidate is still open in `doc`: not rejected, and no annotation of its
/// kind overlaps it (an interval lookup; for updating a few after an edit).
#[must_use]
pub fn is_open(c: &Candidate, doc: &Document) -> bool {
    !doc.is_rejected(c.kind, c.span)
        && !doc
            .annotations_in(c.span)
            .any(|a| a.kind() == c.kind && a.span.overlaps(c.span))
}

/// A figure as `tallymark suggest --format json` prints it (the gold files' shape).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FigureRecord {
    /// First char.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
    /// The text of the span.
    pub exact: String,
    /// Value or floor.
    pub value_low: Option<f64>,
    /// Top of a range.
    pub value_high: Option<f64>,
    /// Qualifier key (`more_than`).
    pub qualifier: &'static str,
    /// Metric id.
    pub metric: String,
    /// Who is counted.
    pub who: String,
    /// Who reported it.
    pub source: String,
    /// The place its sentence names (absent when none).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub place: String,
    /// When it was reported, `YYYY-MM-DD` (absent without a publication date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported: Option<String>,
}

/// A quote as `tallymark suggest --format json` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuoteRecord {
    /// First char inside the marks.
    pub start: usize,
    /// One past the last char inside the marks.
    pub end: usize,
    /// The quoted text.
    pub exact: String,
    /// Who said it.
    pub speaker: String,
}

/// A claim as `tallymark suggest --claims --format json` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClaimRecord {
    /// First char.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
    /// The sentence.
    pub exact: String,
    /// Who claims it.
    pub claimant: String,
}

/// The JSON document of `tallymark suggest`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The language the text was read in (`en`, `ru`, `kk`, `uk`).
    pub language: Lang,
    /// Figures in text order.
    pub figures: Vec<FigureRecord>,
    /// Quotes in text order.
    pub quotes: Vec<QuoteRecord>,
    /// Claims, only when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<Vec<ClaimRecord>>,
}

impl Suggestions {
    /// The flat records printed by `tallymark suggest --format json`.
    #[must_use]
    pub fn report(&self, with_claims: bool) -> Report {
        Report {
            language: self.language,
            figures: self
                .figures
                .iter()
                .map(|f| FigureRecord {
                    start: f.span.start,
                    end: f.span.end,
                    exact: f.exact.clone(),
                    value_low: f.figure.value_low,
                    value_high: f.figure.value_high,
                    qualifier: f.figure.qualifier.key(),
                    metric: f.figure.metric.clone(),
                    who: f.figure.who.clone(),
                    source: f.figure.source.clone(),
                    place: f.figure.place.clone(),
                    reported: f.figure.reported.map(crate::annotation::format_date),
                })
                .collect(),
            quotes: self
                .quotes
                .iter()
                .map(|q| QuoteRecord {
                    start: q.span.start,
                    end: q.span.end,
                    exact: q.exact.clone(),
                    speaker: q.speaker.clone(),
                })
                .collect(),
            claims: with_claims.then(|| {
                self.claims
                    .iter()
                    .map(|c| ClaimRecord {
                        start: c.span.start,
                        end: c.span.end,
                        exact: c.exact.clone(),
                        claimant: c.claimant.clone(),
                    })
                    .collect()
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figs(text: &str) -> Vec<(String, f64, String)> {
        suggest(text, Options::default())
            .figures
            .into_iter()
            .map(|f| (f.exact, f.figure.value_low.unwrap_or(-1.0), f.figure.metric))
            .collect()
    }

    fn one(text: &str) -> FigureSuggestion {
        let s = suggest(text, Options::default());
        assert_eq!(s.figures.len(), 1, "{text}: {:?}", s.figures);
        s.figures[0].clone()
    }

    #[test]
    fn finds_counts_with_qualifiers_and_metrics() {
        let f = one(
            "According to previous official estimates, more than 10,000 people have been arrested.",
        );
        assert_eq!(f.exact, "more than 10,000");
        assert_eq!(f.figure.value_low, Some(10_000.0));
        assert_eq!(f.figure.qualifier, Qualifier::MoreThan);
        assert_eq!(f.figure.metric, "arrested");
        assert_eq!(f.figure.source, "previous official estimates");
        assert_eq!(
            figs("Hundreds of people were arrested."),
            [("Hundreds".into(), 200.0, "arrested".into())]
        );
        assert_eq!(
            figs("Up to 20 were still unaccounted for."),
            [("Up to 20".into(), 20.0, "missing".into())]
        );
        assert_eq!(
            figs(
                "The protests turned violent and eight policemen are believed to have been killed."
            ),
            [("eight".into(), 8.0, "killed".into())]
        );
        assert_eq!(
            figs("The toll rose to one hundred and twelve on Thursday."),
            [("one hundred and twelve".into(), 112.0, "killed".into())]
        );
    }

    #[test]
    fn the_counted_noun_is_who_not_part_of_the_span() {
        let f = one(
            "Thousands of people were arrested, 26 protesters were killed."
                .split(", ")
                .nth(1)
                .unwrap_or(""),
        );
        assert_eq!(f.exact, "26");
        assert_eq!(f.figure.who, "protesters");
    }

    #[test]
    fn ignores_numbers_that_are_not_counts_of_people() {
        for text in [
            "In 1937 the purge began.",
            "On January 2, 2022 the protests began.",
            "Tomiris Izgutdinova, a 20-year-old student, did not join.",
            "She was breastfeeding her three-month-old daughter.",
            "The council promised 240,000 euros and $2 million.",
            "Roughly 40% of the houses were flooded, some 12 percent more than in 1971.",
            "An earthquake of magnitude 7.8 struck 30 km south of the city.",
            "The police department, all five floors, is a kind of torture conveyor.",
            "Updated news 24/7: the world. Updated 14:05 GMT.",
            "The government said it had deployed 2,500 troops.",
            "In front of her and two other children they beat him.",
            "The stadium, built for 38,000 people, was full.",
            "The toll is nearly three times the figure given earlier.",
            "Aset Abishev was one of the first protesters to take to the streets.",
            "We would be counting the dead in the hundreds.",
        ] {
            assert!(figs(text).is_empty(), "{text}: {:?}", figs(text));
        }
    }

    #[test]
    fn quotes_curly_straight_unclosed_and_continued() {
        let text = "“I was there,” said Dana Zhanay, an activist.\n\n\"It was bad,\" she said. \"We ran.\n\n\"Then it stopped.\"\n\nHe added: “These are ordinary citizens.";
        let s = suggest(text, Options::default());
        let got: Vec<(&str, &str)> = s
            .quotes
            .iter()
            .map(|q| (q.exact.as_str(), q.speaker.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("I was there,", "Dana Zhanay"),
                ("It was bad,", "Dana Zhanay"),
                ("We ran.", "Dana Zhanay"),
                ("Then it stopped.", "Dana Zhanay"),
                ("These are ordinary citizens.", "Dana Zhanay"),
            ]
        );
    }

    #[test]
    fn a_title_resolves_to_the_person_who_holds_it() {
        let text = "President Kassym-Jomart Tokayev spoke. Later the president ordered forces to fire “without warning”.";
        let s = suggest(text, Options::default());
        assert_eq!(s.quotes[0].exact, "without warning");
        assert_eq!(s.quotes[0].speaker, "Kassym-Jomart Tokayev");
    }

    #[test]
    fn a_stray_mark_inside_a_quote_starts_a_new_one() {
        let text = "Nuraybek said: “Only this vile government is to blame. “It has to change. “";
        let s = suggest(text, Options::default());
        let got: Vec<&str> = s.quotes.iter().map(|q| q.exact.as_str()).collect();
        assert_eq!(
            got,
            [
                "Only this vile government is to blame.",
                "It has to change."
            ]
        );
    }

    #[test]
    fn an_unclosed_quote_ends_at_its_attribution() {
        let text =
            "“Our people say: ‘They have turned off the internet,’ said Dana Zhanay, an activist.";
        let s = suggest(text, Options::default());
        assert_eq!(
            s.quotes[0].exact,
            "Our people say: ‘They have turned off the internet,’"
        );
        assert_eq!(s.quotes[0].speaker, "Dana Zhanay");
    }

    #[test]
    fn a_figure_inside_a_quote_takes_its_speaker_as_source() {
        let text =
            "President Kassym-Jomart Tokayev said Almaty was surrounded by “20,000 terrorists”.";
        let f = one(text);
        assert_eq!(f.exact, "20,000");
        assert_eq!(f.figure.who, "terrorists");
        assert_eq!(f.figure.source, "Kassym-Jomart Tokayev");
    }

    #[test]
    fn claims_are_off_by_default_and_found_when_asked() {
        let text = "The president alleged that Almaty was surrounded. It rained.";
        assert!(suggest(text, Options::default()).claims.is_empty());
        let s = suggest(
            text,
            Options {
                claims: true,
                ..Options::default()
            },
        );
        assert_eq!(s.claims.len(), 1);
        assert!(s.claims[0].exact.starts_with("The president alleged"));
    }

    #[test]
    fn accepted_and_rejected_candidates_are_no_longer_open() {
        use crate::edit::Edit;
        let text = "More than 160 people were killed. “It is terrible,” said Dana Zhanay.";
        let mut doc = Document::from_article(text, None);
        let all = suggest(text, Options::default()).candidates();
        assert_eq!(all.len(), 2, "{all:?}");
        let now = OffsetDateTime::UNIX_EPOCH;
        let figure = all[0].to_annotation(&doc, "me", now);
        assert_eq!(figure.figure().and_then(|f| f.value_low), Some(160.0));
        Edit::Insert(figure).apply(&mut doc).unwrap();
        Edit::Reject(all[1].rejected()).apply(&mut doc).unwrap();
        assert!(open_candidates(&all, &doc).is_empty());
        let undo = Edit::Unreject(all[1].rejected()).apply(&mut doc).unwrap();
        assert_eq!(open_candidates(&all, &doc).len(), 1);
        undo.apply(&mut doc).unwrap();
        assert!(open_candidates(&all, &doc).is_empty());
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in [
            "",
            "\"",
            "“",
            "”",
            "\n\n\n",
            "1",
            "more than",
            "“\n”",
            "a dozen",
            "— 5 —",
            "$",
            "10,000,",
        ] {
            let _ = suggest(
                text,
                Options {
                    claims: true,
                    deployments: true,
                    ..Options::default()
                },
            );
        }
    }
}
