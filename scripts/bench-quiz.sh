#!/usr/bin/env bash
# Benchmark: the busiest minute of a term, a quiz start. On PostgreSQL, two instances behind
# nginx (the rolling-upgrade layout): STUDENTS students sign in and start the same timed quiz
# within WINDOW seconds, then each saves an answer every 2-5 s until the run's end and
# submits. Midway one instance is restarted (SIGTERM, then started again on its port) while
# nginx sends its requests to the other. Prints requests/s, p50/p99 of start and save,
# errors, peak server RSS and PostgreSQL connections, and checks that every answer a server
# acknowledged is stored and that no attempt's deadline moved.
#
#   scripts/bench-quiz.sh [--debug] [STUDENTS] [WINDOW] [SECONDS]   (defaults: 300, 60, 150)
#
# --debug uses a debug build (quick to build, slow to run); otherwise the release build.
# Needs nginx, psql, python3 and PostgreSQL on 127.0.0.1:5432 (PAIDEIA_BENCH_PG to change).
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
if [ "${1:-}" = "--debug" ]; then profile=debug; shift; fi
students=${1:-300}
window=${2:-60}
seconds=${3:-150}
pg="${PAIDEIA_BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
target_dir=${CARGO_TARGET_DIR:-target}
fail() {
  echo "error: $1" >&2
  [ -n "${2:-}" ] && echo "hint: $2" >&2
  exit 1
}
for tool in nginx psql python3 curl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed" "apt-get install nginx postgresql-client python3 curl"
done
if [ "$profile" = release ]; then cargo build --release --locked -q --bin paideia; else cargo build --locked -q --bin paideia; fi
bin="$(realpath "$target_dir/$profile/paideia")"

work=$(mktemp -d /var/tmp/paideia-bench-quiz.XXXXXX)
db="paideia_bench_quiz_$$"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# Ctrl-C and kill end the script through its EXIT trap, which stops what it started.
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
sql() { psql "$pg/$db" -qAt -c "$1"; }

psql "$pg/postgres" -qc "CREATE DATABASE $db" >/dev/null
export PAIDEIA_DATABASE_URL="$pg/$db"
password="bench-password-$$-$RANDOM"
admin=bench.admin@example.org
"$bin" --data-dir "$work/data-0" migrate up >/dev/null
printf '%s\n' "$password" | "$bin" --data-dir "$work/data-0" user create --email "$admin" \
  --name "Bench Admin" --role admin --password-stdin >/dev/null

# start NAME PORT: an instance on 127.0.0.1:PORT; sets $started_pid.
start() {
  local log="$work/$1.log"
  "$bin" --data-dir "$work/data-$1" serve --bind "127.0.0.1:$2" >/dev/null 2>>"$log" &
  started_pid=$!
  pids+=("$started_pid")
  for _ in $(seq 600); do
    [ "$(grep -c "listening on http://" "$log" 2>/dev/null)" -ge "${3:-1}" ] && return 0
    kill -0 "$started_pid" 2>/dev/null || { cat "$log" >&2; fail "instance $1 did not start"; }
    sleep 0.1
  done
  fail "instance $1 did not start within 60 s"
}
slot1="$(free_port)"
slot2="$(free_port)"
start 1 "$slot1"; pid1=$started_pid
start 2 "$slot2"; pid2=$started_pid
lb_port="$(free_port)"
mkdir -p "$work/nginx"
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  upstream paideia {
    server 127.0.0.1:$slot1 max_fails=0;
    server 127.0.0.1:$slot2 max_fails=0;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$lb_port;
    location / {
      proxy_pass http://paideia;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_next_upstream error timeout http_502 http_503;
      # Bodies (the students' CSV) stream to the instance: nginx's workers run as nobody and
      # cannot write a buffered body into this script's private temporary directory.
      proxy_request_buffering off;
      client_max_body_size 10m;
    }
  }
}
EOF
nginx -c "$work/nginx.conf" -g 'daemon off;' &
pids+=("$!")
base="http://127.0.0.1:$lb_port"
for _ in $(seq 100); do curl -fs -o /dev/null "$base/healthz" && break; sleep 0.1; done

