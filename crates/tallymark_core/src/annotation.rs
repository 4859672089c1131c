//! Annotations: a kind, a span, the exact text it covers, its context and its attributes.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::span::Span;

/// Stable identifier of an annotation within its file.
pub type AnnotationId = u64;

/// The three kinds of mark a reader makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An assertion someone makes that can be checked.
    Claim,
    /// Somebody's words, quoted.
    Quote,
    /// A count of people (killed, arrested, …).
    Figure,
}

impl Kind {
    /// All kinds in display order.
    pub const ALL: [Self; 3] = [Self::Claim, Self::Quote, Self::Figure];

    /// Human name.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Claim => "Claim",
            Self::Quote => "Quote",
            Self::Figure => "Figure",
        }
    }

    /// Position in [`Kind::ALL`] (claims, quotes, figures): the index of per-kind arrays
    /// such as the filter's hidden kinds and the document's counts.
    #[must_use]
    pub fn index(self) -> usize {
        match self {
            Self::Claim => 0,
            Self::Quote => 1,
            Self::Figure => 2,
        }
    }

    /// The identifier used in files and exports (`figure`).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Claim => "claim",
            Self::Quote => "quote",
            Self::Figure => "figure",
        }
    }
}

/// How far a claim has been checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// Not checked yet.
    #[default]
    Unverified,
    /// Other evidence backs it.
    Supported,
    /// Other evidence contradicts it or it is contested.
    Disputed,
    /// Shown to be false.
    False,
}

impl ClaimStatus {
    /// All statuses in display order.
    pub const ALL: [Self; 4] = [
        Self::Unverified,
        Self::Supported,
        Self::Disputed,
        Self::False,
    ];

    /// Human name.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Unverified => "unverified",
            Self::Supported => "supported",
            Self::Disputed => "disputed",
            Self::False => "false",
        }
    }

    /// The identifier used in files and exports (the same words as the label).
    #[must_use]
    pub fn key(self) -> &'static str {
        self.label()
    }
}

/// How a figure's number is hedged in the text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// The number as stated.
    #[default]
    Exact,
    /// About, around, some, roughly.
    About,
    /// More than, over, above.
    MoreThan,
    /// At least, no fewer than.
    AtLeast,
    /// Nearly, almost.
    Nearly,
    /// Up to, as many as.
    UpTo,
    /// Fewer than, less than.
    FewerThan,
    /// Between a low and a high value.
    Range,
    /// Dozens, hundreds, thousands: a vague amount with a floor.
    Vague,
}

impl Qualifier {
    /// All qualifiers in display order.
    pub const ALL: [Self; 9] = [
        Self::Exact,
        Self::About,
        Self::MoreThan,
        Self::AtLeast,
        Self::Nearly,
        Self::UpTo,
        Self::FewerThan,
        Self::Range,
        Self::Vague,
    ];

    /// The qualifier in words, as a reader would say it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::About => "about",
            Self::MoreThan => "more than",
            Self::AtLeast => "at least",
            Self::Nearly => "nearly",
            Self::UpTo => "up to",
            Self::FewerThan => "fewer than",
            Self::Range => "range",
            Self::Vague => "vague",
        }
    }

    /// The identifier used in files and JSON (`more_than`).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::About => "about",
            Self::MoreThan => "more_than",
            Self::AtLeast => "at_least",
            Self::Nearly => "nearly",
            Self::UpTo => "up_to",
            Self::FewerThan => "fewer_than",
            Self::Range => "range",
            Self::Vague => "vague",
        }
    }
}

/// Attributes of a claim.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClaimAttrs {
    /// Who makes the claim.
    pub claimant: String,
    /// How far it has been checked.
    pub status: ClaimStatus,
}

/// Attributes of a quote.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuoteAttrs {
    /// Who is quoted.
    pub speaker: String,
}

/// Attributes of a figure: a structured quantity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FigureAttrs {
    /// The stated number, or the floor of a range or vague amount.
    pub value_low: Option<f64>,
    /// The top of a range, when there is one.
    pub value_high: Option<f64>,
    /// How the number is hedged.
    pub qualifier: Qualifier,
    /// What is counted: `killed`, `arrested`, … (see `assets/metrics.ron`).
    pub metric: String,
    /// Who is counted, e.g. `police officers`.
    pub who: String,
    /// Who the number is attributed to.
    pub source: String,
    /// When it was reported, `YYYY-MM-DD`.
    #[serde(with = "date_opt")]
    pub reported: Option<time::Date>,
    /// Where `reported` came from (absent in files from before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_from: Option<crate::scope::DateSource>,
    /// The place the figure is for ("Brennport", "Almaty region"), when its sentence names
    /// one; empty for the whole country or when unknown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub place: String,
    /// The user's word that this figure is a claim they named: figures with the same name,
    /// in any file of the story, are one claim in the ledger (empty: the rules decide).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub claim: String,
    /// The name of the claim this figure is a part of (the user's word, overriding the
    /// groups and places).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub part_of: String,
    /// Left out of the comparison and the ledger by the user.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub excluded: bool,
}

