//! Writes a Paideia LMS snapshot into this site's tables inside one transaction: accounts,
//! courses, sections, enrollments, modules (pages with their images, files, assignments,
//! forums), gradebook items with their weights, submissions and their files, grades, threads
//! and posts. Rows that cannot be carried are added to the report with the reason.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};

mod quizzes;

use super::{Existing, Report, abort_point, files::Copied, source::Snapshot};
use crate::{
    db::{DbError, Executor, Value},
    lms::{
        attachments,
        media::content_type_for,
        passwords,
        richtext::{Format, Links, RichText},
    },
};

/// Paideia LMS 0.7.15's PBKDF2 iteration count (Payload CMS's default).
const PBKDF2_ITERATIONS: u32 = 25_000;

/// Parameters per multi-row INSERT, well under both engines' limits.
const MAX_PARAMS: usize = 3000;

/// Rich text as plain text (course descriptions, hand-in texts and feedback are plain here):
/// block ends become line breaks, tags go, the common entities are decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].to_ascii_lowercase();
        let name = tag.trim_start_matches('/');
        let name = name.split([' ', '/']).next().unwrap_or_default();
        if matches!(
            name,
            "br" | "p"
                | "li"
                | "div"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "blockquote"
                | "tr"
        ) && (tag.starts_with('/') || name == "br")
        {
            out.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    decoded
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// A slug our rules accept (2-64 lower-case letters, digits, single hyphens).
fn clean_slug(raw: &str, id: i64) -> String {
    let mut slug = String::new();
    for c in raw.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_matches('-').chars().take(56).collect();
    slug = slug.trim_end_matches('-').to_string();
    if slug.len() < 2 {
        slug = format!("course-{id}");
    }
    slug
}

/// Inserts `rows` into `head` (`table (col, …)`) with multi-row INSERTs.
async fn insert_many(
    tx: &mut impl Executor,
    head: &str,
    rows: Vec<Vec<Value>>,
) -> Result<(), DbError> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(());
    };
    let per = (MAX_PARAMS / width).max(1);
    for chunk in rows.chunks(per) {
        let mut sql = format!("INSERT INTO {head} VALUES ");
        let mut params = Vec::with_capacity(chunk.len() * width);
        for (i, row) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            for j in 0..width {
                if j > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("${}", params.len() + j + 1));
            }
            sql.push(')');
            params.extend(row.iter().cloned());
        }
        tx.execute(&sql, &params).await?;
    }
    Ok(())
}

async fn insert_id(tx: &mut impl Executor, sql: &str, params: &[Value]) -> Result<i64, DbError> {
    tx.query_one(sql, params).await?.get("id")
}

async fn insert_media(
    tx: &mut impl Executor,
    copy: &super::files::Copy,
    name: &str,
    by: Option<i64>,
    at: DateTime<Utc>,
) -> Result<i64, DbError> {
    insert_id(
        tx,
        "INSERT INTO media (storage_key, file_name, content_type, size_bytes, sha256, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        &[
            copy.key.as_str().into(),
            name.into(),
            content_type_for(name).into(),
            (copy.size as i64).into(),
            copy.sha256.to_vec().into(),
            by.into(),
            at.into(),
        ],
    )
    .await
}

/// The state of one write.
struct Writer<'a> {
    snap: &'a Snapshot,
    copied: &'a Copied,
    users: HashMap<i64, i64>,
    courses: HashMap<i64, i64>,
    sections: HashMap<i64, i64>,
    /// course (ours) → its first top-level section
    first_section: HashMap<i64, i64>,
    /// link id → (module id, kind)
    modules: HashMap<i64, (i64, &'static str)>,
    /// source gradebook item → ours
    items: HashMap<i64, i64>,
    next_usage: HashMap<i64, usize>,
    media_names: HashMap<i64, &'a str>,
    /// link id → the quiz written for it
    quizzes: HashMap<i64, quizzes::Written>,
}

