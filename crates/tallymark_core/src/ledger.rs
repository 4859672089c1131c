//! The ledger: one story's figures as **claims**, with only the real conflicts.
//!
//! A claim is one figure as stated by one source: same metric family, same scope (group of
//! people and place), same claiming source, compatible values, reported within a few days
//! of each other. The same claim repeated by several articles or outlets is one claim with
//! several citations. A source's claims over time form a **series** (an update, not a
//! conflict). Two claims **conflict** only when they cannot both be true: different sources,
//! the same scope (or a part larger than its whole), at the same time (dated within the
//! window, or one undated), values that do not overlap.
//!
//! The rules are in [`ledger`]; `docs/compare.md` says them for people.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::annotation::{AnnotationId, FigureAttrs, format_date, format_number};
use crate::compare::Interval;
use crate::document::Document;
use crate::metrics::Taxonomy;
use crate::scope::Groups;

/// One place a claim is made: an article, its outlet and date, the span.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// The article's title.
    pub document: String,
    /// Index of the article in the list given.
    #[serde(skip)]
    pub doc_index: usize,
    /// The article's outlet, when known.
    pub outlet: Option<String>,
    /// The article's publication day, when known.
    pub published: Option<String>,
    /// The annotation.
    #[serde(skip)]
    pub id: AnnotationId,
    /// First char of the figure.
    pub start: usize,
    /// One past its last char.
    pub end: usize,
    /// The figure's text. (a discontinuous one's parts joined by ` … `).
    pub exact: String,
}

/// One figure as stated by one source, with every place it is cited.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Claim {
    /// Its number in its family (0, 1, …).
    pub id: usize,
    /// Value (or floor), as first stated.
    pub value_low: Option<f64>,
    /// Top of a range.
    pub value_high: Option<f64>,
    /// Qualifier key (`more_than`…).
    pub qualifier: String,
    #[serde(skip)]
    qualifier_kind: crate::annotation::Qualifier,
    /// Who is counted, as written.
    pub who: String,
    /// The place it is for, empty for the whole.
    pub place: String,
    /// Who makes the claim, as first written (empty when unknown).
    pub source: String,
    /// The earliest day it was reported.
    pub first_reported: Option<String>,
    /// The latest day it was reported.
    pub last_reported: Option<String>,
    /// Every place it is cited.
    pub citations: Vec<Citation>,
    /// The values it allows.
    #[serde(skip)]
    pub interval: Interval,
    /// Its scope: the group (or the words of `who`) and the place, normalised.
    #[serde(skip)]
    scope: Scope,
    /// Its source, normalised (aliases folded).
    #[serde(skip)]
    source_key: String,
    #[serde(skip)]
    first: Option<time::Date>,
    #[serde(skip)]
    last: Option<time::Date>,
    /// The user's name for it (see `FigureAttrs::claim`), folded; empty when the rules made it.
    #[serde(skip)]
    label: String,
    /// The name of the claim the user said it is a part of, folded.
    #[serde(skip)]
    part_of: String,
}

impl Claim {
    /// `at least 31`, `9–12`.
    #[must_use]
    pub fn value_text(&self) -> String {
        let attrs = FigureAttrs {
            value_low: self.value_low,
            value_high: self.value_high,
            qualifier: self.qualifier_kind,
            ..FigureAttrs::default()
        };
        attrs.describe_value()
    }

    /// `“47” (regional emergency service, 2025-03-16)` for conflict reasons.
    fn cite(&self) -> String {
        let mut who = Vec::new();
        if !self.source.is_empty() {
            who.push(self.source.clone());
        }
        if !self.place.is_empty() {
            who.push(format!("in {}", self.place));
        }
        if let Some(d) = &self.last_reported {
            who.push(d.clone());
        }
        if who.is_empty() {
            format!("“{}”", self.value_text())
        } else {
            format!("“{}” ({})", self.value_text(), who.join(", "))
        }
    }
}

/// A source's claims in date order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Series {
    /// The source, as first written.
    pub source: String,
    /// Claim ids, earliest first.
    pub claims: Vec<usize>,
}

/// Two claims that cannot both be true.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LedgerConflict {
    /// The lower claim.
    pub a: usize,
    /// The higher claim.
    pub b: usize,
    /// How far apart: the higher's floor over the lower's ceiling.
    pub ratio: f64,
    /// Why, in words.
    pub reason: String,
}

/// One family's ledger.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FamilyLedger {
    /// Family id (`killed`, `detentions`).
    pub metric: String,
    /// Display name.
    pub label: String,
    /// The lowest value a claim about the whole allows.
    pub low: Option<f64>,
    /// The best estimate (see `best_rule`).
    pub best: Option<f64>,
    /// The highest value a claim about the whole states.
    pub high: Option<f64>,
    /// Which rule chose `best`, in words.
    pub best_rule: String,
    /// The claims.
    pub claims: Vec<Claim>,
    /// Each source's claims over time (sources with at least one claim).
    pub series: Vec<Series>,
    /// The conflicts, widest first: per pair of sources and day the widest, at most
    /// [`MAX_CONFLICTS`].
    pub conflicts: Vec<LedgerConflict>,
    /// True when more conflicts were found than are listed (absent from JSON when false).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub more_conflicts: bool,
}

