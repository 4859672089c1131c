//! The side panel's list of annotations: text order, filter by kind and by search string.

use eframe::egui::{self, RichText};

use super::article_view::swatch_ui;
use super::command::Command;
use super::theme;
use crate::core::annotation::{Annotation, AnnotationId, Kind};
use crate::core::document::Document;
use crate::core::text::shorten;

/// Filter state of the list (also hides kinds in the article), with the rows it lets
/// through cached until the document or the filter changes: a frame of a 50,000-annotation
/// document then costs the visible rows, not a pass over every annotation.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    /// Kinds switched off, indexed Claim, Quote, Figure.
    pub hidden: [bool; 3],
    /// Case-insensitive search in text, attributes and note.
    pub search: String,
    rows: Rows,
}

/// The rows passing the filter for one document state.
#[derive(Clone, Debug, Default)]
struct Rows {
    /// The document state and filter these rows are for.
    key: Option<(u64, [bool; 3], String)>,
    /// Indices into `Document::annotations()`; `None` when the filter lets everything
    /// through (the common case, which then costs nothing per edit).
    indices: Option<Vec<usize>>,
}

impl ListFilter {
    /// True when the annotation passes a filter hiding `hidden` kinds and searching for
    /// `needle` (trimmed, lower case).
    fn passes(a: &Annotation, hidden: [bool; 3], needle: &str) -> bool {
        !hidden[a.kind().index()]
            && (needle.is_empty()
                || a.exact.to_lowercase().contains(needle)
                || a.summary().to_lowercase().contains(needle)
                || a.note.to_lowercase().contains(needle))
    }

    /// Brings the cached rows up to date with `doc` in state `state` (any id that changes
    /// with every edit and differs between documents).
    pub fn refresh(&mut self, doc: &Document, state: u64) {
        // Compared in place: this runs every frame, and cloning the search text to build
        // a key would allocate each time.
        if let Some((s, hidden, search)) = &self.rows.key
            && *s == state
            && *hidden == self.hidden
            && *search == self.search
        {
            return;
        }
        let key = (state, self.hidden, self.search.clone());
        let needle = self.search.trim().to_lowercase();
        let everything = needle.is_empty() && self.hidden == [false; 3];
        let indices = (!everything).then(|| {
            let mut indices = self.rows.indices.take().unwrap_or_default();
            indices.clear();
            indices.extend(
                doc.annotations()
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| Self::passes(a, self.hidden, &needle))
                    .map(|(i, _)| i),
            );
            indices
        });
        self.rows = Rows {
            key: Some(key),
            indices,
        };
    }

    /// How many rows pass, and the index (into the document's annotations) of row `row`.
    fn row_count(&self, doc: &Document) -> usize {
        self.rows
            .indices
            .as_ref()
            .map_or_else(|| doc.annotations().len(), Vec::len)
    }

    fn row(&self, row: usize) -> usize {
        self.rows.indices.as_ref().map_or(row, |v| v[row])
    }

    /// The row showing annotation `index`, if it passes the filter.
    fn row_of(&self, index: usize) -> Option<usize> {
        match &self.rows.indices {
            None => Some(index),
            Some(v) => v.binary_search(&index).ok(),
        }
    }
}

/// The text a row is labelled with (also its accessibility label).
#[must_use]
pub fn row_label(a: &Annotation) -> String {
    format!(
        "{}: {}",
        a.kind().label(),
        shorten(&a.marked_text().replace('\n', " "), 70)
    )
}

/// Shows the filter and the list. `scroll_to_selected` brings the selection into view.
/// `state` identifies the document's current state (see [`ListFilter::refresh`]).
pub fn list_ui(
    ui: &mut egui::Ui,
    doc: &Document,
    state: u64,
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
    // Brought up to date here, after the filter may have changed just above.
    filter.refresh(doc, state);
    let all = doc.annotations();
    let count = filter.row_count(doc);
    if count == 0 {
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
    if scroll_to_selected
        && let Some(row) = selected
            .and_then(|id| doc.index_of(id))
            .and_then(|i| filter.row_of(i))
    {
        let spacing = ui.spacing().item_spacing.y;
        area = area.vertical_scroll_offset((row as f32 * (row_height + spacing) - 80.0).max(0.0));
    }
    area.show_rows(ui, row_height, count, |ui, rows| {
        for a in rows.map(|r| &all[filter.row(r)]) {
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
