#!/usr/bin/env bash
# What DPoP and client assertions cost issuance, measured from outside (issue 21): wrk (a C load generator in a
# process of its own) posts client_credentials grants to a broker started with ./mayfly server's launcher, in four
# scenarios, each on a fresh broker (SQLite, its defaults), with the same threads, connections, warm-up and
# duration as bench/keycloak.sh:
#   plain           client secret (HTTP Basic), no proof
#   dpop            client secret + a DPoP proof (RFC 9449): the session comes back DPoP-bound
#   jwt             private_key_jwt (RFC 7523 §2.2, Ed25519 key registered with the agent), no secret
#   jwt+dpop        private_key_jwt + a DPoP proof
# wrk's Lua cannot sign, so dev.mayfly.bench.PresignedTokenRequests signs one request per line beforehand (a fresh
# jti each; proofs iat = now, htm POST, htu the broker's token URL, one key; assertions exp 5 min ahead), one chunk
# just before each phase (warm-up, then measured run): the broker accepts a proof's iat only within 60 s of its
# clock (DpopSetup.PROOF_WINDOW, not configurable), so a chunk must be used up within a minute of its signing. A
# chunk holds the plain scenario's measured rate x 1.5 for the phase's duration (the plain scenario runs first).
# bench/wrk/presigned-post.lua sends each line once and counts every answer that is not 200; a row with non-200s,
# or whose lines ran out, says so. Broker CPU per grant comes from /proc (the broker process only).
#   bench/dpop.sh [--seconds 20] [--warmup 20] [--threads 2] [--connections 16]
# Environment: SKIP_BUILD=1 reuses the last build.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

wrk_seconds=20 wrk_warmup=20 wrk_threads=2 wrk_conns=16
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) wrk_seconds="$2"; shift 2 ;;
    --warmup) wrk_warmup="$2"; shift 2 ;;
    --threads) wrk_threads="$2"; shift 2 ;;
    --connections) wrk_conns="$2"; shift 2 ;;
    *) echo "usage: $0 [--seconds S] [--warmup S] [--threads N] [--connections N]" >&2; exit 2 ;;
  esac
done
script="$repo/bench/wrk/presigned-post.lua"
grant="grant_type=client_credentials"

need_wrk
build

presign() {
  java -Xmx1g -cp "$bench_cp" dev.mayfly.bench.PresignedTokenRequests "$@"
}

# Registers an agent whose only credential is the public key in $work/keys/client.pub.jwk (private_key_jwt) with
# the bootstrap admin of the broker started last; sets key_client_id.
provision_key_agent() {
  local admin_basic admin_token
  admin_basic="$(python3 -c 'import base64,json,sys; a=json.load(open(sys.argv[1])); print("Basic "+base64.b64encode((a["client_id"]+":"+a["client_secret"]).encode()).decode())' "$broker_home/admin.json")"
  admin_token="$(curl -fsS -H "Authorization: $admin_basic" -d "$grant" "$broker_url/oauth/token" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
  key_client_id="$(curl -fsS -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
    -d '{"name":"bench-key-'"$RANDOM"'","kind":"llm","scopes":["orders:read","orders:write"],"public_key":'"$(cat "$work/keys/client.pub.jwk")"'}' \
    "$broker_url/v1/agents" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["client_id"])')"
}

# wrk_phase SECONDS LINES AUTH: one wrk run against the token endpoint; prints its WRK_RESULT json.
wrk_phase() {
  WRK_THREADS="$wrk_threads" WRK_LINES="$2" WRK_BODY="$grant" WRK_AUTH="$3" \
    wrk -t"$wrk_threads" -c"$wrk_conns" -d"${1}s" --timeout 10s -s "$script" "$broker_url/oauth/token" \
    | sed -n 's/^WRK_RESULT //p'
}

# sign_chunk SECONDS OUT DPOP JWT: enough lines for SECONDS at the plain rate x 1.5 into OUT ("" when nothing to
# sign); sets signed_at (epoch seconds) and signed_count.
sign_chunk() {
  local seconds="$1" out="$2" dpop="$3" jwt="$4" args=()
  signed_at="$(date +%s)" signed_count=0
  if [ "$dpop" = 0 ] && [ "$jwt" = 0 ]; then
    : >"$out"
    return
  fi
  signed_count="$(python3 -c 'import math,sys; print(max(1000, math.ceil(float(sys.argv[1]) * int(sys.argv[2]) * 1.5)))' "$plain_rate" "$seconds")"
  [ "$dpop" = 1 ] && args+=(--dpop-key "$work/keys/dpop.jwk")
  [ "$jwt" = 1 ] && args+=(--client-id "$key_client_id" --client-key "$work/keys/client.jwk")
  presign sign --token-url "$broker_url/oauth/token" --count "$signed_count" --out "$out" "${args[@]}" 2>>"$work/presign.log"
}

