//! Mail end to end with a real SMTP server (aiosmtpd, `tests/smtp_sink.py`) and the real
//! `paideia serve`: the password reset link by email, one-click unsubscribe, the outbox
//! drained after `kill -9` at random moments (SQLite) and by two instances at once
//! (PostgreSQL), and servers that refuse, stay silent, drop the connection or reject.

use std::{
    collections::{HashMap, HashSet},
    net::TcpListener,
    sync::Arc,
    time::{Duration, Instant},
};

use paideia::{
    db::Db,
    lms::{
        Lms, MailKind, NewMail, SystemClock, SystemRole,
        outbox::{self, MailSite},
    },
    migrate::{Migrator, UpOptions},
};
use reqwest::StatusCode;

use crate::{
    on_both_engines,
    support::{
        Backend,
        browser::{Browser, PASSWORD, account},
        server::Server,
        smtp::SmtpSink,
    },
};

on_both_engines!(forgot_password_mails_a_working_single_use_link);

/// A server on `b` whose mail goes to `sink` (or, with `smtp` given, wherever those settings
/// say), with its public address set to where it listens.
fn serve(b: &Backend, smtp: &[(&str, String)], extra: &[(&str, &str)]) -> Server {
    let socket = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", socket.local_addr().unwrap());
    let mut cmd = b.paideia();
    cmd.arg("serve")
        .env("PAIDEIA_PUBLIC_URL", &url)
        .envs(smtp.iter().map(|(k, v)| (*k, v.as_str())))
        .envs(extra.iter().copied());
    Server::start_on(cmd, &socket)
}

async fn migrated(b: &Backend) -> Db {
    let db = b.db().await;
    Migrator::embedded(&db)
        .up(UpOptions::default())
        .await
        .unwrap();
    db
}

