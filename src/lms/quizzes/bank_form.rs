//! The question editor's form as typed (every value a string, so nothing typed is lost when
//! it comes back with errors) and its reading into a `Question`. One form covers multiple
//! choice, true/false, short answer, numerical, essay and description; matching, ordering and
//! fill in the blanks are edited as the question's Moodle XML text (read back through
//! `moodle_xml::import`, written with `moodle_xml::export`).

use super::{
    Limits, Question, TextFormat, ToExport,
    numbers::{Fixed, Number},
    questions::{
        Body, Choice, Essay, MultiScoring, MultipleChoice, Numerical, NumericalAnswer, ShortAnswer,
        TextAnswer, TrueFalse, Unit, UnitGrading, default_penalty,
    },
};
use crate::lms::FieldErrors;

/// The editor's kinds: `(value, label)`.
pub const KINDS: [(&str, &str); 7] = [
    ("multiple_choice", "Multiple choice"),
    ("true_false", "True/false"),
    ("short_answer", "Short answer"),
    ("numerical", "Numerical"),
    ("essay", "Essay"),
    ("description", "Description"),
    ("xml", "Matching, ordering or gaps (as Moodle XML)"),
];

/// Blank answer rows shown below the filled ones.
pub const SPARE_ROWS: usize = 3;

/// One answer row: a choice, an accepted text, or a number with its tolerance.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnswerRow {
    pub text: String,
    /// A percentage (`100`, `-33.33333`).
    pub fraction: String,
    pub feedback: String,
    pub tolerance: String,
}

impl AnswerRow {
    fn is_blank(&self) -> bool {
        [&self.text, &self.fraction, &self.feedback, &self.tolerance]
            .iter()
            .all(|s| s.trim().is_empty())
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuestionForm {
    /// One of `KINDS`' values.
    pub kind: String,
    pub name: String,
    pub text: String,
    /// `moodle`, `html`, `markdown` or `plain`.
    pub format: String,
    pub general_feedback: String,
    pub default_mark: String,
    /// A percentage of the mark lost per wrong try.
    pub penalty: String,
    /// Multiple choice: several answers may be chosen.
    pub multiple: bool,
    /// Multiple choice: several answers are marked all or nothing.
    pub all_or_nothing: bool,
    pub shuffle: bool,
    /// True/false: `true` or `false`.
    pub correct: String,
    pub feedback_true: String,
    pub feedback_false: String,
    pub case_sensitive: bool,
    pub rows: Vec<AnswerRow>,
    /// Numerical: one unit a line, `cm 100` (the first without a number is 1).
    pub units: String,
    pub grader_info: String,
    pub response_template: String,
    /// The whole question as Moodle XML (kind `xml`).
    pub xml: String,
}

/// The editor kind of a question.
pub fn kind_of(body: &Body) -> &'static str {
    match body {
        Body::MultipleChoice(_) => "multiple_choice",
        Body::TrueFalse(_) => "true_false",
        Body::ShortAnswer(_) => "short_answer",
        Body::Numerical(_) => "numerical",
        Body::Essay(_) => "essay",
        Body::Description => "description",
        Body::Matching(_) | Body::Ordering(_) | Body::Gaps(_) => "xml",
    }
}

pub fn kind_label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("Question", |(_, l)| l)
}

fn format_name(f: TextFormat) -> &'static str {
    f.gift_name()
}

fn parse_format(text: &str) -> Option<TextFormat> {
    TextFormat::ALL
        .into_iter()
        .find(|f| f.gift_name() == text.trim())
}

fn bool_field(value: &str) -> bool {
    matches!(value, "true" | "on" | "1")
}

impl QuestionForm {
    /// An empty form of `kind` (an unknown kind is multiple choice) with Moodle's defaults.
    pub fn blank(kind: &str) -> QuestionForm {
        let kind = KINDS
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or("multiple_choice", |(k, _)| k);
        let penalty = match kind {
            "true_false" => Fixed::ONE,
            "essay" | "description" => Fixed::ZERO,
            _ => default_penalty(&Body::Ordering(super::questions::Ordering {
                items: Vec::new(),
                grading: Default::default(),
            })),
        };
        let mut form = QuestionForm {
            kind: kind.into(),
            format: format_name(TextFormat::Moodle).into(),
            default_mark: if kind == "description" { "0" } else { "1" }.into(),
            penalty: penalty.percent_text(),
            shuffle: true,
            correct: "true".into(),
            ..QuestionForm::default()
        };
        if kind == "xml" {
            form.xml = XML_EXAMPLE.into();
        }
        form.with_spare_rows()
    }

