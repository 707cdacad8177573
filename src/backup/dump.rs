//! Writing a dump: one consistent snapshot (shared by parallel PostgreSQL workers through an
//! exported snapshot). Workers cut each table's rows into blocks of a few MiB, hash them and
//! hand them to one writer thread, which appends them to the file in the order they come;
//! the manifest, known only once every row is read, goes into the space reserved for it at
//! the top. The data is written once and never spooled.

use std::{
    fs::File,
    io::{Seek, Write},
    path::Path,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, AtomicUsize, Ordering},
        mpsc::{Receiver, SyncSender, sync_channel},
    },
};

use chrono::Utc;
use futures_util::StreamExt;

use super::{
    BackupError, Progress,
    catalog::{self, TableInfo},
    copytext::{self, RowHasher},
    format::{self, ColumnType, Manifest, MigrationEntry, TableEntry, quote_ident},
    output::{AtomicFile, Compression, DumpWriter},
    script,
};
use crate::{
    db::{Conn, Db, Engine, Executor, Tx},
    migrate::{Compatibility, MigrationSet, MigrationState, Migrator},
    version::VERSION,
};

#[derive(Clone, Copy, Debug)]
pub struct DumpOptions {
    pub compression: Compression,
    /// PostgreSQL connections copying tables at once.
    pub jobs: usize,
}

/// A piece of work for one PostgreSQL worker: a whole table, or a range of its ids (big
/// tables are read in parts so both workers share them; row hashes add up across parts).
#[derive(Clone)]
struct Part {
    table: usize,
    ids: Option<(i64, i64)>,
}

/// Ids per part when a table is split.
const IDS_PER_PART: i64 = 100_000;
/// A data block is cut at the first row boundary past this size.
const BLOCK_BYTES: usize = 4 << 20;
/// The memory map a SQLite dump reads through (SQLite maps at most this much of the file).
const SQLITE_MMAP_ON: &str = "PRAGMA mmap_size = 17179869184";
/// Blocks waiting for the writer: bounds the memory a dump takes.
const BLOCKS_IN_FLIGHT: usize = 4;
/// A block's buffer: a block and the row that crosses `BLOCK_BYTES` (longer rows grow it).
const BLOCK_CAPACITY: usize = BLOCK_BYTES + (64 << 10);

