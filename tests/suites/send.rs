//! Issue 18: the e-mail draft (`-f eml`), the wire-ready text (`-f txt`) and the newsroom page
//! that shares well (`-f html`), through the binary and real consumers: Python's `email`
//! package reads the drafts, PyPI's `extruct` reads the page's OpenGraph and JSON-LD, and
//! axe-core in headless Chromium checks the page and the e-mail's HTML part. Each consumer
//! is skipped with a notice when it is missing, unless `COMMUNIQUE_REQUIRE_VALIDATORS=1`.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use communique::model::{Block, BlockKind, Inline};

const EPOCH: &str = "1795000000";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The statements the suite sends: English, an embargo, Arabic, Chinese, one with figures.
fn statements() -> Vec<PathBuf> {
    [
        "content/us-upr-review.md",
        "examples/embargoed-statement.md",
        "examples/un-languages/ar.md",
        "examples/un-languages/zh.md",
        "examples/briefing-with-figures/briefing.md",
    ]
    .iter()
    .map(|p| root().join(p))
    .collect()
}

const HOUSE: &str = r#"base_url = "https://news.example.org/releases/"
[email]
from = "Press Office <press@example.org>"
reply_to = "press@example.org"
to = "Newsdesk <desk@paper.example>"
bcc = ["list@example.org", "مكتب الصحافة <ar@example.org>"]
"#;

/// Builds the statements with `-f FORMATS` into `dir/out`, with a house configuration.
fn build(dir: &Path, formats: &str, house: Option<&str>) -> PathBuf {
    let out = dir.join("out");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_communique"));
    cmd.env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["build", "-q", "-f", formats, "-o"])
        .arg(&out);
    if let Some(h) = house {
        let cfg = dir.join("communique.toml");
        std::fs::write(&cfg, h).unwrap();
        cmd.arg("--config").arg(&cfg);
    }
    cmd.args(statements());
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

fn python() -> bool {
    common::tool("python3", &["--version"]).is_some_and(|o| o.status.success())
}

fn stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().into_owned()
}

/// Every word of a statement as the model holds it: headline, body, notes and "About".
fn body_words(path: &Path) -> (communique::Document, Vec<String>) {
    let (doc, diags) = communique::publish::read_file(path, &Default::default());
    let doc = doc.unwrap_or_else(|| panic!("{diags:?}"));
    fn inl(i: &[Inline], out: &mut Vec<String>) {
        for x in i {
            match x {
                Inline::Text { text, .. } => {
                    out.extend(text.split_whitespace().map(str::to_string))
                }
                Inline::Code(t) => out.extend(t.split_whitespace().map(str::to_string)),
                Inline::Emph(c)
                | Inline::Strong(c)
                | Inline::Strike(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c)
                | Inline::Link { content: c, .. } => inl(c, out),
                _ => {}
            }
        }
    }
    fn blocks(bs: &[Block], out: &mut Vec<String>) {
        for b in bs {
            match &b.kind {
                BlockKind::Heading { content, .. } | BlockKind::Paragraph(content) => {
                    inl(content, out)
                }
                BlockKind::BlockQuote(x) | BlockKind::Alert { blocks: x, .. } => blocks(x, out),
                BlockKind::List(l) => l.items.iter().for_each(|i| blocks(&i.blocks, out)),
                BlockKind::Table(t) => t
                    .header
                    .iter()
                    .chain(t.rows.iter().flatten())
                    .for_each(|c| inl(c, out)),
                BlockKind::CodeBlock { text, .. } => {
                    out.extend(text.split_whitespace().map(str::to_string))
                }
                _ => {}
            }
        }
    }
    let mut words = Vec::new();
    inl(&doc.meta.title_content(), &mut words);
    blocks(&doc.blocks, &mut words);
    for f in &doc.footnotes {
        blocks(&f.blocks, &mut words);
    }
    blocks(&doc.meta.about, &mut words);
    (doc, words)
}

