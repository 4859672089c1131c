//! The Article panel: the shown article's title and provenance (outlet, address, date,
//! author, language), read from its tags when it opened, editable here. Each field's
//! typing is one undo step, as in the inspector.

use eframe::egui;

use super::command::Command;
use super::theme;
use crate::core::document::ArticleMeta;
use crate::core::provenance::Published;

/// Text typed in the date field, kept while it does not parse.
#[derive(Default)]
pub struct ArticleBuffers {
    /// The document state the buffer was filled from.
    for_state: Option<u64>,
    published: String,
}

/// Draws the panel for `meta` (document state `state`) and returns the edits.
pub fn article_panel_ui(
    ui: &mut egui::Ui,
    meta: &ArticleMeta,
    state: u64,
    buffers: &mut ArticleBuffers,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let dark = ui.visuals().dark_mode;
    if buffers.for_state != Some(state) {
        buffers.published = meta.published.map(|p| p.to_string()).unwrap_or_default();
        buffers.for_state = Some(state);
    }
    let mut info = meta.info();
    let mut edits = Edits::default();
    egui::Grid::new("article-info")
        .num_columns(2)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            edits.field(ui, "Title", &mut info.title, "article-title", "headline");
            edits.optional(ui, "Outlet", &mut info.outlet, "article-outlet", "publication");
            edits.optional(ui, "Address", &mut info.url, "article-url", "https://…");

            let l = ui.label("Published");
            let bad = !buffers.published.trim().is_empty()
                && buffers.published.parse::<Published>().is_err();
            let mut te = egui::TextEdit::singleline(&mut buffers.published)
                .hint_text("YYYY-MM-DD")
                .desired_width(f32::INFINITY)
                .id_salt("article-published");
            if bad {
                te = te.text_color(theme::error_color(dark));
            }
            let r = ui
                .add(te)
                .labelled_by(l.id)
                .on_hover_text("The day it was published; a time and zone may follow (2022-01-11T14:05+06:00). Figures without a date of their own are dated by it.");
            edits.lost_focus |= r.lost_focus();
            if r.changed() {
                if buffers.published.trim().is_empty() {
                    info.published = None;
                    edits.key = Some("article-published");
                } else if let Ok(p) = buffers.published.parse::<Published>() {
                    info.published = Some(p);
                    edits.key = Some("article-published");
                }
            }
            ui.end_row();
            edits.optional(ui, "Author", &mut info.author, "article-author", "byline");
            edits.optional(ui, "Language", &mut info.language, "article-language", "en, ru, kk, uk…");
        });
    if edits.key.is_some() && info != meta.info() {
        commands.push(Command::SetArticleInfo {
            info: Box::new(info),
            merge_key: edits.key.map(str::to_owned),
        });
    }
    if edits.lost_focus {
        commands.push(Command::SealUndo);
    }
    for note in &meta.notes {
        ui.add(egui::Label::new(egui::RichText::new(note).weak().small()).wrap());
    }
    commands
}

/// What the fields of one frame did.
#[derive(Default)]
struct Edits {
    key: Option<&'static str>,
    lost_focus: bool,
}

impl Edits {
    fn field(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        value: &mut String,
        id: &'static str,
        hint: &str,
    ) {
        let l = ui.label(label);
        let r = ui
            .add(
                egui::TextEdit::singleline(value)
                    .hint_text(hint)
                    .desired_width(f32::INFINITY)
                    .id_salt(id),
            )
            .labelled_by(l.id);
        self.lost_focus |= r.lost_focus();
        if r.changed() {
            self.key = Some(id);
        }
        ui.end_row();
    }

    /// A field that may be empty: empty (or blank) is `None`.
    fn optional(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        value: &mut Option<String>,
        id: &'static str,
        hint: &str,
    ) {
        let mut text = value.clone().unwrap_or_default();
        self.field(ui, label, &mut text, id, hint);
        if self.key == Some(id) {
            // Not trimmed while typing: "The " must stay until its next word comes.
            *value = Some(text).filter(|t| !t.trim().is_empty());
        }
    }
}

/// One line under the panel's heading: `The Valley Courier · 2024-03-12 · en`.
#[must_use]
pub fn summary(meta: &ArticleMeta) -> String {
    let parts: Vec<String> = [
        meta.outlet.clone(),
        meta.published.map(|p| p.date.to_string()),
        meta.language.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        "no outlet or date yet".to_owned()
    } else {
        parts.join(" · ")
    }
}
