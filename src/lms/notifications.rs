//! Notifications: each person's in-app entries (announcements, replies in followed threads,
//! released grades, work due soon, new submissions for staff), their choices per kind
//! (immediately, daily digest, off; email on/off is `outbox`'s opt-out), and the fan-out that
//! writes one entry per recipient and their mails with multi-row inserts inside the event's
//! transaction. serve's jobs (`run_jobs`) publish scheduled announcements, warn of work due
//! within a day and build the daily digests. Mail text lives in `notify_mail`.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::{
    Lms, LmsError, MailKind, User, Zone,
    outbox::{self, MailSite},
    text_enum::text_enum,
};
use crate::db::{Executor, Value};

text_enum!(
    /// How a person hears about one kind of event.
    Mode {
        Immediate => "immediate", "Immediately",
        Digest => "digest", "In a daily digest",
        Off => "off", "Off",
    }
);

/// The kinds of notification, in the order the settings page lists them.
pub const KINDS: [MailKind; 5] = [
    MailKind::Announcement,
    MailKind::Discussion,
    MailKind::GradeReleased,
    MailKind::DueSoon,
    MailKind::NewSubmission,
];

/// The choice of someone who has not made one: staff hear of each submission in a digest,
/// everything else arrives at once.
pub fn default_mode(kind: MailKind) -> Mode {
    match kind {
        MailKind::NewSubmission => Mode::Digest,
        _ => Mode::Immediate,
    }
}

/// The local hour from which a person's daily digest is built.
pub const DIGEST_HOUR: i64 = 7;
/// How far ahead "due soon" looks.
pub const DUE_SOON_HOURS: i64 = 24;
/// Rows per multi-row INSERT (notifications: 10 values a row, outbox 12: well inside both
/// engines' parameter limits).
const CHUNK: usize = 400;

/// One in-app entry.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Notification {
    pub id: i64,
    #[serde(serialize_with = "kind_text")]
    pub kind: MailKind,
    pub course_id: Option<i64>,
    pub title: String,
    pub body: String,
    /// The site path of the thing it is about.
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// A kind as stored (`grade_released`), not serde's lowercase of the variant.
fn kind_text<S: serde::Serializer>(kind: &MailKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.as_str())
}

/// A person's choice for one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pref {
    pub kind: MailKind,
    pub mode: Mode,
    pub email: bool,
}

/// What one event tells its recipients.
#[derive(Clone, Debug)]
pub struct Note {
    pub kind: MailKind,
    pub course_id: Option<i64>,
    /// The course's title, for the mail's subject.
    pub course_title: String,
    /// The entry's one line (`New announcement: Exam on Friday`).
    pub title: String,
    /// A short text under it (plain).
    pub body: String,
    /// The HTML of the mail's main part (cleaned), when there is more than `body` to show.
    pub html: Option<String>,
    /// The site path it links to.
    pub link: String,
    /// One entry per person and key (a job's events); `None`: every event is new.
    pub dedupe_key: Option<String>,
}

/// What a fan-out wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FanOut {
    pub notified: usize,
    pub mailed: usize,
}

struct Recipient {
    id: i64,
    email: String,
    mode: Mode,
    email_on: bool,
}

/// `(...), (...)` of `rows` rows of `cols` numbered placeholders.
fn placeholders(rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!("${}", r * cols + c + 1));
        }
        out.push(')');
    }
    out
}

