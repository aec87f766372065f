//! Command-line flags (clap derive) and the commands they run.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use communique::diag::{Diagnostic, has_errors};
use communique::publish::{self, Format, Job};

/// Publish press statements written in Markdown as a PDF press release and an EPUB briefing.
#[derive(Debug, Parser)]
#[command(name = "communique", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// How diagnostics are printed: `human` lines, or one JSON object a line for editors and CI.
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build statements into PDF, EPUB, HTML or a model dump.
    Build(BuildArgs),
    /// Build, then rebuild whatever changes when a statement, asset or configuration is saved.
    Watch(BuildArgs),
    /// Read and validate statements only; print diagnostics.
    Check(CheckArgs),
    /// Start a new statement: writes content/<SLUG>.md from a commented template.
    New(NewArgs),
    /// Start a press office's folder: a commented communique.toml, content/ with an example
    /// statement, and a .gitignore for out/. Never overwrites.
    Init {
        /// The folder to set up (created when missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to standard output.
    Man,
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Markdown files or folders (a folder means every `*.md` in it). Default: content/
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Keep straight quotes and `--` as typed instead of making them typographic.
    #[arg(long)]
    pub no_smart_punctuation: bool,
    /// Largest input file accepted, in megabytes.
    #[arg(long, value_name = "MB", default_value_t = 50, help_heading = "Limits")]
    pub max_input_mb: u64,
    /// Lists and block quotes nested deeper than this are flattened, with a warning; so are
    /// inline spans (emphasis, links) nested deeper. At most 256.
    #[arg(long, value_name = "LEVELS", help_heading = "Limits",
          default_value_t = communique::markdown::DEFAULT_MAX_DEPTH as u64,
          value_parser = clap::value_parser!(u64).range(1..=communique::markdown::MAX_DEPTH_CEILING as u64))]
    pub max_depth: u64,
    /// Treat warnings as errors (exit code 1).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print errors only.
    #[arg(short, long)]
    pub quiet: bool,
    /// House configuration to use instead of the nearest `communique.toml` in the input's
    /// folder or its parents.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum FormatArg {
    Pdf,
    Epub,
    Html,
    Model,
    /// Wire-ready plain text, OUT/<stem>.txt.
    Txt,
    /// An e-mail draft with the PDF attached, OUT/<stem>.eml.
    Eml,
    All,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output formats, comma-separated or repeated: pdf, epub, html, model (printed to
    /// standard output), txt (wire-ready plain text), eml (e-mail draft with the PDF
    /// attached) or all.
    #[arg(short, long = "format", value_enum, value_delimiter = ',', default_values_t = [FormatArg::Pdf, FormatArg::Epub])]
    pub formats: Vec<FormatArg>,
    /// Folder for the outputs.
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    pub out_dir: PathBuf,
    /// Bundle every input into one EPUB briefing pack with this title
    /// (written as OUT/<slug of title>.epub instead of one EPUB per statement).
    #[arg(long, value_name = "TITLE")]
    pub bundle: Option<String>,
    /// Embed the bundled fonts in EPUBs (larger files; readers' own fonts are used otherwise).
    #[arg(long)]
    pub embed_fonts: bool,
    /// Paper size of the PDF (default: letter for en-US, A4 otherwise).
    #[arg(long, value_enum)]
    pub paper: Option<PaperArg>,
    /// Allow images outside the statement's folder (`..`, absolute paths, links pointing out).
    #[arg(long)]
    pub allow_outside: bool,
    /// Standards the PDF meets: `ua1` (tagged, accessible), `a2b` (archival), both (the
    /// default: `ua1,a2b`) or `none` (a smaller file).
    #[arg(long, value_name = "LIST", value_parser = communique::pdf::Standards::parse, default_value = "ua1,a2b")]
    pub pdf_standard: communique::pdf::Standards,
    /// Set the PDF's body text ragged-right instead of justified.
    #[arg(long)]
    pub ragged: bool,
    /// A folder of extra fonts (.ttf, .otf, .ttc), searched for characters the bundled fonts
    /// lack; may be repeated.
    #[arg(long, value_name = "DIR")]
    pub font_dir: Vec<PathBuf>,
    /// Use only the bundled fonts and --font-dir, never the system's font folders (the same
    /// PDF on every machine; emoji are then drawn in the bundled monochrome Noto Emoji).
    #[arg(long)]
    pub no_system_fonts: bool,
    /// Largest image file accepted, in megabytes.
    #[arg(long, value_name = "MB", help_heading = "Limits",
          default_value_t = communique::assets::MAX_FILE_BYTES >> 20)]
    pub max_image_mb: u64,
    /// Longest image side accepted, in pixels.
    #[arg(long, value_name = "PIXELS", help_heading = "Limits",
          default_value_t = communique::assets::MAX_SIDE)]
    pub max_image_side: u32,
    /// Largest decoded image accepted (width × height × 4 bytes), in megabytes.
    #[arg(long, value_name = "MB", help_heading = "Limits",
          default_value_t = communique::assets::MAX_DECODED_BYTES >> 20)]
    pub max_image_decoded_mb: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperArg {
    Letter,
    A4,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Print each statement's effective front matter, with the file and line each value came from.
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Name of the new statement: letters, digits and hyphens (e.g. `upr-response`).
    pub slug: String,
    /// Folder to write it in.
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub dir: PathBuf,
}

pub fn run(cli: Cli) -> ExitCode {
    let printer = Printer::new(cli.message_format);
    match cli.command {
        Command::Build(args) => build(&args, &printer),
        Command::Watch(args) => watch(&args, &printer),
        Command::Check(args) => check(args, &printer),
        Command::New(args) => new(args, &printer),
        Command::Init { dir } => init(&dir, &printer),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "communique", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            match clap_mangen::Man::new(cmd).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(1),
            }
        }
    }
}

