//! Reading a dump back: decompression detected from the bytes, the manifest, every data block
//! re-hashed against the manifest, and the trailer's hash over everything before it. A
//! truncated file, a changed byte or a foreign file is an error that names the table or the
//! byte range; callers get the data lines as they pass.

use std::{
    fs::File,
    io::{BufRead, BufReader, Read, Seek, SeekFrom},
    os::unix::fs::FileExt,
    path::Path,
};

use super::{
    BackupError,
    copytext::{self, RowHasher},
    format::{self, Manifest, TableEntry, Trailer},
    output::{SEAL_LABEL, SEAL_LABEL_HEAD_LAST, SEAL_MAGIC, raw_zstd_frame_len},
};

const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// What a scan hands to its caller.
pub enum Event<'a> {
    /// The data block of the manifest's table at this index begins.
    Begin(usize),
    /// One data line of the current table, without its newline.
    Row(&'a [u8]),
    /// The table's block ended and matched its manifest entry.
    End,
}

/// The result of a complete, successful scan.
#[derive(Debug)]
pub struct Scan {
    pub manifest: Manifest,
    /// Uncompressed bytes covered by the trailer's hash.
    pub bytes: u64,
}

/// The uncompressed bytes of the file, and whether it was compressed (then its seal, which
/// covers every byte of the file, has been checked).
fn open(path: &Path) -> Result<(Box<dyn BufRead + Send>, bool), BackupError> {
    let mut file = File::open(path).map_err(BackupError::io(path))?;
    let mut magic = [0u8; 4];
    let n = file.read(&mut magic).map_err(BackupError::io(path))?;
    let head = std::io::Cursor::new(magic[..n].to_vec());
    let chained = head.chain(file);
    if n == 4 && magic == ZSTD_MAGIC {
        check_seal(path)?;
        let decoder = zstd::stream::read::Decoder::new(chained).map_err(BackupError::io(path))?;
        Ok((Box::new(BufReader::with_capacity(1 << 20, decoder)), true))
    } else {
        Ok((Box::new(BufReader::with_capacity(1 << 20, chained)), false))
    }
}

/// A compressed dump ends with a skippable frame holding the BLAKE3 of every byte before it.
fn check_seal(path: &Path) -> Result<(), BackupError> {
    let corrupt = |problem: String| BackupError::Corrupt {
        file: path.display().to_string(),
        problem,
    };
    let mut file = File::open(path).map_err(BackupError::io(path))?;
    let size = file.metadata().map_err(BackupError::io(path))?.len();
    let seal_len = (8 + SEAL_LABEL.len() + 32) as u64;
    if size < seal_len + 4 {
        return Err(corrupt(format!(
            "the compressed file is truncated ({size} bytes)"
        )));
    }
    let body = size - seal_len;
    let mut seal = vec![0u8; seal_len as usize];
    file.read_exact_at(&mut seal, body)
        .map_err(BackupError::io(path))?;
    let expected_head = [
        SEAL_MAGIC.to_le_bytes(),
        ((SEAL_LABEL.len() + 32) as u32).to_le_bytes(),
    ]
    .concat();
    let label = &seal[8..8 + SEAL_LABEL.len()];
    if seal[..8] != expected_head[..] || (label != SEAL_LABEL && label != SEAL_LABEL_HEAD_LAST) {
        return Err(corrupt(
            "the compressed file is truncated or its end is damaged (no seal)".into(),
        ));
    }
    // Format 2 writes its head frame last and hashes it last.
    let head = if label == SEAL_LABEL_HEAD_LAST {
        let mut first = [0u8; 9];
        file.read_exact_at(&mut first, 0)
            .map_err(BackupError::io(path))?;
        raw_zstd_frame_len(&first)
            .filter(|&len| len <= body)
            .ok_or_else(|| corrupt("the head of the compressed file is damaged".into()))?
    } else {
        0
    };
    let mut hasher = blake3::Hasher::new();
    file.seek(SeekFrom::Start(head))
        .map_err(BackupError::io(path))?;
    std::io::copy(&mut (&mut file).take(body - head), &mut hasher)
        .map_err(BackupError::io(path))?;
    file.rewind().map_err(BackupError::io(path))?;
    std::io::copy(&mut (&mut file).take(head), &mut hasher).map_err(BackupError::io(path))?;
    if seal[8 + SEAL_LABEL.len()..] != hasher.finalize().as_bytes()[..] {
        return Err(corrupt(format!(
            "compressed bytes 0..{body} do not match the seal's hash"
        )));
    }
    Ok(())
}

