#!/usr/bin/env bash
# A rolling upgrade under load, end to end: PostgreSQL, the S3 test server, and nginx in front
# of two instances of version A under constant load from wrk; the instances are replaced one
# by one with version B, which brings an expand migration. Prints requests sent, failed
# requests and p99 latency before and during the switch; exits non-zero on any failed request.
#
# Version A is the previous release (the newest git tag, or PAIDEIA_ROLLING_FROM=REF), or this
# tree when there is none; version B is this tree with one more expand migration and the next
# patch version. All are debug builds in the same target directory as the tests.
#
# Usage: scripts/rolling-upgrade.sh [SECONDS_OF_BASELINE_LOAD]   (default 10)
# Needs: nginx, wrk, psql, and PostgreSQL on 127.0.0.1:5432 (PAIDEIA_ROLLING_PG to change).
set -euo pipefail
cd "$(dirname "$0")/.."

baseline="${1:-10}"
pg="${PAIDEIA_ROLLING_PG:-postgres://postgres@127.0.0.1:5432}"
target="${CARGO_TARGET_DIR:-target}"
path="${PAIDEIA_ROLLING_PATH:-/login}"

fail() {
  echo "error: $1" >&2
  [ -n "${2:-}" ] && echo "hint: $2" >&2
  exit 1
}
for tool in nginx wrk psql python3; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed" "apt-get install nginx wrk postgresql-client"
done

work="$(mktemp -d /tmp/paideia-rolling.XXXXXX)"
db="paideia_rolling_$$"
server_pids=()
cleanup() {
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  exec 7>&- 2>/dev/null || true
  wait 2>/dev/null || true
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

abs_target="$(realpath "$target")"
previous="${PAIDEIA_ROLLING_FROM:-$(git describe --tags --abbrev=0 2>/dev/null || true)}"
echo "==> building version A (${previous:-this tree}) and version B (this tree plus an expand migration)"
cargo build --locked -q --bin paideia --example s3_test_server
cp "$target/debug/paideia" "$work/paideia-a"
if [ -n "$previous" ] && [ "$(git rev-parse "$previous^{commit}")" = "$(git rev-parse HEAD)" ] \
  && git diff --quiet HEAD -- Cargo.toml Cargo.lock build.rs src migrations; then
  # The tag is this very commit (a release just cut): this tree's binary is version A, and
  # version B below is the next patch.
  echo "==> $previous is this commit: version A is this tree's build"
elif [ -n "$previous" ]; then
  # The previous release against a database the new one migrated: the compatibility promise.
  git worktree add -q --detach "$work/a-src" "$previous"
  (cd "$work/a-src" && cargo build --locked -q --bin paideia --target-dir "$abs_target")
  cp "$target/debug/paideia" "$work/paideia-a"
  git worktree remove --force "$work/a-src"
fi
cp "$target/debug/examples/s3_test_server" "$work/s3-test-server"
version_a="$("$work/paideia-a" --version --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')"
version_b="$(python3 -c 'import sys; a, b, c = sys.argv[1].split("-")[0].split("."); print(f"{a}.{b}.{int(c) + 1}")' "$version_a")"
mkdir "$work/b-src"
cp -r Cargo.toml Cargo.lock build.rs src migrations "$work/b-src/"
for engine in postgres sqlite; do
  printf -- '-- paideia: kind=expand transaction=true\n-- Added by scripts/rolling-upgrade.sh: version B brings an expand migration.\nALTER TABLE users ADD COLUMN rolling_probe TEXT;\n' \
    > "$work/b-src/migrations/$engine/9001_rolling_probe.sql"
done
(cd "$work/b-src" && PAIDEIA_BUILD_VERSION="$version_b" cargo build --locked -q --bin paideia --target-dir "$abs_target")
cp "$target/debug/paideia" "$work/paideia-b"
# Put this tree's binary back where the tests expect it.
cargo build --locked -q --bin paideia
"$work/paideia-b" --version | grep -q "$version_b" || fail "version B does not report $version_b"

echo "==> PostgreSQL database $db, S3 test server, nginx"
psql "$pg/postgres" -qc "CREATE DATABASE $db" >/dev/null
mkfifo "$work/s3-stdin"
"$work/s3-test-server" <"$work/s3-stdin" >"$work/s3.env" &
exec 7>"$work/s3-stdin"
for _ in $(seq 100); do [ -s "$work/s3.env" ] && grep -q SECRET "$work/s3.env" && break; sleep 0.1; done
set -a
# shellcheck disable=SC1091
. "$work/s3.env"
set +a
export PAIDEIA_DATABASE_URL="$pg/$db"

# start NAME BINARY PORT: starts an instance on 127.0.0.1:PORT; sets $started_pid.
start() {
  local log="$work/$1.log"
  PAIDEIA_DATA_DIR="$work/data-$1" "$2" serve --bind "127.0.0.1:$3" >/dev/null 2>"$log" &
  started_pid=$!
  server_pids+=("$started_pid")
  for _ in $(seq 600); do
    grep -qs "listening on http://" "$log" && return 0
    kill -0 "$started_pid" 2>/dev/null || { cat "$log" >&2; fail "instance $1 did not start"; }
    sleep 0.1
  done
  fail "instance $1 did not start within 60 s"
}

# stop NAME PID: SIGTERM, as systemd stops a unit, and wait for a clean exit.
stop() {
  kill -TERM "$2"
  wait "$2" || fail "instance $1 exited with status $? on SIGTERM" "see its log"
}

# Two slots behind nginx. Replacing an instance stops it and starts the next version on the
# same port; meanwhile nginx sends every request to the other slot (proxy_next_upstream).
slot1="$(free_port)"
slot2="$(free_port)"
start a1 "$work/paideia-a" "$slot1"; a1_pid=$started_pid
start a2 "$work/paideia-a" "$slot2"; a2_pid=$started_pid
lb_port="$(free_port)"
mkdir -p "$work/nginx"
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
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
    keepalive 32;
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
    }
  }
}
EOF
nginx -c "$work/nginx.conf" -g 'daemon off;' &
server_pids+=("$!")
url="http://127.0.0.1:$lb_port$path"
for _ in $(seq 100); do curl -fs -o /dev/null "$url" && break; sleep 0.1; done
curl -fs -o /dev/null "$url" || fail "nginx does not answer on $url"

