//! Synthetic annotated articles for the scale benchmark (`tallymark bench`): realistic
//! wire-copy paragraphs with figures, quotes and non-ASCII names, and a chosen number of
//! annotations of every kind, nested and overlapping as real coding is.
//!
//! Everything comes from one seed, so the same size always gives the same document, byte
//! for byte; a benchmark run can be repeated and compared.

use time::OffsetDateTime;

use super::annotation::{
    Annotation, Attributes, ClaimAttrs, ClaimStatus, FigureAttrs, Kind, QuoteAttrs,
};
use super::document::{ArticleMeta, Document};
use super::figure::parse_figure;
use super::span::Span;
use super::text::{Normalization, Text};

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// Size of the article text in bytes (UTF-8), reached or just passed.
    pub bytes: usize,
    /// Number of annotations, exactly.
    pub annotations: usize,
    /// Seed of the generator.
    pub seed: u64,
}

/// A small deterministic generator (`SplitMix64`): no dependency, same numbers everywhere.
/// Also drives the benchmark's scripted gestures and the index tests.
pub struct Rng(u64);

impl Rng {
    /// A generator starting from `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const PLACES: &[&str] = &[
    "Almaty",
    "Nur-Sultan",
    "Aktobe",
    "Zhanaozen",
    "Taldykorgan",
    "Шымкент",
    "Kyzylorda",
    "Marrow Valley",
    "the eastern districts",
    "the capital",
];
const SOURCES: &[&str] = &[
    "the interior ministry",
    "the health ministry",
    "local officials",
    "a human rights group",
    "the prosecutor’s office",
    "state television",
    "hospital staff",
    "the Red Crescent",
];
const SPEAKERS: &[&str] = &[
    "President Tokayev",
    "a ministry spokesman",
    "Aigerim Seitkali, a lawyer",
    "the mayor",
    "Dmitry Orlov, a witness",
    "a police colonel",
    "Zhanar Akhmetova",
];
const METRICS: &[(&str, &str)] = &[
    ("killed", "were killed"),
    ("injured", "were injured"),
    ("arrested", "were arrested"),
    ("detained", "were detained"),
    ("displaced", "were forced from their homes"),
    ("missing", "remain missing"),
];
const AMOUNTS: &[&str] = &[
    "more than 1,200",
    "about 164",
    "at least 26",
    "12",
    "nearly 3,000",
    "between 200 and 300",
    "dozens of",
    "up to 8,000",
    "some 84,000",
    "fewer than 40",
    "2,000",
    "hundreds of",
];
const WHO: &[&str] = &[
    "people",
    "protesters",
    "police officers",
    "civilians",
    "foreign nationals",
    "soldiers",
];
const QUOTES: &[&str] = &[
    "We did not expect the crowd to grow so quickly",
    "Order has been restored and the counter-terrorist operation continues",
    "Nobody told us where our sons were taken",
    "The figures will be published once every region has reported",
    "I saw them carrying the wounded into the school — there were too many to count",
    "These were not peaceful protesters, they were armed groups",
    "We have asked for an independent inquiry",
];
const FILLER: &[&str] = &[
    "The unrest began over a rise in fuel prices and spread within days to most regions.",
    "Internet access was cut for much of the week, making it hard to verify reports.",
    "Shops in the centre stayed closed and queues formed outside the few open banks.",
    "Residents described gunfire through the night near the main square.",
    "The government resigned on Wednesday, but protests continued in several cities.",
    "Foreign troops were invited to guard strategic sites, officials said.",
    "Independent journalists were unable to reach the worst-affected areas.",
    "A curfew remained in force from 11 p.m. to 7 a.m.",
    "Prices were later capped for six months, according to a decree published on Thursday.",
    "Officials in Алматы said the airport would reopen on Monday.",
];
const DAYS: &[&str] = &[
    "on Monday",
    "on Tuesday",
    "by Thursday",
    "over the weekend",
    "",
];

/// A span of the text with a kind, before it becomes an annotation.
struct Candidate {
    kind: Kind,
    span: Span,
    speaker: &'static str,
    metric: &'static str,
    who: &'static str,
}

