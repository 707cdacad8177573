//! Reading a dump back: decompression detected from the bytes, the manifest, every data block
//! re-hashed against the manifest, the SQL around the blocks compared with what this binary
//! writes for that manifest, and the trailer's hash over everything before it. Every line is
//! read within a bound (`format::MAX_ROW_LINE`, `format::MAX_LINE`), so no file can make the
//! reader hold more than that. A truncated file, a changed byte, an extra line or a foreign
//! file is an error that names the table or the byte offset; callers get the data lines as
//! they pass.

use std::{
    fs::File,
    io::{Read, Seek, SeekFrom},
    os::unix::fs::FileExt,
    path::Path,
};

use bytes::Bytes;

use super::{
    BackupError,
    copytext::RowHasher,
    error::excerpt,
    format::{self, MAX_LINE, MAX_ROW_LINE, Manifest, Trailer},
    output::{SEAL_LABEL, SEAL_LABEL_HEAD_LAST, SEAL_MAGIC, raw_zstd_frame_len},
    rowcheck::RowChecker,
    rules,
    script::Expected,
};

const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// What a scan hands to its caller.
pub enum Event<'a> {
    /// The data block of the manifest's table at this index begins.
    Begin(usize),
    /// One data line of the current table, without its newline (`Rows::Verify` and
    /// `Rows::TrustChecked`).
    Row(&'a [u8]),
    /// Whole, newline-terminated data lines of the current table, about `piece` bytes, the
    /// same bytes the row checker reads (`Rows::VerifyInPieces`).
    Piece(Bytes),
    /// The table's block ended and matched its manifest entry.
    End,
}

/// The result of a complete, successful scan.
#[derive(Debug)]
pub struct Scan {
    pub manifest: Manifest,
    /// Uncompressed bytes covered by the trailer's hash.
    pub bytes: u64,
    /// False for a PostgreSQL dump of format 1 or 2, whose SQL no reader can regenerate:
    /// `restore` never runs it, but nothing proves it harmless to `psql`.
    pub sql_checked: bool,
}

/// The uncompressed bytes of the file, and whether it was compressed (then its seal, which
/// covers every byte of the file, has been checked).
/// With `seal` false, a compressed file's seal is not checked (reading every byte of it).
fn open(path: &Path, seal: bool) -> Result<(Box<dyn Read + Send>, bool), BackupError> {
    let mut file = File::open(path).map_err(BackupError::io("open", path))?;
    let mut magic = [0u8; 4];
    let n = file
        .read(&mut magic)
        .map_err(BackupError::io("read", path))?;
    let head = std::io::Cursor::new(magic[..n].to_vec());
    let chained = head.chain(file);
    if n == 4 && magic == ZSTD_MAGIC {
        if seal {
            check_seal(path)?;
        }
        let mut decoder =
            zstd::stream::read::Decoder::new(chained).map_err(BackupError::io("read", path))?;
        // paideia writes windows of at most 8 MiB (level 19); a frame asking for more is not
        // ours, and would make the decoder allocate it.
        decoder
            .window_log_max(format::MAX_ZSTD_WINDOW_LOG)
            .map_err(BackupError::io("read", path))?;
        Ok((Box::new(decoder), true))
    } else {
        Ok((Box::new(chained), false))
    }
}

