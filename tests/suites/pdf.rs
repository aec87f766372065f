//! The PDF press release, read back: with lopdf always, and with qpdf and poppler
//! (`pdftotext`, `pdffonts`) where they are installed. A test that needs a missing tool
//! skips with a notice, unless `COMMUNIQUE_REQUIRE_VALIDATORS=1`, where it fails.

use crate::common;

use common::{pdf_bytes, pdftotext, tool};

use std::path::PathBuf;

use communique::model::{
    Block, BlockId, BlockKind, Contact, DateTime, Document, Inline, Metadata, SourceMap,
};
use communique::pdf::{PdfOptions, pdf};

const STATEMENT: &str = include_str!("../../content/us-upr-review.md");

/// The statement's body text (after the front matter).
fn body_text() -> &'static str {
    STATEMENT
        .splitn(3, "---\n")
        .nth(2)
        .expect("front matter")
        .trim()
}

/// `text` read by the Markdown reader as the file `path`; its diagnostics printed.
fn read_doc(path: &str, text: &str) -> Document {
    let (doc, diags) = communique::markdown::read(
        std::path::Path::new(path),
        text,
        &communique::markdown::ReadOptions::default(),
    );
    for d in &diags {
        eprintln!("{d}");
    }
    doc.unwrap_or_else(|| panic!("{path} reads"))
}

/// The seed statement read by the Markdown reader.
fn statement_doc() -> Document {
    read_doc("content/us-upr-review.md", STATEMENT)
}

/// The seed statement built by hand, with a media contact and a link added.
fn seed_doc() -> Document {
    let seed = body_text();
    let source = SourceMap::new("content/statement.md", seed);
    let mut blocks = Vec::new();
    let mut at = 0usize;
    for (i, para) in seed.split("\n\n").enumerate() {
        let text = para.trim_end_matches('\n');
        if !text.trim().is_empty() {
            blocks.push(Block {
                id: BlockId(i as u32),
                at: at as u32,
                kind: BlockKind::Paragraph(vec![Inline::Text {
                    text: text.to_string(),
                    at: at as u32,
                }]),
            });
        }
        at += para.len() + 2;
    }
    let about = vec![Block {
        id: BlockId(1000),
        at: 0,
        kind: BlockKind::Paragraph(vec![
            Inline::Text {
                text: "Amnesty International is a global movement of more than 10 million people in over 150 countries who campaign for a world where human rights are enjoyed by all. Learn more at ".into(),
                at: 0,
            },
            Inline::Link {
                url: "https://www.amnestyusa.org".into(),
                title: String::new(),
                content: vec![Inline::Text {
                    text: "amnestyusa.org".into(),
                    at: 0,
                }],
            },
            Inline::Text {
                text: ".".into(),
                at: 0,
            },
        ]),
    }];
    Document {
        meta: Metadata {
            title: "United States May Become First Country to Walk Away From UN Human Rights Review".into(),
            subtitle: Some("Amnesty International USA urges the administration to take part in its Universal Periodic Review".into()),
            organization: Some("Amnesty International USA".into()),
            date: Some(DateTime::parse_iso("2026-11-27").unwrap()),
            dateline: Some("WASHINGTON".into()),
            contacts: vec![Contact {
                name: Some("Media Relations".into()),
                role: None,
                organization: Some("Amnesty International USA".into()),
                email: Some("press@aiusa.org".into()),
                phone: Some("+1 202 509 8194".into()),
            }],
            keywords: vec!["human rights".into(), "UPR".into()],
            about,
            ..Metadata::default()
        },
        blocks,
        footnotes: Vec::new(),
        source,
    }
}

fn write_tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the PDF");
    path
}

/// The statement's PDF, written to a file of its own for each test (tests run in parallel).
fn seed_pdf(name: &str) -> PathBuf {
    write_tmp(&format!("seed-{name}.pdf"), &pdf_bytes(&statement_doc()))
}

#[test]
fn builds_are_byte_identical() {
    let doc = statement_doc();
    assert_eq!(pdf_bytes(&doc), pdf_bytes(&doc));
    let doc = seed_doc();
    assert_eq!(pdf_bytes(&doc), pdf_bytes(&doc));
}

