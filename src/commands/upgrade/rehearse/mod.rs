//! `paideia upgrade --rehearse`: the release is chosen, downloaded and verified exactly as
//! `upgrade` does (or `--from-file` checked the same way) but installed nowhere; the newest
//! verified backup set (or with `--fresh` a dump taken now) is restored into a scratch copy;
//! the new binary migrates it, timed per migration with its locks, and tries itself; the
//! current binary verifies it and reads hot pages from it; the copy is dropped and the verdict
//! printed, recorded and returned as the exit status. Also the offer `upgrade` makes first.

mod pages;
mod report;

use std::{collections::BTreeMap, io::IsTerminal, path::PathBuf, sync::Arc, time::Instant};

use chrono::{DateTime, Utc};
use semver::Version;
use serde::Serialize;

use super::apply::{self, Discard};
use crate::{
    backup::{
        self, Compression, DumpOptions, Quiet, RestoreOptions, catalog,
        format::quote_ident,
        set::{self, BackupKeys, SetManifest, Target, Trust},
    },
    cli::UpgradeArgs,
    commands::{Context, context::Open},
    db::{DatabaseUrl, Db, Engine, Executor},
    exit::{CommandError, ExitStatus},
    migrate::Migrator,
    settings::ProcessEnv,
    upgrade::{
        Choice, Install, ReleaseSource, UpgradeError, choose,
        rehearsal::{
            self, Check, Findings, Judgement, Verdict,
            newbin::{self, NewBinary},
            record::{self, Rehearsal},
            scratch::{self, Scratch},
        },
        releases::on_the_way,
        smoke,
    },
    version,
};

/// What `--rehearse --json` prints (and the upgrade history keeps).
#[derive(Debug, Serialize)]
pub struct Report {
    pub from: String,
    pub to: String,
    pub engine: Engine,
    /// The copy's source: a backup set or a dump taken now.
    pub source: String,
    /// Where the copy was (dropped since).
    pub scratch: String,
    /// The release notes on the way, as `upgrade` shows them.
    pub notes: Vec<String>,
    pub migrations: Vec<rehearsal::MigrationRun>,
    pub rows_before: BTreeMap<String, u64>,
    pub rows_after: BTreeMap<String, u64>,
    pub new_binary: Vec<Check>,
    pub current_binary: Vec<Check>,
    #[serde(flatten)]
    pub judgement: Judgement,
    /// Leftover scratch copies of killed rehearsals removed first.
    pub swept: Vec<String>,
    pub restore_ms: u64,
    pub took_ms: u64,
    pub exit_code: u8,
}

pub fn status_of(verdict: Verdict) -> ExitStatus {
    match verdict {
        Verdict::Safe => ExitStatus::Success,
        Verdict::SafeWithDowntime => ExitStatus::Downtime,
        Verdict::NotSafe => ExitStatus::CheckFailed,
    }
}

/// `upgrade --rehearse`.
pub async fn run(ctx: &Context, args: &UpgradeArgs) -> anyhow::Result<ExitStatus> {
    match rehearse(ctx, args).await? {
        None => Ok(ExitStatus::Success),
        Some(report) => {
            report::print(ctx, &report)?;
            Ok(status_of(report.judgement.verdict))
        }
    }
}

/// Before an upgrade: rehearses when asked (`--rehearse-first`) or when the admin, on a
/// terminal, accepts the offer made while the newest verified backup set is under a day old.
/// An error stops the upgrade ("not safe", or a rehearsal that could not run when asked for).
pub async fn first(ctx: &Context, args: &UpgradeArgs) -> anyhow::Result<()> {
    if !args.rehearse_first && !offer(ctx, args).await {
        return Ok(());
    }
    let Some(report) = rehearse(ctx, args).await? else {
        return Ok(());
    };
    report::print_to_stderr(&report);
    match report.judgement.verdict {
        Verdict::NotSafe => Err(CommandError::new(format!(
            "the rehearsal of {} on this site's data says NOT SAFE: {}; nothing was installed",
            report.to,
            report.judgement.reasons.join("; ")
        ))
        .hint("report the failing migration, or fix the data it names, and rehearse again (`paideia upgrade --rehearse`)")
        .status(ExitStatus::CheckFailed)
        .into()),
        Verdict::SafeWithDowntime => {
            eprintln!(
                "note: this upgrade needs downtime (about {}); plan it before running `paideia migrate up --contract`",
                report::duration(report.judgement.downtime_ms.unwrap_or_default())
            );
            Ok(())
        }
        Verdict::Safe => Ok(()),
    }
}

