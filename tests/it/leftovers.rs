//! What kill -9 leaves, and that the next run clears it: dumps killed at random points leave
//! only leased temporary files that the next `dump` removes; `serve` killed during uploads, on
//! the files folder and on S3, leaves temporary files, unfinished multipart uploads and files
//! with no row, and the next `serve` plus `storage gc` leave exactly the files the database
//! knows. Leftovers are made older than the safe age by moving their clocks back, as time
//! would.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::Stdio,
    sync::Arc,
    time::{Duration, Instant},
};

use futures_util::StreamExt;
use paideia::{
    lms::{CourseInput, Lms, SystemClock, SystemRole, assignments::AssignmentInput},
    storage::temp,
};

use crate::support::{Backend, browser::account, run, s3::S3Server, server::Server};

/// How many times each test kills its process (`TEST_KILLS` asks for more, for measuring).
fn kills() -> usize {
    std::env::var("TEST_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(6)
}

/// Every file under `dir` (recursively) with its size.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, u64> {
    let mut found = BTreeMap::new();
    walk(dir, &mut found);
    found
}

fn walk(dir: &Path, found: &mut BTreeMap<PathBuf, u64>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue; // removed meanwhile
        };
        if meta.is_dir() {
            walk(&path, found);
        } else {
            found.insert(path, meta.len());
        }
    }
}

/// Moves the modification time of every file under `dir` back by `by`, as if that much time
/// had passed since the kill.
pub fn age_files(dir: &Path, by: Duration) {
    for path in tree(dir).keys() {
        let Ok(file) = std::fs::File::options().append(true).open(path) else {
            continue; // removed meanwhile
        };
        let modified = file.metadata().unwrap().modified().unwrap();
        file.set_modified(modified - by).unwrap();
    }
}

/// Waits (with a deadline) until the files under `dir` stop changing: requests that reached
/// the S3 server before a kill still run to their end there.
pub async fn settle(dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut last = tree(dir);
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = tree(dir);
        if now == last || Instant::now() > deadline {
            return;
        }
        last = now;
    }
}

fn hidden(files: &BTreeMap<PathBuf, u64>) -> (usize, u64) {
    let found: Vec<u64> = files
        .iter()
        .filter(|(p, _)| p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .map(|(_, size)| *size)
        .collect();
    (found.len(), found.iter().sum())
}

fn random_delay(max: Duration) -> Duration {
    max.mul_f64(rand::random::<f64>())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_dumps_leave_nothing_after_the_next_dump() {
    let b = Backend::sqlite();
    let (code, _, err) = run(b.paideia().args(["seed", "--scale", "30"]));
    assert_eq!(code, 0, "{err}");
    let out = b.dir.path().join("dumps");
    std::fs::create_dir(&out).unwrap();
    let target = out.join("nightly.sql.zst");
    let started = Instant::now();
    let (code, _, err) = run(b.paideia().args(["dump", "--force", "-o"]).arg(&target));
    assert_eq!(code, 0, "{err}");
    let full = started.elapsed();

    for _ in 0..kills() {
        let mut child = b
            .paideia()
            .args(["dump", "--force", "-o"])
            .arg(&target)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(random_delay(full));
        child.kill().unwrap();
        child.wait().unwrap();
    }
    let (count, bytes) = hidden(&tree(&out));
    println!(
        "after {} kills of dump: {count} temporary file(s), {bytes} bytes",
        kills()
    );
    for (path, _) in tree(&out) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') {
            assert!(temp::recognise(&name).is_some(), "{name}: a leased name");
        }
    }

    age_files(&out, temp::SAFE_AGE + Duration::from_secs(60));
    let (code, _, err) = run(b.paideia().args(["dump", "--force", "-o"]).arg(&target));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        tree(&out).into_keys().collect::<Vec<_>>(),
        vec![target.clone()],
        "only the dump is left: {err}"
    );
    let (code, _, err) = run(b.paideia().arg("verify-backup").arg(&target));
    assert_eq!(code, 0, "{err}");
}

/// A held temporary file is never removed, however old: a dump running beside another is safe.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_dumps_file_is_not_swept() {
    let b = Backend::sqlite();
    let (code, _, err) = run(b.paideia().args(["migrate", "up"]));
    assert_eq!(code, 0, "{err}");
    let out = b.dir.path().join("dumps");
    std::fs::create_dir(&out).unwrap();
    let held = temp::TempFile::create_in(&out, "other.sql").unwrap();
    age_files(&out, temp::SAFE_AGE * 3);
    let (code, _, err) = run(b.paideia().args(["dump", "-o"]).arg(out.join("a.sql")));
    assert_eq!(code, 0, "{err}");
    assert!(held.path().exists(), "the lease keeps it");
}

pub enum Where {
    Folder,
    S3(S3Server),
}

