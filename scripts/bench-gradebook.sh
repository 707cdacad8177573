#!/usr/bin/env bash
# Benchmark: one large gradebook rendered on one core. A course of STUDENTS students and
# ITEMS gradebook items (an assignment and ITEMS-1 manual items, made through the real
# forms), every student graded on every item (written by one SQL statement: tens of
# thousands of form posts would take longer than the measurement), then the server pinned to
# one core (taskset) answers the teacher's gradebook over one connection (wrk -t1 -c1) for
# SECONDS; prints the mean, p50 and p99 request time, and the server's CPU time per request
# (from /proc: on a machine shared with other work the wall times include waiting for the
# core, the CPU time does not), beside the same for /healthz, the CSV export and the
# assignment's grading table.
#
#   scripts/bench-gradebook.sh [--debug] [--postgres] [STUDENTS] [ITEMS] [SECONDS]   (defaults: 1000, 40, 10)
#
# --debug uses a debug build; PAIDEIA_BENCH_BIN=PATH runs that binary instead of building one.
# Needs wrk, curl, jq, taskset and sqlite3 (psql with --postgres). Everything it starts is
# stopped (and its database dropped) on exit, on failure and on Ctrl-C.
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
students=${1:-1000}
items=${2:-40}
seconds=${3:-10}
target_dir=${CARGO_TARGET_DIR:-target}
pg=${PAIDEIA_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
tools="wrk curl jq taskset sqlite3"
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

work=$(mktemp -d /var/tmp/paideia-bench-gradebook.XXXXXX)
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
trap 'exit 130' INT
trap 'exit 143' TERM
fail() { echo "error: $*" >&2; exit 1; }

data="$work/data"
password="bench-password-$$-$RANDOM"
teacher=bench.teacher@example.org
database=()
if [ "$engine" = PostgreSQL ]; then
  db="paideia_bench_gradebook_$$"
  psql "$pg/postgres" -qc "CREATE DATABASE $db" >/dev/null
  database=(--database-url "$pg/$db")
fi
paideia() { "$bin" --data-dir "$data" "${database[@]}" "$@"; }
# sql STATEMENT: runs one statement on the site's database.
sql() {
  if [ -n "$db" ]; then psql -q -v ON_ERROR_STOP=1 "$pg/$db" -c "$1" >/dev/null; else sqlite3 "$data/paideia.db" "$1"; fi
}

echo "seeding ..."
paideia seed --scale $(((students + 99) / 100)) -q >/dev/null
printf '%s\n' "$password" | paideia user create --email "$teacher" --name "Bench Teacher" --role instructor --password-stdin >/dev/null
[ -n "$db" ] || [ -f "$data/paideia.db" ] || fail "no SQLite database at $data/paideia.db"

# The server on one core: the measurement is one request's time, not the machine's.
taskset -c 0 "$bin" --data-dir "$data" "${database[@]}" serve --bind 127.0.0.1:0 >/dev/null 2>"$work/serve.log" &
server_pid=$!
addr=""
for _ in $(seq 1 300); do
  addr=$(grep -o 'listening on http://[0-9.:]*' "$work/serve.log" | sed -n '1s|listening on http://||p') || true
  [ -n "$addr" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$addr" ] || fail "the server did not start"
base="http://$addr"

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

echo "setting up the course over HTTP ..."
csrf=$(token /login)
post /login "_csrf=$csrf" "email=$teacher" "password=$password"
csrf=$(token /courses/new)
post /courses/new "_csrf=$csrf" "title=Big Biology" "slug=big" "description=A large class." "status=published"
{
  echo "email,role"
  paideia --json user list | jq -r --argjson n "$students" '[.[].email | select(startswith("student"))][:$n][] + ",student"'
} >"$work/roster.csv"
curl -sS -f -o /dev/null -b "$jar" -c "$jar" -F "_csrf=$csrf" -F "file=@$work/roster.csv;type=text/csv" "$base/courses/big/people/csv"
section=$(get /courses/big | grep -o 'kind=assignment&amp;section=[0-9]*' | sed -n '1s/.*=//p')
post /courses/big/modules/assignments "_csrf=$csrf" "section_id=$section" "title=Essay" \
  "instructions=<p>Two pages.</p>" "max_points=10" "accepts_text=true"
assignment=$(grep -io 'location: /courses/big/modules/[0-9]*' "$work/last.headers" | sed -n '1s|.*/||p')
[ -n "$assignment" ] || fail "the assignment's id was not found"
for i in $(seq 2 "$items"); do
  post /courses/big/grades/items "_csrf=$csrf" "title=Week $i" "max_points=10" "weight=1"
done
# Every student graded on every item and released, as the grading forms leave them: points
# 1 to 10, a line of feedback, who graded and when (stored as each engine stores times).
if [ -n "$db" ]; then now="now()"; else now="strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"; fi
sql "INSERT INTO grades (item_id, student_id, points, feedback, graded_by, graded_at, released_at)
     SELECT gradebook_items.id, enrollments.user_id, (gradebook_items.id + enrollments.user_id) % 10 + 1,
            'Well argued; see the margin notes.', (SELECT id FROM users WHERE email = '$teacher'), $now, $now
     FROM gradebook_items JOIN courses ON courses.id = gradebook_items.course_id
     JOIN enrollments ON enrollments.course_id = courses.id AND enrollments.role = 'student'
     WHERE courses.slug = 'big'"
page=$(get /courses/big/grades)
rows=$(grep -o '<th scope="row">' <<<"$page" | wc -l)
[ "$rows" -ge "$students" ] || fail "expected $students students in the gradebook, found $rows"
echo "gradebook: $rows students x $items items, $(printf '%s' "$page" | wc -c) bytes of HTML"

cookie=$(awk '!/^# / && NF >= 7 && $6 != "paideia_flash" { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")
# cpu_ticks: the server's user + system CPU time so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
tick_hz=$(getconf CLK_TCK)
# time_path PATH: one connection for $seconds; sets result to "mean p50 p99 requests/s
# cpu-ms-per-request". Not in a subshell, so the EXIT trap sees wrk_pid.
time_path() {
  local before
  before=$(cpu_ticks)
  wrk -t1 -c1 -d"${seconds}s" --latency -H "Cookie: $cookie" "$base$1" >"$work/wrk.out" &
  wrk_pid=$!
  wait "$wrk_pid"
  wrk_pid=""
  grep -q 'Non-2xx' "$work/wrk.out" && { cat "$work/wrk.out" >&2; fail "$1 answered errors"; }
  result=$(awk '
    function ms(v) { if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 } if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 } sub(/s$/, "", v); return v * 1000 }
    $1 == "Latency" && !mean { mean = ms($2) }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    $1 == "Requests/sec:" { rps = $2 }
    / requests in / { n = $1 }
    END { printf "%.1f %.1f %.1f %.1f %.1f\n", mean, p50, p99, rps, ticks * 1000 / hz / n }' \
    ticks=$(($(cpu_ticks) - before)) hz="$tick_hz" "$work/wrk.out")
}
echo "timing each URL for ${seconds}s over one connection, server on one core ..."
time_path /healthz; read -r h_mean h_p50 h_p99 h_rps h_cpu <<<"$result"
time_path /courses/big/grades; read -r g_mean g_p50 g_p99 g_rps g_cpu <<<"$result"
time_path /courses/big/grades.csv; read -r c_mean c_p50 c_p99 c_rps c_cpu <<<"$result"
time_path "/courses/big/modules/$assignment/submissions"; read -r s_mean s_p50 s_p99 s_rps s_cpu <<<"$result"

echo
echo "$("$bin" --version), $profile build, $engine; server pinned to CPU 0 (taskset), wrk -t1 -c1 ${seconds}s"
row() { printf '  %-34s %10s %10s %10s %12s %14s\n' "$@"; }
row "" "mean ms" "p50 ms" "p99 ms" "requests/s" "CPU ms/request"
row /healthz "$h_mean" "$h_p50" "$h_p99" "$h_rps" "$h_cpu"
row "gradebook ($rows x $items)" "$g_mean" "$g_p50" "$g_p99" "$g_rps" "$g_cpu"
row "gradebook CSV export" "$c_mean" "$c_p50" "$c_p99" "$c_rps" "$c_cpu"
row "grading table (one item)" "$s_mean" "$s_p50" "$s_p99" "$s_rps" "$s_cpu"
