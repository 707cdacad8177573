//! The installed executable and its neighbours: where the download goes, the previous binary
//! kept for `--rollback`, the record of the last upgrade, and the atomic swaps between them.
//! Files are only ever renamed over the executable's path, never written into it, and the
//! directory is fsynced, so a crash leaves the old or the new binary there.

use std::{
    fs,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

use super::UpgradeError;

/// Directories that belong to a package manager: an executable there is upgraded by it.
const MANAGED_PREFIXES: &[(&str, &str)] = &[
    ("/usr/bin/", "the system package manager"),
    ("/usr/sbin/", "the system package manager"),
    ("/bin/", "the system package manager"),
    ("/sbin/", "the system package manager"),
    ("/usr/lib/", "the system package manager"),
    ("/nix/store/", "Nix"),
    ("/opt/homebrew/", "Homebrew"),
    ("/usr/local/Cellar/", "Homebrew"),
    ("/home/linuxbrew/", "Homebrew"),
    ("/snap/", "snap"),
];

/// The package manager that owns `exe`, judged by where it lives.
pub fn package_manager(exe: &Path) -> Option<&'static str> {
    let path = exe.to_string_lossy();
    MANAGED_PREFIXES
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix))
        .map(|(_, manager)| *manager)
}

/// What `--rollback` needs to know about the last upgrade.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Record {
    pub from_version: String,
    pub to_version: String,
    /// The verified pre-upgrade dump, unless `--no-backup` was given.
    pub backup: Option<PathBuf>,
    pub at: chrono::DateTime<chrono::Utc>,
}

pub struct Install {
    exe: PathBuf,
    dir: PathBuf,
    name: String,
}

impl Install {
    /// The running executable (symlinks resolved).
    pub fn current() -> Result<Self, UpgradeError> {
        let exe = std::env::current_exe().map_err(|e| UpgradeError::Install {
            message: format!("cannot find the running executable: {e}"),
            hint: "run paideia by its path".into(),
        })?;
        let exe = fs::canonicalize(&exe).map_err(UpgradeError::io(&exe))?;
        Self::at(exe)
    }

    pub fn at(exe: PathBuf) -> Result<Self, UpgradeError> {
        let dir = exe
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"));
        let name = exe
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "paideia".into());
        Ok(Install { exe, dir, name })
    }

    pub fn exe(&self) -> &Path {
        &self.exe
    }

    pub fn previous(&self) -> PathBuf {
        self.dir.join(format!("{}.previous", self.name))
    }

    pub fn record_path(&self) -> PathBuf {
        self.dir.join(format!("{}.previous.json", self.name))
    }

    /// The partial download for one release (a stable name, so a second run resumes it).
    pub fn partial(&self, tag: &str) -> PathBuf {
        self.dir.join(format!(".{}-{tag}.download", self.name))
    }

    /// Refuses executables a package manager owns and directories paideia cannot write, and
    /// takes the upgrade lock (`.NAME.upgrade.lock` beside the executable) so two upgrades
    /// never share a download or a swap. The lock is held until the returned file is dropped.
    pub fn claim(&self) -> Result<fs::File, UpgradeError> {
        if let Some(manager) = package_manager(&self.exe) {
            return Err(UpgradeError::Install {
                message: format!("{} was installed by {manager}", self.exe.display()),
                hint: format!(
                    "upgrade paideia with {manager}, or install it elsewhere with install.sh"
                ),
            });
        }
        let path = self.dir.join(format!(".{}.upgrade.lock", self.name));
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| UpgradeError::Install {
                message: format!("cannot write to {} ({e})", self.dir.display()),
                hint: format!(
                    "run the upgrade as the user that owns {} (for example with sudo)",
                    self.dir.display()
                ),
            })?;
        lock.try_lock().map_err(|_| UpgradeError::Install {
            message: format!(
                "another `paideia upgrade` is running on {}",
                self.exe.display()
            ),
            hint: "wait for it to finish".into(),
        })?;
        Ok(lock)
    }

    /// Keeps the running binary as `NAME.previous` and renames `new` over the executable.
    pub fn swap_in(&self, new: &Path) -> Result<(), UpgradeError> {
        let keep = self.dir.join(format!(".{}.previous.tmp", self.name));
        link_or_copy(&self.exe, &keep)?;
        rename(&keep, &self.previous())?;
        rename(new, &self.exe)?;
        sync_dir(&self.dir)
    }

    /// Puts `NAME.previous` back and keeps the binary it replaces as the new `NAME.previous`,
    /// so a second rollback undoes the first.
    pub fn roll_back(&self) -> Result<(), UpgradeError> {
        let previous = self.previous();
        if !previous.exists() {
            return Err(UpgradeError::Install {
                message: format!("there is no previous binary at {}", previous.display()),
                hint: "rollback undoes `paideia upgrade`; install an older release with install.sh --version".into(),
            });
        }
        let keep = self.dir.join(format!(".{}.rollback.tmp", self.name));
        link_or_copy(&self.exe, &keep)?;
        rename(&previous, &self.exe)?;
        rename(&keep, &previous)?;
        sync_dir(&self.dir)
    }

    pub fn write_record(&self, record: &Record) -> Result<(), UpgradeError> {
        let path = self.record_path();
        let mut file =
            crate::backup::AtomicFile::create(&path, true).map_err(UpgradeError::io(&path))?;
        serde_json::to_writer_pretty(file.file(), record)
            .map_err(|e| UpgradeError::io(&path)(e.into()))?;
        file.commit().map_err(UpgradeError::io(&path))
    }

    pub fn read_record(&self) -> Option<Record> {
        let text = fs::read_to_string(self.record_path()).ok()?;
        serde_json::from_str(&text).ok()
    }
}

