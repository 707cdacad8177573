//! A local server that speaks the GitHub Releases API shape (`…/releases` list, asset
//! downloads with HTTP Range), with faults on demand: an interrupted or slow download, a rate
//! limit. Also the test signing key and the fixture binaries `paideia upgrade` moves between.

use std::{
    collections::HashMap,
    net::SocketAddr,
    path::{Path, PathBuf},
    process::Command,
    sync::{Arc, Mutex, OnceLock},
    time::Duration,
};

use axum::{
    Router,
    body::Body,
    extract::State,
    http::{HeaderMap, StatusCode, Uri, header},
    response::Response,
};
use bytes::Bytes;
use sha2::{Digest, Sha256};

pub const LIST_PATH: &str = "/repos/paideia/paideia/releases";
const TEST_SECRET: &str = include_str!("../../fixtures/upgrade/test-key.sec");
const TEST_PUBLIC: &str = include_str!("../../fixtures/upgrade/test-key.pub");

/// One file of a release: what is served, and the size the API lists.
#[derive(Clone)]
pub struct FakeAsset {
    pub name: String,
    pub data: Bytes,
    pub listed_size: u64,
}

#[derive(Clone)]
pub struct FakeRelease {
    pub tag: String,
    pub prerelease: bool,
    pub body: String,
    pub assets: Vec<FakeAsset>,
}

/// How a release is broken, for the refusal tests.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Damage {
    None,
    ChangedByte,
    WrongSignature,
    NoChecksums,
    NoSignature,
    NoPlatformAsset,
    Truncated,
}

#[derive(Clone, Default)]
pub struct Faults {
    /// The first download of the platform binary stops after this many bytes.
    pub interrupt_first_at: Option<usize>,
    /// The list answers 403 with GitHub's rate-limit headers.
    pub rate_limited: bool,
    /// Pause between 256 KiB chunks of a binary download.
    pub chunk_delay: Option<Duration>,
    /// The tag `…/releases/latest` answers with (GitHub: the newest stable release).
    pub latest: Option<String>,
}

struct ServerState {
    releases: Vec<FakeRelease>,
    files: HashMap<String, FakeAsset>,
    faults: Faults,
    interrupted: Mutex<bool>,
    ranges: Mutex<Vec<String>>,
    authorizations: Mutex<Vec<String>>,
    base: String,
}

pub struct ReleaseServer {
    pub addr: SocketAddr,
    state: Arc<ServerState>,
}

impl ReleaseServer {
    /// The value for PAIDEIA_RELEASES_URL.
    pub fn url(&self) -> String {
        format!("http://{}{LIST_PATH}", self.addr)
    }

    /// The Authorization headers the releases list was asked with.
    pub fn authorizations(&self) -> Vec<String> {
        self.state.authorizations.lock().unwrap().clone()
    }

    /// The Range headers asset downloads carried.
    pub fn ranges(&self) -> Vec<String> {
        self.state.ranges.lock().unwrap().clone()
    }
}

pub async fn serve(releases: Vec<FakeRelease>, faults: Faults) -> ReleaseServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut files = HashMap::new();
    for r in &releases {
        for a in &r.assets {
            files.insert(format!("/download/{}/{}", r.tag, a.name), a.clone());
        }
    }
    let state = Arc::new(ServerState {
        releases,
        files,
        faults,
        interrupted: Mutex::new(false),
        ranges: Mutex::new(Vec::new()),
        authorizations: Mutex::new(Vec::new()),
        base: format!("http://{addr}"),
    });
    let app = Router::new().fallback(answer).with_state(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    ReleaseServer { addr, state }
}

