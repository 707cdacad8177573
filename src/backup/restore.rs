//! Restoring a dump: every hash checked before anything is touched, then the schema rebuilt
//! from this binary's migrations as of the dump, secondary keys and indexes dropped, the data
//! loaded with every row re-hashed, keys, indexes and sequences rebuilt; on SQLite in one
//! transaction, on PostgreSQL in a staging schema swapped in by one (staged.rs). Works
//! across engines. Afterwards the schema is migrated forward.

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
    let bytes = match engine {
        Engine::Postgres if super::staged::may_stage(db).await? => {
            super::staged::restore(db, path, &manifest, options, progress).await?
        }
        _ => in_one_transaction(db, path, &manifest, options, progress).await?,
    };
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

/// SQLite, and PostgreSQL for a role that may not create a schema: the whole restore in one
/// transaction on one connection.
async fn in_one_transaction(
    db: &Db,
    path: &Path,
    manifest: &Manifest,
    options: RestoreOptions,
    progress: &dyn Progress,
) -> Result<u64, BackupError> {
    let engine = db.engine();
    let mut conn = db.dedicated().await?;
    // Outside the transaction (where SQLite allows it); this connection is not reused.
    match engine {
        Engine::Sqlite => conn.batch_execute("PRAGMA foreign_keys = OFF").await?,
        Engine::Postgres => super::staged::compress_toast_with_lz4(&mut conn).await?,
    }
    let mut tx = conn.transaction().await?;
    let existing = catalog::tables(&mut tx, engine).await?;
    clear_target(&mut tx, engine, &existing, options.clean).await?;
    build_schema(&mut tx, engine, manifest).await?;
    let plan = catalog::load_plan(&mut tx, engine).await?;
    for sql in &plan.before {
        tx.batch_execute(sql).await?;
    }
    // Every row is re-hashed against the manifest as it loads; a mismatch rolls it all back.
    let bytes = load(vec![&mut tx], engine, path, manifest, progress).await?;
    for step in &plan.indexes {
        tx.batch_execute(&step.sql).await?;
    }
    for sql in &plan.keys {
        tx.batch_execute(sql).await?;
    }
    for key in &plan.foreign {
        tx.batch_execute(&key.add()).await?;
    }
    finish_target(&mut tx, engine, manifest, options.trial).await?;
    tx.commit().await?;
    Ok(bytes)
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

/// Refuses a target that holds tables unless `clean`, then drops them.
pub(super) async fn clear_target(
    tx: &mut Tx<'_>,
    engine: Engine,
    existing: &[catalog::TableInfo],
    clean: bool,
) -> Result<(), BackupError> {
    if !existing.is_empty() {
        if !clean {
            return Err(BackupError::NotEmpty);
        }
        for sql in catalog::drop_tables(existing, engine) {
            tx.batch_execute(&sql).await?;
        }
    }
    Ok(())
}

/// Builds the schema as of the dump in the current schema, and checks that it has every
/// table and column the dump fills.
pub(super) async fn build_schema(
    tx: &mut Tx<'_>,
    engine: Engine,
    manifest: &Manifest,
) -> Result<(), BackupError> {
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

/// What the reader thread sends to the loaders.
enum Chunk {
    /// Whole rows of the manifest's table at this index.
    Rows(usize, Bytes),
    /// A block of that table's rows ended (for the progress display).
    End(usize),
}

/// Reads the file on a thread of its own, re-hashing every row, while the loaders (each a
/// transaction on a connection of its own) put the rows into the tables, each taking the next
/// piece when done with its last; returns the file's size once every row and hash checked out.
pub(super) async fn load(
    loaders: Vec<&mut Tx<'_>>,
    engine: Engine,
    path: &Path,
    manifest: &Manifest,
    progress: &dyn Progress,
) -> Result<u64, BackupError> {
    let (send, receive) = mpsc::channel::<Chunk>(16);
    let budget = std::sync::Arc::new(Budget::new(LINES_IN_FLIGHT));
    let owned = path.to_path_buf();
    let theirs = budget.clone();
    let reader = tokio::task::spawn_blocking(move || {
        let mut table = 0;
        let stopped = || BackupError::Refused(LOADER_STOPPED.into());
        // The pieces are the row checker's own batches (shared, not copied): rows go to the
        // database while they are checked, and nothing commits before every one was.
        reader::scan(&owned, reader::Rows::VerifyInPieces(PIECE_BYTES), |event| {
            match event {
                Event::Begin(index) => table = index,
                Event::Piece(lines) => {
                    if !theirs.take(lines.len()) {
                        return Err(stopped());
                    }
                    send.blocking_send(Chunk::Rows(table, lines))
                        .map_err(|_| stopped())?;
                }
                // A scan in pieces hands out none; were one to come, it must not go unloaded.
                Event::Row(_) => return Err(BackupError::Refused("a row outside a piece".into())),
                Event::End => {
                    send.blocking_send(Chunk::End(table))
                        .map_err(|_| stopped())?;
                }
            }
            Ok(())
        })
    });
    let closed = CloseOnDrop(&budget);
    let shared = Pieces {
        receive: tokio::sync::Mutex::new(receive),
        budget: &budget,
        manifest,
        progress,
    };
    let results =
        futures_util::future::join_all(loaders.into_iter().map(|tx| shared.load_into(tx, engine)))
            .await;
    drop(shared);
    drop(closed);
    let loaded = results.into_iter().collect::<Result<Vec<()>, _>>();
    let scanned = reader.await.map_err(reader_stopped)?;
    match (loaded, scanned) {
        (Ok(_), Ok(scan)) => Ok(scan.bytes),
        // The reader stopped because a loader did: the loader's error says why.
        (Err(e), Err(BackupError::Refused(m))) if m == LOADER_STOPPED => Err(e),
        // A damaged row stops the reader; its error names the table and bytes.
        (_, Err(e)) | (Err(e), Ok(_)) => Err(e),
    }
}

/// Rows go to the loaders in pieces of about this many bytes, each loaded by one statement
/// (a COPY costs two round trips besides its rows).
const PIECE_BYTES: usize = 2 << 20;
/// Bytes read and not taken by a loader yet, at most (one longer row still goes alone).
const LINES_IN_FLIGHT: usize = 8 << 20;

/// The reader's pieces, shared by the loaders.
struct Pieces<'a> {
    receive: tokio::sync::Mutex<mpsc::Receiver<Chunk>>,
    budget: &'a Budget,
    manifest: &'a Manifest,
    progress: &'a dyn Progress,
}

impl Pieces<'_> {
    /// Loads pieces in `tx` until there are no more, or until it fails; a failure closes the
    /// budget, which stops the reader and so every other loader.
    async fn load_into(&self, tx: &mut Tx<'_>, engine: Engine) -> Result<(), BackupError> {
        loop {
            let chunk = self.receive.lock().await.recv().await;
            let (index, lines) = match chunk {
                None => return Ok(()),
                Some(Chunk::End(index)) => {
                    let table = &self.manifest.tables[index];
                    self.progress.done(&table.name, table.rows, 0);
                    continue;
                }
                Some(Chunk::Rows(index, lines)) => (index, lines),
            };
            self.budget.give(lines.len());
            let table = &self.manifest.tables[index];
            let loaded = match engine {
                Engine::Postgres => copy_rows(tx, table, lines).await,
                Engine::Sqlite => insert_rows(tx, table, &lines).await,
            };
            if loaded.is_err() {
                self.budget.close();
                return loaded;
            }
        }
    }
}

/// One COPY of whole rows. Without FREEZE: two transactions load the same table.
async fn copy_rows(
    tx: &mut Tx<'_>,
    table: &format::TableEntry,
    lines: Bytes,
) -> Result<(), BackupError> {
    let columns: Vec<String> = table.columns.iter().map(|c| quote_ident(&c.name)).collect();
    let sql = format!(
        "COPY {} ({}) FROM STDIN",
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
    sink.send(lines).await.map_err(failed)?;
    sink.as_mut().finish().await.map_err(failed)?;
    Ok(())
}

async fn insert_rows(
    tx: &mut Tx<'_>,
    table: &format::TableEntry,
    lines: &[u8],
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
    Ok(())
}

/// Cross-engine restores record this engine's migration checksums; SQLite checks its
/// foreign keys before the commit.
pub(super) async fn finish_target(
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
