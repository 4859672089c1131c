//! A whole story in one step: an article's suggestions accepted as annotations, as
//! `tallymark annotate` writes them (one file per article, a workspace listing them).

use crate::annotation::Kind;
use crate::document::Document;
use crate::edit::{Edit, EditError};
use crate::suggest::{Options, is_open, suggest};

/// The annotator named on annotations accepted without a person looking at them.
pub const SUGGESTER: &str = "tallymark-suggester";

/// Which kinds of suggestions to accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accept {
    /// Figures.
    pub figures: bool,
    /// Quotes.
    pub quotes: bool,
    /// Claims (noisier; off by default).
    pub claims: bool,
}

impl Default for Accept {
    fn default() -> Self {
        Self {
            figures: true,
            quotes: true,
            claims: false,
        }
    }
}

impl Accept {
    fn takes(self, kind: Kind) -> bool {
        match kind {
            Kind::Figure => self.figures,
            Kind::Quote => self.quotes,
            Kind::Claim => self.claims,
        }
    }
}

/// Adds every open suggestion of the accepted kinds to `doc` as annotations by
/// [`SUGGESTER`], dated `now`; figures carry the article's date where their sentence gives
/// none. Returns how many of each kind were added.
///
/// # Errors
/// When an annotation does not fit the text (never for the suggester's own spans); `doc` is
/// then unchanged.
pub fn accept_suggestions(
    doc: &mut Document,
    accept: Accept,
    now: time::OffsetDateTime,
) -> Result<Vec<(Kind, usize)>, EditError> {
    let options = Options {
        claims: accept.claims,
        published: doc.meta.published.map(|p| p.date),
        language: doc
            .meta
            .language
            .as_deref()
            .and_then(crate::suggest::Lang::from_code),
        ..Options::default()
    };
    let candidates = suggest(doc.text().as_str(), options).candidates();
    let first = doc.next_id();
    let edits: Vec<Edit> = candidates
        .iter()
        .filter(|c| accept.takes(c.kind) && is_open(c, doc))
        .zip(first..)
        .map(|(c, id)| {
            let mut a = c.to_annotation(doc, SUGGESTER, now);
            a.id = id;
            Edit::Insert(a)
        })
        .collect();
    let counts = Kind::ALL
        .iter()
        .rev()
        .map(|k| {
            let n = edits
                .iter()
                .filter(|e| matches!(e, Edit::Insert(a) if a.kind() == *k))
                .count();
            (*k, n)
        })
        .collect();
    crate::edit::apply_all(doc, edits)?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_chosen_kinds_once() {
        let mut doc = Document::from_article(
            "Toll rises\n\nPolice said 31 people died. “We are searching,” the mayor said.\n",
            None,
        );
        let t = time::OffsetDateTime::UNIX_EPOCH;
        let counts = accept_suggestions(&mut doc, Accept::default(), t).unwrap();
        assert_eq!(
            counts,
            vec![(Kind::Figure, 1), (Kind::Quote, 1), (Kind::Claim, 0)]
        );
        assert!(doc.annotations().iter().all(|a| a.annotator == SUGGESTER));
        // Run again: nothing left open, nothing doubled.
        let again = accept_suggestions(&mut doc, Accept::default(), t).unwrap();
        assert!(again.iter().all(|(_, n)| *n == 0));
        assert_eq!(doc.annotations().len(), 2);
        let only_quotes = Accept {
            figures: false,
            quotes: true,
            claims: false,
        };
        let mut fresh = Document::from_article("Police said 31 people died.", None);
        accept_suggestions(&mut fresh, only_quotes, t).unwrap();
        assert!(fresh.annotations().is_empty());
    }
}
