//! Time as people type and read it. Instants are stored in UTC; each person reads and enters
//! them in a zone of the IANA database (chrono-tz): their own, else the site's. `read` turns
//! what a form sent into an instant (refusing a wall-clock time that a spring-forward skips,
//! and taking the first of the two an autumn fall-back repeats); `show` names the zone's
//! abbreviation beside every time, so an autumn 01:30 is never ambiguous on a page.

use std::{fmt, str::FromStr};

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A zone of the IANA time zone database (UTC by default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Zone(Tz);

impl Default for Zone {
    fn default() -> Self {
        Zone::UTC
    }
}

impl Zone {
    pub const UTC: Zone = Zone(Tz::UTC);

    /// The zone named `name` (`Europe/Berlin`), if the database knows it.
    pub fn parse(name: &str) -> Option<Zone> {
        Tz::from_str(name.trim()).ok().map(Zone)
    }

    /// The server's own zone (from `TZ` or the system's setting), else UTC.
    pub fn server() -> Zone {
        std::env::var("TZ")
            .ok()
            .and_then(|tz| Zone::parse(tz.trim_start_matches(':')))
            .or_else(|| {
                iana_time_zone::get_timezone()
                    .ok()
                    .and_then(|n| Zone::parse(&n))
            })
            .unwrap_or(Zone::UTC)
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// Every zone's name, for a picker.
    pub fn all() -> impl Iterator<Item = &'static str> {
        chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
    }

    /// `t` as people in this zone read it: `Tue 3 Mar 2026, 17:00 EST`.
    pub fn show(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.0)
            .format("%a %-d %b %Y, %H:%M %Z")
            .to_string()
    }

    /// Only the date: `Tue 3 Mar 2026`.
    pub fn show_date(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.0).format("%a %-d %b %Y").to_string()
    }

    /// The value of an `<input type="datetime-local">` showing `t` in this zone.
    pub fn input_value(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.0)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    }

    /// The calendar date of `t` in this zone.
    pub fn date_of(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.0).date_naive()
    }

    /// The first instant of `date` in this zone: its midnight, or the first time after it
    /// where a DST change skips midnight.
    pub fn start_of(&self, date: NaiveDate) -> DateTime<Utc> {
        let mut wall = date.and_time(NaiveTime::MIN);
        for _ in 0..(24 * 4) {
            if let Some(t) = self.0.from_local_datetime(&wall).earliest() {
                return t.with_timezone(&Utc);
            }
            wall += chrono::Duration::minutes(15);
        }
        Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN))
    }

    /// The time of day of `t` in this zone with its abbreviation: `17:00 CET`.
    pub fn show_time(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.0).format("%H:%M %Z").to_string()
    }

    /// How far `t` is from `now`, as people in this zone say it: `in 40 minutes`,
    /// `today at 17:00 CET`, `tomorrow at 09:00 CET`, `in 3 days`, and for the past
    /// `just now`, `5 hours ago`, `yesterday at 17:00 CET`, `3 days ago`. Days are this zone's calendar
    /// days, so "tomorrow" is right across midnight and DST changes.
    pub fn relative(&self, now: DateTime<Utc>, t: DateTime<Utc>) -> String {
        let seconds = (t - now).num_seconds();
        let minutes = (t - now).num_minutes();
        if (-59..=0).contains(&seconds) {
            return "just now".to_string();
        }
        if (1..3600).contains(&seconds) {
            return plural(minutes.max(1), "minute", "in ", "");
        }
        if (-3599..0).contains(&seconds) {
            return plural(-minutes, "minute", "", " ago");
        }
        let days = (self.date_of(t) - self.date_of(now)).num_days();
        let at = self.show_time(t);
        match days {
            0 if minutes > 0 => format!("today at {at}"),
            0 => plural(-minutes / 60, "hour", "", " ago"),
            1 => format!("tomorrow at {at}"),
            -1 => format!("yesterday at {at}"),
            d if d > 1 => plural(d, "day", "in ", ""),
            d => plural(-d, "day", "", " ago"),
        }
    }

    /// The instant a person in this zone means by `text`: a wall-clock time as
    /// `datetime-local` sends it (`2026-03-08T17:00`, seconds optional, or a space for the
    /// `T`), read in this zone, or an RFC 3339 time with an explicit offset, taken as it is.
    pub fn read(&self, text: &str) -> Result<DateTime<Utc>, TimeError> {
        let text = text.trim();
        if let Ok(exact) = DateTime::parse_from_rfc3339(text) {
            return Ok(exact.with_timezone(&Utc));
        }
        let wall = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
            .ok_or(TimeError::Unreadable)?;
        match self.0.from_local_datetime(&wall) {
            LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
            // The earlier of the two; the page then shows which (`01:30 EDT`).
            LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
            LocalResult::None => Err(TimeError::Skipped {
                wall: wall.format("%H:%M on %-d %B %Y").to_string(),
                zone: *self,
                after: self.first_after_gap(wall),
            }),
        }
    }

    /// The first wall-clock time that exists after `wall` (the end of a DST gap).
    fn first_after_gap(&self, wall: NaiveDateTime) -> String {
        let mut probe = wall;
        for _ in 0..(24 * 4) {
            probe += chrono::Duration::minutes(15);
            if let LocalResult::Single(t) = self.0.from_local_datetime(&probe) {
                return t.format("%H:%M %Z").to_string();
            }
        }
        "a later time".to_string()
    }
}

