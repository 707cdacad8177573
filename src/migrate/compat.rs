//! The compatibility record: the oldest binary version a database still works with.
//!
//! Binaries of one release series (same major; same minor for 0.x, as semver's caret rule has
//! it) share a database freely because expand migrations keep old binaries working. A contract
//! migration raises the record to the start of the series that applied it, so binaries of older
//! series are refused.

use semver::Version;

/// The first version of `v`'s release series: 2.4.1 -> 2.0.0, 0.3.1 -> 0.3.0.
pub fn series_floor(v: &Version) -> Version {
    if v.major > 0 {
        Version::new(v.major, 0, 0)
    } else {
        Version::new(0, v.minor, 0)
    }
}

/// What the database's record says about one binary.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum Compatibility {
    /// The binary knows every applied migration.
    Current,
    /// The database has migrations this binary does not know, but the record allows it
    /// (an old instance during a rolling upgrade).
    Compatible { unknown: usize, min_version: String },
    /// The database needs a newer binary.
    Incompatible { unknown: usize, min_version: String },
}

impl Compatibility {
    pub fn judge(binary: &Version, unknown: usize, min_version: Option<&Version>) -> Self {
        if unknown == 0 {
            return Compatibility::Current;
        }
        let min = min_version
            .cloned()
            .unwrap_or_else(|| Version::new(u64::MAX, 0, 0));
        let min_version = min_version.map_or_else(|| "unknown".to_string(), Version::to_string);
        if *binary >= min {
            Compatibility::Compatible {
                unknown,
                min_version,
            }
        } else {
            Compatibility::Incompatible {
                unknown,
                min_version,
            }
        }
    }

    pub fn is_runnable(&self) -> bool {
        !matches!(self, Compatibility::Incompatible { .. })
    }
}

/// The record after `applier` ran migrations: a new database starts at the applier's series;
/// a contract migration raises it to that series; expand migrations leave it alone.
pub fn next_min_version(
    current: Option<&Version>,
    applier: &Version,
    ran_contract: bool,
) -> Version {
    let floor = series_floor(applier);
    match current {
        None => floor,
        Some(min) if ran_contract && floor > *min => floor,
        Some(min) => min.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn series_follow_semver_caret_rules() {
        assert_eq!(series_floor(&v("2.4.1")), v("2.0.0"));
        assert_eq!(series_floor(&v("0.3.9")), v("0.3.0"));
    }

    #[test]
    fn expand_keeps_the_record_and_contract_raises_it() {
        assert_eq!(next_min_version(None, &v("1.2.0"), false), v("1.0.0"));
        assert_eq!(
            next_min_version(Some(&v("1.0.0")), &v("2.1.0"), false),
            v("1.0.0")
        );
        assert_eq!(
            next_min_version(Some(&v("1.0.0")), &v("2.1.0"), true),
            v("2.0.0")
        );
        assert_eq!(
            next_min_version(Some(&v("2.0.0")), &v("1.9.0"), true),
            v("2.0.0")
        );
    }

    #[test]
    fn unknown_migrations_are_judged_by_the_record() {
        assert_eq!(
            Compatibility::judge(&v("1.0.0"), 0, None),
            Compatibility::Current
        );
        assert!(Compatibility::judge(&v("1.1.0"), 2, Some(&v("1.0.0"))).is_runnable());
        assert!(!Compatibility::judge(&v("1.9.0"), 1, Some(&v("2.0.0"))).is_runnable());
        assert!(!Compatibility::judge(&v("1.9.0"), 1, None).is_runnable());
    }
}
