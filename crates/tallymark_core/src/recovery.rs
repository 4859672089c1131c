//! Crash recovery: while there are unsaved changes, the app writes the working state to a
//! recovery folder in the data directory (never over the user's file) after a few seconds
//! of idle time. A clean save or a clean exit removes it; after a crash, the next start
//! finds it and offers to restore it.
//!
//! Each document is two files: `KEY.ron` (an ordinary annotation file) and `KEY.meta.ron`
//! (where it belongs and when it was written). `KEY` is derived from the document's file
//! path, or from the identity of the editor holding it when it has none (see
//! `Editor::recovery_key`), never from its title, which two windows may share.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::document::Document;
use super::persist::{self, FileError};
use super::text::sha256_hex;

/// What a recovery file belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Meta {
    /// The annotation file the work belongs to, if it had one.
    original: Option<PathBuf>,
    /// When the recovery copy was written (RFC 3339).
    saved_at: String,
}

/// A recovery copy found on start.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The key (file stem) in the recovery folder.
    pub key: String,
    /// The file the work belongs to, if any.
    pub original: Option<PathBuf>,
    /// When it was written.
    pub saved_at: String,
    /// The recovered document.
    pub doc: Document,
}

/// The recovery folder beside the saves folder: `…/tallymark/recovery`.
#[must_use]
pub fn dir_for(saves: &Path) -> PathBuf {
    saves.with_file_name("recovery")
}

/// The key of a document: from its file, or its title when unsaved. Two unsaved documents
/// with one title get one key: editors use [`key_for_session`] for unsaved work instead.
#[must_use]
pub fn key_for(original: Option<&Path>, title: &str) -> String {
    let basis = original.map_or_else(
        || format!("title:{title}"),
        |p| format!("path:{}", p.display()),
    );
    sha256_hex(&basis)[..16].to_owned()
}

/// The key of unsaved work held by the editor with identity `session` (unique per editor
/// and process).
#[must_use]
pub fn key_for_session(session: &str) -> String {
    sha256_hex(&format!("session:{session}"))[..16].to_owned()
}

/// Writes (or replaces) the recovery copy of `doc`.
///
/// # Errors
/// The folder or a file could not be written.
pub fn write(
    dir: &Path,
    key: &str,
    doc: &Document,
    original: Option<&Path>,
) -> Result<(), FileError> {
    std::fs::create_dir_all(dir).map_err(|error| FileError::Io {
        path: dir.to_owned(),
        error,
    })?;
    let meta = Meta {
        original: original.map(Path::to_owned),
        saved_at: OffsetDateTime::now_utc()
            .format(&Rfc3339)
            .unwrap_or_default(),
    };
    let meta_text =
        ron::ser::to_string_pretty(&meta, ron::ser::PrettyConfig::new()).map_err(|e| {
            FileError::Write {
                path: dir.join(format!("{key}.meta.ron")),
                message: e.to_string(),
            }
        })?;
    // The document first: a meta file without its document is ignored on start.
    let ron = persist::to_ron(doc).map_err(|e| FileError::Write {
        path: dir.join(format!("{key}.ron")),
        message: e.to_string(),
    })?;
    persist::write_atomic(&dir.join(format!("{key}.ron")), ron.as_bytes())?;
    persist::write_atomic(&dir.join(format!("{key}.meta.ron")), meta_text.as_bytes())
}

/// Removes the recovery copy with `key` (after a save or a clean exit).
pub fn remove(dir: &Path, key: &str) {
    let _ = std::fs::remove_file(dir.join(format!("{key}.ron")));
    let _ = std::fs::remove_file(dir.join(format!("{key}.meta.ron")));
}

/// Every readable recovery copy in `dir`, oldest first. Unreadable ones are skipped (and
/// left in place for a person to look at).
#[must_use]
pub fn list(dir: &Path) -> Vec<Entry> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<Entry> = read
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let key = name.strip_suffix(".meta.ron")?.to_owned();
            let meta: Meta = ron::from_str(&persist::read_text(&e.path()).ok()?).ok()?;
            let doc = persist::load(&dir.join(format!("{key}.ron"))).ok()?;
            Some(Entry {
                key,
                original: meta.original,
                saved_at: meta.saved_at,
                doc,
            })
        })
        .collect();
    out.sort_by(|a, b| a.saved_at.cmp(&b.saved_at).then(a.key.cmp(&b.key)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_list_remove() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = dir_for(&tmp.path().join("saves"));
        let doc = Document::from_article("Title\n\n26 protesters were killed.", None);
        let original = tmp.path().join("mine.ron");
        let key = key_for(Some(&original), "Title");
        write(&dir, &key, &doc, Some(&original)).unwrap();
        let found = list(&dir);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].original.as_deref(), Some(original.as_path()));
        assert_eq!(found[0].doc.text().as_str(), doc.text().as_str());
        assert!(!original.exists(), "never written over the user's file");
        remove(&dir, &key);
        assert!(list(&dir).is_empty());
    }

    #[test]
    fn a_broken_recovery_file_is_skipped_not_fatal() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(
            tmp.path().join("x.meta.ron"),
            "(original: None, saved_at: \"t\")",
        )
        .unwrap();
        std::fs::write(tmp.path().join("x.ron"), "garbage").unwrap();
        assert!(list(tmp.path()).is_empty());
    }
}