#[test]
fn statement_fits_two_pages_with_metadata() {
    let bytes = pdf_bytes(&statement_doc());
    let d = lopdf::Document::load_mem(&bytes).unwrap();
    assert!(d.get_pages().len() <= 2);
    let info_id = d.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = d.get_dictionary(info_id).unwrap();
    let title = info.get(b"Title").unwrap().as_str().unwrap();
    // Non-ASCII titles are UTF-16BE with a byte-order mark.
    assert_eq!(&title[..2], &[0xFE, 0xFF]);
    assert!(info.get(b"Keywords").is_ok());
    assert!(info.get(b"Subject").is_ok());
}

#[test]
fn different_documents_have_different_ids() {
    let a = pdf_bytes(&seed_doc());
    let mut other = seed_doc();
    other.meta.title = "Another headline".into();
    let b = pdf_bytes(&other);
    let id = |bytes: &[u8]| {
        let d = lopdf::Document::load_mem(bytes).unwrap();
        let ids = d.trailer.get(b"ID").unwrap().as_array().unwrap().clone();
        let ids: Vec<Vec<u8>> = ids.iter().map(|i| i.as_str().unwrap().to_vec()).collect();
        assert_eq!(ids.len(), 2);
        for i in &ids {
            assert_eq!(i.len(), 16);
            assert!(
                i.iter().any(|b| *b != 0),
                "placeholder /ID left in the file"
            );
        }
        ids
    };
    assert_ne!(id(&a)[0], id(&b)[0]);
}

#[test]
fn metadata_and_catalog() {
    let bytes = pdf_bytes(&seed_doc());
    let d = lopdf::Document::load_mem(&bytes).unwrap();
    let pages = d.get_pages();
    assert!(
        pages.len() <= 2,
        "the seed fits in two pages, got {}",
        pages.len()
    );
    let cat = d.catalog().unwrap();
    assert_eq!(cat.get(b"Lang").unwrap().as_str().unwrap(), b"en-US");
    let vp = cat.get(b"ViewerPreferences").unwrap().as_dict().unwrap();
    assert!(vp.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
    let info_id = d.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = d.get_dictionary(info_id).unwrap();
    let s = |k: &[u8]| String::from_utf8_lossy(info.get(k).unwrap().as_str().unwrap()).into_owned();
    assert!(s(b"Title").starts_with("United States May Become"));
    assert_eq!(s(b"Author"), "Amnesty International USA");
    assert_eq!(s(b"Creator"), format!("Communique {}", communique::VERSION));
    assert_eq!(
        s(b"Producer"),
        format!("Communique {}", communique::VERSION)
    );
    assert_eq!(s(b"CreationDate"), "D:20261127172000Z");
    // Letter paper for en-US.
    let (_, first) = pages.iter().next().unwrap();
    let page = d.get_dictionary(*first).unwrap();
    let mb = page.get(b"MediaBox").unwrap().as_array().unwrap();
    assert_eq!(mb[2].as_float().unwrap(), 612.0);
    // The link is a borderless URI annotation.
    let mut uris = Vec::new();
    for pid in pages.values() {
        let page = d.get_dictionary(*pid).unwrap();
        if let Ok(annots) = page.get(b"Annots").and_then(|a| a.as_array()) {
            for a in annots {
                let a = d.get_dictionary(a.as_reference().unwrap()).unwrap();
                let border = a.get(b"Border").unwrap().as_array().unwrap();
                assert!(border.iter().all(|b| b.as_i64().unwrap() == 0));
                let act = a.get(b"A").unwrap().as_dict().unwrap();
                uris.push(
                    String::from_utf8_lossy(act.get(b"URI").unwrap().as_str().unwrap())
                        .into_owned(),
                );
            }
        }
    }
    assert!(
        uris.contains(&"https://www.amnestyusa.org".to_string()),
        "{uris:?}"
    );
    assert!(
        uris.contains(&"mailto:press@aiusa.org".to_string()),
        "{uris:?}"
    );
}

#[test]
fn qpdf_finds_no_errors() {
    common::qpdf_check(&seed_pdf("qpdf"));
}

#[test]
fn fonts_are_embedded_subset_with_unicode_maps() {
    let path = seed_pdf("fonts");
    let Some(out) = tool("pdffonts", &[path.to_str().unwrap()]) else {
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<&str> = text.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{text}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type... emb sub uni object ID
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{row}");
        assert!(cols[0].as_bytes()[6] == b'+', "subset tag: {row}");
    }
}

/// Joins extracted lines, rejoining words hyphenated at line ends.
fn rejoin(text: &str) -> String {
    let mut s = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if s.ends_with('-') && line.starts_with(|c: char| c.is_lowercase()) {
            s.pop();
        } else if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(line);
    }
    s
}

