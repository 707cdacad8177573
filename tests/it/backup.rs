//! dump, restore, verify-backup and seed against both engines: round trips of every column
//! type, cross-engine restores, psql, consistent snapshots under writes, kills at any moment,
//! older and newer schemas, and random corruptions.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::Stdio,
    sync::Arc,
    time::Duration,
};

use paideia::{
    backup::{
        self, BackupError, Compression, DumpOptions, Quiet, RestoreOptions, Scratch, catalog,
        copytext,
        format::{Manifest, Trailer},
    },
    db::{Db, Engine, Executor, Value},
    migrate::{Migrator, UpOptions},
};

use crate::{
    on_both_engines,
    support::{Backend, run},
};

fn t(s: &str) -> Value {
    Value::Time(copytext::parse_time(s).unwrap())
}

/// Rows that exercise every column type: NULLs, unicode, tabs and newlines, backslashes,
/// long text, binary with NUL and backslash bytes, microsecond timestamps, awkward floats,
/// and a section whose parent has a higher id.
async fn insert_edge_rows(db: &Db) {
    let long_text = "lorem ipsum dolor ".repeat(20_000);
    let statements: Vec<(&str, Vec<Value>)> = vec![
        (
            "INSERT INTO users (id, email, display_name, password_hash, role, disabled_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vec![
                1.into(),
                "ünï@example.org".into(),
                "Tab\there \"quoted\" \\ back\nslash 🎓 \u{0}"
                    .replace('\u{0}', "")
                    .into(),
                long_text.into(),
                "admin".into(),
                Value::Null,
                t("1970-01-01T00:00:00.000001Z"),
                t("2099-12-31T23:59:59.999999Z"),
            ],
        ),
        (
            "INSERT INTO users (id, email, display_name, password_hash, role, disabled_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vec![
                2.into(),
                "two@example.org".into(),
                "".into(),
                "x".into(),
                "student".into(),
                t("2026-11-25T10:00:00.5Z"),
                t("2026-11-25T10:00:00Z"),
                t("2026-11-25T10:00:00Z"),
            ],
        ),
        (
            "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, last_used_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            vec![
                1.into(),
                1.into(),
                "script".into(),
                Value::Bytes(vec![0, 1, 92, 10, 9, 13, 255, 0]),
                t("2026-01-01T00:00:00Z"),
                Value::Null,
                t("2027-01-01T00:00:00Z"),
            ],
        ),
        (
            "INSERT INTO media (id, storage_key, file_name, content_type, size_bytes, sha256, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vec![
                1.into(),
                "media/2026/ab".into(),
                "résumé (final).pdf".into(),
                "application/pdf".into(),
                0.into(),
                Value::Bytes((0u8..32).collect()),
                Value::Null,
                t("2026-01-01T00:00:00Z"),
            ],
        ),
        (
            "INSERT INTO courses (id, slug, title, description, status, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vec![
                1.into(),
                "c-1".into(),
                "數學 φυσική".into(),
                "".into(),
                "archived".into(),
                1.into(),
                t("2026-01-01T00:00:00Z"),
                t("2026-01-01T00:00:00Z"),
            ],
        ),
        (
            "INSERT INTO sections (id, course_id, parent_id, title, position, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            vec![
                1.into(),
                1.into(),
                Value::Null,
                "child".into(),
                0.into(),
                t("2026-01-01T00:00:00Z"),
            ],
        ),
        (
            "INSERT INTO sections (id, course_id, parent_id, title, position, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            vec![
                2.into(),
                1.into(),
                Value::Null,
                "parent".into(),
                1.into(),
                t("2026-01-01T00:00:00Z"),
            ],
        ),
        ("UPDATE sections SET parent_id = 2 WHERE id = 1", vec![]),
        // A far id: PostgreSQL dumps then read users in several id ranges.
        (
            "INSERT INTO users (id, email, display_name, password_hash, role, created_at, updated_at) VALUES (450000, 'far@example.org', 'Far', 'x', 'student', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            vec![],
        ),
        (
            "INSERT INTO gradebook_items (id, course_id, module_id, title, max_points, weight, position, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vec![
                1.into(),
                1.into(),
                Value::Null,
                "Participation".into(),
                0.1f64.into(),
                0.0f64.into(),
                0.into(),
                t("2026-01-01T00:00:00Z"),
            ],
        ),
        (
            "INSERT INTO grades (id, item_id, student_id, points, feedback, graded_by, graded_at, released_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vec![
                1.into(),
                1.into(),
                2.into(),
                1e-300f64.into(),
                "tiny".into(),
                1.into(),
                t("2026-01-02T00:00:00Z"),
                Value::Null,
            ],
        ),
        (
            "INSERT INTO grades (id, item_id, student_id, points, feedback, graded_by, graded_at, released_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vec![
                2.into(),
                1.into(),
                1.into(),
                Value::Null,
                "".into(),
                Value::Null,
                Value::Null,
                Value::Null,
            ],
        ),
        (
            "INSERT INTO login_attempts (id, throttle_key, attempted_at, succeeded) VALUES ($1, $2, $3, $4)",
            vec![
                1.into(),
                "ip:127.0.0.1".into(),
                t("2026-01-01T00:00:00Z"),
                true.into(),
            ],
        ),
        (
            "INSERT INTO login_attempts (id, throttle_key, attempted_at, succeeded) VALUES ($1, $2, $3, $4)",
            vec![
                2.into(),
                "user:ünï@example.org".into(),
                t("2026-01-01T00:00:01Z"),
                false.into(),
            ],
        ),
        (
            "INSERT INTO grade_files (item_id, student_id, media_id) VALUES ($1, $2, $3)",
            vec![1.into(), 2.into(), 1.into()],
        ),
    ];
    for (sql, params) in statements {
        db.execute(sql, &params)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// Every table's rows as normalized logical values, sorted (migration checksums left out:
/// they differ between engines by design).
pub async fn snapshot(db: &Db) -> BTreeMap<String, Vec<String>> {
    let mut conn = db.conn().await.unwrap();
    let tables = catalog::tables(&mut conn, db.engine()).await.unwrap();
    let mut out = BTreeMap::new();
    for table in tables.iter().filter(|t| t.name != "backup_runs") {
        let columns: Vec<_> = table
            .columns
            .iter()
            .filter(|c| !(table.name == "paideia_migrations" && c.name == "checksum"))
            .collect();
        let names: Vec<String> = columns.iter().map(|c| format!("\"{}\"", c.name)).collect();
        let rows = conn
            .query(
                &format!("SELECT {} FROM \"{}\"", names.join(", "), table.name),
                &[],
            )
            .await
            .unwrap();
        let mut lines: Vec<String> = rows
            .iter()
            .map(|row| {
                let values: Vec<Value> = row
                    .values()
                    .iter()
                    .zip(&columns)
                    .map(|(v, c)| copytext::normalize(v.clone(), c.ty).unwrap())
                    .collect();
                format!("{values:?}")
            })
            .collect();
        lines.sort();
        out.insert(table.name.clone(), lines);
    }
    out
}

async fn migrated(b: &Backend) -> Db {
    let db = b.db().await;
    Migrator::embedded(&db)
        .up(UpOptions::default())
        .await
        .unwrap();
    db
}

pub async fn dump_to(db: &Db, path: &Path) -> Manifest {
    let options = DumpOptions {
        compression: Compression::for_path(path),
        jobs: 2,
    };
    let _ = std::fs::remove_file(path);
    let (manifest, _) = backup::dump_to_file(db, path, options, Arc::new(Quiet), false)
        .await
        .unwrap();
    manifest
}

pub async fn restore_into(db: &Db, path: &Path) -> Result<backup::RestoreReport, BackupError> {
    backup::restore(
        db,
        path,
        RestoreOptions {
            clean: false,
            trial: false,
        },
        &Quiet,
    )
    .await
}

on_both_engines!(
    round_trip_keeps_every_value,
    restore_into_the_other_engine,
    dump_is_one_snapshot_while_writers_run,
    kill_during_dump_leaves_no_partial_file,
    kill_during_restore_leaves_the_target_unchanged,
    older_schema_dumps_restore_and_migrate_forward,
    newer_schema_dumps_are_refused,
    random_corruptions_are_all_caught,
    restore_refuses_a_non_empty_target_unless_clean,
    rows_that_do_not_match_the_manifest_roll_the_restore_back,
    seed_is_deterministic_and_refuses_non_empty,
);

async fn round_trip_keeps_every_value(b: Backend) {
    let db = migrated(&b).await;
    insert_edge_rows(&db).await;
    paideia::seed::seed(&db, 1, 7, chrono::Utc::now())
        .await
        .unwrap();
    let before = snapshot(&db).await;
    for name in ["dump.sql", "dump.sql.zst"] {
        let path = b.dir.path().join(name);
        let manifest = dump_to(&db, &path).await;
        assert_eq!(manifest.engine, b.engine());
        let target = Backend::new(b.engine()).await;
        let restored = target.db().await;
        restore_into(&restored, &path).await.unwrap();
        assert_eq!(
            snapshot(&restored).await,
            before,
            "{name} must restore every value"
        );
        Migrator::embedded(&restored).verify().await.unwrap();
        // Sequences moved past the restored ids: new rows get new ids.
        restored
            .execute("INSERT INTO users (email, display_name, password_hash) VALUES ('new@example.org', 'New', 'x')", &[])
            .await
            .expect("a new row does not collide with restored ids");
        let report = backup::verify(&path, Some(Scratch::Sqlite(b.dir.path().to_path_buf())))
            .await
            .unwrap();
        assert_eq!(report.rows, manifest.total_rows());
    }
}

async fn restore_into_the_other_engine(b: Backend) {
    let db = migrated(&b).await;
    insert_edge_rows(&db).await;
    // Scale 10 makes the submissions several data blocks, read by both workers in parts.
    paideia::seed::seed(&db, 10, 3, chrono::Utc::now())
        .await
        .unwrap();
    let path = b.dir.path().join("dump.sql.zst");
    dump_to(&db, &path).await;
    let other = Backend::new(match b.engine() {
        Engine::Sqlite => Engine::Postgres,
        Engine::Postgres => Engine::Sqlite,
    })
    .await;
    let restored = other.db().await;
    restore_into(&restored, &path).await.unwrap();
    assert_eq!(snapshot(&restored).await, snapshot(&db).await);
    Migrator::embedded(&restored)
        .verify()
        .await
        .expect("the target records its own engine's checksums");
    restored
        .execute(
            "INSERT INTO courses (slug, title) VALUES ('after-move', 'After the move')",
            &[],
        )
        .await
        .unwrap();
    // And back again.
    let back_path = other.dir.path().join("back.sql");
    dump_to(&restored, &back_path).await;
    let blocks = std::fs::read_to_string(&back_path)
        .unwrap()
        .lines()
        .filter(|l| *l == "-- data: submissions")
        .count();
    assert!(blocks > 1, "submissions span {blocks} block(s)");
    let again = Backend::new(b.engine()).await;
    let again_db = again.db().await;
    restore_into(&again_db, &back_path).await.unwrap();
    assert_eq!(
        snapshot(&again_db).await.get("courses").map(Vec::len),
        Some(snapshot(&db).await["courses"].len() + 1)
    );
}

async fn dump_is_one_snapshot_while_writers_run(b: Backend) {
    let db = migrated(&b).await;
    paideia::seed::seed(&db, 2, 1, chrono::Utc::now())
        .await
        .unwrap();
    let writer_db = db.clone();
    let writer = tokio::spawn(async move {
        for i in 0..400 {
            let mut conn = writer_db.conn().await.unwrap();
            let mut tx = conn.transaction().await.unwrap();
            let id: i64 = tx
                .query_one(
                    "INSERT INTO courses (slug, title) VALUES ($1, 'w') RETURNING id",
                    &[format!("w-{i}").into()],
                )
                .await
                .unwrap()
                .get("id")
                .unwrap();
            tx.execute(
                "INSERT INTO sections (course_id, title) VALUES ($1, 'w')",
                &[id.into()],
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
    });
    let mut manifests = Vec::new();
    for i in 0..3 {
        manifests.push(dump_to(&db, &b.dir.path().join(format!("d{i}.sql"))).await);
    }
    writer.await.unwrap();
    for m in manifests {
        let courses = m.table("courses").unwrap().rows;
        let sections = m.table("sections").unwrap().rows;
        // The seed gives every course four sections; each writer transaction adds one of each.
        let seeded = 8;
        assert_eq!(
            sections - seeded * 4,
            courses - seeded,
            "a dump must never see half a transaction"
        );
    }
}

async fn kill_during_dump_leaves_no_partial_file(b: Backend) {
    let db = migrated(&b).await;
    paideia::seed::seed(&db, 10, 1, chrono::Utc::now())
        .await
        .unwrap();
    let out = b.dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    for delay in [5u64, 30, 80, 160, 320] {
        let target = out.join(format!("dump-{delay}.sql.zst"));
        let mut child = b
            .paideia()
            .args(["dump", "-o"])
            .arg(&target)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        if target.exists() {
            backup::verify(&target, None)
                .await
                .expect("a file under the requested name is a complete dump");
        }
    }
    for entry in std::fs::read_dir(&out).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            name.starts_with('.') || name.ends_with(".sql.zst"),
            "unexpected file {name}"
        );
    }
}

async fn kill_during_restore_leaves_the_target_unchanged(b: Backend) {
    let db = migrated(&b).await;
    paideia::seed::seed(&db, 10, 1, chrono::Utc::now())
        .await
        .unwrap();
    let path = b.dir.path().join("dump.sql");
    dump_to(&db, &path).await;
    let expected = snapshot(&db).await;
    for delay in [20u64, 80, 200, 400] {
        let target = Backend::new(b.engine()).await;
        let mut child = target
            .paideia()
            .arg("restore")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let finished = child.wait().unwrap().success();
        let restored = target.db().await;
        let mut conn = restored.conn().await.unwrap();
        let tables = catalog::tables(&mut conn, target.engine()).await.unwrap();
        // Either the old state (nothing) or the new one (everything): a kill after the
        // commit, while the binary logs the restore, leaves a complete restore.
        if finished || !tables.is_empty() {
            assert_eq!(
                snapshot(&restored).await,
                expected,
                "delay {delay} ms left a partial restore"
            );
        }
    }
}

fn fixture(engine: Engine) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "tests/fixtures/dumps/schema1-{}.sql",
        engine.as_str()
    ))
}