/// Prints diagnostics as human lines (coloured on a terminal unless `NO_COLOR` is set) or JSON.
pub struct Printer {
    format: MessageFormat,
    color: bool,
}

impl Printer {
    fn new(format: MessageFormat) -> Printer {
        use std::io::IsTerminal;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Printer {
            format,
            color: !no_color && std::io::stderr().is_terminal(),
        }
    }

    pub fn print(&self, d: &Diagnostic) {
        let line = match self.format {
            MessageFormat::Json => json(d),
            MessageFormat::Human if self.color => {
                let text = d.to_string();
                let (label, code) = if d.is_error() {
                    ("error", "1;31")
                } else {
                    ("warning", "1;33")
                };
                format!("\x1b[{code}m{label}\x1b[0m{}", &text[label.len()..])
            }
            MessageFormat::Human => d.to_string(),
        };
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }

    /// A progress or summary line (human format only).
    pub fn note(&self, text: &str) {
        if self.format == MessageFormat::Human {
            let _ = writeln!(std::io::stderr().lock(), "{text}");
        }
    }
}

/// One diagnostic as a JSON object on one line.
fn json(d: &Diagnostic) -> String {
    fn s(v: &str) -> String {
        let mut o = String::from("\"");
        for c in v.chars() {
            match c {
                '"' => o.push_str("\\\""),
                '\\' => o.push_str("\\\\"),
                '\n' => o.push_str("\\n"),
                c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
                c => o.push(c),
            }
        }
        o.push('"');
        o
    }
    let severity = if d.is_error() { "error" } else { "warning" };
    let mut out = format!(
        "{{\"severity\":\"{severity}\",\"file\":{}",
        s(&d.path.display().to_string())
    );
    if let Some((l, c)) = d.line_col {
        out.push_str(&format!(",\"line\":{l},\"column\":{c}"));
    }
    out.push_str(&format!(",\"message\":{}", s(&d.message)));
    if let Some(h) = &d.help {
        out.push_str(&format!(",\"help\":{}", s(h)));
    }
    out.push('}');
    out
}

fn job(input: &InputArgs) -> Job {
    let mut job = Job {
        max_input_bytes: input.max_input_mb.saturating_mul(1024 * 1024),
        ..Job::default()
    };
    job.read.smart_punctuation = !input.no_smart_punctuation;
    job.read.max_depth = input.max_depth as usize;
    let epoch = communique::source_date_epoch();
    job.pdf.source_date_epoch = epoch;
    job.epub.source_date_epoch = epoch;
    job
}

fn inputs(input: &InputArgs) -> Result<Vec<PathBuf>, Diagnostic> {
    let paths = if input.paths.is_empty() {
        vec![PathBuf::from("content")]
    } else {
        input.paths.clone()
    };
    publish::collect_inputs(&paths)
}

/// Prints diagnostics to stderr; returns whether they fail the document.
fn report(diags: &[Diagnostic], input: &InputArgs, printer: &Printer) -> bool {
    for d in diags {
        if d.is_error() || !input.quiet {
            printer.print(d);
        }
    }
    has_errors(diags) || (input.deny_warnings && !diags.is_empty())
}

fn formats(args: &[FormatArg]) -> BTreeSet<Format> {
    let mut set = BTreeSet::new();
    for f in args {
        match f {
            FormatArg::Pdf => {
                set.insert(Format::Pdf);
            }
            FormatArg::Epub => {
                set.insert(Format::Epub);
            }
            FormatArg::Html => {
                set.insert(Format::Html);
            }
            FormatArg::Model => {
                set.insert(Format::Model);
            }
            FormatArg::Txt => {
                set.insert(Format::Txt);
            }
            FormatArg::Eml => {
                set.insert(Format::Eml);
            }
            FormatArg::All => set.extend([
                Format::Pdf,
                Format::Epub,
                Format::Html,
                Format::Model,
                Format::Txt,
                Format::Eml,
            ]),
        }
    }
    set
}

fn build(args: &BuildArgs, printer: &Printer) -> ExitCode {
    let job = job(&args.input);
    let files = match inputs(&args.input) {
        Ok(f) => f,
        Err(d) => {
            printer.print(&d);
            return ExitCode::from(1);
        }
    };
    let formats = formats(&args.formats);
    let writes_files = formats.iter().any(|f| *f != Format::Model);
    if writes_files && let Err(e) = std::fs::create_dir_all(&args.out_dir) {
        printer.print(
            &Diagnostic::error(format!("cannot create the output folder: {e}"))
                .in_file(&args.out_dir)
                .help("choose a writable folder with `--out-dir`"),
        );
        return ExitCode::from(1);
    }
    let mut job = job;
    apply_output_flags(&mut job, args);
    let mut houses = Houses::default();
    let mut per_statement = formats.clone();
    if args.bundle.is_some() {
        per_statement.remove(&Format::Epub);
    }
    let (mut failed, mut written) =
        build_files(&files, &job, &per_statement, args, &mut houses, printer);
    if let Some(title) = &args.bundle {
        match build_bundle(title, &files, &job, args, &mut houses, printer) {
            Ok(()) => written += 1,
            Err(bad) => {
                for f in bad {
                    if !failed.contains(&f) {
                        failed.push(f);
                    }
                }
            }
        }
    }
    summary(&files, &failed, written, args.input.quiet, printer)
}