/// Conflicts listed per family at most, as in the comparison.
pub use crate::compare::MAX_CONFLICTS;

/// The ledger of a story.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ledger {
    /// Families in taxonomy order.
    pub families: Vec<FamilyLedger>,
    /// What the articles lack for a full ledger (no outlet, no date), one line each.
    pub missing: Vec<String>,
    /// Names the ledger keeps apart that look like one source, for the user to confirm or
    /// reject (remembered in `sources.ron`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub maybe_same: Vec<MaybeSame>,
}

/// Two source names the ledger keeps apart that may be one source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MaybeSame {
    /// One name, as first written.
    pub a: String,
    /// The other.
    pub b: String,
    /// Why they look alike: `spelling` (a letter or two apart: a typo, another
    /// transliteration) or `initials` (one is the other's initials).
    pub why: &'static str,
}

/// Pairs of `names` (key → name as written) that look like one source and that the user
/// has not already said are two; in name order.
fn maybe_same_sources(names: &BTreeMap<String, String>, aliases: &SourceAliases) -> Vec<MaybeSame> {
    let list: Vec<(&String, &String)> = names.iter().collect();
    let chars: Vec<Vec<char>> = list.iter().map(|(k, _)| k.chars().collect()).collect();
    // Only plausible pairs are looked at closely, so a workspace of thousands of sources
    // stays fast (the ledger is rebuilt after every edit): for spelling, names of five
    // letters or more, of nearly the same length, starting with the same letter; for
    // initials, a one-word name and the longer names whose initials it is.
    let mut found: BTreeMap<(usize, usize), &'static str> = BTreeMap::new();
    let mut by_start: HashMap<(char, usize), Vec<usize>> = HashMap::new();
    for (i, c) in chars.iter().enumerate() {
        if c.len() >= 5 {
            by_start.entry((c[0], c.len())).or_default().push(i);
        }
    }
    for (i, c) in chars.iter().enumerate() {
        if c.len() < 5 {
            continue;
        }
        let slack = (c.len() / 6).max(1);
        for len in c.len()..=c.len() + slack {
            for &j in by_start.get(&(c[0], len)).into_iter().flatten() {
                // Each pair once: the longer name, or the later one of the same length.
                if (len > c.len() || j > i)
                    && within_edits(c, &chars[j], slack)
                    && one_word_misspelt(list[i].0, list[j].0)
                {
                    found.insert((i.min(j), i.max(j)), "spelling");
                }
            }
        }
    }
    let mut by_initials: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (_, name)) in list.iter().enumerate() {
        if name.split_whitespace().count() >= 3 {
            by_initials.entry(initials(name)).or_default().push(i);
        }
    }
    for (i, (_, name)) in list.iter().enumerate() {
        if let Some(w) = single_word(name) {
            for &j in by_initials.get(&w).into_iter().flatten() {
                found.entry((i.min(j), i.max(j))).or_insert("initials");
            }
        }
    }
    let apart = aliases.apart_keys();
    found
        .into_iter()
        .filter_map(|((i, j), why)| {
            let ((ka, a), (kb, b)) = (list[i], list[j]);
            if same_source(ka, kb) || apart.contains(&(ka.clone(), kb.clone())) {
                return None;
            }
            Some(MaybeSame {
                a: a.clone(),
                b: b.clone(),
                why,
            })
        })
        .collect()
}

/// True when two source keys differ in one word only, a word of letters, five or more
/// of them in both: "tokayev" and "tokaev", not "district 5 police" and "district 6
/// police", "us embassy" and "uk embassy", "mr smith" and "mrs smith".
fn one_word_misspelt(a: &str, b: &str) -> bool {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    if wa.len() != wb.len() {
        return false;
    }
    let differing: Vec<(&str, &str)> = wa.into_iter().zip(wb).filter(|(x, y)| x != y).collect();
    let word = |w: &str| w.chars().count() >= 5 && w.chars().all(char::is_alphabetic);
    matches!(differing.as_slice(), [(x, y)] if word(x) && word(y))
}

/// The initials of a name's words, lower-cased, small words left out ("International
/// Committee of the Red Cross": `icrc`).
fn initials(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| {
            !matches!(
                w.to_lowercase().as_str(),
                "of" | "the" | "and" | "for" | "on"
            )
        })
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A name of one word of three letters or more, lower-cased: what could be initials.
fn single_word(name: &str) -> Option<String> {
    let w = name.trim();
    (w.chars().count() >= 3 && w.chars().all(char::is_alphabetic)).then(|| w.to_lowercase())
}

