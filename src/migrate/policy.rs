//! The expand/contract policy, checked before a migration ships. While an expand migration
//! runs, and after it, binaries of the same release series keep serving from the database
//! (a rolling upgrade), so an expand migration may only add: no dropped or renamed tables or
//! columns, no changed column types, no new NOT NULL on existing data, no constraint that
//! checks existing rows, and on PostgreSQL no index build that blocks writes to an existing
//! table. Contract migrations may do those things, and only in a new release series.
//!
//! The test `embedded_migrations_follow_the_policy` applies it to every migration in the
//! binary, so CI rejects a violation; squawk lints the PostgreSQL files as well (.ci/run).

use semver::Version;

use super::{
    Kind, Migration, MigrationSet,
    compat::series_floor,
    locks::{concurrent_index_name, created_tables, statements, target_of, written_statements},
};
use crate::db::Engine;

/// One statement of an expand migration that breaks the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub migration: String,
    pub statement: String,
    pub reason: &'static str,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} ({})",
            self.migration, self.reason, self.statement
        )
    }
}

/// Every violation of the expand policy in `set`'s expand migrations.
pub fn expand_violations(engine: Engine, set: &MigrationSet) -> Vec<Violation> {
    set.iter()
        .filter(|m| m.kind == Kind::Expand)
        .flat_map(|m| migration_violations(engine, m))
        .collect()
}

fn migration_violations(engine: Engine, migration: &Migration) -> Vec<Violation> {
    let statements = statements(&migration.sql);
    let created = created_tables(&statements);
    statements
        .iter()
        .filter_map(|statement| {
            let reason = breaking_reason(engine, statement, &created)?;
            Some(violation(migration, statement, reason))
        })
        .collect()
}

fn violation(migration: &Migration, statement: &str, reason: &'static str) -> Violation {
    Violation {
        migration: format!("{:04}_{}", migration.id, migration.name),
        statement: statement.chars().take(120).collect(),
        reason,
    }
}

/// Every statement of `set`, expand or contract, that cannot run as its migration's
/// `transaction=` header says (`transaction_reason`).
pub fn transaction_violations(engine: Engine, set: &MigrationSet) -> Vec<Violation> {
    set.iter()
        .flat_map(|m| {
            written_statements(&m.sql)
                .into_iter()
                .filter_map(move |statement| {
                    let reason = transaction_reason(engine, m, &statement)?;
                    Some(violation(m, &statement, reason))
                })
        })
        .collect()
}

/// Why `statement` (as written) cannot run as `migration`'s header says, if it cannot.
/// A migration without a transaction runs statement by statement, and one that stops halfway
/// (a failed or killed build) runs again from its first statement: only index builds that skip
/// a built index and whose invalid leftover the migrator can find by name (runner.rs) are safe
/// to repeat.
fn transaction_reason(
    engine: Engine,
    migration: &Migration,
    statement: &str,
) -> Option<&'static str> {
    let concurrent = statement.to_ascii_uppercase().contains("CONCURRENTLY");
    match (engine, migration.transactional) {
        (Engine::Sqlite, false) => Some(
            "SQLite has no concurrent index build, and its migrations are serialized by their transaction: keep transaction=true",
        ),
        (Engine::Postgres, false) if concurrent_index_name(statement).is_none() => Some(
            "a migration without a transaction may only hold named `CREATE INDEX CONCURRENTLY IF NOT EXISTS name ON ...` statements, which can run again after a failure",
        ),
        (Engine::Postgres, true) if concurrent => {
            Some("CONCURRENTLY cannot run inside a transaction (set transaction=false)")
        }
        _ => None,
    }
}

