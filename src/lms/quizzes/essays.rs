//! A quiz's essay grading table: every submitted attempt of the course's students with its
//! essay answers (those waiting for a mark first, then those marked), and saving every mark
//! and comment of the table at once, in one transaction and only when every one is valid.
//! The per-question arithmetic (a mark's fraction, the attempt's recount, the quiz grade) is
//! `attempts`' own, the same as the review page's form uses.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{
    Fixed, Question, Response,
    attempts::{
        Attempt, GraderMark, check_grader_mark, lock_attempt, remark_attempt, store_grader_mark,
        text_html,
    },
    quiz::Quiz,
};
use crate::{
    db::DbError,
    lms::{FieldErrors, Lms, LmsError, User, courses::CourseView, permissions},
};

/// One essay question of an attempt as its grader sees it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EssayAnswer {
    pub slot: i64,
    pub question_name: String,
    /// The question's text as cleaned HTML.
    pub question_html: String,
    pub max_mark: Fixed,
    /// The student's text; `None` when they left it unanswered (marked 0 on submit).
    pub answer: Option<String>,
    /// `None`: waiting for its grader.
    pub mark: Option<Fixed>,
    pub comment: String,
}

/// A submitted attempt with essay questions, and whose it is.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EssayRow {
    pub student: User,
    pub attempt: Attempt,
    pub essays: Vec<EssayAnswer>,
}

impl EssayRow {
    /// An essay of this attempt waits for a mark.
    pub fn waiting(&self) -> bool {
        self.essays.iter().any(|e| e.mark.is_none())
    }
}

/// A quiz's essay grading table: the attempts waiting first (by student, then attempt), then
/// those already marked.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EssaySheet {
    pub quiz: Quiz,
    pub rows: Vec<EssayRow>,
}

impl EssaySheet {
    pub fn waiting(&self) -> impl Iterator<Item = &EssayRow> {
        self.rows.iter().filter(|r| r.waiting())
    }

    pub fn graded(&self) -> impl Iterator<Item = &EssayRow> {
        self.rows.iter().filter(|r| !r.waiting())
    }

    /// How many attempts wait for a mark.
    pub fn waiting_count(&self) -> usize {
        self.waiting().count()
    }
}

/// One essay's fields as typed: the mark (empty leaves a waiting essay waiting) and comment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EssayInput {
    pub attempt_id: i64,
    pub slot: i64,
    pub mark: String,
    pub comment: String,
}

/// The problems of a table that was not saved, per (attempt id, slot).
#[derive(Debug, Default)]
pub struct EssayErrors(pub BTreeMap<(i64, i64), FieldErrors>);

