//! S3 under faults, through a fault-injecting proxy in front of the S3 test server: the
//! server answers SlowDown, stops, cuts connections mid-upload, or never answers, during a
//! student's upload (`serve`), `backup run --to s3://…` and `backup restore --remote`.
//! Nothing half-written becomes visible, retries follow object_store's backoff, the error
//! names the bucket and the operation in words, and the next run succeeds.

use std::time::{Duration, Instant};

use paideia::storage::Storage;
use reqwest::StatusCode;

use crate::{
    files_check::three_files,
    leftovers::{Site, Where},
    support::{
        Backend,
        faults::{Fault, FaultProxy},
        run,
        s3::{ACCESS_KEY, S3Server, SECRET_KEY},
    },
};

const MIB: usize = 1024 * 1024;

/// Polls until `done` holds, for at most 10 s.
async fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    true
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_under_faults() {
    paideia::install_crypto_provider();
    let s3 = S3Server::start();
    let bucket = s3.bucket.clone();
    let proxy = FaultProxy::start(s3.addr).await;
    let mut site = Site::new(Where::S3(s3)).await;
    site.env.push(("PAIDEIA_S3_ENDPOINT_URL", proxy.endpoint()));
    site.env.push(("PAIDEIA_S3_TIMEOUT", "3".into()));
    let server = site.serve();
    let consistent = || async { site.objects().0 == site.recorded().await };

    // Two SlowDowns: object_store backs off and retries, and the upload lands.
    proxy.set(Fault::SlowDown(2));
    assert_eq!(
        site.upload(&server, 10 * MIB).await,
        Some(StatusCode::CREATED)
    );
    assert_eq!(proxy.slowdowns_answered(), 2);
    assert_eq!(site.recorded().await.len(), 1);
    assert!(consistent().await);

    // A slow server (each answer held back 400 ms, within the timeout): slower, not failed.
    proxy.set(Fault::Delay(Duration::from_millis(400)));
    assert_eq!(site.upload(&server, MIB).await, Some(StatusCode::CREATED));
    assert_eq!(site.recorded().await.len(), 2);

    // Every connection cut after 3 MiB of a part: the upload fails, the multipart upload is
    // aborted, and nothing of it is visible.
    proxy.set(Fault::ResetAfter(3 * MIB));
    let status = site.upload(&server, 12 * MIB).await;
    assert_eq!(
        status,
        Some(StatusCode::INTERNAL_SERVER_ERROR),
        "{}",
        server.log()
    );
    proxy.set(Fault::None);
    assert!(
        eventually(|| site.objects().1.is_empty()).await,
        "{:?}",
        site.objects().1
    );
    assert!(consistent().await);
    let log = server.log();
    assert!(
        log.contains(&format!(
            "S3 bucket {bucket}: cannot upload a part of media/"
        )),
        "{log}"
    );

    // The server stops: the upload fails at once, naming the bucket and the operation.
    proxy.set(Fault::Down);
    let status = site.upload(&server, 2 * MIB).await;
    assert_eq!(status, Some(StatusCode::INTERNAL_SERVER_ERROR));
    let log = server.log();
    assert!(
        log.contains(&format!("S3 bucket {bucket}: cannot upload media/"))
            && log.contains("the server refused the connection"),
        "{log}"
    );
    // (object_store's own retry notices quote reqwest; the error itself is in words.)
    let error = log.lines().rfind(|l| l.contains("ERROR")).unwrap();
    assert!(!error.contains("error sending request"), "{error}");

    // Back: the next upload succeeds, and the bucket holds exactly the recorded files.
    proxy.set(Fault::None);
    assert_eq!(
        site.upload(&server, 2 * MIB).await,
        Some(StatusCode::CREATED)
    );
    assert_eq!(site.recorded().await.len(), 3);
    assert!(consistent().await);
    assert!(site.objects().1.is_empty());
}

/// The settings that send backups to `bucket` on `proxy`'s server; media stay local.
fn backup_env(proxy: &FaultProxy, bucket: &str) -> Vec<(&'static str, String)> {
    vec![
        ("PAIDEIA_S3_ENDPOINT_URL", proxy.endpoint()),
        ("PAIDEIA_S3_ACCESS_KEY", ACCESS_KEY.into()),
        ("PAIDEIA_S3_SECRET_KEY", SECRET_KEY.into()),
        ("PAIDEIA_S3_TIMEOUT", "2".into()),
        ("PAIDEIA_BACKUP_TO", format!("s3://{bucket}/site")),
    ]
}

