#!/usr/bin/env bash
# Benchmark: outbox throughput to a local SMTP server. Migrates a SQLite site, writes N
# pending messages into its outbox in one transaction (as a large announcement would), starts
# the test SMTP server (tests/smtp_sink.py, Python's aiosmtpd, storing every message) and
# `paideia serve` with SMTP pointed at it, and times until every message is recorded sent and
# received. Prints messages/s.
#
#   scripts/bench-mail.sh [--debug] [MESSAGES]   (default 2000)
#
# --debug uses a debug build (quick to build, slow to run); otherwise the release build.
# Needs python3 with aiosmtpd and sqlite3 on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
if [ "${1:-}" = "--debug" ]; then profile=debug; shift; fi
messages=${1:-2000}
target_dir=${CARGO_TARGET_DIR:-target}
command -v sqlite3 >/dev/null || { echo "error: sqlite3 is not installed (apt-get install sqlite3)" >&2; exit 1; }
python3 -c 'import aiosmtpd' 2>/dev/null || { echo "error: aiosmtpd is missing (python3 -m pip install aiosmtpd)" >&2; exit 1; }
if [ "$profile" = release ]; then cargo build --release --locked -q; else cargo build --locked -q --bin paideia; fi
bin="$target_dir/$profile/paideia"

work=$(mktemp -d /var/tmp/paideia-bench-mail.XXXXXX)
server_pid=""
sink_pid=""
cleanup() {
  for pid in "$server_pid" "$sink_pid"; do
    [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
    [ -z "$pid" ] || wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

data="$work/data"
db="$data/paideia.db"
mkdir -p "$work/received"
"$bin" --data-dir "$data" migrate up >/dev/null 2>&1

# N pending rows, one transaction, each with its own Message-ID.
{
  echo "BEGIN;"
  echo "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $messages)
        INSERT INTO outbox (message_id, to_address, kind, subject, body_text, status,
                            created_at, next_attempt_at)
        SELECT '<bench-' || i || '@paideia.test>', 'student' || i || '@example.org',
               'announcement', 'Announcement ' || i,
               'Hello, this is announcement number ' || i || '.', 'pending',
               strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        FROM n;"
  echo "COMMIT;"
} | sqlite3 "$db"

python3 tests/smtp_sink.py "$work/received" > "$work/sink.out" &
sink_pid=$!
for _ in $(seq 100); do grep -q '^PORT ' "$work/sink.out" 2>/dev/null && break; sleep 0.05; done
port=$(sed -n 's/^PORT //p' "$work/sink.out")

start=$(date +%s.%N)
PAIDEIA_SMTP_HOST=127.0.0.1 PAIDEIA_SMTP_PORT="$port" PAIDEIA_SMTP_TLS=none \
  PAIDEIA_SMTP_FROM=bench@paideia.test PAIDEIA_LOG=warn \
  "$bin" --data-dir "$data" serve --bind 127.0.0.1:0 2>"$work/serve.log" &
server_pid=$!
while :; do
  sent=$(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE status = 'sent'")
  [ "$sent" -ge "$messages" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "error: serve stopped" >&2; cat "$work/serve.log" >&2; exit 1; }
  sleep 0.05
done
end=$(date +%s.%N)
received=$(find "$work/received" -name '*.eml' | wc -l)
seconds=$(echo "$end - $start" | bc -l)
printf 'profile %s: %d messages sent and recorded in %.2f s (including start-up): %.0f messages/s; the server received %d\n' \
  "$profile" "$messages" "$seconds" "$(echo "$messages / $seconds" | bc -l)" "$received"
