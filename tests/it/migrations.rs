//! The migration engine against both engines: from empty, restarts, failures that change
//! nothing, concurrent starts, checksums, the compatibility record and contract migrations.

use paideia::{
    db::{Db, Engine, Executor},
    migrate::{
        Compatibility, MigrateError, Migration, MigrationSet, MigrationState, Migrator, UpOptions,
    },
};
use semver::Version;

use crate::{
    on_both_engines,
    support::{Backend, run, server::Server},
};

fn v(s: &str) -> Version {
    Version::parse(s).unwrap()
}

/// The embedded set plus test-only migrations (ids from 9001, far from real ones).
fn set_with(engine: Engine, extra: &[(&str, &str)]) -> MigrationSet {
    let mut all: Vec<Migration> = MigrationSet::embedded(engine).iter().cloned().collect();
    all.extend(
        extra
            .iter()
            .map(|(name, sql)| Migration::parse(name, sql).unwrap()),
    );
    MigrationSet::new(all).unwrap()
}

/// Every table, column and index, as text, to compare before and after.
async fn schema(db: &Db) -> Vec<String> {
    let sql = match db.engine() {
        Engine::Postgres => {
            "SELECT table_name || '.' || column_name || ' ' || data_type AS d FROM information_schema.columns
               WHERE table_schema = current_schema()
             UNION ALL SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = current_schema()
             ORDER BY 1"
        }
        Engine::Sqlite => "SELECT type || ' ' || name || ' ' || coalesce(sql, '') AS d FROM sqlite_master ORDER BY 1",
    };
    db.query(sql, &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String>("d").unwrap())
        .collect()
}

async fn count(db: &Db, table: &str) -> i64 {
    db.query_one(&format!("SELECT count(*) AS n FROM {table}"), &[])
        .await
        .unwrap()
        .get("n")
        .unwrap()
}

async fn add_user(db: &Db, email: &str) {
    db.execute(
        "INSERT INTO users (email, display_name, password_hash) VALUES ($1, $2, $3)",
        &[email.into(), "Test User".into(), "not-a-hash".into()],
    )
    .await
    .unwrap();
}

on_both_engines!(
    fresh_database_migrates_once_and_reports_status,
    failing_migration_leaves_schema_and_data_unchanged,
    concurrent_processes_apply_each_migration_once,
    changed_checksum_is_refused,
    unknown_but_compatible_migrations_are_accepted,
    incompatible_database_is_refused,
    contract_migrations_wait_for_the_flag,
    dry_run_prints_sql_and_changes_nothing,
);

