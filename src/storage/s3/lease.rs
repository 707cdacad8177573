//! Leases of multipart uploads. While an upload runs, a small object under the store's
//! temporary prefix names it (the key and the upload id) and is rewritten every
//! `LEASE_RENEWAL`; a lease older than `temp::SAFE_AGE` belongs to a process that is gone, and
//! `sweep` aborts its upload, so a killed upload's parts do not stay in the bucket (and billed).

use std::{collections::HashSet, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use object_store::{
    ObjectStore, ObjectStoreExt, aws::AmazonS3, multipart::MultipartStore, path::Path,
};

use super::S3Store;
use crate::storage::{
    StorageError,
    temp::{Leftover, Sweep},
};

/// How often a running upload rewrites its lease; well below `SAFE_AGE`.
pub const LEASE_RENEWAL: Duration = Duration::from_secs(10 * 60);
/// The names of lease objects and probe objects under the temporary prefix.
const LEASE_NAME: &str = "upload-";
pub const PROBE_NAME: &str = "probe-";

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Record {
    key: String,
    upload_id: String,
    pid: u32,
    started_at: DateTime<Utc>,
}

pub struct Lease {
    /// The lease object's own key.
    at: String,
    record: Record,
}

impl Lease {
    pub fn new(store: &S3Store, key: &str, upload_id: &str) -> Lease {
        Lease {
            at: format!(
                "{}/{LEASE_NAME}{:032x}",
                store.temp_prefix,
                rand::random::<u128>()
            ),
            record: Record {
                key: key.to_string(),
                upload_id: upload_id.to_string(),
                pid: std::process::id(),
                started_at: Utc::now(),
            },
        }
    }

    /// Writes (or renews) the lease.
    pub async fn write(&self, store: &S3Store) -> Result<(), StorageError> {
        let json = serde_json::to_vec(&self.record).expect("a lease serializes");
        store
            .store
            .put(&Path::from(self.at.as_str()), json.into())
            .await
            .map(drop)
            .map_err(store.failed("record the upload of", &self.record.key))
    }

    /// Removes the lease once its upload is complete or aborted; a failure is logged (the
    /// sweep then finds the upload gone and removes the lease).
    pub async fn remove(self, store: &Arc<AmazonS3>) {
        if let Err(e) = store.delete(&Path::from(self.at.as_str())).await {
            tracing::warn!(
                "cannot remove the lease {} of a finished upload: {}",
                self.at,
                super::errors::describe(&e).text
            );
        }
    }
}

impl S3Store {
    /// Finds what killed processes left, last written at or before `cutoff`: leases not
    /// renewed since (their uploads were abandoned), the unfinished uploads no fresh lease
    /// names (a process killed between starting an upload and recording it), and probe
    /// objects of a killed check. With `remove`, aborts those uploads and removes the objects.
    pub async fn sweep(&self, cutoff: DateTime<Utc>, remove: bool) -> Result<Sweep, StorageError> {
        let prefix = Path::from(self.temp_prefix.as_str());
        let objects: Vec<_> = self
            .store
            .list(Some(&prefix))
            .try_collect()
            .await
            .map_err(self.failed("list", &format!("{}/", self.temp_prefix)))?;
        let mut found = Sweep::default();
        let mut fresh = Vec::new();
        let mut ended = HashSet::new();
        for meta in objects {
            let name = meta.location.filename().unwrap_or_default().to_string();
            if !(name.starts_with(LEASE_NAME) || name.starts_with(PROBE_NAME)) {
                continue;
            }
            if meta.last_modified > cutoff {
                if name.starts_with(LEASE_NAME) {
                    fresh.push(meta.location);
                }
                continue;
            }
            let record = self.read_record(&meta.location).await;
            let leftover = Leftover {
                name: match &record {
                    Some(r) => format!(
                        "unfinished multipart upload of {} ({})",
                        r.key, meta.location
                    ),
                    None => meta.location.to_string(),
                },
                bytes: meta.size,
                age: age(meta.last_modified),
                pid: record.as_ref().map(|r| r.pid),
            };
            if remove && let Err(e) = self.end(&meta.location, record.as_ref()).await {
                found.failures.push(e.to_string());
                continue;
            }
            if let Some(r) = record {
                ended.insert(r.upload_id);
            }
            found.stale.push(leftover);
        }
        self.sweep_unrecorded(cutoff, remove, &fresh, &ended, &mut found)
            .await;
        Ok(found)
    }

    /// The unfinished uploads under this store's folders that started at or before `cutoff`
    /// and that no fresh lease names. Where the server cannot list uploads, or will not, the
    /// leases are all there is (a lifecycle rule is then the net).
    async fn sweep_unrecorded(
        &self,
        cutoff: DateTime<Utc>,
        remove: bool,
        fresh: &[Path],
        ended: &HashSet<String>,
        found: &mut Sweep,
    ) {
        let mut old = Vec::new();
        for folder in self.upload_prefixes.iter() {
            match self.unfinished_uploads(&format!("{folder}/")).await {
                Ok(Some(uploads)) => old.extend(
                    uploads
                        .into_iter()
                        .filter(|u| u.initiated <= cutoff && !ended.contains(&u.upload_id)),
                ),
                Ok(None) => return,
                Err(e) => {
                    tracing::warn!("{e}; only uploads recorded in a lease are aborted");
                    return;
                }
            }
        }
        if old.is_empty() {
            return;
        }
        let mut live = HashSet::new();
        for at in fresh {
            if let Some(r) = self.read_record(at).await {
                live.insert(r.upload_id);
            }
        }
        for upload in old.into_iter().filter(|u| !live.contains(&u.upload_id)) {
            if remove && let Err(e) = self.abort_upload(&upload.key, &upload.upload_id).await {
                found.failures.push(e.to_string());
                continue;
            }
            found.stale.push(Leftover {
                name: format!(
                    "unfinished multipart upload of {} (started {}, no lease)",
                    upload.key, upload.initiated
                ),
                bytes: 0,
                age: age(upload.initiated),
                pid: None,
            });
        }
    }

    async fn read_record(&self, at: &Path) -> Option<Record> {
        let bytes = self.store.get(at).await.ok()?.bytes().await.ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Aborts the upload a lease names, then removes the lease.
    async fn end(&self, at: &Path, record: Option<&Record>) -> Result<(), StorageError> {
        if let Some(r) = record {
            self.abort_upload(&r.key, &r.upload_id).await?;
        }
        match self.store.delete(at).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.failed("delete", at.as_ref())(e)),
        }
    }

    /// Aborts an upload; one the server no longer knows is done already.
    async fn abort_upload(&self, key: &str, upload_id: &str) -> Result<(), StorageError> {
        match self
            .store
            .abort_multipart(&Path::from(key), &upload_id.to_string())
            .await
        {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            // The upload completed before its process died (some servers answer 403 for an
            // upload they no longer know), or the policy forbids aborting: either way
            // retrying cannot help, so the lease goes, with a word for the admin.
            Err(e @ object_store::Error::PermissionDenied { .. }) => {
                tracing::warn!(
                    "S3 bucket {}: cannot abort the upload {upload_id} of {key}: {}; forgetting it (if the bucket policy lacks s3:AbortMultipartUpload, allow it, or add a lifecycle rule that aborts incomplete uploads)",
                    self.bucket,
                    super::errors::describe(&e).text
                );
                Ok(())
            }
            Err(e) => Err(self.failed("abort the unfinished upload of", key)(e)),
        }
    }
}

fn age(since: DateTime<Utc>) -> Duration {
    (Utc::now() - since).to_std().unwrap_or_default()
}