/// `--bundle`: one EPUB holding every input. Written only when every statement reads cleanly,
/// so that a pack never silently lacks one. Returns the failed inputs otherwise.
fn build_bundle(
    title: &str,
    files: &[PathBuf],
    job: &Job,
    args: &BuildArgs,
    houses: &mut Houses,
    printer: &Printer,
) -> Result<(), Vec<PathBuf>> {
    use rayon::prelude::*;
    let jobs: Vec<Option<Job>> = files
        .iter()
        .map(|f| houses.job_for(f, job, &args.input, printer))
        .collect();
    let read: Vec<_> = files
        .par_iter()
        .zip(jobs.par_iter())
        .map(|(f, j)| j.as_ref().map(|j| publish::read_file(f, j)))
        .collect();
    let mut docs = Vec::new();
    let mut bad = Vec::new();
    for (file, r) in files.iter().zip(read) {
        match r {
            // Reading diagnostics were printed by the per-statement pass, which always reads.
            Some((Some(doc), diags)) if !has_errors(&diags) => docs.push(doc),
            _ => bad.push(file.clone()),
        }
    }
    let out = args
        .out_dir
        .join(format!("{}.epub", communique::markdown::slug(title)));
    if !bad.is_empty() {
        printer.print(
            &Diagnostic::error(format!(
                "the briefing pack was not written: {} of {} statements have errors",
                bad.len(),
                files.len()
            ))
            .in_file(&out)
            .help("fix the errors above, or leave those statements out of the pack"),
        );
        return Err(bad);
    }
    // The pack takes the theme of its first statement's house configuration.
    let mut epub_opts = job.epub.clone();
    if let Some(Some(first)) = jobs.first() {
        epub_opts.theme = first.epub.theme.clone();
    }
    match communique::epub::bundle(title, &docs, &epub_opts) {
        Ok(r) => {
            for d in &r.diagnostics {
                if d.is_error() || !args.input.quiet {
                    printer.print(d);
                }
            }
            if let Err(e) = publish::write_atomic(&out, &r.bytes) {
                printer.print(
                    &Diagnostic::error(format!("cannot write the output: {e}")).in_file(&out),
                );
                return Err(files.to_vec());
            }
            if !args.input.quiet {
                printer.note(&format!("wrote {}", out.display()));
            }
            Ok(())
        }
        Err(d) => {
            printer.print(&d.in_file(&out));
            Err(files.to_vec())
        }
    }
}

/// The build flags that shape the outputs.
fn apply_output_flags(job: &mut Job, args: &BuildArgs) {
    job.epub.embed_fonts = args.embed_fonts;
    job.epub.assets.allow_outside = args.allow_outside;
    job.pdf.assets.allow_outside = args.allow_outside;
    let limits = communique::assets::ImageLimits {
        max_side: args.max_image_side,
        max_decoded_bytes: args.max_image_decoded_mb.saturating_mul(1 << 20),
        max_file_bytes: args.max_image_mb.saturating_mul(1 << 20),
    };
    job.epub.assets.limits = limits;
    job.pdf.assets.limits = limits;
    job.pdf.ragged = args.ragged;
    job.pdf.standards = args.pdf_standard;
    job.pdf.font_dirs = args.font_dir.clone();
    job.pdf.no_system_fonts = args.no_system_fonts;
    job.epub.no_system_fonts = args.no_system_fonts;
    job.pdf.paper = args.paper.map(|p| match p {
        PaperArg::Letter => communique::pdf::Paper::Letter,
        PaperArg::A4 => communique::pdf::Paper::A4,
    });
}

/// `watch`: an initial build, then a rebuild of what changed after each save. Errors are
/// printed and watching goes on.
fn watch(args: &BuildArgs, printer: &Printer) -> ExitCode {
    use notify::{RecursiveMode, Watcher};
    use std::time::{Duration, Instant};
    build(args, printer);
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = match notify::recommended_watcher(tx) {
        Ok(w) => w,
        Err(e) => {
            printer.print(&Diagnostic::error(format!("cannot watch for changes: {e}")));
            return ExitCode::from(1);
        }
    };
    let roots = if args.input.paths.is_empty() {
        vec![PathBuf::from("content")]
    } else {
        args.input.paths.clone()
    };
    for root in &roots {
        // A file is watched through its folder: editors save by renaming a new file into place.
        let (dir, mode) = if root.is_dir() {
            (root.clone(), RecursiveMode::Recursive)
        } else {
            let parent = root
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            (parent.to_path_buf(), RecursiveMode::NonRecursive)
        };
        if let Err(e) = watcher.watch(&dir, mode) {
            printer.print(&Diagnostic::error(format!("cannot watch: {e}")).in_file(&dir));
            return ExitCode::from(1);
        }
    }
    let out_dir = std::fs::canonicalize(&args.out_dir).unwrap_or_else(|_| args.out_dir.clone());
    printer.note("watching for changes (Ctrl-C to stop)");
    let mut job = job(&args.input);
    apply_output_flags(&mut job, args);
    let formats = formats(&args.formats);
    while let Ok(first) = rx.recv() {
        let mut events = vec![first];
        // Let a burst of events from one save settle.
        while let Ok(e) = rx.recv_timeout(Duration::from_millis(15)) {
            events.push(e);
        }
        let changed: Vec<PathBuf> = events
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| !e.kind.is_access())
            .flat_map(|e| e.paths)
            .filter(|p| !p.starts_with(&out_dir))
            .filter(|p| {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                !(name.starts_with('.')
                    || name.ends_with('~')
                    || name.ends_with(".swp")
                    || name.ends_with(".tmp"))
            })
            // Only what a build reads: statements, images, the house configuration (a log
            // file written into the folder must not start a rebuild loop).
            .filter(|p| {
                let ext = p
                    .extension()
                    .map(|x| x.to_string_lossy().to_ascii_lowercase())
                    .unwrap_or_default();
                matches!(
                    ext.as_str(),
                    "md" | "markdown" | "png" | "jpg" | "jpeg" | "gif" | "webp" | "toml"
                )
            })
            .collect();
        if changed.is_empty() {
            continue;
        }
        let started = Instant::now();
        let all = match inputs(&args.input) {
            Ok(f) => f,
            Err(d) => {
                printer.print(&d);
                continue;
            }
        };
        let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let changed: Vec<PathBuf> = changed.iter().map(|p| canon(p)).collect();
        // A changed statement rebuilds itself; a changed asset or configuration rebuilds all.
        let only_statements = changed
            .iter()
            .all(|p| p.extension().is_some_and(|x| x == "md"));
        let files: Vec<PathBuf> = if only_statements {
            all.into_iter()
                .filter(|f| changed.contains(&canon(f)))
                .collect()
        } else {
            all
        };
        if files.is_empty() {
            continue;
        }
        let mut houses = Houses::default();
        let (failed, _) = build_files(&files, &job, &formats, args, &mut houses, printer);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        if failed.is_empty() {
            printer.note(&format!("rebuilt {} in {ms:.0} ms", names.join(", ")));
        } else {
            printer.note(&format!(
                "rebuilt {} in {ms:.0} ms ({} failed)",
                names.join(", "),
                failed.len()
            ));
        }
    }
    ExitCode::SUCCESS
}

