//! Scratch copies for rehearsals: a folder of their own (work files, the SQLite copy) and, on
//! PostgreSQL, a database on the configured server (or the `--scratch-url` one). Names carry
//! a prefix, the UTC time and the pid (`paideia_rehearsal_20261203t221500_4242`), and each
//! has a lease its process holds while it lives: a `flock` on `NAME.lease` beside the folder
//! (taken before the folder exists) and a session advisory lock inside the database; the
//! kernel or the server drops it when the process dies. The next rehearsal sweeps every copy
//! whose lease is free and whose process is gone (or whose name is over an hour old), so a
//! kill at any point leaves nothing behind.

use std::{
    fs::File,
    path::{Path, PathBuf},
};

use chrono::{DateTime, NaiveDateTime, Utc};
use sha2::{Digest, Sha256};

use crate::db::{DatabaseUrl, Db, DbError, Executor, Value};

/// PostgreSQL scratch databases start with this.
pub const PG_PREFIX: &str = "paideia_rehearsal_";
/// SQLite scratch folders (and their lease files) start with this.
pub const DIR_PREFIX: &str = ".paideia-rehearsal-";
/// A leftover whose process may still be alive on this machine is kept this long.
const MAX_AGE: chrono::Duration = chrono::Duration::hours(1);
const STAMP: &str = "%Y%m%dt%H%M%S";

/// The name part after the prefix: time and pid.
pub fn stamp(now: DateTime<Utc>, pid: u32) -> String {
    format!("{}_{pid}", now.format(STAMP))
}

/// The time and pid a scratch name carries (after its prefix), if it is one of ours.
pub fn parse_stamp(rest: &str) -> Option<(DateTime<Utc>, u32)> {
    let (time, pid) = rest.split_once('_')?;
    let time = NaiveDateTime::parse_from_str(time, STAMP).ok()?.and_utc();
    Some((time, pid.parse().ok()?))
}

/// Whether a leftover with a free lease is abandoned: its process is gone from this machine,
/// or it is older than `MAX_AGE` (a process on another machine, or a reused pid).
pub fn abandoned(rest: &str, now: DateTime<Utc>) -> bool {
    match parse_stamp(rest) {
        None => false, // not ours: never touched
        Some((at, pid)) => now - at > MAX_AGE || !process_alive(pid),
    }
}

fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true // unknown: the age decides
    }
}

/// The advisory-lock key of a PostgreSQL scratch name.
fn lock_key(name: &str) -> i64 {
    let digest = Sha256::digest(format!("paideia rehearsal {name}").as_bytes());
    i64::from_be_bytes(digest[..8].try_into().expect("8 bytes"))
}

/// A rehearsal's scratch space: a leased folder (work files, the SQLite copy, the copy's data
/// folder) and, on PostgreSQL, a scratch database. Dropped by `remove`, or after a kill by
/// the next sweep.
pub struct Scratch {
    pub dir: PathBuf,
    /// The copy's database: `dir/copy.db`, or the scratch database.
    pub url: DatabaseUrl,
    lease_path: PathBuf,
    lease: File,
    postgres: Option<PgCopy>,
}

struct PgCopy {
    name: String,
    server: DatabaseUrl,
    /// The connection holding the database's lease.
    lease: Db,
}

impl Scratch {
    /// Takes the folder's lease (`BASE/.paideia-rehearsal-….lease`), makes the folder, and
    /// with a `server`, takes the database's lease there and creates it (empty).
    pub async fn create(
        base: &Path,
        server: Option<&DatabaseUrl>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Scratch> {
        let stamp = stamp(now, std::process::id());
        let name = format!("{DIR_PREFIX}{stamp}");
        crate::settings::create_private_dir(base)?;
        let lease_path = base.join(format!("{name}.lease"));
        let lease = File::create(&lease_path)?;
        lease
            .try_lock()
            .map_err(|e| std::io::Error::other(format!("lease {}: {e}", lease_path.display())))?;
        let dir = base.join(&name);
        crate::settings::create_private_dir(&dir)?;
        let mut scratch = Scratch {
            url: DatabaseUrl::sqlite_file(&dir.join("copy.db")),
            dir,
            lease_path,
            lease,
            postgres: None,
        };
        if let Some(server) = server {
            match PgCopy::create(server, &format!("{PG_PREFIX}{stamp}")).await {
                Ok(copy) => {
                    scratch.url = server.with_database(&copy.name)?;
                    scratch.postgres = Some(copy);
                }
                Err(e) => {
                    let _ = scratch.remove().await;
                    return Err(e.into());
                }
            }
        }
        Ok(scratch)
    }

    /// Where the copy lives, for messages.
    pub fn describe(&self) -> String {
        match &self.postgres {
            Some(pg) => format!("database {} on {}", pg.name, pg.server),
            None => self.url.sqlite_path().display().to_string(),
        }
    }

    /// Drops the copy, removes the folder and gives up the leases.
    pub async fn remove(self) -> Result<(), String> {
        let mut problems = Vec::new();
        if let Some(pg) = self.postgres {
            pg.lease.close();
            if let Err(e) = drop_database(&pg.server, &pg.name).await {
                problems.push(format!("cannot drop scratch database {}: {e}", pg.name));
            }
        }
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            problems.push(format!("cannot remove {}: {e}", self.dir.display()));
        }
        let _ = std::fs::remove_file(&self.lease_path);
        drop(self.lease);
        match problems.is_empty() {
            true => Ok(()),
            false => Err(problems.join("; ")),
        }
    }
}