/// True when `a` and `b` are at most `k` edits apart (Levenshtein, in chars), computed in
/// the band of width `2k + 1` around the diagonal and given up as soon as a row is over
/// `k`: a few dozen steps per pair instead of the whole table.
fn within_edits(a: &[char], b: &[char], k: usize) -> bool {
    if a.len().abs_diff(b.len()) > k {
        return false;
    }
    let far = k + 1;
    // row[j]: edits from a[..i] to b[..j], capped at `far`.
    let mut row: Vec<usize> = (0..=b.len()).map(|j| j.min(far)).collect();
    for i in 1..=a.len() {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(b.len());
        let mut diagonal = row[lo - 1];
        row[lo - 1] = if lo == 1 { i.min(far) } else { far };
        let mut best = row[lo - 1];
        for j in lo..=hi {
            let above = row[j];
            row[j] = (above + 1)
                .min(row[j - 1] + 1)
                .min(diagonal + usize::from(a[i - 1] != b[j - 1]))
                .min(far);
            diagonal = above;
            best = best.min(row[j]);
        }
        if hi < b.len() {
            row[hi + 1] = far;
        }
        if best > k {
            return false;
        }
    }
    row[b.len()] <= k
}

/// Levenshtein distance in chars (the whole table: what the banded check is tested against).
#[cfg(test)]
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// An article in the story.
pub struct Article<'a> {
    /// Its title.
    pub title: String,
    /// The document.
    pub doc: &'a Document,
}

/// How claims are told apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Claims reported within this many days of each other are "at the same time".
    pub window_days: i64,
    /// Names of one source said in different words (`sources.ron`).
    pub aliases: std::sync::Arc<SourceAliases>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            window_days: 2,
            aliases: std::sync::Arc::new(SourceAliases::builtin()),
        }
    }
}

/// Names of one source said in different words: each group is one source in the ledger
/// (`assets/sources.ron`, or the user's `sources.ron` in the config folder).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SourceAliases {
    /// Groups of names, the first the one the group is known by.
    pub aliases: Vec<Vec<String>>,
    /// Pairs of names the user said are two sources, however alike they look: never
    /// suggested again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distinct: Vec<[String; 2]>,
}

const BUILTIN_SOURCES: &str = include_str!("../../../assets/sources.ron");

impl SourceAliases {
    /// The bundled list.
    #[must_use]
    pub fn builtin() -> Self {
        ron::from_str(BUILTIN_SOURCES).unwrap_or_default()
    }

    /// The user's `sources.ron` in `config_dir` when there is one and it reads, else the
    /// bundled list; with the reason when the user's file was not used.
    #[must_use]
    pub fn from_config(config_dir: &std::path::Path) -> (Self, Option<String>) {
        match crate::persist::read_config(config_dir, "sources.ron") {
            Ok(a) => (a.unwrap_or_else(Self::builtin), None),
            Err(e) => (Self::builtin(), Some(e)),
        }
    }

    /// True when the user said the sources of keys `a` and `b` are two.
    fn kept_apart(&self, a: &str, b: &str) -> bool {
        let (a, b) = (self.canonical(a.to_owned()), self.canonical(b.to_owned()));
        self.apart_keys().contains(&(a, b))
    }

    /// Records that `a` and `b` name one source: into the group of either (joining their
    /// groups when both have one), else as a new group known by `a`.
    pub fn same(&mut self, a: &str, b: &str) {
        match (self.group_of(&source_key(a)), self.group_of(&source_key(b))) {
            (Some(i), Some(j)) if i != j => {
                let moved = self.aliases.remove(j);
                let i = if j < i { i - 1 } else { i };
                self.aliases[i].extend(moved);
            }
            (Some(_), Some(_)) => {}
            (Some(i), None) => self.aliases[i].push(b.to_owned()),
            (None, Some(j)) => self.aliases[j].push(a.to_owned()),
            (None, None) => self.aliases.push(vec![a.to_owned(), b.to_owned()]),
        }
        // A pair said to be two that is now one group is answered anew.
        let distinct = std::mem::take(&mut self.distinct);
        self.distinct = distinct
            .into_iter()
            .filter(|[x, y]| self.canonical(source_key(x)) != self.canonical(source_key(y)))
            .collect();
    }

    /// Records that `a` and `b` are two sources.
    pub fn distinct(&mut self, a: &str, b: &str) {
        if !self.kept_apart(&source_key(a), &source_key(b)) {
            self.distinct.push([a.to_owned(), b.to_owned()]);
        }
    }

    /// Writes the list as the user's `sources.ron` in `config_dir` (which then replaces
    /// the bundled one, as a copy the user made would).
    ///
    /// # Errors
    /// When the folder or the file cannot be written (the message names it).
    pub fn save_to_config(&self, config_dir: &std::path::Path) -> Result<(), String> {
        let path = config_dir.join("sources.ron");
        let body = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .map_err(|e| e.to_string())?;
        let text = format!(
            "// Names of one source said in different words, and names that are two sources\n\
             // however alike (written by Tallymark when you confirm or reject a suggestion in\n\
             // the ledger; edit it freely).\n{body}\n"
        );
        std::fs::create_dir_all(config_dir)
            .map_err(|e| format!("{}: {e}", config_dir.display()))?;
        crate::persist::write_atomic(&path, text.as_bytes()).map_err(|e| e.to_string())
    }

    /// The key of the group `key` (a [`source_key`]) belongs to, or `key` itself.
    fn canonical(&self, key: String) -> String {
        match self.group_of(&key).and_then(|i| self.aliases[i].first()) {
            Some(first) => source_key(first),
            None => key,
        }
    }

