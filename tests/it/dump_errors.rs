//! Errors that tell the truth (issue 20, items 5-7): a full scratch space is "could not check"
//! (exit 7), not "this backup is bad"; a database without paideia's schema is not dumped; a
//! restore that would leave an empty database asks first; and I/O failures name the path, the
//! operation and a hint fitting the cause. Full and read-only filesystems are real: small
//! tmpfs mounts, made (as root) and removed by each test.

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use paideia::db::{DatabaseUrl, Engine};

use crate::support::{Backend, paideia, run};

/// A tmpfs mounted for one test, unmounted when dropped. `None` when this process may not
/// mount (not root): the test then says it was skipped.
struct Tmpfs {
    path: PathBuf,
}

impl Tmpfs {
    fn mount(path: &Path, options: &str) -> Option<Tmpfs> {
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: mounting a tmpfs needs root");
            return None;
        }
        std::fs::create_dir_all(path).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(path)
            .status()
            .ok()?;
        if !status.success() {
            eprintln!("skipped: cannot mount a tmpfs here");
            return None;
        }
        Some(Tmpfs {
            path: path.to_path_buf(),
        })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// A migrated, seeded SQLite install and a plain dump of it.
async fn seeded_dump(b: &Backend) -> PathBuf {
    let (code, _, err) = run(b.paideia().args(["migrate", "up"]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(b.paideia().args(["seed", "--scale", "1"]));
    assert_eq!(code, 0, "{err}");
    let path = b.dir.path().join("seed.sql");
    let (code, _, err) = run(b.paideia().args(["dump", "-o"]).arg(&path));
    assert_eq!(code, 0, "{err}");
    path
}

fn count(err: &str, needle: &str) -> usize {
    err.matches(needle).count()
}

// ---------------------------------------------------------------------------------------
// Item 5: "could not check" is not "bad".

/// With `$TMPDIR` on a full tmpfs (the trial's setting) a good dump used to fail as bad (exit
/// 3, `database or disk is full`). The scratch database now goes to the data directory; a
/// scratch folder too small is reported before trying (exit 7, naming the folder, what it has
/// and what the dump needs); a folder that runs out of inodes mid-way is exit 7 as well.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_scratch_space_is_could_not_check_not_a_bad_dump() {
    let b = Backend::sqlite();
    let dump = seeded_dump(&b).await;
    let Some(tiny) = Tmpfs::mount(&b.dir.path().join("tiny"), "size=256k") else {
        return;
    };
    let (code, out, err) = run(b
        .paideia()
        .arg("verify-backup")
        .arg(&dump)
        .env("TMPDIR", &tiny.path));
    assert_eq!(code, 0, "a full $TMPDIR no longer matters: {out}{err}");

    // The flag, the variable, and the variable's deprecated old name (which warns).
    for via_env in [
        None,
        Some("PAIDEIA_BACKUP_SCRATCH_DIR"),
        Some("PAIDEIA_SCRATCH_DIR"),
    ] {
        let mut cmd = b.paideia();
        cmd.args(["verify-backup", "--json"]).arg(&dump);
        match via_env {
            Some(name) => cmd.env(name, &tiny.path),
            None => cmd.arg("--scratch-dir").arg(&tiny.path),
        };
        let (code, out, err) = run(&mut cmd);
        assert_eq!(
            err.contains("warning: environment variable PAIDEIA_SCRATCH_DIR is deprecated since 0.1.0 and will be removed in 0.2.0; use PAIDEIA_BACKUP_SCRATCH_DIR"),
            via_env == Some("PAIDEIA_SCRATCH_DIR"),
            "{err}"
        );
        assert_eq!(code, 7, "{out}{err}");
        assert!(
            err.contains("not enough scratch space")
                && err.contains(&tiny.path.display().to_string())
                && err.contains("needs about"),
            "{err}"
        );
        assert!(
            err.contains("hint: the dump itself was not found bad"),
            "{err}"
        );
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(report["checked"], false);
    }

    // Room enough by bytes, but no inodes for SQLite's write-ahead log: found mid-way.
    let no_inodes = Tmpfs::mount(&b.dir.path().join("inodes"), "size=64m,nr_inodes=3").unwrap();
    let (code, _, err) = run(b
        .paideia()
        .args(["verify-backup", "--scratch-dir"])
        .arg(&no_inodes.path)
        .arg(&dump));
    assert_eq!(code, 7, "{err}");
    assert!(
        err.contains("could not check the dump") && err.contains("inodes free"),
        "{err}"
    );
    let (code, _, err) = run(b.paideia().arg("verify-backup").arg(&dump));
    assert_eq!(code, 0, "and the dump is fine: {err}");
}

/// A PostgreSQL scratch server that cannot be reached cannot check anything: exit 7.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_scratch_server_is_could_not_check() {
    let b = Backend::sqlite();
    let dump = seeded_dump(&b).await;
    let (code, _, err) = run(paideia()
        .args([
            "--database-url",
            "postgres://paideia@127.0.0.1:9/nothing_here",
        ])
        .arg("--data-dir")
        .arg(b.data_dir())
        .arg("verify-backup")
        .arg(&dump));
    assert_eq!(code, 7, "{err}");
    assert!(err.contains("could not check the dump"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Item 6: empty databases.

/// A URL naming the wrong, existing database: the dump is refused, naming the URL with its
/// password hidden; nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dump_refuses_a_database_without_paideia_schema() {
    let b = Backend::postgres().await;
    let with_password = with_password(b.url.expose(), "s3cret-pw");
    let out = b.dir.path().join("wrong.sql");
    let (code, _, err) = run(paideia()
        .arg("--database-url")
        .arg(&with_password)
        .args(["dump", "-o"])
        .arg(&out));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("holds no paideia schema"), "{err}");
    assert!(
        err.contains(&DatabaseUrl::parse(&with_password).unwrap().to_string()),
        "names the database: {err}"
    );
    assert!(!err.contains("s3cret-pw"), "the password is hidden: {err}");
    assert!(err.contains("hint: check the database URL"), "{err}");
    assert!(!out.exists());

    let lite = Backend::sqlite();
    std::fs::create_dir_all(lite.data_dir()).unwrap();
    rusqlite::Connection::open(lite.dir.path().join("paideia.db"))
        .unwrap()
        .execute_batch("CREATE TABLE unrelated (x INTEGER)")
        .unwrap();
    let (code, _, err) = run(lite
        .paideia()
        .args(["dump", "-o"])
        .arg(lite.dir.path().join("x.sql")));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("holds no paideia schema"), "{err}");
}

/// `restore --clean` of a dump without data would empty the target: it says so, and without
/// a terminal it needs `--allow-empty` as well as `--yes`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restoring_a_dump_without_data_over_a_site_needs_allow_empty() {
    let empty = Backend::sqlite();
    let (code, _, err) = run(empty.paideia().args(["migrate", "up"]));
    assert_eq!(code, 0, "{err}");
    let dump = empty.dir.path().join("empty.sql.zst");
    let (code, _, err) = run(empty.paideia().args(["dump", "-o"]).arg(&dump));
    assert_eq!(code, 0, "{err}");

