//! Markdown with raw HTML → reader (html5ever) → model → XHTML (the HTML page and the model
//! dump). Faster than `publish` (no PDF, no EPUB zip), so it reaches deeper into the HTML
//! mapping per second. Any panic, hang or runaway allocation is a bug, and so is anything
//! unsafe reaching the page: an event-handler or `style` attribute, a `javascript:` or `data:`
//! link, or a script other than the page's own JSON-LD.
#![no_main]

use std::path::Path;

use communique::markdown::{ReadOptions, decode, read};
use communique::publish::{Format, Job, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.md");
    let Ok(text) = decode(path, data) else { return };
    let (doc, _) = read(path, &text, &ReadOptions::default());
    let Some(doc) = doc else { return };
    let job = Job::default();
    let _ = render(&doc, Format::Model, &job);
    let Ok(page) = render(&doc, Format::Html, &job) else { return };
    let page = String::from_utf8(page.bytes).expect("the page is UTF-8");
    // Attribute values are escaped, so these byte patterns can only be markup we wrote.
    let lower = page.to_ascii_lowercase();
    for bad in ["href=\"javascript:", "src=\"javascript:", "href=\"data:", " style=\"", "<iframe", "<object", "<embed"] {
        assert!(!lower.contains(bad), "{bad} reached the page");
    }
    assert_eq!(lower.matches("<script").count(), lower.matches("<script type=\"application/ld+json\">").count(), "a script reached the page");
    assert!(!lower.contains(" onerror=") && !lower.contains(" onclick=") && !lower.contains(" onload="), "an event handler reached the page");
});
