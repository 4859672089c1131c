//! The command line: `tallymark [PATH]` opens the app; subcommands run headless on the same
//! core and exit non-zero with a clear message on any problem.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::core::check::Summary;
use crate::core::editor::{Editor, Origin};
use crate::core::persist;

/// The bundled example, also compiled in so the app always has something to show.
const BUNDLED_RON: &str = include_str!("../saves/kazakhstan-protests-2022.ron");
/// Where the bundled example lives in a checkout.
const BUNDLED_PATH: &str = "saves/kazakhstan-protests-2022.ron";

/// Read news articles and mark claims, quotes and figures.
#[derive(Debug, Parser)]
#[command(
    name = "tallymark",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// An article (.txt, .md) or annotation file (.ron) to open. Without it, the bundled
    /// example article opens with its annotations.
    pub path: Option<PathBuf>,
    /// A headless command.
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

/// Headless commands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Validate an annotation file (offsets, exact text, hash) and print counts per kind.
    Check {
        /// The annotation file.
        file: PathBuf,
        /// Output format (`json`: the article's provenance, counts and problems).
        #[arg(long, value_enum, default_value_t = SuggestFormat::Table)]
        format: SuggestFormat,
    },
    /// Annotate a pile of articles in one step: one annotation file per article in DIR,
    /// with the chosen kinds of suggestions accepted (by an annotator named
    /// `tallymark-suggester`), and with `--workspace` a workspace listing them.
    Annotate {
        /// Articles (`.txt`, `.md`, `.html`).
        #[arg(required = true)]
        articles: Vec<PathBuf>,
        /// The folder to write into (made if missing).
        #[arg(short, long)]
        output: PathBuf,
        /// Which suggestions to accept.
        #[arg(long, value_enum, value_delimiter = ',', default_values_t = [AcceptKind::Figures, AcceptKind::Quotes])]
        accept: Vec<AcceptKind>,
        /// Also write `DIR/NAME.workspace.ron` listing the files written.
        #[arg(long, value_name = "NAME")]
        workspace: Option<String>,
        /// Replace files that exist (never done without it).
        #[arg(long)]
        force: bool,
    },
    /// Compare the figures of one or more annotation files (or workspaces): families,
    /// ranges, spreads and conflicts.
    Compare {
        /// Annotation files (`.ron`) and/or workspace files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The ledger of a story: its figures as claims (one figure as stated by one source,
    /// with every article citing it), each source's series over time, low / best / high,
    /// and only the conflicts a careful reader would flag (see `docs/compare.md`).
    Ledger {
        /// Annotation files (`.ron`) and/or workspace files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Claims reported within this many days of each other are at the same time.
        #[arg(long, default_value_t = 2)]
        window: i64,
    },
    /// Suggest figures and quotes in an article (.txt, .md, or the text of a .ron file).
    /// Offsets are chars of the article as loaded (line endings normalised to LF).
    Suggest {
        /// The article or annotation file.
        article: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = SuggestFormat::Table)]
        format: SuggestFormat,
        /// Also suggest claims (sentences reporting an assertion).
        #[arg(long)]
        claims: bool,
        /// Also count deployed troops, police and rescuers as figures.
        #[arg(long)]
        deployments: bool,
        /// Also list the numbers that were judged not to be figures, each with the rule that
        /// said so (`year`, `deployment`, `unit-money-duration`…); in JSON as `not_figures`.
        #[arg(long)]
        explain: bool,
    },
    /// Export an annotation file for review: W3C Web Annotation JSON-LD, brat standoff
    /// (`OUT.txt` + `OUT.ann`), CSV of figures, or an HTML or Markdown report.
    Export {
        /// The annotation file.
        file: PathBuf,
        /// Output format.
        #[arg(long = "to", value_enum)]
        to: ExportFormat,
        /// Where to write (brat: the common stem of the `.txt` and `.ann`). Without it, the
        /// export is printed (not possible for brat, which is two files).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Replace output files that exist (never done without it; an export keeps no
        /// backup).
        #[arg(long)]
        force: bool,
    },
    /// Import annotations from brat standoff (`NAME.ann` beside `NAME.txt`), W3C Web
    /// Annotation JSON(-LD) (with `--article`), or Label Studio JSON, doccano JSONL or
    /// spaCy/Prodigy JSONL (their text inside; one file per task and annotator, or per
    /// line, into `-o DIR`), as Tallymark annotation files. Prints
    /// what was imported and what was not, by reason; fails when the file had annotations
    /// and none came in (see docs/interop.md).
    Import {
        /// The file: brat `.ann` (beside its `.txt`), W3C `.json`/`.jsonld`, a Label Studio
        /// `.json` export, or doccano or spaCy `.jsonl`.
        file: PathBuf,
        /// The article the W3C annotations target (`.txt`, `.md` or `.ron`).
        #[arg(long)]
        article: Option<PathBuf>,
        /// What another tool's type (brat entity type, W3C motivation or tag) becomes:
        /// `TYPE=KIND`, KIND one of claim, quote, figure, skip; repeatable; types match
        /// in any case.
        #[arg(long = "map", value_name = "TYPE=KIND")]
        map: Vec<String>,
        /// Also write the report as JSON to this file.
        #[arg(long, value_name = "FILE.json")]
        report: Option<PathBuf>,
        /// Where to write the `.ron` (printed without it); a folder for a file of several
        /// documents.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Replace the output if it exists (its old version is kept as `.bak`).
        #[arg(long)]
        force: bool,
        /// Give each figure without a value the number its marked words say (a tool that
        /// only marked where figures are); without it, absent values stay absent.
        #[arg(long)]
        read_values: bool,
    },
    /// How far several annotators' files of one article agree: per kind, precision, recall
    /// and F1 with exact and with overlapping spans, and agreement on figure values and metrics.
    Agree {
        /// Two or more annotation files of the same article.
        #[arg(required = true, num_args = 2..)]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = SuggestFormat::Table)]
        format: SuggestFormat,
    },
    /// Re-anchor an annotation file's annotations onto the article's current text (after a
    /// correction or reformatting) and print how many stayed, moved, matched fuzzily or were
    /// orphaned. Writes to -o, or over FILE only with --in-place; prints otherwise.
    Reanchor {
        /// The annotation file.
        file: PathBuf,
        /// The article's current text (`.txt`, `.md`, `.html`).
        article: PathBuf,
        /// Where to write the re-anchored file.
        #[arg(short, long, conflicts_with = "in_place")]
        output: Option<PathBuf>,
        /// Replace FILE (a `.bak` copy of the old one is kept).
        #[arg(long)]
        in_place: bool,
    },
    /// Measure speed and memory on big synthetic documents (50 KB, 1 MB and 5 MB of text
    /// with one annotation per 100 bytes): open, first frame, frame time while scrolling,
    /// selecting and hovering, edits, saves and peak memory, next to a naive baseline. Run
    /// it from a release build: `cargo run --release -- bench`.
    Bench {
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// A shorter run (smaller sizes, fewer frames), under a minute.
        #[arg(long)]
        quick: bool,
        /// Article sizes in bytes, instead of the defaults.
        #[arg(long, value_delimiter = ',')]
        sizes: Vec<usize>,
        /// Instead: a story of this many articles (syndicated copies, updates, counts for
        /// towns and children) opened as a workspace: open, ledger and Compare tab frames.
        #[arg(long, value_name = "ARTICLES")]
        story: Option<usize>,
        /// Internal: measure the app on this file and print JSON (one child per size).
        #[arg(long, hide = true, conflicts_with = "baseline")]
        measure: Option<PathBuf>,
        /// Internal: measure the naive baseline on this file and print JSON.
        #[arg(long, hide = true)]
        baseline: Option<PathBuf>,
    },
    /// Rewrite an annotation file in canonical form (sorted, one field per line).
    Fmt {
        /// The annotation file.
        file: PathBuf,
        /// Write here instead of printing to standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

/// Output formats of `compare`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for people.
    Table,
    /// One row per figure, RFC 4180.
    Csv,
    /// Stable JSON for scripts (see `docs/compare.md`).
    Json,
}

