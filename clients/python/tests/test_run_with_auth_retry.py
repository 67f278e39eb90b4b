"""run_with_auth_retry with real subprocesses that speak Mayfly's exit codes and envelope."""

from __future__ import annotations

import json
import os
import stat
import sys

from mayfly.retry import run_with_auth_retry

TOOL = """
import json, os, sys
state, outcome = sys.argv[1], sys.argv[2]
runs = int(open(state).read()) if os.path.exists(state) else 0
open(state, "w").write(str(runs + 1))
fixed = os.path.exists(state + ".fixed")
if outcome == "expired" and not fixed:
    print(json.dumps({"ok": False, "data": None, "error": {"code": "CREDENTIALS_EXPIRED", "message": "expired",
          "retryable": True, "reauth_command": sys.argv[3] if len(sys.argv) > 3 else "mayfly auth refresh"},
          "warnings": [], "meta": {}}))
    sys.exit(10)
if outcome == "denied":
    print(json.dumps({"ok": False, "data": None, "error": {"code": "PERMISSION_DENIED", "message": "no",
          "reauth_command": None}, "warnings": [], "meta": {}}))
    sys.exit(8)
print(json.dumps({"ok": True, "data": {"runs": runs + 1}, "error": None, "warnings": [], "meta": {}}))
"""


def _setup(tmp_path):
    tool = tmp_path / "tool.py"
    tool.write_text(TOOL)
    fixer = tmp_path / "mayfly"
    fixer.write_text(f"#!{sys.executable}\nimport sys\nopen({str(tmp_path / 'state')!r} + '.fixed', 'w').write(' '.join(sys.argv[1:]))\n")
    fixer.chmod(fixer.stat().st_mode | stat.S_IXUSR)
    return tool, fixer, tmp_path / "state"


def test_expired_runs_the_reauth_command_once_then_retries(tmp_path):
    tool, fixer, state = _setup(tmp_path)
    r = run_with_auth_retry([sys.executable, str(tool), str(state), "expired"], mayfly=str(fixer))
    assert r.returncode == 0 and json.loads(r.stdout)["data"]["runs"] == 2
    assert open(str(state) + ".fixed").read() == "auth refresh"


def test_denial_is_never_retried(tmp_path):
    tool, fixer, state = _setup(tmp_path)
    r = run_with_auth_retry([sys.executable, str(tool), str(state), "denied"], mayfly=str(fixer))
    assert r.returncode == 8 and open(state).read() == "1"


def test_a_reauth_command_outside_the_allowed_programs_is_not_run(tmp_path):
    tool, fixer, state = _setup(tmp_path)
    r = run_with_auth_retry([sys.executable, str(tool), str(state), "expired", "rm -rf /tmp/nothing"],
                            mayfly=str(fixer))
    assert r.returncode == 10 and open(state).read() == "1" and not os.path.exists(str(state) + ".fixed")


def test_still_expired_after_one_reauth_stops(tmp_path):
    tool, _, state = _setup(tmp_path)
    r = run_with_auth_retry([sys.executable, str(tool), str(state), "expired"], mayfly="true")
    assert r.returncode == 10 and open(state).read() == "2"
