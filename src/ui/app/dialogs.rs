//! Every modal dialog as a value of one [`Modal`]. The app keeps a queue of them and shows
//! only the first, so two can never be drawn in one frame; their buttons return
//! [`Command`]s that `apply` carries out, like every other part of the window.

use std::path::PathBuf;

use eframe::egui;

use super::Pending;
use crate::core::text::shorten;
use crate::ui::command::{Action, Command, DiskChoice, UnsavedChoice};
use crate::ui::file_dialog::PathPrompt;
use crate::ui::loading::Loading;

/// One line of the recovery question, read once when the dialog opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoverRow {
    /// The document's title.
    pub title: String,
    /// The file it belongs to, if it was ever saved.
    pub original: Option<PathBuf>,
    /// Annotations in the recovered copy.
    pub recovered: usize,
    /// Annotations in the file on disk, where it reads.
    pub on_disk: Option<usize>,
    /// When the copy was written.
    pub saved_at: String,
}

/// A dialog waiting for an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Modal {
    /// A large file is being read (progress and Cancel).
    Loading,
    /// A save stopped because the file changed on disk.
    DiskConflict(PathBuf),
    /// Recovery copies were found on start.
    Recover(Vec<RecoverRow>),
    /// "New article from clipboard": the text pasted so far.
    Paste(String),
    /// "Unsaved changes?" before doing `pending`.
    Unsaved {
        /// What waits for the answer.
        pending: Pending,
        /// The document's name, for the question.
        name: String,
    },
    /// The keyboard shortcuts.
    Shortcuts,
    /// "Name this workspace": the name typed so far.
    WorkspaceName(String),
    /// The in-app path prompt, with the names Tab completion offered last.
    PathPrompt(PathPrompt, Vec<String>),
    /// What an import brought in and what it did not (file name, report).
    ImportReport(String, Box<crate::core::export::imported::ImportReport>),
    /// The import's mapping step: the file's unknown types, each with its count, a sample
    /// and the kind chosen for it, before anything is imported.
    ImportMapping(PathBuf, Vec<MapRow>),
}

/// One type of the mapping step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapRow {
    /// The other tool's type.
    pub ty: String,
    /// How many items have it.
    pub count: usize,
    /// The text of the first one.
    pub sample: String,
    /// What it becomes: `claim`, `quote`, `figure` or `skip`.
    pub choice: String,
}

impl Modal {
    /// The recovery question for `entries`, reading each file on disk once, here.
    #[must_use]
    pub fn recover(entries: &[crate::core::recovery::Entry]) -> Self {
        Self::Recover(
            entries
                .iter()
                .map(|e| RecoverRow {
                    title: e.doc.meta.title.clone(),
                    original: e.original.clone(),
                    recovered: e.doc.annotations().len(),
                    on_disk: e
                        .original
                        .as_ref()
                        .and_then(|p| crate::core::persist::load(p).ok())
                        .map(|d| d.annotations().len()),
                    saved_at: e.saved_at.clone(),
                })
                .collect(),
        )
    }
}

