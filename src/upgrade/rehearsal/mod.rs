//! Rehearsing an upgrade on a scratch copy of the school's data (issue 22): what the
//! rehearsal found and the verdict as a pure function of it, the scratch copies and their
//! sweep (`scratch`), the new binary's steps on a copy (`newbin`), and the record of each
//! rehearsal (`record`, table `upgrade_rehearsals`). Choosing and verifying the release, the
//! copy's source, the current binary's page reads and all output belong to
//! `commands::upgrade::rehearse`.

pub mod newbin;
pub mod record;
pub mod scratch;

use serde::Serialize;

/// The rehearsal's answer, and its exit status in `commands`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every migration ran, both binaries work on the result, and all are expand
    /// migrations: a rolling upgrade is possible.
    Safe,
    /// It works, but a contract migration needs the site stopped while it runs.
    SafeWithDowntime,
    /// Something failed on this data; the reasons say what.
    NotSafe,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Safe => "safe",
            Verdict::SafeWithDowntime => "safe_with_downtime",
            Verdict::NotSafe => "not_safe",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Verdict::Safe => "safe",
            Verdict::SafeWithDowntime => "safe with downtime",
            Verdict::NotSafe => "NOT SAFE",
        }
    }
}

/// One pending migration as the rehearsal saw it.
#[derive(Clone, Debug, Serialize)]
pub struct MigrationRun {
    pub id: i64,
    pub name: String,
    /// "expand" or "contract", as the new binary declares it.
    pub kind: String,
    /// Measured on the copy; `None` when it did not run (an earlier one failed).
    pub duration_ms: Option<u64>,
    /// The new binary's dry-run lock warnings for it: what its statements block.
    pub locks: Vec<String>,
    /// Set on the migration that failed.
    pub error: Option<String>,
}

impl MigrationRun {
    /// Whether writes (at least) to an existing table wait while it runs.
    pub fn blocks_writes(&self) -> bool {
        !self.locks.is_empty()
    }
}

/// A check by one of the binaries on the migrated copy.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    pub what: String,
    pub ok: bool,
    pub detail: String,
}

/// Everything the rehearsal measured, before judging it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Findings {
    pub migrations: Vec<MigrationRun>,
    /// The new binary's `migrate up` failed (its first error line).
    pub migrate_error: Option<String>,
    /// The new binary's trial run and `migrate verify` on the migrated copy.
    pub new_binary: Vec<Check>,
    /// The current binary's `migrate verify` and page reads on the migrated copy.
    pub current_binary: Vec<Check>,
}

