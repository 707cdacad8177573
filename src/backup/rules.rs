//! The rules a dump must meet before this binary restores it that need no database: known
//! format, known migrations, and the dump's own engine's migration checksums equal to this
//! binary's. One function, so `verify-backup --quick`, the full verification and `restore`
//! cannot disagree on them.

use super::{BackupError, format::Manifest};
use crate::{db::Engine, migrate::MigrationSet};

/// Refuses names paideia never writes: tables, columns and migrations are identifiers of at
/// most 63 ASCII letters, digits and `_` (PostgreSQL's limit), the version a short semver.
/// They go into messages and SQL, so a hostile manifest cannot put anything else there.
pub fn check_names(manifest: &Manifest) -> Result<(), String> {
    let identifier = |s: &str| {
        (1..=63).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    };
    let version = |s: &str| {
        (1..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".+-".contains(&b))
    };
    let bad = manifest
        .tables
        .iter()
        .flat_map(|t| std::iter::once(&t.name).chain(t.columns.iter().map(|c| &c.name)))
        .chain(manifest.migrations.iter().map(|m| &m.name))
        .find(|n| !identifier(n));
    if let Some(name) = bad {
        return Err(format!(
            "the manifest names `{}`, which is not a table, column or migration name paideia writes",
            super::error::excerpt(name.as_bytes())
        ));
    }
    if !version(&manifest.paideia_version) {
        return Err(format!(
            "the manifest's paideia version `{}` is not a version",
            super::error::excerpt(manifest.paideia_version.as_bytes())
        ));
    }
    Ok(())
}

/// Checks `manifest` against this binary's migrations for `engine`: every migration must be
/// known there, and when `engine` is the dump's own, have the same checksum.
pub fn check_migrations(manifest: &Manifest, engine: Engine) -> Result<(), BackupError> {
    let set = MigrationSet::embedded(engine);
    for entry in &manifest.migrations {
        let Some(ours) = set.get(entry.id) else {
            return Err(BackupError::TooNew {
                needs: manifest.paideia_version.clone(),
                schema: manifest.schema_version,
                known: set.schema_version(),
            });
        };
        if manifest.engine == engine && (ours.checksum != entry.checksum || ours.name != entry.name)
        {
            return Err(BackupError::Refused(format!(
                "migration {} ({}) in the dump differs from this binary's; restore it with the binary that made it",
                entry.id, entry.name
            )));
        }
    }
    Ok(())
}

/// The rules for restoring into `target`: those of the dump's own engine (checked by every
/// reader of the file) and, across engines, that the target knows every migration.
pub fn check_restorable(manifest: &Manifest, target: Engine) -> Result<(), BackupError> {
    check_migrations(manifest, manifest.engine)?;
    check_migrations(manifest, target)
}
