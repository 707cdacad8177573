//! The question bank (issue 17) through the real server on both engines: importing the GIFT
//! and Moodle XML fixtures into categories, a file with a bad question importing nothing until
//! the valid ones are confirmed (pages and API), export then import giving the same questions,
//! an edit making version 2 while version 1 stays loadable, and 404 for students and for the
//! teacher of another course on every bank route.

use paideia::lms::{
    SystemRole,
    courses::CourseView,
    quizzes::{
        Limits, Question, bank,
        bank_lms::{BankFormat, Category},
        gift, moodle_xml,
    },
};
use reqwest::{Method, StatusCode};

use crate::{
    api::{Api, token_for},
    on_both_engines,
    support::{
        Backend,
        browser::{Browser, account, location},
        class::{Class, class},
    },
};

on_both_engines!(
    the_fixtures_import_into_categories,
    a_bad_question_stops_the_import_until_confirmed,
    export_then_import_gives_the_same_questions,
    an_edit_is_a_new_version_and_the_old_one_stays,
    categories_and_questions_are_managed,
    only_the_course_staff_reach_the_bank,
);

pub const BIOLOGY_GIFT: &[u8] = include_bytes!("../fixtures/quizzes/biology.gift");
pub const MOODLE_XML: &[u8] = include_bytes!("../fixtures/quizzes/moodle-export.xml");

/// A GIFT file whose third question (line 5) has no right answer.
pub const ONE_BAD: &str = "::Alive:: Cells are alive. {T}\n\n\
::Count:: How many chromosomes do humans have? {#46}\n\n\
::Broken:: Pick one {~a ~b}\n\n\
::Wall:: Plant cells have a cell wall. {T}\n";

/// What the permission matrix's bank rows point at: a category with a question, and per
/// person an empty category and a question to delete.
pub struct BankFixture {
    pub category: i64,
    pub question: i64,
    pub doomed_categories: [i64; 6],
    pub doomed_questions: [i64; 6],
}

pub async fn bank_fixture(c: &Class) -> BankFixture {
    let lms = &c.lms;
    let category = lms
        .add_question_category(&c.bio, None, "Matrix")
        .await
        .unwrap();
    let question = |name: String| {
        Question::new(
            name,
            "Cells are alive.",
            paideia::lms::quizzes::Body::TrueFalse(paideia::lms::quizzes::questions::TrueFalse {
                correct: true,
                feedback_true: String::new(),
                feedback_false: String::new(),
            }),
        )
    };
    let add = |name: String| {
        let q = question(name);
        async move {
            lms.add_bank_question(&c.bio, &c.teacher_user, category, &q)
                .await
                .unwrap()
        }
    };
    let main = add("Alive".into()).await;
    let mut doomed_categories = [0; 6];
    let mut doomed_questions = [0; 6];
    for who in 0..6 {
        doomed_categories[who] = lms
            .add_question_category(&c.bio, None, &format!("Doomed {who}"))
            .await
            .unwrap();
        doomed_questions[who] = add(format!("Doomed {who}")).await;
    }
    BankFixture {
        category,
        question: main,
        doomed_categories,
        doomed_questions,
    }
}

async fn categories(c: &Class, view: &CourseView) -> Vec<Category> {
    c.lms.question_categories(view).await.unwrap()
}

fn find<'a>(cats: &'a [Category], path: &[&str]) -> &'a Category {
    cats.iter()
        .find(|c| c.path == path)
        .unwrap_or_else(|| panic!("no category {path:?} in {cats:?}"))
}

/// Every stored question of the course at its newest version, with its category path,
/// sorted (for comparing two banks).
async fn bank_contents(c: &Class, view: &CourseView) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    for cat in categories(c, view).await {
        for entry in c.lms.bank_questions(view, cat.id).await.unwrap() {
            let q = c.lms.bank_question(view, entry.id, None).await.unwrap();
            out.push((
                cat.path.clone(),
                serde_json::to_string(&q.question).unwrap(),
            ));
        }
    }
    out.sort();
    out
}

