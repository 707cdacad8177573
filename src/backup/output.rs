//! Where dump bytes go: counted and hashed as written (the trailer's hashes are over the
//! uncompressed bytes), optionally zstd-compressed, behind a head reserved at the top of the
//! file and filled in last, into a file that appears under its name only once it is complete
//! and synced.

use std::{
    fs::File,
    io::{self, BufWriter, Write},
    os::unix::fs::FileExt,
    path::{Path, PathBuf},
    time::SystemTime,
};

use super::{
    format::{TRAILER_PREFIX, Trailer},
    writeback::Writeback,
};
use crate::storage::temp::{self, TempFile};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Zstd { level: i32 },
}

impl Compression {
    pub const DEFAULT_ZSTD_LEVEL: i32 = 3;

    /// `.zst` names get zstd; everything else is plain SQL.
    pub fn for_path(path: &Path) -> Compression {
        if path.extension().is_some_and(|e| e == "zst") {
            Compression::Zstd {
                level: Self::DEFAULT_ZSTD_LEVEL,
            }
        } else {
            Compression::None
        }
    }
}

enum Sink {
    Plain(BufWriter<File>),
    Zstd(Box<zstd::stream::write::Encoder<'static, Sealed<BufWriter<File>>>>),
}

/// Magic number of the zstd skippable frame that seals a compressed dump (decoders skip it).
pub const SEAL_MAGIC: u32 = 0x184D_2A5E;
/// What a format 1 seal frame holds: this label and the BLAKE3 of every compressed byte before
/// it, so a change to any byte of the file is caught, even one the decompressor would not see.
pub const SEAL_LABEL: &[u8] = b"paideia-blake3:";
/// Format 2 seals hash the same bytes in another order: the compressed data after the head
/// frame first, then the head frame (written last, into the space reserved for it).
pub const SEAL_LABEL_HEAD_LAST: &[u8] = b"paideia-blake3h";
/// The head of a compressed format 2 dump is stored in zstd raw blocks of at most this size.
const RAW_BLOCK_MAX: usize = 128 * 1024;

/// Hashes the compressed bytes on their way to the file.
pub struct Sealed<W: Write> {
    inner: W,
    hasher: blake3::Hasher,
}

impl<W: Write> Write for Sealed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A zstd frame that stores `content` uncompressed (raw blocks), so it can be rewritten in
/// place once the manifest is known: its size depends only on the content's length.
pub fn raw_zstd_frame(content: &[u8]) -> Vec<u8> {
    let mut frame = Vec::with_capacity(content.len() + 16);
    frame.extend_from_slice(&0xFD2F_B528u32.to_le_bytes());
    // Single segment, a 4-byte content size, no checksum, no dictionary.
    frame.push(0b1010_0000);
    frame.extend_from_slice(&(content.len() as u32).to_le_bytes());
    let mut blocks = content.chunks(RAW_BLOCK_MAX).peekable();
    if blocks.peek().is_none() {
        frame.extend_from_slice(&[1, 0, 0]);
    }
    while let Some(block) = blocks.next() {
        let last = u32::from(blocks.peek().is_none());
        let header = last | ((block.len() as u32) << 3);
        frame.extend_from_slice(&header.to_le_bytes()[..3]);
        frame.extend_from_slice(block);
    }
    frame
}

/// The length of the head frame of a compressed format 2 dump, from its first bytes.
pub fn raw_zstd_frame_len(first_bytes: &[u8]) -> Option<u64> {
    let size = u32::from_le_bytes(first_bytes.get(5..9)?.try_into().ok()?) as u64;
    let blocks = size.div_ceil(RAW_BLOCK_MAX as u64).max(1);
    (first_bytes.get(4) == Some(&0b1010_0000)).then_some(9 + 3 * blocks + size)
}

/// Counts and hashes the body of a dump (what follows the head reserved at the top), then
/// compresses and writes it. `finish` writes the trailer and puts the head in its place.
pub struct DumpWriter {
    sink: Sink,
    hasher: blake3::Hasher,
    head_len: usize,
    bytes: u64,
}

impl DumpWriter {
    /// Starts a dump in the empty `file`, reserving `head_len` bytes for the head.
    pub fn create(file: File, compression: Compression, head_len: usize) -> io::Result<Self> {
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let placeholder = vec![b' '; head_len];
        let sink = match compression {
            Compression::None => {
                out.write_all(&placeholder)?;
                Sink::Plain(out)
            }
            Compression::Zstd { level } => {
                out.write_all(&raw_zstd_frame(&placeholder))?;
                let sealed = Sealed {
                    inner: out,
                    hasher: blake3::Hasher::new(),
                };
                let mut encoder = zstd::stream::write::Encoder::new(sealed, level)?;
                encoder.include_checksum(true)?;
                // zstd compresses on a worker thread of its own while we keep writing.
                encoder.multithread(1)?;
                Sink::Zstd(Box::new(encoder))
            }
        };
        Ok(DumpWriter {
            sink,
            hasher: blake3::Hasher::new(),
            head_len,
            bytes: 0,
        })
    }

