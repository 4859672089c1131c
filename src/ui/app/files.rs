//! Files: open, save, import, export, re-anchor and workspaces. Every question for a path
//! goes through [`TallymarkApp::ask_file`]: the system dialog where there is one, the
//! in-app prompt where there is none, and one [`Command::FileChosen`] either way.

use std::path::{Path, PathBuf};

use super::dialogs::Modal;
use super::{Pending, Tab, TallymarkApp};
use crate::core::editor::{Editor, Origin, annotation_name_for};
use crate::core::text::slug;
use crate::ui::file_dialog::{DialogAnswer, FileRequest, PathPrompt, Purpose};

impl TallymarkApp {
    /// Asks for a file for `purpose`, starting in `dir` and proposing `file_name`.
    pub(super) fn ask_file(&mut self, purpose: Purpose, dir: &Path, file_name: Option<String>) {
        let request = FileRequest::new(purpose, dir, file_name);
        if request.save && dir == self.dirs.saves {
            // The folder the status bar names exists before anyone is asked to save in it.
            let _ = std::fs::create_dir_all(dir);
        }
        match self.file_dialogs.ask(&request) {
            DialogAnswer::Chosen(path) => self.file_chosen(purpose, &path),
            DialogAnswer::Cancelled => {}
            DialogAnswer::Unavailable => {
                self.modals
                    .push(Modal::PathPrompt(PathPrompt::new(request), Vec::new()));
            }
        }
    }

    /// Carries out what the file was chosen for.
    pub(super) fn file_chosen(&mut self, purpose: Purpose, path: &Path) {
        self.modals.retain(|m| !matches!(m, Modal::PathPrompt(..)));
        match purpose {
            Purpose::Open => self.open_path(path),
            Purpose::Add => self.add_document(path),
            Purpose::SaveAs => self.save_as_path(path),
            Purpose::SaveWorkspace => self.write_workspace(path),
            Purpose::Export(format) => self.write_export(format, path),
            Purpose::Import => self.import_annotations(path),
            Purpose::Reanchor => self.reanchor_onto(path),
            Purpose::SaveAdjudicated => self.save_adjudicated_to(path),
        }
    }

    /// Where the first save goes when no file was chosen yet (the status bar names it).
    pub(super) fn default_save_path(&self) -> PathBuf {
        self.dirs
            .saves
            .join(self.default_file_name(self.docs.active_index()))
    }

    fn default_file_name(&self, index: usize) -> String {
        let e = &self.docs.all()[index];
        match &e.origin {
            Origin::Article(p) => annotation_name_for(p),
            _ => format!("{}.ron", slug(&e.doc().meta.title)),
        }
    }

    /// Where files derived from the shown document go by default: the folder and stem of its
    /// annotation file, or the saves folder and a slug of its title.
    fn output_dir_and_stem(&self) -> (PathBuf, String) {
        let save = self.editor().save_path.as_ref();
        let dir = save
            .and_then(|p| p.parent().map(Path::to_owned))
            .unwrap_or_else(|| self.dirs.saves.clone());
        let stem = save.and_then(|p| p.file_stem()).map_or_else(
            || slug(&self.editor().doc().meta.title),
            |s| s.to_string_lossy().into_owned(),
        );
        (dir, stem)
    }

    /// Ctrl+S: to the document's file; a document without one goes where the status bar
    /// said it would, unless another file is there already (then it asks). With `ask`
    /// (Save as), always asks, starting in that folder.
    pub(super) fn save(&mut self, ask: bool) {
        let known = self.editor().save_path.clone();
        match (known, ask) {
            // If something else changed the file since we read it, the save stops to ask
            // instead of overwriting (checked by the writer, off this thread).
            (Some(p), false) => self.start_save(self.docs.active_index(), p, true),
            (None, false) if !self.default_save_path().exists() => {
                let path = self.default_save_path();
                if let Err(e) = std::fs::create_dir_all(&self.dirs.saves) {
                    self.notify_error(format!(
                        "Not saved: could not create {}: {e}",
                        self.dirs.saves.display()
                    ));
                    return;
                }
                self.start_save(self.docs.active_index(), path, false);
            }
            (known, _) => {
                let dir = known
                    .as_ref()
                    .and_then(|p| p.parent().map(Path::to_owned))
                    .unwrap_or_else(|| self.dirs.saves.clone());
                let name = known.as_ref().and_then(|p| p.file_name()).map_or_else(
                    || self.default_file_name(self.docs.active_index()),
                    |n| n.to_string_lossy().into_owned(),
                );
                self.ask_file(Purpose::SaveAs, &dir, Some(name));
            }
        }
    }

