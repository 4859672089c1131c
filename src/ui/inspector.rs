//! Editing the selected annotation: kind, attributes, note; delete.

use eframe::egui::{self, RichText};

use super::command::{Action, Command};
use super::theme;
use crate::core::annotation::{
    Annotation, Attributes, ClaimStatus, Kind, Qualifier, format_date, format_number, parse_date,
};
use crate::core::span::Span;
use crate::core::text::shorten;

/// Text buffers for fields whose text is not the stored value (numbers, dates), so the
/// user can type freely and see when the input does not parse.
#[derive(Default)]
pub struct InspectorBuffers {
    for_id: Option<(u64, u64)>,
    value_low: String,
    value_high: String,
    reported: String,
}

/// The parts of a discontinuous annotation, each removable, and what the article's
/// selection can do to the annotation: add its parts, or become its parts.
fn parts_ui(ui: &mut egui::Ui, a: &Annotation, selection: &[Span], commands: &mut Vec<Command>) {
    let parts = a.parts();
    if parts.len() > 1 {
        for (i, (p, text)) in parts.iter().zip(a.part_texts()).enumerate() {
            ui.horizontal(|ui| {
                ui.weak(format!("Part {} · chars {}–{}", i + 1, p.start, p.end));
                ui.label(crate::core::text::quoted(&shorten(&text, 60)));
                let remove = ui
                    .small_button("×")
                    .on_hover_text("Remove this part: the annotation no longer marks these words");
                remove.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        true,
                        format!("Remove part {}", i + 1),
                    )
                });
                if remove.clicked() {
                    let rest: Vec<Span> = parts
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != i)
                        .map(|(_, p)| *p)
                        .collect();
                    commands.push(Command::SetParts(a.id, rest));
                }
            });
        }
    }
    if selection.is_empty() || selection == parts {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Add the selection as a part")
            .on_hover_text(
                "The annotation also marks the selected words, and still not the words \
                 between its parts (a quote broken by \"he said\")",
            )
            .clicked()
        {
            let mut all = parts.to_vec();
            all.extend_from_slice(selection);
            commands.push(Command::SetParts(a.id, all));
        }
        if ui
            .button("Move to the selection")
            .on_hover_text("The annotation marks the selected words instead of its own")
            .clicked()
        {
            commands.push(Command::SetParts(a.id, selection.to_vec()));
        }
    });
}

fn num_text(v: Option<f64>) -> String {
    v.map(format_number).unwrap_or_default()
}

fn parse_num(s: &str) -> Result<Option<f64>, ()> {
    let t: String = s
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_'))
        .collect();
    if t.is_empty() {
        return Ok(None);
    }
    // The field shows its own error colour; why the number did not parse adds nothing.
    // "nan" and "inf" parse as floats but are no count: refused like any other non-number.
    t.parse::<f64>()
        .map_err(drop)
        .and_then(|v| if v.is_finite() { Ok(Some(v)) } else { Err(()) })
}

