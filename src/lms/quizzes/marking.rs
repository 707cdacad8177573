//! Marking one response to one question: a fraction in 0..=1 (none for essays, which are
//! marked by hand) and the per-answer feedback to show. Pure and exact: fractions are
//! `Fixed`, numbers `Number`. Also the deterministic shuffle used for per-attempt order.
//!
//! Text answers are compared after Unicode NFC normalisation, trimming and collapsing runs of
//! white space to one space. Without case sensitivity both sides are case-folded
//! character by character (upper case, then lower case), which is Unicode full case folding
//! for what people type: "Straße" matches "STRASSE", "ΣΟΦΟΣ" matches "σοφος", "ﬁne" "FINE".

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::numbers::{Fixed, Number};
use super::questions::{
    Body, MultiScoring, MultipleChoice, Numerical, Ordering, OrderingGrading, Question, TextAnswer,
    UnitGrading,
};

/// A student's answer to one question. Indices refer to the question's own order
/// (`choices`, `answer_choices()`, `items`), never to the shuffled order shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Response {
    /// Nothing given.
    Blank,
    /// Multiple choice: the chosen choices.
    Choices(Vec<usize>),
    /// True/false.
    Bool(bool),
    /// Short answer, numerical or essay.
    Text(String),
    /// Matching: per prompt (in order), the index into `answer_choices()` chosen, if any.
    Matches(Vec<Option<usize>>),
    /// Ordering: item indices in the order the student put them.
    Order(Vec<usize>),
    /// Fill in the blanks: one text per gap.
    Gaps(Vec<String>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    NotAnswered,
    /// An answer that cannot be marked as given (not a number, an index out of range, a
    /// response of another type); marked 0.
    Invalid,
    Wrong,
    Partial,
    Right,
    /// An essay waiting for its grader.
    NeedsGrading,
    /// A description: nothing to answer.
    Info,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// 0..=1, or none when a person marks it (essays) or there is nothing to mark.
    pub fraction: Option<Fixed>,
    pub state: State,
    /// The feedback of the answers given, in the question's order (empty ones left out). The
    /// question's general feedback is not included: it is the same for everyone.
    pub feedback: Vec<String>,
}

impl Outcome {
    fn marked(fraction: Fixed, feedback: Vec<String>) -> Outcome {
        let fraction = fraction.clamp01();
        let state = if fraction == Fixed::ONE {
            State::Right
        } else if fraction == Fixed::ZERO {
            State::Wrong
        } else {
            State::Partial
        };
        Outcome {
            fraction: Some(fraction),
            state,
            feedback: feedback.into_iter().filter(|f| !f.is_empty()).collect(),
        }
    }

    fn zero(state: State) -> Outcome {
        Outcome {
            fraction: Some(Fixed::ZERO),
            state,
            feedback: Vec::new(),
        }
    }
}

/// Student responses longer than this (in characters) are not compared with patterns and
/// are marked wrong, so marking time stays bounded.
pub const MAX_RESPONSE_CHARS: usize = 1_000;

