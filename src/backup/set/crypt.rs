//! Encryption at rest with age: sets are encrypted to X25519 recipients (public keys), so
//! the server can write backups it cannot read back; reading them takes the identity file
//! (the secret key). Files are encrypted and decrypted on a blocking thread, file to file.

use std::{
    fs::File,
    io::{BufReader, BufWriter, Write},
    path::{Path, PathBuf},
    str::FromStr,
    sync::Arc,
};

use super::SetError;

/// The public keys a set is encrypted to; empty means "not encrypted".
#[derive(Clone, Default)]
pub struct Recipients(Arc<Vec<age::x25519::Recipient>>);

impl Recipients {
    pub fn parse(keys: &[String]) -> Result<Recipients, SetError> {
        let parsed = keys
            .iter()
            .map(|k| {
                age::x25519::Recipient::from_str(k.trim()).map_err(|e| {
                    SetError::Crypto(format!("`{k}` is not an age public key (age1…): {e}"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Recipients(Arc::new(parsed)))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Encrypts `src` into the new file `dst` (mode 0600).
    pub async fn encrypt_file(&self, src: &Path, dst: &Path) -> Result<(), SetError> {
        let (recipients, src, dst) = (self.0.clone(), src.to_path_buf(), dst.to_path_buf());
        blocking(move || {
            let encryptor = age::Encryptor::with_recipients(
                recipients.iter().map(|r| r as &dyn age::Recipient),
            )
            .map_err(|e| SetError::Crypto(format!("cannot encrypt: {e}")))?;
            let mut input = File::open(&src).map_err(SetError::io("open", &src))?;
            let output = BufWriter::new(create_private(&dst)?);
            let mut writer = encryptor
                .wrap_output(output)
                .map_err(SetError::io("write", &dst))?;
            std::io::copy(&mut input, &mut writer).map_err(SetError::io("write", &dst))?;
            let mut output = writer.finish().map_err(SetError::io("write", &dst))?;
            output.flush().map_err(SetError::io("write", &dst))?;
            output
                .get_ref()
                .sync_all()
                .map_err(SetError::io("write", &dst))
        })
        .await
    }
}

/// The secret keys of an age identity file.
#[derive(Clone)]
pub struct Identities(Arc<Vec<Box<dyn age::Identity + Send + Sync>>>);

impl Identities {
    pub fn load(path: &Path) -> Result<Identities, SetError> {
        let text = std::fs::read_to_string(path).map_err(SetError::io("read", path))?;
        let identities = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|line| {
                age::x25519::Identity::from_str(line)
                    .map(|i| Box::new(i) as Box<dyn age::Identity + Send + Sync>)
                    .map_err(|e| {
                        SetError::Crypto(format!(
                            "{} holds a line that is not an age identity (AGE-SECRET-KEY-1…): {e}",
                            path.display()
                        ))
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if identities.is_empty() {
            return Err(SetError::Crypto(format!(
                "{} holds no age identity",
                path.display()
            )));
        }
        Ok(Identities(Arc::new(identities)))
    }

    /// Decrypts `src` into the new file `dst` (mode 0600).
    pub async fn decrypt_file(&self, src: &Path, dst: &Path) -> Result<(), SetError> {
        let (identities, src, dst) = (self.0.clone(), src.to_path_buf(), dst.to_path_buf());
        blocking(move || {
            let input = BufReader::new(File::open(&src).map_err(SetError::io("open", &src))?);
            let decryptor =
                age::Decryptor::new_buffered(input).map_err(|e| cannot_decrypt(&src, e))?;
            let mut reader = decryptor
                .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
                .map_err(|e| cannot_decrypt(&src, e))?;
            let mut output = BufWriter::new(create_private(&dst)?);
            std::io::copy(&mut reader, &mut output)
                .map_err(|e| SetError::Crypto(format!("cannot decrypt {}: {e}", src.display())))?;
            output.flush().map_err(SetError::io("write", &dst))?;
            Ok(())
        })
        .await
    }
}

fn cannot_decrypt(path: &Path, e: age::DecryptError) -> SetError {
    SetError::Crypto(format!("cannot decrypt {}: {e}", path.display()))
}

fn create_private(path: &PathBuf) -> Result<File, SetError> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(SetError::io("create", path))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SetError> + Send + 'static,
) -> Result<T, SetError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| SetError::Crypto(format!("the encryption thread stopped: {e}")))?
}

#[cfg(test)]
mod tests {
    use age::secrecy::ExposeSecret;

    use super::*;

    #[tokio::test]
    async fn only_the_identity_reads_what_was_encrypted_to_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain");
        std::fs::write(&plain, b"the gradebook").unwrap();
        let identity = age::x25519::Identity::generate();
        let recipients = Recipients::parse(&[identity.to_public().to_string()]).unwrap();
        let sealed = dir.path().join("sealed");
        recipients.encrypt_file(&plain, &sealed).await.unwrap();
        let bytes = std::fs::read(&sealed).unwrap();
        assert!(!bytes.windows(9).any(|w| w == b"gradebook"));

        let key_file = dir.path().join("key.txt");
        std::fs::write(
            &key_file,
            format!("# key\n{}\n", identity.to_string().expose_secret()),
        )
        .unwrap();
        let opened = dir.path().join("opened");
        Identities::load(&key_file)
            .unwrap()
            .decrypt_file(&sealed, &opened)
            .await
            .unwrap();
        assert_eq!(std::fs::read(&opened).unwrap(), b"the gradebook");

        let other = dir.path().join("other.txt");
        let stranger = age::x25519::Identity::generate();
        std::fs::write(&other, stranger.to_string().expose_secret()).unwrap();
        let err = Identities::load(&other)
            .unwrap()
            .decrypt_file(&sealed, &dir.path().join("nope"))
            .await
            .unwrap_err();
        assert!(matches!(err, SetError::Crypto(_)), "{err}");
        assert!(Recipients::parse(&["age1nonsense".into()]).is_err());
    }
}
