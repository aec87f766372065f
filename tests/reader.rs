//! Data-driven reader tests: every `tests/reader/**/*.md` is read, and its model dump followed by
//! its diagnostics is compared with the `.expected` file beside it.
//! Run with `UPDATE_EXPECT=1` to rewrite the expected files after a deliberate change.

use std::path::{Path, PathBuf};

use communique::markdown::{ReadOptions, read};
use communique::model::{BlockKind, plain_text};

fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            cases(&p, out)
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p)
        }
    }
}

/// The text the reader test compares: the dump, then one line per diagnostic.
fn render(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let name = Path::new(path.file_name().unwrap());
    let (doc, diags) = read(name, &text, &ReadOptions::default());
    let mut out = match &doc {
        Some(d) => communique::dump::dump(d),
        None => "(no document)\n".to_string(),
    };
    if !diags.is_empty() {
        out.push_str("Diagnostics\n");
        for d in &diags {
            out.push_str(&format!("  {d}\n"));
        }
    }
    out
}

#[test]
fn reader_cases_match_expected_dumps() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reader");
    let mut all = Vec::new();
    cases(&root, &mut all);
    assert!(all.len() >= 10, "reader cases missing");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for md in all {
        let got = render(&md);
        let expected_path = md.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
            panic!(
                "{} is missing; run with UPDATE_EXPECT=1",
                expected_path.display()
            )
        });
        if got != want {
            failures.push(format!(
                "--- {}\n--- expected\n{want}\n--- got\n{got}",
                md.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The seed statement comes through the reader byte for byte: each of its paragraphs is one
/// paragraph of the model, with its curly quotes and apostrophes exactly as typed.
#[test]
fn seed_statement_text_is_exact() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = std::fs::read_to_string(root.join("tests/fixtures/seed-statement.txt")).unwrap();
    let want: Vec<&str> = seed
        .split("\n\n")
        .map(str::trim_end)
        .filter(|p| !p.is_empty())
        .collect();
    let path = root.join("content/us-upr-review.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let (doc, diags) = read(&path, &text, &ReadOptions::default());
    assert!(diags.is_empty(), "{diags:?}");
    let doc = doc.unwrap();
    let got: Vec<String> = doc
        .blocks
        .iter()
        .map(|b| match &b.kind {
            BlockKind::Paragraph(i) => plain_text(i),
            other => panic!("unexpected block {other:?}"),
        })
        .collect();
    assert_eq!(got, want);
    // The newspaper convention: every quoted paragraph opens with “, only the last closes.
    assert!(got[1..].iter().all(|p| p.starts_with('“')));
    assert_eq!(got.iter().filter(|p| p.contains('”')).count(), 1);
    assert_eq!(
        doc.meta.organization.as_deref(),
        Some("Amnesty International USA")
    );
    assert_eq!(doc.meta.date.unwrap().to_string(), "2026-11-27");
    assert_eq!(doc.meta.dateline.as_deref(), Some("WASHINGTON"));
    assert!(
        doc.meta.contacts.is_empty(),
        "the statement names no media contact"
    );
}

/// Smart punctuation is an option: off, straight quotes and `--` stay as typed.
#[test]
fn smart_punctuation_can_be_turned_off() {
    let text = "---\ntitle: t\n---\n\n\"Straight\" -- 'as typed'\n";
    let opts = ReadOptions {
        smart_punctuation: false,
        ..ReadOptions::default()
    };
    let (doc, _) = read(Path::new("x.md"), text, &opts);
    let BlockKind::Paragraph(p) = &doc.unwrap().blocks[0].kind else {
        panic!()
    };
    assert_eq!(plain_text(p), "\"Straight\" -- 'as typed'");
    let (doc, _) = read(Path::new("x.md"), text, &ReadOptions::default());
    let BlockKind::Paragraph(p) = &doc.unwrap().blocks[0].kind else {
        panic!()
    };
    assert_eq!(plain_text(p), "“Straight” – ‘as typed’");
}

/// Block ids are unique and in reading order (the PDF tags depend on it).
#[test]
fn block_ids_are_unique_in_reading_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("tests/reader/constructs.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let (doc, _) = read(&path, &text, &ReadOptions::default());
    let doc = doc.unwrap();
    let mut ids = Vec::new();
    doc.walk_blocks(&mut |b| ids.push(b.id.0));
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        ids, sorted,
        "ids must be strictly increasing in reading order"
    );
    assert!(ids.len() > 15);
}

/// Nesting deeper than the limit is flattened with one warning, never a stack overflow.
#[test]
fn deep_nesting_is_flattened() {
    let text = format!("---\ntitle: t\n---\n\n{}deep\n", "> ".repeat(2000));
    let (doc, diags) = read(Path::new("x.md"), &text, &ReadOptions::default());
    let doc = doc.unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0].message.contains("nested more than 32"));
    let mut depth = 0;
    let mut blocks = &doc.blocks;
    while let Some(BlockKind::BlockQuote(inner)) = blocks.first().map(|b| &b.kind) {
        depth += 1;
        blocks = inner;
    }
    assert_eq!(depth, 32);
    let list = format!(
        "---\ntitle: t\n---\n\n{}",
        (0..2000)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect::<String>()
    );
    let (doc, _) = read(Path::new("x.md"), &list, &ReadOptions::default());
    assert!(doc.is_some());
}
