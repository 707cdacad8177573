-- paideia: kind=expand transaction=true
-- Announcements and notifications (issue 16). `announcements`: a course's news, rich text as
-- `modules` keep it (cleaned HTML, Markdown source and its digest), shown to students from
-- `publish_at`; `notified_at` is set in the transaction that fans its notifications out (at
-- once, or by serve's job when `publish_at` comes), so that happens once. `announcement_reads`:
-- who opened which. `notifications`: each person's in-app entries, written in the event's
-- transaction; `delivery` says how its mail goes (`immediate`: queued with it; `digest`: in the
-- next daily digest, `digested_at` once there); `dedupe_key` (unique per person) keeps a job's
-- notifications to one per event, e.g. one "due soon" per assignment deadline.
-- `notification_prefs`: a person's choice per kind where it differs from the default.
-- `notification_digests`: one row per person and local date whose digest was built.
CREATE TABLE announcements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    course_id   INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    author_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title       TEXT NOT NULL,
    body_html   TEXT NOT NULL,
    body_format TEXT,
    body_source TEXT,
    body_digest TEXT,
    pinned      BOOLEAN NOT NULL DEFAULT 0,
    publish_at  DATETIME NOT NULL,
    notified_at DATETIME,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    edited_at   DATETIME
);
CREATE INDEX announcements_course_idx ON announcements (course_id, publish_at);
CREATE INDEX announcements_due_idx ON announcements (publish_at) WHERE notified_at IS NULL;

CREATE TABLE announcement_reads (
    announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    read_at         DATETIME NOT NULL,
    PRIMARY KEY (announcement_id, user_id)
);
CREATE INDEX announcement_reads_user_idx ON announcement_reads (user_id);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    course_id   INTEGER REFERENCES courses (id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL,
    delivery    TEXT NOT NULL CHECK (delivery IN ('immediate', 'digest')),
    dedupe_key  TEXT,
    created_at  DATETIME NOT NULL,
    read_at     DATETIME,
    digested_at DATETIME,
    UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_digest_idx ON notifications (user_id) WHERE delivery = 'digest' AND digested_at IS NULL;
CREATE INDEX notifications_course_idx ON notifications (course_id);

CREATE TABLE notification_prefs (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    mode       TEXT NOT NULL CHECK (mode IN ('immediate', 'digest', 'off')),
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE notification_digests (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    local_date TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    entries    INTEGER NOT NULL,
    PRIMARY KEY (user_id, local_date)
);