/// On a terminal, without `--yes`: offers a rehearsal when the newest verified backup set is
/// younger than a day (and so a fair picture of the data).
async fn offer(ctx: &Context, args: &UpgradeArgs) -> bool {
    if args.yes
        || !std::io::stdin().is_terminal()
        || !std::io::stderr().is_terminal()
        || !ctx.settings.backup.dir.is_dir()
    {
        return false;
    }
    let Ok(target) = Target::local(&ctx.settings.backup.dir).await else {
        return false;
    };
    let Ok(Some(newest)) = newest_verified(&target).await else {
        return false;
    };
    let age = Utc::now() - newest.created_at;
    if age > chrono::Duration::days(1) {
        return false;
    }
    let prompt = format!(
        "backup set {} ({} min old) is verified: rehearse this upgrade on a copy of it first?",
        newest.id,
        age.num_minutes()
    );
    crate::commands::confirm::ask(&prompt, "").unwrap_or(false)
}

/// The newest set whose last verification passed.
async fn newest_verified(target: &Target) -> Result<Option<SetManifest>, set::SetError> {
    Ok(target
        .sets()
        .await?
        .into_iter()
        .filter(|s| s.verification.as_ref().is_some_and(|v| v.ok))
        .filter_map(|s| s.manifest)
        .max_by_key(|m| m.created_at))
}

/// The verified new binary (in a download file deleted when the guard drops), its version and
/// the notes on the way; `None` when there is nothing to move to.
async fn new_binary(
    args: &UpgradeArgs,
    install: &Install,
) -> anyhow::Result<Option<(PathBuf, Version, Vec<String>)>> {
    if let Some(file) = &args.from_file {
        let part = install.partial("rehearse-from-file");
        let guard = Discard(&part);
        let (_reported, version) = apply::verified_file(args, file, &part).await?;
        std::mem::forget(guard);
        return Ok(Some((part, version, Vec::new())));
    }
    let current = version::semver();
    let policy = super::policy(args)?;
    let source = ReleaseSource::new(args.repo.as_deref(), &ProcessEnv)?;
    let releases = source.list().await?;
    let candidates = super::candidates(&releases);
    let target = match choose(&current, &candidates, &policy)? {
        Choice::UpToDate { .. } => {
            eprintln!("paideia {current} is up to date: nothing to rehearse");
            return Ok(None);
        }
        Choice::Move(target) => target,
    };
    let release =
        super::release_of(&releases, &target.version).expect("the choice comes from this list");
    let notes = on_the_way(&releases, &current, &target.version);
    apply::show_notes(&target.version, &notes);
    let (asset_name, asset) = apply::platform_asset(release)?;
    let part = install.partial(&format!("rehearse-{}", target.version));
    apply::download_verified(
        &source,
        release,
        (&asset_name, asset),
        &target.version,
        &part,
    )
    .await?;
    apply::set_executable(&part)?;
    let notes = notes.iter().map(|n| n.render()).collect();
    Ok(Some((part, target.version, notes)))
}

pub async fn rehearse(ctx: &Context, args: &UpgradeArgs) -> anyhow::Result<Option<Report>> {
    let started_at = Utc::now();
    let started = Instant::now();
    let install = Install::current()?;
    let lock = install.claim()?;
    let Some((binary, to, notes)) = new_binary(args, &install).await? else {
        return Ok(None);
    };
    let _discard = Discard(&binary);
    drop(lock);
    let mut findings = Findings::default();
    let trial = match smoke::reported(&binary).await {
        Ok(reported) => smoke::check_report(&reported, &to).map(|_| reported.target),
        Err(e) => Err(e),
    };
    let trial_ok = trial.is_ok();
    findings.new_binary.push(Check {
        what: "trial run (--version --json)".into(),
        ok: trial_ok,
        detail: match trial {
            Ok(target) => format!("reports {to} for {target}"),
            Err(e) => e.to_string(),
        },
    });

    let engine = ctx.settings.database_url.engine();
    let (server, base) = scratch_place(ctx, args)?;
    let swept = sweep(server.as_ref(), &base).await?;
    for leftover in &swept {
        eprintln!("removed a leftover scratch copy of an earlier rehearsal: {leftover}");
    }
    let scratch = Scratch::create(&base, server.as_ref(), Utc::now()).await?;
    let scratch_place = scratch.describe();
    eprintln!("scratch copy: {scratch_place}");
    let mut copy = Copy::default();
    let result = if trial_ok {
        on_copy(ctx, args, &scratch, &binary, &mut findings, &mut copy).await
    } else {
        Ok(())
    };
    let removed = scratch.remove().await;
    result?;
    if let Err(e) = removed {
        eprintln!("warning: {e}; the next rehearsal removes it");
    }

    let judgement = rehearsal::judge(&findings);
    let report = Report {
        from: version::VERSION.to_string(),
        to: to.to_string(),
        engine,
        source: copy.source,
        scratch: scratch_place,
        notes,
        migrations: findings.migrations,
        rows_before: copy.rows_before,
        rows_after: copy.rows_after,
        new_binary: findings.new_binary,
        current_binary: findings.current_binary,
        exit_code: status_of(judgement.verdict) as u8,
        judgement,
        swept,
        restore_ms: copy.restore_ms,
        took_ms: started.elapsed().as_millis() as u64,
    };
    keep_record(ctx, &report, started_at).await;
    Ok(Some(report))
}

