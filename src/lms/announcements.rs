//! Announcements: a course's news written by its staff in the one rich text type, pinned
//! ones first, then the newest. Students see one from its publish time on (before, it does
//! not exist for them) and who read which is kept per person. Publishing fans a notification
//! out to the course's people in the same transaction: at once, or through serve's job when
//! the publish time comes (`notified_at` makes that happen once).

use chrono::{DateTime, Utc};

use super::{
    Lms, LmsError, MailKind, User, Zone,
    courses::CourseView,
    error::FieldErrors,
    notifications::{self, FanOut, Note},
    permissions,
    richtext::{Format, Links, MAX_TEXT_BYTES, RichText, Stored},
};
use crate::db::{Executor, Value};

const MAX_TITLE_CHARS: usize = 200;

/// One announcement as one person sees it.
#[derive(Clone, Debug)]
pub struct Announcement {
    pub id: i64,
    pub course_id: i64,
    pub author: Option<String>,
    pub title: String,
    pub body: Stored,
    pub pinned: bool,
    pub publish_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// Set when it was changed after it was published.
    pub edited_at: Option<DateTime<Utc>>,
    /// Whether the person reading has opened it.
    pub read: bool,
}

impl Announcement {
    pub fn published(&self, now: DateTime<Utc>) -> bool {
        self.publish_at <= now
    }
}

/// An announcement with the course it belongs to (the home page's list).
#[derive(Clone, Debug)]
pub struct CourseAnnouncement {
    pub course_slug: String,
    pub course_title: String,
    pub announcement: Announcement,
}

/// An announcement form as typed (the API's body fills the same fields).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AnnouncementInput {
    pub title: String,
    pub body: String,
    pub body_format: String,
    /// Empty: now. A wall-clock time in the author's zone, or RFC 3339.
    pub publish_at: String,
    /// `"true"`/`"on"` when ticked.
    pub pinned: Option<String>,
}

impl AnnouncementInput {
    pub fn from_announcement(a: &Announcement, zone: Zone) -> AnnouncementInput {
        let text = a.body.editable();
        AnnouncementInput {
            title: a.title.clone(),
            body: text.source,
            body_format: text.format.as_str().into(),
            publish_at: zone.input_value(a.publish_at),
            pinned: a.pinned.then(|| "true".into()),
        }
    }

    fn pinned(&self) -> bool {
        self.pinned
            .as_deref()
            .is_some_and(|p| matches!(p, "true" | "on" | "1"))
    }
}

struct Clean {
    title: String,
    body: Stored,
    pinned: bool,
    publish_at: DateTime<Utc>,
}

fn check(input: &AnnouncementInput, zone: Zone, now: DateTime<Utc>) -> Result<Clean, LmsError> {
    let mut errors = FieldErrors::default();
    let title = input.title.trim().to_string();
    errors.check(!title.is_empty(), "title", "enter a title");
    errors.check(
        title.chars().count() <= MAX_TITLE_CHARS,
        "title",
        format!("use at most {MAX_TITLE_CHARS} characters"),
    );
    let format = if input.body_format.trim().is_empty() {
        Format::Markdown.as_str()
    } else {
        input.body_format.as_str()
    };
    let body = RichText::from_form(format, &input.body).store(&Links::default());
    errors.check(
        !body.html.trim().is_empty(),
        "body",
        "write the announcement",
    );
    errors.check(
        input.body.len() <= MAX_TEXT_BYTES && body.html.len() <= MAX_TEXT_BYTES,
        "body",
        "the text is too long",
    );
    let publish_at = if input.publish_at.trim().is_empty() {
        Some(now)
    } else {
        match zone.read(&input.publish_at) {
            Ok(t) => Some(t),
            Err(e) => {
                errors.add("publish_at", e.to_string());
                None
            }
        }
    };
    errors.into_result()?;
    Ok(Clean {
        title,
        body,
        pinned: input.pinned(),
        publish_at: publish_at.unwrap_or(now),
    })
}

