//! Writing the seed statement's EPUB with the model in hand (target: under 3 ms).
//!
//! `epub/statement` is the steady state (the generated cover is cached per process, keyed by
//! its text); `epub/statement_new_cover` changes the headline on every run so that the cover is
//! drawn and encoded each time.

use std::hint::black_box;
use std::path::Path;

use communique::epub::{EpubOptions, epub, html};
use communique::markdown::{ReadOptions, read};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/us-upr-review.md");
    let text = std::fs::read_to_string(&path).expect("the seed statement");
    let (doc, _) = read(&path, &text, &ReadOptions::default());
    let doc = doc.expect("the seed statement reads");
    let opts = EpubOptions {
        source_date_epoch: Some(1_795_800_000),
        ..EpubOptions::default()
    };
    c.bench_function("epub/statement", |b| {
        b.iter(|| epub(black_box(&doc), black_box(&opts)).map(|r| r.bytes.len()))
    });
    let mut n = 0u64;
    let mut fresh = doc.clone();
    c.bench_function("epub/statement_new_cover", |b| {
        b.iter(|| {
            n += 1;
            fresh.meta.title = format!("{} {n}", doc.meta.title);
            epub(black_box(&fresh), black_box(&opts)).map(|r| r.bytes.len())
        })
    });
    c.bench_function("html/statement", |b| {
        b.iter(|| html(black_box(&doc), black_box(&opts)).map(|r| r.bytes.len()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
