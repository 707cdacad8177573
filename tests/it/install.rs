//! install.sh against a local server that speaks the GitHub Releases API shape: it installs
//! the latest or a pinned release, verifies SHA-256, and refuses anything it cannot verify.

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

fn installer() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("install.sh")
}

async fn install(addr: SocketAddr, dir: &Path, args: &[&str], path: Option<&str>) -> (i32, String) {
    let mut cmd = Command::new("/bin/sh");
    cmd.arg(installer())
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
