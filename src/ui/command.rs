//! What the user can ask for, and the messages the views send to `apply`.
//!
//! [`Action`] is every user action with a menu entry or a key: fieldless, with one
//! exhaustive [`Action::spec`] giving its label, tooltip and keys, so that the menu, the
//! toolbar, the keyboard and the shortcut list never disagree (as rerun's `UICommand`).
//! [`Command`] carries an action or an internal message with data (select this, update
//! that, a file was chosen); `TallymarkApp::apply` is the one place that carries them out.

use std::path::PathBuf;

use eframe::egui::{Key, KeyboardShortcut, Modifiers};

use super::file_dialog::Purpose;
use crate::core::annotation::{Annotation, AnnotationId, Kind};
use crate::core::span::Span;

/// A user action: a menu entry, a toolbar button or a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Choose a file to open.
    Open,
    /// Start a new document from pasted text.
    NewFromClipboard,
    /// Choose a file to open beside the open ones (building a workspace).
    AddDocument,
    /// Save the list of open documents as a workspace file.
    SaveWorkspace,
    /// Close the article shown (asks first about unsaved changes).
    CloseArticle,
    /// Import annotations from another tool as a new document.
    ImportAnnotations,
    /// Re-anchor the annotations onto a changed copy of the article.
    Reanchor,
    /// Save to the current file (asks where on first save).
    Save,
    /// Save under a new name.
    SaveAs,
    /// Close the window (asks first about unsaved changes).
    Quit,
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Mark the text selection as a claim.
    MarkClaim,
    /// Mark the text selection as a quote.
    MarkQuote,
    /// Mark the text selection as a figure.
    MarkFigure,
    /// Delete the selected annotation (or reject the focused suggestion).
    DeleteSelected,
    /// Let go of what is selected: the text (every part), else the annotation or suggestion.
    ClearSelection,
    /// Open the find bar.
    Find,
    /// Go to the next match.
    FindNext,
    /// Go to the previous match.
    FindPrev,
    /// Close the find bar.
    CloseFind,
    /// Larger article text.
    ZoomIn,
    /// Smaller article text.
    ZoomOut,
    /// Default article text size.
    ZoomReset,
    /// Scroll the article down by a screen.
    PageDown,
    /// Scroll the article up by a screen.
    PageUp,
    /// Scroll to the start of the article.
    GoToStart,
    /// Scroll to the end of the article.
    GoToEnd,
    /// Switch between light and dark.
    ToggleTheme,
    /// Show the article view.
    ShowArticle,
    /// Show the comparison of figures.
    ShowCompare,
    /// Show the review of several annotators' files.
    ShowReview,
    /// Save the adjudicated annotations as a new file.
    SaveAdjudicated,
    /// Show or hide the agreed clusters in review.
    ToggleShowAgreed,
    /// Show (or close) the keyboard shortcuts.
    ShowShortcuts,
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
    /// Accept every suggested quote at once (one undo step).
    AcceptAllQuotes,
    /// Read the value of every figure that has none from its marked words.
    ValuesFromText,
    /// Show or hide suggestions.
    ToggleSuggestions,
    /// Also suggest claims.
    ToggleClaimSuggestions,
}

/// What the menu, the toolbar, tooltips and the shortcut list show of an action.
#[derive(Clone, Copy, Debug)]
pub struct ActionSpec {
    /// Menu label.
    pub label: &'static str,
    /// What it does, for tooltips and the shortcut list.
    pub tooltip: &'static str,
    /// Its keys, the main one first (empty: menu only).
    pub keys: &'static [KeyboardShortcut],
}

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

const fn spec(
    label: &'static str,
    tooltip: &'static str,
    keys: &'static [KeyboardShortcut],
) -> ActionSpec {
    ActionSpec {
        label,
        tooltip,
        keys,
    }
}

impl Action {
    /// Every action, in menu order (the shortcut list follows it).
    pub const ALL: [Self; 44] = [
        Self::Open,
        Self::NewFromClipboard,
        Self::AddDocument,
        Self::SaveWorkspace,
        Self::CloseArticle,
        Self::ImportAnnotations,
        Self::Reanchor,
        Self::Save,
        Self::SaveAs,
        Self::Quit,
        Self::Undo,
        Self::Redo,
        Self::MarkClaim,
        Self::MarkQuote,
        Self::MarkFigure,
        Self::DeleteSelected,
        Self::ClearSelection,
        Self::Find,
        Self::FindNext,
        Self::FindPrev,
        Self::CloseFind,
        Self::ZoomIn,
        Self::ZoomOut,
        Self::ZoomReset,
        Self::PageDown,
        Self::PageUp,
        Self::GoToStart,
        Self::GoToEnd,
        Self::ToggleTheme,
        Self::ShowArticle,
        Self::ShowCompare,
        Self::ShowReview,
        Self::SaveAdjudicated,
        Self::ToggleShowAgreed,
        Self::ShowShortcuts,
        Self::NextSuggestion,
        Self::PrevSuggestion,
        Self::AcceptSuggestion,
        Self::RejectSuggestion,
        Self::AcceptAllFigures,
        Self::AcceptAllQuotes,
        Self::ValuesFromText,
        Self::ToggleSuggestions,
        Self::ToggleClaimSuggestions,
    ];

