//! Suggested figures and quotes: computed when an article opens (off the UI thread for long
//! texts), filtered against what the user already marked or rejected, and shown in a small
//! panel above the annotation list.

use std::sync::Arc;

use eframe::egui::{self, RichText};

use super::command::{Action, Command};
use super::job::Job;
use super::theme;
use crate::core::annotation::Kind;
use crate::core::document::Document;
use crate::core::suggest::{Candidate, Options, is_open, open_mask, suggest};

/// Texts longer than this (in chars) are searched on a background thread, so opening a
/// book never freezes the window. Shorter ones take well under a frame.
pub const BACKGROUND_THRESHOLD_CHARS: usize = 200_000;

/// What the suggestions were computed for: the open document and the options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuggestKey {
    /// Which text is shown (changes on open, switch and reload).
    pub text: u64,
    /// Also suggest claims.
    pub claims: bool,
    /// The article's publication date, which dates the figures.
    pub published: Option<time::Date>,
    /// The article's language as set (None: detected from the text).
    pub language: Option<crate::core::suggest::Lang>,
}

/// Suggestions for the document shown.
///
/// The open ones are kept up to date incrementally: after an edit only the suggestions
/// overlapping the changed spans are looked at again (see `Document::changes_since`), so
/// accepting one of 20,000 suggestions costs microseconds, not a pass over them all.
#[derive(Default)]
pub struct SuggestState {
    key: Option<SuggestKey>,
    /// Every suggestion, sorted by [`order`]; shared with `open`.
    all: Vec<Arc<Candidate>>,
    /// The longest suggestion (chars), to find those overlapping a change.
    longest: usize,
    running: Option<Job<Vec<Candidate>>>,
    open: Vec<Arc<Candidate>>,
    /// The document revision `open` is for (`Document::revision`).
    open_for: Option<u64>,
    /// The focused suggestion, an index into [`Self::open`].
    pub focus: Option<usize>,
    /// The language the suggestions were read in (as set, or detected from the text).
    pub language: Option<crate::core::suggest::Lang>,
}

impl SuggestState {
    /// Brings the suggestions up to date for `doc` (identified by `key`). Starts a
    /// background search for long texts.
    pub fn refresh(&mut self, ctx: &egui::Context, key: SuggestKey, doc: &Document) {
        if self.key != Some(key) {
            self.key = Some(key);
            self.all.clear();
            self.open.clear();
            self.open_for = None;
            self.focus = None;
            // Detection reads a sample of the text: cheap, and shown at once in the status
            // bar even while a long text is read in the background. The search is given the
            // language found, rather than detect it again.
            let language = key
                .language
                .unwrap_or_else(|| crate::core::suggest::Lang::detect(doc.text().as_str()));
            self.language = Some(language);
            let options = Options {
                claims: key.claims,
                published: key.published,
                language: Some(language),
                ..Options::default()
            };
            if doc.text().len_chars() > BACKGROUND_THRESHOLD_CHARS {
                let text = doc.text().as_str().to_owned();
                self.running = Some(Job::spawn("suggest", Some(ctx), move || {
                    suggest(&text, options).candidates()
                }));
            } else {
                self.running = None;
                self.set_all(suggest(doc.text().as_str(), options).candidates());
            }
        }
        if let Some(job) = &mut self.running
            && let Some(result) = job.poll()
        {
            self.running = None;
            self.open_for = None;
            match result {
                Ok(found) => self.set_all(found),
                // Suggestions are a help, not the user's work: an empty list, and a word
                // in the log, rather than an error notice for something they never asked.
                Err(e) => eprintln!("tallymark: no suggestions: {e}"),
            }
        }
        if self.open_for != Some(doc.revision()) && self.running.is_none() {
            let focused_span = self.focused().map(|c| c.span);
            if let Some(changed) = self.open_for.and_then(|since| doc.changes_since(since)) {
                self.update_open(doc, &changed);
            } else {
                let mask = open_mask(self.all.iter().map(AsRef::as_ref), doc);
                self.open = self
                    .all
                    .iter()
                    .zip(mask)
                    .filter(|(_, open)| *open)
                    .map(|(c, _)| Arc::clone(c))
                    .collect();
            }
            self.open_for = Some(doc.revision());
            // Keep the focus on the same suggestion, or on the one that took its place.
            self.focus = focused_span.and_then(|span| {
                let at = self.open.partition_point(|c| c.span.start < span.start);
                (at < self.open.len()).then_some(at)
            });
        }
    }

