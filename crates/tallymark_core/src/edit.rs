//! Edits to a document and their inverses, grouped into undoable steps.
//!
//! Every change to the annotations is an [`Edit`]. Applying an edit returns its inverse,
//! so undo is "apply the inverse" and redo is "apply the inverse of the inverse" — the
//! same scheme helix uses for text. A user gesture (one key press, one menu command, one
//! burst of typing in a field) is one `Step` on the [`History`].

use thiserror::Error;

use super::annotation::{Annotation, AnnotationId};
use super::document::{Document, Rejected};

/// One change to a document's annotations.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Add an annotation (its id must be unused).
    Insert(Annotation),
    /// Remove the annotation with this id.
    Remove(AnnotationId),
    /// Replace the annotation that has the same id.
    Replace(Annotation),
    /// Remember a rejected suggestion.
    Reject(Rejected),
    /// Forget a rejected suggestion.
    Unreject(Rejected),
    /// Delete the orphaned annotation with this id.
    RemoveOrphan(AnnotationId),
    /// Keep an annotation as an orphan.
    AddOrphan(Annotation),
    /// Set the article's title and provenance (boxed: larger than the other variants).
    SetInfo(Box<crate::document::ArticleInfo>),
}

/// Why an edit could not be applied.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum EditError {
    /// The id is already taken.
    #[error("annotation {0} already exists")]
    DuplicateId(AnnotationId),
    /// No annotation has this id.
    #[error("annotation {0} does not exist")]
    Missing(AnnotationId),
    /// The span does not fit the text.
    #[error("span {0} lies outside the article")]
    OutOfText(super::span::Span),
    /// The parts of a discontinuous span do not make up its span.
    #[error("annotation {0}: {1}")]
    Fragments(AnnotationId, String),
}

impl Edit {
    /// Applies the edit and returns its inverse. On error the document is unchanged.
    ///
    /// # Errors
    /// When the id is unknown (remove, replace), taken (insert), or the span is outside
    /// the text.
    pub fn apply(self, doc: &mut Document) -> Result<Self, EditError> {
        match self {
            Self::Insert(a) => {
                if doc.get(a.id).is_some() {
                    return Err(EditError::DuplicateId(a.id));
                }
                check_span(doc, &a)?;
                let id = a.id;
                doc.insert(a);
                Ok(Self::Remove(id))
            }
            Self::Remove(id) => doc
                .remove(id)
                .map(Edit::Insert)
                .ok_or(EditError::Missing(id)),
            Self::Replace(a) => {
                check_span(doc, &a)?;
                let old = doc.remove(a.id).ok_or(EditError::Missing(a.id))?;
                doc.insert(a);
                Ok(Self::Replace(old))
            }
            Self::Reject(r) => {
                if r.span.is_empty() || !r.span.fits(doc.text().len_chars()) {
                    return Err(EditError::OutOfText(r.span));
                }
                // Rejecting twice is harmless; the inverse of a no-op forgets nothing.
                if doc.add_rejected(r.clone()) {
                    Ok(Self::Unreject(r))
                } else {
                    Ok(Self::Reject(r))
                }
            }
            Self::RemoveOrphan(id) => doc
                .remove_orphan(id)
                .map(Edit::AddOrphan)
                .ok_or(EditError::Missing(id)),
            Self::AddOrphan(a) => {
                if doc.orphans().iter().any(|o| o.id == a.id) {
                    return Err(EditError::DuplicateId(a.id));
                }
                let id = a.id;
                doc.add_orphan(a);
                Ok(Self::RemoveOrphan(id))
            }
            Self::Unreject(r) => {
                if doc.remove_rejected(&r) {
                    Ok(Self::Reject(r))
                } else {
                    Ok(Self::Unreject(r))
                }
            }
            Self::SetInfo(info) => {
                let old = doc.meta.info();
                doc.meta.set_info(*info);
                Ok(Self::SetInfo(Box::new(old)))
            }
        }
    }
}

