//! People: names, titles and who was mentioned where, to resolve "she said" and
//! "Zhanay".

use super::{Tok, class, text_of};

/// Words that start a capitalised run but are not names (weekday and month names too: they
/// come from `calendar`).
pub(super) const NOT_NAMES: &[&str] = &[
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
pub(super) const TITLES: &[&str] = &[
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
pub(super) const ORG_WORDS: &[&str] = &[
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
pub(super) struct Mention {
    /// Char offset of the mention.
    pub(super) at: usize,
    /// Index into `People::names`.
    pub(super) person: usize,
}

#[derive(Clone, Debug, Default)]
pub(super) struct People {
    /// Full names, in order of first appearance.
    pub(super) names: Vec<String>,
    /// Every mention (full name, surname or title), in text order.
    pub(super) mentions: Vec<Mention>,
    /// Title (lower-case, e.g. "president") → person.
    pub(super) titles: Vec<(String, usize)>,
    /// First or last name (lower-case) → the latest person registered with it.
    pub(super) by_word: std::collections::HashMap<String, usize>,
    /// Full name → person.
    pub(super) by_name: std::collections::HashMap<String, usize>,
}

impl People {
    #[expect(
        clippy::many_single_char_names,
        reason = "i..j is the run, k walks it, t is the token: a scanner's usual names"
    )]
    pub(super) fn scan(chars: &[char], tokens: &[Tok]) -> Self {
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

    pub(super) fn register(&mut self, name: &str) -> usize {
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
    pub(super) fn by_surname(&self, word: &str) -> Option<usize> {
        self.by_word.get(word).copied()
    }

    /// The mention starting at char `at` (mentions are in text order: binary search, so
    /// book-length texts stay linear overall).
    pub(super) fn mention_at(&self, at: usize) -> Option<&Mention> {
        self.mentions
            .binary_search_by_key(&at, |m| m.at)
            .ok()
            .map(|i| &self.mentions[i])
    }

    /// The last person mentioned before char `at`.
    pub(super) fn last_before(&self, at: usize) -> Option<&str> {
        let idx = self.mentions.partition_point(|m| m.at < at);
        idx.checked_sub(1)
            .map(|i| self.names[self.mentions[i].person].as_str())
    }

    /// Resolves a title ("president", "prime minister") to the person who held it.
    pub(super) fn by_title(&self, title: &str) -> Option<&str> {
        self.titles
            .iter()
            .rev()
            .find(|(t, _)| t == title)
            .map(|(_, p)| self.names[*p].as_str())
    }
}
