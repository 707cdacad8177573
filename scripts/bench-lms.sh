#!/usr/bin/env bash
# Benchmark: the LMS pages under load. Seeds a site (SQLite, or PostgreSQL with --postgres),
# puts a few hundred students in one course with an assignment and graded gradebook items
# (through the real HTTP forms), posts an announcement to all of them (timed: the fan-out of
# notifications and mails), then loads the course page, the gradebook, the assignment's
# grading table, a student's home page (to-do) and notifications page and /healthz with wrk
# at 64 connections and prints requests/s and p99 latency for each, with the ratios to /healthz.
#
#   scripts/bench-lms.sh [--debug] [--postgres] [STUDENTS] [SECONDS]   (defaults: 300 students, 15 s)
#
# --debug uses a debug build (quick to build, slow to run); otherwise the release build.
# PAIDEIA_BENCH_BIN=PATH runs that binary instead of building one.
# PAIDEIA_BENCH_PERF=DIR records the server with `perf record` during each page's load, into
# DIR/1.data, DIR/2.data, ... in the order the pages load (for `perf report -i`).
# --postgres creates its own database on PAIDEIA_BENCH_PG (default
# postgres://postgres@127.0.0.1:5432), serves from it and drops it at the end.
# Needs wrk, curl and jq on PATH (and psql with --postgres). Everything it starts (server,
# wrk, the database) is stopped or dropped on exit, on failure and on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
engine=SQLite
while [ $# -gt 0 ]; do
  case "$1" in
    --debug) profile=debug; shift ;;
    --postgres) engine=PostgreSQL; shift ;;
    *) break ;;
  esac
done
students=${1:-300}
seconds=${2:-15}
connections=64
target_dir=${CARGO_TARGET_DIR:-target}
pg=${PAIDEIA_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
tools="wrk curl jq"
[ "$engine" = SQLite ] || tools="$tools psql"
for tool in $tools; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install $tool)" >&2; exit 1; }
done
if [ -n "${PAIDEIA_BENCH_BIN:-}" ]; then
  # A binary built elsewhere (to compare two builds on the same machine).
  bin=$PAIDEIA_BENCH_BIN
  profile="given ($bin)"
else
  if [ "$profile" = release ]; then
    cargo build --release --locked -q --bin paideia --example s3_test_server
  else
    cargo build --locked -q --bin paideia
  fi
  bin="$target_dir/$profile/paideia"
fi

work=$(mktemp -d /var/tmp/paideia-bench-lms.XXXXXX)
server_pid=""
wrk_pid=""
db=""
cleanup() {
  [ -z "$wrk_pid" ] || kill "$wrk_pid" 2>/dev/null || true
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -z "$db" ] || psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# Ctrl-C and kill end the script through its EXIT trap, which stops what it started. Long
# steps (wrk) run in the background and are waited for, so a signal is not held until
# they end.
trap 'exit 130' INT
trap 'exit 143' TERM

data="$work/data"
password="bench-password-$$-$RANDOM"
teacher=bench.teacher@example.org
student=bench.student@example.org
database=()
if [ "$engine" = PostgreSQL ]; then
  db="paideia_bench_lms_$$"
  psql "$pg/postgres" -qc "CREATE DATABASE $db" >/dev/null
  database=(--database-url "$pg/$db")
fi
paideia() { "$bin" --data-dir "$data" "${database[@]}" "$@"; }

# Seeds whole schools (100 students each) and takes the first $students of them.
echo "seeding ..."
paideia seed --scale $(((students + 99) / 100)) -q >/dev/null
printf '%s\n' "$password" | paideia user create --email "$teacher" --name "Bench Teacher" --role instructor --password-stdin >/dev/null
printf '%s\n' "$password" | paideia user create --email "$student" --name "Bench Student" --role student --password-stdin >/dev/null

