//! Discussions in headless Chromium: a teacher adds a forum to a section; a student opens the
//! course's Discussions, starts a thread with a file attached through the editor's file
//! input; the teacher sees it unread, quotes it in a reply and pins the thread; the student
//! sees the reply marked new under the pinned thread, at desktop and phone widths.
//! Screenshots go to `<target>/e2e-screenshots/discussions-*.png`.

use std::path::Path;

use fantoccini::Locator;
use paideia::lms::{CourseInput, Lms, SystemRole};
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{
    Backend,
    browser::{Browser, Page, named_account as account, start},
    chrome::Driver,
};

const TEACHER: &str = "hypatia@example.org";
const STUDENT: &str = "ada@example.org";
const OTHER: &str = "emmy@example.org";
const COURSE: &str = "Cell Biology";
const FORUM: &str = "Questions about cells";
const THREAD: &str = "Why do plant cells have walls?";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forum_thread_with_a_file_a_quoted_reply_and_a_pin() {
    let b = Backend::sqlite();
    let (server, lms) = start(&b).await;
    set_up(&lms).await;
    let notes = b.dir.path().join("my-notes.txt");
    std::fs::write(&notes, "cellulose, pectin").unwrap();
    let driver = Driver::start().await;
    let page = Page::open(&driver, &server).await;
    let file = page.closing(story(&page, &notes)).await;
    // The file is the thread's: the class gets it, another course's student does not.
    let other = Browser::signed_in(&server, OTHER).await;
    assert_eq!(
        other.fetch(&file, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    let student = Browser::signed_in(&server, STUDENT).await;
    let answer = student.fetch(&file, &[]).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.bytes().await.unwrap().as_ref(), b"cellulose, pectin");
    page.assert_shots(&[
        "discussions-01-forum-added",
        "discussions-02-student-thread",
        "discussions-03-teacher-unread",
        "discussions-04-quoted-reply-pinned",
        "discussions-05-student-sees-reply",
        "discussions-06-phone",
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
    account(lms, STUDENT, "Ada Lovelace", SystemRole::Student).await;
    account(lms, OTHER, "Emmy Noether", SystemRole::Student).await;
    for (slug, title) in [("cell-bio", COURSE), ("algebra", "Algebra")] {
        let input = CourseInput {
            title: title.into(),
            slug: slug.into(),
            description: String::new(),
            status: "published".into(),
        };
        lms.create_course(&teacher, &input).await.unwrap();
    }
    let bio = lms.course_view(&teacher, "cell-bio").await.unwrap();
    lms.enroll(&bio, STUDENT, "student").await.unwrap();
    let algebra = lms.course_view(&teacher, "algebra").await.unwrap();
    lms.enroll(&algebra, OTHER, "student").await.unwrap();
}

/// The story in the browser, with `notes` to attach; returns the attached file's address.
async fn story(s: &Page, notes: &Path) -> String {
    s.client.set_window_size(1280, 1400).await.unwrap();
    // The teacher adds a forum from the course page's "Add: forum".
    s.sign_in(TEACHER).await;
    s.click(Locator::LinkText(COURSE)).await;
    s.click(Locator::LinkText("forum")).await;
    s.heading("Add a forum").await;
    s.type_into("title", FORUM).await;
    s.type_into("description", "Ask about **anything** we saw in the lab.")
        .await;
    s.click(Locator::XPath(
        "//main//form//button[normalize-space()='Save']",
    ))
    .await;
    s.heading(FORUM).await;
    s.shot("discussions-01-forum-added").await;
    s.sign_out().await;

    // The student starts a thread with a file attached.
    s.sign_in(STUDENT).await;
    s.click(Locator::LinkText(COURSE)).await;
    s.click(Locator::LinkText("Discussions")).await;
    s.click(Locator::LinkText(FORUM)).await;
    s.heading(FORUM).await;
    s.type_into("title", THREAD).await;
    s.type_into(
        "body",
        "My notes from the lab are attached: [my notes](my-notes.txt). Is it the cellulose?",
    )
    .await;
    s.type_into("attachments", &notes.display().to_string())
        .await;
    s.click(Locator::XPath(
        "//main//form//button[normalize-space()='Post thread']",
    ))
    .await;
    s.heading(THREAD).await;
    let link = s
        .find(Locator::Css("article.post .content a"))
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(
        link.starts_with("/discussions/files/") && link.ends_with("/my-notes.txt"),
        "{link}"
    );
    s.shot("discussions-02-student-thread").await;
    s.sign_out().await;

    // The teacher sees one unread post, quotes it in a reply and pins the thread.
    s.sign_in(TEACHER).await;
    s.goto("/courses/cell-bio/discussions").await;
    let row = s.text("table.forums tbody tr").await;
    assert!(row.contains(FORUM) && row.ends_with('1'), "{row}");
    s.shot("discussions-03-teacher-unread").await;
    s.click(Locator::LinkText(FORUM)).await;
    s.click(Locator::LinkText(THREAD)).await;
    s.heading(THREAD).await;
    s.click(Locator::XPath(
        "//article[contains(@class,'post')]//a[starts-with(normalize-space(),'Quote')]",
    ))
    .await;
    s.heading(THREAD).await;
    let quoted = s
        .js("return document.getElementById('body').value", vec![])
        .await;
    assert!(
        quoted
            .as_str()
            .unwrap()
            .starts_with("**Ada Lovelace** wrote:\n\n> My notes"),
        "{quoted}"
    );
    s.type_into("body", "Yes: cellulose fibres make the wall rigid.")
        .await;
    s.click(Locator::XPath(
        "//main//form//button[normalize-space()='Post reply']",
    ))
    .await;
    s.find(Locator::Css("article.post.reply blockquote")).await;
    s.click(Locator::XPath("//button[normalize-space()='Pin']"))
        .await;
    s.find(Locator::XPath("//button[normalize-space()='Unpin']"))
        .await;
    s.shot("discussions-04-quoted-reply-pinned").await;
    s.sign_out().await;

    // The student sees the thread pinned and the reply marked new.
    s.sign_in(STUDENT).await;
    s.goto("/courses/cell-bio/discussions").await;
    s.click(Locator::LinkText(FORUM)).await;
    let listed = s.text("ul.threads li").await;
    assert!(
        listed.starts_with("Pinned") && listed.contains("1 unread"),
        "{listed}"
    );
    s.click(Locator::LinkText(THREAD)).await;
    let reply = s.text("article.post.reply").await;
    assert!(
        reply.contains("Hypatia of Alexandria") && reply.contains("New"),
        "{reply}"
    );
    s.shot("discussions-05-student-sees-reply").await;
    s.client.set_window_size(390, 1400).await.unwrap();
    s.goto(&link_to_thread(s).await).await;
    s.shot("discussions-06-phone").await;
    let wide = s
        .js(
            "return [...document.querySelectorAll('main *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)",
            vec![],
        )
        .await;
    assert_eq!(wide, json!([]), "nothing is wider than a phone");
    link
}

async fn link_to_thread(s: &Page) -> String {
    let url = s.client.current_url().await.unwrap();
    url.path().to_string()
}
