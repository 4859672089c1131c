//! The ledger at the top of the Compare tab: per family, low / best / high, each source's
//! series (a line per source and a chart over the reported date), the real conflicts
//! first, then the claims with their citations (click one to jump to it).

use std::fmt::Write as _;

use eframe::egui::{self, RichText};
use egui_plot::{Line, PlotPoints, Points};

use super::command::Command;
use super::theme;
use crate::core::annotation::format_number;
use crate::core::ledger::{FamilyLedger, Ledger};

/// "One source?" rows shown at a time: each answer removes its row (and may answer others).
const SHOWN: usize = 10;

/// Draws the ledger and returns the jumps the user asked for.
pub fn ledger_ui(ui: &mut egui::Ui, ledger: &Ledger) -> Vec<Command> {
    let mut commands = Vec::new();
    let dark = ui.visuals().dark_mode;
    ui.heading("Ledger");
    let conflicts: usize = ledger.families.iter().map(|f| f.conflicts.len()).sum();
    ui.label(format!(
        "Each figure as a claim of one source, with every article citing it; {}.",
        crate::core::text::count(conflicts, "real conflict")
    ));
    for m in &ledger.missing {
        ui.weak(format!(
            "Note: {m} — add it in Article details for a dated ledger."
        ));
    }
    // Names kept apart that look like one source: the user decides, once.
    if ledger.maybe_same.len() > SHOWN {
        ui.weak(format!(
            "{} pairs of names may be one source; the first {SHOWN}:",
            ledger.maybe_same.len()
        ));
    }
    for m in ledger.maybe_same.iter().take(SHOWN) {
        ui.horizontal_wrapped(|ui| {
            let why = if m.why == "initials" {
                "one is the other's initials"
            } else {
                "spelled a letter or two apart"
            };
            ui.label(format!("One source? “{}” and “{}” ({why})", m.a, m.b));
            for (label, hover, same) in [
                (
                    "Same source",
                    "Count them as one source from now on (kept in your sources.ron)",
                    true,
                ),
                (
                    "Two sources",
                    "Keep them apart and do not ask again (kept in your sources.ron)",
                    false,
                ),
            ] {
                if ui.button(label).on_hover_text(hover).clicked() {
                    commands.push(Command::SameSource {
                        a: m.a.clone(),
                        b: m.b.clone(),
                        same,
                    });
                }
            }
        });
    }
    for fam in &ledger.families {
        ui.add_space(8.0);
        egui::Frame::group(ui.style())
            .inner_margin(10.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                family_ui(ui, fam, dark, &mut commands);
            });
    }
    commands
}

/// Conflicts listed before the rest fold away.
const SHOWN_CONFLICTS: usize = 10;

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "?".to_owned(), format_number)
}