/// What building one statement produced, printed in input order once all are done.
#[derive(Default)]
struct Outcome {
    diags: Vec<Diagnostic>,
    notes: Vec<String>,
    model: Vec<u8>,
    failed: bool,
    /// Outputs written to temporary files and handed to the committing thread.
    pending: Vec<Pending>,
}

/// Files of one output, written to temporary files, for the committing thread to make
/// durable and rename into place in order (attachments first, the page last), so that the
/// rendering threads never wait for the disk.
struct Commit {
    /// (temporary file, final path) pairs.
    files: Vec<(PathBuf, PathBuf)>,
    done: std::sync::mpsc::Sender<std::io::Result<()>>,
}

/// An output handed to the committing thread, and where its result comes back.
struct Pending {
    out: PathBuf,
    files: usize,
    done: std::sync::mpsc::Receiver<std::io::Result<()>>,
}

/// The committing thread's work: each output's files in order; after a failure the rest of
/// that output's temporary files are removed, so nothing partial is left.
fn commit_all(commits: std::sync::mpsc::Receiver<Commit>) {
    for c in commits {
        let mut result = Ok(());
        for (tmp, path) in &c.files {
            if result.is_ok() {
                result = publish::commit(tmp, path);
            } else {
                let _ = std::fs::remove_file(tmp);
            }
        }
        let _ = c.done.send(result);
    }
}

/// Builds statements in parallel (one per core), then reports them in input order.
/// Returns the inputs that failed and the number of files written.
fn build_files(
    files: &[PathBuf],
    job: &Job,
    formats: &BTreeSet<Format>,
    args: &BuildArgs,
    houses: &mut Houses,
    printer: &Printer,
) -> (Vec<PathBuf>, usize) {
    use rayon::prelude::*;
    // House configurations are loaded once each, before the parallel part.
    let jobs: Vec<Option<Job>> = files
        .iter()
        .map(|f| houses.job_for(f, job, &args.input, printer))
        .collect();
    // Two inputs with one stem would write one output: refuse the later ones.
    let mut seen = std::collections::HashMap::new();
    let clash: Vec<Option<PathBuf>> = files
        .iter()
        .map(|f| {
            seen.insert(publish::safe_stem(f), f.clone())
                .map(|_| f.clone())
        })
        .collect();
    // In a batch, finished outputs are made durable and renamed into place on a thread of
    // their own, so that rendering never waits for the disk (fsync takes as long as rendering
    // a statement). One statement has nothing to overlap: its outputs are committed here.
    let (commits, to_commit) = std::sync::mpsc::channel::<Commit>();
    std::thread::scope(|scope| {
        let to_commit = if files.len() > 1 {
            scope.spawn(move || commit_all(to_commit));
            None
        } else {
            Some(to_commit)
        };
        let progress = progress_bar(files.len(), args.input.quiet);
        let run = |((file, job), clash): ((&PathBuf, &Option<Job>), &Option<PathBuf>)| {
            let outcome = match (job, clash) {
                    (None, _) => Outcome {
                        failed: true,
                        ..Outcome::default()
                    },
                    (Some(_), Some(_)) => Outcome {
                        diags: vec![
                            Diagnostic::error(format!(
                                "another input has the same name, `{}`; its outputs would overwrite each other",
                                publish::safe_stem(file)
                            ))
                            .in_file(file)
                            .help("rename one of the files, or build them into different `--out-dir`s"),
                        ],
                        failed: true,
                        ..Outcome::default()
                    },
                    (Some(job), None) => build_one(file, job, formats, &args.out_dir, args.input.deny_warnings, &commits),
                };
            if let Some(p) = &progress {
                p.inc(1);
            }
            outcome
        };
        // One statement is built on this thread: no thread pool to start (see `build_one`).
        let outcomes: Vec<Outcome> = if files.len() == 1 {
            files.iter().zip(&jobs).zip(&clash).map(run).collect()
        } else {
            files
                .par_iter()
                .zip(jobs.par_iter())
                .zip(clash.par_iter())
                .map(run)
                .collect()
        };
        if let Some(p) = progress {
            p.finish_and_clear();
        }
        drop(commits);
        if let Some(to_commit) = to_commit {
            commit_all(to_commit);
        }
        let mut failed = Vec::new();
        let mut written = 0;
        let mut stdout = std::io::stdout().lock();
        for (file, mut o) in files.iter().zip(outcomes) {
            let mut wrote = Vec::new();
            for p in &o.pending {
                match p.done.recv() {
                    Ok(Ok(())) => {
                        written += 1;
                        wrote.push(format!("wrote {}", p.out.display()));
                    }
                    result => {
                        let why = match result {
                            Ok(Err(e)) => e.to_string(),
                            _ => "it was not finished".to_string(),
                        };
                        let what = if p.files > 1 {
                            "the output or a file beside it"
                        } else {
                            "the output"
                        };
                        o.diags.push(
                            Diagnostic::error(format!("cannot write {what}: {why}"))
                                .in_file(&p.out)
                                .help("check that the output folder is writable"),
                        );
                        o.failed = true;
                    }
                }
            }
            for d in &o.diags {
                if d.is_error() || !args.input.quiet {
                    printer.print(d);
                }
            }
            if !args.input.quiet {
                for n in o.notes.iter().chain(&wrote) {
                    printer.note(n);
                }
            }
            let _ = stdout.write_all(&o.model);
            if o.failed {
                failed.push(file.clone());
            }
        }
        (failed, written)
    })
}

