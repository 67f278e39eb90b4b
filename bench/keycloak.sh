#!/usr/bin/env bash
# Keycloak and Mayfly side by side, measured from outside: wrk (a C load generator in a process of its own,
# installed from the package manager when missing) posts the same client-credentials grant with HTTP Basic
# client authentication to each server's token endpoint, with the same threads, connections, warm-up and
# duration, one server after the other on this machine, each alone while it is measured. A Mayfly token
# exchange row (the session token exchanged for a task token) follows, same load.
#   bench/keycloak.sh [--seconds 20] [--warmup 20] [--kc-warmup S] [--threads 2] [--connections 16] [--mayfly-jdk JAVA_HOME]...
# --kc-warmup gives Keycloak a warm-up of its own (default: --warmup): its JIT needs minutes on 2 cores (13.5 ms of
# CPU per grant after 10 s, 3.6 ms after 20 s), so a short one measures Keycloak half-compiled.
# Keycloak ($KC_VERSION, default 26.4.5) comes from Maven Central (org.keycloak:keycloak-quarkus-dist, zip,
# checked against Central's SHA-1), cached in ~/.cache/mayfly-bench, and runs in dev mode (start-dev: H2, HTTP)
# on 127.0.0.1 with Keycloak's own launcher defaults on the JDK at $KC_JAVA_HOME (Java 21+). It gets a realm
# 'bench' with one confidential client (plain client secret, service accounts on, no refresh token for
# client_credentials, which is also Keycloak's default) over the admin REST API; after its run the script prints
# (on stderr) those settings as Keycloak reports them, the realm's event settings, the client's active sessions
# and Keycloak's heap flags, so the comparison can be checked.
# Mayfly runs through ./mayfly server's launcher (mayfly-cli/bin/mayfly) with its default flags, once per
# --mayfly-jdk (default: the java on PATH), with EdDSA (its default) and RS256 (Keycloak's default).
# Server CPU per request comes from /proc (the server process only); "RSS peak" is the process's VmHWM.
# Environment: SKIP_BUILD=1 reuses the last build.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

wrk_seconds=20 wrk_warmup=20 wrk_threads=2 wrk_conns=16 jdks=() kc_warmup=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) wrk_seconds="$2"; shift 2 ;;
    --warmup) wrk_warmup="$2"; shift 2 ;;
    --kc-warmup) kc_warmup="$2"; shift 2 ;;
    --threads) wrk_threads="$2"; shift 2 ;;
    --connections) wrk_conns="$2"; shift 2 ;;
    --mayfly-jdk) jdks+=("$2"); shift 2 ;;
    *) echo "usage: $0 [--seconds S] [--warmup S] [--kc-warmup S] [--threads N] [--connections N] [--mayfly-jdk JAVA_HOME]..." >&2; exit 2 ;;
  esac
