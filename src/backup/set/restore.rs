//! Reading a set back: the dump fetched and checked against the manifest's hash (decrypted
//! with the identity when the set is encrypted), the database restored by the dump restore
//! (same safety rules), and each media file put back into media storage under its original
//! key after its content hash was checked.

use std::path::{Path, PathBuf};

use super::{Identities, SetError, SetManifest, Target, Trust, manifest::MediaEntry};
use crate::{
    backup::{self, BackupError, Progress, RestoreOptions, RestoreReport, catalog},
    db::Db,
    storage::Storage,
};

pub struct RestoreSetOptions<'a> {
    /// Replace what the database holds (the caller has asked).
    pub clean: bool,
    pub identities: Option<&'a Identities>,
    /// How the set is authenticated (checked before anything is fetched).
    pub trust: Trust<'a>,
}

/// Restores set `manifest` from `target` into `db` and `media`; `work` holds the fetched
/// dump until the restore is done.
pub async fn restore_set(
    db: &Db,
    media: &Storage,
    target: &Target,
    manifest: &SetManifest,
    options: RestoreSetOptions<'_>,
    work: &Path,
    progress: &dyn Progress,
) -> Result<RestoreReport, SetError> {
    options.trust.check(target, manifest)?;
    let dump = fetch_dump(target, manifest, options.identities, work).await?;
    if !options.clean {
        refuse_non_empty(db).await?;
    }
    for entry in &manifest.media {
        put_media_back(target, manifest, entry, options.identities, media, work).await?;
    }
    let restore = RestoreOptions {
        clean: options.clean,
        trial: false,
    };
    let origin = format!("{target} set {}", manifest.id);
    Ok(backup::restore_from(db, &dump, &origin, restore, progress).await?)
}

/// Downloads the set's dump into `work`, checks it against the manifest, decrypts it when
/// needed, and returns the path of the plain dump.
pub async fn fetch_dump(
    target: &Target,
    manifest: &SetManifest,
    identities: Option<&Identities>,
    work: &Path,
) -> Result<PathBuf, SetError> {
    let fetched = work.join("fetched-database");
    let (sha256, bytes) = target.get_file(&manifest.database.key, &fetched).await?;
    if sha256 != manifest.database.sha256 || bytes != manifest.database.bytes {
        return Err(damaged(
            target,
            manifest,
            format!(
                "{} has {bytes} bytes with SHA-256 {sha256}; the manifest says {} bytes with {}",
                manifest.database.key, manifest.database.bytes, manifest.database.sha256
            ),
        ));
    }
    if !manifest.encrypted {
        return Ok(fetched);
    }
    let identities = identities.ok_or_else(|| SetError::NeedIdentity(manifest.id.clone()))?;
    let plain = work.join("database.sql.zst");
    identities.decrypt_file(&fetched, &plain).await?;
    std::fs::remove_file(&fetched).map_err(SetError::io("remove", &fetched))?;
    Ok(plain)
}

/// Fetches one media file into `work` (decrypted) and checks its content hash; returns
/// the path of the plain file.
pub async fn fetch_media(
    target: &Target,
    manifest: &SetManifest,
    entry: &MediaEntry,
    identities: Option<&Identities>,
    work: &Path,
) -> Result<PathBuf, SetError> {
    let fetched = work.join("fetched-media");
    let plain = work.join("media-plain");
    let _ = std::fs::remove_file(&fetched);
    let _ = std::fs::remove_file(&plain);
    let (mut sha256, mut bytes) = target.get_file(&entry.blob, &fetched).await?;
    let path = if manifest.encrypted {
        let identities = identities.ok_or_else(|| SetError::NeedIdentity(manifest.id.clone()))?;
        identities.decrypt_file(&fetched, &plain).await?;
        (sha256, bytes) = file_sha256(&plain)?;
        plain
    } else {
        fetched
    };
    if sha256 != entry.sha256 || bytes != entry.size {
        return Err(damaged(
            target,
            manifest,
            format!(
                "media blob {} holds {bytes} bytes with SHA-256 {sha256}, not {} bytes with {}",
                entry.blob, entry.size, entry.sha256
            ),
        ));
    }
    Ok(path)
}

async fn put_media_back(
    target: &Target,
    manifest: &SetManifest,
    entry: &MediaEntry,
    identities: Option<&Identities>,
    media: &Storage,
    work: &Path,
) -> Result<(), SetError> {
    let path = fetch_media(target, manifest, entry, identities, work).await?;
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(SetError::io("open", &path))?;
    let body = tokio_util::io::ReaderStream::with_capacity(file, 1 << 20);
    media.put_stream(&entry.storage_key, body, u64::MAX).await?;
    Ok(())
}

fn file_sha256(path: &Path) -> Result<(String, u64), SetError> {
    use std::io::Read;

    use sha2::{Digest, Sha256};
    let mut file = std::fs::File::open(path).map_err(SetError::io("open", path))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(SetError::io("read", path))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), bytes))
}

/// The dump restore's own rule, checked before any media is written.
async fn refuse_non_empty(db: &Db) -> Result<(), SetError> {
    let mut conn = db.conn().await.map_err(BackupError::from)?;
    let mut tx = conn
        .read_transaction(None)
        .await
        .map_err(BackupError::from)?;
    let tables = catalog::tables(&mut tx, db.engine())
        .await
        .map_err(BackupError::from)?;
    if tables.is_empty() {
        Ok(())
    } else {
        Err(BackupError::NotEmpty.into())
    }
}

pub(super) fn damaged(target: &Target, manifest: &SetManifest, problem: String) -> SetError {
    SetError::Corrupt {
        id: manifest.id.clone(),
        target: target.to_string(),
        problem,
    }
}
