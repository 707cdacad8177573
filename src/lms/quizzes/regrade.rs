//! Regrading after a question changes: the attempts (finished or running) that were given an
//! older version of a bank question, what marking them with the newest version would change
//! (`Lms::regrade_preview`), and doing it (`Lms::regrade_apply`): in one transaction their
//! slots move to the newest version, are marked again, attempt totals are recounted and the
//! quiz grades written as `attempts` does. An edit that changes the type or what a response's
//! indices name (the number of choices, items, prompts or gaps) cannot be regraded: those
//! attempts are listed and keep their version. Marks given by hand (essays, a grader's
//! override) are kept. Editing the question itself is `bank_lms`'s; this module never makes
//! versions.

use std::collections::{BTreeSet, HashMap, hash_map::Entry};

use serde::Serialize;

use super::{
    Body, Fixed, Question, Response,
    attempts::{decode, fixed, lock_attempt, marked, recount, sum, write_grade},
    bank::{self, Version},
};
use crate::{
    db::{Executor, Row, Value},
    lms::{Lms, LmsError, courses::CourseView, permissions},
};

/// Why an attempt's version of a question cannot be moved to `newest` (`None`: it can).
/// The stored response names choices, items, prompts and gaps by index, so those counts must
/// stay; text and numbers answer any version of the same type.
pub fn incompatibility(old: &Question, newest: &Question) -> Option<String> {
    let count = |what: &str, a: usize, b: usize| {
        (a != b).then(|| format!("the number of {what} changed ({a} → {b})"))
    };
    match (&old.body, &newest.body) {
        (Body::MultipleChoice(a), Body::MultipleChoice(b)) => {
            count("choices", a.choices.len(), b.choices.len())
        }
        (Body::Matching(a), Body::Matching(b)) => {
            count("prompts", a.prompts().count(), b.prompts().count()).or_else(|| {
                count(
                    "answers to choose from",
                    a.answer_choices().len(),
                    b.answer_choices().len(),
                )
            })
        }
        (Body::Ordering(a), Body::Ordering(b)) => count("items", a.items.len(), b.items.len()),
        (Body::Gaps(a), Body::Gaps(b)) => count("gaps", a.gaps.len(), b.gaps.len()),
        (a, b) if a.kind() != b.kind() => {
            Some(format!("the type changed ({} → {})", a.kind(), b.kind()))
        }
        _ => None,
    }
}

/// One slot of an attempt as stored, with what regrading needs.
#[derive(Clone, Debug)]
struct Slot {
    attempt_id: i64,
    slot: i64,
    version_id: i64,
    version: i32,
    max_mark: Fixed,
    response: Option<Response>,
    fraction: Option<Fixed>,
    mark: Option<Fixed>,
    /// Marked by hand (an essay, or a grader's override): kept as it is.
    by_hand: bool,
}

/// A slot's (fraction, mark) once marked with `newest`: unanswered questions and marks given
/// by hand keep theirs, and so does an essay still waiting (marking gives nothing).
fn remarked(slot: &Slot, newest: &Question) -> (Option<Fixed>, Option<Fixed>) {
    match &slot.response {
        _ if slot.by_hand => (slot.fraction, slot.mark),
        None => (slot.fraction, slot.mark),
        Some(r) => marked(newest, r, slot.max_mark),
    }
}

/// An attempt whose marks change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegradeRow {
    pub attempt_id: i64,
    pub quiz_id: i64,
    pub quiz_title: String,
    pub student_id: i64,
    pub student_name: String,
    /// 1 for the student's first attempt.
    pub attempt: i64,
    pub finished: bool,
    /// The version the attempt was given.
    pub from_version: i32,
    /// The question's mark in this attempt, now and after (`None`: not marked yet).
    pub old_mark: Option<Fixed>,
    pub new_mark: Option<Fixed>,
    pub max_mark: Fixed,
    /// The attempt's total, now and after (`None` while it runs).
    pub old_total: Option<Fixed>,
    pub new_total: Option<Fixed>,
    pub max_total: Fixed,
}

