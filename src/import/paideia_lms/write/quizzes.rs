//! Writes Paideia LMS quizzes: each quiz's questions into the course's bank (category
//! "Paideia LMS / quiz / part"), the quiz as a module with a `quizzes` row and one slot per
//! question, and its attempts with every stored answer re-marked by our marking (Paideia
//! LMS 0.7.15 stored wrong scores), with the quiz grade (highest attempt) in the gradebook.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use super::{Links, Writer, insert_id, new_module, save_body};
use crate::{
    db::{DbError, Executor},
    import::paideia_lms::{
        Report,
        quizzes::{Converted, Plan, plan, response},
        source::Link,
    },
    lms::{
        LmsError,
        quizzes::{Fixed, attempts, bank},
    },
};

/// A quiz written: its module, its questions (source id → (slot, version id, mark)).
pub(super) struct Written {
    pub module_id: i64,
    pub slots: HashMap<String, (i64, i64, Fixed)>,
    pub converted: HashMap<String, Converted>,
    pub time_limit: Option<i64>,
    pub show_score: bool,
    pub max_points: f64,
}

fn db(e: LmsError) -> DbError {
    match e {
        LmsError::Db(e) => e,
        other => DbError::Decode(other.to_string()),
    }
}

/// Writes the quiz of `link` into course `course`, section `section`, at `position`.
#[allow(clippy::too_many_arguments)]
pub(super) async fn quiz_module(
    w: &mut Writer<'_>,
    tx: &mut impl Executor,
    report: &mut Report,
    link: &Link,
    (course, section): (i64, i64),
    title: &str,
    position: i64,
) -> Result<Option<Written>, DbError> {
    let snap = w.snap;
    let Some(quiz) = link.quiz_id.and_then(|q| snap.quizzes.get(&q)) else {
        report.skip("quiz", Some(link.id), title, "its settings are missing");
        return Ok(None);
    };
    let Plan {
        parts,
        time_limit_seconds,
        sequential,
        show_score,
        show_answers,
        notes,
    } = plan(&quiz.config);
    for (question, why) in &notes {
        report.skip("quiz question", None, format!("{title}: {question}"), why);
    }
    if parts.is_empty() {
        report.skip(
            "quiz",
            Some(link.id),
            title,
            "it has no question that exists here",
        );
        return Ok(None);
    }
    let id = new_module(tx, link, (course, section), "page", title, position, None).await?;
    let marks: Fixed = Fixed::from_units(
        parts
            .iter()
            .flat_map(|p| &p.questions)
            .map(|c| c.mark.units())
            .sum(),
    );
    let max_points = snap
        .items
        .iter()
        .find(|i| i.link_id == Some(link.id))
        .map_or(marks.to_f64(), |i| i.max_grade)
        .max(0.01);
    let review = |shown: bool| if shown { "immediately" } else { "never" };
    tx.execute(
        "INSERT INTO quizzes (module_id, opens_at, closes_at, time_limit_seconds, max_attempts,
             grading_method, shuffle_questions, shuffle_answers, questions_per_page, navigation,
             review_marks, review_answers, review_feedback, max_points)
         VALUES ($1, $2, $3, $4, $5, 'highest', FALSE, FALSE, 0, $6, $7, $8, $8, $9)",
        &[
            id.into(),
            link.time("openingTime").into(),
            link.time("closingTime").into(),
            time_limit_seconds.filter(|t| *t > 0).into(),
            link.setting("maxAttempts")
                .and_then(serde_json::Value::as_i64)
                .filter(|n| *n > 0)
                .into(),
            if sequential { "sequential" } else { "free" }.into(),
            review(show_score).into(),
            review(show_answers).into(),
            max_points.into(),
        ],
    )
    .await?;
    save_body(tx, id, &quiz.instructions, &Links::default(), false).await?;
    let now = link.created_at;
    let mut slots = HashMap::new();
    let mut converted = HashMap::new();
    let mut slot = 0i64;
    for part in parts {
        let path = vec!["Paideia LMS".to_string(), title.to_string(), part.title];
        let category = bank::ensure_category_path(tx, course, &path, now)
            .await
            .map_err(db)?;
        for c in part.questions {
            let version = bank::add_question(tx, course, category, &c.question, None, now)
                .await
                .map_err(db)?;
            slot += 1;
            tx.execute(
                "INSERT INTO quiz_slots (quiz_id, position, question_id, mark) VALUES ($1, $2, $3, $4)",
                &[
                    id.into(),
                    slot.into(),
                    version.question_id.into(),
                    c.mark.to_string().into(),
                ],
            )
            .await?;
            report.add("quiz_questions", 1);
            slots.insert(c.source_id.clone(), (slot, version.id, c.mark));
            converted.insert(c.source_id.clone(), c);
        }
    }
    report.add("quizzes", 1);
    Ok(Some(Written {
        module_id: id,
        slots,
        converted,
        time_limit: time_limit_seconds.filter(|t| *t > 0),
        show_score,
        max_points,
    }))
}