fn family_ui(ui: &mut egui::Ui, fam: &FamilyLedger, dark: bool, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&fam.label).heading().strong());
        ui.label(format!("low {}", num(fam.low)));
        ui.label(RichText::new(format!("best {}", num(fam.best))).strong())
            .on_hover_text(format!("Best: {}", fam.best_rule));
        ui.label(format!("high {}", num(fam.high)));
    });
    ui.weak(format!("Best is {}.", fam.best_rule));
    // Sources: the latest figure, and the range of their claims (the chart shows each step).
    for (si, s) in fam.series.iter().enumerate() {
        let Some(&last) = s.claims.last() else {
            continue;
        };
        let latest = &fam.claims[last];
        let values = s.claims.iter().filter_map(|&i| fam.claims[i].value_low);
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        let mut line = format!(
            "latest {} ({})",
            latest.value_text(),
            latest.last_reported.as_deref().unwrap_or("undated")
        );
        if s.claims.len() > 1 && lo < hi {
            let _ = write!(
                line,
                " · from {} to {} in {}",
                format_number(lo),
                format_number(hi),
                crate::core::text::count(s.claims.len(), "claim")
            );
        }
        ui.horizontal_wrapped(|ui| {
            // U+2022: in every bundled font (U+25CF is not).
            ui.colored_label(theme::series_color(si, dark), "•");
            ui.label(RichText::new(&s.source).strong());
            ui.label(line);
        });
    }
    series_chart_ui(ui, fam, dark);
    // The widest first; a long list folds after the first few, laid out only when opened.
    let conflict_line = |ui: &mut egui::Ui, c: &crate::core::ledger::LedgerConflict| {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(theme::conflict_color(dark), "Conflict:");
            ui.add(egui::Label::new(&c.reason).wrap());
        });
    };
    let (shown, folded) = fam
        .conflicts
        .split_at(fam.conflicts.len().min(SHOWN_CONFLICTS));
    for c in shown {
        conflict_line(ui, c);
    }
    if !folded.is_empty() {
        egui::CollapsingHeader::new(format!("{} more conflicts", folded.len()))
            .id_salt(("ledger-more", &fam.metric))
            .show(ui, |ui| {
                for c in folded {
                    conflict_line(ui, c);
                }
            });
    }
    if fam.more_conflicts {
        ui.weak(format!(
            "More sources disagree; the {} widest conflicts are listed.",
            fam.conflicts.len()
        ));
    }
    egui::CollapsingHeader::new(format!(
        "{} with their citations",
        crate::core::text::count(fam.claims.len(), "claim")
    ))
    .id_salt(("ledger-claims", &fam.metric))
    .show(ui, |ui| {
        for c in &fam.claims {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(c.value_text()).strong());
                let scope = if c.place.is_empty() {
                    c.who.clone()
                } else {
                    format!("{} in {}", c.who, c.place)
                };
                ui.label(scope);
                ui.weak(if c.source.is_empty() {
                    "source unknown"
                } else {
                    &c.source
                });
                ui.weak(c.last_reported.as_deref().unwrap_or("undated"));
                for cite in &c.citations {
                    let name = cite
                        .outlet
                        .clone()
                        .unwrap_or_else(|| crate::core::text::shorten(&cite.document, 30));
                    if ui
                        .link(name)
                        .on_hover_text(format!("“{}” in {}", cite.exact, cite.document))
                        .clicked()
                    {
                        commands.push(Command::JumpTo {
                            doc: cite.doc_index,
                            id: cite.id,
                        });
                    }
                }
            });
        }
    });
}

/// Each source's claims over the reported date: a line per source.
fn series_chart_ui(ui: &mut egui::Ui, fam: &FamilyLedger, dark: bool) {
    let day = |d: &str| {
        crate::core::annotation::parse_date(d)
            .ok()
            .map(|d| f64::from(d.to_julian_day()))
    };
    let lines: Vec<Vec<[f64; 2]>> = fam
        .series
        .iter()
        .map(|s| {
            s.claims
                .iter()
                .filter_map(|&i| {
                    let c = &fam.claims[i];
                    Some([day(c.last_reported.as_deref()?)?, c.value_low?])
                })
                .collect()
        })
        .collect();
    let days: std::collections::BTreeSet<i64> =
        lines.iter().flatten().map(|p| p[0] as i64).collect();
    if days.len() < 2 {
        return;
    }
    super::compare_view::date_plot(
        ("ledger-series", &fam.metric),
        130.0,
        fam.high.unwrap_or(1.0),
    )
    .show(ui, |plot_ui| {
        for (si, (s, pts)) in fam.series.iter().zip(lines).enumerate() {
            if pts.is_empty() {
                continue;
            }
            let color = theme::series_color(si, dark);
            if pts.len() > 1 {
                plot_ui
                    .line(Line::new(s.source.as_str(), PlotPoints::new(pts.clone())).color(color));
            }
            plot_ui.points(
                Points::new(s.source.as_str(), PlotPoints::new(pts))
                    .color(color)
                    .radius(4.0),
            );
        }
    });
}
