//! S3 uploads. One that fits in one part is a single PUT; a larger one is a multipart upload
//! recorded in a lease object (`lease`) for as long as it runs, and aborted on error, on a
//! breached limit, or when the upload is dropped, so a key is either complete or absent. An
//! upload whose process was killed is found through its lease and aborted by a later sweep.
//! Parts are assembled within the process's memory budget (`budget`): what does not fit waits
//! in a spill file until its part is sent.

use std::{sync::Arc, time::Instant};

use object_store::{
    ObjectStoreExt, PutPayload,
    aws::AmazonS3,
    multipart::{MultipartStore, PartId},
    path::Path,
};
use tokio::task::JoinSet;

use super::{
    S3Store,
    budget::{Held, Part, Parts},
    lease::{LEASE_RENEWAL, Lease},
};
use crate::storage::{
    StorageError,
    meter::{Body, Meter},
};

/// Parts of one upload sent at the same time.
const PARTS_IN_FLIGHT: usize = 2;

impl S3Store {
    pub async fn put(
        &self,
        key: &str,
        body: &mut Body<'_>,
        meter: &mut Meter<'_>,
    ) -> Result<(), StorageError> {
        let path = Path::from(key);
        let mut parts = Parts::new(&self.budget, body, meter);
        let (first, ended) = parts.next().await?;
        if ended {
            let (payload, held) = parts.payload(first).await?;
            let put = self.store.put(&path, payload).await;
            drop(held);
            put.map_err(self.failed("upload", key))?;
            return Ok(());
        }
        let mut upload = self.start_multipart(key).await?;
        let sent = self.send(&mut upload, first, &mut parts).await;
        let parts = upload
            .parts()
            .await
            .map_err(self.failed("upload a part of", key));
        match sent.and(parts) {
            Ok(parts) => {
                let done = self
                    .store
                    .complete_multipart(&path, &upload.id, parts)
                    .await;
                match done {
                    Ok(_) => {
                        upload.finished().await;
                        Ok(())
                    }
                    Err(e) => {
                        upload.abort().await;
                        Err(self.failed("complete the upload of", key)(e))
                    }
                }
            }
            Err(e) => {
                upload.abort().await;
                Err(e)
            }
        }
    }

    /// Starts a multipart upload and records it in a lease.
    async fn start_multipart(&self, key: &str) -> Result<Multipart, StorageError> {
        let path = Path::from(key);
        let id = self
            .store
            .create_multipart(&path)
            .await
            .map_err(self.failed("start a multipart upload of", key))?;
        let lease = Lease::new(self, key, &id);
        let upload = Multipart {
            store: self.store.clone(),
            path,
            id,
            lease: Some(lease),
            parts: JoinSet::new(),
            next_part: 0,
            done: Vec::new(),
        };
        match upload.lease().write(self).await {
            Ok(()) => Ok(upload),
            Err(e) => {
                upload.abort().await;
                Err(e)
            }
        }
    }

    /// Sends `first` and the rest of the body as parts, renewing the lease as it goes.
    async fn send(
        &self,
        upload: &mut Multipart,
        first: Part,
        parts: &mut Parts<'_, '_, '_>,
    ) -> Result<(), StorageError> {
        let key = upload.path.to_string();
        let mut renewed = Instant::now();
        let (mut part, mut ended) = (first, false);
        loop {
            // Room first, then the part's send permits: they are held only while it is read
            // back and sent, never while waiting for this upload's own earlier parts.
            upload
                .wait_for_room(PARTS_IN_FLIGHT - 1)
                .await
                .map_err(self.failed("upload a part of", &key))?;
            let (payload, held) = parts.payload(part).await?;
            upload.spawn_part(payload, held);
            if ended {
                return Ok(());
            }
            if renewed.elapsed() > LEASE_RENEWAL {
                upload.lease().write(self).await?;
                renewed = Instant::now();
            }
            let (next, last) = parts.next().await?;
            if next.is_empty() {
                return Ok(());
            }
            (part, ended) = (next, last);
        }
    }
}

/// A multipart upload in progress: its parts run as tasks of their own, so that when the
/// upload is dropped (a client went away) the parts in flight can land before the abort; a
/// part landing after an abort would stay stored, and billed.
struct Multipart {
    store: Arc<AmazonS3>,
    path: Path,
    id: String,
    lease: Option<Lease>,
    parts: JoinSet<(usize, object_store::Result<PartId>)>,
    next_part: usize,
    done: Vec<(usize, PartId)>,
}

impl Multipart {
    fn lease(&self) -> &Lease {
        self.lease
            .as_ref()
            .expect("the lease goes only with the upload")
    }

    /// Sends a part in a task of its own, which gives back the part's share of the budget
    /// once S3 answered.
    fn spawn_part(&mut self, payload: PutPayload, held: Held) {
        let (store, path, id) = (self.store.clone(), self.path.clone(), self.id.clone());
        let index = self.next_part;
        self.next_part += 1;
        self.parts.spawn(async move {
            let part = store.put_part(&path, &id, index, payload).await;
            drop(held);
            (index, part)
        });
    }

    /// Waits until at most `room` parts are in flight; the first failed part fails it.
    async fn wait_for_room(&mut self, room: usize) -> object_store::Result<()> {
        while self.parts.len() > room {
            let Some(joined) = self.parts.join_next().await else {
                break;
            };
            let (index, part) = joined.expect("an upload task does not panic");
            self.done.push((index, part?));
        }
        Ok(())
    }

    /// Every part's id in order, once all have landed.
    async fn parts(&mut self) -> object_store::Result<Vec<PartId>> {
        self.wait_for_room(0).await?;
        let mut done = std::mem::take(&mut self.done);
        done.sort_by_key(|(index, _)| *index);
        Ok(done.into_iter().map(|(_, part)| part).collect())
    }

    /// The upload is complete: its lease goes.
    async fn finished(mut self) {
        if let Some(lease) = self.lease.take() {
            lease.remove(&self.store).await;
        }
    }

    /// Aborts once the parts in flight have landed, then removes the lease (kept when the
    /// abort fails, so that a later sweep retries it).
    async fn abort(mut self) {
        let parts = std::mem::take(&mut self.parts);
        let lease = self.lease.take();
        abort(
            self.store.clone(),
            self.path.clone(),
            self.id.clone(),
            parts,
            lease,
        )
        .await;
    }
}

async fn abort(
    store: Arc<AmazonS3>,
    path: Path,
    id: String,
    mut parts: JoinSet<(usize, object_store::Result<PartId>)>,
    lease: Option<Lease>,
) {
    while parts.join_next().await.is_some() {}
    match store.abort_multipart(&path, &id).await {
        Ok(()) | Err(object_store::Error::NotFound { .. }) => {
            if let Some(lease) = lease {
                lease.remove(&store).await;
            }
        }
        Err(e) => tracing::warn!(
            "cannot abort the upload of {path}: {}; a later sweep retries",
            super::errors::describe(&e).text
        ),
    }
}

impl Drop for Multipart {
    fn drop(&mut self) {
        let Some(lease) = self.lease.take() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return; // the lease stays: a sweep aborts the upload later
        };
        let parts = std::mem::take(&mut self.parts);
        let (store, path, id) = (self.store.clone(), self.path.clone(), self.id.clone());
        runtime.spawn(abort(store, path, id, parts, Some(lease)));
    }
}
