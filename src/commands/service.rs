//! `paideia service print`: systemd units with this install's paths filled in.

use anyhow::Context as _;

use crate::{
    cli::{ServiceCommand, UnitArg},
    commands::Context,
    exit::ExitStatus,
    service::{Unit, UnitOptions, render},
};

pub fn run(ctx: &Context, command: ServiceCommand) -> anyhow::Result<ExitStatus> {
    let ServiceCommand::Print(args) = command;
    let binary = match args.binary {
        Some(path) => path,
        None => std::env::current_exe()
            .context("cannot tell where this executable is; pass --binary")?,
    };
    let data_dir = std::path::absolute(&ctx.settings.data_dir)?;
    let unit = match args.unit {
        UnitArg::Server => Unit::Server,
        UnitArg::Socket => Unit::Socket,
        UnitArg::BackupService => Unit::BackupService,
        UnitArg::BackupTimer => Unit::BackupTimer,
    };
    let options = UnitOptions {
        binary: &binary,
        user: &args.user,
        data_dir: &data_dir,
        drain_secs: ctx.settings.drain_timeout.as_secs(),
        bind: ctx.settings.bind,
    };
    print!("{}", render(unit, &options));
    Ok(ExitStatus::Success)
}
