//! What a figure counts and when: the place its sentence names ("in Brennport"), the day
//! its sentence gives ("said on Sunday", "on January 8", "yesterday") resolved against the
//! article's publication date, and the group its `who` belongs to (people ⊃ civilians ⊃
//! children …, from `assets/groups.ron`).
//!
//! These are read from the figure's sentence only: a date or place two sentences away is
//! too often about something else.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::annotation::FigureAttrs;
use crate::calendar::{self, month_of, weekday_of};
use crate::span::Span;

/// Where a figure's `reported` date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// The article's publication date.
    Article,
    /// A date in the figure's sentence, resolved against the publication date.
    Sentence,
    /// Typed by the user.
    Typed,
}

impl DateSource {
    /// A word for the inspector.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Article => "from the article's date",
            Self::Sentence => "from the sentence",
            Self::Typed => "typed",
        }
    }
}

/// How far a sentence is read on either side of a figure, in chars.
pub const MAX_SENTENCE_SIDE: usize = 600;

/// The sentence around `span` in `chars`: from after the previous `.`, `!`, `?` or line
/// break to the next one (a decimal point or an abbreviation's dot followed by a lower-case
/// letter or digit does not end it).
#[must_use]
pub fn sentence_around(chars: &[char], span: Span) -> Span {
    let ends_at = |i: usize| -> bool {
        match chars[i] {
            '\n' => true,
            '.' | '!' | '?' | '…' => {
                // "3.5", "Jan. 8", "U.S. officials": the next non-space char decides.
                let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
                let followed_by_space = chars.get(i + 1).is_none_or(|c| c.is_whitespace());
                followed_by_space && next.is_none_or(|c| c.is_uppercase() || !c.is_alphanumeric())
            }
            _ => false,
        }
    };
    // A "sentence" longer than this either side is no sentence (a run of text without
    // stops): reading it whole for every figure would make a long line quadratic.
    let floor = span.start.saturating_sub(MAX_SENTENCE_SIDE);
    let ceiling = span.end.saturating_add(MAX_SENTENCE_SIDE).min(chars.len());
    let mut start = span.start.min(chars.len());
    while start > floor && !ends_at(start - 1) {
        start -= 1;
    }
    let mut end = span.end.min(chars.len());
    while end < ceiling && !ends_at(end) {
        end += 1;
    }
    Span {
        start,
        end: (end + 1).min(chars.len()),
    }
}

/// Fills a figure's `place` and `reported` (with where the date came from) from its
/// sentence in `chars` and the article's publication date. A place or date already there
/// (typed, or in the file) is kept.
pub fn enrich(chars: &[char], span: Span, published: Option<Date>, f: &mut FigureAttrs) {
    let sentence = sentence_around(chars, span);
    let words = words_of(chars, sentence);
    if f.place.is_empty()
        && let Some(place) = place_in(&words, span)
    {
        f.place = place;
    }
    if f.reported.is_none() {
        let from_sentence = published.and_then(|p| date_in(&words, p));
        match (from_sentence, published) {
            (Some(d), _) => {
                f.reported = Some(d);
                f.reported_from = Some(DateSource::Sentence);
            }
            (None, Some(p)) => {
                f.reported = Some(p);
                f.reported_from = Some(DateSource::Article);
            }
            (None, None) => {}
        }
    }
}

/// A word of a sentence with its char offsets.
#[derive(Debug)]
struct Word {
    text: String,
    lower: String,
    start: usize,
    capital: bool,
    /// A comma, colon or other break comes right after it.
    break_after: bool,
}

