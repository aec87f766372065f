//! Bytes → reader → every backend. Any panic, hang or runaway allocation is a bug.
#![no_main]

use std::path::Path;

use communique::decode_text as decode;
use communique::markdown::{ReadOptions, read};
use communique::publish::{Format, Job, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.md");
    let Ok(text) = decode(path, data) else { return };
    let (doc, _) = read(path, &text, &ReadOptions::default());
    if let Some(doc) = doc {
        let job = Job::default();
        for format in [Format::Model, Format::Pdf, Format::Epub, Format::Html] {
            let _ = render(&doc, format, &job);
        }
    }
});
