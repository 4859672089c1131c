//! Opening very large files without freezing the window: the file is read on a background
//! thread while a progress bar shows, and Cancel stops it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};

use eframe::egui;

use crate::core::editor::{Editor, Origin, is_annotation_file};
use crate::core::persist::{self, FileError};

/// Files larger than this (bytes) are opened in the background.
pub const BACKGROUND_BYTES: u64 = 16 << 20;

/// A file being opened in the background.
pub struct Loading {
    /// The file.
    pub path: PathBuf,
    progress: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
    rx: Receiver<Result<Option<Editor>, FileError>>,
}

/// What a poll found.
pub enum Poll {
    /// Still reading.
    Running,
    /// Done: the editor, or `None` when cancelled. Boxed: an editor is large and this
    /// travels by value.
    Done(Result<Option<Box<Editor>>, FileError>),
}

impl Loading {
    /// Starts reading `path` on a background thread.
    #[must_use]
    pub fn start(path: &Path, ctx: &egui::Context) -> Self {
        let progress = Arc::new(AtomicU32::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = std::sync::mpsc::channel();
        let (p, c, owned, ctx) = (
            progress.clone(),
            cancel.clone(),
            path.to_owned(),
            ctx.clone(),
        );
        std::thread::spawn(move || {
            let report = |f: f32| {
                p.store((f.clamp(0.0, 1.0) * 1000.0) as u32, Ordering::Relaxed);
                ctx.request_repaint();
                !c.load(Ordering::Relaxed)
            };
            let result = if is_annotation_file(&owned) {
                report(0.1);
                Editor::open_annotations(&owned).map(|e| report(1.0).then_some(e))
            } else {
                persist::load_article_with(&owned, &report)
                    .map(|d| d.map(|d| Editor::new(d, Origin::Article(owned.clone()))))
            };
            let _ = tx.send(result);
            ctx.request_repaint();
        });
        Self {
            path: path.to_owned(),
            progress,
            cancel,
            rx,
        }
    }

    /// How far it got, 0 to 1.
    #[must_use]
    pub fn fraction(&self) -> f32 {
        self.progress.load(Ordering::Relaxed) as f32 / 1000.0
    }

    /// Asks the reader to stop.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Checks for the result without waiting.
    #[must_use]
    pub fn poll(&self) -> Poll {
        match self.rx.try_recv() {
            Ok(r) => Poll::Done(r.map(|e| e.map(Box::new))),
            Err(TryRecvError::Empty) => Poll::Running,
            Err(TryRecvError::Disconnected) => Poll::Done(Ok(None)),
        }
    }
}
