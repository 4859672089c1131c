//! Figures in Russian, Kazakh and Ukrainian.
//!
//! Three steps, as in English but on these languages' words ([`super::lexicon`]):
//! 1. **Read** a number phrase where a sentence in Cyrillic has a digit or a number word:
//!    qualifier, digits with space or no-break space thousands (`12 000`), a decimal comma
//!    with a scale word (`3,5 тысячи`), number words in any case (`трёхсот`, `пяти тысяч`,
//!    `жүз жиырма`), collective numerals (`трое`), vague amounts (`десятки тысяч`), ranges
//!    (`от 200 до 300`, `12–15 тыс.`), and the Kazakh case endings and postposed qualifiers
//!    (`3 мыңнан астам`, `60-қа жуық`). ([`read`])
//! 2. **Prepare** one [`Candidate`]: the sentence around it, the word it counts, whether a
//!    casualty word is near. Everything the rules ask is computed here once.
//! 3. **Judge** it with the named rules of [`RULES`], in order; the first that matches
//!    rejects it and is named (`tallymark suggest --explain`, and the quality test prints it
//!    for every gold figure missed). A candidate no rule rejects is a figure, with its metric,
//!    who and source read from the same sentence.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::lexicon::{Lexicon, NumWord, matches};
use super::{FigureSuggestion, Lang, QuoteSuggestion, Tok, TokKind, quote_covering, text_of};
use crate::annotation::{FigureAttrs, Qualifier};
use crate::span::Span;

/// A number phrase as read, before judging.
#[derive(Clone, Debug)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent facts about one reading, each asked by one rule"
)]
struct Reading {
    /// First token of the phrase (the qualifier, if any).
    first: usize,
    /// First token of the number itself.
    num: usize,
    /// Token after the phrase.
    next: usize,
    low: f64,
    high: Option<f64>,
    qualifier: Qualifier,
    /// A collective numeral (`трое`, `жетеуі`): always people.
    collective: bool,
    /// Chars of the phrase.
    span: Span,
    /// An ending after a hyphen that is no case ending (`51-летний`, `3-й`, `345-бабы`).
    bad_suffix: bool,
    /// Digits whose first is a zero (`0 800 …`, `07`): a phone number or a code.
    leading_zero: bool,
    /// A four-digit number between 1800 and 2100 with nothing else: a year.
    year: bool,
}

/// A prepared candidate: the reading in its sentence, with what the rules ask about it.
struct Candidate<'t, 'a> {
    tokens: &'t [Tok<'a>],
    lex: &'static Lexicon,
    r: Reading,
    /// The sentence (token range).
    s_start: usize,
    s_end: usize,
    /// The word counted: the first word after the phrase, past adjectives, if it is a noun.
    noun: Option<usize>,
    /// What that word is.
    noun_kind: NounKind,
    /// The metric of the nearest casualty word in the sentence, if any.
    metric: Option<&'static str>,
    /// Whether that casualty word is right at the number (the noun itself, or within three
    /// words after it).
    metric_close: bool,
    /// The caller's options (whether deployments count).
    options: super::Options,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NounKind {
    /// A noun for people (`человек`, `жителей`, `бала`).
    People,
    /// A verb (`погибли`, `остаются`): the count is its subject.
    Verb,
    /// A noun for anything else (`домов`, `рублей`).
    Thing,
    /// Punctuation, a preposition, the sentence's end.
    Nothing,
}

/// A named reason a number is not a figure.
struct Rule {
    /// Short name, printed by the quality test and `--explain`.
    name: &'static str,
    /// An example it rejects (tested in `tests`).
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "documentation, checked by the tests")
    )]
    example: &'static str,
    /// Whether it rejects the candidate.
    test: fn(&Candidate) -> bool,
}

