//! Writing a set: the dump into a work folder, the media rows read back from the dump itself
//! (so the media list matches the database snapshot exactly), each media file not yet stored
//! copied in under its content hash and checked against the database's SHA-256, then the
//! dump, and the manifest last. Copying a set to another target follows the same order.

use std::{collections::HashSet, path::Path, sync::Arc};

use chrono::{DateTime, Utc};

use super::{
    BackupKeys, Recipients, SetError, Target,
    manifest::{
        MANIFEST, MediaEntry, SET_FORMAT, SetManifest, StoredFile, blob_key, set_id, set_key,
    },
};
use crate::{
    backup::{
        self, BackupError, Compression, DumpOptions, Quiet,
        copytext::parse_row,
        format::Manifest,
        reader::{self, Event},
    },
    db::{Db, Value},
    storage::{PutInfo, Storage},
    version::VERSION,
};

/// What a run or a copy moved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CopyStats {
    /// Media files copied because the target did not have them yet.
    pub media_new: usize,
    pub media_new_bytes: u64,
    /// Media files the target already had.
    pub media_reused: usize,
}

/// Dumps `db`, copies `media` and writes a new set on `target` (created at `now`), its
/// manifest signed with `keys`. `work` is a folder for temporary files on the same machine.
pub async fn create_set(
    db: &Db,
    media: &Storage,
    target: &Target,
    (recipients, keys): (&Recipients, &BackupKeys),
    now: DateTime<Utc>,
    work: &Path,
) -> Result<(SetManifest, CopyStats), SetError> {
    let id = free_id(target, now).await?;
    let dump_path = work.join("database.sql.zst");
    let dump_manifest = dump_to(db, &dump_path).await?;
    let rows = media_rows(&dump_path, &dump_manifest).await?;
    let encrypted = !recipients.is_empty();

    let mut stored: HashSet<String> = target.list("media").await?.into_iter().collect();
    let mut stats = CopyStats::default();
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        let blob = blob_key(&row.sha256, encrypted);
        if !stored.insert(blob.clone()) {
            stats.media_reused += 1;
        } else {
            store_media(media, target, &row, &blob, recipients, work).await?;
            stats.media_new += 1;
            stats.media_new_bytes += row.size;
        }
        entries.push(MediaEntry { blob, ..row });
    }

    let (stored_dump, name) = if encrypted {
        let sealed = work.join("database.sql.zst.age");
        recipients.encrypt_file(&dump_path, &sealed).await?;
        (sealed, "database.sql.zst.age")
    } else {
        (dump_path.clone(), "database.sql.zst")
    };
    let key = set_key(&id, name);
    let info = target.put_file(&key, &stored_dump).await?;
    let mut manifest = SetManifest {
        format: SET_FORMAT,
        id: id.clone(),
        created_at: now,
        paideia_version: VERSION.to_string(),
        engine: dump_manifest.engine,
        schema_version: dump_manifest.schema_version,
        rows: dump_manifest.total_rows(),
        encrypted,
        database: StoredFile {
            key,
            sha256: hex::encode(info.sha256),
            bytes: info.size,
        },
        media: entries,
        mac: None,
    };
    keys.sign(&mut manifest);
    let json = serde_json::to_vec_pretty(&manifest).expect("serializable");
    target.put_bytes(&set_key(&id, MANIFEST), json).await?;
    Ok((manifest, stats))
}

/// The set id for `now`, with a suffix when a set of the same second exists.
async fn free_id(target: &Target, now: DateTime<Utc>) -> Result<String, SetError> {
    let taken: HashSet<String> = target.sets().await?.into_iter().map(|s| s.id).collect();
    Ok((0..)
        .map(|n| set_id(now, n))
        .find(|id| !taken.contains(id))
        .expect("some suffix is free"))
}

async fn dump_to(db: &Db, path: &Path) -> Result<Manifest, SetError> {
    let options = DumpOptions {
        compression: Compression::Zstd {
            level: Compression::DEFAULT_ZSTD_LEVEL,
        },
        jobs: 2,
    };
    let (manifest, _) = backup::dump_to_file(db, path, options, Arc::new(Quiet), false).await?;
    Ok(manifest)
}

