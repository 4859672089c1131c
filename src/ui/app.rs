//! The application: state, the one `apply`, and the window's layout.

use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText};

use super::annotation_list::{ListFilter, list_ui};
use super::article_view::{ArticleView, Scroll, ViewInput};
use super::command::{ACTIONS, Command};
use super::inspector::{InspectorBuffers, inspector_ui};
use super::theme;
use crate::core::annotation::{AnnotationId, Attributes, Kind};
use crate::core::check::Summary;
use crate::core::edit::Edit;
use crate::core::editor::{Editor, Origin, annotation_name_for};
use crate::core::settings::{Dirs, Settings};

/// A message shown at the top of the article until dismissed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The message, naming file and place where there is one.
    pub text: String,
    /// Errors are red; the rest are informational.
    pub is_error: bool,
}

/// What to do once the user has answered "unsaved changes?".
#[derive(Clone, Debug, PartialEq)]
enum Pending {
    Open(Option<PathBuf>),
    Quit,
}

/// The views that can fill the centre of the window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// The article text with its highlights.
    #[default]
    Article,
    /// Figures of every open document side by side.
    Compare,
    /// Several annotators' files of one article.
    Review,
}

/// View state that is not part of the document.
#[derive(Default)]
pub struct ViewState {
    /// The selected annotation.
    pub selected: Option<AnnotationId>,
    /// List filter (also hides kinds in the article).
    pub filter: ListFilter,
    scroll_list: bool,
}

/// The Tallymark window.
pub struct TallymarkApp {
    /// The open documents (several when a workspace is open).
    editors: Vec<Editor>,
    /// Index of the document shown.
    active: usize,
    /// The workspace file, when the documents came from one or were saved as one.
    workspace_path: Option<PathBuf>,
    /// Which view fills the centre.
    pub tab: Tab,
    /// View state (selection, filter).
    pub view: ViewState,
    /// The article text view.
    pub article: ArticleView,
    settings: Settings,
    dirs: Dirs,
    persist_settings: bool,
    notices: Vec<Notice>,
    pending: Option<Pending>,
    show_shortcuts: bool,
    /// Text pasted into the "New article from clipboard" dialog, while it is open.
    pub paste: Option<String>,
    /// Lock files of the open annotation files (see `core::lock`), by path.
    /// `None` where no lock could be taken (another window has it: warned once).
    locks: std::collections::BTreeMap<PathBuf, Option<crate::core::lock::Lock>>,
    /// The find bar, while open.
    pub find: Option<super::find::FindState>,
    /// A large file being opened in the background.
    pub loading: Option<super::loading::Loading>,
    /// The egui context, once the first frame ran (to start background work).
    ctx: Option<egui::Context>,
    /// A save was stopped because the file changed on disk: the path, while the user decides.
    pub disk_conflict: Option<PathBuf>,
    /// Recovery copies found on start, offered for restoring.
    pub recoverable: Vec<crate::core::recovery::Entry>,
    /// State ids already written to the recovery folder, per recovery key.
    autosaved: std::collections::BTreeMap<String, u64>,
    /// Time (egui seconds) of the last user input, for idle autosave.
    last_input: f64,
    generation: u64,
    /// Bumped on changes the inspector did not make itself (undo, redo, relabel).
    revision: u64,
    inspector: InspectorBuffers,
    taxonomy: crate::core::metrics::Taxonomy,
    /// The last comparison and the document states it was computed from.
    comparison: Option<(
        Vec<u64>,
        crate::core::compare::Comparison,
        super::compare_view::CompareModel,
    )>,
    allow_close: bool,
    title: String,
    /// Suggested figures and quotes for the document shown.
    pub suggest: super::suggestions::SuggestState,
    /// Review of the open files that annotate the same article.
    pub review: super::review_view::ReviewState,
    /// The status bar's counts and the state they were computed for.
    summary: Option<(u64, String)>,
    /// Saves being written in the background.
    saves: Vec<super::saving::SaveJob>,
    /// What to do once the running saves are done (the user chose Save in the unsaved
    /// changes question, or closed the window while a save was running).
    after_save: Option<Pending>,
    /// Recovery copies being written in the background.
    autosave_job: Option<super::saving::AutosaveJob>,
}

impl TallymarkApp {
    /// Builds the app. With `persist_settings` false (tests) nothing is written to the
    /// user's config directory.
    #[must_use]
    pub fn new(editor: Editor, settings: Settings, dirs: Dirs, persist_settings: bool) -> Self {
        let mut app = Self {
            editors: vec![editor],
            active: 0,
            workspace_path: None,
            tab: Tab::Article,
            view: ViewState::default(),
            article: ArticleView::default(),
            settings,
            dirs,
            persist_settings,
            notices: Vec::new(),
            pending: None,
            show_shortcuts: false,
            paste: None,
            recoverable: Vec::new(),
            disk_conflict: None,
            loading: None,
            find: None,
            locks: std::collections::BTreeMap::new(),
            ctx: None,
            autosaved: std::collections::BTreeMap::new(),
            last_input: 0.0,
            generation: 1,
            revision: 0,
            inspector: InspectorBuffers::default(),
            taxonomy: crate::core::metrics::Taxonomy::builtin(),
            comparison: None,
            allow_close: false,
            title: String::new(),
            suggest: super::suggestions::SuggestState::default(),
            review: super::review_view::ReviewState::default(),
            summary: None,
            saves: Vec::new(),
            after_save: None,
            autosave_job: None,
        };
        let (taxonomy, error) = crate::core::metrics::Taxonomy::from_config(&app.dirs.config);
        app.taxonomy = taxonomy;
        if let Some(e) = error {
            app.notify_error(format!("Your metrics.ron was not used: {e}"));
        }
        app.remember_recent();
        app.recoverable = crate::core::recovery::list(&app.recovery_dir());
        if let Some(enc) = app.editor().doc().meta.encoding.clone() {
            app.notify(format!(
                "The article is not UTF-8: it was read as {enc}. Check the text looks right."
            ));
        }
        app
    }

    /// Carries out the choice made in the "changed on disk" dialog: 0 reload, 1 keep mine,
    /// 2 save elsewhere, anything else cancel.
    pub fn resolve_disk_conflict(&mut self, choice: u8, path: &Path) {
        self.disk_conflict = None;
        match choice {
            0 => match self.editor_mut().reload() {
                Ok(()) => {
                    self.view.selected = None;
                    self.article.reset();
                    self.generation += 1;
                    self.notify("Reloaded the file from disk.");
                }
                Err(e) => self.notify_error(format!("Could not reload: {e}")),
            },
            1 => self.save_as_path(path),
            2 => self.save(true),
            _ => {}
        }
    }

