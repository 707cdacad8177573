//! Password hashing with Argon2id (the crate's defaults: 19 MiB, 2 passes) on the blocking
//! pool, and verification that costs the same whether or not the account exists.

use std::sync::OnceLock;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier, password_hash::SaltString};

use super::LmsError;

/// An Argon2id PHC string for `password` with a fresh random salt.
pub async fn hash(password: &str) -> Result<String, LmsError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(|e| LmsError::Hash(e.to_string()))?
}

fn hash_now(password: &str) -> Result<String, LmsError> {
    let mut salt = [0u8; 16];
    rand::fill(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| LmsError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| LmsError::Hash(e.to_string()))
}

/// True when `password` matches `stored`. Without a stored hash (no such account) it checks
/// against a throwaway hash, so timing does not tell which emails have accounts.
pub async fn verify(password: &str, stored: Option<String>) -> bool {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| decoy().to_string());
        let matches = PasswordHash::new(&stored).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        known && matches
    })
    .await
    .unwrap_or(false)
}

fn decoy() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_now("paideia decoy password").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let a = super::hash("correct horse battery").await.unwrap();
        let b = super::hash("correct horse battery").await.unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salts differ");
        assert!(super::verify("correct horse battery", Some(a.clone())).await);
        assert!(!super::verify("wrong horse battery", Some(a)).await);
        assert!(!super::verify("paideia decoy password", None).await);
    }
}
