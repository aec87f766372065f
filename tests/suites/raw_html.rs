//! A statement written partly in raw HTML (`tests/fixtures/raw-html/statement.md`: a table of
//! figures, `<br>`, `<sup>`, `<del>`, `<details>`, `<div align=center>`, `<img width>`): every
//! word reaches the PDF's text and the EPUB's, the HTML table is a Table in the PDF's structure
//! tree, and the EPUB passes EPUBCheck.

use crate::common;

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
    "East",
    "wharf",
    "9,050",
    "402,300",
    "8,990",
    "398,100",
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
        // The size hint as attributes (320 CSS px, the height from the image's aspect).
        "width=\"320\" height=\"179\"",
        // Spanning cells say so, and the positions they cover have no cell of their own.
        "<tr><td rowspan=\"2\">East wharf</td>",
        "<tr><td class=\"ar\">8,990</td><td class=\"ar\">398,100</td></tr>",
        "<tr><td colspan=\"2\">Ferry pier (combined)</td><td class=\"ar\">12,340</td></tr>",
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
        // Rows in order, a spanning cell once, where its first row is.
        let rows = "East wharf 9,050 402,300 8,990 398,100 Ferry pier (combined) 12,340";
        assert!(joined.contains(rows), "{joined}");
    }
    // `width="320"`: 320 CSS pixels are 240 points.
    if let Some(w) = displayed_widths(&pdf) {
        assert_eq!(w.len(), 1, "{w:?}");
        assert!((w[0] - 240.0).abs() < 1.5, "{w:?}");
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
        assert!(rest.contains("/ColSpan 2"), "{tree}");
        assert!(rest.contains("/RowSpan 2"), "{tree}");
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

/// The width in points at which each image of the PDF is drawn (`pdfimages -list`: its pixels
/// over its resolution).
fn displayed_widths(pdf: &Path) -> Option<Vec<f32>> {
    let o = common::tool("pdfimages", &["-list", pdf.to_str().unwrap()])?;
    let list = String::from_utf8_lossy(&o.stdout).into_owned();
    Some(
        list.lines()
            .skip(2)
            .filter_map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                let px: f32 = f.get(3)?.parse().ok()?;
                let ppi: f32 = f.get(12)?.parse().ok()?;
                Some(px / ppi * 72.0)
            })
            .collect(),
    )
}

/// One statement whose image is `<img … {attrs}>`: its stderr, the PDF's displayed image
/// widths and the EPUB's XHTML.
fn image_statement(name: &str, attrs: &str) -> (String, Option<Vec<f32>>, String) {
    let dir = common::scratch("raw-html", name);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("tests/fixtures/raw-html/chart.png"),
        dir.join("chart.png"),
    )
    .unwrap();
    let md = format!(
        "---\ntitle: Sizes\n---\n\nThe chart:\n\n<img src=\"chart.png\" alt=\"Bar chart\" {attrs}>\n"
    );
    std::fs::write(dir.join("s.md"), md).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(["build", "-f", "pdf,epub", "-o"])
        .arg(dir.join("out"))
        .arg(dir.join("s.md"))
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}");
    let epub = std::fs::read(dir.join("out/s.epub")).unwrap();
    let xhtml: String = common::unzip(&epub)
        .into_iter()
        .filter(|(n, _)| n.ends_with(".xhtml"))
        .map(|(_, d)| String::from_utf8(d).unwrap())
        .collect();
    if let Some((clean, report)) = common::epubcheck(&dir.join("out/s.epub")) {
        assert!(clean, "{report}");
    }
    (err, displayed_widths(&dir.join("out/s.pdf")), xhtml)
}

#[test]
fn img_width_and_height_are_a_size_hint() {
    let (_, w100, x100) = image_statement("w100", "width=\"100\"");
    let (_, w300, x300) = image_statement("w300", "width=\"300px\"");
    let (_, h60, x60) = image_statement("h60", "height=\"60\"");
    let (_, half, xhalf) = image_statement("half", "width=\"50%\"");
    assert!(x100.contains("width=\"100\" height=\"56\""), "{x100}");
    assert!(x300.contains("width=\"300\" height=\"168\""), "{x300}");
    assert!(x60.contains("width=\"107\" height=\"60\""), "{x60}");
    // A percentage has no attribute form in XHTML: the image keeps its natural size there.
    assert!(!xhalf.contains("width=\""), "{xhalf}");
    if let (Some(a), Some(b), Some(c), Some(d)) = (w100, w300, h60, half) {
        // 1 CSS px = 0.75 pt; one dimension alone keeps the aspect ratio (1000 × 560).
        assert!((a[0] - 75.0).abs() < 1.0, "{a:?}");
        assert!((b[0] - 225.0).abs() < 1.0, "{b:?}");
        assert!((c[0] - 45.0 * 1000.0 / 560.0).abs() < 1.0, "{c:?}");
        // Half the text width, which is wider than 240 points on any page this design sets.
        assert!(d[0] > 170.0 && d[0] < 300.0, "{d:?}");
    }
}

#[test]
fn a_size_that_is_not_one_is_left_out_with_a_warning() {
    let (err, w, x) = image_statement("bad", "width=\"wide\" height=\"-3\"");
    assert!(
        err.contains("s.md:7:1: ignored `width=\"wide\"` on `<img>`"),
        "{err}"
    );
    assert!(err.contains("ignored `height=\"-3\"`"), "{err}");
    assert!(!x.contains("width=\""), "{x}");
    if let Some(w) = w {
        // The natural size (150 dpi), within the measure.
        assert!(w[0] > 300.0, "{w:?}");
    }
}
