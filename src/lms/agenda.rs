//! What a person has to do and when: the home page's to-do (work due soon, work overdue and
//! not handed in, quizzes to take or being taken, grades released lately, submissions and
//! quiz essays waiting for grading) and the dated items of the calendar and its feed
//! (assignments' and quizzes' dates). Each need is one query over all of the person's
//! courses, whatever their number; the permission rules then keep only what the person may see.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc, Weekday};

use super::{
    CourseRole, Lms, LmsError, User, Zone,
    courses::{Course, CourseStatus},
    modules::ModuleKind,
    permissions::{self, Access},
    quizzes::attempts::grace,
};
use crate::db::{Row, Value};

/// How far ahead the to-do looks for work due.
pub const DUE_SOON_DAYS: i64 = 14;
/// How long a released grade (or a changed released grade) counts as new.
pub const NEW_GRADE_DAYS: i64 = 14;

/// The course a to-do entry belongs to.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CourseRef {
    pub slug: String,
    pub title: String,
}

/// An assignment of a course the person takes, with its dates and whether they handed it in.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Work {
    pub course: CourseRef,
    pub module_id: i64,
    pub title: String,
    pub opens_at: Option<DateTime<Utc>>,
    pub due_at: DateTime<Utc>,
    pub cutoff_at: Option<DateTime<Utc>>,
    /// Attempts handed in so far.
    pub attempts: i64,
}

/// A grade the person was shown lately: released, or changed after its release.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct NewGrade {
    pub course: CourseRef,
    pub item_id: i64,
    /// The assignment the grade belongs to, if it is an assignment's.
    pub module_id: Option<i64>,
    pub title: String,
    pub points: Option<f64>,
    pub max_points: f64,
    pub has_feedback: bool,
    /// When it was released, or last changed after that.
    pub at: DateTime<Utc>,
}

/// An assignment of a course the person teaches, with how many students' latest work has no
/// grade newer than it; or a quiz, with how many submitted attempts wait for an essay's mark.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ToGrade {
    pub course: CourseRef,
    pub module_id: i64,
    /// `Assignment` or `Quiz`.
    pub kind: ModuleKind,
    pub title: String,
    /// An assignment's due time, a quiz's close.
    pub due_at: Option<DateTime<Utc>>,
    pub waiting: i64,
}

/// A quiz of a course the person takes: one they are taking (`attempt_id`), or one open or
/// opening that closes (for them) within `DUE_SOON_DAYS` and that they have not submitted.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct QuizDue {
    pub course: CourseRef,
    pub module_id: i64,
    pub title: String,
    pub opens_at: Option<DateTime<Utc>>,
    /// Their close: an accommodation's, else the quiz's.
    pub closes_at: Option<DateTime<Utc>>,
    /// The attempt they have running.
    pub attempt_id: Option<i64>,
    /// When that attempt's time is up.
    pub ends_at: Option<DateTime<Utc>>,
}

/// The home page's to-do.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Todo {
    /// Due from now to `DUE_SOON_DAYS` ahead, soonest first, handed in or not.
    pub due_soon: Vec<Work>,
    /// Past due, not handed in, and still accepted (no cut-off, or a cut-off to come).
    pub overdue: Vec<Work>,
    /// Quizzes being taken (first), then quizzes to take, closing soonest first.
    pub quizzes: Vec<QuizDue>,
    /// Released (or changed) within `NEW_GRADE_DAYS`, newest first.
    pub new_grades: Vec<NewGrade>,
    /// For teachers and TAs: assignments with work waiting, most waiting first (not of
    /// archived courses).
    pub to_grade: Vec<ToGrade>,
}

impl Todo {
    pub fn is_empty(&self) -> bool {
        self.due_soon.is_empty()
            && self.overdue.is_empty()
            && self.quizzes.is_empty()
            && self.new_grades.is_empty()
            && self.to_grade.is_empty()
    }
}

/// Which date of an assignment or quiz a calendar entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DateKind {
    Opens,
    Due,
    Cutoff,
    /// A quiz's close (the reader's own, with an accommodation).
    Closes,
}

