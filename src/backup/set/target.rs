//! Where sets are kept: a local folder or a prefix in an S3 bucket, both through
//! `storage::Storage`, so every object is written atomically (a hidden temporary file renamed
//! into place, or one PUT / a completed multipart upload) and the S3 code is the one paideia
//! already uses for media.

use std::{collections::BTreeMap, fmt, path::Path};

use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use tokio_util::io::ReaderStream;

use super::{
    SetError,
    manifest::{MANIFEST, SetManifest, VERIFICATION, Verification, set_key},
};
use crate::{
    settings::S3Target,
    storage::{PutInfo, Storage, StorageError},
};

/// The largest manifest or verification record read: a manifest lists every media file at
/// about 300 bytes each, so this holds some 800,000 files; the bucket's contents are
/// untrusted, so memory must not follow whatever size an object has.
const MAX_JSON_BYTES: usize = 256 << 20;

#[derive(Clone, Debug)]
pub struct Target {
    storage: Storage,
    prefix: String,
    label: String,
    /// The folder, for a local target (to tidy empty set folders).
    root: Option<std::path::PathBuf>,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

/// A set as listed: its manifest when complete, and its verification record if any.
#[derive(Clone, Debug)]
pub struct SetSummary {
    pub id: String,
    pub manifest: Option<SetManifest>,
    pub verification: Option<Verification>,
}

impl SetSummary {
    /// Complete and not found broken by a verification.
    pub fn is_good(&self) -> bool {
        self.manifest.is_some() && self.verification.as_ref().is_none_or(|v| v.ok)
    }
}

impl Target {
    /// The folder `dir` (created mode 0700 when missing).
    pub async fn local(dir: &Path) -> Result<Target, SetError> {
        Ok(Target {
            storage: Storage::local(dir).await?,
            prefix: String::new(),
            label: dir.display().to_string(),
            root: Some(dir.to_path_buf()),
        })
    }

    pub fn s3(target: &S3Target) -> Result<Target, SetError> {
        Ok(Target {
            storage: Storage::s3(&target.s3)?.scoped(&target.prefix, &["sets", "media"]),
            prefix: target.prefix.clone(),
            label: target.url(),
            root: None,
        })
    }

    pub fn is_local(&self) -> bool {
        self.root.is_some()
    }

    fn key(&self, rel: &str) -> String {
        if self.prefix.is_empty() {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.prefix)
        }
    }

    /// Stores the file at `path` under `rel`.
    pub async fn put_file(&self, rel: &str, path: &Path) -> Result<PutInfo, SetError> {
        let file = tokio::fs::File::open(path)
            .await
            .map_err(SetError::io("open", path))?;
        let body = ReaderStream::with_capacity(file, 1 << 20);
        Ok(self
            .storage
            .put_stream(&self.key(rel), body, u64::MAX)
            .await?)
    }

    /// Stores `bytes` under `rel`.
    pub async fn put_bytes(&self, rel: &str, bytes: Vec<u8>) -> Result<PutInfo, SetError> {
        Ok(self
            .storage
            .put_bytes(&self.key(rel), Bytes::from(bytes))
            .await?)
    }

    /// Streams the object `rel` into `storage` under `key`; returns what was stored.
    pub async fn copy_to_storage(
        &self,
        rel: &str,
        storage: &Storage,
        key: &str,
    ) -> Result<PutInfo, SetError> {
        let download = self.storage.get(&self.key(rel), None).await?;
        let body = download.body.map_err(std::io::Error::other);
        Ok(storage.put_stream(key, body, u64::MAX).await?)
    }

    /// Copies the object `rel` to the same name on `other`.
    pub async fn copy_to(&self, rel: &str, other: &Target) -> Result<PutInfo, SetError> {
        self.copy_to_storage(rel, &other.storage, &other.key(rel))
            .await
    }

    /// Stores an object of `storage` (media) under `rel` here.
    pub async fn copy_from_storage(
        &self,
        storage: &Storage,
        key: &str,
        rel: &str,
    ) -> Result<PutInfo, SetError> {
        let download = storage.get(key, None).await?;
        let body = download.body.map_err(std::io::Error::other);
        Ok(self
            .storage
            .put_stream(&self.key(rel), body, u64::MAX)
            .await?)
    }

