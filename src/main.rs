//! The `communique` binary: parse flags, run, exit with 0 (success), 1 (a document had
//! errors) or 2 (usage error).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    cli::run(cli::Cli::parse())
}
