//! A table's spool: COPY text lines written to a temporary file and hashed on a thread of
//! their own, so reading from the database and hashing rows use both cores.

use std::{
    fs::File,
    io::{BufWriter, Write},
    path::{Path, PathBuf},
    sync::mpsc::{SyncSender, sync_channel},
    thread::JoinHandle,
};

use super::{
    BackupError,
    copytext::{self, RowHasher},
    format::Column,
};

const BATCH_BYTES: usize = 1 << 18;

pub struct Spool {
    send: Option<SyncSender<Vec<u8>>>,
    thread: Option<JoinHandle<Result<RowHasher, String>>>,
    batch: Vec<u8>,
    bytes: u64,
    path: PathBuf,
}

impl Spool {
    pub fn create(path: &Path, columns: Vec<Column>) -> Result<Spool, BackupError> {
        let file = File::create(path).map_err(BackupError::io(path))?;
        let (send, receive) = sync_channel::<Vec<u8>>(4);
        let thread = std::thread::spawn(move || {
            let mut out = BufWriter::with_capacity(1 << 20, file);
            let mut hasher = RowHasher::default();
            let mut carry: Vec<u8> = Vec::new();
            for batch in receive {
                out.write_all(&batch).map_err(|e| e.to_string())?;
                copytext::for_each_line(&mut carry, &batch, |line| {
                    hasher.add_copy_line(line, &columns)
                })?;
            }
            if !carry.is_empty() {
                return Err("the last row has no newline".into());
            }
            out.flush().map_err(|e| e.to_string())?;
            Ok(hasher)
        });
        Ok(Spool {
            send: Some(send),
            thread: Some(thread),
            batch: Vec::with_capacity(BATCH_BYTES),
            bytes: 0,
            path: path.to_path_buf(),
        })
    }

    /// Appends COPY text (whole or partial lines).
    pub fn write(&mut self, data: &[u8]) -> Result<(), String> {
        self.batch.extend_from_slice(data);
        self.bytes += data.len() as u64;
        if self.batch.len() >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    fn flush(&mut self) -> Result<(), String> {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_BYTES));
        let sent = self.send.as_ref().is_some_and(|s| s.send(batch).is_ok());
        if sent {
            Ok(())
        } else {
            self.join().map(|_| ())
        }
    }

    fn join(&mut self) -> Result<RowHasher, String> {
        self.send = None;
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err("the spool writer stopped".into()),
            None => Err("the spool was already finished".into()),
        }
    }

    /// Writes what is left and returns the rows' hash once every line is on disk.
    pub fn finish(mut self) -> Result<(PathBuf, RowHasher), String> {
        if !self.batch.is_empty() {
            self.flush()?;
        }
        let hasher = self.join()?;
        Ok((self.path.clone(), hasher))
    }
}