/// Shows the inspector for `a`; `selection` is the article's selected parts, which can be
/// added to it as parts or become its parts. `revision` changes when the document changed outside the
/// inspector (undo), so buffers reload.
pub fn inspector_ui(
    ui: &mut egui::Ui,
    a: &Annotation,
    selection: &[Span],
    revision: u64,
    buffers: &mut InspectorBuffers,
    metrics: &[String],
    groups: &crate::core::scope::Groups,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let dark = ui.visuals().dark_mode;
    if buffers.for_id != Some((a.id, revision)) {
        let f = a.figure();
        buffers.value_low = num_text(f.and_then(|f| f.value_low));
        buffers.value_high = num_text(f.and_then(|f| f.value_high));
        buffers.reported = f
            .and_then(|f| f.reported)
            .map(format_date)
            .unwrap_or_default();
    }
    let mut edited = a.clone();
    let mut edits = FieldEdits::default();

    ui.horizontal(|ui| {
        ui.label(RichText::new("Selected").strong());
        for kind in Kind::ALL {
            let text = RichText::new(kind.label()).color(theme::kind_color(kind, dark));
            if ui
                .add(egui::Button::selectable(a.kind() == kind, text))
                .on_hover_text(format!(
                    "Change this annotation into a {}",
                    kind.label().to_lowercase()
                ))
                .clicked()
                && a.kind() != kind
            {
                commands.push(Command::Relabel(a.id, kind));
            }
        }
    });
    ui.add(
        egui::Label::new(
            RichText::new(crate::core::text::quoted(&shorten(&a.marked_text(), 200))).italics(),
        )
        .wrap(),
    );
    ui.weak(format!("chars {}–{} · #{}", a.span.start, a.span.end, a.id));
    parts_ui(ui, a, selection, &mut commands);
    ui.add_space(4.0);

    egui::Grid::new("inspector-grid")
        .num_columns(2)
        .spacing([8.0, 6.0])
        .show(ui, |ui| match &mut edited.attributes {
            Attributes::Claim(c) => {
                text_field(ui, &mut edits, "Claimant", &mut c.claimant, "claimant");
                let label = ui.label("Status");
                egui::ComboBox::from_id_salt("claim-status")
                    .selected_text(c.status.label())
                    .show_ui(ui, |ui| {
                        for s in ClaimStatus::ALL {
                            ui.selectable_value(&mut c.status, s, s.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
            }
            Attributes::Quote(q) => {
                text_field(ui, &mut edits, "Speaker", &mut q.speaker, "speaker");
            }
            Attributes::Figure(f) => {
                num_field(
                    ui,
                    &mut edits,
                    dark,
                    "Value",
                    &mut buffers.value_low,
                    &mut f.value_low,
                    "value_low",
                );
                num_field(
                    ui,
                    &mut edits,
                    dark,
                    "High value",
                    &mut buffers.value_high,
                    &mut f.value_high,
                    "value_high",
                );
                let label = ui.label("Qualifier");
                egui::ComboBox::from_id_salt("qualifier")
                    .selected_text(f.qualifier.label())
                    .show_ui(ui, |ui| {
                        for q in Qualifier::ALL {
                            ui.selectable_value(&mut f.qualifier, q, q.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                // The format allows any metric: a field to type one's own, and a list of
                // the known ones beside it.
                let label = ui.label("Metric");
                ui.horizontal(|ui| {
                    let r = ui
                        .add(
                            egui::TextEdit::singleline(&mut f.metric)
                                .hint_text("killed, arrested, …")
                                .desired_width(150.0)
                                .id_salt("metric"),
                        )
                        .labelled_by(label.id);
                    if r.changed() {
                        edits.merge_key = Some("metric");
                    }
                    edits.lost_focus |= r.lost_focus();
                    egui::ComboBox::from_id_salt("metric-known")
                        .selected_text("")
                        .width(20.0)
                        .show_ui(ui, |ui| {
                            for m in metrics {
                                ui.selectable_value(&mut f.metric, m.clone(), m);
                            }
                        })
                        .response
                        .on_hover_text("Known metrics");
                });
                ui.end_row();
                text_field(ui, &mut edits, "Who", &mut f.who, "who");
                if let Some(line) = groups_line(groups, &f.who) {
                    ui.label("");
                    ui.weak(line);
                    ui.end_row();
                }
                text_field(ui, &mut edits, "Place", &mut f.place, "place");
                text_field(ui, &mut edits, "Source", &mut f.source, "source");
                // The user decides where the ledger's rules cannot.
                text_field(ui, &mut edits, "Claim name", &mut f.claim, "claim");
                text_field(ui, &mut edits, "Part of", &mut f.part_of, "part_of");
                ui.label("");
                ui.checkbox(&mut f.excluded, "Leave out of the comparison")
                    .on_hover_text(
                        "Figures with the same claim name, in any article, are one claim in the \
                         ledger; “Part of” names the claim this one is a part of; left out, it \
                         is in neither the comparison nor the ledger",
                    );
                ui.end_row();
                let label = ui.label("Reported");
                let bad =
                    !buffers.reported.trim().is_empty() && parse_date(&buffers.reported).is_err();
                let mut te = egui::TextEdit::singleline(&mut buffers.reported)
                    .hint_text("YYYY-MM-DD")
                    .desired_width(f32::INFINITY)
                    .id_salt("reported");
                if bad {
                    te = te.text_color(theme::error_color(dark));
                }
                let r = ui
                    .add(te)
                    .labelled_by(label.id)
                    .on_hover_text("Date the figure was reported, e.g. 2022-01-07");
                edits.lost_focus |= r.lost_focus();
                if r.changed() {
                    if buffers.reported.trim().is_empty() {
                        f.reported = None;
                        f.reported_from = None;
                        edits.merge_key = Some("reported");
                    } else if let Ok(d) = parse_date(&buffers.reported) {
                        f.reported = Some(d);
                        f.reported_from = Some(crate::core::scope::DateSource::Typed);
                        edits.merge_key = Some("reported");
                    }
                }
                ui.end_row();
                if let (Some(from), Some(_)) = (f.reported_from, f.reported) {
                    ui.label("");
                    ui.weak(from.label());
                    ui.end_row();
                }
            }
        });
    let label = ui.label("Note");
    let r = ui
        .add(
            egui::TextEdit::multiline(&mut edited.note)
                .desired_rows(3)
                .desired_width(f32::INFINITY)
                .id_salt("note"),
        )
        .labelled_by(label.id);
    edits.lost_focus |= r.lost_focus();
    if r.changed() {
        edits.merge_key = Some("note");
    }
    foreign_ui(ui, a, &mut commands);
    ui.weak(format!(
        "by {} · created {} · modified {}",
        if a.annotator.is_empty() {
            "unknown"
        } else {
            &a.annotator
        },
        short_time(a.created),
        short_time(a.modified)
    ));
    ui.add_space(6.0);
    if ui
        .button("Delete annotation")
        .on_hover_text(format!("{} (Delete)", Action::DeleteSelected.tooltip()))
        .clicked()
    {
        commands.push(Action::DeleteSelected.into());
    }

    // Combo boxes change without a merge key: each choice is its own undo step.
    if edited != *a {
        commands.push(Command::Update {
            annotation: Box::new(edited),
            merge_key: edits.merge_key.map(|k| format!("{}:{k}", a.id)),
        });
    }
    if edits.lost_focus {
        commands.push(Command::SealUndo);
    }
    buffers.for_id = Some((a.id, revision));
    commands
}

/// What the fields of one frame did.
#[derive(Default)]
struct FieldEdits {
    merge_key: Option<&'static str>,
    lost_focus: bool,
}

fn text_field(
    ui: &mut egui::Ui,
    edits: &mut FieldEdits,
    label: &str,
    value: &mut String,
    key: &'static str,
) {
    let label = ui.label(label);
    let r = ui
        .add(
            egui::TextEdit::singleline(value)
                .desired_width(f32::INFINITY)
                .id_salt(key),
        )
        .labelled_by(label.id);
    ui.end_row();
    edits.lost_focus |= r.lost_focus();
    if r.changed() {
        edits.merge_key = Some(key);
    }
}

fn num_field(
    ui: &mut egui::Ui,
    edits: &mut FieldEdits,
    dark: bool,
    label: &str,
    buf: &mut String,
    slot: &mut Option<f64>,
    key: &'static str,
) {
    let label = ui.label(label);
    let bad = parse_num(buf).is_err();
    let mut te = egui::TextEdit::singleline(buf)
        .desired_width(f32::INFINITY)
        .id_salt(key);
    if bad {
        te = te.text_color(theme::error_color(dark));
    }
    let r = ui
        .add(te)
        .labelled_by(label.id)
        .on_hover_text("A number; leave empty when unknown");
    edits.lost_focus |= r.lost_focus();
    if r.changed()
        && let Ok(v) = parse_num(buf)
    {
        *slot = v;
        edits.merge_key = Some(key);
    }
    ui.end_row();
}

/// What the annotation brought from another tool, read-only: its type there, attributes
/// and normalisations, notes, and links (each a button that selects the annotation it
/// links to).
fn foreign_ui(ui: &mut egui::Ui, a: &Annotation, commands: &mut Vec<Command>) {
    if a.label.is_none() && a.fields.is_empty() && a.notes.is_empty() && a.links.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.label(RichText::new("From another tool").strong());
    if let Some(label) = &a.label {
        ui.weak(format!("type {}", shorten(label, 60)));
    }
    for f in &a.fields {
        let text = match (&f.normalised, f.value.is_empty()) {
            (Some(named), _) => format!("{} {} ({})", f.name, f.value, named),
            (None, true) => f.name.clone(),
            (None, false) => format!("{}: {}", f.name, f.value),
        };
        ui.weak(shorten(&text, 120));
    }
    for n in &a.notes {
        ui.add(egui::Label::new(RichText::new(shorten(n, 300)).weak()).wrap());
    }
    for l in &a.links {
        let role = if l.role.is_empty() {
            String::new()
        } else {
            format!(" ({})", l.role)
        };
        if ui
            .link(format!("→ {}{role} of #{}", shorten(&l.label, 40), l.to))
            .on_hover_text("Select the annotation it links to")
            .clicked()
        {
            commands.push(Command::Select {
                id: Some(l.to),
                scroll: true,
            });
        }
    }
}

fn short_time(t: Option<time::OffsetDateTime>) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    // Imported from a tool that did not say: nothing is made up.
    t.map_or_else(
        || "unknown".to_owned(),
        |t| t.format(fmt).unwrap_or_default(),
    )
}

/// `group: children, part of civilians, part of people` for a `who` that names a group
/// (words, not ⊂: the bundled fonts have no mathematical signs).
fn groups_line(groups: &crate::core::scope::Groups, who: &str) -> Option<String> {
    let lineage = groups.lineage(who);
    let (first, wider) = lineage.split_first()?;
    let mut line = format!("group: {}", first.id);
    for g in wider {
        line.push_str(", part of ");
        line.push_str(&g.id);
    }
    Some(line)
}