    /// Writes the object `rel` to the new file `path` (mode 0600); returns its SHA-256 (hex)
    /// and size.
    pub async fn get_file(&self, rel: &str, path: &Path) -> Result<(String, u64), SetError> {
        let mut body = self.storage.get(&self.key(rel), None).await?.body;
        let mut file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .await
            .map_err(SetError::io("create", path))?;
        let mut hasher = Sha256::new();
        let mut bytes = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            hasher.update(&chunk);
            bytes += chunk.len() as u64;
            file.write_all(&chunk)
                .await
                .map_err(SetError::io("write", path))?;
        }
        file.sync_all().await.map_err(SetError::io("write", path))?;
        Ok((hex::encode(hasher.finalize()), bytes))
    }

    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        rel: &str,
    ) -> Result<Option<T>, SetError> {
        let mut body = match self.storage.get(&self.key(rel), None).await {
            Ok(download) => download.body,
            Err(StorageError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = body.next().await {
            bytes.extend_from_slice(&chunk?);
            if bytes.len() > MAX_JSON_BYTES {
                return Err(SetError::Corrupt {
                    id: rel.to_string(),
                    target: self.label.clone(),
                    problem: format!(
                        "{rel} is larger than the {} MiB a set's record may take",
                        MAX_JSON_BYTES >> 20
                    ),
                });
            }
        }
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| SetError::Corrupt {
                id: rel.to_string(),
                target: self.label.clone(),
                problem: format!("{rel} is not valid JSON: {e}"),
            })
    }

    pub async fn manifest(&self, id: &str) -> Result<Option<SetManifest>, SetError> {
        self.get_json(&set_key(id, MANIFEST)).await
    }

    pub async fn exists(&self, rel: &str) -> Result<bool, SetError> {
        Ok(self.storage.head(&self.key(rel)).await?.is_some())
    }

    /// Keys under the folder `rel` (relative to this target), sorted.
    pub async fn list(&self, rel: &str) -> Result<Vec<String>, SetError> {
        let strip = match self.prefix.as_str() {
            "" => 0,
            p => p.len() + 1,
        };
        let keys = self.storage.list(&self.key(rel)).await?;
        Ok(keys.into_iter().map(|k| k[strip..].to_string()).collect())
    }

    pub async fn delete(&self, rel: &str) -> Result<(), SetError> {
        self.storage.delete(&self.key(rel)).await?;
        if let Some(root) = &self.root
            && let Some(parent) = Path::new(rel).parent()
        {
            // An empty folder left by the last object is removed; a non-empty one stays.
            let _ = std::fs::remove_dir(root.join(parent));
        }
        Ok(())
    }

    /// Every set here, oldest first, with manifests and verification records read.
    pub async fn sets(&self) -> Result<Vec<SetSummary>, SetError> {
        let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for key in self.list("sets").await? {
            if let Some((id, name)) = key
                .strip_prefix("sets/")
                .and_then(|rest| rest.split_once('/'))
            {
                ids.entry(id.to_string())
                    .or_default()
                    .push(name.to_string());
            }
        }
        let mut sets = Vec::with_capacity(ids.len());
        for (id, names) in ids {
            let has = |n: &str| names.iter().any(|x| x == n);
            let manifest = if has(MANIFEST) {
                self.manifest(&id).await?
            } else {
                None
            };
            let verification = if has(VERIFICATION) {
                self.get_json(&set_key(&id, VERIFICATION)).await?
            } else {
                None
            };
            sets.push(SetSummary {
                id,
                manifest,
                verification,
            });
        }
        sets.sort_by(|a, b| created(a).cmp(&created(b)).then(a.id.cmp(&b.id)));
        Ok(sets)
    }

    /// Every object of set `id`.
    pub async fn set_objects(&self, id: &str) -> Result<Vec<String>, SetError> {
        self.list(&format!("sets/{id}")).await
    }

    /// Removes what killed runs left (`storage::temp`): in a local folder every temporary file
    /// no process holds, and set folders left empty, which is safe only under the run lock;
    /// on S3 (which other hosts may write to) the uploads abandoned for `temp::SAFE_AGE`.
    pub async fn remove_leftovers(
        &self,
        now: std::time::SystemTime,
    ) -> Result<crate::storage::temp::Sweep, SetError> {
        use crate::storage::temp;
        let cutoff = if self.root.is_some() {
            now
        } else {
            temp::cutoff(now)
        };
        let swept = self.storage.sweep_temporary(cutoff, true).await?;
        if let Some(root) = &self.root {
            for top in ["sets", "media"] {
                remove_empty_folders(&root.join(top))?;
            }
        }
        Ok(swept)
    }

    pub async fn record_verification(
        &self,
        id: &str,
        verification: &Verification,
    ) -> Result<(), SetError> {
        let json = serde_json::to_vec_pretty(verification).expect("serializable");
        self.put_bytes(&set_key(id, VERIFICATION), json).await?;
        Ok(())
    }
}

fn created(set: &SetSummary) -> Option<chrono::DateTime<chrono::Utc>> {
    set.manifest.as_ref().map(|m| m.created_at)
}

/// Removes the folders below `dir` that are empty.
fn remove_empty_folders(dir: &Path) -> Result<(), SetError> {
    let entries = match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        entries => entries.map_err(SetError::io("list", dir))?,
    };
    for entry in entries {
        let entry = entry.map_err(SetError::io("list", dir))?;
        let path = entry.path();
        if entry
            .file_type()
            .map_err(SetError::io("read", &path))?
            .is_dir()
        {
            remove_empty_folders(&path)?;
            // Fails, as it should, while the folder holds anything.
            let _ = std::fs::remove_dir(&path);
        }
    }
    Ok(())
}