/// Draws `modal` and returns what the user answered.
pub fn modal_ui(ctx: &egui::Context, modal: &mut Modal, loading: Option<&Loading>) -> Vec<Command> {
    let mut out = Vec::new();
    let escape = ctx.input(|i| i.key_pressed(egui::Key::Escape));
    match modal {
        Modal::Loading => {
            egui::Modal::new(egui::Id::unique("loading")).show(ctx, |ui| {
                ui.set_min_width(420.0);
                ui.heading("Opening a large file");
                if let Some(loading) = loading {
                    ui.label(loading.path.display().to_string());
                    ui.add(egui::ProgressBar::new(loading.fraction()).show_percentage());
                }
                if ui.button("Cancel").clicked() || escape {
                    out.push(Command::CancelLoading);
                }
            });
        }
        Modal::DiskConflict(path) => {
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
                    let mut answer = |choice| {
                        out.push(Command::ResolveDiskConflict(choice, path.clone()));
                    };
                    if ui
                        .button("Reload from disk")
                        .on_hover_text("Drop your unsaved changes and read the file again")
                        .clicked()
                    {
                        answer(DiskChoice::Reload);
                    }
                    if ui
                        .button("Keep mine")
                        .on_hover_text(
                            "Overwrite the file with your version (a .bak copy of theirs is kept)",
                        )
                        .clicked()
                    {
                        answer(DiskChoice::KeepMine);
                    }
                    if ui.button("Save elsewhere…").clicked() {
                        answer(DiskChoice::SaveElsewhere);
                    }
                    if ui.button("Cancel").clicked() || escape {
                        out.push(Command::CloseModal);
                    }
                });
            });
        }
        Modal::Recover(rows) => {
            egui::Modal::new(egui::Id::unique("recover")).show(ctx, |ui| {
                ui.set_max_width(520.0);
                ui.heading("Recover unsaved work?");
                ui.label(
                    "Tallymark did not close cleanly last time. These changes were not saved:",
                );
                ui.add_space(6.0);
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        for r in rows.iter() {
                            ui.group(|ui| {
                                ui.strong(shorten(&r.title, 70));
                                ui.label(match &r.original {
                                    Some(p) => format!("for {}", p.display()),
                                    None => "never saved".to_owned(),
                                });
                                ui.weak(format!(
                                    "{} in the recovered copy{} · written {}",
                                    crate::core::text::count(r.recovered, "annotation"),
                                    r.on_disk
                                        .map(|n| format!(" ({n} in the file on disk)"))
                                        .unwrap_or_default(),
                                    r.saved_at
                                ));
                            });
                        }
                    });
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui
                        .button("Restore")
                        .on_hover_text(
                            "Open the recovered copies, in place of their files where open",
                        )
                        .clicked()
                    {
                        out.push(Command::Recover(true));
                    }
                    if ui.button("Discard").clicked() {
                        out.push(Command::Recover(false));
                    }
                });
            });
        }
        Modal::Paste(text) => {
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
                            egui::TextEdit::multiline(text)
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
                        out.push(Command::CreateFromText(text.clone()));
                    }
                    if ui.button("Cancel").clicked() || escape {
                        out.push(Command::CloseModal);
                    }
                });
            });
        }
        Modal::Unsaved { name, .. } => {
            egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
                ui.set_max_width(380.0);
                ui.heading("Unsaved changes");
                ui.label(format!(
                    "{name} has changes that are not saved. Save them first?"
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        out.push(Command::AnswerUnsaved(UnsavedChoice::Save));
                    }
                    if ui.button("Discard changes").clicked() {
                        out.push(Command::AnswerUnsaved(UnsavedChoice::Discard));
                    }
                    if ui.button("Cancel").clicked() || escape {
                        out.push(Command::CloseModal);
                    }
                });
            });
        }
        Modal::Shortcuts => shortcuts_ui(ctx, escape, &mut out),
        Modal::WorkspaceName(name) => {
            egui::Modal::new(egui::Id::unique("workspace-name")).show(ctx, |ui| {
                ui.set_min_width(420.0);
                ui.heading("Save workspace");
                let label = ui.label("Name of the story (it names the file too)");
                let r = ui
                    .add(
                        egui::TextEdit::singleline(name)
                            .hint_text("Marrow Valley flood, March 2025")
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                if ui.memory(|m| m.focused().is_none()) {
                    r.request_focus();
                }
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    let ok = ui
                        .add_enabled(!name.trim().is_empty(), egui::Button::new("Choose where…"))
                        .clicked()
                        || enter && !name.trim().is_empty();
                    if ui.button("Cancel").clicked() || escape {
                        out.push(Command::CloseModal);
                    } else if ok {
                        out.push(Command::NameWorkspace(name.clone()));
                    }
                });
            });
        }
        Modal::PathPrompt(prompt, offered) => {
            path_prompt_ui(ctx, prompt, offered, escape, &mut out);
        }
        Modal::ImportReport(name, report) => import_report_ui(ctx, name, report, escape, &mut out),
        Modal::ImportMapping(path, rows) => import_mapping_ui(ctx, path, rows, escape, &mut out),
    }
    out
}

