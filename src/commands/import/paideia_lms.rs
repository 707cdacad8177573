//! `paideia import paideia-lms`: reads the source (database snapshot, then objects), copies
//! the files, writes the rows in one transaction and prints the report (`--json` for scripts).
//! A dry run writes into a scratch database it throws away, and copies nothing.

use std::time::Instant;

use crate::{
    cli::PaideiaLmsArgs,
    commands::{Context, context::Open},
    db::{DatabaseUrl, Db},
    envvars,
    exit::{CommandError, ExitStatus},
    import::paideia_lms::{self, Existing, ImportError, Report, source},
    migrate::{Migrator, UpOptions},
    settings::{DEFAULT_S3_REGION, DEFAULT_S3_TIMEOUT, Env, ProcessEnv, S3Settings, Secret},
    storage::Storage,
};

pub async fn run(ctx: &Context, args: PaideiaLmsArgs) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    if ctx.settings.database_url.expose() == args.from {
        return Err(CommandError::new("--from names this site's own database")
            .hint("point --database-url (or PAIDEIA_DATABASE_URL) at this site and --from at Paideia LMS's database")
            .into());
    }
    let objects = source_objects(&args)?;
    let source_db = source::connect(&args.from).await.map_err(|e| {
        CommandError::new(format!("cannot open Paideia LMS's database: {e}"))
            .hint("--from takes Paideia LMS's DATABASE_URL, e.g. postgres://user:password@host:5432/paideia")
    })?;
    let snap = source::read(&source_db).await.map_err(|e| {
        CommandError::new(format!("cannot read Paideia LMS's database: {e}"))
            .hint("is --from a Paideia LMS 0.7 database? `psql URL -c '\\dt'` should list users, courses and course_activity_module_links")
    })?;
    source_db.close();
    let now = chrono::Utc::now();
    let report = if args.dry_run {
        dry_run(ctx, &args, &snap, &objects, now).await?
    } else {
        import(ctx, &args, &snap, &objects, now).await?
    };
    print(ctx, &report, started.elapsed().as_secs_f64())?;
    Ok(ExitStatus::Success)
}

/// Paideia LMS's objects: `--files DIR`, else its bucket from its own S3_* variables.
fn source_objects(args: &PaideiaLmsArgs) -> anyhow::Result<Storage> {
    if let Some(dir) = &args.files {
        return Storage::foreign_folder(dir).map_err(|e| {
            CommandError::new(format!(
                "cannot read the files folder {}: {e}",
                dir.display()
            ))
            .hint("--files takes a folder holding Paideia LMS's objects, each named by its key")
            .into()
        });
    }
    let env = ProcessEnv;
    let Some(bucket) = env.var(envvars::COMPAT_S3_BUCKET) else {
        return Err(CommandError::new("no source for Paideia LMS's files")
            .hint("set Paideia LMS's S3_BUCKET, S3_ENDPOINT_URL, S3_ACCESS_KEY, S3_SECRET_KEY (and S3_REGION), or pass --files DIR")
            .into());
    };
    let endpoint_url = env.var(envvars::COMPAT_S3_ENDPOINT_URL);
    let settings = S3Settings {
        path_style: endpoint_url.is_some(),
        endpoint_url,
        region: env
            .var(envvars::COMPAT_S3_REGION)
            .unwrap_or_else(|| DEFAULT_S3_REGION.to_string()),
        bucket,
        access_key: env.var(envvars::COMPAT_S3_ACCESS_KEY),
        secret_key: env.var(envvars::COMPAT_S3_SECRET_KEY).map(Secret::new),
        timeout: DEFAULT_S3_TIMEOUT,
    };
    Storage::s3(&settings).map_err(|e| {
        CommandError::new(format!("cannot use Paideia LMS's bucket: {e}"))
            .hint("check S3_ENDPOINT_URL (e.g. http://minio:9000), S3_BUCKET and the keys")
            .into()
    })
}

