//! Downloading a release binary into a partial file beside the current executable: resumed
//! with an HTTP Range request after an interruption, capped in size, fsynced when complete.
//! The partial file is never the running binary and is renamed into place only after it is
//! verified.

use std::{
    io::{Seek, SeekFrom, Write},
    path::Path,
};

use super::{UpgradeError, releases::ReleaseSource};

/// No paideia binary is anywhere near this; a larger download is refused.
pub const MAX_BINARY_BYTES: u64 = 512 << 20;

/// Reports bytes on disk so far and the expected total (when known).
pub trait Progress {
    fn update(&self, done: u64, total: Option<u64>);
}

impl<F: Fn(u64, Option<u64>)> Progress for F {
    fn update(&self, done: u64, total: Option<u64>) {
        self(done, total)
    }
}

/// Downloads `url` into `part`, continuing from what `part` already holds. `expected` is the
/// size the release lists (0 when unknown). On an interruption the partial file stays for the
/// next attempt; on a size violation it is deleted.
pub async fn download(
    source: &ReleaseSource,
    url: &str,
    part: &Path,
    expected: u64,
    progress: &dyn Progress,
) -> Result<u64, UpgradeError> {
    let cap = if expected > 0 {
        expected.min(MAX_BINARY_BYTES)
    } else {
        MAX_BINARY_BYTES
    };
    if expected > MAX_BINARY_BYTES {
        return Err(UpgradeError::Download(format!(
            "the release lists {expected} bytes, more than the {MAX_BINARY_BYTES} a paideia binary may have"
        )));
    }
    let mut have = std::fs::metadata(part).map(|m| m.len()).unwrap_or(0);
    if have > cap {
        remove(part);
        have = 0;
    }
    if expected > 0 && have == expected {
        return Ok(have);
    }
    let mut request = source.request(url);
    if have > 0 {
        request = request.header(reqwest::header::RANGE, format!("bytes={have}-"));
    }
    let mut response = request
        .send()
        .await
        .map_err(|e| UpgradeError::Download(format!("cannot download {url}: {e}")))?;
    let status = response.status();
    let resumed =
        status == reqwest::StatusCode::PARTIAL_CONTENT && range_starts_at(&response, have);
    if status == reqwest::StatusCode::RANGE_NOT_SATISFIABLE {
        remove(part);
        return Err(UpgradeError::Download(
            "the server refused to resume the download; the partial file was removed, run the command again".into(),
        ));
    }
    if status == reqwest::StatusCode::PARTIAL_CONTENT && !resumed {
        remove(part);
        return Err(UpgradeError::Download(
            "the server answered with another byte range than asked; the partial file was removed, run the command again".into(),
        ));
    }
    if !status.is_success() {
        return Err(UpgradeError::Download(format!("{url} answered {status}")));
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(false)
        .open(part)
        .map_err(UpgradeError::io(part))?;
    let mut done = if resumed { have } else { 0 };
    file.set_len(done).map_err(UpgradeError::io(part))?;
    file.seek(SeekFrom::Start(done))
        .map_err(UpgradeError::io(part))?;
    progress.update(done, (expected > 0).then_some(expected));
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => {
                file.sync_all().map_err(UpgradeError::io(part))?;
                return Err(UpgradeError::Interrupted {
                    done,
                    reason: e.to_string(),
                });
            }
        };
        done += chunk.len() as u64;
        if done > cap {
            drop(file);
            remove(part);
            return Err(UpgradeError::Download(format!(
                "the download grew past {cap} bytes; it was deleted"
            )));
        }
        file.write_all(&chunk).map_err(UpgradeError::io(part))?;
        progress.update(done, (expected > 0).then_some(expected));
    }
    file.sync_all().map_err(UpgradeError::io(part))?;
    if expected > 0 && done < expected {
        return Err(UpgradeError::Interrupted {
            done,
            reason: format!("the server sent {done} of {expected} bytes"),
        });
    }
    Ok(done)
}

/// True when a 206 answer's Content-Range starts where the partial file ends.
fn range_starts_at(response: &reqwest::Response, offset: u64) -> bool {
    response
        .headers()
        .get(reqwest::header::CONTENT_RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("bytes "))
        .and_then(|v| v.split('-').next())
        .and_then(|start| start.parse::<u64>().ok())
        == Some(offset)
}

pub fn remove(path: &Path) {
    let _ = std::fs::remove_file(path);
}
