//! Realistic, deterministic demo data through the real schema: instructors and students,
//! courses with sections, pages and assignments, enrollments, submissions of realistic size
//! and grades. The same seed and scale always give the same rows.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::{RngExt, SeedableRng, rngs::StdRng};

use bytes::Bytes;
use futures_util::SinkExt;

use crate::db::{Db, DbError, Engine, Executor, Tx, Value};

#[derive(Debug, Default, serde::Serialize)]
pub struct SeedReport {
    pub users: u64,
    pub courses: u64,
    pub enrollments: u64,
    pub modules: u64,
    pub submissions: u64,
    pub grades: u64,
    pub rows: u64,
}

const WORDS: &[&str] = &[
    "the",
    "photosynthesis",
    "equation",
    "history",
    "evidence",
    "argument",
    "cell",
    "energy",
    "poem",
    "river",
    "analysis",
    "because",
    "results",
    "climate",
    "revolution",
    "structure",
    "function",
    "data",
    "we",
    "observed",
    "théorème",
    "größe",
    "naïve",
    "café",
    "résumé",
    "數學",
    "φυσική",
    "and",
    "therefore",
    "which",
    "shows",
];
const SUBJECTS: &[&str] = &[
    "Biology",
    "Algebra",
    "World History",
    "Chemistry",
    "Literature",
    "Physics",
    "Geography",
    "Art",
];

struct Ids {
    user: i64,
    course: i64,
    section: i64,
    module: i64,
    enrollment: i64,
    item: i64,
    submission: i64,
    grade: i64,
}

/// Rows of one table waiting to be inserted in batches.
struct Batch<'a> {
    table: &'a str,
    columns: &'a [&'a str],
    rows: Vec<Vec<Value>>,
    inserted: u64,
}

impl<'a> Batch<'a> {
    fn new(table: &'a str, columns: &'a [&'a str]) -> Self {
        Batch {
            table,
            columns,
            rows: Vec::new(),
            inserted: 0,
        }
    }

    fn push(&mut self, row: Vec<Value>) {
        self.rows.push(row);
    }

    /// Writes the pending rows: PostgreSQL takes them in one COPY, SQLite in INSERTs of a few
    /// thousand parameters each.
    async fn flush(&mut self, tx: &mut Tx<'_>, engine: Engine) -> Result<(), DbError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        if engine == Engine::Postgres {
            return self.copy(tx).await;
        }
        let per_statement = (4000 / self.columns.len()).max(1);
        while !self.rows.is_empty() {
            let chunk: Vec<Vec<Value>> = self
                .rows
                .drain(..per_statement.min(self.rows.len()))
                .collect();
            self.insert(tx, chunk).await?;
        }
        Ok(())
    }

    async fn copy(&mut self, tx: &mut Tx<'_>) -> Result<(), DbError> {
        let sql = format!(
            "COPY {} ({}) FROM STDIN",
            self.table,
            self.columns.join(", ")
        );
        let failed = |e: tokio_postgres::Error| {
            DbError::query(&sql, crate::db::postgres::describe(&e), None)
        };
        let sink = tx.copy_in(&sql).await?;
        futures_util::pin_mut!(sink);
        let mut text = Vec::new();
        for row in self.rows.drain(..) {
            crate::backup::copytext::encode_row(&mut text, &row);
            if text.len() >= COPY_CHUNK {
                sink.send(Bytes::from(std::mem::take(&mut text)))
                    .await
                    .map_err(failed)?;
            }
            self.inserted += 1;
        }
        if !text.is_empty() {
            sink.send(Bytes::from(text)).await.map_err(failed)?;
        }
        sink.as_mut().finish().await.map_err(failed)?;
        Ok(())
    }

