//! The article view: a calm reading column that lays the text out per paragraph, paints
//! only what is visible, and draws annotations as translucent backgrounds (which add up
//! where spans nest) plus an underline bar per nesting level.
//!
//! Layout is cached per paragraph and only depends on the text, the column width, the text
//! size and the theme — never on the annotations — so marking a span costs no relayout.
//! Paragraphs off screen keep an estimated height until they are measured; a few
//! milliseconds per frame measure more in the background, so long texts settle within
//! seconds while the window stays responsive. Only paragraphs near the viewport keep their
//! laid-out galleys (a galley costs about 150 bytes per char, a gigabyte for a 5 MB
//! article); the others keep just their height.

use std::sync::Arc;

use eframe::egui::{
    self, Align, CursorIcon, FontId, Galley, Pos2, Rect, Sense, Stroke, Vec2,
    epaint::text::{LayoutJob, TextFormat, cursor::CCursor},
    pos2, vec2,
};

use super::command::Command;
use super::theme;
use crate::core::annotation::{AnnotationId, Kind};
use crate::core::document::Document;
use crate::core::span::Span;
use crate::core::suggest::Candidate;

/// Time per frame spent measuring paragraphs off screen, so long texts settle in the
/// background without making any frame slow.
const BACKGROUND_BUDGET: std::time::Duration = std::time::Duration::from_millis(3);

/// Galleys are kept this many screen heights above and below the viewport.
const KEEP_SCREENS: f32 = 2.0;

/// One paragraph (a non-empty line) of the article.
#[derive(Clone)]
struct Block {
    span: Span,
    heading: bool,
    galley: Option<Arc<Galley>>,
    /// Height of the text (estimated until measured).
    height: f32,
    /// True once `height` comes from a real layout.
    measured: bool,
    /// Space after the paragraph.
    gap_after: f32,
}

/// What the cached layout depends on.
#[derive(Clone, Copy, PartialEq)]
struct LayoutKey {
    generation: u64,
    width: f32,
    text_size: f32,
    dark: bool,
}

/// The user's text selection: where the drag began and where it is now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    /// Where the selection started.
    pub anchor: usize,
    /// Where it ends (moves while dragging or shift-clicking).
    pub head: usize,
}

impl Selection {
    /// The selected chars.
    #[must_use]
    pub fn span(self) -> Span {
        Span::between(self.anchor, self.head)
    }
}

/// Keyboard scrolling of the article.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scroll {
    /// By this many screens (negative: up).
    Pages(f32),
    /// To the start.
    Start,
    /// To the end.
    End,
}

/// Inputs to one frame of the view.
pub struct ViewInput<'a> {
    /// The document shown.
    pub doc: &'a Document,
    /// Changes whenever a different document is opened.
    pub generation: u64,
    /// The selected annotation.
    pub selected: Option<AnnotationId>,
    /// Kinds hidden by the filter.
    pub hidden: [bool; 3],
    /// Text size in points.
    pub text_size: f32,
    /// Open suggestions in text order (empty when hidden).
    pub suggestions: &'a [std::sync::Arc<Candidate>],
    /// The focused suggestion, an index into `suggestions`.
    pub focused_suggestion: Option<usize>,
    /// Spans matching the find query, in text order.
    pub find_matches: &'a [Span],
}

/// State of the article view that lives across frames.
#[derive(Default)]
pub struct ArticleView {
    key: Option<LayoutKey>,
    blocks: Vec<Block>,
    /// Top of each block in content coordinates.
    tops: Vec<f32>,
    total_height: f32,
    /// The current text selection (the part being dragged).
    pub selection: Option<Selection>,
    /// Parts selected before the current one, by dragging with Shift held: together they
    /// make a discontinuous selection, which marks a discontinuous annotation.
    earlier_parts: Vec<Span>,
    /// Scroll to this char offset on the next frame.
    pub scroll_to: Option<usize>,
    /// Scroll by pages or to an end on the next frame (keyboard navigation).
    pub scroll: Option<Scroll>,
    /// Screen position of the text's origin, for tests and hit-testing.
    origin: Option<Pos2>,
    column_x: f32,
    /// Every block before this one is measured (where background measuring resumes).
    next_unmeasured: usize,
    /// Blocks that hold a galley (so dropping far ones does not scan every block).
    live: Vec<usize>,
}

