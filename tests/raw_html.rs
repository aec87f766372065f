//! A statement written partly in raw HTML (`tests/fixtures/raw-html/statement.md`: a table of
//! figures, `<br>`, `<sup>`, `<del>`, `<details>`, `<div align=center>`, `<img width>`): every
//! word reaches the PDF's text and the EPUB's, the HTML table is a Table in the PDF's structure
//! tree, and the EPUB passes EPUBCheck.

mod common;

use std::path::Path;
use std::process::Command;

const WORDS: &[&str] = &[
    "Cargo",
    "volumes",
    "rose",
    "authority",
    "Container",
    "traffic",
    "12",
    "%",
    "€40",
    "€35",
    "December",
    "Throughput",
    "by",
    "terminal",
    "Terminal",
    "Containers",
    "Bulk",
    "tonnes",
    "North",
    "quay",
    "48,210",
    "1,204,000",
    "South",
    "basin",
    "31,877",
    "986,500",
    "Ferry",
    "pier",
    "(combined)",
    "12,340",
    "Methodology",
    "Figures",
    "provisional",
    "estimates",
    "gate",
    "records",
    "revised",
    "January",
    "Chart",
    "displacement:",
];

fn build(out: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(["build", "-f", "pdf,epub,html", "-o"])
        .arg(out)
        .arg(root.join("tests/fixtures/raw-html/statement.md"))
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}");
    err
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
}

#[test]
fn raw_html_statement_reaches_every_output() {
    let dir = common::scratch("raw-html", "statement");
    let err = build(&dir);
    assert!(!err.contains("warning"), "nothing is left out: {err}");

    // The EPUB: every word in its text, the HTML elements written as themselves.
    let epub = std::fs::read(dir.join("statement.epub")).unwrap();
    let xhtml: String = common::unzip(&epub)
        .into_iter()
        .filter(|(n, _)| n.ends_with(".xhtml"))
        .map(|(_, d)| String::from_utf8(d).unwrap())
        .collect();
    let text = strip_tags(&xhtml);
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    for w in WORDS {
        assert!(joined.contains(w), "the EPUB lost {w:?}");
    }
    for markup in [
        "<br/>",
        "<sup>%</sup>",
        "<s>€40</s>",
        "<details open=\"open\">",
        "<summary>Methodology</summary>",
        "<div class=\"ac\">",
        "<th scope=\"col\" class=\"ar\">Containers</th>",
        "alt=\"Bar chart of vessel displacement by quarter\"",
    ] {
        assert!(xhtml.contains(markup), "the EPUB has no {markup}");
    }
    if let Some((clean, report)) = common::epubcheck(&dir.join("statement.epub")) {
        assert!(clean, "{report}");
    }

    // The PDF: every word in its text; the table a Table of TH and TD cells; the image a
    // Figure with its alt text.
    let pdf = dir.join("statement.pdf");
    if let Some(t) = common::pdftotext(&pdf, &[]) {
        let joined = t.split_whitespace().collect::<Vec<_>>().join(" ");
        for w in WORDS {
            assert!(joined.contains(w), "the PDF lost {w:?}:\n{t}");
        }
    }
    if let Some(o) = common::tool("pdfinfo", &["-struct-text", pdf.to_str().unwrap()]) {
        let tree = String::from_utf8_lossy(&o.stdout);
        let table = tree.find("  Table").expect("a Table in the structure tree");
        let rest = &tree[table..];
        for cell in [
            "Terminal",
            "Containers",
            "North quay",
            "48,210",
            "Ferry pier (combined)",
        ] {
            assert!(rest.contains(cell), "the Table lacks {cell:?}:\n{tree}");
        }
        assert!(rest.contains("TH"), "{tree}");
        assert!(rest.contains("TD"), "{tree}");
        assert!(tree.contains("Figure"), "{tree}");
    }

    // The model says what came from HTML.
    let o = Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(["build", "-f", "model"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/raw-html/statement.md"))
        .output()
        .unwrap();
    let dump = String::from_utf8_lossy(&o.stdout);
    for node in [
        "Html fragment",
        "Html details",
        "Html summary",
        "Html div align=center",
    ] {
        assert!(dump.contains(node), "the dump has no {node}:\n{dump}");
    }
}
