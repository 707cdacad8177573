//! `doctor`'s checks: configuration, database, migrations, storage, the files the database
//! refers to, leftovers, disk, file permissions, clock and backups, each PASS, WARN or FAIL
//! with a hint. It changes nothing (on S3 a probe object is written and deleted again; the
//! files folder is only looked at), so it is safe on a broken install at 2 a.m.

mod files;
mod mail;
mod media;

pub use media::bring_back_hint;

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::{
    backup::history,
    db::{Db, Engine},
    migrate::{Compatibility, MigrationState, Migrator},
    settings::Settings,
    storage::{Storage, StorageError},
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Pass,
    Warn,
    Fail,
}

#[derive(Clone, Debug, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub level: Level,
    pub detail: String,
    pub hint: Option<String>,
}

fn check(name: &'static str, level: Level, detail: impl Into<String>, hint: Option<&str>) -> Check {
    Check {
        name,
        level,
        detail: detail.into(),
        hint: hint.map(String::from),
    }
}

/// The newest successful backup older than this is reported.
pub const BACKUP_MAX_AGE: Duration = Duration::hours(26);

/// How `doctor` runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Check every file the database refers to (else a sample), and look for orphans.
    pub full: bool,
}

/// Runs every check; `now` is the caller's clock.
pub async fn run(settings: &Settings, now: DateTime<Utc>, options: Options) -> Vec<Check> {
    let mut checks = vec![configuration(settings), deprecations()];
    checks.push(files::data_dir(&settings.data_dir));
    checks.push(files::free_space(&settings.data_dir));
    checks.extend(files::private_files(settings));
    let db = match open(settings).await {
        Ok(db) => {
            checks.push(database_version(&db).await);
            checks.push(migrations(&db).await);
            checks.push(clock(&db, now).await);
            checks.extend(backups(&db, &settings.backup.dir, now).await);
            checks.extend(restore_leftovers(&db).await);
            checks.push(backup_place(settings));
            checks.push(last_upgrade(&db).await);
            checks.push(mail::outbox(&db, now).await);
            Some(db)
        }
        Err(failed) => {
            checks.push(failed);
            None
        }
    };
    checks.push(mail::smtp(settings).await);
    let (found, storage) = storage(settings).await;
    checks.push(found);
    checks.push(media::leftovers(settings, storage.as_ref(), now).await);
    if let Some(db) = db {
        checks.extend(media::files(&db, storage.as_ref(), now, options.full).await);
        db.close();
    }
    checks
}

fn configuration(settings: &Settings) -> Check {
    let detail = match &settings.config_file {
        Some(path) => format!("read {}", path.display()),
        None => "defaults, environment and flags (no configuration file)".into(),
    };
    check("configuration", Level::Pass, detail, None)
}

/// Opens the database, never creating one: a missing SQLite file, or one this user may not
/// read, is a failed check.
async fn open(settings: &Settings) -> Result<Db, Check> {
    let url = &settings.database_url;
    if url.engine() == Engine::Sqlite {
        let path = url.sqlite_path();
        if let Err(e) = crate::paths::check_file("database", path, true) {
            let hint = if e.is_missing() {
                "a new install creates it with `paideia migrate up` (or at the first `paideia serve`); otherwise point --database-url or --data-dir at the existing one".to_string()
            } else {
                e.hint()
            };
            return Err(check("database", Level::Fail, e.to_string(), Some(&hint)));
        }
    }
    Db::connect(url, 2).await.map_err(|e| {
        let hint = e.hint().unwrap_or_else(|| {
            "check --database-url / PAIDEIA_DATABASE_URL and that the server is running".into()
        });
        check("database", Level::Fail, e.to_string(), Some(&hint))
    })
}

async fn database_version(db: &Db) -> Check {
    let sql = match db.engine() {
        Engine::Postgres => "SELECT current_setting('server_version') AS v",
        Engine::Sqlite => "SELECT sqlite_version() AS v",
    };
    match db
        .query_one(sql, &[])
        .await
        .and_then(|r| r.get::<String>("v"))
    {
        Ok(v) => check(
            "database",
            Level::Pass,
            format!("{} {v} at {}", db.engine(), db.url()),
            None,
        ),
        Err(e) => check("database", Level::Fail, e.to_string(), None),
    }
}

