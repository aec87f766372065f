//! EPUB and HTML backend tests: unzip the book and check what a reader and EPUBCheck see.

use crate::common;

use common::unzip;

use std::collections::{BTreeMap, HashSet};
use std::io::Cursor;
use std::path::{Path, PathBuf};

use communique::epub::{EpubOptions, bundle, epub, html};
use communique::markdown::{ReadOptions, read};
use communique::model::*;
use communique::{Diagnostic, Document, Severity};

// ----- helpers -----

fn seed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content/us-upr-review.md")
}

/// The seed statement, read by the Markdown reader.
fn seed() -> Document {
    let path = seed_path();
    let text = std::fs::read_to_string(&path).unwrap();
    let (doc, diags) = read(&path, &text, &ReadOptions::default());
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    doc.unwrap()
}

/// Reads Markdown from a string.
fn md(text: &str) -> (Document, Vec<Diagnostic>) {
    let (doc, diags) = read(Path::new("test.md"), text, &ReadOptions::default());
    (doc.unwrap_or_else(|| panic!("{diags:?}")), diags)
}

/// A document built by hand, for metadata the reader would refuse or normalise.
fn hand(title: &str, org: &str, paras: &[&str]) -> Document {
    let mut text = String::new();
    let mut blocks = Vec::new();
    for (i, p) in paras.iter().enumerate() {
        blocks.push(Block {
            id: BlockId(i as u32),
            at: text.len() as Offset,
            kind: BlockKind::Paragraph(vec![Inline::Text {
                text: p.to_string(),
                at: text.len() as Offset,
            }]),
        });
        text.push_str(p);
        text.push_str("\n\n");
    }
    Document {
        meta: Metadata {
            title: title.into(),
            organization: Some(org.into()),
            date: Some(DateTime::parse_iso("2026-11-27").unwrap()),
            dateline: Some("WASHINGTON".into()),
            ..Metadata::default()
        },
        blocks,
        footnotes: vec![],
        source: SourceMap::new("hand.md", &text),
    }
}

fn opts() -> EpubOptions {
    EpubOptions {
        source_date_epoch: Some(1_795_800_000),
        ..EpubOptions::default()
    }
}

fn files(bytes: &[u8]) -> BTreeMap<String, String> {
    unzip(bytes)
        .into_iter()
        .filter(|(n, _)| {
            ![".png", ".jpg", ".gif", ".webp", ".ttf"]
                .iter()
                .any(|x| n.ends_with(x))
        })
        .map(|(n, v)| (n, String::from_utf8(v).unwrap()))
        .collect()
}

/// Asserts that every XML file of the book is well-formed and its ids unique.
fn assert_well_formed(books: &BTreeMap<String, String>) {
    for (name, text) in books {
        if !(name.ends_with(".xhtml")
            || name.ends_with(".opf")
            || name.ends_with(".ncx")
            || name.ends_with(".xml"))
        {
            continue;
        }
        let mut r = quick_xml::Reader::from_str(text);
        let mut ids = HashSet::new();
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e)) => {
                    for a in e.attributes() {
                        let a = a.unwrap_or_else(|err| panic!("{name}: {err}"));
                        if a.key.as_ref() == "id" {
                            let v = a.value.to_string();
                            assert!(ids.insert(v.clone()), "{name}: duplicate id {v}");
                        }
                    }
                }
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed: {e}\n{text}"),
            }
        }
    }
}

/// Text content of the elements `<p>` in an XHTML string that are not of a class in `skip`
/// (tags removed, entities decoded), after dropping `<span class="dateline">…</span>`.
fn paragraphs(xhtml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xhtml;
    while let Some(i) = rest.find("<p") {
        let after = &rest[i..];
        let gt = after.find('>').unwrap();
        let tag = &after[..gt];
        let end = after.find("</p>").unwrap();
        let inner = &after[gt + 1..end];
        rest = &after[end + 4..];
        if tag != "<p" {
            continue;
        }
        let inner = match inner.find("</span>") {
            Some(j) if inner.starts_with("<span class=\"dateline\">") => &inner[j + 7..],
            _ => inner,
        };
        out.push(strip_tags(inner));
    }
    out
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn warnings(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.to_string())
        .collect()
}

/// Every statement in `content/` and `examples/` (recursively), read by the reader.
fn all_statements() -> Vec<Document> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    walk(&root.join("content"), &mut paths);
    walk(&root.join("examples"), &mut paths);
    paths.sort();
    paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            read(p, &text, &ReadOptions::default()).0
        })
        .collect()
}

