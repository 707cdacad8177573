//! A set's manifest (`sets/<id>/manifest.json`): what the set holds and the hashes to check
//! it by, and the verification record `backup verify` writes beside it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::auth::SetMac;
use crate::db::Engine;

/// The manifest format this binary writes and reads. Format 2: a MAC by a backup key
/// (`auth`); format 1 sets carry none and restore only with `--trust-unauthenticated`.
pub const SET_FORMAT: u32 = 2;
pub const MANIFEST: &str = "manifest.json";
pub const VERIFICATION: &str = "verification.json";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SetManifest {
    pub format: u32,
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub paideia_version: String,
    pub engine: Engine,
    pub schema_version: i64,
    /// Rows in the dump, over all tables.
    pub rows: u64,
    /// True when the dump and the media blobs are age-encrypted.
    pub encrypted: bool,
    pub database: StoredFile,
    pub media: Vec<MediaEntry>,
    /// The MAC over everything above, by a backup key (`auth`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<SetMac>,
}

/// An object of the set, relative to the target's root, with the SHA-256 and size of the
/// bytes stored (encrypted ones when the set is encrypted).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredFile {
    pub key: String,
    pub sha256: String,
    pub bytes: u64,
}

/// One uploaded file: where it lives in media storage, its content hash and size (as the
/// database records them), and the blob holding it in the set's target.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MediaEntry {
    pub storage_key: String,
    pub sha256: String,
    pub size: u64,
    pub blob: String,
}

/// What `backup verify` found, stored beside the manifest.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Verification {
    pub verified_at: DateTime<Utc>,
    pub ok: bool,
    pub detail: String,
    pub paideia_version: String,
}

impl SetManifest {
    /// Bytes this set needs: the dump and every media file it refers to.
    pub fn total_bytes(&self) -> u64 {
        self.database.bytes + self.media.iter().map(|m| m.size).sum::<u64>()
    }
}

/// The set key of `name` inside set `id`.
pub fn set_key(id: &str, name: &str) -> String {
    format!("sets/{id}/{name}")
}

/// The blob key of content `sha256`, `.age` when encrypted.
pub fn blob_key(sha256: &str, encrypted: bool) -> String {
    let suffix = if encrypted { ".age" } else { "" };
    format!("media/{}/{sha256}{suffix}", &sha256[..2])
}

/// A set id from its creation time (`20261126T023000Z`), with `-N` when that second is taken.
pub fn set_id(at: DateTime<Utc>, attempt: u32) -> String {
    let base = at.format("%Y%m%dT%H%M%SZ").to_string();
    match attempt {
        0 => base,
        n => format!("{base}-{n}"),
    }
}
