#!/usr/bin/env bash
# Benchmark: the LMS pages under load. Seeds a SQLite site, puts a few hundred students in
# one course with an assignment and graded gradebook items (through the real HTTP forms),
# posts an announcement to all of them (timed: the fan-out of notifications and mails), then
# loads the course page, the gradebook, a student's notifications page and /healthz with wrk
# at 64 connections and prints requests/s and p99 latency for each, with the ratios to /healthz.
#
#   scripts/bench-lms.sh [--debug] [STUDENTS] [SECONDS]   (defaults: 300 students, 15 s)
#
# --debug uses a debug build (quick to build, slow to run); otherwise the release build.
# Needs wrk, curl and jq on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
if [ "${1:-}" = "--debug" ]; then profile=debug; shift; fi
students=${1:-300}
seconds=${2:-15}
connections=64
target_dir=${CARGO_TARGET_DIR:-target}
for tool in wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install $tool)" >&2; exit 1; }
done
if [ "$profile" = release ]; then cargo build --release --locked -q; else cargo build --locked -q --bin paideia; fi
bin="$target_dir/$profile/paideia"

work=$(mktemp -d /var/tmp/paideia-bench-lms.XXXXXX)
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  [ -z "$server_pid" ] || wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# Ctrl-C and kill end the script through its EXIT trap, which stops the server it started.
trap 'exit 130' INT
trap 'exit 143' TERM

data="$work/data"
password="bench-password-$$-$RANDOM"
teacher=bench.teacher@example.org
student=bench.student@example.org
paideia() { "$bin" --data-dir "$data" "$@"; }

# Seeds whole schools (100 students each) and takes the first $students of them.
echo "seeding ..."
paideia seed --scale $(((students + 99) / 100)) -q >/dev/null
printf '%s\n' "$password" | paideia user create --email "$teacher" --name "Bench Teacher" --role instructor --password-stdin >/dev/null
printf '%s\n' "$password" | paideia user create --email "$student" --name "Bench Student" --role student --password-stdin >/dev/null

# The binary itself, not the `paideia` function: `$!` of a backgrounded function is the
# subshell's pid, and killing it left the server running.
"$bin" --data-dir "$data" serve --bind 127.0.0.1:0 >/dev/null 2>"$work/serve.log" &
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
  status=$(curl -sS -o "$work/last.html" -w '%{http_code}' -b "$jar" -c "$jar" "${args[@]}" "$base$path")
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
post /courses/bench/modules/assignments "_csrf=$csrf" "section_id=$section" "title=Essay on cells" \
  "instructions=<p>Two pages.</p>" "max_points=20" "accepts_text=true"
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

cookie=$(awk '!/^# / && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")
# The student's own session, for the notifications page.
teacher_jar=$jar
jar="$work/student-cookies.txt"
csrf=$(token /login)
post /login "_csrf=$csrf" "email=$student" "password=$password"
student_cookie=$(awk '!/^# / && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")
get /notifications | grep -q 'Exam on Friday' || { echo "error: the student has no notification" >&2; exit 1; }
jar=$teacher_jar
# load NAME PATH: runs wrk and prints "NAME requests/s p99-ms".
load() {
  local out rps p99
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Cookie: ${3:-$cookie}" "$base$2")
  if grep -q 'Non-2xx' <<<"$out"; then echo "error: $2 answered errors under load" >&2; echo "$out" >&2; exit 1; fi
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.1f", v }' <<<"$out")
  echo "$1 $rps $p99"
}

echo "loading each page for ${seconds}s at $connections connections ..."
result=$(load healthz /healthz); read -r _ h_rps h_p99 <<<"$result"
result=$(load course /courses/bench); read -r _ c_rps c_p99 <<<"$result"
result=$(load gradebook /courses/bench/grades); read -r _ g_rps g_p99 <<<"$result"
result=$(load notifications /notifications "$student_cookie"); read -r _ n_rps n_p99 <<<"$result"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

echo
echo "$("$bin" --version), $profile build, SQLite; the course's teacher signed in; $enrolled students; wrk $connections connections, ${seconds}s each"
row() { printf '  %-22s %12s %10s %18s %14s\n' "$@"; }
row "" "requests/s" "p99 ms" "req/s vs healthz" "p99 vs healthz"
row /healthz "$h_rps" "$h_p99" "" ""
row "course page" "$c_rps" "$c_p99" "$(ratio "$c_rps" "$h_rps")" "$(ratio "$c_p99" "$h_p99")"
row gradebook "$g_rps" "$g_p99" "$(ratio "$g_rps" "$h_rps")" "$(ratio "$g_p99" "$h_p99")"
row "notifications" "$n_rps" "$n_p99" "$(ratio "$n_rps" "$h_rps")" "$(ratio "$n_p99" "$h_p99")"
echo "announcement to $enrolled students: $announce_ms ms"