/// The people `ids_sql` selects (a subquery naming user ids, with `params`), with their
/// choice for `kind` and whether they take its mail. Disabled accounts are left out.
async fn recipients(
    exec: &mut impl Executor,
    kind: MailKind,
    ids_sql: &str,
    params: &[Value],
) -> Result<Vec<Recipient>, LmsError> {
    // `kind` is one of the enum's fixed strings, so it is written into the SQL.
    let sql = format!(
        "SELECT users.id, users.email, notification_prefs.mode, mail_opt_outs.user_id AS opted_out
         FROM users
         LEFT JOIN notification_prefs ON notification_prefs.user_id = users.id AND notification_prefs.kind = '{kind}'
         LEFT JOIN mail_opt_outs ON mail_opt_outs.user_id = users.id AND mail_opt_outs.kind = '{kind}'
         WHERE users.disabled_at IS NULL AND users.id IN ({ids_sql})
         ORDER BY users.id"
    );
    exec.query(&sql, params)
        .await?
        .iter()
        .map(|row| {
            Ok(Recipient {
                id: row.get("id")?,
                email: row.get("email")?,
                mode: row
                    .get::<Option<Mode>>("mode")?
                    .unwrap_or(default_mode(kind)),
                email_on: row.get::<Option<i64>>("opted_out")?.is_none(),
            })
        })
        .collect()
}

/// Writes `note` for everyone `ids_sql` selects, inside the caller's transaction: an entry
/// for each recipient whose choice is not "off" (none twice for one `dedupe_key`), and for
/// those who chose "immediately" and take this kind's mail, a mail in the outbox. Two
/// multi-row INSERTs per 400 recipients, whatever the course's size.
pub async fn fan_out(
    exec: &mut impl Executor,
    site: Option<&MailSite>,
    now: DateTime<Utc>,
    note: &Note,
    ids_sql: &str,
    params: &[Value],
) -> Result<FanOut, LmsError> {
    let people = recipients(exec, note.kind, ids_sql, params).await?;
    let people: Vec<&Recipient> = people.iter().filter(|r| r.mode != Mode::Off).collect();
    let mut written: Vec<&Recipient> = Vec::with_capacity(people.len());
    for chunk in people.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO notifications (user_id, kind, course_id, title, body, link, delivery,
                 dedupe_key, created_at, read_at)
             VALUES {}
             ON CONFLICT (user_id, dedupe_key) DO NOTHING
             RETURNING user_id",
            placeholders(chunk.len(), 10)
        );
        let mut values = Vec::with_capacity(chunk.len() * 10);
        for r in chunk {
            let delivery = if r.mode == Mode::Digest {
                "digest"
            } else {
                "immediate"
            };
            values.extend([
                r.id.into(),
                note.kind.into(),
                note.course_id.map_or(Value::Null, Value::Int),
                note.title.as_str().into(),
                note.body.as_str().into(),
                note.link.as_str().into(),
                delivery.into(),
                note.dedupe_key.clone().map_or(Value::Null, Value::Text),
                Value::Time(now),
                Value::Null,
            ]);
        }
        let inserted: std::collections::HashSet<i64> = exec
            .query(&sql, &values)
            .await?
            .iter()
            .map(|row| row.get("user_id"))
            .collect::<Result<_, _>>()?;
        written.extend(chunk.iter().filter(|r| inserted.contains(&r.id)));
    }
    let mailed = match site {
        Some(site) => {
            let to_mail: Vec<&&Recipient> = written
                .iter()
                .filter(|r| r.mode == Mode::Immediate && r.email_on)
                .collect();
            mail_each(exec, site, now, note, &to_mail).await?
        }
        None => 0,
    };
    Ok(FanOut {
        notified: written.len(),
        mailed,
    })
}

