//! Course housekeeping in headless Chromium: a teacher schedules a module (typing the time in
//! their zone) and sees the badges beside the hidden one, deletes a section through its
//! confirmation page, finds it in the trash, opens the copy form and copies the course, and
//! scrolls a wide gradebook whose student column stays in place. Screenshots go to
//! `<target>/e2e-screenshots/housekeeping-*.png`.

use fantoccini::Locator;
use paideia::lms::{CourseInput, Lms, SystemRole, modules::PageInput, visibility::VisibilityInput};
use reqwest::StatusCode;

use crate::{
    lms_assignments::assignment_input,
    support::{
        Backend,
        browser::{Browser, Page, named_account as account, start},
        chrome::Driver,
    },
};

const TEACHER: &str = "hypatia@example.org";
const STUDENT: &str = "ada@example.org";
const COURSE: &str = "Cell Biology";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_hides_deletes_restores_and_copies_in_chromium() {
    let b = Backend::sqlite();
    let (server, lms) = start(&b).await;
    set_up(&lms).await;
    let driver = Driver::start().await;
    let scene = Page::open(&driver, &server).await;
    scene.closing(story(&scene)).await;
    // The student sees neither the hidden page nor the scheduled one.
    let student = Browser::signed_in(&server, STUDENT).await;
    let (status, course) = student.get("/courses/cell-bio").await;
    assert_eq!(status, StatusCode::OK);
    assert!(course.contains("Membranes"));
    assert!(!course.contains("Answers") && !course.contains("Mitosis"));
    let teacher = lms.user_by_email(TEACHER).await.unwrap();
    let copy = lms.course_view(&teacher, "cell-bio-2027").await.unwrap();
    assert_eq!(lms.enrollments(&copy).await.unwrap().len(), 1);
    scene.assert_shots(&[
        "housekeeping-01-badges",
        "housekeeping-02-delete-confirmation",
        "housekeeping-03-trash",
        "housekeeping-04-copy-form",
        "housekeeping-05-gradebook",
        "housekeeping-06-gradebook-scrolled",
    ]);
}

async fn set_up(lms: &Lms) {
    let teacher = account(
        lms,
        TEACHER,
        "Hypatia of Alexandria",
        SystemRole::Instructor,
    )
    .await;
    let input = CourseInput {
        title: COURSE.into(),
        slug: "cell-bio".into(),
        description: String::new(),
        status: "published".into(),
    };
    lms.create_course(&teacher, &input).await.unwrap();
    let bio = lms.course_view(&teacher, "cell-bio").await.unwrap();
    account(lms, STUDENT, "Ada Lovelace", SystemRole::Student).await;
    lms.enroll(&bio, STUDENT, "student").await.unwrap();
    for i in 1..=40 {
        let email = format!("student{i}@example.org");
        let name = format!("Student number {i} with a long family name");
        account(lms, &email, &name, SystemRole::Student).await;
        lms.enroll(&bio, &email, "student").await.unwrap();
    }
    let root = lms.sections(&bio).await.unwrap()[0].id;
    let week = lms
        .add_section(&bio, "Week 2: division", None)
        .await
        .unwrap()
        .id;
    let page = |section: i64, title: &str| PageInput {
        section_id: section.to_string(),
        title: title.into(),
        body: "<p>Read this.</p>".into(),
        body_format: String::new(),
    };
    lms.add_page(&bio, &page(root, "Membranes")).await.unwrap();
    let answers = lms.add_page(&bio, &page(root, "Answers")).await.unwrap().id;
    let hidden = VisibilityInput {
        hidden: Some("on".into()),
        ..VisibilityInput::default()
    };
    lms.set_visibility(&bio, answers, &hidden).await.unwrap();
    lms.add_page(&bio, &page(root, "Mitosis")).await.unwrap();
    lms.add_page(&bio, &page(week, "Meiosis")).await.unwrap();
    for i in 1..=12 {
        lms.add_assignment(&bio, &assignment_input(root, &format!("Lab report {i}")))
            .await
            .unwrap();
    }
    let items = lms.gradebook_items(&bio).await.unwrap();
    let ada = lms.user_by_email(STUDENT).await.unwrap();
    for (n, item) in items.iter().enumerate() {
        let points = format!("{}", 8 + n);
        lms.grade(&bio, &teacher, item.id, ada.id, &points, "")
            .await
            .unwrap();
    }
}

