//! One module per subcommand. Each turns resolved settings into calls on the domain modules and
//! owns its output, prompts and progress; `run` is the only dispatch.

mod backup;
mod completions;
mod confirm;
mod context;
mod doctor;
mod dump;
mod import;
mod mail;
mod migrate;
mod progress;
mod restore;
mod seed;
mod serve;
mod service;
mod storage;
pub(crate) mod table;
mod upgrade;
mod user;
mod user_token;
mod verify_backup;
mod version;

pub use context::Context;

use crate::{
    cli::{Cli, Command},
    exit::ExitStatus,
    logging,
    settings::{ProcessEnv, Settings},
};

pub async fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    if cli.version {
        return version::run(cli.global.json);
    }
    let Some(command) = cli.command else {
        return Ok(ExitStatus::Usage);
    };
    let mut flags = cli.global.flags();
    match &command {
        Command::Serve(args) => {
            flags.bind = args.bind;
            flags.trusted_proxies = args.trusted_proxies.clone();
        }
        Command::Backup(sub) => flags.backup = sub.flags(),
        Command::VerifyBackup(args) => flags.backup.scratch_dir = args.scratch_dir.clone(),
        _ => {}
    }
    let settings = match &command {
        // Paideia LMS's own DATABASE_URL and S3_* name the source here, never this site.
        Command::Import(_) => Settings::resolve(&flags, &import::site_env)?,
        _ => Settings::resolve(&flags, &ProcessEnv)?,
    };
    logging::init(settings.log_format, cli.global.verbosity());
    crate::deprecations::warn(&ProcessEnv);
    let mut ctx = Context::new(settings, cli.global.json);
    ctx.quiet = cli.global.quiet > 0;
    match command {
        Command::Serve(_) => serve::run(&ctx).await,
        Command::Migrate(sub) => migrate::run(&ctx, sub).await,
        Command::Completions { shell } => completions::run(shell),
        Command::Man(args) => completions::man(args),
        Command::Service(sub) => service::run(&ctx, sub),
        Command::Dump(args) => dump::run(&ctx, args).await,
        Command::Restore(args) => restore::run(&ctx, args).await,
        Command::VerifyBackup(args) => verify_backup::run(&ctx, args).await,
        Command::Seed(args) => seed::run(&ctx, args).await,
        Command::Doctor(args) => doctor::run(&ctx, args).await,
        Command::Storage(sub) => storage::run(&ctx, sub).await,
        Command::Mail(sub) => mail::run(&ctx, sub).await,
        Command::User(sub) => user::run(&ctx, sub).await,
        Command::Backup(sub) => backup::run(&ctx, sub).await,
        Command::Upgrade(args) => upgrade::run(&ctx, args).await,
        Command::Import(sub) => import::run(&ctx, sub).await,
    }
}