# The binary itself, not the `paideia` function: `$!` of a backgrounded function is the
# subshell's pid, and killing it left the server running.
"$bin" --data-dir "$data" "${database[@]}" serve --bind 127.0.0.1:0 >/dev/null 2>"$work/serve.log" &
server_pid=$!
addr=""
for _ in $(seq 1 300); do
  addr=$(grep -o 'listening on http://[0-9.:]*' "$work/serve.log" | sed -n '1s|listening on http://||p') || true
  [ -n "$addr" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$addr" ] || { echo "error: the server did not start" >&2; cat "$work/serve.log" >&2; exit 1; }
base="http://$addr"

jar="$work/cookies.txt"
# get PATH: the page's HTML, with the session's cookies; token PATH: its CSRF token.
get() { curl -sS -f -b "$jar" -c "$jar" "$base$1"; }
token() { get "$1" | grep -o 'name="_csrf" value="[^"]*"' | sed -n '1s/.*value="\([^"]*\)"/\1/p'; }
# post PATH FIELD...: a form post that must answer with a redirect (303).
post() {
  local path=$1; shift
  local args=() status
  for field in "$@"; do args+=(--data-urlencode "$field"); done
  status=$(curl -sS -o "$work/last.html" -D "$work/last.headers" -w '%{http_code}' -b "$jar" -c "$jar" "${args[@]}" "$base$path")
  [ "$status" = 303 ] || { echo "error: POST $path answered $status" >&2; cat "$work/last.html" >&2; exit 1; }
}

echo "setting up the course over HTTP ..."
csrf=$(token /login)
post /login "_csrf=$csrf" "email=$teacher" "password=$password"
csrf=$(token /courses/new)
post /courses/new "_csrf=$csrf" "title=Benchmark Biology" "slug=bench" "description=A course for the load test." "status=published"

{
  echo "email,role"
  paideia --json user list | jq -r --argjson n "$students" '[.[].email | select(startswith("student"))][:$n][] + ",student"'
  echo "$student,student"
} >"$work/roster.csv"
curl -sS -f -o /dev/null -b "$jar" -c "$jar" -F "_csrf=$csrf" -F "file=@$work/roster.csv;type=text/csv" "$base/courses/bench/people/csv"

section=$(get /courses/bench | grep -o 'kind=assignment&amp;section=[0-9]*' | sed -n '1s/.*=//p')
# Due in a week, so it is on every student's to-do list.
post /courses/bench/modules/assignments "_csrf=$csrf" "section_id=$section" "title=Essay on cells" \
  "instructions=<p>Two pages.</p>" "max_points=20" "accepts_text=true" \
  "due_at=$(date -u -d '+7 days' +%Y-%m-%dT%H:%M)"
assignment=$(grep -io 'location: /courses/bench/modules/[0-9]*' "$work/last.headers" | sed -n '1s|.*/||p')
for title in Quiz Lab; do
  post /courses/bench/grades/items "_csrf=$csrf" "title=$title" "max_points=10" "weight=1"
done

# Grades every student on every item through the grading forms, then releases them.
items=$(get /courses/bench/grades | grep -o '/courses/bench/grades/items/[0-9]*"' | tr -d '"' | sort -u)
for item in $items; do
  n=0
  for action in $(get "$item" | grep -o "$item/students/[0-9]*" | sort -u); do
    n=$((n + 1))
    post "$action" "_csrf=$csrf" "points=$((n % 10 + 1))" "feedback=Seen." "back=$item"
  done
  post "$item/release" "_csrf=$csrf" "back=$item"
done
enrolled=$(get /courses/bench/grades | grep -o '<th scope="row">' | wc -l)
echo "course 'bench': $enrolled students, $(echo "$items" | wc -w) graded items"
[ "$enrolled" -ge "$students" ] || { echo "error: expected $students students in the gradebook" >&2; exit 1; }

# One announcement to everyone: its notifications and (with mail configured) its mails are
# written in the posting's transaction; the time is the whole request.
announce_ms=$(curl -sS -o /dev/null -w '%{time_total}' -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" \
  --data-urlencode "title=Exam on Friday" --data-urlencode "body=Bring a **pencil**." "$base/courses/bench/announcements/new" |
  awk '{ printf "%.1f", $1 * 1000 }')
echo "announcement to $enrolled students posted in $announce_ms ms (request time)"

# A school's data has been vacuumed by autovacuum long before its busy minutes; rows seeded a
# moment ago have not, and PostgreSQL would still visit them behind every index-only scan.
[ "$engine" = SQLite ] || psql "$pg/$db" -qc "VACUUM (ANALYZE)" >/dev/null
cookie=$(awk '!/^# / && NF >= 7 && $6 != "paideia_flash" { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")
# The student's own session, for the notifications page.
teacher_jar=$jar
jar="$work/student-cookies.txt"
csrf=$(token /login)
post /login "_csrf=$csrf" "email=$student" "password=$password"
student_cookie=$(awk '!/^# / && NF >= 7 && $6 != "paideia_flash" { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")
get /notifications | grep -q 'Exam on Friday' || { echo "error: the student has no notification" >&2; exit 1; }
get / | grep -q 'Essay on cells' || { echo "error: the student's to-do has no assignment" >&2; exit 1; }
jar=$teacher_jar
[ -n "$assignment" ] || { echo "error: the assignment's id was not found" >&2; exit 1; }
get "/courses/bench/modules/$assignment/submissions" >/dev/null
# cpu_ticks: the server's user + system CPU time so far, in clock ticks. CPU per request is
# steadier than requests/s on a machine shared with other work (it leaves out the waiting);
# PostgreSQL's backends are not in it.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
tick_hz=$(getconf CLK_TCK)
# load PATH [COOKIE]: runs wrk (in the background, so a signal ends it at once) and sets
# rps, p99 (ms) and cpu (the server's CPU ms a request). Not in a subshell: the EXIT trap
# must see wrk_pid.
load() {
  local out before
  before=$(cpu_ticks)
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Cookie: ${2:-$cookie}" "$base$1" >"$work/wrk.out" &
  wrk_pid=$!
  if [ -n "${PAIDEIA_BENCH_PERF:-}" ]; then
    loaded=$((loaded + 1))
    perf record -q -F 999 -p "$server_pid" -o "$PAIDEIA_BENCH_PERF/$loaded.data" -- sleep "$((seconds - 1))" >/dev/null 2>&1 &
    perf_pid=$!
  fi
  wait "$wrk_pid"
  wrk_pid=""
  [ -z "$perf_pid" ] || wait "$perf_pid"
  perf_pid=""
  out=$(cat "$work/wrk.out")
  if grep -q 'Non-2xx' <<<"$out"; then echo "error: $1 answered errors under load" >&2; echo "$out" >&2; exit 1; fi
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  cpu=$(awk -v ticks="$(($(cpu_ticks) - before))" -v hz="$tick_hz" '/ requests in / { printf "%.2f", ticks * 1000 / hz / $1 }' <<<"$out")
  p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.1f", v }' <<<"$out")
}

loaded=0
perf_pid=""
echo "loading each page for ${seconds}s at $connections connections ..."
load /healthz; h_rps=$rps h_p99=$p99 h_cpu=$cpu
load /courses/bench; c_rps=$rps c_p99=$p99 c_cpu=$cpu
load /courses/bench/grades; g_rps=$rps g_p99=$p99 g_cpu=$cpu
load "/courses/bench/modules/$assignment/submissions"; s_rps=$rps s_p99=$p99 s_cpu=$cpu
load / "$student_cookie"; d_rps=$rps d_p99=$p99 d_cpu=$cpu
load /notifications "$student_cookie"; n_rps=$rps n_p99=$p99 n_cpu=$cpu
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

echo
echo "$("$bin" --version), $profile build, $engine; the course's teacher signed in (a student for home and notifications); $enrolled students; wrk $connections connections, ${seconds}s each"
row() { printf '  %-22s %12s %10s %18s %14s %14s\n' "$@"; }
row "" "requests/s" "p99 ms" "req/s vs healthz" "p99 vs healthz" "CPU ms/req"
row /healthz "$h_rps" "$h_p99" "" "" "$h_cpu"
row "course page" "$c_rps" "$c_p99" "$(ratio "$c_rps" "$h_rps")" "$(ratio "$c_p99" "$h_p99")" "$c_cpu"
row gradebook "$g_rps" "$g_p99" "$(ratio "$g_rps" "$h_rps")" "$(ratio "$g_p99" "$h_p99")" "$g_cpu"
row "grading table" "$s_rps" "$s_p99" "$(ratio "$s_rps" "$h_rps")" "$(ratio "$s_p99" "$h_p99")" "$s_cpu"
row "student home (to-do)" "$d_rps" "$d_p99" "$(ratio "$d_rps" "$h_rps")" "$(ratio "$d_p99" "$h_p99")" "$d_cpu"
row "notifications" "$n_rps" "$n_p99" "$(ratio "$n_rps" "$h_rps")" "$(ratio "$n_p99" "$h_p99")" "$n_cpu"
echo "announcement to $enrolled students: $announce_ms ms"
