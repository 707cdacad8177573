//! Courses: creating one (with its root section and its creator as teacher), editing, listing
//! a person's courses, and `CourseView`, the only way to reach a course: it carries the
//! person's access and answers `NotFound` whenever a rule says no.

use chrono::{DateTime, Utc};

use super::{
    CourseRole, FieldErrors, Lms, LmsError, User,
    permissions::{self, Access},
    text_enum::text_enum,
    validate,
};
use crate::db::{Executor, Row, Value};

text_enum!(
    /// Whether students can see a course.
    CourseStatus {
        Draft => "draft", "Draft",
        Published => "published", "Published",
        Archived => "archived", "Archived",
    }
);

pub const ROOT_SECTION_TITLE: &str = "Course content";
const MAX_DESCRIPTION_CHARS: usize = 10_000;
const COURSE_COLUMNS: &str = "courses.id, courses.slug, courses.title, courses.description, courses.status, courses.created_at";

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Course {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub status: CourseStatus,
    pub created_at: DateTime<Utc>,
}

/// A course form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CourseInput {
    pub title: String,
    pub slug: String,
    pub description: String,
    pub status: String,
}

/// A course seen by one person, who may at least view it.
#[derive(Clone, Debug)]
pub struct CourseView {
    course: Course,
    access: Access,
}

impl CourseView {
    pub fn course(&self) -> &Course {
        &self.course
    }

    pub fn access(&self) -> Access {
        self.access
    }

    /// `NotFound` unless `rule` allows this person; a refusal looks like a missing course.
    pub fn require(&self, rule: fn(Access) -> bool) -> Result<(), LmsError> {
        if rule(self.access) {
            Ok(())
        } else {
            Err(LmsError::NotFound)
        }
    }
}

impl CourseInput {
    /// The form filled in with a course's current values.
    pub fn from_course(course: &Course) -> CourseInput {
        CourseInput {
            title: course.title.clone(),
            slug: course.slug.clone(),
            description: course.description.clone(),
            status: course.status.as_str().to_string(),
        }
    }
}

impl Course {
    fn from_row(row: &Row) -> Result<Course, LmsError> {
        Ok(Course {
            id: row.get("id")?,
            slug: row.get("slug")?,
            title: row.get("title")?,
            description: row.get("description")?,
            status: row.get("status")?,
            created_at: row.get("created_at")?,
        })
    }
}

pub(super) struct CleanCourse {
    title: String,
    slug: String,
    description: String,
    status: CourseStatus,
}

pub(super) fn clean(input: &CourseInput) -> Result<CleanCourse, LmsError> {
    let mut errors = FieldErrors::default();
    let title = validate::text(&mut errors, "title", &input.title, 200);
    let slug = validate::slug(&mut errors, "slug", &input.slug);
    let description = input.description.trim().to_string();
    errors.check(
        description.chars().count() <= MAX_DESCRIPTION_CHARS,
        "description",
        format!("use at most {MAX_DESCRIPTION_CHARS} characters"),
    );
    let status = CourseStatus::parse(&input.status);
    errors.check(
        status.is_some(),
        "status",
        "choose draft, published or archived",
    );
    errors.into_result()?;
    Ok(CleanCourse {
        title,
        slug,
        description,
        status: status.unwrap_or(CourseStatus::Draft),
    })
}

/// Inserts a course and enrolls `actor` as its teacher (no sections yet).
pub(super) async fn insert_course(
    tx: &mut impl Executor,
    actor: &User,
    c: &CleanCourse,
    now: DateTime<Utc>,
) -> Result<Course, LmsError> {
    let now = Value::Time(now);
    let row = tx
        .query_one(
            &format!(
                "INSERT INTO courses (slug, title, description, status, created_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {COURSE_COLUMNS}"
            ),
            &[c.slug.as_str().into(), c.title.as_str().into(), c.description.as_str().into(), c.status.into(), actor.id.into(), now.clone()],
        )
        .await
        .map_err(slug_taken)?;
    let course = Course::from_row(&row)?;
    tx.execute(
        "INSERT INTO enrollments (course_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)",
        &[
            course.id.into(),
            actor.id.into(),
            CourseRole::Teacher.into(),
            now,
        ],
    )
    .await?;
    Ok(course)
}