struct Lines {
    input: Box<dyn BufRead + Send>,
    line: Vec<u8>,
    hasher: blake3::Hasher,
    /// Format 2: the hash of the head (magic and manifest lines), kept apart from the body's.
    head_hash: Option<String>,
    offset: u64,
    file: String,
}

impl Lines {
    fn corrupt(&self, problem: impl Into<String>) -> BackupError {
        BackupError::Corrupt {
            file: self.file.clone(),
            problem: problem.into(),
        }
    }

    /// Reads the next line; false at the end. A last line without a newline means the file
    /// was cut short.
    fn advance(&mut self) -> Result<bool, BackupError> {
        self.line.clear();
        let n = self.input.read_until(b'\n', &mut self.line).map_err(|e| {
            self.corrupt(format!(
                "cannot read past byte {} of the uncompressed data: {e}",
                self.offset
            ))
        })?;
        if n == 0 {
            return Ok(false);
        }
        if self.line.last() != Some(&b'\n') {
            return Err(self.corrupt(format!(
                "the file is truncated at byte {}",
                self.offset + n as u64
            )));
        }
        Ok(true)
    }

    /// The current line without its newline.
    fn current(&self) -> &[u8] {
        &self.line[..self.line.len().saturating_sub(1)]
    }

    /// The next line, or `None` at the end.
    fn next(&mut self) -> Result<Option<&[u8]>, BackupError> {
        Ok(if self.advance()? {
            Some(self.current())
        } else {
            None
        })
    }

    /// Adds the current line to the running hash.
    fn consume(&mut self) {
        self.hasher.update(&self.line);
        self.offset += self.line.len() as u64;
    }
}

/// Whether a scan re-hashes every row against the manifest, or (for a second pass over a
/// file already checked) relies on the trailer's hash of all bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows {
    Verify,
    TrustChecked,
}

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

/// Re-hashes data rows against the manifest on a thread of its own, so reading and
/// decompressing the file and checking its rows use both cores. Tables are compared with
/// the manifest at the end (format 2 may hold a table in several blocks).
struct RowChecker {
    send: Option<std::sync::mpsc::SyncSender<Batch>>,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
    pending: Vec<u8>,
    pending_start: u64,
}

const BATCH_BYTES: usize = 1 << 18;

impl RowChecker {
    fn start(format: u32, tables: Vec<TableEntry>) -> RowChecker {
        let (send, receive) = std::sync::mpsc::sync_channel::<Batch>(4);
        let thread = std::thread::spawn(move || {
            let mut hashers = vec![RowHasher::for_format(format); tables.len()];
            let mut spans: Vec<Option<(u64, u64)>> = vec![None; tables.len()];
            for batch in receive {
                match batch {
                    Batch::Rows {
                        table,
                        start,
                        lines,
                    } => {
                        let mut offset = start;
                        let t = &tables[table];
                        copytext::for_each_line(&mut Vec::new(), &lines, |line| {
                            hashers[table]
                                .add_copy_line(line, &t.columns)
                                .map_err(|e| {
                                    format!("table {}: damaged row at byte {offset}: {e}", t.name)
                                })?;
                            offset += line.len() as u64 + 1;
                            Ok::<_, String>(())
                        })?;
                    }
                    Batch::End { table, start, end } => {
                        let span = spans[table].get_or_insert((start, end));
                        span.1 = end;
                    }
                }
            }
            for ((t, h), span) in tables.iter().zip(&hashers).zip(&spans) {
                if h.rows() != t.rows || h.finish() != t.hash {
                    let place =
                        span.map_or("no bytes".to_string(), |(a, b)| format!("bytes {a}..{b}"));
                    return Err(format!(
                        "table {}: {place} do not match the manifest ({} rows read, {} expected, or a changed value)",
                        t.name,
                        h.rows(),
                        t.rows
                    ));
                }
            }
            Ok(())
        });
        RowChecker {
            send: Some(send),
            thread: Some(thread),
            pending: Vec::new(),
            pending_start: 0,
        }
    }

