//! The compare view: one block per metric family with its range, spread and conflicts, a
//! chart of every figure on one axis, a chart of the figures over the date reported, and a
//! table sorted by value. Clicking a figure shows it in its article.

use eframe::egui::{self, RichText};
use egui_plot::{Arrows, GridInput, GridMark, Line, Plot, PlotPoints, Points};

use super::command::Command;
use super::theme;
use crate::core::annotation::format_number;
use crate::core::compare::{Comparison, FamilyComparison, FigureEntry, format_ratio};

/// Values spanning more than this factor are charted on a log scale.
const LOG_SCALE_SPREAD: f64 = 20.0;

/// The x position of a value on the chart (log10 when `log`).
fn to_x(v: f64, log: bool) -> f64 {
    if log { v.max(1.0).log10() } else { v }
}

/// Ticks of a log axis at round values, 1, 2, 5, 10, 20, 50…, in the range shown: the
/// powers of ten strong, the others faint (the plot's own spacer would put them at `10^0.3`).
#[must_use]
#[expect(
    clippy::needless_pass_by_value,
    reason = "egui_plot's grid spacer takes its input by value"
)]
pub fn log_ticks(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let mut out = Vec::new();
    let first = lo.floor().max(0.0) as i32;
    let last = hi.ceil().min(15.0) as i32;
    for exp in first..=last {
        for (m, step) in [(1.0, 1.0), (2.0, 0.1), (5.0, 0.1)] {
            let x = (m * 10f64.powi(exp)).log10();
            if x >= lo && x <= hi {
                out.push(GridMark {
                    value: x,
                    step_size: step,
                });
            }
        }
    }
    out
}

/// Range lines drawn per family at most: each is a plot item of its own, and past a few
/// hundred they cost more per frame than they tell (the points remain).
const MAX_RANGE_LINES: usize = 300;

/// What the charts and the table need from a comparison, derived once when it changes
/// rather than on every frame (a family can hold thousands of figures).
#[derive(Default)]
pub struct CompareModel {
    families: Vec<FamilyModel>,
}

#[derive(Default)]
struct FamilyModel {
    /// Sources in first-seen order, for stable colours.
    sources: Vec<String>,
    /// Index into `sources` of each figure.
    source_of: Vec<usize>,
    /// Julian day each figure was reported, where it has a date.
    day: Vec<Option<f64>>,
    /// Distinct days reported.
    days: usize,
}

impl CompareModel {
    /// Derives the model of `comparison`.
    #[must_use]
    pub fn new(comparison: &Comparison) -> Self {
        let families = comparison
            .families
            .iter()
            .map(|fam| {
                let mut sources: Vec<String> = Vec::new();
                let mut index = std::collections::HashMap::new();
                let source_of = fam
                    .figures
                    .iter()
                    .map(|f| {
                        let name = source_name(f);
                        *index.entry(name.clone()).or_insert_with(|| {
                            sources.push(name);
                            sources.len() - 1
                        })
                    })
                    .collect();
                let day: Vec<Option<f64>> = fam
                    .figures
                    .iter()
                    .map(|f| {
                        let d = crate::core::annotation::parse_date(f.reported.as_deref()?).ok()?;
                        Some(f64::from(d.to_julian_day()))
                    })
                    .collect();
                let days = day
                    .iter()
                    .flatten()
                    .map(|d| *d as i64)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len();
                FamilyModel {
                    sources,
                    source_of,
                    day,
                    days,
                }
            })
            .collect();
        Self { families }
    }
}

fn source_name(f: &FigureEntry) -> String {
    if f.source.is_empty() {
        "unattributed".to_owned()
    } else {
        f.source.clone()
    }
}

