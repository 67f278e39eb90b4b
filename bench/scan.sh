#!/usr/bin/env bash
# Times `mayfly scan DIR` as a user runs it (through the launcher, a new JVM each time, all decoders) over the
# scanner corpus of mayfly-bench, side by side with ripgrep on the built-in rules' regexes, one thread
# (`rg -j1`) and all threads (`rg`), in one run, and prints wall-clock MB/s and the ratios (issue 24).
#
#   bench/scan.sh [--mib 200] [--repeat 3] [--jdk JAVA_HOME]... [--opts NAME=JVM_OPTS]... [--regenerate]
#                 [--format text] [--jar NAME=PATH]...
#
# --jdk may be given more than once (e.g. --jdk /usr/lib/jvm/temurin-25-jdk-amd64): each JDK is a variant of
# the mayfly row; without it the default `java` runs. --opts replaces the launcher's flags for scan
# (MAYFLY_SCAN_JVM_OPTS), e.g. --opts c2='-XX:+UseSerialGC'; without it the launcher's own flags run
# ("launcher"). --jar adds another build's mayfly.jar (MAYFLY_JAR), e.g. --jar main=/tmp/main.jar, so a
# before/after comparison is one run with one load; without it the build's own jar runs ("build").
# Every JDK, flag set and jar is one row; each JDK gets its own CDS archive, made by an untimed run
# first. The corpus (mayfly-bench/target/bench/scanner-corpus, seed 20261203) is generated once
# and reused until --regenerate or another --mib. The files are in the page cache for every command (the
# generator just wrote them, or the previous command read them): this measures scanning, not the disk.
# ripgrep comes from the package manager when missing (Debian: apt-get install ripgrep). SKIP_BUILD=1
# reuses the last build. The load average is printed before every round: the machine may be shared.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mib=200
repeat=3
regenerate=0
format=text
jdks=()
optsets=()
jars=()
while [ $# -gt 0 ]; do
  case "$1" in
    --mib) mib="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --jdk) jdks+=("$2"); shift 2 ;;
    --opts) optsets+=("$2"); shift 2 ;;
    --regenerate) regenerate=1; shift ;;
    --format) format="$2"; shift 2 ;;
    --jar) jars+=("$2"); shift 2 ;;
    *) echo "bench/scan.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ ${#jdks[@]} -eq 0 ]; then
  jdks=("")
