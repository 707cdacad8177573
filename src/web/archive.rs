//! Sending many stored files as one zip, streamed: a task writes the archive (entries stored
//! as they are, no compression) into a small in-memory pipe while the response reads from
//! it, so memory stays bounded by the pipe and one chunk whatever the files' sizes. A
//! failure half-way ends the response with an error instead of a clean end, so the client
//! sees a broken download rather than a short zip.

use std::io;

use async_zip::{Compression, ZipDateTimeBuilder, ZipEntryBuilder, base::write::ZipFileWriter};
use axum::{
    body::Body,
    http::{HeaderValue, header},
    response::Response,
};
use bytes::Bytes;
use chrono::{DateTime, Datelike, Timelike, Utc};
use futures_util::{AsyncWriteExt, StreamExt, TryStreamExt};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use tokio::io::DuplexStream;
use tokio_util::io::ReaderStream;

use crate::storage::Storage;

/// The pipe between the writer task and the response.
const PIPE_BYTES: usize = 64 * 1024;

/// One entry of an archive: a stored object or a text, under a name already made safe.
pub struct Entry {
    pub name: String,
    pub modified: DateTime<Utc>,
    pub content: Content,
}

pub enum Content {
    Stored { key: String },
    Text(String),
}

/// A `200` streaming `entries` as `file_name` (an attachment).
pub fn send(storage: &Storage, entries: Vec<Entry>, file_name: &str) -> Response {
    let (writer, reader) = tokio::io::duplex(PIPE_BYTES);
    let (done_tx, done_rx) = tokio::sync::oneshot::channel();
    let storage = storage.clone();
    tokio::spawn(async move {
        let result = write(&storage, entries, writer).await;
        if let Err(e) = &result {
            tracing::warn!(target: "paideia::http", "zip download stopped: {e}");
        }
        let _ = done_tx.send(result);
    });
    let trailer = futures_util::stream::once(async move {
        match done_rx.await {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(Err(e)),
            Err(_) => Some(Err(io::Error::other("the zip writer stopped"))),
        }
    })
    .filter_map(futures_util::future::ready);
    let body = ReaderStream::new(reader).chain(trailer);
    let mut response = Response::new(Body::from_stream(body));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    let encoded = utf8_percent_encode(file_name, NON_ALPHANUMERIC);
    let fallback: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

async fn write(storage: &Storage, entries: Vec<Entry>, pipe: DuplexStream) -> io::Result<()> {
    let mut zip = ZipFileWriter::with_tokio(pipe);
    for entry in entries {
        let t = entry.modified;
        let date = ZipDateTimeBuilder::new()
            .year(t.year())
            .month(t.month())
            .day(t.day())
            .hour(t.hour())
            .minute(t.minute())
            .second(t.second())
            .build();
        let builder = ZipEntryBuilder::new(entry.name.into(), Compression::Stored)
            .last_modification_date(date)
            .unix_permissions(0o644);
        let mut out = zip
            .write_entry_stream(builder)
            .await
            .map_err(io::Error::other)?;
        match entry.content {
            Content::Text(text) => out.write_all(text.as_bytes()).await?,
            Content::Stored { key } => {
                let download = storage
                    .get(&key, None)
                    .await
                    .map_err(|e| io::Error::other(format!("{key}: {e}")))?;
                let mut body = download.body.map_err(io::Error::other);
                while let Some(chunk) = body.next().await {
                    let chunk: Bytes = chunk?;
                    out.write_all(&chunk).await?;
                }
            }
        }
        out.close().await.map_err(io::Error::other)?;
    }
    let mut pipe = zip.close().await.map_err(io::Error::other)?;
    pipe.close().await
}
