//! Dry-run warnings: which statements of a migration take locks that block the site.

use super::Migration;
use crate::db::Engine;

/// One warning per statement that blocks reads or writes while it runs.
pub fn lock_warnings(engine: Engine, migration: &Migration) -> Vec<String> {
    if engine == Engine::Sqlite {
        return vec![format!(
            "migration {} holds the SQLite write lock while it runs: writes wait for it",
            migration.id
        )];
    }
    let statements = statements(&migration.sql);
    // Tables this migration creates are new and empty: locking them blocks nobody.
    let created = created_tables(&statements);
    statements
        .iter()
        .filter_map(|s| warning(s))
        .filter(|(table, _)| !created.contains(table))
        .map(|(_, w)| format!("migration {}: {w}", migration.id))
        .collect()
}

/// The tables that `statements` create (lower case).
pub(super) fn created_tables(statements: &[String]) -> Vec<String> {
    statements
        .iter()
        .filter_map(|s| s.strip_prefix("CREATE TABLE "))
        .filter_map(|rest| {
            rest.split_whitespace()
                .find(|w| !matches!(*w, "IF" | "NOT" | "EXISTS"))
        })
        .map(|name| name.trim_end_matches('(').to_lowercase())
        .collect()
}

/// The statements of `sql`, comments dropped, whitespace collapsed, upper-cased.
/// Comments are removed before splitting, so a `;` inside one does not split a statement.
pub(super) fn statements(sql: &str) -> Vec<String> {
    let code: String = sql
        .lines()
        .map(|line| line.split_once("--").map_or(line, |(code, _)| code))
        .collect::<Vec<_>>()
        .join(" ");
    code.split(';')
        .map(|s| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_uppercase()
        })
        .collect()
}

/// The table a blocking statement locks, and what to tell the admin about it.
fn warning(statement: &str) -> Option<(String, String)> {
    let target = |after: &str| target_of(statement, after);
    if statement.starts_with("ALTER TABLE") {
        let table = target("ALTER TABLE");
        let text = format!(
            "ALTER TABLE {table} takes an ACCESS EXCLUSIVE lock: reads and writes of it wait until it finishes"
        );
        Some((table, text))
    } else if statement.starts_with("DROP TABLE") || statement.starts_with("TRUNCATE") {
        let verb = statement.split_whitespace().next().unwrap_or_default();
        let table = target(if verb == "DROP" {
            "DROP TABLE"
        } else {
            "TRUNCATE"
        });
        let text = format!("{verb} takes an ACCESS EXCLUSIVE lock on {table}");
        Some((table, text))
    } else if (statement.starts_with("CREATE INDEX")
        || statement.starts_with("CREATE UNIQUE INDEX"))
        && !statement.contains("CONCURRENTLY")
    {
        let table = target(" ON ");
        let text = format!(
            "CREATE INDEX on {table} blocks writes to it until the index is built (use CONCURRENTLY in a non-transactional migration on big tables)"
        );
        Some((table, text))
    } else {
        None
    }
}

/// The table named after `after` in `statement` (lower case), or `?`.
pub(super) fn target_of(statement: &str, after: &str) -> String {
    statement
        .split_once(after)
        .and_then(|(_, rest)| {
            rest.split_whitespace()
                .find(|w| !matches!(*w, "IF" | "NOT" | "EXISTS" | "ONLY" | "CONCURRENTLY"))
        })
        .unwrap_or("?")
        .trim_end_matches('(')
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocking_statements_are_named() {
        let m = Migration::parse(
            "0002_x.sql",
            "-- paideia: kind=expand\nALTER TABLE users ADD COLUMN bio TEXT;\nCREATE INDEX users_bio ON users (bio);\nCREATE TABLE t (id INT);\nCREATE INDEX t_id ON t (id);",
        )
        .unwrap();
        let w = lock_warnings(Engine::Postgres, &m);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("ALTER TABLE users"));
        assert!(w[1].contains("CREATE INDEX on users"));
    }
}
