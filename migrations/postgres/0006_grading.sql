-- paideia: kind=expand transaction=true
-- Grading (issue 15): files a teacher attaches to a student's grade on a gradebook item (a
-- marked-up copy of the work); the student may download them once that grade is released.
CREATE TABLE grade_files (
    item_id    BIGINT NOT NULL REFERENCES gradebook_items (id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    media_id   BIGINT NOT NULL UNIQUE REFERENCES media (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, student_id, media_id)
);
CREATE INDEX grade_files_student_id_idx ON grade_files (student_id);
