//! The attacks an outside review of a public site tried (issue #14), each reproduced against
//! the real binary: redirects to other sites, formulas in the gradebook export, security
//! headers (checked on every page route by `permissions`), sign-in bursts, registration
//! races, throttling behind a proxy, idle connections, and what `/readyz` tells the public.

use std::time::Duration;

use reqwest::StatusCode;

use paideia::lms::SystemRole;

use crate::support::{
    Backend,
    browser::{Browser, PASSWORD, account, location, start},
    class::{Class, class},
    server::Server,
};

/// The first security header `response` lacks or weakens, if any.
pub fn missing_security_header(response: &reqwest::Response) -> Option<&'static str> {
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    let csp = header("content-security-policy");
    if !(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'")
        || csp == "sandbox")
        || csp.contains("unsafe-inline")
    {
        return Some("content-security-policy");
    }
    if header("x-content-type-options") != "nosniff" {
        return Some("x-content-type-options");
    }
    if header("referrer-policy").is_empty() {
        return Some("referrer-policy");
    }
    None
}

/// Redirect targets known to send browsers to another site: protocol-relative, backslashes
/// (which browsers read as slashes), control characters and whitespace that browsers strip,
/// absolute URLs and schemes.
const REDIRECT_BYPASSES: &[&str] = &[
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/ /evil.example",
    "https://evil.example",
    "http:evil.example",
    "evil.example",
    "javascript:alert(1)",
    "data:text/html,x",
    "/\u{3000}/evil.example",
    "/\u{a0}/evil.example",
    " //evil.example",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_never_leave_the_site() {
    let b = Backend::sqlite();
    let c = class(&b, &[]).await;
    let mut wrong = Vec::new();
    for payload in REDIRECT_BYPASSES {
        // The query decodes `%09` itself into a tab: the attack as the review sent it.
        let query =
            percent_encoding::utf8_percent_encode(payload, percent_encoding::NON_ALPHANUMERIC);
        let response = c.teacher.fetch(&format!("/login?next={query}"), &[]).await;
        let to = location(&response);
        if to != "/" {
            wrong.push(format!("GET /login?next={payload:?} (signed in) -> {to:?}"));
        }

        let signed_in = Browser::new(c.server());
        signed_in.get("/login").await;
        let response = signed_in
            .post(
                "/login",
                &[
                    ("email", "stu@example.org"),
                    ("password", PASSWORD),
                    ("next", payload),
                ],
            )
            .await;
        let to = location(&response);
        if to != "/" {
            wrong.push(format!("POST /login next={payload:?} -> {to:?}"));
        }

        c.teacher.get("/courses/bio/grades").await;
        let item = first_item(&c).await;
        let response = c
            .teacher
            .post(
                &format!("/courses/bio/grades/items/{item}/release"),
                &[("back", payload)],
            )
            .await;
        let to = location(&response);
        if to != format!("/courses/bio/grades/items/{item}") {
            wrong.push(format!("release back={payload:?} -> {to:?}"));
        }
    }
    assert!(wrong.is_empty(), "open redirects:\n{}", wrong.join("\n"));
}

async fn first_item(c: &Class) -> i64 {
    if let Some(item) = c.lms.gradebook_items(&c.bio).await.unwrap().first() {
        return item.id;
    }
    let response = c
        .teacher
        .post(
            "/courses/bio/grades/items",
            &[("title", "Exam"), ("max_points", "10"), ("weight", "1")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    c.lms.gradebook_items(&c.bio).await.unwrap()[0].id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn letter_grades_cannot_carry_formulas_into_the_export() {
    let b = Backend::sqlite();
    let c = class(&b, &[]).await;
    c.teacher.get("/courses/bio/grades").await;
    for formula in ["=2+5 0", "+SUM(A1) 0", "@cmd 0", "-1 0", "A=1 0"] {
        let response = c
            .teacher
            .post("/courses/bio/grades/letters", &[("letters", formula)])
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "letters {formula:?}"
        );
    }
    // A name typed by a person reaches the export inert, like every other cell.
    let new = paideia::lms::NewAccount {
        email: "formula@example.org".into(),
        display_name: "=HYPERLINK(\"http://evil.example\")".into(),
        password: PASSWORD.into(),
    };
    c.lms
        .create_user(&new, paideia::lms::SystemRole::Student)
        .await
        .unwrap();
    c.lms
        .enroll(&c.bio, "formula@example.org", "student")
        .await
        .unwrap();
    let response = c.teacher.fetch("/courses/bio/grades.csv", &[]).await;
    let text = response.text().await.unwrap();
    for cell in text.lines().flat_map(|l| l.split(',')) {
        let cell = cell.trim_start_matches('"');
        assert!(
            !cell.starts_with(['=', '+', '-', '@']),
            "a formula in the export: {cell}\n{text}"
        );
    }
}

/// Peak resident memory of a process so far (VmHWM), in MiB.
pub fn peak_rss_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    kib / 1024
}

/// Sends every (email, password, client address) sign-in at once, each from a browser that
/// has its CSRF token already (the address goes in `X-Forwarded-For`, which the server takes
/// from loopback); returns the statuses.
async fn burst(server: &Server, attempts: &[(String, String, String)]) -> Vec<StatusCode> {
    let mut browsers = Vec::new();
    for _ in attempts {
        let browser = Browser::new(server);
        browser.get("/login").await;
        browsers.push(browser);
    }
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(attempts.len()));
    let tasks =
        browsers
            .into_iter()
            .zip(attempts.to_vec())
            .map(|(browser, (email, password, address))| {
                let start = start.clone();
                tokio::spawn(async move {
                    let token = browser.token();
                    let fields = [
                        ("_csrf", token.as_str()),
                        ("email", email.as_str()),
                        ("password", password.as_str()),
                    ];
                    let from = [("x-forwarded-for", address.as_str())];
                    start.wait().await;
                    let response = browser.post_with_headers("/login", &fields, &from).await;
                    response.status()
                })
            });
    futures_util::future::join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect()
}

/// A burst of simultaneous wrong guesses at one account gets no more passwords checked than
/// the throttle allows (before: 40-54 of 100), and a burst of sign-ins that all must be
/// checked (100 accounts from 100 addresses) runs a few hashes at a time, so memory stays flat (before: about 19 MiB per attempt in flight, 2 GB that stayed).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sign_in_bursts_check_at_most_the_limit_and_keep_memory_flat() {
    let b = Backend::sqlite();
    let (server, lms) = start(&b).await;
    account(&lms, "ada@example.org", SystemRole::Student).await;
    let guesses: Vec<_> = (0..100)
        .map(|i| {
            let guess = format!("guess number {i}");
            (
                "ada@example.org".to_string(),
                guess,
                "203.0.113.9".to_string(),
            )
        })
        .collect();
    let statuses = burst(&server, &guesses).await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(checked <= 5, "{checked} passwords checked: {statuses:?}");
    assert_eq!(checked + throttled, 100, "{statuses:?}");
    eprintln!("sign-in burst at one account: {checked} of 100 passwords checked");
    let before = peak_rss_mib(server.child.id());
    let strangers: Vec<_> = (0..100)
        .map(|i| {
            let email = format!("nobody{i}@example.org");
            (email, "some password".into(), format!("198.51.100.{i}"))
        })
        .collect();
    let statuses = burst(&server, &strangers).await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    let peak = peak_rss_mib(server.child.id());
    eprintln!("sign-in burst: {checked} hashes checked, peak RSS {before} -> {peak} MiB");
    assert_eq!(checked, 100, "{statuses:?}");
    assert!(
        peak <= before + 80,
        "a burst of {checked} password checks grew the peak RSS from {before} to {peak} MiB"
    );
}

