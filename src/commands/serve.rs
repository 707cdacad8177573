//! `paideia serve`: migrate, then serve HTTP until SIGTERM or SIGINT, then drain in-flight
//! requests for a bounded time, close the pools and exit 0.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    http::{HeaderValue, header},
    response::Response,
};

use tokio::{net::TcpListener, sync::watch};

use crate::{
    commands::{Context, context::Open},
    db,
    exit::{CommandError, ExitStatus},
    lms::{Lms, SystemClock, Zone, outbox::MailSite},
    mail::{self, RetryPolicy, Smtp, Worker},
    migrate::{Migrator, UpOptions},
    storage::Storage,
    version::BuildInfo,
    web::{AppParts, AppState, Limits, listener, router},
};

/// Database connections beside the pool for sign-in and readiness checks, so that a slow
/// route holding every pooled connection cannot starve them.
const URGENT_CONNECTIONS: usize = 2;

/// File descriptors kept free of connections: the database pool, storage requests, uploads
/// being written, logs.
const RESERVED_FDS: u64 = 128;

/// Raises the soft open-file limit to the hard one (as Go's runtime does at start-up) and
/// returns how many connections fit: `wanted`, lowered to leave `RESERVED_FDS` free, so that
/// a flood of connections waits in the backlog instead of making `accept` fail.
fn connection_cap(wanted: usize) -> usize {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let Ok((mut soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) else {
        return wanted;
    };
    if soft < hard && setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_ok() {
        soft = hard;
    }
    let room = usize::try_from(soft.saturating_sub(RESERVED_FDS)).unwrap_or(usize::MAX);
    if wanted > room {
        tracing::warn!(
            "the open-file limit ({soft}) allows {room} connections, fewer than the {wanted} configured; raise LimitNOFILE"
        );
    }
    wanted.min(room).max(1)
}

/// Purges the courses' trash entries older than `lms::trash::TRASH_DAYS` at start and then
/// with the storage janitor's rhythm, removing their files' objects (a failure leaves an
/// orphan for `paideia storage gc`).
fn spawn_trash_purge(lms: Lms, storage: Storage) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(crate::storage::janitor::INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match lms.purge_expired_trash().await {
                Ok((0, _)) => {}
                Ok((entries, keys)) => {
                    tracing::info!(
                        "trash: purged {entries} expired entr(y/ies) with {} file(s)",
                        keys.len()
                    );
                    for key in keys {
                        if let Err(e) = storage.delete(&key).await {
                            tracing::warn!("trash: cannot remove a purged file: {e}");
                        }
                    }
                }
                Err(e) => tracing::warn!("trash: cannot purge expired entries: {e}"),
            }
        }
    })
}

/// Submits quiz attempts whose time and grace ran out and releases quiz grades after the
/// close, every 30 seconds (`lms::quizzes::attempts`; safe on several instances).
fn spawn_quiz_jobs(lms: Lms) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(std::time::Duration::from_secs(30));
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match lms.run_quiz_jobs().await {
                Ok((0, 0)) => {}
                Ok((closed, released)) => tracing::info!(
                    "quizzes: {closed} attempt(s) submitted when their time ran out, {released} grade(s) released"
                ),
                Err(e) => tracing::warn!("quizzes: the periodic job failed: {e}"),
            }
        }
    })
}

/// Publishes scheduled announcements, warns of work due within a day and builds daily
/// digests, every minute (`lms::notifications`; each step is safe on several instances).
fn spawn_notification_jobs(lms: Lms) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(std::time::Duration::from_secs(60));
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match lms.run_notification_jobs().await {
                Ok((0, 0, 0)) => {}
                Ok((published, due, digests)) => tracing::info!(
                    "notifications: {published} announcement(s) published, {due} due-soon notice(s), {digests} digest(s)"
                ),
                Err(e) => tracing::warn!("notifications: a periodic job failed: {e}"),
            }
        }
    })
}

