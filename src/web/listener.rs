//! The listening side of `serve`: a TCP listener that can stop accepting while the server
//! keeps answering the connections it has, and the peer address handlers see.
//!
//! axum's graceful shutdown stops accepting and winds down every connection at the same
//! moment; closing an idle keep-alive connection then races with a client that is sending on
//! it. Stopping the accept loop first, and answering the open connections once more with
//! `Connection: close`, moves clients to the next process without a failed request.

use std::net::SocketAddr;

use axum::{
    extract::connect_info::Connected,
    serve::{IncomingStream, Listener},
};
use tokio::{
    net::{TcpListener, TcpStream},
    sync::watch,
};

/// The client's socket address, as `ConnectInfo<Peer>`.
#[derive(Clone, Copy, Debug)]
pub struct Peer(pub SocketAddr);

/// Accepts until the draining flag is set, then drops its socket and accepts nothing more.
/// Under socket activation the service manager keeps its own copy of the socket, so
/// connections that arrive later wait in the backlog for the next process; otherwise the
/// socket closes and new connections are refused at once (a load balancer tries elsewhere).
pub struct DrainingListener {
    inner: Option<TcpListener>,
    address: SocketAddr,
    draining: watch::Receiver<bool>,
}

impl DrainingListener {
    pub fn new(inner: TcpListener, draining: watch::Receiver<bool>) -> std::io::Result<Self> {
        Ok(Self {
            address: inner.local_addr()?,
            inner: Some(inner),
            draining,
        })
    }
}

impl Listener for DrainingListener {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        if let Some(inner) = self.inner.as_mut() {
            tokio::select! {
                biased;
                _ = self.draining.wait_for(|draining| *draining) => {}
                accepted = Listener::accept(inner) => return accepted,
            }
        }
        self.inner = None;
        std::future::pending().await
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.address)
    }
}

impl Connected<IncomingStream<'_, DrainingListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, DrainingListener>) -> Self {
        Peer(*stream.remote_addr())
    }
}
