//! The integration suites in one test binary: each suite is a module, a file of
//! `tests/suites/`. One binary is linked once instead of seventeen times, its tests share the
//! cores (a suite's long test no longer leaves the other core idle while the binaries run one
//! after another), and its EPUB checks share one EPUBCheck JVM (`common::epubcheck`).
//!
//! One suite: `cargo test --test suites svg::` (its module's name, then `::`); one test:
//! `cargo test --test suites svg::an_svg_chart_logo_and_cover_reach_every_output`.
//! The other files of `tests/` (`cli.rs`, `reader.rs`, `memory.rs`, …) are binaries of their
//! own.

mod common;

/// The corpus: real documents by other people (`tests/corpus/`), each through the binary
/// and measured against its source.
#[path = "suites/corpus.rs"]
mod corpus;

/// Emoji and symbols through the binary (issue 14).
#[path = "suites/emoji.rs"]
mod emoji;

/// The EPUB and HTML backends; EPUBCheck on representative books.
#[path = "suites/epub.rs"]
mod epub;

/// Hostile and broken input through the binary.
#[path = "suites/hostile.rs"]
mod hostile;

/// The house configuration (`communique.toml`, `[theme]`, `init`).
#[path = "suites/house.rs"]
mod house;

/// The image loader; images in the EPUB and the HTML page.
#[path = "suites/images.rs"]
mod images;

/// The language of a statement without `lang` (issue 16).
#[path = "suites/languages_detected.rs"]
mod languages_detected;

/// The PDF read back (lopdf, qpdf, poppler).
#[path = "suites/pdf.rs"]
mod pdf;

/// Images, tables and footnotes in the PDF (issue 5).
#[path = "suites/pdf_figures.rs"]
mod pdf_figures;

/// Images that share their paragraph (issue 14).
#[path = "suites/pdf_inline_images.rs"]
mod pdf_inline_images;

/// The six UN languages and mixed scripts in the PDF (issue 6).
#[path = "suites/pdf_languages.rs"]
mod pdf_languages;

/// Tagged PDF/UA-1 and PDF/A-2b, with the validators (issue 10).
#[path = "suites/pdf_tagged.rs"]
mod pdf_tagged;

/// Property tests: random statements through every backend.
#[path = "suites/properties.rs"]
mod properties;

/// A statement written partly in raw HTML.
#[path = "suites/raw_html.rs"]
mod raw_html;

/// The e-mail draft, the wire text and the newsroom page (issue 18).
#[path = "suites/send.rs"]
mod send;

/// SVG figures, logos and covers; hostile SVGs (issue 14).
#[path = "suites/svg.rs"]
mod svg;

/// Documents as site generators write them (issue 14).
#[path = "suites/written_elsewhere.rs"]
mod written_elsewhere;
