//! Every user command, with its menu label, shortcut and tooltip in one place so the menu,
//! the toolbar, the keyboard and the help never disagree.

use std::path::PathBuf;

use eframe::egui::{Key, KeyboardShortcut, Modifiers};

use crate::core::annotation::{Annotation, AnnotationId, Kind};
use crate::core::span::Span;

/// Something the user asked for. The UI produces these; [`super::TallymarkApp::apply`]
/// carries them out.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Mark the text selection as an annotation of this kind.
    Mark(Kind),
    /// Delete the selected annotation.
    DeleteSelected,
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Save to the current file (asks where on first save).
    Save,
    /// Save under a new name.
    SaveAs,
    /// Choose a file to open.
    Open,
    /// Open this file (asks first about unsaved changes).
    OpenPath(PathBuf),
    /// Close the window (asks first about unsaved changes).
    Quit,
    /// Larger article text.
    ZoomIn,
    /// Smaller article text.
    ZoomOut,
    /// Default article text size.
    ZoomReset,
    /// Switch between light and dark.
    ToggleTheme,
    /// Show the keyboard shortcuts.
    ShowShortcuts,
    /// Select an annotation (or none); `scroll` brings it into view.
    Select {
        /// The annotation, or `None` to deselect.
        id: Option<AnnotationId>,
        /// Scroll the article to it.
        scroll: bool,
    },
    /// Set the text selection.
    SetSelection(Option<Span>),
    /// Replace an annotation with an edited copy. Consecutive updates with the same
    /// `merge_key` are one undo step.
    Update {
        /// The edited annotation (same id).
        annotation: Box<Annotation>,
        /// Which field changed, for merging keystrokes.
        merge_key: Option<String>,
    },
    /// Change the kind of an annotation.
    Relabel(AnnotationId, Kind),
    /// A text field lost focus: the next edit starts a new undo step.
    SealUndo,
    /// Show the article view.
    ShowArticle,
    /// Show the comparison of figures.
    ShowCompare,
    /// Show another open document.
    SwitchDocument(usize),
    /// Show a figure in its article: switch document and tab, select and scroll to it.
    JumpTo {
        /// Index of the document.
        doc: usize,
        /// The annotation.
        id: AnnotationId,
    },
    /// Choose a file to open beside the open ones (building a workspace).
    AddDocument,
    /// Save the list of open documents as a workspace file.
    SaveWorkspace,
    /// Focus the next suggestion (in text order).
    NextSuggestion,
    /// Focus the previous suggestion.
    PrevSuggestion,
    /// Turn the focused suggestion into an annotation.
    AcceptSuggestion,
    /// Reject the focused suggestion (remembered in the file).
    RejectSuggestion,
    /// Accept every suggested figure at once (one undo step).
    AcceptAllFigures,
    /// Show or hide suggestions.
    ToggleSuggestions,
    /// Also suggest claims.
    ToggleClaimSuggestions,
    /// Focus a suggestion by its index in the open list, or none.
    FocusSuggestion(Option<usize>),
    /// Export the document for review in a format (asks where).
    Export(crate::core::export::Format),
    /// Import annotations from brat or W3C JSON-LD as a new document.
    ImportAnnotations,
    /// Show the review of several annotators' files.
    ShowReview,
    /// Record (or clear) the decision on a disputed cluster.
    Decide {
        /// Index of the cluster.
        cluster: usize,
        /// The decision, or none to undecide.
        decision: Option<crate::core::review::Decision>,
    },
    /// Save the adjudicated annotations as a new file.
    SaveAdjudicated,
    /// Show or hide the agreed clusters in review.
    ToggleShowAgreed,
    /// Start a new document from pasted text.
    NewFromClipboard,
    /// Re-anchor the annotations onto a changed copy of the article (asks for the file).
    Reanchor,
    /// Place an orphaned annotation at the text selection.
    PlaceOrphan(AnnotationId),
    /// Delete an orphaned annotation.
    DeleteOrphan(AnnotationId),
    /// Open the find bar.
    Find,
    /// Go to the next match.
    FindNext,
    /// Go to the previous match.
    FindPrev,
    /// Close the find bar.
    CloseFind,
    /// Scroll the article down by a screen.
    PageDown,
    /// Scroll the article up by a screen.
    PageUp,
    /// Scroll to the start of the article.
    GoToStart,
    /// Scroll to the end of the article.
    GoToEnd,
}

