//! `tallymark bench`: how the app holds up on big documents.
//!
//! For each size it generates a synthetic article with annotations ([`crate::core::synth`],
//! fixed seed), saves it as an annotation file, and then, in a child process of its own (so
//! that peak memory belongs to that size alone), measures what a user feels:
//!
//! - **open**: read, decode, parse and index the file (`Editor::open`);
//! - **first frame**: open, build the app and run its first frame;
//! - **frames**: CPU time of `Context::run_ui` plus tessellation for every frame while
//!   scrolling (wheel and jumps), drag-selecting and hovering highlights, headless, through
//!   the real app code;
//! - **edit**: adding, editing or deleting one annotation through the app's `apply`,
//!   including the caches the view rebuilds for it;
//! - **save**: from Ctrl+S to the file on disk (written off the UI thread) and what the UI
//!   thread itself spent, plus whether the bytes equal a synchronous save's;
//! - **peak RSS** (Linux: `VmHWM`; elsewhere not reported).
//!
//! A second child measures the naive baseline on the same file: the whole text as one egui
//! label with one highlighted section per annotation boundary.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use eframe::egui::{self, Event, Modifiers, PointerButton, Pos2, RawInput, Rect, pos2, vec2};
use serde::{Deserialize, Serialize};

use crate::core::annotation::{Annotation, Kind};
use crate::core::document::Document;
use crate::core::editor::Editor;
use crate::core::persist;
use crate::core::settings::{Dirs, Settings};
use crate::core::synth;
use crate::ui::TallymarkApp;
use crate::ui::article_view::Selection;
use crate::ui::command::{Action, Command};

/// The window size every measurement uses (the app's default).
const SCREEN: Rect = Rect {
    min: Pos2::ZERO,
    max: Pos2 {
        x: 1280.0,
        y: 820.0,
    },
};

/// Annotation density of the synthetic documents: one per this many bytes (50,000 in 5 MB).
pub const BYTES_PER_ANNOTATION: usize = 100;

/// What the benchmark measured for one document size.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SizeReport {
    /// Article text size in bytes.
    pub bytes: usize,
    /// Number of annotations.
    pub annotations: usize,
    /// Size of the annotation file in bytes.
    pub file_bytes: u64,
    /// Opening the file: median of the runs.
    pub open_ms: f64,
    /// Opening the file: slowest run.
    pub open_max_ms: f64,
    /// From opening the file to the end of the app's first frame.
    pub first_frame_ms: f64,
    /// Frames until the layout and the suggestions settled, and how long that took.
    pub settle_frames: usize,
    /// See `settle_frames`.
    pub settle_ms: f64,
    /// Frames measured while scrolling, selecting and hovering.
    pub frames: usize,
    /// Frame CPU time (run plus tessellation), median.
    pub frame_p50_ms: f64,
    /// Frame CPU time, 95th percentile.
    pub frame_p95_ms: f64,
    /// Frame CPU time, slowest.
    pub frame_max_ms: f64,
    /// Frame wall-clock time, 95th percentile (includes waiting for the CPU).
    pub frame_wall_p95_ms: f64,
    /// The Compare tab's first frame, which computes the comparison of every figure.
    pub compare_first_ms: f64,
    /// The Compare tab's frames after that, 95th percentile.
    pub compare_frame_p95_ms: f64,
    /// The article view alone (no panels, menus or list) while scrolling, median: the
    /// like-for-like comparison with the baseline.
    pub view_frame_p50_ms: f64,
    /// The article view alone, 95th percentile.
    pub view_frame_p95_ms: f64,
    /// The naive baseline's frame time, median.
    pub baseline_frame_p50_ms: f64,
    /// The naive baseline's frame time, 95th percentile.
    pub baseline_frame_p95_ms: f64,
    /// The baseline's first frame (laying the whole text out).
    pub baseline_first_frame_ms: f64,
    /// Baseline p95 divided by the article view's alone: how many times faster it is.
    pub speedup_p95: f64,
    /// One edit (add, change or delete an annotation) with the caches it invalidates: median.
    pub edit_ms: f64,
    /// One edit: 95th percentile.
    pub edit_p95_ms: f64,
    /// The frame right after an edit, 95th percentile.
    pub edit_frame_p95_ms: f64,
    /// From Ctrl+S until the file is written: median.
    pub save_ms: f64,
    /// UI-thread time of Ctrl+S (taking the snapshot and starting the writer): median.
    pub save_ui_ms: f64,
    /// The slowest frame while a save was being written.
    pub save_frame_max_ms: f64,
    /// The file written equals what a synchronous save writes.
    pub save_identical: bool,
    /// The slowest frame while the idle autosave wrote its recovery copy.
    pub autosave_frame_max_ms: f64,
    /// Peak resident memory of the process measuring this size (MB), where known.
    pub peak_rss_mb: Option<f64>,
    /// Peak resident memory of the baseline process (MB), where known.
    pub baseline_peak_rss_mb: Option<f64>,
}