/// Dumps `db` into `file`, which must be empty and is named `output` in messages; returns the
/// manifest and the uncompressed size. The file is complete but not synced.
pub async fn dump(
    db: &Db,
    file: &File,
    output: &Path,
    options: DumpOptions,
    progress: Arc<dyn Progress>,
) -> Result<(Manifest, u64), BackupError> {
    let engine = db.engine();
    let migrations = applied_migrations(db).await?;
    // SQLite: no writer may commit until every reader has its snapshot (`hold_writers`).
    let mut writers_held = match engine {
        Engine::Sqlite => Some(hold_writers(db).await?),
        Engine::Postgres => None,
    };
    let mut conn = db.conn().await?;
    let mut tx = conn.read_transaction(None).await?;
    // PostgreSQL's exported snapshot; SQLite has none (its readers rely on `hold_writers`).
    let postgres_snapshot = tx.export_snapshot().await?;
    let tables = catalog::tables(&mut tx, engine).await?;
    let mut manifest = Manifest {
        format: format::FORMAT_VERSION,
        paideia_version: VERSION.to_string(),
        engine,
        schema_version: migrations.last().map_or(0, |m| m.id),
        migrations,
        created_at: Utc::now(),
        tables: tables
            .iter()
            .map(|t| TableEntry {
                name: t.name.clone(),
                columns: t.columns.clone(),
                rows: 0,
                hash: String::new(),
            })
            .collect(),
    };
    let head_len = format::reserved_head_len(&manifest, RowHasher::default().finish().len());
    if head_len > format::MAX_LINE {
        return Err(BackupError::Refused(format!(
            "the manifest of this database would take {head_len} bytes, more than the {} a dump may hold",
            format::MAX_LINE
        )));
    }
    let file = file.try_clone().map_err(BackupError::io("write", output))?;
    let writer = DumpWriter::create(file, options.compression, head_len)
        .map_err(BackupError::io("write", output))?;
    let (blocks, writer_thread) = start_writer(writer, options.jobs);
    let tally = Arc::new(Tally::new(tables.clone(), progress));

    let read = async {
        if engine == Engine::Postgres {
            blocks.send(script::preamble(&manifest).into_bytes())?;
        }
        let parts = plan_parts(&mut tx, &tables).await?;
        let workers = Workers {
            db,
            postgres_snapshot: postgres_snapshot.as_deref(),
            tally: &tally,
            blocks: &blocks,
        };
        let hashers = workers.run(parts, options.jobs, &mut writers_held).await?;
        if engine == Engine::Postgres {
            blocks.send(script::tail().as_bytes().to_vec())?;
        }
        Ok::<_, BackupError>(hashers)
    };
    let read = read.await;
    drop(tx);
    release_writers(writers_held).await?;
    drop(blocks);
    let writer = writer_thread
        .join()
        .map_err(|_| BackupError::Refused("the dump writer stopped".into()))?;
    // A failed write (a full disk) is why the readers stopped: report it first.
    let writer = writer.map_err(BackupError::io("write", output))?;
    let hashers = read?;
    for (entry, hasher) in manifest.tables.iter_mut().zip(&hashers) {
        entry.rows = hasher.rows();
        entry.hash = hasher.finish();
    }
    let head = format::render_head(&manifest, head_len);
    let bytes = tokio::task::spawn_blocking(move || writer.finish(&head))
        .await
        .map_err(|e| BackupError::Refused(format!("the dump writer stopped: {e}")))?
        .map_err(BackupError::io("write", output))?;
    Ok((manifest, bytes))
}

/// The migrations the database has applied; refuses a database migrated by a newer binary.
async fn applied_migrations(db: &Db) -> Result<Vec<MigrationEntry>, BackupError> {
    let status = Migrator::embedded(db).verify().await?;
    if status.compatibility != Compatibility::Current {
        return Err(BackupError::Refused(
            "the database has migrations this binary does not know; dump it with the binary that migrated it".into(),
        ));
    }
    if !status
        .migrations
        .iter()
        .any(|m| m.state == MigrationState::Applied)
    {
        return Err(BackupError::NoSchema(db.url().to_string()));
    }
    let set = MigrationSet::embedded(db.engine());
    Ok(status
        .migrations
        .iter()
        .filter(|m| m.state == MigrationState::Applied)
        .filter_map(|m| set.get(m.id))
        .map(|m| MigrationEntry {
            id: m.id,
            name: m.name.clone(),
            checksum: m.checksum.clone(),
        })
        .collect())
}

/// The way to the writer thread, and the buffers it gives back once written.
///
/// Block buffers circulate: a reader fills one, the writer writes it and returns it empty,
/// the next block reuses it. Allocated on one thread and freed on another, 4 MiB buffers
/// made glibc keep freed blocks in every thread's arena, so peak RSS kept growing with the
/// number of blocks written (87 MB at 300 k rows, 118 MB at 1 M); now the same few buffers
/// (the blocks in flight, one per reader and one being written) serve the whole dump.
#[derive(Clone)]
struct Outbox {
    to: SyncSender<Vec<u8>>,
    spare: Arc<Spare>,
}

/// Empty block buffers waiting to be reused: never more than circulate at once.
struct Spare {
    buffers: Mutex<Vec<Vec<u8>>>,
    keep: usize,
}

impl Spare {
    fn new(jobs: usize) -> Spare {
        Spare {
            buffers: Mutex::new(Vec::new()),
            keep: BLOCKS_IN_FLIGHT + jobs.max(1) + 1,
        }
    }

    fn take(&self) -> Vec<u8> {
        self.buffers
            .lock()
            .expect("spare buffers lock")
            .pop()
            .unwrap_or_else(|| Vec::with_capacity(BLOCK_CAPACITY))
    }