/// The commands that have a menu entry or a key, in menu order.
pub const ACTIONS: [Command; 38] = [
    Command::Open,
    Command::NewFromClipboard,
    Command::AddDocument,
    Command::SaveWorkspace,
    Command::ImportAnnotations,
    Command::Reanchor,
    Command::Save,
    Command::SaveAs,
    Command::Quit,
    Command::Undo,
    Command::Redo,
    Command::Mark(Kind::Claim),
    Command::Mark(Kind::Quote),
    Command::Mark(Kind::Figure),
    Command::DeleteSelected,
    Command::Find,
    Command::FindNext,
    Command::FindPrev,
    Command::ZoomIn,
    Command::ZoomOut,
    Command::ZoomReset,
    Command::PageDown,
    Command::PageUp,
    Command::GoToStart,
    Command::GoToEnd,
    Command::ToggleTheme,
    Command::ShowArticle,
    Command::ShowCompare,
    Command::ShowReview,
    Command::SaveAdjudicated,
    Command::ShowShortcuts,
    Command::NextSuggestion,
    Command::PrevSuggestion,
    Command::AcceptSuggestion,
    Command::RejectSuggestion,
    Command::AcceptAllFigures,
    Command::ToggleSuggestions,
    Command::ToggleClaimSuggestions,
];

const fn ctrl(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

const fn ctrl_shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(
        Modifiers {
            alt: false,
            ctrl: false,
            shift: true,
            mac_cmd: false,
            command: true,
        },
        key,
    )
}

