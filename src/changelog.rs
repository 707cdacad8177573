//! CHANGELOG.md in the upgrade guide's shape, checked: each released section (`## [X.Y.Z] -
//! DATE`, newest first) uses only the guide's headings, and its content fits its version bump
//! over the release below it. A breaking change, a removed deprecation or a contract migration
//! needs a new release series (a new major, or a new minor while the major is 0), because
//! `paideia upgrade` moves within a series without asking. A test runs this on the
//! repository's CHANGELOG.md, so CI refuses a section that contradicts its version; the
//! release workflow publishes the section itself as the release notes.

use semver::Version;

/// The headings a released section may use: the guide's, and Security.
pub const HEADINGS: [&str; 8] = [
    "New features",
    "Bug fixes",
    "Performance",
    "Security",
    "Breaking changes",
    "Migration notes",
    "Deprecations",
    "Removed",
];

/// One released section: its version and, per `###` heading, its list items.
#[derive(Debug)]
struct Section {
    version: Version,
    line: usize,
    headings: Vec<(String, usize, Vec<String>)>,
}

/// Every problem of the released sections of `text`, each with its line (1-based); empty
/// when the changelog is in shape. `## [Unreleased]` is free-form until it is released.
pub fn check(text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let sections = sections(text, &mut problems);
    for (i, section) in sections.iter().enumerate() {
        for (title, line, _) in &section.headings {
            if !HEADINGS.contains(&title.as_str()) {
                problems.push(format!(
                    "line {line}: {}: heading \"{title}\" is not one of the guide's ({})",
                    section.version,
                    HEADINGS.join(", ")
                ));
            }
        }
        let Some(previous) = sections.get(i + 1) else {
            continue; // the first release has nothing to contradict
        };
        if section.version <= previous.version {
            problems.push(format!(
                "line {}: {} is listed above {}, which is not older",
                section.line, section.version, previous.version
            ));
            continue;
        }
        if new_series(&previous.version, &section.version) {
            continue;
        }
        let items = |title: &str| {
            section
                .headings
                .iter()
                .filter(|(t, _, _)| t == title)
                .flat_map(|(_, _, items)| items.iter())
                .collect::<Vec<_>>()
        };
        let bump = format!(
            "{} -> {} stays in its series",
            previous.version, section.version
        );
        if !items("Breaking changes").is_empty() {
            problems.push(format!(
                "line {}: {bump} but lists breaking changes: they need a new major version (or a new minor before 1.0)",
                section.line
            ));
        }
        if !items("Removed").is_empty() {
            problems.push(format!(
                "line {}: {bump} but removes deprecated things: removals wait for a new major version",
                section.line
            ));
        }
        if items("Migration notes")
            .iter()
            .any(|item| item.contains("--contract") || item.contains("contract migration"))
        {
            problems.push(format!(
                "line {}: {bump} but brings a contract migration: those open a new series",
                section.line
            ));
        }
    }
    problems
}

/// Whether `to` starts a new release series after `from`: a new major, or a new minor while
/// the major is 0 (the rule `paideia upgrade` and the compatibility record follow).
fn new_series(from: &Version, to: &Version) -> bool {
    to.major > from.major || (to.major == 0 && from.major == 0 && to.minor > from.minor)
}

/// The released sections of `text`, newest first as written.
fn sections(text: &str, problems: &mut Vec<String>) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut in_release = false;
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        if let Some(rest) = line.strip_prefix("## ") {
            in_release = false;
            let Some(name) = rest
                .strip_prefix('[')
                .and_then(|r| r.split_once(']'))
                .map(|(name, _)| name)
            else {
                continue;
            };
            if name.eq_ignore_ascii_case("unreleased") {
                continue;
            }
            match Version::parse(name) {
                Ok(version) => {
                    sections.push(Section {
                        version,
                        line: n,
                        headings: Vec::new(),
                    });
                    in_release = true;
                }
                Err(_) => problems.push(format!("line {n}: [{name}] is not a version")),
            }
        } else if !in_release {
            continue;
        } else if let Some(title) = line.strip_prefix("### ") {
            let section = sections.last_mut().expect("in a release section");
            section
                .headings
                .push((title.trim().to_string(), n, Vec::new()));
        } else if let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
            let section = sections.last_mut().expect("in a release section");
            match section.headings.last_mut() {
                Some((_, _, items)) => items.push(item.to_string()),
                None => problems.push(format!(
                    "line {n}: {}: an entry before any ### heading",
                    section.version
                )),
            }
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changelog(newer: &str, body: &str) -> String {
        format!(
            "# Changelog\n\n## [Unreleased]\n\n### Whatever\n- free-form\n\n## [{newer}] - 2027-01-10\n\n{body}\n\n## [1.2.3] - 2026-12-01\n\n### New features\n- first\n"
        )
    }

    #[test]
    fn a_breaking_change_in_a_patch_or_minor_is_refused() {
        let body = "### Breaking changes\n- `[web]` is now `[server]`";
        for version in ["1.2.4", "1.3.0"] {
            let problems = check(&changelog(version, body));
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(
                problems[0].contains("lists breaking changes")
                    && problems[0].starts_with("line 8:"),
                "{problems:?}"
            );
        }
        assert_eq!(check(&changelog("2.0.0", body)), Vec::<String>::new());
    }

    #[test]
    fn removals_and_contract_migrations_wait_for_a_new_series() {
        let removed = check(&changelog("1.3.0", "### Removed\n- `PAIDEIA_OLD`"));
        assert!(
            removed[0].contains("removes deprecated things"),
            "{removed:?}"
        );
        let contract = check(&changelog(
            "1.2.4",
            "### Migration notes\n- run `paideia migrate up --contract` after every instance is new",
        ));
        assert!(contract[0].contains("contract migration"), "{contract:?}");
        let deprecation = check(&changelog(
            "1.3.0",
            "### Deprecations\n- `PAIDEIA_OLD` is deprecated; use `PAIDEIA_NEW` (removed in 2.0.0)",
        ));
        assert!(
            deprecation.is_empty(),
            "a minor may deprecate: {deprecation:?}"
        );
    }

    #[test]
    fn the_guide_s_headings_and_order() {
        let problems = check(&changelog("1.3.0", "### Added\n- a thing"));
        assert!(problems[0].contains("heading \"Added\""), "{problems:?}");
        let problems = check(&changelog("1.2.2", "### Bug fixes\n- a fix"));
        assert!(problems[0].contains("not older"), "{problems:?}");
        let problems = check(&changelog("0.x", "### Bug fixes\n- a fix"));
        assert!(problems[0].contains("is not a version"), "{problems:?}");
    }

    #[test]
    fn zero_x_minors_are_series() {
        let text = "## [0.2.0] - 2027-01-01\n\n### Breaking changes\n- x\n\n## [0.1.0] - 2026-12-01\n\n### New features\n- y\n";
        assert!(check(text).is_empty());
        let text = "## [0.1.1] - 2027-01-01\n\n### Breaking changes\n- x\n\n## [0.1.0] - 2026-12-01\n\n### New features\n- y\n";
        assert_eq!(check(text).len(), 1);
    }
}