/// Shows the comparison; returns commands (jumps to figures).
pub fn compare_ui(
    ui: &mut egui::Ui,
    comparison: &Comparison,
    model: &CompareModel,
    documents: usize,
    ledger: Option<&crate::core::ledger::Ledger>,
) -> Vec<Command> {
    // The app builds the model from this comparison, together with it.
    debug_assert_eq!(model.families.len(), comparison.families.len());
    let mut commands = Vec::new();
    let dark = ui.visuals().dark_mode;
    egui::ScrollArea::vertical()
        .id_salt("compare")
        .auto_shrink(false)
        .show(ui, |ui| {
            ui.add_space(8.0);
            if let Some(ledger) = ledger {
                commands.extend(super::ledger_view::ledger_ui(ui, ledger));
                ui.add_space(16.0);
                ui.separator();
            }
            ui.heading("Figures compared");
            let conflicts: usize = comparison.families.iter().map(|f| f.conflicts.len()).sum();
            let more = comparison.families.iter().any(|f| f.more_conflicts);
            ui.label(format!(
                "{} families of figures across {documents} article{} · {conflicts}{} conflict{}",
                comparison.families.len(),
                if documents == 1 { "" } else { "s" },
                if more { "+" } else { "" },
                if conflicts == 1 { "" } else { "s" },
            ));
            if comparison.families.is_empty() {
                ui.add_space(12.0);
                ui.weak("No figures yet. Mark numbers in the article with F to compare them here.");
            }
            for (fam, fm) in comparison.families.iter().zip(&model.families) {
                ui.add_space(12.0);
                egui::Frame::group(ui.style())
                    .inner_margin(10.0)
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        family_header_ui(ui, fam, dark);
                        legend_ui(ui, fm, dark);
                        strip_chart_ui(ui, fam, fm, dark);
                        timeline_chart_ui(ui, fam, fm, dark);
                        // A long table is folded: laid out only when opened, so a story of a
                        // thousand articles scrolls as fast as one.
                        egui::CollapsingHeader::new(format!(
                            "{} with their sentences",
                            crate::core::text::count(fam.figures.len(), "figure")
                        ))
                        .id_salt(("figures", &fam.metric))
                        .default_open(fam.figures.len() <= FOLD_OVER)
                        .show(ui, |ui| {
                            commands.extend(table_ui(ui, fam, fm, dark));
                        });
                        let (shown, folded) =
                            fam.conflicts.split_at(fam.conflicts.len().min(FOLD_OVER));
                        let conflict_line =
                            |ui: &mut egui::Ui, c: &crate::core::compare::Conflict| {
                                ui.horizontal_wrapped(|ui| {
                                    ui.colored_label(theme::conflict_color(dark), "Conflict:");
                                    ui.label(&c.reason);
                                });
                            };
                        for c in shown {
                            conflict_line(ui, c);
                        }
                        if !folded.is_empty() {
                            egui::CollapsingHeader::new(format!(
                                "{} more pairwise conflicts",
                                folded.len()
                            ))
                            .id_salt(("more-conflicts", &fam.metric))
                            .show(ui, |ui| {
                                for c in folded {
                                    conflict_line(ui, c);
                                }
                            });
                        }
                        if fam.more_conflicts {
                            ui.weak(format!(
                                "More pairs conflict; the {} with the widest gaps are listed.",
                                fam.conflicts.len()
                            ));
                        }
                    });
            }
        });
    commands
}

fn family_header_ui(ui: &mut egui::Ui, fam: &FamilyComparison, dark: bool) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(&fam.label).heading().strong());
        if let (Some(lo), Some(hi)) = (fam.min, fam.max) {
            ui.label(format!("range {} to {}", format_number(lo), format_number(hi)));
        }
        if let Some(s) = fam.spread {
            ui.label(format!("spread {}×", format_ratio(s)));
        }
        if fam.conflict {
            let n = fam.conflicts.len();
            let why: Vec<&str> = fam.conflicts.iter().map(|c| c.reason.as_str()).collect();
            ui.label(
                RichText::new(format!(
                    "{n}{} conflict{}",
                    if fam.more_conflicts { "+" } else { "" },
                    if n == 1 { "" } else { "s" }
                ))
                    .color(theme::conflict_color(dark))
                    .strong(),
            )
            .on_hover_text(why.join("\n\n"));
        } else if fam.metric != "other" {
            ui.label(RichText::new("consistent").color(theme::ok_color(dark)))
                .on_hover_text("Every pair of figures can be true at once (subtotals and tolls that grow over time are not contradictions).");
        }
    });
}