/// Formats of `export`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// W3C Web Annotation Data Model, JSON-LD.
    W3c,
    /// brat standoff (`.txt` + `.ann`).
    Brat,
    /// One row per figure.
    Csv,
    /// Self-contained HTML review report.
    Html,
    /// Markdown review report.
    Md,
    /// Label Studio JSON tasks, its XML labelling configuration written beside.
    LabelStudio,
    /// doccano JSONL (entities and relations; UTF-16 offsets).
    Doccano,
    /// spaCy/Prodigy JSONL (`spans`).
    Spacy,
}

impl From<ExportFormat> for crate::core::export::Format {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::W3c => Self::W3c,
            ExportFormat::Brat => Self::Brat,
            ExportFormat::Csv => Self::Csv,
            ExportFormat::Html => Self::Html,
            ExportFormat::Md => Self::Md,
            ExportFormat::LabelStudio => Self::LabelStudio,
            ExportFormat::Doccano => Self::Doccano,
            ExportFormat::Spacy => Self::Spacy,
        }
    }
}

/// Kinds of suggestions `annotate` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AcceptKind {
    /// Figures (with value, metric, who, place, date and source).
    Figures,
    /// Quotes (with speaker).
    Quotes,
    /// Claims (with claimant).
    Claims,
}

/// Output formats of `suggest`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SuggestFormat {
    /// One line per suggestion, for people.
    Table,
    /// `{"figures": [...], "quotes": [...]}` for scripts.
    Json,
}