impl DateKind {
    pub fn label(self) -> &'static str {
        match self {
            DateKind::Opens => "Opens",
            DateKind::Due => "Due",
            DateKind::Cutoff => "Cut-off",
            DateKind::Closes => "Closes",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DateKind::Opens => "opens",
            DateKind::Due => "due",
            DateKind::Cutoff => "cutoff",
            DateKind::Closes => "closes",
        }
    }
}

/// One dated item of the calendar: an assignment's opening, due or cut-off time, or a quiz's
/// opening or close.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Dated {
    pub course: CourseRef,
    pub module_id: i64,
    pub title: String,
    pub kind: DateKind,
    pub at: DateTime<Utc>,
}

/// The person's access in a course from a row's `course_status` and `course_role`, and the
/// course itself; `None` when the rules hide the course from them.
fn visible(actor: &User, row: &Row) -> Result<Option<(Access, CourseRef)>, LmsError> {
    let status: CourseStatus = row.get("course_status")?;
    let access = Access {
        system: actor.role,
        course: row.get("course_role")?,
    };
    if !permissions::can_view_course(access, status) {
        return Ok(None);
    }
    Ok(Some((
        access,
        CourseRef {
            slug: row.get("course_slug")?,
            title: row.get("course_title")?,
        },
    )))
}

/// The columns of a module's visibility, for `module_seen`.
const SEEN: &str = "modules.hidden AS module_hidden, modules.visible_from AS module_from, modules.visible_until AS module_until";

/// Whether someone with `access` sees the row's module at `now` (see `visibility`): staff
/// always, students only while it is shown. Trashed modules are filtered by the queries.
fn module_seen(access: Access, row: &Row, now: DateTime<Utc>) -> Result<bool, LmsError> {
    Ok(permissions::can_edit_content(access)
        || super::visibility::shown_from_columns(
            row.get("module_hidden")?,
            row.get("module_from")?,
            row.get("module_until")?,
            now,
        ))
}

/// The columns of a course and the person's enrollment in it, for `visible`.
const COURSE: &str = "courses.slug AS course_slug, courses.title AS course_title, courses.status AS course_status, enrollments.role AS course_role";

impl Lms {
    /// `actor`'s to-do at the LMS clock's now.
    pub async fn todo(&self, actor: &User) -> Result<Todo, LmsError> {
        let courses = self.my_courses(actor).await?;
        self.todo_in(actor, &courses).await
    }

    /// `todo` for the courses `my_courses` gave: the statements of a side `actor` has no
    /// course on are not sent (a student's home skips the grader's two, a teacher's the
    /// student's three). Each statement keeps its own role condition, so this only saves work.
    pub async fn todo_in(
        &self,
        actor: &User,
        courses: &[(Course, Option<CourseRole>)],
    ) -> Result<Todo, LmsError> {
        let now = self.now();
        let learns = courses.iter().any(|(_, r)| *r == Some(CourseRole::Student));
        let teaches = courses
            .iter()
            .any(|(_, r)| r.is_some_and(|r| r != CourseRole::Student));
        // The reads are independent: concurrent, so pipelined inside `Lms::together`.
        let learner = async {
            if !learns {
                return Ok(None);
            }
            let parts = tokio::try_join!(
                self.work(actor, now),
                self.quizzes_due(actor, now),
                self.new_grades(actor, now),
            )?;
            Ok::<_, LmsError>(Some(parts))
        };
        let teacher = async {
            if !teaches {
                return Ok(None);
            }
            let parts = tokio::try_join!(self.to_grade(actor), self.quizzes_to_grade(actor))?;
            Ok::<_, LmsError>(Some(parts))
        };
        let (learner, teacher) = tokio::try_join!(learner, teacher)?;
        let mut todo = Todo::default();
        if let Some(((due_soon, overdue), quizzes, new_grades)) = learner {
            (todo.due_soon, todo.overdue) = (due_soon, overdue);
            todo.quizzes = quizzes;
            todo.new_grades = new_grades;
        }
        if let Some((mut to_grade, quizzes)) = teacher {
            to_grade.extend(quizzes);
            sort_to_grade(&mut to_grade);
            todo.to_grade = to_grade;
        }
        Ok(todo)
    }

