//! Where releases come from: the GitHub Releases API of the project's repository, a mirror
//! that serves the same JSON shape (`PAIDEIA_RELEASES_URL`), read with reqwest over rustls.
//! Also the small text assets (checksums, signatures) and the release notes' sections.

use std::time::Duration;

use semver::Version;
use serde::{Deserialize, Serialize};

use super::UpgradeError;
use crate::{envvars, settings::Env};

/// The repository releases come from unless `--repo` or `PAIDEIA_RELEASES_URL` says otherwise,
/// taken from Cargo.toml's `repository` when the binary is built.
pub fn default_repo() -> &'static str {
    env!("CARGO_PKG_REPOSITORY")
        .trim_end_matches('/')
        .trim_start_matches("https://github.com/")
}

/// The largest checksum or signature file read (they are a few hundred bytes).
const MAX_TEXT_ASSET: u64 = 1 << 20;

#[derive(Clone, Debug, Deserialize)]
pub struct Asset {
    pub name: String,
    pub browser_download_url: String,
    #[serde(default)]
    pub size: u64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Release {
    pub tag_name: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub prerelease: bool,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub assets: Vec<Asset>,
}

impl Release {
    /// The tag as a version (`v1.2.3` or `1.2.3`), or `None` for tags that are not versions.
    pub fn version(&self) -> Option<Version> {
        Version::parse(self.tag_name.trim_start_matches('v')).ok()
    }

    pub fn asset(&self, name: &str) -> Option<&Asset> {
        self.assets.iter().find(|a| a.name == name)
    }

    pub fn notes(&self) -> &str {
        self.body.as_deref().unwrap_or("")
    }
}

/// A releases endpoint (the list URL) and how to talk to it.
pub struct ReleaseSource {
    list_url: String,
    token: Option<String>,
    client: reqwest::Client,
}

impl ReleaseSource {
    /// `--repo` first, then `PAIDEIA_RELEASES_URL`, then the build-time default repository.
    /// A token comes from PAIDEIA_GITHUB_TOKEN, GH_TOKEN or GITHUB_TOKEN; proxies from the
    /// usual HTTP(S)_PROXY variables (reqwest reads them).
    pub fn new(repo: Option<&str>, env: &dyn Env) -> Result<Self, UpgradeError> {
        let list_url = match (repo, env.var(envvars::RELEASES_URL)) {
            (Some(repo), _) => github_url(repo)?,
            (None, Some(url)) => url.trim_end_matches('/').to_string(),
            (None, None) => github_url(default_repo())?,
        };
        let token = [envvars::GITHUB_TOKEN, "GH_TOKEN", "GITHUB_TOKEN"]
            .iter()
            .find_map(|name| env.var(name));
        let client = reqwest::Client::builder()
            .user_agent(concat!("paideia/", env!("PAIDEIA_VERSION")))
            .connect_timeout(Duration::from_secs(20))
            .read_timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| UpgradeError::Network(format!("cannot set up the HTTP client: {e}")))?;
        Ok(ReleaseSource {
            list_url,
            token,
            client,
        })
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    pub fn list_url(&self) -> &str {
        &self.list_url
    }

    /// The newest 100 releases, as the API lists them (newest first).
    pub async fn list(&self) -> Result<Vec<Release>, UpgradeError> {
        let url = format!("{}?per_page=100", self.list_url);
        let response = self.get(&url, true).await?;
        let body = read_capped(response, 16 << 20, &url).await?;
        serde_json::from_slice(&body).map_err(|e| {
            UpgradeError::Network(format!(
                "{} did not answer with a list of releases: {e}",
                self.list_url
            ))
        })
    }

    /// A small text asset (SHA256SUMS, a signature), or `None` when the server has no such file.
    pub async fn text(&self, asset: &Asset) -> Result<String, UpgradeError> {
        let response = self.get(&asset.browser_download_url, false).await?;
        let body = read_capped(response, MAX_TEXT_ASSET, &asset.name).await?;
        String::from_utf8(body)
            .map_err(|_| UpgradeError::Verification(format!("{} is not text", asset.name)))
    }

