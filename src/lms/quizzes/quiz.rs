//! A quiz as a course module (a `modules` row of kind `page` plus a `quizzes` row, read as
//! `quiz` through `modules::KIND_SQL`): its settings, its questions (`quiz_slots`: a fixed
//! bank question, or one drawn at random from a category per attempt), per-student
//! accommodations (`quiz_overrides`) and its gradebook item, made with the quiz. Attempts,
//! marking and review are `attempts`.

use chrono::{DateTime, Duration, Utc};

use super::{Fixed, bank};
use crate::{
    db::{Executor, Row, Value},
    lms::{
        FieldErrors, Lms, LmsError, User, Zone,
        assignments::time,
        attachments::{Saved, Slot, TextEdit},
        courses::CourseView,
        modules::{Module, ModuleKind, NewModule, check_placement},
        permissions,
        richtext::{MAX_TEXT_BYTES, RichText},
        text_enum::text_enum,
    },
};

text_enum!(
    /// How a student's attempts make the quiz grade.
    GradingMethod {
        Highest => "highest", "Highest attempt",
        Last => "last", "Last attempt",
        Average => "average", "Average of attempts",
        First => "first", "First attempt",
    }
);

text_enum!(
    /// Whether a student may go back to earlier pages of an attempt.
    Navigation {
        Free => "free", "Free: any page, any order",
        Sequential => "sequential", "Sequential: forward only",
    }
);

text_enum!(
    /// When students see something of their finished attempts.
    ReviewWhen {
        Immediately => "immediately", "Immediately after the attempt",
        AfterClose => "after_close", "After the quiz closes",
        Never => "never", "Never",
    }
);

/// The points a quiz is out of when none are given.
const DEFAULT_POINTS: f64 = 10.0;
/// The longest time limit, in minutes (a week).
const MAX_LIMIT_MINUTES: i64 = 7 * 24 * 60;

fn as_text<S: serde::Serializer, T: std::fmt::Display>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&v.to_string())
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Quiz {
    /// The quiz's module: title, section, description (`body_html`), visibility.
    pub module: Module,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub time_limit_seconds: Option<i64>,
    pub max_attempts: Option<i64>,
    #[serde(serialize_with = "as_text")]
    pub grading_method: GradingMethod,
    pub shuffle_questions: bool,
    pub shuffle_answers: bool,
    /// 0: every question on one page.
    pub questions_per_page: i64,
    #[serde(serialize_with = "as_text")]
    pub navigation: Navigation,
    /// Asked before an attempt starts; never serialized.
    #[serde(skip)]
    pub password: Option<String>,
    pub has_password: bool,
    #[serde(serialize_with = "as_text")]
    pub review_marks: ReviewWhen,
    #[serde(serialize_with = "as_text")]
    pub review_answers: ReviewWhen,
    #[serde(serialize_with = "as_text")]
    pub review_feedback: ReviewWhen,
    pub max_points: f64,
}

/// A quiz form as typed: times as `datetime-local` values read in `zone`, or RFC 3339.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct QuizInput {
    #[serde(skip)]
    pub zone: Zone,
    pub section_id: String,
    pub title: String,
    pub description: String,
    pub description_format: String,
    pub opens_at: String,
    pub closes_at: String,
    /// Whole minutes; empty: no limit.
    pub time_limit_minutes: String,
    /// Empty: unlimited.
    pub max_attempts: String,
    pub grading_method: String,
    pub shuffle_questions: Option<String>,
    pub shuffle_answers: Option<String>,
    /// 0 or empty: all on one page.
    pub questions_per_page: String,
    pub navigation: String,
    pub password: String,
    pub review_marks: String,
    pub review_answers: String,
    pub review_feedback: String,
    pub max_points: String,
}

impl QuizInput {
    pub fn description_text(&self) -> RichText {
        RichText::from_form(&self.description_format, &self.description)
    }