    /// The group that source key `key` belongs to, if any.
    fn group_of(&self, key: &str) -> Option<usize> {
        self.aliases
            .iter()
            .position(|g| g.iter().any(|n| source_key(n) == key))
    }

    /// The pairs of group keys the user said are two sources, both ways round.
    fn apart_keys(&self) -> HashSet<(String, String)> {
        self.distinct
            .iter()
            .flat_map(|[x, y]| {
                let (x, y) = (self.canonical(source_key(x)), self.canonical(source_key(y)));
                [(x.clone(), y.clone()), (y, x)]
            })
            .collect()
    }
}

/// A claim's scope: the group of people (its id where `who` names one, else its words) and
/// the place.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
struct Scope {
    group: String,
    place: String,
}

/// How two scopes relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Relation {
    Same,
    /// The first is part of the second.
    PartOf,
    /// The second is part of the first.
    Contains,
    Unrelated,
}

fn relation(groups: &Groups, a: &Scope, b: &Scope) -> Relation {
    let group_part = |x: &str, y: &str| x == y || groups.is_part_of(x, y);
    let place_part = |x: &str, y: &str| x == y || y.is_empty();
    if a == b {
        Relation::Same
    } else if group_part(&a.group, &b.group) && place_part(&a.place, &b.place) {
        Relation::PartOf
    } else if group_part(&b.group, &a.group) && place_part(&b.place, &a.place) {
        Relation::Contains
    } else {
        Relation::Unrelated
    }
}

/// A source's key: lower case, without "the", possessives, punctuation and the words that
/// add nothing ("official", "spokesman for"), so "the health ministry" and "Health Ministry"
/// are one source; "Ministry of Health" is folded to "health ministry" too.
#[must_use]
pub fn source_key(source: &str) -> String {
    let lower = source.to_lowercase().replace(['’', '\''], "");
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| !matches!(*w, "the" | "s" | "a" | "an" | "per" | "according" | "to"))
        .collect();
    // "ministry of health" → "health ministry".
    if let Some(at) = words.iter().position(|w| *w == "of")
        && at > 0
        && at + 1 < words.len()
    {
        let mut out: Vec<&str> = words[at + 1..].to_vec();
        out.extend(&words[..at]);
        return out.join(" ");
    }
    words.join(" ")
}

/// Claims by scope and by the number they state (on a log scale, in buckets a little wider
/// than [`same_number`]'s tolerance), and by the user's names.
#[derive(Default)]
struct ClaimIndex {
    by_value: std::collections::HashMap<(Scope, i64), Vec<usize>>,
    labels: std::collections::HashMap<String, usize>,
}

impl ClaimIndex {
    fn bucket(v: Option<f64>) -> i64 {
        v.map_or(i64::MIN, |x| {
            (x.abs().max(1e-9).log10() * 1000.0).round() as i64
        })
    }

    fn add(&mut self, scope: &Scope, value: Option<f64>, label: &str, at: usize) {
        self.by_value
            .entry((scope.clone(), Self::bucket(value)))
            .or_default()
            .push(at);
        if !label.is_empty() {
            self.labels.entry(label.to_owned()).or_insert(at);
        }
    }

    /// Claims that may state the same number for the same scope (neighbouring buckets too).
    fn candidates(&self, scope: &Scope, value: Option<f64>) -> Vec<usize> {
        let b = Self::bucket(value);
        let near: &[i64] = if b == i64::MIN { &[0] } else { &[-1, 0, 1] };
        let mut out: Vec<usize> = near
            .iter()
            .filter_map(|d| self.by_value.get(&(scope.clone(), b.saturating_add(*d))))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out
    }
}

/// True when two stated numbers are the same (both absent, or equal to a part in a
/// thousand: "1.2 million" and "1,200,000").
fn same_number(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() <= x.abs().max(y.abs()) * 1e-3,
        _ => false,
    }
}

/// True when two source keys name one source: equal, or the words of one all in the
/// other ("charity" and "charity valley childrens trust"). An unknown source (empty) is
/// only itself.
fn same_source(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let words = |s: &str| {
        s.split(' ')
            .map(str::to_owned)
            .collect::<std::collections::BTreeSet<_>>()
    };
    let (wa, wb) = (words(a), words(b));
    wa.is_subset(&wb) || wb.is_subset(&wa)
}