    /// Saves the shown document to `path` (no questions), as Save as does after its dialog.
    pub fn save_as_path(&mut self, path: &Path) {
        self.start_save(self.docs.active_index(), path.to_owned(), false);
    }

    /// Runs `action` now, or asks first when there are unsaved changes.
    pub(super) fn request(&mut self, action: Pending) {
        if self.any_dirty() {
            self.ask_unsaved(action);
        } else {
            self.perform(action);
        }
    }

    /// Does what waited for the unsaved-changes question.
    pub(super) fn perform(&mut self, action: Pending) {
        match action {
            Pending::Open(Some(p)) => self.open_path(&p),
            Pending::Open(None) => {
                let dir = self
                    .editor()
                    .save_path
                    .as_ref()
                    .and_then(|p| p.parent().map(Path::to_owned))
                    .unwrap_or_else(|| self.dirs.saves.clone());
                self.ask_file(Purpose::Open, &dir, None);
            }
            Pending::Quit => self.allow_close = true,
            Pending::Close(id) => {
                if let Some(i) = self.docs.index_of(id) {
                    self.close_document(i, false);
                }
            }
        }
    }

    /// Opens a file now (no unsaved-changes question), replacing what is open. A workspace
    /// file opens every document it lists; another tool's annotation file is imported (see
    /// [`Self::import_annotations`]). Errors become a notice; what was open stays.
    pub fn open_path(&mut self, path: &Path) {
        if crate::core::workspace::is_workspace_file(path) {
            self.open_workspace(path);
            return;
        }
        // Another tool's annotation file (brat, Label Studio, doccano, spaCy, W3C onto the
        // article shown) is imported, with its mapping step and report, rather than shown
        // as an article of markup.
        if crate::core::export::ImportFormat::of_file(path).is_some() {
            self.import_annotations(path);
            return;
        }
        let large =
            std::fs::metadata(path).is_ok_and(|m| m.len() > crate::ui::loading::BACKGROUND_BYTES);
        if large && let Some(ctx) = self.ctx.clone() {
            self.start_loading(path, &ctx);
            return;
        }
        self.opened(Editor::open(path));
    }

    /// Shows a freshly opened editor (or the reason it did not open).
    pub(super) fn opened(&mut self, result: Result<Editor, crate::core::persist::FileError>) {
        match result {
            Ok(editor) => {
                self.docs.open(vec![editor], None);
                self.after_switch();
                self.notices.clear();
                self.remember_recent();
                let notes = self.editor().doc().meta.notes.clone();
                if !notes.is_empty() {
                    self.notify(format!(
                        "Some of the page's tags were not used: {}",
                        notes.join(" ")
                    ));
                }
                if let Origin::Article(_) = self.editor().origin {
                    self.notify(format!(
                        "Opened an article. Ctrl+S saves its annotations to {}; Ctrl+Shift+S \
                         chooses another place.",
                        self.default_save_path().display()
                    ));
                }
            }
            Err(e) => self.notify_error(format!("Could not open: {e}")),
        }
    }

    fn open_workspace(&mut self, path: &Path) {
        let ws = match crate::core::workspace::Workspace::load(path) {
            Ok(ws) => ws,
            Err(e) => return self.notify_error(format!("Could not open the workspace: {e}")),
        };
        let mut editors = Vec::new();
        let mut failed = Vec::new();
        // A workspace from a stranger may list any file: what lies outside its folder's tree
        // opens only when it is an annotation file, and nothing of it is quoted.
        let outside = ws.outside(path);
        for doc in ws.resolved(path) {
            if outside.contains(&doc) {
                failed.push(format!(
                    "{} is outside the workspace's folder and not an annotation file; not opened",
                    crate::core::text::quote_input(&doc.display().to_string())
                ));
                continue;
            }
            match Editor::open(&doc) {
                Ok(e) => editors.push(e),
                Err(e) => failed.push(e.to_string()),
            }
        }
        if editors.is_empty() {
            return self.notify_error(format!(
                "The workspace {} lists no document that opens. {}",
                path.display(),
                failed.join("; ")
            ));
        }
        self.docs
            .open(editors, Some((path.to_owned(), ws.name.clone())));
        self.after_switch();
        self.notices.clear();
        self.settings.add_recent(path);
        self.save_settings();
        for f in failed {
            self.notify_error(format!("Skipped a document of the workspace: {f}"));
        }
    }