async fn answer(State(state): State<Arc<ServerState>>, uri: Uri, headers: HeaderMap) -> Response {
    if let Some(release) = single(&state, uri.path()) {
        return json(serde_json::to_vec(&release).unwrap());
    }
    if uri.path() == LIST_PATH {
        if let Some(auth) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        {
            state.authorizations.lock().unwrap().push(auth.to_string());
        }
        return list(&state);
    }
    let Some(asset) = state.files.get(uri.path()) else {
        return plain(StatusCode::NOT_FOUND, "{\"message\":\"Not Found\"}");
    };
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    if let Some(range) = range {
        state.ranges.lock().unwrap().push(range.to_string());
    }
    let start = range
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let total = asset.data.len();
    if start > total {
        return plain(StatusCode::RANGE_NOT_SATISFIABLE, "");
    }
    let body = asset.data.slice(start..);
    let is_binary = asset.name.starts_with("paideia-");
    let cut = is_binary
        .then(|| state.faults.interrupt_first_at)
        .flatten()
        .filter(|_| !std::mem::replace(&mut *state.interrupted.lock().unwrap(), true));
    let delay = state.faults.chunk_delay.filter(|_| is_binary);
    let mut response = Response::builder()
        .header(header::CONTENT_LENGTH, body.len())
        .header(header::ACCEPT_RANGES, "bytes");
    if range.is_some() {
        response = response.status(StatusCode::PARTIAL_CONTENT).header(
            header::CONTENT_RANGE,
            format!("bytes {start}-{}/{total}", total.saturating_sub(1)),
        );
    }
    response.body(stream(body, cut, delay)).unwrap()
}

/// The body in 256 KiB chunks, failing after `cut` bytes, pausing `delay` between chunks.
fn stream(body: Bytes, cut: Option<usize>, delay: Option<Duration>) -> Body {
    let chunks = futures_util::stream::unfold((body, 0usize), move |(rest, sent)| async move {
        if rest.is_empty() {
            return None;
        }
        if cut.is_some_and(|c| sent >= c) {
            return Some((
                Err(std::io::Error::other("connection cut by the test")),
                (Bytes::new(), sent),
            ));
        }
        if let Some(d) = delay {
            tokio::time::sleep(d).await;
        }
        let mut n = rest.len().min(256 << 10);
        if let Some(c) = cut {
            n = n.min(c - sent);
        }
        let chunk = rest.slice(..n);
        Some((Ok::<_, std::io::Error>(chunk), (rest.slice(n..), sent + n)))
    });
    Body::from_stream(chunks)
}

/// `…/releases/latest` and `…/releases/tags/TAG`, as install.sh reads them.
fn single(state: &ServerState, path: &str) -> Option<serde_json::Value> {
    let rest = path.strip_prefix(LIST_PATH)?;
    let tag = match rest {
        "/latest" => state.faults.latest.clone()?,
        _ => rest.strip_prefix("/tags/")?.to_string(),
    };
    state
        .releases
        .iter()
        .find(|r| r.tag == tag)
        .map(|r| release_json(state, r))
}

fn release_json(state: &ServerState, r: &FakeRelease) -> serde_json::Value {
    let assets: Vec<_> = r
        .assets
        .iter()
        .map(|a| {
            serde_json::json!({
                "name": a.name,
                "size": a.listed_size,
                "browser_download_url": format!("{}/download/{}/{}", state.base, r.tag, a.name),
            })
        })
        .collect();
    serde_json::json!({"tag_name": r.tag, "name": r.tag, "draft": false, "prerelease": r.prerelease, "body": r.body, "assets": assets})
}

fn json(body: Vec<u8>) -> Response {
    Response::builder()
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap()
}

fn list(state: &ServerState) -> Response {
    if state.faults.rate_limited {
        let reset = chrono::Utc::now().timestamp() + 600;
        return Response::builder()
            .status(StatusCode::FORBIDDEN)
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", reset.to_string())
            .body(Body::from("{\"message\":\"API rate limit exceeded\"}"))
            .unwrap();
    }
    let list: Vec<_> = state
        .releases
        .iter()
        .map(|r| release_json(state, r))
        .collect();
    json(serde_json::to_vec(&list).unwrap())
}

fn plain(status: StatusCode, body: &'static str) -> Response {
    Response::builder()
        .status(status)
        .body(Body::from(body))
        .unwrap()
}

/// The test key's public half, as the fixture binary was built to trust it.
pub fn test_public_key() -> &'static str {
    TEST_PUBLIC.lines().nth(1).unwrap()
}

/// A minisign signature of `data` by the test key.
pub fn sign(data: &[u8]) -> String {
    let sk = minisign::SecretKeyBox::from_string(TEST_SECRET)
        .unwrap()
        .into_unencrypted_secret_key()
        .unwrap();
    minisign::sign(None, &sk, data, None, None)
        .unwrap()
        .to_string()
}

