//! Re-anchoring the reference annotations onto any text: never panic, and every placed
//! annotation lies on its exact text.
#![no_main]

use libfuzzer_sys::fuzz_target;

static REFERENCE: &str = include_str!("../../saves/kazakhstan-protests-2022.ron");

fuzz_target!(|text: &str| {
    let Ok(doc) = tallymark_core::persist::parse(std::path::Path::new("ref.ron"), REFERENCE)
    else {
        return;
    };
    let (out, report) = tallymark_core::reanchor::reanchor(&doc, text);
    assert_eq!(
        out.annotations().len() + out.orphans().len(),
        doc.annotations().len(),
        "{}",
        report.summary()
    );
    for a in out.annotations() {
        assert_eq!(out.text().slice(a.span), a.exact);
    }
});