    /// The assignments of the courses `actor` takes that are due within `DUE_SOON_DAYS`, and
    /// those past due, not handed in and still accepted.
    async fn work(
        &self,
        actor: &User,
        now: DateTime<Utc>,
    ) -> Result<(Vec<Work>, Vec<Work>), LmsError> {
        let sql = format!(
            "SELECT {COURSE}, {SEEN}, modules.id AS module_id, modules.title, assignments.opens_at,
                    assignments.due_at, assignments.cutoff_at,
                    (SELECT COUNT(*) FROM submissions WHERE submissions.assignment_id = modules.id
                        AND submissions.student_id = enrollments.user_id) AS attempts
             FROM enrollments
             JOIN courses ON courses.id = enrollments.course_id
             JOIN modules ON modules.course_id = courses.id
             JOIN assignments ON assignments.module_id = modules.id
             WHERE enrollments.user_id = $1 AND enrollments.role = $2 AND modules.deleted_at IS NULL
               AND assignments.due_at IS NOT NULL AND assignments.due_at <= $4
               AND (assignments.due_at >= $3 OR assignments.cutoff_at IS NULL OR assignments.cutoff_at >= $3)
             ORDER BY assignments.due_at, modules.id"
        );
        let rows = self
            .db
            .query(
                &sql,
                &[
                    actor.id.into(),
                    CourseRole::Student.into(),
                    Value::Time(now),
                    Value::Time(now + Duration::days(DUE_SOON_DAYS)),
                ],
            )
            .await?;
        let (mut soon, mut overdue) = (Vec::new(), Vec::new());
        for row in &rows {
            let Some((access, course)) = visible(actor, row)? else {
                continue;
            };
            if !permissions::can_submit(access) || !module_seen(access, row, now)? {
                continue;
            }
            let work = Work {
                course,
                module_id: row.get("module_id")?,
                title: row.get("title")?,
                opens_at: row.get("opens_at")?,
                due_at: row.get("due_at")?,
                cutoff_at: row.get("cutoff_at")?,
                attempts: row.get("attempts")?,
            };
            if work.due_at >= now {
                soon.push(work);
            } else if work.attempts == 0 {
                overdue.push(work);
            }
        }
        Ok((soon, overdue))
    }

    /// `actor`'s grades released, or changed after their release, within `NEW_GRADE_DAYS`.
    async fn new_grades(
        &self,
        actor: &User,
        now: DateTime<Utc>,
    ) -> Result<Vec<NewGrade>, LmsError> {
        let sql = format!(
            "SELECT {COURSE}, COALESCE(modules.hidden, FALSE) AS module_hidden,
                    modules.visible_from AS module_from, modules.visible_until AS module_until,
                    gradebook_items.id AS item_id, gradebook_items.module_id,
                    gradebook_items.title, gradebook_items.max_points, grades.points, grades.feedback,
                    grades.released_at, grades.graded_at
             FROM grades
             JOIN gradebook_items ON gradebook_items.id = grades.item_id
             JOIN courses ON courses.id = gradebook_items.course_id
             JOIN enrollments ON enrollments.course_id = courses.id AND enrollments.user_id = grades.student_id
             LEFT JOIN modules ON modules.id = gradebook_items.module_id
             WHERE grades.student_id = $1 AND enrollments.role = $2 AND grades.released_at IS NOT NULL
               AND modules.deleted_at IS NULL
               AND (grades.released_at >= $3 OR grades.graded_at >= $3)
               AND (grades.points IS NOT NULL OR grades.feedback <> '')"
        );
        let since = now - Duration::days(NEW_GRADE_DAYS);
        let rows = self
            .db
            .query(
                &sql,
                &[
                    actor.id.into(),
                    CourseRole::Student.into(),
                    Value::Time(since),
                ],
            )
            .await?;
        let mut grades = Vec::new();
        for row in &rows {
            let Some((access, course)) = visible(actor, row)? else {
                continue;
            };
            // A grade of a module students do not see (hidden, or out of its window) waits.
            if !permissions::can_submit(access) || !module_seen(access, row, now)? {
                continue;
            }
            let released: DateTime<Utc> = row.get("released_at")?;
            let graded: Option<DateTime<Utc>> = row.get("graded_at")?;
            let feedback: String = row.get("feedback")?;
            grades.push(NewGrade {
                course,
                item_id: row.get("item_id")?,
                module_id: row.get("module_id")?,
                title: row.get("title")?,
                points: row.get("points")?,
                max_points: row.get("max_points")?,
                has_feedback: !feedback.trim().is_empty(),
                at: graded.map_or(released, |g| g.max(released)),
            });
        }
        grades.sort_by(|a, b| b.at.cmp(&a.at).then(a.item_id.cmp(&b.item_id)));
        Ok(grades)
    }