/// Why `statement` would break binaries still running against the database, if it would.
/// Tables in `created` are new in the same migration: nothing else uses them yet.
fn breaking_reason(engine: Engine, statement: &str, created: &[String]) -> Option<&'static str> {
    let has = |words: &str| statement.contains(words);
    if statement.starts_with("DROP TABLE") || statement.starts_with("DROP VIEW") {
        return Some("drops a table that running binaries read");
    }
    if statement.starts_with("TRUNCATE") {
        return Some("deletes every row of a table");
    }
    if statement.starts_with("ALTER TABLE") {
        if created.contains(&target_of(statement, "ALTER TABLE")) {
            return None;
        }
        if has(" DROP COLUMN") || has(" DROP ") && !has(" DROP DEFAULT") && !has(" DROP NOT NULL") {
            return Some("drops a column or constraint that running binaries rely on");
        }
        if has(" RENAME ") {
            return Some("renames a table or column that running binaries name");
        }
        if has(" TYPE ") {
            return Some("changes a column's type under running binaries");
        }
        if has(" SET NOT NULL") {
            return Some(
                "makes an existing column NOT NULL: running binaries may still write NULL",
            );
        }
        if has(" ADD ") && has(" NOT NULL") && !has(" DEFAULT ") {
            return Some(
                "adds a NOT NULL column without a default: running binaries do not fill it",
            );
        }
        if has(" ADD CONSTRAINT") && !has(" NOT VALID") && !has(" UNIQUE") && !has(" PRIMARY KEY") {
            return Some(
                "adds a constraint that scans existing rows under a lock (add it NOT VALID, validate later)",
            );
        }
        return None;
    }
    let index =
        statement.starts_with("CREATE INDEX") || statement.starts_with("CREATE UNIQUE INDEX");
    if engine == Engine::Postgres
        && index
        && !has(" CONCURRENTLY ")
        && !created.contains(&target_of(statement, " ON "))
    {
        return Some(
            "builds an index on an existing table while blocking its writes (use CREATE INDEX CONCURRENTLY with transaction=false)",
        );
    }
    None
}

