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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build statements into PDF, EPUB, HTML or a model dump.
    Build(BuildArgs),
    /// Read and validate statements only; print diagnostics.
    Check(CheckArgs),
    /// Start a new statement: writes content/<SLUG>.md from a commented template.
    New(NewArgs),
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
    #[arg(long, value_name = "MB", default_value_t = 50)]
    pub max_input_mb: u64,
    /// Treat warnings as errors (exit code 1).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print errors only.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum FormatArg {
    Pdf,
    Epub,
    Html,
    Model,
    All,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output formats, comma-separated or repeated: pdf, epub, html, model (printed to
    /// standard output) or all.
    #[arg(short, long = "format", value_enum, value_delimiter = ',', default_values_t = [FormatArg::Pdf, FormatArg::Epub])]
    pub formats: Vec<FormatArg>,
    /// Folder for the outputs.
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    pub out_dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
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
    match cli.command {
        Command::Build(args) => build(args),
        Command::Check(args) => check(args),
        Command::New(args) => new(args),
    }
}

fn job(input: &InputArgs) -> Job {
    let mut job = Job {
        max_input_bytes: input.max_input_mb.saturating_mul(1024 * 1024),
        ..Job::default()
    };
    job.read.smart_punctuation = !input.no_smart_punctuation;
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
fn report(diags: &[Diagnostic], input: &InputArgs) -> bool {
    let mut err = std::io::stderr().lock();
    for d in diags {
        if d.is_error() || !input.quiet {
            let _ = writeln!(err, "{d}");
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
            FormatArg::All => set.extend([Format::Pdf, Format::Epub, Format::Html, Format::Model]),
        }
    }
    set
}

fn build(args: BuildArgs) -> ExitCode {
    let job = job(&args.input);
    let files = match inputs(&args.input) {
        Ok(f) => f,
        Err(d) => {
            eprintln!("{d}");
            return ExitCode::from(1);
        }
    };
    let formats = formats(&args.formats);
    let writes_files = formats.iter().any(|f| *f != Format::Model);
    if writes_files && let Err(e) = std::fs::create_dir_all(&args.out_dir) {
        eprintln!(
            "{}",
            Diagnostic::error(format!("cannot create the output folder: {e}"))
                .in_file(&args.out_dir)
                .help("choose a writable folder with `--out-dir`")
        );
        return ExitCode::from(1);
    }
    let mut failed = Vec::new();
    let mut written = 0;
    let mut stdout = std::io::stdout().lock();
    for file in &files {
        let (doc, diags) = publish::read_file(file, &job);
        let mut bad = report(&diags, &args.input);
        if let Some(doc) = doc.filter(|_| !bad) {
            let stem = publish::safe_stem(file);
            for &format in &formats {
                match publish::render(&doc, format, &job) {
                    Ok(r) => {
                        bad |= report(&r.diagnostics, &args.input);
                        if bad {
                            break;
                        }
                        if format == Format::Model {
                            let _ = stdout.write_all(&r.bytes);
                            continue;
                        }
                        let out = args.out_dir.join(format!("{stem}.{}", format.extension()));
                        if let Err(e) = publish::write_atomic(&out, &r.bytes) {
                            eprintln!(
                                "{}",
                                Diagnostic::error(format!("cannot write the output: {e}"))
                                    .in_file(&out)
                                    .help("check that the output folder is writable")
                            );
                            bad = true;
                        } else {
                            written += 1;
                            if !args.input.quiet {
                                eprintln!("wrote {}", out.display());
                            }
                        }
                    }
                    Err(d) => {
                        eprintln!(
                            "{}",
                            if d.path.as_os_str().is_empty() {
                                d.in_file(file)
                            } else {
                                d
                            }
                        );
                        bad = true;
                    }
                }
            }
        }
        if bad {
            failed.push(file.clone());
        }
    }
    summary(&files, &failed, written, args.input.quiet)
}

fn summary(files: &[PathBuf], failed: &[PathBuf], written: usize, quiet: bool) -> ExitCode {
    if failed.is_empty() {
        if !quiet && files.len() > 1 {
            eprintln!("{} statements, {written} files written", files.len());
        }
        ExitCode::SUCCESS
    } else {
        if files.len() > 1 {
            eprintln!("{} of {} statements failed:", failed.len(), files.len());
            for f in failed {
                eprintln!("  {}", f.display());
            }
        }
        ExitCode::from(1)
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let job = job(&args.input);
    let files = match inputs(&args.input) {
        Ok(f) => f,
        Err(d) => {
            eprintln!("{d}");
            return ExitCode::from(1);
        }
    };
    let mut failed = Vec::new();
    for file in &files {
        let (_, diags) = publish::read_file(file, &job);
        if report(&diags, &args.input) {
            failed.push(file.clone());
        } else if !args.input.quiet {
            eprintln!("ok {}", file.display());
        }
    }
    summary(&files, &failed, 0, true)
}

fn new(args: NewArgs) -> ExitCode {
    let ok = !args.slug.is_empty()
        && args
            .slug
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        && !args.slug.starts_with('-');
    if !ok {
        eprintln!(
            "error: `{}` is not a usable name; use letters, digits and hyphens, e.g. `upr-response`",
            args.slug
        );
        return ExitCode::from(2);
    }
    let path = args.dir.join(format!("{}.md", args.slug));
    if let Err(e) = std::fs::create_dir_all(&args.dir) {
        eprintln!(
            "{}",
            Diagnostic::error(format!("cannot create the folder: {e}")).in_file(&args.dir)
        );
        return ExitCode::from(1);
    }
    let today = communique::model::DateTime::from_unix_seconds(
        communique::source_date_epoch().unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        }),
    );
    let date = format!("{:04}-{:02}-{:02}", today.year, today.month, today.day);
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut f) => {
            if let Err(e) = f.write_all(template(&date).as_bytes()) {
                eprintln!(
                    "{}",
                    Diagnostic::error(format!("cannot write: {e}")).in_file(&path)
                );
                return ExitCode::from(1);
            }
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "{}",
                Diagnostic::error("already exists; not overwriting it")
                    .in_file(&path)
                    .help("choose another name, or edit the existing file")
            );
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!(
                "{}",
                Diagnostic::error(format!("cannot create: {e}")).in_file(Path::new(&path))
            );
            ExitCode::from(1)
        }
    }
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
---

The first paragraph answers who, what, when, where and why. The dateline is added for you.

“A quotation from your spokesperson,” said a spokesperson.
"#
    )
}