fi
if [ ${#optsets[@]} -eq 0 ]; then
  optsets=("launcher=")
fi
if [ ${#jars[@]} -eq 0 ]; then
  jars=("build=$repo/mayfly-cli/target/mayfly.jar")
fi

build

if ! command -v rg >/dev/null 2>&1; then
  echo "bench: installing ripgrep (apt-get install -y ripgrep)" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y ripgrep >&2 || { apt-get update >&2 && apt-get install -y ripgrep >&2; }
  else
    sudo apt-get install -y ripgrep >&2
  fi
fi

dir="$repo/mayfly-bench/target/bench/scanner-corpus"
corpus="$dir/corpus"
if [ "$regenerate" = 1 ] || [ ! -d "$corpus" ] || [ "$(cat "$dir/mib" 2>/dev/null)" != "$mib" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "bench: generating a $mib MiB corpus under $dir" >&2
  java -cp "$bench_cp" dev.mayfly.bench.corpus.GenerateCorpus "$dir" "$mib" >&2
  echo "$mib" >"$dir/mib"
fi
patterns="$dir/rg-patterns.txt"
bytes="$(find "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {print s}')"
files="$(find "$corpus" -type f | wc -l)"

# time_cmd NAME CMD...: runs CMD with stdout to $work/NAME.out, appends "NAME wall user sys" to $work/times.
time_cmd() {
  local name="$1" t
  shift
  t="$( { TIMEFORMAT='%R %U %S'; time "$@" >"$work/$name.out" 2>"$work/$name.err"; } 2>&1 )" || true
  echo "$name $t" >>"$work/times"
}

mayfly_cmd() { # JAVA_HOME jdk-label JVM_OPTS (empty: the launcher's) jar-label jar-path
  local jh="$1"
  env ${jh:+JAVA_HOME="$jh"} ${3:+MAYFLY_SCAN_JVM_OPTS="$3"} MAYFLY_CDS_ARCHIVE="$work/cds-$2-$4.jsa" MAYFLY_JAR="$5" \
    "$repo/mayfly-cli/bin/mayfly" scan --format "$format" "$corpus"
}

labels=()
for jh in "${jdks[@]}"; do
  if [ -n "$jh" ]; then
    v="$(sed -n 's/^JAVA_VERSION="\([^"]*\)"/\1/p' "$jh/release")"
  else
    v="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.version = //p')"
  fi
  label="jdk$v"
  labels+=("$label")
  # Untimed: builds this JDK's class-data archive for each jar (the launcher makes it on a first run).
  for jar in "${jars[@]}"; do
    mayfly_cmd "$jh" "$label" "" "${jar%%=*}" "${jar#*=}" >/dev/null 2>&1 || true
    mayfly_cmd "$jh" "$label" "" "${jar%%=*}" "${jar#*=}" >/dev/null 2>&1 || true
  done
done

: >"$work/times"
echo "bench: $files files, $bytes bytes; $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)); $(rg --version | head -1)" >&2
for r in $(seq 1 "$repeat"); do
  echo "round $r load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/times"
  i=0
  for jh in "${jdks[@]}"; do
    for o in "${optsets[@]}"; do
      for jar in "${jars[@]}"; do
        time_cmd "mayfly-${labels[$i]}-${o%%=*}-${jar%%=*}" mayfly_cmd "$jh" "${labels[$i]}" "${o#*=}" "${jar%%=*}" "${jar#*=}"
      done
    done
    i=$((i + 1))
  done
  time_cmd rg-j1 rg --no-config -j1 -P -U -c --no-messages -f "$patterns" "$corpus"
  time_cmd rg rg --no-config -P -U -c --no-messages -f "$patterns" "$corpus"
done
echo "end load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/times"

for label in "${labels[@]}"; do
  for o in "${optsets[@]}"; do
    for jar in "${jars[@]}"; do
      echo "mayfly-$label-${o%%=*}-${jar%%=*}: $(tail -1 "$work/mayfly-$label-${o%%=*}-${jar%%=*}.out")" >&2
    done
  done
done
first_out=""
for label in "${labels[@]}"; do
  for jar in "${jars[@]}"; do
    out="$work/mayfly-$label-${optsets[0]%%=*}-${jar%%=*}.out"
    if [ -z "$first_out" ]; then
      first_out="$out"
      first_name="$label ${jar%%=*}"
    elif cmp -s "$first_out" "$out"; then
      echo "report of $label ${jar%%=*}: byte-identical to $first_name's" >&2
    else
      echo "report of $label ${jar%%=*}: DIFFERS from $first_name's" >&2
    fi
  done
done
for jar in "${jars[@]}"; do
  echo "jar ${jar%%=*}: ${jar#*=}" >&2
done
for o in "${optsets[@]}"; do
  echo "flags ${o%%=*}: ${o#*=}" >&2
done
echo "rg matches (lines with a match, all files): $(awk -F: '{s += $NF} END {print s}' "$work/rg.out")" >&2

# One table row per command and round; the ratio compares with the rg runs of the same round.
awk -v bytes="$bytes" -v repeat="$repeat" '
  /^round/ { round = $2; load[round] = $4 " " $5 " " $6; next }
  /^end/ { endload = $3 " " $4 " " $5; next }
  { name = $1; wall[name, round] = $2; cpu[name, round] = $3 + $4; if (!(name in seen)) { seen[name] = 1; order[++n] = name } }
  END {
    printf "| command | round | load avg (1/5/15 min) | wall s | CPU s (user+sys) | MB/s (wall) | vs rg -j1 | vs rg |\n"
    printf "|---|---|---|---|---|---|---|---|\n"
    for (r = 1; r <= repeat; r++) {
      for (k = 1; k <= n; k++) {
        c = order[k]; w = wall[c, r]
        printf "| %s | %d | %s | %.2f | %.2f | %.0f | %.2f | %.2f |\n", c, r, load[r], w, cpu[c, r],
          bytes / w / 1e6, (bytes / w) / (bytes / wall["rg-j1", r]), (bytes / w) / (bytes / wall["rg", r])
      }
    }
    printf "\nload average at the end: %s. MB = 10^6 bytes; \"vs rg\" = this MB/s / rg'"'"'s MB/s in the same round.\n", endload
  }' "$work/times"
