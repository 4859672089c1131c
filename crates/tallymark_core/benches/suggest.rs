//! Speed of the suggester on a book-length text per language: the development articles of
//! each language (English, Russian, Kazakh, Ukrainian) repeated to about 8 MB. Criterion reports throughput in bytes per second (one thread: the suggester is
//! single-threaded). Run with `cargo bench -p tallymark_core --bench suggest`.

#![expect(
    missing_docs,
    reason = "criterion's macros generate the public entry points"
)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tallymark_core::suggest::{Options, suggest};

/// The language of a development article, from its name (`ru-…`, `kk-…`, `uk-…`).
fn language_of(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match name.split('-').next() {
        Some("ru") => "ru",
        Some("kk") => "kk",
        Some("uk") => "uk",
        _ => "en",
    }
}

fn corpus(lang: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/suggest");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("development set")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt") && language_of(p) == lang)
        .collect();
    names.sort();
    let one: String = names
        .iter()
        .map(|p| {
            let mut article = std::fs::read_to_string(p).expect("article");
            article.push_str("\n\n");
            article
        })
        .collect();
    let mut text = String::with_capacity(8_500_000);
    while text.len() < 8_000_000 {
        text.push_str(&one);
    }
    text
}

fn bench(c: &mut Criterion) {
    let text = corpus("en");
    let mut group = c.benchmark_group("suggest");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.bench_function("figures and quotes, 8 MB", |b| {
        b.iter(|| suggest(black_box(&text), Options::default()));
    });
    group.bench_function("with claims, 8 MB", |b| {
        b.iter(|| {
            suggest(
                black_box(&text),
                Options {
                    claims: true,
                    ..Options::default()
                },
            )
        });
    });
    group.finish();
    for lang in ["ru", "kk", "uk"] {
        let text = corpus(lang);
        let mut group = c.benchmark_group(format!("suggest {lang}"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.sample_size(10);
        group.bench_function("figures and quotes, 8 MB", |b| {
            b.iter(|| suggest(black_box(&text), Options::default()));
        });
        if lang == "ru" {
            // The same text as one sentence: no stops, no line breaks (a scraped page).
            let one: String = text
                .chars()
                .map(|c| match c {
                    '.' | '!' | '?' => ',',
                    '\n' => ' ',
                    c => c,
                })
                .collect();
            group.bench_function("one sentence of 8 MB", |b| {
                b.iter(|| suggest(black_box(&one), Options::default()));
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
