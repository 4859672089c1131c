//! Reading and writing annotation files (RON, format version 1; see `docs/format.md`).
//!
//! Writing is deterministic (annotations sorted, fields in a fixed order, one per line) and
//! atomic: the file is written next to the target under a temporary name, flushed, synced
//! and renamed over the target, so a crash mid-save leaves either the old or the new file.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::annotation::{Annotation, AnnotationId};
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
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
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
    move |source| FileError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Reads a file as UTF-8 text, reporting the place of the first invalid byte.
///
/// # Errors
/// I/O errors, invalid UTF-8, NUL bytes.
pub fn read_text(path: &Path) -> Result<String, FileError> {
    let bytes = fs::read(path).map_err(io_err(path))?;
    bytes_to_text(path, bytes)
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
    use std::io::Read as _;
    let mut file = fs::File::open(path).map_err(io_err(path))?;
    let total = file.metadata().map_or(0, |m| m.len()).max(1);
    let mut bytes = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
    let mut chunk = vec![0u8; 4 << 20];
    loop {
        let n = file.read(&mut chunk).map_err(io_err(path))?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
        #[allow(clippy::cast_precision_loss, reason = "a progress fraction")]
        let done = bytes.len() as f32 / total as f32;
        if !progress(0.5 * done) {
            return Ok(None);
        }
    }
    let (mut raw, encoding) = decode_article(path, &bytes)?;
    drop(bytes);
    if !progress(0.7) {
        return Ok(None);
    }
    // A saved web page: keep the readable text only.
    if super::html::is_html_file(path) {
        raw = super::html::readable_text(&raw);
    }
    if !progress(0.8) {
        return Ok(None);
    }
    let mut doc = Document::from_article(&raw, Some(path.display().to_string()));
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
/// (see [`validate`]).
pub fn parse(path: &Path, text: &str) -> Result<Document, FileError> {
    let options = ron::Options::default();
    let syntax = |e: ron::error::SpannedError| FileError::Syntax {
        path: path.to_owned(),
        line: e.span.start.line,
        col: e.span.start.col,
        message: e.code.to_string(),
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
        normalization: Normalization {
            line_endings_fixed: file.article.crlf_normalized,
            bom_removed: file.article.bom_removed,
        },
        encoding: file.article.encoding,
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
    for o in &file.orphans {
        if !seen.insert(o.id) {
            problems.push(Problem {
                id: Some(o.id),
                message: "duplicate id (orphan)".to_owned(),
            });
        }
    }
    for a in &file.annotations {
        let id = Some(a.id);
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
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        // Real newlines in the article text keep the file readable and diffs line-based.
        .escape_strings(false)
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    // Sized up front: growing a 40 MB string by doubling would briefly hold twice that.
    let estimate = HEADER.len()
        + file.article.text.len() * 11 / 10
        + (file.annotations.len() + file.orphans.len()) * 800
        + file.rejected.len() * 120
        + 4096;
    let mut out = String::with_capacity(estimate);
    out.push_str(HEADER);
    ron::ser::to_writer_pretty(&mut out, &file, config)?;
    out.push('\n');
    Ok(out)
}

/// The comment at the top of every file, for a reviewer opening it in an editor.
const HEADER: &str = "\
// Tallymark annotation file (format version 1; see docs/format.md).
// Offsets count Unicode scalar values (chars) of article.text, half-open [start, end).
// article.text is stored with LF line endings (CRLF and CR were normalised on load).
";

/// Saves atomically: temporary file in the same directory, flush, sync, rename.
///
/// # Errors
/// I/O errors (the target is left untouched) and serialisation errors.
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
    if let Ok(meta) = fs::metadata(path) {
        if meta.len() == ron.len() as u64 && hash_file(path).as_deref() == Some(hash.as_str()) {
            return Ok(hash);
        }
        let bak = backup_path(path);
        fs::copy(path, &bak).map_err(|source| FileError::Io { path: bak, source })?;
    }
    write_atomic(path, ron.as_bytes())?;
    Ok(hash)
}

/// Lower-case hex SHA-256 of a file's bytes, read in chunks; `None` if it cannot be read.
#[must_use]
pub fn hash_file(path: &Path) -> Option<String> {
    use sha2::Digest as _;
    use std::io::Read as _;
    let mut file = fs::File::open(path).ok()?;
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

/// Writes `bytes` to `path` atomically.
///
/// # Errors
/// I/O errors; on error the target is unchanged and the temporary file removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map_or_else(
        || "annotations".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.flush()?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        // Make the rename itself durable where the platform allows it.
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    result.map_err(|source| {
        let _ = fs::remove_file(&tmp);
        FileError::Io {
            path: path.to_owned(),
            source,
        }
    })
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
}