    /// The form filled in with `q`.
    pub fn from_question(q: &Question) -> QuestionForm {
        let mut form = QuestionForm {
            kind: kind_of(&q.body).into(),
            name: q.name.clone(),
            text: q.text.clone(),
            format: format_name(q.format).into(),
            general_feedback: q.general_feedback.clone(),
            default_mark: q.default_mark.to_string(),
            penalty: q.penalty.percent_text(),
            correct: "true".into(),
            ..QuestionForm::default()
        };
        let pct = |f: Fixed| f.percent_text();
        match &q.body {
            Body::MultipleChoice(mc) => {
                form.multiple = mc.multiple;
                form.all_or_nothing = mc.scoring == MultiScoring::AllOrNothing;
                form.shuffle = mc.shuffle;
                form.rows = mc
                    .choices
                    .iter()
                    .map(|c| AnswerRow {
                        text: c.text.clone(),
                        fraction: pct(c.fraction),
                        feedback: c.feedback.clone(),
                        tolerance: String::new(),
                    })
                    .collect();
            }
            Body::TrueFalse(tf) => {
                form.correct = tf.correct.to_string();
                form.feedback_true = tf.feedback_true.clone();
                form.feedback_false = tf.feedback_false.clone();
            }
            Body::ShortAnswer(sa) => {
                form.case_sensitive = sa.case_sensitive;
                form.rows = sa
                    .answers
                    .iter()
                    .map(|a| AnswerRow {
                        text: a.pattern.clone(),
                        fraction: pct(a.fraction),
                        feedback: a.feedback.clone(),
                        tolerance: String::new(),
                    })
                    .collect();
            }
            Body::Numerical(n) => {
                form.rows = n
                    .answers
                    .iter()
                    .map(|a| AnswerRow {
                        text: a.value.map_or("*".into(), |v| v.to_string()),
                        fraction: pct(a.fraction),
                        feedback: a.feedback.clone(),
                        tolerance: a.tolerance.to_string(),
                    })
                    .collect();
                form.units = n
                    .units
                    .iter()
                    .map(|u| format!("{} {}", u.name, u.multiplier))
                    .collect::<Vec<_>>()
                    .join("\n");
            }
            Body::Essay(e) => {
                form.grader_info = e.grader_info.clone();
                form.response_template = e.response_template.clone();
            }
            Body::Description => {}
            Body::Matching(_) | Body::Ordering(_) | Body::Gaps(_) => {
                form.xml = one_question_xml(q);
            }
        }
        form.with_spare_rows()
    }

    /// The form with `SPARE_ROWS` blank answer rows after the last filled one.
    pub fn with_spare_rows(mut self) -> QuestionForm {
        while self.rows.last().is_some_and(AnswerRow::is_blank) {
            self.rows.pop();
        }
        self.rows
            .extend(std::iter::repeat_n(AnswerRow::default(), SPARE_ROWS));
        self
    }

    /// Reads the posted fields (answer rows as `answer-0`, `fraction-0`, `feedback-0`,
    /// `tolerance-0`, …; at most `Limits::DEFAULT.max_answers` + spare rows).
    pub fn from_pairs(pairs: &[(String, String)]) -> QuestionForm {
        let mut form = QuestionForm::default();
        let max_rows = Limits::DEFAULT.max_answers + SPARE_ROWS;
        for (name, value) in pairs {
            let value = value.clone();
            match name.as_str() {
                "kind" => form.kind = value,
                "name" => form.name = value,
                "text" => form.text = value,
                "format" => form.format = value,
                "general_feedback" => form.general_feedback = value,
                "default_mark" => form.default_mark = value,
                "penalty" => form.penalty = value,
                "multiple" => form.multiple = bool_field(&value),
                "all_or_nothing" => form.all_or_nothing = bool_field(&value),
                "shuffle" => form.shuffle = bool_field(&value),
                "correct" => form.correct = value,
                "feedback_true" => form.feedback_true = value,
                "feedback_false" => form.feedback_false = value,
                "case_sensitive" => form.case_sensitive = bool_field(&value),
                "units" => form.units = value,
                "grader_info" => form.grader_info = value,
                "response_template" => form.response_template = value,
                "xml" => form.xml = value,
                other => {
                    let Some((what, index)) = other.split_once('-') else {
                        continue;
                    };
                    let Ok(i) = index.parse::<usize>() else {
                        continue;
                    };
                    if i >= max_rows {
                        continue;
                    }
                    if form.rows.len() <= i {
                        form.rows.resize(i + 1, AnswerRow::default());
                    }
                    let row = &mut form.rows[i];
                    match what {
                        "answer" => row.text = value,
                        "fraction" => row.fraction = value,
                        "feedback" => row.feedback = value,
                        "tolerance" => row.tolerance = value,
                        _ => {}
                    }
                }
            }
        }
        form
    }

