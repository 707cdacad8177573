//! Backup sets: what `paideia backup` writes. A set is a database dump plus the media files
//! its rows refer to, described by a manifest that is written last (a set without one is
//! never listed as good). Media is stored once per content hash, so a daily run copies only
//! new files while every set restores on its own. Sets live on a `Target` (a local folder or
//! an S3 prefix); this module also owns the run lock, retention, encryption and verification.
//! Output and prompts are the command's.

mod auth;
mod crypt;
mod error;
mod lock;
mod manifest;
mod prune;
mod restore;
mod retention;
mod run;
mod target;
mod verify;

pub use auth::{AuthProblem, BackupKeys, SetMac, Trust, add_new_key};
pub use crypt::{Identities, Recipients};
pub use error::SetError;
pub use lock::RunLock;
pub use manifest::{MediaEntry, SetManifest, Verification};
pub use prune::{PruneReport, prune};
pub use restore::{RestoreSetOptions, fetch_dump, restore_set};
pub use retention::{Decision, plan as plan_retention};
pub use run::{CopyStats, copy_set, create_set};
pub use target::{SetSummary, Target};
pub use verify::{VerifyOutcome, verify_set};
