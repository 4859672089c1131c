//! Reading and writing annotation files (RON, format version 1; see `docs/format.md`).
//!
//! Writing is deterministic (annotations sorted, fields in a fixed order, one per line) and
//! atomic: the file is written next to the target under a fresh, unpredictable temporary
//! name (created new, so never through a planted link), flushed, synced and renamed over the
//! target, so a crash mid-save leaves either the old or the new file. The rules every write
//! follows (links, modes, read-only and non-regular targets, backups) are in
//! `docs/security.md`.
//!
//! Every read is capped at [`MAX_READ_BYTES`] and refuses what is not a regular file (a
//! FIFO would block forever, `/dev/zero` would never end).

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::annotation::{Annotation, AnnotationId, FigureAttrs};
use super::document::{ArticleMeta, Document, Rejected};
use super::text::{Normalization, sha256_hex};

/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// The value of the `format` field that marks a Tallymark file.
pub const FORMAT_NAME: &str = "tallymark";

/// The on-disk shape of an annotation file.
#[derive(Debug, Serialize, Deserialize)]
struct FileV1 {
    format: String,
    version: u32,
    article: ArticleRecord,
    annotations: Vec<std::sync::Arc<Annotation>>,
    /// Suggestions the user rejected (absent when none, and in files from before it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    rejected: Vec<Rejected>,
    /// Annotations that could not be placed after the article changed (spans refer to the
    /// old text; absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    orphans: Vec<Annotation>,
}

/// The embedded article with its provenance.
#[derive(Debug, Serialize, Deserialize)]
struct ArticleRecord {
    title: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    url: Option<String>,
    /// The publication (absent when unknown, and in files from before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outlet: Option<String>,
    /// Publication date, `YYYY-MM-DD` with an optional time and zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    published: Option<super::provenance::Published>,
    /// Who wrote the article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    /// The article's language, a BCP 47 tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    sha256: String,
    chars: usize,
    /// Always `"lf"`: texts are stored with LF line endings.
    line_endings: String,
    /// How many CRLF / CR line endings were turned into LF when the article was read.
    #[serde(default)]
    crlf_normalized: usize,
    /// True when a byte-order mark was dropped when the article was read.
    #[serde(default)]
    bom_removed: bool,
    /// The encoding the article was first read in, when it was not UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    encoding: Option<String>,
    text: String,
}

/// Just enough of a file to decide whether and how to read the rest.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    version: Option<u32>,
}

/// Something wrong inside an otherwise readable annotation file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The annotation concerned, if any.
    pub id: Option<AnnotationId>,
    /// What is wrong, in words.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.id {
            Some(id) => write!(f, "annotation {id}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

/// Why a file could not be read or written.
#[derive(Debug, Error)]
pub enum FileError {
    /// The operating system refused.
    // Not a `source` (a field by that name would be one): the message already says the
    // system's reason, and a chain would print it twice ("…: No such file …: No such file").
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        error: std::io::Error,
    },
    /// The bytes are not UTF-8 text.
    #[error("{path}: line {line}, column {col}: not UTF-8 text")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based column (in chars) of the first bad byte.
        col: usize,
    },
    /// The article is empty (or only whitespace).
    #[error("{path}: the file is empty; there is no article to annotate")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file contains NUL bytes: a binary file, not an article.
    #[error("{path}: looks like a binary file (contains NUL bytes), not an article")]
    Binary {
        /// The file.
        path: PathBuf,
    },
    /// RON syntax or structure error.
    #[error("{path}: line {line}, column {col}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What the parser expected or found.
        message: String,
    },
    /// Valid RON, but not a Tallymark file.
    #[error(
        "{path}: not a Tallymark annotation file (expected `format: \"tallymark\"` and `version: 1`)"
    )]
    NotTallymark {
        /// The file.
        path: PathBuf,
    },
    /// Written by a newer Tallymark.
    #[error(
        "{path}: format version {found} is newer than this Tallymark supports (version {supported}); please update Tallymark"
    )]
    FutureVersion {
        /// The file.
        path: PathBuf,
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        supported: u32,
    },
    /// Readable, but the content is inconsistent.
    #[error("{path}: {} problem(s): {}", problems.len(), summarize(problems))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem found.
        problems: Vec<Problem>,
    },
    /// The path names something that is not a regular file (a directory, a FIFO, a device,
    /// a socket): it is neither read nor replaced.
    #[error("{path}: is {what}, not a regular file")]
    NotRegular {
        /// The file.
        path: PathBuf,
        /// What it is instead, e.g. `a FIFO (named pipe)`.
        what: &'static str,
    },
    /// The file is larger than any article or annotation file Tallymark reads.
    #[error("{path}: larger than {} MiB, the most Tallymark reads from one file", limit >> 20)]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The cap in bytes ([`MAX_READ_BYTES`]).
        limit: u64,
    },
    /// The file to be replaced is read-only; it is left as it is.
    #[error(
        "{path}: the file is read-only; it was not replaced (make it writable or save elsewhere)"
    )]
    ReadOnly {
        /// The file.
        path: PathBuf,
    },
    /// Serialisation failed (should not happen for valid documents).
    #[error("{path}: could not write RON: {message}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The serialiser's message.
        message: String,
    },
}

fn summarize(problems: &[Problem]) -> String {
    let mut parts: Vec<String> = problems.iter().take(3).map(ToString::to_string).collect();
    if problems.len() > 3 {
        parts.push(format!("and {} more", problems.len() - 3));
    }
    parts.join("; ")
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> FileError + '_ {
    move |error| FileError::Io {
        path: path.to_owned(),
        error,
    }
}

/// The most Tallymark reads from one file: 256 MiB. Real articles and annotation files are
/// a few megabytes; the cap only stops a hostile or mistaken input (`/dev/zero`, a disk
/// image) from exhausting memory.
pub const MAX_READ_BYTES: u64 = 256 << 20;

