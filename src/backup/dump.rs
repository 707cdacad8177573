//! Writing a dump: one consistent snapshot (shared by parallel PostgreSQL workers through an
//! exported snapshot), each table's rows spooled to a temporary file while its row count and
//! hash are computed, then the file assembled: manifest, schema, data, trailer.

use std::{
    collections::VecDeque,
    fs::File,
    io::{Read, Write},
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use chrono::Utc;
use futures_util::StreamExt;

use super::{
    BackupError, Progress,
    catalog::{self, LoadPlan, TableInfo},
    copytext::{self, RowHasher},
    format::{self, ColumnType, Manifest, MigrationEntry, TableEntry, quote_ident},
    output::{AtomicFile, Compression, DumpWriter},
    spool::Spool,
};
use crate::{
    db::{Db, Engine, Executor, Tx},
    migrate::{Compatibility, MigrationSet, MigrationState, Migrator, bookkeeping_ddl},
    version::VERSION,
};

#[derive(Clone, Copy, Debug)]
pub struct DumpOptions {
    pub compression: Compression,
    /// PostgreSQL connections copying tables at once.
    pub jobs: usize,
}

/// One table's rows in a spool file, with what the manifest records about them.
struct Spooled {
    paths: Vec<PathBuf>,
    hasher: RowHasher,
}

/// A piece of work for one PostgreSQL worker: a whole table, or a range of its ids (big
/// tables are read in parts so both workers share them; row hashes add up across parts).
#[derive(Clone)]
struct Part {
    table: usize,
    info: TableInfo,
    ids: Option<(i64, i64)>,
}

/// Ids per part when a table is split.
const IDS_PER_PART: i64 = 100_000;

/// Dumps `db` into `out`; `spool_dir` holds the tables' data until the file is assembled.
pub async fn dump<W: Write + Send + 'static>(
    db: &Db,
    out: W,
    options: DumpOptions,
    progress: Arc<dyn Progress>,
    spool_dir: &Path,
) -> Result<(Manifest, W, u64), BackupError> {
    let engine = db.engine();
    let status = Migrator::embedded(db).verify().await?;
    if status.compatibility != Compatibility::Current {
        return Err(BackupError::Refused(
            "the database has migrations this binary does not know; dump it with the binary that migrated it".into(),
        ));
    }
    let set = MigrationSet::embedded(engine);
    let migrations: Vec<MigrationEntry> = status
        .migrations
        .iter()
        .filter(|m| m.state == MigrationState::Applied)
        .filter_map(|m| set.get(m.id))
        .map(|m| MigrationEntry {
            id: m.id,
            name: m.name.clone(),
            checksum: m.checksum.clone(),
        })
        .collect();

    let mut conn = db.conn().await?;
    let mut tx = conn.read_transaction(None).await?;
    let snapshot = tx.export_snapshot().await?;
    let tables = catalog::tables(&mut tx, engine).await?;
    let plan = match engine {
        Engine::Postgres => catalog::load_plan(&mut tx, engine).await?,
        Engine::Sqlite => LoadPlan::default(),
    };
    let spooled = match snapshot {
        Some(id) => {
            let parts = plan_parts(&mut tx, &tables).await?;
            spool_in_parallel(
                db,
                &id,
                parts,
                tables.len(),
                options.jobs,
                &progress,
                spool_dir,
            )
            .await?
        }
        None => spool_sequentially(&mut tx, &tables, &progress, spool_dir).await?,
    };
    drop(tx);

    let manifest = Manifest {
        format: format::FORMAT_VERSION,
        paideia_version: VERSION.to_string(),
        engine,
        schema_version: migrations.last().map_or(0, |m| m.id),
        migrations,
        created_at: Utc::now(),
        tables: tables
            .iter()
            .zip(&spooled)
            .map(|(t, s)| TableEntry {
                name: t.name.clone(),
                columns: t.columns.clone(),
                rows: s.hasher.rows(),
                hash: s.hasher.finish(),
            })
            .collect(),
    };
    let assembled = manifest.clone();
    let (out, bytes) = tokio::task::spawn_blocking(move || {
        assemble(out, options.compression, &assembled, &plan, &spooled)
    })
    .await
    .map_err(|e| BackupError::Refused(format!("the dump writer stopped: {e}")))??;
    Ok((manifest, out, bytes))
}