/// Kind-specific attributes. The variant *is* the annotation's kind, so the two can never
/// disagree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Attributes {
    /// A claim's attributes.
    Claim(ClaimAttrs),
    /// A quote's attributes.
    Quote(QuoteAttrs),
    /// A figure's attributes.
    Figure(FigureAttrs),
}

impl Attributes {
    /// Empty attributes for `kind`.
    #[must_use]
    pub fn empty(kind: Kind) -> Self {
        match kind {
            Kind::Claim => Self::Claim(ClaimAttrs::default()),
            Kind::Quote => Self::Quote(QuoteAttrs::default()),
            Kind::Figure => Self::Figure(FigureAttrs::default()),
        }
    }

    /// The kind these attributes belong to.
    #[must_use]
    pub fn kind(&self) -> Kind {
        match self {
            Self::Claim(_) => Kind::Claim,
            Self::Quote(_) => Kind::Quote,
            Self::Figure(_) => Kind::Figure,
        }
    }

    /// Who the annotation is attributed to: claimant, speaker or source.
    #[must_use]
    pub fn attribution(&self) -> &str {
        match self {
            Self::Claim(c) => &c.claimant,
            Self::Quote(q) => &q.speaker,
            Self::Figure(f) => &f.source,
        }
    }
}

/// One mark on the article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// Stable id, unique in its file.
    pub id: AnnotationId,
    /// The chars covered, `[start, end)`.
    pub span: Span,
    /// The covered text, exactly.
    pub exact: String,
    /// Up to 32 chars before the span, to find it again if the article changes.
    pub prefix: String,
    /// Up to 32 chars after the span.
    pub suffix: String,
    /// Kind and kind-specific attributes.
    pub attributes: Attributes,
    /// Free-text note.
    #[serde(default)]
    pub note: String,
    /// Who made the annotation.
    #[serde(default)]
    pub annotator: String,
    /// When it was made (UTC); absent when it came from a tool that did not say (an
    /// import never invents a time).
    #[serde(default, with = "time_opt", skip_serializing_if = "Option::is_none")]
    pub created: Option<OffsetDateTime>,
    /// When it was last changed (UTC); absent as `created` is.
    #[serde(default, with = "time_opt", skip_serializing_if = "Option::is_none")]
    pub modified: Option<OffsetDateTime>,
    /// The type or label it had in the tool it came from (brat's `Person`, Label Studio's
    /// `Premise`), written back when exporting to such a tool; absent for Tallymark's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Notes from other tools, verbatim and in order (brat `#` lines that are not
    /// Tallymark's own fields); absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Name/value pairs from other tools (brat attributes and normalisations, Label Studio
    /// choices), in the order read; absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// Relations and event arguments from other tools that link this annotation to others
    /// of the same file; absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// The parts of a discontinuous span (brat's `0 12;40 58`), in order, disjoint, two or
    /// more, from `span.start` to `span.end` (`span` is their hull and `exact` its text);
    /// absent for a one-piece annotation, which is all of `span`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fragments: Vec<Span>,
}

/// A name/value pair another tool attached to an annotation: a brat attribute
/// (`Negated`, or `Confidence` = `High`), a brat normalisation (`Reference` =
/// `Wikipedia:534366`, naming `Barack Obama`), a Label Studio choice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// The attribute's or normalisation's type.
    pub name: String,
    /// Its value (empty for a binary brat attribute).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// Set for a normalisation only: the text of the entry it refers to (brat's third
    /// column, possibly empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normalised: Option<String>,
}

/// A relation or event argument from another tool, from this annotation to another of the
/// same file: brat's `R1 Cause Arg1:T3 Arg2:T4` is, on T3, a link labelled `Cause` from role
/// `Arg1` to T4 in role `Arg2`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The relation's or event's type (`Cause`, `Attack`).
    pub label: String,
    /// This annotation's role (`Arg1`; empty for an event's trigger).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub from_role: String,
    /// The other annotation's role (`Arg2`, `Victim`; empty for an event without
    /// arguments, which links its trigger to itself).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
    /// The annotation linked to.
    pub to: AnnotationId,
    /// For an event: its name in the file it came from (`E1`), which keeps one event's
    /// arguments together; empty for a relation.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub event: String,
}

