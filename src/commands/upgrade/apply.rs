//! The upgrade itself: verify what was downloaded (or given with --from-file), try it, dump
//! the database and verify the dump, then swap. Until the swap nothing outside the partial
//! download changes, and a failure deletes it.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use semver::Version;

use super::{attempt::Attempt, restart};
use crate::{
    backup::{self, Compression, DumpOptions},
    cli::UpgradeArgs,
    commands::{Context, confirm::confirm, context::Open, progress},
    db::Engine,
    exit::{CommandError, ExitStatus},
    migrate::Migrator,
    release::{self, CHECKSUMS_FILE},
    settings::create_private_dir,
    upgrade::{
        Asset, Choice, Install, Policy, Record, Release, ReleaseSource, Target, UpgradeError,
        choose, download, keys, releases::NotesOnTheWay, signature_name, smoke, verify,
    },
    version,
};

pub async fn from_release(
    ctx: &Context,
    args: &UpgradeArgs,
    source: &ReleaseSource,
    release: &Release,
    target: &Target,
    notes: &[NotesOnTheWay],
    attempt: &mut Attempt,
) -> anyhow::Result<ExitStatus> {
    let install = Install::current()?;
    let _lock = install.claim()?;
    let (asset_name, asset) = platform_asset(release)?;
    approve(ctx, target, notes, args.yes).await?;
    let part = install.partial(&target.version.to_string());
    download_verified(
        source,
        release,
        (&asset_name, asset),
        &target.version,
        &part,
    )
    .await?;
    install_new(ctx, args, &install, &part, None, &target.version, attempt).await
}

/// This platform's binary in `release`.
pub fn platform_asset(release: &Release) -> Result<(String, &Asset), UpgradeError> {
    let asset_name = release::this_platform_asset().ok_or_else(|| UpgradeError::NoPlatform {
        os: std::env::consts::OS.into(),
        arch: std::env::consts::ARCH.into(),
    })?;
    let asset = release
        .asset(&asset_name)
        .ok_or_else(|| UpgradeError::NoAsset {
            tag: release.tag_name.clone(),
            asset: asset_name.clone(),
        })?;
    Ok((asset_name, asset))
}

/// Downloads `asset` of `release` to `part` (resuming what is there) and checks it against
/// the release's signed SHA256SUMS; a file that fails is deleted.
pub async fn download_verified(
    source: &ReleaseSource,
    release: &Release,
    (asset_name, asset): (&str, &Asset),
    version: &Version,
    part: &Path,
) -> anyhow::Result<()> {
    let sums = signed_checksums(source, release).await?;
    if verify::expected_sha256(&sums, asset_name).is_none() {
        return Err(UpgradeError::Verification(format!(
            "{CHECKSUMS_FILE} of {} does not list {asset_name}",
            release.tag_name
        ))
        .into());
    }
    eprintln!("downloading paideia {version} ({asset_name}) …");
    let bar = progress::download_bar();
    download::download(
        source,
        &asset.browser_download_url,
        part,
        asset.size,
        &|done, total| bar.update(done, total),
    )
    .await?;
    bar.finish();
    if let Err(e) = verify::check_checksum(part, &sums, asset_name) {
        download::remove(part);
        return Err(e.into());
    }
    eprintln!("verified: SHA-256 matches {CHECKSUMS_FILE}, whose signature is by a trusted key");
    Ok(())
}

/// SHA256SUMS, accepted only with a valid signature by a compiled-in key.
async fn signed_checksums(
    source: &ReleaseSource,
    release: &Release,
) -> Result<String, UpgradeError> {
    let sig_name = signature_name(CHECKSUMS_FILE);
    let missing = |name: &str| {
        UpgradeError::Verification(format!(
            "release {} has no {name}, so its binary cannot be verified",
            release.tag_name
        ))
    };
    let sums = release
        .asset(CHECKSUMS_FILE)
        .ok_or_else(|| missing(CHECKSUMS_FILE))?;
    let sig = release.asset(&sig_name).ok_or_else(|| missing(&sig_name))?;
    let sums = source.text(sums).await?;
    let sig = source.text(sig).await?;
    verify::check_signature(sums.as_bytes(), &sig, &keys::trusted(), CHECKSUMS_FILE)?;
    Ok(sums)
}

