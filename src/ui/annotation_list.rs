//! The side panel's list of annotations: text order, filter by kind and by search string.

use eframe::egui::{self, RichText};

use super::article_view::swatch_ui;
use super::command::Command;
use super::theme;
use crate::core::annotation::{Annotation, AnnotationId, Kind};
use crate::core::document::Document;
use crate::core::text::shorten;

/// Filter state of the list (also hides kinds in the article).
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    /// Kinds switched off, indexed Claim, Quote, Figure.
    pub hidden: [bool; 3],
    /// Case-insensitive search in text, attributes and note.
    pub search: String,
}

impl ListFilter {
    /// True when the annotation passes the filter.
    #[must_use]
    pub fn accepts(&self, a: &Annotation) -> bool {
        let k = match a.kind() {
            Kind::Claim => 0,
            Kind::Quote => 1,
            Kind::Figure => 2,
        };
        if self.hidden[k] {
            return false;
        }
        let needle = self.search.trim().to_lowercase();
        needle.is_empty()
            || a.exact.to_lowercase().contains(&needle)
            || a.summary().to_lowercase().contains(&needle)
            || a.note.to_lowercase().contains(&needle)
    }
}

/// The text a row is labelled with (also its accessibility label).
#[must_use]
pub fn row_label(a: &Annotation) -> String {
    format!(
        "{}: {}",
        a.kind().label(),
        shorten(&a.exact.replace('\n', " "), 70)
    )
}

/// Shows the filter and the list. `scroll_to_selected` brings the selection into view.
pub fn list_ui(
    ui: &mut egui::Ui,
    doc: &Document,
    filter: &mut ListFilter,
    selected: Option<AnnotationId>,
    scroll_to_selected: bool,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        for (i, kind) in Kind::ALL.into_iter().enumerate() {
            let mut on = !filter.hidden[i];
            let text = RichText::new(format!("{} {}", kind.label(), doc.count(kind)))
                .color(theme::kind_color(kind, dark))
                .strong();
            if ui
                .checkbox(&mut on, text)
                .on_hover_text(format!("Show or hide {}s", kind.label().to_lowercase()))
                .changed()
            {
                filter.hidden[i] = !on;
            }
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label("Filter");
        // Labelled for screen readers (and the UI tests): a hint is not a name.
        ui.add(
            egui::TextEdit::singleline(&mut filter.search)
                .hint_text("text, speaker, source…")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    });
    ui.add_space(4.0);
    let visible: Vec<&Annotation> = doc
        .annotations()
        .iter()
        .filter(|a| filter.accepts(a))
        .collect();
    if visible.is_empty() {
        ui.weak(if doc.annotations().is_empty() {
            "No annotations yet. Select text in the article and press C, Q or F."
        } else {
            "No annotation matches the filter."
        });
        return commands;
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) * 2.0 + 10.0;
    let mut area = egui::ScrollArea::vertical()
        .id_salt("annotation-list")
        .auto_shrink(false);
    if scroll_to_selected && let Some(row) = visible.iter().position(|a| Some(a.id) == selected) {
        let spacing = ui.spacing().item_spacing.y;
        area = area.vertical_scroll_offset((row as f32 * (row_height + spacing) - 80.0).max(0.0));
    }
    area.show_rows(ui, row_height, visible.len(), |ui, rows| {
        for a in &visible[rows] {
            let is_selected = selected == Some(a.id);
            let response = ui
                .horizontal(|ui| {
                    ui.set_min_height(row_height);
                    swatch_ui(ui, a.kind());
                    ui.vertical(|ui| {
                        let r =
                            ui.add(egui::Button::selectable(is_selected, row_label(a)).truncate());
                        ui.add(
                            egui::Label::new(RichText::new(a.summary()).weak().small()).truncate(),
                        );
                        r
                    })
                    .inner
                })
                .inner;
            if response.clicked() {
                commands.push(Command::Select {
                    id: Some(a.id),
                    scroll: true,
                });
            }
        }
    });
    commands
}