fn check_span(doc: &Document, a: &Annotation) -> Result<(), EditError> {
    if a.span.is_empty() || !a.span.fits(doc.text().len_chars()) {
        return Err(EditError::OutOfText(a.span));
    }
    if let Some(problem) = a.fragment_problem() {
        return Err(EditError::Fragments(a.id, problem));
    }
    Ok(())
}

/// Applies edits in order; if one fails, the ones already applied are rolled back.
///
/// # Errors
/// The first edit that failed.
pub fn apply_all(doc: &mut Document, edits: Vec<Edit>) -> Result<Vec<Edit>, EditError> {
    let mut inverses = Vec::with_capacity(edits.len());
    for edit in edits {
        match edit.apply(doc) {
            Ok(inverse) => inverses.push(inverse),
            Err(e) => {
                for inverse in inverses.into_iter().rev() {
                    // Inverses of edits that just succeeded always apply.
                    let _ = inverse.apply(doc);
                }
                return Err(e);
            }
        }
    }
    inverses.reverse();
    Ok(inverses)
}

/// One undoable user gesture.
#[derive(Clone, Debug)]
struct Step {
    /// Unique id of the state this step leads to (for the dirty flag).
    state: u64,
    /// Edits that undo the step, in order.
    undo: Vec<Edit>,
    /// Edits that redo the step, in order.
    redo: Vec<Edit>,
    /// Steps with the same key that follow each other merge (typing in one field).
    merge_key: Option<String>,
    /// The annotation selected before the step (undo brings the selection back to it).
    selected_before: Option<AnnotationId>,
    /// The annotation the step left selected (redo selects it again).
    selected_after: Option<AnnotationId>,
}

/// Where an undo or redo leaves the selection: kept with each step, as helix keeps the
/// selection with each revision, so that undoing a deletion selects the annotation again
/// and undoing an edit shows the annotation it changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Jump {
    /// The annotation to select, or none.
    pub selected: Option<AnnotationId>,
}

/// The annotation a step leaves selected: the last one it inserted or replaced; none when
/// it removed one; else what was selected before.
fn selected_after(edits: &[Edit], before: Option<AnnotationId>) -> Option<AnnotationId> {
    edits
        .iter()
        .rev()
        .find_map(|e| match e {
            Edit::Insert(a) | Edit::Replace(a) => Some(Some(a.id)),
            Edit::Remove(_) => Some(None),
            _ => None,
        })
        .unwrap_or(before)
}

/// Undo and redo stacks plus the saved-state marker.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    next_state: u64,
    saved_state: u64,
    /// When set, the next step never merges into the previous one.
    sealed: bool,
}

impl History {
    /// Applies `edits` as one step. With a `merge_key` equal to the previous step's, the
    /// two become one step (so typing a note is one undo, not one per letter).
    ///
    /// # Errors
    /// When an edit cannot be applied; then nothing changes.
    pub fn apply(
        &mut self,
        doc: &mut Document,
        edits: Vec<Edit>,
        merge_key: Option<String>,
    ) -> Result<(), EditError> {
        self.apply_selected(doc, edits, merge_key, None)
    }

    /// [`Self::apply`], remembering that `selected` was the selected annotation before
    /// the step (see [`Jump`]).
    ///
    /// # Errors
    /// When an edit cannot be applied; then nothing changes.
    pub fn apply_selected(
        &mut self,
        doc: &mut Document,
        edits: Vec<Edit>,
        merge_key: Option<String>,
        selected: Option<AnnotationId>,
    ) -> Result<(), EditError> {
        if edits.is_empty() {
            return Ok(());
        }
        let undo = apply_all(doc, edits.clone())?;
        self.next_state += 1;
        let state = self.next_state;
        self.redo.clear();
        let sealed = std::mem::take(&mut self.sealed);
        if let (Some(key), Some(top)) = (&merge_key, self.undo.last_mut())
            && !sealed
            && top.merge_key.as_ref() == Some(key)
            && top.state != self.saved_state
        {
            // Undo of the merged step goes back to before the first edit.
            let mut merged_undo = undo;
            merged_undo.append(&mut top.undo);
            top.undo = merged_undo;
            top.selected_after = selected_after(&edits, top.selected_after);
            top.redo.extend(edits);
            top.state = state;
            return Ok(());
        }
        self.undo.push(Step {
            state,
            undo,
            selected_after: selected_after(&edits, selected),
            selected_before: selected,
            redo: edits,
            merge_key,
        });
        Ok(())
    }