async fn migrations(db: &Db) -> Check {
    let status = match Migrator::embedded(db).status().await {
        Ok(s) => s,
        Err(e) => return check("migrations", Level::Fail, e.to_string(), None),
    };
    let count = |state| {
        status
            .migrations
            .iter()
            .filter(|m| m.state == state)
            .count()
    };
    let (changed, pending) = (
        count(MigrationState::Changed),
        count(MigrationState::Pending),
    );
    match &status.compatibility {
        _ if changed > 0 => check(
            "migrations",
            Level::Fail,
            format!("{changed} applied migration(s) changed"),
            Some("run `paideia migrate verify` for details"),
        ),
        Compatibility::Incompatible { min_version, .. } => check(
            "migrations",
            Level::Fail,
            format!("the database needs paideia {min_version} or newer"),
            Some("run a newer binary (`paideia upgrade --check`)"),
        ),
        Compatibility::Compatible { unknown, .. } => check(
            "migrations",
            Level::Warn,
            format!("{unknown} migration(s) from a newer paideia; this binary is compatible"),
            Some("upgrade this instance when the rolling upgrade is done"),
        ),
        Compatibility::Current if pending > 0 => check(
            "migrations",
            Level::Warn,
            format!(
                "schema {}, {pending} pending",
                status.database_schema_version
            ),
            Some(
                "`paideia serve` applies them at start; `paideia migrate up --dry-run` shows them",
            ),
        ),
        Compatibility::Current => check(
            "migrations",
            Level::Pass,
            format!("schema {}, up to date", status.database_schema_version),
            None,
        ),
    }
}

/// The clock must not be behind what the database has recorded, nor far from the server's.
async fn clock(db: &Db, now: DateTime<Utc>) -> Check {
    let sql = match db.engine() {
        Engine::Postgres => {
            "SELECT now() AS server, (SELECT max(applied_at) FROM paideia_migrations) AS latest"
        }
        Engine::Sqlite => {
            "SELECT NULL AS server, (SELECT max(applied_at) FROM paideia_migrations) AS latest"
        }
    };
    let Ok(row) = db.query_one(sql, &[]).await else {
        return check(
            "clock",
            Level::Warn,
            "could not compare with the database",
            None,
        );
    };
    let server: Option<DateTime<Utc>> = row.get("server").unwrap_or(None);
    let latest: Option<DateTime<Utc>> = row.get("latest").unwrap_or(None);
    if let Some(server) = server {
        let skew = (now - server).num_seconds().abs();
        if skew > 60 {
            return check(
                "clock",
                Level::Fail,
                format!("{skew} s away from the database server's clock"),
                Some(
                    "enable time synchronisation (chrony or systemd-timesyncd); deadlines depend on it",
                ),
            );
        }
        if skew > 5 {
            return check(
                "clock",
                Level::Warn,
                format!("{skew} s away from the database server's clock"),
                Some("enable time synchronisation"),
            );
        }
    }
    match latest {
        Some(t) if now + Duration::minutes(5) < t => check(
            "clock",
            Level::Fail,
            format!("behind the last migration's time ({t})"),
            Some("the system clock went backwards; fix it before students submit work"),
        ),
        _ => check(
            "clock",
            Level::Pass,
            format!("{}", now.format("%Y-%m-%d %H:%M:%S UTC")),
            None,
        ),
    }
}

/// The modification time of the newest backup in `dir` (the backup set folder): a dump file
/// put there by hand, or a complete set's manifest written by `paideia backup run`.
fn newest_dump(dir: &Path) -> Option<DateTime<Utc>> {
    let modified = |e: &std::fs::DirEntry| e.metadata().ok()?.modified().ok();
    let dumps = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            !name.starts_with('.') && (name.ends_with(".sql") || name.ends_with(".sql.zst"))
        })
        .filter_map(|e| modified(&e));
    let sets = std::fs::read_dir(dir.join("sets"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            std::fs::metadata(e.path().join("manifest.json"))
                .ok()?
                .modified()
                .ok()
        });
    dumps.chain(sets).max().map(DateTime::<Utc>::from)
}

async fn backups(db: &Db, backup_dir: &Path, now: DateTime<Utc>) -> Vec<Check> {
    let latest = |kind: &'static str| async move {
        history::latest_success(db, kind)
            .await
            .ok()
            .flatten()
            .map(|run| run.finished_at)
    };
    let age = |name: &'static str, at: Option<DateTime<Utc>>, hint: &str| match at {
        None => check(name, Level::Warn, "none recorded", Some(hint)),
        Some(t) if now - t > BACKUP_MAX_AGE => check(
            name,
            Level::Warn,
            format!("last at {t}, {} hours ago", (now - t).num_hours()),
            Some(hint),
        ),
        Some(t) => check(name, Level::Pass, format!("last at {t}"), None),
    };
    let failed = |kind: &'static str| async move {
        let run = history::latest(db, kind).await.ok().flatten()?;
        (!run.succeeded).then_some((run.finished_at, run.detail))
    };
    // The newest run failing is a warning even when an older one (or a local set) is recent:
    // backups must never fail silently.
    let unless_failed =
        |found: Check, failure: Option<(DateTime<Utc>, String)>, hint: &str| match failure {
            Some((at, detail)) if found.level != Level::Fail => check(
                found.name,
                Level::Warn,
                format!("the newest run, at {at}, failed: {detail}"),
                Some(hint),
            ),
            _ => found,
        };
    let backup_hint = "schedule a nightly `paideia backup run`: `paideia backup schedule --print cron` (or `--print systemd`) prints it ready to install";
    let verify_hint =
        "run `paideia backup verify --latest` (or `paideia verify-backup FILE` on a dump)";
    vec![
        unless_failed(
            age(
                "last backup",
                latest("backup").await.max(newest_dump(backup_dir)),
                backup_hint,
            ),
            failed("backup").await,
            "run `paideia backup run` by hand to see the error; `paideia backup list` shows the sets there are",
        ),
        unless_failed(
            age("last verification", latest("verify").await, verify_hint),
            failed("verify").await,
            "`paideia backup list` shows which set failed; make a new one with `paideia backup run`",
        ),
    ]
}

