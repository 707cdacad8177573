//! Restoring a dump: every hash checked before anything is touched, then in one transaction
//! on the target: the schema rebuilt from this binary's migrations as of the dump, secondary
//! keys and indexes dropped, the data loaded (COPY on PostgreSQL), keys, indexes and
//! sequences rebuilt. Works across engines. Afterwards the schema is migrated forward.

use std::path::Path;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::SinkExt;
use tokio::sync::mpsc;

use super::{
    BackupError, Progress,
    budget::{Budget, CloseOnDrop},
    catalog, copytext,
    format::{self, Manifest, quote_ident},
    reader::{self, Event},
    rules,
};
use crate::{
    db::{Db, Engine, Executor, Tx, Value},
    migrate::{MigrationSet, Migrator, UpOptions, bookkeeping_ddl},
};

#[derive(Clone, Copy, Debug, Default)]
pub struct RestoreOptions {
    /// Drop what the target holds first.
    pub clean: bool,
    /// A trial restore (verify-backup): load the file exactly as it is, without adopting
    /// this engine's migration checksums or migrating forward.
    pub trial: bool,
}

#[derive(Debug)]
pub struct RestoreReport {
    pub manifest: Manifest,
    pub bytes: u64,
    pub migrated: usize,
}

/// Checks that the file's bytes are the ones written (`reader::precheck`) and that this
/// binary can restore it; changes nothing.
pub async fn check(path: &Path, target: Engine) -> Result<Manifest, BackupError> {
    let manifest = read_in_thread(path, reader::precheck).await?;
    rules::check_restorable(&manifest, target)?;
    Ok(manifest)
}

/// Checks every byte and every row of the file against its hashes, its SQL against what this
/// binary writes, and that this binary can restore it into `target`; changes nothing.
pub async fn check_all(path: &Path, target: Engine) -> Result<reader::Scan, BackupError> {
    let scan = read_in_thread(path, |p| reader::scan(p, reader::Rows::Verify, |_| Ok(()))).await?;
    rules::check_restorable(&scan.manifest, target)?;
    Ok(scan)
}

/// Runs a blocking read of the file at `path` on a thread of its own.
async fn read_in_thread<T: Send + 'static>(
    path: &Path,
    read: impl FnOnce(&Path) -> Result<T, BackupError> + Send + 'static,
) -> Result<T, BackupError> {
    let owned = path.to_path_buf();
    tokio::task::spawn_blocking(move || read(&owned))
        .await
        .map_err(reader_stopped)?
}

fn reader_stopped(e: tokio::task::JoinError) -> BackupError {
    BackupError::Refused(format!("the reader stopped: {e}"))
}

pub async fn restore(
    db: &Db,
    path: &Path,
    options: RestoreOptions,
    progress: &dyn Progress,
) -> Result<RestoreReport, BackupError> {
    restore_from(db, path, &path.display().to_string(), options, progress).await
}

/// `restore`, logging `origin` (where the dump came from) instead of the file's path.
pub async fn restore_from(
    db: &Db,
    path: &Path,
    origin: &str,
    options: RestoreOptions,
    progress: &dyn Progress,
) -> Result<RestoreReport, BackupError> {
    let engine = db.engine();
    let started = Utc::now();
    let manifest = check(path, engine).await?;
    let mut conn = db.dedicated().await?;
    if engine == Engine::Sqlite {
        // Outside the transaction, where SQLite allows it; this connection is not reused.
        conn.batch_execute("PRAGMA foreign_keys = OFF").await?;
    }
    let mut tx = conn.transaction().await?;
    if engine == Engine::Postgres {
        compress_toast_with_lz4(&mut tx).await?;
    }
    prepare_target(&mut tx, engine, &manifest, options.clean).await?;
    let plan = catalog::load_plan(&mut tx, engine).await?;
    for sql in &plan.before {
        tx.batch_execute(sql).await?;
    }
    // Every row is re-hashed against the manifest as it loads; a mismatch rolls it all back.
    let bytes = load(&mut tx, engine, path, &manifest, progress).await?;
    for sql in &plan.after {
        tx.batch_execute(sql).await?;
    }
    finish_target(&mut tx, engine, &manifest, options.trial).await?;
    tx.commit().await?;
    drop(conn);

    if options.trial {
        return Ok(RestoreReport {
            manifest,
            bytes,
            migrated: 0,
        });
    }
    let migrated = Migrator::embedded(db)
        .up(UpOptions::default())
        .await?
        .applied
        .len();
    record(db, origin, &manifest, bytes, started).await?;
    Ok(RestoreReport {
        manifest,
        bytes,
        migrated,
    })
}

