//! Who is in a course and in which role: enrolling by email one at a time or from a CSV file
//! (`email,role` per line, all or nothing), changing a role by enrolling again, unenrolling.
//! A course always keeps at least one teacher. Large classes are read a page at a time
//! (`find_enrollments`) and summed up by role (`course_view_counted`), never listed whole on a page.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::{
    CourseRole, FieldErrors, LineError, Lms, LmsError, User, accounts::USER_COLUMNS,
    courses::CourseView, permissions, validate,
};
use crate::db::{Executor, Tx, Value};

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Enrollment {
    pub user: User,
    pub role: CourseRole,
    pub enrolled_at: DateTime<Utc>,
}

/// A page of a course's people from `find_enrollments`.
#[derive(Clone, Debug)]
pub struct EnrollmentPage {
    pub people: Vec<Enrollment>,
    /// People matching the search, on every page.
    pub total: i64,
    /// This page (1-based), how many there are, and how many people a page holds.
    pub page: i64,
    pub pages: i64,
    pub per_page: i64,
}

impl EnrollmentPage {
    /// The 1-based positions of this page's first and last person, `None` when it is empty.
    pub fn range(&self) -> Option<(i64, i64)> {
        let first = (self.page - 1) * self.per_page + 1;
        let len = self.people.len() as i64;
        (len > 0).then(|| (first, first + len - 1))
    }
}

/// How many people a course has in each role.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoleCounts {
    pub teachers: i64,
    pub tas: i64,
    pub students: i64,
}

/// `text` as a `LIKE … ESCAPE '\'` pattern matching it anywhere (`%` and `_` literal).
fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// One valid CSV line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvRow {
    pub line: usize,
    pub email: String,
    pub role: CourseRole,
}

/// Parses `email,role` lines. Blank lines, a UTF-8 byte-order mark and an `email,role` header
/// are skipped; every other line must be valid and name each email once. Returns the good
/// lines and every bad one (with all of a line's problems), so one pass lists them all.
pub fn parse_csv(text: &str) -> (Vec<CsvRow>, Vec<LineError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (index, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = index + 1;
        let fields: Vec<&str> = raw
            .split(',')
            .map(|f| f.trim().trim_matches('"').trim())
            .collect();
        if fields.iter().all(|f| f.is_empty())
            || (rows.is_empty() && errors.is_empty() && is_header(&fields))
        {
            continue;
        }
        let mut problem = |message: String| errors.push(LineError { line, message });
        let [email, role] = fields[..] else {
            problem(format!(
                "expected `email,role`, found {} field(s)",
                fields.len()
            ));
            continue;
        };
        let mut field_errors = FieldErrors::default();
        let email = validate::email(&mut field_errors, "email", email);
        let mut messages = Vec::new();
        if let Some(e) = field_errors.get("email") {
            messages.push(format!("{e} (found {email:?})"));
        } else if !seen.insert(email.clone()) {
            messages.push(format!("{email} appears more than once"));
        }
        let role_parsed = CourseRole::parse(role);
        if role_parsed.is_none() {
            messages.push(format!("unknown role {role:?}; use teacher, ta or student"));
        }
        match role_parsed {
            Some(role) if messages.is_empty() => rows.push(CsvRow { line, email, role }),
            _ => problem(messages.join("; ")),
        }
    }
    (rows, errors)
}

fn is_header(fields: &[&str]) -> bool {
    fields.len() == 2
        && fields[0].eq_ignore_ascii_case("email")
        && fields[1].eq_ignore_ascii_case("role")
}

impl Lms {
    /// Everyone enrolled, teachers first, then by name.
    pub async fn enrollments(&self, view: &CourseView) -> Result<Vec<Enrollment>, LmsError> {
        view.require(permissions::can_see_people)?;
        let sql = format!(
            "SELECT {USER_COLUMNS}, enrollments.role AS course_role, enrollments.created_at AS enrolled_at
             FROM enrollments JOIN users ON users.id = enrollments.user_id
             WHERE enrollments.course_id = $1 ORDER BY users.display_name, users.id"
        );
        let mut people = Vec::new();
        for row in self.db.query(&sql, &[view.course().id.into()]).await? {
            people.push(Enrollment {
                user: User::from_row(&row)?,
                role: row.get("course_role")?,
                enrolled_at: row.get("enrolled_at")?,
            });
        }
        people.sort_by_key(|e| CourseRole::ALL.iter().position(|r| *r == e.role));
        Ok(people)
    }