/// A compressed dump ends with a skippable frame holding the BLAKE3 of every byte before it.
fn check_seal(path: &Path) -> Result<(), BackupError> {
    let corrupt = |problem: String| BackupError::Corrupt {
        file: path.display().to_string(),
        problem,
    };
    let mut file = File::open(path).map_err(BackupError::io("open", path))?;
    let size = file
        .metadata()
        .map_err(BackupError::io("read", path))?
        .len();
    let seal_len = (8 + SEAL_LABEL.len() + 32) as u64;
    if size < seal_len + 4 {
        return Err(corrupt(format!(
            "the compressed file is truncated ({size} bytes)"
        )));
    }
    let body = size - seal_len;
    let mut seal = vec![0u8; seal_len as usize];
    file.read_exact_at(&mut seal, body)
        .map_err(BackupError::io("read", path))?;
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
            .map_err(BackupError::io("read", path))?;
        raw_zstd_frame_len(&first)
            .filter(|&len| len <= body)
            .ok_or_else(|| corrupt("the head of the compressed file is damaged".into()))?
    } else {
        0
    };
    let mut hasher = blake3::Hasher::new();
    file.seek(SeekFrom::Start(head))
        .map_err(BackupError::io("read", path))?;
    // blake3's own loop reads 64 KiB at a time (io::copy's 8 KiB meant eight times the calls).
    hasher
        .update_reader((&mut file).take(body - head))
        .map_err(BackupError::io("read", path))?;
    file.rewind().map_err(BackupError::io("read", path))?;
    hasher
        .update_reader((&mut file).take(head))
        .map_err(BackupError::io("read", path))?;
    if seal[8 + SEAL_LABEL.len()..] != hasher.finalize().as_bytes()[..] {
        return Err(corrupt(format!(
            "compressed bytes 0..{body} do not match the seal's hash"
        )));
    }
    Ok(())
}

/// The file's lines, read into a buffer of their own: a line is a slice of that buffer (copied
/// only when the buffer moves), and the running BLAKE3 is fed the consumed lines in long
/// contiguous spans, not line by line (its SIMD paths need several KiB at a time).
struct Lines {
    input: Box<dyn Read + Send>,
    buf: Vec<u8>,
    /// `buf[..filled]` holds data read; `buf[pos..filled]` is not read as lines yet.
    filled: usize,
    pos: usize,
    /// The current line, with its newline: `buf[line.0..line.1]`.
    line: (usize, usize),
    /// Consumed bytes not hashed yet: `buf[unhashed.0..unhashed.1]`.
    unhashed: (usize, usize),
    /// Where the search for the next newline resumes (a long line is searched once).
    searched: usize,
    hasher: blake3::Hasher,
    /// Format 2: the hash of the head (magic and manifest lines), kept apart from the body's.
    head_hash: Option<String>,
    offset: u64,
    file: String,
    /// The last `advance` failed on a line longer than its limit.
    too_long: bool,
}

/// The buffer's size while lines fit; it grows only for a longer line (up to its limit).
const READ_BUFFER: usize = 1 << 20;

impl Lines {
    fn new(input: Box<dyn Read + Send>, file: String) -> Lines {
        Lines {
            input,
            buf: vec![0; READ_BUFFER],
            filled: 0,
            pos: 0,
            line: (0, 0),
            unhashed: (0, 0),
            searched: 0,
            hasher: blake3::Hasher::new(),
            head_hash: None,
            offset: 0,
            file,
            too_long: false,
        }
    }

    fn corrupt(&self, problem: impl Into<String>) -> BackupError {
        BackupError::Corrupt {
            file: self.file.clone(),
            problem: problem.into(),
        }
    }