/// What a file that is not a regular file is, in words.
fn file_kind(ft: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else if ft.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

/// Refuses metadata that is not a regular file's.
fn require_regular(path: &Path, meta: &fs::Metadata) -> Result<(), FileError> {
    if meta.is_file() {
        Ok(())
    } else {
        Err(FileError::NotRegular {
            path: path.to_owned(),
            what: file_kind(meta.file_type()),
        })
    }
}

/// Opens a regular file for reading. The type is checked before opening (opening a FIFO
/// would block until a writer comes) and again on the open handle (what was opened).
fn open_regular(path: &Path) -> Result<fs::File, FileError> {
    require_regular(path, &fs::metadata(path).map_err(io_err(path))?)?;
    let file = fs::File::open(path).map_err(io_err(path))?;
    require_regular(path, &file.metadata().map_err(io_err(path))?)?;
    Ok(file)
}

/// Reads a regular file whole, at most [`MAX_READ_BYTES`], telling `progress` the bytes read
/// so far and the size the file states (`false` cancels: `Ok(None)`). Memory grows with
/// what is actually read, never with what the file claims.
fn read_capped(
    path: &Path,
    progress: &dyn Fn(u64, u64) -> bool,
) -> Result<Option<Vec<u8>>, FileError> {
    use std::io::Read as _;
    let too_large = || FileError::TooLarge {
        path: path.to_owned(),
        limit: MAX_READ_BYTES,
    };
    let file = open_regular(path)?;
    let stated = file.metadata().map_or(0, |m| m.len());
    if stated > MAX_READ_BYTES {
        return Err(too_large());
    }
    // One byte past the cap tells a file that grew beyond it from one exactly at it.
    let mut reader = file.take(MAX_READ_BYTES + 1);
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_err(path)(e)),
        };
        bytes.extend_from_slice(&chunk[..n]);
        if bytes.len() as u64 > MAX_READ_BYTES {
            return Err(too_large());
        }
        if !progress(bytes.len() as u64, stated) {
            return Ok(None);
        }
    }
    Ok(Some(bytes))
}

/// Reads a file's bytes: regular files only, at most [`MAX_READ_BYTES`]. Every reader of
/// user files in Tallymark goes through this (or [`read_text`]).
///
/// # Errors
/// I/O errors, a path that is not a regular file, a file over the cap.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, FileError> {
    read_capped(path, &|_, _| true).map(Option::unwrap_or_default)
}

/// Reads a file as UTF-8 text, reporting the place of the first invalid byte. The text is
/// the file's bytes exactly (a byte-order mark included), so its hash is the file's; the
/// parsers skip a leading BOM ([`strip_bom`]).
///
/// # Errors
/// I/O errors, non-regular files, files over [`MAX_READ_BYTES`], invalid UTF-8, NUL bytes.
pub fn read_text(path: &Path) -> Result<String, FileError> {
    bytes_to_text(path, read_bytes(path)?)
}