    /// One page (1-based, clamped to the last) of the people whose name or email contains
    /// `query` (any case; empty: everyone), teachers first, then TAs, then students, each by
    /// name. Two statements whatever the class size: the count and the page.
    pub async fn find_enrollments(
        &self,
        view: &CourseView,
        query: &str,
        page: i64,
        per_page: i64,
    ) -> Result<EnrollmentPage, LmsError> {
        view.require(permissions::can_see_people)?;
        let query = query.trim().to_lowercase();
        let pattern = contains_pattern(&query);
        let filter = "enrollments.course_id = $1 AND ($2 = ''
                       OR lower(users.email) LIKE $3 ESCAPE '\\'
                       OR lower(users.display_name) LIKE $3 ESCAPE '\\')";
        let course: Value = view.course().id.into();
        let total: i64 = self
            .db
            .query_one(
                &format!(
                    "SELECT count(*) AS n FROM enrollments JOIN users ON users.id = enrollments.user_id
                     WHERE {filter}"
                ),
                &[course.clone(), query.clone().into(), pattern.clone().into()],
            )
            .await?
            .get("n")?;
        let per_page = per_page.clamp(1, 500);
        let pages = ((total + per_page - 1) / per_page).max(1);
        let page = page.clamp(1, pages);
        let sql = format!(
            "SELECT {USER_COLUMNS}, enrollments.role AS course_role, enrollments.created_at AS enrolled_at
             FROM enrollments JOIN users ON users.id = enrollments.user_id
             WHERE {filter}
             ORDER BY CASE enrollments.role WHEN 'teacher' THEN 0 WHEN 'ta' THEN 1 ELSE 2 END,
                      lower(users.display_name), users.id
             LIMIT $4 OFFSET $5"
        );
        let params = [
            course,
            query.into(),
            pattern.into(),
            per_page.into(),
            ((page - 1) * per_page).into(),
        ];
        let mut people = Vec::new();
        for row in self.db.query(&sql, &params).await? {
            people.push(Enrollment {
                user: User::from_row(&row)?,
                role: row.get("course_role")?,
                enrolled_at: row.get("enrolled_at")?,
            });
        }
        Ok(EnrollmentPage {
            people,
            total,
            page,
            pages,
            per_page,
        })
    }

    /// `course_view` and how many teachers, TAs and students the course has (for those who
    /// may see its people), in one statement.
    pub async fn course_view_counted(
        &self,
        actor: &User,
        slug: &str,
    ) -> Result<(CourseView, Option<RoleCounts>), LmsError> {
        // In the course's own statement: the course page is read most, and a round trip
        // costs more than three counts over the course's index.
        let count = |n: usize, name: &str| {
            format!(
                ", (SELECT COUNT(*) FROM enrollments people
                    WHERE people.course_id = courses.id AND people.role = ${n}) AS {name}"
            )
        };
        let extra = [count(3, "teachers"), count(4, "tas"), count(5, "students")].concat();
        let roles = [CourseRole::Teacher, CourseRole::Ta, CourseRole::Student].map(Value::from);
        let (view, row) = self.course_view_and(actor, slug, &extra, &roles).await?;
        if !permissions::can_see_people(view.access()) {
            return Ok((view, None));
        }
        let counts = RoleCounts {
            teachers: row.get("teachers")?,
            tas: row.get("tas")?,
            students: row.get("students")?,
        };
        Ok((view, Some(counts)))
    }

    /// Enrolls the account with `email`, or changes its role when already enrolled.
    pub async fn enroll(
        &self,
        view: &CourseView,
        email: &str,
        role: &str,
    ) -> Result<User, LmsError> {
        view.require(permissions::can_manage_enrollments)?;
        let mut errors = FieldErrors::default();
        let email = validate::email(&mut errors, "email", email);
        let role = CourseRole::parse(role);
        errors.check(role.is_some(), "role", "choose teacher, ta or student");
        errors.into_result()?;
        let user = match self.user_by_email(&email).await {
            Err(LmsError::NotFound) => {
                return Err(LmsError::field("email", "no account has this email"));
            }
            other => other?,
        };
        let role = role.unwrap_or(CourseRole::Student);
        self.apply(view, |tx, course, now| {
            Box::pin(upsert(tx, course, user.id, role, now))
        })
        .await?;
        Ok(user)
    }

    /// Enrolls every line of a CSV file, or nothing when any line is wrong. Returns how many.
    pub async fn enroll_csv(&self, view: &CourseView, text: &str) -> Result<usize, LmsError> {
        view.require(permissions::can_manage_enrollments)?;
        let (rows, mut errors) = parse_csv(text);
        if rows.is_empty() && errors.is_empty() {
            return Err(LmsError::field("csv", "the file has no `email,role` lines"));
        }
        let mut resolved = Vec::new();
        for row in &rows {
            match self.user_by_email(&row.email).await {
                Ok(user) => resolved.push((user.id, row.role)),
                Err(LmsError::NotFound) => errors.push(LineError {
                    line: row.line,
                    message: format!("no account has the email {}", row.email),
                }),
                Err(e) => return Err(e),
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Err(LmsError::Csv(errors));
        }
        self.apply(view, |tx, course, now| {
            Box::pin(async move {
                for (user, role) in resolved {
                    upsert(tx, course, user, role, now).await?;
                }
                Ok(())
            })
        })
        .await?;
        Ok(rows.len())
    }

    pub async fn unenroll(&self, view: &CourseView, user_id: i64) -> Result<(), LmsError> {
        view.require(permissions::can_manage_enrollments)?;
        self.apply(view, |tx, course, _| {
            Box::pin(async move {
                let sql = "DELETE FROM enrollments WHERE course_id = $1 AND user_id = $2";
                match tx.execute(sql, &[course.into(), user_id.into()]).await? {
                    0 => Err(LmsError::NotFound),
                    _ => Ok(()),
                }
            })
        })
        .await
    }

    /// Runs `change` in a transaction that commits only if the course still has a teacher.
    async fn apply<F>(&self, view: &CourseView, change: F) -> Result<(), LmsError>
    where
        F: for<'t, 'c> FnOnce(
            &'t mut Tx<'c>,
            i64,
            DateTime<Utc>,
        ) -> futures_util::future::BoxFuture<'t, Result<(), LmsError>>,
    {
        let course = view.course().id;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        change(&mut tx, course, self.now()).await?;
        let teachers = tx
            .query_one(
                "SELECT count(*) AS n FROM enrollments WHERE course_id = $1 AND role = 'teacher'",
                &[course.into()],
            )
            .await?;
        if teachers.get::<i64>("n")? == 0 {
            return Err(LmsError::field(
                "role",
                "a course needs at least one teacher; enroll another teacher first",
            ));
        }
        tx.commit().await?;
        Ok(())
    }
}

