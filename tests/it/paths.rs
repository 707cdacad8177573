//! A path the admin configured that is missing, not allowed, or not a directory is reported as
//! what it is, with a hint that fits: the data directory, the SQLite file, the files folder and
//! the configuration file. The tests run as root, where permission bits do not bite, so the
//! binary runs as `nobody` (setgid and setuid in the child before exec).

use std::{
    os::unix::{fs::PermissionsExt, process::CommandExt},
    path::Path,
    process::Command,
};

use crate::support::{Backend, paideia, run};

const NOBODY: u32 = 65534;

/// Runs `cmd` as `nobody` when the tests run as root; as this user otherwise.
fn as_nobody(cmd: &mut Command) -> &mut Command {
    // SAFETY: only async-signal-safe calls between fork and exec, as pre_exec requires.
    unsafe {
        cmd.pre_exec(|| {
            if libc::geteuid() != 0 {
                return Ok(());
            }
            if libc::setgroups(0, std::ptr::null()) != 0
                || libc::setgid(NOBODY) != 0
                || libc::setuid(NOBODY) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        })
    }
}

fn chown_all(path: &Path) {
    std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY)).unwrap();
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            chown_all(&entry.unwrap().path());
        }
    }
}

/// A folder everyone may enter, so that what is inside decides.
fn open_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

#[test]
fn a_database_nobody_may_read_is_not_reported_missing() {
    let b = Backend::sqlite();
    let (code, _, err) = run(b.paideia().args(["migrate", "up"]));
    assert_eq!(code, 0, "{err}");
    // The install's folder is root's, mode 0700: nobody may not enter it.
    std::fs::set_permissions(b.dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let (code, _, err) = run(as_nobody(b.paideia().args(["user", "list"])));
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("no database at"), "{err}");
    assert!(!err.contains("migrate up"), "{err}");
    assert!(err.contains("permission denied"), "{err}");
    assert!(err.contains("hint:") && err.contains("ls -ld"), "{err}");

    let (code, out, _) = run(as_nobody(b.paideia().arg("doctor")));
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("FAIL  data directory") && out.contains("permission denied"),
        "{out}"
    );
    assert!(!out.contains("does not exist"), "{out}");
}

#[test]
fn a_missing_database_is_still_missing() {
    let dir = open_dir();
    let data = dir.path().join("data");
    let (code, _, err) = run(as_nobody(
        paideia()
            .arg("--data-dir")
            .arg(&data)
            .args(["user", "list"]),
    ));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("no database at") && err.contains("migrate up"),
        "{err}"
    );
}

#[test]
fn a_file_in_place_of_the_data_dir_is_not_a_directory() {
    let dir = open_dir();
    let file = dir.path().join("data");
    std::fs::write(&file, b"not a folder").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, _, err) = run(as_nobody(
        paideia()
            .arg("--data-dir")
            .arg(&file)
            .args(["user", "list"]),
    ));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("is not a directory")
            && err.contains(&format!("{} is a file", file.display())),
        "{err}"
    );
    let (code, _, err) = run(as_nobody(
        paideia().arg("--data-dir").arg(&file).arg("serve"),
    ));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("data directory") && err.contains("is not a directory"),
        "{err}"
    );
}

#[test]
fn a_configuration_file_nobody_may_read() {
    let dir = open_dir();
    let config = dir.path().join("paideia.toml");
    std::fs::write(&config, "version = 1\n").unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (code, _, err) = run(as_nobody(
        paideia().arg("--config").arg(&config).arg("doctor"),
    ));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "configuration file {}: permission denied",
            config.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("hint: run paideia as the user that owns"),
        "{err}"
    );
    let missing = dir.path().join("missing.toml");
    let (code, _, err) = run(as_nobody(
        paideia().arg("--config").arg(&missing).arg("doctor"),
    ));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn a_files_folder_nobody_may_write() {
    let dir = open_dir();
    let data = dir.path().join("data");
    let (code, _, err) = run(paideia()
        .arg("--data-dir")
        .arg(&data)
        .args(["migrate", "up"]));
    assert_eq!(code, 0, "{err}");
    chown_all(&data);
    let files = data.join("files");
    std::fs::create_dir(&files).unwrap(); // root's, mode 0755: nobody may not write
    let (code, _, err) = run(as_nobody(paideia().arg("--data-dir").arg(&data).args([
        "serve",
        "--bind",
        "127.0.0.1:0",
    ])));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "storage folder {}: permission denied",
            files.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("hint: run paideia as the user that owns"),
        "{err}"
    );
}