    /// Keeps a block buffer for reuse; a smaller piece, or a buffer a long row grew, is
    /// dropped (so one long row does not pin its memory for the rest of the dump).
    fn give_back(&self, mut buf: Vec<u8>) {
        if !(BLOCK_BYTES..=BLOCK_CAPACITY).contains(&buf.capacity()) {
            return;
        }
        buf.clear();
        let mut buffers = self.buffers.lock().expect("spare buffers lock");
        if buffers.len() < self.keep {
            buffers.push(buf);
        }
    }
}

impl Outbox {
    /// Hands a piece to the writer; fails when the writer has stopped (its error says why).
    fn send(&self, piece: Vec<u8>) -> Result<(), BackupError> {
        self.to
            .send(piece)
            .map_err(|_| BackupError::Refused("the dump writer stopped".into()))
    }

    /// An empty block buffer: a written one given back, or a new one while too few circulate.
    fn buffer(&self) -> Vec<u8> {
        self.spare.take()
    }
}

/// The writer thread: appends each piece it receives, in the order received, and gives block
/// buffers back for reuse.
fn start_writer(
    mut writer: DumpWriter,
    jobs: usize,
) -> (Outbox, std::thread::JoinHandle<std::io::Result<DumpWriter>>) {
    let (to, receive): (_, Receiver<Vec<u8>>) = sync_channel(BLOCKS_IN_FLIGHT);
    let spare = Arc::new(Spare::new(jobs));
    let outbox = Outbox {
        to,
        spare: spare.clone(),
    };
    let thread = std::thread::spawn(move || {
        for piece in receive {
            writer.write_all(&piece)?;
            spare.give_back(piece);
        }
        Ok(writer)
    });
    (outbox, thread)
}

/// Rows and bytes read per table so far, for the progress bars, and the parts still running.
struct Tally {
    tables: Vec<TableInfo>,
    rows: Vec<AtomicU64>,
    bytes: Vec<AtomicU64>,
    parts_left: Vec<AtomicUsize>,
    progress: Arc<dyn Progress>,
}

impl Tally {
    fn new(tables: Vec<TableInfo>, progress: Arc<dyn Progress>) -> Tally {
        let zeros = |n| (0..n).map(|_| AtomicU64::new(0)).collect();
        Tally {
            rows: zeros(tables.len()),
            bytes: zeros(tables.len()),
            parts_left: (0..tables.len()).map(|_| AtomicUsize::new(1)).collect(),
            tables,
            progress,
        }
    }

    fn expect_parts(&self, table: usize, parts: usize) {
        self.parts_left[table].store(parts, Ordering::Relaxed);
    }

    fn add(&self, table: usize, rows: u64, bytes: u64) {
        let rows = self.rows[table].fetch_add(rows, Ordering::Relaxed) + rows;
        let bytes = self.bytes[table].fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.progress.rows(&self.tables[table].name, rows, bytes);
    }

    fn part_done(&self, table: usize) {
        if self.parts_left[table].fetch_sub(1, Ordering::Relaxed) == 1 {
            self.progress.done(
                &self.tables[table].name,
                self.rows[table].load(Ordering::Relaxed),
                self.bytes[table].load(Ordering::Relaxed),
            );
        }
    }
}

/// One data block being filled: `-- data:` and COPY lines, rows, and `\.` once full.
struct Block {
    buf: Vec<u8>,
    header: usize,
    rows: u64,
}

impl Block {
    fn new(table: &TableInfo, outbox: &Outbox) -> Block {
        let header = format!(
            "{}{}\n{}\n",
            format::DATA_PREFIX,
            table.name,
            format::copy_from_stdin(&table.name, &table.columns)
        );
        let mut buf = outbox.buffer();
        buf.extend_from_slice(header.as_bytes());
        Block {
            header: buf.len(),
            buf,
            rows: 0,
        }
    }

    /// What stands in for a block between shipping it and taking the next one's buffer.
    fn shipped() -> Block {
        Block {
            buf: Vec::new(),
            header: 0,
            rows: 0,
        }
    }

