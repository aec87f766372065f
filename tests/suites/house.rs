//! The house configuration end to end: the same bytes whether a statement's organization,
//! logo, boilerplate and contacts come from its front matter or from `communique.toml`; the
//! `[theme]` table; and a press office's folder from `communique init` to outputs that pass
//! the validators.

use crate::common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EPOCH: &str = "1700000000";

fn communique(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(name: &str) -> common::Scratch {
    common::scratch("house", name)
}

/// A YAML scalar as a TOML string.
fn toml_string(yaml: &str) -> String {
    let v = yaml.trim();
    if v.starts_with('"') {
        v.to_string()
    } else {
        format!(
            "\"{}\"",
            v.trim_matches('\'')
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
        )
    }
}

/// Splits a statement's YAML front matter: `organization`, `logo`, the `about: |` block and the
/// `contacts` list go to a `communique.toml`; the rest stays. Returns (statement, toml).
fn move_to_house(statement: &str) -> (String, String) {
    let lines: Vec<&str> = statement.split('\n').collect();
    assert_eq!(lines[0], "---", "YAML front matter expected");
    let end = 1 + lines[1..].iter().position(|l| *l == "---").unwrap();
    let (fm, rest) = (&lines[1..end], &lines[end..]);
    let mut keep: Vec<&str> = Vec::new();
    let mut toml = String::new();
    let mut contacts = String::new();
    let mut i = 0;
    while i < fm.len() {
        let l = fm[i];
        let nested = |j: usize| j < fm.len() && (fm[j].starts_with(' ') || fm[j].is_empty());
        if let Some(v) = l
            .strip_prefix("organization:")
            .or_else(|| l.strip_prefix("logo:"))
        {
            let key = l.split(':').next().unwrap();
            toml.push_str(&format!("{key} = {}\n", toml_string(v)));
            i += 1;
        } else if l.starts_with("about: |") {
            i += 1;
            let mut text = String::new();
            while nested(i) {
                text.push_str(fm[i].strip_prefix("  ").unwrap_or(""));
                text.push('\n');
                i += 1;
            }
            toml.push_str(&format!("about = \"\"\"\n{text}\"\"\"\n"));
        } else if l.starts_with("contacts:") {
            i += 1;
            while nested(i) {
                let item = fm[i].trim_start();
                let item = match item.strip_prefix("- ") {
                    Some(first) => {
                        contacts.push_str("\n[[contacts]]\n");
                        first
                    }
                    None => item,
                };
                let (k, v) = item.split_once(':').unwrap();
                contacts.push_str(&format!("{} = {}\n", k.trim(), toml_string(v)));
                i += 1;
            }
        } else {
            keep.push(l);
            i += 1;
        }
    }
    toml.push_str(&contacts);
    let mut out = vec!["---"];
    out.extend(keep);
    out.extend(rest);
    (out.join("\n"), toml)
}

/// Builds `content/<stem>.md` in `dir` to PDF and EPUB; returns their bytes.
fn build(dir: &Path, stem: &str) -> (Vec<u8>, Vec<u8>) {
    let o = communique(&["build", "-q", "-f", "pdf,epub", "content"], dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (
        std::fs::read(dir.join(format!("out/{stem}.pdf"))).unwrap(),
        std::fs::read(dir.join(format!("out/{stem}.epub"))).unwrap(),
    )
}

/// The statement as it is, and with its house values moved to communique.toml: same bytes.
fn same_bytes_either_way(name: &str, statement: &str, assets: &[(&str, &[u8])]) {
    let (own, house) = move_to_house(statement);
    assert!(house.contains("organization = "), "{house}");
    assert!(house.contains("about = "), "{house}");
    let a = scratch(&format!("{name}-front"));
    let b = scratch(&format!("{name}-house"));
    for (d, text) in [(&a, statement), (&b, own.as_str())] {
        std::fs::create_dir_all(d.join("content")).unwrap();
        std::fs::write(d.join("content/statement.md"), text).unwrap();
    }
    // A logo sits beside the statement in one case and beside communique.toml in the other.
    for (file, bytes) in assets {
        std::fs::write(a.join("content").join(file), bytes).unwrap();
        std::fs::write(b.join(file), bytes).unwrap();
    }
    std::fs::write(b.join("communique.toml"), &house).unwrap();
    let o = communique(&["check", "--explain", "content"], &b);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let explain = String::from_utf8_lossy(&o.stdout);
    assert!(explain.contains("communique.toml:1"), "{explain}");
    let (pdf_a, epub_a) = build(&a, "statement");
    let (pdf_b, epub_b) = build(&b, "statement");
    assert!(pdf_a == pdf_b, "{name}: the PDFs differ\n{house}");
    assert!(epub_a == epub_b, "{name}: the EPUBs differ\n{house}");
}

#[test]
fn house_values_give_the_same_bytes_as_front_matter() {
    let statement = std::fs::read_to_string(root().join("content/us-upr-review.md")).unwrap();
    same_bytes_either_way("as-is", &statement, &[]);
}

#[test]
fn house_logo_and_contacts_give_the_same_bytes_as_front_matter() {
    let statement = std::fs::read_to_string(root().join("content/us-upr-review.md")).unwrap();
    let extra = "logo: logo.png\ncontacts:\n  - name: \"Press Office\"\n    role: Media Relations\n    email: press@example.org\n    phone: \"+1 202 555 0100\"\n  - name: Second Person\n    email: second@example.org\n";
    let statement = statement.replacen("\nlang: en-US\n", &format!("\nlang: en-US\n{extra}"), 1);
    assert!(statement.contains("logo: logo.png"));
    let logo = std::fs::read(root().join("examples/briefing-with-figures/logo.png")).unwrap();
    same_bytes_either_way("logo", &statement, &[("logo.png", &logo)]);
}

fn stylesheet(epub: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let mut css = String::new();
    z.by_name("OEBPS/stylesheet.css")
        .unwrap()
        .read_to_string(&mut css)
        .unwrap();
    css
}

#[test]
fn a_theme_override_changes_the_pdf_and_the_css() {
    let d = scratch("theme");
    std::fs::create_dir_all(d.join("content")).unwrap();
    std::fs::copy(
        root().join("content/us-upr-review.md"),
        d.join("content/us-upr-review.md"),
    )
    .unwrap();
    let (pdf_default, epub_default) = build(&d, "us-upr-review");
    let css_default = stylesheet(&epub_default);
    assert!(css_default.contains("#14386b"), "{css_default}");

    std::fs::write(
        d.join("communique.toml"),
        "[theme.colors]\naccent = \"#aa0000\"\n\n[theme.sizes]\nbody = 12\n",
    )
    .unwrap();
    let (pdf, epub) = build(&d, "us-upr-review");
    assert!(pdf != pdf_default, "the PDF did not change");
    let css = stylesheet(&epub);
    assert!(
        css.contains("color: #aa0000") && !css.contains("#14386b"),
        "{css}"
    );
    // Sizes are relative to the body: a 14-point heading over a 12-point body.
    assert!(css.contains("h1 { font-size: 1.167em; }"), "{css}");
    let o = communique(&["build", "-q", "-f", "html", "content"], &d);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(d.join("out/us-upr-review.html")).unwrap();
    assert!(html.contains("color: #aa0000"));
    assert!(html.contains("font-size: 12pt"));

    // The letterhead and headings are painted in the new accent (#aa0000 is 0.667 0 0).
    let qdf = d.join("qdf.pdf");
    let pdf_path = d.join("out/us-upr-review.pdf");
    if let Some(o) = common::tool(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            pdf_path.to_str().unwrap(),
            qdf.to_str().unwrap(),
        ],
    ) {
        assert!(o.status.success(), "{}", stderr(&o));
        let raw = String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned();
        assert!(raw.contains("0.667 0 0 rg"), "the accent is not painted");
        assert!(
            !raw.contains("0.08 0.22 0.42"),
            "the default accent is still painted"
        );
    }
}

#[test]
fn theme_typos_and_bad_values_fail_with_line_and_column() {
    let d = scratch("theme-typo");
    std::fs::write(d.join("a.md"), "---\ntitle: T\n---\n\nText.\n").unwrap();
    let cases = [
        (
            "[theme.sizes]\nbody = 12\nhedline = 20\n",
            "communique.toml:3:1: unknown key `hedline` in communique.toml; did you mean `headline`?",
        ),
        (
            "[theme]\n[theme.colours]\naccent = \"#000000\"\n",
            "communique.toml:2:8: unknown key `colours` in communique.toml; did you mean `colors`?",
        ),
        (
            "[theme.colors]\naccent = \"navy\"\n",
            "communique.toml:2:10: `navy` is not a colour; write it as \"#rrggbb\"",
        ),
        (
            "[theme.sizes]\nbody = 0\n",
            "communique.toml:2:8: `0` is not a usable size; give a positive number of points",
        ),
    ];
    for (toml, expected) in cases {
        std::fs::write(d.join("communique.toml"), toml).unwrap();
        let o = communique(&["check", "a.md"], &d);
        assert_eq!(o.status.code(), Some(1), "{toml}");
        let err = stderr(&o);
        assert!(err.contains(expected), "{toml}\n{err}");
    }
}

/// `communique init`, then `communique build` there: outputs that pass EPUBCheck with no errors
/// or warnings, `qpdf --check`, and `pdffonts` (every font embedded, subset, with a Unicode map).
/// The commented `[theme]` of the template, uncommented, is the default theme: same PDF.
#[test]
fn init_then_build_passes_the_validators() {
    let d = scratch("init");
    let o = communique(&["init", "office"], &d);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let office = d.join("office");
    let config = std::fs::read_to_string(office.join("communique.toml")).unwrap();
    assert!(config.contains("# [theme.colors]"), "{config}");
    let o = communique(&["build"], &office);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = office.join("out/first-statement.pdf");
    let epub = office.join("out/first-statement.epub");
    assert!(pdf.is_file() && epub.is_file());

    if let Some((clean, report)) = common::epubcheck(&epub) {
        assert!(clean, "EPUBCheck:\n{report}");
    }
    common::qpdf_check(&pdf);
    if let Some(o) = common::tool("pdffonts", &[pdf.to_str().unwrap()]) {
        assert!(o.status.success());
        let out = String::from_utf8_lossy(&o.stdout);
        let rows: Vec<&str> = out.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{out}");
        for row in rows {
            // name type encoding emb sub uni object ID: the three flags before the object number.
            let cols: Vec<&str> = row.split_whitespace().collect();
            let flags = &cols[cols.len() - 5..cols.len() - 2];
            assert_eq!(flags, ["yes", "yes", "yes"], "{row}\n{out}");
        }
    }

    // The README's table of theme keys states the same defaults as the template.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut documented = 0;
    for row in readme.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let (Some(key), Some(default)) = (
            cells[1].strip_prefix('`').and_then(|k| k.strip_suffix('`')),
            cells[2].strip_prefix('`').and_then(|k| k.strip_suffix('`')),
        ) else {
            continue;
        };
        let Some((table, name)) = key.split_once('.') else {
            continue;
        };
        // Rows that list several keys (`heading1`, `heading2`, …) are not checked here.
        if key.contains('`') || default.contains('`') {
            continue;
        }
        if ![
            "fonts",
            "sizes",
            "leading",
            "margins",
            "colors",
            "rules",
            "letterhead",
            "spacing",
        ]
        .contains(&table)
        {
            continue;
        }
        let section = config
            .split(&format!("# [theme.{table}]"))
            .nth(1)
            .and_then(|rest| rest.split("# [theme.").next())
            .unwrap_or_else(|| panic!("the template lacks [theme.{table}]"));
        let stated = format!("{name} = {default}");
        assert!(
            section
                .lines()
                .any(|l| l.trim_start_matches("# ").starts_with(&stated)),
            "README says {key} = {default}; the template says otherwise:\n{section}"
        );
        documented += 1;
    }
    assert!(
        documented >= 40,
        "{documented} theme keys documented in the README"
    );

    // Uncomment the template's theme: it states the defaults, so nothing changes.
    let before = std::fs::read(&pdf).unwrap();
    let mut in_theme = false;
    let mut uncommented = String::new();
    for line in config.lines() {
        in_theme |= line.starts_with("# [theme");
        let line = match line.strip_prefix("# ") {
            Some(rest) if in_theme => rest,
            _ => line,
        };
        uncommented.push_str(line);
        uncommented.push('\n');
    }
    assert!(uncommented.contains("\n[theme.spacing]\n"), "{uncommented}");
    std::fs::write(office.join("communique.toml"), uncommented).unwrap();
    let o = communique(&["build", "-f", "pdf"], &office);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::read(&pdf).unwrap() == before,
        "the template's [theme] is not the default theme"
    );
}
