#!/usr/bin/env python3
"""The load driver of scripts/bench-deadline-rush.sh (Python standard library only).

Signs every student and teacher in (untimed, each from its own X-Forwarded-For address so
the sign-in throttle sees a school, not one guesser), then runs the rush: STUDENTS hand in
one file of FILE_MIB each through the assignment page's multipart form, at most
--concurrency at once and as fast as the server takes them, while every teacher reloads
the grading table and the gradebook in turn until the last hand-in is answered. Meanwhile it
samples the servers' resident memory (/proc/PID/status) and the database's connections
(pg_stat_activity through psql). Prints one JSON object on stdout.
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import re
import subprocess
import threading
import time
import urllib.parse

CSRF = re.compile(rb'name="_csrf" value="([^"]+)"')


class Client:
    """One person's keep-alive connection and cookies."""

    def __init__(self, base, address):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port
        self.address = address
        self.cookies = {}
        self.conn = None

    def request(self, method, path, body=None, content_type=None):
        headers = {"X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A keep-alive connection the server closed between requests: once more on a
                # new one (the request was not answered, so nothing was done twice).
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if val:
                    self.cookies[key] = val
                else:
                    self.cookies.pop(key, None)
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, data

    def csrf(self, path):
        status, page = self.request("GET", path)
        found = CSRF.search(page)
        if status != 200 or not found:
            raise RuntimeError(f"GET {path} answered {status} without a CSRF token")
        return found.group(1).decode()

    def sign_in(self, email, password):
        token = self.csrf("/login")
        form = urllib.parse.urlencode({"_csrf": token, "email": email, "password": password})
        status, _ = self.request("POST", "/login", form, "application/x-www-form-urlencoded")
        if status != 303:
            raise RuntimeError(f"signing {email} in answered {status}")


def multipart(fields, file_name, data):
    boundary = "----paideia-rush-" + os.urandom(8).hex()
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{file_name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
    )
    parts.append(data)
    parts.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Sampler(threading.Thread):
    """Peak resident memory of the servers and peak connections to the database."""

    def __init__(self, pids, psql_url, database):
        super().__init__(daemon=True)
        self.pids, self.psql_url, self.database = pids, psql_url, database
        self.stop = threading.Event()
        self.rss_kib = {pid: 0 for pid in pids}
        # Resident memory when the rush starts (what sign-ins and earlier work left).
        self.start_kib = {pid: self.status(pid, "VmRSS") for pid in pids}
        self.connections = 0

    def status(self, pid, field):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith(field + ":"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def run(self):
        for pid in self.pids:
            # Resets the peak (VmHWM), so each run reports its own.
            try:
                with open(f"/proc/{pid}/clear_refs", "w") as f:
                    f.write("5")
            except OSError:
                pass
        query = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = "
            f"'{self.database}' AND backend_type = 'client backend'"
        )
        while not self.stop.is_set():
            for pid in self.pids:
                self.rss_kib[pid] = max(self.rss_kib[pid], self.status(pid, "VmRSS"))
            if self.psql_url:
                out = subprocess.run(
                    ["psql", self.psql_url, "-Atc", query], capture_output=True, text=True
                )
                if out.returncode == 0 and out.stdout.strip().isdigit():
                    # Minus the sampler's own connection.
                    self.connections = max(self.connections, int(out.stdout) - 1)
            self.stop.wait(0.25)

    def peaks(self):
        return {str(pid): max(self.rss_kib[pid], self.status(pid, "VmHWM")) for pid in self.pids}


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    """CPU seconds (user + system) spent so far: by each program on the machine, grouped as
    the servers (PIDS), postgres, nginx, the S3 test server, this driver and the rest, and by
    the machine in all (/proc/stat). Processes that ended in between are missing from the
    groups, not from the machine's total."""
    groups = {"paideia": 0.0, "postgres": 0.0, "nginx": 0.0, "s3 server": 0.0, "driver": 0.0}
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        used = (int(fields[11]) + int(fields[12])) / TICKS
        pid = int(entry)
        if pid in pids:
            groups["paideia"] += used
        elif pid == me:
            groups["driver"] += used
        elif comm.startswith("postgres"):
            groups["postgres"] += used
        elif comm.startswith("nginx"):
            groups["nginx"] += used
        elif comm.startswith("s3_test_server"):
            groups["s3 server"] += used
    with open("/proc/stat") as f:
        cpu = [int(v) for v in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    groups["machine"] = (sum(cpu[:8]) - cpu[3] - cpu[4]) / TICKS
    return groups


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base", required=True, help="http://HOST:PORT the load goes to")
    ap.add_argument("--slug", required=True)
    ap.add_argument("--assignment", type=int, required=True)
    ap.add_argument("--students", required=True, help="file of student emails, one a line")
    ap.add_argument("--teachers", required=True, help="file of teacher emails, one a line")
    ap.add_argument("--password", required=True)
    ap.add_argument("--file-mib", type=float, default=1.0)
    ap.add_argument("--concurrency", type=int, default=64, help="students handing in at once")
    ap.add_argument("--think", type=float, default=0.0, help="seconds a teacher waits between reloads")
    ap.add_argument("--pids", default="", help="server pids to sample, comma-separated")
    ap.add_argument("--psql-url", default="", help="postgres://… of the maintenance database")
    ap.add_argument("--database", default="", help="the site's database name")
    args = ap.parse_args()

    students = [l.strip() for l in open(args.students) if l.strip()]
    teachers = [l.strip() for l in open(args.teachers) if l.strip()]
    people = {}

    def sign_in(n, email):
        client = Client(args.base, f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}")
        client.sign_in(email, args.password)
        return email, client

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for email, client in pool.map(lambda p: sign_in(*p), enumerate(students + teachers, 1)):
            people[email] = client
    sign_in_seconds = time.monotonic() - started

    assignment = f"/courses/{args.slug}/modules/{args.assignment}"
    # The form's token, as a browser has it from the assignment page it hands in on.
    tokens = {}
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for email, token in pool.map(lambda e: (e, people[e].csrf(assignment)), students):
            tokens[email] = token

    data = os.urandom(int(args.file_mib * 1024 * 1024))
    pids = [int(p) for p in args.pids.split(",") if p]
    sampler = Sampler(pids, args.psql_url, args.database)
    sampler.start()

    lock = threading.Lock()
    hand_ins, pages = [], {"grading table": [], "gradebook": []}
    errors = []
    done = threading.Event()

    def hand_in(email):
        client = people[email]
        # Each file differs from the others in its first bytes.
        body, content_type = multipart(
            {"_csrf": tokens[email], "body_text": ""},
            "essay.pdf",
            email.encode().ljust(64, b" ") + data[64:],
        )
        t = time.monotonic()
        try:
            status, page = client.request("POST", f"{assignment}/submissions", body, content_type)
        except Exception as e:  # noqa: BLE001 - every failure is counted and shown
            status, page = None, str(e).encode()
        elapsed = time.monotonic() - t
        with lock:
            if status == 303:
                hand_ins.append(elapsed)
            else:
                errors.append(f"hand-in by {email}: {status} {page[:200]!r}")

    def teacher(email):
        client = people[email]
        paths = [
            ("grading table", f"{assignment}/submissions"),
            ("gradebook", f"/courses/{args.slug}/grades"),
        ]
        n = 0
        while not done.is_set():
            name, path = paths[n % 2]
            n += 1
            t = time.monotonic()
            try:
                status, page = client.request("GET", path)
            except Exception as e:  # noqa: BLE001
                status, page = None, str(e).encode()
            elapsed = time.monotonic() - t
            with lock:
                if status == 200:
                    pages[name].append(elapsed)
                else:
                    errors.append(f"{name} for {email}: {status} {page[:200]!r}")
            done.wait(args.think)

    cpu_before = cpu_seconds(set(pids))
    started = time.monotonic()
    teacher_threads = [threading.Thread(target=teacher, args=(e,)) for e in teachers]
    for t in teacher_threads:
        t.start()
    with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(hand_in, students))
    rush_seconds = time.monotonic() - started
    cpu_after = cpu_seconds(set(pids))
    done.set()
    for t in teacher_threads:
        t.join()
    sampler.stop.set()
    sampler.join()

    requests = len(hand_ins) + sum(len(v) for v in pages.values()) + len(errors)
    ms = lambda v: None if v is None else round(v * 1000, 1)  # noqa: E731
    result = {
        "students": len(students),
        "teachers": len(teachers),
        "file_mib": args.file_mib,
        "concurrency": args.concurrency,
        "think_seconds": args.think,
        "sign_in_seconds": round(sign_in_seconds, 1),
        "rush_seconds": round(rush_seconds, 2),
        "requests": requests,
        "requests_per_second": round(requests / rush_seconds, 1),
        "hand_ins": len(hand_ins),
        "hand_ins_per_second": round(len(hand_ins) / rush_seconds, 1),
        "hand_in_p50_ms": ms(percentile(hand_ins, 50)),
        "hand_in_p99_ms": ms(percentile(hand_ins, 99)),
        "pages": {
            name: {
                "count": len(v),
                "p50_ms": ms(percentile(v, 50)),
                "p99_ms": ms(percentile(v, 99)),
            }
            for name, v in pages.items()
        },
        "errors": len(errors),
        "first_errors": errors[:5],
        "peak_rss_mib": {pid: round(kib / 1024, 1) for pid, kib in sampler.peaks().items()},
        "start_rss_mib": {str(pid): round(kib / 1024, 1) for pid, kib in sampler.start_kib.items()},
        "peak_db_connections": sampler.connections,
        # Cores busy during the rush, by program: what the two cores were spent on.
        "cores_busy": {
            name: round((cpu_after[name] - cpu_before[name]) / rush_seconds, 2)
            for name in cpu_after
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
