//! PostgreSQL for tests: PAIDEIA_TEST_DATABASE_URL when set (`throwaway` forces the last
//! option), else the server on
//! 127.0.0.1:5432 when it answers, else a throwaway cluster started from the machine's initdb
//! (as the unprivileged `postgres` user when running as root). Each test gets its own
//! database, dropped when the test ends.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
    time::Duration,
};

use paideia::db::DatabaseUrl;

/// A database of its own for one test.
pub struct TestDatabase {
    pub url: DatabaseUrl,
    name: String,
}

/// An admin URL to a server where tests may create databases.
fn server() -> &'static str {
    static SERVER: OnceLock<String> = OnceLock::new();
    SERVER.get_or_init(|| {
        match std::env::var("PAIDEIA_TEST_DATABASE_URL") {
            Ok(url) if url == "throwaway" => return throwaway_cluster(),
            Ok(url) => return url,
            Err(_) => {}
        }
        let local = "postgres://postgres@127.0.0.1:5432/postgres";
        if answers(local) {
            return local.to_string();
        }
        throwaway_cluster()
    })
}

fn answers(url: &str) -> bool {
    std::thread::scope(|s| {
        s.spawn(|| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let conn = tokio_postgres::connect(url, tokio_postgres::NoTls);
                matches!(
                    tokio::time::timeout(Duration::from_secs(3), conn).await,
                    Ok(Ok(_))
                )
            })
        })
        .join()
        .unwrap_or(false)
    })
}

/// Runs admin SQL on a thread of its own, so it works from Drop and from any runtime.
fn admin(sql: String) {
    let url = server().to_string();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .expect("connect to the test PostgreSQL server");
            tokio::spawn(conn);
            client
                .batch_execute(&sql)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        })
    })
    .join()
    .expect("admin SQL");
}

impl TestDatabase {
    pub async fn create() -> TestDatabase {
        let name = format!("paideia_test_{:016x}", rand::random::<u64>());
        admin(format!("CREATE DATABASE {name}"));
        let url = DatabaseUrl::parse(server())
            .unwrap()
            .with_database(&name)
            .unwrap();
        TestDatabase { url, name }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        admin(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

fn find_initdb() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin/initdb")))
        .filter(|p| p.exists())
        .collect();
    found.sort();
    found.pop()
}

/// Starts a cluster in a temporary directory, stopped and removed when the test process exits.
fn throwaway_cluster() -> String {
    let initdb = find_initdb().expect(
        "no PostgreSQL for tests: set PAIDEIA_TEST_DATABASE_URL, run one on 127.0.0.1:5432, or install postgresql",
    );
    let bin = initdb.parent().unwrap().to_path_buf();
    let dir = std::env::temp_dir().join(format!("paideia-pg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let as_root = unsafe { libc::geteuid() } == 0;
    if as_root {
        Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir)
            .status()
            .unwrap();
    }
    let port = 20000 + (std::process::id() % 20000) as u16;
    let sh = |program: &Path, args: &[&str]| {
        let mut cmd = if as_root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        let status = cmd.args(args).status().unwrap();
        assert!(status.success(), "{} {args:?} failed", program.display());
    };
    let data = dir.join("data");
    let data_s = data.to_str().unwrap();
    sh(
        &initdb,
        &["-D", data_s, "-A", "trust", "-U", "postgres", "--no-sync"],
    );
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
        dir.display()
    );
    sh(
        &bin.join("pg_ctl"),
        &[
            "-D",
            data_s,
            "-o",
            &options,
            "-w",
            "-l",
            &format!("{}/log", dir.display()),
            "start",
        ],
    );
    STOP.set((bin.join("pg_ctl"), data, dir, as_root)).ok();
    unsafe { libc::atexit(stop_cluster) };
    format!("postgres://postgres@127.0.0.1:{port}/postgres")
}

static STOP: OnceLock<(PathBuf, PathBuf, PathBuf, bool)> = OnceLock::new();

extern "C" fn stop_cluster() {
    if let Some((pg_ctl, data, dir, as_root)) = STOP.get() {
        let mut cmd = if *as_root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(pg_ctl);
            c
        } else {
            Command::new(pg_ctl)
        };
        let _ = cmd
            .arg("-D")
            .arg(data)
            .args(["-m", "immediate", "stop"])
            .status();
        let _ = std::fs::remove_dir_all(dir);
    }
}
