use super::*;
use crate::lms::quizzes::questions::*;
use crate::lms::quizzes::samples::{self, f, n};

const BIOLOGY: &[u8] = include_bytes!("../../../../tests/fixtures/quizzes/biology.gift");

fn import_ok(text: &str) -> Vec<Imported> {
    let import = import(text.as_bytes(), &Limits::DEFAULT);
    assert_eq!(import.problems, [], "{text}");
    import.questions
}

fn one(text: &str) -> Question {
    let mut questions = import_ok(text);
    assert_eq!(questions.len(), 1, "{text}");
    questions.remove(0).question
}

fn problems(text: &str) -> Vec<(usize, String)> {
    import(text.as_bytes(), &Limits::DEFAULT)
        .problems
        .into_iter()
        .map(|p| (p.line, p.message))
        .collect()
}

#[test]
fn the_biology_bank_imports_every_type() {
    let import = import(BIOLOGY, &Limits::DEFAULT);
    assert_eq!(import.problems, []);
    let q = &import.questions;
    assert_eq!(q.len(), 19);
    let by_name = |name: &str| {
        q.iter()
            .find(|i| i.question.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };

    let power = by_name("Powerhouse");
    assert_eq!(power.line, 7);
    assert_eq!(power.category, ["Biology", "Cells"]);
    assert_eq!(
        power.question.text,
        "Which organelle is known as the \"powerhouse\" of the cell?"
    );
    assert_eq!(
        power.question.general_feedback,
        "Mitochondria carry out aerobic respiration."
    );
    let Body::MultipleChoice(mc) = &power.question.body else {
        panic!()
    };
    assert!(!mc.multiple);
    assert_eq!(mc.choices.len(), 4);
    assert_eq!(mc.choices[0].fraction, Fixed::ONE);
    assert_eq!(
        mc.choices[0].feedback,
        "Right: it makes most of the cell's ATP."
    );
    assert_eq!(mc.choices[3].feedback, "");

    let membrane = &by_name("Membrane-bound").question;
    assert_eq!(membrane.format, TextFormat::Html);
    assert_eq!(
        membrane.text,
        "Which of these are <b>membrane-bound</b> organelles?"
    );
    let Body::MultipleChoice(mc) = &membrane.body else {
        panic!()
    };
    assert!(mc.multiple);
    assert_eq!(
        mc.choices.iter().map(|c| c.fraction).collect::<Vec<_>>(),
        [f("50"), f("50"), f("-100"), f("-100")]
    );

    let Body::TrueFalse(tf) = &by_name("Cell theory").question.body else {
        panic!()
    };
    assert!(tf.correct);
    assert_eq!(tf.feedback_false, "Look again at the cell theory.");
    assert_eq!(tf.feedback_true, "Yes: the first tenet of cell theory.");
    assert!(matches!(
        by_name("Viruses").question.body,
        Body::TrueFalse(TrueFalse { correct: false, .. })
    ));
    assert_eq!(
        by_name("Plants").question.general_feedback,
        "Made mostly of cellulose."
    );

    let dna = by_name("DNA");
    assert_eq!(dna.category, ["Biology", "Genetics"]);
    let Body::ShortAnswer(sa) = &dna.question.body else {
        panic!()
    };
    assert_eq!(sa.answers[1].pattern, "deoxyribose*");
    assert_eq!(sa.answers[1].fraction, f("50"));

    assert_eq!(
        by_name("Mendel").question.text,
        "Gregor Mendel worked with _____ to study inheritance."
    );
    assert_eq!(
        by_name("Codon").question.text,
        "A codon is a sequence of _____ nucleotides."
    );
    assert!(matches!(
        by_name("Codon").question.body,
        Body::ShortAnswer(_)
    ));

    let Body::Numerical(ph) = &by_name("pH of blood").question.body else {
        panic!()
    };
    assert_eq!(ph.answers[0].value, Some(n("7.4")));
    assert_eq!(ph.answers[0].tolerance, n("0.05"));
    let Body::Numerical(year) = &by_name("Year").question.body else {
        panic!()
    };
    assert_eq!(year.answers.len(), 2);
    assert_eq!(year.answers[1].fraction, f("50"));
    assert_eq!(year.answers[1].tolerance, n("2"));

    let Body::Matching(m) = &by_name("Organelles").question.body else {
        panic!()
    };
    assert_eq!(m.pairs.len(), 4);
    assert_eq!(m.pairs[3].prompt, "");
    assert_eq!(m.pairs[3].answer, "stores starch");

    let essay = by_name("Evolution essay");
    assert_eq!(essay.category, ["Biology", "Writing"]);
    assert_eq!(essay.question.format, TextFormat::Markdown);
    assert!(matches!(essay.question.body, Body::Essay(_)));
    assert!(matches!(
        by_name("Reading").question.body,
        Body::Description
    ));

    let escapes = &by_name("Escapes: all of them").question;
    assert_eq!(
        escapes.text,
        "Which is written 50% = half? A brace {like this}, a tilde ~, a hash #, a backslash \\ and\na second line."
    );
    let Body::MultipleChoice(mc) = &escapes.body else {
        panic!()
    };
    assert_eq!(mc.choices[0].text, "one: {a} = b");
    assert_eq!(mc.choices[0].feedback, "right # feedback");
    assert_eq!(mc.choices[1].text, "two ~ three");
    assert_eq!(by_name("Plain text").question.format, TextFormat::Plain);
    assert_eq!(
        by_name("Plain text").question.text,
        "Is 2 < 3 in plain text?"
    );
}

#[test]
fn defaults_follow_moodle() {
    let q = one("Q{T}");
    assert_eq!(q.name, "Q");
    assert_eq!(q.default_mark, Fixed::ONE);
    assert_eq!(q.penalty, Fixed::ONE);
    let q = one("::n::Pick {=a ~b}");
    assert_eq!(q.penalty, f("33.33333"));
    let q = one("A rather long question text that goes on and on {}");
    assert_eq!(q.name, "A rather long question text that goes on");
    assert_eq!(q.penalty, Fixed::ZERO);
}

#[test]
fn comments_and_crlf_and_bom() {
    let text = "\u{feff}// a comment\r\n::a::One{T}\r\n// between\r\n\r\n::b::Two{F}\r\n";
    let questions = import_ok(text);
    assert_eq!(questions.len(), 2);
    assert_eq!(questions[0].line, 2);
    assert_eq!(questions[1].line, 5);
}

#[test]
fn a_category_line_may_be_followed_directly_by_a_question() {
    let questions =
        import_ok("$CATEGORY: Physics\n::a::One{T}\n\n$CATEGORY: $system$/top/A//B\n\n::b::Two{T}");
    assert_eq!(questions[0].category, ["Physics"]);
    assert_eq!(questions[1].category, ["A/B"]);
}

#[test]
fn every_problem_is_reported_with_its_line() {
    let text = "\
::ok::Fine{T}

::no close::Text {=a ~b

::stray::Text } here

::bad weight::Pick{
  =a
  ~%abc%b
  ~%150%c
}

::bad number::{#three:1}

::bad range::{#5..1}

::matching::Match {
  =a -> 1
  =b 2
  =c -> 3
}

::before::{oops =a}

::single without right::Pick {~%50%a ~b =%50%c}

::title never closed
";
    let import = import(text.as_bytes(), &Limits::DEFAULT);
    assert_eq!(import.questions.len(), 1);
    let got: Vec<(usize, &str)> = import
        .problems
        .iter()
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (3, "the answers opened with { are not closed with }"),
            (
                5,
                "a } without an opening { (write \\} for a brace in text)"
            ),
            (9, "the weight %abc% is not a percentage from -100 to 100"),
            (10, "the weight %150% is not a percentage from -100 to 100"),
            (13, "“three” is not a number"),
            (15, "the range 5..1 ends below its start"),
            (19, "a matching pair needs -> between its two sides"),
            (
                23,
                "text before the first answer: start each answer with = (right) or ~ (wrong)"
            ),
            (25, "one of the answers should be worth 100%"),
            (
                27,
                "the title is not closed with :: (write \\: for a colon in a title)"
            ),
        ]
    );
    assert!(import.clone().all_or_nothing().is_err());
}

#[test]
fn nested_and_second_blocks_are_errors() {
    assert_eq!(
        problems("::a::Q {=a {b} }"),
        [(
            1,
            "a { inside the answers (write \\{ for a brace in text)".into()
        )]
    );
    assert_eq!(
        problems("::a::Q {=a}\nand {=b}"),
        [(
            2,
            "a second set of answers in one question (leave a blank line between questions)".into()
        )]
    );
    assert_eq!(
        problems("::a::Q {\n=a\n~ \n}"),
        [(3, "an empty answer after ~".into())]
    );
    assert_eq!(
        problems("::tf::Q {T#a#b#c}"),
        [(
            1,
            "a true/false answer has at most two feedbacks (#wrong#right)".into()
        )]
    );
}

#[test]
fn numerical_forms() {
    let Body::Numerical(num) = one("::n::{#3.14:0.01#Good}").body else {
        panic!()
    };
    assert_eq!(num.answers[0].value, Some(n("3.14")));
    assert_eq!(num.answers[0].tolerance, n("0.01"));
    assert_eq!(num.answers[0].feedback, "Good");
    let Body::Numerical(num) = one("::n::{#1..2}").body else {
        panic!()
    };
    assert_eq!(num.answers[0].value, Some(n("1.5")));
    assert_eq!(num.answers[0].tolerance, n("0.5"));
    let Body::Numerical(num) = one("::n::{#-5}").body else {
        panic!()
    };
    assert_eq!(num.answers[0].value, Some(n("-5")));
    assert_eq!(num.answers[0].tolerance, Number::ZERO);
    let Body::Numerical(num) = one("::n::{#=2:0 ~%-50%3:0#No}").body else {
        panic!()
    };
    assert_eq!(num.answers[1].fraction, f("-50"));
}

#[test]
fn export_then_import_gives_the_same_questions() {
    let mut questions: Vec<Question> = samples::all();
    questions.extend(samples::tricky());
    let categories = [vec![], vec!["Bio".to_string(), "A/B".to_string()]];
    let items: Vec<ToExport> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| ToExport {
            category: &categories[(i / 4) % 2],
            question: q,
        })
        .collect();
    let written = super::export(&items);
    let skipped: Vec<usize> = written.skipped.iter().map(|(i, _)| *i).collect();
    // Units, ordering, gaps and the essay's grader information are not GIFT.
    assert_eq!(skipped, [5, 7, 8, 9], "{:?}", written.skipped);
    let back = import_ok(&written.text);
    let expected: Vec<(&[String], &Question)> = items
        .iter()
        .enumerate()
        .filter(|(i, _)| !skipped.contains(i))
        .map(|(_, item)| (item.category, item.question))
        .collect();
    assert_eq!(back.len(), expected.len(), "{}", written.text);
    for (got, (category, want)) in back.iter().zip(expected) {
        assert_eq!(&got.question, want, "{}", written.text);
        assert_eq!(got.category, category);
    }
    // And the bank itself survives a round trip.
    let bank = import(BIOLOGY, &Limits::DEFAULT).questions;
    let items: Vec<ToExport> = bank
        .iter()
        .map(|i| ToExport {
            category: &i.category,
            question: &i.question,
        })
        .collect();
    let again = super::export(&items);
    assert_eq!(again.skipped, []);
    let back = import_ok(&again.text);
    assert_eq!(
        back.iter().map(|i| &i.question).collect::<Vec<_>>(),
        bank.iter().map(|i| &i.question).collect::<Vec<_>>()
    );
}

