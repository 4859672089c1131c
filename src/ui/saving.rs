//! Saves and recovery copies written on background threads.
//!
//! Serialising a document with 50,000 annotations takes a few hundred milliseconds; doing
//! it on the UI thread would freeze the window at every Ctrl+S and every idle autosave.
//! Instead the app takes a snapshot (a [`Document`] clone: the text and the annotations
//! are shared, so this copies pointers), hands it to a thread, and keeps drawing. The file
//! written is byte for byte what a synchronous save writes (`persist::save_with_hash`).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::thread::JoinHandle;

use eframe::egui;

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
    done: Receiver<Result<SaveOutcome, FileError>>,
    handle: Option<JoinHandle<()>>,
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
        let (tx, done) = std::sync::mpsc::channel();
        let failed = tx.clone();
        let ctx = ctx.cloned();
        let target = path.clone();
        let handle = std::thread::Builder::new()
            .name("tallymark-save".to_owned())
            .spawn(move || {
                let result = save_snapshot(&snapshot, &target, expected_hash.as_deref());
                // The app may be gone (closing); then nobody listens, which is fine.
                let _ = tx.send(result);
                if let Some(ctx) = ctx {
                    ctx.request_repaint();
                }
            })
            .map_err(|source| {
                // No thread (resources exhausted): report it as a failed save.
                let _ = failed.send(Err(FileError::Io {
                    path: path.clone(),
                    source,
                }));
            })
            .ok();
        Self {
            editor,
            path,
            state,
            again: false,
            done,
            handle,
        }
    }

    /// The result, once the thread has finished.
    pub fn poll(&mut self) -> Option<Result<SaveOutcome, FileError>> {
        match self.done.try_recv() {
            Ok(result) => {
                if let Some(h) = self.handle.take() {
                    let _ = h.join();
                }
                Some(result)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(FileError::Write {
                path: self.path.clone(),
                message: "the save thread stopped unexpectedly".to_owned(),
            })),
        }
    }

    /// Waits for the thread to finish (closing, tests).
    pub fn wait(&mut self) {
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
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

/// Recovery copies being written.
pub struct AutosaveJob {
    done: Receiver<AutosaveResult>,
    handle: Option<JoinHandle<()>>,
}

impl AutosaveJob {
    /// Starts writing `items` into `dir`.
    #[must_use]
    pub fn start(ctx: &egui::Context, dir: PathBuf, items: Vec<AutosaveItem>) -> Option<Self> {
        let (tx, done) = std::sync::mpsc::channel();
        let ctx = ctx.clone();
        let handle = std::thread::Builder::new()
            .name("tallymark-autosave".to_owned())
            .spawn(move || {
                let results = write_items(&dir, items);
                let _ = tx.send(results);
                ctx.request_repaint();
            })
            .ok()?;
        Some(Self {
            done,
            handle: Some(handle),
        })
    }

    /// Waits for the thread to finish (closing, tests).
    pub fn wait(&mut self) {
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }

    /// The results, once written (`Some(empty)` if the thread died).
    pub fn poll(&mut self) -> Option<AutosaveResult> {
        match self.done.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Vec::new()),
        }
    }
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
