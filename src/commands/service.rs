//! `paideia service print`: systemd units with this install's paths filled in; without
//! `--unit`, the server's unit and the socket unit it requires. An install that did not
//! choose a data directory gets the packaged layout (`/var/lib/paideia`), never the
//! current directory's `./paideia-data`.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::{
    cli::{ServiceCommand, UnitArg},
    commands::Context,
    exit::ExitStatus,
    service::{Unit, UnitOptions, render},
    settings::DEFAULT_DATA_DIR,
};

/// Where a packaged install keeps its data (systemd's `StateDirectory=paideia`).
const PACKAGED_DATA_DIR: &str = "/var/lib/paideia";

pub fn run(ctx: &Context, command: ServiceCommand) -> anyhow::Result<ExitStatus> {
    let ServiceCommand::Print(args) = command;
    let units: &[Unit] = match args.unit {
        None => &[Unit::Server, Unit::Socket],
        Some(UnitArg::Server) => &[Unit::Server],
        Some(UnitArg::Socket) => &[Unit::Socket],
        Some(UnitArg::BackupService) => &[Unit::BackupService],
        Some(UnitArg::BackupTimer) => &[Unit::BackupTimer],
    };
    print_with_paths(ctx, args.binary, &args.user, |options| {
        units
            .iter()
            .map(|unit| render(*unit, options))
            .collect::<Vec<_>>()
            .join("\n")
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
    let chosen = ctx.settings.data_dir != Path::new(DEFAULT_DATA_DIR);
    let data_dir = if chosen {
        std::path::absolute(&ctx.settings.data_dir)?
    } else {
        PathBuf::from(PACKAGED_DATA_DIR)
    };
    // The default backup folder follows the data directory.
    let backup_dir = match ctx.settings.backup.dir.strip_prefix(&ctx.settings.data_dir) {
        Ok(rest) => data_dir.join(rest),
        Err(_) => std::path::absolute(&ctx.settings.backup.dir)?,
    };
    if !ctx.quiet {
        let why = if chosen {
            "as configured"
        } else {
            "the packaged layout; --data-dir or PAIDEIA_DATA_DIR chooses another"
        };
        eprintln!("data directory: {} ({why})", data_dir.display());
        eprintln!(
            "create the service user once: useradd --system --home-dir {} --shell /usr/sbin/nologin {user}",
            data_dir.display()
        );
    }
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
