//! The egui face of Tallymark. Views read state and return [`command::Command`]s;
//! [`app::TallymarkApp::apply`] is the one place that carries them out.

pub mod annotation_list;
pub mod app;
pub mod article_panel;
pub mod article_view;
pub mod command;
pub mod compare_view;
pub mod file_dialog;
pub mod find;
pub mod inspector;
pub mod job;
pub mod ledger_view;
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
    // winit 0.30 panics (an unwrap on X11's BadWindow) when the window is destroyed
    // outright, e.g. by `xdotool windowclose` or a crashing window manager, instead of
    // asking to close. Nothing can be drawn any more then: keep the unsaved work (the app
    // writes recovery copies as it is dropped) and end quietly instead of with a backtrace.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !is_window_gone(panic_text(info.payload())) {
            default_hook(info);
        }
    }));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run_window(options, editor, dirs, settings, workspace, notice)
    }));
    match result {
        Ok(r) => r,
        Err(payload) if is_window_gone(panic_text(payload.as_ref())) => {
            eprintln!(
                "tallymark: the window was destroyed without closing; unsaved work was kept \
                 and is offered when Tallymark starts again."
            );
            Ok(())
        }
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

/// The message a panic carries, if it is text.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("")
}

/// True for winit's panic on a window that no longer exists (X11 `BadWindow`).
fn is_window_gone(message: &str) -> bool {
    message.contains("X11Error") && message.contains("error_kind: Window")
}

fn run_window(
    options: eframe::NativeOptions,
    editor: Editor,
    dirs: Dirs,
    settings: Settings,
    workspace: Option<std::path::PathBuf>,
    notice: Option<String>,
) -> anyhow::Result<()> {
    eframe::run_native(
        "Tallymark",
        options,
        Box::new(move |cc| {
            let mut app = TallymarkApp::new(editor, settings, dirs, true).keep_work_on_drop();
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

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_destroyed_window_panic_is_taken_for_one() {
        let winit = "called `Result::unwrap()` on an `Err` value: X11(X11Error { error_kind: \
                     Window, error_code: 3, sequence: 561, bad_value: 2097155 })";
        assert!(super::is_window_gone(winit));
        assert!(!super::is_window_gone("index out of bounds"));
        assert!(!super::is_window_gone("X11Error { error_kind: Access }"));
    }
}
