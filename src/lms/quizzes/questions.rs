//! The question model: one `Question` with a `Body` per type, serde-serialisable so a later
//! slice can store each version as JSON. Texts are kept as written (their `format` says how
//! they render); validation lists every problem in words. No storage, no marking here.

use serde::{Deserialize, Serialize};

use super::numbers::{Fixed, Number};

/// How a question's texts (text, feedback, answers) are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextFormat {
    /// Moodle's auto format: plain text with line breaks, HTML allowed.
    #[default]
    Moodle,
    Html,
    Markdown,
    Plain,
}

impl TextFormat {
    pub const ALL: [TextFormat; 4] = [
        TextFormat::Moodle,
        TextFormat::Html,
        TextFormat::Markdown,
        TextFormat::Plain,
    ];

    /// The name GIFT writes in brackets (`[html]`).
    pub fn gift_name(self) -> &'static str {
        match self {
            TextFormat::Moodle => "moodle",
            TextFormat::Html => "html",
            TextFormat::Markdown => "markdown",
            TextFormat::Plain => "plain",
        }
    }

    /// The name Moodle XML writes in `format="…"`.
    pub fn xml_name(self) -> &'static str {
        match self {
            TextFormat::Moodle => "moodle_auto_format",
            TextFormat::Html => "html",
            TextFormat::Markdown => "markdown",
            TextFormat::Plain => "plain_text",
        }
    }
}

/// One question (one version of it, once versions are stored).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub name: String,
    /// The question text. Fill-in-the-blank texts hold their gaps as `[[1]]`, `[[2]]`, ….
    pub text: String,
    #[serde(default)]
    pub format: TextFormat,
    /// Shown to everyone after answering, whatever the answer.
    #[serde(default)]
    pub general_feedback: String,
    /// The marks the question is worth in a quiz unless the quiz says otherwise.
    pub default_mark: Fixed,
    /// Subtracted from the fraction for each wrong try where tries are allowed.
    pub penalty: Fixed,
    pub body: Body,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Body {
    /// Text only, no answer (GIFT's question without braces, Moodle's description).
    Description,
    MultipleChoice(MultipleChoice),
    TrueFalse(TrueFalse),
    ShortAnswer(ShortAnswer),
    Numerical(Numerical),
    Matching(Matching),
    Ordering(Ordering),
    Gaps(Gaps),
    Essay(Essay),
}

