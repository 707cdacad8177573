//! Reading a dump back: decompression detected from the bytes, the manifest, every data block
//! re-hashed against the manifest, the SQL around the blocks compared with what this binary
//! writes for that manifest, and the trailer's hash over everything before it. Every line is
//! read within a bound (`format::MAX_ROW_LINE`, `format::MAX_LINE`), so no file can make the
//! reader hold more than that. A truncated file, a changed byte, an extra line or a foreign
//! file is an error that names the table or the byte offset; callers get the data lines as
//! they pass.

use std::{
    fs::File,
    io::{BufRead, BufReader, Read, Seek, SeekFrom},
    os::unix::fs::FileExt,
    path::Path,
};

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
    /// False for a PostgreSQL dump of format 1 or 2, whose SQL no reader can regenerate:
    /// `restore` never runs it, but nothing proves it harmless to `psql`.
    pub sql_checked: bool,
}

/// The uncompressed bytes of the file, and whether it was compressed (then its seal, which
/// covers every byte of the file, has been checked).
/// With `seal` false, a compressed file's seal is not checked (reading every byte of it).
fn open(path: &Path, seal: bool) -> Result<(Box<dyn BufRead + Send>, bool), BackupError> {
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
    std::io::copy(&mut (&mut file).take(body - head), &mut hasher)
        .map_err(BackupError::io("read", path))?;
    file.rewind().map_err(BackupError::io("read", path))?;
    std::io::copy(&mut (&mut file).take(head), &mut hasher)
        .map_err(BackupError::io("read", path))?;
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
    /// The last `advance` failed on a line longer than its limit.
    too_long: bool,
}

impl Lines {
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
        self.line.clear();
        loop {
            let buf = match self.input.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(self.corrupt(format!(
                        "cannot read past byte {} of the uncompressed data: {e}",
                        self.offset + self.line.len() as u64
                    )));
                }
            };
            if buf.is_empty() {
                break;
            }
            let (take, done) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            if self.line.len() + take > limit + 1 {
                self.too_long = true;
                return Err(self.corrupt(format!(
                    "the line at byte {} is longer than {limit} bytes, more than a dump may hold there",
                    self.offset
                )));
            }
            self.line.extend_from_slice(&buf[..take]);
            self.input.consume(take);
            if done {
                return Ok(true);
            }
        }
        if self.line.is_empty() {
            return Ok(false);
        }
        Err(self.corrupt(format!(
            "the file is truncated at byte {}",
            self.offset + self.line.len() as u64
        )))
    }

    /// The current line without its newline.
    fn current(&self) -> &[u8] {
        &self.line[..self.line.len().saturating_sub(1)]
    }

    /// Adds the current line to the running hash.
    fn consume(&mut self) {
        self.hasher.update(&self.line);
        self.offset += self.line.len() as u64;
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
}

/// Whether a scan re-hashes every row against the manifest, or (for a second pass over a
/// file already checked) relies on the trailer's hash of all bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows {
    Verify,
    TrustChecked,
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
    let mut lines = Lines {
        input,
        line: Vec::new(),
        hasher: blake3::Hasher::new(),
        head_hash: None,
        offset: 0,
        file: path.display().to_string(),
        too_long: false,
    };
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
    let mut checker =
        (rows == Rows::Verify).then(|| RowChecker::start(manifest.format, manifest.tables.clone()));
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
            read_block(&mut lines, &manifest, index, checker.as_mut(), &mut on)?;
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
        if !read || lines.line != expected.as_bytes() {
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
        let head = std::mem::replace(&mut lines.hasher, blake3::Hasher::new());
        lines.head_hash = Some(head.finalize().to_hex().to_string());
    }
    Ok(manifest)
}

fn read_block(
    lines: &mut Lines,
    manifest: &Manifest,
    index: usize,
    mut checker: Option<&mut RowChecker>,
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
        if let Some(checker) = checker.as_mut() {
            checker
                .row(index, offset, line)
                .map_err(|e| lines.corrupt(e))?;
        }
        on(Event::Row(line))?;
        lines.consume();
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
