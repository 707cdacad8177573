//! `paideia upgrade --rehearse` end to end: this tree's build (with the test key trusted)
//! rehearses moving to a build of this tree at the next patch that carries one extra test
//! migration,
//! offered by the local release server, on a seeded site, on both engines: the migration's
//! time and lock and "rolling possible"; a contract migration's downtime; a migration that
//! fails on this data ("not safe", the real database untouched); and a killed rehearsal's
//! scratch copy swept by the next one.

use std::{
    collections::BTreeMap,
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use bytes::Bytes;
use paideia::{
    db::{Db, Engine, Executor},
    envvars,
};
use tempfile::TempDir;

use crate::support::{
    Backend,
    releases::{
        self, Damage, Faults, Probe, ReleaseServer, current_binary, next_patch, rehearsal_binary,
    },
    run,
};

/// A seeded site run by this tree's build, with an administrator.
struct Site {
    dir: TempDir,
    backend: Backend,
}

impl Site {
    async fn new(engine: Engine) -> Site {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("bin")).unwrap();
        std::fs::copy(current_binary(), dir.path().join("bin/paideia")).unwrap();
        let site = Site {
            dir,
            backend: Backend::new(engine).await,
        };
        let (code, _, err) = run(site.cmd(None).args(["migrate", "up"]));
        assert_eq!(code, 0, "{err}");
        let (code, _, err) = run(site.cmd(None).args(["seed", "--scale", "1"]));
        assert_eq!(code, 0, "{err}");
        let mut child = site
            .cmd(None)
            .args([
                "user",
                "create",
                "--email",
                "admin@example.org",
                "--name",
                "Admin",
            ])
            .args(["--role", "admin", "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"a long admin password\n")
            .unwrap();
        assert!(child.wait().unwrap().success());
        site
    }

    fn exe(&self) -> PathBuf {
        self.dir.path().join("bin/paideia")
    }

    fn cmd(&self, server: Option<&ReleaseServer>) -> Command {
        let mut cmd = Command::new(self.exe());
        for (name, _) in envvars::ALL {
            cmd.env_remove(name);
        }
        for name in ["GH_TOKEN", "GITHUB_TOKEN", "RUST_LOG"] {
            cmd.env_remove(name);
        }
        cmd.stdin(Stdio::null())
            .arg("--data-dir")
            .arg(self.backend.data_dir())
            .arg("--database-url")
            .arg(self.backend.url.expose());
        if let Some(server) = server {
            cmd.env(envvars::RELEASES_URL, server.url());
        }
        cmd
    }

    /// `upgrade --rehearse --json ARGS`: exit code, the report, stderr.
    fn rehearse(&self, server: &ReleaseServer, args: &[&str]) -> (i32, serde_json::Value, String) {
        let (code, out, err) = run(self
            .cmd(Some(server))
            .args(["upgrade", "--rehearse", "--json"])
            .args(args));
        let report = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("no JSON report ({e}): {out}\n{err}"));
        (code, report, err)
    }

    async fn db(&self) -> Db {
        self.backend.db().await
    }

    /// Every table's rows, in a stable text form: the database's fingerprint. The rehearsals'
    /// own record is left out (a rehearsal writes it by design).
    async fn fingerprint(&self) -> BTreeMap<String, String> {
        let db = self.db().await;
        let mut conn = db.conn().await.unwrap();
        let tables = paideia::backup::catalog::tables(&mut conn, db.engine())
            .await
            .unwrap();
        let mut prints = BTreeMap::new();
        for table in tables.iter().filter(|t| t.name != "upgrade_rehearsals") {
            let rows = conn
                .query(&format!("SELECT * FROM \"{}\"", table.name), &[])
                .await
                .unwrap();
            let mut rows: Vec<String> = rows.iter().map(|r| format!("{r:?}")).collect();
            rows.sort();
            prints.insert(table.name.clone(), rows.join("\n"));
        }
        db.close();
        prints
    }

    /// The scratch copies (folders and PostgreSQL databases) a rehearsal by `pid` left.
    async fn scratch_of(&self, pid: u32) -> Vec<String> {
        let suffix = format!("_{pid}");
        let mut found: Vec<String> = std::fs::read_dir(self.backend.data_dir())
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.starts_with(".paideia-rehearsal-"))
                    .filter(|n| n.trim_end_matches(".lease").ends_with(&suffix))
                    .collect()
            })
            .unwrap_or_default();
        if self.backend.engine() == Engine::Postgres {
            let db = self.db().await;
            let rows = db
                .query(
                    "SELECT datname FROM pg_database WHERE datname LIKE 'paideia_rehearsal_%'",
                    &[],
                )
                .await
                .unwrap();
            db.close();
            found.extend(
                rows.iter()
                    .map(|r| r.get::<String>("datname").unwrap())
                    .filter(|n| n.ends_with(&suffix)),
            );
        }
        found
    }
}

