#!/usr/bin/env bash
# Token-exchange throughput against a broker in its own process, started by the production launcher
# (mayfly-cli/bin/mayfly server, with its default JVM flags), loaded by a separate load-generator JVM:
#   1. raw EdDSA signing rate (JMH, one fork) on the same machine, same run, as the yardstick;
#   2. closed-loop load per scenario (default: token_exchange) from wrk (a C load generator in a process of
#      its own, installed from the package manager when missing: 2 threads, --connections 16), with the
#      broker's CPU per request from /proc and its resident memory; scenarios wrk cannot drive (refresh
#      chains, revocation propagation) and open loops (--rate R: R requests/s over --workers connections)
#      use mayfly-bench's LoadMain in a JVM of its own instead (--load loadmain forces it for every scenario);
# The load generator's workers use one keep-alive socket each (--client jdk: the JDK's HttpClient, which
# cost ~4x the load-generator CPU per request on the same two cores the broker runs on).
# and prints exchange throughput as a fraction of raw signing.
#   bench/exchange.sh [--seconds 15] [--warmup 30] [--workers 32] [--client socket|jdk] [--rate R] [--scenario token_exchange ...] [--repeat N] [--jfr FILE]
#                     [--variant 'NAME=JVM OPTIONS' ...] [--load wrk|loadmain] [--connections 16]
# Each --variant is a broker started with MAYFLY_SERVER_JVM_OPTS set to its options (in place of the
# launcher's defaults; empty: the defaults); 'NAME@JAR=…' runs another build's mayfly.jar (a copy of the
# jar before a change, say), 'NAME^JAVA_HOME=…' (after any @JAR) runs the broker on another JDK (JDK 21+ serves
# requests on virtual threads). Without one, this build with the launcher's defaults is measured. Every repeat starts a fresh broker
# per variant, in turn, so variants see the same machine conditions.
# Every scenario is first run unmeasured for --warmup seconds on the same broker: without it the first
# scenario of a fresh broker is measured half-interpreted (token exchange measured 780-1,232/s cold against
# 2,800-3,600/s warm in the same 2026-12-03 session, and ran 'slower than logins' only because it went first).
# Environment: SKIP_BUILD=1 reuses the last build; SKIP_SIGN=1 skips the raw-signing yardstick; MAYFLY_JAVA_OPTS
# adds broker JVM options.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds=15 warmup=30 workers=32 repeat=1 jfr="" client=socket rate=0 scenarios=() variants=() loader=wrk
wrk_threads=2 wrk_conns=16
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --client) client="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --scenario) scenarios+=(--scenario "$2"); shift 2 ;;
    --jfr) jfr="$2"; shift 2 ;;
    --variant) variants+=("$2"); shift 2 ;;
    --load) loader="$2"; shift 2 ;;
    --connections) wrk_conns="$2"; shift 2 ;;
    *) echo "usage: $0 [--seconds S] [--warmup S] [--workers N] [--client socket|jdk] [--rate R] [--scenario NAME]... [--repeat N] [--jfr FILE] [--variant 'NAME=OPTS']..." >&2; exit 2 ;;
  esac
