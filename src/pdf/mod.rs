//! The PDF press release (issue 3): layout engine and printpdf writer.

use crate::{Diagnostic, Document, Rendered};

/// Options for [`pdf`].
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// Seconds since the Unix epoch for CreationDate/ModDate (`SOURCE_DATE_EPOCH`).
    pub source_date_epoch: Option<i64>,
}

/// Lays out and writes the press release.
pub fn pdf(_doc: &Document, _opts: &PdfOptions) -> Result<Rendered, Diagnostic> {
    Err(Diagnostic::error("the PDF backend is not built yet"))
}
