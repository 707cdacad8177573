#!/usr/bin/env bash
# shellcheck disable=SC2154  # time_of sets the t_* variables with printf -v
# Benchmark: paideia dump / restore / verify-backup against pg_dump, psql, pg_restore and
# sqlite3 on the same data in the same run. Prints wall times and the ratios.
#
#   scripts/bench-dump.sh [SCALE]      (default 750: about a million rows)
#
# Needs a PostgreSQL server (PAIDEIA_BENCH_SERVER, default postgres://postgres@127.0.0.1:5432)
# and pg_dump, pg_restore, psql, sqlite3 on PATH. Builds the release binary first.
set -euo pipefail
cd "$(dirname "$0")/.."

scale=${1:-750}
server=${PAIDEIA_BENCH_SERVER:-postgres://postgres@127.0.0.1:5432}
target_dir=${CARGO_TARGET_DIR:-target}
cargo build --release --locked -q
bin="$target_dir/release/paideia"
work=$(mktemp -d /var/tmp/paideia-bench.XXXXXX)
suffix=$(date +%s)$$
db_src="paideia_bench_src_$suffix"
dbs=("$db_src")
cleanup() {
  for db in "${dbs[@]}"; do psql -q -X -d "$server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

new_db() { local name="paideia_bench_${1}_$suffix"; dbs+=("$name"); psql -q -X -d "$server/postgres" -c "CREATE DATABASE $name" >/dev/null; echo "$server/$name"; }
now() { date +%s.%N; }
# time_of VAR command...: runs the command, stores its wall time in seconds in VAR.
time_of() { local var=$1; shift; local t0; t0=$(now); "$@" >/dev/null 2>"$work/last.err" || { cat "$work/last.err" >&2; exit 1; }; printf -v "$var" '%.2f' "$(echo "$(now) - $t0" | bc -l)"; }
# best_of VAR OUTPUT command...: the better of two runs (the machine's noise is mostly
# one-sided), each started with OUTPUT removed ("-" for none) and the disk settled, so no run
# pays for flushing what an earlier one wrote (every tool here syncs its file at the end).
best_of() {
  local var=$1 output=$2; shift 2; local first second
  [ "$output" = - ] || rm -f "$output"; settle; time_of first "$@"
  [ "$output" = - ] || rm -f "$output"; settle; time_of second "$@"
  if (( $(echo "$first < $second" | bc -l) )); then printf -v "$var" '%s' "$first"; else printf -v "$var" '%s' "$second"; fi
}
# settle: written pages flushed, so the next timing does not pay for the previous step's writeback.
settle() { sync; sleep 2; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }
size() { du -m "$1" | cut -f1; }

psql -q -X -d "$server/postgres" -c "CREATE DATABASE $db_src" >/dev/null
src="$server/$db_src"
echo "seeding PostgreSQL at scale $scale ..."
time_of t_seed "$bin" --database-url "$src" seed --scale "$scale" -q
rows=$(psql -X -At -d "$src" -c "SELECT sum(n_live_tup) FROM pg_stat_user_tables")
bytes=$(psql -X -At -d "$src" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")
echo "seeded in ${t_seed}s: about $rows rows, database $bytes"
psql -q -X -d "$src" -c "VACUUM ANALYZE" >/dev/null
settle

best_of t_pd_plain "$work/pg.sql" pg_dump -Fp -f "$work/pg.sql" "$src"
settle; time_of t_pd_custom pg_dump -Fc -f "$work/pg.dump" "$src"
best_of t_dump_zst "$work/paideia.sql.zst" "$bin" --database-url "$src" dump -q -o "$work/paideia.sql.zst"
best_of t_dump_plain "$work/paideia.sql" "$bin" --database-url "$src" dump -q -o "$work/paideia.sql"
best_of t_verify_quick - "$bin" verify-backup --quick "$work/paideia.sql.zst"
best_of t_verify_quick_plain - "$bin" verify-backup --quick "$work/paideia.sql"

settle
r1=$(new_db psql); settle; time_of t_psql psql -X -q -v ON_ERROR_STOP=1 -d "$r1" -f "$work/pg.sql"
r2=$(new_db pgr); settle; time_of t_pg_restore pg_restore -j2 -d "$r2" "$work/pg.dump"
# paideia restore stores long texts with lz4; pg_restore with the same setting, for a fair row.
r5=$(new_db pgr_lz4); settle; time_of t_pg_restore_lz4 env PGOPTIONS="-c default_toast_compression=lz4" pg_restore -j2 -d "$r5" "$work/pg.dump"
r3=$(new_db paideia); settle; time_of t_restore "$bin" --database-url "$r3" restore -q "$work/paideia.sql.zst"
r4=$(new_db psql_paideia); settle; time_of t_psql_ours psql -X -q -v ON_ERROR_STOP=1 -d "$r4" -f "$work/paideia.sql"

echo "seeding SQLite at scale $scale ..."
"$bin" --data-dir "$work/lite" seed --scale "$scale" -q >/dev/null
sqlite3 "$work/lite/paideia.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
settle
best_of t_sqlite3 "$work/lite.sql" sh -c "sqlite3 '$work/lite/paideia.db' .dump > '$work/lite.sql'"
# paideia syncs its file before it renames it into place; so does this row.
best_of t_sqlite3_sync "$work/lite.sql" sh -c "sqlite3 '$work/lite/paideia.db' .dump > '$work/lite.sql' && sync '$work/lite.sql'"
best_of t_dump_lite "$work/lite-paideia.sql" "$bin" --data-dir "$work/lite" dump -q -o "$work/lite-paideia.sql"
best_of t_dump_lite_zst "$work/lite-paideia.sql.zst" "$bin" --data-dir "$work/lite" dump -q -o "$work/lite-paideia.sql.zst"

plain_mb=$(size "$work/paideia.sql")
cat <<REPORT

paideia $("$bin" --version) — scale $scale, about $rows rows
                                          seconds   size MB   ratio
PostgreSQL dump
  pg_dump -Fp                             $t_pd_plain   $(size "$work/pg.sql")
  pg_dump -Fc                             $t_pd_custom   $(size "$work/pg.dump")
  paideia dump (zstd, hashed)             $t_dump_zst   $(size "$work/paideia.sql.zst")   $(ratio "$t_dump_zst" "$t_pd_plain") x pg_dump -Fp, $(ratio "$t_dump_zst" "$t_pd_custom") x pg_dump -Fc
  paideia dump (plain, hashed)            $t_dump_plain   $plain_mb   $(ratio "$t_dump_plain" "$t_pd_plain") x pg_dump -Fp
PostgreSQL restore
  psql -f (pg_dump -Fp)                   $t_psql
  pg_restore -j2 (pg_dump -Fc)            $t_pg_restore
  pg_restore -j2, TOAST lz4               $t_pg_restore_lz4
  paideia restore (zstd)                  $t_restore             $(ratio "$t_restore" "$t_pg_restore") x pg_restore -j2, $(ratio "$t_restore" "$t_pg_restore_lz4") x the same with lz4, $(ratio "$t_restore" "$t_psql") x psql
  psql -f (paideia plain dump)            $t_psql_ours
verify-backup --quick
  zstd file                               $t_verify_quick             $(echo "scale=0; $plain_mb / $t_verify_quick" | bc -l) MB/s of SQL
  plain file                              $t_verify_quick_plain             $(echo "scale=0; $plain_mb / $t_verify_quick_plain" | bc -l) MB/s
SQLite dump
  sqlite3 .dump                           $t_sqlite3   $(size "$work/lite.sql")
  sqlite3 .dump, file synced              $t_sqlite3_sync
  paideia dump (plain, hashed)            $t_dump_lite   $(size "$work/lite-paideia.sql")   $(ratio "$t_dump_lite" "$t_sqlite3") x sqlite3, $(ratio "$t_dump_lite" "$t_sqlite3_sync") x synced
  paideia dump (zstd, hashed)             $t_dump_lite_zst   $(size "$work/lite-paideia.sql.zst")   $(ratio "$t_dump_lite_zst" "$t_sqlite3") x sqlite3, $(ratio "$t_dump_lite_zst" "$t_sqlite3_sync") x synced
REPORT