    /// A GET with the API headers; the token is sent only to the releases API itself.
    pub async fn get(&self, url: &str, api: bool) -> Result<reqwest::Response, UpgradeError> {
        let mut request = self.client.get(url);
        if api {
            request = request.header("Accept", "application/vnd.github+json");
        }
        if let Some(token) = self
            .token
            .as_ref()
            .filter(|_| api || same_origin(url, &self.list_url))
        {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(|e| {
            UpgradeError::Network(format!("cannot reach {}: {}", redact(url), cause(&e)))
        })?;
        check_status(response, url)
    }

    pub fn request(&self, url: &str) -> reqwest::RequestBuilder {
        self.client.get(url)
    }
}

fn github_url(repo: &str) -> Result<String, UpgradeError> {
    let valid = repo.split('/').count() == 2
        && repo.split('/').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        });
    if !valid {
        return Err(UpgradeError::Usage(format!(
            "--repo must be owner/name, got {repo:?}"
        )));
    }
    Ok(format!("https://api.github.com/repos/{repo}/releases"))
}

fn same_origin(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

/// The URL without user name, password or query (a mirror URL may carry credentials).
fn redact(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.set_query(None);
            url.to_string()
        }
        Err(_) => "(an invalid URL)".to_string(),
    }
}

/// Turns rate limits and other refusals into errors that say what to do.
fn check_status(response: reqwest::Response, url: &str) -> Result<reqwest::Response, UpgradeError> {
    let status = response.status();
    if status.is_success() || status == reqwest::StatusCode::PARTIAL_CONTENT {
        return Ok(response);
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let exhausted = header("x-ratelimit-remaining").as_deref() == Some("0");
    if status == reqwest::StatusCode::TOO_MANY_REQUESTS
        || (status == reqwest::StatusCode::FORBIDDEN
            && (exhausted || header("retry-after").is_some()))
    {
        let retry_at = header("x-ratelimit-reset")
            .and_then(|s| s.parse::<i64>().ok())
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .or_else(|| {
                header("retry-after")
                    .and_then(|s| s.parse::<i64>().ok())
                    .map(|secs| chrono::Utc::now() + chrono::Duration::seconds(secs))
            });
        return Err(UpgradeError::RateLimited { retry_at });
    }
    if status == reqwest::StatusCode::NOT_FOUND {
        return Err(UpgradeError::NotFound(redact(url)));
    }
    Err(UpgradeError::Network(format!(
        "{} answered {status}",
        redact(url)
    )))
}

/// The body, refused when it grows past `cap` bytes.
async fn read_capped(
    mut response: reqwest::Response,
    cap: u64,
    what: &str,
) -> Result<Vec<u8>, UpgradeError> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| UpgradeError::Network(format!("reading {what} failed: {}", cause(&e))))?
    {
        body.extend_from_slice(&chunk);
        if body.len() as u64 > cap {
            return Err(UpgradeError::Network(format!(
                "{what} is larger than {cap} bytes"
            )));
        }
    }
    Ok(body)
}

/// What happened, in words (refused, reset, timed out, a name that does not resolve, TLS),
/// rather than reqwest's "error sending request"; the innermost error otherwise.
pub fn cause(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "the server did not answer in time".into();
    }
    if let Some(text) = crate::storage::network_cause(e) {
        return text;
    }
    let mut inner: &(dyn std::error::Error + 'static) = e;
    while let Some(next) = inner.source() {
        inner = next;
    }
    crate::storage::redact_userinfo(&inner.to_string())
}

