//! Re-hashing a dump's data rows against its manifest on a thread of its own, so reading and
//! decompressing the file and checking its rows use both cores. The rows waiting for the
//! checker are bounded in bytes (`Budget`), not only in batches, so long rows cannot pile up.
//! A batch is shared (`Bytes`): a restore loads the very bytes the checker reads, no copy.

use std::sync::{
    Arc,
    mpsc::{SyncSender, sync_channel},
};

use bytes::Bytes;

use super::{
    budget::{Budget, CloseOnDrop},
    copytext::{self, RowHasher},
    format::TableEntry,
};

/// Rows are handed over in batches of about this many bytes, unless the caller asks for
/// other sizes (a restore: its pieces).
pub const BATCH_BYTES: usize = 1 << 18;
/// Batches handed over and not yet checked: this many bytes or two batches, whichever is more
/// (one longer row still goes alone).
const BYTES_IN_FLIGHT: usize = 4 << 20;

/// Lines of one table's data, newline-terminated, with the offset of the first.
enum Batch {
    Rows {
        table: usize,
        start: u64,
        lines: Bytes,
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
    batch_bytes: usize,
}

impl RowChecker {
    /// Starts the checking thread; rows go to it in batches of about `batch_bytes`.
    pub fn start(format: u32, tables: Vec<TableEntry>, batch_bytes: usize) -> RowChecker {
        let (send, receive) = sync_channel::<Batch>(16);
        let budget = Arc::new(Budget::new(BYTES_IN_FLIGHT.max(2 * batch_bytes)));
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
            pending: Vec::with_capacity(batch_bytes),
            pending_start: 0,
            batch_bytes,
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

    /// One row of `table` at byte `offset`, without its newline. Returns the batch of whole,
    /// newline-terminated rows this row completed, if it did, as handed to the checker.
    pub fn row(&mut self, table: usize, offset: u64, line: &[u8]) -> Result<Option<Bytes>, String> {
        let mut full = None;
        if !self.pending.is_empty() && self.pending.len() + line.len() >= self.batch_bytes {
            full = self.flush(table)?;
        }
        if self.pending.is_empty() {
            self.pending_start = offset;
        }
        self.pending.extend_from_slice(line);
        self.pending.push(b'\n');
        // At most one batch per call: a row that fills a batch right after one was sent waits
        // for the next call (or the block's end).
        if full.is_none() && self.pending.len() >= self.batch_bytes {
            full = self.flush(table)?;
        }
        Ok(full)
    }

    fn flush(&mut self, table: usize) -> Result<Option<Bytes>, String> {
        if self.pending.is_empty() {
            return Ok(None);
        }
        let next = Vec::with_capacity(self.batch_bytes);
        let lines = Bytes::from(std::mem::replace(&mut self.pending, next));
        self.send(Batch::Rows {
            table,
            start: self.pending_start,
            lines: lines.clone(),
        })?;
        Ok(Some(lines))
    }

    /// The block of `table` that spans bytes `start..end` has ended. Returns its last batch.
    pub fn end(&mut self, table: usize, start: u64, end: u64) -> Result<Option<Bytes>, String> {
        let last = self.flush(table)?;
        self.send(Batch::End { table, start, end })?;
        Ok(last)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::format::{Column, ColumnType};

    fn table(rows: &[Vec<u8>]) -> TableEntry {
        let columns = vec![
            Column {
                name: "id".into(),
                ty: ColumnType::Int,
            },
            Column {
                name: "body".into(),
                ty: ColumnType::Text,
            },
        ];
        let mut hasher = RowHasher::for_format(3);
        for row in rows {
            hasher.add_copy_line(row, &columns).unwrap();
        }
        TableEntry {
            name: "t".into(),
            columns,
            rows: rows.len() as u64,
            hash: hasher.finish(),
        }
    }

    /// Feeds `rows` as one block; the batches handed back, and the checker's verdict.
    fn check(
        entry: TableEntry,
        rows: &[Vec<u8>],
        batch: usize,
    ) -> (Vec<Bytes>, Result<(), String>) {
        let mut checker = RowChecker::start(3, vec![entry], batch);
        let mut batches = Vec::new();
        let mut offset = 0;
        for row in rows {
            batches.extend(checker.row(0, offset, row).unwrap());
            offset += row.len() as u64 + 1;
        }
        batches.extend(checker.end(0, 0, offset).unwrap());
        (batches, checker.finish())
    }

    #[test]
    fn batches_handed_back_are_every_row_once_in_order() {
        let rows: Vec<Vec<u8>> = (0..500)
            .map(|i| format!("{i}\t{}", "ab\\\\n".repeat((i * 37) % 300)).into_bytes())
            .chain([format!("500\t{}", "z".repeat(5000)).into_bytes()])
            .chain((501..520).map(|i| format!("{i}\tshort").into_bytes()))
            .collect();
        let mut all = Vec::new();
        for row in &rows {
            all.extend_from_slice(row);
            all.push(b'\n');
        }
        for batch in [1, 100, 1000, 4096, 1 << 20] {
            let (batches, verdict) = check(table(&rows), &rows, batch);
            assert_eq!(verdict, Ok(()), "batches of {batch}");
            assert_eq!(batches.concat(), all, "batches of {batch}");
            assert!(batches.iter().all(|b| b.ends_with(b"\n") && !b.is_empty()));
            if batch == 1 {
                assert_eq!(batches.len(), rows.len(), "one row per batch");
            }
        }
        // A changed row fails the check, whatever the batch size.
        let mut changed = rows.clone();
        changed[250][0] = b'9';
        for batch in [1, 4096, 1 << 20] {
            let (_, verdict) = check(table(&rows), &changed, batch);
            assert!(verdict.unwrap_err().contains("do not match the manifest"));
        }
    }
}