    /// Opens a file as one more document beside those already open (or shows it, when
    /// it is open already).
    pub fn add_document(&mut self, path: &Path) {
        if let Some(at) = self.docs.index_of_file(path) {
            self.switch_to(at);
            self.notify(format!("{} is open already.", path.display()));
            return;
        }
        match Editor::open(path) {
            Ok(editor) => {
                self.add_editor(editor);
                self.remember_recent();
            }
            Err(e) => self.notify_error(format!("Could not add: {e}")),
        }
    }

    /// Shows `editor` beside the open documents.
    pub fn add_editor(&mut self, editor: Editor) {
        self.docs.add(editor);
        self.after_switch();
    }

    /// Shows document `index`.
    pub(super) fn switch_to(&mut self, index: usize) {
        self.docs.switch_to(index);
        self.after_switch();
    }

    /// What showing another document resets.
    pub(super) fn after_switch(&mut self) {
        let e = self.docs.active();
        if let Origin::Article(p) = &e.origin
            && let Some(enc) = e.doc().meta.encoding.clone()
            && !e.is_dirty()
            && e.doc().annotations().is_empty()
        {
            let p = p.display().to_string();
            self.notify(format!(
                "{p} is not UTF-8: it was read as {enc}. Check the text looks right."
            ));
        }
        self.view.selected = None;
        self.article.reset();
        self.revision += 1;
    }

    /// Saves every document that has no file yet into the saves folder, then asks where
    /// the workspace goes (or writes it where it was).
    pub(super) fn save_workspace(&mut self) {
        for i in 0..self.docs.len() {
            if self.docs.all()[i].save_path.is_none() {
                let target = self.dirs.saves.join(self.default_file_name(i));
                let _ = std::fs::create_dir_all(&self.dirs.saves);
                let result = self.docs.get_mut(i).map_or(Ok(()), |e| e.save_to(&target));
                if let Err(e) = result {
                    return self.notify_error(format!("Workspace not saved: {e}"));
                }
                self.files_changed += 1;
            }
        }
        if let Some(p) = self.docs.workspace().map(Path::to_owned) {
            self.write_workspace(&p);
        } else if !self
            .modals
            .iter()
            .any(|m| matches!(m, Modal::WorkspaceName(_)))
        {
            // A name for the story first; it names the file too.
            self.modals.push(Modal::WorkspaceName(String::new()));
        }
    }

    /// Asks where the workspace called `name` goes.
    pub(super) fn name_workspace(&mut self, name: &str) {
        self.modals
            .retain(|m| !matches!(m, Modal::WorkspaceName(_)));
        self.pending_workspace_name = Some(name.trim().to_owned());
        let dir = self.dirs.saves.clone();
        let file = format!("{}.workspace.ron", slug(name));
        self.ask_file(Purpose::SaveWorkspace, &dir, Some(file));
    }

    fn write_workspace(&mut self, path: &Path) {
        let docs: Vec<PathBuf> = self
            .docs
            .all()
            .iter()
            .filter_map(|e| e.save_path.clone())
            .collect();
        let name = self
            .pending_workspace_name
            .take()
            .or_else(|| self.docs.workspace_name().map(str::to_owned))
            .unwrap_or_default();
        let ws = crate::core::workspace::Workspace::new(&name, path, &docs);
        match ws.save(path) {
            Ok(()) => {
                self.docs.set_workspace(path.to_owned(), name);
                self.settings.add_recent(path);
                self.save_settings();
                self.notify(format!("Workspace saved to {}", path.display()));
            }
            Err(e) => self.notify_error(format!("Workspace not saved: {e}")),
        }
    }

    /// Asks where, then writes the export (brat: `NAME.txt` and `NAME.ann`).
    pub(super) fn export(&mut self, format: crate::core::export::Format) {
        let (dir, stem) = self.output_dir_and_stem();
        self.ask_file(
            Purpose::Export(format),
            &dir,
            Some(format!("{stem}.{}", format.extension())),
        );
    }

    fn write_export(&mut self, format: crate::core::export::Format, target: &Path) {
        // The file's name goes into W3C annotation IRIs: two files of one article differ.
        let name = self
            .editor()
            .save_path
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let outputs = match crate::core::export::export_named(self.editor().doc(), format, &name) {
            Ok(o) => o,
            Err(e) => {
                self.notify_error(format!("Could not export: {e}"));
                return;
            }
        };
        let inputs: Vec<&Path> = self.editor().save_path.as_deref().into_iter().collect();
        match crate::core::export::write_outputs(&outputs, format, target, &inputs) {
            Ok(written) => {
                let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
                self.notify(format!("Exported to {}", names.join(" and ")));
            }
            Err(e) => self.notify_error(format!("Not exported: {e}")),
        }
    }