    fn data(&self) -> &[u8] {
        &self.buf[self.header..]
    }

    fn is_full(&self) -> bool {
        self.buf.len() >= BLOCK_BYTES && self.buf.last() == Some(&b'\n')
    }

    /// Closes the block and hands it to the writer; an empty block's buffer is kept for reuse.
    fn ship(mut self, tally: &Tally, table: usize, to: &Outbox) -> Result<(), BackupError> {
        let bytes = self.data().len() as u64;
        if bytes == 0 {
            to.spare.give_back(self.buf);
            return Ok(());
        }
        tally.add(table, self.rows, bytes);
        self.buf.extend_from_slice(b"\\.\n");
        to.send(self.buf)
    }
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
            // Two subqueries: SQLite answers a lone min() or max() from the end of the
            // B-tree, but both in one SELECT scan the whole table.
            let table = quote_ident(&info.name);
            let sql = format!(
                "SELECT (SELECT min(id) FROM {table}) AS lo, (SELECT max(id) FROM {table}) AS hi"
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
                        ids: Some((start, end)),
                    });
                    start = end + 1;
                }
            }
            _ => parts.push(Part {
                table: index,
                ids: None,
            }),
        }
    }
    Ok(parts)
}

/// SQLite: takes the write lock (waiting for a running write to finish), so nothing commits
/// while the dump's readers begin their read transactions, and they all see the same last
/// commit; released by `release_writers` once they have.
async fn hold_writers(db: &Db) -> Result<Conn, BackupError> {
    let mut lock = db.dedicated().await?;
    lock.batch_execute("BEGIN IMMEDIATE").await?;
    Ok(lock)
}

async fn release_writers(held: Option<Conn>) -> Result<(), BackupError> {
    if let Some(mut lock) = held {
        lock.batch_execute("ROLLBACK").await?;
    }
    Ok(())
}

/// The parallel readers: each takes parts from a shared queue, reads them in the snapshot,
/// and ships their blocks to the writer.
struct Workers<'a> {
    db: &'a Db,
    postgres_snapshot: Option<&'a str>,
    tally: &'a Arc<Tally>,
    blocks: &'a Outbox,
}

/// The parts still to read, shared by the workers (the next one at the end).
type Queue = Arc<Mutex<Vec<Part>>>;

impl Workers<'_> {
    async fn run(
        self,
        parts: Vec<Part>,
        jobs: usize,
        writers_held: &mut Option<Conn>,
    ) -> Result<Vec<RowHasher>, BackupError> {
        let tally = self.tally;
        for (table, _) in tally.tables.iter().enumerate() {
            tally.expect_parts(table, parts.iter().filter(|p| p.table == table).count());
        }
        let jobs = jobs.max(1);
        let queue: Queue = Arc::new(Mutex::new(parts.into_iter().rev().collect()));
        let (pinned, mut all_pinned) = tokio::sync::mpsc::channel::<()>(jobs);
        let workers: Vec<_> = (0..jobs)
            .map(|_| {
                tokio::spawn(read_parts(
                    self.db.clone(),
                    self.postgres_snapshot.map(String::from),
                    queue.clone(),
                    (tally.clone(), self.blocks.clone()),
                    pinned.clone(),
                ))
            })
            .collect();
        drop(pinned);
        // Every reader has its snapshot (or has failed): writers may go on.
        while all_pinned.recv().await.is_some() {}
        release_writers(writers_held.take()).await?;
        let mut all = vec![RowHasher::default(); tally.tables.len()];
        let mut failed = None;
        for worker in workers {
            let result = worker.await.unwrap_or_else(|e| {
                Err(BackupError::Refused(format!("a dump worker stopped: {e}")))
            });
            match result {
                Ok(hashers) => all.iter_mut().zip(&hashers).for_each(|(a, h)| a.merge(h)),
                Err(e) => failed = failed.or(Some(e)),
            }
        }
        failed.map_or(Ok(all), Err)
    }
}

