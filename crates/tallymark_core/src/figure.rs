//! Parsing the number out of a figure's text: "more than 10,000", "about 164", "eight",
//! "between 5,000 and 6,000", "tens of thousands", "1.7 million".
//!
//! The parser reads a short phrase (what the user selected) and returns the value, an
//! optional upper bound and the qualifier. It never fails loudly: a phrase without a number
//! yields `None`, and the user fills the fields in by hand.

use super::annotation::Qualifier;

/// The result of parsing a figure phrase.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedFigure {
    /// The stated value or the floor of a range or vague amount.
    pub low: f64,
    /// The top of a range.
    pub high: Option<f64>,
    /// How the number is hedged.
    pub qualifier: Qualifier,
    /// Char range of the number (with its qualifier) inside the parsed phrase.
    pub start: usize,
    /// End of that char range (exclusive).
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq)]
struct Token {
    /// Lower-cased text with surrounding punctuation stripped.
    text: String,
    start: usize,
    end: usize,
}

/// Splits a phrase into lower-cased words with their char offsets. Dashes between two
/// numbers ("200-300", "200–300") become their own token so ranges can be read.
fn tokenize(phrase: &str) -> Vec<Token> {
    let chars: Vec<char> = phrase.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        let mut s = start;
        let mut e = i;
        let strip = |c: char| !(c.is_alphanumeric() || c == '-' || c == '–' || c == '—');
        while s < e && strip(chars[s]) {
            s += 1;
        }
        while e > s && strip(chars[e - 1]) {
            e -= 1;
        }
        if s == e {
            continue;
        }
        // "200-300" → "200", "-", "300"; keep "twenty-six" together.
        let word: String = chars[s..e].iter().collect();
        let dash = word
            .char_indices()
            .find(|&(_, c)| matches!(c, '-' | '–' | '—'))
            .map(|(b, _)| word[..b].chars().count());
        match dash {
            Some(d)
                if d > 0
                    && chars[s + d - 1].is_ascii_digit()
                    && chars.get(s + d + 1).is_some_and(char::is_ascii_digit) =>
            {
                tokens.push(token(&chars, s, s + d));
                tokens.push(Token {
                    text: "-".to_owned(),
                    start: s + d,
                    end: s + d + 1,
                });
                tokens.push(token(&chars, s + d + 1, e));
            }
            _ => tokens.push(token(&chars, s, e)),
        }
    }
    tokens
}

fn token(chars: &[char], start: usize, end: usize) -> Token {
    let text = chars[start..end].iter().collect::<String>().to_lowercase();
    Token {
        text: text.replace(['–', '—'], "-"),
        start,
        end,
    }
}

/// The value of a number word (`eight`, `twenty-six`), or `None`.
pub(crate) fn unit_word(w: &str) -> Option<f64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = UNITS.iter().position(|u| *u == w) {
        return Some(i as f64);
    }
    if let Some(i) = TENS.iter().position(|t| *t == w) {
        return Some(((i + 2) * 10) as f64);
    }
    // "twenty-six"
    let (tens, unit) = w.split_once('-')?;
    let t = TENS.iter().position(|x| *x == tens)?;
    let u = UNITS
        .iter()
        .position(|x| *x == unit)
        .filter(|&u| (1..10).contains(&u))?;
    Some(((t + 2) * 10 + u) as f64)
}

fn scale_word(w: &str) -> Option<f64> {
    match w {
        "hundred" => Some(100.0),
        "thousand" | "k" => Some(1_000.0),
        "million" | "mln" | "m" => Some(1_000_000.0),
        "billion" | "bn" => Some(1_000_000_000.0),
        _ => None,
    }
}

