//! PostgreSQL restores over two connections. The dump is loaded into a staging schema by
//! both connections at once (each taking the next piece of rows the reader has checked);
//! both then build the indexes and check the foreign keys, and one short transaction moves
//! the tables into the target schema. Until that commit the target is untouched: a failure
//! drops the staging schema, a kill leaves it for the next restore to drop. SQLite restores
//! stay one transaction (restore.rs).

use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tokio::sync::Mutex;

use super::{
    BackupError, Progress, catalog,
    format::{Manifest, quote_ident},
    restore::{self, RestoreOptions},
};
use crate::db::{Conn, Db, Engine, Executor};

/// Staging schemas are `paideia_restore_<pid>`, after the loading connection's backend, so a
/// restore tells a running restore's schema from one a killed restore left.
const STAGING: &str = "paideia_restore_";

/// Whether the database's role may create the staging schema. A role that may not (a
/// database it does not own, CREATE not granted) restores in one transaction on one
/// connection instead, as before staging: slower, but nothing that worked stops working.
pub async fn may_stage(db: &Db) -> Result<bool, BackupError> {
    let row = db
        .query_one(
            "SELECT has_database_privilege(current_database(), 'CREATE') AS may",
            &[],
        )
        .await?;
    Ok(row.get("may")?)
}

/// Restores the file at `path` (its hashes checked, `manifest` read from it); returns its size.
pub async fn restore(
    db: &Db,
    path: &Path,
    manifest: &Manifest,
    options: RestoreOptions,
    progress: &dyn Progress,
) -> Result<u64, BackupError> {
    // `load` is the first connection (the one that creates and swaps), `build` the second.
    let mut load = db.dedicated().await?;
    drop_leftovers(&mut load).await?;
    let target = current_schema(&mut load).await?;
    // Refused now rather than after the load; the swap checks again under its locks.
    if !options.clean
        && !catalog::tables(&mut load, Engine::Postgres)
            .await?
            .is_empty()
    {
        return Err(BackupError::NotEmpty);
    }
    let pid: i64 = load
        .query_one("SELECT pg_backend_pid()::bigint AS pid", &[])
        .await?
        .get("pid")?;
    let staging = format!("{STAGING}{pid}");
    let mut build = db.dedicated().await?;
    let staged = Staging {
        name: &staging,
        target: &target,
    };
    let restored = staged
        .run(&mut load, &mut build, path, manifest, options, progress)
        .await;
    if restored.is_err() {
        // Both connections are idle here (each worker stops after its statement). If the drop
        // fails too (the server went away), the next restore drops the schema.
        if let Err(e) = drop_schema(&mut load, &staging).await {
            tracing::warn!(schema = %staging, error = %e, "could not drop the staging schema");
        }
    }
    restored
}

/// The staging schema and the schema its tables move to.
struct Staging<'a> {
    name: &'a str,
    target: &'a str,
}

