//! Month and weekday names: the one list that reading a figure's date (`scope`) and the
//! suggester's word classes both take theirs from.

use time::{Month, Weekday};

/// English month names, lower case, January first.
pub(crate) const MONTHS_EN: [&str; 12] = [
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
];

/// The abbreviations newswire writes them as (`Jan.`, `Sept.`), lower case, without the
/// dot. `may` is its own abbreviation.
pub(crate) const MONTH_ABBREVIATIONS_EN: [&str; 13] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Russian month names in the genitive, the form a date takes ("8 января"), January first.
const MONTHS_RU_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// English weekday names, lower case, Monday first.
pub(crate) const WEEKDAYS_EN: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The month a lower-case word names: an English name or its first three letters or more
/// (`jan`, `sept.`), or a Russian genitive.
pub(crate) fn month_of(word: &str) -> Option<Month> {
    let w = word.trim_end_matches('.');
    let english = MONTHS_EN
        .iter()
        .position(|name| *name == w || (w.len() >= 3 && w.is_ascii() && name.starts_with(w)));
    let n = english.or_else(|| MONTHS_RU_GENITIVE.iter().position(|name| *name == w))?;
    Month::try_from(u8::try_from(n + 1).ok()?).ok()
}

/// The weekday a lower-case word names: English, or Russian in the nominative or the
/// accusative ("в среду").
pub(crate) fn weekday_of(word: &str) -> Option<Weekday> {
    if let Some(n) = WEEKDAYS_EN.iter().position(|d| *d == word) {
        return Some(nth_weekday(n));
    }
    Some(match word {
        "понедельник" => Weekday::Monday,
        "вторник" => Weekday::Tuesday,
        "среду" | "среда" => Weekday::Wednesday,
        "четверг" => Weekday::Thursday,
        "пятницу" | "пятница" => Weekday::Friday,
        "субботу" | "суббота" => Weekday::Saturday,
        "воскресенье" => Weekday::Sunday,
        _ => return None,
    })
}

/// The `n`th weekday from Monday (0).
fn nth_weekday(n: usize) -> Weekday {
    (0..n).fold(Weekday::Monday, |d, _| d.next())
}

/// Whether a lower-case word is an English month or weekday name, written out.
pub(crate) fn is_month_or_weekday_en(word: &str) -> bool {
    MONTHS_EN.contains(&word) || WEEKDAYS_EN.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_weekdays_in_each_form() {
        assert_eq!(month_of("january"), Some(Month::January));
        assert_eq!(month_of("sept."), Some(Month::September));
        assert_eq!(month_of("dec"), Some(Month::December));
        assert_eq!(month_of("декабря"), Some(Month::December));
        assert_eq!(month_of("ma"), None, "too short to tell March from May");
        assert_eq!(month_of("mayor"), None);
        assert_eq!(weekday_of("sunday"), Some(Weekday::Sunday));
        assert_eq!(weekday_of("wednesday"), Some(Weekday::Wednesday));
        assert_eq!(weekday_of("среду"), Some(Weekday::Wednesday));
        assert_eq!(weekday_of("sundays"), None);
        for (n, abbreviation) in MONTH_ABBREVIATIONS_EN.iter().enumerate() {
            assert!(month_of(abbreviation).is_some(), "{n}: {abbreviation}");
        }
    }
}
