//! Paideia LMS quizzes into ours, pure: a quiz's `raw_quiz_config` (version `v2`, a
//! `regular` quiz with pages of questions or a `container` of nested quizzes) becomes parts
//! (one bank category each) of `Question`s with their marks, and a stored answer becomes the
//! `Response` our marking reads. What has no equal here is listed, never guessed.
//!
//! Types: `multiple-choice` → multiple choice (one answer); `choice` → several answers
//! (partial credit, with or without a penalty per wrong answer, or all or nothing);
//! `short-answer` → short answer (the answer taken literally, case as the scoring says);
//! `long-answer` and `article` → essay; `fill-in-the-blank` → fill in the blanks;
//! `ranking` → ordering; both matrix types with one right column per row → matching;
//! `resources` → a description at the start of the part; `whiteboard` → left out (a drawing
//! canvas does not exist here).

use serde_json::{Map, Value};

use crate::lms::quizzes::{
    Body, Fixed, Question, Response, TextFormat,
    questions::{
        Choice, Essay, Gap, Gaps, MatchPair, Matching, MultiScoring, MultipleChoice, Ordering,
        OrderingGrading, ShortAnswer, TextAnswer, gap_marker,
    },
};

/// A converted quiz.
#[derive(Debug, Default)]
pub struct Plan {
    pub parts: Vec<Part>,
    /// `globalTimer`, in seconds (a container's nested timers are added up).
    pub time_limit_seconds: Option<i64>,
    /// Parts are taken in order (a container's `sequentialOrder`).
    pub sequential: bool,
    /// `grading.showScoreToStudent` and `grading.showCorrectAnswers`.
    pub show_score: bool,
    pub show_answers: bool,
    /// What was left out or changed, each `(question id, why)`.
    pub notes: Vec<(String, String)>,
}

/// One page of a regular quiz, or one nested quiz of a container: a bank category.
#[derive(Debug)]
pub struct Part {
    pub title: String,
    pub questions: Vec<Converted>,
}

#[derive(Debug)]
pub struct Converted {
    /// The id stored answers use: `q-mc`, or `nested:q-mc` inside a container.
    pub source_id: String,
    pub question: Question,
    /// The marks it is worth in the quiz.
    pub mark: Fixed,
    /// The source's option keys in our order (choices, ordering items, matching answers;
    /// gap names for fill in the blanks; matrix rows for matching prompts).
    keys: Vec<String>,
    /// Matching: the column keys in `answer_choices()` order.
    columns: Vec<String>,
}