/// A site with a student who may hand in files of up to 64 MiB, as many times as they like.
pub struct Site {
    pub b: Backend,
    pub store: Where,
    pub lms: Lms,
    token: String,
    path: String,
    /// The environment of every command run for this site (the S3 settings, and what a test
    /// adds: later entries win).
    pub env: Vec<(&'static str, String)>,
}

impl Site {
    pub async fn new(store: Where) -> Site {
        let b = Backend::sqlite();
        let (code, _, err) = run(b.paideia().args(["migrate", "up"]));
        assert_eq!(code, 0, "{err}");
        let lms = Lms::new(b.db().await, Arc::new(SystemClock));
        let teacher = account(&lms, "teach@example.org", SystemRole::Instructor).await;
        let student = account(&lms, "stu@example.org", SystemRole::Student).await;
        let course = CourseInput {
            title: "Biology".into(),
            slug: "bio".into(),
            description: String::new(),
            status: "published".into(),
        };
        lms.create_course(&teacher, &course).await.unwrap();
        let view = lms.course_view(&teacher, "bio").await.unwrap();
        lms.enroll(&view, "stu@example.org", "student")
            .await
            .unwrap();
        let section = lms.sections(&view).await.unwrap()[0].id;
        let input = AssignmentInput {
            section_id: section.to_string(),
            title: "Lab report".into(),
            instructions: "<p>Hand in your data.</p>".into(),
            max_points: "10".into(),
            max_file_mib: "64".into(),
            accepts_files: Some("true".into()),
            ..AssignmentInput::default()
        };
        let assignment = lms.add_assignment(&view, &input).await.unwrap().module.id;
        let token = lms
            .create_token(&student, "uploads", None)
            .await
            .unwrap()
            .secret;
        // Spill files of S3 uploads (`TMPDIR`) in a folder of the site's own: a killed server's
        // are leftovers like the others, and the next server's sweep must find them.
        let spill = b.dir.path().join("tmp");
        std::fs::create_dir(&spill).unwrap();
        let env = match &store {
            Where::Folder => Vec::new(),
            Where::S3(s3) => {
                let mut env = s3.env(&s3.bucket);
                env.push(("TMPDIR", spill.to_string_lossy().into_owned()));
                env
            }
        };
        Site {
            b,
            store,
            lms,
            token,
            path: format!("/api/v1/courses/bio/assignments/{assignment}/submissions/files"),
            env,
        }
    }

    /// The real binary with this site's settings.
    pub fn cmd(&self) -> std::process::Command {
        let mut cmd = self.b.paideia();
        cmd.envs(self.env.iter().map(|(k, v)| (*k, v.as_str())));
        cmd
    }

    pub fn serve(&self) -> Server {
        let mut cmd = self.cmd();
        cmd.arg("serve");
        Server::start(cmd)
    }

    /// Where the storage keeps its files: the files folder, or the S3 server's whole root.
    fn root(&self) -> PathBuf {
        match &self.store {
            Where::Folder => self.b.data_dir().join("files"),
            Where::S3(s3) => s3.root().to_path_buf(),
        }
    }

    /// Where S3 uploads spill what the memory budget does not hold (the server's `TMPDIR`).
    fn spill_dir(&self) -> PathBuf {
        self.b.dir.path().join("tmp")
    }

    /// The stored objects (key → size), and the leftovers: temporary files, the leases of
    /// unfinished uploads, and on S3 the server's records and parts of those uploads.
    pub fn objects(&self) -> (BTreeMap<String, u64>, Vec<PathBuf>) {
        let base = match &self.store {
            Where::Folder => self.root(),
            Where::S3(s3) => s3.root().join(&s3.bucket),
        };
        let mut objects = BTreeMap::new();
        let mut other = Vec::new();
        for (path, size) in tree(&base) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let key = path
                .strip_prefix(&base)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if name.starts_with('.') || key.starts_with("paideia-tmp/") {
                other.push(path);
            } else {
                objects.insert(key, size);
            }
        }
        if let Where::S3(s3) = &self.store {
            other.extend(s3.multipart_leftovers());
            other.extend(tree(&self.spill_dir()).into_keys());
        }
        (objects, other)
    }

    /// The objects the `media` rows refer to, with their sizes.
    pub async fn recorded(&self) -> BTreeMap<String, u64> {
        let db = self.b.db().await;
        let rows = db
            .query("SELECT storage_key, size_bytes FROM media", &[])
            .await
            .unwrap();
        rows.iter()
            .map(|r| {
                (
                    r.get::<String>("storage_key").unwrap(),
                    r.get::<i64>("size_bytes").unwrap() as u64,
                )
            })
            .collect()
    }

    /// Hands in a file of `size` bytes, sent at the pace of a slow connection (a 256 KiB
    /// chunk every 4 ms) so that a kill finds it mid-way; the answer does not matter (the
    /// server may die). The bytes are made before the clock starts (`payload`).
    pub async fn upload(&self, server: &Server, size: usize) -> Option<reqwest::StatusCode> {
        self.upload_bytes(server, payload(size)).await
    }

