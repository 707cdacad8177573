//! Attempts at a quiz. Starting one checks the quiz's window, attempts and password with the
//! student's accommodations, fixes its end (`ends_at`: the time limit plus extra time, never
//! past the close), draws its random questions, freezes each question's version and shuffles
//! by the attempt's seed. Every save marks the answers it holds (`mark`), so a saved attempt
//! is always marked as it stands. The server keeps the time: a save up to `GRACE_SECONDS`
//! after the end is taken (a request in flight); after that the attempt is submitted as it
//! stood, whoever touches it next (the student, a teacher's results page, `serve`'s job).
//! Submitting writes the quiz grade (grading method over finished attempts, scaled to the
//! quiz's points) to its gradebook item, released as the review options say.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::{
    Body, Fixed, Question, Response, State, TextFormat, bank, mark,
    quiz::{
        Effective, GradingMethod, Navigation, Quiz, QuizSlot, ReviewWhen, SLOT_SQL, slot_from_row,
    },
    shuffled_order,
};
use crate::{
    db::{DbError, Executor, Row, Value},
    lms::{
        Lms, LmsError, User,
        courses::CourseView,
        permissions,
        richtext::{self, Format, Links},
    },
};

/// How long after its end an attempt still takes a save (a request already on its way).
pub const GRACE_SECONDS: i64 = 30;

/// The grace period as a duration.
pub fn grace() -> Duration {
    Duration::seconds(GRACE_SECONDS)
}

/// What a save after the grace period is told.
pub const TIME_UP: &str = "time is up: your attempt was submitted as it stood at the end";

/// The longest text answer, in characters.
pub const MAX_ANSWER_CHARS: usize = 20_000;

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Attempt {
    pub id: i64,
    pub quiz_id: i64,
    pub student_id: i64,
    /// 1 for the student's first attempt.
    pub attempt: i64,
    #[serde(skip)]
    pub seed: i64,
    pub started_at: DateTime<Utc>,
    /// When the server stops taking answers (plus the grace period); `None`: no limit.
    pub ends_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Submitted by the server when the time was up.
    pub auto_submitted: bool,
    pub current_page: i64,
    /// The attempt's marks; shown only as the review options allow (see `AttemptView`).
    #[serde(skip)]
    pub marks: Option<Fixed>,
    /// An essay waits for its grader.
    pub needs_grading: bool,
}

impl Attempt {
    pub(super) fn from_row(row: &Row) -> Result<Attempt, LmsError> {
        let marks: Option<String> = row.get("marks")?;
        Ok(Attempt {
            id: row.get("id")?,
            quiz_id: row.get("quiz_id")?,
            student_id: row.get("student_id")?,
            attempt: row.get("attempt")?,
            seed: row.get("seed")?,
            started_at: row.get("started_at")?,
            ends_at: row.get("ends_at")?,
            submitted_at: row.get("submitted_at")?,
            auto_submitted: row.get("auto_submitted")?,
            current_page: row.get("current_page")?,
            marks: marks.as_deref().and_then(Fixed::parse),
            needs_grading: row.get("needs_grading")?,
        })
    }

    pub fn finished(&self) -> bool {
        self.submitted_at.is_some()
    }

    /// Whether the server should have closed it by `now`.
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        !self.finished() && self.ends_at.is_some_and(|e| now > e + grace())
    }
}

/// One question of an attempt, as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct AttemptQuestion {
    pub slot: i64,
    pub version_id: i64,
    pub question_id: i64,
    pub question: Question,
    pub max_mark: Fixed,
    pub response: Option<Response>,
    pub saved_at: Option<DateTime<Utc>>,
    pub fraction: Option<Fixed>,
    pub mark: Option<Fixed>,
    pub comment: String,
}

pub(super) fn fixed(row: &Row, column: &str) -> Result<Option<Fixed>, LmsError> {
    let text: Option<String> = row.get(column)?;
    Ok(text.as_deref().and_then(Fixed::parse))
}

pub(super) fn decode<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, LmsError> {
    serde_json::from_str(text).map_err(|e| DbError::Decode(format!("stored quiz data: {e}")).into())
}

fn encode<T: serde::Serialize>(value: &T) -> Result<String, LmsError> {
    serde_json::to_string(value).map_err(|e| DbError::Decode(e.to_string()).into())
}

/// `a × b` for marks and fractions, rounded to the nearest unit.
pub fn times(a: Fixed, b: Fixed) -> Fixed {
    let scale = i128::from(Fixed::SCALE);
    let p = i128::from(a.units()) * i128::from(b.units());
    Fixed::from_units(((p + scale / 2).div_euclid(scale)) as i64)
}

/// `a ÷ b` as a fraction (0 when `b` is 0).
pub fn divided(a: Fixed, b: Fixed) -> Fixed {
    if b.units() == 0 {
        return Fixed::ZERO;
    }
    let q = i128::from(a.units()) * i128::from(Fixed::SCALE) / i128::from(b.units());
    Fixed::from_units(q as i64)
}

pub(super) fn sum(marks: impl Iterator<Item = Fixed>) -> Fixed {
    Fixed::from_units(marks.map(Fixed::units).sum())
}

/// The quiz grade as a fraction of the quiz's points, from each finished, fully marked
/// attempt's (number, fraction): the highest, the last, the mean or the first.
pub fn quiz_grade(method: GradingMethod, attempts: &[(i64, f64)]) -> Option<f64> {
    if attempts.is_empty() {
        return None;
    }
    let by_number = |last: bool| {
        let pick = if last {
            attempts.iter().max_by_key(|a| a.0)
        } else {
            attempts.iter().min_by_key(|a| a.0)
        };
        pick.map(|a| a.1)
    };
    match method {
        GradingMethod::Highest => attempts.iter().map(|a| a.1).reduce(f64::max),
        GradingMethod::Last => by_number(true),
        GradingMethod::First => by_number(false),
        GradingMethod::Average => {
            Some(attempts.iter().map(|a| a.1).sum::<f64>() / attempts.len() as f64)
        }
    }
}

/// Whether a student sees what `when` governs of a finished attempt at `now`, the quiz
/// closing for them at `close` (without a close, "after the close" never comes).
pub fn review_open(when: ReviewWhen, close: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    match when {
        ReviewWhen::Immediately => true,
        ReviewWhen::AfterClose => close.is_some_and(|c| now >= c),
        ReviewWhen::Never => false,
    }
}

