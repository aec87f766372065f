//! `build` and `watch`: statements to outputs, one or a batch, written atomically.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use communique::diag::{Diagnostic, has_errors};
use communique::publish::{self, Format, Job};

use super::printer::Printer;
use super::{BuildArgs, FormatArg, Houses, PaperArg, inputs, job, summary};

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

pub(super) fn build(args: &BuildArgs, printer: &Printer) -> ExitCode {
    let job = job(&args.input);
    let Some(files) = inputs(&args.input, printer) else {
        return ExitCode::from(1);
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
pub(super) fn watch(args: &BuildArgs, printer: &Printer) -> ExitCode {
    use std::time::Duration;
    build(args, printer);
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = match notify::recommended_watcher(tx) {
        Ok(w) => w,
        Err(e) => {
            printer.print(&Diagnostic::error(format!("cannot watch for changes: {e}")));
            return ExitCode::from(1);
        }
    };
    if let Err(d) = watch_inputs(&mut watcher, args) {
        printer.print(&d);
        return ExitCode::from(1);
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
        let changed = changed_inputs(events, &out_dir);
        if !changed.is_empty() {
            rebuild(&changed, &job, &formats, args, printer);
        }
    }
    ExitCode::SUCCESS
}

/// Watches the input paths (a file through its folder: editors save by renaming a new file
/// into place).
fn watch_inputs(watcher: &mut impl notify::Watcher, args: &BuildArgs) -> Result<(), Diagnostic> {
    use notify::RecursiveMode;
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
            return Err(Diagnostic::error(format!("cannot watch: {e}")).in_file(&dir));
        }
    }
    Ok(())
}

/// The paths a burst of events changed that a build reads, outside the output folder.
fn changed_inputs(events: Vec<notify::Result<notify::Event>>, out_dir: &Path) -> Vec<PathBuf> {
    events
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.kind.is_access())
        .flat_map(|e| e.paths)
        .filter(|p| !p.starts_with(out_dir))
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
        .collect()
}

/// Rebuilds what `changed` touches: a changed statement itself; a changed asset or
/// configuration, every input.
fn rebuild(
    changed: &[PathBuf],
    job: &Job,
    formats: &BTreeSet<Format>,
    args: &BuildArgs,
    printer: &Printer,
) {
    let started = std::time::Instant::now();
    let Some(all) = inputs(&args.input, printer) else {
        return;
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
        return;
    }
    let mut houses = Houses::default();
    let (failed, _) = build_files(&files, job, formats, args, &mut houses, printer);
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
    // House configurations are loaded once each, before the parallel part.
    let jobs: Vec<Option<Job>> = files
        .iter()
        .map(|f| houses.job_for(f, job, &args.input, printer))
        .collect();
    let clash = clashes(files);
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
        let outcomes = build_all(files, &jobs, &clash, formats, args, &commits);
        drop(commits);
        if let Some(to_commit) = to_commit {
            commit_all(to_commit);
        }
        print_outcomes(files, outcomes, args, printer)
    })
}

/// Two inputs with one stem would write one output: the later ones, refused.
fn clashes(files: &[PathBuf]) -> Vec<Option<PathBuf>> {
    let mut seen = std::collections::HashMap::new();
    files
        .iter()
        .map(|f| {
            seen.insert(publish::safe_stem(f), f.clone())
                .map(|_| f.clone())
        })
        .collect()
}

/// Every statement built (in parallel for a batch), its outcome in input order.
fn build_all(
    files: &[PathBuf],
    jobs: &[Option<Job>],
    clash: &[Option<PathBuf>],
    formats: &BTreeSet<Format>,
    args: &BuildArgs,
    commits: &std::sync::mpsc::Sender<Commit>,
) -> Vec<Outcome> {
    use rayon::prelude::*;
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
                (Some(job), None) => build_one(file, job, formats, &args.out_dir, args.input.deny_warnings, commits),
            };
        if let Some(p) = &progress {
            p.inc(1);
        }
        outcome
    };
    // One statement is built on this thread: no thread pool to start (see `build_one`).
    let outcomes: Vec<Outcome> = if files.len() == 1 {
        files.iter().zip(jobs).zip(clash).map(run).collect()
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
    outcomes
}