    /// Reads the next line, of at most `limit` bytes before its newline; false at the end. A
    /// longer line is refused as soon as the limit is passed, before it is held in memory; a
    /// last line without a newline means the file was cut short.
    fn advance(&mut self, limit: usize) -> Result<bool, BackupError> {
        self.line = (self.pos, self.pos);
        self.searched = self.searched.max(self.pos);
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[self.searched..self.filled]) {
                let end = self.searched + i + 1;
                self.searched = end;
                if end - self.pos > limit + 1 {
                    return Err(self.too_long(limit));
                }
                self.line = (self.pos, end);
                self.pos = end;
                return Ok(true);
            }
            self.searched = self.filled;
            if self.filled - self.pos > limit {
                return Err(self.too_long(limit));
            }
            if !self.fill(limit)? {
                break;
            }
        }
        if self.filled == self.pos {
            return Ok(false);
        }
        Err(self.corrupt(format!(
            "the file is truncated at byte {}",
            self.offset + (self.filled - self.pos) as u64
        )))
    }

    fn too_long(&mut self, limit: usize) -> BackupError {
        self.too_long = true;
        self.corrupt(format!(
            "the line at byte {} is longer than {limit} bytes, more than a dump may hold there",
            self.offset
        ))
    }

    /// Reads more after `buf[pos..filled]` (moved to the front first, the consumed bytes
    /// before it hashed), with room for a line of `limit` bytes and its newline; false at the
    /// end of the input.
    fn fill(&mut self, limit: usize) -> Result<bool, BackupError> {
        if self.filled == self.buf.len() {
            self.flush_hash();
            let keep = self.pos..self.filled;
            self.buf.copy_within(keep.clone(), 0);
            self.filled = keep.len();
            self.searched -= self.pos;
            self.pos = 0;
            self.line = (0, 0);
            self.unhashed = (0, 0);
            if self.filled == self.buf.len() {
                // A line longer than the buffer: grown, never past what the limit allows.
                let grown = (self.buf.len() * 2).min(limit + 1).max(self.filled + 1);
                self.buf.resize(grown, 0);
            }
        }
        loop {
            match self.input.read(&mut self.buf[self.filled..]) {
                Ok(n) => {
                    self.filled += n;
                    return Ok(n > 0);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(self.corrupt(format!(
                        "cannot read past byte {} of the uncompressed data: {e}",
                        self.offset + (self.filled - self.pos) as u64
                    )));
                }
            }
        }
    }

    /// The current line with its newline.
    fn with_newline(&self) -> &[u8] {
        &self.buf[self.line.0..self.line.1]
    }

    /// The current line without its newline.
    fn current(&self) -> &[u8] {
        &self.buf[self.line.0..self.line.1.saturating_sub(1).max(self.line.0)]
    }

    /// Adds the current line to the running hash (when the consumed bytes stop being one
    /// span, or before the buffer moves, or before the hash is read).
    fn consume(&mut self) {
        let (start, end) = self.line;
        if self.unhashed.1 != start {
            self.flush_hash();
            self.unhashed = (start, start);
        }
        self.unhashed.1 = end;
        self.offset += (end - start) as u64;
    }

    fn flush_hash(&mut self) {
        let (start, end) = std::mem::take(&mut self.unhashed);
        self.hasher.update(&self.buf[start..end]);
        self.unhashed = (end, end);
    }

    /// The hash of every consumed line since the last `take_hash`.
    fn take_hash(&mut self) -> blake3::Hasher {
        self.flush_hash();
        std::mem::replace(&mut self.hasher, blake3::Hasher::new())
    }

    /// Reads the next line, which must exist.
    fn require(&mut self, limit: usize, missing: &str) -> Result<(), BackupError> {
        if self.advance(limit)? {
            Ok(())
        } else {
            Err(self.corrupt(format!(
                "the file is truncated: {missing} after byte {}",
                self.offset
            )))
        }
    }

    /// Whether anything follows the current line.
    fn at_end(&mut self) -> Result<bool, BackupError> {
        if self.pos < self.filled {
            return Ok(false);
        }
        let mut rest = [0u8; 1];
        loop {
            match self.input.read(&mut rest) {
                Ok(n) => return Ok(n == 0),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(self.corrupt(format!(
                        "the compressed data after the trailer is damaged: {e}"
                    )));
                }
            }
        }
    }
}

/// Whether a scan re-hashes every row against the manifest, or (for a second pass over a
/// file already checked) relies on the trailer's hash of all bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows {
    Verify,
    TrustChecked,
    /// As `Verify`, the rows handed to the caller in pieces of about this many bytes
    /// (`Event::Piece`) instead of one by one: a restore loads the batches the checker reads.
    VerifyInPieces(usize),
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

