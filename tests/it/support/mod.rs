//! Shared fixtures: an isolated database per test on either engine, an empty storage on either
//! backend, the real binary, and a running server on a random port.

pub mod browser;
pub mod chrome;
pub mod class;
pub mod faults;
pub mod pg;
pub mod releases;
pub mod s3;
pub mod server;
pub mod smtp;

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use paideia::{
    db::{DatabaseUrl, Db, Engine},
    envvars,
    storage::Storage,
};
use tempfile::TempDir;

/// One isolated database and data directory; both are removed when it is dropped.
pub struct Backend {
    pub url: DatabaseUrl,
    pub dir: TempDir,
    _pg: Option<pg::TestDatabase>,
}

impl Backend {
    pub async fn new(engine: Engine) -> Backend {
        match engine {
            Engine::Sqlite => Backend::sqlite(),
            Engine::Postgres => Backend::postgres().await,
        }
    }

    pub fn sqlite() -> Backend {
        let dir = tempfile::tempdir().unwrap();
        Backend {
            url: DatabaseUrl::sqlite_file(&dir.path().join("paideia.db")),
            dir,
            _pg: None,
        }
    }

    pub async fn postgres() -> Backend {
        let db = pg::TestDatabase::create().await;
        Backend {
            url: db.url.clone(),
            dir: tempfile::tempdir().unwrap(),
            _pg: Some(db),
        }
    }

    pub fn engine(&self) -> Engine {
        self.url.engine()
    }

    pub async fn db(&self) -> Db {
        Db::connect(&self.url, 4).await.unwrap()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The real binary with this backend's database and data directory.
    pub fn paideia(&self) -> Command {
        let mut cmd = paideia();
        cmd.arg("--data-dir")
            .arg(self.data_dir())
            .arg("--database-url")
            .arg(self.url.expose());
        cmd
    }
}

/// The real binary with none of the caller's paideia settings in its environment.
pub fn paideia() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paideia"));
    for (name, _) in envvars::ALL {
        cmd.env_remove(name)
            .env_remove(format!("{name}{}", envvars::FILE_SUFFIX));
    }
    cmd.env_remove("RUST_LOG");
    cmd
}

/// A plain HTTP GET with reqwest, the client paideia itself uses.
pub async fn get(url: impl reqwest::IntoUrl) -> reqwest::Result<reqwest::Response> {
    paideia::install_crypto_provider();
    reqwest::get(url).await
}

/// Runs a command; returns (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = output(cmd);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `cmd` to its end. A binary a test has just copied can be briefly "busy" (ETXTBSY)
/// while another test thread forks a child that has not yet exec'd and still holds the
/// copy's descriptor; that is retried.
pub fn output(cmd: &mut Command) -> std::process::Output {
    let mut tries = 0;
    loop {
        match cmd.output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other.expect("run paideia"),
        }
    }
}

/// Declares `sqlite` and `postgres` tests that call `$case(Backend)`.
#[macro_export]
macro_rules! on_both_engines {
    ($($case:ident),* $(,)?) => {$(
        mod $case {
            use paideia::db::Engine;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$case($crate::support::Backend::new(Engine::Sqlite).await).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$case($crate::support::Backend::new(Engine::Postgres).await).await
            }
        }
    )*};
}

/// An empty storage of one backend, and the files behind it; removed when dropped.
pub struct TestStorage {
    pub storage: Storage,
    /// The folder holding everything the backend wrote (for S3, the server's whole root).
    root: PathBuf,
    _dir: Option<TempDir>,
    s3: Option<s3::S3Server>,
}

impl TestStorage {
    pub async fn local() -> TestStorage {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("files");
        TestStorage {
            storage: Storage::local(&root).await.unwrap(),
            root,
            _dir: Some(dir),
            s3: None,
        }
    }

    pub fn s3() -> TestStorage {
        let server = s3::S3Server::start();
        TestStorage {
            storage: Storage::s3(&server.settings()).unwrap(),
            root: server.root().to_path_buf(),
            _dir: None,
            s3: Some(server),
        }
    }

    /// Every file the backend keeps for objects, hidden and temporary ones included; on S3
    /// also the server's records of multipart uploads not completed or aborted.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        match &self.s3 {
            None => walk(&self.root, &mut found),
            Some(server) => {
                walk(&self.root.join(&server.bucket), &mut found);
                found.extend(server.multipart_leftovers());
            }
        }
        found
    }
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, found);
        } else {
            found.push(path);
        }
    }
}

/// Declares `local` and `s3` tests that call `$case(&TestStorage)`.
#[macro_export]
macro_rules! on_both_storages {
    ($($case:ident),* $(,)?) => {$(
        mod $case {
            use $crate::support::TestStorage;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn local() {
                super::$case(&TestStorage::local().await).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn s3() {
                super::$case(&TestStorage::s3()).await
            }
        }
    )*};
}
