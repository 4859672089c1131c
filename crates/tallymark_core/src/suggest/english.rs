//! Figures read by the English rules: the word lists, reading a number phrase, and
//! `judge_figure`, which names the rule that turns a number down.

use super::{
    FigureAttrs, FigureSuggestion, Options, People, Qualifier, QuoteSuggestion, Span, Tok, TokKind,
    attribution_in, class, is_close_mark, is_open_mark, parse_figure, sentence_end, sentence_start,
    text_of,
};

/// Words other than number words that can begin a figure: vague amounts, qualifiers, "a".
pub(super) const FIGURE_STARTS: &[&str] = &[
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
pub(super) const PEOPLE_NOUNS: &[&str] = &[
    "swimmers",
    "bathers",
    "arrivals",
    "newcomers",
    "customers",
    "clients",
    "parents",
    "campers",
    "pedestrians",
    "motorists",
    "cyclists",
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
pub(super) const DEPLOYABLE: &[&str] = &[
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
pub(super) const DEPLOYABLE_IN_CONTEXT: &[&str] = &[
    "divers",
    "volunteers",
    "staff",
    "stewards",
    "guards",
    "teachers",
    "employees",
    "workers",
];

/// Verbs that make a count of staff or volunteers a deployment.
pub(super) const DEPLOY_VERBS: &[&str] = &[
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
pub(super) const THINGS: &[&str] = &[
    "blocks",
    "neighbourhoods",
    "neighborhoods",
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
pub(super) const METRIC_WORDS: &[(&[&str], &str)] = &[
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
    (&["arresting"], "arrested"),
    (&["arrests"], "arrested"),
    (&["charged"], "arrested"),
    (&["rounded", "up"], "arrested"),
    (&["detained"], "detained"),
    (&["detain"], "detained"),
    (&["detains"], "detained"),
    (&["detaining"], "detained"),
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
    (&["evacuating"], "evacuated"),
    (&["evacuates"], "evacuated"),
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
pub(super) const AUX: &[&str] = &[
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
pub(super) const MONEY: &[&str] = &[
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
pub(super) const UNITS: &[&str] = &[
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

pub(super) const POSSESSIVES: &[&str] = &["her", "his", "my", "their", "our", "your", "its"];

// One pass of readable rules; splitting it would scatter the order they apply in.
/// Figures read by the English rules. When `rejected` is given, every number phrase they
/// turned down is added to it with the name of the rule (for [`explain`]).
pub(super) fn find_figures(
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
            && !(t.starts_with_digit() && next_to_cyrillic(tokens, i))
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
pub(super) fn next_to_cyrillic(tokens: &[Tok], i: usize) -> bool {
    let cyr = |t: &Tok| {
        t.kind == TokKind::Word && t.lower.chars().next().is_some_and(crate::text::is_cyrillic)
    };
    tokens[i.saturating_sub(2)..(i + 2).min(tokens.len())]
        .iter()
        .any(cyr)
}

/// "up from N", "down from N", or "to N" after a "from" in the same sentence: a second value
/// of a count already given.
pub(super) fn is_another_value(tokens: &[Tok], i: usize) -> bool {
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
pub(super) fn is_trigger(tokens: &[Tok], i: usize) -> bool {
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
        n.starts_with_digit()
            || is_number_word(n.lower)
            || n.has(class::VAGUE_STARTS)
            || n.is_any(&["dozen", "hundred", "thousand", "million"])
    })
}

/// Words that open a vague amount ("dozens", "tens of thousands").
pub(super) const VAGUE_STARTS: &[&str] = &[
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
pub(super) fn is_number_word(w: &str) -> bool {
    crate::figure::unit_word(w).is_some() || matches!(w, "hundred" | "dozen")
}

/// Reads a figure phrase starting exactly at token `i`: its char span, the parse and the
/// index of the first token after it.
pub(super) fn figure_at(
    chars: &[char],
    tokens: &[Tok],
    i: usize,
) -> Option<(Span, crate::figure::ParsedFigure, usize)> {
    let t = &tokens[i];
    // Page furniture and times: 24/7, 14:05; and the minutes of a time, which would
    // otherwise start a phrase of their own ("16:45 — 11 hostages released" is no range).
    if tokens
        .get(i + 1)
        .is_some_and(|n| n.is_any(&["/", ":"]) && n.start == t.end)
        || i >= 2
            && tokens[i - 1].is_any(&["/", ":"])
            && tokens[i - 1].end == t.start
            && tokens[i - 2].end == tokens[i - 1].start
            && tokens[i - 2].starts_with_digit()
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
pub(super) fn judge_figure(
    chars: &[char],
    tokens: &[Tok],
    people: &People,
    quotes: &[QuoteSuggestion],
    options: Options,
    first: usize,
    next: usize,
    span: Span,
    parsed: &crate::figure::ParsedFigure,
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
    // "quoting incident 214 of 11 March" — but "in the incident 12 people were killed".
    if prev(1).is_some_and(|p| p.is_any(&["incident", "reference", "ticket"]))
        && !after(0).is_some_and(|a| a.has(class::PEOPLE_NOUNS))
    {
        return Err("label-before");
    }
    // "11 March", "March 3rd", "May 2024" — but not "On 11 March 300 people were evacuated":
    // a day is at most 31.
    let day_or_year = (head.lower.len() == 4 && head.lower.bytes().all(|b| b.is_ascii_digit()))
        || head
            .lower
            .parse::<u32>()
            .is_ok_and(|d| (1..=31).contains(&d))
        || ["st", "nd", "rd", "th"]
            .iter()
            .any(|s| head.lower.ends_with(s));
    if day_or_year
        && (prev(1).is_some_and(|p| p.has(class::MONTHS))
            || after(0).is_some_and(|a| a.has(class::MONTHS)))
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
        || (1..=3).any(|k| {
            // Within the sentence: "the youngest aged 15. Twelve people are still held".
            first
                .checked_sub(k)
                .is_some_and(|p| p >= s_start && tokens[p].is_any(&["aged", "ages"]))
        })
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
            // A figure alone on its line, captioned by the next ("19" then "Fishermen
            // rescued from the trawler…"): a round-up's numbers-first layout.
            if w.kind == TokKind::Break
                && k == next
                && (first == 0 || tokens[first - 1].kind == TokKind::Break)
                && tokens
                    .get(k + 1)
                    .is_some_and(|n| n.capital && n.has(class::PEOPLE_NOUNS))
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
            // Headlines are in the present: "Police detain hundreds as protests spread".
            "detain",
            "detains",
            "evacuate",
            "evacuates",
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
    // A line of a key-figures block: "Deaths: 47", "- People displaced: more than 85,000".
    let key_figure = who.is_none() && verb_metric.is_none() && {
        let label = key_figure_label(tokens, first, next);
        if let Some(&noun) = label.as_deref().and_then(|ws| {
            ws.iter()
                .rev()
                .find(|&&w| tokens[w].has(class::PEOPLE_NOUNS))
        }) {
            who = Some(tokens[noun].lower.to_owned());
        }
        label.is_some()
    };
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
        && !key_figure
    {
        return Err("no-people");
    }
    // "carries about 2 million passengers a year": a rate of travellers or visitors ("kill
    // around 25 people a year", "3,000 migrants a year drown" are figures).
    if let Some(n) = noun_at
        && verb_metric.is_none()
        && !sentence_has_metric(tokens, s_start, s_end)
        && tokens[n].is_any(&[
            "passengers",
            "visitors",
            "tourists",
            "customers",
            "commuters",
            "travellers",
            "travelers",
            "spectators",
            "guests",
            "pilgrims",
        ])
        && (tokens.get(n + 1).is_some_and(|t| t.is("annually"))
            || tokens
                .get(n + 1)
                .is_some_and(|t| t.is_any(&["a", "each", "every"]))
                && tokens
                    .get(n + 2)
                    .is_some_and(|t| t.is_any(&["year", "day", "week", "month"])))
    {
        return Err("rate-a-year");
    }
    // "An earlier version of this article said eleven pupils…": the number corrected.
    if tokens[s_start..first]
        .windows(2)
        .any(|w| w[0].is_any(&["earlier", "previous"]) && w[1].is("version"))
    {
        return Err("corrected");
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
    let number_tok = |t: &Tok| t.starts_with_digit() || is_number_word(t.lower);
    // "the jury of seven women and five men": who sits on a jury or a panel is counted, but
    // not as people affected. Only the jury's own make-up (numbers, people nouns, "and")
    // may stand between "of" and the figure: "A UN panel of experts said 300 civilians
    // were killed" is a figure.
    let jury = (first.saturating_sub(6).max(s_start)..first).any(|j| {
        tokens[j].is_any(&["jury", "panel", "bench"])
            && tokens.get(j + 1).is_some_and(|t| t.is("of"))
            && tokens[j + 2..first]
                .iter()
                .all(|t| t.is_any(&["and", ","]) || t.has(class::PEOPLE_NOUNS) || number_tok(t))
    });
    if jury {
        return Err("jury-or-panel");
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
pub(super) fn quote_covering(quotes: &[QuoteSuggestion], span: Span) -> Option<&QuoteSuggestion> {
    let idx = quotes.partition_point(|q| q.span.start <= span.start);
    quotes[..idx].last().filter(|q| q.span.covers(span))
}

/// The casualty metric signalled by the word(s) at token `k`, if any.
pub(super) fn metric_at(tokens: &[Tok], k: usize) -> Option<&'static str> {
    let t = tokens.get(k)?;
    if !t.has(class::METRIC_HEAD) {
        return None;
    }
    // "11 March", "on March 3", "in March": the month, not a protest march.
    let digit = |j: Option<usize>| {
        j.and_then(|j| tokens.get(j))
            .is_some_and(Tok::starts_with_digit)
    };
    if t.is("march")
        && (digit(k.checked_sub(1))
            || digit(Some(k + 1))
            || t.capital && k > 0 && !tokens[k - 1].ends_sentence())
    {
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

/// The words of a key-figures label when the figure `first..next` ends its line and
/// follows one at the line's start: `Deaths: 47`, `- Missing: at least 16`, `In hospital or
/// clinics: about 3,100`. The label, of at most six words, names a casualty or people in
/// care, and is headed by neither a thing (`Homes destroyed: 120`) nor an age or a phone.
fn key_figure_label(tokens: &[Tok], first: usize, next: usize) -> Option<Vec<usize>> {
    if !tokens.get(next).is_none_or(|t| t.kind == TokKind::Break)
        || first == 0
        || !tokens[first - 1].is(":")
    {
        return None;
    }
    let mut words = Vec::new();
    let mut k = first - 1;
    while k > 0 && tokens[k - 1].kind != TokKind::Break {
        k -= 1;
        let t = &tokens[k];
        if t.is_word() {
            words.push(k);
            // A label is short; a long line is not walked back to its start.
            if words.len() > 6 {
                return None;
            }
        } else if !t.is_any(&["-", "–", "•", "*", "(", ")"]) {
            return None;
        }
    }
    words.reverse();
    // A casualty, or a word for those in care: "Residents of the town: 4,500" is a
    // population, "Average age of the victims: 47" an age, "Phone for relatives: 0800 555"
    // a number to call.
    let names = |w: &usize| {
        metric_at(tokens, *w).is_some()
            || tokens[*w].is_any(&[
                "hospital",
                "hospitals",
                "casualties",
                "fatalities",
                "cases",
                "patients",
                "affected",
            ])
    };
    if tokens[first].lower.starts_with('0')
        || words.iter().any(|&w| {
            tokens[w].is_any(&[
                "age",
                "ages",
                "average",
                "phone",
                "telephone",
                "helpline",
                "hotline",
                "number",
                "population",
            ])
        })
    {
        return None;
    }
    // The label's head comes first: "Homes destroyed" counts homes, "In hospital or
    // clinics" people.
    let head_counts_people = words
        .first()
        .is_some_and(|w| names(w) || !tokens[*w].has(class::THINGS));
    (head_counts_people && words.iter().any(names)).then_some(words)
}

/// "in 1971", "since 2019", "by 2030": a bare four-digit number after a preposition.
pub(super) fn is_year_or_age_context(tokens: &[Tok], first: usize, next: usize) -> bool {
    next == first + 1
        && tokens[first].lower.len() == 4
        && tokens[first].lower.chars().all(|c| c.is_ascii_digit())
}

/// The value of a count: "toll rose to N", "the number of refugees … to N", "the crowd at
/// N", or "climbed to N" after a sentence about the toll. Returns which kind of count.
pub(super) fn count_value(tokens: &[Tok], first: usize, s_start: usize) -> Option<&'static str> {
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
            // "the crowd numbered about 8,000".
            | "numbered"
            | "numbers"
    ) {
        return None;
    }
    // "whose population numbers about 40,000": a population, not a count of people hit.
    if matches!(last, "numbered" | "numbers") && before.contains(&"population") {
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
pub(super) fn sentence_has_metric(tokens: &[Tok], from: usize, to: usize) -> bool {
    (from..to).any(|k| metric_at(tokens, k).is_some())
}

pub(super) fn is_toll_value(before: &[&str], tokens: &[Tok], s_start: usize) -> bool {
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
