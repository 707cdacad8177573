//! Copies Paideia LMS's objects (its bucket, or a folder holding them by key) into the site's
//! storage before any row is written. Each copy is stored under
//! `media/paideia-lms/<sha256>-<source media id>[-<n>]`: the source is read once to hash it
//! and once more to store it, and the stored bytes' SHA-256 must equal the first read's. A
//! re-run finds the keys already there and reuses them, so a killed import costs no second copy.

use std::collections::HashMap;

use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use crate::storage::{Storage, StorageError};

/// Where the copies go in the site's storage.
pub const PREFIX: &str = "media/paideia-lms";

/// One stored copy of a source object.
#[derive(Clone, Debug)]
pub struct Copy {
    pub key: String,
    pub sha256: [u8; 32],
    pub size: u64,
}

/// What copying did, for the report.
#[derive(Debug, Default)]
pub struct Copied {
    /// (source media id, usage) → stored copy.
    pub copies: HashMap<(i64, usize), Copy>,
    /// Source media ids whose object is not in the source.
    pub missing: Vec<i64>,
    pub copied: u64,
    pub reused: u64,
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(
        "the object {key} changed while it was copied (SHA-256 {first} on the first read, {second} stored)"
    )]
    Changed {
        key: String,
        first: String,
        second: String,
    },
}

fn key_for(sha: &[u8; 32], id: i64, usage: usize) -> String {
    match usage {
        0 => format!("{PREFIX}/{}-{id}", hex::encode(sha)),
        n => format!("{PREFIX}/{}-{id}-{n}", hex::encode(sha)),
    }
}

/// Parses a key `key_for` made: (source id, usage) → (sha, key).
fn parse_key(key: &str) -> Option<((i64, usize), [u8; 32])> {
    let name = key.strip_prefix(PREFIX)?.strip_prefix('/')?;
    let (sha, rest) = name.split_once('-')?;
    let mut sha_bytes = [0u8; 32];
    hex::decode_to_slice(sha, &mut sha_bytes).ok()?;
    let (id, usage) = match rest.split_once('-') {
        Some((id, n)) => (id.parse().ok()?, n.parse().ok()?),
        None => (rest.parse().ok()?, 0),
    };
    Some(((id, usage), sha_bytes))
}

async fn hash_of(source: &Storage, key: &str) -> Result<([u8; 32], u64), StorageError> {
    let mut body = source.get_foreign(key).await?.body;
    let (mut hasher, mut size) = (Sha256::new(), 0u64);
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        size += chunk.len() as u64;
        hasher.update(&chunk);
    }
    Ok((hasher.finalize().into(), size))
}

/// Copies the objects named `wanted` (source media id, object key, how many copies) from
/// `source` into `target`; with `dry_run`, only checks that each exists.
pub async fn copy_all(
    source: &Storage,
    target: &Storage,
    wanted: &[(i64, String, usize)],
    dry_run: bool,
) -> Result<Copied, CopyError> {
    let mut done = Copied::default();
    let existing: HashMap<(i64, usize), ([u8; 32], String)> = if dry_run {
        HashMap::new()
    } else {
        target
            .list(PREFIX)
            .await?
            .into_iter()
            .filter_map(|key| parse_key(&key).map(|(at, sha)| (at, (sha, key))))
            .collect()
    };
    let sizes: HashMap<String, u64> = if dry_run {
        HashMap::new()
    } else {
        target
            .list_objects(PREFIX)
            .await?
            .into_iter()
            .map(|o| (o.key, o.size))
            .collect()
    };
    for (id, key, uses) in wanted {
        for usage in 0..*uses {
            if let Some((sha, stored)) = existing.get(&(*id, usage)) {
                let size = sizes.get(stored).copied().unwrap_or(0);
                done.reused += 1;
                done.copies.insert(
                    (*id, usage),
                    Copy {
                        key: stored.clone(),
                        sha256: *sha,
                        size,
                    },
                );
                continue;
            }
            if dry_run {
                match source.get_foreign(key).await {
                    Ok(_) => {
                        done.copied += 1;
                        let copy = Copy {
                            key: format!("{PREFIX}/dry-run-{id}-{usage}"),
                            sha256: [0; 32],
                            size: 0,
                        };
                        done.copies.insert((*id, usage), copy);
                    }
                    Err(StorageError::NotFound { .. }) => {
                        done.missing.push(*id);
                        break;
                    }
                    Err(e) => return Err(e.into()),
                }
                continue;
            }
            let (sha, _) = match hash_of(source, key).await {
                Ok(found) => found,
                Err(StorageError::NotFound { .. }) => {
                    done.missing.push(*id);
                    break;
                }
                Err(e) => return Err(e.into()),
            };
            let stored_key = key_for(&sha, *id, usage);
            let body = source
                .get_foreign(key)
                .await?
                .body
                .map(|chunk| chunk.map_err(std::io::Error::other));
            let info = target.put_stream(&stored_key, body, u64::MAX).await?;
            if info.sha256 != sha {
                let _ = target.delete(&stored_key).await;
                return Err(CopyError::Changed {
                    key: key.clone(),
                    first: hex::encode(sha),
                    second: hex::encode(info.sha256),
                });
            }
            done.copied += 1;
            done.bytes += info.size;
            done.copies.insert(
                (*id, usage),
                Copy {
                    key: stored_key,
                    sha256: sha,
                    size: info.size,
                },
            );
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_round_trip() {
        let sha = [7u8; 32];
        for usage in [0, 1, 12] {
            let key = super::key_for(&sha, 42, usage);
            crate::storage::Storage::new_key("media", chrono::Utc::now()).unwrap();
            assert_eq!(super::parse_key(&key), Some(((42, usage), sha)));
        }
        assert_eq!(super::parse_key("media/paideia-lms/zz-1"), None);
        assert_eq!(super::parse_key("media/2026/11/abc"), None);
    }
}