async fn story(s: &Page) {
    s.sign_in(TEACHER).await;
    s.goto("/courses/cell-bio").await;
    s.heading(COURSE).await;

    // Schedule "Mitosis": the time is typed in the teacher's zone.
    s.click(Locator::XPath(
        "//li[a[normalize-space()='Mitosis']]/a[starts-with(normalize-space(), 'Visibility')]",
    ))
    .await;
    s.heading("Visibility of Mitosis").await;
    s.js(
        "document.getElementById('visible_from').value = '2030-09-01T08:00'; return true;",
        vec![],
    )
    .await;
    s.click(Locator::XPath(
        "//main//form//button[normalize-space()='Save']",
    ))
    .await;
    s.heading(COURSE).await;
    let badges = s
        .js(
            "return [...document.querySelectorAll('ul.modules .badge.hidden, ul.modules .badge.scheduled')].map(b => b.textContent)",
            vec![],
        )
        .await;
    let badges: Vec<String> = serde_json::from_value(badges).unwrap();
    assert_eq!(badges.len(), 2, "{badges:?}");
    assert_eq!(badges[0], "Hidden");
    assert!(
        badges[1].starts_with("Visible from Sun 1 Sep 2030, 08:00"),
        "{badges:?}"
    );
    s.shot("housekeeping-01-badges").await;

    // Delete a section: a confirmation page first, then the trash.
    s.goto("/courses/cell-bio/sections").await;
    s.click(Locator::XPath(
        "//form[input[@value='Week 2: division']]/a[starts-with(normalize-space(), 'Delete')]",
    ))
    .await;
    s.heading("Delete the section “Week 2: division”?").await;
    s.shot("housekeeping-02-delete-confirmation").await;
    s.press("Move to the trash").await;
    s.heading("Sections of Cell Biology").await;
    s.click(Locator::LinkText("Trash")).await;
    s.heading("Trash of Cell Biology").await;
    let text = s.text("main table tbody tr").await;
    assert!(
        text.contains("Week 2: division") && text.contains("with 1 module"),
        "{text}"
    );
    s.shot("housekeeping-03-trash").await;

    // Copy the course into a new term.
    s.goto("/courses/cell-bio").await;
    s.click(Locator::LinkText("Copy to a new term")).await;
    s.heading("Copy Cell Biology to a new term").await;
    s.replace("title", "Cell Biology 2027").await;
    s.replace("slug", "cell-bio-2027").await;
    s.replace("shift_days", "364").await;
    s.shot("housekeeping-04-copy-form").await;
    s.press("Copy the course").await;
    s.heading("Cell Biology 2027").await;

    // The gradebook fills the width; scrolled sideways, the names stay in view.
    s.goto("/courses/cell-bio/grades").await;
    s.heading("Gradebook of Cell Biology").await;
    let widths = s
        .js(
            "const box = document.querySelector('.gradebook-scroll');
             const main = box.parentElement;
             const table = box.querySelector('table');
             return [box.getBoundingClientRect().width, main.clientWidth, table.getBoundingClientRect().width, box.clientWidth, box.scrollWidth];",
            vec![],
        )
        .await;
    let w: Vec<f64> = serde_json::from_value(widths).unwrap();
    assert!(w[0] >= w[1] - 40.0, "the box fills its column: {w:?}");
    assert!(w[2] >= w[3], "the table fills the box: {w:?}");
    assert!(
        w[4] > w[3],
        "twelve items and long names need scrolling here: {w:?}"
    );
    s.shot("housekeeping-05-gradebook").await;
    let before = name_left(s).await;
    s.js(
        "const box = document.querySelector('.gradebook-scroll'); box.scrollLeft = box.scrollWidth; box.scrollTop = 300; return true;",
        vec![],
    )
    .await;
    let after = name_left(s).await;
    assert!(
        (after - before).abs() < 1.0,
        "the student column stays: {before} {after}"
    );
    s.shot("housekeeping-06-gradebook-scrolled").await;
}

/// Where the first student's name cell starts, from the window's left edge.
async fn name_left(s: &Page) -> f64 {
    s.js(
        "return document.querySelector('table.gradebook tbody th').getBoundingClientRect().left",
        vec![],
    )
    .await
    .as_f64()
    .unwrap()
}
