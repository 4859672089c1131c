//! The metric taxonomy (`assets/metrics.ron`): what figures count, which metrics compare.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::persist::FileError;

/// A group of metrics whose figures are compared with each other.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Family {
    /// Stable identifier, e.g. `detentions`.
    pub id: String,
    /// Display name, e.g. `Arrested and detained`.
    pub label: String,
    /// Metric ids in this family.
    pub metrics: Vec<String>,
}

/// One metric with the words that signal it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metric {
    /// Identifier used in annotation files, e.g. `arrested`.
    pub id: String,
    /// Words and phrases that mean this metric in running text.
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Per language (`ru`, `kk`, `uk`), the beginnings of the words that signal this metric:
    /// these languages inflect, so `погиб*` stands for погибли, погибших, погибшие. An entry
    /// ending in `*` is a beginning, any other a whole word; two words (`без вести`) match
    /// two words in a row. Used by the suggester; absent in old files.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub stems: std::collections::BTreeMap<String, Vec<String>>,
}

/// The whole taxonomy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taxonomy {
    /// Format version (1).
    pub version: u32,
    /// Families in display order.
    pub families: Vec<Family>,
    /// Metrics with synonyms.
    pub metrics: Vec<Metric>,
}

/// The taxonomy shipped with Tallymark.
const BUILTIN: &str = include_str!("../../../assets/metrics.ron");

impl Taxonomy {
    /// The built-in taxonomy.
    ///
    /// # Panics
    /// Never in a released build: a test checks that the embedded file parses.
    #[must_use]
    pub fn builtin() -> Self {
        // The embedded asset is tested; failing here would be a build defect, not user data.
        ron::from_str(BUILTIN).unwrap_or_else(|_| Self {
            version: 1,
            families: Vec::new(),
            metrics: Vec::new(),
        })
    }

    /// Loads a user's taxonomy file.
    ///
    /// # Errors
    /// Unreadable file or RON errors (with line and column).
    pub fn load(path: &Path) -> Result<Self, FileError> {
        let text = super::persist::read_text(path)?;
        ron::from_str(&text).map_err(|e| FileError::Syntax {
            path: path.to_owned(),
            line: e.span.start.line,
            col: e.span.start.col,
            message: e.code.to_string(),
        })
    }

    /// The user's taxonomy from `config_dir/metrics.ron` if present and valid, else the
    /// built-in one. The error, if any, is returned for display.
    #[must_use]
    pub fn from_config(config_dir: &Path) -> (Self, Option<FileError>) {
        let path = config_dir.join("metrics.ron");
        if !path.is_file() {
            return (Self::builtin(), None);
        }
        match Self::load(&path) {
            Ok(t) => (t, None),
            Err(e) => (Self::builtin(), Some(e)),
        }
    }

    /// Metric ids in display order.
    pub fn metric_ids(&self) -> impl Iterator<Item = &str> {
        self.metrics.iter().map(|m| m.id.as_str())
    }

    /// The family a metric belongs to. Unknown metrics form a family of their own, so a
    /// user's new metric still compares with itself.
    #[must_use]
    pub fn family_of(&self, metric: &str) -> Family {
        let metric = self.canonical(metric);
        self.families
            .iter()
            .find(|f| f.metrics.contains(&metric))
            .cloned()
            .unwrap_or_else(|| Family {
                id: metric.clone(),
                label: metric.clone(),
                metrics: vec![metric],
            })
    }

    /// Maps a typed metric or synonym to its metric id (`dead` → `killed`); unknown words are
    /// returned lower-cased and trimmed.
    #[must_use]
    pub fn canonical(&self, word: &str) -> String {
        let w = word.trim().to_lowercase();
        if self.metrics.iter().any(|m| m.id == w) {
            return w;
        }
        self.metrics
            .iter()
            .find(|m| m.synonyms.contains(&w))
            .map_or(w, |m| m.id.clone())
    }

    /// Finds the metric signalled in `text` (the first synonym found, longest synonyms
    /// first), with the char offset where it was found.
    #[must_use]
    pub fn metric_in(&self, text: &str) -> Option<(String, usize)> {
        let lower = text.to_lowercase();
        let mut best: Option<(usize, usize, String)> = None; // (byte pos, -len, id)
        for m in &self.metrics {
            for s in &m.synonyms {
                let mut from = 0;
                while let Some(found) = lower[from..].find(s.as_str()) {
                    let pos = from + found;
                    let end = pos + s.len();
                    let boundary_before = lower[..pos]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric());
                    let boundary_after = lower[end..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric());
                    if boundary_before && boundary_after {
                        let better = best
                            .as_ref()
                            .is_none_or(|(p, l, _)| pos < *p || (pos == *p && s.len() > *l));
                        if better {
                            best = Some((pos, s.len(), m.id.clone()));
                        }
                        break;
                    }
                    from = end;
                }
            }
        }
        best.map(|(pos, _, id)| (id, lower[..pos].chars().count()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_and_groups_arrests_with_detentions() {
        let t: Taxonomy = ron::from_str(BUILTIN).expect("assets/metrics.ron parses");
        assert_eq!(t, Taxonomy::builtin());
        assert_eq!(t.family_of("arrested").id, "detentions");
        assert_eq!(t.family_of("detained").id, "detentions");
        assert_eq!(t.family_of("killed").id, "killed");
        assert_eq!(
            t.family_of("Dead").id,
            "killed",
            "synonyms map to their metric"
        );
        assert_eq!(t.family_of("looted shops").id, "looted shops");
        for f in &t.families {
            for m in &f.metrics {
                assert!(
                    t.metric_ids().any(|id| id == m),
                    "{m} listed in a family is defined"
                );
            }
        }
    }

    #[test]
    fn metric_in_text() {
        let t = Taxonomy::builtin();
        assert_eq!(
            t.metric_in("people were killed").map(|m| m.0),
            Some("killed".into())
        );
        assert_eq!(
            t.metric_in("the death toll rose").map(|m| m.0),
            Some("killed".into())
        );
        assert_eq!(
            t.metric_in("had been detained").map(|m| m.0),
            Some("detained".into())
        );
        assert_eq!(
            t.metric_in("a threshold of pain"),
            None,
            "held inside threshold is no match"
        );
    }
}