/// `fan_out` to the accounts `ids` (say, a thread's followers but the reply's author), in
/// the caller's transaction.
pub async fn fan_out_to(
    exec: &mut impl Executor,
    site: Option<&MailSite>,
    now: DateTime<Utc>,
    note: &Note,
    ids: &[i64],
) -> Result<FanOut, LmsError> {
    let mut total = FanOut::default();
    for chunk in ids.chunks(CHUNK * 10) {
        let list = (1..=chunk.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let params: Vec<Value> = chunk.iter().map(|id| Value::Int(*id)).collect();
        let out = fan_out(
            exec,
            site,
            now,
            note,
            &format!("SELECT id FROM users WHERE id IN ({list})"),
            &params,
        )
        .await?;
        total.notified += out.notified;
        total.mailed += out.mailed;
    }
    Ok(total)
}

/// The note of a reply in a followed thread (the discussion hook): `link` is the reply's
/// path, `excerpt` its plain text (shortened here).
pub fn reply_note(
    course_id: i64,
    course_title: &str,
    thread_title: &str,
    author: &str,
    excerpt: &str,
    link: String,
) -> Note {
    Note {
        kind: MailKind::Discussion,
        course_id: Some(course_id),
        course_title: course_title.to_string(),
        title: format!("{author} replied in {thread_title}"),
        body: excerpt.chars().take(280).collect(),
        html: None,
        link,
        dedupe_key: None,
    }
}

/// The outbox rows of one note, one per recipient, in multi-row inserts (what
/// `outbox::enqueue` writes for one, with the opt-outs already applied by `recipients`).
async fn mail_each(
    exec: &mut impl Executor,
    site: &MailSite,
    now: DateTime<Utc>,
    note: &Note,
    people: &[&&Recipient],
) -> Result<usize, LmsError> {
    if people.is_empty() {
        return Ok(0);
    }
    let key = outbox::link_key(exec, now).await?;
    let subject = super::notify_mail::subject(note);
    for chunk in people.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO outbox (message_id, user_id, to_address, kind, subject, body_text,
                 body_html, unsubscribe_url, extra_headers, status, created_at, next_attempt_at)
             VALUES {}",
            placeholders(chunk.len(), 12)
        );
        let mut values = Vec::with_capacity(chunk.len() * 12);
        for r in chunk {
            let unsubscribe = site.link(&format!(
                "/unsubscribe/{}/{}/{}",
                r.id,
                note.kind,
                outbox::link_mac(&key, r.id, note.kind)
            ));
            let (text, html) = super::notify_mail::bodies(site, note, &unsubscribe);
            values.extend([
                site.new_message_id().into(),
                r.id.into(),
                r.email.trim().into(),
                note.kind.into(),
                subject.as_str().into(),
                text.into(),
                html.into(),
                unsubscribe.into(),
                "{}".into(),
                "pending".into(),
                Value::Time(now),
                Value::Time(now),
            ]);
        }
        exec.execute(&sql, &values).await?;
    }
    site.wake().notify_one();
    Ok(people.len())
}

fn from_row(row: &crate::db::Row) -> Result<Notification, LmsError> {
    Ok(Notification {
        id: row.get("id")?,
        kind: row.get("kind")?,
        course_id: row.get("course_id")?,
        title: row.get("title")?,
        body: row.get("body")?,
        link: row.get("link")?,
        created_at: row.get("created_at")?,
        read_at: row.get("read_at")?,
    })
}

const COLUMNS: &str = "id, kind, course_id, title, body, link, created_at, read_at";

impl Lms {
    /// The discussion hook, for the transaction that writes a post: tells `to` (what
    /// `discussions::after_post` returns) of post `post_id` in thread `thread_id` by `author`,
    /// each by their choice for "discussion". Reads the thread's title and course itself (tables
    /// of migration 0010).
    pub async fn notify_reply(
        &self,
        exec: &mut impl Executor,
        thread_id: i64,
        post_id: i64,
        author: &User,
        excerpt: &str,
        to: &[i64],
    ) -> Result<FanOut, LmsError> {
        if to.is_empty() {
            return Ok(FanOut::default());
        }
        let row = exec
        .query_one(
            "SELECT discussion_threads.title, courses.id AS course_id, courses.slug, courses.title AS course_title
             FROM discussion_threads
             JOIN modules ON modules.id = discussion_threads.forum_id
             JOIN courses ON courses.id = modules.course_id
             WHERE discussion_threads.id = $1",
            &[thread_id.into()],
        )
        .await?;
        let slug: String = row.get("slug")?;
        let title: String = row.get("title")?;
        let course_title: String = row.get("course_title")?;
        let note = reply_note(
            row.get("course_id")?,
            &course_title,
            &title,
            &author.display_name,
            excerpt,
            format!("/courses/{slug}/threads/{thread_id}#post-{post_id}"),
        );
        fan_out_to(exec, self.mail_site(), self.now(), &note, to).await
    }

