#!/usr/bin/env bash
# Issuance per node on PostgreSQL against SQLite, one run, one load generator (LoadMain, closed loop):
#   1. one broker on SQLite (its default);
#   2. one broker on a real PostgreSQL (zonky's binaries, pg_stat_statements loaded; PostgresMain);
#   3. --nodes N (default 2) brokers on that PostgreSQL at once, the load split evenly between them.
# Each broker is warmed (--warmup seconds of the same scenario, unmeasured) before its measured run. For every
# run it prints the load generator's row (throughput, latency, broker CPU per request) and, for PostgreSQL, per
# token: statements (pg_stat_statements calls), commits, time in advisory-lock statements (waiting included)
# and PostgreSQL's own CPU (postmaster and backends), so "CPU per token" is broker + database. It ends with a
# summary to paste: CPU per token of every run and its ratio to SQLite's (same run), the load average at each
# measured run's start, and which statements a token costs on PostgreSQL (pg_stat_statements calls per token).
#   bench/nodes.sh [--seconds 15] [--warmup 20] [--workers 32] [--scenario token_exchange] [--nodes 2]
# Environment: SKIP_BUILD=1 reuses the last build.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds=15 warmup=20 workers=32 scenario=token_exchange nodes=2
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --scenario) scenario="$2"; shift 2 ;;
    --nodes) nodes="$2"; shift 2 ;;
    *) echo "usage: $0 [--seconds S] [--warmup S] [--workers N] [--scenario NAME] [--nodes N]" >&2; exit 2 ;;
  esac
done

# Every node on one database must share the master key (it decrypts the shared signing keys).
MAYFLY_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
export MAYFLY_MASTER_KEY

build
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  (cd "$repo" && ./mvnw -B -q -pl mayfly-server -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test) >&2
fi
pg_cp="$repo/mayfly-server/target/test-classes:$repo/mayfly-server/target/classes:$(cat "$repo/mayfly-server/target/test-classpath.txt")"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1); commit $(cd "$repo" && git rev-parse --short HEAD)"

