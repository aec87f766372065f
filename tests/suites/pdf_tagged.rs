//! Tagged PDF/UA-1 and PDF/A-2b (issue 10): the structure tree read back with lopdf, the
//! writer's own checks (each with a negative case), and the validators where installed:
//! poppler (`pdfinfo`), qpdf, PyPI's `pdfua` and `outloud`, Apache PDFBox preflight (Debian
//! `libpdfbox2-java`). A test whose tool is missing skips with a notice, unless
//! `COMMUNIQUE_REQUIRE_VALIDATORS=1`, where it fails.

use crate::common;

use common::{required, tool};

use std::path::{Path, PathBuf};

use communique::model::{BlockId, Document};
use communique::pdf::layout::Origin;
use communique::pdf::{PdfOptions, Standards, pdf, tagged};
use lopdf::{Object, ObjectId};

const STATEMENT: &str = include_str!("../../content/us-upr-review.md");

const KITCHEN: &str = r#"---
title: Kitchen sink of every block kind
subtitle: A subtitle under the headline
organization: Example Organization
date: 2026-11-27
dateline: GENEVA
lang: en-GB
contacts:
  - name: Press Office
    email: press@example.org
    phone: "+41 22 000 00 00"
about: |
  Example Organization is a *non-profit* that works on [privacy](https://example.org/about).
---

The first paragraph, with a [link to the report](https://example.org/report) and some `inline code` and *emphasis* and **strong** text, ~~struck~~ words.

## Background of the review

Some paragraph text that continues for a while so that it wraps onto several lines and shows justification, hyphenation and the rest of the typesetting machinery at work.

> A quotation from your spokesperson that goes on for more than one line so the indentation is visible, said a spokesperson.

- A first item in a bullet list, long enough to wrap onto a second line to show the hanging indent.
- A second item.

1. First numbered.
2. Second numbered.

```
fn main() {
    println!("indented code");
}
```

---

### A smaller heading

| Name | Value |
|------|-------|
| one  | 1     |

Final paragraph with a link to ftp://example.org/file that is not clickable.
"#;

fn read(name: &str, text: &str) -> Document {
    let (doc, diags) = communique::markdown::read(
        Path::new(name),
        text,
        &communique::markdown::ReadOptions::default(),
    );
    for d in &diags {
        eprintln!("{d}");
    }
    doc.expect("the document reads")
}

fn opts() -> PdfOptions {
    PdfOptions {
        source_date_epoch: Some(1_795_800_000),
        ..PdfOptions::default()
    }
}

fn build(doc: &Document) -> Vec<u8> {
    let out = pdf(doc, &opts()).expect("a PDF");
    out.bytes
}

/// The example briefing: figures, a table over two pages, footnotes, lists.
const BRIEFING: &str = "examples/briefing-with-figures/briefing.md";

fn briefing() -> Document {
    let text = std::fs::read_to_string(BRIEFING).expect("the example");
    read(BRIEFING, &text)
}

fn docs() -> Vec<(&'static str, Document)> {
    vec![
        ("statement", read("content/us-upr-review.md", STATEMENT)),
        ("kitchen", read("kitchen.md", KITCHEN)),
        ("briefing", briefing()),
    ]
}

fn write_tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, bytes).expect("write the PDF");
    path
}