/// Each statement's diagnostics, notes and model dump, in input order, once its outputs are
/// committed. Returns the inputs that failed and the number of files written.
fn print_outcomes(
    files: &[PathBuf],
    outcomes: Vec<Outcome>,
    args: &BuildArgs,
    printer: &Printer,
) -> (Vec<PathBuf>, usize) {
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
    let mut rendered = render_formats(&doc, formats, job);
    if formats.contains(&Format::Eml) {
        add_eml(&doc, job, formats, file, &mut rendered, &mut o.diags);
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
                match write_temp_files(out_dir, &out, &r.bytes, &r.attachments) {
                    Ok(files) => {
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
                    Err(e) => {
                        not_written.push((format, e.message.clone()));
                        o.diags.push(e);
                        o.failed = true;
                    }
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

/// One statement's formats rendered (the PDF too when only the e-mail draft wants it), the
/// e-mail draft left to [`add_eml`].
fn render_formats(
    doc: &communique::Document,
    formats: &BTreeSet<Format>,
    job: &Job,
) -> Vec<(Format, Result<communique::Rendered, Diagnostic>)> {
    // The formats of one statement are rendered side by side in a batch (PDF and EPUB take
    // about as long as each other), then written in a fixed order. A single statement, built
    // outside the thread pool, renders them one after the other: starting threads for it
    // (stacks, per-thread heaps) costs more page faults than the overlap saves.
    // The e-mail draft attaches the PDF: it is rendered once, for both.
    use rayon::prelude::*;
    let wants_eml = formats.contains(&Format::Eml);
    let mut list: Vec<Format> = formats
        .iter()
        .copied()
        .filter(|f| *f != Format::Eml)
        .collect();
    if wants_eml && !formats.contains(&Format::Pdf) {
        list.insert(0, Format::Pdf);
    }
    let render = |&f: &Format| (f, publish::render(doc, f, job));
    if rayon::current_thread_index().is_some() {
        list.par_iter().map(render).collect()
    } else {
        list.iter().map(render).collect()
    }
}

/// The e-mail draft, made from the rendered PDF; the PDF leaves `rendered` when only the
/// draft asked for it (its error, if any, goes to `diags`).
fn add_eml(
    doc: &communique::Document,
    job: &Job,
    formats: &BTreeSet<Format>,
    file: &Path,
    rendered: &mut Vec<(Format, Result<communique::Rendered, Diagnostic>)>,
    diags: &mut Vec<Diagnostic>,
) {
    let at = rendered.iter().position(|(f, _)| *f == Format::Pdf);
    let pdf_only_for_eml = !formats.contains(&Format::Pdf);
    let eml = match at.map(|i| &rendered[i].1) {
        Some(Ok(pdf)) => publish::render_eml(doc, job, &pdf.bytes).map(|mut r| {
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
            diags.push(if d.path.as_os_str().is_empty() {
                d.in_file(file)
            } else {
                d
            });
        }
    }
    rendered.push((Format::Eml, eml));
}

/// An output and the files it refers to, written to temporary files: (temporary file, final
/// path) pairs in commit order. On an error, the temporary files made so far are removed.
fn write_temp_files(
    out_dir: &Path,
    out: &Path,
    bytes: &[u8],
    attachments: &[communique::Attachment],
) -> Result<Vec<(PathBuf, PathBuf)>, Diagnostic> {
    // Files a page refers to (images beside an HTML page) go first, so the page
    // never appears without them. Each is written to a temporary file here; the
    // committing thread makes them durable and renames them into place in order.
    let mut files: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut error = None;
    for a in attachments {
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
                error =
                    Some(Diagnostic::error(format!("cannot write `{}`: {e}", a.path)).in_file(out));
                break;
            }
        }
    }
    if error.is_none() {
        match publish::write_temp(out, bytes) {
            Ok(tmp) => files.push((tmp, out.to_path_buf())),
            Err(e) => {
                error = Some(
                    Diagnostic::error(format!("cannot write the output: {e}"))
                        .in_file(out)
                        .help("check that the output folder is writable"),
                )
            }
        }
    }
    if let Some(e) = error {
        for (tmp, _) in &files {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(e);
    }
    Ok(files)
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
