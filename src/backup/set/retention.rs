//! Retention: which sets to keep. A pure function of the sets' creation times and the policy,
//! so it is tested over a simulated year without a clock. Like restic's `forget`, "keep 7
//! daily" keeps the newest set of each of the 7 most recent days that have one (so a
//! pause in backups never empties the history), likewise per ISO week and per month. The
//! newest good set is always kept; incomplete sets (no manifest) are always removed.

use chrono::{DateTime, Datelike, Utc};

use super::SetSummary;
use crate::settings::Retention;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub id: String,
    pub created_at: Option<DateTime<Utc>>,
    /// Why the set stays (`daily`, `weekly`, `monthly`, `newest`); empty means it goes.
    pub reasons: Vec<&'static str>,
}

impl Decision {
    pub fn keep(&self) -> bool {
        !self.reasons.is_empty()
    }
}

/// The calendar bucket (day, ISO week or month) a time falls in.
type Bucket = fn(DateTime<Utc>) -> (i32, u32, u32);

/// One decision per set, in the order given (oldest first, as `Target::sets` lists them).
pub fn plan(sets: &[SetSummary], policy: Retention) -> Vec<Decision> {
    let mut decisions: Vec<Decision> = sets
        .iter()
        .map(|s| Decision {
            id: s.id.clone(),
            created_at: s.manifest.as_ref().map(|m| m.created_at),
            reasons: Vec::new(),
        })
        .collect();
    // Newest first among complete sets.
    let mut complete: Vec<usize> = (0..sets.len())
        .filter(|&i| sets[i].manifest.is_some())
        .collect();
    complete.sort_by_key(|&i| std::cmp::Reverse(decisions[i].created_at));
    if let Some(&newest_good) = complete.iter().find(|&&i| sets[i].is_good()) {
        decisions[newest_good].reasons.push("newest");
    }
    let rules: [(&'static str, Option<u32>, Bucket); 3] = [
        ("daily", policy.daily, |t| (t.year(), t.month(), t.day())),
        ("weekly", policy.weekly, |t| {
            let w = t.iso_week();
            (w.year(), w.week(), 0)
        }),
        ("monthly", policy.monthly, |t| (t.year(), t.month(), 0)),
    ];
    for (name, count, bucket) in rules {
        let Some(count) = count else { continue };
        let mut last = None;
        let mut kept = 0;
        for &i in &complete {
            if kept >= count {
                break;
            }
            let b = bucket(decisions[i].created_at.expect("complete sets have a time"));
            if last != Some(b) {
                last = Some(b);
                kept += 1;
                decisions[i].reasons.push(name);
            }
        }
    }
    decisions
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::backup::set::{SetManifest, Verification, manifest::StoredFile};

    fn set(at: DateTime<Utc>) -> SetSummary {
        let id = super::super::manifest::set_id(at, 0);
        SetSummary {
            id: id.clone(),
            manifest: Some(SetManifest {
                format: 1,
                id,
                created_at: at,
                paideia_version: "0.1.0".into(),
                engine: crate::db::Engine::Sqlite,
                schema_version: 2,
                rows: 0,
                encrypted: false,
                database: StoredFile {
                    key: String::new(),
                    sha256: String::new(),
                    bytes: 0,
                },
                media: Vec::new(),
                mac: None,
            }),
            verification: None,
        }
    }

    fn kept(sets: &[SetSummary], policy: Retention) -> Vec<String> {
        plan(sets, policy)
            .into_iter()
            .filter(Decision::keep)
            .map(|d| d.id)
            .collect()
    }

    /// A year of nightly runs at 02:30, pruning after each one as `backup run` does.
    #[test]
    fn a_simulated_year_keeps_7_daily_4_weekly_12_monthly() {
        let policy = Retention {
            daily: Some(7),
            weekly: Some(4),
            monthly: Some(12),
        };
        let start = Utc.with_ymd_and_hms(2026, 1, 1, 2, 30, 0).unwrap();
        let mut sets: Vec<SetSummary> = Vec::new();
        for day in 0..365 {
            sets.push(set(start + Duration::days(day)));
            let keep = kept(&sets, policy);
            sets.retain(|s| keep.contains(&s.id));
        }
        let ids: Vec<&str> = sets.iter().map(|s| s.id.as_str()).collect();
        // 2026-12-31 is a Thursday. Daily: Dec 25-31. Weekly: the newest of ISO weeks
        // 53 and 52 (Dec 31, Dec 27) are dailies already; Dec 20 and Dec 13 are added.
        // Monthly: Dec 31 is a daily; the ends of January to November are added.
        let dailies: Vec<String> = (359..366)
            .map(|d| super::super::manifest::set_id(start + Duration::days(d - 1), 0))
            .collect();
        for d in &dailies {
            assert!(ids.contains(&d.as_str()), "{d} missing from {ids:?}");
        }
        assert!(ids.contains(&"20260131T023000Z"), "end of January: {ids:?}");
        assert!(
            ids.contains(&"20261130T023000Z"),
            "end of November: {ids:?}"
        );
        assert!(!ids.contains(&"20260115T023000Z"), "{ids:?}");
        for weekly in ["20261213T023000Z", "20261220T023000Z"] {
            assert!(ids.contains(&weekly), "{weekly}: {ids:?}");
        }
        assert_eq!(sets.first().unwrap().id, "20260131T023000Z", "{ids:?}");
        assert!(ids.len() <= 7 + 4 + 12, "{}", ids.len());
        assert_eq!(ids.len(), 7 + 2 + 11, "{ids:?}");
    }

    #[test]
    fn the_newest_good_set_is_never_removed() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 2, 30, 0).unwrap();
        let mut sets = vec![set(t), set(t + Duration::days(1))];
        sets[1].verification = Some(Verification {
            verified_at: t,
            ok: false,
            detail: "broken".into(),
            paideia_version: "0.1.0".into(),
        });
        let keep = kept(&sets, Retention::default());
        assert_eq!(keep, vec![sets[0].id.clone()], "the good one stays");
        let keep = kept(
            &sets,
            Retention {
                daily: Some(1),
                ..Retention::default()
            },
        );
        assert_eq!(
            keep.len(),
            2,
            "the daily rule keeps the newest, the good one stays"
        );
    }

    #[test]
    fn incomplete_sets_always_go() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 2, 30, 0).unwrap();
        let mut sets = vec![set(t)];
        sets.push(SetSummary {
            id: "20260302T023000Z".into(),
            manifest: None,
            verification: None,
        });
        let decisions = plan(
            &sets,
            Retention {
                daily: Some(10),
                ..Retention::default()
            },
        );
        assert!(decisions[0].keep());
        assert!(!decisions[1].keep());
    }
}