/// One worker: opens its connection in the dump's snapshot (PostgreSQL: the exported one;
/// SQLite: its own read transaction, begun while writers are held off), says so on `pinned`,
/// then reads parts until the queue is empty. Returns its row hashes per table.
async fn read_parts(
    db: Db,
    postgres_snapshot: Option<String>,
    queue: Queue,
    (tally, blocks): (Arc<Tally>, Outbox),
    pinned: tokio::sync::mpsc::Sender<()>,
) -> Result<Vec<RowHasher>, BackupError> {
    let sqlite = postgres_snapshot.is_none();
    let mut conn = if sqlite {
        db.dedicated().await?
    } else {
        db.conn().await?
    };
    if sqlite {
        // Pages read through a memory map rather than a read() each.
        conn.batch_execute(SQLITE_MMAP_ON).await?;
    }
    let mut tx = conn.read_transaction(postgres_snapshot.as_deref()).await?;
    if sqlite {
        // A SQLite read transaction takes its snapshot at its first read.
        tx.query("SELECT 1 FROM sqlite_master LIMIT 1", &[]).await?;
    }
    let _ = pinned.send(()).await;
    drop(pinned);
    let mut hashers = vec![RowHasher::default(); tally.tables.len()];
    loop {
        let next = queue.lock().expect("queue lock").pop();
        let Some(part) = next else { break };
        let hasher = if sqlite {
            select_part(&mut tx, &part, &tally, &blocks).await?
        } else {
            copy_part(&mut tx, &part, &tally, &blocks).await?
        };
        hashers[part.table].merge(&hasher);
        tally.part_done(part.table);
    }
    Ok(hashers)
}

/// `"a", "b", …`: the table's columns, quoted, in manifest order.
fn column_list(table: &TableInfo) -> String {
    let quoted: Vec<String> = table.columns.iter().map(|c| quote_ident(&c.name)).collect();
    quoted.join(", ")
}

/// Refuses a row longer than a reader accepts: the dump would not be restorable.
fn check_row_length(len: usize) -> Result<(), String> {
    if len > format::MAX_ROW_LINE {
        return Err(format!(
            "a row takes {len} bytes as COPY text, more than the {} MiB a dump row may hold (docs/dump-format.md)",
            format::MAX_ROW_LINE >> 20
        ));
    }
    Ok(())
}

/// PostgreSQL: the server's own COPY text, cut into blocks and hashed row by row.
async fn copy_part(
    tx: &mut Tx<'_>,
    part: &Part,
    tally: &Tally,
    blocks: &Outbox,
) -> Result<RowHasher, BackupError> {
    let table = &tally.tables[part.table];
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
    let mut hasher = RowHasher::default();
    let mut block = Block::new(table, blocks);
    // Hashing and handing over a block is blocking work: off the async worker's clock.
    let ship = |block: Block, hasher: &mut RowHasher| {
        tokio::task::block_in_place(|| {
            let before = hasher.rows();
            copytext::for_each_line(&mut Vec::new(), block.data(), |line| {
                check_row_length(line.len())?;
                hasher.add_copy_line(line, &table.columns)
            })
            .map_err(bad_row)?;
            let mut block = block;
            block.rows = hasher.rows() - before;
            block.ship(tally, part.table, blocks)
        })
    };
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| bad_row(e.to_string()))?;
        block.buf.extend_from_slice(&chunk);
        if block.is_full() {
            // Shipped before the next block takes a buffer, so it may get the one the
            // writer just gave back.
            ship(std::mem::replace(&mut block, Block::shipped()), &mut hasher)?;
            block = Block::new(table, blocks);
        }
    }
    if block.buf.last().is_some_and(|&b| b != b'\n') && !block.data().is_empty() {
        return Err(bad_row("the last row has no newline".into()));
    }
    ship(block, &mut hasher)?;
    Ok(hasher)
}

