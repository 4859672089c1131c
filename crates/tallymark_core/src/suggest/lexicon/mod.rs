//! Word lists per language, for the suggester.
//!
//! English lives in the parent module (its lists grew with its rules); Russian, Kazakh and
//! Ukrainian live here, one file each, in the same shape ([`Lexicon`]), so that the rules of
//! `cyrillic.rs` are written once and read whichever language the sentence is in.
//!
//! These languages inflect: a noun or verb appears in a dozen forms. Lists whose entries end
//! in `*` hold word beginnings (stems) and match any word that starts with them; the others
//! hold whole words. Stems are kept long enough not to catch unrelated words (`дет*` would
//! catch `детальный`, so it is `дети`, `детей`, … as words).

pub mod kk;
pub mod ru;
pub mod uk;

use super::Lang;

/// What a number word is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NumWord {
    /// A cardinal adding its value: `пять`, `двадцати`, `двести`, `полторы` (1.5), `жарым` (0.5).
    Add(f64),
    /// Multiplies what came before (Kazakh `жүз`: `екі жүз` = 200).
    Hundred,
    /// A scale word: `тысяч` (1,000), `млн` (1,000,000).
    Scale(f64),
    /// A collective numeral that always counts people: `трое`, `п'ятеро`, `жетеуі`.
    Collective(f64),
    /// A vague amount with its floor: `десятки` (24), `сотни` (200), `тысячи` (2,000).
    Vague(f64),
}

/// One language's words for the figure rules.
pub struct Lexicon {
    /// The language.
    pub lang: Lang,
    /// Number words in all their forms.
    pub numbers: &'static [(&'static str, NumWord)],
    /// Qualifiers before the number, longest first (`более чем` before `более`).
    pub before: &'static [(&'static [&'static str], crate::annotation::Qualifier)],
    /// Qualifiers after the number (Kazakh: `мыңнан астам`, `60-қа жуық`).
    pub after: &'static [(&'static [&'static str], crate::annotation::Qualifier)],
    /// Case and possessive endings a number may carry, joined or after a hyphen (`200-ден`,
    /// `мыңнан`, `5-ти`); any other ending makes it an ordinal, an age or a label.
    pub suffixes: &'static [&'static str],
    /// The word that opens a range (`от` … `до`), and the one that closes it.
    pub range: (&'static str, &'static str),
    /// Words for "up to" that are not a bound after a verb of growth (`возросло до 131`).
    pub growth: &'static [&'static str],
    /// Nouns for people, as stems: a number followed by one counts people.
    pub people: &'static [&'static str],
    /// Generic nouns for people, recorded as `who: people`.
    pub generic: &'static [&'static str],
    /// People who are sent rather than hit: rescuers, police, troops, doctors (stems).
    pub deployable: &'static [&'static str],
    /// Verbs of sending and working, which make a deployable count a deployment (stems).
    pub deploy_verbs: &'static [&'static str],
    /// Units, durations, money and percentages after a number: not a count of people (stems).
    pub units: &'static [&'static str],
    /// Words before a number that make it a label, not a count: `статьи 212`, `№ 7` (words).
    pub labels: &'static [&'static str],
    /// Month names in the forms used in dates (stems).
    pub months: &'static [&'static str],
    /// Words before a number that make it an age (`в возрасте`, `віком`) or a capacity
    /// (`рассчитанных на`) (stems).
    pub not_counts_before: &'static [&'static str],
    /// Words after a number that make it an age (`жастағы`) (stems).
    pub ages_after: &'static [&'static str],
    /// Words around a count of people that make it a workforce or a population (stems).
    pub workforce: &'static [&'static str],
    /// Nouns that make the count before them a value of a toll: `число погибших`,
    /// `количество` (stems).
    pub count_nouns: &'static [&'static str],
    /// Words that introduce a source: `по данным`, `по словам`, `за даними` (word pairs).
    pub source_markers: &'static [&'static [&'static str]],
    /// Adverbs and particles skipped between a number and its noun (`внутрішньо
    /// переміщених осіб`).
    pub skippable: &'static [&'static str],
    /// Words that signal a crowd of protesters near a count of participants (stems).
    pub protest: &'static [&'static str],
}

impl Lexicon {
    /// The lexicon of `lang` (English has none here).
    #[must_use]
    pub fn of(lang: Lang) -> Option<&'static Self> {
        match lang {
            Lang::Ru => Some(&ru::LEXICON),
            Lang::Kk => Some(&kk::LEXICON),
            Lang::Uk => Some(&uk::LEXICON),
            Lang::En => None,
        }
    }
}

/// True when `word` matches an entry of `list`: whole words, or stems ending in `*`.
#[must_use]
pub fn matches(list: &[&str], word: &str) -> bool {
    list.iter().any(|e| match e.strip_suffix('*') {
        Some(stem) => word.starts_with(stem),
        None => *e == word,
    })
}
