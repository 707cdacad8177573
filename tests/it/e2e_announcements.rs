//! Announcements and notifications in headless Chromium: a teacher posts an announcement with
//! the editor; the student sees it unread on her home page and on the course page with the
//! count of unread notifications in the header, opens it (read, the count goes down) and finds
//! it on the notifications page, also at a phone's width. Screenshots go under
//! `<target>/e2e-screenshots/announce-*` for a person to look at.

use std::panic::AssertUnwindSafe;

use fantoccini::{Client, Locator};
use futures_util::FutureExt;
use paideia::lms::{CourseInput, SystemRole};

use crate::support::{
    Backend,
    browser::{PASSWORD, named_account, start},
    chrome::{Driver, find, screenshot, screenshot_dir},
};

const TEACHER: &str = "hypatia@example.org";
const STUDENT: &str = "ada@example.org";
const TITLE: &str = "Lab moved to Thursday";

struct Scene {
    client: Client,
    base: String,
    shots: std::path::PathBuf,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_announces_and_the_student_reads_it_in_chromium() {
    let b = Backend::sqlite();
    let (server, lms) = start(&b).await;
    let teacher = named_account(
        &lms,
        TEACHER,
        "Hypatia of Alexandria",
        SystemRole::Instructor,
    )
    .await;
    named_account(&lms, STUDENT, "Ada Lovelace", SystemRole::Student).await;
    let input = CourseInput {
        title: "Cell Biology".into(),
        slug: "cell-bio".into(),
        status: "published".into(),
        ..CourseInput::default()
    };
    lms.create_course(&teacher, &input).await.unwrap();
    let view = lms.course_view(&teacher, "cell-bio").await.unwrap();
    lms.enroll(&view, STUDENT, "student").await.unwrap();

    let driver = Driver::start().await;
    let scene = Scene {
        client: driver.browser().await,
        base: server.url(""),
        shots: screenshot_dir(),
    };
    let outcome = AssertUnwindSafe(story(&scene)).catch_unwind().await;
    let _ = scene.client.clone().close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
    for name in [
        "announce-01-form",
        "announce-02-posted",
        "announce-03-student-home",
        "announce-04-course-page",
        "announce-05-read",
        "announce-06-notifications",
        "announce-07-phone",
    ] {
        assert!(
            scene.shots.join(format!("{name}.png")).is_file(),
            "{name}.png"
        );
    }
}

async fn story(s: &Scene) {
    s.client.set_window_size(1280, 1200).await.unwrap();
    s.sign_in(TEACHER).await;
    s.go("/courses/cell-bio").await;
    s.click(Locator::LinkText("Post an announcement")).await;
    s.heading("Post an announcement").await;
    s.type_into("title", TITLE).await;
    s.type_into(
        "body",
        "The **microscope lab** is on Thursday this week.\n\n- bring your notes\n- and a pencil",
    )
    .await;
    let toolbar = s.text("div.toolbar").await;
    assert!(
        toolbar.contains("Bold") && !toolbar.contains("Picture or file"),
        "announcements take no files: {toolbar}"
    );
    s.shot("announce-01-form").await;
    s.click(Locator::XPath("//button[normalize-space()='Post']"))
        .await;
    s.heading(TITLE).await;
    let body = s.text("#announcement-body").await;
    assert!(body.contains("microscope lab"), "{body}");
    assert!(
        find(&s.client, Locator::Css("#announcement-body strong"))
            .await
            .text()
            .await
            .unwrap()
            .contains("microscope lab")
    );
    s.shot("announce-02-posted").await;
    s.sign_out().await;

    s.sign_in(STUDENT).await;
    let home = s.text("#home-announcements").await;
    assert!(home.contains(TITLE) && home.contains("Unread"), "{home}");
    let count = s.text("#unread-count").await;
    assert!(count.starts_with('1'), "{count}");
    s.shot("announce-03-student-home").await;
    s.click(Locator::Css("header a.brand")).await;
    s.go("/courses/cell-bio").await;
    let listed = s.text("#course-announcements").await;
    assert!(
        listed.contains(TITLE) && listed.contains("Unread"),
        "{listed}"
    );
    s.shot("announce-04-course-page").await;
    s.click(Locator::LinkText(TITLE)).await;
    s.heading(TITLE).await;
    assert!(
        s.client
            .find_all(Locator::Css("#unread-count"))
            .await
            .unwrap()
            .is_empty(),
        "the header's count went down"
    );
    s.shot("announce-05-read").await;
    s.go("/").await;
    let home = s.text("#home-announcements").await;
    assert!(home.contains(TITLE) && !home.contains("Unread"), "{home}");
    s.click(Locator::Css("header a[href='/notifications']"))
        .await;
    s.heading("Notifications").await;
    let list = s.text("#notifications").await;
    assert!(
        list.contains(&format!("New announcement: {TITLE}"))
            && list.contains("The microscope lab is on Thursday")
            && !list.contains("Unread"),
        "{list}"
    );
    s.shot("announce-06-notifications").await;
    s.client.set_window_size(390, 844).await.unwrap();
    s.go("/").await;
    s.shot("announce-07-phone").await;
}

impl Scene {
    async fn go(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    async fn sign_in(&self, email: &str) {
        self.go("/login").await;
        self.heading("Sign in").await;
        for (id, text) in [("email", email), ("password", PASSWORD)] {
            self.type_into(id, text).await;
        }
        self.click(Locator::Css("main form.stack button[type='submit']"))
            .await;
        self.heading("Home").await;
    }

    async fn sign_out(&self) {
        self.click(Locator::Css("header form[action='/logout'] button"))
            .await;
        find(&self.client, Locator::Css("header a[href='/login']")).await;
    }

    async fn type_into(&self, id: &str, text: &str) {
        let field = find(&self.client, Locator::Id(id)).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    async fn heading(&self, text: &str) {
        let xpath = format!("//h1[normalize-space()='{text}']");
        find(&self.client, Locator::XPath(&xpath)).await;
    }

    async fn text(&self, css: &str) -> String {
        find(&self.client, Locator::Css(css))
            .await
            .text()
            .await
            .unwrap()
    }

    async fn click(&self, locator: Locator<'_>) {
        find(&self.client, locator).await.click().await.unwrap();
    }

    async fn shot(&self, name: &str) {
        screenshot(&self.client, &self.shots, name).await;
    }
}
