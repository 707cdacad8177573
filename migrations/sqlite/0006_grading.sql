-- paideia: kind=expand transaction=true
-- Grading (issue 15): files a teacher attaches to a student's grade on a gradebook item (a
-- marked-up copy of the work); the student may download them once that grade is released.
CREATE TABLE grade_files (
    item_id    INTEGER NOT NULL REFERENCES gradebook_items (id) ON DELETE CASCADE,
    student_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    media_id   INTEGER NOT NULL UNIQUE REFERENCES media (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, student_id, media_id)
);
CREATE INDEX grade_files_student_id_idx ON grade_files (student_id);
-- Rubrics: an assignment's criteria, each with levels worth points; a rubric-graded grade
-- keeps the level chosen for each criterion (its points are their sum).
CREATE TABLE rubric_criteria (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    assignment_id INTEGER NOT NULL REFERENCES assignments (module_id) ON DELETE CASCADE,
    position      INTEGER NOT NULL DEFAULT 0,
    title         TEXT NOT NULL
);
CREATE INDEX rubric_criteria_assignment_id_idx ON rubric_criteria (assignment_id, position);
CREATE TABLE rubric_levels (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    criterion_id INTEGER NOT NULL REFERENCES rubric_criteria (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL DEFAULT 0,
    title        TEXT NOT NULL,
    points       REAL NOT NULL CHECK (points >= 0)
);
CREATE INDEX rubric_levels_criterion_id_idx ON rubric_levels (criterion_id, position);
CREATE TABLE grade_rubric_levels (
    item_id      INTEGER NOT NULL REFERENCES gradebook_items (id) ON DELETE CASCADE,
    student_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES rubric_criteria (id) ON DELETE CASCADE,
    level_id     INTEGER NOT NULL REFERENCES rubric_levels (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, student_id, criterion_id)
);
CREATE INDEX grade_rubric_levels_student_id_idx ON grade_rubric_levels (student_id);
CREATE INDEX grade_rubric_levels_criterion_id_idx ON grade_rubric_levels (criterion_id);
CREATE INDEX grade_rubric_levels_level_id_idx ON grade_rubric_levels (level_id);
