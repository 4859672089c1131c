//! User settings kept between runs: recent files, annotator name, reading preferences.
//!
//! Stored as RON in the platform's config directory (via the `directories` crate).
//! Annotation files default to the platform's data directory under `saves/`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How many recent files are remembered.
pub const MAX_RECENT: usize = 10;

/// Persistent user preferences.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Most recent first.
    pub recent: Vec<PathBuf>,
    /// Name written into new annotations.
    pub annotator: String,
    /// Article text size in points.
    pub text_size: f32,
    /// `None` follows the system; `Some(true)` forces dark.
    pub dark: Option<bool>,
    /// Show suggested figures and quotes in the article.
    pub show_suggestions: bool,
    /// Also suggest claims (noisier, so off unless asked for).
    pub suggest_claims: bool,
    /// Type mappings chosen in the import's mapping step, per source (the imported file's
    /// folder): type in lower case → `claim`, `quote`, `figure` or `skip`.
    pub import_maps: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            recent: Vec::new(),
            annotator: std::env::var("USER")
                .or_else(|_| std::env::var("USERNAME"))
                .unwrap_or_default(),
            text_size: 17.0,
            dark: None,
            show_suggestions: true,
            suggest_claims: false,
            import_maps: std::collections::BTreeMap::new(),
        }
    }
}

impl Settings {
    /// Puts `path` at the top of the recent list.
    pub fn add_recent(&mut self, path: &Path) {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_owned());
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }

    /// Loads settings from `path`; anything unreadable gives the defaults (settings are a
    /// convenience and must never stop the app from starting).
    #[must_use]
    pub fn load(path: &Path) -> Self {
        super::persist::read_text(path)
            .ok()
            .and_then(|s| ron::from_str(super::persist::strip_bom(&s)).ok())
            .unwrap_or_default()
    }

    /// Saves settings atomically.
    ///
    /// # Errors
    /// I/O or serialisation errors.
    pub fn save(&self, path: &Path) -> Result<(), super::persist::FileError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|error| super::persist::FileError::Io {
                path: dir.to_owned(),
                error,
            })?;
        }
        let text =
            ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new()).map_err(|e| {
                super::persist::FileError::Write {
                    path: path.to_owned(),
                    message: e.to_string(),
                }
            })?;
        super::persist::write_atomic(path, text.as_bytes())
    }
}

/// Where Tallymark keeps its files on this platform.
#[derive(Clone, Debug)]
pub struct Dirs {
    /// Settings and window layout.
    pub config: PathBuf,
    /// Default folder for annotation files (`…/saves`).
    pub saves: PathBuf,
}

impl Dirs {
    /// The platform's directories, or folders under the system temp dir when the platform
    /// has no home directory (so the app still starts).
    #[must_use]
    pub fn platform() -> Self {
        if let Some(p) = directories::ProjectDirs::from("org", "Tallymark", "tallymark") {
            Self {
                config: p.config_dir().to_owned(),
                saves: p.data_dir().join("saves"),
            }
        } else {
            let base = std::env::temp_dir().join("tallymark");
            Self {
                config: base.join("config"),
                saves: base.join("saves"),
            }
        }
    }

    /// The settings file.
    #[must_use]
    pub fn settings_file(&self) -> PathBuf {
        self.config.join("settings.ron")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_is_deduplicated_and_bounded() {
        let mut s = Settings::default();
        for i in 0..15 {
            s.add_recent(Path::new(&format!("/nonexistent/{i}.ron")));
        }
        s.add_recent(Path::new("/nonexistent/3.ron"));
        assert_eq!(s.recent.len(), MAX_RECENT);
        assert_eq!(s.recent[0], Path::new("/nonexistent/3.ron"));
        assert_eq!(s.recent.iter().filter(|p| p.ends_with("3.ron")).count(), 1);
    }

    #[test]
    fn settings_round_trip_and_garbage_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("settings.ron");
        let s = Settings {
            annotator: "rev".into(),
            ..Settings::default()
        };
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path), s);
        std::fs::write(&path, "(((garbage").unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
    }
}
