//! `paideia seed`: demo data for an empty database (migrated first).

use crate::{
    cli::SeedArgs,
    commands::{Context, context::Open},
    exit::{CommandError, ExitStatus},
    migrate::{Migrator, UpOptions},
    seed,
};

pub async fn run(ctx: &Context, args: SeedArgs) -> anyhow::Result<ExitStatus> {
    ctx.settings.ensure_data_dir()?;
    let db = ctx.connect(Open::CreateIfMissing).await?;
    Migrator::embedded(&db).up(UpOptions::default()).await?;
    if !args.force && seed::has_users(&db).await? {
        return Err(
            CommandError::new("the database already has users; nothing was added")
                .hint(
                    "seed an empty database, or add --force to add demo data beside what is there",
                )
                .into(),
        );
    }
    let report = seed::seed(&db, args.scale, args.seed, chrono::Utc::now()).await?;
    db.close();
    if ctx.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "seeded {} rows: {} users, {} courses, {} enrollments, {} modules, {} submissions, {} grades",
            report.rows,
            report.users,
            report.courses,
            report.enrollments,
            report.modules,
            report.submissions,
            report.grades
        );
    }
    Ok(ExitStatus::Success)
}
