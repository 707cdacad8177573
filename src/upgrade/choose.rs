//! Choosing the release to move to, as pure functions of the current version, the published
//! versions and the admin's flags. A "series" is what semver's caret rule keeps compatible:
//! the major version, or the minor for 0.x (the same rule as the compatibility record).

use semver::Version;

use super::UpgradeError;
use crate::migrate::series_floor;

/// What the admin allowed on the command line.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    pub to: Option<Version>,
    pub allow_major: bool,
    pub pre: bool,
    pub allow_downgrade: bool,
}

/// One published release as the choice sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub version: Version,
    pub prerelease: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Nothing newer to move to; `newer_series` names a release beyond the current series
    /// that `--allow-major` would reach.
    UpToDate {
        newer_series: Option<Version>,
    },
    Move(Target),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub version: Version,
    /// The target is in another series (`--allow-major` given): breaking changes to confirm.
    pub crosses_series: bool,
    pub downgrade: bool,
}

pub fn same_series(a: &Version, b: &Version) -> bool {
    series_floor(a) == series_floor(b)
}

fn is_pre(c: &Candidate) -> bool {
    c.prerelease || !c.version.pre.is_empty()
}

pub fn choose(
    current: &Version,
    candidates: &[Candidate],
    policy: &Policy,
) -> Result<Choice, UpgradeError> {
    match &policy.to {
        Some(to) => pinned(current, candidates, policy, to),
        None => newest(current, candidates, policy),
    }
}

/// The newest release beyond the current series (what `--allow-major` would reach).
pub fn newest_beyond_series(
    current: &Version,
    candidates: &[Candidate],
    pre: bool,
) -> Option<Version> {
    candidates
        .iter()
        .filter(|c| c.version > *current && (pre || !is_pre(c)))
        .filter(|c| !same_series(&c.version, current))
        .map(|c| c.version.clone())
        .max()
}

fn newest(
    current: &Version,
    candidates: &[Candidate],
    policy: &Policy,
) -> Result<Choice, UpgradeError> {
    let newer = candidates
        .iter()
        .filter(|c| c.version > *current && (policy.pre || !is_pre(c)));
    let in_series = newer
        .clone()
        .filter(|c| same_series(&c.version, current))
        .map(|c| &c.version)
        .max();
    let beyond = newer
        .filter(|c| !same_series(&c.version, current))
        .map(|c| &c.version)
        .max();
    let target = if policy.allow_major {
        in_series.into_iter().chain(beyond).max()
    } else {
        in_series
    };
    Ok(match target {
        Some(version) => Choice::Move(Target {
            version: version.clone(),
            crosses_series: !same_series(version, current),
            downgrade: false,
        }),
        None => Choice::UpToDate {
            newer_series: beyond.filter(|_| !policy.allow_major).cloned(),
        },
    })
}

