#!/usr/bin/env bash
# The TypeScript client's part of `./mvnw verify` (integration-test phase of clients/typescript/pom.xml):
# npm ci, tsc, then node --test against a real broker from mayfly-cli/target/mayfly.jar (test/run.mjs).
# Arguments: the values of skipTests, skipITs and maven.test.skip. Where node >= 20 is missing it warns loudly
# and skips; with CI=true that is an error instead, so CI cannot pass without having run these tests.
set -euo pipefail
cd "${BASH_SOURCE[0]%/*}/.."

for flag in "$@"; do
  if [ "$flag" = "true" ]; then
    echo "[mayfly-client-typescript] tests skipped (-DskipTests / -DskipITs / -Dmaven.test.skip)"
    exit 0
  fi
done

missing() {
  local banner="################################################################################"
  echo "$banner" >&2
  echo "## clients/typescript: $1" >&2
  if [ "${CI:-}" = "true" ]; then
    echo "## CI=true: this is an error. Install Node.js >= 20 (and npm)." >&2
    echo "$banner" >&2
    exit 1
  fi
  echo "## The TypeScript client's tests were NOT run. Install Node.js >= 20 to run them." >&2
  echo "$banner" >&2
  exit 0
}

command -v node >/dev/null 2>&1 || missing "node is not on the PATH"
command -v npm >/dev/null 2>&1 || missing "npm is not on the PATH"
major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$major" -ge 20 ] || missing "node $(node --version) is too old; >= 20 is required"

npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
node test/run.mjs
