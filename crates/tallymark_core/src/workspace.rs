//! A workspace: a small RON file listing annotation files that are opened and compared
//! together (reports from different outlets about one event).
//!
//! ```ron
//! (
//!     format: "tallymark-workspace",
//!     version: 1,
//!     name: "Flood in Marrow Valley",
//!     documents: ["valley-herald.ron", "river-post.ron"],
//! )
//! ```
//!
//! Paths are relative to the workspace file, so a folder can be moved or sent as a whole.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::persist::{self, FileError};

/// The `format` value of a workspace file.
pub const WORKSPACE_FORMAT: &str = "tallymark-workspace";

/// The on-disk workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    /// Always `tallymark-workspace`.
    pub format: String,
    /// Format version (1).
    pub version: u32,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Annotation files, relative to the workspace file (or absolute).
    pub documents: Vec<PathBuf>,
}

impl Workspace {
    /// A workspace listing `documents`, each relative to `at`'s folder (with `../` where it
    /// lies elsewhere), so that the folder can be moved or handed to a reviewer whole.
    #[must_use]
    pub fn new(name: &str, at: &Path, documents: &[PathBuf]) -> Self {
        let base = at.parent().unwrap_or_else(|| Path::new(""));
        let absolute = |p: &Path| {
            p.canonicalize()
                .unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_owned()))
        };
        let base_abs = absolute(base);
        let documents = documents
            .iter()
            .map(|d| {
                let abs = absolute(d);
                // Only a path on another drive (Windows) has no relative form.
                pathdiff::diff_paths(&abs, &base_abs).unwrap_or(abs)
            })
            .collect();
        Self {
            format: WORKSPACE_FORMAT.to_owned(),
            version: 1,
            name: name.to_owned(),
            documents,
        }
    }

    /// Reads a workspace file.
    ///
    /// # Errors
    /// Unreadable file, RON syntax (with line and column), or not a workspace.
    pub fn load(path: &Path) -> Result<Self, FileError> {
        let text = persist::read_text(path)?;
        let ws: Self = ron::from_str(persist::strip_bom(&text)).map_err(|e| FileError::Syntax {
            path: path.to_owned(),
            line: e.span.start.line,
            col: e.span.start.col,
            message: super::text::tame_message(&e.code.to_string()),
        })?;
        if ws.format != WORKSPACE_FORMAT {
            return Err(FileError::NotTallymark {
                path: path.to_owned(),
            });
        }
        if ws.version > 1 {
            return Err(FileError::FutureVersion {
                path: path.to_owned(),
                found: ws.version,
                supported: 1,
            });
        }
        Ok(ws)
    }

    /// The listed files resolved against the workspace file's folder.
    #[must_use]
    pub fn resolved(&self, workspace_path: &Path) -> Vec<PathBuf> {
        let base = workspace_path.parent().unwrap_or_else(|| Path::new(""));
        self.documents.iter().map(|d| base.join(d)).collect()
    }

    /// The listed files a workspace may not open, resolved like [`Self::resolved`]. A
    /// workspace is a file anyone can hand over; its entries must not make Tallymark read
    /// (and quote in an error) whatever they name. The rule (see `docs/security.md`):
    ///
    /// - an entry that resolves (links followed) into the tree of the workspace folder's
    ///   parent may be opened, so `../saves/x.ron`, as Tallymark writes it, works;
    /// - an entry that resolves anywhere else (`../../etc/passwd`, `/home/x/.ssh/id_rsa`) may
    ///   be opened only when it is a `.ron` file that declares itself a Tallymark annotation
    ///   file (`format: "tallymark"`);
    /// - an entry that does not exist is not listed here (opening it reports it missing,
    ///   and there is no content to leak).
    ///
    /// The file's content is never part of what is reported.
    #[must_use]
    pub fn outside(&self, at: &Path) -> Vec<PathBuf> {
        let folder = at.parent().unwrap_or_else(|| Path::new(""));
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        let Ok(folder) = folder.canonicalize() else {
            // The workspace's own folder is gone: nothing can be said to lie inside it.
            return self.resolved(at);
        };
        let tree = folder
            .parent()
            .map_or_else(|| folder.clone(), Path::to_owned);
        self.resolved(at)
            .into_iter()
            .filter(|p| match p.canonicalize() {
                Ok(real) => !real.starts_with(&tree) && !is_annotation_file(&real),
                Err(_) => false,
            })
            .collect()
    }

    /// Saves atomically.
    ///
    /// # Errors
    /// I/O or serialisation errors.
    pub fn save(&self, path: &Path) -> Result<(), FileError> {
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new().indentor("    "))
            .map_err(|e| FileError::Write {
                path: path.to_owned(),
                message: e.to_string(),
            })?;
        persist::write_atomic(path, format!("{text}\n").as_bytes())
    }
}

