//! The admin system page: build and schema versions, database engine, storage backend, and the
//! last backup, verification and restore from the `backup_runs` log; hidden from everyone else.

use chrono::{Duration, Utc};
use paideia::{
    db::{Db, Engine},
    lms::SystemRole,
    migrate::MigrationSet,
    version,
};
use reqwest::StatusCode;

use crate::{
    on_both_engines,
    support::{
        Backend,
        browser::{Browser, account, start},
    },
};

on_both_engines!(the_system_page);

async fn log_run(db: &Db, kind: &str, finished: chrono::DateTime<Utc>, ok: bool, location: &str) {
    db.execute(
        "INSERT INTO backup_runs (kind, started_at, finished_at, succeeded, location, detail, paideia_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            kind.into(),
            (finished - Duration::minutes(1)).into(),
            finished.into(),
            ok.into(),
            location.into(),
            "".into(),
            version::VERSION.into(),
        ],
    )
    .await
    .unwrap();
}

/// A time as the page shows it to someone reading UTC (the test site's zone).
fn shown(t: chrono::DateTime<Utc>) -> String {
    paideia::lms::Zone::UTC.show(t)
}

/// The table row of `label` on the page.
fn row<'a>(page: &'a str, label: &str) -> &'a str {
    let start = page
        .find(&format!(r#"<th scope="row">{label}</th>"#))
        .unwrap_or_else(|| panic!("no row {label}: {page}"));
    let rest = &page[start..];
    &rest[..rest.find("</tr>").unwrap()]
}

async fn the_system_page(b: Backend) {
    let (server, lms) = start(&b).await;
    account(&lms, "root@example.org", SystemRole::Admin).await;
    account(&lms, "teach@example.org", SystemRole::Instructor).await;
    let admin = Browser::signed_in(&server, "root@example.org").await;
    let teacher = Browser::signed_in(&server, "teach@example.org").await;

    let (status, page) = admin.get("/admin/system").await;
    assert_eq!(status, StatusCode::OK);
    let schema = MigrationSet::embedded(b.engine()).schema_version();
    let engine = match b.engine() {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgres",
    };
    assert!(page.contains(&format!("<dd>{engine}</dd>")), "{page}");
    assert!(page.contains(version::VERSION) && page.contains(version::GIT_COMMIT));
    assert!(
        page.contains(&format!(
            "{schema} in the database; this binary knows up to {schema}"
        )),
        "{page}"
    );
    assert!(page.contains("<dd>local "), "{page}");
    for label in ["Backup", "Verification", "Restore"] {
        assert_eq!(row(&page, label).matches("none recorded").count(), 2);
    }
    assert!(
        page.contains(r#"href="/admin/system""#),
        "linked from the navigation"
    );

    // A good backup, then a failed one; a verification.
    let db = b.db().await;
    let now = Utc::now();
    let good = now - Duration::hours(26);
    let failed = now - Duration::hours(2);
    let verified = now - Duration::hours(25);
    log_run(&db, "backup", good, true, "/srv/backups/good.sql.zst").await;
    log_run(&db, "backup", failed, false, "/srv/backups/bad.sql.zst").await;
    log_run(&db, "verify", verified, true, "/srv/backups/good.sql.zst").await;

    let (_, page) = admin.get("/admin/system").await;
    let backup = row(&page, "Backup");
    assert!(
        backup.contains(&shown(failed))
            && backup.contains("failed")
            && backup.contains(&shown(good))
            && backup.contains("bad.sql.zst"),
        "{backup}"
    );
    let verify = row(&page, "Verification");
    assert!(
        verify.contains(&shown(verified)) && verify.contains("succeeded"),
        "{verify}"
    );
    assert_eq!(row(&page, "Restore").matches("none recorded").count(), 2);

    let (status, page) = teacher.get("/admin/system").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!page.contains("Database engine"));
    assert!(!page.contains(r#"href="/admin/system""#));
}
