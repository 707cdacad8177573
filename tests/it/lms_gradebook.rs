//! The gradebook over HTTP: assignment items and manual items with weights, a weighted final
//! grade with letters, students seeing only their released grades, the CSV export; and the
//! permission matrix over every route of modules, submissions and grades.

use paideia::lms::{LmsError, SystemRole, gradebook::Item};
use reqwest::StatusCode;

use crate::{
    lms_assignments::assignment_input,
    lms_modules::add_file,
    on_both_engines,
    support::{
        Backend,
        browser::account,
        class::{Class, class},
    },
};

on_both_engines!(
    weighted_final_grades_letters_and_csv,
    the_permission_matrix_of_modules_and_grades
);

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

/// A form's fields.
type Fields<'a> = Vec<(&'a str, &'a str)>;

const OK: u16 = 200;
const GO: u16 = 303;
const NO: u16 = 404;

async fn the_permission_matrix_of_modules_and_grades(b: Backend) {
    let c = class(&b, &[]).await;
    let root = c.root.to_string();
    let page = c
        .lms
        .add_page(
            &c.bio,
            &paideia::lms::modules::PageInput {
                section_id: root.clone(),
                title: "Intro".into(),
                body: "<p>Hi</p>".into(),
            },
        )
        .await
        .unwrap();
    let essay = c
        .lms
        .add_assignment(&c.bio, &assignment_input(c.root, "Essay"))
        .await
        .unwrap()
        .module
        .id;
    add_file(&c, "Notes", "notes.txt", b"notes".to_vec()).await;
    let file = c
        .lms
        .modules(&c.bio)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.title == "Notes")
        .unwrap()
        .id;
    c.student
        .get(&format!("/courses/bio/modules/{essay}"))
        .await;
    c.student
        .post_files(
            &format!("/courses/bio/modules/{essay}/submissions"),
            &[("body_text", "mine")],
            &[("files", "a.txt", b"answer".to_vec())],
        )
        .await;
    let submission = &c.lms.all_submissions(&c.bio, essay).await.unwrap()[0];
    let item = c.lms.assignment_item(&c.bio, essay).await.unwrap().id;
    let stu = c.lms.students(&c.bio).await.unwrap()[0].id;
    let (p, m) = (page.id, essay);
    let sub_file = format!(
        "/courses/bio/submissions/{}/files/{}",
        submission.id, submission.files[0].id
    );

    // admin, teacher, ta, student, student of another course, anonymous
    let gets: Vec<(String, [u16; 6])> = vec![
        (
            format!("/courses/bio/modules/new?kind=page&section={root}"),
            [OK, OK, OK, NO, NO, GO],
        ),
        (
            format!("/courses/bio/modules/{p}"),
            [OK, OK, OK, OK, NO, GO],
        ),
        (
            format!("/courses/bio/modules/{p}/edit"),
            [OK, OK, OK, NO, NO, GO],
        ),
        (
            format!("/courses/bio/modules/{file}/download"),
            [OK, OK, OK, OK, NO, GO],
        ),
        (
            format!("/courses/bio/modules/{m}"),
            [OK, OK, OK, OK, NO, GO],
        ),
        (
            format!("/courses/bio/modules/{m}/edit"),
            [OK, OK, OK, NO, NO, GO],
        ),
        (
            format!("/courses/bio/modules/{m}/submissions"),
            [OK, OK, OK, NO, NO, GO],
        ),
        (sub_file.clone(), [OK, OK, OK, OK, NO, GO]),
        ("/courses/bio/grades".into(), [OK, OK, OK, OK, NO, GO]),
        ("/courses/bio/grades.csv".into(), [OK, OK, OK, NO, NO, GO]),
        (
            format!("/courses/bio/grades/items/{item}"),
            [OK, OK, OK, NO, NO, GO],
        ),
        (
            format!("/courses/chem/modules/{p}"),
            [NO, NO, NO, NO, NO, GO],
        ),
    ];
    for (path, expected) in &gets {
        for (browser, want) in c.everyone().iter().zip(expected) {
            assert_eq!(
                browser
                    .fetch(path, &[("accept", "text/html")])
                    .await
                    .status()
                    .as_u16(),
                *want,
                "GET {path}"
            );
        }
    }
    assert_eq!(
        c.student2.fetch(&sub_file, &[]).await.status().as_u16(),
        NO,
        "another student's file"
    );

    let posts: Vec<(String, Fields, [u16; 6])> = vec![
        (
            "/courses/bio/modules/pages".into(),
            vec![("section_id", &root), ("title", "More"), ("body", "x")],
            [GO, GO, GO, NO, NO, GO],
        ),
        (
            format!("/courses/bio/modules/{p}/edit"),
            vec![("section_id", &root), ("title", "Intro"), ("body", "y")],
            [GO, GO, GO, NO, NO, GO],
        ),
        (
            format!("/courses/bio/modules/{p}/move"),
            vec![("position", "1")],
            [GO, GO, GO, NO, NO, GO],
        ),
        (
            format!("/courses/bio/grades/items/{item}/students/{stu}"),
            vec![("points", "5")],
            [GO, GO, GO, NO, NO, GO],
        ),
        (
            format!("/courses/bio/grades/items/{item}/release"),
            vec![],
            [GO, GO, GO, NO, NO, GO],
        ),
        (
            format!("/courses/bio/grades/items/{item}"),
            vec![("weight", "2")],
            [GO, GO, NO, NO, NO, GO],
        ),
        (
            "/courses/bio/grades/items".into(),
            vec![("title", "Exam"), ("max_points", "10"), ("weight", "1")],
            [GO, GO, NO, NO, NO, GO],
        ),
        (
            "/courses/bio/grades/letters".into(),
            vec![("letters", "P 50\nF 0")],
            [GO, GO, NO, NO, NO, GO],
        ),
        (
            "/courses/bio/modules/assignments".into(),
            vec![
                ("section_id", &root),
                ("title", "Quiz"),
                ("max_points", "5"),
                ("accepts_text", "true"),
            ],
            [GO, GO, GO, NO, NO, GO],
        ),
        (
            format!("/courses/bio/modules/{m}/edit"),
            vec![
                ("section_id", &root),
                ("title", "Essay"),
                ("max_points", "20"),
                ("accepts_text", "true"),
            ],
            [GO, GO, GO, NO, NO, GO],
        ),
        (
            format!("/courses/chem/grades/items/{item}/release"),
            vec![],
            [NO, NO, NO, NO, NO, GO],
        ),
    ];
    for (path, form, expected) in &posts {
        for (browser, want) in c.everyone().iter().zip(expected) {
            browser.get("/").await;
            assert_eq!(
                browser.post(path, form).await.status().as_u16(),
                *want,
                "POST {path}"
            );
        }
    }
    // Handing in: only the course's students (the student here has attempts left).
    let submit = format!("/courses/bio/modules/{m}/submissions");
    for (browser, want) in c.everyone().iter().zip([NO, NO, NO, GO, NO, GO]) {
        browser.get("/").await;
        let sent = browser
            .post_files(&submit, &[("body_text", "again")], &[])
            .await;
        assert_eq!(sent.status().as_u16(), want, "POST {submit}");
    }
    // Adding a file: staff only; nobody else stores anything.
    for (browser, want) in c.everyone().iter().zip([GO, GO, GO, NO, NO, GO]) {
        browser.get("/").await;
        let file = ("file", "x.txt", b"x".to_vec());
        let sent = browser
            .post_files(
                "/courses/bio/modules/files",
                &[("section_id", &root), ("title", "X")],
                &[file],
            )
            .await;
        assert_eq!(
            sent.status().as_u16(),
            want,
            "POST /courses/bio/modules/files"
        );
    }
    let files = c
        .lms
        .modules(&c.bio)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.title == "X")
        .count();
    assert_eq!(
        files, 3,
        "one file each from the admin, the teacher and the TA"
    );
    // Deleting: staff only; the page goes once.
    let delete = format!("/courses/bio/modules/{p}/delete");
    for (browser, want) in [
        (&c.student, NO),
        (&c.other, NO),
        (&c.ta, GO),
        (&c.teacher, NO),
    ] {
        browser.get("/").await;
        assert_eq!(
            browser.post(&delete, &[]).await.status().as_u16(),
            want,
            "POST {delete}"
        );
    }
}
