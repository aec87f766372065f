//! Documents as writers have them elsewhere (issue 14, items 5–7), through the binary into
//! every output, read back with the validators: inline Markdown and entities in the front
//! matter (formatted in the headline, plain in the metadata), Jekyll/Hugo YAML, the dateline
//! after a leading quotation, a repeated `# ` headline, and GitHub alerts.
//! A validator that is missing skips its part with a notice, unless
//! `COMMUNIQUE_REQUIRE_VALIDATORS=1`.

use crate::common;

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{pdftotext, qpdf_check, scratch, tool};

const STATEMENT: &str = r#"---
title: "Changes to `u128`/`i128` layout in *Rust* 1.77 &amp; **1.78**"
subtitle: "dirigeant principal&nbsp;: it&#8217;s a ^super^ [link](https://example.org)"
organization: Example Rights Watch
date: 2026-11-27
dateline: GENEVA
lang: en-US
---

# Changes to u128/i128 layout in Rust 1.77 & 1.78

> A leading quotation opens the body.

The release text starts here and carries the dateline.

> [!NOTE]
> Useful information.

> [!TIP]
> Helpful advice.

> [!IMPORTANT]
> Key information.

> [!WARNING]
> Urgent information.

> [!CAUTION]
> Risks of an action.

- An item with an alert:

  > [!TIP]
  > Inside a list.

The last paragraph.
"#;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1764201600")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Builds `name` (written with `text`) as PDF, EPUB and HTML in `dir`; the exit status must
/// be 0. Returns the diagnostics printed.
fn build(dir: &Path, name: &str, text: &str) -> String {
    let md = dir.join(format!("{name}.md"));
    std::fs::write(&md, text).unwrap();
    let out = dir.join("out");
    let o = run(&[
        "build",
        "-f",
        "pdf,epub,html",
        "-o",
        out.to_str().unwrap(),
        md.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{name}: {err}");
    err
}

fn out(dir: &Path, file: &str) -> PathBuf {
    dir.join("out").join(file)
}

fn unzip(path: &Path) -> BTreeMap<String, String> {
    let bytes = std::fs::read(path).unwrap();
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().to_string();
        if name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx") {
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            files.insert(name, s);
        }
    }
    files
}

/// The text a reader sees in (X)HTML: tags removed, the escapes XML needs decoded.
fn text_of(markup: &str) -> String {
    let mut s = String::new();
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                s.push(' ');
            }
            c if !in_tag => s.push(c),
            _ => {}
        }
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// No Markdown syntax or entity of the front matter in a text.
fn assert_clean(what: &str, text: &str) {
    for bad in ["`", "*", "&amp;", "&nbsp;", "&#8217;", "&#", "[!", "[link]"] {
        assert!(!text.contains(bad), "{what} shows {bad:?}:\n{text}");
    }
}

const PLAIN_TITLE: &str = "Changes to u128/i128 layout in Rust 1.77 & 1.78";

