//! Background work of the window: saves, recovery copies, large files being opened, and
//! the locks of the open files. Every thread is a [`crate::ui::job::Job`].

use std::path::PathBuf;

use eframe::egui;

use super::dialogs::Modal;
use super::{Pending, TallymarkApp};
use crate::core::editor::{Editor, Origin, SaveOutcome};
use crate::ui::saving::{self, AutosaveItem, AutosaveResult};

impl TallymarkApp {
    /// Takes in what background work finished since the last frame.
    pub(super) fn poll_jobs(&mut self) {
        self.poll_saves();
        self.poll_loading();
    }

    /// Starts writing document `index` to `path` in the background; with `check_disk`,
    /// the writer first makes sure the file is still the one read or last saved.
    pub(super) fn start_save(&mut self, index: usize, path: PathBuf, check_disk: bool) {
        let e = &self.docs.all()[index];
        if let Some(job) = self.saves.iter_mut().find(|j| j.editor == e.uid()) {
            // One writer per document: save again once this one is done.
            job.again = true;
            return;
        }
        let expected = if check_disk {
            e.expected_hash(&path)
        } else {
            None
        };
        let job = saving::SaveJob::start(
            self.ctx.as_ref(),
            e.uid(),
            e.state_id(),
            e.doc().clone(),
            path,
            expected,
        );
        self.saves.push(job);
    }