/// The reject rules, in order. The first that matches names the reason.
const RULES: &[Rule] = &[
    Rule {
        name: "time",
        example: "в 02:40 по местному времени",
        test: |c| {
            let t = &c.tokens[c.r.num];
            let digit_at = |k: usize| c.tokens.get(k).is_some_and(Tok::starts_with_digit);
            c.tokens.get(c.r.next).is_some_and(|n| {
                n.start == c.r.span.end && n.is_any(&[":", "/"]) && digit_at(c.r.next + 1)
            }) || (c.r.num > 1
                && c.tokens[c.r.num - 1].end == t.start
                && c.tokens[c.r.num - 1].is_any(&[":", "/"])
                && digit_at(c.r.num - 2))
        },
    },
    Rule {
        name: "year",
        example: "в 2019 году",
        test: |c| c.r.year,
    },
    Rule {
        name: "leading-zero",
        example: "по телефону 0 800 500 118",
        test: |c| c.r.leading_zero,
    },
    Rule {
        name: "ordinal-or-label-ending",
        example: "погиб 51-летний водитель; трассаның 312-шақырымында болды; кодекстің 345-бабы бойынша",
        test: |c| c.r.bad_suffix,
    },
    Rule {
        name: "date",
        example: "15 ноября; 13 і 14 липня",
        test: |c| {
            let after = word_after(c.tokens, c.r.next, c.s_end);
            let after2 = after.and_then(|k| {
                // "13 і 14 липня": the month after a second number.
                let n = c.tokens.get(k + 1)?;
                (c.tokens[k].starts_with_digit()
                    || matches!(c.tokens[k].lower, "и" | "і" | "й" | "та" | "–" | "-"))
                .then_some(())?;
                Some(n)
            });
            after.is_some_and(|k| matches(c.lex.months, c.tokens[k].lower))
                || after2.is_some_and(|n| matches(c.lex.months, n.lower))
                || word_before(c.tokens, c.r.first, c.s_start)
                    .is_some_and(|k| matches(c.lex.months, c.tokens[k].lower))
        },
    },
    Rule {
        name: "phone",
        example: "анықтама телефоны 8 (7152) 46-12-12",
        test: |c| {
            let phone_like = |t: &Tok| {
                t.lower.split('-').count() >= 3
                    && t.lower
                        .split('-')
                        .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
            };
            c.tokens
                .get(c.r.next)
                .is_some_and(|n| n.is("(") || n.is(")"))
                || (c.r.first > 0 && c.tokens[c.r.first - 1].is_any(&["(", ")"]))
                || c.tokens[c.r.num..c.r.next.min(c.tokens.len())]
                    .iter()
                    .any(phone_like)
                || c.tokens.get(c.r.next).is_some_and(phone_like)
        },
    },
    Rule {
        name: "label",
        example: "статьи 212; школа № 7; Канал 31",
        test: |c| {
            c.r.first > 0 && {
                let p = &c.tokens[c.r.first - 1];
                let pp = c.r.first.checked_sub(2).map(|k| &c.tokens[k]);
                p.is("№")
                    || matches(c.lex.labels, p.lower)
                    || (p.is(".") && pp.is_some_and(|q| matches(c.lex.labels, q.lower)))
            }
        },
    },
    Rule {
        name: "unit-money-duration",
        example: "1 млн рублей; 85 сантиметров; от 5 до 15 суток; 97%; три раза",
        test: |c| {
            let unit_at = |k: usize| {
                c.tokens.get(k).is_some_and(|n| {
                    n.is_any(&["%", "$", "€", "₽", "₸", "₴", "°"])
                        || (n.is_word() && matches(c.lex.units, n.lower))
                })
            };
            // "61 и 64 лет": the unit after the second number covers the first.
            let and_number = c
                .tokens
                .get(c.r.next)
                .is_some_and(|t| t.is_any(&["и", "і", "й", "та", "или", "або", "-", "–"]))
                && c.tokens
                    .get(c.r.next + 1)
                    .is_some_and(Tok::starts_with_digit);
            unit_at(c.r.next)
                || (and_number && unit_at(c.r.next + 2))
                || c.r.first > 0 && c.tokens[c.r.first - 1].is_any(&["$", "€", "₽", "₸", "₴", "+"])
        },
    },
    Rule {
        name: "age",
        example: "в возрасте 67 лет; 45 жастағы; віком 58",
        test: |c| {
            word_after(c.tokens, c.r.next, c.s_end)
                .is_some_and(|k| matches(c.lex.ages_after, c.tokens[k].lower))
                || word_before(c.tokens, c.r.first, c.s_start)
                    .is_some_and(|k| matches(c.lex.not_counts_before, c.tokens[k].lower))
        },
    },
    Rule {
        name: "fraction",
        example: "9,6 метра (without a unit word: 1,5)",
        test: |c| c.r.low.fract() != 0.0,
    },
    Rule {
        name: "counts-a-thing",
        example: "в 23 населённых пунктах; 150 единиц техники; 940 үй",
        test: |c| c.noun_kind == NounKind::Thing,
    },
    Rule {
        name: "deployment",
        example: "к работам привлечены свыше 2 500 спасателей",
        test: |c| {
            !c.options.deployments
                && c.noun.is_some_and(|k| {
                    matches(c.lex.deployable, c.tokens[k].lower)
                        // "тушение ведут более 900 человек": people at work, no casualty —
                        // but "в драке участвовали от 300 до 500 человек" were not sent.
                        || (matches(c.lex.generic, c.tokens[k].lower)
                            && c.metric.is_none()
                            && !sentence_has(
                                c,
                                &[
                                    "драк*",
                                    "потасовк*",
                                    "столкновен*",
                                    "беспорядк*",
                                    "бійк*",
                                    "сутичк*",
                                    "төбелес*",
                                    "қақтығыс*",
                                ],
                            ))
                })
                && !c.metric_close
                && sentence_has(c, c.lex.deploy_verbs)
        },
    },
    Rule {
        name: "one-of-whom",
        example: "сказала сестра одного из пропавших",
        test: |c| {
            (c.r.low - 1.0).abs() < f64::EPSILON
                && c.tokens
                    .get(c.r.next)
                    .is_some_and(|t| t.is_any(&["из", "з", "зі", "із"]))
                && word_before(c.tokens, c.r.first, c.s_start).is_some_and(|p| {
                    matches(
                        &[
                            "сестр*",
                            "брат*",
                            "мать",
                            "матери",
                            "отец",
                            "отца",
                            "жена",
                            "жены",
                            "муж",
                            "сын*",
                            "дочь",
                            "дочери",
                            "родственни*",
                            "дружина",
                            "чоловік",
                            "мати",
                            "батько",
                            "донька",
                            "адвокат*",
                            "знаком*",
                            "знайом*",
                            "родич*",
                            "семья",
                            "семьи",
                            "сім'я",
                            "родина",
                        ],
                        c.tokens[p].lower,
                    )
                })
        },
    },
    Rule {
        name: "capacity",
        example: "рассчитанных на 3 600 человек",
        test: |c| {
            let mut k = c.r.first;
            if k > c.s_start && c.tokens[k - 1].is_any(&["на", "для", "до"]) {
                k -= 1;
            }
            word_before(c.tokens, k, c.s_start)
                .is_some_and(|p| matches(c.lex.not_counts_before, c.tokens[p].lower))
        },
    },
    Rule {
        // Kazakh puts the verb last: "500-ге дейін адам қабылдай алады" (can take up to 500
        // people), "200 адамға арналған" (meant for 200 people).
        name: "capacity-after",
        example: "бір мезгілде 500-ге дейін адам қабылдай алады",
        test: |c| {
            c.lex.lang == Lang::Kk
                && c.noun.is_some_and(|k| {
                    // Past "дейін" (up to): "150 адамға дейін қабылдай алады".
                    let k = if c.tokens.get(k + 1).is_some_and(|t| t.is("дейін")) {
                        k + 1
                    } else {
                        k
                    };
                    c.tokens.get(k + 1).is_some_and(|t| {
                        matches(&["қабылдай*", "арналған*", "сыяды", "сыйғыза*"], t.lower)
                    })
                })
        },
    },
    Rule {
        // "– деді босатылғандардың бірі, 31 жастағы Нұрлан", "Елена Корж, одна из
        // пострадавших": "one of the freed" next to a name says who a speaker is.
        name: "one-of-speaker",
        example: "– деді босатылғандардың бірі, 31 жастағы Нұрлан Қасымбеков",
        test: |c| {
            let name_or_age = |t: &Tok| t.capital || t.starts_with_digit();
            let kazakh = c.lex.lang == Lang::Kk
                && c.tokens[c.r.num].is_any(&["бірі", "біреуі"])
                && c.tokens.get(c.r.next).is_some_and(|t| t.is(","))
                && c.tokens.get(c.r.next + 1).is_some_and(name_or_age);
            // An apposition, which the sentence ends after: "По данным Минздрава, один из
            // пострадавших скончался" is a figure.
            let after_name = (c.r.low - 1.0).abs() < f64::EPSILON
                && c.tokens
                    .get(c.r.next)
                    .is_some_and(|t| t.is_any(&["из", "з", "із", "зі"]))
                && c.tokens
                    .get(c.r.next + 2)
                    .is_none_or(|t| t.ends_sentence() || t.is(","))
                && c.r.first >= 2
                && c.tokens[c.r.first - 1].is(",")
                && c.tokens[c.r.first - 2].is_word()
                && c.tokens[c.r.first - 2].capital;
            kazakh || after_name
        },
    },
    Rule {
        name: "rate",
        example: "пропускать успевают не больше 600 человек в сутки",
        test: |c| {
            let from = c.noun.map_or(c.r.next, |k| k + 1);
            c.tokens.get(from).is_some_and(|t| t.is_any(&["в", "на"]))
                && c.tokens.get(from + 1).is_some_and(|t| {
                    t.is_any(&[
                        "сутки",
                        "день",
                        "час",
                        "неделю",
                        "добу",
                        "годину",
                        "тиждень",
                        "месяц",
                        "місяць",
                    ])
                })
                || c.tokens
                    .get(from)
                    .is_some_and(|t| t.lower.starts_with("тәулігіне"))
        },
    },
    Rule {
        name: "workforce-or-population",
        example: "на шахте работают около 2 800 человек",
        test: |c| c.metric.is_none() && sentence_has(c, c.lex.workforce),
    },
    Rule {
        name: "no-people",
        example: "получили 96 обращений (no noun for people, no casualty word)",
        test: |c| {
            // "человек тридцать приезжих": the noun before a number word, an approximation.
            let inverted = c.r.num == c.r.first
                && !c.tokens[c.r.num].starts_with_digit()
                && word_before(c.tokens, c.r.first, c.s_start)
                    .is_some_and(|p| c.tokens[p].is_any(&["человек", "чоловік", "людей"]));
            !(c.r.collective
                || c.noun_kind == NounKind::People
                || c.metric.is_some()
                || counts_value(c)
                || inverted)
        },
    },
];