    fn set_all(&mut self, mut found: Vec<Candidate>) {
        found.sort_by_key(|c| (c.span.start, c.span.end, c.kind));
        self.longest = found.iter().map(|c| c.span.len()).max().unwrap_or(0);
        self.all = found.into_iter().map(Arc::new).collect();
    }

    /// Re-checks the suggestions overlapping `changed` and adds or removes them from `open`.
    fn update_open(&mut self, doc: &Document, changed: &[crate::core::span::Span]) {
        for span in changed {
            // Sorted by start: those overlapping `span` start in [span.start - longest, span.end).
            let lo = span.start.saturating_sub(self.longest);
            let from = self.all.partition_point(|c| c.span.start < lo);
            let to = self.all.partition_point(|c| c.span.start < span.end);
            for c in &self.all[from..to] {
                // Changed spans are never empty (edits refuse empty annotations and
                // rejections), so overlapping is the whole test.
                if !c.span.overlaps(*span) {
                    continue;
                }
                let key = order(c);
                let at = self.open.partition_point(|o| order(o) < key);
                let listed = self.open.get(at).is_some_and(|o| Arc::ptr_eq(o, c));
                match (listed, is_open(c, doc)) {
                    (true, false) => {
                        self.open.remove(at);
                    }
                    (false, true) => self.open.insert(at, Arc::clone(c)),
                    _ => {}
                }
            }
        }
    }

    /// True while a background search runs.
    #[must_use]
    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    /// The open suggestions, in text order.
    #[must_use]
    pub fn open(&self) -> &[Arc<Candidate>] {
        &self.open
    }

    /// The focused suggestion.
    #[must_use]
    pub fn focused(&self) -> Option<&Candidate> {
        self.focus.and_then(|i| self.open.get(i)).map(AsRef::as_ref)
    }

    /// Moves the focus by `step` (wrapping), starting near char `from` when nothing is
    /// focused. Returns the newly focused suggestion.
    pub fn step(&mut self, step: isize, from: usize) -> Option<&Candidate> {
        if self.open.is_empty() {
            self.focus = None;
            return None;
        }
        let n = self.open.len();
        let next = match self.focus {
            Some(i) => {
                if step >= 0 {
                    (i + step.unsigned_abs()) % n
                } else {
                    (i + n - step.unsigned_abs() % n) % n
                }
            }
            None if step >= 0 => self.open.partition_point(|c| c.span.start < from) % n,
            None => self
                .open
                .partition_point(|c| c.span.start < from)
                .checked_sub(1)
                .unwrap_or(n - 1),
        };
        self.focus = Some(next);
        self.open.get(next).map(AsRef::as_ref)
    }

    /// Forgets everything (the document was closed or replaced).
    pub fn reset(&mut self) {
        *self = Self::default();
    }
}