    fn write_unhashed(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Plain(w) => w.write_all(buf),
            Sink::Zstd(w) => w.write_all(buf),
        }
    }

    /// Writes the trailer, then `head` (exactly the reserved length) at the top, and returns
    /// the uncompressed size. The file is not synced.
    pub fn finish(mut self, head: &[u8]) -> io::Result<u64> {
        assert_eq!(
            head.len(),
            self.head_len,
            "the head fills its reserved space"
        );
        let bytes = self.head_len as u64 + self.bytes;
        let trailer = serde_json::to_string(&Trailer {
            blake3: self.hasher.finalize().to_hex().to_string(),
            head_blake3: Some(blake3::hash(head).to_hex().to_string()),
            bytes,
        })
        .expect("a trailer serializes");
        self.write_unhashed(format!("{TRAILER_PREFIX}{trailer}\n").as_bytes())?;
        let (file, top) = match self.sink {
            Sink::Plain(w) => (w.into_inner().map_err(|e| e.into_error())?, head.to_vec()),
            Sink::Zstd(w) => {
                let mut sealed = w.finish()?;
                let frame = raw_zstd_frame(head);
                sealed.hasher.update(&frame);
                let hash = sealed.hasher.finalize();
                let mut out = sealed.inner;
                let payload_len = (SEAL_LABEL_HEAD_LAST.len() + 32) as u32;
                out.write_all(&SEAL_MAGIC.to_le_bytes())?;
                out.write_all(&payload_len.to_le_bytes())?;
                out.write_all(SEAL_LABEL_HEAD_LAST)?;
                out.write_all(hash.as_bytes())?;
                (out.into_inner().map_err(|e| e.into_error())?, frame)
            }
        };
        file.write_all_at(&top, 0)?;
        Ok(bytes)
    }
}

impl Write for DumpWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_unhashed(buf)?;
        self.hasher.update(buf);
        self.bytes += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Plain(w) => w.flush(),
            Sink::Zstd(w) => w.flush(),
        }
    }
}

/// A file written under a temporary name in the target's directory (mode 0600), then synced
/// and renamed into place. Dropped without `commit`, the temporary file is removed; a crash
/// leaves only a hidden `.NAME.paideia-tmp-PID-RANDOM` file, never a partial file under NAME,
/// and `sweep_beside` removes it later (`storage::temp`: the file is leased while written).
/// Synced in the background as it grows (`Writeback`).
pub struct AtomicFile {
    temp: TempFile,
    target: PathBuf,
    force: bool,
    writeback: Writeback,
}

/// The folder a file at `target` is written in.
fn folder_of(target: &Path) -> &Path {
    match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

impl AtomicFile {
    pub fn create(target: &Path, force: bool) -> io::Result<AtomicFile> {
        if !force && target.exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} already exists", target.display()),
            ));
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = TempFile::create_in(folder_of(target), &name)?;
        let writeback = Writeback::start(temp.as_file().try_clone()?);
        Ok(AtomicFile {
            temp,
            target: target.to_path_buf(),
            force,
            writeback,
        })
    }

    /// Removes what killed writers left beside `target` (stale temporary files of any name)
    /// and returns what was found; failures to remove are in the result, never fatal.
    pub fn sweep_beside(target: &Path, now: SystemTime) -> temp::Sweep {
        temp::sweep(
            folder_of(target),
            temp::Depth::Here,
            temp::cutoff(now),
            true,
        )
    }

    pub fn file(&mut self) -> &mut File {
        self.temp.as_file_mut()
    }

    /// Syncs the data, renames it into place and syncs the directory.
    pub fn commit(self) -> io::Result<()> {
        self.writeback.finish()?;
        self.temp.as_file().sync_all()?;
        self.temp.persist(&self.target, self.force)?;
        File::open(folder_of(&self.target))?.sync_all()
    }
}