async fn spool_sequentially(
    tx: &mut Tx<'_>,
    tables: &[TableInfo],
    progress: &Arc<dyn Progress>,
    dir: &Path,
) -> Result<Vec<Spooled>, BackupError> {
    let mut out = Vec::with_capacity(tables.len());
    for (i, table) in tables.iter().enumerate() {
        out.push(spool_rows(tx, table, &spool_path(dir, i), progress.as_ref()).await?);
    }
    Ok(out)
}

/// Splits tables with an integer `id` column into id ranges, so one big table does not
/// leave the other workers idle.
async fn plan_parts(tx: &mut Tx<'_>, tables: &[TableInfo]) -> Result<Vec<Part>, BackupError> {
    let mut parts = Vec::new();
    for (index, info) in tables.iter().enumerate() {
        let has_id = info
            .columns
            .iter()
            .any(|c| c.name == "id" && c.ty == ColumnType::Int);
        let bounds = if has_id {
            let sql = format!(
                "SELECT min(id) AS lo, max(id) AS hi FROM {}",
                quote_ident(&info.name)
            );
            let row = tx.query_one(&sql, &[]).await?;
            row.get::<Option<i64>>("lo")?
                .zip(row.get::<Option<i64>>("hi")?)
        } else {
            None
        };
        match bounds {
            Some((lo, hi)) if hi - lo >= IDS_PER_PART => {
                let mut start = lo;
                while start <= hi {
                    let end = start.saturating_add(IDS_PER_PART - 1).min(hi);
                    parts.push(Part {
                        table: index,
                        info: info.clone(),
                        ids: Some((start, end)),
                    });
                    start = end + 1;
                }
            }
            _ => parts.push(Part {
                table: index,
                info: info.clone(),
                ids: None,
            }),
        }
    }
    Ok(parts)
}

async fn spool_in_parallel(
    db: &Db,
    snapshot: &str,
    parts: Vec<Part>,
    tables: usize,
    jobs: usize,
    progress: &Arc<dyn Progress>,
    dir: &Path,
) -> Result<Vec<Spooled>, BackupError> {
    let queue = Arc::new(Mutex::new(
        parts.into_iter().enumerate().collect::<VecDeque<_>>(),
    ));
    let mut workers = Vec::new();
    for _ in 0..jobs.max(1) {
        let (db, queue, progress) = (db.clone(), queue.clone(), progress.clone());
        let (snapshot, dir) = (snapshot.to_string(), dir.to_path_buf());
        workers.push(tokio::spawn(async move {
            let mut conn = db.conn().await?;
            let mut tx = conn.read_transaction(Some(&snapshot)).await?;
            let mut done = Vec::new();
            loop {
                let next = queue.lock().expect("queue lock").pop_front();
                let Some((i, part)) = next else { break };
                let path = spool_path(&dir, i);
                let hasher = spool_copy(&mut tx, &part, &path, progress.as_ref()).await?;
                done.push((i, part.table, path, hasher));
            }
            Ok::<_, BackupError>(done)
        }));
    }
    let mut all = Vec::new();
    for worker in workers {
        all.extend(
            worker
                .await
                .map_err(|e| BackupError::Refused(format!("a dump worker stopped: {e}")))??,
        );
    }
    all.sort_by_key(|(i, ..)| *i);
    let mut spooled: Vec<Spooled> = (0..tables)
        .map(|_| Spooled {
            paths: Vec::new(),
            hasher: RowHasher::default(),
        })
        .collect();
    for (_, table, path, hasher) in all {
        spooled[table].paths.push(path);
        spooled[table].hasher.merge(&hasher);
    }
    Ok(spooled)
}

fn spool_path(dir: &Path, index: usize) -> PathBuf {
    dir.join(format!("{index:04}.copy"))
}

/// `"a", "b", …`: the table's columns, quoted, in manifest order.
fn column_list(table: &TableInfo) -> String {
    let quoted: Vec<String> = table.columns.iter().map(|c| quote_ident(&c.name)).collect();
    quoted.join(", ")
}

