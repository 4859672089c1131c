//! Any text as a figure phrase and as an article to suggest from: never panic, and every
//! suggested span must lie inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = tallymark_core::figure::parse_figure(text);
    let n = text.chars().count();
    let s = tallymark_core::suggest::suggest(
        text,
        tallymark_core::suggest::Options {
            claims: true,
            deployments: true,
            // A fixed day, so that relative dates in the input are resolved too.
            published: time::Date::from_calendar_date(2022, time::Month::January, 11).ok(),
        },
    );
    for f in &s.figures {
        assert!(f.span.start < f.span.end && f.span.end <= n);
    }
    for q in &s.quotes {
        assert!(q.span.start < q.span.end && q.span.end <= n);
    }
});