impl Body {
    /// The type's name in messages (`multiple choice`).
    pub fn kind(&self) -> &'static str {
        match self {
            Body::Description => "description",
            Body::MultipleChoice(_) => "multiple choice",
            Body::TrueFalse(_) => "true/false",
            Body::ShortAnswer(_) => "short answer",
            Body::Numerical(_) => "numerical",
            Body::Matching(_) => "matching",
            Body::Ordering(_) => "ordering",
            Body::Gaps(_) => "fill in the blanks",
            Body::Essay(_) => "essay",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub text: String,
    /// −1..=1; negative fractions are the penalty for choosing a wrong answer.
    pub fraction: Fixed,
    #[serde(default)]
    pub feedback: String,
}

/// How a several-answer question is marked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MultiScoring {
    /// Moodle's rule: the sum of the chosen answers' fractions (wrong answers carry negative
    /// ones), clamped to 0..=1; choosing every right answer and no negative one gives 1.
    #[default]
    Sum,
    /// 1 when exactly the answers with a positive fraction are chosen, else 0 (Moodle's
    /// "all-or-nothing" `multichoiceset`).
    AllOrNothing,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MultipleChoice {
    pub choices: Vec<Choice>,
    /// Several answers may be chosen (check boxes) rather than one (radio buttons).
    pub multiple: bool,
    #[serde(default)]
    pub scoring: MultiScoring,
    /// Show the choices in an order shuffled per attempt.
    pub shuffle: bool,
}

impl MultipleChoice {
    /// The penalty rule "right minus wrong": each right answer is worth 1/R of the mark and
    /// each wrong one takes 1/W away (R right and W wrong answers), so choosing everything
    /// gives 0. Sets the fractions of a several-answer question from which choices are right.
    pub fn right_minus_wrong(texts: &[(&str, bool)]) -> MultipleChoice {
        let rights = texts.iter().filter(|(_, right)| *right).count() as u64;
        let wrongs = texts.len() as u64 - rights;
        let choices = texts
            .iter()
            .map(|(text, right)| Choice {
                text: (*text).into(),
                fraction: if *right {
                    Fixed::ratio(1, rights)
                } else {
                    Fixed::from_units(-Fixed::ratio(1, wrongs).units())
                },
                feedback: String::new(),
            })
            .collect();
        MultipleChoice {
            choices,
            multiple: true,
            scoring: MultiScoring::Sum,
            shuffle: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrueFalse {
    pub correct: bool,
    /// Shown to those who answered true.
    #[serde(default)]
    pub feedback_true: String,
    /// Shown to those who answered false.
    #[serde(default)]
    pub feedback_false: String,
}

/// An accepted text: `*` matches any characters (`\*` a star), tried in order, the first
/// match decides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TextAnswer {
    pub pattern: String,
    pub fraction: Fixed,
    #[serde(default)]
    pub feedback: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShortAnswer {
    pub answers: Vec<TextAnswer>,
    pub case_sensitive: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumericalAnswer {
    /// `None`: any number (Moodle's `*`).
    pub value: Option<Number>,
    /// Accepted distance from `value`, both ends included.
    pub tolerance: Number,
    pub fraction: Fixed,
    #[serde(default)]
    pub feedback: String,
}

/// A unit the answer may be given in: the value in it is the answer × `multiplier` (the
/// first unit normally has multiplier 1: `m` 1, `cm` 100).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub name: String,
    pub multiplier: Number,
}

/// What a missing or unknown unit costs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", content = "penalty", rename_all = "snake_case")]
pub enum UnitGrading {
    /// A number alone is in the first unit; a known unit converts; an unknown one costs
    /// nothing but the number is read in the first unit.
    #[default]
    Optional,
    /// A missing or unknown unit multiplies the fraction by (1 − penalty) (Moodle's
    /// "fraction of response grade").
    PenaltyOfMark(Fixed),
    /// A missing or unknown unit subtracts the penalty (Moodle's "fraction of question grade").
    PenaltyOfMax(Fixed),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Numerical {
    pub answers: Vec<NumericalAnswer>,
    #[serde(default)]
    pub units: Vec<Unit>,
    #[serde(default)]
    pub unit_grading: UnitGrading,
}

/// One pair; a pair with an empty prompt is an extra wrong answer to choose from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchPair {
    pub prompt: String,
    pub answer: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Matching {
    pub pairs: Vec<MatchPair>,
    pub shuffle: bool,
}

impl Matching {
    /// The answers to choose from, each text once, in the order first written.
    pub fn answer_choices(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for pair in &self.pairs {
            if !seen.contains(&pair.answer.as_str()) {
                seen.push(&pair.answer);
            }
        }
        seen
    }

    /// The pairs that ask something (a non-empty prompt), in order.
    pub fn prompts(&self) -> impl Iterator<Item = &MatchPair> {
        self.pairs.iter().filter(|p| !p.prompt.is_empty())
    }
}

/// How an ordering is marked (Moodle's ordering question's grading types).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderingGrading {
    AllOrNothing,
    /// Items in their right place ÷ items.
    #[default]
    AbsolutePosition,
    /// Items followed by their right successor ÷ (items − 1).
    RelativeNextExcludeLast,
    /// As above, and the last item counts when it is last: ÷ items.
    RelativeNextIncludeLast,
    /// The longest subsequence in the right order ÷ items (a lone item scores nothing).
    LongestOrderedSubset,
    /// The longest run of adjacent items in the right order ÷ items (a lone item scores
    /// nothing).
    LongestContiguousSubset,
}

impl OrderingGrading {
    pub const ALL: [OrderingGrading; 6] = [
        OrderingGrading::AllOrNothing,
        OrderingGrading::AbsolutePosition,
        OrderingGrading::RelativeNextExcludeLast,
        OrderingGrading::RelativeNextIncludeLast,
        OrderingGrading::LongestOrderedSubset,
        OrderingGrading::LongestContiguousSubset,
    ];

    /// The name Moodle's ordering question writes in `<gradingtype>`.
    pub fn moodle_name(self) -> &'static str {
        match self {
            OrderingGrading::AllOrNothing => "ALL_OR_NOTHING",
            OrderingGrading::AbsolutePosition => "ABSOLUTE_POSITION",
            OrderingGrading::RelativeNextExcludeLast => "RELATIVE_NEXT_EXCLUDE_LAST",
            OrderingGrading::RelativeNextIncludeLast => "RELATIVE_NEXT_INCLUDE_LAST",
            OrderingGrading::LongestOrderedSubset => "LONGEST_ORDERED_SUBSET",
            OrderingGrading::LongestContiguousSubset => "LONGEST_CONTIGUOUS_SUBSET",
        }
    }

    /// Moodle's number for the type (`-1` all or nothing, `0` absolute position, …).
    pub fn moodle_number(self) -> i32 {
        match self {
            OrderingGrading::AllOrNothing => -1,
            OrderingGrading::AbsolutePosition => 0,
            OrderingGrading::RelativeNextExcludeLast => 1,
            OrderingGrading::RelativeNextIncludeLast => 2,
            OrderingGrading::LongestOrderedSubset => 5,
            OrderingGrading::LongestContiguousSubset => 6,
        }
    }
}

/// Items to put in order; `items` is the right order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ordering {
    pub items: Vec<String>,
    #[serde(default)]
    pub grading: OrderingGrading,
}

/// One gap of a fill-in-the-blanks text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    pub answers: Vec<TextAnswer>,
    pub case_sensitive: bool,
    /// The gap's share of the mark relative to the others (Moodle cloze's weight), at least 1.
    pub weight: u32,
}

/// Several gaps in one text: gap `i` (from 1) is written `[[i]]` in the question text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gaps {
    pub gaps: Vec<Gap>,
}

