//! The bound on the memory that S3 uploads buffer, process-wide (`UploadBudget`), and the parts
//! an upload assembles within it (`Parts`). It does not own the requests to S3 (`upload`) or
//! the limit on an upload's size (`meter`).
//!
//! Why parts are buffered at all: object_store's `put` and `put_part` take their body whole, in
//! memory (`PutPayload`), S3 wants every part of a multipart upload but the last to be at least
//! 5 MiB, and a file smaller than a part goes as one PUT whose body must be whole at send time.
//! So every upload needs up to a part in memory at the moment it sends it, however slowly its
//! client sent the bytes.
//!
//! The design: two pools of bytes, both counted in one gauge (`held`, `peak`).
//! - **Receiving** (`RECEIVE_BUDGET`): while a part's bytes arrive they are kept in memory only
//!   as far as a *non-blocking* take from this pool succeeds. When it fails, that byte and the
//!   rest of the part go to the upload's spill file (a `temp::TempFile` in the budget's folder,
//!   the OS temp dir by default: mode 0600, leased, removed on drop, swept after a kill by the
//!   storage's sweep). Nobody ever waits on this pool.
//! - **Sending** (`SEND_BUDGET`, at least one part): once a part is complete, the bytes it
//!   spilled are read back only under permits from this pool, taken whole (one request for the
//!   part's spilled bytes) from a fair (FIFO) semaphore; they are given back when S3 has
//!   answered for the part.
//!
//! Deadlock-free: the only wait is for send permits. Whoever holds send permits is between
//! taking them and S3's answer: reading its own spill file, then sending, which waits on the
//! disk and on S3 (each bounded by the client's timeouts and retries) and on nothing in this
//! budget. So the wait-for graph has no cycle; and since a request is at most one part and the
//! pool holds at least one part, and the semaphore serves requests in order, every waiter is
//! served once those ahead of it have been sent. The receive pool is never waited on, so what
//! a waiter holds of it (the part's first bytes) cannot block anyone: others spill instead.
//!
//! Slow clients: an upload holds send permits only while its part is read back and sent, never
//! while its client trickles bytes; what a slow client holds of the receive pool (at most a
//! part in progress, plus its parts in flight to S3) makes others spill to disk, not wait.
//! Bytes kept in memory are copied out of the chunks the body yields, so a kept chunk does not
//! pin the larger buffer of the form parser it was cut from and the gauge is the memory held.

