//! The grading table in headless Chromium: a teacher grades five students in one submit with
//! a rubric, choosing each criterion's level down its column with the keyboard only (the
//! table's tab order), writing feedback and attaching a marked-up file to one row; the saved grades and the file are then checked
//! through the domain. Screenshots go to `<target>/e2e-screenshots/grading-*.png`.

use fantoccini::Locator;
use paideia::lms::{CourseInput, Lms, SystemRole, courses::CourseView};

use crate::{
    lms_assignments::assignment_input,
    support::{
        Backend,
        browser::{Page, named_account as account, start},
        chrome::{Driver, find},
    },
};

const TEACHER: &str = "hypatia@example.org";
const STUDENTS: [&str; 5] = [
    "Ada Lovelace",
    "Blaise Pascal",
    "Carl Gauss",
    "Dorothy Hodgkin",
    "Emmy Noether",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_grades_five_students_in_one_submit() {
    let b = Backend::sqlite();
    let (server, lms) = start(&b).await;
    let (bio, module, students) = set_up(&lms).await;
    let marked = b.dir.path().join("ada-marked.pdf");
    std::fs::write(&marked, b"%PDF-1.4 marked up").unwrap();
    let driver = Driver::start().await;
    let scene = Page::open(&driver, &server).await;
    scene
        .closing(story(&scene, module, &students, &marked))
        .await;
    let sheet = lms.grading_sheet(&bio, module).await.unwrap();
    let points: Vec<Option<f64>> = sheet
        .rows
        .iter()
        .map(|r| r.grade.as_ref().and_then(|g| g.points))
        .collect();
    // Argument + Sources: Fair 5 + Many 10, Weak 0 + Some 5, Strong 10 + None 0,
    // Fair 5 + Many 10, Strong 10 + Some 5.
    assert_eq!(
        points,
        [Some(15.0), Some(5.0), Some(10.0), Some(15.0), Some(15.0)]
    );
    assert_eq!(
        sheet.rows[0].grade.as_ref().unwrap().feedback,
        "Well argued; see the marked copy."
    );
    assert_eq!(sheet.rows[0].feedback_files[0].file_name, "ada-marked.pdf");
    assert!(sheet.rows[1..].iter().all(|r| r.feedback_files.is_empty()));
    scene.assert_shots(&["grading-01-table", "grading-02-saved"]);
}

/// A course with five students (three handed in, one late), an essay; returns the course as
/// its teacher sees it, the essay's id and the students' ids by name.
async fn set_up(lms: &Lms) -> (CourseView, i64, Vec<i64>) {
    let teacher = account(lms, TEACHER, "Hypatia", SystemRole::Instructor).await;
    let input = CourseInput {
        title: "Cell Biology".into(),
        slug: "cell-bio".into(),
        description: String::new(),
        status: "published".into(),
    };
    lms.create_course(&teacher, &input).await.unwrap();
    let bio = lms.course_view(&teacher, "cell-bio").await.unwrap();
    let mut students = Vec::new();
    for name in STUDENTS {
        let email = format!(
            "{}@example.org",
            name.split(' ').next().unwrap().to_lowercase()
        );
        let user = account(lms, &email, name, SystemRole::Student).await;
        lms.enroll(&bio, &email, "student").await.unwrap();
        students.push(user);
    }
    let root = lms.sections(&bio).await.unwrap()[0].id;
    let module = lms
        .add_assignment(&bio, &assignment_input(root, "Essay"))
        .await
        .unwrap()
        .module
        .id;
    for (student, text) in students.iter().zip([
        "Cells divide by mitosis.",
        "The membrane is a lipid bilayer.",
        "Ribosomes make proteins.",
    ]) {
        let view = lms.course_view(student, "cell-bio").await.unwrap();
        lms.submit(&view, student, module, text, &[]).await.unwrap();
    }
    lms.set_rubric(
        &bio,
        module,
        "Argument | Weak 0 | Fair 5 | Strong 10\nSources | None 0 | Some 5 | Many 10",
    )
    .await
    .unwrap();
    (bio, module, students.iter().map(|u| u.id).collect())
}

async fn story(s: &Page, module: i64, students: &[i64], marked: &std::path::Path) {
    s.sign_in(TEACHER).await;
    s.goto(&format!("/courses/cell-bio/modules/{module}/submissions"))
        .await;
    s.heading("Submissions: Essay").await;
    // Levels down each criterion's column with the keyboard alone (a select takes the
    // level whose name starts with the letter typed): the first field, then keys and Tab.
    let tab = "\u{e004}";
    let first = find(&s.client, Locator::Id(&format!("rubric-{}", students[0]))).await;
    first
        .send_keys(&["F", "W", "S", "F", "S", "M", "S", "N", "M", "S"].join(tab))
        .await
        .unwrap();
    find(&s.client, Locator::Id(&format!("feedback-{}", students[0])))
        .await
        .send_keys("Well argued; see the marked copy.")
        .await
        .unwrap();
    find(
        &s.client,
        Locator::Id(&format!("feedback_file-{}", students[0])),
    )
    .await
    .send_keys(marked.to_str().unwrap())
    .await
    .unwrap();
    s.shot("grading-01-table").await;
    s.press("Save all grades").await;
    find(
        &s.client,
        Locator::XPath("//*[contains(normalize-space(), '5 grade(s) saved.')]"),
    )
    .await;
    s.shot("grading-02-saved").await;
}