#[test]
fn text_comes_back_in_order() {
    let path = seed_pdf("text");
    for args in [&[][..], &["-layout"][..]] {
        let Some(text) = pdftotext(&path, args) else {
            return;
        };
        assert!(
            !text.chars().any(|c| ('\u{FB00}'..='\u{FB06}').contains(&c)),
            "ligature code points in the text"
        );
        let joined = rejoin(&text);
        let words: Vec<&str> = joined.split_whitespace().collect();
        // Every body word, in order.
        let mut i = 0;
        for w in body_text().split_whitespace() {
            while i < words.len() && words[i] != w {
                i += 1;
            }
            assert!(i < words.len(), "{args:?}: `{w}` missing or out of order");
            i += 1;
        }
        for needle in [
            "FOR IMMEDIATE RELEASE",
            "November 27, 2026",
            "WASHINGTON (Nov. 27, 2026) —",
            "About Amnesty International USA",
            "Amnesty International USA is the United States section",
            "The U.S. Must Not Walk Away",
            "###",
            "Page 1 of 2",
            "Page 2 of 2",
            "- more -",
            "“The world is watching.",
        ] {
            assert!(
                joined.contains(needle),
                "{args:?}: `{needle}` missing:\n{text}"
            );
        }
        // "- more -" on every page but the last.
        let pages: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .collect();
        for (n, p) in pages.iter().enumerate() {
            assert_eq!(
                p.contains("- more -"),
                n + 1 < pages.len(),
                "page {}",
                n + 1
            );
        }
    }
}

