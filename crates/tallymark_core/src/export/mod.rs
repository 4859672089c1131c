//! Exports of an annotation file for review, and imports back from the formats that can
//! carry annotations: W3C Web Annotation JSON-LD, brat standoff, CSV of figures, and a
//! review report in HTML or Markdown.
//!
//! Every export is deterministic (annotations in text order, keys in a fixed order), so two
//! exports of the same file are byte-identical and diff well.

pub mod brat;
pub mod report;
pub mod w3c;

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::annotation::Annotation;
use super::document::Document;

/// The formats `tallymark export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// W3C Web Annotation Data Model, JSON-LD (an `AnnotationCollection`).
    W3c,
    /// brat standoff: the article as `.txt` and the annotations as `.ann`.
    Brat,
    /// One row per figure, RFC 4180.
    Csv,
    /// A self-contained HTML review report.
    Html,
    /// A Markdown review report.
    Md,
}

impl Format {
    /// Every format, in menu order.
    pub const ALL: [Self; 5] = [Self::W3c, Self::Brat, Self::Csv, Self::Html, Self::Md];

    /// Name on the command line (`--to w3c`).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::W3c => "w3c",
            Self::Brat => "brat",
            Self::Csv => "csv",
            Self::Html => "html",
            Self::Md => "md",
        }
    }

    /// Label in the Export menu.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::W3c => "W3C Web Annotation (JSON-LD)…",
            Self::Brat => "brat standoff (.ann + .txt)…",
            Self::Csv => "Figures as CSV…",
            Self::Html => "Review report (HTML)…",
            Self::Md => "Review report (Markdown)…",
        }
    }

    /// File extension of the main output.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Self::W3c => "jsonld",
            Self::Brat => "ann",
            Self::Csv => "csv",
            Self::Html => "html",
            Self::Md => "md",
        }
    }
}

/// One output file: a path suffix (extension) and its contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// Extension of this file (`ann`, `txt`, `json`…).
    pub extension: &'static str,
    /// The file's text.
    pub contents: String,
}

/// Why an export or import failed.
#[derive(Debug, Error)]
pub enum ExportError {
    /// JSON could not be written or read: serde's message, with the input it quotes cut
    /// short (an `unknown variant` may be any length); kept as text, not as a `source`, so
    /// that no error chain prints the whole of it again.
    #[error("JSON: {0}")]
    Json(String),
    /// CSV could not be written.
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    /// An imported file does not fit the article.
    #[error("{0}")]
    Invalid(String),
    /// The output would replace one of the inputs.
    #[error("{} is an input; choose another output", .0.display())]
    Overwrite(std::path::PathBuf),
    /// The output exists and replacing it was not asked for.
    #[error("{} exists; not replaced (use --force)", .0.display())]
    Exists(std::path::PathBuf),
    /// An output could not be written.
    #[error(transparent)]
    File(#[from] super::persist::FileError),
}

impl From<serde_json::Error> for ExportError {
    fn from(e: serde_json::Error) -> Self {
        Self::Json(crate::text::tame_message(&e.to_string()))
    }
}

/// Refuses an output path that names one of the inputs (compared as canonical paths).
///
/// # Errors
/// [`ExportError::Overwrite`].
pub fn refuse_overwrite(out: &Path, inputs: &[&Path]) -> Result<(), ExportError> {
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_owned());
    if inputs.iter().any(|i| canon(i) == canon(out)) {
        return Err(ExportError::Overwrite(out.to_owned()));
    }
    Ok(())
}

/// Writes an export to `target` (brat: `target` with `.txt` and `.ann`; the others: `target`
/// itself), atomically, never over one of `inputs`: every path is checked before anything is
/// written. Returns the paths written.
///
/// # Errors
/// An output that names an input, or a failed write.
pub fn write_outputs(
    outputs: &[Output],
    format: Format,
    target: &Path,
    inputs: &[&Path],
) -> Result<Vec<PathBuf>, ExportError> {
    // The app's save dialog has already asked before replacing a file.
    write_outputs_with(outputs, format, target, inputs, true)
}

