//! install.sh against a local server that speaks the GitHub Releases API shape: it installs
//! the latest or a pinned release, verifies the minisign signature of SHA256SUMS (with
//! minisign, or openssl when minisign is missing) and the SHA-256, and refuses anything it
//! cannot verify. The fixtures are signed by the test key, which the installer under test
//! trusts in addition to the release keys, as the fixture binaries do (compiled in there;
//! written into a copy of the script here).

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::Command,
};

use bytes::Bytes;

use crate::support::releases::{self, Damage, Faults};

fn binary(tag: &str) -> Vec<u8> {
    format!("#!/bin/sh\necho 'paideia {tag} (fixture)'\n").into_bytes()
}

/// Releases v0.1.0 and v0.2.0 (latest) are good; v0.3.0's binary does not match its sums;
/// v0.4.0 has no SHA256SUMS.
async fn release_server() -> SocketAddr {
    let releases = [
        ("v0.1.0", Damage::None),
        ("v0.2.0", Damage::None),
        ("v0.3.0", Damage::ChangedByte),
        ("v0.4.0", Damage::NoChecksums),
    ]
    .into_iter()
    .map(|(tag, damage)| releases::release(tag, Bytes::from(binary(tag)), "notes", damage))
    .collect();
    let faults = Faults {
        latest: Some("v0.2.0".into()),
        ..Faults::default()
    };
    releases::serve(releases, faults).await.addr
}

fn installer_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("install.sh")).unwrap()
}

/// The keys the script trusts, from its `trusted_keys="…"` line.
fn script_keys(text: &str) -> Vec<String> {
    let line = text
        .lines()
        .find(|l| l.starts_with("trusted_keys=\""))
        .expect("install.sh sets trusted_keys");
    let keys = line
        .trim_start_matches("trusted_keys=\"")
        .trim_end_matches('"');
    keys.split_whitespace().map(String::from).collect()
}

/// A copy of install.sh that also trusts the test key.
fn installer(dir: &Path) -> PathBuf {
    let text = installer_text();
    let keys = script_keys(&text).join(" ");
    let with_test_key = text.replacen(
        &format!("trusted_keys=\"{keys}\""),
        &format!("trusted_keys=\"{keys} {}\"", releases::test_public_key()),
        1,
    );
    let path = dir.join("install-under-test.sh");
    std::fs::write(&path, with_test_key).unwrap();
    path
}

