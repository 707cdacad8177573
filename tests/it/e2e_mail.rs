//! "Forgot your password?" in headless Chromium with a real SMTP server: Ada asks for a link
//! from the sign-in page, the link arrives by mail, she sets a new password and signs in with
//! it; the admin's System page shows the mail sent. Screenshots go under
//! `<target>/e2e-screenshots/mail-*` for a person to look at.

use std::{net::TcpListener, panic::AssertUnwindSafe, time::Duration};

use fantoccini::{Client, Locator};
use futures_util::FutureExt;
use paideia::lms::{Lms, SystemRole};

use crate::support::{
    Backend,
    browser::{PASSWORD, named_account},
    chrome::{Driver, find, screenshot, screenshot_dir},
    server::Server,
    smtp::SmtpSink,
};

const NEW_PASSWORD: &str = "a much longer passphrase";

struct Scene {
    client: Client,
    base: String,
    shots: std::path::PathBuf,
    sink: SmtpSink,
}

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
    let scene = Scene {
        client: driver.browser().await,
        base: server.url(""),
        shots: screenshot_dir(),
        sink,
    };
    let outcome = AssertUnwindSafe(story(&scene)).catch_unwind().await;
    let _ = scene.client.clone().close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
    for name in [
        "mail-01-sign-in",
        "mail-02-forgot",
        "mail-03-sent",
        "mail-04-new-password",
        "mail-05-signed-in",
        "mail-06-system-page",
    ] {
        assert!(
            scene.shots.join(format!("{name}.png")).is_file(),
            "{name}.png"
        );
    }
}

async fn story(s: &Scene) {
    s.client.set_window_size(1280, 1000).await.unwrap();
    s.goto("/login").await;
    s.heading("Sign in").await;
    s.shot("mail-01-sign-in").await;
    s.click(Locator::LinkText("Forgot your password?")).await;
    s.heading("Forgot your password?").await;
    s.type_into("email", "ada@example.org").await;
    s.shot("mail-02-forgot").await;
    s.click(Locator::Css("main form.stack button[type='submit']"))
        .await;
    let sent = s.text("div.card[role='status']").await;
    assert!(sent.contains("If an account has the address"), "{sent}");
    s.shot("mail-03-sent").await;

    let mail = &s.sink.wait_for(1, Duration::from_secs(30))[0];
    assert_eq!(mail.rcpt, vec!["ada@example.org".to_string()]);
    let text = mail.decoded();
    let prefix = format!("{}/reset-password/", s.base);
    let at = text.find(&prefix).expect("a link in the mail") + prefix.len();
    let secret: String = text[at..].chars().take(64).collect();
    s.client.goto(&format!("{prefix}{secret}")).await.unwrap();
    s.heading("Set a new password").await;
    s.type_into("password", NEW_PASSWORD).await;
    s.shot("mail-04-new-password").await;
    s.click(Locator::Css("main form.stack button[type='submit']"))
        .await;
    s.heading("Sign in").await;
    let flash = s.text("main").await;
    assert!(flash.contains("Your new password is set"), "{flash}");
    s.sign_in("ada@example.org", NEW_PASSWORD).await;
    s.shot("mail-05-signed-in").await;
    s.sign_out().await;

    s.sign_in("admin@example.org", PASSWORD).await;
    s.goto("/admin/system").await;
    s.heading("System").await;
    let section = s.text("main").await;
    assert!(
        section.contains("Mail") && section.contains("configured"),
        "{section}"
    );
    s.client
        .execute("document.getElementById('mail').scrollIntoView()", vec![])
        .await
        .unwrap();
    s.shot("mail-06-system-page").await;
}

impl Scene {
    async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    async fn sign_in(&self, email: &str, password: &str) {
        self.goto("/login").await;
        self.heading("Sign in").await;
        self.type_into("email", email).await;
        self.type_into("password", password).await;
        self.click(Locator::Css("main form.stack button[type='submit']"))
            .await;
        self.heading("Home").await;
    }

    async fn sign_out(&self) {
        self.click(Locator::Css("header form[action='/logout'] button"))
            .await;
        find(&self.client, Locator::Css("header a[href='/login']")).await;
    }

    async fn type_into(&self, id: &str, text: &str) {
        let field = find(&self.client, Locator::Id(id)).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    async fn heading(&self, text: &str) {
        let xpath = format!("//h1[normalize-space()='{text}']");
        find(&self.client, Locator::XPath(&xpath)).await;
    }

    async fn text(&self, css: &str) -> String {
        find(&self.client, Locator::Css(css))
            .await
            .text()
            .await
            .unwrap()
    }

    async fn click(&self, locator: Locator<'_>) {
        find(&self.client, locator).await.click().await.unwrap();
    }

    async fn shot(&self, name: &str) {
        screenshot(&self.client, &self.shots, name).await;
    }
}
