-- paideia: kind=expand transaction=true
-- Quizzes (issue 17). A course's question bank is a tree of `question_categories` holding
-- `questions`; each question is a row of `question_versions` per edit (the whole question,
-- as `lms::quizzes::Question` JSON in `body`), and an attempt keeps the version it was given,
-- so editing a question used in attempts changes none of them until a regrade is asked for.
-- A quiz is a course module (a `modules` row whose kind stays 'page', as forums do) with a
-- `quizzes` row; its questions are `quiz_slots`, each a fixed question (its newest version
-- when an attempt starts) or a question drawn at random from a category. `quiz_overrides`
-- are per-student accommodations. An attempt fixes its deadline when it starts (`ends_at`:
-- the time limit plus extra time, never past the close) and its questions and their order
-- (`quiz_attempt_questions`, shuffled by `seed`); each answer is saved as it is given, as
-- `lms::quizzes::Response` JSON, with the mark it earned. Points are kept as text
-- (exact decimals, `lms::quizzes::Fixed`) where they are marks of questions.
CREATE TABLE question_categories (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    course_id  INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    parent_id  INTEGER REFERENCES question_categories (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX question_categories_course_id_idx ON question_categories (course_id);
CREATE INDEX question_categories_parent_id_idx ON question_categories (parent_id);
CREATE TABLE questions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    course_id   INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES question_categories (id) ON DELETE CASCADE,
    created_at  DATETIME NOT NULL,
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    deleted_at  DATETIME
);
CREATE INDEX questions_course_id_idx ON questions (course_id);
CREATE INDEX questions_category_id_idx ON questions (category_id);
CREATE INDEX questions_created_by_idx ON questions (created_by);
CREATE TABLE question_versions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL CHECK (version > 0),
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (question_id, version)
);
CREATE INDEX question_versions_created_by_idx ON question_versions (created_by);
CREATE TABLE quizzes (
    module_id          INTEGER PRIMARY KEY REFERENCES modules (id) ON DELETE CASCADE,
    opens_at           DATETIME,
    closes_at          DATETIME,
    time_limit_seconds INTEGER CHECK (time_limit_seconds IS NULL OR time_limit_seconds > 0),
    max_attempts       INTEGER CHECK (max_attempts IS NULL OR max_attempts > 0),
    grading_method     TEXT NOT NULL DEFAULT 'highest'
        CHECK (grading_method IN ('highest', 'last', 'average', 'first')),
    shuffle_questions  BOOLEAN NOT NULL DEFAULT 0,
    shuffle_answers    BOOLEAN NOT NULL DEFAULT 1,
    questions_per_page INTEGER NOT NULL DEFAULT 0 CHECK (questions_per_page >= 0),
    navigation         TEXT NOT NULL DEFAULT 'free' CHECK (navigation IN ('free', 'sequential')),
    password           TEXT,
    review_marks       TEXT NOT NULL DEFAULT 'after_close'
        CHECK (review_marks IN ('immediately', 'after_close', 'never')),
    review_answers     TEXT NOT NULL DEFAULT 'after_close'
        CHECK (review_answers IN ('immediately', 'after_close', 'never')),
    review_feedback    TEXT NOT NULL DEFAULT 'after_close'
        CHECK (review_feedback IN ('immediately', 'after_close', 'never')),
    max_points         REAL NOT NULL DEFAULT 10 CHECK (max_points > 0)
);
CREATE TABLE quiz_slots (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    quiz_id               INTEGER NOT NULL REFERENCES quizzes (module_id) ON DELETE CASCADE,
    position              INTEGER NOT NULL,
    question_id           INTEGER REFERENCES questions (id) ON DELETE CASCADE,
    random_category_id    INTEGER REFERENCES question_categories (id) ON DELETE CASCADE,
    include_subcategories BOOLEAN NOT NULL DEFAULT 0,
    mark                  TEXT NOT NULL,
    CHECK ((question_id IS NULL) <> (random_category_id IS NULL))
);
CREATE INDEX quiz_slots_quiz_id_idx ON quiz_slots (quiz_id, position);
CREATE INDEX quiz_slots_question_id_idx ON quiz_slots (question_id);
CREATE INDEX quiz_slots_random_category_id_idx ON quiz_slots (random_category_id);
CREATE TABLE quiz_overrides (
    quiz_id        INTEGER NOT NULL REFERENCES quizzes (module_id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    extra_seconds  INTEGER NOT NULL DEFAULT 0 CHECK (extra_seconds >= 0),
    extra_attempts INTEGER NOT NULL DEFAULT 0 CHECK (extra_attempts >= 0),
    closes_at      DATETIME,
    PRIMARY KEY (quiz_id, user_id)
);
CREATE INDEX quiz_overrides_user_id_idx ON quiz_overrides (user_id);
CREATE TABLE quiz_attempts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    quiz_id        INTEGER NOT NULL REFERENCES quizzes (module_id) ON DELETE CASCADE,
    student_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    attempt        INTEGER NOT NULL CHECK (attempt > 0),
    seed           INTEGER NOT NULL,
    started_at     DATETIME NOT NULL,
    ends_at        DATETIME,
    submitted_at   DATETIME,
    auto_submitted BOOLEAN NOT NULL DEFAULT 0,
    current_page   INTEGER NOT NULL DEFAULT 0,
    marks          TEXT,
    needs_grading  BOOLEAN NOT NULL DEFAULT 0,
    UNIQUE (quiz_id, student_id, attempt)
);
CREATE INDEX quiz_attempts_student_id_idx ON quiz_attempts (student_id);
CREATE TABLE quiz_attempt_questions (
    attempt_id          INTEGER NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    slot                INTEGER NOT NULL,
    question_version_id INTEGER NOT NULL REFERENCES question_versions (id) ON DELETE CASCADE,
    max_mark            TEXT NOT NULL,
    response            TEXT,
    saved_at            DATETIME,
    fraction            TEXT,
    mark                TEXT,
    comment             TEXT NOT NULL DEFAULT '',
    graded_by           INTEGER REFERENCES users (id) ON DELETE SET NULL,
    graded_at           DATETIME,
    PRIMARY KEY (attempt_id, slot)
);
CREATE INDEX quiz_attempt_questions_version_idx ON quiz_attempt_questions (question_version_id);
CREATE INDEX quiz_attempt_questions_graded_by_idx ON quiz_attempt_questions (graded_by);