    /// The question the form describes, or every problem under its field. `base` is the
    /// version being edited: what the form does not show (a numerical question's unit
    /// grading) is kept from it.
    pub fn to_question(&self, base: Option<&Question>) -> Result<Question, FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.kind == "xml" {
            return self.xml_question(errors);
        }
        let format = parse_format(&self.format);
        errors.check(
            format.is_some(),
            "format",
            "choose how the texts are written",
        );
        let default_mark = Fixed::parse(&self.default_mark).filter(|m| *m >= Fixed::ZERO);
        errors.check(
            default_mark.is_some(),
            "default_mark",
            "enter the default mark as a number, 0 or more (such as 1 or 2.5)",
        );
        let penalty =
            Fixed::parse_percent(&self.penalty).filter(|p| (Fixed::ZERO..=Fixed::ONE).contains(p));
        errors.check(
            penalty.is_some(),
            "penalty",
            "enter the penalty as a percentage from 0 to 100 (such as 33.33333)",
        );
        errors.check(
            !self.name.trim().is_empty(),
            "name",
            "give the question a name (students do not see it)",
        );
        errors.check(
            !self.text.trim().is_empty(),
            "text",
            "write the question's text",
        );
        let body = match self.body(base, &mut errors) {
            Some(body) if errors.is_empty() => body,
            _ => return Err(errors),
        };
        let question = Question {
            name: self.name.trim().to_string(),
            text: self.text.clone(),
            format: format.unwrap_or_default(),
            general_feedback: self.general_feedback.clone(),
            default_mark: default_mark.unwrap_or(Fixed::ONE),
            penalty: penalty.unwrap_or(Fixed::ZERO),
            body,
        };
        for problem in question.problems(&Limits::DEFAULT) {
            errors.add(field_of(&problem), sentence(&problem));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(question)
    }

