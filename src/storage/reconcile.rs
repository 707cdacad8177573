//! What the database refers to against what the storage holds, both ways: files a row names
//! that are not stored (a dump restored without its files), and stored files no row names
//! (orphans: an upload whose process died between storing the file and recording it). Only
//! keys under `media/` are ever considered; the rows come from the caller (`lms::media`).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use futures_util::{StreamExt, TryStreamExt, stream};

use super::{ObjectInfo, Storage, StorageError};

/// A stored object a database row refers to: its key and the size recorded at upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub key: String,
    pub size: u64,
}

/// Where uploaded files live.
pub const MEDIA_PREFIX: &str = "media";
/// An object no row refers to is an orphan only once older than this: an upload in progress
/// has stored its file but not yet committed its row.
pub const ORPHAN_AGE: Duration = Duration::days(1);
/// Lookups in flight when checking references one by one.
const LOOKUPS_IN_FLIGHT: usize = 8;

/// The result of checking references: how many were checked, which are missing and which
/// have another size than recorded.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Presence {
    pub checked: usize,
    pub missing: Vec<String>,
    pub wrong_size: Vec<String>,
}

impl Presence {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty() && self.wrong_size.is_empty()
    }
}

/// Checks each reference with a lookup: for a sample, where a listing would cost more.
pub async fn check_each(storage: &Storage, refs: &[Reference]) -> Result<Presence, StorageError> {
    let found: Vec<(&Reference, Option<u64>)> = stream::iter(refs)
        .map(|r| async move { storage.head(&r.key).await.map(|size| (r, size)) })
        .buffer_unordered(LOOKUPS_IN_FLIGHT)
        .try_collect()
        .await?;
    let mut presence = Presence {
        checked: refs.len(),
        ..Presence::default()
    };
    for (r, size) in found {
        match size {
            None => presence.missing.push(r.key.clone()),
            Some(size) if size != r.size => presence.wrong_size.push(r.key.clone()),
            Some(_) => {}
        }
    }
    presence.missing.sort();
    presence.wrong_size.sort();
    Ok(presence)
}

/// Checks every reference against one listing of `MEDIA_PREFIX`.
pub fn check_listing(listing: &[ObjectInfo], refs: &[Reference]) -> Presence {
    let sizes: HashMap<&str, u64> = listing.iter().map(|o| (o.key.as_str(), o.size)).collect();
    let mut presence = Presence {
        checked: refs.len(),
        ..Presence::default()
    };
    for r in refs {
        match sizes.get(r.key.as_str()) {
            None => presence.missing.push(r.key.clone()),
            Some(&size) if size != r.size => presence.wrong_size.push(r.key.clone()),
            Some(_) => {}
        }
    }
    presence.missing.sort();
    presence.wrong_size.sort();
    presence
}

/// The objects of `listing` no reference names, older than `ORPHAN_AGE` at `now`.
pub fn orphans(listing: &[ObjectInfo], refs: &[Reference], now: DateTime<Utc>) -> Vec<ObjectInfo> {
    let known: HashSet<&str> = refs.iter().map(|r| r.key.as_str()).collect();
    listing
        .iter()
        .filter(|o| !known.contains(o.key.as_str()) && now - o.modified >= ORPHAN_AGE)
        .cloned()
        .collect()
}

/// Removes `orphans`; returns how many were removed, and what failed.
pub async fn remove(storage: &Storage, orphans: &[ObjectInfo]) -> (usize, Vec<String>) {
    let results: Vec<Result<(), StorageError>> = stream::iter(orphans)
        .map(|o| storage.delete(&o.key))
        .buffer_unordered(LOOKUPS_IN_FLIGHT)
        .collect()
        .await;
    let failures: Vec<String> = results
        .into_iter()
        .filter_map(|r| r.err().map(|e| e.to_string()))
        .collect();
    (orphans.len() - failures.len(), failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(key: &str, size: u64, days_old: i64, now: DateTime<Utc>) -> ObjectInfo {
        ObjectInfo {
            key: key.into(),
            size,
            modified: now - Duration::days(days_old),
        }
    }

    fn reference(key: &str, size: u64) -> Reference {
        Reference {
            key: key.into(),
            size,
        }
    }

    #[test]
    fn missing_resized_and_orphaned_files_are_found() {
        let now = Utc::now();
        let listing = [
            object("media/a", 10, 5, now),
            object("media/b", 99, 5, now),
            object("media/old-orphan", 7, 2, now),
            object("media/new-orphan", 7, 0, now),
        ];
        let refs = [
            reference("media/a", 10),
            reference("media/b", 20),
            reference("media/gone", 1),
        ];
        let presence = check_listing(&listing, &refs);
        assert_eq!(presence.checked, 3);
        assert_eq!(presence.missing, ["media/gone"]);
        assert_eq!(presence.wrong_size, ["media/b"]);
        assert!(!presence.is_complete());
        let found = orphans(&listing, &refs, now);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key, "media/old-orphan");
    }
}