/// Writes every quiz attempt, re-marked, and each student's quiz grade (highest fully
/// marked attempt) in the gradebook.
pub(super) async fn attempts(
    w: &mut Writer<'_>,
    tx: &mut impl Executor,
    report: &mut Report,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let snap = w.snap;
    let mut seen = HashSet::new();
    // (quiz module, student) → best fraction of a finished, fully marked attempt
    let mut best: HashMap<(i64, i64), f64> = HashMap::new();
    for a in &snap.quiz_attempts {
        let Some(quiz) = a.link_id.and_then(|l| w.quizzes.get(&l)) else {
            continue;
        };
        let Some(student) = w.user(a.student_id) else {
            continue;
        };
        if !seen.insert((quiz.module_id, student, a.attempt)) {
            continue;
        }
        let finished = a.status != "in_progress";
        let submitted_at = finished.then(|| a.submitted_at.unwrap_or(a.started_at));
        let ends_at = quiz.time_limit.map(|t| a.started_at + Duration::seconds(t));
        // Stable per attempt (the order is not shuffled; the seed only has to exist).
        let seed = (a.id & 0x7fff_ffff) * 7919 + 1;
        let attempt_id = insert_id(
            tx,
            "INSERT INTO quiz_attempts (quiz_id, student_id, attempt, seed, started_at, ends_at, submitted_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[
                quiz.module_id.into(),
                student.into(),
                a.attempt.into(),
                seed.into(),
                a.started_at.into(),
                ends_at.into(),
                submitted_at.into(),
            ],
        )
        .await?;
        let mut total = Fixed::ZERO;
        let mut max_total = Fixed::ZERO;
        let mut needs = false;
        let mut slots: Vec<(&String, &(i64, i64, Fixed))> = quiz.slots.iter().collect();
        slots.sort_by_key(|(_, s)| s.0);
        for (source_id, &(slot, version, max)) in slots {
            let c = &quiz.converted[source_id];
            let given = a.answers.iter().find(|x| x.question_id == *source_id);
            let r = given.map(|g| response(c, g.selected.as_deref(), &g.options));
            let (fraction, marks) = match &r {
                // The quiz pages' own marking; an essay (nothing marked) takes the grader's
                // points when Paideia LMS has them.
                Some(r) => match attempts::marked(&c.question, r, max) {
                    (None, None) => match given.and_then(|g| g.points).filter(|p| p.is_finite()) {
                        Some(p) => {
                            let m = Fixed::parse(&format!("{:.7}", p.clamp(0.0, max.to_f64())))
                                .unwrap_or(Fixed::ZERO);
                            (Some(attempts::divided(m, max)), Some(m))
                        }
                        None => (None, None),
                    },
                    marked => marked,
                },
                // Not answered: nothing while running, 0 once submitted.
                None if finished => (Some(Fixed::ZERO), Some(Fixed::ZERO)),
                None => (None, None),
            };
            match marks {
                Some(m) => total = Fixed::from_units(total.units() + m.units()),
                None if finished => needs = true,
                None => {}
            }
            max_total = Fixed::from_units(max_total.units() + max.units());
            let encoded = r
                .as_ref()
                .map(|r| serde_json::to_string(r).unwrap_or_default());
            tx.execute(
                "INSERT INTO quiz_attempt_questions
                     (attempt_id, slot, question_version_id, max_mark, response, saved_at, fraction, mark)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[
                    attempt_id.into(),
                    slot.into(),
                    version.into(),
                    max.to_string().into(),
                    encoded.into(),
                    r.as_ref().map(|_| submitted_at.unwrap_or(a.started_at)).into(),
                    fraction.map(|f| f.to_string()).into(),
                    marks.map(|m| m.to_string()).into(),
                ],
            )
            .await?;
        }
        if finished {
            tx.execute(
                "UPDATE quiz_attempts SET marks = $2, needs_grading = $3 WHERE id = $1",
                &[attempt_id.into(), total.to_string().into(), needs.into()],
            )
            .await?;
            if !needs && max_total > Fixed::ZERO {
                let fraction = total.to_f64() / max_total.to_f64();
                let entry = best.entry((quiz.module_id, student)).or_insert(fraction);
                *entry = entry.max(fraction);
            }
        }
        report.add("quiz_attempts", 1);
    }
    let replaced = snap
        .grades
        .iter()
        .filter(|g| {
            snap.items
                .iter()
                .find(|i| i.id == g.item_id)
                .and_then(|i| i.link_id)
                .is_some_and(|l| w.quizzes.contains_key(&l))
        })
        .count();
    if replaced > 0 {
        report.skip(
            "quiz grades",
            None,
            format!("{replaced}"),
            "Paideia LMS 0.7.15 stored wrong quiz scores (right answers scored as wrong): every \
             attempt was marked again here, and a grade follows once its essays are marked",
        );
    }
    for ((module, student), fraction) in best {
        let Some(item) = tx
            .query_opt(
                "SELECT id FROM gradebook_items WHERE module_id = $1",
                &[module.into()],
            )
            .await?
        else {
            continue;
        };
        let item: i64 = item.get("id")?;
        let quiz = w
            .quizzes
            .values()
            .find(|q| q.module_id == module)
            .expect("a written quiz");
        let points = (fraction * quiz.max_points * 10_000.0).round() / 10_000.0;
        tx.execute(
            "INSERT INTO grades (item_id, student_id, points, feedback, graded_at, released_at)
             VALUES ($1, $2, $3, '', $4, $5)",
            &[
                item.into(),
                student.into(),
                points.into(),
                now.into(),
                quiz.show_score.then_some(now).into(),
            ],
        )
        .await?;
        report.add("quiz_grades", 1);
    }
    Ok(())
}