#[test]
fn front_matter_markdown_dateline_and_alerts_in_every_output() {
    let dir = scratch("written-elsewhere", "statement");
    let diags = build(&dir, "statement", STATEMENT);
    // Dropping the repeated headline loses nothing, so nothing is said about it.
    assert!(!diags.contains("warning"), "{diags}");

    // PDF: the text as read back.
    let pdf = out(&dir, "statement.pdf");
    if let Some(text) = pdftotext(&pdf, &[]) {
        assert_clean("the PDF", &text);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(flat.matches(PLAIN_TITLE).count(), 1, "{text}");
        assert!(
            flat.contains("dirigeant principal : it’s a super link"),
            "{flat}"
        );
        // The dateline opens the release's own first paragraph, not the quotation.
        assert!(
            flat.contains(
                "A leading quotation opens the body. GENEVA (Nov. 27, 2026) — The release text"
            ),
            "{flat}"
        );
        for label in ["Note", "Tip", "Important", "Warning", "Caution"] {
            assert!(flat.contains(label), "{label}: {flat}");
        }
        assert!(flat.contains("Tip Helpful advice."), "{flat}");
    }
    if let Some(o) = tool("pdfinfo", &[pdf.to_str().unwrap()]) {
        let info = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(
            info.contains(&format!("Title:           {PLAIN_TITLE}\n")),
            "{info}"
        );
        assert!(
            info.contains("Subject:         dirigeant principal\u{a0}: it’s a super link"),
            "{info}"
        );
    }
    if let Some(o) = tool("pdfinfo", &["-struct-text", pdf.to_str().unwrap()]) {
        let tree = String::from_utf8_lossy(&o.stdout).into_owned();
        // Six alerts, each a Note labelled by its kind.
        assert_eq!(tree.matches("Note <alert-").count(), 6, "{tree}");
        assert!(tree.contains("Lbl (block)\n      \"Tip "), "{tree}");
    }
    qpdf_check(&pdf);
    if let Some(o) = tool("pdfua", &["check", pdf.to_str().unwrap()]) {
        let s = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(o.status.success() && s.contains("no findings"), "{s}");
    }
    if let Some(o) = tool("outloud", &[pdf.to_str().unwrap()]) {
        let s = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(o.status.success() && s.contains(" 0 error(s)"), "{s}");
    }

    // EPUB: every content document's text, the package's dc:title.
    let epub = out(&dir, "statement.epub");
    let files = unzip(&epub);
    for (name, markup) in &files {
        assert_clean(name, &text_of(markup));
    }
    let opf = &files["OEBPS/content.opf"];
    assert!(
        opf.contains(&format!(
            "<dc:title id=\"epub-title-1\">{}</dc:title>",
            PLAIN_TITLE.replace('&', "&amp;")
        )) || opf.contains(&format!(
            ">{}</dc:title>",
            PLAIN_TITLE.replace('&', "&amp;")
        )),
        "{opf}"
    );
    // The title page shows the headline and subhead formatted.
    let head = &files["OEBPS/title.xhtml"];
    assert!(
        head.contains("<code>u128</code>/<code>i128</code>"),
        "{head}"
    );
    assert!(head.contains("<em>Rust</em>") && head.contains("<strong>1.78</strong>"));
    assert!(head.contains("<sup>super</sup>"), "{head}");
    let body = &files["OEBPS/statement.xhtml"];
    assert_eq!(body.matches("role=\"note\"").count(), 6, "{body}");
    assert!(body.contains(
        "<div class=\"alert alert-tip\" role=\"note\">\n<p class=\"alert-label\">Tip</p>"
    ));
    let flat = text_of(body)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("opens the body. GENEVA (Nov. 27, 2026) — The release text"),
        "{flat}"
    );
    assert_eq!(flat.matches(PLAIN_TITLE).count(), 1, "{flat}");
    epubcheck(&epub);

    // HTML.
    let html = std::fs::read_to_string(out(&dir, "statement.html")).unwrap();
    assert_clean("the HTML page", &text_of(&html));
    assert!(html.contains(&format!(
        "<title>{}</title>",
        PLAIN_TITLE.replace('&', "&amp;")
    )));
    assert!(html.contains("<code>u128</code>"));
    assert_eq!(html.matches("role=\"note\"").count(), 6);
}

#[test]
fn alert_labels_follow_the_language() {
    let dir = scratch("written-elsewhere", "labels");
    for (lang, label) in [("fr", "Astuce"), ("de", "Tipp"), ("es", "Consejo")] {
        let doc =
            format!("---\ntitle: Titre\nlang: {lang}\n---\n\nTexte.\n\n> [!TIP]\n> Un conseil.\n");
        build(&dir, lang, &doc);
        if let Some(text) = pdftotext(&out(&dir, &format!("{lang}.pdf")), &[]) {
            assert!(text.contains(label), "{lang}: {text}");
            assert!(!text.contains("[!"), "{lang}: {text}");
        }
        let html = std::fs::read_to_string(out(&dir, &format!("{lang}.html"))).unwrap();
        assert!(
            html.contains(&format!("<p class=\"alert-label\">{label}</p>")),
            "{html}"
        );
    }
}

#[test]
fn a_dateline_without_a_paragraph_to_open_stands_alone() {
    let dir = scratch("written-elsewhere", "alone");
    build(
        &dir,
        "alone",
        "---\ntitle: Only a list\ndateline: PARIS\ndate: 2026-11-27\n---\n\n> A quotation.\n\n- one\n- two\n",
    );
    let pdf = out(&dir, "alone.pdf");
    if let Some(text) = pdftotext(&pdf, &[]) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("PARIS (Nov. 27, 2026) — A quotation."),
            "{flat}"
        );
    }
    if let Some(o) = tool("pdfua", &["check", pdf.to_str().unwrap()]) {
        let s = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(o.status.success() && s.contains("no findings"), "{s}");
    }
    let html = std::fs::read_to_string(out(&dir, "alone.html")).unwrap();
    assert!(
        html.contains(
            "<p><span class=\"dateline\">PARIS (Nov. 27, 2026) — </span></p>\n<blockquote>"
        ),
        "{html}"
    );
}

#[test]
fn jekyll_front_matter_builds_with_one_warning_per_problem() {
    let dir = scratch("written-elsewhere", "jekyll");
    let diags = build(
        &dir,
        "post",
        "---\nlayout: post\ntitle: \"A post &amp; its\nexcerpt\"\nexcerpt: \"first line\nsecond line\"\ntags: [a, b\n---\n\nBody.\n",
    );
    let lines: Vec<&str> = diags.lines().filter(|l| l.starts_with("warning")).collect();
    let about = |needle: &str| lines.iter().filter(|l| l.contains(needle)).count();
    assert_eq!(
        about("post.md:4:1: the quoted value of `title`"),
        1,
        "{diags}"
    );
    assert_eq!(
        about("post.md:6:1: the quoted value of `excerpt`"),
        1,
        "{diags}"
    );
    assert_eq!(about("post.md:7:1: front-matter key `tags`"), 1, "{diags}");
    assert!(!diags.contains("error"), "{diags}");
    if let Some(o) = tool("pdfinfo", &[out(&dir, "post.pdf").to_str().unwrap()]) {
        let info = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(
            info.contains("Title:           A post & its excerpt\n"),
            "{info}"
        );
    }
}