impl ArticleView {
    /// The selected text from its first char to its last, if any chars are selected
    /// (across every part of a discontinuous selection).
    #[must_use]
    pub fn selected_span(&self) -> Option<Span> {
        // Asked several times a frame: no list is built, and parts that overlap (a shorter
        // one dragged inside a longer) still give the whole.
        self.parts().reduce(|a, b| Span {
            start: a.start.min(b.start),
            end: a.end.max(b.end),
        })
    }

    /// The non-empty selected parts, in the order they were made.
    fn parts(&self) -> impl Iterator<Item = Span> + '_ {
        self.earlier_parts
            .iter()
            .copied()
            .chain(self.selection.map(Selection::span))
            .filter(|s| !s.is_empty())
    }

    /// The selected parts in text order: one for an ordinary selection, several when more
    /// were added by dragging with Shift held; empty when nothing is selected.
    #[must_use]
    pub fn selected_parts(&self) -> Vec<Span> {
        let mut parts: Vec<Span> = self.parts().collect();
        parts.sort_by_key(|p| (p.start, p.end));
        parts
    }

    /// Selects `span` alone (or nothing), forgetting any earlier parts.
    pub fn set_selection(&mut self, span: Option<Span>) {
        self.earlier_parts.clear();
        self.selection = span.map(|s| Selection {
            anchor: s.start,
            head: s.end,
        });
    }

    /// True once every paragraph has its real height (long texts settle over a few frames).
    #[must_use]
    pub fn settled(&self) -> bool {
        self.key.is_some() && self.next_unmeasured >= self.blocks.len()
    }

    /// How many paragraphs hold a laid-out galley now (only those near the viewport).
    #[must_use]
    pub fn galleys_held(&self) -> usize {
        self.blocks.iter().filter(|b| b.galley.is_some()).count()
    }

    /// Number of paragraphs.
    #[must_use]
    pub fn paragraphs(&self) -> usize {
        self.blocks.len()
    }

    /// Forgets the layout (a new document was opened).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    fn rebuild_blocks(&mut self, doc: &Document, key: LayoutKey) {
        let text = doc.text();
        let size = key.text_size;
        let mut blocks: Vec<Block> = Vec::new();
        let line_count = text.line_count();
        let mut first = true;
        for line in 0..line_count {
            let span = text.line_span(line);
            if text.slice(span).trim().is_empty() {
                if let Some(last) = blocks.last_mut() {
                    last.gap_after = size * 0.9;
                }
                continue;
            }
            // A short first line followed by a blank line reads as the headline.
            let heading = first
                && span.len() < 160
                && line + 1 < line_count
                && text.line_span(line + 1).is_empty();
            first = false;
            let scale = if heading { 1.5 } else { 1.0 };
            let est_lines = ((span.len() as f32 * size * scale * 0.5) / key.width)
                .ceil()
                .max(1.0);
            blocks.push(Block {
                span,
                heading,
                galley: None,
                measured: false,
                height: est_lines * size * scale * theme::LINE_HEIGHT,
                gap_after: size * 0.35,
            });
        }
        self.blocks = blocks;
        self.key = Some(key);
        self.next_unmeasured = 0;
        self.live.clear();
        self.recompute_tops();
    }

    fn recompute_tops(&mut self) {
        self.tops.clear();
        let mut y = 0.0;
        for b in &self.blocks {
            self.tops.push(y);
            y += b.height + b.gap_after;
        }
        self.total_height = y;
    }

    fn layout_block(&mut self, ui: &egui::Ui, doc: &Document, i: usize, key: LayoutKey) -> bool {
        let block = &mut self.blocks[i];
        if block.galley.is_some() {
            return false;
        }
        let size = if block.heading {
            key.text_size * 1.5
        } else {
            key.text_size
        };
        let mut job = LayoutJob::single_section(
            doc.text().slice(block.span).to_owned(),
            TextFormat {
                font_id: FontId::proportional(size),
                color: theme::text_color(key.dark),
                line_height: Some(size * theme::LINE_HEIGHT),
                ..TextFormat::default()
            },
        );
        job.wrap.max_width = key.width;
        let galley = ui.painter().layout_job(job);
        let height = galley.rect.height();
        block.galley = Some(galley);
        self.live.push(i);
        let changed = !block.measured && (height - block.height).abs() > 0.5;
        block.measured = true;
        block.height = height;
        changed
    }

    /// Measures paragraphs off screen for up to [`BACKGROUND_BUDGET`]; their galleys are
    /// dropped again at the end of the frame unless they are near the viewport.
    fn measure_in_background(&mut self, ui: &egui::Ui, doc: &Document, key: LayoutKey) -> bool {
        let started = std::time::Instant::now();
        let mut changed = false;
        while self.next_unmeasured < self.blocks.len() {
            if started.elapsed() >= BACKGROUND_BUDGET {
                return changed;
            }
            let i = self.next_unmeasured;
            if !self.blocks[i].measured {
                changed |= self.layout_block(ui, doc, i, key);
            }
            self.next_unmeasured += 1;
        }
        changed
    }

    /// Drops the galleys of blocks far from the viewport (content coordinates).
    fn drop_far_galleys(&mut self, keep: std::ops::Range<f32>) {
        let (blocks, tops) = (&mut self.blocks, &self.tops);
        // `layout_block` adds a block only when it had no galley, so no block is listed twice.
        self.live.retain(|&i| {
            let near = tops[i] < keep.end && tops[i] + blocks[i].height > keep.start;
            if !near {
                blocks[i].galley = None;
            }
            near
        });
    }

    /// Index of the block at content y.
    fn block_at_y(&self, y: f32) -> usize {
        self.tops.partition_point(|top| *top <= y).saturating_sub(1)
    }

    /// Char offset (a boundary between chars) nearest to a screen position.
    fn boundary_at(&self, pos: Pos2) -> Option<usize> {
        let origin = self.origin?;
        if self.blocks.is_empty() {
            return None;
        }
        let y = pos.y - origin.y;
        let i = self.block_at_y(y);
        let block = &self.blocks[i];
        let local = pos - pos2(self.column_x, origin.y + self.tops[i]);
        let Some(galley) = &block.galley else {
            return Some(block.span.start);
        };
        if y > self.tops[i] + block.height {
            return Some(block.span.end);
        }
        let c = galley.cursor_from_pos(local);
        Some(block.span.start + c.index.0.min(block.span.len()))
    }

    /// The char under a screen position (not the nearest boundary).
    fn char_at(&self, pos: Pos2) -> Option<usize> {
        let origin = self.origin?;
        let y = pos.y - origin.y;
        let i = self.block_at_y(y);
        let block = self.blocks.get(i)?;
        if y > self.tops[i] + block.height || y < self.tops[i] {
            return None;
        }
        let galley = block.galley.as_ref()?;
        let local = pos - pos2(self.column_x, origin.y + self.tops[i]);
        let c = galley.cursor_from_pos(local);
        let at = galley.pos_from_cursor(c);
        let mut idx = c.index.0;
        if local.x < at.min.x {
            idx = idx.checked_sub(1)?;
        }
        if idx >= block.span.len() {
            return None;
        }
        Some(block.span.start + idx)
    }

    /// Screen position of the middle of char `offset` (for tests and scrolling).
    #[must_use]
    pub fn char_screen_pos(&self, offset: usize) -> Option<Pos2> {
        let origin = self.origin?;
        let i = self
            .blocks
            .partition_point(|b| b.span.end <= offset)
            .min(self.blocks.len().checked_sub(1)?);
        let block = &self.blocks[i];
        let galley = block.galley.as_ref()?;
        let local = offset.saturating_sub(block.span.start);
        let r = galley.pos_from_cursor(CCursor {
            index: egui::epaint::text::CharIndex(local),
            prefer_next_row: true,
        });
        let next = galley.pos_from_cursor(CCursor {
            index: egui::epaint::text::CharIndex(local + 1),
            prefer_next_row: false,
        });
        let x = f32::midpoint(r.min.x, next.min.x);
        Some(pos2(
            self.column_x + x,
            origin.y + self.tops[i] + r.center().y,
        ))
    }

    /// Shows the view; returns the commands the user gave.
    pub fn view_ui(&mut self, ui: &mut egui::Ui, input: &ViewInput<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        let dark = ui.visuals().dark_mode;
        let size = input.text_size;
        let avail = ui.available_width();
        let margin = (size * 2.0).min(avail * 0.08);
        let width = (size * theme::COLUMN_EMS)
            .min(avail - 2.0 * margin - 16.0)
            .max(120.0);
        let key = LayoutKey {
            generation: input.generation,
            width: width.round(),
            text_size: size,
            dark,
        };
        if self.key != Some(key) {
            self.rebuild_blocks(input.doc, key);
        }
        let scroll_to = self.scroll_to.take();
        if let Some(offset) = scroll_to {
            // Make sure everything above the target has its real height first.
            let target = self.blocks.partition_point(|b| b.span.end <= offset);
            let mut changed = false;
            for i in 0..=target.min(self.blocks.len().saturating_sub(1)) {
                if !self.blocks[i].measured || i + 2 >= target {
                    changed |= self.layout_block(ui, input.doc, i, key);
                }
            }
            if changed {
                self.recompute_tops();
            }
        }

        egui::ScrollArea::vertical()
            .id_salt("article")
            .auto_shrink(false)
            .show_viewport(ui, |ui, viewport| {
                // Lay out what is visible (plus a screen either way), then a background budget.
                let margin_y = viewport.height();
                let first = self.block_at_y(viewport.min.y - margin_y);
                let mut changed = false;
                let mut i = first;
                while i < self.blocks.len() && self.tops[i] <= viewport.max.y + margin_y {
                    changed |= self.layout_block(ui, input.doc, i, key);
                    i += 1;
                }
                changed |= self.measure_in_background(ui, input.doc, key);
                if changed {
                    self.recompute_tops();
                }

                if !self.settled() {
                    ui.ctx().request_repaint();
                }

                let top_pad = size * 1.5;
                let (rect, response) = ui.allocate_exact_size(
                    vec2(ui.available_width(), self.total_height + top_pad * 2.0),
                    Sense::click_and_drag(),
                );
                let origin = rect.min + vec2(0.0, top_pad);
                self.origin = Some(origin);
                self.column_x = rect.min.x + ((rect.width() - width) / 2.0).max(margin);
                response.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::Document, true, "Article text")
                });

                match self.scroll.take() {
                    // Keep a line of the old screen in view, as pagers do.
                    Some(Scroll::Pages(n)) => {
                        ui.scroll_with_delta(vec2(0.0, -n * (viewport.height() - size * 2.0)));
                    }
                    Some(Scroll::Start) => {
                        ui.scroll_to_rect(
                            Rect::from_min_size(rect.min, Vec2::splat(1.0)),
                            Some(Align::TOP),
                        );
                    }
                    Some(Scroll::End) => {
                        let end =
                            Rect::from_min_size(rect.max - Vec2::splat(1.0), Vec2::splat(1.0));
                        ui.scroll_to_rect(end, Some(Align::BOTTOM));
                    }
                    None => {}
                }
                if let Some(offset) = scroll_to
                    && let Some(p) = self.char_screen_pos(offset)
                {
                    let r = Rect::from_center_size(p, vec2(10.0, size * 3.0));
                    ui.scroll_to_rect(r, Some(Align::Center));
                }

                self.paint(ui, input, viewport.translate(rect.min.to_vec2()), rect);
                self.interact(ui, input, &response, &mut commands);
                // Last, so a scroll target far away kept its galley for the jump above.
                let keep = viewport.height() * KEEP_SCREENS;
                self.drop_far_galleys(viewport.min.y - keep..viewport.max.y + keep);
            });
        commands
    }

    fn paint(&self, ui: &egui::Ui, input: &ViewInput<'_>, visible: Rect, rect: Rect) {
        let dark = ui.visuals().dark_mode;
        let painter = ui.painter();
        let Some(origin) = self.origin else { return };
        let size = input.text_size;
        let width = self.key.map_or(0.0, |k| k.width);
        // The paper of the reading column.
        let paper = Rect::from_min_max(
            pos2(self.column_x - size * 1.5, rect.min.y),
            pos2(self.column_x + width + size * 1.5, rect.max.y),
        )
        .intersect(visible);
        painter.rect_filled(paper, 0.0, theme::paper(dark));

        let first = self.block_at_y(visible.min.y - origin.y);
        let selection = self.selected_parts();
        for i in first..self.blocks.len() {
            let top = origin.y + self.tops[i];
            if top > visible.max.y {
                break;
            }
            let block = &self.blocks[i];
            let Some(galley) = &block.galley else {
                continue;
            };
            let block_origin = pos2(self.column_x, top);
            let font = if block.heading { size * 1.5 } else { size };

            // Annotations in this paragraph, with nesting depth (0 = outermost).
            let anns: Vec<_> = input
                .doc
                .annotations_in(block.span)
                .filter(|a| !input.hidden[a.kind().index()])
                .collect();
            for a in &anns {
                let depth = anns
                    .iter()
                    .filter(|b| {
                        b.id != a.id && b.span.covers(a.span) && (b.span != a.span || b.id < a.id)
                    })
                    .count();
                let selected = input.selected == Some(a.id);
                let color = theme::kind_color(a.kind(), dark);
                // A discontinuous annotation is drawn on its parts only, never on the words
                // the annotator left out between them.
                let rects = a
                    .parts()
                    .iter()
                    .flat_map(|part| block_rects(galley, block.span, block_origin, *part, font));
                for r in rects {
                    painter.rect_filled(r, 2.0, theme::kind_fill(a.kind(), dark, selected));
                    let y = r.max.y + 1.0 + depth.min(3) as f32 * (theme::BAR + theme::BAR_GAP);
                    painter.line_segment(
                        [pos2(r.min.x, y), pos2(r.max.x, y)],
                        Stroke::new(theme::BAR, color),
                    );
                    if selected {
                        painter.rect_stroke(
                            r,
                            2.0,
                            Stroke::new(1.5, color),
                            egui::StrokeKind::Outside,
                        );
                    }
                }
            }
            // Find matches: a marker-pen underlay.
            let from_m = input
                .find_matches
                .partition_point(|m| m.end <= block.span.start);
            for m in &input.find_matches[from_m..] {
                if m.start >= block.span.end {
                    break;
                }
                for r in block_rects(galley, block.span, block_origin, *m, font) {
                    painter.rect_filled(r, 2.0, theme::find_fill(dark));
                }
            }
            // Suggestions: dashed outlines in their kind's colour, solid when focused.
            let from = input
                .suggestions
                .partition_point(|c| c.span.start < block.span.start)
                .saturating_sub(4);
            let to = input
                .suggestions
                .partition_point(|c| c.span.start < block.span.end);
            for (i, c) in input.suggestions[from..to].iter().enumerate() {
                let focused = input.focused_suggestion == Some(from + i);
                let color = theme::kind_color(c.kind, dark);
                for r in block_rects(galley, block.span, block_origin, c.span, font) {
                    let r = r.expand(1.0);
                    if focused {
                        painter.rect_filled(r, 2.0, theme::kind_fill(c.kind, dark, false));
                        painter.rect_stroke(
                            r,
                            2.0,
                            Stroke::new(2.0, color),
                            egui::StrokeKind::Outside,
                        );
                    } else {
                        let pts = [
                            r.left_top(),
                            r.right_top(),
                            r.right_bottom(),
                            r.left_bottom(),
                            r.left_top(),
                        ];
                        painter.extend(egui::Shape::dashed_line(
                            &pts,
                            Stroke::new(1.2, color),
                            theme::DASH,
                            theme::DASH_GAP,
                        ));
                    }
                }
            }
            for sel in &selection {
                for r in block_rects(galley, block.span, block_origin, *sel, font) {
                    painter.rect_filled(r, 0.0, theme::selection_fill(dark));
                }
            }
            painter.galley(
                block_origin,
                std::sync::Arc::clone(galley),
                theme::text_color(dark),
            );
        }
    }

    fn interact(
        &mut self,
        ui: &egui::Ui,
        input: &ViewInput<'_>,
        response: &egui::Response,
        commands: &mut Vec<Command>,
    ) {
        let pointer = response
            .interact_pointer_pos()
            .or_else(|| response.hover_pos());
        if response.hovered() {
            ui.ctx().set_cursor_icon(CursorIcon::Text);
        }
        let shift = ui.input(|i| i.modifiers.shift);
        if response.drag_started() {
            let press = ui.input(|i| i.pointer.press_origin()).or(pointer);
            if let Some(anchor) = press.and_then(|p| self.boundary_at(p)) {
                // Shift held: the selection so far is kept and this drag adds a part (a
                // discontinuous selection, for a quote broken by "he said"); else the drag
                // starts a new selection.
                match self.selection.map(Selection::span) {
                    Some(sel) if shift && !sel.is_empty() => self.earlier_parts.push(sel),
                    _ if shift => {}
                    _ => self.earlier_parts.clear(),
                }
                self.selection = Some(Selection {
                    anchor,
                    head: anchor,
                });
            }
        }
        if response.dragged()
            && let Some(head) = pointer.and_then(|p| self.boundary_at(p))
            && let Some(sel) = &mut self.selection
        {
            sel.head = head;
            // Keep scrolling when dragging past the edge.
            if let Some(p) = pointer {
                ui.scroll_to_rect(Rect::from_center_size(p, Vec2::splat(4.0)), None);
            }
        }
        if response.double_clicked() {
            if let Some(c) = pointer.and_then(|p| self.char_at(p)) {
                let word = input.doc.text().word_at(c);
                if !word.is_empty() {
                    self.set_selection(Some(word));
                }
            }
        } else if response.clicked() {
            let boundary = pointer.and_then(|p| self.boundary_at(p));
            if shift && let (Some(sel), Some(b)) = (&mut self.selection, boundary) {
                sel.head = b;
            } else {
                self.set_selection(None);
                // Select the innermost annotation under the pointer; clicking again on the
                // same spot walks outwards, so every nested span stays reachable.
                let hits: Vec<AnnotationId> = pointer
                    .and_then(|p| self.char_at(p))
                    .map(|c| {
                        input
                            .doc
                            .annotations_at(c)
                            .into_iter()
                            .filter(|a| !input.hidden[a.kind().index()])
                            .map(|a| a.id)
                            .collect()
                    })
                    .unwrap_or_default();
                let next = match input
                    .selected
                    .and_then(|s| hits.iter().position(|h| *h == s))
                {
                    Some(i) => hits.get(i + 1).or_else(|| hits.first()).copied(),
                    None => hits.first().copied(),
                };
                // A click on a suggestion (and on no annotation) focuses it.
                let suggestion = pointer
                    .and_then(|p| self.char_at(p))
                    .and_then(|c| input.suggestions.iter().position(|s| s.span.contains(c)));
                if next.is_none() && suggestion.is_some() {
                    commands.push(Command::FocusSuggestion(suggestion));
                } else {
                    commands.push(Command::Select {
                        id: next,
                        scroll: false,
                    });
                }
            }
        }
        // Hover: kind and attributes of everything under the pointer.
        if !response.dragged()
            && let Some(c) = response.hover_pos().and_then(|p| self.char_at(p))
        {
            let hits: Vec<_> = input
                .doc
                .annotations_at(c)
                .into_iter()
                .filter(|a| !input.hidden[a.kind().index()])
                .collect();
            let suggested: Vec<&Candidate> = input
                .suggestions
                .iter()
                .filter(|s| s.span.contains(c))
                .map(AsRef::as_ref)
                .collect();
            if hits.is_empty() && !suggested.is_empty() {
                let dark = ui.visuals().dark_mode;
                response.clone().on_hover_ui_at_pointer(|ui| {
                    ui.set_max_width(360.0);
                    for s in suggested {
                        ui.horizontal(|ui| {
                            ui.colored_label(
                                theme::kind_color(s.kind, dark),
                                format!("Suggested {}", s.kind.label().to_lowercase()),
                            );
                            ui.label(s.describe());
                        });
                    }
                    ui.weak("Click to focus it, then Enter accepts and X rejects.");
                });
            }
            if !hits.is_empty() {
                let dark = ui.visuals().dark_mode;
                response.clone().on_hover_ui_at_pointer(|ui| {
                    ui.set_max_width(360.0);
                    for a in hits {
                        ui.horizontal(|ui| {
                            ui.colored_label(theme::kind_color(a.kind(), dark), a.kind().label());
                            ui.label(a.summary());
                        });
                        if !a.note.is_empty() {
                            ui.weak(&a.note);
                        }
                    }
                    ui.weak("Click to select; click again for the enclosing span.");
                });
            }
        }
    }
}

