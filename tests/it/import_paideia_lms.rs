//! `paideia import paideia-lms` against a database made by the real Paideia LMS 0.7.15
//! (tests/fixtures/paideia-lms-0.7.15, restored with psql into a fresh PostgreSQL database) and
//! its objects served by the S3 test server, into SQLite and PostgreSQL: counts, sign-in with
//! a Paideia LMS password, every file's bytes over HTTP, the dry run, a missing file, --files,
//! --merge, kills at three points, and a source left exactly as it was.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::Command,
};

use paideia::db::Db;
use reqwest::StatusCode;
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use crate::{
    on_both_engines,
    support::{Backend, browser::Browser, output, pg::TestDatabase, run, s3::S3Server},
};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/paideia-lms-0.7.15")
}

/// A source: the fixture restored into its own database, and its bucket.
struct Source {
    db: TestDatabase,
    s3: S3Server,
}

impl Source {
    async fn new() -> Source {
        let db = TestDatabase::create().await;
        let sql = std::fs::read_to_string(fixture().join("paideia-lms-0.7.15.sql")).unwrap();
        // psql clients before 15.14 reject pg_dump's \restrict lines.
        let sql: String = sql
            .lines()
            .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
            .map(|l| format!("{l}\n"))
            .collect();
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), sql).unwrap();
        let out = output(
            Command::new("psql")
                .args(["-v", "ON_ERROR_STOP=1", "-q", "-o", "/dev/null", "-f"])
                .arg(file.path())
                .arg(db.url.expose()),
        );
        assert!(
            out.status.success(),
            "psql -f: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let s3 = S3Server::start();
        let bucket = s3.root().join(&s3.bucket);
        for entry in std::fs::read_dir(fixture().join("s3")).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, bucket.join(path.file_name().unwrap())).unwrap();
        }
        Source { db, s3 }
    }

    fn url(&self) -> String {
        self.db.url.expose().to_string()
    }

    /// Paideia LMS's own variables for its bucket.
    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("S3_ENDPOINT_URL", self.s3.endpoint()),
            ("S3_BUCKET", self.s3.bucket.clone()),
            ("S3_ACCESS_KEY", crate::support::s3::ACCESS_KEY.to_string()),
            ("S3_SECRET_KEY", crate::support::s3::SECRET_KEY.to_string()),
            ("S3_REGION", "us-east-1".to_string()),
        ]
    }

    fn bucket(&self) -> PathBuf {
        self.s3.root().join(&self.s3.bucket)
    }

    /// Every table's row count and the md5 of its rows, and every object's name and SHA-256.
    async fn fingerprint(&self) -> BTreeMap<String, String> {
        let db = Db::connect(&self.db.url, 1).await.unwrap();
        let mut found = BTreeMap::new();
        let tables = db
            .query(
                "SELECT table_name::text AS t FROM information_schema.tables
                 WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
                &[],
            )
            .await
            .unwrap();
        for row in tables {
            let table: String = row.get("t").unwrap();
            let sql = format!(
                "SELECT count(*)::int8 AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS h
                 FROM public.\"{table}\" x"
            );
            let r = db.query_one(&sql, &[]).await.unwrap();
            let n: i64 = r.get("n").unwrap();
            let h: String = r.get("h").unwrap();
            found.insert(format!("table {table}"), format!("{n} {h}"));
        }
        db.close();
        for entry in std::fs::read_dir(self.bucket()).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            found.insert(
                format!("object {}", path.file_name().unwrap().to_string_lossy()),
                hex::encode(Sha256::digest(&bytes)),
            );
        }
        found
    }
}

fn import(
    b: &Backend,
    source: &Source,
    extra: &[&str],
    env: &[(&str, String)],
) -> (i32, String, String) {
    let mut cmd = b.paideia();
    cmd.args(["import", "paideia-lms", "--from", &source.url()])
        .args(extra)
        .envs(source.env())
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    run(&mut cmd)
}

