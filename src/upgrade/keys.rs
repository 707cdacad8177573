//! The public keys whose minisign signatures `paideia upgrade` accepts. They are compiled in:
//! nothing at run time (flag, variable, file) can add one. Two slots let a key be rotated
//! (docs/releasing.md): releases are signed with the current key, and the next key is
//! trusted one release ahead of its first use.

/// The key that signs releases now (its secret lives in the release workflow's secrets).
pub const CURRENT: &str = "RWTiQd+CK7fFgLS0fXrWCd64+etAHA/l8OGnuIGtjduFAwzKITlX7oHE";
/// The key that will sign releases after the next rotation.
pub const NEXT: &str = "RWQGj/+r1UVt5+JAxs6rN2bq03N9oDZi7iTcddeP2OmWvPQarLunGYi6";

/// A key added when this binary was compiled (`PAIDEIA_EXTRA_TRUSTED_KEY`, refused by
/// release builds in build.rs); the integration tests build a fixture binary with their own
/// test key this way. Empty in every published binary.
const BUILD_EXTRA: &str = env!("PAIDEIA_EXTRA_TRUSTED_KEY");

/// Every key this binary trusts, in base64 (minisign's public key line).
pub fn trusted() -> Vec<&'static str> {
    let mut keys = vec![CURRENT, NEXT];
    if has_build_extra() {
        keys.push(BUILD_EXTRA);
    }
    keys
}

/// True when this binary was built with an extra (test) key.
pub fn has_build_extra() -> bool {
    !BUILD_EXTRA.is_empty()
}

#[cfg(test)]
mod tests {
    #[test]
    fn compiled_keys_parse() {
        for key in super::trusted() {
            minisign_verify::PublicKey::from_base64(key).expect("a valid minisign public key");
        }
        assert_ne!(super::CURRENT, super::NEXT);
    }

    /// The release workflow verifies with keys/release-current.pub; the binary must agree.
    #[test]
    fn compiled_keys_match_the_key_files() {
        let key_line = |text: &'static str| text.lines().nth(1).unwrap().trim();
        assert_eq!(
            super::CURRENT,
            key_line(include_str!("../../keys/release-current.pub"))
        );
        assert_eq!(
            super::NEXT,
            key_line(include_str!("../../keys/release-next.pub"))
        );
    }
}
