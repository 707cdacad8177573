-- paideia: kind=expand transaction=true
-- Discussions (issue 16): a forum is a course module (a `modules` row, so sections, order,
-- visibility, the trash and course copies treat it like any module) with a `forums` row. The
-- module row's kind stays 'page', the only widening the 0001 CHECK allows without a contract
-- migration; binaries read a module with a `forums` row as a forum (older binaries show it
-- as a page with the forum's description). Threads hold posts (one level of replies: a
-- reply's parent is a top-level post), each post's files are `media` rows owned through
-- `discussion_post_files`. Unread tracking is one last-read post id per person and thread;
-- following is a row per person and forum or thread.
CREATE TABLE forums (
    module_id  INTEGER PRIMARY KEY REFERENCES modules (id) ON DELETE CASCADE,
    graded     BOOLEAN NOT NULL DEFAULT 0,
    max_points REAL NOT NULL DEFAULT 10 CHECK (max_points > 0)
);
CREATE TABLE discussion_threads (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    forum_id      INTEGER NOT NULL REFERENCES forums (module_id) ON DELETE CASCADE,
    author_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title         TEXT NOT NULL,
    pinned        BOOLEAN NOT NULL DEFAULT 0,
    locked        BOOLEAN NOT NULL DEFAULT 0,
    hidden        BOOLEAN NOT NULL DEFAULT 0,
    created_at    DATETIME NOT NULL,
    last_post_at  DATETIME NOT NULL,
    deleted_at    DATETIME,
    deleted_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    delete_reason TEXT
);
CREATE INDEX discussion_threads_forum_id_idx ON discussion_threads (forum_id, last_post_at);
CREATE INDEX discussion_threads_author_id_idx ON discussion_threads (author_id);
CREATE INDEX discussion_threads_deleted_by_idx ON discussion_threads (deleted_by);
CREATE TABLE discussion_posts (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id          INTEGER NOT NULL REFERENCES discussion_threads (id) ON DELETE CASCADE,
    parent_id          INTEGER REFERENCES discussion_posts (id) ON DELETE CASCADE,
    author_id          INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body_html          TEXT NOT NULL DEFAULT '',
    body_format        TEXT,
    body_source        TEXT,
    body_source_digest TEXT,
    created_at         DATETIME NOT NULL,
    edited_at          DATETIME,
    hidden             BOOLEAN NOT NULL DEFAULT 0,
    deleted_at         DATETIME,
    deleted_by         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    delete_reason      TEXT
);
CREATE INDEX discussion_posts_thread_id_idx ON discussion_posts (thread_id, id);
CREATE INDEX discussion_posts_parent_id_idx ON discussion_posts (parent_id);
CREATE INDEX discussion_posts_author_id_idx ON discussion_posts (author_id);
CREATE INDEX discussion_posts_deleted_by_idx ON discussion_posts (deleted_by);
CREATE TABLE discussion_post_files (
    post_id  INTEGER NOT NULL REFERENCES discussion_posts (id) ON DELETE CASCADE,
    media_id INTEGER NOT NULL UNIQUE REFERENCES media (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, media_id)
);
CREATE TABLE discussion_reads (
    thread_id         INTEGER NOT NULL REFERENCES discussion_threads (id) ON DELETE CASCADE,
    user_id           INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_read_post_id INTEGER NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX discussion_reads_user_id_idx ON discussion_reads (user_id);
CREATE TABLE discussion_forum_follows (
    forum_id INTEGER NOT NULL REFERENCES forums (module_id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (forum_id, user_id)
);
CREATE INDEX discussion_forum_follows_user_id_idx ON discussion_forum_follows (user_id);
CREATE TABLE discussion_thread_follows (
    thread_id INTEGER NOT NULL REFERENCES discussion_threads (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX discussion_thread_follows_user_id_idx ON discussion_thread_follows (user_id);
