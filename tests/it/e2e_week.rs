//! A whole week of term in headless Chromium. A teacher in New York sets an essay due at
//! 17:00 her time, with a rubric, and writes a page with the editor, pasting a picture into
//! it; a student in Berlin finds the essay on her home page, sees the same deadline at her
//! own time, reads the page and hands in; the teacher grades all five students in one submit
//! with the rubric and a marked-up file and releases the grades; the student's home then
//! shows the grade and her assignment page the filled rubric and the file. Screenshots of
//! every step go to `<target>/e2e-screenshots/week-*.png`.

use chrono::{DateTime, Days, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use fantoccini::Locator;
use paideia::lms::{CourseInput, Lms, SystemRole, User};
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    e2e_editor::paste_picture,
    support::{
        Backend,
        browser::{Browser, Page, named_account, start},
        chrome::Driver,
    },
};

const TEACHER: &str = "hypatia@example.org";
const STUDENT: &str = "ada@example.org";
const COURSE: &str = "Cell Biology";
const ESSAY: &str = "Membrane essay";
const PAGE: &str = "Before the essay";
const NEW_YORK: Tz = chrono_tz::America::New_York;
const BERLIN: Tz = chrono_tz::Europe::Berlin;
/// Alphabetical, as the grading table lists them; Ada is the student in Berlin.
const STUDENTS: [&str; 5] = [
    "Ada Lovelace",
    "Blaise Pascal",
    "Carl Gauss",
    "Dorothy Hodgkin",
    "Emmy Noether",
];

/// Everyone, by email, and the deadline: 17:00 in New York three days from now.
struct Week {
    lms: Lms,
    teacher: User,
    students: Vec<User>,
    due: DateTime<Utc>,
}

fn email(name: &str) -> String {
    format!(
        "{}@example.org",
        name.split(' ').next().unwrap().to_lowercase()
    )
}

