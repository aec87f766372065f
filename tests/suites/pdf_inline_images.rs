//! Images that share their paragraph (issue 14): a chart followed by an italic note in one
//! paragraph, an icon in running text, images in list items, quotations, table cells and
//! footnotes, and a survey with 17 charts. Every image is drawn (`pdfimages -list`), each a
//! Figure with its /Alt (read back with lopdf) where it is read, its alt text never printed
//! (`pdftotext`); qpdf, pdfua, outloud and EPUBCheck find nothing. Validators skip with a
//! notice when missing, unless `COMMUNIQUE_REQUIRE_VALIDATORS=1`.

use crate::common;

use std::path::Path;

use common::{pdf_bytes, pdftotext, tool};
use communique::epub::{EpubOptions, epub};
use communique::model::Document;
use communique::pdf::{PdfOptions, pdf};
use image::{Rgb, RgbImage};
use lopdf::{Object, ObjectId};

/// A chart-like picture `w` × `h` pixels: bars of a colour of its own on a light ground.
fn chart(path: &Path, w: u32, h: u32, seed: u8) {
    let img = RgbImage::from_fn(w, h, |x, y| {
        let bar = x * 8 / w.max(1);
        let top = h - h * (bar + 1 + u32::from(seed % 3)) / 12;
        if y >= top && x % (w / 8).max(1) > 2 {
            Rgb([seed.wrapping_mul(37), 90 + (bar as u8) * 15, 200 - seed])
        } else {
            Rgb([245, 245, 240])
        }
    });
    img.save(path).expect("write the picture");
}

/// Writes `body` as `doc.md` in `dir` with a press-release front matter, and reads it.
fn doc_in(dir: &Path, body: &str) -> Document {
    let text = format!(
        "---\ntitle: Survey results\norganization: Example Alliance\ndate: 2026-11-27\ndateline: GENEVA\nlang: en-US\n---\n\n{body}"
    );
    let path = dir.join("doc.md");
    std::fs::write(&path, &text).expect("write the statement");
    let (doc, diags) =
        communique::markdown::read(&path, &text, &communique::markdown::ReadOptions::default());
    for d in &diags {
        eprintln!("{d}");
    }
    doc.expect("the statement reads")
}

/// A figure of the structure tree: its /Alt, the roles of its ancestors (nearest first) and
/// its /BBox.
#[derive(Debug)]
struct Figure {
    alt: String,
    ancestors: Vec<String>,
    bbox: Vec<f32>,
}

fn figures(bytes: &[u8]) -> Vec<Figure> {
    fn walk(d: &lopdf::Document, id: ObjectId, path: &mut Vec<String>, out: &mut Vec<Figure>) {
        let Ok(e) = d.get_dictionary(id) else { return };
        let role = e
            .get(b"S")
            .and_then(|s| s.as_name())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .unwrap_or_default();
        if role == "Figure" {
            let alt = match e.get(b"Alt") {
                Ok(Object::String(s, _)) => decode(s),
                _ => String::new(),
            };
            let bbox = e
                .get(b"A")
                .ok()
                .and_then(|a| match a {
                    Object::Dictionary(a) => a.get(b"BBox").ok().cloned(),
                    Object::Reference(r) => d.get_dictionary(*r).ok()?.get(b"BBox").ok().cloned(),
                    _ => None,
                })
                .and_then(|b| b.as_array().ok().cloned())
                .map(|a| a.iter().filter_map(|v| v.as_float().ok()).collect())
                .unwrap_or_default();
            out.push(Figure {
                alt,
                ancestors: path.iter().rev().cloned().collect(),
                bbox,
            });
        }
        path.push(role);
        let kids = match e.get(b"K") {
            Ok(Object::Array(a)) => a.clone(),
            Ok(k) => vec![k.clone()],
            Err(_) => Vec::new(),
        };
        for k in kids {
            if let Object::Reference(r) = k {
                walk(d, r, path, out);
            }
        }
        path.pop();
    }
    fn decode(s: &[u8]) -> String {
        if s.starts_with(&[0xFE, 0xFF]) {
            let units: Vec<u16> = s[2..]
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            String::from_utf8_lossy(s).into_owned()
        }
    }
    let d = lopdf::Document::load_mem(bytes).expect("lopdf reads it");
    let root = d
        .catalog()
        .and_then(|c| c.get(b"StructTreeRoot"))
        .and_then(|r| r.as_reference())
        .expect("a structure tree");
    let mut out = Vec::new();
    let kids = match d.get_dictionary(root).and_then(|r| r.get(b"K")) {
        Ok(Object::Array(a)) => a.clone(),
        Ok(k) => vec![k.clone()],
        Err(_) => Vec::new(),
    };
    for k in kids {
        if let Object::Reference(r) = k {
            walk(&d, r, &mut Vec::new(), &mut out);
        }
    }
    out
}

