-- paideia: kind=expand transaction=true
-- The LMS core: accounts and sessions, courses and their content, assignments, submissions,
-- the gradebook, uploaded media and site settings. Ids autoincrement. Declared types carry the logical type for dumps:
-- BOOLEAN holds 0/1 and DATETIME holds UTC RFC 3339 text.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT 'student' CHECK (role IN ('admin', 'instructor', 'student')),
    disabled_at   DATETIME,
    created_at    DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expires_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    user_agent   TEXT,
    client_addr  TEXT
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   BLOB NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    last_used_at DATETIME,
    expires_at   DATETIME
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

CREATE TABLE login_attempts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    throttle_key TEXT NOT NULL,
    attempted_at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    succeeded    BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX login_attempts_key_time_idx ON login_attempts (throttle_key, attempted_at);

CREATE TABLE site_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE media (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    storage_key  TEXT NOT NULL UNIQUE,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL CHECK (size_bytes >= 0),
    sha256       BLOB NOT NULL,
    uploaded_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX media_uploaded_by_idx ON media (uploaded_by);

CREATE TABLE courses (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE sections (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    course_id  INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    parent_id  INTEGER REFERENCES sections (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX sections_course_id_idx ON sections (course_id, position);
CREATE INDEX sections_parent_id_idx ON sections (parent_id);

CREATE TABLE enrollments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    course_id  INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('teacher', 'ta', 'student')),
    created_at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (course_id, user_id)
);
CREATE INDEX enrollments_user_id_idx ON enrollments (user_id);

CREATE TABLE modules (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    course_id  INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    section_id INTEGER NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('page', 'file', 'assignment')),
    title      TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    body_html  TEXT,
    media_id   INTEGER REFERENCES media (id) ON DELETE SET NULL,
    created_at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX modules_course_id_idx ON modules (course_id);
CREATE INDEX modules_section_id_idx ON modules (section_id, position);

CREATE TABLE assignments (
    module_id          INTEGER PRIMARY KEY REFERENCES modules (id) ON DELETE CASCADE,
    instructions_html  TEXT NOT NULL DEFAULT '',
    opens_at           DATETIME,
    due_at             DATETIME,
    cutoff_at          DATETIME,
    max_attempts       INTEGER CHECK (max_attempts IS NULL OR max_attempts > 0),
    allowed_file_types TEXT NOT NULL DEFAULT '',
    max_file_bytes     INTEGER NOT NULL DEFAULT 10485760,
    accepts_text       BOOLEAN NOT NULL DEFAULT 1,
    accepts_files      BOOLEAN NOT NULL DEFAULT 1,
    max_points         REAL NOT NULL DEFAULT 100 CHECK (max_points > 0)
);

CREATE TABLE submissions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    assignment_id INTEGER NOT NULL REFERENCES assignments (module_id) ON DELETE CASCADE,
    student_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    attempt       INTEGER NOT NULL CHECK (attempt > 0),
    body_text     TEXT,
    submitted_at  DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    is_late       BOOLEAN NOT NULL DEFAULT 0,
    UNIQUE (assignment_id, student_id, attempt)
);
CREATE INDEX submissions_student_id_idx ON submissions (student_id);

CREATE TABLE submission_files (
    submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    media_id      INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    PRIMARY KEY (submission_id, media_id)
);
CREATE INDEX submission_files_media_id_idx ON submission_files (media_id);

CREATE TABLE gradebook_items (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    course_id  INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    module_id  INTEGER UNIQUE REFERENCES modules (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    max_points REAL NOT NULL CHECK (max_points > 0),
    weight     REAL NOT NULL DEFAULT 1 CHECK (weight >= 0),
    position   INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX gradebook_items_course_id_idx ON gradebook_items (course_id, position);

CREATE TABLE grades (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id     INTEGER NOT NULL REFERENCES gradebook_items (id) ON DELETE CASCADE,
    student_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    points      REAL CHECK (points IS NULL OR points >= 0),
    feedback    TEXT NOT NULL DEFAULT '',
    graded_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    graded_at   DATETIME,
    released_at DATETIME,
    UNIQUE (item_id, student_id)
);
CREATE INDEX grades_student_id_idx ON grades (student_id);

CREATE TABLE letter_grades (
    course_id   INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    letter      TEXT NOT NULL,
    min_percent REAL NOT NULL CHECK (min_percent >= 0 AND min_percent <= 100),
    PRIMARY KEY (course_id, letter)
);
