//! `tallymark bench --story N`: a story of N articles (syndicated copies, updates, counts
//! for one town and for children; see `core::synth_story`) written as annotation files and a
//! workspace, then opened in the real app headless: opening the workspace, computing the
//! ledger, and the Compare tab's frames (CPU time per frame, as the main bench measures).

use std::time::Instant;

use eframe::egui::{Event, pos2};
use serde::Serialize;

use crate::core::editor::Editor;
use crate::core::settings::{Dirs, Settings};
use crate::ui::TallymarkApp;
use crate::ui::command::Action;

/// What `bench --story` measured.
#[derive(Debug, Serialize)]
pub struct StoryReport {
    /// Articles in the story.
    pub articles: usize,
    /// Figures in all of them.
    pub figures: usize,
    /// Opening the workspace in the app (read, parse, index every file), ms.
    pub open_ms: f64,
    /// Computing the ledger once, ms.
    pub ledger_ms: f64,
    /// Claims and conflicts the ledger found.
    pub claims: usize,
    /// Conflicts listed.
    pub conflicts: usize,
    /// The Compare tab's first frame (comparison and ledger computed), ms.
    pub compare_first_frame_ms: f64,
    /// The Compare tab's frames while scrolling, CPU ms, median and 95th percentile.
    pub compare_frame_p50_ms: f64,
    /// See `compare_frame_p50_ms`.
    pub compare_frame_p95_ms: f64,
}

/// Targets the issue set for 1,000 articles.
pub const TARGETS: &str = "open < 3000 ms, ledger < 1000 ms, Compare frames p95 < 4 ms";

/// Generates, writes, opens and measures a story of `n` articles.
///
/// # Errors
/// A temporary folder or a file could not be written.
pub fn run(n: usize, frames: usize) -> anyhow::Result<StoryReport> {
    let docs = crate::core::synth_story::story(n, 20, 11);
    let figures = docs.iter().map(|d| d.annotations().len()).sum();
    let dir = tempfile_dir()?;
    let mut paths = Vec::with_capacity(n);
    for (i, d) in docs.iter().enumerate() {
        let p = dir.join(format!("article-{i:04}.ron"));
        crate::core::persist::save(d, &p)?;
        paths.push(p);
    }
    let ws_path = dir.join("story.workspace.ron");
    crate::core::workspace::Workspace::new("Synthetic story", &ws_path, &paths).save(&ws_path)?;
    drop(docs);

    let settings_dir = dir.join("app");
    let dirs = Dirs {
        config: settings_dir.join("config"),
        saves: settings_dir.join("saves"),
    };
    let first = Editor::open(&paths[0])?;
    let mut app = TallymarkApp::new(first, Settings::default(), dirs, false);
    let t = Instant::now();
    app.open_path(&ws_path);
    let open_ms = t.elapsed().as_secs_f64() * 1000.0;
    anyhow::ensure!(
        app.editors().len() == n,
        "the workspace opened {} of {n}",
        app.editors().len()
    );

    let articles: Vec<crate::core::ledger::Article<'_>> = app
        .editors()
        .iter()
        .map(|e| crate::core::ledger::Article {
            title: e.doc().meta.title.clone(),
            doc: e.doc(),
        })
        .collect();
    let t = Instant::now();
    let ledger = crate::core::ledger::ledger(
        &articles,
        &crate::core::metrics::Taxonomy::builtin(),
        &crate::core::scope::Groups::builtin(),
        &crate::core::ledger::Options::default(),
    );
    let ledger_ms = t.elapsed().as_secs_f64() * 1000.0;
    let claims = ledger.families.iter().map(|f| f.claims.len()).sum();
    let conflicts = ledger.families.iter().map(|f| f.conflicts.len()).sum();
    drop(articles);

    let mut window = crate::bench::Window::new();
    app.set_context(&window.ctx);
    window.frame(Vec::new(), &mut |ui| app.frame_ui(ui));
    let ctx = window.ctx.clone();
    app.apply(&ctx, Action::ShowCompare);
    let compare_first_frame_ms = window.frame(Vec::new(), &mut |ui| app.frame_ui(ui));
    let mut samples = Vec::with_capacity(frames);
    for i in 0..frames {
        // Scroll down, then back up, as a reader of the ledger would.
        let dy = if (i / 60) % 2 == 0 { -40.0 } else { 40.0 };
        let events = vec![
            Event::PointerMoved(pos2(640.0, 400.0)),
            crate::bench::wheel(dy),
        ];
        samples.push(window.frame(events, &mut |ui| app.frame_ui(ui)));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(StoryReport {
        articles: n,
        figures,
        open_ms,
        ledger_ms,
        claims,
        conflicts,
        compare_first_frame_ms,
        compare_frame_p50_ms: crate::bench::quantile(&samples, 0.5),
        compare_frame_p95_ms: crate::bench::quantile(&samples, 0.95),
    })
}

/// A fresh folder under the system's temporary directory.
fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "tallymark-story-bench-{}-{}",
        std::process::id(),
        time::OffsetDateTime::now_utc().unix_timestamp_nanos()
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// The report as lines for people.
#[must_use]
pub fn table(r: &StoryReport) -> String {
    format!(
        "story of {} articles ({} figures): open {:.0} ms · ledger {:.0} ms ({} claims, {} conflicts) · Compare tab first frame {:.0} ms, then p50 {:.2} / p95 {:.2} ms\ntargets: {TARGETS}\n",
        r.articles,
        r.figures,
        r.open_ms,
        r.ledger_ms,
        r.claims,
        r.conflicts,
        r.compare_first_frame_ms,
        r.compare_frame_p50_ms,
        r.compare_frame_p95_ms
    )
}