async fn fresh_database_migrates_once_and_reports_status(b: Backend) {
    let embedded = MigrationSet::embedded(b.engine());
    let (code, out, err) = run(b.paideia().args(["migrate", "up"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("applied {} migration(s)", embedded.iter().count())),
        "{out}"
    );

    let (code, out, _) = run(b.paideia().args(["migrate", "up"]));
    assert_eq!(code, 0);
    assert!(out.contains("up to date"), "{out}");

    let (code, out, _) = run(b.paideia().args(["migrate", "status"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("core_schema") && out.contains("applied") && out.contains("current"),
        "{out}"
    );

    let (code, out, _) = run(b.paideia().args(["migrate", "status", "--json"]));
    assert_eq!(code, 0);
    let status: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        status["binary_schema_version"],
        status["database_schema_version"]
    );
    assert_eq!(status["compatibility"]["result"], "current");
    assert!(
        status["migrations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["state"] == "applied")
    );

    // A server start on the migrated database applies nothing and records nothing new.
    let db = b.db().await;
    let before = count(&db, "paideia_migrations").await;
    let server = Server::start({
        let mut c = b.paideia();
        c.arg("serve");
        c
    });
    let ready = crate::support::get(server.url("/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200);
    assert!(
        !server.log().contains("applied migration"),
        "{}",
        server.log()
    );
    assert_eq!(count(&db, "paideia_migrations").await, before);
}

async fn failing_migration_leaves_schema_and_data_unchanged(b: Backend) {
    let db = b.db().await;
    let good = MigrationSet::embedded(b.engine());
    Migrator::new(&db, good, v("0.1.0"))
        .up(UpOptions::default())
        .await
        .unwrap();
    add_user(&db, "before@example.org").await;
    let schema_before = schema(&db).await;

    let broken = set_with(
        b.engine(),
        &[(
            "9001_broken.sql",
            "-- paideia: kind=expand transaction=true
             CREATE TABLE extra (id INTEGER PRIMARY KEY);
             INSERT INTO users (email, display_name, password_hash) VALUES ('during@example.org', 'D', 'x');
             ALTER TABLE users ADD COLUMN nickname TEXT;
             SELECT no_such_function();",
        )],
    );
    let err = Migrator::new(&db, &broken, v("0.1.0"))
        .up(UpOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, MigrateError::Failed { id: 9001, name, .. } if name == "broken"),
        "{err}"
    );
    assert!(
        err.to_string().contains("no_such_function"),
        "the database's error is named: {err}"
    );
    assert!(err.hint().unwrap().contains("as it was"));

    assert_eq!(
        schema(&db).await,
        schema_before,
        "the schema must be exactly as before"
    );
    assert_eq!(
        count(&db, "users").await,
        1,
        "the data must be exactly as before"
    );
    assert_eq!(
        count(&db, "paideia_migrations").await,
        good.iter().count() as i64
    );
    let status = Migrator::new(&db, &broken, v("0.1.0"))
        .status()
        .await
        .unwrap();
    assert_eq!(
        status.migrations.last().unwrap().state,
        MigrationState::Pending
    );
}

async fn concurrent_processes_apply_each_migration_once(b: Backend) {
    let children: Vec<_> = (0..8)
        .map(|_| {
            b.paideia()
                .args(["migrate", "up"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let db = b.db().await;
    let rows = db
        .query(
            "SELECT id, count(*) AS n FROM paideia_migrations GROUP BY id ORDER BY id",
            &[],
        )
        .await
        .unwrap();
    let ids: Vec<i64> = rows.iter().map(|r| r.get("id").unwrap()).collect();
    let expected: Vec<i64> = MigrationSet::embedded(b.engine())
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(ids, expected);
    assert!(rows.iter().all(|r| r.get::<i64>("n").unwrap() == 1));
}

async fn changed_checksum_is_refused(b: Backend) {
    let (code, _, err) = run(b.paideia().args(["migrate", "up"]));
    assert_eq!(code, 0, "{err}");
    let db = b.db().await;
    db.execute(
        "UPDATE paideia_migrations SET checksum = 'edited' WHERE id = 1",
        &[],
    )
    .await
    .unwrap();

    let (code, _, err) = run(b.paideia().args(["migrate", "verify"]));
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("migration 1 (core_schema) has changed") && err.contains("hint:"),
        "{err}"
    );

    let (code, _, err) = run(b.paideia().arg("serve"));
    assert_eq!(code, 1, "serve must refuse: {err}");
    assert!(err.contains("has changed"), "{err}");

    let err = Migrator::embedded(&db)
        .up(UpOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, MigrateError::ChecksumMismatch { id: 1, .. }),
        "{err}"
    );
}

async fn unknown_but_compatible_migrations_are_accepted(b: Backend) {
    let db = b.db().await;
    let newer = set_with(
        b.engine(),
        &[(
            "9001_add_bio.sql",
            "-- paideia: kind=expand transaction=true\nALTER TABLE users ADD COLUMN bio TEXT;",
        )],
    );
    let report = Migrator::new(&db, &newer, v("0.1.9"))
        .up(UpOptions::default())
        .await
        .unwrap();
    assert!(report.applied.iter().any(|(id, _)| *id == 9001));

    let older = Migrator::new(&db, MigrationSet::embedded(b.engine()), v("0.1.0"));
    let status = older.verify().await.unwrap();
    assert!(
        matches!(
            status.compatibility,
            Compatibility::Compatible { unknown: 1, .. }
        ),
        "{status:?}"
    );
    assert!(
        status
            .migrations
            .iter()
            .any(|m| m.id == 9001 && m.state == MigrationState::Unknown)
    );
    assert!(
        older
            .up(UpOptions::default())
            .await
            .unwrap()
            .applied
            .is_empty()
    );

    // The real binary (0.1.0) runs against it: verify passes and the server becomes ready.
    let (code, out, err) = run(b.paideia().args(["migrate", "verify"]));
    assert_eq!(code, 0, "{out}{err}");
    let server = Server::start({
        let mut c = b.paideia();
        c.arg("serve");
        c
    });
    assert_eq!(
        crate::support::get(server.url("/readyz"))
            .await
            .unwrap()
            .status(),
        200
    );
}

async fn incompatible_database_is_refused(b: Backend) {
    let db = b.db().await;
    let next_major = set_with(
        b.engine(),
        &[(
            "9001_drop_bio.sql",
            "-- paideia: kind=contract transaction=true\nCREATE TABLE replaced_things (id INTEGER PRIMARY KEY);",
        )],
    );
    Migrator::new(&db, &next_major, v("1.0.0"))
        .up(UpOptions { contract: true })
        .await
        .unwrap();

    let err = Migrator::new(&db, MigrationSet::embedded(b.engine()), v("0.9.0"))
        .verify()
        .await
        .unwrap_err();
    assert!(matches!(err, MigrateError::Incompatible { .. }), "{err}");

    let (code, _, err) = run(b.paideia().args(["migrate", "verify"]));
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("needs paideia 1.0.0 or newer"), "{err}");
    let (code, _, err) = run(b.paideia().args(["migrate", "up"]));
    assert_eq!(code, 1, "{err}");
    let (code, _, err) = run(b.paideia().arg("serve"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("hint: run a newer paideia binary"), "{err}");
}

async fn contract_migrations_wait_for_the_flag(b: Backend) {
    let db = b.db().await;
    let set = set_with(
        b.engine(),
        &[
            (
                "9001_expand.sql",
                "-- paideia: kind=expand\nCREATE TABLE first_new (id INTEGER PRIMARY KEY);",
            ),
            (
                "9002_contract.sql",
                "-- paideia: kind=contract\nDROP TABLE first_new;",
            ),
        ],
    );
    let migrator = Migrator::new(&db, &set, v("2.0.0"));
    let report = migrator.up(UpOptions::default()).await.unwrap();
    assert!(report.applied.iter().any(|(id, _)| *id == 9001));
    assert_eq!(report.held_back, vec![(9002, "contract".to_string())]);
    let min = |db: Db| async move {
        db.query_one(
            "SELECT value FROM paideia_schema_info WHERE key = 'min_binary_version'",
            &[],
        )
        .await
        .unwrap()
        .get::<String>("value")
        .unwrap()
    };
    assert_eq!(
        min(db.clone()).await,
        "2.0.0",
        "a new database starts at the applier's series"
    );

    let report = migrator.up(UpOptions { contract: true }).await.unwrap();
    assert_eq!(report.applied, vec![(9002, "contract".to_string())]);
    assert!(db.query("SELECT * FROM first_new", &[]).await.is_err());
}

async fn dry_run_prints_sql_and_changes_nothing(b: Backend) {
    let db = b.db().await;
    let (code, out, err) = run(b.paideia().args(["migrate", "up", "--dry-run"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("-- migration 0001_core_schema") && out.contains("CREATE TABLE users"),
        "{out}"
    );
    let mut conn = db.conn().await.unwrap();
    let tables = match b.engine() {
        Engine::Postgres => {
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()"
        }
        Engine::Sqlite => "SELECT count(*) AS n FROM sqlite_master",
    };
    assert_eq!(
        conn.query_one(tables, &[])
            .await
            .unwrap()
            .get::<i64>("n")
            .unwrap(),
        0
    );
}

/// A process that holds the migration lock makes others wait, say so, and give up in time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_for_the_migration_lock_is_logged_and_bounded() {
    let b = Backend::postgres().await;
    let db = b.db().await;
    let mut holder = db.dedicated().await.unwrap();
    holder
        .batch_execute("SELECT pg_advisory_lock(7271946310337203)")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let (code, _, err) = run(b
        .paideia()
        .env("PAIDEIA_MIGRATION_LOCK_TIMEOUT", "1")
        .args(["migrate", "up"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("waiting for the migration lock held by another paideia process"),
        "{err}"
    );
    assert!(
        err.contains("gave up after 1s") && err.contains("hint:"),
        "{err}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    drop(holder);
    let (code, _, err) = run(b.paideia().args(["migrate", "up"]));
    assert_eq!(code, 0, "the lock is free once its holder is gone: {err}");
}

/// A concurrent index build that fails leaves an invalid index behind, which `IF NOT EXISTS`
/// would skip forever: the next run drops it and builds it again, one statement at a time
/// outside any transaction (as PostgreSQL requires of CONCURRENTLY).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_concurrent_index_build_is_built_again() {
    let b = Backend::postgres().await;
    let db = b.db().await;
    let set = set_with(
        Engine::Postgres,
        &[
            (
                "9001_ledger.sql",
                "-- paideia: kind=expand transaction=true
                 CREATE TABLE ledger (v INTEGER NOT NULL);
                 INSERT INTO ledger (v) VALUES (1), (2), (2);",
            ),
            (
                "9002_ledger_unique.sql",
                "-- paideia: kind=expand transaction=false
                 CREATE INDEX CONCURRENTLY IF NOT EXISTS ledger_plain_idx ON ledger (v);
                 CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ledger_v_idx ON ledger (v);",
            ),
        ],
    );
    assert!(paideia::migrate::policy::expand_violations(Engine::Postgres, &set).is_empty());
    assert!(paideia::migrate::policy::transaction_violations(Engine::Postgres, &set).is_empty());
    let validity = |name: &'static str| {
        let db = db.clone();
        async move {
            db.query_opt(
                "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass($1::text)",
                &[name.into()],
            )
            .await
            .unwrap()
            .map(|r| r.get::<bool>("valid").unwrap())
        }
    };

    let err = Migrator::new(&db, &set, v("0.1.0"))
        .up(UpOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, MigrateError::Failed { id: 9002, .. })
            && err.to_string().contains("ledger_v_idx"),
        "{err}"
    );
    assert_eq!(validity("ledger_plain_idx").await, Some(true));
    assert_eq!(
        validity("ledger_v_idx").await,
        Some(false),
        "PostgreSQL leaves the failed build's index, invalid"
    );
    let status = Migrator::new(&db, &set, v("0.1.0")).status().await.unwrap();
    let state = |id: i64| {
        let entry = status.migrations.iter().find(|m| m.id == id).unwrap();
        entry.state
    };
    assert!(state(9001) == MigrationState::Applied && state(9002) == MigrationState::Pending);

    db.execute(
        "DELETE FROM ledger WHERE ctid IN (SELECT ctid FROM ledger WHERE v = 2 LIMIT 1)",
        &[],
    )
    .await
    .unwrap();
    let report = Migrator::new(&db, &set, v("0.1.0"))
        .up(UpOptions::default())
        .await
        .unwrap();
    assert_eq!(report.applied, [(9002, "ledger_unique".to_string())]);
    assert_eq!(validity("ledger_plain_idx").await, Some(true));
    assert_eq!(
        validity("ledger_v_idx").await,
        Some(true),
        "the invalid index was dropped and built again"
    );
    let err = db
        .execute("INSERT INTO ledger (v) VALUES (1)", &[])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("ledger_v_idx"), "{err}");
}

/// The release dump fixtures (`tests/fixtures/dumps/release-X.Y.Z-ENGINE.sql.zst`, one pair
/// added with every release, docs/releasing.md): each release's version and newest migration
/// id.
fn released_schemas() -> Vec<(Version, i64)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dumps");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("release-") {
            continue;
        }
        let manifest = paideia::backup::peek_manifest(&path)
            .unwrap_or_else(|e| panic!("{name} has no manifest: {e}"));
        let version = Version::parse(&manifest.paideia_version).unwrap();
        found.push((version, manifest.schema_version));
    }
    found.sort();
    found
}

#[test]
fn contract_migrations_come_only_with_a_new_release_series() {
    let current = Version::parse(env!("CARGO_PKG_VERSION")).unwrap();
    let newest_release = released_schemas().pop();
    for engine in [Engine::Postgres, Engine::Sqlite] {
        let set = MigrationSet::embedded(engine);
        paideia::migrate::policy::contract_needs_new_series(
            set,
            newest_release.as_ref().map(|(v, id)| (v, *id)),
            &current,
        )
        .unwrap_or_else(|e| panic!("{engine}: {e}"));
    }
}
