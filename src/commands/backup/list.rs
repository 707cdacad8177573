//! `paideia backup list`: one line per set (or `--json`), oldest first; with the backup keys
//! at hand, each set's MAC is checked too and a set that fails says so.

use chrono::Utc;
use indicatif::HumanBytes;
use serde_json::json;

use super::{age, open_target};
use crate::{
    backup::set::{BackupKeys, SetSummary},
    commands::Context,
    exit::ExitStatus,
};

pub async fn run(ctx: &Context, remote: bool) -> anyhow::Result<ExitStatus> {
    let target = open_target(&ctx.settings.backup, remote).await?;
    let sets = target.sets().await?;
    // Listing works without the keys (say, on an admin's machine); it just cannot vouch.
    let keys = BackupKeys::load(&ctx.settings.backup.key).ok().flatten();
    let authentic = |set: &SetSummary| {
        let (keys, manifest) = (keys.as_ref()?, set.manifest.as_ref()?);
        Some(keys.check(manifest).is_ok())
    };
    if ctx.json {
        let list: Vec<_> = sets
            .iter()
            .map(|s| {
                let mut json = to_json(s);
                if s.manifest.is_some() {
                    json["authenticated"] = authentic(s).into();
                }
                json
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(ExitStatus::Success);
    }
    if sets.is_empty() {
        eprintln!("no backup sets in {target}");
        return Ok(ExitStatus::Success);
    }
    let now = Utc::now();
    let mut table = crate::commands::table::new(
        &[
            "ID", "AGE", "SIZE", "MEDIA", "PAIDEIA", "SCHEMA", "VERIFIED",
        ],
        &[1, 2, 3, 5],
    );
    for set in &sets {
        let Some(m) = &set.manifest else {
            let mut row = vec![String::new(); 7];
            row[0] = set.id.clone();
            row[6] = "incomplete (no manifest; `backup prune` removes it)".into();
            table.add_row(row);
            continue;
        };
        let mut verified = match &set.verification {
            None => "no".to_string(),
            Some(v) if v.ok => format!("yes, {} ago", age(now, v.verified_at)),
            Some(v) => format!("FAILED {} ago: {}", age(now, v.verified_at), v.detail),
        };
        if m.encrypted {
            verified.push_str(" (encrypted)");
        }
        if authentic(set) == Some(false) {
            verified = format!(
                "NOT AUTHENTICATED: its manifest has no valid MAC from the backup keys; verified: {verified}"
            );
        }
        table.add_row(vec![
            set.id.clone(),
            age(now, m.created_at),
            HumanBytes(m.total_bytes()).to_string(),
            m.media.len().to_string(),
            m.paideia_version.clone(),
            m.schema_version.to_string(),
            verified,
        ]);
    }
    crate::commands::table::print(&table);
    Ok(ExitStatus::Success)
}

fn to_json(set: &SetSummary) -> serde_json::Value {
    match &set.manifest {
        None => json!({"id": set.id, "complete": false}),
        Some(m) => json!({
            "id": set.id,
            "complete": true,
            "created_at": m.created_at,
            "bytes": m.total_bytes(),
            "database_bytes": m.database.bytes,
            "media_files": m.media.len(),
            "rows": m.rows,
            "paideia_version": m.paideia_version,
            "engine": m.engine,
            "schema_version": m.schema_version,
            "encrypted": m.encrypted,
            "verification": set.verification,
        }),
    }
}