/// The ids of the complete (good) sets in the off-site copy.
fn remote_sets(b: &Backend, env: &[(&'static str, String)]) -> Vec<String> {
    let (code, out, err) = run(b
        .paideia()
        .envs(env.iter().cloned())
        .args(["backup", "list", "--remote", "--json"]));
    assert_eq!(code, 0, "{err}");
    let sets: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    sets.iter()
        .filter(|s| s["complete"] == true)
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_under_faults() {
    let s3 = S3Server::start();
    let proxy = FaultProxy::start(s3.addr).await;
    let env = backup_env(&proxy, &s3.bucket);
    let b = Backend::sqlite();
    let files = Storage::local(&b.data_dir().join("files")).await.unwrap();
    three_files(&b, &files).await;
    // One file large enough for a multipart upload.
    let big = Storage::new_key("media", chrono::Utc::now()).unwrap();
    let info = files
        .put_bytes(&big, vec![7u8; 12 * MIB].into())
        .await
        .unwrap();
    let db = b.db().await;
    db.execute(
        "INSERT INTO media (storage_key, file_name, content_type, size_bytes, sha256, created_at)
         VALUES ($1, 'big.bin', 'application/octet-stream', $2, $3, $4)",
        &[
            big.as_str().into(),
            (info.size as i64).into(),
            info.sha256.to_vec().into(),
            paideia::db::Value::Time(chrono::Utc::now()),
        ],
    )
    .await
    .unwrap();
    db.close();
    let backup = |args: &[&str]| {
        run(b
            .paideia()
            .envs(env.iter().cloned())
            .arg("backup")
            .args(args))
    };

    // S3 is down: the local set is made, the copy fails and says where and what.
    proxy.set(Fault::Down);
    let (code, _, err) = backup(&["run"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("the off-site copy failed")
            && err.contains(&format!("S3 bucket {}", s3.bucket))
            && err.contains("the server refused the connection"),
        "{err}"
    );
    assert!(err.contains("hint: the local set stays"), "{err}");

    // Connections cut in the middle of each part: the copy fails, no set looks good there,
    // and no multipart upload is left behind.
    proxy.set(Fault::ResetAfter(4 * MIB));
    let (code, _, err) = backup(&["run"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("S3 bucket {}: cannot", s3.bucket)),
        "{err}"
    );
    proxy.set(Fault::None);
    assert_eq!(remote_sets(&b, &env), Vec::<String>::new());
    assert!(
        s3.multipart_leftovers().is_empty(),
        "{:?}",
        s3.multipart_leftovers()
    );

    // SlowDowns: retried with backoff; every local set is copied.
    proxy.set(Fault::SlowDown(2));
    let (code, _, err) = backup(&["run"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(proxy.slowdowns_answered(), 2);
    assert!(err.contains("copied 3 set(s)"), "{err}");
    let sets = remote_sets(&b, &env);
    assert_eq!(sets.len(), 3, "{sets:?}");
    let latest = sets.last().unwrap().clone();

    // Restoring from S3 while it is down, then while it does not answer: refused cleanly,
    // the new install untouched; then it works.
    let fresh = Backend::sqlite();
    // The new install restores with the backup key of the one that made the sets.
    let key = b.data_dir().join("backup.key");
    let restore = || {
        run(fresh
            .paideia()
            .envs(env.iter().cloned())
            .args([
                "backup",
                "restore",
                &latest,
                "--remote",
                "--yes",
                "--key-file",
            ])
            .arg(&key))
    };
    proxy.set(Fault::Down);
    let (code, _, err) = restore();
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("S3 bucket {}", s3.bucket))
            && err.contains("the server refused the connection"),
        "{err}"
    );
    proxy.set(Fault::Silent);
    let started = Instant::now();
    let (code, _, err) = restore();
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("did not answer in time"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(
        !fresh.data_dir().join("files/media").exists(),
        "no file was restored"
    );
    proxy.set(Fault::None);
    let (code, _, err) = restore();
    assert_eq!(code, 0, "{err}");
    assert!(fresh.data_dir().join("files").join(&big).exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_failures_are_told_in_words() {
    let s3 = S3Server::start();
    let proxy = FaultProxy::start(s3.addr).await;
    let dir = tempfile::tempdir().unwrap();
    let doctor = |endpoint: String| {
        let (_, out, _) = run(crate::support::paideia()
            .arg("--data-dir")
            .arg(dir.path())
            .envs(s3.env(&s3.bucket))
            .env("PAIDEIA_S3_ENDPOINT_URL", endpoint)
            .env("PAIDEIA_S3_TIMEOUT", "1")
            .arg("doctor"));
        let storage: Vec<&str> = out
            .lines()
            .skip_while(|l| !l.contains("  storage "))
            .take(2)
            .collect();
        storage.join("\n")
    };
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let refused = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let cases = [
        (
            None,
            refused,
            "the server refused the connection",
            "check that the S3 server is running",
        ),
        (
            Some(Fault::Silent),
            proxy.endpoint(),
            "the server did not answer in time",
            "raise PAIDEIA_S3_TIMEOUT",
        ),
        (
            Some(Fault::SlowDown(1000)),
            proxy.endpoint(),
            "the server answered 503 Service Unavailable (SlowDown) (gave up after 3 retries",
            "overloaded",
        ),
        (
            Some(Fault::ResetAfter(1)),
            proxy.endpoint(),
            "the connection",
            "cut the connection",
        ),
    ];
    for (fault, endpoint, what, hint) in cases {
        if let Some(fault) = fault {
            proxy.set(fault);
        }
        let started = Instant::now();
        let told = doctor(endpoint);
        assert!(told.starts_with("FAIL  storage"), "{told}");
        assert!(
            told.contains(&format!("S3 bucket {}: cannot list", s3.bucket)),
            "{told}"
        );
        assert!(
            told.contains(what) && told.contains(hint),
            "{fault:?}: {told}"
        );
        assert!(started.elapsed() < Duration::from_secs(20), "{fault:?}");
        for driver_words in ["error sending request", "Generic S3 error", "HTTP error"] {
            assert!(!told.contains(driver_words), "{told}");
        }
    }
}
