//! `paideia import paideia-lms`: a Paideia LMS 0.7.15 school (its PostgreSQL database and its
//! bucket) into this site. The source is only read (`source`); its files are copied first
//! (`files`); then every row is written in one transaction (`write`), so a failure or a kill
//! leaves the site as it was. A dry run takes the same path into a transaction it rolls back
//! (or a scratch database when the site has none yet) and copies nothing.

pub mod files;
pub mod quizzes;
pub mod source;
mod write;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::{
    db::{Db, DbError, Executor},
    storage::Storage,
};

pub use write::html_to_text;

/// The environment variable tests set to abort the process at a named point of the import
/// (`after-files`, `mid-transaction`, `before-commit`), proving a kill leaves no half site.
pub const ABORT_AT_VAR: &str = "PAIDEIA_TEST_IMPORT_ABORT_AT";

/// Aborts the process when `ABORT_AT_VAR` names `point`.
pub fn abort_point(point: &str) {
    if std::env::var(ABORT_AT_VAR).is_ok_and(|v| v == point) {
        eprintln!("aborting at {point} ({ABORT_AT_VAR})");
        std::process::abort();
    }
}

/// One thing that was not carried over, and why.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Skipped {
    pub kind: String,
    /// Paideia LMS's id of the row, when it is one row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_id: Option<i64>,
    pub what: String,
    pub reason: String,
}

#[derive(Debug, Default, serde::Serialize)]
pub struct FileCounts {
    pub copied: u64,
    pub reused: u64,
    pub missing: u64,
    pub bytes: u64,
}

/// What an import did (or, dry, would do).
#[derive(Debug, Default, serde::Serialize)]
pub struct Report {
    pub dry_run: bool,
    /// Rows written per kind.
    pub counts: BTreeMap<&'static str, u64>,
    pub files: FileCounts,
    pub not_carried: Vec<Skipped>,
}

impl Report {
    fn add(&mut self, kind: &'static str, n: u64) {
        *self.counts.entry(kind).or_default() += n;
    }

    fn skip(
        &mut self,
        kind: &str,
        source_id: Option<i64>,
        what: impl Into<String>,
        reason: impl Into<String>,
    ) {
        self.not_carried.push(Skipped {
            kind: kind.to_string(),
            source_id,
            what: what.into(),
            reason: reason.into(),
        });
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("reading Paideia LMS's database: {0}")]
    Source(DbError),
    #[error("writing this site's database: {0}")]
    Target(#[from] DbError),
    #[error("copying Paideia LMS's files: {0}")]
    Files(#[from] files::CopyError),
    #[error("this site already has {users} account(s) and {courses} course(s)")]
    NotEmpty { users: i64, courses: i64 },
}

/// What the target already holds (only non-empty with `merge`).
#[derive(Debug, Default)]
pub struct Existing {
    /// lower(email) → account id
    pub emails: HashMap<String, i64>,
    pub slugs: HashSet<String>,
}

/// Reads what the target holds, refusing a non-empty target unless `merge`.
pub async fn existing(db: &Db, merge: bool) -> Result<Existing, ImportError> {
    let users: i64 = db
        .query_one("SELECT count(*) AS n FROM users", &[])
        .await?
        .get("n")?;
    let courses: i64 = db
        .query_one("SELECT count(*) AS n FROM courses", &[])
        .await?
        .get("n")?;
    if !merge && (users > 0 || courses > 0) {
        return Err(ImportError::NotEmpty { users, courses });
    }
    let mut found = Existing::default();
    for row in db.query("SELECT id, email FROM users", &[]).await? {
        let email: String = row.get("email")?;
        found.emails.insert(email.to_lowercase(), row.get("id")?);
    }
    for row in db.query("SELECT slug FROM courses", &[]).await? {
        found.slugs.insert(row.get("slug")?);
    }
    Ok(found)
}

/// Every source object the import stores, with how many separate copies it needs (each
/// placement owns its own file, as course copies do): (media id, object key, copies).
pub fn wanted_files(snap: &source::Snapshot) -> Vec<(i64, String, usize)> {
    let mut uses: BTreeMap<i64, usize> = BTreeMap::new();
    for link in &snap.links {
        let media = match link.kind.as_str() {
            "page" => link
                .page_id
                .and_then(|p| snap.pages.get(&p))
                .map(|p| p.1.clone()),
            "file" => link.file_id.and_then(|f| snap.files.get(&f)).cloned(),
            _ => None,
        };
        for id in media.unwrap_or_default() {
            *uses.entry(id).or_default() += 1;
        }
    }
    for s in &snap.submissions {
        for &id in &s.files {
            *uses.entry(id).or_default() += 1;
        }
    }
    let names: HashMap<i64, &str> = snap
        .media
        .iter()
        .map(|m| (m.id, m.filename.as_str()))
        .collect();
    uses.into_iter()
        .filter_map(|(id, n)| names.get(&id).map(|name| (id, name.to_string(), n)))
        .collect()
}

/// Copies the files (with `dry_run`, only checks each is there); returns the report so far
/// and the copies for `write`.
pub async fn copy_files(
    snap: &source::Snapshot,
    objects: &Storage,
    target_storage: &Storage,
    dry_run: bool,
) -> Result<(Report, files::Copied), ImportError> {
    let mut report = Report {
        dry_run,
        ..Report::default()
    };
    let wanted = wanted_files(snap);
    let copied = files::copy_all(objects, target_storage, &wanted, dry_run).await?;
    report.files = FileCounts {
        copied: copied.copied,
        reused: copied.reused,
        missing: copied.missing.len() as u64,
        bytes: copied.bytes,
    };
    for id in &copied.missing {
        let name = wanted
            .iter()
            .find(|w| w.0 == *id)
            .map_or("", |w| w.1.as_str());
        report.skip("file", Some(*id), name, "missing from Paideia LMS's bucket");
    }
    if !dry_run {
        abort_point("after-files");
    }
    Ok((report, copied))
}

/// Writes every row into `tx` (one transaction the caller commits or, dry, rolls back).
pub async fn write(
    snap: &source::Snapshot,
    copied: &files::Copied,
    existing: &Existing,
    tx: &mut impl Executor,
    report: &mut Report,
    now: DateTime<Utc>,
) -> Result<(), ImportError> {
    let dry_run = report.dry_run;
    write::write(snap, copied, existing, tx, report, dry_run, now).await?;
    Ok(())
}