const COLUMNS: &str = "announcements.id, announcements.course_id, users.display_name AS author,
    announcements.title, announcements.body_html, announcements.body_format, announcements.body_source,
    announcements.body_digest, announcements.pinned, announcements.publish_at, announcements.created_at,
    announcements.edited_at, announcement_reads.read_at";

fn from_row(row: &crate::db::Row) -> Result<Announcement, LmsError> {
    Ok(Announcement {
        id: row.get("id")?,
        course_id: row.get("course_id")?,
        author: row.get("author")?,
        title: row.get("title")?,
        body: Stored::from_columns(
            row.get("body_html")?,
            row.get("body_format")?,
            row.get("body_source")?,
            row.get("body_digest")?,
        ),
        pinned: row.get("pinned")?,
        publish_at: row.get("publish_at")?,
        created_at: row.get("created_at")?,
        edited_at: row.get("edited_at")?,
        read: row.get::<Option<DateTime<Utc>>>("read_at")?.is_some(),
    })
}

/// The site path of an announcement.
pub fn path(slug: &str, id: i64) -> String {
    format!("/courses/{slug}/announcements/{id}")
}

/// The note of a published announcement.
fn note(course: (i64, &str, &str), id: i64, clean_title: &str, body: &Stored) -> Note {
    let (course_id, slug, course_title) = course;
    // Plain words for the list and the mail's text part: the cleaned HTML without its tags.
    let stripped = ammonia::Builder::empty().clean(&body.html).to_string();
    let text = stripped
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let short: String = text.chars().take(280).collect();
    Note {
        kind: MailKind::Announcement,
        course_id: Some(course_id),
        course_title: course_title.to_string(),
        title: format!("New announcement: {clean_title}"),
        body: short,
        html: Some(body.html.clone()),
        link: path(slug, id),
        dedupe_key: Some(format!("announcement:{id}")),
    }
}

/// Everyone in the course but the author hears of it.
const AUDIENCE: &str = "SELECT user_id FROM enrollments WHERE course_id = $1 AND user_id <> $2";

impl Lms {
    /// The course's announcements `actor` sees, pinned first then newest; students see only
    /// published ones. `limit`: at most that many.
    pub async fn announcements(
        &self,
        view: &CourseView,
        actor: &User,
        limit: Option<i64>,
    ) -> Result<Vec<Announcement>, LmsError> {
        let staff = permissions::can_edit_content(view.access());
        let sql = format!(
            "SELECT {COLUMNS} FROM announcements
             LEFT JOIN users ON users.id = announcements.author_id
             LEFT JOIN announcement_reads ON announcement_reads.announcement_id = announcements.id
                 AND announcement_reads.user_id = $2
             WHERE announcements.course_id = $1 AND ($3 OR announcements.publish_at <= $4)
             ORDER BY announcements.pinned DESC, announcements.publish_at DESC, announcements.id DESC
             LIMIT $5"
        );
        self.db
            .query(
                &sql,
                &[
                    view.course().id.into(),
                    actor.id.into(),
                    staff.into(),
                    Value::Time(self.now()),
                    limit.unwrap_or(10_000).into(),
                ],
            )
            .await?
            .iter()
            .map(from_row)
            .collect()
    }

