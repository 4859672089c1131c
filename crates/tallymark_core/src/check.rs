//! Summaries of a loaded annotation file, for `tallymark check` and the status bar.

use super::annotation::Kind;
use super::document::Document;

/// Per-kind counts and a few facts for the one-line summaries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// `(kind, count)` in display order.
    pub counts: Vec<(Kind, usize)>,
    /// Figures without a value.
    pub figures_without_value: usize,
    /// Quotes without a speaker.
    pub quotes_without_speaker: usize,
    /// Claims without a claimant.
    pub claims_without_claimant: usize,
}

impl Summary {
    /// Summarises a document.
    #[must_use]
    pub fn of(doc: &Document) -> Self {
        let t = doc.tally();
        Summary {
            counts: Kind::ALL.iter().map(|k| (*k, doc.count(*k))).collect(),
            figures_without_value: t.figures_without_value,
            quotes_without_speaker: t.quotes_without_speaker,
            claims_without_claimant: t.claims_without_claimant,
        }
    }

    /// One line per kind, e.g. `figure: 14 (all with a value)`.
    #[must_use]
    pub fn lines(&self) -> Vec<String> {
        self.counts
            .iter()
            .map(|(kind, n)| {
                let (missing, what) = match kind {
                    Kind::Claim => (self.claims_without_claimant, "claimant"),
                    Kind::Quote => (self.quotes_without_speaker, "speaker"),
                    Kind::Figure => (self.figures_without_value, "value"),
                };
                let name = kind.label().to_lowercase();
                if missing == 0 {
                    format!("{name}: {n}")
                } else {
                    format!("{name}: {n} ({missing} without a {what})")
                }
            })
            .collect()
    }

    /// Short form for the status bar: `14 figures · 11 quotes · 5 claims`.
    #[must_use]
    pub fn short(&self) -> String {
        self.counts
            .iter()
            .rev()
            .map(|(k, n)| {
                let name = k.label().to_lowercase();
                if *n == 1 {
                    format!("1 {name}")
                } else {
                    format!("{n} {name}s")
                }
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }
}