/// The import's mapping step: each unknown type with its count and first text, and what it
/// becomes (skip unless chosen); Import brings the file in with that mapping.
fn import_mapping_ui(
    ctx: &egui::Context,
    path: &std::path::Path,
    rows: &mut [MapRow],
    escape: bool,
    out: &mut Vec<Command>,
) {
    egui::Modal::new(egui::Id::unique("import-mapping")).show(ctx, |ui| {
        ui.set_max_width(620.0);
        ui.heading("Map the file's types");
        ui.label(format!(
            "{} uses types Tallymark does not know. Choose what each becomes; the choice is \
             remembered for files from this folder.",
            shorten(&path.display().to_string(), 80)
        ));
        ui.add_space(4.0);
        egui::ScrollArea::vertical()
            .max_height(360.0)
            .show(ui, |ui| {
                egui::Grid::new("import-mapping-rows")
                    .striped(true)
                    .show(ui, |ui| {
                        for (i, row) in rows.iter_mut().enumerate() {
                            let label = ui.strong(shorten(&row.ty, 40));
                            ui.label(format!("×{}", row.count));
                            ui.weak(shorten(&row.sample, 50));
                            egui::ComboBox::from_id_salt(("import-map", i))
                                .selected_text(row.choice.as_str())
                                .show_ui(ui, |ui| {
                                    for kind in ["skip", "claim", "quote", "figure"] {
                                        ui.selectable_value(&mut row.choice, kind.to_owned(), kind);
                                    }
                                })
                                .response
                                .labelled_by(label.id);
                            ui.end_row();
                        }
                    });
            });
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Import").clicked() {
                out.push(Command::ImportMapped(
                    path.to_owned(),
                    rows.iter()
                        .map(|r| (r.ty.clone(), r.choice.clone()))
                        .collect(),
                ));
            }
            if ui.button("Cancel").clicked() || escape {
                out.push(Command::CloseModal);
            }
        });
    });
}

/// The report of an import: counts per kind, what was not imported by reason, unknown
/// types, moves and orphans, and the first examples of each.
fn import_report_ui(
    ctx: &egui::Context,
    name: &str,
    report: &crate::core::export::imported::ImportReport,
    escape: bool,
    out: &mut Vec<Command>,
) {
    use crate::core::annotation::Kind;
    use crate::core::text::count;
    egui::Modal::new(egui::Id::unique("import-report")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading("Import report");
        ui.label(shorten(name, 90));
        ui.add_space(4.0);
        egui::Grid::new("import-counts")
            .striped(true)
            .show(ui, |ui| {
                for k in Kind::ALL {
                    ui.label(format!("{}s imported", k.label()));
                    ui.label(report.imported[k.index()].to_string());
                    ui.end_row();
                }
                for (what, n) in [
                    ("links kept", report.links),
                    ("moved (text found elsewhere)", report.moved),
                    ("orphans (text not in the article)", report.orphans),
                ] {
                    ui.label(what);
                    ui.label(n.to_string());
                    ui.end_row();
                }
                for (reason, n) in &report.not_imported {
                    ui.label(format!("not imported: {}", reason.label()));
                    ui.label(n.to_string());
                    ui.end_row();
                }
            });
        if !report.unknown_types.is_empty() {
            ui.add_space(4.0);
            let types: Vec<String> = report
                .unknown_types
                .iter()
                .map(|(t, n)| format!("{} ({n})", shorten(t, 40)))
                .collect();
            ui.label(format!(
                "Unknown types, not imported: {}. Map them to kinds with \
                 `tallymark import --map TYPE=claim|quote|figure|skip`.",
                types.join(", ")
            ));
        }
        if !report.examples.is_empty() {
            ui.add_space(4.0);
            ui.strong("First examples");
            egui::ScrollArea::vertical()
                .max_height(220.0)
                .show(ui, |ui| {
                    for (what, example) in &report.examples {
                        ui.weak(format!("{what}: {example}"));
                    }
                });
        }
        if report.brought_nothing() {
            ui.colored_label(
                crate::ui::theme::error_color(ui.visuals().dark_mode),
                format!(
                    "Nothing was imported from {}.",
                    count(report.items, "annotation")
                ),
            );
        }
        ui.add_space(6.0);
        if ui.button("Close").clicked() || escape {
            out.push(Command::CloseModal);
        }
    });
}

