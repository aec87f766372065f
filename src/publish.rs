//! One statement through the pipeline: load → read → render, with no files written.
//! The caller (the CLI) writes outputs atomically.

use std::path::{Path, PathBuf};

use crate::frontmatter::Node;
use crate::markdown::{self, ReadOptions};
use crate::{Diagnostic, Document, Rendered, dump, eml, epub, pdf, txt};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Pdf,
    Epub,
    Html,
    Model,
    /// Wire-ready plain text.
    Txt,
    /// The e-mail draft, with the PDF attached.
    Eml,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Epub => "epub",
            Format::Html => "html",
            Format::Model => "model.txt",
            Format::Txt => "txt",
            Format::Eml => "eml",
        }
    }
}

/// Settings for a run, already validated.
#[derive(Debug, Clone, Default)]
pub struct Job {
    pub read: ReadOptions,
    pub pdf: pdf::PdfOptions,
    pub epub: epub::EpubOptions,
    /// Largest input file accepted, in bytes.
    pub max_input_bytes: u64,
    /// House defaults from `communique.toml`, merged under each statement's front matter.
    pub house: Option<crate::config::Shared>,
    /// The e-mail draft's senders and recipients (`[email]` in `communique.toml`).
    pub email: Option<crate::config::EmailConfig>,
    /// The newsroom's address (`base_url` in `communique.toml`, ending in `/`).
    pub base_url: Option<String>,
}

pub const DEFAULT_MAX_INPUT_BYTES: u64 = 50 * 1024 * 1024;

/// Reads a file as Markdown text, refusing files that are too large, binary or not UTF-8.
pub fn load(path: &Path, max_bytes: u64) -> Result<String, Diagnostic> {
    let max = if max_bytes == 0 {
        DEFAULT_MAX_INPUT_BYTES
    } else {
        max_bytes
    };
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if meta.is_dir() {
        return Err(Diagnostic::error("is a folder, not a Markdown file")
            .in_file(path)
            .help("give the folder itself to `build` or `check`, which reads every `*.md` in it"));
    }
    if meta.len() > max {
        return Err(Diagnostic::error(format!(
            "the file is {} MB, over the {} MB limit for one statement",
            meta.len() / (1024 * 1024),
            max / (1024 * 1024)
        ))
        .in_file(path)
        .help("split it, or raise the limit with `--max-input-mb`"));
    }
    let bytes = std::fs::read(path).map_err(|e| io_error(path, &e))?;
    crate::decode_text(path, &bytes)
}

fn io_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    let help = match e.kind() {
        std::io::ErrorKind::NotFound => {
            "check the path; `communique new <slug>` starts a new statement"
        }
        std::io::ErrorKind::PermissionDenied => "check the file's permissions",
        _ => "check that the file can be read",
    };
    Diagnostic::error(format!("cannot read the file: {e}"))
        .in_file(path)
        .help(help)
}

/// Loads and reads one statement.
pub fn read_file(path: &Path, job: &Job) -> (Option<Document>, Vec<Diagnostic>) {
    match load(path, job.max_input_bytes) {
        Ok(text) => markdown::read_with(path, &text, &job.read, &|own| house_under(own, job)),
        Err(d) => (None, vec![d]),
    }
}

/// A statement's own front matter over its house defaults: every key the statement sets wins.
fn house_under(own: Option<Node>, job: &Job) -> Option<Node> {
    match &job.house {
        Some(house) => Some(crate::config::merge(own, house)),
        None => own,
    }
}

/// The effective front matter of a statement — its own over the house defaults — as positioned
/// values, and the byte offset where its Markdown body starts.
pub fn front_matter(
    path: &Path,
    text: &str,
    job: &Job,
) -> Result<(Option<Node>, usize), Diagnostic> {
    markdown::front_matter(path, text).map(|(own, at)| (house_under(own, job), at))
}

