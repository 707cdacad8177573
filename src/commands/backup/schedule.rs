//! `paideia backup schedule [--print cron|systemd]`: the nightly `backup run`, ready to
//! install (without `--print`, the crontab line and how to get the systemd units instead);
//! the text comes from `service`, the one source of the unit files.

use crate::{
    cli::{BackupScheduleArgs, ScheduleFormat},
    commands::{Context, service::print_with_paths},
    exit::ExitStatus,
    service::{Unit, cron_line, render},
};

pub fn run(ctx: &Context, args: BackupScheduleArgs) -> anyhow::Result<ExitStatus> {
    print_with_paths(ctx, args.binary, &args.user, |options| match args.print {
        None => format!(
            "{}# or as systemd units: paideia backup schedule --print systemd\n",
            cron_line(options)
        ),
        Some(ScheduleFormat::Cron) => cron_line(options),
        Some(ScheduleFormat::Systemd) => format!(
            "{}\n{}",
            render(Unit::BackupService, options),
            render(Unit::BackupTimer, options)
        ),
    })?;
    Ok(ExitStatus::Success)
}