/// Builds the article text and the spans worth annotating in it.
struct Writer {
    text: String,
    chars: usize,
    candidates: Vec<Candidate>,
}

impl Writer {
    fn push(&mut self, s: &str) -> Span {
        let start = self.chars;
        self.text.push_str(s);
        self.chars += s.chars().count();
        Span {
            start,
            end: self.chars,
        }
    }

    fn sentence(&mut self, rng: &mut Rng) -> Span {
        let start = self.chars;
        match rng.below(10) {
            // A figure with its source.
            0..=3 => {
                let source = rng.pick(SOURCES);
                let (metric, verb) = METRICS[rng.below(METRICS.len())];
                let who = rng.pick(WHO);
                let day = rng.pick(DAYS);
                let amount = rng.pick(AMOUNTS);
                let lead = if rng.chance(50) {
                    let s = capitalise(source);
                    format!("{s} said ")
                } else {
                    "By one count, ".to_owned()
                };
                self.push(&lead);
                let figure = self.push(&format!("{amount} {who}"));
                let mut tail = format!(" {verb} in {}", rng.pick(PLACES));
                if !day.is_empty() {
                    tail.push(' ');
                    tail.push_str(day);
                }
                tail.push('.');
                self.push(&tail);
                self.candidates.push(Candidate {
                    kind: Kind::Figure,
                    span: figure,
                    speaker: source,
                    metric,
                    who,
                });
            }
            // A quote, attributed.
            4..=6 => {
                let speaker = rng.pick(SPEAKERS);
                self.push("“");
                let inner = self.push(rng.pick(QUOTES));
                self.push(&format!(",” said {speaker}."));
                self.candidates.push(Candidate {
                    kind: Kind::Quote,
                    span: inner,
                    speaker,
                    metric: "",
                    who: "",
                });
            }
            _ => {
                self.push(rng.pick(FILLER));
            }
        }
        let span = Span {
            start,
            end: self.chars,
        };
        // Claims: whole sentences, about half of them.
        if rng.chance(45) {
            self.candidates.push(Candidate {
                kind: Kind::Claim,
                span,
                speaker: rng.pick(SOURCES),
                metric: "",
                who: "",
            });
        }
        span
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().chain(c).collect::<String>()
    })
}

