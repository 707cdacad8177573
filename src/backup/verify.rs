//! `verify-backup`: the structure and every hash (quick), then a trial restore into a scratch
//! database and a comparison of each table's rows and hash with the manifest. A failure of
//! the scratch space or database (full, unreachable) is told apart from a bad dump: it is
//! `BackupError::CouldNotCheck`, and free space is checked against the dump's size first.

use std::path::Path;

use super::{
    BackupError, Quiet, catalog,
    copytext::RowHasher,
    format::{Manifest, quote_ident},
    restore::{self, RestoreOptions},
};
use crate::db::{DatabaseUrl, Db, Engine, Executor};

/// Where a trial restore goes.
pub enum Scratch {
    /// A temporary SQLite file in a new directory inside this one.
    Sqlite(std::path::PathBuf),
    /// A temporary database on this PostgreSQL server, dropped afterwards.
    Postgres(DatabaseUrl),
}

impl Scratch {
    /// A scratch database on the same engine as `url`: a database on its PostgreSQL server,
    /// or a SQLite file in a new directory inside `dir`.
    pub fn like(url: &DatabaseUrl, dir: &Path) -> Scratch {
        match url.engine() {
            Engine::Postgres => Scratch::Postgres(url.clone()),
            Engine::Sqlite => Scratch::Sqlite(dir.to_path_buf()),
        }
    }
}

#[derive(Debug, serde::Serialize)]
pub struct VerifyReport {
    pub ok: bool,
    pub format: u32,
    pub engine: Engine,
    pub paideia_version: String,
    pub schema_version: i64,
    pub tables: usize,
    pub rows: u64,
    pub bytes: u64,
    /// "sqlite" or "postgres" when a trial restore ran.
    pub trial_restore: Option<Engine>,
}