impl Writer<'_> {
    /// The next stored copy of source media `id`, if its object was found.
    fn take_copy(&mut self, id: i64) -> Option<&super::files::Copy> {
        let usage = self.next_usage.entry(id).or_default();
        let at = *usage;
        *usage += 1;
        self.copied.copies.get(&(id, at))
    }

    fn user(&self, id: Option<i64>) -> Option<i64> {
        id.and_then(|id| self.users.get(&id).copied())
    }

    /// Stores the next copy of source media `m` as one of our `media` rows, owned and dated
    /// as in the source (`at` when the source has no row for it): the new id and the file's
    /// name, or `None` when its object was not in the bucket (reported as a skipped `what`,
    /// `missing` saying what that means).
    async fn carry_media(
        &mut self,
        tx: &mut impl Executor,
        report: &mut Report,
        m: i64,
        what: &str,
        missing: String,
        at: DateTime<Utc>,
    ) -> Result<Option<(i64, String)>, DbError> {
        let name = self
            .media_names
            .get(&m)
            .copied()
            .unwrap_or("file")
            .to_string();
        let Some(copy) = self.take_copy(m).cloned() else {
            report.skip(what, Some(m), &name, missing);
            return Ok(None);
        };
        let owner = self.snap.media.iter().find(|x| x.id == m);
        let media_id = insert_media(
            tx,
            &copy,
            &name,
            self.user(owner.and_then(|o| o.created_by)),
            owner.map_or(at, |o| o.created_at),
        )
        .await?;
        Ok(Some((media_id, name)))
    }
}

pub(super) async fn write(
    snap: &Snapshot,
    copied: &Copied,
    existing: &Existing,
    tx: &mut impl Executor,
    report: &mut Report,
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut w = Writer {
        snap,
        copied,
        users: HashMap::new(),
        courses: HashMap::new(),
        sections: HashMap::new(),
        first_section: HashMap::new(),
        modules: HashMap::new(),
        items: HashMap::new(),
        next_usage: HashMap::new(),
        media_names: snap
            .media
            .iter()
            .map(|m| (m.id, m.filename.as_str()))
            .collect(),
        quizzes: HashMap::new(),
    };
    accounts(&mut w, existing, tx, report).await?;
    courses(&mut w, existing, tx, report, now).await?;
    enrollments(&mut w, tx, report).await?;
    if !dry_run {
        abort_point("mid-transaction");
    }
    modules(&mut w, tx, report).await?;
    gradebook(&mut w, tx, report, now).await?;
    submissions(&mut w, tx, report).await?;
    grades(&mut w, tx, report, now).await?;
    quizzes::attempts(&mut w, tx, report, now).await?;
    discussions(&mut w, tx, report).await?;
    uncarried(snap, report);
    if !dry_run {
        abort_point("before-commit");
    }
    Ok(())
}

async fn accounts(
    w: &mut Writer<'_>,
    existing: &Existing,
    tx: &mut impl Executor,
    report: &mut Report,
) -> Result<(), DbError> {
    let mut seen: HashMap<String, i64> = HashMap::new();
    for u in &w.snap.users {
        let email = u.email.trim().to_lowercase();
        if let Some(first) = seen.get(&email) {
            report.skip(
                "account",
                Some(u.id),
                &u.email,
                format!("email used twice (also by account {first}); its enrollments, work and grades are left out"),
            );
            continue;
        }
        seen.insert(email.clone(), u.id);
        if let Some(&id) = existing.emails.get(&email) {
            w.users.insert(u.id, id);
            report.add("accounts_reused", 1);
            continue;
        }
        let role = match u.role.as_str() {
            "admin" => "admin",
            "student" => "student",
            "instructor" => "instructor",
            other => {
                report.skip(
                    "account role",
                    Some(u.id),
                    &u.email,
                    format!("role {other} has no equal here; the account is an instructor"),
                );
                "instructor"
            }
        };
        let hash = match (&u.salt, &u.hash) {
            (Some(salt), Some(hash)) if !salt.is_empty() && !hash.is_empty() => {
                passwords::paideia_lms_hash(PBKDF2_ITERATIONS, salt, hash)
            }
            _ => {
                report.skip(
                    "password",
                    Some(u.id),
                    &u.email,
                    "no password in Paideia LMS; the account needs a password reset",
                );
                "!no-password".to_string()
            }
        };
        let id = insert_id(
            tx,
            "INSERT INTO users (email, display_name, password_hash, role, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
            &[
                u.email.trim().into(),
                u.name.as_str().into(),
                hash.into(),
                role.into(),
                u.created_at.into(),
            ],
        )
        .await?;
        w.users.insert(u.id, id);
        report.add("accounts", 1);
    }
    Ok(())
}

