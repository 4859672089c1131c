//! The application: its state, the frame, and where each responsibility lives.
//!
//! Split as rerun splits its viewer's `App`:
//! - `mod.rs` (here): the state and one frame;
//! - [`documents`]: the open documents;
//! - `apply.rs`: [`TallymarkApp::apply`], the one place that changes state;
//! - `files.rs`: open, save, import, export, re-anchor, through one file-dialog module;
//! - `jobs.rs`: saves, recovery copies and large files on background threads;
//! - `chrome.rs`: menus, toolbar, status bar, side panels, notices;
//! - [`dialogs`]: every modal as a value of one [`dialogs::Modal`], at most one shown.

mod apply;
mod chrome;
pub mod dialogs;
pub mod documents;
mod files;
mod jobs;

use std::path::PathBuf;

use eframe::egui;

use super::annotation_list::ListFilter;
use super::article_view::{ArticleView, ViewInput};
use super::command::{Action, Command};
use super::file_dialog::{FileDialogs, SystemDialogs};
use super::inspector::InspectorBuffers;
use super::memo::Memo;
use crate::core::annotation::AnnotationId;
use crate::core::check::Summary;
use crate::core::editor::{Editor, Origin};
use crate::core::settings::{Dirs, Settings};
use dialogs::Modal;
use documents::{DocId, Documents};

/// A message shown below the article: information goes after a few seconds, errors stay
/// until dismissed.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// Its id, for dismissing it.
    pub id: u64,
    /// The message, naming file and place where there is one.
    pub text: String,
    /// Errors are red and stay; the rest go after [`NOTICE_SECONDS`].
    pub is_error: bool,
    /// The document shown when it was raised: it is shown only with that document.
    pub doc: DocId,
    /// When it was first shown (egui time), to expire it.
    shown_at: Option<f64>,
}

/// How long an informational notice stays.
pub const NOTICE_SECONDS: f64 = 6.0;
/// How many notices are kept at once (the oldest informational one goes first).
pub const MAX_NOTICES: usize = 3;

/// What to do once the user has answered "unsaved changes?".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    /// Open a file (none: ask which).
    Open(Option<PathBuf>),
    /// Close the window.
    Quit,
    /// Close one document.
    Close(DocId),
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

/// A document's state: which document, at which point of its history. The key of every
/// cache built from one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DocState {
    doc: DocId,
    generation: u64,
    state: u64,
}

/// The Tallymark window.
pub struct TallymarkApp {
    docs: Documents,
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
    next_notice: u64,
    /// Dialogs waiting to be answered; the first is shown.
    modals: Vec<Modal>,
    file_dialogs: Box<dyn FileDialogs>,
    /// Lock files of the open annotation files (see `core::lock`), by path.
    /// `None` where no lock could be taken (another window has it: warned once).
    locks: std::collections::BTreeMap<PathBuf, Option<crate::core::lock::Lock>>,
    /// The documents' generation and file count the locks were last taken for.
    locks_for: Option<(u64, u64)>,
    /// Bumped whenever a document gets a file (a save), so the locks are looked at again.
    files_changed: u64,
    /// The find bar, while open.
    pub find: Option<super::find::FindState>,
    /// A large file being opened in the background.
    pub loading: Option<super::loading::Loading>,
    /// The egui context, once the first frame ran (to start background work).
    ctx: Option<egui::Context>,
    /// Recovery copies found on start, offered for restoring.
    pub recoverable: Vec<crate::core::recovery::Entry>,
    /// State ids already written to the recovery folder, per recovery key.
    autosaved: std::collections::BTreeMap<String, u64>,
    /// Time (egui seconds) of the last user input, for idle autosave.
    last_input: f64,
    /// Bumped on changes the inspector did not make itself (undo, redo, relabel).
    revision: u64,
    inspector: InspectorBuffers,
    article_info: super::article_panel::ArticleBuffers,
    taxonomy: crate::core::metrics::Taxonomy,
    /// Groups of people with their hierarchy (`groups.ron`).
    groups: crate::core::scope::Groups,
    /// Names of one source said in different words (`sources.ron`).
    source_aliases: std::sync::Arc<crate::core::ledger::SourceAliases>,
    /// The last comparison, for the states of every open document.
    comparison: Memo<
        Vec<DocState>,
        (
            crate::core::compare::Comparison,
            super::compare_view::CompareModel,
        ),
    >,
    /// The ledger of the open documents, for their states.
    ledger: Memo<Vec<DocState>, crate::core::ledger::Ledger>,
    allow_close: bool,
    title: String,
    /// Suggested figures and quotes for the document shown.
    pub suggest: super::suggestions::SuggestState,
    /// Review of the open files that annotate the same article.
    pub review: super::review_view::ReviewState,
    /// The status bar's counts.
    summary: Memo<DocState, String>,
    /// Saves being written in the background.
    saves: Vec<super::saving::SaveJob>,
    /// The name typed for a workspace, while its file is asked for.
    pending_workspace_name: Option<String>,
    /// What to do once the running saves are done (the user chose Save in the unsaved
    /// changes question, or closed the window while a save was running).
    after_save: Option<Pending>,
    /// Recovery copies being written in the background.
    autosave_job: Option<super::saving::AutosaveJob>,
    /// Write recovery copies of unsaved work when dropped without a clean close (the real
    /// window; not tests, which drop apps with unsaved changes on purpose).
    keep_work_on_drop: bool,
    /// The text field that had the keyboard at the end of the last frame: an Escape that
    /// leaves it is not also an Escape for the article.
    text_focus: Option<egui::Id>,
}