fn slug_taken(e: crate::db::DbError) -> LmsError {
    if e.is_unique_violation() {
        LmsError::field("slug", "another course already uses this address")
    } else {
        e.into()
    }
}

impl Lms {
    /// Creates a course with a root section and enrolls `actor` as its teacher.
    pub async fn create_course(
        &self,
        actor: &User,
        input: &CourseInput,
    ) -> Result<Course, LmsError> {
        if !permissions::can_create_course(actor.role) {
            return Err(LmsError::NotFound);
        }
        let c = clean(input)?;
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let course = insert_course(&mut tx, actor, &c, now).await?;
        tx.execute(
            "INSERT INTO sections (course_id, parent_id, title, position, created_at) VALUES ($1, NULL, $2, 0, $3)",
            &[course.id.into(), ROOT_SECTION_TITLE.into(), Value::Time(now)],
        )
        .await?;
        tx.commit().await?;
        Ok(course)
    }

    /// The course at `slug` as `actor` sees it; `NotFound` when it is missing or hidden.
    pub async fn course_view(&self, actor: &User, slug: &str) -> Result<CourseView, LmsError> {
        Ok(self.course_view_and(actor, slug, "", &[]).await?.0)
    }

    /// `course_view` with more columns of the course's row (`extra`, starting with a comma,
    /// its parameters from `$3`), read in the same statement; the row comes back with them.
    pub(crate) async fn course_view_and(
        &self,
        actor: &User,
        slug: &str,
        extra: &str,
        values: &[Value],
    ) -> Result<(CourseView, Row), LmsError> {
        let sql = format!(
            "SELECT {COURSE_COLUMNS}, enrollments.role AS course_role{extra} FROM courses
             LEFT JOIN enrollments ON enrollments.course_id = courses.id AND enrollments.user_id = $2
             WHERE courses.slug = $1"
        );
        let mut all = vec![slug.into(), actor.id.into()];
        all.extend_from_slice(values);
        let row = self.db.query_opt(&sql, &all).await?;
        let row = row.ok_or(LmsError::NotFound)?;
        let course = Course::from_row(&row)?;
        let access = Access {
            system: actor.role,
            course: row.get("course_role")?,
        };
        if !permissions::can_view_course(access, course.status) {
            return Err(LmsError::NotFound);
        }
        Ok((CourseView { course, access }, row))
    }

    pub async fn update_course(
        &self,
        view: &CourseView,
        input: &CourseInput,
    ) -> Result<Course, LmsError> {
        view.require(permissions::can_edit_course)?;
        let c = clean(input)?;
        let row = self
            .db
            .query_one(
                &format!(
                    "UPDATE courses SET slug = $2, title = $3, description = $4, status = $5, updated_at = $6
                     WHERE id = $1 RETURNING {COURSE_COLUMNS}"
                ),
                &[view.course.id.into(), c.slug.into(), c.title.into(), c.description.into(), c.status.into(), Value::Time(self.now())],
            )
            .await
            .map_err(slug_taken)?;
        Course::from_row(&row)
    }

    /// The courses `actor` may see, by title, with their role in each; admins see all.
    pub async fn my_courses(
        &self,
        actor: &User,
    ) -> Result<Vec<(Course, Option<CourseRole>)>, LmsError> {
        let join = if permissions::can_administer_site(actor.role) {
            "LEFT JOIN"
        } else {
            "JOIN"
        };
        let sql = format!(
            "SELECT {COURSE_COLUMNS}, enrollments.role AS course_role FROM courses
             {join} enrollments ON enrollments.course_id = courses.id AND enrollments.user_id = $1
             ORDER BY courses.title, courses.id"
        );
        let mut courses = Vec::new();
        for row in self.db.query(&sql, &[actor.id.into()]).await? {
            let course = Course::from_row(&row)?;
            let role: Option<CourseRole> = row.get("course_role")?;
            if permissions::can_view_course(
                Access {
                    system: actor.role,
                    course: role,
                },
                course.status,
            ) {
                courses.push((course, role));
            }
        }
        Ok(courses)
    }
}
