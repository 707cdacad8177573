use super::*;
use crate::lms::quizzes::questions::*;
use crate::lms::quizzes::samples::{self, f};

fn text(s: &str) -> Response {
    Response::Text(s.into())
}

fn fraction(q: &Question, r: &Response) -> Fixed {
    mark(q, r).fraction.expect("an automatic mark")
}

#[test]
fn single_choice_marks_the_chosen_answer_and_clamps_at_zero() {
    let q = samples::single_choice();
    let right = mark(&q, &Response::Choices(vec![0]));
    assert_eq!(right.fraction, Some(Fixed::ONE));
    assert_eq!(right.state, State::Right);
    assert_eq!(right.feedback, ["Right: ATP."]);
    assert_eq!(fraction(&q, &Response::Choices(vec![1])), Fixed::ZERO);
    // A -50% choice gives 0, not a negative mark.
    let negative = mark(&q, &Response::Choices(vec![2]));
    assert_eq!(negative.fraction, Some(Fixed::ZERO));
    assert_eq!(negative.state, State::Wrong);
    assert_eq!(negative.feedback, Vec::<String>::new());
    assert_eq!(
        mark(&q, &Response::Choices(vec![0, 1])).state,
        State::Invalid
    );
    assert_eq!(mark(&q, &Response::Choices(vec![3])).state, State::Invalid);
    assert_eq!(
        mark(&q, &Response::Choices(vec![])).state,
        State::NotAnswered
    );
    assert_eq!(mark(&q, &Response::Blank).state, State::NotAnswered);
    assert_eq!(mark(&q, &text("0")).state, State::Invalid);
}

#[test]
fn multiple_choice_partial_credit_sums_and_clamps() {
    let q = samples::multiple_choice(); // 3 × 33.33333%, -100%, 0%
    let all_right = mark(&q, &Response::Choices(vec![0, 1, 2]));
    // 99.99999% is the best possible answer, so it is worth 100%.
    assert_eq!(all_right.fraction, Some(Fixed::ONE));
    assert_eq!(all_right.feedback, ["Yes, a double membrane."]);
    assert_eq!(
        fraction(&q, &Response::Choices(vec![0, 1, 2, 4])),
        Fixed::ONE
    );
    assert_eq!(fraction(&q, &Response::Choices(vec![0])), f("33.33333"));
    assert_eq!(mark(&q, &Response::Choices(vec![0])).state, State::Partial);
    assert_eq!(fraction(&q, &Response::Choices(vec![1, 0])), f("66.66666"));
    // Duplicates count once.
    assert_eq!(
        fraction(&q, &Response::Choices(vec![0, 0, 0])),
        f("33.33333")
    );
    // A wrong choice takes away; the total never goes below 0.
    assert_eq!(
        fraction(&q, &Response::Choices(vec![0, 1, 2, 3])),
        Fixed::ZERO
    );
    assert_eq!(fraction(&q, &Response::Choices(vec![0, 3])), Fixed::ZERO);
    assert_eq!(fraction(&q, &Response::Choices(vec![4])), Fixed::ZERO);
}

#[test]
fn right_minus_wrong_penalty_rule() {
    let mut q = Question::new(
        "q",
        "t",
        Body::MultipleChoice(MultipleChoice::right_minus_wrong(&[
            ("a", true),
            ("b", true),
            ("c", false),
            ("d", false),
        ])),
    );
    assert_eq!(fraction(&q, &Response::Choices(vec![0, 1])), Fixed::ONE);
    assert_eq!(fraction(&q, &Response::Choices(vec![0])), f("50"));
    assert_eq!(fraction(&q, &Response::Choices(vec![0, 1, 2])), f("50"));
    assert_eq!(
        fraction(&q, &Response::Choices(vec![0, 1, 2, 3])),
        Fixed::ZERO
    );
    if let Body::MultipleChoice(mc) = &mut q.body {
        mc.scoring = MultiScoring::AllOrNothing;
    }
    assert_eq!(fraction(&q, &Response::Choices(vec![1, 0])), Fixed::ONE);
    assert_eq!(fraction(&q, &Response::Choices(vec![0])), Fixed::ZERO);
    assert_eq!(fraction(&q, &Response::Choices(vec![0, 1, 3])), Fixed::ZERO);
}

