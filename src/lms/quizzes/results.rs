//! A quiz's results for staff: every student with every attempt (marks, times, whether the
//! server submitted it), the grade on the quiz's gradebook item, per-question statistics over
//! finished attempts (`statistics`: facility, discrimination, how often each choice was
//! picked) and the CSV export.

use std::collections::HashMap;

use super::{
    Body, Fixed, Question, Response,
    attempts::{Attempt, divided},
    quiz::Quiz,
    statistics::{Sample, choice_counts, discrimination_index, facility_index},
};
use crate::{
    db::DbError,
    lms::{Lms, LmsError, User, courses::CourseView, permissions},
};

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ResultAttempt {
    #[serde(flatten)]
    pub attempt: Attempt,
    pub marks: Option<Fixed>,
    pub max_marks: Fixed,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ResultRow {
    pub student: User,
    pub attempts: Vec<ResultAttempt>,
    /// The grade on the quiz's gradebook item, released or not.
    pub grade: Option<f64>,
}

/// One question version's numbers over finished attempts.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct QuestionStats {
    pub version_id: i64,
    pub name: String,
    pub kind: String,
    pub attempts: usize,
    /// Mean mark in %.
    pub facility: Option<f64>,
    /// Correlation with the rest of the quiz in %.
    pub discrimination: Option<f64>,
    /// Multiple choice: each choice's text and how often it was picked.
    pub choices: Vec<(String, usize)>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Results {
    pub quiz: Quiz,
    pub rows: Vec<ResultRow>,
    pub stats: Vec<QuestionStats>,
}

struct Answer {
    attempt_id: i64,
    version_id: i64,
    name: String,
    kind: String,
    body: String,
    fraction: Option<Fixed>,
    mark: Option<Fixed>,
    max: Fixed,
    response: Option<Response>,
}

impl Lms {
    /// The quiz's results (staff); overdue attempts are submitted first.
    pub async fn quiz_results(&self, view: &CourseView, id: i64) -> Result<Results, LmsError> {
        view.require(permissions::can_grade)?;
        let quiz = self.quiz(view, id).await?;
        self.close_overdue_attempts(Some(id)).await?;
        self.release_closed_quiz_grades().await?;
        let students = self.students(view).await?;
        let rows = self
            .db
            .query(
                "SELECT * FROM quiz_attempts WHERE quiz_id = $1 ORDER BY student_id, attempt",
                &[id.into()],
            )
            .await?;
        let attempts: Vec<Attempt> = rows
            .iter()
            .map(Attempt::from_row)
            .collect::<Result<_, _>>()?;
        let answers = self
            .db
            .query(
                "SELECT aq.attempt_id, aq.question_version_id, aq.max_mark, aq.mark, aq.fraction,
                        aq.response, v.name, v.kind, v.body
                 FROM quiz_attempt_questions aq
                 JOIN quiz_attempts a ON a.id = aq.attempt_id
                 JOIN question_versions v ON v.id = aq.question_version_id
                 WHERE a.quiz_id = $1 ORDER BY aq.attempt_id, aq.slot",
                &[id.into()],
            )
            .await?;
        let fixed = |r: &crate::db::Row, c: &str| -> Result<Option<Fixed>, LmsError> {
            Ok(r.get::<Option<String>>(c)?
                .as_deref()
                .and_then(Fixed::parse))
        };
        let mut list = Vec::new();
        for r in &answers {
            let response: Option<String> = r.get("response")?;
            list.push(Answer {
                attempt_id: r.get("attempt_id")?,
                version_id: r.get("question_version_id")?,
                name: r.get("name")?,
                kind: r.get("kind")?,
                body: r.get("body")?,
                fraction: fixed(r, "fraction")?,
                mark: fixed(r, "mark")?,
                max: fixed(r, "max_mark")?.unwrap_or(Fixed::ZERO),
                response: response.and_then(|t| serde_json::from_str(&t).ok()),
            });
        }
        let mut maxima: HashMap<i64, Fixed> = HashMap::new();
        for a in &list {
            let e = maxima.entry(a.attempt_id).or_insert(Fixed::ZERO);
            *e = Fixed::from_units(e.units() + a.max.units());
        }
        let grades: HashMap<i64, Option<f64>> = self
            .db
            .query(
                "SELECT grades.student_id, grades.points FROM grades
                 JOIN gradebook_items ON gradebook_items.id = grades.item_id
                 WHERE gradebook_items.module_id = $1",
                &[id.into()],
            )
            .await?
            .iter()
            .map(|r| Ok((r.get("student_id")?, r.get("points")?)))
            .collect::<Result<_, LmsError>>()?;
        let rows = students
            .into_iter()
            .map(|student| ResultRow {
                attempts: attempts
                    .iter()
                    .filter(|a| a.student_id == student.id)
                    .map(|a| ResultAttempt {
                        attempt: a.clone(),
                        marks: a.marks,
                        max_marks: maxima.get(&a.id).copied().unwrap_or(Fixed::ZERO),
                    })
                    .collect(),
                grade: grades.get(&student.id).copied().flatten(),
                student,
            })
            .collect();
        let finished: HashMap<i64, Fixed> = attempts
            .iter()
            .filter(|a| a.finished())
            .filter_map(|a| a.marks.map(|m| (a.id, m)))
            .collect();
        Ok(Results {
            quiz,
            rows,
            stats: statistics(&list, &finished)?,
        })
    }
}

fn statistics(
    list: &[Answer],
    finished: &HashMap<i64, Fixed>,
) -> Result<Vec<QuestionStats>, LmsError> {
    let mut versions: Vec<i64> = Vec::new();
    for a in list {
        if finished.contains_key(&a.attempt_id) && !versions.contains(&a.version_id) {
            versions.push(a.version_id);
        }
    }
    let mut out = Vec::new();
    for v in versions {
        let these: Vec<&Answer> = list
            .iter()
            .filter(|a| a.version_id == v && finished.contains_key(&a.attempt_id))
            .collect();
        let first = these[0];
        let fractions: Vec<Fixed> = these
            .iter()
            .map(|a| {
                a.fraction
                    .unwrap_or_else(|| a.mark.map_or(Fixed::ZERO, |m| divided(m, a.max)))
            })
            .collect();
        let samples: Vec<Sample> = these
            .iter()
            .zip(&fractions)
            .map(|(a, f)| Sample {
                fraction: *f,
                rest_of_quiz: finished[&a.attempt_id].to_f64()
                    - a.mark.unwrap_or(Fixed::ZERO).to_f64(),
            })
            .collect();
        let question: Question = serde_json::from_str(&first.body)
            .map_err(|e| DbError::Decode(format!("a stored question does not parse: {e}")))?;
        let choices = match &question.body {
            Body::MultipleChoice(mc) => {
                let responses: Vec<Response> =
                    these.iter().filter_map(|a| a.response.clone()).collect();
                mc.choices
                    .iter()
                    .map(|c| super::attempts::plain_text(&c.text))
                    .zip(choice_counts(mc.choices.len(), &responses))
                    .collect()
            }
            _ => Vec::new(),
        };
        out.push(QuestionStats {
            version_id: v,
            name: first.name.clone(),
            kind: first.kind.clone(),
            attempts: these.len(),
            facility: facility_index(&fractions),
            discrimination: discrimination_index(&samples),
            choices,
        });
    }
    Ok(out)
}

/// The results as CSV: one line per attempt (students without one get an empty line), every
/// cell made inert for spreadsheets.
pub fn results_csv(results: &Results) -> Result<String, LmsError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "email",
        "name",
        "attempt",
        "started",
        "submitted",
        "submitted by the server",
        "marks",
        "out of",
        "grade",
    ];
    let mut lines: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    let grade = |g: Option<f64>| g.map(crate::lms::gradebook::number).unwrap_or_default();
    for row in &results.rows {
        let who = [row.student.email.clone(), row.student.display_name.clone()];
        if row.attempts.is_empty() {
            let mut line = who.to_vec();
            line.extend(["", "", "", "", "", ""].map(String::from));
            line.push(grade(row.grade));
            lines.push(line);
        }
        for a in &row.attempts {
            let mut line = who.to_vec();
            line.push(a.attempt.attempt.to_string());
            line.push(a.attempt.started_at.to_rfc3339());
            line.push(
                a.attempt
                    .submitted_at
                    .map(|t| t.to_rfc3339())
                    .unwrap_or_default(),
            );
            line.push(
                if a.attempt.auto_submitted {
                    "yes"
                } else {
                    "no"
                }
                .into(),
            );
            line.push(a.marks.map(|m| m.to_string()).unwrap_or_default());
            line.push(a.max_marks.to_string());
            line.push(grade(row.grade));
            lines.push(line);
        }
    }
    for line in lines {
        out.write_record(line.iter().map(|c| crate::lms::gradebook::inert(c)))
            .map_err(|e| LmsError::Export(e.to_string()))?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| LmsError::Export(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| LmsError::Export(e.to_string()))
}
