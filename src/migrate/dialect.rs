//! The SQL of the migration engine that differs between engines: bookkeeping tables, how to ask
//! whether they exist, and the cross-process lock.

use crate::db::Engine;

pub struct Dialect {
    pub bookkeeping: &'static str,
    pub bookkeeping_exists: &'static str,
    /// Returns one boolean row: whether the lock was taken. `None`: the engine's own write lock
    /// (SQLite's BEGIN IMMEDIATE around each migration) serializes migrators.
    pub try_lock: Option<&'static str>,
    pub unlock: Option<&'static str>,
    /// Run first in each migration's transaction: a migration that waits this long for a
    /// table lock fails (and rolls back) instead of queueing every request behind it.
    pub limit_lock_waits: Option<&'static str>,
    /// Returns a row `valid` for the index named `$1`, if it exists: a concurrent index build
    /// that failed (or was killed) leaves an invalid index behind, which `IF NOT EXISTS`
    /// would then skip. `None`: the engine has no such leftovers.
    pub index_validity: Option<&'static str>,
}

pub fn dialect(engine: Engine) -> Dialect {
    match engine {
        Engine::Postgres => Dialect {
            bookkeeping: "CREATE TABLE IF NOT EXISTS paideia_migrations (
                    id BIGINT PRIMARY KEY,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    checksum TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL,
                    applied_by TEXT NOT NULL,
                    duration_ms BIGINT NOT NULL
                );
                CREATE TABLE IF NOT EXISTS paideia_schema_info (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );",
            bookkeeping_exists: "SELECT to_regclass('paideia_migrations') IS NOT NULL AS present",
            // 7271946310337203 is an arbitrary key naming paideia's migration lock.
            try_lock: Some("SELECT pg_try_advisory_lock(7271946310337203) AS locked"),
            unlock: Some("SELECT pg_advisory_unlock(7271946310337203)"),
            limit_lock_waits: Some("SET LOCAL lock_timeout = '10s'"),
            index_validity: Some(
                "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass($1::text)",
            ),
        },
        Engine::Sqlite => Dialect {
            bookkeeping: "CREATE TABLE IF NOT EXISTS paideia_migrations (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    checksum TEXT NOT NULL,
                    applied_at DATETIME NOT NULL,
                    applied_by TEXT NOT NULL,
                    duration_ms INTEGER NOT NULL
                );
                CREATE TABLE IF NOT EXISTS paideia_schema_info (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );",
            bookkeeping_exists: "SELECT count(*) > 0 AS present FROM sqlite_master WHERE type = 'table' AND name = 'paideia_migrations'",
            try_lock: None,
            unlock: None,
            limit_lock_waits: None,
            index_validity: None,
        },
    }
}

/// The bookkeeping tables' DDL (dumps and restores recreate them).
pub fn bookkeeping_ddl(engine: Engine) -> &'static str {
    dialect(engine).bookkeeping
}