#[test]
fn true_false_and_its_feedback() {
    let q = samples::true_false();
    let right = mark(&q, &Response::Bool(true));
    assert_eq!(
        (right.fraction, right.feedback),
        (Some(Fixed::ONE), vec!["Yes.".to_string()])
    );
    let wrong = mark(&q, &Response::Bool(false));
    assert_eq!(wrong.fraction, Some(Fixed::ZERO));
    assert_eq!(wrong.feedback, ["Look at cell theory."]);
}

#[test]
fn short_answers_wildcards_case_and_first_match() {
    let q = samples::short_answer();
    assert_eq!(fraction(&q, &text("deoxyribonucleic acid")), Fixed::ONE);
    assert_eq!(
        fraction(&q, &text("  DeoxyriboNucleic   ACID ")),
        Fixed::ONE
    );
    // The first matching answer decides, even when a later one is worth more.
    let first = mark(&q, &text("deoxyribose"));
    assert_eq!(first.fraction, Some(f("50")));
    assert_eq!(first.feedback, ["Nearly."]);
    assert_eq!(fraction(&q, &text("deoxyribo")), f("50"));
    assert_eq!(fraction(&q, &text("ribonucleic acid")), Fixed::ZERO);
    assert_eq!(mark(&q, &text("   ")).state, State::NotAnswered);
    assert_eq!(mark(&q, &text("")).state, State::NotAnswered);
    let long = "x".repeat(MAX_RESPONSE_CHARS + 1);
    assert_eq!(fraction(&q, &text(&long)), Fixed::ZERO);
}

fn short(pattern: &str, case_sensitive: bool) -> Question {
    Question::new(
        "s",
        "t",
        Body::ShortAnswer(ShortAnswer {
            answers: vec![samples::answer(pattern, "100", "")],
            case_sensitive,
        }),
    )
}

#[test]
fn unicode_case_folding_and_normalisation() {
    let strasse = short("Straße", false);
    for ok in ["Straße", "STRASSE", "strasse", "STRAẞE", "straße"] {
        assert_eq!(fraction(&strasse, &text(ok)), Fixed::ONE, "{ok}");
    }
    let greek = short("ΣΟΦΟΣ", false);
    for ok in ["σοφος", "σοφοσ", "σοφος", "ΣΟΦΟΣ"] {
        assert_eq!(fraction(&greek, &text(ok)), Fixed::ONE, "{ok}");
    }
    assert_eq!(fraction(&short("ﬁne", false), &text("FINE")), Fixed::ONE);
    // Composed and decomposed é are the same answer, with or without case sensitivity.
    for case_sensitive in [false, true] {
        let cafe = short("caf\u{e9}", case_sensitive);
        assert_eq!(fraction(&cafe, &text("cafe\u{301}")), Fixed::ONE);
    }
    let sensitive = short("Straße", true);
    assert_eq!(fraction(&sensitive, &text("Straße")), Fixed::ONE);
    assert_eq!(fraction(&sensitive, &text("STRASSE")), Fixed::ZERO);
    assert_eq!(fraction(&sensitive, &text("straße")), Fixed::ZERO);
    assert_eq!(
        fraction(&short("İstanbul", false), &text("i̇stanbul")),
        Fixed::ONE
    );
}

#[test]
fn wildcards() {
    let cases = [
        ("*", "anything", true),
        ("a*c", "abbbc", true),
        ("a*c", "ac", true),
        ("a*c", "abcd", false),
        ("*ing", "running", true),
        ("*ing", "ringer", false),
        ("a\\*b", "a*b", true),
        ("a\\*b", "axb", false),
        ("**a**", "bab", true),
        ("a*b*c", "aXbYbZc", true),
        ("a*b*c", "aXbYbZ", false),
        ("photo*syn*", "photosynthesis", true),
    ];
    for (pattern, response, ok) in cases {
        let q = short(pattern, true);
        assert_eq!(
            fraction(&q, &text(response)) == Fixed::ONE,
            ok,
            "{pattern} ~ {response}"
        );
    }
    // Pathological patterns stay fast (linear backtracking).
    let q = short(&"*a".repeat(50), true);
    assert_eq!(fraction(&q, &text(&"a".repeat(49))), Fixed::ZERO);
}

