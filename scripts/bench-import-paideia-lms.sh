#!/usr/bin/env bash
# Measures `paideia import paideia-lms`: wall time and peak memory (/usr/bin/time -v) of the
# import of the Paideia LMS 0.7.15 fixture, and of the fixture scaled to SUBMISSIONS
# assignment submissions (scripts/scale-paideia-lms-fixture.sh), into SQLite and PostgreSQL.
# Files come from the fixture's folder (--files).
#
#   scripts/bench-import-paideia-lms.sh [SUBMISSIONS]      (default 100000)
#
# Uses $PAIDEIA_BIN, else the debug build (cargo build). Needs a PostgreSQL server
# (PAIDEIA_BENCH_SERVER, default postgres://postgres@127.0.0.1:5432) and psql.
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-100000}
server=${PAIDEIA_BENCH_SERVER:-postgres://postgres@127.0.0.1:5432}
if [[ -z "${PAIDEIA_BIN:-}" ]]; then
  cargo build -q
  PAIDEIA_BIN="${CARGO_TARGET_DIR:-target}/debug/paideia"
fi
fixture=tests/fixtures/paideia-lms-0.7.15
work=$(mktemp -d /var/tmp/paideia-import-bench.XXXXXX)
suffix=$(date +%s)$$
dbs=()
cleanup() {
  for db in "${dbs[@]}"; do psql -q -X -d "$server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
new_db() { local name="paideia_ibench_${1}_$suffix"; dbs+=("$name"); psql -q -X -d "$server/postgres" -c "CREATE DATABASE $name" >/dev/null; echo "$server/$name"; }

source_db() { # restore the fixture into a new database; scale it when $2 is given
  local url; url=$(new_db "$1")
  grep -v '^\\\(un\)\?restrict' "$fixture/paideia-lms-0.7.15.sql" | psql -X -q -v ON_ERROR_STOP=1 -o /dev/null -d "$url"
  if [[ -n "${2:-}" ]]; then scripts/scale-paideia-lms-fixture.sh "$url" "$2" >&2; fi
  echo "$url"
}

measure() { # measure LABEL SOURCE_URL ENGINE
  local label=$1 from=$2 engine=$3 target dir
  dir="$work/$label-$engine"; mkdir -p "$dir"
  if [[ $engine == sqlite ]]; then target="sqlite://$dir/paideia.db"; else target=$(new_db "t_${label}_$engine"); fi
  /usr/bin/time -v "$PAIDEIA_BIN" --data-dir "$dir/data" --database-url "$target" \
    import paideia-lms --from "$from" --files "$fixture/s3" --json >"$dir/report.json" 2>"$dir/time.txt"
  local wall rss subs
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt")
  subs=$(grep -o '"submissions": [0-9]*' "$dir/report.json" | head -1 | grep -o '[0-9]*$')
  printf '%-10s %-9s submissions %7s  wall %8s  peak RSS %6d MiB\n' "$label" "$engine" "$subs" "$wall" $((rss / 1024))
}

small=$(source_db fixture)
big=$(source_db scaled "$want")
for engine in sqlite postgres; do
  measure fixture "$small" "$engine"
  measure scaled "$big" "$engine"
done
