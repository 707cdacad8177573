//! The JSON API under /api/v1 through the real server: personal access tokens (from the CLI
//! and the account page), every operation's happy path, "not allowed" answered exactly like
//! "not found", pagination, one error shape for every failure, and the OpenAPI document
//! checked against the routes the server really serves.

use std::{collections::BTreeSet, process::Stdio, sync::Arc};

use chrono::{Duration, Utc};
use paideia::lms::{Lms, ManualClock, SystemRole, User};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::{
    on_both_engines,
    support::{
        Backend,
        browser::{Browser, account, start},
        class::{Class, class},
        run,
    },
};

on_both_engines!(
    tokens_from_the_cli_work_until_revoked_or_expired,
    tokens_from_the_account_page,
    courses_sections_and_enrollments,
    modules_submissions_and_grades,
    lists_are_paginated,
    every_error_has_one_shape,
    the_openapi_document_matches_the_routes,
    grading_over_the_api,
    files_over_the_api,
    enrollment_by_csv,
);

/// A script calling the API with (or without) a token.
pub struct Api {
    client: reqwest::Client,
    base: String,
    token: Option<String>,
}

/// An answer: status, headers and the JSON body (`Null` when empty).
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Api {
    pub fn new(base: String, token: Option<String>) -> Api {
        paideia::install_crypto_provider();
        Api {
            client: reqwest::Client::new(),
            base,
            token,
        }
    }

    pub async fn raw(&self, method: Method, path: &str, body: Option<(&str, Vec<u8>)>) -> Answer {
        let mut request = self
            .client
            .request(method, format!("{}/api/v1{path}", self.base));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some((content_type, bytes)) = body {
            request = request
                .header(header::CONTENT_TYPE, content_type)
                .body(bytes);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!(
                    "{status}: not JSON ({e}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.raw(Method::GET, path, None).await
    }

    pub async fn send(&self, method: Method, path: &str, body: Value) -> Answer {
        let bytes = serde_json::to_vec(&body).unwrap();
        self.raw(method, path, Some(("application/json", bytes)))
            .await
    }
}

impl Api {
    /// POSTs a multipart form: `fields`, then each file as (field, file name, bytes).
    pub async fn upload(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> Answer {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        for (field, file_name, bytes) in files {
            let part =
                reqwest::multipart::Part::bytes(bytes.clone()).file_name(file_name.to_string());
            form = form.part(field.to_string(), part);
        }
        let mut request = self
            .client
            .post(format!("{}/api/v1{path}", self.base))
            .multipart(form);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        let body = response.json().await.unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
        }
    }

    /// A GET of a file, with extra headers; the response as it came.
    pub async fn fetch(&self, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self.client.get(format!("{}/api/v1{path}", self.base));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.unwrap()
    }
}

/// Asserts the one error shape and returns the error's code.
fn error_code(a: &Answer, status: StatusCode) -> String {
    assert_eq!(a.status, status, "{}", a.body);
    assert!(
        a.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let message = a.body["error"]["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "no message: {}", a.body);
    a.body["error"]["code"].as_str().unwrap().to_string()
}

/// A token for `email`, made through the domain as the CLI and the page do.
pub async fn token_for(lms: &Lms, email: &str) -> String {
    let user = lms.user_by_email(email).await.unwrap();
    lms.create_token(&user, "test", None).await.unwrap().secret
}

async fn api_as(c: &Class, email: &str) -> Api {
    Api::new(c.anonymous.url(""), Some(token_for(&c.lms, email).await))
}

fn token_cli(b: &Backend, args: &[&str]) -> (i32, String, String) {
    let mut cmd = b.paideia();
    cmd.args(["user", "token"]).args(args).stdin(Stdio::null());
    run(&mut cmd)
}

async fn tokens_from_the_cli_work_until_revoked_or_expired(b: Backend) {
    let (server, lms) = start(&b).await;
    let ada = account(&lms, "ada@example.org", SystemRole::Instructor).await;
    let base = server.url("");

    let (code, out, err) = token_cli(
        &b,
        &["create", "--email", "ada@example.org", "--name", "ci"],
    );
    assert_eq!(code, 0, "{err}");
    let token = out.trim().to_string();
    assert!(token.starts_with("pdia_") && token.len() == 69, "{out}");
    assert_eq!(out.lines().count(), 1, "only the token on stdout");

    let me = Api::new(base.clone(), Some(token.clone())).get("/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["email"], "ada@example.org");
    assert_eq!(me.body["role"], "instructor");

    let (code, out, _) = token_cli(&b, &["list", "--email", "ada@example.org", "--json"]);
    assert_eq!(code, 0);
    let listed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(listed[0]["name"], "ci");
    assert!(
        listed[0]["last_used_at"].is_string(),
        "use is recorded: {out}"
    );
    assert!(!out.contains(&token[5..]), "lists never show the token");
    let id = listed[0]["id"].as_i64().unwrap().to_string();

    let (code, _, err) = token_cli(&b, &["revoke", "--email", "ada@example.org", &id]);
    assert_eq!(code, 1, "no terminal and no --yes: {err}");
    assert!(err.contains("--yes"), "{err}");
    let (code, _, err) = token_cli(
        &b,
        &["revoke", "--email", "ada@example.org", "999", "--yes"],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("no token with id 999") && err.contains("hint:"),
        "{err}"
    );
    let (code, _, err) = token_cli(&b, &["revoke", "--email", "ada@example.org", &id, "--yes"]);
    assert_eq!(code, 0, "{err}");
    let revoked = Api::new(base.clone(), Some(token.clone())).get("/me").await;
    assert_eq!(
        error_code(&revoked, StatusCode::UNAUTHORIZED),
        "unauthorized"
    );

    let (code, _, err) = token_cli(
        &b,
        &[
            "create",
            "--email",
            "ada@example.org",
            "--name",
            "x",
            "--expires-in-days",
            "0",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("expires_in_days"), "{err}");
    let (code, _, err) = token_cli(
        &b,
        &["create", "--email", "nobody@example.org", "--name", "x"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("no account has the email"), "{err}");

    // A token made two days ago for one day has expired.
    let past = Lms::new(
        lms.db().clone(),
        Arc::new(ManualClock::new(Utc::now() - Duration::days(2))),
    );
    let old = past
        .create_token(&ada, "old", Some(1))
        .await
        .unwrap()
        .secret;
    let expired = Api::new(base.clone(), Some(old)).get("/me").await;
    assert_eq!(
        error_code(&expired, StatusCode::UNAUTHORIZED),
        "unauthorized"
    );
    let fresh = lms
        .create_token(&ada, "fresh", Some(1))
        .await
        .unwrap()
        .secret;
    assert_eq!(
        Api::new(base.clone(), Some(fresh.clone()))
            .get("/me")
            .await
            .status,
        StatusCode::OK
    );

    // A disabled account's tokens stop working.
    lms.set_disabled(ada.id, true).await.unwrap();
    let disabled = Api::new(base.clone(), Some(fresh)).get("/me").await;
    assert_eq!(
        error_code(&disabled, StatusCode::UNAUTHORIZED),
        "unauthorized"
    );

    // No token, a malformed one, another scheme: 401 with a Bearer challenge.
    for header_value in [None, Some("Bearer nonsense"), Some("Basic YWRhOng=")] {
        let mut request = reqwest::Client::new().get(format!("{base}/api/v1/me"));
        if let Some(v) = header_value {
            request = request.header(header::AUTHORIZATION, v);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(
            response.headers()[header::WWW_AUTHENTICATE]
                .to_str()
                .unwrap()
                .starts_with("Bearer")
        );
    }
    assert!(
        !server.log().contains(&token),
        "the token never reaches the log"
    );
}

async fn tokens_from_the_account_page(b: Backend) {
    let (server, lms) = start(&b).await;
    account(&lms, "ada@example.org", SystemRole::Student).await;
    account(&lms, "bob@example.org", SystemRole::Student).await;
    let ada = Browser::signed_in(&server, "ada@example.org").await;
    let (status, _) = ada.get("/account/tokens").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "students make tokens once the site allows"
    );
    let (_, home) = ada.get("/").await;
    assert!(
        !home.contains(r#"href="/account/tokens""#),
        "nor see them in the menu"
    );
    let allowed = paideia::lms::SiteSettings {
        student_api_tokens: true,
        ..lms.site_settings().await.unwrap()
    };
    lms.save_site_settings(&allowed).await.unwrap();
    let (status, page) = ada.get("/account/tokens").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("New token"), "{page}");

    let response = ada
        .post(
            "/account/tokens",
            &[("name", "laptop"), ("expires_in_days", "30")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let page = response.text().await.unwrap();
    let start = page.find("pdia_").expect("the new token is shown once");
    let token = page[start..start + 69].to_string();
    let me = Api::new(server.url(""), Some(token.clone()))
        .get("/me")
        .await;
    assert_eq!(me.body["email"], "ada@example.org");
    let (_, again) = ada.get("/account/tokens").await;
    assert!(
        again.contains("laptop") && !again.contains(&token),
        "shown once only"
    );

    let response = ada
        .post("/account/tokens", &[("name", ""), ("expires_in_days", "x")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Someone else cannot revoke it: their answer is "not found".
    let user = lms.user_by_email("ada@example.org").await.unwrap();
    let id = lms.tokens(&user).await.unwrap()[0].id;
    let bob = Browser::signed_in(&server, "bob@example.org").await;
    bob.get("/account/tokens").await;
    let response = bob.post(&format!("/account/tokens/{id}/revoke"), &[]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        Api::new(server.url(""), Some(token.clone()))
            .get("/me")
            .await
            .status,
        StatusCode::OK
    );

    ada.get("/account/tokens").await;
    let response = ada.post(&format!("/account/tokens/{id}/revoke"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let me = Api::new(server.url(""), Some(token)).get("/me").await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);

    // Over the API: one's own tokens without their secrets, and a script retiring its own.
    let script = Api::new(
        server.url(""),
        Some(token_for(&lms, "ada@example.org").await),
    );
    let listed = script.get("/me/tokens").await;
    assert_eq!(listed.body["total"], 1);
    assert_eq!(listed.body["items"][0]["name"], "test");
    assert!(listed.body["items"][0].get("token").is_none());
    let id = listed.body["items"][0]["id"].as_i64().unwrap();
    let bobs = Api::new(
        server.url(""),
        Some(token_for(&lms, "bob@example.org").await),
    );
    let path = format!("/me/tokens/{id}");
    assert_eq!(
        bobs.raw(Method::DELETE, &path, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        script.raw(Method::DELETE, &path, None).await.status,
        StatusCode::NO_CONTENT
    );
    let gone = script.get("/me").await;
    assert_eq!(error_code(&gone, StatusCode::UNAUTHORIZED), "unauthorized");
    assert_eq!(bobs.get("/me").await.status, StatusCode::OK);
}

async fn courses_sections_and_enrollments(b: Backend) {
    let c = class(&b, &[]).await;
    let teacher = api_as(&c, "teach@example.org").await;
    let student = api_as(&c, "stu@example.org").await;
    let other = api_as(&c, "other@example.org").await;

    let list = teacher.get("/courses").await;
    assert_eq!(list.status, StatusCode::OK);
    let slugs: Vec<&str> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["bio", "chem"]);
    let mine = student.get("/courses").await;
    assert_eq!(mine.body["total"], 1);
    assert_eq!(mine.body["items"][0]["role"], "student");

    let created = teacher
        .send(
            Method::POST,
            "/courses",
            json!({"title": "Physics", "slug": "phys"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(
        (&created.body["status"], &created.body["role"]),
        (&json!("draft"), &json!("teacher"))
    );
    let patched = teacher
        .send(
            Method::PATCH,
            "/courses/phys",
            json!({"status": "published"}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK);
    assert_eq!(
        (&patched.body["status"], &patched.body["title"]),
        (&json!("published"), &json!("Physics"))
    );
    let bad = teacher
        .send(
            Method::PATCH,
            "/courses/phys",
            json!({"slug": "Not A Slug"}),
        )
        .await;
    assert_eq!(
        error_code(&bad, StatusCode::UNPROCESSABLE_ENTITY),
        "invalid"
    );
    assert_eq!(bad.body["error"]["fields"][0]["field"], "slug");
    let refused = student
        .send(
            Method::POST,
            "/courses",
            json!({"title": "Mine", "slug": "mine"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    // Another course's student gets exactly the answer for a course that does not exist.
    let missing = other.get("/courses/nope").await;
    assert_eq!(error_code(&missing, StatusCode::NOT_FOUND), "not_found");
    for path in [
        "/courses/bio",
        "/courses/bio/enrollments",
        "/courses/bio/sections",
        "/courses/bio/grades",
    ] {
        let hidden = other.get(path).await;
        assert_eq!(
            (hidden.status, &hidden.body),
            (missing.status, &missing.body),
            "{path}"
        );
    }
    let hidden = other
        .send(Method::PATCH, "/courses/bio", json!({"title": "Mine now"}))
        .await;
    assert_eq!(
        (hidden.status, &hidden.body),
        (missing.status, &missing.body)
    );
    let seen = student.get("/courses/bio").await;
    assert_eq!(
        (seen.status, &seen.body["role"]),
        (StatusCode::OK, &json!("student"))
    );
    let people = student.get("/courses/bio/enrollments").await;
    assert_eq!(
        (people.status, &people.body),
        (missing.status, &missing.body),
        "students do not see people"
    );

    let section = teacher
        .send(
            Method::POST,
            "/courses/bio/sections",
            json!({"title": "Week 1", "parent_id": c.root}),
        )
        .await;
    assert_eq!(section.status, StatusCode::CREATED, "{}", section.body);
    assert_eq!(section.body["parent_id"], c.root);
    let sections = student.get("/courses/bio/sections").await;
    assert_eq!(sections.body["total"], 2);

    let enrolled = teacher
        .send(
            Method::POST,
            "/courses/bio/enrollments",
            json!({"email": "other@example.org"}),
        )
        .await;
    assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.body);
    assert_eq!(
        (&enrolled.body["role"], &enrolled.body["user"]["email"]),
        (&json!("student"), &json!("other@example.org"))
    );
    assert_eq!(other.get("/courses/bio").await.status, StatusCode::OK);
    let people = teacher.get("/courses/bio/enrollments").await;
    assert_eq!(people.body["total"], 5);
    assert_eq!(people.body["items"][0]["role"], "teacher");
    let unknown = teacher
        .send(
            Method::POST,
            "/courses/bio/enrollments",
            json!({"email": "ghost@example.org"}),
        )
        .await;
    assert_eq!(
        error_code(&unknown, StatusCode::UNPROCESSABLE_ENTITY),
        "invalid"
    );

    let other_id = c.lms.user_by_email("other@example.org").await.unwrap().id;
    let path = format!("/courses/bio/enrollments/{other_id}");
    let removed = teacher.raw(Method::DELETE, &path, None).await;
    assert_eq!(
        (removed.status, &removed.body),
        (StatusCode::NO_CONTENT, &Value::Null)
    );
    assert_eq!(
        teacher.raw(Method::DELETE, &path, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other.get("/courses/bio").await.status,
        StatusCode::NOT_FOUND
    );
    let last_teacher = format!("/courses/bio/enrollments/{}", c.teacher_user.id);
    let refused = teacher.raw(Method::DELETE, &last_teacher, None).await;
    assert_eq!(
        error_code(&refused, StatusCode::UNPROCESSABLE_ENTITY),
        "invalid"
    );
}

async fn modules_submissions_and_grades(b: Backend) {
    let c = class(&b, &[]).await;
    let teacher = api_as(&c, "teach@example.org").await;
    let student = api_as(&c, "stu@example.org").await;
    let student2 = api_as(&c, "stu2@example.org").await;
    let other = api_as(&c, "other@example.org").await;

    let page = teacher
        .send(
            Method::POST,
            "/courses/bio/pages",
            json!({"section_id": c.root, "title": "Welcome", "body": "<p>Hi<script>alert(1)</script></p>"}),
        )
        .await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    assert_eq!(page.body["body_html"], "<p>Hi</p>");
    let due = (Utc::now() + Duration::days(1)).to_rfc3339();
    let assignment = teacher
        .send(
            Method::POST,
            "/courses/bio/assignments",
            json!({"section_id": c.root, "title": "Essay", "max_points": 10, "due_at": due, "max_attempts": 2}),
        )
        .await;
    assert_eq!(
        assignment.status,
        StatusCode::CREATED,
        "{}",
        assignment.body
    );
    assert_eq!(assignment.body["kind"], "assignment");
    assert_eq!(assignment.body["assignment"]["max_points"], 10.0);
    assert_eq!(assignment.body["assignment"]["max_attempts"], 2);
    let id = assignment.body["id"].as_i64().unwrap();
    let bad = teacher
        .send(
            Method::POST,
            "/courses/bio/assignments",
            json!({"section_id": 999_999, "title": "", "max_points": 0, "accepts_text": false}),
        )
        .await;
    assert_eq!(
        error_code(&bad, StatusCode::UNPROCESSABLE_ENTITY),
        "invalid"
    );
    let fields: BTreeSet<&str> = bad.body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        BTreeSet::from(["accepts_text", "max_points", "section_id", "title"])
    );
    let refused = student
        .send(
            Method::POST,
            "/courses/bio/pages",
            json!({"section_id": c.root, "title": "Mine"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    let modules = student.get("/courses/bio/modules").await;
    assert_eq!(modules.body["total"], 2);
    let read = student.get(&format!("/courses/bio/modules/{id}")).await;
    assert_eq!(read.body["assignment"]["max_points"], 10.0);
    let page_id = page.body["id"].as_i64().unwrap();
    let read = student
        .get(&format!("/courses/bio/modules/{page_id}"))
        .await;
    assert_eq!(
        (&read.body["title"], &read.body["assignment"]),
        (&json!("Welcome"), &Value::Null)
    );
    assert_eq!(
        other
            .get(&format!("/courses/bio/modules/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        student.get("/courses/bio/modules/999999").await.status,
        StatusCode::NOT_FOUND
    );

    let path = format!("/courses/bio/assignments/{id}/submissions");
    let sent = student
        .send(Method::POST, &path, json!({"body_text": "My essay"}))
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    assert_eq!(
        (&sent.body["attempt"], &sent.body["is_late"]),
        (&json!(1), &json!(false))
    );
    student2
        .send(Method::POST, &path, json!({"body_text": "Mine"}))
        .await;
    student
        .send(Method::POST, &path, json!({"body_text": "Again"}))
        .await;
    let third = student
        .send(Method::POST, &path, json!({"body_text": "Once more"}))
        .await;
    assert_eq!(
        error_code(&third, StatusCode::UNPROCESSABLE_ENTITY),
        "invalid"
    );
    assert!(
        third.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("attempt")
    );
    let empty = student2
        .send(Method::POST, &path, json!({"body_text": "  "}))
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let by_teacher = teacher
        .send(Method::POST, &path, json!({"body_text": "x"}))
        .await;
    assert_eq!(
        by_teacher.status,
        StatusCode::NOT_FOUND,
        "only students hand in work"
    );
    let on_page = student
        .send(
            Method::POST,
            &format!("/courses/bio/assignments/{page_id}/submissions"),
            json!({"body_text": "x"}),
        )
        .await;
    assert_eq!(on_page.status, StatusCode::NOT_FOUND);

    let own = student.get(&path).await;
    assert_eq!(own.body["total"], 2, "a student sees their own attempts");
    assert!(
        own.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["student_name"] == "stu")
    );
    let all = teacher.get(&path).await;
    assert_eq!(all.body["total"], 3);
    assert_eq!(other.get(&path).await.status, StatusCode::NOT_FOUND);

    // Grades: staff see the gradebook; a student sees released grades only.
    let item = c.lms.assignment_item(&c.bio, id).await.unwrap();
    let stu: User = c.lms.user_by_email("stu@example.org").await.unwrap();
    c.lms
        .grade(&c.bio, &c.teacher_user, item.id, stu.id, "8", "Good")
        .await
        .unwrap();
    let hidden = student.get("/courses/bio/grades").await;
    assert_eq!(hidden.status, StatusCode::OK);
    assert_eq!(
        hidden.body["lines"][0]["grades"][0],
        Value::Null,
        "not released yet"
    );
    c.lms.release_grades(&c.bio, item.id).await.unwrap();
    let mine = student.get("/courses/bio/grades").await;
    assert_eq!(mine.body["lines"].as_array().unwrap().len(), 1);
    assert_eq!(mine.body["lines"][0]["grades"][0]["points"], 8.0);
    assert_eq!(mine.body["lines"][0]["final_percent"], 80.0);
    let book = teacher.get("/courses/bio/grades").await;
    assert_eq!(book.body["lines"].as_array().unwrap().len(), 2);
    assert_eq!(book.body["items"][0]["title"], "Essay");
}

async fn lists_are_paginated(b: Backend) {
    let c = class(&b, &[]).await;
    for n in 0..25 {
        let input = paideia::lms::CourseInput {
            title: format!("Zoology {n:02}"),
            slug: format!("zoo-{n:02}"),
            description: String::new(),
            status: "draft".into(),
        };
        c.lms.create_course(&c.teacher_user, &input).await.unwrap();
    }
    let teacher = api_as(&c, "teach@example.org").await;
    let first = teacher.get("/courses").await;
    assert_eq!(
        (
            first.body["total"].as_u64(),
            first.body["page"].as_u64(),
            first.body["per_page"].as_u64()
        ),
        (Some(27), Some(1), Some(20))
    );
    assert_eq!(first.body["items"].as_array().unwrap().len(), 20);
    let third = teacher.get("/courses?page=3&per_page=10").await;
    let titles: Vec<&str> = third.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Zoology 18",
            "Zoology 19",
            "Zoology 20",
            "Zoology 21",
            "Zoology 22",
            "Zoology 23",
            "Zoology 24"
        ]
    );
    assert_eq!(third.body["total"], 27);
    let past = teacher.get("/courses?page=4&per_page=10").await;
    assert_eq!(
        (
            past.body["items"].as_array().unwrap().len(),
            &past.body["total"]
        ),
        (0, &json!(27))
    );
    let most = teacher.get("/courses?per_page=100").await;
    assert_eq!(most.body["items"].as_array().unwrap().len(), 27);
    for bad in [
        "?per_page=101",
        "?per_page=0",
        "?page=0",
        "?page=two",
        "?page=-1",
    ] {
        let answer = teacher.get(&format!("/courses{bad}")).await;
        assert_eq!(
            error_code(&answer, StatusCode::BAD_REQUEST),
            "bad_query",
            "{bad}"
        );
    }
    let people = teacher
        .get("/courses/bio/enrollments?per_page=2&page=2")
        .await;
    assert_eq!(
        (
            people.body["items"].as_array().unwrap().len(),
            &people.body["total"]
        ),
        (2, &json!(4))
    );
}

async fn every_error_has_one_shape(b: Backend) {
    let c = class(&b, &[]).await;
    let teacher = api_as(&c, "teach@example.org").await;
    let anonymous = Api::new(c.anonymous.url(""), None);

    let unknown = teacher.get("/no/such/thing").await;
    assert_eq!(error_code(&unknown, StatusCode::NOT_FOUND), "unknown_route");
    let unknown = anonymous.get("/coursez").await;
    assert_eq!(error_code(&unknown, StatusCode::NOT_FOUND), "unknown_route");

    let json = ("application/json", b"{\"title\": \"Broken".to_vec());
    let malformed = teacher.raw(Method::POST, "/courses", Some(json)).await;
    assert_eq!(
        error_code(&malformed, StatusCode::BAD_REQUEST),
        "malformed_json"
    );
    let wrong_types = teacher
        .send(Method::POST, "/courses", json!({"title": 5, "slug": "x"}))
        .await;
    assert_eq!(
        error_code(&wrong_types, StatusCode::BAD_REQUEST),
        "invalid_json"
    );
    let unknown_field = teacher
        .send(
            Method::POST,
            "/courses",
            json!({"title": "T", "slug": "tt", "colour": "red"}),
        )
        .await;
    assert_eq!(
        error_code(&unknown_field, StatusCode::BAD_REQUEST),
        "invalid_json"
    );
    let text = ("text/plain", b"{}".to_vec());
    let wrong_type = teacher.raw(Method::POST, "/courses", Some(text)).await;
    assert_eq!(
        error_code(&wrong_type, StatusCode::UNSUPPORTED_MEDIA_TYPE),
        "unsupported_media_type"
    );
    let huge = format!(
        "{{\"title\": \"{}\", \"slug\": \"big\"}}",
        "a".repeat(1024 * 1024)
    );
    let too_large = teacher
        .raw(
            Method::POST,
            "/courses",
            Some(("application/json", huge.into_bytes())),
        )
        .await;
    assert_eq!(
        error_code(&too_large, StatusCode::PAYLOAD_TOO_LARGE),
        "payload_too_large"
    );
    let wrong_method = teacher.raw(Method::PUT, "/courses", None).await;
    assert_eq!(
        error_code(&wrong_method, StatusCode::METHOD_NOT_ALLOWED),
        "method_not_allowed"
    );
    let allow = wrong_method.headers[header::ALLOW].to_str().unwrap();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    let bad_id = teacher.get("/courses/bio/modules/abc").await;
    assert_eq!(error_code(&bad_id, StatusCode::BAD_REQUEST), "bad_path");
    let no_token = anonymous.get("/courses").await;
    assert_eq!(
        error_code(&no_token, StatusCode::UNAUTHORIZED),
        "unauthorized"
    );
    assert_eq!(
        c.lms.my_courses(&c.teacher_user).await.unwrap().len(),
        2,
        "nothing was created"
    );

    // A signed-in browser's cookie (and CSRF token) never stands in for a token.
    let (_, page) = c.teacher.get("/courses/new").await;
    assert!(page.contains("_csrf"));
    let (status, _) = c.teacher.get("/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let response = c
        .teacher
        .post(
            "/api/v1/courses",
            &[("title", "Via cookie"), ("slug", "cookie")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(c.lms.course_view(&c.teacher_user, "cookie").await.is_err());

    // Maintenance: everyone but administrators gets 503 with the shape.
    let mut settings = c.lms.site_settings().await.unwrap();
    settings.maintenance_mode = true;
    c.lms.save_site_settings(&settings).await.unwrap();
    let down = teacher.get("/me").await;
    assert_eq!(
        error_code(&down, StatusCode::SERVICE_UNAVAILABLE),
        "maintenance"
    );
    let admin = api_as(&c, "root@example.org").await;
    assert_eq!(admin.get("/me").await.status, StatusCode::OK);
}

/// The document lists exactly the route table the router is built from, and the running
/// server answers every listed operation (never "unknown route" or "wrong method") and
/// refuses every method the document does not list for a path.
async fn the_openapi_document_matches_the_routes(b: Backend) {
    let (server, _lms) = start(&b).await;
    let api = Api::new(server.url(""), None);
    let doc = api.get("/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    assert_eq!(doc.body["openapi"], "3.1.0");

    let mut documented = BTreeSet::new();
    for (path, operations) in doc.body["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            documented.insert((method.to_ascii_uppercase(), path.clone()));
        }
    }
    let routed: BTreeSet<(String, String)> = paideia::web::api::routes()
        .iter()
        .map(|r| {
            (
                r.op.method.to_string(),
                format!("{}{}", paideia::web::api::PREFIX, r.op.path),
            )
        })
        .collect();
    assert_eq!(documented, routed);
    assert!(documented.len() >= 20, "{documented:?}");

    let all_methods = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
    ];
    for path in doc.body["paths"].as_object().unwrap().keys() {
        let concrete = path
            .trim_start_matches("/api/v1")
            .replace("{slug}", "bio")
            .replace("{id}", "1")
            .replace("{user_id}", "1")
            .replace("{item}", "1")
            .replace("{student_id}", "1")
            .replace("{submission}", "1")
            .replace("{media}", "1");
        for method in &all_methods {
            let listed = documented.contains(&(method.to_string(), path.clone()));
            let answer = api.raw(method.clone(), &concrete, None).await;
            let code = answer.body["error"]["code"].as_str().unwrap_or("");
            if !listed {
                assert_eq!(
                    answer.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path}"
                );
            } else if path.ends_with("/openapi.json") {
                assert_eq!(answer.status, StatusCode::OK);
            } else {
                assert_eq!(
                    (answer.status, code),
                    (StatusCode::UNAUTHORIZED, "unauthorized"),
                    "{method} {path}"
                );
            }
        }
    }
    let unknown = api.get("/courses/bio/quizzes").await;
    assert_eq!(error_code(&unknown, StatusCode::NOT_FOUND), "unknown_route");
}

/// Items, grades and releases through the API, checked against the gradebook the domain
/// builds; staff only.
async fn grading_over_the_api(b: Backend) {
    let c = class(&b, &[]).await;
    let teacher = api_as(&c, "teach@example.org").await;
    let ta = api_as(&c, "ta@example.org").await;
    let student = api_as(&c, "stu@example.org").await;
    let other = api_as(&c, "other@example.org").await;
    let anonymous = Api::new(c.anonymous.url(""), None);
    let essay = c
        .lms
        .add_assignment(
            &c.bio,
            &crate::lms_assignments::assignment_input(c.root, "Essay"),
        )
        .await
        .unwrap();
    let stu = c.lms.user_by_email("stu@example.org").await.unwrap();

    let exam = teacher
        .send(
            Method::POST,
            "/courses/bio/grades/items",
            json!({"title": "Exam", "max_points": 50, "weight": 2}),
        )
        .await;
    assert_eq!(exam.status, StatusCode::CREATED, "{}", exam.body);
    assert_eq!(
        (
            &exam.body["title"],
            &exam.body["max_points"],
            &exam.body["weight"]
        ),
        (&json!("Exam"), &json!(50.0), &json!(2.0))
    );
    let exam_id = exam.body["id"].as_i64().unwrap();
    let bad = teacher
        .send(
            Method::POST,
            "/courses/bio/grades/items",
            json!({"title": "", "max_points": 0}),
        )
        .await;
    assert_eq!(
        error_code(&bad, StatusCode::UNPROCESSABLE_ENTITY),
        "invalid"
    );
    let items = ta.get("/courses/bio/grades/items").await;
    assert_eq!(items.status, StatusCode::OK);
    let titles: Vec<&str> = items.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Essay", "Exam"]);
    assert_eq!(items.body["items"][0]["module_id"], essay.module.id);

    let grade_path = format!("/courses/bio/grades/items/{exam_id}/students/{}", stu.id);
    let set = ta
        .send(
            Method::PUT,
            &grade_path,
            json!({"points": 40, "feedback": "Solid"}),
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.body);
    let too_many = ta
        .send(Method::PUT, &grade_path, json!({"points": 51}))
        .await;
    assert_eq!(
        error_code(&too_many, StatusCode::UNPROCESSABLE_ENTITY),
        "invalid"
    );
    let book = c.lms.gradebook(&c.bio).await.unwrap();
    let line = book.lines.iter().find(|l| l.student.id == stu.id).unwrap();
    let grade = line.grades[1].as_ref().unwrap();
    assert_eq!(
        (grade.points, grade.feedback.as_str()),
        (Some(40.0), "Solid")
    );
    assert_eq!(grade.released_at, None);
    assert_eq!(
        student.get("/courses/bio/grades").await.body["lines"][0]["grades"][1],
        Value::Null
    );

    let release_path = format!("/courses/bio/grades/items/{exam_id}/release");
    let released = teacher.send(Method::POST, &release_path, json!({})).await;
    assert_eq!(released.status, StatusCode::OK, "{}", released.body);
    assert_eq!(released.body["released"], 1);
    let mine = student.get("/courses/bio/grades").await;
    assert_eq!(mine.body["lines"][0]["grades"][1]["points"], 40.0);
    assert_eq!(mine.body["lines"][0]["grades"][1]["feedback"], "Solid");

    // Students and outsiders are told "not found"; no token is 401.
    let writes = [
        (Method::PUT, grade_path.clone(), json!({"points": 1})),
        (Method::POST, release_path.clone(), json!({})),
        (
            Method::POST,
            "/courses/bio/grades/items".to_string(),
            json!({"title": "Quiz", "max_points": 5}),
        ),
    ];
    for (method, path, body) in &writes {
        for (api, want) in [
            (&student, StatusCode::NOT_FOUND),
            (&other, StatusCode::NOT_FOUND),
            (&anonymous, StatusCode::UNAUTHORIZED),
        ] {
            let a = api.send(method.clone(), path, body.clone()).await;
            assert_eq!(a.status, want, "{method} {path}: {}", a.body);
        }
    }
    assert_eq!(
        student.get("/courses/bio/grades/items").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other.get("/courses/bio/grades/items").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anonymous.get("/courses/bio/grades/items").await.status,
        StatusCode::UNAUTHORIZED
    );
    let after = c.lms.gradebook(&c.bio).await.unwrap();
    assert_eq!(
        after.items.len(),
        2,
        "no item was added by the refused calls"
    );
    assert_eq!(
        after
            .lines
            .iter()
            .find(|l| l.student.id == stu.id)
            .unwrap()
            .grades[1]
            .as_ref()
            .unwrap()
            .points,
        Some(40.0)
    );
    let other_user = c.lms.user_by_email("other@example.org").await.unwrap();
    let not_a_student = teacher
        .send(
            Method::PUT,
            &format!(
                "/courses/bio/grades/items/{exam_id}/students/{}",
                other_user.id
            ),
            json!({"points": 1}),
        )
        .await;
    assert_eq!(not_a_student.status, StatusCode::NOT_FOUND);
}

/// Handing in files through the API and downloading them (and a file module) with ranges,
/// through the pages' own upload and download code.
async fn files_over_the_api(b: Backend) {
    let c = class(&b, &[]).await;
    let teacher = api_as(&c, "teach@example.org").await;
    let student = api_as(&c, "stu@example.org").await;
    let student2 = api_as(&c, "stu2@example.org").await;
    let other = api_as(&c, "other@example.org").await;
    let anonymous = Api::new(c.anonymous.url(""), None);
    let essay = c
        .lms
        .add_assignment(
            &c.bio,
            &crate::lms_assignments::assignment_input(c.root, "Essay"),
        )
        .await
        .unwrap()
        .module
        .id;
    let path = format!("/courses/bio/assignments/{essay}/submissions/files");
    let bytes: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();

    let sent = student
        .upload(
            &path,
            &[("body_text", "See file")],
            &[("files", "answer.txt", bytes.clone())],
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    assert_eq!(sent.body["body_text"], "See file");
    assert_eq!(sent.body["files"][0]["file_name"], "answer.txt");
    assert_eq!(sent.body["files"][0]["size_bytes"], 5000);
    let submission = sent.body["id"].as_i64().unwrap();
    let media = sent.body["files"][0]["id"].as_i64().unwrap();
    let stored = c.lms.all_submissions(&c.bio, essay).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(sent.body["files"][0].get("storage_key").is_none());
    assert!(stored[0].files[0].storage_key.starts_with("media/"));

    // The assignment's limit (1 MiB) applies while streaming, as on the page.
    let stored_before = crate::lms_modules::local_objects(&b).len();
    // A body that is not multipart gets the API's error shape, not a plain-text rejection.
    let not_a_form = student
        .send(Method::POST, &path, json!({"body_text": "x"}))
        .await;
    assert_eq!(
        error_code(&not_a_form, StatusCode::BAD_REQUEST),
        "bad_request"
    );
    let big = student
        .upload(
            &path,
            &[],
            &[("files", "big.txt", vec![b'x'; 1024 * 1024 + 1])],
        )
        .await;
    assert_eq!(
        error_code(&big, StatusCode::UNPROCESSABLE_ENTITY),
        "invalid"
    );
    assert_eq!(big.body["error"]["fields"][0]["field"], "files");
    assert_eq!(c.lms.all_submissions(&c.bio, essay).await.unwrap().len(), 1);
    for (api, want) in [
        (&teacher, StatusCode::NOT_FOUND),
        (&other, StatusCode::NOT_FOUND),
        (&anonymous, StatusCode::UNAUTHORIZED),
    ] {
        let a = api
            .upload(&path, &[], &[("files", "a.txt", b"x".to_vec())])
            .await;
        assert_eq!(a.status, want, "{}", a.body);
    }
    assert_eq!(
        crate::lms_modules::local_objects(&b).len(),
        stored_before,
        "refused uploads leave no object behind"
    );

    let file = format!("/courses/bio/submissions/{submission}/files/{media}");
    for api in [&student, &teacher] {
        let whole = api.fetch(&file, &[]).await;
        assert_eq!(whole.status(), StatusCode::OK);
        assert_eq!(whole.headers()["content-type"], "text/plain");
        assert_eq!(whole.headers()["content-security-policy"], "sandbox");
        assert_eq!(whole.bytes().await.unwrap().to_vec(), bytes);
    }
    let part = student.fetch(&file, &[("range", "bytes=100-199")]).await;
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.headers()["content-range"], "bytes 100-199/5000");
    assert_eq!(
        part.bytes().await.unwrap().to_vec(),
        bytes[100..200].to_vec()
    );
    let beyond = student.fetch(&file, &[("range", "bytes=9000-")]).await;
    assert_eq!(beyond.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    for (api, want) in [
        (&student2, StatusCode::NOT_FOUND),
        (&other, StatusCode::NOT_FOUND),
        (&anonymous, StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(api.fetch(&file, &[]).await.status(), want);
    }

    let added = crate::lms_modules::add_file(&c, "Notes", "notes.pdf", bytes.clone()).await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let notes = c
        .lms
        .modules(&c.bio)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.title == "Notes")
        .unwrap()
        .id;
    let download = format!("/courses/bio/modules/{notes}/download");
    let tail = student.fetch(&download, &[("range", "bytes=-10")]).await;
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail.headers()["content-type"], "application/pdf");
    assert_eq!(tail.bytes().await.unwrap().to_vec(), bytes[4990..].to_vec());
    assert_eq!(
        other.fetch(&download, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anonymous.fetch(&download, &[]).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let not_a_file = student
        .fetch(&format!("/courses/bio/modules/{essay}/download"), &[])
        .await;
    assert_eq!(not_a_file.status(), StatusCode::NOT_FOUND);
}

/// CSV enrollment through the API: all or nothing, each bad line named; teachers only.
async fn enrollment_by_csv(b: Backend) {
    let c = class(&b, &[]).await;
    account(&c.lms, "new1@example.org", SystemRole::Student).await;
    account(&c.lms, "new2@example.org", SystemRole::Student).await;
    let teacher = api_as(&c, "teach@example.org").await;
    let ta = api_as(&c, "ta@example.org").await;
    let other = api_as(&c, "other@example.org").await;
    let anonymous = Api::new(c.anonymous.url(""), None);
    let path = "/courses/bio/enrollments/csv";
    let count = || async { c.lms.enrollments(&c.bio).await.unwrap().len() };
    let before = count().await;

    let bad = teacher
        .send(
            Method::POST,
            path,
            json!({"csv": "email,role\nnew1@example.org,student\nnobody@example.org,student\nnew2@example.org,dean\n"}),
        )
        .await;
    assert_eq!(
        error_code(&bad, StatusCode::UNPROCESSABLE_ENTITY),
        "invalid"
    );
    let messages: Vec<&str> = bad.body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.starts_with("line 4:")),
        "{messages:?}"
    );
    assert_eq!(count().await, before, "nothing enrolled from a bad file");

    let csv = json!({"csv": "new1@example.org,student\nnew2@example.org,ta\n"});
    for (api, want) in [
        (&ta, StatusCode::NOT_FOUND),
        (&other, StatusCode::NOT_FOUND),
        (&anonymous, StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(api.send(Method::POST, path, csv.clone()).await.status, want);
    }
    assert_eq!(count().await, before);
    let ok = teacher.send(Method::POST, path, csv).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["enrolled"], 2);
    assert_eq!(count().await, before + 2);
}
