//! Exports of an annotation file for review, and imports back from the formats that can
//! carry annotations: W3C Web Annotation JSON-LD, brat standoff, CSV of figures, and a
//! review report in HTML or Markdown.
//!
//! Every export is deterministic (annotations in text order, keys in a fixed order), so two
//! exports of the same file are byte-identical and diff well.

pub mod brat;
pub mod imported;
pub mod report;
pub mod tasks;
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
    /// Label Studio JSON tasks (with its labelling configuration beside).
    LabelStudio,
    /// doccano JSONL (entities and relations, UTF-16 offsets).
    Doccano,
    /// spaCy/Prodigy JSONL (`spans`).
    Spacy,
}

impl Format {
    /// Every format, in menu order.
    pub const ALL: [Self; 8] = [
        Self::W3c,
        Self::Brat,
        Self::LabelStudio,
        Self::Doccano,
        Self::Spacy,
        Self::Csv,
        Self::Html,
        Self::Md,
    ];

    /// Name on the command line (`--to w3c`).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::W3c => "w3c",
            Self::Brat => "brat",
            Self::Csv => "csv",
            Self::Html => "html",
            Self::Md => "md",
            Self::LabelStudio => "label-studio",
            Self::Doccano => "doccano",
            Self::Spacy => "spacy",
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
            Self::LabelStudio => "Label Studio JSON (+ labelling config)…",
            Self::Doccano => "doccano JSONL…",
            Self::Spacy => "spaCy / Prodigy JSONL…",
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
            Self::LabelStudio => "json",
            Self::Doccano | Self::Spacy => "jsonl",
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
    /// A name of its own in the output's folder (brat's `annotation.conf`), instead of
    /// the output's name with `extension`.
    pub file_name: Option<&'static str>,
    /// A companion file beside a one-file output: the output's name, less a final
    /// `.json`/`.jsonl`, with this suffix (Label Studio's `.label-config.xml`).
    pub beside: Option<&'static str>,
}

impl Output {
    fn new(extension: &'static str, contents: String) -> Self {
        Self {
            extension,
            contents,
            file_name: None,
            beside: None,
        }
    }

    /// True for the main output (printed when there is no `-o`), false for companions.
    #[must_use]
    pub fn is_main(&self) -> bool {
        self.file_name.is_none() && self.beside.is_none()
    }
}

/// Where each of `outputs` goes for `target`: a one-file format writes `target` itself;
/// brat writes `STEM.txt` and `STEM.ann`, where `STEM` is `target` as given less a final
/// `.ann` or `.txt` (never cut at another dot: `kz.annotator-b` gives `kz.annotator-b.ann`),
/// and `annotation.conf` in the same folder.
#[must_use]
pub fn output_paths(outputs: &[Output], format: Format, target: &Path) -> Vec<PathBuf> {
    let stem = {
        let s = target.as_os_str().to_string_lossy();
        let cut = [".ann", ".txt"]
            .iter()
            .find_map(|ext| s.strip_suffix(ext).filter(|rest| !rest.is_empty()));
        match cut {
            Some(rest) => PathBuf::from(rest.to_owned()),
            None => target.to_owned(),
        }
    };
    outputs
        .iter()
        .map(|o| match (o.file_name, format) {
            (None, _) if o.beside.is_some() => {
                let s = target.as_os_str().to_string_lossy();
                let base = [".jsonl", ".json"]
                    .iter()
                    .find_map(|ext| s.strip_suffix(ext).filter(|rest| !rest.is_empty()))
                    .unwrap_or(&s);
                PathBuf::from(format!("{base}{}", o.beside.unwrap_or_default()))
            }
            (Some(name), _) => target
                .parent()
                .map_or_else(|| PathBuf::from(name), |dir| dir.join(name)),
            (None, Format::Brat) => {
                let mut p = stem.clone().into_os_string();
                p.push(".");
                p.push(o.extension);
                PathBuf::from(p)
            }
            (None, _) => target.to_owned(),
        })
        .collect()
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
    let paths = output_paths(outputs, format, target);
    let mut unchanged = vec![false; paths.len()];
    for ((p, o), same) in paths.iter().zip(outputs).zip(&mut unchanged) {
        refuse_overwrite(p, inputs)?;
        // A file that already holds exactly these bytes (the article beside its `.ann`,
        // the `annotation.conf` of an earlier export) is left as it is: nothing is lost.
        *same = std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file())
            && super::persist::read_bytes(p).is_ok_and(|b| b == o.contents.as_bytes());
        // `symlink_metadata`: a dangling link is something that exists too.
        if !replace && !*same && std::fs::symlink_metadata(p).is_ok() {
            return Err(ExportError::Exists(p.clone()));
        }
    }
    for ((p, o), same) in paths.iter().zip(outputs).zip(&unchanged) {
        if !same {
            super::persist::write_atomic(p, o.contents.as_bytes())?;
        }
    }
    Ok(paths)
}