impl TallymarkApp {
    /// Builds the app. With `persist_settings` false (tests) nothing is written to the
    /// user's config directory.
    #[must_use]
    pub fn new(editor: Editor, settings: Settings, dirs: Dirs, persist_settings: bool) -> Self {
        let mut app = Self {
            docs: Documents::new(editor),
            tab: Tab::Article,
            view: ViewState::default(),
            article: ArticleView::default(),
            settings,
            dirs,
            persist_settings,
            notices: Vec::new(),
            next_notice: 0,
            modals: Vec::new(),
            file_dialogs: Box::new(SystemDialogs),
            recoverable: Vec::new(),
            loading: None,
            find: None,
            locks: std::collections::BTreeMap::new(),
            locks_for: None,
            files_changed: 0,
            ctx: None,
            autosaved: std::collections::BTreeMap::new(),
            last_input: 0.0,
            revision: 0,
            inspector: InspectorBuffers::default(),
            article_info: super::article_panel::ArticleBuffers::default(),
            taxonomy: crate::core::metrics::Taxonomy::builtin(),
            groups: crate::core::scope::Groups::builtin(),
            source_aliases: std::sync::Arc::default(),
            comparison: Memo::default(),
            ledger: Memo::default(),
            allow_close: false,
            title: String::new(),
            suggest: super::suggestions::SuggestState::default(),
            review: super::review_view::ReviewState::default(),
            summary: Memo::default(),
            saves: Vec::new(),
            after_save: None,
            pending_workspace_name: None,
            autosave_job: None,
            keep_work_on_drop: false,
            text_focus: None,
        };
        let (taxonomy, error) = crate::core::metrics::Taxonomy::from_config(&app.dirs.config);
        app.taxonomy = taxonomy;
        if let Some(e) = error {
            app.notify_error(format!("Your metrics.ron was not used: {e}"));
        }
        let (groups, error) = crate::core::scope::Groups::from_config(&app.dirs.config);
        app.groups = groups;
        if let Some(e) = error {
            app.notify_error(format!("Your groups.ron was not used: {e}"));
        }
        let (aliases, error) = crate::core::ledger::SourceAliases::from_config(&app.dirs.config);
        app.source_aliases = std::sync::Arc::new(aliases);
        if let Some(e) = error {
            app.notify_error(format!("Your sources.ron was not used: {e}"));
        }
        app.remember_recent();
        app.recoverable = crate::core::recovery::list(&app.recovery_dir());
        if !app.recoverable.is_empty() {
            app.modals.push(Modal::recover(&app.recoverable));
        }
        if let Some(enc) = app.editor().doc().meta.encoding.clone() {
            app.notify(format!(
                "The article is not UTF-8: it was read as {enc}. Check the text looks right."
            ));
        }
        app
    }

    /// Uses `dialogs` for every file question instead of the system's (tests, and
    /// desktops where the user prefers the in-app prompt).
    #[must_use]
    pub fn with_file_dialogs(mut self, dialogs: Box<dyn FileDialogs>) -> Self {
        self.file_dialogs = dialogs;
        self
    }

    /// Writes recovery copies of unsaved work if the app is dropped without a clean close
    /// (the window destroyed outright, a panic): they are offered on the next start.
    #[must_use]
    pub fn keep_work_on_drop(mut self) -> Self {
        self.keep_work_on_drop = true;
        self
    }

