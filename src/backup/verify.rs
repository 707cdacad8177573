//! `verify-backup`: the structure and every hash (quick), then a trial restore into a scratch
//! database and a comparison of each table's rows and hash with the manifest.

use std::path::Path;

use super::{
    BackupError, Quiet, catalog,
    copytext::RowHasher,
    format::{Manifest, quote_ident},
    restore::{self, RestoreOptions},
};
use crate::db::{DatabaseUrl, Db, Engine, Executor};

/// Where a trial restore goes.
pub enum Scratch {
    /// A temporary SQLite file in a new directory inside this one.
    Sqlite(std::path::PathBuf),
    /// A temporary database on this PostgreSQL server, dropped afterwards.
    Postgres(DatabaseUrl),
}

impl Scratch {
    /// A scratch database on the same engine as `url`: a database on its PostgreSQL server,
    /// or a SQLite file in a new directory inside `dir`.
    pub fn like(url: &DatabaseUrl, dir: &Path) -> Scratch {
        match url.engine() {
            Engine::Postgres => Scratch::Postgres(url.clone()),
            Engine::Sqlite => Scratch::Sqlite(dir.to_path_buf()),
        }
    }
}

#[derive(Debug, serde::Serialize)]
pub struct VerifyReport {
    pub ok: bool,
    pub format: u32,
    pub engine: Engine,
    pub paideia_version: String,
    pub schema_version: i64,
    pub tables: usize,
    pub rows: u64,
    pub bytes: u64,
    /// "sqlite" or "postgres" when a trial restore ran.
    pub trial_restore: Option<Engine>,
}

pub async fn verify(path: &Path, scratch: Option<Scratch>) -> Result<VerifyReport, BackupError> {
    let target = match &scratch {
        Some(Scratch::Postgres(_)) => Engine::Postgres,
        _ => Engine::Sqlite,
    };
    let scan = restore::check_all(path, target).await?;
    if !scan.sql_checked {
        return Err(BackupError::SqlUnchecked {
            file: path.display().to_string(),
            format: scan.manifest.format,
        });
    }
    let (manifest, bytes) = (scan.manifest, scan.bytes);
    let trial = match scratch {
        None => None,
        Some(Scratch::Sqlite(dir)) => {
            let scratch = tempfile::Builder::new()
                .prefix(".paideia-verify-")
                .tempdir_in(&dir)
                .map_err(BackupError::io(&dir))?;
            let url = DatabaseUrl::sqlite_file(&scratch.path().join("verify.db"));
            trial_restore(&url, path, &manifest).await?;
            Some(Engine::Sqlite)
        }
        Some(Scratch::Postgres(server)) => {
            let name = format!("paideia_verify_{:016x}", rand::random::<u64>());
            admin(&server, &format!("CREATE DATABASE {name}")).await?;
            let result = trial_restore(&server.with_database(&name)?, path, &manifest).await;
            let dropped = admin(
                &server,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
            result?;
            dropped?;
            Some(Engine::Postgres)
        }
    };
    Ok(VerifyReport {
        ok: true,
        format: manifest.format,
        engine: manifest.engine,
        paideia_version: manifest.paideia_version.clone(),
        schema_version: manifest.schema_version,
        tables: manifest.tables.len(),
        rows: manifest.total_rows(),
        bytes,
        trial_restore: trial,
    })
}

async fn admin(server: &DatabaseUrl, sql: &str) -> Result<(), BackupError> {
    let db = Db::connect(server, 1).await?;
    db.conn().await?.batch_execute(sql).await?;
    db.close();
    Ok(())
}

async fn trial_restore(
    url: &DatabaseUrl,
    path: &Path,
    manifest: &Manifest,
) -> Result<(), BackupError> {
    let db = Db::connect(url, 2).await?;
    let options = RestoreOptions {
        clean: false,
        trial: true,
    };
    let result = async {
        restore::restore(&db, path, options, &Quiet).await?;
        compare(&db, manifest).await
    }
    .await;
    db.close();
    result
}

/// Re-reads every table of the restored database and checks rows and hash.
async fn compare(db: &Db, manifest: &Manifest) -> Result<(), BackupError> {
    let mut conn = db.conn().await?;
    let mut tx = conn.read_transaction(None).await?;
    let restored = catalog::tables(&mut tx, db.engine()).await?;
    for table in &manifest.tables {
        let target = restored.iter().find(|t| t.name == table.name);
        let columns: Vec<String> = table.columns.iter().map(|c| quote_ident(&c.name)).collect();
        let sql = format!(
            "SELECT {} FROM {}",
            columns.join(", "),
            quote_ident(&table.name)
        );
        let mut hasher = RowHasher::for_format(manifest.format);
        tx.for_each_row(&sql, |values| hasher.add_as(values, &table.columns))
            .await?;
        if target.is_none() || hasher.rows() != table.rows || hasher.finish() != table.hash {
            return Err(BackupError::Table {
                table: table.name.clone(),
                problem: format!(
                    "after a trial restore it holds {} rows that do not match the manifest ({} rows)",
                    hasher.rows(),
                    table.rows
                ),
            });
        }
    }
    Ok(())
}