fn stdout(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The structure types of the tree, depth first, with their depth.
fn struct_roles(d: &lopdf::Document) -> Vec<(usize, String)> {
    fn walk(d: &lopdf::Document, id: ObjectId, depth: usize, out: &mut Vec<(usize, String)>) {
        let Ok(e) = d.get_dictionary(id) else { return };
        if let Ok(s) = e.get(b"S").and_then(|s| s.as_name()) {
            out.push((depth, String::from_utf8_lossy(s).into_owned()));
        }
        let kids = match e.get(b"K") {
            Ok(Object::Array(kids)) => kids.clone(),
            Ok(k) => vec![k.clone()],
            Err(_) => Vec::new(),
        };
        for k in &kids {
            if let Object::Reference(r) = k {
                walk(d, *r, depth + 1, out);
            }
        }
    }
    let cat = d.catalog().expect("a catalog");
    let root = cat
        .get(b"StructTreeRoot")
        .and_then(|r| r.as_reference())
        .expect("a StructTreeRoot");
    let mut out = Vec::new();
    walk(d, root, 0, &mut out);
    out
}

#[test]
fn structure_tree_follows_the_model() {
    let doc = read("kitchen.md", KITCHEN);
    let bytes = build(&doc);
    let d = lopdf::Document::load_mem(&bytes).expect("readable");
    let roles = struct_roles(&d);
    let top: Vec<&str> = roles
        .iter()
        .filter(|(depth, _)| *depth == 2)
        .map(|(_, s)| s.as_str())
        .collect();
    // Front matter (letterhead, release line, date, contacts, headline, subtitle), the body
    // in reading order, "About", its text and the end mark.
    assert_eq!(
        top,
        [
            "P",
            "P",
            "P",
            "P",
            "H1",
            "P",
            "P",
            "H2",
            "P",
            "BlockQuote",
            "L",
            "L",
            "Code",
            "H3",
            "Table",
            "P",
            "H2",
            "P",
            "P"
        ],
        "{roles:?}"
    );
    let flat: Vec<&str> = roles.iter().map(|(_, s)| s.as_str()).collect();
    let joined = flat.join(" ");
    assert!(
        joined.starts_with("Document P P P P Link Link H1"),
        "{joined}"
    );
    assert!(
        joined.contains("BlockQuote P L LI Lbl LBody P LI Lbl LBody P L LI Lbl LBody P"),
        "{joined}"
    );
    // The table as cells, its header cells scoped to their columns.
    assert!(joined.contains("H3 Table TR TH TH TR TD TD P"), "{joined}");
    // Links: the report, the contact's phone and email, "privacy"; never ftp.
    assert_eq!(flat.iter().filter(|s| **s == "Link").count(), 4, "{joined}");

    // Catalog and pages.
    let cat = d.catalog().unwrap();
    let mi = cat.get(b"MarkInfo").unwrap().as_dict().unwrap();
    assert!(mi.get(b"Marked").unwrap().as_bool().unwrap());
    assert!(cat.get(b"Lang").is_ok());
    assert!(cat.get(b"Metadata").is_ok());
    assert!(cat.get(b"OutputIntents").is_ok());
    assert!(cat.get(b"PageMode").map_or(true, |m| m.as_name().is_ok()));
    for (_, pg) in d.get_pages() {
        let p = d.get_dictionary(pg).unwrap();
        assert_eq!(p.get(b"Tabs").unwrap().as_name().unwrap(), b"S");
        assert!(p.get(b"StructParents").is_ok());
    }
    assert_eq!(d.version, "1.7");
    // The parent tree is dense: keys 0..ParentTreeNextKey.
    let root = d
        .get_dictionary(cat.get(b"StructTreeRoot").unwrap().as_reference().unwrap())
        .unwrap();
    let next = root.get(b"ParentTreeNextKey").unwrap().as_i64().unwrap();
    let pt = d
        .get_dictionary(root.get(b"ParentTree").unwrap().as_reference().unwrap())
        .unwrap();
    let nums = pt.get(b"Nums").unwrap().as_array().unwrap();
    let keys: Vec<i64> = nums
        .iter()
        .step_by(2)
        .map(|k| k.as_i64().unwrap())
        .collect();
    assert_eq!(keys, (0..next).collect::<Vec<_>>());
    // Info has no empty GTS_PDFXVersion.
    let info = d
        .get_dictionary(d.trailer.get(b"Info").unwrap().as_reference().unwrap())
        .unwrap();
    assert!(info.get(b"GTS_PDFXVersion").is_err());
}

/// Every structure element under the root, depth first: (type, dictionary).
fn elements(d: &lopdf::Document) -> Vec<(String, lopdf::Dictionary)> {
    fn walk(d: &lopdf::Document, id: ObjectId, out: &mut Vec<(String, lopdf::Dictionary)>) {
        let Ok(e) = d.get_dictionary(id) else { return };
        if let Ok(s) = e.get(b"S").and_then(|s| s.as_name()) {
            out.push((String::from_utf8_lossy(s).into_owned(), e.clone()));
        }
        let kids = match e.get(b"K") {
            Ok(Object::Array(kids)) => kids.clone(),
            Ok(k) => vec![k.clone()],
            Err(_) => Vec::new(),
        };
        for k in &kids {
            if let Object::Reference(r) = k {
                walk(d, *r, out);
            }
        }
    }
    let root = d
        .catalog()
        .unwrap()
        .get(b"StructTreeRoot")
        .and_then(|r| r.as_reference())
        .expect("a StructTreeRoot");
    let mut out = Vec::new();
    walk(d, root, &mut out);
    out
}

/// A PDF text string: UTF-16BE with its BOM, or PDFDocEncoding (ASCII here).
fn text_string(b: &[u8]) -> String {
    match b.strip_prefix(&[0xFE, 0xFF]) {
        Some(u) => String::from_utf16_lossy(
            &u.chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect::<Vec<_>>(),
        ),
        None => String::from_utf8_lossy(b).into_owned(),
    }
}

fn name_of<'a>(d: &'a lopdf::Dictionary, key: &[u8]) -> &'a [u8] {
    d.get(key).and_then(|n| n.as_name()).unwrap_or(b"")
}