/// PostgreSQL: the server's own COPY text, hashed row by row as it streams to the spool.
async fn spool_copy(
    tx: &mut Tx<'_>,
    part: &Part,
    path: &Path,
    progress: &dyn Progress,
) -> Result<RowHasher, BackupError> {
    let table = &part.info;
    let sql = match part.ids {
        None => format!(
            "COPY {} ({}) TO STDOUT",
            quote_ident(&table.name),
            column_list(table)
        ),
        Some((lo, hi)) => format!(
            "COPY (SELECT {} FROM {} WHERE id BETWEEN {lo} AND {hi}) TO STDOUT",
            column_list(table),
            quote_ident(&table.name)
        ),
    };
    let stream = tx.copy_out(&sql).await?;
    futures_util::pin_mut!(stream);
    let bad_row = |problem: String| BackupError::Table {
        table: table.name.clone(),
        problem,
    };
    let mut spool = Spool::create(path, table.columns.clone())?;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| bad_row(e.to_string()))?;
        // Sends only every 256 KiB and waits only when the hashing thread is behind.
        spool.write(&chunk).map_err(bad_row)?;
        progress.rows(&table.name, 0, spool.bytes());
    }
    let bytes = spool.bytes();
    let (_, hasher) = tokio::task::block_in_place(|| spool.finish()).map_err(bad_row)?;
    progress.done(&table.name, hasher.rows(), bytes);
    Ok(hasher)
}

/// SQLite: rows read in the snapshot transaction, brought to their logical types, encoded as
/// COPY text.
async fn spool_rows(
    tx: &mut Tx<'_>,
    table: &TableInfo,
    path: &Path,
    progress: &dyn Progress,
) -> Result<Spooled, BackupError> {
    let sql = format!(
        "SELECT {} FROM {}",
        column_list(table),
        quote_ident(&table.name)
    );
    let mut spool = Spool::create(path, table.columns.clone())?;
    let mut line = Vec::new();
    let mut rows = 0u64;
    let failed = |problem: String| BackupError::Table {
        table: table.name.clone(),
        problem,
    };
    tx.for_each_row(&sql, |values| {
        line.clear();
        copytext::encode_row_as(&mut line, values, &table.columns)?;
        spool.write(&line)?;
        rows += 1;
        if rows.is_multiple_of(10_000) {
            progress.rows(&table.name, rows, spool.bytes());
        }
        Ok(())
    })
    .await
    .map_err(|e| failed(e.to_string()))?;
    let bytes = spool.bytes();
    let (path, hasher) = spool.finish().map_err(failed)?;
    progress.done(&table.name, hasher.rows(), bytes);
    Ok(Spooled {
        paths: vec![path],
        hasher,
    })
}

/// Writes the whole file; returns the sink and the uncompressed size.
fn assemble<W: Write>(
    out: W,
    compression: Compression,
    manifest: &Manifest,
    plan: &LoadPlan,
    spooled: &[Spooled],
) -> Result<(W, u64), BackupError> {
    let io = BackupError::io("dump output");
    let mut w = DumpWriter::new(out, compression).map_err(BackupError::io("dump output"))?;
    let json = serde_json::to_string(manifest).expect("a manifest serializes");
    let mut head = format!(
        "{}\n{}{json}\n",
        format::MAGIC_LINE,
        format::MANIFEST_PREFIX
    );
    if manifest.engine == Engine::Postgres {
        head.push_str(&postgres_preamble(manifest));
        for sql in &plan.before {
            head.push_str(&format!("{sql};\n"));
        }
    }
    w.write_all(head.as_bytes())
        .map_err(BackupError::io("dump output"))?;
    let mut buf = vec![0u8; SPOOL_COPY_BYTES];
    for (table, spool) in manifest.tables.iter().zip(spooled) {
        let block = format!(
            "{}{}\n{}\n",
            format::DATA_PREFIX,
            table.name,
            format::copy_from_stdin(&table.name, &table.columns)
        );
        w.write_all(block.as_bytes())
            .map_err(BackupError::io("dump output"))?;
        for path in &spool.paths {
            copy_spool(path, &mut w, &mut buf)?;
        }
        w.write_all(b"\\.\n")
            .map_err(BackupError::io("dump output"))?;
    }
    if manifest.engine == Engine::Postgres {
        let mut tail = String::new();
        for sql in &plan.after {
            tail.push_str(&format!("{sql};\n"));
        }
        tail.push_str("COMMIT;\n");
        w.write_all(tail.as_bytes())
            .map_err(BackupError::io("dump output"))?;
    }
    let (hash, bytes) = w.digest();
    let trailer = serde_json::to_string(&format::Trailer {
        blake3: hash,
        bytes,
    })
    .expect("a trailer serializes");
    w.write_unhashed(format!("{}{trailer}\n", format::TRAILER_PREFIX).as_bytes())
        .map_err(BackupError::io("dump output"))?;
    let out = w.finish().map_err(io)?;
    Ok((out, bytes))
}

