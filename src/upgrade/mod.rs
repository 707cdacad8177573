//! Self-upgrade from signed releases: where releases come from (GitHub's API or a mirror), which
//! one to take, downloading with resume and a size cap, checksum and signature checks against
//! compiled-in keys, trying the new binary, and the atomic swap and rollback. Prompts, progress
//! and the pre-upgrade dump belong to `commands::upgrade`.
//!
//! Why not the self_update crate: it checks no checksum file, verifies signatures only inside
//! zipsign archives, cannot resume a download, cap its size or try the binary before the swap,
//! and keeps no previous binary; every step here needs one of those guarantees.

pub mod choose;
pub mod download;
pub mod history;
pub mod keys;
pub mod rehearsal;
pub mod releases;
pub mod smoke;
pub mod swap;
pub mod verify;

use std::path::{Path, PathBuf};

pub use choose::{Candidate, Choice, Policy, Target, choose};
pub use releases::{Asset, Release, ReleaseSource};
pub use swap::{Install, Record};

/// The signature published next to `SHA256SUMS`.
pub fn signature_name(file: &str) -> String {
    format!("{file}.minisig")
}

#[derive(Debug, thiserror::Error)]
pub enum UpgradeError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Network(String),
    #[error("the releases API's rate limit is used up{}", retry_text(.retry_at))]
    RateLimited {
        retry_at: Option<chrono::DateTime<chrono::Utc>>,
    },
    #[error("no releases at {0}")]
    NotFound(String),
    #[error("there is no release {0}")]
    NoSuchRelease(String),
    #[error("{message}")]
    Refused { message: String, hint: String },
    #[error("paideia publishes no binary for {os}-{arch}")]
    NoPlatform { os: String, arch: String },
    #[error("release {tag} has no {asset}")]
    NoAsset { tag: String, asset: String },
    #[error("verification failed: {0}; nothing was changed")]
    Verification(String),
    #[error("download failed: {0}")]
    Download(String),
    #[error("the download was interrupted after {done} bytes: {reason}")]
    Interrupted { done: u64, reason: String },
    #[error("the new binary failed its trial run: {0}; nothing was replaced")]
    SmokeTest(String),
    #[error("{message}")]
    Install { message: String, hint: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn retry_text(at: &Option<chrono::DateTime<chrono::Utc>>) -> String {
    match at {
        Some(at) => {
            let minutes = (*at - chrono::Utc::now()).num_minutes().max(0);
            format!(
                "; retry after {} (in {minutes} min)",
                at.format("%Y-%m-%d %H:%M:%S UTC")
            )
        }
        None => String::new(),
    }
}

impl UpgradeError {
    pub fn io(path: &Path) -> impl FnOnce(std::io::Error) -> UpgradeError + '_ {
        move |source| UpgradeError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn hint(&self) -> Option<String> {
        Some(match self {
            UpgradeError::Usage(_) => "see `paideia upgrade --help`".into(),
            UpgradeError::Network(_) => "check the connection (HTTPS_PROXY is honoured), or point PAIDEIA_RELEASES_URL at a mirror".into(),
            UpgradeError::RateLimited { .. } => "set PAIDEIA_GITHUB_TOKEN (or GH_TOKEN) to a GitHub token for a higher limit".into(),
            UpgradeError::NotFound(_) => "check --repo or PAIDEIA_RELEASES_URL".into(),
            UpgradeError::NoSuchRelease(_) => "`paideia upgrade --check` shows the newest release".into(),
            UpgradeError::Refused { hint, .. } | UpgradeError::Install { hint, .. } => hint.clone(),
            UpgradeError::NoPlatform { .. } => "paideia ships for linux-x86_64, linux-aarch64 and macos-aarch64; build from source with cargo elsewhere".into(),
            UpgradeError::NoAsset { .. } => "the release is incomplete; wait for its assets or pin another with --to".into(),
            UpgradeError::Verification(_) => "try again later; if it persists the release or the mirror is damaged or tampered with: report it".into(),
            UpgradeError::Download(_) => "run the same command again".into(),
            UpgradeError::Interrupted { .. } => "run the same command again to resume the download".into(),
            UpgradeError::SmokeTest(_) => "the current binary keeps running; report the failing release".into(),
            UpgradeError::Io { .. } => return None,
        })
    }
}
