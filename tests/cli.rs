//! The binary end to end: exit codes, messages, and what it writes.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn communique(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the binary runs")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scratch(name: &str) -> common::Scratch {
    common::scratch("cli", name)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn model_dump_of_the_bundled_statement_holds_the_seed_text() {
    let o = communique(&["build", "--format", "model", "content/"], &root());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dump = String::from_utf8(o.stdout).unwrap();
    let seed = std::fs::read_to_string(root().join("tests/fixtures/seed-statement.txt")).unwrap();
    for para in seed.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        assert!(dump.contains(&format!("Str \"{para}\"")), "missing: {para}");
    }
}

#[test]
fn malformed_front_matter_exits_1_with_line_and_column() {
    let o = communique(&["check", "tests/reader/bad/wrong-types.md"], &root());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error: tests/reader/bad/wrong-types.md:2:8: `title` must be text"),
        "{err}"
    );
    assert!(err.contains("wrong-types.md:3:7:"), "{err}");
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let d = scratch("utf8");
    std::fs::write(
        d.join("bad.md"),
        b"---\ntitle: x\n---\n\nabc \xC3\x28 def\n",
    )
    .unwrap();
    let o = communique(&["check", "bad.md"], &d);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("byte offset 22"), "{}", stderr(&o));
}

#[test]
fn empty_and_binary_files_are_clear_errors() {
    let d = scratch("empty");
    std::fs::write(d.join("empty.md"), "  \n\n").unwrap();
    std::fs::write(d.join("bin.md"), [0x89u8, b'P', b'N', b'G', 0, 0, 1, 2]).unwrap();
    let o = communique(&["check", "empty.md"], &d);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("empty.md: the file is empty"));
    let o = communique(&["check", "bin.md"], &d);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("binary file"), "{}", stderr(&o));
    let o = communique(&["check", "missing.md"], &d);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("missing.md: cannot read the file"));
}

#[test]
fn usage_errors_exit_2() {
    let o = communique(&["build", "--format", "docx"], &root());
    assert_eq!(o.status.code(), Some(2));
    let o = communique(&["frobnicate"], &root());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn new_writes_a_template_that_checks_and_refuses_to_overwrite() {
    let d = scratch("new");
    let o = communique(&["new", "upr-response"], &d);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let path = d.join("content/upr-response.md");
    let first = std::fs::read_to_string(&path).unwrap();
    for key in communique::frontmatter::KNOWN_KEYS {
        assert!(first.contains(&format!("{key}:")), "template lacks `{key}`");
    }
    let o = communique(&["check", "content/upr-response.md"], &d);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::write(&path, "edited").unwrap();
    let o = communique(&["new", "upr-response"], &d);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited");
    let o = communique(&["new", "../escape"], &d);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_failing_document_does_not_stop_the_others() {
    let d = scratch("batch");
    std::fs::write(d.join("a.md"), "---\ntitle: [\n---\n").unwrap();
    std::fs::write(d.join("b.md"), "---\ntitle: Fine\n---\n\nText.\n").unwrap();
    let o = communique(&["build", "-f", "model", "."], &d);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("title: \"Fine\""));
    assert!(
        stderr(&o).contains("1 of 2 statements failed"),
        "{}",
        stderr(&o)
    );
}

/// Every Markdown file the project ships reads without error (`tests/reader/bad/` holds the
/// files that are wrong on purpose; `tests/corpus/` holds other people's documents, which
/// `tests/suites/corpus.rs` measures).
#[test]
fn every_shipped_markdown_file_checks() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name()
                    .is_some_and(|n| n == "bad" || n == "target" || n == "corpus")
                {
                    continue;
                }
                walk(&p, out)
            } else if p.extension().is_some_and(|x| x == "md")
                && p.file_name().is_some_and(|n| n != "README.md")
            {
                out.push(p)
            }
        }
    }
    let mut files = Vec::new();
    for d in ["content", "examples", "tests"] {
        walk(&root().join(d), &mut files);
    }
    assert!(files.len() >= 7);
    let mut args = vec!["check".to_string(), "-q".to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = communique(&args, &root());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// The shipped completions and man page match the clap definitions (regenerate with
/// `UPDATE_EXPECT=1 cargo test --test cli`).
#[test]
fn completions_and_man_page_are_current() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut stale = Vec::new();
    for (args, file) in [
        (
            vec!["completions", "bash"],
            "doc/completions/communique.bash",
        ),
        (vec!["completions", "zsh"], "doc/completions/communique.zsh"),
        (
            vec!["completions", "fish"],
            "doc/completions/communique.fish",
        ),
        (vec!["man"], "doc/communique.1"),
    ] {
        let o = communique(&args, &root());
        assert_eq!(o.status.code(), Some(0));
        assert!(!o.stdout.is_empty());
        let path = root().join(file);
        if update {
            std::fs::write(&path, &o.stdout).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(&o.stdout[..]) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "stale or missing: {stale:?}; run UPDATE_EXPECT=1 cargo test --test cli"
    );
}

#[test]
fn json_diagnostics_are_one_object_a_line() {
    let o = communique(
        &[
            "--message-format",
            "json",
            "check",
            "tests/reader/bad/wrong-types.md",
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 5, "{err}");
    assert!(lines[0].starts_with("{\"severity\":\"error\",\"file\":\"tests/reader/bad/wrong-types.md\",\"line\":2,\"column\":8,"));
    assert!(lines.iter().all(|l| l.ends_with('}')));
}

#[test]
fn init_sets_up_a_folder_that_builds_and_never_overwrites() {
    let d = scratch("init");
    let o = communique(&["init", "office"], &d);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let office = d.join("office");
    for f in [
        "communique.toml",
        "content/first-statement.md",
        ".gitignore",
    ] {
        assert!(office.join(f).is_file(), "{f} missing");
    }
    let o = communique(&["build", "-f", "model"], &office);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dump = String::from_utf8_lossy(&o.stdout);
    assert!(
        dump.contains("organization: \"Example Organization\""),
        "{dump}"
    );
    std::fs::write(office.join(".gitignore"), "mine").unwrap();
    let o = communique(&["init", "office"], &d);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(office.join(".gitignore")).unwrap(),
        "mine"
    );
}

#[test]
fn house_configuration_typo_is_an_error_with_position() {
    let d = scratch("house");
    std::fs::write(
        d.join("communique.toml"),
        "organization = \"X\"\nabuot = \"y\"\n",
    )
    .unwrap();
    std::fs::write(d.join("a.md"), "---\ntitle: T\n---\n\nText.\n").unwrap();
    let o = communique(&["check", "a.md"], &d);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "communique.toml:2:1: unknown key `abuot` in communique.toml; did you mean `about`?"
        ),
        "{err}"
    );
}