/// The `media` table's rows in the dump at `path` (described by `manifest`): storage key,
/// SHA-256 and size, in the dump's order.
async fn media_rows(path: &Path, manifest: &Manifest) -> Result<Vec<MediaEntry>, SetError> {
    let Some(index) = manifest.tables.iter().position(|t| t.name == "media") else {
        return Ok(Vec::new());
    };
    let columns = manifest.tables[index].columns.clone();
    let at = |name: &str| {
        columns.iter().position(|c| c.name == name).ok_or_else(|| {
            SetError::Backup(BackupError::Table {
                table: "media".into(),
                problem: format!("the dump has no column {name}"),
            })
        })
    };
    let (key_at, sha_at, size_at) = (at("storage_key")?, at("sha256")?, at("size_bytes")?);
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let mut rows = Vec::new();
        let mut in_media = false;
        reader::scan(&path, reader::Rows::TrustChecked, |event| {
            match event {
                Event::Begin(i) => in_media = i == index,
                Event::End => in_media = false,
                Event::Row(line) if in_media => {
                    let values =
                        parse_row(line, &columns).map_err(|problem| BackupError::Table {
                            table: "media".into(),
                            problem,
                        })?;
                    rows.push(media_entry(&values, key_at, sha_at, size_at)?);
                }
                Event::Row(_) | Event::Piece(_) => {}
            }
            Ok(())
        })?;
        Ok(rows)
    })
    .await
    .map_err(|e| BackupError::Refused(format!("the dump reader stopped: {e}")))?
}

fn media_entry(
    values: &[Value],
    key_at: usize,
    sha_at: usize,
    size_at: usize,
) -> Result<MediaEntry, BackupError> {
    let bad = |problem: &str| BackupError::Table {
        table: "media".into(),
        problem: problem.to_string(),
    };
    let (Value::Text(key), Value::Bytes(sha), Value::Int(size)) =
        (&values[key_at], &values[sha_at], &values[size_at])
    else {
        return Err(bad(
            "a row's storage_key, sha256 or size_bytes has the wrong type",
        ));
    };
    if sha.len() != 32 || *size < 0 {
        return Err(bad(
            "a row's sha256 is not 32 bytes or its size is negative",
        ));
    }
    Ok(MediaEntry {
        storage_key: key.clone(),
        sha256: hex::encode(sha),
        size: *size as u64,
        blob: String::new(),
    })
}

/// Copies one media file into `target` under `blob`, checking its hash and size against
/// the database's; encrypted through a temporary file in `work` when there are recipients.
async fn store_media(
    media: &Storage,
    target: &Target,
    row: &MediaEntry,
    blob: &str,
    recipients: &Recipients,
    work: &Path,
) -> Result<(), SetError> {
    if recipients.is_empty() {
        let info = target
            .copy_from_storage(media, &row.storage_key, blob)
            .await?;
        if let Err(e) = check_media(row, &info) {
            target.delete(blob).await?;
            return Err(e);
        }
        return Ok(());
    }
    let plain = work.join("media.plain");
    let sealed = work.join("media.age");
    let _ = std::fs::remove_file(&plain);
    let _ = std::fs::remove_file(&sealed);
    let local = Target::local(work).await?;
    let info = local
        .copy_from_storage(media, &row.storage_key, "media.plain")
        .await?;
    check_media(row, &info)?;
    recipients.encrypt_file(&plain, &sealed).await?;
    target.put_file(blob, &sealed).await?;
    let _ = std::fs::remove_file(&plain);
    let _ = std::fs::remove_file(&sealed);
    Ok(())
}

fn check_media(row: &MediaEntry, info: &PutInfo) -> Result<(), SetError> {
    if hex::encode(info.sha256) != row.sha256 || info.size != row.size {
        return Err(SetError::MediaMismatch {
            key: row.storage_key.clone(),
            problem: format!(
                "{} bytes with SHA-256 {}, the database says {} bytes with {}",
                info.size,
                hex::encode(info.sha256),
                row.size,
                row.sha256
            ),
        });
    }
    Ok(())
}

/// Copies set `manifest` from `from` to `to`: media blobs `to` lacks, the dump, then the
/// manifest, so `to` never lists the set before all of it is there.
pub async fn copy_set(
    from: &Target,
    to: &Target,
    manifest: &SetManifest,
) -> Result<CopyStats, SetError> {
    let present: HashSet<String> = to.list("media").await?.into_iter().collect();
    let mut stats = CopyStats::default();
    let mut copied = HashSet::new();
    for entry in &manifest.media {
        if present.contains(&entry.blob) || !copied.insert(entry.blob.clone()) {
            stats.media_reused += 1;
            continue;
        }
        from.copy_to(&entry.blob, to).await?;
        stats.media_new += 1;
        stats.media_new_bytes += entry.size;
    }
    from.copy_to(&manifest.database.key, to).await?;
    from.copy_to(&set_key(&manifest.id, MANIFEST), to).await?;
    Ok(stats)
}
