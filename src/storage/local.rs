//! The local-folder backend: one file per key under the root. An upload goes to a hidden
//! temporary file in the target folder (`temp::TempFile`, leased while written), is fsynced
//! and renamed into place, so a key is either complete or absent; the temporary file is
//! removed on error and when the upload is dropped, and by `temp::sweep` after a kill.

use std::{
    fmt, io,
    path::{Path, PathBuf},
};

use futures_util::{StreamExt, TryStreamExt};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tokio_util::io::ReaderStream;

use super::{
    ByteRange, Download, ObjectInfo, StorageError,
    meter::{Body, Meter},
    temp::TempFile,
};

#[derive(Clone, Debug)]
pub struct LocalStore {
    root: PathBuf,
}

impl fmt::Display for LocalStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "local folder {}", self.root.display())
    }
}

fn failed(op: &'static str, path: &Path) -> impl FnOnce(io::Error) -> StorageError {
    let path = path.to_path_buf();
    move |source| StorageError::Local { op, path, source }
}

/// A missing file, or a file where a folder was expected: the key does not exist.
fn is_absent(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

async fn create_private_dir(dir: &Path) -> Result<(), StorageError> {
    tokio::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .await
        .map_err(failed("create folder", dir))
}

impl LocalStore {
    /// Opens the folder, creating it (mode 0700) when missing; one that exists must be a
    /// directory this user may write to (`paths` tells which of those it is not).
    pub async fn open(root: &Path) -> Result<LocalStore, StorageError> {
        use crate::paths::{PathError, check_dir, classify};
        match check_dir("storage folder", root, true) {
            Err(e) if e.is_missing() => {
                tokio::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(root)
                    .await
                    .map_err(|e| PathError {
                        what: "cannot create the storage folder",
                        path: root.to_path_buf(),
                        problem: classify(&e, root),
                    })?;
            }
            checked => checked?,
        }
        Ok(LocalStore {
            root: root.to_path_buf(),
        })
    }

    /// The folder at `root`, as it is: nothing is created.
    pub fn at(root: &Path) -> LocalStore {
        LocalStore {
            root: root.to_path_buf(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }

    pub async fn put(
        &self,
        key: &str,
        body: &mut Body<'_>,
        meter: &mut Meter<'_>,
    ) -> Result<(), StorageError> {
        let path = self.path(key);
        let dir = path.parent().expect("a checked key has a parent folder");
        create_private_dir(dir).await?;
        let temp = TempFile::create_in(dir, "upload").map_err(failed("create a file in", dir))?;
        let clone = temp.as_file().try_clone();
        let mut file = tokio::fs::File::from_std(clone.map_err(failed("open", temp.path()))?);
        while let Some(chunk) = meter.next(body).await? {
            file.write_all(&chunk)
                .await
                .map_err(failed("write", temp.path()))?;
        }
        file.sync_all()
            .await
            .map_err(failed("fsync", temp.path()))?;
        drop(file);
        temp.persist(&path, true)
            .map_err(failed("rename into place", &path))?;
        let folder = tokio::fs::File::open(dir)
            .await
            .map_err(failed("open", dir))?;
        folder.sync_all().await.map_err(failed("fsync", dir))
    }

    pub async fn get(&self, key: &str, range: Option<ByteRange>) -> Result<Download, StorageError> {
        let path = self.path(key);
        let not_found = || StorageError::NotFound {
            store: self.to_string(),
            key: key.to_string(),
        };
        let mut file = match tokio::fs::File::open(&path).await {
            Err(e) if is_absent(&e) => return Err(not_found()),
            opened => opened.map_err(failed("open", &path))?,
        };
        let meta = file.metadata().await.map_err(failed("stat", &path))?;
        if !meta.is_file() {
            return Err(not_found());
        }
        let size = meta.len();
        let range = match range {
            None => 0..size,
            Some(r) => r.within(size).ok_or(StorageError::RangeNotSatisfiable {
                key: key.to_string(),
                size,
            })?,
        };
        file.seek(io::SeekFrom::Start(range.start))
            .await
            .map_err(failed("seek in", &path))?;
        let body = ReaderStream::new(file.take(range.end - range.start))
            .map_err(move |source| StorageError::Local {
                op: "read",
                path: path.clone(),
                source,
            })
            .boxed();
        Ok(Download { size, range, body })
    }

    pub async fn head(&self, key: &str) -> Result<Option<u64>, StorageError> {
        let path = self.path(key);
        match tokio::fs::metadata(&path).await {
            Ok(meta) => Ok(meta.is_file().then_some(meta.len())),
            Err(e) if is_absent(&e) => Ok(None),
            Err(e) => Err(failed("stat", &path)(e)),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        let path = self.path(key);
        match tokio::fs::remove_file(&path).await {
            Err(e) if !is_absent(&e) => Err(failed("delete", &path)(e)),
            _ => Ok(()),
        }
    }

    pub async fn list_objects(&self, prefix: &str) -> Result<Vec<ObjectInfo>, StorageError> {
        let root = self.root.clone();
        let start = self.path(prefix);
        tokio::task::spawn_blocking(move || {
            let mut objects = Vec::new();
            walk(&root, &start, &mut objects)?;
            Ok(objects)
        })
        .await
        .expect("the folder walk does not panic")
    }
}

/// Collects the files under `dir`; `Storage::list_objects` drops temporary files.
fn walk(root: &Path, dir: &Path, objects: &mut Vec<ObjectInfo>) -> Result<(), StorageError> {
    let entries = match std::fs::read_dir(dir) {
        Err(e) if is_absent(&e) => return Ok(()),
        entries => entries.map_err(failed("list", dir))?,
    };
    for entry in entries {
        let entry = entry.map_err(failed("list", dir))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(failed("stat", &path))?;
        if kind.is_dir() {
            walk(root, &path, objects)?;
        } else if let Some(key) = path.strip_prefix(root).ok().and_then(Path::to_str)
            && kind.is_file()
        {
            let Ok(meta) = entry.metadata() else {
                continue; // removed meanwhile
            };
            let modified = meta.modified().map_err(failed("stat", &path))?;
            objects.push(ObjectInfo {
                key: key.to_string(),
                size: meta.len(),
                modified: modified.into(),
            });
        }
    }
    Ok(())
}
