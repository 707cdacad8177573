//! A fault-injecting TCP proxy in front of the S3 test server, for the faults S3 shows in
//! production. It forwards bytes, or, as set for the connections it accepts from then on:
//! answers `503 SlowDown` to the next N requests, holds each answer back, resets connections
//! after some bytes of request, takes requests and never answers, or is down (the port
//! refuses connections). Changing the fault drops every open connection, so pooled ones
//! cannot dodge it.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpSocket, TcpStream},
    sync::watch,
    task::JoinSet,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Forward everything.
    None,
    /// Answer the next N requests `503 SlowDown` (then forward).
    SlowDown(usize),
    /// Hold back each answer this long before forwarding it.
    Delay(Duration),
    /// Reset a connection once this many bytes of request went through it.
    ResetAfter(usize),
    /// Take requests and never answer.
    Silent,
    /// Refuse connections, as a stopped server does.
    Down,
}

pub struct FaultProxy {
    pub addr: SocketAddr,
    fault: watch::Sender<Fault>,
    state: Arc<Shared>,
}

struct Shared {
    upstream: SocketAddr,
    slowdowns: Mutex<usize>,
    answered_slowdown: Mutex<usize>,
    connections: Mutex<JoinSet<()>>,
}

impl FaultProxy {
    /// A proxy to `upstream`, forwarding until told otherwise.
    pub async fn start(upstream: SocketAddr) -> FaultProxy {
        // A socket that holds the port for the proxy's life without listening, so that while
        // the proxy is down the port refuses connections and no other test can take it.
        let holder = reuse_port_socket();
        holder.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = holder.local_addr().unwrap();
        let listener = listen(addr);
        let (fault, faults) = watch::channel(Fault::None);
        let state = Arc::new(Shared {
            upstream,
            slowdowns: Mutex::new(0),
            answered_slowdown: Mutex::new(0),
            connections: Mutex::new(JoinSet::new()),
        });
        let state2 = state.clone();
        tokio::spawn(async move {
            accept_loop(Some(listener), addr, faults, state2).await;
            drop(holder);
        });
        FaultProxy { addr, fault, state }
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sets the fault for every connection from now on, and drops the open ones.
    pub fn set(&self, fault: Fault) {
        if let Fault::SlowDown(n) = fault {
            *self.state.slowdowns.lock().unwrap() = n;
        }
        // Under the lock the accept loop takes to start a connection, so that none accepted
        // before starts with the old fault after.
        let mut connections = self.state.connections.lock().unwrap();
        connections.abort_all();
        self.fault.send_replace(fault);
    }

    /// How many requests were answered `503 SlowDown` so far.
    pub fn slowdowns_answered(&self) -> usize {
        *self.state.answered_slowdown.lock().unwrap()
    }
}

fn reuse_port_socket() -> TcpSocket {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_reuseport(true).unwrap();
    socket.set_reuseaddr(true).unwrap();
    socket
}

/// Listens on the proxy's port, beside the socket that holds it.
fn listen(addr: SocketAddr) -> TcpListener {
    let socket = reuse_port_socket();
    socket.bind(addr).unwrap();
    socket.listen(1024).unwrap()
}

async fn accept_loop(
    mut listener: Option<TcpListener>,
    addr: SocketAddr,
    mut faults: watch::Receiver<Fault>,
    state: Arc<Shared>,
) {
    loop {
        let fault = *faults.borrow_and_update();
        match (fault, &listener) {
            (Fault::Down, Some(_)) => listener = None,
            (Fault::Down, None) => {}
            (_, None) => listener = Some(listen(addr)),
            _ => {}
        }
        let Some(open) = &listener else {
            if faults.changed().await.is_err() {
                return;
            }
            continue;
        };
        tokio::select! {
            accepted = open.accept() => {
                let Ok((socket, _)) = accepted else { continue };
                let state2 = state.clone();
                let mut connections = state.connections.lock().unwrap();
                let fault = *faults.borrow();
                if fault == Fault::Down {
                    continue; // accepted just before the stop: dropped
                }
                connections.spawn(async move { handle(socket, fault, state2).await });
            }
            changed = faults.changed() => if changed.is_err() { return },
        }
    }
}

async fn handle(client: TcpStream, fault: Fault, state: Arc<Shared>) {
    match fault {
        Fault::SlowDown(_) if take_slowdown(&state) => slow_down(client, &state).await,
        Fault::Silent => silent(client).await,
        _ => forward(client, fault, state.upstream).await,
    }
}

fn take_slowdown(state: &Shared) -> bool {
    let mut left = state.slowdowns.lock().unwrap();
    if *left == 0 {
        return false;
    }
    *left -= 1;
    true
}

/// Reads one request (head and `Content-Length` body) and answers it `503 SlowDown`.
async fn slow_down(mut client: TcpStream, state: &Shared) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
        if client.read_exact(&mut byte).await.is_err() {
            return;
        }
        head.push(byte[0]);
    }
    let length = String::from_utf8_lossy(&head)
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<u64>().ok())
                .flatten()
        })
        .unwrap_or(0);
    let _ = tokio::io::copy(&mut (&mut client).take(length), &mut tokio::io::sink()).await;
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>fault-proxy</RequestId></Error>";
    let answer = format!(
        "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    *state.answered_slowdown.lock().unwrap() += 1;
    let _ = client.write_all(answer.as_bytes()).await;
    let _ = client.shutdown().await;
}

/// Reads whatever comes, answers nothing, until the client gives up.
async fn silent(mut client: TcpStream) {
    let mut buf = vec![0u8; 64 * 1024];
    while matches!(client.read(&mut buf).await, Ok(n) if n > 0) {}
}

async fn forward(client: TcpStream, fault: Fault, upstream: SocketAddr) {
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (mut from_client, mut to_client) = client.into_split();
    let (mut from_server, mut to_server) = server.into_split();
    let requests = async {
        let mut buf = vec![0u8; 64 * 1024];
        let mut sent = 0usize;
        loop {
            let n = match from_client.read(&mut buf).await {
                Ok(0) | Err(_) => return false,
                Ok(n) => n,
            };
            if let Fault::ResetAfter(limit) = fault
                && sent + n >= limit
            {
                return true; // reset
            }
            sent += n;
            if to_server.write_all(&buf[..n]).await.is_err() {
                return false;
            }
        }
    };
    let answers = async {
        let mut buf = vec![0u8; 64 * 1024];
        // The first answer on a connection is held back too.
        let mut last = tokio::time::Instant::now() - Duration::from_secs(1);
        loop {
            let n = match from_server.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if let Fault::Delay(delay) = fault
                && last.elapsed() > Duration::from_millis(50)
            {
                tokio::time::sleep(delay).await;
            }
            last = tokio::time::Instant::now();
            if to_client.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    };
    let reset = tokio::select! {
        reset = requests => reset,
        () = answers => false,
    };
    if reset && let Ok(client) = from_client.reunite(to_client) {
        let _ = client.set_zero_linger();
    }
}