    /// Takes the lock of every open annotation file not locked yet, warning when another
    /// window has one; releases the locks of files no longer open.
    fn refresh_locks(&mut self) {
        let open: Vec<PathBuf> = self
            .editors
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

    /// Gives the app its egui context before the first frame (for background work started
    /// at launch, such as opening a very large file).
    pub fn set_context(&mut self, ctx: &egui::Context) {
        self.ctx = Some(ctx.clone());
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
        let results = super::saving::write_items(&self.recovery_dir(), items);
        self.autosave_done(results);
    }

    /// What an autosave has to write and remove now.
    fn autosave_items(&mut self) -> Vec<super::saving::AutosaveItem> {
        use super::saving::AutosaveItem;
        let mut items = Vec::new();
        for e in &self.editors {
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
    fn wait_for_autosave(&mut self) {
        if let Some(mut job) = self.autosave_job.take() {
            job.wait();
            if let Some(results) = job.poll() {
                self.autosave_done(results);
            }
        }
    }

    /// Records what an autosave wrote.
    fn autosave_done(&mut self, results: super::saving::AutosaveResult) {
        for (key, state, result) in results {
            // Once per state, even on error: a full disk should not flood the notices.
            self.autosaved.insert(key, state);
            if let Err(err) = result {
                self.notify_error(format!("Could not write the recovery copy: {err}"));
            }
        }
    }

    /// Removes every recovery copy this session wrote (clean exit with nothing unsaved).
    fn clear_recovery(&mut self) {
        let dir = self.recovery_dir();
        for key in std::mem::take(&mut self.autosaved).into_keys() {
            crate::core::recovery::remove(&dir, &key);
        }
    }

    /// Opens the recovery copies as documents with unsaved changes and removes them from the
    /// recovery folder (they are in memory now, and autosaved again while unsaved).
    pub fn restore_recovered(&mut self) {
        let dir = self.recovery_dir();
        for entry in std::mem::take(&mut self.recoverable) {
            let origin = entry
                .original
                .clone()
                .map_or(Origin::Builtin, Origin::Annotations);
            let mut editor = Editor::new(entry.doc, origin);
            editor.save_path.clone_from(&entry.original);
            editor.mark_unsaved();
            crate::core::recovery::remove(&dir, &entry.key);
            self.editors.push(editor);
        }
        self.switch_to(self.editors.len() - 1);
        self.notify("Restored your unsaved work. Save it to keep it.");
    }

    /// Deletes the recovery copies found on start.
    pub fn discard_recovered(&mut self) {
        let dir = self.recovery_dir();
        for entry in std::mem::take(&mut self.recoverable) {
            crate::core::recovery::remove(&dir, &entry.key);
        }
    }

    /// Autosaves after two idle seconds while anything is unsaved.
    fn idle_autosave(&mut self, ctx: &egui::Context) {
        const IDLE_SECONDS: f64 = 2.0;
        // Documents closed or replaced (changes discarded) leave nothing to recover.
        let live: std::collections::BTreeSet<String> =
            self.editors.iter().map(Editor::recovery_key).collect();
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
        let pending =
            self.editors.iter().any(|e| {
                e.is_dirty() && self.autosaved.get(&e.recovery_key()) != Some(&e.state_id())
            }) || self
                .editors
                .iter()
                .any(|e| !e.is_dirty() && self.autosaved.contains_key(&e.recovery_key()));
        if !pending {
            return;
        }
        if let Some(job) = &mut self.autosave_job {
            if let Some(results) = job.poll() {
                self.autosave_job = None;
                self.autosave_done(results);
            } else {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                return;
            }
        }
        if now - self.last_input >= IDLE_SECONDS {
            let items = self.autosave_items();
            if !items.is_empty() {
                self.autosave_job =
                    super::saving::AutosaveJob::start(ctx, self.recovery_dir(), items);
                if self.autosave_job.is_none() {
                    // No thread to be had: write on this one rather than not at all.
                    self.autosave_now();
                }
            }
        } else {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(IDLE_SECONDS));
        }
    }

    /// The document shown.
    #[must_use]
    pub fn editor(&self) -> &Editor {
        &self.editors[self.active]
    }

    /// The document shown, for changes that do not go through [`Self::apply`] (tests).
    pub fn editor_mut(&mut self) -> &mut Editor {
        &mut self.editors[self.active]
    }

    /// Every open document.
    #[must_use]
    pub fn editors(&self) -> &[Editor] {
        &self.editors
    }

    /// Index of the document shown.
    #[must_use]
    pub fn active(&self) -> usize {
        self.active
    }

    /// True when any open document has unsaved changes.
    #[must_use]
    pub fn any_dirty(&self) -> bool {
        self.editors.iter().any(Editor::is_dirty)
    }

    /// The user's settings.
    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Notices currently shown.
    #[must_use]
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// Shows an error notice (and logs it).
    pub fn notify_error(&mut self, text: impl Into<String>) {
        let text = text.into();
        eprintln!("tallymark: {text}");
        self.notices.push(Notice {
            text,
            is_error: true,
        });
    }

    fn notify(&mut self, text: impl Into<String>) {
        self.notices.push(Notice {
            text: text.into(),
            is_error: false,
        });
    }

    fn remember_recent(&mut self) {
        let path = match &self.editor().origin {
            Origin::Annotations(p) | Origin::Article(p) => p.clone(),
            Origin::Builtin => return,
        };
        self.settings.add_recent(&path);
        self.save_settings();
    }

    fn save_settings(&mut self) {
        if self.persist_settings
            && let Err(e) = self.settings.save(&self.dirs.settings_file())
        {
            eprintln!("tallymark: could not save settings: {e}");
        }
    }

    /// The file name shown in the title and status bar.
    fn display_name(&self) -> String {
        match (&self.editor().save_path, &self.editor().origin) {
            (Some(p), _) | (None, Origin::Article(p)) => p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            _ => "Example article".to_owned(),
        }
    }

    /// Where the first save will go when no file was chosen yet.
    fn default_save_path(&self) -> PathBuf {
        let name = match &self.editor().origin {
            Origin::Article(p) => annotation_name_for(p),
            _ => format!("{}.ron", slug(&self.editor().doc().meta.title)),
        };
        self.dirs.saves.join(name)
    }

    /// Carries out one command. Every change to the document goes through here.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Mark(kind) => self.mark(kind),
            Command::DeleteSelected
                if self.view.selected.is_none() && self.suggest.focused().is_some() =>
            {
                // Delete and Backspace reject the focused suggestion when no annotation is
                // selected: one "remove what is selected" gesture for both.
                self.apply(ctx, Command::RejectSuggestion);
            }
            Command::DeleteSelected => {
                if let Some(id) = self.view.selected {
                    match self.editor_mut().apply(vec![Edit::Remove(id)], None) {
                        Ok(()) => self.view.selected = None,
                        Err(e) => self.notify_error(format!("Could not delete: {e}")),
                    }
                }
            }
            Command::Undo => {
                if self.editor_mut().undo() {
                    self.after_history_jump();
                }
            }
            Command::Redo => {
                if self.editor_mut().redo() {
                    self.after_history_jump();
                }
            }
            Command::Save => self.save(false),
            Command::SaveAs => self.save(true),
            Command::Open => self.request(Pending::Open(None)),
            Command::OpenPath(p) => self.request(Pending::Open(Some(p))),
            Command::Quit => self.request(Pending::Quit),
            Command::ZoomIn => self.zoom(1.1),
            Command::ZoomOut => self.zoom(1.0 / 1.1),
            Command::PageDown => self.scroll_article(Scroll::Pages(1.0)),
            Command::PageUp => self.scroll_article(Scroll::Pages(-1.0)),
            Command::GoToStart => self.scroll_article(Scroll::Start),
            Command::GoToEnd => self.scroll_article(Scroll::End),
            Command::ZoomReset => {
                self.settings.text_size = theme::TEXT_SIZE;
                self.save_settings();
            }
            Command::ToggleTheme => {
                let dark = ctx.theme() != egui::Theme::Dark;
                self.settings.dark = Some(dark);
                theme::apply(ctx, Some(dark));
                self.save_settings();
            }
            Command::ShowShortcuts => self.show_shortcuts = !self.show_shortcuts,
            Command::Select { id, scroll } => {
                self.view.selected = id;
                self.suggest.focus = None;
                if let Some(a) = id.and_then(|id| self.editor().doc().get(id)) {
                    if scroll {
                        self.article.scroll_to = Some(a.span.start);
                    } else {
                        self.view.scroll_list = true;
                    }
                }
                self.editor_mut().seal();
            }
            Command::SetSelection(span) => {
                self.article.selection = span.map(|s| super::article_view::Selection {
                    anchor: s.start,
                    head: s.end,
                });
            }
            Command::Update {
                annotation,
                merge_key,
            } => {
                let mut a = *annotation;
                a.modified = now();
                if let Err(e) = self.editor_mut().apply(vec![Edit::Replace(a)], merge_key) {
                    self.notify_error(format!("Could not edit the annotation: {e}"));
                }
            }
            Command::Relabel(id, kind) => self.relabel(id, kind),
            Command::SealUndo => self.editor_mut().seal(),
            Command::ShowArticle => self.tab = Tab::Article,
            Command::ShowCompare => self.tab = Tab::Compare,
            Command::SwitchDocument(i) => {
                if i < self.editors.len() && i != self.active {
                    self.switch_to(i);
                }
                self.tab = Tab::Article;
            }
            Command::JumpTo { doc, id } => {
                if doc < self.editors.len() {
                    if doc != self.active {
                        self.switch_to(doc);
                    }
                    self.tab = Tab::Article;
                    self.apply(
                        ctx,
                        Command::Select {
                            id: Some(id),
                            scroll: true,
                        },
                    );
                }
            }
            Command::AddDocument => {
                if let Some(p) = rfd::FileDialog::new()
                    .set_title("Add an article or annotation file")
                    .add_filter(
                        "Articles and annotations",
                        &["txt", "md", "html", "htm", "ron"],
                    )
                    .pick_file()
                {
                    self.add_document(&p);
                }
            }
            Command::SaveWorkspace => self.save_workspace(),
            Command::NextSuggestion => self.step_suggestion(1),
            Command::PrevSuggestion => self.step_suggestion(-1),
            Command::AcceptSuggestion => {
                if let Some(c) = self.suggest.focused().cloned() {
                    let a = c.to_annotation(self.editor().doc(), &self.settings.annotator, now());
                    if let Err(e) = self.editor_mut().apply(vec![Edit::Insert(a)], None) {
                        self.notify_error(format!("Could not accept the suggestion: {e}"));
                    }
                    self.editor_mut().seal();
                }
            }
            Command::RejectSuggestion => {
                if let Some(c) = self.suggest.focused().cloned() {
                    if let Err(e) = self
                        .editor_mut()
                        .apply(vec![Edit::Reject(c.rejected())], None)
                    {
                        self.notify_error(format!("Could not reject the suggestion: {e}"));
                    }
                    self.editor_mut().seal();
                }
            }
            Command::AcceptAllFigures => self.accept_all_figures(),
            Command::Export(format) => self.export(format),
            Command::ShowReview => self.tab = Tab::Review,
            Command::Find => {
                let f = self.find.get_or_insert_with(Default::default);
                f.focus = true;
                self.tab = Tab::Article;
            }
            Command::FindNext | Command::FindPrev => {
                let forward = command == Command::FindNext;
                if let Some(f) = &mut self.find
                    && let Some(span) = f.step(forward)
                {
                    self.select_match(span);
                }
            }
            Command::CloseFind => self.find = None,
            Command::NewFromClipboard => self.paste = Some(String::new()),
            Command::Reanchor => {
                if let Some(p) = rfd::FileDialog::new()
                    .set_title("The changed article")
                    .add_filter("Articles", &["txt", "md", "html", "htm"])
                    .pick_file()
                {
                    self.reanchor_onto(&p);
                }
            }
            Command::PlaceOrphan(id) => {
                let Some(span) = self.article.selected_span() else {
                    self.notify_error("Select the text to place the orphaned annotation on first.");
                    return;
                };
                if let Some(orphan) = self
                    .editor()
                    .doc()
                    .orphans()
                    .iter()
                    .find(|o| o.id == id)
                    .cloned()
                {
                    let mut a = orphan;
                    a.span = span;
                    self.editor()
                        .doc()
                        .text()
                        .slice(span)
                        .clone_into(&mut a.exact);
                    let (prefix, suffix) = self.editor().doc().text().context(span);
                    a.prefix = prefix;
                    a.suffix = suffix;
                    a.modified = now();
                    match self
                        .editor_mut()
                        .apply(vec![Edit::RemoveOrphan(id), Edit::Insert(a)], None)
                    {
                        Ok(()) => {
                            self.article.selection = None;
                            self.view.selected = Some(id);
                        }
                        Err(e) => self.notify_error(format!("Could not place it: {e}")),
                    }
                }
            }
            Command::DeleteOrphan(id) => {
                if let Err(e) = self.editor_mut().apply(vec![Edit::RemoveOrphan(id)], None) {
                    self.notify_error(format!("Could not delete it: {e}"));
                }
            }
            Command::Decide { cluster, decision } => {
                if let Some(d) = self.review.decisions.get_mut(cluster) {
                    *d = decision;
                }
            }
            Command::ToggleShowAgreed => self.review.show_agreed = !self.review.show_agreed,
            Command::SaveAdjudicated => self.save_adjudicated(),
            Command::ImportAnnotations => {
                if let Some(p) = rfd::FileDialog::new()
                    .set_title("Import annotations")
                    .add_filter("brat standoff or W3C JSON-LD", &["ann", "jsonld", "json"])
                    .pick_file()
                {
                    self.import_annotations(&p);
                }
            }
            Command::ToggleSuggestions => {
                self.settings.show_suggestions = !self.settings.show_suggestions;
                self.save_settings();
            }
            Command::ToggleClaimSuggestions => {
                self.settings.suggest_claims = !self.settings.suggest_claims;
                self.settings.show_suggestions = true;
                self.save_settings();
            }
            Command::FocusSuggestion(i) => {
                self.suggest.focus = i.filter(|&i| i < self.suggest.open().len());
                if self.suggest.focus.is_some() {
                    self.view.selected = None;
                    self.article.selection = None;
                }
            }
        }
    }

