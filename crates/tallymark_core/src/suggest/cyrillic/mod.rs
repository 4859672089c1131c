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
//!
//! One file a step: `numbers` reads, `candidate` prepares, `rules` judges, and `lang` says
//! which lexicon a sentence is read with; finding and judging every candidate is here.

mod candidate;
mod lang;
mod numbers;
mod rules;

use super::lexicon::{Lexicon, matches};
use super::{FigureSuggestion, Lang, QuoteSuggestion, Tok, TokKind, quote_covering, text_of};
use crate::annotation::{FigureAttrs, Qualifier};
use crate::span::Span;
use candidate::{is_cyrillic_word, prepare};
use lang::sentence_lexicon;
use numbers::{number_word, qualifier_at, read};
use rules::{RULES, sentence_has};

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
