//! Exact numbers for marking: `Fixed`, a decimal with seven places (Moodle's `NUMBER(12,7)`)
//! for fractions, penalties and marks, and `Number`, an exact decimal (mantissa × 10^exponent)
//! for numerical answers, tolerances and unit multipliers, so `3.14 ± 0.01` accepts 3.13 and
//! 3.15 exactly (no binary floating point at the boundary).

use std::cmp::Ordering;
use std::fmt;

/// A decimal with seven places, stored as an integer count of 10⁻⁷. Fractions (−1..=1),
/// penalties and default marks. Serialised as a JSON number; read back rounded to 7 places.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fixed(i64);

impl Fixed {
    pub const SCALE: i64 = 10_000_000;
    pub const ZERO: Fixed = Fixed(0);
    pub const ONE: Fixed = Fixed(Self::SCALE);
    /// Largest magnitude accepted (a million), so every value is exact as an f64 too.
    pub const MAX_UNITS: i64 = 1_000_000 * Self::SCALE;

    pub const fn from_units(units: i64) -> Fixed {
        Fixed(units)
    }

    pub const fn units(self) -> i64 {
        self.0
    }

    /// `num / den`, rounded half away from zero; zero when `den` is zero.
    pub fn ratio(num: u64, den: u64) -> Fixed {
        if den == 0 {
            return Fixed::ZERO;
        }
        let n = u128::from(num) * Self::SCALE as u128;
        let d = u128::from(den);
        let q = (n + d / 2) / d;
        Fixed(i64::try_from(q).unwrap_or(i64::MAX).min(Self::MAX_UNITS))
    }

    /// Reads `0.5`, `-1`, `33.333333333` (rounded to seven places); `None` for anything else
    /// or beyond ±1,000,000.
    pub fn parse(text: &str) -> Option<Fixed> {
        Self::parse_scaled(text, 7)
    }

    /// Reads a percentage (`50`, `-33.33333`) as a fraction (`0.5`, `-0.3333333`).
    pub fn parse_percent(text: &str) -> Option<Fixed> {
        Self::parse_scaled(text, 5)
    }

    /// Parses a plain decimal and returns it × 10^`places`, rounded half away from zero.
    fn parse_scaled(text: &str, places: u32) -> Option<Fixed> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let int = int.trim_start_matches('0');
        if int.len() > 12 {
            return None;
        }
        let mut units: i64 = 0;
        for b in int.bytes() {
            units = units * 10 + i64::from(b - b'0');
        }
        let mut frac_bytes = frac.bytes();
        for _ in 0..places {
            let digit = frac_bytes.next().map_or(0, |b| i64::from(b - b'0'));
            units = units.checked_mul(10)?.checked_add(digit)?;
        }
        if frac_bytes.next().is_some_and(|b| b >= b'5') {
            units += 1;
        }
        if units > Self::MAX_UNITS {
            return None;
        }
        Some(Fixed(if negative { -units } else { units }))
    }

    /// The fraction clamped to 0..=1.
    pub fn clamp01(self) -> Fixed {
        Fixed(self.0.clamp(0, Self::SCALE))
    }

    pub fn to_f64(self) -> f64 {
        self.0 as f64 / Self::SCALE as f64
    }

    /// `72.5` for 0.725: the fraction as a percentage, trailing zeros dropped.
    pub fn percent_text(self) -> String {
        trimmed(self.0, 5)
    }

    /// `1.0000000`: seven places, as Moodle writes marks and penalties.
    pub fn seven_places(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!(
            "{sign}{}.{:07}",
            abs / Self::SCALE as u64,
            abs % Self::SCALE as u64
        )
    }
}

/// `units` with `places` decimals, trailing zeros (and a bare point) dropped.
fn trimmed(units: i64, places: u32) -> String {
    let scale = 10u64.pow(places);
    let sign = if units < 0 { "-" } else { "" };
    let abs = units.unsigned_abs();
    let frac = format!("{:0width$}", abs % scale, width = places as usize);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}{}", abs / scale)
    } else {
        format!("{sign}{}.{frac}", abs / scale)
    }
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&trimmed(self.0, 7))
    }
}

impl serde::Serialize for Fixed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.to_f64())
    }
}

impl<'de> serde::Deserialize<'de> for Fixed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(d)?;
        let units = (value * Self::SCALE as f64).round();
        if !units.is_finite() || units.abs() > Self::MAX_UNITS as f64 {
            return Err(serde::de::Error::custom("number out of range"));
        }
        Ok(Fixed(units as i64))
    }
}

/// An exact decimal `mantissa × 10^exponent`, kept normalised (no trailing zeros in the
/// mantissa) so equal values compare equal. At most 30 significant digits, exponent within
/// ±100. Serialised as its text (`"3.14"`, `"6.02e23"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Number {
    mantissa: i128,
    exponent: i32,
}

const MAX_DIGITS: usize = 30;
const MAX_EXPONENT: i32 = 100;