# PostgreSQL: started once, fed on a pipe it runs until (closing it stops the server).
mkfifo "$work/pg.in"
java -Xmx128m -cp "$pg_cp" dev.mayfly.server.testing.PostgresMain "$work" <"$work/pg.in" >"$work/pg.out" 2>"$work/pg.log" &
pids+=("$!")
exec 3>"$work/pg.in"
for _ in $(seq 300); do grep -q '^READY' "$work/pg.out" 2>/dev/null && break; sleep 0.2; done
read -r _ pg_url pg_pid < <(grep '^READY' "$work/pg.out")
[ -n "${pg_url:-}" ] || { echo "PostgreSQL did not start:"; cat "$work/pg.log"; exit 1; } >&2
pg_stats() { java -Xmx64m -cp "$pg_cp" dev.mayfly.server.testing.PostgresMain --stats "$pg_url" "$pg_pid"; }
pg_queries() { java -Xmx64m -cp "$pg_cp" dev.mayfly.server.testing.PostgresMain --queries "$pg_url"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

echo
echo "| broker | scenario | load | requests | errors | throughput | p50 ms | p99 ms | p99.9 ms | max ms | CPU per request: broker / load generator | other processes (cores) | broker memory |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"

# A run: loads the brokers in $@ (URL HOME PID triples) at once, $workers split between them; prints their rows
# and, on PostgreSQL, the database's share per token.
run() {
  local label="$1" db="$2"; shift 2
  local n=$(($# / 3)) i rows="$work/rows-$label.md" before after
  : >"$rows"
  local args=("$@")
  for ((i = 0; i < n; i++)); do # warm-up, unmeasured
    load --broker "${args[3*i]}" --home "${args[3*i+1]}" --workers $((workers / n)) --seconds "$warmup" --scenario "$scenario" >/dev/null &
  done
  wait_loads
  [ "$db" = pg ] && before="$(pg_stats)" && pg_queries >"$work/queries-before-$label.tsv"
  local load_avg
  load_avg="$(cut -d' ' -f1-3 /proc/loadavg)"
  for ((i = 0; i < n; i++)); do
    load --broker "${args[3*i]}" --home "${args[3*i+1]}" --pid "${args[3*i+2]}" --workers $((workers / n)) --seconds "$seconds" \
      --scenario "$scenario" | sed "s/^/| $label node $((i + 1)) /" >>"$rows" &
  done
  wait_loads
  cat "$rows"
  # Broker CPU per token over the run's nodes, weighted by their requests (the row's "broker / load generator" cell).
  local broker_us
  broker_us="$(awk -F'|' '{ r = $5; gsub(/[^0-9]/, "", r); split($12, c, "/"); gsub(/[^0-9.]/, "", c[1]); n += r; s += r * c[1] }
    END { printf "%.0f", n ? s / n : 0 }' "$rows")"
  if [ "$db" = sqlite ]; then
    sqlite_us="$broker_us"
    echo "$label: $broker_us µs broker CPU per token (load average $load_avg)" >>"$work/cpu-lines.txt"
  fi
  if [ "$db" = pg ]; then
    after="$(pg_stats)"
    local requests
    requests="$(awk -F'|' '{ gsub(/[^0-9]/, "", $5); s += $5 } END { print s }' "$rows")"
    awk -v r="$requests" -v label="$label" \
      -v st="$(( $(field statements "$after") - $(field statements "$before") ))" \
      -v co="$(( $(field commits "$after") - $(field commits "$before") ))" \
      -v lk="$(awk -v a="$(field advisory_lock_ms "$after")" -v b="$(field advisory_lock_ms "$before")" 'BEGIN{print a-b}')" \
      -v cpu="$(awk -v a="$(field cpu_s "$after")" -v b="$(field cpu_s "$before")" 'BEGIN{print a-b}')" \
      'BEGIN { printf "%s: %d requests; per request: %.2f statements, %.2f commits, %.3f ms in advisory-lock statements, %.3f ms PostgreSQL CPU\n", label, r, st / r, co / r, lk / r, 1000 * cpu / r }' | tee -a "$work/pg-lines.txt"
    awk -v r="$requests" -v label="$label" -v b="$broker_us" -v sq="${sqlite_us:-0}" -v la="$load_avg" \
      -v cpu="$(awk -v a="$(field cpu_s "$after")" -v b="$(field cpu_s "$before")" 'BEGIN{print a-b}')" \
      'BEGIN { pg = 1e6 * cpu / r; t = b + pg
               printf "%s: %.0f µs broker + %.0f µs PostgreSQL = %.0f µs CPU per token", label, b, pg, t
               if (sq > 0) printf " = %.2f× SQLite'"'"'s", t / sq
               printf " (load average %s)\n", la }' >>"$work/cpu-lines.txt"
    # Which statements a token costs: pg_stat_statements calls during the measured run, per token.
    pg_queries >"$work/queries-after-$label.tsv"
    {
      echo "$label: statements per token (pg_stat_statements calls / $requests tokens)"
      awk -F'\t' -v r="$requests" 'NR == FNR { before[$2] = $1; next }
        { d = ($1 - before[$2]) / r; if (d >= 0.005) printf "  %6.2f  %s\n", d, $3 }' \
        "$work/queries-before-$label.tsv" "$work/queries-after-$label.tsv" | sort -rn
    } >>"$work/statement-lines.txt"
  fi
}
load_pids=()
load() {
  java -Xmx256m -XX:+UseSerialGC -Dmayfly.bench.log="$work/load.log" -cp "$bench_cp" dev.mayfly.bench.LoadMain "$@"
}
wait_loads() { wait $(jobs -p | grep -v -x -F "$(printf '%s\n' "${pids[@]}")") 2>/dev/null || true; }

start_broker
run sqlite sqlite "$broker_url" "$broker_home" "$broker_pid"
stop_broker

start_broker --db "$pg_url" --db-user postgres
first=("$broker_url" "$broker_home" "$broker_pid")
run pg-1 pg "${first[@]}"
cluster=("${first[@]}")
for ((k = 2; k <= nodes; k++)); do
  start_broker --db "$pg_url" --db-user postgres || { tail -40 "$work/broker-${broker_url##*:}.log" >&2; exit 1; }
  cluster+=("$broker_url" "${first[1]}" "$broker_pid") # the first node's home holds admin.json
done
[ "$nodes" -gt 1 ] && run "pg-$nodes" pg "${cluster[@]}"
echo
cat "$work/pg-lines.txt"
echo
echo "CPU per token, broker + PostgreSQL (same run):"
cat "$work/cpu-lines.txt"
echo
cat "$work/statement-lines.txt"
exec 3>&-