/// Marks `response` to `question`.
pub fn mark(question: &Question, response: &Response) -> Outcome {
    if let (Body::Essay(_), Response::Blank) = (&question.body, response) {
        return Outcome::zero(State::NotAnswered);
    }
    if matches!(response, Response::Blank) && !matches!(question.body, Body::Description) {
        return Outcome::zero(State::NotAnswered);
    }
    match (&question.body, response) {
        (Body::Description, _) => Outcome {
            fraction: None,
            state: State::Info,
            feedback: Vec::new(),
        },
        (Body::Essay(_), Response::Text(text)) if text.trim().is_empty() => {
            Outcome::zero(State::NotAnswered)
        }
        (Body::Essay(_), Response::Text(_)) => Outcome {
            fraction: None,
            state: State::NeedsGrading,
            feedback: Vec::new(),
        },
        (Body::MultipleChoice(mc), Response::Choices(chosen)) => mark_choices(mc, chosen),
        (Body::TrueFalse(tf), Response::Bool(answer)) => Outcome::marked(
            if *answer == tf.correct {
                Fixed::ONE
            } else {
                Fixed::ZERO
            },
            vec![if *answer {
                tf.feedback_true.clone()
            } else {
                tf.feedback_false.clone()
            }],
        ),
        (Body::ShortAnswer(sa), Response::Text(text)) => {
            if text.trim().is_empty() {
                return Outcome::zero(State::NotAnswered);
            }
            match matching_answer(&sa.answers, text, sa.case_sensitive) {
                Some(a) => Outcome::marked(a.fraction, vec![a.feedback.clone()]),
                None => Outcome::marked(Fixed::ZERO, Vec::new()),
            }
        }
        (Body::Numerical(n), Response::Text(text)) => mark_numerical(n, text),
        (Body::Matching(m), Response::Matches(chosen)) => {
            let choices = m.answer_choices();
            let prompts: Vec<_> = m.prompts().collect();
            if chosen.len() != prompts.len() || chosen.iter().flatten().any(|&i| i >= choices.len())
            {
                return Outcome::zero(State::Invalid);
            }
            if chosen.iter().all(Option::is_none) {
                return Outcome::zero(State::NotAnswered);
            }
            let right = prompts
                .iter()
                .zip(chosen)
                .filter(|(pair, c)| c.is_some_and(|i| choices[i] == pair.answer))
                .count();
            Outcome::marked(Fixed::ratio(right as u64, prompts.len() as u64), Vec::new())
        }
        (Body::Ordering(o), Response::Order(order)) => mark_ordering(o, order),
        (Body::Gaps(g), Response::Gaps(texts)) => {
            if texts.len() != g.gaps.len() {
                return Outcome::zero(State::Invalid);
            }
            if texts.iter().all(|t| t.trim().is_empty()) {
                return Outcome::zero(State::NotAnswered);
            }
            let total: u64 = g.gaps.iter().map(|gap| u64::from(gap.weight)).sum();
            let mut sum: i128 = 0;
            let mut feedback = Vec::new();
            for (gap, text) in g.gaps.iter().zip(texts) {
                if let Some(a) = matching_answer(&gap.answers, text, gap.case_sensitive) {
                    sum += i128::from(a.fraction.units().max(0)) * i128::from(gap.weight);
                    feedback.push(a.feedback.clone());
                }
            }
            let units = if total == 0 {
                0
            } else {
                (sum + i128::from(total) / 2) / i128::from(total)
            };
            Outcome::marked(Fixed::from_units(units as i64), feedback)
        }
        _ => Outcome::zero(State::Invalid),
    }
}

/// The fraction after `wrong_tries` earlier wrong tries, each costing `penalty` (never
/// below 0).
pub fn after_tries(fraction: Fixed, wrong_tries: u32, penalty: Fixed) -> Fixed {
    let cost = penalty.units().saturating_mul(i64::from(wrong_tries));
    Fixed::from_units(fraction.units().saturating_sub(cost)).clamp01()
}

fn mark_choices(mc: &MultipleChoice, chosen: &[usize]) -> Outcome {
    let mut chosen = chosen.to_vec();
    chosen.sort_unstable();
    chosen.dedup();
    if chosen.iter().any(|&i| i >= mc.choices.len()) || (!mc.multiple && chosen.len() > 1) {
        return Outcome::zero(State::Invalid);
    }
    if chosen.is_empty() {
        return Outcome::zero(State::NotAnswered);
    }
    let feedback = chosen
        .iter()
        .map(|&i| mc.choices[i].feedback.clone())
        .collect();
    let fraction = |i: &usize| mc.choices[*i].fraction.units();
    let fraction = if !mc.multiple {
        Fixed::from_units(fraction(&chosen[0]))
    } else {
        let best: i64 = mc.choices.iter().map(|c| c.fraction.units().max(0)).sum();
        let sum: i64 = chosen.iter().map(fraction).sum();
        let right: Vec<usize> = (0..mc.choices.len())
            .filter(|&i| mc.choices[i].fraction > Fixed::ZERO)
            .collect();
        match mc.scoring {
            MultiScoring::AllOrNothing if chosen == right => Fixed::ONE,
            MultiScoring::AllOrNothing => Fixed::ZERO,
            // 3 × 33.33333% adds to 99.99999%: the best possible answer is worth 100%.
            MultiScoring::Sum if sum >= best && best > 0 => Fixed::ONE,
            MultiScoring::Sum => Fixed::from_units(sum),
        }
    };
    Outcome::marked(fraction, feedback)
}

