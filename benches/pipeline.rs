//! The stages and the whole pipeline: read, then PDF and EPUB, for the statement at 1×, 10× and
//! 100× its length. Cost should grow linearly: 10× the text within 11× the time.
//! The 1,000-statement batch is timed as a whole process (see benches/README.md).

use std::hint::black_box;
use std::path::Path;

use communique::epub::{EpubOptions, epub};
use communique::markdown::{ReadOptions, read};
use communique::pdf::{FontBook, PdfOptions, pdf};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

const STATEMENT: &str = include_str!("../content/us-upr-review.md");

/// The statement with its body repeated `n` times (front matter once).
fn scaled(n: usize) -> String {
    let body_start = STATEMENT[3..].find("\n---\n").map_or(0, |i| i + 3 + 5);
    let (front, body) = STATEMENT.split_at(body_start);
    let mut s = String::from(front);
    for _ in 0..n {
        s.push_str(body);
        s.push('\n');
    }
    s
}

fn bench(c: &mut Criterion) {
    let path = Path::new("content/us-upr-review.md");
    let read_opts = ReadOptions::default();
    let pdf_opts = PdfOptions {
        source_date_epoch: Some(1_795_800_000),
        fonts: Some(FontBook::bundled()),
        ..PdfOptions::default()
    };
    let epub_opts = EpubOptions {
        source_date_epoch: Some(1_795_800_000),
        ..EpubOptions::default()
    };
    // Warm the per-process caches (fonts, the cover, the thread's shaping cache).
    let (doc, _) = read(path, STATEMENT, &read_opts);
    let doc = doc.expect("the statement reads");
    let _ = pdf(&doc, &pdf_opts);
    let _ = epub(&doc, &epub_opts);

    c.bench_function("read_statement", |b| {
        b.iter(|| {
            read(path, black_box(STATEMENT), &read_opts)
                .0
                .map(|d| d.blocks.len())
        })
    });
    c.bench_function("epub_write_statement", |b| {
        b.iter(|| epub(black_box(&doc), &epub_opts).map(|r| r.bytes.len()))
    });

    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10);
    for n in [1usize, 10, 100] {
        let text = scaled(n);
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{n}x")),
            &text,
            |b, text| {
                b.iter(|| {
                    let (doc, _) = read(path, black_box(text), &read_opts);
                    let doc = doc.expect("reads");
                    let p = pdf(&doc, &pdf_opts).map(|r| r.bytes.len()).unwrap_or(0);
                    let e = epub(&doc, &epub_opts).map(|r| r.bytes.len()).unwrap_or(0);
                    p + e
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