async fn courses(
    w: &mut Writer<'_>,
    existing: &Existing,
    tx: &mut impl Executor,
    report: &mut Report,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut slugs = existing.slugs.clone();
    for c in &w.snap.courses {
        let base = clean_slug(&c.slug, c.id);
        let mut slug = base.clone();
        let mut n = 2;
        while slugs.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        if slug != c.slug {
            report.skip(
                "course address",
                Some(c.id),
                &c.title,
                format!(
                    "slug {} is taken or not allowed here; the course is at {slug}",
                    c.slug
                ),
            );
        }
        slugs.insert(slug.clone());
        let status = match c.status.as_str() {
            "published" | "archived" => c.status.as_str(),
            _ => "draft",
        };
        let id = insert_id(
            tx,
            "INSERT INTO courses (slug, title, description, status, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[
                slug.into(),
                c.title.as_str().into(),
                html_to_text(&c.description).into(),
                status.into(),
                w.user(c.created_by).into(),
                c.created_at.into(),
                now.into(),
            ],
        )
        .await?;
        w.courses.insert(c.id, id);
        report.add("courses", 1);
        if c.thumbnail {
            report.skip(
                "course thumbnail",
                Some(c.id),
                &c.title,
                "courses have no picture here",
            );
        }
    }
    // Sections: parents before children, siblings in Paideia LMS's order.
    let mut pending: Vec<&super::source::Section> = w.snap.sections.iter().collect();
    let mut positions: HashMap<(i64, Option<i64>), i64> = HashMap::new();
    while !pending.is_empty() {
        let before = pending.len();
        let mut later = Vec::new();
        for s in pending {
            let Some(&course) = w.courses.get(&s.course_id) else {
                continue;
            };
            let parent = match s.parent_id {
                None => None,
                Some(p) => match w.sections.get(&p) {
                    Some(&p) => Some(p),
                    None if w.snap.sections.iter().any(|x| x.id == p) => {
                        later.push(s);
                        continue;
                    }
                    None => None,
                },
            };
            let position = positions.entry((course, parent)).or_default();
            let id = insert_id(
                tx,
                "INSERT INTO sections (course_id, parent_id, title, position, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[
                    course.into(),
                    parent.into(),
                    if s.title.trim().is_empty() {
                        "Section"
                    } else {
                        s.title.as_str()
                    }
                    .into(),
                    (*position).into(),
                    s.created_at.into(),
                ],
            )
            .await?;
            *position += 1;
            if parent.is_none() {
                w.first_section.entry(course).or_insert(id);
            }
            w.sections.insert(s.id, id);
            report.add("sections", 1);
        }
        if later.len() == before {
            for s in &later {
                report.skip(
                    "section",
                    Some(s.id),
                    &s.title,
                    "its parent sections form a loop",
                );
            }
            break;
        }
        pending = later;
    }
    Ok(())
}

