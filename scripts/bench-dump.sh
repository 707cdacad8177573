#!/usr/bin/env bash
# shellcheck disable=SC2154  # time_of sets the t_* and rss_* variables with printf -v
# Benchmark: paideia dump / restore / verify-backup against pg_dump, psql, pg_restore and
# sqlite3 on the same data in the same run. Prints wall times, peak RSS and the ratios.
#
#   scripts/bench-dump.sh [SCALE] [--big [BIG_SCALE]]
#
# SCALE defaults to 750 (about a million rows at 1000). --big (or PAIDEIA_BENCH_BIG=BIG_SCALE)
# then seeds a second PostgreSQL database at BIG_SCALE (default 10000: about ten million rows;
# `paideia seed` loads PostgreSQL with COPY) and times the dumps there once each, so the
# peak RSS of `paideia dump` can be compared across sizes in one run.
#
# Needs a PostgreSQL server (PAIDEIA_BENCH_SERVER, default postgres://postgres@127.0.0.1:5432)
# and pg_dump, pg_restore, psql, sqlite3, zstd and GNU time (/usr/bin/time) on PATH. Builds
# the release binary first. Every command it runs is in a process group of its own, stopped
# with the databases and files it made on exit, on failure and on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

scale=750
big=${PAIDEIA_BENCH_BIG:-}
while [ $# -gt 0 ]; do
  case $1 in
    --big) if [[ ${2:-} =~ ^[0-9]+$ ]]; then big=$2; shift; else big=10000; fi ;;
    [0-9]*) scale=$1 ;;
    *) echo "usage: $0 [SCALE] [--big [BIG_SCALE]]" >&2; exit 2 ;;
  esac
  shift