/// `text` without a leading byte-order mark (U+FEFF), which Windows editors add to RON and
/// JSON files and which is not part of either syntax.
#[must_use]
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Turns bytes into text, with the same checks as [`read_text`].
///
/// # Errors
/// Invalid UTF-8 or NUL bytes.
pub fn bytes_to_text(path: &Path, bytes: Vec<u8>) -> Result<String, FileError> {
    if bytes.contains(&0) {
        return Err(FileError::Binary {
            path: path.to_owned(),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let good = std::str::from_utf8(good).unwrap_or("");
        let line = good.matches('\n').count() + 1;
        let col = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        FileError::NotUtf8 {
            path: path.to_owned(),
            line,
            col,
        }
    })
}

/// Decodes an article's bytes: a byte-order mark (UTF-8, UTF-16 LE/BE) decides; else valid
/// UTF-8 is UTF-8; else the encoding is guessed (chardetng: Windows-1251 and KOI8-R for
/// Russian and Kazakh, Latin-1/Windows-1252, …). Returns the text and the encoding's name.
/// NUL bytes without a UTF-16 mark mean a binary file, which is refused.
///
/// # Errors
/// Binary files, and empty files.
pub fn decode_article(path: &Path, bytes: &[u8]) -> Result<(String, &'static str), FileError> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok((text.into_owned(), encoding.name()));
    }
    if bytes.contains(&0) {
        return Err(FileError::Binary {
            path: path.to_owned(),
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(FileError::Empty {
            path: path.to_owned(),
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), "UTF-8"));
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let encoding = detector.guess(None, false);
    let (text, _, _) = encoding.decode(bytes);
    Ok((text.into_owned(), encoding.name()))
}

/// Reads an article like [`load_article`], reporting progress (0 to 1) to `progress`, which
/// returns `false` to cancel: then `Ok(None)`. For very large files, read off the UI thread.
///
/// # Errors
/// As [`load_article`].
pub fn load_article_with(
    path: &Path,
    progress: &dyn Fn(f32) -> bool,
) -> Result<Option<Document>, FileError> {
    let read = read_capped(path, &|done, stated| {
        let done = done as f32 / stated.max(done).max(1) as f32;
        progress(0.5 * done)
    })?;
    let Some(bytes) = read else {
        return Ok(None);
    };
    let (mut raw, encoding) = decode_article(path, &bytes)?;
    drop(bytes);
    if !progress(0.7) {
        return Ok(None);
    }
    // A saved web page: its tags say where it comes from; keep the readable text only.
    let html = super::html::is_html_file(path);
    let provenance = if html {
        // A day of slack: a page stamped in a zone ahead of this machine's UTC date.
        let today = time::OffsetDateTime::now_utc().date();
        let bound = today.next_day().unwrap_or(today);
        let page = super::html::parse(&raw);
        let p = super::provenance::from_page(&page, bound);
        raw = super::html::readable_text_of(&page);
        Some(p)
    } else {
        None
    };
    if !progress(0.8) {
        return Ok(None);
    }
    let mut doc = Document::from_article(&raw, Some(path.display().to_string()));
    let mut provenance =
        provenance.unwrap_or_else(|| super::provenance::from_text(doc.text().as_str()));
    if provenance.language.is_none() {
        provenance.language = super::provenance::detect_language(doc.text().as_str());
    }
    doc.meta.apply_provenance(provenance);
    // Recorded only when it was not UTF-8: that is the case worth telling a reviewer.
    doc.meta.encoding = (encoding != "UTF-8").then(|| encoding.to_owned());
    if !progress(1.0) {
        return Ok(None);
    }
    Ok(Some(doc))
}

/// Reads an article (`.txt`, `.md`, `.html`) into a new document without annotations,
/// decoding it with [`decode_article`] (the encoding used is kept in the document).
///
/// # Errors
/// Unreadable, binary or empty files.
pub fn load_article(path: &Path) -> Result<Document, FileError> {
    // Never cancelled, so there is always a document.
    load_article_with(path, &|_| true).map(Option::unwrap_or_default)
}

/// Parses an annotation file's text. `path` is only used in messages.
///
/// # Errors
/// Syntax errors with line and column, foreign or future files, and inconsistent content
/// (see `validate_record`).
pub fn parse(path: &Path, text: &str) -> Result<Document, FileError> {
    let text = strip_bom(text);
    let options = ron::Options::default();
    let syntax = |e: ron::error::SpannedError| FileError::Syntax {
        path: path.to_owned(),
        line: e.span.start.line,
        col: e.span.start.col,
        // The parser's message may quote what it found (an identifier of any length).
        message: super::text::tame_message(&e.code.to_string()),
    };
    // What kind of file is this? Checked before the content, so a future or foreign file
    // is named as such rather than reported as a syntax error in a field we don't know.
    let classify = |format: Option<&str>, version: Option<u32>| match (format, version) {
        (Some(FORMAT_NAME), Some(v)) if v > FORMAT_VERSION => Err(FileError::FutureVersion {
            path: path.to_owned(),
            found: v,
            supported: FORMAT_VERSION,
        }),
        (Some(FORMAT_NAME), Some(v)) if v >= 1 => Ok(()),
        _ => Err(FileError::NotTallymark {
            path: path.to_owned(),
        }),
    };
    // Parse once as version 1 (the common case; a 40 MB file takes a few hundred ms);
    // only when that fails, parse again loosely to say why.
    let file: FileV1 = match options.from_str::<FileV1>(text) {
        Ok(file) => {
            classify(Some(file.format.as_str()), Some(file.version))?;
            file
        }
        Err(e) => {
            let probe: Probe = options.from_str(text).map_err(syntax)?;
            classify(probe.format.as_deref(), probe.version)?;
            return Err(syntax(e));
        }
    };
    let problems = validate_record(&file);
    if !problems.is_empty() {
        return Err(FileError::Invalid {
            path: path.to_owned(),
            problems,
        });
    }
    let meta = ArticleMeta {
        title: file.article.title,
        source: file.article.source,
        url: file.article.url,
        outlet: file.article.outlet,
        published: file.article.published,
        author: file.article.author,
        language: file.article.language,
        normalization: Normalization {
            line_endings_fixed: file.article.crlf_normalized,
            bom_removed: file.article.bom_removed,
        },
        encoding: file.article.encoding,
        notes: Vec::new(),
    };
    Ok(
        Document::from_parts(meta, file.article.text, file.annotations)
            .with_rejected(file.rejected)
            .with_orphans(file.orphans),
    )
}

/// Loads an annotation file.
///
/// # Errors
/// See [`read_text`] and [`parse`].
pub fn load(path: &Path) -> Result<Document, FileError> {
    let text = read_text(path)?;
    parse(path, &text)
}

/// [`load`], also returning the SHA-256 of the file's bytes (to notice later when something
/// else changes the file) from the one read, rather than reading a large file twice.
///
/// # Errors
/// As [`load`].
pub fn load_with_hash(path: &Path) -> Result<(Document, String), FileError> {
    let text = read_text(path)?;
    // Valid UTF-8 is kept as it was read, so the text's bytes are the file's bytes.
    let hash = sha256_hex(&text);
    Ok((parse(path, &text)?, hash))
}

/// The longest prefix or suffix an annotation file may hold, in chars: eight times what
/// Tallymark writes ([`super::text::CONTEXT_CHARS`]), room for other tools' choices.
pub const MAX_CONTEXT_CHARS: usize = 8 * super::text::CONTEXT_CHARS;

fn validate_record(file: &FileV1) -> Vec<Problem> {
    let mut problems = Vec::new();
    let text = &file.article.text;
    let chars = text.chars().count();
    if file.article.chars != chars {
        problems.push(Problem {
            id: None,
            message: format!(
                "article.chars says {} but the text has {chars} chars",
                file.article.chars
            ),
        });
    }
    let sha = sha256_hex(text);
    if !file.article.sha256.eq_ignore_ascii_case(&sha) {
        problems.push(Problem {
            id: None,
            message: format!(
                "article.sha256 does not match the text (file says {}, text hashes to {sha})",
                file.article.sha256
            ),
        });
    }
    if text.contains('\r') {
        problems.push(Problem {
            id: None,
            message: "article.text contains CR characters; line endings must be LF".to_owned(),
        });
    }
    let index = super::span::CharIndex::new(text);
    let mut seen = std::collections::BTreeSet::new();
    // Orphans have no place in this text, but their ids must not collide with placed ones.
    // NaN or an infinity would poison every comparison and sort downstream.
    let non_finite = |a: &Annotation| {
        a.figure()
            .and_then(FigureAttrs::non_finite)
            .map(|(field, v)| Problem {
                id: Some(a.id),
                message: format!("{field} is {v}; a figure's value must be a finite number"),
            })
    };
    // Context is compared char by char when the article changes (quadratic in its
    // length): a hand-made megabyte of it would stall reanchoring.
    let long_context = |a: &Annotation| {
        [("prefix", &a.prefix), ("suffix", &a.suffix)]
            .into_iter()
            .filter_map(|(field, context)| {
                let n = context.chars().count();
                (n > MAX_CONTEXT_CHARS).then(|| Problem {
                    id: Some(a.id),
                    message: format!(
                        "{field} is {n} chars long; at most {MAX_CONTEXT_CHARS} are allowed (Tallymark writes {})",
                        super::text::CONTEXT_CHARS
                    ),
                })
            })
            .collect::<Vec<_>>()
    };
    for o in &file.orphans {
        if !seen.insert(o.id) {
            problems.push(Problem {
                id: Some(o.id),
                message: "duplicate id (orphan)".to_owned(),
            });
        }
        problems.extend(non_finite(o));
        problems.extend(long_context(o));
    }
    for a in &file.annotations {
        let id = Some(a.id);
        problems.extend(non_finite(a));
        problems.extend(long_context(a));
        if let Some(message) = a.fragment_problem() {
            problems.push(Problem { id, message });
        }
        if !seen.insert(a.id) {
            problems.push(Problem {
                id,
                message: "duplicate id".to_owned(),
            });
        }
        if a.span.end < a.span.start {
            problems.push(Problem {
                id,
                message: format!("span {} ends before it starts", a.span),
            });
            continue;
        }
        if a.span.is_empty() {
            problems.push(Problem {
                id,
                message: format!("span {} is empty", a.span),
            });
            continue;
        }
        if !a.span.fits(chars) {
            problems.push(Problem {
                id,
                message: format!("span {} lies outside the article ({chars} chars)", a.span),
            });
            continue;
        }
        let actual = index.slice(text, a.span);
        if actual != a.exact {
            problems.push(Problem {
                id,
                message: format!(
                    "exact text {:?} does not match the article at {} ({:?})",
                    super::text::shorten(&a.exact, 40),
                    a.span,
                    super::text::shorten(actual, 40)
                ),
            });
        }
    }
    problems
}

/// Serialises a document to the RON text of an annotation file.
///
/// # Errors
/// Only if serialisation itself fails.
pub fn to_ron(doc: &Document) -> Result<String, ron::Error> {
    let text = doc.text().as_str().to_owned();
    // A document keeps its annotations in the canonical order (see `Document::insert`),
    // so the file is deterministic without sorting again.
    let annotations = doc.annotations().to_vec();
    let file = FileV1 {
        format: FORMAT_NAME.to_owned(),
        version: FORMAT_VERSION,
        article: ArticleRecord {
            title: doc.meta.title.clone(),
            source: doc.meta.source.clone(),
            url: doc.meta.url.clone(),
            outlet: doc.meta.outlet.clone(),
            published: doc.meta.published,
            author: doc.meta.author.clone(),
            language: doc.meta.language.clone(),
            sha256: sha256_hex(&text),
            chars: doc.text().len_chars(),
            line_endings: "lf".to_owned(),
            crlf_normalized: doc.meta.normalization.line_endings_fixed,
            bom_removed: doc.meta.normalization.bom_removed,
            encoding: doc.meta.encoding.clone(),
            text,
        },
        annotations,
        rejected: doc.rejected().to_vec(),
        orphans: doc.orphans().to_vec(),
    };
    // Strings are written raw (real newlines keep the article readable and diffs
    // line-based), unless some string holds a character a raw string cannot carry safely:
    // then the whole file is written with escapes, which loads back to the same strings.
    let raw = to_ron_with(&file, false)?;
    if raw.chars().any(needs_escape) {
        return to_ron_with(&file, true);
    }
    Ok(raw)
}

/// True for characters never written raw into a file: NUL (the loader takes a file with
/// NUL bytes for binary), the other control characters but LF and tab (CR would be turned
/// into a line ending by editors and git), and the Unicode line and paragraph separators
/// (editors break lines at them).
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}')
}

