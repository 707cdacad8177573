//! Backups admins can trust: the dump format and its writer, restore across engines, and
//! verification that proves a file restorable. See docs/dump-format.md.

mod budget;
pub mod catalog;
pub mod copytext;
mod dump;
pub(crate) mod error;
pub mod format;
pub mod history;
pub mod io;
mod output;
mod reader;
mod restore;
mod rowcheck;
pub mod rules;
pub mod runlog;
pub mod script;
pub mod set;
mod staged;
mod timetext;
mod verify;
mod writeback;

pub use catalog::sequence_resets;
pub use dump::{DumpOptions, dump, dump_to_file, dump_to_stream};
pub use error::BackupError;
pub use output::{AtomicFile, Compression};
pub use reader::peek_manifest;
pub use restore::{RestoreOptions, RestoreReport, restore, restore_from};
pub use staged::leftover_schemas;
pub use verify::{Scratch, VerifyReport, room_for_trial, verify};

/// Progress callbacks; the command decides how (and whether) to show them.
pub trait Progress: Send + Sync {
    /// `rows` and `bytes` of `table` are done so far.
    fn rows(&self, _table: &str, _rows: u64, _bytes: u64) {}
    fn done(&self, _table: &str, _rows: u64, _bytes: u64) {}
}

/// Shows nothing.
pub struct Quiet;

impl Progress for Quiet {}
