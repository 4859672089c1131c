//! Design tokens: every colour and size the UI uses, for light and dark themes.

use eframe::egui::{self, Color32};

use crate::core::annotation::Kind;

/// The solid colour of a kind (bars, swatches, outlines).
#[must_use]
pub fn kind_color(kind: Kind, dark: bool) -> Color32 {
    match (kind, dark) {
        (Kind::Claim, false) => Color32::from_rgb(0x5b, 0x4d, 0xc7),
        (Kind::Claim, true) => Color32::from_rgb(0xa3, 0x99, 0xff),
        (Kind::Quote, false) => Color32::from_rgb(0x0e, 0x8a, 0x6a),
        (Kind::Quote, true) => Color32::from_rgb(0x4f, 0xd1, 0xa8),
        (Kind::Figure, false) => Color32::from_rgb(0xc2, 0x5e, 0x00),
        (Kind::Figure, true) => Color32::from_rgb(0xff, 0xa8, 0x4a),
    }
}

/// The translucent background of a highlighted span. Overlapping spans add up, so nested
/// spans read darker.
#[must_use]
pub fn kind_fill(kind: Kind, dark: bool, selected: bool) -> Color32 {
    let c = kind_color(kind, dark);
    let alpha = match (dark, selected) {
        (false, false) => 46,
        (false, true) => 110,
        (true, false) => 52,
        (true, true) => 120,
    };
    Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), alpha)
}

/// Background of the user's text selection.
#[must_use]
pub fn selection_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(0x3d, 0x8b, 0xff, 90)
    } else {
        Color32::from_rgba_unmultiplied(0x2f, 0x7c, 0xf6, 70)
    }
}

/// Colour of the article text.
#[must_use]
pub fn text_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(0xe2)
    } else {
        Color32::from_gray(0x1e)
    }
}

/// The reading column's paper colour.
#[must_use]
pub fn paper(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(0x1b)
    } else {
        Color32::from_rgb(0xfd, 0xfc, 0xf8)
    }
}

/// Colour for error notices.
#[must_use]
pub fn error_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0xff, 0x8a, 0x80)
    } else {
        Color32::from_rgb(0xb3, 0x26, 0x1e)
    }
}

/// Default article text size in points.
pub const TEXT_SIZE: f32 = 17.0;
/// Smallest and largest text sizes reachable by zooming.
pub const TEXT_SIZE_RANGE: (f32, f32) = (10.0, 40.0);
/// Line height as a multiple of the text size (generous, for reading).
pub const LINE_HEIGHT: f32 = 1.55;
/// Reading column width in multiples of the text size (about 70 characters).
pub const COLUMN_EMS: f32 = 36.0;
/// Thickness of the underline bars marking outer (enclosing) spans.
pub const BAR: f32 = 2.0;
/// Gap between stacked underline bars.
pub const BAR_GAP: f32 = 1.5;

/// Applies the chosen theme to the context.
pub fn apply(ctx: &egui::Context, dark: Option<bool>) {
    let pref = match dark {
        None => egui::ThemePreference::System,
        Some(true) => egui::ThemePreference::Dark,
        Some(false) => egui::ThemePreference::Light,
    };
    ctx.set_theme(pref);
}

/// Lets proportional text draw arrows (`→`) and the other symbols the bundled proportional
/// font lacks, from the monospace font egui bundles anyway (its fallback chain otherwise
/// ends without them, and an arrow showed as a box). Cheap when already done: called every
/// frame, it only reads the font list.
pub fn install_fonts(ctx: &egui::Context) {
    let wanted = ctx.fonts(|f| {
        let defs = f.definitions();
        let mono = defs.families.get(&egui::FontFamily::Monospace)?.first()?;
        let prop = defs.families.get(&egui::FontFamily::Proportional)?;
        (!prop.contains(mono)).then(|| {
            let mut defs = defs.clone();
            if let Some(prop) = defs.families.get_mut(&egui::FontFamily::Proportional) {
                prop.push(mono.clone());
            }
            defs
        })
    });
    if let Some(defs) = wanted {
        ctx.set_fonts(defs);
    }
}

/// Distinct colours for chart series (one per source), readable on light and dark.
#[must_use]
pub fn series_color(i: usize, dark: bool) -> Color32 {
    const LIGHT: [Color32; 8] = [
        Color32::from_rgb(0x1f, 0x77, 0xb4),
        Color32::from_rgb(0xd6, 0x27, 0x28),
        Color32::from_rgb(0x2c, 0xa0, 0x2c),
        Color32::from_rgb(0x94, 0x67, 0xbd),
        Color32::from_rgb(0xff, 0x7f, 0x0e),
        Color32::from_rgb(0x8c, 0x56, 0x4b),
        Color32::from_rgb(0xe3, 0x77, 0xc2),
        Color32::from_rgb(0x17, 0xbe, 0xcf),
    ];
    const DARK: [Color32; 8] = [
        Color32::from_rgb(0x6b, 0xb3, 0xff),
        Color32::from_rgb(0xff, 0x7b, 0x72),
        Color32::from_rgb(0x7e, 0xe7, 0x87),
        Color32::from_rgb(0xd2, 0xa8, 0xff),
        Color32::from_rgb(0xff, 0xb8, 0x6c),
        Color32::from_rgb(0xe0, 0xb0, 0x8c),
        Color32::from_rgb(0xff, 0x9b, 0xce),
        Color32::from_rgb(0x56, 0xd4, 0xdd),
    ];
    if dark { DARK[i % 8] } else { LIGHT[i % 8] }
}

/// Colour that marks a conflict.
#[must_use]
pub fn conflict_color(dark: bool) -> Color32 {
    error_color(dark)
}

/// Colour that marks agreement.
#[must_use]
pub fn ok_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x7e, 0xe7, 0x87)
    } else {
        Color32::from_rgb(0x1a, 0x7f, 0x37)
    }
}

/// Dash and gap lengths of a suggestion's outline, in points.
pub const DASH: f32 = 4.0;
/// See [`DASH`].
pub const DASH_GAP: f32 = 3.0;

/// Background of find matches: a marker-pen yellow, visible under kind colours.
#[must_use]
pub fn find_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(0xe0, 0xc0, 0x30, 70)
    } else {
        Color32::from_rgba_unmultiplied(0xff, 0xd8, 0x30, 110)
    }
}