#[test]
fn export_says_why_it_skips() {
    let mut q = samples::short_answer();
    if let Body::ShortAnswer(sa) = &mut q.body {
        sa.case_sensitive = true;
    }
    let written = super::export(&[ToExport {
        category: &[],
        question: &q,
    }]);
    assert_eq!(
        written.skipped,
        [(0, "GIFT has no case-sensitive short answers".to_string())]
    );
    assert_eq!(written.text, "");
}

#[test]
fn escape_and_unescape_are_inverse() {
    for s in [
        samples::TRICKY,
        "\\n literally",
        "ends with \\",
        "::",
        "\\\\",
    ] {
        assert_eq!(unescape(&escape(s)), s);
    }
    assert_eq!(unescape("\\q"), "\\q");
}

#[test]
fn limits_are_enforced() {
    let limits = Limits {
        max_questions: 2,
        ..Limits::DEFAULT
    };
    let import = import(b"a{T}\n\nb{T}\n\nc{T}\n\nd{T}", &limits);
    assert_eq!(import.questions.len(), 2);
    assert_eq!(
        import.problems,
        [LineError {
            line: 5,
            message: "the file has more than 2 questions; split it into smaller files".into()
        }]
    );
    let big = vec![b'a'; 100];
    let limits = Limits {
        max_file_bytes: 99,
        ..Limits::DEFAULT
    };
    assert_eq!(super::import(&big, &limits).problems[0].line, 0);
}