/// Exports `doc` in `format`; brat gives three files (`.txt`, `.ann` and
/// `annotation.conf`), the others one.
///
/// # Errors
/// Serialisation failures only.
pub fn export(doc: &Document, format: Format) -> Result<Vec<Output>, ExportError> {
    export_named(doc, format, "")
}

/// [`export`] of the annotation file called `name` (its file name, which W3C annotation
/// IRIs include: see [`w3c::file_identity`]).
///
/// # Errors
/// Serialisation failures only.
pub fn export_named(
    doc: &Document,
    format: Format,
    name: &str,
) -> Result<Vec<Output>, ExportError> {
    Ok(match format {
        Format::W3c => vec![Output::new("jsonld", w3c::to_json_named(doc, name)?)],
        Format::Brat => {
            let (txt, ann) = brat::to_brat(doc);
            vec![
                Output::new("txt", txt),
                Output::new("ann", ann),
                Output {
                    file_name: Some("annotation.conf"),
                    ..Output::new("conf", brat::annotation_conf(doc))
                },
            ]
        }
        Format::Csv => vec![Output::new("csv", figures_csv(doc)?)],
        Format::Html => vec![Output::new("html", report::to_html(doc))],
        Format::Md => vec![Output::new("md", report::to_markdown(doc))],
        Format::LabelStudio => vec![
            Output::new("json", tasks::to_label_studio(doc)?),
            Output {
                beside: Some(".label-config.xml"),
                ..Output::new("xml", tasks::label_studio_config(doc))
            },
        ],
        Format::Doccano => vec![Output::new("jsonl", tasks::to_doccano(doc)?)],
        Format::Spacy => vec![Output::new("jsonl", tasks::to_spacy(doc)?)],
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
    /// W3C Web Annotation JSON(-LD).
    W3c,
    /// Label Studio JSON tasks (their text inside).
    LabelStudio,
    /// doccano JSONL (its text inside).
    Doccano,
    /// spaCy/Prodigy JSONL (its text inside).
    Spacy,
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

    /// The format of `input`, read from `path`: `.ann` is brat; `.jsonl` is spaCy/Prodigy
    /// when its first line has `spans`, else doccano; JSON whose first item has a task's
    /// `data`, `annotations` or `predictions` (and no `type`) is Label Studio, other JSON
    /// W3C.
    #[must_use]
    pub fn detect(path: &std::path::Path, input: &str) -> Self {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let input = super::persist::strip_bom(input);
        if ext == "ann" {
            return Self::Brat;
        }
        if ext == "jsonl" || ext == "ndjson" {
            let first = input.lines().map(str::trim).find(|l| !l.is_empty());
            let v: serde_json::Value = first
                .and_then(|l| serde_json::from_str(l).ok())
                .unwrap_or_default();
            return if v.get("spans").is_some() {
                Self::Spacy
            } else {
                Self::Doccano
            };
        }
        let v: serde_json::Value = serde_json::from_str(input).unwrap_or_default();
        let first = match &v {
            serde_json::Value::Array(a) => a.first().cloned().unwrap_or_default(),
            other => other.clone(),
        };
        let task = first.get("type").is_none()
            && ["data", "annotations", "predictions"]
                .iter()
                .any(|k| first.get(k).is_some());
        if task { Self::LabelStudio } else { Self::W3c }
    }

    /// The format of the file at `path` when it is another tool's annotation file, so that
    /// opening it imports it instead of showing its markup as an article: brat `.ann`,
    /// JSONL (doccano, spaCy/Prodigy), and JSON that is a Label Studio export or W3C
    /// annotations (an `@context`, or a `type` naming an annotation or a collection). None
    /// for anything else, and for a file that cannot be read (opening it says why).
    #[must_use]
    pub fn of_file(path: &std::path::Path) -> Option<Self> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())?;
        if !matches!(ext.as_str(), "ann" | "jsonl" | "ndjson" | "json" | "jsonld") {
            return None;
        }
        let input = super::persist::read_text(path).ok()?;
        let format = Self::detect(path, &input);
        if format != Self::W3c {
            return Some(format);
        }
        let v: serde_json::Value = serde_json::from_str(super::persist::strip_bom(&input)).ok()?;
        let first = match &v {
            serde_json::Value::Array(a) => a.first()?,
            other => other,
        };
        let typed = |t: &serde_json::Value| {
            t.as_str()
                .into_iter()
                .chain(
                    t.as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|x| x.as_str()),
                )
                .any(|t| t.contains("Annotation"))
        };
        (first.get("@context").is_some() || first.get("type").is_some_and(typed))
            .then_some(Self::W3c)
    }

    /// True for the formats that carry their own text (no article is needed; a file may
    /// hold many documents).
    #[must_use]
    pub fn carries_text(self) -> bool {
        matches!(self, Self::LabelStudio | Self::Doccano | Self::Spacy)
    }
}