done
[ ${#scenarios[@]} -eq 0 ] && scenarios=(--scenario token_exchange)
[ ${#variants[@]} -eq 0 ] && variants=("launcher=")
wrk_seconds="$seconds" wrk_warmup="$warmup"
# wrk drives the closed-loop token endpoint scenarios; anything else needs LoadMain.
for ((k = 1; k < ${#scenarios[@]}; k += 2)); do
  case "${scenarios[$k]}" in token_exchange|client_credentials) ;; *) loader=loadmain ;; esac
done
[ "$rate" != 0 ] && loader=loadmain
[ "$loader" = wrk ] && need_wrk
default_java_home="${JAVA_HOME:-}"

build
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"

# The broker's signer (Bouncy Castle) is the yardstick; Nimbus' own (Tink), which it replaced, for reference.
if [ "${SKIP_SIGN:-0}" = "1" ]; then
  echo '"x.signEdDSA",,,,NaN' > "$work/sign.csv"; echo '"x.signEdDSATink",,,,NaN' >> "$work/sign.csv"
else
  java -Xmx512m -cp "$bench_cp" org.openjdk.jmh.Main 'TokenBenchmarks.signEdDSA(Tink)?$' -f 1 -wi 2 -w 1s -i 3 -r 2s \
    -rf csv -rff "$work/sign.csv" >/dev/null
fi
sign="$(grep 'signEdDSA"' "$work/sign.csv" | cut -d, -f5)"
sign_tink="$(grep 'signEdDSATink"' "$work/sign.csv" | cut -d, -f5)"
printf 'raw EdDSA signing (JMH): %.0f ops/s as the broker signs (Bouncy Castle), %.0f ops/s through Tink\n' "$sign" "$sign_tink"

if [ -n "$jfr" ]; then
  export MAYFLY_JAVA_OPTS="${MAYFLY_JAVA_OPTS:-} -XX:StartFlightRecording=filename=$jfr,settings=profile"
fi
echo
if [ "$loader" = wrk ]; then
  echo "load: $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $wrk_threads threads, $wrk_conns connections, ${warmup}s warm-up then ${seconds}s measured"
  wrk_header
else
echo "| broker | scenario | load | requests | errors | throughput | p50 ms | p99 ms | p99.9 ms | max ms | CPU per request: broker / load generator | other processes (cores) | broker memory |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
fi
for i in $(seq "$repeat"); do
  for v in "${variants[@]}"; do
    name="${v%%=*}" opts="${v#*=}" jar="" jdk=""
    if [[ "$name" == *^* ]]; then jdk="${name#*^}" name="${name%%^*}"; fi
    if [[ "$name" == *@* ]]; then jar="${name#*@}" name="${name%%@*}"; fi
    if [ -n "$jar" ]; then export BROKER_JAR="$jar"; else unset BROKER_JAR; fi
    if [ -n "$jdk" ]; then export JAVA_HOME="$jdk"; else export JAVA_HOME="$default_java_home"; fi
    if [ -n "$opts" ]; then export MAYFLY_SERVER_JVM_OPTS="$opts"; else unset MAYFLY_SERVER_JVM_OPTS; fi
    start_broker
    [ "$i" = 1 ] && echo "broker $name: $(tr '\0' ' ' < "/proc/$broker_pid/cmdline" | sed 's/ -jar .*//')" >&2
    if [ "$loader" = wrk ]; then
      provision_agent
      for ((k = 1; k < ${#scenarios[@]}; k += 2)); do
        if [ "${scenarios[$k]}" = client_credentials ]; then
          wrk_row "$name client_credentials" "$broker_pid" "$broker_url/oauth/token" "grant_type=client_credentials" "$agent_basic"
        else
          wrk_row "$name token_exchange" "$broker_pid" "$broker_url/oauth/token" \
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=$session_token&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token&scope=orders%3Aread&audience=https%3A%2F%2Forders.example" ""
        fi
      done | tee -a "$work/rows.md"
    else
      load --broker "$broker_url" --home "$broker_home" --pid "$broker_pid" --workers "$workers" --seconds "$seconds" --warmup "$warmup" --client "$client" --rate "$rate" \
        "${scenarios[@]}" | sed "s/^/| $name /" | tee -a "$work/rows.md"
    fi
    stop_broker
  done
done
echo
col=7; [ "$loader" = wrk ] && col=5
awk -F'|' -v sign="$sign" -v col="$col" '/token_exchange/ { t = $col; gsub(/[ \/s]/, "", t); printf "%s: token exchange %s/s = %.0f%% of raw signing\n", $2, t, 100 * t / sign }' "$work/rows.md"
if [ -n "$jfr" ]; then echo "JFR recording: $jfr"; fi