    /// The filled answer rows, each with its 1-based number.
    fn filled(&self) -> impl Iterator<Item = (usize, &AnswerRow)> {
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.is_blank())
            .map(|(i, r)| (i + 1, r))
    }

    fn fraction(n: usize, row: &AnswerRow, errors: &mut FieldErrors) -> Fixed {
        if row.fraction.trim().is_empty() {
            return Fixed::ZERO;
        }
        match Fixed::parse_percent(row.fraction.trim().trim_end_matches('%')) {
            Some(f) => f,
            None => {
                errors.add(
                    "answers",
                    format!(
                        "Answer {n}: the grade “{}” is not a percentage (such as 100, 50 or -33.33333)",
                        row.fraction.trim()
                    ),
                );
                Fixed::ZERO
            }
        }
    }

    fn body(&self, base: Option<&Question>, errors: &mut FieldErrors) -> Option<Body> {
        Some(match self.kind.as_str() {
            "multiple_choice" => {
                let mut choices = Vec::new();
                for (n, row) in self.filled() {
                    let fraction = Self::fraction(n, row, errors);
                    choices.push(Choice {
                        text: row.text.trim().to_string(),
                        fraction,
                        feedback: row.feedback.clone(),
                    });
                }
                Body::MultipleChoice(MultipleChoice {
                    choices,
                    multiple: self.multiple,
                    scoring: if self.all_or_nothing {
                        MultiScoring::AllOrNothing
                    } else {
                        MultiScoring::Sum
                    },
                    shuffle: self.shuffle,
                })
            }
            "true_false" => Body::TrueFalse(TrueFalse {
                correct: self.correct != "false",
                feedback_true: self.feedback_true.clone(),
                feedback_false: self.feedback_false.clone(),
            }),
            "short_answer" => {
                let mut answers = Vec::new();
                for (n, row) in self.filled() {
                    let fraction = Self::fraction(n, row, errors);
                    answers.push(TextAnswer {
                        pattern: row.text.trim().to_string(),
                        fraction,
                        feedback: row.feedback.clone(),
                    });
                }
                Body::ShortAnswer(ShortAnswer {
                    answers,
                    case_sensitive: self.case_sensitive,
                })
            }
            "numerical" => {
                let mut answers = Vec::new();
                for (n, row) in self.filled() {
                    let fraction = Self::fraction(n, row, errors);
                    let value = match row.text.trim() {
                        "*" => None,
                        text => {
                            let v = Number::parse(text);
                            if v.is_none() {
                                errors.add(
                                    "answers",
                                    format!("Answer {n}: “{text}” is not a number (write * for any number)"),
                                );
                            }
                            v
                        }
                    };
                    let tolerance = match row.tolerance.trim() {
                        "" => Number::ZERO,
                        text => Number::parse(text).unwrap_or_else(|| {
                            errors.add(
                                "answers",
                                format!("Answer {n}: the tolerance “{text}” is not a number"),
                            );
                            Number::ZERO
                        }),
                    };
                    answers.push(NumericalAnswer {
                        value,
                        tolerance,
                        fraction,
                        feedback: row.feedback.clone(),
                    });
                }
                let units = self.parsed_units(errors);
                let unit_grading = match base.map(|q| &q.body) {
                    Some(Body::Numerical(n)) => n.unit_grading,
                    _ => UnitGrading::Optional,
                };
                Body::Numerical(Numerical {
                    answers,
                    units,
                    unit_grading,
                })
            }
            "essay" => Body::Essay(Essay {
                grader_info: self.grader_info.clone(),
                response_template: self.response_template.clone(),
            }),
            "description" => Body::Description,
            other => {
                errors.add("kind", format!("“{other}” is not a question type"));
                return None;
            }
        })
    }

    fn parsed_units(&self, errors: &mut FieldErrors) -> Vec<Unit> {
        let mut units = Vec::new();
        for (i, line) in self.units.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let (name, multiplier) = match line.rsplit_once(char::is_whitespace) {
                Some((name, number)) => match Number::parse(number) {
                    Some(m) => (name.trim(), m),
                    None => {
                        errors.add(
                            "units",
                            format!(
                                "Unit line {}: “{number}” is not a number (write the unit, a space, then how many of it make one of the first)",
                                i + 1
                            ),
                        );
                        continue;
                    }
                },
                None => (line, Number::from_int(1)),
            };
            units.push(Unit {
                name: name.to_string(),
                multiplier,
            });
        }
        units
    }

    fn xml_question(&self, mut errors: FieldErrors) -> Result<Question, FieldErrors> {
        let text = if self.xml.contains("<quiz") {
            self.xml.clone()
        } else {
            format!("<quiz>\n{}\n</quiz>", self.xml)
        };
        let offset = usize::from(!self.xml.contains("<quiz"));
        let import = super::moodle_xml::import(text.as_bytes(), &Limits::DEFAULT);
        for p in &import.problems {
            let line = p.line.saturating_sub(offset);
            errors.add("xml", format!("Line {line}: {}", p.message));
        }
        if import.problems.is_empty() && import.questions.len() != 1 {
            errors.add(
                "xml",
                format!(
                    "the text holds {} questions; give exactly one <question>",
                    import.questions.len()
                ),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(import
            .questions
            .into_iter()
            .next()
            .expect("one question")
            .question)
    }
}

/// One question as Moodle XML, for the XML editor.
pub fn one_question_xml(q: &Question) -> String {
    let export = super::moodle_xml::export(&[ToExport {
        category: &[],
        question: q,
    }]);
    // Only the <question> itself: no XML declaration, quiz element or category entry.
    let text = export.text;
    let start = text
        .rfind("<question type=\"category\">")
        .and_then(|at| {
            text[at..]
                .find("</question>")
                .map(|end| at + end + "</question>".len())
        })
        .unwrap_or(0);
    let body = &text[start..];
    let body = body.trim_end().trim_end_matches("</quiz>").trim();
    let body = body
        .lines()
        .filter(|l| !l.trim_start().starts_with("<!-- question:"))
        .collect::<Vec<_>>()
        .join("\n");
    format!("{body}\n")
}

/// The form field a problem from `Question::problems` belongs next to.
fn field_of(problem: &str) -> &'static str {
    if problem.contains("the name") || problem.contains("no name") {
        "name"
    } else if problem.contains("penalty") && !problem.contains("unit") {
        "penalty"
    } else if problem.contains("default mark") {
        "default_mark"
    } else if problem.contains("question text") {
        "text"
    } else if problem.contains("general feedback") {
        "general_feedback"
    } else if problem.contains("unit") {
        "units"
    } else {
        "answers"
    }
}