/// Entry point of the binary: runs and turns errors into a message and exit code 1. A
/// reader that stopped reading (`tallymark compare … | head -1`) ends the command quietly
/// with success, as `grep` does.
#[must_use]
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version print as clap prints them. An error quotes the argument given,
        // which may be a file name from anywhere: no escapes through.
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            let message = e.render().to_string();
            let _ = std::io::Write::write_all(
                &mut std::io::stderr().lock(),
                crate::core::text::terminal_safe(&message).as_bytes(),
            );
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) if e.downcast_ref::<ClosedOutput>().is_some() => ExitCode::SUCCESS,
        Err(e) => {
            // Messages may quote file content (a title, an exact text): no escapes through.
            let message = format!("tallymark: {e:#}\n");
            let _ = std::io::Write::write_all(
                &mut std::io::stderr().lock(),
                crate::core::text::terminal_safe(&message).as_bytes(),
            );
            ExitCode::FAILURE
        }
    }
}

/// Standard output was closed by its reader: the command stops, quietly and successfully.
#[derive(Debug, thiserror::Error)]
#[error("standard output was closed")]
pub struct ClosedOutput;

/// Writes `text` to standard output, locked and flushed. Every command prints through here
/// (`print!` would panic when the reader has gone away).
///
/// # Errors
/// [`ClosedOutput`] when the reader has gone away (a broken pipe), any other write error
/// as it is.
pub fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(ClosedOutput.into()),
        Err(e) => Err(anyhow::Error::new(e).context("could not write to standard output")),
    }
}

/// [`emit`] for text meant for people (tables, report lines): control characters from
/// articles and annotation files are shown as U+FFFD instead of reaching the terminal
/// ([`crate::core::text::terminal_safe`]). JSON, CSV and RON go through [`emit`] as they
/// are (JSON and RON escape them).
///
/// # Errors
/// As [`emit`].
pub fn emit_table(text: &str) -> anyhow::Result<()> {
    emit(&crate::core::text::terminal_safe(text))
}

/// Takes the lock the app takes (`.NAME.ron.lock`) on an annotation file the command line
/// is about to write, so that a file open in a window is not replaced behind its back.
/// Files that are not `.ron` are not locked (`None`).
///
/// # Errors
/// Another running process holds the lock (its pid is named).
pub fn lock_for_write(path: &Path) -> anyhow::Result<Option<crate::core::lock::Lock>> {
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
    {
        return Ok(None);
    }
    crate::core::lock::Lock::acquire(path).map_err(|held| {
        anyhow::anyhow!(
            "{} is open in another Tallymark (process {}); not written",
            path.display(),
            held.pid
        )
    })
}

