//! Reads a Paideia LMS 0.7.15 database: one read-only REPEATABLE READ snapshot on a
//! connection that also refuses writes by default, so nothing is ever written to the source.
//! Enums are read as text and numerics as float8 or int8; what we cannot carry is only counted.

use chrono::{DateTime, Utc};

use crate::db::{DatabaseUrl, Db, DbError, Engine, Executor, Row};

pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub salt: Option<String>,
    pub hash: Option<String>,
    pub avatar: bool,
    pub created_at: DateTime<Utc>,
}

pub struct Course {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub description: String,
    pub status: String,
    pub thumbnail: bool,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

pub struct Section {
    pub id: i64,
    pub course_id: i64,
    pub parent_id: Option<i64>,
    pub title: String,
    pub order: f64,
    pub created_at: DateTime<Utc>,
}

pub struct Enrollment {
    pub id: i64,
    pub user_id: Option<i64>,
    pub course_id: Option<i64>,
    pub role: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// A module placed in a course (a `course_activity_module_links` row with its module).
pub struct Link {
    pub id: i64,
    pub course_id: Option<i64>,
    pub section_id: Option<i64>,
    pub order: f64,
    pub settings: serde_json::Value,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub page_id: Option<i64>,
    pub file_id: Option<i64>,
    pub assignment_id: Option<i64>,
    pub discussion_id: Option<i64>,
    pub quiz_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Link {
    /// The course-specific title when the link names one, else the module's.
    pub fn title(&self) -> String {
        self.setting("name")
            .and_then(|v| v.as_str())
            .filter(|s| !s.trim().is_empty())
            .map_or_else(|| self.title.clone(), str::to_string)
    }

    pub fn setting(&self, name: &str) -> Option<&serde_json::Value> {
        self.settings.get("settings")?.get(name)
    }

    /// An ISO-8601 instant from the link's settings.
    pub fn time(&self, name: &str) -> Option<DateTime<Utc>> {
        let text = self.setting(name)?.as_str()?;
        DateTime::parse_from_rfc3339(text).ok().map(|t| t.to_utc())
    }
}

pub struct Media {
    pub id: i64,
    pub filename: String,
    pub size: i64,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

pub struct Assignment {
    pub id: i64,
    pub instructions: String,
    pub max_file_mb: Option<f64>,
    pub max_files: Option<f64>,
    pub require_text: bool,
    pub require_file: bool,
    pub extensions: Vec<String>,
}

pub struct Submission {
    pub id: i64,
    pub link_id: Option<i64>,
    pub student_id: Option<i64>,
    pub attempt: i64,
    pub status: String,
    pub submitted_at: DateTime<Utc>,
    pub content: String,
    pub is_late: bool,
    pub files: Vec<i64>,
}

pub struct Quiz {
    pub instructions: String,
    /// `raw_quiz_config` (`serde_json::Value::Null` when it does not parse).
    pub config: serde_json::Value,
}

/// One stored answer of a quiz attempt.
pub struct QuizAnswer {
    /// `q-mc`, or `nested:q-mc` in a container.
    pub question_id: String,
    pub selected: Option<String>,
    /// Points a grader gave (essays), when any.
    pub points: Option<f64>,
    /// The selected options of choice and ranking answers, in their order.
    pub options: Vec<String>,
}

/// A quiz attempt (instructor previews left out).
pub struct QuizAttempt {
    pub id: i64,
    pub link_id: Option<i64>,
    pub student_id: Option<i64>,
    pub attempt: i64,
    pub status: String,
    pub started_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub answers: Vec<QuizAnswer>,
}

pub struct GradeCategory {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub weight: Option<f64>,
}

pub struct GradeItem {
    pub id: i64,
    pub course_id: Option<i64>,
    pub category_id: Option<i64>,
    pub name: String,
    pub max_grade: f64,
    pub weight: Option<f64>,
    pub extra_credit: bool,
    pub order: f64,
    pub link_id: Option<i64>,
}

pub struct Grade {
    pub id: i64,
    pub user_id: Option<i64>,
    pub item_id: i64,
    pub base: Option<f64>,
    pub overridden: bool,
    pub override_grade: Option<f64>,
    pub adjustment: f64,
    pub feedback: String,
    pub graded_by: Option<i64>,
    pub graded_at: Option<DateTime<Utc>>,
    pub status: String,
}

pub struct Post {
    pub id: i64,
    pub link_id: Option<i64>,
    pub author_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub content: String,
    pub status: String,
    pub pinned: bool,
    pub locked: bool,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

/// What Paideia LMS holds that has no place here yet, counted for the report.
#[derive(Default)]
pub struct Uncarried {
    pub course_categories: i64,
    pub groups: i64,
    pub notes: i64,
    pub upvotes: i64,
    pub grade_categories: i64,
    pub category_roles: i64,
    pub module_grants: i64,
}

/// Everything read from the source, in one snapshot.
pub struct Snapshot {
    pub users: Vec<User>,
    pub courses: Vec<Course>,
    pub sections: Vec<Section>,
    pub enrollments: Vec<Enrollment>,
    pub links: Vec<Link>,
    pub media: Vec<Media>,
    /// `pages.id` → (HTML, embedded media ids)
    pub pages: std::collections::HashMap<i64, (String, Vec<i64>)>,
    /// `files.id` → media ids in order
    pub files: std::collections::HashMap<i64, Vec<i64>>,
    pub assignments: std::collections::HashMap<i64, Assignment>,
    /// `discussions.id` → instructions
    pub discussions: std::collections::HashMap<i64, String>,
    pub submissions: Vec<Submission>,
    /// `quizzes.id` → the quiz
    pub quizzes: std::collections::HashMap<i64, Quiz>,
    pub quiz_attempts: Vec<QuizAttempt>,
    pub categories: Vec<GradeCategory>,
    pub items: Vec<GradeItem>,
    pub grades: Vec<Grade>,
    pub posts: Vec<Post>,
    pub uncarried: Uncarried,
}

/// Opens the source read-only: refuses anything but a PostgreSQL URL.
pub async fn connect(url: &str) -> Result<Db, DbError> {
    let url = DatabaseUrl::parse(url)?;
    if url.engine() != Engine::Postgres {
        return Err(DbError::Url(
            "--from must be Paideia LMS's PostgreSQL URL (postgres://…)".into(),
        ));
    }
    Db::connect(&url, 1).await
}

/// Reads everything in one read-only snapshot.
pub async fn read(db: &Db) -> Result<Snapshot, DbError> {
    let mut conn = db.dedicated().await?;
    conn.execute("SET default_transaction_read_only = on", &[])
        .await?;
    let mut tx = conn.read_transaction(None).await?;
    let snapshot = read_in(&mut tx).await;
    tx.rollback().await?;
    snapshot
}

async fn rows(tx: &mut impl Executor, sql: &str) -> Result<Vec<Row>, DbError> {
    tx.query(sql, &[]).await
}

async fn count(tx: &mut impl Executor, sql: &str) -> Result<i64, DbError> {
    let row = tx.query_one(sql, &[]).await?;
    row.get("n")
}

async fn read_in(tx: &mut impl Executor) -> Result<Snapshot, DbError> {
    let mut users = Vec::new();
    for r in rows(
        tx,
        "SELECT id::int8 AS id, email, coalesce(first_name, '') AS first, coalesce(last_name, '') AS last,
                coalesce(role::text, 'student') AS role, salt, hash, avatar_id IS NOT NULL AS avatar, created_at
         FROM users ORDER BY id",
    )
    .await?
    {
        let email: String = r.get("email")?;
        let name = format!("{} {}", r.get::<String>("first")?, r.get::<String>("last")?)
            .trim()
            .to_string();
        users.push(User {
            id: r.get("id")?,
            name: if name.is_empty() { email.clone() } else { name },
            email,
            role: r.get("role")?,
            salt: r.get("salt")?,
            hash: r.get("hash")?,
            avatar: r.get("avatar")?,
            created_at: r.get("created_at")?,
        });
    }
    let mut courses = Vec::new();
    for r in rows(
        tx,
        "SELECT id::int8 AS id, title, slug, coalesce(description, '') AS description,
                coalesce(status::text, 'draft') AS status, thumbnail_id IS NOT NULL AS thumbnail,
                created_by_id::int8 AS created_by, created_at
         FROM courses ORDER BY id",
    )
    .await?
    {
        courses.push(Course {
            id: r.get("id")?,
            title: r.get("title")?,
            slug: r.get("slug")?,
            description: r.get("description")?,
            status: r.get("status")?,
            thumbnail: r.get("thumbnail")?,
            created_by: r.get("created_by")?,
            created_at: r.get("created_at")?,
        });
    }
    let mut sections = Vec::new();
    for r in rows(
        tx,
        "SELECT id::int8 AS id, course_id::int8 AS course_id, parent_section_id::int8 AS parent_id,
                coalesce(title, '') AS title, coalesce(content_order, 0)::float8 AS ord, created_at
         FROM course_sections WHERE course_id IS NOT NULL ORDER BY course_id, content_order, id",
    )
    .await?
    {
        sections.push(Section {
            id: r.get("id")?,
            course_id: r.get("course_id")?,
            parent_id: r.get("parent_id")?,
            title: r.get("title")?,
            order: r.get("ord")?,
            created_at: r.get("created_at")?,
        });
    }
    let mut enrollments = Vec::new();
    for r in rows(
        tx,
        "SELECT id::int8 AS id, user_id::int8 AS user_id, course_id::int8 AS course_id,
                coalesce(role::text, 'student') AS role, coalesce(status::text, 'active') AS status,
                coalesce(enrolled_at, created_at) AS created_at
         FROM enrollments ORDER BY id",
    )
    .await?
    {
        enrollments.push(Enrollment {
            id: r.get("id")?,
            user_id: r.get("user_id")?,
            course_id: r.get("course_id")?,
            role: r.get("role")?,
            status: r.get("status")?,
            created_at: r.get("created_at")?,
        });
    }
    let mut links = Vec::new();
    for r in rows(
        tx,
        "SELECT l.id::int8 AS id, l.course_id::int8 AS course_id, l.section_id::int8 AS section_id,
                coalesce(l.content_order, 0)::float8 AS ord, coalesce(l.settings::text, '{}') AS settings,
                m.type::text AS kind, coalesce(m.title, '') AS title, coalesce(m.description, '') AS description,
                m.page_id::int8 AS page_id, m.file_id::int8 AS file_id, m.assignment_id::int8 AS assignment_id,
                m.discussion_id::int8 AS discussion_id, m.quiz_id::int8 AS quiz_id, l.created_at, l.updated_at
         FROM course_activity_module_links l JOIN activity_modules m ON m.id = l.activity_module_id
         ORDER BY l.id",
    )
    .await?
    {
        let settings: String = r.get("settings")?;
        links.push(Link {
            id: r.get("id")?,
            course_id: r.get("course_id")?,
            section_id: r.get("section_id")?,
            order: r.get("ord")?,
            settings: serde_json::from_str(&settings).unwrap_or(serde_json::Value::Null),
            kind: r.get("kind")?,
            title: r.get("title")?,
            description: r.get("description")?,
            page_id: r.get("page_id")?,
            file_id: r.get("file_id")?,
            assignment_id: r.get("assignment_id")?,
            discussion_id: r.get("discussion_id")?,
            quiz_id: r.get("quiz_id")?,
            created_at: r.get("created_at")?,
            updated_at: r.get("updated_at")?,
        });
    }
    let mut media = Vec::new();
    for r in rows(
        tx,
        "SELECT id::int8 AS id, filename, coalesce(filesize, -1)::int8 AS size,
                created_by_id::int8 AS created_by, created_at
         FROM media WHERE filename IS NOT NULL ORDER BY id",
    )
    .await?
    {
        media.push(Media {
            id: r.get("id")?,
            filename: r.get("filename")?,
            size: r.get("size")?,
            created_by: r.get("created_by")?,
            created_at: r.get("created_at")?,
        });
    }
    let mut pages = std::collections::HashMap::new();
    for r in rows(
        tx,
        "SELECT id::int8 AS id, coalesce(content, '') AS content FROM pages",
    )
    .await?
    {
        pages.insert(
            r.get::<i64>("id")?,
            (r.get::<String>("content")?, Vec::new()),
        );
    }
    for r in rows(
        tx,
        "SELECT parent_id::int8 AS parent_id, media_id::int8 AS media_id FROM pages_rels
         WHERE media_id IS NOT NULL ORDER BY parent_id, \"order\", id",
    )
    .await?
    {
        if let Some(page) = pages.get_mut(&r.get::<i64>("parent_id")?) {
            page.1.push(r.get("media_id")?);
        }
    }
    let mut files: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for r in rows(
        tx,
        "SELECT parent_id::int8 AS parent_id, media_id::int8 AS media_id FROM files_rels
         WHERE media_id IS NOT NULL ORDER BY parent_id, \"order\", id",
    )
    .await?
    {
        files
            .entry(r.get("parent_id")?)
            .or_default()
            .push(r.get("media_id")?);
    }
    let mut assignments = std::collections::HashMap::new();
    for r in rows(
        tx,
        "SELECT id::int8 AS id, coalesce(instructions, description, '') AS instructions,
                max_file_size::float8 AS max_mb, max_files::float8 AS max_files,
                coalesce(require_text_submission, false) AS req_text,
                coalesce(require_file_submission, false) AS req_file
         FROM assignments",
    )
    .await?
    {
        let id: i64 = r.get("id")?;
        assignments.insert(
            id,
            Assignment {
                id,
                instructions: r.get("instructions")?,
                max_file_mb: r.get("max_mb")?,
                max_files: r.get("max_files")?,
                require_text: r.get("req_text")?,
                require_file: r.get("req_file")?,
                extensions: Vec::new(),
            },
        );
    }
    for r in rows(
        tx,
        "SELECT _parent_id::int8 AS parent_id, extension FROM assignments_allowed_file_types
         WHERE extension IS NOT NULL ORDER BY _parent_id, _order",
    )
    .await?
    {
        if let Some(a) = assignments.get_mut(&r.get::<i64>("parent_id")?) {
            let ext: String = r.get("extension")?;
            a.extensions
                .push(ext.trim().trim_start_matches('.').to_ascii_lowercase());
        }
    }
    let mut discussions = std::collections::HashMap::new();
    for r in rows(
        tx,
        "SELECT id::int8 AS id, coalesce(nullif(instructions, ''), description, '') AS text FROM discussions",
    )
    .await?
    {
        discussions.insert(r.get::<i64>("id")?, r.get::<String>("text")?);
    }
    let mut submissions = Vec::new();
    let mut by_id = std::collections::HashMap::new();
    for r in rows(
        tx,
        "SELECT id::int8 AS id, course_module_link_id::int8 AS link_id, student_id::int8 AS student_id,
                greatest(coalesce(attempt_number, 1), 1)::int8 AS attempt, coalesce(status::text, 'submitted') AS status,
                coalesce(submitted_at, created_at) AS submitted_at, coalesce(content, '') AS content,
                coalesce(is_late, false) AS is_late
         FROM assignment_submissions ORDER BY id",
    )
    .await?
    {
        let id: i64 = r.get("id")?;
        by_id.insert(id, submissions.len());
        submissions.push(Submission {
            id,
            link_id: r.get("link_id")?,
            student_id: r.get("student_id")?,
            attempt: r.get("attempt")?,
            status: r.get("status")?,
            submitted_at: r.get("submitted_at")?,
            content: r.get("content")?,
            is_late: r.get("is_late")?,
            files: Vec::new(),
        });
    }
    for r in rows(
        tx,
        "SELECT _parent_id::int8 AS parent_id, file_id::int8 AS file_id FROM assignment_submissions_attachments
         WHERE file_id IS NOT NULL ORDER BY _parent_id, _order",
    )
    .await?
    {
        if let Some(&i) = by_id.get(&r.get::<i64>("parent_id")?) {
            submissions[i].files.push(r.get("file_id")?);
        }
    }
    let mut quizzes = std::collections::HashMap::new();
    for r in rows(
        tx,
        "SELECT id::int8 AS id, coalesce(nullif(instructions, ''), description, '') AS instructions,
                coalesce(raw_quiz_config::text, 'null') AS config
         FROM quizzes",
    )
    .await?
    {
        let config: String = r.get("config")?;
        quizzes.insert(
            r.get::<i64>("id")?,
            Quiz {
                instructions: r.get("instructions")?,
                config: serde_json::from_str(&config).unwrap_or(serde_json::Value::Null),
            },
        );
    }
    let mut quiz_attempts = Vec::new();
    let mut attempt_at = std::collections::HashMap::new();
    for r in rows(
        tx,
        "SELECT id::int8 AS id, course_module_link_id::int8 AS link_id, student_id::int8 AS student_id,
                greatest(coalesce(attempt_number, 1), 1)::int8 AS attempt,
                coalesce(status::text, 'completed') AS status, coalesce(started_at, created_at) AS started_at,
                submitted_at
         FROM quiz_submissions WHERE NOT coalesce(is_preview, false) ORDER BY id",
    )
    .await?
    {
        let id: i64 = r.get("id")?;
        attempt_at.insert(id, quiz_attempts.len());
        quiz_attempts.push(QuizAttempt {
            id,
            link_id: r.get("link_id")?,
            student_id: r.get("student_id")?,
            attempt: r.get("attempt")?,
            status: r.get("status")?,
            started_at: r.get("started_at")?,
            submitted_at: r.get("submitted_at")?,
            answers: Vec::new(),
        });
    }
    let mut answer_at = std::collections::HashMap::new();
    for r in rows(
        tx,
        "SELECT _parent_id::int8 AS parent_id, id, coalesce(question_id, '') AS question_id, selected_answer,
                points_earned::float8 AS points
         FROM quiz_submissions_answers ORDER BY _parent_id, _order",
    )
    .await?
    {
        if let Some(&i) = attempt_at.get(&r.get::<i64>("parent_id")?) {
            let answers = &mut quiz_attempts[i].answers;
            answer_at.insert(r.get::<String>("id")?, (i, answers.len()));
            answers.push(QuizAnswer {
                question_id: r.get("question_id")?,
                selected: r.get("selected_answer")?,
                points: r.get("points")?,
                options: Vec::new(),
            });
        }
    }
    for r in rows(
        tx,
        "SELECT _parent_id AS parent_id, option FROM quiz_submissions_answers_multiple_choice_answers
         WHERE coalesce(is_selected, false) AND option IS NOT NULL ORDER BY _parent_id, _order",
    )
    .await?
    {
        if let Some(&(i, j)) = answer_at.get(&r.get::<String>("parent_id")?) {
            quiz_attempts[i].answers[j].options.push(r.get("option")?);
        }
    }
    let mut categories = Vec::new();
    for r in rows(
        tx,
        "SELECT id::int8 AS id, parent_id::int8 AS parent_id, weight::float8 AS weight FROM gradebook_categories",
    )
    .await?
    {
        categories.push(GradeCategory {
            id: r.get("id")?,
            parent_id: r.get("parent_id")?,
            weight: r.get("weight")?,
        });
    }
    let mut items = Vec::new();
    for r in rows(
        tx,
        "SELECT i.id::int8 AS id, g.course_id::int8 AS course_id, i.category_id::int8 AS category_id,
                coalesce(i.name, '') AS name, coalesce(i.max_grade, 100)::float8 AS max_grade,
                i.weight::float8 AS weight, coalesce(i.extra_credit, false) AS extra_credit,
                coalesce(i.sort_order, 0)::float8 AS ord, i.activity_module_id::int8 AS link_id
         FROM gradebook_items i JOIN gradebooks g ON g.id = i.gradebook_id
         ORDER BY g.course_id, i.sort_order, i.id",
    )
    .await?
    {
        items.push(GradeItem {
            id: r.get("id")?,
            course_id: r.get("course_id")?,
            category_id: r.get("category_id")?,
            name: r.get("name")?,
            max_grade: r.get("max_grade")?,
            weight: r.get("weight")?,
            extra_credit: r.get("extra_credit")?,
            order: r.get("ord")?,
            link_id: r.get("link_id")?,
        });
    }
    let mut grades = Vec::new();
    for r in rows(
        tx,
        "SELECT g.id::int8 AS id, e.user_id::int8 AS user_id, g.gradebook_item_id::int8 AS item_id,
                g.base_grade::float8 AS base, coalesce(g.is_overridden, false) AS overridden,
                g.override_grade::float8 AS override_grade, coalesce(g.feedback, '') AS feedback,
                g.graded_by_id::int8 AS graded_by, g.graded_at, coalesce(g.status::text, 'graded') AS status,
                coalesce((SELECT sum(a.points) FROM user_grades_adjustments a
                          WHERE a._parent_id = g.id AND coalesce(a.is_active, true)), 0)::float8 AS adjustment
         FROM user_grades g JOIN enrollments e ON e.id = g.enrollment_id
         WHERE g.gradebook_item_id IS NOT NULL ORDER BY g.id",
    )
    .await?
    {
        grades.push(Grade {
            id: r.get("id")?,
            user_id: r.get("user_id")?,
            item_id: r.get("item_id")?,
            base: r.get("base")?,
            overridden: r.get("overridden")?,
            override_grade: r.get("override_grade")?,
            adjustment: r.get("adjustment")?,
            feedback: r.get("feedback")?,
            graded_by: r.get("graded_by")?,
            graded_at: r.get("graded_at")?,
            status: r.get("status")?,
        });
    }
    let mut posts = Vec::new();
    for r in rows(
        tx,
        "SELECT id::int8 AS id, course_module_link_id::int8 AS link_id, student_id::int8 AS author_id,
                parent_thread_id::int8 AS parent_id, coalesce(post_type::text, 'reply') AS kind,
                coalesce(title, '') AS title, coalesce(content, '') AS content,
                coalesce(status::text, 'published') AS status, coalesce(is_pinned, false) AS pinned,
                coalesce(is_locked, false) AS locked, coalesce(published_at, created_at) AS created_at,
                coalesce(last_activity_at, published_at, created_at) AS last_activity_at, edited_at
         FROM discussion_submissions ORDER BY id",
    )
    .await?
    {
        posts.push(Post {
            id: r.get("id")?,
            link_id: r.get("link_id")?,
            author_id: r.get("author_id")?,
            parent_id: r.get("parent_id")?,
            kind: r.get("kind")?,
            title: r.get("title")?,
            content: r.get("content")?,
            status: r.get("status")?,
            pinned: r.get("pinned")?,
            locked: r.get("locked")?,
            created_at: r.get("created_at")?,
            last_activity_at: r.get("last_activity_at")?,
            edited_at: r.get("edited_at")?,
        });
    }
    let uncarried = Uncarried {
        course_categories: count(tx, "SELECT count(*)::int8 AS n FROM course_categories").await?,
        groups: count(tx, "SELECT count(*)::int8 AS n FROM groups").await?,
        notes: count(tx, "SELECT count(*)::int8 AS n FROM notes").await?,
        upvotes: count(
            tx,
            "SELECT count(*)::int8 AS n FROM discussion_submissions_upvotes",
        )
        .await?,
        grade_categories: count(tx, "SELECT count(*)::int8 AS n FROM gradebook_categories").await?,
        category_roles: count(
            tx,
            "SELECT count(*)::int8 AS n FROM category_role_assignments",
        )
        .await?,
        module_grants: count(tx, "SELECT count(*)::int8 AS n FROM activity_module_grants").await?,
    };
    Ok(Snapshot {
        users,
        courses,
        sections,
        enrollments,
        links,
        media,
        pages,
        files,
        assignments,
        discussions,
        submissions,
        quizzes,
        quiz_attempts,
        categories,
        items,
        grades,
        posts,
        uncarried,
    })
}
