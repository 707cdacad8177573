//! The gradebook over HTTP: assignment items and manual items with weights, a weighted final
//! grade with letters, students seeing only their released grades, the CSV export.

use paideia::lms::{LmsError, SystemRole, gradebook::Item};
use reqwest::StatusCode;

use crate::{
    lms_assignments::assignment_input,
    on_both_engines,
    support::{
        Backend,
        browser::account,
        class::{Class, class},
    },
};

// Who may reach each of these routes is checked, with every other route, in
// `permissions::every_route_for_every_role`.
on_both_engines!(weighted_final_grades_letters_and_csv);

async fn items(c: &Class) -> Vec<Item> {
    c.lms.gradebook_items(&c.bio).await.unwrap()
}

async fn weighted_final_grades_letters_and_csv(b: Backend) {
    let c = class(&b, &[]).await;
    let lab = c
        .lms
        .add_assignment(&c.bio, &assignment_input(c.root, "Lab"))
        .await
        .unwrap();
    let report_input = paideia::lms::assignments::AssignmentInput {
        max_points: "50".into(),
        ..assignment_input(c.root, "Report, final")
    };
    let report = c.lms.add_assignment(&c.bio, &report_input).await.unwrap();

    c.teacher.get("/courses/bio/grades").await;
    let added = c
        .teacher
        .post(
            "/courses/bio/grades/items",
            &[("title", "Exam"), ("max_points", "10"), ("weight", "2")],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let refused = c
        .teacher
        .post(
            "/courses/bio/grades/items",
            &[("title", "Quiz"), ("max_points", "0"), ("weight", "x")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(body.contains("enter a weight from 0 to 1000") && body.contains(r#"value="Quiz""#));
    let all = items(&c).await;
    let titles: Vec<&str> = all.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, ["Lab", "Report, final", "Exam"]);
    let (lab_item, report_item, exam) = (all[0].id, all[1].id, all[2].id);
    assert_eq!(
        (all[0].module_id, all[2].module_id),
        (Some(lab.module.id), None)
    );

    c.teacher.get("/courses/bio/grades").await;
    let weighted = c
        .teacher
        .post(
            &format!("/courses/bio/grades/items/{report_item}"),
            &[("weight", "3")],
        )
        .await;
    assert_eq!(weighted.status(), StatusCode::SEE_OTHER);
    assert_eq!(items(&c).await[1].weight, 3.0);
    assert_eq!(
        items(&c).await[1].title,
        "Report, final",
        "an assignment's item keeps its title"
    );
    let letters = c
        .teacher
        .post(
            "/courses/bio/grades/letters",
            &[("letters", "A 90\nB 80\nC 70\nF 0")],
        )
        .await;
    assert_eq!(letters.status(), StatusCode::SEE_OTHER);
    let bad = c
        .teacher
        .post(
            "/courses/bio/grades/letters",
            &[("letters", "A 90\nB lots")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text().await.unwrap().contains("B lots"),
        "what was typed is kept"
    );

    let students = c.lms.students(&c.bio).await.unwrap();
    let (stu, stu2) = (&students[0], &students[1]);
    assert_eq!(
        (stu.email.as_str(), stu2.email.as_str()),
        ("stu@example.org", "stu2@example.org")
    );
    // stu: 15/20 = 75% (×1), 40/50 = 80% (×3), 9/10 = 90% (×2): 4.95 / 6 = 82.5% → B.
    // stu2: only the lab, 20/20 → 100% → A.
    for (item, student, points) in [
        (lab_item, stu, "15"),
        (report_item, stu, "40"),
        (exam, stu, "9"),
        (lab_item, stu2, "20"),
    ] {
        let page = format!("/courses/bio/grades/items/{item}");
        c.ta.get(&page).await;
        let graded =
            c.ta.post(
                &format!("{page}/students/{}", student.id),
                &[("points", points), ("feedback", "")],
            )
            .await;
        assert_eq!(graded.status(), StatusCode::SEE_OTHER);
    }
    let (_, table) = c.teacher.get("/courses/bio/grades").await;
    assert!(
        table.contains("82.50%") && table.contains("100.00%"),
        "{table}"
    );

    let csv = c.ta.fetch("/courses/bio/grades.csv", &[]).await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        csv.headers()["content-disposition"],
        "attachment; filename=\"bio-grades.csv\""
    );
    assert_eq!(
        csv.text().await.unwrap(),
        "email,name,Lab (/20),\"Report, final (/50)\",Exam (/10),final percent,letter\n\
         stu@example.org,stu,15,40,9,82.50,B\n\
         stu2@example.org,stu2,20,,,100.00,A\n"
    );

    // Students see released grades only, and their final grade over those.
    let (_, mine) = c.student.get("/courses/bio/grades").await;
    assert!(
        !mine.contains("15 / 20") && mine.contains("Final grade so far: <strong>–"),
        "{mine}"
    );
    c.teacher
        .get(&format!("/courses/bio/grades/items/{lab_item}"))
        .await;
    c.teacher
        .post(
            &format!("/courses/bio/grades/items/{lab_item}/release"),
            &[],
        )
        .await;
    let (_, mine) = c.student.get("/courses/bio/grades").await;
    assert!(
        mine.contains("15 / 20") && !mine.contains("40 / 50"),
        "{mine}"
    );
    assert!(
        mine.contains("75.00%") && mine.contains("</strong> C"),
        "{mine}"
    );
    assert!(!mine.contains("stu2"), "no one else's grades");
    let (_, report_page) = c
        .student
        .get(&format!("/courses/bio/modules/{}", report.module.id))
        .await;
    assert!(report_page.contains("Not graded yet, or not released"));

    // A student of the course who is not enrolled as one cannot be graded.
    let outsider = account(&c.lms, "x@example.org", SystemRole::Student).await;
    let graded = c
        .lms
        .grade(&c.bio, &c.teacher_user, exam, outsider.id, "1", "")
        .await;
    assert!(matches!(graded, Err(LmsError::NotFound)));
}
