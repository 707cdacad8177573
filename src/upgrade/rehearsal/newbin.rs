//! The new binary's part of a rehearsal, each step a run of the verified download against the
//! scratch copy (its environment points nowhere else): which migrations are pending and of
//! which kind (`migrate status --json`), what each would lock (`migrate up --dry-run`'s
//! warnings), applying them (`migrate up --contract --yes`, timed per migration by the
//! bookkeeping rows it writes), then its own trial run (`migrate verify`).

use std::{collections::BTreeMap, path::Path, time::Duration};

use super::MigrationRun;
use crate::{
    db::{DatabaseUrl, Db},
    upgrade::{
        UpgradeError,
        smoke::{self, first_error_line},
    },
};

/// `migrate up` on a copy may take as long as the data needs; this only stops a hung child.
const MIGRATE_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

pub struct NewBinary<'a> {
    pub path: &'a Path,
    /// PAIDEIA_DATABASE_URL (the copy) and PAIDEIA_DATA_DIR (the copy's folder).
    pub env: Vec<(String, String)>,
}

impl<'a> NewBinary<'a> {
    pub fn new(path: &'a Path, copy: &DatabaseUrl, data_dir: &Path) -> Self {
        NewBinary {
            path,
            env: vec![
                (
                    crate::envvars::DATABASE_URL.to_string(),
                    copy.expose().to_string(),
                ),
                (
                    crate::envvars::DATA_DIR.to_string(),
                    data_dir.display().to_string(),
                ),
            ],
        }
    }

    async fn run(
        &self,
        args: &[&str],
        timeout: Duration,
    ) -> Result<(i32, String, String), UpgradeError> {
        smoke::run_within(self.path, args, &self.env, timeout).await
    }

    /// The migrations the new binary would apply to the copy, in order, with their kinds.
    pub async fn pending(&self) -> Result<Vec<MigrationRun>, UpgradeError> {
        let (code, stdout, stderr) = self
            .run(&["migrate", "status", "--json"], Duration::from_secs(120))
            .await?;
        if code != 0 {
            return Err(UpgradeError::SmokeTest(format!(
                "`migrate status` on the copy exited with {code}: {}",
                first_error_line(&stderr)
            )));
        }
        let status: serde_json::Value = serde_json::from_str(&stdout).map_err(|e| {
            UpgradeError::SmokeTest(format!("`migrate status --json` printed no status ({e})"))
        })?;
        let entries = status["migrations"].as_array().cloned().unwrap_or_default();
        Ok(entries
            .iter()
            .filter(|m| m["state"] == "pending")
            .map(|m| MigrationRun {
                id: m["id"].as_i64().unwrap_or_default(),
                name: m["name"].as_str().unwrap_or_default().to_string(),
                kind: m["kind"].as_str().unwrap_or("contract").to_string(),
                duration_ms: None,
                locks: Vec::new(),
                error: None,
            })
            .collect())
    }

    /// The dry run's lock warnings, by migration id.
    pub async fn lock_warnings(&self) -> Result<BTreeMap<i64, Vec<String>>, UpgradeError> {
        let (code, _stdout, stderr) = self
            .run(
                &["migrate", "up", "--dry-run", "--contract"],
                Duration::from_secs(120),
            )
            .await?;
        if code != 0 {
            return Err(UpgradeError::SmokeTest(format!(
                "`migrate up --dry-run` on the copy exited with {code}: {}",
                first_error_line(&stderr)
            )));
        }
        Ok(parse_lock_warnings(&stderr))
    }

    /// Applies every pending migration (contract ones too: the rehearsal shows their cost).
    /// `Ok(Err(first error line))` when a migration fails on this data.
    pub async fn migrate_up(&self) -> Result<Result<(), String>, UpgradeError> {
        let (code, _stdout, stderr) = self
            .run(
                &["migrate", "up", "--contract", "--yes", "--json"],
                MIGRATE_TIMEOUT,
            )
            .await?;
        Ok(match code {
            0 => Ok(()),
            _ => Err(first_error_line(&stderr)),
        })
    }

    /// The trial run `upgrade` does, on the migrated copy.
    pub async fn verify(&self) -> Result<Result<(), String>, UpgradeError> {
        smoke::database_verdict(self.path, &self.env).await
    }
}

/// `warning: migration 12: ALTER TABLE …` (PostgreSQL) or `warning: migration 12 holds the
/// SQLite write lock …`, by id.
pub fn parse_lock_warnings(stderr: &str) -> BTreeMap<i64, Vec<String>> {
    let mut by_id: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for line in stderr.lines() {
        let Some(rest) = line.trim().strip_prefix("warning: migration ") else {
            continue;
        };
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let Ok(id) = digits.parse::<i64>() else {
            continue;
        };
        let text = rest[digits.len()..].trim_start_matches(':').trim();
        by_id.entry(id).or_default().push(text.to_string());
    }
    by_id
}

/// How long each applied migration took, from the bookkeeping rows of the copy.
pub async fn durations(copy: &Db) -> Result<BTreeMap<i64, u64>, crate::db::DbError> {
    let rows = copy
        .query("SELECT id, duration_ms FROM paideia_migrations", &[])
        .await?;
    rows.iter()
        .map(|r| {
            let ms: Option<i64> = r.get("duration_ms")?;
            Ok((r.get::<i64>("id")?, ms.unwrap_or_default().max(0) as u64))
        })
        .collect()
}

/// The migration a `migrate up` error names (`migration 12 (name) failed: …`).
pub fn failed_migration(error: &str) -> Option<i64> {
    let rest = error.split_once("migration ")?.1;
    rest.chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_warnings_are_read_per_migration() {
        let stderr = "warning: migration 12: ALTER TABLE users takes an ACCESS EXCLUSIVE lock\n\
                      note: something else\n\
                      warning: migration 12: CREATE INDEX on courses blocks writes to it\n\
                      warning: migration 13 holds the SQLite write lock while it runs: writes wait for it\n";
        let w = parse_lock_warnings(stderr);
        assert_eq!(w[&12].len(), 2);
        assert!(w[&12][0].starts_with("ALTER TABLE users"));
        assert!(w[&13][0].starts_with("holds the SQLite write lock"));
    }

    #[test]
    fn the_failed_migration_is_named() {
        assert_eq!(
            failed_migration("migration 9001 (probe) failed: duplicate key"),
            Some(9001)
        );
        assert_eq!(failed_migration("cannot connect"), None);
    }
}
