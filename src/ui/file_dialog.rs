//! Every file dialog of the app in one place: the system's dialog where one can be shown,
//! and an in-app path prompt where none can.
//!
//! Without a desktop file-dialog service (no xdg-desktop-portal, no zenity: minimal window
//! managers, fresh installs) `rfd` returns nothing, exactly as if the user had cancelled.
//! The app would then do nothing and say nothing on Ctrl+S. So the app asks this module,
//! which either returns the system dialog's answer or says that no dialog could be shown;
//! then the app opens [`PathPrompt`], prefilled with the path it named in the status bar.
//!
//! Tests give the app a fake [`FileDialogs`] that answers with a path or "unavailable".

use std::path::{Path, PathBuf};

/// What a chosen file is for (so that one message carries every dialog's answer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Open it, replacing what is open.
    Open,
    /// Open it beside what is open.
    Add,
    /// Save the shown document there.
    SaveAs,
    /// Save the workspace there.
    SaveWorkspace,
    /// Export the shown document there, in this format.
    Export(crate::core::export::Format),
    /// Import annotations from it.
    Import,
    /// Re-anchor the shown document onto the article there.
    Reanchor,
    /// Save the adjudicated review there.
    SaveAdjudicated,
}

/// One file question: what for, where to start, which files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRequest {
    /// What the answer is for.
    pub purpose: Purpose,
    /// The dialog's title.
    pub title: String,
    /// The folder it starts in (the one the status bar names, for saves).
    pub dir: PathBuf,
    /// The proposed file name (saves).
    pub file_name: Option<String>,
    /// Filters: a name and the extensions it shows.
    pub filters: Vec<(&'static str, &'static [&'static str])>,
    /// A save (the file may not exist yet) rather than an open.
    pub save: bool,
}

/// The extensions Tallymark opens.
pub const OPENABLE: &[&str] = &["txt", "md", "html", "htm", "ron"];
/// Articles only.
pub const ARTICLES: &[&str] = &["txt", "md", "html", "htm"];
/// Annotation files of other tools.
pub const IMPORTABLE: &[&str] = &["ann", "jsonld", "json", "jsonl"];
/// Tallymark's own files.
pub const RON: &[&str] = &["ron"];

impl FileRequest {
    /// The request for `purpose`, starting in `dir`, proposing `file_name` for saves.
    #[must_use]
    pub fn new(purpose: Purpose, dir: &Path, file_name: Option<String>) -> Self {
        let (title, filters, save): (&str, Vec<(&'static str, &'static [&'static str])>, bool) =
            match purpose {
                Purpose::Open => (
                    "Open an article or annotation file",
                    vec![
                        ("Articles and annotations", OPENABLE),
                        ("All files", &["*"]),
                    ],
                    false,
                ),
                Purpose::Add => (
                    "Add an article or annotation file",
                    vec![("Articles and annotations", OPENABLE)],
                    false,
                ),
                Purpose::SaveAs => (
                    "Save annotations",
                    vec![("Tallymark annotations", RON)],
                    true,
                ),
                Purpose::SaveWorkspace => {
                    ("Save workspace", vec![("Tallymark workspace", RON)], true)
                }
                Purpose::Export(format) => (format.label().trim_end_matches('…'), vec![], true),
                Purpose::Import => (
                    "Import annotations",
                    vec![(
                        "brat, W3C JSON-LD, Label Studio, doccano or spaCy",
                        IMPORTABLE,
                    )],
                    false,
                ),
                Purpose::Reanchor => ("The changed article", vec![("Articles", ARTICLES)], false),
                Purpose::SaveAdjudicated => (
                    "Save adjudicated annotations",
                    vec![("Tallymark annotations", RON)],
                    true,
                ),
            };
        Self {
            purpose,
            title: title.to_owned(),
            dir: dir.to_owned(),
            file_name,
            filters,
            save,
        }
    }

    /// The full path the request proposes: its folder joined with its file name.
    #[must_use]
    pub fn proposed_path(&self) -> PathBuf {
        match &self.file_name {
            Some(name) => self.dir.join(name),
            None => self.dir.clone(),
        }
    }
}

/// What a file dialog gave back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogAnswer {
    /// The user chose this file.
    Chosen(PathBuf),
    /// The user closed the dialog without choosing.
    Cancelled,
    /// No dialog could be shown here: ask inside the app.
    Unavailable,
}

/// Shows file dialogs. The app holds one; tests give it a fake.
pub trait FileDialogs {
    /// Asks the user for a file (blocking, as the system dialogs are).
    fn ask(&mut self, request: &FileRequest) -> DialogAnswer;
}

/// The system's file dialogs (`rfd`): the desktop portal, or zenity where it is installed.
#[derive(Debug, Default)]
pub struct SystemDialogs;

/// Which system dialog the desktop can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The native dialog (Windows, macOS) or the desktop portal over D-Bus.
    Native,
    /// zenity, which `rfd` falls back to without a portal.
    Zenity,
    /// Nothing: ask inside the app.
    None,
}

/// Which dialog `rfd` can show, from the environment. `TALLYMARK_FILE_DIALOG=builtin`
/// forces the in-app prompt (for users who prefer it, and for screenshots).
#[must_use]
pub fn backend() -> Backend {
    backend_from(
        std::env::var_os("TALLYMARK_FILE_DIALOG").as_deref(),
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() || session_bus_socket(),
        on_path("zenity"),
    )
}

/// [`backend`] from its inputs (for tests).
#[must_use]
pub fn backend_from(forced: Option<&std::ffi::OsStr>, session_bus: bool, zenity: bool) -> Backend {
    if forced.is_some_and(|f| f == "builtin") {
        return Backend::None;
    }
    if !cfg!(target_os = "linux") && !cfg!(target_os = "freebsd") {
        return Backend::Native;
    }
    // Without a session bus there is no portal; rfd then runs zenity, if it is there.
    match (session_bus, zenity) {
        (true, _) => Backend::Native,
        (false, true) => Backend::Zenity,
        (false, false) => Backend::None,
    }
}

/// The default session bus socket, which D-Bus clients find without the variable.
fn session_bus_socket() -> bool {
    std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|d| Path::new(&d).join("bus").exists())
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

impl FileDialogs for SystemDialogs {
    fn ask(&mut self, request: &FileRequest) -> DialogAnswer {
        let backend = backend();
        if backend == Backend::None {
            return DialogAnswer::Unavailable;
        }
        let _ = std::fs::create_dir_all(&request.dir);
        let mut dialog = rfd::FileDialog::new()
            .set_title(&request.title)
            .set_directory(&request.dir);
        if let Some(name) = &request.file_name {
            // rfd hands zenity the file name alone, so zenity would start in the current
            // folder; a full path makes it start in the folder the status bar names.
            dialog = if backend == Backend::Zenity {
                dialog.set_file_name(request.dir.join(name).to_string_lossy())
            } else {
                dialog.set_file_name(name)
            };
        }
        for (name, extensions) in &request.filters {
            dialog = dialog.add_filter(*name, extensions);
        }
        let chosen = if request.save {
            dialog.save_file()
        } else {
            dialog.pick_file()
        };
        chosen.map_or(DialogAnswer::Cancelled, DialogAnswer::Chosen)
    }
}

/// File dialogs that answer from a script: for tests, and for demonstrating the in-app
/// prompt. Each question takes the next answer (`Unavailable` once the script is done)
/// and is recorded in [`Self::asked`].
#[derive(Debug, Default, Clone)]
pub struct ScriptedDialogs {
    answers: std::collections::VecDeque<DialogAnswer>,
    /// Every question asked so far (shared with the clone a test keeps).
    pub asked: std::sync::Arc<std::sync::Mutex<Vec<FileRequest>>>,
}

impl ScriptedDialogs {
    /// Dialogs that give `answers` in turn.
    #[must_use]
    pub fn new(answers: impl IntoIterator<Item = DialogAnswer>) -> Self {
        Self {
            answers: answers.into_iter().collect(),
            asked: std::sync::Arc::default(),
        }
    }

    /// The questions asked so far.
    #[must_use]
    pub fn questions(&self) -> Vec<FileRequest> {
        self.asked.lock().map(|a| a.clone()).unwrap_or_default()
    }
}

impl FileDialogs for ScriptedDialogs {
    fn ask(&mut self, request: &FileRequest) -> DialogAnswer {
        if let Ok(mut asked) = self.asked.lock() {
            asked.push(request.clone());
        }
        self.answers
            .pop_front()
            .unwrap_or(DialogAnswer::Unavailable)
    }
}

/// The in-app path prompt, shown where no system dialog can be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathPrompt {
    /// The question it answers.
    pub request: FileRequest,
    /// The path typed so far.
    pub text: String,
    /// Why the last answer was not taken, if it was not.
    pub problem: Option<String>,
}

impl PathPrompt {
    /// A prompt for `request`, prefilled with the path it proposes.
    #[must_use]
    pub fn new(request: FileRequest) -> Self {
        let mut text = request.proposed_path().display().to_string();
        if request.file_name.is_none() && !text.ends_with(std::path::MAIN_SEPARATOR) {
            text.push(std::path::MAIN_SEPARATOR);
        }
        Self {
            request,
            text,
            problem: None,
        }
    }

    /// The path typed, with `~` expanded, if it can be used for the request.
    ///
    /// # Errors
    /// A message for the prompt when the path is empty, a folder, missing (opens) or in a
    /// folder that does not exist (saves).
    pub fn path(&self) -> Result<PathBuf, String> {
        let text = self.text.trim();
        if text.is_empty() {
            return Err("Type a file's path.".to_owned());
        }
        let path = expand_home(text);
        if path.is_dir() {
            return Err(format!("{} is a folder: add a file name.", path.display()));
        }
        if self.request.save {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            if parent.is_some_and(|p| !p.is_dir()) {
                return Err(format!(
                    "The folder {} does not exist.",
                    parent.unwrap_or_else(|| Path::new("")).display()
                ));
            }
        } else if !path.is_file() {
            return Err(format!("There is no file {}.", path.display()));
        }
        Ok(path)
    }

    /// Completes the last part of the path to the folder or file names it starts, as far
    /// as they agree (Tab, as in a shell). Returns the candidates when more than one fits.
    pub fn complete(&mut self) -> Vec<String> {
        let (dir, partial) = split_partial(&self.text);
        let Ok(entries) = std::fs::read_dir(expand_home(&dir)) else {
            return Vec::new();
        };
        let mut names: Vec<(String, bool)> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let is_dir = e.path().is_dir();
                (name.starts_with(&partial) && (partial.starts_with('.') || !name.starts_with('.')))
                    .then_some((name, is_dir))
            })
            .collect();
        names.sort();
        match names.as_slice() {
            [] => Vec::new(),
            [(name, is_dir)] => {
                self.text = format!("{dir}{name}");
                if *is_dir {
                    self.text.push(std::path::MAIN_SEPARATOR);
                }
                Vec::new()
            }
            many => {
                let first = &many[0].0;
                let common = many.iter().fold(first.len(), |n, (name, _)| {
                    first
                        .char_indices()
                        .zip(name.chars())
                        .take_while(|((_, a), b)| a == b)
                        .last()
                        .map_or(0, |((i, a), _)| i + a.len_utf8())
                        .min(n)
                });
                self.text = format!("{dir}{}", &first[..common]);
                many.iter()
                    .map(|(n, d)| if *d { format!("{n}/") } else { n.clone() })
                    .collect()
            }
        }
    }
}

