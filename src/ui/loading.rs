//! Opening very large files without freezing the window: the file is read on a background
//! thread while a progress bar shows, and Cancel stops it.

use eframe::egui;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use super::job::{Job, JobError};

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
    job: Job<Result<Option<Editor>, FileError>>,
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
        let (p, c, owned, repaint) = (
            Arc::clone(&progress),
            Arc::clone(&cancel),
            path.to_owned(),
            ctx.clone(),
        );
        let job = Job::spawn("open", Some(ctx), move || {
            let report = |f: f32| {
                p.store((f.clamp(0.0, 1.0) * 1000.0) as u32, Ordering::Relaxed);
                repaint.request_repaint();
                !c.load(Ordering::Relaxed)
            };
            if is_annotation_file(&owned) {
                report(0.1);
                Editor::open_annotations(&owned).map(|e| report(1.0).then_some(e))
            } else {
                persist::load_article_with(&owned, &report)
                    .map(|d| d.map(|d| Editor::new(d, Origin::Article(owned.clone()))))
            }
        });
        Self {
            path: path.to_owned(),
            progress,
            cancel,
            job,
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
    pub fn poll(&mut self) -> Poll {
        match self.job.poll() {
            None => Poll::Running,
            Some(Ok(r)) => Poll::Done(r.map(|e| e.map(Box::new))),
            Some(Err(e)) => Poll::Done(Err(self.failed(&e))),
        }
    }

    fn failed(&self, e: &JobError) -> FileError {
        FileError::Io {
            path: self.path.clone(),
            error: std::io::Error::other(e.to_string()),
        }
    }
}
