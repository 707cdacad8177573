//! What this binary is: its semantic version, git commit, build target and the schema version
//! it knows. The version can be set at build time (PAIDEIA_BUILD_VERSION) for release fixtures.

use serde::Serialize;

use crate::{db::Engine, migrate::MigrationSet};

pub const VERSION: &str = env!("PAIDEIA_VERSION");
pub const GIT_COMMIT: &str = env!("PAIDEIA_GIT_COMMIT");
pub const TARGET: &str = env!("PAIDEIA_TARGET");

/// This binary's version as a semver value.
pub fn semver() -> semver::Version {
    semver::Version::parse(VERSION).expect("the build version is valid semver")
}

#[derive(Debug, Serialize)]
pub struct BuildInfo {
    pub version: &'static str,
    pub commit: &'static str,
    pub target: &'static str,
    /// The highest migration id this binary knows (the same for both engines).
    pub schema_version: i64,
    /// True only in test builds that trust an extra release-signing key (build.rs refuses it
    /// in release builds; the release workflow checks it is false).
    pub extra_trusted_key: bool,
}

impl BuildInfo {
    pub fn current() -> Self {
        BuildInfo {
            version: VERSION,
            commit: GIT_COMMIT,
            target: TARGET,
            schema_version: MigrationSet::embedded(Engine::Postgres).schema_version(),
            extra_trusted_key: crate::upgrade::keys::has_build_extra(),
        }
    }

    /// The one-line form: `paideia 0.1.0 (abc123 x86_64-unknown-linux-gnu, schema 1)`.
    pub fn line(&self) -> String {
        format!(
            "paideia {} ({} {}, schema {})",
            self.version, self.commit, self.target, self.schema_version
        )
    }
}
