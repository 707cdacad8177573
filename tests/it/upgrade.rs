//! `paideia upgrade` end to end, without the internet: an older build of paideia (the same
//! source with another version and the test key compiled in) upgrades itself into the test
//! build from a local server speaking the GitHub Releases API shape, then rolls back; and
//! every way a release can be wrong is refused with nothing changed.

use std::{
    path::PathBuf,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use bytes::Bytes;
use paideia::{db::Engine, envvars, version::VERSION};
use tempfile::TempDir;

use crate::support::{
    Backend,
    releases::{
        self, Damage, FakeRelease, Faults, ReleaseServer, new_binary, old_binary, old_version,
    },
    run,
};

/// The next major series after this version (0.x counts the minor).
fn next_series() -> String {
    let v = semver::Version::parse(VERSION).unwrap();
    if v.major == 0 {
        format!("0.{}.0", v.minor + 1)
    } else {
        format!("{}.0.0", v.major + 1)
    }
}

const NOTES: &str = "## Added\n- faster dumps\n### Breaking changes\n- the `[web]` section is now `[server]`\n### Migration notes\n- run `paideia migrate up --contract` after all instances run this version\n";

/// An installed copy of the older binary with its own data directory and database.
struct Installed {
    dir: TempDir,
    backend: Backend,
}

impl Installed {
    async fn new(engine: Engine) -> Installed {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("bin")).unwrap();
        std::fs::copy(old_binary(), dir.path().join("bin/paideia")).unwrap();
        let installed = Installed {
            dir,
            backend: Backend::new(engine).await,
        };
        let (code, _, err) = run(installed.cmd(None).args(["migrate", "up"]));
        assert_eq!(code, 0, "{err}");
        installed
    }

    fn exe(&self) -> PathBuf {
        self.dir.path().join("bin/paideia")
    }

    fn previous(&self) -> PathBuf {
        self.dir.path().join("bin/paideia.previous")
    }

    /// The installed binary with this install's settings and, when given, the release server.
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

    fn upgrade(&self, server: &ReleaseServer, args: &[&str]) -> (i32, String, String) {
        run(self.cmd(Some(server)).arg("upgrade").args(args))
    }

    fn version(&self) -> String {
        let (code, out, err) = run(Command::new(self.exe()).args(["--version", "--json"]));
        assert_eq!(code, 0, "the binary at the original path runs: {err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["version"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// `upgrade --history --json`, newest first.
    fn history(&self) -> Vec<serde_json::Value> {
        let (code, out, err) = run(self.cmd(None).args(["upgrade", "--history", "--json"]));
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).unwrap()
    }

    fn is_old(&self) -> bool {
        std::fs::read(self.exe()).unwrap() == std::fs::read(old_binary()).unwrap()
    }

    /// Files in bin/ besides the binary (partial downloads, temporary files).
    fn leftovers(&self) -> Vec<String> {
        std::fs::read_dir(self.dir.path().join("bin"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "paideia" && n != ".paideia.upgrade.lock")
            .collect()
    }

    fn backups(&self) -> Vec<PathBuf> {
        match std::fs::read_dir(self.backend.data_dir().join("backups")) {
            Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
            Err(_) => vec![],
        }
    }
}

fn good_release() -> FakeRelease {
    releases::release(&format!("v{VERSION}"), new_binary(), NOTES, Damage::None)
}

async fn upgrades_then_rolls_back(engine: Engine) {
    let installed = Installed::new(engine).await;
    let server = releases::serve(vec![good_release()], Faults::default()).await;
    assert_eq!(installed.version(), old_version());

    let (code, out, err) = installed.upgrade(&server, &["--check"]);
    assert_eq!(code, 6, "update available: {out} {err}");
    assert!(
        out.contains(&format!("paideia {} -> {VERSION}", old_version())),
        "{out}"
    );
    assert!(
        out.contains("Added (1): faster dumps") && out.contains("`[server]`"),
        "the notes are shown: {out}"
    );

    let (code, out, err) = installed.upgrade(&server, &["--yes", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("verified: SHA-256 matches SHA256SUMS"),
        "{err}"
    );
    assert!(err.contains("trial run passed"), "{err}");
    assert!(err.contains("next: restart the server"), "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["to"], VERSION);
    assert_eq!(installed.version(), VERSION);
    assert_eq!(std::fs::read(installed.exe()).unwrap(), new_binary());
    assert_eq!(
        std::fs::read(installed.previous()).unwrap(),
        std::fs::read(old_binary()).unwrap()
    );
    let backups = installed.backups();
    assert_eq!(backups.len(), 1, "one pre-upgrade dump: {backups:?}");
    assert_eq!(report["backup"], backups[0].to_str().unwrap());
    let (code, _, err) = run(installed.cmd(None).arg("verify-backup").arg(&backups[0]));
    assert_eq!(code, 0, "the pre-upgrade dump restores: {err}");

    let (code, out, _) = installed.upgrade(&server, &["--check", "--json"]);
    assert_eq!(code, 0, "up to date after the upgrade");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["update_available"],
        false
    );

    let (code, _, err) = installed.upgrade(&server, &["--rollback"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("no restore needed"), "{err}");
    assert!(installed.is_old());
    assert_eq!(installed.version(), old_version());
    assert_eq!(std::fs::read(installed.previous()).unwrap(), new_binary());

    // Both are in the upgrade history, newest first, with the dump taken first.
    let history = installed.history();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0]["kind"], "rollback");
    assert_eq!(history[0]["from_version"], VERSION);
    assert_eq!(history[0]["to_version"], old_version());
    assert_eq!(history[1]["kind"], "upgrade");
    assert_eq!(history[1]["from_version"], old_version());
    assert_eq!(history[1]["to_version"], VERSION);
    assert_eq!(history[1]["backup"], backups[0].to_str().unwrap());
    assert_eq!(history[1]["backup_verified"], true);
    assert!(history.iter().all(|r| r["succeeded"] == true));
    let (_, text, _) = run(installed.cmd(None).args(["upgrade", "--history"]));
    assert!(
        text.lines().next().unwrap().starts_with("FINISHED") && text.contains("(verified)"),
        "{text}"
    );
    let (_, doctor, _) = run(installed.cmd(None).arg("doctor"));
    assert!(
        doctor.lines().any(|l| l.contains("last upgrade")
            && l.contains(&format!("rollback {VERSION} -> {}", old_version()))),
        "{doctor}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrades_then_rolls_back_sqlite() {
    upgrades_then_rolls_back(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrades_then_rolls_back_postgres() {
    upgrades_then_rolls_back(Engine::Postgres).await;
}

/// After a contract migration the previous binary cannot run: rollback says to restore the
/// pre-upgrade dump, and with which command.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rollback_after_a_contract_migration_names_the_restore() {
    let installed = Installed::new(Engine::Sqlite).await;
    let server = releases::serve(vec![good_release()], Faults::default()).await;
    let (code, _, err) = installed.upgrade(&server, &["--yes"]);
    assert_eq!(code, 0, "{err}");
    let dump = installed.backups().pop().unwrap();
    // What the new version's contract migration would leave: a migration the old binary does
    // not know, and a record that refuses binaries of older series.
    let conn = rusqlite::Connection::open(installed.backend.url.sqlite_path()).unwrap();
    conn.execute_batch(
        "INSERT INTO paideia_migrations (id, name, kind, checksum, applied_at, applied_by, duration_ms)
           VALUES (9999, 'drop_old_column', 'contract', 'x', '2026-01-01T00:00:00.000000Z', 'test', 1);
         UPDATE paideia_schema_info SET value = '99.0.0' WHERE key = 'min_binary_version';",
    )
    .unwrap();
    let (code, _, err) = installed.upgrade(&server, &["--rollback"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("the database must be restored"), "{err}");
    assert!(
        err.contains(&format!(
            "{} restore --clean {}",
            installed.exe().display(),
            dump.display()
        )),
        "{err}"
    );
    assert!(installed.is_old());
}

async fn refused(damage: Damage, expected: &str) {
    let installed = Installed::new(Engine::Sqlite).await;
    let release = releases::release(&format!("v{VERSION}"), new_binary(), NOTES, damage);
    let server = releases::serve(vec![release], Faults::default()).await;
    let (code, _, err) = installed.upgrade(&server, &["--yes"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(expected), "{damage:?}: {err}");
    assert!(err.contains("\nhint: "), "{err}");
    assert!(installed.is_old(), "{damage:?}: the binary is untouched");
    assert!(
        installed.leftovers().is_empty(),
        "{damage:?}: {:?}",
        installed.leftovers()
    );
    assert!(
        installed.backups().is_empty(),
        "{damage:?}: nothing was dumped"
    );
    // The failure is in the upgrade history, with the state it left and the next command.
    assert!(
        err.contains("state: nothing was replaced") && err.contains("paideia upgrade --to"),
        "{err}"
    );
    let history = installed.history();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0]["succeeded"], false);
    assert!(
        history[0]["error"].as_str().unwrap().contains(expected),
        "{history:?}"
    );
    assert!(
        history[0]["state"]
            .as_str()
            .unwrap()
            .starts_with("nothing was replaced")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_a_changed_byte() {
    refused(Damage::ChangedByte, "does not match SHA256SUMS").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_a_signature_by_an_unknown_key() {
    refused(
        Damage::WrongSignature,
        "not made by a key this binary trusts",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_a_release_without_checksums_or_signature() {
    refused(
        Damage::NoChecksums,
        "has no SHA256SUMS, so its binary cannot be verified",
    )
    .await;
    refused(Damage::NoSignature, "has no SHA256SUMS.minisig").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_a_release_without_this_platform() {
    let asset = paideia::release::this_platform_asset().unwrap();
    refused(Damage::NoPlatformAsset, &format!("has no {asset}")).await;
}

/// A truncated download is not installed; the bytes it got stay for a resume.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_download_changes_nothing() {
    let installed = Installed::new(Engine::Sqlite).await;
    let release = releases::release(
        &format!("v{VERSION}"),
        new_binary(),
        NOTES,
        Damage::Truncated,
    );
    let server = releases::serve(vec![release], Faults::default()).await;
    let (code, _, err) = installed.upgrade(&server, &["--yes"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("the download was interrupted"), "{err}");
    assert!(
        err.contains("hint: run the same command again to resume"),
        "{err}"
    );
    assert!(installed.is_old());
    assert!(installed.backups().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_download_resumes() {
    let installed = Installed::new(Engine::Sqlite).await;
    let cut = 3 << 20;
    let faults = Faults {
        interrupt_first_at: Some(cut),
        ..Faults::default()
    };
    let server = releases::serve(vec![good_release()], faults).await;
    let (code, _, err) = installed.upgrade(&server, &["--yes"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("interrupted after"), "{err}");
    assert!(installed.is_old());
    let (code, _, err) = installed.upgrade(&server, &["--yes", "--no-backup"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(server.ranges(), vec![format!("bytes={cut}-")]);
    assert!(err.contains("warning: --no-backup"), "{err}");
    assert!(installed.backups().is_empty());
    assert_eq!(installed.version(), VERSION);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_major_version_needs_allow_major_and_confirmation() {
    let installed = Installed::new(Engine::Sqlite).await;
    let major = next_series();
    let major_release = releases::release(
        &format!("v{major}"),
        Bytes::from_static(b"not reached"),
        NOTES,
        Damage::None,
    );
    let server = releases::serve(vec![major_release, good_release()], Faults::default()).await;

    let (code, out, _) = installed.upgrade(&server, &["--check", "--json"]);
    assert_eq!(code, 6);
    let check: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(check["latest"], VERSION, "the default stays in the series");
    assert_eq!(check["newer_major"], major.as_str());

    let (code, _, err) = installed.upgrade(&server, &["--to", &major]);
    assert_eq!(code, 1);
    assert!(
        err.contains("another major series") && err.contains("--allow-major"),
        "{err}"
    );

    let (code, _, err) = installed.upgrade(&server, &["--allow-major"]);
    assert_eq!(code, 1, "no terminal and no --yes: {err}");
    assert!(
        err.contains("the `[web]` section is now `[server]`"),
        "breaking changes shown: {err}"
    );
    assert!(
        err.contains("migrate up --contract"),
        "migration notes shown: {err}"
    );
    assert!(
        err.contains("refusing to go on without confirmation"),
        "{err}"
    );
    assert!(installed.is_old() && installed.leftovers().is_empty());
}

/// Notes of the releases between the running version and the target, each read the way the
/// guide writes them: a local release server offering this version, then a minor, a major
/// and a minor of that major.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_release_s_notes_on_the_way_are_shown_in_order() {
    let installed = Installed::new(Engine::Sqlite).await;
    let v = semver::Version::parse(VERSION).unwrap();
    let (minor, major, after) = (
        format!("{}.{}.1", v.major, v.minor),
        format!("{}.0.0", v.major + 1),
        format!("{}.1.0", v.major + 1),
    );
    let fake = |version: &str, notes: &str| {
        releases::release(
            &format!("v{version}"),
            Bytes::from_static(b"not reached"),
            notes,
            Damage::None,
        )
    };
    let server = releases::serve(
        vec![
            fake(&after, "### New features\n- quizzes\n- forums\n### Deprecations\n- `PAIDEIA_OLD` goes in the next major"),
            fake(&major, "### Breaking changes\n- the `[web]` section is now `[http]`\n### Migration notes\n- run `paideia migrate verify` first\n### Bug fixes\n- one"),
            fake(&minor, "### Bug fixes\n- dumps of empty tables"),
            good_release(),
        ],
        Faults::default(),
    )
    .await;

    let (code, out, err) = installed.upgrade(&server, &["--check", "--allow-major", "--json"]);
    assert_eq!(code, 6, "{err}");
    let check: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(check["latest"], after.as_str());
    let on_the_way = check["releases_on_the_way"].as_array().unwrap();
    let versions: Vec<&str> = on_the_way
        .iter()
        .map(|r| r["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, [VERSION, &minor, &major, &after]);
    assert_eq!(
        on_the_way[1]["summary"], "Bug fixes (1): dumps of empty tables",
        "{out}"
    );
    assert!(
        on_the_way[2]["breaking_changes"]
            .as_str()
            .unwrap()
            .contains("`[http]`")
    );
    assert!(
        on_the_way[2]["migration_notes"]
            .as_str()
            .unwrap()
            .contains("migrate verify")
    );
    assert!(
        on_the_way[3]["deprecations"]
            .as_str()
            .unwrap()
            .contains("PAIDEIA_OLD")
    );
    assert_eq!(check["removes_in_use"], serde_json::json!([]));

    // An install that uses a deprecated setting the target removes hears it before anything
    // is downloaded.
    let (code, out, err) = run(installed
        .cmd(Some(&server))
        .env("PAIDEIA_SCRATCH_DIR", "/tmp")
        .args(["upgrade", "--check", "--allow-major", "--json"]));
    assert_eq!(code, 6, "{err}");
    assert!(
        err.contains("warning: environment variable PAIDEIA_SCRATCH_DIR is deprecated"),
        "{err}"
    );
    let check: serde_json::Value = serde_json::from_str(&out).unwrap();
    let removes = check["removes_in_use"].as_array().unwrap();
    assert_eq!(removes.len(), 1, "{out}");
    assert!(
        removes[0]
            .as_str()
            .unwrap()
            .contains("PAIDEIA_BACKUP_SCRATCH_DIR"),
        "{out}"
    );

    // The text report and the confirmation before crossing the major show them all, in order.
    let (code, out, _) = installed.upgrade(&server, &["--check", "--allow-major"]);
    assert_eq!(code, 6);
    let (code, _, err) = installed.upgrade(&server, &["--allow-major"]);
    assert_eq!(code, 1, "no terminal and no --yes: {err}");
    assert!(
        err.contains("refusing to go on without confirmation"),
        "{err}"
    );
    for text in [&out, &err] {
        let at = |needle: &str| {
            text.find(needle)
                .unwrap_or_else(|| panic!("{needle:?} missing from {text}"))
        };
        assert!(at(&format!("== {minor} ==")) < at("`[http]`"));
        assert!(at("`[http]`") < at("migrate verify"));
        assert!(at("migrate verify") < at(&format!("== {after} ==")));
        assert!(at(&format!("== {after} ==")) < at("PAIDEIA_OLD"));
        assert!(text.contains("New features (2): quizzes, …"), "{text}");
    }
    assert!(installed.is_old() && installed.leftovers().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downgrades_are_refused() {
    // The test binary (VERSION) on a database it migrated: the older fixture version is a
    // downgrade, and below the database's compatibility record even with --allow-downgrade.
    let backend = Backend::sqlite();
    let (code, _, err) = run(backend.paideia().args(["migrate", "up"]));
    assert_eq!(code, 0, "{err}");
    let old = releases::release(
        &format!("v{}", old_version()),
        new_binary(),
        NOTES,
        Damage::None,
    );
    let server = releases::serve(vec![good_release(), old], Faults::default()).await;
    let upgrade = |args: &[&str]| {
        run(backend
            .paideia()
            .env(envvars::RELEASES_URL, server.url())
            .stdin(Stdio::null())
            .arg("upgrade")
            .args(args))
    };
    let (code, _, err) = upgrade(&["--to", &old_version(), "--pre"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("downgrades are refused") && err.contains("--allow-downgrade"),
        "{err}"
    );
    let (code, _, err) = upgrade(&[
        "--to",
        &old_version(),
        "--pre",
        "--allow-downgrade",
        "--yes",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("is too old for it"), "{err}");
    let (code, out, _) = upgrade(&["--check"]);
    assert_eq!(code, 0, "up to date: {out}");
    assert!(
        out.contains(&format!("paideia {VERSION} is up to date")),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_says_when_to_retry() {
    let installed = Installed::new(Engine::Sqlite).await;
    let faults = Faults {
        rate_limited: true,
        ..Faults::default()
    };
    let server = releases::serve(vec![good_release()], faults).await;
    let (code, _, err) = run(installed
        .cmd(Some(&server))
        .env(envvars::GITHUB_TOKEN, "ghp_secret-token")
        .args(["upgrade", "--check"]));
    assert_eq!(code, 1);
    assert_eq!(server.authorizations(), vec!["Bearer ghp_secret-token"]);
    assert!(
        !err.contains("ghp_secret"),
        "the token is never printed: {err}"
    );
    assert!(
        err.contains("rate limit is used up; retry after")
            && (err.contains("(in 9 min)") || err.contains("(in 10 min)")),
        "{err}"
    );
    assert!(err.contains("hint: set PAIDEIA_GITHUB_TOKEN"), "{err}");
}

/// `upgrade --check --json` answers on stdout even when the release server cannot be reached,
/// and says what happened instead of "error sending request".
#[test]
fn an_unreachable_release_server_is_told_in_words_and_in_json() {
    let backend = Backend::sqlite();
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    for (url, cause) in [
        (
            format!("http://{closed}/releases"),
            "the server refused the connection",
        ),
        (
            "http://releases.invalid/releases".to_string(),
            "the host name does not resolve",
        ),
    ] {
        let (code, out, err) = run(backend
            .paideia()
            .env(envvars::RELEASES_URL, &url)
            .args(["upgrade", "--check", "--json"]));
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains(cause) && !err.contains("error sending request"),
            "{err}"
        );
        let answer: serde_json::Value = serde_json::from_str(&out).expect("JSON on stdout");
        assert_eq!(answer["ok"], false);
        assert_eq!(answer["exit_code"], 1);
        assert!(answer["error"].as_str().unwrap().contains(cause), "{out}");
        assert!(
            answer["hint"]
                .as_str()
                .unwrap()
                .contains("PAIDEIA_RELEASES_URL"),
            "{out}"
        );
    }
}

/// kill -9 at points spread over a whole upgrade (download, verify, trial run, dump, swap):
/// the original path always holds a runnable binary, old or new, and the next run finishes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_at_any_step_leaves_a_runnable_binary() {
    let installed = Installed::new(Engine::Sqlite).await;
    let faults = Faults {
        chunk_delay: Some(Duration::from_millis(2)),
        ..Faults::default()
    };
    let server = releases::serve(vec![good_release()], faults).await;
    // One full run measures how long an upgrade takes; roll back to start again.
    let started = Instant::now();
    let (code, _, err) = installed.upgrade(&server, &["--yes"]);
    assert_eq!(code, 0, "{err}");
    let full = started.elapsed();
    let (code, _, err) = installed.upgrade(&server, &["--rollback"]);
    assert_eq!(code, 0, "{err}");
    let mut reached = std::collections::BTreeSet::new();
    for step in 1..=12u32 {
        let at = full * step / 13;
        let mut child = installed
            .cmd(Some(&server))
            .args(["upgrade", "--yes"])
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        for (marker, name) in [
            ("downloading", "download"),
            ("verified:", "verify"),
            ("trial run passed", "trial run"),
            ("dumped the database", "dump"),
            ("upgraded paideia", "swap"),
        ] {
            if err.contains(marker) {
                reached.insert(name);
            }
        }
        let version = installed.version();
        assert!(version == VERSION || version == old_version(), "{version}");
        if version == VERSION {
            let (code, _, err) = installed.upgrade(&server, &["--rollback"]);
            assert_eq!(code, 0, "{err}");
        }
    }
    eprintln!("kill -9 landed after these steps: {reached:?}");
    assert!(
        reached.len() >= 3,
        "kills landed in several steps: {reached:?}"
    );
    let (code, _, err) = installed.upgrade(&server, &["--yes"]);
    assert_eq!(
        code, 0,
        "a run after the kills ({reached:?}) finishes: {err}"
    );
    assert_eq!(installed.version(), VERSION);
}

/// `--from-file` for sites without any releases API: the signature covers the binary itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrades_from_a_signed_file() {
    let installed = Installed::new(Engine::Sqlite).await;
    let files = tempfile::tempdir().unwrap();
    let binary = files.path().join("paideia-linux");
    std::fs::write(&binary, new_binary()).unwrap();
    let good = files.path().join("good.minisig");
    std::fs::write(&good, releases::sign(&new_binary())).unwrap();
    let bad = files.path().join("bad.minisig");
    std::fs::write(&bad, releases::sign_with_unknown_key(&new_binary())).unwrap();

    let from_file = |sig: &std::path::Path| {
        run(installed
            .cmd(None)
            .args(["upgrade", "--yes", "--from-file"])
            .arg(&binary)
            .arg("--signature")
            .arg(sig))
    };
    let (code, _, err) = from_file(&bad);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("not made by a key this binary trusts"),
        "{err}"
    );
    assert!(installed.is_old() && installed.leftovers().is_empty());

    let (code, _, err) = from_file(&good);
    assert_eq!(code, 0, "{err}");
    assert_eq!(installed.version(), VERSION);
    assert_eq!(installed.backups().len(), 1);
}

/// A mirror reached through the proxy that HTTP_PROXY names: the mirror's host does not even
/// resolve, so an answer proves the proxy carried the request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn honours_proxy_variables() {
    let installed = Installed::new(Engine::Sqlite).await;
    let proxy = releases::serve(vec![good_release()], Faults::default()).await;
    let (code, out, err) = run(installed
        .cmd(None)
        .env(
            envvars::RELEASES_URL,
            format!("http://releases.invalid{}", releases::LIST_PATH),
        )
        .env("http_proxy", format!("http://{}", proxy.addr))
        .env_remove("no_proxy")
        .env_remove("NO_PROXY")
        .args(["upgrade", "--check"]));
    assert_eq!(code, 6, "{out} {err}");
    assert!(out.contains(&format!("-> {VERSION}")), "{out}");
}

/// Makes a directory unwritable for this test (root ignores modes, so root sets the immutable
/// attribute) and restores it when dropped.
struct Unwritable(PathBuf);

impl Unwritable {
    fn new(dir: PathBuf) -> Unwritable {
        let ok = if unsafe { libc::geteuid() } == 0 {
            Command::new("chattr")
                .arg("+i")
                .arg(&dir)
                .status()
                .unwrap()
                .success()
        } else {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).is_ok()
        };
        assert!(ok, "cannot make {} unwritable", dir.display());
        Unwritable(dir)
    }
}

impl Drop for Unwritable {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if unsafe { libc::geteuid() } == 0 {
            let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        }
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_an_unwritable_directory() {
    let installed = Installed::new(Engine::Sqlite).await;
    let server = releases::serve(vec![good_release()], Faults::default()).await;
    let guard = Unwritable::new(installed.dir.path().join("bin"));
    let (code, _, err) = installed.upgrade(&server, &["--yes"]);
    drop(guard);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("cannot write to"), "{err}");
    assert!(
        err.contains("hint: run the upgrade as the user that owns"),
        "{err}"
    );
    assert!(installed.is_old() && installed.leftovers().is_empty());
    assert!(installed.backups().is_empty());
}

/// Under systemd, `--restart` restarts the unit. systemd cannot run here, so a `systemctl`
/// on PATH records what it is asked and answers that the unit is active.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarts_the_systemd_unit_when_asked() {
    use std::os::unix::fs::PermissionsExt;
    let installed = Installed::new(Engine::Sqlite).await;
    let server = releases::serve(vec![good_release()], Faults::default()).await;
    let tools = installed.dir.path().join("tools");
    std::fs::create_dir_all(&tools).unwrap();
    let log = installed.dir.path().join("systemctl.log");
    let systemctl = tools.join("systemctl");
    std::fs::write(
        &systemctl,
        format!("#!/bin/sh\necho \"$*\" >> '{}'\n", log.display()),
    )
    .unwrap();
    std::fs::set_permissions(&systemctl, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", tools.display(), std::env::var("PATH").unwrap());

    let (code, _, err) = run(installed.cmd(Some(&server)).env("PATH", &path).args([
        "upgrade",
        "--yes",
        "--restart",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("restarted paideia.service"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "is-active --quiet paideia.service\nrestart paideia.service\n"
    );

    // Without --restart and without a terminal to ask, it says what to run.
    let (code, _, err) =
        run(installed
            .cmd(None)
            .env("PATH", &path)
            .args(["upgrade", "--rollback", "--restart"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("restarted paideia.service"),
        "rollback restarts too: {err}"
    );
    let (code, _, err) = run(installed
        .cmd(Some(&server))
        .env("PATH", &path)
        .args(["upgrade", "--yes"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "next: restart the server so it runs the new binary: systemctl restart paideia.service"
        ),
        "{err}"
    );
}
