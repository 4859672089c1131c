//! Review mode: several annotators' files of one article side by side. Shows how far they
//! agree and lists every disputed annotation with each annotator's version, so the reviewer
//! can take one or drop it, then save an adjudicated file.

use eframe::egui::{self, RichText, text::LayoutJob};

use super::command::{Action, Command};
use super::theme;
use crate::core::agree::PairAgreement;
use crate::core::document::Document;
use crate::core::review::{Cluster, Decision};

/// Review state for the group of open documents that share the active article.
#[derive(Default)]
pub struct ReviewState {
    /// The state ids of the group's documents the agreement was computed for.
    pub(crate) key: Vec<u64>,
    /// Generation, active index and number of documents the group was found for.
    pub(crate) group_key: Option<(u64, usize, usize)>,
    /// Editor indices of the group (same article text), in open order.
    pub group: Vec<usize>,
    /// Annotator names, one per group member.
    pub names: Vec<String>,
    /// Pairwise agreement.
    pub pairs: Vec<PairAgreement>,
    /// Clusters of annotations, text order.
    pub clusters: Vec<Cluster>,
    /// One per cluster; agreed clusters need none.
    pub decisions: Vec<Option<Decision>>,
    /// Also list the agreed clusters.
    pub show_agreed: bool,
}

impl ReviewState {
    /// Disputed clusters.
    #[must_use]
    pub fn disputed(&self) -> usize {
        self.clusters.iter().filter(|c| !c.agreed).count()
    }

    /// Disputed clusters with a decision.
    #[must_use]
    pub fn decided(&self) -> usize {
        self.clusters
            .iter()
            .zip(&self.decisions)
            .filter(|(c, d)| !c.agreed && d.is_some())
            .count()
    }
}

/// The review tab.
pub fn review_ui(ui: &mut egui::Ui, state: &ReviewState, base: &Document) -> Vec<Command> {
    let mut commands = Vec::new();
    let dark = ui.visuals().dark_mode;
    egui::ScrollArea::vertical()
        .id_salt("review")
        .auto_shrink(false)
        .show(ui, |ui| {
            ui.add_space(8.0);
            ui.heading("Review");
            if state.group.len() < 2 {
                ui.weak(
                    "Open a second annotator's file of this article (File → Add article to \
                     workspace…) to compare their annotations here.",
                );
                return;
            }
            ui.label(format!(
                "{} annotators of “{}”: {}",
                state.names.len(),
                crate::core::text::shorten(&base.meta.title, 60),
                state.names.join(", ")
            ));
            ui.add_space(6.0);
            for p in &state.pairs {
                agreement_ui(ui, p);
            }
            ui.add_space(6.0);
            let disputed = state.disputed();
            let decided = state.decided();
            ui.horizontal(|ui| {
                ui.label(format!(
                    "{} agreed · {disputed} disputed · {decided} decided",
                    state.clusters.len() - disputed
                ));
                let ready = decided == disputed;
                if ui
                    .add_enabled(ready, egui::Button::new("Save adjudicated file…"))
                    .on_hover_text(Action::SaveAdjudicated.tooltip())
                    .on_disabled_hover_text("Decide every disputed annotation first")
                    .clicked()
                {
                    commands.push(Action::SaveAdjudicated.into());
                }
                let mut show = state.show_agreed;
                if ui.checkbox(&mut show, "Show agreed").changed() {
                    commands.push(Action::ToggleShowAgreed.into());
                }
            });
            ui.separator();
            for (i, c) in state.clusters.iter().enumerate() {
                if c.agreed && !state.show_agreed {
                    continue;
                }
                cluster_ui(ui, state, base, i, c, dark, &mut commands);
            }
        });
    commands
}

fn agreement_ui(ui: &mut egui::Ui, p: &PairAgreement) {
    ui.strong(format!("{} (A) and {} (B)", p.a, p.b));
    egui::Grid::new(("agree", &p.a, &p.b))
        .striped(true)
        .num_columns(6)
        .spacing([16.0, 3.0])
        .show(ui, |ui| {
            for h in [
                "Kind",
                "A / B",
                "Exact spans P · R · F1",
                "Overlapping P · R · F1",
                "Same value",
                "Same metric",
            ] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for k in &p.kinds {
                ui.label(k.kind);
                ui.label(format!("{} / {}", k.count_a, k.count_b));
                ui.label(format!(
                    "{:.2} · {:.2} · {:.2}",
                    k.exact.precision, k.exact.recall, k.exact.f1
                ));
                ui.label(format!(
                    "{:.2} · {:.2} · {:.2}",
                    k.overlap.precision, k.overlap.recall, k.overlap.f1
                ));
                let ratio = |r: Option<crate::core::agree::Ratio>| {
                    r.map_or_else(|| "—".to_owned(), |r| format!("{} of {}", r.n, r.of))
                };
                ui.label(ratio(k.same_value));
                ui.label(ratio(k.same_metric));
                ui.end_row();
            }
        });
}

