//! Timestamps in the two UTC text forms dumps carry (PostgreSQL's `2026-11-25 10:00:00.5+00`
//! and paideia's RFC 3339 `2026-11-25T10:00:00.500000Z`), read straight from their bytes.
//! Written by hand because hashing a million rows spent most of its time in chrono's
//! general-purpose format parser; anything outside these two forms falls back to chrono.

use chrono::{DateTime, Utc};

/// Microseconds since 1970 of a UTC timestamp in one of the two common forms, or `None` when
/// the text is in any other form (the caller then asks chrono).
pub fn utc_micros(s: &[u8]) -> Option<i64> {
    if s.len() < 20 || s[4] != b'-' || s[7] != b'-' || s[13] != b':' || s[16] != b':' {
        return None;
    }
    if s[10] != b' ' && s[10] != b'T' {
        return None;
    }
    let year = digits(&s[0..4])?;
    let (month, day) = (digits(&s[5..7])?, digits(&s[8..10])?);
    let (hour, minute, second) = (
        digits(&s[11..13])?,
        digits(&s[14..16])?,
        digits(&s[17..19])?,
    );
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut rest = &s[19..];
    let mut micros = 0i64;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 || count > 9 {
            return None;
        }
        for i in 0..6 {
            micros = micros * 10
                + fraction
                    .get(i)
                    .filter(|_| i < count)
                    .map_or(0, |d| i64::from(d - b'0'));
        }
        rest = &fraction[count..];
    }
    if !matches!(rest, b"Z" | b"+00" | b"+00:00") {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    Some(seconds * 1_000_000 + micros)
}

/// A UTC timestamp in either common form, or any form chrono's RFC 3339 and ISO parsers read.
pub fn parse(s: &str) -> Result<DateTime<Utc>, String> {
    if let Some(t) = utc_micros(s.as_bytes()).and_then(DateTime::from_timestamp_micros) {
        return Ok(t);
    }
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%#z"))
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            format!(
                "`{}` is not a timestamp",
                super::error::excerpt(s.as_bytes())
            )
        })
}

/// Whether `s` is already exactly what `db::time_to_text` writes (`…T…:SS.ffffffZ`), so it can
/// be copied as it is.
pub fn is_canonical(s: &[u8]) -> bool {
    s.len() == 27 && s[10] == b'T' && s[19] == b'.' && s[26] == b'Z' && utc_micros(s).is_some()
}

fn digits(b: &[u8]) -> Option<i64> {
    b.iter().try_fold(0i64, |acc, &d| {
        d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
    })
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::SecondsFormat;

    fn chrono_micros(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s)
            .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%#z"))
            .unwrap()
            .timestamp_micros()
    }

    #[test]
    fn agrees_with_chrono_on_both_forms() {
        // A deterministic walk over 200 years in uneven steps, with and without fractions.
        let mut micros: i64 = -2_208_988_800_000_000; // 1900-01-01
        let step: i64 = 7_777_777_123_457;
        while micros < 4_102_444_800_000_000 {
            let t = DateTime::from_timestamp_micros(micros).unwrap();
            let forms = [
                t.to_rfc3339_opts(SecondsFormat::Micros, true),
                t.to_rfc3339_opts(SecondsFormat::Secs, true),
                t.format("%Y-%m-%d %H:%M:%S%.f+00").to_string(),
                t.format("%Y-%m-%d %H:%M:%S+00").to_string(),
                t.format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string(),
            ];
            for form in forms {
                assert_eq!(
                    utc_micros(form.as_bytes()),
                    Some(chrono_micros(&form)),
                    "{form}"
                );
            }
            micros += step;
        }
    }

    #[test]
    fn other_forms_fall_back_to_chrono() {
        for s in [
            "2026-11-25 10:00:00+01",
            "2026-02-29T00:00:00Z",
            "2026-11-25T24:00:00Z",
            "2026-11-25 10:00:00.+00",
            "2026-11-25T10:00:00.1234567891Z",
            "26-11-25T10:00:00Z",
        ] {
            assert_eq!(utc_micros(s.as_bytes()), None, "{s}");
        }
        assert_eq!(
            parse("2026-11-25 11:00:00+01").unwrap(),
            parse("2026-11-25T10:00:00Z").unwrap()
        );
        assert!(parse("2026-02-29T00:00:00Z").is_err());
        assert!(is_canonical(b"2026-11-25T10:00:00.500000Z"));
        assert!(!is_canonical(b"2026-11-25 10:00:00.5+00"));
    }
}