/// The marker of gap `number` (from 1) in the question text.
pub fn gap_marker(number: usize) -> String {
    format!("[[{number}]]")
}

/// Marked by hand; nothing to mark automatically.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Essay {
    /// Notes for the grader.
    #[serde(default)]
    pub grader_info: String,
    /// Text the answer box starts with.
    #[serde(default)]
    pub response_template: String,
}

/// Caps on what one question may hold (imports are untrusted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest import file, in bytes.
    pub max_file_bytes: usize,
    pub max_questions: usize,
    /// Answers, choices, pairs, items, gaps or units of one question.
    pub max_answers: usize,
    /// Characters in any one text (question text, answer, feedback, name).
    pub max_text_chars: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        max_file_bytes: 8 * 1024 * 1024,
        max_questions: 5_000,
        max_answers: 100,
        max_text_chars: 65_536,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// The penalty Moodle gives a new question of this type (1 for true/false, none for essays
/// and descriptions, a third otherwise).
pub fn default_penalty(body: &Body) -> Fixed {
    match body {
        Body::TrueFalse(_) => Fixed::ONE,
        Body::Essay(_) | Body::Description => Fixed::ZERO,
        _ => Fixed::from_units(3_333_333),
    }
}

impl Question {
    /// A question with Moodle's defaults: mark 1, the type's default penalty.
    pub fn new(name: impl Into<String>, text: impl Into<String>, body: Body) -> Question {
        Question {
            name: name.into(),
            text: text.into(),
            format: TextFormat::Moodle,
            general_feedback: String::new(),
            default_mark: if matches!(body, Body::Description) {
                Fixed::ZERO
            } else {
                Fixed::ONE
            },
            penalty: default_penalty(&body),
            body,
        }
    }

