//! The command-line flags: clap derive types, shared with nothing but the commands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
