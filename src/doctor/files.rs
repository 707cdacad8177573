//! Checks of the data directory on disk: it exists and is private, it has room, and the
//! database and dump files in it are readable by their owner only.

use std::path::{Path, PathBuf};

use super::{Check, Level, check, is_shared};
use crate::{db::Engine, settings::Settings};

/// The data directory exists, is a directory this user may use, and is private. A missing
/// one is reported, never created: doctor changes nothing.
pub fn data_dir(dir: &Path) -> Check {
    if let Err(e) = crate::paths::check_dir("data directory", dir, true) {
        let hint = if e.is_missing() {
            format!(
                "point --data-dir (or PAIDEIA_DATA_DIR) at this install's data directory; a new install creates it with `paideia migrate up` or at the first `paideia serve` (mode 0700), in {}",
                dir.display()
            )
        } else {
            e.hint()
        };
        return check("data directory", Level::Fail, e.to_string(), Some(&hint));
    }
    if is_shared(dir) {
        return check(
            "data directory",
            Level::Warn,
            format!("{} is readable by other users", dir.display()),
            Some(&format!("chmod 700 {}", dir.display())),
        );
    }
    check(
        "data directory",
        Level::Pass,
        format!("{} (private)", dir.display()),
        None,
    )
}

const GIB: u64 = 1 << 30;

pub fn free_space(dir: &Path) -> Check {
    let existing = dir
        .ancestors()
        .find(|p| p.exists())
        .unwrap_or(Path::new("/"));
    let stat = match nix::sys::statvfs::statvfs(existing) {
        Ok(s) => s,
        Err(e) => {
            return check(
                "free disk",
                Level::Warn,
                format!("cannot read free space of {}: {e}", existing.display()),
                None,
            );
        }
    };
    let free = stat.blocks_available() as u64 * stat.fragment_size() as u64;
    let total = stat.blocks() as u64 * stat.fragment_size() as u64;
    let detail = format!(
        "{:.1} GiB free of {:.1} GiB at {}",
        free as f64 / GIB as f64,
        total as f64 / GIB as f64,
        existing.display()
    );
    let hint = Some("free some space: a full disk stops uploads, dumps and backups");
    if free < GIB / 10 {
        check("free disk", Level::Fail, detail, hint)
    } else if free < GIB || free.saturating_mul(20) < total {
        check("free disk", Level::Warn, detail, hint)
    } else {
        check("free disk", Level::Pass, detail, None)
    }
}

/// The SQLite database and any dump in the data directory must be owner-only.
pub fn private_files(settings: &Settings) -> Vec<Check> {
    let mut files: Vec<PathBuf> = Vec::new();
    if settings.database_url.engine() == Engine::Sqlite
        && settings.database_url.sqlite_path().exists()
    {
        files.push(settings.database_url.sqlite_path().to_path_buf());
    }
    for dir in [settings.data_dir.clone(), settings.backup.dir.clone()] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        files.extend(
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    let name = p
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    name.ends_with(".sql") || name.ends_with(".sql.zst")
                }),
        );
    }
    let shared: Vec<String> = files
        .iter()
        .filter(|p| is_shared(p))
        .map(|p| p.display().to_string())
        .collect();
    let check = if shared.is_empty() {
        check(
            "file permissions",
            Level::Pass,
            format!("{} database and dump file(s) are owner-only", files.len()),
            None,
        )
    } else {
        check(
            "file permissions",
            Level::Warn,
            format!("readable by other users: {}", shared.join(", ")),
            Some(&format!("chmod 600 {}", shared.join(" "))),
        )
    };
    vec![check]
}
