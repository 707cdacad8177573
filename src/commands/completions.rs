//! `paideia completions SHELL`: shell completion scripts generated from the clap tree.

use clap::CommandFactory;

use crate::{cli::Cli, exit::ExitStatus};

pub fn run(shell: clap_complete::Shell) -> anyhow::Result<ExitStatus> {
    clap_complete::generate(
        shell,
        &mut Cli::command(),
        "paideia",
        &mut std::io::stdout(),
    );
    Ok(ExitStatus::Success)
}
