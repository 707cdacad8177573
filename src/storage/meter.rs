//! The upload side shared by both backends: pulls chunks from the caller's stream, counts them
//! against the size limit before any byte of an oversized chunk is written, and hashes them.

use std::io;

use bytes::Bytes;
use futures_util::{StreamExt, stream::BoxStream};
use sha2::{Digest, Sha256};

use super::{PutInfo, StorageError};

/// The body of an upload, as the backends receive it.
pub type Body<'a> = BoxStream<'a, io::Result<Bytes>>;

pub struct Meter<'a> {
    key: &'a str,
    limit: u64,
    size: u64,
    hasher: Sha256,
}

impl<'a> Meter<'a> {
    pub fn new(key: &'a str, limit: u64) -> Self {
        Meter {
            key,
            limit,
            size: 0,
            hasher: Sha256::new(),
        }
    }

    /// The next chunk within the limit, `None` at the end of the body.
    pub async fn next(&mut self, body: &mut Body<'_>) -> Result<Option<Bytes>, StorageError> {
        let Some(chunk) = body.next().await else {
            return Ok(None);
        };
        let chunk = chunk.map_err(|source| StorageError::Upload {
            key: self.key.to_string(),
            source,
        })?;
        let size = self.size.saturating_add(chunk.len() as u64);
        if size > self.limit {
            return Err(StorageError::TooLarge {
                key: self.key.to_string(),
                limit: self.limit,
            });
        }
        self.size = size;
        self.hasher.update(&chunk);
        Ok(Some(chunk))
    }

    pub fn finish(self) -> PutInfo {
        PutInfo {
            size: self.size,
            sha256: self.hasher.finalize().into(),
        }
    }
}