echo "setting up $students students, a course and a timed quiz over HTTP ..."
minutes=$(((seconds + 59) / 60 + 1))
quiz=$(python3 scripts/bench_quiz_setup.py "$base" "$admin" "$password" "$students" "$minutes" "$work/students.txt")
[ -n "$quiz" ] || fail "the setup made no quiz"

# Peak RSS of the instances (the restarted one counted across both lives) and the most
# PostgreSQL connections, sampled every half second.
(
  peak=0 conns=0
  while :; do
    read -r -a instances <"$work/instances" 2>/dev/null || instances=()
    for pid in "${instances[@]}"; do
      rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ "${rss:-0}" -gt "$peak" ] && peak=$rss
    done
    c=$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db'" 2>/dev/null || echo 0)
    [ "${c:-0}" -gt "$conns" ] && conns=$c
    echo "$peak $conns" >"$work/peaks"
    sleep 0.5
  done
) &
pids+=("$!")
echo "$pid1 $pid2" >"$work/instances"

echo "load: $students students start within ${window}s, save every 2-5 s for ${seconds}s; instance 1 restarts at $((window / 2 + 5))s ..."
python3 scripts/bench_quiz_load.py "$base" "$quiz" "$work/students.txt" "$password" "$window" "$seconds" >"$work/report.json" &
load_pid=$!
pids+=("$load_pid")
sleep $((window / 2 + 5))
sql "SELECT id, ends_at FROM quiz_attempts ORDER BY id" >"$work/ends-before"
kill -TERM "$pid1"
wait "$pid1" || fail "instance 1 exited with status $? on SIGTERM" "see $work/1.log"
start 1 "$slot1" 2; pid1=$started_pid
echo "$pid1 $pid2" >"$work/instances"
echo "instance 1 restarted; $(wc -l <"$work/ends-before") attempts had started"
wait "$load_pid" || fail "the load driver failed"

sql "SELECT id, ends_at FROM quiz_attempts ORDER BY id" >"$work/ends-after"
moved=$(join -t'|' <(sort -t'|' -k1,1 "$work/ends-before") <(sort -t'|' -k1,1 "$work/ends-after") |
  awk -F'|' '$2 != $3' | wc -l)
sql "SELECT a.id || '|' || q.slot || '|' || coalesce(q.response, '') FROM quiz_attempts a
     JOIN quiz_attempt_questions q ON q.attempt_id = a.id" >"$work/stored"
read -r peak_kb max_conns <"$work/peaks"
python3 - "$work/report.json" "$work/stored" "$moved" "$peak_kb" "$max_conns" "$("$bin" --version)" "$profile" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
stored = {}
for line in open(sys.argv[2]):
    attempt, slot, response = line.rstrip("\n").split("|", 2)
    # A slot never answered has no response; one saved blank has no "value".
    stored[(attempt, slot)] = json.loads(response).get("value") if response else None
lost = 0
for path, answers in report["acked"].items():
    attempt = path.rstrip("/").rsplit("/", 1)[1]
    for slot, value in answers.items():
        if stored.get((attempt, slot)) != value:
            lost += 1
moved, peak_kb, conns, version, profile = sys.argv[3:8]
print()
print(f"{version}, {profile} build, PostgreSQL, two instances behind nginx, instance 1 restarted mid-run")
print(f"  students                 {report['students']} (all started: {report['starts'] == report['students']})")
print(f"  requests/s               {report['requests_per_s']} ({report['requests']} in {report['seconds']} s)")
print(f"  start p50 / p99 ms       {report['start_p50_ms']} / {report['start_p99_ms']} ({report['starts']} starts)")
print(f"  save p50 / p99 ms        {report['save_p50_ms']} / {report['save_p99_ms']} ({report['saves']} saves)")
print(f"  errors                   {report['errors']} {report['first_errors']}")
print(f"  peak RSS of an instance  {int(peak_kb) // 1024} MiB")
print(f"  PostgreSQL connections   {conns} at most")
print(f"  acknowledged answers lost {lost}; deadlines moved {moved}")
sys.exit(1 if lost or int(moved) or report["errors"] else 0)
EOF