#[test]
fn figures_tables_notes_and_labels_in_the_briefing() {
    let doc = briefing();
    let d = lopdf::Document::load_mem(&build(&doc)).expect("readable");
    let els = elements(&d);
    let count = |t: &str| els.iter().filter(|(s, _)| s == t).count();

    // Figures: one per image of the body, with the model's alt text and a Layout BBox.
    let alts: Vec<String> = doc
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            communique::model::BlockKind::Paragraph(c) => match c.as_slice() {
                [communique::model::Inline::Image(i)] => Some(i.alt.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(alts.len(), 3);
    let figures: Vec<&lopdf::Dictionary> = els
        .iter()
        .filter(|(s, _)| s == "Figure")
        .map(|(_, e)| e)
        .collect();
    assert_eq!(figures.len(), alts.len());
    for (f, alt) in figures.iter().zip(&alts) {
        let a = f.get(b"Alt").unwrap().as_str().unwrap();
        assert_eq!(text_string(a), *alt);
        let attr = f.get(b"A").unwrap().as_dict().unwrap();
        assert_eq!(name_of(attr, b"O"), b"Layout");
        let bbox = attr.get(b"BBox").unwrap().as_array().unwrap();
        assert_eq!(bbox.len(), 4);
        let v: Vec<f32> = bbox.iter().map(|x| x.as_float().unwrap()).collect();
        assert!(v[2] > v[0] && v[3] > v[1], "{v:?}");
        // Its content is a marked-content sequence on a page.
        assert!(matches!(f.get(b"K").unwrap(), Object::Dictionary(m) if m.get(b"MCID").is_ok()));
    }

    // The table: 1 header row and 44 rows, 6 columns; the header repeated on the next
    // page is not in the tree again.
    assert_eq!(count("Table"), 1);
    assert_eq!(count("TR"), 45);
    assert_eq!(count("TH"), 6);
    assert_eq!(count("TD"), 44 * 6);
    for (_, th) in els.iter().filter(|(s, _)| s == "TH") {
        let a = th.get(b"A").unwrap().as_dict().unwrap();
        assert_eq!(name_of(a, b"O"), b"Table");
        assert_eq!(name_of(a, b"Scope"), b"Column");
    }

    // Notes: one per footnote, each with a unique /ID (listed in the IDTree) and its
    // number as a label; each reference outside the table is a Reference.
    let notes: Vec<&lopdf::Dictionary> = els
        .iter()
        .filter(|(s, _)| s == "Note")
        .map(|(_, e)| e)
        .collect();
    assert_eq!(notes.len(), doc.footnotes.len());
    let mut ids: Vec<String> = notes
        .iter()
        .map(|n| text_string(n.get(b"ID").unwrap().as_str().unwrap()))
        .collect();
    assert_eq!(ids[0], "note-1");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), notes.len(), "unique note ids");
    let root = d
        .get_dictionary(
            d.catalog()
                .unwrap()
                .get(b"StructTreeRoot")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap();
    let idtree = d
        .get_dictionary(root.get(b"IDTree").unwrap().as_reference().unwrap())
        .unwrap();
    assert_eq!(
        idtree.get(b"Names").unwrap().as_array().unwrap().len(),
        2 * notes.len()
    );
    // One reference sits in a table cell (Redmarsh): that cell holds it.
    assert_eq!(count("Reference"), doc.footnotes.len() - 1);
    // Labels: one per list item (4 + 3) and one per note.
    assert_eq!(count("LI"), 7);
    assert_eq!(count("Lbl"), 7 + doc.footnotes.len());
}

#[test]
fn a_link_in_a_table_cell_belongs_to_its_cell() {
    let doc = read(
        "x.md",
        "---\ntitle: T\n---\n\n| Name | Site |\n|---|---|\n| one | [the site](https://example.org) |\n",
    );
    let d = lopdf::Document::load_mem(&build(&doc)).unwrap();
    let roles = struct_roles(&d);
    let joined = roles
        .iter()
        .map(|(_, s)| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(joined.contains("Table TR TH TH TR TD TD Link"), "{joined}");
    // The Link is the second cell's child.
    let at = roles.iter().position(|(_, s)| s == "Link").unwrap();
    assert_eq!(roles[at - 1].1, "TD");
    assert_eq!(roles[at].0, roles[at - 1].0 + 1);
}

#[test]
fn items_and_notes_that_open_with_a_quotation_or_list_are_tagged() {
    let doc = read(
        "x.md",
        "---\ntitle: T\n---\n\nText.[^1]\n\n- > A quoted item.\n- - A nested item.\n  - Another.\n\n[^1]: > A quoted note.\n",
    );
    let d = lopdf::Document::load_mem(&build(&doc)).unwrap();
    let joined = struct_roles(&d)
        .iter()
        .map(|(_, s)| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(joined.contains("L LI Lbl LBody BlockQuote P"), "{joined}");
    assert!(joined.contains("Note Lbl BlockQuote P"), "{joined}");
}

#[test]
fn image_without_alt_fails_the_export_unless_decorative() {
    let with = |md: &str| {
        read(
            "examples/briefing-with-figures/x.md",
            &format!("---\ntitle: T\n---\n\nText.\n\n{md}\n\nMore text.\n"),
        )
    };
    let bare = with("![](chart-displacement.png)");
    let e = pdf(&bare, &opts()).expect_err("an image without alt text must fail");
    assert!(
        e.message.contains("chart-displacement.png"),
        "{}",
        e.message
    );
    assert!(e.message.contains("alternative text"), "{}", e.message);
    // Without PDF/UA, it is written.
    assert!(
        pdf(
            &bare,
            &PdfOptions {
                standards: Standards::NONE,
                ..opts()
            }
        )
        .is_ok()
    );
    // Marked decorative (`![""](…)`), it is an artifact: written, with no Figure.
    let deco = with("![\"\"](chart-displacement.png)");
    let out = pdf(&deco, &opts()).expect("a decorative image is fine");
    let d = lopdf::Document::load_mem(&out.bytes).unwrap();
    assert!(elements(&d).iter().all(|(s, _)| s != "Figure"));
    // With alt text: a Figure.
    let ok = with("![Bar chart of displacement](chart-displacement.png)");
    let d = lopdf::Document::load_mem(&pdf(&ok, &opts()).unwrap().bytes).unwrap();
    assert_eq!(
        elements(&d).iter().filter(|(s, _)| s == "Figure").count(),
        1
    );
}

#[test]
fn xmp_repeats_the_info_dictionary() {
    let doc = read("kitchen.md", KITCHEN);
    let bytes = build(&doc);
    let d = lopdf::Document::load_mem(&bytes).expect("readable");
    let cat = d.catalog().unwrap();
    let md = d
        .get_object(cat.get(b"Metadata").unwrap().as_reference().unwrap())
        .unwrap()
        .as_stream()
        .unwrap();
    let xmp = String::from_utf8(md.content.clone()).unwrap();
    for want in [
        "<rdf:li xml:lang=\"x-default\">Kitchen sink of every block kind</rdf:li>",
        "<rdf:li>Example Organization</rdf:li>",
        "<rdf:li>en-GB</rdf:li>",
        "A subtitle under the headline",
        "<pdfuaid:part>1</pdfuaid:part>",
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        "<pdf:Producer>Communique ",
        "<xmp:CreateDate>2026-11-27T",
        "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>",
    ] {
        assert!(xmp.contains(want), "{want} not in {xmp}");
    }
}

#[test]
fn same_input_same_bytes_and_none_is_smaller() {
    let doc = read("content/us-upr-review.md", STATEMENT);
    let a = build(&doc);
    assert_eq!(a, build(&doc));
    assert!(
        a.len() <= 60 * 1024,
        "tagged statement is {} bytes",
        a.len()
    );
    let plain = pdf(
        &doc,
        &PdfOptions {
            standards: Standards::NONE,
            ..opts()
        },
    )
    .unwrap()
    .bytes;
    let d = lopdf::Document::load_mem(&plain).unwrap();
    assert!(d.catalog().unwrap().get(b"StructTreeRoot").is_err());
    assert!(plain.len() < a.len());
}

#[test]
fn standards_parse() {
    assert_eq!(Standards::parse("ua1,a2b").unwrap(), Standards::default());
    assert_eq!(Standards::parse("none").unwrap(), Standards::NONE);
    let ua = Standards::parse("ua1").unwrap();
    assert!(ua.ua1 && !ua.a2b);
    assert!(Standards::parse("a3u").is_err());
}

// ---- The writer's checks, each failing as it should.

/// A character no font covers does not fail the export (issue 14): it is drawn as the
/// replacement glyph of a Type 3 font, never `.notdef`, with one warning.
#[test]
fn uncovered_character_is_a_warning_not_notdef() {
    let mut doc = read("x.md", "---\ntitle: T\n---\n\nPlain \u{10FFFD} text.\n");
    doc.meta.organization = None;
    for standards in [Standards::default(), Standards::NONE] {
        let out = pdf(
            &doc,
            &PdfOptions {
                standards,
                no_system_fonts: true,
                ..opts()
            },
        )
        .expect("a PDF with the replacement glyph");
        let warnings: Vec<_> = out
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("U+10FFFD"))
            .collect();
        assert_eq!(warnings.len(), 1, "{:?}", out.diagnostics);
        let d = lopdf::Document::load_mem(&out.bytes).unwrap();
        let type3 = d.objects.values().any(|o| {
            o.as_dict()
                .is_ok_and(|d| d.get(b"Subtype").ok() == Some(&Object::Name(b"Type3".to_vec())))
        });
        assert!(type3, "no Type 3 font for the replacement glyph");
    }
}

/// Press releases often use `###` for every section after the intro: under PDF/UA the
/// structure tree gets levels that do not skip, the author's outline kept (siblings stay
/// siblings), with one warning at the first re-levelled heading. Never a refusal.
#[test]
fn skipped_heading_levels_are_re_levelled_with_one_warning() {
    let text = "---\ntitle: T\n---\n\nIntro.\n\n### Contact\n\nText.\n\n### Partners\n\n\
                Text.\n\n##### Detail\n\nText.\n\n## Fine\n\nText.\n";
    let doc = read("x.md", text);
    let out = pdf(&doc, &opts()).expect("a skipped level is not a refusal");
    let warnings: Vec<String> = out.diagnostics.iter().map(|d| d.to_string()).collect();
    let about_levels: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("level-3 heading"))
        .collect();
    assert_eq!(about_levels.len(), 1, "{warnings:#?}");
    assert!(about_levels[0].contains("x.md:7:1"), "{}", about_levels[0]);
    assert!(about_levels[0].contains("2 more"), "{}", about_levels[0]);
    let d = lopdf::Document::load_mem(&out.bytes).expect("lopdf reads it");
    let headings: Vec<String> = struct_roles(&d)
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| r.starts_with('H'))
        .collect();
    // Headline H1; ### ### → H2 H2; ##### under the second → H3; ## → H2.
    assert_eq!(headings, ["H1", "H2", "H2", "H3", "H2"]);
    // A document whose levels do not skip gets no such warning and keeps its levels.
    let ok = read("x.md", "---\ntitle: T\n---\n\n## A\n\n### B\n\n## C\n");
    let out = pdf(&ok, &opts()).expect("a PDF");
    assert!(
        !out.diagnostics
            .iter()
            .any(|d| d.message.contains("heading")),
        "{:?}",
        out.diagnostics
    );
    let d = lopdf::Document::load_mem(&out.bytes).expect("lopdf reads it");
    let headings: Vec<String> = struct_roles(&d)
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| r.starts_with('H'))
        .collect();
    assert_eq!(headings, ["H1", "H2", "H3", "H2"]);
}