# load SECONDS OUT: constant load through nginx; wrk's report goes to OUT.
load() { wrk -t2 -c32 -d"$1s" --latency "$url" >"$2"; }

# summary LABEL FILE: one line from a wrk report; prints the failed count last.
summary() {
  python3 - "$1" "$2" <<'PY'
import re, sys
label, text = sys.argv[1], open(sys.argv[2]).read()
sent = int(re.search(r"(\d+) requests in", text).group(1))
socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
failed = sum(map(int, socket.groups())) if socket else 0
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
failed += int(non2xx.group(1)) if non2xx else 0
p99 = re.search(r"99%\s+(\S+)", text).group(1)
print(f"{label}: {sent} requests sent, {failed} failed, p99 latency {p99}")
PY
}

echo "==> baseline: ${baseline}s of load on two instances of $version_a"
load "$baseline" "$work/before.txt"
summary "before the switch" "$work/before.txt"

switch_seconds=$((baseline * 4 > 40 ? baseline * 4 : 40))
echo "==> rolling switch to $version_b under ${switch_seconds}s of load"
load "$switch_seconds" "$work/during.txt" &
wrk_pid=$!
sleep 3
stop a1 "$a1_pid"
start b1 "$work/paideia-b" "$slot1"; b1_pid=$started_pid
sleep 3
stop a2 "$a2_pid"
start b2 "$work/paideia-b" "$slot2"; b2_pid=$started_pid
sleep 3
kill -0 "$wrk_pid" 2>/dev/null || fail "the load ended before the switch did" "run with more seconds of load"
wait "$wrk_pid"
summary "during the switch" "$work/during.txt"

applied="$(psql "$pg/$db" -Atc "SELECT count(*) FROM paideia_migrations WHERE id = 9001")"
[ "$applied" = 1 ] || fail "version B's expand migration was not applied"
curl -fs "http://127.0.0.1:$slot1/healthz" | grep -q "\"$version_b\"" || fail "the new instances do not report $version_b"
for pid in "$b1_pid" "$b2_pid"; do kill -0 "$pid" || fail "a version B instance died"; done

failed_before="$(summary x "$work/before.txt" | sed 's/.*, \([0-9]*\) failed.*/\1/')"
failed_during="$(summary x "$work/during.txt" | sed 's/.*, \([0-9]*\) failed.*/\1/')"
if [ "$failed_before" != 0 ] || [ "$failed_during" != 0 ]; then
  cat "$work/during.txt" >&2
  tail -n 20 "$work/nginx-error.log" >&2
  fail "requests failed during the rolling upgrade ($failed_before before, $failed_during during)" \
    "the wrk report and nginx's errors are above"
fi
echo "rolling upgrade $version_a -> $version_b: no failed request"