/// The text of HTML: tags removed, the entities our serializer writes decoded.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    if let Some(i) = rest.find("<body") {
        rest = &rest[i..];
    }
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        match rest[i..].find('>') {
            Some(j) => rest = &rest[i + j + 1..],
            None => break,
        }
        out.push(' ');
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// The start tags of HTML with their attributes (`name`, value), our serializer's quoting.
fn attributes(html: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let Some(j) = rest[i..].find('>') else { break };
        let tag = &rest[i + 1..i + j];
        rest = &rest[i + j + 1..];
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let mut t = &tag[name.len()..];
        while let Some(eq) = t.find("=\"") {
            let attr = t[..eq].trim().rsplit(' ').next().unwrap_or("").to_string();
            let Some(end) = t[eq + 2..].find('"') else {
                break;
            };
            out.push((name.clone(), attr, t[eq + 2..eq + 2 + end].to_string()));
            t = &t[eq + 2 + end + 1..];
        }
    }
    out
}

#[test]
fn drafts_parse_clean_and_carry_the_whole_statement() {
    let dir = common::scratch("send", "drafts");
    let out = build(&dir, "pdf,eml,txt,html", Some(HOUSE));
    let emls: Vec<PathBuf> = statements()
        .iter()
        .map(|s| out.join(format!("{}.eml", stem(s))))
        .collect();
    // What needs no outside reader: headers, structure, the draft flag.
    for e in &emls {
        let bytes = std::fs::read(e).unwrap();
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2000)]).into_owned();
        assert!(head.contains("\r\nX-Unsent: 1\r\n"), "{head}");
        assert!(head.contains("\r\nMessage-ID: <"), "{head}");
        assert!(head.contains("\r\nDate: "), "{head}");
        assert!(head.contains("\r\nBcc: "), "{head}");
        assert!(
            bytes.iter().all(|b| *b < 0x80),
            "8-bit byte in {}",
            e.display()
        );
        assert!(
            bytes.split(|b| *b == b'\n').all(|l| l.len() <= 998 + 1),
            "a line over 998 bytes in {}",
            e.display()
        );
    }
    if !python() {
        return;
    }
    let o = Command::new("python3")
        .arg(root().join("tests/send/eml_check.py"))
        .args(&emls)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (s, e) in statements().iter().zip(&emls) {
        let parts = e.with_extension("parts");
        let read = |n: &str| std::fs::read_to_string(parts.join(n)).unwrap();
        assert_eq!(read("defects.txt"), "", "defects in {}", e.display());
        let structure = read("structure.txt");
        assert!(
            structure.starts_with("multipart/mixed multipart/alternative text/plain")
                && structure.contains("text/html")
                && structure.ends_with("application/pdf"),
            "{structure}"
        );
        // The attachment is the PDF that was built, byte for byte.
        let pdf = std::fs::read(out.join(format!("{}.pdf", stem(s)))).unwrap();
        assert!(std::fs::read(parts.join("attachment.pdf")).unwrap() == pdf);
        assert_eq!(read("attachment-name.txt"), format!("{}.pdf", stem(s)));
        // The text part is the .txt (MIME text lines end in CRLF).
        let txt = std::fs::read_to_string(out.join(format!("{}.txt", stem(s)))).unwrap();
        let text = read("text.txt").replace("\r\n", "\n");
        assert_eq!(text, txt, "{}", e.display());
        // Every body word is in the text part and in the HTML part.
        let html = read("html.html");
        let shown = html_text(&html);
        let (doc, words) = body_words(s);
        assert!(words.len() > 10, "{}", words.len());
        for w in &words {
            assert!(
                text.contains(w.as_str()),
                "`{w}` missing from the text part of {}",
                e.display()
            );
            assert!(
                shown.contains(w.as_str()),
                "`{w}` missing from the HTML part of {}",
                e.display()
            );
        }
        // The subject decodes back to the headline (after the embargo notice).
        let subject = read("subject.txt");
        let title = doc
            .meta
            .title
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        match doc.meta.release {
            communique::model::Release::Immediate => assert_eq!(subject, title),
            _ => assert!(
                subject.starts_with("EMBARGOED UNTIL ") && subject.ends_with(&format!(": {title}")),
                "{subject}"
            ),
        }
        let headers = read("headers.txt");
        assert!(
            headers.contains("From: Press Office <press@example.org>"),
            "{headers}"
        );
        assert!(
            headers.contains("مكتب الصحافة <ar@example.org>"),
            "{headers}"
        );
        // The HTML part: no script, no style sheet, nothing fetched from outside, inline
        // styles only.
        let lower = html.to_ascii_lowercase();
        for bad in [
            "<script", "<style", "<link", "<iframe", "<object", "url(", "@import",
        ] {
            assert!(
                !lower.contains(bad),
                "`{bad}` in the HTML part of {}",
                e.display()
            );
        }
        for (tag, attr, value) in attributes(&html) {
            assert_ne!(attr, "class", "<{tag} class> in {}", e.display());
            match attr.as_str() {
                "src" => assert!(value.starts_with("cid:"), "<{tag} src={value}>"),
                "href" => assert!(
                    ["https://", "http://", "mailto:", "tel:", "#"]
                        .iter()
                        .any(|p| value.starts_with(p)),
                    "<{tag} href={value}>"
                ),
                _ => assert!(!value.contains("://"), "<{tag} {attr}={value}>"),
            }
        }
        assert!(html.contains("max-width:600px"), "{}", e.display());
        // The images of the HTML part travel with it.
        let imgs = html.matches(" src=\"cid:").count();
        if stem(s) == "briefing" {
            assert!(imgs >= 3, "{imgs}");
            assert!(
                structure.contains("multipart/related text/html image/"),
                "{structure}"
            );
        }
    }
    // The Arabic and Chinese subjects, exactly.
    let subject =
        |n: &str| std::fs::read_to_string(out.join(format!("{n}.parts/subject.txt"))).unwrap();
    assert_eq!(
        subject("ar"),
        "على كل دولة أن تشارك في الاستعراض الأممي لحالة حقوق الإنسان فيها"
    );
    assert_eq!(subject("zh"), "每个国家都应参加联合国对其人权状况的审议");
}