pub async fn verify(path: &Path, scratch: Option<Scratch>) -> Result<VerifyReport, BackupError> {
    let target = match &scratch {
        Some(Scratch::Postgres(_)) => Engine::Postgres,
        _ => Engine::Sqlite,
    };
    let scan = restore::check_all(path, target).await?;
    if !scan.sql_checked {
        return Err(BackupError::SqlUnchecked {
            file: path.display().to_string(),
            format: scan.manifest.format,
        });
    }
    let (manifest, bytes) = (scan.manifest, scan.bytes);
    let trial = match scratch {
        None => None,
        Some(Scratch::Sqlite(dir)) => {
            room_for_trial(&dir, bytes)?;
            let scratch = tempfile::Builder::new()
                .prefix(".paideia-verify-")
                .tempdir_in(&dir)
                .map_err(|e| {
                    scratch_failure(BackupError::io("create a folder in", &dir)(e), &dir)
                })?;
            let url = DatabaseUrl::sqlite_file(&scratch.path().join("verify.db"));
            trial_restore(&url, path, &manifest)
                .await
                .map_err(|e| scratch_failure(e, &dir))?;
            Some(Engine::Sqlite)
        }
        Some(Scratch::Postgres(server)) => {
            let place = format!("on {server}");
            let name = format!("paideia_verify_{:016x}", rand::random::<u64>());
            admin(&server, &format!("CREATE DATABASE {name}"))
                .await
                .map_err(|e| in_place(as_could_not_check(e), &place))?;
            let result = match server.with_database(&name) {
                Ok(url) => trial_restore(&url, path, &manifest).await,
                Err(e) => Err(e.into()),
            };
            let dropped = admin(
                &server,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
            result.map_err(|e| in_place(classify(e), &place))?;
            dropped.map_err(|e| in_place(as_could_not_check(e), &place))?;
            Some(Engine::Postgres)
        }
    };
    Ok(VerifyReport {
        ok: true,
        format: manifest.format,
        engine: manifest.engine,
        paideia_version: manifest.paideia_version.clone(),
        schema_version: manifest.schema_version,
        tables: manifest.tables.len(),
        rows: manifest.total_rows(),
        bytes,
        trial_restore: trial,
    })
}

/// Bytes a trial restore of a dump of `bytes` uncompressed bytes may need: the SQLite file
/// (rows and indexes, up to about one and a half times the COPY text) and its write-ahead
/// log, which holds every page of the restore's one transaction until the commit.
pub fn trial_space(bytes: u64) -> u64 {
    bytes.saturating_mul(3).saturating_add(16 << 20)
}

/// Refuses to start a trial restore in `dir` when its filesystem has less room than it needs.
pub fn room_for_trial(dir: &Path, bytes: u64) -> Result<(), BackupError> {
    let Some((free, _)) = free_space(dir) else {
        return Ok(());
    };
    let need = trial_space(bytes);
    if free < need {
        return Err(BackupError::CouldNotCheck {
            problem: format!(
                "not enough scratch space for a trial restore: {} has {} free, this dump needs about {}",
                dir.display(),
                human(free),
                human(need)
            ),
            hint: scratch_hint(dir),
        });
    }
    Ok(())
}

/// Free bytes and inodes for an unprivileged user on the filesystem holding `dir`.
fn free_space(dir: &Path) -> Option<(u64, u64)> {
    let stat = nix::sys::statvfs::statvfs(dir).ok()?;
    Some((
        stat.blocks_available() as u64 * stat.fragment_size() as u64,
        stat.files_available() as u64,
    ))
}

fn human(bytes: u64) -> String {
    indicatif::HumanBytes(bytes).to_string()
}

fn scratch_hint(dir: &Path) -> String {
    format!(
        "the dump itself was not found bad; free space (or inodes) in {} or point --scratch-dir ({}) at a folder with more room; `--quick` checks without a trial restore",
        dir.display(),
        crate::envvars::SCRATCH_DIR
    )
}

/// An error of a trial restore in the SQLite scratch folder `dir`: the scratch's own failures
/// (a full disk, no inodes, I/O) become `CouldNotCheck`, naming what `dir` has left.
fn scratch_failure(e: BackupError, dir: &Path) -> BackupError {
    match classify(e) {
        BackupError::CouldNotCheck { problem, .. } => {
            let left = free_space(dir).map_or(String::new(), |(bytes, inodes)| {
                format!(
                    " ({} has {} and {inodes} inodes free)",
                    dir.display(),
                    human(bytes)
                )
            });
            BackupError::CouldNotCheck {
                problem: format!("{problem}{left}"),
                hint: scratch_hint(dir),
            }
        }
        other => other,
    }
}

/// Sorts a trial restore's error: a failure of the scratch database itself (resources,
/// connection, I/O) cannot tell anything about the dump; any other database error is the
/// dump's (a duplicate key, a dangling reference): the trial restore failed.
fn classify(e: BackupError) -> BackupError {
    match e {
        BackupError::Db(db) if super::error::is_resource(&db) => as_could_not_check(db.into()),
        BackupError::Io(_) => as_could_not_check(e),
        BackupError::Db(db) => BackupError::TrialRestore(db.to_string()),
        other => other,
    }
}

fn as_could_not_check(e: BackupError) -> BackupError {
    match e {
        BackupError::CouldNotCheck { .. } => e,
        e => BackupError::CouldNotCheck {
            problem: format!("the scratch database failed: {e}"),
            hint: "the dump itself was not found bad: check the scratch database (its server, its space, the permission to create a database); `--quick` checks without a trial restore".into(),
        },
    }
}

/// Says where the scratch database was.
fn in_place(e: BackupError, place: &str) -> BackupError {
    match e {
        BackupError::CouldNotCheck { problem, hint } if !problem.contains(place) => {
            BackupError::CouldNotCheck {
                problem: format!("{problem} ({place})"),
                hint,
            }
        }
        other => other,
    }
}

async fn admin(server: &DatabaseUrl, sql: &str) -> Result<(), BackupError> {
    let db = Db::connect(server, 1).await?;
    db.conn().await?.batch_execute(sql).await?;
    db.close();
    Ok(())
}

async fn trial_restore(
    url: &DatabaseUrl,
    path: &Path,
    manifest: &Manifest,
) -> Result<(), BackupError> {
    let db = Db::connect(url, 2).await?;
    let options = RestoreOptions {
        clean: false,
        trial: true,
    };
    let result = async {
        restore::restore(&db, path, options, &Quiet).await?;
        compare(&db, manifest).await
    }
    .await;
    db.close();
    result
}

/// Re-reads every table of the restored database and checks rows and hash.
async fn compare(db: &Db, manifest: &Manifest) -> Result<(), BackupError> {
    let mut conn = db.conn().await?;
    let mut tx = conn.read_transaction(None).await?;
    let restored = catalog::tables(&mut tx, db.engine()).await?;
    for table in &manifest.tables {
        let target = restored.iter().find(|t| t.name == table.name);
        let columns: Vec<String> = table.columns.iter().map(|c| quote_ident(&c.name)).collect();
        let sql = format!(
            "SELECT {} FROM {}",
            columns.join(", "),
            quote_ident(&table.name)
        );
        let mut hasher = RowHasher::for_format(manifest.format);
        tx.for_each_row(&sql, |values| hasher.add_as(values, &table.columns))
            .await?;
        if target.is_none() || hasher.rows() != table.rows || hasher.finish() != table.hash {
            return Err(BackupError::Table {
                table: table.name.clone(),
                problem: format!(
                    "after a trial restore it holds {} rows that do not match the manifest ({} rows)",
                    hasher.rows(),
                    table.rows
                ),
            });
        }
    }
    Ok(())
}
