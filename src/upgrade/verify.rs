//! Checking a downloaded binary: its SHA-256 against the release's `SHA256SUMS`, and a minisign
//! (ed25519) signature by a trusted key over that file, or over the binary itself for
//! `--from-file`. There is no way to skip either check.

use std::{io::Read, path::Path};

use sha2::{Digest, Sha256};

use super::UpgradeError;

/// The SHA-256 of `name` in a `sha256  name` (or `sha256 *name`) listing.
pub fn expected_sha256(sums: &str, name: &str) -> Option<String> {
    sums.lines().find_map(|line| {
        let (hash, file) = line.split_once(char::is_whitespace)?;
        let file = file.trim_start().trim_start_matches('*').trim_end();
        (file == name && hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| hash.to_ascii_lowercase())
    })
}

/// The SHA-256 of a file, in lowercase hex.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Checks that `signature` (a `.minisig` file's text) is a signature of `data` by one of `keys`.
pub fn check_signature(
    data: &[u8],
    signature: &str,
    keys: &[&str],
    what: &str,
) -> Result<(), UpgradeError> {
    let signature = minisign_verify::Signature::decode(signature).map_err(|e| {
        UpgradeError::Verification(format!("the signature of {what} cannot be read ({e})"))
    })?;
    for key in keys {
        let Ok(key) = minisign_verify::PublicKey::from_base64(key) else {
            continue;
        };
        if key.verify(data, &signature, false).is_ok() {
            return Ok(());
        }
    }
    Err(UpgradeError::Verification(format!(
        "the signature of {what} was not made by a key this binary trusts"
    )))
}

/// Checks that the file's SHA-256 is the one `sums` lists for `asset`.
pub fn check_checksum(path: &Path, sums: &str, asset: &str) -> Result<(), UpgradeError> {
    let expected = expected_sha256(sums, asset).ok_or_else(|| {
        UpgradeError::Verification(format!(
            "{} does not list {asset}",
            crate::release::CHECKSUMS_FILE
        ))
    })?;
    let actual = sha256_file(path).map_err(UpgradeError::io(path))?;
    if actual != expected {
        return Err(UpgradeError::Verification(format!(
            "the SHA-256 of the downloaded {asset} ({actual}) does not match {} ({expected}); the download was deleted",
            crate::release::CHECKSUMS_FILE
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST_SECRET: &str = include_str!("../../tests/fixtures/upgrade/test-key.sec");
    const TEST_PUBLIC: &str = include_str!("../../tests/fixtures/upgrade/test-key.pub");

    fn sign(data: &[u8]) -> String {
        let sk = minisign::SecretKeyBox::from_string(TEST_SECRET)
            .unwrap()
            .into_unencrypted_secret_key()
            .unwrap();
        minisign::sign(None, &sk, data, None, None)
            .unwrap()
            .to_string()
    }

    fn test_key() -> &'static str {
        TEST_PUBLIC.lines().nth(1).unwrap()
    }

    #[test]
    fn reads_sha256sums_lines() {
        let a = "a".repeat(64);
        let sums = format!(
            "{a}  paideia-linux-x86_64\n{}  *paideia-macos-aarch64\n",
            "B".repeat(64)
        );
        assert_eq!(expected_sha256(&sums, "paideia-linux-x86_64"), Some(a));
        assert_eq!(
            expected_sha256(&sums, "paideia-macos-aarch64"),
            Some("b".repeat(64))
        );
        assert_eq!(expected_sha256(&sums, "paideia-linux"), None);
        assert_eq!(
            expected_sha256("short  paideia-linux-x86_64", "paideia-linux-x86_64"),
            None
        );
    }

    #[test]
    fn accepts_any_trusted_key_and_nothing_else() {
        let sig = sign(b"sums");
        check_signature(
            b"sums",
            &sig,
            &[super::super::keys::CURRENT, test_key()],
            "x",
        )
        .unwrap();
        let err = check_signature(b"sums", &sig, &[super::super::keys::CURRENT], "x").unwrap_err();
        assert!(
            err.to_string()
                .contains("not made by a key this binary trusts"),
            "{err}"
        );
        let err = check_signature(b"sumz", &sig, &[test_key()], "x").unwrap_err();
        assert!(matches!(err, UpgradeError::Verification(_)));
        let err = check_signature(b"sums", "not a signature", &[test_key()], "x").unwrap_err();
        assert!(err.to_string().contains("cannot be read"), "{err}");
    }

    #[test]
    fn checksum_mismatch_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bin");
        std::fs::write(&file, b"binary").unwrap();
        let good = format!("{}  asset\n", hex::encode(Sha256::digest(b"binary")));
        check_checksum(&file, &good, "asset").unwrap();
        let bad = format!("{}  asset\n", hex::encode(Sha256::digest(b"binarY")));
        assert!(
            check_checksum(&file, &bad, "asset")
                .unwrap_err()
                .to_string()
                .contains("does not match")
        );
        assert!(
            check_checksum(&file, &good, "other")
                .unwrap_err()
                .to_string()
                .contains("does not list other")
        );
    }
}
