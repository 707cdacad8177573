use super::*;
use crate::lms::quizzes::samples::{self, f, n};

const EXPORT: &[u8] = include_bytes!("../../../../tests/fixtures/quizzes/moodle-export.xml");

fn problems(xml: &str) -> Vec<(usize, String)> {
    import(xml.as_bytes(), &Limits::DEFAULT)
        .problems
        .into_iter()
        .map(|p| (p.line, p.message))
        .collect()
}

#[test]
fn a_moodle_export_imports_every_type() {
    let import = import(EXPORT, &Limits::DEFAULT);
    assert_eq!(import.problems, []);
    let q = &import.questions;
    assert_eq!(q.len(), 10);
    let by_name = |name: &str| {
        q.iter()
            .find(|i| i.question.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };

    let power = by_name("Powerhouse");
    assert_eq!(power.line, 15);
    assert_eq!(power.category, ["Default for BIO101", "Cells & tissues"]);
    assert_eq!(power.question.format, TextFormat::Html);
    assert_eq!(
        power.question.text,
        "<p>Which organelle is the <strong>powerhouse</strong> of the cell? <img src=\"@@PLUGINFILE@@/cell.png\" alt=\"a cell\"></p>"
    );
    assert_eq!(
        power.question.general_feedback,
        "<p>Mitochondria &amp; ATP.</p>"
    );
    assert_eq!(power.question.default_mark, f("200"));
    assert_eq!(power.question.penalty, f("33.33333"));
    let Body::MultipleChoice(mc) = &power.question.body else {
        panic!()
    };
    assert!(!mc.multiple && mc.shuffle);
    assert_eq!(mc.choices[0].text, "<p>Mitochondrion</p>");
    assert_eq!(mc.choices[1].feedback, "No — that holds the DNA.");
    assert_eq!(mc.choices[2].text, "Café <au lait>");
    assert_eq!(mc.choices[2].fraction, f("-33.33333"));

    let Body::MultipleChoice(mc) = &by_name("Membranes").question.body else {
        panic!()
    };
    assert!(mc.multiple && !mc.shuffle);
    assert_eq!(by_name("Membranes").question.format, TextFormat::Moodle);

    let Body::TrueFalse(tf) = &by_name("Cell theory").question.body else {
        panic!()
    };
    assert!(tf.correct);
    assert_eq!(
        (tf.feedback_true.as_str(), tf.feedback_false.as_str()),
        ("Yes.", "Look again.")
    );

    let dna = by_name("DNA");
    assert_eq!(dna.category, ["Default for BIO101", "Genetics"]);
    assert!(
        matches!(&dna.question.body, Body::ShortAnswer(sa) if !sa.case_sensitive && sa.answers.len() == 2)
    );

    let Body::Numerical(num) = &by_name("Cell size").question.body else {
        panic!()
    };
    assert_eq!(num.answers[0].value, Some(n("20")));
    assert_eq!(num.answers[0].tolerance, n("10"));
    assert_eq!(num.answers[1].value, None);
    assert_eq!(num.units[1].name, "mm");
    assert_eq!(num.units[1].multiplier, n("0.001"));
    assert_eq!(num.unit_grading, UnitGrading::PenaltyOfMax(f("10")));
    let size = &by_name("Cell size").question;
    use crate::lms::quizzes::marking::{Response, mark};
    assert_eq!(
        mark(size, &Response::Text("0.03 mm".into())).fraction,
        Some(Fixed::ONE)
    );
    assert_eq!(
        mark(size, &Response::Text("25".into())).fraction,
        Some(f("90"))
    );

    let Body::Matching(m) = &by_name("Organelles").question.body else {
        panic!()
    };
    assert_eq!(m.pairs[0].prompt, "<p>Nucleus</p>");
    assert_eq!(m.pairs[2].prompt, "");
    assert_eq!(m.pairs[2].answer, "stores starch");

    let Body::Ordering(o) = &by_name("Mitosis").question.body else {
        panic!()
    };
    assert_eq!(o.items, ["Prophase", "Metaphase", "Anaphase"]);
    assert_eq!(o.grading, OrderingGrading::RelativeNextExcludeLast);

    let photo = &by_name("Photosynthesis").question;
    assert_eq!(
        photo.text,
        "<p>Plants take in [[1]] and give out [[2]]. Sets {like this} stay.</p>"
    );
    let Body::Gaps(g) = &photo.body else { panic!() };
    assert_eq!(g.gaps.len(), 2);
    assert_eq!(g.gaps[0].answers[0].feedback, "Right");
    assert_eq!(g.gaps[0].answers[2].pattern, "carbon*");
    assert_eq!(g.gaps[0].answers[2].fraction, f("50"));
    assert!(g.gaps[1].case_sensitive);
    assert_eq!(photo.default_mark, Fixed::ONE);

    let essay = &by_name("Natural selection").question;
    assert_eq!(essay.format, TextFormat::Markdown);
    assert_eq!(essay.default_mark, f("1000"));
    assert!(
        matches!(&essay.body, Body::Essay(e) if e.grader_info == "<p>Variation, inheritance, selection.</p>")
    );
    let reading = &by_name("Reading").question;
    assert_eq!(reading.text, "<p>Read the passage &nbsp;first.</p>");
    assert!(matches!(reading.body, Body::Description));
}

#[test]
fn export_then_import_gives_the_same_questions() {
    let mut questions = samples::all();
    questions.extend(samples::tricky());
    let mut all_or_nothing = samples::multiple_choice();
    if let Body::MultipleChoice(mc) = &mut all_or_nothing.body {
        mc.scoring = MultiScoring::AllOrNothing;
        mc.shuffle = false;
        for c in &mut mc.choices {
            c.fraction = if c.fraction > Fixed::ZERO {
                Fixed::ONE
            } else {
                Fixed::ZERO
            };
        }
    }
    questions.push(all_or_nothing);
    for grading in OrderingGrading::ALL {
        let mut q = samples::ordering();
        if let Body::Ordering(o) = &mut q.body {
            o.grading = grading;
        }
        q.default_mark = f("250");
        q.penalty = f("10");
        questions.push(q);
    }
    let mut odd = samples::numerical_with_units();
    if let Body::Numerical(num) = &mut odd.body {
        num.unit_grading = UnitGrading::PenaltyOfMark(f("25"));
        num.answers[0].value = Some(n("6.02e23"));
        num.answers[0].tolerance = n("1e-19");
    }
    questions.push(odd);
    let mut sensitive = samples::short_answer();
    if let Body::ShortAnswer(sa) = &mut sensitive.body {
        sa.case_sensitive = true;
    }
    questions.push(sensitive);
    let mut tricky_gaps = samples::gaps();
    tricky_gaps.text = format!("{} [[1]] <b>x</b> {{not a gap}} [[2]]", samples::TRICKY);
    if let Body::Gaps(g) = &mut tricky_gaps.body {
        g.gaps[0].answers[0].pattern = "a } b # c ~ d / e \" f \\ g".into();
        g.gaps[0].answers[0].feedback = "fb } # ~ / \" \\".into();
    }
    questions.push(tricky_gaps);
    for q in &questions {
        assert_eq!(
            q.problems(&Limits::DEFAULT),
            Vec::<String>::new(),
            "{}",
            q.name
        );
    }
    let categories = [vec![], vec!["Bio".to_string(), "A/B & <C>".to_string()]];
    let items: Vec<ToExport> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| ToExport {
            category: &categories[(i / 3) % 2],
            question: q,
        })
        .collect();
    let written = super::export(&items);
    assert_eq!(written.skipped, []);
    let back = import(written.text.as_bytes(), &Limits::DEFAULT);
    assert_eq!(back.problems, [], "{}", written.text);
    assert_eq!(back.questions.len(), questions.len());
    for (got, want) in back.questions.iter().zip(&items) {
        assert_eq!(&got.question, want.question, "{}", written.text);
        assert_eq!(got.category, want.category);
    }
    // The Moodle file survives a round trip too.
    let first = import(EXPORT, &Limits::DEFAULT).questions;
    let items: Vec<ToExport> = first
        .iter()
        .map(|i| ToExport {
            category: &i.category,
            question: &i.question,
        })
        .collect();
    let again = import(super::export(&items).text.as_bytes(), &Limits::DEFAULT);
    assert_eq!(again.problems, []);
    let strip = |v: &[Imported]| -> Vec<(Vec<String>, Question)> {
        v.iter()
            .map(|i| (i.category.clone(), i.question.clone()))
            .collect()
    };
    assert_eq!(strip(&again.questions), strip(&first));
}

