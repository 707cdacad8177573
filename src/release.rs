//! The release asset naming scheme, shared with `install.sh`, the upgrade command and the
//! release workflow (docs/releasing.md): one bare executable per platform named
//! `paideia-OS-ARCH`, and a `SHA256SUMS` file listing them.

/// The file of `sha256  name` lines published with every release.
pub const CHECKSUMS_FILE: &str = "SHA256SUMS";

/// Every (os, arch) paideia publishes a binary for, with Rust's names.
pub const PLATFORMS: &[(&str, &str)] = &[
    ("linux", "x86_64"),
    ("linux", "aarch64"),
    ("macos", "aarch64"),
];

/// The asset name for a platform, or `None` when paideia publishes nothing for it.
pub fn asset_name(os: &str, arch: &str) -> Option<String> {
    PLATFORMS
        .contains(&(os, arch))
        .then(|| format!("paideia-{os}-{arch}"))
}

/// The asset for the platform this binary runs on.
pub fn this_platform_asset() -> Option<String> {
    asset_name(std::env::consts::OS, std::env::consts::ARCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_scheme_and_installer() {
        assert_eq!(
            asset_name("linux", "x86_64").as_deref(),
            Some("paideia-linux-x86_64")
        );
        assert_eq!(asset_name("macos", "x86_64"), None);
        let installer = include_str!("../install.sh");
        for (os, arch) in PLATFORMS {
            let name = asset_name(os, arch).unwrap();
            assert!(
                installer.contains(&name),
                "install.sh does not mention {name}"
            );
        }
        assert!(installer.contains(CHECKSUMS_FILE));
    }
}