const fn plain(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

impl Command {
    /// Menu label.
    #[must_use]
    pub fn label(&self) -> &'static str {
        match self {
            Command::Mark(Kind::Claim) => "Mark as Claim",
            Command::Mark(Kind::Quote) => "Mark as Quote",
            Command::Mark(Kind::Figure) => "Mark as Figure",
            Command::DeleteSelected => "Delete annotation",
            Command::Undo => "Undo",
            Command::Redo => "Redo",
            Command::Save => "Save",
            Command::SaveAs => "Save as…",
            Command::Open => "Open…",
            Command::OpenPath(_) => "Open file",
            Command::Quit => "Quit",
            Command::ZoomIn => "Larger text",
            Command::ZoomOut => "Smaller text",
            Command::ZoomReset => "Default text size",
            Command::PageDown => "Page down",
            Command::PageUp => "Page up",
            Command::GoToStart => "Go to the start",
            Command::GoToEnd => "Go to the end",
            Command::ToggleTheme => "Light / dark theme",
            Command::ShowShortcuts => "Keyboard shortcuts",
            Command::Select { .. } => "Select annotation",
            Command::SetSelection(_) => "Select text",
            Command::Update { .. } => "Edit annotation",
            Command::Relabel(..) => "Change kind",
            Command::SealUndo => "",
            Command::ShowArticle => "Article",
            Command::ShowCompare => "Compare figures",
            Command::SwitchDocument(_) => "Switch article",
            Command::JumpTo { .. } => "Show in article",
            Command::AddDocument => "Add article to workspace…",
            Command::SaveWorkspace => "Save workspace…",
            Command::NextSuggestion => "Next suggestion",
            Command::PrevSuggestion => "Previous suggestion",
            Command::AcceptSuggestion => "Accept suggestion",
            Command::RejectSuggestion => "Reject suggestion",
            Command::AcceptAllFigures => "Accept all suggested figures",
            Command::ToggleSuggestions => "Show suggestions",
            Command::ToggleClaimSuggestions => "Suggest claims too",
            Command::FocusSuggestion(_) => "Focus suggestion",
            Command::Export(f) => f.label(),
            Command::ImportAnnotations => "Import annotations (brat, W3C)…",
            Command::ShowReview => "Review",
            Command::NewFromClipboard => "New article from clipboard…",
            Command::Find => "Find in article…",
            Command::FindNext => "Find next",
            Command::FindPrev => "Find previous",
            Command::CloseFind => "Close find",
            Command::Reanchor => "Re-anchor onto a changed article…",
            Command::PlaceOrphan(_) => "Place at selection",
            Command::DeleteOrphan(_) => "Delete orphan",
            Command::Decide { .. } => "Decide",
            Command::SaveAdjudicated => "Save adjudicated file…",
            Command::ToggleShowAgreed => "Show agreed",
        }
    }

    /// What the command does, for tooltips and the shortcut list.
    #[must_use]
    pub fn tooltip(&self) -> &'static str {
        match self {
            Command::Mark(Kind::Claim) => "Mark the selected text as a claim someone makes",
            Command::Mark(Kind::Quote) => "Mark the selected text as a direct quote",
            Command::Mark(Kind::Figure) => {
                "Mark the selected text as a figure; its number is read from the text"
            }
            Command::DeleteSelected => {
                "Delete the selected annotation (or reject the focused suggestion)"
            }
            Command::Undo => "Undo the last change",
            Command::Redo => "Redo the last undone change",
            Command::Save => "Save the annotations (RON)",
            Command::SaveAs => "Save the annotations under a new name",
            Command::Open => "Open an article (.txt, .md) or annotation file (.ron)",
            Command::Quit => "Close Tallymark",
            Command::ZoomIn => "Make the article text larger",
            Command::ZoomOut => "Make the article text smaller",
            Command::ZoomReset => "Reset the article text size",
            Command::PageDown => "Scroll the article down by a screen",
            Command::PageUp => "Scroll the article up by a screen",
            Command::GoToStart => "Scroll to the start of the article",
            Command::GoToEnd => "Scroll to the end of the article",
            Command::ToggleTheme => "Switch between the light and dark theme",
            Command::ShowShortcuts => "List every keyboard shortcut",
            Command::ShowArticle => "Read and annotate the article",
            Command::ShowCompare => {
                "Compare the figures of every open article side by side, with conflicts"
            }
            Command::AddDocument => {
                "Open another article or annotation file beside this one, to compare them"
            }
            Command::SaveWorkspace => {
                "Save the list of open articles as one workspace file, reopened as one"
            }
            Command::NextSuggestion => "Move to the next suggested figure or quote",
            Command::PrevSuggestion => "Move to the previous suggested figure or quote",
            Command::AcceptSuggestion => {
                "Make the focused suggestion an annotation, with its parsed attributes"
            }
            Command::RejectSuggestion => {
                "Dismiss the focused suggestion; the file remembers, so it does not come back"
            }
            Command::AcceptAllFigures => {
                "Accept every suggested figure at once (one undo step brings them back)"
            }
            Command::ToggleSuggestions => "Show or hide suggested figures and quotes",
            Command::Export(_) => "Write the annotations for a reviewer or another tool",
            Command::ShowReview => {
                "Compare several annotators' files of this article and decide where they differ"
            }
            Command::NewFromClipboard => "Paste an article's text to start annotating it",
            Command::Find => "Find words in the article; the match is selected, ready to mark",
            Command::FindNext => "Select the next match",
            Command::FindPrev => "Select the previous match",
            Command::Reanchor => {
                "Move these annotations onto a corrected or reformatted copy of the article; \
                 what cannot be placed is kept as an orphan"
            }
            Command::SaveAdjudicated => {
                "Save the agreed and decided annotations as a new file; the inputs are not changed"
            }
            Command::ImportAnnotations => {
                "Open annotations made in brat (.ann beside its .txt) or exported as W3C JSON-LD \
                 for the article shown"
            }
            Command::ToggleClaimSuggestions => {
                "Also suggest sentences that report an assertion (alleged, blamed, denied…)"
            }
            _ => "",
        }
    }

    /// The main keyboard shortcut.
    #[must_use]
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        Some(match self {
            Command::Mark(Kind::Claim) => plain(Key::C),
            Command::Mark(Kind::Quote) => plain(Key::Q),
            Command::Mark(Kind::Figure) => plain(Key::F),
            Command::DeleteSelected => plain(Key::Delete),
            Command::Undo => ctrl(Key::Z),
            Command::Redo => ctrl_shift(Key::Z),
            Command::Save => ctrl(Key::S),
            Command::SaveAs => ctrl_shift(Key::S),
            Command::Open => ctrl(Key::O),
            Command::Quit => ctrl(Key::Q),
            Command::ZoomIn => ctrl(Key::Plus),
            Command::ZoomOut => ctrl(Key::Minus),
            Command::ZoomReset => ctrl(Key::Num0),
            Command::PageDown => plain(Key::PageDown),
            Command::PageUp => plain(Key::PageUp),
            // Plain keys: they stay with a text field while one is being typed in.
            Command::GoToStart => plain(Key::Home),
            Command::GoToEnd => plain(Key::End),
            Command::ShowShortcuts => plain(Key::F1),
            Command::ShowArticle => ctrl(Key::Num1),
            Command::ShowCompare => ctrl(Key::Num2),
            Command::ShowReview => ctrl(Key::Num3),
            Command::Find => ctrl(Key::F),
            Command::FindNext => plain(Key::F3),
            Command::FindPrev => KeyboardShortcut::new(Modifiers::SHIFT, Key::F3),
            Command::NextSuggestion => plain(Key::N),
            Command::PrevSuggestion => plain(Key::P),
            Command::AcceptSuggestion => plain(Key::Enter),
            Command::RejectSuggestion => plain(Key::X),
            _ => return None,
        })
    }

    /// Further keys that do the same.
    #[must_use]
    pub fn alternate_shortcuts(&self) -> &'static [KeyboardShortcut] {
        const NUM1: [KeyboardShortcut; 1] = [plain(Key::Num1)];
        const NUM2: [KeyboardShortcut; 1] = [plain(Key::Num2)];
        const NUM3: [KeyboardShortcut; 1] = [plain(Key::Num3)];
        const BACKSPACE: [KeyboardShortcut; 1] = [plain(Key::Backspace)];
        const CTRL_Y: [KeyboardShortcut; 1] = [ctrl(Key::Y)];
        const CTRL_EQUALS: [KeyboardShortcut; 1] = [ctrl(Key::Equals)];
        const ACCEPT: [KeyboardShortcut; 1] = [plain(Key::A)];
        const CTRL_HOME: [KeyboardShortcut; 1] = [ctrl(Key::Home)];
        const CTRL_END: [KeyboardShortcut; 1] = [ctrl(Key::End)];
        match self {
            Command::Mark(Kind::Claim) => &NUM1,
            Command::Mark(Kind::Quote) => &NUM2,
            Command::Mark(Kind::Figure) => &NUM3,
            Command::DeleteSelected => &BACKSPACE,
            Command::Redo => &CTRL_Y,
            Command::ZoomIn => &CTRL_EQUALS,
            Command::AcceptSuggestion => &ACCEPT,
            Command::GoToStart => &CTRL_HOME,
            Command::GoToEnd => &CTRL_END,
            _ => &[],
        }
    }

    /// True for shortcuts without a modifier, which must not fire while typing in a field.
    #[must_use]
    pub fn is_plain_key(&self) -> bool {
        self.shortcut().is_some_and(|s| s.modifiers.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_label_tooltip_and_unique_keys() {
        let mut seen = Vec::new();
        for c in &ACTIONS {
            assert!(!c.label().is_empty());
            assert!(!c.tooltip().is_empty(), "{c:?}");
            let keys = c
                .shortcut()
                .into_iter()
                .chain(c.alternate_shortcuts().iter().copied());
            for k in keys {
                assert!(!seen.contains(&k), "{k:?} bound twice");
                seen.push(k);
            }
        }
    }
}
