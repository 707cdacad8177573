//! Password hashing with Argon2id (the crate's defaults: 19 MiB, 2 passes) and verification
//! that costs the same whether or not the account exists. Hashes run on a small pool of
//! threads of their own (`concurrent_hashes()`), so a burst of sign-ins waits in line
//! instead of holding 19 MiB each, and the memory the allocator keeps after a hash stays
//! with those few threads: each keeps one block buffer it reuses, so memory stays flat under
//! any burst. (With tokio's blocking pool each hash ran on whichever of its hundreds of
//! threads was free and allocated its 19 MiB afresh; glibc kept the freed blocks in many
//! arenas: 2 GB after 100 sign-ins. The crate's `hash_password`/`verify_password` always
//! allocate, hence the `_with_memory` calls here.)

use std::{
    cell::RefCell,
    sync::{Arc, Mutex, OnceLock, mpsc},
};

use argon2::{
    Algorithm, Argon2, Block, Params, PasswordHash, Version,
    password_hash::{Output, ParamsString, SaltString},
};

use super::LmsError;

/// How many hashes may run at once: one per core, at least two.
pub fn concurrent_hashes() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().max(2))
}

type Job = Box<dyn FnOnce() + Send>;

/// Runs `work` on the hashing threads and waits for its result; `None` if the pool is gone.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    static POOL: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    let pool = POOL.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for n in 0..concurrent_hashes() {
            let rx = rx.clone();
            let _ = std::thread::Builder::new()
                .name(format!("paideia-hash-{n}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
        }
        Mutex::new(tx)
    });
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    pool.lock().ok()?.send(job).ok()?;
    result.await.ok()
}

/// An Argon2id PHC string for `password` with a fresh random salt.
pub async fn hash(password: &str) -> Result<String, LmsError> {
    let password = password.to_string();
    bounded(move || hash_now(&password))
        .await
        .ok_or_else(|| LmsError::Hash("the hashing task stopped".into()))?
}

/// Stored hashes asking for more memory than this (256 MiB) are not computed.
const MAX_BLOCKS: usize = 256 * 1024;