    /// Takes in the saves that finished: marks documents saved, or reports why not.
    fn poll_saves(&mut self) {
        let mut i = 0;
        let mut finished_any = false;
        while i < self.saves.len() {
            let Some(result) = self.saves[i].poll() else {
                i += 1;
                continue;
            };
            finished_any = true;
            let job = self.saves.remove(i);
            let at = self.docs.all().iter().position(|e| e.uid() == job.editor);
            match (result, at) {
                (Ok(SaveOutcome::Saved(hash)), Some(at)) => {
                    if let Some(e) = self.docs.get_mut(at) {
                        e.finish_save(&job.path, job.state, hash);
                    }
                    self.files_changed += 1;
                    if at == self.docs.active_index() {
                        self.remember_recent();
                    }
                    if job.again && self.docs.all()[at].is_dirty() {
                        self.start_save(at, job.path.clone(), true);
                    }
                }
                // The document was closed meanwhile: the file is written, nothing to mark.
                (Ok(SaveOutcome::Saved(_)), None) => {}
                (Ok(SaveOutcome::ChangedOnDisk), _) => {
                    self.after_save = None;
                    self.modals.push(Modal::DiskConflict(job.path));
                }
                (Err(e), _) => {
                    self.after_save = None;
                    self.notify_error(format!("Not saved: {e}. Your work is still here."));
                }
            }
        }
        if finished_any
            && self.saves.is_empty()
            && let Some(next) = self.after_save.take()
        {
            if self.leaves_unsaved(&next) {
                // Edited while saving: ask again rather than lose the newest changes.
                self.ask_unsaved(next);
            } else {
                self.perform(next);
            }
        }
        if !self.saves.is_empty()
            && let Some(ctx) = &self.ctx
        {
            // The writer asks for a repaint when done; this is the safety net.
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// Waits for every background save and recovery copy to be written and takes in the
    /// results (before closing, and in tests).
    pub fn finish_saves(&mut self) {
        for job in &mut self.saves {
            job.wait();
        }
        self.poll_saves();
        self.wait_for_autosave();
    }

    /// True while a save is being written.
    #[must_use]
    pub fn saving(&self) -> bool {
        !self.saves.is_empty()
    }

    /// True while a recovery copy is being written.
    #[must_use]
    pub fn autosaving(&self) -> bool {
        self.autosave_job.is_some()
    }

    /// Takes in a large file opened in the background.
    fn poll_loading(&mut self) {
        let Some(loading) = &mut self.loading else {
            return;
        };
        let crate::ui::loading::Poll::Done(result) = loading.poll() else {
            return;
        };
        let path = loading.path.clone();
        self.loading = None;
        self.modals.retain(|m| *m != Modal::Loading);
        match result {
            Ok(Some(editor)) => self.opened(Ok(*editor)),
            Ok(None) => self.notify(format!("Stopped opening {}.", path.display())),
            Err(e) => self.opened(Err(e)),
        }
    }

    /// Starts reading a large file in the background, with the progress dialog.
    pub(super) fn start_loading(&mut self, path: &std::path::Path, ctx: &egui::Context) {
        self.loading = Some(crate::ui::loading::Loading::start(path, ctx));
        self.modals.insert(0, Modal::Loading);
    }

    /// Where recovery copies go.
    #[must_use]
    pub fn recovery_dir(&self) -> PathBuf {
        crate::core::recovery::dir_for(&self.dirs.saves)
    }

    /// Writes a recovery copy of every document with unsaved changes not yet written, and
    /// removes the copies of documents that are saved, now, on this thread (the idle
    /// autosave does the same on a background thread).
    pub fn autosave_now(&mut self) {
        self.wait_for_autosave();
        let items = self.autosave_items();
        let results = saving::write_items(&self.recovery_dir(), items);
        self.autosave_done(results);
    }

    /// What an autosave has to write and remove now.
    fn autosave_items(&mut self) -> Vec<AutosaveItem> {
        let mut items = Vec::new();
        for e in self.docs.all() {
            let key = e.recovery_key();
            if e.is_dirty() {
                if self.autosaved.get(&key) != Some(&e.state_id()) {
                    items.push(AutosaveItem::Write {
                        key,
                        state: e.state_id(),
                        doc: Box::new(e.doc().clone()),
                        original: e.save_path.clone(),
                    });
                }
            } else if self.autosaved.remove(&key).is_some() {
                items.push(AutosaveItem::Remove(key));
            }
        }
        items
    }

    /// Waits for a recovery copy being written in the background and takes in the result.
    pub(super) fn wait_for_autosave(&mut self) {
        if let Some(mut job) = self.autosave_job.take()
            && let Some(result) = job.wait()
        {
            self.autosave_finished(result);
        }
    }

    fn autosave_finished(&mut self, result: Result<AutosaveResult, crate::ui::job::JobError>) {
        match result {
            Ok(results) => self.autosave_done(results),
            Err(e) => self.notify_error(format!("Could not write the recovery copy: {e}")),
        }
    }

    /// Records what an autosave wrote.
    fn autosave_done(&mut self, results: AutosaveResult) {
        for (key, state, result) in results {
            // Once per state, even on error: a full disk should not flood the notices.
            self.autosaved.insert(key, state);
            if let Err(err) = result {
                self.notify_error(format!("Could not write the recovery copy: {err}"));
            }
        }
    }

    /// Removes every recovery copy this session wrote (clean exit with nothing unsaved).
    pub(super) fn clear_recovery(&mut self) {
        let dir = self.recovery_dir();
        for key in std::mem::take(&mut self.autosaved).into_keys() {
            crate::core::recovery::remove(&dir, &key);
        }
    }

    /// Opens the recovery copies as documents with unsaved changes and removes them from the
    /// recovery folder (they are in memory now, and autosaved again while unsaved). A copy
    /// of a file that is open already takes that document's place, rather than standing
    /// beside it as a second document of the same file.
    pub fn restore_recovered(&mut self) {
        let dir = self.recovery_dir();
        self.modals.retain(|m| !matches!(m, Modal::Recover(_)));
        for entry in std::mem::take(&mut self.recoverable) {
            let origin = entry
                .original
                .clone()
                .map_or(Origin::Builtin, Origin::Annotations);
            let mut editor = Editor::new(entry.doc, origin);
            editor.save_path.clone_from(&entry.original);
            editor.mark_unsaved();
            crate::core::recovery::remove(&dir, &entry.key);
            match entry
                .original
                .as_deref()
                .and_then(|p| self.docs.index_of_file(p))
            {
                Some(at) => self.docs.replace(at, editor),
                None => {
                    self.docs.add(editor);
                }
            }
        }
        self.after_switch();
        self.notify("Restored your unsaved work. Save it to keep it.");
    }

    /// Deletes the recovery copies found on start.
    pub fn discard_recovered(&mut self) {
        let dir = self.recovery_dir();
        self.modals.retain(|m| !matches!(m, Modal::Recover(_)));
        for entry in std::mem::take(&mut self.recoverable) {
            crate::core::recovery::remove(&dir, &entry.key);
        }
    }

    /// Autosaves after two idle seconds while anything is unsaved.
    pub(super) fn idle_autosave(&mut self, ctx: &egui::Context) {
        const IDLE_SECONDS: f64 = 2.0;
        // Nothing unsaved and no copy written: nothing to do (the usual case, and with a
        // thousand articles open the rest would be a thousand look-ups a frame).
        if self.autosaved.is_empty() && self.autosave_job.is_none() && !self.any_dirty() {
            return;
        }
        // Documents closed or replaced (changes discarded) leave nothing to recover.
        let live: std::collections::BTreeSet<String> =
            self.docs.all().iter().map(Editor::recovery_key).collect();
        let gone: Vec<String> = self
            .autosaved
            .keys()
            .filter(|k| !live.contains(*k))
            .cloned()
            .collect();
        for key in gone {
            self.autosaved.remove(&key);
            crate::core::recovery::remove(&self.recovery_dir(), &key);
        }
        let (now, active) = ctx.input(|i| (i.time, !i.events.is_empty() || i.pointer.is_moving()));
        if active {
            self.last_input = now;
        }
        let pending = self.docs.all().iter().any(|e| {
            let written = self.autosaved.get(&e.recovery_key());
            if e.is_dirty() {
                written != Some(&e.state_id())
            } else {
                written.is_some()
            }
        });
        if !pending {
            return;
        }
        if let Some(job) = &mut self.autosave_job {
            if let Some(result) = job.poll() {
                self.autosave_job = None;
                self.autosave_finished(result);
            } else {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                return;
            }
        }
        if now - self.last_input >= IDLE_SECONDS {
            let items = self.autosave_items();
            if !items.is_empty() {
                self.autosave_job = Some(saving::start_autosave(ctx, self.recovery_dir(), items));
            }
        } else {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(IDLE_SECONDS));
        }
    }

    /// Takes the lock of every open annotation file not locked yet, warning when another
    /// window has one; releases the locks of files no longer open.
    pub(super) fn refresh_locks(&mut self) {
        // Only when the files open changed: with a thousand articles, comparing their paths
        // every frame would cost more than drawing the window.
        let key = (self.docs.generation(), self.files_changed);
        if self.locks_for == Some(key) {
            return;
        }
        self.locks_for = Some(key);
        let open: std::collections::BTreeSet<PathBuf> = self
            .docs
            .all()
            .iter()
            .filter_map(|e| e.save_path.clone())
            .collect();
        self.locks.retain(|p, _| open.contains(p));
        for p in open {
            if self.locks.contains_key(&p) {
                continue;
            }
            match crate::core::lock::Lock::acquire(&p) {
                Ok(lock) => {
                    self.locks.insert(p, lock);
                }
                Err(held) => {
                    self.notify_error(format!(
                        "{} is also open in another Tallymark window (process {}). Edits in both \
                         will not merge: save from one, or the other save will ask before overwriting.",
                        p.display(),
                        held.pid
                    ));
                    self.locks.insert(p, None);
                }
            }
        }
    }

    /// True when doing `pending` now would lose unsaved changes (of the document it closes,
    /// or of any, for quitting and opening).
    pub(super) fn leaves_unsaved(&self, pending: &Pending) -> bool {
        match pending {
            Pending::Close(id) => self
                .docs
                .index_of(*id)
                .is_some_and(|i| self.docs.all()[i].is_dirty()),
            Pending::Open(_) | Pending::Quit => self.any_dirty(),
        }
    }

    /// Asks "unsaved changes?" before `pending`.
    pub(super) fn ask_unsaved(&mut self, pending: Pending) {
        if self
            .modals
            .iter()
            .any(|m| matches!(m, Modal::Unsaved { .. }))
        {
            return;
        }
        let name = self.display_name();
        self.modals.push(Modal::Unsaved { pending, name });
    }
}