    /// Recomputes the review when any open document changed: the group of documents that
    /// annotate the active article, their agreement and the clusters to decide.
    fn refresh_review(&mut self) {
        // Which documents annotate the active article changes only when documents are opened,
        // closed or switched: compare the texts then, not on every edit.
        let group_key = (self.generation, self.active, self.editors.len());
        if self.review.group_key != Some(group_key) {
            let active = self.editor().doc().text().as_str();
            self.review.group = (0..self.editors.len())
                .filter(|&i| i == self.active || self.editors[i].doc().text().as_str() == active)
                .collect();
            self.review.group_key = Some(group_key);
            self.review.key.clear();
        }
        let group = self.review.group.clone();
        // Agreement over a single document is shown only on its tab: skip the passes over
        // every annotation on each edit while it is not shown.
        if group.len() < 2 && self.tab != Tab::Review {
            return;
        }
        let key: Vec<u64> = group.iter().map(|&i| self.editors[i].state_id()).collect();
        if self.review.key == key {
            return;
        }
        let names: Vec<String> = group
            .iter()
            .map(|&i| {
                let e = &self.editors[i];
                let file = e
                    .save_path
                    .as_ref()
                    .and_then(|p| p.file_name())
                    .map_or_else(
                        || format!("document {}", i + 1),
                        |n| n.to_string_lossy().into_owned(),
                    );
                crate::core::agree::annotator_name(e.doc(), &file)
            })
            .collect();
        let docs: Vec<&crate::core::document::Document> =
            group.iter().map(|&i| self.editors[i].doc()).collect();
        let labelled: Vec<(String, &crate::core::document::Document)> =
            names.iter().cloned().zip(docs.iter().copied()).collect();
        // The group shares one text by construction: no need to check it again.
        let pairs = crate::core::agree::pairs_of(&labelled);
        let clusters = if group.len() > 1 {
            crate::core::review::clusters(&docs)
        } else {
            Vec::new()
        };
        // Decisions survive as long as the clusters are the same.
        let decisions = if clusters == self.review.clusters {
            std::mem::take(&mut self.review.decisions)
        } else {
            vec![None; clusters.len()]
        };
        self.review.key = key;
        self.review.names = names;
        self.review.pairs = pairs;
        self.review.clusters = clusters;
        self.review.decisions = decisions;
    }

    /// Writes the adjudicated file (asks where); the reviewed files are left as they are.
    fn save_adjudicated(&mut self) {
        let base = self.editor().doc();
        let reviewer = if self.settings.annotator.is_empty() {
            "reviewer".to_owned()
        } else {
            self.settings.annotator.clone()
        };
        let doc = match crate::core::review::adjudicate(
            base,
            &self.review.clusters,
            &self.review.decisions,
            &self.review.names,
            &reviewer,
            now(),
        ) {
            Ok(d) => d,
            Err(e) => {
                self.notify_error(format!("Not saved: {e}."));
                return;
            }
        };
        let (dir, stem) = self.output_dir_and_stem();
        let Some(path) = rfd::FileDialog::new()
            .set_title("Save adjudicated annotations")
            .set_directory(&dir)
            .set_file_name(format!("{stem}.adjudicated.ron"))
            .save_file()
        else {
            return;
        };
        self.write_adjudicated(doc, &path);
    }

    /// Saves an adjudicated document to `path` and opens it, refusing to overwrite an input.
    pub fn write_adjudicated(&mut self, doc: crate::core::document::Document, path: &Path) {
        let inputs: Vec<&Path> = self
            .review
            .group
            .iter()
            .filter_map(|&i| self.editors[i].save_path.as_deref())
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
        self.editors.push(editor);
        self.notify(format!("Saved the adjudicated file {}", path.display()));
    }