#[test]
fn malformed_xml_names_its_line() {
    let got = problems(
        "<?xml version=\"1.0\"?>\n<quiz>\n  <question type=\"truefalse\">\n    <name><text>x</name>\n</quiz>",
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, 4, "{got:?}");
    assert!(
        got[0].1.starts_with("the XML is not well formed"),
        "{got:?}"
    );
    let got = problems(
        "<quiz>\n<question type=\"essay\"><name><text>a &nbsp; b</text></name></question></quiz>",
    );
    assert_eq!(got[0].0, 2);
    assert!(got[0].1.contains("&nbsp;"), "{got:?}");
    let got = problems("<quiz>\n<question>\n");
    assert_eq!(got.len(), 1);
    assert!(got[0].0 <= 3, "{got:?}");
    let got = problems("<html><body/></html>");
    assert_eq!(
        got,
        [(
            1,
            "not a Moodle XML file: the document holds <html>, not <quiz>".to_string()
        )]
    );
    let deep = format!("<quiz>{}", "<a>".repeat(100));
    let got = problems(&deep);
    assert_eq!(got[0].1, "elements nest more than 32 deep");
}

#[test]
fn every_question_problem_is_listed_with_its_line() {
    let xml = r#"<quiz>
  <question type="shortanswer">
    <name><text>No right answer</text></name>
    <questiontext><text>Q</text></questiontext>
    <answer fraction="50"><text>a</text></answer>
  </question>
  <question type="calculated">
    <name><text>Calc</text></name>
  </question>
  <question type="numerical">
    <name><text>Bad number</text></name>
    <questiontext><text>Q</text></questiontext>
    <answer fraction="100"><text>twelve</text><tolerance>x</tolerance></answer>
  </question>
  <question type="multichoice">
    <name><text>Bad fraction</text></name>
    <questiontext><text>Q</text></questiontext>
    <answer fraction="lots"><text>a</text></answer>
    <answer fraction="100"><text>b</text></answer>
  </question>
  <question type="cloze">
    <name><text>Cloze MC</text></name>
    <questiontext><text>Pick {1:MULTICHOICE:=a~b}</text></questiontext>
  </question>
  <question type="truefalse">
    <name><text>Good</text></name>
    <questiontext><text>Q</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
</quiz>"#;
    let import = import(xml.as_bytes(), &Limits::DEFAULT);
    assert_eq!(import.questions.len(), 1);
    assert_eq!(import.questions[0].line, 25);
    let got: Vec<(usize, &str)> = import
        .problems
        .iter()
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (2, "No right answer: the question has no answer worth 100%"),
            (
                7,
                "Calc: the question type “calculated” is not supported (use multichoice, truefalse, shortanswer, numerical, matching, ordering, cloze, essay or description)"
            ),
            (13, "“twelve” is not a number"),
            (13, "“x” is not a number"),
            (18, "the fraction “lots” is not a percentage"),
            (
                21,
                "Cloze MC: gap 1 is a MULTICHOICE gap; only short-answer gaps (SHORTANSWER, SA, MW and their _C forms) are supported"
            ),
        ]
    );
}

#[test]
fn limits_are_enforced() {
    let one = "<question type=\"description\"><name><text>d</text></name><questiontext><text>t</text></questiontext></question>\n";
    let xml = format!("<quiz>\n{}</quiz>", one.repeat(4));
    let limits = Limits {
        max_questions: 2,
        ..Limits::DEFAULT
    };
    let import = import(xml.as_bytes(), &limits);
    assert_eq!(import.questions.len(), 2);
    assert_eq!(
        import.problems,
        [LineError {
            line: 4,
            message: "the file has more than 2 questions; split it into smaller files".into()
        }]
    );
}