impl Annotation {
    /// An annotation of `kind` with nothing yet: no span or text, no annotator, no times.
    /// Importers start from it and fill what the file says; absent stays absent.
    #[must_use]
    pub fn bare(id: AnnotationId, kind: Kind) -> Self {
        Self {
            id,
            span: Span::between(0, 0),
            exact: String::new(),
            prefix: String::new(),
            suffix: String::new(),
            attributes: Attributes::empty(kind),
            note: String::new(),
            annotator: String::new(),
            created: None,
            modified: None,
            label: None,
            notes: Vec::new(),
            fields: Vec::new(),
            links: Vec::new(),
            fragments: Vec::new(),
        }
    }

    /// The text it marks, piece by piece: its fragments when it has several, else its
    /// whole span. A discontinuous annotation does not mark the text between its parts.
    #[must_use]
    pub fn parts(&self) -> &[Span] {
        if self.fragments.is_empty() {
            std::slice::from_ref(&self.span)
        } else {
            &self.fragments
        }
    }

    /// How many characters `self` and `other` both mark: the overlap of their parts, so
    /// two discontinuous annotations that share only the words between their parts share
    /// nothing.
    #[must_use]
    pub fn common_len(&self, other: &Self) -> usize {
        let (mine, theirs) = (self.parts(), other.parts());
        let (mut i, mut j, mut shared) = (0, 0, 0);
        // Both lists are ordered and disjoint: one merge pass.
        while i < mine.len() && j < theirs.len() {
            if let Some(common) = mine[i].intersection(theirs[j]) {
                shared += common.len();
            }
            if mine[i].end <= theirs[j].end {
                i += 1;
            } else {
                j += 1;
            }
        }
        shared
    }

    /// The words it marks, for showing: `exact`, or for a discontinuous annotation its
    /// parts joined by ` … ` (`the … master`), never the words left out between them.
    #[must_use]
    pub fn marked_text(&self) -> std::borrow::Cow<'_, str> {
        if self.fragments.is_empty() {
            return std::borrow::Cow::Borrowed(&self.exact);
        }
        std::borrow::Cow::Owned(self.part_texts().join(" … "))
    }

    /// The words of each of [`Self::parts`], read from `exact` (clamped to it, so a file's
    /// inconsistent offsets give short pieces, never a panic).
    #[must_use]
    pub fn part_texts(&self) -> Vec<String> {
        let chars: Vec<char> = self.exact.chars().collect();
        self.parts()
            .iter()
            .map(|f| {
                let from = f.start.saturating_sub(self.span.start).min(chars.len());
                let to = f
                    .end
                    .saturating_sub(self.span.start)
                    .clamp(from, chars.len());
                chars[from..to].iter().collect()
            })
            .collect()
    }

    /// What is wrong with `fragments`, if anything: fewer than two, out of order,
    /// overlapping, empty, or not spanning `span` exactly.
    #[must_use]
    pub fn fragment_problem(&self) -> Option<String> {
        let f = &self.fragments;
        if f.is_empty() {
            return None;
        }
        let ordered =
            f.iter().all(|x| !x.is_empty()) && f.windows(2).all(|w| w[0].end <= w[1].start);
        if f.len() < 2
            || !ordered
            || f[0].start != self.span.start
            || f[f.len() - 1].end != self.span.end
        {
            return Some(format!(
                "fragments must be two or more non-empty, ordered, disjoint parts from {} to {}",
                self.span.start, self.span.end
            ));
        }
        None
    }

    /// The annotation's kind.
    #[must_use]
    pub fn kind(&self) -> Kind {
        self.attributes.kind()
    }

    /// The figure attributes, when this is a figure.
    #[must_use]
    pub fn figure(&self) -> Option<&FigureAttrs> {
        match &self.attributes {
            Attributes::Figure(f) => Some(f),
            _ => None,
        }
    }

    /// A one-line description of the attributes for lists and tooltips.
    #[must_use]
    pub fn summary(&self) -> String {
        match &self.attributes {
            Attributes::Claim(c) => {
                let who = if c.claimant.is_empty() {
                    "?"
                } else {
                    &c.claimant
                };
                format!("{who} · {}", c.status.label())
            }
            Attributes::Quote(q) => {
                if q.speaker.is_empty() {
                    "speaker unknown".to_owned()
                } else {
                    format!("— {}", q.speaker)
                }
            }
            Attributes::Figure(f) => {
                let mut parts = vec![f.describe_value()];
                if !f.metric.is_empty() {
                    parts.push(f.metric.clone());
                }
                if !f.who.is_empty() {
                    parts.push(f.who.clone());
                }
                if !f.source.is_empty() {
                    parts.push(format!("per {}", f.source));
                }
                if let Some(d) = f.reported {
                    parts.push(format_date(d));
                }
                parts.join(" · ")
            }
        }
    }
}