    /// Stops the next step from merging into the previous one (a field lost focus).
    pub fn seal(&mut self) {
        self.sealed = true;
    }

    /// Undoes the last step. Returns false when there is nothing to undo.
    pub fn undo(&mut self, doc: &mut Document) -> bool {
        self.undo_jump(doc).is_some()
    }

    /// Undoes the last step and says what to select; `None` when there is nothing to undo.
    pub fn undo_jump(&mut self, doc: &mut Document) -> Option<Jump> {
        let step = self.undo.pop()?;
        if apply_all(doc, step.undo.clone()).is_err() {
            // The stack no longer matches the document; drop it rather than corrupt.
            self.undo.clear();
            self.redo.clear();
            return None;
        }
        let jump = Jump {
            selected: step.selected_before,
        };
        self.redo.push(step);
        self.sealed = true;
        Some(jump)
    }

    /// Redoes the last undone step. Returns false when there is nothing to redo.
    pub fn redo(&mut self, doc: &mut Document) -> bool {
        self.redo_jump(doc).is_some()
    }

    /// Redoes the last undone step and says what to select; `None` when there is nothing
    /// to redo.
    pub fn redo_jump(&mut self, doc: &mut Document) -> Option<Jump> {
        let step = self.redo.pop()?;
        if apply_all(doc, step.redo.clone()).is_err() {
            self.undo.clear();
            self.redo.clear();
            return None;
        }
        let jump = Jump {
            selected: step.selected_after,
        };
        self.undo.push(step);
        self.sealed = true;
        Some(jump)
    }

    /// True when there is a step to undo.
    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// True when there is a step to redo.
    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// An id of the current state: equal ids mean equal documents.
    #[must_use]
    pub fn state_id(&self) -> u64 {
        self.current_state()
    }

    fn current_state(&self) -> u64 {
        self.undo.last().map_or(0, |s| s.state)
    }

    /// Marks state `state` (a [`Self::state_id`] taken earlier) as the saved one: a save
    /// written in the background from a snapshot. If edits followed, the document stays
    /// dirty; undoing back to that state makes it clean.
    pub fn mark_saved_at(&mut self, state: u64) {
        self.saved_state = state;
        self.sealed = true;
    }

    /// Marks the document as changed even if the history says otherwise (e.g. a new,
    /// never-saved document).
    pub fn mark_unsaved(&mut self) {
        self.saved_state = u64::MAX;
    }

    /// True when the document differs from what was last saved.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.current_state() != self.saved_state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{Attributes, Kind};
    use crate::span::Span;
    use time::OffsetDateTime;

    fn setup() -> (Document, Annotation) {
        let doc = Document::from_article("Aset said “2,000 people” were held.", None);
        let a = doc.new_annotation(
            Kind::Figure,
            Span { start: 11, end: 16 },
            "me",
            OffsetDateTime::UNIX_EPOCH,
        );
        (doc, a)
    }

    #[test]
    fn undo_and_redo_bring_back_the_selection_of_their_step() {
        let (mut doc, a) = setup();
        let mut h = History::default();
        let id = a.id;
        h.apply_selected(&mut doc, vec![Edit::Insert(a)], None, None)
            .unwrap();
        // Deleting the selected annotation, then undoing, selects it again.
        h.apply_selected(&mut doc, vec![Edit::Remove(id)], None, Some(id))
            .unwrap();
        assert_eq!(h.undo_jump(&mut doc), Some(Jump { selected: Some(id) }));
        assert_eq!(h.redo_jump(&mut doc), Some(Jump { selected: None }));
        assert_eq!(h.undo_jump(&mut doc), Some(Jump { selected: Some(id) }));
        // Undoing the insert goes back to no selection; redoing it selects the new one.
        assert_eq!(h.undo_jump(&mut doc), Some(Jump { selected: None }));
        assert_eq!(h.redo_jump(&mut doc), Some(Jump { selected: Some(id) }));
        assert_eq!(History::default().undo_jump(&mut doc), None);
    }