    /// The assignments of the courses `actor` grades in (as teacher or TA) where some
    /// enrolled student's latest attempt has no grade with points newer than it. The latest
    /// attempts are taken from the assignments of `actor`'s own courses only: PostgreSQL
    /// does not push the outer conditions into the grouped subquery, and grouping every
    /// submission of the site made this the slowest statement of everyone's home page.
    async fn to_grade(&self, actor: &User) -> Result<Vec<ToGrade>, LmsError> {
        let sql = format!(
            "SELECT {COURSE}, modules.id AS module_id, modules.title, assignments.due_at,
                    COUNT(*) AS waiting
             FROM enrollments
             JOIN courses ON courses.id = enrollments.course_id
             JOIN modules ON modules.course_id = courses.id
             JOIN assignments ON assignments.module_id = modules.id
             JOIN (SELECT assignment_id, student_id, MAX(submitted_at) AS last_at
                   FROM submissions
                   WHERE assignment_id IN (SELECT graded.id FROM modules graded
                                           JOIN enrollments mine ON mine.course_id = graded.course_id
                                           WHERE mine.user_id = $1 AND mine.role <> $2)
                   GROUP BY assignment_id, student_id) latest
               ON latest.assignment_id = modules.id
             JOIN enrollments takers ON takers.course_id = courses.id
               AND takers.user_id = latest.student_id AND takers.role = $2
             LEFT JOIN gradebook_items ON gradebook_items.module_id = modules.id
             LEFT JOIN grades ON grades.item_id = gradebook_items.id AND grades.student_id = latest.student_id
             WHERE enrollments.user_id = $1 AND enrollments.role <> $2 AND modules.deleted_at IS NULL
               AND (grades.points IS NULL OR grades.graded_at IS NULL OR grades.graded_at < latest.last_at)
             GROUP BY courses.slug, courses.title, courses.status, enrollments.role, modules.id,
                      modules.title, assignments.due_at"
        );
        self.waiting_rows(actor, &sql, ModuleKind::Assignment).await
    }

    /// The quizzes of the courses `actor` grades in where submitted attempts of enrolled
    /// students wait for an essay's mark (the count the quiz's grading table shows).
    async fn quizzes_to_grade(&self, actor: &User) -> Result<Vec<ToGrade>, LmsError> {
        let sql = format!(
            "SELECT {COURSE}, modules.id AS module_id, modules.title, quizzes.closes_at AS due_at,
                    COUNT(*) AS waiting
             FROM enrollments
             JOIN courses ON courses.id = enrollments.course_id
             JOIN modules ON modules.course_id = courses.id
             JOIN quizzes ON quizzes.module_id = modules.id
             JOIN quiz_attempts attempts ON attempts.quiz_id = modules.id
               AND attempts.submitted_at IS NOT NULL AND attempts.needs_grading
             JOIN enrollments takers ON takers.course_id = courses.id
               AND takers.user_id = attempts.student_id AND takers.role = $2
             WHERE enrollments.user_id = $1 AND enrollments.role <> $2 AND modules.deleted_at IS NULL
             GROUP BY courses.slug, courses.title, courses.status, enrollments.role, modules.id,
                      modules.title, quizzes.closes_at"
        );
        self.waiting_rows(actor, &sql, ModuleKind::Quiz).await
    }

