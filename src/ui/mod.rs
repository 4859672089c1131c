//! The egui face of Tallymark. Views read state and return [`command::Command`]s;
//! [`app::TallymarkApp::apply`] is the one place that carries them out.

pub mod annotation_list;
pub mod app;
pub mod article_view;
pub mod command;
pub mod compare_view;
pub mod file_dialog;
pub mod find;
pub mod inspector;
pub mod job;
pub mod loading;
pub mod memo;
pub mod review_view;
pub mod saving;
pub mod suggestions;
pub mod theme;

pub use app::TallymarkApp;

use crate::core::editor::Editor;
use crate::core::settings::{Dirs, Settings};

/// Opens the main window on `editor` (or on `workspace`, when given) and runs until it is
/// closed.
///
/// # Errors
/// When no window can be created (no display, no OpenGL).
pub fn run(
    editor: Editor,
    workspace: Option<std::path::PathBuf>,
    notice: Option<String>,
) -> anyhow::Result<()> {
    let dirs = Dirs::platform();
    let settings = Settings::load(&dirs.settings_file());
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_title("Tallymark")
            .with_app_id("tallymark")
            .with_inner_size([1280.0, 820.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        // Window size and panel widths live in the platform's config directory.
        persistence_path: Some(dirs.config.clone()),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "Tallymark",
        options,
        Box::new(move |cc| {
            let mut app = TallymarkApp::new(editor, settings, dirs, true);
            app.set_context(&cc.egui_ctx);
            theme::apply(&cc.egui_ctx, app.settings().dark);
            if let Some(ws) = &workspace {
                app.open_path(ws);
            }
            if let Some(n) = notice {
                app.notify_error(n);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}
