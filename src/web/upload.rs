//! Receiving multipart forms with files: text fields are collected, each file field streams
//! straight into storage under a new key with the size limit applied while it streams (an
//! oversized file stores nothing), and its name is checked first. Files the request ends up
//! not using are removed with `discard`.

use std::{collections::HashMap, io};

use axum::extract::{Multipart, multipart::MultipartError};
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;

use super::WebError;
use crate::{
    lms::media::{StoredFile, clean_file_name},
    storage::{Storage, StorageError},
};

/// The longest text field of an upload form, in bytes.
const MAX_TEXT_FIELD_BYTES: usize = 512 * 1024;
const MIB: u64 = 1024 * 1024;

/// What a multipart form brought: its text fields, the files stored, and the files refused
/// (too large, wrong type) with the reason.
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: HashMap<String, String>,
    pub files: Vec<StoredFile>,
    pub refused: Vec<String>,
    /// The field each of `files` came in (for rules matching several fields).
    pub file_fields: Vec<String>,
    /// The field each of `refused` came in.
    pub refused_fields: Vec<String>,
}

impl Upload {
    pub fn field(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}

/// The rule for the file fields named `name` (or, when `name` ends with `-`, every field
/// whose name starts with it, such as `feedback_file-12`).
pub struct FileRule<'a> {
    pub name: &'a str,
    pub max_bytes: u64,
    pub check_name: &'a (dyn Fn(&str) -> Result<(), String> + Sync),
}

fn bad(e: MultipartError) -> WebError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        WebError::TooLarge
    } else {
        WebError::BadRequest(e.body_text())
    }
}

/// Reads the whole form, storing files as they arrive. On an error every file stored so far
/// is removed again.
pub async fn receive(
    storage: &Storage,
    mut multipart: Multipart,
    rule: &FileRule<'_>,
    now: DateTime<Utc>,
) -> Result<Upload, WebError> {
    let mut upload = Upload::default();
    let result = read_fields(storage, &mut multipart, rule, now, &mut upload).await;
    if let Err(e) = result {
        discard(storage, &upload.files).await;
        return Err(e);
    }
    Ok(upload)
}

async fn read_fields(
    storage: &Storage,
    multipart: &mut Multipart,
    rule: &FileRule<'_>,
    now: DateTime<Utc>,
    upload: &mut Upload,
) -> Result<(), WebError> {
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        let is_file = name == rule.name || rule.name.ends_with('-') && name.starts_with(rule.name);
        if !is_file {
            let text = field.text().await.map_err(bad)?;
            if text.len() > MAX_TEXT_FIELD_BYTES {
                return Err(WebError::TooLarge);
            }
            upload.fields.insert(name, text);
            continue;
        }
        let sent_name = field.file_name().unwrap_or_default().to_string();
        if sent_name.is_empty() {
            continue; // an empty file input: no file chosen
        }
        let file_name = clean_file_name(&sent_name);
        if let Err(reason) = (rule.check_name)(&file_name) {
            upload.refused.push(reason);
            upload.refused_fields.push(name);
            continue; // the rest of the field is skipped by the next `next_field`
        }
        let key = Storage::new_key("media", now).map_err(internal)?;
        let body = field.map_err(io::Error::other);
        match storage.put_stream(&key, body, rule.max_bytes).await {
            Ok(info) => {
                upload.files.push(StoredFile {
                    key,
                    file_name,
                    info,
                });
                upload.file_fields.push(name);
            }
            Err(StorageError::TooLarge { .. }) => {
                upload.refused.push(format!(
                    "{file_name} is larger than the limit of {}",
                    size_text(rule.max_bytes)
                ));
                upload.refused_fields.push(name);
            }
            Err(StorageError::Upload { source, .. }) => {
                return Err(WebError::BadRequest(format!("the upload failed: {source}")));
            }
            Err(e) => return Err(internal(e)),
        }
    }
    Ok(())
}

/// A size for people: `10 MiB`, `1536 bytes`.
pub fn size_text(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

fn internal(e: StorageError) -> WebError {
    WebError::Internal(e.to_string())
}

/// Removes stored files nothing refers to; failures are logged, not shown.
pub async fn discard(storage: &Storage, files: &[StoredFile]) {
    for file in files {
        delete_logged(storage, &file.key).await;
    }
}

/// Removes the objects under `keys`; failures are logged, not shown.
pub async fn discard_keys(storage: &Storage, keys: &[String]) {
    for key in keys {
        delete_logged(storage, key).await;
    }
}

async fn delete_logged(storage: &Storage, key: &str) {
    if let Err(e) = storage.delete(key).await {
        tracing::warn!(target: "paideia::http", "cannot remove an unused upload: {e}");
    }
}
