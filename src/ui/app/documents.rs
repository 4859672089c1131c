//! The open documents: one list, the one shown, and the workspace file they came from.
//! Opening (replacing what is open) and adding (beside it) each happen in one place here,
//! as helix keeps `Editor { documents }` apart from its terminal UI.

use std::path::{Path, PathBuf};

use crate::core::editor::Editor;

/// A document's identity while it is open: stable when others are opened or closed, never
/// shared by two documents (the editor's uid).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId(pub u64);

/// The open documents.
pub struct Documents {
    editors: Vec<Editor>,
    active: usize,
    workspace: Option<PathBuf>,
    /// The workspace's name, as its file says or the user typed it.
    workspace_name: Option<String>,
    /// Changes whenever another text is shown (open, add, switch, reload): the key of
    /// what is laid out or searched per text.
    generation: u64,
}

impl Documents {
    /// One document, shown.
    #[must_use]
    pub fn new(editor: Editor) -> Self {
        Self {
            editors: vec![editor],
            active: 0,
            workspace: None,
            workspace_name: None,
            generation: 1,
        }
    }

    /// Replaces every open document with `editors` (at least one), showing the first.
    pub fn open(&mut self, editors: Vec<Editor>, workspace: Option<(PathBuf, String)>) {
        debug_assert!(!editors.is_empty(), "a window always shows a document");
        if editors.is_empty() {
            return;
        }
        self.editors = editors;
        (self.workspace, self.workspace_name) =
            workspace.map_or((None, None), |(p, n)| (Some(p), Some(n)));
        self.switch_to(0);
    }

    /// Opens `editor` beside the others and shows it; returns its index.
    pub fn add(&mut self, editor: Editor) -> usize {
        self.editors.push(editor);
        let at = self.editors.len() - 1;
        self.switch_to(at);
        at
    }

    /// Closes document `index` (never the last one: a window always shows a document) and
    /// shows its neighbour. Returns the closed editor.
    pub fn close(&mut self, index: usize) -> Option<Editor> {
        if self.editors.len() < 2 || index >= self.editors.len() {
            return None;
        }
        let closed = self.editors.remove(index);
        let next = if self.active > index {
            self.active - 1
        } else {
            self.active.min(self.editors.len() - 1)
        };
        self.switch_to(next);
        Some(closed)
    }

    /// Puts `editor` in the place of document `index` and shows it (a recovered copy of a
    /// file already open replaces it rather than standing beside it).
    pub fn replace(&mut self, index: usize, editor: Editor) {
        if let Some(slot) = self.editors.get_mut(index) {
            *slot = editor;
            self.switch_to(index);
        }
    }

    /// Shows document `index` (clamped to the list).
    pub fn switch_to(&mut self, index: usize) {
        self.active = index.min(self.editors.len().saturating_sub(1));
        self.generation += 1;
    }

    /// Marks the shown text as changed outside an edit (reloaded from disk).
    pub fn text_changed(&mut self) {
        self.generation += 1;
    }

    /// The document shown.
    #[must_use]
    pub fn active(&self) -> &Editor {
        &self.editors[self.active]
    }

    /// The document shown, to change.
    pub fn active_mut(&mut self) -> &mut Editor {
        &mut self.editors[self.active]
    }

    /// Index of the document shown.
    #[must_use]
    pub const fn active_index(&self) -> usize {
        self.active
    }

    /// Identity of the document shown.
    #[must_use]
    pub fn active_id(&self) -> DocId {
        DocId(self.active().uid())
    }

    /// Every open document, in the article list's order.
    #[must_use]
    pub fn all(&self) -> &[Editor] {
        &self.editors
    }

    /// Document `index`, to change.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut Editor> {
        self.editors.get_mut(index)
    }

    /// How many are open.
    #[must_use]
    pub fn len(&self) -> usize {
        self.editors.len()
    }

    /// Never true: a window always shows a document.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.editors.is_empty()
    }

    /// Where the document with this identity is in the list.
    #[must_use]
    pub fn index_of(&self, id: DocId) -> Option<usize> {
        self.editors.iter().position(|e| e.uid() == id.0)
    }

    /// Where the document saved in `path` is in the list.
    #[must_use]
    pub fn index_of_file(&self, path: &Path) -> Option<usize> {
        self.editors
            .iter()
            .position(|e| e.save_path.as_deref() == Some(path))
    }

    /// The workspace file the documents came from or were saved as.
    #[must_use]
    pub fn workspace(&self) -> Option<&Path> {
        self.workspace.as_deref()
    }

    /// Records the workspace file they were saved as, and its name.
    pub fn set_workspace(&mut self, path: PathBuf, name: String) {
        self.workspace = Some(path);
        self.workspace_name = Some(name);
    }

    /// The workspace's name, when the documents came from one or were saved as one.
    #[must_use]
    pub fn workspace_name(&self) -> Option<&str> {
        self.workspace_name.as_deref()
    }

    /// The text-shown counter (see the field).
    #[must_use]
    pub const fn generation(&self) -> u64 {
        self.generation
    }

    /// True when any document has unsaved changes.
    #[must_use]
    pub fn any_dirty(&self) -> bool {
        self.editors.iter().any(Editor::is_dirty)
    }
}