/// One headless operation on the largest document (exports, imports, agreement,
/// re-anchoring): how long it took against its target.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct OpReport {
    /// What was done, e.g. `w3c export`.
    pub name: String,
    /// Article text size in bytes.
    pub bytes: usize,
    /// Number of annotations.
    pub annotations: usize,
    /// Wall-clock time of one run (the median of three; one in `--quick`).
    pub ms: f64,
    /// The target at 5 MB / 50,000 annotations, where there is one.
    pub target_ms: Option<f64>,
}

/// Everything `tallymark bench --json` prints.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Report {
    /// One entry per size, smallest first.
    pub sizes: Vec<SizeReport>,
    /// Headless operations on the largest size (the smallest in `--quick`).
    #[serde(default)]
    pub ops: Vec<OpReport>,
    /// True for the shorter `--quick` run.
    pub quick: bool,
}

/// How many samples each phase takes.
#[derive(Clone, Copy, Debug)]
struct Plan {
    opens: usize,
    scroll: usize,
    select: usize,
    hover: usize,
    edits: usize,
    saves: usize,
    baseline_frames: usize,
}

impl Plan {
    fn new(quick: bool) -> Self {
        if quick {
            Self {
                opens: 2,
                scroll: 60,
                select: 40,
                hover: 40,
                edits: 12,
                saves: 2,
                baseline_frames: 30,
            }
        } else {
            Self {
                opens: 3,
                scroll: 240,
                select: 120,
                hover: 160,
                edits: 60,
                saves: 3,
                baseline_frames: 120,
            }
        }
    }
}

/// The default sizes: 50 KB, 1 MB and 5 MB (`--quick`: 50 KB, 250 KB and 1 MB).
#[must_use]
pub fn default_sizes(quick: bool) -> Vec<usize> {
    if quick {
        vec![50_000, 250_000, 1_000_000]
    } else {
        vec![50_000, 1_000_000, 5_000_000]
    }
}

/// Runs the benchmark for `sizes` (bytes of article text) and returns the report. Each
/// size is measured in two child processes running this executable's hidden `bench
/// --measure`/`--baseline` modes.
///
/// # Errors
/// When the files cannot be written or a child fails.
pub fn run(sizes: &[usize], quick: bool, progress: bool) -> anyhow::Result<Report> {
    let exe = std::env::current_exe().context("cannot find the tallymark executable")?;
    // TALLYMARK_BENCH_DIR keeps the generated files there (to open them in the app).
    let keep = std::env::var_os("TALLYMARK_BENCH_DIR").map(std::path::PathBuf::from);
    let dir = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("tallymark-bench-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let result = (|| {
        let mut report = Report {
            sizes: Vec::new(),
            ops: Vec::new(),
            quick,
        };
        for &bytes in sizes {
            let annotations = (bytes / BYTES_PER_ANNOTATION).max(1);
            if progress {
                eprintln!("bench: {bytes} bytes, {annotations} annotations…");
            }
            let path = dir.join(format!("synthetic-{bytes}.ron"));
            let doc = synth::generate(synth::Spec {
                bytes,
                annotations,
                seed: 2022,
            });
            persist::save(&doc, &path)?;
            drop(doc);
            let mut size: SizeReport = child(&exe, "--measure", &path, quick)?;
            let base: Baseline = child(&exe, "--baseline", &path, quick)?;
            size.baseline_frame_p50_ms = base.frame_p50_ms;
            size.baseline_frame_p95_ms = base.frame_p95_ms;
            size.baseline_first_frame_ms = base.first_frame_ms;
            size.baseline_peak_rss_mb = base.peak_rss_mb;
            size.speedup_p95 = if size.view_frame_p95_ms > 0.0 {
                base.frame_p95_ms / size.view_frame_p95_ms
            } else {
                0.0
            };
            report.sizes.push(size);
        }
        let op_bytes = if quick {
            sizes.iter().min()
        } else {
            sizes.iter().max()
        };
        if let Some(&bytes) = op_bytes {
            if progress {
                eprintln!("bench: exports, imports, agreement and re-anchoring at {bytes} bytes…");
            }
            report.ops = ops(bytes, if quick { 1 } else { 3 })?;
        }
        Ok(report)
    })();
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

