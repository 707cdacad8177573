//! Commands that are in the tree but not in this release yet: they say so and exit non-zero.

use crate::{
    cli::Command,
    exit::{CommandError, ExitStatus},
    version::VERSION,
};

fn name(command: &Command) -> &'static str {
    match command {
        Command::Backup(_) => "backup",
        _ => "this command",
    }
}

pub fn run(command: &Command) -> anyhow::Result<ExitStatus> {
    Err(CommandError::new(format!(
        "`paideia {}` is not available in paideia {VERSION} yet",
        name(command)
    ))
    .hint("CHANGELOG.md lists what each release brings; nothing was changed")
    .status(ExitStatus::Unavailable)
    .into())
}
