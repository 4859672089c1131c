//! Where an article comes from: its outlet, address, publication date, author, language and
//! title, read from a saved web page's tags or, for plain text, from the text itself.
//!
//! Pages from different publishing systems say the same things in different tags (Open
//! Graph, JSON-LD, `<time>`, plain `<meta>`); each field is read from the first tag that
//! has a usable value, in a fixed order. What is read but not used (a second, different
//! date; a date in the future; a date that does not parse; a JSON-LD block that is not
//! JSON) is said in [`Provenance::notes`], never silently dropped. Nothing is invented: a
//! field no tag gives stays empty.

use std::fmt;
use std::str::FromStr;

use scraper::{Html, Selector};
use time::{Date, Month, Time, UtcOffset};

/// A publication date: always a day, with a time and a zone when the source gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Published {
    /// The day.
    pub date: Date,
    /// The time of day, when known.
    pub time: Option<Time>,
    /// The offset from UTC of that time, when known.
    pub offset: Option<UtcOffset>,
}

impl Published {
    /// A publication on `date`, time unknown.
    #[must_use]
    pub const fn on(date: Date) -> Self {
        Self {
            date,
            time: None,
            offset: None,
        }
    }
}

impl fmt::Display for Published {
    /// `2022-01-11`, `2022-01-11T14:05`, `2022-01-11T14:05+06:00`, `2022-01-11T14:05:30Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.date;
        write!(
            f,
            "{:04}-{:02}-{:02}",
            d.year(),
            u8::from(d.month()),
            d.day()
        )?;
        if let Some(t) = self.time {
            write!(f, "T{:02}:{:02}", t.hour(), t.minute())?;
            if t.second() != 0 {
                write!(f, ":{:02}", t.second())?;
            }
            match self.offset {
                Some(o) if o.is_utc() => f.write_str("Z")?,
                Some(o) => {
                    let sign = if o.is_negative() { '-' } else { '+' };
                    write!(
                        f,
                        "{sign}{:02}:{:02}",
                        o.whole_hours().unsigned_abs(),
                        o.minutes_past_hour().unsigned_abs()
                    )?;
                }
                None => {}
            }
        }
        Ok(())
    }
}

/// Why a date did not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a date (expected YYYY-MM-DD, optionally with a time and zone)")]
pub struct BadDate(pub String);

impl FromStr for Published {
    type Err = BadDate;

    /// ISO 8601 as pages write it: a day, optionally `T` or a space, a time with or without
    /// seconds and fractions, and `Z` or `±HH:MM` / `±HHMM`.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let bad = || BadDate(crate::text::shorten(input.trim(), 60));
        let input = input.trim();
        let day = input.get(..10).ok_or_else(bad)?;
        let mut parts = day.split('-');
        let (Some(year), Some(month), Some(day_of_month), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let (Ok(year), Ok(month), Ok(day_of_month)) = (
            year.parse::<i32>(),
            month.parse::<u8>(),
            day_of_month.parse::<u8>(),
        ) else {
            return Err(bad());
        };
        // The message says what a date looks like; which part was out of range adds little.
        let month = Month::try_from(month).map_err(|_range| bad())?;
        let date = Date::from_calendar_date(year, month, day_of_month).map_err(|_range| bad())?;
        let rest = &input[10..];
        if rest.is_empty() {
            return Ok(Self::on(date));
        }
        let rest = rest
            .strip_prefix('T')
            .or_else(|| rest.strip_prefix(' '))
            .ok_or_else(bad)?;
        // The zone starts at Z, + or - after the time.
        let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
        let (clock, zone) = rest.split_at(zone_at);
        let clock = clock.split('.').next().unwrap_or("");
        let mut hms = clock.split(':');
        let h: u8 = hms.next().and_then(|h| h.parse().ok()).ok_or_else(bad)?;
        let min: u8 = hms.next().and_then(|m| m.parse().ok()).ok_or_else(bad)?;
        let sec: u8 = match hms.next() {
            Some(sec) => sec.parse().map_err(|_invalid| bad())?,
            None => 0,
        };
        let time = Time::from_hms(h, min, sec).map_err(|_invalid| bad())?;
        let offset = match zone {
            "" => None,
            "Z" | "z" => Some(UtcOffset::UTC),
            z => {
                let sign: i8 = if z.starts_with('-') { -1 } else { 1 };
                let digits: String = z[1..].chars().filter(char::is_ascii_digit).collect();
                if digits.len() != 4 && digits.len() != 2 {
                    return Err(bad());
                }
                let oh: i8 = digits[..2].parse().map_err(|_invalid| bad())?;
                let om: i8 = digits
                    .get(2..)
                    .map_or(Ok(0), str::parse)
                    .map_err(|_invalid| bad())?;
                Some(UtcOffset::from_hms(sign * oh, sign * om, 0).map_err(|_invalid| bad())?)
            }
        };
        Ok(Self {
            date,
            time: Some(time),
            offset,
        })
    }
}

