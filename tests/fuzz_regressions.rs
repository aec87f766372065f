//! The fuzzer's regression corpus: every file in `tests/fuzz-regressions/` (a minimised,
//! hand-picked slice of `fuzz/corpus/publish` and every crash the fuzzer has found) goes through
//! the fuzz target's path — decode → read → every backend — without a panic and in bounded
//! time. See `fuzz/README.md` for how the folder is refreshed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use communique::decode_text as decode;
use communique::markdown::{ReadOptions, read};
use communique::publish::{Format, Job, render};

fn inputs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fuzz-regressions exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// What the fuzz target does with one input.
fn run(data: &[u8]) {
    let path = Path::new("fuzz.md");
    let Ok(text) = decode(path, data) else { return };
    let (doc, _) = read(path, &text, &ReadOptions::default());
    if let Some(doc) = doc {
        let job = Job::default();
        for format in [Format::Model, Format::Pdf, Format::Epub, Format::Html] {
            let _ = render(&doc, format, &job);
        }
    }
}

#[test]
fn every_regression_input_survives_in_bounded_time() {
    let files = inputs();
    assert!(!files.is_empty(), "the regression corpus is empty");
    // A debug build is some ten times slower than the fuzzer's optimised one.
    let bound = if cfg!(debug_assertions) {
        Duration::from_secs(30)
    } else {
        Duration::from_secs(5)
    };
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let data = std::fs::read(f).unwrap();
        let start = Instant::now();
        let outcome = std::panic::catch_unwind(|| run(&data));
        let took = start.elapsed();
        if outcome.is_err() {
            failures.push(format!("{name}: panicked"));
        } else if took > bound {
            failures.push(format!("{name}: took {took:?} (bound {bound:?})"));
        }
        if took > slowest.0 {
            slowest = (took, name);
        }
    }
    eprintln!(
        "{} inputs; slowest {} in {:?}",
        files.len(),
        slowest.1,
        slowest.0
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
