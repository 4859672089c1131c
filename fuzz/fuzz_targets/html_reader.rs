//! Any bytes as a saved web page: the readable text and the provenance must come back,
//! never a panic or an overflowing stack.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(page) = std::str::from_utf8(data) else {
        return;
    };
    let _ = tallymark_core::html::readable_text(page);
    let today = time::Date::from_calendar_date(2026, time::Month::December, 1)
        .unwrap_or(time::Date::MIN);
    let p = tallymark_core::provenance::from_html(page, today);
    // A date read is never after the bound.
    assert!(p.published.is_none_or(|d| d.date <= today));
});