async fn older_schema_dumps_restore_and_migrate_forward(b: Backend) {
    for source in [Engine::Postgres, Engine::Sqlite] {
        let target = Backend::new(b.engine()).await;
        let (code, _, err) = run(target.paideia().arg("restore").arg(fixture(source)));
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("then applied"), "{err}");
        let db = target.db().await;
        let status = Migrator::embedded(&db).verify().await.unwrap();
        assert_eq!(status.database_schema_version, status.binary_schema_version);
        let user: String = db
            .query_one("SELECT display_name FROM users WHERE id = 2", &[])
            .await
            .unwrap()
            .get("display_name")
            .unwrap();
        assert_eq!(user, "Tēacher\t\"Tab\" \\ back");
        let logged = db
            .query_one(
                "SELECT count(*) AS n FROM backup_runs WHERE kind = 'restore'",
                &[],
            )
            .await
            .unwrap();
        assert_eq!(logged.get::<i64>("n").unwrap(), 1);
    }
}

/// Rewrites a plain dump's manifest and re-seals its trailer, as a newer binary would write it.
fn rewrite_manifest(path: &Path, out: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    reseal(path, out, |lines| {
        let mut manifest: serde_json::Value =
            serde_json::from_str(lines[1].strip_prefix("-- manifest: ").unwrap()).unwrap();
        edit(&mut manifest);
        lines[1] = format!("-- manifest: {manifest}");
    });
}