/// Runs the parsed command line.
///
/// # Errors
/// Any problem a headless command found, or a window that could not open.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Some(Cmd::Check { file, format }) => {
            let (out, problems) = match format {
                SuggestFormat::Table => check_report(&file)?,
                SuggestFormat::Json => check_json(&file)?,
            };
            match format {
                SuggestFormat::Table => emit_table(&format!("{out}\n"))?,
                SuggestFormat::Json => emit(&format!("{out}\n"))?,
            }
            // The file loads (the app opens it), but what is wrong in it fails the check.
            Ok(if problems == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Cmd::Annotate {
            articles,
            output,
            accept,
            workspace,
            force,
        }) => annotate(&articles, &output, &accept, workspace.as_deref(), force),
        Some(Cmd::Ledger {
            files,
            format,
            window,
        }) => {
            let out = ledger(&files, format, window)?;
            if format == Format::Table {
                emit_table(&out)?;
            } else {
                emit(&out)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Compare { files, format }) => {
            let out = compare(&files, format)?;
            if format == Format::Table {
                emit_table(&out)?;
            } else {
                emit(&out)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Suggest {
            article,
            format,
            claims,
            deployments,
            explain,
        }) => {
            let out = suggest(&article, format, claims, deployments, explain)?;
            match format {
                SuggestFormat::Table => emit_table(&out)?,
                SuggestFormat::Json => emit(&out)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Export {
            file,
            to,
            output,
            force,
        }) => {
            export(&file, to.into(), output.as_deref(), force)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Import {
            file,
            article,
            map,
            report,
            output,
            force,
            read_values,
        }) => {
            let map =
                crate::core::export::imported::TypeMap::parse(&map).map_err(anyhow::Error::msg)?;
            let (mut docs, imported) = import(&file, article.as_deref(), &map)?;
            let mut summary = format!("{}: {}\n", file.display(), imported.summary());
            if read_values {
                let mut read = 0;
                for (_, doc) in &mut docs {
                    for a in doc.figures_valued_from_text() {
                        // Replacing an annotation by an edited copy of itself cannot fail.
                        if crate::core::edit::Edit::Replace(a).apply(doc).is_ok() {
                            read += 1;
                        }
                    }
                }
                let line = format!(
                    "  read the values of {} from their words\n",
                    crate::core::text::count(read, "figure")
                );
                summary.push_str(&line);
            }
            let mut inputs = vec![file.as_path()];
            inputs.extend(article.as_deref());
            if let Some(path) = &report {
                refuse_overwrite(path, &inputs)?;
                persist::write_atomic(path, imported.to_json().as_bytes())?;
            }
            if imported.brought_nothing() {
                eprint!("{}", crate::core::text::terminal_safe(&summary));
                anyhow::bail!(
                    "{}: nothing imported, though the file has annotations (reasons above)",
                    file.display()
                );
            }
            write_imported(&docs, output.as_deref(), &inputs, force)?;
            eprint!("{}", crate::core::text::terminal_safe(&summary));
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Agree { files, format }) => {
            let out = agree(&files, format)?;
            match format {
                SuggestFormat::Table => emit_table(&out)?,
                SuggestFormat::Json => emit(&out)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Reanchor {
            file,
            article,
            output,
            in_place,
        }) => {
            let doc = persist::load(&file)?;
            let text = persist::load_article(&article)?.text().as_str().to_owned();
            let (out, report) = crate::core::reanchor::reanchor(&doc, &text);
            let target = if in_place { Some(file.clone()) } else { output };
            if let Some(path) = target {
                if !in_place {
                    // Over the input only with --in-place, which keeps the old file as .bak.
                    refuse_overwrite(&path, &[&file, &article])?;
                }
                let _lock = lock_for_write(&path)?;
                persist::save(&out, &path)?;
                eprintln!("{}: {}", path.display(), report.summary());
            } else {
                emit(&persist::to_ron(&out).context("could not write RON")?)?;
                eprintln!("{}", report.summary());
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Bench {
            json,
            quick,
            sizes,
            story,
            measure,
            baseline,
        }) => {
            if let Some(n) = story {
                let report = crate::bench_story::run(n, if quick { 60 } else { 300 })?;
                if json {
                    emit(&format!("{}\n", serde_json::to_string_pretty(&report)?))?;
                } else {
                    emit(&crate::bench_story::table(&report))?;
                }
            } else if let Some(path) = measure {
                emit(&format!(
                    "{}\n",
                    serde_json::to_string(&crate::bench::measure(&path, quick)?)?
                ))?;
            } else if let Some(path) = baseline {
                emit(&format!(
                    "{}\n",
                    serde_json::to_string(&crate::bench::baseline(&path, quick)?)?
                ))?;
            } else {
                let sizes = if sizes.is_empty() {
                    crate::bench::default_sizes(quick)
                } else {
                    sizes
                };
                if cfg!(debug_assertions) {
                    eprintln!(
                        "bench: this is a debug build; for representative numbers run \
                         `cargo run --release -- bench`"
                    );
                }
                let report = crate::bench::run(&sizes, quick, !json)?;
                if json {
                    emit(&format!("{}\n", serde_json::to_string_pretty(&report)?))?;
                } else {
                    emit(&crate::bench::table(&report))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Fmt { file, output }) => {
            let doc = persist::load(&file)?;
            match output {
                Some(out) => {
                    // Onto the input too: the old file is kept as .bak, the app's lock heeded.
                    let _lock = lock_for_write(&out)?;
                    persist::save(&doc, &out)?;
                }
                None => emit(&persist::to_ron(&doc).context("could not write RON")?)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        None => {
            // Workspaces, files large enough to read in the background, and other tools'
            // annotation files (imported, with their mapping step and report) open once the
            // window is up; everything else opens right away. W3C annotations need their
            // article open first: starting on them says so instead of importing them onto
            // the bundled example.
            use crate::core::export::ImportFormat;
            let foreign = cli.path.as_deref().and_then(ImportFormat::of_file);
            let workspace = cli.path.clone().filter(|p| {
                crate::core::workspace::is_workspace_file(p)
                    || foreign.is_some_and(|f| f != ImportFormat::W3c)
                    || std::fs::metadata(p)
                        .is_ok_and(|m| m.len() > crate::ui::loading::BACKGROUND_BYTES)
            });
            let (editor, mut notice) = if foreign == Some(ImportFormat::W3c) {
                let (editor, _) = startup_editor(None);
                let name = cli.path.as_deref().map(Path::display);
                let notice = format!(
                    "{} holds W3C annotations: open their article, then import them with \
                     File > Import annotations.",
                    name.map(|n| n.to_string()).unwrap_or_default()
                );
                (editor, Some(notice))
            } else {
                startup_editor(cli.path.as_deref().filter(|_| workspace.is_none()))
            };
            notice = notice.filter(|n| !n.is_empty());
            crate::ui::run(editor, workspace, notice)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Validates an annotation file and returns the report `tallymark check` prints.
///
/// # Errors
/// The file cannot be read, is not valid, or is inconsistent.
pub fn check(file: &Path) -> anyhow::Result<String> {
    check_report(file).map(|(out, _)| out)
}

/// [`check`]'s report and how many problems it names (duplicate marks: the file loads,
/// but they fail the check).
///
/// # Errors
/// The file cannot be read, is not valid, or is inconsistent.
pub fn check_report(file: &Path) -> anyhow::Result<(String, usize)> {
    let doc = persist::load(file)?;
    let summary = Summary::full(&doc);
    let problems = crate::core::check::duplicate_problems(&doc);
    let status = if problems.is_empty() {
        "ok".to_owned()
    } else {
        crate::core::text::count(problems.len(), "problem")
    };
    let mut out = format!(
        "{}: {status} · {} chars · sha256 matches · {} annotations",
        file.display(),
        doc.text().len_chars(),
        doc.annotations().len()
    );
    for line in summary.lines().into_iter().chain(problems.iter().cloned()) {
        out.push('\n');
        out.push_str(&line);
    }
    Ok((out, problems.len()))
}

/// `tallymark check --format json`: the article's provenance, the counts and the problems,
/// and how many problems there are.
///
/// # Errors
/// The file cannot be read or is not valid.
pub fn check_json(file: &Path) -> anyhow::Result<(String, usize)> {
    let doc = persist::load(file)?;
    let summary = Summary::full(&doc);
    let mut problems = crate::core::check::duplicate_problems(&doc);
    if summary.figures_not_finite > 0 {
        problems.push(format!(
            "problem: {} with a value that is not a finite number",
            crate::core::text::count(summary.figures_not_finite, "figure")
        ));
    }
    let m = &doc.meta;
    let count = |k| {
        summary
            .counts
            .iter()
            .find(|(kind, _)| *kind == k)
            .map_or(0, |(_, n)| *n)
    };
    let json = serde_json::json!({
        "article": {
            "title": m.title,
            "outlet": m.outlet,
            "url": m.url,
            "published": m.published.map(|p| p.to_string()),
            "author": m.author,
            "language": m.language,
            "chars": doc.text().len_chars(),
        },
        "counts": {
            "figure": count(crate::core::annotation::Kind::Figure),
            "quote": count(crate::core::annotation::Kind::Quote),
            "claim": count(crate::core::annotation::Kind::Claim),
        },
        "problems": problems,
    });
    let n = problems.len();
    Ok((serde_json::to_string_pretty(&json)?, n))
}

/// `tallymark annotate`: one file per article, a line each, a progress bar on a terminal;
/// articles that fail are reported and skipped; exit code 1 when any failed.
///
/// # Errors
/// The output folder cannot be made, or the workspace cannot be written.
pub fn annotate(
    articles: &[PathBuf],
    dir: &Path,
    accept: &[AcceptKind],
    workspace: Option<&str>,
    force: bool,
) -> anyhow::Result<ExitCode> {
    use crate::core::annotate::Accept;
    use std::io::{IsTerminal as _, Write as _};
    std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    let accept = Accept {
        figures: accept.contains(&AcceptKind::Figures),
        quotes: accept.contains(&AcceptKind::Quotes),
        claims: accept.contains(&AcceptKind::Claims),
    };
    let bar = std::io::stderr().is_terminal();
    let now = crate::core::clock::now();
    let mut written: Vec<PathBuf> = Vec::new();
    let mut failed = 0;
    for (i, article) in articles.iter().enumerate() {
        if bar {
            let done = i * 30 / articles.len().max(1);
            eprint!(
                "\r[{}{}] {}/{} {}\x1b[K",
                "#".repeat(done),
                " ".repeat(30 - done),
                i,
                articles.len(),
                crate::core::text::shorten(&article.display().to_string(), 40)
            );
            let _ = std::io::stderr().flush();
        }
        let result = annotate_one(article, dir, accept, now, force, &written);
        if bar {
            eprint!("\r\x1b[K");
        }
        match result {
            Ok((path, line)) => {
                emit_table(&format!("{line}\n"))?;
                written.push(path);
            }
            Err(e) => {
                failed += 1;
                // Errors about the file already start with its name.
                let message = crate::core::text::terminal_safe(&format!("{e:#}")).into_owned();
                let name = article.display().to_string();
                if message.starts_with(&name) {
                    eprintln!("tallymark: skipped {message}");
                } else {
                    eprintln!("tallymark: skipped {name}: {message}");
                }
            }
        }
    }
    if let Some(name) = workspace {
        let path = dir.join(format!("{}.workspace.ron", crate::core::text::slug(name)));
        if path.exists() && !force {
            anyhow::bail!("{} exists; not replaced (use --force)", path.display());
        }
        crate::core::workspace::Workspace::new(name, &path, &written).save(&path)?;
        emit_table(&format!(
            "workspace {} · {}\n",
            path.display(),
            crate::core::text::count(written.len(), "article")
        ))?;
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "tallymark: {} of {} not annotated",
            failed,
            crate::core::text::count(articles.len(), "article")
        );
        ExitCode::FAILURE
    })
}

/// Annotates one article into `dir`; returns the file written and the line to print.
fn annotate_one(
    article: &Path,
    dir: &Path,
    accept: crate::core::annotate::Accept,
    now: time::OffsetDateTime,
    force: bool,
    taken: &[PathBuf],
) -> anyhow::Result<(PathBuf, String)> {
    let mut doc = persist::load_article(article)?;
    let counts = crate::core::annotate::accept_suggestions(&mut doc, accept, now)?;
    // Two articles with one file name (from different folders) get -2, -3…
    let name = crate::core::editor::annotation_name_for(article);
    let stem = name.trim_end_matches(".ron");
    let mut path = dir.join(&name);
    let mut n = 2;
    while taken.contains(&path) {
        path = dir.join(format!("{stem}-{n}.ron"));
        n += 1;
    }
    if path.exists() && !force {
        anyhow::bail!("{} exists; not replaced (use --force)", path.display());
    }
    let _lock = lock_for_write(&path)?;
    persist::save(&doc, &path)?;
    let mut parts = vec![format!("wrote {}", path.display())];
    parts.extend(doc.meta.outlet.clone());
    parts.extend(doc.meta.published.map(|p| p.date.to_string()));
    parts.extend(
        counts
            .iter()
            .filter(|(k, _)| accept_kind(accept, *k))
            .map(|(k, n)| crate::core::text::count(*n, &k.label().to_lowercase())),
    );
    Ok((path, parts.join(" · ")))
}

fn accept_kind(accept: crate::core::annotate::Accept, kind: crate::core::annotation::Kind) -> bool {
    use crate::core::annotation::Kind;
    match kind {
        Kind::Figure => accept.figures,
        Kind::Quote => accept.quotes,
        Kind::Claim => accept.claims,
    }
}

/// ` · in Brennport · 2024-03-10` as far as known.
fn scope_text(place: &str, reported: Option<&str>) -> String {
    let mut out = String::new();
    if !place.is_empty() {
        out.push_str(" · in ");
        out.push_str(place);
    }
    if let Some(d) = reported {
        out.push_str(" · ");
        out.push_str(d);
    }
    out
}

/// The output of `tallymark suggest`.
///
/// # Errors
/// The article cannot be read, or serialisation fails.
pub fn suggest(
    article: &Path,
    format: SuggestFormat,
    claims: bool,
    deployments: bool,
    explain: bool,
) -> anyhow::Result<String> {
    use crate::core::annotation::format_number;
    use crate::core::suggest::{Options, suggest};
    let editor = Editor::open(article)?;
    let options = Options {
        claims,
        deployments,
        published: editor.doc().meta.published.map(|p| p.date),
        language: editor
            .doc()
            .meta
            .language
            .as_deref()
            .and_then(crate::core::suggest::Lang::from_code),
    };
    let text = editor.doc().text().as_str();
    let found = suggest(text, options);
    let report = found.report(claims);
    let not_figures: Vec<(crate::core::span::Span, String, &str)> = if explain {
        let chars: Vec<char> = text.chars().collect();
        crate::core::suggest::explain(text, options)
            .into_iter()
            .map(|(span, rule)| (span, chars[span.start..span.end].iter().collect(), rule))
            .collect()
    } else {
        Vec::new()
    };
    Ok(match format {
        SuggestFormat::Json if explain => {
            let mut v = serde_json::to_value(&report)?;
            v["not_figures"] = not_figures
                .iter()
                .map(|(span, exact, rule)| {
                    serde_json::json!({"start": span.start, "end": span.end, "exact": exact, "rule": rule})
                })
                .collect();
            format!("{}\n", serde_json::to_string_pretty(&v)?)
        }
        SuggestFormat::Json => format!("{}\n", serde_json::to_string_pretty(&report)?),
        SuggestFormat::Table => {
            use std::fmt::Write as _;
            let mut out = String::new();
            for f in &report.figures {
                let value = match (f.value_low, f.value_high) {
                    (Some(lo), Some(hi)) => format!("{}–{}", format_number(lo), format_number(hi)),
                    (Some(lo), None) => format_number(lo),
                    _ => "?".to_owned(),
                };
                let _ = writeln!(
                    out,
                    "figure {:>6}..{:<6} {:<24} {value} {} {} {}{}{}",
                    f.start,
                    f.end,
                    format!("“{}”", f.exact),
                    f.qualifier,
                    f.metric,
                    f.who,
                    if f.source.is_empty() {
                        String::new()
                    } else {
                        format!(" · per {}", f.source)
                    },
                    scope_text(&f.place, f.reported.as_deref())
                );
            }
            for q in &report.quotes {
                let _ = writeln!(
                    out,
                    "quote  {:>6}..{:<6} {} — {}",
                    q.start,
                    q.end,
                    crate::core::text::shorten(&format!("“{}”", q.exact), 70),
                    if q.speaker.is_empty() {
                        "?"
                    } else {
                        &q.speaker
                    }
                );
            }
            for (span, exact, rule) in &not_figures {
                let _ = writeln!(
                    out,
                    "not    {:>6}..{:<6} {:<24} {rule}",
                    span.start,
                    span.end,
                    format!("“{exact}”"),
                );
            }
            for c in report.claims.iter().flatten() {
                let _ = writeln!(
                    out,
                    "claim  {:>6}..{:<6} {} — {}",
                    c.start,
                    c.end,
                    crate::core::text::shorten(&c.exact, 70),
                    if c.claimant.is_empty() {
                        "?"
                    } else {
                        &c.claimant
                    }
                );
            }
            let _ = writeln!(
                out,
                "{} figures, {} quotes{}",
                report.figures.len(),
                report.quotes.len(),
                report
                    .claims
                    .as_ref()
                    .map(|c| format!(", {} claims", c.len()))
                    .unwrap_or_default()
            );
            out
        }
    })
}

/// Refuses to write over one of the inputs.
fn refuse_overwrite(out: &Path, inputs: &[&Path]) -> anyhow::Result<()> {
    Ok(crate::core::export::refuse_overwrite(out, inputs)?)
}

/// Writes (or prints) the export of an annotation file.
///
/// # Errors
/// Unloadable input, brat without an output path, or a write that failed.
pub fn export(
    file: &Path,
    format: crate::core::export::Format,
    output: Option<&Path>,
    force: bool,
) -> anyhow::Result<()> {
    use crate::core::export::{self, Format};
    let doc = persist::load(file)?;
    // The file's name goes into W3C annotation IRIs: two files of one article differ.
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let outputs = export::export_named(&doc, format, &name)?;
    match output {
        None if format == Format::Brat => anyhow::bail!(
            "brat standoff is two files (.txt and .ann): give -o PATH to write PATH.txt and PATH.ann"
        ),
        None => {
            for o in outputs.iter().filter(|o| o.is_main()) {
                emit(&o.contents)?;
            }
        }
        Some(out) => {
            let _lock = lock_for_write(out)?;
            for path in export::write_outputs_with(&outputs, format, out, &[file], force)? {
                eprintln!("wrote {}", path.display());
            }
        }
    }
    Ok(())
}

/// Reads an import: brat or W3C onto its article (one document), or a file that carries its
/// own text (Label Studio, doccano, spaCy: one document per task and annotator, or per
/// line), with the report of what came in.
///
/// # Errors
/// Unreadable files, a missing article, input that does not parse.
pub fn import(
    file: &Path,
    article: Option<&Path>,
    map: &crate::core::export::imported::TypeMap,
) -> anyhow::Result<(
    Vec<crate::core::export::tasks::Named>,
    crate::core::export::imported::ImportReport,
)> {
    use crate::core::export::ImportFormat;
    // The core's reader: regular files only, size capped.
    let input = persist::read_text(file)?;
    let format = ImportFormat::detect(file, &input);
    let in_file = |e: crate::core::export::ExportError| anyhow::anyhow!("{}: {e}", file.display());
    if format.carries_text() {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        return crate::core::export::import_documents(&input, format, &stem, map).map_err(in_file);
    }
    let article_path = match (format, article) {
        (_, Some(a)) => a.to_owned(),
        (ImportFormat::Brat, None) => file.with_extension("txt"),
        _ => anyhow::bail!("W3C annotations point into an article: give it with --article PATH"),
    };
    let base = Editor::open(&article_path)?.doc().clone();
    let imported = crate::core::export::import_with(&base, &input, format, map).map_err(in_file)?;
    Ok((vec![(String::new(), imported.doc)], imported.report))
}

/// Writes imported documents: one to `-o FILE.ron` (or printed), several into the folder
/// `-o DIR` as `DIR/NAME.ron` (made if missing). Nothing is replaced without `force`.
fn write_imported(
    docs: &[crate::core::export::tasks::Named],
    output: Option<&Path>,
    inputs: &[&Path],
    force: bool,
) -> anyhow::Result<()> {
    let write = |doc: &crate::core::document::Document, out: &Path| -> anyhow::Result<()> {
        refuse_overwrite(out, inputs)?;
        if !force && std::fs::symlink_metadata(out).is_ok() {
            anyhow::bail!("{} exists; not replaced (use --force)", out.display());
        }
        let _lock = lock_for_write(out)?;
        persist::save(doc, out)?;
        eprintln!("wrote {}", out.display());
        Ok(())
    };
    let is_dir = |p: &Path| p.is_dir() || p.as_os_str().to_string_lossy().ends_with('/');
    match (docs, output) {
        ([(_, doc)], None) => emit(&persist::to_ron(doc).context("could not write RON")?),
        ([(_, doc)], Some(out)) if !is_dir(out) => write(doc, out),
        (_, None) => anyhow::bail!(
            "the file holds {} documents: give -o DIR to write one .ron each",
            docs.len()
        ),
        (_, Some(dir)) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("could not make the folder {}", dir.display()))?;
            for (name, doc) in docs {
                write(doc, &dir.join(format!("{name}.ron")))?;
            }
            Ok(())
        }
    }
}

/// The output of `tallymark agree`.
///
/// # Errors
/// Unloadable files or files of different articles.
pub fn agree(files: &[PathBuf], format: SuggestFormat) -> anyhow::Result<String> {
    use crate::core::agree::{all_pairs, annotator_name, to_table};
    let docs = files
        .iter()
        .map(|f| persist::load(f).map_err(anyhow::Error::from))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let named: Vec<(String, &crate::core::document::Document)> = files
        .iter()
        .zip(&docs)
        .map(|(f, d)| {
            let file = f.file_name().map_or_else(
                || f.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            (format!("{} ({file})", annotator_name(d, &file)), d)
        })
        .collect();
    let pairs = all_pairs(&named).map_err(anyhow::Error::msg)?;
    Ok(match format {
        SuggestFormat::Table => to_table(&pairs),
        SuggestFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&serde_json::json!({ "pairs": pairs }))?
        ),
    })
}

/// Longest path a workspace entry may be (Linux's `PATH_MAX`); a longer one cannot name a
/// file, and its error message would quote all of it.
const MAX_PATH_BYTES: usize = 4096;

/// Loads annotation files, expanding workspaces, with the title each is shown under.
///
/// # Errors
/// The first file that cannot be loaded.
pub fn load_all(
    files: &[PathBuf],
) -> anyhow::Result<Vec<(String, crate::core::document::Document)>> {
    let mut out = Vec::new();
    for f in files {
        if crate::core::workspace::is_workspace_file(f) {
            let ws = crate::core::workspace::Workspace::load(f)?;
            let outside = ws.outside(f);
            let mut opened = 0;
            for d in ws.resolved(f) {
                // Named at most 100 chars long: the entry is anyone's to write.
                let name = crate::core::text::quote_input(&d.display().to_string());
                // Never opened, so never quoted in a parse error (docs/security.md).
                if outside.contains(&d) {
                    eprintln!(
                        "tallymark: {name} is outside the workspace's folder; not opened \
                         (listed in {})",
                        f.display()
                    );
                    continue;
                }
                if d.as_os_str().len() > MAX_PATH_BYTES {
                    eprintln!("tallymark: {name} is too long for a path; not opened");
                    continue;
                }
                let doc = persist::load(&d)
                    .with_context(|| format!("listed in workspace {}", f.display()))?;
                out.push((doc.meta.title.clone(), doc));
                opened += 1;
            }
            if opened == 0 && !ws.documents.is_empty() {
                anyhow::bail!(
                    "{}: none of its {} could be opened",
                    f.display(),
                    crate::core::text::count(ws.documents.len(), "file")
                );
            }
        } else {
            let doc = persist::load(f)?;
            out.push((doc.meta.title.clone(), doc));
        }
    }
    Ok(out)
}

/// The output of `tallymark ledger`.
///
/// # Errors
/// Unloadable files or serialisation failures.
pub fn ledger(files: &[PathBuf], format: Format, window_days: i64) -> anyhow::Result<String> {
    use crate::core::ledger::{Article, Options, ledger, to_csv, to_table};
    let docs = load_all(files)?;
    let articles: Vec<Article<'_>> = docs
        .iter()
        .map(|(title, doc)| Article {
            title: title.clone(),
            doc,
        })
        .collect();
    let l = ledger(
        &articles,
        &crate::core::metrics::Taxonomy::builtin(),
        &crate::core::scope::Groups::builtin(),
        &Options {
            window_days,
            ..Options::default()
        },
    );
    Ok(match format {
        Format::Table => to_table(&l),
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&l)?),
        Format::Csv => to_csv(&l)?,
    })
}

/// The output of `tallymark compare`.
///
/// # Errors
/// Unloadable files or serialisation failures.
pub fn compare(files: &[PathBuf], format: Format) -> anyhow::Result<String> {
    use crate::core::compare::{Source, compare, to_table};
    let docs = load_all(files)?;
    let sources: Vec<Source<'_>> = docs
        .iter()
        .map(|(title, doc)| Source {
            title: title.clone(),
            doc,
        })
        .collect();
    let comparison = compare(&sources, &crate::core::metrics::Taxonomy::builtin());
    Ok(match format {
        Format::Table => to_table(&comparison),
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&comparison)?),
        // The core writes it, defusing cells a spreadsheet would run as formulas.
        Format::Csv => crate::core::compare::to_csv(&comparison)?,
    })
}

/// The document the app starts with: `path` if given, else the bundled example from the
/// checkout (so saves go there), else the copy compiled into the binary. A file that
/// cannot be opened falls back to the example with a notice saying why.
#[must_use]
pub fn startup_editor(path: Option<&Path>) -> (Editor, Option<String>) {
    let mut notice = None;
    if let Some(p) = path {
        match Editor::open(p) {
            Ok(e) => return (e, None),
            Err(e) => notice = Some(format!("Could not open: {e}")),
        }
    }
    let candidates = [
        PathBuf::from(BUNDLED_PATH),
        Path::new(env!("CARGO_MANIFEST_DIR")).join(BUNDLED_PATH),
    ];
    for c in candidates {
        if c.is_file()
            && let Ok(e) = Editor::open(&c)
        {
            return (e, notice);
        }
    }
    let editor = match persist::parse(Path::new("(built-in example)"), BUNDLED_RON) {
        Ok(doc) => Editor::new(doc, Origin::Builtin),
        Err(e) => {
            // Only possible if the build embedded a broken file; start empty rather than die.
            notice = Some(format!("The built-in example is broken: {e}"));
            Editor::new(crate::core::document::Document::default(), Origin::Builtin)
        }
    };
    (editor, notice)
}