fn mark_numerical(n: &Numerical, text: &str) -> Outcome {
    let text = text.trim();
    if text.is_empty() {
        return Outcome::zero(State::NotAnswered);
    }
    let Some((value, unit)) = split_number(text) else {
        return Outcome::zero(State::Invalid);
    };
    let unit = unit.trim();
    // The multiplier the response is scaled by, and whether the unit costs a penalty.
    let (multiplier, unit_ok) = if unit.is_empty() {
        (Number::from_int(1), n.units.is_empty())
    } else {
        match n.units.iter().find(|u| u.name.trim() == unit) {
            Some(u) => (u.multiplier, true),
            None if n.units.is_empty() => return Outcome::zero(State::Invalid),
            None => (Number::from_int(1), false),
        }
    };
    // |value / k − a| ≤ t  ⇔  |value − a·k| ≤ t·k  (k > 0), exact.
    let found = n.answers.iter().find(|a| match a.value {
        None => true,
        Some(target) => match (
            target.checked_mul(multiplier),
            a.tolerance.checked_mul(multiplier),
        ) {
            (Some(target), Some(tolerance)) => value.within(target, tolerance),
            _ => {
                let k = multiplier.to_f64();
                (value.to_f64() / k - target.to_f64()).abs() <= a.tolerance.to_f64()
            }
        },
    });
    let Some(answer) = found else {
        return Outcome::marked(Fixed::ZERO, Vec::new());
    };
    let mut fraction = answer.fraction.clamp01();
    if !unit_ok {
        fraction = match n.unit_grading {
            UnitGrading::Optional => fraction,
            UnitGrading::PenaltyOfMark(p) => Fixed::from_units(
                (i128::from(fraction.units()) * i128::from(Fixed::SCALE - p.units())
                    / i128::from(Fixed::SCALE)) as i64,
            ),
            UnitGrading::PenaltyOfMax(p) => Fixed::from_units(fraction.units() - p.units()),
        };
    }
    Outcome::marked(fraction, vec![answer.feedback.clone()])
}

/// The longest prefix of `text` that is a number, and what follows it (the unit).
fn split_number(text: &str) -> Option<(Number, &str)> {
    let end = text
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || c == '.'
                || c == ','
                || ((c == '-' || c == '+') && (i == 0 || text[..i].ends_with(['e', 'E'])))
                || ((c == 'e' || c == 'E')
                    && text[i + 1..]
                        .starts_with(|d: char| d.is_ascii_digit() || d == '-' || d == '+')))
        })
        .map_or(text.len(), |(i, _)| i);
    Some((Number::parse(&text[..end])?, &text[end..]))
}

fn mark_ordering(o: &Ordering, order: &[usize]) -> Outcome {
    let n = o.items.len();
    let mut seen = vec![false; n];
    if order.len() != n
        || order
            .iter()
            .any(|&i| i >= n || std::mem::replace(&mut seen[i], true))
    {
        return Outcome::zero(State::Invalid);
    }
    let whole = |count: usize, of: usize| Fixed::ratio(count as u64, of as u64);
    let fraction = match o.grading {
        OrderingGrading::AllOrNothing => {
            if order.iter().enumerate().all(|(pos, &i)| pos == i) {
                Fixed::ONE
            } else {
                Fixed::ZERO
            }
        }
        OrderingGrading::AbsolutePosition => {
            whole(order.iter().enumerate().filter(|(p, i)| p == *i).count(), n)
        }
        OrderingGrading::RelativeNextExcludeLast | OrderingGrading::RelativeNextIncludeLast => {
            let mut right = order.windows(2).filter(|w| w[1] == w[0] + 1).count();
            let mut of = n.saturating_sub(1);
            if o.grading == OrderingGrading::RelativeNextIncludeLast {
                of = n;
                if order.last() == Some(&(n - 1)) {
                    right += 1;
                }
            }
            whole(right, of)
        }
        OrderingGrading::LongestOrderedSubset => {
            let longest = longest_increasing(order);
            whole(if longest < 2 { 0 } else { longest }, n)
        }
        OrderingGrading::LongestContiguousSubset => {
            let (mut longest, mut run) = (1, 1);
            for w in order.windows(2) {
                run = if w[1] == w[0] + 1 { run + 1 } else { 1 };
                longest = longest.max(run);
            }
            whole(if longest < 2 { 0 } else { longest }, n)
        }
    };
    Outcome::marked(fraction, Vec::new())
}