/// Rows of `pdfimages -list`: (page, width, height).
fn pdfimages(path: &Path) -> Option<Vec<(u32, u32, u32)>> {
    let out = tool("pdfimages", &["-list", path.to_str().unwrap()])?;
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    Some(
        text.lines()
            .skip(2)
            .map(|l| {
                let c: Vec<&str> = l.split_whitespace().collect();
                (
                    c[0].parse().unwrap(),
                    c[3].parse().unwrap(),
                    c[4].parse().unwrap(),
                )
            })
            .collect(),
    )
}

fn output(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// qpdf, pdfua and outloud on the PDF: clean.
fn validators(path: &Path) {
    common::qpdf_check(path);
    if let Some(o) = tool("pdfua", &["check", path.to_str().unwrap()]) {
        assert!(o.status.success(), "{}", output(&o));
        assert!(output(&o).contains("no findings"), "{}", output(&o));
    }
    if let Some(o) = tool("outloud", &[path.to_str().unwrap()]) {
        assert!(o.status.success(), "{}", output(&o));
        let text = output(&o);
        assert!(text.contains(" 0 error(s), 0 warning(s)"), "{text}");
    }
}

/// EPUBCheck on the EPUB: 0 errors, 0 warnings; and every image of the document in it.
fn epub_checked(doc: &Document, dir: &Path, images: usize) {
    let opts = EpubOptions {
        source_date_epoch: Some(1_795_800_000),
        ..EpubOptions::default()
    };
    let book = epub(doc, &opts).expect("an EPUB").bytes;
    let path = dir.join("doc.epub");
    std::fs::write(&path, &book).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).expect("a zip");
    let mut imgs = 0;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().ends_with(".xhtml") {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut f, &mut s).unwrap();
            imgs += s.matches("<img ").count();
        }
    }
    // Each image once in the text (the cover is an image of its own page).
    assert!(imgs >= images, "{imgs} <img> for {images} images");
    if let Some((clean, report)) = common::epubcheck(&path) {
        assert!(clean, "EPUBCheck:\n{report}");
    }
}

