//! The current binary reading the migrated copy as the site would: its own router (this very
//! binary's handlers and queries) served in-process on a private 127.0.0.1 port, with a
//! session started for an administrator of the copy, and a few hot pages requested over
//! real HTTP. No background job runs (no mail, no trash purge, no janitor), and media storage
//! is an empty folder inside the scratch folder, so nothing outside the copy is touched.

use std::{path::Path, sync::Arc, time::Instant};

use tokio::{net::TcpListener, sync::watch};

use crate::{
    db::Db,
    lms::{Lms, SystemClock, sessions::ClientInfo},
    settings::TrustedProxies,
    storage::Storage,
    upgrade::rehearsal::Check,
    web::{AppParts, AppState, Limits, listener, router},
};

/// Serves the copy and requests the home page, the first course, the calendar and the admin
/// pages as an administrator; one check per page (200 is a pass).
pub async fn read_hot_pages(db: &Db, media_dir: &Path) -> anyhow::Result<Vec<Check>> {
    let lms = Lms::new(db.clone(), Arc::new(SystemClock));
    let admin = db
        .query_opt(
            "SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id LIMIT 1",
            &[],
        )
        .await?;
    let Some(admin) = admin else {
        return Ok(vec![Check {
            what: "page reads".into(),
            ok: true,
            detail: "skipped: the copy has no administrator to read pages as".into(),
        }]);
    };
    let session = lms
        .start_session(
            admin.get("id")?,
            &ClientInfo {
                address: Some("127.0.0.1".into()),
                user_agent: Some("paideia upgrade --rehearse".into()),
            },
        )
        .await?;
    let mut paths = vec!["/".to_string()];
    if let Some(course) = db
        .query_opt("SELECT slug FROM courses ORDER BY id LIMIT 1", &[])
        .await?
    {
        paths.push(format!("/courses/{}", course.get::<String>("slug")?));
    }
    paths.extend(["/calendar", "/admin/users", "/admin/system"].map(String::from));

    std::fs::create_dir_all(media_dir)?;
    let app = router(AppState::new(AppParts {
        db: db.clone(),
        storage: Storage::local(media_dir).await?,
        lms,
        proxies: TrustedProxies::loopback(),
        request_timeout: std::time::Duration::from_secs(60),
        readiness: Default::default(),
    }));
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let (stop, draining) = watch::channel(false);
    let limits = Limits {
        header_timeout: std::time::Duration::from_secs(10),
        idle_timeout: std::time::Duration::from_secs(75),
        max_connections: 8,
    };
    let server = tokio::spawn(listener::serve(
        listener,
        app,
        limits,
        draining.clone(),
        draining,
    ));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let cookie = format!("{}={}", crate::web::SESSION_COOKIE, session.token);
    let mut checks = Vec::new();
    for path in paths {
        let started = Instant::now();
        let answer = client
            .get(format!("http://{address}{path}"))
            .header(reqwest::header::COOKIE, &cookie)
            .send()
            .await;
        let ms = started.elapsed().as_millis();
        checks.push(match answer {
            Ok(r) if r.status().is_success() => Check {
                what: format!("GET {path}"),
                ok: true,
                detail: format!("{} in {ms} ms", r.status().as_u16()),
            },
            Ok(r) => {
                let status = r.status().as_u16();
                let body = r.text().await.unwrap_or_default();
                Check {
                    what: format!("GET {path}"),
                    ok: false,
                    detail: format!("{status}: {}", first_words(&body)),
                }
            }
            Err(e) => Check {
                what: format!("GET {path}"),
                ok: false,
                detail: e.to_string(),
            },
        });
    }
    stop.send_replace(true);
    let _ = server.await;
    Ok(checks)
}

/// The start of an error page's text, for the report.
fn first_words(body: &str) -> String {
    let text: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    text.chars().take(200).collect()
}