/// The colour of each source, as a row of chips above the charts: a legend inside the plot
/// would sit on top of the points it explains.
fn legend_ui(ui: &mut egui::Ui, fm: &FamilyModel, dark: bool) {
    ui.horizontal_wrapped(|ui| {
        ui.weak("Sources:");
        for (si, src) in fm.sources.iter().enumerate() {
            let (r, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
            ui.painter()
                .circle_filled(r.center(), 5.0, theme::series_color(si, dark));
            ui.label(src);
            ui.add_space(6.0);
        }
    });
}

/// Every figure as a point (and its interval as a line) on one value axis.
fn strip_chart_ui(ui: &mut egui::Ui, fam: &FamilyComparison, fm: &FamilyModel, dark: bool) {
    let log = fam.spread.is_some_and(|s| s > LOG_SCALE_SPREAD);
    let max = fam.max.unwrap_or(1.0);
    let rows = fam.figures.len();
    let height = (rows as f32 * 22.0 + 50.0).clamp(90.0, 260.0);
    let mut plot = Plot::new(("strip", &fam.metric))
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_axes([true, false])
        .show_grid([true, false])
        .include_y(-0.7)
        .include_y(rows as f64 - 0.3)
        .x_axis_label(if log { "value (log scale)" } else { "value" })
        .x_axis_formatter(move |mark: GridMark, _| {
            let v = if log {
                10f64.powf(mark.value)
            } else {
                mark.value
            };
            if v < 0.0 {
                String::new()
            } else {
                format_number(v.round())
            }
        })
        .label_formatter(|_| None);
    if log {
        plot = plot.x_grid_spacer(log_ticks);
    }
    // "More than 200" ends in an arrow a little past its value, not at the chart's edge.
    let open_end = |lo: f64| {
        if log {
            to_x(lo, true) + 0.12
        } else {
            lo + max * 0.08
        }
    };
    plot.show(ui, |plot_ui| {
        let mut pts: Vec<Vec<[f64; 2]>> = vec![Vec::new(); fm.sources.len()];
        let mut lines = 0;
        for (row, f) in fam.figures.iter().enumerate() {
            let (Some(low), Some(iv)) = (f.value_low, f.interval) else {
                continue;
            };
            let si = fm.source_of[row];
            let y = (rows - 1 - row) as f64;
            pts[si].push([to_x(low, log), y]);
            if lines >= MAX_RANGE_LINES {
                continue;
            }
            let color = theme::series_color(si, dark);
            if iv.hi.is_finite() {
                if (iv.hi - iv.lo).abs() > f64::EPSILON {
                    lines += 1;
                    let line = Line::new(
                        fm.sources[si].as_str(),
                        PlotPoints::new(vec![
                            [to_x(iv.lo.max(1.0), log), y],
                            [to_x(iv.hi, log), y],
                        ]),
                    )
                    .color(color)
                    .width(3.0);
                    plot_ui.line(line);
                }
            } else {
                lines += 1;
                let from = [to_x(iv.lo.max(1.0), log), y];
                let tip = [open_end(iv.lo.max(1.0)), y];
                plot_ui.arrows(
                    Arrows::new(fm.sources[si].as_str(), vec![from], vec![tip])
                        .color(color)
                        .tip_length(8.0),
                );
            }
        }
        for (si, pts) in pts.into_iter().enumerate() {
            plot_ui.points(
                Points::new(fm.sources[si].as_str(), PlotPoints::new(pts))
                    .color(theme::series_color(si, dark))
                    .radius(5.0),
            );
        }
    });
}

/// How the family's figures changed over the date reported.
fn timeline_chart_ui(ui: &mut egui::Ui, fam: &FamilyComparison, fm: &FamilyModel, dark: bool) {
    if fm.days < 2 {
        return;
    }
    let dated: Vec<(usize, &FigureEntry, f64)> = fam
        .figures
        .iter()
        .enumerate()
        .filter_map(|(i, f)| Some((fm.source_of[i], f, fm.day[i]?)))
        .collect();
    ui.add_space(4.0);
    ui.weak("Over the date reported: lines join a source's totals; hollow points count one group");
    date_plot(("timeline", &fam.metric), 150.0, fam.max.unwrap_or(1.0)).show(ui, |plot_ui| {
        for (si, src) in fm.sources.iter().enumerate() {
            let color = theme::series_color(si, dark);
            // A source's totals are joined into a line (the toll as it grew); its counts
            // of one group are points only, so "18 policemen" is not read as a total.
            for subtotal in [false, true] {
                let mut pts: Vec<[f64; 2]> = dated
                    .iter()
                    .filter(|(s, f, _)| *s == si && f.subtotal == subtotal)
                    .filter_map(|(_, f, d)| Some([*d, f.value_low?]))
                    .collect();
                if pts.is_empty() {
                    continue;
                }
                pts.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
                if !subtotal && pts.len() > 1 {
                    // One point a day, the day's highest total: several totals on one
                    // day would otherwise zig-zag up and down the same date.
                    let mut line: Vec<[f64; 2]> = Vec::new();
                    for p in &pts {
                        match line.last_mut() {
                            Some(last) if (last[0] - p[0]).abs() < 0.5 => {
                                last[1] = last[1].max(p[1]);
                            }
                            _ => line.push(*p),
                        }
                    }
                    plot_ui.line(Line::new(src.as_str(), PlotPoints::new(line)).color(color));
                }
                plot_ui.points(
                    Points::new(src.as_str(), PlotPoints::new(pts))
                        .color(color)
                        .filled(!subtotal)
                        .radius(if subtotal { 3.5 } else { 4.0 }),
                );
            }
        }
    });
}

/// A fixed chart over the reported date (julian days on x, values from 0 on y), with
/// headroom above `top` so the highest points are not cut by the frame.
pub fn date_plot<'a>(id: impl egui::AsIdSalt, height: f32, top: f64) -> Plot<'a> {
    Plot::new(id)
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .x_axis_formatter(|mark: GridMark, _| {
            time::Date::from_julian_day(mark.value.round() as i32)
                .map(crate::core::annotation::format_date)
                .unwrap_or_default()
        })
        .y_axis_formatter(|mark: GridMark, _| format_number(mark.value.round()))
        .include_y(0.0)
        .include_y(top * 1.12)
}

/// Lists longer than this (figures, conflicts) are folded until opened.
pub const FOLD_OVER: usize = 30;

/// The figures table's height at most; it scrolls within it, laying out only the rows in
/// view (a book-length report can have thousands of figures of one kind).
pub const TABLE_HEIGHT: f32 = 360.0;

fn table_ui(
    ui: &mut egui::Ui,
    fam: &FamilyComparison,
    fm: &FamilyModel,
    dark: bool,
) -> Vec<Command> {
    use egui_extras::{Column, TableBuilder};
    let mut commands = Vec::new();
    ui.add_space(6.0);
    // Figures in conflict, and why, once per table rather than per row and frame.
    let mut reasons: Vec<Vec<&str>> = vec![Vec::new(); fam.figures.len()];
    for c in &fam.conflicts {
        reasons[c.a].push(&c.reason);
        reasons[c.b].push(&c.reason);
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    // One virtual table: only the rows in view are laid out, however many figures; the
    // columns can be resized by dragging their edges.
    TableBuilder::new(ui)
        .id_salt(("table", &fam.metric))
        .striped(true)
        .resizable(true)
        .max_scroll_height(TABLE_HEIGHT)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::auto().at_least(120.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(80.0))
        .column(Column::auto().at_least(80.0))
        .column(Column::auto().at_least(80.0))
        .column(Column::initial(160.0).at_least(80.0))
        .column(Column::remainder().at_least(120.0).clip(true))
        .header(row_height, |mut header| {
            for h in [
                "Value", "Qualifier", "Who", "Place", "Source", "Reported", "Article", "In context",
            ] {
                header.col(|ui| {
                    ui.label(RichText::new(h).strong());
                });
            }
        })
        .body(|body| {
            body.rows(row_height, fam.figures.len(), |mut row| {
                let i = row.index();
                let f = &fam.figures[i];
                row.col(|ui| {
                    let color = theme::series_color(fm.source_of[i], dark);
                    let (r, _) = ui.allocate_exact_size(egui::vec2(8.0, 8.0), egui::Sense::hover());
                    ui.painter().circle_filled(r.center(), 4.0, color);
                    if ui
                        .link(f.value_text())
                        .on_hover_text(format!("Show “{}” in its article", f.exact))
                        .clicked()
                    {
                        commands.push(Command::JumpTo {
                            doc: f.doc_index,
                            id: f.id,
                        });
                    }
                    if !reasons[i].is_empty() {
                        ui.label(RichText::new("conflict").small().color(theme::conflict_color(dark)))
                            .on_hover_text(reasons[i].join("\n\n"));
                    }
                    if f.subtotal {
                        ui.label(RichText::new("subtotal").small().weak()).on_hover_text(
                            "A part of a total (one group or one place), not compared with other parts.",
                        );
                    }
                });
                let dash = |s: &str| if s.is_empty() { "—".to_owned() } else { s.to_owned() };
                row.col(|ui| {
                    ui.label(f.describe_qualifier());
                });
                row.col(|ui| {
                    ui.label(dash(&f.who));
                });
                row.col(|ui| {
                    ui.label(dash(&f.place));
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(dash(&f.source)).truncate());
                });
                row.col(|ui| {
                    ui.label(f.reported.as_deref().unwrap_or("—"));
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(f.document.as_ref()).truncate());
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(RichText::new(f.context.as_str()).weak()).truncate())
                        .on_hover_text(&f.context);
                });
            });
        });
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_ticks_fall_on_round_values() {
        let marks = log_ticks(GridInput {
            bounds: (0.0, 2.5),
            base_step_size: 0.01,
        });
        let values: Vec<f64> = marks.iter().map(|m| 10f64.powf(m.value).round()).collect();
        assert_eq!(values, [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0]);
        // Powers of ten are the strong lines.
        assert!(
            marks
                .iter()
                .filter(|m| (m.step_size - 1.0).abs() < f64::EPSILON)
                .all(|m| m.value.fract().abs() < 1e-9)
        );
    }
}