/// Parses digits with separators: `10,000`, `10.000` (European), `1.7`, `164`, `2k`.
fn digits(w: &str) -> Option<f64> {
    let w = w.trim_start_matches('~');
    if w.is_empty() || !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if !w
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    let groups_of_three = |sep: char| {
        let parts: Vec<&str> = w.split(sep).collect();
        parts.len() > 1
            && (1..=3).contains(&parts[0].len())
            && parts[1..].iter().all(|p| p.len() == 3)
            && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
    };
    if w.contains(',') && !w.contains('.') && groups_of_three(',') {
        return w.replace(',', "").parse().ok();
    }
    if w.contains('.') && !w.contains(',') && groups_of_three('.') {
        // "10.000": European thousands. A decimal with exactly three digits after a
        // single point is rare in counts of people, so thousands wins.
        return w.replace('.', "").parse().ok();
    }
    if w.contains(',') && w.contains('.') {
        // "1,234.5" (English) or "1.234,5" (European).
        let (int, frac) = if w.rfind('.') > w.rfind(',') {
            (w[..w.rfind('.')?].replace(',', ""), &w[w.rfind('.')? + 1..])
        } else {
            (w[..w.rfind(',')?].replace('.', ""), &w[w.rfind(',')? + 1..])
        };
        return format!("{int}.{frac}").parse().ok();
    }
    if w.contains(',') {
        // "1,5" European decimal.
        return w.replace(',', ".").parse().ok();
    }
    w.parse().ok()
}

/// A number starting at token `i`: returns its value and the index after it.
fn number_at(tokens: &[Token], i: usize) -> Option<(f64, usize)> {
    let first = tokens.get(i)?;
    let mut j = i;
    let mut value;
    if let Some(v) = digits(&first.text) {
        value = v;
        j += 1;
        // "10 000": a space as thousands separator.
        while let Some(next) = tokens.get(j) {
            let prev = &tokens[j - 1];
            if next.start == prev.end + 1
                && next.text.len() == 3
                && next.text.chars().all(|c| c.is_ascii_digit())
                && value.fract() == 0.0
                && value < 1000.0
            {
                value = value * 1000.0 + next.text.parse::<f64>().unwrap_or(0.0);
                j += 1;
            } else {
                break;
            }
        }
    } else if first.text == "half"
        && tokens.get(i + 1).is_some_and(|t| t.text == "a")
        && tokens.get(i + 2).is_some_and(|t| t.text == "dozen")
    {
        // "half a dozen".
        return Some((6.0, i + 3));
    } else if first.text == "a" || first.text == "an" {
        // "a dozen", "a hundred", "a thousand".
        let next = tokens.get(i + 1)?;
        if next.text == "dozen" {
            return Some((12.0, i + 2));
        }
        scale_word(&next.text)?;
        value = 1.0;
        j += 1;
    } else if first.text == "dozen" {
        return Some((12.0, i + 1));
    } else {
        // Number words: "one hundred sixty-four", "twenty-six", "eight". A number word may
        // only follow a scale word, "and" after one, or a tens word (for the unit): "six and
        // eight" and "six eight" are two numbers, not fourteen.
        #[derive(Clone, Copy, PartialEq)]
        enum Last {
            Start,
            Unit,
            Tens,
            Scale,
            And,
        }
        let mut total = 0.0;
        let mut current = 0.0;
        let mut any = false;
        let mut last = Last::Start;
        while let Some(t) = tokens.get(j) {
            if let Some(u) = unit_word(&t.text) {
                let is_tens = u >= 20.0 && u % 10.0 == 0.0;
                let fits = match last {
                    Last::Start | Last::Scale | Last::And => true,
                    Last::Tens => u < 10.0,
                    Last::Unit => false,
                };
                if !fits {
                    break;
                }
                current += u;
                last = if is_tens { Last::Tens } else { Last::Unit };
            } else if t.text == "hundred" && any && last != Last::And {
                current = current.max(1.0) * 100.0;
                last = Last::Scale;
            } else if (t.text == "thousand" || t.text == "million" || t.text == "billion")
                && any
                && last != Last::And
            {
                let scale = scale_word(&t.text).unwrap_or(1.0);
                total += current.max(1.0) * scale;
                current = 0.0;
                last = Last::Scale;
            } else if t.text == "and"
                && last == Last::Scale
                && tokens
                    .get(j + 1)
                    .is_some_and(|n| unit_word(&n.text).is_some())
            {
                // "one hundred and sixty-four"
                last = Last::And;
            } else if t.text == "dozen" && any && last != Last::And {
                current *= 12.0;
                last = Last::Scale;
            } else {
                break;
            }
            any = true;
            j += 1;
        }
        if !any {
            return None;
        }
        return Some((total + current, j));
    }
    // Scale words after digits: "1.7 million", "10 thousand", "2 million".
    while let Some(s) = tokens.get(j).and_then(|t| scale_word(&t.text)) {
        value *= s;
        j += 1;
    }
    Some((value, j))
}