    /// Re-anchors the shown document onto the article at `path` and opens the result as a
    /// new, unsaved document (the original file is left as it is).
    pub fn reanchor_onto(&mut self, path: &Path) {
        match crate::core::persist::load_article(path) {
            Ok(article) => {
                let (doc, report) =
                    crate::core::reanchor::reanchor(self.editor().doc(), article.text().as_str());
                let orphans = report.orphaned;
                self.editors
                    .push(Editor::new(doc, Origin::Article(path.to_owned())));
                self.switch_to(self.editors.len() - 1);
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

    /// Selects a find match in the article and scrolls to it, ready to be marked.
    fn select_match(&mut self, span: crate::core::span::Span) {
        self.article.selection = Some(super::article_view::Selection {
            anchor: span.start,
            head: span.end,
        });
        self.article.scroll_to = Some(span.start);
        self.view.selected = None;
        self.suggest.focus = None;
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

    /// Asks where, then writes the export (brat: `NAME.txt` and `NAME.ann`).
    fn export(&mut self, format: crate::core::export::Format) {
        use crate::core::export::export;
        let outputs = match export(self.editor().doc(), format) {
            Ok(o) => o,
            Err(e) => {
                self.notify_error(format!("Could not export: {e}"));
                return;
            }
        };
        let (dir, stem) = self.output_dir_and_stem();
        let Some(target) = rfd::FileDialog::new()
            .set_title(format.label().trim_end_matches('…'))
            .set_directory(&dir)
            .set_file_name(format!("{stem}.{}", format.extension()))
            .save_file()
        else {
            return;
        };
        let inputs: Vec<&Path> = self.editor().save_path.as_deref().into_iter().collect();
        match crate::core::export::write_outputs(&outputs, format, &target, &inputs) {
            Ok(written) => {
                let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
                self.notify(format!("Exported to {}", names.join(" and ")));
            }
            Err(e) => self.notify_error(format!("Not exported: {e}")),
        }
    }

    /// Opens annotations from brat or W3C JSON-LD as a new, unsaved document.
    pub fn import_annotations(&mut self, path: &Path) {
        use crate::core::export::{ImportFormat, import_onto};
        let format = ImportFormat::of(path);
        let base = match format {
            ImportFormat::Brat => match Editor::open(&path.with_extension("txt")) {
                Ok(e) => e.doc().clone(),
                Err(e) => {
                    self.notify_error(format!("Could not read the brat article: {e}"));
                    return;
                }
            },
            ImportFormat::W3c => self.editor().doc().clone(),
        };
        let result = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|input| import_onto(&base, &input, format).map_err(|e| e.to_string()));
        match result {
            Ok(doc) => {
                let n = doc.annotations().len();
                self.editors.push(Editor::new(doc, Origin::Builtin));
                self.switch_to(self.editors.len() - 1);
                self.notify(format!(
                    "Imported {n} annotations from {}. Save to keep them as a Tallymark file.",
                    path.display()
                ));
            }
            Err(e) => self.notify_error(format!("Could not import {}: {e}", path.display())),
        }
    }

    /// Focuses the next (or previous) suggestion and scrolls to it.
    fn step_suggestion(&mut self, step: isize) {
        self.settings.show_suggestions = true;
        let from = self
            .view
            .selected
            .and_then(|id| self.editor().doc().get(id))
            .map_or(0, |a| a.span.start);
        if let Some(c) = self.suggest.step(step, from) {
            self.article.scroll_to = Some(c.span.start);
            self.view.selected = None;
            self.article.selection = None;
        }
    }

    /// Accepts every open figure suggestion as one undo step.
    fn accept_all_figures(&mut self) {
        let doc = self.editor().doc();
        let first_id = doc.next_id();
        let now = now();
        let edits: Vec<Edit> = self
            .suggest
            .open()
            .iter()
            .filter(|c| c.kind == Kind::Figure)
            .zip(first_id..)
            .map(|(c, id)| {
                let mut a = c.to_annotation(doc, &self.settings.annotator, now);
                a.id = id;
                Edit::Insert(a)
            })
            .collect();
        let n = edits.len();
        if n == 0 {
            return;
        }
        match self.editor_mut().apply(edits, None) {
            Ok(()) => {
                self.editor_mut().seal();
                self.notify(format!(
                    "Accepted {n} suggested figure{}. Ctrl+Z undoes it in one step.",
                    if n == 1 { "" } else { "s" }
                ));
            }
            Err(e) => self.notify_error(format!("Could not accept the figures: {e}")),
        }
    }

    fn after_history_jump(&mut self) {
        self.revision += 1;
        if let Some(id) = self.view.selected
            && self.editor().doc().get(id).is_none()
        {
            self.view.selected = None;
        }
    }

    /// Keyboard scrolling: only the article view scrolls this way.
    fn scroll_article(&mut self, scroll: Scroll) {
        if self.tab == Tab::Article {
            self.article.scroll = Some(scroll);
        }
    }

    fn zoom(&mut self, factor: f32) {
        let (lo, hi) = theme::TEXT_SIZE_RANGE;
        self.settings.text_size = (self.settings.text_size * factor).clamp(lo, hi).round();
        self.save_settings();
    }

    fn mark(&mut self, kind: Kind) {
        let Some(span) = self.article.selected_span() else {
            self.notify("Select some text first, then press C, Q or F to mark it.");
            return;
        };
        // Trim surrounding whitespace so a sloppy drag still gives a clean span.
        let span = trim_span(self.editor().doc().text(), span);
        if span.is_empty() {
            return;
        }
        let a = self
            .editor()
            .doc()
            .new_annotation(kind, span, &self.settings.annotator, now());
        let id = a.id;
        match self.editor_mut().apply(vec![Edit::Insert(a)], None) {
            Ok(()) => {
                self.view.selected = Some(id);
                self.view.scroll_list = true;
                self.article.selection = None;
            }
            Err(e) => self.notify_error(format!("Could not mark: {e}")),
        }
    }

    fn relabel(&mut self, id: AnnotationId, kind: Kind) {
        let Some(old) = self.editor().doc().get(id) else {
            return;
        };
        let mut a = old.clone();
        // Keep what carries over: the figure's parse is redone, the attribution moves.
        let attribution = old.attributes.attribution().to_owned();
        let fresh = self
            .editor()
            .doc()
            .new_annotation(kind, old.span, &old.annotator, old.created);
        a.attributes = fresh.attributes;
        match &mut a.attributes {
            Attributes::Claim(c) => c.claimant = attribution,
            Attributes::Quote(q) => q.speaker = attribution,
            Attributes::Figure(f) => f.source = attribution,
        }
        a.modified = now();
        if let Err(e) = self.editor_mut().apply(vec![Edit::Replace(a)], None) {
            self.notify_error(format!("Could not change the kind: {e}"));
        }
        self.revision += 1;
    }

    fn save(&mut self, ask: bool) {
        let target = match (&self.editor().save_path, ask) {
            (Some(p), false) => Some(p.clone()),
            _ => self.ask_save_path(),
        };
        let Some(path) = target else { return };
        // If something else changed the file since we read it, the save stops to ask
        // instead of overwriting (checked by the writer, off this thread).
        self.start_save(self.active, path, !ask);
    }

    /// Saves the shown document to `path` (no questions), as Save as does after its dialog.
    pub fn save_as_path(&mut self, path: &Path) {
        self.start_save(self.active, path.to_owned(), false);
    }

    /// Starts writing document `index` to `path` in the background; with `check_disk`,
    /// the writer first makes sure the file is still the one read or last saved.
    fn start_save(&mut self, index: usize, path: PathBuf, check_disk: bool) {
        let e = &self.editors[index];
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
        let job = super::saving::SaveJob::start(
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
        use crate::core::editor::SaveOutcome;
        let mut i = 0;
        let mut finished_any = false;
        while i < self.saves.len() {
            let Some(result) = self.saves[i].poll() else {
                i += 1;
                continue;
            };
            finished_any = true;
            let job = self.saves.remove(i);
            let at = self.editors.iter().position(|e| e.uid() == job.editor);
            match (result, at) {
                (Ok(SaveOutcome::Saved(hash)), Some(at)) => {
                    self.editors[at].finish_save(&job.path, job.state, hash);
                    if at == self.active {
                        self.remember_recent();
                    }
                    self.notices.retain(|n| n.is_error);
                    if job.again && self.editors[at].is_dirty() {
                        self.start_save(at, job.path.clone(), true);
                    }
                }
                // The document was closed meanwhile: the file is written, nothing to mark.
                (Ok(SaveOutcome::Saved(_)), None) => {}
                (Ok(SaveOutcome::ChangedOnDisk), _) => {
                    self.after_save = None;
                    self.disk_conflict = Some(job.path);
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
            if self.any_dirty() {
                // Edited while saving: ask again rather than lose the newest changes.
                self.pending = Some(next);
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

    fn ask_save_path(&mut self) -> Option<PathBuf> {
        let default = self.default_save_path();
        let dir = self
            .editor()
            .save_path
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_owned))
            .unwrap_or_else(|| self.dirs.saves.clone());
        let _ = std::fs::create_dir_all(&dir);
        let name = default.file_name().map_or_else(
            || "annotations.ron".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        );
        rfd::FileDialog::new()
            .set_title("Save annotations")
            .set_directory(&dir)
            .set_file_name(name)
            .add_filter("Tallymark annotations", &["ron"])
            .save_file()
    }

    /// Runs `action` now, or asks first when there are unsaved changes.
    fn request(&mut self, action: Pending) {
        if self.any_dirty() {
            self.pending = Some(action);
        } else {
            self.perform(action);
        }
    }

    fn perform(&mut self, action: Pending) {
        match action {
            Pending::Open(path) => {
                let path = path.or_else(|| {
                    rfd::FileDialog::new()
                        .set_title("Open an article or annotation file")
                        .add_filter(
                            "Articles and annotations",
                            &["txt", "md", "html", "htm", "ron"],
                        )
                        .add_filter("All files", &["*"])
                        .pick_file()
                });
                if let Some(p) = path {
                    self.open_path(&p);
                }
            }
            Pending::Quit => self.allow_close = true,
        }
    }

    /// Opens a file now (no unsaved-changes question), replacing what is open. A workspace
    /// file opens every document it lists. Errors become a notice; what was open stays.
    pub fn open_path(&mut self, path: &Path) {
        if crate::core::workspace::is_workspace_file(path) {
            self.open_workspace(path);
            return;
        }
        let large =
            std::fs::metadata(path).is_ok_and(|m| m.len() > super::loading::BACKGROUND_BYTES);
        if large && let Some(ctx) = self.ctx.clone() {
            self.loading = Some(super::loading::Loading::start(path, &ctx));
            return;
        }
        self.opened(Editor::open(path));
    }

    /// Shows a freshly opened editor (or the reason it did not open).
    fn opened(&mut self, result: Result<Editor, crate::core::persist::FileError>) {
        match result {
            Ok(editor) => {
                self.editors = vec![editor];
                self.workspace_path = None;
                self.switch_to(0);
                self.notices.clear();
                self.remember_recent();
                if let Origin::Article(_) = self.editor().origin {
                    self.notify(format!(
                        "Opened an article. Annotations will be saved to {} unless you choose another place (Ctrl+Shift+S).",
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
        for doc in ws.resolved(path) {
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
        self.editors = editors;
        self.workspace_path = Some(path.to_owned());
        self.switch_to(0);
        self.notices.clear();
        self.settings.add_recent(path);
        self.save_settings();
        for f in failed {
            self.notify_error(format!("Skipped a document of the workspace: {f}"));
        }
    }

    /// Opens a file as one more document beside those already open.
    pub fn add_document(&mut self, path: &Path) {
        match Editor::open(path) {
            Ok(editor) => {
                self.editors.push(editor);
                self.switch_to(self.editors.len() - 1);
                self.remember_recent();
            }
            Err(e) => self.notify_error(format!("Could not add: {e}")),
        }
    }

    fn switch_to(&mut self, index: usize) {
        self.active = index.min(self.editors.len().saturating_sub(1));
        if let Origin::Article(p) = &self.editors[self.active].origin
            && let Some(enc) = self.editors[self.active].doc().meta.encoding.clone()
            && !self.editors[self.active].is_dirty()
            && self.editors[self.active].doc().annotations().is_empty()
        {
            let p = p.display().to_string();
            self.notify(format!(
                "{p} is not UTF-8: it was read as {enc}. Check the text looks right."
            ));
        }
        self.view.selected = None;
        self.article.reset();
        self.generation += 1;
        self.revision += 1;
    }

    fn save_workspace(&mut self) {
        // Every document needs a file of its own first.
        for i in 0..self.editors.len() {
            if self.editors[i].save_path.is_none() {
                let target = self.dirs.saves.join(match &self.editors[i].origin {
                    Origin::Article(p) => annotation_name_for(p),
                    _ => format!("{}.ron", slug(&self.editors[i].doc().meta.title)),
                });
                let _ = std::fs::create_dir_all(&self.dirs.saves);
                if let Err(e) = self.editors[i].save_to(&target) {
                    return self.notify_error(format!("Workspace not saved: {e}"));
                }
            }
        }
        let path = match &self.workspace_path {
            Some(p) => Some(p.clone()),
            None => rfd::FileDialog::new()
                .set_title("Save workspace")
                .set_directory(&self.dirs.saves)
                .set_file_name("workspace.ron")
                .add_filter("Tallymark workspace", &["ron"])
                .save_file(),
        };
        let Some(path) = path else { return };
        let docs: Vec<PathBuf> = self
            .editors
            .iter()
            .filter_map(|e| e.save_path.clone())
            .collect();
        let name = self
            .editors
            .first()
            .map(|e| e.doc().meta.title.clone())
            .unwrap_or_default();
        let ws = crate::core::workspace::Workspace::new(&name, &path, &docs);
        match ws.save(&path) {
            Ok(()) => {
                self.workspace_path = Some(path.clone());
                self.settings.add_recent(&path);
                self.save_settings();
                self.notify(format!("Workspace saved to {}", path.display()));
            }
            Err(e) => self.notify_error(format!("Workspace not saved: {e}")),
        }
    }

    fn shortcut_commands(ctx: &egui::Context) -> Vec<Command> {
        let typing = ctx.memory(|m| m.focused().is_some()) && ctx.egui_wants_keyboard_input();
        let mut out = Vec::new();
        // Most specific first: Ctrl+Shift+S before Ctrl+S.
        let mut actions: Vec<&Command> = ACTIONS.iter().collect();
        actions.sort_by_key(|c| {
            std::cmp::Reverse(c.shortcut().map_or(0, |s| {
                u8::from(s.modifiers.shift)
                    + u8::from(s.modifiers.command)
                    + u8::from(s.modifiers.alt)
            }))
        });
        ctx.input_mut(|i| {
            for c in actions {
                if typing && c.is_plain_key() {
                    continue;
                }
                let keys = c
                    .shortcut()
                    .into_iter()
                    .chain(c.alternate_shortcuts().iter().copied());
                for k in keys {
                    if i.consume_shortcut(&k) {
                        out.push(c.clone());
                    }
                }
            }
        });
        out
    }

    /// Draws one frame of the whole window into `ui` and applies what the user did.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
        if ctx.options(|o| o.zoom_with_keyboard) {
            // Ctrl+plus/minus zoom the article text, not the whole interface.
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
        }
        let mut commands = Self::shortcut_commands(&ctx);
        self.copy_selection(&ctx);
        Self::handle_dropped_files(&ctx, &mut commands);

        self.poll_saves();
        self.refresh_caches(&ctx);

        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| self.menu_ui(ui, &mut commands));
        });
        egui::Panel::top("toolbar").show(ui, |ui| self.toolbar_ui(ui, &mut commands));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));
        // The comparison needs the width; the list and inspector belong to the article.
        if self.tab == Tab::Article {
            egui::Panel::right("annotations")
                .default_size(360.0)
                .min_size(260.0)
                .show(ui, |ui| self.side_ui(ui, &mut commands));
        }
        if self.editors.len() > 1 {
            egui::Panel::left("articles")
                .default_size(200.0)
                .min_size(140.0)
                .show(ui, |ui| self.articles_ui(ui, &mut commands));
        }
        egui::CentralPanel::default_margins().show(ui, |ui| {
            self.tabs_ui(ui, &mut commands);
            self.notices_ui(ui);
            match self.tab {
                Tab::Article => {
                    let input = ViewInput {
                        doc: self.editors[self.active].doc(),
                        generation: self.generation,
                        selected: self.view.selected,
                        hidden: self.view.filter.hidden,
                        text_size: self.settings.text_size,
                        suggestions: if self.settings.show_suggestions {
                            self.suggest.open()
                        } else {
                            &[]
                        },
                        focused_suggestion: self.suggest.focus,
                        find_matches: self.find.as_ref().map_or(&[], |f| f.matches.as_slice()),
                    };
                    commands.extend(self.article.view_ui(ui, &input));
                }
                Tab::Review => {
                    let base = self.editors[self.active].doc();
                    commands.extend(super::review_view::review_ui(ui, &self.review, base));
                }
                Tab::Compare => {
                    self.refresh_comparison();
                    if let Some((_, c, model)) = &self.comparison {
                        commands.extend(super::compare_view::compare_ui(
                            ui,
                            c,
                            model,
                            self.editors.len(),
                        ));
                    }
                }
            }
        });
        self.dialogs_ui(&ctx, &mut commands);

        for c in commands {
            self.apply(&ctx, c);
        }
        self.idle_autosave(&ctx);
        self.refresh_locks();
        self.handle_close(&ctx);
        self.update_title(&ctx);
    }

    /// Brings what is derived from the documents up to date with them (open suggestions,
    /// review groups, find matches): each cache rebuilds only when its inputs changed. Every
    /// frame starts with it; an edit's cost is `apply` plus this.
    pub fn refresh_caches(&mut self, ctx: &egui::Context) {
        let key = (self.generation, self.active, self.settings.suggest_claims);
        self.suggest
            .refresh(ctx, key, self.editors[self.active].doc());
        self.refresh_review();
        if let Some(f) = &mut self.find {
            f.refresh(self.editors[self.active].doc(), self.generation);
        }
        let state = self.doc_state_key();
        self.view
            .filter
            .refresh(self.editors[self.active].doc(), state);
        if self.summary.as_ref().is_none_or(|(k, _)| *k != state) {
            let short = Summary::of(self.editors[self.active].doc()).short();
            self.summary = Some((state, short));
        }
    }

    /// An id of the shown document's current state, unique across the open documents and
    /// changed by every edit (the key of the caches built from it).
    fn doc_state_key(&self) -> u64 {
        use std::hash::{Hash as _, Hasher as _};
        let mut h = std::hash::DefaultHasher::new();
        (
            self.generation,
            self.active,
            self.editors[self.active].state_id(),
        )
            .hash(&mut h);
        h.finish()
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

    /// Recomputes the comparison when any document changed since the last one.
    fn refresh_comparison(&mut self) {
        let key: Vec<u64> = std::iter::once(self.generation)
            .chain(self.editors.iter().map(Editor::state_id))
            .collect();
        if self.comparison.as_ref().is_some_and(|(k, _, _)| *k == key) {
            return;
        }
        let sources: Vec<crate::core::compare::Source<'_>> = self
            .editors
            .iter()
            .map(|e| crate::core::compare::Source {
                title: e.doc().meta.title.clone(),
                doc: e.doc(),
            })
            .collect();
        let c = crate::core::compare::compare(&sources, &self.taxonomy);
        let model = super::compare_view::CompareModel::new(&c);
        self.comparison = Some((key, c, model));
    }

    /// The current comparison of figures (computed on demand).
    pub fn comparison(&mut self) -> &crate::core::compare::Comparison {
        self.refresh_comparison();
        match &self.comparison {
            Some((_, c, _)) => c,
            None => unreachable!("refresh_comparison always fills the cache"),
        }
    }

    fn tabs_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            let mut tabs = vec![
                (Tab::Article, Command::ShowArticle),
                (Tab::Compare, Command::ShowCompare),
            ];
            if self.review.group.len() > 1 || self.tab == Tab::Review {
                tabs.push((Tab::Review, Command::ShowReview));
            }
            for (tab, c) in tabs {
                let key = c
                    .shortcut()
                    .map(|s| ui.ctx().format_shortcut(&s))
                    .unwrap_or_default();
                if ui
                    .add(egui::Button::selectable(
                        self.tab == tab,
                        RichText::new(c.label()).strong(),
                    ))
                    .on_hover_text(format!("{} ({key})", c.tooltip()))
                    .clicked()
                {
                    commands.push(c);
                }
            }
            if self.tab == Tab::Article && self.editors.len() > 1 {
                ui.separator();
                ui.weak(crate::core::text::shorten(
                    &self.editor().doc().meta.title,
                    80,
                ));
            }
        });
        ui.separator();
    }

    fn articles_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.add_space(6.0);
        ui.heading("Articles");
        if let Some(ws) = &self.workspace_path {
            ui.weak(
                ws.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
        }
        ui.add_space(4.0);
        egui::ScrollArea::vertical()
            .id_salt("articles")
            .show(ui, |ui| {
                for (i, e) in self.editors.iter().enumerate() {
                    let title = crate::core::text::shorten(&e.doc().meta.title, 60);
                    // U+2022: in every bundled font (U+25CF is not, and would draw as tofu).
                    let marker = if e.is_dirty() { "• " } else { "" };
                    // The file name tells apart two annotators' files of one article.
                    let file = e
                        .save_path
                        .as_ref()
                        .and_then(|p| p.file_name())
                        .map_or_else(
                            || "not saved yet".to_owned(),
                            |n| n.to_string_lossy().into_owned(),
                        );
                    let r = ui
                        .add(
                            egui::Button::selectable(
                                i == self.active,
                                format!("{marker}{title}\n{file}"),
                            )
                            .wrap(),
                        )
                        .on_hover_text(format!(
                            "{} · {}",
                            e.doc().meta.title,
                            Summary::of(e.doc()).short()
                        ));
                    if r.clicked() {
                        commands.push(Command::SwitchDocument(i));
                    }
                }
            });
    }

    fn copy_selection(&self, ctx: &egui::Context) {
        let copy = ctx.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Copy)));
        if copy
            && !ctx.egui_wants_keyboard_input()
            && let Some(span) = self.article.selected_span()
        {
            ctx.copy_text(self.editor().doc().text().slice(span).to_owned());
        }
    }

    fn handle_dropped_files(ctx: &egui::Context, commands: &mut Vec<Command>) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .collect()
        });
        if let Some(p) = dropped.into_iter().find(|p| !p.as_os_str().is_empty()) {
            commands.push(Command::OpenPath(p));
        }
        if ctx.input(|i| !i.raw.hovered_files.is_empty()) {
            let screen = ctx.content_rect();
            let painter = ctx.layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                egui::Id::unique("drop"),
            ));
            painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(160));
            painter.text(
                screen.center(),
                egui::Align2::CENTER_CENTER,
                "Drop an article (.txt, .md) or annotation file (.ron) to open it",
                egui::FontId::proportional(20.0),
                egui::Color32::WHITE,
            );
        }
    }

    fn handle_close(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close {
            if self.saving() {
                // Close once the file is written (or ask, if that fails).
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.after_save = Some(Pending::Quit);
            } else if self.any_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.pending = Some(Pending::Quit);
            } else {
                self.allow_close = true;
            }
        }
        if self.allow_close {
            // Closing on purpose (saved, or changes discarded): nothing to recover. A copy
            // still being written must land first, or it would be left behind.
            self.wait_for_autosave();
            self.clear_recovery();
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let marker = if self.editor().is_dirty() { "● " } else { "" };
        let title = format!("{marker}{} — Tallymark", self.display_name());
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// The window title as last set (for tests).
    #[must_use]
    pub fn title(&self) -> &str {
        &self.title
    }

    fn command_button(ui: &mut egui::Ui, c: &Command, enabled: bool, commands: &mut Vec<Command>) {
        let shortcut = c
            .shortcut()
            .map(|s| ui.ctx().format_shortcut(&s))
            .unwrap_or_default();
        let r = ui.add_enabled(
            enabled,
            egui::Button::new(c.label()).shortcut_text(shortcut),
        );
        if r.on_hover_text(c.tooltip()).clicked() {
            commands.push(c.clone());
        }
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let has_sel = self.article.selected_span().is_some();
        ui.menu_button("File", |ui| {
            Self::command_button(ui, &Command::Open, true, commands);
            Self::command_button(ui, &Command::NewFromClipboard, true, commands);
            Self::command_button(ui, &Command::AddDocument, true, commands);
            Self::command_button(ui, &Command::SaveWorkspace, true, commands);
            ui.menu_button("Open recent", |ui| {
                if self.settings.recent.is_empty() {
                    ui.weak("Nothing yet");
                }
                for p in &self.settings.recent {
                    if ui.button(p.display().to_string()).clicked() {
                        commands.push(Command::OpenPath(p.clone()));
                    }
                }
            });
            ui.separator();
            Self::command_button(ui, &Command::Save, true, commands);
            Self::command_button(ui, &Command::SaveAs, true, commands);
            Self::command_button(ui, &Command::ImportAnnotations, true, commands);
            Self::command_button(ui, &Command::Reanchor, true, commands);
            ui.separator();
            Self::command_button(ui, &Command::Quit, true, commands);
        });
        ui.menu_button("Edit", |ui| {
            Self::command_button(ui, &Command::Undo, self.editor().can_undo(), commands);
            Self::command_button(ui, &Command::Redo, self.editor().can_redo(), commands);
            ui.separator();
            for k in Kind::ALL {
                Self::command_button(ui, &Command::Mark(k), has_sel, commands);
            }
            Self::command_button(
                ui,
                &Command::DeleteSelected,
                self.view.selected.is_some() || self.suggest.focused().is_some(),
                commands,
            );
            ui.separator();
            Self::command_button(ui, &Command::Find, true, commands);
            let has_matches = self.find.as_ref().is_some_and(|f| !f.matches.is_empty());
            Self::command_button(ui, &Command::FindNext, has_matches, commands);
            Self::command_button(ui, &Command::FindPrev, has_matches, commands);
            ui.separator();
            let any = !self.suggest.open().is_empty();
            let focused = self.suggest.focused().is_some();
            Self::command_button(ui, &Command::NextSuggestion, any, commands);
            Self::command_button(ui, &Command::PrevSuggestion, any, commands);
            Self::command_button(ui, &Command::AcceptSuggestion, focused, commands);
            Self::command_button(ui, &Command::RejectSuggestion, focused, commands);
            Self::command_button(ui, &Command::AcceptAllFigures, any, commands);
            ui.separator();
            ui.horizontal(|ui| {
                ui.label("Annotator name");
                if ui
                    .add(
                        egui::TextEdit::singleline(&mut self.settings.annotator)
                            .desired_width(140.0),
                    )
                    .on_hover_text("Written into every new annotation")
                    .lost_focus()
                {
                    self.save_settings();
                }
            });
        });
        ui.menu_button("View", |ui| {
            Self::command_button(ui, &Command::ZoomIn, true, commands);
            Self::command_button(ui, &Command::ZoomOut, true, commands);
            Self::command_button(ui, &Command::ZoomReset, true, commands);
            ui.separator();
            Self::command_button(ui, &Command::ToggleTheme, true, commands);
            ui.separator();
            let mut show = self.settings.show_suggestions;
            if ui
                .checkbox(&mut show, Command::ToggleSuggestions.label())
                .on_hover_text(Command::ToggleSuggestions.tooltip())
                .clicked()
            {
                commands.push(Command::ToggleSuggestions);
            }
            let mut claims = self.settings.suggest_claims;
            if ui
                .checkbox(&mut claims, Command::ToggleClaimSuggestions.label())
                .on_hover_text(Command::ToggleClaimSuggestions.tooltip())
                .clicked()
            {
                commands.push(Command::ToggleClaimSuggestions);
            }
            ui.separator();
            Self::command_button(ui, &Command::ShowArticle, true, commands);
            Self::command_button(ui, &Command::ShowCompare, true, commands);
        });
        ui.menu_button("Export", |ui| {
            for f in crate::core::export::Format::ALL {
                let c = Command::Export(f);
                if ui.button(c.label()).on_hover_text(c.tooltip()).clicked() {
                    commands.push(c);
                }
            }
        });
        ui.menu_button("Help", |ui| {
            Self::command_button(ui, &Command::ShowShortcuts, true, commands);
        });
    }

    /// The find field (right to left: close, next, previous, count, field) or its button.
    fn find_bar_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let Some(f) = &mut self.find else {
            let key = Command::Find
                .shortcut()
                .map(|s| ui.ctx().format_shortcut(&s))
                .unwrap_or_default();
            if ui
                .button("Find")
                .on_hover_text(format!("{} ({key})", Command::Find.tooltip()))
                .clicked()
            {
                commands.push(Command::Find);
            }
            return;
        };
        if ui.small_button("×").on_hover_text("Close (Esc)").clicked() {
            commands.push(Command::CloseFind);
        }
        if ui
            .small_button("›")
            .on_hover_text(Command::FindNext.tooltip())
            .clicked()
        {
            commands.push(Command::FindNext);
        }
        if ui
            .small_button("‹")
            .on_hover_text(Command::FindPrev.tooltip())
            .clicked()
        {
            commands.push(Command::FindPrev);
        }
        ui.weak(match f.matches.len() {
            0 if f.query.trim().is_empty() => String::new(),
            0 => "no matches".to_owned(),
            n => format!("{} of {n}", f.current + 1),
        });
        let label = ui.label("Find");
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut f.query)
                    .hint_text("words in the article")
                    .desired_width(160.0),
            )
            .labelled_by(label.id);
        if std::mem::take(&mut f.focus) {
            r.request_focus();
        }
        if r.changed() {
            f.current = usize::MAX;
        }
        if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            commands.push(if ui.input(|i| i.modifiers.shift) {
                Command::FindPrev
            } else {
                Command::FindNext
            });
            r.request_focus();
        }
        if r.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            commands.push(Command::CloseFind);
        }
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let dark = ui.visuals().dark_mode;
        let has_sel = self.article.selected_span().is_some();
        ui.horizontal(|ui| {
            ui.add_space(2.0);
            for k in Kind::ALL {
                let c = Command::Mark(k);
                let key = c
                    .shortcut()
                    .map(|s| ui.ctx().format_shortcut(&s))
                    .unwrap_or_default();
                let text = RichText::new(format!("{key}  {}", k.label()))
                    .color(theme::kind_color(k, dark))
                    .strong();
                let r = ui
                    .add_enabled(
                        has_sel,
                        egui::Button::new(text).min_size(egui::vec2(84.0, 26.0)),
                    )
                    .on_hover_text(format!("{} ({key})", c.tooltip()))
                    .on_disabled_hover_text("Select text in the article first");
                if r.clicked() {
                    commands.push(c);
                }
            }
            ui.separator();
            for c in [Command::Undo, Command::Redo] {
                let enabled = if c == Command::Undo {
                    self.editor().can_undo()
                } else {
                    self.editor().can_redo()
                };
                let icon = c.label();
                let key = c
                    .shortcut()
                    .map(|s| ui.ctx().format_shortcut(&s))
                    .unwrap_or_default();
                if ui
                    .add_enabled(enabled, egui::Button::new(icon))
                    .on_hover_text(format!("{} ({key})", c.tooltip()))
                    .clicked()
                {
                    commands.push(c);
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let icon = if dark { "Light theme" } else { "Dark theme" };
                let theme_button = ui
                    .button(icon)
                    .on_hover_text(Command::ToggleTheme.tooltip());
                if theme_button.clicked() {
                    commands.push(Command::ToggleTheme);
                }
                ui.separator();
                self.find_bar_ui(ui, commands);
                if let Some(span) = self.article.selected_span() {
                    ui.weak(format!("{} chars selected", span.len()));
                }
            });
        });
    }

    fn side_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.add_space(6.0);
        commands.extend(super::suggestions::panel_ui(
            ui,
            &self.suggest,
            self.settings.show_suggestions,
        ));
        ui.separator();
        let orphans = self.editors[self.active].doc().orphans().to_vec();
        if !orphans.is_empty() {
            let has_sel = self.article.selected_span().is_some();
            egui::CollapsingHeader::new(
                RichText::new(format!("Orphaned annotations ({})", orphans.len()))
                    .color(theme::conflict_color(ui.visuals().dark_mode)),
            )
            .default_open(true)
            .show(ui, |ui| {
                ui.weak("Their text was not found in this version of the article.");
                for o in &orphans {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(format!(
                            "{}: “{}”",
                            o.kind().label(),
                            crate::core::text::shorten(&o.exact, 50)
                        ));
                        if ui
                            .add_enabled(has_sel, egui::Button::new("Place at selection").small())
                            .on_disabled_hover_text("Select the text it belongs to first")
                            .clicked()
                        {
                            commands.push(Command::PlaceOrphan(o.id));
                        }
                        if ui.small_button("Delete").clicked() {
                            commands.push(Command::DeleteOrphan(o.id));
                        }
                    });
                }
            });
            ui.separator();
        }
        ui.heading("Annotations");
        let state = self.doc_state_key();
        let doc = self.editors[self.active].doc();
        let selected = self.view.selected.and_then(|id| doc.get(id)).cloned();
        let list_height = if selected.is_some() {
            (ui.available_height() * 0.45).max(160.0)
        } else {
            ui.available_height()
        };
        let scroll = std::mem::take(&mut self.view.scroll_list);
        let metrics: Vec<String> = self.taxonomy.metric_ids().map(str::to_owned).collect();
        ui.allocate_ui(egui::vec2(ui.available_width(), list_height), |ui| {
            commands.extend(list_ui(
                ui,
                doc,
                state,
                &mut self.view.filter,
                self.view.selected,
                scroll,
            ));
        });
        if let Some(a) = selected {
            ui.separator();
            egui::ScrollArea::vertical()
                .id_salt("inspector")
                .show(ui, |ui| {
                    commands.extend(inspector_ui(
                        ui,
                        &a,
                        self.revision,
                        &mut self.inspector,
                        &metrics,
                    ));
                });
        }
    }

    fn status_ui(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let where_ = match &self.editor().save_path {
                Some(p) => p.display().to_string(),
                None => format!(
                    "not saved yet · Ctrl+S saves to {}",
                    self.default_save_path().display()
                ),
            };
            ui.label(where_);
            ui.separator();
            if self.saving() {
                ui.weak("saving…");
            } else if self.editor().is_dirty() {
                ui.colored_label(
                    theme::kind_color(Kind::Figure, ui.visuals().dark_mode),
                    "unsaved changes",
                );
            } else {
                ui.weak("saved");
            }
            ui.separator();
            if let Some((_, short)) = &self.summary {
                ui.label(short);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.weak(format!(
                    "text {}% · {} chars · {}",
                    (self.settings.text_size / theme::TEXT_SIZE * 100.0).round(),
                    self.editor().doc().text().len_chars(),
                    self.editor()
                        .doc()
                        .meta
                        .encoding
                        .as_deref()
                        .unwrap_or("UTF-8")
                ))
                .on_hover_text("The encoding the article was read in");
            });
        });
    }

    fn notices_ui(&mut self, ui: &mut egui::Ui) {
        let dark = ui.visuals().dark_mode;
        let mut dismiss = None;
        for (i, n) in self.notices.iter().enumerate() {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                        dismiss = Some(i);
                    }
                    let text = RichText::new(&n.text);
                    if n.is_error {
                        ui.label(text.color(theme::error_color(dark)));
                    } else {
                        ui.label(text);
                    }
                });
            });
        }
        if let Some(i) = dismiss {
            self.notices.remove(i);
        }
    }

    fn dialogs_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if let Some(loading) = &self.loading {
            let mut cancel = false;
            egui::Modal::new(egui::Id::unique("loading")).show(ctx, |ui| {
                ui.set_min_width(420.0);
                ui.heading("Opening a large file");
                ui.label(loading.path.display().to_string());
                ui.add(egui::ProgressBar::new(loading.fraction()).show_percentage());
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    cancel = true;
                }
            });
            if cancel {
                loading.cancel();
            }
            match loading.poll() {
                super::loading::Poll::Running => {}
                super::loading::Poll::Done(result) => {
                    let path = loading.path.clone();
                    self.loading = None;
                    match result {
                        Ok(Some(editor)) => self.opened(Ok(*editor)),
                        Ok(None) => self.notify(format!("Stopped opening {}.", path.display())),
                        Err(e) => self.opened(Err(e)),
                    }
                }
            }
            return;
        }
        if let Some(path) = self.disk_conflict.clone() {
            let mut answer = None;
            egui::Modal::new(egui::Id::unique("disk-conflict")).show(ctx, |ui| {
                ui.set_max_width(440.0);
                ui.heading("The file changed on disk");
                ui.label(format!(
                    "{} was changed by something else (another window, a sync, a git pull) \
                     since you opened it. Saving now would overwrite those changes.",
                    path.display()
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui
                        .button("Reload from disk")
                        .on_hover_text("Drop your unsaved changes and read the file again")
                        .clicked()
                    {
                        answer = Some(0);
                    }
                    if ui
                        .button("Keep mine")
                        .on_hover_text(
                            "Overwrite the file with your version (a .bak copy of theirs is kept)",
                        )
                        .clicked()
                    {
                        answer = Some(1);
                    }
                    if ui.button("Save elsewhere…").clicked() {
                        answer = Some(2);
                    }
                    if ui.button("Cancel").clicked()
                        || ui.input(|i| i.key_pressed(egui::Key::Escape))
                    {
                        answer = Some(3);
                    }
                });
            });
            if let Some(a) = answer {
                self.resolve_disk_conflict(a, &path);
            }
            return;
        }
        if !self.recoverable.is_empty() {
            let mut answer = None;
            egui::Modal::new(egui::Id::unique("recover")).show(ctx, |ui| {
                ui.set_max_width(520.0);
                ui.heading("Recover unsaved work?");
                ui.label(
                    "Tallymark did not close cleanly last time. These changes were not saved:",
                );
                ui.add_space(6.0);
                for e in &self.recoverable {
                    let on_disk = e
                        .original
                        .as_ref()
                        .and_then(|p| crate::core::persist::load(p).ok())
                        .map(|d| d.annotations().len());
                    ui.group(|ui| {
                        ui.strong(crate::core::text::shorten(&e.doc.meta.title, 70));
                        ui.label(match &e.original {
                            Some(p) => format!("for {}", p.display()),
                            None => "never saved".to_owned(),
                        });
                        ui.weak(format!(
                            "{} annotations in the recovered copy{} · written {}",
                            e.doc.annotations().len(),
                            on_disk
                                .map(|n| format!(" ({n} in the file on disk)"))
                                .unwrap_or_default(),
                            e.saved_at
                        ));
                    });
                }
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        answer = Some(true);
                    }
                    if ui.button("Discard").clicked() {
                        answer = Some(false);
                    }
                });
            });
            match answer {
                Some(true) => self.restore_recovered(),
                Some(false) => self.discard_recovered(),
                None => {}
            }
            return;
        }
        if let Some(mut text) = self.paste.take() {
            let mut done = None;
            egui::Modal::new(egui::Id::unique("paste")).show(ctx, |ui| {
                ui.set_max_width(560.0);
                ui.heading("New article from clipboard");
                let label = ui.label(
                    "Paste the article's text here (Ctrl+V). Its first line becomes the title.",
                );
                let r = egui::ScrollArea::vertical()
                    .max_height(320.0)
                    .show(ui, |ui| {
                        ui.add(
                            egui::TextEdit::multiline(&mut text)
                                .desired_rows(14)
                                .desired_width(f32::INFINITY)
                                .hint_text("Article text"),
                        )
                        .labelled_by(label.id)
                    })
                    .inner;
                if r.gained_focus() || ui.memory(|m| m.focused().is_none()) {
                    r.request_focus();
                }
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(
                            !text.trim().is_empty(),
                            egui::Button::new("Start annotating"),
                        )
                        .clicked()
                    {
                        done = Some(true);
                    }
                    if ui.button("Cancel").clicked()
                        || ui.input(|i| i.key_pressed(egui::Key::Escape))
                    {
                        done = Some(false);
                    }
                });
            });
            match done {
                Some(true) => {
                    let doc = crate::core::document::Document::from_article(&text, None);
                    self.editors.push(Editor::new(doc, Origin::Builtin));
                    self.switch_to(self.editors.len() - 1);
                    self.tab = Tab::Article;
                }
                Some(false) => {}
                None => self.paste = Some(text),
            }
        }
        if let Some(pending) = self.pending.clone() {
            let mut answer = None;
            egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
                ui.set_max_width(380.0);
                ui.heading("Unsaved changes");
                ui.label(format!(
                    "{} has changes that are not saved. Save them first?",
                    self.display_name()
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        answer = Some(0);
                    }
                    if ui.button("Discard changes").clicked() {
                        answer = Some(1);
                    }
                    if ui.button("Cancel").clicked()
                        || ui.input(|i| i.key_pressed(egui::Key::Escape))
                    {
                        answer = Some(2);
                    }
                });
            });
            match answer {
                Some(0) => {
                    self.pending = None;
                    self.save(false);
                    if self.saving() {
                        // Carried out when the save is written (see `poll_saves`).
                        self.after_save = Some(pending);
                    } else if !self.any_dirty() {
                        self.perform(pending);
                    }
                }
                Some(1) => {
                    self.pending = None;
                    self.perform(pending);
                }
                Some(_) => self.pending = None,
                None => {}
            }
        }
        if self.show_shortcuts {
            let mut open = true;
            egui::Window::new("Keyboard shortcuts")
                .open(&mut open)
                .collapsible(false)
                .resizable(false)
                .show(ctx, |ui| {
                    egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                        for c in &ACTIONS {
                            let keys: Vec<String> = c
                                .shortcut()
                                .into_iter()
                                .chain(c.alternate_shortcuts().iter().copied())
                                .map(|s| ctx.format_shortcut(&s))
                                .collect();
                            ui.label(keys.join(", "));
                            ui.label(c.label());
                            ui.end_row();
                        }
                        for (keys, what) in [
                            ("Drag", "Select text"),
                            ("Double-click", "Select a word"),
                            ("Shift+click", "Extend the selection"),
                            (
                                "Click a highlight",
                                "Select it; click again for the enclosing one",
                            ),
                        ] {
                            ui.label(keys);
                            ui.label(what);
                            ui.end_row();
                        }
                    });
                });
            if !open {
                commands.push(Command::ShowShortcuts);
            }
        }
    }
}

impl eframe::App for TallymarkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }
}

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or(time::OffsetDateTime::now_utc())
}

fn trim_span(
    text: &crate::core::text::Text,
    span: crate::core::span::Span,
) -> crate::core::span::Span {
    let s = text.slice(span);
    let lead = s.chars().take_while(|c| c.is_whitespace()).count();
    let trail = s.chars().rev().take_while(|c| c.is_whitespace()).count();
    if lead == span.len() {
        return crate::core::span::Span {
            start: span.start,
            end: span.start,
        };
    }
    crate::core::span::Span {
        start: span.start + lead,
        end: span.end - trail,
    }
}

fn slug(title: &str) -> String {
    let mut s: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    let s = s.trim_matches('-');
    let s: String = s.chars().take(48).collect();
    if s.is_empty() {
        "annotations".to_owned()
    } else {
        s
    }
}