    /// Gives the app its egui context before the first frame (for background work started
    /// at launch, such as opening a very large file).
    pub fn set_context(&mut self, ctx: &egui::Context) {
        self.ctx = Some(ctx.clone());
    }

    /// The document shown.
    #[must_use]
    pub fn editor(&self) -> &Editor {
        self.docs.active()
    }

    /// The document shown, for changes that do not go through [`Self::apply`] (tests).
    pub fn editor_mut(&mut self) -> &mut Editor {
        self.docs.active_mut()
    }

    /// Every open document.
    #[must_use]
    pub fn editors(&self) -> &[Editor] {
        self.docs.all()
    }

    /// Index of the document shown.
    #[must_use]
    pub fn active(&self) -> usize {
        self.docs.active_index()
    }

    /// True when any open document has unsaved changes.
    #[must_use]
    pub fn any_dirty(&self) -> bool {
        self.docs.any_dirty()
    }

    /// The user's settings.
    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Every notice kept (of every document).
    #[must_use]
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// The notices shown with the document shown, oldest first.
    pub fn visible_notices(&self) -> impl Iterator<Item = &Notice> {
        let shown = self.docs.active_id();
        self.notices.iter().filter(move |n| n.doc == shown)
    }

    /// The dialog shown, if any.
    #[must_use]
    pub fn modal(&self) -> Option<&Modal> {
        self.modals.first()
    }

    /// The file whose save stopped because it changed on disk, while the user decides.
    #[must_use]
    pub fn disk_conflict(&self) -> Option<&std::path::Path> {
        self.modals.iter().find_map(|m| match m {
            Modal::DiskConflict(p) => Some(p.as_path()),
            _ => None,
        })
    }

    /// Shows an error notice about the document shown (and logs it). Errors stay until
    /// dismissed.
    pub fn notify_error(&mut self, text: impl Into<String>) {
        let text = text.into();
        eprintln!("tallymark: {text}");
        self.push_notice(text, true);
    }

    /// Shows an informational notice about the document shown, for a few seconds.
    fn notify(&mut self, text: impl Into<String>) {
        self.push_notice(text.into(), false);
    }

    fn push_notice(&mut self, text: String, is_error: bool) {
        self.next_notice += 1;
        self.notices.push(Notice {
            id: self.next_notice,
            text,
            is_error,
            doc: self.docs.active_id(),
            shown_at: None,
        });
        while self.notices.len() > MAX_NOTICES {
            let oldest = self.notices.iter().position(|n| !n.is_error).unwrap_or(0);
            self.notices.remove(oldest);
        }
    }