done
server=${PAIDEIA_BENCH_SERVER:-postgres://postgres@127.0.0.1:5432}
target_dir=${CARGO_TARGET_DIR:-target}
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }
cargo build --release --locked -q
bin="$target_dir/release/paideia"
work=$(mktemp -d /var/tmp/paideia-bench.XXXXXX)
suffix=$(date +%s)$$
db_src="paideia_bench_src_$suffix"
dbs=()
child=
# The running command's process group (each command is started as its own group leader, so
# a pipeline under `sh -c` and GNU time's child go with it).
stop_child() {
  if [ -n "$child" ]; then
    kill -TERM -- "-$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
    child=
  fi
}
cleanup() {
  trap - EXIT INT TERM
  stop_child
  for db in "${dbs[@]}"; do psql -q -X -d "$server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; cleanup; exit 130' INT TERM

# run command...: runs it as its own process group and waits (a trapped signal interrupts
# the wait, and the cleanup stops the group).
run() {
  setsid "$@" &
  child=$!
  local status=0
  wait "$child" || status=$?
  child=
  return "$status"
}
# new_db VAR LABEL: a new empty database, its URL in VAR (not echoed: a command substitution
# would add the name to a subshell's copy of dbs, and the cleanup would miss it).
new_db() { local name="paideia_bench_${2}_$suffix"; dbs+=("$name"); run psql -q -X -d "$server/postgres" -c "CREATE DATABASE $name" >/dev/null; printf -v "$1" '%s' "$server/$name"; }
now() { date +%s.%N; }
# time_of VAR command...: runs the command, stores its wall time in seconds in VAR and its
# peak RSS in MB (GNU time's maximum resident set size) in rss_VAR.
time_of() {
  local var=$1; shift; local t0 kb
  t0=$(now)
  run /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>"$work/last.err" || { cat "$work/last.err" >&2; exit 1; }
  printf -v "$var" '%.2f' "$(echo "$(now) - $t0" | bc -l)"
  kb=$(tail -n 1 "$work/rss")
  printf -v "rss_$var" '%d' "$(( (kb + 512) / 1024 ))"
}
# best_of VAR OUTPUT command...: the better of two runs (the machine's noise is mostly
# one-sided), each started with OUTPUT removed ("-" for none) and the disk settled, so no run
# pays for flushing what an earlier one wrote (every tool here syncs its file at the end).
# rss_VAR is the larger peak RSS of the two.
best_of() {
  local var=$1 output=$2; shift 2; local first second
  [ "$output" = - ] || rm -f "$output"; settle; time_of first "$@"
  [ "$output" = - ] || rm -f "$output"; settle; time_of second "$@"
  if (( $(echo "$first < $second" | bc -l) )); then printf -v "$var" '%s' "$first"; else printf -v "$var" '%s' "$second"; fi
  printf -v "rss_$var" '%s' "$(( rss_first > rss_second ? rss_first : rss_second ))"
}
# settle: written pages flushed, so the next timing does not pay for the previous step's writeback.
settle() { sync; sleep 2; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }
size() { du -m "$1" | cut -f1; }
# seed VAR SCALE: a new PostgreSQL database seeded at SCALE and vacuumed; its URL in VAR,
# seed time in t_VAR, rows in rows_VAR.
seed_postgres() {
  local var=$1 at=$2 url
  dbs+=("${db_src}_$var")
  run psql -q -X -d "$server/postgres" -c "CREATE DATABASE ${db_src}_$var" >/dev/null
  url="$server/${db_src}_$var"
  echo "seeding PostgreSQL at scale $at ..."
  time_of "t_$var" "$bin" --database-url "$url" seed --scale "$at" -q
  printf -v "rows_$var" '%s' "$(psql -X -At -d "$url" -c "SELECT sum(n_live_tup) FROM pg_stat_user_tables")"
  local seeded="t_$var" rows="rows_$var"
  echo "seeded in ${!seeded}s: about ${!rows} rows, database $(psql -X -At -d "$url" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
  run psql -q -X -d "$url" -c "VACUUM ANALYZE" >/dev/null
  printf -v "$var" '%s' "$url"
}

seed_postgres src "$scale"
rows=$rows_src
settle

best_of t_pd_plain "$work/pg.sql" pg_dump -Fp -f "$work/pg.sql" "$src"
best_of t_pd_zstd "$work/pg.sql.zst" bash -c "set -o pipefail; pg_dump -Fp '$src' | zstd -q -1 -T2 -o '$work/pg.sql.zst' && sync '$work/pg.sql.zst'"
settle; time_of t_pd_custom pg_dump -Fc -f "$work/pg.dump" "$src"
best_of t_dump_zst "$work/paideia.sql.zst" "$bin" --database-url "$src" dump -q -o "$work/paideia.sql.zst"
best_of t_dump_plain "$work/paideia.sql" "$bin" --database-url "$src" dump -q -o "$work/paideia.sql"
best_of t_verify_quick - "$bin" verify-backup --quick "$work/paideia.sql.zst"
best_of t_verify_quick_plain - "$bin" verify-backup --quick "$work/paideia.sql"

settle
new_db r1 psql; settle; time_of t_psql psql -X -q -v ON_ERROR_STOP=1 -d "$r1" -f "$work/pg.sql"
new_db r2 pgr; settle; time_of t_pg_restore pg_restore -j2 -d "$r2" "$work/pg.dump"
# paideia restore stores long texts with lz4; pg_restore with the same setting, for a fair row.
new_db r5 pgr_lz4; settle; time_of t_pg_restore_lz4 env PGOPTIONS="-c default_toast_compression=lz4" pg_restore -j2 -d "$r5" "$work/pg.dump"
new_db r3 paideia; settle; time_of t_restore "$bin" --database-url "$r3" restore -q "$work/paideia.sql.zst"
new_db r4 psql_paideia; settle; time_of t_psql_ours psql -X -q -v ON_ERROR_STOP=1 -d "$r4" -f "$work/paideia.sql"

echo "seeding SQLite at scale $scale ..."
run "$bin" --data-dir "$work/lite" seed --scale "$scale" -q >/dev/null
run sqlite3 "$work/lite/paideia.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
settle
best_of t_sqlite3 "$work/lite.sql" sh -c "sqlite3 '$work/lite/paideia.db' .dump > '$work/lite.sql'"
# paideia syncs its file before it renames it into place; so does this row.
best_of t_sqlite3_sync "$work/lite.sql" sh -c "sqlite3 '$work/lite/paideia.db' .dump > '$work/lite.sql' && sync '$work/lite.sql'"
best_of t_dump_lite "$work/lite-paideia.sql" "$bin" --data-dir "$work/lite" dump -q -o "$work/lite-paideia.sql"
best_of t_dump_lite_zst "$work/lite-paideia.sql.zst" "$bin" --data-dir "$work/lite" dump -q -o "$work/lite-paideia.sql.zst"

plain_mb=$(size "$work/paideia.sql")
cat <<REPORT

paideia $("$bin" --version) — scale $scale, about $rows rows
                                          seconds   size MB   peak RSS MB   ratio
PostgreSQL dump
  pg_dump -Fp                             $t_pd_plain   $(size "$work/pg.sql")   $rss_t_pd_plain
  pg_dump -Fp | zstd -1 -T2               $t_pd_zstd   $(size "$work/pg.sql.zst")
  pg_dump -Fc                             $t_pd_custom   $(size "$work/pg.dump")   $rss_t_pd_custom
  paideia dump (zstd, hashed)             $t_dump_zst   $(size "$work/paideia.sql.zst")   $rss_t_dump_zst   $(ratio "$t_dump_zst" "$t_pd_plain") x pg_dump -Fp, $(ratio "$t_dump_zst" "$t_pd_zstd") x pg_dump | zstd, $(ratio "$t_dump_zst" "$t_pd_custom") x pg_dump -Fc
  paideia dump (plain, hashed)            $t_dump_plain   $plain_mb   $rss_t_dump_plain   $(ratio "$t_dump_plain" "$t_pd_plain") x pg_dump -Fp
PostgreSQL restore
  psql -f (pg_dump -Fp)                   $t_psql
  pg_restore -j2 (pg_dump -Fc)            $t_pg_restore
  pg_restore -j2, TOAST lz4               $t_pg_restore_lz4
  paideia restore (zstd)                  $t_restore             $rss_t_restore   $(ratio "$t_restore" "$t_pg_restore") x pg_restore -j2, $(ratio "$t_restore" "$t_pg_restore_lz4") x the same with lz4, $(ratio "$t_restore" "$t_psql") x psql
  psql -f (paideia plain dump)            $t_psql_ours
verify-backup --quick
  zstd file                               $t_verify_quick             $rss_t_verify_quick   $(echo "scale=0; $plain_mb / $t_verify_quick" | bc -l) MB/s of SQL
  plain file                              $t_verify_quick_plain             $rss_t_verify_quick_plain   $(echo "scale=0; $plain_mb / $t_verify_quick_plain" | bc -l) MB/s
SQLite dump
  sqlite3 .dump                           $t_sqlite3   $(size "$work/lite.sql")
  sqlite3 .dump, file synced              $t_sqlite3_sync
  paideia dump (plain, hashed)            $t_dump_lite   $(size "$work/lite-paideia.sql")   $rss_t_dump_lite   $(ratio "$t_dump_lite" "$t_sqlite3") x sqlite3, $(ratio "$t_dump_lite" "$t_sqlite3_sync") x synced
  paideia dump (zstd, hashed)             $t_dump_lite_zst   $(size "$work/lite-paideia.sql.zst")   $rss_t_dump_lite_zst   $(ratio "$t_dump_lite_zst" "$t_sqlite3") x sqlite3, $(ratio "$t_dump_lite_zst" "$t_sqlite3_sync") x synced
REPORT

[ -n "$big" ] || exit 0
# The big database: every file of the first part removed first (they take tens of GB here).
rm -f "$work"/*.sql "$work"/*.zst "$work"/*.dump
rm -rf "$work/lite"
for db in "${dbs[@]}"; do [ "$db" = "${db_src}_src" ] || run psql -q -X -d "$server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; done
seed_postgres bigsrc "$big"
settle
# One run each: at this size a run takes minutes, and the point is the memory.
settle; time_of t_big_pd_plain pg_dump -Fp -f "$work/pg.sql" "$bigsrc"
big_pd_mb=$(size "$work/pg.sql"); rm -f "$work/pg.sql"
settle; time_of t_big_pd_zstd bash -c "set -o pipefail; pg_dump -Fp '$bigsrc' | zstd -q -1 -T2 -o '$work/pg.sql.zst' && sync '$work/pg.sql.zst'"
big_pdz_mb=$(size "$work/pg.sql.zst"); rm -f "$work/pg.sql.zst"
settle; time_of t_big_dump_zst "$bin" --database-url "$bigsrc" dump -q -o "$work/paideia.sql.zst"
big_zst_mb=$(size "$work/paideia.sql.zst"); rm -f "$work/paideia.sql.zst"
settle; time_of t_big_dump_plain "$bin" --database-url "$bigsrc" dump -q -o "$work/paideia.sql"
big_plain_mb=$(size "$work/paideia.sql"); rm -f "$work/paideia.sql"
cat <<REPORT

scale $big, about $rows_bigsrc rows, seeded with COPY in ${t_bigsrc}s (one run each)
                                          seconds   size MB   peak RSS MB   ratio
  pg_dump -Fp                             $t_big_pd_plain   $big_pd_mb   $rss_t_big_pd_plain
  pg_dump -Fp | zstd -1 -T2               $t_big_pd_zstd   $big_pdz_mb
  paideia dump (zstd, hashed)             $t_big_dump_zst   $big_zst_mb   $rss_t_big_dump_zst   $(ratio "$t_big_dump_zst" "$t_big_pd_plain") x pg_dump -Fp, $(ratio "$t_big_dump_zst" "$t_big_pd_zstd") x pg_dump | zstd; RSS $(ratio "$rss_t_big_dump_zst" "$rss_t_dump_zst") x at scale $scale
  paideia dump (plain, hashed)            $t_big_dump_plain   $big_plain_mb   $rss_t_big_dump_plain   $(ratio "$t_big_dump_plain" "$t_big_pd_plain") x pg_dump -Fp; RSS $(ratio "$rss_t_big_dump_plain" "$rss_t_dump_plain") x at scale $scale
REPORT