fn words_of(chars: &[char], sentence: Span) -> Vec<Word> {
    use crate::text::is_word_char;
    let mut out = Vec::new();
    let mut i = sentence.start;
    while i < sentence.end {
        if is_word_char(chars[i]) {
            let start = i;
            while i < sentence.end
                && (is_word_char(chars[i])
                    || (matches!(chars[i], '-' | '\'' | '’')
                        && chars.get(i + 1).is_some_and(|c| is_word_char(*c))))
            {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let break_after = chars
                .get(i)
                .is_some_and(|c| matches!(c, ',' | ';' | ':' | '(' | ')' | '—'));
            out.push(Word {
                lower: chars[start..i]
                    .iter()
                    .map(|&c| crate::text::fold_char(c))
                    .collect(),
                capital: text.chars().next().is_some_and(char::is_uppercase),
                text,
                start,
                break_after,
            });
        } else {
            i += 1;
        }
    }
    out
}

/// Words that start with a capital but are not places (besides month and weekday names).
const NOT_PLACES: &[&str] = &[
    "the",
    "a",
    "an",
    "total",
    "all",
    "his",
    "her",
    "their",
    "its",
    "our",
    "this",
    "that",
    "which",
    "addition",
    "fact",
    "response",
    "detention",
    "custody",
    "hospital",
    "hospitals",
    "police",
    "court",
    "parliament",
    "twitter",
    "telegram",
    "instagram",
    "facebook",
    "english",
    "russian",
    "kazakh",
    "ukrainian",
    "january’s",
];

/// Prepositions before a place, in the languages of the bundled stories.
const PLACE_PREPOSITIONS: &[&str] = &[
    "in",
    "at",
    "near",
    "across",
    "throughout",
    "outside",
    "around",
    "в",
    "во",
    "у",
    "під",
];

/// "in Brennport", "in the town of Ashford", "across the Marrow Valley", "в Алматы":
/// the place nearest to the figure in its sentence.
fn place_in(words: &[Word], figure: Span) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for (k, w) in words.iter().enumerate() {
        if !PLACE_PREPOSITIONS.contains(&w.lower.as_str()) || w.break_after {
            continue;
        }
        // Skip "the", "town of", "city of", "region of", "village of".
        let mut j = k + 1;
        if words.get(j).is_some_and(|x| x.lower == "the") {
            j += 1;
        }
        if words.get(j).is_some_and(|x| {
            matches!(
                x.lower.as_str(),
                "town" | "city" | "village" | "region" | "province" | "district" | "capital"
            )
        }) && words.get(j + 1).is_some_and(|x| x.lower == "of")
        {
            j += 2;
        }
        let mut name = Vec::new();
        while let Some(x) = words.get(j) {
            let first_word = name.is_empty();
            if !x.capital
                || NOT_PLACES.contains(&x.lower.as_str())
                || calendar::is_month_or_weekday_en(&x.lower)
                || (first_word
                    && x.text.chars().all(char::is_uppercase)
                    && x.text.len() > 1
                    && x.text.len() < 4)
            {
                break;
            }
            name.push(x.text.as_str());
            j += 1;
            if x.break_after || name.len() == 3 {
                break;
            }
        }
        // Russian region names follow in lower case: "в Алматинской области".
        if !name.is_empty()
            && let Some(x) = words.get(j)
            && matches!(
                x.lower.as_str(),
                "области" | "районе" | "region" | "province"
            )
        {
            name.push(x.text.as_str());
        }
        if name.is_empty() {
            continue;
        }
        let distance = w.start.abs_diff(figure.start);
        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, name.join(" ")));
        }
    }
    best.map(|(_, p)| p)
}

/// The day a sentence gives, resolved against `published`: an explicit day ("on January
/// 8", "8 January 2022", "8 января"), a weekday ("said on Sunday": the last Sunday on or
/// before publication) or "yesterday" / "today". A day after publication is taken from the
/// year before ("on December 30" in a January article).
fn date_in(words: &[Word], published: Date) -> Option<Date> {
    // "Nine died on Wednesday night, the mayor said on Friday": the figure was reported on
    // Friday. A day right after a reporting verb wins; else the first day named.
    let mut first = None;
    for k in 0..words.len() {
        let Some(date) = date_at(words, k, published) else {
            continue;
        };
        let reported =
            (k.saturating_sub(3)..k).any(|i| REPORTING.contains(&words[i].lower.as_str()));
        if reported {
            return Some(date);
        }
        first = first.or(Some(date));
    }
    first
}

/// Verbs that introduce when something was said.
const REPORTING: &[&str] = &[
    "said",
    "says",
    "told",
    "reported",
    "announced",
    "confirmed",
    "stated",
    "added",
    "sообщил",
    "сообщили",
    "заявил",
    "заявили",
    "сообщила",
    "заявила",
];

