//! What an import brought in and what it did not: every import returns an
//! [`ImportReport`], so nothing another tool wrote is dropped without being counted and
//! named. Also the type mapping (`--map TYPE=KIND`) the importers share.

use std::collections::BTreeMap;

use serde_json::json;

use crate::annotation::Kind;

/// Why something in an imported file did not become an annotation (or a part of one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// A type or label that no mapping names (brat entity type, W3C motivation, Label
    /// Studio or doccano label).
    UnknownType,
    /// A type mapped to `skip`.
    SkippedType,
    /// A relation whose ends were not both imported.
    Relation,
    /// An event whose trigger or an argument was not imported.
    Event,
    /// An attribute of something that was not imported.
    Attribute,
    /// A note on something that was not imported.
    Note,
    /// A normalisation of something that was not imported.
    Normalisation,
    /// Offsets outside the article, with no text to find it by.
    OutsideText,
    /// A text that is not the article's at its offsets and is found nowhere else
    /// (counted here only when it cannot even be kept as an orphan).
    TextMismatch,
    /// An annotation that targets no text (an image region, a whole page, a video).
    NonTextTarget,
    /// A part of the file that is not in the file (a linked W3C page, not fetched).
    LinkedPage,
    /// A line or item that is not valid in its format (named in the examples).
    Malformed,
    /// A kind of result this importer does not read (a Label Studio rating, a brat `*`
    /// equivalence…).
    Unsupported,
}

impl Reason {
    /// Every reason, in report order.
    pub const ALL: [Self; 13] = [
        Self::UnknownType,
        Self::SkippedType,
        Self::Relation,
        Self::Event,
        Self::Attribute,
        Self::Note,
        Self::Normalisation,
        Self::OutsideText,
        Self::TextMismatch,
        Self::NonTextTarget,
        Self::LinkedPage,
        Self::Malformed,
        Self::Unsupported,
    ];

    /// The key in `--report` JSON.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::UnknownType => "unknown_type",
            Self::SkippedType => "skipped_type",
            Self::Relation => "relation",
            Self::Event => "event",
            Self::Attribute => "attribute",
            Self::Note => "note",
            Self::Normalisation => "normalisation",
            Self::OutsideText => "outside_text",
            Self::TextMismatch => "text_mismatch",
            Self::NonTextTarget => "non_text_target",
            Self::LinkedPage => "linked_page",
            Self::Malformed => "malformed",
            Self::Unsupported => "unsupported",
        }
    }

    /// In words, for people.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::UnknownType => "unknown type",
            Self::SkippedType => "type mapped to skip",
            Self::Relation => "relation",
            Self::Event => "event",
            Self::Attribute => "attribute",
            Self::Note => "note",
            Self::Normalisation => "normalisation",
            Self::OutsideText => "outside the text",
            Self::TextMismatch => "text mismatch",
            Self::NonTextTarget => "non-text target",
            Self::LinkedPage => "linked page not in the file",
            Self::Malformed => "malformed",
            Self::Unsupported => "not supported",
        }
    }
}

/// How many examples of each reason a report keeps.
pub const EXAMPLES_PER_REASON: usize = 3;

/// What one import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Annotations imported (placed or orphaned), per kind, indexed by [`Kind::index`].
    pub imported: [usize; 3],
    /// What was not imported, by reason.
    pub not_imported: BTreeMap<Reason, usize>,
    /// Annotations placed elsewhere than their stated offsets (a byte-order mark or CRLF
    /// counted by the other tool, or the text found nearby).
    pub moved: usize,
    /// Annotations kept as orphans: their text was not found in the article.
    pub orphans: usize,
    /// Types no mapping names, with how many items had each (brat types, labels,
    /// motivations).
    pub unknown_types: BTreeMap<String, usize>,
    /// The first few examples per reason (and of moves and orphans), in the order met.
    pub examples: Vec<(String, String)>,
    /// Links (relations, event arguments) kept between imported annotations.
    pub links: usize,
    /// Items in the file that carried annotations at all (entities, annotations, regions):
    /// an import that brings in none of them is a failure.
    pub items: usize,
    /// The first text marked with each unknown type (for the app's mapping step).
    pub samples: BTreeMap<String, String>,
}

impl ImportReport {
    /// Counts one thing not imported for `reason`, keeping `example()` among the first few.
    pub fn skip(&mut self, reason: Reason, example: impl FnOnce() -> String) {
        let n = self.not_imported.entry(reason).or_default();
        *n += 1;
        if *n <= EXAMPLES_PER_REASON {
            self.examples.push((
                reason.label().to_owned(),
                crate::text::shorten(&example(), 160),
            ));
        }
    }

    /// Counts an item of an unknown type `name` (named in the report) marking `sample`.
    pub fn unknown_type(&mut self, name: &str, sample: &str, example: impl FnOnce() -> String) {
        *self.unknown_types.entry(name.to_owned()).or_default() += 1;
        self.samples
            .entry(name.to_owned())
            .or_insert_with(|| crate::text::shorten(sample, 80));
        self.skip(Reason::UnknownType, example);
    }