crate::on_both_engines!(simultaneous_registrations_on_an_empty_site_make_one_admin);

/// Several people registering on a fresh site at the same moment (before: all six became
/// administrators): exactly one does; the others find registration closed, as it is once a
/// site has its administrator.
async fn simultaneous_registrations_on_an_empty_site_make_one_admin(b: Backend) {
    let (server, lms) = start(&b).await;
    let people = 8;
    let mut browsers = Vec::new();
    for _ in 0..people {
        let browser = Browser::new(&server);
        assert_eq!(browser.get("/register").await.0, StatusCode::OK);
        browsers.push(browser);
    }
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(people));
    let tasks = browsers.into_iter().enumerate().map(|(i, browser)| {
        let start = start.clone();
        tokio::spawn(async move {
            let email = format!("person{i}@example.org");
            let fields = [
                ("email", email.as_str()),
                ("display_name", "Person"),
                ("password", PASSWORD),
            ];
            start.wait().await;
            browser.post("/register", &fields).await.status()
        })
    });
    let statuses: Vec<_> = futures_util::future::join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let users = lms.users().await.unwrap();
    let admins = users.iter().filter(|u| u.role == SystemRole::Admin).count();
    assert_eq!(admins, 1, "{users:?} {statuses:?}");
    assert_eq!(
        users.len(),
        1,
        "registration is closed once there is an admin"
    );
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    let closed = statuses
        .iter()
        .filter(|s| **s == StatusCode::NOT_FOUND)
        .count();
    assert_eq!((created, closed), (1, people - 1), "{statuses:?}");
}