#[test]
fn image_without_alt_fails_the_check() {
    assert!(tagged::check_alt("chart.png", "", false).is_err());
    assert!(tagged::check_alt("chart.png", "  ", false).is_err());
    assert!(tagged::check_alt("rule.png", "", true).is_ok());
    assert!(tagged::check_alt("chart.png", "Votes by region", false).is_ok());
}

#[test]
fn untagged_painting_fails() {
    let doc = read("x.md", "---\ntitle: T\n---\n\nOne paragraph.\n");
    let mut lo = lopdf::Document::with_version("1.7");
    // Content whose origin names no block of the document.
    let marks = vec![vec![
        tagged::Marked::new(Origin::Block(BlockId(0)), tagged::Part::Text),
        tagged::Marked::new(Origin::Block(BlockId(999)), tagged::Part::Text),
    ]];
    let e = tagged::structure(&mut lo, &doc, &[], &marks, &[]).expect_err("untagged");
    assert!(e.message.contains("untagged"), "{}", e.message);
    // Furniture is always an artifact, and rules are never content.
    let run = communique::pdf::layout::Placed {
        origin: Origin::Furniture,
        item: communique::pdf::layout::Item::Rule(communique::pdf::layout::Rule {
            x0: 0.0,
            x1: 1.0,
            y: 0.0,
            thickness: 1.0,
            color: [0.0; 3],
        }),
    };
    assert_eq!(tagged::mark_of(&run), Some(tagged::Mark::Artifact));
}