    fn send(&mut self, batch: Batch) -> Result<(), String> {
        let delivered = self.send.as_ref().is_some_and(|s| s.send(batch).is_ok());
        if delivered { Ok(()) } else { self.finish() }
    }

    fn row(&mut self, table: usize, offset: u64, line: &[u8]) -> Result<(), String> {
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

    fn end(&mut self, table: usize, start: u64, end: u64) -> Result<(), String> {
        self.flush(table)?;
        self.send(Batch::End { table, start, end })
    }

    /// Waits for every row to be checked; the first problem found, if any.
    fn finish(&mut self) -> Result<(), String> {
        self.send = None;
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err("the row checker stopped".into()),
            None => Ok(()),
        }
    }
}

/// What a restore checks before it touches anything: for a compressed file its seal, which
/// covers every byte of the file, and its manifest; for a plain file a full pass over the
/// bytes against the trailer's hash (rows are re-hashed while they load).
pub fn precheck(path: &Path) -> Result<Manifest, BackupError> {
    let (lines, manifest, sealed) = open_head(path)?;
    if sealed {
        return Ok(manifest);
    }
    scan_body(lines, manifest, Rows::TrustChecked, |_| Ok(())).map(|s| s.manifest)
}

/// Opens the dump and reads its magic and manifest lines; also says whether the file is
/// compressed and its seal was checked.
fn open_head(path: &Path) -> Result<(Lines, Manifest, bool), BackupError> {
    let (input, sealed) = open(path)?;
    let mut lines = Lines {
        input,
        line: Vec::new(),
        hasher: blake3::Hasher::new(),
        head_hash: None,
        offset: 0,
        file: path.display().to_string(),
    };
    read_magic(&mut lines)?;
    let manifest = read_manifest(&mut lines)?;
    Ok((lines, manifest, sealed))
}

fn read_magic(lines: &mut Lines) -> Result<(), BackupError> {
    if lines.next()? != Some(format::MAGIC_LINE.as_bytes()) {
        return Err(lines.corrupt("it does not start with `-- paideia dump`"));
    }
    lines.consume();
    Ok(())
}

