//! Checks of the stored files: that the files the database refers to are in the storage (a
//! random sample, or all of them with `--full`), what killed processes left (temporary files,
//! unfinished S3 uploads), and with `--full` the stored files no row refers to. Read-only.

use chrono::{DateTime, Utc};
use indicatif::HumanBytes;

use super::{Check, Level, check};
use crate::{
    db::Db,
    lms::media,
    settings::Settings,
    storage::{
        Storage,
        reconcile::{self, MEDIA_PREFIX, Presence},
        temp,
    },
};

/// How many files the default check looks up.
pub const SAMPLE: u64 = 200;

/// The "files" check, and with `full` the "orphans" check.
pub async fn files(
    db: &Db,
    storage: Option<&Storage>,
    now: DateTime<Utc>,
    full: bool,
) -> Vec<Check> {
    let total = match media::count(db).await {
        Ok(n) => n,
        Err(e) => return vec![check("files", Level::Fail, e.to_string(), None)],
    };
    let Some(storage) = storage else {
        return vec![match total {
            0 => check("files", Level::Pass, "no files recorded", None),
            n => check(
                "files",
                Level::Fail,
                format!(
                    "the database refers to {n} file(s) and the storage is unusable (see above)"
                ),
                Some(&bring_back_hint("the storage")),
            ),
        }];
    };
    if total == 0 && !full {
        return vec![check("files", Level::Pass, "no files recorded", None)];
    }
    match presence(db, storage, now, full).await {
        Ok((presence, orphans)) => {
            let mut checks = vec![present(&presence, total, storage, full)];
            checks.extend(orphans);
            checks
        }
        Err(e) => vec![check("files", Level::Fail, e.to_string(), None)],
    }
}

/// Checks a sample with lookups, or everything against one listing (which also finds orphans).
async fn presence(
    db: &Db,
    storage: &Storage,
    now: DateTime<Utc>,
    full: bool,
) -> anyhow::Result<(Presence, Option<Check>)> {
    if !full {
        let refs = media::references(db, Some(SAMPLE)).await?;
        return Ok((reconcile::check_each(storage, &refs).await?, None));
    }
    let refs = media::references(db, None).await?;
    let listing = storage.list_objects(MEDIA_PREFIX).await?;
    let orphans = reconcile::orphans(&listing, &refs, now);
    let bytes: u64 = orphans.iter().map(|o| o.size).sum();
    let orphan_check = if orphans.is_empty() {
        check(
            "orphans",
            Level::Pass,
            "every stored file has its database row",
            None,
        )
    } else {
        check(
            "orphans",
            Level::Warn,
            format!(
                "{} stored file(s) ({}) older than a day no database row refers to, for example {}",
                orphans.len(),
                HumanBytes(bytes),
                orphans[0].key
            ),
            Some(
                "`paideia storage gc --dry-run` lists them and `paideia storage gc` removes them; after restoring an older dump they may be files uploaded since, so look first",
            ),
        )
    };
    Ok((
        reconcile::check_listing(&listing, &refs),
        Some(orphan_check),
    ))
}

fn present(p: &Presence, total: u64, storage: &Storage, full: bool) -> Check {
    let scope = if full {
        format!("all {} file(s) the database refers to", p.checked)
    } else if p.checked as u64 == total {
        format!("all {total} file(s) the database refers to")
    } else {
        format!(
            "a random sample of {} of the {total} file(s) the database refers to",
            p.checked
        )
    };
    if p.is_complete() {
        let more = if full {
            ""
        } else {
            "; `paideia doctor --full` checks every one"
        };
        return check(
            "files",
            Level::Pass,
            format!("{scope}: all in {storage}{more}"),
            None,
        );
    }
    let mut detail = format!("{scope}: {} missing from {storage}", p.missing.len());
    if !p.wrong_size.is_empty() {
        detail.push_str(&format!(
            ", {} of another size than recorded",
            p.wrong_size.len()
        ));
    }
    if let Some(first) = p.missing.first().or(p.wrong_size.first()) {
        detail.push_str(&format!(" (for example {first})"));
    }
    check(
        "files",
        Level::Fail,
        detail,
        Some(&bring_back_hint(&storage.to_string())),
    )
}

/// How to bring back the files of a restored database.
pub fn bring_back_hint(storage: &str) -> String {
    format!(
        "a dump holds the database only: restore the files with `paideia backup restore SET` (a backup set holds the database and its files), or copy the old install's files folder (or bucket) to {storage}; `paideia doctor --full` lists what is missing"
    )
}

/// The "leftovers" check: what killed uploads, dumps and backup runs left behind.
pub async fn leftovers(
    settings: &Settings,
    storage: Option<&Storage>,
    now: DateTime<Utc>,
) -> Check {
    let at = temp::cutoff(now.into());
    let mut found = temp::sweep(&settings.data_dir, temp::Depth::Here, at, false);
    found.merge(temp::sweep(
        &settings.backup.dir,
        temp::Depth::Below,
        at,
        false,
    ));
    if let Some(storage) = storage {
        match storage.sweep_temporary(at, false).await {
            Ok(swept) => found.merge(swept),
            Err(e) => found.failures.push(e.to_string()),
        }
    }
    let hint = "`paideia storage gc` removes them (`--dry-run` lists them); `paideia serve` also clears the storage's hourly, and `dump` those beside its file";
    match (found.stale.first(), found.failures.first()) {
        (Some(first), _) => check(
            "leftovers",
            Level::Warn,
            format!(
                "{} leftover(s) of killed uploads, dumps or backups ({}), for example {}",
                found.stale.len(),
                HumanBytes(found.bytes()),
                first.name
            ),
            Some(hint),
        ),
        (None, Some(failure)) => check(
            "leftovers",
            Level::Warn,
            format!("could not look everywhere: {failure}"),
            None,
        ),
        (None, None) => check(
            "leftovers",
            Level::Pass,
            "no leftovers of killed processes",
            None,
        ),
    }
}
