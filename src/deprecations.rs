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
    /// The day it was deprecated (`YYYY-MM-DD`): an API response that uses it says so in its
    /// `Deprecation` header (RFC 9745).
    pub announced: &'static str,
    /// API parts only: the first day the removing release may be published (`YYYY-MM-DD`),
    /// sent as the `Sunset` header (RFC 8594). That release waits for the day.
    pub sunset: Option<&'static str>,
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

/// Every deprecated thing, oldest first. API routes are named `METHOD:/api/v1/path` as the
/// router writes the path, API fields `Schema.field` as the OpenAPI document names them.
pub const ALL: &[Deprecated] = &[
    Deprecated {
        kind: Kind::EnvVar,
        name: "PAIDEIA_SCRATCH_DIR",
        since: "0.1.0",
        removed_in: "0.2.0",
        instead: "PAIDEIA_BACKUP_SCRATCH_DIR (it names whose scratch folder it is, beside the other PAIDEIA_BACKUP_* settings)",
        announced: "2026-12-03",
        sunset: None,
    },
    Deprecated {
        kind: Kind::ApiField,
        name: "PageCreate.format",
        since: "0.2.0",
        removed_in: "0.3.0",
        instead: "body_format (the name the module's own JSON and assignments' instructions_format follow)",
        announced: "2026-12-03",
        sunset: Some("2027-06-01"),
    },
];

/// The registry entry of an API field, `Schema.field`. Panics on a name not in the registry:
/// a handler names only its own entries, and a test calls each.
pub fn api_field(name: &str) -> &'static Deprecated {
    ALL.iter()
        .find(|d| d.kind == Kind::ApiField && d.name == name)
        .unwrap_or_else(|| panic!("{name} is not a deprecated API field"))
}

/// The registry entries of an API route, as the router matched it (`GET`,
/// `/api/v1/courses/{slug}`), in `registry`.
pub fn api_routes<'a>(
    registry: &'a [Deprecated],
    method: &str,
    path: &str,
) -> impl Iterator<Item = &'a Deprecated> {
    registry.iter().filter(move |d| {
        d.kind == Kind::ApiRoute
            && d.name
                .split_once(':')
                .is_some_and(|(m, p)| m.eq_ignore_ascii_case(method) && p == path)
    })
}

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
            assert!(!d.name.contains(char::is_whitespace), "{}", d.name);
            chrono::NaiveDate::parse_from_str(d.announced, "%Y-%m-%d").unwrap();
            let api = matches!(d.kind, Kind::ApiRoute | Kind::ApiField);
            assert_eq!(
                d.sunset.is_some(),
                api,
                "{}: a sunset for API parts only",
                d.name
            );
            if let Some(sunset) = d.sunset {
                let sunset = chrono::NaiveDate::parse_from_str(sunset, "%Y-%m-%d").unwrap();
                assert!(sunset.to_string().as_str() > d.announced, "{}", d.name);
            }
        }
    }

    #[test]
    fn api_routes_match_method_and_matched_path() {
        let registry = [Deprecated {
            kind: Kind::ApiRoute,
            name: "GET:/api/v1/courses/{slug}/old",
            since: "0.2.0",
            removed_in: "0.3.0",
            instead: "GET /api/v1/courses/{slug}/new",
            announced: "2026-12-03",
            sunset: Some("2027-06-01"),
        }];
        let found = |m, p| api_routes(&registry, m, p).count();
        assert_eq!(found("GET", "/api/v1/courses/{slug}/old"), 1);
        assert_eq!(found("POST", "/api/v1/courses/{slug}/old"), 0);
        assert_eq!(found("GET", "/api/v1/courses/{slug}"), 0);
        assert_eq!(
            api_field("PageCreate.format").instead.split(' ').next(),
            Some("body_format")
        );
    }
}