/// Screen rectangles of `span` inside one laid-out paragraph (`block`, drawn at `origin`);
/// none when the span lies elsewhere.
fn block_rects(galley: &Galley, block: Span, origin: Pos2, span: Span, font: f32) -> Vec<Rect> {
    span.intersection(block).map_or_else(Vec::new, |local| {
        range_rects(
            galley,
            local.start - block.start,
            local.end - block.start,
            font,
        )
        .into_iter()
        .map(|r| r.translate(origin.to_vec2()))
        .collect()
    })
}

/// Rectangles covering chars `[a, b)` of a galley, one per row, shrunk to the font height.
fn range_rects(galley: &Galley, a: usize, b: usize, font: f32) -> Vec<Rect> {
    if b <= a {
        return Vec::new();
    }
    let start = galley.layout_from_cursor(CCursor {
        index: egui::epaint::text::CharIndex(a),
        prefer_next_row: true,
    });
    let end = galley.layout_from_cursor(CCursor {
        index: egui::epaint::text::CharIndex(b),
        prefer_next_row: false,
    });
    let band = font * 1.25;
    let mut rects = Vec::new();
    for row_nr in start.row..=end.row {
        let Some(row) = galley.rows.get(row_nr) else {
            break;
        };
        let x0 = if row_nr == start.row {
            row.x_offset(start.column) + row.pos.x
        } else {
            row.rect().left()
        };
        let x1 = if row_nr == end.row {
            row.x_offset(end.column) + row.pos.x
        } else {
            row.rect().right()
        };
        if x1 <= x0 {
            continue;
        }
        let mid = f32::midpoint(row.min_y(), row.max_y());
        rects.push(Rect::from_min_max(
            pos2(x0, mid - band / 2.0),
            pos2(x1, mid + band / 2.0),
        ));
    }
    rects
}

/// Draws a small swatch of a kind's colour (used in lists and the toolbar).
pub fn swatch_ui(ui: &mut egui::Ui, kind: Kind) -> egui::Response {
    let dark = ui.visuals().dark_mode;
    let (rect, response) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
    ui.painter()
        .rect_filled(rect, 2.0, theme::kind_color(kind, dark));
    response
}