/// A signature by a fresh key nobody trusts.
pub fn sign_with_unknown_key(data: &[u8]) -> String {
    let pair = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    minisign::sign(None, &pair.sk, data, None, None)
        .unwrap()
        .to_string()
}

/// A release of `binary` for this platform with SHA256SUMS and its signature, damaged as asked.
pub fn release(tag: &str, binary: Bytes, body: &str, damage: Damage) -> FakeRelease {
    let platform =
        paideia::release::this_platform_asset().expect("tests run on a published platform");
    let name = if damage == Damage::NoPlatformAsset {
        "paideia-plan9-mips".to_string()
    } else {
        platform.clone()
    };
    let sums = format!("{}  {name}\n", hex::encode(Sha256::digest(&binary)));
    let signature = if damage == Damage::WrongSignature {
        sign_with_unknown_key(sums.as_bytes())
    } else {
        sign(sums.as_bytes())
    };
    let listed_size = binary.len() as u64;
    let served = match damage {
        Damage::ChangedByte => {
            let mut v = binary.to_vec();
            let i = v.len() / 2;
            v[i] ^= 0x01;
            Bytes::from(v)
        }
        Damage::Truncated => binary.slice(..binary.len() - 1000),
        _ => binary,
    };
    let mut assets = vec![FakeAsset {
        name,
        data: served,
        listed_size,
    }];
    if damage != Damage::NoChecksums {
        assets.push(text_asset("SHA256SUMS", sums));
    }
    if damage != Damage::NoSignature {
        assets.push(text_asset("SHA256SUMS.minisig", signature));
    }
    FakeRelease {
        tag: tag.to_string(),
        prerelease: tag.contains('-'),
        body: body.to_string(),
        assets,
    }
}

fn text_asset(name: &str, text: String) -> FakeAsset {
    FakeAsset {
        name: name.into(),
        listed_size: text.len() as u64,
        data: Bytes::from(text),
    }
}

/// The version of the older fixture binary: a pre-release of this version, so the test
/// binary is the newest release of the same series.
pub fn old_version() -> String {
    let v = semver::Version::parse(paideia::version::VERSION).unwrap();
    format!("{}.{}.{}-fixture.1", v.major, v.minor, v.patch)
}

/// The newer binary: the test build of paideia itself.
pub fn new_binary() -> Bytes {
    static BYTES: OnceLock<Bytes> = OnceLock::new();
    BYTES
        .get_or_init(|| Bytes::from(std::fs::read(env!("CARGO_BIN_EXE_paideia")).unwrap()))
        .clone()
}

/// The older binary: the same source built once per test run (in `TARGET/upgrade-fixture`)
/// with version `old_version()` and the test key compiled in as a trusted key.
pub fn old_binary() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(build_old_binary)
}

fn build_old_binary() -> PathBuf {
    build_fixture(
        "upgrade-fixture",
        "debug",
        &[
            ("PAIDEIA_BUILD_VERSION", old_version()),
            ("PAIDEIA_EXTRA_TRUSTED_KEY", test_public_key().to_string()),
        ],
    )
}

/// Builds this source into `TARGET/NAME` with `env` (build.rs reads it), under a lock so that
/// concurrent test processes seed and build it once; returns the binary.
/// A new fixture's dependencies are copied from `TARGET/seed` (compiled with the features of
/// a plain build there, unlike the test build's).
fn build_fixture(name: &str, seed: &str, env: &[(&str, String)]) -> PathBuf {
    let target = Path::new(env!("CARGO_BIN_EXE_paideia"))
        .parent()
        .unwrap()
        .parent()
        .unwrap();
    let dir = target.join(name);
    let lock = std::fs::File::create(target.join(format!(".{name}.lock"))).unwrap();
    lock.lock().unwrap();
    if !dir.join("debug").exists() {
        seed_from(&target.join(seed), &dir.join("debug"));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["build", "--quiet", "--bin", "paideia"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CARGO_TARGET_DIR", &dir)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "building the fixture binary failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.join("debug").join("paideia")
}

/// The extra migration a rehearsal fixture carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Probe {
    /// `9001_rehearsal_probe`, expand: a column on `users` and a unique index over course
    /// titles (which fails where two courses share a title).
    Expand,
    /// The same as a contract migration.
    Contract,
}

/// The version of the rehearsal fixtures: the next patch, as scripts/rolling-upgrade.sh's B.
pub fn next_patch() -> String {
    let v = semver::Version::parse(paideia::version::VERSION).unwrap();
    format!("{}.{}.{}", v.major, v.minor, v.patch + 1)
}

/// This tree at this very version with the test key trusted: the running binary of rehearsal
/// tests. (`old_binary()`'s pre-release version is below its own series' compatibility
/// record, so it cannot stand for an older instance that shares a migrated database.)
pub fn current_binary() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        old_binary();
        build_fixture(
            "rehearsal-current",
            "upgrade-fixture/debug",
            &[("PAIDEIA_EXTRA_TRUSTED_KEY", test_public_key().to_string())],
        )
    })
    .clone()
}