fn child<T: serde::de::DeserializeOwned>(
    exe: &Path,
    mode: &str,
    path: &Path,
    quick: bool,
) -> anyhow::Result<T> {
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("bench").arg(mode).arg(path);
    if quick {
        cmd.arg("--quick");
    }
    let out = cmd
        .output()
        .with_context(|| format!("cannot run {}", exe.display()))?;
    if !out.status.success() {
        bail!(
            "bench {mode} {} failed: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    serde_json::from_slice(&out.stdout).with_context(|| format!("bench {mode} printed no report"))
}

/// Times the headless operations whose cost grew faster than the document (issue 16) on a
/// synthetic document of `bytes`, each the median of `runs`.
///
/// # Errors
/// When an export, import or agreement fails.
pub fn ops(bytes: usize, runs: usize) -> anyhow::Result<Vec<OpReport>> {
    use crate::core::export::{self, Format, ImportFormat};
    let annotations = (bytes / BYTES_PER_ANNOTATION).max(1);
    let doc = synth::generate(synth::Spec {
        bytes,
        annotations,
        seed: 2022,
    });
    // A second annotator: every third span one char longer, every seventh left out.
    let other: Vec<Annotation> = doc
        .annotations()
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 7 != 3)
        .map(|(i, a)| {
            let mut b = (**a).clone();
            if i % 3 == 0 && b.span.end < doc.text().len_chars() {
                b.span.end += 1;
                doc.text().slice(b.span).clone_into(&mut b.exact);
            }
            b
        })
        .collect();
    let doc_b = Document::from_parts(doc.meta.clone(), doc.text().as_str().to_owned(), other);
    // The article after one paragraph was inserted in its middle.
    let text = doc.text().as_str();
    let middle = text[..text.floor_char_boundary(text.len() / 2)]
        .rfind("\n\n")
        .map_or(0, |i| i + 2);
    let inserted = format!(
        "{}An inserted paragraph: the editors added 12 words of context here.\n\n{}",
        &text[..middle],
        &text[middle..]
    );
    let (_, ann) = export::brat::to_brat(&doc);
    let time = |f: &mut dyn FnMut() -> anyhow::Result<()>| -> anyhow::Result<f64> {
        let mut samples = Vec::with_capacity(runs);
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            f()?;
            samples.push(ms(t.elapsed()));
        }
        Ok(quantile(&samples, 0.5))
    };
    let mut out = Vec::new();
    let mut add = |name: &str, target_ms: Option<f64>, ms: f64| {
        out.push(OpReport {
            name: name.to_owned(),
            bytes,
            annotations,
            ms,
            target_ms,
        });
    };
    add(
        "w3c export",
        Some(1000.0),
        time(&mut || {
            export::export(&doc, Format::W3c)
                .map(drop)
                .map_err(Into::into)
        })?,
    );
    add(
        "agree",
        Some(1000.0),
        time(&mut || {
            let named = [("a".to_owned(), &doc), ("b".to_owned(), &doc_b)];
            crate::core::agree::all_pairs(&named)
                .map(drop)
                .map_err(anyhow::Error::msg)
        })?,
    );
    add(
        "re-anchor",
        Some(2000.0),
        time(&mut || {
            // Spans across the insertion point are orphaned or matched fuzzily; that is
            // the point of the case too (the fuzzy path on repeated wire copy).
            drop(crate::core::reanchor::reanchor(&doc, &inserted));
            Ok(())
        })?,
    );
    add(
        "brat import",
        Some(1000.0),
        time(&mut || {
            export::import_onto(&doc, &ann, ImportFormat::Brat)
                .map(drop)
                .map_err(Into::into)
        })?,
    );
    add(
        "html export",
        Some(1000.0),
        time(&mut || {
            export::export(&doc, Format::Html)
                .map(drop)
                .map_err(Into::into)
        })?,
    );
    add(
        "md export",
        Some(1000.0),
        time(&mut || {
            export::export(&doc, Format::Md)
                .map(drop)
                .map_err(Into::into)
        })?,
    );
    Ok(out)
}

