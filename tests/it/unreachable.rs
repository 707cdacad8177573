//! A database server that cannot be reached is described as what happened (refused, reset,
//! hung up mid-handshake, no answer), with a hint, instead of the driver's words ("error
//! communicating with the server: bytes remaining on stream"). Each case is a real TCP peer
//! that behaves so: a closed port, and servers that reset, hang up or never answer.

use std::{net::SocketAddr, time::Instant};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

use crate::support::{paideia, run};

/// How the fake server treats each connection, after reading the client's SSLRequest.
#[derive(Clone, Copy)]
enum Peer {
    /// Resets the connection (SO_LINGER 0, then close).
    Reset,
    /// Declines TLS, reads the startup message, sends half a message and hangs up.
    HangUpMidMessage,
    /// Never answers.
    Silent,
}

async fn fake_server(peer: Peer) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            match peer {
                Peer::Silent => held.push(socket),
                _ => {
                    tokio::spawn(answer(socket, peer));
                }
            }
        }
    });
    addr
}

async fn answer(mut socket: TcpStream, peer: Peer) {
    let mut ssl_request = [0u8; 8];
    if socket.read_exact(&mut ssl_request).await.is_err() {
        return;
    }
    if let Peer::Reset = peer {
        let _ = socket.set_zero_linger();
        return;
    }
    let _ = socket.write_all(b"N").await;
    let mut len = [0u8; 4];
    if socket.read_exact(&mut len).await.is_err() {
        return;
    }
    let mut startup = vec![0u8; (u32::from_be_bytes(len) as usize).saturating_sub(4)];
    let _ = socket.read_exact(&mut startup).await;
    // An authentication request cut after its first bytes.
    let _ = socket.write_all(b"R\x00\x00").await;
    let _ = socket.shutdown().await;
}

fn refused_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// `migrate status` against `url`: its exit code and stderr.
fn status(url: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(paideia().arg("--data-dir").arg(dir.path()).args([
        "--database-url",
        url,
        "migrate",
        "status",
    ]));
    (code, err)
}

fn assert_told(err: &str, what: &str, hint: &str) {
    assert!(err.contains(what), "expected `{what}`: {err}");
    assert!(
        err.contains(&format!("hint: {hint}")),
        "expected hint `{hint}`: {err}"
    );
    for driver_words in [
        "bytes remaining on stream",
        "error communicating with the server",
        "error connecting to server",
    ] {
        assert!(!err.contains(driver_words), "{err}");
    }
    assert!(!err.contains("s3cret"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_port_is_a_refused_connection() {
    let (code, err) = status(&format!(
        "postgres://paideia:s3cret@127.0.0.1:{}/lms",
        refused_port()
    ));
    assert_eq!(code, 1);
    assert_told(
        &err,
        "the server refused the connection (nothing listens at that host and port)",
        "check that PostgreSQL is running",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_during_the_handshake() {
    let addr = fake_server(Peer::Reset).await;
    let (code, err) = status(&format!("postgres://paideia:s3cret@{addr}/lms"));
    assert_eq!(code, 1);
    assert_told(
        &err,
        "the connection was reset during the handshake",
        "check the server's log",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_hangs_up_mid_message() {
    let addr = fake_server(Peer::HangUpMidMessage).await;
    let (code, err) = status(&format!("postgres://paideia:s3cret@{addr}/lms"));
    assert_eq!(code, 1);
    assert_told(
        &err,
        "the server closed the connection in the middle of a message",
        "check the server's log",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_answers_times_out() {
    let addr = fake_server(Peer::Silent).await;
    let started = Instant::now();
    let (code, err) = status(&format!(
        "postgres://paideia:s3cret@{addr}/lms?connect_timeout=1"
    ));
    assert_eq!(code, 1);
    assert_told(
        &err,
        "the server did not answer within the connect timeout",
        "check that the host is reachable",
    );
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_name_that_does_not_resolve() {
    let (code, err) = status("postgres://paideia:s3cret@no-such-host.invalid:5432/lms");
    assert_eq!(code, 1);
    assert_told(
        &err,
        "the host name does not resolve",
        "check the host name",
    );
}