async fn install(addr: SocketAddr, dir: &Path, args: &[&str], path: Option<&str>) -> (i32, String) {
    let mut cmd = Command::new("/bin/sh");
    cmd.arg(installer(dir.parent().unwrap()))
        .args(["--dir", dir.to_str().unwrap()])
        .args(args)
        .env(
            "PAIDEIA_RELEASES_URL",
            format!("http://{addr}/repos/paideia/paideia/releases"),
        );
    if let Some(path) = path {
        cmd.env("PATH", path);
    }
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn installs_latest_and_pinned_releases_after_verifying_them() {
    use std::os::unix::fs::PermissionsExt;
    let addr = release_server().await;
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");

    let (code, err) = install(addr, &bin, &[], None).await;
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("installed paideia v0.2.0") && err.contains("paideia serve"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(bin.join("paideia")).unwrap(),
        binary("v0.2.0")
    );
    assert_eq!(
        std::fs::metadata(bin.join("paideia"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o755
    );
    let run = crate::support::output(&mut Command::new(bin.join("paideia")));
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "paideia v0.2.0 (fixture)\n"
    );

    let (code, err) = install(addr, &bin, &["--version", "0.1.0"], None).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read(bin.join("paideia")).unwrap(),
        binary("v0.1.0")
    );

    let (code, err) = install(addr, &bin, &["--version", "9.9.9"], None).await;
    assert_eq!(code, 1);
    assert!(
        err.contains("cannot read the release") && err.contains("hint:"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_what_it_cannot_verify() {
    let addr = release_server().await;
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    let (code, err) = install(addr, &bin, &["--version", "0.1.0"], None).await;
    assert_eq!(code, 0, "{err}");

    let (code, err) = install(addr, &bin, &["--version", "0.3.0"], None).await;
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("does not match SHA256SUMS; nothing was installed"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(bin.join("paideia")).unwrap(),
        binary("v0.1.0"),
        "the installed binary is untouched"
    );

    let (code, err) = install(addr, &bin, &["--version", "0.4.0"], None).await;
    assert_eq!(code, 1);
    assert!(err.contains("has no SHA256SUMS"), "{err}");

    // A PATH with the tools the installer needs but nothing that computes SHA-256.
    let tools = dir.path().join("tools");
    std::fs::create_dir_all(&tools).unwrap();
    for tool in [
        "curl", "uname", "grep", "sed", "cut", "head", "mktemp", "rm", "mkdir", "chmod", "cp",
        "mv", "cat",
    ] {
        let found = which(tool).unwrap_or_else(|| panic!("{tool} is not installed"));
        std::os::unix::fs::symlink(found, tools.join(tool)).unwrap();
    }
    let (code, err) = install(
        addr,
        &bin,
        &["--version", "0.2.0"],
        Some(tools.to_str().unwrap()),
    )
    .await;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no tool to verify"), "{err}");
    assert_eq!(
        std::fs::read(bin.join("paideia")).unwrap(),
        binary("v0.1.0")
    );
}

fn which(tool: &str) -> Option<PathBuf> {
    ["/usr/bin", "/bin", "/usr/local/bin"]
        .iter()
        .map(|d| Path::new(d).join(tool))
        .find(|p| p.exists())
}

/// One source of truth: the installer trusts exactly the keys the binary trusts.
#[test]
fn the_installer_trusts_the_keys_the_binary_trusts() {
    assert_eq!(
        script_keys(&installer_text()),
        vec![
            paideia::upgrade::keys::CURRENT.to_string(),
            paideia::upgrade::keys::NEXT.to_string()
        ]
    );
}

/// A folder with the tools install.sh needs, plus `extra`, for a PATH without the others.
fn tools(dir: &Path, extra: &[&str]) -> PathBuf {
    let tools = dir.join(format!("tools-{}", extra.join("-")));
    std::fs::create_dir_all(&tools).unwrap();
    for tool in [
        "curl",
        "uname",
        "grep",
        "sed",
        "cut",
        "head",
        "mktemp",
        "rm",
        "mkdir",
        "chmod",
        "cp",
        "mv",
        "cat",
        "sha256sum",
        "od",
        "tr",
        "dd",
        "wc",
        "base64",
    ]
    .iter()
    .chain(extra)
    {
        let found = which(tool).unwrap_or_else(|| panic!("{tool} is not installed"));
        std::os::unix::fs::symlink(found, tools.join(tool)).unwrap();
    }
    tools
}

/// v1.0.0's binary and SHA256SUMS were replaced and the sums recomputed; the signature is
/// still the one of the real sums, since nobody else has the key.
async fn tampered_server() -> SocketAddr {
    let good = releases::release("v1.0.0", Bytes::from(binary("v1.0.0")), "", Damage::None);
    let evil = releases::release("v1.0.0", Bytes::from(binary("evil")), "", Damage::None);
    let signature = good
        .assets
        .iter()
        .find(|a| a.name == "SHA256SUMS.minisig")
        .unwrap()
        .clone();
    let mut tampered = evil.clone();
    tampered.assets.retain(|a| a.name != "SHA256SUMS.minisig");
    tampered.assets.push(signature);
    let faults = Faults {
        latest: Some("v1.0.0".into()),
        ..Faults::default()
    };
    let others = [
        ("v0.5.0", Damage::WrongSignature),
        ("v0.6.0", Damage::NoSignature),
    ]
    .into_iter()
    .map(|(tag, damage)| releases::release(tag, Bytes::from(binary(tag)), "", damage));
    releases::serve(others.chain([tampered]).collect(), faults)
        .await
        .addr
}

/// Every signature refusal, with the verifier `verifier` alone on the PATH.
async fn refuses_bad_signatures_with(verifier: &str) {
    let addr = release_server().await;
    let tampered = tampered_server().await;
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    let tools = tools(dir.path(), &[verifier]);
    let path = Some(tools.to_str().unwrap());

    let (code, err) = install(addr, &bin, &["--version", "0.2.0"], path).await;
    assert_eq!(code, 0, "{verifier}: {err}");
    assert_eq!(
        std::fs::read(bin.join("paideia")).unwrap(),
        binary("v0.2.0")
    );

    for (version, server) in [("1.0.0", tampered), ("0.5.0", tampered)] {
        let (code, err) = install(server, &bin, &["--version", version], path).await;
        assert_eq!(code, 1, "{verifier} {version}: {err}");
        assert!(
            err.contains("is not signed by a key this installer trusts; nothing was installed")
                && err.contains("hint:"),
            "{verifier} {version}: {err}"
        );
    }
    let (code, err) = install(tampered, &bin, &["--version", "0.6.0"], path).await;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("has no SHA256SUMS.minisig"), "{err}");
    assert_eq!(
        std::fs::read(bin.join("paideia")).unwrap(),
        binary("v0.2.0"),
        "the installed binary is untouched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_signatures_are_refused_with_openssl() {
    refuses_bad_signatures_with("openssl").await;
}

/// With minisign installed, minisign checks. (Skipped, saying so, where it is not.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_signatures_are_refused_with_minisign() {
    if which("minisign").is_none() {
        eprintln!("minisign is not installed here: only the openssl path was tested");
        return;
    }
    refuses_bad_signatures_with("minisign").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_signature_verifier_is_refused_with_a_hint() {
    let addr = release_server().await;
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    let tools = tools(dir.path(), &[]);
    let (code, err) = install(addr, &bin, &[], Some(tools.to_str().unwrap())).await;
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("no tool to verify the release signature")
            && err.contains("hint: install minisign"),
        "{err}"
    );
    assert!(!bin.join("paideia").exists());
}