/// Builds the ledger of `articles`.
#[must_use]
pub fn ledger(
    articles: &[Article<'_>],
    taxonomy: &Taxonomy,
    groups: &Groups,
    options: &Options,
) -> Ledger {
    let mut missing = Vec::new();
    let mut by_family: BTreeMap<usize, (crate::metrics::Family, Vec<Claim>, ClaimIndex)> =
        BTreeMap::new();
    for (doc_index, art) in articles.iter().enumerate() {
        let meta = &art.doc.meta;
        let mut lacks = Vec::new();
        if meta.outlet.is_none() {
            lacks.push("outlet");
        }
        if meta.published.is_none() {
            lacks.push("publication date");
        }
        if !lacks.is_empty() {
            missing.push(format!(
                "“{}” has no {}",
                crate::text::shorten(&art.title, 60),
                lacks.join(" and no ")
            ));
        }
        let published = meta.published.map(|p| p.date);
        for a in art.doc.annotations() {
            let Some(f) = a.figure() else { continue };
            // The user left it out.
            if f.excluded {
                continue;
            }
            let Some(interval) = Interval::of(f) else {
                continue;
            };
            let family = taxonomy.family_of(if f.metric.is_empty() {
                "other"
            } else {
                &f.metric
            });
            // `other` collects unrelated counts: listed by `compare`, never a ledger line.
            if family.id == "other" {
                continue;
            }
            let order = taxonomy
                .families
                .iter()
                .position(|x| x.id == family.id)
                .unwrap_or(usize::MAX - 1);
            let date = f.reported.or(published);
            let scope = Scope {
                group: groups
                    .resolve(&f.who)
                    .map_or_else(|| f.who.trim().to_lowercase(), |g| g.id.clone()),
                place: f.place.trim().to_lowercase(),
            };
            let citation = Citation {
                document: art.title.clone(),
                doc_index,
                outlet: meta.outlet.clone(),
                published: meta.published.map(|p| format_date(p.date)),
                id: a.id,
                start: a.span.start,
                end: a.span.end,
                exact: a.marked_text().into_owned(),
            };
            let (_, claims, index) = by_family
                .entry(order)
                .or_insert_with(|| (family, Vec::new(), ClaimIndex::default()));
            let key = options.aliases.canonical(source_key(&f.source));
            let near = |c: &Claim| match (date, c.first, c.last) {
                (Some(d), Some(first), Some(last)) => {
                    (d - last).whole_days() <= options.window_days
                        && (first - d).whole_days() <= options.window_days
                }
                _ => true,
            };
            // The same number stated by the same source (an unknown source: any source) for
            // the same scope, at about the same time, is one claim: "at least 47" and "47"
            // are one; "at least 31" then "47" are two, a series.
            let same_value = |c: &Claim| {
                same_number(c.value_low, f.value_low) && same_number(c.value_high, f.value_high)
            };
            let label = f.claim.trim().to_lowercase();
            // Only the claims of the same scope and about the same number are looked at:
            // a story of a thousand articles stays linear.
            let candidates = index.candidates(&scope, f.value_low);
            let at = if label.is_empty() {
                candidates.iter().copied().find(|&i| {
                    let c = &claims[i];
                    c.label.is_empty()
                        && same_source(&c.source_key, &key)
                        && same_value(c)
                        && near(c)
                })
            } else {
                // The user said which claim it is: that decides, whatever the rules say.
                index.labels.get(&label).copied()
            };
            let at = at.or_else(|| {
                // A figure whose source the article does not name is cited for the
                // named claim of the same number at the same time, if there is one.
                key.is_empty()
                    .then(|| {
                        candidates.iter().copied().find(|&i| {
                            let c = &claims[i];
                            c.label.is_empty() && same_value(c) && near(c)
                        })
                    })
                    .flatten()
            });
            if let Some(c) = at.map(|i| &mut claims[i]) {
                // The fullest name of the source is the claim's.
                if key.len() > c.source_key.len() && same_source(&c.source_key, &key) {
                    c.source_key.clone_from(&key);
                    c.source.clone_from(&f.source);
                }
                if !c
                    .citations
                    .iter()
                    .any(|x| x.doc_index == doc_index && x.start == citation.start)
                {
                    c.citations.push(citation);
                }
                if let Some(d) = date {
                    c.first = Some(c.first.map_or(d, |x| x.min(d)));
                    c.last = Some(c.last.map_or(d, |x| x.max(d)));
                }
                // The tightest statement of the value is the claim's.
                if interval.hi - interval.lo < c.interval.hi - c.interval.lo {
                    c.interval = interval;
                    c.value_low = f.value_low;
                    c.value_high = f.value_high;
                    f.qualifier.key().clone_into(&mut c.qualifier);
                    c.qualifier_kind = f.qualifier;
                }
            } else {
                index.add(&scope, f.value_low, &label, claims.len());
                claims.push(Claim {
                    id: 0,
                    value_low: f.value_low,
                    value_high: f.value_high,
                    qualifier: f.qualifier.key().to_owned(),
                    qualifier_kind: f.qualifier,
                    who: f.who.clone(),
                    place: f.place.clone(),
                    source: f.source.clone(),
                    first_reported: None,
                    last_reported: None,
                    citations: vec![citation],
                    interval,
                    scope,
                    source_key: key,
                    first: date,
                    last: date,
                    label,
                    part_of: f.part_of.trim().to_lowercase(),
                });
            }
        }
    }
    // Every source named, by key, as first written.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for c in by_family.values().flat_map(|(_, claims, _)| claims) {
        if !c.source_key.is_empty() {
            names
                .entry(c.source_key.clone())
                .or_insert_with(|| c.source.trim().to_owned());
        }
    }
    let maybe_same = maybe_same_sources(&names, &options.aliases);
    let families = by_family
        .into_values()
        .map(|(family, claims, _)| family_ledger(family, claims, groups, options.window_days))
        .collect();
    Ledger {
        families,
        missing,
        maybe_same,
    }
}

