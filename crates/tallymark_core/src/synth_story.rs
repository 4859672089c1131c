//! A synthetic story told by many articles, for `tallymark bench`: outlets over days, each
//! quoting official and independent sources whose tolls rise, syndicated copies of wire
//! reports, counts for one town and for children. Deterministic for a seed.

use crate::annotation::{Attributes, FigureAttrs, Kind, Qualifier};
use crate::document::Document;
use crate::edit::Edit;
use crate::provenance::Published;
use crate::span::Span;
use crate::synth::Rng;

const OUTLETS: [&str; 12] = [
    "Steppe Wire",
    "Valley Courier",
    "Northern Herald",
    "Capital Daily",
    "River Post",
    "Tarn Radio",
    "Lowfield Courier",
    "Evening Standard-Gazette",
    "Plains Tribune",
    "Harbour News",
    "Border Times",
    "Morning Ledger",
];
const SOURCES: [(&str, u64); 6] = [
    ("the health ministry", 40),
    ("the interior ministry", 35),
    ("the regional governor's office", 30),
    ("the Valley Relief Coalition", 90),
    ("the Red Crescent", 60),
    ("the city police", 25),
];
const TOWNS: [&str; 5] = [
    "Brennport",
    "Ashford",
    "Cadder Bridge",
    "Ferrow",
    "Lowfield",
];

/// `n` articles of one story over `days` days. About a third are syndicated copies of an
/// earlier article of the same day.
#[must_use]
pub fn story(n: usize, days: u64, seed: u64) -> Vec<Document> {
    let mut rng = Rng::new(seed);
    let start =
        time::Date::from_calendar_date(2025, time::Month::March, 1).unwrap_or(time::Date::MIN);
    let mut docs: Vec<Document> = Vec::with_capacity(n);
    for i in 0..n {
        let day = (i as u64 * days) / n.max(1) as u64;
        let date = start
            .checked_add(time::Duration::days(i64::try_from(day).unwrap_or(0)))
            .unwrap_or(start);
        let outlet = OUTLETS[rng.below(OUTLETS.len())];
        // A syndicated copy: the same text under another outlet's name.
        if i > 0 && rng.below(3) == 0 {
            let from = &docs[i - 1 - rng.below(i.min(5))];
            let mut copy = from.clone();
            copy.meta.outlet = Some(outlet.to_owned());
            docs.push(copy);
            continue;
        }
        let mut sentences: Vec<(String, Vec<(String, FigureAttrs)>)> = Vec::new();
        for _ in 0..(4 + rng.below(5)) {
            let (source, base) = SOURCES[rng.below(SOURCES.len())];
            // Tolls rise with the days; the independent sources count more.
            let toll = base + day * (3 + base / 20) + rng.below(3) as u64;
            let kind = rng.below(5);
            let (text, value, who, place, metric) = match kind {
                0 => (
                    format!(
                        "{}, {source} said, {toll} people had been killed.",
                        cap(weekday(date))
                    ),
                    toll,
                    "people",
                    "",
                    "killed",
                ),
                1 => {
                    let town = TOWNS[rng.below(TOWNS.len())];
                    let part = toll / 5 + 1;
                    (
                        format!("In {town}, {part} people died, according to {source}."),
                        part,
                        "people",
                        town,
                        "killed",
                    )
                }
                2 => {
                    let children = toll / 8 + 1;
                    (
                        format!("Among the dead were {children} children, {source} said."),
                        children,
                        "children",
                        "",
                        "killed",
                    )
                }
                3 => (
                    format!("Some {} people were injured, {source} said.", toll * 4),
                    toll * 4,
                    "people",
                    "",
                    "injured",
                ),
                _ => (
                    format!(
                        "More than {} people have been detained, {source} said.",
                        toll * 20
                    ),
                    toll * 20,
                    "people",
                    "",
                    "detained",
                ),
            };
            let exact = value.to_string();
            let figure = FigureAttrs {
                value_low: Some(value as f64),
                qualifier: match kind {
                    3 => Qualifier::About,
                    4 => Qualifier::MoreThan,
                    _ => Qualifier::Exact,
                },
                metric: metric.to_owned(),
                who: who.to_owned(),
                place: place.to_owned(),
                source: cap(source.trim_start_matches("the ")).to_lowercase(),
                reported: Some(date),
                ..FigureAttrs::default()
            };
            sentences.push((text, vec![(exact, figure)]));
        }
        let title = format!("Flood toll rises, day {}", day + 1);
        let body: Vec<&str> = sentences.iter().map(|(s, _)| s.as_str()).collect();
        let text = format!("{title}\n\n{}\n", body.join(" "));
        let mut doc = Document::from_article(&text, None);
        doc.meta.outlet = Some(outlet.to_owned());
        doc.meta.published = Some(Published::on(date));
        let chars: Vec<char> = doc.text().as_str().chars().collect();
        let mut from = 0;
        for (sentence, figures) in &sentences {
            let s_start = find(&chars, sentence, from).unwrap_or(from);
            for (exact, figure) in figures {
                let Some(at) = find(&chars, exact, s_start) else {
                    continue;
                };
                let span = Span {
                    start: at,
                    end: at + exact.chars().count(),
                };
                let a = doc.annotation_with(
                    span,
                    Attributes::Figure(figure.clone()),
                    "bench",
                    time::OffsetDateTime::UNIX_EPOCH,
                );
                let _ = Edit::Insert(a).apply(&mut doc);
            }
            from = s_start + sentence.chars().count();
        }
        debug_assert!(doc.annotations().iter().all(|a| a.kind() == Kind::Figure));
        docs.push(doc);
    }
    docs
}

fn find(chars: &[char], needle: &str, from: usize) -> Option<usize> {
    let needle: Vec<char> = needle.chars().collect();
    (from..chars.len().saturating_sub(needle.len() - 1)).find(|&i| chars[i..].starts_with(&needle))
}

fn weekday(d: time::Date) -> &'static str {
    match d.weekday() {
        time::Weekday::Monday => "on Monday",
        time::Weekday::Tuesday => "on Tuesday",
        time::Weekday::Wednesday => "on Wednesday",
        time::Weekday::Thursday => "on Thursday",
        time::Weekday::Friday => "on Friday",
        time::Weekday::Saturday => "on Saturday",
        time::Weekday::Sunday => "on Sunday",
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| {
            let mut out: String = f.to_uppercase().collect();
            out.push_str(c.as_str());
            out
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_story_has_figures_outlets_and_copies() {
        let docs = story(60, 10, 7);
        assert_eq!(docs.len(), 60);
        let figures: usize = docs.iter().map(|d| d.annotations().len()).sum();
        assert!(figures >= 60 * 3, "{figures}");
        assert!(
            docs.iter()
                .all(|d| d.meta.outlet.is_some() && d.meta.published.is_some())
        );
        let texts: std::collections::HashSet<&str> =
            docs.iter().map(|d| d.text().as_str()).collect();
        assert!(texts.len() < docs.len(), "some are syndicated copies");
        // Deterministic.
        assert_eq!(
            story(60, 10, 7)[59].text().as_str(),
            docs[59].text().as_str()
        );
    }
}