    /// Counts a move, keeping `example()` among the first few.
    pub fn moved(&mut self, example: impl FnOnce() -> String) {
        self.moved += 1;
        if self.moved <= EXAMPLES_PER_REASON {
            self.examples
                .push(("moved".to_owned(), crate::text::shorten(&example(), 160)));
        }
    }

    /// Counts an orphan, keeping `example()` among the first few.
    pub fn orphan(&mut self, example: impl FnOnce() -> String) {
        self.orphans += 1;
        if self.orphans <= EXAMPLES_PER_REASON {
            self.examples
                .push(("orphan".to_owned(), crate::text::shorten(&example(), 160)));
        }
    }

    /// Counts an imported annotation of `kind`.
    pub fn imported(&mut self, kind: Kind) {
        self.imported[kind.index()] += 1;
    }

    /// Annotations imported, all kinds.
    #[must_use]
    pub fn total_imported(&self) -> usize {
        self.imported.iter().sum()
    }

    /// Things not imported, all reasons.
    #[must_use]
    pub fn total_not_imported(&self) -> usize {
        self.not_imported.values().sum()
    }

    /// True when the file had annotations and none came in: the command line fails then.
    #[must_use]
    pub fn brought_nothing(&self) -> bool {
        self.total_imported() == 0 && (self.items > 0 || self.total_not_imported() > 0)
    }

    /// Adds another report's counts (one per document of a multi-document file).
    pub fn absorb(&mut self, other: Self) {
        for (a, b) in self.imported.iter_mut().zip(other.imported) {
            *a += b;
        }
        for (r, n) in other.not_imported {
            *self.not_imported.entry(r).or_default() += n;
        }
        for (t, n) in other.unknown_types {
            *self.unknown_types.entry(t).or_default() += n;
        }
        for (t, sample) in other.samples {
            self.samples.entry(t).or_insert(sample);
        }
        self.moved += other.moved;
        self.orphans += other.orphans;
        self.links += other.links;
        self.items += other.items;
        for e in other.examples {
            let same = self.examples.iter().filter(|(k, _)| *k == e.0).count();
            if same < EXAMPLES_PER_REASON {
                self.examples.push(e);
            }
        }
    }

    /// The `--report` JSON: `{"imported":{"claim":N,"quote":N,"figure":N},
    /// "not_imported":{"REASON":N,…},"moved":N,"orphans":N,"unknown_types":{"TYPE":N,…}}`,
    /// keys sorted, pretty-printed, ending in a newline.
    #[must_use]
    pub fn to_json(&self) -> String {
        let imported: serde_json::Map<String, serde_json::Value> = Kind::ALL
            .iter()
            .map(|k| (k.key().to_owned(), json!(self.imported[k.index()])))
            .collect();
        let not_imported: serde_json::Map<String, serde_json::Value> = self
            .not_imported
            .iter()
            .map(|(r, n)| (r.key().to_owned(), json!(n)))
            .collect();
        let unknown: serde_json::Map<String, serde_json::Value> = self
            .unknown_types
            .iter()
            .map(|(t, n)| (t.clone(), json!(n)))
            .collect();
        let v = json!({
            "imported": imported,
            "not_imported": not_imported,
            "moved": self.moved,
            "orphans": self.orphans,
            "unknown_types": unknown,
        });
        format!(
            "{}\n",
            serde_json::to_string_pretty(&v).unwrap_or_else(|_| "{}".to_owned())
        )
    }

    /// A few lines for people: what came in, what did not and why, with the first
    /// examples.
    #[must_use]
    pub fn summary(&self) -> String {
        use std::fmt::Write as _;
        let kinds: Vec<String> = Kind::ALL
            .iter()
            .map(|k| crate::text::count(self.imported[k.index()], k.key()))
            .collect();
        let mut out = format!(
            "imported {} ({})",
            crate::text::count(self.total_imported(), "annotation"),
            kinds.join(", ")
        );
        if self.links > 0 {
            let _ = write!(out, ", {}", crate::text::count(self.links, "link"));
        }
        let _ = write!(out, "; {} moved, {} orphaned", self.moved, self.orphans);
        if !self.not_imported.is_empty() {
            let parts: Vec<String> = self
                .not_imported
                .iter()
                .map(|(r, n)| format!("{} {n}", r.label()))
                .collect();
            let _ = write!(
                out,
                "\nnot imported: {} ({})",
                self.total_not_imported(),
                parts.join(", ")
            );
        }
        if !self.unknown_types.is_empty() {
            let types: Vec<String> = self
                .unknown_types
                .iter()
                .map(|(t, n)| format!("{} ×{n}", crate::text::shorten(t, 40)))
                .collect();
            let _ = write!(
                out,
                "\nunknown types (map them with --map TYPE=claim|quote|figure|skip): {}",
                types.join(", ")
            );
        }
        for (what, example) in &self.examples {
            let _ = write!(out, "\n  {what}: {example}");
        }
        out
    }
}