/// Two sources (with their scopes) and a day: one conflict is kept per key.
type PairKey = (String, Scope, String, Scope, Option<time::Date>);

fn family_ledger(
    family: crate::metrics::Family,
    mut claims: Vec<Claim>,
    groups: &Groups,
    window_days: i64,
) -> FamilyLedger {
    // Claims in date order (undated last), then by value: ids follow it.
    claims.sort_by(|a, b| {
        a.first
            .is_none()
            .cmp(&b.first.is_none())
            .then(a.first.cmp(&b.first))
            .then(a.interval.lo.total_cmp(&b.interval.lo))
    });
    for (i, c) in claims.iter_mut().enumerate() {
        c.id = i;
        c.first_reported = c.first.map(format_date);
        c.last_reported = c.last.map(format_date);
    }
    // Series: per named source and scope, in date order.
    let mut series: Vec<Series> = Vec::new();
    let mut keys: Vec<(String, Scope)> = Vec::new();
    for c in &claims {
        if c.source_key.is_empty() {
            continue;
        }
        if let Some(at) = keys
            .iter()
            .position(|(k, s)| *s == c.scope && same_source(k, &c.source_key))
        {
            series[at].claims.push(c.id);
        } else {
            keys.push((c.source_key.clone(), c.scope.clone()));
            // The whole (people, no place) needs no word; a part says which.
            let whole = groups.lineage(&c.scope.group).len() <= 1
                && groups
                    .resolve(&c.scope.group)
                    .is_none_or(|x| x.id == "people");
            let scope = match (whole, c.place.as_str()) {
                (true, "") => String::new(),
                (false, "") => format!(" — {}", c.who),
                (_, p) => format!(" — {} in {p}", c.who),
            };
            series.push(Series {
                source: format!("{}{scope}", c.source),
                claims: vec![c.id],
            });
        }
    }
    // Conflicts between claims that cannot both be true: per pair of sources (and scope
    // relation) and day, the widest one only. Two sources that disagree every day of a
    // week are seven conflicts, not one per repeated figure.
    let mut widest: std::collections::HashMap<PairKey, LedgerConflict> =
        std::collections::HashMap::new();
    for i in 0..claims.len() {
        for j in i + 1..claims.len() {
            let Some(c) = conflict(&claims[i], &claims[j], groups, window_days) else {
                continue;
            };
            let (lo, hi) = (&claims[c.a], &claims[c.b]);
            let name = |x: &Claim| {
                if x.source_key.is_empty() {
                    format!("#{}", x.id)
                } else {
                    x.source_key.clone()
                }
            };
            let key = (
                name(lo),
                lo.scope.clone(),
                name(hi),
                hi.scope.clone(),
                hi.last.or(hi.first),
            );
            match widest.get(&key) {
                Some(old) if old.ratio >= c.ratio => {}
                _ => {
                    widest.insert(key, c);
                }
            }
        }
    }
    let mut conflicts: Vec<LedgerConflict> = widest.into_values().collect();
    conflicts.sort_by(|a, b| {
        b.ratio
            .total_cmp(&a.ratio)
            .then(a.a.cmp(&b.a))
            .then(a.b.cmp(&b.b))
    });
    let more_conflicts = conflicts.len() > MAX_CONFLICTS;
    conflicts.truncate(MAX_CONFLICTS);
    // Low / best / high over the claims about the whole (no place, the widest group).
    let whole: Vec<&Claim> = claims
        .iter()
        .filter(|c| c.scope.place.is_empty() && groups.lineage(&c.scope.group).len() <= 1)
        .collect();
    let pool: Vec<&Claim> = if whole.is_empty() {
        claims.iter().collect()
    } else {
        whole
    };
    // As stated: "about 3,500" gives 3,500, not the ±10 % the comparison allows it.
    let low = pool.iter().filter_map(|c| c.value_low).reduce(f64::min);
    let high = pool
        .iter()
        .filter_map(|c| c.value_high.or(c.value_low))
        .reduce(f64::max);
    let (best, best_rule) = best_of(&pool);
    FamilyLedger {
        metric: family.id,
        label: family.label,
        low,
        best,
        high,
        best_rule,
        claims,
        series,
        conflicts,
        more_conflicts,
    }
}

/// The best estimate: the latest claim of the most-cited named source (ties: the later
/// claim); without named sources, the latest claim.
fn best_of(pool: &[&Claim]) -> (Option<f64>, String) {
    // Per named source: its citations and its latest claim.
    let mut sources: BTreeMap<&str, (usize, &str, &Claim)> = BTreeMap::new();
    for c in pool.iter().filter(|c| !c.source_key.is_empty()) {
        let e = sources
            .entry(c.source_key.as_str())
            .or_insert((0, c.source.as_str(), c));
        e.0 += c.citations.len();
        if (c.last, c.interval.lo) > (e.2.last, e.2.interval.lo) {
            e.2 = c;
        }
    }
    // The most cited; between sources cited as often, the one heard from last.
    let top = sources
        .values()
        .max_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.2.last.cmp(&b.2.last))
                .then(b.1.cmp(a.1))
        })
        .copied();
    match top {
        Some((n, name, latest)) => (
            latest.value_low,
            format!(
                "the latest figure of the most-cited source ({name}, {})",
                crate::text::count(n, "citation")
            ),
        ),
        None => (
            pool.iter()
                .max_by(|a, b| {
                    a.last
                        .cmp(&b.last)
                        .then(a.interval.lo.total_cmp(&b.interval.lo))
                })
                .and_then(|c| c.value_low),
            "the latest figure (no source is named)".to_owned(),
        ),
    }
}

