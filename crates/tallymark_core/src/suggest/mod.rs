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
//! The parts, one file each: `tokens` (words, their word lists, sentence bounds),
//! `people` (names, titles, mentions), `attribution` (who said it), `quotes`, `english`
//! (the English figure rules, each rejection named) and `cyrillic` (Russian, Kazakh and
//! Ukrainian, a table of named rules), with their word lists in `lexicon`. This file holds
//! the entry points, claims, and the candidates the app shows.
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

mod attribution;
mod cyrillic;
mod english;
pub mod lexicon;
mod people;
mod quotes;
mod tokens;

use attribution::{DETERMINERS, PRONOUNS, SAY, attribution_in};
use english::{
    AUX, DEPLOYABLE, FIGURE_STARTS, METRIC_WORDS, MONEY, PEOPLE_NOUNS, POSSESSIVES, THINGS, UNITS,
    VAGUE_STARTS, find_figures, next_to_cyrillic, quote_covering,
};
use people::{NOT_NAMES, ORG_WORDS, People, TITLES};
use quotes::{find_quotes, is_close_mark, is_open_mark};
use tokens::{Lowered, Tok, TokKind, class, sentence_end, sentence_start, text_of, tokenize};

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

    /// The month March is no protest march, and a number after a month is a day only up
    /// to 31.
    #[test]
    fn months_in_dates() {
        assert!(figs("Call the police quoting case 214 of 11 March.").is_empty());
        assert_eq!(
            figs("On 11 March 300 people were evacuated."),
            [("300".to_owned(), 300.0, "evacuated".to_owned())]
        );
        assert_eq!(
            figs("The march drew 5,000 people."),
            [("5,000".to_owned(), 5000.0, "protesters".to_owned())]
        );
    }

    /// Names in guillemets, dash lists and dash speech, told apart.
    #[test]
    fn cyrillic_names_lists_and_speech() {
        let quotes = |text: &str| -> Vec<String> {
            suggest(text, Options::default())
                .quotes
                .into_iter()
                .map(|q| q.exact)
                .collect()
        };
        // A name opening a sentence; speech after a colon; a short quote and its verb.
        assert!(quotes("«Глубокая» уже становилась местом аварии.").is_empty());
        assert_eq!(quotes("Он крикнул: «Уходите» и убежал."), ["Уходите"]);
        assert_eq!(quotes("«Ганьба» скандували протестувальники."), ["Ганьба"]);
        // A list whose items start with a dash, then dialogue after a colon.
        let list = "Що відомо:\n– у трамваї було 60 пасажирів;\n– рух відновили о 13:20.\n\n\
                    Він сказав:\n— Ми поїдемо звідси.";
        assert_eq!(quotes(list), ["Ми поїдемо звідси."]);
        // Dialogue that starts in lower case; dash speech that mentions a name.
        assert_eq!(
            quotes("— а вы кто такие? — спросил он. — Мы из полиции."),
            ["а вы кто такие?", "Мы из полиции."]
        );
        assert_eq!(
            quotes("— Мест нет, — рассказала координатор пункта «Тёплый угол» Вера Синицына."),
            ["Мест нет"]
        );
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