done
[ ${#jdks[@]} -eq 0 ] && jdks=("${JAVA_HOME:-}")
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

# A fresh admin token (admin-cli's access tokens live 60 s: the one from start-up has expired after a run).
kc_login() {
  kc_token="$(curl -fsS -d grant_type=password -d client_id=admin-cli -d username=admin --data-urlencode "password=$kc_admin_pw" \
    "$kc_url/realms/master/protocol/openid-connect/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
}

# What Keycloak kept of the run, so a reader can check the comparison is like for like: the bench client's
# settings that decide what a grant costs (no refresh token for client_credentials, no events), its active
# user sessions (a grant that started a stored session each time would show thousands) and its JVM's flags.
kc_describe() {
  kc_login
  local client realm stats
  client="$(curl -fsS -H "Authorization: Bearer $kc_token" "$kc_url/admin/realms/bench/clients?clientId=bench")"
  realm="$(curl -fsS -H "Authorization: Bearer $kc_token" "$kc_url/admin/realms/bench")"
  stats="$(curl -fsS -H "Authorization: Bearer $kc_token" "$kc_url/admin/realms/bench/client-session-stats")"
  python3 -c '
import json, sys
c, r, s = json.loads(sys.argv[1])[0], json.loads(sys.argv[2]), json.loads(sys.argv[3])
a = c.get("attributes", {})
print("keycloak: client bench: publicClient=%s clientAuthenticatorType=%s client_credentials.use_refresh_token=%s; "
      "realm bench: eventsEnabled=%s adminEventsEnabled=%s bruteForceProtected=%s; active sessions after the run: %s"
      % (c.get("publicClient"), c.get("clientAuthenticatorType"), a.get("client_credentials.use_refresh_token", "unset (off)"),
         r.get("eventsEnabled"), r.get("adminEventsEnabled"), r.get("bruteForceProtected"),
         ", ".join("%s=%s/%s offline" % (x.get("clientId"), x.get("active"), x.get("offline")) for x in s) or "none"))
' "$client" "$realm" "$stats"
  echo "keycloak JVM: $(tr '\0' ' ' < "/proc/$kc_jvm/cmdline" | grep -o -- ' -X[^ ]*' | tr -d '\n')"
}

start_keycloak() {
  local port
  port="$(free_port)"
  kc_url="http://127.0.0.1:$port"
  kc_admin_pw="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  JAVA_HOME="$KC_JAVA_HOME" KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$kc_admin_pw" \
    "$kc_dir/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$port" --http-management-port="$(free_port)" \
    >"$work/keycloak.log" 2>&1 &
  kc_pid=$!
  pids+=("$kc_pid")
  wait_for "$kc_url/realms/master" 300
  # kc.sh runs Keycloak as its child, or execs it after a re-augmentation: measure the JVM either way.
  kc_jvm="$(pgrep -P "$kc_pid" java || echo "$kc_pid")"
  kc_login
  kc_secret="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
  kc_admin /admin/realms '{"realm":"bench","enabled":true}'
  kc_admin /admin/realms/bench/clients "{\"clientId\":\"bench\",\"enabled\":true,\"publicClient\":false,
    \"clientAuthenticatorType\":\"client-secret\",\"secret\":\"$kc_secret\",\"serviceAccountsEnabled\":true,
    \"standardFlowEnabled\":false,\"directAccessGrantsEnabled\":false,
    \"attributes\":{\"client_credentials.use_refresh_token\":\"false\"}}"
}

need_wrk
build_broker
fetch_keycloak
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
kc_warmup="${kc_warmup:-$wrk_warmup}"
echo "load: $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $wrk_threads threads, $wrk_conns connections, ${wrk_warmup}s warm-up (Keycloak: ${kc_warmup}s) then ${wrk_seconds}s measured"
echo
wrk_header

grant="grant_type=client_credentials"
start_keycloak
kc_basic="Basic $(printf '%s' "bench:$kc_secret" | base64 -w0)"
wrk_warmup="$kc_warmup" wrk_row "Keycloak $KC_VERSION start-dev (RS256) client_credentials" "$kc_jvm" \
  "$kc_url/realms/bench/protocol/openid-connect/token" "$grant" "$kc_basic" | tee -a "$work/rows.md"
kc_describe >&2
kill "$kc_pid"; wait "$kc_pid" 2>/dev/null || true

for jdk in "${jdks[@]}"; do
  if [ -n "$jdk" ]; then export JAVA_HOME="$jdk"; else unset JAVA_HOME; fi
  version="$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/')"
  for alg in EdDSA RS256; do
    start_broker --signing-alg "$alg"
    provision_agent
    wrk_row "Mayfly ($alg, JDK $version) client_credentials" "$broker_pid" "$broker_url/oauth/token" "$grant" "$agent_basic" \
      | tee -a "$work/rows.md"
    if [ "$alg" = EdDSA ]; then
      wrk_row "Mayfly ($alg, JDK $version) token_exchange" "$broker_pid" "$broker_url/oauth/token" \
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=$session_token&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token&scope=orders%3Aread&audience=https%3A%2F%2Forders.example" \
        "" | tee -a "$work/rows.md"
    fi
    stop_broker
  done
done

echo
awk -F'|' '{ t = $5; gsub(/[ \/s]/, "", t); n[NR] = $2; tp[NR] = t; p99[NR] = $7 }
  END { for (i = 2; i <= NR; i++) if (n[i] ~ /client_credentials/) printf "%s vs Keycloak: throughput x%.2f, p99 %s vs %s ms\n", n[i], tp[i] / tp[1], p99[i], p99[1] }' "$work/rows.md"