# scenario NAME DPOP JWT: a fresh broker, warm-up then the measured run; appends a JSON line to $work/results.jsonl
# and prints the Markdown row.
scenario() {
  local name="$1" dpop="$2" jwt="$3" auth warm run t0 t1 end warm_age run_age warm_signed
  start_broker
  provision_agent
  auth="$agent_basic"
  if [ "$jwt" = 1 ]; then
    provision_key_agent
    auth=""
  fi
  sign_chunk "$wrk_warmup" "$work/warm.lines" "$dpop" "$jwt"
  warm_signed="$signed_count"
  warm="$(wrk_phase "$wrk_warmup" "$work/warm.lines" "$auth")"
  warm_age=$(( $(date +%s) - signed_at ))
  sign_chunk "$wrk_seconds" "$work/run.lines" "$dpop" "$jwt"
  t0="$(proc_ticks "$broker_pid")"
  run="$(wrk_phase "$wrk_seconds" "$work/run.lines" "$auth")"
  t1="$(proc_ticks "$broker_pid")"
  end="$(date +%s)"
  run_age=$(( end - signed_at ))
  python3 - "$name" "$warm" "$run" "$((t1 - t0))" "$(getconf CLK_TCK)" "$warm_signed" "$signed_count" \
    "$warm_age" "$run_age" "$(cut -d' ' -f1 /proc/loadavg)" "$dpop$jwt" <<'PY' | tee -a "$work/results.jsonl" >/dev/null
import json, sys
name, warm, run, ticks, hz, warm_signed, run_signed, warm_age, run_age, load, kind = sys.argv[1:]
w, r = json.loads(warm), json.loads(run)
secs = r["duration_us"] / 1e6
ok = max(r["requests"] - r["errors"], 1)
print(json.dumps({"name": name, "kind": kind, "requests": r["requests"], "errors": r["errors"], "non200": r["non200"],
  "exhausted": r["exhausted"] + w["exhausted"], "warm_errors": w["errors"], "rate": ok / secs,
  "p50": r["p50_us"] / 1e3, "p99": r["p99_us"] / 1e3, "p999": r["p999_us"] / 1e3,
  "cpu_us": 1e6 * int(ticks) / int(hz) / ok, "warm_signed": int(warm_signed), "run_signed": int(run_signed),
  "warm_used": w["lines_used"], "run_used": r["lines_used"],
  "oldest_s": max(int(warm_age), int(run_age)) if kind != "00" else None, "load": load}))
PY
  stop_broker
  tail -1 "$work/results.jsonl" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("bench: %s: %.0f grants/s, %d errors, oldest proof %s s" % (r["name"], r["rate"], r["errors"] + r["warm_errors"], r["oldest_s"]), file=sys.stderr)'
  if [ "$name" = plain ]; then
    plain_rate="$(tail -1 "$work/results.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rate"])')"
  fi
}

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(cd "$repo" && git rev-parse --short HEAD)"
echo "machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "load: $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $wrk_threads threads, $wrk_conns connections, ${wrk_warmup}s warm-up then ${wrk_seconds}s measured; each scenario on a fresh broker (SQLite, defaults)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
presign keys "$work/keys"
plain_rate=0
scenario plain 0 0
scenario dpop 1 0
scenario jwt 0 1
scenario jwt+dpop 1 1
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

python3 - "$work/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {r["name"]: r for r in rows}
label = {"plain": "client secret (Basic)", "dpop": "client secret + DPoP proof", "jwt": "private_key_jwt (Ed25519)",
         "jwt+dpop": "private_key_jwt + DPoP proof"}
print("| scenario | requests | non-200 (run / warm-up) | grants/s | × plain | p50 ms | p99 ms | p99.9 ms | broker CPU per grant | CPU × plain | lines signed / sent (warm-up; run) | oldest proof at phase end | load avg |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
base = by["plain"]
for r in rows:
    lines = "-" if r["kind"] == "00" else "%d / %d; %d / %d" % (r["warm_signed"], r["warm_used"], r["run_signed"], r["run_used"])
    oldest = "-" if r["oldest_s"] is None else "%d s" % r["oldest_s"]
    print("| %s | %d | %d / %d | %.0f | %.2f | %.1f | %.1f | %.1f | %.0f µs | %.2f | %s | %s | %s |" % (
        label[r["name"]], r["requests"], r["errors"], r["warm_errors"], r["rate"], r["rate"] / base["rate"],
        r["p50"], r["p99"], r["p999"], r["cpu_us"], r["cpu_us"] / base["cpu_us"], lines, oldest, r["load"]))
print()
def cost(bound, unbound):
    return "%.0f%% of throughput (%.0f → %.0f grants/s), %+.0f µs broker CPU per grant" % (
        100 * (1 - by[bound]["rate"] / by[unbound]["rate"]), by[unbound]["rate"], by[bound]["rate"],
        by[bound]["cpu_us"] - by[unbound]["cpu_us"])
print("DPoP on client-secret issuance: " + cost("dpop", "plain") + " (target: under 30%)")
print("DPoP on private_key_jwt issuance: " + cost("jwt+dpop", "jwt"))
print("private_key_jwt instead of a client secret: " + cost("jwt", "plain"))
stale = [r["name"] for r in rows if r["oldest_s"] is not None and r["oldest_s"] >= 55]
if stale:
    print("WARNING: proofs of " + ", ".join(stale) + " were 55 s or more old by the end of a phase: the broker's iat "
          "window is 60 s (signing was slow; shorten --seconds/--warmup)")
bad = [r["name"] for r in rows if r["errors"] or r["warm_errors"] or r["exhausted"]]
if bad:
    print("RUN HAD ERRORS in: " + ", ".join(bad) + " (non-200 answers, socket errors, or pre-signed lines ran out): "
          "those rows do not measure successful grants")
else:
    print("every request of every phase was answered 200")
PY