    /// Label, tooltip and keys: one exhaustive table, so a new action cannot be left
    /// without them.
    #[must_use]
    pub const fn spec(self) -> ActionSpec {
        match self {
            Self::Open => spec(
                "Open…",
                "Open an article (.txt, .md, .html) or annotation file (.ron)",
                const { &[ctrl(Key::O)] },
            ),
            Self::NewFromClipboard => spec(
                "New article from clipboard…",
                "Paste an article's text to start annotating it",
                &[],
            ),
            Self::AddDocument => spec(
                "Add article to workspace…",
                "Open another article or annotation file beside this one, to compare them",
                &[],
            ),
            Self::SaveWorkspace => spec(
                "Save workspace…",
                "Save the list of open articles as one workspace file, reopened as one",
                &[],
            ),
            Self::CloseArticle => spec(
                "Close article",
                "Close the article shown; save the workspace afterwards to remove it from the \
                 workspace file too",
                const { &[ctrl(Key::W)] },
            ),
            Self::ImportAnnotations => spec(
                "Import annotations…",
                "Bring in annotations made in another tool: brat (.ann beside its .txt), \
                 Label Studio JSON, doccano or spaCy JSONL (each with its own text), or W3C \
                 JSON-LD for the article shown. Opening such a file imports it too",
                &[],
            ),
            Self::Reanchor => spec(
                "Re-anchor onto a changed article…",
                "Move these annotations onto a corrected or reformatted copy of the article; \
                 what cannot be placed is kept as an orphan",
                &[],
            ),
            Self::Save => spec(
                "Save",
                "Save the annotations (RON)",
                const { &[ctrl(Key::S)] },
            ),
            Self::SaveAs => spec(
                "Save as…",
                "Save the annotations under a new name",
                const { &[ctrl_shift(Key::S)] },
            ),
            Self::Quit => spec("Quit", "Close Tallymark", const { &[ctrl(Key::Q)] }),
            Self::Undo => spec("Undo", "Undo the last change", const { &[ctrl(Key::Z)] }),
            Self::Redo => spec(
                "Redo",
                "Redo the last undone change",
                const { &[ctrl_shift(Key::Z), ctrl(Key::Y)] },
            ),
            Self::MarkClaim => spec(
                "Mark as Claim",
                "Mark the selected text as a claim someone makes",
                const { &[plain(Key::C), plain(Key::Num1)] },
            ),
            Self::MarkQuote => spec(
                "Mark as Quote",
                "Mark the selected text as a direct quote",
                const { &[plain(Key::Q), plain(Key::Num2)] },
            ),
            Self::MarkFigure => spec(
                "Mark as Figure",
                "Mark the selected text as a figure; its number is read from the text",
                const { &[plain(Key::F), plain(Key::Num3)] },
            ),
            Self::DeleteSelected => spec(
                "Delete annotation",
                "Delete the selected annotation (or reject the focused suggestion)",
                const { &[plain(Key::Delete), plain(Key::Backspace)] },
            ),
            Self::ClearSelection => spec(
                "Clear selection",
                "Close the find bar; else let go of the selected text (every part of it), \
                 else of the selected annotation or suggestion",
                const { &[plain(Key::Escape)] },
            ),
            Self::Find => spec(
                "Find in article…",
                "Find words in the article; Enter selects the match, ready to mark",
                const { &[ctrl(Key::F)] },
            ),
            Self::FindNext => spec(
                "Find next",
                "Select the next match",
                const { &[plain(Key::F3)] },
            ),
            Self::FindPrev => spec(
                "Find previous",
                "Select the previous match",
                const { &[KeyboardShortcut::new(Modifiers::SHIFT, Key::F3)] },
            ),
            Self::CloseFind => spec("Close find", "Close the find bar", &[]),
            Self::ZoomIn => spec(
                "Larger text",
                "Make the article text larger",
                const { &[ctrl(Key::Plus), ctrl(Key::Equals)] },
            ),
            Self::ZoomOut => spec(
                "Smaller text",
                "Make the article text smaller",
                const { &[ctrl(Key::Minus)] },
            ),
            Self::ZoomReset => spec(
                "Default text size",
                "Reset the article text size",
                const { &[ctrl(Key::Num0)] },
            ),
            Self::PageDown => spec(
                "Page down",
                "Scroll the article down by a screen",
                const { &[plain(Key::PageDown)] },
            ),
            Self::PageUp => spec(
                "Page up",
                "Scroll the article up by a screen",
                const { &[plain(Key::PageUp)] },
            ),
            // Plain keys: they stay with a text field while one is being typed in.
            Self::GoToStart => spec(
                "Go to the start",
                "Scroll to the start of the article",
                const { &[plain(Key::Home), ctrl(Key::Home)] },
            ),
            Self::GoToEnd => spec(
                "Go to the end",
                "Scroll to the end of the article",
                const { &[plain(Key::End), ctrl(Key::End)] },
            ),
            Self::ToggleTheme => spec(
                "Light / dark theme",
                "Switch between the light and dark theme",
                &[],
            ),
            Self::ShowArticle => spec(
                "Article",
                "Read and annotate the article",
                const { &[ctrl(Key::Num1)] },
            ),
            Self::ShowCompare => spec(
                "Compare figures",
                "Compare the figures of every open article side by side, with conflicts",
                const { &[ctrl(Key::Num2)] },
            ),
            Self::ShowReview => spec(
                "Review",
                "Compare several annotators' files of this article and decide where they differ",
                const { &[ctrl(Key::Num3)] },
            ),
            Self::SaveAdjudicated => spec(
                "Save adjudicated file…",
                "Save the agreed and decided annotations as a new file; the inputs are not \
                 changed",
                &[],
            ),
            Self::ToggleShowAgreed => spec(
                "Show agreed",
                "Also list the annotations every annotator agrees on",
                &[],
            ),
            Self::ShowShortcuts => spec(
                "Keyboard shortcuts",
                "List every keyboard shortcut (Esc closes the list)",
                const { &[plain(Key::F1)] },
            ),
            Self::NextSuggestion => spec(
                "Next suggestion",
                "Move to the next suggested figure or quote",
                const { &[plain(Key::N)] },
            ),
            Self::PrevSuggestion => spec(
                "Previous suggestion",
                "Move to the previous suggested figure or quote",
                const { &[plain(Key::P)] },
            ),
            Self::AcceptSuggestion => spec(
                "Accept suggestion",
                "Make the focused suggestion an annotation, with its parsed attributes",
                const { &[plain(Key::Enter), plain(Key::A)] },
            ),
            Self::RejectSuggestion => spec(
                "Reject suggestion",
                "Dismiss the focused suggestion; the file remembers, so it does not come back",
                const { &[plain(Key::X)] },
            ),
            Self::AcceptAllFigures => spec(
                "Accept all suggested figures",
                "Accept every suggested figure at once (one undo step brings them back)",
                &[],
            ),
            Self::AcceptAllQuotes => spec(
                "Accept all suggested quotes",
                "Accept every suggested quote at once (one undo step brings them back)",
                &[],
            ),
            Self::ValuesFromText => spec(
                "Read figure values from their text",
                "Give every figure without a value the number its marked words say (figures \
                 imported from a tool that only marked where they are); one undo step",
                &[],
            ),
            Self::ToggleSuggestions => spec(
                "Show suggestions",
                "Show or hide suggested figures and quotes",
                &[],
            ),
            Self::ToggleClaimSuggestions => spec(
                "Suggest claims too",
                "Also suggest sentences that report an assertion (alleged, blamed, denied…)",
                &[],
            ),
        }
    }

