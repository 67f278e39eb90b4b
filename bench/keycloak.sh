#!/usr/bin/env bash
# Keycloak and Mayfly side by side: the client-credentials token endpoint of each, driven by the same load
# generator (mayfly-bench's LoadMain, a JVM of its own) with the same workers and duration, one after the
# other on this machine, each server alone while it is measured.
#   bench/keycloak.sh [--seconds 15] [--warmup 30] [--workers 32] [--client socket|jdk]
# Keycloak ($KC_VERSION, default 26.4.5) comes from Maven Central (org.keycloak:keycloak-quarkus-dist, zip,
# checked against Central's SHA-1), cached in ~/.cache/mayfly-bench, and runs in dev mode (H2, HTTP) on
# 127.0.0.1 with Keycloak's own launcher defaults (-Xms64m -Xmx512m) on the JDK at $KC_JAVA_HOME (Java 21+).
# It gets a realm 'bench' with one confidential client (service accounts on) over the admin REST API.
# Mayfly runs with mayfly-cli/bin/mayfly's defaults, once with EdDSA and once with RS256 (Keycloak's default).
# Environment: SKIP_BUILD=1 reuses the last build.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds=15 warmup=30 workers=32 client=socket
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --client) client="$2"; shift 2 ;;
    *) echo "usage: $0 [--seconds S] [--warmup S] [--workers N] [--client socket|jdk]" >&2; exit 2 ;;
  esac
done
KC_VERSION="${KC_VERSION:-26.4.5}"
KC_JAVA_HOME="${KC_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/mayfly-bench"

fetch_keycloak() {
  local zip="$cache/keycloak-quarkus-dist-$KC_VERSION.zip"
  local url="https://repo.maven.apache.org/maven2/org/keycloak/keycloak-quarkus-dist/$KC_VERSION/keycloak-quarkus-dist-$KC_VERSION.zip"
  mkdir -p "$cache"
  if [ ! -f "$zip" ]; then
    echo "bench: downloading Keycloak $KC_VERSION from Maven Central" >&2
    curl -fsSL -o "$zip.part" "$url"
    local want got
    want="$(curl -fsSL "$url.sha1" | cut -c1-40)"
    got="$(sha1sum "$zip.part" | cut -c1-40)"
    if [ "$want" != "$got" ]; then
      rm -f "$zip.part"
      echo "bench: SHA-1 mismatch for $url" >&2
      exit 1
    fi
    mv "$zip.part" "$zip"
  fi
  unzip -q "$zip" -d "$work"
  kc_dir="$work/keycloak-$KC_VERSION"
}

# POSTs JSON to Keycloak's admin API with the admin token.
kc_admin() {
  curl -fsS -X POST -H "Authorization: Bearer $kc_token" -H 'Content-Type: application/json' -d "$2" "$kc_url$1"
}

start_keycloak() {
  local port admin_pw
  port="$(free_port)"
  kc_url="http://127.0.0.1:$port"
  admin_pw="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  JAVA_HOME="$KC_JAVA_HOME" KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$admin_pw" \
    "$kc_dir/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$port" --http-management-port="$(free_port)" \
    >"$work/keycloak.log" 2>&1 &
  kc_pid=$!
  pids+=("$kc_pid")
  wait_for "$kc_url/realms/master" 300
  # kc.sh runs Keycloak as its child, or execs it after a re-augmentation: measure the JVM either way.
  kc_jvm="$(pgrep -P "$kc_pid" java || echo "$kc_pid")"
  kc_token="$(curl -fsS -d grant_type=password -d client_id=admin-cli -d username=admin --data-urlencode "password=$admin_pw" \
    "$kc_url/realms/master/protocol/openid-connect/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
  kc_secret="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
  kc_admin /admin/realms '{"realm":"bench","enabled":true}'
  kc_admin /admin/realms/bench/clients "{\"clientId\":\"bench\",\"enabled\":true,\"publicClient\":false,
    \"clientAuthenticatorType\":\"client-secret\",\"secret\":\"$kc_secret\",\"serviceAccountsEnabled\":true,
    \"standardFlowEnabled\":false,\"directAccessGrantsEnabled\":false}"
}

build
fetch_keycloak
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "load: LoadMain client_credentials, closed loop, $workers workers ($client client), ${warmup}s warm-up then ${seconds}s measured"
echo
echo "| server | scenario | load | requests | errors | throughput | p50 ms | p99 ms | p99.9 ms | max ms | CPU per request: server / load generator | other processes (cores) | server memory |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"

start_keycloak
load --token-url "$kc_url/realms/bench/protocol/openid-connect/token" --client-id bench --client-secret "$kc_secret" \
  --pid "$kc_jvm" --scenario client_credentials --workers "$workers" --seconds "$seconds" --warmup "$warmup" --client "$client" \
  | sed "s/^/| Keycloak $KC_VERSION dev (RS256) /" | tee -a "$work/rows.md"
kill "$kc_pid"; wait "$kc_pid" 2>/dev/null || true

for alg in EdDSA RS256; do
  start_broker --signing-alg "$alg"
  load --broker "$broker_url" --home "$broker_home" --pid "$broker_pid" --scenario client_credentials \
    --workers "$workers" --seconds "$seconds" --warmup "$warmup" --client "$client" | sed "s/^/| Mayfly ($alg) /" | tee -a "$work/rows.md"
  stop_broker
done

echo
awk -F'|' '{ t = $7; gsub(/[ \/s]/, "", t); p = $9; gsub(/ /, "", p); n[NR] = $2; tp[NR] = t; p99[NR] = p }
  END { for (i = 2; i <= NR; i++) printf "%s vs%s: throughput x%.2f, p99 %s vs %s ms\n", n[i], n[1], tp[i] / tp[1], p99[i], p99[1] }' "$work/rows.md"