/// True when a word of the candidate's sentence matches `list`.
fn sentence_has(c: &Candidate, list: &[&str]) -> bool {
    c.tokens[c.s_start..c.s_end]
        .iter()
        .any(|t| t.is_word() && matches(list, t.lower))
}

/// "число погибших возросло до 131", "их число достигло 40": the value of a count.
fn counts_value(c: &Candidate) -> bool {
    c.tokens[c.s_start..c.r.first]
        .iter()
        .any(|t| t.is_word() && matches(c.lex.count_nouns, t.lower))
        && c.noun_kind == NounKind::Nothing
}

/// Token `k` if it is a word inside the sentence (which ends before `end`).
fn word_after(tokens: &[Tok], k: usize, end: usize) -> Option<usize> {
    (k < end && tokens.get(k)?.is_word()).then_some(k)
}

/// The word token right before `k`, inside the sentence.
fn word_before(tokens: &[Tok], k: usize, start: usize) -> Option<usize> {
    let p = k.checked_sub(1)?;
    (p >= start && tokens[p].is_word()).then_some(p)
}

// ---------------------------------------------------------------------------------------
// Languages of sentences

/// The lexicon for the sentence `from..to` (chars), or `None` when it is not in Cyrillic.
/// Letters only these languages use decide (Kazakh `әғқңөұүһ`, Ukrainian `іїєґ` and the
/// apostrophe inside a word, Russian `ыэъё`); a sentence with none of them takes the language
/// of the text around it (a few hundred chars either side), then the article's.
fn sentence_lexicon(
    chars: &[char],
    from: usize,
    to: usize,
    default: Lang,
) -> Option<&'static Lexicon> {
    let own = letters(&chars[from..to]);
    if own.cyrillic == 0 || own.cyrillic < own.latin {
        return None;
    }
    // The paragraph around it, at most a few hundred chars either side.
    let around = || {
        let floor = from.saturating_sub(600);
        let start = chars[floor..from]
            .iter()
            .rposition(|&c| c == '\n')
            .map_or(floor, |p| floor + p + 1);
        let ceiling = (to + 600).min(chars.len());
        let end = chars[to..ceiling]
            .iter()
            .position(|&c| c == '\n')
            .map_or(ceiling, |p| to + p);
        letters(&chars[start..end])
    };
    let lang = own
        .decide()
        .or_else(|| around().decide())
        .unwrap_or(if default == Lang::En {
            Lang::Ru
        } else {
            default
        });
    Lexicon::of(lang)
}

