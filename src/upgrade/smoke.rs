//! Trying a new binary before it replaces anything: it must start, report the expected version
//! for this platform (`--version --json`), and judge itself able to run against the current
//! database (`migrate verify`, which accepts known or compatible applied migrations).

use std::{path::Path, process::Stdio, time::Duration};

use serde::Deserialize;

use super::UpgradeError;

/// How long a new binary may take to answer.
const TIMEOUT: Duration = Duration::from_secs(60);

/// What `--version --json` reports.
#[derive(Clone, Debug, Deserialize)]
pub struct Reported {
    pub version: String,
    pub target: String,
    #[serde(default)]
    pub schema_version: i64,
}

/// Runs `binary args…` with extra environment; returns (exit code, stdout, stderr).
async fn run(
    binary: &Path,
    args: &[&str],
    env: &[(String, String)],
) -> Result<(i32, String, String), UpgradeError> {
    run_within(binary, args, env, TIMEOUT).await
}

/// `run` with its own deadline (a rehearsal's `migrate up` may take as long as the data needs).
pub(crate) async fn run_within(
    binary: &Path,
    args: &[&str],
    env: &[(String, String)],
    timeout: Duration,
) -> Result<(i32, String, String), UpgradeError> {
    let mut cmd = tokio::process::Command::new(binary);
    cmd.args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = cmd
        .spawn()
        .map_err(|e| UpgradeError::SmokeTest(format!("the new binary does not start: {e}")))?;
    let out = tokio::time::timeout(timeout, child.wait_with_output())
        .await
        .map_err(|_| {
            UpgradeError::SmokeTest(format!(
                "`{}` did not finish within {}s",
                args.join(" "),
                timeout.as_secs()
            ))
        })?
        .map_err(|e| UpgradeError::SmokeTest(format!("the new binary failed to run: {e}")))?;
    Ok((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).trim().to_string(),
    ))
}

/// The new binary's own account of itself.
pub async fn reported(binary: &Path) -> Result<Reported, UpgradeError> {
    let (code, stdout, stderr) = run(binary, &["--version", "--json"], &[]).await?;
    if code != 0 {
        return Err(UpgradeError::SmokeTest(format!(
            "`--version --json` exited with {code}: {stderr}"
        )));
    }
    serde_json::from_str(&stdout).map_err(|e| {
        UpgradeError::SmokeTest(format!(
            "`--version --json` printed no version report ({e})"
        ))
    })
}

/// True when a Rust target triple names this machine's OS and architecture.
pub fn target_is_this_platform(target: &str) -> bool {
    let arch = std::env::consts::ARCH;
    let os_ok = match std::env::consts::OS {
        "macos" => target.contains("-apple-darwin"),
        os => target.contains(&format!("-{os}")),
    };
    target.split('-').next() == Some(arch) && os_ok
}

/// Checks the report against the version the release promised.
pub fn check_report(report: &Reported, expected: &semver::Version) -> Result<(), UpgradeError> {
    let version = semver::Version::parse(&report.version).map_err(|_| {
        UpgradeError::SmokeTest(format!(
            "the new binary reports version {:?}",
            report.version
        ))
    })?;
    if version != *expected {
        return Err(UpgradeError::SmokeTest(format!(
            "the new binary reports version {version}, not {expected}"
        )));
    }
    if !target_is_this_platform(&report.target) {
        return Err(UpgradeError::SmokeTest(format!(
            "the new binary was built for {}, not this {}-{} machine",
            report.target,
            std::env::consts::OS,
            std::env::consts::ARCH
        )));
    }
    Ok(())
}

/// Whether `binary` can run against the database the environment points at: `Ok(Ok(()))`,
/// or `Ok(Err(reason))` when it says it cannot (exit 3 of `migrate verify`).
pub async fn database_verdict(
    binary: &Path,
    env: &[(String, String)],
) -> Result<Result<(), String>, UpgradeError> {
    let (code, _stdout, stderr) = run(binary, &["migrate", "verify"], env).await?;
    match code {
        0 => Ok(Ok(())),
        3 => Ok(Err(first_error_line(&stderr))),
        _ => Err(UpgradeError::SmokeTest(format!(
            "`migrate verify` of the new binary exited with {code}: {}",
            first_error_line(&stderr)
        ))),
    }
}

pub(crate) fn first_error_line(stderr: &str) -> String {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("error: "))
        .unwrap_or(stderr)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_platform_matches_its_own_target() {
        assert!(target_is_this_platform(crate::version::TARGET));
        assert!(!target_is_this_platform("riscv64gc-unknown-linux-gnu"));
        assert!(!target_is_this_platform("x86_64-pc-windows-msvc"));
    }

    #[test]
    fn report_must_match_version_and_platform() {
        let report = Reported {
            version: "1.2.3".into(),
            target: crate::version::TARGET.into(),
            schema_version: 1,
        };
        check_report(&report, &semver::Version::new(1, 2, 3)).unwrap();
        assert!(check_report(&report, &semver::Version::new(1, 2, 4)).is_err());
        let other = Reported {
            target: "riscv64gc-unknown-linux-gnu".into(),
            ..report
        };
        assert!(check_report(&other, &semver::Version::new(1, 2, 3)).is_err());
    }
}
