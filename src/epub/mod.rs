//! The EPUB 3 briefing and the HTML page (issue 4).

use crate::{Diagnostic, Document, Rendered};

/// Options for [`epub`].
#[derive(Debug, Clone, Default)]
pub struct EpubOptions {
    /// Seconds since the Unix epoch for dcterms:modified (`SOURCE_DATE_EPOCH`).
    pub source_date_epoch: Option<i64>,
}

/// Writes the EPUB briefing for one statement.
pub fn epub(_doc: &Document, _opts: &EpubOptions) -> Result<Rendered, Diagnostic> {
    Err(Diagnostic::error("the EPUB backend is not built yet"))
}