thread_local! {
    /// This hashing thread's Argon2 memory, reused by every hash it runs.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Argon2 of `password` and `salt` into an output of `len` bytes, in this thread's reused
/// memory.
fn raw_hash(
    argon: &Argon2,
    params: &Params,
    password: &[u8],
    salt: &[u8],
    len: usize,
) -> Option<Output> {
    let count = params.block_count();
    if count > MAX_BLOCKS {
        return None;
    }
    BLOCKS.with_borrow_mut(|blocks| {
        if blocks.len() < count {
            blocks.resize(count, Block::default());
        }
        Output::init_with(len, |out| {
            argon
                .hash_password_into_with_memory(password, salt, out, &mut blocks[..count])
                .map_err(|_| argon2::password_hash::Error::Crypto)
        })
        .ok()
    })
}

fn hash_now(password: &str) -> Result<String, LmsError> {
    let fail = |e: &dyn std::fmt::Display| LmsError::Hash(e.to_string());
    let mut salt = [0u8; 16];
    rand::fill(&mut salt);
    let salt_text = SaltString::encode_b64(&salt).map_err(|e| fail(&e))?;
    let params = Params::default();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let output = raw_hash(
        &argon,
        &params,
        password.as_bytes(),
        &salt,
        Params::DEFAULT_OUTPUT_LEN,
    )
    .ok_or_else(|| fail(&"Argon2 refused its inputs"))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| fail(&e))?,
        salt: Some(salt_text.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// How passwords imported from Paideia LMS are stored until their owner's first sign-in:
/// `$paideia-lms-pbkdf2-sha256$i=ITERATIONS$SALT$HEX`, Payload CMS's PBKDF2-HMAC-SHA256 with
/// the hex salt used as text (not decoded) and a 512-byte key.
pub const PAIDEIA_LMS_PREFIX: &str = "$paideia-lms-pbkdf2-sha256$";

/// The most iterations an imported hash may ask for (Paideia LMS uses 25,000).
const MAX_PBKDF2_ITERATIONS: u32 = 1_000_000;

/// A stored hash in Paideia LMS's scheme, built from its `users.salt` and `users.hash`.
pub fn paideia_lms_hash(iterations: u32, salt: &str, hash_hex: &str) -> String {
    format!("{PAIDEIA_LMS_PREFIX}i={iterations}${salt}${hash_hex}")
}

/// True when `stored` is a hash imported from Paideia LMS, to be replaced by Argon2id at the
/// next successful sign-in.
pub fn is_imported(stored: &str) -> bool {
    stored.starts_with(PAIDEIA_LMS_PREFIX)
}

/// Checks `password` against an imported Paideia LMS hash (constant-time comparison).
fn verify_paideia_lms(password: &str, stored: &str) -> bool {
    let Some(rest) = stored.strip_prefix(PAIDEIA_LMS_PREFIX) else {
        return false;
    };
    let mut parts = rest.splitn(3, '$');
    let (Some(iterations), Some(salt), Some(hash_hex)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let Some(Ok(iterations)) = iterations.strip_prefix("i=").map(str::parse::<u32>) else {
        return false;
    };
    let Ok(expected) = hex::decode(hash_hex) else {
        return false;
    };
    if iterations == 0
        || iterations > MAX_PBKDF2_ITERATIONS
        || expected.is_empty()
        || expected.len() > 1024
    {
        return false;
    }
    let mut derived = vec![0u8; expected.len()];
    pbkdf2::pbkdf2_hmac::<sha2_010::Sha256>(
        password.as_bytes(),
        salt.as_bytes(),
        iterations,
        &mut derived,
    );
    derived
        .iter()
        .zip(&expected)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

/// Whether `password` gives the hash in the PHC string `stored` (compared in constant time).
fn verify_now(password: &str, stored: &str) -> bool {
    if is_imported(stored) {
        return verify_paideia_lms(password, stored);
    }
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version, params.clone());
    raw_hash(&argon, &params, password.as_bytes(), salt, expected.len())
        .is_some_and(|computed| computed == expected)
}

/// True when `password` matches `stored`. Without a stored hash (no such account) it checks
/// against a throwaway hash, so timing does not tell which emails have accounts.
pub async fn verify(password: &str, stored: Option<String>) -> bool {
    let password = password.to_string();
    bounded(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| decoy().to_string());
        let matches = verify_now(&password, &stored);
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

    #[test]
    fn hashes_agree_with_the_crate_s_own_hashing() {
        use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
        let ours = super::hash_now("correct horse battery").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        let salt = argon2::password_hash::SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let theirs = Argon2::default()
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        assert!(super::verify_now("correct horse battery", &theirs));
        assert!(!super::verify_now("correct horse batter", &theirs));
        assert!(!super::verify_now(
            "correct horse battery",
            "$argon2id$v=19$m=9999999,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$AAAA"
        ));
        assert!(!super::verify_now("x", "not a hash"));
    }

    /// ACCOUNTS.md's worked example from the Paideia LMS 0.7.15 fixture.
    #[test]
    fn paideia_lms_hashes_verify() {
        let salt = "352cb14df4eea05584201c6a9d076b4078ca457de96e782e5f49deaff31bc5d6";
        let mut derived = vec![0u8; 512];
        pbkdf2::pbkdf2_hmac::<sha2_010::Sha256>(
            b"Admin#Paideia2024",
            salt.as_bytes(),
            25_000,
            &mut derived,
        );
        assert!(hex::encode(&derived).starts_with("da349f2657e3bca74a8e114bc4c86bc4"));
        let stored = super::paideia_lms_hash(25_000, salt, &hex::encode(&derived));
        assert!(super::is_imported(&stored));
        assert!(super::verify_now("Admin#Paideia2024", &stored));
        assert!(!super::verify_now("Admin#Paideia2025", &stored));
        assert!(!super::verify_now(
            "Admin#Paideia2024",
            &stored.replace("i=25000", "i=0")
        ));
        assert!(!super::verify_now(
            "Admin#Paideia2024",
            "$paideia-lms-pbkdf2-sha256$i=25000$x$zz"
        ));
    }
}
