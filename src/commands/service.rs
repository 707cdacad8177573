//! `paideia service print`: systemd units with this install's paths filled in.

use std::path::PathBuf;

use anyhow::Context as _;

use crate::{
    cli::{ServiceCommand, UnitArg},
    commands::Context,
    exit::ExitStatus,
    service::{Unit, UnitOptions, render},
};

pub fn run(ctx: &Context, command: ServiceCommand) -> anyhow::Result<ExitStatus> {
    let ServiceCommand::Print(args) = command;
    let unit = match args.unit {
        UnitArg::Server => Unit::Server,
        UnitArg::Socket => Unit::Socket,
        UnitArg::BackupService => Unit::BackupService,
        UnitArg::BackupTimer => Unit::BackupTimer,
    };
    print_with_paths(ctx, args.binary, &args.user, |options| {
        render(unit, options)
    })?;
    Ok(ExitStatus::Success)
}

/// Prints what `text` makes of this install's absolute paths (binary, data directory,
/// backup directory, configuration file).
pub fn print_with_paths(
    ctx: &Context,
    binary: Option<PathBuf>,
    user: &str,
    text: impl FnOnce(&UnitOptions<'_>) -> String,
) -> anyhow::Result<()> {
    let binary = match binary {
        Some(path) => path,
        None => std::env::current_exe()
            .context("cannot tell where this executable is; pass --binary")?,
    };
    let data_dir = std::path::absolute(&ctx.settings.data_dir)?;
    let backup_dir = std::path::absolute(&ctx.settings.backup.dir)?;
    let config = ctx
        .settings
        .config_file
        .as_deref()
        .map(std::path::absolute)
        .transpose()?;
    let options = UnitOptions {
        binary: &binary,
        user,
        data_dir: &data_dir,
        backup_dir: &backup_dir,
        config: config.as_deref(),
        drain_secs: ctx.settings.drain_timeout.as_secs(),
        bind: ctx.settings.bind,
    };
    print!("{}", text(&options));
    Ok(())
}