impl Number {
    pub const ZERO: Number = Number {
        mantissa: 0,
        exponent: 0,
    };

    fn new(mantissa: i128, exponent: i32) -> Number {
        let (mut m, mut e) = (mantissa, exponent);
        if m == 0 {
            return Number::ZERO;
        }
        while m % 10 == 0 {
            m /= 10;
            e += 1;
        }
        Number {
            mantissa: m,
            exponent: e,
        }
    }

    pub fn from_int(value: i64) -> Number {
        Number::new(i128::from(value), 0)
    }

    pub fn is_negative(self) -> bool {
        self.mantissa < 0
    }

    pub fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    pub fn abs(self) -> Number {
        Number::new(self.mantissa.abs(), self.exponent)
    }

    /// Reads `3.14`, `-2`, `.5`, `6.02e23`, `1E-3` and, when there is no `.`, a decimal
    /// comma (`3,14`). `None` for anything else, more than 30 digits or an exponent beyond
    /// ±100.
    pub fn parse(text: &str) -> Option<Number> {
        let text = text.trim();
        let (body, exp) = match text.find(['e', 'E']) {
            Some(i) => (&text[..i], Some(&text[i + 1..])),
            None => (text, None),
        };
        let (negative, digits) = match body.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, body.strip_prefix('+').unwrap_or(body)),
        };
        let digits_owned;
        let digits = if !digits.contains('.') && digits.matches(',').count() == 1 {
            digits_owned = digits.replace(',', ".");
            digits_owned.as_str()
        } else {
            digits
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let all = format!("{int}{frac}");
        let significant = all.trim_start_matches('0');
        if significant.len() > MAX_DIGITS {
            return None;
        }
        let mut mantissa: i128 = 0;
        for b in significant.bytes() {
            mantissa = mantissa * 10 + i128::from(b - b'0');
        }
        let mut exponent = -(frac.len().min(10_000) as i32);
        if let Some(exp) = exp {
            let exp = exp.strip_prefix('+').unwrap_or(exp);
            if exp.is_empty() || exp.len() > 6 {
                return None;
            }
            let e: i32 = exp.parse().ok()?;
            exponent = exponent.checked_add(e)?;
        }
        if negative {
            mantissa = -mantissa;
        }
        let n = Number::new(mantissa, exponent);
        if n.mantissa != 0 && n.exponent.abs() > MAX_EXPONENT {
            return None;
        }
        Some(n)
    }

    pub fn checked_add(self, other: Number) -> Option<Number> {
        let (a, b, e) = align(self, other)?;
        Some(Number::new(a.checked_add(b)?, e))
    }

    pub fn checked_sub(self, other: Number) -> Option<Number> {
        self.checked_add(Number::new(other.mantissa.checked_neg()?, other.exponent))
    }

    pub fn checked_mul(self, other: Number) -> Option<Number> {
        Some(Number::new(
            self.mantissa.checked_mul(other.mantissa)?,
            self.exponent.checked_add(other.exponent)?,
        ))
    }

    /// Half of the value, exact (× 5 × 10⁻¹).
    pub fn half(self) -> Option<Number> {
        Some(Number::new(
            self.mantissa.checked_mul(5)?,
            self.exponent - 1,
        ))
    }

    pub fn to_f64(self) -> f64 {
        // Through the text so rounding is the standard library's (correctly rounded).
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// Whether `self` lies within `tolerance` of `target`, both ends included. Exact unless
    /// the three numbers are more than about 38 digits apart, where f64 decides.
    pub fn within(self, target: Number, tolerance: Number) -> bool {
        let tolerance = tolerance.abs();
        match self.checked_sub(target).map(|d| (d.abs(), tolerance)) {
            Some((diff, tol)) => match cmp(diff, tol) {
                Some(order) => order != Ordering::Greater,
                None => (diff.to_f64()) <= tol.to_f64(),
            },
            None => (self.to_f64() - target.to_f64()).abs() <= tolerance.to_f64(),
        }
    }
}

/// Both mantissas at the smaller exponent; `None` on overflow.
fn align(a: Number, b: Number) -> Option<(i128, i128, i32)> {
    if a.mantissa == 0 {
        return Some((0, b.mantissa, b.exponent));
    }
    if b.mantissa == 0 {
        return Some((a.mantissa, 0, a.exponent));
    }
    let e = a.exponent.min(b.exponent);
    let scale = |n: Number| -> Option<i128> {
        let shift = u32::try_from(n.exponent - e).ok()?;
        n.mantissa.checked_mul(10i128.checked_pow(shift)?)
    };
    Some((scale(a)?, scale(b)?, e))
}

fn cmp(a: Number, b: Number) -> Option<Ordering> {
    let (x, y, _) = align(a, b)?;
    Some(x.cmp(&y))
}

