//! Questions of every type for the tests: each format's round trip runs over them.

use super::numbers::{Fixed, Number};
use super::questions::*;

pub fn f(percent: &str) -> Fixed {
    Fixed::parse_percent(percent).unwrap()
}

pub fn n(text: &str) -> Number {
    Number::parse(text).unwrap()
}

pub fn answer(pattern: &str, percent: &str, feedback: &str) -> TextAnswer {
    TextAnswer {
        pattern: pattern.into(),
        fraction: f(percent),
        feedback: feedback.into(),
    }
}

pub fn choice(text: &str, percent: &str, feedback: &str) -> Choice {
    Choice {
        text: text.into(),
        fraction: f(percent),
        feedback: feedback.into(),
    }
}

/// The text every escape-sensitive character and a line break.
pub const TRICKY: &str = "Braces {x}, tilde ~, equals =, hash #, colon: backslash \\ and\nline 2 <b>&amp;</b> ]]> “Straße”";

pub fn single_choice() -> Question {
    let mut q = Question::new(
        "Powerhouse",
        "Which organelle is the powerhouse of the cell?",
        Body::MultipleChoice(MultipleChoice {
            choices: vec![
                choice("Mitochondrion", "100", "Right: ATP."),
                choice("Nucleus", "0", "No: DNA."),
                choice("Ribosome", "-50", ""),
            ],
            multiple: false,
            scoring: MultiScoring::Sum,
            shuffle: true,
        }),
    );
    q.general_feedback = "Aerobic respiration.".into();
    q
}

pub fn multiple_choice() -> Question {
    Question::new(
        "Membranes",
        "Which are membrane-bound?",
        Body::MultipleChoice(MultipleChoice {
            choices: vec![
                choice("Mitochondrion", "33.33333", ""),
                choice("Chloroplast", "33.33333", ""),
                choice("Nucleus", "33.33333", "Yes, a double membrane."),
                choice("Ribosome", "-100", "No membrane."),
                choice("Centriole", "0", ""),
            ],
            multiple: true,
            scoring: MultiScoring::Sum,
            shuffle: true,
        }),
    )
}

pub fn true_false() -> Question {
    Question::new(
        "Cells",
        "All living things are made of cells.",
        Body::TrueFalse(TrueFalse {
            correct: true,
            feedback_true: "Yes.".into(),
            feedback_false: "Look at cell theory.".into(),
        }),
    )
}

pub fn short_answer() -> Question {
    Question::new(
        "DNA",
        "What does DNA stand for?",
        Body::ShortAnswer(ShortAnswer {
            answers: vec![
                answer("deoxyribonucleic acid", "100", "Right."),
                answer("deoxyribo*", "50", "Nearly."),
                answer("Straße", "100", ""),
            ],
            case_sensitive: false,
        }),
    )
}

pub fn numerical() -> Question {
    Question::new(
        "Pi",
        "Pi to two places?",
        Body::Numerical(Numerical {
            answers: vec![
                NumericalAnswer {
                    value: Some(n("3.14")),
                    tolerance: n("0.01"),
                    fraction: Fixed::ONE,
                    feedback: "Right.".into(),
                },
                NumericalAnswer {
                    value: Some(n("3")),
                    tolerance: n("0.5"),
                    fraction: f("50"),
                    feedback: String::new(),
                },
            ],
            units: Vec::new(),
            unit_grading: UnitGrading::Optional,
        }),
    )
}

pub fn numerical_with_units() -> Question {
    Question::new(
        "Length",
        "How long is the table?",
        Body::Numerical(Numerical {
            answers: vec![
                NumericalAnswer {
                    value: Some(n("1.5")),
                    tolerance: n("0.05"),
                    fraction: Fixed::ONE,
                    feedback: String::new(),
                },
                NumericalAnswer {
                    value: None,
                    tolerance: Number::ZERO,
                    fraction: Fixed::ZERO,
                    feedback: "Measure again.".into(),
                },
            ],
            units: vec![
                Unit {
                    name: "m".into(),
                    multiplier: n("1"),
                },
                Unit {
                    name: "cm".into(),
                    multiplier: n("100"),
                },
            ],
            unit_grading: UnitGrading::PenaltyOfMax(f("10")),
        }),
    )
}

