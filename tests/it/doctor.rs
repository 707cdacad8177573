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
    assert_eq!(code, 5, "warnings exit 5: {out}");

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
