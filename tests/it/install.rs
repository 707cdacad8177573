//! install.sh against a local server that speaks the GitHub Releases API shape: it installs
//! the latest or a pinned release, verifies SHA-256, and refuses anything it cannot verify.

use std::{
    collections::HashMap,
    net::SocketAddr,
    path::{Path, PathBuf},
    process::Command,
    sync::Arc,
};

use axum::{Router, extract::State, http::StatusCode, http::Uri};
use sha2::{Digest, Sha256};

type Files = Arc<HashMap<String, Vec<u8>>>;

async fn serve_file(State(files): State<Files>, uri: Uri) -> (StatusCode, Vec<u8>) {
    match files.get(uri.path()) {
        Some(body) => (StatusCode::OK, body.clone()),
        None => (
            StatusCode::NOT_FOUND,
            b"{\"message\":\"Not Found\"}".to_vec(),
        ),
    }
}

fn binary(tag: &str) -> Vec<u8> {
    format!("#!/bin/sh\necho 'paideia {tag} (fixture)'\n").into_bytes()
}

/// Releases v0.1.0 and v0.2.0 (latest) are good; v0.3.0's binary does not match its sums;
/// v0.4.0 has no SHA256SUMS.
async fn release_server() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let asset = paideia::release::this_platform_asset().expect("tests run on a published platform");
    let mut files = HashMap::new();
    for (tag, tampered, with_sums) in [
        ("v0.1.0", false, true),
        ("v0.2.0", false, true),
        ("v0.3.0", true, true),
        ("v0.4.0", false, false),
    ] {
        let body = binary(tag);
        let mut served = body.clone();
        if tampered {
            served.push(b'#');
        }
        let sums = format!("{}  {asset}\n", hex::encode(Sha256::digest(&body)));
        let url = |name: &str| format!("http://{addr}/download/{tag}/{name}");
        let mut assets = vec![
            serde_json::json!({"name": asset, "browser_download_url": url(&asset), "size": served.len()}),
        ];
        files.insert(format!("/download/{tag}/{asset}"), served);
        if with_sums {
            assets.push(serde_json::json!({"name": "SHA256SUMS", "browser_download_url": url("SHA256SUMS"), "size": sums.len()}));
            files.insert(format!("/download/{tag}/SHA256SUMS"), sums.into_bytes());
        }
        let release = serde_json::json!({"tag_name": tag, "name": tag, "draft": false, "prerelease": false, "body": "notes", "assets": assets});
        files.insert(
            format!("/repos/paideia/paideia/releases/tags/{tag}"),
            serde_json::to_vec_pretty(&release).unwrap(),
        );
        if tag == "v0.2.0" {
            files.insert(
                "/repos/paideia/paideia/releases/latest".into(),
                serde_json::to_vec_pretty(&release).unwrap(),
            );
        }
    }
    let app = Router::new()
        .fallback(serve_file)
        .with_state(Arc::new(files));
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
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
    let run = Command::new(bin.join("paideia")).output().unwrap();
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
