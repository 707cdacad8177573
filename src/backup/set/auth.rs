//! Authenticating backup sets: each manifest (which holds the SHA-256 of the dump and of every
//! media blob) carries a keyed BLAKE3 MAC by a key that never lives beside the sets, so whoever
//! can write the backup folder or bucket cannot make a set that verifies or restores. A key
//! file holds one key a line: the first signs, all verify (rotation). blake3's keyed mode is
//! a MAC by design, and the crate is already here for the dump format.

use std::{
    io::Write,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

use super::{SetError, SetManifest};
use crate::settings::KeySource;

/// What a key line starts with, so a key file is recognisable and versioned.
const KEY_PREFIX: &str = "paideia-backup-key-1:";
/// Domain separation: these MACs cover set manifests and nothing else.
const MANIFEST_CONTEXT: &[u8] = b"paideia backup set manifest 1\n";

/// The MAC a manifest carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetMac {
    /// Which key made it (`BackupKeys::id`), so rotation can keep old sets verifiable.
    pub key_id: String,
    /// Keyed BLAKE3 of the manifest without its `mac`, in the form paideia writes it.
    pub blake3: String,
}

/// The keys: the first signs new sets, every one verifies.
pub struct BackupKeys {
    keys: Vec<[u8; 32]>,
    source: String,
}

impl std::fmt::Debug for BackupKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "BackupKeys({} from {})",
            self.ids().join(", "),
            self.source
        )
    }
}

impl BackupKeys {
    /// Parses key lines (`paideia-backup-key-1:` and 64 hex digits); `#` starts a comment.
    pub fn parse(text: &str, source: &str) -> Result<BackupKeys, SetError> {
        let mut keys = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let key = line
                .strip_prefix(KEY_PREFIX)
                .and_then(|hex_key| hex::decode(hex_key).ok())
                .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                .ok_or_else(|| SetError::Key {
                    file: source.to_string(),
                    problem: format!(
                        "line {} is not a backup key ({KEY_PREFIX} and 64 hex digits)",
                        n + 1
                    ),
                })?;
            keys.push(key);
        }
        if keys.is_empty() {
            return Err(SetError::Key {
                file: source.to_string(),
                problem: "it holds no backup key".into(),
            });
        }
        Ok(BackupKeys {
            keys,
            source: source.to_string(),
        })
    }

    /// The keys from `source`; `None` when it is the default key file and that does not exist
    /// (nothing was ever signed on this install, or the key is elsewhere).
    pub fn load(source: &KeySource) -> Result<Option<BackupKeys>, SetError> {
        match source {
            KeySource::Inline(text) => Self::parse(text.expose(), &source.describe()).map(Some),
            KeySource::File { path, configured } => match std::fs::read_to_string(path) {
                Ok(text) => Self::parse(&text, &path.display().to_string()).map(Some),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && !configured => Ok(None),
                Err(e) => Err(SetError::io("read the backup key file", path)(e)),
            },
        }
    }

    /// The keys for signing a new set: loaded, or (for the default key file only) generated.
    /// Refuses a key file inside the backup folder. The flag says whether it was generated.
    pub fn for_signing(
        source: &KeySource,
        backup_dir: &Path,
    ) -> Result<(BackupKeys, bool), SetError> {
        if let KeySource::File { path, .. } = source {
            refuse_inside(path, backup_dir)?;
        }
        if let Some(keys) = Self::load(source)? {
            return Ok((keys, false));
        }
        let KeySource::File { path, .. } = source else {
            unreachable!("inline keys always load or fail")
        };
        add_new_key(path)?;
        Ok((
            Self::load(source)?.expect("the key file was just written"),
            true,
        ))
    }

    /// The id of each key, the signing one first.
    pub fn ids(&self) -> Vec<String> {
        self.keys.iter().map(key_id).collect()
    }

    /// Where the keys came from (a path, or the variable's name).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Signs `manifest` with the first key.
    pub fn sign(&self, manifest: &mut SetManifest) {
        manifest.mac = None;
        let key = &self.keys[0];
        manifest.mac = Some(SetMac {
            key_id: key_id(key),
            blake3: mac(key, manifest),
        });
    }

    /// Checks the manifest's MAC; the id of the key that made it.
    pub fn check(&self, manifest: &SetManifest) -> Result<String, AuthProblem> {
        let Some(found) = &manifest.mac else {
            return Err(AuthProblem::NoMac);
        };
        let key = self
            .keys
            .iter()
            .find(|k| key_id(k) == found.key_id)
            .ok_or_else(|| AuthProblem::UnknownKey {
                key_id: super::super::error::excerpt(found.key_id.as_bytes()),
                source: self.source.clone(),
            })?;
        // Constant-time comparison through blake3's Hash equality.
        let expected = blake3::Hash::from_hex(mac(key, manifest)).expect("hex");
        match blake3::Hash::from_hex(&found.blake3) {
            Ok(given) if given == expected => Ok(found.key_id.clone()),
            _ => Err(AuthProblem::Mismatch {
                key_id: found.key_id.clone(),
            }),
        }
    }
}