/// Polls `check` until it is true (panics after `limit`).
async fn until<F: AsyncFn() -> bool>(what: &str, limit: Duration, check: F) {
    let deadline = Instant::now() + limit;
    while !check().await {
        assert!(Instant::now() < deadline, "{what} within {limit:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn count(db: &Db, sql: &str) -> i64 {
    db.query_one(sql, &[]).await.unwrap().get("n").unwrap()
}

async fn forgot_password_mails_a_working_single_use_link(b: Backend) {
    let sink = SmtpSink::start();
    let db = migrated(&b).await;
    let lms = Lms::new(db.clone(), Arc::new(SystemClock));
    let ada = account(&lms, "ada@example.org", SystemRole::Student).await;
    let server = serve(&b, &sink.env(), &[]);

    // An unknown address gets the same answer and no mail.
    let browser = Browser::new(&server);
    let (status, page) = browser.get("/login").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"href="/forgot-password""#));
    browser.get("/forgot-password").await;
    let unknown = browser
        .post("/forgot-password", &[("email", "nobody@example.org")])
        .await;
    assert_eq!(unknown.status(), StatusCode::OK);
    let unknown = unknown.text().await.unwrap();
    browser.get("/forgot-password").await;
    let known = browser
        .post("/forgot-password", &[("email", "ADA@example.org")])
        .await;
    assert_eq!(known.status(), StatusCode::OK);
    let known = known.text().await.unwrap();
    let words =
        |page: &str, email: &str| page.replace(email, "EMAIL").replace(&browser.token(), "");
    assert_eq!(
        words(&unknown, "nobody@example.org"),
        words(&known, "ADA@example.org"),
        "the same answer whether or not the account exists"
    );
    assert!(known.contains("If an account has the address"));

    let mails = sink.wait_for(1, Duration::from_secs(30));
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM outbox").await, 1);
    let mail = &mails[0];
    assert_eq!(mail.rcpt, vec!["ada@example.org".to_string()]);
    let stored: String = db
        .query_one("SELECT message_id FROM outbox", &[])
        .await
        .unwrap()
        .get("message_id")
        .unwrap();
    assert_eq!(mail.message_id(), stored);
    assert!(
        mail.header("content-type")
            .unwrap()
            .starts_with("multipart/alternative"),
        "text and HTML"
    );
    assert_eq!(
        mail.header("list-unsubscribe"),
        None,
        "a reset is not a list"
    );
    let prefix = server.url("/reset-password/");
    let text = mail.decoded();
    let start = text.find(&prefix).expect("the link") + prefix.len();
    let secret: String = text[start..].chars().take(64).collect();
    assert!(secret.chars().all(|c| c.is_ascii_hexdigit()), "{secret}");
    let link = format!("/reset-password/{secret}");

    // Sessions and tokens of the account end when the link sets a password.
    let other_device = Browser::signed_in(&server, "ada@example.org").await;
    lms.create_token(&ada, "script", None).await.unwrap();
    let (status, page) = browser.get(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("ada@example.org"));
    let short = browser.post(&link, &[("password", "short")]).await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let set = browser
        .post(&link, &[("password", "a brand new passphrase")])
        .await;
    assert_eq!(set.status(), StatusCode::SEE_OTHER);
    assert_eq!(other_device.get("/account").await.0, StatusCode::SEE_OTHER);
    assert!(lms.tokens(&ada).await.unwrap().is_empty());
    let again = Browser::new(&server);
    assert_eq!(
        again.sign_in("ada@example.org", PASSWORD).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        again
            .sign_in("ada@example.org", "a brand new passphrase")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(browser.get(&link).await.0, StatusCode::NOT_FOUND, "used up");
    assert!(
        !server.log().contains(&secret),
        "the secret stays out of the log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsubscribe_headers_and_one_click() {
    let b = Backend::sqlite();
    let sink = SmtpSink::start();
    let db = migrated(&b).await;
    let server = serve(&b, &sink.env(), &[]);
    let lms = Lms::new(db.clone(), Arc::new(SystemClock)).with_mail(MailSite::new(&server.url("")));
    let ada = account(&lms, "ada@example.org", SystemRole::Student).await;
    let mut mail = NewMail::to_user(&ada, MailKind::Announcement, "Field trip", "On Friday.");
    mail.html = Some("<p>On <b>Friday</b>.</p>".into());
    let mut conn = db.conn().await.unwrap();
    lms.enqueue_mail(&mut conn, &mail).await.unwrap().unwrap();
    let received = sink.wait_for(1, Duration::from_secs(30));
    let header = received[0].header("list-unsubscribe").unwrap().to_string();
    assert_eq!(
        received[0].header("list-unsubscribe-post"),
        Some("List-Unsubscribe=One-Click")
    );
    let url = header.trim_matches(['<', '>']).to_string();
    assert!(url.starts_with(&server.url("/unsubscribe/")), "{url}");
    // A mail program's one-click POST: no cookie, no CSRF token.
    paideia::install_crypto_provider();
    let client = reqwest::Client::new();
    let wrong = client
        .post(format!("{}x", &url[..url.len() - 1]))
        .body("List-Unsubscribe=One-Click")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND, "a wrong MAC");
    let page = client.get(&url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        outbox::email_enabled(&mut conn, ada.id, MailKind::Announcement)
            .await
            .unwrap(),
        "GET changes nothing"
    );
    let click = client
        .post(&url)
        .body("List-Unsubscribe=One-Click")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(click.status(), StatusCode::OK);
    assert!(
        !outbox::email_enabled(&mut conn, ada.id, MailKind::Announcement)
            .await
            .unwrap()
    );
    assert_eq!(
        lms.enqueue_mail(&mut conn, &mail).await.unwrap(),
        None,
        "no more announcements by mail"
    );
}

/// Queues `n` mails in one transaction (as a 500-student announcement would); returns their
/// Message-IDs.
async fn queue(db: &Db, n: usize) -> HashSet<String> {
    let lms =
        Lms::new(db.clone(), Arc::new(SystemClock)).with_mail(MailSite::new("http://lms.test"));
    let started = Instant::now();
    let mut conn = db.conn().await.unwrap();
    let mut tx = conn.transaction().await.unwrap();
    for i in 0..n {
        let mail = NewMail {
            to_user: None,
            to_address: format!("student{i}@example.org"),
            kind: MailKind::Announcement,
            subject: format!("Announcement {i}"),
            text: "Hello".into(),
            html: None,
            headers: Vec::new(),
            expires_at: None,
        };
        lms.enqueue_mail(&mut tx, &mail).await.unwrap().unwrap();
    }
    tx.commit().await.unwrap();
    if n > 1 {
        eprintln!(
            "queued {n} mails in one transaction on {} in {:?}",
            db.engine(),
            started.elapsed()
        );
    }
    db.query("SELECT message_id FROM outbox", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("message_id").unwrap())
        .collect()
}

/// Received messages by Message-ID, with the duplicates counted.
fn tally(sink: &SmtpSink) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for m in sink.messages() {
        *seen.entry(m.message_id()).or_insert(0) += 1;
    }
    seen
}

const FAST: [(&str, &str); 3] = [
    ("PAIDEIA_SMTP_TIMEOUT", "1"),
    ("PAIDEIA_MAIL_RETRY", "1"),
    ("PAIDEIA_MAIL_MAX_ATTEMPTS", "3"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_nine_while_sending_loses_nothing() {
    const RUNS: usize = 3;
    const MAILS: usize = 500;
    const KILLS: usize = 2;
    let mut duplicates = Vec::new();
    for run in 0..RUNS {
        let b = Backend::sqlite();
        let sink = SmtpSink::start();
        let db = migrated(&b).await;
        let ids = queue(&db, MAILS).await;
        for _ in 0..KILLS {
            let server = serve(&b, &sink.env(), &FAST);
            // Killed after a random number of further deliveries.
            let target = sink.count() + rand::random_range(1..MAILS / (KILLS + 1));
            let deadline = Instant::now() + Duration::from_secs(60);
            while sink.count() < target && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            server.signal(libc::SIGKILL);
            drop(server);
        }
        let mut server = serve(&b, &sink.env(), &FAST);
        until("every message sent", Duration::from_secs(120), async || {
            count(
                &db,
                "SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'",
            )
            .await
                == MAILS as i64
        })
        .await;
        server.signal(libc::SIGTERM);
        assert_eq!(server.wait(Duration::from_secs(30)), Some(0));
        let seen = tally(&sink);
        let received: HashSet<String> = seen.keys().cloned().collect();
        assert_eq!(received, ids, "run {run}: every message, and only those");
        let extra: usize = seen.values().map(|n| n - 1).sum();
        duplicates.push(extra);
    }
    eprintln!(
        "kill -9 test: {RUNS} runs of {MAILS} messages with {KILLS} kills each: duplicates per run {duplicates:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_send_each_message_once() {
    const MAILS: usize = 500;
    let b = Backend::postgres().await;
    let sink = SmtpSink::start();
    let db = migrated(&b).await;
    let ids = queue(&db, MAILS).await;
    let started = Instant::now();
    let one = serve(&b, &sink.env(), &FAST);
    let two = serve(&b, &sink.env(), &FAST);
    until("every message sent", Duration::from_secs(120), async || {
        count(
            &db,
            "SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'",
        )
        .await
            == MAILS as i64
    })
    .await;
    eprintln!(
        "two instances on PostgreSQL sent {MAILS} mails in {:?} (start-up included)",
        started.elapsed()
    );
    drop((one, two));
    let seen = tally(&sink);
    assert_eq!(seen.keys().cloned().collect::<HashSet<_>>(), ids);
    assert!(
        seen.values().all(|n| *n == 1),
        "sent twice: {:?}",
        seen.iter().filter(|(_, n)| **n > 1).collect::<Vec<_>>()
    );
}

/// One message to a failing SMTP server: tried `attempts` times, then failed for good with an
/// error the System page shows, while the site keeps answering.
async fn fails_for_good(smtp: Vec<(&'static str, String)>, attempts: i64, error: &str) {
    let b = Backend::sqlite();
    let db = migrated(&b).await;
    let lms = Lms::new(db.clone(), Arc::new(SystemClock));
    account(&lms, "admin@example.org", SystemRole::Admin).await;
    let server = serve(&b, &smtp, &FAST);
    queue(&db, 1).await;
    paideia::install_crypto_provider();
    let client = reqwest::Client::new();
    let started = Instant::now();
    until(
        "the message failed for good",
        Duration::from_secs(60),
        async || {
            // Meanwhile the site answers at once.
            let t = Instant::now();
            let health = client.get(server.url("/healthz")).send().await.unwrap();
            assert_eq!(health.status(), StatusCode::OK);
            let login = client.get(server.url("/login")).send().await.unwrap();
            assert_eq!(login.status(), StatusCode::OK);
            assert!(t.elapsed() < Duration::from_secs(2), "the site was slow");
            count(
                &db,
                "SELECT COUNT(*) AS n FROM outbox WHERE status = 'failed'",
            )
            .await
                == 1
        },
    )
    .await;
    let row = db
        .query_one("SELECT attempts, last_error FROM outbox", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<i64>("attempts").unwrap(), attempts);
    let last_error: String = row.get("last_error").unwrap();
    assert!(
        last_error.to_lowercase().contains(error),
        "{last_error:?} should say {error:?}"
    );
    if attempts > 1 {
        // Two pauses of about a second and two seconds (a quarter either way) at least.
        assert!(started.elapsed() >= Duration::from_millis(2200), "backoff");
    }
    let admin = Browser::signed_in(&server, "admin@example.org").await;
    let (status, page) = admin.get("/admin/system").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("student0@example.org"), "the recipient");
    assert!(page.contains("Failed for good"));
    let shown = maud::html! { (last_error) }.into_string();
    assert!(page.contains(&shown), "the error on the System page");
}

fn pointed_at(port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("PAIDEIA_SMTP_HOST", "127.0.0.1".into()),
        ("PAIDEIA_SMTP_PORT", port.to_string()),
        ("PAIDEIA_SMTP_TLS", "none".into()),
        ("PAIDEIA_SMTP_FROM", "lms@school.test".into()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusing_server_is_retried_then_given_up() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    fails_for_good(pointed_at(port), 3, "refused").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_server_is_retried_then_given_up() {
    // Accepts connections and never says a word.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming() {
            held.push(conn);
        }
    });
    fails_for_good(pointed_at(port), 3, "time").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropping_server_is_retried_then_given_up() {
    // Accepts connections and closes them at once.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            drop(conn);
        }
    });
    fails_for_good(pointed_at(port), 3, "").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejection_fails_at_once() {
    let sink = SmtpSink::start_with(&["--reject", "550"]);
    fails_for_good(sink.env(), 1, "550").await;
}

/// The level and detail of doctor's check `name`.
fn doctor_check(cmd: &mut std::process::Command, name: &str) -> (String, String, String) {
    let (_, out, _) = crate::support::run(cmd.args(["doctor", "--json"]));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name}: {out}"))
        .clone();
    let text = |k: &str| check[k].as_str().unwrap_or_default().to_string();
    (text("level"), text("detail"), text("hint"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_and_mail_test_check_the_server() {
    let b = Backend::sqlite();
    let (code, _, err) = crate::support::run(b.paideia().args(["migrate", "up"]));
    assert_eq!(code, 0, "{err}");
    let (level, detail, hint) = doctor_check(&mut b.paideia(), "mail server");
    assert_eq!(level, "warn", "{detail}");
    assert!(hint.contains("PAIDEIA_SMTP_HOST"), "{hint}");
    let (code, _, err) = crate::support::run(b.paideia().args(["mail", "test", "--to", "a@b.org"]));
    assert_eq!(code, 1);
    assert!(
        err.contains("not configured") && err.contains("hint:"),
        "{err}"
    );

    let sink = SmtpSink::start();
    let (level, detail, _) = doctor_check(b.paideia().envs(sink.env()), "mail server");
    assert_eq!(level, "pass", "{detail}");
    assert_eq!(doctor_check(&mut b.paideia(), "mail outbox").0, "pass");
    let (code, out, err) = crate::support::run(b.paideia().envs(sink.env()).args([
        "mail",
        "test",
        "--to",
        "admin@school.test",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("admin@school.test"), "{out}");
    let got = sink.wait_for(1, Duration::from_secs(10));
    assert_eq!(got[0].rcpt, vec!["admin@school.test".to_string()]);
    assert!(got[0].header("from").unwrap().contains("lms@school.test"));

    // Paideia LMS's names work too (with our port and TLS mode for the test server).
    let compat = [
        ("SMTP_HOST", "127.0.0.1".to_string()),
        ("PAIDEIA_SMTP_PORT", sink.port.to_string()),
        ("PAIDEIA_SMTP_TLS", "none".to_string()),
        ("EMAIL_FROM_ADDRESS", "old@school.test".to_string()),
        ("EMAIL_FROM_NAME", "Old LMS".to_string()),
    ];
    let (code, _, err) = crate::support::run(
        b.paideia()
            .envs(compat.iter().map(|(k, v)| (*k, v.as_str())))
            .args(["mail", "test", "--to", "x@school.test"]),
    );
    assert_eq!(code, 0, "{err}");
    let got = sink.wait_for(2, Duration::from_secs(10));
    assert!(got[1].header("from").unwrap().contains("old@school.test"));

    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (level, detail, hint) = doctor_check(b.paideia().envs(pointed_at(closed)), "mail server");
    assert_eq!(level, "fail", "{detail}");
    assert!(hint.contains("PAIDEIA_SMTP_HOST"), "{hint}");
    let (code, _, err) = crate::support::run(
        b.paideia()
            .envs(pointed_at(closed))
            .args(["mail", "test", "--to", "a@b.org"]),
    );
    assert_eq!(code, 1);
    assert!(err.contains("hint:"), "{err}");
}