/// Edits the lines of a plain dump and writes it to `out` with a trailer that matches again.
fn reseal(path: &Path, out: &Path, edit: impl FnOnce(&mut Vec<String>)) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines.pop();
    edit(&mut lines);
    let whole = lines.join("\n") + "\n";
    let hash = |s: &str| blake3::hash(s.as_bytes()).to_hex().to_string();
    let manifest: serde_json::Value =
        serde_json::from_str(lines[1].strip_prefix("-- manifest: ").unwrap()).unwrap();
    // Format 2 hashes the head (magic and manifest lines) apart from the rest; the trailer
    // is written as paideia writes it (readers refuse any other form).
    let head_len = lines[0].len() + lines[1].len() + 2;
    let trailer = if manifest["format"].as_u64() >= Some(2) {
        Trailer {
            blake3: hash(&whole[head_len..]),
            head_blake3: Some(hash(&whole[..head_len])),
            bytes: whole.len() as u64,
        }
    } else {
        Trailer {
            blake3: hash(&whole),
            head_blake3: None,
            bytes: whole.len() as u64,
        }
    };
    let trailer = serde_json::to_string(&trailer).unwrap();
    std::fs::write(out, format!("{whole}-- trailer: {trailer}\n")).unwrap();
}

/// A file whose bytes match its trailer but whose rows do not match its manifest (a writer's
/// bug, or a forged trailer) is caught while it loads, and the transaction rolls back: the
/// target keeps what it had, even with `--clean`.
async fn rows_that_do_not_match_the_manifest_roll_the_restore_back(b: Backend) {
    let db = migrated(&b).await;
    insert_edge_rows(&db).await;
    let path = b.dir.path().join("dump.sql");
    dump_to(&db, &path).await;
    let before = snapshot(&db).await;
    let bad = b.dir.path().join("bad.sql");
    reseal(&path, &bad, |lines| {
        let row = lines
            .iter_mut()
            .find(|l| l.starts_with("2\ttwo@example.org\t"))
            .expect("the second user's row");
        *row = row.replacen("two@", "TWO@", 1);
    });
    let (code, _, err) = run(b.paideia().args(["restore", "--clean", "--yes"]).arg(&bad));
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("users"), "the message names the table: {err}");
    assert_eq!(snapshot(&db).await, before, "the target kept what it had");
    assert_eq!(
        staging_schemas(&db).await,
        Vec::<String>::new(),
        "a failed restore drops its staging schema"
    );
}