// ---- Validators.

/// The text of the structure tree (`pdfinfo -struct-text`).
fn struct_text(path: &Path) -> Option<String> {
    let o = tool("pdfinfo", &["-struct-text", path.to_str()?])?;
    assert!(o.status.success(), "{}", stdout(&o));
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '\u{2010}' | '\u{AD}'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn tagged_and_in_reading_order_with_word_gaps() {
    for (name, doc) in docs() {
        let path = write_tmp(&format!("tagged-{name}.pdf"), &build(&doc));
        let Some(info) = tool("pdfinfo", &[path.to_str().unwrap()]) else {
            return;
        };
        assert!(stdout(&info).contains("Tagged:          yes"), "{name}");
        let Some(text) = struct_text(&path) else {
            return;
        };
        for furniture in ["Page 1 of", "- more -"] {
            assert!(!text.contains(furniture), "{name}: {furniture} in the tree");
        }
        // A word hyphenated at a line end reads whole: every hyphenated word of the tree's
        // text is one the author wrote.
        let source = doc.source.text();
        for w in text
            .lines()
            .filter_map(|l| l.trim().strip_prefix('"'))
            .flat_map(|l| l.split_whitespace())
        {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            if w.contains('-') {
                assert!(
                    source.contains(w),
                    "{name}: `{w}` is not a word of the text"
                );
            }
        }
        // The release block reads column by column: the release line alone, then the
        // date, then the contacts.
        if let Some(contacts) = doc.meta.contacts.first().and_then(|c| c.name.as_deref()) {
            let contents: Vec<&str> = text
                .lines()
                .filter_map(|l| l.trim().strip_prefix('"'))
                .collect();
            let at = contents
                .iter()
                .position(|l| l.contains(contacts))
                .expect("the contact");
            assert!(
                contents[at].starts_with("MEDIA CONTACT"),
                "{name}: {contents:?}"
            );
            assert!(!contents[at].contains("RELEASE"), "{name}: {contents:?}");
        }
        // Every paragraph's text, in order, with its word gaps.
        // (Footnote references, which the model's plain text leaves out, are left out.)
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        let all: String = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i == 0 || !lines[i - 1].starts_with("Reference"))
            .filter_map(|(_, l)| l.strip_prefix('"'))
            .map(|l| l.trim_end_matches('"'))
            .collect::<Vec<_>>()
            .join(" ");
        let all = squash(&all);
        let mut from = 0;
        for b in &doc.blocks {
            if let communique::model::BlockKind::Paragraph(inl) = &b.kind {
                // A figure's alt text is its /Alt, not text (see the briefing's test).
                if let [communique::model::Inline::Image(_)] = inl.as_slice() {
                    continue;
                }
                let want = squash(&communique::model::plain_text(inl));
                let Some(at) = all[from..].find(&want) else {
                    panic!("{name}: `{want}` missing or out of order in\n{all}");
                };
                from += at + want.len();
            }
        }
    }
}

