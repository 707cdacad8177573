//! Shared fixtures: an isolated database per test on either engine, the real binary, and a
//! running server on a random port.

pub mod pg;
pub mod server;

use std::{path::PathBuf, process::Command};

use paideia::{
    db::{DatabaseUrl, Db, Engine},
    envvars,
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
    let out = cmd.output().expect("run paideia");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
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
