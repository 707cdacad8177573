//! The migration engine: SQL files embedded in the binary, applied in order under a lock, each
//! with its bookkeeping row in one transaction, checked by checksum, and gated by the
//! compatibility record that lets old and new binaries share a database in a rolling upgrade.

mod compat;
mod dialect;
mod error;
mod locks;
pub mod policy;
mod runner;
mod set;
mod status;

pub use compat::{Compatibility, series_floor};
pub use dialect::bookkeeping_ddl;
pub use error::MigrateError;
pub use locks::lock_warnings;
pub use runner::{Migrator, UpOptions, UpReport};
pub use set::{Kind, Migration, MigrationSet};
pub use status::{AppliedMigration, MigrationState, Status, StatusEntry};
