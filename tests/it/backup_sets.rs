//! `paideia backup` through the real binary: sets of database and media on both engines and
//! both media storages, incremental media, restores into fresh installs, the run lock,
//! retention and pruning, the S3 target on the real S3 test server (and a failing one),
//! age encryption, verification and `--max-age`, the schedule, and what doctor reports.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use bytes::Bytes;
use chrono::Utc;
use futures_util::StreamExt;
use paideia::{
    backup::set::RunLock,
    db::{Db, Engine, Value},
    storage::Storage,
};

use crate::{
    on_both_engines,
    support::{Backend, paideia, run, s3::S3Server},
};

/// One install: a database (either engine) and its media storage (its folder, or a bucket
/// on a real S3 server).
struct Site {
    b: Backend,
    s3: Option<(std::sync::Arc<S3Server>, String)>,
}

impl Site {
    async fn new(engine: Engine, s3: Option<std::sync::Arc<S3Server>>) -> Site {
        Site::on(Backend::new(engine).await, s3)
    }

    fn on(b: Backend, s3: Option<std::sync::Arc<S3Server>>) -> Site {
        let s3 = s3.map(|server| {
            let bucket = format!("media-{:08x}", rand::random::<u32>());
            std::fs::create_dir(server.root().join(&bucket)).unwrap();
            (server, bucket)
        });
        let site = Site { b, s3 };
        let (code, _, err) = run(site.cmd().args(["migrate", "up"]));
        assert_eq!(code, 0, "{err}");
        site
    }

    /// The real binary pointed at this install.
    fn cmd(&self) -> Command {
        let mut cmd = self.b.paideia();
        if let Some((server, bucket)) = &self.s3 {
            cmd.envs(server.env(bucket));
        }
        cmd
    }

    fn backups(&self) -> PathBuf {
        self.b.data_dir().join("backups")
    }

    /// The key file `backup run` makes on its first run: another install needs a copy of it
    /// to restore or verify this site's sets.
    fn key_file(&self) -> PathBuf {
        self.b.data_dir().join("backup.key")
    }

    async fn storage(&self) -> Storage {
        match &self.s3 {
            None => Storage::local(&self.b.data_dir().join("files"))
                .await
                .unwrap(),
            Some((server, bucket)) => {
                let mut settings = server.settings();
                settings.bucket = bucket.clone();
                Storage::s3(&settings).unwrap()
            }
        }
    }

    /// Uploads `bytes` as a media file the way the LMS records one; returns its key.
    async fn add_media(&self, db: &Db, bytes: &[u8]) -> String {
        let key = Storage::new_key("media", Utc::now()).unwrap();
        let info = self
            .storage()
            .await
            .put_bytes(&key, Bytes::copy_from_slice(bytes))
            .await
            .unwrap();
        db.execute(
            "INSERT INTO media (storage_key, file_name, content_type, size_bytes, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                key.clone().into(),
                "notes.pdf".into(),
                "application/pdf".into(),
                (bytes.len() as i64).into(),
                Value::Bytes(info.sha256.to_vec()),
                Utc::now().into(),
            ],
        )
        .await
        .unwrap();
        key
    }

    async fn read_media(&self, key: &str) -> Vec<u8> {
        let mut body = self.storage().await.get(key, None).await.unwrap().body;
        let mut out = Vec::new();
        while let Some(chunk) = body.next().await {
            out.extend_from_slice(&chunk.unwrap());
        }
        out
    }
}

fn backup(site: &Site, args: &[&str]) -> (i32, String, String) {
    run(site.cmd().arg("backup").args(args))
}

fn ok(result: (i32, String, String)) -> (String, String) {
    let (code, out, err) = result;
    assert_eq!(code, 0, "stdout: {out}\nstderr: {err}");
    (out, err)
}

/// The ids of the complete sets, oldest first.
fn set_ids(site: &Site, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["list", "--json"];
    args.extend_from_slice(extra);
    let (out, _) = ok(backup(site, &args));
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    list.iter()
        .filter(|s| s["complete"] == true)
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                found.extend(files_under(&path));
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn pdf(n: u8, len: usize) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31) ^ n).collect()
}

