#!/usr/bin/env python3
"""The set-up of scripts/bench-quiz.sh, over HTTP as an admin would do it: imports STUDENTS
student accounts (CSV), makes a course with them enrolled, imports five short-answer
questions (GIFT) into its question bank, and makes a quiz with a time limit that draws
them. Writes the students' emails to STUDENTS_FILE; prints the quiz's path.

    bench_quiz_setup.py BASE_URL ADMIN_EMAIL PASSWORD STUDENTS MINUTES STUDENTS_FILE
"""

import re
import sys
import uuid

from bench_quiz_load import Session, csrf

SLUG = "bench"


def must(result, status, what):
    if result[0] != status:
        sys.exit(f"error: {what} answered {result[0]}: {result[1][:2000]}")
    return result


def multipart(session, path, token, fields, file_name, file_text, content_type):
    """A multipart POST with the CSRF token first, as the pages send it."""
    boundary = uuid.uuid4().hex
    parts = [("_csrf", token)] + list(fields)
    body = b""
    for name, value in parts:
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode() + file_text.encode() + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    import urllib.request

    req = urllib.request.Request(
        session.base + path,
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    try:
        with session.opener.open(req, timeout=120) as r:
            return r.status, r.read().decode(), r.headers.get("Location"), 0
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace"), e.headers.get("Location"), 0


def main():
    base, admin, password, students, minutes, students_file = sys.argv[1:7]
    students = int(students)
    s = Session(base)
    page = must(s.request("/login"), 200, "GET /login")[1]
    must(
        s.request("/login", {"_csrf": csrf(page), "email": admin, "password": password}),
        303,
        "sign-in",
    )
    emails = [f"quiz.student{i:04}@example.org" for i in range(1, students + 1)]
    page = must(s.request("/admin/users"), 200, "GET /admin/users")[1]
    accounts = "email,name,role,password\n" + "".join(
        f"{e},Quiz Student {i:04},student,{password}\n" for i, e in enumerate(emails, 1)
    )
    must(
        multipart(s, "/admin/users/import", csrf(page), [], "students.csv", accounts, "text/csv"),
        200,
        "the account import",
    )
    with open(students_file, "w") as f:
        f.write("\n".join(emails) + "\n")

    page = must(s.request("/courses/new"), 200, "GET /courses/new")[1]
    must(
        s.request(
            "/courses/new",
            {
                "_csrf": csrf(page),
                "title": "Quiz Rush",
                "slug": SLUG,
                "description": "The busiest minute of a term.",
                "status": "published",
            },
        ),
        303,
        "the new course",
    )
    page = must(s.request(f"/courses/{SLUG}"), 200, "the course page")[1]
    roster = "email,role\n" + "".join(f"{e},student\n" for e in emails)
    r = multipart(s, f"/courses/{SLUG}/people/csv", csrf(page), [], "roster.csv", roster, "text/csv")
    if r[0] not in (200, 303):
        sys.exit(f"error: the roster upload answered {r[0]}: {r[1][:2000]}")

    gift = "$CATEGORY: Rush\n\n" + "".join(
        f"::Q{i}:: What is {i} + {i}? {{={2 * i}}}\n\n" for i in range(1, 6)
    )
    page = must(s.request(f"/courses/{SLUG}/bank/import"), 200, "the bank import page")[1]
    r = multipart(
        s, f"/courses/{SLUG}/bank/import", csrf(page), [("format", "gift")], "rush.gift", gift, "text/plain"
    )
    if r[0] not in (200, 303):
        sys.exit(f"error: the question import answered {r[0]}: {r[1][:2000]}")
    page = must(s.request(f"/courses/{SLUG}/bank"), 200, "the bank page")[1]
    m = re.search(rf"/courses/{SLUG}/bank/categories/(\d+)\"[^>]*>\s*Rush", page)
    if not m:
        sys.exit("error: the bank has no category Rush after the import")
    category = m.group(1)

    page = must(s.request(f"/courses/{SLUG}"), 200, "the course page")[1]
    m = re.search(r"section(?:_id)?=(\d+)", page)
    if not m:
        sys.exit("error: the course page shows no section")
    page = must(
        s.request(f"/courses/{SLUG}/modules/new?kind=quiz&section={m.group(1)}"), 200, "the new quiz page"
    )[1]
    r = must(
        s.request(
            f"/courses/{SLUG}/modules/quizzes",
            {
                "_csrf": csrf(page),
                "section_id": m.group(1),
                "title": "Timed rush quiz",
                "description": "Five sums.",
                "description_format": "markdown",
                "time_limit_minutes": minutes,
                "grading_method": "highest",
                "questions_per_page": "0",
                "navigation": "free",
                "review_marks": "after_close",
                "review_answers": "after_close",
                "review_feedback": "after_close",
                "max_points": "10",
            },
        ),
        303,
        "the new quiz",
    )
    # The new quiz's redirect goes to its questions page; the quiz itself is one level up.
    quiz = re.sub(r"^https?://[^/]+", "", r[2]).split("?")[0]
    quiz = re.sub(r"/questions$", "", quiz)
    page = must(s.request(quiz + "/questions"), 200, "the quiz's questions page")[1]
    must(
        s.request(
            quiz + "/questions",
            {"_csrf": csrf(page), "what": "random", "category_id": category, "count": "5", "mark": "2"},
        ),
        303,
        "adding the questions",
    )
    print(quiz)


if __name__ == "__main__":
    main()
