//! Images, tables and footnotes in the PDF (issue 5), on the example briefing
//! `examples/briefing-with-figures/`: read back with lopdf always, and with qpdf and poppler
//! (`pdfimages`, `pdftotext`) where they are installed. A test that needs a missing tool
//! skips with a notice, unless `COMMUNIQUE_REQUIRE_VALIDATORS=1`, where it fails.

use crate::common;

use common::{pdf_bytes, pdftotext, tool};

use std::path::{Path, PathBuf};

use communique::model::{Block, BlockKind, Document, Inline};
use communique::pdf::{PdfOptions, pdf};

const EXAMPLE: &str = "examples/briefing-with-figures/briefing.md";

fn example_doc() -> Document {
    let text = std::fs::read_to_string(EXAMPLE).expect("the example");
    let (doc, diags) = communique::markdown::read(
        Path::new(EXAMPLE),
        &text,
        &communique::markdown::ReadOptions::default(),
    );
    for d in &diags {
        eprintln!("{d}");
    }
    doc.expect("the example reads")
}

fn example_pdf(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("communique-pdf-figures-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf_bytes(&example_doc())).expect("write");
    path
}

/// A line without its white space (pdftotext's layout mode spaces cells as it sees fit).
fn squash(s: &str) -> String {
    s.split_whitespace().collect()
}

#[test]
fn example_builds_deterministically() {
    let doc = example_doc();
    let a = pdf_bytes(&doc);
    assert_eq!(a, pdf_bytes(&doc));
    let lo = lopdf::Document::load_mem(&a).expect("lopdf reads it");
    let pages = lo.get_pages().len();
    assert!((3..=7).contains(&pages), "{pages} pages");
}

#[test]
fn qpdf_finds_no_errors() {
    common::qpdf_check(&example_pdf("qpdf"));
}

#[test]
fn images_at_expected_sizes_and_resolutions() {
    let path = example_pdf("images");
    let Some(out) = tool("pdfimages", &["-list", path.to_str().unwrap()]) else {
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    let got: Vec<(&str, &str, &str, &str, &str)> = rows
        .iter()
        .map(|r| (r[2], r[3], r[4], r[5], r[8]))
        .collect();
    let want = [
        // The logo: 720 × 200 px at 36 pt high is 400 ppi, so downsampled to 300 ppi; alpha
        // kept as a soft mask.
        ("image", "540", "150", "rgb", "image"),
        ("smask", "540", "150", "gray", "image"),
        // The photos pass through as JPEG; the chart is Flate-compressed.
        ("image", "1200", "800", "rgb", "jpeg"),
        ("image", "1000", "560", "rgb", "image"),
        ("image", "1200", "750", "rgb", "jpeg"),
    ];
    assert_eq!(got, want, "{text}");
    for r in &rows {
        let ppi: f32 = r[12].parse().expect("x-ppi");
        assert!(ppi <= 301.0, "{text}");
        assert!(ppi >= 150.0, "{text}");
    }
}

/// The example's table rows as the Markdown has them (footnote marks as their numbers).
fn table_rows(doc: &Document) -> Vec<String> {
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    text.lines()
        .filter(|l| l.starts_with('|') && !l.contains("---"))
        .map(|l| {
            let mut row = l
                .trim_matches('|')
                .split('|')
                .map(squash)
                .collect::<String>();
            for f in &doc.footnotes {
                row = row.replace(&format!("[^{}]", f.label), &f.number.to_string());
            }
            row
        })
        .collect()
}

#[test]
fn every_table_row_once_and_header_on_every_page_of_the_table() {
    let doc = example_doc();
    let path = example_pdf("table");
    let Some(text) = pdftotext(&path, &["-layout"]) else {
        return;
    };
    let lines: Vec<String> = text.lines().map(squash).collect();
    let rows = table_rows(&doc);
    assert!(rows.len() >= 41, "{}", rows.len());
    let (header, body) = rows.split_first().unwrap();
    for r in body {
        let n = lines.iter().filter(|l| *l == r).count();
        assert_eq!(n, 1, "row `{r}` found {n} times");
    }
    // The pages the table spans each start it with the header.
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let mut spans = 0;
    for p in &pages {
        let ls: Vec<String> = p.lines().map(squash).collect();
        let has_rows = body.iter().any(|r| ls.contains(r));
        let headers = ls.iter().filter(|l| *l == header).count();
        if has_rows {
            spans += 1;
            assert_eq!(headers, 1, "a page of the table lacks its header:\n{p}");
            let first_row = ls.iter().position(|l| body.contains(l)).unwrap();
            let head_at = ls.iter().position(|l| l == header).unwrap();
            assert!(head_at < first_row);
        }
    }
    assert!(spans >= 2, "the table should span pages ({spans})");
}

fn plain(inl: &[Inline], out: &mut String) {
    for i in inl {
        match i {
            Inline::Text { text, .. } | Inline::Code(text) => out.push_str(text),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => plain(c, out),
            Inline::Link { content, .. } => plain(content, out),
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
            _ => {}
        }
    }
}

fn block_text(b: &Block, out: &mut String) {
    if let BlockKind::Paragraph(c) = &b.kind {
        plain(c, out);
        out.push(' ');
    }
}

/// Text without white space or hyphens: line breaks and hyphenation do not matter.
fn bare(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '\u{ad}')
        .collect()
}

#[test]
fn every_footnote_once() {
    let doc = example_doc();
    assert!(doc.footnotes.len() >= 10);
    let path = example_pdf("notes");
    let Some(text) = pdftotext(&path, &[]) else {
        return;
    };
    let all = bare(&text);
    for f in &doc.footnotes {
        let mut s = String::new();
        for b in &f.blocks {
            block_text(b, &mut s);
        }
        let want = bare(&s);
        assert!(!want.is_empty());
        let n = all.matches(&want).count();
        assert_eq!(n, 1, "note {} found {n} times", f.number);
    }
}

#[test]
fn missing_image_fails_with_its_position() {
    let text = "---\ntitle: T\nlang: en-US\n---\n\nText.\n\n![A photo](nowhere.png)\n";
    let dir = std::env::temp_dir().join(format!("communique-pdf-missing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let md = dir.join("s.md");
    std::fs::write(&md, text).unwrap();
    let (doc, _) =
        communique::markdown::read(&md, text, &communique::markdown::ReadOptions::default());
    let err = pdf(&doc.unwrap(), &PdfOptions::default()).expect_err("a missing image fails");
    let msg = err.to_string();
    assert!(msg.contains("nowhere.png"), "{msg}");
    assert!(msg.contains(":8:"), "{msg}");
}
