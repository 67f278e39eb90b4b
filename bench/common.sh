# Shared by the bench/ scripts: build once, start a broker with the production launcher, clean up.
# Sourced, not run. Everything runs on loopback; every process started here is stopped on exit.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/mayfly-bench.XXXXXX")"
pids=()

cleanup() {
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Builds the broker's jar and the bench classes (package only: nothing is installed into ~/.m2) and writes the
# bench classpath to $repo/mayfly-bench/target/classpath.txt. SKIP_BUILD=1 reuses the last build.
build() {
  if [ "${SKIP_BUILD:-0}" != "1" ]; then
    (cd "$repo" && ./mvnw -B -q -pl mayfly-bench,mayfly-cli -am package dependency:build-classpath -DskipTests \
      -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime) >&2
  fi
  bench_cp="$repo/mayfly-bench/target/classes:$(cat "$repo/mayfly-bench/target/classpath.txt")"
}

# Builds only the broker's jar (for scripts whose load generator is not a JVM). SKIP_BUILD=1 reuses the last build.
build_broker() {
  if [ "${SKIP_BUILD:-0}" != "1" ]; then
    (cd "$repo" && ./mvnw -B -q -pl mayfly-cli -am package -DskipTests) >&2
  fi
}

# A free loopback port.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits until URL answers 200 or gives up after $2 seconds.
wait_for() {
  local url="$1" limit="${2:-60}" i=0
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    i=$((i + 1))
    if [ "$i" -gt $((limit * 5)) ]; then
      echo "bench: $url did not come up in ${limit}s" >&2
      return 1
    fi
    sleep 0.2
  done
}

# Starts a broker on its defaults (SQLite, durable writes, audit on) with mayfly-cli/bin/mayfly, so the
# launcher's JVM flags are what is measured. Sets broker_url, broker_home, broker_pid. MAYFLY_JAVA_OPTS
# passes extra JVM options (a JFR recording, say); BROKER_JAR another build's mayfly.jar; arguments go to 'mayfly server' (--signing-alg RS256, say).
start_broker() {
  local port
  port="$(free_port)"
  broker_home="$work/home-$port"
  mkdir -p "$broker_home"
  broker_url="http://127.0.0.1:$port"
  MAYFLY_JAR="${BROKER_JAR:-$repo/mayfly-cli/target/mayfly.jar}" "$repo/mayfly-cli/bin/mayfly" server --listen "127.0.0.1:$port" \
    --home "$broker_home" "$@" >"$work/broker-$port.log" 2>&1 &
  broker_pid=$!
  pids+=("$broker_pid")
  wait_for "$broker_url/healthz" 60
  # The launcher execs java: the pid is the JVM's.
}

# Stops the broker started last (SIGTERM: a clean shutdown, which also writes a JFR recording if one runs).
stop_broker() {
  kill "$broker_pid" 2>/dev/null || true
  wait "$broker_pid" 2>/dev/null || true
}

# The load generator in a JVM of its own (a small heap, so it does not crowd the broker).
load() {
  java -Xmx256m -XX:+UseSerialGC -Dmayfly.bench.log="$work/load.log" -cp "$bench_cp" dev.mayfly.bench.LoadMain "$@"
}

# wrk (a C load generator in a process of its own) from the package manager when it is missing.
need_wrk() {
  if ! command -v wrk >/dev/null 2>&1; then
    echo "bench: installing wrk" >&2
    if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >&2 || { apt-get update -qq >&2 && apt-get install -y -qq wrk >&2; }
    else sudo apt-get install -y -qq wrk >&2; fi
  fi
}

# CPU seconds (user + system, all threads) a process has used so far, in clock ticks.
proc_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# wrk_row NAME PID URL BODY AUTH: wrk against URL (POST BODY, Authorization AUTH) for $wrk_warmup seconds
# unmeasured, then $wrk_seconds measured with $wrk_threads threads and $wrk_conns connections; prints one
# Markdown row: requests/s, latency percentiles, the server's CPU per request (from /proc, so the load
# generator's own CPU is not in it) and its resident memory (now and peak).
wrk_row() {
  local name="$1" pid="$2" url="$3" body="$4" auth="$5" script="$repo/bench/wrk/form-post.lua" t0 t1 out
  WRK_BODY="$body" WRK_AUTH="$auth" wrk -t"$wrk_threads" -c"$wrk_conns" -d"${wrk_warmup}s" -s "$script" "$url" >/dev/null
  t0="$(proc_ticks "$pid")"
  out="$(WRK_BODY="$body" WRK_AUTH="$auth" wrk -t"$wrk_threads" -c"$wrk_conns" -d"${wrk_seconds}s" --timeout 10s -s "$script" "$url")"
  t1="$(proc_ticks "$pid")"
  echo "$out" | sed -n 's/^WRK_RESULT //p' | python3 -c '
import json, sys
r = json.load(sys.stdin)
name, ticks, hz, rss, hwm, load = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
secs = r["duration_us"] / 1e6
ok = max(r["requests"] - r["errors"], 1)
print("| %s | %d | %d | %.0f/s | %.1f | %.1f | %.1f | %.1f | %.0f µs | %s / %s MB | %s |" % (
    name, r["requests"], r["errors"], r["requests"] / secs, r["p50_us"] / 1e3, r["p99_us"] / 1e3, r["p999_us"] / 1e3,
    r["max_us"] / 1e3, 1e6 * ticks / hz / ok, rss, hwm, load))
' "$name" "$((t1 - t0))" "$(getconf CLK_TCK)" "$(awk '/VmRSS/{print int($2/1024)}' "/proc/$pid/status")" \
    "$(awk '/VmHWM/{print int($2/1024)}' "/proc/$pid/status")" "$(cut -d' ' -f1 /proc/loadavg)"
}

wrk_header() {
  echo "| server / scenario | requests | errors | throughput | p50 ms | p99 ms | p99.9 ms | max ms | server CPU per request | server RSS now / peak | load avg |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
}

# Registers an agent with the bootstrap admin of the broker started last (its home's admin.json) and sets
# agent_id, agent_basic (an HTTP Basic header value) and session_token (a fresh session's access token).
provision_agent() {
  local admin_basic admin_token agent
  admin_basic="$(python3 -c 'import base64,json,sys; a=json.load(open(sys.argv[1])); print("Basic "+base64.b64encode((a["client_id"]+":"+a["client_secret"]).encode()).decode())' "$broker_home/admin.json")"
  admin_token="$(curl -fsS -H "Authorization: $admin_basic" -d grant_type=client_credentials "$broker_url/oauth/token" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
  agent="$(curl -fsS -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
    -d '{"name":"bench-wrk-'"$RANDOM"'","kind":"llm","scopes":["orders:read","orders:write"],"audiences":["https://orders.example"]}' \
    "$broker_url/v1/agents")"
  agent_basic="$(echo "$agent" | python3 -c 'import base64,json,sys; d=json.load(sys.stdin)["data"]; print("Basic "+base64.b64encode((d["client_id"]+":"+d["client_secret"]).encode()).decode())')"
  session_token="$(curl -fsS -H "Authorization: $agent_basic" -d grant_type=client_credentials "$broker_url/oauth/token" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
}