fn server_offering(binary: &Path) -> impl std::future::Future<Output = ReleaseServer> {
    let bytes = Bytes::from(std::fs::read(binary).unwrap());
    let release = releases::release(
        &format!("v{}", next_patch()),
        bytes,
        "### New features\n- a probe column\n",
        Damage::None,
    );
    releases::serve(vec![release], Faults::default())
}

fn migration(report: &serde_json::Value) -> &serde_json::Value {
    let migrations = report["migrations"].as_array().unwrap();
    let probe = migrations
        .iter()
        .find(|m| m["id"] == 9001)
        .unwrap_or_else(|| panic!("the probe migration is reported: {report:#}"));
    assert_eq!(probe["name"], "rehearsal_probe");
    probe
}

async fn rolling_on_a_backup_set(engine: Engine) {
    let site = Site::new(engine).await;
    let server = server_offering(&rehearsal_binary(Probe::Expand)).await;
    for step in [&["backup", "run"][..], &["backup", "verify", "--latest"]] {
        let (code, _, err) = run(site.cmd(None).args(step));
        assert_eq!(code, 0, "{step:?}: {err}");
    }
    let before = site.fingerprint().await;

    let (code, report, err) = site.rehearse(&server, &[]);
    assert_eq!(code, 0, "safe: {report:#}\n{err}");
    assert_eq!(report["verdict"], "safe");
    assert_eq!(report["rolling"], true);
    assert!(
        report["source"]
            .as_str()
            .unwrap()
            .starts_with("backup set "),
        "{report:#}"
    );
    assert!(
        report["notes"][0]
            .as_str()
            .unwrap()
            .contains("a probe column"),
        "{report:#}"
    );
    let probe = migration(&report);
    assert_eq!(probe["kind"], "expand");
    assert!(probe["duration_ms"].is_u64(), "timed: {probe}");
    let locks = probe["locks"].as_array().unwrap();
    match engine {
        Engine::Postgres => {
            let text = format!("{locks:?}");
            assert!(text.contains("ALTER TABLE users"), "{text}");
            assert!(text.contains("CREATE INDEX on courses"), "{text}");
        }
        Engine::Sqlite => assert!(format!("{locks:?}").contains("SQLite write lock")),
    }
    assert_eq!(
        report["longest_write_lock"]["migration"],
        "9001_rehearsal_probe"
    );
    let pages: Vec<_> = report["current_binary"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["what"].as_str().unwrap().starts_with("GET "))
        .collect();
    assert!(pages.len() >= 4, "hot pages read as an admin: {report:#}");
    assert!(pages.iter().all(|c| c["ok"] == true), "{pages:?}");
    assert_eq!(
        report["rows_before"]["users"],
        report["rows_after"]["users"]
    );
    assert!(report["rows_after"]["users"].as_u64().unwrap() > 100);

    // Nothing installed, nothing left, the real database as it was.
    assert_eq!(
        std::fs::read(site.exe()).unwrap(),
        std::fs::read(current_binary()).unwrap()
    );
    let bin: Vec<_> = std::fs::read_dir(site.dir.path().join("bin"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "paideia" && n != ".paideia.upgrade.lock")
        .collect();
    assert!(bin.is_empty(), "{bin:?}");
    let scratch = report["scratch"].as_str().unwrap();
    assert!(!Path::new(scratch).exists(), "{scratch} dropped");
    let left = std::fs::read_dir(site.backend.data_dir())
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().starts_with(".paideia-rehearsal-")
        })
        .count();
    assert_eq!(left, 0, "no scratch folder or lease left");
    if engine == Engine::Postgres {
        let name = scratch.split_whitespace().nth(1).unwrap();
        let db = site.db().await;
        let rows = db
            .query(
                "SELECT 1 FROM pg_database WHERE datname = $1",
                &[name.into()],
            )
            .await
            .unwrap();
        db.close();
        assert!(rows.is_empty(), "{name} dropped");
    }
    assert_eq!(
        site.fingerprint().await,
        before,
        "the real database is untouched"
    );

    // Recorded with the upgrade history, shown there and on the System page's data.
    let (code, _, err) = run(site.cmd(None).args(["upgrade", "--history"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("last rehearsal: ") && err.contains("rolling upgrade possible"),
        "{err}"
    );
    let db = site.db().await;
    let last = paideia::upgrade::rehearsal::record::latest(&db)
        .await
        .unwrap();
    db.close();
    assert_eq!(last.verdict, "safe");
    assert_eq!(last.to_version, next_patch());

    // The human report says the same in words.
    let (code, out, err) = run(site.cmd(Some(&server)).args(["upgrade", "--rehearse"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("9001_rehearsal_probe  expand"), "{out}");
    assert!(out.contains("rolling upgrade: possible"), "{out}");
    assert!(out.contains("verdict: safe"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn rolling_on_a_backup_set_sqlite() {
    rolling_on_a_backup_set(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rolling_on_a_backup_set_postgres() {
    rolling_on_a_backup_set(Engine::Postgres).await;
}

async fn a_contract_migration_needs_downtime(engine: Engine) {
    let site = Site::new(engine).await;
    let server = server_offering(&rehearsal_binary(Probe::Contract)).await;
    let (code, report, err) = site.rehearse(&server, &["--fresh"]);
    assert_eq!(code, 8, "safe with downtime: {report:#}\n{err}");
    assert_eq!(report["verdict"], "safe_with_downtime");
    assert_eq!(report["rolling"], false);
    assert_eq!(migration(&report)["kind"], "contract");
    assert!(report["downtime_ms"].is_u64(), "{report:#}");
    assert!(
        report["reasons"][0]
            .as_str()
            .unwrap()
            .contains("9001_rehearsal_probe")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_contract_migration_needs_downtime_sqlite() {
    a_contract_migration_needs_downtime(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_contract_migration_needs_downtime_postgres() {
    a_contract_migration_needs_downtime(Engine::Postgres).await;
}

async fn a_migration_failing_on_this_data_is_not_safe(engine: Engine) {
    let site = Site::new(engine).await;
    // Two courses with one title: the probe's unique index cannot be built on this data.
    let db = site.db().await;
    db.execute(
        "INSERT INTO courses (slug, title, description, status, created_by, created_at, updated_at)
         SELECT slug || '-twin', title, description, status, created_by, created_at, updated_at
         FROM courses WHERE id = (SELECT MIN(id) FROM courses)",
        &[],
    )
    .await
    .unwrap();
    db.close();
    let server = server_offering(&rehearsal_binary(Probe::Expand)).await;
    let before = site.fingerprint().await;
    let (code, report, err) = site.rehearse(&server, &["--fresh"]);
    assert_eq!(code, 3, "not safe: {report:#}\n{err}");
    assert_eq!(report["verdict"], "not_safe");
    let reason = report["reasons"][0].as_str().unwrap();
    assert!(
        reason.contains("migration 9001 (rehearsal_probe) failed"),
        "{reason}"
    );
    assert!(
        reason.to_lowercase().contains("unique"),
        "names the error: {reason}"
    );
    assert!(migration(&report)["error"].is_string());
    assert_eq!(
        site.fingerprint().await,
        before,
        "the real database is untouched"
    );

    // `--rehearse-first` stops the upgrade on "not safe".
    let (code, _, err) =
        run(site
            .cmd(Some(&server))
            .args(["upgrade", "--rehearse-first", "--fresh", "--yes"]));
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("NOT SAFE") && err.contains("nothing was installed"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(site.exe()).unwrap(),
        std::fs::read(current_binary()).unwrap()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_migration_failing_on_this_data_is_not_safe_sqlite() {
    a_migration_failing_on_this_data_is_not_safe(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_migration_failing_on_this_data_is_not_safe_postgres() {
    a_migration_failing_on_this_data_is_not_safe(Engine::Postgres).await;
}

async fn a_killed_rehearsal_is_swept_by_the_next(engine: Engine) {
    let site = Site::new(engine).await;
    let server = server_offering(&rehearsal_binary(Probe::Expand)).await;
    let mut child = site
        .cmd(Some(&server))
        .args(["upgrade", "--rehearse", "--fresh", "--json"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    // Killed as soon as its scratch copy exists (polled, no sleeping on a guess).
    let started = Instant::now();
    let expected = if engine == Engine::Postgres { 3 } else { 2 };
    while site.scratch_of(pid).await.len() < expected {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no scratch copy appeared"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the rehearsal ended first"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let left = site.scratch_of(pid).await;
    assert_eq!(left.len(), expected, "the kill left its copy: {left:?}");

    let (code, report, err) = site.rehearse(&server, &["--fresh"]);
    assert_eq!(code, 0, "{report:#}\n{err}");
    let swept = format!("{}", report["swept"]);
    for name in left.iter().filter(|n| !n.ends_with(".lease")) {
        assert!(swept.contains(name.as_str()), "{name} swept: {swept}");
    }
    assert!(site.scratch_of(pid).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_rehearsal_is_swept_by_the_next_sqlite() {
    a_killed_rehearsal_is_swept_by_the_next(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_rehearsal_is_swept_by_the_next_postgres() {
    a_killed_rehearsal_is_swept_by_the_next(Engine::Postgres).await;
}

/// The measurement of docs/benchmarks.md (ignored by default; debug builds):
/// `PAIDEIA_BENCH_SCALES="100 300" cargo nextest run --test it --run-ignored only -E
/// 'test(/^rehearse::bench/)' --no-capture`. For each seed scale on PostgreSQL: the rehearsal
/// (`--from-file`, so no download; on a backup set and `--fresh`) against a plain upgrade
/// from the same file (trial run, pre-upgrade dump and its verification, swap).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: minutes per scale"]
async fn bench_rehearsal_against_a_plain_upgrade() {
    let scales = std::env::var("PAIDEIA_BENCH_SCALES").unwrap_or_else(|_| "10 100".into());
    let new = rehearsal_binary(Probe::Expand);
    let work = tempfile::tempdir().unwrap();
    let binary = work.path().join("paideia-new");
    std::fs::copy(&new, &binary).unwrap();
    let signature = work.path().join("paideia-new.minisig");
    std::fs::write(&signature, releases::sign(&std::fs::read(&new).unwrap())).unwrap();
    let file_args = [
        "--from-file",
        binary.to_str().unwrap(),
        "--signature",
        signature.to_str().unwrap(),
    ];
    for scale in scales.split_whitespace() {
        let engine = Engine::Postgres;
        let site = Site::new(engine).await;
        let (code, _, err) = run(site.cmd(None).args(["seed", "--scale", scale, "--force"]));
        assert_eq!(code, 0, "{err}");
        for step in [&["backup", "run"][..], &["backup", "verify", "--latest"]] {
            let (code, _, err) = run(site.cmd(None).args(step));
            assert_eq!(code, 0, "{step:?}: {err}");
        }
        let timed = |args: &[&str]| {
            let started = Instant::now();
            let (code, out, err) = run(site.cmd(None).arg("upgrade").args(args));
            assert!(code == 0, "{args:?}: {out}\n{err}");
            (started.elapsed(), out)
        };
        let rehearse_set: Vec<&str> = ["--rehearse", "--json"]
            .iter()
            .chain(&file_args)
            .copied()
            .collect();
        let (set_time, out) = timed(&rehearse_set);
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        let rows: u64 = report["rows_before"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        let fresh: Vec<&str> = ["--rehearse", "--fresh", "--json"]
            .iter()
            .chain(&file_args)
            .copied()
            .collect();
        let (fresh_time, _) = timed(&fresh);
        let plain: Vec<&str> = ["--yes"].iter().chain(&file_args).copied().collect();
        let (plain_time, _) = timed(&plain);
        println!(
            "BENCH scale {scale} ({rows} rows, {engine}): rehearsal on the backup set {:.1} s (restore {:.1} s, migration 9001 {} ms), with --fresh {:.1} s, plain upgrade {:.1} s",
            set_time.as_secs_f64(),
            report["restore_ms"].as_u64().unwrap() as f64 / 1000.0,
            migration(&report)["duration_ms"],
            fresh_time.as_secs_f64(),
            plain_time.as_secs_f64(),
        );
    }
}