/// The manifest of the dump at `path`, read without checking the rest of the file: for a
/// question to ask before a restore, which then checks everything the manifest claims.
pub fn peek_manifest(path: &Path) -> Result<Manifest, BackupError> {
    open_head_checked(path, false).map(|(_, manifest, _)| manifest)
}

/// Opens the dump and reads its magic and manifest lines; also says whether the file is
/// compressed and its seal was checked.
fn open_head(path: &Path) -> Result<(Lines, Manifest, bool), BackupError> {
    open_head_checked(path, true)
}

fn open_head_checked(path: &Path, seal: bool) -> Result<(Lines, Manifest, bool), BackupError> {
    let (input, sealed) = open(path, seal)?;
    let mut lines = Lines::new(input, path.display().to_string());
    read_magic(&mut lines)?;
    let manifest = read_manifest(&mut lines)?;
    Ok((lines, manifest, sealed))
}

fn read_magic(lines: &mut Lines) -> Result<(), BackupError> {
    let magic = format::MAGIC_LINE.as_bytes();
    let found = match lines.advance(magic.len()) {
        Ok(found) => found && lines.current() == magic,
        Err(BackupError::Corrupt { .. }) => false,
        Err(e) => return Err(e),
    };
    if !found {
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

/// Reads what follows the manifest: the SQL before the data (PostgreSQL), the data blocks,
/// the SQL after them and the trailer. Nothing else may be there.
fn scan_body(
    mut lines: Lines,
    manifest: Manifest,
    rows: Rows,
    mut on: impl FnMut(Event<'_>) -> Result<(), BackupError>,
) -> Result<Scan, BackupError> {
    let expected = Expected::for_manifest(&manifest);
    let mut seen = vec![false; manifest.tables.len()];
    let batch = match rows {
        Rows::TrustChecked => None,
        Rows::Verify => Some(super::rowcheck::BATCH_BYTES),
        Rows::VerifyInPieces(piece) => Some(piece),
    };
    let mut checker =
        batch.map(|batch| RowChecker::start(manifest.format, manifest.tables.clone(), batch));
    let pieces = matches!(rows, Rows::VerifyInPieces(_));
    if let Expected::Exact { preamble, .. } = &expected {
        expect_text(&mut lines, preamble, "before the data", false)?;
    }
    loop {
        lines.require(MAX_LINE, "no trailer")?;
        let line = lines.current();
        if let Some(name) = line.strip_prefix(format::DATA_PREFIX.as_bytes()) {
            let name = String::from_utf8_lossy(name).into_owned();
            lines.consume();
            let index = table_index(&lines, &manifest, &name)?;
            if std::mem::replace(&mut seen[index], true) && manifest.format < 2 {
                return Err(lines.corrupt(format!("table {name} has two data blocks")));
            }
            read_block(
                &mut lines,
                &manifest,
                index,
                checker.as_mut(),
                pieces,
                &mut on,
            )?;
            continue;
        }
        match &expected {
            Expected::Exact { tail, .. } => {
                expect_text(&mut lines, tail, "after the data", true)?;
                lines.require(MAX_LINE, "no trailer")?;
            }
            Expected::Unchecked if !line.starts_with(format::TRAILER_PREFIX.as_bytes()) => {
                lines.consume();
                continue;
            }
            _ => {}
        }
        if !lines
            .current()
            .starts_with(format::TRAILER_PREFIX.as_bytes())
        {
            return Err(lines.corrupt(format!(
                "the line at byte {} is neither a data block nor the trailer",
                lines.offset
            )));
        }
        if let Some(checker) = checker.as_mut() {
            checker.finish().map_err(|e| lines.corrupt(e))?;
        }
        return finish(lines, manifest, &seen, expected != Expected::Unchecked);
    }
}

/// Reads lines that must be exactly `text` (with `current`, from the line already read).
fn expect_text(
    lines: &mut Lines,
    text: &str,
    place: &str,
    mut current: bool,
) -> Result<(), BackupError> {
    for expected in text.split_inclusive('\n') {
        let start = lines.offset;
        let read = current
            || match lines.advance(expected.len()) {
                Ok(read) => read,
                Err(_) if lines.too_long => false,
                Err(e) => return Err(e),
            };
        current = false;
        if !read || lines.with_newline() != expected.as_bytes() {
            return Err(lines.corrupt(format!(
                "the SQL {place} is not what paideia writes for this manifest (from byte {start} on); \
                 it may hold statements `psql` would run"
            )));
        }
        lines.consume();
    }
    Ok(())
}

fn table_index(lines: &Lines, manifest: &Manifest, name: &str) -> Result<usize, BackupError> {
    manifest
        .tables
        .iter()
        .position(|t| t.name == name)
        .ok_or_else(|| {
            lines.corrupt(format!(
                "data for table {}, which the manifest does not list",
                excerpt(name.as_bytes())
            ))
        })
}

/// The current line is the trailer: checks it and that nothing follows.
fn finish(
    mut lines: Lines,
    manifest: Manifest,
    seen: &[bool],
    sql_checked: bool,
) -> Result<Scan, BackupError> {
    let Some(json) = lines
        .current()
        .strip_prefix(format::TRAILER_PREFIX.as_bytes())
    else {
        return Err(lines.corrupt("the trailer is missing"));
    };
    let trailer: Trailer = serde_json::from_slice(json)
        .ok()
        .filter(|t| serde_json::to_vec(t).ok().as_deref() == Some(json))
        .ok_or_else(|| lines.corrupt("the trailer is damaged"))?;
    check_trailer(&mut lines, &trailer)?;
    // Format 2 leaves out the blocks of empty tables; their row count says so.
    if let Some(i) = seen.iter().position(|s| !s).filter(|_| manifest.format < 2) {
        return Err(lines.corrupt(format!(
            "table {} has no data block",
            manifest.tables[i].name
        )));
    }
    Ok(Scan {
        bytes: lines.offset,
        manifest,
        sql_checked,
    })
}

fn read_manifest(lines: &mut Lines) -> Result<Manifest, BackupError> {
    lines.require(MAX_LINE, "no manifest")?;
    let json = lines
        .current()
        .strip_prefix(format::MANIFEST_PREFIX.as_bytes())
        .ok_or_else(|| lines.corrupt("the second line is not the manifest"))?;
    let manifest: Manifest = serde_json::from_slice(json)
        .map_err(|e| lines.corrupt(format!("the manifest is damaged: {e}")))?;
    rules::check_names(&manifest).map_err(|e| lines.corrupt(e))?;
    if manifest.format > format::FORMAT_VERSION {
        return Err(BackupError::TooNew {
            needs: manifest.paideia_version.clone(),
            schema: manifest.schema_version,
            known: crate::migrate::MigrationSet::embedded(manifest.engine).schema_version(),
        });
    }
    rules::check_migrations(&manifest, manifest.engine)?;
    // Exactly what the writer serializes, then only the padding to the space it reserves for
    // this manifest: no field it does not know, no other spelling of a value.
    let canonical = serde_json::to_vec(&manifest).expect("a manifest serializes");
    let padding = json.get(canonical.len()..).unwrap_or(b"x");
    let padded_len = match manifest.format {
        1 => canonical.len(),
        format => {
            let hash_len = RowHasher::for_format(format).finish().len();
            format::reserved_head_len(&manifest, hash_len)
                - format::MAGIC_LINE.len()
                - format::MANIFEST_PREFIX.len()
                - 2
        }
    };
    if !json.starts_with(&canonical)
        || padding.iter().any(|&b| b != b' ')
        || json.len() != padded_len
    {
        return Err(lines.corrupt(
            "the manifest line holds more than the manifest (or not in the form paideia writes)",
        ));
    }
    lines.consume();
    if manifest.format >= 2 {
        let head = lines.take_hash();
        lines.head_hash = Some(head.finalize().to_hex().to_string());
    }
    Ok(manifest)
}

fn read_block(
    lines: &mut Lines,
    manifest: &Manifest,
    index: usize,
    mut checker: Option<&mut RowChecker>,
    pieces: bool,
    on: &mut impl FnMut(Event<'_>) -> Result<(), BackupError>,
) -> Result<(), BackupError> {
    let table = &manifest.tables[index];
    let start = lines.offset;
    let expected = format::copy_from_stdin(&table.name, &table.columns);
    let copy_line = lines.advance(expected.len()).unwrap_or(false);
    if !copy_line || lines.current() != expected.as_bytes() {
        return Err(lines.corrupt(format!(
            "table {}: the COPY line at byte {start} is damaged",
            table.name
        )));
    }
    lines.consume();
    on(Event::Begin(index))?;
    let mut rows = 0u64;
    loop {
        let offset = lines.offset;
        if !lines.advance(MAX_ROW_LINE)? {
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
        if line.is_empty() && table.columns.len() != 1 {
            return Err(lines.corrupt(format!(
                "table {}: an empty line at byte {offset} inside its data",
                table.name
            )));
        }
        let piece = match checker.as_mut() {
            Some(checker) => checker
                .row(index, offset, line)
                .map_err(|e| lines.corrupt(e))?,
            None => None,
        };
        if !pieces {
            on(Event::Row(line))?;
        }
        lines.consume();
        if let Some(piece) = piece.filter(|_| pieces) {
            on(Event::Piece(piece))?;
        }
        rows += 1;
    }
    // The writer leaves out empty blocks since format 2.
    if rows == 0 && manifest.format >= 2 {
        return Err(lines.corrupt(format!(
            "table {}: an empty data block at byte {start}",
            table.name
        )));
    }
    if let Some(checker) = checker {
        let last = checker
            .end(index, start, lines.offset)
            .map_err(|e| lines.corrupt(e))?;
        if let Some(piece) = last.filter(|_| pieces) {
            on(Event::Piece(piece))?;
        }
    }
    on(Event::End)
}

fn check_trailer(lines: &mut Lines, trailer: &Trailer) -> Result<(), BackupError> {
    let actual = lines.take_hash().finalize().to_hex().to_string();
    if trailer.bytes != lines.offset
        || trailer.blake3 != actual
        || trailer.head_blake3 != lines.head_hash
    {
        return Err(lines.corrupt(format!(
            "bytes 0..{} do not match the trailer's hash (the manifest, the schema or the trailer changed)",
            lines.offset
        )));
    }
    if lines.at_end()? {
        Ok(())
    } else {
        Err(lines.corrupt("there are bytes after the trailer"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out its bytes in pieces of the sizes given (cycled), like a pipe or a decoder.
    struct Trickle {
        data: Vec<u8>,
        at: usize,
        sizes: Vec<usize>,
        turn: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let size = self.sizes[self.turn % self.sizes.len()];
            self.turn += 1;
            let n = size.min(out.len()).min(self.data.len() - self.at);
            out[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn lines_of(data: &[u8], sizes: &[usize]) -> Lines {
        let input = Trickle {
            data: data.to_vec(),
            at: 0,
            sizes: sizes.to_vec(),
            turn: 0,
        };
        Lines::new(Box::new(input), "test".into())
    }

    /// Reads every line within `limit`, consuming those `keep` accepts; the lines read, the
    /// hash of the consumed ones and the error that ended the reading, if any.
    fn read_all(
        lines: &mut Lines,
        limit: usize,
        keep: impl Fn(&[u8]) -> bool,
    ) -> (Vec<Vec<u8>>, String, Option<String>) {
        let mut seen = Vec::new();
        let error = loop {
            match lines.advance(limit) {
                Ok(true) => {
                    seen.push(lines.current().to_vec());
                    if keep(lines.current()) {
                        lines.consume();
                    }
                }
                Ok(false) => break None,
                Err(e) => break Some(e.to_string()),
            }
        };
        let hash = lines.take_hash().finalize().to_hex().to_string();
        (seen, hash, error)
    }

    #[test]
    fn lines_and_their_hash_do_not_depend_on_how_the_input_is_cut() {
        let mut data = Vec::new();
        for i in 0..3000 {
            data.extend_from_slice(format!("{i}\t{}\n", "x".repeat(i % 700)).as_bytes());
        }
        // A line longer than the buffer, which grows for it.
        data.extend_from_slice(&vec![b'y'; READ_BUFFER + READ_BUFFER / 2]);
        data.extend_from_slice(b"\nlast\n");
        let mut expected: Vec<Vec<u8>> = data.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        assert_eq!(
            expected.pop(),
            Some(Vec::new()),
            "the data ends with a newline"
        );
        let skipped = |l: &[u8]| l.starts_with(b"17\t") || l.starts_with(b"2999\t");
        let mut kept = Vec::new();
        for line in &expected {
            if !skipped(line) {
                kept.extend_from_slice(line);
                kept.push(b'\n');
            }
        }
        let want = blake3::hash(&kept).to_hex().to_string();
        for sizes in [
            vec![1 << 30],
            vec![1, 7, 4096],
            vec![65_536, 3],
            vec![999_999],
        ] {
            let mut lines = lines_of(&data, &sizes);
            let (seen, hash, error) = read_all(&mut lines, MAX_ROW_LINE, |l| !skipped(l));
            assert_eq!(error, None, "pieces of {sizes:?}");
            assert_eq!(seen, expected, "pieces of {sizes:?}");
            assert_eq!(hash, want, "pieces of {sizes:?}");
            assert!(lines.buf.len() <= MAX_ROW_LINE + 1);
        }
    }

    #[test]
    fn long_lines_and_cut_files_are_refused() {
        for sizes in [vec![1 << 30], vec![3], vec![1000, 1]] {
            // Exactly the limit passes; one more byte does not, with or without a newline.
            let mut lines = lines_of(b"abcd\nabcde\n", &sizes);
            assert!(lines.advance(4).unwrap());
            assert_eq!(lines.current(), b"abcd");
            let error = lines.advance(4).unwrap_err().to_string();
            assert!(error.contains("longer than 4 bytes"), "{error}");
            assert!(lines.too_long);
            let mut lines = lines_of(b"abcdefgh", &sizes);
            assert!(
                lines
                    .advance(4)
                    .unwrap_err()
                    .to_string()
                    .contains("longer than 4")
            );
            // A last line without its newline: the file was cut.
            let mut lines = lines_of(b"ab\ncd", &sizes);
            assert!(lines.advance(10).unwrap());
            let error = lines.advance(10).unwrap_err().to_string();
            assert!(error.contains("truncated"), "{error}");
            let mut lines = lines_of(b"", &sizes);
            assert!(!lines.advance(10).unwrap());
        }
        // A line over the limit is refused before the buffer grows past the limit.
        let mut lines = lines_of(&vec![b'z'; 3 * READ_BUFFER], &[1 << 30]);
        assert!(lines.advance(READ_BUFFER + 10).is_err());
        assert!(lines.buf.len() <= READ_BUFFER + 11);
    }

    #[test]
    fn bytes_after_the_last_line_are_seen() {
        let mut lines = lines_of(b"one\ntwo\n", &[2]);
        assert!(lines.advance(10).unwrap());
        assert!(!lines.at_end().unwrap());
        assert!(lines.advance(10).unwrap());
        assert!(lines.at_end().unwrap());
    }
}