fn epubcheck(path: &Path) {
    if let Some((clean, report)) = common::epubcheck(path) {
        assert!(clean, "EPUBCheck on {}:\n{report}", path.display());
    }
}

/// A footnote's number still opens a note that starts with a quotation or an alert (the
/// dateline's rule — top-level paragraphs only — is the body's, not the notes').
#[test]
fn footnotes_opening_with_a_quotation_or_an_alert_keep_their_number() {
    let dir = scratch("written-elsewhere", "notes");
    build(
        &dir,
        "notes",
        "---\ntitle: Notes\ndateline: PARIS\ndate: 2026-11-27\n---\n\n> Opening quote.\n\nText.[^a] More.[^b]\n\n[^a]: > A quoted note.\n\n[^b]: > [!WARNING]\n    > An alert in a note.\n",
    );
    let pdf = out(&dir, "notes.pdf");
    if let Some(text) = pdftotext(&pdf, &[]) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("Opening quote. PARIS (Nov. 27, 2026) — Text.1"),
            "{flat}"
        );
        assert!(
            flat.contains("1 A quoted note. 2 Warning An alert in a note."),
            "{flat}"
        );
    }
    if let Some(o) = tool("pdfua", &["check", pdf.to_str().unwrap()]) {
        let s = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(o.status.success() && s.contains("no findings"), "{s}");
    }
}

// ----- Property: front matter as sites write it -----

use proptest::prelude::*;

/// A front-matter entry: its YAML lines, and whether it is a key Communique uses that is
/// well formed (`Some(true)`), one it uses that is broken (`Some(false)`), or an unused one.
fn entry() -> impl Strategy<Value = (String, Option<bool>)> {
    let word = "[a-z]{1,8}";
    let used = prop::sample::select(vec!["title", "subtitle", "organization", "description"]);
    let unused = prop::sample::select(vec!["excerpt", "layout", "tags", "permalink", "summary"]);
    prop_oneof![
        // A used key with inline Markdown and entities.
        (used.clone(), word, word).prop_map(|(k, a, b)| (
            format!("{k}: \"`{a}` *{b}* &amp; **{a}**&nbsp;{b}&#8217;s\"\n"),
            Some(true)
        )),
        // A used key continued at column 0 (read as PyYAML reads it).
        (used.clone(), word, word)
            .prop_map(|(k, a, b)| (format!("{k}: \"{a}\n{b} *{a}*\"\n"), Some(true))),
        // A used key that no reading can save.
        (used, word).prop_map(|(k, a)| (format!("{k}: [\"{a}\"\n"), Some(false))),
        // Unused keys, well formed or not.
        (unused.clone(), word, word).prop_map(|(k, a, b)| (format!("{k}: \"{a}\n{b}\"\n"), None)),
        (unused.clone(), word).prop_map(|(k, a)| (format!("{k}: [{a}, b\n"), None)),
        (unused, word).prop_map(|(k, a)| (format!("{k}: '{a}''s\n  more'\n"), None)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Reading never panics; every diagnostic points into the front matter; a document whose
    /// used keys can be read builds, and its plain title shows no Markdown or entity.
    #[test]
    fn front_matter_as_sites_write_it(entries in prop::collection::vec(entry(), 1..6)) {
        let mut yaml = String::new();
        let mut seen = std::collections::HashSet::new();
        let mut used_ok = true;
        for (text, used) in &entries {
            // One entry per key: a later duplicate would replace an earlier one.
            let key = text.split(':').next().unwrap().to_string();
            if !seen.insert(key) {
                continue;
            }
            yaml.push_str(text);
            if *used == Some(false) {
                used_ok = false;
            }
        }
        let src = format!("---\n{yaml}---\n\nBody.\n");
        let last_line = src.lines().count() as u32;
        let (doc, diags) = communique::markdown::read(
            Path::new("fm.md"),
            &src,
            &communique::markdown::ReadOptions::default(),
        );
        for d in &diags {
            if let Some((line, col)) = d.line_col {
                prop_assert!(line >= 1 && line <= last_line && col >= 1, "{d}\n{src}");
            }
        }
        prop_assert_eq!(doc.is_some(), used_ok, "{:?}\n{}", diags, src);
        if let Some(doc) = doc {
            for bad in ["`", "*", "&amp;", "&nbsp;", "&#8217;"] {
                prop_assert!(!doc.meta.title.contains(bad), "{}", doc.meta.title);
                if let Some(s) = &doc.meta.subtitle {
                    prop_assert!(!s.contains(bad), "{}", s);
                }
            }
        }
    }
}