    /// Runs a to-grade query (`$1` the grader, `$2` the student role; columns: the course's,
    /// `module_id`, `title`, `due_at`, `waiting`) and keeps the courses `actor` grades in.
    async fn waiting_rows(
        &self,
        actor: &User,
        sql: &str,
        kind: ModuleKind,
    ) -> Result<Vec<ToGrade>, LmsError> {
        let rows = self
            .db
            .query(sql, &[actor.id.into(), CourseRole::Student.into()])
            .await?;
        let mut waiting = Vec::new();
        for row in &rows {
            let Some((access, course)) = visible(actor, row)? else {
                continue;
            };
            // An archived course is over: its ungraded work no longer asks for attention.
            let status: CourseStatus = row.get("course_status")?;
            if !permissions::can_grade(access) || status == CourseStatus::Archived {
                continue;
            }
            waiting.push(ToGrade {
                course,
                module_id: row.get("module_id")?,
                kind,
                title: row.get("title")?,
                due_at: row.get("due_at")?,
                waiting: row.get("waiting")?,
            });
        }
        Ok(waiting)
    }

    /// The quizzes of the courses `actor` takes that they are taking, or that close for them
    /// within `DUE_SOON_DAYS` and that they have not submitted an attempt at.
    async fn quizzes_due(
        &self,
        actor: &User,
        now: DateTime<Utc>,
    ) -> Result<Vec<QuizDue>, LmsError> {
        let sql = format!(
            "SELECT {COURSE}, {SEEN}, modules.id AS module_id, modules.title, quizzes.opens_at,
                    COALESCE(overrides.closes_at, quizzes.closes_at) AS closes_at,
                    running.id AS attempt_id, running.ends_at,
                    (SELECT COUNT(*) FROM quiz_attempts done WHERE done.quiz_id = modules.id
                        AND done.student_id = enrollments.user_id AND done.submitted_at IS NOT NULL) AS submitted
             FROM enrollments
             JOIN courses ON courses.id = enrollments.course_id
             JOIN modules ON modules.course_id = courses.id
             JOIN quizzes ON quizzes.module_id = modules.id
             LEFT JOIN quiz_overrides overrides ON overrides.quiz_id = modules.id
               AND overrides.user_id = enrollments.user_id
             LEFT JOIN quiz_attempts running ON running.quiz_id = modules.id
               AND running.student_id = enrollments.user_id AND running.submitted_at IS NULL
             WHERE enrollments.user_id = $1 AND enrollments.role = $2 AND modules.deleted_at IS NULL
               AND (running.id IS NOT NULL
                    OR (COALESCE(overrides.closes_at, quizzes.closes_at) >= $3
                        AND COALESCE(overrides.closes_at, quizzes.closes_at) <= $4))
             ORDER BY modules.id"
        );
        let rows = self
            .db
            .query(
                &sql,
                &[
                    actor.id.into(),
                    CourseRole::Student.into(),
                    Value::Time(now),
                    Value::Time(now + Duration::days(DUE_SOON_DAYS)),
                ],
            )
            .await?;
        let mut out = Vec::new();
        for row in &rows {
            let Some((access, course)) = visible(actor, row)? else {
                continue;
            };
            if !permissions::can_submit(access) || !module_seen(access, row, now)? {
                continue;
            }
            let ends_at: Option<DateTime<Utc>> = row.get("ends_at")?;
            // An attempt whose time and grace ran out is submitted as it stood (by whoever
            // touches it next): it is done, not being taken.
            let attempt_id: Option<i64> = row
                .get::<Option<i64>>("attempt_id")?
                .filter(|_| ends_at.is_none_or(|e| now <= e + grace()));
            let closes_at: Option<DateTime<Utc>> = row.get("closes_at")?;
            let submitted: i64 = row.get("submitted")?;
            let due = closes_at.is_some_and(|c| c >= now) && submitted == 0;
            if attempt_id.is_none() && !due {
                continue;
            }
            out.push(QuizDue {
                course,
                module_id: row.get("module_id")?,
                title: row.get("title")?,
                opens_at: row.get("opens_at")?,
                closes_at,
                ends_at: ends_at.filter(|_| attempt_id.is_some()),
                attempt_id,
            });
        }
        // Being taken first, then the soonest close.
        out.sort_by(|a, b| {
            (a.attempt_id.is_none(), a.closes_at, a.module_id).cmp(&(
                b.attempt_id.is_none(),
                b.closes_at,
                b.module_id,
            ))
        });
        Ok(out)
    }