    /// Imports annotations: brat or W3C JSON-LD onto their article as a new, unsaved
    /// document, or the documents of a Label Studio, doccano or spaCy file (one per task
    /// and annotator, or per line). Types the file uses that no mapping remembered for its
    /// folder names are offered in the mapping step first; then the report is shown.
    pub fn import_annotations(&mut self, path: &Path) {
        self.import_with(path, &[], true);
    }

    /// The mapping step's answer: remembered for the file's folder, then the import.
    pub(super) fn import_mapped(&mut self, path: &Path, choices: &[(String, String)]) {
        let remembered = self
            .settings
            .import_maps
            .entry(import_source(path))
            .or_default();
        for (ty, kind) in choices {
            remembered.insert(ty.to_lowercase(), kind.clone());
        }
        self.save_settings();
        self.import_with(path, choices, false);
    }

    /// Imports `path` with the mapping remembered for its folder and `choices` on top;
    /// with `ask`, unknown types open the mapping step instead.
    fn import_with(&mut self, path: &Path, choices: &[(String, String)], ask: bool) {
        use crate::core::export::{ImportFormat, imported::TypeMap};
        let name = path.display().to_string();
        let options: Vec<String> = self
            .settings
            .import_maps
            .get(&import_source(path))
            .into_iter()
            .flatten()
            .chain(choices.iter().map(|(t, k)| (t, k)))
            .map(|(t, k)| format!("{t}={k}"))
            .collect();
        let map = TypeMap::parse(&options).unwrap_or_default();
        let input = match crate::core::persist::read_text(path) {
            Ok(i) => i,
            Err(e) => {
                self.notify_error(format!("Could not import: {e}"));
                return;
            }
        };
        let format = ImportFormat::detect(path, &input);
        let result = if format.carries_text() {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            crate::core::export::import_documents(&input, format, &stem, &map)
                .map(|(docs, report)| (docs.into_iter().map(|(_, d)| d).collect(), report))
        } else {
            let base = match format {
                ImportFormat::Brat => match Editor::open(&path.with_extension("txt")) {
                    Ok(e) => e.doc().clone(),
                    Err(e) => {
                        self.notify_error(format!("Could not read the brat article: {e}"));
                        return;
                    }
                },
                _ => self.editor().doc().clone(),
            };
            crate::core::export::import_with(&base, &input, format, &map)
                .map(|i| (vec![i.doc], i.report))
        };
        match result {
            Ok((_, report)) if ask && !report.unknown_types.is_empty() => {
                let rows = report
                    .unknown_types
                    .iter()
                    .map(|(ty, count)| super::dialogs::MapRow {
                        ty: ty.clone(),
                        count: *count,
                        sample: report.samples.get(ty).cloned().unwrap_or_default(),
                        choice: "skip".to_owned(),
                    })
                    .collect();
                self.modals
                    .push(Modal::ImportMapping(path.to_owned(), rows));
            }
            Ok((docs, report)) => {
                let mut opened = 0;
                for doc in docs {
                    if doc.annotations().is_empty() && doc.orphans().is_empty() {
                        continue;
                    }
                    let mut editor = Editor::new(doc, Origin::Builtin);
                    // Nothing of it is on disk in Tallymark's format yet.
                    editor.mark_unsaved();
                    self.add_editor(editor);
                    opened += 1;
                }
                if opened > 0 {
                    self.notify(format!(
                        "Imported {} into {} from {name}. Save to keep them as Tallymark files.",
                        crate::core::text::count(report.total_imported(), "annotation"),
                        crate::core::text::count(opened, "document"),
                    ));
                } else {
                    self.notify_error(format!("Nothing imported from {name}."));
                }
                // Every import says what it left out, with the first examples.
                self.modals
                    .push(Modal::ImportReport(name, Box::new(report)));
            }
            Err(e) => self.notify_error(format!("Could not import {name}: {e}")),
        }
    }