#[test]
fn same_input_same_bytes_and_the_pdf_once() {
    let a = common::scratch("send", "same-a");
    let b = common::scratch("send", "same-b");
    let oa = build(&a, "eml,txt,html", Some(HOUSE));
    let ob = build(&b, "eml,txt,html", Some(HOUSE));
    for s in statements() {
        for ext in ["eml", "txt", "html"] {
            let n = format!("{}.{ext}", stem(&s));
            assert!(
                std::fs::read(oa.join(&n)).unwrap() == std::fs::read(ob.join(&n)).unwrap(),
                "{n} differs between two builds"
            );
        }
        // `-f eml` alone renders the PDF for the attachment but does not write it.
        assert!(!oa.join(format!("{}.pdf", stem(&s))).exists());
    }
    // Without `[email]` the draft has no recipients, and still parses.
    let c = common::scratch("send", "bare");
    let oc = build(&c, "eml", None);
    let bytes = std::fs::read(oc.join("us-upr-review.eml")).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    for h in ["\r\nFrom:", "\r\nTo:", "\r\nBcc:", "\r\nReply-To:"] {
        assert!(!text.contains(h), "{h} in a draft without [email]");
    }
    // The headline has a curly apostrophe: RFC 2047 encoded words.
    assert!(text.starts_with("Subject: =?utf-8?"), "{}", &text[..200]);
    assert!(text.contains("\r\nDate: Fri, 27 Nov 2026 12:00:00 +0000\r\n"));
}