impl serde::Serialize for Published {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Published {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// What is known of an article's origin.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    /// The headline.
    pub title: Option<String>,
    /// The publication (site name, publisher).
    pub outlet: Option<String>,
    /// The article's address.
    pub url: Option<String>,
    /// When it was published.
    pub published: Option<Published>,
    /// Who wrote it.
    pub author: Option<String>,
    /// Its language, a BCP 47 tag (`en`, `ru`, `kk`, `uk`…).
    pub language: Option<String>,
    /// What was read but not used, and why (shown to the user when the article opens).
    pub notes: Vec<String>,
}

/// The most a field read from a page keeps (a title is a line, not a page).
const MAX_FIELD: usize = 300;

/// Reads the provenance from a saved web page. `today` bounds the publication date: a
/// date after it (a page's clock or a typo) is ignored with a note.
#[must_use]
pub fn from_html(html: &str, today: Date) -> Provenance {
    from_page(&crate::html::parse(html), today)
}

/// [`from_html`] of a page parsed already.
#[must_use]
pub fn from_page(page: &Html, today: Date) -> Provenance {
    let mut p = Provenance::default();
    let ld = json_ld(page, &mut p.notes);

    let meta = |attr: &str, name: &str| -> Option<String> {
        let sel = Selector::parse(&format!("meta[{attr}=\"{name}\"]")).ok()?;
        page.select(&sel)
            .filter_map(|e| e.value().attr("content"))
            .map(clean)
            .find(|v| !v.is_empty())
    };
    let first_text = |css: &str| -> Option<String> {
        let sel = Selector::parse(css).ok()?;
        page.select(&sel)
            .map(|e| clean(&e.text().collect::<String>()))
            .find(|v| !v.is_empty())
    };
    let first_attr = |css: &str, attr: &str| -> Option<String> {
        let sel = Selector::parse(css).ok()?;
        page.select(&sel)
            .filter_map(|e| e.value().attr(attr))
            .map(clean)
            .find(|v| !v.is_empty())
    };

    let page_title = || first_text("title");
    p.title = meta("property", "og:title")
        .or_else(|| ld.as_ref().and_then(|ld| ld_text(ld, &["headline"])));
    p.outlet = meta("property", "og:site_name")
        .or_else(|| {
            ld.as_ref()
                .and_then(|ld| ld_text(ld, &["publisher", "name"]))
        })
        .or_else(|| meta("name", "application-name"));
    // `<title>` often carries the site's name: "Headline | Site", "Site – Headline".
    if p.title.is_none() {
        p.title = page_title().map(|t| without_site_name(&t, p.outlet.as_deref()));
    }
    p.url = meta("property", "og:url")
        .or_else(|| first_attr("link[rel=\"canonical\"]", "href"))
        .filter(|u| is_web_address(u, &mut p.notes));
    p.language = first_attr("html", "lang").and_then(|l| language_tag(&l, &mut p.notes));
    p.author = meta("name", "author")
        .or_else(|| ld.as_ref().and_then(|ld| ld_text(ld, &["author", "name"])))
        .or_else(|| {
            // `article:author` is often a profile address, not a name.
            meta("property", "article:author").filter(|a| !a.starts_with("http"))
        });

    // Dates: every candidate in order; the first usable one wins, the others are noted
    // where they say something else.
    let candidates: Vec<(&str, Option<String>)> = vec![
        (
            "article:published_time",
            meta("property", "article:published_time"),
        ),
        (
            "JSON-LD datePublished",
            ld.as_ref().and_then(|ld| ld_text(ld, &["datePublished"])),
        ),
        ("<time datetime>", first_attr("time[datetime]", "datetime")),
        ("meta date", meta("name", "date")),
    ];
    for (from, value) in candidates {
        let Some(value) = value else { continue };
        match value.parse::<Published>() {
            Err(e) => p.notes.push(format!("Ignored the date in {from}: {e}.")),
            Ok(d) if d.date > today => p
                .notes
                .push(format!("Ignored the date in {from}: {d} is in the future.")),
            Ok(d) => match p.published {
                None => p.published = Some(d),
                Some(first) if first.date != d.date => p.notes.push(format!(
                    "Ignored a second publication date, {d} in {from}: kept {first}."
                )),
                Some(_) => {}
            },
        }
    }
    p
}

/// A page title without the site's name at either end, when it is known and a separator
/// (`|`, `–`, `—`, `-`, `·`, `:`) stands between.
fn without_site_name(title: &str, site: Option<&str>) -> String {
    let Some(site) = site.filter(|s| !s.is_empty()) else {
        return title.to_owned();
    };
    let separators = [" | ", " – ", " — ", " - ", " · ", ": "];
    for sep in separators {
        if let Some(rest) = title.strip_prefix(&format!("{site}{sep}")) {
            return rest.trim().to_owned();
        }
        if let Some(rest) = title.strip_suffix(&format!("{sep}{site}")) {
            return rest.trim().to_owned();
        }
    }
    title.to_owned()
}

/// Fills what a plain text can tell: its language, nothing else.
#[must_use]
pub fn from_text(text: &str) -> Provenance {
    Provenance {
        language: detect_language(text),
        ..Provenance::default()
    }
}

/// The language of `text` as a BCP 47 tag, when it can be told with confidence.
///
/// `whatlang` tells Russian from Ukrainian but knows no Kazakh; Kazakh is written in
/// Cyrillic with letters neither Russian nor Ukrainian has (ә ғ қ ң ө ұ ү һ), so a Cyrillic text
/// where they are common is Kazakh.
#[must_use]
pub fn detect_language(text: &str) -> Option<String> {
    // A sample is enough, and keeps a book fast.
    let sample: String = text.chars().take(20_000).collect();
    let cyrillic = sample
        .chars()
        .filter(|c| crate::text::is_cyrillic(*c))
        .count();
    let kazakh = sample
        .chars()
        .filter(|c| "әғқңөұүһӘҒҚҢӨҰҮҺ".contains(*c))
        .count();
    if cyrillic >= 40 && kazakh * 100 >= cyrillic * 2 {
        return Some("kk".to_owned());
    }
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() {
        return None;
    }
    let code = info.lang().code();
    Some(iso639_1(code).unwrap_or(code).to_owned())
}

/// The two-letter code of the languages a news desk meets most, from ISO 639-3.
fn iso639_1(code: &str) -> Option<&'static str> {
    Some(match code {
        "eng" => "en",
        "rus" => "ru",
        "ukr" => "uk",
        "deu" => "de",
        "fra" => "fr",
        "spa" => "es",
        "ita" => "it",
        "por" => "pt",
        "pol" => "pl",
        "tur" => "tr",
        "ara" => "ar",
        "cmn" => "zh",
        "jpn" => "ja",
        "kor" => "ko",
        "nld" => "nl",
        "swe" => "sv",
        "fin" => "fi",
        "ces" => "cs",
        "bel" => "be",
        "uzb" => "uz",
        "heb" => "he",
        "pes" => "fa",
        "hin" => "hi",
        _ => return None,
    })
}