#[test]
fn justified_spacing_and_hyphen_limits() {
    let path = seed_pdf("spacing");
    let Some(html) = pdftotext(&path, &["-bbox-layout"]) else {
        return;
    };
    // Natural space of Noto Serif: 260/1000 em; body text is 11pt.
    let natural = 0.26 * 11.0;
    let mut checked = 0;
    let mut run = 0;
    for block in html.split("<block").skip(1) {
        let lines: Vec<&str> = block.split("<line").skip(1).collect();
        for (li, line) in lines.iter().enumerate() {
            let mut words: Vec<(f32, f32, String)> = line
                .split("<word ")
                .skip(1)
                .filter_map(|w| {
                    let attr = |k: &str| -> Option<f32> {
                        let s = w.split(&format!("{k}=\"")).nth(1)?;
                        s.split('"').next()?.parse().ok()
                    };
                    let text = w.split('>').nth(1)?.split('<').next()?.to_string();
                    Some((attr("xMin")?, attr("xMax")?, text))
                })
                .collect();
            // An inserted hyphen is drawn apart from its word (an artifact in the tagged
            // PDF), so poppler sees a word of its own: join it back.
            if words.len() > 1
                && words.last().is_some_and(|w| w.2 == "-")
                && let Some((_, x1, _)) = words.pop()
                && let Some(w) = words.last_mut()
            {
                w.1 = x1;
                w.2.push('-');
            }
            let Some(last) = words.last() else { continue };
            if last.2.ends_with('-') {
                run += 1;
                assert!(run <= 2, "three hyphenated lines in a row at `{}`", last.2);
            } else {
                run = 0;
            }
            // Justified body lines: long lines that are not a paragraph's last line.
            let width = last.1 - words[0].0;
            if li + 1 == lines.len() || words.len() < 6 || width < 400.0 {
                continue;
            }
            for pair in words.windows(2) {
                let gap = pair[1].0 - pair[0].1;
                let ratio = gap / natural;
                assert!(
                    (0.7..=1.6).contains(&ratio),
                    "space {ratio:.2}× natural between `{}` and `{}`",
                    pair[0].2,
                    pair[1].2
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} justified lines checked");
}

#[test]
fn uncovered_characters_are_reported_once_with_position() {
    let mut doc = seed_doc();
    let text = "Plain \u{4E2D}\u{6587} text and \u{4E2D} again.";
    doc.source = SourceMap::new("x.md", text);
    doc.blocks = vec![Block {
        id: BlockId(0),
        at: 0,
        kind: BlockKind::Paragraph(vec![Inline::Text {
            text: text.into(),
            at: 0,
        }]),
    }];
    // The bundled book alone: no system CJK font is looked for. The uncovered characters
    // are drawn as the replacement glyph (see tests/suites/emoji.rs).
    let opts = PdfOptions {
        fonts: Some(communique::pdf::FontBook::bundled()),
        standards: communique::pdf::Standards::NONE,
        ..PdfOptions::default()
    };
    let out = pdf(&doc, &opts).unwrap();
    let warnings: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("no available font"))
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", out.diagnostics);
    assert!(warnings[0].message.contains('\u{4E2D}') && warnings[0].message.contains('\u{6587}'));
    assert_eq!(warnings[0].line_col, Some((1, 7)));
}

/// A word wider than the line (50,000 characters) is reported with its position, quoted
/// short: its first 40 characters, an ellipsis and its length, not the whole word.
#[test]
fn a_word_wider_than_the_line_is_quoted_short() {
    let mut doc = seed_doc();
    let word = "x".repeat(50_000);
    let text = format!("A long {word} word.");
    doc.source = SourceMap::new("x.md", &text);
    doc.blocks = vec![Block {
        id: BlockId(0),
        at: 0,
        kind: BlockKind::Paragraph(vec![Inline::Text {
            text: text.clone(),
            at: 0,
        }]),
    }];
    let out = pdf(&doc, &PdfOptions::default()).unwrap();
    let warnings: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("wider than the line"))
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", out.diagnostics);
    let m = &warnings[0].message;
    assert!(m.len() < 200, "a long message: {} bytes", m.len());
    assert!(
        m.contains(&format!("`{}…` (50000 characters)", "x".repeat(40))),
        "{m}"
    );
    assert_eq!(warnings[0].line_col, Some((1, 8)));
}

const KITCHEN: &str = r#"---
title: "Ministry Announces Review: New Rules on Data Retention Take Effect in Spring"
subtitle: "A second line of explanation for editors"
organization: "Example Organization"
date: 2026-03-05
dateline: "ALBANY, N.Y."
release: { embargoed: 2026-03-05T00:01:00-05:00, zone: EST }
contacts:
  - name: "Press Officer"
    role: "Media Relations"
    email: "press@example.org"
    phone: "+1 202 555 0100"
  - name: "Second Contact"
    email: "second@example.org"
lang: en-US
keywords: [data, privacy]
about: |
  Example Organization is a *non-profit* that works on [privacy](https://example.org/about).
---

The first paragraph answers who, what, when, where and why, with a [link to the report](https://example.org/report) and some `inline code` and *emphasis* and **strong** text, ~~struck~~ words, H~2~O and 10^th^.

## Background of the review

Some paragraph text that continues for a while so that it wraps onto several lines and shows justification, hyphenation and the rest of the typesetting machinery at work in a realistic setting.

> “A quotation from your spokesperson that goes on for more than one line so the indentation is visible,” said a spokesperson.

- A first item in a bullet list, long enough to wrap onto a second line to show the hanging indent.
- A second item.

1. First numbered.
2. Second numbered.

```
fn main() {
    println!("indented code");

    let x = 1;
}
```

---

### A smaller heading

Final paragraph with a URL https://example.org/a/very/long/path/that/needs/breaking/somewhere/sensible and an address press@example.org.
"#;

fn kitchen_doc() -> Document {
    read_doc("kitchen.md", KITCHEN)
}

#[test]
fn every_block_kind_is_set() {
    let bytes = pdf_bytes(&kitchen_doc());
    let path = write_tmp("kitchen.pdf", &bytes);
    let d = lopdf::Document::load_mem(&bytes).unwrap();
    // The outline lists the headings in document order (printpdf would sort them).
    let cat = d.catalog().unwrap();
    let outlines = d
        .get_dictionary(cat.get(b"Outlines").unwrap().as_reference().unwrap())
        .unwrap();
    let mut titles = Vec::new();
    let mut next = outlines
        .get(b"First")
        .ok()
        .map(|o| o.as_reference().unwrap());
    while let Some(id) = next {
        let e = d.get_dictionary(id).unwrap();
        let t = e.get(b"Title").unwrap().as_str().unwrap();
        titles.push(String::from_utf8_lossy(t).into_owned());
        if let Ok(first) = e.get(b"First") {
            let c = d.get_dictionary(first.as_reference().unwrap()).unwrap();
            titles.push(
                String::from_utf8_lossy(c.get(b"Title").unwrap().as_str().unwrap()).into_owned(),
            );
        }
        next = e.get(b"Next").ok().map(|o| o.as_reference().unwrap());
    }
    assert_eq!(
        titles,
        vec![
            "Background of the review",
            "A smaller heading",
            "About Example Organization"
        ]
    );
    let Some(text) = pdftotext(&path, &[]) else {
        return;
    };
    let joined = rejoin(&text);
    for needle in [
        "EMBARGOED UNTIL 00:01 EST, 5 MARCH 2026",
        "ALBANY, N.Y. (March 5, 2026) —",
        "MEDIA CONTACT",
        "press@example.org",
        "println!(\"indented code\");",
        "A second item.",
        "2. Second numbered.",
    ] {
        assert!(joined.contains(needle), "`{needle}` missing:\n{text}");
    }
}

#[test]
fn paper_and_ragged_options() {
    let mut doc = statement_doc();
    doc.meta.lang = "de-DE".into();
    let out = pdf(
        &doc,
        &PdfOptions {
            ragged: true,
            ..PdfOptions::default()
        },
    )
    .unwrap();
    write_tmp("ragged-a4.pdf", &out.bytes);
    let d = lopdf::Document::load_mem(&out.bytes).unwrap();
    let first = *d.get_pages().values().next().unwrap();
    let mb = d
        .get_dictionary(first)
        .unwrap()
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    assert!(
        (mb[2].as_float().unwrap() - 595.276).abs() < 0.01,
        "A4 for de-DE"
    );
    let out = pdf(
        &doc,
        &PdfOptions {
            paper: Some(communique::pdf::Paper::Letter),
            ..PdfOptions::default()
        },
    )
    .unwrap();
    let d = lopdf::Document::load_mem(&out.bytes).unwrap();
    let first = *d.get_pages().values().next().unwrap();
    let mb = d
        .get_dictionary(first)
        .unwrap()
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(mb[2].as_float().unwrap(), 612.0);
}

fn para(id: u32, text: &str) -> Block {
    Block {
        id: BlockId(id),
        at: 0,
        kind: BlockKind::Paragraph(vec![Inline::Text {
            text: text.into(),
            at: 0,
        }]),
    }
}

/// Odd documents build without panicking and give valid PDFs.
#[test]
fn odd_documents_do_not_panic() {
    let long_word = "x".repeat(400);
    let cases: Vec<Vec<Block>> = vec![
        vec![],
        vec![para(0, "")],
        vec![para(0, "   \n  ")],
        vec![para(0, &long_word)],
        vec![para(
            0,
            "\u{0}\u{7}control\u{1b} chars\u{200B}\u{FEFF} and \u{00AD}soft",
        )],
        vec![para(0, "עברית ومرحبا 😀 e\u{301} combining ﬁ ligature")],
        (0..120)
            .map(|i| {
                para(
                    i,
                    "A paragraph of text repeated many times to make a long document. ",
                )
            })
            .collect(),
        vec![Block {
            id: BlockId(0),
            at: 0,
            kind: BlockKind::Heading {
                level: 9,
                id: "h".into(),
                content: vec![],
            },
        }],
    ];
    for (i, blocks) in cases.into_iter().enumerate() {
        let mut doc = seed_doc();
        doc.blocks = blocks;
        if i == 1 {
            doc.meta = Metadata {
                date: Some(DateTime {
                    year: 2026,
                    month: 0,
                    day: 0,
                    time: None,
                }),
                ..Metadata::default()
            };
        }
        if i == 2 {
            doc.meta.title = "W".repeat(300);
            doc.meta.lang = String::new();
        }
        // Case 5 draws characters no bundled font covers (as the replacement glyph).
        let opts = PdfOptions {
            standards: communique::pdf::Standards::NONE,
            ..PdfOptions::default()
        };
        let out = pdf(&doc, &opts).expect("a PDF");
        let d = lopdf::Document::load_mem(&out.bytes).expect("a readable PDF");
        assert!(!d.get_pages().is_empty());
        if i == 3 {
            assert!(
                out.diagnostics
                    .iter()
                    .any(|d| d.message.contains("wider than the line")),
                "{:?}",
                out.diagnostics
            );
        }
    }
}

#[test]
fn extra_font_directories_are_read() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fonts");
    let opts = PdfOptions {
        font_dirs: vec![dir, PathBuf::from("/nonexistent/fonts")],
        ..PdfOptions::default()
    };
    let out = pdf(&statement_doc(), &opts).unwrap();
    assert!(
        out.diagnostics
            .iter()
            .any(|d| d.message.contains("/nonexistent/fonts")),
        "{:?}",
        out.diagnostics
    );
    lopdf::Document::load_mem(&out.bytes).unwrap();
}

/// Issue 14: no word is split across pages. Long documents in English and German (the
/// seed's paragraphs with their words in shuffled orders, so page ends fall everywhere; German
/// compounds hyphenate often): on every page, the last line of text (page furniture aside)
/// does not end in a hyphen that the line breaker inserted.
#[test]
fn no_word_is_hyphenated_across_a_page_break() {
    const GERMAN: &str = "Die Bundesregierung muss die Menschenrechtsverpflichtungen \
        gegenüber den Vereinten Nationen vollständig erfüllen, forderte die Organisation am \
        Donnerstag. Die Wirtschaftsforschungsinstitute und Nichtregierungsorganisationen \
        beobachten die Überprüfungsverfahren aufmerksam; Verantwortlichkeit, Rechenschaftspflicht \
        und Glaubwürdigkeit stehen auf dem Spiel, während die Staatengemeinschaft die \
        Menschenrechtslage anderer Länder regelmäßig untersucht.";
    let mut hyphens_seen = 0;
    for (lang, base) in [("en-US", body_text()), ("de", GERMAN)] {
        let words: Vec<&str> = base.split_whitespace().collect();
        let mut body = String::new();
        // A deterministic shuffle (an LCG), 60 paragraphs.
        let mut x: u64 = 7;
        for _ in 0..60 {
            let mut w = words.clone();
            for i in (1..w.len()).rev() {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                w.swap(i, (x >> 33) as usize % (i + 1));
            }
            body.push_str(&w[..w.len().min(90)].join(" "));
            body.push_str("\n\n");
        }
        let text = format!("---\ntitle: Page breaks\nlang: {lang}\n---\n\n{body}");
        let doc = read_doc("long.md", &text);
        let path = write_tmp(&format!("page-breaks-{lang}.pdf"), &pdf_bytes(&doc));
        let Some(out) = pdftotext(&path, &["-bbox"]) else {
            return;
        };
        // Inserted hyphens are drawn apart from their word, so poppler gives each as a word
        // of its own, "-", at the line's end (an author's hyphen stays inside its word).
        let pages: Vec<&str> = out.split("<page ").skip(1).collect();
        assert!(pages.len() >= 8, "{lang}: {} pages", pages.len());
        for (n, page) in pages.iter().enumerate() {
            // Lines of the page: words by their top, in order.
            let mut lines: Vec<(f32, Vec<(f32, String)>)> = Vec::new();
            for w in page.split("<word ").skip(1) {
                let num = |k: &str| -> f32 {
                    let at = w.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
                    w[at..].split('"').next().unwrap().parse().unwrap()
                };
                let text = w
                    .split('>')
                    .nth(1)
                    .unwrap_or("")
                    .split('<')
                    .next()
                    .unwrap_or("");
                let y = num("yMin");
                match lines.iter_mut().find(|(ly, _)| (ly - y).abs() < 1.0) {
                    Some((_, ws)) => ws.push((num("xMin"), text.to_string())),
                    None => lines.push((y, vec![(num("xMin"), text.to_string())])),
                }
            }
            lines.sort_by(|a, b| a.0.total_cmp(&b.0));
            let body: Vec<Vec<String>> = lines
                .into_iter()
                .map(|(_, mut ws)| {
                    ws.sort_by(|a, b| a.0.total_cmp(&b.0));
                    ws.into_iter().map(|w| w.1).collect::<Vec<_>>()
                })
                .filter(|ws| {
                    let l = ws.join(" ");
                    // The continuation line and page number (German has its own since
                    // issue 16).
                    l != "- more -"
                        && l != "- Fortsetzung folgt -"
                        && !l.starts_with("Page ")
                        && !l.starts_with("Seite ")
                })
                .collect();
            let last = body.last().expect("a line of text");
            hyphens_seen += body
                .iter()
                .filter(|l| l.last().is_some_and(|w| w == "-"))
                .count();
            if n + 1 < pages.len() {
                assert_ne!(
                    last.last().map(String::as_str),
                    Some("-"),
                    "{lang}: page {} ends in an inserted hyphen: {last:?}",
                    n + 1
                );
            }
        }
    }
    assert!(hyphens_seen > 20, "{hyphens_seen} hyphenated lines");
}
