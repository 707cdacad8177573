//! What the database has applied compared with what a migration set knows.

use chrono::{DateTime, Utc};
use semver::Version;

use super::{Compatibility, MigrateError, Migration, MigrationSet};
use crate::db::{DbError, Row};

/// One row of `paideia_migrations`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AppliedMigration {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub checksum: String,
    pub applied_at: DateTime<Utc>,
    pub applied_by: String,
}

impl AppliedMigration {
    pub(crate) fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(AppliedMigration {
            id: row.get("id")?,
            name: row.get("name")?,
            kind: row.get("kind")?,
            checksum: row.get("checksum")?,
            applied_at: row.get("applied_at")?,
            applied_by: row.get("applied_by")?,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MigrationState {
    Applied,
    Pending,
    /// Applied, but the file in this binary differs from what was applied.
    Changed,
    /// Applied by a newer binary; this one does not know it.
    Unknown,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct StatusEntry {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub state: MigrationState,
    pub applied_at: Option<DateTime<Utc>>,
    pub applied_by: Option<String>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Status {
    pub binary_version: String,
    /// The highest migration this binary knows.
    pub binary_schema_version: i64,
    /// The highest migration applied to the database.
    pub database_schema_version: i64,
    pub min_binary_version: Option<String>,
    pub compatibility: Compatibility,
    pub migrations: Vec<StatusEntry>,
}

impl Status {
    pub fn build(
        set: &MigrationSet,
        applied: &[AppliedMigration],
        min_version: Option<&Version>,
        binary: &Version,
    ) -> Status {
        let mut entries: Vec<StatusEntry> = set
            .iter()
            .map(|m| {
                let done = applied.iter().find(|a| a.id == m.id);
                StatusEntry {
                    id: m.id,
                    name: m.name.clone(),
                    kind: m.kind.as_str().to_string(),
                    state: match done {
                        None => MigrationState::Pending,
                        Some(a) if a.checksum != m.checksum => MigrationState::Changed,
                        Some(_) => MigrationState::Applied,
                    },
                    applied_at: done.map(|a| a.applied_at),
                    applied_by: done.map(|a| a.applied_by.clone()),
                }
            })
            .collect();
        let unknown: Vec<StatusEntry> = applied
            .iter()
            .filter(|a| set.get(a.id).is_none())
            .map(|a| StatusEntry {
                id: a.id,
                name: a.name.clone(),
                kind: a.kind.clone(),
                state: MigrationState::Unknown,
                applied_at: Some(a.applied_at),
                applied_by: Some(a.applied_by.clone()),
            })
            .collect();
        let compatibility = Compatibility::judge(binary, unknown.len(), min_version);
        entries.extend(unknown);
        entries.sort_by_key(|e| e.id);
        Status {
            binary_version: binary.to_string(),
            binary_schema_version: set.schema_version(),
            database_schema_version: applied.iter().map(|a| a.id).max().unwrap_or(0),
            min_binary_version: min_version.map(Version::to_string),
            compatibility,
            migrations: entries,
        }
    }

    pub fn pending<'s>(&self, set: &'s MigrationSet) -> Vec<&'s Migration> {
        self.migrations
            .iter()
            .filter(|e| e.state == MigrationState::Pending)
            .filter_map(|e| set.get(e.id))
            .collect()
    }

    /// The reasons this binary must not run against the database: changed files first, then
    /// an incompatible record.
    pub fn check(
        &self,
        set: &MigrationSet,
        applied: &[AppliedMigration],
    ) -> Result<(), MigrateError> {
        if let Some(e) = self
            .migrations
            .iter()
            .find(|e| e.state == MigrationState::Changed)
        {
            let applied = applied.iter().find(|a| a.id == e.id);
            return Err(MigrateError::ChecksumMismatch {
                id: e.id,
                name: e.name.clone(),
                applied: applied.map(|a| a.checksum.clone()).unwrap_or_default(),
                embedded: set
                    .get(e.id)
                    .map(|m| m.checksum.clone())
                    .unwrap_or_default(),
            });
        }
        if let Compatibility::Incompatible {
            unknown,
            min_version,
        } = &self.compatibility
        {
            return Err(MigrateError::Incompatible {
                unknown: *unknown,
                min_version: min_version.clone(),
                binary: self.binary_version.clone(),
            });
        }
        Ok(())
    }
}
