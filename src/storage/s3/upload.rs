//! S3 uploads. One that fits in one part is a single PUT; a larger one is a multipart upload
//! that is aborted on error, on a breached limit, or when the upload is dropped, so a key is
//! either complete or absent.

use bytes::Bytes;
use object_store::{ObjectStoreExt, PutPayload, WriteMultipart, path::Path};

use super::S3Store;
use crate::storage::{
    StorageError,
    meter::{Body, Meter},
};

/// Size of one multipart part; uploads up to this size are a single PUT.
const PART_SIZE: usize = 8 * 1024 * 1024;
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
        let mut first = Vec::new();
        let mut buffered = 0;
        while buffered < PART_SIZE {
            let Some(chunk) = meter.next(body).await? else {
                let payload: PutPayload = first.into_iter().collect();
                self.store
                    .put(&path, payload)
                    .await
                    .map_err(self.failed("upload", key))?;
                return Ok(());
            };
            buffered += chunk.len();
            first.push(chunk);
        }
        let upload = self
            .store
            .put_multipart(&path)
            .await
            .map_err(self.failed("start a multipart upload of", key))?;
        let mut pending = Pending(Some(WriteMultipart::new_with_chunk_size(upload, PART_SIZE)));
        let sent = self.send(pending.writer(), first, body, meter, key).await;
        let writer = pending.take();
        match sent {
            Ok(()) => writer
                .finish()
                .await
                .map(drop)
                .map_err(self.failed("complete the upload of", key)),
            Err(e) => {
                if let Err(failure) = abort(writer).await {
                    tracing::warn!(
                        "S3 bucket {}: cannot abort the upload of {key}: {failure}",
                        self.bucket
                    );
                }
                Err(e)
            }
        }
    }

    async fn send(
        &self,
        writer: &mut WriteMultipart,
        first: Vec<Bytes>,
        body: &mut Body<'_>,
        meter: &mut Meter<'_>,
        key: &str,
    ) -> Result<(), StorageError> {
        first.into_iter().for_each(|chunk| writer.put(chunk));
        while let Some(chunk) = meter.next(body).await? {
            writer
                .wait_for_capacity(PARTS_IN_FLIGHT)
                .await
                .map_err(self.failed("upload a part of", key))?;
            writer.put(chunk);
        }
        Ok(())
    }
}

/// Aborts a multipart upload once its parts in flight have landed: a part that lands after
/// the abort would stay stored (and billed) until aborted again.
async fn abort(mut writer: WriteMultipart) -> object_store::Result<()> {
    let _ = writer.wait_for_capacity(0).await;
    writer.abort().await
}

/// A multipart upload in progress; aborted in the background if dropped before `take`.
struct Pending(Option<WriteMultipart>);

impl Pending {
    fn writer(&mut self) -> &mut WriteMultipart {
        self.0.as_mut().expect("taken only once, at the end")
    }

    fn take(mut self) -> WriteMultipart {
        self.0.take().expect("taken only once, at the end")
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(writer) = self.0.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move {
                let _ = abort(writer).await;
            });
        }
    }
}