/// Where scratch copies go: the PostgreSQL server (the configured one or `--scratch-url`),
/// and the local folder for work files and SQLite copies (`PAIDEIA_BACKUP_SCRATCH_DIR`, else
/// the data directory).
fn scratch_place(
    ctx: &Context,
    args: &UpgradeArgs,
) -> anyhow::Result<(Option<DatabaseUrl>, PathBuf)> {
    let base = ctx
        .settings
        .backup
        .scratch_dir
        .clone()
        .unwrap_or_else(|| ctx.settings.data_dir.clone());
    let configured = &ctx.settings.database_url;
    let server = match (&args.scratch_url, configured.engine()) {
        (Some(url), Engine::Postgres) => {
            let url = DatabaseUrl::parse(url)?;
            if url.engine() != Engine::Postgres {
                return Err(UpgradeError::Usage(
                    "--scratch-url must be a PostgreSQL URL: the copy goes on the same engine as the site".into(),
                )
                .into());
            }
            Some(url)
        }
        (Some(_), Engine::Sqlite) => {
            return Err(UpgradeError::Usage(
                "--scratch-url is for PostgreSQL sites; a SQLite copy goes to PAIDEIA_BACKUP_SCRATCH_DIR or the data directory".into(),
            )
            .into());
        }
        (None, Engine::Postgres) => Some(configured.clone()),
        (None, Engine::Sqlite) => None,
    };
    Ok((server, base))
}

async fn sweep(
    server: Option<&DatabaseUrl>,
    base: &std::path::Path,
) -> anyhow::Result<Vec<String>> {
    let now = Utc::now();
    let mut swept: Vec<String> = scratch::sweep_sqlite(base, now)
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    if let Some(server) = server {
        swept.extend(scratch::sweep_postgres(server, now).await?);
    }
    Ok(swept)
}

/// What the copy was made from and how big it was.
#[derive(Default)]
struct Copy {
    source: String,
    rows_before: BTreeMap<String, u64>,
    rows_after: BTreeMap<String, u64>,
    restore_ms: u64,
}

/// Every step on the copy; the caller drops it afterwards, whatever happened.
async fn on_copy(
    ctx: &Context,
    args: &UpgradeArgs,
    scratch: &Scratch,
    binary: &std::path::Path,
    findings: &mut Findings,
    copy: &mut Copy,
) -> anyhow::Result<()> {
    let restored = Instant::now();
    let dump = source_dump(ctx, args, scratch, copy).await?;
    let quick = backup::verify(&dump, None).await?;
    if ctx.settings.database_url.engine() == Engine::Sqlite {
        backup::room_for_trial(&scratch.dir, quick.bytes)?;
    }
    eprintln!(
        "restoring {} ({} rows) into the scratch copy …",
        copy.source, quick.rows
    );
    let db = Db::connect(&scratch.url, 2).await?;
    let restore = RestoreOptions {
        clean: false,
        trial: false,
    };
    let loaded = backup::restore_from(&db, &dump, &copy.source, restore, &Quiet).await;
    let counted = match loaded {
        Ok(_) => count_rows(&db).await,
        Err(e) => Err(e.into()),
    };
    db.close();
    copy.rows_before = counted?;
    let _ = std::fs::remove_file(&dump);
    copy.restore_ms = restored.elapsed().as_millis() as u64;

    eprintln!("running the new binary's migrations on the copy …");
    let new = NewBinary::new(binary, &scratch.url, &scratch.dir.join("data"));
    let mut migrations = new.pending().await?;
    let locks = new.lock_warnings().await?;
    for m in &mut migrations {
        m.locks = locks.get(&m.id).cloned().unwrap_or_default();
    }
    let migrated = new.migrate_up().await?;
    let db = Db::connect(&scratch.url, 2).await?;
    let durations = newbin::durations(&db).await;
    db.close();
    let durations = durations?;
    for m in &mut migrations {
        m.duration_ms = durations.get(&m.id).copied();
    }
    if let Err(error) = &migrated {
        let failed = newbin::failed_migration(error);
        if let Some(m) = migrations.iter_mut().find(|m| Some(m.id) == failed) {
            m.error = Some(error.clone());
        }
        findings.migrate_error = Some(error.clone());
    }
    findings.migrations = migrations;
    if migrated.is_ok() {
        let verdict = new.verify().await?;
        findings.new_binary.push(Check {
            what: "migrate verify".into(),
            ok: verdict.is_ok(),
            detail: verdict
                .err()
                .unwrap_or_else(|| "it can run on the migrated copy".into()),
        });
    }

    eprintln!("reading the migrated copy with the current binary …");
    let db = Db::connect(&scratch.url, 4).await?;
    let result = current_binary(&db, scratch, findings, migrated.is_ok()).await;
    let counted = count_rows(&db).await;
    db.close();
    result?;
    copy.rows_after = counted?;
    Ok(())
}