    /// Re-anchors the shown document onto the article at `path` and opens the result as a
    /// new, unsaved document (the original file is left as it is).
    pub fn reanchor_onto(&mut self, path: &Path) {
        match crate::core::persist::load_article(path) {
            Ok(article) => {
                let (doc, report) =
                    crate::core::reanchor::reanchor(self.editor().doc(), article.text().as_str());
                let orphans = report.orphaned;
                let mut editor = Editor::new(doc, Origin::Article(path.to_owned()));
                // The re-anchored annotations exist only in memory: quitting must ask, and
                // the idle autosave must keep a recovery copy.
                editor.mark_unsaved();
                self.add_editor(editor);
                let text = format!("Re-anchored onto {}: {}.", path.display(), report.summary());
                if orphans > 0 {
                    self.notify_error(format!(
                        "{text} The orphans are listed on the right: select text and place them, or delete them."
                    ));
                } else {
                    self.notify(text);
                }
            }
            Err(e) => self.notify_error(format!("Could not read the article: {e}")),
        }
    }

    /// Asks where the adjudicated file goes.
    pub(super) fn save_adjudicated(&mut self) {
        let (dir, stem) = self.output_dir_and_stem();
        self.ask_file(
            Purpose::SaveAdjudicated,
            &dir,
            Some(format!("{stem}.adjudicated.ron")),
        );
    }

    fn save_adjudicated_to(&mut self, path: &Path) {
        let reviewer = if self.settings.annotator.is_empty() {
            "reviewer".to_owned()
        } else {
            self.settings.annotator.clone()
        };
        match crate::core::review::adjudicate(
            self.editor().doc(),
            &self.review.clusters,
            &self.review.decisions,
            &self.review.names,
            &reviewer,
            crate::core::clock::now(),
        ) {
            Ok(doc) => self.write_adjudicated(doc, path),
            Err(e) => self.notify_error(format!("Not saved: {e}.")),
        }
    }

    /// Saves an adjudicated document to `path` and opens it, refusing to overwrite an input.
    pub fn write_adjudicated(&mut self, doc: crate::core::document::Document, path: &Path) {
        let inputs: Vec<&Path> = self
            .review
            .group
            .iter()
            .filter_map(|&i| self.docs.all()[i].save_path.as_deref())
            .collect();
        if crate::core::export::refuse_overwrite(path, &inputs).is_err() {
            self.notify_error("Not saved: that is one of the reviewed files; choose a new name.");
            return;
        }
        if let Err(e) = crate::core::persist::save(&doc, path) {
            self.notify_error(format!("Not saved: {e}"));
            return;
        }
        let mut editor = Editor::new(doc, Origin::Annotations(path.to_owned()));
        editor.save_path = Some(path.to_owned());
        // Listed with the others; the review stays on the files reviewed.
        let reviewing = self.docs.active_index();
        self.docs.add(editor);
        self.docs.switch_to(reviewing);
        self.notify(format!(
            "Saved the adjudicated file {}; it is in the article list.",
            path.display()
        ));
    }

    /// Closes document `index`, asking first when it has unsaved changes.
    pub(super) fn close_document(&mut self, index: usize, ask: bool) {
        let Some(e) = self.docs.all().get(index) else {
            return;
        };
        let (id, dirty) = (crate::ui::app::documents::DocId(e.uid()), e.is_dirty());
        let title = crate::core::text::shorten(&e.doc().meta.title, 60);
        if self.docs.len() < 2 {
            self.notify("This is the only article open: open another before closing it.");
            return;
        }
        if ask && dirty {
            self.switch_to(index);
            self.ask_unsaved(Pending::Close(id));
            return;
        }
        if self.docs.close(index).is_some() {
            self.after_switch();
            let hint = if self.docs.workspace().is_some() {
                " Save the workspace to remove it from the workspace file too."
            } else {
                ""
            };
            self.notify(format!("Closed “{title}”.{hint}"));
        }
    }

    /// Opens a new document from pasted text.
    pub(super) fn create_from_text(&mut self, text: &str) {
        self.modals.retain(|m| !matches!(m, Modal::Paste(_)));
        let doc = crate::core::document::Document::from_article(text, None);
        let mut editor = Editor::new(doc, Origin::Builtin);
        // The pasted text is nowhere else: quitting must not lose it without asking.
        editor.mark_unsaved();
        self.add_editor(editor);
        self.tab = Tab::Article;
    }
}

/// Where an imported file comes from, for remembering its mapping: its folder.
fn import_source(path: &Path) -> String {
    path.parent()
        .map(|p| p.canonicalize().unwrap_or_else(|_| p.to_owned()))
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}