async fn enrollments(
    w: &mut Writer<'_>,
    tx: &mut impl Executor,
    report: &mut Report,
) -> Result<(), DbError> {
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for e in &w.snap.enrollments {
        let (Some(course), Some(user)) = (
            e.course_id.and_then(|c| w.courses.get(&c).copied()),
            w.user(e.user_id),
        ) else {
            continue;
        };
        if matches!(e.status.as_str(), "dropped" | "inactive") {
            report.skip(
                "enrollment",
                Some(e.id),
                format!(
                    "account {} in course {}",
                    e.user_id.unwrap_or(0),
                    e.course_id.unwrap_or(0)
                ),
                format!(
                    "{} in Paideia LMS; their work and grades are kept",
                    e.status
                ),
            );
            continue;
        }
        let role = match e.role.as_str() {
            "teacher" | "manager" => "teacher",
            "ta" => "ta",
            _ => "student",
        };
        if !seen.insert((course, user)) {
            continue;
        }
        rows.push(vec![
            course.into(),
            user.into(),
            role.into(),
            e.created_at.into(),
        ]);
    }
    report.add("enrollments", rows.len() as u64);
    insert_many(
        tx,
        "enrollments (course_id, user_id, role, created_at)",
        rows,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn new_module(
    tx: &mut impl Executor,
    link: &super::source::Link,
    section: (i64, i64),
    kind: &str,
    title: &str,
    position: i64,
    media_id: Option<i64>,
) -> Result<i64, DbError> {
    insert_id(
        tx,
        "INSERT INTO modules (course_id, section_id, kind, title, position, body_html, media_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        &[
            section.0.into(),
            section.1.into(),
            kind.into(),
            title.chars().take(200).collect::<String>().into(),
            position.into(),
            (kind != "file").then_some("").into(),
            media_id.into(),
            link.created_at.into(),
            link.updated_at.max(link.created_at).into(),
        ],
    )
    .await
}

async fn save_body(
    tx: &mut impl Executor,
    module_id: i64,
    html: &str,
    links: &Links,
    instructions: bool,
) -> Result<(), DbError> {
    let stored = RichText::new(Format::Html, html).store(links);
    let sql = if instructions {
        "UPDATE assignments SET instructions_html = $2, instructions_format = $3 WHERE module_id = $1"
    } else {
        "UPDATE modules SET body_html = $2, body_format = $3 WHERE id = $1"
    };
    tx.execute(
        sql,
        &[module_id.into(), stored.html.into(), stored.format.into()],
    )
    .await?;
    Ok(())
}

async fn modules(
    w: &mut Writer<'_>,
    tx: &mut impl Executor,
    report: &mut Report,
) -> Result<(), DbError> {
    let snap = w.snap;
    let mut order: Vec<&super::source::Link> = snap.links.iter().collect();
    order.sort_by(|a, b| a.order.total_cmp(&b.order).then(a.id.cmp(&b.id)));
    let mut positions: HashMap<i64, i64> = HashMap::new();
    for link in order {
        let title = link.title();
        let Some(&course) = link.course_id.and_then(|c| w.courses.get(&c)) else {
            continue;
        };
        let section = match link.section_id.and_then(|s| w.sections.get(&s)) {
            Some(&s) => s,
            None => match w.first_section.get(&course) {
                Some(&s) => s,
                None => {
                    let id = insert_id(
                        tx,
                        "INSERT INTO sections (course_id, parent_id, title, position, created_at)
                         VALUES ($1, NULL, 'Course Content', 0, $2) RETURNING id",
                        &[course.into(), link.created_at.into()],
                    )
                    .await?;
                    w.first_section.insert(course, id);
                    report.add("sections", 1);
                    id
                }
            },
        };
        let position = positions.entry(section).or_default();
        match link.kind.as_str() {
            "page" => {
                let (html, media) = link
                    .page_id
                    .and_then(|p| snap.pages.get(&p))
                    .cloned()
                    .unwrap_or_default();
                let id = new_module(tx, link, (course, section), "page", &title, *position, None)
                    .await?;
                let mut pairs = Vec::new();
                for m in media {
                    let missing = format!("missing from the bucket; page {title} shows it broken");
                    let Some((media_id, name)) = w
                        .carry_media(tx, report, m, "page image", missing, link.created_at)
                        .await?
                    else {
                        continue;
                    };
                    tx.execute(
                        "INSERT INTO module_attachments (module_id, media_id) VALUES ($1, $2)",
                        &[id.into(), media_id.into()],
                    )
                    .await?;
                    report.add("page_images", 1);
                    let path = attachments::path(media_id, &name);
                    pairs.push((format!("/api/media/file/{m}"), path.clone()));
                    pairs.push((format!("/api/media/file/{name}"), path.clone()));
                    pairs.push((name.clone(), path));
                }
                save_body(tx, id, &html, &Links::new(pairs), false).await?;
                *position += 1;
                w.modules.insert(link.id, (id, "page"));
                report.add("pages", 1);
            }
            "file" => {
                let media = link
                    .file_id
                    .and_then(|f| snap.files.get(&f))
                    .cloned()
                    .unwrap_or_default();
                let several = media.len() > 1;
                for m in media {
                    let missing = format!("missing from the bucket; left out of {title}");
                    let Some((media_id, name)) = w
                        .carry_media(tx, report, m, "file", missing, link.created_at)
                        .await?
                    else {
                        continue;
                    };
                    let file_title = if several {
                        format!("{title}: {name}")
                    } else {
                        title.clone()
                    };
                    new_module(
                        tx,
                        link,
                        (course, section),
                        "file",
                        &file_title,
                        *position,
                        Some(media_id),
                    )
                    .await?;
                    *position += 1;
                    report.add("file_modules", 1);
                }
            }
            "assignment" => {
                let Some(a) = link.assignment_id.and_then(|a| snap.assignments.get(&a)) else {
                    report.skip(
                        "assignment",
                        Some(link.id),
                        &title,
                        "its settings are missing",
                    );
                    continue;
                };
                let id = new_module(
                    tx,
                    link,
                    (course, section),
                    "assignment",
                    &title,
                    *position,
                    None,
                )
                .await?;
                *position += 1;
                let max_points = snap
                    .items
                    .iter()
                    .find(|i| i.link_id == Some(link.id))
                    .map_or(100.0, |i| i.max_grade)
                    .max(0.01);
                let max_files = a.max_files.unwrap_or(1.0);
                tx.execute(
                    "INSERT INTO assignments (module_id, instructions_html, opens_at, due_at, cutoff_at, max_attempts,
                         allowed_file_types, max_file_bytes, accepts_text, accepts_files, max_points)
                     VALUES ($1, '', $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    &[
                        id.into(),
                        link.time("allowSubmissionsFrom").into(),
                        link.time("dueDate").into(),
                        link.time("cutoffDate").into(),
                        link.setting("maxAttempts")
                            .and_then(serde_json::Value::as_i64)
                            .filter(|n| *n > 0)
                            .into(),
                        a.extensions.join(",").into(),
                        max_file_bytes(a.max_file_mb).into(),
                        (a.require_text || !a.require_file).into(),
                        (a.require_file || max_files > 0.0).into(),
                        max_points.into(),
                    ],
                )
                .await?;
                save_body(tx, id, &a.instructions, &Links::default(), true).await?;
                w.modules.insert(link.id, (id, "assignment"));
                report.add("assignments", 1);
            }
            "discussion" => {
                let text = link
                    .discussion_id
                    .and_then(|d| snap.discussions.get(&d))
                    .cloned()
                    .unwrap_or_else(|| link.description.clone());
                let id = new_module(tx, link, (course, section), "page", &title, *position, None)
                    .await?;
                *position += 1;
                let item = snap.items.iter().find(|i| i.link_id == Some(link.id));
                tx.execute(
                    "INSERT INTO forums (module_id, graded, max_points) VALUES ($1, $2, $3)",
                    &[
                        id.into(),
                        item.is_some().into(),
                        item.map_or(10.0, |i| i.max_grade).max(0.01).into(),
                    ],
                )
                .await?;
                save_body(tx, id, &text, &Links::default(), false).await?;
                w.modules.insert(link.id, (id, "forum"));
                report.add("forums", 1);
            }
            "quiz" => {
                let written =
                    quizzes::quiz_module(w, tx, report, link, (course, section), &title, *position)
                        .await?;
                if let Some(q) = written {
                    *position += 1;
                    w.modules.insert(link.id, (q.module_id, "quiz"));
                    w.quizzes.insert(link.id, q);
                }
            }
            other => {
                report.skip(
                    other,
                    Some(link.id),
                    &title,
                    format!("{other} modules do not exist here yet"),
                );
            }
        }
    }
    Ok(())
}

/// Megabytes as bytes, between 1 byte and 10 GiB (10 MiB when unset).
fn max_file_bytes(mb: Option<f64>) -> i64 {
    let mb = mb.filter(|m| m.is_finite() && *m > 0.0).unwrap_or(10.0);
    (mb * 1_048_576.0).clamp(1.0, 10_737_418_240.0) as i64
}

/// Each item's weight: its own when set; else an equal share of its nearest weighted
/// category; else an equal share of what is left of 100.
fn weights(snap: &Snapshot) -> HashMap<i64, f64> {
    let cats: HashMap<i64, &super::source::GradeCategory> =
        snap.categories.iter().map(|c| (c.id, c)).collect();
    let weighted_cat = |mut at: Option<i64>| {
        let mut hops = 0;
        while let Some(id) = at {
            let c = cats.get(&id)?;
            if c.weight.is_some() {
                return Some(id);
            }
            at = c.parent_id;
            hops += 1;
            if hops > 64 {
                return None;
            }
        }
        None
    };
    let mut result = HashMap::new();
    let mut by_course: BTreeMap<i64, Vec<&super::source::GradeItem>> = BTreeMap::new();
    for i in &snap.items {
        by_course
            .entry(i.course_id.unwrap_or(0))
            .or_default()
            .push(i);
    }
    for items in by_course.values() {
        let mut used = 0.0;
        let mut shares: HashMap<i64, Vec<i64>> = HashMap::new();
        let mut rest = Vec::new();
        for i in items {
            if let Some(wt) = i.weight {
                result.insert(i.id, wt.max(0.0));
                used += wt.max(0.0);
            } else if let Some(c) = weighted_cat(i.category_id) {
                shares.entry(c).or_default().push(i.id);
            } else {
                rest.push(i.id);
            }
        }
        for (c, ids) in &shares {
            let wt = cats[c].weight.unwrap_or(0.0).max(0.0);
            used += wt;
            for id in ids {
                result.insert(*id, wt / ids.len() as f64);
            }
        }
        let left = (100.0 - used).max(0.0);
        for id in &rest {
            result.insert(*id, left / rest.len() as f64);
        }
    }
    result
}

async fn gradebook(
    w: &mut Writer<'_>,
    tx: &mut impl Executor,
    report: &mut Report,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let snap = w.snap;
    let weights = weights(snap);
    let mut positions: HashMap<i64, i64> = HashMap::new();
    let mut with_item = HashSet::new();
    for i in &snap.items {
        let Some(&course) = i.course_id.and_then(|c| w.courses.get(&c)) else {
            continue;
        };
        let module = match i.link_id {
            None => None,
            Some(link) => match w.modules.get(&link) {
                Some(&(id, "assignment" | "forum" | "quiz")) => Some(id),
                _ => {
                    report.skip(
                        "gradebook item",
                        Some(i.id),
                        &i.name,
                        "its module (a whiteboard, or a quiz with no question that exists here) is not carried over, nor are its grades",
                    );
                    continue;
                }
            },
        };
        if let Some(m) = module
            && !with_item.insert(m)
        {
            continue;
        }
        if i.extra_credit {
            report.skip(
                "extra credit",
                Some(i.id),
                &i.name,
                "extra credit does not exist here; the item counts like any other",
            );
        }
        let position = positions.entry(course).or_default();
        let id = insert_id(
            tx,
            "INSERT INTO gradebook_items (course_id, module_id, title, max_points, weight, position, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[
                course.into(),
                module.into(),
                i.name.chars().take(200).collect::<String>().into(),
                i.max_grade.max(0.01).into(),
                weights.get(&i.id).copied().unwrap_or(1.0).into(),
                (*position).into(),
                now.into(),
            ],
        )
        .await?;
        *position += 1;
        w.items.insert(i.id, id);
        report.add("gradebook_items", 1);
    }
    // Every assignment and quiz has an item here, also those Paideia LMS had none for.
    let mut links: Vec<(i64, i64)> = w
        .modules
        .iter()
        .filter(|(_, (id, kind))| matches!(*kind, "assignment" | "quiz") && !with_item.contains(id))
        .map(|(link, (id, _))| (*link, *id))
        .collect();
    links.sort_unstable();
    for (link, module) in links {
        let max_points = w.quizzes.get(&link).map_or(100.0, |q| q.max_points);
        let l = snap
            .links
            .iter()
            .find(|l| l.id == link)
            .expect("a known link");
        let course = w.courses[&l.course_id.unwrap_or(0)];
        let position = positions.entry(course).or_default();
        tx.execute(
            "INSERT INTO gradebook_items (course_id, module_id, title, max_points, weight, position, created_at)
             VALUES ($1, $2, $3, $4, 1, $5, $6)",
            &[
                course.into(),
                module.into(),
                l.title().into(),
                max_points.into(),
                (*position).into(),
                now.into(),
            ],
        )
        .await?;
        *position += 1;
        report.add("gradebook_items", 1);
    }
    Ok(())
}

