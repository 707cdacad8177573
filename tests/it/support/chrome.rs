//! Headless Chromium driven over WebDriver: Debian's `chromedriver` started on a free port,
//! a fresh profile per test, and fantoccini as the client. Missing programs fail the test
//! with the command that installs them; nothing is skipped.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use hyper_util::client::legacy::connect::HttpConnector;
use tempfile::TempDir;

const INSTALL: &str = "apt-get install chromium chromium-driver";

/// Flags for Chromium as root in this sandbox: no sandbox and no GPU, and no background
/// connections (the closed network would refuse them, many at a time).
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1100",
];

/// A running chromedriver; killed (with its browsers) when dropped.
pub struct Driver {
    child: Child,
    port: u16,
    /// The browser profile, removed after the driver is gone.
    profile: TempDir,
}

impl Driver {
    /// Starts chromedriver on a free port and waits until it answers `/status`.
    pub async fn start() -> Driver {
        let driver = program("chromedriver");
        program("chromium");
        let port = free_port();
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", driver.display()));
        let driver = Driver {
            child,
            port,
            profile: tempfile::tempdir().unwrap(),
        };
        driver.wait_ready().await;
        driver
    }

    async fn wait_ready(&self) {
        let status = format!("http://127.0.0.1:{}/status", self.port);
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if super::get(&status)
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("chromedriver did not answer on {status} within 30 s");
    }

    /// A new headless Chromium session with its own empty profile.
    pub async fn browser(&self) -> Client {
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", self.profile.path().display()));
        // No password manager: it would fill in the last sign-in on the next sign-in page.
        let prefs = serde_json::json!({
            "credentials_enable_service": false,
            "profile.password_manager_enabled": false,
        });
        let options =
            serde_json::json!({ "binary": program("chromium"), "args": args, "prefs": prefs });
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a Chromium session from chromedriver")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SIGTERM lets chromedriver end the browsers it started before it exits.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `name` on PATH, or a failure that says how to install it.
fn program(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!("{name} is not installed: the browser test needs Debian's Chromium and ChromeDriver (`{INSTALL}`)")
        })
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Where screenshots go: `<target dir>/e2e-screenshots`, the target directory being
/// CARGO_TARGET_DIR when set (relative to the package) or the package's `target/`.
pub fn screenshot_dir() -> PathBuf {
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| package.join(dir))
        .unwrap_or_else(|| package.join("target"));
    target.join("e2e-screenshots")
}

/// Saves a PNG of what the browser shows as `<dir>/<name>.png`.
pub async fn screenshot(client: &Client, dir: &Path, name: &str) {
    let png = client.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot of {name}");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// The element, waiting for it to appear (pages load after a click).
pub async fn find(client: &Client, locator: Locator<'_>) -> Element {
    let found = client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(locator)
        .await;
    match found {
        Ok(element) => element,
        Err(e) => {
            let at = client.current_url().await.map(|u| u.to_string());
            let page = client.source().await.unwrap_or_default();
            panic!("{locator:?} not found on {at:?}: {e}\n{page}")
        }
    }
}