impl Staging<'_> {
    async fn run(
        &self,
        load: &mut Conn,
        build: &mut Conn,
        path: &Path,
        manifest: &Manifest,
        options: RestoreOptions,
        progress: &dyn Progress,
    ) -> Result<u64, BackupError> {
        let started = Instant::now();
        let plan = self.create(load, manifest).await?;
        staging_session(build, self.name).await?;
        tracing::debug!(ms = elapsed_ms(started), "restore: staging schema built");
        let bytes = load_both(load, build, path, manifest, progress).await?;
        tracing::debug!(ms = elapsed_ms(started), "restore: data loaded");
        let by_size = |steps: &mut Vec<(String, String)>| {
            steps.sort_by_key(|(table, _)| std::cmp::Reverse(rows(manifest, table)));
        };
        let mut indexes: Vec<(String, String)> = plan
            .indexes
            .iter()
            .map(|s| (s.table.clone(), s.sql.clone()))
            .collect();
        by_size(&mut indexes);
        run_on_both(load, build, indexes).await?;
        // Keys taking their indexes, sequences and unchecked foreign keys: brief, one batch.
        let unchecked = plan.foreign.iter().map(|k| k.add_unchecked());
        let brief: Vec<String> = plan.keys.iter().cloned().chain(unchecked).collect();
        load.batch_execute(&brief.join(";\n")).await?;
        tracing::debug!(ms = elapsed_ms(started), "restore: indexes and keys built");
        let mut checks: Vec<(String, String)> = plan
            .foreign
            .iter()
            .map(|k| (k.table.clone(), k.validate()))
            .collect();
        by_size(&mut checks);
        run_on_both(load, build, checks).await?;
        tracing::debug!(ms = elapsed_ms(started), "restore: foreign keys checked");
        self.swap_in(load, manifest, options).await?;
        tracing::debug!(ms = elapsed_ms(started), "restore: swapped in");
        Ok(bytes)
    }

    /// Creates the staging schema with the dump's schema in it, its keys and indexes dropped
    /// for the load; committed, so the other connection sees it. Both connections keep it as
    /// their search path, which the catalog's queries and the plan's statements go by.
    async fn create(
        &self,
        load: &mut Conn,
        manifest: &Manifest,
    ) -> Result<catalog::LoadPlan, BackupError> {
        staging_session(load, self.name).await?;
        let mut tx = load.transaction().await?;
        tx.batch_execute(&format!("CREATE SCHEMA {}", quote_ident(self.name)))
            .await?;
        restore::build_schema(&mut tx, Engine::Postgres, manifest).await?;
        let plan = catalog::load_plan(&mut tx, Engine::Postgres).await?;
        // One batch: a round trip per statement was a few hundred milliseconds.
        tx.batch_execute(&plan.before.join(";\n")).await?;
        tx.commit().await?;
        Ok(plan)
    }

    /// The one transaction that changes the target: with `clean` its tables are dropped, the
    /// staging tables move in (with their indexes, constraints and identity sequences) and
    /// the staging schema is dropped.
    async fn swap_in(
        &self,
        conn: &mut Conn,
        manifest: &Manifest,
        options: RestoreOptions,
    ) -> Result<(), BackupError> {
        conn.batch_execute("RESET search_path; RESET synchronous_commit")
            .await?;
        let mut tx = conn.transaction().await?;
        let now = current_schema(&mut tx).await?;
        if now != self.target {
            return Err(BackupError::Refused(format!(
                "the database's current schema changed from {} to {now} during the restore",
                self.target
            )));
        }
        let existing = catalog::tables(&mut tx, Engine::Postgres).await?;
        restore::clear_target(&mut tx, Engine::Postgres, &existing, options.clean).await?;
        let staged = tx
            .query(
                "SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename",
                &[self.name.into()],
            )
            .await?;
        let (from, to) = (quote_ident(self.name), quote_ident(self.target));
        let mut moves = Vec::with_capacity(staged.len());
        for row in &staged {
            let table = quote_ident(&row.get::<String>("tablename")?);
            moves.push(format!("ALTER TABLE {from}.{table} SET SCHEMA {to}"));
        }
        tx.batch_execute(&moves.join(";\n")).await?;
        // Without CASCADE: the migrations make only tables (moved above with what they own);
        // should one ever make a type or function there, the restore fails here instead of
        // dropping what the moved tables use.
        tx.batch_execute(&format!("DROP SCHEMA {from}")).await?;
        restore::finish_target(&mut tx, Engine::Postgres, manifest, options.trial).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The session of both connections while they fill the staging schema: its tables found by
/// name, long texts compressed with lz4, and commits that do not wait for the disk (about a
/// hundred of them, one per index and foreign key). A crash may lose some, which only the
/// staging schema held; the swap commits with the server's setting, and its WAL flush
/// covers everything written before it.
async fn staging_session(conn: &mut Conn, schema: &str) -> Result<(), BackupError> {
    conn.batch_execute(&format!(
        "SET search_path = {}; SET synchronous_commit = off",
        quote_ident(schema)
    ))
    .await?;
    compress_toast_with_lz4(conn).await
}

fn elapsed_ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Long texts are stored compressed (TOAST); pglz, PostgreSQL's default, took two thirds of a
/// restore's time on a million LMS rows, lz4 (PostgreSQL 14 and later, when built with it)
/// less than a third of that, for about a quarter more space on those texts. Only the
/// restored rows are affected (the setting is the restore's sessions'): new rows keep the
/// server's setting, and both read the same.
pub(super) async fn compress_toast_with_lz4(conn: &mut Conn) -> Result<(), BackupError> {
    let has_lz4 = conn
        .query(
            "SELECT 1 AS lz4 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)",
            &[],
        )
        .await?;
    if !has_lz4.is_empty() {
        conn.batch_execute("SET default_toast_compression = 'lz4'")
            .await?;
    }
    Ok(())
}

async fn current_schema(ex: &mut impl Executor) -> Result<String, BackupError> {
    let schema: Option<String> = ex
        .query_one("SELECT current_schema() AS s", &[])
        .await?
        .get("s")?;
    schema.ok_or_else(|| {
        BackupError::Refused(
            "the database's search_path names no schema that exists: nowhere to restore to".into(),
        )
    })
}

/// Drops the staging schemas whose restore is gone (killed, or its server restarted); a
/// running restore's backend still exists.
async fn drop_leftovers(conn: &mut Conn) -> Result<(), BackupError> {
    for name in leftover_schemas(conn).await? {
        drop_schema(conn, &name).await?;
        tracing::warn!(schema = %name, "dropped the staging schema of an interrupted restore");
    }
    Ok(())
}

/// Staging schemas without a live restore: what a killed restore left behind.
pub async fn leftover_schemas(ex: &mut impl Executor) -> Result<Vec<String>, BackupError> {
    let rows = ex
        .query(
            "SELECT n.nspname FROM pg_namespace n
              WHERE n.nspname LIKE 'paideia\\_restore\\_%'
                AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                                 WHERE n.nspname = 'paideia_restore_' || a.pid)
              ORDER BY n.nspname",
            &[],
        )
        .await?;
    rows.iter()
        .map(|row| Ok(row.get::<String>("nspname")?))
        .collect()
}