async fn submissions(
    w: &mut Writer<'_>,
    tx: &mut impl Executor,
    report: &mut Report,
) -> Result<(), DbError> {
    let snap = w.snap;
    let mut rows = Vec::new();
    let mut with_files = Vec::new();
    for s in &snap.submissions {
        let Some(&(module, "assignment")) = s.link_id.and_then(|l| w.modules.get(&l)) else {
            continue;
        };
        let Some(student) = w.user(s.student_id) else {
            continue;
        };
        if s.status == "draft" {
            report.skip(
                "submission",
                Some(s.id),
                format!(
                    "attempt {} by account {}",
                    s.attempt,
                    s.student_id.unwrap_or(0)
                ),
                "a draft, never handed in",
            );
            continue;
        }
        let text = html_to_text(&s.content);
        rows.push(vec![
            module.into(),
            student.into(),
            s.attempt.into(),
            (!text.is_empty()).then_some(text).into(),
            s.submitted_at.into(),
            s.is_late.into(),
        ]);
        if !s.files.is_empty() {
            with_files.push((module, student, s));
        }
    }
    report.add("submissions", rows.len() as u64);
    insert_many(
        tx,
        "submissions (assignment_id, student_id, attempt, body_text, submitted_at, is_late)",
        rows,
    )
    .await?;
    for (module, student, s) in with_files {
        let id = tx
            .query_one(
                "SELECT id FROM submissions WHERE assignment_id = $1 AND student_id = $2 AND attempt = $3",
                &[module.into(), student.into(), s.attempt.into()],
            )
            .await?
            .get::<i64>("id")?;
        for &m in &s.files {
            let name = w.media_names.get(&m).copied().unwrap_or("file").to_string();
            let Some(copy) = w.take_copy(m).cloned() else {
                report.skip(
                    "submission file",
                    Some(m),
                    &name,
                    "missing from the bucket; the submission is kept without it",
                );
                continue;
            };
            let media_id = insert_media(tx, &copy, &name, Some(student), s.submitted_at).await?;
            tx.execute(
                "INSERT INTO submission_files (submission_id, media_id) VALUES ($1, $2)",
                &[id.into(), media_id.into()],
            )
            .await?;
            report.add("submission_files", 1);
        }
    }
    Ok(())
}