#[test]
fn plain_text_is_wire_ready() {
    let dir = common::scratch("send", "txt");
    let out = build(&dir, "txt", None);
    let t = std::fs::read_to_string(out.join("embargoed-statement.txt")).unwrap();
    assert!(
        t.starts_with(
            "EMBARGOED UNTIL 00:01 EST, 28 NOVEMBER 2026\nNovember 27, 2026\n\nMedia contact:\n"
        ),
        "{t}"
    );
    assert!(
        t.contains("\n\nNEW YORK (Nov. 27, 2026) — Example Rights Watch today released"),
        "{t}"
    );
    assert!(t.contains("\n- The cycle: how often"), "{t}");
    assert!(t.contains("\n1. Read the one-page overview"), "{t}");
    assert!(t.contains("https://example.org/upr-guide"), "{t}");
    assert!(t.ends_with("\n\n###\n"), "{t}");
    // Not hard-wrapped: a paragraph is one line.
    assert!(t.lines().any(|l| l.chars().count() > 200));
    let ar = std::fs::read_to_string(out.join("ar.txt")).unwrap();
    // Right to left in logical order: the text as typed, no direction marks added.
    assert!(!ar.contains(['\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202e}']));
    assert!(ar.contains("على كل دولة أن تشارك في الاستعراض الأممي لحالة حقوق الإنسان فيها\n"));
    let b = std::fs::read_to_string(out.join("briefing.txt")).unwrap();
    // Tables as aligned text, footnotes at the end.
    assert!(b.contains("\n[1] "), "{b}");
    let rule = b
        .lines()
        .find(|l| l.starts_with("---"))
        .expect("a table rule");
    assert!(rule.contains("  -"), "{rule}");
}