/// A document with every construct the model has.
const EVERYTHING: &str = r#"---
title: "Everything: <tags> & “quotes”"
subtitle: A test of every construct
organization: Example & Co
author: [Jane Doe, John Roe]
description: Every block and inline the model has.
date: 2026-09-03T09:30:00-04:00
dateline: NEW YORK
release:
  embargoed: 2026-09-03T09:30:00-04:00
  zone: EDT
lang: en-US
keywords: [test, "a & b"]
contacts:
  - name: Jane Doe
    role: Press officer
    organization: Example & Co
    email: press@example.org
    phone: "+1 (212) 555-0100"
about: |
  Example & Co is an *example*.
---

First paragraph with *emphasis*, **strong**, ~~struck~~, `code`, a [link](<https://example.org/a b> "Title"),
a note[^n] and H<sub>2</sub>O, E = mc<sup>2</sup>, <abbr title="World Health Organization">WHO</abbr>.
Line one\
line two.

## Background {#background}

> A quotation
> over two lines.

1. one
2. two

3. loose

- [x] done
- [ ] to do

```rust
fn main() { println!("<hi> & bye"); }
```

| Left | Centre | Right |
|:-----|:------:|------:|
| a    | b      | c     |

---

### Détails

Second note[^m] and the first again[^n], [a link holding a note[^m]](https://example.org/).

[^n]: The first note.
[^m]: The second note, with a [link](mailto:press@example.org).
"#;

// ----- tests -----

#[test]
fn zip_layout_mimetype_first_and_stored() {
    let r = epub(&seed(), &opts()).unwrap();
    let mut z = zip::ZipArchive::new(Cursor::new(&r.bytes)).unwrap();
    let first = z.by_index(0).unwrap();
    assert_eq!(first.name(), "mimetype");
    assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    drop(first);
    assert_eq!(&r.bytes[30..38], b"mimetype");
    assert_eq!(&r.bytes[38..58], b"application/epub+zip");
    let names: Vec<String> = unzip(&r.bytes).into_iter().map(|(n, _)| n).collect();
    for want in [
        "META-INF/container.xml",
        "OEBPS/content.opf",
        "OEBPS/nav.xhtml",
        "OEBPS/toc.ncx",
        "OEBPS/cover.xhtml",
        "OEBPS/cover.png",
        "OEBPS/title.xhtml",
        "OEBPS/statement.xhtml",
        "OEBPS/about.xhtml",
        "OEBPS/stylesheet.css",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} missing: {names:?}");
    }
    assert!(r.bytes.len() < 350_000, "{} bytes", r.bytes.len());
}

#[test]
fn opf_metadata() {
    let r = epub(&seed(), &opts()).unwrap();
    let f = files(&r.bytes);
    assert_well_formed(&f);
    let opf = &f["OEBPS/content.opf"];
    for want in [
        "<package version=\"3.0\" xml:lang=\"en-US\"",
        "<dc:title>Amnesty International USA: The U.S. Must Not Walk Away From the UN’s Human Rights Review</dc:title>",
        "<dc:language id=\"cq-lang-0\">en-US</dc:language>",
        "<dc:creator id=\"cq-creator-0\">Amnesty International USA</dc:creator>",
        "<dc:publisher>Amnesty International USA</dc:publisher>",
        "<dc:date>2026-11-27T00:00:00Z</dc:date>",
        "<dc:subject>Universal Periodic Review</dc:subject>",
        "<dc:description>Amnesty International USA responds",
        "<meta property=\"dcterms:modified\">2026-11-27T17:20:00Z</meta>",
        "<meta property=\"schema:accessMode\">textual</meta>",
        "<meta property=\"schema:accessModeSufficient\">textual</meta>",
        "<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>",
        "<meta property=\"schema:accessibilityHazard\">none</meta>",
        "<meta property=\"schema:accessibilitySummary\">",
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>",
        "properties=\"cover-image\"",
        "<itemref idref=\"nav\"/>",
    ] {
        assert!(opf.contains(want), "OPF lacks {want}\n{opf}");
    }
    assert!(opf.contains("<dc:identifier id=\"epub-id-1\">urn:uuid:"));
    let i = opf.find("urn:uuid:").unwrap();
    let urn = &opf[i..i + 45];
    assert!(
        f["OEBPS/toc.ncx"].contains(&format!("<meta name=\"dtb:uid\" content=\"{urn}\"/>")),
        "{}",
        f["OEBPS/toc.ncx"]
    );
    // Reading order: cover, title page, statement, about, nav.
    let spine: Vec<&str> = opf
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<itemref idref=\""))
        .collect();
    let order: Vec<&str> = spine.iter().map(|s| s.split('"').next().unwrap()).collect();
    assert_eq!(
        order,
        [
            "id_cover.xhtml",
            "id_title.xhtml",
            "id_statement.xhtml",
            "id_about.xhtml",
            "nav"
        ]
    );
}