impl FigureAttrs {
    /// The first value that is not a finite number (NaN or an infinity), with its field
    /// name. Such values never come from the figure parser or the form; they can only be
    /// typed into a file by hand or arrive from an import, and are refused there.
    #[must_use]
    pub fn non_finite(&self) -> Option<(&'static str, f64)> {
        [
            ("value_low", self.value_low),
            ("value_high", self.value_high),
        ]
        .into_iter()
        .find_map(|(name, v)| v.filter(|v| !v.is_finite()).map(|v| (name, v)))
    }

    /// The value in words: `more than 10,000`, `200–300`, `≥ 24 (vague)`.
    #[must_use]
    pub fn describe_value(&self) -> String {
        let Some(low) = self.value_low else {
            return "no value".to_owned();
        };
        let low_s = format_number(low);
        match (self.qualifier, self.value_high) {
            (_, Some(high)) if (high - low).abs() > f64::EPSILON => {
                format!("{low_s}–{}", format_number(high))
            }
            (Qualifier::Exact, _) => low_s,
            (Qualifier::Vague, _) => format!("at least {low_s} (vague)"),
            (q, _) => format!("{} {low_s}", q.label()),
        }
    }
}

/// Formats a count with thousands separators: `10000.0` → `10,000`, `1.5` → `1.5`.
#[must_use]
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v.fract() != 0.0 {
        return format!("{v}");
    }
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// The format of reported dates in files and forms.
const DATE_FORMAT: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// Formats a date as `YYYY-MM-DD`.
#[must_use]
pub fn format_date(d: time::Date) -> String {
    d.format(DATE_FORMAT).unwrap_or_default()
}

/// Parses `YYYY-MM-DD`.
///
/// # Errors
/// When the text is not a valid calendar date in that form.
pub fn parse_date(s: &str) -> Result<time::Date, time::error::Parse> {
    time::Date::parse(s.trim(), DATE_FORMAT)
}

/// Serde for `Option<OffsetDateTime>` as an RFC 3339 string or absent. With RON's
/// `implicit_some` a present time is written bare, as before the field was optional, so
/// files written before it load and are written back byte for byte.
mod time_opt {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    #[expect(
        clippy::ref_option,
        reason = "serde's `with` passes a reference to the field"
    )]
    pub fn serialize<S: Serializer>(t: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_some(&t.format(&Rfc3339).map_err(serde::ser::Error::custom)?),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        s.map(|s| OffsetDateTime::parse(&s, &Rfc3339).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// Serde for `Option<Date>` as `"YYYY-MM-DD"` or `None`.
mod date_opt {
    use serde::{Deserialize, Deserializer, Serializer};

    #[expect(
        clippy::ref_option,
        clippy::trivially_copy_pass_by_ref,
        reason = "serde's `with` passes a reference to the field"
    )]
    pub fn serialize<S: Serializer>(d: &Option<time::Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&super::format_date(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<time::Date>, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        s.map(|s| {
            super::parse_date(&s).map_err(|e| {
                serde::de::Error::custom(format!(
                    "expected a date like 2022-01-07, found {s:?}: {e}"
                ))
            })
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_separators() {
        assert_eq!(format_number(10_000.0), "10,000");
        assert_eq!(format_number(164.0), "164");
        assert_eq!(format_number(1_700_000.0), "1,700,000");
        assert_eq!(format_number(2.5), "2.5");
    }

    #[test]
    fn describe_figure_values() {
        let mut f = FigureAttrs {
            value_low: Some(10_000.0),
            qualifier: Qualifier::MoreThan,
            ..FigureAttrs::default()
        };
        assert_eq!(f.describe_value(), "more than 10,000");
        f.value_high = Some(12_000.0);
        f.qualifier = Qualifier::Range;
        assert_eq!(f.describe_value(), "10,000–12,000");
        f.value_low = None;
        assert_eq!(f.describe_value(), "no value");
    }

    #[test]
    fn dates_parse_and_format() {
        let d = parse_date("2022-01-07").unwrap();
        assert_eq!(format_date(d), "2022-01-07");
        assert!(parse_date("2022-13-01").is_err());
        assert!(parse_date("7 January").is_err());
    }
}
