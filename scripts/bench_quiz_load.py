#!/usr/bin/env python3
"""The quiz start load of scripts/bench-quiz.sh: students arrive at random moments within a
window, sign in and start the same timed quiz, then save an answer every few seconds until their time is nearly up, and
submit. Standard library only (threads and urllib), one session per student.

Prints a JSON report on stdout: requests/s, p50/p99 of start and save, errors, and the last
answer each student's server acknowledged per question (to check after the run that no
acknowledged answer was lost).

    bench_quiz_load.py BASE_URL QUIZ_PATH STUDENTS_FILE PASSWORD WINDOW_S DURATION_S
"""

import html
import json
import random
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

CSRF = re.compile(r'name="_csrf" value="([^"]*)"')
SLOTS = re.compile(r'name="slots" value="([^"]*)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Session:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
        )

    def request(self, path, data=None):
        """(status, body, location, seconds)"""
        body = None if data is None else urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(self.base + path, data=body)
        t0 = time.monotonic()
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, r.read().decode(), r.headers.get("Location"), time.monotonic() - t0
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace"), e.headers.get("Location"), time.monotonic() - t0
        except Exception as e:  # connection reset, timeout: an error like any other
            return 0, str(e), None, time.monotonic() - t0


def csrf(page):
    m = CSRF.search(page)
    return html.unescape(m.group(1)) if m else ""


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.start = []
        self.save = []
        self.requests = 0
        self.errors = []
        self.acked = {}  # attempt path -> {slot: value}

    def add(self, kind, seconds, ok, what):
        with self.lock:
            self.requests += 1
            if kind:
                getattr(self, kind).append(seconds)
            if not ok:
                self.errors.append(what)


def student(base, quiz, email, password, delay, until, stats):
    # Each student arrives at their own moment within the window, signs in and starts at
    # once (signing everyone in first, all at the same instant, is not how a class arrives,
    # and more than 50 sign-ins in flight from one address meet the address's throttle).
    time.sleep(max(0.0, delay - time.monotonic()))
    s = Session(base)
    status, page, _, t = s.request("/login")
    stats.add(None, t, status == 200, f"GET /login {status}")
    status, page, _, t = s.request("/login", {"_csrf": csrf(page), "email": email, "password": password})
    stats.add(None, t, status == 303, f"POST /login {status} {email}")
    if status != 303:
        return
    status, page, _, t = s.request(quiz)
    stats.add(None, t, status == 200, f"GET quiz {status}")
    status, page, location, t = s.request(quiz + "/attempts", {"_csrf": csrf(page)})
    stats.add("start", t, status == 303 and location, f"POST start {status} {page[:200]}")
    if status != 303 or not location:
        return
    attempt = urllib.parse.urlparse(location).path
    status, page, _, t = s.request(attempt)
    stats.add(None, t, status == 200, f"GET attempt {status}")
    token = csrf(page)
    m = SLOTS.search(page)
    slots = [x for x in (m.group(1).split(",") if m else []) if x]
    answers = {}
    n = 0
    while time.monotonic() < until and slots:
        time.sleep(random.uniform(2.0, 5.0))
        n += 1
        slot = random.choice(slots)
        value = f"{email.split('@')[0]}-{n}"
        sent = dict(answers)
        sent[slot] = value
        form = [("_csrf", token), ("slots", ",".join(slots)), ("to", "0")]
        form += [(f"q{k}", v) for k, v in sent.items()]
        status, body, _, t = s.request(attempt, form)
        ok = status == 303
        stats.add("save", t, ok, f"POST save {status} {body[:200]}")
        if ok:
            answers = sent
            with stats.lock:
                stats.acked[attempt] = dict(answers)
    form = [("_csrf", token), ("slots", ",".join(slots)), ("to", "finish")]
    form += [(f"q{k}", v) for k, v in answers.items()]
    status, body, _, t = s.request(attempt, form)
    stats.add(None, t, status == 303, f"POST finish {status} {body[:200]}")


def percentile(values, p):
    if not values:
        return None
    v = sorted(values)
    return round(v[min(len(v) - 1, int(len(v) * p))] * 1000, 1)


def main():
    base, quiz, students_file, password, window, duration = sys.argv[1:7]
    window, duration = float(window), float(duration)
    emails = [line.strip() for line in open(students_file) if line.strip()]
    stats = Stats()
    t0 = time.monotonic()
    until = t0 + duration
    threads = [
        threading.Thread(
            target=student,
            args=(base, quiz, e, password, t0 + random.uniform(0, window), until, stats),
            daemon=True,
        )
        for e in emails
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=duration + 180)
    elapsed = time.monotonic() - t0
    json.dump(
        {
            "students": len(emails),
            "seconds": round(elapsed, 1),
            "requests": stats.requests,
            "requests_per_s": round(stats.requests / elapsed, 1),
            "starts": len(stats.start),
            "start_p50_ms": percentile(stats.start, 0.50),
            "start_p99_ms": percentile(stats.start, 0.99),
            "saves": len(stats.save),
            "save_p50_ms": percentile(stats.save, 0.50),
            "save_p99_ms": percentile(stats.save, 0.99),
            "errors": len(stats.errors),
            "first_errors": stats.errors[:5],
            "acked": stats.acked,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