/// SQLite: a part's rows read in the snapshot transaction, brought to their logical types,
/// encoded as COPY text and hashed as they are read.
async fn select_part(
    tx: &mut Tx<'_>,
    part: &Part,
    tally: &Tally,
    blocks: &Outbox,
) -> Result<RowHasher, BackupError> {
    let table = &tally.tables[part.table];
    let mut sql = format!(
        "SELECT {} FROM {}",
        column_list(table),
        quote_ident(&table.name)
    );
    if let Some((lo, hi)) = part.ids {
        sql.push_str(&format!(" WHERE id BETWEEN {lo} AND {hi}"));
    }
    let failed = |problem: String| BackupError::Table {
        table: table.name.clone(),
        problem,
    };
    let mut hasher = RowHasher::default();
    let mut block = Block::new(table, blocks);
    let mut shipped = Ok(());
    tx.for_each_row(&sql, |values| {
        let before = block.buf.len();
        copytext::encode_row_as(&mut block.buf, values, &table.columns)?;
        check_row_length(block.buf.len() - before - 1)?;
        hasher.add_as(values, &table.columns)?;
        block.rows += 1;
        if block.is_full() {
            shipped =
                std::mem::replace(&mut block, Block::shipped()).ship(tally, part.table, blocks);
            if shipped.is_err() {
                return Err("the dump writer stopped".into());
            }
            block = Block::new(table, blocks);
        }
        Ok(())
    })
    .await
    .map_err(|e| shipped.err().unwrap_or_else(|| failed(e.to_string())))?;
    block.ship(tally, part.table, blocks)?;
    Ok(hasher)
}

/// Dumps the database into the file `output`, written atomically with mode 0600
/// (`AtomicFile`): used by `dump`, by `upgrade`'s dump before the swap and by backup sets.
/// Returns the manifest and the uncompressed size.
pub async fn dump_to_file(
    db: &Db,
    output: &Path,
    options: DumpOptions,
    progress: Arc<dyn Progress>,
    force: bool,
) -> Result<(Manifest, u64), BackupError> {
    let mut file = AtomicFile::create(output, force).map_err(BackupError::io("create", output))?;
    let (manifest, bytes) = dump(db, file.file(), output, options, progress).await?;
    file.commit().map_err(BackupError::io("write", output))?;
    Ok((manifest, bytes))
}

/// Dumps the database to `out` (standard output): written to an unnamed temporary file first,
/// because the manifest at the top is known only at the end, then copied.
pub async fn dump_to_stream(
    db: &Db,
    out: &mut impl Write,
    options: DumpOptions,
    progress: Arc<dyn Progress>,
) -> Result<(Manifest, u64), BackupError> {
    let temp = std::env::temp_dir();
    let mut file = tempfile::tempfile_in(&temp)
        .map_err(BackupError::io("create a temporary file in", &temp))?;
    let (manifest, bytes) = dump(db, &file, &temp, options, progress).await?;
    file.rewind().map_err(BackupError::io("read back", &temp))?;
    let stdout = Path::new("standard output");
    std::io::copy(&mut file, out).map_err(BackupError::io("write", stdout))?;
    out.flush().map_err(BackupError::io("write", stdout))?;
    Ok((manifest, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_buffers_are_reused_and_never_more_kept_than_circulate() {
        let spare = Spare::new(2);
        let first = spare.take();
        assert_eq!(first.capacity(), BLOCK_CAPACITY);
        let at = first.as_ptr();
        spare.give_back(first);
        // The buffer given back is the next one taken: no new allocation per block.
        let again = spare.take();
        assert_eq!(again.as_ptr(), at);
        assert!(again.is_empty());
        // A piece that is not a block buffer, or one a long row grew, is not kept.
        spare.give_back(vec![1, 2, 3]);
        spare.give_back(Vec::with_capacity(4 * BLOCK_CAPACITY));
        assert_eq!(spare.buffers.lock().unwrap().len(), 0);
        for _ in 0..3 * spare.keep {
            spare.give_back(Vec::with_capacity(BLOCK_CAPACITY));
        }
        assert_eq!(spare.buffers.lock().unwrap().len(), spare.keep);
    }
}
