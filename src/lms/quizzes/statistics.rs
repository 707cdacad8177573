//! Per-question statistics over finished attempts, as Moodle's quiz statistics define them:
//! facility index (the mean mark, in %), discrimination index (the correlation between the
//! question's mark and the mark on the rest of the quiz, in %) and how often each choice was
//! picked. Descriptive numbers, so f64; marks themselves stay exact elsewhere.

use super::marking::Response;
use super::numbers::Fixed;

/// One attempt as the statistics see one question: its fraction on the question and the
/// attempt's total on the other questions (in marks).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub fraction: Fixed,
    pub rest_of_quiz: f64,
}

/// The mean fraction × 100; `None` without attempts.
pub fn facility_index(fractions: &[Fixed]) -> Option<f64> {
    if fractions.is_empty() {
        return None;
    }
    let sum: i128 = fractions.iter().map(|f| i128::from(f.units())).sum();
    Some(sum as f64 / fractions.len() as f64 / Fixed::SCALE as f64 * 100.0)
}

/// Pearson's correlation × 100 between the question's fraction and the rest of the quiz;
/// `None` with fewer than two attempts or when either side never varies (nothing to tell
/// apart). Above 30 discriminates well; negative means the better students did worse.
pub fn discrimination_index(samples: &[Sample]) -> Option<f64> {
    let n = samples.len();
    if n < 2 {
        return None;
    }
    let xs: Vec<f64> = samples.iter().map(|s| s.fraction.to_f64()).collect();
    let ys: Vec<f64> = samples.iter().map(|s| s.rest_of_quiz).collect();
    if ys.iter().any(|y| !y.is_finite()) {
        return None;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / n as f64;
    let (mx, my) = (mean(&xs), mean(&ys));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(&ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    // Variances this small are rounding noise: the side is constant.
    if sxx <= 1e-12 || syy <= 1e-12 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt() * 100.0).clamp(-100.0, 100.0))
}

/// How many responses picked each of `choices` choices (multiple choice); responses of other
/// shapes and out-of-range indices are not counted, a choice listed twice counts once.
pub fn choice_counts(choices: usize, responses: &[Response]) -> Vec<usize> {
    let mut counts = vec![0; choices];
    for r in responses {
        if let Response::Choices(chosen) = r {
            let mut chosen: Vec<usize> = chosen.iter().copied().filter(|&i| i < choices).collect();
            chosen.sort_unstable();
            chosen.dedup();
            for i in chosen {
                counts[i] += 1;
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(percent: i64, rest: f64) -> Sample {
        Sample {
            fraction: Fixed::from_units(percent * Fixed::SCALE / 100),
            rest_of_quiz: rest,
        }
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn facility_is_the_mean_mark() {
        assert_eq!(facility_index(&[]), None);
        let f = [
            Fixed::ONE,
            Fixed::ZERO,
            Fixed::from_units(5_000_000),
            Fixed::ONE,
        ];
        assert!(close(facility_index(&f), 62.5));
        assert!(close(facility_index(&[Fixed::ONE; 3]), 100.0));
    }

    #[test]
    fn discrimination_is_the_correlation_with_the_rest() {
        // Those who did well elsewhere got it right: perfect discrimination.
        let good = [s(100, 9.0), s(100, 8.0), s(0, 3.0), s(0, 2.0)];
        let d = discrimination_index(&good).unwrap();
        assert!(d > 90.0 && d <= 100.0, "{d}");
        let exact = [s(0, 1.0), s(50, 2.0), s(100, 3.0)];
        assert!(close(discrimination_index(&exact), 100.0));
        let reversed = [s(100, 1.0), s(50, 2.0), s(0, 3.0)];
        assert!(close(discrimination_index(&reversed), -100.0));
        // Everyone right, or everyone alike elsewhere: nothing to tell apart.
        assert_eq!(discrimination_index(&[s(100, 1.0), s(100, 5.0)]), None);
        assert_eq!(discrimination_index(&[s(0, 4.0), s(100, 4.0)]), None);
        assert_eq!(discrimination_index(&[s(100, 1.0)]), None);
        assert_eq!(discrimination_index(&[s(0, f64::NAN), s(100, 1.0)]), None);
        // By hand: x = 1, 0, 1, 0.5; y = 4, 1, 3, 3; Sxy = 1.625, Sxx = 0.6875, Syy = 4.75.
        let r = discrimination_index(&[s(100, 4.0), s(0, 1.0), s(100, 3.0), s(50, 3.0)]).unwrap();
        let expected = 1.625 / (0.6875f64 * 4.75).sqrt() * 100.0;
        assert!((r - expected).abs() < 1e-9, "{r} vs {expected}");
    }

    #[test]
    fn choices_are_counted_once_per_response() {
        let responses = [
            Response::Choices(vec![0]),
            Response::Choices(vec![0, 2, 2]),
            Response::Choices(vec![9]),
            Response::Blank,
            Response::Text("0".into()),
        ];
        assert_eq!(choice_counts(3, &responses), [2, 0, 1]);
    }
}