/// A progress bar on stderr for batches, only on a terminal and never with `-q`.
fn progress_bar(len: usize, quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if quiet || len < 2 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} statements {elapsed}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// Reads one statement and writes its outputs; prints nothing.
fn build_one(
    file: &Path,
    job: &Job,
    formats: &BTreeSet<Format>,
    out_dir: &Path,
    deny_warnings: bool,
    commits: &std::sync::mpsc::Sender<Commit>,
) -> Outcome {
    let mut o = Outcome::default();
    let (doc, diags) = publish::read_file(file, job);
    let fails = |d: &[Diagnostic]| has_errors(d) || (deny_warnings && !d.is_empty());
    o.failed = fails(&diags);
    o.diags = diags;
    let Some(doc) = doc.filter(|_| !o.failed) else {
        o.failed = true;
        return o;
    };
    let stem = publish::safe_stem(file);
    // The formats of one statement are rendered side by side in a batch (PDF and EPUB take
    // about as long as each other), then written in a fixed order. A single statement, built
    // outside the thread pool, renders them one after the other: starting threads for it
    // (stacks, per-thread heaps) costs more page faults than the overlap saves.
    // The e-mail draft attaches the PDF: it is rendered once, for both.
    let wants_eml = formats.contains(&Format::Eml);
    let mut rendered: Vec<(Format, Result<communique::Rendered, Diagnostic>)> = {
        use rayon::prelude::*;
        let mut list: Vec<Format> = formats
            .iter()
            .copied()
            .filter(|f| *f != Format::Eml)
            .collect();
        if wants_eml && !formats.contains(&Format::Pdf) {
            list.insert(0, Format::Pdf);
        }
        let render = |&f: &Format| (f, publish::render(&doc, f, job));
        if rayon::current_thread_index().is_some() {
            list.par_iter().map(render).collect()
        } else {
            list.iter().map(render).collect()
        }
    };
    if wants_eml {
        let at = rendered.iter().position(|(f, _)| *f == Format::Pdf);
        let pdf_only_for_eml = !formats.contains(&Format::Pdf);
        let eml = match at.map(|i| &rendered[i].1) {
            Some(Ok(pdf)) => publish::render_eml(&doc, job, &pdf.bytes).map(|mut r| {
                if pdf_only_for_eml {
                    r.diagnostics.splice(0..0, pdf.diagnostics.iter().cloned());
                }
                r
            }),
            Some(Err(d)) => Err(Diagnostic::error(format!(
                "the e-mail draft attaches the PDF, which failed: {}",
                d.message
            ))),
            None => Err(Diagnostic::error("the e-mail draft needs the PDF")),
        };
        if pdf_only_for_eml && let Some(i) = at {
            let (_, pdf) = rendered.remove(i);
            if let Err(d) = pdf {
                o.diags.push(if d.path.as_os_str().is_empty() {
                    d.in_file(file)
                } else {
                    d
                });
            }
        }
        rendered.push((Format::Eml, eml));
    }
    // Each output stands alone: one that fails is not written, the others still are.
    let mut not_written: Vec<(Format, String)> = Vec::new();
    for (format, result) in rendered {
        match result {
            Ok(r) => {
                let failed = fails(&r.diagnostics);
                if failed {
                    let why = r
                        .diagnostics
                        .iter()
                        .find(|d| d.is_error())
                        .or(r.diagnostics.first())
                        .map_or_else(String::new, |d| d.message.clone());
                    not_written.push((format, why));
                }
                o.diags.extend(r.diagnostics);
                if failed {
                    o.failed = true;
                    continue;
                }
                if format == Format::Model {
                    o.model.extend_from_slice(&r.bytes);
                    continue;
                }
                let out = out_dir.join(format!("{stem}.{}", format.extension()));
                // Files a page refers to (images beside an HTML page) go first, so the page
                // never appears without them. Each is written to a temporary file here; the
                // committing thread makes them durable and renames them into place in order.
                let mut files: Vec<(PathBuf, PathBuf)> = Vec::new();
                let mut error = None;
                for a in &r.attachments {
                    let rel = Path::new(&a.path);
                    let safe = rel
                        .components()
                        .all(|c| matches!(c, std::path::Component::Normal(_)));
                    let target = out_dir.join(rel);
                    let written = if safe {
                        target
                            .parent()
                            .map_or(Ok(()), std::fs::create_dir_all)
                            .and_then(|()| publish::write_temp(&target, &a.bytes))
                    } else {
                        Err(std::io::Error::other("the name leaves the output folder"))
                    };
                    match written {
                        Ok(tmp) => files.push((tmp, target)),
                        Err(e) => {
                            error = Some(
                                Diagnostic::error(format!("cannot write `{}`: {e}", a.path))
                                    .in_file(&out),
                            );
                            break;
                        }
                    }
                }
                if error.is_none() {
                    match publish::write_temp(&out, &r.bytes) {
                        Ok(tmp) => files.push((tmp, out.clone())),
                        Err(e) => {
                            error = Some(
                                Diagnostic::error(format!("cannot write the output: {e}"))
                                    .in_file(&out)
                                    .help("check that the output folder is writable"),
                            )
                        }
                    }
                }
                if let Some(e) = error {
                    for (tmp, _) in &files {
                        let _ = std::fs::remove_file(tmp);
                    }
                    not_written.push((format, e.message.clone()));
                    o.diags.push(e);
                    o.failed = true;
                    continue;
                }
                let (tx, rx) = std::sync::mpsc::channel();
                let n = files.len();
                if commits.send(Commit { files, done: tx }).is_ok() {
                    o.pending.push(Pending {
                        out,
                        files: n,
                        done: rx,
                    });
                }
            }
            Err(d) => {
                not_written.push((format, d.message.clone()));
                o.diags.push(if d.path.as_os_str().is_empty() {
                    d.in_file(file)
                } else {
                    d
                });
                o.failed = true;
            }
        }
    }
    // One message per problem, whatever the number of outputs that met it (the EPUB and the
    // HTML page share their serializer, and so their warnings).
    let mut seen = std::collections::HashSet::new();
    o.diags.retain(|d| seen.insert(d.clone()));
    if !not_written.is_empty() {
        o.notes.push(not_written_note(file, &not_written, formats));
    }
    o
}