fn to_ron_with(file: &FileV1, escape: bool) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .escape_strings(escape)
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    // Sized up front: growing a 40 MB string by doubling would briefly hold twice that.
    let estimate = HEADER.len()
        + file.article.text.len() * 11 / 10
        + (file.annotations.len() + file.orphans.len()) * 800
        + file.rejected.len() * 120
        + 4096;
    let mut out = String::with_capacity(estimate);
    out.push_str(HEADER);
    ron::ser::to_writer_pretty(&mut out, file, config)?;
    out.push('\n');
    Ok(out)
}

/// The comment at the top of every file, for a reviewer opening it in an editor.
const HEADER: &str = "\
// Tallymark annotation file (format version 1; see docs/format.md).
// Offsets count Unicode scalar values (chars) of article.text, half-open [start, end).
// article.text is stored with LF line endings (CRLF and CR were normalised on load).
";

/// Saves atomically: temporary file in the same directory, flush, sync, rename; the file
/// replaced is kept as `NAME.ron.bak` (see [`write_atomic`] for the rules on links, modes,
/// read-only and non-regular targets).
///
/// # Errors
/// I/O errors (the target and its backup are left untouched), a read-only or non-regular
/// target, and serialisation errors.
pub fn save(doc: &Document, path: &Path) -> Result<(), FileError> {
    save_with_hash(doc, path).map(drop)
}