    async fn insert(&mut self, tx: &mut Tx<'_>, rows: Vec<Vec<Value>>) -> Result<(), DbError> {
        let width = self.columns.len();
        let groups: Vec<String> = (0..rows.len())
            .map(|r| {
                let marks: Vec<String> =
                    (1..=width).map(|c| format!("${}", r * width + c)).collect();
                format!("({})", marks.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES {}",
            self.table,
            self.columns.join(", "),
            groups.join(", ")
        );
        let params: Vec<Value> = rows.into_iter().flatten().collect();
        tx.execute(&sql, &params).await?;
        self.inserted += (params.len() / width) as u64;
        Ok(())
    }
}

/// Rows kept before they are written (all tables together).
const PENDING_ROWS: usize = 20_000;
/// COPY text sent to the server at a time.
const COPY_CHUNK: usize = 1 << 20;

fn text(rng: &mut StdRng, words: usize) -> String {
    (0..words)
        .map(|_| WORDS[rng.random_range(0..WORDS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

/// A class of about 25 to 45 students drawn from the school, so data grows linearly with scale.
fn class_roster(rng: &mut StdRng, students: &[i64]) -> Vec<i64> {
    let size = rng.random_range(25..=45).min(students.len());
    let start = rng.random_range(0..students.len());
    (0..size)
        .map(|i| students[(start + i * 7) % students.len()])
        .collect()
}

async fn next_id(tx: &mut Tx<'_>, table: &str) -> Result<i64, DbError> {
    let row = tx
        .query_one(
            &format!("SELECT coalesce(max(id), 0) AS m FROM {table}"),
            &[],
        )
        .await?;
    Ok(row.get::<i64>("m")? + 1)
}

/// True when the database already has users.
pub async fn has_users(db: &Db) -> Result<bool, DbError> {
    Ok(db
        .query_one("SELECT count(*) AS n FROM users", &[])
        .await?
        .get::<i64>("n")?
        > 0)
}

/// Inserts `scale` units of data in one transaction; returns what it added.
pub async fn seed(
    db: &Db,
    scale: u32,
    seed: u64,
    now: DateTime<Utc>,
) -> Result<SeedReport, DbError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let engine = db.engine();
    let mut conn = db.conn().await?;
    let mut tx = conn.transaction().await?;
    let mut ids = Ids {
        user: next_id(&mut tx, "users").await?,
        course: next_id(&mut tx, "courses").await?,
        section: next_id(&mut tx, "sections").await?,
        module: next_id(&mut tx, "modules").await?,
        enrollment: next_id(&mut tx, "enrollments").await?,
        item: next_id(&mut tx, "gradebook_items").await?,
        submission: next_id(&mut tx, "submissions").await?,
        grade: next_id(&mut tx, "grades").await?,
    };
    let first_user = ids.user;
    let epoch = Utc
        .timestamp_opt(now.timestamp() - 90 * 86_400, 0)
        .single()
        .unwrap_or(now);
    let mut users = Batch::new(
        "users",
        &[
            "id",
            "email",
            "display_name",
            "password_hash",
            "role",
            "created_at",
            "updated_at",
        ],
    );
    let mut courses = Batch::new(
        "courses",
        &[
            "id",
            "slug",
            "title",
            "description",
            "status",
            "created_by",
            "created_at",
            "updated_at",
        ],
    );
    let mut sections = Batch::new(
        "sections",
        &["id", "course_id", "title", "position", "created_at"],
    );
    let mut enrollments = Batch::new(
        "enrollments",
        &["id", "course_id", "user_id", "role", "created_at"],
    );
    let mut modules = Batch::new(
        "modules",
        &[
            "id",
            "course_id",
            "section_id",
            "kind",
            "title",
            "position",
            "body_html",
            "created_at",
            "updated_at",
        ],
    );
    let mut assignments = Batch::new(
        "assignments",
        &[
            "module_id",
            "instructions_html",
            "opens_at",
            "due_at",
            "cutoff_at",
            "max_attempts",
            "max_points",
        ],
    );
    let mut items = Batch::new(
        "gradebook_items",
        &[
            "id",
            "course_id",
            "module_id",
            "title",
            "max_points",
            "weight",
            "position",
            "created_at",
        ],
    );
    let mut submissions = Batch::new(
        "submissions",
        &[
            "id",
            "assignment_id",
            "student_id",
            "attempt",
            "body_text",
            "submitted_at",
            "is_late",
        ],
    );
    let mut grades = Batch::new(
        "grades",
        &[
            "id",
            "item_id",
            "student_id",
            "points",
            "feedback",
            "graded_by",
            "graded_at",
            "released_at",
        ],
    );

    let (instructors, students) = (5 * scale as i64, 100 * scale as i64);
    for n in 0..instructors + students {
        let id = ids.user;
        ids.user += 1;
        let role = if n < instructors {
            "instructor"
        } else {
            "student"
        };
        let created = epoch + Duration::minutes(n);
        users.push(vec![
            id.into(),
            format!("{role}{id}@school.example").into(),
            format!(
                "{} {id}",
                if n < instructors {
                    "Teacher"
                } else {
                    "Student"
                }
            )
            .into(),
            "!seeded-account-without-password".into(),
            role.into(),
            created.into(),
            created.into(),
        ]);
        if users.rows.len() >= PENDING_ROWS {
            users.flush(&mut tx, engine).await?;
        }
    }
    users.flush(&mut tx, engine).await?;
    let student_ids: Vec<i64> =
        (first_user + instructors..first_user + instructors + students).collect();

    for c in 0..4 * scale as i64 {
        let course = ids.course;
        ids.course += 1;
        let teacher = first_user + c % instructors;
        let subject = SUBJECTS[(c as usize) % SUBJECTS.len()];
        let created = epoch + Duration::hours(c);
        courses.push(vec![
            course.into(),
            format!("{}-{course}", subject.to_lowercase().replace(' ', "-")).into(),
            format!("{subject} {course}").into(),
            format!("<p>{}</p>", text(&mut rng, 40)).into(),
            "published".into(),
            teacher.into(),
            created.into(),
            created.into(),
        ]);
        enrollments.push(vec![
            ids.enrollment.into(),
            course.into(),
            teacher.into(),
            "teacher".into(),
            created.into(),
        ]);
        ids.enrollment += 1;
        let roster = class_roster(&mut rng, &student_ids);
        for &student in &roster {
            enrollments.push(vec![
                ids.enrollment.into(),
                course.into(),
                student.into(),
                "student".into(),
                created.into(),
            ]);
            ids.enrollment += 1;
        }
        for s in 0..4 {
            let section = ids.section;
            ids.section += 1;
            sections.push(vec![
                section.into(),
                course.into(),
                format!("Week {}", s + 1).into(),
                (s as i64).into(),
                created.into(),
            ]);
            for m in 0..2 {
                let module = ids.module;
                ids.module += 1;
                let is_assignment = m == 1 && s < 3;
                let kind = if is_assignment { "assignment" } else { "page" };
                let body: Value = if is_assignment {
                    Value::Null
                } else {
                    format!("<h2>Reading</h2><p>{}</p>", text(&mut rng, 150)).into()
                };
                modules.push(vec![
                    module.into(),
                    course.into(),
                    section.into(),
                    kind.into(),
                    format!(
                        "{} {}",
                        if is_assignment { "Essay" } else { "Notes" },
                        s + 1
                    )
                    .into(),
                    (m as i64).into(),
                    body,
                    created.into(),
                    created.into(),
                ]);
                if !is_assignment {
                    continue;
                }
                let due = epoch + Duration::days(14 * (s as i64 + 1));
                assignments.push(vec![
                    module.into(),
                    format!("<p>{}</p>", text(&mut rng, 60)).into(),
                    epoch.into(),
                    due.into(),
                    (due + Duration::days(3)).into(),
                    3i64.into(),
                    100.0f64.into(),
                ]);
                let item = ids.item;
                ids.item += 1;
                items.push(vec![
                    item.into(),
                    course.into(),
                    module.into(),
                    format!("Essay {}", s + 1).into(),
                    100.0f64.into(),
                    1.0f64.into(),
                    (s as i64).into(),
                    created.into(),
                ]);
                for &student in &roster {
                    if !rng.random_bool(0.9) {
                        continue;
                    }
                    let late = rng.random_bool(0.1);
                    let at = due
                        + Duration::minutes(if late {
                            rng.random_range(1..2000)
                        } else {
                            -rng.random_range(1..5000)
                        });
                    let words = rng.random_range(40..600);
                    submissions.push(vec![
                        ids.submission.into(),
                        module.into(),
                        student.into(),
                        1i64.into(),
                        text(&mut rng, words).into(),
                        at.into(),
                        late.into(),
                    ]);
                    ids.submission += 1;
                    if rng.random_bool(0.8) {
                        let points = (rng.random_range(40.0..100.0f64) * 2.0).round() / 2.0;
                        let released: Value = if rng.random_bool(0.7) {
                            (at + Duration::days(2)).into()
                        } else {
                            Value::Null
                        };
                        grades.push(vec![
                            ids.grade.into(),
                            item.into(),
                            student.into(),
                            points.into(),
                            text(&mut rng, 12).into(),
                            teacher.into(),
                            (at + Duration::days(1)).into(),
                            released,
                        ]);
                        ids.grade += 1;
                    }
                }
            }
        }
        let pending = enrollments.rows.len() + submissions.rows.len() + grades.rows.len();
        if pending < PENDING_ROWS && c + 1 < 4 * scale as i64 {
            continue;
        }
        // Parents before children, so foreign keys hold at every statement.
        for batch in [
            &mut courses,
            &mut sections,
            &mut enrollments,
            &mut modules,
            &mut assignments,
            &mut items,
            &mut submissions,
            &mut grades,
        ] {
            batch.flush(&mut tx, engine).await?;
        }
    }
    let mut report = SeedReport::default();
    for batch in [
        &users,
        &courses,
        &sections,
        &enrollments,
        &modules,
        &assignments,
        &items,
        &submissions,
        &grades,
    ] {
        report.rows += batch.inserted;
    }
    for sql in crate::backup::sequence_resets(&mut tx, db.engine()).await? {
        tx.batch_execute(&sql).await?;
    }
    tx.commit().await?;
    report.users = users.inserted;
    report.courses = courses.inserted;
    report.enrollments = enrollments.inserted;
    report.modules = modules.inserted;
    report.submissions = submissions.inserted;
    report.grades = grades.inserted;
    Ok(report)
}