async fn newer_schema_dumps_are_refused(b: Backend) {
    let newer = b.dir.path().join("newer.sql");
    rewrite_manifest(&fixture(b.engine()), &newer, |m| {
        m["paideia_version"] = "9.1.0".into();
        m["migrations"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"id": 9999, "name": "future", "checksum": "00"}));
    });
    let target = Backend::new(b.engine()).await;
    let (code, _, err) = run(target.paideia().arg("restore").arg(&newer));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("needs paideia 9.1.0 or newer") && err.contains("hint:"),
        "{err}"
    );
    let (code, _, err) = run(target
        .paideia()
        .args(["verify-backup", "--quick"])
        .arg(&newer));
    assert_eq!(code, 3, "{err}");
}

async fn random_corruptions_are_all_caught(b: Backend) {
    let db = migrated(&b).await;
    insert_edge_rows(&db).await;
    for name in ["small.sql", "small.sql.zst"] {
        let path = b.dir.path().join(name);
        dump_to(&db, &path).await;
        let good = std::fs::read(&path).unwrap();
        backup::verify(&path, None).await.unwrap();
        let bad = b.dir.path().join(format!("bad-{name}"));
        let mut state = 0x2545_f491_4f6c_dd1d_u64 ^ good.len() as u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..200 {
            let mut bytes = good.clone();
            if round % 4 == 3 {
                bytes.truncate((next() % bytes.len() as u64) as usize);
            } else {
                let at = (next() % bytes.len() as u64) as usize;
                bytes[at] ^= 1 + (next() % 255) as u8;
            }
            std::fs::write(&bad, &bytes).unwrap();
            assert!(
                backup::verify(&bad, None).await.is_err(),
                "{name}: round {round} went unnoticed"
            );
        }
    }
}

