//! Issue 6: the press release in the six UN languages (and mixed scripts), read back from the
//! laid-out pages (always) and with poppler (`pdftotext`, `pdffonts`) where it is installed.
//! A test that needs a missing tool — or a CJK font, for Chinese — skips with a notice,
//! unless `COMMUNIQUE_REQUIRE_VALIDATORS=1`, where it fails.

use crate::common;

use common::{required, tool};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use communique::Document;
use communique::pdf::design::lay_out;
use communique::pdf::fallback::{uncovered, with_system_fonts};
use communique::pdf::layout::Item;
use communique::pdf::{FontBook, PdfOptions, pdf};

const LANGS: [&str; 6] = ["en", "fr", "es", "ru", "zh", "ar"];

fn source(lang: &str) -> String {
    std::fs::read_to_string(format!("examples/un-languages/{lang}.md")).expect("example exists")
}

fn read(path: &str, text: &str) -> Document {
    let (doc, diags) = communique::markdown::read(
        Path::new(path),
        text,
        &communique::markdown::ReadOptions::default(),
    );
    for d in &diags {
        eprintln!("{d}");
    }
    doc.expect("the statement reads")
}

fn example(lang: &str) -> Document {
    read(&format!("examples/un-languages/{lang}.md"), &source(lang))
}

/// The book a build of `doc` uses: bundled faces plus system fonts for what they lack.
fn book_for(doc: &Document) -> Arc<FontBook> {
    with_system_fonts(FontBook::bundled(), doc.source.text(), &doc.meta.lang)
}

/// Whether the text of `doc` is covered; when not (no CJK font here), skip with a notice or
/// fail under `COMMUNIQUE_REQUIRE_VALIDATORS=1`.
fn covered_or_skip(doc: &Document, what: &str) -> bool {
    let book = book_for(doc);
    let missing = uncovered(&book, doc.source.text());
    if missing.is_empty() {
        return true;
    }
    if required() {
        panic!("{what}: no font covers {missing:?} (install fonts-noto-cjk)");
    }
    eprintln!("SKIPPED: {what}: no font covers {missing:?}; install fonts-noto-cjk");
    false
}

