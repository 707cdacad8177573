//! `paideia serve` as a real process: readiness on both engines, graceful shutdown with a
//! request in flight, JSON logs, and secrets kept out of logs.

use std::time::Duration;

use paideia::db::Executor;

use crate::{
    on_both_engines,
    support::{Backend, server::Server},
};

fn serve(b: &Backend) -> Server {
    let mut cmd = b.paideia();
    cmd.arg("serve");
    Server::start(cmd)
}

on_both_engines!(serve_on_port_zero_becomes_ready);

async fn serve_on_port_zero_becomes_ready(b: Backend) {
    let mut server = serve(&b);
    let health: serde_json::Value = crate::support::get(server.url("/healthz"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    let ready = crate::support::get(server.url("/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["checks"]["database"], "ok");

    let missing = crate::support::get(server.url("/no/such/page"))
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let body: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");

    server.signal(libc::SIGINT);
    assert_eq!(
        server.wait(Duration::from_secs(10)),
        Some(0),
        "{}",
        server.log()
    );
    assert!(
        server.log().contains("path=/readyz status=200"),
        "{}",
        server.log()
    );
}

/// A page request blocked on a table lock is in flight when SIGTERM arrives; the server
/// stops accepting, lets it finish once the lock is released, and exits 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_a_slow_request_finish() {
    let b = Backend::postgres().await;
    let mut server = serve(&b);
    let db = b.db().await;
    let mut conn = db.conn().await.unwrap();
    let mut tx = conn.transaction().await.unwrap();
    tx.batch_execute("LOCK TABLE site_settings IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();

    let url = server.url("/register");
    let slow = tokio::spawn(async move { crate::support::get(url).await });
    let waiting = "SELECT count(*) AS n FROM pg_stat_activity
                   WHERE datname = current_database() AND application_name = 'paideia' AND wait_event_type = 'Lock'";
    let mut observer = db.conn().await.unwrap();
    for _ in 0..500 {
        if observer
            .query_one(waiting, &[])
            .await
            .unwrap()
            .get::<i64>("n")
            .unwrap()
            > 0
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        observer
            .query_one(waiting, &[])
            .await
            .unwrap()
            .get::<i64>("n")
            .unwrap()
            > 0,
        "the request never blocked"
    );

    server.signal(libc::SIGTERM);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server must wait for the request"
    );
    assert!(server.log().contains("draining"), "{}", server.log());
    assert!(
        std::net::TcpStream::connect(server.addr).is_err(),
        "no new connections are accepted while draining"
    );

    tx.rollback().await.unwrap();
    let response = slow
        .await
        .unwrap()
        .expect("the in-flight request completes");
    assert_eq!(response.status(), 200);
    assert_eq!(
        server.wait(Duration::from_secs(10)),
        Some(0),
        "{}",
        server.log()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_names_what_is_not_ready() {
    let b = Backend::sqlite();
    let server = serve(&b);
    let files = b.data_dir().join("files");
    std::fs::remove_dir_all(&files).unwrap();
    std::fs::write(&files, "not a directory").unwrap();

    let response = crate::support::get(server.url("/readyz")).await.unwrap();
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "not_ready");
    assert_eq!(body["checks"]["storage"], "failed");
    assert_eq!(body["checks"]["database"], "ok");
    assert!(
        body.get("reasons").is_none() && !body.to_string().contains(&*files.to_string_lossy()),
        "the public answer gives states, not reasons: {body}"
    );
    assert!(
        server.logged("not ready: storage:", Duration::from_secs(5)),
        "the reason is logged: {}",
        server.log()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_have_one_line_per_request() {
    let b = Backend::sqlite();
    let mut cmd = b.paideia();
    cmd.args(["--log-format", "json", "serve"]);
    let mut server = Server::start(cmd);
    crate::support::get(server.url("/healthz")).await.unwrap();
    server.signal(libc::SIGTERM);
    server.wait(Duration::from_secs(10));
    let line = server
        .log()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap_or_else(|e| panic!("{l}: {e}"))
        })
        .find(|l| l["path"] == "/healthz")
        .expect("a log line for the request");
    assert_eq!(line["method"], "GET");
    assert_eq!(line["status"], 200);
    assert!(line["latency_ms"].as_f64().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_passwords_never_reach_the_logs() {
    let b = Backend::postgres().await;
    // The test server trusts local connections, so any password is accepted and ignored.
    let with_password = b
        .url
        .expose()
        .replacen("postgres@", "postgres:hunter2-secret@", 1);
    let mut cmd = crate::support::paideia();
    cmd.args(["--data-dir"])
        .arg(b.data_dir())
        .args(["--database-url", &with_password, "serve"]);
    let mut server = Server::start(cmd);
    crate::support::get(server.url("/readyz")).await.unwrap();
    server.signal(libc::SIGTERM);
    server.wait(Duration::from_secs(10));
    assert!(server.log().contains("postgres:***@"), "{}", server.log());
    assert!(!server.log().contains("hunter2"), "{}", server.log());

    let unreachable = "postgres://postgres:hunter2-secret@127.0.0.1:1/nowhere";
    let (code, _, err) = crate::support::run(crate::support::paideia().args([
        "--database-url",
        unreachable,
        "migrate",
        "up",
    ]));
    assert_eq!(code, 1);
    assert!(
        err.contains("cannot connect") && err.contains("hint:") && !err.contains("hunter2"),
        "{err}"
    );
}