/// An attempt that keeps its version.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Incompatible {
    pub attempt_id: i64,
    pub quiz_title: String,
    pub student_name: String,
    pub attempt: i64,
    pub from_version: i32,
    pub reason: String,
}

/// What a regrade would do.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegradePreview {
    pub question_id: i64,
    pub name: String,
    /// The newest version, which the attempts would be marked with.
    pub version: i32,
    /// Attempts whose marks change.
    pub changes: Vec<RegradeRow>,
    /// Attempts that move to the newest version with the same marks.
    pub unchanged: usize,
    /// Attempts that cannot be regraded and keep their version.
    pub incompatible: Vec<Incompatible>,
}

impl RegradePreview {
    /// Attempts a regrade would move to the newest version.
    pub fn regradable(&self) -> usize {
        self.changes.len() + self.unchanged
    }
}

/// What a regrade did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RegradeOutcome {
    /// Attempts moved to the newest version.
    pub regraded: usize,
    /// Of those, attempts whose marks changed.
    pub changed: usize,
    /// Attempts left on their version.
    pub incompatible: usize,
}

/// The attempt columns regrading reads with each slot.
const SLOTS_SQL: &str = "SELECT aq.attempt_id, aq.slot, aq.question_version_id, aq.max_mark,
        aq.response, aq.fraction, aq.mark, aq.graded_by, v.version, v.body,
        a.quiz_id, a.student_id, a.attempt, a.submitted_at, a.marks,
        m.title AS quiz_title, u.display_name AS student_name
     FROM quiz_attempt_questions aq
     JOIN question_versions v ON v.id = aq.question_version_id
     JOIN quiz_attempts a ON a.id = aq.attempt_id
     JOIN modules m ON m.id = a.quiz_id
     JOIN users u ON u.id = a.student_id";

/// An attempt of the regrade with its slots of the question.
#[derive(Clone, Debug)]
struct Found {
    attempt_id: i64,
    quiz_id: i64,
    quiz_title: String,
    student_id: i64,
    student_name: String,
    attempt: i64,
    finished: bool,
    total: Option<Fixed>,
    slots: Vec<Slot>,
    /// The versions the slots were given, parsed once.
    questions: Vec<Question>,
}

/// The attempts holding an older version than `newest` (of its question), with those slots;
/// `only` narrows them to one attempt (read again after it is locked).
async fn older_slots(
    exec: &mut impl Executor,
    newest: &Version,
    only: Option<i64>,
) -> Result<Vec<Found>, LmsError> {
    let mut sql = format!("{SLOTS_SQL} WHERE v.question_id = $1 AND v.id <> $2");
    let mut params: Vec<Value> = vec![newest.question_id.into(), newest.id.into()];
    if let Some(a) = only {
        sql.push_str(" AND aq.attempt_id = $3");
        params.push(a.into());
    }
    sql.push_str(" ORDER BY lower(m.title), m.id, lower(u.display_name), u.id, a.attempt, aq.slot");
    let rows = exec.query(&sql, &params).await?;
    let mut bodies: HashMap<i64, Question> = HashMap::new();
    let mut out: Vec<Found> = Vec::new();
    for r in &rows {
        let slot = slot_from_row(r)?;
        let question = match bodies.entry(slot.version_id) {
            Entry::Occupied(e) => e.get().clone(),
            Entry::Vacant(e) => {
                let body: String = r.get("body")?;
                e.insert(decode(&body)?).clone()
            }
        };
        if out.last().is_none_or(|f| f.attempt_id != slot.attempt_id) {
            let submitted: Option<chrono::DateTime<chrono::Utc>> = r.get("submitted_at")?;
            out.push(Found {
                attempt_id: slot.attempt_id,
                quiz_id: r.get("quiz_id")?,
                quiz_title: r.get("quiz_title")?,
                student_id: r.get("student_id")?,
                student_name: r.get("student_name")?,
                attempt: r.get("attempt")?,
                finished: submitted.is_some(),
                total: fixed(r, "marks")?,
                slots: Vec::new(),
                questions: Vec::new(),
            });
        }
        let found = out.last_mut().expect("pushed");
        found.slots.push(slot);
        found.questions.push(question);
    }
    Ok(out)
}