/// `--from-file BINARY --signature FILE`: the signature covers the binary itself.
pub async fn from_file(
    ctx: &Context,
    args: &UpgradeArgs,
    policy: &Policy,
    file: &Path,
    attempt: &mut Attempt,
) -> anyhow::Result<ExitStatus> {
    let install = Install::current()?;
    let _lock = install.claim()?;
    let part = install.partial("from-file");
    let guard = Discard(&part);
    let (reported, version) = verified_file(args, file, &part).await?;
    let pinned = Policy {
        to: Some(version.clone()),
        pre: true,
        ..policy.clone()
    };
    let candidates = [crate::upgrade::Candidate {
        version: version.clone(),
        prerelease: !version.pre.is_empty(),
    }];
    attempt.to = Some(version.clone());
    let Choice::Move(target) = choose(&version::semver(), &candidates, &pinned)? else {
        attempt.to = None; // nothing to do, nothing to record
        eprintln!("paideia {version} is already running; nothing to do");
        return Ok(ExitStatus::Success);
    };
    approve(ctx, &target, &[], args.yes).await?;
    std::mem::forget(guard);
    install_new(
        ctx,
        args,
        &install,
        &part,
        Some(reported),
        &target.version,
        attempt,
    )
    .await
}

/// Copies `--from-file` to `part`, checks its size and `--signature` (which covers the
/// binary itself), makes it executable and asks it for its version.
pub async fn verified_file(
    args: &UpgradeArgs,
    file: &Path,
    part: &Path,
) -> anyhow::Result<(smoke::Reported, Version)> {
    let signature_path = args
        .signature
        .as_deref()
        .expect("clap requires --signature");
    let signature =
        std::fs::read_to_string(signature_path).map_err(UpgradeError::io(signature_path))?;
    if copy_synced(file, part)? > download::MAX_BINARY_BYTES {
        return Err(UpgradeError::Verification(format!(
            "{} is larger than a paideia binary may be",
            file.display()
        ))
        .into());
    }
    let data = std::fs::read(part).map_err(UpgradeError::io(part))?;
    verify::check_signature(
        &data,
        &signature,
        &keys::trusted(),
        &file.display().to_string(),
    )?;
    drop(data);
    set_executable(part)?;
    let reported = smoke::reported(part).await?;
    let version = Version::parse(&reported.version).map_err(|_| {
        UpgradeError::SmokeTest(format!("it reports version {:?}", reported.version))
    })?;
    Ok((reported, version))
}

/// The notes of every release on the way, on stderr.
pub fn show_notes(to: &Version, notes: &[NotesOnTheWay]) {
    if !notes.is_empty() {
        eprintln!("release notes on the way to {to}:");
        for release in notes {
            eprintln!("{}\n", release.render());
        }
    }
}

/// The admin's and the database's consent: the notes of every release on the way are shown,
/// a new major is confirmed after them; a downgrade must not go below the compatibility record.
async fn approve(
    ctx: &Context,
    target: &Target,
    notes: &[NotesOnTheWay],
    yes: bool,
) -> anyhow::Result<()> {
    show_notes(&target.version, notes);
    if target.crosses_series {
        confirm_major(notes, &target.version, yes)?;
    }
    if target.downgrade {
        check_downgrade(ctx, &target.version).await?;
    }
    Ok(())
}

/// Asks before crossing a major, after the notes on the way (shown by `approve`).
fn confirm_major(notes: &[NotesOnTheWay], to: &Version, yes: bool) -> anyhow::Result<()> {
    eprintln!("paideia {to} is a new major version.");
    if !notes.iter().any(NotesOnTheWay::must_read) {
        eprintln!(
            "The release notes on the way list no breaking changes, migration notes or deprecations; read them before going on."
        );
    }
    if !confirm(&format!("upgrade across a major version to {to}?"), yes)? {
        return Err(CommandError::new("cancelled; nothing was changed").into());
    }
    Ok(())
}

/// Refuses a version older than the database's compatibility record allows.
async fn check_downgrade(ctx: &Context, to: &Version) -> anyhow::Result<()> {
    if !database_exists(ctx) {
        return Ok(());
    }
    let db = ctx.connect(Open::MustExist).await?;
    let status = Migrator::embedded(&db).status().await;
    db.close();
    let min = status?
        .min_binary_version
        .and_then(|v| Version::parse(&v).ok());
    if let Some(min) = min.filter(|min| to < min) {
        return Err(UpgradeError::Refused {
            message: format!("the database needs paideia {min} or newer (its compatibility record); {to} is too old for it"),
            hint: "a downgrade below the record needs the pre-upgrade dump: restore it with the older binary".into(),
        }
        .into());
    }
    Ok(())
}

pub fn database_exists(ctx: &Context) -> bool {
    let url = &ctx.settings.database_url;
    url.engine() != Engine::Sqlite || url.sqlite_path().exists()
}

/// The environment that points a child paideia at this command's database.
pub fn database_env(ctx: &Context) -> Vec<(String, String)> {
    vec![
        (
            crate::envvars::DATABASE_URL.to_string(),
            ctx.settings.database_url.expose().to_string(),
        ),
        (
            crate::envvars::DATA_DIR.to_string(),
            ctx.settings.data_dir.display().to_string(),
        ),
    ]
}

