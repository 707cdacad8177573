//! Verifying a set: its manifest's MAC checked with the backup keys, the dump proven
//! restorable by verify-backup (hashes, then a trial restore into a scratch database), and
//! every media file fetched and checked against its content hash. The result is recorded
//! beside the manifest.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::{
    AuthProblem, Identities, SetError, SetManifest, Target, Trust, Verification,
    restore::{fetch_dump, fetch_media},
};
use crate::{
    backup::{self, BackupError, Scratch},
    storage::StorageError,
    version::VERSION,
};

/// A verification's result: `Ok` with what was checked, or the problem found.
pub struct VerifyOutcome {
    pub verification: Verification,
    /// Set when the set is not authenticated and was checked only because the admin trusts
    /// it anyway (`--trust-unauthenticated`).
    pub trusted_without_mac: Option<AuthProblem>,
}

/// Verifies set `manifest` on `target`, records the result there and returns it. Problems
/// with the set itself (a missing or wrong MAC included) become a failed verification;
/// failures to reach the target or the scratch database, or the lack of any key to check
/// the MAC with, are errors (nothing is recorded).
pub async fn verify_set(
    target: &Target,
    manifest: &SetManifest,
    (identities, trust): (Option<&Identities>, Trust<'_>),
    scratch: Scratch,
    work: &Path,
    now: impl Fn() -> DateTime<Utc>,
) -> Result<VerifyOutcome, SetError> {
    let (trusted_without_mac, checked) = match trust.check(target, manifest) {
        Err(
            e @ SetError::Unauthenticated {
                problem: AuthProblem::NoKeys { .. },
                ..
            },
        ) => return Err(e),
        Err(e) => (None, Err(e)),
        Ok(trusted) => (
            trusted,
            check(target, manifest, identities, scratch, work).await,
        ),
    };
    let (ok, detail) = match checked {
        Ok(detail) => (true, detail),
        Err(
            e @ (SetError::Corrupt { .. }
            | SetError::Unauthenticated { .. }
            | SetError::Storage(StorageError::NotFound { .. })
            | SetError::Backup(
                BackupError::Corrupt { .. }
                | BackupError::Table { .. }
                | BackupError::TooNew { .. }
                | BackupError::TrialRestore(_)
                | BackupError::Refused(_),
            )),
        ) => (false, e.to_string()),
        Err(e) => return Err(e),
    };
    let detail = match &trusted_without_mac {
        Some(problem) => {
            format!("NOT AUTHENTICATED ({problem}), checked on the admin's word: {detail}")
        }
        None => detail,
    };
    let verification = Verification {
        verified_at: now(),
        ok,
        detail,
        paideia_version: VERSION.to_string(),
    };
    target
        .record_verification(&manifest.id, &verification)
        .await?;
    Ok(VerifyOutcome {
        verification,
        trusted_without_mac,
    })
}

async fn check(
    target: &Target,
    manifest: &SetManifest,
    identities: Option<&Identities>,
    scratch: Scratch,
    work: &Path,
) -> Result<String, SetError> {
    let dump = fetch_dump(target, manifest, identities, work).await?;
    let report = backup::verify(&dump, Some(scratch)).await?;
    std::fs::remove_file(&dump).map_err(SetError::io("remove", &dump))?;
    for entry in &manifest.media {
        let path = fetch_media(target, manifest, entry, identities, work).await?;
        std::fs::remove_file(&path).map_err(SetError::io("remove", &path))?;
    }
    Ok(format!(
        "{} tables and {} rows restored into a scratch {} database; {} media files match their hashes",
        report.tables,
        report.rows,
        report.trial_restore.map_or("-".into(), |e| e.to_string()),
        manifest.media.len()
    ))
}
