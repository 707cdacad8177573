//! `paideia doctor`: every check as PASS, WARN or FAIL with a hint; the exit code is the
//! worst result (0 pass, 5 warnings, 3 a failure).

use crate::{
    cli::DoctorArgs,
    commands::Context,
    doctor::{self, Level},
    exit::ExitStatus,
};

pub async fn run(ctx: &Context, args: DoctorArgs) -> anyhow::Result<ExitStatus> {
    let options = doctor::Options { full: args.full };
    let checks = doctor::run(&ctx.settings, chrono::Utc::now(), options).await;
    let worst = doctor::worst(&checks);
    if ctx.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({"worst": worst, "checks": checks}))?
        );
    } else {
        for c in &checks {
            let label = match c.level {
                Level::Pass => "PASS",
                Level::Warn => "WARN",
                Level::Fail => "FAIL",
            };
            println!("{label}  {:<18} {}", c.name, c.detail);
            if let Some(hint) = &c.hint {
                println!("      {:<18} hint: {hint}", "");
            }
        }
    }
    Ok(match worst {
        Level::Pass => ExitStatus::Success,
        Level::Warn => ExitStatus::Warnings,
        Level::Fail => ExitStatus::CheckFailed,
    })
}