fn pinned(
    current: &Version,
    candidates: &[Candidate],
    policy: &Policy,
    to: &Version,
) -> Result<Choice, UpgradeError> {
    let Some(found) = candidates.iter().find(|c| c.version == *to) else {
        return Err(UpgradeError::NoSuchRelease(to.to_string()));
    };
    if is_pre(found) && !policy.pre {
        return Err(UpgradeError::Refused {
            message: format!("{to} is a pre-release"),
            hint: "add --pre to install pre-releases".into(),
        });
    }
    if to == current {
        return Ok(Choice::UpToDate { newer_series: None });
    }
    let downgrade = to < current;
    if downgrade && !policy.allow_downgrade {
        return Err(UpgradeError::Refused {
            message: format!("{to} is older than this binary ({current}); downgrades are refused"),
            hint: "add --allow-downgrade if you mean it; `paideia upgrade --rollback` returns to the binary before the last upgrade".into(),
        });
    }
    let crosses_series = !same_series(to, current);
    if crosses_series && !policy.allow_major {
        return Err(UpgradeError::Refused {
            message: format!("{to} is in another major series than {current}"),
            hint: "read its breaking changes, then add --allow-major".into(),
        });
    }
    Ok(Choice::Move(Target {
        version: to.clone(),
        crosses_series,
        downgrade,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    fn c(s: &str) -> Candidate {
        Candidate {
            version: v(s),
            prerelease: false,
        }
    }

    fn published() -> Vec<Candidate> {
        vec![
            c("1.0.0"),
            c("1.2.0"),
            c("1.3.1"),
            c("1.4.0-rc.1"),
            Candidate {
                version: v("1.5.0"),
                prerelease: true,
            },
            c("2.0.0"),
            c("2.1.0"),
        ]
    }

    fn moved(choice: Choice) -> Target {
        match choice {
            Choice::Move(t) => t,
            other => panic!("expected a move, got {other:?}"),
        }
    }

    #[test]
    fn default_is_newest_stable_in_series() {
        let t = moved(choose(&v("1.2.0"), &published(), &Policy::default()).unwrap());
        assert_eq!(t.version, v("1.3.1"));
        assert!(!t.crosses_series && !t.downgrade);
    }

    #[test]
    fn pre_releases_need_pre() {
        let policy = Policy {
            pre: true,
            ..Policy::default()
        };
        assert_eq!(
            moved(choose(&v("1.2.0"), &published(), &policy).unwrap()).version,
            v("1.5.0")
        );
        let pinned = Policy {
            to: Some(v("1.4.0-rc.1")),
            ..Policy::default()
        };
        assert!(choose(&v("1.2.0"), &published(), &pinned).is_err());
    }

    #[test]
    fn up_to_date_mentions_a_newer_major() {
        assert_eq!(
            choose(&v("1.3.1"), &published(), &Policy::default()).unwrap(),
            Choice::UpToDate {
                newer_series: Some(v("2.1.0"))
            }
        );
        assert_eq!(
            choose(&v("2.1.0"), &published(), &Policy::default()).unwrap(),
            Choice::UpToDate { newer_series: None }
        );
    }

    #[test]
    fn crossing_a_major_needs_allow_major() {
        let policy = Policy {
            allow_major: true,
            ..Policy::default()
        };
        let t = moved(choose(&v("1.3.1"), &published(), &policy).unwrap());
        assert_eq!(t.version, v("2.1.0"));
        assert!(t.crosses_series);
        let pinned = Policy {
            to: Some(v("2.0.0")),
            ..Policy::default()
        };
        let err = choose(&v("1.3.1"), &published(), &pinned).unwrap_err();
        assert!(err.to_string().contains("another major series"), "{err}");
    }

    #[test]
    fn zero_x_minor_is_a_series() {
        let list = vec![c("0.1.1"), c("0.2.0")];
        assert_eq!(
            moved(choose(&v("0.1.0"), &list, &Policy::default()).unwrap()).version,
            v("0.1.1")
        );
        assert_eq!(
            choose(&v("0.1.1"), &list, &Policy::default()).unwrap(),
            Choice::UpToDate {
                newer_series: Some(v("0.2.0"))
            }
        );
    }

    #[test]
    fn downgrades_need_allow_downgrade() {
        let pinned = Policy {
            to: Some(v("1.0.0")),
            ..Policy::default()
        };
        let err = choose(&v("1.2.0"), &published(), &pinned).unwrap_err();
        assert!(err.to_string().contains("downgrades are refused"), "{err}");
        let allowed = Policy {
            allow_downgrade: true,
            ..pinned
        };
        let t = moved(choose(&v("1.2.0"), &published(), &allowed).unwrap());
        assert!(t.downgrade && !t.crosses_series);
    }

    #[test]
    fn pinning_an_unknown_or_the_current_version() {
        let pinned = |s: &str| Policy {
            to: Some(v(s)),
            ..Policy::default()
        };
        assert!(matches!(
            choose(&v("1.2.0"), &published(), &pinned("9.9.9")),
            Err(UpgradeError::NoSuchRelease(_))
        ));
        assert_eq!(
            choose(&v("1.2.0"), &published(), &pinned("1.2.0")).unwrap(),
            Choice::UpToDate { newer_series: None }
        );
    }
}