/// The summary of a statement some of whose outputs failed: which, why, and what was written.
fn not_written_note(
    file: &Path,
    failed: &[(Format, String)],
    formats: &BTreeSet<Format>,
) -> String {
    let name = |f: Format| match f {
        Format::Pdf => "PDF",
        Format::Epub => "EPUB",
        Format::Html => "HTML page",
        Format::Model => "model",
        Format::Txt => "plain text",
        Format::Eml => "e-mail draft",
    };
    let mut text = format!("{}:", file.display());
    // Outputs that failed for the same reason are named together.
    let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
    for (f, why) in failed {
        match reasons.iter_mut().find(|(w, _)| w == why) {
            Some((_, names)) => names.push(name(*f)),
            None => reasons.push((why, vec![name(*f)])),
        }
    }
    for (why, names) in reasons {
        let (list, verb) = match names.as_slice() {
            [one] => (format!("the {one}"), "was"),
            [rest @ .., last] => (
                format!("the {} and the {last}", rest.join(", the ")),
                "were",
            ),
            [] => continue,
        };
        text.push_str(&format!(" {list} {verb} not written ({why});"));
    }
    let written: Vec<&str> = formats
        .iter()
        .filter(|f| **f != Format::Model && !failed.iter().any(|(g, _)| g == *f))
        .map(|f| name(*f))
        .collect();
    if written.is_empty() {
        text.pop();
        text.push('.');
    } else {
        text.push_str(&format!(
            " the {} {} written.",
            written.join(" and the "),
            if written.len() > 1 { "were" } else { "was" }
        ));
    }
    text
}

fn summary(
    files: &[PathBuf],
    failed: &[PathBuf],
    written: usize,
    quiet: bool,
    printer: &Printer,
) -> ExitCode {
    if failed.is_empty() {
        if !quiet && files.len() > 1 {
            printer.note(&format!(
                "{} statements, {written} files written",
                files.len()
            ));
        }
        ExitCode::SUCCESS
    } else {
        if files.len() > 1 {
            let mut text = format!("{} of {} statements failed:", failed.len(), files.len());
            for f in failed {
                text.push_str(&format!("\n  {}", f.display()));
            }
            printer.note(&text);
        }
        ExitCode::from(1)
    }
}

/// The house configurations met in a run, loaded once each.
#[derive(Default)]
struct Houses {
    loaded:
        std::collections::HashMap<PathBuf, Option<std::sync::Arc<communique::config::HouseConfig>>>,
}

impl Houses {
    /// The job for one input: the shared job with the input's house configuration, or `None`
    /// (after printing why) when that configuration is broken.
    fn job_for(
        &mut self,
        file: &Path,
        job: &Job,
        input: &InputArgs,
        printer: &Printer,
    ) -> Option<Job> {
        let path = match &input.config {
            Some(p) => Some(p.clone()),
            None => communique::config::find(file),
        };
        let Some(path) = path else {
            return Some(job.clone());
        };
        let house = self
            .loaded
            .entry(path.clone())
            .or_insert_with(|| match communique::config::load(&path) {
                Ok(h) => Some(std::sync::Arc::new(h)),
                Err(diags) => {
                    for d in &diags {
                        printer.print(d);
                    }
                    None
                }
            })
            .clone()?;
        let mut job = job.clone();
        // The house logo is stored as an absolute path beside communique.toml: allow that folder.
        if let Some(dir) = house.path.parent() {
            job.epub.assets.extra_roots.push(dir.to_path_buf());
            job.pdf.assets.extra_roots.push(dir.to_path_buf());
        }
        job.pdf.theme = house.theme.clone();
        job.epub.theme = house.theme.clone();
        job.email = house.email.clone();
        job.base_url = house.base_url.clone();
        job.read.house = Some(house);
        Some(job)
    }
}

