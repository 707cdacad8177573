//! Leases of multipart uploads. While an upload runs, a small object under the store's
//! temporary prefix names it (the key and the upload id) and is rewritten every
//! `LEASE_RENEWAL`; a lease older than `temp::SAFE_AGE` belongs to a process that is gone, and
//! `sweep` aborts its upload, so a killed upload's parts do not stay in the bucket (and billed).

use std::{sync::Arc, time::Duration};

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
    /// Finds the leases last renewed at or before `cutoff` (their uploads were abandoned by a
    /// process that is gone) and the probe objects a killed check left; with `remove`, aborts
    /// those uploads and removes the objects.
    pub async fn sweep(&self, cutoff: DateTime<Utc>, remove: bool) -> Result<Sweep, StorageError> {
        let prefix = Path::from(self.temp_prefix.as_str());
        let objects: Vec<_> = self
            .store
            .list(Some(&prefix))
            .try_collect()
            .await
            .map_err(self.failed("list", &format!("{}/", self.temp_prefix)))?;
        let mut found = Sweep::default();
        for meta in objects {
            let age = (Utc::now() - meta.last_modified)
                .to_std()
                .unwrap_or_default();
            let name = meta.location.filename().unwrap_or_default().to_string();
            if meta.last_modified > cutoff
                || !(name.starts_with(LEASE_NAME) || name.starts_with(PROBE_NAME))
            {
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
                age,
                pid: record.as_ref().map(|r| r.pid),
            };
            if remove && let Err(e) = self.end(&meta.location, record.as_ref()).await {
                found.failures.push(e.to_string());
                continue;
            }
            found.stale.push(leftover);
        }
        Ok(found)
    }

    async fn read_record(&self, at: &Path) -> Option<Record> {
        let bytes = self.store.get(at).await.ok()?.bytes().await.ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Aborts the upload a lease names, then removes the lease.
    async fn end(&self, at: &Path, record: Option<&Record>) -> Result<(), StorageError> {
        if let Some(r) = record {
            match self
                .store
                .abort_multipart(&Path::from(r.key.as_str()), &r.upload_id)
                .await
            {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                // The upload completed before its process died (some servers answer 403 for an
                // upload they no longer know), or the policy forbids aborting: either way
                // retrying cannot help, so the lease goes, with a word for the admin.
                Err(e @ object_store::Error::PermissionDenied { .. }) => tracing::warn!(
                    "S3 bucket {}: cannot abort the upload {} of {}: {}; forgetting it (if the bucket policy lacks s3:AbortMultipartUpload, allow it, or add a lifecycle rule that aborts incomplete uploads)",
                    self.bucket,
                    r.upload_id,
                    r.key,
                    super::errors::describe(&e).text
                ),
                Err(e) => return Err(self.failed("abort the unfinished upload of", &r.key)(e)),
            }
        }
        match self.store.delete(at).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.failed("delete", at.as_ref())(e)),
        }
    }
}