async fn restore_refuses_a_non_empty_target_unless_clean(b: Backend) {
    let db = migrated(&b).await;
    insert_edge_rows(&db).await;
    let path = b.dir.path().join("dump.sql.zst");
    let (code, _, err) = run(b.paideia().args(["dump", "-o"]).arg(&path));
    assert_eq!(code, 0, "{err}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let (code, _, err) = run(b.paideia().args(["dump", "-o"]).arg(&path));
    assert_eq!(code, 1, "an existing file is not overwritten: {err}");
    assert!(err.contains("--force"), "{err}");

    let (code, _, err) = run(b.paideia().arg("restore").arg(&path));
    assert_eq!(code, 1);
    assert!(
        err.contains("not empty") && err.contains("--clean"),
        "{err}"
    );
    let (code, _, err) = run(b
        .paideia()
        .args(["restore", "--clean"])
        .arg(&path)
        .stdin(Stdio::null()));
    assert_eq!(code, 1, "no terminal and no --yes: {err}");
    assert!(err.contains("--yes"), "{err}");
    db.execute("DELETE FROM login_attempts", &[]).await.unwrap();
    let (code, _, err) = run(b.paideia().args(["restore", "--clean", "--yes"]).arg(&path));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        db.query_one("SELECT count(*) AS n FROM login_attempts", &[])
            .await
            .unwrap()
            .get::<i64>("n")
            .unwrap(),
        2
    );

    let (code, out, _) = run(b.paideia().args(["verify-backup", "--json"]).arg(&path));
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["trial_restore"], b.engine().as_str());
}