/// Length of the longest strictly increasing subsequence (patience sorting, n log n).
fn longest_increasing(values: &[usize]) -> usize {
    let mut tails: Vec<usize> = Vec::new();
    for &v in values {
        match tails.binary_search(&v) {
            Ok(_) => {}
            Err(pos) if pos == tails.len() => tails.push(v),
            Err(pos) => tails[pos] = v,
        }
    }
    tails.len()
}

/// The first answer whose pattern matches `response`.
pub fn matching_answer<'a>(
    answers: &'a [TextAnswer],
    response: &str,
    case_sensitive: bool,
) -> Option<&'a TextAnswer> {
    if response.chars().count() > MAX_RESPONSE_CHARS {
        return None;
    }
    let response = normalise(response, case_sensitive);
    if response.is_empty() {
        return None;
    }
    answers
        .iter()
        .find(|a| wildcard_match(&pattern_tokens(&a.pattern, case_sensitive), &response))
}

/// NFC, trimmed, white space runs as one space, and case-folded unless `case_sensitive`.
pub fn normalise(text: &str, case_sensitive: bool) -> Vec<char> {
    let nfc: String = text.nfc().collect();
    let mut out = Vec::with_capacity(nfc.len());
    for word in nfc.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if case_sensitive {
            out.extend(word.chars());
        } else {
            let folded: String = word.chars().flat_map(fold).collect();
            out.extend(folded.nfc());
        }
    }
    out
}

/// One character case-folded: upper-cased, then lower-cased, twice (so ẞ → ß → ss).
fn fold(c: char) -> impl Iterator<Item = char> {
    c.to_uppercase()
        .flat_map(char::to_lowercase)
        .flat_map(char::to_uppercase)
        .flat_map(char::to_lowercase)
}

#[derive(Debug, PartialEq)]
enum Token {
    Char(char),
    Star,
}

/// A pattern as characters and wildcards; `\*` is a literal star.
fn pattern_tokens(pattern: &str, case_sensitive: bool) -> Vec<Token> {
    // Protect escaped stars through normalisation with a private-use character.
    const STAR: char = '\u{E000}';
    let protected = pattern.replace("\\*", &STAR.to_string());
    normalise(&protected, case_sensitive)
        .into_iter()
        .map(|c| match c {
            '*' => Token::Star,
            STAR => Token::Char('*'),
            c => Token::Char(c),
        })
        .collect()
}

/// Glob matching with `*` only; linear backtracking to the last star (O(n·m) worst case).
fn wildcard_match(pattern: &[Token], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(Token::Char(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            Some(Token::Star) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|tok| *tok == Token::Star)
}

/// The order `0..n` shuffled by `seed`: the same seed always gives the same order (on every
/// platform and version, since the generator is SplitMix64 written here, not a crate's), so
/// an attempt stores one seed and shows its questions and choices in the same order each
/// time.
pub fn shuffled_order(seed: u64, n: usize) -> Vec<usize> {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut order: Vec<usize> = (0..n).collect();
    // Fisher–Yates, each index drawn without bias by rejection.
    for i in (1..n).rev() {
        let bound = (i + 1) as u64;
        let zone = u64::MAX - (u64::MAX % bound);
        let j = loop {
            let r = next();
            if r < zone {
                break (r % bound) as usize;
            }
        };
        order.swap(i, j);
    }
    order
}

#[cfg(test)]
mod tests;
