//! The editor in headless Chromium: a teacher writes a page with the toolbar (bold text, a
//! list), pastes a picture into the text (a real `paste` event carrying the file), previews it
//! in place and saves; a student then sees the bold text, the list and the picture, whose
//! address answers 200 to the student and 404 to a student of another course. Screenshots
//! go to `<target>/e2e-screenshots/editor-*.png`.

use fantoccini::Locator;
use paideia::lms::{CourseInput, Lms, SystemRole};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    lms_editor::CELL_PNG,
    support::{
        Backend,
        browser::{Browser, Page, named_account as account, start},
        chrome::{Driver, find},
    },
};

const TEACHER: &str = "hypatia@example.org";
const STUDENT: &str = "ada@example.org";
const OTHER: &str = "emmy@example.org";
const COURSE: &str = "Cell Biology";
const PAGE: &str = "Inside a cell";

/// The shared page steps, and the editor's own below.
struct Scene(Page);

impl std::ops::Deref for Scene {
    type Target = Page;

    fn deref(&self) -> &Page {
        &self.0
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_writes_a_page_with_the_editor_and_a_student_reads_it() {
    let b = Backend::sqlite();
    let (server, lms) = start(&b).await;
    set_up(&lms).await;
    let driver = Driver::start().await;
    let scene = Scene(Page::open(&driver, &server).await);
    let picture = scene.closing(story(&scene)).await;
    // The picture's address is the page's: nobody outside the course gets it.
    let other = Browser::signed_in(&server, OTHER).await;
    assert_eq!(
        other.fetch(&picture, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    let student = Browser::signed_in(&server, STUDENT).await;
    let answer = student.fetch(&picture, &[]).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.bytes().await.unwrap(), CELL_PNG);
    scene.assert_shots(&[
        "editor-01-writing",
        "editor-02-preview",
        "editor-03-student-page",
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

/// The story in the browser; returns the picture's address as the student's page shows it.
async fn story(s: &Scene) -> String {
    s.sign_in(TEACHER).await;
    s.click(Locator::LinkText(COURSE)).await;
    s.click(Locator::LinkText("page")).await;
    s.heading("Add a page").await;
    s.type_into("title", PAGE).await;
    s.write_with_the_toolbar().await;
    paste_picture(s).await;
    s.scroll_to(".toolbar").await;
    s.shot("editor-01-writing").await;
    s.preview().await;
    s.shot("editor-02-preview").await;
    s.click(Locator::XPath(
        "//div[@role='toolbar']/button[normalize-space()='Back to writing']",
    ))
    .await;
    s.click(Locator::XPath(
        "//main//form//button[normalize-space()='Save']",
    ))
    .await;
    s.heading(PAGE).await;
    s.click(Locator::LinkText("Edit page")).await;
    s.heading("Edit page").await;
    let listed = find(&s.client, Locator::Css("fieldset.attachments li")).await;
    assert!(
        listed
            .text()
            .await
            .unwrap()
            .contains("![pasted image](pasted-image.png)")
    );
    s.scroll_to("fieldset.attachments").await;
    s.shot("editor-04-edit-attached").await;
    s.sign_out().await;

    s.sign_in(STUDENT).await;
    s.click(Locator::LinkText(COURSE)).await;
    s.click(Locator::LinkText(PAGE)).await;
    s.heading(PAGE).await;
    let bold = find(&s.client, Locator::Css(".content strong")).await;
    assert_eq!(bold.text().await.unwrap(), "membrane");
    let items = s
        .js(
            "return [...document.querySelectorAll('.content ul li')].map(li => li.textContent)",
            vec![],
        )
        .await;
    assert_eq!(items, json!(["nucleus", "ribosomes"]));
    let loaded = s
        .poll("const i = document.querySelector('.content img'); return i && i.complete && i.naturalWidth", vec![])
        .await;
    assert_eq!(loaded, json!(160), "the picture loads for the student");
    s.shot("editor-03-student-page").await;
    let src = s
        .js(
            "return document.querySelector('.content img').getAttribute('src')",
            vec![],
        )
        .await;
    src.as_str().unwrap().to_string()
}

impl Scene {
    /// Types two sentences and two list lines, then makes one word bold and the lines a list
    /// with the toolbar's buttons.
    async fn write_with_the_toolbar(&self) {
        self.type_into(
            "body",
            "The cell membrane holds it together.\n\nnucleus\nribosomes",
        )
        .await;
        self.select("membrane").await;
        self.click(Locator::XPath(
            "//div[@role='toolbar']/button[normalize-space()='Bold']",
        ))
        .await;
        self.select("nucleus\nribosomes").await;
        self.click(Locator::XPath(
            "//div[@role='toolbar']/button[normalize-space()='List']",
        ))
        .await;
        let text = self
            .js("return document.getElementById('body').value", vec![])
            .await;
        assert_eq!(
            text,
            json!("The cell **membrane** holds it together.\n\n- nucleus\n- ribosomes")
        );
    }

    /// The toolbar's Preview shows the text as it will be saved, the pasted picture included.
    async fn preview(&self) {
        self.click(Locator::XPath(
            "//div[@role='toolbar']/button[normalize-space()='Preview']",
        ))
        .await;
        let bold = find(&self.client, Locator::Css("#body-preview strong")).await;
        assert_eq!(bold.text().await.unwrap(), "membrane");
        let width = self
            .poll("const i = document.querySelector('#body-preview img'); return i && i.src.startsWith('data:image/png') && i.complete && i.naturalWidth", vec![])
            .await;
        assert_eq!(
            width,
            json!(160),
            "the pasted picture shows before it is saved"
        );
    }

    async fn select(&self, text: &str) {
        let script =
            "const ta = document.getElementById('body'); const at = ta.value.indexOf(arguments[0]);
            ta.focus(); ta.setSelectionRange(at, at + arguments[0].length); return at;";
        let at = self.js(script, vec![json!(text)]).await;
        assert!(at.as_i64().unwrap() >= 0, "{text} is in the text");
    }
}

/// A `paste` event whose clipboard holds a PNG file, as when a screenshot is pasted.
pub async fn paste_picture(s: &Page) {
    let bytes: Vec<Value> = CELL_PNG.iter().map(|b| json!(b)).collect();
    let script = "const ta = document.getElementById('body');
        ta.focus(); ta.setSelectionRange(ta.value.length, ta.value.length);
        const file = new File([new Uint8Array(arguments[0])], 'image.png', {type: 'image/png'});
        const data = new DataTransfer(); data.items.add(file);
        ta.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        return [ta.value, document.getElementById('attachments').files.length];";
    let result = s.js(script, vec![Value::Array(bytes)]).await;
    let text = result[0].as_str().unwrap();
    assert!(
        text.ends_with("\n![pasted image](pasted-image.png)\n"),
        "{text}"
    );
    assert_eq!(
        result[1],
        json!(1),
        "the file waits in the form's file input"
    );
    find(
        &s.client,
        Locator::XPath("//ul[@class='pending']/li[contains(., 'pasted-image.png')]"),
    )
    .await;
}