/// The day named by the word at `k`, if it names one.
fn date_at(words: &[Word], k: usize, published: Date) -> Option<Date> {
    let lower = words[k].lower.as_str();
    {
        match lower {
            "yesterday" | "вчера" => return published.previous_day(),
            "today" | "tonight" | "сегодня" => return Some(published),
            _ => {}
        }
        if let Some(month) = month_of(lower) {
            // "January 8" or "8 January", with an optional year after either.
            let day_after = words.get(k + 1).and_then(|x| x.lower.parse::<u8>().ok());
            let day_before = k
                .checked_sub(1)
                .and_then(|i| words.get(i))
                .and_then(|x| x.lower.parse::<u8>().ok());
            let (day, year_at) = match (day_after, day_before) {
                (Some(d), _) => (d, k + 2),
                (None, Some(d)) => (d, k + 1),
                (None, None) => return None,
            };
            let year = words
                .get(year_at)
                .and_then(|x| x.lower.parse::<i32>().ok())
                .filter(|y| (1900..=2200).contains(y));
            let resolve = |y: i32| Date::from_calendar_date(y, month, day).ok();
            let date = match year {
                Some(y) => resolve(y),
                None => resolve(published.year())
                    .filter(|d| *d <= published)
                    .or_else(|| resolve(published.year() - 1)),
            };
            if date.is_some() {
                return date;
            }
        }
        if let Some(day) = weekday_of(lower) {
            // "last Sunday" and "on Sunday" alike: the latest such day on or before.
            let mut d = published;
            for _ in 0..7 {
                if d.weekday() == day {
                    return Some(d);
                }
                d = d.previous_day()?;
            }
        }
    }
    None
}

/// A group of people a figure can count, with the wider group it is part of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// Its name, as `who` holds it.
    pub id: String,
    /// The group it is part of (`None` for the widest).
    #[serde(default)]
    pub parent: Option<String>,
    /// Other words for it, in any language (lower case).
    #[serde(default)]
    pub synonyms: Vec<String>,
}

/// The groups of people figures count, with their hierarchy (`assets/groups.ron`, or the
/// user's `groups.ron` in the config directory).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Groups {
    /// Every group, widest first.
    pub groups: Vec<Group>,
}

const BUILTIN_GROUPS: &str = include_str!("../../../assets/groups.ron");

impl Groups {
    /// The bundled taxonomy.
    ///
    /// # Panics
    /// Never in a release: a test parses the bundled file.
    #[must_use]
    pub fn builtin() -> Self {
        ron::from_str(BUILTIN_GROUPS).unwrap_or(Self { groups: Vec::new() })
    }

    /// The user's `groups.ron` in `config_dir` when there is one and it reads, else the
    /// bundled one; with the reason when the user's file was not used.
    #[must_use]
    pub fn from_config(config_dir: &std::path::Path) -> (Self, Option<String>) {
        match crate::persist::read_config(config_dir, "groups.ron") {
            Ok(g) => (g.unwrap_or_else(Self::builtin), None),
            Err(e) => (Self::builtin(), Some(e)),
        }
    }

    /// The group `who` names: its id or a synonym, case folded; free text that names none
    /// is `None`.
    #[must_use]
    pub fn resolve(&self, who: &str) -> Option<&Group> {
        let who = who.trim().to_lowercase();
        if who.is_empty() {
            return None;
        }
        self.groups
            .iter()
            .find(|g| g.id == who)
            .or_else(|| self.groups.iter().find(|g| g.synonyms.contains(&who)))
    }

    /// The group and every wider one, narrowest first: `children`, `civilians`, `people`.
    #[must_use]
    pub fn lineage(&self, who: &str) -> Vec<&Group> {
        let mut out = Vec::new();
        let mut at = self.resolve(who);
        while let Some(g) = at {
            if out.iter().any(|o: &&Group| o.id == g.id) {
                break; // a cycle in a user's file
            }
            out.push(g);
            at = g
                .parent
                .as_deref()
                .and_then(|p| self.groups.iter().find(|x| x.id == p));
        }
        out
    }

