//! The permission matrix: every page route (`paideia::web::route_list`) and every API route
//! (`paideia::web::api::routes`) tried by six people of one class: an administrator, the
//! course's teacher, its TA, one of its students, a student of another course, and someone
//! anonymous. The test fails when a route is missing from the table, so a new route must
//! come with its row.
//!
//! Convention: each request is minimal and valid (forms carry the browser's CSRF token, API
//! writes carry JSON), and only the class of the answer that proves the permission decision
//! is asserted:
//! - `A` allowed: 200, 201, 204, 206, 422 (the handler ran and judged the values), or a 303
//!   to anywhere but the sign-in page;
//! - `H` hidden: 404 ("not allowed" answers exactly like "not found");
//! - `L` sign in first (pages, anonymous): a 303 to `/login`;
//! - `U` unauthorized (API without a token): 401.
//!
//! Writes that can be done only once (removing someone, deleting a module, revoking a token)
//! get a target per person (`each`), so one person's success cannot change another's answer;
//! `{role}` in a path or body is replaced by the person's index, for values that must differ.
//! Signing out comes last.

use paideia::lms::{SystemRole, Zone, announcements::AnnouncementInput, modules::PageInput};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    api::{Api, token_for},
    lms_assignments::assignment_input,
    lms_modules::add_file,
    on_both_engines,
    support::{
        Backend,
        browser::{Browser, account},
        class::{Class, class},
    },
};

on_both_engines!(every_route_for_every_role);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    A,
    H,
    L,
    U,
}
use Expect::{A, H, L, U};

const WHO: [&str; 6] = [
    "admin",
    "teacher",
    "ta",
    "student",
    "other student",
    "anonymous",
];