async fn drop_schema(conn: &mut Conn, name: &str) -> Result<(), BackupError> {
    // CASCADE: a staging schema holds only the staging tables, which nothing outside refers to.
    conn.batch_execute(&format!(
        "DROP SCHEMA IF EXISTS {} CASCADE",
        quote_ident(name)
    ))
    .await?;
    Ok(())
}

/// The dump's row count of `table` (0 for a table it does not fill).
fn rows(manifest: &Manifest, table: &str) -> u64 {
    manifest
        .tables
        .iter()
        .find(|t| t.name == table)
        .map_or(0, |t| t.rows)
}

/// Loads the file over both connections, each in one transaction committed once every row
/// and hash checked out. Returns the file's size.
async fn load_both(
    load: &mut Conn,
    build: &mut Conn,
    path: &Path,
    manifest: &Manifest,
    progress: &dyn Progress,
) -> Result<u64, BackupError> {
    let mut first = load.transaction().await?;
    let mut second = build.transaction().await?;
    let loaders = vec![&mut first, &mut second];
    let bytes = restore::load(loaders, Engine::Postgres, path, manifest, progress).await?;
    first.commit().await?;
    second.commit().await?;
    Ok(bytes)
}

/// Runs the statements (each with its table, largest tables first so the two connections
/// end together) over both connections, each taking the next when done. Statements on
/// the same table may wait for each other's locks, never in a circle: each locks one table
/// (a foreign key's check also takes a lock on the referenced table that no check conflicts with).
async fn run_on_both(
    first: &mut Conn,
    second: &mut Conn,
    steps: Vec<(String, String)>,
) -> Result<(), BackupError> {
    let work = Mutex::new(
        steps
            .into_iter()
            .map(|(_, sql)| sql)
            .collect::<VecDeque<_>>(),
    );
    let failed = AtomicBool::new(false);
    let (a, b) = tokio::join!(
        run_steps(first, &work, &failed),
        run_steps(second, &work, &failed)
    );
    a.and(b)
}

/// Runs statements from `work` on `conn` until there are none, or until either connection
/// failed (after the statement at hand: the caller drops the staging schema next).
async fn run_steps(
    conn: &mut Conn,
    work: &Mutex<VecDeque<String>>,
    failed: &AtomicBool,
) -> Result<(), BackupError> {
    loop {
        let next = work.lock().await.pop_front();
        let Some(sql) = next else { return Ok(()) };
        if failed.load(Ordering::Relaxed) {
            return Ok(());
        }
        if let Err(e) = conn.batch_execute(&sql).await {
            failed.store(true, Ordering::Relaxed);
            return Err(e.into());
        }
    }
}
