//! Laying out and writing the statement's PDF, fonts already loaded (target: < 5 ms).

use std::hint::black_box;
use std::path::Path;

use communique::markdown::{ReadOptions, read};
use communique::pdf::{FontBook, PdfOptions, pdf};
use criterion::{Criterion, criterion_group, criterion_main};

const STATEMENT: &str = include_str!("../content/us-upr-review.md");

fn bench(c: &mut Criterion) {
    let (doc, _) = read(
        Path::new("content/us-upr-review.md"),
        STATEMENT,
        &ReadOptions::default(),
    );
    let doc = doc.expect("the statement reads");
    let opts = PdfOptions {
        source_date_epoch: Some(1_795_800_000),
        fonts: Some(FontBook::bundled()),
        ..PdfOptions::default()
    };
    // Load the fonts before measuring.
    let _ = pdf(&doc, &opts);
    let book = FontBook::bundled();
    c.bench_function("statement_layout_only", |b| {
        b.iter(|| {
            let mut diags = Vec::new();
            communique::pdf::design::lay_out(black_box(&doc), &book, &opts, &mut diags)
                .pages
                .len()
        })
    });
    // A worker thread keeps its shaping cache between documents (a batch or `watch`
    // benefits); this is the cost with that cache warm ...
    c.bench_function("statement_pdf", |b| {
        b.iter(|| pdf(black_box(&doc), black_box(&opts)).map(|r| r.bytes.len()))
    });
    // ... and this the cost of a first document, every word shaped anew.
    c.bench_function("statement_pdf_cold_shaping", |b| {
        b.iter(|| {
            communique::pdf::shape::forget_kept_cache();
            pdf(black_box(&doc), black_box(&opts)).map(|r| r.bytes.len())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