    /// A new quiz's form: Moodle-like defaults.
    pub fn new_in(section_id: &str) -> QuizInput {
        QuizInput {
            section_id: section_id.into(),
            description_format: "markdown".into(),
            grading_method: GradingMethod::Highest.as_str().into(),
            shuffle_answers: Some("true".into()),
            navigation: Navigation::Free.as_str().into(),
            review_marks: ReviewWhen::AfterClose.as_str().into(),
            review_answers: ReviewWhen::AfterClose.as_str().into(),
            review_feedback: ReviewWhen::AfterClose.as_str().into(),
            max_points: "10".into(),
            ..QuizInput::default()
        }
    }

    /// The form filled in with a quiz's values, its times in `zone`.
    pub fn from_quiz(q: &Quiz, zone: Zone) -> QuizInput {
        let t = |t: Option<DateTime<Utc>>| t.map(|t| zone.input_value(t)).unwrap_or_default();
        let text = q.module.body_text();
        QuizInput {
            zone,
            section_id: q.module.section_id.to_string(),
            title: q.module.title.clone(),
            description: text.source,
            description_format: text.format.as_str().into(),
            opens_at: t(q.opens_at),
            closes_at: t(q.closes_at),
            time_limit_minutes: q
                .time_limit_seconds
                .map(|s| (s / 60).to_string())
                .unwrap_or_default(),
            max_attempts: q.max_attempts.map(|n| n.to_string()).unwrap_or_default(),
            grading_method: q.grading_method.as_str().into(),
            shuffle_questions: q.shuffle_questions.then(|| "true".into()),
            shuffle_answers: q.shuffle_answers.then(|| "true".into()),
            questions_per_page: q.questions_per_page.to_string(),
            navigation: q.navigation.as_str().into(),
            password: q.password.clone().unwrap_or_default(),
            review_marks: q.review_marks.as_str().into(),
            review_answers: q.review_answers.as_str().into(),
            review_feedback: q.review_feedback.as_str().into(),
            max_points: crate::lms::gradebook::number(q.max_points),
        }
    }
}

struct Clean {
    section_id: i64,
    title: String,
    opens_at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
    time_limit_seconds: Option<i64>,
    max_attempts: Option<i64>,
    grading_method: GradingMethod,
    shuffle_questions: bool,
    shuffle_answers: bool,
    questions_per_page: i64,
    navigation: Navigation,
    password: Option<String>,
    review: [ReviewWhen; 3],
    max_points: f64,
}

/// A whole number in `range` typed into `field` (empty: `None`).
fn whole(
    errors: &mut FieldErrors,
    field: &'static str,
    text: &str,
    range: std::ops::RangeInclusive<i64>,
    message: &str,
) -> Option<i64> {
    match text.trim() {
        "" => None,
        t => {
            let n = t.parse::<i64>().ok().filter(|n| range.contains(n));
            errors.check(n.is_some(), field, message);
            n
        }
    }
}

fn choice<T: Copy>(
    errors: &mut FieldErrors,
    field: &'static str,
    text: &str,
    parse: fn(&str) -> Option<T>,
    default: T,
) -> T {
    if text.trim().is_empty() {
        return default;
    }
    let v = parse(text);
    errors.check(v.is_some(), field, "choose one of the options");
    v.unwrap_or(default)
}