/// The table `tallymark bench` prints.
#[must_use]
pub fn table(report: &Report) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mb = |b: usize| b as f64 / 1e6;
    let rss = |r: Option<f64>| r.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.0} MB"));
    let _ = writeln!(
        out,
        "{:>8} {:>7} {:>8} {:>8} {:>15} {:>15} {:>17} {:>8} {:>13} {:>14} {:>8}",
        "size",
        "annots",
        "open",
        "1st frame",
        "frame p50/p95",
        "view p50/p95",
        "baseline p50/p95",
        "speedup",
        "edit p50/p95",
        "save (ui)",
        "peak RSS"
    );
    for s in &report.sizes {
        let _ = writeln!(
            out,
            "{:>6.2}MB {:>7} {:>6.0}ms {:>7.0}ms {:>6.2}/{:>5.2}ms {:>6.2}/{:>5.2}ms {:>8.2}/{:>6.2}ms {:>7.1}× {:>5.2}/{:>5.2}ms {:>5.0}ms ({:.1}) {:>8}",
            mb(s.bytes),
            s.annotations,
            s.open_ms,
            s.first_frame_ms,
            s.frame_p50_ms,
            s.frame_p95_ms,
            s.view_frame_p50_ms,
            s.view_frame_p95_ms,
            s.baseline_frame_p50_ms,
            s.baseline_frame_p95_ms,
            s.speedup_p95,
            s.edit_ms,
            s.edit_p95_ms,
            s.save_ms,
            s.save_ui_ms,
            rss(s.peak_rss_mb),
        );
    }
    let _ = writeln!(
        out,
        "\nframe = the whole app's CPU time per frame (Context::run_ui + tessellate) while \
         scrolling, selecting and hovering ({} frames per size); view = the article view alone, \
         scrolling; baseline = the whole text as one label with a section per annotation, \
         scrolling; speedup = baseline p95 / view p95; save = Ctrl+S until the file is on disk \
         (UI-thread part in brackets).",
        report.sizes.first().map_or(0, |s| s.frames)
    );
    for s in &report.sizes {
        let _ = writeln!(
            out,
            "{:.2} MB: settled in {} frames ({:.0} ms); slowest frame {:.1} ms; frame after an edit p95 {:.2} ms; \
             slowest frame while saving {:.1} ms, while autosaving {:.1} ms; saved file identical to a \
             synchronous save: {}; Compare tab first frame {:.0} ms, then p95 {:.1} ms; baseline first frame \
             {:.0} ms, peak RSS {}",
            mb(s.bytes),
            s.settle_frames,
            s.settle_ms,
            s.frame_max_ms,
            s.edit_frame_p95_ms,
            s.save_frame_max_ms,
            s.autosave_frame_max_ms,
            if s.save_identical { "yes" } else { "NO" },
            s.compare_first_ms,
            s.compare_frame_p95_ms,
            s.baseline_first_frame_ms,
            rss(s.baseline_peak_rss_mb),
        );
    }
    if !report.ops.is_empty() {
        let _ = writeln!(
            out,
            "\n{:<12} {:>8} {:>7} {:>9} {:>9}",
            "operation", "size", "annots", "time", "target"
        );
        for o in &report.ops {
            let _ = writeln!(
                out,
                "{:<12} {:>6.2}MB {:>7} {:>7.0}ms {:>9}",
                o.name,
                mb(o.bytes),
                o.annotations,
                o.ms,
                o.target_ms
                    .map_or_else(|| "-".to_owned(), |t| format!("<{t:.0}ms"))
            );
        }
        let _ = writeln!(
            out,
            "targets are for 5 MB / 50,000 annotations; re-anchor = after inserting one paragraph \
             in the middle; agree = two annotators' files."
        );
    }
    out
}

