//! The JSON API under /api/v1 for scripts, authenticated only by personal access tokens
//! (`Authorization: Bearer`). One route table (`routes`) builds both the router and the
//! OpenAPI document, so the two cannot disagree; every error, the router's own included,
//! has the one error body shape. Handlers call the same `lms` functions as the pages.

mod account;
mod announcements;
mod courses;
mod deprecation;
mod discussions;
mod error;
mod extract;
mod files;
mod grading;
mod openapi;
mod people;
mod question_bank;
mod quizzes;
mod work;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    handler::Handler,
    http::{Method, StatusCode, Uri, header},
    middleware,
    response::Response,
    routing::{MethodFilter, MethodRouter, on},
};

use super::AppState;
pub use error::ApiError;

/// The answer to a request that took too long (the API's error shape).
pub fn busy() -> ApiError {
    ApiError::Busy
}

/// Where the API is mounted.
pub const PREFIX: &str = "/api/v1";
/// The largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What the OpenAPI document says about one operation.
#[derive(Clone, Debug)]
pub struct Operation {
    pub method: Method,
    /// Below `PREFIX`, with `{name}` parameters as axum writes them.
    pub path: &'static str,
    pub id: &'static str,
    pub summary: &'static str,
    pub tag: &'static str,
    /// Served without a token.
    pub public: bool,
    /// Takes `?page=&per_page=` and answers with the page envelope of `returns`.
    pub paginated: bool,
    /// The schema of the body, if it takes one.
    pub body: Option<&'static str>,
    /// The body's media type: `application/json`, or `multipart/form-data` for uploads.
    pub body_type: &'static str,
    /// Answers with a file's bytes (any content type, byte ranges) instead of JSON.
    pub file: bool,
    pub status: StatusCode,
    /// The schema of the answer (`None`: no body).
    pub returns: Option<&'static str>,
}

/// An operation and the handler that serves it.
pub struct Route {
    pub op: Operation,
    handler: MethodRouter<AppState>,
}

fn at<H, T>(method: Method, path: &'static str, id: &'static str, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
    Route {
        op: Operation {
            method,
            path,
            id,
            summary: "",
            tag: "",
            public: false,
            paginated: false,
            body: None,
            body_type: "application/json",
            file: false,
            status: StatusCode::OK,
            returns: None,
        },
        handler: on(filter, handler),
    }
}

impl Route {
    fn doc(mut self, tag: &'static str, summary: &'static str) -> Route {
        self.op.tag = tag;
        self.op.summary = summary;
        self
    }

    fn returns(mut self, schema: &'static str) -> Route {
        self.op.returns = Some(schema);
        self
    }

    fn list_of(mut self, schema: &'static str) -> Route {
        self.op.paginated = true;
        self.returns(schema)
    }

    fn takes(mut self, schema: &'static str) -> Route {
        self.op.body = Some(schema);
        self
    }

    /// A multipart form with files, read with the pages' upload limit.
    fn takes_form(mut self, schema: &'static str) -> Route {
        self.op.body = Some(schema);
        self.op.body_type = "multipart/form-data";
        self.handler = self
            .handler
            .layer(DefaultBodyLimit::max(super::modules::MAX_UPLOAD_BODY_BYTES));
        self
    }

    fn sends_file(mut self) -> Route {
        self.op.file = true;
        self
    }

    fn status(mut self, status: StatusCode) -> Route {
        self.op.status = status;
        self
    }

    fn public(mut self) -> Route {
        self.op.public = true;
        self
    }
}