    /// Every problem that would keep this question from being used, in words; empty when it
    /// is fine.
    pub fn problems(&self, limits: &Limits) -> Vec<String> {
        let mut p = Vec::new();
        let mut text = |what: &str, value: &str| {
            let chars = value.chars().count();
            if chars > limits.max_text_chars {
                p.push(format!(
                    "{what} is {chars} characters long; the limit is {}",
                    limits.max_text_chars
                ));
            }
        };
        text("the name", &self.name);
        text("the question text", &self.text);
        text("the general feedback", &self.general_feedback);
        match &self.body {
            Body::MultipleChoice(mc) => {
                for c in &mc.choices {
                    text("an answer", &c.text);
                    text("an answer's feedback", &c.feedback);
                }
            }
            Body::TrueFalse(tf) => {
                text("the feedback", &tf.feedback_true);
                text("the feedback", &tf.feedback_false);
            }
            Body::ShortAnswer(sa) => {
                for a in &sa.answers {
                    text("an answer", &a.pattern);
                    text("an answer's feedback", &a.feedback);
                }
            }
            Body::Numerical(num) => {
                for a in &num.answers {
                    text("an answer's feedback", &a.feedback);
                }
                for u in &num.units {
                    text("a unit", &u.name);
                }
            }
            Body::Matching(m) => {
                for pair in &m.pairs {
                    text("a prompt", &pair.prompt);
                    text("an answer", &pair.answer);
                }
            }
            Body::Ordering(o) => {
                for item in &o.items {
                    text("an item", item);
                }
            }
            Body::Gaps(g) => {
                for gap in &g.gaps {
                    for a in &gap.answers {
                        text("an answer", &a.pattern);
                        text("an answer's feedback", &a.feedback);
                    }
                }
            }
            Body::Essay(e) => {
                text("the grader information", &e.grader_info);
                text("the response template", &e.response_template);
            }
            Body::Description => {}
        }
        if self.name.trim().is_empty() {
            p.push("the question has no name".into());
        }
        if !(Fixed::ZERO..=Fixed::ONE).contains(&self.penalty) {
            p.push(format!(
                "the penalty {} is not between 0 and 1",
                self.penalty
            ));
        }
        if self.default_mark < Fixed::ZERO {
            p.push(format!(
                "the default mark {} is negative",
                self.default_mark
            ));
        }
        let count = self.answer_count();
        if count > limits.max_answers {
            p.push(format!(
                "the question has {count} answers; the limit is {}",
                limits.max_answers
            ));
        }
        body_problems(self, &mut p);
        p
    }

    /// How many answers, choices, pairs, items, gaps (with their answers) or units it holds.
    pub fn answer_count(&self) -> usize {
        match &self.body {
            Body::MultipleChoice(mc) => mc.choices.len(),
            Body::ShortAnswer(sa) => sa.answers.len(),
            Body::Numerical(n) => n.answers.len() + n.units.len(),
            Body::Matching(m) => m.pairs.len(),
            Body::Ordering(o) => o.items.len(),
            Body::Gaps(g) => g.gaps.len() + g.gaps.iter().map(|g| g.answers.len()).sum::<usize>(),
            Body::TrueFalse(_) | Body::Essay(_) | Body::Description => 0,
        }
    }
}

fn fraction_problems(fractions: impl Iterator<Item = Fixed>, p: &mut Vec<String>) {
    for f in fractions {
        if !(Fixed::from_units(-Fixed::SCALE)..=Fixed::ONE).contains(&f) {
            p.push(format!(
                "the grade {}% is not between -100% and 100%",
                f.percent_text()
            ));
        }
    }
}

