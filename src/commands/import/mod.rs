//! `paideia import`: one subcommand per platform we bring schools over from.

mod paideia_lms;

use crate::{
    cli::ImportCommand,
    commands::Context,
    envvars,
    exit::ExitStatus,
    settings::{Env, ProcessEnv},
};

pub async fn run(ctx: &Context, command: ImportCommand) -> anyhow::Result<ExitStatus> {
    match command {
        ImportCommand::PaideiaLms(args) => paideia_lms::run(ctx, args).await,
    }
}

/// This site's settings during an import: the process environment without the names Paideia
/// LMS uses for its own database and bucket (`DATABASE_URL`, `S3_*`), which name the source.
pub fn site_env(name: &str) -> Option<String> {
    let source_names = [
        envvars::COMPAT_DATABASE_URL,
        envvars::COMPAT_S3_ENDPOINT_URL,
        envvars::COMPAT_S3_REGION,
        envvars::COMPAT_S3_BUCKET,
        envvars::COMPAT_S3_ACCESS_KEY,
        envvars::COMPAT_S3_SECRET_KEY,
    ];
    if source_names
        .iter()
        .any(|n| name == *n || name == format!("{n}{}", envvars::FILE_SUFFIX))
    {
        return None;
    }
    ProcessEnv.var(name)
}
