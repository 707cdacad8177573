-- paideia: kind=expand transaction=false
-- squawk-ignore-file ban-concurrent-index-creation-in-transaction
-- (.squawk.toml assumes a transaction; transaction=false runs each statement alone.)
-- The staff gradebook reads a course's points, and the gradebook and grading table its
-- students, from these indexes alone: no visit to each grade's or enrollment's row.
CREATE INDEX CONCURRENTLY IF NOT EXISTS grades_item_student_points_idx ON grades (item_id, student_id, points);
CREATE INDEX CONCURRENTLY IF NOT EXISTS enrollments_course_role_user_idx ON enrollments (course_id, role, user_id);