async fn seed_is_deterministic_and_refuses_non_empty(b: Backend) {
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z")
        .unwrap()
        .to_utc();
    let db = migrated(&b).await;
    let report = paideia::seed::seed(&db, 1, 99, now).await.unwrap();
    assert!(
        report.rows > 500 && report.submissions > 0 && report.grades > 0,
        "{report:?}"
    );
    let other = Backend::new(b.engine()).await;
    let other_db = migrated(&other).await;
    paideia::seed::seed(&other_db, 1, 99, now).await.unwrap();
    let (a, c) = (
        dump_to(&db, &b.dir.path().join("a.sql")).await,
        dump_to(&other_db, &other.dir.path().join("c.sql")).await,
    );
    let hashes = |m: &Manifest| {
        m.tables
            .iter()
            .filter(|t| t.name != "paideia_migrations")
            .map(|t| (t.name.clone(), t.hash.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(hashes(&a), hashes(&c), "the same seed gives the same data");
    let (code, _, err) = run(b.paideia().args(["seed", "--scale", "1"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("already has users") && err.contains("--force"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn psql_restores_a_postgres_dump_by_itself() {
    let b = Backend::postgres().await;
    let db = migrated(&b).await;
    insert_edge_rows(&db).await;
    paideia::seed::seed(&db, 1, 5, chrono::Utc::now())
        .await
        .unwrap();
    let path = b.dir.path().join("plain.sql");
    let (code, _, err) = run(b.paideia().args(["dump", "--output"]).arg(&path));
    assert_eq!(code, 0, "{err}");
    let target = Backend::postgres().await;
    let out = std::process::Command::new("psql")
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            target.url.expose(),
            "-f",
        ])
        .arg(&path)
        .output()
        .expect("psql is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let restored = target.db().await;
    assert_eq!(snapshot(&restored).await, snapshot(&db).await);
    let (code, _, err) = run(target.paideia().args(["migrate", "verify"]));
    assert_eq!(code, 0, "{err}");
    insert_a_user(&restored)
        .await
        .expect("psql's restore moved the sequences too");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dump_to_stdout_is_a_complete_dump() {
    let b = Backend::sqlite();
    let db = migrated(&b).await;
    insert_edge_rows(&db).await;
    let out = b.paideia().args(["dump", "-o", "-"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("dumped ")
            && String::from_utf8_lossy(&out.stderr).contains(" tables, "),
        "the summary goes to stderr"
    );
    let path = b.dir.path().join("piped.sql.zst");
    std::fs::write(&path, &out.stdout).unwrap();
    let report = backup::verify(&path, Some(Scratch::Sqlite(b.dir.path().to_path_buf())))
        .await
        .unwrap();
    // A row per applied migration and two of the schema record besides the edge rows.
    let migrations = paideia::migrate::MigrationSet::embedded(paideia::db::Engine::Sqlite)
        .iter()
        .count() as u64;
    assert_eq!(
        report.rows,
        14 + 2 + migrations,
        "the edge rows and the bookkeeping rows"
    );
}

/// The staging schemas (`paideia_restore_<pid>`) in a PostgreSQL database; none on SQLite.
/// A new account in a restored database: fails when its sequences were left behind.
async fn insert_a_user(db: &Db) -> Result<u64, paideia::db::DbError> {
    db.execute("INSERT INTO users (email, display_name, password_hash) VALUES ('after@example.org', 'After', 'x')", &[])
        .await
}

async fn staging_schemas(db: &Db) -> Vec<String> {
    if db.engine() == Engine::Sqlite {
        return Vec::new();
    }
    db.query(
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'paideia\\_restore\\_%' ORDER BY 1",
        &[],
    )
    .await
    .unwrap()
    .iter()
    .map(|r| r.get::<String>("nspname").unwrap())
    .collect()
}

/// Every constraint (with whether it was checked), index and sequence of the current schema.
async fn postgres_schema(db: &Db) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT conrelid::regclass::text || ' ' || conname || ' ' || convalidated || ' ' || pg_get_constraintdef(oid) AS d
           FROM pg_constraint WHERE connamespace = current_schema()::regnamespace",
        "SELECT indexdef AS d FROM pg_indexes WHERE schemaname = current_schema()",
        "SELECT sequencename AS d FROM pg_sequences WHERE schemaname = current_schema()",
    ] {
        for row in db.query(sql, &[]).await.unwrap() {
            out.push(row.get::<String>("d").unwrap());
        }
    }
    out.sort();
    out
}

/// A restore over two connections ends with the schema `migrate up` makes: every key,
/// index and identity sequence in the target schema, every foreign key checked, and nothing
/// left in a staging schema.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_restore_ends_with_the_migrated_schema() {
    let b = Backend::postgres().await;
    let db = migrated(&b).await;
    insert_edge_rows(&db).await;
    paideia::seed::seed(&db, 1, 5, chrono::Utc::now())
        .await
        .unwrap();
    let path = b.dir.path().join("dump.sql.zst");
    dump_to(&db, &path).await;
    let target = Backend::postgres().await;
    let restored = target.db().await;
    restore_into(&restored, &path).await.unwrap();
    assert_eq!(snapshot(&restored).await, snapshot(&db).await);
    assert_eq!(postgres_schema(&restored).await, postgres_schema(&db).await);
    assert_eq!(staging_schemas(&restored).await, Vec::<String>::new());
    insert_a_user(&restored)
        .await
        .expect("the identity sequences moved past the restored ids");
}

/// A role that may not create a schema in its database (it does not own it, and CREATE was
/// not granted) restores as before staging, in one transaction on one connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_that_may_not_create_a_schema_restores_in_one_transaction() {
    let b = Backend::postgres().await;
    let db = migrated(&b).await;
    paideia::seed::seed(&db, 1, 5, chrono::Utc::now())
        .await
        .unwrap();
    let path = b.dir.path().join("dump.sql.zst");
    dump_to(&db, &path).await;
    let target = Backend::postgres().await;
    let role = format!("paideia_nocreate_{}", std::process::id());
    let owner = target.db().await;
    for sql in [
        format!("CREATE ROLE {role} LOGIN"),
        format!("GRANT USAGE, CREATE ON SCHEMA public TO {role}"),
    ] {
        owner.execute(&sql, &[]).await.unwrap();
    }
    let url = target
        .url
        .expose()
        .replacen("postgres@", &format!("{role}@"), 1);
    let restored = Db::connect(&paideia::db::DatabaseUrl::parse(&url).unwrap(), 2)
        .await
        .unwrap();
    let outcome = restore_into(&restored, &path).await;
    let (after, before) = (snapshot(&restored).await, snapshot(&db).await);
    drop(restored);
    drop(owner);
    drop(target);
    db.execute(&format!("DROP ROLE IF EXISTS {role}"), &[])
        .await
        .unwrap();
    outcome.unwrap();
    assert_eq!(after, before);
}

/// A restore killed while it loads leaves the target as it was and its staging schema
/// behind; the next restore drops that schema and restores.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_restore_drops_a_killed_restores_staging_schema() {
    let b = Backend::postgres().await;
    let db = migrated(&b).await;
    paideia::seed::seed(&db, 10, 1, chrono::Utc::now())
        .await
        .unwrap();
    let path = b.dir.path().join("dump.sql");
    dump_to(&db, &path).await;
    let expected = snapshot(&db).await;
    let (target, restored) = killed_while_staging(&path).await;
    let mut conn = restored.conn().await.unwrap();
    let tables = catalog::tables(&mut conn, Engine::Postgres).await.unwrap();
    drop(conn);
    assert!(tables.is_empty(), "the target was touched: {tables:?}");
    assert_eq!(
        staging_schemas(&restored).await.len(),
        1,
        "a schema is left"
    );
    // The killed restore's backend ends when it notices its client is gone; until then its
    // schema counts as a running restore's.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while restored
        .query_opt(
            "SELECT 1 AS n FROM pg_namespace n JOIN pg_stat_activity a ON n.nspname = 'paideia_restore_' || a.pid",
            &[],
        )
        .await
        .unwrap()
        .is_some()
    {
        assert!(std::time::Instant::now() < deadline, "the killed backend lives on");
        std::thread::sleep(Duration::from_millis(10));
    }
    let (_, out, _) = run(target.paideia().args(["doctor", "--json"]));
    assert!(
        out.contains("restore leftovers"),
        "doctor reports it: {out}"
    );

    let (code, _, err) = run(target.paideia().arg("restore").arg(&path));
    assert_eq!(code, 0, "{err}");
    assert_eq!(snapshot(&restored).await, expected);
    assert_eq!(staging_schemas(&restored).await, Vec::<String>::new());
}

/// A new database and a restore of `path` into it, killed once its staging schema is there
/// (tried again when a restore was done before it was seen).
async fn killed_while_staging(path: &Path) -> (Backend, Db) {
    for _ in 0..5 {
        let target = Backend::postgres().await;
        let restored = target.db().await;
        let mut child = target
            .paideia()
            .arg("restore")
            .arg(path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while staging_tables(&restored).await == 0 && child.try_wait().unwrap().is_none() {
            assert!(std::time::Instant::now() < deadline, "no staging schema");
            std::thread::sleep(Duration::from_millis(1));
        }
        let _ = child.kill();
        let finished = child.wait().unwrap().success();
        if !finished {
            return (target, restored);
        }
    }
    panic!("every restore was done before its staging schema was seen");
}

async fn staging_tables(db: &Db) -> i64 {
    db.query_one(
        "SELECT count(*) AS n FROM pg_tables WHERE schemaname LIKE 'paideia\\_restore\\_%'",
        &[],
    )
    .await
    .unwrap()
    .get("n")
    .unwrap()
}