/// Deletes the file when dropped (a failure before the swap).
pub struct Discard<'a>(pub &'a Path);

impl Drop for Discard<'_> {
    fn drop(&mut self) {
        download::remove(self.0);
    }
}

/// Trial run, dump, swap: the steps after the binary is verified. `new` comes with its
/// `--version --json` report when the caller has already asked it (`--from-file`).
async fn install_new(
    ctx: &Context,
    args: &UpgradeArgs,
    install: &Install,
    new: &Path,
    reported: Option<smoke::Reported>,
    to: &Version,
    attempt: &mut Attempt,
) -> anyhow::Result<ExitStatus> {
    let guard = Discard(new);
    set_executable(new)?;
    let report = match reported {
        Some(report) => report,
        None => smoke::reported(new).await?,
    };
    smoke::check_report(&report, to)?;
    if database_exists(ctx)
        && let Err(reason) = smoke::database_verdict(new, &database_env(ctx)).await?
    {
        return Err(UpgradeError::SmokeTest(format!(
            "it cannot run against this database: {reason}"
        ))
        .into());
    }
    eprintln!(
        "trial run passed: the new binary reports {to} for {}",
        report.target
    );
    let from = version::semver();
    let backup = if args.no_backup {
        eprintln!("warning: --no-backup: no dump of the database was taken before this upgrade");
        None
    } else {
        dump_first(ctx, &from, to, attempt).await?
    };
    let record = Record {
        from_version: from.to_string(),
        to_version: to.to_string(),
        backup: backup.clone(),
        at: chrono::Utc::now(),
    };
    install.write_record(&record)?;
    install.swap_in(new)?;
    attempt.swapped = true;
    std::mem::forget(guard);
    eprintln!(
        "upgraded paideia {from} -> {to} at {}; the previous binary is kept at {} (`paideia upgrade --rollback` puts it back)",
        install.exe().display(),
        install.previous().display()
    );
    if ctx.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "from": from.to_string(),
                "to": to.to_string(),
                "executable": install.exe(),
                "previous": install.previous(),
                "backup": backup,
            }))?
        );
    }
    restart::after_swap(args.restart, args.yes, install.exe());
    Ok(ExitStatus::Success)
}

/// Copies `from` to `to` and fsyncs it, returning the bytes copied.
fn copy_synced(from: &Path, to: &Path) -> Result<u64, UpgradeError> {
    let copied = std::fs::copy(from, to).map_err(UpgradeError::io(from))?;
    std::fs::File::open(to)
        .and_then(|f| f.sync_all())
        .map_err(UpgradeError::io(to))?;
    Ok(copied)
}

pub fn set_executable(path: &Path) -> Result<(), UpgradeError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(UpgradeError::io(path))
}

/// A dump of the database into the backup directory, verified like `verify-backup --quick`.
async fn dump_first(
    ctx: &Context,
    from: &Version,
    to: &Version,
    attempt: &mut Attempt,
) -> anyhow::Result<Option<PathBuf>> {
    if !database_exists(ctx) {
        eprintln!(
            "no database at {} yet: nothing to dump",
            ctx.settings.database_url
        );
        return Ok(None);
    }
    let dir = ctx.settings.backup.dir.clone();
    create_private_dir(&dir).map_err(UpgradeError::io(&dir))?;
    let path = dir.join(format!(
        "paideia-pre-upgrade-{from}-to-{to}-{}.sql.zst",
        chrono::Utc::now().format("%Y%m%d-%H%M%S%.3f")
    ));
    let db = ctx.connect(Open::MustExist).await?;
    let options = DumpOptions {
        compression: Compression::Zstd {
            level: Compression::DEFAULT_ZSTD_LEVEL,
        },
        jobs: 2,
    };
    let bars: Arc<dyn backup::Progress> = Arc::new(progress::Bars::new());
    let written = backup::dump_to_file(&db, &path, options, bars, false).await;
    db.close();
    written?;
    attempt.backup = Some(path.clone());
    let verified = backup::verify(&path, None).await;
    attempt.backup_verified = Some(verified.is_ok());
    match verified {
        Ok(report) => eprintln!(
            "dumped the database to {} and verified it ({} tables, {} rows)",
            path.display(),
            report.tables,
            report.rows
        ),
        Err(e) => {
            return Err(CommandError::new(format!(
                "the pre-upgrade dump {} failed verification: {e}; nothing was replaced",
                path.display()
            ))
            .into());
        }
    }
    Ok(Some(path))
}