/// The deprecated settings this install uses, each with its replacement.
fn deprecations() -> Check {
    let used = crate::deprecations::in_use(&crate::settings::ProcessEnv);
    if used.is_empty() {
        return check("deprecations", Level::Pass, "none used", None);
    }
    let detail = used
        .iter()
        .map(|d| d.sentence())
        .collect::<Vec<_>>()
        .join("; ");
    check(
        "deprecations",
        Level::Warn,
        detail,
        Some("rename them before upgrading to the version that removes them"),
    )
}

/// Staging schemas left by a PostgreSQL restore that was killed; reported only when there
/// are some (the next restore drops them).
async fn restore_leftovers(db: &Db) -> Option<Check> {
    if db.engine() != Engine::Postgres {
        return None;
    }
    let mut conn = db.conn().await.ok()?;
    let names = crate::backup::leftover_schemas(&mut conn).await.ok()?;
    (!names.is_empty()).then(|| {
        check(
            "restore leftovers",
            Level::Warn,
            format!(
                "staging schema {} of an interrupted restore (the database itself is as before it)",
                names.join(", ")
            ),
            Some("the next `paideia restore` drops it; or DROP SCHEMA … CASCADE by hand"),
        )
    })
}

/// The newest upgrade or rollback in the upgrade history; a failed one is a warning that says
/// the state it left.
async fn last_upgrade(db: &Db) -> Check {
    const NAME: &str = "last upgrade";
    match crate::upgrade::history::latest(db).await {
        Ok(None) => check(NAME, Level::Pass, "none recorded", None),
        Ok(Some(run)) if run.succeeded => check(NAME, Level::Pass, run.summary(), None),
        Ok(Some(run)) => check(NAME, Level::Warn, run.summary(), Some(&run.state)),
        // A database an older binary migrated has no history yet.
        Err(_) => check(
            NAME,
            Level::Pass,
            "no upgrade history in this database yet",
            None,
        ),
    }
}

/// Whether the backups would survive the loss of the data's disk: an off-site copy, or a
/// backup folder on another file system than the data directory.
fn backup_place(settings: &Settings) -> Check {
    use std::os::unix::fs::MetadataExt;
    const NAME: &str = "backup place";
    if let Some(to) = &settings.backup.to {
        return check(
            NAME,
            Level::Pass,
            format!("off-site copy to {}", to.url()),
            None,
        );
    }
    // The backup folder may not exist yet: its nearest existing folder is where it would be.
    let device = |path: &Path| {
        path.ancestors()
            .find_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.dev())
    };
    let dir = &settings.backup.dir;
    match (device(dir), device(&settings.data_dir)) {
        (Some(a), Some(b)) if a == b => check(
            NAME,
            Level::Warn,
            format!(
                "{} is on the same file system as the data directory {}: one lost disk takes both",
                dir.display(),
                settings.data_dir.display()
            ),
            Some(
                "copy sets off the machine with `paideia backup run --to s3://BUCKET/PREFIX` (PAIDEIA_BACKUP_TO), or put PAIDEIA_BACKUP_DIR on another disk",
            ),
        ),
        _ => check(
            NAME,
            Level::Pass,
            format!("{} is on another file system than the data", dir.display()),
            None,
        ),
    }
}

/// The storage, opened without creating anything: the files folder is looked at (exists,
/// this user may read and write it), a bucket is listed and a probe object written to it and
/// deleted again.
async fn storage(settings: &Settings) -> (Check, Option<Storage>) {
    let storage = match Storage::existing(settings) {
        Ok(s) => s,
        Err(StorageError::Folder(e))
            if e.is_missing()
                && crate::paths::check_dir("data directory", &settings.data_dir, true).is_ok() =>
        {
            let detail = format!(
                "{} does not exist yet; `paideia serve` creates it in the writable data directory",
                e.path.display()
            );
            return (check("storage", Level::Pass, detail, None), None);
        }
        Err(e) => {
            return (
                check("storage", Level::Fail, e.to_string(), e.hint().as_deref()),
                None,
            );
        }
    };
    let probed = match storage.backend() {
        "local" => storage.check_readable().await,
        _ => storage.check_writable().await,
    };
    let found = match probed {
        Ok(()) => check(
            "storage",
            Level::Pass,
            format!("{storage} is readable and writable"),
            None,
        ),
        Err(e) => check("storage", Level::Fail, e.to_string(), e.hint().as_deref()),
    };
    (found, Some(storage))
}

/// The worst level among the checks.
pub fn worst(checks: &[Check]) -> Level {
    checks.iter().map(|c| c.level).max().unwrap_or(Level::Pass)
}

/// True when `path` can be read by the group or others.
pub fn is_shared(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}
