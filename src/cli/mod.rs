//! Command-line flags (clap derive, `args.rs`) and the commands they run, one file each
//! (`build.rs` holds `build` and `watch`).

mod args;
mod build;
mod check;
mod completions;
mod heap;
mod init;
mod new;
mod printer;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use communique::diag::{Diagnostic, has_errors};
use communique::publish::{self, Job};

pub use args::*;
use printer::Printer;

pub fn run(cli: Cli) -> ExitCode {
    heap::tune();
    let printer = Printer::new(cli.message_format);
    match cli.command {
        Command::Build(args) => build::build(&args, &printer),
        Command::Watch(args) => build::watch(&args, &printer),
        Command::Check(args) => check::check(args, &printer),
        Command::New(args) => new::new(args, &printer),
        Command::Init { dir } => init::init(&dir, &printer),
        Command::Completions { shell } => completions::completions(shell),
        Command::Man => completions::man(),
    }
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

/// The statements the paths name (`content/` by default), or `None` once the reason there are
/// none has been printed.
fn inputs(input: &InputArgs, printer: &Printer) -> Option<Vec<PathBuf>> {
    let paths = if input.paths.is_empty() {
        vec![PathBuf::from("content")]
    } else {
        input.paths.clone()
    };
    publish::collect_inputs(&paths)
        .map_err(|d| printer.print(&d))
        .ok()
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
        job.house = Some(house);
        Some(job)
    }
}
