//! An open document with its undo history, file path and dirty flag.

use std::path::{Path, PathBuf};

use super::document::Document;
use super::edit::{Edit, EditError, History};
use super::persist::{self, FileError};

/// What a document was opened from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// An annotation file; saving writes back to it.
    Annotations(PathBuf),
    /// A plain article; the first save asks where (defaulting to the data directory).
    Article(PathBuf),
    /// The example built into the program.
    Builtin,
}

/// A document being edited.
#[derive(Debug)]
pub struct Editor {
    /// The document.
    doc: Document,
    /// Undo and redo.
    history: History,
    /// Where it was opened from.
    pub origin: Origin,
    /// Where Ctrl+S writes; `None` until the user has chosen (Save as).
    pub save_path: Option<PathBuf>,
    /// SHA-256 of the save file's bytes when it was opened or last saved, to notice when
    /// something else (another window, a git pull) changed it since.
    disk_hash: Option<(PathBuf, String)>,
    /// Unique in this process, so a background save finds its editor again.
    uid: u64,
    /// The identity of this editor's unsaved work: the process id and a random number, so
    /// no two windows (in this process or another) share a recovery copy.
    session: String,
    /// The recovery key last computed and the save path it was for: the app asks every
    /// frame, and resolving the canonical path is a few system calls.
    key_cache: std::sync::Mutex<Option<(Option<PathBuf>, String)>>,
}

/// Source of [`Editor::uid`].
static NEXT_UID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A fresh editor identity: `PID-RANDOM`. Without an operating-system random source the
/// clock's nanoseconds stand in, which still differ between two windows.
fn new_session_id() -> String {
    let random = getrandom::u64().unwrap_or_else(|_| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    format!("{}-{random:016x}", std::process::id())
}

/// What a save found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Written; the SHA-256 of the bytes now on disk.
    Saved(String),
    /// Not written: the file changed on disk since it was read (another program wrote it).
    ChangedOnDisk,
}

/// Writes `doc` to `path` (see [`persist::save`]) unless the file's bytes no longer hash to
/// `expected_hash` (when given). Runs on any thread: the app hands it a snapshot (a cheap
/// clone) and keeps working while it writes.
///
/// # Errors
/// See [`persist::save`]; on error the file is unchanged.
pub fn save_snapshot(
    doc: &Document,
    path: &Path,
    expected_hash: Option<&str>,
) -> Result<SaveOutcome, FileError> {
    // Only a file still readable with other bytes: a missing or unreadable file is not a
    // conflict (the save recreates it, or fails with its own message).
    if let Some(expected) = expected_hash
        && persist::hash_file(path).is_some_and(|now| now != expected)
    {
        return Ok(SaveOutcome::ChangedOnDisk);
    }
    persist::save_with_hash(doc, path).map(SaveOutcome::Saved)
}

impl Editor {
    /// Wraps a document. Documents that do not come from an annotation file start dirty
    /// only once something is annotated.
    #[must_use]
    pub fn new(doc: Document, origin: Origin) -> Self {
        let hash = match &origin {
            Origin::Annotations(p) => persist::hash_file(p),
            _ => None,
        };
        Self::with_disk_hash(doc, origin, hash)
    }

    /// Opens an annotation file, read once: the document and the hash of the bytes read.
    ///
    /// # Errors
    /// See [`persist::load`].
    pub fn open_annotations(path: &Path) -> Result<Self, FileError> {
        let (doc, hash) = persist::load_with_hash(path)?;
        Ok(Self::with_disk_hash(
            doc,
            Origin::Annotations(path.to_owned()),
            Some(hash),
        ))
    }

    /// Wraps a document whose annotation file (if `origin` is one) hashes to `hash`.
    fn with_disk_hash(doc: Document, origin: Origin, hash: Option<String>) -> Self {
        let save_path = match &origin {
            Origin::Annotations(p) => Some(p.clone()),
            _ => None,
        };
        let disk_hash = save_path.clone().zip(hash);
        Self {
            doc,
            history: History::default(),
            origin,
            save_path,
            disk_hash,
            uid: NEXT_UID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            session: new_session_id(),
            key_cache: std::sync::Mutex::new(None),
        }
    }

    /// An id unique among the editors of this process.
    #[must_use]
    pub fn uid(&self) -> u64 {
        self.uid
    }

    /// The hash a save to `path` expects to find on disk (the file as read or last saved),
    /// or `None` when this editor never read or wrote `path`.
    #[must_use]
    pub fn expected_hash(&self, path: &Path) -> Option<String> {
        self.disk_hash
            .as_ref()
            .filter(|(known, _)| known == path)
            .map(|(_, h)| h.clone())
    }

    /// Records a save of state `state` to `path` that wrote bytes hashing to `hash` (a
    /// background save finished). Edits made since keep the document dirty.
    pub fn finish_save(&mut self, path: &Path, state: u64, hash: String) {
        self.save_path = Some(path.to_owned());
        self.origin = Origin::Annotations(path.to_owned());
        self.history.mark_saved_at(state);
        self.disk_hash = Some((path.to_owned(), hash));
    }

