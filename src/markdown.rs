//! The reader: Markdown with front matter → [`Document`] and diagnostics.
//! The only user of pulldown-cmark.

use std::path::Path;

use crate::Diagnostic;
use crate::model::Document;

/// Options for [`read`].
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Turn straight quotes into curly ones and `--`/`---` into dashes (on by default).
    pub smart_punctuation: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            smart_punctuation: true,
        }
    }
}

/// Reads a statement. Returns no document when an error prevents one.
pub fn read(_path: &Path, _text: &str, _opts: &ReadOptions) -> (Option<Document>, Vec<Diagnostic>) {
    (None, vec![Diagnostic::error("the reader is not built yet")])
}