use std::{
    fs::File,
    io,
    os::unix::fs::FileExt,
    path::{Path, PathBuf},
    sync::{
        Arc, LazyLock,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
};

use bytes::Bytes;
use object_store::PutPayload;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::storage::{
    StorageError,
    meter::{Body, Meter},
    temp::TempFile,
};

/// Size of one multipart part; uploads up to this size are a single PUT. Every part but the
/// last is exactly this size.
pub const PART_SIZE: usize = 8 * 1024 * 1024;
/// Bytes all uploads of the process may keep in memory while receiving: two parts.
const RECEIVE_BUDGET: usize = 2 * PART_SIZE;
/// Bytes all uploads of the process may read back from their spill files to send: two parts.
const SEND_BUDGET: usize = 2 * PART_SIZE;
/// What a spill file's name says it is for.
pub const SPILL_LABEL: &str = "s3-upload";

/// A bound on the bytes S3 uploads hold in memory. Clones share the bound. `process()` is the
/// one every S3 store uses unless given another (tests make their own, small ones).
#[derive(Clone)]
pub struct UploadBudget {
    inner: Arc<Inner>,
}

struct Inner {
    receive: Arc<Semaphore>,
    send: Arc<Semaphore>,
    limit: usize,
    spill_dir: PathBuf,
    held: AtomicUsize,
    peak: AtomicUsize,
    spilled: AtomicU64,
}

static PROCESS: LazyLock<UploadBudget> =
    LazyLock::new(|| UploadBudget::new(RECEIVE_BUDGET, SEND_BUDGET, std::env::temp_dir()));

impl UploadBudget {
    /// The process's budget: 16 MiB receiving and 16 MiB sending, spilling to the OS temp dir
    /// (`TMPDIR`).
    pub fn process() -> UploadBudget {
        PROCESS.clone()
    }

    /// A budget of `receive` bytes kept while receiving and `send` bytes read back to send (at
    /// least one part: less would leave a spilled part unable ever to be sent), spilling into
    /// files in `spill_dir`.
    pub fn new(receive: usize, send: usize, spill_dir: PathBuf) -> UploadBudget {
        let send = send.max(PART_SIZE);
        UploadBudget {
            inner: Arc::new(Inner {
                receive: Arc::new(Semaphore::new(receive)),
                send: Arc::new(Semaphore::new(send)),
                limit: receive + send,
                spill_dir,
                held: AtomicUsize::new(0),
                peak: AtomicUsize::new(0),
                spilled: AtomicU64::new(0),
            }),
        }
    }

    /// The most bytes it lets uploads hold in memory at once.
    pub fn limit(&self) -> usize {
        self.inner.limit
    }

    /// Bytes uploads hold in memory now.
    pub fn held(&self) -> usize {
        self.inner.held.load(Ordering::Relaxed)
    }

    /// The most bytes uploads held in memory at once so far.
    pub fn peak(&self) -> usize {
        self.inner.peak.load(Ordering::Relaxed)
    }

    /// Bytes written to spill files so far.
    pub fn spilled(&self) -> u64 {
        self.inner.spilled.load(Ordering::Relaxed)
    }

    /// The folder of the spill files.
    pub fn spill_dir(&self) -> &Path {
        &self.inner.spill_dir
    }
}

impl Inner {
    fn count(&self, bytes: usize) {
        let now = self.held.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.peak.fetch_max(now, Ordering::Relaxed);
    }
}

/// What one part holds of the budget; given back when dropped (after S3 answered for it).
pub struct Held {
    budget: Arc<Inner>,
    bytes: usize,
    // Dropped after `drop` below has taken the bytes off the gauge, so the gauge never counts
    // more than the permits out.
    receive: Option<OwnedSemaphorePermit>,
    send: Option<OwnedSemaphorePermit>,
}

impl Held {
    fn new(budget: &UploadBudget) -> Held {
        Held {
            budget: budget.inner.clone(),
            bytes: 0,
            receive: None,
            send: None,
        }
    }

    /// Takes `n` bytes of the receive pool if it has them, without waiting.
    fn try_receive(&mut self, n: usize) -> bool {
        let Ok(permit) = self
            .budget
            .receive
            .clone()
            .try_acquire_many_owned(permits(n))
        else {
            return false;
        };
        merge(&mut self.receive, permit);
        self.bytes += n;
        self.budget.count(n);
        true
    }

    /// Waits for `n` bytes (at most a part) of the send pool, in turn.
    async fn send(&mut self, n: usize) {
        let permit = self
            .budget
            .send
            .clone()
            .acquire_many_owned(permits(n))
            .await
            .expect("the budget's semaphores are never closed");
        merge(&mut self.send, permit);
        self.bytes += n;
        self.budget.count(n);
    }
}

fn permits(n: usize) -> u32 {
    u32::try_from(n).expect("a part is smaller than 4 GiB")
}

fn merge(into: &mut Option<OwnedSemaphorePermit>, permit: OwnedSemaphorePermit) {
    match into {
        Some(held) => held.merge(permit),
        None => *into = Some(permit),
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.budget.held.fetch_sub(self.bytes, Ordering::Relaxed);
    }
}

/// A part as received: its first bytes in memory, the rest (`spilled` bytes) at the start of
/// the upload's spill file.
pub struct Part {
    kept: Vec<Bytes>,
    spilled: usize,
    len: usize,
    held: Held,
}

impl Part {
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// An upload's body cut into parts of `PART_SIZE` bytes, within a budget.
pub struct Parts<'u, 'b, 'm> {
    budget: UploadBudget,
    body: &'u mut Body<'b>,
    meter: &'u mut Meter<'m>,
    /// The bytes of a chunk past the end of the previous part.
    carry: Option<Bytes>,
    /// Created at the first byte spilled; removed when the upload ends or is dropped.
    spill: Option<Spill>,
}

struct Spill {
    // The temporary file goes (removed) when the upload does.
    temp: TempFile,
    file: Arc<File>,
}

impl<'u, 'b, 'm> Parts<'u, 'b, 'm> {
    pub fn new(budget: &UploadBudget, body: &'u mut Body<'b>, meter: &'u mut Meter<'m>) -> Self {
        Parts {
            budget: budget.clone(),
            body,
            meter,
            carry: None,
            spill: None,
        }
    }

    /// The next part (`PART_SIZE` bytes unless the body ends), and whether the body ended.
    pub async fn next(&mut self) -> Result<(Part, bool), StorageError> {
        let mut part = Part {
            kept: Vec::new(),
            spilled: 0,
            len: 0,
            held: Held::new(&self.budget),
        };
        while part.len < PART_SIZE {
            let mut chunk = match self.carry.take() {
                Some(chunk) => chunk,
                None => match self.meter.next(self.body).await? {
                    Some(chunk) => chunk,
                    None => return Ok((part, true)),
                },
            };
            let room = PART_SIZE - part.len;
            if chunk.len() > room {
                self.carry = Some(chunk.split_off(room));
            }
            self.add(&mut part, chunk).await?;
        }
        Ok((part, false))
    }

    /// Keeps `chunk` in memory if the receive pool has room and nothing of the part was
    /// spilled yet; otherwise appends it to the part's bytes in the spill file.
    async fn add(&mut self, part: &mut Part, chunk: Bytes) -> Result<(), StorageError> {
        let n = chunk.len();
        if n == 0 {
            return Ok(());
        }
        part.len += n;
        if part.spilled == 0 && part.held.try_receive(n) {
            // A copy of its own, so that the parser's buffer it was cut from is not kept.
            part.kept.push(Bytes::copy_from_slice(&chunk));
            return Ok(());
        }
        let spill = self.spill().await?;
        let (file, offset) = (spill.file.clone(), part.spilled as u64);
        let written = tokio::task::spawn_blocking(move || file.write_all_at(&chunk, offset))
            .await
            .expect("a write does not panic");
        written.map_err(|e| spill_error("write", spill.temp.path(), e))?;
        part.spilled += n;
        self.budget
            .inner
            .spilled
            .fetch_add(n as u64, Ordering::Relaxed);
        Ok(())
    }

    async fn spill(&mut self) -> Result<&Spill, StorageError> {
        if self.spill.is_none() {
            let dir = self.budget.spill_dir().to_path_buf();
            let created = tokio::task::spawn_blocking(move || {
                let temp = TempFile::create_in(&dir, SPILL_LABEL)?;
                let file = Arc::new(temp.as_file().try_clone()?);
                Ok::<_, io::Error>(Spill { temp, file })
            })
            .await
            .expect("creating a file does not panic");
            let spill = created.map_err(|e| spill_error("create", self.budget.spill_dir(), e))?;
            self.spill = Some(spill);
        }
        Ok(self.spill.as_ref().expect("created above"))
    }

    /// The part's bytes as one payload, with what they hold of the budget (to drop once S3
    /// answered). Spilled bytes are read back under send permits, waiting for them in turn.
    pub async fn payload(&mut self, mut part: Part) -> Result<(PutPayload, Held), StorageError> {
        if part.spilled > 0 {
            part.held.send(part.spilled).await;
            let spill = self.spill.as_ref().expect("a part spilled into it");
            let (file, n) = (spill.file.clone(), part.spilled);
            let read = tokio::task::spawn_blocking(move || read_back(&file, n))
                .await
                .expect("a read does not panic");
            let pieces = read.map_err(|e| spill_error("read back", spill.temp.path(), e))?;
            part.kept.extend(pieces);
        }
        Ok((part.kept.into_iter().collect(), part.held))
    }
}

/// Spilled bytes are read back in pieces of this size. One buffer of the part's size (up to
/// 8 MiB) went through glibc's mmap and, once one was freed, raised glibc's mmap threshold,
/// after which such buffers stayed in the arenas of the blocking threads that read them: RSS
/// grew with those threads, not with the budget.
const READ_BACK_PIECE: usize = 64 * 1024;

/// The first `n` bytes of `file`, in pieces.
fn read_back(file: &File, n: usize) -> io::Result<Vec<Bytes>> {
    let mut pieces = Vec::with_capacity(n.div_ceil(READ_BACK_PIECE));
    let mut at = 0;
    while at < n {
        let mut piece = vec![0; READ_BACK_PIECE.min(n - at)];
        file.read_exact_at(&mut piece, at as u64)?;
        at += piece.len();
        pieces.push(Bytes::from(piece));
    }
    Ok(pieces)
}

fn spill_error(op: &'static str, path: &Path, source: io::Error) -> StorageError {
    StorageError::Spill {
        op,
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_bytes_come_back_whole_in_small_pieces() {
        let mut file = tempfile::tempfile().unwrap();
        let bytes: Vec<u8> = (0..3 * READ_BACK_PIECE + 100)
            .map(|i| (i % 251) as u8)
            .collect();
        io::Write::write_all(&mut file, &bytes).unwrap();
        for n in [
            1,
            READ_BACK_PIECE,
            READ_BACK_PIECE + 1,
            3 * READ_BACK_PIECE + 7,
        ] {
            let pieces = read_back(&file, n).unwrap();
            assert!(pieces.iter().all(|p| p.len() <= READ_BACK_PIECE));
            assert_eq!(pieces.concat(), bytes[..n], "{n} bytes");
        }
        // A spill file shorter than what was counted is an error, not a short part.
        assert!(read_back(&file, bytes.len() + 1).is_err());
    }
}