fn import_json(b: &Backend, source: &Source, extra: &[&str]) -> Json {
    let args: Vec<&str> = ["--json"]
        .iter()
        .copied()
        .chain(extra.iter().copied())
        .collect();
    let (code, out, err) = import(b, source, &args, &[]);
    assert_eq!(code, 0, "import failed: {err}\n{out}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

async fn count(db: &Db, sql: &str) -> i64 {
    db.query_one(&format!("SELECT count(*) AS n FROM {sql}"), &[])
        .await
        .unwrap()
        .get("n")
        .unwrap()
}

/// The site's counts per kind, to compare with the report.
async fn site_counts(db: &Db) -> BTreeMap<String, i64> {
    let mut c = BTreeMap::new();
    for (kind, sql) in [
        ("accounts", "users"),
        ("courses", "courses"),
        ("sections", "sections"),
        ("enrollments", "enrollments"),
        (
            "pages",
            "modules WHERE kind = 'page' AND id NOT IN (SELECT module_id FROM forums)
             AND id NOT IN (SELECT module_id FROM quizzes)",
        ),
        ("quizzes", "quizzes"),
        ("quiz_questions", "quiz_slots"),
        ("quiz_attempts", "quiz_attempts"),
        (
            "quiz_grades",
            "grades WHERE item_id IN (SELECT id FROM gradebook_items
             WHERE module_id IN (SELECT module_id FROM quizzes))",
        ),
        ("forums", "forums"),
        ("file_modules", "modules WHERE kind = 'file'"),
        ("assignments", "assignments"),
        ("submissions", "submissions"),
        ("submission_files", "submission_files"),
        ("page_images", "module_attachments"),
        ("gradebook_items", "gradebook_items"),
        (
            "grades",
            "grades WHERE item_id NOT IN (SELECT id FROM gradebook_items
             WHERE module_id IN (SELECT module_id FROM quizzes))",
        ),
        ("threads", "discussion_threads"),
        ("posts", "discussion_posts"),
    ] {
        c.insert(kind.to_string(), count(db, sql).await);
    }
    c
}

fn report_counts(report: &Json) -> BTreeMap<String, i64> {
    report["counts"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.as_str() != "accounts_reused")
        .map(|(k, v)| (k.clone(), v.as_i64().unwrap()))
        .collect()
}

on_both_engines!(imports_the_fixture, kills_leave_an_empty_or_complete_site);