fn conflict(a: &Claim, b: &Claim, groups: &Groups, window_days: i64) -> Option<LedgerConflict> {
    // At the same time: dated within the window, or one undated.
    if let (Some(x), Some(y)) = (a.last.or(a.first), b.last.or(b.first)) {
        let apart = (x - y).whole_days().abs();
        if apart > window_days {
            return None;
        }
    }
    if a.interval.overlaps(b.interval) {
        return None;
    }
    let (lo, hi) = if a.interval.hi < b.interval.lo {
        (a, b)
    } else {
        (b, a)
    };
    // The user's "part of" overrides the groups and places.
    let told =
        |part: &Claim, whole: &Claim| !part.part_of.is_empty() && part.part_of == whole.label;
    let rel = if told(lo, hi) {
        Relation::PartOf
    } else if told(hi, lo) {
        Relation::Contains
    } else {
        relation(groups, &lo.scope, &hi.scope)
    };
    let why = match rel {
        Relation::Same => {
            // A source's own claims form a series: an update, not a conflict.
            if same_source(&a.source_key, &b.source_key) && !a.source_key.is_empty() {
                return None;
            }
            // Tolls grow: a smaller count one day and a larger one a later day are both true.
            if let (Some(d_lo), Some(d_hi)) = (lo.last, hi.first)
                && d_lo < d_hi
            {
                return None;
            }
            format!(
                "one allows at most {}, the other at least {}",
                format_number(lo.interval.hi.round()),
                format_number(hi.interval.lo.round())
            )
        }
        // A part smaller than its whole is no contradiction; unrelated scopes are not compared.
        Relation::PartOf | Relation::Unrelated => return None,
        // A part larger than its whole is, whoever says it.
        Relation::Contains => {
            let part = if hi.place.is_empty() {
                hi.who.clone()
            } else {
                hi.place.clone()
            };
            format!(
                "{part} alone ({}) exceeds the total ({})",
                hi.value_text(),
                lo.value_text()
            )
        }
    };
    let ratio = if lo.interval.hi > 0.0 {
        hi.interval.lo / lo.interval.hi
    } else {
        f64::INFINITY
    };
    Some(LedgerConflict {
        a: lo.id,
        b: hi.id,
        ratio,
        reason: format!(
            "{} and {} cannot both be true: {why}.",
            lo.cite(),
            hi.cite()
        ),
    })
}

/// The ledger as text for people.
#[must_use]
pub fn to_table(l: &Ledger) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let num = |v: Option<f64>| v.map_or_else(|| "?".to_owned(), format_number);
    for fam in &l.families {
        let _ = writeln!(
            out,
            "{} ({}): low {} · best {} · high {} — best is {}",
            fam.label,
            fam.metric,
            num(fam.low),
            num(fam.best),
            num(fam.high),
            fam.best_rule
        );
        for s in &fam.series {
            let steps: Vec<String> = s
                .claims
                .iter()
                .map(|&i| {
                    let c = &fam.claims[i];
                    format!(
                        "{} {}",
                        c.value_text(),
                        c.last_reported.as_deref().unwrap_or("undated")
                    )
                })
                .collect();
            let _ = writeln!(out, "  {}: {}", s.source, steps.join(" → "));
        }
        for c in &fam.conflicts {
            let _ = writeln!(out, "  ! {} ({}×)", c.reason, format_ratio(c.ratio));
        }
        for c in &fam.claims {
            let mut outlets: Vec<(String, usize)> = Vec::new();
            for x in &c.citations {
                let name = x
                    .outlet
                    .clone()
                    .unwrap_or_else(|| crate::text::shorten(&x.document, 40));
                match outlets.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, k)) => *k += 1,
                    None => outlets.push((name, 1)),
                }
            }
            let outlets: Vec<String> = outlets
                .into_iter()
                .map(|(n, k)| if k == 1 { n } else { format!("{n} ×{k}") })
                .collect();
            let scope = match (c.who.as_str(), c.place.as_str()) {
                (w, "") => w.to_owned(),
                (w, p) => format!("{w} in {p}"),
            };
            let _ = writeln!(
                out,
                "  #{} {} {} · {} · {} · cited {}× ({})",
                c.id,
                c.value_text(),
                scope,
                if c.source.is_empty() {
                    "source unknown"
                } else {
                    &c.source
                },
                c.last_reported.as_deref().unwrap_or("undated"),
                c.citations.len(),
                outlets.join(", ")
            );
        }
        out.push('\n');
    }
    for m in &l.missing {
        let _ = writeln!(out, "note: {m}");
    }
    for m in &l.maybe_same {
        let _ = writeln!(
            out,
            "maybe one source ({}): “{}” and “{}” (confirm in the app's ledger, or list them in \
             sources.ron)",
            m.why, m.a, m.b
        );
    }
    out
}

