//! The window's chrome: menus, toolbar, status bar, the side panels, tabs and notices.
//! Each part reads the state and pushes [`Command`]s; nothing here changes state.

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::{Tab, TallymarkApp};
use crate::core::annotation::Kind;
use crate::core::check::Summary;
use crate::ui::annotation_list::list_ui;
use crate::ui::command::{Action, Command};
use crate::ui::inspector::inspector_ui;
use crate::ui::theme;

impl TallymarkApp {
    pub(super) fn tabs_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            let mut tabs = vec![
                (Tab::Article, Action::ShowArticle),
                (Tab::Compare, Action::ShowCompare),
            ];
            if self.review.group.len() > 1 || self.tab == Tab::Review {
                tabs.push((Tab::Review, Action::ShowReview));
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
                    commands.push(c.into());
                }
            }
            if self.tab == Tab::Article && self.docs.len() > 1 {
                ui.separator();
                ui.weak(crate::core::text::shorten(
                    &self.editor().doc().meta.title,
                    80,
                ));
            }
        });
        ui.separator();
    }

    pub(super) fn articles_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.add_space(6.0);
        ui.heading("Articles");
        if let Some(ws) = self.docs.workspace() {
            ui.weak(
                ws.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
        }
        ui.add_space(4.0);
        // One row of fixed height per article, and only the rows in view are laid out: a
        // story of a thousand articles costs what one screen of them costs.
        let line = ui.text_style_height(&egui::TextStyle::Body);
        let row_height = 3.0 * line + 10.0;
        let docs = self.docs.all();
        let active = self.docs.active_index();
        egui::ScrollArea::vertical().id_salt("articles").show_rows(
            ui,
            row_height,
            docs.len(),
            |ui, rows| {
                for i in rows {
                    let e = &docs[i];
                    let meta = &e.doc().meta;
                    // U+2022: in every bundled font (U+25CF is not, and would draw as tofu).
                    let marker = if e.is_dirty() { "• " } else { "" };
                    let title = format!("{marker}{}", meta.title);
                    // The outlet and date tell reports of one story apart; the file name,
                    // two annotators' files of one article.
                    let file = e
                        .save_path
                        .as_ref()
                        .and_then(|p| p.file_name())
                        .map_or_else(
                            || "not saved yet".to_owned(),
                            |n| n.to_string_lossy().into_owned(),
                        );
                    let origin = match (&meta.outlet, meta.published) {
                        (None, None) => String::new(),
                        _ => crate::ui::article_panel::summary(meta),
                    };
                    let (rect, r) = ui.allocate_exact_size(
                        egui::vec2(ui.available_width(), row_height),
                        egui::Sense::click(),
                    );
                    let selected = i == active;
                    let visuals = ui.visuals();
                    if selected {
                        ui.painter()
                            .rect_filled(rect, 4.0, visuals.selection.bg_fill);
                    } else if r.hovered() {
                        ui.painter()
                            .rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
                    }
                    let text_color = if selected {
                        visuals.selection.stroke.color
                    } else {
                        visuals.text_color()
                    };
                    let mut row = ui.new_child(
                        egui::UiBuilder::new()
                            .max_rect(rect.shrink2(egui::vec2(6.0, 4.0)))
                            .layout(egui::Layout::top_down(egui::Align::Min)),
                    );
                    row.spacing_mut().item_spacing.y = 0.0;
                    for (text, weak) in [(&title, false), (&origin, true), (&file, true)] {
                        let rich = RichText::new(text.as_str()).color(if weak {
                            text_color.gamma_multiply(0.7)
                        } else {
                            text_color
                        });
                        row.add(egui::Label::new(rich).truncate().selectable(false));
                    }
                    r.widget_info(|| {
                        egui::WidgetInfo::selected(
                            egui::Role::Button,
                            true,
                            selected,
                            format!("{title}\n{origin}\n{file}"),
                        )
                    });
                    let r = r.on_hover_text(format!(
                        "{} · {}",
                        meta.title,
                        Summary::of(e.doc()).short()
                    ));
                    if r.clicked() {
                        commands.push(Command::SwitchDocument(i));
                    }
                }
            },
        );
    }

    fn command_button(ui: &mut egui::Ui, c: Action, enabled: bool, commands: &mut Vec<Command>) {
        let shortcut = c
            .shortcut()
            .map(|s| ui.ctx().format_shortcut(&s))
            .unwrap_or_default();
        let r = ui.add_enabled(
            enabled,
            egui::Button::new(c.label()).shortcut_text(shortcut),
        );
        if r.on_hover_text(c.tooltip()).clicked() {
            commands.push(c.into());
        }
    }

    pub(super) fn menu_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let has_sel = self.article.selected_span().is_some();
        ui.menu_button("File", |ui| {
            Self::command_button(ui, Action::Open, true, commands);
            Self::command_button(ui, Action::NewFromClipboard, true, commands);
            Self::command_button(ui, Action::AddDocument, true, commands);
            Self::command_button(ui, Action::SaveWorkspace, true, commands);
            Self::command_button(ui, Action::CloseArticle, self.docs.len() > 1, commands);
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
            Self::command_button(ui, Action::Save, true, commands);
            Self::command_button(ui, Action::SaveAs, true, commands);
            Self::command_button(ui, Action::ImportAnnotations, true, commands);
            Self::command_button(ui, Action::Reanchor, true, commands);
            ui.separator();
            Self::command_button(ui, Action::Quit, true, commands);
        });
        ui.menu_button("Edit", |ui| {
            Self::command_button(ui, Action::Undo, self.editor().can_undo(), commands);
            Self::command_button(ui, Action::Redo, self.editor().can_redo(), commands);
            ui.separator();
            for k in Kind::ALL {
                Self::command_button(ui, Action::mark(k), has_sel, commands);
            }
            Self::command_button(
                ui,
                Action::DeleteSelected,
                self.view.selected.is_some() || self.suggest.focused().is_some(),
                commands,
            );
            ui.separator();
            Self::command_button(ui, Action::Find, true, commands);
            let has_matches = self.find.as_ref().is_some_and(|f| !f.matches.is_empty());
            Self::command_button(ui, Action::FindNext, has_matches, commands);
            Self::command_button(ui, Action::FindPrev, has_matches, commands);
            ui.separator();
            let any = !self.suggest.open().is_empty();
            let focused = self.suggest.focused().is_some();
            Self::command_button(ui, Action::NextSuggestion, any, commands);
            Self::command_button(ui, Action::PrevSuggestion, any, commands);
            Self::command_button(ui, Action::AcceptSuggestion, focused, commands);
            Self::command_button(ui, Action::RejectSuggestion, focused, commands);
            Self::command_button(ui, Action::AcceptAllFigures, any, commands);
            Self::command_button(ui, Action::AcceptAllQuotes, any, commands);
            let unvalued = self
                .editor()
                .doc()
                .annotations()
                .iter()
                .any(|a| a.figure().is_some_and(|f| f.value_low.is_none()));
            Self::command_button(ui, Action::ValuesFromText, unvalued, commands);
            ui.separator();
            ui.horizontal(|ui| {
                ui.label("Annotator name");
                let mut name = self.settings.annotator.clone();
                let r = ui
                    .add(egui::TextEdit::singleline(&mut name).desired_width(140.0))
                    .on_hover_text("Written into every new annotation");
                if r.changed() {
                    commands.push(Command::SetAnnotator(name));
                }
            });
        });
        ui.menu_button("View", |ui| {
            Self::command_button(ui, Action::ZoomIn, true, commands);
            Self::command_button(ui, Action::ZoomOut, true, commands);
            Self::command_button(ui, Action::ZoomReset, true, commands);
            ui.separator();
            Self::command_button(ui, Action::ToggleTheme, true, commands);
            ui.separator();
            let mut show = self.settings.show_suggestions;
            if ui
                .checkbox(&mut show, Action::ToggleSuggestions.label())
                .on_hover_text(Action::ToggleSuggestions.tooltip())
                .clicked()
            {
                commands.push(Action::ToggleSuggestions.into());
            }
            let mut claims = self.settings.suggest_claims;
            if ui
                .checkbox(&mut claims, Action::ToggleClaimSuggestions.label())
                .on_hover_text(Action::ToggleClaimSuggestions.tooltip())
                .clicked()
            {
                commands.push(Action::ToggleClaimSuggestions.into());
            }
            ui.separator();
            Self::command_button(ui, Action::ShowArticle, true, commands);
            Self::command_button(ui, Action::ShowCompare, true, commands);
            Self::command_button(ui, Action::ShowReview, true, commands);
        });
        ui.menu_button("Export", |ui| {
            for f in crate::core::export::Format::ALL {
                if ui
                    .button(f.label())
                    .on_hover_text("Write the annotations for a reviewer or another tool")
                    .clicked()
                {
                    commands.push(Command::Export(f));
                }
            }
        });
        ui.menu_button("Help", |ui| {
            Self::command_button(ui, Action::ShowShortcuts, true, commands);
        });
    }

    /// The find field (right to left: close, next, previous, count, field) or its button.
    fn find_bar_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let Some(f) = &mut self.find else {
            let key = Action::Find
                .shortcut()
                .map(|s| ui.ctx().format_shortcut(&s))
                .unwrap_or_default();
            if ui
                .button("Find")
                .on_hover_text(format!("{} ({key})", Action::Find.tooltip()))
                .clicked()
            {
                commands.push(Action::Find.into());
            }
            return;
        };
        if ui.small_button("×").on_hover_text("Close (Esc)").clicked() {
            commands.push(Action::CloseFind.into());
        }
        if ui
            .small_button("›")
            .on_hover_text(Action::FindNext.tooltip())
            .clicked()
        {
            commands.push(Action::FindNext.into());
        }
        if ui
            .small_button("‹")
            .on_hover_text(Action::FindPrev.tooltip())
            .clicked()
        {
            commands.push(Action::FindPrev.into());
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
            // Enter selects the match and hands the keyboard back to the article, so F,
            // Q or C marks it at once (F3 goes on to the next match).
            commands.push(if ui.input(|i| i.modifiers.shift) {
                Action::FindPrev.into()
            } else {
                Action::FindNext.into()
            });
        }
        // egui lets go of the field on Escape before it is drawn: lost focus is the sign.
        if (r.has_focus() || r.lost_focus()) && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            commands.push(Action::CloseFind.into());
        }
    }

    pub(super) fn toolbar_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let dark = ui.visuals().dark_mode;
        let has_sel = self.article.selected_span().is_some();
        ui.horizontal(|ui| {
            ui.add_space(2.0);
            for k in Kind::ALL {
                let c = Action::mark(k);
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
                    commands.push(c.into());
                }
            }
            ui.separator();
            for c in [Action::Undo, Action::Redo] {
                let enabled = if c == Action::Undo {
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
                    commands.push(c.into());
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let icon = if dark { "Light theme" } else { "Dark theme" };
                let theme_button = ui.button(icon).on_hover_text(Action::ToggleTheme.tooltip());
                if theme_button.clicked() {
                    commands.push(Action::ToggleTheme.into());
                }
                ui.separator();
                self.find_bar_ui(ui, commands);
                let parts = self.article.selected_parts();
                let chars: usize = parts.iter().map(|p| p.len()).sum();
                match parts.len() {
                    0 => {}
                    1 => {
                        ui.weak(format!("{chars} chars selected"));
                    }
                    n => {
                        ui.weak(format!("{chars} chars selected in {n} parts"));
                    }
                }
            });
        });
    }

    pub(super) fn side_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.add_space(6.0);
        let meta = &self.docs.active().doc().meta;
        let state = super::state_hash(self.doc_state());
        egui::CollapsingHeader::new(RichText::new("Article details").strong())
            .id_salt("article-panel")
            .show(ui, |ui| {
                commands.extend(crate::ui::article_panel::article_panel_ui(
                    ui,
                    meta,
                    state,
                    &mut self.article_info,
                ));
            })
            .header_response
            .on_hover_text(crate::ui::article_panel::summary(meta));
        ui.weak(crate::ui::article_panel::summary(meta));
        ui.separator();
        commands.extend(crate::ui::suggestions::panel_ui(
            ui,
            &self.suggest,
            self.settings.show_suggestions,
        ));
        ui.separator();
        let orphans = self.docs.active().doc().orphans().to_vec();
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
        let state = super::state_hash(self.doc_state());
        let doc = self.docs.active().doc();
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
                        &self.article.selected_parts(),
                        self.revision,
                        &mut self.inspector,
                        &metrics,
                        &self.groups,
                    ));
                });
        }
    }

    pub(super) fn status_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
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
            // One state word: a never-saved document is "not saved yet" above, never
            // also "saved".
            if self.saving() {
                ui.weak("saving…");
            } else if self.editor().is_dirty() {
                ui.colored_label(
                    theme::kind_color(Kind::Figure, ui.visuals().dark_mode),
                    "unsaved changes",
                );
            } else if self.editor().save_path.is_some() {
                ui.weak("saved");
            } else {
                ui.weak("no changes");
            }
            ui.separator();
            if let Some(short) = self.summary.last() {
                ui.label(short);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let meta = &self.editor().doc().meta;
                ui.weak(format!(
                    "text {}% · {} chars · {}",
                    (self.settings.text_size / theme::TEXT_SIZE * 100.0).round(),
                    self.editor().doc().text().len_chars(),
                    meta.encoding.as_deref().unwrap_or("UTF-8")
                ))
                .on_hover_text("The encoding the article was read in");
                ui.separator();
                self.language_menu(ui, commands);
            });
        });
    }

    /// The article's language in the status bar, as a menu that changes it: the
    /// suggester reads the text in that language (and sentences in another script in theirs).
    fn language_menu(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        use crate::core::suggest::Lang;
        let meta = &self.editor().doc().meta;
        let set = meta.language.clone();
        let read_in = self.suggest.language;
        let label = match (&set, read_in) {
            (Some(code), _) => match Lang::from_code(code) {
                Some(l) => format!("{} ({code})", l.label()),
                None => format!("{code} (suggestions read it as English)"),
            },
            (None, Some(l)) => format!("{} (detected)", l.label()),
            (None, None) => "language unknown".to_owned(),
        };
        ui.menu_button(label, |ui| {
            ui.label("Language of the article");
            ui.separator();
            let mut choose = |code: Option<&str>| {
                let mut info = meta.info();
                info.language = code.map(str::to_owned);
                commands.push(Command::SetArticleInfo {
                    info: Box::new(info),
                    merge_key: None,
                });
            };
            let detected = read_in.filter(|_| set.is_none());
            let auto = match detected {
                Some(l) => format!("Detect from the text (now {})", l.label()),
                None => "Detect from the text".to_owned(),
            };
            if ui.radio(set.is_none(), auto).clicked() {
                choose(None);
                ui.close();
            }
            for l in Lang::ALL {
                let chosen = set.as_deref().and_then(Lang::from_code) == Some(l);
                if ui
                    .radio(chosen, format!("{} ({})", l.label(), l.code()))
                    .clicked()
                {
                    choose(Some(l.code()));
                    ui.close();
                }
            }
            ui.separator();
            ui.weak("Other languages: type a code in Article details.");
        })
        .response
        .on_hover_text(
            "The article's language, read from the page or the text. Suggestions read the text \
             in it; a sentence in another script is read in its own language.",
        );
    }

    pub(super) fn notices_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let dark = ui.visuals().dark_mode;
        for n in self.visible_notices() {
            ui.horizontal(|ui| {
                if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                    commands.push(Command::DismissNotice(n.id));
                }
                // One line each, so three never take much room: the whole text on hover.
                let text = RichText::new(&n.text);
                let text = if n.is_error {
                    text.color(theme::error_color(dark))
                } else {
                    text
                };
                ui.add(egui::Label::new(text).truncate())
                    .on_hover_text(&n.text);
            });
        }
    }
}

pub(super) fn handle_dropped_files(ctx: &egui::Context, commands: &mut Vec<Command>) {
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