impl fmt::Display for Number {
    /// Plain decimals for exponents within ±20 (`0.001`, `1500`), else `1.5e25`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let digits = self.mantissa.unsigned_abs().to_string();
        let e = self.exponent;
        if (0..=20).contains(&e) {
            write!(f, "{sign}{digits}{}", "0".repeat(e as usize))
        } else if (-20..0).contains(&e) {
            let places = (-e) as usize;
            if digits.len() > places {
                let (int, frac) = digits.split_at(digits.len() - places);
                write!(f, "{sign}{int}.{frac}")
            } else {
                write!(f, "{sign}0.{}{digits}", "0".repeat(places - digits.len()))
            }
        } else {
            let (first, rest) = digits.split_at(1);
            let exp = e + rest.len() as i32;
            if rest.is_empty() {
                write!(f, "{sign}{first}e{exp}")
            } else {
                write!(f, "{sign}{first}.{rest}e{exp}")
            }
        }
    }
}

impl serde::Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Number::parse(&text).ok_or_else(|| serde::de::Error::custom("not a number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).unwrap()
    }

    #[test]
    fn fixed_parses_and_prints() {
        assert_eq!(Fixed::parse("0.5"), Some(Fixed(5_000_000)));
        assert_eq!(Fixed::parse("-1"), Some(Fixed(-10_000_000)));
        assert_eq!(Fixed::parse("0.33333335"), Some(Fixed(3_333_334)));
        assert_eq!(Fixed::parse_percent("33.33333"), Some(Fixed(3_333_333)));
        assert_eq!(Fixed::parse_percent("-50"), Some(Fixed(-5_000_000)));
        assert_eq!(Fixed::parse_percent("100"), Some(Fixed::ONE));
        for bad in ["", "-", ".", "1e3", "abc", "1.2.3", "9999999999999", " 5 %"] {
            assert_eq!(Fixed::parse(bad), None, "{bad}");
        }
        assert_eq!(Fixed(3_333_333).percent_text(), "33.33333");
        assert_eq!(Fixed(5_000_000).percent_text(), "50");
        assert_eq!(Fixed(-5_000_000).percent_text(), "-50");
        assert_eq!(Fixed::ONE.seven_places(), "1.0000000");
        assert_eq!(Fixed(-3_333_333).seven_places(), "-0.3333333");
        assert_eq!(Fixed::ratio(1, 3), Fixed(3_333_333));
        assert_eq!(Fixed::ratio(2, 3), Fixed(6_666_667));
        assert_eq!(Fixed::ratio(1, 0), Fixed::ZERO);
        let json = serde_json::to_string(&Fixed(3_333_333)).unwrap();
        assert_eq!(json, "0.3333333");
        assert_eq!(
            serde_json::from_str::<Fixed>(&json).unwrap(),
            Fixed(3_333_333)
        );
    }

    #[test]
    fn numbers_parse_exactly() {
        assert_eq!(n("3.140"), n("3.14"));
        assert_eq!(n("3,14"), n("3.14"));
        assert_eq!(n("6.02e23").to_string(), "6.02e23");
        assert_eq!(n("6.02e20").to_string(), "602000000000000000000");
        assert_eq!(n("1.5e25").to_string(), "1.5e25");
        assert_eq!(n("-0.001").to_string(), "-0.001");
        assert_eq!(n(".5").to_string(), "0.5");
        assert_eq!(n("1.6E-19").to_string(), "0.00000000000000000016");
        assert_eq!(n("1.6E-22").to_string(), "1.6e-22");
        assert_eq!(n("-0").to_string(), "0");
        for bad in [
            "", "-", "1,000.5", "1.2.3", "e5", "1e", "1e+", "abc", "1 2", "1,2,3", "NaN", "inf",
        ] {
            assert_eq!(Number::parse(bad), None, "{bad:?}");
        }
        assert_eq!(Number::parse(&"9".repeat(31)), None);
        assert_eq!(Number::parse("1e101"), None);
        for s in ["3.14", "1.6e-19", "1e30", "-12345.678", "0"] {
            assert_eq!(n(&n(s).to_string()), n(s), "{s}");
        }
    }

    #[test]
    fn tolerance_boundaries_are_inclusive_and_exact() {
        let (a, t) = (n("3.14"), n("0.01"));
        assert!(n("3.13").within(a, t));
        assert!(n("3.15").within(a, t));
        assert!(!n("3.150000001").within(a, t));
        assert!(!n("3.129999999").within(a, t));
        // f64 would get this one wrong: 3.14 - 3.13 = 0.010000000000000231.
        let (x, y) = (n("3.14").to_f64(), n("3.13").to_f64());
        assert!(x - y > 0.01);
        assert!(n("0.3").within(n("0.1").checked_add(n("0.2")).unwrap(), Number::ZERO));
        assert!(n("5").within(n("5"), Number::ZERO));
        assert!(!n("5.0000000000000000000001").within(n("5"), Number::ZERO));
        // Far apart in scale: falls back to f64 without panicking.
        assert!(!n("1e100").within(n("1e-100"), n("1")));
        assert!(n("1e-100").within(n("0"), n("1e-90")));
        assert_eq!(n("1").half(), Some(n("0.5")));
    }
}