impl EssayErrors {
    pub fn of(&self, attempt_id: i64, slot: i64) -> Option<&FieldErrors> {
        self.0.get(&(attempt_id, slot))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many essays have a problem.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    fn add(&mut self, key: (i64, i64), field: &'static str, message: impl Into<String>) {
        self.0.entry(key).or_default().add(field, message);
    }
}

/// Checks every input against the essay it names; all problems at once. Returns the marks
/// that change something (an untouched row is left as it is, with its grader and time).
fn check_inputs(
    old: &HashMap<(i64, i64), &EssayAnswer>,
    inputs: &[EssayInput],
) -> Result<Vec<GraderMark>, EssayErrors> {
    let mut errors = EssayErrors::default();
    let mut out = Vec::new();
    for input in inputs {
        let key = (input.attempt_id, input.slot);
        let essay = old[&key];
        let checked = if input.mark.trim().is_empty() {
            match essay.mark {
                // A mark given stays: the essay does not go back to waiting.
                Some(_) => Err((
                    "mark",
                    format!(
                        "enter a mark from 0 to {} (a given mark cannot be removed)",
                        essay.max_mark
                    ),
                )),
                None => check_grader_mark("0", &input.comment, essay.max_mark)
                    .map(|(_, comment)| (None, comment)),
            }
        } else {
            check_grader_mark(&input.mark, &input.comment, essay.max_mark)
                .map(|(m, comment)| (Some(m), comment))
        };
        match checked {
            Ok((mark, comment)) => {
                if mark != essay.mark || comment != essay.comment {
                    out.push(GraderMark {
                        attempt_id: input.attempt_id,
                        slot: input.slot,
                        mark,
                        max: essay.max_mark,
                        comment,
                    });
                }
            }
            Err((field, message)) => errors.add(key, field, message),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn fixed(row: &crate::db::Row, column: &str) -> Result<Option<Fixed>, LmsError> {
    let text: Option<String> = row.get(column)?;
    Ok(text.as_deref().and_then(Fixed::parse))
}

/// How many of quiz `quiz_id`'s submitted attempts, by students of course `course_id`, have
/// an essay waiting; the SQL the quiz page and the table share.
pub(crate) const WAITING_SQL: &str = "SELECT COUNT(*) AS n FROM quiz_attempts a
     JOIN enrollments e ON e.user_id = a.student_id AND e.course_id = $2 AND e.role = 'student'
     WHERE a.quiz_id = $1 AND a.submitted_at IS NOT NULL AND a.needs_grading";

impl Lms {
    /// The essay grading table of quiz `quiz_id` (staff); overdue attempts are submitted
    /// first, so an abandoned essay is here as it stood.
    pub async fn essay_sheet(
        &self,
        view: &CourseView,
        quiz_id: i64,
    ) -> Result<EssaySheet, LmsError> {
        view.require(permissions::can_grade)?;
        let quiz = self.quiz(view, quiz_id).await?;
        self.close_overdue_attempts(Some(quiz_id)).await?;
        let students: HashMap<i64, User> = self
            .students(view)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        let rows = self
            .db
            .query(
                "SELECT a.*, aq.slot, aq.max_mark, aq.response, aq.mark AS essay_mark,
                        aq.comment AS essay_comment, v.body AS essay_body
                 FROM quiz_attempts a
                 JOIN quiz_attempt_questions aq ON aq.attempt_id = a.id
                 JOIN question_versions v ON v.id = aq.question_version_id
                 WHERE a.quiz_id = $1 AND a.submitted_at IS NOT NULL AND v.kind = 'essay'
                 ORDER BY a.id, aq.slot",
                &[quiz_id.into()],
            )
            .await?;
        let mut out: Vec<EssayRow> = Vec::new();
        for r in &rows {
            let attempt = Attempt::from_row(r)?;
            let Some(student) = students.get(&attempt.student_id) else {
                continue;
            };
            let body: String = r.get("essay_body")?;
            let question: Question = serde_json::from_str(&body)
                .map_err(|e| DbError::Decode(format!("stored quiz data: {e}")))?;
            let response: Option<String> = r.get("response")?;
            let answer = match response.as_deref().map(serde_json::from_str::<Response>) {
                Some(Ok(Response::Text(t))) => Some(t),
                _ => None,
            };
            let essay = EssayAnswer {
                slot: r.get("slot")?,
                question_name: question.name.clone(),
                question_html: text_html(question.format, &question.text),
                max_mark: fixed(r, "max_mark")?.unwrap_or(Fixed::ZERO),
                answer,
                mark: fixed(r, "essay_mark")?,
                comment: r.get("essay_comment")?,
            };
            match out.last_mut() {
                Some(last) if last.attempt.id == attempt.id => last.essays.push(essay),
                _ => out.push(EssayRow {
                    student: student.clone(),
                    attempt,
                    essays: vec![essay],
                }),
            }
        }
        out.sort_by(|a, b| {
            (
                !a.waiting(),
                &a.student.display_name,
                a.student.id,
                a.attempt.attempt,
            )
                .cmp(&(
                    !b.waiting(),
                    &b.student.display_name,
                    b.student.id,
                    b.attempt.attempt,
                ))
        });
        Ok(EssaySheet { quiz, rows: out })
    }

    /// How many submitted attempts at quiz `quiz_id` wait for an essay's mark (staff).
    pub async fn essays_waiting(&self, view: &CourseView, quiz_id: i64) -> Result<i64, LmsError> {
        view.require(permissions::can_grade)?;
        Ok(self
            .db
            .query_one(WAITING_SQL, &[quiz_id.into(), view.course().id.into()])
            .await?
            .get("n")?)
    }

    /// Saves every essay mark and comment of the table together: nothing is saved unless
    /// every one is valid (`Ok(Err(..))` then, with each essay's problems). An input naming
    /// an essay that is not in the table is `NotFound`. Each changed attempt's marks are
    /// recounted and its student's quiz grade written, in the same transaction. Returns how
    /// many essays changed.
    pub async fn save_essay_marks(
        &self,
        view: &CourseView,
        grader: &User,
        quiz_id: i64,
        inputs: &[EssayInput],
    ) -> Result<Result<usize, EssayErrors>, LmsError> {
        let sheet = self.essay_sheet(view, quiz_id).await?;
        let old: HashMap<(i64, i64), &EssayAnswer> = sheet
            .rows
            .iter()
            .flat_map(|r| r.essays.iter().map(|e| ((r.attempt.id, e.slot), e)))
            .collect();
        if inputs
            .iter()
            .any(|i| !old.contains_key(&(i.attempt_id, i.slot)))
        {
            return Err(LmsError::NotFound);
        }
        let marks = match check_inputs(&old, inputs) {
            Ok(marks) => marks,
            Err(errors) => return Ok(Err(errors)),
        };
        let attempts: HashMap<i64, &Attempt> = sheet
            .rows
            .iter()
            .map(|r| (r.attempt.id, &r.attempt))
            .collect();
        let touched: BTreeSet<i64> = marks.iter().map(|m| m.attempt_id).collect();
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        // In id order, so two tables saved at once cannot lock each other's rows crosswise.
        for &id in &touched {
            lock_attempt(&mut tx, id).await?;
        }
        for m in &marks {
            store_grader_mark(&mut tx, m, grader.id, now).await?;
        }
        for id in touched {
            remark_attempt(&mut tx, attempts[&id], now).await?;
        }
        tx.commit().await?;
        Ok(Ok(marks.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn essay(mark: Option<&str>) -> EssayAnswer {
        EssayAnswer {
            slot: 1,
            question_name: "Essay".into(),
            question_html: String::new(),
            max_mark: Fixed::parse("2").unwrap(),
            answer: Some("text".into()),
            mark: mark.and_then(Fixed::parse),
            comment: String::new(),
        }
    }

    fn input(attempt_id: i64, mark: &str, comment: &str) -> EssayInput {
        EssayInput {
            attempt_id,
            slot: 1,
            mark: mark.into(),
            comment: comment.into(),
        }
    }

    #[test]
    fn every_bad_mark_is_named_and_untouched_rows_change_nothing() {
        let (waiting, waiting2, marked) = (essay(None), essay(None), essay(Some("1")));
        let old: HashMap<(i64, i64), &EssayAnswer> =
            [((1, 1), &waiting), ((2, 1), &waiting2), ((3, 1), &marked)].into();
        let errors = check_inputs(
            &old,
            &[input(1, "3", ""), input(2, "x", ""), input(3, "", "")],
        )
        .err()
        .unwrap();
        assert_eq!(errors.len(), 3);
        assert_eq!(
            errors.of(1, 1).unwrap().get("mark"),
            Some("enter a mark from 0 to 2")
        );
        assert!(
            errors
                .of(3, 1)
                .unwrap()
                .get("mark")
                .unwrap()
                .contains("cannot be removed")
        );
        let marks = check_inputs(
            &old,
            &[
                input(1, " 1.5 ", " good "),
                input(2, "", ""),
                input(3, "1", ""),
            ],
        )
        .unwrap();
        assert_eq!(marks.len(), 1, "only the changed essay");
        assert_eq!(marks[0].mark, Fixed::parse("1.5"));
        assert_eq!(marks[0].comment, "good");
        let comment_only = check_inputs(&old, &[input(2, "", "read again")]).unwrap();
        assert_eq!(
            comment_only[0].mark, None,
            "a comment alone leaves it waiting"
        );
    }
}
