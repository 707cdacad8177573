//! Re-hashing a dump's data rows against its manifest on a thread of its own, so reading and
//! decompressing the file and checking its rows use both cores. The rows waiting for the
//! checker are bounded in bytes (`Budget`), not only in batches, so long rows cannot pile up.

use std::sync::{
    Arc,
    mpsc::{SyncSender, sync_channel},
};

use super::{
    budget::{Budget, CloseOnDrop},
    copytext::{self, RowHasher},
    format::TableEntry,
};

/// Rows are handed over in batches of about this many bytes.
const BATCH_BYTES: usize = 1 << 18;
/// Bytes handed over and not yet checked, at most (one longer row still goes alone).
const BYTES_IN_FLIGHT: usize = 4 << 20;

/// Lines of one table's data, newline-terminated, with the offset of the first.
enum Batch {
    Rows {
        table: usize,
        start: u64,
        lines: Vec<u8>,
    },
    End {
        table: usize,
        start: u64,
        end: u64,
    },
}

/// Tables are compared with the manifest at the end (a table may come in several blocks).
pub struct RowChecker {
    send: Option<SyncSender<Batch>>,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
    budget: Arc<Budget>,
    pending: Vec<u8>,
    pending_start: u64,
}

impl RowChecker {
    pub fn start(format: u32, tables: Vec<TableEntry>) -> RowChecker {
        let (send, receive) = sync_channel::<Batch>(16);
        let budget = Arc::new(Budget::new(BYTES_IN_FLIGHT));
        let theirs = budget.clone();
        let thread = std::thread::spawn(move || {
            let _closed = CloseOnDrop(&theirs);
            let mut hashers = vec![RowHasher::for_format(format); tables.len()];
            let mut spans: Vec<Option<(u64, u64)>> = vec![None; tables.len()];
            for batch in receive {
                match batch {
                    Batch::Rows {
                        table,
                        start,
                        lines,
                    } => {
                        check_rows(&mut hashers[table], &tables[table], start, &lines)?;
                        theirs.give(lines.len());
                    }
                    Batch::End { table, start, end } => {
                        let span = spans[table].get_or_insert((start, end));
                        span.1 = end;
                    }
                }
            }
            compare(&tables, &hashers, &spans)
        });
        RowChecker {
            send: Some(send),
            thread: Some(thread),
            budget,
            pending: Vec::new(),
            pending_start: 0,
        }
    }

    fn send(&mut self, batch: Batch) -> Result<(), String> {
        let bytes = match &batch {
            Batch::Rows { lines, .. } => lines.len(),
            Batch::End { .. } => 0,
        };
        let delivered =
            self.budget.take(bytes) && self.send.as_ref().is_some_and(|s| s.send(batch).is_ok());
        if delivered { Ok(()) } else { self.finish() }
    }

    /// One row of `table` at byte `offset`, without its newline.
    pub fn row(&mut self, table: usize, offset: u64, line: &[u8]) -> Result<(), String> {
        if !self.pending.is_empty() && self.pending.len() + line.len() >= BATCH_BYTES {
            self.flush(table)?;
        }
        if self.pending.is_empty() {
            self.pending_start = offset;
        }
        self.pending.extend_from_slice(line);
        self.pending.push(b'\n');
        if self.pending.len() >= BATCH_BYTES {
            self.flush(table)?;
        }
        Ok(())
    }

    fn flush(&mut self, table: usize) -> Result<(), String> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let lines = std::mem::take(&mut self.pending);
        self.send(Batch::Rows {
            table,
            start: self.pending_start,
            lines,
        })
    }

    /// The block of `table` that spans bytes `start..end` has ended.
    pub fn end(&mut self, table: usize, start: u64, end: u64) -> Result<(), String> {
        self.flush(table)?;
        self.send(Batch::End { table, start, end })
    }

    /// Waits for every row to be checked; the first problem found, if any.
    pub fn finish(&mut self) -> Result<(), String> {
        self.send = None;
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err("the row checker stopped".into()),
            None => Ok(()),
        }
    }
}

fn check_rows(
    hasher: &mut RowHasher,
    table: &TableEntry,
    start: u64,
    lines: &[u8],
) -> Result<(), String> {
    let mut offset = start;
    copytext::for_each_line(&mut Vec::new(), lines, |line| {
        hasher
            .add_copy_line(line, &table.columns)
            .map_err(|e| format!("table {}: damaged row at byte {offset}: {e}", table.name))?;
        offset += line.len() as u64 + 1;
        Ok::<_, String>(())
    })
}

fn compare(
    tables: &[TableEntry],
    hashers: &[RowHasher],
    spans: &[Option<(u64, u64)>],
) -> Result<(), String> {
    for ((t, h), span) in tables.iter().zip(hashers).zip(spans) {
        if h.rows() != t.rows || h.finish() != t.hash {
            let place = span.map_or("no bytes".to_string(), |(a, b)| format!("bytes {a}..{b}"));
            return Err(format!(
                "table {}: {place} do not match the manifest ({} rows read, {} expected, or a changed value)",
                t.name,
                h.rows(),
                t.rows
            ));
        }
    }
    Ok(())
}
