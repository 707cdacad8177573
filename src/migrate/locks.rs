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

/// The statements of `sql` as written (to run one by one), comments dropped, empty ones
/// skipped. Comments are removed before splitting, so a `;` inside one does not split a
/// statement. Good for the statements migrations hold, not for any SQL: a `;` or `--` inside
/// a string literal would split it.
pub(super) fn written_statements(sql: &str) -> Vec<String> {
    let code: String = sql
        .lines()
        .map(|line| line.split_once("--").map_or(line, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n");
    code.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The statements of `sql` as `written_statements` finds them, whitespace collapsed and
/// upper-cased, for matching.
pub(super) fn statements(sql: &str) -> Vec<String> {
    written_statements(sql)
        .iter()
        .map(|s| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_uppercase()
        })
        .collect()
}

/// The name of the index `statement` builds if it is `CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT
/// EXISTS name ON ...`, as written (PostgreSQL folds it as it folds any unquoted name).
pub(super) fn concurrent_index_name(statement: &str) -> Option<&str> {
    let words: Vec<&str> = statement.split_whitespace().collect();
    let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
    let upper: Vec<&str> = upper.iter().map(String::as_str).collect();
    let rest = match upper.as_slice() {
        ["CREATE", "UNIQUE", rest @ ..] | ["CREATE", rest @ ..] => rest,
        _ => return None,
    };
    match rest {
        ["INDEX", "CONCURRENTLY", "IF", "NOT", "EXISTS", _, "ON", ..] => {
            Some(words[words.len() - rest.len() + 5])
        }
        _ => None,
    }
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
    fn concurrent_index_builds_are_named() {
        assert_eq!(
            concurrent_index_name(
                "create unique index concurrently if not exists grades_x\n  ON grades (item_id)"
            ),
            Some("grades_x")
        );
        for other in [
            "CREATE INDEX CONCURRENTLY grades_x ON grades (item_id)",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS ON grades (item_id)",
            "CREATE INDEX IF NOT EXISTS grades_x ON grades (item_id)",
            "DROP INDEX CONCURRENTLY IF EXISTS grades_x",
            "CREATE TABLE t (id INT)",
            "",
        ] {
            assert_eq!(concurrent_index_name(other), None, "{other}");
        }
        assert_eq!(
            written_statements(
                "-- head; er\nCREATE INDEX a ON t (x);\n\n CREATE INDEX b ON t (y); -- c\n"
            ),
            ["CREATE INDEX a ON t (x)", "CREATE INDEX b ON t (y)"]
        );
    }

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