/// Contract migrations arrive only with a new release series: when a migration newer than the
/// last release (`released`: its version and the highest migration id it shipped) is a
/// contract one, `current` must start a later series than the release's.
pub fn contract_needs_new_series(
    set: &MigrationSet,
    released: Option<(&Version, i64)>,
    current: &Version,
) -> Result<(), String> {
    let Some((release, shipped)) = released else {
        return Ok(());
    };
    let new_contract = set
        .iter()
        .find(|m| m.id > shipped && m.kind == Kind::Contract);
    match new_contract {
        Some(m) if series_floor(current) <= series_floor(release) => Err(format!(
            "migration {:04}_{} is a contract migration, but {current} is in the same release series as {release}: contract migrations need a major version bump",
            m.id, m.name
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[(&str, &str)]) -> MigrationSet {
        MigrationSet::from_files(files.iter().copied()).unwrap()
    }

    fn reasons(engine: Engine, sql: &str) -> Vec<&'static str> {
        reasons_with_header(engine, "", sql)
    }

    /// The reasons `sql`, as a migration whose header adds `header` after a table's, breaks the
    /// policy.
    fn reasons_with_header(engine: Engine, header: &str, sql: &str) -> Vec<&'static str> {
        let first =
            "-- paideia: kind=expand\nCREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT);";
        let second = format!("-- paideia: kind=expand {header}\n{sql}");
        let s = set(&[("0001_a.sql", first), ("0002_b.sql", &second)]);
        expand_violations(engine, &s)
            .into_iter()
            .chain(transaction_violations(engine, &s))
            .map(|v| v.reason)
            .collect()
    }

    #[test]
    fn embedded_migrations_follow_the_policy() {
        for engine in [Engine::Postgres, Engine::Sqlite] {
            let embedded = MigrationSet::embedded(engine);
            let mut violations = expand_violations(engine, embedded);
            violations.extend(transaction_violations(engine, embedded));
            assert!(
                violations.is_empty(),
                "{engine} expand migrations break the policy (make them contract migrations in a major release, or rewrite them):\n{}",
                violations
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }

    #[test]
    fn destructive_statements_are_rejected_in_expand_migrations() {
        for sql in [
            "DROP TABLE users;",
            "ALTER TABLE users DROP COLUMN email;",
            "ALTER TABLE users RENAME COLUMN email TO mail;",
            "ALTER TABLE users RENAME TO people;",
            "ALTER TABLE users ALTER COLUMN email TYPE VARCHAR(20);",
            "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
            "ALTER TABLE users ADD COLUMN bio TEXT NOT NULL;",
            "ALTER TABLE users ADD CONSTRAINT email_length CHECK (length(email) < 300);",
            "TRUNCATE users;",
        ] {
            for engine in [Engine::Postgres, Engine::Sqlite] {
                assert_eq!(reasons(engine, sql).len(), 1, "{engine}: {sql}");
            }
        }
    }

    #[test]
    fn additive_statements_pass() {
        for sql in [
            "ALTER TABLE users ADD COLUMN bio TEXT;",
            "ALTER TABLE users ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;",
            "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;",
            "ALTER TABLE users ADD CONSTRAINT email_length CHECK (length(email) < 300) NOT VALID;",
            "CREATE TABLE notes (id BIGINT PRIMARY KEY); CREATE INDEX notes_id ON notes (id); ALTER TABLE notes RENAME COLUMN id TO note_id;",
        ] {
            assert_eq!(reasons(Engine::Postgres, sql), Vec::<&str>::new(), "{sql}");
        }
    }

    #[test]
    fn migrations_without_a_transaction_only_build_indexes_again_safely() {
        let reasons = reasons_with_header;
        let safe = "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);\n\
                    create unique index concurrently if not exists users_id ON users (id);";
        assert!(reasons(Engine::Postgres, "transaction=false", safe).is_empty());
        for unsafe_sql in [
            // Skipped by IF NOT EXISTS or not, a statement the migrator cannot repeat.
            "CREATE INDEX CONCURRENTLY users_email ON users (email);",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS ON users (email);",
            "ALTER TABLE users ADD COLUMN bio TEXT;",
        ] {
            assert_eq!(
                reasons(Engine::Postgres, "transaction=false", unsafe_sql).len(),
                1,
                "{unsafe_sql}"
            );
        }
        assert_eq!(
            reasons(Engine::Postgres, "transaction=true", safe).len(),
            2,
            "CONCURRENTLY fails in a transaction"
        );
        // Contract migrations too: they run the same way.
        let contract = set(&[(
            "0001_a.sql",
            "-- paideia: kind=contract transaction=false\nALTER TABLE users DROP COLUMN email;",
        )]);
        assert_eq!(transaction_violations(Engine::Postgres, &contract).len(), 1);
        let sqlite = "CREATE INDEX IF NOT EXISTS users_email ON users (email);";
        assert!(reasons(Engine::Sqlite, "transaction=true", sqlite).is_empty());
        assert_eq!(
            reasons(Engine::Sqlite, "transaction=false", sqlite).len(),
            1
        );
    }

    #[test]
    fn blocking_index_builds_are_rejected_on_postgres_only() {
        let sql = "CREATE INDEX users_email ON users (email);";
        assert_eq!(reasons(Engine::Postgres, sql).len(), 1);
        // SQLite has no concurrent index build; an embedded site has one instance.
        assert!(reasons(Engine::Sqlite, sql).is_empty());
    }

    #[test]
    fn contract_migrations_need_a_new_release_series() {
        let v = |s: &str| Version::parse(s).unwrap();
        let s = set(&[
            (
                "0001_a.sql",
                "-- paideia: kind=expand\nCREATE TABLE t (id INT);",
            ),
            ("0002_b.sql", "-- paideia: kind=contract\nDROP TABLE t;"),
        ]);
        assert!(contract_needs_new_series(&s, Some((&v("1.4.0"), 1)), &v("1.5.0")).is_err());
        assert!(contract_needs_new_series(&s, Some((&v("1.4.0"), 1)), &v("2.0.0")).is_ok());
        assert!(contract_needs_new_series(&s, Some((&v("0.3.0"), 1)), &v("0.4.0")).is_ok());
        assert!(
            contract_needs_new_series(&s, Some((&v("1.4.0"), 2)), &v("1.5.0")).is_ok(),
            "already released"
        );
        assert!(
            contract_needs_new_series(&s, None, &v("0.1.0")).is_ok(),
            "the first release"
        );
    }
}
