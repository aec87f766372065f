//! Issue 14, item 2: emoji and symbols never stop a build. Through the binary, with the
//! system's fonts (Debian's `fonts-noto-color-emoji`: colour emoji as Type 3 fonts of
//! images) and with `--no-system-fonts` (the bundled monochrome Noto Emoji), read back with
//! poppler, qpdf, lopdf, `pdfua` and `outloud`. A missing tool or colour emoji font skips with
//! a notice, unless `COMMUNIQUE_REQUIRE_VALIDATORS=1`, where it fails.

use crate::common;

use common::{required, scratch, tool};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lopdf::{Dictionary, Object};

/// The six emoji of the issue: a single code point, a flag, a ZWJ family, a keycap, a skin
/// tone, and a ZWJ sequence with a presentation selector.
const EMOJI: [&str; 6] = [
    "🎉",
    "🇺🇳",
    "👨\u{200D}👩\u{200D}👧",
    "1\u{FE0F}\u{20E3}",
    "✊🏽",
    "🏳\u{FE0F}\u{200D}🌈",
];

/// Where Debian's fonts-noto-color-emoji puts its font.
const COLOR_FONT: &str = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";

fn statement(body: &str) -> String {
    format!(
        "---\ntitle: Anniversary\norganization: Example Alliance\ndate: 2026-11-27\n---\n\n{body}\n"
    )
}

/// `communique build` of `md` (written as `dir/name.md`) into `dir/out`.
fn build(dir: &Path, name: &str, md: &str, args: &[&str]) -> (Output, PathBuf) {
    let input = dir.join(format!("{name}.md"));
    std::fs::write(&input, md).unwrap();
    let out_dir = dir.join("out");
    let out = Command::new(env!("CARGO_BIN_EXE_communique"))
        .arg("build")
        .args(args)
        .arg("-o")
        .arg(&out_dir)
        .arg(&input)
        .env("SOURCE_DATE_EPOCH", "1795800000")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    (out, out_dir)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn warnings(o: &Output) -> Vec<String> {
    stderr(o)
        .lines()
        .filter(|l| l.starts_with("warning"))
        .map(str::to_string)
        .collect()
}

fn color_font_or_skip(what: &str) -> bool {
    if Path::new(COLOR_FONT).exists() {
        return true;
    }
    if required() {
        panic!("{what}: {COLOR_FONT} is required (install fonts-noto-color-emoji)");
    }
    eprintln!("SKIPPED: {what}: no colour emoji font; install fonts-noto-color-emoji");
    false
}

/// Every font of the PDF is embedded (`pdffonts`: the `emb` column says yes).
fn all_fonts_embedded(pdf: &Path) {
    let Some(o) = tool("pdffonts", &[pdf.to_str().unwrap()]) else {
        return;
    };
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let rows: Vec<&str> = text.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{text}");
    for row in rows {
        // name, type (one or two words), encoding, emb, sub, uni, object id.
        let cols: Vec<&str> = row.split_whitespace().collect();
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "{}: not embedded: {row}", pdf.display());
    }
}

/// The Type 3 fonts of a PDF.
fn type3_fonts(doc: &lopdf::Document) -> Vec<&Dictionary> {
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Subtype").ok() == Some(&Object::Name(b"Type3".to_vec())))
        .collect()
}

fn deref<'a>(doc: &'a lopdf::Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap(),
        o => o,
    }
}

/// The image XObjects (with whether each has an SMask) a Type 3 font's glyphs draw.
fn glyph_images(doc: &lopdf::Document, font: &Dictionary) -> Vec<bool> {
    let Ok(res) = font.get(b"Resources") else {
        return Vec::new();
    };
    let res = deref(doc, res).as_dict().unwrap();
    let Ok(xo) = res.get(b"XObject") else {
        return Vec::new();
    };
    deref(doc, xo)
        .as_dict()
        .unwrap()
        .iter()
        .map(|(_, v)| {
            let s = deref(doc, v).as_stream().unwrap();
            assert_eq!(
                s.dict.get(b"Subtype").unwrap(),
                &Object::Name(b"Image".to_vec())
            );
            s.dict.get(b"SMask").is_ok()
        })
        .collect()
}