fn format_ratio(r: f64) -> String {
    if r.is_finite() {
        format!("{r:.1}")
    } else {
        "∞".to_owned()
    }
}

/// The ledger as CSV: one row per claim, with its citation count and outlets.
///
/// # Errors
/// CSV writing errors (none in practice: it writes to memory).
pub fn to_csv(l: &Ledger) -> Result<String, csv::Error> {
    let header = [
        "family",
        "claim",
        "value_low",
        "value_high",
        "qualifier",
        "who",
        "place",
        "source",
        "first_reported",
        "last_reported",
        "citations",
        "outlets",
        "in_conflict",
    ];
    let rows = l.families.iter().flat_map(|fam| {
        fam.claims.iter().map(move |c| {
            let outlets: Vec<String> = c
                .citations
                .iter()
                .filter_map(|x| x.outlet.clone())
                .collect();
            let in_conflict = fam.conflicts.iter().any(|k| k.a == c.id || k.b == c.id);
            vec![
                fam.metric.clone(),
                c.id.to_string(),
                crate::export::csv_number(c.value_low),
                crate::export::csv_number(c.value_high),
                c.qualifier.clone(),
                c.who.clone(),
                c.place.clone(),
                c.source.clone(),
                c.first_reported.clone().unwrap_or_default(),
                c.last_reported.clone().unwrap_or_default(),
                c.citations.len().to_string(),
                outlets.join("; "),
                in_conflict.to_string(),
            ]
        })
    });
    crate::export::safe_csv(&header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_join_groups_and_a_later_same_undoes_a_distinct() {
        let mut a = SourceAliases {
            aliases: vec![
                vec!["interior ministry".into(), "MVD".into()],
                vec!["police".into(), "politsiya".into()],
            ],
            distinct: Vec::new(),
        };
        a.distinct("the interior ministry", "police");
        assert!(a.kept_apart(&source_key("police"), &source_key("Interior Ministry")));
        a.same("MVD", "Politsiya");
        assert_eq!(a.aliases.len(), 1, "the two groups joined: {:?}", a.aliases);
        assert_eq!(a.aliases[0].len(), 4);
        assert!(
            a.distinct.is_empty(),
            "a later answer replaces the earlier one"
        );
        a.same("Tokaev", "Tokayev");
        a.same("President Tokayev", "tokaev");
        assert_eq!(a.aliases[1], ["Tokaev", "Tokayev", "President Tokayev"]);
    }

    #[test]
    fn alike_names() {
        let names = |list: &[&str]| -> BTreeMap<String, String> {
            list.iter()
                .map(|n| (source_key(n), (*n).to_owned()))
                .collect()
        };
        let offered = |list: &[&str]| -> Vec<(String, String, &'static str)> {
            maybe_same_sources(&names(list), &SourceAliases::default())
                .into_iter()
                .map(|m| (m.a, m.b, m.why))
                .collect()
        };
        assert_eq!(
            offered(&["Tokayev", "Tokaev", "police", "polis"]),
            [("Tokaev".to_owned(), "Tokayev".to_owned(), "spelling")],
            "police and polis: too short a name to trust"
        );
        assert!(
            offered(&["UN", "United Nations"]).is_empty(),
            "initials of two words are too short a name to trust"
        );
        assert!(
            offered(&[
                "district 5 police",
                "district 6 police",
                "US embassy",
                "UK embassy",
                "Mrs Smith",
                "Mr Smith",
                "Brigade 101",
                "Brigade 102",
            ])
            .is_empty(),
            "numbers, short words and titles are not slips"
        );
        // "Two sources" sticks for a name that is not first in its group too.
        let mut aliases = SourceAliases::builtin();
        let list = names(&["Ministry of Internal Affairs", "Interior Minister"]);
        let keys: BTreeMap<String, String> = list
            .into_iter()
            .map(|(k, v)| (aliases.canonical(k), v))
            .collect();
        assert_eq!(maybe_same_sources(&keys, &aliases).len(), 1);
        aliases.distinct("Ministry of Internal Affairs", "Interior Minister");
        aliases.distinct("Interior Minister", "Ministry of Internal Affairs");
        assert!(maybe_same_sources(&keys, &aliases).is_empty());
        assert_eq!(aliases.distinct.len(), 1, "asked twice, written once");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        // The banded check agrees with the whole table.
        let words = [
            "kitten", "sitting", "tokayev", "tokaev", "tokajev", "ab", "", "abcdef", "fedcba",
        ];
        for a in words {
            for b in words {
                for k in 0..4 {
                    let (ca, cb): (Vec<char>, Vec<char>) =
                        (a.chars().collect(), b.chars().collect());
                    assert_eq!(
                        within_edits(&ca, &cb, k),
                        edit_distance(a, b) <= k,
                        "{a} {b} {k}"
                    );
                }
            }
        }
    }
}