/// Reads the whole dump at `path`, checking it, and calls `on` for each event.
pub fn scan(
    path: &Path,
    rows: Rows,
    on: impl FnMut(Event<'_>) -> Result<(), BackupError>,
) -> Result<Scan, BackupError> {
    let (lines, manifest, _) = open_head(path)?;
    scan_body(lines, manifest, rows, on)
}

/// Reads what follows the manifest: the data blocks and the trailer.
fn scan_body(
    mut lines: Lines,
    manifest: Manifest,
    rows: Rows,
    mut on: impl FnMut(Event<'_>) -> Result<(), BackupError>,
) -> Result<Scan, BackupError> {
    let mut seen = vec![false; manifest.tables.len()];
    let mut checker =
        (rows == Rows::Verify).then(|| RowChecker::start(manifest.format, manifest.tables.clone()));

    loop {
        if !lines.advance()? {
            return Err(lines.corrupt(format!(
                "the file is truncated: no trailer after byte {}",
                lines.offset
            )));
        }
        let line = lines.current();
        if let Some(json) = line.strip_prefix(format::TRAILER_PREFIX.as_bytes()) {
            if let Some(checker) = checker.as_mut() {
                checker.finish().map_err(|e| lines.corrupt(e))?;
            }
            let trailer: Trailer = serde_json::from_slice(json)
                .map_err(|_| lines.corrupt("the trailer is damaged"))?;
            check_trailer(&mut lines, &trailer)?;
            // Format 2 leaves out the blocks of empty tables; their row count says so.
            if let Some(i) = seen.iter().position(|s| !s).filter(|_| manifest.format < 2) {
                return Err(lines.corrupt(format!(
                    "table {} has no data block",
                    manifest.tables[i].name
                )));
            }
            return Ok(Scan {
                bytes: lines.offset,
                manifest,
            });
        }
        let table_name = line
            .strip_prefix(format::DATA_PREFIX.as_bytes())
            .map(|n| String::from_utf8_lossy(n).into_owned());
        lines.consume();
        if let Some(name) = table_name {
            let index = manifest
                .tables
                .iter()
                .position(|t| t.name == name)
                .ok_or_else(|| {
                    lines.corrupt(format!(
                        "data for table {name}, which the manifest does not list"
                    ))
                })?;
            if std::mem::replace(&mut seen[index], true) && manifest.format < 2 {
                return Err(lines.corrupt(format!("table {name} has two data blocks")));
            }
            read_block(
                &mut lines,
                index,
                &manifest.tables[index],
                checker.as_mut(),
                &mut on,
            )?;
        }
    }
}

fn read_manifest(lines: &mut Lines) -> Result<Manifest, BackupError> {
    if !lines.advance()? {
        return Err(lines.corrupt("the manifest is missing"));
    }
    let json = lines
        .current()
        .strip_prefix(format::MANIFEST_PREFIX.as_bytes())
        .ok_or_else(|| lines.corrupt("the second line is not the manifest"))?;
    let manifest: Manifest = serde_json::from_slice(json)
        .map_err(|e| lines.corrupt(format!("the manifest is damaged: {e}")))?;
    if manifest.format > format::FORMAT_VERSION {
        return Err(BackupError::TooNew {
            needs: manifest.paideia_version.clone(),
            schema: manifest.schema_version,
            known: crate::migrate::MigrationSet::embedded(manifest.engine).schema_version(),
        });
    }
    lines.consume();
    if manifest.format >= 2 {
        let head = std::mem::replace(&mut lines.hasher, blake3::Hasher::new());
        lines.head_hash = Some(head.finalize().to_hex().to_string());
    }
    Ok(manifest)
}

fn read_block(
    lines: &mut Lines,
    index: usize,
    table: &TableEntry,
    mut checker: Option<&mut RowChecker>,
    on: &mut impl FnMut(Event<'_>) -> Result<(), BackupError>,
) -> Result<(), BackupError> {
    let start = lines.offset;
    let expected = format::copy_from_stdin(&table.name, &table.columns);
    if lines.next()? != Some(expected.as_bytes()) {
        return Err(lines.corrupt(format!(
            "table {}: the COPY line at byte {start} is damaged",
            table.name
        )));
    }
    lines.consume();
    on(Event::Begin(index))?;
    loop {
        let offset = lines.offset;
        if !lines.advance()? {
            return Err(lines.corrupt(format!(
                "table {}: the file ends inside its data (byte {offset})",
                table.name
            )));
        }
        let line = lines.current();
        if line == format::END_OF_DATA.as_bytes() {
            lines.consume();
            break;
        }
        if let Some(checker) = checker.as_mut() {
            checker
                .row(index, offset, line)
                .map_err(|e| lines.corrupt(e))?;
        }
        on(Event::Row(line))?;
        lines.consume();
    }
    if let Some(checker) = checker {
        checker
            .end(index, start, lines.offset)
            .map_err(|e| lines.corrupt(e))?;
    }
    on(Event::End)
}

fn check_trailer(lines: &mut Lines, trailer: &Trailer) -> Result<(), BackupError> {
    let actual = lines.hasher.finalize().to_hex().to_string();
    if trailer.bytes != lines.offset
        || trailer.blake3 != actual
        || trailer.head_blake3 != lines.head_hash
    {
        return Err(lines.corrupt(format!(
            "bytes 0..{} do not match the trailer's hash (the manifest, the schema or the trailer changed)",
            lines.offset
        )));
    }
    let mut rest = [0u8; 1];
    match lines.input.read(&mut rest) {
        Ok(0) => Ok(()),
        Ok(_) => Err(lines.corrupt("there are bytes after the trailer")),
        Err(e) => Err(lines.corrupt(format!(
            "the compressed data after the trailer is damaged: {e}"
        ))),
    }
}
