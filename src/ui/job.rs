//! One type for all background work: saves, recovery copies, opening large files,
//! suggestions on long texts.
//!
//! A [`Job`] runs a closure on a named thread and hands back its result once, when polled
//! or waited for. A thread that could not be started, panicked or vanished is reported the
//! same way everywhere, as a [`JobError`], so no caller can forget one of the cases (as
//! rerun's `background_tasks.rs` does on `poll_promise`).

use std::sync::mpsc::{Receiver, TryRecvError};
use std::thread::JoinHandle;

use eframe::egui;

/// Why a job gave no result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// No thread could be started (resources exhausted).
    #[error("the {name} thread could not start: {message}")]
    NoThread {
        /// The job's name.
        name: &'static str,
        /// The system's reason.
        message: String,
    },
    /// The thread ended without a result (it panicked).
    #[error("the {name} thread stopped unexpectedly")]
    Vanished {
        /// The job's name.
        name: &'static str,
    },
}

/// Work running on a background thread, with its result to come.
pub struct Job<T> {
    name: &'static str,
    rx: Option<Receiver<T>>,
    handle: Option<JoinHandle<()>>,
    failed: Option<JobError>,
}

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a thread called `tallymark-NAME`; the window repaints when it is done
    /// (given a context), so the result is taken in without waiting for input.
    pub fn spawn(
        name: &'static str,
        ctx: Option<&egui::Context>,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        let ctx = ctx.cloned();
        let spawned = std::thread::Builder::new()
            .name(format!("tallymark-{name}"))
            .spawn(move || {
                // The app may have moved on; then nobody listens, which is fine.
                let _ = tx.send(work());
                if let Some(ctx) = ctx {
                    ctx.request_repaint();
                }
            });
        match spawned {
            Ok(handle) => Self {
                name,
                rx: Some(rx),
                handle: Some(handle),
                failed: None,
            },
            Err(e) => Self {
                name,
                rx: None,
                handle: None,
                failed: Some(JobError::NoThread {
                    name,
                    message: e.to_string(),
                }),
            },
        }
    }
}

impl<T> Job<T> {
    /// The result, once the work is done; `None` while it runs. Gives the result once:
    /// after that the job is finished and polls `None`.
    pub fn poll(&mut self) -> Option<Result<T, JobError>> {
        if let Some(e) = self.failed.take() {
            return Some(Err(e));
        }
        let rx = self.rx.as_ref()?;
        let result = match rx.try_recv() {
            Ok(value) => Ok(value),
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => Err(JobError::Vanished { name: self.name }),
        };
        self.rx = None;
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        Some(result)
    }

    /// Waits for the work to end and gives its result (closing, tests). `None` when it
    /// was already taken.
    pub fn wait(&mut self) -> Option<Result<T, JobError>> {
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        self.poll()
    }

    /// True until the result has been taken.
    #[must_use]
    pub fn is_pending(&self) -> bool {
        self.rx.is_some() || self.failed.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_the_result_once() {
        let mut job = Job::spawn("test", None, || 42);
        assert_eq!(job.wait(), Some(Ok(42)));
        assert_eq!(job.poll(), None);
        assert!(!job.is_pending());
    }

    #[test]
    fn a_panicking_thread_is_reported() {
        let mut job: Job<u8> = Job::spawn("test", None, || panic!("boom"));
        assert_eq!(job.wait(), Some(Err(JobError::Vanished { name: "test" })));
    }
}