impl PgCopy {
    /// Creates the database, then takes its lease inside it (advisory locks are per database,
    /// so a sweeper connected anywhere else could not see it). Between the two the name's
    /// live pid (or its youth) keeps sweepers away.
    async fn create(server: &DatabaseUrl, name: &str) -> Result<PgCopy, DbError> {
        admin(server, &format!("CREATE DATABASE {name}")).await?;
        let leased = async {
            let lease = Db::connect(&server.with_database(name)?, 1).await?;
            if try_lease(&lease, name).await? {
                Ok(lease)
            } else {
                lease.close();
                Err(DbError::Decode(format!("the lease of {name} is taken")))
            }
        }
        .await;
        match leased {
            Ok(lease) => Ok(PgCopy {
                name: name.to_string(),
                server: server.clone(),
                lease,
            }),
            Err(e) => {
                let _ = drop_database(server, name).await;
                Err(e)
            }
        }
    }
}

async fn admin(server: &DatabaseUrl, sql: &str) -> Result<(), DbError> {
    let db = Db::connect(server, 1).await?;
    let done = async { db.conn().await?.batch_execute(sql).await }.await;
    db.close();
    done
}

async fn drop_database(server: &DatabaseUrl, name: &str) -> Result<(), DbError> {
    admin(
        server,
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    )
    .await
}

async fn try_lease(db: &Db, name: &str) -> Result<bool, DbError> {
    db.query_one(
        "SELECT pg_try_advisory_lock($1) AS got",
        &[Value::from(lock_key(name))],
    )
    .await?
    .get("got")
}

/// Drops the PostgreSQL scratch databases on `server` that rehearsals left behind; returns
/// their names. Each must be abandoned by name and age, and its lease (inside it) free.
pub async fn sweep_postgres(
    server: &DatabaseUrl,
    now: DateTime<Utc>,
) -> Result<Vec<String>, DbError> {
    let db = Db::connect(server, 1).await?;
    let rows = db
        .query(
            "SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname",
            &[Value::from(PG_PREFIX)],
        )
        .await;
    db.close();
    let mut swept = Vec::new();
    for row in rows? {
        let name: String = row.get("datname")?;
        let rest = &name[PG_PREFIX.len()..];
        let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !plain || !abandoned(rest, now) {
            continue;
        }
        let free = match Db::connect(&server.with_database(&name)?, 1).await {
            Ok(copy) => {
                let free = try_lease(&copy, &name).await.unwrap_or(false);
                copy.close();
                free
            }
            Err(_) => true, // being dropped, or never finished: nobody works in it
        };
        if free {
            drop_database(server, &name).await?;
            swept.push(name);
        }
    }
    Ok(swept)
}

/// Removes the SQLite scratch folders in `base` that rehearsals left behind (and their lease
/// files); returns their paths.
pub fn sweep_sqlite(base: &Path, now: DateTime<Utc>) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(base) else {
        return Vec::new();
    };
    let mut swept = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(DIR_PREFIX) else {
            continue;
        };
        if rest.ends_with(".lease") || !abandoned(rest, now) {
            continue;
        }
        let lease_path = base.join(format!("{file_name}.lease"));
        let lease = match File::options().write(true).open(&lease_path) {
            Ok(file) => match file.try_lock() {
                Ok(()) => Some(file),
                Err(_) => continue, // its rehearsal is running
            },
            Err(_) => None,
        };
        if std::fs::remove_dir_all(entry.path()).is_ok() {
            swept.push(entry.path());
        }
        let _ = std::fs::remove_file(&lease_path);
        drop(lease);
    }
    // Lease files whose folder is gone (killed between the two).
    if let Ok(entries) = std::fs::read_dir(base) {
        for entry in entries.filter_map(Result::ok) {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let Some(stem) = file_name
                .strip_prefix(DIR_PREFIX)
                .and_then(|r| r.strip_suffix(".lease"))
            else {
                continue;
            };
            if abandoned(stem, now)
                && !base.join(format!("{DIR_PREFIX}{stem}")).exists()
                && File::options()
                    .write(true)
                    .open(entry.path())
                    .is_ok_and(|f| f.try_lock().is_ok())
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    swept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_time_and_pid_and_only_ours_are_judged() {
        let now = DateTime::parse_from_rfc3339("2026-12-03T22:15:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let s = stamp(now, 4242);
        assert_eq!(s, "20261203t221500_4242");
        assert_eq!(parse_stamp(&s), Some((now, 4242)));
        let name = format!("{PG_PREFIX}{s}");
        assert!(name.len() <= 63, "PostgreSQL names are at most 63 bytes");
        assert!(!abandoned("notours", now));
        // Our own process is alive: kept while young, swept when over an hour old.
        let mine = stamp(now, std::process::id());
        assert!(!abandoned(&mine, now));
        assert!(abandoned(&mine, now + chrono::Duration::hours(2)));
    }

    #[test]
    fn sqlite_leftovers_go_unless_their_lease_is_held() {
        let base = tempfile::tempdir().unwrap();
        let now = Utc::now();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let live = rt
            .block_on(Scratch::create(base.path(), None, now))
            .unwrap();
        // A killed rehearsal: folder and lease file, nobody holding the lease, pid gone.
        let dead = format!("{DIR_PREFIX}{}", stamp(now, u32::MAX - 1));
        std::fs::create_dir(base.path().join(&dead)).unwrap();
        std::fs::write(base.path().join(format!("{dead}.lease")), "").unwrap();
        // Held lease, old name: kept.
        let swept = sweep_sqlite(base.path(), now + chrono::Duration::hours(2));
        assert_eq!(swept, vec![base.path().join(&dead)]);
        assert!(!base.path().join(format!("{dead}.lease")).exists());
        assert!(live.dir.exists());
        rt.block_on(live.remove()).unwrap();
        assert_eq!(std::fs::read_dir(base.path()).unwrap().count(), 0);
    }
}