async fn grades(
    w: &mut Writer<'_>,
    tx: &mut impl Executor,
    report: &mut Report,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    // Quiz grades come from the re-marked attempts (`quizzes::attempts`), not the source's.
    let quiz_items: HashSet<i64> = w
        .snap
        .items
        .iter()
        .filter(|i| i.link_id.is_some_and(|l| w.quizzes.contains_key(&l)))
        .map(|i| i.id)
        .collect();
    for g in &w.snap.grades {
        let (Some(&item), Some(student)) = (w.items.get(&g.item_id), w.user(g.user_id)) else {
            continue;
        };
        if quiz_items.contains(&g.item_id) {
            continue;
        }
        if !seen.insert((item, student)) {
            continue;
        }
        let chosen = if g.overridden {
            g.override_grade.or(g.base)
        } else {
            g.base
        };
        let points = chosen.map(|p| (p + g.adjustment).max(0.0));
        let released = matches!(g.status.as_str(), "graded" | "returned");
        let graded_at = g.graded_at.unwrap_or(now);
        rows.push(vec![
            item.into(),
            student.into(),
            points.into(),
            html_to_text(&g.feedback).into(),
            w.user(g.graded_by).into(),
            points.map(|_| graded_at).into(),
            (released && points.is_some()).then_some(graded_at).into(),
        ]);
    }
    report.add("grades", rows.len() as u64);
    insert_many(
        tx,
        "grades (item_id, student_id, points, feedback, graded_by, graded_at, released_at)",
        rows,
    )
    .await
}