/// Peak resident set size of this process in MB (Linux `VmHWM`).
#[must_use]
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `q` quantile (0..=1) of `samples` (nearest rank).
#[must_use]
pub fn quantile(samples: &[f64], q: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

/// A headless window: one egui context driving the app, with a clock and a pointer.
pub(crate) struct Window {
    pub(crate) ctx: egui::Context,
    time: f64,
    pointer: Pos2,
    /// Wall-clock time of every frame run, for comparison with the CPU time.
    walls: Vec<f64>,
}

/// CPU time of this thread (what a frame costs, whatever else the machine is doing);
/// wall-clock time where the platform has no thread clock.
struct Cpu(Option<cpu_time::ThreadTime>, Instant);

impl Cpu {
    fn now() -> Self {
        Self(cpu_time::ThreadTime::try_now().ok(), Instant::now())
    }

    fn ms(&self) -> f64 {
        self.0
            .as_ref()
            .and_then(|t| t.try_elapsed().ok())
            .map_or_else(|| ms(self.1.elapsed()), ms)
    }
}

impl Window {
    pub(crate) fn new() -> Self {
        Self {
            ctx: egui::Context::default(),
            time: 0.0,
            pointer: pos2(420.0, 420.0),
            walls: Vec::new(),
        }
    }

    /// Runs one frame with `events`; returns its CPU time (its wall time goes to `walls`).
    pub(crate) fn frame(&mut self, events: Vec<Event>, ui: &mut impl FnMut(&mut egui::Ui)) -> f64 {
        self.time += 1.0 / 60.0;
        let raw = RawInput {
            screen_rect: Some(SCREEN),
            time: Some(self.time),
            predicted_dt: 1.0 / 60.0,
            events,
            focused: true,
            ..RawInput::default()
        };
        let start = Instant::now();
        let cpu = Cpu::now();
        let mut out = self.ctx.run_ui(raw, |u| ui(u));
        let shapes = std::mem::take(&mut out.shapes);
        let pixels_per_point = out.pixels_per_point;
        // There is no GPU to upload font textures to.
        out.drop_without_applying_deltas();
        let prims = self.ctx.tessellate(shapes, pixels_per_point);
        let t = cpu.ms();
        self.walls.push(ms(start.elapsed()));
        std::hint::black_box(prims);
        t
    }

    fn move_to(&mut self, p: Pos2) -> Event {
        self.pointer = p;
        Event::PointerMoved(p)
    }

    fn button(&self, pressed: bool) -> Event {
        Event::PointerButton {
            pos: self.pointer,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        }
    }
}

pub(crate) fn wheel(dy: f32) -> Event {
    Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: vec2(0.0, dy),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: Modifiers::NONE,
    }
}