    /// Menu label.
    #[must_use]
    pub const fn label(self) -> &'static str {
        self.spec().label
    }

    /// What the action does, for tooltips and the shortcut list.
    #[must_use]
    pub const fn tooltip(self) -> &'static str {
        self.spec().tooltip
    }

    /// The main keyboard shortcut.
    #[must_use]
    pub const fn shortcut(self) -> Option<KeyboardShortcut> {
        match self.spec().keys {
            [first, ..] => Some(*first),
            [] => None,
        }
    }

    /// True for shortcuts without a modifier, which must not fire while typing in a field.
    #[must_use]
    pub fn is_plain_key(self) -> bool {
        self.shortcut().is_some_and(|s| s.modifiers.is_none())
    }

    /// The action that marks text as `kind`.
    #[must_use]
    pub const fn mark(kind: Kind) -> Self {
        match kind {
            Kind::Claim => Self::MarkClaim,
            Kind::Quote => Self::MarkQuote,
            Kind::Figure => Self::MarkFigure,
        }
    }
}

/// How the user answered the "changed on disk" question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskChoice {
    /// Drop the unsaved changes and read the file again.
    Reload,
    /// Overwrite the file with this version.
    KeepMine,
    /// Save under another name.
    SaveElsewhere,
}

/// How the user answered "unsaved changes?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsavedChoice {
    /// Save, then go on.
    Save,
    /// Go on without saving.
    Discard,
}

