//! Whether students see a module: staff hide one outright, or schedule it to be shown from
//! and/or until an instant (typed in their zone). Students never reach a module they do not
//! see (pages, API, downloads, attachments and submissions answer `NotFound`, through
//! `Lms::module`); staff see every module with a badge saying how students see it.

use chrono::{DateTime, Utc};

use super::{
    FieldErrors, Lms, LmsError, Zone,
    assignments::time,
    courses::CourseView,
    modules::Module,
    permissions::{self, Access},
};
use crate::db::Value;

/// How students see a module at some instant, for the staff's badge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// Shown, with no end planned.
    Shown,
    /// Shown now, hidden from `until` on.
    Until(DateTime<Utc>),
    /// Hidden by hand.
    Hidden,
    /// Not yet: shown from this instant.
    From(DateTime<Utc>),
    /// No more: hidden since this instant.
    Ended(DateTime<Utc>),
}

/// How students see `m` at `now`.
pub fn seen(m: &Module, now: DateTime<Utc>) -> Seen {
    if m.hidden {
        return Seen::Hidden;
    }
    match (m.visible_from, m.visible_until) {
        (Some(from), _) if now < from => Seen::From(from),
        (_, Some(until)) if now >= until => Seen::Ended(until),
        (_, Some(until)) => Seen::Until(until),
        _ => Seen::Shown,
    }
}

/// Whether students see `m` at `now`.
pub fn shown(m: &Module, now: DateTime<Utc>) -> bool {
    matches!(seen(m, now), Seen::Shown | Seen::Until(_))
}

/// `shown` for queries that read a module's three visibility columns without the module.
pub fn shown_from_columns(
    hidden: bool,
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    !hidden && from.is_none_or(|f| now >= f) && until.is_none_or(|u| now < u)
}

/// Whether someone with `access` sees `m` at `now`: staff (and admins) always.
pub fn sees(access: Access, m: &Module, now: DateTime<Utc>) -> bool {
    permissions::can_edit_content(access) || shown(m, now)
}

/// A visibility form as typed: times are `datetime-local` values in `zone` (or RFC 3339).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct VisibilityInput {
    /// A checkbox: present when the module is hidden.
    pub hidden: Option<String>,
    pub visible_from: String,
    pub visible_until: String,
    #[serde(skip)]
    pub zone: Zone,
}

impl VisibilityInput {
    /// The form filled in with a module's values, its times in `zone`.
    pub fn from_module(m: &Module, zone: Zone) -> VisibilityInput {
        let time = |t: Option<DateTime<Utc>>| t.map(|t| zone.input_value(t)).unwrap_or_default();
        VisibilityInput {
            hidden: m.hidden.then(|| "true".into()),
            visible_from: time(m.visible_from),
            visible_until: time(m.visible_until),
            zone,
        }
    }
}

/// The checked values of a visibility form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Visibility {
    pub hidden: bool,
    pub visible_from: Option<DateTime<Utc>>,
    pub visible_until: Option<DateTime<Utc>>,
}

pub fn clean(input: &VisibilityInput) -> Result<Visibility, LmsError> {
    let mut errors = FieldErrors::default();
    let visible_from = time(&mut errors, "visible_from", &input.visible_from, input.zone);
    let visible_until = time(
        &mut errors,
        "visible_until",
        &input.visible_until,
        input.zone,
    );
    if let (Some(from), Some(until)) = (visible_from, visible_until) {
        errors.check(
            until > from,
            "visible_until",
            "the end must come after the start",
        );
    }
    errors.into_result()?;
    Ok(Visibility {
        hidden: input.hidden.is_some(),
        visible_from,
        visible_until,
    })
}

impl Lms {
    /// Hides, shows or schedules module `id` for students.
    pub async fn set_visibility(
        &self,
        view: &CourseView,
        id: i64,
        input: &VisibilityInput,
    ) -> Result<Module, LmsError> {
        view.require(permissions::can_edit_content)?;
        self.module(view, id).await?;
        let v = clean(input)?;
        self.db
            .execute(
                "UPDATE modules SET hidden = $2, visible_from = $3, visible_until = $4, updated_at = $5
                 WHERE id = $1",
                &[
                    id.into(),
                    v.hidden.into(),
                    v.visible_from.into(),
                    v.visible_until.into(),
                    Value::Time(self.now()),
                ],
            )
            .await?;
        self.module(view, id).await
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::lms::modules::ModuleKind;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, h, 0, 0).unwrap()
    }

    fn module(hidden: bool, from: Option<u32>, until: Option<u32>) -> Module {
        Module {
            id: 1,
            section_id: 1,
            kind: ModuleKind::Page,
            title: "Week 1".into(),
            position: 0,
            body_html: None,
            body_format: None,
            body_source: None,
            body_source_digest: None,
            media: None,
            hidden,
            visible_from: from.map(at),
            visible_until: until.map(at),
        }
    }

    #[test]
    fn hidden_beats_dates_and_the_window_is_half_open() {
        assert_eq!(seen(&module(false, None, None), at(9)), Seen::Shown);
        assert_eq!(seen(&module(true, None, None), at(9)), Seen::Hidden);
        assert_eq!(seen(&module(true, Some(8), None), at(9)), Seen::Hidden);
        let window = module(false, Some(8), Some(12));
        assert_eq!(seen(&window, at(7)), Seen::From(at(8)));
        assert_eq!(seen(&window, at(8)), Seen::Until(at(12)));
        assert!(shown(&window, at(11)));
        assert_eq!(seen(&window, at(12)), Seen::Ended(at(12)));
        assert!(!shown(&window, at(12)));
    }

    #[test]
    fn times_are_read_in_the_zone_and_must_be_in_order() {
        let input = VisibilityInput {
            hidden: None,
            visible_from: "2026-03-01T08:00".into(),
            visible_until: "2026-03-01T07:00".into(),
            zone: Zone::parse("America/New_York").unwrap(),
        };
        let Err(LmsError::Invalid(errors)) = clean(&input) else {
            panic!("accepted");
        };
        assert!(errors.get("visible_until").is_some());
        let ok = VisibilityInput {
            visible_until: String::new(),
            ..input
        };
        assert_eq!(clean(&ok).unwrap().visible_from, Some(at(13)));
    }
}