async fn import_page(
    b: &Browser,
    fields: &[(&str, &str)],
    file: (&str, &[u8]),
) -> reqwest::Response {
    b.get("/courses/bio/bank/import").await;
    b.post_files(
        "/courses/bio/bank/import",
        fields,
        &[("file", file.0, file.1.to_vec())],
    )
    .await
}

async fn the_fixtures_import_into_categories(b: Backend) {
    let c = class(&b, &[]).await;
    // GIFT through the page, into the top of the bank: its categories are made.
    let sent = import_page(
        &c.teacher,
        &[("format", "auto")],
        ("biology.gift", BIOLOGY_GIFT),
    )
    .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let expected = gift::import(BIOLOGY_GIFT, &Limits::DEFAULT);
    assert!(expected.problems.is_empty(), "{:?}", expected.problems);
    let cats = categories(&c, &c.bio).await;
    let cells = find(&cats, &["Biology", "Cells"]);
    assert_eq!(cells.depth, 1);
    let total: i64 = cats.iter().map(|c| c.questions).sum();
    assert_eq!(total as usize, expected.questions.len());
    let names: Vec<String> = c
        .lms
        .bank_questions(&c.bio, cells.id)
        .await
        .unwrap()
        .into_iter()
        .map(|q| q.name)
        .collect();
    assert!(names.contains(&"Powerhouse".to_string()), "{names:?}");
    let (status, html) = c.teacher.get("/courses/bio/bank").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Cells") && html.contains("Genetics"));

    // Moodle XML over the API, into a category of its own.
    let target = c
        .lms
        .add_question_category(&c.bio, None, "From Moodle")
        .await
        .unwrap();
    let api = Api::new(
        c.anonymous.url(""),
        Some(token_for(&c.lms, "teach@example.org").await),
    );
    let answer = api
        .upload(
            "/courses/bio/bank/import",
            &[("category_id", &target.to_string())],
            &[("file", "moodle-export.xml", MOODLE_XML.to_vec())],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let expected = moodle_xml::import(MOODLE_XML, &Limits::DEFAULT);
    assert_eq!(answer.body["imported"], expected.questions.len());
    assert_eq!(answer.body["format"], "moodle_xml");
    let cats = categories(&c, &c.bio).await;
    let tissues = find(
        &cats,
        &["From Moodle", "Default for BIO101", "Cells & tissues"],
    );
    assert!(tissues.questions > 0);
    // Every type came through, and each question reads back as it was in the file.
    for item in &expected.questions {
        let mut path = vec!["From Moodle".to_string()];
        path.extend(item.category.iter().cloned());
        let cat = cats.iter().find(|c| c.path == path).unwrap();
        let entries = c.lms.bank_questions(&c.bio, cat.id).await.unwrap();
        let entry = entries
            .iter()
            .find(|e| e.name == item.question.name)
            .unwrap();
        assert_eq!(entry.version, 1);
        let stored = c.lms.bank_question(&c.bio, entry.id, None).await.unwrap();
        assert_eq!(stored.question, item.question);
    }
    // The API lists them too.
    let listed = api
        .raw(Method::GET, "/courses/bio/bank/categories", None)
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(listed.body["items"].as_array().unwrap().len() >= 5);
    let questions = api
        .raw(
            Method::GET,
            &format!("/courses/bio/bank/categories/{}/questions", tissues.id),
            None,
        )
        .await;
    assert_eq!(questions.status, StatusCode::OK);
    let first = questions.body["items"][0]["id"].as_i64().unwrap();
    let one = api
        .raw(
            Method::GET,
            &format!("/courses/bio/bank/questions/{first}"),
            None,
        )
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["version"], 1);
    assert!(one.body["question"]["body"]["type"].is_string());
}