/// The sections of release notes whose Markdown heading starts with one of `titles`
/// (case-insensitive), each with its heading, up to the next heading of the same or a higher
/// level.
pub fn note_sections(notes: &str, titles: &[&str]) -> String {
    let mut out = String::new();
    let mut level_in: Option<usize> = None;
    for line in notes.lines() {
        let level = line.chars().take_while(|c| *c == '#').count();
        let is_heading = level > 0 && line[level..].starts_with(' ');
        if is_heading {
            if level_in.is_some_and(|l| level <= l) {
                level_in = None;
            }
            let title = line[level..].trim().to_ascii_lowercase();
            if level_in.is_none()
                && titles
                    .iter()
                    .any(|t| title.starts_with(&t.to_ascii_lowercase()))
            {
                level_in = Some(level);
            }
        }
        if level_in.is_some() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.trim_end().to_string()
}

/// The sections of a release's notes an admin must read before moving past it.
pub const MUST_READ: [&str; 3] = ["Breaking changes", "Migration notes", "Deprecations"];

/// One release between the running version (exclusive) and the target (inclusive): the
/// sections an admin must read, and a line about the rest.
#[derive(Clone, Debug, Serialize)]
pub struct NotesOnTheWay {
    pub version: String,
    pub tag: String,
    pub breaking_changes: String,
    pub migration_notes: String,
    pub deprecations: String,
    /// One line about the other sections: each with its number of entries and its first.
    pub summary: String,
}

impl NotesOnTheWay {
    /// Whether the release says anything that must be read (breaking, migration, deprecation).
    pub fn must_read(&self) -> bool {
        !(self.breaking_changes.is_empty()
            && self.migration_notes.is_empty()
            && self.deprecations.is_empty())
    }

    /// The release as text: its version, the sections to read, then the line about the rest.
    pub fn render(&self) -> String {
        let mut out = format!("== {} ==", self.version);
        for section in [
            &self.breaking_changes,
            &self.migration_notes,
            &self.deprecations,
        ] {
            if !section.is_empty() {
                out.push('\n');
                out.push_str(section);
            }
        }
        if !self.summary.is_empty() {
            out.push_str(&format!("\nalso: {}", self.summary));
        }
        out
    }
}

/// The notes of every published release after `current` up to and including `target`, oldest
/// first. Pre-releases on the way are skipped unless one is the target itself: their notes
/// are repeated in the release that follows them.
pub fn on_the_way(releases: &[Release], current: &Version, target: &Version) -> Vec<NotesOnTheWay> {
    let mut found: Vec<(Version, &Release)> = releases
        .iter()
        .filter(|r| !r.draft)
        .filter_map(|r| Some((r.version()?, r)))
        .filter(|(v, r)| v > current && v <= target && (!r.prerelease || v == target))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.dedup_by(|a, b| a.0 == b.0);
    found
        .into_iter()
        .map(|(version, release)| {
            let notes = release.notes();
            NotesOnTheWay {
                version: version.to_string(),
                tag: release.tag_name.clone(),
                breaking_changes: note_sections(notes, &MUST_READ[..1]),
                migration_notes: note_sections(notes, &MUST_READ[1..2]),
                deprecations: note_sections(notes, &MUST_READ[2..]),
                summary: other_sections(notes),
            }
        })
        .collect()
}

/// The sections `MUST_READ` does not cover, each with its number of list items and its first
/// ("New features (3): faster dumps, …; Bug fixes (1): …"); headings without items of their
/// own are left out.
/// Notes without such sections give their first line.
fn other_sections(notes: &str) -> String {
    // Per section: its title, its number of items and its first item.
    let mut counted: Vec<(String, usize, String)> = Vec::new();
    let mut current: Option<usize> = None;
    // The level of the must-read section being skipped, with its subsections.
    let mut skipping: Option<usize> = None;
    for line in notes.lines() {
        let level = line.chars().take_while(|c| *c == '#').count();
        if level > 0 && line[level..].starts_with(' ') {
            if skipping.is_some_and(|l| level > l) {
                continue;
            }
            let title = line[level..].trim();
            let lower = title.to_ascii_lowercase();
            let skip = MUST_READ
                .iter()
                .any(|t| lower.starts_with(&t.to_ascii_lowercase()));
            skipping = skip.then_some(level);
            current = (!skip).then(|| {
                counted.push((title.to_string(), 0, String::new()));
                counted.len() - 1
            });
        } else if let Some(i) = current {
            let item = line.trim_start();
            if let Some(text) = item.strip_prefix("- ").or_else(|| item.strip_prefix("* ")) {
                if counted[i].1 == 0 {
                    counted[i].2 = shorten(text.trim(), 60);
                }
                counted[i].1 += 1;
            }
        }
    }
    let listed: Vec<String> = counted
        .into_iter()
        .filter(|(_, n, _)| *n > 0)
        .map(|(title, n, first)| match n {
            1 => format!("{title} (1): {first}"),
            n => format!("{title} ({n}): {first}, …"),
        })
        .collect();
    if !listed.is_empty() {
        return listed.join("; ");
    }
    // Notes without sections: their first line of text, shortened.
    let first = notes
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    shorten(first, 100)
}

fn shorten(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The first lines of release notes, for `--check`.
pub fn summary(notes: &str, max_lines: usize) -> String {
    let lines: Vec<&str> = notes.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut out = lines
        .iter()
        .take(max_lines)
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    if lines.len() > max_lines {
        out.push_str(&format!("\n… ({} more lines)", lines.len() - max_lines));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTES: &str = "## [2.0.0]\n### Added\n- x\n### Breaking changes\n- config key renamed\n#### detail\n- more\n### Migration notes\n- run migrate\n### Fixed\n- y\n";

    #[test]
    fn picks_breaking_and_migration_sections() {
        let s = note_sections(NOTES, &["Breaking changes", "Migration notes"]);
        assert_eq!(
            s,
            "### Breaking changes\n- config key renamed\n#### detail\n- more\n### Migration notes\n- run migrate"
        );
        assert_eq!(note_sections("## x\n- y", &["Breaking changes"]), "");
    }

    fn release(tag: &str, prerelease: bool, body: &str) -> Release {
        Release {
            tag_name: tag.into(),
            name: None,
            draft: false,
            prerelease,
            body: Some(body.into()),
            assets: vec![],
        }
    }

    #[test]
    fn notes_on_the_way_are_every_release_after_current_up_to_target_in_order() {
        let all = vec![
            release(
                "v1.1.0",
                false,
                "### New features\n- b\n- c\n### Deprecations\n- `[web]` goes in 2.0",
            ),
            release("v0.2.0", false, "### Bug fixes\n- a"),
            release("v1.2.0-rc.1", true, "### New features\n- pre"),
            release("v1.0.0", false, NOTES),
            release("v0.1.0", false, "first"),
            release("v1.3.0", false, "later"),
        ];
        let v = |s: &str| Version::parse(s).unwrap();
        let on = on_the_way(&all, &v("0.1.0"), &v("1.2.0"));
        let versions: Vec<&str> = on.iter().map(|n| n.version.as_str()).collect();
        assert_eq!(versions, ["0.2.0", "1.0.0", "1.1.0"]);
        assert_eq!(on[0].summary, "Bug fixes (1): a");
        assert!(!on[0].must_read());
        assert_eq!(
            on[1].breaking_changes,
            "### Breaking changes\n- config key renamed\n#### detail\n- more"
        );
        assert_eq!(on[1].migration_notes, "### Migration notes\n- run migrate");
        assert_eq!(on[1].summary, "Added (1): x; Fixed (1): y");
        assert_eq!(
            on[2].deprecations,
            "### Deprecations\n- `[web]` goes in 2.0"
        );
        assert_eq!(on[2].summary, "New features (2): b, …");
        assert!(on[2].render().starts_with("== 1.1.0 ==\n### Deprecations"));
        let pre = on_the_way(&all, &v("1.1.0"), &v("1.2.0-rc.1"));
        assert_eq!(pre.len(), 1, "a pre-release target is shown");
        assert_eq!(
            on_the_way(&all, &v("1.2.0"), &v("1.3.0"))[0].summary,
            "later"
        );
    }

    #[test]
    fn summary_is_bounded() {
        assert_eq!(summary("a\n\nb\nc\n", 2), "a\nb\n… (1 more lines)");
    }

    #[test]
    fn repo_is_owner_slash_name() {
        assert_eq!(
            github_url("paideia-rs/paideia").unwrap(),
            "https://api.github.com/repos/paideia-rs/paideia/releases"
        );
        assert!(github_url("paideia").is_err());
        assert!(github_url("a/b/c").is_err());
        assert!(github_url("a/b?x").is_err());
        assert_eq!(default_repo(), "paideia-rs/paideia");
    }

    #[test]
    fn urls_in_messages_lose_credentials() {
        assert_eq!(
            redact("https://bob:secret@mirror.example/releases?token=x"),
            "https://mirror.example/releases"
        );
    }

    #[test]
    fn tags_are_versions() {
        let r = |tag: &str| Release {
            tag_name: tag.into(),
            name: None,
            draft: false,
            prerelease: false,
            body: None,
            assets: vec![],
        };
        assert_eq!(r("v1.2.3").version(), Some(Version::new(1, 2, 3)));
        assert_eq!(r("1.2.3").version(), Some(Version::new(1, 2, 3)));
        assert_eq!(r("nightly").version(), None);
    }
}