async fn discussions(
    w: &mut Writer<'_>,
    tx: &mut impl Executor,
    report: &mut Report,
) -> Result<(), DbError> {
    let snap = w.snap;
    let by_id: HashMap<i64, &super::source::Post> = snap.posts.iter().map(|p| (p.id, p)).collect();
    // thread (source) → (thread id, opening post id); reply (source) → its post id here
    let mut threads: HashMap<i64, (i64, i64)> = HashMap::new();
    let mut posts: HashMap<i64, i64> = HashMap::new();
    for p in &snap.posts {
        let Some(&(forum, "forum")) = p.link_id.and_then(|l| w.modules.get(&l)) else {
            continue;
        };
        if p.status == "draft" {
            report.skip("post", Some(p.id), &p.title, "a draft, never published");
            continue;
        }
        let hidden = p.status == "hidden";
        let deleted = (p.status == "deleted").then_some(p.last_activity_at);
        let body = RichText::new(Format::Html, p.content.as_str()).store(&Links::default());
        let author = w.user(p.author_id);
        // Walk up to the thread, and to the top-level post a comment answers.
        let (thread, parent) = if p.kind == "thread" || p.parent_id.is_none() {
            (None, None)
        } else {
            let mut at = p.parent_id;
            let mut top = None;
            let mut hops = 0;
            while let Some(id) = at {
                let Some(q) = by_id.get(&id) else { break };
                if q.kind == "thread" || q.parent_id.is_none() {
                    break;
                }
                top = Some(q.id);
                at = q.parent_id;
                hops += 1;
                if hops > 1000 {
                    break;
                }
            }
            (at, top)
        };
        if p.kind == "thread" || p.parent_id.is_none() {
            let title = if p.title.trim().is_empty() {
                "(untitled)"
            } else {
                p.title.as_str()
            };
            let thread_id = insert_id(
                tx,
                "INSERT INTO discussion_threads (forum_id, author_id, title, pinned, locked, hidden, created_at,
                     last_post_at, deleted_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                &[
                    forum.into(),
                    author.into(),
                    title.chars().take(200).collect::<String>().into(),
                    p.pinned.into(),
                    p.locked.into(),
                    hidden.into(),
                    p.created_at.into(),
                    p.last_activity_at.max(p.created_at).into(),
                    deleted.into(),
                ],
            )
            .await?;
            let post = insert_post(tx, thread_id, None, author, &body, p, hidden, deleted).await?;
            threads.insert(p.id, (thread_id, post));
            report.add("threads", 1);
            report.add("posts", 1);
            continue;
        }
        let Some(&(thread_id, _)) = thread.and_then(|t| threads.get(&t)) else {
            report.skip("post", Some(p.id), "", "its thread is not carried over");
            continue;
        };
        let parent_post = parent.and_then(|r| posts.get(&r).copied());
        let post = insert_post(
            tx,
            thread_id,
            parent_post,
            author,
            &body,
            p,
            hidden,
            deleted,
        )
        .await?;
        tx.execute(
            "UPDATE discussion_threads SET last_post_at = $2 WHERE id = $1 AND last_post_at < $2",
            &[thread_id.into(), p.created_at.into()],
        )
        .await?;
        posts.insert(p.id, post);
        report.add("posts", 1);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn insert_post(
    tx: &mut impl Executor,
    thread: i64,
    parent: Option<i64>,
    author: Option<i64>,
    body: &crate::lms::richtext::Stored,
    p: &super::source::Post,
    hidden: bool,
    deleted: Option<DateTime<Utc>>,
) -> Result<i64, DbError> {
    insert_id(
        tx,
        "INSERT INTO discussion_posts (thread_id, parent_id, author_id, body_html, body_format, created_at,
             edited_at, hidden, deleted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        &[
            thread.into(),
            parent.into(),
            author.into(),
            body.html.as_str().into(),
            body.format.into(),
            p.created_at.into(),
            p.edited_at.into(),
            hidden.into(),
            deleted.into(),
        ],
    )
    .await
}

fn uncarried(snap: &Snapshot, report: &mut Report) {
    let u = &snap.uncarried;
    let avatars = snap.users.iter().filter(|u| u.avatar).count() as i64;
    for (kind, n, reason) in [
        (
            "course categories",
            u.course_categories,
            "courses have no categories here",
        ),
        ("groups", u.groups, "groups do not exist here yet"),
        ("notes", u.notes, "personal notes do not exist here"),
        ("upvotes", u.upvotes, "posts have no upvotes here"),
        (
            "gradebook categories",
            u.grade_categories,
            "flattened: each item carries its share of its category's weight",
        ),
        (
            "category roles",
            u.category_roles,
            "there are no category roles here",
        ),
        (
            "module sharing grants",
            u.module_grants,
            "modules belong to their course here",
        ),
        ("profile pictures", avatars, "accounts have no picture here"),
    ] {
        if n > 0 {
            report.skip(kind, None, format!("{n}"), reason);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn html_becomes_plain_text() {
        assert_eq!(
            super::html_to_text("<p>Excellent, <b>clear</b> PDF.</p><p>A &amp; B &lt;3</p>"),
            "Excellent, clear PDF.\nA & B <3"
        );
        assert_eq!(super::html_to_text("Good work."), "Good work.");
        assert_eq!(super::html_to_text("a<br>b<unclosed"), "a\nb");
    }

    #[test]
    fn slugs_follow_our_rules() {
        assert_eq!(
            super::clean_slug("math-101-algebra-i", 1),
            "math-101-algebra-i"
        );
        assert_eq!(super::clean_slug("Ça va!", 2), "a-va");
        assert_eq!(super::clean_slug("!", 3), "course-3");
    }
}