async fn count(db: &Db, table: &str) -> i64 {
    db.query_one(&format!("SELECT count(*) AS n FROM {table}"), &[])
        .await
        .unwrap()
        .get::<i64>("n")
        .unwrap()
}

/// Two runs (the second copies only the new file), then each set restored into a fresh
/// install on its own: every row and every media file comes back.
async fn round_trip(b: Backend, s3: Option<std::sync::Arc<S3Server>>) {
    let engine = b.engine();
    let site = Site::on(b, s3.clone());
    let db = site.b.db().await;
    let (code, _, err) = run(site.cmd().args(["seed"]));
    assert_eq!(code, 0, "{err}");
    let first = [pdf(1, 300_000), pdf(2, 10)];
    let mut keys = Vec::new();
    for bytes in &first {
        keys.push(site.add_media(&db, bytes).await);
    }
    let (_, err) = ok(backup(&site, &["run"]));
    let summary: Vec<&str> = err
        .lines()
        .filter(|l| !l.starts_with("notice: made the backup key"))
        .collect();
    assert_eq!(
        summary.len(),
        1,
        "one summary line (and the new key's notice): {err}"
    );
    assert!(err.contains("2 new media file(s)"), "{err}");
    let third = pdf(3, 5_000);
    keys.push(site.add_media(&db, &third).await);
    let (_, err) = ok(backup(&site, &["run"]));
    assert!(
        err.contains("1 new media file(s)") && err.contains("2 already stored"),
        "{err}"
    );
    let blobs = files_under(&site.backups().join("media"));
    assert_eq!(blobs.len(), 3, "each file stored once: {blobs:?}");
    let users = count(&db, "users").await;
    db.close();

    let ids = set_ids(&site, &[]);
    assert_eq!(ids.len(), 2);
    for (id, expected) in ids.iter().zip([2usize, 3]) {
        let fresh = Site::new(engine, s3.clone()).await;
        // The fresh install is migrated, so the database is not empty: --clean is needed.
        let (code, _, err) = run(fresh
            .cmd()
            .args(["backup", "restore", id, "--dir"])
            .arg(site.backups())
            .arg("--key-file")
            .arg(site.key_file()));
        assert_eq!(code, 1, "a non-empty database is refused: {err}");
        assert!(err.contains("not empty"), "{err}");
        ok(run(fresh
            .cmd()
            .args(["backup", "restore", id, "--clean", "--yes", "--dir"])
            .arg(site.backups())
            .arg("--key-file")
            .arg(site.key_file())));
        let restored = fresh.b.db().await;
        assert_eq!(count(&restored, "users").await, users);
        assert_eq!(count(&restored, "media").await, expected as i64);
        for (key, bytes) in keys.iter().zip(first.iter().chain([&third])).take(expected) {
            assert_eq!(&fresh.read_media(key).await, bytes, "{key}");
        }
        restored.close();
    }
}

async fn round_trip_with_local_media(b: Backend) {
    round_trip(b, None).await
}

async fn round_trip_with_s3_media(b: Backend) {
    round_trip(b, Some(std::sync::Arc::new(S3Server::start()))).await
}

on_both_engines!(round_trip_with_local_media, round_trip_with_s3_media);

/// A new empty bucket on `server`.
fn new_bucket(server: &S3Server, name: &str) -> String {
    let bucket = format!("{name}-{:08x}", rand::random::<u32>());
    std::fs::create_dir(server.root().join(&bucket)).unwrap();
    bucket
}