    #[test]
    fn insert_then_undo_then_redo() {
        let (mut doc, a) = setup();
        let mut h = History::default();
        assert!(!h.is_dirty());
        h.apply(&mut doc, vec![Edit::Insert(a.clone())], None)
            .unwrap();
        assert_eq!(doc.annotations().len(), 1);
        assert_eq!(doc.annotations()[0].exact, "2,000");
        assert!(h.is_dirty());
        assert!(h.undo(&mut doc));
        assert!(doc.annotations().is_empty());
        assert!(!h.is_dirty(), "undo back to the saved state is clean");
        assert!(h.redo(&mut doc));
        assert_eq!(doc.annotations(), &[std::sync::Arc::new(a)]);
        assert!(!h.redo(&mut doc));
    }

    #[test]
    fn typing_merges_into_one_step() {
        let (mut doc, a) = setup();
        let mut h = History::default();
        h.apply(&mut doc, vec![Edit::Insert(a.clone())], None)
            .unwrap();
        for note in ["h", "he", "hel"] {
            let mut b = a.clone();
            b.note = note.to_owned();
            h.apply(&mut doc, vec![Edit::Replace(b)], Some("note".into()))
                .unwrap();
        }
        assert_eq!(doc.annotations()[0].note, "hel");
        h.undo(&mut doc);
        assert_eq!(
            doc.annotations()[0].note,
            "",
            "one undo removes the whole burst"
        );
        h.redo(&mut doc);
        assert_eq!(doc.annotations()[0].note, "hel");
    }

    #[test]
    fn seal_splits_steps() {
        let (mut doc, a) = setup();
        let mut h = History::default();
        h.apply(&mut doc, vec![Edit::Insert(a.clone())], None)
            .unwrap();
        let mut b = a.clone();
        b.note = "x".into();
        h.apply(
            &mut doc,
            vec![Edit::Replace(b.clone())],
            Some("note".into()),
        )
        .unwrap();
        h.seal();
        b.note = "xy".into();
        h.apply(&mut doc, vec![Edit::Replace(b)], Some("note".into()))
            .unwrap();
        h.undo(&mut doc);
        assert_eq!(doc.annotations()[0].note, "x");
    }

    #[test]
    fn failed_edit_changes_nothing() {
        let (mut doc, a) = setup();
        let mut h = History::default();
        let mut bad = a.clone();
        bad.id = 99;
        bad.span = Span { start: 5, end: 500 };
        let err = h
            .apply(&mut doc, vec![Edit::Insert(a), Edit::Insert(bad)], None)
            .unwrap_err();
        assert!(matches!(err, EditError::OutOfText(_)));
        assert!(doc.annotations().is_empty(), "first insert rolled back");
        assert!(!h.can_undo());
    }

    #[test]
    fn relabel_is_a_replace() {
        let (mut doc, a) = setup();
        let mut h = History::default();
        h.apply(&mut doc, vec![Edit::Insert(a.clone())], None)
            .unwrap();
        let mut q = a.clone();
        q.attributes = Attributes::empty(Kind::Quote);
        h.apply(&mut doc, vec![Edit::Replace(q)], None).unwrap();
        assert_eq!(doc.annotations()[0].kind(), Kind::Quote);
        h.undo(&mut doc);
        assert_eq!(doc.annotations()[0].kind(), Kind::Figure);
        assert_eq!(
            h.apply(&mut doc, vec![Edit::Remove(77)], None),
            Err(EditError::Missing(77))
        );
    }
}