/// The suggestions box above the annotation list.
pub fn panel_ui(ui: &mut egui::Ui, state: &SuggestState, show: bool) -> Vec<Command> {
    let mut commands = Vec::new();
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        ui.strong("Suggestions");
        if state.running() {
            ui.spinner();
            ui.weak("finding…");
            return;
        }
        if !show {
            ui.weak("hidden");
            if ui
                .small_button("Show")
                .on_hover_text(Action::ToggleSuggestions.tooltip())
                .clicked()
            {
                commands.push(Action::ToggleSuggestions.into());
            }
            return;
        }
        let figures = state
            .open()
            .iter()
            .filter(|c| c.kind == Kind::Figure)
            .count();
        let quotes = state
            .open()
            .iter()
            .filter(|c| c.kind == Kind::Quote)
            .count();
        let claims = state
            .open()
            .iter()
            .filter(|c| c.kind == Kind::Claim)
            .count();
        let mut parts = vec![
            crate::core::text::count(figures, "figure"),
            crate::core::text::count(quotes, "quote"),
        ];
        if claims > 0 {
            parts.push(crate::core::text::count(claims, "claim"));
        }
        ui.weak(parts.join(" · "));
    });
    if !show || state.running() {
        return commands;
    }
    if state.open().is_empty() {
        ui.weak("Nothing left to review.");
        return commands;
    }
    ui.horizontal_wrapped(|ui| {
        for c in [Action::PrevSuggestion, Action::NextSuggestion] {
            let key = c
                .shortcut()
                .map(|k| ui.ctx().format_shortcut(&k))
                .unwrap_or_default();
            let label = if c == Action::PrevSuggestion {
                "‹ Prev"
            } else {
                "Next ›"
            };
            if ui
                .button(label)
                .on_hover_text(format!("{} ({key})", c.tooltip()))
                .clicked()
            {
                commands.push(c.into());
            }
        }
        for (kind, action, label) in [
            (Kind::Figure, Action::AcceptAllFigures, "Accept all figures"),
            (Kind::Quote, Action::AcceptAllQuotes, "Accept all quotes"),
        ] {
            let any = state.open().iter().any(|c| c.kind == kind);
            if ui
                .add_enabled(any, egui::Button::new(label))
                .on_hover_text(action.tooltip())
                .clicked()
            {
                commands.push(action.into());
            }
        }
    });
    match state.focused() {
        Some(c) => {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                // Wrapped, not one long line: a long quote must not widen the side panel.
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(theme::kind_color(c.kind, dark), c.kind.label());
                    ui.add(
                        egui::Label::new(
                            RichText::new(crate::core::text::quoted(&crate::core::text::shorten(
                                &c.exact, 60,
                            )))
                            .italics(),
                        )
                        .wrap(),
                    );
                });
                ui.add(egui::Label::new(RichText::new(c.describe()).weak()).wrap());
                ui.horizontal(|ui| {
                    if ui
                        .button("Accept (Enter)")
                        .on_hover_text(Action::AcceptSuggestion.tooltip())
                        .clicked()
                    {
                        commands.push(Action::AcceptSuggestion.into());
                    }
                    if ui
                        .button("Reject (X)")
                        .on_hover_text(Action::RejectSuggestion.tooltip())
                        .clicked()
                    {
                        commands.push(Action::RejectSuggestion.into());
                    }
                });
            });
        }
        None => {
            ui.weak("Press N to review them one by one: Enter accepts, X rejects.");
        }
    }
    commands
}

/// The order of `SuggestState::all` and `open`: text order, then shorter first, then kind.
fn order(c: &Arc<Candidate>) -> (usize, usize, Kind) {
    (c.span.start, c.span.end, c.kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::edit::{Edit, History};
    use crate::core::suggest::open_candidates;

    /// After every kind of edit (accept, reject, undo, an overlapping claim), the
    /// incrementally kept list equals a full recomputation.
    #[test]
    fn incremental_open_list_matches_a_full_recomputation() {
        let text = "Officials said more than 1,200 people were arrested in Almaty. “We saw it,” \
                    said a witness. About 164 people were killed and 26 protesters died, \
                    police said. Nearly 3,000 were detained on Friday.\n\n"
            .repeat(12);
        let mut doc = Document::from_article(&text, None);
        let ctx = egui::Context::default();
        let key = SuggestKey {
            text: 1,
            claims: false,
            published: None,
            language: None,
        };
        let mut state = SuggestState::default();
        state.refresh(&ctx, key, &doc);
        let all = suggest(doc.text().as_str(), Options::default()).candidates();
        assert!(state.open().len() > 30, "{}", state.open().len());
        let mut history = History::default();
        let now = time::OffsetDateTime::UNIX_EPOCH;
        for step in 0..40 {
            let open = state.open().to_vec();
            let c = &open[(step * 7) % open.len()];
            let edit = match step % 4 {
                0 => Edit::Insert(c.to_annotation(&doc, "t", now)),
                1 => Edit::Reject(c.rejected()),
                2 => {
                    // A claim over a whole sentence: its figures stay open (other kind).
                    let span = doc.text().sentence_around(c.span);
                    let mut a = doc.new_annotation(Kind::Claim, span, "t", now);
                    a.id = doc.next_id();
                    Edit::Insert(a)
                }
                _ => {
                    history.undo(&mut doc);
                    state.refresh(&ctx, key, &doc);
                    assert_eq!(
                        state.open().len(),
                        open_candidates(&all, &doc).len(),
                        "after undo at step {step}"
                    );
                    continue;
                }
            };
            history.apply(&mut doc, vec![edit], None).unwrap();
            state.refresh(&ctx, key, &doc);
            let mut fresh: Vec<_> = open_candidates(&all, &doc)
                .iter()
                .map(|c| (c.span.start, c.span.end, c.kind))
                .collect();
            fresh.sort_unstable();
            let kept: Vec<_> = state.open().iter().map(order).collect();
            assert_eq!(kept, fresh, "step {step}");
        }
    }
}
