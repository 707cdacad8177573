//! Temporary files and what a killed process leaves of them. Every file paideia writes under a
//! temporary name and then renames into place (uploads in the files folder, dumps, local backup
//! objects) is named `.LABEL.paideia-tmp-PID-RANDOM` and holds an exclusive `flock` while it
//! exists: a lease the kernel releases when the process ends, even on `kill -9`. `sweep`
//! finds the ones no process holds that are older than `SAFE_AGE`, and removes them if asked.

use std::{
    fs::File,
    io,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    time::{Duration, SystemTime},
};

use nix::{
    errno::Errno,
    fcntl::{Flock, FlockArg},
};
use tempfile::NamedTempFile;

/// How old an unheld temporary file (or an S3 upload's lease) must be before it is removed.
/// The lease already tells a live writer from a dead one; the age covers the instant between
/// creating a file and locking it, file systems without working locks, and files of older
/// paideia versions, which had no lease (their writers keep the modification time fresh).
pub const SAFE_AGE: Duration = Duration::from_secs(60 * 60);

/// What sets paideia's temporary names apart: `.LABEL` + this + `PID-RANDOM`.
const MARK: &str = ".paideia-tmp-";
/// Random characters at the end of a temporary name.
const RANDOM_CHARS: usize = 12;
/// The longest label kept in a temporary name, in bytes (names are limited to 255).
const MAX_LABEL: usize = 120;

/// A temporary file in the folder of its target, mode 0600, locked for as long as it exists.
/// Dropped without `persist`, it is removed.
pub struct TempFile {
    // Field order matters: the file is removed before the lease is let go.
    file: NamedTempFile,
    _lease: Flock<File>,
}

impl TempFile {
    /// A new temporary file in `dir`; `label` (the target's name, or `upload`) tells a person
    /// what it was for.
    pub fn create_in(dir: &Path, label: &str) -> io::Result<TempFile> {
        let mut end = label.len().min(MAX_LABEL);
        while !label.is_char_boundary(end) {
            end -= 1;
        }
        let file = tempfile::Builder::new()
            .prefix(&format!(".{}{MARK}{}-", &label[..end], std::process::id()))
            .rand_bytes(RANDOM_CHARS)
            .permissions(std::fs::Permissions::from_mode(0o600))
            .tempfile_in(dir)?;
        // The lock belongs to the open file, which the clone shares with `file`.
        let lease = Flock::lock(file.as_file().try_clone()?, FlockArg::LockExclusive)
            .map_err(|(_, errno)| io::Error::from(errno))?;
        Ok(TempFile {
            file,
            _lease: lease,
        })
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    pub fn as_file(&self) -> &File {
        self.file.as_file()
    }

    pub fn as_file_mut(&mut self) -> &mut File {
        self.file.as_file_mut()
    }

    /// Renames the file to `target`; with `replace` false, fails when `target` exists. On
    /// failure the temporary file is removed.
    pub fn persist(self, target: &Path, replace: bool) -> io::Result<()> {
        let TempFile { file, _lease } = self;
        let persisted = if replace {
            file.persist(target)
        } else {
            file.persist_noclobber(target)
        };
        persisted.map(drop).map_err(|e| e.error)
    }
}

/// A temporary file left behind: where, how big, how old, and which process made it (when
/// its name says).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Leftover {
    /// The file's path, or for S3 the lease's key and the upload it names.
    pub name: String,
    pub bytes: u64,
    #[serde(serialize_with = "seconds")]
    pub age: Duration,
    pub pid: Option<u32>,
}

fn seconds<S: serde::Serializer>(age: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(age.as_secs())
}

/// What a sweep found: the stale leftovers (removed, unless it only looked), and what it could
/// not remove or read.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Sweep {
    pub stale: Vec<Leftover>,
    pub failures: Vec<String>,
}

impl Sweep {
    pub fn bytes(&self) -> u64 {
        self.stale.iter().map(|l| l.bytes).sum()
    }

    pub fn merge(&mut self, other: Sweep) {
        self.stale.extend(other.stale);
        self.failures.extend(other.failures);
    }
}

/// How far a sweep looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// Only the folder itself (beside a dump, among the admin's own files).
    Here,
    /// The folder and every folder below it (the files folder, a backup folder).
    Below,
}

