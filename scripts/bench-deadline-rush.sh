#!/usr/bin/env bash
# Benchmark: a deadline rush on the production stack. PostgreSQL and the S3 test server; a
# course of STUDENTS students and TEACHERS teachers with one assignment that takes files.
# Every student hands in one FILE_MIB file through the assignment page's form while every
# teacher reloads the grading table and the gradebook in turn (scripts/deadline-rush-load.py:
# PAIDEIA_RUSH_CONCURRENCY students at once, 64 by default, as fast as the server takes
# them; each teacher reloads PAIDEIA_RUSH_THINK seconds after the last page came, 5 by
# default). Run twice: once on one instance,
# once on two instances against the same database and bucket; both behind nginx (as in
# scripts/rolling-upgrade.sh, request bodies streamed through). Prints requests/s, the
# hand-in's p50/p99, the teachers' pages' p50/p99, errors, the servers' peak RSS (VmHWM) and
# the database connections used (pg_stat_activity, sampled), the cores each program kept busy
# during the rush (/proc), and the ratio of the two runs.
#
#   scripts/bench-deadline-rush.sh [--debug] [STUDENTS] [TEACHERS] [FILE_MIB]   (defaults: 1000, 20, 1)
#
# --debug uses a debug build; otherwise the release build. PAIDEIA_BENCH_BIN and
# PAIDEIA_BENCH_S3_BIN run those binaries instead of building them. Needs psql, nginx, curl, jq and
# python3, and PostgreSQL at PAIDEIA_BENCH_PG (default postgres://postgres@127.0.0.1:5432).
# Everything it starts (servers, nginx, the S3 test server, the load driver, its database)
# is stopped or dropped on exit, on failure and on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
if [ "${1:-}" = "--debug" ]; then profile=debug; shift; fi
students=${1:-1000}
teachers=${2:-20}
file_mib=${3:-1}
concurrency=${PAIDEIA_RUSH_CONCURRENCY:-64}
think=${PAIDEIA_RUSH_THINK:-5}
pg=${PAIDEIA_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
target_dir=${CARGO_TARGET_DIR:-target}
for tool in psql nginx curl jq python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install $tool)" >&2; exit 1; }
done
if [ -n "${PAIDEIA_BENCH_BIN:-}" ]; then
  # Binaries built elsewhere (to compare two builds on the same machine).
  bin=$PAIDEIA_BENCH_BIN
  s3_bin=${PAIDEIA_BENCH_S3_BIN:?PAIDEIA_BENCH_S3_BIN names the s3_test_server example beside PAIDEIA_BENCH_BIN}
  profile="given ($bin)"
else
  if [ "$profile" = release ]; then
    cargo build --release --locked -q --bin paideia --example s3_test_server
  else
    cargo build --locked -q --bin paideia --example s3_test_server
  fi
  bin="$target_dir/$profile/paideia"
  s3_bin="$target_dir/$profile/examples/s3_test_server"
fi

work=$(mktemp -d /var/tmp/paideia-bench-rush.XXXXXX)
db="paideia_bench_rush_$$"
pids=()
db_created=""
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # The S3 test server stops (and removes its files) when its standard input closes.
  exec 7>&- 2>/dev/null || true
  wait 2>/dev/null || true
  [ -z "$db_created" ] || psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# Ctrl-C and kill end the script through its EXIT trap; long steps run in the background and
# are waited for, so a signal is not held until they end.
trap 'exit 130' INT
trap 'exit 143' TERM
fail() { echo "error: $*" >&2; exit 1; }
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

echo "==> PostgreSQL database $db and the S3 test server"
psql "$pg/postgres" -qc "CREATE DATABASE $db" >/dev/null
db_created=1
mkfifo "$work/s3-stdin"
"$s3_bin" <"$work/s3-stdin" >"$work/s3.env" &
exec 7>"$work/s3-stdin"
for _ in $(seq 100); do grep -qs SECRET "$work/s3.env" && break; sleep 0.1; done
grep -qs SECRET "$work/s3.env" || fail "the S3 test server did not start"
set -a
# shellcheck disable=SC1091
. "$work/s3.env"
set +a
export PAIDEIA_DATABASE_URL="$pg/$db" PAIDEIA_DATA_DIR="$work/data"

password="rush-password-$$-$RANDOM"
owner=rush.owner@example.org
echo "==> seeding $students students and $teachers teachers"
"$bin" seed --scale $(((students + 99) / 100)) -q >/dev/null
printf '%s\n' "$password" | "$bin" user create --email "$owner" --name "Rush Owner" --role instructor --password-stdin >/dev/null
"$bin" --json user list | jq -r --argjson n "$students" '[.[].email | select(startswith("student"))][:$n][]' >"$work/students.txt"
[ "$(wc -l <"$work/students.txt")" -eq "$students" ] || fail "the seed has fewer than $students students"
for i in $(seq "$teachers"); do echo "rush.teacher$i@example.org"; done >"$work/teachers.txt"
while read -r email; do
  printf '%s\n' "$password" | "$bin" user create --email "$email" --name "Teacher ${email%%@*}" --role instructor --password-stdin >/dev/null
