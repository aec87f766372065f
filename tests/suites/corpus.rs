//! Real documents written by other people (issue 14): `tests/corpus/<name>/<name>.md` with their
//! images, from public, permissively licensed repositories (sources and licences in
//! `tests/corpus/README.md`). Each is published as a new user would, with the built binary
//! (`communique build -f pdf,epub,html`), and every output is measured against the SOURCE, not
//! against a stored expected output:
//!
//! - the build exits 0 and prints no error;
//! - every word of the body (read from the Markdown with pulldown-cmark: text and code, not raw
//!   HTML, not URLs, not image alt text) is in the PDF's text (`pdftotext`), in the EPUB's
//!   XHTML and in the HTML page, as often as the source has it;
//! - every image the source references is in the PDF (a Figure in `pdfinfo -struct-text`, and
//!   for raster images an image in `pdfimages -list`), and an `<img>` in the EPUB and the page;
//! - EPUBCheck finds 0 errors and 0 warnings, `qpdf --check` finds nothing;
//! - every warning has a `path:line:col`, and none is printed twice.
//!
//! Each document is its own test; a test runs every check and then fails once, listing all that
//! failed. A missing validator skips its check with a notice, unless
//! `COMMUNIQUE_REQUIRE_VALIDATORS=1`. A document that fails is a failing test: none is ignored.

use crate::common;

use common::unzip;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

/// Every document folder under `tests/corpus/`; [`every_corpus_folder_has_a_test`] keeps this
/// list and the folders in step.
const DOCUMENTS: &[&str] = &[
    "answer-alc-hangzhou",
    "check-cfg",
    "codegouvfr-ospo",
    "i128-layout",
    "rfc-3606",
    "rfc-3691",
    "ropensci-champions-es",
    "ropensci-localization-guide",
    "ropensci-unconf18-es",
    "rust-1-87-0",
    "rust-at-two-years",
    "rust-survey-2017",
    "volksentscheid-sammelstart",
];

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

// ----- the source -----

/// What the source says: its body words (in order, repeated as often as written) and the
/// destinations of the images it references.
struct Source {
    words: Vec<String>,
    images: Vec<String>,
    /// The kinds of the GitHub alerts (`> [!NOTE]` …), upper case.
    alerts: Vec<String>,
}

fn read_source(md: &str) -> Source {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SUPERSCRIPT
        | Options::ENABLE_SUBSCRIPT
        | Options::ENABLE_GFM
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut text = String::new();
    let mut images = Vec::new();
    let mut alerts = Vec::new();
    // Inside an image (alt text) or the front matter.
    let mut skip = 0usize;
    // For each open link: whether it is an autolink (its text is its URL).
    let mut links: Vec<bool> = Vec::new();
    for ev in Parser::new_ext(md, opts) {
        match ev {
            Event::Start(Tag::Image { dest_url, .. }) => {
                images.push(dest_url.to_string());
                skip += 1;
            }
            Event::Start(Tag::MetadataBlock(_)) => skip += 1,
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                alerts.push(format!("{kind:?}").to_uppercase());
                text.push(' ');
            }
            Event::End(TagEnd::Image) | Event::End(TagEnd::MetadataBlock(_)) => skip -= 1,
            Event::Start(Tag::Link { link_type, .. }) => {
                links.push(matches!(link_type, LinkType::Autolink | LinkType::Email));
            }
            Event::End(TagEnd::Link) => {
                links.pop();
            }
            Event::Text(t) | Event::Code(t) if skip == 0 && !links.iter().any(|a| *a) => {
                text.push_str(&t)
            }
            // A footnote mark is set as its number, apart from the word it follows.
            Event::SoftBreak | Event::HardBreak | Event::FootnoteReference(_) => text.push(' '),
            // Inline spans join their text to the words around them.
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript,
            )
            | Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            // Block boundaries separate words.
            Event::Start(_) | Event::End(_) | Event::Rule => text.push(' '),
            _ => {}
        }
    }
    let words = text
        .split_whitespace()
        .filter(|w| !w.contains("://") && !w.starts_with("www."))
        .map(squash)
        .filter(|w| !w.is_empty())
        .collect();
    Source {
        words,
        images,
        alerts,
    }
}