#[test]
fn modified_falls_back_to_the_date() {
    let r = epub(&seed(), &EpubOptions::default()).unwrap();
    let opf = &files(&r.bytes)["OEBPS/content.opf"];
    assert!(opf.contains("<meta property=\"dcterms:modified\">2026-11-27T00:00:00Z</meta>"));
}

#[test]
fn nav_toc_and_landmarks() {
    let (doc, _) = md(EVERYTHING);
    let r = epub(&doc, &opts()).unwrap();
    let f = files(&r.bytes);
    assert_well_formed(&f);
    let nav = &f["OEBPS/nav.xhtml"];
    assert!(nav.contains(
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">"
    ));
    assert!(nav.contains("lang=\"en-US\" xml:lang=\"en-US\" dir=\"ltr\""));
    assert!(nav.contains("<a href=\"statement.xhtml#background\">Background</a>"));
    assert!(nav.contains(">Détails</a>"));
    assert!(nav.contains("<a href=\"about.xhtml\">About Example &amp; Co</a>"));
    assert!(nav.contains("epub:type=\"landmarks\" id=\"landmarks\" aria-labelledby="));
    for lm in [
        "<a epub:type=\"cover\" href=\"cover.xhtml\">",
        "<a epub:type=\"toc\" href=\"nav.xhtml#toc\">",
        "<a epub:type=\"bodymatter\" href=\"statement.xhtml\">",
    ] {
        assert!(nav.contains(lm), "landmarks lack {lm}\n{nav}");
    }
    let ncx = &f["OEBPS/toc.ncx"];
    assert!(ncx.contains("statement.xhtml#background"));
}

#[test]
fn statement_text_is_exactly_the_source_text() {
    let doc = seed();
    let r = epub(&doc, &opts()).unwrap();
    assert!(warnings(&r.diagnostics).is_empty(), "{:?}", r.diagnostics);
    let f = files(&r.bytes);
    let xhtml = &f["OEBPS/statement.xhtml"];
    assert!(xhtml.contains(
        "<p><span class=\"dateline\">WASHINGTON (Nov. 27, 2026) — </span>In response to an announcement"
    ));
    let source = std::fs::read_to_string(seed_path()).unwrap();
    let body = source.splitn(3, "---\n").nth(2).unwrap();
    let want: Vec<String> = body
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect();
    assert_eq!(paragraphs(xhtml), want);
    assert!(xhtml.contains("<p class=\"endmark\">###</p>"));
    // Title page.
    let title = &f["OEBPS/title.xhtml"];
    assert!(title.contains("<p class=\"release\">FOR IMMEDIATE RELEASE</p>"));
    assert!(title.contains("<time datetime=\"2026-11-27\">November 27, 2026</time>"));
    assert!(title.contains("The United States might become the first country"));
    let about = &f["OEBPS/about.xhtml"];
    assert!(about.contains("<h1 id=\"cq-about\">About Amnesty International USA</h1>"));
    assert!(about.contains("Nobel Peace Prize in 1977"));
}

#[test]
fn hostile_front_matter_is_escaped() {
    let title = "<script>alert(\"x\")</script> & 'quotes' \"too\"";
    let mut doc = hand(title, "A & B <C> \"D\"", &["Body <b>not</b> & more."]);
    doc.meta.description = Some("desc </dc:description><evil/>".into());
    doc.meta.keywords = vec!["</dc:subject>".into()];
    doc.meta.authors = vec!["O'Brien & <Sons>".into()];
    doc.meta.contacts = vec![Contact {
        name: Some("<Name>".into()),
        email: Some("a\"b@example.org".into()),
        phone: Some("<script>".into()),
        ..Contact::default()
    }];
    let r = epub(&doc, &opts()).unwrap();
    let f = files(&r.bytes);
    assert_well_formed(&f);
    let all: String = f.values().cloned().collect();
    assert!(!all.contains("<script>"));
    assert!(!all.contains("<evil/>"));
    assert!(!all.contains("<C>"));
    assert!(f["OEBPS/content.opf"].contains(
        "<dc:title>&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'quotes' \"too\"</dc:title>"
    ));
    assert!(f["OEBPS/title.xhtml"].contains(
        "<h1 id=\"cq-title\">&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'quotes' \"too\"</h1>"
    ));
    assert!(f["OEBPS/statement.xhtml"].contains("aria-label=\"&lt;script&gt;alert(&quot;x&quot;)"));
    assert!(f["OEBPS/statement.xhtml"].contains("Body &lt;b&gt;not&lt;/b&gt; &amp; more."));
    // The HTML page too.
    let h = String::from_utf8(html(&doc, &opts()).unwrap().bytes).unwrap();
    assert!(!h.contains("<script>"));
    assert!(h.contains("<title>&lt;script&gt;"));
}