/// Vague amounts: (words, floor).
const VAGUE: [(&[&str], f64); 17] = [
    (&["tens", "of", "thousands"], 20_000.0),
    (&["several", "thousand"], 2_000.0),
    (&["several", "dozen"], 24.0),
    (&["low", "hundreds"], 200.0),
    (&["high", "hundreds"], 700.0),
    (&["low", "thousands"], 2_000.0),
    (&["high", "thousands"], 7_000.0),
    (&["a", "handful"], 5.0),
    (&["handful"], 5.0),
    (&["hundreds", "of", "thousands"], 200_000.0),
    (&["tens", "of", "millions"], 20_000_000.0),
    (&["dozens"], 24.0),
    (&["scores"], 40.0),
    (&["hundreds"], 200.0),
    (&["thousands"], 2_000.0),
    (&["millions"], 2_000_000.0),
    (&["several", "hundred"], 200.0),
];

/// Qualifier phrases, longest first so "no fewer than" wins over "fewer than".
const QUALIFIERS: [(&[&str], Qualifier); 27] = [
    (&["no", "more", "than"], Qualifier::UpTo),
    (&["not", "more", "than"], Qualifier::UpTo),
    (&["in", "excess", "of"], Qualifier::MoreThan),
    (&["well", "over"], Qualifier::MoreThan),
    (&["no", "fewer", "than"], Qualifier::AtLeast),
    (&["no", "less", "than"], Qualifier::AtLeast),
    (&["as", "many", "as"], Qualifier::UpTo),
    (&["more", "than"], Qualifier::MoreThan),
    (&["over"], Qualifier::MoreThan),
    (&["above"], Qualifier::MoreThan),
    (&["upwards", "of"], Qualifier::MoreThan),
    (&["at", "least"], Qualifier::AtLeast),
    (&["nearly"], Qualifier::Nearly),
    (&["almost"], Qualifier::Nearly),
    (&["close", "to"], Qualifier::Nearly),
    (&["about"], Qualifier::About),
    (&["around"], Qualifier::About),
    (&["some"], Qualifier::About),
    (&["roughly"], Qualifier::About),
    (&["approximately"], Qualifier::About),
    (&["an", "estimated"], Qualifier::About),
    (&["estimated"], Qualifier::About),
    (&["up", "to"], Qualifier::UpTo),
    (&["fewer", "than"], Qualifier::FewerThan),
    (&["less", "than"], Qualifier::FewerThan),
    (&["under"], Qualifier::FewerThan),
    (&["between"], Qualifier::Range),
];

fn words_at(tokens: &[Token], i: usize, words: &[&str]) -> bool {
    words
        .iter()
        .enumerate()
        .all(|(k, w)| tokens.get(i + k).is_some_and(|t| t.text == *w))
}

/// Parses the first figure in `phrase`.
///
/// ```
/// use tallymark_core::{figure::parse_figure, annotation::Qualifier};
/// let f = parse_figure("more than 10,000").unwrap();
/// assert_eq!((f.low, f.qualifier), (10_000.0, Qualifier::MoreThan));
/// assert_eq!(parse_figure("eight").unwrap().low, 8.0);
/// assert!(parse_figure("the police").is_none());
/// ```
#[must_use]
pub fn parse_figure(phrase: &str) -> Option<ParsedFigure> {
    let tokens = tokenize(phrase);
    let mut i = 0;
    while i < tokens.len() {
        // A number too large for f64 ("999…9" with 400 digits, or times a billion) reads
        // as infinity: it is no count of people, and would poison every comparison.
        if let Some(parsed) = figure_at(&tokens, i)
            && parsed.low.is_finite()
            && parsed.high.is_none_or(f64::is_finite)
        {
            return Some(parsed);
        }
        i += 1;
    }
    None
}