/// The S3 endpoint and credentials of `server`, without a media bucket.
fn s3_credentials(server: &S3Server) -> Vec<(&'static str, String)> {
    server
        .env("unused")
        .into_iter()
        .filter(|(name, _)| *name != "PAIDEIA_S3_BUCKET")
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlapping_runs_are_refused() {
    let site = Site::new(Engine::Sqlite, None).await;
    let lock = RunLock::acquire(&site.backups()).unwrap();
    let (code, out, err) = backup(&site, &["run"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert!(
        err.starts_with("error: another `paideia backup` is running") && err.contains("hint:"),
        "{err}"
    );
    assert!(set_ids(&site, &[]).is_empty());
    drop(lock);
    assert!(
        !site.backups().join("sets").exists(),
        "a refused run writes nothing"
    );
    let (out, err) = ok(backup(&site, &["run", "--quiet"]));
    // Nothing, but the one-time notice of the key the first run makes (cron mails it once).
    let notice_only = err
        .lines()
        .all(|l| l.starts_with("notice: made the backup key"));
    assert!(out.is_empty() && notice_only, "--quiet: {out}{err}");
    let (out, _) = ok(backup(&site, &["run", "--quiet", "--json"]));
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["ok"], true);
    assert_eq!(
        set_ids(&site, &[]).last().unwrap(),
        summary["id"].as_str().unwrap()
    );
    assert_eq!(set_ids(&site, &[]).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encrypted_sets_are_unreadable_without_the_identity() {
    use age::secrecy::ExposeSecret;
    let site = Site::new(Engine::Sqlite, None).await;
    let db = site.b.db().await;
    let secret = b"CONFIDENTIAL-GRADES ".repeat(1000);
    let key = site.add_media(&db, &secret).await;
    db.close();
    let identity = age::x25519::Identity::generate();
    let public = identity.to_public().to_string();
    let key_file = site.b.dir.path().join("backup.key");
    std::fs::write(&key_file, identity.to_string().expose_secret()).unwrap();
    let stranger_file = site.b.dir.path().join("stranger.key");
    std::fs::write(
        &stranger_file,
        age::x25519::Identity::generate()
            .to_string()
            .expose_secret(),
    )
    .unwrap();

    let (_, err) = ok(backup(&site, &["run", "--recipient", &public]));
    assert!(err.contains("encrypted"), "{err}");
    for file in files_under(&site.backups()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes.windows(19).any(|w| w == b"CONFIDENTIAL-GRADES"),
            "{} holds plaintext",
            file.display()
        );
        if file.starts_with(site.backups().join("media")) {
            assert!(
                bytes.starts_with(b"age-encryption.org/v1"),
                "{}",
                file.display()
            );
        }
    }
    let id = set_ids(&site, &[]).remove(0);

    let fresh = Site::new(Engine::Sqlite, None).await;
    let restore = |identity: Option<&Path>| {
        let mut cmd = fresh.cmd();
        cmd.args(["backup", "restore", &id, "--clean", "--yes", "--dir"])
            .arg(site.backups())
            .arg("--key-file")
            .arg(site.key_file());
        if let Some(path) = identity {
            cmd.arg("--identity").arg(path);
        }
        run(&mut cmd)
    };
    let (code, _, err) = restore(None);
    assert_eq!(code, 1);
    assert!(
        err.contains("encrypted") && err.contains("--identity"),
        "{err}"
    );
    let (code, _, err) = restore(Some(&stranger_file));
    assert_eq!(code, 1);
    assert!(err.contains("cannot decrypt"), "{err}");
    ok(restore(Some(&key_file)));
    assert_eq!(fresh.read_media(&key).await, secret);

    let (code, _, err) = backup(&site, &["verify", "--latest"]);
    assert_eq!(code, 1, "verifying needs the identity too: {err}");
    let (out, _) = ok(run(site
        .cmd()
        .args(["backup", "verify", "--latest", "--identity"])
        .arg(&key_file)));
    assert!(out.starts_with("ok: set"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_s3_target_gets_a_copy_and_is_pruned_too() {
    let server = S3Server::start();
    let bucket = new_bucket(&server, "backups");
    let to = format!("s3://{bucket}/paideia/prod");
    let site = Site::new(Engine::Sqlite, None).await;
    let db = site.b.db().await;
    let run_to = |extra: &[&str]| {
        let mut cmd = site.cmd();
        cmd.envs(s3_credentials(&server))
            .args(["backup", "run", "--to", &to])
            .args(extra);
        run(&mut cmd)
    };
    let kept = site.add_media(&db, &pdf(7, 20_000)).await;
    let (_, err) = ok(run_to(&[]));
    assert!(err.contains(&format!("copied 1 set(s) to {to}")), "{err}");
    let dropped = site.add_media(&db, &pdf(8, 9_000)).await;
    ok(run_to(&["--keep-daily", "1"]));
    db.execute(
        "DELETE FROM media WHERE storage_key = $1",
        &[dropped.into()],
    )
    .await
    .unwrap();
    db.close();
    let (_, err) = ok(run_to(&["--keep-daily", "1"]));
    assert!(err.contains("pruned 1 set(s) and 1 media file(s)"), "{err}");

    let key_file = site.key_file();
    let remote = |site: &Site, args: &[&str]| {
        let mut cmd = site.cmd();
        cmd.envs(s3_credentials(&server))
            .args(["backup"])
            .args(args)
            .args(["--to", &to, "--remote", "--key-file"])
            .arg(&key_file);
        run(&mut cmd)
    };
    let (out, _) = ok(remote(&site, &["list", "--json"]));
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(list.len(), 1, "{out}");
    let id = list[0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        set_ids(&site, &[]),
        vec![id.clone()],
        "local and remote agree"
    );
    let objects = files_under(&server.root().join(&bucket).join("paideia/prod"));
    let blobs = objects
        .iter()
        .filter(|p| p.to_string_lossy().contains("/media/"));
    assert_eq!(blobs.count(), 1, "the unreferenced blob went: {objects:?}");

    // A new server restores from the bucket alone.
    let fresh = Site::new(Engine::Sqlite, None).await;
    ok(remote(&fresh, &["restore", &id, "--clean", "--yes"]));
    assert_eq!(fresh.read_media(&kept).await, pdf(7, 20_000));
    let (out, _) = ok(remote(&fresh, &["verify", "--latest"]));
    assert!(out.starts_with("ok: set"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_upload_keeps_the_local_copy_and_exits_non_zero() {
    let server = S3Server::start();
    let bucket = format!("missing-{:08x}", rand::random::<u32>());
    let site = Site::new(Engine::Sqlite, None).await;
    let run_to = || {
        let mut cmd = site.cmd();
        cmd.envs(s3_credentials(&server)).args([
            "backup",
            "run",
            "--to",
            &format!("s3://{bucket}/p"),
        ]);
        run(&mut cmd)
    };
    let (code, _, err) = run_to();
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("is complete in") && err.contains("the off-site copy failed"),
        "{err}"
    );
    assert!(err.contains("hint: the local set stays"), "{err}");
    assert_eq!(set_ids(&site, &[]).len(), 1);
    let db = site.b.db().await;
    let failed = db
        .query_one(
            "SELECT count(*) AS n FROM backup_runs WHERE kind = 'backup' AND succeeded = $1",
            &[false.into()],
        )
        .await
        .unwrap()
        .get::<i64>("n")
        .unwrap();
    assert_eq!(failed, 1, "the failure is in the run log");
    db.close();

    std::fs::create_dir(server.root().join(&bucket)).unwrap();
    let (code, _, err) = run_to();
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("copied 2 set(s)"),
        "the earlier set is copied too: {err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_keeps_the_policy_and_removes_unreferenced_media() {
    let site = Site::new(Engine::Sqlite, None).await;
    let db = site.b.db().await;
    site.add_media(&db, &pdf(1, 1000)).await;
    let gone = site.add_media(&db, &pdf(2, 1000)).await;
    ok(backup(&site, &["run"]));
    db.execute("DELETE FROM media WHERE storage_key = $1", &[gone.into()])
        .await
        .unwrap();
    db.close();
    ok(backup(&site, &["run"]));
    let ids = set_ids(&site, &[]);
    let before = files_under(&site.backups());

    let (out, err) = ok(backup(&site, &["prune", "--keep-daily", "1", "--dry-run"]));
    assert!(out.contains(&format!("{}  would remove", ids[0])), "{out}");
    assert!(
        out.contains(&format!("{}  keep   (newest, daily)", ids[1])),
        "{out}"
    );
    assert!(
        err.contains("would remove 1 of 2 set(s) and 1 unreferenced"),
        "{err}"
    );
    assert_eq!(
        files_under(&site.backups()),
        before,
        "a dry run removes nothing"
    );

    ok(backup(&site, &["prune", "--keep-daily", "1"]));
    assert_eq!(set_ids(&site, &[]), vec![ids[1].clone()]);
    assert_eq!(files_under(&site.backups().join("media")).len(), 1);
    let (code, _, err) = backup(&site, &["prune"]);
    assert_eq!(code, 1);
    assert!(err.contains("no retention policy"), "{err}");
    ok(backup(&site, &["verify", "--latest"]));
}

on_both_engines!(verify_records_results_and_max_age_watches_them);

async fn verify_records_results_and_max_age_watches_them(b: Backend) {
    let site = Site::on(b, None);
    let db = site.b.db().await;
    site.add_media(&db, &pdf(5, 4000)).await;
    db.close();
    ok(backup(&site, &["run"]));
    let (code, out, err) = backup(&site, &["verify", "--max-age", "1h"]);
    assert_eq!(code, 3, "{out}{err}");
    assert!(err.contains("no verified backup set"), "{err}");
    let (out, _) = ok(backup(&site, &["verify", "--latest"]));
    assert!(
        out.starts_with("ok: set") && out.contains("1 media files match"),
        "{out}"
    );
    ok(backup(&site, &["verify", "--max-age", "1h"]));
    for name in ["last backup", "last verification"] {
        let (detail, level) = doctor_check(&site, name);
        assert_eq!(level, "pass", "{name}: {detail}");
    }

    // A damaged media blob fails verification, which is recorded and shown.
    let blob = files_under(&site.backups().join("media")).remove(0);
    std::fs::write(&blob, b"not the file").unwrap();
    let (code, out, err) = backup(&site, &["verify", "--all"]);
    assert_eq!(code, 3, "{out}{err}");
    assert!(out.contains("FAILED: set"), "{out}");
    let (out, _) = ok(backup(&site, &["list"]));
    assert!(out.contains("FAILED"), "{out}");
    let (detail, level) = doctor_check(&site, "last verification");
    assert_eq!(level, "warn", "{detail}");
}

/// The detail and level of doctor's check `name`.
fn doctor_check(site: &Site, name: &str) -> (String, String) {
    let (_, out, _) = run(site.cmd().args(["doctor", "--json"]));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name}: {out}"))
        .clone();
    (
        check["detail"].as_str().unwrap().to_string(),
        check["level"].as_str().unwrap().to_string(),
    )
}

#[test]
fn schedule_prints_a_crontab_line_and_systemd_units() {
    let args = |format: &[&str]| {
        let (code, out, err) = run(paideia()
            .args([
                "--data-dir",
                "/srv/paideia",
                "backup",
                "schedule",
                "--binary",
                "/usr/local/bin/paideia",
            ])
            .args(format));
        assert_eq!(code, 0, "{err}");
        out
    };
    let line = "30 2 * * * /usr/local/bin/paideia --data-dir /srv/paideia backup run --quiet";
    let cron = args(&["--print", "cron"]);
    assert!(cron.lines().any(|l| l == line), "{cron}");
    // Without --print: the crontab line, and how to get the units.
    let default = args(&[]);
    assert!(default.lines().any(|l| l == line), "{default}");
    assert!(default.contains("--print systemd"), "{default}");
    let systemd = args(&["--print", "systemd"]);
    for line in [
        "ExecStart=/usr/local/bin/paideia backup run --quiet",
        "Type=oneshot",
        "OnCalendar=*-*-* 02:30:00",
        "Persistent=true",
    ] {
        assert!(
            systemd.lines().any(|l| l == line),
            "missing {line}: {systemd}"
        );
    }
}

/// Runs killed at different moments never leave a set listed as good that is not; the next
/// run cleans their leftovers up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_runs_leave_no_good_looking_partial_set() {
    let site = Site::new(Engine::Sqlite, None).await;
    let db = site.b.db().await;
    paideia::seed::seed(&db, 10, 1, Utc::now()).await.unwrap();
    for n in 0..20 {
        site.add_media(&db, &pdf(n, 50_000)).await;
    }
    db.close();
    for delay in [5u64, 40, 120, 250, 500] {
        let mut child = site
            .cmd()
            .args(["backup", "run"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
    }
    if !set_ids(&site, &[]).is_empty() {
        let (out, _) = ok(backup(&site, &["verify", "--all"]));
        assert!(!out.contains("FAILED"), "{out}");
    }
    // What a kill during an upload leaves, whether or not one of the kills above did.
    let planted = site.backups().join("sets/20200101T000000Z");
    std::fs::create_dir_all(&planted).unwrap();
    std::fs::write(planted.join(".upload-0123.tmp"), b"half").unwrap();
    ok(backup(&site, &["run", "--keep-daily", "100"]));
    assert!(!planted.exists());
    let (out, _) = ok(backup(&site, &["list", "--json"]));
    assert!(
        !out.contains("\"complete\": false"),
        "incomplete sets were pruned: {out}"
    );
    for entry in std::fs::read_dir(site.backups()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            ["sets", "media", ".lock"].contains(&name.as_str()),
            "leftover {name}"
        );
    }
    let hidden: Vec<_> = files_under(&site.backups())
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .filter(|p| p.file_name().unwrap() != ".lock")
        .collect();
    assert!(hidden.is_empty(), "temporary files left: {hidden:?}");
}

/// A set made on SQLite with the files folder restores into PostgreSQL with S3 media.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_set_moves_from_sqlite_and_a_folder_to_postgres_and_s3() {
    let site = Site::new(Engine::Sqlite, None).await;
    let db = site.b.db().await;
    paideia::seed::seed(&db, 1, 7, Utc::now()).await.unwrap();
    let key = site.add_media(&db, &pdf(9, 70_000)).await;
    let users = count(&db, "users").await;
    db.close();
    ok(backup(&site, &["run"]));
    let id = set_ids(&site, &[]).remove(0);

    let target = Site::new(
        Engine::Postgres,
        Some(std::sync::Arc::new(S3Server::start())),
    )
    .await;
    ok(run(target
        .cmd()
        .args(["backup", "restore", &id, "--clean", "--yes", "--dir"])
        .arg(site.backups())
        .arg("--key-file")
        .arg(site.key_file())));
    let restored = target.b.db().await;
    assert_eq!(count(&restored, "users").await, users);
    assert_eq!(count(&restored, "media").await, 1);
    let logged = restored
        .query_one(
            "SELECT location FROM backup_runs WHERE kind = 'restore' ORDER BY id DESC LIMIT 1",
            &[],
        )
        .await
        .unwrap()
        .get::<String>("location")
        .unwrap();
    assert_eq!(logged, format!("{} set {id}", site.backups().display()));
    restored.close();
    assert_eq!(target.read_media(&key).await, pdf(9, 70_000));
}

/// A year of nightly sets made with a controlled clock and pruned after each run, as
/// `backup run` does: the files left are exactly the sets the policy names.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_over_a_simulated_year_keeps_the_right_sets() {
    use chrono::{Duration, TimeZone};
    use paideia::{
        backup::set::{self, BackupKeys, Recipients, Target},
        settings::Retention,
    };
    let site = Site::new(Engine::Sqlite, None).await;
    let db = site.b.db().await;
    site.add_media(&db, &pdf(1, 2000)).await;
    let media = site.storage().await;
    let target = Target::local(&site.backups()).await.unwrap();
    let policy = Retention {
        daily: Some(7),
        weekly: Some(4),
        monthly: Some(12),
    };
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 2, 30, 0).unwrap();
    set::add_new_key(&site.key_file()).unwrap();
    let keys =
        BackupKeys::parse(&std::fs::read_to_string(site.key_file()).unwrap(), "test").unwrap();
    for day in 0..365 {
        let work = tempfile::tempdir_in(site.b.dir.path()).unwrap();
        let now = start + Duration::days(day);
        set::create_set(
            &db,
            &media,
            &target,
            (&Recipients::default(), &keys),
            now,
            work.path(),
        )
        .await
        .unwrap();
        set::prune(&target, policy, false).await.unwrap();
    }
    db.close();
    // 2026-12-31 is a Thursday. Daily: Dec 25-31. Weekly: Dec 31 and Dec 27 are dailies,
    // Dec 20 and Dec 13 are added. Monthly: Dec 31, and the ends of January to November.
    let month_ends = [
        "0131", "0228", "0331", "0430", "0531", "0630", "0731", "0831", "0930",
    ];
    let rest = [
        "1031", "1130", "1213", "1220", "1225", "1226", "1227", "1228", "1229", "1230", "1231",
    ];
    let expected: Vec<String> = month_ends
        .iter()
        .chain(&rest)
        .map(|d| format!("2026{d}T023000Z"))
        .collect();
    assert_eq!(set_ids(&site, &[]), expected);
    let sets = files_under(&site.backups().join("sets"));
    assert_eq!(
        sets.len(),
        2 * expected.len(),
        "dump + manifest each: {sets:?}"
    );
    assert_eq!(files_under(&site.backups().join("media")).len(), 1);
}

// ---------------------------------------------------------------------------------------
// Issue 14, item 11: sets are authenticated.

/// The set's manifest as JSON, and where it is.
fn manifest_json(site: &Site, id: &str) -> (PathBuf, serde_json::Value) {
    let path = site.backups().join("sets").join(id).join("manifest.json");
    let json = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    (path, json)
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// What an attacker who can write the backup folder does: replaces a set's dump with a dump
/// of their own database (where they are the only admin) and rewrites the manifest's SHA-256
/// and size; strips the MAC; or signs with a key of their own. `backup verify` fails each,
/// `backup restore` refuses each (the target keeps its data), and only the explicit
/// `--trust-unauthenticated` restores one, with a warning.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_sets_are_refused_unless_trusted_loudly() {
    let site = Site::new(Engine::Sqlite, None).await;
    let db = site.b.db().await;
    site.add_media(&db, &pdf(4, 3000)).await;
    db.close();
    ok(backup(&site, &["run"]));
    let id = set_ids(&site, &[]).remove(0);
    let authenticated = || {
        let (out, _) = ok(backup(&site, &["list", "--json"]));
        let list: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
        list[0]["authenticated"].clone()
    };
    assert_eq!(authenticated(), true);

    let attacker = Site::new(Engine::Sqlite, None).await;
    let password = attacker.b.dir.path().join("password");
    std::fs::write(&password, "correct horse battery staple\n").unwrap();
    ok(run(attacker
        .cmd()
        .args([
            "user",
            "create",
            "--email",
            "evil@example.org",
            "--name",
            "Evil",
        ])
        .args(["--role", "admin", "--password-stdin"])
        .stdin(std::fs::File::open(&password).unwrap())));
    let evil_dump = attacker.b.dir.path().join("evil.sql.zst");
    ok(run(attacker.cmd().args(["dump", "-o"]).arg(&evil_dump)));
    let evil = std::fs::read(&evil_dump).unwrap();

    let (manifest_path, genuine) = manifest_json(&site, &id);
    let dump_path = site
        .backups()
        .join(genuine["database"]["key"].as_str().unwrap());
    std::fs::write(&dump_path, &evil).unwrap();
    let mut swapped = genuine.clone();
    swapped["database"]["sha256"] = sha256_hex(&evil).into();
    swapped["database"]["bytes"] = evil.len().into();
    let mut stripped = swapped.clone();
    stripped.as_object_mut().unwrap().remove("mac");
    stripped["format"] = 1.into();
    let mut other_key = swapped.clone();
    other_key["mac"]["key_id"] = "0123456789abcdef".into();

    let fresh = Site::new(Engine::Sqlite, None).await;
    let restore = |extra: &[&str]| {
        run(fresh
            .cmd()
            .args(["backup", "restore", &id, "--clean", "--yes", "--dir"])
            .arg(site.backups())
            .arg("--key-file")
            .arg(site.key_file())
            .args(extra))
    };
    let cases = [
        (&swapped, "does not match its MAC", "forged"),
        (&stripped, "carries no MAC", "--trust-unauthenticated"),
        (&other_key, "not among the keys", "--key-file"),
    ];
    for (forged, problem, hint) in cases {
        std::fs::write(&manifest_path, serde_json::to_vec_pretty(forged).unwrap()).unwrap();
        assert_eq!(authenticated(), false, "{problem}");
        let (code, out, err) = backup(&site, &["verify", "--latest"]);
        assert_eq!(code, 3, "{problem}: {out}{err}");
        assert!(out.contains("FAILED") && out.contains(problem), "{out}");
        let (code, _, err) = restore(&[]);
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains("is not authenticated") && err.contains(problem),
            "{err}"
        );
        assert!(err.contains("hint:") && err.contains(hint), "{err}");
        let db = fresh.b.db().await;
        assert_eq!(count(&db, "users").await, 0, "the target was not touched");
        db.close();
    }

    // The admin's explicit word restores it, loudly: here that installs the attacker.
    let (_, err) = ok(restore(&["--trust-unauthenticated"]));
    assert!(
        err.contains("warning: backup set") && err.contains("NOT AUTHENTICATED"),
        "{err}"
    );
    let db = fresh.b.db().await;
    let admins: String = db
        .query_one("SELECT email FROM users WHERE role = 'admin'", &[])
        .await
        .unwrap()
        .get("email")
        .unwrap();
    assert_eq!(admins, "evil@example.org");
    db.close();

    // Put back, the genuine set verifies again.
    std::fs::write(&manifest_path, serde_json::to_vec_pretty(&genuine).unwrap()).unwrap();
    let (code, out, _) = backup(&site, &["verify", "--latest"]);
    assert_eq!(code, 3, "the dump is still the attacker's: {out}");
    assert!(out.contains("SHA-256"), "{out}");
}

/// Rotation: a new key signs new sets while the old one still verifies old sets; a key
/// dropped from the file no longer vouches for its sets; a lost key file is said plainly; the
/// key never lives in the backup folder; a configured key file must exist.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_keys_rotate_and_their_loss_is_told_plainly() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::new(Engine::Sqlite, None).await;
    let (_, err) = ok(backup(&site, &["run"]));
    assert!(err.contains("notice: made the backup key file"), "{err}");
    let mode = std::fs::metadata(site.key_file())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(!site.key_file().starts_with(site.backups()));
    let (out, _) = ok(backup(&site, &["key", "list"]));
    let first = out.split_whitespace().next().unwrap().to_string();

    let (new_id, _) = ok(backup(&site, &["key", "new"]));
    let (out, _) = ok(backup(&site, &["key", "list"]));
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        vec![
            format!("{}  signs and verifies", new_id.trim()),
            format!("{first}  verifies")
        ]
    );
    let (_, err) = ok(backup(&site, &["run"]));
    assert!(!err.contains("notice:"), "{err}");
    let (out, _) = ok(backup(&site, &["verify", "--all"]));
    assert_eq!(out.matches("ok: set").count(), 2, "{out}");

    // The old key dropped: its set no longer verifies; the new one does.
    let text = std::fs::read_to_string(site.key_file()).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("paideia-backup-key-1:"))
        .collect();
    let newest = text
        .lines()
        .find(|l| l.starts_with("paideia-backup-key-1:"))
        .unwrap();
    std::fs::write(site.key_file(), format!("{}\n{newest}\n", kept.join("\n"))).unwrap();
    let (code, out, _) = backup(&site, &["verify", "--all"]);
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("not among the keys") && out.contains("ok: set"),
        "{out}"
    );

    // Lost: nothing to check with.
    std::fs::remove_file(site.key_file()).unwrap();
    let ids = set_ids(&site, &[]);
    let (code, _, err) = backup(&site, &["restore", &ids[1], "--clean", "--yes"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("no backup key") && err.contains("--key-file"),
        "{err}"
    );

    let inside = site.backups().join("backup.key");
    let (code, _, err) = run(site
        .cmd()
        .args(["backup", "run", "--key-file"])
        .arg(&inside));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("inside the backup folder"), "{err}");
    let missing = site.b.dir.path().join("elsewhere.key");
    let (code, _, err) = run(site
        .cmd()
        .args(["backup", "run", "--key-file"])
        .arg(&missing));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(&missing.display().to_string()), "{err}");
    assert!(!missing.exists(), "a configured key file is never made up");
}
