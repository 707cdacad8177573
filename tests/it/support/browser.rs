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