/// Issue 14: each output stands alone. An image without alt text fails the tagged PDF
/// (PDF/UA requires it), but the EPUB and the HTML page are still written; exit 1, and the
/// summary names the output that failed and why.
#[test]
fn a_failing_pdf_does_not_stop_the_epub_and_html() {
    let d = scratch("standalone");
    std::fs::copy(
        root().join("examples/briefing-with-figures/logo.png"),
        d.join("logo.png"),
    )
    .unwrap();
    std::fs::write(
        d.join("s.md"),
        "---\ntitle: One output fails\n---\n\nText.\n\n![](logo.png)\n\nMore text.\n",
    )
    .unwrap();
    let o = communique(&["build", "-f", "pdf,epub,html", "-o", "out", "s.md"], &d);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!d.join("out/s.pdf").exists(), "{err}");
    assert!(d.join("out/s.epub").is_file(), "{err}");
    assert!(d.join("out/s.html").is_file(), "{err}");
    assert!(
        err.contains("the PDF was not written (the image logo.png has no alternative text"),
        "{err}"
    );
    assert!(
        err.contains("the EPUB and the HTML page were written"),
        "{err}"
    );
    // The missing alt text is said once, though the EPUB and the HTML page both met it.
    let alt_warnings = err
        .lines()
        .filter(|l| l.starts_with("warning:") && l.contains("alternative text"))
        .count();
    assert!(alt_warnings <= 1, "{err}");
}

/// Issue 14: one message per problem. A dropped link is met by the EPUB and the HTML page (and
/// the PDF); it is reported once. An HTML comment is invisible and draws no warning.
#[test]
fn each_warning_is_printed_once_and_comments_draw_none() {
    let d = scratch("once");
    std::fs::write(
        d.join("s.md"),
        "---\ntitle: Once\n---\n\n<!-- a note for the editors -->\n\nA [bad link](javascript:alert(1)) and text.\n",
    )
    .unwrap();
    let o = communique(&["build", "-f", "pdf,epub,html", "-o", "out", "s.md"], &d);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(warnings[0].contains("s.md:7:4: dropped the link"), "{err}");
}

/// Issue 14: `###` straight after the headline is a level-2 heading for assistive technology in
/// the EPUB and HTML page too (Ace's heading-order rule), keeping the look of the level written.
#[test]
fn skipped_heading_levels_do_not_skip_in_the_page() {
    let d = scratch("levels");
    std::fs::write(
        d.join("s.md"),
        "---\ntitle: Levels\n---\n\nIntro.\n\n### Contact\n\nText.\n\n#### Detail\n\nText.\n\n## Back\n\nText.\n",
    )
    .unwrap();
    let o = communique(&["build", "-f", "html", "-o", "out", "s.md"], &d);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = std::fs::read_to_string(d.join("out/s.html")).unwrap();
    assert!(
        page.contains("<h2 id=\"contact\" class=\"h3\">Contact</h2>"),
        "{page}"
    );
    assert!(
        page.contains("<h3 id=\"detail\" class=\"h4\">Detail</h3>"),
        "{page}"
    );
    assert!(page.contains("<h2 id=\"back\">Back</h2>"), "{page}");
    assert!(
        page.contains(".h3, .h4, .h5, .h6 {"),
        "the look of the level written"
    );
}