fn clean(input: &QuizInput, section_ids: &[i64]) -> Result<Clean, LmsError> {
    let mut errors = FieldErrors::default();
    let (section_id, title) =
        check_placement(&mut errors, section_ids, &input.section_id, &input.title);
    let opens_at = time(&mut errors, "opens_at", &input.opens_at, input.zone);
    let closes_at = time(&mut errors, "closes_at", &input.closes_at, input.zone);
    if let (Some(o), Some(c)) = (opens_at, closes_at) {
        errors.check(c > o, "closes_at", "the quiz must close after it opens");
    }
    let limit = whole(
        &mut errors,
        "time_limit_minutes",
        &input.time_limit_minutes,
        1..=MAX_LIMIT_MINUTES,
        "enter whole minutes from 1 to 10080, or leave it empty for no limit",
    );
    let max_attempts = whole(
        &mut errors,
        "max_attempts",
        &input.max_attempts,
        1..=100,
        "enter a whole number from 1 to 100, or leave it empty for no limit",
    );
    let per_page = whole(
        &mut errors,
        "questions_per_page",
        &input.questions_per_page,
        0..=100,
        "enter a whole number from 0 (all on one page) to 100",
    );
    let grading_method = choice(
        &mut errors,
        "grading_method",
        &input.grading_method,
        GradingMethod::parse,
        GradingMethod::Highest,
    );
    let navigation = choice(
        &mut errors,
        "navigation",
        &input.navigation,
        Navigation::parse,
        Navigation::Free,
    );
    let review = [
        ("review_marks", &input.review_marks),
        ("review_answers", &input.review_answers),
        ("review_feedback", &input.review_feedback),
    ]
    .map(|(field, text)| {
        choice(
            &mut errors,
            field,
            text,
            ReviewWhen::parse,
            ReviewWhen::AfterClose,
        )
    });
    let password = input.password.trim();
    errors.check(
        password.chars().count() <= 100,
        "password",
        "use at most 100 characters",
    );
    let max_points = match input.max_points.trim() {
        "" => Some(DEFAULT_POINTS),
        text => text
            .parse::<f64>()
            .ok()
            .filter(|p| p.is_finite() && *p > 0.0 && *p <= 100_000.0),
    };
    errors.check(
        max_points.is_some(),
        "max_points",
        "enter the points the quiz is out of, more than 0",
    );
    errors.check(
        input.description.len() <= MAX_TEXT_BYTES,
        "description",
        format!("use at most {MAX_TEXT_BYTES} bytes of text"),
    );
    errors.into_result()?;
    Ok(Clean {
        section_id,
        title,
        opens_at,
        closes_at,
        time_limit_seconds: limit.map(|m| m * 60),
        max_attempts,
        grading_method,
        shuffle_questions: input.shuffle_questions.is_some(),
        shuffle_answers: input.shuffle_answers.is_some(),
        questions_per_page: per_page.unwrap_or(0),
        navigation,
        password: (!password.is_empty()).then(|| password.to_string()),
        review,
        max_points: max_points.unwrap_or(DEFAULT_POINTS),
    })
}

impl Clean {
    fn values(&self, id: i64) -> Vec<Value> {
        vec![
            id.into(),
            self.opens_at.into(),
            self.closes_at.into(),
            self.time_limit_seconds.into(),
            self.max_attempts.into(),
            self.grading_method.into(),
            self.shuffle_questions.into(),
            self.shuffle_answers.into(),
            self.questions_per_page.into(),
            self.navigation.into(),
            self.password.clone().into(),
            self.review[0].into(),
            self.review[1].into(),
            self.review[2].into(),
            self.max_points.into(),
        ]
    }
}

pub(super) fn quiz_from_row(module: Module, row: &Row) -> Result<Quiz, LmsError> {
    let password: Option<String> = row.get("password")?;
    Ok(Quiz {
        module,
        opens_at: row.get("opens_at")?,
        closes_at: row.get("closes_at")?,
        time_limit_seconds: row.get("time_limit_seconds")?,
        max_attempts: row.get("max_attempts")?,
        grading_method: row.get("grading_method")?,
        shuffle_questions: row.get("shuffle_questions")?,
        shuffle_answers: row.get("shuffle_answers")?,
        questions_per_page: row.get("questions_per_page")?,
        navigation: row.get("navigation")?,
        has_password: password.is_some(),
        password,
        review_marks: row.get("review_marks")?,
        review_answers: row.get("review_answers")?,
        review_feedback: row.get("review_feedback")?,
        max_points: row.get("max_points")?,
    })
}

/// One question place of a quiz, in order.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct QuizSlot {
    pub id: i64,
    pub position: i64,
    /// A fixed question, with its newest version's name and type.
    pub question_id: Option<i64>,
    pub question_name: Option<String>,
    pub question_kind: Option<String>,
    /// Or a question drawn at random from this category (per attempt).
    pub random_category_id: Option<i64>,
    pub category_name: Option<String>,
    pub include_subcategories: bool,
    pub mark: Fixed,
}

/// A question of the course's bank, as a quiz's question list offers it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct BankEntry {
    pub id: i64,
    pub category_id: i64,
    pub category: String,
    pub name: String,
    pub kind: String,
    pub default_mark: Fixed,
}

/// A category of the course's bank with how many questions it holds.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct BankCategory {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub questions: i64,
}