/// `the question has no name` → `The question has no name.`
fn sentence(problem: &str) -> String {
    let mut chars = problem.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

const XML_EXAMPLE: &str = r#"<question type="ordering">
  <name><text>Mitosis</text></name>
  <questiontext format="html"><text>Put the phases of mitosis in order.</text></questiontext>
  <answer fraction="1"><text>Prophase</text></answer>
  <answer fraction="2"><text>Metaphase</text></answer>
  <answer fraction="3"><text>Anaphase</text></answer>
  <answer fraction="4"><text>Telophase</text></answer>
</question>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_multiple_choice_form_round_trips() {
        let form = QuestionForm::from_pairs(&pairs(&[
            ("kind", "multiple_choice"),
            ("name", "Powerhouse"),
            ("text", "Which organelle?"),
            ("format", "moodle"),
            ("default_mark", "2"),
            ("penalty", "33.33333"),
            ("shuffle", "true"),
            ("answer-0", "Mitochondrion"),
            ("fraction-0", "100"),
            ("feedback-0", "Right"),
            ("answer-1", "Nucleus"),
            ("fraction-1", "0"),
            ("answer-2", ""),
        ]));
        let q = form.to_question(None).unwrap();
        assert_eq!(q.default_mark, Fixed::from_units(2 * Fixed::SCALE));
        let Body::MultipleChoice(mc) = &q.body else {
            panic!("{q:?}")
        };
        assert_eq!(mc.choices.len(), 2);
        let again = QuestionForm::from_question(&q).to_question(None).unwrap();
        assert_eq!(again, q);
    }

    #[test]
    fn every_problem_is_listed_by_field() {
        let form = QuestionForm::from_pairs(&pairs(&[
            ("kind", "numerical"),
            ("name", " "),
            ("text", "How far?"),
            ("format", "moodle"),
            ("default_mark", "x"),
            ("penalty", "150"),
            ("answer-0", "3.x"),
            ("fraction-0", "lots"),
            ("units", "cm abc"),
        ]));
        let errors = form.to_question(None).unwrap_err();
        for field in ["name", "default_mark", "penalty", "answers", "units"] {
            assert!(errors.get(field).is_some(), "{field}: {errors}");
        }
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("Answer 1: the grade"))
        );
        assert!(messages.iter().any(|m| m.starts_with("Answer 1: “3.x”")));
        // A valid numerical question whose only answer is not worth 100%.
        let form = QuestionForm::from_pairs(&pairs(&[
            ("kind", "numerical"),
            ("name", "Far"),
            ("text", "How far?"),
            ("format", "moodle"),
            ("default_mark", "1"),
            ("penalty", "0"),
            ("answer-0", "3.14"),
            ("tolerance-0", "0.01"),
            ("fraction-0", "50"),
        ]));
        let errors = form.to_question(None).unwrap_err();
        assert_eq!(
            errors.get("answers"),
            Some("The question has no answer worth 100%.")
        );
    }

    #[test]
    fn other_types_are_edited_as_moodle_xml() {
        let mut form = QuestionForm::blank("xml");
        let q = form.to_question(None).unwrap();
        assert!(matches!(q.body, Body::Ordering(_)));
        let back = QuestionForm::from_question(&q);
        assert_eq!(back.kind, "xml");
        assert_eq!(back.to_question(None).unwrap(), q);
        form.xml = "<question type=\"ordering\">\n<name><text>x</text></name>\n".into();
        let errors = form.to_question(None).unwrap_err();
        assert!(
            errors.get("xml").is_some_and(|m| m.starts_with("Line")),
            "{errors}"
        );
    }
}