async fn imports_the_fixture(b: Backend) {
    let source = Source::new().await;
    let before = source.fingerprint().await;

    // The dry run reports the same and writes nothing.
    let dry = import_json(&b, &source, &["--dry-run"]);
    assert_eq!(dry["dry_run"], true);
    if b.engine() == paideia::db::Engine::Sqlite {
        assert!(
            !b.url.sqlite_path().exists(),
            "a dry run creates no database"
        );
    } else {
        let db = b.db().await;
        let tables = count(
            &db,
            "information_schema.tables WHERE table_schema = 'public'",
        )
        .await;
        assert_eq!(tables, 0, "a dry run creates no table");
        db.close();
    }
    assert!(
        !b.data_dir().join("files").exists(),
        "a dry run copies no file"
    );

    let report = import_json(&b, &source, &[]);
    assert_eq!(report["dry_run"], false);
    let counts = report_counts(&report);
    assert_eq!(
        report_counts(&dry),
        counts,
        "the dry run counts what the import does"
    );
    // What the fixture holds (README.md): 44 accounts, 3 courses, 9 sections, 68 enrollments
    // of which 2 inactive and 4 dropped, 3 pages, a file module with 3 files placed in two
    // courses, 2 assignments with 12 submissions (2 files), 2 discussions with 13 posts in 5
    // threads, 2 quizzes (one with a page of resources, one a container of two nested
    // quizzes; 14 questions that exist here, a whiteboard that does not) with 7 attempts, 10
    // gradebook items of which 2 belong to the quizzes.
    let expected = [
        ("accounts", 44),
        ("courses", 3),
        ("sections", 9),
        ("enrollments", 62),
        ("pages", 3),
        ("page_images", 1),
        ("file_modules", 6),
        ("assignments", 2),
        ("forums", 2),
        ("threads", 5),
        ("posts", 13),
        ("submissions", 12),
        ("submission_files", 2),
        ("gradebook_items", 10),
        ("quizzes", 2),
        ("quiz_questions", 14),
        ("quiz_attempts", 7),
    ];
    for (kind, n) in expected {
        assert_eq!(counts.get(kind), Some(&n), "{kind} in {counts:?}");
    }
    let db = b.db().await;
    let site = site_counts(&db).await;
    for (kind, n) in &counts {
        assert_eq!(
            site.get(kind),
            Some(n),
            "{kind}: the site against the report"
        );
    }
    let not_carried = report["not_carried"].as_array().unwrap();
    let reasons: Vec<String> = not_carried
        .iter()
        .map(|s| format!("{} {}: {}", s["kind"], s["what"], s["reason"]))
        .collect();
    for kind in [
        "quiz question",
        "quiz grades",
        "whiteboard",
        "enrollment",
        "groups",
        "notes",
    ] {
        assert!(
            not_carried.iter().any(|s| s["kind"] == kind),
            "{kind} is reported: {reasons:#?}"
        );
    }
    assert_eq!(report["files"]["missing"], 0);
    assert_eq!(
        report["files"]["copied"].as_u64().unwrap(),
        9,
        "one copy per placement"
    );

    // Passwords are kept as Paideia LMS's hash until their first use, never in plain.
    let hash: String = db
        .query_one(
            "SELECT password_hash FROM users WHERE email = 'student04@paideia-school.test'",
            &[],
        )
        .await
        .unwrap()
        .get("password_hash")
        .unwrap();
    assert!(
        hash.starts_with("$paideia-lms-pbkdf2-sha256$i=25000$"),
        "{hash}"
    );
    // Quiz attempts are marked again (Paideia LMS scored the first one, all right, 3 of 23):
    // its 7 automatic questions give 14 marks and its two essays wait for a grader; the
    // attempt still running stays open.
    let rows = db
        .query(
            "SELECT a.marks, a.needs_grading, a.submitted_at IS NULL AS running,
                    (SELECT count(*) FROM quiz_attempt_questions q
                     WHERE q.attempt_id = a.id AND q.response LIKE '%makes both sides equal%') AS essay
             FROM quiz_attempts a ORDER BY a.started_at",
            &[],
        )
        .await
        .unwrap();
    let first = &rows[0];
    assert_eq!(
        first.get::<Option<String>>("marks").unwrap().as_deref(),
        Some("14")
    );
    assert!(first.get::<bool>("needs_grading").unwrap());
    assert_eq!(
        first.get::<i64>("essay").unwrap(),
        1,
        "the essay answer is kept"
    );
    let running: Vec<bool> = rows.iter().map(|r| r.get("running").unwrap()).collect();
    assert_eq!(running.iter().filter(|r| **r).count(), 1, "{running:?}");
    // One attempt left its essays blank (0 when submitted), so it is fully marked: the only
    // quiz grade.
    assert_eq!(
        counts.get("quiz_grades"),
        Some(&1),
        "essays wait: {counts:?}"
    );

    // The archived course and its status; times keep their instants.
    let status: String = db
        .query_one(
            "SELECT status FROM courses WHERE slug = 'bio-110-intro-biology-2023'",
            &[],
        )
        .await
        .unwrap()
        .get("status")
        .unwrap();
    assert_eq!(status, "archived");
    let due: chrono::DateTime<chrono::Utc> = db
        .query_one(
            "SELECT due_at FROM assignments JOIN modules ON modules.id = assignments.module_id
             WHERE modules.title = 'Homework 1: Linear equations'",
            &[],
        )
        .await
        .unwrap()
        .get("due_at")
        .unwrap();
    assert_eq!(due.to_rfc3339(), "2026-12-03T13:41:10.955+00:00");

    // A student signs in with their Paideia LMS password and sees their course, submission
    // and released grade; the password is then stored as Argon2id.
    let (server, _lms) = crate::support::browser::start(&b).await;
    let student = Browser::new(&server);
    let wrong = student
        .sign_in("student04@paideia-school.test", "Student#04-wrong")
        .await;
    assert_ne!(
        wrong.status(),
        StatusCode::SEE_OTHER,
        "a wrong password is refused"
    );
    let response = student
        .sign_in("student04@paideia-school.test", "Student#04-pw")
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "sign-in with the Paideia LMS password"
    );
    let (status, home) = student.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("Algebra I"), "{home}");
    let homework: i64 = db
        .query_one(
            "SELECT id FROM modules WHERE title = 'Homework 1: Linear equations'",
            &[],
        )
        .await
        .unwrap()
        .get("id")
        .unwrap();
    let (status, page) = student
        .get(&format!("/courses/math-101-algebra-i/modules/{homework}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("homework1-answers.pdf"),
        "their submission's file: {page}"
    );
    assert!(page.contains("95"), "their released grade: {page}");
    assert!(
        page.contains("Excellent, clear PDF."),
        "the feedback: {page}"
    );
    let rehashed: String = db
        .query_one(
            "SELECT password_hash FROM users WHERE email = 'student04@paideia-school.test'",
            &[],
        )
        .await
        .unwrap()
        .get("password_hash")
        .unwrap();
    assert!(rehashed.starts_with("$argon2id$"), "{rehashed}");
    let again = Browser::new(&server);
    let response = again
        .sign_in("student04@paideia-school.test", "Student#04-pw")
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "and signs in again with it"
    );

    // Every imported file downloads with the source's bytes (the admin sees every course).
    let admin = Browser::new(&server);
    let response = admin
        .sign_in("admin@paideia-school.test", "Admin#Paideia2024")
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let rows = db
        .query(
            "SELECT media.id, media.file_name, courses.slug, modules.id AS module_id, 'module' AS how, 0 AS sub
               FROM modules JOIN media ON media.id = modules.media_id JOIN courses ON courses.id = modules.course_id
             UNION ALL
             SELECT media.id, media.file_name, '' AS slug, 0 AS module_id, 'attachment' AS how, 0 AS sub
               FROM module_attachments JOIN media ON media.id = module_attachments.media_id
             UNION ALL
             SELECT media.id, media.file_name, courses.slug, 0 AS module_id, 'submission' AS how, submissions.id AS sub
               FROM submission_files JOIN media ON media.id = submission_files.media_id
               JOIN submissions ON submissions.id = submission_files.submission_id
               JOIN modules ON modules.id = submissions.assignment_id JOIN courses ON courses.id = modules.course_id",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(
        rows.len(),
        9,
        "6 file modules, 1 page image, 2 submission files"
    );
    for row in rows {
        let id: i64 = row.get("id").unwrap();
        let name: String = row.get("file_name").unwrap();
        let slug: String = row.get("slug").unwrap();
        let path = match row.get::<String>("how").unwrap().as_str() {
            "module" => format!(
                "/courses/{slug}/modules/{}/download",
                row.get::<i64>("module_id").unwrap()
            ),
            "attachment" => format!("/attachments/{id}/{name}"),
            _ => format!(
                "/courses/{slug}/submissions/{}/files/{id}",
                row.get::<i64>("sub").unwrap()
            ),
        };
        let response = admin.fetch(&path, &[]).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let bytes = response.bytes().await.unwrap();
        let source_bytes = std::fs::read(fixture().join("s3").join(&name)).unwrap();
        assert_eq!(
            bytes.as_ref(),
            source_bytes.as_slice(),
            "{name} through {path}"
        );
    }
    // The page's image points at its attachment.
    let body: String = db
        .query_one(
            "SELECT body_html FROM modules WHERE title = 'Start here'",
            &[],
        )
        .await
        .unwrap()
        .get("body_html")
        .unwrap();
    assert!(body.contains("/attachments/"), "{body}");
    assert!(!body.contains("/api/media/file/"), "{body}");
    drop(server);
    db.close();

    // Importing again into the now full site is refused, with a hint.
    let (code, _, err) = import(&b, &source, &[], &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("already has") && err.contains("hint:") && err.contains("--merge"),
        "{err}"
    );

    assert_eq!(
        source.fingerprint().await,
        before,
        "the source is unchanged"
    );
}