/// Why a set is not authenticated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthProblem {
    /// No MAC: made before sets were authenticated (set format 1), or stripped.
    NoMac,
    /// No key to check with.
    NoKeys {
        source: String,
    },
    UnknownKey {
        key_id: String,
        source: String,
    },
    /// The manifest changed after it was signed.
    Mismatch {
        key_id: String,
    },
}

impl std::fmt::Display for AuthProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthProblem::NoMac => f.write_str("its manifest carries no MAC from a backup key"),
            AuthProblem::NoKeys { source } => {
                write!(f, "there is no backup key to check its MAC with ({source})")
            }
            AuthProblem::UnknownKey { key_id, source } => write!(
                f,
                "its MAC is by key {key_id}, which is not among the keys in {source}"
            ),
            AuthProblem::Mismatch { key_id } => write!(
                f,
                "its manifest does not match its MAC (key {key_id}): it was changed after it was made"
            ),
        }
    }
}

impl AuthProblem {
    pub fn hint(&self) -> String {
        match self {
            AuthProblem::NoMac => "sets made before paideia authenticated them (set format 1) carry no MAC; if you are sure the set is yours and untouched, add --trust-unauthenticated, otherwise use a newer set".into(),
            AuthProblem::NoKeys { .. } | AuthProblem::UnknownKey { .. } => "give the key file of the install that made the set (--key-file or PAIDEIA_BACKUP_KEY_FILE; it is backup.key in that install's data directory); `paideia backup key list` shows the ids of the keys you have".into(),
            AuthProblem::Mismatch { .. } => "someone who can write the backup folder or bucket may have forged it: restore another set, and check who can write there".into(),
        }
    }
}

/// What a command trusts a set by: its MAC checked with `keys`, or, when the admin said so
/// (`--trust-unauthenticated`), nothing.
#[derive(Clone, Copy)]
pub struct Trust<'a> {
    pub keys: Option<&'a BackupKeys>,
    /// Where the keys were looked for (for the message when there are none).
    pub looked_in: &'a str,
    pub unauthenticated: bool,
}

impl Trust<'_> {
    /// `Ok(None)` for an authenticated set; `Ok(Some(problem))` for one that is not but is
    /// trusted anyway (the caller warns); an error otherwise.
    pub fn check(
        &self,
        target: &impl std::fmt::Display,
        manifest: &SetManifest,
    ) -> Result<Option<AuthProblem>, SetError> {
        let checked = match self.keys {
            Some(keys) => keys.check(manifest).map(|_| ()),
            None => Err(AuthProblem::NoKeys {
                source: format!("none at {}", self.looked_in),
            }),
        };
        match checked {
            Ok(()) => Ok(None),
            Err(problem) if self.unauthenticated => Ok(Some(problem)),
            Err(problem) => Err(SetError::Unauthenticated {
                id: manifest.id.clone(),
                target: target.to_string(),
                problem,
            }),
        }
    }
}

fn key_id(key: &[u8; 32]) -> String {
    let id = blake3::derive_key("paideia backup key id 1", key);
    hex::encode(&id[..8])
}

fn mac(key: &[u8; 32], manifest: &SetManifest) -> String {
    let mut unsigned = manifest.clone();
    unsigned.mac = None;
    let json = serde_json::to_vec(&unsigned).expect("a manifest serializes");
    let mut hasher = blake3::Hasher::new_keyed(key);
    hasher.update(MANIFEST_CONTEXT);
    hasher.update(&json);
    hasher.finalize().to_hex().to_string()
}