/// A page's `lang` as a BCP 47 tag (`en-GB`, `ru`), or `None` with a note when it is not one.
fn language_tag(lang: &str, notes: &mut Vec<String>) -> Option<String> {
    let ok = !lang.is_empty()
        && lang.len() <= 35
        && lang.split('-').all(|part| {
            !part.is_empty() && part.len() <= 8 && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
        && lang
            .split('-')
            .next()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_alphabetic()));
    if ok {
        Some(lang.replace('_', "-"))
    } else {
        notes.push(format!(
            "Ignored the page's language “{}”: not a language tag.",
            crate::text::shorten(lang, 40)
        ));
        None
    }
}

fn is_web_address(url: &str, notes: &mut Vec<String>) -> bool {
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && !url.chars().any(char::is_whitespace);
    if !ok {
        notes.push(format!(
            "Ignored the address “{}”: not a web address.",
            crate::text::shorten(url, 60)
        ));
    }
    ok
}

/// Text from a tag: white space folded, control characters dropped, bounded.
fn clean(s: &str) -> String {
    let folded = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>();
    crate::text::shorten(&folded, MAX_FIELD)
}

/// The page's article object from its JSON-LD, if any: a `NewsArticle` (or any
/// `…Article`, `BlogPosting`, `Report`), found at the top, in an array or in `@graph`.
fn json_ld(page: &Html, notes: &mut Vec<String>) -> Option<serde_json::Value> {
    let sel = Selector::parse("script[type=\"application/ld+json\"]").ok()?;
    let mut found = None;
    for script in page.select(&sel) {
        let raw: String = script.text().collect();
        match serde_json::from_str::<serde_json::Value>(&raw) {
            Ok(v) => {
                if found.is_none() {
                    found = find_article(&v).cloned();
                }
            }
            Err(e) => notes.push(format!("Ignored a JSON-LD block that is not JSON: {e}.")),
        }
    }
    found
}