/// Reads a quiz's `raw_quiz_config`.
pub fn plan(config: &Value) -> Plan {
    let mut plan = Plan {
        show_score: config
            .pointer("/grading/showScoreToStudent")
            .and_then(Value::as_bool)
            .unwrap_or(true),
        show_answers: config
            .pointer("/grading/showCorrectAnswers")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        time_limit_seconds: config.get("globalTimer").and_then(Value::as_i64),
        ..Plan::default()
    };
    if config.get("type").and_then(Value::as_str) == Some("container") {
        plan.sequential = config
            .get("sequentialOrder")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut timers = plan.time_limit_seconds.is_none().then_some(0);
        for nested in array(config, "nestedQuizzes") {
            let id = text(nested, "id");
            let title = non_empty(text(nested, "title"), &id);
            if let (Some(total), Some(t)) = (
                timers.as_mut(),
                nested.get("globalTimer").and_then(Value::as_i64),
            ) {
                *total += t;
            }
            let mut part = Part {
                title,
                questions: Vec::new(),
            };
            add_resources(&mut part, nested);
            for page in array(nested, "pages") {
                for q in array(page, "questions") {
                    convert_into(&mut part, &mut plan.notes, q, Some(&id));
                }
            }
            plan.parts.push(part);
        }
        if let Some(total) = timers.filter(|t| *t > 0) {
            plan.time_limit_seconds = Some(total);
        }
    } else {
        let mut first = true;
        for page in array(config, "pages") {
            let mut part = Part {
                title: non_empty(text(page, "title"), &text(page, "id")),
                questions: Vec::new(),
            };
            if first {
                add_resources(&mut part, config);
                first = false;
            }
            for q in array(page, "questions") {
                convert_into(&mut part, &mut plan.notes, q, None);
            }
            plan.parts.push(part);
        }
    }
    plan.parts.retain(|p| !p.questions.is_empty());
    plan
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

fn non_empty(s: String, fallback: &str) -> String {
    if s.trim().is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

/// The entries of a JSON object of `key → text` (in key order, serde_json's map order).
fn entries(v: Option<&Value>) -> Vec<(String, String)> {
    v.and_then(Value::as_object)
        .map(|m: &Map<String, Value>| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn format_of(text: &str) -> TextFormat {
    if text.contains('<') && text.contains('>') {
        TextFormat::Html
    } else {
        TextFormat::Plain
    }
}

fn fixed(points: f64) -> Fixed {
    Fixed::parse(&format!("{:.7}", points.clamp(0.0, 100_000.0))).unwrap_or(Fixed::ONE)
}

/// A literal accepted answer: our `*` wildcard escaped.
fn literal(answer: &str) -> TextAnswer {
    TextAnswer {
        pattern: answer.replace('\\', "\\\\").replace('*', "\\*"),
        fraction: Fixed::ONE,
        feedback: String::new(),
    }
}

fn add_resources(part: &mut Part, holder: &Value) {
    for r in array(holder, "resources") {
        let content = text(r, "content");
        if content.trim().is_empty() {
            continue;
        }
        let mut question = Question::new(
            non_empty(text(r, "title"), "Resource"),
            content.clone(),
            Body::Description,
        );
        question.format = format_of(&content);
        part.questions.push(Converted {
            source_id: format!("resource:{}", text(r, "id")),
            question,
            mark: Fixed::ZERO,
            keys: Vec::new(),
            columns: Vec::new(),
        });
    }
}

fn convert_into(
    part: &mut Part,
    notes: &mut Vec<(String, String)>,
    q: &Value,
    nested: Option<&str>,
) {
    let id = text(q, "id");
    let source_id = match nested {
        Some(n) => format!("{n}:{id}"),
        None => id.clone(),
    };
    match convert(q, notes, &source_id) {
        Ok(mut c) => {
            c.source_id = source_id;
            part.questions.push(c);
        }
        Err(why) => notes.push((source_id, why)),
    }
}

fn convert(
    q: &Value,
    notes: &mut Vec<(String, String)>,
    source_id: &str,
) -> Result<Converted, String> {
    let kind = text(q, "type");
    let prompt = text(q, "prompt");
    let scoring = q.get("scoring").cloned().unwrap_or(Value::Null);
    let points = scoring
        .get("points")
        .or_else(|| scoring.get("maxPoints"))
        .and_then(Value::as_f64)
        .unwrap_or(1.0);
    let mode = scoring.get("mode").and_then(Value::as_str).unwrap_or("");
    let mut keys = Vec::new();
    let mut columns = Vec::new();
    let mut text_out = prompt.clone();
    let body = match kind.as_str() {
        "multiple-choice" => {
            let right = text(q, "correctAnswer");
            let options = entries(q.get("options"));
            if !options.iter().any(|(k, _)| *k == right) {
                return Err("its right answer is not one of its options".into());
            }
            let choices = options
                .iter()
                .map(|(k, t)| Choice {
                    text: t.clone(),
                    fraction: if *k == right { Fixed::ONE } else { Fixed::ZERO },
                    feedback: String::new(),
                })
                .collect();
            keys = options.into_iter().map(|(k, _)| k).collect();
            Body::MultipleChoice(MultipleChoice {
                choices,
                multiple: false,
                scoring: MultiScoring::Sum,
                shuffle: false,
            })
        }
        "choice" => {
            let right: Vec<String> = array(q, "correctAnswers")
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            let options = entries(q.get("options"));
            let rights = options.iter().filter(|(k, _)| right.contains(k)).count() as u64;
            if rights == 0 {
                return Err("none of its options is right".into());
            }
            // A wrong choice costs `penaltyPerIncorrect` points, as a share of the mark.
            let penalty = if mode == "partial-with-penalty" {
                let per = scoring
                    .get("penaltyPerIncorrect")
                    .and_then(Value::as_f64)
                    .unwrap_or(0.0);
                fixed((per / points.max(0.0000001)).min(1.0))
            } else {
                Fixed::ZERO
            };
            let choices = options
                .iter()
                .map(|(k, t)| Choice {
                    text: t.clone(),
                    fraction: if right.contains(k) {
                        Fixed::ratio(1, rights)
                    } else {
                        Fixed::from_units(-penalty.units())
                    },
                    feedback: String::new(),
                })
                .collect();
            keys = options.into_iter().map(|(k, _)| k).collect();
            Body::MultipleChoice(MultipleChoice {
                choices,
                multiple: true,
                scoring: if mode == "all-or-nothing" {
                    MultiScoring::AllOrNothing
                } else {
                    MultiScoring::Sum
                },
                shuffle: false,
            })
        }
        "short-answer" => {
            let answer = text(q, "correctAnswer");
            if answer.trim().is_empty() {
                return Err("it has no right answer".into());
            }
            if scoring.get("matchThreshold").is_some() {
                notes.push((
                    source_id.to_string(),
                    "marked by exact answer; Paideia LMS's fuzzy match threshold does not exist here"
                        .into(),
                ));
            }
            Body::ShortAnswer(ShortAnswer {
                answers: vec![literal(&answer)],
                case_sensitive: scoring
                    .get("caseSensitive")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            })
        }
        "long-answer" | "article" => Body::Essay(Essay::default()),
        "fill-in-the-blank" => {
            let answers = q.get("correctAnswers").cloned().unwrap_or(Value::Null);
            let mut gaps = Vec::new();
            let mut out = String::new();
            let mut rest = prompt.as_str();
            while let Some(start) = rest.find("{{") {
                let Some(len) = rest[start + 2..].find("}}") else {
                    break;
                };
                let name = rest[start + 2..start + 2 + len].trim().to_string();
                let answer = answers.get(&name).and_then(Value::as_str).unwrap_or("");
                if answer.is_empty() {
                    return Err(format!("its blank {name} has no right answer"));
                }
                out.push_str(&rest[..start]);
                gaps.push(Gap {
                    answers: vec![literal(answer)],
                    case_sensitive: false,
                    weight: 1,
                });
                out.push_str(&gap_marker(gaps.len()));
                keys.push(name);
                rest = &rest[start + 2 + len + 2..];
            }
            out.push_str(rest);
            if gaps.is_empty() {
                return Err("its text has no {{blank}}".into());
            }
            if mode == "all-or-nothing" {
                notes.push((
                    source_id.to_string(),
                    "each blank now earns its share (all or nothing does not exist for blanks here)"
                        .into(),
                ));
            }
            text_out = out;
            Body::Gaps(Gaps { gaps })
        }
        "ranking" => {
            let items = entries(q.get("items"));
            let order: Vec<String> = array(q, "correctOrder")
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            let mut in_order = Vec::new();
            for key in &order {
                let Some((_, t)) = items.iter().find(|(k, _)| k == key) else {
                    return Err(format!("its right order names {key}, which is not an item"));
                };
                in_order.push(t.clone());
            }
            if in_order.len() < 2 || in_order.len() != items.len() {
                return Err("its right order does not list each item once".into());
            }
            keys = order;
            Body::Ordering(Ordering {
                items: in_order,
                grading: if mode == "exact-order" {
                    OrderingGrading::AllOrNothing
                } else {
                    OrderingGrading::AbsolutePosition
                },
            })
        }
        "single-selection-matrix" | "multiple-selection-matrix" => {
            let rows = entries(q.get("rows"));
            let cols = entries(q.get("columns"));
            let right = q.get("correctAnswers").cloned().unwrap_or(Value::Null);
            let mut pairs = Vec::new();
            for (r, row_text) in &rows {
                let Some(c) = right.get(r).and_then(Value::as_str) else {
                    return Err(format!(
                        "row {r} has no single right column (several right columns per row do not exist here)"
                    ));
                };
                let Some((_, col_text)) = cols.iter().find(|(k, _)| k == c) else {
                    return Err(format!("row {r}'s right column {c} is not a column"));
                };
                pairs.push(MatchPair {
                    prompt: row_text.clone(),
                    answer: col_text.clone(),
                });
                keys.push(r.clone());
            }
            // Columns no row needs stay as wrong answers to choose from.
            for (_, col_text) in &cols {
                if !pairs.iter().any(|p| p.answer == *col_text) {
                    pairs.push(MatchPair {
                        prompt: String::new(),
                        answer: col_text.clone(),
                    });
                }
            }
            if pairs.iter().all(|p| p.prompt.is_empty()) {
                return Err("it has no rows".into());
            }
            if mode == "all-or-nothing" {
                notes.push((
                    source_id.to_string(),
                    "each row now earns its share (all or nothing does not exist for matching here)"
                        .into(),
                ));
            }
            let matching = Matching {
                pairs,
                shuffle: false,
            };
            for choice in matching.answer_choices() {
                let key = cols
                    .iter()
                    .find(|(_, t)| t == choice)
                    .map(|(k, _)| k.clone())
                    .unwrap_or_default();
                columns.push(key);
            }
            Body::Matching(matching)
        }
        "whiteboard" => {
            return Err("a whiteboard (drawing) question; drawings do not exist here".into());
        }
        other => return Err(format!("its type {other:?} is unknown")),
    };
    let name: String = html_to_name(&prompt);
    let mut question = Question::new(name, text_out, body);
    question.format = format_of(&question.text);
    question.general_feedback = text(q, "feedback");
    question.default_mark = fixed(points);
    // Paideia LMS gives one try per question: no penalty for earlier tries applies.
    question.penalty = Fixed::ZERO;
    Ok(Converted {
        source_id: String::new(),
        mark: fixed(points),
        question,
        keys,
        columns,
    })
}

/// A question's name from its prompt: the text without tags, at most 60 characters.
fn html_to_name(prompt: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in prompt.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let name: String = words.chars().take(60).collect();
    if name.is_empty() {
        "Question".into()
    } else {
        name
    }
}

/// A stored answer as our response: `selected` is `selected_answer`, `options` the child
/// rows' option keys that are selected, in their order.
pub fn response(c: &Converted, selected: Option<&str>, options: &[String]) -> Response {
    let index = |key: &str| c.keys.iter().position(|k| k == key);
    match &c.question.body {
        Body::MultipleChoice(mc) if !mc.multiple => match selected.and_then(index) {
            Some(i) => Response::Choices(vec![i]),
            None => Response::Blank,
        },
        Body::MultipleChoice(_) => {
            let chosen: Vec<usize> = options.iter().filter_map(|o| index(o)).collect();
            if chosen.is_empty() {
                Response::Blank
            } else {
                Response::Choices(chosen)
            }
        }
        Body::ShortAnswer(_) | Body::Essay(_) => match selected {
            Some(s) if !s.trim().is_empty() => Response::Text(s.to_string()),
            _ => Response::Blank,
        },
        Body::Gaps(_) => {
            let given: Value = selected
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or(Value::Null);
            Response::Gaps(
                c.keys
                    .iter()
                    .map(|k| {
                        given
                            .get(k)
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string()
                    })
                    .collect(),
            )
        }
        Body::Ordering(_) => {
            let order: Vec<usize> = options.iter().filter_map(|o| index(o)).collect();
            if order.len() == c.keys.len() {
                Response::Order(order)
            } else {
                Response::Blank
            }
        }
        Body::Matching(_) => {
            let given: Value = selected
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or(Value::Null);
            Response::Matches(
                c.keys
                    .iter()
                    .map(|row| {
                        let col = given.get(row).and_then(Value::as_str)?;
                        c.columns.iter().position(|k| k == col)
                    })
                    .collect(),
            )
        }
        _ => Response::Blank,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lms::quizzes::{State, mark};

    fn regular() -> Value {
        serde_json::json!({
            "type": "regular", "version": "v2", "globalTimer": 1800,
            "grading": {"enabled": true, "showCorrectAnswers": false, "showScoreToStudent": true},
            "resources": [{"id": "res", "title": "Formulas", "content": "<p>m = dy/dx</p>"}],
            "pages": [
                {"id": "p1", "title": "Basics", "questions": [
                    {"id": "q-mc", "type": "multiple-choice", "prompt": "<p>Solve 2x + 3 = 11</p>",
                     "options": {"a": "x = 3", "b": "x = 4", "c": "x = 7"},
                     "scoring": {"type": "simple", "points": 2}, "correctAnswer": "b"},
                    {"id": "q-choice", "type": "choice", "prompt": "Linear?",
                     "options": {"a": "y = 2x + 1", "b": "y = x^2", "c": "3x - y = 0"},
                     "scoring": {"mode": "partial-with-penalty", "type": "weighted", "maxPoints": 2, "penaltyPerIncorrect": 1},
                     "correctAnswers": ["a", "c"]},
                    {"id": "q-fill", "type": "fill-in-the-blank", "prompt": "y = {{m}}x + {{b}}",
                     "scoring": {"mode": "all-or-nothing", "type": "weighted", "maxPoints": 2},
                     "correctAnswers": {"b": "4", "m": "3"}},
                    {"id": "q-rank", "type": "ranking", "prompt": "Order",
                     "items": {"s1": "Subtract 2", "s2": "Divide by 3", "s3": "Check"},
                     "scoring": {"mode": "exact-order", "type": "ranking", "maxPoints": 2},
                     "correctOrder": ["s1", "s2", "s3"]}
                ]},
                {"id": "p2", "title": "Further", "questions": [
                    {"id": "q-ssm", "type": "single-selection-matrix", "prompt": "Classify",
                     "rows": {"r1": "y = 2x", "r2": "y = -x"},
                     "columns": {"neg": "Negative", "pos": "Positive", "zero": "Zero"},
                     "scoring": {"mode": "partial", "type": "matrix", "maxPoints": 3},
                     "correctAnswers": {"r1": "pos", "r2": "neg"}},
                    {"id": "q-long", "type": "long-answer", "prompt": "Explain.", "scoring": {"type": "manual", "maxPoints": 3}},
                    {"id": "q-wb", "type": "whiteboard", "prompt": "Sketch.", "scoring": {"type": "manual", "maxPoints": 2}}
                ]}
            ]
        })
    }

    fn find<'a>(plan: &'a Plan, id: &str) -> &'a Converted {
        plan.parts
            .iter()
            .flat_map(|p| &p.questions)
            .find(|c| c.source_id == id)
            .unwrap_or_else(|| panic!("{id} missing"))
    }

    #[test]
    fn a_regular_quiz_becomes_parts_with_marks_and_notes() {
        let plan = plan(&regular());
        assert_eq!(plan.time_limit_seconds, Some(1800));
        assert!(plan.show_score && !plan.show_answers && !plan.sequential);
        let titles: Vec<&str> = plan.parts.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["Basics", "Further"]);
        assert!(matches!(
            plan.parts[0].questions[0].question.body,
            Body::Description
        ));
        assert_eq!(find(&plan, "q-mc").mark, fixed(2.0));
        assert_eq!(find(&plan, "q-mc").question.name, "Solve 2x + 3 = 11");
        assert_eq!(find(&plan, "q-fill").question.text, "y = [[1]]x + [[2]]");
        let notes: Vec<&str> = plan.notes.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(notes, ["q-fill", "q-wb"]);
        for part in &plan.parts {
            for c in &part.questions {
                assert!(
                    c.question.problems(&Default::default()).is_empty(),
                    "{}: {:?}",
                    c.source_id,
                    c.question.problems(&Default::default())
                );
            }
        }
    }

    #[test]
    fn stored_answers_mark_as_the_source_meant() {
        let plan = plan(&regular());
        let right = |id: &str, selected: Option<&str>, options: &[&str]| {
            let c = find(&plan, id);
            let options: Vec<String> = options.iter().map(|s| s.to_string()).collect();
            mark(&c.question, &response(c, selected, &options))
        };
        assert_eq!(right("q-mc", Some("b"), &[]).state, State::Right);
        assert_eq!(right("q-mc", Some("a"), &[]).state, State::Wrong);
        assert_eq!(right("q-choice", None, &["a", "c"]).state, State::Right);
        // One right, one wrong: 1/2 − 1/2 = 0.
        assert_eq!(right("q-choice", None, &["a", "b"]).state, State::Wrong);
        assert_eq!(
            right("q-fill", Some(r#"{"m":"3","b":"4"}"#), &[]).state,
            State::Right
        );
        assert_eq!(
            right("q-fill", Some(r#"{"m":"3","b":"-4"}"#), &[]).state,
            State::Partial
        );
        assert_eq!(
            right("q-rank", None, &["s1", "s2", "s3"]).state,
            State::Right
        );
        assert_eq!(
            right("q-rank", None, &["s2", "s1", "s3"]).state,
            State::Wrong
        );
        assert_eq!(
            right("q-ssm", Some(r#"{"r1":"pos","r2":"neg"}"#), &[]).state,
            State::Right
        );
        assert_eq!(
            right("q-ssm", Some(r#"{"r1":"pos","r2":"pos"}"#), &[]).state,
            State::Partial
        );
        assert_eq!(
            right("q-long", Some("Because."), &[]).state,
            State::NeedsGrading
        );
        assert_eq!(right("q-mc", None, &[]).state, State::NotAnswered);
    }

    #[test]
    fn a_container_flattens_its_nested_quizzes() {
        let config = serde_json::json!({
            "type": "container", "sequentialOrder": true,
            "nestedQuizzes": [
                {"id": "nq-a", "title": "Part A", "globalTimer": 600, "pages": [{"id": "x", "questions": [
                    {"id": "h-short", "type": "short-answer", "prompt": "City?",
                     "scoring": {"type": "partial-match", "maxPoints": 1, "caseSensitive": false, "matchThreshold": 0.8},
                     "correctAnswer": "Alexandria"}]}]},
                {"id": "nq-b", "title": "Part B", "pages": [{"id": "y", "questions": [
                    {"id": "h-mc", "type": "multiple-choice", "prompt": "Emperor?",
                     "options": {"a": "Caesar", "b": "Augustus"}, "scoring": {"type": "simple", "points": 1},
                     "correctAnswer": "b"}]}]}
            ]
        });
        let plan = plan(&config);
        assert!(plan.sequential);
        assert_eq!(plan.time_limit_seconds, Some(600));
        assert_eq!(plan.parts.len(), 2);
        let c = find(&plan, "nq-a:h-short");
        assert_eq!(
            mark(&c.question, &response(c, Some("alexandria"), &[])).state,
            State::Right
        );
        assert_eq!(plan.notes.len(), 1, "{:?}", plan.notes);
    }

    #[test]
    fn malformed_configs_give_notes_not_panics() {
        for config in [
            serde_json::json!(null),
            serde_json::json!({"pages": "x"}),
            serde_json::json!({"pages": [{"questions": [{"type": "multiple-choice", "options": {"a": "x"}, "correctAnswer": "z"}]}]}),
            serde_json::json!({"pages": [{"questions": [{"type": "fill-in-the-blank", "prompt": "a {{b"}]}]}),
            serde_json::json!({"pages": [{"questions": [{"type": "ranking", "items": {"a": "x"}, "correctOrder": ["a", "b"]}]}]}),
            serde_json::json!({"type": "container", "nestedQuizzes": [{"pages": [{"questions": [{"type": "x"}]}]}]}),
        ] {
            let plan = plan(&config);
            assert!(plan.parts.iter().all(|p| !p.questions.is_empty()));
        }
    }
}