    /// Every dated item of the courses `actor` is enrolled in and may see, from `from`
    /// (inclusive) to `to` (exclusive) when given, by time.
    pub async fn dated_items(
        &self,
        actor: &User,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<Dated>, LmsError> {
        let now = self.now();
        let mut items = Vec::new();
        self.module_dates(
            actor,
            (from, to, now),
            "JOIN assignments ON assignments.module_id = modules.id",
            &[
                (DateKind::Opens, "assignments.opens_at"),
                (DateKind::Due, "assignments.due_at"),
                (DateKind::Cutoff, "assignments.cutoff_at"),
            ],
            &mut items,
        )
        .await?;
        self.module_dates(
            actor,
            (from, to, now),
            "JOIN quizzes ON quizzes.module_id = modules.id
             LEFT JOIN quiz_overrides overrides ON overrides.quiz_id = modules.id
               AND overrides.user_id = enrollments.user_id",
            // A student's close is their accommodation's when they have one.
            &[
                (DateKind::Opens, "quizzes.opens_at"),
                (
                    DateKind::Closes,
                    "COALESCE(overrides.closes_at, quizzes.closes_at)",
                ),
            ],
            &mut items,
        )
        .await?;
        items.sort_by(|a, b| {
            (a.at, &a.course.title, a.module_id, a.kind as u8).cmp(&(
                b.at,
                &b.course.title,
                b.module_id,
                b.kind as u8,
            ))
        });
        Ok(items)
    }
}

/// Most waiting first, then the earliest deadline (none last), then the course.
fn sort_to_grade(list: &mut [ToGrade]) {
    list.sort_by(|a, b| {
        b.waiting
            .cmp(&a.waiting)
            .then(a.due_at.is_none().cmp(&b.due_at.is_none()))
            .then(a.due_at.cmp(&b.due_at))
            .then(a.course.title.cmp(&b.course.title))
            .then(a.module_id.cmp(&b.module_id))
    });
}

impl Lms {
    /// The dates of one kind of module in `actor`'s courses within `from`..`to` (`now` for
    /// what the person may see), into `items`, in one query: `joins` brings the module's
    /// table in, and `dates` pairs each kind of date with its SQL expression.
    async fn module_dates(
        &self,
        actor: &User,
        (from, to, now): (Option<DateTime<Utc>>, Option<DateTime<Utc>>, DateTime<Utc>),
        joins: &str,
        dates: &[(DateKind, &str)],
        items: &mut Vec<Dated>,
    ) -> Result<(), LmsError> {
        let mut params = vec![Value::from(actor.id)];
        let mut within = Vec::new();
        let mut columns = Vec::new();
        for (i, (_, column)) in dates.iter().enumerate() {
            columns.push(format!("{column} AS date_{i}"));
            let mut test = vec![format!("{column} IS NOT NULL")];
            if let Some(from) = from {
                params.push(Value::Time(from));
                test.push(format!("{column} >= ${}", params.len()));
            }
            if let Some(to) = to {
                params.push(Value::Time(to));
                test.push(format!("{column} < ${}", params.len()));
            }
            within.push(format!("({})", test.join(" AND ")));
        }
        let sql = format!(
            "SELECT {COURSE}, {SEEN}, modules.id AS module_id, modules.title, {}
             FROM enrollments
             JOIN courses ON courses.id = enrollments.course_id
             JOIN modules ON modules.course_id = courses.id
             {joins}
             WHERE enrollments.user_id = $1 AND modules.deleted_at IS NULL AND ({})",
            columns.join(", "),
            within.join(" OR ")
        );
        let in_range =
            |t: &DateTime<Utc>| from.is_none_or(|f| *t >= f) && to.is_none_or(|e| *t < e);
        for row in &self.db.query(&sql, &params).await? {
            let Some((access, course)) = visible(actor, row)? else {
                continue;
            };
            if !module_seen(access, row, now)? {
                continue;
            }
            let module_id: i64 = row.get("module_id")?;
            let title: String = row.get("title")?;
            for (i, (kind, _)) in dates.iter().enumerate() {
                let at: Option<DateTime<Utc>> = row.get(&format!("date_{i}"))?;
                if let Some(at) = at.filter(in_range) {
                    items.push(Dated {
                        course: course.clone(),
                        module_id,
                        title: title.clone(),
                        kind: *kind,
                        at,
                    });
                }
            }
        }
        Ok(())
    }
}

/// A calendar month, as `/calendar?month=2026-03` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month {
    first: NaiveDate,
}

