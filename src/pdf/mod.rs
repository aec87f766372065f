//! The PDF press release (issue 3): a small typesetting engine and the press-release design.
//!
//! The pipeline is measure → break lines → paginate → draw:
//!
//! - [`fonts`]: the font book, parsed once per process;
//! - [`shape`]: rustybuzz shaping with font fallback and per-glyph source text;
//! - [`hyphenate`] and [`linebreak`]: hyphenation points and Knuth–Plass line breaking;
//! - [`paragraph`]: a paragraph's text into set lines;
//! - [`layout`]: flows of lines into pages of positioned items (each with its `BlockId`);
//! - [`design`]: the press-release page design (letterhead, release line, dateline, …);
//! - [`emit`]: the only file that talks to printpdf (and lopdf, for what printpdf lacks).
//!
//! The engine is pure: the model and fonts in, bytes out. It writes no files.

pub mod bidi;
pub mod cjk;
pub mod design;
pub mod embed;
pub mod emit;
pub mod emoji;
pub mod fallback;
pub mod figure;
pub mod flate;
pub mod fonts;
pub mod hyphenate;
pub mod layout;
pub mod linebreak;
pub mod paragraph;
pub mod shape;
pub mod tagged;
pub mod type3;

use std::path::PathBuf;
use std::sync::Arc;

use crate::{Diagnostic, Document, Rendered};

pub use fonts::FontBook;
pub use tagged::Standards;

/// Paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// 8.5 × 11 in.
    Letter,
    /// 210 × 297 mm.
    A4,
}

impl Paper {
    /// Letter for `en-US` (and the other US-convention locales), A4 otherwise.
    pub fn for_lang(lang: &str) -> Paper {
        let l = lang.to_ascii_lowercase();
        let region = l.split(['-', '_']).nth(1).unwrap_or("");
        match region {
            "us" | "ca" | "mx" | "ph" => Paper::Letter,
            _ => Paper::A4,
        }
    }

    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::Letter => (612.0, 792.0),
            Paper::A4 => (595.276, 841.89),
        }
    }
}

/// Options for [`pdf`].
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// Seconds since the Unix epoch for CreationDate/ModDate (`SOURCE_DATE_EPOCH`).
    pub source_date_epoch: Option<i64>,
    /// Paper size (`--paper`); by default from the document's language.
    pub paper: Option<Paper>,
    /// Ragged-right body text (`--ragged`) instead of justified.
    pub ragged: bool,
    /// Extra font directories (`--font-dir`), searched for characters the bundled
    /// fonts lack.
    pub font_dirs: Vec<PathBuf>,
    /// Do not look for fonts in the system's font folders (`--no-system-fonts`): only the
    /// bundled faces and `font_dirs` are used, the same on every machine.
    pub no_system_fonts: bool,
    /// A font book loaded beforehand (benchmarks, repeated builds), used as it is; when
    /// `None` the bundled book (plus `font_dirs`, plus system fonts for characters they
    /// lack) is used, loaded once per process.
    pub fonts: Option<Arc<FontBook>>,
    /// Where images may be read from (`--allow-outside`, the house folder).
    pub assets: crate::assets::AssetPolicy,
    /// The standards the PDF meets (`--pdf-standard ua1,a2b`, the default, or `none`):
    /// PDF/UA-1 tagging and checks, PDF/A-2b metadata and OutputIntent.
    pub standards: Standards,
    /// The design's measures (`[theme]` in `communique.toml`).
    pub theme: Arc<crate::theme::Theme>,
}

/// Lays out and writes the press release.
pub fn pdf(doc: &Document, opts: &PdfOptions) -> Result<Rendered, Diagnostic> {
    let mut diagnostics = Vec::new();
    let book = match &opts.fonts {
        // A book given beforehand is used as it is: no system font is looked for.
        Some(b) => b.clone(),
        None => {
            let (book, warnings) = FontBook::with_dirs(&opts.font_dirs);
            diagnostics.extend(warnings.into_iter().map(Diagnostic::warning));
            // System fonts only when the document has characters the book lacks (CJK, …)
            // or emoji and no colour emoji face.
            if opts.no_system_fonts {
                book
            } else {
                fallback::with_system_fonts(book, doc.source.text(), &doc.meta.lang)
            }
        }
    };
    if opts.standards.ua1 {
        diagnostics.extend(tagged::heading_levels(doc).warning);
    }
    let images = figure::Images::load(doc, &opts.assets)?;
    diagnostics.extend(images.warnings.iter().cloned());
    let laid = design::lay_out_with(doc, &book, opts, &images, &mut diagnostics);
    let bytes = emit::write(doc, &book, laid, opts)?;
    Ok(Rendered {
        bytes,
        diagnostics,
        attachments: Vec::new(),
    })
}