/// A student's accommodations on one quiz.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Override {
    pub student_id: i64,
    pub student_name: String,
    pub extra_seconds: i64,
    pub extra_attempts: i64,
    pub closes_at: Option<DateTime<Utc>>,
}

/// An accommodations form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OverrideInput {
    #[serde(skip)]
    pub zone: Zone,
    pub student_id: String,
    pub extra_minutes: String,
    pub extra_attempts: String,
    /// A later (or earlier) close for this student; empty: the quiz's.
    pub closes_at: String,
}

/// The quiz as one student meets it: the close and attempts with their accommodations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Effective {
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub time_limit: Option<Duration>,
    pub max_attempts: Option<i64>,
}

impl Effective {
    /// `quiz` for a student with `over` (none: no accommodations).
    pub fn of(quiz: &Quiz, over: Option<&Override>) -> Effective {
        let extra = over.map_or(0, |o| o.extra_seconds);
        Effective {
            opens_at: quiz.opens_at,
            closes_at: over.and_then(|o| o.closes_at).or(quiz.closes_at),
            time_limit: quiz
                .time_limit_seconds
                .map(|s| Duration::seconds(s + extra)),
            max_attempts: quiz
                .max_attempts
                .map(|m| m + over.map_or(0, |o| o.extra_attempts)),
        }
    }

