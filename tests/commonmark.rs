//! The CommonMark 0.31.2 spec's examples (`tests/commonmark/spec.txt`), each built as a
//! statement (a front-matter title, `--no-smart-punctuation`) into the HTML page: the visible
//! text of the statement's body must be the visible text of the spec's expected HTML. Raw HTML
//! is read by a real HTML parser, so its text is kept; the few examples whose text differs are
//! listed in [`EXCEPTIONS`] with the reason. Examples that do not build (an image path that is
//! absolute or missing: refusing it is right) are counted apart.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use html5ever::tendril::TendrilSink;
use html5ever::{ParseOpts, QualName, local_name, ns, parse_fragment};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// Examples whose text differs, by number, with the reason.
const EXCEPTIONS: &[(usize, &str)] = &[];

struct Example {
    number: usize,
    markdown: String,
    html: String,
}

fn examples() -> Vec<Example> {
    let spec = include_str!("commonmark/spec.txt");
    let fence = "````````````````````````````````";
    let mut out = Vec::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if !(line.starts_with(fence) && line.trim_end().ends_with("example")) {
            continue;
        }
        let mut md = String::new();
        let mut html = String::new();
        let mut in_html = false;
        for l in lines.by_ref() {
            if l.starts_with(fence) {
                break;
            }
            if l == "." && !in_html {
                in_html = true;
                continue;
            }
            let l = l.replace('→', "\t");
            if in_html {
                html.push_str(&l);
                html.push('\n');
            } else {
                md.push_str(&l);
                md.push('\n');
            }
        }
        out.push(Example {
            number: out.len() + 1,
            markdown: md,
            html,
        });
    }
    out
}

/// The text a browser shows of an HTML fragment: its text nodes, not those of scripts,
/// styles or comments, every run of white space one space.
fn visible_text(html: &str) -> String {
    let dom = parse_fragment(
        RcDom::default(),
        ParseOpts::default(),
        QualName::new(None, ns!(html), local_name!("body")),
        Vec::new(),
        false,
    )
    .one(html);
    let mut s = String::new();
    let mut stack: Vec<Handle> = dom
        .document
        .children
        .borrow()
        .iter()
        .rev()
        .cloned()
        .collect();
    while let Some(n) = stack.pop() {
        match &n.data {
            NodeData::Text { contents } => s.push_str(&contents.borrow()),
            NodeData::Element { name, .. } => {
                if matches!(&*name.local, "script" | "style" | "template" | "title") {
                    continue;
                }
                if matches!(
                    &*name.local,
                    "p" | "br"
                        | "li"
                        | "tr"
                        | "td"
                        | "th"
                        | "div"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "pre"
                        | "blockquote"
                        | "dt"
                        | "dd"
                        | "summary"
                        | "hr"
                ) {
                    s.push(' ');
                }
                for c in n.children.borrow().iter().rev() {
                    stack.push(c.clone());
                }
            }
            _ => {
                for c in n.children.borrow().iter().rev() {
                    stack.push(c.clone());
                }
            }
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The statement's body in our HTML page.
fn body_of(page: &str) -> &str {
    let start = page
        .find("<section class=\"statement\">")
        .map_or(0, |i| i + "<section class=\"statement\">".len());
    let end = page[start..]
        .find("<p class=\"endmark\">")
        .map_or(page.len(), |i| start + i);
    &page[start..end]
}

#[test]
fn spec_examples_keep_their_text() {
    let examples = examples();
    assert_eq!(examples.len(), 652, "spec 0.31.2 has 652 examples");
    let dir = common::scratch("commonmark", "spec");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    for e in &examples {
        let text = format!("---\ntitle: Example {}\n---\n\n{}", e.number, e.markdown);
        std::fs::write(input.join(format!("ex-{:03}.md", e.number)), text).unwrap();
    }
    let out = dir.join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(["build", "-f", "html", "--no-smart-punctuation", "-o"])
        .arg(&out)
        .arg(&input)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("the binary runs");
    let code = o.status.code();
    assert!(
        matches!(code, Some(0) | Some(1)),
        "exit {code:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let exceptions: BTreeMap<usize, &str> = EXCEPTIONS.iter().copied().collect();
    let (mut built, mut same) = (0, 0);
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    for e in &examples {
        let Ok(page) = std::fs::read_to_string(out.join(format!("ex-{:03}.html", e.number))) else {
            continue;
        };
        built += 1;
        let ours = visible_text(body_of(&page));
        let theirs = visible_text(&e.html);
        if ours == theirs {
            same += 1;
            if exceptions.contains_key(&e.number) {
                fixed.push(e.number);
            }
        } else if !exceptions.contains_key(&e.number) {
            unexpected.push(format!(
                "example {}:\n  markdown: {:?}\n  expected: {:?}\n  ours:     {:?}",
                e.number, e.markdown, theirs, ours
            ));
        }
    }
    eprintln!(
        "CommonMark 0.31.2: {built} of {} examples build; {same} of them keep exactly the expected text ({:.1}%)",
        examples.len(),
        100.0 * same as f64 / built as f64
    );
    assert!(
        unexpected.is_empty(),
        "{} examples lose or change text and are not listed:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "listed as exceptions but now identical (take them off the list): {fixed:?}"
    );
    assert!(
        same as f64 >= 0.99 * built as f64,
        "only {same} of {built} built examples keep their text"
    );
    assert!(built >= 620, "only {built} examples built");
}
