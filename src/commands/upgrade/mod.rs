//! `paideia upgrade`: finds the release to move to, `--check` reports it, otherwise
//! `apply` downloads, verifies, tries, dumps and swaps; `rollback` puts the previous binary
//! back; `rehearse` tries the upgrade on a scratch copy of the data first (`--rehearse`,
//! `--rehearse-first`, or the offer on a terminal). Prompts, progress and output live here;
//! the steps live in `crate::upgrade`.

mod apply;
mod attempt;
mod check;
mod rehearse;
mod restart;
mod rollback;

use attempt::Attempt;
use semver::Version;

use crate::{
    cli::UpgradeArgs,
    commands::Context,
    exit::ExitStatus,
    settings::ProcessEnv,
    upgrade::{
        Candidate, Choice, Policy, Release, ReleaseSource, UpgradeError, choose,
        choose::newest_beyond_series, history::Kind, releases::on_the_way,
    },
    version,
};

pub async fn run(ctx: &Context, args: UpgradeArgs) -> anyhow::Result<ExitStatus> {
    let check_json = args.check && ctx.json;
    let result = run_args(ctx, args).await;
    // A script reading `--check --json` gets an answer on stdout even when the check failed.
    if let (true, Err(err)) = (check_json, &result) {
        let (message, hint, status) = crate::exit::describe(err);
        println!(
            "{}",
            serde_json::json!({
                "ok": false,
                "error": message,
                "hint": hint,
                "exit_code": status as u8,
            })
        );
    }
    result
}

async fn run_args(ctx: &Context, args: UpgradeArgs) -> anyhow::Result<ExitStatus> {
    if args.history {
        return attempt::show_history(ctx).await;
    }
    if args.rollback {
        let mut attempt = Attempt::new(Kind::Rollback);
        let result = rollback::run(ctx, args.restart, args.yes, &mut attempt).await;
        attempt.finish(ctx, &result).await;
        return result;
    }
    if args.rehearse {
        return rehearse::run(ctx, &args).await;
    }
    let current = version::semver();
    let policy = policy(&args)?;
    if let Some(file) = &args.from_file {
        rehearse::first(ctx, &args).await?;
        let mut attempt = Attempt::new(Kind::Upgrade);
        let result = apply::from_file(ctx, &args, &policy, file, &mut attempt).await;
        attempt.finish(ctx, &result).await;
        return result;
    }
    let source = ReleaseSource::new(args.repo.as_deref(), &ProcessEnv)?;
    let releases = source.list().await?;
    let candidates = candidates(&releases);
    let choice = choose(&current, &candidates, &policy)?;
    if args.check {
        let beyond =
            newest_beyond_series(&current, &candidates, policy.pre).filter(|_| !policy.allow_major);
        return check::report(ctx, &current, &choice, beyond.as_ref(), &releases);
    }
    match choice {
        Choice::UpToDate { newer_series } => {
            eprintln!("paideia {current} is up to date");
            if let Some(newer) = newer_series {
                eprintln!(
                    "note: {newer} is a new major version; `paideia upgrade --allow-major` moves to it"
                );
            }
            Ok(ExitStatus::Success)
        }
        Choice::Move(target) => {
            rehearse::first(ctx, &args).await?;
            let release =
                release_of(&releases, &target.version).expect("the choice comes from this list");
            let notes = on_the_way(&releases, &current, &target.version);
            let mut attempt = Attempt::new(Kind::Upgrade);
            attempt.to = Some(target.version.clone());
            let result =
                apply::from_release(ctx, &args, &source, release, &target, &notes, &mut attempt)
                    .await;
            attempt.finish(ctx, &result).await;
            result
        }
    }
}

fn policy(args: &UpgradeArgs) -> Result<Policy, UpgradeError> {
    let to = args
        .to
        .as_deref()
        .map(|v| {
            Version::parse(v.trim_start_matches('v')).map_err(|_| {
                UpgradeError::Usage(format!("--to needs a version such as 1.4.2, got {v:?}"))
            })
        })
        .transpose()?;
    Ok(Policy {
        to,
        allow_major: args.allow_major,
        pre: args.pre,
        allow_downgrade: args.allow_downgrade,
    })
}

/// Published, non-draft releases whose tag is a version.
fn candidates(releases: &[Release]) -> Vec<Candidate> {
    releases
        .iter()
        .filter(|r| !r.draft)
        .filter_map(|r| {
            Some(Candidate {
                version: r.version()?,
                prerelease: r.prerelease,
            })
        })
        .collect()
}

fn release_of<'r>(releases: &'r [Release], version: &Version) -> Option<&'r Release> {
    releases
        .iter()
        .find(|r| !r.draft && r.version().as_ref() == Some(version))
}