enum Body {
    None,
    Form(Vec<(&'static str, String)>),
    /// Text fields, then files as (field, file name, bytes).
    Files(
        Vec<(&'static str, String)>,
        Vec<(&'static str, &'static str, Vec<u8>)>,
    ),
    Json(Value),
}

struct Row {
    method: Method,
    /// The route as the route table writes it.
    route: &'static str,
    /// The concrete path each person requests.
    paths: [String; 6],
    body: Body,
    expect: [Expect; 6],
}

fn same(path: String) -> [String; 6] {
    std::array::from_fn(|_| path.clone())
}

fn each(path: impl Fn(usize) -> String) -> [String; 6] {
    std::array::from_fn(path)
}

fn row(
    method: Method,
    route: &'static str,
    paths: [String; 6],
    body: Body,
    expect: [Expect; 6],
) -> Row {
    Row {
        method,
        route,
        paths,
        body,
        expect,
    }
}

fn get(route: &'static str, path: String, expect: [Expect; 6]) -> Row {
    row(Method::GET, route, same(path), Body::None, expect)
}

fn form(fields: &[(&'static str, &str)]) -> Body {
    Body::Form(fields.iter().map(|(k, v)| (*k, v.to_string())).collect())
}

/// Whether `status` (and where a redirect goes) is the answer `expect` describes.
fn fits(expect: Expect, status: StatusCode, location: Option<&str>) -> bool {
    let to_login = location.is_some_and(|l| l.starts_with("/login"));
    match expect {
        A => match status.as_u16() {
            200 | 201 | 204 | 206 | 422 => true,
            303 => !to_login,
            _ => false,
        },
        H => status == StatusCode::NOT_FOUND,
        L => status == StatusCode::SEE_OTHER && to_login,
        U => status == StatusCode::UNAUTHORIZED,
    }
}

fn fill(text: &str, who: usize) -> String {
    text.replace("{role}", &who.to_string())
}

/// `fields` with `{role}` replaced for person `who`.
fn filled(fields: &[(&'static str, String)], who: usize) -> Vec<(&'static str, String)> {
    fields.iter().map(|(k, v)| (*k, fill(v, who))).collect()
}

async fn page_request(browser: &Browser, row: &Row, who: usize) -> reqwest::Response {
    let path = fill(&row.paths[who], who);
    match (&row.method, &row.body) {
        (&Method::GET, _) => browser.fetch(&path, &[("accept", "text/html")]).await,
        (_, Body::Files(fields, files)) => {
            let fields = filled(fields, who);
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            browser.post_files(&path, &fields, files).await
        }
        (_, Body::Form(fields)) => {
            let fields = filled(fields, who);
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            browser.post(&path, &fields).await
        }
        (_, _) => browser.post(&path, &[]).await,
    }
}

async fn api_status(api: &Api, row: &Row, who: usize) -> StatusCode {
    let path = fill(&row.paths[who], who);
    match &row.body {
        Body::None if row.method == Method::GET => api.fetch(&path, &[]).await.status(),
        Body::None => api.raw(row.method.clone(), &path, None).await.status,
        Body::Json(body) => {
            let body: Value = serde_json::from_str(&fill(&body.to_string(), who)).unwrap();
            api.send(row.method.clone(), &path, body).await.status
        }
        Body::Files(fields, files) => {
            let fields = filled(fields, who);
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            api.upload(&path, &fields, files).await.status
        }
        Body::Form(_) => unreachable!("the API takes JSON"),
    }
}

/// Everything the rows point at, made once through the domain.
struct Fixture {
    root: i64,
    page: i64,
    essay: i64,
    file: i64,
    submission: i64,
    media: i64,
    item: i64,
    /// A released grade's feedback file (the student's).
    feedback_media: i64,
    student: i64,
    student2: i64,
    /// Per person: a page to delete and an enrolled account to remove.
    doomed_pages: [i64; 6],
    doomed_people: [i64; 6],
    doomed_api_people: [i64; 6],
    /// Per person: a section to delete, and trashed pages to restore and to delete for good.
    doomed_sections: [i64; 6],
    trashed_to_restore: [i64; 6],
    trashed_to_purge: [i64; 6],
    /// The teacher's tokens, one for the page and one for the API to revoke.
    page_token: i64,
    api_token: i64,
    /// Where a page's attachment is served, and (page, media) ids.
    attachment: String,
    illustrated: (i64, i64),
    /// A calendar feed's secret address (of an account none of the six is).
    feed: String,
    /// A published announcement of bio; per person, one to delete on the page and over the API.
    announcement: i64,
    doomed_announcements: [i64; 6],
    doomed_api_announcements: [i64; 6],
    /// One of the student's notifications.
    notification: i64,
    /// A one-click unsubscribe link (of the same account).
    unsubscribe: String,
    /// A graded forum, a thread in it, the student's post (in its edit window), one to
    /// delete, a thread to delete, and where a file of a post is served.
    forum: i64,
    thread: i64,
    own_post: i64,
    doomed_post: i64,
    doomed_thread: i64,
    post_file: String,
    /// The question bank's category and question, and per person one of each to delete.
    bank: crate::question_bank::BankFixture,
    /// A quiz with one question (its place), and the student's running attempt.
    quiz: i64,
    quiz_slot: i64,
    quiz_attempt: i64,
}

async fn fixture(c: &Class) -> Fixture {
    let lms = &c.lms;
    let page_input = |title: &str| PageInput {
        section_id: c.root.to_string(),
        title: title.into(),
        body: "<p>x</p>".into(),
        body_format: String::new(),
    };
    let page = lms.add_page(&c.bio, &page_input("Intro")).await.unwrap().id;
    let essay = lms
        .add_assignment(&c.bio, &assignment_input(c.root, "Essay"))
        .await
        .unwrap()
        .module
        .id;
    add_file(c, "Notes", "notes.txt", b"notes".to_vec()).await;
    let modules = lms.modules(&c.bio).await.unwrap();
    let file = modules.iter().find(|m| m.title == "Notes").unwrap().id;
    c.student
        .get(&format!("/courses/bio/modules/{essay}"))
        .await;
    let sent = c
        .student
        .post_files(
            &format!("/courses/bio/modules/{essay}/submissions"),
            &[("body_text", "mine")],
            &[("files", "a.txt", b"answer".to_vec())],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let submission = lms.all_submissions(&c.bio, essay).await.unwrap().remove(0);
    let mut doomed_pages = [0; 6];
    let mut doomed_people = [0; 6];
    let mut doomed_api_people = [0; 6];
    let mut doomed_sections = [0; 6];
    let mut trashed_to_restore = [0; 6];
    let mut trashed_to_purge = [0; 6];
    for who in 0..6 {
        doomed_sections[who] = lms
            .add_section(&c.bio, &format!("Doomed week {who}"), None)
            .await
            .unwrap()
            .id;
        for slot in [&mut trashed_to_restore, &mut trashed_to_purge] {
            let id = lms
                .add_page(&c.bio, &page_input(&format!("Trashed {who}")))
                .await
                .unwrap()
                .id;
            lms.delete_module(&c.bio, id).await.unwrap();
            slot[who] = id;
        }
        doomed_pages[who] = lms
            .add_page(&c.bio, &page_input(&format!("Doomed {who}")))
            .await
            .unwrap()
            .id;
        let email = format!("doomed{who}@example.org");
        doomed_people[who] = account(lms, &email, SystemRole::Student).await.id;
        lms.enroll(&c.bio, &email, "student").await.unwrap();
        let email = format!("doomed-api{who}@example.org");
        doomed_api_people[who] = account(lms, &email, SystemRole::Student).await.id;
        lms.enroll(&c.bio, &email, "student").await.unwrap();
    }
    let teacher = lms.user_by_email("teach@example.org").await.unwrap();
    let mut tokens = Vec::new();
    for name in ["revoke from the page", "revoke over the API"] {
        tokens.push(
            lms.create_token(&teacher, name, None)
                .await
                .unwrap()
                .token
                .id,
        );
    }
    let (attachment, illustrated) = illustrated_page(c).await;
    // Everyone signed in has a feed to revoke; the feed read belongs to someone else.
    for email in [
        "root@example.org",
        "teach@example.org",
        "ta@example.org",
        "stu@example.org",
        "other@example.org",
    ] {
        let user = lms.user_by_email(email).await.unwrap();
        lms.create_calendar_feed(&user).await.unwrap();
    }
    let reader = account(lms, "feed-reader@example.org", SystemRole::Student).await;
    let feed = format!(
        "/calendar/feed/{}.ics",
        lms.create_calendar_feed(&reader).await.unwrap().secret
    );
    let unsubscribe = {
        let mut conn = lms.db().conn().await.unwrap();
        paideia::lms::outbox::unsubscribe_path(
            &mut conn,
            lms.now(),
            reader.id,
            paideia::lms::MailKind::Digest,
        )
        .await
        .unwrap()
    };
    let feedback_media = feedback_file(c, essay).await;
    let post = |title: String| {
        let teacher = teacher.clone();
        async move {
            let input = AnnouncementInput {
                title,
                body: "Hello".into(),
                ..AnnouncementInput::default()
            };
            lms.post_announcement(&c.bio, &teacher, &input, Zone::parse("UTC").unwrap())
                .await
                .unwrap()
                .0
                .id
        }
    };
    let announcement = post("Welcome".into()).await;
    let mut doomed_announcements = [0; 6];
    let mut doomed_api_announcements = [0; 6];
    for who in 0..6 {
        doomed_announcements[who] = post(format!("Doomed {who}")).await;
        doomed_api_announcements[who] = post(format!("Doomed API {who}")).await;
    }
    let stu = lms.user_by_email("stu@example.org").await.unwrap();
    let notification = lms.notifications(&stu, 1).await.unwrap()[0].id;
    let (forum, thread, own_post, doomed_post, doomed_thread, post_file) = discussion(c).await;
    let (quiz, quiz_slot, quiz_attempt) = quiz_fixture(c).await;
    let mut settings = lms.site_settings().await.unwrap();
    settings.registration_open = true;
    lms.save_site_settings(&settings).await.unwrap();
    Fixture {
        root: c.root,
        page,
        essay,
        file,
        media: submission.files[0].id,
        submission: submission.id,
        item: lms.assignment_item(&c.bio, essay).await.unwrap().id,
        feedback_media,
        student: lms.user_by_email("stu@example.org").await.unwrap().id,
        student2: lms.user_by_email("stu2@example.org").await.unwrap().id,
        doomed_pages,
        doomed_people,
        doomed_api_people,
        doomed_sections,
        trashed_to_restore,
        trashed_to_purge,
        page_token: tokens[0],
        api_token: tokens[1],
        attachment,
        illustrated,
        feed,
        announcement,
        doomed_announcements,
        doomed_api_announcements,
        notification,
        unsubscribe,
        forum,
        thread,
        own_post,
        doomed_post,
        doomed_thread,
        post_file,
        bank: crate::question_bank::bank_fixture(c).await,
        quiz,
        quiz_slot,
        quiz_attempt,
    }
}

/// A quiz with one true/false question from the bank, and the student's running attempt;
/// returns (quiz, its question's place, the attempt).
async fn quiz_fixture(c: &Class) -> (i64, i64, i64) {
    use paideia::lms::quizzes::{Body, Question, bank, questions::TrueFalse, quiz::QuizInput};
    let mut input = QuizInput::new_in(&c.root.to_string());
    input.title = "Checkpoint".into();
    let quiz = c.lms.add_quiz(&c.bio, &input).await.unwrap().module.id;
    let question = Question::new(
        "Sum",
        "2 + 2 = 4",
        Body::TrueFalse(TrueFalse {
            correct: true,
            feedback_true: String::new(),
            feedback_false: String::new(),
        }),
    );
    let question_id = {
        let mut conn = c.lms.db().conn().await.unwrap();
        let now = chrono::Utc::now();
        let course = c.bio.course().id;
        let category = bank::ensure_category_path(&mut conn, course, &[], now)
            .await
            .unwrap();
        bank::add_question(&mut conn, course, category, &question, None, now)
            .await
            .unwrap()
            .question_id
    };
    c.lms
        .add_quiz_question(&c.bio, quiz, question_id, "")
        .await
        .unwrap();
    let slot = c.lms.quiz_slots(&c.bio, quiz).await.unwrap()[0].id;
    let (stu, view) = crate::lms_discussions::view_of(c, "stu@example.org").await;
    let attempt = c.lms.start_attempt(&view, &stu, quiz, "").await.unwrap().id;
    (quiz, slot, attempt)
}

/// A graded forum where the student started a thread with a file (through the page), plus a
/// post and a thread for staff to delete; returns (forum, thread, the student's post, the
/// post to delete, the thread to delete, the file's path).
async fn discussion(c: &Class) -> (i64, i64, i64, i64, i64, String) {
    let forum = crate::lms_discussions::add_forum(c, "Debate", true).await;
    c.student.get(&format!("/courses/bio/forums/{forum}")).await;
    for title in ["Opening", "Doomed"] {
        let sent = c
            .student
            .post_files(
                &format!("/courses/bio/forums/{forum}/threads"),
                &[
                    ("title", title),
                    ("body", "see notes.txt"),
                    ("body_format", "markdown"),
                ],
                &[("attachments", "notes.txt", b"notes".to_vec())],
            )
            .await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    }
    let (stu, view) = crate::lms_discussions::view_of(c, "stu@example.org").await;
    let threads = c.lms.threads(&view, &stu, forum).await.unwrap();
    let id = |t: &str| threads.iter().find(|x| x.title == t).unwrap().id;
    let (thread, doomed_thread) = (id("Opening"), id("Doomed"));
    let posts = c.lms.posts(&view, &stu, thread).await.unwrap();
    let own = posts[0].clone();
    let input = paideia::lms::discussions::ReplyInput {
        body: "to delete".into(),
        ..Default::default()
    };
    let doomed = c
        .lms
        .reply(&view, &stu, thread, &input, &Default::default())
        .await
        .unwrap()
        .value
        .id;
    let file = paideia::lms::discussions::file_path(own.files[0].id, "notes.txt");
    (forum, thread, own.id, doomed, doomed_thread, file)
}

/// Grades the student on `essay` with a feedback file through the grading table and releases
/// the grade; returns the file's media id.
async fn feedback_file(c: &Class, essay: i64) -> i64 {
    let stu = c.lms.user_by_email("stu@example.org").await.unwrap().id;
    let sheet = format!("/courses/bio/modules/{essay}/submissions");
    c.teacher.get(&sheet).await;
    let saved = c
        .teacher
        .post_files(
            &format!("/courses/bio/modules/{essay}/grades"),
            &[(&format!("points-{stu}"), "10")],
            &[(
                &format!("feedback_file-{stu}"),
                "marked.pdf",
                b"%PDF".to_vec(),
            )],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let item = c.lms.assignment_item(&c.bio, essay).await.unwrap().id;
    c.lms.release_grades(&c.bio, item).await.unwrap();
    let sheet = c.lms.grading_sheet(&c.bio, essay).await.unwrap();
    let row = sheet.rows.iter().find(|r| r.student.id == stu).unwrap();
    row.feedback_files[0].id
}

/// A page with a picture attached in the editor's form; returns the picture's path and the
/// ids of the page and the picture.
async fn illustrated_page(c: &Class) -> (String, (i64, i64)) {
    let root = c.root.to_string();
    c.teacher
        .get(&format!(
            "/courses/bio/modules/new?kind=page&section={root}"
        ))
        .await;
    let added = c
        .teacher
        .post_files(
            "/courses/bio/modules/pages",
            &[
                ("section_id", &root),
                ("title", "Illustrated"),
                ("body", "![x](x.png)"),
                ("body_format", "markdown"),
            ],
            &[("attachments", "x.png", b"png".to_vec())],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let modules = c.lms.modules(&c.bio).await.unwrap();
    let page = modules.iter().find(|m| m.title == "Illustrated").unwrap();
    let media = c.lms.attachments(&c.bio, page.id).await.unwrap().remove(0);
    let path = paideia::lms::attachments::path(media.id, &media.file_name);
    (path, (page.id, media.id))
}

async fn every_route_for_every_role(b: Backend) {
    let c = class(&b, &[]).await;
    let f = fixture(&c).await;
    let mut wrong = Vec::new();

    let mut pages = page_rows(&f);
    pages.extend(bank_page_rows(&f.bank));
    let listed: std::collections::BTreeSet<(String, String)> = paideia::web::route_list()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let mut covered: std::collections::BTreeSet<(String, String)> = pages
        .iter()
        .map(|r| (r.method.to_string(), r.route.to_string()))
        .collect();
    covered.insert(("POST".into(), "/logout".into())); // tried last, below
    assert_eq!(covered, listed, "every page route has exactly its rows");
    for browser in c.everyone() {
        browser.get("/").await;
    }
    for row in &pages {
        for (who, browser) in c.everyone().into_iter().enumerate() {
            let response = page_request(browser, row, who).await;
            let location = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .map(String::from);
            if !fits(row.expect[who], response.status(), location.as_deref()) {
                wrong.push(format!(
                    "{} {} as {}: want {:?}, got {} {}",
                    row.method,
                    row.paths[who],
                    WHO[who],
                    row.expect[who],
                    response.status(),
                    location.unwrap_or_default()
                ));
            }
            if let Some(missing) = crate::hardening::missing_security_header(&response) {
                wrong.push(format!(
                    "{} {} as {}: no {missing} header",
                    row.method, row.paths[who], WHO[who]
                ));
            }
        }
    }

    let mut apis = api_rows(&f);
    apis.extend(bank_api_rows(&f.bank));
    let listed: std::collections::BTreeSet<(String, String)> = paideia::web::api::routes()
        .iter()
        .map(|r| (r.op.method.to_string(), r.op.path.to_string()))
        .collect();
    let covered: std::collections::BTreeSet<(String, String)> = apis
        .iter()
        .map(|r| (r.method.to_string(), r.route.to_string()))
        .collect();
    assert_eq!(covered, listed, "every API route has exactly its rows");
    let base = c.anonymous.url("");
    let mut callers = Vec::new();
    for email in [
        "root@example.org",
        "teach@example.org",
        "ta@example.org",
        "stu@example.org",
        "other@example.org",
    ] {
        callers.push(Api::new(base.clone(), Some(token_for(&c.lms, email).await)));
    }
    callers.push(Api::new(base, None));
    for row in &apis {
        for (who, api) in callers.iter().enumerate() {
            let status = api_status(api, row, who).await;
            if !fits(row.expect[who], status, None) {
                wrong.push(format!(
                    "{} /api/v1{} as {}: want {:?}, got {status}",
                    row.method, row.paths[who], WHO[who], row.expect[who]
                ));
            }
        }
    }

    // Last: everyone signs out (the anonymous visitor's sign-out is a harmless redirect);
    // afterwards nobody's cookie reaches the dashboard.
    for (who, browser) in c.everyone().into_iter().enumerate() {
        let out = browser.post("/logout", &[]).await;
        let after = browser.fetch("/", &[("accept", "text/html")]).await;
        let location = after
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok());
        if out.status() != StatusCode::SEE_OTHER || !fits(L, after.status(), location) {
            wrong.push(format!(
                "POST /logout as {}: got {}, then GET / gave {}",
                WHO[who],
                out.status(),
                after.status()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} answers differ from the matrix:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// admin, teacher, TA, student, other course's student, anonymous
fn page_rows(f: &Fixture) -> Vec<Row> {
    use Method as M;
    let (root, p, m, file, item) = (f.root.to_string(), f.page, f.essay, f.file, f.item);
    let everyone = [A, A, A, A, A, A];
    let signed_in = [A, A, A, A, A, L];
    let admin = [A, H, H, H, H, L];
    let teachers = [A, A, H, H, H, L];
    let staff = [A, A, A, H, H, L];
    let members = [A, A, A, A, H, L];
    let students = [H, H, H, A, H, L];
    let page_form = || {
        form(&[
            ("section_id", &root),
            ("title", "Intro"),
            ("body", "<p>y</p>"),
        ])
    };
    let assignment_form = || {
        form(&[
            ("section_id", &root),
            ("title", "Essay"),
            ("max_points", "20"),
            ("accepts_text", "true"),
        ])
    };
    let course_form = |slug: &str| {
        form(&[
            ("title", "Course bio"),
            ("slug", slug),
            ("description", ""),
            ("status", "published"),
        ])
    };
    let csv = || {
        Body::Files(
            vec![],
            vec![("file", "people.csv", b"stu2@example.org,student\n".to_vec())],
        )
    };
    let modules = "/courses/bio/modules";
    vec![
        get("/healthz", "/healthz".into(), everyone),
        get("/readyz", "/readyz".into(), everyone),
        get("/assets/style.css", "/assets/style.css".into(), everyone),
        get("/assets/editor.js", "/assets/editor.js".into(), everyone),
        get("/assets/quiz.js", "/assets/quiz.js".into(), everyone),
        get("/login", "/login".into(), everyone),
        row(
            M::POST,
            "/login",
            same("/login".into()),
            form(&[("email", "nobody{role}@example.org"), ("password", "wrong")]),
            everyone,
        ),
        get("/register", "/register".into(), everyone),
        row(
            M::POST,
            "/register",
            same("/register".into()),
            form(&[("email", "not an email")]),
            everyone,
        ),
        // Mail (no SMTP here): the forms answer, and a link's secret is the permission.
        get("/forgot-password", "/forgot-password".into(), everyone),
        row(
            M::POST,
            "/forgot-password",
            same("/forgot-password".into()),
            form(&[("email", "nobody{role}@example.org")]),
            everyone,
        ),
        get(
            "/reset-password/{secret}",
            format!("/reset-password/{}", "0".repeat(64)),
            [H; 6],
        ),
        row(
            M::POST,
            "/reset-password/{secret}",
            same(format!("/reset-password/{}", "0".repeat(64))),
            form(&[("password", "a brand new passphrase")]),
            [H; 6],
        ),
        get(
            "/unsubscribe/{user}/{kind}/{mac}",
            f.unsubscribe.clone(),
            everyone,
        ),
        get(
            "/unsubscribe/{user}/{kind}/{mac}",
            format!("{}x", &f.unsubscribe[..f.unsubscribe.len() - 1]),
            [H; 6],
        ),
        row(
            M::POST,
            "/unsubscribe/{user}/{kind}/{mac}",
            same(f.unsubscribe.clone()),
            Body::None,
            everyone,
        ),
        get("/account", "/account".into(), signed_in),
        get("/notifications", "/notifications".into(), signed_in),
        row(
            M::POST,
            "/notifications/read-all",
            same("/notifications/read-all".into()),
            form(&[]),
            signed_in,
        ),
        get(
            "/notifications/{id}",
            format!("/notifications/{}", f.notification),
            [H, H, H, A, H, L],
        ),
        get(
            "/account/notifications",
            "/account/notifications".into(),
            signed_in,
        ),
        row(
            M::POST,
            "/account/notifications",
            same("/account/notifications".into()),
            form(&[
                ("announcement_mode", "immediate"),
                ("discussion_mode", "immediate"),
                ("grade_released_mode", "immediate"),
                ("due_soon_mode", "immediate"),
                ("new_submission_mode", "digest"),
                ("announcement_email", "true"),
            ]),
            signed_in,
        ),
        get(
            "/courses/{slug}/announcements",
            "/courses/bio/announcements".into(),
            members,
        ),
        get(
            "/courses/{slug}/announcements/new",
            "/courses/bio/announcements/new".into(),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/announcements/new",
            same("/courses/bio/announcements/new".into()),
            form(&[("title", "News {role}"), ("body", "Hello")]),
            staff,
        ),
        get(
            "/courses/{slug}/announcements/{id}",
            format!("/courses/bio/announcements/{}", f.announcement),
            members,
        ),
        get(
            "/courses/{slug}/announcements/{id}/edit",
            format!("/courses/bio/announcements/{}/edit", f.announcement),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/announcements/{id}/edit",
            same(format!(
                "/courses/bio/announcements/{}/edit",
                f.announcement
            )),
            form(&[("title", "Welcome"), ("body", "Hello again")]),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/announcements/{id}/delete",
            each(|who| {
                format!(
                    "/courses/bio/announcements/{}/delete",
                    f.doomed_announcements[who]
                )
            }),
            form(&[]),
            staff,
        ),
        row(
            M::POST,
            "/account/time-zone",
            same("/account/time-zone".into()),
            form(&[("time_zone", "Mars/Olympus")]),
            signed_in,
        ),
        get("/account/password", "/account/password".into(), signed_in),
        row(
            M::POST,
            "/account/password",
            same("/account/password".into()),
            form(&[("current_password", "wrong"), ("new_password", "x")]),
            signed_in,
        ),
        // Students (the TA's account is a student's) make tokens only when the site allows.
        get(
            "/account/tokens",
            "/account/tokens".into(),
            [A, A, H, H, H, L],
        ),
        row(
            M::POST,
            "/account/tokens",
            same("/account/tokens".into()),
            form(&[("name", "matrix"), ("expires_in_days", "30")]),
            [A, A, H, H, H, L],
        ),
        row(
            M::POST,
            "/account/tokens/{id}/revoke",
            same(format!("/account/tokens/{}/revoke", f.page_token)),
            Body::None,
            [H, A, H, H, H, L],
        ),
        get("/", "/".into(), signed_in),
        get("/calendar", "/calendar?month=2026-03".into(), signed_in),
        get("/calendar/feed", "/calendar/feed".into(), signed_in),
        row(
            M::POST,
            "/calendar/feed",
            same("/calendar/feed".into()),
            Body::None,
            signed_in,
        ),
        row(
            M::POST,
            "/calendar/feed/revoke",
            same("/calendar/feed/revoke".into()),
            Body::None,
            signed_in,
        ),
        // The feed's secret address is the permission: whoever has it reads it, no one else.
        get("/calendar/feed/{file}", f.feed.clone(), everyone),
        get(
            "/calendar/feed/{file}",
            format!("/calendar/feed/{}.ics", "0".repeat(64)),
            [H; 6],
        ),
        get("/admin/users", "/admin/users".into(), admin),
        row(
            M::POST,
            "/admin/users",
            same("/admin/users".into()),
            form(&[
                ("email", "made{role}@example.org"),
                ("display_name", "Made"),
                ("password", "correct horse battery"),
                ("role", "student"),
            ]),
            admin,
        ),
        row(
            M::POST,
            "/admin/users/import",
            same("/admin/users/import".into()),
            Body::Files(
                vec![],
                vec![(
                    "file",
                    "accounts.csv",
                    b"imported@example.org,Imported,student,\n".to_vec(),
                )],
            ),
            admin,
        ),
        row(
            M::POST,
            "/admin/users/{id}/role",
            same(format!("/admin/users/{}/role", f.student2)),
            form(&[("role", "student")]),
            admin,
        ),
        row(
            M::POST,
            "/admin/users/{id}/password",
            same(format!("/admin/users/{}/password", f.student2)),
            form(&[("password", "another horse battery")]),
            admin,
        ),
        row(
            M::POST,
            "/admin/users/{id}/disable",
            same(format!("/admin/users/{}/disable", f.student2)),
            form(&[("disabled", "false")]),
            admin,
        ),
        get("/admin/settings", "/admin/settings".into(), admin),
        get("/admin/system", "/admin/system".into(), admin),
        row(
            M::POST,
            "/admin/settings",
            same("/admin/settings".into()),
            form(&[("site_name", "paideia"), ("registration_open", "on")]),
            admin,
        ),
        get("/courses/new", "/courses/new".into(), [A, A, H, H, H, L]),
        row(
            M::POST,
            "/courses/new",
            same("/courses/new".into()),
            course_form("new{role}"),
            [A, A, H, H, H, L],
        ),
        get("/courses/{slug}", "/courses/bio".into(), members),
        get("/courses/{slug}/edit", "/courses/bio/edit".into(), teachers),
        row(
            M::POST,
            "/courses/{slug}/edit",
            same("/courses/bio/edit".into()),
            course_form("bio"),
            teachers,
        ),
        get(
            "/courses/{slug}/sections",
            "/courses/bio/sections".into(),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/sections",
            same("/courses/bio/sections".into()),
            form(&[("title", "Week {role}")]),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/sections/{id}",
            same(format!("/courses/bio/sections/{root}")),
            form(&[
                ("title", "Course bio"),
                ("parent_id", ""),
                ("position", "1"),
            ]),
            staff,
        ),
        get(
            "/courses/{slug}/sections/{id}/delete",
            format!("/courses/bio/sections/{root}/delete"),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/sections/{id}/delete",
            each(|who| format!("/courses/bio/sections/{}/delete", f.doomed_sections[who])),
            Body::None,
            staff,
        ),
        get("/courses/{slug}/trash", "/courses/bio/trash".into(), staff),
        get("/courses/{slug}/copy", "/courses/bio/copy".into(), teachers),
        row(
            M::POST,
            "/courses/{slug}/copy",
            same("/courses/bio/copy".into()),
            form(&[
                ("title", "Bio again"),
                ("slug", "bio-copy{role}"),
                ("shift_days", "7"),
            ]),
            teachers,
        ),
        row(
            M::POST,
            "/courses/{slug}/trash/{table}/{id}/restore",
            each(|who| {
                format!(
                    "/courses/bio/trash/modules/{}/restore",
                    f.trashed_to_restore[who]
                )
            }),
            Body::None,
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/trash/{table}/{id}/purge",
            each(|who| {
                format!(
                    "/courses/bio/trash/modules/{}/purge",
                    f.trashed_to_purge[who]
                )
            }),
            Body::None,
            staff,
        ),
        get(
            "/courses/{slug}/people",
            "/courses/bio/people".into(),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/people",
            same("/courses/bio/people".into()),
            form(&[("email", "stu2@example.org"), ("role", "student")]),
            teachers,
        ),
        row(
            M::POST,
            "/courses/{slug}/people/csv",
            same("/courses/bio/people/csv".into()),
            csv(),
            teachers,
        ),
        row(
            M::POST,
            "/courses/{slug}/people/{user_id}/remove",
            each(|who| format!("/courses/bio/people/{}/remove", f.doomed_people[who])),
            Body::None,
            teachers,
        ),
        get(
            "/courses/{slug}/modules/new",
            format!("{modules}/new?kind=page&section={root}"),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/modules/pages",
            same(format!("{modules}/pages")),
            page_form(),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/modules/files",
            same(format!("{modules}/files")),
            Body::Files(
                vec![("section_id", root.clone()), ("title", "X".into())],
                vec![("file", "x.txt", b"x".to_vec())],
            ),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/modules/assignments",
            same(format!("{modules}/assignments")),
            assignment_form(),
            staff,
        ),
        get(
            "/courses/{slug}/modules/{id}",
            format!("{modules}/{p}"),
            members,
        ),
        get(
            "/courses/{slug}/modules/{id}/edit",
            format!("{modules}/{p}/edit"),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/modules/{id}/edit",
            same(format!("{modules}/{p}/edit")),
            page_form(),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/modules/{id}/move",
            same(format!("{modules}/{p}/move")),
            form(&[("position", "1")]),
            staff,
        ),
        get(
            "/courses/{slug}/modules/{id}/visibility",
            format!("{modules}/{p}/visibility"),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/modules/{id}/visibility",
            same(format!("{modules}/{p}/visibility")),
            form(&[("visible_from", ""), ("visible_until", "")]),
            staff,
        ),
        get(
            "/courses/{slug}/modules/{id}/delete",
            format!("{modules}/{p}/delete"),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/modules/{id}/delete",
            each(|who| format!("{modules}/{}/delete", f.doomed_pages[who])),
            Body::None,
            staff,
        ),
        get(
            "/courses/{slug}/modules/{id}/download",
            format!("{modules}/{file}/download"),
            members,
        ),
        get("/attachments/{id}/{name}", f.attachment.clone(), members),
        row(
            M::POST,
            "/courses/{slug}/modules/forums",
            same(format!("{modules}/forums")),
            form(&[("section_id", &root), ("title", "Forum {role}")]),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/modules/quizzes",
            same(format!("{modules}/quizzes")),
            form(&[("section_id", &root), ("title", "Quiz {role}")]),
            staff,
        ),
        get(
            "/courses/{slug}/quizzes/{id}",
            format!("/courses/bio/quizzes/{}", f.quiz),
            members,
        ),
        row(
            M::POST,
            "/courses/{slug}/quizzes/{id}/attempts",
            same(format!("/courses/bio/quizzes/{}/attempts", f.quiz)),
            form(&[]),
            students,
        ),
        get(
            "/courses/{slug}/quizzes/{id}/questions",
            format!("/courses/bio/quizzes/{}/questions", f.quiz),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/quizzes/{id}/questions",
            same(format!("/courses/bio/quizzes/{}/questions", f.quiz)),
            form(&[("what", "question"), ("question_id", "0")]),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/quizzes/{id}/questions/{slot}",
            same(format!(
                "/courses/bio/quizzes/{}/questions/{}",
                f.quiz, f.quiz_slot
            )),
            form(&[("action", "save"), ("mark", "1"), ("position", "1")]),
            staff,
        ),
        get(
            "/courses/{slug}/quizzes/{id}/overrides",
            format!("/courses/bio/quizzes/{}/overrides", f.quiz),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/quizzes/{id}/overrides",
            same(format!("/courses/bio/quizzes/{}/overrides", f.quiz)),
            form(&[
                ("student_id", &f.student2.to_string()),
                ("extra_minutes", "0"),
            ]),
            staff,
        ),
        get(
            "/courses/{slug}/quizzes/{id}/results",
            format!("/courses/bio/quizzes/{}/results", f.quiz),
            staff,
        ),
        get(
            "/courses/{slug}/quizzes/{id}/results.csv",
            format!("/courses/bio/quizzes/{}/results.csv", f.quiz),
            staff,
        ),
        get(
            "/courses/{slug}/attempts/{id}",
            format!("/courses/bio/attempts/{}", f.quiz_attempt),
            members,
        ),
        row(
            M::POST,
            "/courses/{slug}/attempts/{id}",
            same(format!("/courses/bio/attempts/{}", f.quiz_attempt)),
            form(&[("slots", "1"), ("q1", "true"), ("to", "0")]),
            students,
        ),
        row(
            M::POST,
            "/courses/{slug}/attempts/{id}/grades",
            same(format!("/courses/bio/attempts/{}/grades", f.quiz_attempt)),
            form(&[("slot", "1"), ("mark", "1")]),
            staff,
        ),
        get(
            "/courses/{slug}/quizzes/{id}/grading",
            format!("/courses/bio/quizzes/{}/grading", f.quiz),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/quizzes/{id}/grading",
            same(format!("/courses/bio/quizzes/{}/grading", f.quiz)),
            form(&[]),
            staff,
        ),
        get(
            "/courses/{slug}/discussions",
            "/courses/bio/discussions".into(),
            members,
        ),
        get(
            "/courses/{slug}/forums/{id}",
            format!("/courses/bio/forums/{}", f.forum),
            members,
        ),
        row(
            M::POST,
            "/courses/{slug}/forums/{id}/threads",
            same(format!("/courses/bio/forums/{}/threads", f.forum)),
            Body::Files(
                vec![("title", "Thread {role}".into()), ("body", "hello".into())],
                vec![],
            ),
            members,
        ),
        row(
            M::POST,
            "/courses/{slug}/forums/{id}/follow",
            same(format!("/courses/bio/forums/{}/follow", f.forum)),
            form(&[("on", "true")]),
            members,
        ),
        get(
            "/courses/{slug}/forums/{id}/grades",
            format!("/courses/bio/forums/{}/grades", f.forum),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/forums/{id}/grades",
            same(format!("/courses/bio/forums/{}/grades", f.forum)),
            form(&[]),
            staff,
        ),
        get(
            "/courses/{slug}/threads/{id}",
            format!("/courses/bio/threads/{}", f.thread),
            members,
        ),
        row(
            M::POST,
            "/courses/{slug}/threads/{id}/replies",
            same(format!("/courses/bio/threads/{}/replies", f.thread)),
            Body::Files(vec![("body", "a reply".into())], vec![]),
            members,
        ),
        row(
            M::POST,
            "/courses/{slug}/threads/{id}/follow",
            same(format!("/courses/bio/threads/{}/follow", f.thread)),
            form(&[("on", "true")]),
            members,
        ),
        row(
            M::POST,
            "/courses/{slug}/threads/{id}/moderate",
            same(format!("/courses/bio/threads/{}/moderate", f.thread)),
            form(&[("action", "pin")]),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/threads/{id}/delete",
            same(format!("/courses/bio/threads/{}/delete", f.doomed_thread)),
            form(&[("reason", "matrix")]),
            staff,
        ),
        // Only the author, within the edit window.
        get(
            "/courses/{slug}/posts/{id}/edit",
            format!("/courses/bio/posts/{}/edit", f.own_post),
            students,
        ),
        row(
            M::POST,
            "/courses/{slug}/posts/{id}/edit",
            same(format!("/courses/bio/posts/{}/edit", f.own_post)),
            Body::Files(vec![("body", "see notes.txt again".into())], vec![]),
            students,
        ),
        row(
            M::POST,
            "/courses/{slug}/posts/{id}/moderate",
            same(format!("/courses/bio/posts/{}/moderate", f.own_post)),
            form(&[("action", "show")]),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/posts/{id}/delete",
            same(format!("/courses/bio/posts/{}/delete", f.doomed_post)),
            form(&[("reason", "matrix")]),
            staff,
        ),
        get(
            "/discussions/files/{id}/{name}",
            f.post_file.clone(),
            members,
        ),
        get(
            "/courses/{slug}/modules/{id}/submissions",
            format!("{modules}/{m}/submissions"),
            staff,
        ),
        get(
            "/courses/{slug}/modules/{id}/rubric",
            format!("{modules}/{m}/rubric"),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/modules/{id}/rubric",
            same(format!("{modules}/{m}/rubric")),
            form(&[("rubric", "")]),
            staff,
        ),
        get(
            "/courses/{slug}/modules/{id}/submissions.zip",
            format!("{modules}/{m}/submissions.zip"),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/modules/{id}/grades",
            same(format!("{modules}/{m}/grades")),
            Body::Files(vec![], vec![]),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/modules/{id}/submissions",
            same(format!("{modules}/{m}/submissions")),
            Body::Files(vec![("body_text", "again".into())], vec![]),
            students,
        ),
        get(
            "/courses/{slug}/submissions/{submission}/files/{media}",
            format!(
                "/courses/bio/submissions/{}/files/{}",
                f.submission, f.media
            ),
            members,
        ),
        get(
            "/courses/{slug}/grades/items/{item}/files/{media}",
            format!(
                "/courses/bio/grades/items/{}/files/{}",
                f.item, f.feedback_media
            ),
            members,
        ),
        get(
            "/courses/{slug}/grades",
            "/courses/bio/grades".into(),
            members,
        ),
        get(
            "/courses/{slug}/grades.csv",
            "/courses/bio/grades.csv".into(),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/grades/items",
            same("/courses/bio/grades/items".into()),
            form(&[("title", "Exam"), ("max_points", "10"), ("weight", "1")]),
            teachers,
        ),
        get(
            "/courses/{slug}/grades/items/{item}",
            format!("/courses/bio/grades/items/{item}"),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/grades/items/{item}",
            same(format!("/courses/bio/grades/items/{item}")),
            form(&[("weight", "2")]),
            teachers,
        ),
        row(
            M::POST,
            "/courses/{slug}/grades/items/{item}/release",
            same(format!("/courses/bio/grades/items/{item}/release")),
            Body::None,
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/grades/items/{item}/students/{student}",
            same(format!(
                "/courses/bio/grades/items/{item}/students/{}",
                f.student
            )),
            form(&[("points", "5"), ("feedback", "ok")]),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/grades/letters",
            same("/courses/bio/grades/letters".into()),
            form(&[("letters", "P 50\nF 0")]),
            teachers,
        ),
    ]
}

/// admin, teacher, TA, student, other course's student, no token
fn api_rows(f: &Fixture) -> Vec<Row> {
    use Method as M;
    let (p, m, item) = (f.page, f.essay, f.item);
    let with_token = [A, A, A, A, A, U];
    let teachers = [A, A, H, H, H, U];
    let staff = [A, A, A, H, H, U];
    let members = [A, A, A, A, H, U];
    let students = [H, H, H, A, H, U];
    let json_row = |method: M, route: &'static str, path: String, body: Value, expect| {
        row(method, route, same(path), Body::Json(body), expect)
    };
    let submissions = format!("/courses/bio/assignments/{m}/submissions");
    let grade = format!("/courses/bio/grades/items/{item}/students/{}", f.student);
    let (forum, thread) = (f.forum, f.thread);
    let (quiz, attempt) = (f.quiz, f.quiz_attempt);
    vec![
        get(
            "/courses/{slug}/quizzes/{id}",
            format!("/courses/bio/quizzes/{quiz}"),
            members,
        ),
        json_row(
            M::POST,
            "/courses/{slug}/quizzes/{id}/attempts",
            format!("/courses/bio/quizzes/{quiz}/attempts"),
            json!({}),
            students,
        ),
        get(
            "/courses/{slug}/attempts/{id}",
            format!("/courses/bio/attempts/{attempt}"),
            members,
        ),
        json_row(
            M::PUT,
            "/courses/{slug}/attempts/{id}/answers",
            format!("/courses/bio/attempts/{attempt}/answers"),
            json!({"answers": [{"slot": 1, "response": {"type": "bool", "value": true}}]}),
            students,
        ),
        row(
            M::POST,
            "/courses/{slug}/attempts/{id}/submit",
            same(format!("/courses/bio/attempts/{attempt}/submit")),
            Body::None,
            students,
        ),
        get(
            "/courses/{slug}/forums",
            "/courses/bio/forums".into(),
            members,
        ),
        get(
            "/courses/{slug}/forums/{id}/threads",
            format!("/courses/bio/forums/{forum}/threads"),
            members,
        ),
        json_row(
            M::POST,
            "/courses/{slug}/forums/{id}/threads",
            format!("/courses/bio/forums/{forum}/threads"),
            json!({"title": "API thread {role}", "body": "hello"}),
            members,
        ),
        get(
            "/courses/{slug}/threads/{id}/posts",
            format!("/courses/bio/threads/{thread}/posts"),
            members,
        ),
        json_row(
            M::POST,
            "/courses/{slug}/threads/{id}/posts",
            format!("/courses/bio/threads/{thread}/posts"),
            json!({"body": "an API reply"}),
            members,
        ),
        get("/openapi.json", "/openapi.json".into(), [A, A, A, A, A, A]),
        get("/me", "/me".into(), with_token),
        get("/me/tokens", "/me/tokens".into(), with_token),
        row(
            M::DELETE,
            "/me/tokens/{id}",
            same(format!("/me/tokens/{}", f.api_token)),
            Body::None,
            [H, A, H, H, H, U],
        ),
        get("/me/notifications", "/me/notifications".into(), with_token),
        row(
            M::POST,
            "/me/notifications/read",
            same("/me/notifications/read".into()),
            Body::None,
            with_token,
        ),
        get(
            "/courses/{slug}/announcements",
            "/courses/bio/announcements".into(),
            members,
        ),
        json_row(
            M::POST,
            "/courses/{slug}/announcements",
            "/courses/bio/announcements".into(),
            json!({"title": "API news {role}", "body": "Hi"}),
            staff,
        ),
        get(
            "/courses/{slug}/announcements/{id}",
            format!("/courses/bio/announcements/{}", f.announcement),
            members,
        ),
        json_row(
            M::PATCH,
            "/courses/{slug}/announcements/{id}",
            format!("/courses/bio/announcements/{}", f.announcement),
            json!({"pinned": true}),
            staff,
        ),
        row(
            M::DELETE,
            "/courses/{slug}/announcements/{id}",
            each(|who| {
                format!(
                    "/courses/bio/announcements/{}",
                    f.doomed_api_announcements[who]
                )
            }),
            Body::None,
            staff,
        ),
        get("/courses", "/courses".into(), with_token),
        json_row(
            M::POST,
            "/courses",
            "/courses".into(),
            json!({"title": "New", "slug": "api{role}"}),
            [A, A, H, H, H, U],
        ),
        get("/courses/{slug}", "/courses/bio".into(), members),
        json_row(
            M::PATCH,
            "/courses/{slug}",
            "/courses/bio".into(),
            json!({"title": "Course bio"}),
            teachers,
        ),
        get(
            "/courses/{slug}/sections",
            "/courses/bio/sections".into(),
            members,
        ),
        json_row(
            M::POST,
            "/courses/{slug}/sections",
            "/courses/bio/sections".into(),
            json!({"title": "API week {role}"}),
            staff,
        ),
        get(
            "/courses/{slug}/enrollments",
            "/courses/bio/enrollments".into(),
            staff,
        ),
        json_row(
            M::POST,
            "/courses/{slug}/enrollments",
            "/courses/bio/enrollments".into(),
            json!({"email": "stu2@example.org", "role": "student"}),
            teachers,
        ),
        json_row(
            M::POST,
            "/courses/{slug}/enrollments/csv",
            "/courses/bio/enrollments/csv".into(),
            json!({"csv": "stu2@example.org,student"}),
            teachers,
        ),
        row(
            M::DELETE,
            "/courses/{slug}/enrollments/{user_id}",
            each(|who| format!("/courses/bio/enrollments/{}", f.doomed_api_people[who])),
            Body::None,
            teachers,
        ),
        get(
            "/courses/{slug}/modules",
            "/courses/bio/modules".into(),
            members,
        ),
        get(
            "/courses/{slug}/modules/{id}",
            format!("/courses/bio/modules/{p}"),
            members,
        ),
        get(
            "/courses/{slug}/modules/{id}/download",
            format!("/courses/bio/modules/{}/download", f.file),
            members,
        ),
        get(
            "/courses/{slug}/modules/{id}/attachments/{media}",
            format!(
                "/courses/bio/modules/{}/attachments/{}",
                f.illustrated.0, f.illustrated.1
            ),
            members,
        ),
        json_row(
            M::POST,
            "/courses/{slug}/pages",
            "/courses/bio/pages".into(),
            json!({"section_id": f.root, "title": "API page"}),
            staff,
        ),
        json_row(
            M::POST,
            "/courses/{slug}/assignments",
            "/courses/bio/assignments".into(),
            json!({"section_id": f.root, "title": "API essay", "max_points": 5}),
            staff,
        ),
        get(
            "/courses/{slug}/assignments/{id}/submissions",
            submissions.clone(),
            members,
        ),
        json_row(
            M::POST,
            "/courses/{slug}/assignments/{id}/submissions",
            submissions.clone(),
            json!({"body_text": "over the API"}),
            students,
        ),
        row(
            M::POST,
            "/courses/{slug}/assignments/{id}/submissions/files",
            same(format!("{submissions}/files")),
            Body::Files(vec![], vec![("files", "b.txt", b"b".to_vec())]),
            students,
        ),
        get(
            "/courses/{slug}/submissions/{submission}/files/{media}",
            format!(
                "/courses/bio/submissions/{}/files/{}",
                f.submission, f.media
            ),
            members,
        ),
        get(
            "/courses/{slug}/grades",
            "/courses/bio/grades".into(),
            members,
        ),
        get(
            "/courses/{slug}/grades/items",
            "/courses/bio/grades/items".into(),
            staff,
        ),
        json_row(
            M::POST,
            "/courses/{slug}/grades/items",
            "/courses/bio/grades/items".into(),
            json!({"title": "API quiz", "max_points": 5}),
            teachers,
        ),
        json_row(
            M::PUT,
            "/courses/{slug}/assignments/{id}/grades",
            format!("/courses/bio/assignments/{}/grades", f.essay),
            json!({"rows": [{"student_id": f.student2, "points": 7}]}),
            staff,
        ),
        json_row(
            M::PUT,
            "/courses/{slug}/grades/items/{item}/students/{student_id}",
            grade,
            json!({"points": 6, "feedback": "fine"}),
            staff,
        ),
        json_row(
            M::POST,
            "/courses/{slug}/grades/items/{item}/release",
            format!("/courses/bio/grades/items/{item}/release"),
            json!({}),
            staff,
        ),
    ]
}

/// The question bank's pages: staff who edit the course's content (teachers, TAs, admins).
fn bank_page_rows(b: &crate::question_bank::BankFixture) -> Vec<Row> {
    use Method as M;
    let staff = [A, A, A, H, H, L];
    let base = "/courses/bio/bank";
    let cat = format!("{base}/categories/{}", b.category);
    let q = format!("{base}/questions/{}", b.question);
    let question = form(&[
        ("kind", "true_false"),
        ("name", "Matrix"),
        ("text", "Cells are alive."),
        ("format", "moodle"),
        ("correct", "true"),
        ("default_mark", "1"),
        ("penalty", "100"),
    ]);
    vec![
        get("/courses/{slug}/bank", base.into(), staff),
        row(
            M::POST,
            "/courses/{slug}/bank/categories",
            same(format!("{base}/categories")),
            form(&[("name", "Matrix {role}"), ("parent_id", "")]),
            staff,
        ),
        get("/courses/{slug}/bank/categories/{id}", cat.clone(), staff),
        row(
            M::POST,
            "/courses/{slug}/bank/categories/{id}/rename",
            same(format!("{cat}/rename")),
            form(&[("name", "Cells")]),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/bank/categories/{id}/delete",
            each(|who| format!("{base}/categories/{}/delete", b.doomed_categories[who])),
            form(&[]),
            staff,
        ),
        get(
            "/courses/{slug}/bank/categories/{id}/new",
            format!("{cat}/new?type=numerical"),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/bank/categories/{id}/questions",
            same(format!("{cat}/questions")),
            question,
            staff,
        ),
        get(
            "/courses/{slug}/bank/categories/{id}/export",
            format!("{cat}/export"),
            staff,
        ),
        get(
            "/courses/{slug}/bank/categories/{id}/export/{format}",
            format!("{cat}/export/xml"),
            staff,
        ),
        get("/courses/{slug}/bank/questions/{id}", q.clone(), staff),
        get(
            "/courses/{slug}/bank/questions/{id}/edit",
            format!("{q}/edit"),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/bank/questions/{id}/edit",
            same(format!("{q}/edit")),
            form(&[
                ("kind", "true_false"),
                ("name", "Matrix {role}"),
                ("text", "Cells are alive."),
                ("format", "moodle"),
                ("correct", "false"),
                ("default_mark", "1"),
                ("penalty", "100"),
            ]),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/bank/questions/{id}/move",
            same(format!("{q}/move")),
            form(&[("category_id", &b.category.to_string())]),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/bank/questions/{id}/delete",
            each(|who| format!("{base}/questions/{}/delete", b.doomed_questions[who])),
            form(&[]),
            staff,
        ),
        get(
            "/courses/{slug}/bank/questions/{id}/regrade",
            format!("{q}/regrade"),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/bank/questions/{id}/regrade",
            same(format!("{q}/regrade")),
            form(&[("version", "")]),
            staff,
        ),
        get(
            "/courses/{slug}/bank/import",
            format!("{base}/import"),
            staff,
        ),
        row(
            M::POST,
            "/courses/{slug}/bank/import",
            same(format!("{base}/import")),
            Body::Files(
                vec![("format", "gift".into())],
                vec![(
                    "file",
                    "q.gift",
                    b"::Imported:: Cells are alive. {T}".to_vec(),
                )],
            ),
            staff,
        ),
    ]
}

/// The question bank's API: staff who edit the course's content.
fn bank_api_rows(b: &crate::question_bank::BankFixture) -> Vec<Row> {
    let staff = [A, A, A, H, H, U];
    vec![
        get(
            "/courses/{slug}/bank/categories",
            "/courses/bio/bank/categories".into(),
            staff,
        ),
        get(
            "/courses/{slug}/bank/categories/{id}/questions",
            format!("/courses/bio/bank/categories/{}/questions", b.category),
            staff,
        ),
        get(
            "/courses/{slug}/bank/questions/{id}",
            format!("/courses/bio/bank/questions/{}", b.question),
            staff,
        ),
        get(
            "/courses/{slug}/bank/questions/{id}/regrade",
            format!("/courses/bio/bank/questions/{}/regrade", b.question),
            staff,
        ),
        row(
            Method::POST,
            "/courses/{slug}/bank/questions/{id}/regrade",
            same(format!(
                "/courses/bio/bank/questions/{}/regrade",
                b.question
            )),
            Body::Json(json!({"apply": true})),
            staff,
        ),
        row(
            Method::POST,
            "/courses/{slug}/bank/import",
            same("/courses/bio/bank/import".into()),
            Body::Files(
                vec![],
                vec![("file", "q.gift", b"::API:: Cells are alive. {T}".to_vec())],
            ),
            staff,
        ),
    ]
}