done <"$work/teachers.txt"
# The seed's students have no password: they get the owner's hash (one Argon2 hash, so the
# setup does not spend minutes hashing; every sign-in still checks it).
psql -q "$pg/$db" -v ON_ERROR_STOP=1 >/dev/null <<SQL
UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email = '$owner')
WHERE email IN ($(sed "s/.*/'&'/" "$work/students.txt" | paste -sd,));
SQL

# stop PID: stops one process this script started and forgets it.
stop() {
  local pid kept=()
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  for pid in "${pids[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  pids=("${kept[@]}")
}

# start NAME PORT: a server on 127.0.0.1:PORT; sets started_pid.
start() {
  "$bin" serve --bind "127.0.0.1:$2" >/dev/null 2>"$work/$1.log" &
  started_pid=$!
  pids+=("$started_pid")
  for _ in $(seq 600); do
    grep -qs "listening on http://" "$work/$1.log" && return 0
    kill -0 "$started_pid" 2>/dev/null || { cat "$work/$1.log" >&2; fail "instance $1 did not start"; }
    sleep 0.1
  done
  fail "instance $1 did not start within 60 s"
}

# nginx_conf FILE PORT UPSTREAM...: the rolling-upgrade layout, with request bodies streamed
# to the instance instead of spooled to disk first, and the client's address passed on.
nginx_conf() {
  local file=$1 port=$2; shift 2
  mkdir -p "$work/nginx"
  {
    echo "worker_processes 1;"
    echo "pid $file.pid;"
    echo "error_log $work/nginx-error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http {"
    echo "  access_log off;"
    for t in body proxy fastcgi uwsgi scgi; do echo "  ${t/body/client_body}_temp_path $work/nginx/$t;"; done
    echo "  upstream paideia {"
    for upstream in "$@"; do echo "    server 127.0.0.1:$upstream max_fails=0;"; done
    echo "    keepalive 64;"
    echo "  }"
    echo "  server {"
    echo "    listen 127.0.0.1:$port;"
    echo "    client_max_body_size 200m;"
    echo "    location / {"
    echo "      proxy_pass http://paideia;"
    echo "      proxy_http_version 1.1;"
    echo "      proxy_request_buffering off;"
    echo "      proxy_set_header Connection \"\";"
    echo "      proxy_set_header Host \$host;"
    echo "      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
    echo "    }"
    echo "  }"
    echo "}"
  } >"$file"
}

# with_nginx PORT UPSTREAM...: starts nginx in front of the instances; sets nginx_pid.
with_nginx() {
  local port=$1
  nginx_conf "$work/nginx-$port.conf" "$@"
  nginx -c "$work/nginx-$port.conf" -g 'daemon off;' &
  nginx_pid=$!
  pids+=("$nginx_pid")
  for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && return 0; sleep 0.1; done
  fail "nginx does not answer on port $port"
}

slot1=$(free_port)
start one "$slot1"
one_pid=$started_pid
base="http://127.0.0.1:$slot1"
jar="$work/cookies.txt"
get() { curl -sS -f -b "$jar" -c "$jar" "$base$1"; }
token() { get "$1" | grep -o 'name="_csrf" value="[^"]*"' | sed -n '1s/.*value="\([^"]*\)"/\1/p'; }
post() {
  local path=$1; shift
  local args=() status
  for field in "$@"; do args+=(--data-urlencode "$field"); done
  status=$(curl -sS -o "$work/last.html" -D "$work/last.headers" -w '%{http_code}' -b "$jar" -c "$jar" "${args[@]}" "$base$path")
  [ "$status" = 303 ] || { cat "$work/last.html" >&2; fail "POST $path answered $status"; }
}

echo "==> the course, its people and two assignments, over HTTP"
csrf=$(token /login)
post /login "_csrf=$csrf" "email=$owner" "password=$password"
csrf=$(token /courses/new)
post /courses/new "_csrf=$csrf" "title=Deadline Rush" "slug=rush" "description=Everyone hands in at once." "status=published"
{
  echo "email,role"
  sed 's/$/,student/' "$work/students.txt"
  sed 's/$/,teacher/' "$work/teachers.txt"
} >"$work/roster.csv"
curl -sS -f -o /dev/null -b "$jar" -c "$jar" -F "_csrf=$csrf" -F "file=@$work/roster.csv;type=text/csv" "$base/courses/rush/people/csv"
section=$(get /courses/rush | grep -o 'kind=assignment&amp;section=[0-9]*' | sed -n '1s/.*=//p')
# One assignment per run, so each run's grading table starts empty and grows the same way.
assignments=()
for title in "Essay one" "Essay two"; do
  post /courses/rush/modules/assignments "_csrf=$csrf" "section_id=$section" "title=$title" \
    "instructions=<p>Hand in your essay as a PDF.</p>" "max_points=20" "accepts_files=true" \
    "max_file_mib=$((${file_mib%.*} + 2))" "due_at=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M)"
  assignments+=("$(grep -io 'location: /courses/rush/modules/[0-9]*' "$work/last.headers" | sed -n '1s|.*/||p')")