fn slot_from_row(r: &Row) -> Result<Slot, LmsError> {
    let response: Option<String> = r.get("response")?;
    let graded_by: Option<i64> = r.get("graded_by")?;
    let version: i64 = r.get("version")?;
    Ok(Slot {
        attempt_id: r.get("attempt_id")?,
        slot: r.get("slot")?,
        version_id: r.get("question_version_id")?,
        version: version as i32,
        max_mark: fixed(r, "max_mark")?.unwrap_or(Fixed::ZERO),
        response: response.as_deref().map(decode).transpose()?,
        fraction: fixed(r, "fraction")?,
        mark: fixed(r, "mark")?,
        by_hand: graded_by.is_some(),
    })
}

/// Each attempt's total possible marks.
async fn max_totals(
    exec: &mut impl Executor,
    newest: &Version,
) -> Result<HashMap<i64, Fixed>, LmsError> {
    let rows = exec
        .query(
            "SELECT aq.attempt_id, aq.max_mark FROM quiz_attempt_questions aq
             WHERE aq.attempt_id IN (
                 SELECT o.attempt_id FROM quiz_attempt_questions o
                 JOIN question_versions v ON v.id = o.question_version_id
                 WHERE v.question_id = $1 AND v.id <> $2)",
            &[newest.question_id.into(), newest.id.into()],
        )
        .await?;
    let mut out: HashMap<i64, Fixed> = HashMap::new();
    for r in &rows {
        let m = fixed(r, "max_mark")?.unwrap_or(Fixed::ZERO);
        let e = out.entry(r.get("attempt_id")?).or_insert(Fixed::ZERO);
        *e = sum([*e, m].into_iter());
    }
    Ok(out)
}

/// The sum of the marks given (`None` when none is).
fn total_of(marks: impl Iterator<Item = Option<Fixed>>) -> Fixed {
    sum(marks.flatten())
}

/// What regrading one attempt would do: its row, or why it cannot be regraded.
fn plan(found: &Found, newest: &Version, max_total: Fixed) -> Result<RegradeRow, Incompatible> {
    if let Some((slot, reason)) = found
        .slots
        .iter()
        .zip(&found.questions)
        .find_map(|(s, q)| incompatibility(q, &newest.question).map(|r| (s, r)))
    {
        return Err(Incompatible {
            attempt_id: found.attempt_id,
            quiz_title: found.quiz_title.clone(),
            student_name: found.student_name.clone(),
            attempt: found.attempt,
            from_version: slot.version,
            reason,
        });
    }
    let after: Vec<(Option<Fixed>, Option<Fixed>)> = found
        .slots
        .iter()
        .map(|s| remarked(s, &newest.question))
        .collect();
    let old_mark = found.slots.iter().map(|s| s.mark);
    let old_mark = (old_mark.clone().any(|m| m.is_some())).then(|| total_of(old_mark));
    let new_mark =
        (after.iter().any(|a| a.1.is_some())).then(|| total_of(after.iter().map(|a| a.1)));
    let old_total = found.total.filter(|_| found.finished);
    let new_total = old_total.map(|t| {
        let removed = total_of(found.slots.iter().map(|s| s.mark));
        let added = total_of(after.iter().map(|a| a.1));
        Fixed::from_units(t.units() - removed.units() + added.units())
    });
    Ok(RegradeRow {
        attempt_id: found.attempt_id,
        quiz_id: found.quiz_id,
        quiz_title: found.quiz_title.clone(),
        student_id: found.student_id,
        student_name: found.student_name.clone(),
        attempt: found.attempt,
        finished: found.finished,
        from_version: found.slots.first().map_or(0, |s| s.version),
        old_mark,
        new_mark,
        max_mark: sum(found.slots.iter().map(|s| s.max_mark)),
        old_total,
        new_total,
        max_total,
    })
}