/// The front matter's `title` as written (YAML `title: …` or TOML `title = …`, quotes removed),
/// when the document has one.
fn raw_title(md: &str) -> Option<String> {
    let fence = md.lines().next()?.trim_end();
    if fence != "---" && fence != "+++" {
        return None;
    }
    let line = md
        .lines()
        .skip(1)
        .take_while(|l| l.trim_end() != fence)
        .find(|l| l.starts_with("title"))?;
    let value = line["title".len()..].trim_start();
    let value = value.strip_prefix([':', '='])?.trim();
    Some(if let Some(v) = value.strip_prefix('"') {
        v.rsplit_once('"')?
            .0
            .replace("\\\"", "\"")
            .replace("\\\\", "\\")
    } else if let Some(v) = value.strip_prefix('\'') {
        v.rsplit_once('\'')?.0.replace("''", "'")
    } else {
        value.to_string()
    })
}

/// A front-matter string read as inline Markdown, as pandoc reads it: its plain text.
fn plain_inline(s: &str) -> String {
    let mut out = String::new();
    for ev in Parser::new_ext(s, Options::ENABLE_STRIKETHROUGH) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Text without what typesetting is free to change: white space and line breaks of every kind,
/// hyphens and dashes (hyphenation at line ends; `--` set as an en dash), ligatures, curly or
/// straight quotes, the ellipsis.
fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            c if c.is_whitespace() => {}
            '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}' => {}
            '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' => {}
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => out.push('"'),
            '\u{2026}' => out.push_str("..."),
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            c => out.push(c),
        }
    }
    out
}

/// The source's words that `output` (squashed) lacks, or has fewer times than the source:
/// `(word, times in the source, times in the output)`.
fn missing_words(src: &Source, output: &str) -> Vec<(String, usize, usize)> {
    let have = squash(output);
    let mut want: BTreeMap<&str, usize> = BTreeMap::new();
    for w in &src.words {
        *want.entry(w.as_str()).or_default() += 1;
    }
    want.into_iter()
        .filter_map(|(w, n)| {
            let got = have.matches(w).count();
            (got < n).then(|| (w.to_string(), n, got))
        })
        .collect()
}

/// Markup of the source that must not reach an output's text: GitHub alert markers, and a
/// front-matter title as written when it has Markdown or entities.
fn report_raw_markup(
    fails: &mut Vec<String>,
    what: &str,
    src: &Source,
    title: Option<&(String, String)>,
    output: &str,
) {
    let have = squash(output).to_uppercase();
    let kinds: std::collections::BTreeSet<&String> = src.alerts.iter().collect();
    for kind in kinds {
        let marker = format!("[!{kind}]");
        if have.contains(&marker) {
            fails.push(format!(
                "{what}: the GitHub alert marker `{marker}` printed as text"
            ));
        }
    }
    if let Some((raw, _)) = title
        && squash(output).contains(&squash(raw))
    {
        fails.push(format!("{what}: the title printed as written, `{raw}`"));
    }
}

fn report_missing(fails: &mut Vec<String>, what: &str, src: &Source, output: &str) {
    let missing = missing_words(src, output);
    if missing.is_empty() {
        return;
    }
    let shown: Vec<String> = missing
        .iter()
        .take(15)
        .map(|(w, n, got)| format!("`{w}` ({got} of {n})"))
        .collect();
    fails.push(format!(
        "{what}: {} of {} distinct source words missing or too few, e.g. {}",
        missing.len(),
        src.words
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        shown.join(", ")
    ));
}