/// Generates an article of about `spec.bytes` bytes with exactly `spec.annotations`
/// annotations: figures, quotes and claims over the sentences that hold them, claims that
/// span two or three sentences (some across a paragraph break) and nest the figures and
/// quotes inside them, and, when the text has fewer natural spans than asked for, extra
/// spans of random length that overlap the rest.
#[must_use]
pub fn generate(spec: Spec) -> Document {
    let mut rng = Rng::new(spec.seed);
    let mut w = Writer {
        text: String::with_capacity(spec.bytes + 2048),
        chars: 0,
        candidates: Vec::new(),
    };
    w.push("Unrest in the provinces: what the numbers say\n\n");
    let mut sentences: Vec<Span> = Vec::new();
    while w.text.len() < spec.bytes {
        let n = 2 + rng.below(7);
        for i in 0..n {
            if i > 0 {
                w.push(" ");
            }
            sentences.push(w.sentence(&mut rng));
        }
        w.push("\n\n");
    }
    // Longer claims over two or three sentences, sometimes across paragraphs.
    for i in (0..sentences.len().saturating_sub(3)).step_by(7) {
        let last = sentences[i + 1 + rng.below(2)];
        w.candidates.push(Candidate {
            kind: Kind::Claim,
            span: Span {
                start: sentences[i].start,
                end: last.end,
            },
            speaker: rng.pick(SOURCES),
            metric: "",
            who: "",
        });
    }
    let total_chars = w.chars;
    // Exactly the number asked for: a deterministic sample, or extra overlapping spans.
    let mut chosen: Vec<Candidate> = Vec::with_capacity(spec.annotations);
    let have = w.candidates.len();
    if have >= spec.annotations {
        // Every candidate independently, keeping the count exact: selection sampling.
        let mut need = spec.annotations;
        for (i, c) in w.candidates.into_iter().enumerate() {
            let left = have - i;
            if rng.below(left) < need {
                chosen.push(c);
                need -= 1;
            }
        }
    } else {
        chosen = w.candidates;
        while chosen.len() < spec.annotations && total_chars > 2 {
            let start = rng.below(total_chars - 1);
            let longest = if rng.chance(80) { 40 } else { 600 };
            let len = 1 + rng.below(longest);
            let kind = Kind::ALL[rng.below(3)];
            chosen.push(Candidate {
                kind,
                span: Span {
                    start,
                    end: (start + len).min(total_chars),
                },
                speaker: rng.pick(SPEAKERS),
                metric: "other",
                who: "people",
            });
        }
    }
    let text = Text::new(w.text);
    let base = OffsetDateTime::UNIX_EPOCH + time::Duration::days(19_000);
    let annotations: Vec<Annotation> = chosen
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let exact = text.slice(c.span).to_owned();
            let (prefix, suffix) = text.context(c.span);
            let attributes = match c.kind {
                Kind::Figure => {
                    let parsed = parse_figure(&exact);
                    Attributes::Figure(FigureAttrs {
                        value_low: parsed.as_ref().map(|p| p.low),
                        value_high: parsed.as_ref().and_then(|p| p.high),
                        qualifier: parsed.map(|p| p.qualifier).unwrap_or_default(),
                        metric: c.metric.to_owned(),
                        who: c.who.to_owned(),
                        source: c.speaker.to_owned(),
                        reported: time::Date::from_ordinal_date(2022, 5 + (i % 9) as u16).ok(),
                        ..FigureAttrs::default()
                    })
                }
                Kind::Quote => Attributes::Quote(QuoteAttrs {
                    speaker: c.speaker.to_owned(),
                }),
                Kind::Claim => Attributes::Claim(ClaimAttrs {
                    claimant: c.speaker.to_owned(),
                    status: ClaimStatus::ALL[i % 4],
                }),
            };
            let at = base + time::Duration::seconds(i64::try_from(i).unwrap_or(i64::MAX));
            Annotation {
                id: i as u64 + 1,
                span: c.span,
                exact,
                prefix,
                suffix,
                attributes,
                note: if i % 5 == 0 {
                    "Checked against the ministry’s list of 12 January.".to_owned()
                } else {
                    String::new()
                },
                annotator: ["ana", "bo", "chen"][i % 3].to_owned(),
                created: Some(at),
                modified: Some(at),
                label: None,
                notes: Vec::new(),
                fields: Vec::new(),
                links: Vec::new(),
                fragments: Vec::new(),
            }
        })
        .collect();
    let meta = ArticleMeta {
        title: "Unrest in the provinces: what the numbers say".to_owned(),
        source: None,
        url: None,
        normalization: Normalization::default(),
        ..ArticleMeta::default()
    };
    Document::from_parts(meta, text.as_str().to_owned(), annotations)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_counts_are_exact_and_repeatable() {
        let spec = Spec {
            bytes: 20_000,
            annotations: 300,
            seed: 7,
        };
        let a = generate(spec);
        assert!(a.text().as_str().len() >= 20_000);
        assert!(a.text().as_str().len() < 22_000);
        assert_eq!(a.annotations().len(), 300);
        let b = generate(spec);
        assert_eq!(a.text().as_str(), b.text().as_str());
        assert_eq!(a.annotations(), b.annotations());
        for k in Kind::ALL {
            assert!(a.count(k) > 20, "{k:?}: {}", a.count(k));
        }
        // Nesting: some figure lies inside some claim.
        assert!(a.annotations().iter().any(|f| {
            f.kind() == Kind::Figure
                && a.annotations_in(f.span)
                    .any(|c| c.kind() == Kind::Claim && c.span.covers(f.span))
        }));
    }

    #[test]
    fn dense_requests_add_overlapping_spans() {
        let d = generate(Spec {
            bytes: 2_000,
            annotations: 500,
            seed: 1,
        });
        assert_eq!(d.annotations().len(), 500);
        let len = d.text().len_chars();
        assert!(
            d.annotations()
                .iter()
                .all(|a| a.span.fits(len) && !a.span.is_empty())
        );
        assert!(
            crate::persist::parse(
                std::path::Path::new("synth.ron"),
                &crate::persist::to_ron(&d).unwrap()
            )
            .is_ok()
        );
    }
}
