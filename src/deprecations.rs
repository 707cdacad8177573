//! The one registry of deprecated things: settings (environment variables, configuration
//! keys, flags), commands and API routes or fields, each with the version that deprecated it,
//! the version that removes it and what to use instead. Using one warns at start-up (each
//! command run); `doctor` lists what this install uses; `upgrade --check` says which of those
//! the target removes. A minor release may add entries; only a new release series removes
//! them (a test compares the registry with `tests/fixtures/deprecations.txt`).

use semver::Version;

use crate::settings::Env;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    EnvVar,
    ConfigKey,
    Flag,
    Command,
    ApiRoute,
    ApiField,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::EnvVar => "environment variable",
            Kind::ConfigKey => "configuration key",
            Kind::Flag => "flag",
            Kind::Command => "command",
            Kind::ApiRoute => "API route",
            Kind::ApiField => "API field",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deprecated {
    pub kind: Kind,
    pub name: &'static str,
    /// The release that deprecated it.
    pub since: &'static str,
    /// The release that removes it: always a new series.
    pub removed_in: &'static str,
    pub instead: &'static str,
}

impl Deprecated {
    pub fn removed_in(&self) -> Version {
        Version::parse(self.removed_in).expect("the registry's versions are checked by a test")
    }

    /// "environment variable PAIDEIA_SCRATCH_DIR is deprecated since 0.1.0 and will be removed
    /// in 0.2.0; use PAIDEIA_BACKUP_SCRATCH_DIR … instead".
    pub fn sentence(&self) -> String {
        format!(
            "{} {} is deprecated since {} and will be removed in {}; use {} instead",
            self.kind.label(),
            self.name,
            self.since,
            self.removed_in,
            self.instead
        )
    }
}

/// Every deprecated thing, oldest first.
pub const ALL: &[Deprecated] = &[Deprecated {
    kind: Kind::EnvVar,
    name: "PAIDEIA_SCRATCH_DIR",
    since: "0.1.0",
    removed_in: "0.2.0",
    instead: "PAIDEIA_BACKUP_SCRATCH_DIR (it names whose scratch folder it is, beside the other PAIDEIA_BACKUP_* settings)",
}];

/// The deprecated things this process's settings use (environment variables, with their
/// `_FILE` forms).
pub fn in_use(env: &dyn Env) -> Vec<&'static Deprecated> {
    ALL.iter()
        .filter(|d| d.kind == Kind::EnvVar)
        .filter(|d| {
            env.var(d.name).is_some()
                || env
                    .var(&format!("{}{}", d.name, crate::envvars::FILE_SUFFIX))
                    .is_some()
        })
        .collect()
}

/// Prints one warning per deprecated thing in use (at the start of every command).
pub fn warn(env: &dyn Env) {
    for d in in_use(env) {
        eprintln!("warning: {}", d.sentence());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_removed_in_a_later_series() {
        for d in ALL {
            let since = Version::parse(d.since).unwrap();
            let removed = d.removed_in();
            let new_series =
                removed.major > since.major || (removed.major == 0 && removed.minor > since.minor);
            assert!(new_series, "{}: removal must open a new series", d.name);
        }
    }
}
