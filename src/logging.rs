//! Log set-up: tracing to stderr, as text or JSON lines, at a level from -q/-v or PAIDEIA_LOG.

use std::io::IsTerminal;

use tracing_subscriber::{EnvFilter, fmt};

use crate::{envvars, settings::LogFormat};

/// `verbosity` is the count of -v minus the count of -q.
pub fn init(format: LogFormat, verbosity: i8) {
    let level = match verbosity {
        i8::MIN..=-2 => "error",
        -1 => "warn",
        0 => "info",
        1 => "debug",
        _ => "trace",
    };
    let filter = std::env::var(envvars::LOG)
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| EnvFilter::new(format!("{level},hyper=warn,tokio_postgres=warn")));
    let builder = fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let _ = match format {
        LogFormat::Text => builder.with_target(false).try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}