    /// True when the group `part` names is `whole`'s group or inside it (children are part
    /// of people); false when either names no group.
    #[must_use]
    pub fn is_part_of(&self, part: &str, whole: &str) -> bool {
        let Some(whole) = self.resolve(whole) else {
            return false;
        };
        self.lineage(part).iter().any(|g| g.id == whole.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn figure_in(text: &str, exact: &str, published: Option<Date>) -> FigureAttrs {
        let chars: Vec<char> = text.chars().collect();
        let byte = text.find(exact).expect("in the text");
        let start = text[..byte].chars().count();
        let span = Span {
            start,
            end: start + exact.chars().count(),
        };
        let mut f = FigureAttrs::default();
        enrich(&chars, span, published, &mut f);
        f
    }

    // 2024-03-12 is a Tuesday.
    const TUESDAY: Date = date!(2024 - 03 - 12);

    #[test]
    fn said_on_sunday_in_a_tuesday_article_is_that_sunday() {
        let f = figure_in(
            "Regional officials said on Sunday that 31 people died in Brennport.",
            "31",
            Some(TUESDAY),
        );
        assert_eq!(f.reported, Some(date!(2024 - 03 - 10)));
        assert_eq!(f.reported_from, Some(DateSource::Sentence));
        assert_eq!(f.place, "Brennport");
    }

    #[test]
    fn without_a_date_in_the_sentence_the_article_date_is_used() {
        let f = figure_in("At least 40 people were injured.", "40", Some(TUESDAY));
        assert_eq!(f.reported, Some(TUESDAY));
        assert_eq!(f.reported_from, Some(DateSource::Article));
        assert_eq!(f.place, "");
        let none = figure_in("At least 40 people were injured.", "40", None);
        assert_eq!(none.reported, None, "nothing invented");
    }

    #[test]
    fn explicit_and_relative_days() {
        let cases = [
            (
                "On January 8, 164 people were reported dead.",
                "164",
                date!(2022 - 01 - 11),
                date!(2022 - 01 - 08),
            ),
            (
                "The toll stood at 225 on 15 January 2022.",
                "225",
                date!(2022 - 02 - 01),
                date!(2022 - 01 - 15),
            ),
            (
                "Police said yesterday that 2,000 were held.",
                "2,000",
                date!(2022 - 01 - 11),
                date!(2022 - 01 - 10),
            ),
            (
                "On December 30 the count reached 12.",
                "12",
                date!(2022 - 01 - 04),
                date!(2021 - 12 - 30),
            ),
            (
                "8 января задержаны более 4 тысяч человек.",
                "4",
                date!(2022 - 01 - 10),
                date!(2022 - 01 - 08),
            ),
            (
                "В воскресенье погибли 164 человека.",
                "164",
                date!(2022 - 01 - 11),
                date!(2022 - 01 - 09),
            ),
        ];
        for (text, exact, published, expected) in cases {
            let f = figure_in(text, exact, Some(published));
            assert_eq!(f.reported, Some(expected), "{text}");
        }
    }

    #[test]
    fn places_nearest_the_figure_and_not_months_or_institutions() {
        for (text, exact, place) in [
            (
                "Police arrested 12 looters in the town of Ashford.",
                "12",
                "Ashford",
            ),
            (
                "Floods across the Marrow Valley displaced 3,000 people.",
                "3,000",
                "Marrow Valley",
            ),
            ("In January, 164 people were killed.", "164", ""),
            (
                "Eleven people are in hospital and 4 in police custody.",
                "4",
                "",
            ),
            ("В Алматы задержаны 2 тысячи человек.", "2", "Алматы"),
            ("In Almaty 103 died; in Taraz, 9.", "9", "Taraz"),
        ] {
            assert_eq!(figure_in(text, exact, None).place, place, "{text}");
        }
    }

    #[test]
    fn groups_form_a_hierarchy_with_synonyms() {
        let g = Groups::builtin();
        assert!(!g.groups.is_empty(), "assets/groups.ron parses");
        assert_eq!(
            g.resolve("Policemen").map(|g| g.id.as_str()),
            Some("police")
        );
        assert_eq!(g.resolve("minors").map(|g| g.id.as_str()), Some("children"));
        let lineage: Vec<&str> = g
            .lineage("children")
            .iter()
            .map(|g| g.id.as_str())
            .collect();
        assert_eq!(lineage, ["children", "civilians", "people"]);
        assert!(g.is_part_of("police officers", "people"));
        assert!(g.is_part_of("law enforcement officers", "security forces"));
        assert!(!g.is_part_of("people", "children"));
        assert!(!g.is_part_of("protesters", "security forces"));
        assert!(g.resolve("goats").is_none(), "free text stays free");
    }

    #[test]
    fn a_line_without_stops_is_read_only_near_the_figure() {
        let text = "word ".repeat(10_000);
        let chars: Vec<char> = text.chars().collect();
        let s = sentence_around(
            &chars,
            Span {
                start: 25_000,
                end: 25_004,
            },
        );
        assert!(s.len() <= 2 * MAX_SENTENCE_SIDE + 5, "{s:?}");
    }

    #[test]
    fn sentences_do_not_end_at_decimals_or_abbreviations() {
        let text = "Officials said 3.5 thousand were held on Jan. 8 in Almaty. Then more.";
        let chars: Vec<char> = text.chars().collect();
        let s = sentence_around(&chars, Span { start: 15, end: 18 });
        let sentence: String = chars[s.start..s.end].iter().collect();
        assert_eq!(
            sentence,
            "Officials said 3.5 thousand were held on Jan. 8 in Almaty."
        );
    }
}
