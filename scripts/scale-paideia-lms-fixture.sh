#!/usr/bin/env bash
# Multiplies the rows of a Paideia LMS 0.7.15 database restored from
# tests/fixtures/paideia-lms-0.7.15 until it holds about SUBMISSIONS assignment submissions,
# keeping every reference intact: the 40 students are copied K times (student01+3@…, same
# password), with their enrollments and all their grades; each assignment module is placed
# M more times in its course (with its gradebook item); every submission and assignment grade
# is then copied for every (student copy, placement) pair. Files are not multiplied.
#
#   scripts/scale-paideia-lms-fixture.sh postgres://postgres@127.0.0.1:5432/paideia_lms [SUBMISSIONS]
#
# (default 100000: 12 × 84 × 100 = 100,800 submissions).
set -euo pipefail
url=${1:?usage: $0 DATABASE_URL [SUBMISSIONS]}
want=${2:-100000}
m=99                                          # placements beyond the first
k=$(( (want + 12 * (m + 1) - 1) / (12 * (m + 1)) - 1 ))  # student copies beyond the first
if (( k < 0 )); then k=0; fi

psql -X -q -v ON_ERROR_STOP=1 -v k="$k" -v m="$m" -d "$url" <<'SQL'
BEGIN;
CREATE TEMP TABLE ks AS SELECT generate_series(1, :k) AS k;
CREATE TEMP TABLE ms AS SELECT generate_series(1, :m) AS m;

CREATE TEMP TABLE umap (old_id int, k int, new_id int);
WITH src AS (SELECT u.*, ks.k FROM users u CROSS JOIN ks WHERE u.role = 'student'),
ins AS (
  INSERT INTO users (first_name, last_name, role, bio, theme, updated_at, created_at, email, salt, hash,
                     _verified, login_attempts, direction)
  SELECT first_name, last_name || ' ' || k, role, bio, theme, updated_at, created_at,
         replace(email, '@', '+' || k || '@'), salt, hash, _verified, 0, direction
  FROM src RETURNING id, email)
INSERT INTO umap SELECT s.id, s.k, i.id FROM src s JOIN ins i ON i.email = replace(s.email, '@', '+' || s.k || '@');
INSERT INTO umap SELECT id, 0, id FROM users WHERE role = 'student';

CREATE TEMP TABLE emap (old_id int, k int, new_id int);
WITH src AS (
  SELECT e.*, um.k, um.new_id AS new_user FROM enrollments e JOIN umap um ON um.old_id = e.user_id AND um.k > 0),
ins AS (
  INSERT INTO enrollments (user_id, course_id, role, status, enrolled_at, completed_at, updated_at, created_at)
  SELECT new_user, course_id, role, status, enrolled_at, completed_at, updated_at, created_at FROM src
  RETURNING id, user_id, course_id)
INSERT INTO emap SELECT s.id, s.k, i.id FROM src s JOIN ins i ON i.user_id = s.new_user AND i.course_id = s.course_id;
INSERT INTO emap SELECT id, 0, id FROM enrollments WHERE id NOT IN (SELECT new_id FROM emap);

CREATE TEMP TABLE mmap (old_link int, m int, new_module int);
WITH src AS (
  SELECT l.id AS link_id, am.*, ms.m FROM course_activity_module_links l
  JOIN activity_modules am ON am.id = l.activity_module_id CROSS JOIN ms WHERE am.type = 'assignment'),
ins AS (
  INSERT INTO activity_modules (owner_id, title, description, type, created_by_id, assignment_id, updated_at, created_at)
  SELECT owner_id, title || ' (' || link_id || '.' || m || ')', description, type, created_by_id, assignment_id,
         updated_at, created_at FROM src RETURNING id, title)
INSERT INTO mmap SELECT s.link_id, s.m, i.id FROM src s JOIN ins i ON i.title = s.title || ' (' || s.link_id || '.' || s.m || ')';