    /// `actor`'s newest entries (at most `limit`).
    pub async fn notifications(
        &self,
        actor: &User,
        limit: i64,
    ) -> Result<Vec<Notification>, LmsError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM notifications WHERE user_id = $1
             ORDER BY created_at DESC, id DESC LIMIT $2"
        );
        self.db
            .query(&sql, &[actor.id.into(), limit.into()])
            .await?
            .iter()
            .map(from_row)
            .collect()
    }

    /// How many of `user_id`'s entries are unread (one COUNT over a partial index).
    pub async fn unread_notifications(&self, user_id: i64) -> Result<i64, LmsError> {
        Ok(self
            .db
            .query_one(
                "SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL",
                &[user_id.into()],
            )
            .await?
            .get("n")?)
    }

    /// Marks one of `actor`'s entries read and gives it back; `NotFound` for anyone else's.
    pub async fn open_notification(&self, actor: &User, id: i64) -> Result<Notification, LmsError> {
        self.db
            .execute(
                "UPDATE notifications SET read_at = $3 WHERE id = $1 AND user_id = $2 AND read_at IS NULL",
                &[id.into(), actor.id.into(), Value::Time(self.now())],
            )
            .await?;
        let sql = format!("SELECT {COLUMNS} FROM notifications WHERE id = $1 AND user_id = $2");
        let row = self
            .db
            .query_opt(&sql, &[id.into(), actor.id.into()])
            .await?
            .ok_or(LmsError::NotFound)?;
        from_row(&row)
    }

    /// Marks every entry of `actor` read; returns how many were unread.
    pub async fn mark_all_notifications_read(&self, actor: &User) -> Result<u64, LmsError> {
        Ok(self
            .db
            .execute(
                "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL",
                &[actor.id.into(), Value::Time(self.now())],
            )
            .await?)
    }

    /// `actor`'s choice for every kind, defaults filled in.
    pub async fn notification_prefs(&self, actor: &User) -> Result<Vec<Pref>, LmsError> {
        let mut conn = self.db.conn().await?;
        let rows = conn
            .query(
                "SELECT kind, mode FROM notification_prefs WHERE user_id = $1",
                &[actor.id.into()],
            )
            .await?;
        let mut chosen: HashMap<MailKind, Mode> = HashMap::new();
        for row in &rows {
            if let (Some(kind), Some(mode)) = (row.get("kind")?, row.get("mode")?) {
                chosen.insert(kind, mode);
            }
        }
        let mut prefs = Vec::new();
        for kind in KINDS {
            prefs.push(Pref {
                kind,
                mode: chosen.get(&kind).copied().unwrap_or(default_mode(kind)),
                email: outbox::email_enabled(&mut conn, actor.id, kind).await?,
            });
        }
        Ok(prefs)
    }

    /// Saves `actor`'s choices (email on/off is the unsubscribe links' setting).
    pub async fn set_notification_prefs(
        &self,
        actor: &User,
        prefs: &[Pref],
    ) -> Result<(), LmsError> {
        let now = self.now();
        let mut conn = self.db.conn().await?;
        let mut tx = conn.transaction().await?;
        for p in prefs {
            if !KINDS.contains(&p.kind) {
                return Err(LmsError::field("kind", "not a kind of notification"));
            }
            tx.execute(
                "INSERT INTO notification_prefs (user_id, kind, mode, updated_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (user_id, kind) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at",
                &[actor.id.into(), p.kind.into(), p.mode.into(), Value::Time(now)],
            )
            .await?;
            outbox::set_email_enabled(&mut tx, now, actor.id, p.kind, p.email).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// serve's periodic work: scheduled announcements whose time has come, work due soon,
    /// daily digests. Each is safe to run on several instances at once.
    pub async fn run_notification_jobs(&self) -> Result<(usize, usize, usize), LmsError> {
        let published = self.publish_due_announcements().await?;
        let due = self.notify_due_soon().await?;
        let digests = self.build_digests().await?;
        Ok((published, due, digests))
    }

    /// "Due within 24 hours" for each student of a published course who has not handed in an
    /// assignment they can see: once per person and deadline (the key names the deadline, so
    /// a moved deadline warns again), whichever instance or run gets there first.
    pub async fn notify_due_soon(&self) -> Result<usize, LmsError> {
        let now = self.now();
        let site_zone = self.site_zone().await?;
        let rows = self
            .db
            .query(
                "SELECT modules.id, modules.title, modules.course_id, courses.slug, courses.title AS course_title,
                        assignments.due_at
                 FROM assignments
                 JOIN modules ON modules.id = assignments.module_id
                 JOIN courses ON courses.id = modules.course_id
                 WHERE assignments.due_at > $1 AND assignments.due_at <= $2
                   AND modules.deleted_at IS NULL AND NOT modules.hidden
                   AND (modules.visible_from IS NULL OR modules.visible_from <= $1)
                   AND (modules.visible_until IS NULL OR modules.visible_until > $1)
                   AND courses.status = 'published'",
                &[
                    Value::Time(now),
                    Value::Time(now + Duration::hours(DUE_SOON_HOURS)),
                ],
            )
            .await?;
        let mut total = 0;
        for row in &rows {
            let module_id: i64 = row.get("id")?;
            let due_at: DateTime<Utc> = row.get("due_at")?;
            let slug: String = row.get("slug")?;
            let title: String = row.get("title")?;
            let key = format!(
                "due_soon:{module_id}:{}",
                due_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            );
            let mut conn = self.db.conn().await?;
            let mut tx = conn.transaction().await?;
            // Who has not handed in and has not been told, grouped by the zone each reads
            // times in, so the deadline is written in their own time.
            let people = tx
                .query(
                    "SELECT users.id, users.time_zone FROM users WHERE users.id IN (
                       SELECT enrollments.user_id FROM enrollments
                       WHERE enrollments.course_id = $1 AND enrollments.role = 'student'
                         AND NOT EXISTS (SELECT 1 FROM submissions WHERE submissions.assignment_id = $2
                                         AND submissions.student_id = enrollments.user_id)
                         AND NOT EXISTS (SELECT 1 FROM notifications WHERE notifications.user_id = enrollments.user_id
                                         AND notifications.dedupe_key = $3))
                     ORDER BY users.id",
                    &[
                        row.get::<i64>("course_id")?.into(),
                        module_id.into(),
                        key.as_str().into(),
                    ],
                )
                .await?;
            let mut by_zone: std::collections::BTreeMap<&'static str, (Zone, Vec<i64>)> =
                std::collections::BTreeMap::new();
            for p in &people {
                let zone = p
                    .get::<Option<String>>("time_zone")?
                    .as_deref()
                    .and_then(Zone::parse)
                    .unwrap_or(site_zone);
                by_zone
                    .entry(zone.name())
                    .or_insert_with(|| (zone, Vec::new()))
                    .1
                    .push(p.get("id")?);
            }
            for (zone, ids) in by_zone.values() {
                let note = Note {
                    kind: MailKind::DueSoon,
                    course_id: Some(row.get("course_id")?),
                    course_title: row.get("course_title")?,
                    title: format!("Due soon: {title}"),
                    body: format!("Due {}. You have not handed it in yet.", zone.show(due_at)),
                    html: None,
                    link: format!("/courses/{slug}/modules/{module_id}"),
                    dedupe_key: Some(key.clone()),
                };
                let out = fan_out_to(&mut tx, self.mail_site(), now, &note, ids).await?;
                total += out.notified;
            }
            tx.commit().await?;
        }
        Ok(total)
    }

    /// Builds each person's daily digest of the entries they chose to hear of in one: once
    /// per person and local date (a row in `notification_digests`, claimed in the same
    /// transaction as the mail, so a second instance or a restart finds it taken), from
    /// `DIGEST_HOUR` in their zone. Entries of kinds whose mail they turned off are marked
    /// digested without being mailed. Returns how many digests were queued.
    pub async fn build_digests(&self) -> Result<usize, LmsError> {
        let Some(site) = self.mail_site().cloned() else {
            return Ok(0);
        };
        let now = self.now();
        let site_zone = self.site_zone().await?;
        let people = self
            .db
            .query(
                &format!(
                    "SELECT {} FROM users WHERE users.disabled_at IS NULL AND users.id IN
                       (SELECT user_id FROM notifications WHERE delivery = 'digest' AND digested_at IS NULL)",
                    super::accounts::USER_COLUMNS
                ),
                &[],
            )
            .await?;
        let mut built = 0;
        for row in &people {
            let user = User::from_row(row)?;
            let zone = user
                .time_zone
                .as_deref()
                .and_then(Zone::parse)
                .unwrap_or(site_zone);
            let day = zone.date_of(now);
            if now - zone.start_of(day) < Duration::hours(DIGEST_HOUR) {
                continue;
            }
            let date = day.to_string();
            let mut conn = self.db.conn().await?;
            let mut tx = conn.transaction().await?;
            let claimed = tx
                .execute(
                    "INSERT INTO notification_digests (user_id, local_date, created_at, entries)
                     VALUES ($1, $2, $3, 0) ON CONFLICT (user_id, local_date) DO NOTHING",
                    &[user.id.into(), date.as_str().into(), Value::Time(now)],
                )
                .await?;
            if claimed == 0 {
                tx.rollback().await?;
                continue;
            }
            let sql = format!(
                "SELECT {COLUMNS}, (SELECT 1 FROM mail_opt_outs WHERE mail_opt_outs.user_id = notifications.user_id
                     AND mail_opt_outs.kind = notifications.kind) AS opted_out
                 FROM notifications WHERE user_id = $1 AND delivery = 'digest' AND digested_at IS NULL
                 ORDER BY created_at, id"
            );
            let rows = tx.query(&sql, &[user.id.into()]).await?;
            // Entries older than two days (mail was off, or the account disabled) are marked
            // without being mailed, so a digest never brings up old news.
            let mut entries = Vec::new();
            for r in &rows {
                let n = from_row(r)?;
                if r.get::<Option<i64>>("opted_out")?.is_none()
                    && n.created_at >= now - Duration::days(2)
                {
                    entries.push(n);
                }
            }
            let ids: Vec<i64> = rows.iter().map(|r| r.get("id")).collect::<Result<_, _>>()?;
            for chunk in ids.chunks(CHUNK) {
                let list = (0..chunk.len())
                    .map(|i| format!("${}", i + 2))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut values = vec![Value::Time(now)];
                values.extend(chunk.iter().map(|id| Value::Int(*id)));
                tx.execute(
                    &format!("UPDATE notifications SET digested_at = $1 WHERE id IN ({list})"),
                    &values,
                )
                .await?;
            }
            tx.execute(
                "UPDATE notification_digests SET entries = $3 WHERE user_id = $1 AND local_date = $2",
                &[
                    user.id.into(),
                    date.as_str().into(),
                    (entries.len() as i64).into(),
                ],
            )
            .await?;
            if !entries.is_empty() {
                let unsubscribe =
                    outbox::unsubscribe_path(&mut tx, now, user.id, MailKind::Digest).await?;
                let mail = super::notify_mail::digest(
                    &site,
                    &user,
                    &date,
                    &entries,
                    &site.link(&unsubscribe),
                );
                if outbox::enqueue(&mut tx, Some(&site), now, &mail)
                    .await?
                    .is_some()
                {
                    built += 1;
                }
            }
            tx.commit().await?;
        }
        Ok(built)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_rows_and_columns() {
        assert_eq!(placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(placeholders(1, 1), "($1)");
    }

    #[test]
    fn defaults_send_submissions_in_a_digest() {
        assert_eq!(default_mode(MailKind::NewSubmission), Mode::Digest);
        assert_eq!(default_mode(MailKind::Announcement), Mode::Immediate);
        assert!(KINDS.iter().all(|k| k.unsubscribable()));
    }
}