fn plural(n: i64, unit: &str, before: &str, after: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{before}{n} {unit}{s}{after}")
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why typed text is not an instant.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("enter a date and time like 2026-03-01T09:00")]
    Unreadable,
    #[error(
        "{wall} does not exist in {zone}: the clocks go forward then; choose a time before it or from {after}"
    )]
    Skipped {
        wall: String,
        zone: Zone,
        after: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> Zone {
        Zone::parse(name).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn wall_clock_times_are_read_in_the_zone_across_dst() {
        let ny = zone("America/New_York");
        // Before and after the spring-forward of 8 March 2026.
        assert_eq!(
            ny.read("2026-03-07T17:00").unwrap(),
            utc("2026-03-07T22:00:00Z")
        );
        assert_eq!(
            ny.read("2026-03-09T17:00").unwrap(),
            utc("2026-03-09T21:00:00Z")
        );
        let berlin = zone("Europe/Berlin");
        assert_eq!(
            berlin.read("2026-03-28T17:00").unwrap(),
            utc("2026-03-28T16:00:00Z")
        );
        assert_eq!(
            berlin.read("2026-03-30 17:00").unwrap(),
            utc("2026-03-30T15:00:00Z")
        );
        let sydney = zone("Australia/Sydney");
        // Sydney leaves daylight saving time on 5 April 2026.
        assert_eq!(
            sydney.read("2026-04-04T17:00").unwrap(),
            utc("2026-04-04T06:00:00Z")
        );
        assert_eq!(
            sydney.read("2026-04-06T17:00:00").unwrap(),
            utc("2026-04-06T07:00:00Z")
        );
    }

    #[test]
    fn a_skipped_time_is_refused_and_a_repeated_one_is_the_first() {
        let ny = zone("America/New_York");
        let skipped = ny.read("2026-03-08T02:30").unwrap_err();
        assert_eq!(
            skipped.to_string(),
            "02:30 on 8 March 2026 does not exist in America/New_York: the clocks go forward then; choose a time before it or from 03:00 EDT"
        );
        let repeated = ny.read("2026-11-01T01:30").unwrap();
        assert_eq!(
            repeated,
            utc("2026-11-01T05:30:00Z"),
            "the first 01:30 (EDT)"
        );
        assert_eq!(ny.show(repeated), "Sun 1 Nov 2026, 01:30 EDT");
        assert_eq!(
            ny.show(utc("2026-11-01T06:30:00Z")),
            "Sun 1 Nov 2026, 01:30 EST",
            "the second 01:30 reads differently"
        );
    }

    #[test]
    fn explicit_offsets_are_taken_as_they_are() {
        let tokyo = zone("Asia/Tokyo");
        assert_eq!(
            tokyo.read("2026-03-08T17:00:00-05:00").unwrap(),
            utc("2026-03-08T22:00:00Z")
        );
        assert_eq!(
            tokyo.read("2026-03-08T22:00:00Z").unwrap(),
            utc("2026-03-08T22:00:00Z")
        );
        assert_eq!(tokyo.read("next tuesday"), Err(TimeError::Unreadable));
    }

    #[test]
    fn times_are_shown_and_put_in_inputs_in_the_zone() {
        let t = utc("2026-07-01T15:00:00Z");
        assert_eq!(zone("Europe/Berlin").show(t), "Wed 1 Jul 2026, 17:00 CEST");
        assert_eq!(zone("America/New_York").input_value(t), "2026-07-01T11:00");
        assert_eq!(Zone::UTC.show(t), "Wed 1 Jul 2026, 15:00 UTC");
        assert!(Zone::parse("Mars/Olympus_Mons").is_none());
        assert!(Zone::all().any(|n| n == "Europe/Berlin"));
    }

    #[test]
    fn time_left_counts_the_readers_calendar_days() {
        let now = utc("2026-03-07T22:30:00Z");
        let berlin = zone("Europe/Berlin"); // 23:30 CET on Saturday 7 March
        let ny = zone("America/New_York"); // 17:30 EST on the same Saturday
        assert_eq!(
            berlin.relative(now, utc("2026-03-07T22:50:00Z")),
            "in 20 minutes"
        );
        assert_eq!(
            berlin.relative(now, utc("2026-03-07T22:30:20Z")),
            "in 1 minute"
        );
        assert_eq!(
            berlin.relative(now, utc("2026-03-08T08:00:00Z")),
            "tomorrow at 09:00 CET"
        );
        assert_eq!(
            ny.relative(now, utc("2026-03-08T02:00:00Z")),
            "today at 21:00 EST",
            "still Saturday in New York"
        );
        assert_eq!(
            ny.relative(now, utc("2026-03-08T21:00:00Z")),
            "tomorrow at 17:00 EDT",
            "across the spring-forward"
        );
        assert_eq!(
            berlin.relative(now, utc("2026-03-10T12:00:00Z")),
            "in 3 days"
        );
        assert_eq!(
            berlin.relative(now, utc("2026-03-07T20:00:00Z")),
            "2 hours ago"
        );
        assert_eq!(
            berlin.relative(now, utc("2026-03-06T16:00:00Z")),
            "yesterday at 17:00 CET"
        );
        assert_eq!(
            berlin.relative(now, utc("2026-03-01T16:00:00Z")),
            "6 days ago"
        );
        assert_eq!(
            berlin.relative(now, utc("2026-03-07T22:00:00Z")),
            "30 minutes ago"
        );
        assert_eq!(
            berlin.relative(now, utc("2026-03-07T22:29:30Z")),
            "just now"
        );
        assert_eq!(berlin.relative(now, now), "just now");
        assert_eq!(
            berlin.relative(now, utc("2026-03-07T22:28:30Z")),
            "1 minute ago"
        );
    }

    #[test]
    fn days_start_at_the_zones_midnight() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(
            zone("Europe/Berlin").start_of(day),
            utc("2026-02-28T23:00:00Z")
        );
        assert_eq!(
            zone("Australia/Sydney").start_of(day),
            utc("2026-02-28T13:00:00Z")
        );
        // Santiago's clocks go from 24:00 to 01:00 on 6 September 2026: no midnight that day.
        let skipped = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        assert_eq!(
            zone("America/Santiago").start_of(skipped),
            utc("2026-09-06T04:00:00Z")
        );
        assert_eq!(
            zone("Asia/Tokyo").date_of(utc("2026-02-28T15:00:00Z")),
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
        );
    }
}