fn check(args: CheckArgs, printer: &Printer) -> ExitCode {
    let job = job(&args.input);
    let files = match inputs(&args.input) {
        Ok(f) => f,
        Err(d) => {
            printer.print(&d);
            return ExitCode::from(1);
        }
    };
    let mut failed = Vec::new();
    let mut houses = Houses::default();
    for file in &files {
        let Some(job) = houses.job_for(file, &job, &args.input, printer) else {
            failed.push(file.clone());
            continue;
        };
        let (doc, diags) = publish::read_file(file, &job);
        if args.explain {
            let tree = publish::load(file, job.max_input_bytes)
                .and_then(|text| communique::markdown::front_matter(file, &text, &job.read));
            let given = matches!(&tree, Ok((Some(t), _)) if t.get("lang").is_some());
            match tree {
                Ok((Some(tree), _)) => {
                    println!("# {}", file.display());
                    print!("{}", communique::config::explain(&tree));
                    let url = tree.get("url").and_then(|n| match &n.value {
                        communique::frontmatter::Value::Str(s) => Some(s.trim().to_string()),
                        _ => None,
                    });
                    match &job.base_url {
                        _ if url.is_some() => println!(
                            "# the HTML page is at {} (front matter `url`: canonical, og:url, og:image)",
                            url.unwrap_or_default()
                        ),
                        Some(base) => println!(
                            "# the HTML page is at {base}{}.html (canonical, og:url, og:image)",
                            publish::safe_stem(file)
                        ),
                        None => println!(
                            "# base_url is not set in communique.toml: the HTML page leaves out its canonical link, og:url, og:image and twitter:image, which need absolute addresses (or give the statement's own `url` in front matter)"
                        ),
                    }
                }
                Ok((None, _)) => println!("# {}: no front matter", file.display()),
                Err(_) => {}
            }
            // A language not given was read from the text (or left at the default).
            if let Some(doc) = doc.as_ref().filter(|_| !given) {
                print!("{}", communique::detect::explain(doc));
            }
        }
        if report(&diags, &args.input, printer) {
            failed.push(file.clone());
        } else if !args.input.quiet {
            printer.note(&format!("ok {}", file.display()));
        }
    }
    summary(&files, &failed, 0, true, printer)
}

fn new(args: NewArgs, printer: &Printer) -> ExitCode {
    let ok = !args.slug.is_empty()
        && args
            .slug
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        && !args.slug.starts_with('-');
    if !ok {
        printer.print(&Diagnostic::error(format!(
            "`{}` is not a usable name; use letters, digits and hyphens, e.g. `upr-response`",
            args.slug
        )));
        return ExitCode::from(2);
    }
    let path = args.dir.join(format!("{}.md", args.slug));
    if let Err(e) = std::fs::create_dir_all(&args.dir) {
        printer
            .print(&Diagnostic::error(format!("cannot create the folder: {e}")).in_file(&args.dir));
        return ExitCode::from(1);
    }
    let date = today();
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut f) => {
            if let Err(e) = f.write_all(template(&date).as_bytes()) {
                printer.print(&Diagnostic::error(format!("cannot write: {e}")).in_file(&path));
                return ExitCode::from(1);
            }
            printer.note(&format!("wrote {}", path.display()));
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            printer.print(
                &Diagnostic::error("already exists; not overwriting it")
                    .in_file(&path)
                    .help("choose another name, or edit the existing file"),
            );
            ExitCode::from(1)
        }
        Err(e) => {
            printer
                .print(&Diagnostic::error(format!("cannot create: {e}")).in_file(Path::new(&path)));
            ExitCode::from(1)
        }
    }
}

/// The commented house configuration that `init` writes.
pub const HOUSE_TEMPLATE: &str = r####"# communique.toml — the press office's house defaults.
# Every statement in this folder (and below) takes these values unless its own front matter
# sets the same key. A misspelt key is an error, with the nearest known key suggested.

# The organization: letterhead, author and publisher of every PDF and EPUB.
organization = "Example Organization"

# The "About" boilerplate printed after every statement (Markdown).
about = """
Example Organization is … (a short standard paragraph about the organization).
"""

# Language of the statements (BCP 47): hyphenation, paper (letter for en-US, A4 otherwise)
# and the wording of the page furniture.
lang = "en-US"

# The city that opens each first paragraph, unless a statement gives its own.
# dateline = "WASHINGTON"

# A logo for the letterhead, relative to this file.
# logo = "logo.png"

# The newsroom's public address: the HTML page of content/x.md is at <base_url>x.html. It
# gives the page its canonical link and the absolute og:url and og:image that a shared link's
# preview card needs; without it they are left out.
# base_url = "https://example.org/news/"

# Media contacts printed on every release.
[[contacts]]
name = "Press Office"
role = "Media Relations"
email = "press@example.org"
phone = "+1 202 555 0100"

# Wording of the page furniture, when the defaults for `lang` do not suit.
# [labels]
# immediate = "FOR IMMEDIATE RELEASE"
# more = "- more -"
# end = "###"
# page = "Page {n} of {total}"

# The e-mail draft (`-f eml`): sender and recipients. Without this table the draft has no
# addresses and the mail client asks for them. `to`, `reply_to` and `bcc` take one address
# or a list; press lists go in `bcc`.
# [email]
# from = "Example Organization Press Office <press@example.org>"
# reply_to = "press@example.org"
# to = "press@example.org"
# bcc = ["desk@newspaper.example", "Newsroom <news@agency.example>"]