fn cluster_ui(
    ui: &mut egui::Ui,
    state: &ReviewState,
    base: &Document,
    i: usize,
    c: &Cluster,
    dark: bool,
    commands: &mut Vec<Command>,
) {
    let color = theme::kind_color(c.kind, dark);
    let decision = state.decisions.get(i).copied().flatten();
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.colored_label(color, RichText::new(c.kind.label()).strong());
            if c.agreed {
                ui.label(RichText::new("agreed").color(theme::ok_color(dark)));
            } else if decision.is_some() {
                ui.weak("decided");
            } else {
                ui.label(RichText::new("disputed").color(theme::conflict_color(dark)));
            }
        });
        // Every annotator's version, stacked, with their span marked in its sentence.
        let sentence = base.text().sentence_around(c.span);
        for (vi, v) in c.versions.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                let name = state.names.get(v.doc).map_or("?", String::as_str);
                ui.label(RichText::new(format!("{name}:")).strong());
                ui.label(marked(base, sentence, v.annotation.parts(), color, ui));
            });
            ui.horizontal(|ui| {
                ui.add_space(16.0);
                ui.weak(v.annotation.summary());
                if !c.agreed
                    && ui
                        .add(egui::Button::selectable(
                            decision == Some(Decision::Take(vi)),
                            "Take",
                        ))
                        .on_hover_text("Keep this version in the adjudicated file")
                        .clicked()
                {
                    commands.push(Command::Decide {
                        cluster: i,
                        decision: Some(Decision::Take(vi)),
                    });
                }
            });
            if !v.annotation.note.is_empty() {
                ui.horizontal(|ui| {
                    ui.add_space(16.0);
                    ui.weak(format!("note: {}", v.annotation.note));
                });
            }
        }
        let missing: Vec<&str> = (0..state.names.len())
            .filter(|d| !c.versions.iter().any(|v| v.doc == *d))
            .map(|d| state.names[d].as_str())
            .collect();
        if !missing.is_empty() {
            ui.weak(format!("Not marked by {}.", missing.join(", ")));
        }
        if !c.agreed {
            ui.horizontal(|ui| {
                if ui
                    .add(egui::Button::selectable(
                        decision == Some(Decision::Drop),
                        "Drop",
                    ))
                    .on_hover_text("Keep none of the versions")
                    .clicked()
                {
                    commands.push(Command::Decide {
                        cluster: i,
                        decision: Some(Decision::Drop),
                    });
                }
                if decision.is_some() && ui.button("Undecide").clicked() {
                    commands.push(Command::Decide {
                        cluster: i,
                        decision: None,
                    });
                }
            });
        }
    });
}

/// The sentence with `span` in the kind's colour.
fn marked(
    base: &Document,
    sentence: crate::core::span::Span,
    parts: &[crate::core::span::Span],
    color: egui::Color32,
    ui: &egui::Ui,
) -> LayoutJob {
    use crate::core::span::Span;
    let text = base.text();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return LayoutJob::default();
    };
    let outer = Span::between(sentence.start.min(first.start), sentence.end.max(last.end));
    let mut job = LayoutJob::default();
    let font = egui::TextStyle::Body.resolve(ui.style());
    let plain = egui::TextFormat {
        font_id: font.clone(),
        color: ui.visuals().weak_text_color(),
        ..Default::default()
    };
    let hi = egui::TextFormat {
        font_id: font,
        color,
        underline: egui::Stroke::new(1.5, color),
        ..Default::default()
    };
    // Each part marked, and the words between the parts of a discontinuous annotation left
    // plain, as the annotator left them out.
    let mut at = outer.start;
    for p in parts {
        let gap = Span::between(at, p.start.max(at));
        job.append(&text.slice(gap).replace('\n', " "), 0.0, plain.clone());
        job.append(&text.slice(*p).replace('\n', " "), 0.0, hi.clone());
        at = p.end.max(at);
    }
    let after = Span::between(at, outer.end.max(at));
    job.append(&text.slice(after).replace('\n', " "), 0.0, plain);
    job.wrap.max_width = ui.available_width();
    job
}