async fn upsert(
    tx: &mut Tx<'_>,
    course: i64,
    user: i64,
    role: CourseRole,
    now: DateTime<Utc>,
) -> Result<(), LmsError> {
    tx.execute(
        "INSERT INTO enrollments (course_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (course_id, user_id) DO UPDATE SET role = excluded.role",
        &[course.into(), user.into(), role.into(), Value::Time(now)],
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_patterns_take_wildcards_literally() {
        assert_eq!(contains_pattern("ada"), "%ada%");
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn a_page_knows_its_range() {
        let one = Enrollment {
            user: User {
                id: 1,
                email: "a@example.org".into(),
                display_name: "A".into(),
                role: super::super::SystemRole::Student,
                disabled: false,
                created_at: DateTime::UNIX_EPOCH,
                time_zone: None,
            },
            role: CourseRole::Student,
            enrolled_at: DateTime::UNIX_EPOCH,
        };
        let page = |page, len| EnrollmentPage {
            people: vec![one.clone(); len],
            total: 312,
            page,
            pages: 7,
            per_page: 20,
        };
        assert_eq!(page(2, 20).range(), Some((21, 40)));
        assert_eq!(page(7, 12).range(), Some((121, 132)));
        assert_eq!(page(1, 0).range(), None);
    }

    #[test]
    fn csv_lines_are_checked_one_by_one() {
        let ok = "\u{feff}Email,Role\nada@example.org, Student\n\n\"bob@example.org\",ta\n";
        let (rows, errors) = parse_csv(ok);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].role, CourseRole::Ta);

        let bad = "ada@example.org,student\nnot-an-email,student\ncy@example.org,dean\nada@example.org,ta\nx\nnope,dean";
        let (_, errors) = parse_csv(bad);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6], "{errors:?}");
        assert!(
            errors[4].message.contains("email") && errors[4].message.contains("dean"),
            "both problems of one line: {errors:?}"
        );
    }
}