    /// Drops informational notices shown for [`NOTICE_SECONDS`] by `now` (egui time), and
    /// starts the clock of those shown for the first time.
    fn expire_notices(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        let shown = self.docs.active_id();
        for n in &mut self.notices {
            if n.shown_at.is_none() && n.doc == shown {
                n.shown_at = Some(now);
            }
        }
        self.notices
            .retain(|n| n.is_error || n.shown_at.is_none_or(|t| now - t < NOTICE_SECONDS));
        // Wake up when the next one is due to go, even if the user does nothing.
        if let Some(due) = self
            .notices
            .iter()
            .filter(|n| !n.is_error)
            .filter_map(|n| n.shown_at)
            .map(|t| t + NOTICE_SECONDS - now)
            .reduce(f64::min)
        {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(due.max(0.05)));
        }
    }

    fn remember_recent(&mut self) {
        let path = match &self.editor().origin {
            Origin::Annotations(p) | Origin::Article(p) => p.clone(),
            Origin::Builtin => return,
        };
        self.settings.add_recent(&path);
        self.save_settings();
    }

    fn save_settings(&self) {
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

    /// The actions whose keys were pressed this frame (their key events consumed), except
    /// those `skip` leaves to the widgets.
    fn shortcut_commands(ctx: &egui::Context, skip: impl Fn(Action) -> bool) -> Vec<Command> {
        let typing = ctx.memory(|m| m.focused().is_some()) && ctx.egui_wants_keyboard_input();
        let mut out = Vec::new();
        // Most specific first: Ctrl+Shift+S before Ctrl+S.
        let mut keys: Vec<(Action, egui::KeyboardShortcut)> = Action::ALL
            .iter()
            .flat_map(|a| a.spec().keys.iter().map(move |k| (*a, *k)))
            .collect();
        keys.sort_by_key(|(_, k)| {
            std::cmp::Reverse(
                u8::from(k.modifiers.shift)
                    + u8::from(k.modifiers.command)
                    + u8::from(k.modifiers.alt),
            )
        });
        ctx.input_mut(|i| {
            for (action, key) in keys {
                if (typing && key.modifiers.is_none()) || skip(action) {
                    continue;
                }
                if i.consume_shortcut(&key) {
                    out.push(Command::Action(action));
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
        crate::ui::theme::install_fonts(&ctx);
        if ctx.options(|o| o.zoom_with_keyboard) {
            // Ctrl+plus/minus zoom the article text, not the whole interface.
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
        }
        // While a dialog is up, keys belong to it.
        let mut commands = if self.modals.is_empty() {
            // Escape belongs to an open menu or list (it closes them), and to a text field
            // it leaves (egui lets go of the field before this frame's widgets run): it is
            // the article's only when neither was there.
            let left_a_field =
                self.text_focus.is_some() && ctx.memory(egui::Memory::focused).is_none();
            let popup = egui::Popup::is_any_open(&ctx);
            Self::shortcut_commands(&ctx, |a| {
                a == Action::ClearSelection && (left_a_field || popup)
            })
        } else {
            Vec::new()
        };
        self.copy_selection(&ctx);
        chrome::handle_dropped_files(&ctx, &mut commands);

        self.poll_jobs();
        self.refresh_caches(&ctx);
        self.expire_notices(&ctx);

        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| self.menu_ui(ui, &mut commands));
        });
        egui::Panel::top("toolbar").show(ui, |ui| self.toolbar_ui(ui, &mut commands));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui, &mut commands));
        if self.visible_notices().next().is_some() {
            // A panel of its own: notices take their room from the layout and never
            // cover the article's text.
            egui::Panel::bottom("notices").show(ui, |ui| self.notices_ui(ui, &mut commands));
        }
        // The comparison needs the width; the list and inspector belong to the article.
        if self.tab == Tab::Article {
            egui::Panel::right("annotations")
                .default_size(360.0)
                .size_range(260.0..=560.0)
                .show(ui, |ui| self.side_ui(ui, &mut commands));
        }
        if self.docs.len() > 1 {
            egui::Panel::left("articles")
                .default_size(200.0)
                .size_range(140.0..=360.0)
                .show(ui, |ui| self.articles_ui(ui, &mut commands));
        }
        egui::CentralPanel::default_margins().show(ui, |ui| {
            self.tabs_ui(ui, &mut commands);
            self.centre_ui(ui, &mut commands);
        });
        if let Some(modal) = self.modals.first_mut() {
            commands.extend(dialogs::modal_ui(&ctx, modal, self.loading.as_ref()));
        }

        for c in commands {
            self.apply(&ctx, c);
        }
        self.idle_autosave(&ctx);
        self.refresh_locks();
        self.handle_close(&ctx);
        self.update_title(&ctx);
        self.text_focus = ctx
            .memory(egui::Memory::focused)
            .filter(|_| ctx.text_edit_focused());
    }

    fn centre_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        match self.tab {
            Tab::Article => {
                let input = ViewInput {
                    doc: self.docs.active().doc(),
                    generation: self.docs.generation(),
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
                let base = self.docs.active().doc();
                commands.extend(super::review_view::review_ui(ui, &self.review, base));
            }
            Tab::Compare => {
                self.refresh_comparison();
                self.refresh_ledger();
                if let Some((c, model)) = self.comparison.last() {
                    commands.extend(super::compare_view::compare_ui(
                        ui,
                        c,
                        model,
                        self.docs.len(),
                        self.ledger.last(),
                    ));
                }
            }
        }
    }

    /// Brings what is derived from the documents up to date with them (open suggestions,
    /// review groups, find matches): each cache rebuilds only when its inputs changed. Every
    /// frame starts with it; an edit's cost is `apply` plus this.
    pub fn refresh_caches(&mut self, ctx: &egui::Context) {
        let key = super::suggestions::SuggestKey {
            text: self.docs.generation(),
            claims: self.settings.suggest_claims,
            published: self.docs.active().doc().meta.published.map(|p| p.date),
            language: self
                .docs
                .active()
                .doc()
                .meta
                .language
                .as_deref()
                .and_then(crate::core::suggest::Lang::from_code),
        };
        self.suggest.refresh(ctx, key, self.docs.active().doc());
        self.refresh_review();
        if let Some(f) = &mut self.find {
            f.refresh(self.docs.active().doc(), self.docs.generation());
        }
        let state = self.doc_state();
        let doc = self.docs.active().doc();
        self.view.filter.refresh(doc, state_hash(state));
        self.summary
            .get_or_update(state, || Summary::of(doc).short());
    }

    /// The shown document's current state: the key of the caches built from it.
    fn doc_state(&self) -> DocState {
        self.state_of(self.docs.active_index())
    }

    fn state_of(&self, index: usize) -> DocState {
        let e = &self.docs.all()[index];
        DocState {
            doc: DocId(e.uid()),
            generation: self.docs.generation(),
            state: e.state_id(),
        }
    }

    /// Recomputes the review when any open document changed: the group of documents that
    /// annotate the active article, their agreement and the clusters to decide.
    pub(super) fn refresh_review(&mut self) {
        // Which documents annotate the active article changes only when documents are opened,
        // closed or switched: compare the texts then, not on every edit.
        let group_key = (
            self.docs.generation(),
            self.docs.active_index(),
            self.docs.len(),
        );
        if self.review.group_key != Some(group_key) {
            let active = self.editor().doc().text().as_str();
            self.review.group = (0..self.docs.len())
                .filter(|&i| {
                    i == self.docs.active_index()
                        || self.docs.all()[i].doc().text().as_str() == active
                })
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
        let key: Vec<u64> = group
            .iter()
            .map(|&i| self.docs.all()[i].state_id())
            .collect();
        if self.review.key == key {
            return;
        }
        let names: Vec<String> = group
            .iter()
            .map(|&i| {
                let e = &self.docs.all()[i];
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
            group.iter().map(|&i| self.docs.all()[i].doc()).collect();
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

    /// Recomputes the comparison when any document changed since the last one.
    fn refresh_comparison(&mut self) {
        let key: Vec<DocState> = (0..self.docs.len()).map(|i| self.state_of(i)).collect();
        let docs = &self.docs;
        let taxonomy = &self.taxonomy;
        self.comparison.get_or_update(key, || {
            let sources: Vec<crate::core::compare::Source<'_>> = docs
                .all()
                .iter()
                .map(|e| crate::core::compare::Source {
                    title: e.doc().meta.title.clone(),
                    doc: e.doc(),
                })
                .collect();
            let c = crate::core::compare::compare(&sources, taxonomy);
            let model = super::compare_view::CompareModel::new(&c);
            (c, model)
        });
    }

    /// Recomputes the ledger when any document changed since the last one.
    fn refresh_ledger(&mut self) {
        let key: Vec<DocState> = (0..self.docs.len()).map(|i| self.state_of(i)).collect();
        let docs = &self.docs;
        let (taxonomy, groups) = (&self.taxonomy, &self.groups);
        let aliases = std::sync::Arc::clone(&self.source_aliases);
        self.ledger.get_or_update(key, || {
            let articles: Vec<crate::core::ledger::Article<'_>> = docs
                .all()
                .iter()
                .map(|e| crate::core::ledger::Article {
                    title: e.doc().meta.title.clone(),
                    doc: e.doc(),
                })
                .collect();
            crate::core::ledger::ledger(
                &articles,
                taxonomy,
                groups,
                &crate::core::ledger::Options {
                    aliases,
                    ..crate::core::ledger::Options::default()
                },
            )
        });
    }

    /// The current comparison of figures (computed on demand).
    pub fn comparison(&mut self) -> &crate::core::compare::Comparison {
        self.refresh_comparison();
        match self.comparison.last() {
            Some((c, _)) => c,
            None => unreachable!("refresh_comparison always fills the cache"),
        }
    }

    fn copy_selection(&self, ctx: &egui::Context) {
        let copy = ctx.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Copy)));
        if copy && !ctx.egui_wants_keyboard_input() {
            // The parts of a discontinuous selection, joined as a quotation leaves words out.
            let text = self.editor().doc().text();
            let parts: Vec<&str> = self
                .article
                .selected_parts()
                .iter()
                .map(|p| text.slice(*p))
                .collect();
            if !parts.is_empty() {
                ctx.copy_text(parts.join(" … "));
            }
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
                self.ask_unsaved(Pending::Quit);
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
}

/// A hash of a document state, for the caches that take a plain number.
fn state_hash(state: DocState) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut h = std::hash::DefaultHasher::new();
    state.hash(&mut h);
    h.finish()
}

impl Drop for TallymarkApp {
    fn drop(&mut self) {
        if self.keep_work_on_drop && !self.allow_close && self.any_dirty() {
            self.autosave_now();
        }
    }
}

impl eframe::App for TallymarkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }
}