impl Month {
    /// `2026-03`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.trim().split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let first = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)?;
        Some(Month { first })
    }

    /// The month of `t` in `zone`.
    pub fn of(zone: Zone, t: DateTime<Utc>) -> Month {
        let date = zone.date_of(t);
        Month {
            first: date.with_day(1).unwrap_or(date),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first - chrono::Days::new(1)
    }

    pub fn next(self) -> Month {
        Month {
            first: self.first + Months::new(1),
        }
    }

    pub fn prev(self) -> Month {
        Month {
            first: self.first - Months::new(1),
        }
    }

    /// The instants the month spans in `zone`: from its first midnight to the next month's.
    pub fn span(self, zone: Zone) -> (DateTime<Utc>, DateTime<Utc>) {
        (zone.start_of(self.first), zone.start_of(self.next().first))
    }

    /// The weeks (Monday to Sunday) that hold the month's days, for a grid.
    pub fn weeks(self) -> Vec<[NaiveDate; 7]> {
        let from = self.first.week(Weekday::Mon).first_day();
        let last = self.last_day();
        let mut weeks = Vec::new();
        let mut monday = from;
        while monday <= last {
            weeks.push(std::array::from_fn(|i| {
                monday + chrono::Days::new(i as u64)
            }));
            monday = monday + chrono::Days::new(7);
        }
        weeks
    }

    /// `2026-03`, as the page's address takes it.
    pub fn key(self) -> String {
        self.first.format("%Y-%m").to_string()
    }

    /// `March 2026`.
    pub fn label(self) -> String {
        self.first.format("%B %Y").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_read_stepped_and_laid_out_in_weeks() {
        let march = Month::parse("2026-03").unwrap();
        assert_eq!(march.key(), "2026-03");
        assert_eq!(march.label(), "March 2026");
        assert_eq!(march.prev().key(), "2026-02");
        assert_eq!(march.next().key(), "2026-04");
        assert_eq!(Month::parse("2026-12").unwrap().next().key(), "2027-01");
        assert_eq!(Month::parse("2026-01").unwrap().prev().key(), "2025-12");
        for bad in ["2026-13", "2026-3", "26-03", "march", "", "2026-03-01"] {
            assert_eq!(Month::parse(bad), None, "{bad:?}");
        }
        let weeks = march.weeks();
        // 1 March 2026 is a Sunday: the grid starts on Monday 23 February and ends on
        // Sunday 5 April.
        assert_eq!(weeks.len(), 6);
        assert_eq!(weeks[0][0], NaiveDate::from_ymd_opt(2026, 2, 23).unwrap());
        assert_eq!(weeks[5][6], NaiveDate::from_ymd_opt(2026, 4, 5).unwrap());
        assert_eq!(Month::parse("2021-02").unwrap().weeks().len(), 4);
    }

    #[test]
    fn a_month_spans_the_readers_midnights() {
        let march = Month::parse("2026-03").unwrap();
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        assert_eq!(
            march.span(berlin),
            (t("2026-02-28T23:00:00Z"), t("2026-03-31T22:00:00Z")),
            "CET at the start, CEST at the end"
        );
        let la = Zone::parse("America/Los_Angeles").unwrap();
        assert_eq!(
            march.span(la),
            (t("2026-03-01T08:00:00Z"), t("2026-04-01T07:00:00Z"))
        );
        assert_eq!(Month::of(la, t("2026-04-01T06:59:00Z")), march);
        assert_eq!(
            Month::of(berlin, t("2026-03-31T22:00:00Z")).key(),
            "2026-04"
        );
    }
}