/// What a type of another tool becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// An annotation of this kind.
    Kind(Kind),
    /// Nothing (counted as [`Reason::SkippedType`]).
    Skip,
}

/// Types of another tool mapped to kinds, matched case-insensitively. Tallymark's own
/// names (`Claim`, `Quote`, `Figure`, in any case) map to their kinds unless mapped
/// otherwise.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypeMap {
    map: BTreeMap<String, Target>,
}

impl TypeMap {
    /// Parses `TYPE=KIND` options (`KIND`: claim, quote, figure or skip, any case).
    ///
    /// # Errors
    /// An option without `=`, with an empty type, or with another kind; the message names
    /// the option.
    pub fn parse<S: AsRef<str>>(options: &[S]) -> Result<Self, String> {
        let mut map = BTreeMap::new();
        for o in options {
            let o = o.as_ref();
            let (ty, kind) = o.rsplit_once('=').ok_or_else(|| {
                format!(
                    "--map {}: expected TYPE=KIND (KIND: claim, quote, figure or skip)",
                    crate::text::quote_input(o)
                )
            })?;
            let ty = ty.trim();
            if ty.is_empty() {
                return Err(format!(
                    "--map {}: the type is empty",
                    crate::text::quote_input(o)
                ));
            }
            let target = match kind.trim().to_lowercase().as_str() {
                "claim" => Target::Kind(Kind::Claim),
                "quote" => Target::Kind(Kind::Quote),
                "figure" => Target::Kind(Kind::Figure),
                "skip" => Target::Skip,
                _ => {
                    return Err(format!(
                        "--map {}: {} is not a kind (claim, quote, figure or skip)",
                        crate::text::quote_input(o),
                        crate::text::quote_input(kind)
                    ));
                }
            };
            map.insert(ty.to_lowercase(), target);
        }
        Ok(Self { map })
    }

    /// Maps one type to a target (the app's mapping step).
    pub fn insert(&mut self, ty: &str, target: Target) {
        self.map.insert(ty.to_lowercase(), target);
    }

    /// What `ty` becomes: the mapping, else Tallymark's own kind names, else nothing.
    #[must_use]
    pub fn get(&self, ty: &str) -> Option<Target> {
        let key = ty.trim().to_lowercase();
        self.map.get(&key).copied().or_else(|| {
            Kind::ALL
                .into_iter()
                .find(|k| k.key() == key)
                .map(Target::Kind)
        })
    }

    /// True when nothing is mapped.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The mapping as `(type, kind)` pairs (`kind`: claim, quote, figure or skip), types
    /// in lower case, sorted: what the app remembers per source.
    #[must_use]
    pub fn pairs(&self) -> Vec<(String, String)> {
        self.map
            .iter()
            .map(|(t, target)| {
                let kind = match target {
                    Target::Kind(k) => k.key(),
                    Target::Skip => "skip",
                };
                (t.clone(), kind.to_owned())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_are_case_insensitive_and_own_names_need_none() {
        let m = TypeMap::parse(&["Premise=claim", "PERSON=Skip", "a=b=quote"]).unwrap();
        assert_eq!(m.get("premise"), Some(Target::Kind(Kind::Claim)));
        assert_eq!(m.get("Person"), Some(Target::Skip));
        assert_eq!(m.get("a=b"), Some(Target::Kind(Kind::Quote)));
        assert_eq!(m.get("FIGURE"), Some(Target::Kind(Kind::Figure)));
        assert_eq!(m.get("Location"), None);
        assert!(
            TypeMap::parse(&["Premise"])
                .unwrap_err()
                .contains("TYPE=KIND")
        );
        assert!(
            TypeMap::parse(&["Premise=opinion"])
                .unwrap_err()
                .contains("not a kind")
        );
        assert!(TypeMap::parse(&["=claim"]).unwrap_err().contains("empty"));
    }

    #[test]
    fn the_report_counts_keeps_three_examples_and_has_the_documented_shape() {
        let mut r = ImportReport::default();
        r.imported(Kind::Claim);
        for i in 0..5 {
            r.unknown_type("Person", "Ilse Marrow", || format!("T{i}"));
        }
        r.skip(Reason::Relation, || "R1".to_owned());
        r.moved(|| "T9".to_owned());
        let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(
            v,
            json!({
                "imported": {"claim": 1, "quote": 0, "figure": 0},
                "not_imported": {"unknown_type": 5, "relation": 1},
                "moved": 1,
                "orphans": 0,
                "unknown_types": {"Person": 5},
            })
        );
        assert_eq!(
            r.examples
                .iter()
                .filter(|(k, _)| k == "unknown type")
                .count(),
            3
        );
        assert!(r.summary().contains("Person ×5"), "{}", r.summary());
        assert_eq!(r.samples["Person"], "Ilse Marrow");
        assert!(!r.brought_nothing());
        let mut empty = ImportReport::default();
        assert!(!empty.brought_nothing());
        empty.items = 1;
        assert!(empty.brought_nothing());
    }
}
