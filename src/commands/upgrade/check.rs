//! `paideia upgrade --check`: current -> newest with the notes of every release on the way
//! (what must be read in full, a line about the rest); exit 0 when up to date, 6
//! (`ExitStatus::UpdateAvailable`) when a release can be upgraded to.

use semver::Version;
use serde_json::json;

use super::release_of;
use crate::{
    commands::Context,
    exit::ExitStatus,
    upgrade::{Choice, Release, releases},
};

/// Lines of the target's notes in `--check --json`'s `notes_summary`.
const SUMMARY_LINES: usize = 12;

pub fn report(
    ctx: &Context,
    current: &Version,
    choice: &Choice,
    newer_series: Option<&Version>,
    all: &[Release],
) -> anyhow::Result<ExitStatus> {
    let target = match choice {
        Choice::Move(t) => Some(t),
        Choice::UpToDate { .. } => None,
    };
    let release = target.and_then(|t| release_of(all, &t.version));
    let notes = release.map(|r| releases::summary(r.notes(), SUMMARY_LINES));
    let on_the_way = target
        .map(|t| releases::on_the_way(all, current, &t.version))
        .unwrap_or_default();
    // What this install uses that the target removes, said before anything is downloaded.
    let removed: Vec<String> = target
        .map(|t| {
            crate::deprecations::in_use(&crate::settings::ProcessEnv)
                .into_iter()
                .filter(|d| d.removed_in() <= t.version)
                .map(|d| d.sentence())
                .collect()
        })
        .unwrap_or_default();
    if ctx.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "current": current.to_string(),
                "latest": target.map(|t| t.version.to_string()),
                "update_available": target.is_some(),
                "crosses_major": target.is_some_and(|t| t.crosses_series),
                "newer_major": newer_series.map(Version::to_string),
                "notes_summary": notes,
                "releases_on_the_way": on_the_way,
                "removes_in_use": removed,
                "tag": release.map(|r| r.tag_name.clone()),
            }))?
        );
    } else if let Some(target) = target {
        println!("paideia {current} -> {} (update available)", target.version);
        for release in &on_the_way {
            println!("\n{}", release.render());
        }
        for sentence in &removed {
            println!(
                "\n{} removes what this install uses: {sentence}",
                target.version
            );
        }
    } else {
        println!("paideia {current} is up to date");
    }
    if let Some(newer) = newer_series.filter(|_| !ctx.json) {
        println!(
            "{newer} is a new major version: `paideia upgrade --check --allow-major` shows it"
        );
    }
    Ok(if target.is_some() {
        ExitStatus::UpdateAvailable
    } else {
        ExitStatus::Success
    })
}