/// What one reader sees of a finished attempt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Shows {
    pub marks: bool,
    pub answers: bool,
    pub feedback: bool,
}

impl Shows {
    /// For staff: everything once finished; for the student: as the review options say.
    pub fn of(
        quiz: &Quiz,
        close: Option<DateTime<Utc>>,
        finished: bool,
        staff: bool,
        now: DateTime<Utc>,
    ) -> Shows {
        if !finished {
            return Shows::default();
        }
        if staff {
            return Shows {
                marks: true,
                answers: true,
                feedback: true,
            };
        }
        Shows {
            marks: review_open(quiz.review_marks, close, now),
            answers: review_open(quiz.review_answers, close, now),
            feedback: review_open(quiz.review_feedback, close, now),
        }
    }
}

/// A choice, item or answer as shown: its index in the question's own order and its HTML.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Shown {
    pub index: usize,
    pub html: String,
}

/// One question of an attempt as its reader may see it: never the answers or marks the
/// review options hide.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ShownQuestion {
    pub slot: i64,
    /// 0-based page of the attempt.
    pub page: i64,
    pub name: String,
    /// `multiple choice`, `true/false`, `short answer`, `numerical`, `matching`, `ordering`,
    /// `fill in the blanks`, `essay` or `description`.
    pub kind: &'static str,
    /// The cleaned question text; gaps stay as `[[1]]`, `[[2]]`, ….
    pub text_html: String,
    pub max_mark: Fixed,
    /// Multiple choice: the choices in this attempt's order; matching: the answers to choose.
    pub choices: Vec<Shown>,
    pub multiple: bool,
    /// Matching: the prompts, in order (answers are indices into `choices`' `index`).
    pub prompts: Vec<String>,
    /// Ordering: the items in this attempt's starting order.
    pub items: Vec<Shown>,
    /// Fill in the blanks: how many gaps.
    pub gaps: usize,
    /// Essay: the text the answer box starts with.
    pub template: String,
    pub response: Option<Response>,
    pub saved_at: Option<DateTime<Utc>>,
    /// Only when marks are shown.
    pub state: Option<State>,
    pub mark: Option<Fixed>,
    /// Only when right answers are shown.
    pub right_answer: Option<String>,
    /// Only when feedback is shown: per answer, general, the grader's comment.
    pub feedback: Vec<String>,
}

/// An attempt as one reader may see it (the page and the API show the same).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AttemptView {
    #[serde(flatten)]
    pub attempt: Attempt,
    pub quiz_title: String,
    pub finished: bool,
    /// Until the end (not counting the grace period); `None`: no limit or finished.
    pub seconds_left: Option<i64>,
    pub pages: i64,
    pub navigation: String,
    pub shows: Shows,
    /// Only when marks are shown.
    pub marks: Option<Fixed>,
    pub max_marks: Fixed,
    pub questions: Vec<ShownQuestion>,
}

/// A finished or running attempt in a list, its marks only when shown.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AttemptSummary {
    #[serde(flatten)]
    pub attempt: Attempt,
    pub marks: Option<Fixed>,
    pub max_marks: Fixed,
    pub shows: Shows,
}

/// A quiz as one person meets it: for a student, their attempts, whether they may start one
/// (or why not) and their released grade; the settings with their accommodations.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct QuizInfo {
    pub quiz: Quiz,
    pub questions: i64,
    pub closes_at: Option<DateTime<Utc>>,
    pub time_limit_seconds: Option<i64>,
    pub max_attempts: Option<i64>,
    pub attempts: Vec<AttemptSummary>,
    /// The attempt to continue, if one is running.
    pub in_progress: Option<i64>,
    pub can_start: bool,
    /// Why a new attempt cannot start.
    pub refusal: Option<String>,
    /// The student's released grade, out of the quiz's points.
    pub grade: Option<f64>,
}