async fn kills_leave_an_empty_or_complete_site(b: Backend) {
    let source = Source::new().await;
    for point in ["after-files", "mid-transaction", "before-commit"] {
        let (code, _, err) = import(
            &b,
            &source,
            &[],
            &[("PAIDEIA_TEST_IMPORT_ABORT_AT", point.to_string())],
        );
        assert_ne!(code, 0, "aborted at {point}: {err}");
        let db = b.db().await;
        assert_eq!(count(&db, "users").await, 0, "after a kill at {point}");
        assert_eq!(count(&db, "courses").await, 0, "after a kill at {point}");
        db.close();
    }
    let report = import_json(&b, &source, &[]);
    assert_eq!(
        report["files"]["reused"].as_u64().unwrap(),
        9,
        "the copies are reused"
    );
    assert_eq!(report["files"]["copied"].as_u64().unwrap(), 0);
    let db = b.db().await;
    assert_eq!(count(&db, "users").await, 44);
    assert_eq!(count(&db, "submissions").await, 12);
    db.close();
}

/// A file missing from the bucket and an email used twice are reported; the rest is imported.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_files_and_emails_used_twice_are_reported() {
    let b = Backend::sqlite();
    let source = Source::new().await;
    std::fs::remove_file(source.bucket().join("formula-sheet.txt")).unwrap();
    // An email Paideia LMS holds twice (its unique index is case-sensitive).
    let src = Db::connect(&source.db.url, 1).await.unwrap();
    src.execute(
        "INSERT INTO users (email, first_name, last_name, role, salt, hash, _verified, updated_at, created_at)
         VALUES ('STUDENT04@paideia-school.test', 'Dup', 'Licate', 'student', 'aa', 'bb', true, now(), now())",
        &[],
    )
    .await
    .unwrap();
    src.close();
    let report = import_json(&b, &source, &[]);
    let twice: Vec<&Json> = report["not_carried"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "account")
        .collect();
    assert_eq!(twice.len(), 1, "{report:#}");
    assert_eq!(twice[0]["what"], "STUDENT04@paideia-school.test");
    assert!(
        twice[0]["reason"]
            .as_str()
            .unwrap()
            .contains("email used twice")
    );
    assert_eq!(report["files"]["missing"], 1);
    let missing: Vec<&Json> = report["not_carried"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["what"] == "formula-sheet.txt")
        .collect();
    assert!(!missing.is_empty(), "{report:#}");
    assert!(
        missing
            .iter()
            .all(|s| s["reason"].as_str().unwrap().contains("missing"))
    );
    assert_eq!(report["counts"]["file_modules"], 4);
    assert_eq!(report["counts"]["accounts"], 44);
}