    /// When an attempt started at `start` ends: the time limit (with extra time), never past
    /// the close; `None` when neither applies.
    pub fn ends_at(&self, start: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let by_limit = self.time_limit.map(|d| start + d);
        match (by_limit, self.closes_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Why a new attempt cannot start at `now` after `finished` attempts, if it cannot.
    pub fn refusal(&self, now: DateTime<Utc>, attempts: i64) -> Option<String> {
        if self.opens_at.is_some_and(|o| now < o) {
            return Some("this quiz is not open yet".into());
        }
        if self.closes_at.is_some_and(|c| now >= c) {
            return Some("this quiz is closed".into());
        }
        if self.max_attempts.is_some_and(|m| attempts >= m) {
            return Some("you have used all your attempts at this quiz".into());
        }
        None
    }
}

/// A mark typed for a slot (empty: `default`).
pub fn mark_text(text: &str, default: Fixed) -> Result<Fixed, LmsError> {
    match text.trim() {
        "" => Ok(default),
        t => Fixed::parse(t)
            .filter(|m| *m >= Fixed::ZERO && m.units() <= 1000 * Fixed::SCALE)
            .ok_or_else(|| LmsError::field("mark", "enter a mark from 0 to 1000, like 1 or 2.5")),
    }
}

pub(super) const SLOT_SQL: &str = "SELECT s.id, s.position, s.question_id, s.random_category_id,
        s.include_subcategories, s.mark, c.name AS category_name,
        (SELECT v.name FROM question_versions v WHERE v.question_id = s.question_id
         ORDER BY v.version DESC LIMIT 1) AS question_name,
        (SELECT v.kind FROM question_versions v WHERE v.question_id = s.question_id
         ORDER BY v.version DESC LIMIT 1) AS question_kind
     FROM quiz_slots s LEFT JOIN question_categories c ON c.id = s.random_category_id
     WHERE s.quiz_id = $1 ORDER BY s.position, s.id";

pub(super) fn slot_from_row(row: &Row) -> Result<QuizSlot, LmsError> {
    let mark: String = row.get("mark")?;
    Ok(QuizSlot {
        id: row.get("id")?,
        position: row.get("position")?,
        question_id: row.get("question_id")?,
        question_name: row.get("question_name")?,
        question_kind: row.get("question_kind")?,
        random_category_id: row.get("random_category_id")?,
        category_name: row.get("category_name")?,
        include_subcategories: row.get("include_subcategories")?,
        mark: Fixed::parse(&mark).unwrap_or(Fixed::ONE),
    })
}

impl Lms {
    /// The quiz behind module `id` of the course, for anyone who sees the module.
    pub async fn quiz(&self, view: &CourseView, id: i64) -> Result<Quiz, LmsError> {
        let module = self.module(view, id).await?;
        if module.kind != ModuleKind::Quiz {
            return Err(LmsError::NotFound);
        }
        let row = self
            .db
            .query_one("SELECT * FROM quizzes WHERE module_id = $1", &[id.into()])
            .await?;
        quiz_from_row(module, &row)
    }

    /// Adds a quiz and its gradebook item; its description may name the files `edit` attaches.
    pub async fn add_quiz_with(
        &self,
        view: &CourseView,
        input: &QuizInput,
        edit: &TextEdit<'_>,
    ) -> Result<Saved<Quiz>, LmsError> {
        view.require(permissions::can_edit_content)?;
        let c = clean(input, &self.section_ids(view).await?)?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let new = NewModule {
            section_id: c.section_id,
            kind: ModuleKind::Quiz,
            title: &c.title,
            body_html: Some(""),
            media_id: None,
        };
        let id = self.insert_module(&mut tx, view, new).await?;
        tx.execute(
            "INSERT INTO quizzes (module_id, opens_at, closes_at, time_limit_seconds, max_attempts,
                 grading_method, shuffle_questions, shuffle_answers, questions_per_page, navigation,
                 password, review_marks, review_answers, review_feedback, max_points)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            &c.values(id),
        )
        .await?;
        tx.execute(
            "INSERT INTO gradebook_items (course_id, module_id, title, max_points, weight, position, created_at)
             VALUES ($1, $2, $3, $4, 1, (SELECT COALESCE(MAX(position) + 1, 0) FROM gradebook_items WHERE course_id = $1), $5)",
            &[view.course().id.into(), id.into(), c.title.as_str().into(), c.max_points.into(), Value::Time(self.now())],
        )
        .await?;
        let unused_keys = self
            .save_text(&mut tx, id, Slot::PageBody, &input.description_text(), edit)
            .await?;
        tx.commit().await?;
        Ok(Saved {
            value: self.quiz(view, id).await?,
            unused_keys,
        })
    }

    /// Adds a quiz without files.
    pub async fn add_quiz(&self, view: &CourseView, input: &QuizInput) -> Result<Quiz, LmsError> {
        Ok(self
            .add_quiz_with(view, input, &TextEdit::default())
            .await?
            .value)
    }

    /// Saves a quiz's settings; its gradebook item follows its title and points. Attempts
    /// already started keep the end time they were given.
    pub async fn update_quiz_with(
        &self,
        view: &CourseView,
        id: i64,
        input: &QuizInput,
        edit: &TextEdit<'_>,
    ) -> Result<Saved<Quiz>, LmsError> {
        view.require(permissions::can_edit_content)?;
        self.quiz(view, id).await?;
        let c = clean(input, &self.section_ids(view).await?)?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        tx.execute(
            "UPDATE modules SET section_id = $2, title = $3, updated_at = $4 WHERE id = $1",
            &[
                id.into(),
                c.section_id.into(),
                c.title.as_str().into(),
                Value::Time(self.now()),
            ],
        )
        .await?;
        tx.execute(
            "UPDATE quizzes SET opens_at = $2, closes_at = $3, time_limit_seconds = $4,
                 max_attempts = $5, grading_method = $6, shuffle_questions = $7,
                 shuffle_answers = $8, questions_per_page = $9, navigation = $10, password = $11,
                 review_marks = $12, review_answers = $13, review_feedback = $14, max_points = $15
             WHERE module_id = $1",
            &c.values(id),
        )
        .await?;
        tx.execute(
            "UPDATE gradebook_items SET title = $2, max_points = $3 WHERE module_id = $1",
            &[id.into(), c.title.as_str().into(), c.max_points.into()],
        )
        .await?;
        let unused_keys = self
            .save_text(&mut tx, id, Slot::PageBody, &input.description_text(), edit)
            .await?;
        tx.commit().await?;
        // New points or grading method: every student's grade follows.
        self.regrade_quiz_grades(id).await?;
        Ok(Saved {
            value: self.quiz(view, id).await?,
            unused_keys,
        })
    }

    /// A quiz's questions in order (staff).
    pub async fn quiz_slots(&self, view: &CourseView, id: i64) -> Result<Vec<QuizSlot>, LmsError> {
        view.require(permissions::can_edit_content)?;
        self.quiz(view, id).await?;
        let rows = self.db.query(SLOT_SQL, &[id.into()]).await?;
        rows.iter().map(slot_from_row).collect()
    }

    /// The course's bank questions (not deleted), by category and name, for choosing (staff).
    pub async fn bank_entries(&self, view: &CourseView) -> Result<Vec<BankEntry>, LmsError> {
        view.require(permissions::can_edit_content)?;
        let rows = self
            .db
            .query(
                "SELECT q.id, q.category_id, c.name AS category, v.name, v.kind, v.body
                 FROM questions q
                 JOIN question_categories c ON c.id = q.category_id
                 JOIN question_versions v ON v.question_id = q.id
                 WHERE q.course_id = $1 AND q.deleted_at IS NULL
                   AND v.version = (SELECT MAX(w.version) FROM question_versions w WHERE w.question_id = q.id)
                 ORDER BY c.name, v.name, q.id",
                &[view.course().id.into()],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let body: String = r.get("body")?;
                let default_mark = serde_json::from_str::<super::Question>(&body)
                    .map(|q| q.default_mark)
                    .unwrap_or(Fixed::ONE);
                Ok(BankEntry {
                    id: r.get("id")?,
                    category_id: r.get("category_id")?,
                    category: r.get("category")?,
                    name: r.get("name")?,
                    kind: r.get("kind")?,
                    default_mark,
                })
            })
            .collect()
    }