/// Counts of the letters that tell the languages apart.
#[derive(Default)]
struct Letters {
    cyrillic: usize,
    latin: usize,
    kk: usize,
    uk: usize,
    ru: usize,
}

impl Letters {
    /// The language the letters decide, if they do.
    fn decide(&self) -> Option<Lang> {
        if self.kk > 0 {
            Some(Lang::Kk)
        } else if self.uk > 0 && self.ru == 0 {
            Some(Lang::Uk)
        } else if self.ru > 0 && self.uk == 0 {
            Some(Lang::Ru)
        } else if self.uk > self.ru {
            Some(Lang::Uk)
        } else if self.ru > self.uk {
            Some(Lang::Ru)
        } else {
            None
        }
    }
}

fn letters(chars: &[char]) -> Letters {
    let mut n = Letters::default();
    let mut prev_cyrillic = false;
    for &c in chars {
        // An apostrophe inside a Cyrillic word (п’ять, сім'я) is Ukrainian.
        if prev_cyrillic && matches!(c, '’' | 'ʼ' | '\'') {
            n.uk += 1;
        }
        prev_cyrillic = crate::text::is_cyrillic(c);
        if prev_cyrillic {
            n.cyrillic += 1;
            match c {
                'ә' | 'ғ' | 'қ' | 'ң' | 'ө' | 'ұ' | 'ү' | 'һ' | 'Ә' | 'Ғ' | 'Қ' | 'Ң' | 'Ө'
                | 'Ұ' | 'Ү' | 'Һ' => n.kk += 1,
                // Kazakh uses і too; without Kazakh's own letters it says Ukrainian.
                'ї' | 'є' | 'ґ' | 'і' | 'Ї' | 'Є' | 'Ґ' | 'І' => n.uk += 1,
                'ы' | 'э' | 'ъ' | 'ё' | 'Ы' | 'Э' | 'Ъ' | 'Ё' => n.ru += 1,
                _ => {}
            }
        } else if c.is_ascii_alphabetic() {
            n.latin += 1;
        }
    }
    n
}

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
fn norm(w: &str) -> std::borrow::Cow<'_, str> {
    if w.contains(['’', 'ʼ']) {
        std::borrow::Cow::Owned(w.replace(['’', 'ʼ'], "'"))
    } else {
        std::borrow::Cow::Borrowed(w)
    }
}