fn link_or_copy(from: &Path, to: &Path) -> Result<(), UpgradeError> {
    let _ = fs::remove_file(to);
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    fs::copy(from, to).map_err(UpgradeError::io(to))?;
    fs::File::open(to)
        .and_then(|f| f.sync_all())
        .map_err(UpgradeError::io(to))
}

fn rename(from: &Path, to: &Path) -> Result<(), UpgradeError> {
    fs::rename(from, to).map_err(UpgradeError::io(to))
}

fn sync_dir(dir: &Path) -> Result<(), UpgradeError> {
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(UpgradeError::io(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_manager_paths_are_recognised() {
        assert_eq!(
            package_manager(Path::new("/usr/bin/paideia")),
            Some("the system package manager")
        );
        assert_eq!(
            package_manager(Path::new("/opt/homebrew/bin/paideia")),
            Some("Homebrew")
        );
        assert_eq!(
            package_manager(Path::new("/nix/store/abc-paideia/bin/paideia")),
            Some("Nix")
        );
        assert_eq!(package_manager(Path::new("/usr/local/bin/paideia")), None);
        assert_eq!(
            package_manager(Path::new("/home/ada/.local/bin/paideia")),
            None
        );
    }

    #[test]
    fn swap_and_roll_back_keep_both_binaries() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("paideia");
        fs::write(&exe, b"old").unwrap();
        let install = Install::at(exe.clone()).unwrap();
        let lock = install.claim().unwrap();
        let err = install.claim().unwrap_err();
        assert!(
            err.to_string()
                .contains("another `paideia upgrade` is running"),
            "{err}"
        );
        let new = install.partial("v2.0.0");
        fs::write(&new, b"new").unwrap();
        install.swap_in(&new).unwrap();
        assert_eq!(fs::read(&exe).unwrap(), b"new");
        assert_eq!(fs::read(install.previous()).unwrap(), b"old");
        assert!(!new.exists());
        install.roll_back().unwrap();
        assert_eq!(fs::read(&exe).unwrap(), b"old");
        assert_eq!(fs::read(install.previous()).unwrap(), b"new");
        drop(lock);
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 3, "no temporary files are left: {names:?}");
    }

    #[test]
    fn rollback_without_previous_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("paideia");
        fs::write(&exe, b"old").unwrap();
        let err = Install::at(exe).unwrap().roll_back().unwrap_err();
        assert!(err.to_string().contains("no previous binary"), "{err}");
    }
}