#[test]
fn numerical_tolerance_boundaries_are_inclusive() {
    let q = samples::numerical(); // 3.14 ± 0.01 (100%), 3 ± 0.5 (50%)
    for (response, want) in [
        ("3.14", "100"),
        ("3.13", "100"),
        ("3.15", "100"),
        ("3.15000001", "50"),
        ("3.12999999", "50"),
        ("2.5", "50"),
        ("3.5", "50"),
        ("3.50001", "0"),
        ("2.49999", "0"),
        ("3,14", "100"),
        ("314e-2", "100"),
        ("+3.14", "100"),
        ("-3.14", "0"),
    ] {
        assert_eq!(fraction(&q, &text(response)), f(want), "{response}");
    }
    assert_eq!(mark(&q, &text("3.14")).feedback, ["Right."]);
    assert_eq!(mark(&q, &text("pi")).state, State::Invalid);
    assert_eq!(mark(&q, &text("3.14 m")).state, State::Invalid);
    assert_eq!(mark(&q, &text("")).state, State::NotAnswered);
    assert_eq!(mark(&q, &text("1e999999")).state, State::Invalid);
}

#[test]
fn numerical_units_convert_exactly_and_cost_their_penalty() {
    let q = samples::numerical_with_units(); // 1.5 ± 0.05 m; cm × 100; 10% of max
    for (response, want) in [
        ("1.5 m", "100"),
        ("1.55m", "100"),
        ("150 cm", "100"),
        ("145cm", "100"),
        ("155 cm", "100"),
        ("155.01 cm", "0"),
        ("1.5", "90"),
        ("1.5 km", "90"),
        ("7 m", "0"),
    ] {
        assert_eq!(fraction(&q, &text(response)), f(want), "{response}");
    }
    assert_eq!(mark(&q, &text("7 m")).feedback, ["Measure again."]);
    let mut of_mark = q.clone();
    if let Body::Numerical(n) = &mut of_mark.body {
        n.unit_grading = UnitGrading::PenaltyOfMark(f("20"));
        n.answers[0].fraction = f("50");
    }
    assert_eq!(fraction(&of_mark, &text("1.5")), f("40"));
    let mut optional = q.clone();
    if let Body::Numerical(n) = &mut optional.body {
        n.unit_grading = UnitGrading::Optional;
    }
    assert_eq!(fraction(&optional, &text("1.5")), Fixed::ONE);
}

#[test]
fn matching_scores_each_prompt() {
    let q = samples::matching();
    let Body::Matching(m) = &q.body else { panic!() };
    let choices = m.answer_choices();
    assert_eq!(
        choices,
        [
            "holds DNA",
            "makes proteins",
            "photosynthesis",
            "stores starch"
        ]
    );
    assert_eq!(
        fraction(&q, &Response::Matches(vec![Some(0), Some(1), Some(2)])),
        Fixed::ONE
    );
    assert_eq!(
        fraction(&q, &Response::Matches(vec![Some(0), Some(3), None])),
        f("33.33333")
    );
    assert_eq!(
        fraction(&q, &Response::Matches(vec![Some(1), Some(0), Some(2)])),
        f("33.33333")
    );
    assert_eq!(
        mark(&q, &Response::Matches(vec![None, None, None])).state,
        State::NotAnswered
    );
    assert_eq!(
        mark(&q, &Response::Matches(vec![Some(0)])).state,
        State::Invalid
    );
    assert_eq!(
        mark(&q, &Response::Matches(vec![Some(9), None, None])).state,
        State::Invalid
    );
}

#[test]
fn ordering_grading_types() {
    let mut q = samples::ordering(); // 4 items
    let mut grade = |grading: OrderingGrading, order: &[usize]| {
        if let Body::Ordering(o) = &mut q.body {
            o.grading = grading;
        }
        fraction(&q, &Response::Order(order.to_vec()))
    };
    use OrderingGrading::*;
    for g in OrderingGrading::ALL {
        assert_eq!(grade(g, &[0, 1, 2, 3]), Fixed::ONE, "{g:?}");
    }
    assert_eq!(grade(AllOrNothing, &[0, 1, 3, 2]), Fixed::ZERO);
    assert_eq!(grade(AbsolutePosition, &[0, 1, 3, 2]), f("50"));
    assert_eq!(grade(AbsolutePosition, &[3, 0, 1, 2]), Fixed::ZERO);
    // 0→1, 1→2 right of three pairs.
    assert_eq!(grade(RelativeNextExcludeLast, &[3, 0, 1, 2]), f("66.66667"));
    assert_eq!(grade(RelativeNextIncludeLast, &[3, 0, 1, 2]), f("50"));
    assert_eq!(grade(RelativeNextIncludeLast, &[1, 0, 2, 3]), f("50"));
    assert_eq!(grade(LongestOrderedSubset, &[3, 0, 1, 2]), f("75"));
    assert_eq!(grade(LongestOrderedSubset, &[3, 2, 1, 0]), Fixed::ZERO);
    assert_eq!(grade(LongestContiguousSubset, &[0, 2, 1, 3]), Fixed::ZERO);
    assert_eq!(grade(LongestContiguousSubset, &[2, 3, 0, 1]), f("50"));
    assert_eq!(
        mark(&q, &Response::Order(vec![0, 0, 1, 2])).state,
        State::Invalid
    );
    assert_eq!(mark(&q, &Response::Order(vec![0, 1])).state, State::Invalid);
    assert_eq!(
        mark(&q, &Response::Order(vec![0, 1, 2, 4])).state,
        State::Invalid
    );
}