    /// The course's bank categories with their question counts (staff).
    pub async fn bank_categories(&self, view: &CourseView) -> Result<Vec<BankCategory>, LmsError> {
        view.require(permissions::can_edit_content)?;
        let rows = self
            .db
            .query(
                "SELECT c.id, c.parent_id, c.name,
                        (SELECT COUNT(*) FROM questions q WHERE q.category_id = c.id AND q.deleted_at IS NULL) AS n
                 FROM question_categories c WHERE c.course_id = $1 ORDER BY c.name, c.id",
                &[view.course().id.into()],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(BankCategory {
                    id: r.get("id")?,
                    parent_id: r.get("parent_id")?,
                    name: r.get("name")?,
                    questions: r.get("n")?,
                })
            })
            .collect()
    }

    /// Adds bank question `question_id` at the end of the quiz, worth `mark` (empty: the
    /// question's default mark).
    pub async fn add_quiz_question(
        &self,
        view: &CourseView,
        quiz_id: i64,
        question_id: i64,
        mark: &str,
    ) -> Result<(), LmsError> {
        view.require(permissions::can_edit_content)?;
        self.quiz(view, quiz_id).await?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let owned = tx
            .query_opt(
                "SELECT id FROM questions WHERE id = $1 AND course_id = $2 AND deleted_at IS NULL",
                &[question_id.into(), view.course().id.into()],
            )
            .await?;
        if owned.is_none() {
            return Err(LmsError::field(
                "question_id",
                "choose a question of this course's bank",
            ));
        }
        let version = bank::latest_version(&mut tx, question_id).await?;
        let mark = mark_text(mark, version.question.default_mark)?;
        insert_slot(&mut tx, quiz_id, Some(question_id), None, false, mark).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds `count` places, each drawing a question at random from category `category_id`
    /// (and its subcategories when asked) when an attempt starts.
    pub async fn add_random_questions(
        &self,
        view: &CourseView,
        quiz_id: i64,
        category_id: i64,
        count: &str,
        mark: &str,
        include_subcategories: bool,
    ) -> Result<(), LmsError> {
        view.require(permissions::can_edit_content)?;
        self.quiz(view, quiz_id).await?;
        let mut errors = FieldErrors::default();
        let count = whole(
            &mut errors,
            "count",
            count,
            1..=100,
            "enter how many, from 1 to 100",
        )
        .unwrap_or(1);
        errors.into_result()?;
        let mark = mark_text(mark, Fixed::ONE)?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let owned = tx
            .query_opt(
                "SELECT id FROM question_categories WHERE id = $1 AND course_id = $2",
                &[category_id.into(), view.course().id.into()],
            )
            .await?;
        if owned.is_none() {
            return Err(LmsError::field(
                "category_id",
                "choose a category of this course's bank",
            ));
        }
        for _ in 0..count {
            insert_slot(
                &mut tx,
                quiz_id,
                None,
                Some(category_id),
                include_subcategories,
                mark,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Changes a place's mark and moves it to 1-based `position`. Attempts already started
    /// keep what they were given.
    pub async fn update_quiz_slot(
        &self,
        view: &CourseView,
        quiz_id: i64,
        slot_id: i64,
        mark: &str,
        position: usize,
    ) -> Result<(), LmsError> {
        let slots = self.quiz_slots(view, quiz_id).await?;
        let slot = slots
            .iter()
            .find(|s| s.id == slot_id)
            .ok_or(LmsError::NotFound)?;
        let mark = mark_text(mark, slot.mark)?;
        let ids: Vec<i64> = slots.iter().map(|s| s.id).collect();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        for (id, position) in crate::lms::sections::reordered(&ids, slot_id, position) {
            tx.execute(
                "UPDATE quiz_slots SET position = $2 WHERE id = $1",
                &[id.into(), position.into()],
            )
            .await?;
        }
        tx.execute(
            "UPDATE quiz_slots SET mark = $2 WHERE id = $1",
            &[slot_id.into(), mark.to_string().into()],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a place from the quiz (attempts already started keep their questions).
    pub async fn remove_quiz_slot(
        &self,
        view: &CourseView,
        quiz_id: i64,
        slot_id: i64,
    ) -> Result<(), LmsError> {
        let slots = self.quiz_slots(view, quiz_id).await?;
        if !slots.iter().any(|s| s.id == slot_id) {
            return Err(LmsError::NotFound);
        }
        self.db
            .execute("DELETE FROM quiz_slots WHERE id = $1", &[slot_id.into()])
            .await?;
        Ok(())
    }

    /// Every student's accommodations on the quiz (staff).
    pub async fn quiz_overrides(
        &self,
        view: &CourseView,
        quiz_id: i64,
    ) -> Result<Vec<Override>, LmsError> {
        view.require(permissions::can_edit_content)?;
        self.quiz(view, quiz_id).await?;
        let rows = self
            .db
            .query(
                "SELECT o.user_id, u.display_name, o.extra_seconds, o.extra_attempts, o.closes_at
                 FROM quiz_overrides o JOIN users u ON u.id = o.user_id
                 WHERE o.quiz_id = $1 ORDER BY u.display_name, u.id",
                &[quiz_id.into()],
            )
            .await?;
        rows.iter().map(override_from_row).collect()
    }

    /// One student's accommodations, if any (no permission check: callers have the quiz).
    pub(super) async fn override_of(
        &self,
        exec: &mut impl Executor,
        quiz_id: i64,
        student_id: i64,
    ) -> Result<Option<Override>, LmsError> {
        let row = exec
            .query_opt(
                "SELECT o.user_id, u.display_name, o.extra_seconds, o.extra_attempts, o.closes_at
                 FROM quiz_overrides o JOIN users u ON u.id = o.user_id
                 WHERE o.quiz_id = $1 AND o.user_id = $2",
                &[quiz_id.into(), student_id.into()],
            )
            .await?;
        row.as_ref().map(override_from_row).transpose()
    }

    /// Sets (or, all empty, removes) one student's accommodations (staff).
    pub async fn set_quiz_override(
        &self,
        view: &CourseView,
        quiz_id: i64,
        input: &OverrideInput,
    ) -> Result<(), LmsError> {
        view.require(permissions::can_edit_content)?;
        self.quiz(view, quiz_id).await?;
        let students = self.students(view).await?;
        let mut errors = FieldErrors::default();
        let student: Option<&User> = input
            .student_id
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|id| students.iter().find(|s| s.id == id));
        errors.check(
            student.is_some(),
            "student_id",
            "choose a student of this course",
        );
        let extra = whole(
            &mut errors,
            "extra_minutes",
            &input.extra_minutes,
            0..=MAX_LIMIT_MINUTES,
            "enter whole minutes from 0 to 10080",
        )
        .unwrap_or(0);
        let attempts = whole(
            &mut errors,
            "extra_attempts",
            &input.extra_attempts,
            0..=100,
            "enter a whole number from 0 to 100",
        )
        .unwrap_or(0);
        let closes_at = time(&mut errors, "closes_at", &input.closes_at, input.zone);
        errors.into_result()?;
        let student = student.expect("checked").id;
        if extra == 0 && attempts == 0 && closes_at.is_none() {
            self.db
                .execute(
                    "DELETE FROM quiz_overrides WHERE quiz_id = $1 AND user_id = $2",
                    &[quiz_id.into(), student.into()],
                )
                .await?;
            return Ok(());
        }
        self.db
            .execute(
                "INSERT INTO quiz_overrides (quiz_id, user_id, extra_seconds, extra_attempts, closes_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (quiz_id, user_id) DO UPDATE SET extra_seconds = excluded.extra_seconds,
                     extra_attempts = excluded.extra_attempts, closes_at = excluded.closes_at",
                &[quiz_id.into(), student.into(), (extra * 60).into(), attempts.into(), closes_at.into()],
            )
            .await?;
        Ok(())
    }
}

fn override_from_row(r: &Row) -> Result<Override, LmsError> {
    Ok(Override {
        student_id: r.get("user_id")?,
        student_name: r.get("display_name")?,
        extra_seconds: r.get("extra_seconds")?,
        extra_attempts: r.get("extra_attempts")?,
        closes_at: r.get("closes_at")?,
    })
}

async fn insert_slot(
    tx: &mut impl Executor,
    quiz_id: i64,
    question_id: Option<i64>,
    category_id: Option<i64>,
    include_subcategories: bool,
    mark: Fixed,
) -> Result<(), LmsError> {
    tx.execute(
        "INSERT INTO quiz_slots (quiz_id, position, question_id, random_category_id, include_subcategories, mark)
         VALUES ($1, (SELECT COALESCE(MAX(position) + 1, 0) FROM quiz_slots WHERE quiz_id = $1), $2, $3, $4, $5)",
        &[
            quiz_id.into(),
            question_id.into(),
            category_id.into(),
            include_subcategories.into(),
            mark.to_string().into(),
        ],
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, h, m, 0).unwrap()
    }

    #[test]
    fn forms_are_checked() {
        let input = QuizInput {
            title: "Quiz 1".into(),
            time_limit_minutes: "20".into(),
            opens_at: "2026-03-01T09:00".into(),
            closes_at: "2026-03-01T10:00".into(),
            ..QuizInput::new_in("1")
        };
        let c = clean(&input, &[1]).unwrap();
        assert_eq!(c.time_limit_seconds, Some(1200));
        assert_eq!(c.closes_at, Some(at(10, 0)));
        assert!(c.shuffle_answers && !c.shuffle_questions);
        let bad = QuizInput {
            closes_at: "2026-03-01T08:00".into(),
            time_limit_minutes: "0".into(),
            max_attempts: "x".into(),
            review_marks: "sometimes".into(),
            max_points: "-1".into(),
            ..input
        };
        let Err(LmsError::Invalid(errors)) = clean(&bad, &[1]) else {
            panic!("accepted")
        };
        for field in [
            "closes_at",
            "time_limit_minutes",
            "max_attempts",
            "review_marks",
            "max_points",
        ] {
            assert!(errors.get(field).is_some(), "{field}: {errors}");
        }
    }

    #[test]
    fn the_end_of_an_attempt_is_the_limit_with_extra_time_never_past_the_close() {
        let e = Effective {
            opens_at: None,
            closes_at: Some(at(10, 0)),
            time_limit: Some(Duration::minutes(20)),
            max_attempts: Some(2),
        };
        assert_eq!(e.ends_at(at(9, 0)), Some(at(9, 20)));
        assert_eq!(e.ends_at(at(9, 50)), Some(at(10, 0)));
        let open = Effective {
            closes_at: None,
            time_limit: None,
            ..e
        };
        assert_eq!(open.ends_at(at(9, 0)), None);
        assert_eq!(e.refusal(at(9, 59), 1), None);
        assert!(e.refusal(at(10, 0), 0).is_some());
        assert!(e.refusal(at(9, 0), 2).is_some());
    }
}