/// A page of 0-based question `index` with `per_page` questions a page (0: all on one).
pub fn page_of(index: usize, per_page: i64) -> i64 {
    if per_page <= 0 {
        0
    } else {
        index as i64 / per_page
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A question's text (or a choice's) as cleaned HTML in its format.
pub fn text_html(format: TextFormat, text: &str) -> String {
    match format {
        TextFormat::Html => richtext::sanitize_html(text),
        TextFormat::Moodle if text.contains('<') => richtext::sanitize_html(text),
        TextFormat::Moodle | TextFormat::Plain => escape(text).replace('\n', "<br>"),
        TextFormat::Markdown => richtext::render(Format::Markdown, text, &Links::default()),
    }
}

pub fn plain_text(text: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for c in text.chars() {
        match c {
            '<' => tag = true,
            '>' if tag => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The right answer in words, for review.
pub fn right_answer(q: &Question) -> Option<String> {
    let full = |answers: &[super::questions::TextAnswer]| {
        answers
            .iter()
            .find(|a| a.fraction == Fixed::ONE)
            .or_else(|| answers.iter().max_by_key(|a| a.fraction))
            .map(|a| a.pattern.clone())
    };
    match &q.body {
        Body::Description | Body::Essay(_) => None,
        Body::MultipleChoice(mc) => Some(
            mc.choices
                .iter()
                .filter(|c| c.fraction > Fixed::ZERO)
                .map(|c| plain_text(&c.text))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Body::TrueFalse(tf) => Some(if tf.correct { "True" } else { "False" }.into()),
        Body::ShortAnswer(sa) => full(&sa.answers),
        Body::Numerical(n) => n
            .answers
            .iter()
            .find(|a| a.fraction == Fixed::ONE)
            .map(|a| {
                let value = a.value.map_or("any number".into(), |v| v.to_string());
                let unit = n
                    .units
                    .first()
                    .map(|u| format!(" {}", u.name))
                    .unwrap_or_default();
                if a.tolerance.is_zero() {
                    format!("{value}{unit}")
                } else {
                    format!("{value} ± {}{unit}", a.tolerance)
                }
            }),
        Body::Matching(m) => Some(
            m.prompts()
                .map(|p| format!("{} → {}", plain_text(&p.prompt), plain_text(&p.answer)))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Body::Ordering(o) => Some(
            o.items
                .iter()
                .map(|i| plain_text(i))
                .collect::<Vec<_>>()
                .join(" → "),
        ),
        Body::Gaps(g) => Some(
            g.gaps
                .iter()
                .enumerate()
                .filter_map(|(i, gap)| full(&gap.answers).map(|a| format!("[{}] {a}", i + 1)))
                .collect::<Vec<_>>()
                .join("; "),
        ),
    }
}

/// A seed mixed with a slot number, for a per-question shuffle.
fn mixed(seed: i64, slot: i64) -> u64 {
    (seed as u64) ^ (slot as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The order to show `n` things in: shuffled by `seed` when asked, never the right order for
/// ordering questions (`avoid_identity`).
fn order(seed: u64, n: usize, shuffle: bool, avoid_identity: bool) -> Vec<usize> {
    if !shuffle {
        return (0..n).collect();
    }
    let mut o = shuffled_order(seed, n);
    if avoid_identity && n > 1 && o.iter().enumerate().all(|(i, &k)| i == k) {
        o.reverse();
    }
    o
}

/// For matching and ordering, the order the answers (items) are shown in, as indices in the
/// question's own order, which would give the answer away: responses to them name shown
/// positions, translated here (`translate`). `None` for other types.
fn shown_order(quiz: &Quiz, seed: i64, q: &AttemptQuestion) -> Option<Vec<usize>> {
    let s = mixed(seed, q.slot);
    match &q.question.body {
        Body::Matching(m) => Some(order(
            s,
            m.answer_choices().len(),
            m.shuffle && quiz.shuffle_answers,
            false,
        )),
        Body::Ordering(o) => Some(order(s, o.items.len(), true, true)),
        _ => None,
    }
}

/// A response between shown positions and the question's own indices (`to_real`: shown to
/// own). An index that names nothing stays out of range, so marking finds it invalid.
pub fn translate(r: &Response, order: &[usize], to_real: bool) -> Response {
    let map = |i: usize| {
        if to_real {
            order.get(i).copied().unwrap_or(usize::MAX)
        } else {
            order.iter().position(|&k| k == i).unwrap_or(usize::MAX)
        }
    };
    match r {
        Response::Matches(v) => Response::Matches(v.iter().map(|o| o.map(map)).collect()),
        Response::Order(v) => Response::Order(v.iter().map(|&i| map(i)).collect()),
        other => other.clone(),
    }
}

/// Checks a response's size before it is stored or marked.
pub fn check_response(r: &Response) -> Result<(), String> {
    let too_long = |t: &str| t.chars().count() > MAX_ANSWER_CHARS;
    let ok = match r {
        Response::Blank | Response::Bool(_) => true,
        Response::Text(t) => !too_long(t),
        Response::Choices(v) | Response::Order(v) => v.len() <= 200,
        Response::Matches(v) => v.len() <= 200,
        Response::Gaps(v) => v.len() <= 200 && v.iter().all(|t| t.chars().count() <= 1_000),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "an answer is too long (at most {MAX_ANSWER_CHARS} characters, 200 choices)"
        ))
    }
}

/// What marking `response` stores: the fraction and the mark out of `max` (an essay waits
/// for its grader: both `None`; a description is worth nothing).
pub fn marked(q: &Question, response: &Response, max: Fixed) -> (Option<Fixed>, Option<Fixed>) {
    let outcome = mark(q, response);
    match outcome.fraction {
        Some(f) => (Some(f), Some(times(f, max))),
        None if outcome.state == State::NeedsGrading => (None, None),
        None => (Some(Fixed::ZERO), Some(Fixed::ZERO)),
    }
}

/// What grading a quiz needs, read without a course view (jobs and regrades).
struct Grading {
    module_id: i64,
    method: GradingMethod,
    max_points: f64,
    review_marks: ReviewWhen,
    closes_at: Option<DateTime<Utc>>,
}

async fn grading_of(exec: &mut impl Executor, quiz_id: i64) -> Result<Grading, LmsError> {
    let row = exec
        .query_one(
            "SELECT module_id, grading_method, max_points, review_marks, closes_at FROM quizzes WHERE module_id = $1",
            &[quiz_id.into()],
        )
        .await?;
    Ok(Grading {
        module_id: row.get("module_id")?,
        method: row.get("grading_method")?,
        max_points: row.get("max_points")?,
        review_marks: row.get("review_marks")?,
        closes_at: row.get("closes_at")?,
    })
}

/// Writes student `student_id`'s quiz grade (when any finished attempt is fully marked).
pub(super) async fn write_grade(
    tx: &mut impl Executor,
    quiz_id: i64,
    student_id: i64,
    now: DateTime<Utc>,
) -> Result<(), LmsError> {
    let g = grading_of(tx, quiz_id).await?;
    let rows = tx
        .query(
            "SELECT a.id, a.attempt, a.marks, a.needs_grading, q.max_mark
             FROM quiz_attempts a JOIN quiz_attempt_questions q ON q.attempt_id = a.id
             WHERE a.quiz_id = $1 AND a.student_id = $2 AND a.submitted_at IS NOT NULL
             ORDER BY a.attempt",
            &[quiz_id.into(), student_id.into()],
        )
        .await?;
    let mut totals: Vec<(i64, Option<Fixed>, bool, Fixed)> = Vec::new();
    for r in &rows {
        let number: i64 = r.get("attempt")?;
        let max = fixed(r, "max_mark")?.unwrap_or(Fixed::ZERO);
        match totals.last_mut() {
            Some(last) if last.0 == number => last.3 = sum([last.3, max].into_iter()),
            _ => totals.push((number, fixed(r, "marks")?, r.get("needs_grading")?, max)),
        }
    }
    let fractions: Vec<(i64, f64)> = totals
        .iter()
        .filter(|t| !t.2 && t.3 > Fixed::ZERO)
        .filter_map(|t| t.1.map(|m| (t.0, divided(m, t.3).to_f64())))
        .collect();
    let Some(fraction) = quiz_grade(g.method, &fractions) else {
        return Ok(());
    };
    let points = (fraction * g.max_points * 10_000.0).round() / 10_000.0;
    let released = match g.review_marks {
        ReviewWhen::Immediately => Some(now),
        ReviewWhen::AfterClose => g.closes_at.filter(|c| *c <= now).map(|_| now),
        ReviewWhen::Never => None,
    };
    let Some(item) = tx
        .query_opt(
            "SELECT id FROM gradebook_items WHERE module_id = $1",
            &[g.module_id.into()],
        )
        .await?
    else {
        return Ok(());
    };
    let item: i64 = item.get("id")?;
    tx.execute(
        "INSERT INTO grades (item_id, student_id, points, feedback, graded_at, released_at)
         VALUES ($1, $2, $3, '', $4, $5)
         ON CONFLICT (item_id, student_id) DO UPDATE SET points = excluded.points,
             graded_at = excluded.graded_at,
             released_at = COALESCE(grades.released_at, excluded.released_at)",
        &[
            item.into(),
            student_id.into(),
            points.into(),
            Value::Time(now),
            released.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Recounts an attempt's marks from its questions (after a save or a grader's mark).
pub(super) async fn recount(
    tx: &mut impl Executor,
    attempt_id: i64,
) -> Result<(Fixed, bool), LmsError> {
    let rows = tx
        .query(
            "SELECT mark FROM quiz_attempt_questions WHERE attempt_id = $1",
            &[attempt_id.into()],
        )
        .await?;
    let mut marks = Vec::new();
    let mut needs = false;
    for r in &rows {
        match fixed(r, "mark")? {
            Some(m) => marks.push(m),
            None => needs = true,
        }
    }
    Ok((sum(marks.into_iter()), needs))
}

/// A grader's mark on one question of an attempt, checked: `None` leaves it waiting.
pub(super) struct GraderMark {
    pub(super) attempt_id: i64,
    pub(super) slot: i64,
    pub(super) mark: Option<Fixed>,
    pub(super) max: Fixed,
    pub(super) comment: String,
}

/// A grader's typed mark (0 up to `max`) and comment checked, or the field and what is wrong.
pub(super) fn check_grader_mark(
    mark: &str,
    comment: &str,
    max: Fixed,
) -> Result<(Fixed, String), (&'static str, String)> {
    let given = Fixed::parse(mark.trim())
        .filter(|m| *m >= Fixed::ZERO && *m <= max)
        .ok_or_else(|| ("mark", format!("enter a mark from 0 to {max}")))?;
    if comment.chars().count() > MAX_ANSWER_CHARS {
        return Err((
            "comment",
            format!("use at most {MAX_ANSWER_CHARS} characters"),
        ));
    }
    Ok((given, comment.trim().to_string()))
}

/// Stores a grader's mark and comment on one question (the attempt is recounted by
/// `remark_attempt`, once per attempt).
pub(super) async fn store_grader_mark(
    tx: &mut impl Executor,
    m: &GraderMark,
    grader_id: i64,
    now: DateTime<Utc>,
) -> Result<(), LmsError> {
    tx.execute(
        "UPDATE quiz_attempt_questions SET mark = $3, fraction = $4, comment = $5, graded_by = $6, graded_at = $7
         WHERE attempt_id = $1 AND slot = $2",
        &[
            m.attempt_id.into(),
            m.slot.into(),
            m.mark.map(|g| g.to_string()).into(),
            m.mark.map(|g| divided(g, m.max).to_string()).into(),
            m.comment.as_str().into(),
            grader_id.into(),
            Value::Time(now),
        ],
    )
    .await?;
    Ok(())
}

/// Locks attempt `id`'s row for the rest of the transaction (a no-op update, which SQLite's
/// single writer needs no more than PostgreSQL's row lock), so graders, the essay table and
/// regrades that recount one attempt never interleave their recounts.
pub(super) async fn lock_attempt(tx: &mut impl Executor, id: i64) -> Result<(), LmsError> {
    tx.execute(
        "UPDATE quiz_attempts SET current_page = current_page WHERE id = $1",
        &[id.into()],
    )
    .await?;
    Ok(())
}

/// After graders' marks: the attempt's marks recounted, whether an essay still waits, and the
/// student's quiz grade written again.
pub(super) async fn remark_attempt(
    tx: &mut impl Executor,
    attempt: &Attempt,
    now: DateTime<Utc>,
) -> Result<(), LmsError> {
    let (marks, needs) = recount(tx, attempt.id).await?;
    tx.execute(
        "UPDATE quiz_attempts SET marks = $2, needs_grading = $3 WHERE id = $1",
        &[attempt.id.into(), marks.to_string().into(), needs.into()],
    )
    .await?;
    write_grade(tx, attempt.quiz_id, attempt.student_id, now).await
}

fn random_seed() -> i64 {
    let mut bytes = [0u8; 8];
    rand::fill(&mut bytes);
    (u64::from_le_bytes(bytes) >> 1) as i64
}

impl Lms {
    /// Attempt `id` and its quiz, for its student or the course's staff; an attempt whose
    /// time ran out is submitted first (as it stood).
    pub async fn attempt(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
    ) -> Result<(Quiz, Attempt), LmsError> {
        let row = self
            .db
            .query_opt("SELECT * FROM quiz_attempts WHERE id = $1", &[id.into()])
            .await?
            .ok_or(LmsError::NotFound)?;
        let attempt = Attempt::from_row(&row)?;
        let quiz = self.quiz(view, attempt.quiz_id).await?;
        if attempt.student_id != actor.id && !permissions::can_grade(view.access()) {
            return Err(LmsError::NotFound);
        }
        if attempt.overdue(self.now()) {
            self.finish_attempt(&attempt, true).await?;
            return Box::pin(self.attempt(view, actor, id)).await;
        }
        Ok((quiz, attempt))
    }

    /// The questions of attempt `id` as stored, in the attempt's order.
    pub async fn attempt_questions(&self, id: i64) -> Result<Vec<AttemptQuestion>, LmsError> {
        let rows = self
            .db
            .query(
                "SELECT aq.slot, aq.question_version_id, aq.max_mark, aq.response, aq.saved_at,
                        aq.fraction, aq.mark, aq.comment, v.question_id, v.body
                 FROM quiz_attempt_questions aq
                 JOIN question_versions v ON v.id = aq.question_version_id
                 WHERE aq.attempt_id = $1 ORDER BY aq.slot",
                &[id.into()],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let body: String = r.get("body")?;
                let response: Option<String> = r.get("response")?;
                Ok(AttemptQuestion {
                    slot: r.get("slot")?,
                    version_id: r.get("question_version_id")?,
                    question_id: r.get("question_id")?,
                    question: decode(&body)?,
                    max_mark: fixed(r, "max_mark")?.unwrap_or(Fixed::ZERO),
                    response: response.as_deref().map(decode).transpose()?,
                    saved_at: r.get("saved_at")?,
                    fraction: fixed(r, "fraction")?,
                    mark: fixed(r, "mark")?,
                    comment: r.get("comment")?,
                })
            })
            .collect()
    }

    /// `student`'s attempts at the quiz, oldest first, overdue ones submitted first.
    async fn attempts_of(&self, quiz_id: i64, student: i64) -> Result<Vec<Attempt>, LmsError> {
        let rows = self
            .db
            .query(
                "SELECT * FROM quiz_attempts WHERE quiz_id = $1 AND student_id = $2 ORDER BY attempt",
                &[quiz_id.into(), student.into()],
            )
            .await?;
        let attempts: Vec<Attempt> = rows
            .iter()
            .map(Attempt::from_row)
            .collect::<Result<_, _>>()?;
        let now = self.now();
        if attempts.iter().any(|a| a.overdue(now)) {
            for a in attempts.iter().filter(|a| a.overdue(now)) {
                self.finish_attempt(a, true).await?;
            }
            return Box::pin(self.attempts_of(quiz_id, student)).await;
        }
        Ok(attempts)
    }

    /// The quiz as `actor` meets it (see `QuizInfo`).
    pub async fn quiz_info(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
    ) -> Result<QuizInfo, LmsError> {
        let quiz = self.quiz(view, id).await?;
        self.release_closed_quiz_grades().await?;
        let questions: i64 = self
            .db
            .query_one(
                "SELECT COUNT(*) AS n FROM quiz_slots WHERE quiz_id = $1",
                &[id.into()],
            )
            .await?
            .get("n")?;
        let student = permissions::can_submit(view.access());
        let over = if student {
            let mut conn = self.db.conn().await?;
            self.override_of(&mut conn, id, actor.id).await?
        } else {
            None
        };
        let eff = Effective::of(&quiz, over.as_ref());
        let now = self.now();
        let attempts = if student {
            self.attempts_of(id, actor.id).await?
        } else {
            Vec::new()
        };
        let maxima = self.max_marks(&attempts).await?;
        let summaries: Vec<AttemptSummary> = attempts
            .iter()
            .map(|a| {
                let shows = Shows::of(&quiz, eff.closes_at, a.finished(), false, now);
                AttemptSummary {
                    attempt: a.clone(),
                    marks: a.marks.filter(|_| shows.marks),
                    max_marks: maxima.get(&a.id).copied().unwrap_or(Fixed::ZERO),
                    shows,
                }
            })
            .collect();
        let in_progress = attempts.iter().find(|a| !a.finished()).map(|a| a.id);
        let refusal = if !student {
            Some("only the course's students take the quiz".into())
        } else if questions == 0 {
            Some("this quiz has no questions yet".into())
        } else if in_progress.is_some() {
            None
        } else {
            eff.refusal(now, attempts.len() as i64)
        };
        let grade = if student {
            self.db
                .query_opt(
                    "SELECT grades.points FROM grades JOIN gradebook_items ON gradebook_items.id = grades.item_id
                     WHERE gradebook_items.module_id = $1 AND grades.student_id = $2 AND grades.released_at IS NOT NULL",
                    &[id.into(), actor.id.into()],
                )
                .await?
                .map(|r| r.get::<Option<f64>>("points"))
                .transpose()?
                .flatten()
        } else {
            None
        };
        Ok(QuizInfo {
            closes_at: eff.closes_at,
            time_limit_seconds: eff.time_limit.map(|d| d.num_seconds()),
            max_attempts: eff.max_attempts,
            quiz,
            questions,
            attempts: summaries,
            in_progress,
            can_start: refusal.is_none(),
            refusal,
            grade,
        })
    }

    /// Each attempt's total possible marks.
    async fn max_marks(&self, attempts: &[Attempt]) -> Result<HashMap<i64, Fixed>, LmsError> {
        let Some(first) = attempts.first() else {
            return Ok(HashMap::new());
        };
        let rows = self
            .db
            .query(
                "SELECT aq.attempt_id, aq.max_mark FROM quiz_attempt_questions aq
                 JOIN quiz_attempts a ON a.id = aq.attempt_id
                 WHERE a.quiz_id = $1 AND a.student_id = $2",
                &[first.quiz_id.into(), first.student_id.into()],
            )
            .await?;
        let mut out: HashMap<i64, Fixed> = HashMap::new();
        for r in &rows {
            let id: i64 = r.get("attempt_id")?;
            let m = fixed(r, "max_mark")?.unwrap_or(Fixed::ZERO);
            let e = out.entry(id).or_insert(Fixed::ZERO);
            *e = sum([*e, m].into_iter());
        }
        Ok(out)
    }

    /// Starts an attempt for a student, or returns the one they have running (resuming keeps
    /// its questions, answers and end). Refused outside the quiz's window (with the student's
    /// close), past the attempts allowed (plus extra), with a wrong password, or without
    /// questions.
    pub async fn start_attempt(
        &self,
        view: &CourseView,
        actor: &User,
        quiz_id: i64,
        password: &str,
    ) -> Result<Attempt, LmsError> {
        view.require(permissions::can_submit)?;
        let quiz = self.quiz(view, quiz_id).await?;
        let attempts = self.attempts_of(quiz_id, actor.id).await?;
        if let Some(running) = attempts.iter().find(|a| !a.finished()) {
            return Ok(running.clone());
        }
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let over = self.override_of(&mut tx, quiz_id, actor.id).await?;
        let eff = Effective::of(&quiz, over.as_ref());
        if let Some(why) = eff.refusal(now, attempts.len() as i64) {
            return Err(LmsError::field("attempt", why));
        }
        if let Some(p) = &quiz.password
            && password.trim() != p
        {
            return Err(LmsError::field(
                "password",
                "that is not the quiz's password",
            ));
        }
        let rows = tx.query(SLOT_SQL, &[quiz_id.into()]).await?;
        let slots: Vec<QuizSlot> = rows.iter().map(slot_from_row).collect::<Result<_, _>>()?;
        if slots.is_empty() {
            return Err(LmsError::field("attempt", "this quiz has no questions yet"));
        }
        let seed = random_seed();
        let drawn = draw(&mut tx, view.course().id, &slots, seed).await?;
        let shown = order(seed as u64, drawn.len(), quiz.shuffle_questions, false);
        let number = attempts.iter().map(|a| a.attempt).max().unwrap_or(0) + 1;
        let row = tx
            .query_one(
                "INSERT INTO quiz_attempts (quiz_id, student_id, attempt, seed, started_at, ends_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[
                    quiz_id.into(),
                    actor.id.into(),
                    number.into(),
                    seed.into(),
                    Value::Time(now),
                    eff.ends_at(now).into(),
                ],
            )
            .await?;
        let id: i64 = row.get("id")?;
        for (i, &k) in shown.iter().enumerate() {
            let (version, max) = drawn[k];
            tx.execute(
                "INSERT INTO quiz_attempt_questions (attempt_id, slot, question_version_id, max_mark)
                 VALUES ($1, $2, $3, $4)",
                &[id.into(), (i as i64 + 1).into(), version.into(), max.to_string().into()],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(self.attempt(view, actor, id).await?.1)
    }

    /// Saves answers (slot, response) of the student's running attempt, each marked as it is
    /// stored, and moves to `page`. After the end plus the grace period nothing is taken: the
    /// attempt is submitted as it stood and the error says so.
    pub async fn save_answers(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
        page: Option<i64>,
        answers: &[(i64, Response)],
    ) -> Result<Attempt, LmsError> {
        let (quiz, attempt) = self.attempt(view, actor, id).await?;
        if attempt.student_id != actor.id {
            return Err(LmsError::NotFound);
        }
        if attempt.finished() {
            let why = if attempt.auto_submitted {
                TIME_UP
            } else {
                "this attempt is already submitted"
            };
            return Err(LmsError::field("attempt", why));
        }
        // A regrade may move a slot to a newer version between reading and writing: each
        // write is guarded by the version it was marked with, and a moved one is marked again.
        for _ in 0..3 {
            if self
                .try_save_answers(&quiz, &attempt, page, answers)
                .await?
            {
                return Ok(self.attempt(view, actor, id).await?.1);
            }
        }
        Err(LmsError::field(
            "answers",
            "the questions were changing while saving: try again",
        ))
    }

    /// One try of `save_answers`: `false` when a question's version moved meanwhile (nothing
    /// is written then).
    async fn try_save_answers(
        &self,
        quiz: &Quiz,
        attempt: &Attempt,
        page: Option<i64>,
        answers: &[(i64, Response)],
    ) -> Result<bool, LmsError> {
        let id = attempt.id;
        let questions = self.attempt_questions(id).await?;
        let pages = questions.len().max(1) as i64;
        let page_of_slot = |slot: i64| page_of(slot as usize - 1, quiz.questions_per_page);
        let last_page = page_of(pages as usize - 1, quiz.questions_per_page);
        let sequential = quiz.navigation == Navigation::Sequential;
        let mut rows = Vec::new();
        for (slot, response) in answers {
            let q = questions.iter().find(|q| q.slot == *slot).ok_or_else(|| {
                LmsError::field("answers", format!("this attempt has no question {slot}"))
            })?;
            if sequential && page_of_slot(*slot) < attempt.current_page {
                return Err(LmsError::field(
                    "answers",
                    "this quiz goes forward only: answers on earlier pages cannot change",
                ));
            }
            check_response(response).map_err(|e| LmsError::field("answers", e))?;
            let response = match shown_order(quiz, attempt.seed, q) {
                Some(o) => translate(response, &o, true),
                None => response.clone(),
            };
            let (fraction, mark) = marked(&q.question, &response, q.max_mark);
            rows.push((*slot, encode(&response)?, fraction, mark, q.version_id));
        }
        let page = page.unwrap_or(attempt.current_page).clamp(0, last_page);
        if sequential && page < attempt.current_page {
            return Err(LmsError::field(
                "page",
                "this quiz goes forward only: earlier pages cannot be opened again",
            ));
        }
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let open = tx
            .execute(
                "UPDATE quiz_attempts SET current_page = $2 WHERE id = $1 AND submitted_at IS NULL",
                &[id.into(), page.into()],
            )
            .await?;
        if open == 0 {
            return Err(LmsError::field(
                "attempt",
                "this attempt is already submitted",
            ));
        }
        for (slot, response, fraction, mark, version) in rows {
            let saved = tx.execute(
                "UPDATE quiz_attempt_questions SET response = $3, saved_at = $4, fraction = $5, mark = $6
                 WHERE attempt_id = $1 AND slot = $2 AND question_version_id = $7",
                &[
                    id.into(),
                    slot.into(),
                    response.into(),
                    Value::Time(now),
                    fraction.map(|f| f.to_string()).into(),
                    mark.map(|m| m.to_string()).into(),
                    version.into(),
                ],
            )
            .await?;
            if saved == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Submits the student's running attempt (a submitted one stays as it is).
    pub async fn submit_attempt(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
    ) -> Result<Attempt, LmsError> {
        let (_, attempt) = self.attempt(view, actor, id).await?;
        if attempt.student_id != actor.id {
            return Err(LmsError::NotFound);
        }
        if !attempt.finished() {
            self.finish_attempt(&attempt, false).await?;
        }
        Ok(self.attempt(view, actor, id).await?.1)
    }

    /// Submits `attempt` (by the server when `auto`, at its end plus grace at the latest):
    /// unanswered questions get 0, its marks are summed and the quiz grade written, in one
    /// transaction; an attempt someone else submitted meanwhile is left alone.
    async fn finish_attempt(&self, attempt: &Attempt, auto: bool) -> Result<(), LmsError> {
        let now = self.now();
        let at = match attempt.ends_at {
            Some(end) if auto => (end + grace()).min(now),
            _ => now,
        };
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        // The attempt's row first, as a regrade locks it, so their recounts never interleave.
        lock_attempt(&mut tx, attempt.id).await?;
        tx.execute(
            "UPDATE quiz_attempt_questions SET fraction = '0', mark = '0'
             WHERE attempt_id = $1 AND response IS NULL",
            &[attempt.id.into()],
        )
        .await?;
        let (marks, needs) = recount(&mut tx, attempt.id).await?;
        let done = tx
            .execute(
                "UPDATE quiz_attempts SET submitted_at = $2, auto_submitted = $3, marks = $4, needs_grading = $5
                 WHERE id = $1 AND submitted_at IS NULL",
                &[
                    attempt.id.into(),
                    Value::Time(at),
                    auto.into(),
                    marks.to_string().into(),
                    needs.into(),
                ],
            )
            .await?;
        if done == 1 {
            write_grade(&mut tx, attempt.quiz_id, attempt.student_id, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// An attempt as `actor` may see it: the student their own (marks, right answers and
    /// feedback as the review options allow), staff any of the course's.
    pub async fn attempt_view(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
    ) -> Result<AttemptView, LmsError> {
        let (quiz, attempt) = self.attempt(view, actor, id).await?;
        let questions = self.attempt_questions(id).await?;
        let staff = permissions::can_grade(view.access());
        let over = {
            let mut conn = self.db.conn().await?;
            self.override_of(&mut conn, quiz.module.id, attempt.student_id)
                .await?
        };
        let eff = Effective::of(&quiz, over.as_ref());
        let now = self.now();
        let shows = Shows::of(&quiz, eff.closes_at, attempt.finished(), staff, now);
        let shown = questions
            .iter()
            .enumerate()
            .map(|(i, q)| show_question(&quiz, &attempt, i, q, shows))
            .collect();
        let max_marks = sum(questions.iter().map(|q| q.max_mark));
        let pages = page_of(questions.len().saturating_sub(1), quiz.questions_per_page) + 1;
        Ok(AttemptView {
            quiz_title: quiz.module.title.clone(),
            finished: attempt.finished(),
            seconds_left: attempt
                .ends_at
                .filter(|_| !attempt.finished())
                .map(|e| (e - now).num_seconds().max(0)),
            pages,
            navigation: quiz.navigation.as_str().into(),
            shows,
            marks: attempt.marks.filter(|_| shows.marks),
            max_marks,
            questions: shown,
            attempt,
        })
    }

    /// A grader's mark (0 up to the question's) and comment on one question of a finished
    /// attempt; the attempt's marks and the quiz grade follow.
    pub async fn grade_attempt_question(
        &self,
        view: &CourseView,
        grader: &User,
        id: i64,
        slot: i64,
        mark: &str,
        comment: &str,
    ) -> Result<(), LmsError> {
        view.require(permissions::can_grade)?;
        let (_, attempt) = self.attempt(view, grader, id).await?;
        if !attempt.finished() {
            return Err(LmsError::field("mark", "the attempt is still in progress"));
        }
        let questions = self.attempt_questions(id).await?;
        let q = questions
            .iter()
            .find(|q| q.slot == slot)
            .ok_or(LmsError::NotFound)?;
        let (given, comment) = match check_grader_mark(mark, comment, q.max_mark) {
            Ok(checked) => checked,
            Err((field, message)) => return Err(LmsError::field(field, message)),
        };
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        // The attempt's row first, as a regrade locks it, so their recounts never interleave.
        lock_attempt(&mut tx, id).await?;
        let mark = GraderMark {
            attempt_id: id,
            slot,
            mark: Some(given),
            max: q.max_mark,
            comment,
        };
        store_grader_mark(&mut tx, &mark, grader.id, now).await?;
        remark_attempt(&mut tx, &attempt, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes every student's grade on quiz `quiz_id` again (after its settings changed).
    pub(super) async fn regrade_quiz_grades(&self, quiz_id: i64) -> Result<(), LmsError> {
        let rows = self
            .db
            .query(
                "SELECT DISTINCT student_id FROM quiz_attempts WHERE quiz_id = $1 AND submitted_at IS NOT NULL",
                &[quiz_id.into()],
            )
            .await?;
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        for r in &rows {
            write_grade(&mut tx, quiz_id, r.get("student_id")?, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Submits every attempt (of quiz `quiz_id`, or of all) whose time and grace ran out;
    /// returns how many.
    pub async fn close_overdue_attempts(&self, quiz_id: Option<i64>) -> Result<usize, LmsError> {
        let cutoff = self.now() - grace();
        let sql = "SELECT * FROM quiz_attempts WHERE submitted_at IS NULL AND ends_at IS NOT NULL
                   AND ends_at < $1";
        let rows = match quiz_id {
            Some(q) => {
                let sql = format!("{sql} AND quiz_id = $2");
                self.db
                    .query(&sql, &[Value::Time(cutoff), q.into()])
                    .await?
            }
            None => self.db.query(sql, &[Value::Time(cutoff)]).await?,
        };
        for r in &rows {
            self.finish_attempt(&Attempt::from_row(r)?, true).await?;
        }
        Ok(rows.len())
    }

    /// Releases the quiz grades whose marks are shown "after the close" once the close has
    /// passed (safe to run on several instances; also run when grades are read).
    pub async fn release_closed_quiz_grades(&self) -> Result<u64, LmsError> {
        let now = Value::Time(self.now());
        Ok(self
            .db
            .execute(
                "UPDATE grades SET released_at = $1
                 WHERE released_at IS NULL AND points IS NOT NULL AND item_id IN (
                     SELECT gradebook_items.id FROM gradebook_items
                     JOIN quizzes ON quizzes.module_id = gradebook_items.module_id
                     WHERE quizzes.review_marks = 'after_close' AND quizzes.closes_at <= $1)",
                &[now],
            )
            .await?)
    }

    /// `serve`'s quiz job: closes overdue attempts and releases grades after the close.
    pub async fn run_quiz_jobs(&self) -> Result<(usize, u64), LmsError> {
        let closed = self.close_overdue_attempts(None).await?;
        let released = self.release_closed_quiz_grades().await?;
        Ok((closed, released))
    }
}

/// The course's questions (id, category) and categories (id, parent), read once per start.
type Pool = (Vec<(i64, i64)>, Vec<(i64, Option<i64>)>);

/// The questions `slots` give one attempt: each fixed question's newest version, and for
/// each random place a question of its category (and subcategories) not already in the
/// attempt, chosen by the seed; with each one's mark.
async fn draw(
    tx: &mut impl Executor,
    course_id: i64,
    slots: &[QuizSlot],
    seed: i64,
) -> Result<Vec<(i64, Fixed)>, LmsError> {
    let mut used: Vec<i64> = slots.iter().filter_map(|s| s.question_id).collect();
    let mut out = Vec::with_capacity(slots.len());
    let mut pool: Option<Pool> = None;
    for s in slots {
        if let Some(q) = s.question_id {
            let v = bank::latest_version(tx, q).await?;
            out.push((v.id, s.mark));
            continue;
        }
        let Some(category) = s.random_category_id else {
            continue;
        };
        if pool.is_none() {
            let questions = tx
                .query(
                    "SELECT id, category_id FROM questions WHERE course_id = $1 AND deleted_at IS NULL ORDER BY id",
                    &[course_id.into()],
                )
                .await?
                .iter()
                .map(|r| Ok((r.get("id")?, r.get("category_id")?)))
                .collect::<Result<Vec<(i64, i64)>, LmsError>>()?;
            let categories = tx
                .query(
                    "SELECT id, parent_id FROM question_categories WHERE course_id = $1",
                    &[course_id.into()],
                )
                .await?
                .iter()
                .map(|r| Ok((r.get("id")?, r.get("parent_id")?)))
                .collect::<Result<Vec<(i64, Option<i64>)>, LmsError>>()?;
            pool = Some((questions, categories));
        }
        let (questions, categories) = pool.as_ref().expect("loaded");
        let mut wanted = vec![category];
        if s.include_subcategories {
            let mut i = 0;
            while i < wanted.len() && wanted.len() <= categories.len() {
                let parent = wanted[i];
                wanted.extend(
                    categories
                        .iter()
                        .filter(|c| c.1 == Some(parent))
                        .map(|c| c.0),
                );
                i += 1;
            }
        }
        let free: Vec<i64> = questions
            .iter()
            .filter(|q| wanted.contains(&q.1) && !used.contains(&q.0))
            .map(|q| q.0)
            .collect();
        if free.is_empty() {
            return Err(LmsError::field(
                "attempt",
                format!(
                    "the category “{}” has too few questions for this quiz; tell your teacher",
                    s.category_name.clone().unwrap_or_default()
                ),
            ));
        }
        let pick = free[shuffled_order(mixed(seed, s.id), free.len())[0]];
        used.push(pick);
        let v = bank::latest_version(tx, pick).await?;
        out.push((v.id, s.mark));
    }
    Ok(out)
}

/// Question `i` of an attempt as its reader may see it.
fn show_question(
    quiz: &Quiz,
    attempt: &Attempt,
    i: usize,
    q: &AttemptQuestion,
    shows: Shows,
) -> ShownQuestion {
    let question = &q.question;
    let format = question.format;
    let seed = mixed(attempt.seed, q.slot);
    let html = |t: &str| text_html(format, t);
    // Multiple choice names choices by their own index; matching and ordering by position.
    let shown = |texts: Vec<&str>, order: Vec<usize>, by_position: bool| -> Vec<Shown> {
        order
            .into_iter()
            .enumerate()
            .map(|(p, k)| Shown {
                index: if by_position { p } else { k },
                html: html(texts[k]),
            })
            .collect()
    };
    let positions = shown_order(quiz, attempt.seed, q);
    let mut s = ShownQuestion {
        slot: q.slot,
        page: page_of(i, quiz.questions_per_page),
        name: question.name.clone(),
        kind: question.body.kind(),
        text_html: html(&question.text),
        max_mark: q.max_mark,
        choices: Vec::new(),
        multiple: false,
        prompts: Vec::new(),
        items: Vec::new(),
        gaps: 0,
        template: String::new(),
        response: match (&q.response, &positions) {
            (Some(r), Some(o)) => Some(translate(r, o, false)),
            (r, _) => r.clone(),
        },
        saved_at: q.saved_at,
        state: None,
        mark: None,
        right_answer: None,
        feedback: Vec::new(),
    };
    match &question.body {
        Body::MultipleChoice(mc) => {
            let texts = mc.choices.iter().map(|c| c.text.as_str()).collect();
            let o = order(
                seed,
                mc.choices.len(),
                mc.shuffle && quiz.shuffle_answers,
                false,
            );
            s.choices = shown(texts, o, false);
            s.multiple = mc.multiple;
        }
        Body::Matching(m) => {
            let answers = m.answer_choices();
            s.choices = shown(answers, positions.clone().unwrap_or_default(), true);
            s.prompts = m.prompts().map(|p| html(&p.prompt)).collect();
        }
        Body::Ordering(o) => {
            let texts = o.items.iter().map(String::as_str).collect();
            s.items = shown(texts, positions.clone().unwrap_or_default(), true);
        }
        Body::Gaps(g) => s.gaps = g.gaps.len(),
        Body::Essay(e) => s.template = e.response_template.clone(),
        _ => {}
    }
    let response = q.response.clone().unwrap_or(Response::Blank);
    if shows.marks {
        s.mark = q.mark;
        s.state = Some(match (q.mark, q.fraction) {
            (None, _) => State::NeedsGrading,
            _ if q.response.is_none() => State::NotAnswered,
            (Some(_), Some(f)) if f == Fixed::ONE => State::Right,
            (Some(_), Some(f)) if f == Fixed::ZERO => State::Wrong,
            (Some(_), Some(_)) => State::Partial,
            (Some(_), None) => mark(question, &response).state,
        });
    }
    if shows.answers {
        s.right_answer = right_answer(question);
    }
    if shows.feedback {
        s.feedback = mark(question, &response)
            .feedback
            .iter()
            .map(|f| html(f))
            .collect();
        if !question.general_feedback.trim().is_empty() {
            s.feedback.push(html(&question.general_feedback));
        }
        if !q.comment.is_empty() {
            s.feedback.push(text_html(TextFormat::Plain, &q.comment));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grading_methods() {
        let a = [(1, 0.5), (2, 0.9), (3, 0.4)];
        assert_eq!(quiz_grade(GradingMethod::Highest, &a), Some(0.9));
        assert_eq!(quiz_grade(GradingMethod::Last, &a), Some(0.4));
        assert_eq!(quiz_grade(GradingMethod::First, &a), Some(0.5));
        let avg = quiz_grade(GradingMethod::Average, &a).unwrap();
        assert!((avg - 0.6).abs() < 1e-12);
        assert_eq!(quiz_grade(GradingMethod::Highest, &[]), None);
    }

    #[test]
    fn exact_products_and_pages() {
        let half = Fixed::parse("0.5").unwrap();
        assert_eq!(times(half, Fixed::parse("3").unwrap()).to_string(), "1.5");
        assert_eq!(
            divided(Fixed::parse("1").unwrap(), Fixed::parse("4").unwrap()).to_string(),
            "0.25"
        );
        assert_eq!(divided(Fixed::ONE, Fixed::ZERO), Fixed::ZERO);
        assert_eq!(
            (page_of(0, 2), page_of(1, 2), page_of(2, 2), page_of(9, 0)),
            (0, 0, 1, 0)
        );
    }

    #[test]
    fn texts_are_cleaned() {
        assert_eq!(text_html(TextFormat::Plain, "a < b\nc"), "a &lt; b<br>c");
        let html = text_html(TextFormat::Html, "<p onclick=x>Hi</p><script>1</script>");
        assert!(
            !html.contains("script") && !html.contains("onclick"),
            "{html}"
        );
        assert_eq!(plain_text("<b>Paris</b>"), "Paris");
    }
}