done
[ -n "${assignments[1]}" ] || fail "the assignments' ids were not found"
enrolled=$(psql -At "$pg/$db" -c "SELECT count(*) FROM enrollments JOIN courses ON courses.id = course_id WHERE slug = 'rush'")
echo "course 'rush': $enrolled people"

# rush NAME ASSIGNMENT BASE PIDS: runs the load driver (in the background) into $work/NAME.json.
rush() {
  python3 scripts/deadline-rush-load.py --base "$3" --slug rush --assignment "$2" \
    --students "$work/students.txt" --teachers "$work/teachers.txt" --password "$password" \
    --file-mib "$file_mib" --concurrency "$concurrency" --think "$think" --pids "$4" \
    --psql-url "$pg/postgres" --database "$db" >"$work/$1.json" &
  local driver=$!
  pids+=("$driver")
  wait "$driver" || fail "the load driver failed"
  stop "$driver"
  local handed
  handed=$(psql -At "$pg/$db" -c "SELECT count(DISTINCT student_id) FROM submissions WHERE assignment_id = $2")
  # Reported with the table; the script fails at the end when anything failed.
  echo "$handed of $students students have a submission to assignment $2"
}

echo "==> rush on one instance: $students students hand in ${file_mib} MiB each, $teachers teachers reload"
port=$(free_port)
with_nginx "$port" "$slot1"
rush one "${assignments[0]}" "http://127.0.0.1:$port" "$one_pid"
stop "$nginx_pid"

echo "==> rush on two instances behind nginx"
slot2=$(free_port)
start two "$slot2"
two_pid=$started_pid
port=$(free_port)
with_nginx "$port" "$slot1" "$slot2"
rush two "${assignments[1]}" "http://127.0.0.1:$port" "$one_pid,$two_pid"
objects=$(psql -At "$pg/$db" -c "SELECT count(*) FROM submission_files JOIN submissions ON submissions.id = submission_id WHERE assignment_id IN (${assignments[0]}, ${assignments[1]})")

echo
echo "$("$bin" --version), $profile build, PostgreSQL + S3 test server, nginx in front; $(nproc) cores shared by server, nginx, PostgreSQL, S3 server and the load driver"
echo "$students students x ${file_mib} MiB hand-ins ($concurrency at once), $teachers teachers reloading the grading table and gradebook (${think}s between reloads); $objects files stored"
python3 - "$work/one.json" "$work/two.json" <<'PY'
import json, sys
one, two = (json.load(open(p)) for p in sys.argv[1:])
def row(*cells):
    print("  %-12s %9s %9s %11s %12s %12s %16s %16s %7s %22s %9s" % cells)
row("", "rush s", "req/s", "hand-ins/s", "hand-in p50", "hand-in p99", "grading p50/p99", "gradebook p50/p99", "errors", "RSS MiB start>peak", "DB conns")
for name, r in (("1 instance", one), ("2 instances", two)):
    g, b = r["pages"]["grading table"], r["pages"]["gradebook"]
    row(name, r["rush_seconds"], r["requests_per_second"], r["hand_ins_per_second"],
        f'{r["hand_in_p50_ms"]} ms', f'{r["hand_in_p99_ms"]} ms',
        f'{g["p50_ms"]}/{g["p99_ms"]} ms', f'{b["p50_ms"]}/{b["p99_ms"]} ms', r["errors"],
        "+".join(f'{r["start_rss_mib"][k]}>{v}' for k, v in r["peak_rss_mib"].items()),
        r["peak_db_connections"])
print("  cores busy during the rush (of %d):" % __import__("os").cpu_count())
for name, r in (("1 instance", one), ("2 instances", two)):
    print("    %-12s " % name + ", ".join(f"{k} {v}" for k, v in r["cores_busy"].items()))
print("  two instances / one: requests/s %.2f x, hand-ins/s %.2f x" % (
    two["requests_per_second"] / one["requests_per_second"],
    two["hand_ins_per_second"] / one["hand_ins_per_second"]))
for r in (one, two):
    for e in r["first_errors"]:
        print("  error:", e)
PY
errors=$(jq -s 'map(.errors) | add' "$work/one.json" "$work/two.json")
[ "$errors" -eq 0 ] || fail "$errors requests failed"