#[test]
fn qpdf_check_is_clean() {
    for (name, doc) in docs() {
        let path = write_tmp(&format!("qpdf-{name}.pdf"), &build(&doc));
        let Some(report) = common::qpdf_check(&path) else {
            return;
        };
        assert!(!report.contains("WARNING"), "{name}: {report}");
    }
}

#[test]
fn pypi_pdfua_finds_nothing() {
    for (name, doc) in docs() {
        let path = write_tmp(&format!("pdfua-{name}.pdf"), &build(&doc));
        let Some(o) = tool("pdfua", &["check", path.to_str().unwrap()]) else {
            return;
        };
        assert!(o.status.success(), "{name}: {}", stdout(&o));
        assert!(stdout(&o).contains("no findings"), "{name}: {}", stdout(&o));
    }
}

#[test]
fn pypi_outloud_reports_no_errors() {
    for (name, doc) in docs() {
        let path = write_tmp(&format!("outloud-{name}.pdf"), &build(&doc));
        let Some(o) = tool("outloud", &[path.to_str().unwrap()]) else {
            return;
        };
        assert!(o.status.success(), "{name}: {}", stdout(&o));
        assert!(stdout(&o).contains(" 0 error(s)"), "{name}: {}", stdout(&o));
    }
}

/// Apache PDFBox 2 preflight (PDF/A-1b only). These rules are PDF/A-1-only and do not apply
/// to PDF/A-2b: cross-reference streams (1.4), soft masks of images (2.2.2: PDF/A-2 allows
/// transparency, ISO 19005-2 6.4), CIDSet in subsets (3.1.11), pdfaid:part 1 (7.11.2).
const PDFA1_ONLY: [&str; 4] = ["1.4 :", "2.2.2 :", "3.1.11 :", "7.11.2 :"];

