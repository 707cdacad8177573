//! What is at a path the admin configured, told apart: missing, not allowed, not a directory
//! (a file in the way), read-only, or fine; and a hint for a failed I/O operation that fits
//! its cause (no space, permission, missing, read-only). Every check of a configured path (the
//! data directory, the SQLite file, the files folder, the configuration file) comes here, so
//! "permission denied" is never reported as "missing".

use std::{
    io,
    path::{Path, PathBuf},
};

use nix::unistd::{AccessFlags, access};

/// Why a path cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Missing,
    /// This user may not read (or search, or write) it, or a folder above it.
    Denied,
    /// A folder was expected; `at` is the file in the way (the path itself or a parent).
    NotADirectory {
        at: PathBuf,
    },
    /// A file was expected and this is a folder.
    IsADirectory,
    ReadOnly,
    Other(String),
}

/// A configured path that cannot be used: what it is for, where, and why.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{what} {}: {}", path.display(), problem_text(problem))]
pub struct PathError {
    pub what: &'static str,
    pub path: PathBuf,
    pub problem: Problem,
}

fn problem_text(problem: &Problem) -> String {
    match problem {
        Problem::Missing => "does not exist".into(),
        Problem::Denied => "permission denied (this user may not use it)".into(),
        Problem::NotADirectory { at } => {
            format!("is not a directory ({} is a file)", at.display())
        }
        Problem::IsADirectory => "is a directory, not a file".into(),
        Problem::ReadOnly => "is on a read-only file system".into(),
        Problem::Other(text) => text.clone(),
    }
}

impl PathError {
    pub fn is_missing(&self) -> bool {
        self.problem == Problem::Missing
    }

    pub fn hint(&self) -> String {
        let path = self.path.display();
        match &self.problem {
            Problem::Missing => {
                format!("check the path; create {path} or point the setting at the right place")
            }
            Problem::Denied => denied_hint(&self.path),
            Problem::NotADirectory { at } => format!(
                "{} is a file where a directory is expected: move it away, or choose another path",
                at.display()
            ),
            Problem::IsADirectory => format!("{path} must be a file; choose the file itself"),
            Problem::ReadOnly => read_only_hint(&self.path),
            Problem::Other(_) => format!("check {path} (`ls -ld {path}`)"),
        }
    }
}

fn denied_hint(path: &Path) -> String {
    format!(
        "run paideia as the user that owns {0} (`ls -ld {0}` shows it; the systemd unit runs it as `paideia`), or give that user access with chown or chmod",
        path.display()
    )
}

fn read_only_hint(path: &Path) -> String {
    format!(
        "{} is on a read-only file system: remount it read-write, or choose a writable place (the systemd unit allows writes only to the data directory)",
        path.display()
    )
}

/// What kind of file a check expects.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dir,
    File,
}

/// Checks that `path` is a directory this process may read and enter (and, with `write`,
/// write to).
pub fn check_dir(what: &'static str, path: &Path, write: bool) -> Result<(), PathError> {
    check(what, path, Kind::Dir, write)
}

/// Checks that `path` is a file this process may read (and, with `write`, write).
pub fn check_file(what: &'static str, path: &Path, write: bool) -> Result<(), PathError> {
    check(what, path, Kind::File, write)
}

fn check(what: &'static str, path: &Path, kind: Kind, write: bool) -> Result<(), PathError> {
    let fail = |problem| PathError {
        what,
        path: path.to_path_buf(),
        problem,
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(classify(&e, path)))?;
    match kind {
        Kind::Dir if !meta.is_dir() => {
            return Err(fail(Problem::NotADirectory {
                at: path.to_path_buf(),
            }));
        }
        Kind::File if meta.is_dir() => return Err(fail(Problem::IsADirectory)),
        _ => {}
    }
    let mut flags = AccessFlags::R_OK;
    if kind == Kind::Dir {
        flags |= AccessFlags::X_OK;
    }
    if write {
        flags |= AccessFlags::W_OK;
    }
    access(path, flags).map_err(|errno| fail(classify(&io::Error::from(errno), path)))
}

/// The problem an I/O error on `path` points to.
pub fn classify(e: &io::Error, path: &Path) -> Problem {
    use io::ErrorKind as K;
    match e.kind() {
        K::NotFound => Problem::Missing,
        K::PermissionDenied => Problem::Denied,
        K::NotADirectory => Problem::NotADirectory {
            at: file_in_the_way(path).unwrap_or_else(|| path.to_path_buf()),
        },
        K::IsADirectory => Problem::IsADirectory,
        K::ReadOnlyFilesystem => Problem::ReadOnly,
        _ => Problem::Other(e.to_string()),
    }
}

/// The nearest ancestor of `path` that exists and is not a directory.
fn file_in_the_way(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .find(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_dir()))
        .map(Path::to_path_buf)
}

/// A hint for an I/O error on `path` that fits its cause, when the cause is one an admin can
/// fix: no space, no permission, a missing path, a read-only file system.
pub fn io_hint(e: &io::Error, path: &Path) -> Option<String> {
    use io::ErrorKind as K;
    let shown = path.display();
    Some(match e.kind() {
        K::StorageFull | K::QuotaExceeded => format!(
            "the disk holding {shown} is full (or the user's quota is used up): free some space (`df -h {shown}` shows it) and try again"
        ),
        K::PermissionDenied => denied_hint(path),
        K::ReadOnlyFilesystem => read_only_hint(path),
        K::NotFound => format!("{shown} (or a folder above it) does not exist: check the path"),
        K::NotADirectory => format!(
            "a file is in the way where a directory belongs on the path {shown}: move it away, or choose another path"
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_not_a_directory_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        check_dir("data directory", dir.path(), true).unwrap();
        let missing = check_dir("data directory", &dir.path().join("nope"), false).unwrap_err();
        assert!(missing.is_missing());
        assert!(missing.to_string().ends_with("does not exist"), "{missing}");
        let under_file = check_file("database", &file.join("paideia.db"), false).unwrap_err();
        assert_eq!(
            under_file.problem,
            Problem::NotADirectory { at: file.clone() }
        );
        let file_as_dir = check_dir("files folder", &file, false).unwrap_err();
        assert!(
            file_as_dir.to_string().contains("is not a directory"),
            "{file_as_dir}"
        );
        let dir_as_file = check_file("configuration file", dir.path(), false).unwrap_err();
        assert_eq!(dir_as_file.problem, Problem::IsADirectory);
        let full = io::Error::from(io::ErrorKind::StorageFull);
        assert!(io_hint(&full, &file).unwrap().contains("df -h"));
        assert!(io_hint(&io::Error::other("x"), &file).is_none());
    }
}