/// [`save`], returning the SHA-256 of the bytes on disk afterwards (to notice later when
/// something else changes the file).
///
/// # Errors
/// As [`save`].
pub fn save_with_hash(doc: &Document, path: &Path) -> Result<String, FileError> {
    let ron = to_ron(doc).map_err(|e| FileError::Write {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    let hash = sha256_hex(&ron);
    // Unchanged content needs no write (and the backup keeps the version before it). The
    // old file is hashed in chunks rather than read whole: a big file stays on disk.
    let target = resolve_links(path)?;
    if let Ok(meta) = fs::metadata(&target)
        && meta.is_file()
        && meta.len() == ron.len() as u64
        && hash_file(&target).as_deref() == Some(hash.as_str())
    {
        return Ok(hash);
    }
    replace(&target, ron.as_bytes(), true)?;
    Ok(hash)
}

/// Lower-case hex SHA-256 of a file's bytes, read in chunks; `None` if it cannot be read or
/// is not a regular file (a FIFO or `/dev/zero` would never end).
#[must_use]
pub fn hash_file(path: &Path) -> Option<String> {
    use sha2::Digest as _;
    use std::io::Read as _;
    let mut file = open_regular(path).ok()?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0; 1 << 16];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(format!("{:x}", hasher.finalize()))
}

/// The backup of `path`: `NAME.ron.bak` beside it.
#[must_use]
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Writes `bytes` to `path` atomically (a temporary file beside the target, synced, renamed
/// over it), following these rules:
///
/// - the temporary file has an unpredictable name and is created new, so a link or file
///   planted in the folder is never written through; stale temporary files of writers that
///   died are removed first;
/// - when `path` is a symbolic link, the file it points to is replaced and the link stays;
/// - a target that exists and is not a regular file (a device such as `/dev/null`, a FIFO, a
///   directory) is refused, and so is a read-only one;
/// - the replaced file's permission bits are kept (a new file gets the usual ones), and its
///   owner and group where the platform allows (the owner only as root, a group only
///   when the saver is in it; set-id bits and group bits that cannot be kept are cleared).
///
/// # Errors
/// I/O errors, a read-only or non-regular target; on error the target is unchanged and the
/// temporary file removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let target = resolve_links(path)?;
    replace(&target, bytes, false)
}

/// How many links [`resolve_links`] follows before giving up (Linux's own limit).
const MAX_LINKS: usize = 40;

/// The file `path` finally names: symbolic links followed (even a dangling last one, whose
/// target a save then creates). A path that is not a link is returned as it is.
fn resolve_links(path: &Path) -> Result<PathBuf, FileError> {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let to = fs::read_link(&current).map_err(io_err(&current))?;
                current = match current.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(FileError::Io {
        path: path.to_owned(),
        error: std::io::Error::other("too many levels of symbolic links"),
    })
}

/// The folder of `path` (`.` for a bare name) and its file name, for naming siblings.
fn dir_and_name(path: &Path) -> (PathBuf, String) {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map_or_else(
        || "annotations".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    (dir, name)
}

/// How old a temporary file of ours must be before a later save removes it even though a
/// process with its pid runs (the pid may have been reused; no save takes this long).
const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_mins(15);

/// Removes temporary files that writers of `name` left in `dir` when they died: only names
/// of our own pattern (`.NAME.PID.RANDOM.tmp`, and `.NAME.PID.tmp` of older versions) whose
/// process no longer runs or that are older than [`STALE_TEMP_AGE`]. Links among them are
/// removed themselves, never followed. Failures are ignored: this is housekeeping.
fn remove_stale_temps(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .and_then(temp_pid)
        else {
            continue;
        };
        let Ok(meta) = fs::symlink_metadata(entry.path()) else {
            continue;
        };
        if meta.is_dir() {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_TEMP_AGE);
        if old || !super::lock::alive(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The pid in the middle part of a temporary name of ours (`PID.RANDOM` or `PID`).
fn temp_pid(middle: &str) -> Option<u32> {
    let (pid, random) = middle.split_once('.').unwrap_or((middle, ""));
    let ours =
        random.is_empty() || (random.len() == 16 && random.bytes().all(|b| b.is_ascii_hexdigit()));
    if !ours || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// An unpredictable 64-bit number for temporary names.
fn random_u64() -> std::io::Result<u64> {
    getrandom::u64().map_err(|e| std::io::Error::other(format!("no random numbers: {e}")))
}

/// Creates a new temporary file beside `name` in `dir`: `.NAME.PID.RANDOM.tmp`, created
/// with create-new semantics (`O_CREAT | O_EXCL`, which never follows a link), so nobody can
/// guess the name ahead or redirect the write. A `private` file is readable by its owner
/// only (it will get the mode of the file it replaces); otherwise it gets the usual
/// permissions of a new file.
fn create_temp(dir: &Path, name: &str, private: bool) -> std::io::Result<(PathBuf, fs::File)> {
    let pid = std::process::id();
    let mut last = None;
    for _ in 0..8 {
        let tmp = dir.join(format!(".{name}.{pid}.{:016x}.tmp", random_u64()?));
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if private {
            // Readable by nobody else until it has the mode of the file it replaces.
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        }
        #[cfg(not(unix))]
        let _ = private;
        match options.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// Checks that an existing `target` may be replaced: a regular file, not read-only.
fn replaceable(target: &Path, meta: &fs::Metadata) -> Result<(), FileError> {
    require_regular(target, meta)?;
    if meta.permissions().readonly() {
        return Err(FileError::ReadOnly {
            path: target.to_owned(),
        });
    }
    Ok(())
}

/// Writes `bytes` to a fresh temporary file beside `target` and syncs it; the file gets the
/// permission bits of `like` (the file it will replace), when there is one.
fn write_temp(
    target: &Path,
    temp_name: &str,
    like: Option<&fs::Metadata>,
    write: &mut dyn FnMut(&mut fs::File) -> std::io::Result<()>,
) -> std::io::Result<PathBuf> {
    let (dir, _) = dir_and_name(target);
    let (tmp, mut file) = create_temp(&dir, temp_name, like.is_some())?;
    let result = (|| {
        write(&mut file)?;
        if let Some(like) = like {
            file.set_permissions(kept_permissions(&file, like))?;
        }
        file.flush()?;
        file.sync_all()
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// The permissions a new file replacing `like` gets: `like`'s, after its owner and group
/// are given to `file` where the platform lets us (the owner only as root; a group we are a
/// member of), so that a save does not take a file in a shared folder away from its group.
/// Where the group cannot be kept, the group's bits are cleared: they were granted to
/// `like`'s group, not to ours.
#[cfg(unix)]
fn kept_permissions(file: &fs::File, like: &fs::Metadata) -> fs::Permissions {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _, fchown};
    let mut permissions = like.permissions();
    let Ok(now) = file.metadata() else {
        return permissions;
    };
    // Only root may give a file away; anyone else stays the owner of what they wrote.
    let owner_kept = now.uid() == like.uid() || fchown(file, Some(like.uid()), None).is_ok();
    let group_kept = now.gid() == like.gid() || fchown(file, None, Some(like.gid())).is_ok();
    if !group_kept {
        permissions.set_mode(permissions.mode() & !0o070);
    }
    if !(owner_kept && group_kept) {
        // Set-user and set-group bits were given for the old owner and group, not ours.
        permissions.set_mode(permissions.mode() & !0o6000);
    }
    permissions
}

/// Elsewhere only the permissions (read-only or not) are kept.
#[cfg(not(unix))]
fn kept_permissions(_: &fs::File, like: &fs::Metadata) -> fs::Permissions {
    like.permissions()
}

/// Copies the regular file `target` (already checked as `meta`) into a synced temporary
/// file for its backup. The opened file must be the one checked: were it swapped for a link
/// or another file since, nothing is copied.
fn backup_temp(target: &Path, meta: &fs::Metadata, temp_name: &str) -> std::io::Result<PathBuf> {
    let mut source = fs::File::open(target)?;
    let opened = source.metadata()?;
    #[cfg(unix)]
    let same = {
        use std::os::unix::fs::MetadataExt as _;
        opened.dev() == meta.dev() && opened.ino() == meta.ino()
    };
    #[cfg(not(unix))]
    let same = opened.is_file() && meta.is_file();
    if !same || !opened.is_file() {
        return Err(std::io::Error::other(
            "the file changed while it was being backed up",
        ));
    }
    write_temp(target, temp_name, Some(meta), &mut |f| {
        std::io::copy(&mut source, f).map(drop)
    })
}

#[cfg(test)]
thread_local! {
    /// Makes the next [`replace`] on this thread fail after its temporary files are
    /// written and before anything is renamed (a disk failing at the worst moment).
    static FAIL_BEFORE_RENAME: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Replaces `target` (links already resolved) with `bytes`; with `backup`, the file replaced
/// becomes `NAME.bak`. Both new files are complete and synced before either rename, so a
/// failure while writing or copying leaves the target and the previous backup as they were;
/// the backup is renamed first, so the target's previous content is never only in a
/// temporary file.
fn replace(target: &Path, bytes: &[u8], backup: bool) -> Result<(), FileError> {
    let existing = match fs::symlink_metadata(target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_err(target)(e)),
    };
    if let Some(meta) = &existing {
        replaceable(target, meta)?;
    }
    let (dir, name) = dir_and_name(target);
    // Said plainly: "No such file or directory" about a file being created reads as if the
    // file were missing.
    if existing.is_none()
        && fs::metadata(&dir).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    {
        return Err(io_err(target)(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("the folder {} does not exist", dir.display()),
        )));
    }
    remove_stale_temps(&dir, &name);
    if backup {
        remove_stale_temps(&dir, &format!("{name}.bak"));
    }
    let tmp = write_temp(target, &name, existing.as_ref(), &mut |f| {
        f.write_all(bytes)
    })
    .map_err(io_err(target))?;
    let bak = backup_path(target);
    let bak_tmp = match (&existing, backup) {
        (Some(meta), true) => {
            let (_, bak_name) = dir_and_name(&bak);
            match backup_temp(target, meta, &bak_name) {
                Ok(t) => Some(t),
                Err(error) => {
                    let _ = fs::remove_file(&tmp);
                    return Err(FileError::Io { path: bak, error });
                }
            }
        }
        _ => None,
    };
    let cleanup = |e: std::io::Error, path: &Path| {
        let _ = fs::remove_file(&tmp);
        if let Some(b) = &bak_tmp {
            let _ = fs::remove_file(b);
        }
        FileError::Io {
            path: path.to_owned(),
            error: e,
        }
    };
    #[cfg(test)]
    if FAIL_BEFORE_RENAME.with(|f| f.replace(false)) {
        return Err(cleanup(std::io::Error::other("injected failure"), target));
    }
    // rename replaces whatever has the name (a planted link included), never a link's target.
    if let Some(b) = &bak_tmp {
        fs::rename(b, &bak).map_err(|e| cleanup(e, &bak))?;
    }
    fs::rename(&tmp, target).map_err(|e| cleanup(e, target))?;
    // Make the renames themselves durable where the platform allows it.
    if let Ok(d) = fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The user's RON config file `name` in `dir` (`groups.ron`, `sources.ron`), read like any
/// user file: `Ok(None)` when there is none, the reason when it does not read.
///
/// # Errors
/// A message naming the file when it cannot be read or parsed.
pub fn read_config<T: serde::de::DeserializeOwned>(
    dir: &Path,
    name: &str,
) -> Result<Option<T>, String> {
    let path = dir.join(name);
    if !path.exists() {
        return Ok(None);
    }
    let text = read_text(&path).map_err(|e| e.to_string())?;
    ron::from_str::<T>(strip_bom(&text))
        .map(Some)
        .map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{Attributes, Kind, Qualifier};
    use crate::span::Span;
    use time::OffsetDateTime;

    fn sample() -> Document {
        let mut doc = Document::from_article(
            "Title\r\n\r\n“More than 10,000” — said “someone” ©AFP\r\n",
            Some("x.txt".into()),
        );
        let now = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        let f = doc.new_annotation(Kind::Figure, Span { start: 8, end: 24 }, "ann", now);
        crate::edit::Edit::Insert(f).apply(&mut doc).unwrap();
        let mut q = doc.new_annotation(Kind::Quote, Span { start: 7, end: 25 }, "ann", now);
        q.attributes = Attributes::Quote(crate::annotation::QuoteAttrs {
            speaker: "Tokayev \"the president\"".into(),
        });
        q.note = "line one\nline two".into();
        crate::edit::Edit::Insert(q).apply(&mut doc).unwrap();
        doc
    }

    #[test]
    fn round_trip_is_identity() {
        let doc = sample();
        assert_eq!(doc.annotations()[1].exact, "More than 10,000");
        assert_eq!(
            doc.annotations()[1].figure().unwrap().qualifier,
            Qualifier::MoreThan
        );
        let ron = to_ron(&doc).unwrap();
        assert!(ron.contains("version: 1,"), "{ron}");
        let back = parse(Path::new("mem.ron"), &ron).unwrap();
        assert_eq!(back.annotations(), doc.annotations());
        assert_eq!(back.text().as_str(), doc.text().as_str());
        assert_eq!(back.meta, doc.meta);
        assert_eq!(
            to_ron(&back).unwrap(),
            ron,
            "saving twice gives the same bytes"
        );
    }

    #[test]
    fn rejected_suggestions_round_trip_and_stale_ones_are_dropped() {
        let mut doc = sample();
        let r = Rejected {
            kind: Kind::Quote,
            span: Span { start: 34, end: 41 },
            exact: "someone".into(),
        };
        crate::edit::Edit::Reject(r.clone())
            .apply(&mut doc)
            .unwrap();
        let ron = to_ron(&doc).unwrap();
        assert!(ron.contains("rejected: ["), "{ron}");
        let back = parse(Path::new("mem.ron"), &ron).unwrap();
        assert_eq!(back.rejected(), [r]);
        // A hand-edited rejection that no longer matches the text is dropped, not an error.
        let stale = ron.replace("exact: \"someone\"", "exact: \"somebody\"");
        assert!(
            parse(Path::new("mem.ron"), &stale)
                .unwrap()
                .rejected()
                .is_empty()
        );
        // Files without any rejection do not mention the field.
        assert!(!to_ron(&sample()).unwrap().contains("rejected"));
    }

    #[test]
    fn saving_over_a_file_keeps_the_previous_version_as_bak() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        let doc = sample();
        save(&doc, &path).unwrap();
        assert!(
            !backup_path(&path).exists(),
            "nothing to back up the first time"
        );
        let first = fs::read(&path).unwrap();
        let mut changed = doc.clone();
        let id = changed.annotations()[0].id;
        crate::edit::Edit::Remove(id).apply(&mut changed).unwrap();
        save(&changed, &path).unwrap();
        assert_eq!(fs::read(backup_path(&path)).unwrap(), first);
        assert_eq!(load(&path).unwrap().annotations(), changed.annotations());
    }

    #[test]
    fn malformed_ron_reports_line_and_column() {
        let ron = to_ron(&sample()).unwrap();
        let broken = ron.replacen("version: 1,", "version: 1,,", 1);
        let err = parse(Path::new("bad.ron"), &broken).unwrap_err();
        let FileError::Syntax { line, col, .. } = &err else {
            panic!("{err}")
        };
        let expected_line = broken.lines().position(|l| l.contains("1,,")).unwrap() + 1;
        assert_eq!(*line, expected_line);
        assert!(*col > 1);
        assert!(err.to_string().starts_with("bad.ron: line "), "{err}");
    }

    #[test]
    fn truncated_file_is_a_syntax_error() {
        let ron = to_ron(&sample()).unwrap();
        let err = parse(Path::new("t.ron"), &ron[..ron.len() / 2]).unwrap_err();
        assert!(matches!(err, FileError::Syntax { .. }), "{err}");
    }

    #[test]
    fn foreign_and_future_files_are_named_as_such() {
        let err = parse(Path::new("f.ron"), "(name: \"x\")").unwrap_err();
        assert!(matches!(err, FileError::NotTallymark { .. }), "{err}");
        let ron = to_ron(&sample())
            .unwrap()
            .replacen("version: 1,", "version: 7,", 1);
        let err = parse(Path::new("f.ron"), &ron).unwrap_err();
        assert!(err.to_string().contains("version 7"), "{err}");
        assert!(err.to_string().contains("version 1"), "{err}");
    }

    #[test]
    fn inconsistent_content_is_listed() {
        let ron = to_ron(&sample())
            .unwrap()
            .replacen(
                "exact: \"More than 10,000\"",
                "exact: \"More than 20,000\"",
                1,
            )
            .replacen("end: 25", "end: 999", 1);
        let err = parse(Path::new("i.ron"), &ron).unwrap_err();
        let FileError::Invalid { problems, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(err.to_string().contains("does not match"), "{err}");
        assert!(err.to_string().contains("outside the article"), "{err}");
    }

    #[test]
    fn atomic_save_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        std::fs::write(&path, "old").unwrap();
        save(&sample(), &path).unwrap();
        let back = load(&path).unwrap();
        assert_eq!(back.annotations().len(), 2);
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["a.ron", "a.ron.bak"],
            "no temporary file left behind"
        );
    }

    #[test]
    fn failed_save_keeps_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-dir").join("a.ron");
        let err = save(&sample(), &missing).unwrap_err();
        assert!(matches!(err, FileError::Io { .. }));
        assert!(err.to_string().contains("no-such-dir"), "{err}");
    }

    #[test]
    fn non_utf8_reports_place() {
        let err = bytes_to_text(Path::new("x.txt"), b"ok\nab\xffc".to_vec()).unwrap_err();
        assert_eq!(err.to_string(), "x.txt: line 2, column 3: not UTF-8 text");
        let err = bytes_to_text(Path::new("x.bin"), b"a\0b".to_vec()).unwrap_err();
        assert!(matches!(err, FileError::Binary { .. }));
    }

    #[test]
    fn kinds_survive() {
        let back = parse(Path::new("m"), &to_ron(&sample()).unwrap()).unwrap();
        let kinds: Vec<Kind> = back.annotations().iter().map(|a| a.kind()).collect();
        assert_eq!(kinds, vec![Kind::Quote, Kind::Figure]);
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[cfg(unix)]
    #[test]
    fn backup_never_follows_a_planted_link() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, "precious").unwrap();
        save(&sample(), &path).unwrap();
        std::os::unix::fs::symlink(&victim, backup_path(&path)).unwrap();
        let first = fs::read(&path).unwrap();
        let mut changed = sample();
        let id = changed.annotations()[0].id;
        crate::edit::Edit::Remove(id).apply(&mut changed).unwrap();
        save(&changed, &path).unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        let bak = fs::symlink_metadata(backup_path(&path)).unwrap();
        assert!(bak.is_file(), "the link itself was replaced");
        assert_eq!(fs::read(backup_path(&path)).unwrap(), first);
    }

    #[test]
    fn a_failed_save_keeps_the_file_and_the_previous_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        let mut doc = sample();
        save(&doc, &path).unwrap();
        let id = doc.annotations()[0].id;
        crate::edit::Edit::Remove(id).apply(&mut doc).unwrap();
        save(&doc, &path).unwrap();
        let (file, bak) = (
            fs::read(&path).unwrap(),
            fs::read(backup_path(&path)).unwrap(),
        );
        let id = doc.annotations()[0].id;
        crate::edit::Edit::Remove(id).apply(&mut doc).unwrap();
        FAIL_BEFORE_RENAME.with(|f| f.set(true));
        let err = save(&doc, &path).unwrap_err();
        assert!(err.to_string().contains("injected"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), file);
        assert_eq!(fs::read(backup_path(&path)).unwrap(), bak);
        assert_eq!(
            names(dir.path()),
            ["a.ron", "a.ron.bak"],
            "temporaries removed"
        );
    }

    #[cfg(unix)]
    #[test]
    fn temporary_names_are_unpredictable_and_never_followed() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, "precious").unwrap();
        // The name older versions used: a link there must not matter.
        let old_name = dir
            .path()
            .join(format!(".a.ron.{}.tmp", std::process::id()));
        symlink(&victim, &old_name).unwrap();
        save(&sample(), &path).unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert!(load(&path).is_ok());
        // That link is ours in pattern but its pid lives (this process) and it is new: kept.
        assert!(fs::symlink_metadata(&old_name).is_ok());
        fs::remove_file(&old_name).unwrap();
        assert_eq!(names(dir.path()), ["a.ron", "victim.txt"]);
    }

    #[test]
    fn stale_temporaries_of_dead_writers_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        // pid 4000000000 never runs (Linux pids stop at 2^22).
        let dead = [
            ".a.ron.4000000000.0123456789abcdef.tmp",
            ".a.ron.4000000000.tmp",
        ];
        let kept = [
            ".a.ron.notes.tmp",
            ".a.ron.4000000000.xyz.tmp",
            ".b.ron.4000000000.tmp",
            "a.ron.4000000000.tmp",
        ];
        for n in dead.iter().chain(&kept) {
            fs::write(dir.path().join(n), "x").unwrap();
        }
        save(&sample(), &path).unwrap();
        let mut expected: Vec<&str> = kept.to_vec();
        expected.push("a.ron");
        expected.sort_unstable();
        if cfg!(target_os = "linux") {
            assert_eq!(names(dir.path()), expected);
        }
    }

    #[cfg(unix)]
    #[test]
    fn saving_keeps_the_mode_of_the_file_replaced() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        save(&sample(), &path).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&backup_path(&path)), 0o600, "the backup too");
        write_atomic(&path, b"x").unwrap();
        assert_eq!(mode(&path), 0o600);
    }

    /// Owner and group are kept where we may keep them: as root (CI), both; otherwise the
    /// test checks only that a file of our own stays ours.
    #[cfg(unix)]
    #[test]
    fn saving_keeps_the_owner_and_group_of_the_file_replaced() {
        use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _, chown};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o664)).unwrap();
        let root = fs::metadata(&path).unwrap().uid() == 0;
        let (uid, gid) = if root {
            chown(&path, Some(4242), Some(4343)).unwrap();
            (4242, 4343)
        } else {
            let m = fs::metadata(&path).unwrap();
            (m.uid(), m.gid())
        };
        save(&sample(), &path).unwrap();
        for p in [path.clone(), backup_path(&path)] {
            let m = fs::metadata(&p).unwrap();
            assert_eq!((m.uid(), m.gid()), (uid, gid), "{}", p.display());
            assert_eq!(m.permissions().mode() & 0o777, 0o664, "{}", p.display());
        }
    }

    #[test]
    fn a_read_only_file_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        fs::write(&path, "old").unwrap();
        let mut perms = fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&path, perms).unwrap();
        let err = save(&sample(), &path).unwrap_err();
        assert!(matches!(err, FileError::ReadOnly { .. }), "{err}");
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert!(matches!(
            write_atomic(&path, b"new"),
            Err(FileError::ReadOnly { .. })
        ));
        assert_eq!(names(dir.path()), ["a.ron"]);
    }

    #[cfg(unix)]
    #[test]
    fn saving_through_a_link_writes_the_file_it_points_to() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.ron");
        let link = dir.path().join("link.ron");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink("real.ron", &link).unwrap();
        save(&sample(), &link).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(load(&real).unwrap().annotations().len(), 2);
        assert_eq!(fs::read_to_string(backup_path(&real)).unwrap(), "old");
        // A dangling link: the file it names is created, the link kept.
        let dangling = dir.path().join("dangling.ron");
        std::os::unix::fs::symlink("made.ron", &dangling).unwrap();
        write_atomic(&dangling, b"x").unwrap();
        assert!(
            fs::symlink_metadata(&dangling)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("made.ron")).unwrap(),
            "x"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_target_that_is_not_a_regular_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = save(&sample(), Path::new("/dev/null")).unwrap_err();
        assert!(matches!(err, FileError::NotRegular { .. }), "{err}");
        assert!(err.to_string().contains("a device"), "{err}");
        let sub = dir.path().join("sub.ron");
        fs::create_dir(&sub).unwrap();
        let err = write_atomic(&sub, b"x").unwrap_err();
        assert!(err.to_string().contains("a directory"), "{err}");
        assert!(sub.is_dir());
    }

    #[test]
    fn non_finite_figure_values_are_refused_on_load() {
        let ron = to_ron(&sample()).unwrap();
        let id = sample().annotations()[1].id;
        assert!(ron.contains("value_low: 10000.0"), "{ron}");
        for bad in ["NaN", "inf", "-inf"] {
            let text = ron.replacen("value_low: 10000.0", &format!("value_low: {bad}"), 1);
            let err = parse(Path::new("nan.ron"), &text).unwrap_err();
            let FileError::Invalid { problems, .. } = &err else {
                panic!("{bad}: {err}")
            };
            assert_eq!(problems[0].id, Some(id), "{err}");
            let msg = err.to_string();
            assert!(msg.starts_with("nan.ron: "), "{msg}");
            assert!(
                msg.contains(&format!("annotation {id}: value_low")),
                "{msg}"
            );
            assert!(msg.contains("finite"), "{msg}");
        }
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let ron = format!("\u{feff}{}", to_ron(&sample()).unwrap());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bom.ron");
        fs::write(&path, &ron).unwrap();
        let (doc, hash) = load_with_hash(&path).unwrap();
        assert_eq!(doc.annotations().len(), 2);
        assert_eq!(Some(hash), hash_file(&path), "the hash is the file's");
    }

    #[test]
    fn control_characters_round_trip_in_every_string() {
        let mut chars: Vec<char> = (0u8..0x20).map(char::from).collect();
        chars.extend(['\u{7f}', '\u{85}', '\u{2028}', '\u{2029}']);
        for c in chars {
            let mut doc = sample();
            doc.meta.title = format!("a{c}b");
            doc.meta.source = Some(format!("src{c}"));
            doc.meta.url = Some(format!("https://x/{c}"));
            let mut a = (*doc.annotations()[0]).clone();
            a.note = format!("{c}note{c}");
            a.annotator = format!("ann{c}");
            a.attributes = Attributes::Quote(crate::annotation::QuoteAttrs {
                speaker: format!("sp{c}eaker"),
            });
            crate::edit::Edit::Replace(a).apply(&mut doc).unwrap();
            let ron = to_ron(&doc).unwrap();
            assert!(!ron.contains('\0'), "{c:?}: no raw NUL");
            if c != '\n' && c != '\t' {
                assert!(!ron.contains(c), "{c:?} is escaped");
            }
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("c.ron");
            save(&doc, &path).unwrap();
            let back = load(&path).unwrap_or_else(|e| panic!("{c:?}: {e}"));
            assert_eq!(back.meta, doc.meta, "{c:?}");
            assert_eq!(back.annotations(), doc.annotations(), "{c:?}");
            assert_eq!(to_ron(&back).unwrap(), ron, "{c:?}: stable");
        }
    }

    #[cfg(unix)]
    #[test]
    fn readers_refuse_fifos_devices_and_huge_files() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.ron");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Returns at once rather than waiting for a writer.
        let err = load(&fifo).unwrap_err();
        assert!(err.to_string().contains("FIFO"), "{err}");
        assert!(matches!(
            load_article(&fifo),
            Err(FileError::NotRegular { .. })
        ));
        assert!(hash_file(&fifo).is_none());
        let err = read_text(Path::new("/dev/zero")).unwrap_err();
        assert!(err.to_string().contains("a device"), "{err}");
        assert!(matches!(
            load_article(Path::new("/dev/zero")),
            Err(FileError::NotRegular { .. })
        ));
        let big = dir.path().join("big.txt");
        fs::File::create(&big)
            .unwrap()
            .set_len(MAX_READ_BYTES + 1)
            .unwrap();
        let err = load_article(&big).unwrap_err();
        assert!(matches!(err, FileError::TooLarge { .. }), "{err}");
        assert!(err.to_string().contains("256 MiB"), "{err}");
        assert!(matches!(read_text(&big), Err(FileError::TooLarge { .. })));
    }
}
