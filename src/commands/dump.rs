//! `paideia dump`: a consistent, hashed dump written atomically (mode 0600), or to stdout.

use std::{
    io::BufWriter,
    path::{Path, PathBuf},
    sync::Arc,
    time::Instant,
};

use crate::{
    backup::{self, AtomicFile, Compression, DumpOptions},
    cli::{CompressArg, DumpArgs},
    commands::{Context, context::Open, progress},
    exit::ExitStatus,
};

pub async fn run(ctx: &Context, args: DumpArgs) -> anyhow::Result<ExitStatus> {
    let output = args.output.clone().unwrap_or_else(default_name);
    let to_stdout = output.as_os_str() == "-";
    let compression = compression(&args, &output);
    let options = DumpOptions {
        compression,
        jobs: usize::from(args.jobs),
    };
    let db = ctx.connect(Open::MustExist).await?;
    if !to_stdout {
        sweep_beside(&output);
    }
    let started = Instant::now();
    let bars: Arc<dyn backup::Progress> = Arc::new(progress::Bars::new());

    let (manifest, bytes) = if to_stdout {
        let mut out = BufWriter::new(std::io::stdout());
        backup::dump_to_stream(&db, &mut out, options, bars).await?
    } else {
        backup::dump_to_file(&db, &output, options, bars, args.force).await?
    };
    db.close();
    let line = progress::summary(
        manifest.tables.len(),
        manifest.total_rows(),
        bytes,
        started.elapsed(),
    );
    if to_stdout {
        eprintln!("dumped {line}");
    } else {
        eprintln!("dumped {line} to {}", output.display());
    }
    if !ctx.quiet {
        eprintln!(
            "note: a dump holds the database only; `paideia backup run` keeps database and files together"
        );
    }
    Ok(ExitStatus::Success)
}

/// Removes the temporary files that killed dumps left beside `output` (storage::temp).
fn sweep_beside(output: &Path) {
    let swept = AtomicFile::sweep_beside(output, std::time::SystemTime::now());
    if !swept.stale.is_empty() {
        tracing::info!(
            "removed {} temporary file(s) ({}) that killed dumps left: {}",
            swept.stale.len(),
            indicatif::HumanBytes(swept.bytes()),
            swept
                .stale
                .iter()
                .map(|l| l.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for failure in swept.failures {
        tracing::warn!("{failure}");
    }
}

fn default_name() -> PathBuf {
    PathBuf::from(format!(
        "paideia-dump-{}.sql.zst",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    ))
}

fn compression(args: &DumpArgs, output: &Path) -> Compression {
    let level = args.level.unwrap_or(Compression::DEFAULT_ZSTD_LEVEL);
    match (args.compress, Compression::for_path(output)) {
        (Some(CompressArg::None), _) => Compression::None,
        (Some(CompressArg::Zstd), _) | (None, Compression::Zstd { .. }) => {
            Compression::Zstd { level }
        }
        (None, Compression::None) => Compression::None,
    }
}