/// Long texts are stored compressed (TOAST); pglz, PostgreSQL's default, took two thirds of a
/// restore's time on a million LMS rows, lz4 (PostgreSQL 14 and later, when built with it)
/// less than a third of that, for about a quarter more space on those texts. Only the
/// restored rows are affected: new rows keep the server's setting, and both read the same.
async fn compress_toast_with_lz4(tx: &mut Tx<'_>) -> Result<(), BackupError> {
    let has_lz4 = tx
        .query(
            "SELECT 1 AS lz4 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)",
            &[],
        )
        .await?;
    if !has_lz4.is_empty() {
        tx.batch_execute("SET LOCAL default_toast_compression = 'lz4'")
            .await?;
    }
    Ok(())
}

/// Notes the restore in the restored database's backup log.
async fn record(
    db: &Db,
    origin: &str,
    manifest: &Manifest,
    bytes: u64,
    started: DateTime<Utc>,
) -> Result<(), BackupError> {
    let detail = format!(
        "dump of paideia {} ({} schema {}, {} rows) made {}",
        manifest.paideia_version,
        manifest.engine,
        manifest.schema_version,
        manifest.total_rows(),
        manifest.created_at.to_rfc3339()
    );
    super::runlog::record(
        db,
        super::runlog::RunRecord {
            kind: super::runlog::RunKind::Restore,
            started_at: started,
            finished_at: Utc::now(),
            succeeded: true,
            location: origin,
            bytes: Some(bytes),
            detail: &detail,
        },
    )
    .await?;
    Ok(())
}

/// Refuses a non-empty target unless `clean`, then builds the schema as of the dump.
async fn prepare_target(
    tx: &mut Tx<'_>,
    engine: Engine,
    manifest: &Manifest,
    clean: bool,
) -> Result<(), BackupError> {
    let existing = catalog::tables(tx, engine).await?;
    if !existing.is_empty() {
        if !clean {
            return Err(BackupError::NotEmpty);
        }
        for sql in catalog::drop_tables(&existing, engine) {
            tx.batch_execute(&sql).await?;
        }
    }
    tx.batch_execute(bookkeeping_ddl(engine)).await?;
    let set = MigrationSet::embedded(engine);
    for entry in &manifest.migrations {
        let migration = set
            .get(entry.id)
            .expect("checked by rules::check_restorable");
        tx.batch_execute(&migration.sql_for_empty_database())
            .await?;
    }
    let tables = catalog::tables(tx, engine).await?;
    for table in &manifest.tables {
        let target = tables
            .iter()
            .find(|t| t.name == table.name)
            .ok_or_else(|| BackupError::Table {
                table: table.name.clone(),
                problem: "this binary's schema has no such table".into(),
            })?;
        if let Some(c) = table
            .columns
            .iter()
            .find(|c| !target.columns.iter().any(|t| t.name == c.name))
        {
            return Err(BackupError::Table {
                table: table.name.clone(),
                problem: format!("this binary's schema has no column {}", c.name),
            });
        }
    }
    Ok(())
}

const LOADER_STOPPED: &str = "the loader stopped";

/// What the reader thread sends to the loader.
enum Chunk {
    Begin(usize),
    Lines(Vec<u8>),
    End,
}

async fn load(
    tx: &mut Tx<'_>,
    engine: Engine,
    path: &Path,
    manifest: &Manifest,
    progress: &dyn Progress,
) -> Result<u64, BackupError> {
    let (send, mut receive) = mpsc::channel::<Chunk>(16);
    let budget = std::sync::Arc::new(Budget::new(LINES_IN_FLIGHT));
    let owned = path.to_path_buf();
    let theirs = budget.clone();
    let reader = tokio::task::spawn_blocking(move || {
        let mut buf = Vec::with_capacity(CHUNK_BYTES);
        let stopped = || BackupError::Refused(LOADER_STOPPED.into());
        let ship = |buf: &mut Vec<u8>| {
            let lines = std::mem::take(buf);
            if !theirs.take(lines.len()) {
                return Err(stopped());
            }
            send.blocking_send(Chunk::Lines(lines))
                .map_err(|_| stopped())
        };
        reader::scan(&owned, reader::Rows::Verify, |event| match event {
            Event::Begin(index) => send
                .blocking_send(Chunk::Begin(index))
                .map_err(|_| stopped()),
            Event::Row(line) => {
                if !buf.is_empty() && buf.len() + line.len() >= CHUNK_BYTES {
                    ship(&mut buf)?;
                }
                buf.extend_from_slice(line);
                buf.push(b'\n');
                if buf.len() >= CHUNK_BYTES {
                    ship(&mut buf)?;
                }
                Ok(())
            }
            Event::End => {
                if !buf.is_empty() {
                    ship(&mut buf)?;
                }
                send.blocking_send(Chunk::End).map_err(|_| stopped())
            }
        })
    });
    let closed = CloseOnDrop(&budget);
    let mut loaded = Ok(());
    while let Some(chunk) = receive.recv().await {
        let Chunk::Begin(index) = chunk else { continue };
        let table = &manifest.tables[index];
        let chunks = Chunks {
            receive: &mut receive,
            budget: &budget,
        };
        loaded = match engine {
            Engine::Postgres => copy_table(tx, table, chunks).await,
            Engine::Sqlite => insert_table(tx, table, chunks).await,
        };
        if loaded.is_err() {
            break;
        }
        progress.done(&table.name, table.rows, 0);
    }
    drop(receive);
    drop(closed);
    let scanned = reader.await.map_err(reader_stopped)?;
    match (loaded, scanned) {
        (Ok(()), Ok(scan)) => Ok(scan.bytes),
        // The reader stopped because the loader did: the loader's error says why.
        (Err(e), Err(BackupError::Refused(m))) if m == LOADER_STOPPED => Err(e),
        // A damaged row stops the reader; its error names the table and bytes.
        (_, Err(e)) | (Err(e), Ok(_)) => Err(e),
    }
}

