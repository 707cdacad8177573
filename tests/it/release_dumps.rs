//! Every release's own dumps (`tests/fixtures/dumps/release-X.Y.Z-ENGINE.sql.zst`, one pair added
//! with each release, docs/releasing.md) restore into both engines with this binary, migrate
//! forward, and the site then answers: the health check, a sign-in and the API.

use std::path::{Path, PathBuf};

use paideia::migrate::Migrator;
use reqwest::StatusCode;

use crate::{
    on_both_engines,
    support::{Backend, browser::Browser, get, run, server::Server},
};

/// The account every release fixture holds besides the seeded data, and its password
/// (tests/fixtures/dumps/README.md says how the fixtures are made).
const ADMIN: &str = "admin@school.example";
const PASSWORD: &str = "correct horse battery";

fn release_fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dumps");
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("release-")
        })
        .collect();
    found.sort();
    found
}

on_both_engines!(release_dumps_restore_migrate_and_serve);

async fn release_dumps_restore_migrate_and_serve(b: Backend) {
    let fixtures = release_fixtures();
    assert!(
        fixtures
            .iter()
            .any(|p| p.ends_with("release-0.1.0-sqlite.sql.zst"))
            && fixtures
                .iter()
                .any(|p| p.ends_with("release-0.1.0-postgres.sql.zst")),
        "the first release's fixtures are missing: {fixtures:?}"
    );
    for dump in fixtures {
        let name = dump.file_name().unwrap().to_string_lossy().into_owned();
        let target = Backend::new(b.engine()).await;
        let (code, _, err) = run(target.paideia().arg("restore").arg(&dump));
        assert_eq!(code, 0, "{name}: {err}");
        let status = Migrator::embedded(&target.db().await)
            .verify()
            .await
            .unwrap();
        assert_eq!(
            status.database_schema_version, status.binary_schema_version,
            "{name} did not migrate forward"
        );

        let mut serve = target.paideia();
        serve.arg("serve");
        let server = Server::start(serve);
        let ready = get(server.url("/readyz")).await.unwrap();
        assert_eq!(ready.status(), StatusCode::OK, "{name}: /readyz");

        // The release's administrator signs in and sees the seeded courses.
        let browser = Browser::new(&server);
        let response = browser.sign_in(ADMIN, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{name}: sign-in");
        let (status, home) = browser.get("/").await;
        assert_eq!(status, StatusCode::OK, "{name}: home");
        assert!(
            home.contains("Biology 1"),
            "{name}: home without the courses"
        );

        // A token made now works against the restored data through the API.
        let (code, token, err) = run(target.paideia().args([
            "user",
            "token",
            "create",
            "--email",
            ADMIN,
            "--name",
            "release-check",
        ]));
        assert_eq!(code, 0, "{name}: {err}");
        let courses: serde_json::Value = reqwest::Client::new()
            .get(server.url("/api/v1/courses"))
            .bearer_auth(token.trim())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(
            courses["total"].as_i64().unwrap_or(0) > 0,
            "{name}: {courses}"
        );
    }
}