/// Tries to read a figure (qualifier + number or vague amount) beginning at token `i`.
fn figure_at(tokens: &[Token], i: usize) -> Option<ParsedFigure> {
    let (qualifier, n) = QUALIFIERS
        .iter()
        .find(|(words, _)| words_at(tokens, i, words))
        .map_or((None, i), |(words, q)| (Some(*q), i + words.len()));
    let start = tokens[i].start;
    if let Some((words, floor)) = VAGUE.iter().find(|(w, _)| words_at(tokens, n, w)) {
        let end = tokens[n + words.len() - 1].end;
        return Some(ParsedFigure {
            low: *floor,
            high: None,
            qualifier: Qualifier::Vague,
            start,
            end,
        });
    }
    // "50-odd", "50-something", "50-plus", "a 200-strong group".
    if let Some(t) = tokens.get(n)
        && let Some((num, suffix)) = t.text.split_once('-')
        && matches!(suffix, "odd" | "something" | "plus" | "strong")
        && let Some(v) = digits(num)
    {
        return Some(ParsedFigure {
            low: v,
            high: None,
            qualifier: match suffix {
                "plus" => Qualifier::MoreThan,
                "strong" => Qualifier::Exact,
                _ => Qualifier::About,
            },
            start,
            end: t.end,
        });
    }
    let (low, after) = number_at(tokens, n)?;
    // A year is not a count ("in 1937"), unless it is qualified.
    if qualifier.is_none() && is_year_like(&tokens[n].text) {
        return None;
    }
    let mut end = tokens[after - 1].end;
    let mut high = None;
    let joiner = tokens.get(after).map(|t| t.text.as_str());
    let is_between = qualifier == Some(Qualifier::Range);
    let joins = match joiner {
        Some("to" | "-") => true,
        Some("and") => is_between,
        _ => false,
    };
    if joins && let Some((mut h, after_high)) = number_at(tokens, after + 1) {
        // "5 to 6 million": the scale of the top applies to the bottom too.
        let mut low = low;
        if h > low * 10.0
            && let Some(scale) = trailing_scale(tokens, after + 1, after_high)
            && low * scale <= h
        {
            low *= scale;
        }
        if h < low {
            std::mem::swap(&mut h, &mut low);
        }
        end = tokens[after_high - 1].end;
        high = Some(h);
        return Some(ParsedFigure {
            low,
            high,
            qualifier: Qualifier::Range,
            start,
            end,
        });
    }
    if is_between {
        // "between 5,000" without a top: keep the number, call it a range of one.
        high = None;
    }
    Some(ParsedFigure {
        low,
        high,
        qualifier: qualifier.unwrap_or(Qualifier::Exact),
        start,
        end,
    })
}

fn trailing_scale(tokens: &[Token], from: usize, to: usize) -> Option<f64> {
    tokens[from..to]
        .iter()
        .rev()
        .find_map(|t| scale_word(&t.text))
}

fn is_year_like(w: &str) -> bool {
    w.len() == 4
        && w.chars().all(|c| c.is_ascii_digit())
        && w.parse::<u32>().is_ok_and(|y| (1800..=2100).contains(&y))
}

#[cfg(test)]
#[expect(
    clippy::float_cmp,
    reason = "parsed counts are small integers, exactly representable"
)]
mod tests {
    use super::*;

    fn p(s: &str) -> (f64, Option<f64>, Qualifier) {
        let f = parse_figure(s).unwrap_or_else(|| panic!("no figure in {s:?}"));
        (f.low, f.high, f.qualifier)
    }

    #[test]
    fn plain_cases_from_the_seed() {
        assert_eq!(p("more than 10,000"), (10_000.0, None, Qualifier::MoreThan));
        assert_eq!(p("2,000"), (2_000.0, None, Qualifier::Exact));
        assert_eq!(p("eight"), (8.0, None, Qualifier::Exact));
        assert_eq!(p("164"), (164.0, None, Qualifier::Exact));
        assert_eq!(p("About 164"), (164.0, None, Qualifier::About));
        assert_eq!(
            p("More than 160 people"),
            (160.0, None, Qualifier::MoreThan)
        );
        assert_eq!(p("26 protesters"), (26.0, None, Qualifier::Exact));
    }

    #[test]
    fn separators() {
        assert_eq!(p("10 000").0, 10_000.0);
        assert_eq!(p("10.000").0, 10_000.0);
        assert_eq!(p("1,234,567").0, 1_234_567.0);
        assert_eq!(p("1.234,5").0, 1_234.5);
    }

    #[test]
    fn scale_words() {
        assert_eq!(p("1.7 million").0, 1_700_000.0);
        assert_eq!(p("13.5 million").0, 13_500_000.0);
        assert_eq!(p("almost 10 thousand"), (10_000.0, None, Qualifier::Nearly));
        assert_eq!(p("2 million").0, 2_000_000.0);
    }