/// Bytes moved from a spool file to the output at a time: large writes keep the trailer's
/// BLAKE3 on its fast many-chunks path (8 KiB writes spent half their time on the slow one).
const SPOOL_COPY_BYTES: usize = 1 << 20;

/// Appends a spool file to the output and removes it.
fn copy_spool<W: Write>(path: &Path, w: &mut W, buf: &mut [u8]) -> Result<(), BackupError> {
    let mut file = File::open(path).map_err(BackupError::io(path))?;
    loop {
        let n = file.read(buf).map_err(BackupError::io(path))?;
        if n == 0 {
            break;
        }
        w.write_all(&buf[..n])
            .map_err(BackupError::io("dump output"))?;
    }
    let _ = std::fs::remove_file(path);
    Ok(())
}

/// Session settings, the bookkeeping tables and the applied migrations: the schema `psql`
/// needs to restore the file into an empty database by itself, in one transaction.
fn postgres_preamble(manifest: &Manifest) -> String {
    let mut sql = String::from(
        "--\n-- Restore with `paideia restore FILE`, or into an empty database with\n\
         -- `psql -v ON_ERROR_STOP=1 -f FILE` (decompress a .zst file first: zstd -dc FILE | psql ...).\n--\n\
         SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\
         SET check_function_bodies = false;\nSET client_min_messages = warning;\nSET TimeZone = 'UTC';\nBEGIN;\n",
    );
    sql.push_str(bookkeeping_ddl(Engine::Postgres));
    sql.push('\n');
    let set = MigrationSet::embedded(Engine::Postgres);
    for entry in &manifest.migrations {
        if let Some(m) = set.get(entry.id) {
            sql.push_str(&format!(
                "-- migration {:04}_{}\n{}\n",
                m.id,
                m.name,
                m.sql_for_empty_database().trim_end()
            ));
        }
    }
    sql
}

/// A temporary folder in `parent` for a dump's spool files; removed when dropped.
pub fn spool_dir(parent: &Path) -> Result<tempfile::TempDir, BackupError> {
    tempfile::Builder::new()
        .prefix(".paideia-dump-spool-")
        .tempdir_in(parent)
        .map_err(BackupError::io(parent))
}

/// Dumps the database into the file `output`, written atomically with mode 0600
/// (`AtomicFile`), spooling beside it: used by `dump`, by `upgrade`'s dump before the swap
/// and by backup sets. Returns the manifest and the uncompressed size.
pub async fn dump_to_file(
    db: &Db,
    output: &Path,
    options: DumpOptions,
    progress: Arc<dyn Progress>,
    force: bool,
) -> Result<(Manifest, u64), BackupError> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let spool = spool_dir(parent)?;
    let mut file = AtomicFile::create(output, force).map_err(BackupError::io(output))?;
    let handle = file.file().try_clone().map_err(BackupError::io(output))?;
    let (manifest, out, bytes) = dump(
        db,
        std::io::BufWriter::with_capacity(1 << 20, handle),
        options,
        progress,
        spool.path(),
    )
    .await?;
    out.into_inner()
        .map_err(|e| BackupError::io(output)(e.into_error()))?;
    file.commit().map_err(BackupError::io(output))?;
    Ok((manifest, bytes))
}
