//! A browser without JavaScript for the LMS pages: a cookie jar, no automatic redirects, and
//! the CSRF token of the last page it read, sent back with every form.

use std::sync::{Arc, Mutex};

use paideia::lms::{Lms, NewAccount, SystemClock, SystemRole, User};
use reqwest::{Response, StatusCode, multipart};

use super::{Backend, server::Server};

/// A running server on `b`'s database, and the LMS on the same database for setting up.
pub async fn start(b: &Backend) -> (Server, Lms) {
    start_with_env(b, &[]).await
}

/// `start` with extra environment for the server (for example an S3 bucket).
pub async fn start_with_env(b: &Backend, env: &[(&str, String)]) -> (Server, Lms) {
    let mut cmd = b.paideia();
    cmd.arg("serve")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    let server = Server::start(cmd);
    let lms = Lms::new(b.db().await, Arc::new(SystemClock));
    (server, lms)
}

pub const PASSWORD: &str = "correct horse battery";

/// An account with the test password.
pub async fn account(lms: &Lms, email: &str, role: SystemRole) -> User {
    named_account(lms, email, email.split('@').next().unwrap(), role).await
}

/// An account with this display name and the test password.
pub async fn named_account(lms: &Lms, email: &str, name: &str, role: SystemRole) -> User {
    let new = NewAccount {
        email: email.into(),
        display_name: name.into(),
        password: PASSWORD.into(),
    };
    lms.create_user(&new, role).await.unwrap()
}

pub struct Browser {
    client: reqwest::Client,
    base: String,
    csrf: Mutex<Option<String>>,
}

impl Browser {
    pub fn new(server: &Server) -> Browser {
        paideia::install_crypto_provider();
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser {
            client,
            base: server.url(""),
            csrf: Mutex::new(None),
        }
    }

    /// The same browser (its cookies included) pointed at another server.
    pub fn on(&self, server: &Server) -> Browser {
        Browser {
            client: self.client.clone(),
            base: server.url(""),
            csrf: Mutex::new(None),
        }
    }

    /// The full URL of `path` on this browser's server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser that has signed in as `email`.
    pub async fn signed_in(server: &Server, email: &str) -> Browser {
        let browser = Browser::new(server);
        let response = browser.sign_in(email, PASSWORD).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "sign-in of {email}"
        );
        browser
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Response {
        self.get("/login").await;
        self.post("/login", &[("email", email), ("password", password)])
            .await
    }

