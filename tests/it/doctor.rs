//! `paideia doctor` against real installs: healthy, with warnings, and broken.

use std::os::unix::fs::PermissionsExt;

use crate::{
    on_both_engines,
    support::{Backend, paideia, run},
};

fn levels(out: &str) -> Vec<(String, String)> {
    let report: serde_json::Value = serde_json::from_str(out).unwrap();
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["level"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn level_of(levels: &[(String, String)], name: &str) -> String {
    levels
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, l)| l.clone())
        .unwrap_or_else(|| panic!("no check {name}: {levels:?}"))
}

on_both_engines!(doctor_reports_each_check);

async fn doctor_reports_each_check(b: Backend) {
    let (code, _, err) = run(b.paideia().args(["migrate", "up"]));
    assert_eq!(code, 0, "{err}");
    let backups = b.data_dir().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let (code, _, err) = run(b
        .paideia()
        .args(["dump", "-o"])
        .arg(backups.join("daily.sql.zst")));
    assert_eq!(code, 0, "{err}");

    let (code, out, _) = run(b.paideia().args(["doctor", "--json"]));
    let found = levels(&out);
    for name in [
        "configuration",
        "database",
        "migrations",
        "storage",
        "free disk",
        "clock",
        "last backup",
        "file permissions",
    ] {
        assert_eq!(level_of(&found, name), "pass", "{name}: {out}");
    }
    assert_eq!(level_of(&found, "last verification"), "warn");
    assert_eq!(
        level_of(&found, "backup place"),
        "warn",
        "backups beside the data: {out}"
    );
    assert!(out.contains("--to s3://"), "{out}");
    assert_eq!(code, 5, "warnings exit 5: {out}");
    assert_eq!(level_of(&found, "deprecations"), "pass", "{out}");
    let (_, out, _) = run(b
        .paideia()
        .env("PAIDEIA_SCRATCH_DIR", b.data_dir())
        .args(["doctor", "--json"]));
    assert_eq!(level_of(&levels(&out), "deprecations"), "warn", "{out}");
    assert!(out.contains("use PAIDEIA_BACKUP_SCRATCH_DIR"), "{out}");

    std::fs::set_permissions(
        backups.join("daily.sql.zst"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let (_, out, _) = run(b.paideia().arg("doctor"));
    assert!(
        out.contains("WARN  file permissions") && out.contains("chmod 600"),
        "{out}"
    );

    let db = b.db().await;
    db.execute(
        "UPDATE paideia_migrations SET checksum = 'x' WHERE id = 1",
        &[],
    )
    .await
    .unwrap();
    let (code, out, _) = run(b.paideia().arg("doctor"));
    assert_eq!(code, 3, "a failed check exits 3: {out}");
    assert!(out.contains("FAIL  migrations"), "{out}");
}

#[test]
fn doctor_names_an_unreachable_database() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(paideia().arg("--data-dir").arg(dir.path()).args([
        "--database-url",
        "postgres://paideia:secret-pw@127.0.0.1:1/nowhere",
        "doctor",
    ]));
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("FAIL  database") && out.contains("hint:"),
        "{out}"
    );
    assert!(!out.contains("secret-pw"), "{out}");
}

/// Every path under `dir` with its kind, size and mode.
fn snapshot(
    dir: &std::path::Path,
) -> std::collections::BTreeMap<std::path::PathBuf, (bool, u64, u32)> {
    let mut found = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(at) = todo.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                todo.push(path.clone());
            }
            let size = if meta.is_dir() { 0 } else { meta.len() };
            found.insert(path, (meta.is_dir(), size, meta.permissions().mode()));
        }
    }
    found
}

/// A migrated install with a dump in its backup folder, a files folder and one stored file.
async fn install(b: &Backend, env: &[(&'static str, String)]) {
    let (code, _, err) = run(b
        .paideia()
        .envs(env.iter().cloned())
        .args(["migrate", "up"]));
    assert_eq!(code, 0, "{err}");
    let backups = b.data_dir().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let (code, _, err) = run(b
        .paideia()
        .args(["dump", "-o"])
        .arg(backups.join("daily.sql.zst")));
    assert_eq!(code, 0, "{err}");
    paideia::storage::Storage::local(&b.data_dir().join("files"))
        .await
        .unwrap()
        .put_bytes("media/2026/01/0123456789abcdef0123456789abcdef", "x".into())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_changes_nothing_on_the_files_folder() {
    let b = Backend::sqlite();
    install(&b, &[]).await;
    let before = snapshot(b.dir.path());
    for args in [&["doctor"][..], &["doctor", "--full", "--json"]] {
        let (code, out, _) = run(b.paideia().args(args));
        assert!(code == 0 || code == 5, "{out}");
        assert!(out.contains("storage"), "{out}");
    }
    assert_eq!(
        snapshot(b.dir.path()),
        before,
        "doctor changed the data directory"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_changes_nothing_on_s3() {
    let b = Backend::sqlite();
    let s3 = crate::support::s3::S3Server::start();
    let env = s3.env(&s3.bucket);
    install(&b, &env).await;
    let bucket = s3.root().join(&s3.bucket);
    // S3 has objects, not folders: s3s-fs's empty folders are no objects.
    let objects = |dir: &std::path::Path| {
        let mut found = snapshot(dir);
        found.retain(|_, (is_dir, _, _)| !*is_dir);
        found
    };
    let before = (snapshot(b.dir.path()), objects(&bucket));
    for args in [&["doctor"][..], &["doctor", "--full"]] {
        let (code, out, _) = run(b.paideia().envs(env.iter().cloned()).args(args));
        assert!(code == 0 || code == 5, "{out}");
        assert!(out.contains("PASS  storage"), "{out}");
    }
    assert_eq!((snapshot(b.dir.path()), objects(&bucket)), before);
    assert!(s3.multipart_leftovers().is_empty());
}

#[test]
fn doctor_reports_a_missing_data_dir_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("paideia-data");
    let (code, out, _) = run(paideia().arg("--data-dir").arg(&missing).arg("doctor"));
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("FAIL  data directory") && out.contains("does not exist"),
        "{out}"
    );
    assert!(out.contains("hint: point --data-dir"), "{out}");
    assert!(out.contains("FAIL  database"), "{out}");
    assert!(!missing.exists(), "doctor created {}", missing.display());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn doctor_redacts_a_credential_in_the_s3_endpoint() {
    let dir = tempfile::tempdir().unwrap();
    let s3 = crate::support::s3::S3Server::start();
    let endpoint = format!("http://minio-admin:endpoint-secret@{}", s3.addr);
    for json in [false, true] {
        let mut cmd = paideia();
        cmd.arg("--data-dir")
            .arg(dir.path())
            .envs(s3.env(&s3.bucket))
            .env("PAIDEIA_S3_ENDPOINT_URL", &endpoint)
            .arg("doctor");
        if json {
            cmd.arg("--json");
        }
        let (_, out, err) = run(&mut cmd);
        assert!(out.contains("***@"), "{out}");
        for secret in ["endpoint-secret", "minio-admin"] {
            assert!(
                !out.contains(secret) && !err.contains(secret),
                "{out}\n{err}"
            );
        }
    }
}