fn find_article(v: &serde_json::Value) -> Option<&serde_json::Value> {
    match v {
        serde_json::Value::Array(items) => items.iter().find_map(find_article),
        serde_json::Value::Object(map) => {
            let is_article = |t: &serde_json::Value| {
                t.as_str()
                    .is_some_and(|t| t.ends_with("Article") || t == "BlogPosting" || t == "Report")
            };
            let typed = match map.get("@type") {
                Some(serde_json::Value::Array(ts)) => ts.iter().any(is_article),
                Some(t) => is_article(t),
                None => false,
            };
            if typed {
                Some(v)
            } else {
                map.get("@graph").and_then(find_article)
            }
        }
        _ => None,
    }
}

/// The text at `path` in a JSON-LD object, looking into the first item of arrays and
/// taking a bare string where an object with `name` is usual (`"author": "A. Writer"`).
fn ld_text(v: &serde_json::Value, path: &[&str]) -> Option<String> {
    let mut at = v;
    for (i, key) in path.iter().enumerate() {
        at = match at {
            serde_json::Value::Array(items) => items.first()?,
            other => other,
        };
        at = match at.get(key) {
            Some(next) => next,
            // `"author": "A. Writer"`: the string is the name.
            None if i == path.len() - 1 && at.is_string() => at,
            None => return None,
        };
    }
    let at = match at {
        serde_json::Value::Array(items) => items.first()?,
        other => other,
    };
    let text = match at {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(o) => o.get("name")?.as_str()?.to_owned(),
        _ => return None,
    };
    Some(clean(&text)).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 01);

    #[test]
    fn dates_parse_in_the_forms_pages_use_and_print_back() {
        for (input, printed) in [
            ("2022-01-11", "2022-01-11"),
            ("2022-01-11T14:05:00+06:00", "2022-01-11T14:05+06:00"),
            ("2022-01-11T14:05:30Z", "2022-01-11T14:05:30Z"),
            ("2022-01-11 14:05", "2022-01-11T14:05"),
            ("2022-01-11T14:05:00.000-0500", "2022-01-11T14:05-05:00"),
        ] {
            let d: Published = input.parse().unwrap();
            assert_eq!(d.to_string(), printed, "{input}");
            assert_eq!(printed.parse::<Published>().unwrap(), d);
        }
        for bad in [
            "",
            "yesterday",
            "2022-13-01",
            "2022-02-30",
            "2022-01-11T25:00",
            "11.01.2022",
        ] {
            assert!(bad.parse::<Published>().is_err(), "{bad}");
        }
    }

    #[test]
    fn open_graph_only() {
        let p = from_html(
            r#"<html lang="en-GB"><head>
            <meta property="og:title" content="Flood toll rises to 31 in Marrow Valley">
            <meta property="og:site_name" content="The Valley Courier">
            <meta property="og:url" content="https://courier.example/flood-toll">
            <meta property="article:published_time" content="2024-03-14T09:30:00+01:00">
            <meta name="author" content="Jane Okafor">
            </head><body><p>Text</p></body></html>"#,
            TODAY,
        );
        assert_eq!(
            p.title.as_deref(),
            Some("Flood toll rises to 31 in Marrow Valley")
        );
        assert_eq!(p.outlet.as_deref(), Some("The Valley Courier"));
        assert_eq!(p.url.as_deref(), Some("https://courier.example/flood-toll"));
        assert_eq!(p.published.unwrap().to_string(), "2024-03-14T09:30+01:00");
        assert_eq!(p.author.as_deref(), Some("Jane Okafor"));
        assert_eq!(p.language.as_deref(), Some("en-GB"));
        assert!(p.notes.is_empty(), "{:?}", p.notes);
    }

    #[test]
    fn json_ld_only_in_a_graph() {
        let p = from_html(
            r#"<html><head><title>Ignored when JSON-LD has a headline | Site</title>
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"Wire"},
              {"@type":["NewsArticle"],"headline":"Death toll in Almaty unrest reaches 164",
               "datePublished":"2022-01-09","author":[{"@type":"Person","name":"A. Seitkali"}],
               "publisher":{"@type":"Organization","name":"Steppe Wire"}}]}</script>
            </head><body></body></html>"#,
            TODAY,
        );
        assert_eq!(
            p.title.as_deref(),
            Some("Death toll in Almaty unrest reaches 164")
        );
        assert_eq!(p.outlet.as_deref(), Some("Steppe Wire"));
        assert_eq!(p.author.as_deref(), Some("A. Seitkali"));
        assert_eq!(p.published.unwrap().to_string(), "2022-01-09");
        assert_eq!(p.url, None, "nothing invented");
    }

    #[test]
    fn time_element_only_and_canonical_link() {
        let p = from_html(
            r#"<html lang="ru"><head><title>Задержаны более 5 тысяч человек</title>
            <link rel="canonical" href="https://news.example/ru/2022/01/10/detained"></head>
            <body><article><time datetime="2022-01-10T18:00">10 января</time></article></body></html>"#,
            TODAY,
        );
        assert_eq!(p.title.as_deref(), Some("Задержаны более 5 тысяч человек"));
        assert_eq!(
            p.url.as_deref(),
            Some("https://news.example/ru/2022/01/10/detained")
        );
        assert_eq!(p.published.unwrap().to_string(), "2022-01-10T18:00");
        assert_eq!(p.language.as_deref(), Some("ru"));
        assert_eq!(p.outlet, None);
    }

    #[test]
    fn the_site_name_is_taken_off_a_page_title() {
        let p = from_html(
            r#"<html><head><title>Tarn Radio – Eleven children among the dead</title>
            <meta name="application-name" content="Tarn Radio"></head></html>"#,
            TODAY,
        );
        assert_eq!(p.title.as_deref(), Some("Eleven children among the dead"));
        assert_eq!(p.outlet.as_deref(), Some("Tarn Radio"));
        assert_eq!(
            without_site_name("Toll rises | The Courier", Some("The Courier")),
            "Toll rises"
        );
        assert_eq!(
            without_site_name("Toll rises | Other", Some("The Courier")),
            "Toll rises | Other"
        );
    }

    #[test]
    fn a_page_without_tags_gives_nothing_but_its_title() {
        let p = from_html("<html><body><p>Just text.</p></body></html>", TODAY);
        assert_eq!(p, Provenance::default());
    }

    #[test]
    fn broken_and_contradictory_tags_keep_what_reads_and_say_what_was_ignored() {
        let p = from_html(
            r#"<html lang="not a tag!"><head>
            <meta property="article:published_time" content="tomorrow at noon">
            <script type="application/ld+json">{"@type":"NewsArticle", broken</script>
            <meta name="date" content="2031-05-01">
            <time datetime="2022-01-08">8 January</time>
            <meta property="og:url" content="javascript:alert(1)">
            </head><body></body></html>
            <meta name="date" content="2022-01-07">"#,
            TODAY,
        );
        assert_eq!(p.published.unwrap().to_string(), "2022-01-08");
        assert_eq!(p.language, None);
        assert_eq!(p.url, None);
        let notes = p.notes.join("\n");
        for expected in [
            "not a date",
            "is in the future",
            "not JSON",
            "not a language tag",
            "not a web address",
        ] {
            assert!(notes.contains(expected), "{expected} in {notes}");
        }
    }

    #[test]
    fn languages_are_told_apart_including_kazakh() {
        let en = "Police said on Sunday that more than 160 people had been killed in the \
                  unrest, and that thousands were detained across the country's regions.";
        let ru = "В воскресенье полиция сообщила, что в ходе беспорядков погибли более 160 \
                  человек, а тысячи были задержаны в регионах страны.";
        let uk = "У неділю поліція повідомила, що під час заворушень загинули понад 160 \
                  людей, а тисячі були затримані в регіонах країни.";
        let kk = "Жексенбі күні полиция тәртіпсіздіктер кезінде 160-тан астам адам қаза \
                  тапқанын, ал мыңдаған адам елдің өңірлерінде ұсталғанын хабарлады.";
        assert_eq!(detect_language(en).as_deref(), Some("en"));
        assert_eq!(detect_language(ru).as_deref(), Some("ru"));
        assert_eq!(detect_language(uk).as_deref(), Some("uk"));
        assert_eq!(detect_language(kk).as_deref(), Some("kk"));
        assert_eq!(detect_language("164"), None, "nothing invented");
    }
}