fn text_answers_problems(answers: &[TextAnswer], what: &str, p: &mut Vec<String>) {
    if answers.is_empty() {
        p.push(format!("{what} has no accepted answer"));
    } else if !answers.iter().any(|a| a.fraction == Fixed::ONE) {
        p.push(format!("{what} has no answer worth 100%"));
    }
    if answers.iter().any(|a| a.pattern.trim().is_empty()) {
        p.push(format!("{what} has an empty answer"));
    }
    fraction_problems(answers.iter().map(|a| a.fraction), p);
}

fn body_problems(q: &Question, p: &mut Vec<String>) {
    match &q.body {
        Body::Description | Body::Essay(_) | Body::TrueFalse(_) => {}
        Body::MultipleChoice(mc) => {
            if mc.choices.len() < 2 {
                p.push("a multiple-choice question needs at least two answers".into());
            }
            if mc.choices.iter().any(|c| c.text.trim().is_empty()) {
                p.push("an answer is empty".into());
            }
            fraction_problems(mc.choices.iter().map(|c| c.fraction), p);
            let positive: i64 = mc.choices.iter().map(|c| c.fraction.units().max(0)).sum();
            if !mc.multiple {
                if !mc.choices.iter().any(|c| c.fraction == Fixed::ONE) {
                    p.push("one of the answers should be worth 100%".into());
                }
            } else if mc.scoring == MultiScoring::Sum {
                // 3 × 33.33333% is 99.99999%: allow one unit of rounding per answer.
                if (positive - Fixed::SCALE).abs() > mc.choices.len() as i64 {
                    p.push(format!(
                        "the positive grades add up to {}%, not 100%",
                        Fixed::from_units(positive).percent_text()
                    ));
                }
            } else if positive == 0 {
                p.push("no answer is marked right".into());
            }
        }
        Body::ShortAnswer(sa) => text_answers_problems(&sa.answers, "the question", p),
        Body::Numerical(n) => {
            if n.answers.is_empty() {
                p.push("the question has no accepted answer".into());
            } else if !n.answers.iter().any(|a| a.fraction == Fixed::ONE) {
                p.push("the question has no answer worth 100%".into());
            }
            fraction_problems(n.answers.iter().map(|a| a.fraction), p);
            if n.answers.iter().any(|a| a.tolerance.is_negative()) {
                p.push("a tolerance is negative".into());
            }
            for u in &n.units {
                if u.name.trim().is_empty() {
                    p.push("a unit has no name".into());
                }
                if u.multiplier.is_negative() || u.multiplier.is_zero() {
                    p.push(format!(
                        "the unit {} has a multiplier of {}",
                        u.name, u.multiplier
                    ));
                }
            }
            let mut names: Vec<&str> = n.units.iter().map(|u| u.name.trim()).collect();
            names.sort_unstable();
            if names.windows(2).any(|w| w[0] == w[1]) {
                p.push("a unit is listed twice".into());
            }
            if let UnitGrading::PenaltyOfMark(x) | UnitGrading::PenaltyOfMax(x) = n.unit_grading
                && !(Fixed::ZERO..=Fixed::ONE).contains(&x)
            {
                p.push(format!("the unit penalty {x} is not between 0 and 1"));
            }
        }
        Body::Matching(m) => {
            if m.prompts().count() < 2 {
                p.push("a matching question needs at least two prompts".into());
            }
            if m.pairs.iter().any(|pair| pair.answer.trim().is_empty()) {
                p.push("a matching answer is empty".into());
            }
        }
        Body::Ordering(o) => {
            if o.items.len() < 2 {
                p.push("an ordering question needs at least two items".into());
            }
            let mut items: Vec<&str> = o.items.iter().map(|i| i.trim()).collect();
            if items.contains(&"") {
                p.push("an item is empty".into());
            }
            items.sort_unstable();
            if items.windows(2).any(|w| w[0] == w[1]) {
                p.push("two items have the same text".into());
            }
        }
        Body::Gaps(g) => {
            if g.gaps.is_empty() {
                p.push("the text has no gaps".into());
            }
            for (i, gap) in g.gaps.iter().enumerate() {
                let number = i + 1;
                let count = q.text.matches(&gap_marker(number)).count();
                if count != 1 {
                    p.push(format!(
                        "gap {number} ({}) appears {count} times in the text, not once",
                        gap_marker(number)
                    ));
                }
                if gap.weight == 0 {
                    p.push(format!("gap {number} has a weight of 0"));
                }
                text_answers_problems(&gap.answers, &format!("gap {number}"), p);
            }
            let extra = g.gaps.len() + 1;
            if q.text.contains(&gap_marker(extra)) {
                p.push(format!(
                    "the text has a gap {} but no answers for it",
                    gap_marker(extra)
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mc(fractions: &[i64], multiple: bool) -> Question {
        Question::new(
            "q",
            "Pick",
            Body::MultipleChoice(MultipleChoice {
                choices: fractions
                    .iter()
                    .enumerate()
                    .map(|(i, f)| Choice {
                        text: format!("c{i}"),
                        fraction: Fixed::from_units(*f),
                        feedback: String::new(),
                    })
                    .collect(),
                multiple,
                scoring: MultiScoring::Sum,
                shuffle: true,
            }),
        )
    }

    #[test]
    fn multiple_choice_rules() {
        let l = Limits::DEFAULT;
        assert!(mc(&[Fixed::SCALE, 0], false).problems(&l).is_empty());
        assert_eq!(
            mc(&[5_000_000, 0], false).problems(&l),
            ["one of the answers should be worth 100%"]
        );
        assert!(
            mc(&[3_333_333, 3_333_333, 3_333_333, -Fixed::SCALE], true)
                .problems(&l)
                .is_empty()
        );
        assert_eq!(
            mc(&[5_000_000, 0], true).problems(&l),
            ["the positive grades add up to 50%, not 100%"]
        );
        assert_eq!(
            mc(&[Fixed::SCALE], false).problems(&l),
            ["a multiple-choice question needs at least two answers"]
        );
        let generated = Question::new(
            "q",
            "t",
            Body::MultipleChoice(MultipleChoice::right_minus_wrong(&[
                ("a", true),
                ("b", true),
                ("c", true),
                ("d", false),
                ("e", false),
            ])),
        );
        assert!(generated.problems(&l).is_empty());
    }

    #[test]
    fn gaps_must_each_appear_once() {
        let gap = Gap {
            answers: vec![TextAnswer {
                pattern: "x".into(),
                fraction: Fixed::ONE,
                feedback: String::new(),
            }],
            case_sensitive: false,
            weight: 1,
        };
        let q = Question::new(
            "g",
            "A [[1]] and [[1]] and [[3]]",
            Body::Gaps(Gaps {
                gaps: vec![gap.clone(), gap],
            }),
        );
        assert_eq!(
            q.problems(&Limits::DEFAULT),
            [
                "gap 1 ([[1]]) appears 2 times in the text, not once",
                "gap 2 ([[2]]) appears 0 times in the text, not once",
                "the text has a gap [[3]] but no answers for it"
            ]
        );
    }

    #[test]
    fn limits_are_enforced() {
        let limits = Limits {
            max_text_chars: 5,
            max_answers: 1,
            ..Limits::DEFAULT
        };
        let p = mc(&[Fixed::SCALE, 0], false).problems(&limits);
        assert!(p.contains(&"the question has 2 answers; the limit is 1".to_string()));
        let mut long = mc(&[Fixed::SCALE, 0], false);
        long.text = "ßßßßßß".into();
        assert!(
            long.problems(&limits)
                .contains(&"the question text is 6 characters long; the limit is 5".to_string())
        );
    }

    #[test]
    fn questions_serialise_as_json() {
        let q = mc(&[Fixed::SCALE, -3_333_333], false);
        let json = serde_json::to_value(&q).unwrap();
        assert_eq!(json["body"]["type"], "multiple_choice");
        assert_eq!(json["body"]["choices"][1]["fraction"], -0.3333333);
        let back: Question = serde_json::from_value(json).unwrap();
        assert_eq!(back, q);
    }
}