/// Renders a document in one format. The e-mail draft needs the PDF: this renders it; a
/// caller that also writes the PDF renders it once and calls [`render_eml`].
pub fn render(doc: &Document, format: Format, job: &Job) -> Result<Rendered, Diagnostic> {
    match format {
        Format::Pdf => pdf::pdf(doc, &job.pdf),
        Format::Epub => epub::epub(doc, &job.epub),
        Format::Html => epub::html(doc, &page_options(doc, job)),
        Format::Txt => Ok(txt::txt(doc)),
        Format::Eml => {
            let pdf = pdf::pdf(doc, &job.pdf)?;
            let mut r = render_eml(doc, job, &pdf.bytes)?;
            r.diagnostics.splice(0..0, pdf.diagnostics);
            Ok(r)
        }
        Format::Model => Ok(Rendered {
            bytes: dump::dump(doc).into_bytes(),
            diagnostics: Vec::new(),
            attachments: Vec::new(),
        }),
    }
}

/// The e-mail draft of a document whose PDF is `pdf` (attached as `<stem>.pdf`).
pub fn render_eml(doc: &Document, job: &Job, pdf: &[u8]) -> Result<Rendered, Diagnostic> {
    let opts = eml::EmlOptions {
        email: job.email.clone(),
        source_date_epoch: job.epub.source_date_epoch,
        epub: job.epub.clone(),
    };
    eml::eml(doc, &opts, pdf, &safe_stem(&doc.source.path))
}

/// The page's options: its public address is the statement's `url`, else
/// `<base_url><stem>.html` when `base_url` is set.
fn page_options(doc: &Document, job: &Job) -> epub::EpubOptions {
    let mut o = job.epub.clone();
    if o.page_url.is_none() {
        o.page_url = doc.meta.url.clone();
    }
    if o.page_url.is_none()
        && let Some(base) = &job.base_url
    {
        o.page_url = Some(format!("{base}{}.html", safe_stem(&doc.source.path)));
    }
    o
}

/// The Markdown files a list of paths names: files as given, folders as every `*.md` directly
/// inside them, sorted by name.
pub fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let rd = std::fs::read_dir(p).map_err(|e| io_error(p, &e))?;
            let mut found: Vec<PathBuf> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && f.extension().is_some_and(|x| x == "md"))
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(Diagnostic::error("the folder holds no `*.md` file")
                    .in_file(p)
                    .help("write one with `communique new <slug>`"));
            }
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// A file-name stem safe on every system: letters, digits, `-`, `_` and `.` only, never empty,
/// never starting with a dot.
pub fn safe_stem(path: &Path) -> String {
    let raw = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut s: String = raw
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    s = s.trim_start_matches('.').to_string();
    if s.is_empty() {
        s = "statement".to_string();
    }
    s
}

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into place
/// only when complete, so a failure never leaves a partial file or spoils an existing one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = write_temp(path, bytes)?;
    commit(&tmp, path)
}

/// The first half of [`write_atomic`]: writes `bytes` to a temporary file beside `path` and
/// returns its name. Nothing is at `path` until [`commit`].
pub fn write_temp(path: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Unique per call: two pages of a batch may write the same image beside them (the same
    // logo, the same generated card), each through its own temporary file.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp).and_then(|mut f| f.write_all(bytes));
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// The second half of [`write_atomic`]: makes the temporary file durable and renames it
/// into place; on failure removes it and leaves `path` as it was.
pub fn commit(tmp: &Path, path: &Path) -> std::io::Result<()> {
    let result = std::fs::OpenOptions::new()
        .write(true)
        .open(tmp)
        .and_then(|f| f.sync_all())
        .and_then(|()| std::fs::rename(tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_sanitized() {
        assert_eq!(
            safe_stem(Path::new("content/upr statement.md")),
            "upr-statement"
        );
        assert_eq!(safe_stem(Path::new("../../.hidden.md")), "hidden");
        assert_eq!(safe_stem(Path::new("x/.md")), "md");
        assert_eq!(safe_stem(Path::new("déclaration.md")), "déclaration");
    }
}