impl Findings {
    /// All expand: old and new binaries can share the database while instances are replaced.
    pub fn rolling(&self) -> bool {
        self.migrations.iter().all(|m| m.kind == "expand")
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Judgement {
    pub verdict: Verdict,
    pub rolling: bool,
    /// The migration holding a blocking lock longest, and for how long.
    pub longest_write_lock: Option<LongestLock>,
    /// About how long the site is down when it must be: the migrations' measured time.
    pub downtime_ms: Option<u64>,
    pub reasons: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LongestLock {
    pub migration: String,
    pub ms: u64,
}

/// The verdict from what was measured: any failure on this data is "not safe" (a current
/// binary that cannot read the copy counts only when the upgrade is meant to be rolling, as a
/// contract migration shuts older binaries out on purpose); else a contract migration means
/// downtime for about the migrations' total time; else "safe".
pub fn judge(f: &Findings) -> Judgement {
    let rolling = f.rolling();
    let mut reasons = Vec::new();
    if let Some(error) = &f.migrate_error {
        reasons.push(format!("the new binary's `migrate up` failed: {error}"));
    }
    for check in f.new_binary.iter().filter(|c| !c.ok) {
        reasons.push(format!(
            "new binary: {} failed: {}",
            check.what, check.detail
        ));
    }
    if rolling {
        for check in f.current_binary.iter().filter(|c| !c.ok) {
            reasons.push(format!(
                "current binary on the migrated copy (the rolling-upgrade promise): {} failed: {}",
                check.what, check.detail
            ));
        }
    }
    let longest_write_lock = f
        .migrations
        .iter()
        .filter(|m| m.blocks_writes())
        .filter_map(|m| Some((m, m.duration_ms?)))
        .max_by_key(|(_, ms)| *ms)
        .map(|(m, ms)| LongestLock {
            migration: format!("{:04}_{}", m.id, m.name),
            ms,
        });
    let downtime_ms = (!rolling).then(|| f.migrations.iter().filter_map(|m| m.duration_ms).sum());
    let verdict = if !reasons.is_empty() {
        Verdict::NotSafe
    } else if !rolling {
        let contract: Vec<String> = f
            .migrations
            .iter()
            .filter(|m| m.kind != "expand")
            .map(|m| format!("{:04}_{}", m.id, m.name))
            .collect();
        reasons.push(format!(
            "contract migration(s) {}: older binaries cannot run once they are applied, so stop the site, upgrade and migrate (`paideia migrate up --contract`), start it again",
            contract.join(", ")
        ));
        Verdict::SafeWithDowntime
    } else {
        Verdict::Safe
    };
    Judgement {
        verdict,
        rolling,
        longest_write_lock,
        downtime_ms,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: i64, kind: &str, ms: Option<u64>, locks: &[&str]) -> MigrationRun {
        MigrationRun {
            id,
            name: format!("m{id}"),
            kind: kind.into(),
            duration_ms: ms,
            locks: locks.iter().map(|s| s.to_string()).collect(),
            error: None,
        }
    }

    fn ok(what: &str) -> Check {
        Check {
            what: what.into(),
            ok: true,
            detail: String::new(),
        }
    }

    fn failed(what: &str) -> Check {
        Check {
            ok: false,
            detail: "boom".into(),
            ..ok(what)
        }
    }

    #[test]
    fn all_expand_and_every_check_passing_is_safe_and_rolling() {
        let f = Findings {
            migrations: vec![
                run(12, "expand", Some(40), &["ALTER TABLE users"]),
                run(13, "expand", Some(90), &[]),
                run(14, "expand", Some(70), &["CREATE INDEX on courses"]),
            ],
            new_binary: vec![ok("migrate verify")],
            current_binary: vec![ok("migrate verify"), ok("GET /")],
            ..Findings::default()
        };
        let j = judge(&f);
        assert_eq!(j.verdict, Verdict::Safe);
        assert!(j.rolling);
        assert_eq!(j.downtime_ms, None);
        let lock = j.longest_write_lock.unwrap();
        assert_eq!((lock.migration.as_str(), lock.ms), ("0014_m14", 70));
    }

    #[test]
    fn a_contract_migration_needs_downtime_of_about_the_migrations_time() {
        let f = Findings {
            migrations: vec![
                run(12, "expand", Some(40), &[]),
                run(13, "contract", Some(60), &[]),
            ],
            new_binary: vec![ok("migrate verify")],
            // Older binaries are shut out on purpose: not a reason for "not safe".
            current_binary: vec![failed("migrate verify")],
            ..Findings::default()
        };
        let j = judge(&f);
        assert_eq!(j.verdict, Verdict::SafeWithDowntime);
        assert_eq!(j.downtime_ms, Some(100));
        assert!(j.reasons[0].contains("0013_m13"), "{:?}", j.reasons);
    }

    #[test]
    fn failures_on_this_data_are_not_safe_and_say_why() {
        let failing = Findings {
            migrations: vec![run(12, "contract", None, &[])],
            migrate_error: Some("migration 12 (m12) failed: duplicate key".into()),
            ..Findings::default()
        };
        let j = judge(&failing);
        assert_eq!(j.verdict, Verdict::NotSafe);
        assert!(j.reasons[0].contains("duplicate key"));
        let old_breaks = Findings {
            migrations: vec![run(12, "expand", Some(1), &[])],
            current_binary: vec![failed("GET /courses")],
            ..Findings::default()
        };
        let j = judge(&old_breaks);
        assert_eq!(j.verdict, Verdict::NotSafe);
        assert!(j.reasons[0].contains("GET /courses"));
    }

    #[test]
    fn nothing_to_migrate_is_safe() {
        assert_eq!(judge(&Findings::default()).verdict, Verdict::Safe);
    }
}
