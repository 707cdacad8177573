//! "Forgot your password?" in headless Chromium with a real SMTP server: Ada asks for a link
//! from the sign-in page, the link arrives by mail, she sets a new password and signs in with
//! it; the admin's System page shows the mail sent. Screenshots go under
//! `<target>/e2e-screenshots/mail-*` for a person to look at.

use std::{net::TcpListener, time::Duration};

use fantoccini::Locator;
use paideia::lms::{Lms, SystemRole};

use crate::support::{
    Backend,
    browser::{Page, named_account},
    chrome::Driver,
    server::Server,
    smtp::SmtpSink,
};

const NEW_PASSWORD: &str = "a much longer passphrase";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgot_password_by_mail_in_chromium() {
    let b = Backend::sqlite();
    let sink = SmtpSink::start();
    let socket = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", socket.local_addr().unwrap());
    let mut cmd = b.paideia();
    cmd.arg("serve")
        .env("PAIDEIA_PUBLIC_URL", &base)
        .envs(sink.env());
    let server = Server::start_on(cmd, &socket);
    let lms = Lms::new(b.db().await, std::sync::Arc::new(paideia::lms::SystemClock));
    named_account(&lms, "admin@example.org", "Site Admin", SystemRole::Admin).await;
    named_account(&lms, "ada@example.org", "Ada Lovelace", SystemRole::Student).await;

    let driver = Driver::start().await;
    let page = Page::open(&driver, &server).await;
    page.closing(story(&page, &sink)).await;
    page.assert_shots(&[
        "mail-01-sign-in",
        "mail-02-forgot",
        "mail-03-sent",
        "mail-04-new-password",
        "mail-05-signed-in",
        "mail-06-system-page",
    ]);
}

async fn story(s: &Page, sink: &SmtpSink) {
    s.client.set_window_size(1280, 1000).await.unwrap();
    s.goto("/login").await;
    s.heading("Sign in").await;
    s.shot("mail-01-sign-in").await;
    s.click(Locator::LinkText("Forgot your password?")).await;
    s.heading("Forgot your password?").await;
    s.replace("email", "ada@example.org").await;
    s.shot("mail-02-forgot").await;
    s.submit().await;
    let sent = s.text("div.card[role='status']").await;
    assert!(sent.contains("If an account has the address"), "{sent}");
    s.shot("mail-03-sent").await;

    let mail = &sink.wait_for(1, Duration::from_secs(30))[0];
    assert_eq!(mail.rcpt, vec!["ada@example.org".to_string()]);
    let text = mail.decoded();
    let prefix = format!("{}/reset-password/", s.base);
    let at = text.find(&prefix).expect("a link in the mail") + prefix.len();
    let secret: String = text[at..].chars().take(64).collect();
    s.client.goto(&format!("{prefix}{secret}")).await.unwrap();
    s.heading("Set a new password").await;
    s.replace("password", NEW_PASSWORD).await;
    s.shot("mail-04-new-password").await;
    s.submit().await;
    s.heading("Sign in").await;
    let flash = s.text("main").await;
    assert!(flash.contains("Your new password is set"), "{flash}");
    s.sign_in_with("ada@example.org", NEW_PASSWORD).await;
    s.shot("mail-05-signed-in").await;
    s.sign_out().await;

    s.sign_in("admin@example.org").await;
    s.goto("/admin/system").await;
    s.heading("System").await;
    let section = s.text("main").await;
    assert!(
        section.contains("Mail") && section.contains("configured"),
        "{section}"
    );
    s.scroll_to("#mail").await;
    s.shot("mail-06-system-page").await;
}