/// `bench --measure FILE`: the real app on one file; prints a [`SizeReport`] as JSON.
///
/// # Errors
/// The file does not open, or the scratch folder cannot be made.
pub fn measure(path: &Path, quick: bool) -> anyhow::Result<SizeReport> {
    let plan = Plan::new(quick);
    let mut opens = Vec::new();
    for _ in 1..plan.opens {
        let t = Instant::now();
        let e = Editor::open(path)?;
        opens.push(ms(t.elapsed()));
        drop(e);
    }
    let start = Instant::now();
    let editor = Editor::open(path)?;
    opens.push(ms(start.elapsed()));
    let bytes = editor.doc().text().as_str().len();
    let annotations = editor.doc().annotations().len();
    let text_len = editor.doc().text().len_chars();
    let scratch = std::env::temp_dir().join(format!("tallymark-bench-app-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)
        .with_context(|| format!("cannot create {}", scratch.display()))?;
    let dirs = Dirs {
        config: scratch.join("config"),
        saves: scratch.join("saves"),
    };
    let mut app = TallymarkApp::new(editor, Settings::default(), dirs, false);
    let mut win = Window::new();
    let mut ui = |u: &mut egui::Ui| app.frame_ui(u);
    win.frame(Vec::new(), &mut ui);
    let first_frame_ms = ms(start.elapsed());

    // Let the background layout and the suggestions finish, as a user would see them do.
    let settle = Instant::now();
    let mut settle_frames = 0;
    while (!app.article.settled() || app.suggest.running()) && settle_frames < 3000 {
        win.frame(Vec::new(), &mut |u| app.frame_ui(u));
        settle_frames += 1;
        if app.suggest.running() {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    let settle_ms = ms(settle.elapsed());

    // Deterministic positions for the scripted gestures.
    let mut rng = synth::Rng::new(7);
    let mut frames = Vec::new();
    let walls_from = win.walls.len();
    // Scrolling: the wheel over the article, and every fifth frame a jump elsewhere (a
    // click in the list, a dragged scroll bar).
    let over_text = pos2(400.0, 420.0);
    let ev = win.move_to(over_text);
    win.frame(vec![ev], &mut |u| app.frame_ui(u));
    for i in 0..plan.scroll {
        if i % 5 == 4 {
            app.article.scroll_to = Some(rng.below(text_len));
            frames.push(win.frame(Vec::new(), &mut |u| app.frame_ui(u)));
        } else {
            frames.push(win.frame(vec![wheel(-90.0)], &mut |u| app.frame_ui(u)));
        }
    }
    // Selecting: press, drag down and across for a while, release.
    let mut i = 0;
    while i < plan.select {
        let from = pos2(150.0 + rng.below(300) as f32, 200.0 + rng.below(200) as f32);
        let ev = win.move_to(from);
        frames.push(win.frame(vec![ev, win.button(true)], &mut |u| app.frame_ui(u)));
        i += 1;
        for step in 0..18 {
            let p = from + vec2(step as f32 * 17.0 % 400.0, step as f32 * 14.0);
            let ev = win.move_to(p);
            frames.push(win.frame(vec![ev], &mut |u| app.frame_ui(u)));
            i += 1;
        }
        frames.push(win.frame(vec![win.button(false)], &mut |u| app.frame_ui(u)));
        i += 1;
    }
    app.article.selection = None;
    // Hovering: the pointer wanders over the text, showing the tooltips of what it meets.
    for _ in 0..plan.hover {
        let p = pos2(120.0 + rng.below(680) as f32, 120.0 + rng.below(620) as f32);
        let ev = win.move_to(p);
        frames.push(win.frame(vec![ev], &mut |u| app.frame_ui(u)));
    }
    let frame_wall_p95_ms = quantile(&win.walls[walls_from..], 0.95);
    let ev = win.move_to(pos2(1200.0, 10.0));
    win.frame(vec![ev], &mut |u| app.frame_ui(u));
    // Edits: add a figure over a word, change a note, delete an annotation; each through
    // `apply` plus the cache refresh the next frame would do, then that frame.
    let mut edits = Vec::new();
    let mut edit_frames = Vec::new();
    for k in 0..plan.edits {
        let ctx = win.ctx.clone();
        let n = app.editor().doc().annotations().len();
        let command = match k % 3 {
            0 => {
                let at = rng.below(text_len.saturating_sub(20));
                let word = app.editor().doc().text().word_at(at);
                let span = if word.is_empty() {
                    crate::core::span::Span {
                        start: at,
                        end: at + 5,
                    }
                } else {
                    word
                };
                app.article.selection = Some(Selection {
                    anchor: span.start,
                    head: span.end,
                });
                Command::Action(Action::MarkFigure)
            }
            1 => set_note(&app, rng.below(n), format!("Edited in benchmark step {k}.")),
            _ => {
                let id = app.editor().doc().annotations()[rng.below(n)].id;
                app.view.selected = Some(id);
                Command::Action(Action::DeleteSelected)
            }
        };
        let t = Cpu::now();
        app.apply(&ctx, command);
        app.refresh_caches(&ctx);
        edits.push(t.ms());
        // The edit came from a key or a click: input, so no idle autosave starts.
        let ev = win.move_to(pos2(1200.0, 12.0 + (k % 2) as f32));
        edit_frames.push(win.frame(vec![ev], &mut |u| app.frame_ui(u)));
        app.article.selection = None;
    }

    // Saving: Ctrl+S writes on a background thread; frames keep running meanwhile.
    let save_path = scratch.join("saved.ron");
    let mut saves = Vec::new();
    let mut save_ui = Vec::new();
    let mut save_frames: Vec<f64> = Vec::new();
    let mut last_saved = None;
    for k in 0..plan.saves {
        let ctx = win.ctx.clone();
        // A change first, so each save has something new to write.
        app.apply(&ctx, set_note(&app, k, format!("Saved in round {k}.")));
        let t = Instant::now();
        let cpu = Cpu::now();
        app.save_as_path(&save_path);
        save_ui.push(cpu.ms());
        let mut waited = 0;
        while app.saving() && waited < 100_000 {
            save_frames.push(win.frame(Vec::new(), &mut |u| app.frame_ui(u)));
            waited += 1;
            std::thread::sleep(Duration::from_millis(1));
        }
        saves.push(ms(t.elapsed()));
        if app.editor().is_dirty() {
            bail!("the document is still dirty after saving");
        }
        // A snapshot of what was saved, checked against the file once memory is measured.
        last_saved = Some(app.editor().doc().clone());
    }
    // Idle autosave: an unsaved change, then idle frames until the recovery copy is written.
    let ctx = win.ctx.clone();
    app.apply(
        &ctx,
        set_note(&app, 0, "Waiting for the autosave.".to_owned()),
    );
    let mut autosave_frames = Vec::new();
    for _ in 0..(4 * 60) {
        autosave_frames.push(win.frame(Vec::new(), &mut |u| app.frame_ui(u)));
    }
    // The background writer may still be finishing.
    for _ in 0..2000 {
        if !app.autosaving() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
        win.frame(Vec::new(), &mut |u| app.frame_ui(u));
    }
    // The Compare tab: every figure of the document charted and tabled. Its first frame
    // computes the comparison.
    app.tab = crate::ui::app::Tab::Compare;
    let mut compare = Vec::new();
    for i in 0..plan.hover / 2 {
        let ev = win.move_to(pos2(300.0 + (i % 40) as f32 * 8.0, 400.0));
        compare.push(win.frame(vec![ev], &mut |u| app.frame_ui(u)));
    }
    app.tab = crate::ui::app::Tab::Article;
    let peak_rss_mb = peak_rss_mb();
    let (view_frame_p50_ms, view_frame_p95_ms) =
        bare_view(app.editor().doc(), plan.baseline_frames);
    let identical = match &last_saved {
        Some(doc) => {
            let expected = persist::to_ron(doc).context("serialising")?;
            persist::hash_file(&save_path) == Some(crate::core::text::sha256_hex(&expected))
        }
        None => false,
    };
    let file_bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    drop(app);
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(SizeReport {
        bytes,
        annotations,
        file_bytes,
        open_ms: quantile(&opens, 0.5),
        open_max_ms: quantile(&opens, 1.0),
        first_frame_ms,
        settle_frames,
        settle_ms,
        frames: frames.len(),
        frame_p50_ms: quantile(&frames, 0.5),
        frame_p95_ms: quantile(&frames, 0.95),
        frame_max_ms: quantile(&frames, 1.0),
        frame_wall_p95_ms,
        compare_first_ms: compare.first().copied().unwrap_or(0.0),
        compare_frame_p95_ms: quantile(compare.get(1..).unwrap_or(&[]), 0.95),
        edit_ms: quantile(&edits, 0.5),
        edit_p95_ms: quantile(&edits, 0.95),
        edit_frame_p95_ms: quantile(&edit_frames, 0.95),
        save_ms: quantile(&saves, 0.5),
        save_ui_ms: quantile(&save_ui, 0.5),
        save_frame_max_ms: quantile(&save_frames, 1.0),
        save_identical: identical,
        autosave_frame_max_ms: quantile(&autosave_frames, 1.0),
        peak_rss_mb,
        view_frame_p50_ms,
        view_frame_p95_ms,
        ..SizeReport::default()
    })
}

/// The command that sets the note of the `index`-th annotation (in text order).
fn set_note(app: &TallymarkApp, index: usize, note: String) -> Command {
    let mut a = Annotation::clone(&app.editor().doc().annotations()[index]);
    a.note = note;
    Command::Update {
        annotation: Box::new(a),
        merge_key: None,
    }
}

/// The article view alone in a bare window, scrolled by the wheel as the baseline is:
/// frame time median and 95th percentile.
fn bare_view(doc: &Document, frames: usize) -> (f64, f64) {
    use crate::ui::article_view::{ArticleView, ViewInput};
    fn run(win: &mut Window, view: &mut ArticleView, doc: &Document, events: Vec<Event>) -> f64 {
        win.frame(events, &mut |ui: &mut egui::Ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                let input = ViewInput {
                    doc,
                    generation: 1,
                    selected: None,
                    hidden: [false; 3],
                    text_size: crate::ui::theme::TEXT_SIZE,
                    suggestions: &[],
                    focused_suggestion: None,
                    find_matches: &[],
                };
                view.view_ui(ui, &input);
            });
        })
    }
    let mut view = ArticleView::default();
    let mut win = Window::new();
    run(&mut win, &mut view, doc, Vec::new());
    // Measured once settled, as the app is.
    let mut settle = 0;
    while !view.settled() && settle < 3000 {
        run(&mut win, &mut view, doc, Vec::new());
        settle += 1;
    }
    let ev = win.move_to(pos2(400.0, 420.0));
    run(&mut win, &mut view, doc, vec![ev]);
    let times: Vec<f64> = (0..frames)
        .map(|_| run(&mut win, &mut view, doc, vec![wheel(-90.0)]))
        .collect();
    (quantile(&times, 0.5), quantile(&times, 0.95))
}

/// What the baseline child reports.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Baseline {
    /// Laying out the whole text.
    pub first_frame_ms: f64,
    /// Frame time while scrolling, median.
    pub frame_p50_ms: f64,
    /// Frame time while scrolling, 95th percentile.
    pub frame_p95_ms: f64,
    /// Peak resident memory (MB).
    pub peak_rss_mb: Option<f64>,
}