/// Splits a typed path into its folder part (kept as typed, ending in a separator) and
/// the partial name after it.
fn split_partial(text: &str) -> (String, String) {
    match text.rfind(std::path::MAIN_SEPARATOR) {
        Some(i) => (text[..=i].to_owned(), text[i + 1..].to_owned()),
        None => (String::new(), text.to_owned()),
    }
}

/// `~/x` as the home folder's `x`.
fn expand_home(text: &str) -> PathBuf {
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = directories::BaseDirs::new().map(|d| d.home_dir().to_owned())
    {
        return home.join(rest);
    }
    if text.is_empty() {
        return PathBuf::from(".");
    }
    PathBuf::from(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_follows_the_desktop() {
        if cfg!(target_os = "linux") {
            assert_eq!(backend_from(None, true, false), Backend::Native);
            assert_eq!(backend_from(None, false, true), Backend::Zenity);
            assert_eq!(backend_from(None, false, false), Backend::None);
        }
        assert_eq!(
            backend_from(Some(std::ffi::OsStr::new("builtin")), true, true),
            Backend::None
        );
    }

    #[test]
    fn prompt_starts_at_the_proposed_path_and_checks_it() {
        let tmp = tempfile::tempdir().unwrap();
        let req = FileRequest::new(Purpose::SaveAs, tmp.path(), Some("story.ron".to_owned()));
        let mut p = PathPrompt::new(req);
        assert_eq!(PathBuf::from(&p.text), tmp.path().join("story.ron"));
        assert_eq!(p.path().unwrap(), tmp.path().join("story.ron"));
        p.text = tmp.path().join("missing/story.ron").display().to_string();
        assert!(p.path().unwrap_err().contains("does not exist"));
        p.text = tmp.path().display().to_string();
        assert!(p.path().unwrap_err().contains("is a folder"));
        // Opening needs an existing file.
        let open = PathPrompt::new(FileRequest::new(Purpose::Open, tmp.path(), None));
        assert!(open.text.ends_with(std::path::MAIN_SEPARATOR));
        assert!(open.path().is_err());
    }

    #[test]
    fn tab_completes_folder_names() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("reports")).unwrap();
        std::fs::create_dir(tmp.path().join("reviews")).unwrap();
        std::fs::create_dir(tmp.path().join("archive")).unwrap();
        let req = FileRequest::new(Purpose::SaveAs, tmp.path(), None);
        let mut p = PathPrompt::new(req);
        p.text = format!("{}/ar", tmp.path().display());
        assert!(p.complete().is_empty());
        assert_eq!(p.text, format!("{}/archive/", tmp.path().display()));
        p.text = format!("{}/r", tmp.path().display());
        let many = p.complete();
        assert_eq!(many, vec!["reports/", "reviews/"]);
        assert_eq!(p.text, format!("{}/re", tmp.path().display()));
    }
}
