//! Accounts over HTTP against the real binary: the first account is the admin, registration
//! follows the setting, sign-in and sign-out with cookies, throttling, CSRF, maintenance mode
//! and clear 4xx answers to bad requests.

use paideia::lms::SystemRole;
use reqwest::StatusCode;

use crate::{
    on_both_engines,
    support::{
        Backend,
        browser::{Browser, PASSWORD, account, location, start},
    },
};

on_both_engines!(
    first_account_is_admin_then_registration_follows_the_setting,
    sign_in_and_out_with_cookies,
    failed_sign_ins_are_throttled,
    forms_without_the_csrf_token_are_refused,
    bad_requests_get_clear_4xx_answers,
    maintenance_mode_leaves_only_admins,
);

async fn register(browser: &Browser, email: &str) -> reqwest::Response {
    browser.get("/register").await;
    browser
        .post(
            "/register",
            &[
                ("display_name", "Someone"),
                ("email", email),
                ("password", PASSWORD),
            ],
        )
        .await
}

async fn first_account_is_admin_then_registration_follows_the_setting(b: Backend) {
    let (server, lms) = start(&b).await;
    let admin = Browser::new(&server);
    let response = register(&admin, "Ada@Example.org").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        lms.user_by_email("ada@example.org").await.unwrap().role,
        SystemRole::Admin
    );
    let (status, home) = admin.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("Your administrator account is ready"),
        "{home}"
    );
    assert!(home.contains(r#"href="/admin/users""#));

    let visitor = Browser::new(&server);
    assert_eq!(visitor.get("/register").await.0, StatusCode::NOT_FOUND);
    visitor.get("/login").await;
    let refused = visitor
        .post(
            "/register",
            &[
                ("display_name", "B"),
                ("email", "b@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);

    admin.get("/admin/settings").await;
    let saved = admin
        .post(
            "/admin/settings",
            &[("site_name", "Hill School"), ("registration_open", "true")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let response = register(&visitor, "b@example.org").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        lms.user_by_email("b@example.org").await.unwrap().role,
        SystemRole::Student
    );
    let (_, home) = visitor.get("/").await;
    assert!(home.contains("Hill School") && !home.contains(r#"href="/admin/users""#));

    let again = register(&Browser::new(&server), "B@example.org").await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = again.text().await.unwrap();
    assert!(
        body.contains("an account with this email already exists"),
        "{body}"
    );
    assert!(
        body.contains(r#"value="B@example.org""#),
        "typed input is kept: {body}"
    );
}

async fn sign_in_and_out_with_cookies(b: Backend) {
    let (server, lms) = start(&b).await;
    account(&lms, "ada@example.org", SystemRole::Student).await;
    let browser = Browser::new(&server);
    let response = browser.post_raw("/courses/new", &[]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "no token at all");
    let (status, _) = browser.get("/").await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let wrong = browser.sign_in("ada@example.org", "not the password").await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("wrong email or password")
    );

    let ok = browser.sign_in("ada@example.org", PASSWORD).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let cookie = ok
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap())
        .find(|c| c.starts_with("paideia_session="))
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
            && !cookie.contains("Secure"),
        "{cookie}"
    );
    assert_eq!(browser.get("/").await.0, StatusCode::OK);

    browser.get("/").await;
    let out = browser.post("/logout", &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&out), "/login");
    assert_eq!(browser.get("/").await.0, StatusCode::SEE_OTHER);

    let proxied = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = proxied.get(server.url("/login")).send().await.unwrap();
    let anon = page.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let token = anon.split('=').nth(1).unwrap().to_string();
    let https = proxied
        .post(server.url("/login"))
        .header("cookie", anon)
        .header("x-forwarded-proto", "https")
        .form(&[
            ("_csrf", token.as_str()),
            ("email", "ada@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let secure = https.headers().get_all("set-cookie").iter().any(|c| {
        c.to_str().unwrap().starts_with("paideia_session=")
            && c.to_str().unwrap().contains("; Secure")
    });
    assert!(secure, "behind an HTTPS proxy the session cookie is Secure");
}

async fn failed_sign_ins_are_throttled(b: Backend) {
    let (server, lms) = start(&b).await;
    account(&lms, "ada@example.org", SystemRole::Student).await;
    account(&lms, "bob@example.org", SystemRole::Student).await;
    let browser = Browser::new(&server);
    for _ in 0..5 {
        let wrong = browser
            .sign_in("ada@example.org", "guess guess guess")
            .await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let refused = browser.sign_in("ada@example.org", PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers()["retry-after"], "1");
    let body = refused.text().await.unwrap();
    assert!(
        body.contains("too many failed sign-in attempts; try again in 1 second"),
        "{body}"
    );
    let other = browser.sign_in("bob@example.org", PASSWORD).await;
    assert_eq!(
        other.status(),
        StatusCode::SEE_OTHER,
        "another account from the same address still works"
    );
}

async fn forms_without_the_csrf_token_are_refused(b: Backend) {
    let (server, lms) = start(&b).await;
    account(&lms, "teach@example.org", SystemRole::Instructor).await;
    let browser = Browser::signed_in(&server, "teach@example.org").await;
    let course = [("title", "Biology"), ("slug", "bio"), ("status", "draft")];
    let missing = browser.post_raw("/courses/new", &course).await;
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    assert!(
        missing
            .text()
            .await
            .unwrap()
            .contains("This form has expired")
    );
    let mut forged = vec![("_csrf", "0".repeat(64))];
    forged.extend(course.iter().map(|(k, v)| (*k, v.to_string())));
    let forged: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        browser.post_raw("/courses/new", &forged).await.status(),
        StatusCode::FORBIDDEN
    );
    assert!(
        lms.my_courses(&lms.user_by_email("teach@example.org").await.unwrap())
            .await
            .unwrap()
            .is_empty()
    );
    browser.get("/courses/new").await;
    assert_eq!(
        browser.post("/courses/new", &course).await.status(),
        StatusCode::SEE_OTHER
    );
}

async fn bad_requests_get_clear_4xx_answers(b: Backend) {
    let (server, lms) = start(&b).await;
    account(&lms, "root@example.org", SystemRole::Admin).await;
    let browser = Browser::signed_in(&server, "root@example.org").await;
    let (status, body) = browser.get("/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Page not found"));
    browser.get("/admin/users").await;
    let bad_id = browser
        .post("/admin/users/abc/role", &[("role", "admin")])
        .await;
    assert_eq!(bad_id.status(), StatusCode::BAD_REQUEST);
    let bad_role = browser
        .post("/admin/users/1/role", &[("role", "emperor")])
        .await;
    assert_eq!(bad_role.status(), StatusCode::BAD_REQUEST);
    let last_admin = browser
        .post("/admin/users/1/disable", &[("disabled", "true")])
        .await;
    assert_eq!(last_admin.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        last_admin
            .text()
            .await
            .unwrap()
            .contains("last active administrator")
    );
    // Last: the server closes a connection whose body it refused.
    let huge = "x".repeat(2 * 1024 * 1024);
    assert_eq!(
        browser
            .post("/admin/settings", &[("site_name", &huge)])
            .await
            .status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

async fn maintenance_mode_leaves_only_admins(b: Backend) {
    let (server, lms) = start(&b).await;
    account(&lms, "root@example.org", SystemRole::Admin).await;
    account(&lms, "stu@example.org", SystemRole::Student).await;
    let admin = Browser::signed_in(&server, "root@example.org").await;
    let student = Browser::signed_in(&server, "stu@example.org").await;
    admin.get("/admin/settings").await;
    let on = admin
        .post(
            "/admin/settings",
            &[("site_name", "paideia"), ("maintenance_mode", "true")],
        )
        .await;
    assert_eq!(on.status(), StatusCode::SEE_OTHER);
    assert_eq!(student.get("/").await.0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(admin.get("/").await.0, StatusCode::OK);
    assert_eq!(
        Browser::new(&server).get("/login").await.0,
        StatusCode::OK,
        "admins can still sign in"
    );
}