/// Rows go to the loader in chunks of about this many bytes.
const CHUNK_BYTES: usize = 1 << 18;
/// Bytes read and not loaded yet, at most (one longer row still goes alone).
const LINES_IN_FLIGHT: usize = 4 << 20;

/// One table's chunks of rows, each given back to the budget as it is taken.
struct Chunks<'a> {
    receive: &'a mut mpsc::Receiver<Chunk>,
    budget: &'a Budget,
}

impl Chunks<'_> {
    /// The next chunk of the table's rows; `None` at its end.
    async fn next(&mut self) -> Option<Vec<u8>> {
        match self.receive.recv().await {
            Some(Chunk::Lines(lines)) => {
                self.budget.give(lines.len());
                Some(lines)
            }
            _ => None,
        }
    }
}

async fn copy_table(
    tx: &mut Tx<'_>,
    table: &format::TableEntry,
    mut chunks: Chunks<'_>,
) -> Result<(), BackupError> {
    let columns: Vec<String> = table.columns.iter().map(|c| quote_ident(&c.name)).collect();
    let sql = format!(
        "COPY {} ({}) FROM STDIN WITH (FREEZE)",
        quote_ident(&table.name),
        columns.join(", ")
    );
    let sink = tx.copy_in(&sql).await?;
    futures_util::pin_mut!(sink);
    // The server's own trouble (a full disk, a lost connection) stays a database error with
    // its SQLSTATE, so a verification can tell it from the data's.
    let failed = |e: tokio_postgres::Error| {
        let code = e.code().map(|c| c.code().to_string());
        let db = crate::db::DbError::query(&sql, crate::db::postgres::describe(&e), code);
        if super::error::is_resource(&db) {
            BackupError::Db(db)
        } else {
            BackupError::Table {
                table: table.name.clone(),
                problem: db.to_string(),
            }
        }
    };
    while let Some(lines) = chunks.next().await {
        sink.send(Bytes::from(lines)).await.map_err(failed)?;
    }
    sink.as_mut().finish().await.map_err(failed)?;
    Ok(())
}

async fn insert_table(
    tx: &mut Tx<'_>,
    table: &format::TableEntry,
    mut chunks: Chunks<'_>,
) -> Result<(), BackupError> {
    let columns: Vec<String> = table.columns.iter().map(|c| quote_ident(&c.name)).collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quote_ident(&table.name),
        columns.join(", "),
        placeholders.join(", ")
    );
    let failed = |problem: String| BackupError::Table {
        table: table.name.clone(),
        problem,
    };
    while let Some(lines) = chunks.next().await {
        for line in lines.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let values: Vec<Value> = copytext::parse_row(line, &table.columns).map_err(failed)?;
            tx.execute(&sql, &values).await.map_err(|e| {
                if super::error::is_resource(&e) {
                    BackupError::Db(e)
                } else {
                    failed(e.to_string())
                }
            })?;
        }
    }
    Ok(())
}

/// Cross-engine restores record this engine's migration checksums; SQLite checks its
/// foreign keys before the commit.
async fn finish_target(
    tx: &mut Tx<'_>,
    engine: Engine,
    manifest: &Manifest,
    trial: bool,
) -> Result<(), BackupError> {
    if manifest.engine != engine && !trial {
        let set = MigrationSet::embedded(engine);
        for entry in &manifest.migrations {
            let ours = set
                .get(entry.id)
                .expect("checked by rules::check_restorable");
            tx.execute(
                "UPDATE paideia_migrations SET checksum = $1 WHERE id = $2",
                &[ours.checksum.as_str().into(), entry.id.into()],
            )
            .await?;
        }
    }
    if engine == Engine::Sqlite {
        let broken = tx.query("PRAGMA foreign_key_check", &[]).await?;
        if let Some(row) = broken.first() {
            return Err(BackupError::Table {
                table: row.get::<String>("table").unwrap_or_default(),
                problem: "a row refers to a missing row after the load".into(),
            });
        }
    }
    Ok(())
}
