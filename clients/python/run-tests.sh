#!/usr/bin/env bash
# Runs the Python client's tests as Maven's integration-test phase does (clients/python/pom.xml):
# a virtualenv under target/, the package pip-installed with its test extras from the configured registry,
# pytest against a real broker started from mayfly-cli/target/mayfly.jar.
# Skips on -DskipTests/-DskipITs. Without python3 >= 3.10: a loud warning and a skip, or a failure when CI=true.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [ "${MAYFLY_PY_SKIP_TESTS:-false}" = "true" ] || [ "${MAYFLY_PY_SKIP_ITS:-false}" = "true" ]; then
  echo "[mayfly-client-python] tests skipped (-DskipTests/-DskipITs)"
  exit 0
fi

python=""
for candidate in python3.13 python3.12 python3.11 python3.10 python3; do
  if command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
    python="$(command -v "$candidate")"
    break
  fi
done
if [ -z "$python" ]; then
  {
    echo "############################################################################################"
    echo "# WARNING: no python3 >= 3.10 with venv found: the Python client's tests (clients/python)  #"
    echo "# did NOT run. Install python3 (>= 3.10) and python3-venv to run them.                     #"
    echo "############################################################################################"
  } >&2
  if [ "${CI:-}" = "true" ]; then
    echo "[mayfly-client-python] CI=true: a missing Python is an error" >&2
    exit 1
  fi
  exit 0
fi

jar="${MAYFLY_JAR:-../../mayfly-cli/target/mayfly.jar}"
if [ ! -f "$jar" ]; then
  echo "[mayfly-client-python] $jar is missing: build mayfly-cli first" >&2
  exit 1
fi
export MAYFLY_JAR="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"

venv=target/venv
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
# A non-editable install: the tests import the package as users get it. From the registry pip is configured
# with; PIP_RETRIES defaults to 1 because an index that cannot be reached at all (a mirror-only machine still
# lists the public index) would otherwise cost five retries per package.
export PIP_RETRIES="${PIP_RETRIES:-1}"
"$venv/bin/python" -m pip install --disable-pip-version-check -q ".[test]"
echo "[mayfly-client-python] $("$venv/bin/python" --version), pytest against $MAYFLY_JAR"
# Run from tests/ so that `import mayfly` is the installed package, not ./src.
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider --junitxml=target/pytest-report.xml \
  --rootdir=. tests "$@"
