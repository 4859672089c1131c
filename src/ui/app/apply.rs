//! [`TallymarkApp::apply`]: the one place where what the user asked for changes state.

use eframe::egui;

use super::dialogs::Modal;
use super::{Pending, Tab, TallymarkApp};
use crate::core::annotation::{AnnotationId, Attributes, Kind};
use crate::core::clock::now;
use crate::core::edit::Edit;
use crate::ui::article_view::Scroll;
use crate::ui::command::{Action, Command, DiskChoice, UnsavedChoice};
use crate::ui::file_dialog::Purpose;
use crate::ui::theme;

impl TallymarkApp {
    /// Carries out one command. Every change to the documents and the window goes through
    /// here.
    pub fn apply(&mut self, ctx: &egui::Context, command: impl Into<Command>) {
        match command.into() {
            Command::Action(action) => self.act(ctx, action),
            Command::OpenPath(p) => self.request(Pending::Open(Some(p))),
            Command::Select { id, scroll } => self.select(id, scroll),
            Command::SetSelection(span) => self.article.set_selection(span),
            Command::Update {
                annotation,
                merge_key,
            } => {
                let mut a = *annotation;
                a.modified = Some(now());
                if let Err(e) = self.edit(vec![Edit::Replace(a)], merge_key) {
                    self.notify_error(format!("Could not edit the annotation: {e}"));
                }
            }
            Command::Relabel(id, kind) => self.relabel(id, kind),
            Command::SetParts(id, parts) => self.set_parts(id, &parts),
            Command::SameSource { a, b, same } => self.same_source(&a, &b, same),
            Command::SetArticleInfo { info, merge_key } => {
                if let Err(e) = self.edit(vec![Edit::SetInfo(info)], merge_key) {
                    self.notify_error(format!("Could not change the article: {e}"));
                }
            }
            Command::SealUndo => self.editor_mut().seal(),
            Command::SwitchDocument(i) => {
                if i < self.docs.len() && i != self.docs.active_index() {
                    self.switch_to(i);
                }
                self.tab = Tab::Article;
            }
            Command::JumpTo { doc, id } => {
                if doc < self.docs.len() {
                    if doc != self.docs.active_index() {
                        self.switch_to(doc);
                    }
                    self.tab = Tab::Article;
                    self.select(Some(id), true);
                }
            }
            Command::FocusSuggestion(i) => {
                self.suggest.focus = i.filter(|&i| i < self.suggest.open().len());
                if self.suggest.focus.is_some() {
                    self.view.selected = None;
                    self.article.set_selection(None);
                }
            }
            Command::Export(format) => self.export(format),
            Command::Decide { cluster, decision } => {
                if let Some(d) = self.review.decisions.get_mut(cluster) {
                    *d = decision;
                }
            }
            Command::PlaceOrphan(id) => self.place_orphan(id),
            Command::DeleteOrphan(id) => {
                if let Err(e) = self.edit(vec![Edit::RemoveOrphan(id)], None) {
                    self.notify_error(format!("Could not delete it: {e}"));
                }
            }
            Command::FileChosen(purpose, path) => self.file_chosen(purpose, &path),
            Command::ResolveDiskConflict(choice, path) => self.resolve_disk_conflict(choice, &path),
            Command::Recover(true) => self.restore_recovered(),
            Command::Recover(false) => self.discard_recovered(),
            Command::CreateFromText(text) => self.create_from_text(&text),
            Command::AnswerUnsaved(choice) => self.answer_unsaved(choice),
            Command::CancelLoading => {
                if let Some(loading) = &self.loading {
                    loading.cancel();
                }
            }
            Command::ImportMapped(path, choices) => {
                if !self.modals.is_empty() {
                    self.modals.remove(0);
                }
                self.import_mapped(&path, &choices);
            }
            Command::CloseModal => {
                if !self.modals.is_empty() {
                    self.modals.remove(0);
                }
            }
            Command::DismissNotice(id) => self.notices.retain(|n| n.id != id),
            Command::NameWorkspace(name) => self.name_workspace(&name),
            Command::CloseDocument(i) => self.close_document(i, true),
            Command::SetAnnotator(name) => {
                self.settings.annotator = name;
                self.save_settings();
            }
        }
    }