pub fn matching() -> Question {
    Question::new(
        "Organelles",
        "Match each organelle with its job.",
        Body::Matching(Matching {
            pairs: vec![
                MatchPair {
                    prompt: "Nucleus".into(),
                    answer: "holds DNA".into(),
                },
                MatchPair {
                    prompt: "Ribosome".into(),
                    answer: "makes proteins".into(),
                },
                MatchPair {
                    prompt: "Chloroplast".into(),
                    answer: "photosynthesis".into(),
                },
                MatchPair {
                    prompt: String::new(),
                    answer: "stores starch".into(),
                },
            ],
            shuffle: true,
        }),
    )
}

pub fn ordering() -> Question {
    Question::new(
        "Mitosis",
        "Put the phases of mitosis in order.",
        Body::Ordering(Ordering {
            items: ["Prophase", "Metaphase", "Anaphase", "Telophase"]
                .map(String::from)
                .to_vec(),
            grading: OrderingGrading::AbsolutePosition,
        }),
    )
}

pub fn gaps() -> Question {
    Question::new(
        "Photosynthesis",
        "Plants take in [[1]] and give out [[2]].",
        Body::Gaps(Gaps {
            gaps: vec![
                Gap {
                    answers: vec![
                        answer("carbon dioxide", "100", "Right."),
                        answer("CO2", "100", ""),
                        answer("carbon*", "50", "Which one?"),
                    ],
                    case_sensitive: false,
                    weight: 1,
                },
                Gap {
                    answers: vec![answer("O2", "100", "")],
                    case_sensitive: true,
                    weight: 2,
                },
            ],
        }),
    )
}

pub fn essay() -> Question {
    Question::new(
        "Natural selection",
        "Explain natural selection.",
        Body::Essay(Essay {
            grader_info: "Look for variation, inheritance, selection.".into(),
            response_template: "Natural selection is".into(),
        }),
    )
}

pub fn description() -> Question {
    Question::new("Reading", "Read the passage first.", Body::Description)
}

/// Every type, with non-default settings where a format carries them.
pub fn all() -> Vec<Question> {
    vec![
        single_choice(),
        multiple_choice(),
        true_false(),
        short_answer(),
        numerical(),
        numerical_with_units(),
        matching(),
        ordering(),
        gaps(),
        essay(),
        description(),
    ]
}

/// Questions whose texts hold every character the formats escape.
pub fn tricky() -> Vec<Question> {
    let mut out = Vec::new();
    for mut q in [
        single_choice(),
        short_answer(),
        true_false(),
        matching(),
        description(),
    ] {
        q.name = format!("Tricky {}: {{a}} # ~ =", q.body.kind());
        q.text = TRICKY.into();
        if !matches!(q.body, Body::Description) {
            q.general_feedback = TRICKY.into();
        }
        match &mut q.body {
            Body::MultipleChoice(mc) => {
                mc.choices[0].text = "a = b {c} ~d #e: \\f".into();
                mc.choices[0].feedback = TRICKY.into();
            }
            Body::ShortAnswer(sa) => sa.answers[0].feedback = TRICKY.into(),
            Body::TrueFalse(tf) => tf.feedback_false = TRICKY.into(),
            Body::Matching(m) => m.pairs[0].answer = "x = {y} # z ~ -> w".into(),
            _ => {}
        }
        out.push(q);
    }
    let mut missing = single_choice();
    missing.name = "Missing word".into();
    missing.text = "Moodle costs _____ to download.".into();
    out.push(missing);
    for format in TextFormat::ALL {
        let mut q = true_false();
        q.name = format!("Format {}", format.gift_name());
        q.format = format;
        q.text = "[brackets] at the start".into();
        out.push(q);
    }
    out
}