/// True when the RON text declares itself a workspace.
#[must_use]
pub fn is_workspace_text(text: &str) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        format: String,
    }
    ron::from_str::<Probe>(persist::strip_bom(text)).is_ok_and(|p| p.format == WORKSPACE_FORMAT)
}

/// True when `path` is a `.ron` regular file (at most [`persist::MAX_READ_BYTES`]) that
/// declares itself a Tallymark annotation file. Nothing of the content is returned.
#[must_use]
pub fn is_annotation_file(path: &Path) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        format: String,
    }
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
        && persist::read_text(path).is_ok_and(|t| {
            ron::from_str::<Probe>(persist::strip_bom(&t))
                .is_ok_and(|p| p.format == persist::FORMAT_NAME)
        })
}

/// True when the file at `path` is a workspace.
#[must_use]
pub fn is_workspace_file(path: &Path) -> bool {
    persist::read_text(path).is_ok_and(|t| is_workspace_text(&t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_relative_paths() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.ron");
        let b = dir.path().join("sub").join("b.ron");
        std::fs::create_dir_all(b.parent().unwrap()).unwrap();
        std::fs::write(&a, "x").unwrap();
        std::fs::write(&b, "x").unwrap();
        let ws_path = dir.path().join("w.ron");
        let ws = Workspace::new("Event", &ws_path, &[a.clone(), b.clone()]);
        assert_eq!(
            ws.documents,
            vec![PathBuf::from("a.ron"), PathBuf::from("sub/b.ron")]
        );
        ws.save(&ws_path).unwrap();
        assert!(is_workspace_file(&ws_path));
        let back = Workspace::load(&ws_path).unwrap();
        assert_eq!(back, ws);
        assert_eq!(
            back.resolved(&ws_path),
            vec![dir.path().join("a.ron"), dir.path().join("sub/b.ron")]
        );
    }

    #[test]
    fn files_outside_the_folder_are_listed_relative_too() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("saves/a.ron");
        std::fs::create_dir_all(a.parent().unwrap()).unwrap();
        std::fs::write(&a, "x").unwrap();
        let ws_path = dir.path().join("review/story.workspace.ron");
        std::fs::create_dir_all(ws_path.parent().unwrap()).unwrap();
        let ws = Workspace::new("Story", &ws_path, std::slice::from_ref(&a));
        assert_eq!(ws.documents, vec![PathBuf::from("../saves/a.ron")]);
        assert_eq!(
            ws.resolved(&ws_path)[0].canonicalize().unwrap(),
            a.canonicalize().unwrap()
        );
    }

    #[test]
    fn entries_outside_the_tree_must_be_annotation_files() {
        let dir = tempfile::tempdir().unwrap();
        let story = dir.path().join("story");
        let ws_path = story.join("review/w.workspace.ron");
        std::fs::create_dir_all(ws_path.parent().unwrap()).unwrap();
        std::fs::create_dir_all(story.join("saves")).unwrap();
        let annotation = "(format: \"tallymark\", version: 1)";
        // Inside the parent tree: allowed whatever it is (loading reports a bad one).
        std::fs::write(story.join("saves/a.ron"), annotation).unwrap();
        std::fs::write(story.join("notes.txt"), "x").unwrap();
        // Outside: an annotation file is allowed, anything else is not.
        std::fs::write(dir.path().join("other.ron"), annotation).unwrap();
        std::fs::write(dir.path().join("secret"), "root:x:0:0").unwrap();
        std::fs::write(dir.path().join("secret.ron"), "(name: \"x\")").unwrap();
        let ws = Workspace {
            format: WORKSPACE_FORMAT.to_owned(),
            version: 1,
            name: String::new(),
            documents: vec![
                PathBuf::from("../saves/a.ron"),
                PathBuf::from("../notes.txt"),
                PathBuf::from("../../other.ron"),
                PathBuf::from("../../secret"),
                dir.path().join("secret.ron"),
                PathBuf::from("../../missing.ron"),
            ],
        };
        let base = ws_path.parent().unwrap();
        assert_eq!(
            ws.outside(&ws_path),
            vec![base.join("../../secret"), dir.path().join("secret.ron")]
        );
    }

    #[test]
    fn an_annotation_file_is_not_a_workspace() {
        assert!(!is_workspace_text("(format: \"tallymark\", version: 1)"));
        assert!(is_workspace_text(
            "(format: \"tallymark-workspace\", version: 1, documents: [])"
        ));
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.ron");
        std::fs::write(
            &path,
            "\u{feff}(format: \"tallymark-workspace\", version: 1, documents: [])",
        )
        .unwrap();
        assert!(is_workspace_file(&path));
        assert_eq!(Workspace::load(&path).unwrap().documents.len(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("w.ron");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let err = Workspace::load(&fifo).unwrap_err();
        assert!(err.to_string().contains("FIFO"), "{err}");
        assert!(!is_workspace_file(&fifo));
    }
}
