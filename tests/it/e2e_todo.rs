//! The home page's to-do and the calendar in headless Chromium: a student in New York sees
//! what is due soon across two courses, what is overdue and her new grade; opens the calendar
//! by month and as an agenda; makes her feed's address; her teacher in Berlin sees the
//! submissions waiting for grading. Screenshots go under `<target>/e2e-screenshots/todo-*`
//! for a person to look at.

use chrono::{Duration, Utc};
use fantoccini::Locator;
use paideia::lms::{
    CourseInput, Lms, SystemRole, User, assignments::AssignmentInput, courses::CourseView,
};

use crate::{
    lms_assignments::assignment_input,
    support::{
        Backend,
        browser::{Page, start},
        chrome::Driver,
        get,
    },
};

const TEACHER: &str = "hypatia@example.org";
const STUDENT: &str = "ada@example.org";

async fn account(lms: &Lms, email: &str, name: &str, role: SystemRole, zone: &str) -> User {
    let user = crate::support::browser::named_account(lms, email, name, role).await;
    lms.set_time_zone(user.id, Some(zone)).await.unwrap()
}

async fn course(lms: &Lms, teacher: &User, slug: &str, title: &str) -> (CourseView, i64) {
    let input = CourseInput {
        title: title.into(),
        slug: slug.into(),
        status: "published".into(),
        ..CourseInput::default()
    };
    lms.create_course(teacher, &input).await.unwrap();
    let view = lms.course_view(teacher, slug).await.unwrap();
    for email in [STUDENT, "grace@example.org"] {
        lms.enroll(&view, email, "student").await.unwrap();
    }
    let root = lms.sections(&view).await.unwrap()[0].id;
    (view, root)
}

/// An assignment due `due` hours from now (and opening `opens` hours from now).
async fn assignment(
    lms: &Lms,
    view: &CourseView,
    root: i64,
    title: &str,
    due: i64,
    opens: Option<i64>,
) -> i64 {
    let at = |h: i64| (Utc::now() + Duration::hours(h)).to_rfc3339();
    let input = AssignmentInput {
        due_at: at(due),
        opens_at: opens.map(at).unwrap_or_default(),
        ..assignment_input(root, title)
    };
    lms.add_assignment(view, &input).await.unwrap().module.id
}