async fn set_up(lms: Lms) -> Week {
    let teacher = named_account(
        &lms,
        TEACHER,
        "Hypatia of Alexandria",
        SystemRole::Instructor,
    )
    .await;
    let teacher = lms
        .set_time_zone(teacher.id, Some("America/New_York"))
        .await
        .unwrap();
    let input = CourseInput {
        title: COURSE.into(),
        slug: "cell-bio".into(),
        description: "Cells, membranes and what happens inside them.".into(),
        status: "published".into(),
    };
    lms.create_course(&teacher, &input).await.unwrap();
    let bio = lms.course_view(&teacher, "cell-bio").await.unwrap();
    let mut students = Vec::new();
    for name in STUDENTS {
        let user = named_account(&lms, &email(name), name, SystemRole::Student).await;
        lms.enroll(&bio, &email(name), "student").await.unwrap();
        students.push(user);
    }
    students[0] = lms
        .set_time_zone(students[0].id, Some("Europe/Berlin"))
        .await
        .unwrap();
    let day = Utc::now()
        .with_timezone(&NEW_YORK)
        .date_naive()
        .checked_add_days(Days::new(3))
        .unwrap();
    let due = NEW_YORK
        .from_local_datetime(&day.and_time(NaiveTime::from_hms_opt(17, 0, 0).unwrap()))
        .single()
        .unwrap()
        .with_timezone(&Utc);
    Week {
        lms,
        teacher,
        students,
        due,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_week_of_term_for_a_teacher_in_new_york_and_a_student_in_berlin() {
    let b = Backend::sqlite();
    let (server, lms) = start(&b).await;
    let week = set_up(lms).await;
    let marked = b.dir.path().join("ada-marked.pdf");
    std::fs::write(&marked, b"%PDF-1.4 marked up").unwrap();
    let driver = Driver::start().await;
    let page = Page::open(&driver, &server).await;
    let module = page.closing(story(&page, &week, &marked)).await;

    // What the browser did is what the database holds: five grades, released, the rubric's
    // sums, and the marked copy, which the student may now download.
    let bio = week
        .lms
        .course_view(&week.teacher, "cell-bio")
        .await
        .unwrap();
    let sheet = week.lms.grading_sheet(&bio, module).await.unwrap();
    let points: Vec<Option<f64>> = sheet
        .rows
        .iter()
        .map(|r| r.grade.as_ref().and_then(|g| g.points))
        .collect();
    assert_eq!(
        points,
        [Some(15.0), Some(5.0), Some(10.0), Some(15.0), Some(15.0)]
    );
    let file = &sheet.rows[0].feedback_files[0];
    let ada = Browser::signed_in(&server, STUDENT).await;
    let download = ada
        .fetch(
            &format!(
                "/courses/cell-bio/grades/items/{}/files/{}",
                sheet.item.id, file.id
            ),
            &[],
        )
        .await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.unwrap(), &b"%PDF-1.4 marked up"[..]);
    page.assert_shots(&[
        "week-01-teacher-sets-the-deadline",
        "week-02-teacher-assignment",
        "week-03-rubric",
        "week-04-editor-with-pasted-picture",
        "week-05-student-home-due",
        "week-06-student-reads-the-page",
        "week-07-student-assignment",
        "week-08-student-handed-in",
        "week-09-teacher-home",
        "week-10-grading-table",
        "week-11-graded-and-released",
        "week-12-student-home-graded",
        "week-13-student-sees-rubric-and-file",
    ]);
}

/// The week in the browser; returns the essay's module id.
async fn story(s: &Page, week: &Week, marked: &std::path::Path) -> i64 {
    // Tall enough that each screenshot shows the whole page.
    s.client.set_window_size(1280, 1500).await.unwrap();
    let in_new_york = week.due.with_timezone(&NEW_YORK);
    let in_berlin = week.due.with_timezone(&BERLIN);

    // Monday, New York: the teacher sets the essay, due at 17:00 her time, and its rubric.
    s.sign_in(TEACHER).await;
    s.click(Locator::LinkText(COURSE)).await;
    s.heading(COURSE).await;
    s.click(Locator::LinkText("assignment")).await;
    s.heading("Add an assignment").await;
    let zone_note = s.text("main form p.muted").await;
    assert!(zone_note.contains("America/New York"), "{zone_note}");
    s.type_into("title", ESSAY).await;
    s.type_into(
        "instructions",
        "Describe the cell membrane in one page. Read *Before the essay* first.",
    )
    .await;
    let typed = in_new_york.format("%Y-%m-%dT%H:%M").to_string();
    assert!(typed.ends_with("T17:00"), "{typed}");
    s.js(
        "document.getElementById('due_at').value = arguments[0]; return true;",
        vec![json!(typed)],
    )
    .await;
    s.replace("max_points", "20").await;
    s.scroll_to("#due_at").await;
    step(s, "week-01-teacher-sets-the-deadline").await;
    s.submit().await;
    s.heading(ESSAY).await;
    let module = module_id(s).await;
    let due_for_teacher = due_shown(s).await;
    assert_eq!(due_for_teacher.0, rfc3339(week.due), "the stored instant");
    assert!(
        due_for_teacher
            .1
            .contains(&in_new_york.format("%-d %b %Y, 17:00 %Z").to_string()),
        "the teacher reads her own 17:00: {due_for_teacher:?}"
    );
    step(s, "week-02-teacher-assignment").await;

    s.click(Locator::LinkText("Rubric")).await;
    s.heading(&format!("Rubric: {ESSAY}")).await;
    s.replace(
        "rubric",
        "Argument | Weak 0 | Fair 5 | Strong 10\nSources | None 0 | Some 5 | Many 10",
    )
    .await;
    s.press("Save rubric").await;
    s.find(Locator::XPath(
        "//*[contains(normalize-space(), 'Rubric saved.')]",
    ))
    .await;
    step(s, "week-03-rubric").await;

    // A page written with the editor, a picture pasted into it.
    s.goto("/courses/cell-bio").await;
    s.click(Locator::LinkText("page")).await;
    s.heading("Add a page").await;
    s.type_into("title", PAGE).await;
    s.type_into(
        "body",
        "Look closely at the **membrane** before you write:\n\n- what crosses it\n- what does not\n",
    )
    .await;
    paste_picture(s).await;
    s.scroll_to(".toolbar").await;
    step(s, "week-04-editor-with-pasted-picture").await;
    s.click(Locator::XPath(
        "//main//form//button[normalize-space()='Save']",
    ))
    .await;
    s.heading(PAGE).await;
    s.sign_out().await;

    // Tuesday, Berlin: the student's home lists the essay as due; the page and the deadline
    // are hers, in her zone.
    s.sign_in(STUDENT).await;
    let due = s.text("#due-soon").await;
    // Days are counted in her calendar: three, or two once Berlin's midnight has passed
    // while New York's has not.
    let days = (in_berlin.date_naive() - Utc::now().with_timezone(&BERLIN).date_naive()).num_days();
    assert!(
        due.contains(ESSAY) && due.contains(COURSE) && due.contains(&format!("in {days} days")),
        "{due}"
    );
    assert!(
        due.contains(&in_berlin.format("%H:%M %Z").to_string()),
        "Berlin's time on her home: {due}"
    );
    step(s, "week-05-student-home-due").await;
    s.click(Locator::LinkText(COURSE)).await;
    s.click(Locator::LinkText(PAGE)).await;
    s.heading(PAGE).await;
    assert_eq!(s.text(".content strong").await, "membrane");
    let loaded = s
        .poll("const i = document.querySelector('.content img'); return i && i.complete && i.naturalWidth", vec![])
        .await;
    assert_eq!(
        loaded,
        json!(160),
        "the pasted picture loads for the student"
    );
    step(s, "week-06-student-reads-the-page").await;
    s.click(Locator::LinkText(&format!("Back to {COURSE}")))
        .await;
    s.click(Locator::LinkText(ESSAY)).await;
    s.heading(ESSAY).await;
    let due_for_student = due_shown(s).await;
    assert_eq!(
        due_for_student.0, due_for_teacher.0,
        "one deadline for both"
    );
    let berlin_text = in_berlin.format("%-d %b %Y, %H:%M %Z").to_string();
    assert!(
        due_for_student.1.contains(&berlin_text),
        "the student reads Berlin's {berlin_text}: {due_for_student:?}"
    );
    assert!(
        berlin_text.contains("23:00") || berlin_text.contains("22:00"),
        "17:00 in New York is 23:00 in Berlin (22:00 in the weeks their DST differs): {berlin_text}"
    );
    step(s, "week-07-student-assignment").await;
    s.type_into(
        "body_text",
        "The membrane is a lipid bilayer with proteins in it.",
    )
    .await;
    s.submit().await;
    let attempt = s.text("ol.attempts li").await;
    assert!(
        attempt.contains("Attempt 1") && (attempt.contains("CET") || attempt.contains("CEST")),
        "{attempt}"
    );
    step(s, "week-08-student-handed-in").await;
    s.sign_out().await;

    // Three classmates hand in too; one hands in nothing.
    for student in &week.students[1..4] {
        let view = week.lms.course_view(student, "cell-bio").await.unwrap();
        week.lms
            .submit(&view, student, module, "My essay.", &[])
            .await
            .unwrap();
    }

    // Friday, New York: the teacher grades all five in one submit with the rubric, attaches a
    // marked-up copy for Ada, and releases the grades.
    s.sign_in(TEACHER).await;
    let waiting = s.text("#to-grade").await;
    assert!(
        waiting.contains(ESSAY) && waiting.contains("4 submissions to grade"),
        "{waiting}"
    );
    step(s, "week-09-teacher-home").await;
    s.click(Locator::XPath(&format!(
        "//ul[@id='to-grade']//a[normalize-space()='{ESSAY}']"
    )))
    .await;
    s.heading(&format!("Submissions: {ESSAY}")).await;
    let ids: Vec<i64> = week.students.iter().map(|u| u.id).collect();
    // Down each criterion's column with the keyboard: a letter picks the level, Tab moves on.
    let tab = "\u{e004}";
    s.find(Locator::Id(&format!("rubric-{}", ids[0])))
        .await
        .send_keys(&["F", "W", "S", "F", "S", "M", "S", "N", "M", "S"].join(tab))
        .await
        .unwrap();
    s.type_into(
        &format!("feedback-{}", ids[0]),
        "Well argued; see the marked copy.",
    )
    .await;
    s.type_into(
        &format!("feedback_file-{}", ids[0]),
        marked.to_str().unwrap(),
    )
    .await;
    step(s, "week-10-grading-table").await;
    s.press("Save all grades").await;
    s.find(Locator::XPath(
        "//*[contains(normalize-space(), '5 grade(s) saved.')]",
    ))
    .await;
    s.press("Release grades to students").await;
    s.badge("released").await;
    step(s, "week-11-graded-and-released").await;
    s.sign_out().await;

    // Saturday, Berlin: the grade is on her home page, the rubric and the file on the essay's.
    s.sign_in(STUDENT).await;
    let grades = s.text("#new-grades").await;
    assert!(
        grades.contains(ESSAY) && grades.contains("15 / 20") && grades.contains("Feedback"),
        "{grades}"
    );
    let due = s.text("#due-soon").await;
    assert!(due.contains("Handed in"), "{due}");
    step(s, "week-12-student-home-graded").await;
    s.click(Locator::XPath(&format!(
        "//ul[@id='new-grades']//a[normalize-space()='{ESSAY}']"
    )))
    .await;
    s.heading(ESSAY).await;
    assert_eq!(s.text("p.grade").await, "15 / 20");
    let chosen = s
        .js(
            "return [...document.querySelectorAll('table.rubric td.chosen')].map(td => td.textContent)",
            vec![],
        )
        .await;
    assert_eq!(chosen, json!(["Fair (5) ✓", "Many (10) ✓"]));
    assert_eq!(s.text("ul.feedback-files a").await, "ada-marked.pdf");
    step(s, "week-13-student-sees-rubric-and-file").await;
    module
}

/// A screenshot of the page, and its weight and load time printed beside the name.
async fn step(s: &Page, name: &str) {
    s.shot(name).await;
    let (path, sent, html, ms) = s.weight().await;
    eprintln!("{name}: {path}: {sent} bytes sent, {html} bytes of HTML, loaded in {ms:.0} ms");
}

/// The module id in the address of the page shown (`…/modules/{id}`).
async fn module_id(s: &Page) -> i64 {
    let url = s.client.current_url().await.unwrap();
    url.path()
        .split("/modules/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no module in {url}"))
}

/// The assignment's deadline as shown: the `datetime` attribute (UTC) and the text.
async fn due_shown(s: &Page) -> (String, String) {
    let shown = s
        .js(
            "const dd = [...document.querySelectorAll('dl.facts dt')].find(dt => dt.textContent === 'Due').nextElementSibling;
             const t = dd.querySelector('time'); return [t.getAttribute('datetime'), t.textContent];",
            vec![],
        )
        .await;
    (
        shown[0].as_str().unwrap().to_string(),
        shown[1].as_str().unwrap().to_string(),
    )
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
