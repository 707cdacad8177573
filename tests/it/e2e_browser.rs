//! End to end in headless Chromium, through real clicks and form fills on the real server: an
//! instructor creates a course and an assignment and enrolls a student; the student uploads a
//! file; the instructor grades it and releases the grade; the student sees it; an administrator
//! opens the System page. Screenshots of each page are saved under `<target>/e2e-screenshots/`
//! for a person to look at.

use std::path::{Path, PathBuf};

use fantoccini::Locator;
use paideia::lms::{SystemRole, User};

use crate::support::{
    Backend,
    browser::{Page, named_account as account, start},
    chrome::{Driver, find},
};

const TEACHER: &str = "hypatia@example.org";
const STUDENT: &str = "ada@example.org";
const ADMIN: &str = "root@example.org";
const COURSE: &str = "Cell Biology";
const ASSIGNMENT: &str = "Cell membrane essay";
const ESSAY: &[u8] = b"The membrane is a lipid bilayer with proteins floating in it.\n";

/// The shared page steps, and this story's own below.
struct Scene(Page);

impl std::ops::Deref for Scene {
    type Target = Page;

    fn deref(&self) -> &Page {
        &self.0
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_course_from_creation_to_a_released_grade_in_chromium() {
    let b = Backend::sqlite();
    let (server, lms) = start(&b).await;
    account(&lms, ADMIN, "Site Admin", SystemRole::Admin).await;
    account(
        &lms,
        TEACHER,
        "Hypatia of Alexandria",
        SystemRole::Instructor,
    )
    .await;
    let ada = account(&lms, STUDENT, "Ada Lovelace", SystemRole::Student).await;
    let essay_dir = tempfile::tempdir().unwrap();
    let essay = essay_dir.path().join("membrane-essay.txt");
    std::fs::write(&essay, ESSAY).unwrap();

    let driver = Driver::start().await;
    let scene = Scene(Page::open(&driver, &server).await);
    // The browser session is closed whatever happens, then a failure is passed on.
    scene.closing(story(&scene, &ada, &essay)).await;

    let stored = stored_files(&b.data_dir().join("files"));
    assert_eq!(stored.len(), 1, "one uploaded object: {stored:?}");
    assert_eq!(std::fs::read(&stored[0]).unwrap(), ESSAY);
    scene.assert_shots(&[
        "01-course",
        "02-people",
        "03-assignment",
        "04-handed-in",
        "05-graded",
        "06-student-sees-grade",
        "07-student-grades",
        "08-admin-system",
    ]);
}

async fn story(s: &Scene, ada: &User, essay: &Path) {
    s.sign_in(TEACHER).await;
    s.create_course().await;
    s.enroll_student().await;
    s.create_assignment().await;
    s.sign_out().await;

    s.sign_in(STUDENT).await;
    s.open_assignment().await;
    s.hand_in(essay).await;
    s.sign_out().await;

    s.sign_in(TEACHER).await;
    s.open_assignment().await;
    s.grade_and_release(ada).await;
    s.sign_out().await;

    s.sign_in(STUDENT).await;
    s.open_assignment().await;
    s.see_grade().await;
    s.sign_out().await;

    s.sign_in(ADMIN).await;
    s.click(Locator::LinkText("System")).await;
    s.heading("System").await;
    s.shot("08-admin-system").await;
}

impl Scene {
    async fn create_course(&self) {
        self.click(Locator::LinkText("Create a course")).await;
        self.heading("Create a course").await;
        self.type_into("title", COURSE).await;
        self.type_into("slug", "cell-bio").await;
        self.type_into(
            "description",
            "Cells, membranes and what happens inside them.",
        )
        .await;
        find(&self.client, Locator::Id("status"))
            .await
            .select_by_value("published")
            .await
            .unwrap();
        self.submit().await;
        self.heading(COURSE).await;
        self.shot("01-course").await;
    }

    async fn enroll_student(&self) {
        self.click(Locator::LinkText("Manage people")).await;
        self.heading(&format!("People in {COURSE}")).await;
        self.type_into("email", STUDENT).await;
        find(&self.client, Locator::Id("role"))
            .await
            .select_by_value("student")
            .await
            .unwrap();
        self.submit().await;
        let row = find(
            &self.client,
            Locator::XPath("//tr[td[normalize-space()='ada@example.org']]"),
        )
        .await;
        assert!(row.text().await.unwrap().contains("Student"));
        self.shot("02-people").await;
        self.click(Locator::LinkText("Back to the course")).await;
        self.heading(COURSE).await;
    }

    async fn create_assignment(&self) {
        self.click(Locator::LinkText("assignment")).await;
        self.heading("Add an assignment").await;
        self.type_into("title", ASSIGNMENT).await;
        self.type_into(
            "instructions",
            "<p>Describe the cell membrane in one page. Hand in a text file.</p>",
        )
        .await;
        self.replace("max_points", "20").await;
        self.type_into("allowed_file_types", "txt, pdf").await;
        self.replace("max_file_mib", "1").await;
        self.submit().await;
        self.heading(ASSIGNMENT).await;
        self.shot("03-assignment").await;
    }

    /// From the dashboard to the assignment, by links.
    async fn open_assignment(&self) {
        self.click(Locator::LinkText(COURSE)).await;
        self.heading(COURSE).await;
        self.click(Locator::LinkText(ASSIGNMENT)).await;
        self.heading(ASSIGNMENT).await;
    }

    async fn hand_in(&self, essay: &Path) {
        let page = self.client.source().await.unwrap();
        assert!(page.contains("Not graded yet, or not released."));
        self.type_into("body_text", "My essay is attached.").await;
        // A file input takes the file's path as typed keys.
        self.type_into("files", essay.to_str().unwrap()).await;
        self.submit().await;
        let attempt = find(
            &self.client,
            Locator::XPath("//ol[contains(@class,'attempts')]/li"),
        )
        .await;
        let text = attempt.text().await.unwrap();
        assert!(
            text.contains("Attempt 1") && text.contains("membrane-essay.txt"),
            "{text}"
        );
        self.shot("04-handed-in").await;
    }

    async fn grade_and_release(&self, ada: &User) {
        self.click(Locator::LinkText("Submissions and grading"))
            .await;
        self.heading(&format!("Submissions: {ASSIGNMENT}")).await;
        find(&self.client, Locator::LinkText("membrane-essay.txt")).await;
        self.type_into(&format!("points-{}", ada.id), "17.5").await;
        self.type_into(
            &format!("feedback-{}", ada.id),
            "Clear and well organised; cite your sources next time.",
        )
        .await;
        self.click(Locator::XPath(
            "//button[normalize-space()='Save all grades']",
        ))
        .await;
        self.badge("not released").await;
        self.click(Locator::XPath(
            "//button[normalize-space()='Release grades to students']",
        ))
        .await;
        self.badge("released").await;
        self.shot("05-graded").await;
        self.click(Locator::LinkText("Back to the assignment"))
            .await;
        self.heading(ASSIGNMENT).await;
        self.click(Locator::LinkText("Home")).await;
        self.heading("Home").await;
    }

    async fn see_grade(&self) {
        let grade = find(&self.client, Locator::Css("p.grade")).await;
        assert_eq!(grade.text().await.unwrap(), "17.5 / 20");
        let feedback = find(&self.client, Locator::Css(".feedback p")).await;
        assert_eq!(
            feedback.text().await.unwrap(),
            "Clear and well organised; cite your sources next time."
        );
        self.shot("06-student-sees-grade").await;
        self.click(Locator::LinkText(&format!("Back to {COURSE}")))
            .await;
        self.click(Locator::LinkText("My grades")).await;
        let row = find(
            &self.client,
            Locator::XPath(&format!("//tr[.//*[normalize-space()='{ASSIGNMENT}']]")),
        )
        .await;
        assert!(row.text().await.unwrap().contains("17.5 / 20"));
        self.shot("07-student-grades").await;
    }
}

fn stored_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(stored_files(&path));
        } else {
            found.push(path);
        }
    }
    found
}