    /// One announcement; `NotFound` when it is not in this course or not yet published and
    /// `actor` is not staff.
    pub async fn announcement(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
    ) -> Result<Announcement, LmsError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM announcements
             LEFT JOIN users ON users.id = announcements.author_id
             LEFT JOIN announcement_reads ON announcement_reads.announcement_id = announcements.id
                 AND announcement_reads.user_id = $3
             WHERE announcements.id = $1 AND announcements.course_id = $2"
        );
        let row = self
            .db
            .query_opt(&sql, &[id.into(), view.course().id.into(), actor.id.into()])
            .await?
            .ok_or(LmsError::NotFound)?;
        let a = from_row(&row)?;
        if !a.published(self.now()) && !permissions::can_edit_content(view.access()) {
            return Err(LmsError::NotFound);
        }
        Ok(a)
    }

    /// One announcement opened by `actor`: marked read, with its notification.
    pub async fn open_announcement(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
    ) -> Result<Announcement, LmsError> {
        let a = self.announcement(view, actor, id).await?;
        let now = self.now();
        if !a.read && a.published(now) {
            let mut conn = self.db.conn().await?;
            let mut tx = conn.transaction().await?;
            tx.execute(
                "INSERT INTO announcement_reads (announcement_id, user_id, read_at) VALUES ($1, $2, $3)
                 ON CONFLICT (announcement_id, user_id) DO NOTHING",
                &[id.into(), actor.id.into(), Value::Time(now)],
            )
            .await?;
            tx.execute(
                "UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND dedupe_key = $2 AND read_at IS NULL",
                &[
                    actor.id.into(),
                    format!("announcement:{id}").into(),
                    Value::Time(now),
                ],
            )
            .await?;
            tx.commit().await?;
        }
        Ok(a)
    }

    /// Posts an announcement (staff); published now or at its publish time, when the
    /// course's people are notified in the same transaction.
    pub async fn post_announcement(
        &self,
        view: &CourseView,
        actor: &User,
        input: &AnnouncementInput,
        zone: Zone,
    ) -> Result<(Announcement, FanOut), LmsError> {
        view.require(permissions::can_edit_content)?;
        let now = self.now();
        let c = check(input, zone, now)?;
        let publish_now = c.publish_at <= now;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO announcements (course_id, author_id, title, body_html, body_format, body_source,
                     body_digest, pinned, publish_at, notified_at, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
                &[
                    view.course().id.into(),
                    actor.id.into(),
                    c.title.as_str().into(),
                    c.body.html.as_str().into(),
                    c.body.format.into(),
                    c.body.source.clone().into(),
                    c.body.digest.clone().into(),
                    c.pinned.into(),
                    Value::Time(c.publish_at),
                    if publish_now { Value::Time(now) } else { Value::Null },
                    Value::Time(now),
                ],
            )
            .await?
            .get("id")?;
        let mut out = FanOut::default();
        if publish_now && view.course().status == super::CourseStatus::Published {
            out = notifications::fan_out(
                &mut tx,
                self.mail_site(),
                now,
                &note(
                    (view.course().id, &view.course().slug, &view.course().title),
                    id,
                    &c.title,
                    &c.body,
                ),
                AUDIENCE,
                &[view.course().id.into(), actor.id.into()],
            )
            .await?;
        }
        tx.commit().await?;
        Ok((self.announcement(view, actor, id).await?, out))
    }

    /// Changes an announcement (staff); one already published is then marked edited.
    pub async fn update_announcement(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
        input: &AnnouncementInput,
        zone: Zone,
    ) -> Result<Announcement, LmsError> {
        view.require(permissions::can_edit_content)?;
        let old = self.announcement(view, actor, id).await?;
        let now = self.now();
        let c = check(input, zone, now)?;
        let edited = old.published(now).then_some(now);
        self.db
            .execute(
                "UPDATE announcements SET title = $2, body_html = $3, body_format = $4, body_source = $5,
                     body_digest = $6, pinned = $7, publish_at = $8, updated_at = $9,
                     edited_at = COALESCE($10, edited_at)
                 WHERE id = $1",
                &[
                    id.into(),
                    c.title.as_str().into(),
                    c.body.html.as_str().into(),
                    c.body.format.into(),
                    c.body.source.clone().into(),
                    c.body.digest.clone().into(),
                    c.pinned.into(),
                    Value::Time(if old.published(now) { old.publish_at } else { c.publish_at }),
                    Value::Time(now),
                    edited.map_or(Value::Null, Value::Time),
                ],
            )
            .await?;
        self.announcement(view, actor, id).await
    }

    /// Deletes an announcement (staff), with its reads and notifications.
    pub async fn delete_announcement(
        &self,
        view: &CourseView,
        actor: &User,
        id: i64,
    ) -> Result<(), LmsError> {
        view.require(permissions::can_edit_content)?;
        self.announcement(view, actor, id).await?;
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        tx.execute(
            "DELETE FROM notifications WHERE dedupe_key = $1",
            &[format!("announcement:{id}").into()],
        )
        .await?;
        tx.execute("DELETE FROM announcements WHERE id = $1", &[id.into()])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest published announcements of the published courses `actor` is enrolled in
    /// (the home page), at most `limit`.
    pub async fn home_announcements(
        &self,
        actor: &User,
        limit: i64,
    ) -> Result<Vec<CourseAnnouncement>, LmsError> {
        let sql = format!(
            "SELECT {COLUMNS}, courses.slug AS course_slug, courses.title AS course_title
             FROM enrollments
             JOIN courses ON courses.id = enrollments.course_id
             JOIN announcements ON announcements.course_id = courses.id
             LEFT JOIN users ON users.id = announcements.author_id
             LEFT JOIN announcement_reads ON announcement_reads.announcement_id = announcements.id
                 AND announcement_reads.user_id = $1
             WHERE enrollments.user_id = $1 AND announcements.publish_at <= $2
               AND (courses.status = 'published' OR enrollments.role <> 'student')
             ORDER BY announcements.publish_at DESC, announcements.id DESC
             LIMIT $3"
        );
        self.db
            .query(
                &sql,
                &[actor.id.into(), Value::Time(self.now()), limit.into()],
            )
            .await?
            .iter()
            .map(|row| {
                Ok(CourseAnnouncement {
                    course_slug: row.get("course_slug")?,
                    course_title: row.get("course_title")?,
                    announcement: from_row(row)?,
                })
            })
            .collect()
    }

    /// Notifies the people of each announcement whose publish time has come and that was
    /// scheduled: claimed by setting `notified_at` in the fan-out's transaction, so one
    /// instance does it once. Returns how many were published.
    pub async fn publish_due_announcements(&self) -> Result<usize, LmsError> {
        let now = self.now();
        let due = self
            .db
            .query(
                "SELECT announcements.id, announcements.author_id, announcements.title, announcements.body_html,
                        announcements.body_format, announcements.body_source, announcements.body_digest,
                        courses.id AS course_id, courses.slug, courses.title AS course_title
                 FROM announcements JOIN courses ON courses.id = announcements.course_id
                 WHERE announcements.notified_at IS NULL AND announcements.publish_at <= $1
                   AND courses.status = 'published'",
                &[Value::Time(now)],
            )
            .await?;
        let mut count = 0;
        for row in &due {
            let id: i64 = row.get("id")?;
            let author: Option<i64> = row.get("author_id")?;
            let slug: String = row.get("slug")?;
            let body = Stored::from_columns(
                row.get("body_html")?,
                row.get("body_format")?,
                row.get("body_source")?,
                row.get("body_digest")?,
            );
            let course_id: i64 = row.get("course_id")?;
            let course_title: String = row.get("course_title")?;
            let mut conn = self.db.conn().await?;
            let mut tx = conn.transaction().await?;
            let claimed = tx
                .execute(
                    "UPDATE announcements SET notified_at = $2 WHERE id = $1 AND notified_at IS NULL",
                    &[id.into(), Value::Time(now)],
                )
                .await?;
            if claimed == 0 {
                tx.rollback().await?;
                continue;
            }
            let title: String = row.get("title")?;
            notifications::fan_out(
                &mut tx,
                self.mail_site(),
                now,
                &note((course_id, &slug, &course_title), id, &title, &body),
                AUDIENCE,
                &[course_id.into(), author.unwrap_or(0).into()],
            )
            .await?;
            tx.commit().await?;
            count += 1;
        }
        Ok(count)
    }
}

/// What `publish_at` means for `zone`'s reader: `None` when published already.
pub fn scheduled_for(a: &Announcement, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    (!a.published(now)).then_some(a.publish_at)
}