impl RegradeRow {
    /// Whether the marks change (a slot's fraction may change without its mark when it is
    /// worth nothing; that is not shown).
    pub fn changes(&self) -> bool {
        self.old_mark != self.new_mark || self.old_total != self.new_total
    }
}

impl Lms {
    /// Question `id` of the course, for those who manage the bank and grade.
    async fn regrade_question(&self, view: &CourseView, id: i64) -> Result<String, LmsError> {
        view.require(permissions::can_grade)?;
        Ok(self.bank_question(view, id, None).await?.question.name)
    }

    /// What marking the attempts given an older version of question `id` with its newest
    /// version would change (nothing is written).
    pub async fn regrade_preview(
        &self,
        view: &CourseView,
        id: i64,
    ) -> Result<RegradePreview, LmsError> {
        let name = self.regrade_question(view, id).await?;
        let mut conn = self.db.conn().await?;
        let newest = bank::latest_version(&mut conn, id).await?;
        let found = older_slots(&mut conn, &newest, None).await?;
        let maxima = if found.is_empty() {
            HashMap::new()
        } else {
            max_totals(&mut conn, &newest).await?
        };
        let mut preview = RegradePreview {
            question_id: id,
            name,
            version: newest.version,
            changes: Vec::new(),
            unchanged: 0,
            incompatible: Vec::new(),
        };
        for f in &found {
            let max = maxima.get(&f.attempt_id).copied().unwrap_or(Fixed::ZERO);
            match plan(f, &newest, max) {
                Ok(row) if row.changes() => preview.changes.push(row),
                Ok(_) => preview.unchanged += 1,
                Err(no) => preview.incompatible.push(no),
            }
        }
        Ok(preview)
    }

    /// Regrades the attempts given an older version of question `id` in one transaction:
    /// each compatible one moves to the newest version and is marked again (marks given by
    /// hand are kept), finished attempts are recounted and their quiz grades written (released
    /// as the review options say). `expected`: the newest version the caller previewed; when
    /// the question was edited since, nothing is done and the error says so. Running it again
    /// finds nothing to do.
    pub async fn regrade_apply(
        &self,
        view: &CourseView,
        id: i64,
        expected: Option<i32>,
    ) -> Result<RegradeOutcome, LmsError> {
        self.regrade_question(view, id).await?;
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let newest = bank::latest_version(&mut tx, id).await?;
        if expected.is_some_and(|v| v != newest.version) {
            return Err(LmsError::field(
                "version",
                format!(
                    "the question was edited again (now version {}): check what changes below and confirm again",
                    newest.version
                ),
            ));
        }
        let candidates: Vec<i64> = older_slots(&mut tx, &newest, None)
            .await?
            .iter()
            .map(|f| f.attempt_id)
            .collect();
        let mut outcome = RegradeOutcome::default();
        let mut grades: BTreeSet<(i64, i64)> = BTreeSet::new();
        for attempt_id in candidates {
            // Lock the attempt first (as a save and a submit do), then read it again: a save
            // or submit that got there first is seen, one that comes later waits.
            lock_attempt(&mut tx, attempt_id).await?;
            let Some(found) = older_slots(&mut tx, &newest, Some(attempt_id))
                .await?
                .into_iter()
                .next()
            else {
                continue;
            };
            let row = match plan(&found, &newest, Fixed::ZERO) {
                Ok(row) => row,
                Err(_) => {
                    outcome.incompatible += 1;
                    continue;
                }
            };
            for s in &found.slots {
                let (fraction, mark) = remarked(s, &newest.question);
                tx.execute(
                    "UPDATE quiz_attempt_questions SET question_version_id = $3, fraction = $4, mark = $5
                     WHERE attempt_id = $1 AND slot = $2 AND question_version_id = $6",
                    &[
                        attempt_id.into(),
                        s.slot.into(),
                        newest.id.into(),
                        fraction.map(|f| f.to_string()).into(),
                        mark.map(|m| m.to_string()).into(),
                        s.version_id.into(),
                    ],
                )
                .await?;
            }
            outcome.regraded += 1;
            if row.changes() {
                outcome.changed += 1;
            }
            if found.finished {
                let (marks, needs) = recount(&mut tx, attempt_id).await?;
                tx.execute(
                    "UPDATE quiz_attempts SET marks = $2, needs_grading = $3 WHERE id = $1",
                    &[attempt_id.into(), marks.to_string().into(), needs.into()],
                )
                .await?;
                grades.insert((found.quiz_id, found.student_id));
            }
        }
        for (quiz_id, student_id) in grades {
            write_grade(&mut tx, quiz_id, student_id, now).await?;
        }
        tx.commit().await?;
        Ok(outcome)
    }
}