pub async fn run(ctx: &Context) -> anyhow::Result<ExitStatus> {
    let settings = &ctx.settings;
    settings.ensure_data_dir()?;
    tracing::info!("{}", BuildInfo::current().line());
    let limits = db::Limits {
        statement_timeout: Some(settings.db_statement_timeout),
        lock_timeout: Some(settings.db_lock_timeout),
        wait: settings.db_lock_timeout,
        reserve: URGENT_CONNECTIONS,
    };
    let db = ctx.connect_with(Open::CreateIfMissing, limits).await?;
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
    // Clears what killed uploads left, at start and hourly (storage::temp).
    crate::storage::janitor::spawn(storage.clone());

    let (listener, origin) = listen(settings.bind).await?;
    let address = listener.local_addr()?;
    let limits = Limits {
        header_timeout: settings.server.header_timeout,
        idle_timeout: settings.server.idle_timeout,
        max_connections: connection_cap(settings.server.max_connections),
    };
    tracing::info!(
        "listening on http://{address} ({origin}); up to {} connections",
        limits.max_connections
    );

    // Set once on SIGTERM: the listener stops accepting, responses say `Connection: close`.
    let (start_draining, draining) = watch::channel(false);
    // Set a moment later: each connection finishes its request in flight and closes.
    let (start_stopping, stopping) = watch::channel(false);
    let mut lms = Lms::new(db.clone(), Arc::new(SystemClock))
        .with_default_zone(settings.time_zone.unwrap_or_else(Zone::server));
    // Sends the outbox when SMTP is configured; without it nothing is queued.
    let mailer = match &settings.mail.smtp {
        Some(smtp) => {
            lms = lms.with_mail(MailSite::new(&settings.mail.public_url));
            let client = Smtp::new(smtp, mail::worker::PARALLEL as u32)
                .map_err(|e| CommandError::new(format!("mail: {e}")))?;
            let policy = RetryPolicy {
                max_attempts: settings.mail.max_attempts,
                first: settings.mail.retry,
            };
            let deadline = client.send_deadline();
            let worker = Worker::new(lms.clone(), client, policy);
            Some((worker.spawn(draining.clone()), deadline))
        }
        None => {
            tracing::info!(
                "mail: not configured ({} is not set); no mail is queued",
                crate::envvars::SMTP_HOST
            );
            None
        }
    };
    // Empties the courses' trash of what was deleted long enough ago, at start and hourly.
    spawn_trash_purge(lms.clone(), storage.clone());
    spawn_notification_jobs(lms.clone());
    spawn_quiz_jobs(lms.clone());
    let app = router(AppState::new(AppParts {
        db: db.clone(),
        storage,
        lms,
        proxies: settings.server.trusted_proxies.clone(),
        request_timeout: settings.server.request_timeout,
        readiness: Default::default(),
    }))
    .layer(axum::middleware::map_response(close_connections_while(
        draining.clone(),
    )));
    let mut server = tokio::spawn(listener::serve(listener, app, limits, draining, stopping));

    tokio::select! {
        result = &mut server => {
            db.close();
            result?;
            return Err(CommandError::new("the HTTP server stopped unexpectedly").into());
        }
        signal = shutdown_signal() => {
            tracing::info!(
                "received {signal}: draining in-flight requests for up to {}s",
                settings.drain_timeout.as_secs()
            );
        }
    }
    start_draining.send_replace(true);
    tokio::time::sleep(RECONNECT_WINDOW.min(settings.drain_timeout)).await;
    start_stopping.send_replace(true);
    match tokio::time::timeout(settings.drain_timeout, &mut server).await {
        Ok(result) => {
            result?;
            tracing::info!("all requests finished; stopped");
        }
        Err(_) => {
            server.abort();
            tracing::warn!("drain timeout reached: requests still running were cut off");
        }
    }
    if let Some((mut worker, deadline)) = mailer
        && tokio::time::timeout(deadline, &mut worker).await.is_err()
    {
        worker.abort();
        tracing::warn!("mail: a message was still being sent at shutdown; it will be sent again");
    }
    db.close();
    Ok(ExitStatus::Success)
}

/// The socket to serve on: the one systemd (or another supervisor) passed in with socket
/// activation, so a restart never closes the listening socket and connections that arrive
/// meanwhile wait in its backlog; otherwise a new one bound to `bind`.
async fn listen(bind: SocketAddr) -> anyhow::Result<(TcpListener, &'static str)> {
    let mut passed = listenfd::ListenFd::from_env();
    let inherited = passed.take_tcp_listener(0).map_err(|e| {
        CommandError::new(format!("the socket passed in LISTEN_FDS is unusable: {e}")).hint(
            "pass a TCP listening socket (ListenStream= in paideia.socket), or unset LISTEN_FDS",
        )
    })?;
    if let Some(std_listener) = inherited {
        std_listener.set_nonblocking(true)?;
        return Ok((
            TcpListener::from_std(std_listener)?,
            "socket passed by the service manager",
        ));
    }
    let listener = TcpListener::bind(bind).await.map_err(|e| {
        CommandError::new(format!("cannot listen on {bind}: {e}"))
            .hint("choose another address with --bind or PAIDEIA_BIND")
    })?;
    Ok((listener, "bound by paideia"))
}

/// How long a stopping server, which accepts no new connection, keeps answering on the open
/// ones with `Connection: close` before it winds them down. Closing an idle keep-alive connection races with a client that is sending on
/// it (the client sees the connection reset under its request); answering once more with
/// `Connection: close` moves busy clients to a new connection (the next process, or another
/// instance behind the load balancer) without losing a request.
const RECONNECT_WINDOW: Duration = Duration::from_millis(1000);

/// Adds `Connection: close` to every response once `draining` is set.
fn close_connections_while(
    draining: watch::Receiver<bool>,
) -> impl Fn(Response) -> std::future::Ready<Response> + Clone {
    move |mut response: Response| {
        if *draining.borrow() {
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        std::future::ready(response)
    }
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