#[test]
fn gaps_are_weighted() {
    let q = samples::gaps(); // gap 1 weight 1 (case-insensitive), gap 2 weight 2 (sensitive)
    let both = mark(&q, &Response::Gaps(vec!["co2".into(), "O2".into()]));
    assert_eq!(both.fraction, Some(Fixed::ONE));
    assert_eq!(
        fraction(
            &q,
            &Response::Gaps(vec!["Carbon dioxide".into(), "o2".into()])
        ),
        f("33.33333")
    );
    assert_eq!(
        fraction(&q, &Response::Gaps(vec![String::new(), "O2".into()])),
        f("66.66667")
    );
    let partial = mark(
        &q,
        &Response::Gaps(vec!["carbon monoxide".into(), "O2".into()]),
    );
    // (0.5 × 1 + 1 × 2) / 3
    assert_eq!(partial.fraction, Some(f("83.33333")));
    assert_eq!(partial.feedback, ["Which one?"]);
    assert_eq!(
        mark(&q, &Response::Gaps(vec![" ".into(), String::new()])).state,
        State::NotAnswered
    );
    assert_eq!(
        mark(&q, &Response::Gaps(vec!["x".into()])).state,
        State::Invalid
    );
}

#[test]
fn essays_wait_for_a_person() {
    let q = samples::essay();
    let o = mark(&q, &text("Variation and selection."));
    assert_eq!((o.fraction, o.state), (None, State::NeedsGrading));
    let blank = mark(&q, &text("  "));
    assert_eq!(
        (blank.fraction, blank.state),
        (Some(Fixed::ZERO), State::NotAnswered)
    );
    let d = mark(&samples::description(), &Response::Blank);
    assert_eq!((d.fraction, d.state), (None, State::Info));
}

#[test]
fn penalties_for_wrong_tries() {
    let third = f("33.33333");
    assert_eq!(after_tries(Fixed::ONE, 0, third), Fixed::ONE);
    assert_eq!(after_tries(Fixed::ONE, 1, third), f("66.66667"));
    assert_eq!(after_tries(Fixed::ONE, 3, third), f("0.00001"));
    assert_eq!(after_tries(Fixed::ONE, 4, third), Fixed::ZERO);
    assert_eq!(after_tries(f("50"), u32::MAX, Fixed::ONE), Fixed::ZERO);
}

#[test]
fn shuffle_is_stable_per_seed_and_a_permutation() {
    assert_eq!(shuffled_order(1, 0), Vec::<usize>::new());
    assert_eq!(shuffled_order(1, 1), [0]);
    // Pinned: an attempt stored today shows the same order after an upgrade.
    assert_eq!(shuffled_order(42, 6), shuffled_order(42, 6));
    assert_eq!(shuffled_order(42, 6), [4, 3, 0, 2, 5, 1]);
    assert_ne!(shuffled_order(42, 10), shuffled_order(43, 10));
    for seed in 0..200 {
        let mut order = shuffled_order(seed, 17);
        order.sort_unstable();
        assert_eq!(order, (0..17).collect::<Vec<_>>());
    }
    // Every position is reached roughly evenly: item 0 lands in each of 4 places about
    // 1/4 of 4000 times.
    let mut counts = [0usize; 4];
    for seed in 0..4000 {
        counts[shuffled_order(seed, 4)
            .iter()
            .position(|&i| i == 0)
            .unwrap()] += 1;
    }
    assert!(
        counts.iter().all(|&c| (850..1150).contains(&c)),
        "{counts:?}"
    );
}

#[test]
fn responses_serialise_as_json() {
    let r = Response::Matches(vec![Some(1), None]);
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(json, r#"{"type":"matches","value":[1,null]}"#);
    assert_eq!(serde_json::from_str::<Response>(&json).unwrap(), r);
    assert_eq!(
        serde_json::to_string(&Response::Blank).unwrap(),
        r#"{"type":"blank"}"#
    );
}