    /// GET; remembers the page's CSRF token.
    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body = response.text().await.unwrap();
        if let Some(token) = csrf_of(&body) {
            *self.csrf.lock().unwrap() = Some(token);
        }
        (status, body)
    }

    /// The CSRF token of the last page read.
    pub fn token(&self) -> String {
        self.csrf.lock().unwrap().clone().unwrap_or_default()
    }

    /// POSTs a form with the remembered CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf.lock().unwrap().clone().unwrap_or_default();
        let mut form: Vec<(&str, &str)> = vec![("_csrf", &token)];
        form.extend_from_slice(fields);
        self.post_raw(path, &form).await
    }

    /// POSTs exactly `fields`, without adding a token.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.post_with_headers(path, fields, &[]).await
    }

    /// POSTs exactly `fields` with extra headers (`X-Forwarded-For` …), without adding a token.
    pub async fn post_with_headers(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Response {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .form(fields);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.unwrap()
    }

    /// Uploads `text` as the `file` field (`people.csv`) of a multipart form, token first.
    pub async fn upload(&self, path: &str, text: &str) -> Response {
        let file = ("file", "people.csv", text.as_bytes().to_vec());
        self.post_files(path, &[], &[file]).await
    }

    /// Posts a multipart form: the token first, then `fields`, then each file as
    /// (field, file name, bytes).
    pub async fn post_files(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> Response {
        let token = self.csrf.lock().unwrap().clone().unwrap_or_default();
        let mut form = multipart::Form::new().text("_csrf", token);
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        for (field, file_name, bytes) in files {
            let part = multipart::Part::bytes(bytes.clone()).file_name(file_name.to_string());
            form = form.part(field.to_string(), part);
        }
        self.post_multipart(path, form).await
    }

    /// POSTs exactly `form`, without adding a token.
    pub async fn post_multipart(&self, path: &str, form: multipart::Form) -> Response {
        self.client
            .post(format!("{}{path}", self.base))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// A GET with extra headers, for downloads; the response as it came.
    pub async fn fetch(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut request = self.client.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.unwrap()
    }
}

fn csrf_of(html: &str) -> Option<String> {
    let start = html.find(r#"name="_csrf" value=""#)? + r#"name="_csrf" value=""#.len();
    Some(html[start..].split('"').next()?.to_string())
}

/// Where a redirect points.
pub fn location(response: &Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

/// A page in headless Chromium (`super::chrome`) on a running server, with the steps every
/// browser story takes: go somewhere, sign in and out, wait for a heading, click, type, run
/// a script, take a screenshot (under `<target>/e2e-screenshots/`).
pub struct Page {
    pub client: fantoccini::Client,
    pub base: String,
    pub shots: std::path::PathBuf,
}

impl Page {
    /// A new browser session of `driver` on `server`.
    pub async fn open(driver: &super::chrome::Driver, server: &Server) -> Page {
        Page {
            client: driver.browser().await,
            base: server.url(""),
            shots: super::chrome::screenshot_dir(),
        }
    }

    /// Runs `story`, then closes the browser whether it passed or panicked (and panics on).
    pub async fn closing<T>(&self, story: impl std::future::Future<Output = T>) -> T {
        use futures_util::FutureExt;
        let outcome = std::panic::AssertUnwindSafe(story).catch_unwind().await;
        let _ = self.client.clone().close().await;
        match outcome {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }

    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    /// Signs in with the test password (the fields cleared first: the browser may fill in a
    /// remembered sign-in) and waits for the home page.
    pub async fn sign_in(&self, email: &str) {
        self.sign_in_with(email, PASSWORD).await;
    }

    /// `sign_in` with another password.
    pub async fn sign_in_with(&self, email: &str, password: &str) {
        self.goto("/login").await;
        self.heading("Sign in").await;
        self.replace("email", email).await;
        self.replace("password", password).await;
        self.submit().await;
        self.heading("Home").await;
    }

    pub async fn sign_out(&self) {
        self.click(fantoccini::Locator::Css(
            "header form[action='/logout'] button",
        ))
        .await;
        self.find(fantoccini::Locator::Css("header a[href='/login']"))
            .await;
    }

    /// The element, waiting for it to appear.
    pub async fn find(&self, locator: fantoccini::Locator<'_>) -> fantoccini::elements::Element {
        super::chrome::find(&self.client, locator).await
    }

    /// Waits for the page whose `h1` reads `text`.
    pub async fn heading(&self, text: &str) {
        let xpath = format!("//h1[normalize-space()='{text}']");
        self.find(fantoccini::Locator::XPath(&xpath)).await;
    }

    /// Waits for a badge reading `text`.
    pub async fn badge(&self, text: &str) {
        let xpath = format!("//span[contains(@class,'badge') and normalize-space()='{text}']");
        self.find(fantoccini::Locator::XPath(&xpath)).await;
    }

    pub async fn click(&self, locator: fantoccini::Locator<'_>) {
        self.find(locator).await.click().await.unwrap();
    }

    /// Clicks the button whose text is `text`.
    pub async fn press(&self, text: &str) {
        let xpath = format!("//button[normalize-space()='{text}']");
        self.click(fantoccini::Locator::XPath(&xpath)).await;
    }

    /// Submits the page's main form (the first stacked form in `main`).
    pub async fn submit(&self) {
        self.click(fantoccini::Locator::Css(
            "main form.stack button[type='submit']",
        ))
        .await;
    }

    /// Types into the field with this id (a file input takes a file's path).
    pub async fn type_into(&self, id: &str, text: &str) {
        self.find(fantoccini::Locator::Id(id))
            .await
            .send_keys(text)
            .await
            .unwrap();
    }

    /// Replaces the text of the field with this id.
    pub async fn replace(&self, id: &str, text: &str) {
        let field = self.find(fantoccini::Locator::Id(id)).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// The text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.find(fantoccini::Locator::Css(css))
            .await
            .text()
            .await
            .unwrap()
    }

    pub async fn js(&self, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
        self.client.execute(script, args).await.unwrap()
    }

    /// Runs `script` until it returns something truthy, for at most 30 seconds.
    pub async fn poll(&self, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
        use serde_json::{Value, json};
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let value = self.js(script, args.clone()).await;
            let truthy = !matches!(value, Value::Null | Value::Bool(false))
                && value != json!(0)
                && value != json!("");
            if truthy || std::time::Instant::now() > deadline {
                return value;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    pub async fn scroll_to(&self, css: &str) {
        let script = "document.querySelector(arguments[0]).scrollIntoView(); return true;";
        self.js(script, vec![serde_json::json!(css)]).await;
    }

    /// Saves a screenshot as `<shots>/<name>.png`, once the document has loaded (its images
    /// and the editor's script).
    pub async fn shot(&self, name: &str) {
        self.poll("return document.readyState === 'complete'", vec![])
            .await;
        super::chrome::screenshot(&self.client, &self.shots, name).await;
    }

    /// The page shown: its path, the bytes of its HTML as sent (compressed, headers included)
    /// and as read, and its load time in milliseconds (Navigation Timing).
    pub async fn weight(&self) -> (String, u64, u64, f64) {
        let v = self
            .js(
                "const n = performance.getEntriesByType('navigation')[0];
                 return [location.pathname, n.transferSize, n.decodedBodySize, n.loadEventEnd - n.startTime];",
                vec![],
            )
            .await;
        (
            v[0].as_str().unwrap_or_default().to_string(),
            v[1].as_u64().unwrap_or(0),
            v[2].as_u64().unwrap_or(0),
            v[3].as_f64().unwrap_or(0.0),
        )
    }

    /// Asserts that each screenshot was saved.
    pub fn assert_shots(&self, names: &[&str]) {
        for name in names {
            assert!(
                self.shots.join(format!("{name}.png")).is_file(),
                "{name}.png"
            );
        }
    }
}
