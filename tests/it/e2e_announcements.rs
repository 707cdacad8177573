//! Announcements, discussions and notifications in one story in headless Chromium: a teacher
//! posts an announcement with the editor; the student sees it unread on her home page and on
//! the course page with the count of unread notifications in the header, opens it (read, the
//! count goes down) and finds it on the notifications page, also at a phone's width. She then
//! replies in the teacher's discussion thread the announcement points to; the teacher signs in
//! to a notification of the reply and follows it to the thread. Screenshots go under
//! `<target>/e2e-screenshots/announce-*` for a person to look at.

use fantoccini::Locator;
use paideia::lms::{
    CourseInput, SystemRole,
    attachments::TextEdit,
    discussions::{ForumInput, ThreadInput},
};

use crate::support::{
    Backend,
    browser::{Page, named_account, start},
    chrome::Driver,
};

const TEACHER: &str = "hypatia@example.org";
const STUDENT: &str = "ada@example.org";
const TITLE: &str = "Lab moved to Thursday";
const THREAD: &str = "Questions about the lab";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_announces_the_student_reads_and_replies_and_the_teacher_hears_of_it() {
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
    // A forum with the teacher's thread (she follows what she starts).
    let root = lms.sections(&view).await.unwrap()[0].id;
    let forum = ForumInput {
        section_id: root.to_string(),
        title: "Lab forum".into(),
        description: "Ask about the labs.".into(),
        description_format: "markdown".into(),
        graded: None,
        max_points: String::new(),
    };
    let forum = lms.add_forum(&view, &forum).await.unwrap().module.id;
    let thread = ThreadInput {
        title: THREAD.into(),
        body: "Ask here before Thursday.".into(),
        body_format: "markdown".into(),
    };
    lms.start_thread(&view, &teacher, forum, &thread, &TextEdit::default())
        .await
        .unwrap();

    let driver = Driver::start().await;
    let page = Page::open(&driver, &server).await;
    page.closing(story(&page)).await;
    page.assert_shots(&[
        "announce-01-form",
        "announce-02-posted",
        "announce-03-student-home",
        "announce-04-course-page",
        "announce-05-read",
        "announce-06-notifications",
        "announce-07-phone",
        "announce-08-student-replies",
        "announce-09-teacher-notified",
        "announce-10-teacher-follows-it",
    ]);
}

async fn story(s: &Page) {
    s.client.set_window_size(1280, 1200).await.unwrap();
    s.sign_in(TEACHER).await;
    s.goto("/courses/cell-bio").await;
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
        s.text("#announcement-body strong")
            .await
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
    s.goto("/courses/cell-bio").await;
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
    s.goto("/").await;
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
    s.goto("/").await;
    s.shot("announce-07-phone").await;

    // She asks in the teacher's thread.
    s.client.set_window_size(1280, 1200).await.unwrap();
    s.goto("/courses/cell-bio").await;
    s.click(Locator::LinkText("Discussions")).await;
    s.click(Locator::LinkText("Lab forum")).await;
    s.click(Locator::LinkText(THREAD)).await;
    s.heading(THREAD).await;
    s.type_into("body", "Can I bring my own slides?").await;
    s.press("Post reply").await;
    let reply = s.text("article#post-2").await;
    assert!(
        reply.contains("Ada Lovelace") && reply.contains("my own slides"),
        "{reply}"
    );
    let follow = s.text("div.actions form[action$='/follow'] button").await;
    assert!(
        follow.starts_with("Following"),
        "replying follows: {follow}"
    );
    s.shot("announce-08-student-replies").await;
    s.sign_out().await;

    // The teacher signs in to a notification of the reply and follows it.
    s.sign_in(TEACHER).await;
    let count = s.text("#unread-count").await;
    assert!(count.starts_with('1'), "{count}");
    s.click(Locator::Css("header a[href='/notifications']"))
        .await;
    s.heading("Notifications").await;
    let list = s.text("#notifications").await;
    assert!(
        list.contains(&format!("Ada Lovelace replied in {THREAD}"))
            && list.contains("Can I bring my own slides?")
            && list.contains("Unread"),
        "{list}"
    );
    s.shot("announce-09-teacher-notified").await;
    s.click(Locator::LinkText(&format!(
        "Ada Lovelace replied in {THREAD}"
    )))
    .await;
    s.heading(THREAD).await;
    let reply = s.text("article#post-2").await;
    assert!(reply.contains("my own slides"), "{reply}");
    s.shot("announce-10-teacher-follows-it").await;
}