fn write_pdf(lang: &str, doc: &Document) -> PathBuf {
    let r = pdf(doc, &PdfOptions::default()).expect("pdf builds");
    let dir = std::env::temp_dir().join(format!("communique-langs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(format!("{lang}.pdf"));
    std::fs::write(&p, r.bytes).expect("write pdf");
    p
}

/// Lines of the laid-out pages as (y, x, text) runs, for looking at order and position.
fn runs(doc: &Document) -> Vec<(f32, f32, String)> {
    let book = book_for(doc);
    let mut diags = Vec::new();
    let laid = lay_out(doc, &book, &PdfOptions::default(), &mut diags);
    let mut out = Vec::new();
    for page in &laid.pages {
        for p in &page.items {
            if let Item::Text(run) = &p.item {
                for g in &run.glyphs {
                    out.push((run.y, run.x + g.x, g.text.to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn no_glyph_is_notdef_in_any_language() {
    for lang in LANGS {
        let doc = example(lang);
        if !covered_or_skip(&doc, lang) {
            continue;
        }
        let book = book_for(&doc);
        let mut diags = Vec::new();
        let laid = lay_out(&doc, &book, &PdfOptions::default(), &mut diags);
        for d in &diags {
            assert!(!d.to_string().contains("no available font"), "{lang}: {d}");
        }
        let mut glyphs = 0;
        for page in &laid.pages {
            for p in &page.items {
                if let Item::Text(run) = &p.item {
                    for g in &run.glyphs {
                        glyphs += 1;
                        assert_ne!(g.gid, 0, "{lang}: .notdef for {:?}", g.text);
                    }
                }
            }
        }
        assert!(glyphs > 300, "{lang}: {glyphs} glyphs");
    }
}

#[test]
fn the_statement_needs_no_system_fonts() {
    let text = include_str!("../../content/us-upr-review.md");
    let book = FontBook::bundled();
    assert!(uncovered(&book, text).is_empty());
    assert!(Arc::ptr_eq(
        &with_system_fonts(book.clone(), text, "en-US"),
        &book
    ));
}

#[test]
fn furniture_speaks_the_language() {
    let expect = [
        (
            "en",
            ["FOR IMMEDIATE RELEASE", "November 27, 2026", "Page 1 of 1"],
        ),
        (
            "fr",
            [
                "POUR DIFFUSION IMMÉDIATE",
                "27 novembre 2026",
                "Page 1 sur 1",
            ],
        ),
        (
            "es",
            [
                "PARA DIFUSIÓN INMEDIATA",
                "27 de noviembre de 2026",
                "Página 1 de 1",
            ],
        ),
        (
            "ru",
            [
                "ДЛЯ НЕМЕДЛЕННОЙ ПУБЛИКАЦИИ",
                "27 ноября 2026",
                "Страница 1 из 1",
            ],
        ),
    ];
    for (lang, words) in expect {
        let doc = example(lang);
        let text: String = runs(&doc).into_iter().map(|r| r.2).collect();
        for w in words {
            let w: String = w.split_whitespace().collect();
            let t: String = text.split_whitespace().collect();
            assert!(t.contains(&w), "{lang}: {w} missing");
        }
    }
}

#[test]
fn french_spacing_is_kept_as_typed() {
    let doc = example("fr");
    let text: String = runs(&doc).into_iter().map(|r| r.2).collect();
    let typed = source("fr").matches('\u{202F}').count();
    assert!(typed > 0);
    assert_eq!(text.matches('\u{202F}').count(), typed, "{text}");
}

#[test]
fn arabic_reads_right_to_left_with_latin_names_in_order() {
    let doc = example("ar");
    let rs = runs(&doc);
    // "Maria Example" in the quote: one line, "Maria" left of "Example".
    let on_line = |y: f32, word: &str| -> Option<f32> {
        let line: Vec<&(f32, f32, String)> = rs.iter().filter(|r| r.0 == y).collect();
        let text: String = line.iter().map(|r| r.2.as_str()).collect();
        let at = text.find(word)?;
        let mut acc = 0;
        for r in &line {
            if acc == at {
                return Some(r.1);
            }
            acc += r.2.len();
        }
        None
    };
    let ys: Vec<f32> = rs
        .iter()
        .filter(|r| r.2 == "M")
        .map(|r| r.0)
        .collect::<Vec<_>>();
    let mut found = false;
    for y in ys {
        if let (Some(m), Some(e)) = (on_line(y, "Maria"), on_line(y, "Example"))
            && m < e
        {
            found = true;
        }
    }
    assert!(found, "Maria Example not in reading order");
    // The first body line: Arabic begins at the right margin.
    let right = rs
        .iter()
        .filter(|r| r.2.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)))
        .map(|r| r.1)
        .fold(0.0f32, f32::max);
    assert!(right > 450.0, "Arabic text ends at {right}");
    // Digits keep their order: "193" comes out as one left-to-right number.
    let text: String = rs.iter().map(|r| r.2.as_str()).collect();
    assert!(text.contains("193"));
}

#[test]
fn hyphenation_follows_the_language() {
    use communique::pdf::hyphenate::language;
    for l in ["en", "fr", "es", "ru"] {
        assert!(language(l).is_some(), "{l}");
    }
    for l in ["zh", "ar", "ja"] {
        assert!(language(l).is_none(), "{l}");
    }
}

fn pdftotext(p: &Path) -> Option<String> {
    let o = tool("pdftotext", &[p.to_str()?, "-"])?;
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

/// Text without whitespace, line-end hyphens, bidi controls or Arabic tatweel.
fn squash(s: &str) -> String {
    s.replace("-\n", "")
        .replace("\u{00AD}", "")
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{0640}'
                )
        })
        .collect()
}

/// The first paragraph of the body, without its Markdown.
fn first_paragraph(src: &str) -> String {
    let body = src.splitn(3, "---\n").nth(2).expect("front matter");
    body.trim().split("\n\n").next().unwrap_or("").to_string()
}

#[test]
fn pdf_text_comes_back_in_logical_order() {
    for lang in LANGS {
        let doc = example(lang);
        if !covered_or_skip(&doc, lang) {
            continue;
        }
        let p = write_pdf(lang, &doc);
        let Some(text) = pdftotext(&p) else { return };
        let got = squash(&text);
        let para = first_paragraph(&source(lang));
        if lang == "ar" {
            // pdftotext reorders mixed runs itself: check each Arabic word comes back whole.
            for w in para.split_whitespace() {
                let w: String = w
                    .chars()
                    .filter(|c| ('\u{0621}'..='\u{065F}').contains(c))
                    .collect();
                if !w.is_empty() {
                    assert!(got.contains(&w), "ar: {w} missing");
                }
            }
        } else {
            assert!(got.contains(&squash(&para)), "{lang}: {para}\n---\n{text}");
        }
    }
}

#[test]
fn fonts_are_embedded_and_subset() {
    for lang in LANGS {
        let doc = example(lang);
        if !covered_or_skip(&doc, lang) {
            continue;
        }
        let p = write_pdf(&format!("fonts-{lang}"), &doc);
        let Some(o) = tool("pdffonts", &[p.to_str().expect("utf-8 path")]) else {
            return;
        };
        let out = String::from_utf8_lossy(&o.stdout);
        let rows: Vec<&str> = out.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{out}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            assert!(n >= 6, "{row}");
            assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{lang}: {row}");
        }
    }
}

#[test]
fn chinese_lines_obey_the_prohibitions() {
    let doc = example("zh");
    if !covered_or_skip(&doc, "zh") {
        return;
    }
    let rs = runs(&doc);
    let mut ys: Vec<f32> = rs.iter().map(|r| r.0).collect();
    ys.sort_by(f32::total_cmp);
    ys.dedup();
    let mut lines = 0;
    for y in ys {
        let mut line: Vec<&(f32, f32, String)> = rs.iter().filter(|r| r.0 == y).collect();
        line.sort_by(|a, b| a.1.total_cmp(&b.1));
        let text: String = line.iter().map(|r| r.2.as_str()).collect();
        let text = text.trim();
        if let Some(first) = text.chars().next() {
            lines += 1;
            assert!(
                !"，。、」）：；！？》".contains(first),
                "starts with {first}: {text}"
            );
        }
        if let Some(last) = text.chars().last() {
            assert!(!"「（《".contains(last), "ends with {last}: {text}");
        }
    }
    assert!(lines > 10);
}

#[test]
fn mixed_scripts_never_lose_characters() {
    let text = "---\ntitle: Mixed\nlang: en\n---\n\nLatin and Ελληνικά, עברית, हिन्दी, ภาษาไทย, ქართული and 🌍 emoji, with digits 193 and العربية.\n";
    let doc = read("mixed.md", text);
    let r = pdf(&doc, &PdfOptions::default()).expect("builds");
    let book = book_for(&doc);
    let missing = uncovered(&book, doc.source.text());
    let warnings: Vec<String> = r.diagnostics.iter().map(|d| d.to_string()).collect();
    for c in &missing {
        let code = format!("U+{:04X}", *c as u32);
        assert!(
            warnings.iter().any(|w| w.contains(&code)),
            "{code} not named: {warnings:?}"
        );
    }
    let p = write_pdf("mixed", &doc);
    let Some(out) = pdftotext(&p) else { return };
    let got = squash(&out);
    for w in ["Ελληνικά", "193", "Latin"] {
        assert!(got.contains(w), "{w} missing: {out}");
    }
    // Every character the fonts cover comes back (in some order: pdftotext reorders
    // right-to-left runs and may split clusters).
    let body = "LatinandΕλληνικά,עברית,हिन्दी,ภาษาไทย,ქართულიand🌍emoji,withdigits193andالعربية.";
    for c in body.chars() {
        if missing.contains(&c) {
            continue;
        }
        assert!(got.contains(c), "{c} (U+{:04X}) lost: {out}", c as u32);
    }
}

/// Issue 16: Chinese bold is set in the bold CJK face, headings in the sans CJK face (the
/// theme's `headings` family is Noto Sans), emphasis upright in the body face — as a Chinese
/// typesetter pairs them — and `pdffonts` lists those faces embedded.
#[test]
fn chinese_bold_and_headings_have_their_own_faces() {
    let path = "tests/fixtures/languages/zh-bold.md";
    let doc = read(path, &std::fs::read_to_string(path).expect("fixture"));
    if !covered_or_skip(&doc, "zh-bold") {
        return;
    }
    let book = book_for(&doc);
    let mut diags = Vec::new();
    let laid = lay_out(&doc, &book, &PdfOptions::default(), &mut diags);
    let face_of = |s: &str| -> String {
        let first = s.chars().next().expect("text");
        for page in &laid.pages {
            for p in &page.items {
                if let Item::Text(run) = &p.item
                    && run.glyphs.iter().any(|g| g.text.starts_with(first))
                {
                    let text: String = run.glyphs.iter().map(|g| g.text.to_string()).collect();
                    if text.contains(s) {
                        return book.face(run.face).name.clone();
                    }
                }
            }
        }
        panic!("{s} not found");
    };
    let bold = face_of("加粗文字");
    assert!(bold.contains("SerifCJK") && bold.contains("Bold"), "{bold}");
    let heading = face_of("主要特性");
    assert!(heading.contains("SansCJK"), "{heading}");
    let emphasis = face_of("强调的文字");
    assert!(
        emphasis.contains("SerifCJK") && !emphasis.contains("Bold"),
        "{emphasis}"
    );
    let body = face_of("社区将继续");
    assert!(
        body.contains("SerifCJKSC") && !body.contains("Bold"),
        "{body}"
    );

    let p = write_pdf("zh-bold", &doc);
    let Some(o) = tool("pdffonts", &[p.to_str().expect("utf-8 path")]) else {
        return;
    };
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("NotoSerifCJKsc-Bold"), "{out}");
    assert!(out.contains("NotoSansCJKsc-"), "{out}");
}
