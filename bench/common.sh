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
