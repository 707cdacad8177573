//! `paideia migrate status|up|verify`.

use std::time::Duration;

use crate::{
    cli::{MigrateCommand, MigrateUpArgs},
    commands::{Context, confirm::confirm, context::Open},
    exit::{CommandError, ExitStatus},
    migrate::{MigrateError, Migrator, Status, UpOptions, lock_warnings},
};

pub async fn run(ctx: &Context, command: MigrateCommand) -> anyhow::Result<ExitStatus> {
    match command {
        MigrateCommand::Status => status(ctx).await,
        MigrateCommand::Up(args) => up(ctx, args).await,
        MigrateCommand::Verify => verify(ctx).await,
    }
}

async fn status(ctx: &Context) -> anyhow::Result<ExitStatus> {
    let db = ctx.connect(Open::MustExist).await?;
    let status = Migrator::embedded(&db).status().await?;
    if ctx.json {
        println!("{}", serde_json::to_string_pretty(&status)?);
    } else {
        print_status(&status);
    }
    Ok(ExitStatus::Success)
}

fn print_status(status: &Status) {
    println!(
        "{:<6} {:<28} {:<9} {:<8} {:<21} BY",
        "ID", "NAME", "KIND", "STATE", "APPLIED AT"
    );
    for m in &status.migrations {
        let state = serde_json::to_value(m.state)
            .ok()
            .and_then(|v| v.as_str().map(String::from));
        println!(
            "{:<6} {:<28} {:<9} {:<8} {:<21} {}",
            format!("{:04}", m.id),
            m.name,
            m.kind,
            state.unwrap_or_default(),
            m.applied_at
                .map(|t| t.format("%Y-%m-%d %H:%M:%SZ").to_string())
                .unwrap_or_else(|| "-".into()),
            m.applied_by.as_deref().unwrap_or("-"),
        );
    }
    println!(
        "database schema {}, binary schema {}, oldest compatible binary {}: {}",
        status.database_schema_version,
        status.binary_schema_version,
        status.min_binary_version.as_deref().unwrap_or("-"),
        match &status.compatibility {
            crate::migrate::Compatibility::Current => "current".to_string(),
            crate::migrate::Compatibility::Compatible { unknown, .. } =>
                format!("compatible ({unknown} newer migration(s) this binary does not know)"),
            crate::migrate::Compatibility::Incompatible { .. } =>
                "INCOMPATIBLE: this binary must not run".to_string(),
        }
    );
}

async fn up(ctx: &Context, args: MigrateUpArgs) -> anyhow::Result<ExitStatus> {
    let open = if args.dry_run {
        Open::MustExist
    } else {
        Open::CreateIfMissing
    };
    let db = ctx.connect(open).await?;
    let timeout = args
        .lock_timeout
        .map_or(ctx.settings.migration_lock_timeout, Duration::from_secs);
    let migrator = Migrator::embedded(&db).lock_timeout(timeout);
    let options = UpOptions {
        contract: args.contract,
    };
    let (to_apply, held_back) = migrator.plan(options).await?;

    if args.dry_run {
        for m in &to_apply {
            println!(
                "-- migration {:04}_{} ({})\n{}",
                m.id,
                m.name,
                m.kind.as_str(),
                m.sql.trim_end()
            );
            for warning in lock_warnings(db.engine(), m) {
                eprintln!("warning: {warning}");
            }
        }
        for m in &held_back {
            eprintln!(
                "note: contract migration {:04}_{} would be held back (needs --contract)",
                m.id, m.name
            );
        }
        if to_apply.is_empty() {
            eprintln!("nothing to apply");
        }
        return Ok(ExitStatus::Success);
    }

    let contract: Vec<_> = to_apply
        .iter()
        .filter(|m| m.kind == crate::migrate::Kind::Contract)
        .collect();
    if !contract.is_empty() {
        let names: Vec<_> = contract
            .iter()
            .map(|m| format!("{:04}_{}", m.id, m.name))
            .collect();
        let prompt = format!(
            "apply contract migration(s) {}? Binaries of older release series will no longer run against this database",
            names.join(", ")
        );
        if !confirm(&prompt, args.yes)? {
            return Err(CommandError::new("cancelled; nothing was changed").into());
        }
    }

    let report = migrator.up(options).await?;
    if ctx.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if report.applied.is_empty() {
        println!("the database is up to date");
    } else {
        let names: Vec<_> = report
            .applied
            .iter()
            .map(|(id, name)| format!("{id:04}_{name}"))
            .collect();
        println!("applied {} migration(s): {}", names.len(), names.join(", "));
    }
    Ok(ExitStatus::Success)
}

async fn verify(ctx: &Context) -> anyhow::Result<ExitStatus> {
    let db = ctx.connect(Open::MustExist).await?;
    let migrator = Migrator::embedded(&db);
    match migrator.verify().await {
        Ok(status) => {
            if ctx.json {
                println!("{}", serde_json::json!({"ok": true, "status": status}));
            } else {
                let pending = status
                    .pending(crate::migrate::MigrationSet::embedded(db.engine()))
                    .len();
                println!(
                    "ok: checksums match and this binary can run against the database ({pending} pending)"
                );
            }
            Ok(ExitStatus::Success)
        }
        Err(e @ (MigrateError::ChecksumMismatch { .. } | MigrateError::Incompatible { .. })) => {
            Err(CommandError::check_failed(e.to_string(), e.hint(), ctx.json).into())
        }
        Err(e) => Err(e.into()),
    }
}