# The press-release design. Every key is optional; the values shown are the defaults.
# Sizes, margins and spaces are in points (72 to the inch); leading is a ratio of the type
# size; colours are "#rrggbb". The EPUB and HTML style sheets follow the same theme.
# [theme.fonts]              # families of the font book (add your own with --font-dir)
# body = "Noto Serif"
# headings = "Noto Sans"
# letterhead = "Noto Sans"
# mono = "Noto Sans Mono"
# [theme.sizes]
# body = 11.0
# headline = 21.0
# subtitle = 13.0
# letterhead = 17.0
# heading1 = 14.0
# heading2 = 12.5
# heading3 = 11.5
# about = 10.0
# small = 9.0                # release line, date, contacts
# furniture = 8.5            # running header, page numbers
# footnote = 8.5
# [theme.leading]
# body = 1.36
# headings = 1.3
# headline = 1.24
# letterhead = 1.4
# small = 1.44
# contacts = 1.33
# code = 1.35
# [theme.margins]
# top = 50.0
# top_continued = 86.0
# bottom = 74.0
# left = 78.0
# right = 78.0
# [theme.colors]
# text = "#000000"
# accent = "#14386b"         # letterhead, its rule, headings
# muted = "#595959"          # subtitle, running header, page numbers
# rules = "#595959"
# quote = "#bfbfbf"
# [theme.rules]
# letterhead = 0.8
# header = 0.4
# thematic_break = 0.5
# quote = 1.5
# [theme.letterhead]
# align = "left"             # left, center or right
# logo_height = 36.0
# logo_gap = 14.0
# rule_gap = 9.0
# [theme.spacing]
# paragraph = 7.0
# heading = 14.0
# release = 12.0
# headline = 22.0
# subtitle = 6.0
# body = 14.0
# about = 18.0
# end = 14.0
# contacts = 5.0
"####;

fn init(dir: &Path, printer: &Printer) -> ExitCode {
    let files: [(PathBuf, String); 3] = [
        (
            dir.join(communique::config::FILE_NAME),
            HOUSE_TEMPLATE.to_string(),
        ),
        (
            dir.join("content").join("first-statement.md"),
            statement_example(&today()),
        ),
        (dir.join(".gitignore"), "/out\n".to_string()),
    ];
    // Refuse before writing anything, so that init never leaves half a setup.
    let existing: Vec<&PathBuf> = files
        .iter()
        .map(|(p, _)| p)
        .filter(|p| p.exists())
        .collect();
    if !existing.is_empty() {
        for p in existing {
            printer.print(
                &Diagnostic::error("already exists; `init` never overwrites")
                    .in_file(p)
                    .help("run `init` in an empty folder, or edit the existing files"),
            );
        }
        return ExitCode::from(1);
    }
    for (path, text) in &files {
        let created = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(path)
            })
            .and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = created {
            printer.print(&Diagnostic::error(format!("cannot write: {e}")).in_file(path));
            return ExitCode::from(1);
        }
        printer.note(&format!("wrote {}", path.display()));
    }
    printer.note(
        "next: edit communique.toml and content/first-statement.md, then run `communique build`",
    );
    ExitCode::SUCCESS
}

/// Today (or `SOURCE_DATE_EPOCH`'s day) as `YYYY-MM-DD`.
fn today() -> String {
    let now = communique::model::DateTime::from_unix_seconds(
        communique::source_date_epoch().unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        }),
    );
    format!("{:04}-{:02}-{:02}", now.year, now.month, now.day)
}

/// The example statement `init` writes: the house configuration supplies the organization,
/// boilerplate and contacts.
fn statement_example(date: &str) -> String {
    format!(
        r#"---
title: "Example Organization Welcomes the New Review"
subtitle: "A first statement, written with Communique"
date: {date}
dateline: "WASHINGTON"
release: immediate
description: "A first statement, to show the layout of a press release."
---

Example Organization today welcomed the new review. The first paragraph says who, what, when,
where and why; the dateline in front of it is added for you.

“A quotation from a spokesperson gives the statement a voice,” said a spokesperson for
Example Organization.

Further paragraphs add detail, with the most important first, because editors cut from the
bottom.
"#
    )
}

/// The commented front-matter template that `new` writes.
pub fn template(date: &str) -> String {
    format!(
        r#"---
# The headline (required): present tense, under about 100 characters.
title: "Headline of the statement"
# An optional one-line subhead under the headline.
subtitle: "One line that adds the most important detail"
# Printed in the letterhead and as the author of the PDF and EPUB.
organization: "Example Organization"
# author: "A Person"  # the author, when not the organization (a list is accepted)
# ISO 8601: 2026-11-27, or with a time and zone: 2026-11-27T09:00:00-05:00
date: {date}
# The city that opens the first paragraph, in capitals (AP style).
dateline: "WASHINGTON"
# `immediate`, or an embargo, which always needs a time and a time zone:
# release: {{ embargoed: 2026-11-28T00:01:00-05:00, zone: EST }}
release: immediate
# Media contacts; every field is optional.
contacts:
  - name: "Press Officer"
    role: "Media Relations"
    email: "press@example.org"
    phone: "+1 202 555 0100"
# BCP 47 language tag; sets hyphenation and paper (letter for en-US, A4 otherwise).
lang: en-US
# dir: rtl            # text direction, when `lang` does not imply it
keywords: [human rights]
# A one-sentence summary for e-book catalogues and search.
description: "What happened and why it matters, in one sentence."
# The "About" boilerplate printed after the statement (Markdown).
about: |
  Example Organization is ... (a short standard paragraph about the organization).
# logo: logo.png      # an image beside this file, shown in the letterhead
# cover: cover.jpg    # an e-book cover; one is generated when absent
# url: https://example.org/news/statement.html   # the page's public address (canonical link, og:url)
# labels:             # replace any wording of the page furniture
#   more: "- more -"
#   page: "Page {{n}} of {{total}}"
---

The first paragraph answers who, what, when, where and why. The dateline is added for you.

“A quotation from your spokesperson,” said a spokesperson.
"#
    )
}
