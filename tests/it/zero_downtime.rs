//! Zero downtime on one machine and across machines: a restart on a socket kept open by the
//! service manager drops no request, and two instances on one database and bucket serve the
//! same users interchangeably.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use crate::support::{
    Backend,
    browser::{Browser, PASSWORD, account},
    s3::S3Server,
    server::Server,
};
use paideia::lms::{Lms, SystemClock, SystemRole};

fn serve(b: &Backend) -> std::process::Command {
    let mut cmd = b.paideia();
    cmd.arg("serve");
    cmd
}

/// Requests sent and requests that failed (a transport error or a status other than 200).
#[derive(Default)]
struct Tally {
    sent: AtomicU64,
    failed: AtomicU64,
}

/// `clients` keep-alive clients asking for `url` in a loop until `stop` is set.
fn load(
    url: String,
    clients: usize,
    stop: Arc<AtomicBool>,
    tally: Arc<Tally>,
) -> Vec<tokio::task::JoinHandle<Vec<String>>> {
    paideia::install_crypto_provider();
    (0..clients)
        .map(|_| {
            let (url, stop, tally) = (url.clone(), stop.clone(), tally.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(30))
                    .build()
                    .unwrap();
                let mut errors = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    tally.sent.fetch_add(1, Ordering::Relaxed);
                    match client.get(&url).send().await {
                        Ok(r) if r.status() == 200 => {}
                        Ok(r) => errors.push(format!("status {}", r.status())),
                        Err(e) => errors.push(format!("{e:?}")),
                    }
                    if errors.len() as u64 > tally.failed.load(Ordering::Relaxed) {
                        tally.failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
                errors
            })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_on_a_passed_socket_drops_no_request() {
    let b = Backend::postgres().await;
    let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/readyz", socket.local_addr().unwrap());
    let mut old = Server::start_on(serve(&b), &socket);
    assert!(
        old.log().contains("socket passed by the service manager"),
        "{}",
        old.log()
    );

    let (stop, tally) = (Arc::new(AtomicBool::new(false)), Arc::new(Tally::default()));
    let clients = load(url, 8, stop.clone(), tally.clone());
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before_restart = tally.sent.load(Ordering::Relaxed);

    // What `systemctl restart paideia` does: stop the old process, wait for it, start anew.
    old.signal(libc::SIGTERM);
    assert_eq!(old.wait(Duration::from_secs(30)), Some(0), "{}", old.log());
    let during_gap = tally.sent.load(Ordering::Relaxed);
    let new = Server::start_on(serve(&b), &socket);
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);

    let mut errors = Vec::new();
    for client in clients {
        errors.extend(client.await.unwrap());
    }
    let sent = tally.sent.load(Ordering::Relaxed);
    assert!(
        errors.is_empty(),
        "{} of {sent} requests failed: {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
    assert!(
        before_restart > 0 && sent > during_gap,
        "load ran before ({before_restart}) and after ({sent}) the restart"
    );
    assert!(
        new.log().contains("path=/readyz"),
        "the new process served requests:\n{}",
        new.log()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_sessions_and_throttling() {
    let (b, s3) = (Backend::postgres().await, S3Server::start());
    let start = || {
        let mut cmd = serve(&b);
        cmd.envs(s3.env(&s3.bucket));
        Server::start(cmd)
    };
    let (first, second) = (start(), start());
    for server in [&first, &second] {
        let ready = crate::support::get(server.url("/readyz")).await.unwrap();
        assert_eq!(ready.status(), 200, "{}", server.log());
    }
    let lms = Lms::new(b.db().await, Arc::new(SystemClock));
    account(&lms, "ada@example.org", SystemRole::Instructor).await;
    account(&lms, "bob@example.org", SystemRole::Student).await;

    // A session made by one instance is honoured by the other: it lives in the database.
    let ada = Browser::signed_in(&first, "ada@example.org").await;
    let on_second = ada.on(&second);
    let (status, page) = on_second.get("/").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("ada"),
        "signed in on the second instance:\n{page}"
    );

    // Failed sign-ins counted by one instance throttle the account on the other.
    let mallory = Browser::new(&first);
    for _ in 0..10 {
        mallory.sign_in("bob@example.org", "wrong password").await;
    }
    let bob = Browser::new(&second)
        .sign_in("bob@example.org", PASSWORD)
        .await;
    let body = bob.text().await.unwrap();
    assert!(
        body.contains("Too many") || body.contains("too many"),
        "the second instance knows about the first one's failures:\n{body}"
    );
}
