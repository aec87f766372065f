//! Communique publishes press statements written in Markdown as a typeset PDF press release
//! and an EPUB 3 briefing.
//!
//! The pipeline is reader → model → backends:
//!
//! 1. [`markdown::read`] turns Markdown with YAML or TOML front matter into a
//!    [`model::Document`] and diagnostics. It is the only user of pulldown-cmark.
//! 2. The model carries meaning only: no fonts, sizes, pages or pixels.
//! 3. [`assets`] is the only code that reads images from disk (path policy, format sniffing,
//!    bounded decoding); backends ask it for the images a document names.
//! 4. Backends are functions from a document (and options) to bytes that write no files:
//!    [`pdf::pdf`] lays the document out with our own engine; [`epub::epub`] serializes XHTML
//!    and lets the e-reader lay it out; [`dump::dump`] prints the model as text.
//!
//! The binary (`src/main.rs`, `src/cli/`) parses flags, runs the pipeline and writes each
//! output atomically.

pub mod assets;
pub mod config;
pub mod detect;
pub mod diag;
pub mod dump;
pub mod eml;
pub mod epub;
pub mod frontmatter;
pub mod locale;
pub mod markdown;
pub mod model;
pub mod pdf;
pub mod publish;
pub mod theme;
pub mod txt;

pub use diag::{Diagnostic, Severity};
pub use model::Document;

/// What a backend produced: the file's bytes, the warnings met on the way, and the files that
/// go beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub diagnostics: Vec<Diagnostic>,
    /// Files the output refers to and that must be written beside it (the HTML page's
    /// images); empty for self-contained outputs (PDF, EPUB).
    pub attachments: Vec<Attachment>,
}

/// A file that goes beside an output, at `path` relative to the output's folder
/// (e.g. `images/0123456789abcdef.jpg`). The path is always relative, with `/` separators,
/// no `..` and no leading `/`; write it atomically like the output itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The version written into generated files (`Communique <version>`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `SOURCE_DATE_EPOCH` from the environment, when set to a valid integer.
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

/// Checks that raw bytes are a readable text file and returns the text (a UTF-8 byte-order
/// mark is dropped).
pub fn decode_text(path: &std::path::Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(i) = bytes.iter().take(8192).position(|b| *b == 0) {
        return Err(Diagnostic::error(format!(
            "this looks like a binary file, not Markdown (a NUL byte at byte offset {i})"
        ))
        .in_file(path)
        .help("give the path of a `.md` text file"));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let off = e.valid_up_to();
            let line = bytes[..off].iter().filter(|b| **b == b'\n').count() as u32 + 1;
            let col = String::from_utf8_lossy(
                &bytes[bytes[..off]
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map_or(0, |i| i + 1)..off],
            )
            .chars()
            .count() as u32
                + 1;
            Err(Diagnostic::error(format!(
                "the file is not valid UTF-8 (invalid byte 0x{:02X} at byte offset {off})",
                bytes[off]
            ))
            .at_line_col(path, line, col)
            .help("save the file as UTF-8 in your editor"))
        }
    }
}
