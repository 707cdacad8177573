//! The question bank in headless Chromium: a teacher opens the bank from the course page,
//! imports a GIFT file with one bad question, sees the problem's line and that nothing was
//! imported, confirms importing the valid ones, then edits a question, which becomes version
//! 2, at desktop and phone widths. Screenshots go to `<target>/e2e-screenshots/bank-*.png`.

use fantoccini::Locator;
use paideia::lms::{CourseInput, Lms, SystemRole};

use crate::{
    question_bank::ONE_BAD,
    support::{
        Backend,
        browser::{Page, named_account as account, start},
        chrome::Driver,
    },
};

const TEACHER: &str = "hypatia@example.org";
const COURSE: &str = "Cell Biology";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_imports_confirms_and_edits_a_question() {
    let b = Backend::sqlite();
    let (server, lms) = start(&b).await;
    set_up(&lms).await;
    let file = b.dir.path().join("cells.gift");
    std::fs::write(&file, ONE_BAD).unwrap();
    let driver = Driver::start().await;
    let page = Page::open(&driver, &server).await;
    page.closing(story(&page, &file.display().to_string()))
        .await;
    // Version 1 is still there, as attempts made before would have it.
    let teacher = lms.user_by_email(TEACHER).await.unwrap();
    let view = lms.course_view(&teacher, "cell-bio").await.unwrap();
    let cats = lms.question_categories(&view).await.unwrap();
    let alive = lms.bank_questions(&view, cats[0].id).await.unwrap();
    let alive = alive.iter().find(|q| q.name == "Alive").unwrap();
    assert_eq!(alive.version, 2);
    let v1 = lms.bank_question(&view, alive.id, Some(1)).await.unwrap();
    assert_eq!(v1.question.text, "Cells are alive.");
    page.assert_shots(&[
        "bank-01-problems",
        "bank-02-imported",
        "bank-03-editor",
        "bank-04-version-2",
        "bank-05-phone-editor",
        "bank-06-phone-problems",
        "bank-07-choices-invalid",
        "bank-08-phone-choices",
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
}

async fn story(s: &Page, file: &str) {
    s.client.set_window_size(1280, 1200).await.unwrap();
    s.sign_in(TEACHER).await;
    s.click(Locator::LinkText(COURSE)).await;
    s.click(Locator::LinkText("Question bank")).await;
    s.heading(&format!("Question bank · {COURSE}")).await;
    s.click(Locator::LinkText("Import questions")).await;
    s.heading("Import questions").await;
    s.type_into("file", file).await;
    s.press("Import").await;
    // The bad question's line, and nothing imported.
    let report = s.text("section.report").await;
    assert!(report.contains("nothing was imported"), "{report}");
    let line = s.text("table.problems tbody td").await;
    assert_eq!(line, "5");
    s.shot("bank-01-problems").await;
    s.client.set_window_size(390, 1000).await.unwrap();
    s.shot("bank-06-phone-problems").await;
    s.client.set_window_size(1280, 1200).await.unwrap();
    s.press("Import the 3 valid questions").await;
    s.heading(&format!("Question bank · {COURSE}")).await;
    let flash = s.text(".flash").await;
    assert!(flash.contains("3 question(s) imported"), "{flash}");
    s.shot("bank-02-imported").await;

    // Edit one: the page says a new version is made.
    s.click(Locator::LinkText("Default")).await;
    s.heading("Default").await;
    s.click(Locator::LinkText("Alive")).await;
    s.heading("Alive").await;
    s.click(Locator::LinkText("Edit")).await;
    s.heading("Edit: Alive").await;
    let notice = s.text("p.notice").await;
    assert!(notice.contains("Version 2"), "{notice}");
    s.replace("text", "Cells are alive, and so are you.").await;
    s.shot("bank-03-editor").await;
    s.client.set_window_size(390, 1400).await.unwrap();
    s.shot("bank-05-phone-editor").await;
    s.client.set_window_size(1280, 1200).await.unwrap();
    s.press("Save").await;
    s.heading("Alive").await;
    let flash = s.text(".flash").await;
    assert!(flash.contains("Saved as version 2"), "{flash}");
    let facts = s.text("main p strong").await;
    assert_eq!(facts, "Version 2");
    s.shot("bank-04-version-2").await;

    // A multiple-choice question with a grade that is not a number: the problem next to the
    // choices, what was typed kept.
    s.click(Locator::LinkText("Default")).await;
    s.click(Locator::LinkText("Multiple choice")).await;
    s.heading("New question: multiple choice").await;
    s.type_into("name", "Powerhouse").await;
    s.type_into("text", "Which organelle makes most of the ATP?")
        .await;
    s.type_into("answer-0", "Mitochondrion").await;
    s.type_into("fraction-0", "all").await;
    s.type_into("answer-1", "Nucleus").await;
    s.press("Save").await;
    s.heading("New question: multiple choice").await;
    let errors = s.text("fieldset.answers ul.error").await;
    assert!(errors.contains("Answer 1: the grade “all”"), "{errors}");
    s.shot("bank-07-choices-invalid").await;
    s.client.set_window_size(390, 1400).await.unwrap();
    s.scroll_to("fieldset.answers").await;
    s.shot("bank-08-phone-choices").await;
    s.client.set_window_size(1280, 1200).await.unwrap();
    s.replace("fraction-0", "100").await;
    s.press("Save").await;
    s.heading("Powerhouse").await;
}