/// [`write_outputs`], replacing files that exist only when `replace` is true (the command
/// line's `--force`): brat's `.txt` beside the `.ann` is often the very article it was
/// made from, and an export keeps no backup. Every path is checked before anything is
/// written.
///
/// # Errors
/// An output that names an input, one that exists (unless `replace`), or a failed write.
pub fn write_outputs_with(
    outputs: &[Output],
    format: Format,
    target: &Path,
    inputs: &[&Path],
    replace: bool,
) -> Result<Vec<PathBuf>, ExportError> {
    let paths: Vec<PathBuf> = outputs
        .iter()
        .map(|o| {
            if format == Format::Brat {
                target.with_extension(o.extension)
            } else {
                target.to_owned()
            }
        })
        .collect();
    for p in &paths {
        refuse_overwrite(p, inputs)?;
        // `symlink_metadata`: a dangling link is something that exists too.
        if !replace && std::fs::symlink_metadata(p).is_ok() {
            return Err(ExportError::Exists(p.clone()));
        }
    }
    for (p, o) in paths.iter().zip(outputs) {
        super::persist::write_atomic(p, o.contents.as_bytes())?;
    }
    Ok(paths)
}

/// Exports `doc` in `format`; brat gives two files (`.txt` and `.ann`), the others one.
///
/// # Errors
/// Serialisation failures only.
pub fn export(doc: &Document, format: Format) -> Result<Vec<Output>, ExportError> {
    Ok(match format {
        Format::W3c => vec![Output {
            extension: "jsonld",
            contents: w3c::to_json(doc)?,
        }],
        Format::Brat => {
            let (txt, ann) = brat::to_brat(doc);
            vec![
                Output {
                    extension: "txt",
                    contents: txt,
                },
                Output {
                    extension: "ann",
                    contents: ann,
                },
            ]
        }
        Format::Csv => vec![Output {
            extension: "csv",
            contents: figures_csv(doc)?,
        }],
        Format::Html => vec![Output {
            extension: "html",
            contents: report::to_html(doc),
        }],
        Format::Md => vec![Output {
            extension: "md",
            contents: report::to_markdown(doc),
        }],
    })
}

/// The figures of `doc`, one row each, RFC 4180 (quoted where needed), UTF-8.
///
/// # Errors
/// Only if the CSV writer fails.
pub fn figures_csv(doc: &Document) -> Result<String, ExportError> {
    let header = [
        "document",
        "exact",
        "value_low",
        "value_high",
        "qualifier",
        "metric",
        "who",
        "source",
        "reported",
        "start",
        "end",
        "note",
    ];
    let rows = doc.annotations().iter().filter_map(|a| {
        let f = a.figure()?;
        Some(vec![
            doc.meta.title.clone(),
            a.exact.clone(),
            csv_number(f.value_low),
            csv_number(f.value_high),
            f.qualifier.key().to_owned(),
            f.metric.clone(),
            f.who.clone(),
            f.source.clone(),
            f.reported
                .map(super::annotation::format_date)
                .unwrap_or_default(),
            a.span.start.to_string(),
            a.span.end.to_string(),
            a.note.clone(),
        ])
    });
    Ok(safe_csv(&header, rows)?)
}

