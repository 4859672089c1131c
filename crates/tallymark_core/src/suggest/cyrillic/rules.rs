//! The named reject rules, in order, and what they ask of a candidate's sentence.

use super::{Candidate, NounKind};
use crate::suggest::lexicon::matches;
use crate::suggest::{Lang, Tok};

/// A named reason a number is not a figure.
pub(super) struct Rule {
    /// Short name, printed by the quality test and `--explain`.
    pub(super) name: &'static str,
    /// An example it rejects (tested in `tests`).
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "documentation, checked by the tests")
    )]
    pub(super) example: &'static str,
    /// Whether it rejects the candidate.
    pub(super) test: fn(&Candidate) -> bool,
}

/// The reject rules, in order. The first that matches names the reason.
pub(super) const RULES: &[Rule] = &[
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
pub(super) fn sentence_has(c: &Candidate, list: &[&str]) -> bool {
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