async fn hand_in(lms: &Lms, who: &User, slug: &str, id: i64) {
    let view = lms.course_view(who, slug).await.unwrap();
    lms.submit(&view, who, id, "My answer.", &[]).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_to_do_and_the_calendar_in_chromium() {
    let b = Backend::sqlite();
    let (server, lms) = start(&b).await;
    let teacher = account(
        &lms,
        TEACHER,
        "Hypatia of Alexandria",
        SystemRole::Instructor,
        "Europe/Berlin",
    )
    .await;
    let ada = account(
        &lms,
        STUDENT,
        "Ada Lovelace",
        SystemRole::Student,
        "America/New_York",
    )
    .await;
    let grace = account(
        &lms,
        "grace@example.org",
        "Grace Hopper",
        SystemRole::Student,
        "America/New_York",
    )
    .await;
    let (bio, bio_root) = course(&lms, &teacher, "cell-bio", "Cell Biology").await;
    let (chem, chem_root) = course(&lms, &teacher, "org-chem", "Organic Chemistry").await;
    let essay = assignment(&lms, &bio, bio_root, "Membrane essay", 26, None).await;
    assignment(
        &lms,
        &bio,
        bio_root,
        "Microscope lab report",
        5 * 24,
        Some(-24),
    )
    .await;
    assignment(&lms, &bio, bio_root, "Reading quiz", -2 * 24, None).await;
    let form = assignment(&lms, &bio, bio_root, "Field trip form", 9 * 24, None).await;
    let worksheet = assignment(&lms, &bio, bio_root, "Osmosis worksheet", -3 * 24, None).await;
    assignment(&lms, &chem, chem_root, "Nomenclature problems", 3, None).await;
    assignment(&lms, &chem, chem_root, "Lab safety quiz", 12 * 24, None).await;
    hand_in(&lms, &ada, "cell-bio", form).await;
    hand_in(&lms, &ada, "cell-bio", worksheet).await;
    hand_in(&lms, &grace, "cell-bio", worksheet).await;
    hand_in(&lms, &grace, "cell-bio", essay).await;
    hand_in(&lms, &grace, "cell-bio", form).await;
    let item = lms.assignment_item(&bio, worksheet).await.unwrap().id;
    lms.grade(
        &bio,
        &teacher,
        item,
        ada.id,
        "8",
        "Good diagrams; label the membrane.",
    )
    .await
    .unwrap();
    lms.release_grades(&bio, item).await.unwrap();

    let driver = Driver::start().await;
    let scene = Page::open(&driver, &server).await;
    scene.closing(story(&scene)).await;
    scene.assert_shots(&[
        "todo-01-student-home",
        "todo-02-calendar-month",
        "todo-03-calendar-agenda",
        "todo-04-feed",
        "todo-05-teacher-home",
    ]);
}

async fn story(s: &Page) {
    // Tall enough that each screenshot shows the whole page.
    s.client.set_window_size(1280, 1500).await.unwrap();
    s.sign_in(STUDENT).await;
    let due = s.text("#due-soon").await;
    for title in [
        "Nomenclature problems",
        "Membrane essay",
        "Microscope lab report",
        "Field trip form",
        "Lab safety quiz",
    ] {
        assert!(due.contains(title), "{title} in {due}");
    }
    assert!(
        due.find("Nomenclature problems") < due.find("Membrane essay"),
        "soonest first: {due}"
    );
    assert!(due.contains("Handed in"), "{due}");
    assert!(
        due.contains("tomorrow at") || due.contains("today at"),
        "{due}"
    );
    assert!(
        due.contains("EST") || due.contains("EDT"),
        "New York's zone: {due}"
    );
    let overdue = s.text("#overdue").await;
    assert!(overdue.contains("Reading quiz") && !overdue.contains("Osmosis worksheet"));
    let grades = s.text("#new-grades").await;
    assert!(
        grades.contains("Osmosis worksheet") && grades.contains("8 / 20"),
        "{grades}"
    );
    s.shot("todo-01-student-home").await;

    s.click(Locator::Css("header a[href='/calendar']")).await;
    s.heading("Calendar").await;
    let month = s.text("table.month").await;
    assert!(
        [
            "Reading quiz",
            "Membrane essay",
            "Field trip form",
            "Lab safety quiz"
        ]
        .iter()
        .any(|t| month.contains(t)),
        "{month}"
    );
    s.shot("todo-02-calendar-month").await;
    s.click(Locator::LinkText("Agenda")).await;
    s.find(Locator::Css("div.agenda")).await;
    s.shot("todo-03-calendar-agenda").await;

    s.click(Locator::LinkText("Subscribe in your calendar app"))
        .await;
    s.heading("Calendar feed").await;
    s.press("Make a feed address").await;
    let url = s.text("#feed-url").await;
    s.shot("todo-04-feed").await;
    let feed = get(&url).await.unwrap().text().await.unwrap();
    assert!(
        feed.starts_with("BEGIN:VCALENDAR")
            && feed.contains("SUMMARY:Due: Membrane essay (Cell Biology)")
    );
    s.sign_out().await;

    s.sign_in(TEACHER).await;
    let waiting = s.text("#to-grade").await;
    assert!(
        waiting.contains("Field trip form") && waiting.contains("2 submissions to grade"),
        "{waiting}"
    );
    assert!(waiting.contains("Osmosis worksheet") && waiting.contains("Membrane essay"));
    assert!(
        waiting.contains("CET") || waiting.contains("CEST"),
        "Berlin's zone: {waiting}"
    );
    s.shot("todo-05-teacher-home").await;
}