/// Signs in `email` from `address` (as a trusted proxy would report it) with `password`,
/// saying the original request used HTTPS; returns the answer.
async fn sign_in_via_proxy(
    server: &Server,
    email: &str,
    password: &str,
    address: &str,
) -> reqwest::Response {
    let browser = Browser::new(server);
    browser.get("/login").await;
    let token = browser.token();
    let fields = [
        ("_csrf", token.as_str()),
        ("email", email),
        ("password", password),
    ];
    let headers = [("x-forwarded-for", address), ("x-forwarded-proto", "https")];
    browser.post_with_headers("/login", &fields, &headers).await
}

fn secure_session_cookie(response: &reqwest::Response) -> bool {
    response.headers().get_all("set-cookie").iter().any(|c| {
        let c = c.to_str().unwrap();
        c.starts_with("paideia_session=") && c.contains("; Secure")
    })
}

/// Behind a load balancer everyone shares its address: failures of some people from it
/// must not lock out the others, nor one person's guesser lock out the owner elsewhere
/// (before: 20 failures from an address refused everyone's right password, and five
/// failures locked any account for 15 minutes). The balancer's forwarded headers are
/// believed only from the addresses the admin lists.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_behind_a_trusted_proxy_slows_attackers_not_everyone() {
    let b = Backend::sqlite();
    let env = [("PAIDEIA_TRUSTED_PROXIES", "127.0.0.1/32".to_string())];
    let (server, lms) = crate::support::browser::start_with_env(&b, &env).await;
    account(&lms, "admin@example.org", SystemRole::Admin).await;
    for i in 0..25 {
        account(&lms, &format!("pupil{i}@example.org"), SystemRole::Student).await;
    }
    // 25 people behind one school NAT each mistype once.
    for i in 0..25 {
        let email = format!("pupil{i}@example.org");
        let response = sign_in_via_proxy(&server, &email, "typo typo typo", "198.51.100.1").await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{email}"
        );
    }
    let ok = sign_in_via_proxy(&server, "pupil0@example.org", PASSWORD, "198.51.100.1").await;
    assert_eq!(
        ok.status(),
        StatusCode::SEE_OTHER,
        "the shared address still signs its people in"
    );
    assert!(
        secure_session_cookie(&ok),
        "the proxy said HTTPS: the cookie is Secure"
    );

    // Someone guesses the administrator's password from one address …
    for _ in 0..5 {
        let guess = sign_in_via_proxy(&server, "admin@example.org", "guess", "203.0.113.66").await;
        assert_eq!(guess.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let held = sign_in_via_proxy(&server, "admin@example.org", "guess", "203.0.113.66").await;
    assert_eq!(held.status(), StatusCode::TOO_MANY_REQUESTS);
    // … and the administrator, elsewhere, is not locked out.
    let owner = sign_in_via_proxy(&server, "admin@example.org", PASSWORD, "192.0.2.10").await;
    assert_eq!(owner.status(), StatusCode::SEE_OTHER);
}

/// A client that is not a trusted proxy cannot claim another address or HTTPS.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_headers_from_untrusted_peers_are_ignored() {
    let b = Backend::sqlite();
    let env = [("PAIDEIA_TRUSTED_PROXIES", "none".to_string())];
    let (server, lms) = crate::support::browser::start_with_env(&b, &env).await;
    account(&lms, "ada@example.org", SystemRole::Student).await;
    let ok = sign_in_via_proxy(&server, "ada@example.org", PASSWORD, "203.0.113.1").await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert!(!secure_session_cookie(&ok), "a forged X-Forwarded-Proto");
    // Rotating forged addresses does not escape the throttle: all count as 127.0.0.1.
    for i in 0..5 {
        let address = format!("203.0.113.{i}");
        let guess = sign_in_via_proxy(&server, "ada@example.org", "guess", &address).await;
        assert_eq!(guess.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let held = sign_in_via_proxy(&server, "ada@example.org", "guess", "203.0.113.99").await;
    assert_eq!(held.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// Reads from `socket` until the server closes it (EOF or reset) or `within` passes; true
/// when it was closed.
async fn closed_within(socket: &mut tokio::net::TcpStream, within: Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, socket.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

/// Sends one complete GET and reads its whole answer on a keep-alive connection.
async fn round_trip(socket: &mut tokio::net::TcpStream, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let request = format!("GET {path} HTTP/1.1\r\nHost: paideia\r\n\r\n");
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !has_whole_body(&answer) {
        let n = socket.read(&mut buf).await.unwrap();
        assert!(
            n > 0,
            "closed mid-answer: {}",
            String::from_utf8_lossy(&answer)
        );
        answer.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&answer).into_owned()
}

fn has_whole_body(answer: &[u8]) -> bool {
    let text = String::from_utf8_lossy(answer);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_string())
        })
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    body.len() >= length
}

/// Hundreds of connections that send half a request header (slowloris; before: 1,100 of them
/// used up the file descriptors, /healthz stopped answering, and they stayed open for ever):
/// /healthz still answers at once, and every half-open connection is closed once the header
/// timeout has passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_neither_block_the_site_nor_stay_open() {
    use tokio::io::AsyncWriteExt;
    let b = Backend::sqlite();
    let env = [("PAIDEIA_HEADER_TIMEOUT", "2".to_string())];
    let (server, _lms) = crate::support::browser::start_with_env(&b, &env).await;
    let held_count = 800;
    let mut held = Vec::new();
    for _ in 0..held_count {
        let mut socket = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        socket
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: paideia\r\nX-Slow: ")
            .await
            .unwrap();
        held.push(socket);
    }
    let opened = std::time::Instant::now();
    let asked = std::time::Instant::now();
    let health = crate::support::get(server.url("/healthz")).await.unwrap();
    let latency = asked.elapsed();
    assert_eq!(health.status(), StatusCode::OK);
    eprintln!(
        "slowloris: {held_count} half-open connections held; /healthz answered in {latency:?}"
    );
    assert!(latency < Duration::from_secs(1), "{latency:?}");

    let mut still_open = 0;
    for socket in &mut held {
        if !closed_within(socket, Duration::from_secs(6)).await {
            still_open += 1;
        }
    }
    let all_closed = opened.elapsed();
    eprintln!("slowloris: all {held_count} closed {all_closed:?} after they were opened");
    assert_eq!(
        still_open, 0,
        "half-open connections still open after the header timeout"
    );
    assert!(
        all_closed >= Duration::from_millis(1500),
        "closed before the header timeout: {all_closed:?}"
    );
}

/// A keep-alive connection may wait between requests longer than a request's headers may
/// take, and is closed once it has been idle for the idle timeout; a request body that stops
/// coming is cut off after the idle timeout too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_stalled_connections_close_after_their_timeouts() {
    use tokio::io::AsyncWriteExt;
    let b = Backend::sqlite();
    let env = [
        ("PAIDEIA_HEADER_TIMEOUT", "1".to_string()),
        ("PAIDEIA_IDLE_TIMEOUT", "3".to_string()),
    ];
    let (server, _lms) = crate::support::browser::start_with_env(&b, &env).await;
    let mut socket = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    assert!(
        round_trip(&mut socket, "/healthz")
            .await
            .starts_with("HTTP/1.1 200")
    );
    assert!(
        !closed_within(&mut socket, Duration::from_millis(1800)).await,
        "an idle keep-alive connection was closed at the header timeout"
    );
    assert!(
        round_trip(&mut socket, "/healthz")
            .await
            .starts_with("HTTP/1.1 200")
    );
    let idle_since_second = std::time::Instant::now();
    assert!(closed_within(&mut socket, Duration::from_secs(6)).await);
    let idle = idle_since_second.elapsed();
    assert!(
        idle >= Duration::from_millis(2500),
        "closed after {idle:?} idle"
    );

    let mut stalled = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    stalled
        .write_all(b"POST /login HTTP/1.1\r\nHost: paideia\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    assert!(closed_within(&mut stalled, Duration::from_secs(8)).await);
    assert!(
        started.elapsed() >= Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
}

/// With the connection cap reached, a new connection waits (in the backlog) while the open
/// ones keep working, and is served as soon as one closes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_connection_cap_new_connections_wait_and_open_ones_work() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let b = Backend::sqlite();
    let env = [("PAIDEIA_MAX_CONNECTIONS", "20".to_string())];
    let (server, _lms) = crate::support::browser::start_with_env(&b, &env).await;
    let mut open = Vec::new();
    for _ in 0..20 {
        let mut socket = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        assert!(
            round_trip(&mut socket, "/healthz")
                .await
                .starts_with("HTTP/1.1 200")
        );
        open.push(socket);
    }
    let mut waiting = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    waiting
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: paideia\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let early = tokio::time::timeout(Duration::from_millis(500), waiting.read(&mut buf)).await;
    assert!(early.is_err(), "served beyond the cap: {early:?}");
    assert!(
        round_trip(&mut open[3], "/healthz")
            .await
            .starts_with("HTTP/1.1 200"),
        "open connections keep working at the cap"
    );
    drop(open.pop());
    let n = tokio::time::timeout(Duration::from_secs(5), waiting.read(&mut buf))
        .await
        .expect("served once a place was free")
        .unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
}

/// A password change (own or by an administrator) ends the account's API tokens too (before:
/// tokens made with the old password kept working).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_revokes_the_account_s_api_tokens() {
    let b = Backend::sqlite();
    let c = class(&b, &[]).await;
    let url = c.anonymous.url("/api/v1/me");
    let me = || crate::api::token_for(&c.lms, "stu@example.org");
    let status = |token: String| {
        let url = url.clone();
        async move {
            let client = reqwest::Client::new();
            let response = client.get(url).bearer_auth(token).send().await.unwrap();
            response.status()
        }
    };
    let token = me().await;
    assert_eq!(status(token.clone()).await, StatusCode::OK);
    c.student.get("/account/password").await;
    let changed = c
        .student
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(status(token).await, StatusCode::UNAUTHORIZED);

    let token = me().await;
    let id = c.lms.user_by_email("stu@example.org").await.unwrap().id;
    c.admin.get("/admin/users").await;
    let reset = c
        .admin
        .post(
            &format!("/admin/users/{id}/password"),
            &[("password", "another new password")],
        )
        .await;
    assert_eq!(reset.status(), StatusCode::SEE_OTHER);
    assert_eq!(status(token).await, StatusCode::UNAUTHORIZED);
}