    /// Carries out a user action.
    fn act(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::MarkClaim => self.mark(Kind::Claim),
            Action::MarkQuote => self.mark(Kind::Quote),
            Action::MarkFigure => self.mark(Kind::Figure),
            Action::DeleteSelected => self.delete_selected(ctx),
            Action::ClearSelection => {
                // One thing at a time, innermost first: the find bar (its match stays
                // selected, ready to mark), the text being selected, then the annotation
                // or the suggestion in focus.
                if self.find.is_some() {
                    self.find = None;
                } else if self.article.selected_span().is_some() {
                    self.article.set_selection(None);
                } else {
                    self.view.selected = None;
                    self.suggest.focus = None;
                }
            }
            Action::Undo => {
                if let Some(jump) = self.editor_mut().undo() {
                    self.after_history_jump(jump.selected);
                }
            }
            Action::Redo => {
                if let Some(jump) = self.editor_mut().redo() {
                    self.after_history_jump(jump.selected);
                }
            }
            Action::Save => self.save(false),
            Action::SaveAs => self.save(true),
            Action::Open => self.request(Pending::Open(None)),
            Action::Quit => self.request(Pending::Quit),
            Action::ZoomIn => self.zoom(1.1),
            Action::ZoomOut => self.zoom(1.0 / 1.1),
            Action::ZoomReset => {
                self.settings.text_size = theme::TEXT_SIZE;
                self.save_settings();
            }
            Action::PageDown => self.scroll_article(Scroll::Pages(1.0)),
            Action::PageUp => self.scroll_article(Scroll::Pages(-1.0)),
            Action::GoToStart => self.scroll_article(Scroll::Start),
            Action::GoToEnd => self.scroll_article(Scroll::End),
            Action::ToggleTheme => {
                let dark = ctx.theme() != egui::Theme::Dark;
                self.settings.dark = Some(dark);
                theme::apply(ctx, Some(dark));
                self.save_settings();
            }
            Action::ShowShortcuts => {
                if self.modals.first() == Some(&Modal::Shortcuts) {
                    self.modals.remove(0);
                } else if !self.modals.contains(&Modal::Shortcuts) {
                    self.modals.push(Modal::Shortcuts);
                }
            }
            Action::ShowArticle => self.tab = Tab::Article,
            Action::ShowCompare => self.tab = Tab::Compare,
            Action::ShowReview => self.tab = Tab::Review,
            Action::AddDocument => {
                let dir = self.dirs.saves.clone();
                self.ask_file(Purpose::Add, &dir, None);
            }
            Action::SaveWorkspace => self.save_workspace(),
            Action::CloseArticle => self.close_document(self.docs.active_index(), true),
            Action::NextSuggestion => self.step_suggestion(1),
            Action::PrevSuggestion => self.step_suggestion(-1),
            Action::AcceptSuggestion => self.accept_suggestion(),
            Action::RejectSuggestion => self.reject_suggestion(),
            Action::AcceptAllFigures => self.accept_all(Kind::Figure),
            Action::AcceptAllQuotes => self.accept_all(Kind::Quote),
            Action::ValuesFromText => self.values_from_text(),
            Action::Find => {
                let f = self.find.get_or_insert_with(Default::default);
                f.focus = true;
                self.tab = Tab::Article;
            }
            Action::FindNext | Action::FindPrev => {
                let forward = action == Action::FindNext;
                if let Some(f) = &mut self.find
                    && let Some(span) = f.step(forward)
                {
                    self.select_match(span);
                }
            }
            Action::CloseFind => self.find = None,
            Action::NewFromClipboard => {
                if !self.modals.iter().any(|m| matches!(m, Modal::Paste(_))) {
                    self.modals.push(Modal::Paste(String::new()));
                }
            }
            Action::Reanchor => {
                let dir = self.dirs.saves.clone();
                self.ask_file(Purpose::Reanchor, &dir, None);
            }
            Action::SaveAdjudicated => self.save_adjudicated(),
            Action::ToggleShowAgreed => self.review.show_agreed = !self.review.show_agreed,
            Action::ImportAnnotations => {
                let dir = self.dirs.saves.clone();
                self.ask_file(Purpose::Import, &dir, None);
            }
            Action::ToggleSuggestions => {
                self.settings.show_suggestions = !self.settings.show_suggestions;
                self.save_settings();
            }
            Action::ToggleClaimSuggestions => {
                self.settings.suggest_claims = !self.settings.suggest_claims;
                self.settings.show_suggestions = true;
                self.save_settings();
            }
        }
    }

    /// Applies `edits` to the shown document as one undo step, remembering the selection
    /// it had so that undo brings it back.
    fn edit(
        &mut self,
        edits: Vec<Edit>,
        merge_key: Option<String>,
    ) -> Result<(), crate::core::edit::EditError> {
        let selected = self.view.selected;
        self.editor_mut().apply_selected(edits, merge_key, selected)
    }

    fn select(&mut self, id: Option<AnnotationId>, scroll: bool) {
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

    fn delete_selected(&mut self, ctx: &egui::Context) {
        if self.view.selected.is_none() && self.suggest.focused().is_some() {
            // Delete and Backspace reject the focused suggestion when no annotation is
            // selected: one "remove what is selected" gesture for both.
            self.act(ctx, Action::RejectSuggestion);
            return;
        }
        if let Some(id) = self.view.selected {
            match self
                .editor_mut()
                .apply_selected(vec![Edit::Remove(id)], None, Some(id))
            {
                Ok(()) => self.view.selected = None,
                Err(e) => self.notify_error(format!("Could not delete: {e}")),
            }
        }
    }

    fn accept_suggestion(&mut self) {
        let Some(c) = self.suggest.focused().cloned() else {
            return;
        };
        let a = c.to_annotation(self.editor().doc(), &self.settings.annotator, now());
        if let Err(e) = self.edit(vec![Edit::Insert(a)], None) {
            self.notify_error(format!("Could not accept the suggestion: {e}"));
        }
        self.editor_mut().seal();
    }

    fn reject_suggestion(&mut self) {
        let Some(c) = self.suggest.focused().cloned() else {
            return;
        };
        if let Err(e) = self.edit(vec![Edit::Reject(c.rejected())], None) {
            self.notify_error(format!("Could not reject the suggestion: {e}"));
        }
        self.editor_mut().seal();
    }

    /// Carries out the choice made in the "changed on disk" dialog.
    pub fn resolve_disk_conflict(&mut self, choice: DiskChoice, path: &std::path::Path) {
        self.modals.retain(|m| !matches!(m, Modal::DiskConflict(_)));
        match choice {
            DiskChoice::Reload => match self.editor_mut().reload() {
                Ok(()) => {
                    self.view.selected = None;
                    self.article.reset();
                    self.docs.text_changed();
                    self.notify("Reloaded the file from disk.");
                }
                Err(e) => self.notify_error(format!("Could not reload: {e}")),
            },
            DiskChoice::KeepMine => self.save_as_path(path),
            DiskChoice::SaveElsewhere => self.save(true),
        }
    }

    fn answer_unsaved(&mut self, choice: UnsavedChoice) {
        let Some(at) = self
            .modals
            .iter()
            .position(|m| matches!(m, Modal::Unsaved { .. }))
        else {
            return;
        };
        let Modal::Unsaved { pending, .. } = self.modals.remove(at) else {
            return;
        };
        match choice {
            UnsavedChoice::Save => {
                self.save(false);
                if self.saving() {
                    // Carried out when the save is written (see `poll_saves`).
                    self.after_save = Some(pending);
                } else if !self.leaves_unsaved(&pending) {
                    self.perform(pending);
                }
            }
            UnsavedChoice::Discard => self.perform(pending),
        }
    }

    fn place_orphan(&mut self, id: AnnotationId) {
        let parts = self.article.selected_parts();
        if parts.is_empty() {
            self.notify_error("Select the text to place the orphaned annotation on first.");
            return;
        }
        let doc = self.editor().doc();
        let Some(mut a) = doc.orphans().iter().find(|o| o.id == id).cloned() else {
            return;
        };
        // Placed on the selection, in its parts: the old parts no longer apply.
        if !doc.place_on(&mut a, &parts) {
            self.notify_error("The selection holds only spaces: select some words.");
            return;
        }
        a.modified = Some(now());
        match self.edit(vec![Edit::RemoveOrphan(id), Edit::Insert(a)], None) {
            Ok(()) => {
                self.article.set_selection(None);
                self.view.selected = Some(id);
            }
            Err(e) => self.notify_error(format!("Could not place it: {e}")),
        }
    }

    /// Selects a find match in the article and scrolls to it, ready to be marked.
    fn select_match(&mut self, span: crate::core::span::Span) {
        self.article.set_selection(Some(span));
        self.article.scroll_to = Some(span.start);
        self.view.selected = None;
        self.suggest.focus = None;
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
            self.article.set_selection(None);
        }
    }

    /// Accepts every open suggestion of `kind` as one undo step.
    fn accept_all(&mut self, kind: Kind) {
        let doc = self.editor().doc();
        let first_id = doc.next_id();
        let now = now();
        let edits: Vec<Edit> = self
            .suggest
            .open()
            .iter()
            .filter(|c| c.kind == kind)
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
        match self.edit(edits, None) {
            Ok(()) => {
                self.editor_mut().seal();
                let noun = format!("suggested {}", kind.label().to_lowercase());
                self.notify(format!(
                    "Accepted {}. Ctrl+Z undoes it in one step.",
                    crate::core::text::count(n, &noun)
                ));
            }
            Err(e) => self.notify_error(format!("Could not accept them: {e}")),
        }
    }

    /// Reads the value of every figure that has none from its words, as one undo step.
    fn values_from_text(&mut self) {
        let now = now();
        let edits: Vec<Edit> = self
            .editor()
            .doc()
            .figures_valued_from_text()
            .into_iter()
            .map(|mut a| {
                a.modified = Some(now);
                Edit::Replace(a)
            })
            .collect();
        let n = edits.len();
        if n == 0 {
            self.notify("No figure without a value has a number in its words.");
            return;
        }
        match self.edit(edits, None) {
            Ok(()) => {
                self.editor_mut().seal();
                self.notify(format!(
                    "Read the values of {} from their words. Ctrl+Z undoes it in one step.",
                    crate::core::text::count(n, "figure")
                ));
            }
            Err(e) => self.notify_error(format!("Could not set the values: {e}")),
        }
    }

    /// After undo or redo: the selection the step had, where its annotation still exists.
    fn after_history_jump(&mut self, selected: Option<AnnotationId>) {
        self.revision += 1;
        self.view.selected = selected.filter(|id| self.editor().doc().get(*id).is_some());
        if self.view.selected.is_some() {
            self.view.scroll_list = true;
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
        let parts = self.article.selected_parts();
        if parts.is_empty() {
            self.notify("Select some text first, then press C, Q or F to mark it.");
            return;
        }
        let doc = self.editor().doc();
        // Parts trimmed of surrounding whitespace, so a sloppy drag still gives a clean span.
        let Some(a) = doc.new_annotation_on(kind, &parts, &self.settings.annotator, now()) else {
            return;
        };
        let twin = doc
            .annotations_in(a.span)
            .find(|b| b.parts() == a.parts() && b.kind() == kind)
            .map(|b| b.id);
        if let Some(id) = twin {
            // The same mark twice is never meant: select the one there instead.
            self.notify(format!(
                "That text is already marked as a {} (#{id}): selected it.",
                kind.label().to_lowercase()
            ));
            self.view.selected = Some(id);
            self.view.scroll_list = true;
            self.article.set_selection(None);
            return;
        }
        let id = a.id;
        match self.edit(vec![Edit::Insert(a)], None) {
            Ok(()) => {
                self.view.selected = Some(id);
                self.view.scroll_list = true;
                self.article.set_selection(None);
            }
            Err(e) => self.notify_error(format!("Could not mark: {e}")),
        }
    }

    /// Puts annotation `id` on `parts`: the inspector's "Add the selection as a part",
    /// "Remove part" and "Move to the selection". Its attributes stay as they are.
    fn set_parts(&mut self, id: AnnotationId, parts: &[crate::core::span::Span]) {
        let doc = self.editor().doc();
        let Some(old) = doc.get(id) else {
            return;
        };
        let mut a = old.clone();
        if !doc.place_on(&mut a, parts) {
            self.notify_error("Those parts hold only spaces: select some words.");
            return;
        }
        if a.parts() == old.parts() {
            return;
        }
        a.modified = Some(now());
        match self.edit(vec![Edit::Replace(a)], None) {
            Ok(()) => {
                self.editor_mut().seal();
                self.article.set_selection(None);
                self.view.selected = Some(id);
            }
            Err(e) => self.notify_error(format!("Could not change its parts: {e}")),
        }
    }

    /// Remembers whether `a` and `b` are one source (in the user's `sources.ron`) and
    /// recomputes the ledger with it.
    fn same_source(&mut self, a: &str, b: &str, same: bool) {
        let mut aliases = crate::core::ledger::SourceAliases::clone(&self.source_aliases);
        if same {
            aliases.same(a, b);
        } else {
            aliases.distinct(a, b);
        }
        if let Err(e) = aliases.save_to_config(&self.dirs.config) {
            self.notify_error(format!("Could not remember it: {e}"));
            return;
        }
        self.source_aliases = std::sync::Arc::new(aliases);
        self.ledger = super::Memo::default();
        self.notify(if same {
            format!("“{a}” and “{b}” are one source now (kept in your sources.ron).")
        } else {
            format!("“{a}” and “{b}” stay two sources (kept in your sources.ron).")
        });
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
            .new_annotation(kind, old.span, &old.annotator, now());
        a.attributes = fresh.attributes;
        // The other tool's type named the old kind; it no longer describes this one.
        a.label = None;
        match &mut a.attributes {
            Attributes::Claim(c) => c.claimant = attribution,
            Attributes::Quote(q) => q.speaker = attribution,
            Attributes::Figure(f) => f.source = attribution,
        }
        a.modified = Some(now());
        if let Err(e) = self.edit(vec![Edit::Replace(a)], None) {
            self.notify_error(format!("Could not change the kind: {e}"));
        }
        self.revision += 1;
    }
}