#[test]
fn pdfbox_preflight_reports_only_pdfa1_rules() {
    let jars = [
        "preflight.jar",
        "pdfbox2.jar",
        "fontbox2.jar",
        "xmpbox.jar",
        "commons-logging.jar",
        "javax.activation.jar",
        "jaxb-api.jar",
    ];
    let dir = Path::new("/usr/share/java");
    if jars.iter().any(|j| !dir.join(j).exists()) {
        if required() {
            panic!(
                "PDFBox preflight is required (COMMUNIQUE_REQUIRE_VALIDATORS=1) but not installed"
            );
        }
        eprintln!("SKIPPED: PDFBox preflight (libpdfbox2-java) is not installed");
        return;
    }
    let cp = jars
        .iter()
        .map(|j| dir.join(j).to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(":");
    for (name, doc) in docs() {
        let path = write_tmp(&format!("preflight-{name}.pdf"), &build(&doc));
        let Some(o) = tool(
            "java",
            &[
                common::JAVA_QUICK,
                "-cp",
                &cp,
                "org.apache.pdfbox.preflight.Validator_A1b",
                path.to_str().unwrap(),
            ],
        ) else {
            return;
        };
        let out = stdout(&o);
        let errors: Vec<&str> = out
            .lines()
            .filter(|l| l.contains(" : "))
            .filter(|l| !PDFA1_ONLY.iter().any(|p| l.starts_with(p)))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}\n{out}");
        assert!(!out.contains("Exception"), "{name}: {out}");
    }
}
