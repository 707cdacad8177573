//! `paideia serve`: migrate, then serve HTTP until SIGTERM or SIGINT, then drain in-flight
//! requests for a bounded time, close the pools and exit 0.

use std::{future::IntoFuture, net::SocketAddr, sync::Arc};

use tokio::{net::TcpListener, sync::Notify};

use crate::{
    commands::{Context, context::Open},
    exit::{CommandError, ExitStatus},
    lms::{Lms, SystemClock},
    migrate::{Migrator, UpOptions},
    storage::Storage,
    version::BuildInfo,
    web::{AppState, router},
};

pub async fn run(ctx: &Context) -> anyhow::Result<ExitStatus> {
    let settings = &ctx.settings;
    settings.ensure_data_dir()?;
    tracing::info!("{}", BuildInfo::current().line());
    let db = ctx.connect(Open::CreateIfMissing).await?;
    tracing::info!("database: {} ({})", settings.database_url, db.engine());
    let report = Migrator::embedded(&db)
        .lock_timeout(settings.migration_lock_timeout)
        .up(UpOptions::default())
        .await?;
    if !report.applied.is_empty() {
        tracing::info!("applied {} migration(s)", report.applied.len());
    }
    let storage = Storage::from_settings(settings).await?;
    tracing::info!("storage: {storage}");

    let listener = TcpListener::bind(settings.bind).await.map_err(|e| {
        CommandError::new(format!("cannot listen on {}: {e}", settings.bind))
            .hint("choose another address with --bind or PAIDEIA_BIND")
    })?;
    let address = listener.local_addr()?;
    tracing::info!("listening on http://{address}");

    let app = router(AppState {
        db: db.clone(),
        storage,
        lms: Lms::new(db.clone(), Arc::new(SystemClock)),
    })
    .into_make_service_with_connect_info::<SocketAddr>();
    let stop = Arc::new(Notify::new());
    let graceful = {
        let stop = stop.clone();
        async move { stop.notified().await }
    };
    let mut server = tokio::spawn(
        axum::serve(listener, app)
            .with_graceful_shutdown(graceful)
            .into_future(),
    );

    tokio::select! {
        result = &mut server => {
            db.close();
            result??;
            return Err(CommandError::new("the HTTP server stopped unexpectedly").into());
        }
        signal = shutdown_signal() => {
            tracing::info!(
                "received {signal}: draining in-flight requests for up to {}s",
                settings.drain_timeout.as_secs()
            );
        }
    }
    stop.notify_one();
    match tokio::time::timeout(settings.drain_timeout, &mut server).await {
        Ok(result) => {
            result??;
            tracing::info!("all requests finished; stopped");
        }
        Err(_) => {
            server.abort();
            tracing::warn!("drain timeout reached: requests still running were cut off");
        }
    }
    db.close();
    Ok(ExitStatus::Success)
}

async fn shutdown_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("install SIGTERM handler");
    let mut int = signal(SignalKind::interrupt()).expect("install SIGINT handler");
    tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = int.recv() => "SIGINT",
    }
}