/// `--files DIR` reads the objects from a folder instead of the bucket; the human report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_from_a_folder() {
    let b = Backend::sqlite();
    let source = Source::new().await;
    let mut cmd = b.paideia();
    cmd.args(["import", "paideia-lms", "--from", &source.url(), "--files"])
        .arg(fixture().join("s3"));
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("imported from Paideia LMS"), "{out}");
    assert!(out.contains("not carried over"), "{out}");
    assert!(out.contains("9 copied"), "{out}");
    let db = b.db().await;
    assert_eq!(count(&db, "media").await, 9);
    db.close();

    // No source for the files: one line and a hint.
    let b = Backend::sqlite();
    let mut cmd = b.paideia();
    cmd.args(["import", "paideia-lms", "--from", &source.url()]);
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 1);
    assert!(
        err.contains("error: no source for Paideia LMS's files") && err.contains("hint:"),
        "{err}"
    );
}

/// `--merge` reuses accounts by email, changes nothing existing, and moves a taken address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merge_into_a_site_with_data() {
    let b = Backend::postgres().await;
    let source = Source::new().await;
    let mut cmd = b.paideia();
    cmd.args(["migrate", "up"]);
    assert_eq!(run(&mut cmd).0, 0);
    let db = b.db().await;
    db.execute(
        "INSERT INTO users (email, display_name, password_hash, role) VALUES ('Student04@Paideia-School.test', 'Dmitri', 'x', 'student')",
        &[],
    )
    .await
    .unwrap();
    db.execute(
        "INSERT INTO courses (slug, title) VALUES ('math-101-algebra-i', 'Our own algebra')",
        &[],
    )
    .await
    .unwrap();
    let (code, _, err) = import(&b, &source, &[], &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("hint:") && err.contains("--merge"), "{err}");

    let report = import_json(&b, &source, &["--merge"]);
    assert_eq!(report["counts"]["accounts_reused"], 1);
    assert_eq!(report["counts"]["accounts"], 43);
    assert_eq!(count(&db, "users").await, 44);
    let title: String = db
        .query_one(
            "SELECT title FROM courses WHERE slug = 'math-101-algebra-i'",
            &[],
        )
        .await
        .unwrap()
        .get("title")
        .unwrap();
    assert_eq!(title, "Our own algebra", "nothing existing changes");
    let hash: String = db
        .query_one(
            "SELECT password_hash FROM users WHERE lower(email) = 'student04@paideia-school.test'",
            &[],
        )
        .await
        .unwrap()
        .get("password_hash")
        .unwrap();
    assert_eq!(hash, "x", "the existing account is not changed");
    let moved = count(
        &db,
        "courses WHERE slug = 'math-101-algebra-i-2' AND title = 'Algebra I'",
    )
    .await;
    assert_eq!(moved, 1);
    let enrolled = count(
        &db,
        "enrollments JOIN users ON users.id = enrollments.user_id WHERE users.display_name = 'Dmitri'",
    )
    .await;
    assert!(enrolled > 0, "the reused account gets the enrollments");
    db.close();
}

/// Into a site whose files are on S3 too: Paideia LMS's `S3_*` name the source bucket only,
/// the site's `PAIDEIA_S3_*` its own, and the copies land there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn into_a_site_on_s3() {
    let b = Backend::sqlite();
    let source = Source::new().await;
    let site = S3Server::start();
    let before = source.fingerprint().await;
    let (code, out, err) = import(&b, &source, &["--json"], &site.env(&site.bucket));
    assert_eq!(code, 0, "{err}");
    let report: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(report["files"]["copied"], 9);
    let copies = std::fs::read_dir(site.root().join(&site.bucket).join("media/paideia-lms"))
        .unwrap()
        .count();
    assert_eq!(copies, 9, "the copies are in the site's bucket");
    assert_eq!(
        source.fingerprint().await,
        before,
        "the source bucket is unchanged"
    );
}