/// Reads a file of a format that carries its own text ([`ImportFormat::carries_text`]):
/// one document per task and annotator (Label Studio) or per line (doccano, spaCy), each
/// named `STEM.…` after `stem`, with one report for the whole file.
///
/// # Errors
/// Input that does not parse (naming the line for JSONL).
pub fn import_documents(
    input: &str,
    format: ImportFormat,
    stem: &str,
    map: &imported::TypeMap,
) -> Result<(Vec<tasks::Named>, imported::ImportReport), ExportError> {
    let mut report = imported::ImportReport::default();
    let docs = match format {
        ImportFormat::LabelStudio => tasks::from_label_studio(input, stem, map, &mut report)?,
        ImportFormat::Doccano => tasks::from_doccano(input, stem, map, &mut report)?,
        ImportFormat::Spacy => tasks::from_spacy(input, stem, map, &mut report)?,
        ImportFormat::Brat | ImportFormat::W3c => {
            return Err(ExportError::Invalid(
                "brat and W3C annotations need the article they point into".to_owned(),
            ));
        }
    };
    Ok((docs, report))
}

/// What an importer read: annotations placed on the article, and orphans (their text is
/// not in it; kept for the user to place or delete).
#[derive(Debug, Default)]
pub struct Read {
    /// Placed on the article.
    pub placed: Vec<Annotation>,
    /// Kept, unplaced.
    pub orphans: Vec<Annotation>,
}

/// A finished import: the document and the report of what came in and what did not.
#[derive(Debug)]
pub struct Imported {
    /// The article with the imported annotations (and orphans).
    pub doc: Document,
    /// What was imported, moved, orphaned and not imported, by reason.
    pub report: imported::ImportReport,
}

/// [`import_with`] from the file at `path`, in the format its name suggests
/// ([`ImportFormat::of`]). The file is read like every other input: regular files only, at
/// most [`crate::persist::MAX_READ_BYTES`]; a malformed one is reported with its name.
///
/// # Errors
/// An unreadable, non-regular or oversized file, JSON that does not parse, or a figure
/// value that is not a finite number.
pub fn import_file(
    article: &Document,
    path: &Path,
    map: &imported::TypeMap,
) -> Result<Imported, ExportError> {
    let input = super::persist::read_text(path)?;
    import_with(article, &input, ImportFormat::detect(path, &input), map).map_err(|e| match e {
        ExportError::File(f) => ExportError::File(f),
        other => ExportError::Invalid(format!("{}: {other}", path.display())),
    })
}

/// [`import_with`] without a type mapping, returning the document only.
///
/// # Errors
/// As [`import_with`].
pub fn import_onto(
    article: &Document,
    input: &str,
    format: ImportFormat,
) -> Result<Document, ExportError> {
    import_with(article, input, format, &imported::TypeMap::default()).map(|i| i.doc)
}

/// A copy of `article` whose annotations are the ones read from `input` (its own
/// annotations are dropped; duplicate ids are renumbered), with the report of what was and
/// was not imported.
///
/// # Errors
/// Input that cannot be read at all (JSON that does not parse) or a figure value that is
/// not a finite number; everything else is counted in the report.
pub fn import_with(
    article: &Document,
    input: &str,
    format: ImportFormat,
    map: &imported::TypeMap,
) -> Result<Imported, ExportError> {
    let mut report = imported::ImportReport::default();
    let read = match format {
        ImportFormat::Brat => brat::from_brat(article, input, map, &mut report)?,
        ImportFormat::W3c => w3c::from_json(article, input, map, &mut report)?,
        ImportFormat::LabelStudio | ImportFormat::Doccano | ImportFormat::Spacy => {
            return Err(ExportError::Invalid(
                "Label Studio, doccano and spaCy files carry their own text and may hold many \
                 documents; they are imported on their own, not onto an article"
                    .to_owned(),
            ));
        }
    };
    Ok(Imported {
        doc: assemble(article, read),
        report,
    })
}

/// The document of an import: `article`'s text with `read`'s annotations, ids made unique
/// over placed and orphaned ones.
fn assemble(article: &Document, read: Read) -> Document {
    let mut seen = std::collections::BTreeSet::new();
    let mut next = read
        .placed
        .iter()
        .chain(&read.orphans)
        .map(|a| a.id)
        .max()
        .unwrap_or(0)
        + 1;
    let mut unique = |mut a: Annotation| {
        if !seen.insert(a.id) {
            a.id = next;
            next += 1;
            seen.insert(a.id);
        }
        a
    };
    let placed: Vec<Annotation> = read.placed.into_iter().map(&mut unique).collect();
    let orphans: Vec<Annotation> = read.orphans.into_iter().map(&mut unique).collect();
    // Built at once (sorted once), not by one insert per annotation, each of which
    // re-indexed the rest: quadratic for a file not in text order.
    Document::from_parts(
        article.meta.clone(),
        article.text().as_str().to_owned(),
        placed,
    )
    .with_orphans(orphans)
}