    /// Opens an annotation file (`.ron`) or an article (anything else).
    ///
    /// # Errors
    /// See [`persist::load`] and [`persist::load_article`].
    pub fn open(path: &Path) -> Result<Self, FileError> {
        if is_annotation_file(path) {
            Self::open_annotations(path)
        } else {
            Ok(Self::new(
                persist::load_article(path)?,
                Origin::Article(path.to_owned()),
            ))
        }
    }

    /// The document.
    #[must_use]
    pub fn doc(&self) -> &Document {
        &self.doc
    }

    /// Applies edits as one undo step (see [`History::apply`]).
    ///
    /// # Errors
    /// When an edit does not apply; nothing changes then.
    pub fn apply(&mut self, edits: Vec<Edit>, merge_key: Option<String>) -> Result<(), EditError> {
        self.history.apply(&mut self.doc, edits, merge_key)
    }

    /// [`Self::apply`], remembering the annotation selected before the step, which undo
    /// brings back (see [`crate::edit::Jump`]).
    ///
    /// # Errors
    /// When an edit does not apply; nothing changes then.
    pub fn apply_selected(
        &mut self,
        edits: Vec<Edit>,
        merge_key: Option<String>,
        selected: Option<crate::annotation::AnnotationId>,
    ) -> Result<(), EditError> {
        self.history
            .apply_selected(&mut self.doc, edits, merge_key, selected)
    }

    /// Ends a merge run (e.g. a text field lost focus).
    pub fn seal(&mut self) {
        self.history.seal();
    }

    /// Undoes one step; says what to select then, or `None` when there was nothing to undo.
    pub fn undo(&mut self) -> Option<crate::edit::Jump> {
        self.history.undo_jump(&mut self.doc)
    }

    /// Redoes one step; says what to select then, or `None` when there was nothing to redo.
    pub fn redo(&mut self) -> Option<crate::edit::Jump> {
        self.history.redo_jump(&mut self.doc)
    }

    /// True when there is something to undo.
    #[must_use]
    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    /// True when there is something to redo.
    #[must_use]
    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// An id that changes whenever the document changes (for caches).
    #[must_use]
    pub fn state_id(&self) -> u64 {
        self.history.state_id()
    }

    /// True when there are unsaved changes.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    /// Marks the document as having unsaved changes (a restored recovery copy).
    pub fn mark_unsaved(&mut self) {
        self.history.mark_unsaved();
    }

    /// The key of this document's recovery copy. A saved document's key is derived from
    /// its file's canonical path (one file, one copy, however the path was spelt); an
    /// unsaved one's from this editor's own identity, so two windows with same-titled
    /// articles never overwrite each other's copy.
    #[must_use]
    pub fn recovery_key(&self) -> String {
        let mut cache = self
            .key_cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((path, key)) = cache.as_ref()
            && *path == self.save_path
        {
            return key.clone();
        }
        let key = self.compute_recovery_key();
        *cache = Some((self.save_path.clone(), key.clone()));
        key
    }

    fn compute_recovery_key(&self) -> String {
        match &self.save_path {
            Some(path) => {
                let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
                super::recovery::key_for(Some(&canonical), "")
            }
            None => super::recovery::key_for_session(&self.session),
        }
    }

    /// Saves to `path` and makes it the save target.
    ///
    /// # Errors
    /// See [`persist::save`]; on error nothing changes.
    pub fn save_to(&mut self, path: &Path) -> Result<(), FileError> {
        let hash = persist::save_with_hash(&self.doc, path)?;
        let state = self.state_id();
        self.finish_save(path, state, hash);
        Ok(())
    }

    /// Replaces the document with the file on disk (the user chose to reload it).
    ///
    /// # Errors
    /// The file no longer loads.
    pub fn reload(&mut self) -> Result<(), FileError> {
        let Some(path) = self.save_path.clone() else {
            return Ok(());
        };
        let fresh = Self::open(&path)?;
        *self = fresh;
        Ok(())
    }
}

/// True for paths that name an annotation file rather than an article.
#[must_use]
pub fn is_annotation_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

/// The annotation file name for an article path: `x/article.txt` → `article.ron`.
#[must_use]
pub fn annotation_name_for(article: &Path) -> String {
    let stem = article.file_stem().map_or_else(
        || "annotations".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    format!("{stem}.ron")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_titled_unsaved_documents_have_their_own_recovery_copies() {
        let text = "Flood in the valley\n\n26 people were killed.";
        let a = Editor::new(Document::from_article(text, None), Origin::Builtin);
        let b = Editor::new(Document::from_article(text, None), Origin::Builtin);
        assert_eq!(a.doc().meta.title, b.doc().meta.title);
        assert_ne!(a.recovery_key(), b.recovery_key());
        assert_eq!(a.recovery_key(), a.recovery_key(), "stable for one editor");
    }

    #[test]
    fn a_saved_document_is_keyed_by_its_canonical_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        let doc = Document::from_article("Title\n\n26 people were killed.", None);
        persist::save(&doc, &path).unwrap();
        let a = Editor::open(&path).unwrap();
        let b = Editor::open(&dir.path().join(".").join("a.ron")).unwrap();
        assert_eq!(a.recovery_key(), b.recovery_key());
        let other = dir.path().join("b.ron");
        persist::save(&doc, &other).unwrap();
        assert_ne!(
            a.recovery_key(),
            Editor::open(&other).unwrap().recovery_key()
        );
    }
}