/// Whether the image file a destination names is a raster image (not SVG).
fn is_raster(dir: &Path, dest: &str) -> bool {
    let path = dir.join(percent_decode(dest));
    match std::fs::read(&path) {
        Ok(bytes) => {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
            !(head.contains("<svg") || head.trim_start().starts_with("<?xml"))
        }
        Err(_) => true,
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = (b[i] == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let Some(v) = hex {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ----- the outputs -----

/// The text of an (X)HTML document: tags removed, entities decoded.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        out.push(' ');
        let after = &rest[lt..];
        // Skip the contents of <style> and <script>.
        let end_tag = ["style", "script"].iter().find_map(|t| {
            after
                .get(1..=t.len())
                .filter(|n| n.eq_ignore_ascii_case(t))
                .map(|_| format!("</{t}>"))
        });
        rest = match end_tag.and_then(|e| after.find(&e).map(|i| i + e.len())) {
            Some(i) => &after[i..],
            None => match after.find('>') {
                Some(gt) => &after[gt + 1..],
                None => "",
            },
        };
    }
    out.push_str(&decode_entities(rest));
    out
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let name = &after[1..semi];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{A0}'),
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

// ----- the checks -----

/// `path:line:col: ` right after `warning: `.
fn has_position(rest: &str, path: &str) -> bool {
    let Some(after) = rest.strip_prefix(path).and_then(|r| r.strip_prefix(':')) else {
        return false;
    };
    let mut parts = after.splitn(3, ':');
    let line = parts.next().unwrap_or("");
    let col = parts.next().unwrap_or("");
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(line) && digits(col) && parts.next().is_some()
}

fn check(name: &str) {
    let dir = corpus().join(name);
    let file = format!("{name}.md");
    let md = std::fs::read_to_string(dir.join(&file)).expect("the document");
    let src = read_source(&md);
    assert!(
        src.words.len() > 50,
        "{name}: too few words read from the source"
    );
    let raster = src.images.iter().filter(|d| is_raster(&dir, d)).count();
    // A title with Markdown or entities: `(as written, its plain text)`.
    let title = raw_title(&md)
        .map(|raw| (plain_inline(&raw), raw))
        .filter(|(plain, raw)| plain != raw.trim())
        .map(|(plain, raw)| (raw, plain));

    let out = common::scratch("corpus", name);
    let run = Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(["build", "-f", "pdf,epub,html", "-o"])
        .arg(&*out)
        .arg(&file)
        .current_dir(&dir)
        .env("SOURCE_DATE_EPOCH", "1795800000")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    let mut fails: Vec<String> = Vec::new();

    // Exit status and errors.
    if run.status.code() != Some(0) {
        fails.push(format!("exit status {:?}, not 0", run.status.code()));
    }
    for l in stderr.lines().filter(|l| l.starts_with("error")) {
        fails.push(format!("printed {l}"));
    }

    // Warnings: each with its position, each once.
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for l in stderr.lines().filter(|l| l.starts_with("warning: ")) {
        *seen.entry(l).or_default() += 1;
        if !has_position(&l["warning: ".len()..], &file) {
            fails.push(format!("warning without path:line:col: {l}"));
        }
    }
    for (l, n) in seen.iter().filter(|(_, n)| **n > 1) {
        fails.push(format!("warning printed {n} times: {l}"));
    }

    let pdf = out.join(format!("{name}.pdf"));
    let epub = out.join(format!("{name}.epub"));
    let html = out.join(format!("{name}.html"));

    // The PDF.
    if !pdf.exists() {
        fails.push("no PDF written".into());
    } else {
        if let Some(text) = common::pdftotext(&pdf, &[]) {
            report_missing(&mut fails, "PDF text (pdftotext)", &src, &text);
            report_raw_markup(&mut fails, "PDF text", &src, title.as_ref(), &text);
        }
        if let Some((raw, plain)) = &title
            && let Some(o) = common::tool("pdfinfo", &[pdf.to_str().unwrap()])
        {
            let info = String::from_utf8_lossy(&o.stdout);
            let got = info
                .lines()
                .find_map(|l| l.strip_prefix("Title:"))
                .map(str::trim)
                .unwrap_or("");
            if got != plain {
                fails.push(format!(
                    "PDF /Title is `{got}`, not the plain text `{plain}` of `{raw}`"
                ));
            }
        }
        if let Some(o) = common::tool("pdfinfo", &["-struct-text", pdf.to_str().unwrap()]) {
            let s = String::from_utf8_lossy(&o.stdout);
            let figures = s.lines().filter(|l| l.trim() == "Figure:").count();
            if figures < src.images.len() {
                fails.push(format!(
                    "PDF: {figures} Figure elements in the structure tree, the source has {} images",
                    src.images.len()
                ));
            }
        }
        if let Some(o) = common::tool("pdfimages", &["-list", pdf.to_str().unwrap()]) {
            let s = String::from_utf8_lossy(&o.stdout);
            let images = s
                .lines()
                .skip(2)
                .filter(|l| l.split_whitespace().nth(2) == Some("image"))
                .count();
            if images < raster {
                fails.push(format!(
                    "PDF: {images} images in pdfimages -list, the source has {raster} raster images"
                ));
            }
        }
        if let Some(o) = common::tool("qpdf", &["--check", pdf.to_str().unwrap()]) {
            let s = String::from_utf8_lossy(&o.stdout);
            let e = String::from_utf8_lossy(&o.stderr);
            if !o.status.success()
                || !s.contains("No syntax or stream encoding errors")
                || !e.trim().is_empty()
            {
                fails.push(format!("qpdf --check: {}{}", s.trim(), e.trim()));
            }
        }
    }

    // The EPUB.
    if !epub.exists() {
        fails.push("no EPUB written".into());
    } else {
        let bytes = std::fs::read(&epub).unwrap();
        let book = unzip(&bytes);
        let mut text = String::new();
        let mut imgs = 0;
        for (n, data) in &book {
            if n.ends_with(".xhtml") && !n.ends_with("cover.xhtml") {
                let x = String::from_utf8_lossy(data);
                text.push_str(&html_text(&x));
                text.push(' ');
                if !n.ends_with("nav.xhtml") {
                    imgs += x.matches("<img").count();
                }
            }
        }
        report_missing(&mut fails, "EPUB text", &src, &text);
        report_raw_markup(&mut fails, "EPUB text", &src, title.as_ref(), &text);
        if let Some((raw, plain)) = &title {
            let opf = book
                .iter()
                .find(|(n, _)| n.ends_with(".opf"))
                .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
                .unwrap_or_default();
            let got = opf
                .split("<dc:title")
                .nth(1)
                .and_then(|t| t.split_once('>'))
                .and_then(|(_, t)| t.split_once("</dc:title>"))
                .map(|(t, _)| decode_entities(t))
                .unwrap_or_default();
            if got != *plain {
                fails.push(format!(
                    "EPUB dc:title is `{got}`, not the plain text `{plain}` of `{raw}`"
                ));
            }
        }
        if imgs < src.images.len() {
            fails.push(format!(
                "EPUB: {imgs} <img> elements, the source has {} images",
                src.images.len()
            ));
        }
        if let Some((false, report)) = common::epubcheck(&epub) {
            let lines: Vec<&str> = report
                .lines()
                .filter(|l| l.contains("ERROR") || l.contains("WARNING"))
                .take(10)
                .collect();
            fails.push(format!("EPUBCheck: {}", lines.join(" | ")));
        }
    }

    // The HTML page.
    if !html.exists() {
        fails.push("no HTML page written".into());
    } else {
        let page = std::fs::read_to_string(&html).unwrap();
        let text = html_text(&page);
        report_missing(&mut fails, "HTML text", &src, &text);
        report_raw_markup(&mut fails, "HTML text", &src, title.as_ref(), &text);
        let imgs = page.matches("<img").count();
        if imgs < src.images.len() {
            fails.push(format!(
                "HTML: {imgs} <img> elements, the source has {} images",
                src.images.len()
            ));
        }
    }

    assert!(
        fails.is_empty(),
        "tests/corpus/{name}/{file}: {} checks failed:\n- {}\n(stderr of the build:\n{stderr})",
        fails.len(),
        fails.join("\n- ")
    );
}

#[test]
fn every_corpus_folder_has_a_test() {
    let mut folders: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(folders, DOCUMENTS, "tests/corpus/ and DOCUMENTS differ");
    for d in DOCUMENTS {
        let mds: Vec<_> = std::fs::read_dir(corpus().join(d))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(mds, [format!("{d}.md")], "{d}: one {d}.md and nothing else");
    }
}

#[test]
fn the_source_reader_skips_front_matter_alt_text_html_and_urls() {
    let src = read_source(
        "---\ntitle: Not a body word\n---\n\nOne *two* `three` <span>four</span>\n\n\
         ![alt words](x.png) <https://example.org> see https://example.org/a five--six.\n\n\
         <div>\nhidden\n</div>\n",
    );
    assert_eq!(
        src.words,
        ["One", "two", "three", "four", "see", "fivesix."],
        "{:?}",
        src.words
    );
    assert_eq!(src.images, ["x.png"]);
    // Typesetting may hyphenate, break lines, set quotes and ligatures.
    let missing = missing_words(&src, "One two three four\nsee ﬁve–\nsix. “x”");
    assert!(missing.is_empty(), "{missing:?}");
    let missing = missing_words(&src, "One two four see fivesix.");
    assert_eq!(missing, [("three".to_string(), 1, 0)]);
}

#[test]
fn front_matter_titles_are_read_as_written() {
    let toml = "+++\npath = \"x\"\ntitle = \"Changes to `u128`/`i128`\"\n+++\n\nBody.\n";
    let raw = raw_title(toml).unwrap();
    assert_eq!(raw, "Changes to `u128`/`i128`");
    assert_eq!(plain_inline(&raw), "Changes to u128/i128");
    let yaml = "---\ntitle: 'It''s *here*&nbsp;:'\n---\nBody.\n";
    let raw = raw_title(yaml).unwrap();
    assert_eq!(raw, "It's *here*&nbsp;:");
    assert_eq!(plain_inline(&raw), "It's here\u{a0}:");
    assert_eq!(raw_title("No front matter.\n"), None);
}

#[test]
fn alerts_are_read_with_their_kind() {
    let src = read_source("> [!NOTE]\n> Mind the gap.\n\n> [!Caution]\n> Hot.\n");
    assert_eq!(src.alerts, ["NOTE", "CAUTION"]);
    assert_eq!(src.words, ["Mind", "the", "gap.", "Hot."]);
}

#[test]
fn html_text_decodes_entities_and_drops_styles() {
    let t = html_text("<style>p{x}</style><p>a&amp;b&#233;&#x4E2D;&nbsp;c</p><img src=x>");
    assert_eq!(t.split_whitespace().collect::<Vec<_>>(), ["a&bé中", "c"]);
    assert_eq!(
        percent_decode("Open%20Discussion.jpeg"),
        "Open Discussion.jpeg"
    );
}

// ----- one test per document -----

#[test]
fn answer_alc_hangzhou() {
    check("answer-alc-hangzhou");
}

#[test]
fn check_cfg() {
    check("check-cfg");
}

#[test]
fn codegouvfr_ospo() {
    check("codegouvfr-ospo");
}

#[test]
fn i128_layout() {
    check("i128-layout");
}

#[test]
fn rfc_3606() {
    check("rfc-3606");
}

#[test]
fn rfc_3691() {
    check("rfc-3691");
}

#[test]
fn ropensci_champions_es() {
    check("ropensci-champions-es");
}

#[test]
fn ropensci_localization_guide() {
    check("ropensci-localization-guide");
}

#[test]
fn ropensci_unconf18_es() {
    check("ropensci-unconf18-es");
}

#[test]
fn rust_1_87_0() {
    check("rust-1-87-0");
}

#[test]
fn rust_at_two_years() {
    check("rust-at-two-years");
}

#[test]
fn rust_survey_2017() {
    check("rust-survey-2017");
}

#[test]
fn volksentscheid_sammelstart() {
    check("volksentscheid-sammelstart");
}