/// An action or a message for [`super::TallymarkApp::apply`].
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// A user action.
    Action(Action),
    /// Import this file with these types mapped (`(type, kind)`, kind one of claim,
    /// quote, figure, skip), remembered for its folder: the answer of the mapping step.
    ImportMapped(PathBuf, Vec<(String, String)>),
    /// Open this file (asks first about unsaved changes).
    OpenPath(PathBuf),
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
    /// Put an annotation on these parts of the text (several: a discontinuous annotation).
    SetParts(AnnotationId, Vec<Span>),
    /// The user's answer to "one source?" in the ledger, remembered in `sources.ron`.
    SameSource {
        /// One name.
        a: String,
        /// The other.
        b: String,
        /// True: one source; false: two.
        same: bool,
    },
    /// Set the article's title and provenance. Consecutive changes with the same
    /// `merge_key` (typing in one field) are one undo step.
    SetArticleInfo {
        /// The new title and provenance.
        info: Box<crate::core::document::ArticleInfo>,
        /// Which field changed.
        merge_key: Option<String>,
    },
    /// A text field lost focus: the next edit starts a new undo step.
    SealUndo,
    /// Show another open document (by its index in the article list).
    SwitchDocument(usize),
    /// Show a figure in its article: switch document and tab, select and scroll to it.
    JumpTo {
        /// Index of the document.
        doc: usize,
        /// The annotation.
        id: AnnotationId,
    },
    /// Focus a suggestion by its index in the open list, or none.
    FocusSuggestion(Option<usize>),
    /// Export the document in a format (asks where).
    Export(crate::core::export::Format),
    /// Record (or clear) the decision on a disputed cluster.
    Decide {
        /// Index of the cluster.
        cluster: usize,
        /// The decision, or none to undecide.
        decision: Option<crate::core::review::Decision>,
    },
    /// Place an orphaned annotation at the text selection.
    PlaceOrphan(AnnotationId),
    /// Delete an orphaned annotation.
    DeleteOrphan(AnnotationId),
    /// A file was chosen (in the system dialog or the in-app prompt) for `Purpose`.
    FileChosen(Purpose, PathBuf),
    /// The user answered the "changed on disk" question for the file at this path.
    ResolveDiskConflict(DiskChoice, PathBuf),
    /// Restore (true) or discard (false) the recovery copies found on start.
    Recover(bool),
    /// Start a new document from this pasted text.
    CreateFromText(String),
    /// The user answered "unsaved changes?".
    AnswerUnsaved(UnsavedChoice),
    /// Stop opening the large file being read.
    CancelLoading,
    /// Close the dialog shown (Cancel, Esc).
    CloseModal,
    /// Dismiss a notice (by its id).
    DismissNotice(u64),
    /// The name typed for the workspace being saved.
    NameWorkspace(String),
    /// Close the document at this index of the article list.
    CloseDocument(usize),
    /// The user changed the annotator name (saved to the settings).
    SetAnnotator(String),
}

impl From<Action> for Command {
    fn from(action: Action) -> Self {
        Self::Action(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_label_tooltip_and_unique_keys() {
        let mut seen = Vec::new();
        for a in Action::ALL {
            let s = a.spec();
            assert!(!s.label.is_empty(), "{a:?}");
            assert!(!s.tooltip.is_empty(), "{a:?}");
            for k in s.keys {
                assert!(!seen.contains(k), "{k:?} bound twice");
                seen.push(*k);
            }
        }
    }

    #[test]
    fn all_lists_every_action_once() {
        let mut seen = std::collections::HashSet::new();
        for a in Action::ALL {
            assert!(seen.insert(a), "{a:?} listed twice");
        }
        // Adding a variant without listing it fails to compile in `spec`, and here the
        // array length must grow with it.
        assert_eq!(seen.len(), Action::ALL.len());
    }
}