/// Every operation of the API: the router and the OpenAPI document are both built from this.
pub fn routes() -> Vec<Route> {
    use Method as M;
    const COURSE: &str = "/courses/{slug}";
    let mut all = vec![
        at(M::GET, "/openapi.json", "openapi", openapi::document)
            .doc("meta", "This OpenAPI document")
            .public()
            .returns("OpenApi"),
        at(M::GET, "/me", "me", account::me)
            .doc("account", "The account the token acts for")
            .returns("User"),
        at(M::GET, "/me/tokens", "listTokens", account::tokens)
            .doc(
                "account",
                "The caller's tokens (names and dates, never the tokens)",
            )
            .list_of("Token"),
        at(
            M::DELETE,
            "/me/tokens/{id}",
            "revokeToken",
            account::revoke_token,
        )
        .doc("account", "Revoke one of the caller's tokens")
        .status(StatusCode::NO_CONTENT),
        at(
            M::GET,
            "/me/notifications",
            "listNotifications",
            announcements::notifications,
        )
        .doc("notifications", "The caller's notifications, newest first")
        .list_of("Notification"),
        at(
            M::POST,
            "/me/notifications/read",
            "readAllNotifications",
            announcements::read_all,
        )
        .doc(
            "notifications",
            "Mark all of the caller's notifications read",
        )
        .status(StatusCode::NO_CONTENT),
        at(
            M::GET,
            "/courses/{slug}/announcements",
            "listAnnouncements",
            announcements::list,
        )
        .doc(
            "announcements",
            "The course's announcements, pinned first, then newest (students: published ones)",
        )
        .list_of("Announcement"),
        at(
            M::POST,
            "/courses/{slug}/announcements",
            "createAnnouncement",
            announcements::create,
        )
        .doc(
            "announcements",
            "Post an announcement (staff); its people are notified when it is published",
        )
        .takes("AnnouncementBody")
        .status(StatusCode::CREATED)
        .returns("Announcement"),
        at(
            M::GET,
            "/courses/{slug}/announcements/{id}",
            "getAnnouncement",
            announcements::show,
        )
        .doc(
            "announcements",
            "One announcement; marks it read for the caller",
        )
        .returns("Announcement"),
        at(
            M::PATCH,
            "/courses/{slug}/announcements/{id}",
            "updateAnnouncement",
            announcements::update,
        )
        .doc(
            "announcements",
            "Change an announcement (staff); a published one is marked edited",
        )
        .takes("AnnouncementBody")
        .returns("Announcement"),
        at(
            M::DELETE,
            "/courses/{slug}/announcements/{id}",
            "deleteAnnouncement",
            announcements::delete,
        )
        .doc("announcements", "Delete an announcement (staff)")
        .status(StatusCode::NO_CONTENT),
        at(M::GET, "/courses", "listCourses", courses::list)
            .doc("courses", "The courses the caller sees, by title")
            .list_of("CourseEntry"),
        at(M::POST, "/courses", "createCourse", courses::create)
            .doc("courses", "Create a course; the caller becomes its teacher")
            .takes("CourseCreate")
            .status(StatusCode::CREATED)
            .returns("CourseEntry"),
        at(M::GET, COURSE, "getCourse", courses::show)
            .doc("courses", "One course")
            .returns("CourseEntry"),
        at(M::PATCH, COURSE, "updateCourse", courses::update)
            .doc(
                "courses",
                "Change a course's title, slug, description or status",
            )
            .takes("CoursePatch")
            .returns("CourseEntry"),
        at(
            M::GET,
            "/courses/{slug}/sections",
            "listSections",
            people::sections,
        )
        .doc("sections", "The course's sections (staff and students)")
        .list_of("Section"),
        at(
            M::POST,
            "/courses/{slug}/sections",
            "createSection",
            people::add_section,
        )
        .doc("sections", "Add a section at the end of its parent")
        .takes("SectionCreate")
        .status(StatusCode::CREATED)
        .returns("Section"),
        at(
            M::GET,
            "/courses/{slug}/enrollments",
            "listEnrollments",
            people::enrollments,
        )
        .doc(
            "enrollments",
            "Everyone enrolled, teachers first (staff only)",
        )
        .list_of("Enrollment"),
        at(
            M::POST,
            "/courses/{slug}/enrollments",
            "enroll",
            people::enroll,
        )
        .doc(
            "enrollments",
            "Enroll an account by email, or change its role",
        )
        .takes("EnrollmentCreate")
        .returns("Enrollment"),
        at(
            M::POST,
            "/courses/{slug}/enrollments/csv",
            "enrollCsv",
            people::enroll_csv,
        )
        .doc(
            "enrollments",
            "Enroll everyone in `email,role` CSV text, or no one if a line is wrong",
        )
        .takes("EnrollmentCsv")
        .returns("Enrolled"),
        at(
            M::DELETE,
            "/courses/{slug}/enrollments/{user_id}",
            "unenroll",
            people::unenroll,
        )
        .doc("enrollments", "Remove someone from the course")
        .status(StatusCode::NO_CONTENT),
        at(
            M::GET,
            "/courses/{slug}/modules",
            "listModules",
            work::modules,
        )
        .doc("modules", "The course's modules by section and position")
        .list_of("Module"),
        at(
            M::GET,
            "/courses/{slug}/modules/{id}",
            "getModule",
            work::module,
        )
        .doc(
            "modules",
            "One module, with its assignment settings when it has them",
        )
        .returns("ModuleDetail"),
        at(
            M::POST,
            "/courses/{slug}/pages",
            "createPage",
            work::add_page,
        )
        .doc(
            "modules",
            "Add a page (Markdown or HTML, rendered and sanitized) at the end of a section",
        )
        .takes("PageCreate")
        .status(StatusCode::CREATED)
        .returns("Module"),
        at(
            M::POST,
            "/courses/{slug}/assignments",
            "createAssignment",
            work::add_assignment,
        )
        .doc("modules", "Add an assignment and its gradebook item")
        .takes("AssignmentCreate")
        .status(StatusCode::CREATED)
        .returns("ModuleDetail"),
        at(
            M::GET,
            "/courses/{slug}/assignments/{id}/submissions",
            "listSubmissions",
            work::submissions,
        )
        .doc(
            "submissions",
            "Every attempt for staff; the caller's own for a student",
        )
        .list_of("Submission"),
        at(
            M::POST,
            "/courses/{slug}/assignments/{id}/submissions",
            "submit",
            work::submit,
        )
        .doc("submissions", "Hand in a text answer (students)")
        .takes("SubmissionCreate")
        .status(StatusCode::CREATED)
        .returns("Submission"),
        at(
            M::POST,
            "/courses/{slug}/assignments/{id}/submissions/files",
            "submitFiles",
            files::submit_files,
        )
        .doc(
            "submissions",
            "Hand in files (and optional text) as a multipart form (students)",
        )
        .takes_form("SubmissionUpload")
        .status(StatusCode::CREATED)
        .returns("Submission"),
        at(
            M::GET,
            "/courses/{slug}/submissions/{submission}/files/{media}",
            "downloadSubmissionFile",
            files::submission_file,
        )
        .doc(
            "submissions",
            "A submitted file (staff, and the student who handed it in); honours Range",
        )
        .sends_file(),
        at(
            M::GET,
            "/courses/{slug}/modules/{id}/download",
            "downloadModuleFile",
            files::module_file,
        )
        .doc("modules", "A file module's file (members); honours Range")
        .sends_file(),
        at(
            M::GET,
            "/courses/{slug}/modules/{id}/attachments/{media}",
            "downloadAttachment",
            files::attachment,
        )
        .doc(
            "modules",
            "A file of a page's text or an assignment's instructions (members); honours Range",
        )
        .sends_file(),
        at(M::GET, "/courses/{slug}/grades", "grades", work::grades)
            .doc(
                "grades",
                "The gradebook for staff; the caller's released grades for a student",
            )
            .returns("Report"),
        at(
            M::GET,
            "/courses/{slug}/grades/items",
            "listGradeItems",
            grading::items,
        )
        .doc("grades", "The gradebook's items in order (staff)")
        .list_of("GradeItem"),
        at(
            M::POST,
            "/courses/{slug}/grades/items",
            "createGradeItem",
            grading::add_item,
        )
        .doc("grades", "Add a manual item, such as an exam (staff)")
        .takes("GradeItemCreate")
        .status(StatusCode::CREATED)
        .returns("GradeItem"),
        at(
            M::PUT,
            "/courses/{slug}/grades/items/{item}/students/{student_id}",
            "setGrade",
            grading::grade,
        )
        .doc(
            "grades",
            "Set one student's points and feedback on an item (staff)",
        )
        .takes("GradeSet")
        .status(StatusCode::NO_CONTENT),
        at(
            M::PUT,
            "/courses/{slug}/assignments/{id}/grades",
            "setAssignmentGrades",
            grading::save_sheet,
        )
        .doc(
            "grades",
            "Set many students' grades on an assignment at once: all rows or none (staff)",
        )
        .takes("GradeSheet")
        .returns("GradeSheetSaved"),
        at(
            M::POST,
            "/courses/{slug}/grades/items/{item}/release",
            "releaseGrades",
            grading::release,
        )
        .doc(
            "grades",
            "Show the item's graded points to their students (staff)",
        )
        .returns("Released"),
        at(
            M::GET,
            "/courses/{slug}/forums",
            "listForums",
            discussions::forums,
        )
        .doc(
            "discussions",
            "The course's forums the caller sees, with their thread and unread counts",
        )
        .list_of("Forum"),
        at(
            M::GET,
            "/courses/{slug}/forums/{id}/threads",
            "listThreads",
            discussions::threads,
        )
        .doc(
            "discussions",
            "A forum's threads, pinned first, then by last activity (students: not hidden ones)",
        )
        .list_of("Thread"),
        at(
            M::POST,
            "/courses/{slug}/forums/{id}/threads",
            "startThread",
            discussions::start_thread,
        )
        .doc("discussions", "Start a thread with its opening post")
        .takes("ThreadCreate")
        .status(StatusCode::CREATED)
        .returns("Thread"),
        at(
            M::GET,
            "/courses/{slug}/threads/{id}/posts",
            "listPosts",
            discussions::posts,
        )
        .doc(
            "discussions",
            "A thread's posts, each top-level post followed by its replies (students: not hidden ones)",
        )
        .list_of("Post"),
        at(
            M::POST,
            "/courses/{slug}/threads/{id}/posts",
            "reply",
            discussions::reply,
        )
        .doc("discussions", "Reply in a thread (refused when it is locked)")
        .takes("PostCreate")
        .status(StatusCode::CREATED)
        .returns("Post"),
        at(
            M::GET,
            "/courses/{slug}/quizzes/{id}",
            "getQuiz",
            quizzes::quiz,
        )
        .doc(
            "quizzes",
            "A quiz as the caller meets it: settings with their accommodations, their attempts (marks as the review options allow), whether they may start one",
        )
        .returns("QuizInfo"),
        at(
            M::POST,
            "/courses/{slug}/quizzes/{id}/attempts",
            "startAttempt",
            quizzes::start,
        )
        .doc(
            "quizzes",
            "Start an attempt (students), or get the running one back with its timer",
        )
        .takes("AttemptStart")
        .status(StatusCode::CREATED)
        .returns("Attempt"),
        at(
            M::GET,
            "/courses/{slug}/attempts/{id}",
            "getAttempt",
            quizzes::attempt,
        )
        .doc(
            "quizzes",
            "An attempt (its student, or staff); marks, right answers and feedback only as the review options allow",
        )
        .returns("Attempt"),
        at(
            M::PUT,
            "/courses/{slug}/attempts/{id}/answers",
            "saveAnswers",
            quizzes::save,
        )
        .doc(
            "quizzes",
            "Save answers of a running attempt (each marked as saved); after the end plus 30 s grace the attempt is submitted as it stood and the save refused (422)",
        )
        .takes("AnswersSave")
        .returns("Attempt"),
        at(
            M::POST,
            "/courses/{slug}/attempts/{id}/submit",
            "submitAttempt",
            quizzes::submit,
        )
        .doc("quizzes", "Submit a running attempt (its student)")
        .returns("Attempt"),
    ];
    all.extend(question_bank::routes());
    all
}

/// The API router, to be nested at `PREFIX`.
pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for route in routes() {
        router = router.route(route.op.path, route.handler);
    }
    router
        .route_layer(middleware::from_fn(deprecation::headers))
        .fallback(unknown_route)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::map_response(json_errors))
}

async fn unknown_route(uri: Uri) -> ApiError {
    ApiError::UnknownRoute(format!("{PREFIX}{}", uri.path()))
}

/// Gives the error body shape to error answers made outside the handlers (a 405 from the
/// router, a body limit hit in a layer), keeping their headers (such as `Allow`).
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let (code, message) = error::describe(status);
    let fresh = error::body(status, code, message);
    parts.headers.remove(header::CONTENT_LENGTH);
    for (name, value) in fresh.headers() {
        parts.headers.insert(name, value.clone());
    }
    Response::from_parts(parts, fresh.into_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_builds_a_router_and_names_each_operation_once() {
        let routes = routes();
        let mut seen = std::collections::HashSet::new();
        for r in &routes {
            assert!(seen.insert(r.op.id), "operation id {} twice", r.op.id);
            assert!(
                !r.op.summary.is_empty() && !r.op.tag.is_empty(),
                "{}",
                r.op.id
            );
        }
        let _ = router();
    }
}