    for engine in [Engine::Sqlite, Engine::Postgres] {
        let site = Backend::new(engine).await;
        let (code, _, err) = run(site.paideia().args(["migrate", "up"]));
        assert_eq!(code, 0, "{err}");
        let (code, _, err) = run(site.paideia().args(["seed", "--scale", "1"]));
        assert_eq!(code, 0, "{err}");
        let users = || async {
            let db = site.db().await;
            let n: i64 = db
                .query_one("SELECT count(*) AS n FROM users", &[])
                .await
                .unwrap()
                .get("n")
                .unwrap();
            db.close();
            n
        };
        let before = users().await;
        assert!(before > 0);
        let (code, _, err) = run(site
            .paideia()
            .args(["restore", "--clean", "--yes"])
            .arg(&dump)
            .stdin(Stdio::null()));
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains("holds NO DATA") && err.contains("--allow-empty"),
            "{err}"
        );
        assert_eq!(users().await, before, "nothing was changed");
        let (code, _, err) = run(site
            .paideia()
            .args(["restore", "--clean", "--yes", "--allow-empty"])
            .arg(&dump)
            .stdin(Stdio::null()));
        assert_eq!(code, 0, "{err}");
        assert_eq!(users().await, 0, "what the admin asked for");
    }
}

/// `url` with `password` for its user (the test server trusts any password).
fn with_password(url: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    match rest.split_once('@') {
        Some((user, host)) => {
            let user = user.split(':').next().unwrap();
            format!("{scheme}://{user}:{password}@{host}")
        }
        None => format!("{scheme}://postgres:{password}@{rest}"),
    }
}

// ---------------------------------------------------------------------------------------
// Item 7: I/O errors name the path, the operation and the cause's hint.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn io_errors_name_the_path_and_a_hint_that_fits() {
    let b = Backend::sqlite();
    seeded_dump(&b).await;
    let Some(full) = Tmpfs::mount(&b.dir.path().join("full"), "size=64k") else {
        return;
    };
    let target = full.path.join("dump.sql");
    let (code, _, err) = run(b.paideia().args(["dump", "-o"]).arg(&target));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("cannot write {}", target.display())),
        "{err}"
    );
    assert_eq!(count(&err, "No space left on device"), 1, "{err}");
    assert!(
        err.contains("hint: the filesystem holding") && err.contains("is full"),
        "{err}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&full.path).unwrap().collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // `backup run` into a full folder: said once, with the hint for a full disk.
    let sets = full.path.join("sets");
    let (code, _, err) = run(b.paideia().args(["backup", "run", "--dir"]).arg(&sets));
    assert_eq!(code, 1, "{err}");
    assert_eq!(count(&err, "No space left on device"), 1, "{err}");
    assert!(err.contains("is full"), "{err}");
    assert!(
        !err.contains("may write to"),
        "not a permission hint: {err}"
    );

    let read_only = Tmpfs::mount(&b.dir.path().join("ro"), "size=1m,ro").unwrap();
    let (code, _, err) = run(b
        .paideia()
        .args(["dump", "-o"])
        .arg(read_only.path.join("x.sql")));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("cannot create") && err.contains("read-only"),
        "{err}"
    );

    let missing = b.dir.path().join("no/such/folder/x.sql");
    let (code, _, err) = run(b.paideia().args(["dump", "-o"]).arg(&missing));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&missing.display().to_string()) && err.contains("does not exist"),
        "{err}"
    );

    let file = b.dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let (code, _, err) = run(b.paideia().args(["dump", "-o"]).arg(file.join("x.sql")));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("is a file where a folder"), "{err}");
}