async fn a_bad_question_stops_the_import_until_confirmed(b: Backend) {
    let c = class(&b, &[]).await;
    let file = ("cells.gift", ONE_BAD.as_bytes());
    let sent = import_page(&c.teacher, &[("format", "gift")], file).await;
    assert_eq!(sent.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = sent.text().await.unwrap();
    assert!(html.contains("nothing was imported"), "{html}");
    assert!(
        html.contains("<td>5</td>"),
        "the line of the bad question: {html}"
    );
    assert!(html.contains("Import the 3 valid questions"));
    assert!(categories(&c, &c.bio).await.is_empty(), "nothing stored");
    // The confirmation carries the text back; the server reads it again.
    let sent = c
        .teacher
        .post_files(
            "/courses/bio/bank/import",
            &[
                ("confirm", "true"),
                ("category_id", ""),
                ("format", "gift"),
                ("text", ONE_BAD),
            ],
            &[],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&sent), "/courses/bio/bank");
    let cats = categories(&c, &c.bio).await;
    let default = find(&cats, &["Default"]);
    let names: Vec<String> = c
        .lms
        .bank_questions(&c.bio, default.id)
        .await
        .unwrap()
        .into_iter()
        .map(|q| q.name)
        .collect();
    assert_eq!(names, ["Alive", "Count", "Wall"]);

    // The API: 422 with the problems, nothing stored; `confirm` imports the valid ones.
    let api = Api::new(
        c.anonymous.url(""),
        Some(token_for(&c.lms, "teach@example.org").await),
    );
    let target = c
        .lms
        .add_question_category(&c.bio, None, "API")
        .await
        .unwrap()
        .to_string();
    let files = [("file", "cells.gift", ONE_BAD.as_bytes().to_vec())];
    let refused = api
        .upload(
            "/courses/bio/bank/import",
            &[("category_id", &target)],
            &files,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.body["error"]["code"], "import_problems");
    assert_eq!(refused.body["error"]["problems"][0]["line"], 5);
    assert_eq!(refused.body["error"]["valid"], 3);
    let api_cat = find(&categories(&c, &c.bio).await, &["API"]).clone();
    assert_eq!(api_cat.questions, 0);
    let done = api
        .upload(
            "/courses/bio/bank/import",
            &[("category_id", &target), ("confirm", "true")],
            &files,
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body["imported"], 3);
    assert_eq!(find(&categories(&c, &c.bio).await, &["API"]).questions, 3);
    // A file that is not UTF-8 is a problem of line 1, not a failure.
    let refused = api
        .upload(
            "/courses/bio/bank/import",
            &[],
            &[("file", "x.gift", b"\xff\xfe::x".to_vec())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn export_then_import_gives_the_same_questions(b: Backend) {
    let c = class(&b, &[]).await;
    c.lms
        .import_questions(
            &c.bio,
            &c.teacher_user,
            None,
            BankFormat::MoodleXml,
            MOODLE_XML.to_vec(),
            false,
        )
        .await
        .unwrap();
    c.lms
        .import_questions(
            &c.bio,
            &c.teacher_user,
            None,
            BankFormat::Gift,
            BIOLOGY_GIFT.to_vec(),
            false,
        )
        .await
        .unwrap();
    let cats = categories(&c, &c.bio).await;
    let chem = c.lms.course_view(&c.teacher_user, "chem").await.unwrap();
    for top in cats.iter().filter(|c| c.depth == 0) {
        // Moodle XML holds everything.
        let (status, _) = c
            .teacher
            .get(&format!("/courses/bio/bank/categories/{}/export", top.id))
            .await;
        assert_eq!(status, StatusCode::OK);
        let file = c
            .teacher
            .fetch(
                &format!("/courses/bio/bank/categories/{}/export/xml", top.id),
                &[],
            )
            .await;
        assert_eq!(file.status(), StatusCode::OK);
        assert_eq!(file.headers()["x-skipped-questions"], "0");
        assert!(
            file.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        let bytes = file.bytes().await.unwrap().to_vec();
        let report = c
            .lms
            .import_questions(
                &chem,
                &c.teacher_user,
                None,
                BankFormat::MoodleXml,
                bytes,
                false,
            )
            .await
            .unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }
    assert_eq!(
        bank_contents(&c, &c.bio).await,
        bank_contents(&c, &chem).await
    );

    // GIFT says which questions it leaves out, on the page and in a header.
    let moodle = find(&cats, &["Default for BIO101"]);
    let file = c
        .teacher
        .fetch(
            &format!("/courses/bio/bank/categories/{}/export/gift", moodle.id),
            &[],
        )
        .await;
    let skipped: usize = file.headers()["x-skipped-questions"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(skipped > 0, "ordering and gaps have no GIFT form");
    let (_, html) = c
        .teacher
        .get(&format!(
            "/courses/bio/bank/categories/{}/export",
            moodle.id
        ))
        .await;
    assert!(
        html.contains(&format!("GIFT leaves out {skipped} question(s)")),
        "{html}"
    );
    assert!(html.contains("Mitosis"));
    // What GIFT holds, it gives back.
    let biology = find(&cats, &["Biology"]);
    let file = c
        .teacher
        .fetch(
            &format!("/courses/bio/bank/categories/{}/export/gift", biology.id),
            &[],
        )
        .await;
    assert_eq!(file.headers()["x-skipped-questions"], "0");
    let again = gift::import(&file.bytes().await.unwrap(), &Limits::DEFAULT);
    let original = gift::import(BIOLOGY_GIFT, &Limits::DEFAULT);
    assert!(again.problems.is_empty());
    let key = |i: &paideia::lms::quizzes::Imported| (i.category.clone(), i.question.name.clone());
    let mut a: Vec<_> = again.questions.iter().map(key).collect();
    let mut o: Vec<_> = original.questions.iter().map(key).collect();
    a.sort();
    o.sort();
    assert_eq!(a, o);
}

/// The page's form for a true/false question.
fn true_false(name: &str, text: &str) -> Vec<(&'static str, String)> {
    vec![
        ("kind", "true_false".into()),
        ("name", name.into()),
        ("text", text.into()),
        ("format", "moodle".into()),
        ("correct", "true".into()),
        ("default_mark", "1".into()),
        ("penalty", "100".into()),
    ]
}

fn fields<'a>(list: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    list.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn an_edit_is_a_new_version_and_the_old_one_stays(b: Backend) {
    let c = class(&b, &[]).await;
    let cat = c
        .lms
        .add_question_category(&c.bio, None, "Cells")
        .await
        .unwrap();
    let new = format!("/courses/bio/bank/categories/{cat}/new?type=multiple_choice");
    let (status, html) = c.teacher.get(&new).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("answer-2"), "three blank rows");
    let form = vec![
        ("kind", "multiple_choice"),
        ("name", "Powerhouse"),
        ("text", "Which organelle makes ATP?"),
        ("format", "moodle"),
        ("shuffle", "true"),
        ("answer-0", "Mitochondrion"),
        ("fraction-0", "100"),
        ("feedback-0", "Yes"),
        ("answer-1", "Nucleus"),
        ("fraction-1", "0"),
        ("default_mark", "1"),
        ("penalty", "33.33333"),
    ];
    let sent = c
        .teacher
        .post(
            &format!("/courses/bio/bank/categories/{cat}/questions"),
            &form,
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&sent).rsplit('/').next().unwrap().parse().unwrap();
    let v1 = c.lms.bank_question(&c.bio, id, None).await.unwrap();
    assert_eq!((v1.version, v1.versions.clone()), (1, vec![1]));

    // A bad edit: every problem in words, nothing typed lost, no new version.
    let edit = format!("/courses/bio/bank/questions/{id}/edit");
    let (status, html) = c.teacher.get(&edit).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Version 2"),
        "the page says what saving makes"
    );
    let mut bad = form.clone();
    bad.retain(|(k, _)| *k != "fraction-0");
    bad.push(("fraction-0", "lots"));
    bad.push(("penalty", "200"));
    bad.retain(|(k, v)| !(*k == "penalty" && *v == "33.33333"));
    bad.push(("answer-1", "Nucleus typed again"));
    let sent = c.teacher.post(&edit, &bad).await;
    assert_eq!(sent.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = sent.text().await.unwrap();
    assert!(
        html.contains("Answer 1: the grade “lots” is not a percentage"),
        "{html}"
    );
    assert!(html.contains("enter the penalty as a percentage"));
    assert!(html.contains("value=\"lots\""), "what was typed stays");
    assert_eq!(
        c.lms.bank_question(&c.bio, id, None).await.unwrap().version,
        1
    );

    // A good edit makes version 2; version 1 stays loadable, by number and by its id.
    let mut good = form.clone();
    good.retain(|(k, _)| *k != "text");
    good.push(("text", "Which organelle makes most of the ATP?"));
    let sent = c.teacher.post(&edit, &good).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let v2 = c.lms.bank_question(&c.bio, id, None).await.unwrap();
    assert_eq!((v2.version, v2.versions.clone()), (2, vec![1, 2]));
    assert_eq!(v2.question.text, "Which organelle makes most of the ATP?");
    let old = c.lms.bank_question(&c.bio, id, Some(1)).await.unwrap();
    assert_eq!(old.question, v1.question);
    let mut conn = c.lms.db().conn().await.unwrap();
    let by_id = bank::load_version(&mut conn, v1.version_id).await.unwrap();
    assert_eq!(by_id.question, v1.question);
    let (_, html) = c
        .teacher
        .get(&format!("/courses/bio/bank/questions/{id}?version=1"))
        .await;
    assert!(html.contains("Version 1") && html.contains("Which organelle makes ATP?"));
    let entries = c.lms.bank_questions(&c.bio, cat).await.unwrap();
    assert_eq!(entries[0].version, 2);
    // Saving unchanged makes no version.
    let sent = c.teacher.post(&edit, &good).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        c.lms.bank_question(&c.bio, id, None).await.unwrap().version,
        2
    );

    // Matching, ordering and gaps are edited as Moodle XML.
    c.lms
        .import_questions(
            &c.bio,
            &c.teacher_user,
            Some(cat),
            BankFormat::MoodleXml,
            MOODLE_XML.to_vec(),
            false,
        )
        .await
        .unwrap();
    let cats = categories(&c, &c.bio).await;
    let genetics = cats.iter().find(|x| x.name == "Genetics").unwrap();
    let mitosis = c
        .lms
        .bank_questions(&c.bio, genetics.id)
        .await
        .unwrap()
        .into_iter()
        .find(|q| q.name == "Mitosis")
        .unwrap();
    let edit = format!("/courses/bio/bank/questions/{}/edit", mitosis.id);
    let (_, html) = c.teacher.get(&edit).await;
    assert!(html.contains("as their Moodle XML text"));
    let current = c.lms.bank_question(&c.bio, mitosis.id, None).await.unwrap();
    let xml = paideia::lms::quizzes::bank_form::one_question_xml(&current.question)
        .replace("Mitosis", "Mitosis, in order");
    let sent = c
        .teacher
        .post(&edit, &[("kind", "xml"), ("name", "x"), ("xml", &xml)])
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let after = c.lms.bank_question(&c.bio, mitosis.id, None).await.unwrap();
    assert_eq!(after.version, 2);
    assert_eq!(after.question.body, current.question.body);
}

async fn categories_and_questions_are_managed(b: Backend) {
    let c = class(&b, &[]).await;
    c.teacher.get("/courses/bio/bank").await;
    let sent = c
        .teacher
        .post(
            "/courses/bio/bank/categories",
            &[("name", "Cells"), ("parent_id", "")],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let cells = find(&categories(&c, &c.bio).await, &["Cells"]).id;
    // The same name twice under one parent is refused in words.
    let sent = c
        .teacher
        .post(
            "/courses/bio/bank/categories",
            &[("name", "Cells"), ("parent_id", "")],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(sent.text().await.unwrap().contains("already a category"));
    let sub = c
        .lms
        .add_question_category(&c.bio, Some(cells), "Membranes")
        .await
        .unwrap();
    let q = true_false("Walls", "Plant cells have walls.");
    let sent = c
        .teacher
        .post(
            &format!("/courses/bio/bank/categories/{sub}/questions"),
            &fields(&q),
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&sent).rsplit('/').next().unwrap().parse().unwrap();
    // Deleting a category that holds something needs "move to the parent".
    let sent = c
        .teacher
        .post(&format!("/courses/bio/bank/categories/{sub}/delete"), &[])
        .await;
    assert_eq!(sent.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let sent = c
        .teacher
        .post(
            &format!("/courses/bio/bank/categories/{sub}/delete"),
            &[("move", "true")],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let cats = categories(&c, &c.bio).await;
    assert_eq!(cats.len(), 1);
    assert_eq!(cats[0].questions, 1);
    // Rename, move, delete (soft: gone from the lists, its versions still loadable).
    let sent = c
        .teacher
        .post(
            &format!("/courses/bio/bank/categories/{cells}/rename"),
            &[("name", "Cell biology")],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let other = c
        .lms
        .add_question_category(&c.bio, None, "Other")
        .await
        .unwrap();
    let sent = c
        .teacher
        .post(
            &format!("/courses/bio/bank/questions/{id}/move"),
            &[("category_id", &other.to_string())],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(c.lms.bank_questions(&c.bio, other).await.unwrap().len(), 1);
    let version_id = c
        .lms
        .bank_question(&c.bio, id, None)
        .await
        .unwrap()
        .version_id;
    let sent = c
        .teacher
        .post(&format!("/courses/bio/bank/questions/{id}/delete"), &[])
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert!(
        c.lms
            .bank_questions(&c.bio, other)
            .await
            .unwrap()
            .is_empty()
    );
    let (status, _) = c
        .teacher
        .get(&format!("/courses/bio/bank/questions/{id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mut conn = c.lms.db().conn().await.unwrap();
    let kept: Question = bank::load_version(&mut conn, version_id)
        .await
        .unwrap()
        .question;
    assert_eq!(kept.name, "Walls");
    // An empty category (its deleted question moves up with it) goes without asking.
    let sent = c
        .teacher
        .post(&format!("/courses/bio/bank/categories/{other}/delete"), &[])
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let cats = categories(&c, &c.bio).await;
    assert!(cats.iter().all(|c| c.id != other));
    assert!(bank::load_version(&mut conn, version_id).await.is_ok());
    // The course page leads staff to the bank; students do not see the way.
    let (_, html) = c.teacher.get("/courses/bio").await;
    assert!(html.contains("/courses/bio/bank"));
    let (_, html) = c.student.get("/courses/bio").await;
    assert!(!html.contains("/courses/bio/bank"));
}

/// Every bank route for `who`: (method, path, form) of the pages, then the API's.
fn every_route(cat: i64, question: i64) -> Vec<(Method, String)> {
    let base = "/courses/bio/bank";
    let c = format!("{base}/categories/{cat}");
    let q = format!("{base}/questions/{question}");
    vec![
        (Method::GET, base.to_string()),
        (Method::POST, format!("{base}/categories")),
        (Method::GET, c.clone()),
        (Method::POST, format!("{c}/rename")),
        (Method::POST, format!("{c}/delete")),
        (Method::GET, format!("{c}/new?type=essay")),
        (Method::POST, format!("{c}/questions")),
        (Method::GET, format!("{c}/export")),
        (Method::GET, format!("{c}/export/gift")),
        (Method::GET, q.clone()),
        (Method::GET, format!("{q}/edit")),
        (Method::POST, format!("{q}/edit")),
        (Method::POST, format!("{q}/move")),
        (Method::POST, format!("{q}/delete")),
        (Method::GET, format!("{q}/regrade")),
        (Method::POST, format!("{q}/regrade")),
        (Method::GET, format!("{base}/import")),
        (Method::POST, format!("{base}/import")),
    ]
}

async fn only_the_course_staff_reach_the_bank(b: Backend) {
    let c = class(&b, &[]).await;
    c.lms
        .import_questions(
            &c.bio,
            &c.teacher_user,
            None,
            BankFormat::Gift,
            BIOLOGY_GIFT.to_vec(),
            false,
        )
        .await
        .unwrap();
    let cats = categories(&c, &c.bio).await;
    let cat = find(&cats, &["Biology", "Cells"]).id;
    let question = c.lms.bank_questions(&c.bio, cat).await.unwrap()[0].id;
    // A teacher of another course only.
    let stranger_user = account(&c.lms, "stranger@example.org", SystemRole::Instructor).await;
    let input = paideia::lms::CourseInput {
        title: "Physics".into(),
        slug: "physics".into(),
        description: String::new(),
        status: "published".into(),
    };
    c.lms.create_course(&stranger_user, &input).await.unwrap();
    let stranger = Browser::signed_in(c.server(), "stranger@example.org").await;
    let routes = every_route(cat, question);
    assert_eq!(
        routes.len(),
        paideia::web::route_list()
            .iter()
            .filter(|(_, p)| p.contains("/bank"))
            .count(),
        "every bank page route is tried"
    );
    let form = [
        ("name", "x"),
        ("kind", "essay"),
        ("text", "x"),
        ("category_id", "1"),
        ("move", "true"),
    ];
    for (name, browser) in [
        ("student", &c.student),
        ("stranger", &stranger),
        ("other", &c.other),
    ] {
        browser.get("/").await;
        for (method, path) in &routes {
            let response = if *method == Method::GET {
                browser.fetch(path, &[("accept", "text/html")]).await
            } else if path.ends_with("/import") {
                browser
                    .post_files(path, &[], &[("file", "a.gift", BIOLOGY_GIFT.to_vec())])
                    .await
            } else {
                browser.post(path, &form).await
            };
            assert_eq!(
                response.status(),
                StatusCode::NOT_FOUND,
                "{name}: {method} {path}"
            );
        }
        let (_, html) = browser.get("/courses/bio").await;
        assert!(!html.contains("/bank"), "{name} sees no way to the bank");
    }
    // The API, likewise.
    let api_paths = [
        (Method::GET, "/courses/bio/bank/categories".to_string()),
        (
            Method::GET,
            format!("/courses/bio/bank/categories/{cat}/questions"),
        ),
        (
            Method::GET,
            format!("/courses/bio/bank/questions/{question}"),
        ),
        (
            Method::GET,
            format!("/courses/bio/bank/questions/{question}/regrade"),
        ),
        (Method::POST, "/courses/bio/bank/import".to_string()),
    ];
    for email in ["stu@example.org", "stranger@example.org"] {
        let api = Api::new(c.anonymous.url(""), Some(token_for(&c.lms, email).await));
        for (method, path) in &api_paths {
            let status = if *method == Method::GET {
                api.fetch(path, &[]).await.status()
            } else {
                api.upload(path, &[], &[("file", "a.gift", BIOLOGY_GIFT.to_vec())])
                    .await
                    .status
            };
            assert_eq!(status, StatusCode::NOT_FOUND, "{email}: {method} {path}");
        }
        let regrade = api
            .send(
                Method::POST,
                &format!("/courses/bio/bank/questions/{question}/regrade"),
                serde_json::json!({"apply": true}),
            )
            .await;
        assert_eq!(regrade.status, StatusCode::NOT_FOUND, "{email}: regrade");
    }
    // Nothing changed, and the TA (who edits the course's content) works in it.
    assert_eq!(categories(&c, &c.bio).await, cats);
    let (status, _) =
        c.ta.get(&format!("/courses/bio/bank/questions/{question}"))
            .await;
    assert_eq!(status, StatusCode::OK);
}
