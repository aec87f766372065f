//! `completions` and `man`: made from the clap types.

use std::process::ExitCode;

use super::Cli;

pub(super) fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut cmd, "communique", &mut std::io::stdout());
    ExitCode::SUCCESS
}

pub(super) fn man() -> ExitCode {
    let cmd = <Cli as clap::CommandFactory>::command();
    match clap_mangen::Man::new(cmd).render(&mut std::io::stdout()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(1),
    }
}
