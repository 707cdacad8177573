//! A large class stays usable: the course page counts its people by role instead of listing
//! them, and the people page lists them 50 at a time with a search on name or email (where
//! `%` and `_` are plain characters), to the same people as before.

use paideia::db::{Executor, Value};
use reqwest::StatusCode;

use crate::{
    on_both_engines,
    support::{
        Backend,
        class::{Class, class},
    },
};

on_both_engines!(a_large_class_is_listed_a_page_at_a_time);

/// Adds `n` students to `bio` straight into the tables (no password hashing): `s000@…` named
/// `Student 000` and so on, the first named `Top 5% Student`.
async fn students(c: &Class, n: usize) {
    let mut conn = c.lms.db().conn().await.unwrap();
    let mut tx = conn.transaction().await.unwrap();
    let now = Value::Time(c.lms.now());
    for i in 0..n {
        let name = match i {
            0 => "Top 5% Student".to_string(),
            _ => format!("Student {i:03}"),
        };
        let row = tx
            .query_one(
                "INSERT INTO users (email, display_name, password_hash, role, created_at, updated_at)
                 VALUES ($1, $2, 'x', 'student', $3, $3) RETURNING id",
                &[format!("s{i:03}@example.org").into(), name.into(), now.clone()],
            )
            .await
            .unwrap();
        let id: i64 = row.get("id").unwrap();
        tx.execute(
            "INSERT INTO enrollments (course_id, user_id, role, created_at) VALUES ($1, $2, 'student', $3)",
            &[c.bio.course().id.into(), id.into(), now.clone()],
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// The rows of the people table on a page (its header row left out).
fn rows(page: &str) -> usize {
    page.matches("<tr>").count().saturating_sub(1)
}

async fn a_large_class_is_listed_a_page_at_a_time(b: Backend) {
    let c = class(&b, &[]).await;
    // The class has its teacher, its TA and two students: 120 people in all.
    students(&c, 116).await;

    let (status, course) = c.teacher.get("/courses/bio").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        course.contains("1 teacher, 1 teaching assistant, 118 students.")
            && course.contains(r#"href="/courses/bio/people""#),
        "{course}"
    );
    assert!(
        !course.contains("s042@example.org"),
        "no list on the course page"
    );
    let (_, as_student) = c.student.get("/courses/bio").await;
    assert!(
        !as_student.contains("/courses/bio/people") && !as_student.contains("People:"),
        "{as_student}"
    );

    let (status, first) = c.teacher.get("/courses/bio/people").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows(&first), 50);
    assert!(first.contains("1–50 of 120."), "{first}");
    assert!(first.contains(r#"href="/courses/bio/people?page=2" rel="next""#));
    assert!(!first.contains(r#"rel="prev""#));
    assert!(
        first.find("teach@example.org") < first.find("ta@example.org")
            && first.find("ta@example.org") < first.find("stu@example.org"),
        "teachers, then TAs, then students"
    );
    assert_eq!(
        first.matches(">Remove<").count(),
        50,
        "each row can be removed"
    );

    let (_, third) = c.teacher.get("/courses/bio/people?page=3").await;
    assert_eq!(rows(&third), 20);
    assert!(third.contains("101–120 of 120."), "{third}");
    assert!(third.contains(r#"href="/courses/bio/people?page=2" rel="prev""#));
    assert!(!third.contains(r#"rel="next""#));
    let (_, beyond) = c.teacher.get("/courses/bio/people?page=99").await;
    assert!(beyond.contains("101–120 of 120."), "the last page");

    let (_, found) = c.teacher.get("/courses/bio/people?q=042%40EXAMPLE").await;
    assert_eq!(rows(&found), 1, "{found}");
    assert!(found.contains("s042@example.org") && found.contains("1–1 of 1 matching"));
    let (_, by_name) = c.teacher.get("/courses/bio/people?q=student+07").await;
    assert_eq!(rows(&by_name), 10, "Student 070 to 079");

    let (_, percent) = c.teacher.get("/courses/bio/people?q=%25").await;
    assert_eq!(rows(&percent), 1, "only the name with a % in it");
    assert!(percent.contains("Top 5% Student"));
    let (_, underscore) = c.teacher.get("/courses/bio/people?q=_").await;
    assert_eq!(rows(&underscore), 0, "no one has a _");
    assert!(underscore.contains("No one matching “_”."), "{underscore}");

    let (_, many) = c.teacher.get("/courses/bio/people?q=s0").await;
    assert!(many.contains("1–50 of 100 matching “s0”."), "{many}");
    assert!(
        many.contains(r#"href="/courses/bio/people?q=s0&amp;page=2""#),
        "the pager keeps the search"
    );

    // The TA sees the list, as on the course page before, but not the management.
    let (status, as_ta) = c.ta.get("/courses/bio/people?page=2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows(&as_ta), 50);
    assert!(!as_ta.contains(">Remove<") && !as_ta.contains("Enroll someone"));
    for who in [&c.student, &c.other, &c.ta] {
        let (status, _) = who.get("/courses/chem/people").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        c.student.get("/courses/bio/people").await.0,
        StatusCode::NOT_FOUND
    );

    // Removing someone from a later page still works.
    let id: i64 = c
        .lms
        .db()
        .query_one("SELECT id FROM users WHERE email = 's115@example.org'", &[])
        .await
        .unwrap()
        .get("id")
        .unwrap();
    assert!(third.contains(&format!(r#"action="/courses/bio/people/{id}/remove""#)));
    let removed = c
        .teacher
        .post(&format!("/courses/bio/people/{id}/remove"), &[])
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let (_, after) = c.teacher.get("/courses/bio/people?page=3").await;
    assert!(after.contains("101–119 of 119.") && !after.contains("s115@example.org"));
}