/// `/readyz` answers the public with states only (before: raw errors with file paths and the
/// S3 endpoint), probes storage at most every few seconds (before: every hit listed, wrote,
/// read and deleted an object), and every check has a deadline (before: with the migrations
/// table locked it hung for 67-74 s, then said 200).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_is_quick_cached_and_tells_the_public_only_states() {
    use paideia::db::Executor;
    let b = Backend::postgres().await;
    let (server, _lms) = start(&b).await;
    let ready = crate::support::get(server.url("/readyz")).await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);

    // The storage probe's answer is reused for a few seconds: breaking the folder now is
    // noticed by the next probe, not by every request.
    let files = b.data_dir().join("files");
    std::fs::rename(&files, b.data_dir().join("files-moved")).unwrap();
    std::fs::write(&files, "not a directory").unwrap();
    let cached = crate::support::get(server.url("/readyz")).await.unwrap();
    assert_eq!(
        cached.status(),
        StatusCode::OK,
        "the probe ran again at once"
    );
    std::fs::remove_file(&files).unwrap();
    std::fs::rename(b.data_dir().join("files-moved"), &files).unwrap();

    let db = b.db().await;
    let mut conn = db.conn().await.unwrap();
    let mut tx = conn.transaction().await.unwrap();
    tx.batch_execute("LOCK TABLE paideia_migrations IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    let asked = std::time::Instant::now();
    let locked = crate::support::get(server.url("/readyz")).await.unwrap();
    let took = asked.elapsed();
    assert_eq!(locked.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = locked.json().await.unwrap();
    assert_eq!(body["checks"]["schema"], "failed", "{body}");
    assert!(body.get("reasons").is_none(), "{body}");
    assert!(
        took < Duration::from_secs(4),
        "readyz took {took:?} with a lock held"
    );
    assert!(
        server.logged("not ready: schema:", Duration::from_secs(5)),
        "{}",
        server.log()
    );
    tx.rollback().await.unwrap();
    let again = crate::support::get(server.url("/readyz")).await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
}

/// One transaction holding a lock on `users` (before: every authenticated call hung for 74 s,
/// and once the pool was stuck /login and /readyz answered 500/503 after 30 s): requests
/// that need the table give up after the lock timeout with 503 and Retry-After, sign-in
/// pages and readiness keep answering from the reserved connections, /healthz at once, and
/// the pool is whole again when the lock goes.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_held_lock_cannot_hang_the_site() {
    use paideia::db::Executor;
    let b = Backend::postgres().await;
    let env = [
        ("PAIDEIA_DB_LOCK_TIMEOUT", "1".to_string()),
        ("PAIDEIA_DB_MAX_CONNECTIONS", "4".to_string()),
    ];
    let c = class(&b, &env).await;
    let token = crate::api::token_for(&c.lms, "stu@example.org").await;
    let me_url = c.anonymous.url("/api/v1/me");
    let client = reqwest::Client::new();
    let me = |client: reqwest::Client, url: String, token: String| async move {
        let asked = std::time::Instant::now();
        let response = client.get(url).bearer_auth(token).send().await.unwrap();
        (
            response.status(),
            response.headers().get("retry-after").cloned(),
            asked.elapsed(),
        )
    };
    assert_eq!(
        me(client.clone(), me_url.clone(), token.clone()).await.0,
        StatusCode::OK
    );

    let db = b.db().await;
    let mut conn = db.conn().await.unwrap();
    let mut tx = conn.transaction().await.unwrap();
    tx.batch_execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();

    let calls: Vec<_> = (0..12)
        .map(|_| tokio::spawn(me(client.clone(), me_url.clone(), token.clone())))
        .collect();
    let asked = std::time::Instant::now();
    let health = crate::support::get(c.anonymous.url("/healthz"))
        .await
        .unwrap();
    let healthz = asked.elapsed();
    assert_eq!(health.status(), StatusCode::OK);
    let asked = std::time::Instant::now();
    let ready = crate::support::get(c.anonymous.url("/readyz"))
        .await
        .unwrap();
    let readyz = asked.elapsed();
    assert_eq!(
        ready.status(),
        StatusCode::OK,
        "readiness does not need `users`"
    );
    let browser = Browser::new(c.server());
    let asked = std::time::Instant::now();
    let (status, _) = browser.get("/login").await;
    let login_page = asked.elapsed();
    assert_eq!(
        status,
        StatusCode::OK,
        "the sign-in page needs no pooled connection"
    );
    let asked = std::time::Instant::now();
    let sign_in = browser
        .post(
            "/login",
            &[("email", "stu@example.org"), ("password", PASSWORD)],
        )
        .await;
    let login_post = asked.elapsed();
    assert_eq!(sign_in.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(sign_in.headers()["retry-after"], "5");
    let mut slowest = Duration::ZERO;
    for call in calls {
        let (status, retry_after, took) = call.await.unwrap();
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(retry_after.unwrap(), "5");
        slowest = slowest.max(took);
    }
    eprintln!(
        "lock held on users: /healthz {healthz:?}, /readyz {readyz:?}, GET /login {login_page:?}, \
         POST /login {login_post:?}, 12 API calls answered 503 within {slowest:?}"
    );
    assert!(slowest < Duration::from_secs(5), "{slowest:?}");
    assert!(healthz < Duration::from_millis(500) && readyz < Duration::from_secs(2));

    tx.rollback().await.unwrap();
    drop(conn);
    assert_eq!(
        me(client.clone(), me_url.clone(), token.clone()).await.0,
        StatusCode::OK
    );
    let sign_in = browser
        .post(
            "/login",
            &[("email", "stu@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(sign_in.status(), StatusCode::SEE_OTHER);
    let row = db
        .conn()
        .await
        .unwrap()
        .query_one(
            "SELECT count(*) AS n, count(*) FILTER (WHERE wait_event_type = 'Lock') AS waiting
             FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'paideia'
               AND pid <> pg_backend_pid()",
            &[],
        )
        .await
        .unwrap();
    let (n, waiting): (i64, i64) = (row.get("n").unwrap(), row.get("waiting").unwrap());
    assert_eq!(waiting, 0, "statements still waiting after the lock went");
    assert!(n <= 4 + 2 + 4, "{n} connections: the pool leaked");
}

/// A request that outlasts the request timeout is answered 503 with Retry-After, whatever
/// holds it up (here a lock waited for longer than the request may take).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_past_its_time_limit_gets_503() {
    use paideia::db::Executor;
    let b = Backend::postgres().await;
    let env = [
        ("PAIDEIA_DB_LOCK_TIMEOUT", "30".to_string()),
        ("PAIDEIA_REQUEST_TIMEOUT", "1".to_string()),
    ];
    let c = class(&b, &env).await;
    let db = b.db().await;
    let mut conn = db.conn().await.unwrap();
    let mut tx = conn.transaction().await.unwrap();
    tx.batch_execute("LOCK TABLE courses IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    let asked = std::time::Instant::now();
    let response = c
        .teacher
        .fetch("/courses/bio", &[("accept", "text/html")])
        .await;
    let took = asked.elapsed();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "5");
    assert!(took < Duration::from_secs(3), "{took:?}");
    tx.rollback().await.unwrap();
    let (status, _) = c.teacher.get("/courses/bio").await;
    assert_eq!(status, StatusCode::OK);
}