/// For the name of one of paideia's temporary files, `Some(pid)` (`None` inside when the name
/// carries none); `None` for any other name. Also recognises the names of versions before
/// leases: `.upload-….tmp` (uploads) and `.NAME.sql….partial-XXXXXX` (dumps).
pub fn recognise(name: &str) -> Option<Option<u32>> {
    if !name.starts_with('.') {
        return None;
    }
    if let Some(at) = name.rfind(MARK) {
        let (pid, random) = name[at + MARK.len()..].split_once('-')?;
        let valid = !pid.is_empty()
            && pid.bytes().all(|b| b.is_ascii_digit())
            && random.len() == RANDOM_CHARS
            && random.bytes().all(|b| b.is_ascii_alphanumeric());
        return valid.then(|| pid.parse().ok());
    }
    let legacy_upload = name.starts_with(".upload-") && name.ends_with(".tmp");
    let legacy_dump = name.rsplit_once(".partial-").is_some_and(|(stem, random)| {
        stem.contains(".sql")
            && random.len() == 6
            && random.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    (legacy_upload || legacy_dump).then_some(None)
}

/// The usual cutoff for `sweep`: files last written `SAFE_AGE` before `now`.
pub fn cutoff(now: SystemTime) -> SystemTime {
    now.checked_sub(SAFE_AGE).unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Finds paideia's temporary files in `dir` last written at or before `cutoff` (usually
/// `cutoff(now)`; later under a lock that excludes every writer) and held by no process, and
/// removes them when `remove` is set. A missing folder has none.
pub fn sweep(dir: &Path, depth: Depth, cutoff: SystemTime, remove: bool) -> Sweep {
    let mut found = Sweep::default();
    visit(dir, depth, None, cutoff, remove, &mut found);
    found
}

/// `sweep` of `dir` alone (not the folders below), for the temporary files created with
/// `label` only: in a folder paideia shares with other programs (the OS temp dir).
pub fn sweep_label(dir: &Path, label: &str, cutoff: SystemTime, remove: bool) -> Sweep {
    let mut found = Sweep::default();
    let start = format!(".{label}{MARK}");
    visit(dir, Depth::Here, Some(&start), cutoff, remove, &mut found);
    found
}

fn visit(
    dir: &Path,
    depth: Depth,
    start: Option<&str>,
    cutoff: SystemTime,
    remove: bool,
    found: &mut Sweep,
) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return,
        Err(e) => {
            return found
                .failures
                .push(format!("cannot list {}: {e}", dir.display()));
        }
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if kind.is_dir() && depth == Depth::Below {
            visit(&path, depth, start, cutoff, remove, found);
        } else if kind.is_file()
            && start.is_none_or(|start| name.starts_with(start))
            && let Some(pid) = recognise(&name)
        {
            consider(path, pid, cutoff, remove, found);
        }
    }
}

fn consider(path: PathBuf, pid: Option<u32>, cutoff: SystemTime, remove: bool, found: &mut Sweep) {
    let Ok(meta) = std::fs::metadata(&path) else {
        return; // removed meanwhile
    };
    let Ok(modified) = meta.modified() else {
        return;
    };
    if modified > cutoff {
        return;
    }
    let age = SystemTime::now()
        .duration_since(modified)
        .unwrap_or_default();
    let Some(lock) = unheld(&path) else {
        return;
    };
    if remove && let Err(e) = std::fs::remove_file(&path) {
        if e.kind() != io::ErrorKind::NotFound {
            found
                .failures
                .push(format!("cannot remove {}: {e}", path.display()));
        }
        return;
    }
    drop(lock);
    found.stale.push(Leftover {
        name: path.display().to_string(),
        bytes: meta.len(),
        age,
        pid,
    });
}

/// The file's lock, when no process holds it (its writer is gone); `None` while one does.
/// A file system that cannot lock counts as unheld: the file is old enough by then.
fn unheld(path: &Path) -> Option<Option<Flock<File>>> {
    let file = File::open(path).ok()?;
    match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
        Ok(lock) => Some(Some(lock)),
        Err((_, Errno::EWOULDBLOCK)) => None,
        Err(_) => Some(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(temp: &TempFile) -> String {
        temp.path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn names_carry_the_label_and_the_pid() {
        let dir = tempfile::tempdir().unwrap();
        let temp = TempFile::create_in(dir.path(), "backup.sql.zst").unwrap();
        let name = name_of(&temp);
        assert!(
            name.starts_with(&format!(
                ".backup.sql.zst.paideia-tmp-{}-",
                std::process::id()
            )),
            "{name}"
        );
        assert_eq!(recognise(&name), Some(Some(std::process::id())));
        let long = "é".repeat(200);
        let temp = TempFile::create_in(dir.path(), &long).unwrap();
        assert!(name_of(&temp).len() < 255);
        assert!(recognise(&name_of(&temp)).is_some());
        for legacy in [
            ".upload-0123456789abcdef0123456789abcdef.tmp",
            ".backup.sql.zst.partial-Ab12Cd",
        ] {
            assert_eq!(recognise(legacy), Some(None), "{legacy}");
        }
        for other in [
            "upload.paideia-tmp-1-abcdefabcdef",
            ".x.paideia-tmp-1-short",
            ".x.paideia-tmp-pid-abcdefabcdef",
            ".notes.txt.partial-Ab12Cd",
            "media",
        ] {
            assert_eq!(recognise(other), None, "{other}");
        }
    }

    #[test]
    fn only_old_unheld_files_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let later = SystemTime::now() + SAFE_AGE + Duration::from_secs(1);
        let held = TempFile::create_in(dir.path(), "held").unwrap();
        let left = TempFile::create_in(dir.path(), "left").unwrap();
        let left_path = left.path().to_path_buf();
        std::fs::write(&left_path, b"12345").unwrap();
        // As a killed process leaves it: the file stays, the lock goes.
        let TempFile { file, _lease } = left;
        file.keep().unwrap();
        drop(_lease);
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(
            dir.path()
                .join("sub/.upload-0123456789abcdef0123456789abcdef.tmp"),
            b"x",
        )
        .unwrap();
        std::fs::write(dir.path().join("kept.txt"), b"mine").unwrap();

        let now = SystemTime::now();
        assert!(
            sweep(dir.path(), Depth::Below, cutoff(now), true)
                .stale
                .is_empty()
        );
        let here = sweep(dir.path(), Depth::Here, cutoff(later), false);
        assert_eq!(here.stale.len(), 1, "{here:?}");
        assert_eq!((here.stale[0].bytes, here.bytes()), (5, 5));
        assert!(left_path.exists(), "looking removes nothing");
        let below = sweep(dir.path(), Depth::Below, cutoff(later), true);
        assert_eq!(below.stale.len(), 2, "{below:?}");
        assert!(!left_path.exists());
        assert!(held.path().exists(), "a held file stays, however old");
        assert!(dir.path().join("kept.txt").exists());
        held.persist(&dir.path().join("done"), false).unwrap();
        assert_eq!(std::fs::read(dir.path().join("done")).unwrap(), b"");
    }
}