/// `bench --baseline FILE`: the naive view, one label holding the whole text with a
/// highlighted section per annotation boundary (innermost annotation's colour).
///
/// # Errors
/// The file does not open.
pub fn baseline(path: &Path, quick: bool) -> anyhow::Result<Baseline> {
    use egui::text::{LayoutJob, TextFormat};
    let plan = Plan::new(quick);
    let editor = Editor::open(path)?;
    let doc = editor.doc();
    let text = doc.text();
    let mut cuts: Vec<usize> = doc
        .annotations()
        .iter()
        .flat_map(|a| [a.span.start, a.span.end])
        .chain([0, text.len_chars()])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut job = LayoutJob::default();
    for w in cuts.windows(2) {
        let span = crate::core::span::Span {
            start: w[0],
            end: w[1],
        };
        let innermost = doc.annotations_at(span.start).first().map(|a| a.kind());
        let background = match innermost {
            Some(Kind::Claim) => egui::Color32::from_rgba_unmultiplied(90, 140, 230, 60),
            Some(Kind::Quote) => egui::Color32::from_rgba_unmultiplied(60, 170, 110, 60),
            Some(Kind::Figure) => egui::Color32::from_rgba_unmultiplied(230, 150, 40, 70),
            None => egui::Color32::TRANSPARENT,
        };
        job.append(
            text.slice(span),
            0.0,
            TextFormat {
                font_id: egui::FontId::proportional(17.0),
                background,
                ..TextFormat::default()
            },
        );
    }
    job.wrap.max_width = 720.0;
    let mut win = Window::new();
    let mut show = |ui: &mut egui::Ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.label(job.clone());
            });
        });
    };
    let first_frame_ms = win.frame(Vec::new(), &mut show);
    let ev = win.move_to(pos2(400.0, 420.0));
    win.frame(vec![ev], &mut show);
    let mut frames = Vec::new();
    for _ in 0..plan.baseline_frames {
        frames.push(win.frame(vec![wheel(-90.0)], &mut show));
    }
    Ok(Baseline {
        first_frame_ms,
        frame_p50_ms: quantile(&frames, 0.5),
        frame_p95_ms: quantile(&frames, 0.95),
        peak_rss_mb: peak_rss_mb(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_use_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert!((quantile(&v, 0.5) - 50.0).abs() < f64::EPSILON);
        assert!((quantile(&v, 0.95) - 95.0).abs() < f64::EPSILON);
        assert!((quantile(&v, 1.0) - 100.0).abs() < f64::EPSILON);
        assert!(quantile(&[], 0.5).abs() < f64::EPSILON);
    }
}
