#!/usr/bin/env bash
# CLI cold start as a user runs it, timed with hyperfine (apt-get install hyperfine): `errors` and `--version`
# (no network) and `whoami` (one call to a running broker, logged in), each
#   - through ./mayfly in the checkout (its staleness check, then mayfly-cli/bin/mayfly) on JDK 17 (the
#     default java) and on JDK 25 (JAVA_HOME; bench/cold-start.sh --jdk25 DIR to change it);
#   - through bin/mayfly of the release tarball, on its bundled runtime.
# A broker for whoami is started from the checkout on a free port with a throw-away home; the admin logs in.
# Every launcher run gets one unmeasured first run (MAYFLY_CDS=wait: it builds the start-up archive before
# running) and 3 warm-ups before --runs measured ones. With --baseline DIR (another checkout, built, e.g. the
# commit before a change: git archive HEAD~1 | tar -x -C DIR && (cd DIR && ./mvnw -q -o -DskipTests -pl
# mayfly-cli -am package)), its ./mayfly is measured too, interleaved with this one, so before and after share
# one machine state. Prints a Markdown table, one row per (how, JDK, command): median, min, max wall ms, mean
# CPU ms (user+sys, which other load inflates less than wall time), and the load average.
#   bench/cold-start.sh [--runs 30] [--jdk25 /usr/lib/jvm/temurin-25-jdk-amd64] [--tarball FILE] [--baseline DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=30 jdk25=/usr/lib/jvm/temurin-25-jdk-amd64 baseline=""
tarball="$(ls "$root"/mayfly-dist/target/mayfly-*-linux-x64.tar.gz 2>/dev/null | head -1 || true)"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --jdk25) jdk25="$2"; shift 2 ;;
    --tarball) tarball="$2"; shift 2 ;;
    --baseline) baseline="$(cd "$2" && pwd)"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--jdk25 DIR] [--tarball FILE] [--baseline DIR]" >&2; exit 2 ;;
  esac
done
command -v hyperfine >/dev/null || { echo "hyperfine not found: apt-get install hyperfine" >&2; exit 4; }
[ -f "$root/mayfly-cli/target/mayfly.jar" ] || { echo "build first: ./mvnw -DskipTests -pl mayfly-dist -am package" >&2; exit 4; }

work="$(mktemp -d)"
broker_pid=""
cleanup() { [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$root/mayfly-cli/bin/mayfly" server --listen "127.0.0.1:$port" --home "$work/broker" >"$work/broker.log" 2>&1 &
broker_pid=$!
for _ in $(seq 300); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
export MAYFLY_URL="http://127.0.0.1:$port" MAYFLY_HOME="$work/client"
sed -n 's/.*"client_secret" *: *"\([^"]*\)".*/\1/p' "$work/broker/admin.json" > "$work/secret"; chmod 600 "$work/secret"
"$root/mayfly-cli/bin/mayfly" auth login --client-id "$(sed -n 's/.*"client_id" *: *"\([^"]*\)".*/\1/p' "$work/broker/admin.json")" \
  --client-secret-file "$work/secret" >/dev/null

release=""
if [ -n "$tarball" ]; then
  tar xzf "$tarball" -C "$work" && release="$(ls -d "$work"/mayfly-*/ | head -1)"
fi

measure() { # label java_home command...
  local label="$1" jh="$2"; shift 2
  local cmd
  cmd="$(printf '%q ' "$@")"
  MAYFLY_CDS=wait JAVA_HOME="$jh" "$@" >/dev/null 2>&1 || true   # the first run builds the start-up archive
  JAVA_HOME="$jh" hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/h.json" "$cmd" >/dev/null 2>&1
  python3 - "$label" "$work/h.json" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))["results"][0]
t = sorted(r["times"])
cpu = (r["user"] + r["system"]) * 1000
print(f"| {sys.argv[1]} | {r['median']*1000:.0f} | {t[0]*1000:.0f} | {t[-1]*1000:.0f} | {cpu:.0f} | {sys.argv[3]} |")
PY
}

echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $runs runs each"
echo "$(git -C "$root" log -1 --format='checkout %h %s' 2>/dev/null)${baseline:+; baseline $(git -C "$baseline" log -1 --format=%h 2>/dev/null || echo "$baseline")}"
echo
echo "| how | median ms | min | max | CPU ms (user+sys) | load avg |"
echo "|---|---|---|---|---|---|"
for cmd in errors --version whoami; do
  [ -n "$baseline" ] && measure "before: ./mayfly $cmd (JDK 17)" "" "$baseline/mayfly" $cmd
  measure "./mayfly $cmd (JDK 17)" "" "$root/mayfly" $cmd
  if [ -x "$jdk25/bin/java" ]; then
    [ -n "$baseline" ] && measure "before: ./mayfly $cmd (JDK 25)" "$jdk25" "$baseline/mayfly" $cmd
    measure "./mayfly $cmd (JDK 25)" "$jdk25" "$root/mayfly" $cmd
  fi
  [ -n "$release" ] && measure "release bin/mayfly $cmd (bundled runtime)" "" "$release/bin/mayfly" $cmd
done