/// The number word `w` is, with the length in chars of the ending it carries (Kazakh
/// `мыңнан` is `мың` + `нан`; `жетеуі` is `жетеу` + `і`).
fn number_word(lex: &'static Lexicon, w: &str) -> Option<(NumWord, usize)> {
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
            for &(w, n) in super::lexicon::kk::LEXICON.numbers {
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
fn qualifier_at(tokens: &[Tok], i: usize, lex: &Lexicon) -> Option<(usize, Qualifier)> {
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
fn read(chars: &[char], tokens: &[Tok], i: usize, lex: &'static Lexicon) -> Option<Reading> {
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

// ---------------------------------------------------------------------------------------
// Preparing a candidate

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

fn prepare<'t, 'a>(
    tokens: &'t [Tok<'a>],
    lex: &'static Lexicon,
    r: Reading,
    s_start: usize,
    s_end: usize,
    options: super::Options,
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

fn is_cyrillic_word(w: &str) -> bool {
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

// ---------------------------------------------------------------------------------------
// Finding figures

/// Whether token `t` may start a figure in `lex`: a digit, a number word, a qualifier or
/// the word that opens a range. Cheap: most words are none of these.
fn may_start(tokens: &[Tok], i: usize, lex: &'static Lexicon) -> bool {
    let t = &tokens[i];
    t.starts_with_digit()
        || number_word(lex, t.lower).is_some()
        || (!lex.range.0.is_empty() && t.is(lex.range.0))
        || qualifier_at(tokens, i, lex).is_some()
}

/// What happened to one number: a figure, or the rule that rejected it.
pub(super) enum Verdict {
    /// A figure.
    Figure(FigureSuggestion),
    /// Not a figure, and why (a rule's name).
    Rejected(Span, &'static str),
}

/// A sentence (token range) and the token ranges where it names a source.
type SentenceSources = ((usize, usize), Vec<(usize, usize)>);

/// Figures (and the numbers rejected, with the rule) in the Cyrillic sentences of the text.
pub(super) fn judge_all(
    chars: &[char],
    tokens: &[Tok],
    quotes: &[QuoteSuggestion],
    options: super::Options,
    default: Lang,
) -> Vec<Verdict> {
    let mut out = Vec::new();
    let mut sentence: Option<(usize, usize, Option<&'static Lexicon>)> = None;
    let mut sources: Option<SentenceSources> = None;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.kind != TokKind::Word {
            i += 1;
            continue;
        }
        let c0 = t.lower.as_bytes()[0];
        // A digit is read here only with a Cyrillic word next to it: the digits of English
        // sentences (most of an English text's numbers) cost no sentence scan.
        let candidate = if c0.is_ascii_digit() {
            super::next_to_cyrillic(tokens, i)
        } else {
            is_cyrillic_word(t.lower)
        };
        if !candidate {
            i += 1;
            continue;
        }
        let (s_start, s_end, lex) = match sentence {
            Some((s, e, lex)) if s <= i && i < e => (s, e, lex),
            _ => {
                let s = super::sentence_start(tokens, i);
                let e = super::sentence_end(tokens, i).max(i + 1);
                let lex = sentence_lexicon(chars, tokens[s].start, tokens[e - 1].end, default);
                sentence = Some((s, e, lex));
                (s, e, lex)
            }
        };
        let Some(lex) = lex else {
            i += 1;
            continue;
        };
        if !may_start(tokens, i, lex) {
            i += 1;
            continue;
        }
        let Some(r) = read(chars, tokens, i, lex) else {
            i += 1;
            continue;
        };
        let next = r.next.max(i + 1);
        let c = prepare(tokens, lex, r, s_start, s_end, options);
        if let Some(rule) = RULES.iter().find(|rule| (rule.test)(&c)) {
            out.push(Verdict::Rejected(c.r.span, rule.name));
        } else {
            if sources.as_ref().is_none_or(|(s, _)| *s != (s_start, s_end)) {
                sources = Some(((s_start, s_end), source_spans(tokens, lex, s_start, s_end)));
            }
            let spans = sources.as_ref().map_or(&[][..], |(_, v)| v.as_slice());
            out.push(Verdict::Figure(figure_of(chars, &c, quotes, spans)));
        }
        i = next;
    }
    out
}

/// The figure a candidate no rule rejected.
fn figure_of(
    chars: &[char],
    c: &Candidate,
    quotes: &[QuoteSuggestion],
    sources: &[(usize, usize)],
) -> FigureSuggestion {
    let who = match c.noun {
        Some(k)
            if c.noun_kind == NounKind::People && !matches(c.lex.generic, c.tokens[k].lower) =>
        {
            // The noun with the adjectives before it ("пожилых жителей").
            text_of(chars, c.tokens[c.r.next].start, c.tokens[k].end).to_lowercase()
        }
        _ => "people".to_owned(),
    };
    let mut metric = c.metric.unwrap_or("other");
    if metric == "other"
        && c.noun.is_some_and(|k| {
            matches(
                &[
                    "участник*",
                    "учасник*",
                    "қатысушы*",
                    "человек",
                    "людей",
                    "осіб",
                    "адам",
                ],
                c.tokens[k].lower,
            )
        })
        && sentence_has(c, c.lex.protest)
    {
        metric = "protesters";
    }
    let source = quote_covering(quotes, c.r.span)
        .map(|q| q.speaker.clone())
        .or_else(|| source_in(chars, c, sources))
        .unwrap_or_default();
    FigureSuggestion {
        span: c.r.span,
        exact: text_of(chars, c.r.span.start, c.r.span.end),
        figure: FigureAttrs {
            value_low: Some(c.r.low),
            value_high: c.r.high,
            qualifier: c.r.qualifier,
            metric: metric.to_owned(),
            who,
            source,
            ..FigureAttrs::default()
        },
    }
}

/// The source a sentence names: "по данным полиции" → "полиции", "за даними ДСНС" →
/// "ДСНС"; Kazakh puts the source before its marker ("ТЖМ мәліметінше"). Written as in the
/// text: these languages inflect, and a wrong nominative is worse than the text's own form.
fn source_in(chars: &[char], c: &Candidate, spans: &[(usize, usize)]) -> Option<String> {
    spans
        .iter()
        .find(|&&(from, to)| from < to && (to <= c.r.first || from >= c.r.next))
        .map(|&(from, to)| text_of(chars, c.tokens[from].start, c.tokens[to - 1].end))
}

/// Where the sentence `s_start..s_end` names a source (token ranges), found once per
/// sentence for all its figures: a run of text without stops has hundreds of figures, and
/// reading its markers for each made it quadratic.
fn source_spans(
    tokens: &[Tok],
    lex: &'static Lexicon,
    s_start: usize,
    s_end: usize,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for k in s_start..s_end {
        if !tokens[k].is_word() {
            continue;
        }
        for marker in lex.source_markers {
            let fits = marker
                .iter()
                .enumerate()
                .all(|(n, w)| tokens.get(k + n).is_some_and(|t| t.is(w)));
            if !fits {
                continue;
            }
            out.push(if lex.lang == Lang::Kk {
                // Back to the previous punctuation, at most four words.
                let mut s = k;
                while s > s_start && k - s < 4 && tokens[s - 1].is_word() {
                    s -= 1;
                }
                (s, k)
            } else {
                let from = k + marker.len();
                let mut e = from;
                while e < s_end
                    && e - from < 4
                    && tokens[e].is_word()
                    && !is_number_token(tokens, e, lex)
                {
                    e += 1;
                }
                (from, e)
            });
        }
    }
    out
}

fn is_number_token(tokens: &[Tok], k: usize, lex: &'static Lexicon) -> bool {
    tokens[k].starts_with_digit() || number_word(lex, tokens[k].lower).is_some()
}

#[cfg(test)]
mod tests {
    use super::super::{Options, suggest};
    use super::RULES;

    fn figures(text: &str) -> Vec<(String, f64)> {
        suggest(text, Options::default())
            .figures
            .into_iter()
            .map(|f| (f.exact, f.figure.value_low.unwrap_or(-1.0)))
            .collect()
    }

    #[test]
    fn every_rule_rejects_its_example() {
        /// Examples rejected by an earlier rule than their own, and that rule.
        const SHADOWED: &[(&str, &str)] = &[
            ("анықтама телефоны 8", "label"),
            ("97%", "unit-money-after"),
            ("в возрасте 67 лет", "unit-money-duration"),
            ("45 жастағы", "unit-money-duration"),
            ("9,6 метра", "unit-money-duration"),
            ("940 үй", "unit-money-duration"),
            ("на шахте работают около 2 800 человек", "deployment"),
            ("получили 96 обращений", "counts-a-thing"),
        ];
        let mut failed = Vec::new();
        for rule in RULES {
            for example in rule.example.split("; ") {
                let example = example.split(" (").next().unwrap_or(example);
                let found = super::super::explain(example, Options::default());
                // Some examples meet an earlier rule first, which names them instead: listed,
                // so that a change in which rule speaks is seen.
                let expected = SHADOWED
                    .iter()
                    .find(|(e, _)| *e == example)
                    .map_or(rule.name, |(_, by)| *by);
                if !found.iter().any(|(_, why)| *why == expected) {
                    failed.push(format!("{} {example:?}: {found:?}", rule.name));
                }
            }
        }
        assert!(failed.is_empty(), "{failed:#?}");
    }

    #[test]
    fn russian_figures_in_their_shapes() {
        let cases: &[(&str, &str, f64)] = &[
            (
                "Задержаны более 3,5 тысячи человек.",
                "более 3,5 тысячи",
                3500.0,
            ),
            ("Погибли 118 человек.", "118", 118.0),
            (
                "Эвакуированы около 12\u{a0}000 жителей.",
                "около 12\u{a0}000",
                12000.0,
            ),
            ("В результате погибли трое.", "трое", 3.0),
            (
                "Задержаны около пяти тысяч протестующих.",
                "около пяти тысяч",
                5000.0,
            ),
            ("Ранены полторы тысячи человек.", "полторы тысячи", 1500.0),
            ("Эвакуированы 6,1 тыс. человек.", "6,1 тыс.", 6100.0),
            ("Число погибших возросло до 131.", "131", 131.0),
            (
                "Пострадали десятки тысяч человек.",
                "десятки тысяч",
                20000.0,
            ),
            ("Задержаны от 200 до 300 человек.", "от 200 до 300", 200.0),
            ("На акцию вышли 12–15 тыс. человек.", "12–15 тыс.", 12000.0),
        ];
        expect_one_figure_each(cases);
    }

    /// Each text gives exactly the one figure, with the value.
    fn expect_one_figure_each(cases: &[(&str, &str, f64)]) {
        for (text, exact, value) in cases {
            let got = figures(text);
            assert_eq!(got, vec![((*exact).to_owned(), *value)], "in {text:?}");
        }
    }

    #[test]
    fn kazakh_and_ukrainian_figures() {
        let cases: &[(&str, &str, f64)] = &[
            ("Жарылыстан 87 адам қаза тапты.", "87", 87.0),
            (
                "3 мыңнан астам адам эвакуацияланды.",
                "3 мыңнан астам",
                3000.0,
            ),
            ("Зардап шеккендердің жетеуі ауруханада.", "жетеуі", 7.0),
            ("Унаслідок удару загинули 64 людини.", "64", 64.0),
            (
                "Евакуйовано понад 118 тисяч мешканців.",
                "понад 118 тисяч",
                118_000.0,
            ),
            ("Затримано трьох тисяч учасників.", "трьох тисяч", 3000.0),
            ("Загинули п’ятеро людей.", "п’ятеро", 5.0),
        ];
        expect_one_figure_each(cases);
    }

    #[test]
    fn not_figures() {
        for text in [
            "Штраф составит до 300 тыс. рублей.",
            "Мужчине 34 года, его задержали 15 ноября 2023 года.",
            "К работам привлечены свыше 2 500 спасателей и 150 единиц техники.",
            "Он осуждён по статье 212 на срок от 5 до 15 суток.",
            "Вода поднялась на 85 сантиметров, подтоплены 1 240 домов.",
            "Горячая линия: 0 800 500 118.",
            "Погибли двое, — сказал он.",
        ] {
            let got = figures(text);
            assert!(
                got.iter().all(|(e, _)| e == "двое"),
                "{text:?} gave {got:?}"
            );
        }
    }

    #[test]
    fn hostile_text_does_not_panic() {
        let long = "более ".repeat(200_000);
        let _ = figures(&long);
        let _ = figures("12\n000 человек погибли; 1 2 3 4 5 6 7 8 9 000 000 000 000 000 000");
        let _ = figures("Пoгибли 12 чeловек (Latin o and e inside Cyrillic words)");
        let _ = figures("от до от 5 до – — 12–– тыс. тыс. мыңнан астам астам");
        let _ = figures(&"9".repeat(400));
    }
}
