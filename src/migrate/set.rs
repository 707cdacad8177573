//! Migration files and sets: parsing the `-- paideia:` header, checksums, and the sets embedded
//! in the binary for each engine.

use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use super::MigrateError;
use crate::db::Engine;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/migrations.rs"));
}

/// Whether old binaries keep working once a migration has run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Adds to the schema; binaries of the same major keep working.
    Expand,
    /// Removes or changes what older binaries rely on; only in a major release, and only by
    /// `migrate up --contract`.
    Contract,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Expand => "expand",
            Kind::Contract => "contract",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Migration {
    pub id: i64,
    pub name: String,
    pub kind: Kind,
    /// False for statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY).
    pub transactional: bool,
    pub sql: String,
    /// SHA-256 of the file, hex.
    pub checksum: String,
}

impl Migration {
    /// Parses `NNNN_name.sql` and its first line, `-- paideia: kind=expand transaction=true`.
    pub fn parse(file_name: &str, sql: &str) -> Result<Migration, MigrateError> {
        let invalid = |reason: &str| MigrateError::Invalid {
            file: file_name.to_string(),
            reason: reason.to_string(),
        };
        let stem = file_name
            .strip_suffix(".sql")
            .ok_or_else(|| invalid("the file name must end in .sql"))?;
        let (id, name) = stem
            .split_once('_')
            .ok_or_else(|| invalid("the file name must look like 0001_name.sql"))?;
        let id: i64 = id
            .parse()
            .map_err(|_| invalid("the file name must start with a number"))?;
        let header = sql
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("-- paideia:"))
            .ok_or_else(|| {
                invalid("the first line must be `-- paideia: kind=expand|contract transaction=true|false`")
            })?;
        let mut kind = None;
        let mut transactional = None;
        for pair in header.split_whitespace() {
            match pair.split_once('=') {
                Some(("kind", "expand")) => kind = Some(Kind::Expand),
                Some(("kind", "contract")) => kind = Some(Kind::Contract),
                Some(("transaction", "true")) => transactional = Some(true),
                Some(("transaction", "false")) => transactional = Some(false),
                _ => return Err(invalid(&format!("unknown header setting `{pair}`"))),
            }
        }
        Ok(Migration {
            id,
            name: name.to_string(),
            kind: kind
                .ok_or_else(|| invalid("the header must set kind=expand or kind=contract"))?,
            transactional: transactional.unwrap_or(true),
            sql: sql.to_string(),
            checksum: hex::encode(Sha256::digest(sql.as_bytes())),
        })
    }
}

impl Migration {
    /// The SQL for building a schema in an empty database inside one transaction (restores):
    /// `CONCURRENTLY`, which cannot run in a transaction, is pointless on empty tables.
    /// The word is dropped however it is spelled (the policy matches it regardless of case
    /// and spacing), with the whitespace after it; everything else is kept byte for byte.
    pub fn sql_for_empty_database(&self) -> String {
        if self.transactional {
            return self.sql.clone();
        }
        self.sql
            .split_inclusive(char::is_whitespace)
            .filter(|word| !word.trim_end().eq_ignore_ascii_case("CONCURRENTLY"))
            .collect()
    }
}

/// An ordered set of migrations with unique ids.
#[derive(Clone, Debug, Default)]
pub struct MigrationSet {
    migrations: Vec<Migration>,
}

impl MigrationSet {
    pub fn new(mut migrations: Vec<Migration>) -> Result<Self, MigrateError> {
        migrations.sort_by_key(|m| m.id);
        if let Some(w) = migrations.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(MigrateError::Invalid {
                file: format!("{:04}_{}.sql", w[1].id, w[1].name),
                reason: format!("migration id {} is used twice", w[1].id),
            });
        }
        Ok(MigrationSet { migrations })
    }

    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, MigrateError> {
        Self::new(
            files
                .into_iter()
                .map(|(name, sql)| Migration::parse(name, sql))
                .collect::<Result<_, _>>()?,
        )
    }

    /// The set compiled into this binary for `engine`.
    pub fn embedded(engine: Engine) -> &'static MigrationSet {
        static POSTGRES: OnceLock<MigrationSet> = OnceLock::new();
        static SQLITE: OnceLock<MigrationSet> = OnceLock::new();
        let (cell, files) = match engine {
            Engine::Postgres => (&POSTGRES, embedded::POSTGRES),
            Engine::Sqlite => (&SQLITE, embedded::SQLITE),
        };
        cell.get_or_init(|| {
            Self::from_files(files.iter().copied())
                .expect("embedded migrations are checked by the unit tests")
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = &Migration> {
        self.migrations.iter()
    }

    pub fn get(&self, id: i64) -> Option<&Migration> {
        self.migrations
            .binary_search_by_key(&id, |m| m.id)
            .ok()
            .map(|i| &self.migrations[i])
    }

    /// The highest migration id: the schema version this set brings a database to.
    pub fn schema_version(&self) -> i64 {
        self.migrations.last().map_or(0, |m| m.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_sets_parse_and_match_across_engines() {
        let pg = MigrationSet::embedded(Engine::Postgres);
        let lite = MigrationSet::embedded(Engine::Sqlite);
        assert!(pg.schema_version() >= 1);
        let shape = |s: &MigrationSet| -> Vec<(i64, String, Kind)> {
            s.iter().map(|m| (m.id, m.name.clone(), m.kind)).collect()
        };
        assert_eq!(
            shape(pg),
            shape(lite),
            "both engines need the same migrations"
        );
    }

    #[test]
    fn empty_databases_build_indexes_in_the_transaction() {
        let m = Migration::parse(
            "0009_x.sql",
            "-- paideia: kind=expand transaction=false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS a ON t (x);\ncreate index\tconcurrently\nif not exists b on t (y);\n",
        )
        .unwrap();
        assert_eq!(
            m.sql_for_empty_database(),
            "-- paideia: kind=expand transaction=false\nCREATE INDEX IF NOT EXISTS a ON t (x);\ncreate index\tif not exists b on t (y);\n"
        );
    }

    #[test]
    fn headers_are_required_and_strict() {
        let ok = Migration::parse(
            "0007_add_x.sql",
            "-- paideia: kind=contract transaction=false\nSELECT 1;",
        )
        .unwrap();
        assert_eq!(
            (ok.id, ok.name.as_str(), ok.kind, ok.transactional),
            (7, "add_x", Kind::Contract, false)
        );
        assert!(Migration::parse("0007_add_x.sql", "SELECT 1;").is_err());
        assert!(Migration::parse("0007_add_x.sql", "-- paideia: kind=maybe\n").is_err());
        assert!(Migration::parse("add_x.sql", "-- paideia: kind=expand\n").is_err());
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let a = Migration::parse("0001_a.sql", "-- paideia: kind=expand\n").unwrap();
        let b = Migration::parse("0001_b.sql", "-- paideia: kind=expand\n").unwrap();
        assert!(MigrationSet::new(vec![a, b]).is_err());
    }
}