fn failed(e: ImportError) -> anyhow::Error {
    let hint = match &e {
        ImportError::NotEmpty { .. } => {
            "import into a new, empty site, or add --merge to add the school beside what is there"
        }
        ImportError::Source(_) => "check --from and that the database is Paideia LMS 0.7",
        ImportError::Target(_) => {
            "nothing was written (one transaction); fix the cause and run the import again"
        }
        ImportError::Files(_) => {
            "no row was written; run the import again (files already copied are reused)"
        }
    };
    CommandError::new(e.to_string()).hint(hint).into()
}

async fn import(
    ctx: &Context,
    args: &PaideiaLmsArgs,
    snap: &source::Snapshot,
    objects: &Storage,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Report> {
    ctx.settings.ensure_data_dir()?;
    let db = ctx.connect(Open::CreateIfMissing).await?;
    Migrator::embedded(&db).up(UpOptions::default()).await?;
    let existing = paideia_lms::existing(&db, args.merge)
        .await
        .map_err(failed)?;
    let storage = Storage::from_settings(&ctx.settings).await?;
    let (mut report, copied) = paideia_lms::copy_files(snap, objects, &storage, false)
        .await
        .map_err(failed)?;
    let mut conn = db.dedicated().await?;
    let mut tx = conn.transaction().await?;
    paideia_lms::write(snap, &copied, &existing, &mut tx, &mut report, now)
        .await
        .map_err(failed)?;
    tx.commit().await?;
    db.close();
    Ok(report)
}

/// The same import into a scratch SQLite database that is thrown away; the site's own
/// database, when there is one, is only read (is it empty, which emails and addresses it has).
async fn dry_run(
    ctx: &Context,
    args: &PaideiaLmsArgs,
    snap: &source::Snapshot,
    objects: &Storage,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Report> {
    let existing = match ctx.connect(Open::MustExist).await {
        Ok(db) => {
            let found = paideia_lms::existing(&db, args.merge).await;
            db.close();
            match found {
                Ok(found) => found,
                Err(e @ ImportError::NotEmpty { .. }) => return Err(failed(e)),
                Err(_) => Existing::default(), // not migrated yet: empty
            }
        }
        Err(_) => Existing::default(),
    };
    let scratch = tempfile::tempdir()?;
    let db = Db::connect(
        &DatabaseUrl::sqlite_file(&scratch.path().join("dry-run.db")),
        1,
    )
    .await?;
    Migrator::embedded(&db).up(UpOptions::default()).await?;
    let (mut report, copied) = paideia_lms::copy_files(snap, objects, objects, true)
        .await
        .map_err(failed)?;
    let mut conn = db.dedicated().await?;
    let mut tx = conn.transaction().await?;
    paideia_lms::write(snap, &copied, &existing, &mut tx, &mut report, now)
        .await
        .map_err(failed)?;
    tx.rollback().await?;
    db.close();
    Ok(report)
}

fn print(ctx: &Context, report: &Report, seconds: f64) -> anyhow::Result<()> {
    if ctx.json {
        let mut value = serde_json::to_value(report)?;
        value["seconds"] = serde_json::json!((seconds * 1000.0).round() / 1000.0);
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    let head = if report.dry_run {
        "dry run: nothing was written; an import would carry over"
    } else {
        "imported from Paideia LMS"
    };
    println!("{head} ({seconds:.1} s):");
    for (kind, n) in &report.counts {
        println!("  {:<18} {n}", kind.replace('_', " "));
    }
    let f = &report.files;
    println!(
        "  files              {} copied, {} already here, {} missing ({} bytes copied)",
        f.copied, f.reused, f.missing, f.bytes
    );
    if !report.not_carried.is_empty() {
        println!("not carried over ({}):", report.not_carried.len());
        for s in &report.not_carried {
            let id = s.source_id.map(|i| format!(" #{i}")).unwrap_or_default();
            println!("  - {}{id} {}: {}", s.kind, s.what, s.reason);
        }
    }
    Ok(())
}