/// "1 attempt", "3 attempts".
pub fn attempts_text(n: usize) -> String {
    if n == 1 {
        "1 attempt".into()
    } else {
        format!("{n} attempts")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lms::quizzes::attempts::divided;
    use crate::lms::quizzes::questions::{Choice, Essay, MultiScoring, MultipleChoice, TrueFalse};

    fn mc(right: usize, n: usize) -> Question {
        Question::new(
            "Q",
            "Pick",
            Body::MultipleChoice(MultipleChoice {
                choices: (0..n)
                    .map(|i| Choice {
                        text: format!("c{i}"),
                        fraction: if i == right { Fixed::ONE } else { Fixed::ZERO },
                        feedback: String::new(),
                    })
                    .collect(),
                multiple: false,
                scoring: MultiScoring::Sum,
                shuffle: false,
            }),
        )
    }

    fn slot(response: Option<Response>, mark: Option<&str>, by_hand: bool) -> Slot {
        let mark = mark.and_then(Fixed::parse);
        Slot {
            attempt_id: 1,
            slot: 1,
            version_id: 1,
            version: 1,
            max_mark: Fixed::parse("2").unwrap(),
            response,
            fraction: mark.map(|m| divided(m, Fixed::parse("2").unwrap())),
            mark,
            by_hand,
        }
    }

    #[test]
    fn compatibility_needs_the_same_type_and_counts() {
        assert_eq!(incompatibility(&mc(0, 3), &mc(1, 3)), None);
        assert!(
            incompatibility(&mc(0, 3), &mc(0, 4))
                .unwrap()
                .contains("choices changed (3 → 4)")
        );
        let tf = Question::new(
            "Q",
            "T?",
            Body::TrueFalse(TrueFalse {
                correct: true,
                feedback_true: String::new(),
                feedback_false: String::new(),
            }),
        );
        assert!(incompatibility(&mc(0, 3), &tf).unwrap().contains("type"));
        assert_eq!(incompatibility(&tf, &tf), None);
    }

    #[test]
    fn remarking_keeps_hand_marks_and_blanks() {
        let newest = mc(1, 3);
        let right = slot(Some(Response::Choices(vec![1])), Some("0"), false);
        assert_eq!(remarked(&right, &newest).1.unwrap().to_string(), "2");
        let wrong = slot(Some(Response::Choices(vec![0])), Some("2"), false);
        assert_eq!(remarked(&wrong, &newest).1.unwrap().to_string(), "0");
        let hand = slot(Some(Response::Choices(vec![0])), Some("1.5"), true);
        assert_eq!(remarked(&hand, &newest).1.unwrap().to_string(), "1.5");
        let blank = slot(None, None, false);
        assert_eq!(remarked(&blank, &newest), (None, None));
        let essay = Question::new("E", "Why?", Body::Essay(Essay::default()));
        let waiting = slot(Some(Response::Text("so".into())), None, false);
        assert_eq!(remarked(&waiting, &essay), (None, None));
    }
}
