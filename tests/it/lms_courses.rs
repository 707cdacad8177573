//! Courses over HTTP: creation makes the root section and the teacher enrollment, CSV
//! enrollment is all or nothing, and the permission matrix over every LMS route, where "not
//! allowed" looks exactly like "not found".

use paideia::lms::{CourseRole, SystemRole, User, courses::ROOT_SECTION_TITLE, sections};
use reqwest::StatusCode;

use crate::{
    on_both_engines,
    support::{
        Backend,
        browser::{Browser, account, location, start},
    },
};

on_both_engines!(
    creating_a_course_makes_its_root_section_and_teacher,
    csv_enrollment_is_all_or_nothing,
    the_permission_matrix
);

async fn create_course(browser: &Browser, slug: &str, status: &str) -> reqwest::Response {
    browser.get("/courses/new").await;
    browser
        .post(
            "/courses/new",
            &[
                ("title", "Cell Biology"),
                ("slug", slug),
                ("description", "Cells."),
                ("status", status),
            ],
        )
        .await
}

async fn creating_a_course_makes_its_root_section_and_teacher(b: Backend) {
    let (server, lms) = start(&b).await;
    let teacher = account(&lms, "teach@example.org", SystemRole::Instructor).await;
    let browser = Browser::signed_in(&server, "teach@example.org").await;
    let created = create_course(&browser, "bio-101", "draft").await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&created), "/courses/bio-101");

    let view = lms.course_view(&teacher, "bio-101").await.unwrap();
    assert_eq!(view.access().course, Some(CourseRole::Teacher));
    let all = lms.sections(&view).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(
        (all[0].title.as_str(), all[0].parent_id),
        (ROOT_SECTION_TITLE, None)
    );
    let people = lms.enrollments(&view).await.unwrap();
    assert_eq!((people.len(), people[0].user.id), (1, teacher.id));

    let (status, page) = browser.get("/courses/bio-101").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(ROOT_SECTION_TITLE) && page.contains("Manage people"));

    let taken = create_course(&browser, "bio-101", "draft").await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = taken.text().await.unwrap();
    assert!(
        body.contains("another course already uses this address")
            && body.contains(r#"value="Cell Biology""#),
        "{body}"
    );

    browser.get("/courses/bio-101/sections").await;
    let root = all[0].id.to_string();
    let added = browser
        .post(
            "/courses/bio-101/sections",
            &[("title", "Week 1"), ("parent_id", &root)],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let week = lms
        .sections(&view)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.title == "Week 1")
        .unwrap();
    let path = format!("/courses/bio-101/sections/{}", root);
    let cycle = browser
        .post(
            &path,
            &[
                ("title", "Content"),
                ("parent_id", &week.id.to_string()),
                ("position", "1"),
            ],
        )
        .await;
    assert_eq!(cycle.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let path = format!("/courses/bio-101/sections/{}", week.id);
    let moved = browser
        .post(
            &path,
            &[("title", "Week one"), ("parent_id", ""), ("position", "1")],
        )
        .await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    let tree = sections::tree(&lms.sections(&view).await.unwrap(), None);
    let titles: Vec<&str> = tree.iter().map(|n| n.section.title.as_str()).collect();
    assert_eq!(titles, ["Week one", ROOT_SECTION_TITLE]);
}

async fn csv_enrollment_is_all_or_nothing(b: Backend) {
    let (server, lms) = start(&b).await;
    let teacher = account(&lms, "teach@example.org", SystemRole::Instructor).await;
    for name in ["ann", "ben", "cat"] {
        account(&lms, &format!("{name}@example.org"), SystemRole::Student).await;
    }
    let browser = Browser::signed_in(&server, "teach@example.org").await;
    create_course(&browser, "bio", "published").await;
    browser.get("/courses/bio/people").await;

    let bad = "email,role\nann@example.org,student\nben@example.org,dean\nnobody@example.org,ta\n";
    let refused = browser.upload("/courses/bio/people/csv", bad).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(
        body.contains("Line 3: unknown role") && body.contains("Nothing was changed"),
        "{body}"
    );
    let view = lms.course_view(&teacher, "bio").await.unwrap();
    assert_eq!(
        lms.enrollments(&view).await.unwrap().len(),
        1,
        "nothing applied"
    );

    let missing = browser
        .upload(
            "/courses/bio/people/csv",
            "ann@example.org,student\nnobody@example.org,ta\nben@example.org,dean\n",
        )
        .await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = missing.text().await.unwrap();
    assert!(
        body.contains("Line 2: no account has the email nobody@example.org")
            && body.contains("Line 3: unknown role"),
        "an unknown email and a bad role are listed in one pass: {body}"
    );
    assert_eq!(
        lms.enrollments(&view).await.unwrap().len(),
        1,
        "nothing applied"
    );

    let good = "ann@example.org,student\nben@example.org,ta\ncat@example.org,student\n";
    let applied = browser.upload("/courses/bio/people/csv", good).await;
    assert_eq!(applied.status(), StatusCode::SEE_OTHER);
    assert_eq!(lms.enrollments(&view).await.unwrap().len(), 4);

    let me = teacher.id.to_string();
    let last_teacher = browser
        .post(&format!("/courses/bio/people/{me}/remove"), &[])
        .await;
    assert_eq!(last_teacher.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        last_teacher
            .text()
            .await
            .unwrap()
            .contains("at least one teacher")
    );
}

struct Cast {
    admin: Browser,
    teacher: Browser,
    ta: Browser,
    student: Browser,
    other: Browser,
    anonymous: Browser,
}

async fn cast(server: &crate::support::server::Server, lms: &paideia::lms::Lms) -> (Cast, User) {
    account(lms, "root@example.org", SystemRole::Admin).await;
    let teacher = account(lms, "teach@example.org", SystemRole::Instructor).await;
    for name in ["ta", "stu", "other"] {
        account(lms, &format!("{name}@example.org"), SystemRole::Student).await;
    }
    let t = Browser::signed_in(server, "teach@example.org").await;
    create_course(&t, "bio", "published").await;
    create_course(&t, "chem", "published").await;
    let bio = lms.course_view(&teacher, "bio").await.unwrap();
    lms.enroll(&bio, "ta@example.org", "ta").await.unwrap();
    lms.enroll(&bio, "stu@example.org", "student")
        .await
        .unwrap();
    let chem = lms.course_view(&teacher, "chem").await.unwrap();
    lms.enroll(&chem, "other@example.org", "student")
        .await
        .unwrap();
    let anonymous = Browser::new(server);
    anonymous.get("/login").await;
    let cast = Cast {
        admin: Browser::signed_in(server, "root@example.org").await,
        teacher: t,
        ta: Browser::signed_in(server, "ta@example.org").await,
        student: Browser::signed_in(server, "stu@example.org").await,
        other: Browser::signed_in(server, "other@example.org").await,
        anonymous,
    };
    (cast, teacher)
}

/// A form's fields.
type Fields<'a> = &'a [(&'a str, &'a str)];

const OK: u16 = 200;
const GO: u16 = 303;
const NO: u16 = 404;

async fn the_permission_matrix(b: Backend) {
    let (server, lms) = start(&b).await;
    let (cast, _) = cast(&server, &lms).await;
    let who = [
        &cast.admin,
        &cast.teacher,
        &cast.ta,
        &cast.student,
        &cast.other,
        &cast.anonymous,
    ];
    // admin, teacher, ta, student, student of another course, anonymous
    let gets: [(&str, [u16; 6]); 9] = [
        ("/", [OK, OK, OK, OK, OK, GO]),
        ("/courses/bio", [OK, OK, OK, OK, NO, GO]),
        ("/courses/bio/edit", [OK, OK, NO, NO, NO, GO]),
        ("/courses/bio/sections", [OK, OK, OK, NO, NO, GO]),
        ("/courses/bio/people", [OK, OK, OK, NO, NO, GO]),
        ("/courses/new", [OK, OK, NO, NO, NO, GO]),
        ("/admin/users", [OK, NO, NO, NO, NO, GO]),
        ("/admin/settings", [OK, NO, NO, NO, NO, GO]),
        ("/account/password", [OK, OK, OK, OK, OK, GO]),
    ];
    for (path, expected) in gets {
        for (browser, want) in who.iter().zip(expected) {
            assert_eq!(browser.get(path).await.0.as_u16(), want, "GET {path}");
        }
    }
    let posts: [(&str, Fields, [u16; 6]); 4] = [
        (
            "/courses/bio/sections",
            &[("title", "Extra"), ("parent_id", "")],
            [GO, GO, GO, NO, NO, GO],
        ),
        (
            "/courses/bio/people",
            &[("email", "ta@example.org"), ("role", "ta")],
            [GO, GO, NO, NO, NO, GO],
        ),
        (
            "/courses/bio/edit",
            &[
                ("title", "Biology"),
                ("slug", "bio"),
                ("status", "published"),
            ],
            [GO, GO, NO, NO, NO, GO],
        ),
        (
            "/admin/users/3/role",
            &[("role", "student")],
            [GO, NO, NO, NO, NO, GO],
        ),
    ];
    for (path, form, expected) in posts {
        for (browser, want) in who.iter().zip(expected) {
            assert_eq!(
                browser.post(path, form).await.status().as_u16(),
                want,
                "POST {path}"
            );
        }
    }
    let (_, hidden) = cast.other.get("/courses/bio").await;
    let (_, missing) = cast.other.get("/courses/no-such-course").await;
    assert_eq!(
        hidden, missing,
        "a hidden course looks exactly like a missing one"
    );

    cast.teacher.get("/courses/bio/edit").await;
    cast.teacher
        .post(
            "/courses/bio/edit",
            &[("title", "Biology"), ("slug", "bio"), ("status", "draft")],
        )
        .await;
    assert_eq!(
        cast.student.get("/courses/bio").await.0,
        StatusCode::NOT_FOUND,
        "students do not see drafts"
    );
    assert_eq!(cast.ta.get("/courses/bio").await.0, StatusCode::OK);
}
