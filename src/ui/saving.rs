//! Saves and recovery copies written on background threads.
//!
//! Serialising a document with 50,000 annotations takes a few hundred milliseconds; doing
//! it on the UI thread would freeze the window at every Ctrl+S and every idle autosave.
//! Instead the app takes a snapshot (a [`Document`] clone: the text and the annotations
//! are shared, so this copies pointers), hands it to a thread, and keeps drawing. The file
//! written is byte for byte what a synchronous save writes (`persist::save_with_hash`).

use eframe::egui;
use std::path::{Path, PathBuf};

use super::job::{Job, JobError};

use crate::core::document::Document;
use crate::core::editor::{SaveOutcome, save_snapshot};
use crate::core::persist::FileError;

/// A save being written.
pub struct SaveJob {
    /// The editor it saves ([`crate::core::editor::Editor::uid`]).
    pub editor: u64,
    /// Where it writes.
    pub path: PathBuf,
    /// The document state written.
    pub state: u64,
    /// Set when Ctrl+S is pressed again while this save runs: save once more when done.
    pub again: bool,
    job: Job<Result<SaveOutcome, FileError>>,
    /// The result, once waited for and not yet taken.
    done: Option<Result<SaveOutcome, FileError>>,
}

impl SaveJob {
    /// Starts writing `snapshot` (state `state` of editor `editor`) to `path`. With
    /// `expected_hash`, the file is left alone if something else changed it.
    #[must_use]
    pub fn start(
        ctx: Option<&egui::Context>,
        editor: u64,
        state: u64,
        snapshot: Document,
        path: PathBuf,
        expected_hash: Option<String>,
    ) -> Self {
        let target = path.clone();
        let job = Job::spawn("save", ctx, move || {
            save_snapshot(&snapshot, &target, expected_hash.as_deref())
        });
        Self {
            editor,
            path,
            state,
            again: false,
            job,
            done: None,
        }
    }

    /// The result, once the thread has finished (a thread that could not start or died
    /// is a failed save).
    pub fn poll(&mut self) -> Option<Result<SaveOutcome, FileError>> {
        if let Some(done) = self.done.take() {
            return Some(done);
        }
        let result = self.job.poll()?;
        Some(self.flatten(result))
    }

    /// Waits for the thread to finish (closing, tests); [`Self::poll`] then has the result.
    pub fn wait(&mut self) {
        if self.done.is_none()
            && let Some(result) = self.job.wait()
        {
            self.done = Some(self.flatten(result));
        }
    }

    fn flatten(
        &self,
        result: Result<Result<SaveOutcome, FileError>, JobError>,
    ) -> Result<SaveOutcome, FileError> {
        result
            .map_err(|e| FileError::Write {
                path: self.path.clone(),
                message: e.to_string(),
            })
            .and_then(|r| r)
    }
}

/// One recovery copy to write, or an old one to remove.
pub enum AutosaveItem {
    /// Write `doc` (state `state`) as the copy for `key`.
    Write {
        /// Recovery key.
        key: String,
        /// Document state.
        state: u64,
        /// Snapshot (boxed: it is much larger than the other variant).
        doc: Box<Document>,
        /// The file it belongs to.
        original: Option<PathBuf>,
    },
    /// The document is saved: remove the copy for this key.
    Remove(String),
}

/// What an autosave did, per key: the state written, or the error.
pub type AutosaveResult = Vec<(String, u64, Result<(), String>)>;

/// Recovery copies being written on a background thread.
pub type AutosaveJob = Job<AutosaveResult>;

/// Starts writing `items` into `dir` on a background thread.
#[must_use]
pub fn start_autosave(ctx: &egui::Context, dir: PathBuf, items: Vec<AutosaveItem>) -> AutosaveJob {
    Job::spawn("autosave", Some(ctx), move || write_items(&dir, items))
}

/// Writes and removes recovery copies (on whichever thread calls it).
#[must_use]
pub fn write_items(dir: &Path, items: Vec<AutosaveItem>) -> AutosaveResult {
    let mut results = Vec::new();
    for item in items {
        match item {
            AutosaveItem::Write {
                key,
                state,
                doc,
                original,
            } => {
                let r = crate::core::recovery::write(dir, &key, &doc, original.as_deref())
                    .map_err(|e| e.to_string());
                results.push((key, state, r));
            }
            AutosaveItem::Remove(key) => crate::core::recovery::remove(dir, &key),
        }
    }
    results
}
