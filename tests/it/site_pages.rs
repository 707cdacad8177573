//! The pages around the LMS (issue #15, part 6): an empty site opens on creating its
//! administrator, error pages keep the site's name and navigation, the sign-in page says what
//! to do about a forgotten password, and the administrator's user list.

use reqwest::StatusCode;

use crate::support::{
    Backend,
    browser::{Browser, location, start},
    class::class,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_site_opens_on_creating_its_administrator() {
    let b = Backend::sqlite();
    let (server, _lms) = start(&b).await;
    let visitor = Browser::new(&server);
    let home = visitor.fetch("/", &[("accept", "text/html")]).await;
    assert_eq!(home.status(), StatusCode::SEE_OTHER);
    let login = location(&home);
    let to_setup = visitor.fetch(&login, &[("accept", "text/html")]).await;
    assert_eq!(to_setup.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&to_setup), "/register");
    let (status, page) = visitor.get("/register").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Create the administrator account"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_pages_keep_the_site_s_name_and_navigation() {
    let b = Backend::sqlite();
    let c = class(&b, &[]).await;
    c.admin.get("/admin/settings").await;
    let saved = c
        .admin
        .post("/admin/settings", &[("site_name", "Springfield High")])
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    for path in ["/register", "/no/such/page", "/courses/nope"] {
        let (status, page) = c.admin.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            page.contains("Springfield High") && page.contains(r#"href="/admin/users""#),
            "{path}: {page}"
        );
        assert!(
            !page.contains(">paideia<"),
            "{path}: the hard-coded brand: {page}"
        );
    }
    let (status, page) = c.anonymous.get("/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        page.contains("Springfield High") && page.contains(r#"href="/login""#),
        "{page}"
    );
    // Scripts still get the JSON error body.
    let json = c.anonymous.fetch("/no/such/page", &[]).await;
    assert_eq!(json.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = json.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");

    let (_, page) = c.anonymous.get("/login").await;
    assert!(page.contains("Forgot your password?"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_find_page_and_import_accounts() {
    let b = Backend::sqlite();
    let c = class(&b, &[]).await;
    for i in 0..60 {
        crate::support::browser::account(
            &c.lms,
            &format!("pupil{i:02}@example.org"),
            paideia::lms::SystemRole::Student,
        )
        .await;
    }
    let (_, page) = c.admin.get("/admin/users").await;
    assert!(page.contains("66 account(s), page 1 of 2"), "{page}");
    assert!(
        page.find("Create an account").unwrap() < page.find("<table").unwrap(),
        "the create form comes first"
    );
    let (_, page) = c.admin.get("/admin/users?page=2").await;
    assert!(
        page.contains("page 2 of 2") && page.contains(r#"rel="prev""#),
        "{page}"
    );
    let (_, page) = c.admin.get("/admin/users?q=PUPIL0").await;
    assert!(page.contains("10 account(s) matching"), "{page}");
    let (_, page) = c.admin.get("/admin/users?q=100%25_").await;
    assert!(
        page.contains("0 account(s)"),
        "LIKE wildcards are searched as text: {page}"
    );

    // One bad file lists every bad line and creates nothing.
    c.admin.get("/admin/users").await;
    let bad = "email,name,role,password\n\
               new1@example.org,New One,student,\n\
               not-an-email,Bad,student,\n\
               new2@example.org,New Two,dean,short\n\
               stu@example.org,Exists,,\n\
               new1@example.org,Twice,student,\n";
    let response = c
        .admin
        .post_files(
            "/admin/users/import",
            &[],
            &[("file", "accounts.csv", bad.as_bytes().to_vec())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    for line in ["Line 3:", "Line 4:", "Line 5:", "Line 6:"] {
        assert!(page.contains(line), "{line}: {page}");
    }
    assert!(page.contains("dean") && page.contains("at least"), "{page}");
    assert!(
        c.lms.user_by_email("new1@example.org").await.is_err(),
        "nothing created"
    );

    let good = "new1@example.org,\"Lovelace, Ada\",instructor,a good long password\n\
                new2@example.org,Grace Hopper,,\n";
    c.admin.get("/admin/users").await;
    let response = c
        .admin
        .post_files(
            "/admin/users/import",
            &[],
            &[("file", "accounts.csv", good.as_bytes().to_vec())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    assert!(page.contains("2 account(s) created"), "{page}");
    let ada = c.lms.user_by_email("new1@example.org").await.unwrap();
    assert_eq!(ada.display_name, "Lovelace, Ada");
    assert_eq!(ada.role, paideia::lms::SystemRole::Instructor);
    // Grace's made-up password is on the page, once, and signs her in.
    let start = page
        .find("grace")
        .or_else(|| page.find("Grace Hopper"))
        .unwrap();
    let code = &page[start..];
    let password = code
        .split("<code>")
        .nth(1)
        .unwrap()
        .split("</code>")
        .next()
        .unwrap();
    let grace = Browser::new(c.server());
    let signed_in = grace.sign_in("new2@example.org", password).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "{password}");
}
