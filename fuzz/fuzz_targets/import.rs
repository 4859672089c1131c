//! Any text as brat standoff and as W3C JSON-LD for a small article: the importers return
//! annotations that fit the article, or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tallymark_core::document::Document;
use tallymark_core::export::{ImportFormat, import_onto};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let article = Document::from_article(
        "Toll rises\n\nPolice said 31 people died and “we are still searching”.\n",
        None,
    );
    for format in [ImportFormat::Brat, ImportFormat::W3c] {
        if let Ok(doc) = import_onto(&article, input, format) {
            let n = doc.text().len_chars();
            for a in doc.annotations() {
                assert!(a.span.start < a.span.end && a.span.end <= n);
                if let Some(f) = a.figure() {
                    assert!(f.non_finite().is_none(), "no NaN or infinity gets in");
                }
            }
        }
    }
});
