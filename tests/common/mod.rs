//! Helpers shared by the integration tests that call outside validators.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `COMMUNIQUE_REQUIRE_VALIDATORS=1` (set by `.ci/run`): a missing validator fails the test.
pub fn required() -> bool {
    std::env::var("COMMUNIQUE_REQUIRE_VALIDATORS").as_deref() == Ok("1")
}

/// Runs a validator; `None` (and a notice) when it is not installed, unless [`required`].
pub fn tool(name: &str, args: &[&str]) -> Option<Output> {
    match Command::new(name).args(args).output() {
        Ok(o) => Some(o),
        Err(_) => {
            if required() {
                panic!("{name} is required (COMMUNIQUE_REQUIRE_VALIDATORS=1) but not installed");
            }
            eprintln!("SKIPPED: {name} is not installed");
            None
        }
    }
}

/// `pdftotext [args] FILE -`, which must succeed.
pub fn pdftotext(path: &Path, args: &[&str]) -> Option<String> {
    let mut a: Vec<&str> = args.to_vec();
    a.push(path.to_str().unwrap());
    a.push("-");
    let out = tool("pdftotext", &a)?;
    assert!(out.status.success());
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The words of `pdftotext -bbox` output: (word, xMin, xMax, width of its page).
pub fn bbox_words(html: &str) -> Vec<(String, f32, f32, f32)> {
    let attr = |tag: &str, name: &str| -> f32 {
        let k = format!("{name}=\"");
        let at = tag.find(&k).expect(name) + k.len();
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut width = 0.0;
    let mut words = Vec::new();
    for tag in html.split('<') {
        if tag.starts_with("page ") {
            width = attr(tag, "width");
        } else if tag.starts_with("word ") {
            let word = tag.rsplit('>').next().unwrap_or("").to_string();
            words.push((word, attr(tag, "xMin"), attr(tag, "xMax"), width));
        }
    }
    words
}

/// `qpdf --check FILE`, which must succeed and find no syntax or stream errors; its report.
pub fn qpdf_check(path: &Path) -> Option<String> {
    let out = tool("qpdf", &["--check", path.to_str().unwrap()])?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "qpdf --check {}:\n{text}{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("No syntax or stream encoding errors"),
        "{}: {text}",
        path.display()
    );
    Some(text)
}

/// A scratch folder, removed when the test ends.
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An empty scratch folder for test `name` of `suite`.
pub fn scratch(suite: &str, name: &str) -> Scratch {
    let d = std::env::temp_dir().join(format!("communique-{suite}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    Scratch(d)
}
