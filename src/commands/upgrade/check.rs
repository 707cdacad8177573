//! `paideia upgrade --check`: current -> newest with a summary of the notes; exit 0 when up
//! to date, 6 (`ExitStatus::UpdateAvailable`) when a release can be upgraded to.

use semver::Version;
use serde_json::json;

use super::release_of;
use crate::{
    commands::Context,
    exit::ExitStatus,
    upgrade::{Choice, Release, releases},
};

/// Lines of release notes `--check` shows.
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
                "tag": release.map(|r| r.tag_name.clone()),
            }))?
        );
    } else if let Some(target) = target {
        println!("paideia {current} -> {} (update available)", target.version);
        if let Some(notes) = notes.filter(|n| !n.is_empty()) {
            println!("{notes}");
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