/// Whether a page rendered by pdftoppm has colour (a pixel whose channels differ widely).
fn has_colour(pdf: &Path, dir: &Path) -> Option<bool> {
    let prefix = dir.join("page");
    tool(
        "pdftoppm",
        &[
            "-r",
            "60",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    )?;
    let img = image::open(dir.join("page.png")).unwrap().to_rgb8();
    // The design's accent colour is navy; emoji have reds, yellows and greens.
    Some(img.pixels().any(|p| {
        let [r, g, b] = p.0;
        r > 150 && (r as i32 - b as i32) > 80 || g > 150 && (g as i32 - b as i32) > 80 && r < 150
    }))
}

#[test]
fn each_emoji_builds_and_reads_back_exactly() {
    let dir = scratch("emoji", "each");
    let system = Path::new(COLOR_FONT).exists();
    for (mode, args) in [
        ("system", &["-f", "pdf,epub,html"][..]),
        ("bundled", &["-f", "pdf,epub,html", "--no-system-fonts"][..]),
    ] {
        for (i, e) in EMOJI.iter().enumerate() {
            let name = format!("{mode}-{i}");
            let (o, out) = build(
                &dir,
                &name,
                &statement(&format!("We celebrate {e} today.")),
                args,
            );
            assert!(o.status.success(), "{mode} {e}: {}", stderr(&o));
            assert!(warnings(&o).is_empty(), "{mode} {e}: {:?}", warnings(&o));
            let pdf = out.join(format!("{name}.pdf"));
            if let Some(text) = common::pdftotext(&pdf, &[]) {
                assert!(
                    text.contains(&format!("We celebrate {e} today.")),
                    "{mode}: {e:?} ({}) not in\n{text}",
                    e.escape_unicode()
                );
            }
            all_fonts_embedded(&pdf);
            let doc = lopdf::Document::load(&pdf).unwrap();
            let t3 = type3_fonts(&doc);
            if mode == "bundled" || !system {
                // Monochrome: the bundled Noto Emoji, a Type 0 font like the text's.
                assert!(t3.is_empty(), "{mode} {e}: a Type 3 font");
            } else {
                // Colour: one Type 3 font whose glyph draws an image with its alpha.
                assert_eq!(t3.len(), 1, "{mode} {e}");
                assert_eq!(glyph_images(&doc, t3[0]), vec![true], "{mode} {e}");
            }
            // The EPUB and the HTML page keep the emoji as text.
            let html = std::fs::read_to_string(out.join(format!("{name}.html"))).unwrap();
            assert!(html.contains(e), "{mode}: {e:?} not in the HTML page");
            let epub = std::fs::read(out.join(format!("{name}.epub"))).unwrap();
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
            let mut found = false;
            for k in 0..zip.len() {
                let mut f = zip.by_index(k).unwrap();
                if f.name().ends_with(".xhtml") {
                    let mut s = String::new();
                    std::io::Read::read_to_string(&mut f, &mut s).unwrap();
                    found |= s.contains(e);
                }
            }
            assert!(found, "{mode}: {e:?} not in the EPUB");
        }
    }
}

/// All six in one statement, through the validators, in both modes; the colour one is in
/// colour, the bundled one is not.
#[test]
fn emoji_statement_passes_the_validators() {
    let dir = scratch("emoji", "validators");
    let body = format!(
        "We celebrate {} today, as {} did with {} and {}.\n\n## Next {}\n\n- A list {} item.\n\n| Cell {} | Two |\n|---|---|\n| {} | [link {}](https://example.org) |\n",
        EMOJI[0], EMOJI[1], EMOJI[2], EMOJI[3], EMOJI[4], EMOJI[5], EMOJI[0], EMOJI[2], EMOJI[1]
    );
    for (mode, args) in [
        ("system", &["-f", "pdf"][..]),
        ("bundled", &["-f", "pdf", "--no-system-fonts"][..]),
    ] {
        let (o, out) = build(&dir, mode, &statement(&body), args);
        assert!(o.status.success(), "{mode}: {}", stderr(&o));
        assert!(warnings(&o).is_empty(), "{mode}: {:?}", warnings(&o));
        let pdf = out.join(format!("{mode}.pdf"));
        if let Some(text) = common::pdftotext(&pdf, &[]) {
            for e in EMOJI {
                assert!(text.contains(e), "{mode}: {e:?} not in\n{text}");
            }
        }
        if let Some(report) = common::qpdf_check(&pdf) {
            assert!(!report.contains("WARNING"), "{mode}: {report}");
        }
        if let Some(o) = tool("pdfua", &["check", pdf.to_str().unwrap()]) {
            let s = String::from_utf8_lossy(&o.stdout);
            assert!(
                o.status.success() && s.contains("no findings"),
                "{mode}: {s}"
            );
        }
        if let Some(o) = tool("outloud", &[pdf.to_str().unwrap()]) {
            let s = String::from_utf8_lossy(&o.stdout);
            assert!(
                o.status.success() && s.contains(" 0 error(s)"),
                "{mode}: {s}"
            );
        }
        // The emoji are in their paragraph's marked content: the structure tree's text has
        // them (`pdfinfo -struct-text`).
        if let Some(o) = tool("pdfinfo", &["-struct-text", pdf.to_str().unwrap()]) {
            let s = String::from_utf8_lossy(&o.stdout);
            assert!(s.contains(EMOJI[0]) && s.contains(EMOJI[2]), "{mode}: {s}");
        }
        let colour = if mode == "system" {
            color_font_or_skip("colour emoji")
        } else {
            false
        };
        if let Some(c) = has_colour(&pdf, &dir) {
            assert_eq!(c, colour, "{mode}: colour on the page");
        }
    }
}

/// A symbol typed as text (`❤`) and as an emoji (`❤\u{FE0F}`) is one glyph of the emoji
/// font; each keeps its own code points, and the space after an emoji is a text space.
#[test]
fn text_and_emoji_presentation_keep_their_code_points() {
    let dir = scratch("emoji", "presentation");
    let line = "Text \u{2764} and \u{263A} and \u{A9} plain, \u{2764}\u{FE0F} emoji, \u{263A}\u{FE0F} too.";
    for (mode, args) in [
        ("system", &["-f", "pdf"][..]),
        ("bundled", &["-f", "pdf", "--no-system-fonts"][..]),
    ] {
        let (o, out) = build(&dir, mode, &statement(line), args);
        assert!(o.status.success(), "{mode}: {}", stderr(&o));
        assert!(warnings(&o).is_empty(), "{mode}: {:?}", warnings(&o));
        if let Some(text) = common::pdftotext(&out.join(format!("{mode}.pdf")), &[]) {
            assert!(text.contains(line), "{mode}: {line:?} not in\n{text:?}");
        }
    }
}

/// Same input, same bytes, with colour emoji too.
#[test]
fn emoji_statement_is_reproducible() {
    let dir = scratch("emoji", "reproducible");
    let md = statement(&EMOJI.join(" and "));
    let (o, out) = build(&dir, "a", &md, &["-f", "pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = std::fs::read(out.join("a.pdf")).unwrap();
    let (o, _) = build(&dir, "a", &md, &["-f", "pdf"]);
    assert!(o.status.success());
    assert_eq!(first, std::fs::read(out.join("a.pdf")).unwrap());
}

/// More distinct colour emoji than one Type 3 font holds (189 glyphs) take several fonts.
#[test]
fn many_colour_emoji_take_several_type3_fonts() {
    if !color_font_or_skip("many colour emoji") {
        return;
    }
    let dir = scratch("emoji", "many");
    let all: Vec<String> = (0x1F600..0x1F64Fu32)
        .chain(0x1F680..0x1F6C5)
        .chain(0x1F400..0x1F43E)
        .filter_map(char::from_u32)
        .map(String::from)
        .collect();
    let (o, out) = build(&dir, "many", &statement(&all.join(" ")), &["-f", "pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = out.join("many.pdf");
    let doc = lopdf::Document::load(&pdf).unwrap();
    let fonts = type3_fonts(&doc);
    assert!(fonts.len() >= 2, "{} Type 3 fonts", fonts.len());
    let images: usize = fonts.iter().map(|f| glyph_images(&doc, f).len()).sum();
    assert!(images >= 200, "{images} glyph images");
    if let Some(text) = common::pdftotext(&pdf, &[]) {
        for e in &all {
            assert!(text.contains(e.as_str()), "{e} not in the text");
        }
    }
}

/// A character no font covers: the PDF builds with a visible replacement glyph, the text
/// keeps the character, and one warning says where it is, what it is and what to install;
/// `--deny-warnings` makes it fail.
#[test]
fn uncovered_character_is_one_warning_with_its_place() {
    let dir = scratch("emoji", "uncovered");
    let md = statement(
        "First paragraph.\n\nThe sign \u{13000} and the private \u{E000} mark, \u{13000} again.",
    );
    let args = ["-f", "pdf,epub,html", "--no-system-fonts"];
    let (o, out) = build(&dir, "u", &md, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let w = warnings(&o);
    assert_eq!(w.len(), 1, "{w:?}");
    // Line 9 (after six lines of front matter and a paragraph), column 10: the first one.
    assert!(w[0].contains("u.md:9:10:"), "{}", w[0]);
    for part in [
        "U+13000, Egyptian Hieroglyphs",
        "U+E000, private use",
        "fonts-noto-core",
        "--font-dir",
    ] {
        assert!(w[0].contains(part), "`{part}` not in {}", w[0]);
    }
    let pdf = out.join("u.pdf");
    if let Some(text) = common::pdftotext(&pdf, &[]) {
        assert!(
            text.contains("The sign \u{13000} and the private \u{E000} mark, \u{13000} again."),
            "{text}"
        );
    }
    all_fonts_embedded(&pdf);
    let doc = lopdf::Document::load(&pdf).unwrap();
    // One Type 3 font: the replacement glyph, an outline (no image), with two codes and a
    // word space, each mapped to its own character.
    let t3 = type3_fonts(&doc);
    assert_eq!(t3.len(), 1);
    assert!(glyph_images(&doc, t3[0]).is_empty());
    let procs = deref(&doc, t3[0].get(b"CharProcs").unwrap())
        .as_dict()
        .unwrap();
    assert_eq!(procs.len(), 3);
    for (_, p) in procs.iter() {
        let s = deref(&doc, p).as_stream().unwrap();
        let content = s
            .decompressed_content()
            .unwrap_or_else(|_| s.content.clone());
        let content = String::from_utf8_lossy(&content);
        // The replacement glyph is drawn (a filled path); the space is empty.
        assert!(
            content.contains(" d1") && (content.contains("\nf") || content.contains("0 0 0 0 d1")),
            "{content}"
        );
    }
    if let Some(report) = common::qpdf_check(&pdf) {
        assert!(!report.contains("WARNING"), "{report}");
    }
    if let Some(o) = tool("pdfua", &["check", pdf.to_str().unwrap()]) {
        let s = String::from_utf8_lossy(&o.stdout);
        assert!(o.status.success() && s.contains("no findings"), "{s}");
    }
    // The EPUB and HTML keep the characters (the reader's fonts may have them).
    let html = std::fs::read_to_string(out.join("u.html")).unwrap();
    assert!(html.contains('\u{13000}') && html.contains('\u{E000}'));

    let (o, _) = build(
        &dir,
        "u",
        &md,
        &["-f", "pdf", "--no-system-fonts", "--deny-warnings"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

/// The replacement glyph is visible: the page has ink where the character stands.
#[test]
fn replacement_glyph_is_drawn() {
    let dir = scratch("emoji", "visible");
    let ink = |md: &str, name: &str| -> Option<u64> {
        let (o, out) = build(&dir, name, md, &["-f", "pdf", "--no-system-fonts"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let prefix = dir.join(name);
        tool(
            "pdftoppm",
            &[
                "-r",
                "60",
                "-gray",
                "-png",
                "-singlefile",
                out.join(format!("{name}.pdf")).to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        )?;
        let img = image::open(dir.join(format!("{name}.png")))
            .unwrap()
            .to_luma8();
        Some(img.pixels().map(|p| 255 - p.0[0] as u64).sum())
    };
    let Some(with) = ink(&statement("Mark \u{10FFFD} here."), "with") else {
        return;
    };
    let without = ink(&statement("Mark \u{0020} here."), "without").unwrap();
    assert!(with > without + 2000, "{with} vs {without}");
}