#[test]
fn page_shares_well() {
    let dir = common::scratch("send", "page");
    let out = build(&dir, "html", Some(HOUSE));
    // JSON-LD is valid JSON whatever the strings hold; the page has one main landmark.
    for s in statements() {
        let html = std::fs::read_to_string(out.join(format!("{}.html", stem(&s)))).unwrap();
        assert_eq!(html.matches("<main>").count(), 1);
        assert_eq!(html.matches("application/ld+json").count(), 1);
        assert!(html.contains("<link rel=\"canonical\" href=\"https://news.example.org/releases/"));
        let img = html
            .split("<meta property=\"og:image\" content=\"https://news.example.org/releases/")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("og:image");
        assert!(out.join(img).is_file(), "{img} is not beside the page");
    }
    // Without base_url: nothing that needs an absolute address, and `check --explain` says so.
    let bare = common::scratch("send", "page-bare");
    let ob = build(&bare, "html", None);
    let html = std::fs::read_to_string(ob.join("us-upr-review.html")).unwrap();
    for absent in ["og:url", "og:image", "rel=\"canonical\"", "twitter:image"] {
        assert!(!html.contains(absent), "{absent} without base_url");
    }
    assert!(html.contains("<meta property=\"og:title\""));
    let o = Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(["check", "--explain"])
        .arg(root().join("content/us-upr-review.md"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("base_url is not set"));

    // The statement's own `url` gives the page its address without a house `base_url`; a
    // relative one is refused at its line and column.
    let own = common::scratch("send", "page-url");
    let src = std::fs::read_to_string(root().join("content/us-upr-review.md")).unwrap();
    let with_url = src.replacen(
        "---\n",
        "---\nurl: https://press.example.org/2026/upr.html\n",
        1,
    );
    std::fs::write(own.join("s.md"), &with_url).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_communique"))
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["build", "-q", "-f", "html", "-o"])
        .arg(own.join("out"))
        .arg(own.join("s.md"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(own.join("out/s.html")).unwrap();
    assert!(
        html.contains("<link rel=\"canonical\" href=\"https://press.example.org/2026/upr.html\"")
    );
    assert!(html.contains("<meta property=\"og:image\" content=\"https://press.example.org/2026/"));
    std::fs::write(
        own.join("bad.md"),
        with_url.replace("https://press.example.org/2026/upr.html", "upr.html"),
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(["check"])
        .arg(own.join("bad.md"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("bad.md:2:6") && err.contains("`url` must be an absolute"),
        "{err}"
    );

    if !python() {
        return;
    }
    let has_extruct = Command::new("python3")
        .args(["-c", "import extruct"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_extruct {
        assert!(
            !common::required(),
            "extruct is required (pip install extruct)"
        );
        eprintln!("SKIPPED: extruct is not installed (pip install extruct)");
        return;
    }
    let pages: Vec<PathBuf> = statements()
        .iter()
        .map(|s| out.join(format!("{}.html", stem(s))))
        .collect();
    let o = Command::new("python3")
        .arg(root().join("tests/send/page_check.py"))
        .args(&pages)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let all: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for (s, p) in statements().iter().zip(&pages) {
        let (doc, _) = body_words(s);
        let data = &all[p.to_str().unwrap()];
        let og = &data["opengraph"][0];
        let ld = &data["json-ld"];
        assert_eq!(ld.as_array().map(Vec::len), Some(1), "{data}");
        let ld = &ld[0];
        let title = doc
            .meta
            .title
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let date = doc.meta.date.unwrap().to_string();
        let page = format!("https://news.example.org/releases/{}.html", stem(s));
        assert_eq!(og["og:title"], title.as_str(), "{og}");
        assert_eq!(og["@type"], "article", "{og}");
        assert_eq!(og["og:url"], page.as_str(), "{og}");
        assert_eq!(og["article:published_time"], date.as_str(), "{og}");
        assert!(
            og["og:locale"]
                .as_str()
                .is_some_and(|l| l.starts_with(&doc.meta.lang[..2])),
            "{og}"
        );
        let image = og["og:image"].as_str().unwrap();
        assert!(
            image.starts_with("https://news.example.org/releases/images/"),
            "{og}"
        );
        assert!(
            og["og:image:alt"].as_str().is_some_and(|a| !a.is_empty()),
            "{og}"
        );
        assert!(
            og["og:description"].as_str().is_some_and(|a| a.len() > 20),
            "{og}"
        );
        assert_eq!(ld["@context"], "https://schema.org");
        assert_eq!(ld["@type"], "NewsArticle");
        assert_eq!(ld["headline"], title.as_str());
        assert_eq!(ld["datePublished"], date.as_str());
        assert_eq!(ld["inLanguage"], doc.meta.lang.as_str());
        assert_eq!(ld["image"][0]["url"], image);
        assert_eq!(ld["publisher"]["@type"], "Organization");
        assert_eq!(
            ld["publisher"]["name"],
            doc.meta.organization.as_deref().unwrap()
        );
        assert_eq!(ld["url"], page.as_str());
        if doc.meta.logo.is_some() {
            assert!(
                ld["publisher"]["logo"]["url"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("https://news.example.org/releases/images/")),
                "{ld}"
            );
        }
    }
}

/// axe-core and puppeteer-core from npm (`COMMUNIQUE_AXE_NODE_PATH`, default
/// `/tmp/axe/node_modules`), node and Chromium; `None`, with a notice, when one is missing.
fn axe() -> Option<(PathBuf, PathBuf)> {
    let modules = PathBuf::from(
        std::env::var("COMMUNIQUE_AXE_NODE_PATH").unwrap_or("/tmp/axe/node_modules".into()),
    );
    let chromium = PathBuf::from(std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into()));
    let ok = modules.join("axe-core/axe.min.js").is_file()
        && modules.join("puppeteer-core").is_dir()
        && chromium.is_file()
        && common::tool("node", &["--version"]).is_some();
    if !ok {
        assert!(
            !common::required(),
            "axe-core is required: node, {} and {} (see .ci/run)",
            modules.display(),
            chromium.display()
        );
        eprintln!("SKIPPED: axe-core, puppeteer-core or Chromium is not installed (see .ci/run)");
        return None;
    }
    Some((modules, chromium))
}

#[test]
fn axe_finds_nothing_on_the_page_or_the_mail() {
    let Some((modules, chromium)) = axe() else {
        return;
    };
    if !python() {
        return;
    }
    let dir = common::scratch("send", "axe");
    let out = build(&dir, "eml,html", Some(HOUSE));
    let emls: Vec<PathBuf> = statements()
        .iter()
        .map(|s| out.join(format!("{}.eml", stem(s))))
        .collect();
    let o = Command::new("python3")
        .arg(root().join("tests/send/eml_check.py"))
        .args(&emls)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut files = Vec::new();
    for s in statements() {
        files.push(out.join(format!("{}.html", stem(&s))));
        files.push(out.join(format!("{}.parts/html.html", stem(&s))));
    }
    let o = Command::new("node")
        .env("NODE_PATH", &modules)
        .arg(root().join("tests/send/axe.js"))
        .arg(&chromium)
        .args(&files)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = String::from_utf8_lossy(&o.stdout);
    assert_eq!(report.lines().count(), files.len(), "{report}");
    for line in report.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["violations"], serde_json::json!([]), "{line}");
    }
}
