//! Where dump bytes go: counted and hashed as written (the trailer's hash is over the
//! uncompressed bytes), optionally zstd-compressed, into a file that appears under its name
//! only once it is complete and synced.

use std::{
    fs::File,
    io::{self, Write},
    path::{Path, PathBuf},
};

use tempfile::NamedTempFile;

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

enum Sink<W: Write> {
    Plain(W),
    Zstd(Box<zstd::stream::write::Encoder<'static, Sealed<W>>>),
}

/// Magic number of the zstd skippable frame that seals a compressed dump (decoders skip it).
pub const SEAL_MAGIC: u32 = 0x184D_2A5E;
/// What the seal frame holds: a label and the BLAKE3 of every compressed byte before it, so
/// a change to any byte of the file is caught, even one the decompressor would not notice.
pub const SEAL_LABEL: &[u8] = b"paideia-blake3:";

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

impl<W: Write> Sealed<W> {
    /// Appends the skippable frame holding the hash and returns the writer.
    fn seal(mut self) -> io::Result<W> {
        let hash = self.hasher.finalize();
        let payload_len = (SEAL_LABEL.len() + 32) as u32;
        self.inner.write_all(&SEAL_MAGIC.to_le_bytes())?;
        self.inner.write_all(&payload_len.to_le_bytes())?;
        self.inner.write_all(SEAL_LABEL)?;
        self.inner.write_all(hash.as_bytes())?;
        Ok(self.inner)
    }
}

/// Counts and hashes what passes through, then compresses and writes it.
pub struct DumpWriter<W: Write> {
    sink: Sink<W>,
    hasher: blake3::Hasher,
    bytes: u64,
}

impl<W: Write> DumpWriter<W> {
    pub fn new(inner: W, compression: Compression) -> io::Result<Self> {
        let sink = match compression {
            Compression::None => Sink::Plain(inner),
            Compression::Zstd { level } => {
                let sealed = Sealed {
                    inner,
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
            bytes: 0,
        })
    }

    /// The hash and count of everything written so far.
    pub fn digest(&self) -> (String, u64) {
        (self.hasher.finalize().to_hex().to_string(), self.bytes)
    }

    /// Writes bytes that the trailer hash does not cover (the trailer line itself).
    pub fn write_unhashed(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Plain(w) => w.write_all(buf),
            Sink::Zstd(w) => w.write_all(buf),
        }
    }

    pub fn finish(self) -> io::Result<W> {
        match self.sink {
            Sink::Plain(mut w) => {
                w.flush()?;
                Ok(w)
            }
            Sink::Zstd(w) => {
                let mut inner = w.finish()?.seal()?;
                inner.flush()?;
                Ok(inner)
            }
        }
    }
}

impl<W: Write> Write for DumpWriter<W> {
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
/// leaves only a hidden `.NAME.partial-*` file, never a partial file under NAME.
pub struct AtomicFile {
    temp: NamedTempFile,
    target: PathBuf,
    force: bool,
}

impl AtomicFile {
    pub fn create(target: &Path, force: bool) -> io::Result<AtomicFile> {
        if !force && target.exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} already exists", target.display()),
            ));
        }
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}.partial-"))
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .tempfile_in(&dir)?;
        Ok(AtomicFile {
            temp,
            target: target.to_path_buf(),
            force,
        })
    }

    pub fn file(&mut self) -> &mut File {
        self.temp.as_file_mut()
    }

    /// Syncs the data, renames it into place and syncs the directory.
    pub fn commit(self) -> io::Result<()> {
        self.temp.as_file().sync_all()?;
        let persisted = if self.force {
            self.temp.persist(&self.target)
        } else {
            self.temp.persist_noclobber(&self.target)
        };
        persisted.map_err(|e| e.error)?;
        let dir = match self.target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        File::open(dir)?.sync_all()
    }
}