/// The current binary on the migrated copy: `migrate verify`, then (when it may run there)
/// the hot pages.
async fn current_binary(
    db: &Db,
    scratch: &Scratch,
    findings: &mut Findings,
    migrated: bool,
) -> anyhow::Result<()> {
    let verified = Migrator::embedded(db).verify().await;
    findings.current_binary.push(Check {
        what: "migrate verify".into(),
        ok: verified.is_ok(),
        detail: match &verified {
            Ok(_) => "it can still run on the migrated copy".into(),
            Err(e) => e.to_string(),
        },
    });
    if verified.is_ok() && migrated {
        findings
            .current_binary
            .extend(pages::read_hot_pages(db, &scratch.dir.join("media")).await?);
    }
    Ok(())
}

/// The dump the copy is made from: a dump taken now (`--fresh`), else the newest verified
/// backup set's, fetched into the scratch folder and checked against its authenticated
/// manifest.
async fn source_dump(
    ctx: &Context,
    args: &UpgradeArgs,
    scratch: &Scratch,
    copy: &mut Copy,
) -> anyhow::Result<PathBuf> {
    let path = scratch.dir.join("copy.sql.zst");
    if args.fresh {
        copy.source = format!(
            "a dump taken at {}",
            Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
        );
        eprintln!("dumping the database for the copy …");
        let db = ctx.connect(Open::MustExist).await?;
        let options = DumpOptions {
            compression: Compression::Zstd {
                level: Compression::DEFAULT_ZSTD_LEVEL,
            },
            jobs: 2,
        };
        let written = backup::dump_to_file(&db, &path, options, Arc::new(Quiet), false).await;
        db.close();
        written?;
        return Ok(path);
    }
    let target = Target::local(&ctx.settings.backup.dir).await?;
    let manifest = newest_verified(&target).await?.ok_or_else(|| {
        CommandError::new(format!("no verified backup set in {target} to rehearse on"))
            .hint("run `paideia backup run` and `paideia backup verify --latest`, or rehearse on a dump taken now with --fresh")
    })?;
    if manifest.encrypted {
        return Err(CommandError::new(format!(
            "backup set {} is encrypted; a rehearsal does not take the identity to open it",
            manifest.id
        ))
        .hint("rehearse on a dump taken now with --fresh")
        .into());
    }
    let keys = BackupKeys::load(&ctx.settings.backup.key)?;
    let looked_in = ctx.settings.backup.key.describe();
    let trust = Trust {
        keys: keys.as_ref(),
        looked_in: &looked_in,
        unauthenticated: false,
    };
    trust.check(&target, &manifest)?;
    copy.source = format!(
        "backup set {} ({})",
        manifest.id,
        manifest.created_at.format("%Y-%m-%d %H:%M UTC")
    );
    let fetched = set::fetch_dump(&target, &manifest, None, &scratch.dir).await?;
    Ok(fetched)
}

/// Rows per table.
async fn count_rows(db: &Db) -> anyhow::Result<BTreeMap<String, u64>> {
    let mut conn = db.conn().await?;
    let tables = catalog::tables(&mut conn, db.engine()).await?;
    let mut counts = BTreeMap::new();
    for table in tables {
        let row = conn
            .query_one(
                &format!("SELECT COUNT(*) AS n FROM {}", quote_ident(&table.name)),
                &[],
            )
            .await?;
        counts.insert(table.name, row.get::<i64>("n")?.max(0) as u64);
    }
    Ok(counts)
}

/// Writes the rehearsal beside the upgrade history; a failure only warns.
async fn keep_record(ctx: &Context, report: &Report, started_at: DateTime<Utc>) {
    if !super::apply::database_exists(ctx) {
        return;
    }
    let rehearsal = Rehearsal {
        started_at,
        finished_at: Utc::now(),
        from_version: report.from.clone(),
        to_version: report.to.clone(),
        source: report.source.clone(),
        verdict: report.judgement.verdict.as_str().to_string(),
        summary: report::summary(report),
        report: serde_json::to_string(report).unwrap_or_default(),
    };
    let written = match ctx.connect(Open::MustExist).await {
        Ok(db) => {
            let written = record::record(&db, &rehearsal).await;
            db.close();
            written.map_err(anyhow::Error::from)
        }
        Err(e) => Err(e),
    };
    if let Err(e) = written {
        eprintln!("warning: the rehearsal could not be recorded in the upgrade history: {e}");
    }
}