/// The shortcut list: scrolls within the window at any height; Esc or F1 closes it.
fn shortcuts_ui(ctx: &egui::Context, escape: bool, out: &mut Vec<Command>) {
    let f1 = ctx.input(|i| i.key_pressed(egui::Key::F1));
    let max_height = (ctx.content_rect().height() - 140.0).max(120.0);
    egui::Modal::new(egui::Id::unique("shortcuts")).show(ctx, |ui| {
        ui.set_min_width(420.0);
        ui.heading("Keyboard shortcuts");
        egui::ScrollArea::vertical()
            .max_height(max_height)
            .show(ui, |ui| {
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for a in Action::ALL {
                        let keys: Vec<String> = a
                            .spec()
                            .keys
                            .iter()
                            .map(|s| ctx.format_shortcut(s))
                            .collect();
                        ui.label(keys.join(", "));
                        ui.label(a.label());
                        ui.end_row();
                    }
                    for (keys, what) in [
                        ("Drag", "Select text"),
                        ("Double-click", "Select a word"),
                        ("Shift+click", "Extend the selection"),
                        (
                            "Shift+drag",
                            "Add a part: marks a quote broken by \"he said\" without those words",
                        ),
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
        ui.add_space(6.0);
        if ui.button("Close").on_hover_text("Esc").clicked() || escape || f1 {
            out.push(Command::CloseModal);
        }
    });
}

/// The in-app path prompt: the path the app proposes, editable, Tab to complete.
fn path_prompt_ui(
    ctx: &egui::Context,
    prompt: &mut PathPrompt,
    offered: &mut Vec<String>,
    escape: bool,
    out: &mut Vec<Command>,
) {
    egui::Modal::new(egui::Id::unique("path-prompt")).show(ctx, |ui| {
        ui.set_min_width(560.0);
        ui.heading(&prompt.request.title);
        ui.label(if prompt.request.save {
            "No file dialog is available on this desktop. Save to this path (Tab completes \
             folder names):"
        } else {
            "No file dialog is available on this desktop. Type the file's path (Tab completes \
             folder and file names):"
        });
        let label = ui.label("Path");
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut prompt.text)
                    .desired_width(f32::INFINITY)
                    .lock_focus(true)
                    .id_salt("path-prompt-field"),
            )
            .labelled_by(label.id);
        if ui.memory(|m| m.focused().is_none()) {
            r.request_focus();
        }
        if r.has_focus() && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Tab)) {
            *offered = prompt.complete();
            // Keep the cursor at the end of the completed path.
            if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), r.id) {
                let end = egui::text::CCursor::new(prompt.text.chars().count());
                state
                    .cursor
                    .set_char_range(Some(egui::text::CCursorRange::one(end)));
                state.store(ui.ctx(), r.id);
            }
        }
        if r.changed() {
            prompt.problem = None;
        }
        if !offered.is_empty() {
            ui.weak(shorten(&offered.join("   "), 300));
        }
        if let Some(problem) = &prompt.problem {
            ui.colored_label(
                crate::ui::theme::error_color(ui.visuals().dark_mode),
                problem,
            );
        }
        let enter =
            (r.lost_focus() || r.has_focus()) && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let verb = if prompt.request.save { "Save" } else { "Open" };
            let ok = ui.button(verb).clicked() || enter;
            if ui.button("Cancel").clicked() || escape {
                out.push(Command::CloseModal);
            } else if ok {
                match prompt.path() {
                    Ok(path) => out.push(Command::FileChosen(prompt.request.purpose, path)),
                    Err(problem) => prompt.problem = Some(problem),
                }
            }
        });
    });
}