/// A table as CSV (RFC 4180, UTF-8): the header, then the rows, every cell made safe to
/// open in a spreadsheet ([`spreadsheet_cell`]). Every CSV Tallymark writes goes through it.
///
/// # Errors
/// Only if the CSV writer fails (it writes to memory).
pub fn safe_csv(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for row in rows {
        w.write_record(row.iter().map(|c| spreadsheet_cell(c).into_owned()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A number in a CSV cell: as Rust prints it, empty when absent.
#[must_use]
pub fn csv_number(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// A CSV cell made safe to open in a spreadsheet (OWASP's advice on CSV injection): a cell
/// that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be taken for a
/// formula (`=HYPERLINK(…)`, `@SUM(…)`, `-2+3` …), so it gets a leading `'`, which the
/// spreadsheet shows as text and hides. A plain number such as `-5` or `+1.5e3` stays as it
/// is, so numeric columns keep their numbers.
#[must_use]
pub fn spreadsheet_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = cell.parse::<f64>().is_ok_and(f64::is_finite)
        && cell
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
    if risky && !number {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Checks imported annotations against the article and makes ids unique, so that an import
/// never produces a document the loader would refuse.
///
/// # Errors
/// The first annotation whose span or exact text does not fit the article.
pub fn check_imported(doc: &Document, annotations: &[Annotation]) -> Result<(), ExportError> {
    let len = doc.text().len_chars();
    for a in annotations {
        if a.span.is_empty() || !a.span.fits(len) {
            return Err(ExportError::Invalid(format!(
                "annotation “{}” at {}..{} lies outside the article ({len} chars)",
                crate::text::quote_input(&a.exact),
                a.span.start,
                a.span.end
            )));
        }
        let actual = doc.text().slice(a.span);
        if actual != a.exact {
            return Err(ExportError::Invalid(format!(
                "annotation at {}..{} says “{}” but the article has “{}” there",
                a.span.start,
                a.span.end,
                crate::text::quote_input(&a.exact),
                crate::text::quote_input(actual)
            )));
        }
    }
    Ok(())
}

/// Where imported annotations come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    /// A brat `.ann` (its `.txt` is the article).
    Brat,
    /// This tool's W3C JSON-LD export.
    W3c,
}

impl ImportFormat {
    /// Guesses the format from a file name: `.ann` is brat, anything else W3C JSON.
    #[must_use]
    pub fn of(path: &std::path::Path) -> Self {
        if path.extension().is_some_and(|e| e == "ann") {
            Self::Brat
        } else {
            Self::W3c
        }
    }
}

/// [`import_onto`] from the file at `path`, in the format its name suggests
/// ([`ImportFormat::of`]). The file is read like every other input: regular files only, at
/// most [`crate::persist::MAX_READ_BYTES`]; a malformed one is reported with its name.
///
/// # Errors
/// An unreadable, non-regular or oversized file, malformed input, or annotations that do
/// not fit the article.
pub fn import_file(article: &Document, path: &Path) -> Result<Document, ExportError> {
    let input = super::persist::read_text(path)?;
    import_onto(article, &input, ImportFormat::of(path)).map_err(|e| match e {
        ExportError::File(f) => ExportError::File(f),
        other => ExportError::Invalid(format!("{}: {other}", path.display())),
    })
}

/// A copy of `article` whose annotations are the ones read from `input` (its own
/// annotations are dropped; duplicate ids are renumbered).
///
/// # Errors
/// Malformed input or annotations that do not fit the article.
pub fn import_onto(
    article: &Document,
    input: &str,
    format: ImportFormat,
) -> Result<Document, ExportError> {
    let annotations = match format {
        ImportFormat::Brat => brat::from_brat(article, input)?,
        ImportFormat::W3c => w3c::from_json(article, input)?,
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut next = annotations.iter().map(|a| a.id).max().unwrap_or(0) + 1;
    let mut placed = Vec::with_capacity(annotations.len());
    for mut a in annotations {
        if !seen.insert(a.id) {
            a.id = next;
            next += 1;
            seen.insert(a.id);
        }
        // What `Edit::Insert` would refuse (`check_imported` has also compared the text).
        if a.span.is_empty() || !a.span.fits(article.text().len_chars()) {
            return Err(ExportError::Invalid(
                super::edit::EditError::OutOfText(a.span).to_string(),
            ));
        }
        placed.push(a);
    }
    // Built at once (sorted once), not by one insert per annotation, each of which
    // re-indexed the rest: quadratic for a file not in text order.
    Ok(Document::from_parts(
        article.meta.clone(),
        article.text().as_str().to_owned(),
        placed,
    ))
}