    pub async fn upload_bytes(
        &self,
        server: &Server,
        bytes: bytes::Bytes,
    ) -> Option<reqwest::StatusCode> {
        let size = bytes.len();
        let chunks: Vec<bytes::Bytes> = (0..size)
            .step_by(256 * 1024)
            .map(|at| bytes.slice(at..(at + 256 * 1024).min(size)))
            .collect();
        let paced = futures_util::stream::iter(chunks).then(|chunk| async move {
            tokio::time::sleep(Duration::from_millis(4)).await;
            Ok::<_, std::io::Error>(chunk)
        });
        let body = reqwest::Body::wrap_stream(paced);
        let part =
            reqwest::multipart::Part::stream_with_length(body, size as u64).file_name("data.bin");
        let form = reqwest::multipart::Form::new().part("files", part);
        reqwest::Client::new()
            .post(server.url(&self.path))
            .bearer_auth(&self.token)
            .multipart(form)
            .send()
            .await
            .ok()
            .map(|r| r.status())
    }
}

const MIB: usize = 1024 * 1024;

/// `size` bytes that differ from one to the next.
pub fn payload(size: usize) -> bytes::Bytes {
    (0..size)
        .map(|i| (i % 251) as u8)
        .collect::<Vec<u8>>()
        .into()
}

async fn killed_uploads_leave_exactly_the_recorded_files(store: Where) {
    paideia::install_crypto_provider();
    let site = Site::new(store).await;
    let bodies: Vec<bytes::Bytes> = [3, 9, 17, 24]
        .iter()
        .map(|mib| payload(mib * MIB + 12_345))
        .collect();
    for _ in 0..kills() {
        let mut server = site.serve();
        let uploads = futures_util::future::join_all(
            bodies
                .iter()
                .map(|body| site.upload_bytes(&server, body.clone())),
        );
        tokio::select! {
            _ = uploads => {}
            _ = tokio::time::sleep(random_delay(Duration::from_millis(800))) => {}
        }
        server.child.kill().unwrap();
        server.child.wait().unwrap();
    }
    settle(&site.root()).await;
    let recorded = site.recorded().await;
    let (objects, other) = site.objects();
    let orphans: Vec<_> = objects
        .keys()
        .filter(|k| !recorded.contains_key(*k))
        .collect();
    let other_bytes: u64 = other
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    println!(
        "after {} kills of serve during uploads: {} recorded file(s), {} orphan(s), {} temporary or unfinished-upload file(s) ({other_bytes} bytes)",
        kills(),
        recorded.len(),
        orphans.len(),
        other.len(),
    );

    // A day and more passes; the next server sweeps the temporary files and the unfinished
    // uploads at start, and `storage gc` removes the files no row refers to.
    age_files(&site.root(), Duration::from_secs(2 * 24 * 3600));
    if let Where::S3(_) = &site.store {
        age_files(&site.spill_dir(), Duration::from_secs(2 * 24 * 3600));
    }
    let server = site.serve();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !site.objects().1.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(site.objects().1, Vec::<PathBuf>::new(), "{}", server.log());
    let (code, _, err) = run(site.cmd().args(["storage", "gc", "--yes"]));
    assert_eq!(code, 0, "{err}");
    let (objects, other) = site.objects();
    assert_eq!(objects, site.recorded().await, "{err}");
    assert!(other.is_empty(), "{other:?}");

    // And the site still takes uploads.
    site.upload(&server, 10 * MIB).await;
    assert_eq!(site.objects().0, site.recorded().await);
    assert_eq!(site.recorded().await.len(), recorded.len() + 1);
    drop(site.lms);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_uploads_on_the_files_folder() {
    killed_uploads_leave_exactly_the_recorded_files(Where::Folder).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_uploads_on_s3() {
    killed_uploads_leave_exactly_the_recorded_files(Where::S3(S3Server::start())).await;
}

/// `storage gc --dry-run` lists and removes nothing; without a terminal and without --yes it
/// refuses to remove files.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_gc_asks_and_dry_run_removes_nothing() {
    let site = Site::new(Where::Folder).await;
    let orphan = site
        .root()
        .join("media/2020/01/0123456789abcdef0123456789abcdef");
    std::fs::create_dir_all(orphan.parent().unwrap()).unwrap();
    std::fs::write(&orphan, b"nobody's").unwrap();
    let young = site
        .root()
        .join("media/2020/01/fedcba9876543210fedcba9876543210");
    age_files(&site.root(), Duration::from_secs(2 * 24 * 3600));
    std::fs::write(&young, b"in flight").unwrap();

    let (code, out, err) = run(site
        .b
        .paideia()
        .args(["storage", "gc", "--dry-run", "--json"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("would remove") && err.contains("0123456789abcdef"),
        "{err}"
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["orphans"].as_array().unwrap().len(), 1, "{out}");
    assert!(orphan.exists() && young.exists());

    let (code, _, err) = run(site
        .b
        .paideia()
        .args(["storage", "gc"])
        .stdin(Stdio::null()));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("refusing") && err.contains("--yes"), "{err}");
    assert!(orphan.exists());

    let (code, _, err) = run(site.b.paideia().args(["storage", "gc", "--yes"]));
    assert_eq!(code, 0, "{err}");
    assert!(!orphan.exists(), "the old orphan goes");
    assert!(
        young.exists(),
        "a file younger than a day stays: its row may be on its way"
    );
}
