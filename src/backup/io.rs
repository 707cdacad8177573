//! I/O failures on a path, told the same way everywhere in dump, restore, verification and
//! backup sets: what was being done, on which path, why, and the hint that fits the cause
//! (no space, not allowed, read-only, missing, not a folder). One classification of
//! `io::ErrorKind` and the raw OS error, reused by every error type that holds one.

use std::{
    io,
    path::{Path, PathBuf},
};

use nix::errno::Errno;

/// Why an I/O operation failed, as far as an admin can act on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    NoSpace,
    NotAllowed,
    ReadOnly,
    Missing,
    NotADirectory,
    Exists,
    Other,
}

impl Cause {
    pub fn of(e: &io::Error) -> Cause {
        if let Some(raw) = e.raw_os_error() {
            match Errno::from_raw(raw) {
                Errno::ENOSPC | Errno::EDQUOT | Errno::EFBIG => return Cause::NoSpace,
                Errno::EACCES | Errno::EPERM => return Cause::NotAllowed,
                Errno::EROFS => return Cause::ReadOnly,
                Errno::ENOENT => return Cause::Missing,
                Errno::ENOTDIR => return Cause::NotADirectory,
                Errno::EEXIST => return Cause::Exists,
                _ => {}
            }
        }
        match e.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => Cause::NoSpace,
            io::ErrorKind::PermissionDenied => Cause::NotAllowed,
            io::ErrorKind::ReadOnlyFilesystem => Cause::ReadOnly,
            io::ErrorKind::NotFound => Cause::Missing,
            io::ErrorKind::NotADirectory => Cause::NotADirectory,
            io::ErrorKind::AlreadyExists => Cause::Exists,
            _ => Cause::Other,
        }
    }

    /// What to do about a failure to `op` at `path`.
    pub fn hint(self, op: &str, path: &Path) -> Option<String> {
        let dir = folder_of(path);
        let dir = dir.display();
        Some(match self {
            Cause::NoSpace => format!(
                "the filesystem holding {dir} is full (or over quota): free space there (`df -h {dir}`) or use another folder"
            ),
            Cause::NotAllowed => format!(
                "the user running paideia may not {op} there: check the owner and mode of {dir} (`ls -ld {dir}`)"
            ),
            Cause::ReadOnly => {
                format!("{dir} is on a read-only filesystem: use a writable folder")
            }
            Cause::Missing => format!(
                "{} does not exist: check the path (and that the folder {dir} exists)",
                path.display()
            ),
            Cause::NotADirectory => format!(
                "a part of {} is a file where a folder is expected",
                path.display()
            ),
            Cause::Exists => "choose another file name, or add --force to replace it".into(),
            Cause::Other => return None,
        })
    }
}

/// The folder an operation on `path` needs space or permission in: its parent, or itself
/// when it is a folder.
fn folder_of(path: &Path) -> PathBuf {
    if path.is_dir() {
        return path.to_path_buf();
    }
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// An operation on a path that failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot {op} {}: {}", path.display(), describe(cause))]
pub struct IoFailure {
    pub op: &'static str,
    pub path: PathBuf,
    pub cause: io::Error,
}

impl IoFailure {
    pub fn new(op: &'static str, path: impl Into<PathBuf>, cause: io::Error) -> IoFailure {
        IoFailure {
            op,
            path: path.into(),
            cause,
        }
    }

    pub fn kind(&self) -> Cause {
        Cause::of(&self.cause)
    }

    pub fn hint(&self) -> Option<String> {
        self.kind().hint(self.op, &self.path)
    }
}

/// The OS's words, without Rust's `(os error N)` or a path some library added (the message
/// names the path itself).
fn describe(e: &io::Error) -> String {
    if let Some(raw) = e.raw_os_error() {
        return Errno::from_raw(raw).desc().to_string();
    }
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_gets_its_own_hint() {
        let path = Path::new("/srv/backups/dump.sql.zst");
        let fail = |errno: Errno| IoFailure::new("write", path, io::Error::from(errno));
        let full = fail(Errno::ENOSPC);
        assert_eq!(
            full.to_string(),
            "cannot write /srv/backups/dump.sql.zst: No space left on device"
        );
        assert!(full.hint().unwrap().contains("df -h /srv/backups"));
        assert!(
            fail(Errno::EACCES)
                .hint()
                .unwrap()
                .contains("may not write")
        );
        assert!(fail(Errno::EROFS).hint().unwrap().contains("read-only"));
        assert!(
            fail(Errno::ENOENT)
                .hint()
                .unwrap()
                .contains("does not exist")
        );
        assert!(fail(Errno::ENOTDIR).hint().unwrap().contains("is a file"));
        assert_eq!(fail(Errno::EIO).hint(), None);
        assert_eq!(
            Cause::of(&io::Error::from(io::ErrorKind::StorageFull)),
            Cause::NoSpace
        );
    }
}