CREATE TEMP TABLE lmap (old_id int, m int, new_id int);
WITH src AS (
  SELECT l.*, mm.m, mm.new_module FROM course_activity_module_links l JOIN mmap mm ON mm.old_link = l.id),
ins AS (
  INSERT INTO course_activity_module_links (course_id, activity_module_id, section_id, content_order, settings,
                                            updated_at, created_at)
  SELECT course_id, new_module, section_id, content_order + m, settings, updated_at, created_at FROM src
  RETURNING id, activity_module_id)
INSERT INTO lmap SELECT s.id, s.m, i.id FROM src s JOIN ins i ON i.activity_module_id = s.new_module;
INSERT INTO lmap SELECT id, 0, id FROM course_activity_module_links WHERE id NOT IN (SELECT new_id FROM lmap);

CREATE TEMP TABLE imap (old_id int, m int, new_id int);
WITH src AS (
  SELECT gi.*, lm.m, lm.new_id AS new_link FROM gradebook_items gi
  JOIN lmap lm ON lm.old_id = gi.activity_module_id AND lm.m > 0),
ins AS (
  INSERT INTO gradebook_items (gradebook_id, category_id, name, sort_order, description, activity_module_id,
                               max_grade, min_grade, weight, extra_credit, updated_at, created_at)
  SELECT gradebook_id, category_id, name || ' (' || m || ')', sort_order, description, new_link, max_grade,
         min_grade, weight, extra_credit, updated_at, created_at FROM src RETURNING id, activity_module_id)
INSERT INTO imap SELECT s.id, s.m, i.id FROM src s JOIN ins i ON i.activity_module_id = s.new_link;
INSERT INTO imap SELECT id, 0, id FROM gradebook_items WHERE id NOT IN (SELECT new_id FROM imap);

INSERT INTO assignment_submissions (course_module_link_id, student_id, enrollment_id, attempt_number, status,
  submitted_at, content, is_late, time_spent, updated_at, created_at, grade, feedback, graded_by_id, graded_at)
SELECT lm.new_id, um.new_id, em.new_id, s.attempt_number, s.status, s.submitted_at, s.content, s.is_late,
       s.time_spent, s.updated_at, s.created_at, s.grade, s.feedback, s.graded_by_id, s.graded_at
FROM assignment_submissions s
JOIN lmap lm ON lm.old_id = s.course_module_link_id
JOIN umap um ON um.old_id = s.student_id
LEFT JOIN emap em ON em.old_id = s.enrollment_id AND em.k = um.k
WHERE NOT (lm.m = 0 AND um.k = 0);

INSERT INTO user_grades (enrollment_id, gradebook_item_id, submission_type, base_grade, base_grade_source,
  is_overridden, override_grade, override_reason, overridden_by_id, overridden_at, feedback, graded_by_id,
  graded_at, submitted_at, status, updated_at, created_at)
SELECT em.new_id, im.new_id, g.submission_type, g.base_grade, g.base_grade_source, g.is_overridden,
       g.override_grade, g.override_reason, g.overridden_by_id, g.overridden_at, g.feedback, g.graded_by_id,
       g.graded_at, g.submitted_at, g.status, g.updated_at, g.created_at
FROM user_grades g
JOIN emap em ON em.old_id = g.enrollment_id
JOIN imap im ON im.old_id = g.gradebook_item_id
WHERE NOT (em.k = 0 AND im.m = 0);
COMMIT;
ANALYZE;
SQL
psql -X -q -At -d "$url" -c "SELECT 'users ' || (SELECT count(*) FROM users) || ', enrollments ' || (SELECT count(*) FROM enrollments) || ', assignment links ' || (SELECT count(*) FROM course_activity_module_links l JOIN activity_modules a ON a.id = l.activity_module_id WHERE a.type = 'assignment') || ', submissions ' || (SELECT count(*) FROM assignment_submissions) || ', grades ' || (SELECT count(*) FROM user_grades)"