/// Refuses a key file inside the backup folder: whoever can write the sets could read it.
fn refuse_inside(key_file: &Path, backup_dir: &Path) -> Result<(), SetError> {
    let absolute = |p: &Path| {
        std::path::absolute(p)
            .map(|p| p.components().collect::<PathBuf>())
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let (key, dir) = (absolute(key_file), absolute(backup_dir));
    let resolved = |p: &Path| p.canonicalize().ok();
    let inside = key.starts_with(&dir)
        || resolved(key.parent().unwrap_or(&key))
            .zip(resolved(&dir))
            .is_some_and(|(k, d)| k.starts_with(d));
    if inside {
        return Err(SetError::Key {
            file: key_file.display().to_string(),
            problem: format!(
                "it is inside the backup folder {}, where whoever can write the sets can read it",
                backup_dir.display()
            ),
        });
    }
    Ok(())
}

/// Writes a new key at the top of the key file at `path` (created mode 0600; a file that
/// exists keeps its keys after the new one). Returns the new key's id.
pub fn add_new_key(path: &Path) -> Result<String, SetError> {
    let key: [u8; 32] = rand::random();
    let old = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(SetError::io("read the backup key file", path)(e)),
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    crate::settings::create_private_dir(&dir).map_err(SetError::io("create", &dir))?;
    let mut text = format!(
        "# paideia backup keys: the first signs new sets, every one verifies. Keep a copy\n\
         # somewhere other than this machine and the backups (docs/operations.md).\n{KEY_PREFIX}{}\n",
        hex::encode(key)
    );
    text.extend(
        old.lines()
            .filter(|l| !l.starts_with("# paideia backup keys:") && !l.starts_with("# somewhere"))
            .map(|l| format!("{l}\n")),
    );
    let mut temp = tempfile::Builder::new()
        .prefix(".backup-key-")
        .permissions(std::fs::Permissions::from_mode(0o600))
        .tempfile_in(&dir)
        .map_err(SetError::io("create a file in", &dir))?;
    temp.write_all(text.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(SetError::io("write", temp.path().to_path_buf()))?;
    temp.persist(path)
        .map_err(|e| SetError::io("write", path)(e.error))?;
    std::fs::File::open(&dir)
        .and_then(|d| d.sync_all())
        .map_err(SetError::io("write", &dir))?;
    Ok(key_id(&key))
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::{
        backup::set::manifest::{SET_FORMAT, StoredFile},
        db::Engine,
    };

    fn manifest() -> SetManifest {
        SetManifest {
            format: SET_FORMAT,
            id: "20261126T023000Z".into(),
            created_at: Utc::now(),
            paideia_version: "0.1.0".into(),
            engine: Engine::Sqlite,
            schema_version: 2,
            rows: 10,
            encrypted: false,
            database: StoredFile {
                key: "sets/x/database.sql.zst".into(),
                sha256: "ab".repeat(32),
                bytes: 100,
            },
            media: Vec::new(),
            mac: None,
        }
    }

    #[test]
    fn a_signed_manifest_checks_and_any_change_breaks_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys");
        let first = add_new_key(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let old = BackupKeys::parse(&std::fs::read_to_string(&path).unwrap(), "f").unwrap();
        let mut m = manifest();
        assert_eq!(old.check(&m), Err(AuthProblem::NoMac));
        old.sign(&mut m);
        assert_eq!(old.check(&m).unwrap(), first);

        let second = add_new_key(&path).unwrap();
        let both = BackupKeys::parse(&std::fs::read_to_string(&path).unwrap(), "f").unwrap();
        assert_eq!(both.ids(), vec![second.clone(), first.clone()]);
        assert_eq!(both.check(&m).unwrap(), first, "old sets still verify");
        let mut newer = manifest();
        both.sign(&mut newer);
        assert!(matches!(
            old.check(&newer),
            Err(AuthProblem::UnknownKey { .. })
        ));

        let mut forged = m.clone();
        forged.database.sha256 = "cd".repeat(32);
        assert!(matches!(
            both.check(&forged),
            Err(AuthProblem::Mismatch { .. })
        ));
        assert!(BackupKeys::parse("nonsense", "f").is_err());
        assert!(BackupKeys::parse("# only a comment\n", "f").is_err());
    }

    #[test]
    fn the_key_file_may_not_live_in_the_backup_folder() {
        let dir = tempfile::tempdir().unwrap();
        let backups = dir.path().join("backups");
        let inside = KeySource::File {
            path: backups.join("backup.key"),
            configured: false,
        };
        assert!(matches!(
            BackupKeys::for_signing(&inside, &backups),
            Err(SetError::Key { .. })
        ));
        let beside = KeySource::File {
            path: dir.path().join("backup.key"),
            configured: false,
        };
        let (keys, created) = BackupKeys::for_signing(&beside, &backups).unwrap();
        assert!(created && keys.ids().len() == 1);
        let (_, created) = BackupKeys::for_signing(&beside, &backups).unwrap();
        assert!(!created);
        let missing = KeySource::File {
            path: dir.path().join("elsewhere.key"),
            configured: true,
        };
        assert!(
            BackupKeys::load(&missing).is_err(),
            "a configured key file must exist"
        );
    }
}