/// Builds the PDF, writes it, and checks: one Figure with its /Alt per entry of `alts`, as
/// many images drawn (and `decorative` more), no alt text in the text, the validators clean.
fn check_all(
    dir: &Path,
    doc: &Document,
    alts: &[&str],
    decorative: usize,
) -> (Vec<u8>, Vec<Figure>, String) {
    let bytes = pdf_bytes(doc);
    let path = dir.join("doc.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let figs = figures(&bytes);
    let mut got: Vec<&str> = figs.iter().map(|f| f.alt.as_str()).collect();
    got.sort_unstable();
    let mut want: Vec<&str> = alts.to_vec();
    want.sort_unstable();
    assert_eq!(got, want, "one Figure with its /Alt per image: {figs:#?}");
    for f in &figs {
        assert_eq!(f.bbox.len(), 4, "{f:?} has a /BBox");
    }
    if let Some(rows) = pdfimages(&path) {
        assert_eq!(
            rows.len(),
            alts.len() + decorative,
            "every image drawn: {rows:?}"
        );
    }
    let text = pdftotext(&path, &[]).unwrap_or_default();
    for alt in alts {
        assert!(!text.contains(alt), "alt text `{alt}` printed:\n{text}");
    }
    validators(&path);
    (bytes, figs, text)
}

#[test]
fn a_chart_followed_by_an_italic_note_is_a_figure_where_it_stands() {
    let dir = common::scratch("inline-images", "chart-note");
    chart(&dir.join("chart.png"), 900, 500, 1);
    let doc = doc_in(
        &dir,
        "The survey asked 1,200 people how they read the news. The answers are below.\n\
         ![Bar chart of reading habits by age](chart.png \"Figure 1: How people read\")\n\
         *(hover for more info)* Most read on a phone; the rest of this paragraph goes on after \
         the chart, long enough to wrap over two lines of the page at least.\n\n\
         A second paragraph follows.\n",
    );
    let (_, figs, text) = check_all(&dir, &doc, &["Bar chart of reading habits by age"], 0);
    // Inside the paragraph it belongs to, set at its size (not a 1-line icon).
    assert_eq!(figs[0].ancestors[0], "P", "{figs:?}");
    let b = &figs[0].bbox;
    assert!(b[2] - b[0] > 300.0 && b[3] - b[1] > 150.0, "{b:?}");
    // The text before, the caption, then the note and the rest: in that order.
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let before = flat.find("The answers are below.").expect(&flat);
    let caption = flat.find("Figure 1: How people read").expect(&flat);
    let note = flat.find("(hover for more info) Most read").expect(&flat);
    assert!(before < caption && caption < note, "{flat}");
    epub_checked(&doc, &dir, 1);
    // The HTML page sets it the same way: paragraph, figure with its caption, paragraph.
    let page = communique::epub::html(&doc, &EpubOptions::default()).expect("an HTML page");
    let page = String::from_utf8_lossy(&page.bytes);
    let p1 = page.find("The answers are below.</p>").expect(&page);
    let fig = page
        .find("<figcaption>Figure 1: How people read</figcaption>")
        .expect(&page);
    let p2 = page
        .find("<p><em>(hover for more info)</em> Most read")
        .expect(&page);
    assert!(p1 < fig && fig < p2, "{page}");
}

#[test]
fn a_small_icon_is_set_on_its_line() {
    let dir = common::scratch("inline-images", "icon");
    chart(&dir.join("icon.png"), 24, 24, 2);
    let doc = doc_in(
        &dir,
        "A small icon ![warning sign](icon.png) sits in the running text between words, as a \
         typesetter would set it on the line, and the text goes on after it.\n",
    );
    let (bytes, figs, _) = check_all(&dir, &doc, &["warning sign"], 0);
    assert_eq!(figs[0].ancestors[0], "P", "{figs:?}");
    let b = &figs[0].bbox;
    // 24 px at 150 dpi is 11.5 pt: no taller than the type (11 pt), on the baseline.
    let (h, bottom) = (b[3] - b[1], b[1]);
    assert!(h > 8.0 && h <= 11.01, "{b:?}");
    let path = dir.join("doc.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let Some(html) = pdftotext(&path, &["-bbox"]) else {
        return;
    };
    let page_h: f32 = 792.0;
    // The word after the icon, on the same line: the icon's foot on its baseline.
    let word = html
        .split("<word ")
        .find(|w| w.contains(">sits<"))
        .expect("the word after the icon");
    let attr = |name: &str| -> f32 {
        let k = format!("{name}=\"");
        let at = word.find(&k).unwrap() + k.len();
        word[at..].split('"').next().unwrap().parse().unwrap()
    };
    let (top, foot) = (page_h - attr("yMax"), page_h - attr("yMin"));
    assert!(
        bottom > top && bottom < foot,
        "icon foot {bottom} in [{top}, {foot}]"
    );
    let x_min = attr("xMin");
    assert!(
        b[2] < x_min && x_min - b[2] < 8.0,
        "{b:?} then `sits` at {x_min}"
    );
}

#[test]
fn images_in_lists_quotes_cells_and_footnotes_are_drawn() {
    let dir = common::scratch("inline-images", "containers");
    chart(&dir.join("icon.png"), 24, 24, 3);
    chart(&dir.join("dot.png"), 40, 40, 4);
    chart(&dir.join("chart.png"), 900, 500, 5);
    let doc = doc_in(
        &dir,
        "The findings in brief.[^1]\n\n\
         - A list item with an icon ![green dot](dot.png) inline.\n\
         - A list item with a chart ![Chart in a list](chart.png) and words after it.\n\n\
         > A quotation with an icon ![quotation icon](icon.png) in it.\n\n\
         | Region | Status |\n|--------|--------|\n\
         | North | ![status good](dot.png) fine |\n\
         | South | ![South trend chart](chart.png) |\n\n\
         The end of the statement, with enough words to make a line of its own here.\n\n\
         [^1]: The note has an icon ![note icon](icon.png) and a chart \
         ![Chart in a note](chart.png \"A figure in a note\").\n",
    );
    let alts = [
        "green dot",
        "Chart in a list",
        "quotation icon",
        "status good",
        "South trend chart",
        "note icon",
        "Chart in a note",
    ];
    let (_, figs, text) = check_all(&dir, &doc, &alts, 0);
    let within = |alt: &str| -> Vec<String> {
        figs.iter()
            .find(|f| f.alt == alt)
            .map(|f| f.ancestors.clone())
            .unwrap()
    };
    assert_eq!(within("green dot")[..3], ["P", "LBody", "LI"]);
    assert_eq!(within("Chart in a list")[..3], ["P", "LBody", "LI"]);
    assert_eq!(within("quotation icon")[..2], ["P", "BlockQuote"]);
    assert_eq!(within("status good")[..2], ["TD", "TR"]);
    assert_eq!(within("South trend chart")[..2], ["TD", "TR"]);
    assert_eq!(within("note icon")[..2], ["P", "Note"]);
    assert_eq!(within("Chart in a note")[..2], ["P", "Note"]);
    // A cell's image is scaled to the cell, the note's chart set as a figure with its caption.
    let cell = &figs
        .iter()
        .find(|f| f.alt == "South trend chart")
        .unwrap()
        .bbox;
    assert!(cell[3] - cell[1] <= 72.01, "{cell:?}");
    assert!(text.contains("A figure in a note"), "{text}");
    epub_checked(&doc, &dir, alts.len());
}

#[test]
fn a_survey_with_seventeen_charts_has_all_seventeen() {
    let dir = common::scratch("inline-images", "survey");
    let mut body = String::new();
    let mut alts: Vec<String> = Vec::new();
    for i in 1..=17u8 {
        chart(
            &dir.join(format!("c{i}.png")),
            700 + u32::from(i) * 10,
            420,
            i,
        );
        let alt = format!("Chart {i} of the survey answers");
        let img = format!("![{alt}](c{i}.png \"Figure {i}\")");
        alts.push(alt);
        let words = "Respondents answered this question in numbers large enough to read a \
                     trend into them, and the next sentence says what it means for the sector.";
        body.push_str(&match i % 6 {
            // Alone in its paragraph.
            0 => format!("{img}\n\n{words}\n\n"),
            // Mid-paragraph, then an italic note.
            1 => format!("{words}\n{img}\n*(hover for more info)* {words}\n\n"),
            // Opening a paragraph.
            2 => format!("{img}\n{words}\n\n"),
            // Closing a paragraph.
            3 => format!("{words} {img}\n\n"),
            // In a list item.
            4 => format!("- {words}\n- {img} {words}\n\n"),
            // In emphasis inside a quotation.
            _ => format!("> *See {img} for the details.* {words}\n\n"),
        });
    }
    let doc = doc_in(&dir, &body);
    let alts: Vec<&str> = alts.iter().map(String::as_str).collect();
    let (bytes, _, text) = check_all(&dir, &doc, &alts, 0);
    for i in 1..=17 {
        assert!(
            text.contains(&format!("Figure {i}")),
            "caption {i}:\n{text}"
        );
    }
    assert_eq!(bytes, pdf_bytes(&doc), "same input, same bytes");
    epub_checked(&doc, &dir, 17);
}

#[test]
fn a_decorative_inline_image_is_an_artifact_and_one_without_alt_text_fails_as_a_figure_does() {
    let dir = common::scratch("inline-images", "decorative");
    chart(&dir.join("icon.png"), 24, 24, 6);
    let doc = doc_in(
        &dir,
        "A flourish ![\"\"](icon.png) between words, drawn but not read.\n",
    );
    // Drawn, but no Figure.
    let (_, figs, _) = check_all(&dir, &doc, &[], 1);
    assert!(figs.is_empty());
    let doc = doc_in(&dir, "An icon ![](icon.png) without alt text.\n");
    let err = pdf(&doc, &PdfOptions::default()).expect_err("PDF/UA needs alt text");
    assert!(err.to_string().contains("no alternative text"), "{err}");
    let none = PdfOptions {
        standards: communique::pdf::Standards::NONE,
        ..PdfOptions::default()
    };
    assert!(pdf(&doc, &none).is_ok(), "untagged, it builds");
}
