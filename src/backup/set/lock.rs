//! The run lock: an OS file lock (flock) on `<backup dir>/.lock`, so two `paideia backup`
//! runs on the same directory never overlap. The kernel releases it when the process ends,
//! even when it is killed, so a crash never leaves a stale lock behind.

use std::{fs::File, path::Path};

use nix::{
    errno::Errno,
    fcntl::{Flock, FlockArg},
};

use super::SetError;

pub struct RunLock {
    _lock: Flock<File>,
}

impl RunLock {
    /// Takes the lock of `dir` (created mode 0700 when missing), or fails at once with
    /// `SetError::Locked` when another process holds it.
    pub fn acquire(dir: &Path) -> Result<RunLock, SetError> {
        crate::settings::create_private_dir(dir).map_err(SetError::io("create", dir))?;
        let path = dir.join(".lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(SetError::io("open", &path))?;
        match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(lock) => Ok(RunLock { _lock: lock }),
            Err((_, Errno::EWOULDBLOCK)) => Err(SetError::Locked(dir.to_path_buf())),
            Err((_, errno)) => Err(SetError::io("lock", path)(errno.into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = RunLock::acquire(dir.path()).unwrap();
        assert!(matches!(
            RunLock::acquire(dir.path()),
            Err(SetError::Locked(_))
        ));
        drop(first);
        RunLock::acquire(dir.path()).unwrap();
    }
}