    #[test]
    fn number_words() {
        assert_eq!(p("twenty-six").0, 26.0);
        assert_eq!(p("one hundred sixty-four").0, 164.0);
        assert_eq!(p("one hundred and sixty-four").0, 164.0);
        assert_eq!(p("a dozen").0, 12.0);
        assert_eq!(p("two dozen").0, 24.0);
        assert_eq!(p("three thousand").0, 3_000.0);
        assert_eq!(p("a thousand").0, 1_000.0);
        assert_eq!(p("half a dozen"), (6.0, None, Qualifier::Exact));
        assert_eq!(
            p("in excess of 1,000"),
            (1_000.0, None, Qualifier::MoreThan)
        );
        assert_eq!(p("50-odd"), (50.0, None, Qualifier::About));
        assert_eq!(p("A handful"), (5.0, None, Qualifier::Vague));
        assert_eq!(p("low hundreds"), (200.0, None, Qualifier::Vague));
        assert_eq!(p("several thousand"), (2_000.0, None, Qualifier::Vague));
        assert_eq!(p("no more than 12,000"), (12_000.0, None, Qualifier::UpTo));
        assert_eq!(
            p("between six and eight"),
            (6.0, Some(8.0), Qualifier::Range),
            "two numbers, not fourteen"
        );
        assert_eq!(p("six eight").0, 6.0);
    }

    #[test]
    fn ranges() {
        assert_eq!(p("200 to 300"), (200.0, Some(300.0), Qualifier::Range));
        assert_eq!(p("200-300"), (200.0, Some(300.0), Qualifier::Range));
        assert_eq!(p("200–300"), (200.0, Some(300.0), Qualifier::Range));
        assert_eq!(
            p("between 5,000 and 6,000"),
            (5_000.0, Some(6_000.0), Qualifier::Range)
        );
        assert_eq!(
            p("5 to 6 million"),
            (5_000_000.0, Some(6_000_000.0), Qualifier::Range)
        );
    }

    #[test]
    fn vague_amounts() {
        assert_eq!(p("dozens"), (24.0, None, Qualifier::Vague));
        assert_eq!(p("Hundreds of people"), (200.0, None, Qualifier::Vague));
        assert_eq!(p("thousands"), (2_000.0, None, Qualifier::Vague));
        assert_eq!(p("tens of thousands"), (20_000.0, None, Qualifier::Vague));
    }

    #[test]
    fn every_qualifier() {
        let cases = [
            ("more than 5", Qualifier::MoreThan),
            ("over 5", Qualifier::MoreThan),
            ("above 5", Qualifier::MoreThan),
            ("at least 5", Qualifier::AtLeast),
            ("no fewer than 5", Qualifier::AtLeast),
            ("nearly 5", Qualifier::Nearly),
            ("almost 5", Qualifier::Nearly),
            ("about 5", Qualifier::About),
            ("around 5", Qualifier::About),
            ("some 5", Qualifier::About),
            ("roughly 5", Qualifier::About),
            ("up to 5", Qualifier::UpTo),
            ("as many as 5", Qualifier::UpTo),
            ("fewer than 5", Qualifier::FewerThan),
            ("less than 5", Qualifier::FewerThan),
        ];
        for (s, q) in cases {
            assert_eq!(p(s), (5.0, None, q), "{s}");
        }
    }

    #[test]
    fn span_of_the_number_inside_the_phrase() {
        let f = parse_figure("police said more than 10,000 people").unwrap();
        let phrase: Vec<char> = "police said more than 10,000 people".chars().collect();
        let got: String = phrase[f.start..f.end].iter().collect();
        assert_eq!(got, "more than 10,000");
    }

    #[test]
    fn no_figure() {
        assert!(parse_figure("the police").is_none());
        assert!(parse_figure("").is_none());
        assert!(parse_figure("in 1937").is_none());
        assert!(parse_figure("“—”").is_none());
    }

    #[test]
    fn numbers_too_large_for_f64_are_not_figures() {
        let huge = "9".repeat(400);
        for phrase in [
            huge.clone(),
            format!("more than {huge}"),
            format!("{huge} billion"),
            format!("between 5 and {huge}"),
            format!("{}e5", "9".repeat(320)),
        ] {
            if let Some(f) = parse_figure(&phrase) {
                assert!(f.low.is_finite(), "{phrase}: {f:?}");
                assert!(f.high.is_none_or(f64::is_finite), "{phrase}: {f:?}");
            }
        }
        let after = parse_figure(&format!("{huge} or 12 people")).unwrap();
        assert!(after.low.is_finite(), "{after:?}");
    }
}