/// A build of this tree at `next_patch()` that carries one extra test migration, as
/// scripts/rolling-upgrade.sh builds its version B; built once per kind in
/// `TARGET/rehearsal-fixture-KIND`, with the migration folder passed to build.rs in
/// PAIDEIA_EXTRA_MIGRATIONS.
pub fn rehearsal_binary(probe: Probe) -> PathBuf {
    let kind = match probe {
        Probe::Expand => "expand",
        Probe::Contract => "contract",
    };
    let target = Path::new(env!("CARGO_BIN_EXE_paideia"))
        .parent()
        .unwrap()
        .parent()
        .unwrap();
    let extra = target.join(format!("rehearsal-migrations-{kind}"));
    let lock = std::fs::File::create(target.join(".rehearsal-migrations.lock")).unwrap();
    lock.lock().unwrap();
    for engine in ["postgres", "sqlite"] {
        let sql = format!(
            "-- paideia: kind={kind} transaction=true\n-- A test migration of the rehearsal fixture.\nALTER TABLE users ADD COLUMN rehearsal_probe TEXT;\nCREATE UNIQUE INDEX courses_rehearsal_title ON courses (title);\n"
        );
        let folder = extra.join(engine);
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join("9001_rehearsal_probe.sql");
        // Written only when different: a new mtime would rebuild the fixture.
        if std::fs::read_to_string(&file).ok().as_deref() != Some(sql.as_str()) {
            std::fs::write(&file, sql).unwrap();
        }
    }
    drop(lock);
    // The upgrade fixture's dependencies were built for a plain build: start from them.
    old_binary();
    build_fixture(
        &format!("rehearsal-fixture-{kind}"),
        "upgrade-fixture/debug",
        &[
            ("PAIDEIA_EXTRA_MIGRATIONS", extra.display().to_string()),
            ("PAIDEIA_BUILD_VERSION", next_patch()),
        ],
    )
}

/// Starts the fixture's target directory from this build's compiled dependencies (copied
/// with their times, so cargo sees them fresh): only paideia itself is rebuilt. paideia's
/// own binaries and libraries are left out; they are rebuilt anyway.
fn seed_from(debug: &Path, fixture: &Path) {
    let staging = fixture.with_extension("partial");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(staging.join("deps")).unwrap();
    let copy = |args: &[&str]| {
        let status = Command::new(args[0]).args(&args[1..]).status().unwrap();
        assert!(status.success(), "{args:?}");
    };
    let (debug, staging_str) = (debug.to_str().unwrap(), staging.to_str().unwrap());
    copy(&[
        "cp",
        "-a",
        &format!("{debug}/build"),
        &format!("{debug}/.fingerprint"),
        staging_str,
    ]);
    copy(&[
        "find",
        &format!("{debug}/deps"),
        "-mindepth",
        "1",
        "-maxdepth",
        "1",
        "!",
        "-name",
        "it-*",
        "!",
        "-name",
        "paideia-*",
        "!",
        "-name",
        "libpaideia-*",
        "-exec",
        "cp",
        "-a",
        "-t",
        &format!("{staging_str}/deps"),
        "{}",
        "+",
    ]);
    std::fs::rename(&staging, fixture).unwrap();
}