#[test]
fn control_characters_are_removed_with_a_warning() {
    let doc = hand(
        "Form\u{c}feed",
        "Org",
        &["Page\u{c}break and \u{1b}escape."],
    );
    let r = epub(&doc, &opts()).unwrap();
    let f = files(&r.bytes);
    assert_well_formed(&f);
    assert!(f["OEBPS/statement.xhtml"].contains("Pagebreak and escape."));
    assert!(f["OEBPS/content.opf"].contains("<dc:title>Form feed</dc:title>"));
    let w = warnings(&r.diagnostics);
    assert!(
        w.iter()
            .any(|w| w.contains("hand.md:1:5") && w.contains("control character")),
        "{w:?}"
    );
}

#[test]
fn raw_html_read_as_html() {
    // Raw HTML is read by the reader's HTML parser: kept as what it means, never passed
    // through (no attribute but those the model has, no script).
    let (doc, read_diags) = md(
        "---\ntitle: Raw\n---\n\nH<sub>2</sub>O and x<sup>2</sup>, <abbr title=\"World Health Organization\">WHO</abbr>,\nbreak<br>here, <span style=\"color:red\">red</span>, <script>alert(1)</script>, <b onclick=\"x()\">bold</b>, <sup>unclosed.\n\n<div class=\"box\">\nblock html\n</div>\n\n<!-- a comment -->\n\nEnd.\n",
    );
    let r = epub(&doc, &opts()).unwrap();
    let f = files(&r.bytes);
    assert_well_formed(&f);
    let x = &f["OEBPS/statement.xhtml"];
    assert!(x.contains("H<sub>2</sub>O and x<sup>2</sup>"), "{x}");
    assert!(x.contains("<abbr title=\"World Health Organization\">WHO</abbr>"));
    assert!(x.contains("break<br/>\nhere"), "{x}");
    assert!(x.contains(", red, "), "{x}");
    assert!(!x.contains("<span style"));
    assert!(!x.contains("<script") && !x.contains("alert(1)"));
    assert!(!x.contains("onclick"));
    assert!(x.contains("<p>block html</p>"), "{x}");
    assert!(!x.contains("<div class=\"box"));
    assert!(x.contains(", <strong>bold</strong>, "), "{x}");
    assert!(x.contains("<sup>unclosed.</sup>"), "{x}");
    let w = warnings(&read_diags);
    assert!(
        w.iter()
            .any(|w| w.contains("test.md:6:") && w.contains("`<script>`")),
        "{w:?}"
    );
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(warnings(&r.diagnostics).is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn link_scheme_filter() {
    let (doc, _) = md(
        "---\ntitle: Links\n---\n\n[web](https://example.org/x?a=1&b=2), [mail](mailto:press@example.org), [call](tel:+12025550100), [bad](javascript:alert(1)), [file](file:///etc/passwd), [rel](other.md), [data](data:text/html,hi).\n",
    );
    let r = epub(&doc, &opts()).unwrap();
    let f = files(&r.bytes);
    assert_well_formed(&f);
    let x = &f["OEBPS/statement.xhtml"];
    assert!(x.contains("<a href=\"https://example.org/x?a=1&amp;b=2\">web</a>"));
    assert!(x.contains("<a href=\"mailto:press@example.org\">mail</a>"));
    assert!(x.contains("<a href=\"tel:+12025550100\">call</a>"));
    for kept in [", bad, ", ", file, ", ", rel, ", ", data."] {
        assert!(x.contains(kept), "{kept}: {x}");
    }
    assert!(!x.contains("javascript") && !x.contains("file:") && !x.contains("data:"));
    let w = warnings(&r.diagnostics);
    assert_eq!(w.len(), 4, "{w:?}");
    assert!(w[0].contains("test.md:5:"), "{w:?}");
}

#[test]
fn footnotes_tables_and_lists() {
    let (doc, _) = md(EVERYTHING);
    let r = epub(&doc, &opts()).unwrap();
    let f = files(&r.bytes);
    assert_well_formed(&f);
    let x = &f["OEBPS/statement.xhtml"];
    assert!(x.contains("<sup><a id=\"cq-fnref-1\" href=\"#cq-fn-1\" epub:type=\"noteref\" role=\"doc-noteref\">1</a></sup>"), "{x}");
    assert!(x.contains("id=\"cq-fnref-1-2\""));
    assert!(x.contains("<aside id=\"cq-fn-1\" epub:type=\"footnote\" role=\"doc-footnote\">"));
    assert!(x.contains("<a href=\"#cq-fnref-1\" role=\"doc-backlink\""));
    assert!(x.contains("<th scope=\"col\" class=\"ac\">Centre</th>"));
    assert!(x.contains("<ol start=\"3\">") || x.contains("<ol>"));
    assert!(x.contains("<blockquote>"));
    assert!(x.contains(
        "<pre><code class=\"language-rust\">fn main() { println!(\"&lt;hi&gt; &amp; bye\"); }"
    ));
    assert!(x.contains("<h2 id=\"background\">Background</h2>"));
    assert!(x.contains("NEW YORK (Sept. 3, 2026) — "));
    let t = &f["OEBPS/title.xhtml"];
    assert!(t.contains("EMBARGOED UNTIL 09:30 EDT, 3 SEPTEMBER 2026"));
    assert!(t.contains("<a href=\"tel:+12125550100\">+1 (212) 555-0100</a>"));
    assert!(t.contains("<a href=\"mailto:press@example.org\">press@example.org</a>"));
    let opf = &f["OEBPS/content.opf"];
    assert!(opf.contains("<dc:creator id=\"cq-creator-1\">John Roe</dc:creator>"));
    assert!(opf.contains("<dc:subject>a &amp; b</dc:subject>"));
}

#[test]
fn builds_are_byte_identical_and_identifiers_follow_content() {
    let doc = seed();
    let a = epub(&doc, &opts()).unwrap().bytes;
    let b = epub(&doc, &opts()).unwrap().bytes;
    assert!(a == b, "two builds differ");
    let id = |bytes: &[u8]| {
        let opf = files(bytes)["OEBPS/content.opf"].clone();
        let i = opf.find("urn:uuid:").unwrap();
        opf[i..i + 45].to_string()
    };
    let other = hand("Another statement", "Amnesty International USA", &["Text."]);
    let c = epub(&other, &opts()).unwrap().bytes;
    assert_ne!(id(&a), id(&c));
    // The identifier does not depend on the build time.
    let later = EpubOptions {
        source_date_epoch: Some(1_900_000_000),
        ..EpubOptions::default()
    };
    let d = epub(&doc, &later).unwrap().bytes;
    assert_eq!(id(&a), id(&d));
    assert_ne!(a, d);
}

#[test]
fn briefing_pack_newest_first() {
    let mut older = hand("Older statement", "Org One", &["Old news."]);
    older.meta.date = Some(DateTime::parse_iso("2026-01-05").unwrap());
    let (every, _) = md(EVERYTHING);
    let docs = vec![older, seed(), every];
    let r = bundle("Weekly briefing", &docs, &opts()).unwrap();
    let f = files(&r.bytes);
    assert_well_formed(&f);
    let contents = &f["OEBPS/contents.xhtml"];
    let pos = |s: &str| {
        contents
            .find(s)
            .unwrap_or_else(|| panic!("{s} missing: {contents}"))
    };
    assert!(pos("Amnesty International USA: The U.S.") < pos("Everything: "));
    assert!(pos("Everything: ") < pos("Older statement"));
    assert!(contents.contains("November 27, 2026"));
    assert!(f["OEBPS/s001.xhtml"].contains("WASHINGTON (Nov. 27, 2026) — "));
    assert!(f["OEBPS/s003.xhtml"].contains("Old news."));
    let opf = &f["OEBPS/content.opf"];
    assert!(opf.contains("<dc:title>Weekly briefing</dc:title>"));
    assert!(opf.contains("<dc:publisher>Org One</dc:publisher>"));
    assert!(opf.contains("Briefing pack of 3 statements"));
    let nav = &f["OEBPS/nav.xhtml"];
    assert!(nav.contains("<a href=\"s002.xhtml#background\">Background</a>"));
    assert!(bundle("Empty", &[], &opts()).is_err());
}

#[test]
fn every_example_builds_well_formed() {
    let docs = all_statements();
    assert!(!docs.is_empty());
    for d in &docs {
        let r = epub(d, &opts()).unwrap();
        assert_well_formed(&files(&r.bytes));
        // Small apart from the images the statement itself brings.
        let images: usize = unzip(&r.bytes)
            .iter()
            .filter(|(n, _)| n.starts_with("OEBPS/images/"))
            .map(|(_, b)| b.len())
            .sum();
        assert!(
            r.bytes.len() - images < 350_000,
            "{}",
            d.source.path.display()
        );
        html(d, &opts()).unwrap();
    }
}

#[test]
fn html_page_is_self_contained() {
    let r = html(&seed(), &opts()).unwrap();
    let h = String::from_utf8(r.bytes).unwrap();
    assert!(h.starts_with("<!DOCTYPE html>\n<html lang=\"en-US\" dir=\"ltr\">"));
    assert!(h.contains("<meta name=\"viewport\""));
    assert!(h.contains("<style>"));
    assert!(h.contains("@media print"));
    assert!(!h.contains("epub:type"));
    assert!(!h.contains("<link"));
    assert!(h.contains("WASHINGTON (Nov. 27, 2026) — "));
    assert!(h.contains("About Amnesty International USA"));
    if let Some(dir) = std::env::var_os("COMMUNIQUE_KEEP_BOOKS") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(Path::new(&dir).join("statement.html"), &h).unwrap();
    }
}

#[test]
fn embedded_fonts_are_packaged() {
    let o = EpubOptions {
        embed_fonts: true,
        ..opts()
    };
    let r = epub(&seed(), &o).unwrap();
    let names: Vec<String> = unzip(&r.bytes).into_iter().map(|(n, _)| n).collect();
    assert!(names.contains(&"OEBPS/fonts/NotoSerif-Regular.ttf".to_string()));
    let f = files(&r.bytes);
    assert!(f["OEBPS/stylesheet.css"].contains("@font-face"));
    assert!(f["OEBPS/content.opf"].contains("media-type=\"font/ttf\""));
}

#[test]
fn given_cover_is_used() {
    let dir = std::env::temp_dir().join(format!("cq-epub-cover-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A 1×1 PNG.
    let png: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8,
        0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    std::fs::write(dir.join("c.png"), png).unwrap();
    let mut doc = hand("Cover", "Org", &["Text."]);
    doc.source.path = dir.join("s.md");
    doc.meta.cover = Some("c.png".into());
    let r = epub(&doc, &opts()).unwrap();
    let entries = unzip(&r.bytes);
    let cover = entries
        .iter()
        .find(|(n, _)| n == "OEBPS/cover.png")
        .unwrap();
    assert_eq!(cover.1, png);
    doc.meta.cover = Some("missing.png".into());
    let r = epub(&doc, &opts()).unwrap();
    assert!(
        warnings(&r.diagnostics)
            .iter()
            .any(|w| w.contains("missing.png"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn french_and_arabic_statements_use_their_own_words() {
    let (fr, _) = md(
        "---\ntitle: Déclaration sur l’examen\norganization: Amnistie internationale\ndate: 2026-11-27\ndateline: PARIS\nlang: fr-FR\nabout: Une organisation.\ncontacts:\n  - name: Marie\n---\n\nTexte.\n",
    );
    let f = files(&epub(&fr, &opts()).unwrap().bytes);
    assert_well_formed(&f);
    assert!(f["OEBPS/title.xhtml"].contains("POUR DIFFUSION IMMÉDIATE"));
    assert!(f["OEBPS/title.xhtml"].contains("27 novembre 2026"));
    assert!(f["OEBPS/title.xhtml"].contains("Contact presse"));
    assert!(f["OEBPS/statement.xhtml"].contains("PARIS (27 novembre 2026) — "));
    assert!(f["OEBPS/nav.xhtml"].contains("<h1 id=\"toc-title\">Sommaire</h1>"));
    assert!(f["OEBPS/nav.xhtml"].contains(">Déclaration</a>"));
    assert!(f["OEBPS/about.xhtml"].contains("À propos de Amnistie internationale"));
    assert!(f["OEBPS/content.opf"].contains("xml:lang=\"fr-FR\""));

    let (ar, _) = md(
        "---\ntitle: بيان\norganization: منظمة\ndate: 2026-11-27\nlang: ar\ndir: rtl\n---\n\nنص.\n",
    );
    let f = files(&epub(&ar, &opts()).unwrap().bytes);
    assert_well_formed(&f);
    assert!(f["OEBPS/statement.xhtml"].contains("lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\""));
    assert!(f["OEBPS/content.opf"].contains("page-progression-direction=\"rtl\""));
    assert!(f["OEBPS/content.opf"].contains("xml:lang=\"ar\" dir=\"rtl\""));
    assert!(f["OEBPS/title.xhtml"].contains("للنشر الفوري"));
}

#[test]
fn cover_warns_about_characters_the_fonts_lack() {
    // Egyptian hieroglyphs: no bundled face has them, nor any system font that CI installs
    // (a script that a system font covers is drawn: issue 16).
    let doc = hand("\u{13000}\u{13001}\u{13002}", "Org", &["Text."]);
    let book = communique::pdf::fallback::with_system_fonts(
        communique::pdf::FontBook::bundled(),
        &doc.meta.title,
        "und",
    );
    if !communique::pdf::fallback::uncovered(&book, &doc.meta.title).is_empty() {
        let r = epub(&doc, &opts()).unwrap();
        assert!(
            warnings(&r.diagnostics)
                .iter()
                .any(|w| w.contains("cover leaves out")),
            "{:?}",
            r.diagnostics
        );
    }
    assert!(warnings(&epub(&seed(), &opts()).unwrap().diagnostics).is_empty());
}

/// Issue 16: the covers of the Arabic and Chinese examples are drawn (title, organization,
/// date) without the warning, where a font covers the script.
#[test]
fn arabic_and_chinese_covers_without_warning() {
    for lang in ["ar", "zh"] {
        let path = PathBuf::from(format!("examples/un-languages/{lang}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        let (doc, _) = communique::markdown::read(&path, &text, &Default::default());
        let doc = doc.unwrap();
        let book = communique::pdf::fallback::with_system_fonts(
            communique::pdf::FontBook::bundled(),
            &doc.meta.title,
            &doc.meta.lang,
        );
        if !communique::pdf::fallback::uncovered(&book, &doc.meta.title).is_empty() {
            assert!(!common::required(), "{lang}: no font for the title");
            eprintln!("SKIPPED: {lang}: no font covers the title; install fonts-noto-cjk");
            continue;
        }
        let r = epub(&doc, &opts()).unwrap();
        assert!(
            !warnings(&r.diagnostics)
                .iter()
                .any(|w| w.contains("cover leaves out")),
            "{lang}: {:?}",
            r.diagnostics
        );
    }
}

#[test]
fn no_panic_on_empty_and_odd_documents() {
    let empty = Document {
        meta: Metadata {
            lang: "not a tag!".into(),
            ..Metadata::default()
        },
        blocks: vec![],
        footnotes: vec![],
        source: SourceMap::default(),
    };
    let r = epub(&empty, &EpubOptions::default()).unwrap();
    assert_well_formed(&files(&r.bytes));
    html(&empty, &EpubOptions::default()).unwrap();
    bundle("", std::slice::from_ref(&empty), &EpubOptions::default()).unwrap();
}

/// Hostile inline content from a fixed pseudo-random sequence: every book stays well-formed and
/// nothing panics.
#[test]
fn hostile_inlines_stay_well_formed() {
    const PIECES: &[&str] = &[
        "<",
        ">",
        "&",
        "\"",
        "'",
        "]]>",
        "<!--",
        "-->",
        "\u{0}",
        "\u{c}",
        "\u{1b}",
        "\u{7f}",
        "\u{fffe}",
        "\u{ffff}",
        "é",
        "👍",
        "\u{202e}",
        "&amp;",
        "&#0;",
        "<sup>",
        "</sup>",
        "<abbr title=\"a&quot;b\">",
        "</abbr>",
        "<br>",
        "<script>",
        "</p>",
        "<a href=x>",
        "javascript:",
        " ",
        "\n",
        "x",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for round in 0..40 {
        let mut text = String::new();
        let mut inl = Vec::new();
        for _ in 0..30 {
            let piece = PIECES[next(PIECES.len())];
            text.push_str(piece);
            inl.push(match next(6) {
                0 => Inline::RawHtml(piece.to_string()),
                1 => Inline::Link {
                    url: format!("https://e.org/{piece}#a#b"),
                    title: piece.to_string(),
                    content: vec![Inline::Text {
                        text: piece.to_string(),
                        at: 0,
                    }],
                },
                2 => Inline::Code(piece.to_string()),
                3 => Inline::Emph(vec![Inline::RawHtml(piece.to_string())]),
                _ => Inline::Text {
                    text: piece.to_string(),
                    at: next(1000) as Offset,
                },
            });
        }
        let mut doc = hand(&text, &text, &[]);
        doc.meta.subtitle = Some(text.clone());
        doc.meta.dateline = Some(text.clone());
        doc.meta.keywords = vec![text.clone()];
        doc.blocks = vec![
            Block {
                id: BlockId(0),
                at: 0,
                kind: BlockKind::Heading {
                    level: 2,
                    id: text.clone(),
                    content: inl.clone(),
                },
            },
            Block {
                id: BlockId(1),
                at: 0,
                kind: BlockKind::Paragraph(inl),
            },
            Block {
                id: BlockId(2),
                at: 0,
                kind: BlockKind::CodeBlock {
                    lang: Some(text.clone()),
                    text: text.clone(),
                },
            },
        ];
        let r = epub(&doc, &opts()).unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert_well_formed(&files(&r.bytes));
        let h = html(&doc, &opts()).unwrap();
        // The page's one script is its JSON-LD, whose strings escape `<`.
        let page = String::from_utf8(h.bytes).unwrap();
        let (before, after) = page
            .split_once("<script type=\"application/ld+json\">")
            .unwrap();
        let (_, after) = after.split_once("</script>").unwrap();
        assert!(!before.contains("<script") && !after.contains("<script"));
    }
}

// ----- EPUBCheck -----

/// A book with one broken content document (an end tag taken out, so not well-formed XML)
/// fails EPUBCheck with a message that names the document and its line; the report from the
/// test binary's shared JVM (`common::epubcheck`) is the one `java -jar epubcheck.jar` prints,
/// and the same JVM then finds the unbroken book clean.
#[test]
fn epubcheck_fails_a_broken_book_with_the_command_lines_report() {
    use std::io::Write;
    let Some(jar) = common::epubcheck_jar() else {
        return;
    };
    let dir = common::scratch("epub", "broken");
    let book = epub(&seed(), &opts()).unwrap().bytes;
    let mut broken = None;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, mut bytes) in unzip(&book) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if broken.is_none() && name.ends_with(".xhtml") && text.contains("</p>") {
            bytes = text.replacen("</p>", "", 1).into_bytes();
            broken = Some(name.clone());
        }
        let method = if name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        zip.start_file(
            name,
            zip::write::SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        zip.write_all(&bytes).unwrap();
    }
    let broken = broken.expect("a content document with a paragraph");
    let bad = dir.join("broken.epub");
    std::fs::write(&bad, zip.finish().unwrap().into_inner()).unwrap();
    let good = dir.join("good.epub");
    std::fs::write(&good, &book).unwrap();

    let (clean, report) = common::epubcheck(&bad).unwrap();
    assert!(!clean, "{report}");
    let message = report
        .lines()
        .find(|l| l.starts_with("FATAL(") || l.starts_with("ERROR("))
        .unwrap_or_else(|| panic!("no error in:\n{report}"));
    assert!(
        message.contains(&format!("{broken}(")),
        "the message names {broken} and its line: {message}"
    );
    assert_eq!(report, common::epubcheck_cli(&jar, &bad));

    let (clean, report) = common::epubcheck(&good).unwrap();
    assert!(clean, "{report}");
}

/// EPUBCheck on a few representative books: 0 errors and 0 warnings.
#[test]
fn epubcheck_reports_no_errors_or_warnings() {
    if common::epubcheck_jar().is_none() {
        return;
    }
    // COMMUNIQUE_KEEP_BOOKS=DIR keeps the books there, to look at them.
    let keep = std::env::var_os("COMMUNIQUE_KEEP_BOOKS").map(PathBuf::from);
    let dir = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("cq-epubcheck-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).unwrap();
    let (every, _) = md(EVERYTHING);
    let hostile = hand(
        "<script>alert(\"x\")</script> & 'quotes'",
        "A & B <C>",
        &["Body\u{c} & more."],
    );
    let (arabic, _) = md(
        "---\ntitle: بيان صحفي\norganization: منظمة\ndate: 2026-11-27\ndateline: جنيف\nlang: ar\ndir: rtl\nabout: نبذة.\n---\n\nنص البيان[^1].\n\n[^1]: حاشية.\n",
    );
    let books = [
        ("statement.epub", epub(&seed(), &opts()).unwrap().bytes),
        ("arabic.epub", epub(&arabic, &opts()).unwrap().bytes),
        (
            "fonts.epub",
            epub(
                &seed(),
                &EpubOptions {
                    embed_fonts: true,
                    ..opts()
                },
            )
            .unwrap()
            .bytes,
        ),
        ("everything.epub", epub(&every, &opts()).unwrap().bytes),
        ("hostile.epub", epub(&hostile, &opts()).unwrap().bytes),
        (
            "bundle.epub",
            bundle(
                "Weekly briefing",
                &[seed(), every.clone(), hostile],
                &opts(),
            )
            .unwrap()
            .bytes,
        ),
        (
            "everything-in-content-and-examples.epub",
            bundle("Every statement", &all_statements(), &opts())
                .unwrap()
                .bytes,
        ),
    ];
    let mut paths = Vec::new();
    for (name, bytes) in &books {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        paths.push(p);
    }
    for p in &paths {
        let Some((_, text)) = common::epubcheck(p) else {
            return;
        };
        assert!(
            text.contains("0 fatals / 0 errors / 0 warnings"),
            "EPUBCheck on {}:\n{text}",
            p.display()
        );
    }
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
